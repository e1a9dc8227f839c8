/*
 * test_news.c — the news file: the example loads as written; every bad
 * file is refused with each problem as "file:line: message"; statuses
 * over time; "N new in the last 7 days".
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

#include "log.h"
#include "news.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

#define EXAMPLE "examples/news.xml"
#define T0 "2010-07-27T15:15:00+01:00"

static char dir[] = "/tmp/gd-news-XXXXXX";

static int setup(void **state)
{
	(void)state;
	gd_log_open("test", "n");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

static const char *write_news(const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/news.xml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_example(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };
	const struct news_item *it;

	(void)state;
	assert_int_equal(news_load(EXAMPLE, NULL, &n, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_int_equal(n.n, 4);
	it = &n.items[1];			/* file order */
	assert_string_equal(it->id, "2010-07-27-mail");
	assert_int_equal(it->kind, NEWS_INCIDENT);
	assert_int_equal(it->status, NEWS_ST_RESOLVED);
	assert_int_equal(it->impact, NEWS_IMPACT_MAJOR);
	assert_int_equal(it->nupdates, 5);
	assert_int_equal(it->published, 1280240100);	/* 15:15 BST */
	assert_int_equal(it->updated, 1280245800);	/* 16:50 BST */
	assert_int_equal(it->updates[3].status, NEWS_ST_MONITORING);
	assert_int_equal(it->updates[1].status, NEWS_ST_NONE);
	/* paragraphs reflowed: one blank line between, no indentation */
	assert_string_equal(it->updates[0].text,
			    "The mail servers are in the process of being "
			    "rebooted to solve the current service issue "
			    "(15:00 onwards).\n\nWe should have the service "
			    "restored shortly.");
	it = &n.items[0];
	assert_int_equal(it->kind, NEWS_ANNOUNCEMENT);
	assert_string_equal(it->title, "New Email Packages");
	news_sort(&n);
	assert_string_equal(n.items[0].id, "2010-08-05-storage");
	assert_string_equal(n.items[1].id, "2010-07-30-packages");
	news_free(&n);
	gd_errlist_clear(&errs);
}

struct bad {
	const char *name;
	const char *text;
	const char *want[4];	/* "line: message" suffixes, in order */
};

#define HEAD "<news>\n"
#define UPD(at) "<update at=\"" at "\">text</update>"

static const struct bad bads[] = {
	{ "not well-formed", HEAD "<incident>\n</news>\n",
	  { "3: Opening and ending tag mismatch: incident line 2 and news",
	    "4: Premature end of data in tag news line 1" } },
	{ "DTD", "<!DOCTYPE news [<!ENTITY a \"b\">]>\n<news/>\n",
	  { "1: DTD not allowed" } },
	{ "billion laughs", "<?xml version=\"1.0\"?>\n"
	  "<!DOCTYPE news [\n<!ENTITY l \"lol\">\n"
	  "<!ENTITY l2 \"&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;\">\n"
	  "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">\n"
	  "<!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\">\n"
	  "]>\n<news><announcement id=\"a\" at=\"" T0 "\" title=\"&l4;\">"
	  "&l4;</announcement></news>\n",
	  { "2: DTD not allowed" } },
	{ "external entity", "<!DOCTYPE news [<!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\">]>\n<news>&x;</news>\n",
	  { "1: DTD not allowed" } },
	{ "root", "<feed/>\n",
	  { "1: not a news file (the root element must be <news>)" } },
	{ "missing status", HEAD "<incident id=\"a\" title=\"T\">" UPD(T0)
	  "</incident>\n</news>\n", { "2: incident: missing status=" } },
	{ "bad status and id", HEAD
	  "<incident id=\"Bad_ID\" title=\"T\" status=\"fixed\">" UPD(T0)
	  "</incident>\n</news>\n",
	  { "2: incident: id=\"Bad_ID\" is not an id ([a-z0-9][a-z0-9._-]{0,63})",
	    "2: incident: status=\"fixed\" is not investigating, identified, "
	    "monitoring or resolved" } },
	{ "zoneless time", HEAD
	  "<incident id=\"a\" title=\"T\" status=\"resolved\">\n"
	  UPD("2010-07-27T15:15:00") "</incident>\n</news>\n",
	  { "3: update: at=\"2010-07-27T15:15:00\" is not a time with a zone "
	    "(such as 2010-07-27T15:15:00+01:00)" } },
	{ "no updates", HEAD
	  "<incident id=\"a\" title=\"T\" status=\"resolved\"/>\n</news>\n",
	  { "2: incident: needs at least one <update>" } },
	{ "out of order", HEAD
	  "<incident id=\"a\" title=\"T\" status=\"resolved\">\n"
	  UPD("2010-07-27T16:50:00+01:00") "\n"
	  UPD("2010-07-27T15:50:00+01:00") "\n</incident>\n</news>\n",
	  { "4: update: at= is earlier than the update before it (line 3); "
	    "updates go in time order" } },
	{ "blank text", HEAD
	  "<incident id=\"a\" title=\"T\" status=\"resolved\">\n"
	  "<update at=\"" T0 "\">  \n  </update>\n</incident>\n</news>\n",
	  { "3: update: empty text" } },
	{ "duplicate id", HEAD
	  "<announcement id=\"a\" at=\"" T0 "\" title=\"A\">x</announcement>\n"
	  "<incident id=\"a\" title=\"T\" status=\"resolved\">" UPD(T0)
	  "</incident>\n</news>\n",
	  { "3: incident: duplicate id \"a\" (first at line 2)" } },
	{ "announcement without at", HEAD
	  "<announcement id=\"a\" title=\"A\">x</announcement>\n</news>\n",
	  { "2: announcement: missing at=" } },
	{ "maintenance backwards", HEAD
	  "<maintenance id=\"m\" title=\"M\" start=\"2010-08-05T22:00:00Z\" "
	  "end=\"2010-08-05T21:00:00Z\" status=\"over\">x</maintenance>\n"
	  "</news>\n",
	  { "2: maintenance: end= must be after start=",
	    "2: maintenance: status=\"over\" is not scheduled, in-progress, "
	    "completed or cancelled" } },
	{ "unknown element", HEAD "<notice/>\n</news>\n",
	  { "2: Did not expect element notice there" } },
	{ "every problem in one run", HEAD
	  "<incident id=\"a\" title=\"T\" status=\"resolved\"/>\n"
	  "<announcement id=\"a\" title=\"A\">x</announcement>\n</news>\n",
	  { "2: incident: needs at least one <update>",
	    "3: announcement: missing at=",
	    "3: announcement: duplicate id \"a\" (first at line 2)" } },
};

