/*
 * diff.h — what changed between two polls of an agent, and what the RRD
 * files record of one poll.
 *
 * Transitions are found by id (the config id each table's Name column
 * gives), kind by kind, with a hash of the old objects: O(n) for n
 * objects.  An object present in only one of the two polls is no
 * transition (new objects have no previous state; removed ones are gone).
 *
 * The status word of each kind (the journal's OLD and NEW):
 *   server   its admin status when not active ("maintenance",
 *            "standby"), else its oper status ("up", "down", "unknown");
 *   group    its status ("up", "degraded", "down", "unknown");
 *   service  its status;
 *   agent    "up" when it answers, "unknown" when it does not (its
 *            objects are then unknown: nothing is known to be down).
 *
 * Samples (common/rrdlayout.h):
 *   server   up 1/0, U when unknown or admin not active; latency in
 *            seconds when up and measured (gdServerLatency > 0), else U;
 *   group    up 1 when up or degraded, 0 down, U unknown; members =
 *            gdGroupMembersUp, U when the status is unknown;
 *   service  up 1 when up or degraded, 0 down, U unknown.
 */
#ifndef GD_DIFF_H
#define GD_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "journal.h"
#include "state.h"

struct diff_events {
	struct gd_event *v;
	size_t n, cap;
};

void diff_events_clear(struct diff_events *ev);
/* Appends one record; 0, or -1 when out of memory. */
int diff_event_add(struct diff_events *ev, double when,
		   enum gd_event_source src, enum gd_event_kind kind,
		   const char *id, const char *old_status,
		   const char *new_status, const char *agent,
		   const char *detail);

const char *diff_server_word(const struct gd_state_server *s);

/*
 * Appends a GD_SRC_POLL record for every server, group and service whose
 * status word differs between old and cur (matched by id).  The agent
 * field is cur->peer.  0, or -1 when out of memory.
 */
int diff_agents(const struct gd_state_agent *old,
		const struct gd_state_agent *cur, double when,
		struct diff_events *out);

/* The samples of one object, in rrdlayout.h's DS order; NAN is U. */
void diff_server_sample(const struct gd_state_server *s, double v[2]);
void diff_group_sample(const struct gd_state_group *g, double v[2]);
void diff_service_sample(const struct gd_state_service *s, double v[1]);

/* The agent as shown while it does not answer: a shallow copy of known
 * (strings shared) with every status unknown and reachable false.  Free
 * with diff_unknown_free (not gd_state_agent_clear).  0 or -1 (ENOMEM). */
int diff_unknown_copy(const struct gd_state_agent *known,
		      struct gd_state_agent *out);
void diff_unknown_free(struct gd_state_agent *a);

#endif
