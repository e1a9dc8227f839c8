/*
 * graph.h — the PNG graphs of OUT/graphs/, drawn in-process.
 *
 *   graphs/service-<id>-<period>.png   availability (%), with down time
 *   graphs/group-<id>-<period>.png     and time without data marked
 *   graphs/server-<id>-<period>.png    probe latency (ms), down ticks
 *
 * for period day, week, month, year.  rrd_graph_v() renders into memory;
 * each file is replaced atomically (temporary name, rename) and the
 * run's images reach the disk with one syncfs() before the manifest is
 * written: an fsync per image doubled the cost of a run.
 *
 * Not redrawn when nothing it shows changed: a graph ends at the last
 * update of its RRD rounded down to the step of the archive its period
 * reads (1 min, 5 min, 1 h, 1 day: model_periods[].step), so a new
 * sample that has not yet completed a consolidated row changes nothing
 * in the week, month and year graphs.  OUT/graphs/.manifest records per
 * file that end, the size and a hash of the title and style; a graph is
 * redrawn only when that key differs or its file is missing.  Files of
 * objects that are gone are removed at the end of a run.
 *
 * Server graphs are the many ones (4 per server): site.h says which are
 * drawn.
 *
 * Drawing is CPU-bound (librrd draws in one thread, and half of its time
 * is PNG encoding), and graphs are independent: the graphs to draw are
 * gathered in batches of GRAPH_BATCH, and a batch is dealt out to the
 * run's process and graph_set_workers() - 1 forked workers (none for
 * fewer than GRAPH_WORKER_MIN_JOBS graphs each), which write the images
 * and send their sizes back through a pipe.  A worker that dies takes
 * only its own graphs of the batch with it (counted as failed, logged);
 * workers die with the run's process.  graph_object() and graph_model()
 * return with every graph they asked for drawn or accounted for.
 *
 * GREENDOT_GRAPH_ARGS=FILE (for make bench, which draws the same graphs
 * with the rrdtool CLI): each graph drawn appends a line to FILE, the
 * image's name and then the arguments given to rrd_graph_v ("graph",
 * "-", ...), separated by tabs.
 */
#ifndef RENDER_GRAPH_H
#define RENDER_GRAPH_H

#include <stddef.h>

#include "model.h"
#include "rrdlayout.h"

#define GRAPH_DIR "graphs"
#define GRAPH_WIDTH 400		/* canvas; the image adds axes, legend */
#define GRAPH_HEIGHT 100
#define GRAPH_BATCH 512		/* graphs decided before they are drawn */
#define GRAPH_WORKERS_MAX 32
#define GRAPH_WORKER_MIN_JOBS 4

struct graph_run;

struct graph_stats {
	size_t drawn, kept, failed, nodata, removed;
};

/* Starts a run: OUT/graphs/ made, the manifest read.  NULL: out of
 * memory or the folder cannot be made (logged). */
struct graph_run *graph_open(const char *datadir, const char *outdir);

/* Processes that draw, this one included: 1 (the default) to
 * GRAPH_WORKERS_MAX. */
void graph_set_workers(struct graph_run *g, unsigned n);
/* The online CPUs, at most GRAPH_WORKERS_MAX. */
unsigned graph_default_workers(void);

/* "graphs/service-incoming-mail-day.png" (relative to OUT). */
void graph_name(char *buf, size_t len, enum gd_rrd_kind kind, const char *id,
		enum model_period p);

/*
 * The graphs of one object for the periods in mask (bit p for period p),
 * drawn or kept; out[p] says which exist.  An object without an RRD file
 * has none (and no error).
 */
void graph_object(struct graph_run *g, enum gd_rrd_kind kind, const char *id,
		  const char *title, unsigned mask,
		  struct model_graph out[PERIOD_N]);

/* Every graph of m: services and groups for every period, servers for
 * the periods in server_mask. */
void graph_model(struct graph_run *g, struct model *m, unsigned server_mask);

/* Writes the manifest, removes graphs of this folder not made in this
 * run, frees g.  0, or -1 when the manifest could not be written. */
int graph_close(struct graph_run *g, struct graph_stats *stats);

#endif
