/*
 * test_model.c — merging agents, what a dot shows, the overall status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "model.h"

#define NOW 1280534400L

static char *sdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static void add_group(struct gd_state_agent *a, const char *id,
		      const char *area, enum gd_status st)
{
	struct gd_state_group *g;

	a->groups = realloc(a->groups, (a->ngroups + 1) * sizeof *g);
	g = &a->groups[a->ngroups++];
	memset(g, 0, sizeof *g);
	g->id = sdup(id);
	g->title = sdup(id);
	g->area = sdup(area);
	g->status = st;
}

static void add_server(struct gd_state_agent *a, const char *id,
		       const char *group, enum gd_oper oper,
		       enum gd_admin admin)
{
	struct gd_state_server *s;

	a->servers = realloc(a->servers, (a->nservers + 1) * sizeof *s);
	s = &a->servers[a->nservers++];
	memset(s, 0, sizeof *s);
	s->id = sdup(id);
	s->title = sdup(id);
	s->group = sdup(group);
	s->oper = oper;
	s->admin = admin;
}

static void add_service(struct gd_state_agent *a, const char *id,
			enum gd_status st)
{
	struct gd_state_service *s;

	a->services = realloc(a->services, (a->nservices + 1) * sizeof *s);
	s = &a->services[a->nservices++];
	memset(s, 0, sizeof *s);
	s->id = sdup(id);
	s->title = sdup(id);
	s->status = st;
}

static struct gd_state_agent *add_agent(struct gd_state *st, const char *title)
{
	struct gd_state_agent *a;

	st->agents = realloc(st->agents, (st->nagents + 1) * sizeof *a);
	a = &st->agents[st->nagents++];
	memset(a, 0, sizeof *a);
	a->peer = sdup("udp:127.0.0.1:1");
	a->reachable = title != NULL;
	a->title = title ? sdup(title) : NULL;
	a->nareas = 1;
	a->areas = calloc(1, sizeof *a->areas);
	a->areas[0].id = sdup("a1");
	a->areas[0].title = sdup("Area");
	return a;
}

/* Two agents: the second repeats g1 and a1 and brings g2, whose area
 * no one reports, and a server whose group no one reports. */
static void test_merge(void **state)
{
	struct gd_state *st = calloc(1, sizeof *st);
	struct gd_state_agent *a;
	struct model m;

	(void)state;
	a = add_agent(st, "First");
	add_group(a, "g1", "a1", GD_STATUS_UP);
	add_server(a, "s1", "g1", GD_OPER_UP, GD_ADMIN_ACTIVE);
	a = add_agent(st, NULL);
	add_group(a, "g1", "a1", GD_STATUS_DOWN);
	add_group(a, "g2", "nowhere", GD_STATUS_UP);
	add_server(a, "s2", "g2", GD_OPER_DOWN, GD_ADMIN_ACTIVE);
	add_server(a, "s3", "lost", GD_OPER_UP, GD_ADMIN_MAINTENANCE);
	add_server(a, "s1", "g1", GD_OPER_DOWN, GD_ADMIN_ACTIVE);
	assert_int_equal(model_build(&m, st, NULL, NOW), 0);
	assert_string_equal(m.title, "First");
	assert_int_equal(m.nagents, 2);
	assert_int_equal(m.agents_unreachable, 1);
	/* a1 and "not assigned" */
	assert_int_equal(m.nareas, 2);
	assert_null(m.areas[1].st);
	/* g1 (first wins), g2, "not assigned" */
	assert_int_equal(m.ngroups, 3);
	assert_int_equal(m.groups[0].show, SHOW_UP);
	assert_int_equal(m.groups[1].area, 1);
	assert_null(m.groups[2].st);
	assert_int_equal(m.nservers, 3);
	assert_int_equal(m.servers[0].show, SHOW_UP);
	assert_int_equal(m.servers[2].show, SHOW_MAINTENANCE);
	assert_int_equal(m.servers[2].group, 2);
	assert_int_equal(m.groups[0].nservers, 1);
	assert_int_equal(m.groups[2].nservers, 1);
	assert_int_equal(model_find_group(&m, "g2"), 1);
	assert_int_equal(model_find_group(&m, "lost"), -1);
	assert_string_equal(model_group_title(&m.groups[2]),
			    "Not assigned to a group");
	model_free(&m);
}

