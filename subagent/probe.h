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
 * and reported success.
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
 * without a callback.  Heartbeat times carry over by server id.
 */
int gd_prober_set_config(struct gd_prober *p, const struct gd_config *cfg);

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
	uint64_t started, ok, failed;
	size_t in_flight;
};
void gd_prober_stats(const struct gd_prober *p, struct gd_prober_stats *st);

void gd_prober_free(struct gd_prober *p);

#endif
