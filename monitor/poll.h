/*
 * poll.h — polls one greendot agent: a cycle of GETBULK walks.
 *
 * One net-snmp single session (snmp_sess_*) per agent, asynchronous, in
 * the monitor's event loop (evloop.h): its socket is watched with
 * O_NONBLOCK set, and poll_prepare() — called from the loop's prepare hook
 * — asks net-snmp for the session's next retransmission or timeout and
 * arms a timer for it (snmp_sess_timeout).  No select(), no fd_set limit.
 *
 * A cycle reads the scalars (one GET) and the four tables.  Each table is
 * split into index ranges planned from the rows of the previous cycle
 * (poll_table.h); the last range is open, and when it finds more rows
 * than planned (always, in a first cycle) it splits into more ranges
 * beyond what it has seen.  Every range is walked by GETBULKs that ask
 * for all its columns, and up to `inflight` requests are kept in flight
 * per agent:
 * net-snmp's master turns a GETBULK into sequential AgentX GETNEXTs, so
 * the speed is in the pipelining.  max-repetitions is what the range is
 * expected to hold plus one (to see its end), capped so that an answer
 * stays under about POLL_VARBINDS varbinds, and halved on tooBig.
 *
 * The cycle ends when every range is walked (a new model, common/state.h)
 * or at the first failure (a timeout after net-snmp's retries, an error
 * status, a send failure, or tables whose answers did not walk:
 * poll_table.h ptab_rows_broken); the requests still in flight are then waited
 * for, so no callback outlives its cycle.  The result is delivered from
 * a timer, never from inside a net-snmp callback.
 */
#ifndef GD_POLL_H
#define GD_POLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ev_loop;
struct snmp_session;
struct gd_state_agent;
struct poll_agent;

/* Varbinds an answer is sized for (snmpd's default maxGetbulkResponses
 * is 100; it trims larger answers itself).  Raising snmpd's limit to
 * 1,000 made a 10,000-server cycle slower (212 requests, 198,000
 * varbinds, poll 1.0-1.4 s against 0.5-0.9 s): fewer, larger answers
 * pipeline worse through AgentX, and run past the ends of the ranges. */
#define POLL_VARBINDS 1000
/* Rows per range when planning from the previous cycle. */
#define POLL_RANGE_ROWS 200
#define POLL_MAX_RANGES 64
/* An open range with more rows than planned splits into this many
 * ranges of this many indexes (poll.c split_open). */
#define POLL_SPLIT_RANGES 16
#define POLL_SPLIT_ROWS 256

struct poll_counts {
	size_t requests, varbinds, retries_toobig;
	size_t wrong_type, bad_index, out_of_order, incomplete, no_name;
	char last_problem[160];	/* the last bad value, for the log */
};

struct poll_result {
	bool ok;
	char error[192];		/* !ok: why, for the log */
	struct gd_state_agent *agent;	/* ok: the model; the callee owns it */
	struct poll_counts counts;
	double seconds;			/* the cycle's wall time */
};

typedef void (*poll_done_cb)(void *arg, struct poll_agent *pa,
			     struct poll_result *res);

/*
 * tmpl: the session the options built (version, community or USM keys,
 * timeout, retries); its peername is replaced by peer.  Opens the session
 * at once, without net-snmp's blocking engineID probe: an SNMPv3 agent's
 * engineID is discovered by the first cycle, asynchronously (poll.c).
 * NULL on error (logged).
 */
struct poll_agent *poll_agent_new(struct ev_loop *loop,
				  const struct snmp_session *tmpl,
				  const char *peer, unsigned inflight,
				  poll_done_cb cb, void *arg);
void poll_agent_free(struct poll_agent *pa);

/* Starts a cycle.  0, or -1 when one is running (EBUSY) or no request
 * could be sent (the failure is also delivered through the callback). */
int poll_agent_start(struct poll_agent *pa);
bool poll_agent_busy(const struct poll_agent *pa);
const char *poll_agent_peer(const struct poll_agent *pa);

/* The agent's host, for matching notifications to it; false when the
 * peer is not an IP transport. */
bool poll_agent_addr(const struct poll_agent *pa,
		     struct sockaddr_storage *ss);
/* SNMPv3: the agent's engineID once discovered (len 0 before). */
const unsigned char *poll_agent_engine_id(const struct poll_agent *pa,
					  size_t *len);

/* From the loop's prepare hook: re-arms the net-snmp timer; returns the
 * ms until it, -1 when nothing is pending. */
int poll_prepare(struct poll_agent *pa);

#endif
