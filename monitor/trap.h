/*
 * trap.h — the notification listener (--trap-listen).
 *
 * A net-snmp session on a local transport (netsnmp_tdomain_transport
 * with local=1, added with snmp_sess_add), in the event loop like the
 * pollers (snmp_loop.h).  Each PDU is authenticated:
 *   - SNMPv1/v2c: its community must be the configured one (by default
 *     the -c community; --trap-community sets another); none configured:
 *     every v1/v2c notification is refused;
 *   - SNMPv3: net-snmp's USM has already checked it against its users
 *     (those of createUser lines in greendot-monitor.conf, and the user
 *     of every polled agent once the poll discovered its engineID: the
 *     -u/-a/-A/-x/-X that poll an agent also authenticate the
 *     notifications it sends); it must be at least authNoPriv.
 * An authenticated INFORM is acknowledged.  A greendot notification
 * (trap_pdu.h) is handed to the callback with its receive time and its
 * sender's address; anything else is counted and logged, rate-limited,
 * datagrams net-snmp cannot decode (garbage, truncated BER) included.
 */
#ifndef GD_TRAP_H
#define GD_TRAP_H

#include <stddef.h>
#include <sys/socket.h>

struct ev_loop;
struct snmp_session;
struct trap_listener;

struct trap_event {
	double time;			/* receive time, epoch seconds */
	struct sockaddr_storage from;	/* the sender; family 0: unknown */
	char from_text[80];
	const unsigned char *engine_id;	/* v3: the sender's engine */
	size_t engine_id_len;
	const char *name;		/* "gdServerDown" */
	const char *object;		/* the id it is about */
	const char *detail;		/* its other objects, as text */
};

typedef void (*trap_cb)(void *arg, const struct trap_event *ev);

struct trap_stats {
	unsigned long received, accepted, refused, unknown, malformed;
	unsigned long garbled;	/* datagrams net-snmp could not decode */
};

/* NULL on error (logged). */
struct trap_listener *trap_listen(struct ev_loop *loop, const char *addr,
				  const char *community, trap_cb cb,
				  void *arg);
void trap_close(struct trap_listener *l);
/* From the loop's prepare hook (acknowledgements have no timers, but
 * net-snmp may keep some); ms or -1. */
int trap_prepare(struct trap_listener *l);
void trap_get_stats(const struct trap_listener *l, struct trap_stats *st);

#endif
