/*
 * test_graph.c — graphs drawn in-process, kept while their data did not
 * change, redrawn when it did or when the file went missing, removed
 * when their object is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <rrd.h>

#include "fixture.h"
#include "graph.h"
#include "log.h"
#include "model.h"
#include "state.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

#define ALL ((1u << PERIOD_N) - 1)

static char dir[] = "/tmp/gd-graph-XXXXXX";
static char out[300];

static int setup(void **state)
{
	struct fixture_opts o = { .now = FIXTURE_NOW };

	(void)state;
	gd_log_open("test", "n");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(out, sizeof out, "%s/out", dir);
	return fixture_write(dir, &o);
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

static const char *graph_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof path, "%s/%s/%s", out, GRAPH_DIR, name);
	return path;
}

/* A PNG of sensible size. */
static void check_png(const char *name, const struct model_graph *g)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					      0x1a, '\n' };
	unsigned char head[8];
	FILE *f = fopen(graph_path(name), "rb");

	assert_non_null(f);
	assert_int_equal(fread(head, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(head, sig, 8);
	assert_true(g->ok);
	assert_true(g->width > GRAPH_WIDTH && g->width < 2 * GRAPH_WIDTH);
	assert_true(g->height > GRAPH_HEIGHT && g->height < 3 * GRAPH_HEIGHT);
}

/* One run over the service incoming-mail: the stats it reports. */
static struct graph_stats run(const char *id, unsigned mask,
			      struct model_graph g[PERIOD_N])
{
	struct graph_run *r = graph_open(dir, out);
	struct graph_stats st;

	assert_non_null(r);
	graph_object(r, GD_RRD_SERVICE, id, "Incoming <Mail>", mask, g);
	assert_int_equal(graph_close(r, &st), 0);
	return st;
}

static void test_draw_then_keep(void **state)
{
	struct model_graph g[PERIOD_N];
	struct graph_stats st;
	char name[128];

	(void)state;
	st = run("incoming-mail", ALL, g);
	assert_int_equal(st.drawn, PERIOD_N);
	for (int p = 0; p < PERIOD_N; p++) {
		graph_name(name, sizeof name, GD_RRD_SERVICE, "incoming-mail",
			   p);
		check_png(name, &g[p]);
	}
	st = run("incoming-mail", ALL, g);
	assert_int_equal(st.drawn, 0);
	assert_int_equal(st.kept, PERIOD_N);
	assert_true(g[PERIOD_DAY].ok && g[PERIOD_DAY].width > 0);
}

/* One more sample: the day graph changes; the week's 5-minute row is
 * not complete yet, nor the month's hour or the year's day. */
static void test_redraw_on_new_data(void **state)
{
	const char *argv[] = { "1280534460:1" };
	struct model_graph g[PERIOD_N];
	char path[512];
	struct graph_stats st;

	(void)state;
	run("web-access", ALL, g);
	snprintf(path, sizeof path, "%s/rrd/service/web-access.rrd", dir);
	assert_int_equal(rrd_update_r(path, NULL, 1, argv), 0);
	st = run("web-access", ALL, g);
	assert_int_equal(st.drawn, 1);
	assert_int_equal(st.kept, PERIOD_N - 1);
}

static void test_redraw_missing_file(void **state)
{
	struct model_graph g[PERIOD_N];
	struct graph_stats st;

	(void)state;
	run("client-access", ALL, g);
	assert_int_equal(unlink(graph_path("service-client-access-week.png")),
			 0);
	st = run("client-access", ALL, g);
	assert_int_equal(st.drawn, 1);
	assert_int_equal(access(graph_path("service-client-access-week.png"),
				F_OK), 0);
}

/* Graphs not made in a run are removed; no RRD, no graph. */
static void test_prune_and_nodata(void **state)
{
	struct model_graph g[PERIOD_N];
	struct graph_stats st;

	(void)state;
	run("incoming-mail", ALL, g);
	st = run("hosting-service", ALL, g);
	assert_int_equal(st.nodata, 1);
	assert_false(g[PERIOD_DAY].ok);
	assert_true(st.removed >= PERIOD_N);
	assert_int_equal(access(graph_path("service-incoming-mail-day.png"),
				F_OK), -1);
}

static void test_mask(void **state)
{
	struct model_graph g[PERIOD_N];
	struct graph_stats st;

	(void)state;
	st = run("incoming-mail", 1u << PERIOD_DAY, g);
	assert_int_equal(st.drawn + st.kept, 1);
	assert_true(g[PERIOD_DAY].ok);
	assert_false(g[PERIOD_YEAR].ok);
}

/* The fixture's whole site (graph_model) into sub/ with n processes. */
static struct graph_stats run_model(const char *sub, unsigned n,
				    struct model *m)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;
	struct graph_stats stats;
	struct graph_run *r;
	char path[512];

	snprintf(path, sizeof path, "%s/state.xml", dir);
	assert_int_equal(gd_state_read(path, NULL, &st, &errs), 0);
	assert_int_equal(model_build(m, st, NULL, FIXTURE_NOW), 0);
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	r = graph_open(dir, path);
	assert_non_null(r);
	graph_set_workers(r, n);
	graph_model(r, m, ALL);
	assert_int_equal(graph_close(r, &stats), 0);
	gd_errlist_clear(&errs);
	return stats;
}

