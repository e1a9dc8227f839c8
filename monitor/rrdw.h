/*
 * rrdw.h — the monitor's RRD writer.
 *
 * Keeps DATA/rrd/{server,group,service}/<id>.rrd in the layout of
 * common/rrdlayout.h.  Files are created under a temporary name and
 * renamed into place.  Samples are aligned to the step and at most one
 * update per file per step is written (a second sample for the same step
 * replaces the first before it is written; "illegal attempt to update"
 * is a bug).  Writes go directly through librrd (rrd_update_r), or, with
 * an rrdcached address, through rrdcached in batches (BATCH).
 *
 * An existing file whose step or data sources differ from the layout is
 * reported (once, rate-limited) and left alone, never overwritten.
 * ids are validated (config.h gd_id_valid) before they become file names.
 */
#ifndef GD_RRDW_H
#define GD_RRDW_H

#include <stddef.h>
#include <time.h>

#include "rrdlayout.h"

struct gd_rrdw;

/* datadir: DATA (rrd/ is created below it).  rrdcached: NULL for direct
 * writes, else "unix:/path" or "host:port" as rrdtool takes it. */
struct gd_rrdw *gd_rrdw_new(const char *datadir, const char *rrdcached);
void gd_rrdw_free(struct gd_rrdw *w);

/*
 * Queues one sample: values in the kind's DS order (rrdlayout.h), NAN for
 * unknown.  t is aligned down to the step.  0, or -1 when id is invalid.
 */
int gd_rrdw_update(struct gd_rrdw *w, enum gd_rrd_kind kind, const char *id,
		   time_t t, const double *values, size_t nvalues);

/* Writes what is queued (creating missing files).  Returns the number of
 * files that could not be written (each logged), 0 when all went well. */
int gd_rrdw_flush(struct gd_rrdw *w);

/* "DATA/rrd/<kind>/<id>.rrd" into buf; NULL when id is invalid or buf
 * too small. */
const char *gd_rrdw_path(const char *datadir, enum gd_rrd_kind kind,
			 const char *id, char *buf, size_t len);

/* t aligned down to the step. */
time_t gd_rrdw_align(time_t t);

#endif
