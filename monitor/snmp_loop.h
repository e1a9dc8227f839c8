/*
 * snmp_loop.h — one net-snmp single session (snmp_sess_*) in the event
 * loop: its socket watched (O_NONBLOCK) and read with snmp_sess_read2(),
 * its retransmissions and timeouts run by a timer that sloop_prepare()
 * re-arms from snmp_sess_select_info2_flags() before every wait.
 * Large fd sets throughout: no FD_SETSIZE limit on the descriptor.
 */
#ifndef GD_SNMP_LOOP_H
#define GD_SNMP_LOOP_H

#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "evloop.h"

struct sloop {
	struct ev_loop *loop;
	void *sessp;
	int fd;
	netsnmp_large_fd_set rfds;	/* just fd, for snmp_sess_read2 */
	netsnmp_large_fd_set sfds;	/* scratch for select_info */
	struct ev_timer timer;		/* snmp_sess_timeout */
};

/* Watches sessp's socket.  0, or -1 (errno) when it has none or the loop
 * refuses it. */
int sloop_attach(struct sloop *s, struct ev_loop *loop, void *sessp);
/* Stops watching (before snmp_sess_close). */
void sloop_detach(struct sloop *s);
/* Re-arms the timer; ms until it, or -1 when nothing is pending. */
int sloop_prepare(struct sloop *s);

#endif
