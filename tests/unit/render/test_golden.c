/*
 * test_golden.c — whole runs of the renderer on the fixture's data:
 *
 *   - index.html, status.json and feed.atom equal the golden files in
 *     tests/data/render/golden/ (TZ=Europe/London, LC_ALL=C, now fixed
 *     by GREENDOT_NOW); UPDATE_GOLDEN=1 rewrites them.  Image sizes are
 *     masked (they follow the fonts), the PNGs are checked elsewhere;
 *   - with the escaping corpus in every field, the page and the feed
 *     parse as XML and no corpus string became an element;
 *   - a bad news file leaves the last good site as it was.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "clock.h"
#include "fixture.h"
#include "log.h"
#include "site.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

#define GOLDEN "tests/data/render/golden"
#define NEWS "examples/news.xml"
#define CORPUS_NEWS "tests/data/render/corpus-news.xml"
#define BASE "https://status.example.net/"

static char dir[] = "/tmp/gd-golden-XXXXXX";

static int setup(void **state)
{
	char now[32];

	(void)state;
	gd_log_open("test", "n");
	snprintf(now, sizeof now, "%ld", (long)FIXTURE_NOW);
	setenv(CLOCK_NOW_ENV, now, 1);
	setenv("TZ", "Europe/London", 1);
	setenv("LC_ALL", "C", 1);
	tzset();
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	xmlCleanupParser();
	return ut_rmtree(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static void spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* width="497" height="168" -> width="W" height="H" (font metrics). */
static void mask_sizes(char *s)
{
	static const char *const attrs[] = { " width=\"", " height=\"" };
	char *p, *q;

	for (int a = 0; a < 2; a++)
		for (p = s; (p = strstr(p, attrs[a])) != NULL;) {
			p += strlen(attrs[a]);
			q = p + strspn(p, "0123456789");
			if (q == p || *q != '"')
				continue;
			*p = a ? 'H' : 'W';
			memmove(p + 1, q, strlen(q) + 1);
		}
}

static void render(const char *name, const char *news, bool corpus,
		   enum site_server_graphs sg, int want)
{
	struct fixture_opts fo = { .now = FIXTURE_NOW, .corpus = corpus };
	struct site_opts o = { .news = news, .base_url = BASE,
			       .server_graphs = sg };
	char data[300], out[300];

	snprintf(data, sizeof data, "%s/%s-data", dir, name);
	snprintf(out, sizeof out, "%s/%s-out", dir, name);
	if (access(data, F_OK) != 0)
		assert_int_equal(fixture_write(data, &fo), 0);
	o.datadir = data;
	o.outdir = out;
	assert_int_equal(site_run(&o, NULL), want);
}

static void compare(const char *out, const char *file)
{
	char got_path[400], want_path[400];
	char *got, *want;

	snprintf(got_path, sizeof got_path, "%s/%s", out, file);
	snprintf(want_path, sizeof want_path, "%s/%s", GOLDEN, file);
	got = slurp(got_path, NULL);
	assert_non_null(got);
	mask_sizes(got);
	if (getenv("UPDATE_GOLDEN") != NULL)
		spill(want_path, got);
	want = slurp(want_path, NULL);
	if (want == NULL)
		fail_msg("%s missing: make unit UPDATE_GOLDEN=1", want_path);
	if (strcmp(got, want) != 0) {
		spill("build/golden-got", got);
		fail_msg("%s differs from %s (got in build/golden-got; "
			 "diff, then UPDATE_GOLDEN=1 if it is right)",
			 got_path, want_path);
	}
	free(got);
	free(want);
}

static void test_golden(void **state)
{
	char out[300];

	(void)state;
	render("golden", NEWS, false, SITE_SG_DAY, 0);
	snprintf(out, sizeof out, "%s/golden-out", dir);
	compare(out, "index.html");
	compare(out, "status.json");
	compare(out, "feed.atom");
}

/* The page's own elements of the names the corpus tries to inject:
 * its <style> in <head>, its <body>, its graphs (with a class). */
static bool own(xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	const char *parent = (const char *)n->parent->name;

	if (strcmp(name, "style") == 0)
		return strcmp(parent, "head") == 0;
	if (strcmp(name, "body") == 0)
		return strcmp(parent, "html") == 0;
	if (strcmp(name, "img") == 0)
		return xmlHasProp(n, (const xmlChar *)"class") != NULL;
	return false;
}

static void no_injected(xmlNodePtr n)
{
	static const char *const injectable[] = { "script", "b", "img",
						  "style", "body" };
	const size_t n_inj = sizeof injectable / sizeof injectable[0];

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < n_inj; i++)
			if (strcmp((const char *)n->name, injectable[i]) == 0 &&
			    !own(n))
				fail_msg("injected <%s>", injectable[i]);
		no_injected(n->children);
	}
}

static void parse_ok(const char *out, const char *file)
{
	char path[400];
	xmlDocPtr doc;

	snprintf(path, sizeof path, "%s/%s", out, file);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	if (doc == NULL)
		fail_msg("%s is not well-formed", path);
	no_injected(xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

static void test_corpus(void **state)
{
	char out[300], path[400];
	char *json;

	(void)state;
	render("corpus", CORPUS_NEWS, true, SITE_SG_NONE, 0);
	snprintf(out, sizeof out, "%s/corpus-out", dir);
	parse_ok(out, "index.html");
	parse_ok(out, "feed.atom");
	snprintf(path, sizeof path, "%s/status.json", out);
	json = slurp(path, NULL);
	assert_non_null(json);
	/* every '<' is \u003c: safe to embed */
	assert_null(strchr(json, '<'));
	assert_non_null(strstr(json, "\\u003cscript\\u003e"));
	free(json);
}

static void quiet_stderr(bool quiet)
{
	static int saved = -1;
	int null;

	fflush(stderr);
	if (quiet) {
		saved = dup(STDERR_FILENO);
		null = open("/dev/null", O_WRONLY);
		assert_true(saved >= 0 && null >= 0);
		dup2(null, STDERR_FILENO);
		close(null);
	} else if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
		saved = -1;
	}
}

/* A bad news file: the run fails and the site stays the last good one. */
static void test_bad_news_keeps_site(void **state)
{
	char out[300], path[400], bad[300];
	char *before, *after;
	struct stat st0, st1;

	(void)state;
	render("keep", NEWS, false, SITE_SG_NONE, 0);
	snprintf(out, sizeof out, "%s/keep-out", dir);
	snprintf(path, sizeof path, "%s/index.html", out);
	before = slurp(path, NULL);
	assert_int_equal(stat(path, &st0), 0);
	snprintf(bad, sizeof bad, "%s/bad-news.xml", dir);
	spill(bad, "<news>\n<incident id=\"x\" title=\"t\"/>\n</news>\n");
	quiet_stderr(true);	/* the run prints the file's problems */
	render("keep", bad, false, SITE_SG_NONE, -1);
	quiet_stderr(false);
	after = slurp(path, NULL);
	assert_int_equal(stat(path, &st1), 0);
	assert_string_equal(before, after);
	assert_int_equal(st0.st_ino, st1.st_ino);	/* not even replaced */
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_bad_news_keeps_site),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
