/*
 * test_diff.c — transitions between two polls and RRD samples
 * (monitor/diff.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "diff.h"

#define SRV(i, o, a) \
	{ .id = (char *)(i), .oper = (o), .admin = (a), \
	  .last_error = (char *)"refused", .latency_us = 2500 }

static void test_transitions(void **state)
{
	struct gd_state_server os[] = {
		SRV("a", GD_OPER_UP, GD_ADMIN_ACTIVE),
		SRV("b", GD_OPER_UP, GD_ADMIN_ACTIVE),
		SRV("c", GD_OPER_DOWN, GD_ADMIN_ACTIVE),
		SRV("gone", GD_OPER_UP, GD_ADMIN_ACTIVE),
	};
	struct gd_state_server ns[] = {
		SRV("new", GD_OPER_DOWN, GD_ADMIN_ACTIVE),
		SRV("c", GD_OPER_DOWN, GD_ADMIN_ACTIVE),
		SRV("b", GD_OPER_UP, GD_ADMIN_MAINTENANCE),
		SRV("a", GD_OPER_DOWN, GD_ADMIN_ACTIVE),
	};
	struct gd_state_group og = { .id = (char *)"g",
				     .status = GD_STATUS_UP };
	struct gd_state_group ng = { .id = (char *)"g",
				     .status = GD_STATUS_DEGRADED,
				     .members_up = 1, .members_active = 2 };
	struct gd_state_service osv = { .id = (char *)"s",
					.status = GD_STATUS_UNKNOWN };
	struct gd_state_service nsv = { .id = (char *)"s",
					.status = GD_STATUS_UP };
	struct gd_state_agent o = { .servers = os, .nservers = 4,
				    .groups = &og, .ngroups = 1,
				    .services = &osv, .nservices = 1 };
	struct gd_state_agent n = { .peer = (char *)"udp:x:1",
				    .servers = ns, .nservers = 4,
				    .groups = &ng, .ngroups = 1,
				    .services = &nsv, .nservices = 1 };
	struct diff_events ev = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(diff_agents(&o, &n, 12.5, &ev), 0);
	assert_int_equal(ev.n, 4);
	/* in the new poll's order: b, a; then the group, the service */
	assert_string_equal(ev.v[0].id, "b");
	assert_string_equal(ev.v[0].old_status, "up");
	assert_string_equal(ev.v[0].new_status, "maintenance");
	assert_string_equal(ev.v[1].id, "a");
	assert_string_equal(ev.v[1].new_status, "down");
	assert_string_equal(ev.v[1].detail, "refused");
	assert_string_equal(ev.v[1].agent, "udp:x:1");
	assert_int_equal(ev.v[1].source, GD_SRC_POLL);
	assert_int_equal(ev.v[1].kind, GD_EV_SERVER);
	assert_true(ev.v[1].time == 12.5);
	assert_int_equal(ev.v[2].kind, GD_EV_GROUP);
	assert_string_equal(ev.v[2].new_status, "degraded");
	assert_string_equal(ev.v[2].detail, "1 of 2 active members up");
	assert_int_equal(ev.v[3].kind, GD_EV_SERVICE);
	assert_string_equal(ev.v[3].old_status, "unknown");
	assert_string_equal(ev.v[3].new_status, "up");
	diff_events_clear(&ev);
	/* the same poll twice: nothing */
	assert_int_equal(diff_agents(&n, &n, 13, &ev), 0);
	assert_int_equal(ev.n, 0);
	diff_events_clear(&ev);
}

static void test_samples(void **state)
{
	struct gd_state_server s = SRV("a", GD_OPER_UP, GD_ADMIN_ACTIVE);
	struct gd_state_group g = { .status = GD_STATUS_DEGRADED,
				    .members_up = 3 };
	struct gd_state_service sv = { .status = GD_STATUS_DOWN };
	double v[2];

	(void)state;
	diff_server_sample(&s, v);
	assert_true(v[0] == 1 && v[1] == 0.0025);
	s.oper = GD_OPER_DOWN;
	diff_server_sample(&s, v);
	assert_true(v[0] == 0 && isnan(v[1]));
	s.oper = GD_OPER_UNKNOWN;
	diff_server_sample(&s, v);
	assert_true(isnan(v[0]) && isnan(v[1]));
	s.oper = GD_OPER_UP;
	s.admin = GD_ADMIN_STANDBY;	/* excluded, not down */
	diff_server_sample(&s, v);
	assert_true(isnan(v[0]) && v[1] == 0.0025);
	s.admin = GD_ADMIN_ACTIVE;
	s.latency_us = 0;		/* a heartbeat: no latency */
	diff_server_sample(&s, v);
	assert_true(v[0] == 1 && isnan(v[1]));
	diff_group_sample(&g, v);
	assert_true(v[0] == 1 && v[1] == 3);
	g.status = GD_STATUS_UNKNOWN;
	diff_group_sample(&g, v);
	assert_true(isnan(v[0]) && isnan(v[1]));
	diff_service_sample(&sv, v);
	assert_true(v[0] == 0);
}

static void test_unknown_copy(void **state)
{
	struct gd_state_server s[] = { SRV("a", GD_OPER_UP, GD_ADMIN_ACTIVE) };
	struct gd_state_group g = { .id = (char *)"g",
				    .status = GD_STATUS_UP };
	struct gd_state_agent known = { .peer = (char *)"p",
					.reachable = true, .servers = s,
					.nservers = 1, .groups = &g,
					.ngroups = 1 };
	struct gd_state_agent shown;

	(void)state;
	assert_int_equal(diff_unknown_copy(&known, &shown), 0);
	assert_false(shown.reachable);
	assert_int_equal(shown.servers[0].oper, GD_OPER_UNKNOWN);
	assert_int_equal(shown.servers[0].admin, GD_ADMIN_ACTIVE);
	assert_ptr_equal(shown.servers[0].id, s[0].id);
	assert_int_equal(shown.groups[0].status, GD_STATUS_UNKNOWN);
	assert_int_equal(s[0].oper, GD_OPER_UP);	/* known untouched */
	diff_unknown_free(&shown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_unknown_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