static char *slurp(const char *sub, const char *name, size_t *len)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s/%s/%s", dir, sub, GRAPH_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void same_graphs(const struct model_graph *a,
			const struct model_graph *b, enum gd_rrd_kind kind,
			const char *id, size_t *compared)
{
	char name[128];

	for (int p = 0; p < PERIOD_N; p++) {
		size_t la, lb;
		char *ia, *ib;

		assert_int_equal(a[p].ok, b[p].ok);
		if (!a[p].ok)
			continue;
		assert_int_equal(a[p].width, b[p].width);
		assert_int_equal(a[p].height, b[p].height);
		graph_name(name, sizeof name, kind, id, p);
		ia = slurp("serial", name, &la);
		ib = slurp("parallel", name, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(ia, ib, la);
		free(ia);
		free(ib);
		(*compared)++;
	}
}

/* Three workers draw what one process draws, byte for byte, and report
 * the same sizes; the graphs are dealt out (more than one worker's
 * share), and a second run keeps them all. */
static void test_workers(void **state)
{
	struct model one, three, again;
	struct graph_stats s1, s3;
	size_t compared = 0;

	(void)state;
	s1 = run_model("serial", 1, &one);
	s3 = run_model("parallel", 3, &three);
	assert_true(s1.drawn > 3 * GRAPH_WORKER_MIN_JOBS);
	assert_int_equal(s3.drawn, s1.drawn);
	assert_int_equal(s3.failed, 0);
	assert_int_equal(s3.nodata, s1.nodata);
	for (size_t i = 0; i < one.nservices; i++)
		same_graphs(one.services[i].graph, three.services[i].graph,
			    GD_RRD_SERVICE, one.services[i].st->id, &compared);
	for (size_t i = 0; i < one.ngroups; i++)
		if (one.groups[i].st != NULL)
			same_graphs(one.groups[i].graph,
				    three.groups[i].graph, GD_RRD_GROUP,
				    one.groups[i].st->id, &compared);
	for (size_t i = 0; i < one.nservers; i++)
		same_graphs(one.servers[i].graph, three.servers[i].graph,
			    GD_RRD_SERVER, one.servers[i].st->id, &compared);
	assert_int_equal(compared, s1.drawn);
	s3 = run_model("parallel", 3, &again);
	assert_int_equal(s3.drawn, 0);
	assert_int_equal(s3.kept, s1.drawn);
	assert_int_equal(again.servers[0].graph[PERIOD_DAY].width,
			 one.servers[0].graph[PERIOD_DAY].width);
	model_free(&one);
	model_free(&three);
	model_free(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_then_keep),
		cmocka_unit_test(test_redraw_on_new_data),
		cmocka_unit_test(test_redraw_missing_file),
		cmocka_unit_test(test_prune_and_nodata),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_workers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
