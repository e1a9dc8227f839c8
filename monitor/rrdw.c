/*
 * rrdw.c — the monitor's RRD writer; see rrdw.h.
 *
 * Samples wait in a queue per file (sorted, one per step) until a flush.
 * A flush first makes sure of every file it touches — created, or its
 * layout checked and its last update known — then writes directly with
 * rrd_update_r, or sends one BATCH to rrdcached (rrdw_cached.c).  What
 * rrdcached acknowledged moves from the queue to the file's kept samples
 * (sorted, newer than the queue's), sent again after a restart that lost
 * them (rrdw.h).
 *
 * librrd contracts relied upon (1.7):
 *   - errors are per thread: rrd_clear_error() before a call,
 *     rrd_get_error() after it failed;
 *   - rrd_update_r is thread-safe only without at-style times: we pass
 *     "seconds:value[:value]" only;
 *   - rrd_update_r applies its arguments in order and stops at the first
 *     bad one; those before it are in the file (a recheck reads the file's
 *     last_update and skips them);
 *   - rrd_create_r2 writes its own temporary file next to the name it is
 *     given and renames it over that name (no fsync, replacing): we give
 *     it a temporary name of ours, then fsync and rename without
 *     replacing, so an existing file is never overwritten;
 *   - rrd_info_r returns a list the caller frees with rrd_info_free, NULL
 *     on error.
 */
#include "rrdw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <search.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "afile.h"
#include "config.h"
#include "log.h"

#define RRDW_MAX_DS 2
#define RRDW_SAMPLE_LEN 96	/* "seconds:value:value" */
#define RRDW_DATADIR_MAX 1024	/* keeps every rrdcached line < 4096 bytes */
#define RRDW_RECHECK 600	/* seconds before a file left alone is looked at again */
#define RRDW_TIMEOUT_MS 2000	/* longest wait on rrdcached for one read or write */
/* Creating a file costs 1-2 ms (400 KB, fsync): a flush stops creating
 * after this long; the others wait, samples queued, for the next flush
 * (10,000 new files: about 15 flushes, within GD_RRDW_MAX_QUEUED). */
#define RRDW_CREATE_BUDGET_MS 1000
#define RRDW_DIR_MODE 0755
#define RRDW_FILE_MODE 0644
#define RRDW_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const rrdw_ds_server[] = { GD_RRD_SERVER_DS };
static const char *const rrdw_ds_group[] = { GD_RRD_GROUP_DS };
static const char *const rrdw_ds_service[] = { GD_RRD_SERVICE_DS };
static const char *const rrdw_rras[] = { GD_RRD_RRAS };
static const char *const rrdw_dirs[] = GD_RRD_KIND_DIRS;

static const struct {
	const char *const *ds;
	size_t n;
} rrdw_kinds[] = {
	[GD_RRD_SERVER] = { rrdw_ds_server, RRDW_LEN(rrdw_ds_server) },
	[GD_RRD_GROUP] = { rrdw_ds_group, RRDW_LEN(rrdw_ds_group) },
	[GD_RRD_SERVICE] = { rrdw_ds_service, RRDW_LEN(rrdw_ds_service) },
};

_Static_assert(RRDW_LEN(rrdw_kinds) == RRDW_LEN(rrdw_dirs),
	       "one folder per kind");
_Static_assert(RRDW_LEN(rrdw_ds_server) <= RRDW_MAX_DS &&
	       RRDW_LEN(rrdw_ds_group) <= RRDW_MAX_DS &&
	       RRDW_LEN(rrdw_ds_service) <= RRDW_MAX_DS, "RRDW_MAX_DS");

enum rrdw_state {
	RRDW_UNCHECKED,		/* not looked at yet, or to be looked at again */
	RRDW_NEED_LAST,		/* layout fine, rrdcached's LAST still to ask */
	RRDW_OK,		/* last is the file's last update */
	RRDW_BAD,		/* differs from the layout: left alone */
};

struct rrdw_sample {
	time_t t;
	double v[RRDW_MAX_DS];
};

/* A sample rrdcached acknowledged, and when. */
struct rrdw_kept {
	struct rrdw_sample s;
	time_t acked;
};

struct rrdw_file {
	enum gd_rrd_kind kind;
	char id[GD_ID_MAX + 1];
	enum rrdw_state state;
	bool dirty;		/* on w->dirty */
	bool forget;		/* created here: FORGET before its first UPDATE */
	bool failed;		/* failed in this flush (logged, counted once) */
	bool reported;		/* its layout mismatch was logged */
	bool sent;		/* in this flush's batch */
	bool resend;		/* new connection: kept samples newer than
				   LAST go back to the queue */
	time_t last;		/* last update in the file (RRDW_OK) */
	time_t bad_since;	/* when found different from the layout */
	char *path;
	struct rrdw_sample *q;	/* waiting samples, sorted by t, one per step */
	size_t nq, capq;
	struct rrdw_kept *k;	/* acknowledged by rrdcached, sorted by t */
	size_t nk, capk;
};

/* A command of the batch: whose, and whether errors matter. */
struct rrdw_cmd {
	struct rrdw_file *f;
	bool forget;		/* FORGET of a file rrdcached may not know */
};

