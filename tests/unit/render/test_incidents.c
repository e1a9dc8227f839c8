/*
 * test_incidents.c — automatic incidents drafted from a canned journal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "incidents.h"
#include "log.h"

#define NOW 1280534400L
#define MIN 60L
#define H 3600L
#define D 86400L

static char *sdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

/* One agent: group g1 "Group One", group g2, service s1 "Service One". */
static void small_model(struct model *m)
{
	struct gd_state *st = calloc(1, sizeof *st);
	struct gd_state_agent *a;

	assert_non_null(st);
	st->generated = NOW;
	st->nagents = 1;
	st->agents = a = calloc(1, sizeof *a);
	a->peer = sdup("udp:127.0.0.1:1");
	a->reachable = true;
	a->ngroups = 2;
	a->groups = calloc(2, sizeof *a->groups);
	a->groups[0].id = sdup("g1");
	a->groups[0].title = sdup("Group One");
	a->groups[1].id = sdup("g2");
	a->groups[1].title = sdup("");
	a->nservices = 1;
	a->services = calloc(1, sizeof *a->services);
	a->services[0].id = sdup("s1");
	a->services[0].title = sdup("Service One");
	assert_int_equal(model_build(m, st, NULL, NOW), 0);
}

struct ev {
	long ago;
	enum gd_event_kind kind;
	const char *id, *new_status, *detail;
};

static struct gd_event event(const struct ev *e)
{
	struct gd_event ev;

	memset(&ev, 0, sizeof ev);
	ev.time = (double)(NOW - e->ago);
	ev.source = GD_SRC_POLL;
	ev.kind = e->kind;
	snprintf(ev.id, sizeof ev.id, "%s", e->id);
	snprintf(ev.old_status, sizeof ev.old_status, "-");
	snprintf(ev.new_status, sizeof ev.new_status, "%s", e->new_status);
	snprintf(ev.detail, sizeof ev.detail, "%s", e->detail ? e->detail : "");
	return ev;
}

/* Drafts from evs into m->news. */
static void draft(struct model *m, const struct ev *evs, size_t n)
{
	struct inc_drafter *d = inc_new(m, m->now);

	assert_non_null(d);
	for (size_t i = 0; i < n; i++) {
		struct gd_event ev = event(&evs[i]);

		assert_int_equal(inc_event(d, &ev), 0);
	}
	assert_int_equal(inc_finish(d, &m->news), 0);
}

#define DRAFT(m, evs) draft(m, evs, sizeof(evs) / sizeof((evs)[0]))

static void test_down_up(void **state)
{
	static const struct ev evs[] = {
		{ 3 * H, GD_EV_SERVICE, "s1", "up", NULL },
		{ 2 * H, GD_EV_SERVICE, "s1", "down", "needs g1" },
		{ 2 * H - 60, GD_EV_SERVICE, "s1", "down", "again" },
		{ 1 * H, GD_EV_SERVICE, "s1", "up", NULL },
	};
	struct model m;
	const struct news_item *it;

	(void)state;
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, 1);
	it = &m.news.items[0];
	assert_true(it->automatic);
	assert_int_equal(it->kind, NEWS_INCIDENT);
	assert_string_equal(it->title, "Service One down");
	assert_string_equal(it->id, "auto-service-s1-1280527200");
	assert_int_equal(it->impact, NEWS_IMPACT_MAJOR);
	assert_int_equal(it->status, NEWS_ST_RESOLVED);
	assert_int_equal(it->nupdates, 2);	/* the repeat adds nothing */
	assert_string_equal(it->updates[0].text,
			    "Service One is down (needs g1).");
	assert_int_equal(it->updates[0].status, NEWS_ST_INVESTIGATING);
	assert_string_equal(it->updates[1].text, "Service One is back up.");
	assert_int_equal(it->published, NOW - 2 * H);
	assert_int_equal(it->updated, NOW - H);
	model_free(&m);
}

static void test_updates_and_degraded(void **state)
{
	static const struct ev evs[] = {
		{ 50 * MIN, GD_EV_GROUP, "g2", "down", NULL },
		{ 40 * MIN, GD_EV_GROUP, "g2", "unknown", "agent away" },
		{ 30 * MIN, GD_EV_GROUP, "g2", "down", NULL },
		{ 20 * MIN, GD_EV_GROUP, "g2", "degraded", "1 of 2 up" },
	};
	struct model m;
	const struct news_item *it;

	(void)state;
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, 1);
	it = &m.news.items[0];
	assert_string_equal(it->title, "g2 down");	/* no title: the id */
	assert_int_equal(it->impact, NEWS_IMPACT_MINOR);
	assert_int_equal(it->nupdates, 4);
	assert_string_equal(it->updates[1].text,
			    "g2 has no current status: the monitor cannot tell "
			    "(agent away).");
	assert_int_equal(it->updates[1].status, NEWS_ST_NONE);
	assert_int_equal(it->status, NEWS_ST_RESOLVED);	/* serving again */
	assert_string_equal(it->updates[3].text,
			    "g2 is serving again, on fail-over (degraded) "
			    "(1 of 2 up).");
	model_free(&m);
}

