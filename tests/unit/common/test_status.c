/*
 * test_status.c — the derivation rules of status.h, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "status.h"

#define UP GD_STATUS_UP
#define DEG GD_STATUS_DEGRADED
#define DOWN GD_STATUS_DOWN
#define UNK GD_STATUS_UNKNOWN

static void test_group_status(void **state)
{
	static const struct {
		struct gd_member_counts c;
		enum gd_status want;
	} cases[] = {
		{ { 0, 0, 0 }, UNK },	/* no active member */
		{ { 2, 0, 0 }, UP },
		{ { 1, 0, 1 }, UP },	/* unknown ones aside */
		{ { 1, 1, 0 }, DEG },
		{ { 1, 2, 3 }, DEG },
		{ { 0, 2, 0 }, DOWN },
		{ { 0, 1, 1 }, UNK },	/* the unknown one may be up */
		{ { 0, 0, 3 }, UNK },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum gd_status got = gd_group_status(&cases[i].c);

		if (got != cases[i].want)
			fail_msg("up %u down %u unknown %u: got %s want %s",
				 cases[i].c.up, cases[i].c.down,
				 cases[i].c.unknown, gd_status_name(got),
				 gd_status_name(cases[i].want));
	}
}

static void test_need_truth(void **state)
{
	static const struct {
		enum gd_status g[3];
		size_t n;
		enum gd_truth want;
	} cases[] = {
		{ { UP }, 1, GD_TRUE },
		{ { DEG }, 1, GD_TRUE },
		{ { DOWN }, 1, GD_FALSE },
		{ { UNK }, 1, GD_UNKNOWN },
		{ { DOWN, UP }, 2, GD_TRUE },
		{ { DOWN, DOWN }, 2, GD_FALSE },
		{ { DOWN, UNK }, 2, GD_UNKNOWN },
		{ { UNK, DEG, DOWN }, 3, GD_TRUE },
		{ { UP }, 0, GD_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (gd_need_truth(cases[i].g, cases[i].n) != cases[i].want)
			fail_msg("case %zu", i);
}

static void test_service_status(void **state)
{
	static const struct {
		enum gd_truth t[3];
		size_t n;
		bool all_up;
		enum gd_status want;
	} cases[] = {
		{ { GD_TRUE, GD_TRUE }, 2, true, UP },
		{ { GD_TRUE, GD_TRUE }, 2, false, DEG },
		{ { GD_TRUE, GD_FALSE }, 2, true, DOWN },
		{ { GD_UNKNOWN, GD_FALSE }, 2, true, DOWN },
		{ { GD_UNKNOWN, GD_TRUE }, 2, true, UNK },
		{ { GD_TRUE }, 0, true, UNK },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (gd_service_status(cases[i].t, cases[i].n, cases[i].all_up) !=
		    cases[i].want)
			fail_msg("case %zu", i);
}

static void test_words_round_trip(void **state)
{
	enum gd_status s;
	enum gd_oper o;
	enum gd_admin a;
	enum gd_probe p;

	(void)state;
	for (int i = GD_STATUS_UP; i <= GD_STATUS_UNKNOWN; i++) {
		assert_int_equal(gd_status_parse(gd_status_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	for (int i = GD_OPER_UP; i <= GD_OPER_UNKNOWN; i++) {
		assert_int_equal(gd_oper_parse(gd_oper_name(i), &o), 0);
		assert_int_equal(o, i);
	}
	for (int i = GD_ADMIN_ACTIVE; i <= GD_ADMIN_STANDBY; i++) {
		assert_int_equal(gd_admin_parse(gd_admin_name(i), &a), 0);
		assert_int_equal(a, i);
	}
	for (int i = GD_PROBE_TCP; i <= GD_PROBE_HEARTBEAT; i++) {
		assert_int_equal(gd_probe_parse(gd_probe_name(i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_string_equal(gd_status_name(GD_STATUS_DEGRADED), "degraded");
	assert_string_equal(gd_status_name(0), "unknown");
	assert_string_equal(gd_admin_name(99), "unknown");
	assert_int_equal(gd_status_parse("sideways", &s), -1);
	assert_int_equal(gd_probe_parse("", &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_status),
		cmocka_unit_test(test_need_truth),
		cmocka_unit_test(test_service_status),
		cmocka_unit_test(test_words_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
