/*
 * state.h — the monitor's snapshot of every agent's tables (DATA/state.xml).
 *
 * Written atomically by greendot-monitor after each poll cycle; read by
 * greendot-render.  The XML format is documented by its schema,
 * common/state.rng (ids, statuses as the words of status.h, times as
 * ISO 8601 UTC).  When an agent does not answer, the monitor keeps its
 * last known objects with every status `unknown` and reachable false.
 */
#ifndef GD_STATE_H
#define GD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "errlist.h"
#include "gd_mib.h"

/* The reader refuses a larger state.xml (100,000 servers take ~40 MB). */
#define GD_STATE_MAX_BYTES (256u << 20)
#define GD_STATE_NS "urn:greendot:state:1"

struct gd_state_area {
	char *id, *title, *colour, *description;
};

struct gd_state_group {
	char *id, *title, *area;
	enum gd_status status;
	unsigned members_up, members_active, members;
	time_t last_change;		/* 0: not known */
};

struct gd_state_server {
	char *id, *title, *group;
	enum gd_probe probe;
	char *address;
	unsigned port;
	enum gd_oper oper;
	enum gd_admin admin;
	uint32_t uptime;		/* seconds continuously up at poll time */
	time_t last_change;		/* 0: not known */
	uint32_t latency_us;
	uint64_t checks, failures;
	char *last_error;
	uint32_t heartbeat_age;		/* GD_HEARTBEAT_NONE: none */
};

struct gd_state_service {
	char *id, *title;
	enum gd_status status;
	time_t last_change;
};

struct gd_state_agent {
	char *peer;			/* net-snmp peer name */
	bool reachable;
	time_t last_poll, last_ok;	/* 0: never */
	char *version, *title;		/* gdAgentVersion, gdSiteTitle */
	time_t started, config_loaded;
	size_t nareas, ngroups, nservers, nservices;
	struct gd_state_area *areas;
	struct gd_state_group *groups;
	struct gd_state_server *servers;
	struct gd_state_service *services;
};

struct gd_state {
	time_t generated;
	size_t nagents;
	struct gd_state_agent *agents;
};

/*
 * Atomic replace (afile.h).  0, or -1 with errno.  The file is always
 * well-formed and valid: control characters and invalid UTF-8 in strings
 * become U+FFFD; an object whose id is not a config id is left out (and
 * logged), a reference (area, group), time or port out of range is
 * written as not known.
 */
int gd_state_write(const char *path, const struct gd_state *st);

/*
 * Reads and validates path (schema: NULL for the built-in state.rng).
 * 0 and *out, or -1 with "file:line: message" problems in errs.
 */
int gd_state_read(const char *path, const char *schema, struct gd_state **out,
		  struct gd_errlist *errs);

/* The same on len bytes in memory, named name in errors (for tests and
 * fuzz harnesses). */
int gd_state_read_memory(const char *buf, size_t len, const char *name,
			 const char *schema, struct gd_state **out,
			 struct gd_errlist *errs);

void gd_state_free(struct gd_state *st);
/* Frees what an agent owns (not the agent struct itself). */
void gd_state_agent_clear(struct gd_state_agent *a);

#endif
