/*
 * config.h — the infrastructure config: areas, groups, servers, services.
 *
 * gd_config_load() reads the XML file (see examples/aluminati.xml and the
 * schema common/greendot.rng), validates it against the RELAX NG schema,
 * then checks what the schema cannot say (unique ids, needs naming
 * existing groups, port range, timeout below interval, ...).  Every
 * problem of the file is collected as "file:line: message"; on any error
 * nothing is returned (no half-loaded model).
 *
 * The model is flat arrays in document order; references between kinds
 * are indexes into those arrays.  Strings are owned by the model.
 */
#ifndef GD_CONFIG_H
#define GD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "gd_mib.h"
#include "errlist.h"

#define GD_ID_MAX 64		/* [a-z0-9][a-z0-9._-]{0,63} */
#define GD_CONFIG_MAX_BYTES (64u << 20)	/* refuse larger files */
/* At most this many areas, groups, servers and services each; the first
 * one beyond is refused at its line.  gd_config_max_objects holds it, so
 * that a test can lower it: nothing else writes it. */
#define GD_CONFIG_MAX_OBJECTS 1000000u
extern size_t gd_config_max_objects;

struct gd_check {
	double interval;	/* seconds between probes */
	double timeout;		/* seconds a probe may take, < interval */
	unsigned rise;		/* successes before up */
	unsigned fall;		/* failures before down */
};

struct gd_area {
	char *id;
	char *title;
	char *colour;		/* yellow, blue, green, ... or #rrggbb */
	char *description;
	int line;
};

struct gd_group {
	char *id;
	char *title;
	size_t area;		/* index into areas */
	size_t first_server;	/* servers of a group are contiguous */
	size_t nservers;
	int line;
};

struct gd_server {
	char *id;
	char *title;		/* defaults to id */
	size_t group;		/* index into groups */
	char *host;
	unsigned port;		/* 0 for heartbeat */
	enum gd_probe probe;
	char *path;		/* http: request path, default "/" */
	unsigned expect;	/* http: expected status, default 200 */
	double max_age;		/* heartbeat: seconds, default 3 x interval */
	enum gd_admin admin;
	struct gd_check check;
	int line;
};

struct gd_need {
	bool any;		/* any= (true) or group= (false) */
	size_t ngroups;
	size_t *groups;		/* indexes into groups */
	int line;
};

struct gd_service {
	char *id;
	char *title;
	size_t nneeds;
	struct gd_need *needs;
	int line;
};

struct gd_idref {
	const char *id;		/* points into the object */
	size_t idx;
};

struct gd_config {
	char *file;
	char *title;		/* <greendot title=...> */
	struct gd_check defaults;

	size_t nareas, ngroups, nservers, nservices;
	struct gd_area *areas;
	struct gd_group *groups;
	struct gd_server *servers;
	struct gd_service *services;

	/* ids sorted, for gd_config_find_*() */
	struct gd_idref *area_by_id, *group_by_id, *server_by_id,
		*service_by_id;
};

/*
 * Loads path.  Returns 0 and *out, or -1 with the problems in errs (all of
 * them, in file order) and *out NULL.  schema: path of greendot.rng, or
 * NULL for the one built in at compile time (GD_SCHEMA_DIR).  A file
 * writable by its group or others is loaded with a warning in the log
 * (priv.h).
 */
int gd_config_load(const char *path, const char *schema,
		   struct gd_config **out, struct gd_errlist *errs);
/* The same on len bytes in memory, named name in errors (for tests and
 * fuzz harnesses). */
int gd_config_load_memory(const char *buf, size_t len, const char *name,
			  const char *schema, struct gd_config **out,
			  struct gd_errlist *errs);
void gd_config_free(struct gd_config *cfg);

/* Index of the object with that id, or -1 (binary search on a sorted index
 * built at load time). */
long gd_config_find_area(const struct gd_config *cfg, const char *id);
long gd_config_find_group(const struct gd_config *cfg, const char *id);
long gd_config_find_server(const struct gd_config *cfg, const char *id);
long gd_config_find_service(const struct gd_config *cfg, const char *id);

/* ids: [a-z0-9][a-z0-9._-]{0,63}; safe as a file name by construction
 * ("..", "/", NUL and leading dots cannot pass). */
bool gd_id_valid(const char *id);

#endif
