/*
 * test_fuzz_regress.c — the bugs the fuzz harnesses (tests/fuzz/) found in
 * common/, each kept fixed here as a plain test; the inputs themselves
 * are in tests/fuzz/corpus/ and tests/fuzz/crashes/ for make fuzz-regress.
 * Also the memory entry points the harnesses use, against the file ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "errlist.h"
#include "log.h"
#include "state.h"
#include "timefmt.h"
#include "xmlsafe.h"

/*
 * fuzz_config, seed latin1.xml: libxml2 says only "Element X failed to
 * validate attributes", without a line, once per element; each vague
 * message excused the other, both were dropped, and the config was
 * refused with no message at all.
 */
static void test_config_refused_says_why(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		"<greendot title=\"caf\xe9\"><area id=\"a\" title=\"\xe9t\xe9\">"
		"<group id=\"g\"><server id=\"s\" host=\"h\" port=\"1\"/>"
		"</group></area></greendot>";
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;

	(void)state;
	assert_int_equal(gd_config_load_memory(text, sizeof text - 1, "l1.xml",
					       NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_true(errs.n > 0);
	gd_errlist_clear(&errs);
}

static void test_drop_vague_keeps_one(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;

	(void)state;
	/* two vague ones alone: both stay */
	gd_errlist_add(&el, "f", 0, "Element a failed to validate attributes");
	gd_errlist_add(&el, "f", 0, "Element b failed to validate attributes");
	gd_errlist_drop_vague(&el, "failed to validate attributes");
	assert_int_equal(el.n, 2);
	/* one that says more, at their line: they go */
	gd_errlist_add(&el, "f", 0, "Invalid attribute x for element a");
	gd_errlist_drop_vague(&el, "failed to validate attributes");
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, "Invalid attribute x for element a");
	/* another line does not excuse it */
	gd_errlist_add(&el, "f", 3, "Element c failed to validate attributes");
	gd_errlist_drop_vague(&el, "failed to validate attributes");
	assert_int_equal(el.n, 2);
	gd_errlist_clear(&el);
}

/* fuzz_iso8601, crashes/iso8601/leap-second: a real leap second
 * (23:59:60 at the end of a day) was refused, 12:00:60 accepted. */
static void test_iso8601_leap_second(void **state)
{
	time_t t = 0;

	(void)state;
	assert_int_equal(gd_time_parse_iso8601("2016-12-31T23:59:60Z", &t), 0);
	assert_int_equal(t, 1483228800);	/* 2017-01-01T00:00:00Z */
	assert_int_equal(gd_time_parse_iso8601("2016-06-30T23:59:60Z", &t), 0);
	assert_int_equal(gd_time_parse_iso8601("2024-02-29T00:00:00Z", &t), 0);
	assert_int_equal(gd_time_parse_iso8601("2000-02-29T00:00:00Z", &t), 0);
	errno = 0;
	assert_int_equal(gd_time_parse_iso8601("2023-02-29T00:00:00Z", &t), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(gd_time_parse_iso8601("2100-02-29T00:00:00Z", &t), -1);
	assert_int_equal(gd_time_parse_iso8601("2026-04-31T00:00:00Z", &t), -1);
}

/* fuzz_iso8601, crashes/iso8601/year-0210: strftime's %Y wrote the year
 * 210 as "210", which the parser (rightly) refuses. */
static void test_iso8601_four_digit_year(void **state)
{
	char buf[64];
	time_t t = 0, back = 0;

	(void)state;
	assert_int_equal(gd_time_parse_iso8601("0210-07-27T15:15-05:30", &t), 0);
	assert_int_equal(gd_time_iso8601(buf, sizeof buf, t, true), 20);
	assert_string_equal(buf, "0210-07-27T20:45:00Z");
	assert_int_equal(gd_time_parse_iso8601(buf, &back), 0);
	assert_int_equal(back, t);
	/* too small a buffer: 0, as before */
	assert_int_equal(gd_time_iso8601(buf, 20, t, true), 0);
}

/* fuzz_dateandtime, corpus/dateandtime/d4: 31 February was taken as
 * 3 March. */
static void test_dateandtime_no_such_day(void **state)
{
	static const unsigned char feb31[11] = { 2023 >> 8, 2023 & 0xff, 2, 31,
						 0, 0, 0, 0, '+', 0, 0 };
	static const unsigned char feb29[11] = { 2024 >> 8, 2024 & 0xff, 2, 29,
						 0, 0, 0, 0, '+', 0, 0 };
	time_t t = 0;

	(void)state;
	assert_int_equal(gd_time_from_dateandtime(feb31, 11, &t), -1);
	assert_int_equal(gd_time_from_dateandtime(feb29, 11, &t), 0);
	assert_int_equal(t, 1709164800);
}

/* The memory entry points give what the file ones give. */
static void test_memory_loaders(void **state)
{
	static const char cfg_text[] =
		"<greendot><area id=\"a\" colour=\"grey\"><group id=\"g\">"
		"<server id=\"s\" probe=\"tcp\" host=\"h\" port=\"1\"/>"
		"</group></area></greendot>";
	static const char st_text[] =
		"<state xmlns=\"urn:greendot:state:1\" version=\"1\" "
		"generated=\"2026-11-28T23:15:06Z\"><agent peer=\"p\" "
		"reachable=\"true\"><service id=\"x\" status=\"up\"/></agent>"
		"</state>";
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	struct gd_state *st = NULL;

	(void)state;
	assert_int_equal(gd_config_load_memory(cfg_text, sizeof cfg_text - 1,
					       "m.xml", NULL, &cfg, &errs), 0);
	assert_int_equal(cfg->nservers, 1);
	assert_string_equal(cfg->file, "m.xml");
	gd_config_free(cfg);
	assert_int_equal(gd_state_read_memory(st_text, sizeof st_text - 1,
					      "s.xml", NULL, &st, &errs), 0);
	assert_int_equal(st->nagents, 1);
	assert_string_equal(st->agents[0].services[0].id, "x");
	gd_state_free(st);
	assert_int_equal(errs.n, 0);
	/* and refuse the way they do, "file:line: message" */
	assert_int_equal(gd_state_read_memory("<state/>", 8, "s.xml", NULL, &st,
					      &errs), -1);
	assert_true(errs.n > 0);
	assert_string_equal(errs.v[0].file, "s.xml");
	gd_errlist_clear(&errs);
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_refused_says_why),
		cmocka_unit_test(test_drop_vague_keeps_one),
		cmocka_unit_test(test_iso8601_leap_second),
		cmocka_unit_test(test_iso8601_four_digit_year),
		cmocka_unit_test(test_dateandtime_no_such_day),
		cmocka_unit_test(test_memory_loaders),
	};

	gd_log_open("test_fuzz_regress", "n");
	return cmocka_run_group_tests(tests, NULL, teardown);
}
