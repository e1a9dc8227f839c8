/*
 * test_model.c — the agent's model without net-snmp: rise/fall hysteresis
 * (table-driven), group and service derivation, the notifications each
 * change implies, admin overrides, heartbeats, uptimes, and indexes that
 * stay with their ids across reloads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "agent/testcfg.h"
#include "model.h"
#include "xmlsafe.h"

#define MAXEV 64

/* The events of a run, as "kind:id" words. */
static char events[MAXEV][80];
static size_t nevents;

static const char *const kind_names[] = {
	[GD_NOTIFY_SERVER_DOWN] = "ServerDown",
	[GD_NOTIFY_SERVER_UP] = "ServerUp",
	[GD_NOTIFY_GROUP_FAILOVER] = "GroupFailover",
	[GD_NOTIFY_GROUP_DOWN] = "GroupDown",
	[GD_NOTIFY_GROUP_UP] = "GroupUp",
	[GD_NOTIFY_SERVICE_DOWN] = "ServiceDown",
	[GD_NOTIFY_SERVICE_UP] = "ServiceUp",
};

static void record(void *arg, const struct model_event *ev)
{
	const char *id = ev->service ? ev->service->cfg->id :
			 ev->kind == GD_NOTIFY_GROUP_FAILOVER ?
			 ev->group->cfg->id :
			 ev->server ? ev->server->cfg->id : ev->group->cfg->id;

	(void)arg;
	assert_true(nevents < MAXEV);
	snprintf(events[nevents++], sizeof events[0], "%s:%s",
		 kind_names[ev->kind], id);
}

/* "ServerDown:s1 GroupFailover:g1" */
static void expect_events(const char *want)
{
	char got[MAXEV * 80] = "";

	for (size_t i = 0; i < nevents; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, events[i]);
	}
	assert_string_equal(got, want);
	nevents = 0;
}

struct fixture {
	struct gd_config *cfg;
	struct model *m;
};

static int setup(void **state)
{
	static struct fixture f;

	f.cfg = testcfg_load(TESTCFG_BASIC);
	f.m = model_new(record, NULL);
	if (f.cfg == NULL || f.m == NULL ||
	    model_set_config(f.m, f.cfg, NULL, 1000) < 0)
		return -1;
	nevents = 0;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	model_free(f->m);
	gd_config_free(f->cfg);
	gd_xml_cleanup();
	return 0;
}

static size_t server(const struct gd_config *cfg, const char *id)
{
	long i = gd_config_find_server(cfg, id);

	assert_true(i >= 0);
	return (size_t)i;
}

static void feed(struct model *m, const char *id, const char *results,
		 time_t *now)
{
	for (const char *r = results; *r; r++)
		model_probe_result(m, server(m->cfg, id), *r == '+', 100,
				   *r == '+' ? "" : "connection refused",
				   (*now)++);
}

/* --- hysteresis ---------------------------------------------------------- */

static char oper_letter(enum gd_oper o)
{
	return o == GD_OPER_UP ? 'U' : o == GD_OPER_DOWN ? 'D' : '?';
}

/* Results (+ ok, - failed) and the status after each; rise 2, fall 3 for
 * s1, 1 and 1 for a heartbeat server. */
static const struct {
	const char *server, *results, *opers;
} hysteresis[] = {
	{ "s1", "+", "?" },
	{ "s1", "++", "?U" },
	{ "s1", "---", "??D" },
	{ "s1", "++-", "?UU" },
	{ "s1", "++---", "?UUUD" },
	{ "s1", "++--+---", "?UUUUUUD" },
	{ "s1", "---++", "??DDU" },
	{ "s1", "---+-+-++", "??DDDDDDU" },
	{ "s1", "-+-+-+", "??????" },
	{ "s1", "++++--+---++", "?UUUUUUUUDDU" },
	{ "hb", "+-+", "UDU" },
};

static void test_hysteresis(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof hysteresis / sizeof hysteresis[0];
	     t++) {
		struct fixture *f;
		time_t now = 2000;
		void *st;
		char got[32] = "";
		size_t i;

		assert_int_equal(setup(&st), 0);
		f = st;
		for (i = 0; hysteresis[t].results[i]; i++) {
			char one[2] = { hysteresis[t].results[i], 0 };
			size_t s = server(f->cfg, hysteresis[t].server);

			feed(f->m, hysteresis[t].server, one, &now);
			got[i] = oper_letter(f->m->servers[s].st.oper);
		}
		got[i] = '\0';
		if (strcmp(got, hysteresis[t].opers) != 0)
			fail_msg("%s %s: got %s, want %s",
				 hysteresis[t].server, hysteresis[t].results,
				 got, hysteresis[t].opers);
		teardown(&st);
	}
}

/* --- derivation and notifications ------------------------------------------ */