/* A fall soon after a recovery reopens; a later one opens anew. */
static void test_reopen(void **state)
{
	static const struct ev evs[] = {
		{ 5 * H, GD_EV_GROUP, "g1", "down", NULL },
		{ 5 * H - 60, GD_EV_GROUP, "g1", "up", NULL },
		{ 5 * H - 600, GD_EV_GROUP, "g1", "down", NULL },
		{ 5 * H - 660, GD_EV_GROUP, "g1", "up", NULL },
		{ 2 * H, GD_EV_GROUP, "g1", "down", NULL },
	};
	struct model m;

	(void)state;
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, 2);
	/* latest first: the open one */
	assert_int_equal(m.news.items[0].status, NEWS_ST_INVESTIGATING);
	assert_int_equal(m.news.items[0].nupdates, 1);
	assert_true(news_active(&m.news.items[0], NOW));
	assert_int_equal(m.news.items[1].nupdates, 4);
	assert_string_equal(m.news.items[1].updates[2].text,
			    "Group One is down again.");
	model_free(&m);
}

/* What is not drafted: the future, unknown objects, other kinds, words
 * that are not statuses, a first "up". */
static void test_ignored(void **state)
{
	static const struct ev evs[] = {
		{ -60, GD_EV_SERVICE, "s1", "down", NULL },
		{ H, GD_EV_SERVICE, "gone", "down", NULL },
		{ H, GD_EV_SERVER, "g1", "down", NULL },
		{ H, GD_EV_AGENT, "s1", "down", NULL },
		{ H, GD_EV_NOTIFICATION, "s1", "gdServiceDown", NULL },
		{ H, GD_EV_GROUP, "g1", "sideways", NULL },
		{ H, GD_EV_GROUP, "g2", "up", NULL },
	};
	struct model m;

	(void)state;
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, 0);
	model_free(&m);
}

/* Resolved more than INC_WINDOW ago: gone; open since then: kept. */
static void test_window(void **state)
{
	static const struct ev evs[] = {
		{ 40 * D, GD_EV_GROUP, "g1", "down", NULL },
		{ 40 * D - 60, GD_EV_GROUP, "g1", "up", NULL },
		{ 35 * D, GD_EV_SERVICE, "s1", "down", NULL },
	};
	struct model m;

	(void)state;
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, 1);
	assert_string_equal(m.news.items[0].title, "Service One down");
	model_free(&m);
}

static void test_caps(void **state)
{
	struct ev evs[2 * (INC_MAX + 10)], flap[60];
	struct model m;

	(void)state;
	for (size_t i = 0; i < INC_MAX + 10; i++) {
		evs[2 * i] = (struct ev){ (long)(100 - i) * H, GD_EV_GROUP,
					  "g1", "down", NULL };
		evs[2 * i + 1] = (struct ev){ (long)(100 - i) * H - 60,
					      GD_EV_GROUP, "g1", "up", NULL };
	}
	small_model(&m);
	DRAFT(&m, evs);
	assert_int_equal(m.news.n, INC_MAX);
	/* the latest are kept */
	assert_int_equal(m.news.items[0].published,
			 NOW - (100 - (INC_MAX + 9)) * H);
	model_free(&m);

	for (size_t i = 0; i < 60; i++)
		flap[i] = (struct ev){ (long)(120 - i) * MIN, GD_EV_SERVICE,
				       "s1", i % 2 ? "unknown" : "down", NULL };
	small_model(&m);
	DRAFT(&m, flap);
	assert_int_equal(m.news.n, 1);
	assert_int_equal(m.news.items[0].nupdates, INC_UPDATES_MAX);
	assert_int_equal(m.news.items[0].updated, NOW - 61 * MIN);
	model_free(&m);
}

/* Through a journal file, with a torn last record skipped. */
static void test_from_journal(void **state)
{
	static const struct ev evs[] = {
		{ 2 * H, GD_EV_SERVICE, "s1", "down", "<b>\"&\x01" },
		{ 1 * H, GD_EV_SERVICE, "s1", "up", NULL },
	};
	char path[] = "/tmp/gd-journal-XXXXXX";
	char line[GD_JOURNAL_LINE_MAX + 2];
	struct model m;
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "%s\n", GD_JOURNAL_MAGIC);
	for (size_t i = 0; i < 2; i++) {
		struct gd_event ev = event(&evs[i]);

		assert_true(gd_journal_format(&ev, line, sizeof line) > 0);
		fputs(line, f);
	}
	fputs("1280530800.000\tpoll\tservice\ts1\tup\tdo", f);	/* torn */
	fclose(f);
	small_model(&m);
	assert_int_equal(inc_from_journal(path, &m), 0);
	assert_int_equal(m.news.n, 1);
	/* the control character is U+FFFD by now */
	assert_string_equal(m.news.items[0].updates[0].text,
			    "Service One is down (<b>\"&\xef\xbf\xbd).");
	model_free(&m);
	unlink(path);

	small_model(&m);		/* no journal: no incidents, no error */
	assert_int_equal(inc_from_journal("/nonexistent/journal", &m), 0);
	assert_int_equal(m.news.n, 0);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_down_up),
		cmocka_unit_test(test_updates_and_degraded),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_from_journal),
	};

	gd_log_open("test", "n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