static void check_bad(const struct bad *b)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };
	const char *path = write_news(b->text);
	char got[1024], want[1024];
	size_t nwant = 0;

	while (nwant < 4 && b->want[nwant] != NULL)
		nwant++;
	assert_int_equal(news_load(path, NULL, &n, &errs), -1);
	assert_int_equal(n.n, 0);
	if (errs.n != nwant) {
		print_message("%s: got\n", b->name);
		gd_errlist_print(&errs, stdout);
	}
	assert_int_equal(errs.n, nwant);
	for (size_t i = 0; i < nwant; i++) {
		gd_err_format(&errs.v[i], got, sizeof got);
		snprintf(want, sizeof want, "%s:%s", path, b->want[i]);
		assert_string_equal(got, want);
	}
	news_free(&n);
	gd_errlist_clear(&errs);
}

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
		check_bad(&bads[i]);
}

static void test_missing_file(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };

	(void)state;
	assert_int_equal(news_load("/nonexistent/news.xml", NULL, &n, &errs),
			 -1);
	assert_true(errs.n >= 1);
	news_free(&n);
	gd_errlist_clear(&errs);
}

/* Past NEWS_MAX_BYTES: refused by its size, never read (sparse). */
static void test_too_large(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };
	const char *path = write_news("");

	(void)state;
	assert_int_equal(truncate(path, (off_t)NEWS_MAX_BYTES + 1), 0);
	assert_int_equal(news_load(path, NULL, &n, &errs), -1);
	assert_int_equal(n.n, 0);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].msg, "larger than"));
	gd_errlist_clear(&errs);
}

/* A news file others may write is read, with a warning in the log. */
static void test_writable_warning(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };
	char logpath[300], spec[320], buf[1024] = "";
	const char *path = write_news(HEAD "</news>\n");
	FILE *f;
	size_t len;

	(void)state;
	snprintf(logpath, sizeof logpath, "%s/log", dir);
	snprintf(spec, sizeof spec, "f %s", logpath);
	assert_int_equal(gd_log_open("test", spec), 0);
	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(news_load(path, NULL, &n, &errs), 0);
	gd_log_close();
	gd_log_open("test", "n");
	assert_int_equal(chmod(path, 0644), 0);
	f = fopen(logpath, "r");
	assert_non_null(f);
	len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	assert_non_null(strstr(buf, "news file "));
	assert_non_null(strstr(buf, "is writable by group/others (mode 0646)"));
	news_free(&n);
}

/* A failed load leaves what the list held before. */
static void test_failure_keeps_list(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };

	(void)state;
	assert_int_equal(news_load(EXAMPLE, NULL, &n, &errs), 0);
	assert_int_equal(news_load(write_news(HEAD "<bad/></news>"), NULL, &n,
				   &errs), -1);
	assert_int_equal(n.n, 4);
	news_free(&n);
	gd_errlist_clear(&errs);
}

static void test_maintenance_status(void **state)
{
	struct news_item it = { .kind = NEWS_MAINTENANCE, .start = 1000,
				.end = 2000 };

	(void)state;
	assert_int_equal(news_status_at(&it, 999), NEWS_ST_SCHEDULED);
	assert_int_equal(news_status_at(&it, 1000), NEWS_ST_IN_PROGRESS);
	assert_true(news_active(&it, 1500));
	assert_int_equal(news_status_at(&it, 2000), NEWS_ST_COMPLETED);
	it.status = NEWS_ST_IN_PROGRESS;	/* an overrun */
	assert_int_equal(news_status_at(&it, 5000), NEWS_ST_IN_PROGRESS);
	it.status = NEWS_ST_CANCELLED;
	assert_int_equal(news_status_at(&it, 1500), NEWS_ST_CANCELLED);
	assert_false(news_active(&it, 1500));
}

static void test_count_new(void **state)
{
	struct news n = { 0 };
	const time_t now = 1280534400, week = 7 * 86400;
	const time_t at[] = { now - week, now - week + 1, now, now + 1,
			      now - 60 };

	(void)state;
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		struct news_item *it = news_add(&n);

		assert_non_null(it);
		it->published = at[i];
	}
	assert_int_equal(news_count_new(&n, now, week), 3);
	news_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_writable_warning),
		cmocka_unit_test(test_failure_keeps_list),
		cmocka_unit_test(test_maintenance_status),
		cmocka_unit_test(test_count_new),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
