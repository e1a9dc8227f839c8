/*
 * graph.c — graphs with rrd_graph_v, kept when unchanged; see graph.h.
 */
#include "graph.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rrd.h>

#include "afile.h"
#include "avail.h"
#include "log.h"
#include "manifest.h"
#include "text.h"

/* Bump when the look of the graphs changes: every graph is redrawn. */
#define GRAPH_STYLE "s1"
#define MANIFEST_NAME ".manifest"
#define ARGS_MAX 48
#define GRAPH_ARGS_ENV "GREENDOT_GRAPH_ARGS"

/* A graph to draw: decided by the run's process (one()), drawn by it
 * or by a worker (draw_batch()), accounted for by it (account()). */
struct job {
	enum gd_rrd_kind kind;
	enum model_period p;
	time_t end;
	char *path, *head;		/* the RRD file, the image's title */
	char file[MANIFEST_FILE_MAX], key[MANIFEST_KEY_MAX];
	struct model_graph *out;	/* the caller's, filled at the end */
	struct model_graph res;
	int rc;				/* 0 drawn; -1 failed or not done */
};

/* What a worker says of one job, through its pipe: under PIPE_BUF,
 * so one write() is one record. */
struct job_result {
	uint32_t i;
	int32_t rc;
	uint32_t width, height;
};

struct graph_run {
	char *datadir, *dir;
	struct manifest old, cur;
	struct graph_stats stats;
	struct job jobs[GRAPH_BATCH];
	size_t njobs;
	unsigned workers;
	bool warm;		/* a graph drawn in this process already */
};

/* The arguments of one rrd_graph_v call, each malloc'ed (librrd may
 * write into them). */
struct args {
	char *v[ARGS_MAX];
	int n;
	int error;
};

