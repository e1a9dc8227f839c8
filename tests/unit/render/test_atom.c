/*
 * test_atom.c — the feed: Atom's required elements, stable ids, an
 * entry's <updated> moving when an update is added (and when a
 * maintenance window starts and ends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "atom.h"
#include "log.h"

#define NOW 1280534400L

static void empty_model(struct model *m, time_t now)
{
	struct gd_state *st = calloc(1, sizeof *st);

	assert_non_null(st);
	assert_int_equal(model_build(m, st, "Aluminati Network", now), 0);
}

static struct news_item *incident(struct model *m, const char *id)
{
	struct news_item *it = news_add(&m->news);

	assert_non_null(it);
	it->kind = NEWS_INCIDENT;
	it->id = strdup(id);
	it->title = strdup("Service Interruption");
	it->status = NEWS_ST_RESOLVED;
	assert_int_equal(news_add_update(it, NOW - 7200, NEWS_ST_IDENTIFIED,
					 "Rebooting."), 0);
	return it;
}

/* The feed of m as a parsed document. */
static xmlDocPtr feed(const struct model *m, const char *base)
{
	char *text = NULL;
	size_t len;
	xmlDocPtr doc;

	assert_int_equal(atom_feed(m, base, &text, &len), 0);
	doc = xmlReadMemory(text, (int)len, "feed.atom", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	free(text);
	return doc;
}

/* The text of the first node of an XPath (prefix a: is Atom). */
static char *xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r;
	char *out = NULL;

	xmlXPathRegisterNs(ctx, (const xmlChar *)"a", (const xmlChar *)ATOM_NS);
	r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (r != NULL && r->nodesetval != NULL && r->nodesetval->nodeNr > 0)
		out = (char *)xmlNodeGetContent(r->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return out;
}

static void expect(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath(doc, expr);

	if (got == NULL)
		fail_msg("%s: nothing", expr);
	assert_string_equal(got, want);
	xmlFree(got);
}

static void test_required(void **state)
{
	struct model m;
	xmlDocPtr doc;

	(void)state;
	empty_model(&m, NOW);
	incident(&m, "2010-07-27-mail");
	doc = feed(&m, NULL);
	expect(doc, "/a:feed/a:id", "tag:greendot.invalid,2010:feed");
	expect(doc, "/a:feed/a:title", "Aluminati Network status");
	expect(doc, "/a:feed/a:author/a:name", "Aluminati Network");
	expect(doc, "/a:feed/a:updated", "2010-07-30T22:00:00Z");
	expect(doc, "/a:feed/a:link[@rel='self']/@href", "feed.atom");
	expect(doc, "/a:feed/a:entry/a:id",
	       "tag:greendot.invalid,2010-07-30:news/2010-07-27-mail");
	expect(doc, "/a:feed/a:entry/a:title",
	       "Service Interruption [Resolved]");
	expect(doc, "/a:feed/a:entry/a:link/@href",
	       "index.html#news-2010-07-27-mail");
	expect(doc, "/a:feed/a:entry/a:content/@type", "text");
	xmlFreeDoc(doc);
	doc = feed(&m, "https://status.example.net/");
	expect(doc, "/a:feed/a:id", "https://status.example.net/feed.atom");
	expect(doc, "/a:feed/a:entry/a:id",
	       "https://status.example.net/#news-2010-07-27-mail");
	xmlFreeDoc(doc);
	model_free(&m);
}

/* The feed reader learns of an update: the entry's <updated> moves,
 * its id and <published> stay. */
static void test_updated_moves(void **state)
{
	struct model m;
	struct news_item *it;
	xmlDocPtr doc;

	(void)state;
	empty_model(&m, NOW);
	it = incident(&m, "x");
	doc = feed(&m, NULL);
	expect(doc, "/a:feed/a:entry/a:updated", "2010-07-30T22:00:00Z");
	xmlFreeDoc(doc);
	assert_int_equal(news_add_update(it, NOW - 600, NEWS_ST_RESOLVED,
					 "Fixed."), 0);
	doc = feed(&m, NULL);
	expect(doc, "/a:feed/a:entry/a:updated", "2010-07-30T23:50:00Z");
	expect(doc, "/a:feed/a:entry/a:published", "2010-07-30T22:00:00Z");
	expect(doc, "/a:feed/a:updated", "2010-07-30T23:50:00Z");
	xmlFreeDoc(doc);
	model_free(&m);
}

static void test_maintenance_window(void **state)
{
	static const struct {
		time_t now;
		const char *updated, *title;
	} cases[] = {
		{ NOW - 7200, "2010-07-30T20:00:00Z", "Upgrade [Scheduled]" },
		{ NOW + 60, "2010-07-31T00:00:00Z", "Upgrade [In progress]" },
		{ NOW + 7200, "2010-07-31T01:00:00Z", "Upgrade [Completed]" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct model m;
		struct news_item *it;
		xmlDocPtr doc;

		empty_model(&m, cases[i].now);
		it = news_add(&m.news);
		it->kind = NEWS_MAINTENANCE;
		it->id = strdup("m");
		it->title = strdup("Upgrade");
		it->text = strdup("Arrays one at a time.");
		it->start = NOW;
		it->end = NOW + 3600;
		it->published = it->updated = NOW - 4 * 3600;
		doc = feed(&m, NULL);
		expect(doc, "/a:feed/a:entry/a:updated", cases[i].updated);
		expect(doc, "/a:feed/a:entry/a:title", cases[i].title);
		xmlFreeDoc(doc);
		model_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_updated_moves),
		cmocka_unit_test(test_maintenance_window),
	};
	int rc;

	gd_log_open("test", "n");
	setenv("TZ", "Europe/London", 1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
