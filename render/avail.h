/*
 * avail.h — availability from the RRD files of the data directory.
 *
 * The rule (the monitor writes the values, common/rrdlayout.h):
 *
 *   availability over a window = the average of `up` over the samples
 *   of the window whose value is known.
 *
 * `up` is 1 while serving (a group or service up or degraded, a server
 * up), 0 while down, and unknown while the monitor could not tell, before
 * the file existed, and for a server not admin active.  So maintenance
 * and standby time is left out, not counted as down, and time without
 * data counts neither way: a service monitored for two days shows the
 * availability of those two days in its 1-year column.  A window with
 * no known sample has no availability (NAN, "no data" on the page).
 *
 * Each window is read at the resolution the RRD keeps for it (1 min for
 * a day, 5 min for a week, 1 h for 30 days, 1 day for a year; rrdtool's
 * consolidation, xff 0.5, makes a coarse sample unknown when more than
 * half of it is).  The window ends at the last whole step before `end`.
 *
 * With RRDCACHED_ADDRESS set (as rrdtool's own tools read it), each file
 * is flushed by the daemon before it is read.
 */
#ifndef RENDER_AVAIL_H
#define RENDER_AVAIL_H

#include <stddef.h>
#include <time.h>

#include "model.h"
#include "rrdlayout.h"

/* DATADIR/rrd/KIND/ID.rrd into buf; -1 when the id is not a safe id or
 * the path does not fit. */
int avail_rrd_path(char *buf, size_t len, const char *datadir,
		   enum gd_rrd_kind kind, const char *id);

/* Asks rrdcached (if one is configured) to write out path's pending
 * updates.  0, or -1 (logged). */
int avail_sync(const char *path);

/* The ratio for one window into *ratio (NAN: no known sample).  0, or
 * -1 when the file cannot be read (rrd_get_error() logged at debug). */
int avail_ratio(const char *path, time_t end, time_t seconds, time_t step,
		double *ratio);

/* Every service and group of m, every period, as of m->now. */
void avail_fill(struct model *m, const char *datadir);

#endif