struct gd_rrdw {
	char *datadir;		/* absolute, symlinks resolved */
	struct gd_rrdc *rrdc;	/* NULL: direct writes */
	void *files;		/* tsearch tree of struct rrdw_file */
	struct rrdw_file **dirty;	/* files with waiting samples */
	size_t ndirty, capdirty;
	struct rrdw_cmd *cmds;	/* the batch being sent, by command number - 1 */
	size_t capcmds;
	bool down;		/* rrdcached failed at the last flush */
	unsigned window;	/* seconds acknowledged samples are kept */
	bool kept_any;		/* something was kept once: watch for restarts */
	time_t alive_at;	/* rrdcached last seen up on this connection */
	time_t resend_after;	/* resync: kept samples acknowledged before
				   this were on disk before it went */
	size_t resync_files, resent_now;	/* this resync's, for its log line */
	bool resyncing;		/* a new connection's LAST still to ask */
	time_t now;		/* the flush's */
	struct timespec flush_start;
	size_t deferred;	/* files left to create at the next flush */
	locale_t c_locale;
	struct gd_ratelimit rl_file, rl_conn;
	struct gd_rrdw_stats st;
	char scratch[GD_RRDW_MAX_QUEUED][RRDW_SAMPLE_LEN];
};

/* --- small things ------------------------------------------------------- */

static bool rrdw_kind_valid(enum gd_rrd_kind kind)
{
	return (unsigned)kind < RRDW_LEN(rrdw_kinds);
}

time_t gd_rrdw_align(time_t t)
{
	return t - ((t % GD_RRD_STEP) + GD_RRD_STEP) % GD_RRD_STEP;
}

const char *gd_rrdw_path(const char *datadir, enum gd_rrd_kind kind,
			 const char *id, char *buf, size_t len)
{
	int n;

	if (!rrdw_kind_valid(kind) || !gd_id_valid(id))
		return NULL;
	n = snprintf(buf, len, "%s/rrd/%s/%s.rrd", datadir, rrdw_dirs[kind], id);
	return n >= 0 && (size_t)n < len ? buf : NULL;
}

void gd_rrdw_stats(const struct gd_rrdw *w, struct gd_rrdw_stats *st)
{
	*st = w->st;
}

/* One log line, unless this kind of line came too often; says how many
 * were held back when a new window opens. */
static void rrdw_vlog(struct gd_ratelimit *rl, int prio, const char *fmt,
		      va_list ap)
{
	unsigned suppressed;
	bool ok = gd_ratelimit(rl, time(NULL), &suppressed);

	if (suppressed > 0)
		gd_log(prio, "rrd: %u similar messages suppressed", suppressed);
	if (ok)
		gd_vlog(prio, fmt, ap);
}

