/*
 * status.h — the words for statuses and the rules that derive them.
 *
 * The rules of the contract, in one place for the agent (which serves
 * them) and the tests (which check them):
 *
 *   group, over its members whose admin status is active:
 *     up        every one of them up (unknown ones aside) and >= 1 up
 *     degraded  at least one up and at least one down
 *     down      none up, at least one down, none unknown
 *     unknown   no active member, or none up and some unknown
 *
 *   service: each <needs> is true, false or unknown:
 *     group=G   true if G is up or degraded, false if down, else unknown
 *     any=G H   true if any listed group is true, false if all are false,
 *               else unknown
 *   then
 *     down      some need is false
 *     unknown   no need is false and some need is unknown
 *     degraded  every need holds but a group it names is not up (running
 *               on fail-over: a degraded group, or a down alternative of
 *               an any=)
 *     up        every need holds with every group it names up
 *   (degraded(2) is greendot's extension of the contract's up/down/unknown
 *   for services; a degraded service is serving.)
 */
#ifndef GD_STATUS_H
#define GD_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "gd_mib.h"

const char *gd_oper_name(enum gd_oper s);
const char *gd_admin_name(enum gd_admin a);
const char *gd_status_name(enum gd_status s);
const char *gd_probe_name(enum gd_probe p);

/* 0 and the value, or -1 for an unknown word */
int gd_oper_parse(const char *s, enum gd_oper *out);
int gd_admin_parse(const char *s, enum gd_admin *out);
int gd_status_parse(const char *s, enum gd_status *out);
int gd_probe_parse(const char *s, enum gd_probe *out);

struct gd_member_counts {
	unsigned up, down, unknown;	/* active members only */
};

enum gd_status gd_group_status(const struct gd_member_counts *c);

/* Three-valued truth of one need. */
enum gd_truth { GD_FALSE = 0, GD_TRUE = 1, GD_UNKNOWN = 2 };

/* A need over a list of group statuses: any=true for any=, else group=. */
enum gd_truth gd_need_truth(const enum gd_status *groups, size_t n);

/*
 * A service from its needs: truth[i] of need i, and whether every group
 * named by a holding need is up (for degraded).
 */
enum gd_status gd_service_status(const enum gd_truth *truth, size_t n,
				 bool all_groups_up);

/* Serving: up or degraded. */
static inline bool gd_status_serving(enum gd_status s)
{
	return s == GD_STATUS_UP || s == GD_STATUS_DEGRADED;
}

#endif
