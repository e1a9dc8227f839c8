/*
 * agentx.h — net-snmp's AgentX subagent, joined to the agent's event loop.
 *
 * net-snmp keeps its own descriptors and timers; this module mirrors them
 * into evloop.h the way lldpd and FRR do: after every read, timeout and
 * send (agx_kick marks one) snmp_select_info2() says which descriptors to
 * watch and when net-snmp next needs its timeout; the watched set and one
 * timer are re-synced to that before the loop waits.  A readable
 * descriptor is read with snmp_read2() (O_NONBLOCK set first); the timer
 * runs snmp_timeout(), run_alarms() and
 * netsnmp_check_outstanding_agent_requests().
 *
 * Master outages: the AgentX ping interval is set after init_agent()
 * (which resets it) and before init_snmp(); every session net-snmp opens
 * gets a short timeout and no retries (keepalived's SESSION_INIT hook), so
 * a frozen master costs at most that per ping instead of stalling the
 * loop.  On a reconnect, which may reuse the descriptor number of the
 * session it replaces, the watched set is rebuilt from scratch (a watcher
 * kept for a number whose file changed would never fire: keepalived
 * #2726).  The connection callback says "up" only once net-snmp has
 * registered our subtrees again, so queued notifications follow them.
 *
 * Logging: net-snmp's log goes through log.h.
 */
#ifndef GD_AGENTX_H
#define GD_AGENTX_H

#include <stdbool.h>

#include "evloop.h"

#define AGX_PING_DEFAULT 5		/* seconds between pings/reconnects */
#define AGX_TIMEOUT_US 333333		/* one AgentX request, microseconds */

typedef void (*agx_conn_cb)(void *arg, bool up);

struct agx_opts {
	const char *name;	/* net-snmp application name (config files) */
	const char *socket;	/* AgentX socket; NULL: net-snmp's default */
	int ping_interval;	/* seconds; 0: AGX_PING_DEFAULT */
	bool master;		/* no AgentX: a master-less agent (tests) */
};

/* Before the MIB registers: logging, init_agent, ping interval. */
int agx_init(struct ev_loop *loop, const struct agx_opts *o, agx_conn_cb cb,
	     void *arg);
/* After it: init_snmp (reads config, connects to the master). */
void agx_start(void);
/* Closes the AgentX session (snmp_shutdown) before the MIB unregisters:
 * unregistering while connected waits for the master, and a master that
 * goes away meanwhile trips net-snmp's callback lock. */
void agx_disconnect(void);
void agx_shutdown(void);

/* net-snmp did something (sent): re-sync before the next wait. */
void agx_kick(void);
bool agx_connected(void);

#endif
