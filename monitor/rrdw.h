/*
 * rrdw.h — the monitor's RRD writer.
 *
 * Keeps DATA/rrd/{server,group,service}/<id>.rrd in the layout of
 * common/rrdlayout.h.  Files (mode 0644) are created under a temporary
 * name, fsynced and renamed into place without replacing anything, the
 * folder fsynced; a flush creates files for one second at most, the
 * others (samples queued) at the next flushes.  Samples are aligned to the step and at most one
 * update per file per step is written (a second sample for the same step
 * replaces the first before it is written; "illegal attempt to update"
 * is a bug).  Writes go directly through librrd (rrd_update_r), or, with
 * an rrdcached address, through rrdcached in batches (BATCH).
 *
 * An existing file whose step or data sources differ from the layout is
 * reported (once, rate-limited) and left alone, never overwritten.
 * ids are validated (config.h gd_id_valid) before they become file names.
 *
 * The first time a file is touched its last update is read (the file's
 * header, or rrdcached's LAST, which includes what rrdcached still holds):
 * samples not newer than it are skipped, also across monitor restarts.
 *
 * With rrdcached:
 *   - updates go as one BATCH per flush, one "UPDATE <abs path> t:v:v"
 *     line per sample; the errors it lists are logged per file;
 *   - paths are absolute with symlinks resolved: start rrdcached with -b
 *     covering DATA/rrd (its -b must itself be a real path), or without -B;
 *     it must see DATA at the same path (a local daemon);
 *   - missing files are created here with librrd (rrdcached has no state
 *     for a new file; its CREATE writes in place, needs -R for folders and
 *     has no fsync); a FORGET before the file's first UPDATE, in the same
 *     batch, drops any state rrdcached kept for an older file of that name;
 *   - a dropped connection (rrdcached restarted) is reopened at the next
 *     flush; the samples of a failed flush stay queued (at most
 *     GD_RRDW_MAX_QUEUED per file, the oldest go first); when a batch broke
 *     half-way, the file's LAST is asked again before resending so nothing
 *     is sent twice;
 *   - what rrdcached acknowledged is kept here too, per file, while it may
 *     not be on disk yet: rrdcached answers "0 errors" once an update is in its
 *     cache and its journal's stdio buffer, but 1.7.2 writes that buffer to
 *     the journal file only when it fills, and the cache to the file every
 *     -w (300 s): a SIGKILL or a crash loses what it had acknowledged (7 of
 *     7 in tests/integration/fault_rrdcached.sh).  After a new connection
 *     (a restarted daemon), LAST is asked for every file with kept samples
 *     and those newer than it are sent again, in time order, before
 *     anything newer.  Kept: the samples acknowledged in the last
 *     GD_RRDW_RESEND_WINDOW seconds (while the daemon was up), at most
 *     GD_RRDW_RESEND_MAX per file: 15 at the 60-s step, 32 bytes each,
 *     about 4.8 MB for 10,000 files.  One log line per new connection says
 *     how many were sent again.  Direct writes keep nothing.
 *   Without -F (flush on shutdown) or -j (journal), rrdcached itself loses
 *   what it held when it stops: operators should run it with one of them.
 *   A daemon that kept a file's updates in its cache for longer than the
 *   window (a larger -w, or -f flushes of files no longer updated) and was
 *   then killed loses those: raise the window with gd_rrdw_set_resend_window.
 *
 * gd_rrdw_flush blocks.  Measured with tests/rrdw-bench.c, 10,000 files:
 * direct 26 us per file (about 260 ms a flush), rrdcached about 1 us per
 * sample (7-10 ms a flush); the first flush after a start reads every
 * file's header (and LAST): about 0.6 s.
 */
#ifndef GD_RRDW_H
#define GD_RRDW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rrdlayout.h"

struct gd_rrdw;

/* Samples kept per file while they cannot be written. */
#define GD_RRDW_MAX_QUEUED 60

/* Samples rrdcached acknowledged are kept this long (seconds while it was
 * up) in case it dies before writing them: twice its default -w (300 s),
 * and a margin.  At most GD_RRDW_RESEND_MAX per file, the newest: the
 * window at the 60-s step, and one. */
#define GD_RRDW_RESEND_WINDOW 900
#define GD_RRDW_RESEND_MAX 16

/* datadir: DATA (rrd/ and its kind folders are created below it).
 * rrdcached: NULL or "" for direct writes, else "unix:/path", "/path",
 * "host", "host:port" or "[v6addr]:port" as rrdtool takes it.  The
 * connection is opened at the first flush.  NULL on error (logged). */
struct gd_rrdw *gd_rrdw_new(const char *datadir, const char *rrdcached);
/* Samples not flushed are lost: flush first. */
void gd_rrdw_free(struct gd_rrdw *w);

/* How long samples rrdcached acknowledged are kept (default
 * GD_RRDW_RESEND_WINDOW): at least twice rrdcached's -w.  0 keeps none. */
