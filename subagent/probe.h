/*
 * probe.h — the probe engine of greendot-agent.
 *
 * Runs every server's check in the agent's event loop (evloop.h), with
 * non-blocking sockets only: connect, read the greeting or the HTTP
 * status line or the MySQL handshake, judge it, close.  Schedules are
 * spread over each server's interval so that 10,000 servers never fire
 * at once.  Latency is measured on the monotonic clock.
 *
 * The engine judges one check at a time; rise/fall hysteresis, status
 * derivation and counters are the model's (model.h), which receives every
 * result through the callback.
 *
 * Heartbeat servers are passive: at each of their ticks the result is ok
 * while the last heartbeat (gd_prober_heartbeat) is younger than max-age
 * and reported success.  Servers in maintenance or standby are probed
 * like the others (the model decides what counts).  A tcp check judges
 * the handshake alone, as check_tcp does; the others judge what the
 * server says (probe_proto.h), reading at most 4 KiB, then say goodbye
 * where it is cheap (QUIT, a1 LOGOUT) without awaiting the answer and
 * close with a reset (SO_LINGER 0: no TIME_WAIT left behind).
 *
 * Schedule: a server's checks fall at phase + k x interval on the
 * monotonic clock, phase = hash(id) mod interval, so checks spread over
 * the interval, never drift, and keep their phase across reloads and
 * restarts.  At most one check per server is under way: a tick that
 * finds the previous check still running (or waiting) is skipped and
 * counted (gd_prober_stats.skipped).
 *
 * Sockets: at most max_sockets checks are connected at once (default
 * min(4096, RLIMIT_NOFILE - 64), taken at gd_prober_set_config, so raise
 * the limit first); the others wait in a FIFO queue.  A check that cannot
 * get a descriptor (EMFILE, ENFILE, ENOBUFS, no free local port) waits and
 * is retried; one that waited longer than its timeout fails with the
 * reason ("not started within 3 s: too many open files").
 *
 * Callbacks run inside the loop; they must not call gd_prober_set_config()
 * or gd_prober_free() (set_config refuses with EBUSY).
 */
#ifndef GD_PROBE_H
#define GD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "evloop.h"

struct gd_probe_result {
	bool ok;
	uint32_t latency_us;	/* start of connect to verdict */
	char error[128];	/* why it failed, for gdServerLastError:
				   "connection refused", "timeout after 3 s",
				   "unexpected greeting: 554 no service" ... */
};

/* Called once per finished check; server indexes cfg->servers. */
typedef void (*gd_prober_cb)(void *arg, size_t server,
			     const struct gd_probe_result *r);

struct gd_prober;

struct gd_prober *gd_prober_new(struct ev_loop *loop, gd_prober_cb cb,
				void *arg);
/*
 * Probes every server of cfg from now on (the first time, and after a
 * reload).  The prober keeps the pointer until the next call or
 * gd_prober_free(); checks in flight for the old config are cancelled
 * without a callback.  Heartbeat times carry over by server id (the call
 * does not read the old config: it may be freed already).
 *
 * Host names are resolved here, with getaddrinfo() (the first address it
 * gives): it blocks, which is acceptable at config load and never
 * happens in the loop.  A name that does not resolve makes that server's
 * checks fail ("cannot resolve HOST: ..."); a new address needs a reload.
 * Returns 0, or -1 with errno (ENOMEM, EBUSY) and the old config still
 * running.
 */
int gd_prober_set_config(struct gd_prober *p, const struct gd_config *cfg);

/* Caps the sockets in flight; 0 goes back to the default (see above). */
void gd_prober_set_max_sockets(struct gd_prober *p, size_t n);

/* When server's next check is due (monotonic ns, as ev_now()); 0 for an
 * unknown server. */
uint64_t gd_prober_next_check(const struct gd_prober *p, size_t server);

/* A heartbeat for server now: status 0 success, 1..255 the job's failure
 * status (the next tick reports a failed check). */
void gd_prober_heartbeat(struct gd_prober *p, size_t server, unsigned status,
			 time_t now);
/* Seconds since the last heartbeat, or GD_HEARTBEAT_NONE. */
uint32_t gd_prober_heartbeat_age(const struct gd_prober *p, size_t server,
				 time_t now);
/* Restores a heartbeat time saved in the agent's state file. */
void gd_prober_heartbeat_restore(struct gd_prober *p, size_t server,
				 time_t when, unsigned status);

struct gd_prober_stats {
	uint64_t started, ok, failed;	/* started = ok + failed + under way */
	uint64_t skipped;		/* ticks dropped: previous not done */
	size_t in_flight;		/* sockets open */
	size_t queued;			/* checks waiting for a socket */
};
void gd_prober_stats(const struct gd_prober *p, struct gd_prober_stats *st);

void gd_prober_free(struct gd_prober *p);

#endif