static void test_title(void **state)
{
	struct gd_state *st = calloc(1, sizeof *st);
	struct model m;

	(void)state;
	assert_int_equal(model_build(&m, st, "Given", NOW), 0);
	assert_string_equal(m.title, "Given");
	model_free(&m);
	st = calloc(1, sizeof *st);
	assert_int_equal(model_build(&m, st, NULL, NOW), 0);
	assert_string_equal(m.title, "System Status");
	model_free(&m);
}

struct overall_case {
	const char *name;
	enum gd_status services[3];	/* 0: none */
	enum gd_status group;
	enum news_kind news;		/* with active */
	enum news_impact impact;
	bool active;
	enum model_show want;
	const char *banner;
};

static const struct overall_case overall_cases[] = {
	{ "all up", { GD_STATUS_UP, GD_STATUS_UP }, GD_STATUS_UP,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_UP, "All systems operational" },
	{ "one degraded", { GD_STATUS_UP, GD_STATUS_DEGRADED }, GD_STATUS_UP,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_DEGRADED,
	  "Some services degraded" },
	{ "a group down, services up", { GD_STATUS_UP }, GD_STATUS_DOWN,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_DEGRADED,
	  "Some services degraded" },
	{ "one down", { GD_STATUS_UP, GD_STATUS_DOWN }, GD_STATUS_UP,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_DOWN, "Partial outage" },
	{ "all down", { GD_STATUS_DOWN, GD_STATUS_DOWN }, GD_STATUS_DOWN,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_DOWN, "Major outage" },
	{ "nothing known", { GD_STATUS_UNKNOWN }, GD_STATUS_UNKNOWN,
	  NEWS_ANNOUNCEMENT, 0, false, SHOW_UNKNOWN, "Status unknown" },
	{ "maintenance beats down", { GD_STATUS_DOWN }, GD_STATUS_UP,
	  NEWS_MAINTENANCE, 0, true, SHOW_MAINTENANCE,
	  "Maintenance in progress" },
	{ "open major incident", { GD_STATUS_UP }, GD_STATUS_UP,
	  NEWS_INCIDENT, NEWS_IMPACT_MAJOR, true, SHOW_DOWN, "Major outage" },
	{ "open minor incident", { GD_STATUS_UP }, GD_STATUS_UP,
	  NEWS_INCIDENT, NEWS_IMPACT_MINOR, true, SHOW_DEGRADED,
	  "Some services degraded" },
	{ "resolved major incident", { GD_STATUS_UP }, GD_STATUS_UP,
	  NEWS_INCIDENT, NEWS_IMPACT_MAJOR, false, SHOW_UP,
	  "All systems operational" },
};

static void check_overall(const struct overall_case *c)
{
	struct gd_state *st = calloc(1, sizeof *st);
	struct gd_state_agent *a = add_agent(st, "T");
	struct news_item *it;
	struct model m;

	add_group(a, "g", "a1", c->group);
	for (int i = 0; i < 3 && c->services[i]; i++)
		add_service(a, i ? "s2" : "s1", c->services[i]);
	assert_int_equal(model_build(&m, st, NULL, NOW), 0);
	it = news_add(&m.news);
	it->kind = c->news;
	it->id = sdup("n");
	it->title = sdup("n");
	it->impact = c->impact;
	it->status = c->active ? NEWS_ST_INVESTIGATING : NEWS_ST_RESOLVED;
	it->start = NOW - (c->active ? 60 : 7200);
	it->end = NOW + (c->active ? 60 : -3600);
	model_finish(&m);
	if (m.overall != c->want)
		fail_msg("%s: %s", c->name, model_show_word(m.overall));
	assert_string_equal(model_banner(&m), c->banner);
	model_free(&m);
}

static void test_overall(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof overall_cases / sizeof overall_cases[0];
	     i++)
		check_overall(&overall_cases[i]);
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(model_show_word(SHOW_STANDBY), "standby");
	assert_string_equal(model_show_label(SHOW_MAINTENANCE), "Maintenance");
	assert_string_equal(model_show_word(SHOW_N), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_overall),
		cmocka_unit_test(test_words),
	};

	gd_log_open("test", "n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
