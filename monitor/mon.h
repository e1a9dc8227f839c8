/*
 * mon.h — greendot-monitor's daemon: agents, cycles, journal, RRD files,
 * state and re-renders, in one event loop.
 *
 * Per agent:
 *   - a cycle every --interval seconds (from the start of the previous
 *     one), or at once when a notification names it (a cycle under way:
 *     one more right after it);
 *   - after a good cycle: the transitions since the previous good one
 *     (diff.h) go to the journal with source `poll`, one sample per
 *     object to the RRD files (flushed per cycle), and the state file is
 *     rewritten (coalesced when several agents finish together);
 *   - a failed cycle (no answer, an error) makes the agent's objects
 *     unknown (never down): U in the RRD files, every status `unknown` in
 *     the state file, one `agent` record up -> unknown in the journal and
 *     one log line; then retries with backoff (interval x 1, 2, 4, 8, at
 *     most 5 minutes unless the interval is longer); the recovery is
 *     journaled and logged too;
 *   - the first good cycle of an object with no previous state is no
 *     transition; the previous state survives restarts: the last
 *     state.xml is read at start.
 *
 * Notifications (--trap-listen) are journaled at once with their receive
 * time (source `notification`) and re-poll the agent that sent them:
 * an SNMPv3 notification is matched by its engineID to the agent polled
 * with the same engineID; otherwise by the sender's IP address to every
 * agent whose peer has that address (the notification comes from the
 * master snmpd's host).  One that matches no agent is journaled all the
 * same, with the sender's address as its agent.
 *
 * Files: DATA/state.xml (common/state.h), DATA/journal
 * (common/journal.h), DATA/rrd/ (monitor/rrdw.h).
 */
#ifndef GD_MON_H
#define GD_MON_H

#include "snmp_args.h"

struct ev_loop;
struct mon;

/* Opens everything (the journal is exclusive: a second monitor on the
 * same DATA is refused).  NULL on error (logged). */
struct mon *mon_new(struct ev_loop *loop, const struct mon_opts *o);
/* Runs until SIGTERM/SIGINT, or with --once until the cycle and its
 * render are done.  Returns the exit status. */
int mon_run(struct mon *m);
void mon_free(struct mon *m);

#endif
