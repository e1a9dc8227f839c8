/*
 * test_avail.c — availability over each window from RRDs with a known
 * history (fixture.h), so every figure is known exactly.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "avail.h"
#include "fixture.h"
#include "log.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-avail-XXXXXX";

static int setup(void **state)
{
	struct fixture_opts o = { .now = FIXTURE_NOW };

	(void)state;
	gd_log_open("test", "n");
	if (mkdtemp(dir) == NULL)
		return -1;
	return fixture_write(dir, &o);
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

/* The ratio of one object over period p (NAN: no data, -2: error). */
static double ratio(enum gd_rrd_kind kind, const char *id,
		    enum model_period p)
{
	char path[512];
	double r;

	assert_int_equal(avail_rrd_path(path, sizeof path, dir, kind, id), 0);
	if (avail_ratio(path, FIXTURE_NOW, model_periods[p].seconds,
			model_periods[p].step, &r) < 0)
		return -2;
	return r;
}

static void near(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("%.12f != %.12f", got, want);
}

static void test_windows(void **state)
{
	static const struct {
		enum gd_rrd_kind kind;
		const char *id;
		double want[PERIOD_N];
	} cases[] = {
		/* down 6 of the last 24 h; 66 of 72 h of history up */
		{ GD_RRD_SERVICE, "incoming-mail",
		  { 0.75, 66.0 / 72, 66.0 / 72, 66.0 / 72 } },
		/* known for 48 h, down 1 h of them */
		{ GD_RRD_SERVICE, "client-access",
		  { 23.0 / 24, 47.0 / 48, 47.0 / 48, 47.0 / 48 } },
		{ GD_RRD_SERVICE, "web-access", { 1, 1, 1, 1 } },
		/* down 3 minutes */
		{ GD_RRD_GROUP, "spam-firewall",
		  { 1 - 3.0 / 1440, 1 - 3.0 / 4320, 1 - 3.0 / 4320,
		    1 - 3.0 / 4320 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (int p = 0; p < PERIOD_N; p++)
			near(ratio(cases[i].kind, cases[i].id, p),
			     cases[i].want[p]);
}

/* Maintenance, standby, unknown: no known sample, no availability. */
static void test_never_known(void **state)
{
	(void)state;
	for (int p = 0; p < PERIOD_N; p++) {
		assert_true(isnan(ratio(GD_RRD_SERVER, "av3", p)));
		assert_true(isnan(ratio(GD_RRD_SERVER, "store3", p)));
	}
	/* no file */
	assert_true(ratio(GD_RRD_SERVICE, "hosting-service", PERIOD_DAY) == -2);
}

/* A window wholly before the file: no data. */
static void test_before_history(void **state)
{
	char path[512];
	double r;

	(void)state;
	avail_rrd_path(path, sizeof path, dir, GD_RRD_SERVICE, "web-access");
	assert_int_equal(avail_ratio(path, FIXTURE_NOW - 10 * 86400, 86400, 60,
				     &r), 0);
	assert_true(isnan(r));
}

static void test_paths(void **state)
{
	char path[64];

	(void)state;
	assert_int_equal(avail_rrd_path(path, sizeof path, "/d",
					GD_RRD_GROUP, "web"), 0);
	assert_string_equal(path, "/d/rrd/group/web.rrd");
	assert_int_equal(avail_rrd_path(path, sizeof path, "/d",
					GD_RRD_GROUP, "../x"), -1);
	assert_int_equal(avail_rrd_path(path, sizeof path, "/d",
					GD_RRD_GROUP, ""), -1);
	assert_int_equal(avail_rrd_path(path, 8, "/d", GD_RRD_GROUP, "web"),
			 -1);
}

/* avail_fill() on the model of the fixture's state. */
static void test_fill(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;
	struct model m;
	char path[512];

	(void)state;
	snprintf(path, sizeof path, "%s/state.xml", dir);
	assert_int_equal(gd_state_read(path, NULL, &st, &errs), 0);
	assert_int_equal(model_build(&m, st, NULL, FIXTURE_NOW), 0);
	avail_fill(&m, dir);
	near(m.services[0].avail[PERIOD_DAY], 0.75);
	assert_true(isnan(m.services[3].avail[PERIOD_YEAR]));
	near(m.groups[4].avail[PERIOD_DAY], 0.75);	/* mail-storage */
	model_free(&m);
	gd_errlist_clear(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_never_known),
		cmocka_unit_test(test_before_history),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_fill),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