static void arg(struct args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct args *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (a->n == ARGS_MAX || vasprintf(&s, fmt, ap) < 0) {
		a->error = 1;
		s = NULL;
	}
	va_end(ap);
	if (s != NULL)
		a->v[a->n++] = s;
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

/* rrdtool splits DEF on ':'; a colon of the path is written "\:". */
static char *escape_colons(const char *path)
{
	char *out = malloc(strlen(path) * 2 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const char *p = path; *p; p++) {
		if (*p == ':' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void style_args(struct args *a)
{
	static const char *const colours[] = {
		"BACK#FFFFFF", "CANVAS#FFFFFF", "SHADEA#FFFFFF",
		"SHADEB#FFFFFF", "FONT#1F2328", "AXIS#57606A",
		"ARROW#57606A", "GRID#D0D7DE", "MGRID#AFB8C1",
	};

	for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
		arg(a, "--color");
		arg(a, "%s", colours[i]);
	}
	arg(a, "--border");
	arg(a, "0");
	arg(a, "--disable-rrdtool-tag");
	/* fontconfig finds these or the nearest it has (fonts-dejavu-core
	 * is in scripts/deps.sh) */
	arg(a, "--font");
	arg(a, "DEFAULT:8:DejaVu Sans");
	arg(a, "--font");
	arg(a, "TITLE:10:DejaVu Sans");
}

/* up = 1 serving, 0 down, U unknown: three stacked areas that add up
 * to 100 % wherever there is a sample. */
static void availability_args(struct args *a, const char *def)
{
	arg(a, "--vertical-label");
	arg(a, "%%");
	arg(a, "--upper-limit");
	arg(a, "100");
	arg(a, "--rigid");
	arg(a, "DEF:up=%s:up:AVERAGE", def);
	arg(a, "CDEF:ok=up,UN,0,up,100,*,IF");
	arg(a, "CDEF:bad=up,UN,0,100,up,100,*,-,IF");
	arg(a, "CDEF:unk=up,UN,100,0,IF");
	arg(a, "AREA:ok#2E7D32:Available");
	arg(a, "AREA:bad#C62828:Unavailable:STACK");
	arg(a, "AREA:unk#D0D7DE:No data:STACK");
}

/* latency in seconds; a tick where the server was down (up = 0) */
static void latency_args(struct args *a, const char *def)
{
	arg(a, "--vertical-label");
	arg(a, "ms");
	arg(a, "DEF:lat=%s:latency:AVERAGE", def);
	arg(a, "DEF:up=%s:up:AVERAGE", def);
	arg(a, "CDEF:ms=lat,1000,*");
	arg(a, "CDEF:down=up,0,EQ");
	arg(a, "CDEF:none=up,POP,UNKN");
	arg(a, "AREA:ms#90CAF9");
	arg(a, "LINE1:ms#1565C0:Response time");
	/* rrdtool 1.7 draws a TICK's legend box over its text: the legend
	 * comes from an empty area instead */
	arg(a, "TICK:down#C62828:1.0");
	arg(a, "AREA:none#C62828:Down");
}

/* "Incoming Mail: availability, last 24 hours" */
static void image_title(char *buf, size_t len, enum gd_rrd_kind kind,
			const char *title, enum model_period p)
{
	snprintf(buf, len, "%s: %s, %s", title,
		 kind == GD_RRD_SERVER ? "response time" : "availability",
		 model_periods[p].span);
}

static int build_args(struct args *a, const char *path, enum gd_rrd_kind kind,
		      const char *title, time_t end, enum model_period p)
{
	char *def = escape_colons(path);

	if (def == NULL)
		return -1;
	arg(a, "graph");
	arg(a, "-");
	arg(a, "--imgformat=PNG");
	arg(a, "--start=%lld", (long long)(end - model_periods[p].seconds));
	arg(a, "--end=%lld", (long long)end);
	arg(a, "--width=%d", GRAPH_WIDTH);
	arg(a, "--height=%d", GRAPH_HEIGHT);
	arg(a, "--lower-limit=0");
	arg(a, "--title");
	arg(a, "%s", title);
	style_args(a);
	if (kind == GD_RRD_SERVER)
		latency_args(a, def);
	else
		availability_args(a, def);
	free(def);
	return a->error ? -1 : 0;
}

/* The image and its size out of rrd_graph_v's answer. */
static int take_image(rrd_info_t *info, rrd_blob_t *img, unsigned *w,
		      unsigned *h)
{
	img->ptr = NULL;
	for (rrd_info_t *i = info; i != NULL; i = i->next) {
		if (strcmp(i->key, "image") == 0 && i->type == RD_I_BLO)
			*img = i->value.u_blo;
		else if (strcmp(i->key, "image_width") == 0 &&
			 i->type == RD_I_CNT)
			*w = (unsigned)i->value.u_cnt;
		else if (strcmp(i->key, "image_height") == 0 &&
			 i->type == RD_I_CNT)
			*h = (unsigned)i->value.u_cnt;
	}
	return img->ptr != NULL ? 0 : -1;
}

/*
 * Replaces path atomically (a temporary name in the folder, renamed
 * over it) but without an fsync each: images are regenerable, and a
 * run draws hundreds.  graph_close() flushes them all with one syncfs()
 * before it writes the manifest that vouches for them, so a crash
 * cannot leave a manifest naming an image that never reached the disk.
 */
static int replace_file(const char *path, const void *buf, size_t len)
{
	char tmp[4200];
	int fd, saved = EIO;
	bool ok;

	snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* a short write of a regular file is an error (ENOSPC) here */
	ok = fchmod(fd, 0644) == 0 && write(fd, buf, len) == (ssize_t)len;
	if (!ok && errno != 0)
		saved = errno;
	if (close(fd) < 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp, path) == 0)
		return 0;
	if (ok)
		saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

/* GREENDOT_GRAPH_ARGS (graph.h): before librrd may write into them.  One
 * write() of the whole line to a file opened O_APPEND: the workers'
 * lines never interleave. */
static void dump_args(const char *file, const struct args *a)
{
	const char *path = getenv(GRAPH_ARGS_ENV);
	char *line = NULL;
	size_t len = 0;
	FILE *mem;
	int fd;

	if (path == NULL || *path == '\0' ||
	    (mem = open_memstream(&line, &len)) == NULL)
		return;
	fputs(file, mem);
	for (int i = 0; i < a->n; i++)
		fprintf(mem, "\t%s", a->v[i]);
	fputc('\n', mem);
	if (fclose(mem) == 0 &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		       0644)) >= 0) {
		if (write(fd, line, len) != (ssize_t)len)
			log_warn("%s: %s", path, strerror(errno));
		close(fd);
	}
	free(line);
}

/* Draws one image into file (in dir).  0, or -1 (logged). */
static int draw(const char *dir, const char *file, struct args *a,
		struct model_graph *out)
{
	char path[4096];
	rrd_info_t *info;
	rrd_blob_t img;
	int rc = -1;

	dump_args(file, a);
	rrd_clear_error();
	info = rrd_graph_v(a->n, a->v);
	if (info == NULL || take_image(info, &img, &out->width,
				       &out->height) < 0) {
		log_err("graph %s: %s", file, rrd_get_error());
		goto out;
	}
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (replace_file(path, img.ptr, img.size) < 0) {
		log_err("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	rrd_info_free(info);
	return rc;
}

/* --- drawing, in parallel ------------------------------------------------ */

static void job_free(struct job *j)
{
	free(j->path);
	free(j->head);
	j->path = j->head = NULL;
}

/* Draws job j into dir: j->res and j->rc. */
static void draw_job(const char *dir, struct job *j)
{
	struct args a = { .n = 0 };

	j->rc = build_args(&a, j->path, j->kind, j->head, j->end, j->p) == 0 ?
		draw(dir, j->file, &a, &j->res) : -1;
	args_free(&a);
}

static void write_result(int fd, uint32_t i, const struct job *j)
{
	struct job_result r = { i, j->rc, j->res.width, j->res.height };

	/* the run's process finds out from the missing record */
	if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(1);
}

/* A worker: jobs first + k, first + k + n, ... of the batch, each
 * result down fd; it dies with the run's process. */
static __attribute__((noreturn)) void worker(struct graph_run *g,
					     size_t first, unsigned k,
					     unsigned n, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (size_t i = first + k; i < g->njobs; i += n) {
		draw_job(g->dir, &g->jobs[i]);
		write_result(fd, (uint32_t)i, &g->jobs[i]);
	}
	_exit(0);
}

/* Results from a worker's pipe until it closes. */
static void collect(struct graph_run *g, int fd)
{
	struct job_result r;
	ssize_t n;

	while ((n = read(fd, &r, sizeof r)) == (ssize_t)sizeof r ||
	       (n < 0 && errno == EINTR)) {
		if (n < 0 || r.i >= g->njobs)
			continue;
		g->jobs[r.i].rc = r.rc;
		g->jobs[r.i].res.width = r.width;
		g->jobs[r.i].res.height = r.height;
	}
}

static void reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return;
	if (WIFSIGNALED(status))
		log_err("graph worker killed by signal %d: its graphs are not "
			"drawn", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_err("graph worker exited with status %d",
			WEXITSTATUS(status));
}

/* Starts worker k of n: its pid and the read end of its pipe, or -1
 * (its share is then drawn here). */
static pid_t spawn(struct graph_run *g, size_t first, unsigned k, unsigned n,
		   int *fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		log_err("graph worker: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);		/* nothing buffered is written twice */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		worker(g, first, k, n, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		log_err("graph worker: fork: %s", strerror(errno));
		close(p[0]);
		return -1;
	}
	*fd = p[0];
	return pid;
}

/*
 * Draws the batch: job i goes to worker (i - first) % n, worker 0 being
 * this process, so that a run uses every core it was given (librrd
 * draws in one thread; PNG encoding is half its time).  The first graph
 * of a run is drawn here before any worker starts: the workers inherit
 * fontconfig and pango ready.  A job no worker reported stays failed
 * (rc -1, as one() made it).
 */
static void draw_batch(struct graph_run *g)
{
	pid_t pid[GRAPH_WORKERS_MAX];
	int fd[GRAPH_WORKERS_MAX];
	size_t first = 0;
	unsigned n = g->workers;

	if (!g->warm && g->njobs > 0) {
		draw_job(g->dir, &g->jobs[first++]);
		g->warm = true;
	}
	if (n > (g->njobs - first) / GRAPH_WORKER_MIN_JOBS)
		n = (unsigned)((g->njobs - first) / GRAPH_WORKER_MIN_JOBS);
	if (n <= 1) {
		for (size_t i = first; i < g->njobs; i++)
			draw_job(g->dir, &g->jobs[i]);
		return;
	}
	for (unsigned k = 1; k < n; k++)
		pid[k] = spawn(g, first, k, n, &fd[k]);
	for (size_t i = first; i < g->njobs; i++) {
		unsigned k = (unsigned)((i - first) % n);

		if (k == 0 || pid[k] < 0)
			draw_job(g->dir, &g->jobs[i]);
	}
	for (unsigned k = 1; k < n; k++)
		if (pid[k] > 0) {
			collect(g, fd[k]);
			close(fd[k]);
			reap(pid[k]);
		}
}

/* The batch's results into the callers' model_graph and the manifest. */
static void account(struct graph_run *g)
{
	for (size_t i = 0; i < g->njobs; i++) {
		struct job *j = &g->jobs[i];

		*j->out = (struct model_graph){ 0 };
		if (j->rc == 0) {
			*j->out = j->res;
			j->out->ok = true;
			g->stats.drawn++;
			if (manifest_add(&g->cur, j->file, j->key,
					 j->res.width, j->res.height) < 0) {
				j->out->ok = false;
				g->stats.failed++;
			}
		} else {
			g->stats.failed++;
		}
		job_free(j);
	}
	g->njobs = 0;
}

static void flush(struct graph_run *g)
{
	if (g->njobs == 0)
		return;
	draw_batch(g);
	account(g);
}

/* --- what to draw --------------------------------------------------------- */

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void graph_name(char *buf, size_t len, enum gd_rrd_kind kind, const char *id,
		enum model_period p)
{
	static const char *const kinds[] = GD_RRD_KIND_DIRS;

	snprintf(buf, len, "%s-%s-%s.png", kinds[kind], id,
		 model_periods[p].name);
}

static bool file_there(const struct graph_run *g, const char *file)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", g->dir, file);
	return access(path, F_OK) == 0;
}

/* One period of one object: kept when its key is the recorded one, or
 * a job of the batch (drawn when the batch is full or the caller is
 * done: out is filled then). */
static void one(struct graph_run *g, enum gd_rrd_kind kind, const char *id,
		const char *path, const char *title, time_t last,
		enum model_period p, struct model_graph *out)
{
	time_t end = last - last % model_periods[p].step;
	const struct manifest_entry *e;
	char head[1024];
	struct job *j = &g->jobs[g->njobs];

	*out = (struct model_graph){ 0 };
	*j = (struct job){ .kind = kind, .p = p, .end = end, .out = out,
			   .rc = -1 };
	graph_name(j->file, sizeof j->file, kind, id, p);
	image_title(head, sizeof head, kind, title, p);
	snprintf(j->key, sizeof j->key, "%lld-%dx%d-%s-%08x", (long long)end,
		 GRAPH_WIDTH, GRAPH_HEIGHT, GRAPH_STYLE, fnv1a(head));
	e = manifest_find(&g->old, j->file);
	if (e != NULL && strcmp(e->key, j->key) == 0 &&
	    file_there(g, j->file)) {
		*out = (struct model_graph){ true, e->width, e->height };
		g->stats.kept++;
		if (manifest_add(&g->cur, j->file, j->key, e->width,
				 e->height) < 0) {
			out->ok = false;
			g->stats.failed++;
		}
		return;
	}
	j->path = strdup(path);
	j->head = strdup(head);
	if (j->path == NULL || j->head == NULL) {
		job_free(j);
		g->stats.failed++;
		return;
	}
	if (++g->njobs == GRAPH_BATCH)
		flush(g);
}

/* graph_object() without the drawing: the jobs stay in the batch. */
static void object(struct graph_run *g, enum gd_rrd_kind kind, const char *id,
		   const char *title, unsigned mask,
		   struct model_graph out[PERIOD_N])
{
	char path[4096];
	char *clean = NULL;
	time_t last;

	memset(out, 0, PERIOD_N * sizeof *out);
	if (mask == 0 ||
	    avail_rrd_path(path, sizeof path, g->datadir, kind, id) < 0)
		return;
	avail_sync(path);
	rrd_clear_error();
	last = access(path, R_OK) == 0 ? rrd_last_r(path) : -1;
	clean = text_clean_line(title && *title ? title : id);
	if (last <= 0 || clean == NULL) {
		g->stats.nodata++;
		free(clean);
		return;
	}
	for (int p = 0; p < PERIOD_N; p++)
		if (mask & (1u << p))
			one(g, kind, id, path, clean, last, p, &out[p]);
	free(clean);
}

void graph_object(struct graph_run *g, enum gd_rrd_kind kind, const char *id,
		  const char *title, unsigned mask,
		  struct model_graph out[PERIOD_N])
{
	object(g, kind, id, title, mask, out);
	flush(g);
}

void graph_model(struct graph_run *g, struct model *m, unsigned server_mask)
{
	const unsigned all = (1u << PERIOD_N) - 1;

	for (size_t i = 0; i < m->nservices; i++)
		object(g, GD_RRD_SERVICE, m->services[i].st->id,
		       m->services[i].st->title, all, m->services[i].graph);
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].st != NULL)
			object(g, GD_RRD_GROUP, m->groups[i].st->id,
			       m->groups[i].st->title, all,
			       m->groups[i].graph);
	for (size_t i = 0; i < m->nservers; i++)
		object(g, GD_RRD_SERVER, m->servers[i].st->id,
		       m->servers[i].st->title, server_mask,
		       m->servers[i].graph);
	flush(g);
}