static enum gd_status group_status(const struct model *m, const char *id)
{
	return m->groups[gd_config_find_group(m->cfg, id)].st.status;
}

static enum gd_status service_status(const struct model *m, const char *id)
{
	return m->services[gd_config_find_service(m->cfg, id)].st.status;
}

static void test_failover_and_down(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	time_t now = 2000;

	assert_int_equal(group_status(m, "g1"), GD_STATUS_UNKNOWN);
	feed(m, "s1", "++", &now);
	feed(m, "s2", "++", &now);
	expect_events("");	/* unknown -> up is no news */
	assert_int_equal(group_status(m, "g1"), GD_STATUS_UP);
	assert_int_equal(service_status(m, "svc"), GD_STATUS_UP);
	/* g2 still unknown: alt holds on g1, but not with all groups up */
	assert_int_equal(service_status(m, "alt"), GD_STATUS_DEGRADED);

	feed(m, "s1", "---", &now);
	expect_events("ServerDown:s1 GroupFailover:g1");
	assert_int_equal(group_status(m, "g1"), GD_STATUS_DEGRADED);
	assert_int_equal(service_status(m, "svc"), GD_STATUS_DEGRADED);

	feed(m, "s2", "---", &now);
	expect_events("ServerDown:s2 GroupDown:g1 ServiceDown:svc");
	assert_int_equal(service_status(m, "alt"), GD_STATUS_UNKNOWN);

	feed(m, "s4", "---", &now);
	expect_events("ServerDown:s4 GroupDown:g2 ServiceDown:alt");

	feed(m, "s1", "++", &now);
	expect_events("ServerUp:s1 GroupUp:g1 ServiceUp:svc ServiceUp:alt");
	assert_int_equal(group_status(m, "g1"), GD_STATUS_DEGRADED);
	assert_int_equal(m->groups[0].counts.up, 1);
	assert_int_equal(m->groups[0].counts.down, 1);
}

/* A server in maintenance is probed and shown, never counted, never
 * notified about. */
static void test_maintenance_silent(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	const struct model_server *s3 = &m->servers[server(m->cfg, "s3")];
	time_t now = 2000;

	feed(m, "s3", "++---++", &now);
	expect_events("");
	assert_int_equal(s3->st.oper, GD_OPER_UP);
	assert_int_equal(s3->st.checks, 7);
	assert_int_equal(s3->st.failures, 3);
	assert_string_equal(s3->st.last_error, "connection refused");
	assert_int_equal(m->groups[0].counts.up + m->groups[0].counts.down +
			 m->groups[0].counts.unknown, 2);
}

static struct gd_config *edited(const char *from, const char *to)
{
	char xml[sizeof TESTCFG_BASIC + 256];
	const char *p = strstr(TESTCFG_BASIC, from);

	assert_non_null(p);
	snprintf(xml, sizeof xml, "%.*s%s%s", (int)(p - TESTCFG_BASIC),
		 TESTCFG_BASIC, to, p + strlen(from));
	return testcfg_load(xml);
}

static void test_admin_override(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	size_t s1 = server(m->cfg, "s1");
	struct gd_config *same = testcfg_load(TESTCFG_BASIC);
	/* s1 becomes a standby server in the config */
	struct gd_config *changed = edited("port=\"1001\"",
					   "admin=\"standby\" port=\"1001\"");
	time_t now = 2000;

	assert_non_null(same);
	assert_non_null(changed);

	feed(m, "s1", "++", &now);
	feed(m, "s2", "++", &now);
	model_set_admin(m, s1, GD_ADMIN_MAINTENANCE, now);
	expect_events("");
	assert_int_equal(m->servers[s1].admin, GD_ADMIN_MAINTENANCE);
	assert_int_equal(m->groups[0].counts.up, 1);

	/* the same config again: the override stays */
	assert_int_equal(model_set_config(m, same, NULL, now), 0);
	gd_config_free(f->cfg);
	f->cfg = same;
	assert_int_equal(m->servers[s1].admin, GD_ADMIN_MAINTENANCE);

	/* the config's admin of s1 changed since the SET: the config wins */
	assert_int_equal(model_set_config(m, changed, NULL, now), 0);
	gd_config_free(f->cfg);
	f->cfg = changed;
	assert_int_equal(m->servers[s1].admin, GD_ADMIN_STANDBY);
	assert_false(m->servers[s1].st.admin_set);
}

static void test_admin_takes_group_down(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	time_t now = 2000;

	feed(m, "s1", "++", &now);
	feed(m, "s2", "---", &now);
	expect_events("ServerDown:s2");
	assert_int_equal(group_status(m, "g1"), GD_STATUS_DEGRADED);
	model_set_admin(m, server(m->cfg, "s1"), GD_ADMIN_STANDBY, now);
	expect_events("GroupDown:g1 ServiceDown:svc");
	model_set_admin(m, server(m->cfg, "s1"), GD_ADMIN_ACTIVE, now);
	expect_events("GroupUp:g1 ServiceUp:svc");
}

