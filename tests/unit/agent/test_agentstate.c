/*
 * test_agentstate.c — the state file: what a restarted agent gets back
 * (indexes, statuses, uptimes, counters, heartbeats, admin overrides), no
 * notification for what did not change, and damaged files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/testcfg.h"
#include "agentstate.h"
#include "model.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-test-astate-XXXXXX";
static char path[64];
static size_t nevents;

static void count_event(void *arg, const struct model_event *ev)
{
	(void)arg;
	(void)ev;
	nevents++;
}

static size_t pos(const struct model *m, const char *id)
{
	return (size_t)gd_config_find_server(m->cfg, id);
}

static void feed(struct model *m, const char *id, const char *results,
		 time_t now)
{
	for (const char *r = results; *r; r++)
		model_probe_result(m, pos(m, id), *r == '+', 250,
				   "greeting: 554 go away", now);
}

/* A model that has lived a while: s1 and s2 up, s4 down, an override on
 * s2, a failed heartbeat. */
static struct model *lived(const struct gd_config *cfg)
{
	struct model *m = model_new(count_event, NULL);

	assert_int_equal(model_set_config(m, cfg, NULL, 1000), 0);
	feed(m, "s1", "-++", 1100);
	feed(m, "s2", "++", 1200);
	feed(m, "s4", "---", 1300);
	model_set_admin(m, pos(m, "s2"), GD_ADMIN_STANDBY, 1400);
	model_heartbeat(m, pos(m, "hb"), 2, 1500);
	return m;
}

static struct model *restarted(const struct gd_config *cfg, time_t now)
{
	struct model_saved sv = { .next = { 0 } };
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct model *m = model_new(count_event, NULL);

	assert_int_equal(astate_load(path, &sv, &errs), 0);
	assert_int_equal(errs.n, 0);
	nevents = 0;
	assert_int_equal(model_set_config(m, cfg, &sv, now), 0);
	model_saved_free(&sv);
	return m;
}

static void test_round_trip(void **state)
{
	struct gd_config *cfg = testcfg_load(TESTCFG_BASIC);
	struct model *a = lived(cfg), *b;

	(void)state;
	assert_int_equal(astate_save(path, a), 0);
	b = restarted(cfg, 5000);
	assert_int_equal(nevents, 0);	/* nothing changed: no storm */
	for (size_t i = 0; i < a->nservers; i++) {
		const struct model_srv_state *x = &a->servers[i].st,
					     *y = &b->servers[i].st;

		assert_int_equal(x->index, y->index);
		assert_int_equal(x->oper, y->oper);
		assert_int_equal(x->up_since, y->up_since);
		assert_int_equal(x->last_change, y->last_change);
		assert_int_equal(x->checks, y->checks);
		assert_int_equal(x->failures, y->failures);
		assert_int_equal(x->latency_us, y->latency_us);
		assert_int_equal(x->hb_when, y->hb_when);
		assert_int_equal(x->hb_status, y->hb_status);
		assert_string_equal(x->last_error, y->last_error);
		assert_int_equal(a->servers[i].admin, b->servers[i].admin);
	}
	for (size_t i = 0; i < a->ngroups; i++) {
		assert_int_equal(a->groups[i].st.index, b->groups[i].st.index);
		assert_int_equal(a->groups[i].st.status,
				 b->groups[i].st.status);
		assert_int_equal(a->groups[i].st.last_change,
				 b->groups[i].st.last_change);
	}
	for (int k = 0; k < MODEL_KINDS; k++)
		assert_int_equal(a->next[k], b->next[k]);
	model_free(a);
	model_free(b);
	gd_config_free(cfg);
}

/* Uptime goes on from the up transition before the restart, and one more
 * success changes nothing. */
static void test_uptime_continues(void **state)
{
	struct gd_config *cfg = testcfg_load(TESTCFG_BASIC);
	struct model *a = lived(cfg), *b;
	size_t s1 = pos(a, "s1");

	(void)state;
	assert_int_equal(astate_save(path, a), 0);
	b = restarted(cfg, 9000);
	assert_int_equal(b->servers[s1].st.oper, GD_OPER_UP);
	assert_int_equal(model_uptime(&b->servers[s1], 9000), 9000 - 1100);
	feed(b, "s1", "+", 9001);
	assert_int_equal(nevents, 0);
	assert_string_equal(b->servers[pos(b, "s2")].st.last_error, "");
	assert_string_equal(b->servers[pos(b, "hb")].st.last_error,
			    "job failed with exit status 2");
	model_free(a);
	model_free(b);
	gd_config_free(cfg);
}

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_damaged(void **state)
{
	struct model_saved sv = { .next = { 0 } };
	struct gd_errlist errs = GD_ERRLIST_INIT;
	char want[128];

	(void)state;
	write_file("greendot-agent-state 1\n"
		   "next 2 2 9 2\n"
		   "area a 1\n"
		   "server s1 4 sideways 0 0 0 0 0 0 active active 0 0 \n"
		   "server s2 5 up 10 10 1 0 7 0 active active 0 0 ok\n"
		   "bogus line\n");
	assert_int_equal(astate_load(path, &sv, &errs), 0);
	assert_int_equal(errs.n, 2);
	gd_err_format(&errs.v[0], want, sizeof want);
	assert_non_null(strstr(want, ":4: unusable server line"));
	assert_int_equal(sv.n[MODEL_SERVER], 1);
	assert_string_equal(sv.v[MODEL_SERVER][0].id, "s2");
	assert_int_equal(sv.next[MODEL_SERVER], 9);
	gd_errlist_clear(&errs);
	model_saved_free(&sv);

	/* two ids under one index: neither is trusted */
	write_file("greendot-agent-state 1\ngroup g1 3 up 0\ngroup g2 3 up 0\n");
	assert_int_equal(astate_load(path, &sv, &errs), 0);
	assert_int_equal(sv.n[MODEL_GROUP], 0);
	assert_int_equal(errs.n, 1);
	gd_errlist_clear(&errs);
	model_saved_free(&sv);

	/* indexes past MODEL_INDEX_MAX would wrap the counters to 0 */
	write_file("greendot-agent-state 1\n"
		   "next 2 2 4294967295 2\n"
		   "area a 2147483648\n"
		   "server s2 4294967294 up 10 10 1 0 7 0 active active 0 0 ok\n");
	assert_int_equal(astate_load(path, &sv, &errs), 0);
	assert_int_equal(errs.n, 3);
	assert_int_equal(sv.n[MODEL_SERVER], 0);
	assert_int_equal(sv.n[MODEL_AREA], 0);
	gd_errlist_clear(&errs);
	model_saved_free(&sv);

	write_file("greendot-agent-state 99\n");
	assert_int_equal(astate_load(path, &sv, &errs), -1);
	gd_errlist_clear(&errs);
	unlink(path);
	assert_int_equal(astate_load(path, &sv, &errs), 1);
	assert_int_equal(errs.n, 0);
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/state", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_uptime_continues),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
