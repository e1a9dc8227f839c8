/*
 * rrdw-bench — the RRD writer at scale, for the figures and `make bench`.
 *
 *   rrdw-bench [-a ADDR] [-n FILES] [-m STEPS] [-t T0] [-p PAUSE_MS]
 *              [-k server|group|service] [-q] DATA
 *
 * Writes the samples of FILES files (ids b000000, b000001, ...) for STEPS
 * steps through gd_rrdw: directly, or through rrdcached at ADDR
 * ("unix:/path" or "host:port").  Step i is at T0 + 60 i (default: STEPS
 * steps before now, aligned) with values up = i % 2 and, for servers and
 * groups, second = i, so a reader can tell every step apart.  One flush
 * per step, then PAUSE_MS milliseconds (default 0).
 *
 * Step 0 is the setup: flushed until every file is created (or checked,
 * when DATA has them) and written once; a flush creates files for a
 * second at most, so this may take several (the bench gives up when one
 * gets nothing done).  Prints
 *
 *   setup: N files in MS ms, K flushes (created N)
 *
 * then a line per later step (unless -q),
 *
 *   step I queue MS flush MS failed N
 *
 * and a summary, figures over steps 1.. (one flush each):
 *
 *   summary: mode direct|rrdcached files N steps M setup MS (created N)
 *            flush min|median|max MS MS MS per-file-us US
 *            written N skipped N errors N
 *
 * Exit 0 when every sample was written or skipped as already there, 1
 * otherwise, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rrdw.h"

struct bench {
	const char *addr, *datadir;
	enum gd_rrd_kind kind;
	long files, steps, pause_ms;
	time_t t0;
	bool quiet;
	double setup_ms;	/* step 0: creating or checking every file */
	double *flush_ms;	/* per step, from step 1 */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: rrdw-bench [-a ADDR] [-n FILES] [-m STEPS] "
		"[-t T0] [-p PAUSE_MS] [-k server|group|service] [-q] DATA\n");
	exit(2);
}

static long number(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0)
		usage();
	return n;
}

static enum gd_rrd_kind kind_of(const char *s)
{
	if (strcmp(s, "server") == 0)
		return GD_RRD_SERVER;
	if (strcmp(s, "group") == 0)
		return GD_RRD_GROUP;
	if (strcmp(s, "service") == 0)
		return GD_RRD_SERVICE;
	usage();
	return GD_RRD_SERVER;
}

static void parse(struct bench *b, int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "a:n:m:t:p:k:q")) != -1) {
		switch (c) {
		case 'a': b->addr = optarg; break;
		case 'n': b->files = number(optarg); break;
		case 'm': b->steps = number(optarg); break;
		case 't': b->t0 = (time_t)number(optarg); break;
		case 'p': b->pause_ms = number(optarg); break;
		case 'k': b->kind = kind_of(optarg); break;
		case 'q': b->quiet = true; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || b->files < 1 || b->steps < 1)
		usage();
	b->datadir = argv[optind];
	if (b->t0 == 0)
		b->t0 = gd_rrdw_align(time(NULL)) - GD_RRD_STEP * b->steps;
}

/* Queues step i for every file. */
static void queue_step(struct gd_rrdw *w, const struct bench *b, long i)
{
	double v[2] = { (double)(i % 2), (double)i };
	size_t n = b->kind == GD_RRD_SERVICE ? 1 : 2;
	char id[24];

	for (long f = 0; f < b->files; f++) {
		snprintf(id, sizeof id, "b%06ld", f);
		if (gd_rrdw_update(w, b->kind, id, b->t0 + GD_RRD_STEP * i, v, n) < 0) {
			fprintf(stderr, "rrdw-bench: update %s: %s\n", id,
				strerror(errno));
			exit(1);
		}
	}
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static unsigned long progress(const struct gd_rrdw_stats *st)
{
	return st->created + st->written + st->skipped;
}

/* Step 0: every file created (or checked) and written once.  A flush
 * creates files for a second at most, so this may take several; one
 * that gets nothing done ends it. */
static int setup(struct gd_rrdw *w, struct bench *b)
{
	struct gd_rrdw_stats st = { 0 };
	double t0 = now_ms();
	unsigned long before;
	int flushes = 0;

	queue_step(w, b, 0);
	do {
		before = progress(&st);
		flushes++;
		gd_rrdw_flush(w);
		gd_rrdw_stats(w, &st);
		if (progress(&st) == before)
			return -1;
	} while (st.written + st.skipped < (unsigned long)b->files);
	b->setup_ms = now_ms() - t0;
	printf("setup: %ld files in %.1f ms, %d flushes (created %lu)\n",
	       b->files, b->setup_ms, flushes, st.created);
	return 0;
}

static void run(struct gd_rrdw *w, struct bench *b)
{
	for (long i = 1; i < b->steps; i++) {
		double t0 = now_ms(), t1, t2;
		int failed;

		queue_step(w, b, i);
		t1 = now_ms();
		failed = gd_rrdw_flush(w);
		t2 = now_ms();
		b->flush_ms[i] = t2 - t1;
		if (!b->quiet)
			printf("step %ld queue %.3f flush %.3f failed %d\n", i,
			       t1 - t0, t2 - t1, failed);
		fflush(stdout);
		pause_ms(b->pause_ms);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int summary(struct gd_rrdw *w, struct bench *b)
{
	struct gd_rrdw_stats st;
	long later = b->steps - 1;
	double *f = b->flush_ms + 1, med = 0;

	gd_rrdw_stats(w, &st);
	qsort(f, (size_t)later, sizeof *f, cmp_double);
	if (later > 0)
		med = f[later / 2];
	printf("summary: mode %s files %ld steps %ld setup %.1f (created %lu) "
	       "flush min|median|max %.3f %.3f %.3f per-file-us %.2f "
	       "written %lu skipped %lu errors %lu\n",
	       b->addr ? "rrdcached" : "direct", b->files, b->steps,
	       b->setup_ms, st.created, later > 0 ? f[0] : 0, med,
	       later > 0 ? f[later - 1] : 0, med * 1e3 / (double)b->files,
	       st.written, st.skipped, st.errors);
	return st.written + st.skipped ==
	       (unsigned long)(b->files * b->steps) ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct bench b = { .files = 1000, .steps = 10, .kind = GD_RRD_SERVER };
	struct gd_rrdw *w;
	int rc;

	parse(&b, argc, argv);
	b.flush_ms = calloc((size_t)b.steps, sizeof *b.flush_ms);
	w = gd_rrdw_new(b.datadir, b.addr);
	rc = 1;
	if (b.flush_ms == NULL || w == NULL)
		goto out;
	if (setup(w, &b) < 0) {
		fprintf(stderr, "rrdw-bench: setup: a flush got nothing done\n");
		goto out;
	}
	run(w, &b);
	rc = summary(w, &b);
out:
	gd_rrdw_free(w);
	free(b.flush_ms);
	return rc;
}