void gd_rrdw_set_resend_window(struct gd_rrdw *w, unsigned seconds);

/*
 * Queues one sample: values in the kind's DS order (rrdlayout.h), NAN for
 * unknown.  t is aligned down to the step.  0, or -1 with EINVAL when id
 * or kind is invalid or nvalues is not the kind's DS count (ENOMEM).
 */
int gd_rrdw_update(struct gd_rrdw *w, enum gd_rrd_kind kind, const char *id,
		   time_t t, const double *values, size_t nvalues);

/* Writes what is queued (creating missing files).  Returns the number of
 * files that could not be written (each logged, rate-limited), 0 when all
 * went well.  A file found to differ from the layout counts once, in the
 * flush that finds it; its samples are dropped from then on. */
int gd_rrdw_flush(struct gd_rrdw *w);

/* Counters since gd_rrdw_new, for the monitor's own status and the bench. */
struct gd_rrdw_stats {
	unsigned long files;		/* files known (ids seen) */
	unsigned long created;		/* files created */
	unsigned long written;		/* samples written or accepted by rrdcached
					   (one sent again counts again) */
	unsigned long resent;		/* acknowledged, lost by a restarted
					   rrdcached, sent again */
	unsigned long replaced;		/* samples replaced by a later one, same step */
	unsigned long skipped;		/* samples not newer than the file's last update */
	unsigned long dropped;		/* queue full, or file left alone */
	unsigned long mismatched;	/* files whose layout differs */
	unsigned long errors;		/* failed writes (per file and flush) */
};

void gd_rrdw_stats(const struct gd_rrdw *w, struct gd_rrdw_stats *st);

/* "DATA/rrd/<kind>/<id>.rrd" into buf; NULL when id is invalid or buf
 * too small. */
const char *gd_rrdw_path(const char *datadir, enum gd_rrd_kind kind,
			 const char *id, char *buf, size_t len);

/* t aligned down to the step. */
time_t gd_rrdw_align(time_t t);

/*
 * rrdcached client (rrdw_cached.c), used by rrdw.c: the text protocol of
 * rrdcached(1) as the writer speaks it.  One connection, opened by
 * gd_rrdc_open and reopened there when the daemon went away; every wait is
 * bounded by timeout_ms.
 */
struct gd_rrdc;

enum gd_rrdc_status {
	GD_RRDC_OK = 0,
	GD_RRDC_DOWN = -1,	/* no command reached rrdcached: resend as is */
	GD_RRDC_LOST = -2,	/* broke after commands were sent: some may
				   have been applied, ask LAST before resending */
};

/* An error rrdcached reported for command number cmd (1-based, in the
 * order added), or for path number cmd of gd_rrdc_last. */
typedef void (*gd_rrdc_error_cb)(void *arg, size_t cmd, const char *msg);

struct gd_rrdc *gd_rrdc_new(const char *addr, int timeout_ms);
void gd_rrdc_free(struct gd_rrdc *c);
const char *gd_rrdc_addr(const struct gd_rrdc *c);
/* What went wrong last (connect, read, write, protocol), for a log line. */
const char *gd_rrdc_error(const struct gd_rrdc *c);

/* Keeps the connection while it looks alive, else opens a new one:
 * GD_RRDC_OK with *fresh true when it is new (rrdcached may have
 * restarted since the old one), or GD_RRDC_DOWN.  The other calls use the
 * connection it opened and never open one themselves. */
int gd_rrdc_open(struct gd_rrdc *c, bool *fresh);
/* After a GD_RRDC_DOWN: the connection was one gd_rrdc_open kept, and it
 * failed otherwise than by a timeout (the daemon went away meanwhile):
 * worth one more try, opened anew. */
bool gd_rrdc_stale(const struct gd_rrdc *c);

/* Builds a batch: reset, then add "CMD path args" commands (path escaped
 * for rrdcached).  add returns the command's number (1..) or 0 when the
 * line would be too long for rrdcached or memory ran out. */
void gd_rrdc_batch_reset(struct gd_rrdc *c);
size_t gd_rrdc_batch_add(struct gd_rrdc *c, const char *cmd, const char *path,
			 const char *args);
/* Sends BATCH, the commands, "."; reports each error line through cb.
 * A gd_rrdc_status.  The batch is kept (reset it to start another). */
int gd_rrdc_batch_send(struct gd_rrdc *c, gd_rrdc_error_cb cb, void *arg);

/* LAST for n paths, pipelined: out[i] is the last update rrdcached knows
 * (its cache included), or (time_t)-1 after cb(arg, i + 1, message).
 * GD_RRDC_OK, or GD_RRDC_DOWN when the connection failed (out undefined). */
int gd_rrdc_last(struct gd_rrdc *c, const char *const *paths, size_t n,
		 time_t *out, gd_rrdc_error_cb cb, void *arg);

#endif