void graph_set_workers(struct graph_run *g, unsigned n)
{
	g->workers = n < 1 ? 1 : n > GRAPH_WORKERS_MAX ? GRAPH_WORKERS_MAX : n;
}

unsigned graph_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > GRAPH_WORKERS_MAX ? GRAPH_WORKERS_MAX :
		(unsigned)n;
}

struct graph_run *graph_open(const char *datadir, const char *outdir)
{
	struct graph_run *g = calloc(1, sizeof *g);
	char path[4096];

	if (g == NULL)
		return NULL;
	g->workers = 1;
	g->datadir = strdup(datadir);
	if (g->datadir == NULL ||
	    asprintf(&g->dir, "%s/%s", outdir, GRAPH_DIR) < 0) {
		g->dir = NULL;
		goto fail;
	}
	if (gd_mkdir_p(g->dir, 0755) < 0) {
		log_err("%s: %s", g->dir, strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof path, "%s/%s", g->dir, MANIFEST_NAME);
	manifest_read(&g->old, path);
	return g;
fail:
	free(g->datadir);
	free(g->dir);
	free(g);
	return NULL;
}

/* Ours: our images and the temporary files of an interrupted write. */
static bool ours(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".png") == 0) ||
	       strstr(name, ".png.tmp.") != NULL;
}

/* Removes the images of objects that are gone. */
static void prune(struct graph_run *g)
{
	DIR *d = opendir(g->dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!ours(e->d_name) || manifest_find(&g->cur, e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", g->dir, e->d_name);
		if (unlink(path) == 0)
			g->stats.removed++;
	}
	closedir(d);
}

/* The images drawn in this run onto the disk (see replace_file()). */
static int sync_images(const struct graph_run *g)
{
	int fd = open(g->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 ? syncfs(fd) : -1;

	if (rc < 0)
		log_err("%s: %s", g->dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

int graph_close(struct graph_run *g, struct graph_stats *stats)
{
	char path[4096];
	int rc;

	flush(g);

	rc = g->stats.drawn > 0 ? sync_images(g) : 0;
	snprintf(path, sizeof path, "%s/%s", g->dir, MANIFEST_NAME);
	if (rc == 0)
		rc = manifest_write(&g->cur, path);
	if (rc < 0)
		log_err("%s: %s", path, strerror(errno));
	else
		prune(g);
	if (stats != NULL)
		*stats = g->stats;
	manifest_free(&g->old);
	manifest_free(&g->cur);
	free(g->datadir);
	free(g->dir);
	free(g);
	return rc;
}