static void test_heartbeat(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	size_t hb = server(m->cfg, "hb");
	const struct model_server *s = &m->servers[hb];
	time_t now = 5000;

	assert_int_equal(model_heartbeat_age(s, now), GD_HEARTBEAT_NONE);
	assert_int_equal(model_heartbeat_age(&m->servers[0], now),
			 GD_HEARTBEAT_NONE);
	model_heartbeat(m, hb, 0, now);
	assert_int_equal(s->st.oper, GD_OPER_UP);
	assert_int_equal(model_heartbeat_age(s, now + 42), 42);
	/* a tick saying the heartbeat is recent counts no check */
	model_probe_result(m, hb, true, 0, "", now + 1);
	assert_int_equal(s->st.checks, 1);
	model_heartbeat(m, hb, 3, now + 50);
	expect_events("ServerDown:hb GroupDown:g3");
	assert_int_equal(s->st.checks, 2);
	assert_int_equal(s->st.failures, 1);
	assert_string_equal(s->st.last_error, "job failed with exit status 3");
}

static void test_uptime(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	const struct model_server *s1 = &m->servers[server(m->cfg, "s1")];
	time_t now = 1000;

	assert_int_equal(model_uptime(s1, 5000), 0);
	feed(m, "s1", "++", &now);	/* up at 1001 */
	assert_int_equal(s1->st.up_since, 1001);
	assert_int_equal(s1->st.last_change, 1001);
	assert_int_equal(model_uptime(s1, 1501), 500);
	assert_int_equal(model_uptime(s1, 900), 0);	/* clock stepped back */
	feed(m, "s1", "---", &now);
	assert_int_equal(model_uptime(s1, 5000), 0);
}

/* --- reloads ----------------------------------------------------------------- */

static uint32_t server_index(const struct model *m, const char *id)
{
	long i = gd_config_find_server(m->cfg, id);

	return i < 0 ? 0 : m->servers[i].st.index;
}

static void test_reload_keeps_indexes(void **state)
{
	struct fixture *f = *state;
	struct model *m = f->m;
	/* s2 goes, s5 comes; then s2 comes back */
	struct gd_config *c2 = edited("id=\"s2\"", "id=\"s5\"");
	struct gd_config *c3 = testcfg_load(TESTCFG_BASIC);
	uint32_t s1 = server_index(m, "s1"), s2 = server_index(m, "s2");
	time_t now = 2000;

	assert_non_null(c2);
	assert_non_null(c3);
	feed(m, "s1", "++", &now);
	assert_int_equal(model_set_config(m, c2, NULL, now), 0);
	gd_config_free(f->cfg);
	f->cfg = c2;
	assert_int_equal(server_index(m, "s1"), s1);
	assert_int_equal(m->servers[server(m->cfg, "s1")].st.oper, GD_OPER_UP);
	assert_int_equal(server_index(m, "s5"), 6);	/* next after 5 */
	assert_int_equal(model_set_config(m, c3, NULL, now), 0);
	gd_config_free(f->cfg);
	f->cfg = c3;
	assert_int_not_equal(server_index(m, "s2"), s2);	/* never reused */
	assert_int_equal(server_index(m, "s2"), 7);
	assert_int_equal(server_index(m, "s1"), s1);
}

/* Ids restored from a state file keep their indexes; new ids start past
 * every saved one; a restored status that still holds is no news. */
static void test_restore(void **state)
{
	struct fixture *f = *state;
	struct model_saved sv = { .next = { 1, 1, 50, 1 } };
	struct model *m = model_new(record, NULL);
	struct model_saved_rec *r;

	r = model_saved_add(&sv, MODEL_SERVER, "s1");
	r->u.srv = (struct model_srv_state){ .index = 40, .oper = GD_OPER_DOWN,
					     .last_change = 900 };
	r = model_saved_add(&sv, MODEL_SERVER, "gone");
	r->u.srv.index = 60;
	r = model_saved_add(&sv, MODEL_GROUP, "g1");
	r->u.status = (struct model_status_state){ 9, GD_STATUS_UNKNOWN, 0 };
	model_saved_sort(&sv);
	assert_int_equal(model_set_config(m, f->cfg, &sv, 1000), 0);
	assert_int_equal(server_index(m, "s1"), 40);
	assert_int_equal(server_index(m, "s2"), 61);
	assert_int_equal(m->groups[0].st.index, 9);
	/* s1 down, s2 unknown: g1 unknown, as saved */
	expect_events("");
	model_saved_free(&sv);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test_setup_teardown(test_failover_and_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_maintenance_silent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_admin_override, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_admin_takes_group_down,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_heartbeat, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_uptime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_indexes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
