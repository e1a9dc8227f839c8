/*
 * snmp_loop.c — a net-snmp single session in the event loop; see
 * snmp_loop.h.
 */
#include "snmp_loop.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

static void sloop_read(struct ev_loop *loop, int fd, uint32_t events,
		       void *arg)
{
	struct sloop *s = arg;

	(void)loop;
	(void)events;
	NETSNMP_LARGE_FD_ZERO(&s->rfds);
	NETSNMP_LARGE_FD_SET(fd, &s->rfds);
	/* reads one datagram and runs the callbacks of what it answers;
	 * the socket is non-blocking, so a spurious wake-up costs nothing */
	snmp_sess_read2(s->sessp, &s->rfds);
}

static void sloop_timeout(struct ev_loop *loop, void *arg)
{
	struct sloop *s = arg;

	(void)loop;
	/* resends what is due and calls back what ran out of retries */
	snmp_sess_timeout(s->sessp);
}

int sloop_attach(struct sloop *s, struct ev_loop *loop, void *sessp)
{
	netsnmp_transport *t = snmp_sess_transport(sessp);
	int flags;

	memset(s, 0, sizeof *s);
	s->loop = loop;
	s->sessp = sessp;
	s->fd = t != NULL ? t->sock : -1;
	if (s->fd < 0) {
		errno = EBADF;
		return -1;
	}
	flags = fcntl(s->fd, F_GETFL);
	if (flags < 0 || fcntl(s->fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	netsnmp_large_fd_set_init(&s->rfds, s->fd + 1);
	netsnmp_large_fd_set_init(&s->sfds, s->fd + 1);
	ev_timer_init(&s->timer, sloop_timeout, s);
	if (ev_io_add(loop, s->fd, EPOLLIN, sloop_read, s) < 0) {
		sloop_detach(s);
		return -1;
	}
	return 0;
}

void sloop_detach(struct sloop *s)
{
	if (s->loop == NULL)
		return;
	ev_io_del(s->loop, s->fd);
	ev_timer_stop(s->loop, &s->timer);
	netsnmp_large_fd_set_cleanup(&s->rfds);
	netsnmp_large_fd_set_cleanup(&s->sfds);
	s->loop = NULL;
}

int sloop_prepare(struct sloop *s)
{
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;
	uint64_t delta;

	if (s->loop == NULL)
		return -1;
	NETSNMP_LARGE_FD_ZERO(&s->sfds);
	/* block stays 1 when no request is outstanding; otherwise tv is the
	 * time to the earliest retransmission or timeout (alarms are not
	 * ours: NOALARMS) */
	snmp_sess_select_info2_flags(s->sessp, &numfds, &s->sfds, &tv, &block,
				     NETSNMP_SELECT_NOALARMS);
	if (block) {
		ev_timer_stop(s->loop, &s->timer);
		return -1;
	}
	delta = (uint64_t)tv.tv_sec * EV_NS_PER_SEC +
		(uint64_t)tv.tv_usec * 1000;
	ev_timer_start(s->loop, &s->timer, ev_now(s->loop) + delta);
	return (int)((delta + EV_NS_PER_MS - 1) / EV_NS_PER_MS);
}
