/*
 * model.h — the agent's runtime view of the infrastructure.
 *
 * One object per area, group, server and service of the config in effect,
 * in the config's order (model->servers[i] is cfg->servers[i]).  The model
 * owns what the config does not say: table indexes, rise/fall hysteresis,
 * operational and derived statuses, uptimes, counters, heartbeats and the
 * administrative override made by an SNMP SET.  No net-snmp here: the MIB
 * handlers read these structs, the tests drive them directly.
 *
 * Statuses follow common/status.h.  A probe result costs O(1) plus, when
 * the server's status changes, a recount of its group (incremental) and,
 * when the group's status changes, the services that need that group
 * (a reverse index built at load).
 *
 * Every operation that changes statuses reports the notifications it
 * implies through the event callback, after all derived statuses are
 * recomputed (so an event sees the values after the change), in the order
 * server, group, services:
 *
 *   gdServerDown     an active server goes down (from up or unknown)
 *   gdServerUp       an active server comes up from down
 *   gdGroupFailover  an active member goes from up to down and its group
 *                    still serves (up or degraded)
 *   gdGroupDown      a group goes to down
 *   gdGroupUp        a group comes back from down to up or degraded
 *   gdServiceDown    a service goes to down
 *   gdServiceUp      a service comes back from down to up or degraded
 *
 * Servers that are not active raise no server notification.
 */
#ifndef GD_MODEL_H
#define GD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "gd_mib.h"
#include "status.h"

#define MODEL_ERROR_MAX 128

/* What survives a reload and, through the state file, a restart. */
struct model_srv_state {
	uint32_t index;			/* gdServerIndex */
	enum gd_oper oper;
	time_t up_since;		/* wall time of the up transition; 0 */
	time_t last_change;		/* 0: not known */
	uint64_t checks, failures;
	uint32_t latency_us;
	bool admin_set;			/* a SET overrides the config ... */
	enum gd_admin admin_override;	/* ... with this value ... */
	enum gd_admin admin_cfg_at_set;	/* ... while the config still says this */
	time_t hb_when;			/* last heartbeat; 0 none */
	unsigned hb_status;		/* its job status, 0 success */
	char last_error[MODEL_ERROR_MAX];
};

struct model_status_state {		/* groups and services */
	uint32_t index;
	enum gd_status status;
	time_t last_change;		/* 0: not known */
};

struct model_area {
	const struct gd_area *cfg;
	uint32_t index;
};

struct model_group {
	const struct gd_group *cfg;
	struct model_status_state st;
	struct gd_member_counts counts;	/* active members only */
	size_t nservices;		/* the services that need this group */
	size_t *services;		/* indexes into model->services */
};

struct model_server {
	const struct gd_server *cfg;
	struct model_group *group;
	struct model_srv_state st;
	enum gd_admin admin;		/* in effect: override or config */
	unsigned ok_run, fail_run;	/* consecutive results, hysteresis */
};

struct model_service {
	const struct gd_service *cfg;
	struct model_status_state st;
};

struct model_event {
	enum gd_notification kind;
	const struct model_server *server;	/* server and failover events */
	const struct model_group *group;	/* server and group events */
	const struct model_service *service;	/* service events */
};

typedef void (*model_event_cb)(void *arg, const struct model_event *ev);

enum model_kind { MODEL_AREA, MODEL_GROUP, MODEL_SERVER, MODEL_SERVICE,
		  MODEL_KINDS };

/* One saved object: its id and its state (index only for areas). */
struct model_saved_rec {
	char id[GD_ID_MAX + 1];
	union {
		uint32_t index;			/* areas */
		struct model_status_state status;	/* groups, services */
		struct model_srv_state srv;	/* servers */
	} u;
};

/* Table indexes run from 1 to MODEL_INDEX_MAX; a state file offering
 * more is refused, which leaves 2^31 fresh indexes for ids added while an
 * agent runs: the counters never wrap round to 0 or to a taken one. */
#define MODEL_INDEX_MAX 0x7fffffffU

/* The table index a saved record of kind k carries. */
uint32_t model_saved_index(enum model_kind k, const struct model_saved_rec *r);

/* A state file's content, sorted by id per kind (model_saved_sort). */
struct model_saved {
	uint32_t next[MODEL_KINDS];	/* next free index per kind */
	size_t n[MODEL_KINDS], cap[MODEL_KINDS];
	struct model_saved_rec *v[MODEL_KINDS];
};

struct model {
	const struct gd_config *cfg;	/* borrowed: the caller keeps it alive
					   until the next model_set_config */
	size_t nareas, ngroups, nservers, nservices;
	struct model_area *areas;
	struct model_group *groups;
	struct model_server *servers;
	struct model_service *services;

	uint32_t next[MODEL_KINDS];	/* indexes are never reused */
	uint64_t changes;		/* bumped on every status, admin or
					   heartbeat change (state file) */
	model_event_cb cb;
	void *cb_arg;

	struct model_event *evq;	/* events of the running operation */
	size_t nevq, evq_cap;

	enum gd_status *gbuf;		/* scratch for service derivation: */
	enum gd_truth *tbuf;		/* sized for the largest need/service */
};

struct model *model_new(model_event_cb cb, void *arg);
void model_free(struct model *m);

/*
 * Takes cfg as the config in effect (first load or reload).  Objects whose
 * id was in the previous config keep their index and state; others take
 * theirs from saved (may be NULL; a state file read at start), else start
 * unknown with a new index.  Admin overrides stay unless the config's
 * admin value changed since the SET.  Statuses are derived again and the
 * changes of objects that stay are reported.  The previous config must
 * still be alive during the call.  0, or -1 (out of memory; the model is
 * unchanged).
 */
int model_set_config(struct model *m, const struct gd_config *cfg,
		     const struct model_saved *saved, time_t now);

/* A probe's verdict on server (index into cfg->servers). */
void model_probe_result(struct model *m, size_t server, bool ok,
			uint32_t latency_us, const char *error, time_t now);

/* A heartbeat written by a job: status 0 success, 1..255 failure. */
void model_heartbeat(struct model *m, size_t server, unsigned status,
		     time_t now);

/* An SNMP SET of gdServerAdminStatus. */
void model_set_admin(struct model *m, size_t server, enum gd_admin admin,
		     time_t now);

/* gdServerUptime: seconds up since the up transition, 0 when not up. */
uint32_t model_uptime(const struct model_server *s, time_t now);
/* gdServerHeartbeat: age of the last heartbeat, or GD_HEARTBEAT_NONE. */
uint32_t model_heartbeat_age(const struct model_server *s, time_t now);

/* Position of an object in its array (= in the config's). */
static inline size_t model_server_pos(const struct model *m,
				      const struct model_server *s)
{
	return (size_t)(s - m->servers);
}

/* Saved state: build, sort (before use by model_set_config), free. */
struct model_saved_rec *model_saved_add(struct model_saved *sv,
					enum model_kind kind, const char *id);
void model_saved_sort(struct model_saved *sv);
const struct model_saved_rec *model_saved_find(const struct model_saved *sv,
					       enum model_kind kind,
					       const char *id);
void model_saved_free(struct model_saved *sv);

#endif
