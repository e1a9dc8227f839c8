/*
 * model.h — what the page, status.json and the feed show: the monitor's
 * state (every agent merged), availability, and the news.
 *
 * The model owns the state it was built from and points into it; areas,
 * groups, servers and services come in the order of the state file (the
 * agents' table order, which is the config's), the first object of an
 * id wins when two agents report one.  Groups whose area no agent
 * reports and servers whose group no agent reports are kept under a
 * "not assigned" area/group, so nothing monitored goes unseen.
 */
#ifndef RENDER_MODEL_H
#define RENDER_MODEL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "news.h"
#include "state.h"

/* The windows of availability and graphs. */
enum model_period { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_YEAR,
		    PERIOD_N };

struct model_period_info {
	const char *name;	/* "day": file names, JSON keys */
	const char *label;	/* "24 h": table headers */
	const char *title;	/* "Last 24 hours" */
	const char *span;	/* "last 24 hours": within a sentence */
	time_t seconds;		/* the window */
	time_t step;		/* resolution of the RRA it reads */
};

extern const struct model_period_info model_periods[PERIOD_N];

/* What a dot shows, in the words of the contract. */
enum model_show {
	SHOW_UP, SHOW_DEGRADED, SHOW_DOWN, SHOW_UNKNOWN, SHOW_MAINTENANCE,
	SHOW_STANDBY, SHOW_N
};

/* One image of OUT/graphs/ (graph.h draws it). */
struct model_graph {
	bool ok;			/* the file is there */
	unsigned width, height;
};

const char *model_show_word(enum model_show s);		/* "up" */
const char *model_show_label(enum model_show s);	/* "Up" */

struct model_service {
	const struct gd_state_service *st;
	enum model_show show;
	double avail[PERIOD_N];		/* ratio 0..1; NAN: no data */
	struct model_graph graph[PERIOD_N];
};

struct model_group {
	const struct gd_state_group *st;	/* NULL: "not assigned" */
	enum model_show show;
	size_t area;
	size_t *servers, nservers;	/* indexes into model.servers */
	double avail[PERIOD_N];
	struct model_graph graph[PERIOD_N];
};

struct model_area {
	const struct gd_state_area *st;		/* NULL: "not assigned" */
	size_t *groups, ngroups;	/* indexes into model.groups */
};

struct model_server {
	const struct gd_state_server *st;
	enum model_show show;
	size_t group;
	struct model_graph graph[PERIOD_N];	/* latency */
};

struct model {
	char *title;			/* --title, the agents', or a default */
	time_t now;			/* of this render */
	time_t as_of;			/* of the state */
	char zone[64];			/* "Europe/London" */
	struct gd_state *state;		/* owned */
	size_t nagents, agents_unreachable;
	size_t nareas, ngroups, nservers, nservices;
	struct model_area *areas;
	struct model_group *groups;
	struct model_server *servers;
	struct model_service *services;
	struct news news;		/* file and automatic, newest first */
	enum model_show overall;
	unsigned server_graphs;		/* bit p: server graphs of period p */
	time_t simulated_until;		/* DATA/SIMULATED: history before this
					   was made up for a demo; 0: none */
	char *simulated_text;		/* what to say about it (owned) */
	struct model_index *index;	/* private: ids to indexes */
};

/*
 * Builds the merged view of st, which the model takes (also on failure).
 * title: NULL for the agents' title.  Availability starts as NAN, the
 * news empty; see model_finish().  0, or -1 (out of memory).
 */
int model_build(struct model *m, struct gd_state *st, const char *title,
		time_t now);
/* Sorts the news and works out the overall status.  Call once the
 * availability and the news are in. */
void model_finish(struct model *m);
void model_free(struct model *m);

/* The index of the object with that id, or -1. */
long model_find_group(const struct model *m, const char *id);
long model_find_service(const struct model *m, const char *id);

/* The banner: "All systems operational", "Partial outage", ... */
const char *model_banner(const struct model *m);

/* A group or service title, or its id when it has none. */
const char *model_group_title(const struct model_group *g);

#endif