static void rrdw_log(struct gd_ratelimit *rl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rrdw_log(struct gd_ratelimit *rl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rrdw_vlog(rl, LOG_ERR, fmt, ap);
	va_end(ap);
}

/* f failed with the whole flush (rrdcached unreachable): counted here,
 * logged once for all by the caller. */
static void rrdw_fail_quiet(struct gd_rrdw *w, struct rrdw_file *f)
{
	if (!f->failed)
		w->st.errors++;
	f->failed = true;
}

static int rrdw_fail(struct gd_rrdw *w, struct rrdw_file *f, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

/* f could not be written this flush: logged and counted once. */
static int rrdw_fail(struct gd_rrdw *w, struct rrdw_file *f, const char *fmt,
		     ...)
{
	va_list ap;

	if (f->failed)
		return -1;
	f->failed = true;
	w->st.errors++;
	va_start(ap, fmt);
	rrdw_vlog(&w->rl_file, LOG_ERR, fmt, ap);
	va_end(ap);
	return -1;
}

/* "seconds:v[:v]" with U for unknown; '.' whatever LC_NUMERIC says
 * (the caller switched this thread to w->c_locale). */
static const char *rrdw_format(char *buf, const struct rrdw_sample *s,
			       size_t nds)
{
	int n = snprintf(buf, RRDW_SAMPLE_LEN, "%lld", (long long)s->t);

	for (size_t i = 0; i < nds; i++)
		n += isfinite(s->v[i]) ?
			snprintf(buf + n, RRDW_SAMPLE_LEN - (size_t)n, ":%.12g", s->v[i]) :
			snprintf(buf + n, RRDW_SAMPLE_LEN - (size_t)n, ":U");
	return buf;
}

/* --- files and their queues ----------------------------------------------- */

static int rrdw_file_cmp(const void *a, const void *b)
{
	const struct rrdw_file *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void rrdw_file_free(void *p)
{
	struct rrdw_file *f = p;

	free(f->q);
	free(f->k);
	free(f->path);
	free(f);
}

static struct rrdw_file *rrdw_file_new(struct gd_rrdw *w,
				       enum gd_rrd_kind kind, const char *id)
{
	char path[PATH_MAX];
	struct rrdw_file *f = calloc(1, sizeof *f);

	if (f == NULL)
		return NULL;
	f->kind = kind;
	strcpy(f->id, id);
	if (gd_rrdw_path(w->datadir, kind, id, path, sizeof path) == NULL ||
	    (f->path = strdup(path)) == NULL ||
	    tsearch(f, &w->files, rrdw_file_cmp) == NULL) {
		rrdw_file_free(f);
		return NULL;
	}
	w->st.files++;
	return f;
}

/* id must be valid (gd_id_valid): it fits f->id. */
static struct rrdw_file *rrdw_file_get(struct gd_rrdw *w,
				       enum gd_rrd_kind kind, const char *id)
{
	struct rrdw_file key = { .kind = kind };
	struct rrdw_file **found;

	strcpy(key.id, id);
	found = tfind(&key, &w->files, rrdw_file_cmp);
	return found ? *found : rrdw_file_new(w, kind, id);
}

/* Array v of *cap elements of size bytes, twice as large (first when
 * empty), at most max: the new array (*cap updated), or NULL (no memory:
 * v and *cap as they were). */
static void *rrdw_grow(void *v, size_t *cap, size_t size, size_t first,
		       size_t max)
{
	size_t n = *cap ? 2 * *cap : first;

	if (n > max)
		n = max;
	v = realloc(v, n * size);
	if (v != NULL)
		*cap = n;
	return v;
}

static int rrdw_mark_dirty(struct gd_rrdw *w, struct rrdw_file *f)
{
	if (f->dirty)
		return 0;
	if (w->ndirty == w->capdirty) {
		struct rrdw_file **p = rrdw_grow(w->dirty, &w->capdirty,
						 sizeof *p, 64,
						 SIZE_MAX / sizeof *p);

		if (p == NULL)
			return -1;
		w->dirty = p;
	}
	w->dirty[w->ndirty++] = f;
	f->dirty = true;
	return 0;
}

static int rrdw_queue_grow(struct rrdw_file *f)
{
	struct rrdw_sample *q = rrdw_grow(f->q, &f->capq, sizeof *q, 1,
					  GD_RRDW_MAX_QUEUED);

	if (q == NULL)
		return -1;
	f->q = q;
	return 0;
}

/* The first n samples of f are gone (written, skipped or dropped). */
static void rrdw_queue_shift(struct rrdw_file *f, size_t n)
{
	memmove(f->q, f->q + n, (f->nq - n) * sizeof *f->q);
	f->nq -= n;
}

/* Room at position *at for one more sample: when the queue is full the
 * oldest goes.  -1 when the new sample is itself the oldest, or no memory. */
static int rrdw_queue_room(struct gd_rrdw *w, struct rrdw_file *f, size_t *at)
{
	if (f->nq == GD_RRDW_MAX_QUEUED) {
		w->st.dropped++;
		rrdw_log(&w->rl_file, "rrd: %s: %d samples waiting, dropping "
			 "the oldest", f->path, GD_RRDW_MAX_QUEUED);
		if (*at == 0)
			return -1;
		rrdw_queue_shift(f, 1);
		(*at)--;
	}
	return f->nq == f->capq ? rrdw_queue_grow(f) : 0;
}

/* Where a sample for t goes in the queue: after every older one. */
static size_t rrdw_queue_find(const struct rrdw_file *f, time_t t)
{
	size_t at = f->nq;

	while (at > 0 && f->q[at - 1].t > t)
		at--;
	return at;
}

/* s at position at (rrdw_queue_find), unless the queue is full of newer
 * ones; 0, or -1 when not queued. */
static int rrdw_queue_insert(struct gd_rrdw *w, struct rrdw_file *f,
			     size_t at, const struct rrdw_sample *s)
{
	if (rrdw_queue_room(w, f, &at) < 0)
		return -1;
	memmove(f->q + at + 1, f->q + at, (f->nq - at) * sizeof *f->q);
	f->q[at] = *s;
	f->nq++;
	return 0;
}

/* Queues a sample in time order; a second one for the same step replaces
 * the first. */
static int rrdw_queue_put(struct gd_rrdw *w, struct rrdw_file *f, time_t t,
			  const double *v, size_t n)
{
	struct rrdw_sample s = { .t = t };
	size_t at = rrdw_queue_find(f, t);

	if (at > 0 && f->q[at - 1].t == t) {
		memcpy(f->q[at - 1].v, v, n * sizeof *v);
		w->st.replaced++;
		return 0;
	}
	memcpy(s.v, v, n * sizeof *v);
	if (rrdw_queue_insert(w, f, at, &s) < 0)
		return 0;
	return rrdw_mark_dirty(w, f);
}

/* A kept sample sent again: in time order, unless one for its step is
 * queued (newer news); 1 when queued. */
static size_t rrdw_queue_resend(struct gd_rrdw *w, struct rrdw_file *f,
				const struct rrdw_sample *s)
{
	size_t at = rrdw_queue_find(f, s->t);

	if (at > 0 && f->q[at - 1].t == s->t)
		return 0;
	return rrdw_queue_insert(w, f, at, s) == 0;
}

/* --- samples rrdcached acknowledged ------------------------------------- */

/* The first n kept samples are forgotten. */
static void rrdw_kept_shift(struct rrdw_file *f, size_t n)
{
	if (n == 0)
		return;		/* f->k may be NULL yet */
	memmove(f->k, f->k + n, (f->nk - n) * sizeof *f->k);
	f->nk -= n;
}

static void rrdw_kept_clear(struct rrdw_file *f)
{
	f->nk = 0;
	f->resend = false;
}

static int rrdw_kept_grow(struct rrdw_file *f)
{
	struct rrdw_kept *k = rrdw_grow(f->k, &f->capk, sizeof *k, 4,
					GD_RRDW_RESEND_MAX);

	if (k == NULL)
		return -1;
	f->k = k;
	return 0;
}

/*
 * rrdcached acknowledged s: it is in its cache, and in its journal's
 * stdio buffer, which 1.7.2 writes out only when full; the cache reaches
 * the file within -w (300 s).  Kept until the window has passed (with the
 * daemon up), at most GD_RRDW_RESEND_MAX; a sample not newer than the
 * newest kept is already there.
 */
static void rrdw_keep(struct gd_rrdw *w, struct rrdw_file *f,
		      const struct rrdw_sample *s)
{
	size_t old = 0;

	if (w->rrdc == NULL || w->window == 0 ||
	    (f->nk > 0 && f->k[f->nk - 1].s.t >= s->t))
		return;
	while (old < f->nk && w->now - f->k[old].acked >= (time_t)w->window)
		old++;
	if (f->nk - old == GD_RRDW_RESEND_MAX)
		old++;
	rrdw_kept_shift(f, old);
	if (f->nk == f->capk && rrdw_kept_grow(f) < 0)
		return;		/* not kept: lost only if rrdcached dies too */
	f->k[f->nk++] = (struct rrdw_kept){ *s, w->now };
	w->kept_any = true;
}

/* Samples not newer than the file's last update: rrdtool would refuse
 * them ("illegal attempt to update"). */
static void rrdw_skip_old(struct gd_rrdw *w, struct rrdw_file *f)
{
	size_t n = 0;

	/* rrdcached's LAST said it has them (a batch that broke half-way):
	 * maybe in its cache only */
	for (; n < f->nq && f->q[n].t <= f->last; n++)
		rrdw_keep(w, f, &f->q[n]);
	rrdw_queue_shift(f, n);
	w->st.skipped += n;
}

/* The queue is written, or acknowledged by rrdcached (then kept). */
static void rrdw_written(struct gd_rrdw *w, struct rrdw_file *f)
{
	for (size_t i = 0; i < f->nq; i++)
		rrdw_keep(w, f, &f->q[i]);
	f->last = f->q[f->nq - 1].t;
	w->st.written += f->nq;
	f->nq = 0;
}

/* --- checking and creating files ----------------------------------------- */

static const rrd_info_t *rrdw_info(const rrd_info_t *info, const char *key,
				   rrd_info_type_t type)
{
	for (; info != NULL; info = info->next)
		if (strcmp(info->key, key) == 0)
			return info->type == type ? info : NULL;
	return NULL;
}

static size_t rrdw_info_nds(const rrd_info_t *info)
{
	size_t n = 0;

	for (; info != NULL; info = info->next) {
		size_t len = strlen(info->key);

		if (strncmp(info->key, "ds[", 3) == 0 && len > 9 &&
		    strcmp(info->key + len - 7, "].index") == 0)
			n++;
	}
	return n;
}

static bool rrdw_why(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Says why the file differs; true, for the callers' return. */
static bool rrdw_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return true;
}

/* Does data source number index of the file match def ("DS:name:TYPE:...")? */
static bool rrdw_ds_differs(const rrd_info_t *info, const char *def,
			    size_t index, char *why, size_t len)
{
	char name[32], type[32], key[64];
	const rrd_info_t *p;

	if (sscanf(def, "DS:%31[^:]:%31[^:]", name, type) != 2)
		return rrdw_why(why, len, "bad layout \"%s\"", def);
	snprintf(key, sizeof key, "ds[%s].index", name);
	p = rrdw_info(info, key, RD_I_CNT);
	if (p == NULL || p->value.u_cnt != index)
		return rrdw_why(why, len, "no data source %s at position %zu",
				name, index + 1);
	snprintf(key, sizeof key, "ds[%s].type", name);
	p = rrdw_info(info, key, RD_I_STR);
	if (p == NULL || strcmp(p->value.u_str, type) != 0)
		return rrdw_why(why, len, "data source %s is %s, not %s", name,
				p ? p->value.u_str : "?", type);
	return false;
}

/* Step, and data sources by name, position and type (RRAs may be tuned). */
static bool rrdw_layout_differs(const rrd_info_t *info, enum gd_rrd_kind kind,
				char *why, size_t len)
{
	const rrd_info_t *step = rrdw_info(info, "step", RD_I_CNT);
	size_t n = rrdw_kinds[kind].n, have = rrdw_info_nds(info);

	if (step == NULL || step->value.u_cnt != GD_RRD_STEP)
		return rrdw_why(why, len, "step %lu, not %d",
				step ? step->value.u_cnt : 0, GD_RRD_STEP);
	if (have != n)
		return rrdw_why(why, len, "%zu data sources, not %zu", have, n);
	for (size_t i = 0; i < n; i++)
		if (rrdw_ds_differs(info, rrdw_kinds[kind].ds[i], i, why, len))
			return true;
	return false;
}

/* Left alone: reported the first time (a failure of this flush), looked
 * at again after RRDW_RECHECK in case the operator moved it away. */
static int rrdw_mismatch(struct gd_rrdw *w, struct rrdw_file *f,
			 const char *why)
{
	w->st.dropped += f->nq;
	f->nq = 0;
	rrdw_kept_clear(f);
	f->state = RRDW_BAD;
	f->bad_since = time(NULL);
	if (f->reported)
		return 0;
	f->reported = true;
	w->st.mismatched++;
	return rrdw_fail(w, f, "rrd: %s: %s (layout: common/rrdlayout.h); "
			 "not written, left alone", f->path, why);
}

static int rrdw_check_existing(struct gd_rrdw *w, struct rrdw_file *f)
{
	const rrd_info_t *last;
	rrd_info_t *info;
	char why[160];

	rrd_clear_error();
	info = rrd_info_r(f->path);
	if (info == NULL)
		return rrdw_fail(w, f, "rrd: %s", rrd_get_error());
	if (rrdw_layout_differs(info, f->kind, why, sizeof why)) {
		rrd_info_free(info);
		return rrdw_mismatch(w, f, why);
	}
	last = rrdw_info(info, "last_update", RD_I_CNT);
	f->last = last ? (time_t)last->value.u_cnt : 0;
	rrd_info_free(info);
	f->reported = false;
	/* rrdcached may hold updates newer than the file's header */
	f->state = w->rrdc ? RRDW_NEED_LAST : RRDW_OK;
	return 0;
}

static int rrdw_fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* A rename that never replaces: a file that appeared meanwhile is someone
 * else's and stays.  link+unlink where the filesystem lacks the flag. */
static int rrdw_rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(from, to) < 0)
		return -1;
	return unlink(from);
}

/* rrd_create's DS and RRA arguments for a kind; how many. */
static int rrdw_create_args(enum gd_rrd_kind kind, const char **argv)
{
	int argc = 0;

	for (size_t i = 0; i < rrdw_kinds[kind].n; i++)
		argv[argc++] = rrdw_kinds[kind].ds[i];
	for (size_t i = 0; i < RRDW_LEN(rrdw_rras); i++)
		argv[argc++] = rrdw_rras[i];
	return argc;
}

/* The layout's file, complete and on disk, under a temporary name
 * (tmp: PATH_MAX bytes). */
static int rrdw_create_tmp(struct gd_rrdw *w, struct rrdw_file *f,
			   time_t start, char *tmp)
{
	const char *argv[RRDW_MAX_DS + RRDW_LEN(rrdw_rras)];
	int argc = rrdw_create_args(f->kind, argv), fd;

	snprintf(tmp, PATH_MAX, "%s.tmp.XXXXXX", f->path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return rrdw_fail(w, f, "rrd: %s: %s", tmp, strerror(errno));
	/* librrd gives its file the mode of the one it replaces: not
	 * mkostemp's 0600, the renderer may be another user */
	fchmod(fd, RRDW_FILE_MODE);
	close(fd);
	/* no_overwrite 0: librrd renames its own file over our tmp */
	rrd_clear_error();
	if (rrd_create_r2(tmp, GD_RRD_STEP, start, 0, NULL, NULL, argc,
			  argv) != 0) {
		rrdw_fail(w, f, "rrd: create %s: %s", f->path, rrd_get_error());
		unlink(tmp);
		return -1;
	}
	if (rrdw_fsync_path(tmp) < 0) {
		rrdw_fail(w, f, "rrd: fsync %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Created so that its first queued sample is the first update. */
static int rrdw_create(struct gd_rrdw *w, struct rrdw_file *f)
{
	time_t start = f->q[0].t - GD_RRD_STEP;
	char tmp[PATH_MAX];
	int saved;

	if (rrdw_create_tmp(w, f, start, tmp) < 0)
		return -1;
	if (rrdw_rename_new(tmp, f->path) < 0) {
		saved = errno;
		unlink(tmp);
		if (saved == EEXIST)
			return rrdw_check_existing(w, f);
		return rrdw_fail(w, f, "rrd: rename %s: %s", tmp, strerror(saved));
	}
	if (gd_fsync_dir_of(f->path) < 0)
		log_warn("rrd: fsync folder of %s: %s", f->path, strerror(errno));
	log_debug("rrd: created %s", f->path);
	w->st.created++;
	f->last = start;
	f->state = RRDW_OK;
	f->reported = false;
	f->forget = w->rrdc != NULL;
	rrdw_kept_clear(f);	/* an older file's */
	return 0;
}

static bool rrdw_over_budget(const struct gd_rrdw *w)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - w->flush_start.tv_sec) * 1000 +
	     (now.tv_nsec - w->flush_start.tv_nsec) / 1000000;
	return ms >= RRDW_CREATE_BUDGET_MS;
}

/* Checked, or created; past the budget a missing file stays unchecked. */
static int rrdw_check(struct gd_rrdw *w, struct rrdw_file *f)
{
	struct stat st;

	if (stat(f->path, &st) == 0)
		return rrdw_check_existing(w, f);
	if (errno != ENOENT)
		return rrdw_fail(w, f, "rrd: %s: %s", f->path, strerror(errno));
	if (rrdw_over_budget(w)) {
		w->deferred++;
		return 0;
	}
	return rrdw_create(w, f);
}

/* Makes sure of f before writing (checked or created); -1 when it failed
 * this flush.  Its queue is not empty. */
static int rrdw_prepare(struct gd_rrdw *w, struct rrdw_file *f, time_t now)
{
	if (f->state == RRDW_BAD && now - f->bad_since >= RRDW_RECHECK)
		f->state = RRDW_UNCHECKED;
	if (f->state == RRDW_UNCHECKED && rrdw_check(w, f) < 0)
		return -1;
	if (f->state == RRDW_BAD) {
		w->st.dropped += f->nq;
		f->nq = 0;
	}
	return 0;
}

/* --- direct writes ---------------------------------------------------- */

static int rrdw_write_direct(struct gd_rrdw *w, struct rrdw_file *f)
{
	const char *argv[GD_RRDW_MAX_QUEUED];

	for (size_t i = 0; i < f->nq; i++)
		argv[i] = rrdw_format(w->scratch[i], &f->q[i],
				      rrdw_kinds[f->kind].n);
	rrd_clear_error();
	if (rrd_update_r(f->path, NULL, (int)f->nq, argv) != 0) {
		f->state = RRDW_UNCHECKED;	/* deleted? partly written? */
		return rrdw_fail(w, f, "rrd: %s", rrd_get_error());
	}
	rrdw_written(w, f);
	return 0;
}

static void rrdw_flush_direct(struct gd_rrdw *w, time_t now)
{
	for (size_t i = 0; i < w->ndirty; i++) {
		struct rrdw_file *f = w->dirty[i];

		if (rrdw_prepare(w, f, now) < 0 || f->state != RRDW_OK)
			continue;
		rrdw_skip_old(w, f);
		if (f->nq > 0)
			rrdw_write_direct(w, f);
	}
}

/* --- through rrdcached -------------------------------------------------- */

/* rrdcached -B refuses paths outside its -b folder with EACCES, in its
 * own (C) locale's words. */
static const char *rrdw_hint(const char *msg)
{
	return strstr(msg, "Permission denied") ?
	       " (start rrdcached with -b covering DATA/rrd, or without -B)" : "";
}

struct rrdw_last_ctx {
	struct gd_rrdw *w;
	struct rrdw_file **files;	/* LAST asked for these */
	const char **paths;
	time_t *last;
	size_t n;
};

/* Checked again at the next flush: deleted meanwhile?  Its kept samples
 * belong to a file that is no more. */
static void rrdw_last_error(void *arg, size_t i, const char *msg)
{
	struct rrdw_last_ctx *ctx = arg;
	struct rrdw_file *f = ctx->files[i - 1];

	rrdw_kept_clear(f);
	f->state = RRDW_UNCHECKED;
	rrdw_fail(ctx->w, f, "rrd: rrdcached LAST %s: %s%s", f->path, msg,
		  rrdw_hint(msg));
}

/* Every file with samples failed this flush; how many. */
static size_t rrdw_fail_all(struct gd_rrdw *w)
{
	size_t n = 0;

	for (size_t i = 0; i < w->ndirty; i++)
		if (w->dirty[i]->nq > 0) {
			rrdw_fail_quiet(w, w->dirty[i]);
			n++;
		}
	return n;
}

/* rrdcached failed the whole flush: one line for all its files. */
static void rrdw_conn_failed(struct gd_rrdw *w, const char *what)
{
	size_t n = rrdw_fail_all(w);

	w->down = true;
	rrdw_log(&w->rl_conn, "rrd: rrdcached %s: %s; samples of %zu files "
		 "kept for the next flush", what, gd_rrdc_error(w->rrdc), n);
}

/* --- after a new connection: what rrdcached lost ----------------------- */

/* A file with kept samples: LAST is asked before anything is sent. */
static void rrdw_resync_visit(const void *node, VISIT which, void *arg)
{
	struct gd_rrdw *w = arg;
	struct rrdw_file *f = *(struct rrdw_file *const *)node;

	if ((which != postorder && which != leaf) || f->nk == 0)
		return;
	f->resend = true;
	if (f->state == RRDW_OK)
		f->state = RRDW_NEED_LAST;
	/* no memory: LAST is asked when it has a sample again */
	rrdw_mark_dirty(w, f);
	w->resync_files++;
}

/*
 * A new connection may be a restarted rrdcached that lost what it had
 * acknowledged on the old one (not yet in its journal file, nor in the
 * RRD file: rrdw.h).  Every file with kept samples asks LAST before
 * anything is sent; those acknowledged more than the window before the
 * old daemon was last seen up were on disk before it went.
 */
static void rrdw_resync_start(struct gd_rrdw *w)
{
	w->resync_files = 0;
	w->resent_now = 0;
	twalk_r(w->files, rrdw_resync_visit, w);
	w->resyncing = w->resync_files > 0;
	w->resend_after = w->alive_at - (time_t)w->window;
}

/* f's LAST on the new connection is f->last: kept samples newer than it
 * go back to the queue (sent once more, in time order, before anything
 * newer); the others stay kept, now in the new daemon's hands. */
static void rrdw_resend(struct gd_rrdw *w, struct rrdw_file *f)
{
	size_t keep = 0, n = 0;

	for (size_t i = 0; i < f->nk; i++) {
		struct rrdw_kept *k = &f->k[i];

		if (k->acked <= w->resend_after)
			continue;
		if (k->s.t > f->last)
			n += rrdw_queue_resend(w, f, &k->s);
		else
			f->k[keep++] = (struct rrdw_kept){ k->s, w->now };
	}
	f->nk = keep;
	f->resend = false;
	w->resent_now += n;
	w->st.resent += n;
}

/* One line per new connection that had something to ask. */
static void rrdw_resync_done(struct gd_rrdw *w)
{
	const char *addr = gd_rrdc_addr(w->rrdc);

	w->resyncing = false;
	if (w->resent_now > 0)
		log_notice("rrd: rrdcached %s: new connection; %zu samples it "
			   "had acknowledged are missing (killed before writing "
			   "them?): sending them again (%zu files asked)", addr,
			   w->resent_now, w->resync_files);
	else
		log_notice("rrd: rrdcached %s: new connection; nothing it had "
			   "acknowledged is missing (%zu files asked)", addr,
			   w->resync_files);
}

/* Nothing to write, but something kept: a restarted rrdcached is asked
 * now, not when the next sample comes. */
static void rrdw_probe(struct gd_rrdw *w)
{
	bool fresh;

	if (w->rrdc == NULL || !w->kept_any ||
	    gd_rrdc_open(w->rrdc, &fresh) != GD_RRDC_OK)
		return;
	if (fresh)
		rrdw_resync_start(w);
	else
		w->alive_at = w->now;
}

/* The files about to be sent that rrdcached may know more of than their
 * header says; -1 when memory ran out. */
static int rrdw_last_collect(struct gd_rrdw *w, struct rrdw_last_ctx *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < w->ndirty; i++)
		n += w->dirty[i]->state == RRDW_NEED_LAST;
	if (n == 0)
		return 0;
	ctx->files = malloc(n * sizeof *ctx->files);
	ctx->paths = malloc(n * sizeof *ctx->paths);
	ctx->last = malloc(n * sizeof *ctx->last);
	if (ctx->files == NULL || ctx->paths == NULL || ctx->last == NULL)
		return -1;
	for (size_t i = 0; i < w->ndirty; i++)
		if (w->dirty[i]->state == RRDW_NEED_LAST) {
			ctx->files[ctx->n] = w->dirty[i];
			ctx->paths[ctx->n++] = w->dirty[i]->path;
		}
	return 0;
}

/* No memory to ask: those files wait for the next flush. */
static void rrdw_last_nomem(struct gd_rrdw *w)
{
	log_err("rrd: out of memory");
	for (size_t i = 0; i < w->ndirty; i++)
		if (w->dirty[i]->state == RRDW_NEED_LAST)
			rrdw_fail_quiet(w, w->dirty[i]);
}

static void rrdw_last_known(struct gd_rrdw *w, struct rrdw_file *f,
			    time_t last)
{
	f->last = last;
	f->state = RRDW_OK;
	if (f->resend)
		rrdw_resend(w, f);
}

/* Asks rrdcached their last update (its cache included), pipelined.
 * rrdcached 1.7.2 answers it aligned down to the file's step (an update
 * at 127 s past a step says 120): ours are on steps, so it is our last. */
static int rrdw_learn_last(struct gd_rrdw *w)
{
	struct rrdw_last_ctx ctx = { .w = w };
	int rc = GD_RRDC_OK;

	if (rrdw_last_collect(w, &ctx) < 0)
		rrdw_last_nomem(w);
	else if (ctx.n > 0)
		rc = gd_rrdc_last(w->rrdc, ctx.paths, ctx.n, ctx.last,
				  rrdw_last_error, &ctx);
	for (size_t i = 0; rc == GD_RRDC_OK && i < ctx.n; i++)
		if (ctx.last[i] != (time_t)-1)
			rrdw_last_known(w, ctx.files[i], ctx.last[i]);
	free(ctx.files);
	free(ctx.paths);
	free(ctx.last);
	if (rc == GD_RRDC_OK && w->resyncing)
		rrdw_resync_done(w);
	return rc;
}

static int rrdw_batch_cmd(struct gd_rrdw *w, struct rrdw_file *f,
			  const char *cmd, const char *args)
{
	size_t n = gd_rrdc_batch_add(w->rrdc, cmd, f->path, args);

	if (n > w->capcmds) {
		size_t cap = w->capcmds ? 2 * w->capcmds : 1024;
		struct rrdw_cmd *p = realloc(w->cmds, cap * sizeof *p);

		if (p == NULL)
			n = 0;
		else {
			w->cmds = p;
			w->capcmds = cap;
		}
	}
	if (n == 0)
		return rrdw_fail(w, f, "rrd: %s: cannot queue %s for rrdcached",
				 f->path, cmd);
	w->cmds[n - 1] = (struct rrdw_cmd){ f, strcmp(cmd, "FORGET") == 0 };
	return 0;
}

/* One UPDATE per sample: an error line then names exactly one sample. */
static void rrdw_batch_file(struct gd_rrdw *w, struct rrdw_file *f)
{
	size_t nds = rrdw_kinds[f->kind].n;

	rrdw_skip_old(w, f);
	if (f->nq == 0)
		return;
	f->sent = true;
	if (f->forget && rrdw_batch_cmd(w, f, "FORGET", NULL) < 0)
		return;
	for (size_t i = 0; i < f->nq; i++)
		if (rrdw_batch_cmd(w, f, "UPDATE",
				   rrdw_format(w->scratch[0], &f->q[i], nds)) < 0)
			return;
}

static void rrdw_batch_error(void *arg, size_t cmd, const char *msg)
{
	struct gd_rrdw *w = arg;
	struct rrdw_cmd *c = &w->cmds[cmd - 1];

	/* FORGET of a file rrdcached holds nothing of: "No such file..." */
	if (c->forget)
		return;
	rrdw_fail(w, c->f, "rrd: rrdcached UPDATE %s: %s%s", c->f->path, msg,
		  rrdw_hint(msg));
}

/* After the batch: what rrdcached took is written; a file with an error
 * is checked again (deleted? written by someone else?); after a broken
 * batch LAST will tell what arrived.  Nothing reached it: all stays. */
static void rrdw_batch_done(struct gd_rrdw *w, int rc)
{
	for (size_t i = 0; i < w->ndirty; i++) {
		struct rrdw_file *f = w->dirty[i];

		if (!f->sent || rc == GD_RRDC_DOWN) {
			f->sent = false;
			continue;
		}
		f->sent = false;
		f->forget = false;	/* it ran, or LAST comes first */
		if (rc == GD_RRDC_LOST)
			f->state = RRDW_NEED_LAST;
		else if (f->failed)
			f->state = RRDW_UNCHECKED;
		else
			rrdw_written(w, f);
	}
}

static void rrdw_batch_build(struct gd_rrdw *w)
{
	gd_rrdc_batch_reset(w->rrdc);
	for (size_t i = 0; i < w->ndirty; i++)
		w->dirty[i]->sent = false;	/* from a try that failed */
	for (size_t i = 0; i < w->ndirty; i++)
		if (w->dirty[i]->state == RRDW_OK && !w->dirty[i]->failed)
			rrdw_batch_file(w, w->dirty[i]);
}

/* One try: the connection (a new one asks what rrdcached lost), LAST
 * where needed, the batch.  *what: the step that failed, for the log. */
static int rrdw_exchange(struct gd_rrdw *w, const char **what)
{
	bool fresh;
	int rc;

	*what = "connection";
	if (gd_rrdc_open(w->rrdc, &fresh) != GD_RRDC_OK)
		return GD_RRDC_DOWN;
	if (fresh)
		rrdw_resync_start(w);
	*what = "LAST";
	rc = rrdw_learn_last(w);
	if (rc != GD_RRDC_OK)
		return rc;
	rrdw_batch_build(w);
	rc = gd_rrdc_batch_send(w->rrdc, rrdw_batch_error, w);
	*what = rc == GD_RRDC_LOST ? "BATCH broke" : "BATCH";
	return rc;
}

static void rrdw_flush_cached(struct gd_rrdw *w, time_t now)
{
	const char *what;
	int rc;

	for (size_t i = 0; i < w->ndirty; i++)
		rrdw_prepare(w, w->dirty[i], now);
	rc = rrdw_exchange(w, &what);
	/* the daemon went away after gd_rrdc_open found the old connection
	 * alive: once more on a new one, which asks what it lost first */
	if (rc == GD_RRDC_DOWN && gd_rrdc_stale(w->rrdc))
		rc = rrdw_exchange(w, &what);
	if (rc != GD_RRDC_OK)
		rrdw_conn_failed(w, what);
	else if (w->down)
		log_notice("rrd: rrdcached %s: writing again", gd_rrdc_addr(w->rrdc));
	if (rc == GD_RRDC_OK)
		w->alive_at = now;
	w->down = rc != GD_RRDC_OK;
	rrdw_batch_done(w, rc);
}

/* --- the API ------------------------------------------------------------ */

int gd_rrdw_update(struct gd_rrdw *w, enum gd_rrd_kind kind, const char *id,
		   time_t t, const double *values, size_t nvalues)
{
	struct rrdw_file *f;

	if (!rrdw_kind_valid(kind) || !gd_id_valid(id) || values == NULL ||
	    nvalues != rrdw_kinds[kind].n) {
		errno = EINVAL;
		return -1;
	}
	f = rrdw_file_get(w, kind, id);
	if (f == NULL)
		return -1;
	t = gd_rrdw_align(t);
	if (f->state == RRDW_OK && t <= f->last) {
		w->st.skipped++;
		return 0;
	}
	return rrdw_queue_put(w, f, t, values, nvalues);
}

/* Files whose queue is empty leave the dirty list; the others stay, in
 * order, for the next flush.  Returns how many failed in this flush. */
static int rrdw_dirty_done(struct gd_rrdw *w)
{
	size_t kept = 0;
	int failed = 0;

	for (size_t i = 0; i < w->ndirty; i++) {
		struct rrdw_file *f = w->dirty[i];

		failed += f->failed;
		f->failed = false;
		f->dirty = f->nq > 0;
		if (f->dirty)
			w->dirty[kept++] = f;
	}
	w->ndirty = kept;
	return failed;
}

int gd_rrdw_flush(struct gd_rrdw *w)
{
	/* librrd reads numbers with '.': keep this thread's LC_NUMERIC "C" */
	locale_t old;
	time_t now = time(NULL);

	w->now = now;
	if (w->ndirty == 0)
		rrdw_probe(w);
	if (w->ndirty == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &w->flush_start);
	w->deferred = 0;
	old = uselocale(w->c_locale);
	if (w->rrdc != NULL)
		rrdw_flush_cached(w, now);
	else
		rrdw_flush_direct(w, now);
	uselocale(old);
	if (w->deferred > 0)
		log_info("rrd: %zu files still to create, at the next flush",
			 w->deferred);
	return rrdw_dirty_done(w);
}

static int rrdw_make_dirs(const char *datadir)
{
	char path[PATH_MAX];

	for (size_t k = 0; k < RRDW_LEN(rrdw_dirs); k++) {
		snprintf(path, sizeof path, "%s/rrd/%s", datadir, rrdw_dirs[k]);
		if (gd_mkdir_p(path, RRDW_DIR_MODE) < 0) {
			log_err("rrd: mkdir %s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* DATA as rrdcached compares it with its -b: absolute, no symlinks. */
static char *rrdw_datadir(const char *datadir)
{
	char *real = realpath(datadir, NULL);

	if (real == NULL)
		log_err("rrd: %s: %s", datadir, strerror(errno));
	else if (strlen(real) > RRDW_DATADIR_MAX) {
		log_err("rrd: %s: longer than %d bytes", real, RRDW_DATADIR_MAX);
		free(real);
		real = NULL;
	}
	return real;
}

struct gd_rrdw *gd_rrdw_new(const char *datadir, const char *rrdcached)
{
	struct gd_rrdw *w = calloc(1, sizeof *w);

	if (w == NULL)
		return NULL;
	w->rl_file = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 10);
	w->rl_conn = (struct gd_ratelimit)GD_RATELIMIT_INIT(300, 2);
	w->window = GD_RRDW_RESEND_WINDOW;
	w->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (w->c_locale == (locale_t)0 || rrdw_make_dirs(datadir) < 0 ||
	    (w->datadir = rrdw_datadir(datadir)) == NULL)
		goto fail;
	if (rrdcached != NULL && *rrdcached != '\0' &&
	    (w->rrdc = gd_rrdc_new(rrdcached, RRDW_TIMEOUT_MS)) == NULL)
		goto fail;
	log_info("rrd: writing %s/rrd %s%s", w->datadir,
		 w->rrdc ? "through rrdcached " : "directly",
		 w->rrdc ? rrdcached : "");
	return w;
fail:
	gd_rrdw_free(w);
	return NULL;
}

void gd_rrdw_set_resend_window(struct gd_rrdw *w, unsigned seconds)
{
	w->window = seconds;
}

void gd_rrdw_free(struct gd_rrdw *w)
{
	if (w == NULL)
		return;
	tdestroy(w->files, rrdw_file_free);
	free(w->dirty);
	free(w->cmds);
	gd_rrdc_free(w->rrdc);
	if (w->c_locale != (locale_t)0)
		freelocale(w->c_locale);
	free(w->datadir);
	free(w);
}
