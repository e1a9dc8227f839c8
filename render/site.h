/*
 * site.h — one run of greendot-render: read, check, draw, write.
 *
 * Everything is read and checked before anything is written: a news
 * file with errors (each "file:line: message" on standard error) or a
 * state file that cannot be read leaves the last good site in place and
 * the run fails.  Then the graphs, status.json, feed.atom and, last,
 * index.html (so the page never names an image that is not there yet),
 * each replaced atomically.  Two runs on one OUT never interleave: a run
 * holds a lock on OUT/.greendot-render.lock.
 *
 * Server graphs: 4 per server is what grows with the site.  At 4 ms a
 * graph, 10,000 servers would be 160 s of drawing, and their day graphs
 * change every minute.  SITE_SG_AUTO draws every period for sites of up
 * to SITE_SERVER_GRAPHS_MAX servers and none above (their groups' graphs
 * and the diagram still show every server); --server-graphs all|day|none
 * chooses otherwise.
 */
#ifndef RENDER_SITE_H
#define RENDER_SITE_H

#include <stdbool.h>

#include "graph.h"

#define SITE_STATE_FILE "state.xml"
#define SITE_JOURNAL_FILE "journal"
/* Written by a demo that backfilled made-up history: "until=EPOCH" and
 * "text=WHAT TO SAY" lines; the page and status.json say so. */
#define SITE_SIMULATED_FILE "SIMULATED"
#define SITE_LOCK_FILE ".greendot-render.lock"
#define SITE_SERVER_GRAPHS_MAX 500

enum site_server_graphs { SITE_SG_AUTO, SITE_SG_ALL, SITE_SG_DAY,
			  SITE_SG_NONE };

struct site_opts {
	const char *datadir, *outdir;
	const char *news;		/* NULL: no news file */
	const char *title;		/* NULL: the agents' title */
	const char *base_url;		/* NULL, or ends with '/' */
	enum site_server_graphs server_graphs;
	unsigned jobs;			/* processes drawing; 0: one a CPU */
};

struct site_report {
	double seconds;			/* the whole run */
	double graph_seconds;
	struct graph_stats graphs;
	size_t items, automatic;	/* news items, of them automatic */
};

/* 0 (site written), or -1 (logged; nothing written, or the part that
 * failed left as it was).  report may be NULL. */
int site_run(const struct site_opts *o, struct site_report *report);

#endif
