/*
 * test_timefmt.c — the uptime phrase at every boundary, ISO 8601 both
 * ways, and DateAndTime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

static void test_duration_boundaries(void **state)
{
	static const struct {
		uint64_t s;
		const char *phrase;
	} cases[] = {
		{ 0, "less than a minute" },
		{ 1, "less than a minute" },
		{ 59, "less than a minute" },
		{ 60, "1 minute" },
		{ 119, "1 minute" },
		{ 120, "2 minutes" },
		{ 42 * 60 + 30, "42 minutes" },
		{ 3599, "59 minutes" },
		{ 3600, "1 hour" },
		{ 7199, "1 hour" },
		{ 7200, "2 hours" },
		{ 5 * 3600 + 59 * 60, "5 hours" },
		{ 86399, "23 hours" },
		{ 86400, "1 day" },
		{ 172799, "1 day" },
		{ 172800, "2 days" },
		{ 3 * 86400 + 1, "3 days" },
		{ 4294967295ULL, "49710 days" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = gd_duration_phrase(buf, sizeof buf, cases[i].s);

		if (strcmp(buf, cases[i].phrase) != 0)
			fail_msg("%llu s: got \"%s\", want \"%s\"",
				 (unsigned long long)cases[i].s, buf,
				 cases[i].phrase);
		assert_int_equal(n, strlen(cases[i].phrase));
	}
}

static void test_iso8601_utc(void **state)
{
	char buf[64];

	(void)state;
	gd_time_iso8601(buf, sizeof buf, 1280244600, true);
	assert_string_equal(buf, "2010-07-27T15:30:00Z");
	gd_time_iso8601(buf, sizeof buf, 0, true);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void test_iso8601_local(void **state)
{
	char buf[64];

	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	gd_time_iso8601(buf, sizeof buf, 1280244600, false);
	assert_string_equal(buf, "2010-07-27T16:30:00+01:00");
	gd_time_iso8601(buf, sizeof buf, 1293840000, false);
	assert_string_equal(buf, "2011-01-01T00:00:00+00:00");
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	gd_time_iso8601(buf, sizeof buf, 1293840000, false);
	assert_string_equal(buf, "2010-12-31T20:30:00-03:30");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void test_iso8601_parse(void **state)
{
	static const struct {
		const char *s;
		long t;		/* -1: must be refused */
	} cases[] = {
		{ "2010-07-27T15:15:00+01:00", 1280240100 },
		{ "2010-07-27T14:15:00Z", 1280240100 },
		{ "2010-07-27T14:15Z", 1280240100 },
		{ "2010-07-27T14:15:00.250Z", 1280240100 },
		{ "2010-07-27T10:45:00-03:30", 1280240100 },
		{ "2012-02-29T00:00:00Z", 1330473600 },
		{ "2010-07-27T15:15:00", -1 },		/* no zone */
		{ "2010-07-27 15:15:00Z", -1 },
		{ "2010-13-01T00:00:00Z", -1 },
		{ "2010-02-31T00:00:00Z", -1 },
		{ "2010-07-27T24:00:00Z", -1 },
		{ "2010-07-27T15:15:00+1:00", -1 },
		{ "2010-07-27T15:15:00Zjunk", -1 },
		{ "", -1 },
		{ "yesterday", -1 },
	};
	time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = gd_time_parse_iso8601(cases[i].s, &t);

		if (cases[i].t < 0) {
			if (rc != -1)
				fail_msg("\"%s\" accepted", cases[i].s);
			assert_int_equal(errno, EINVAL);
		} else if (rc != 0 || t != cases[i].t) {
			fail_msg("\"%s\": rc %d, %ld != %ld", cases[i].s, rc,
				 (long)t, cases[i].t);
		}
	}
}

static void test_dateandtime(void **state)
{
	unsigned char dt[11];
	static const unsigned char zero[8] = { 0 };
	static const unsigned char plus_one[11] = {
		0x07, 0xda, 7, 27, 16, 30, 0, 0, '+', 1, 0 };
	time_t t;

	(void)state;
	gd_time_to_dateandtime(1280244600, dt);
	assert_int_equal((dt[0] << 8) | dt[1], 2010);
	assert_int_equal(dt[2], 7);
	assert_int_equal(dt[3], 27);
	assert_int_equal(dt[4], 15);
	assert_int_equal(dt[5], 30);
	assert_int_equal(dt[8], '+');
	assert_int_equal(gd_time_from_dateandtime(dt, 11, &t), 0);
	assert_int_equal(t, 1280244600);
	assert_int_equal(gd_time_from_dateandtime(dt, 8, &t), 0);
	assert_int_equal(t, 1280244600);
	assert_int_equal(gd_time_from_dateandtime(plus_one, 11, &t), 0);
	assert_int_equal(t, 1280244600);
	assert_int_equal(gd_time_from_dateandtime(zero, 8, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(gd_time_from_dateandtime(dt, 7, &t), -1);
	dt[2] = 13;
	assert_int_equal(gd_time_from_dateandtime(dt, 11, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_boundaries),
		cmocka_unit_test(test_iso8601_utc),
		cmocka_unit_test(test_iso8601_local),
		cmocka_unit_test(test_iso8601_parse),
		cmocka_unit_test(test_dateandtime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
