/*
 * test_html.c — the tree builder escapes by construction; the
 * stylesheet can live in polyglot XHTML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "fixture.h"
#include "htree.h"
#include "style.h"
#include "text.h"

/* '<', '>', '&' in the CSS would be escaped by the serialiser and read
 * as "&gt;" by a browser parsing the page as HTML. */
static void test_css_is_polyglot(void **state)
{
	(void)state;
	assert_null(strpbrk(style_css, "<>&"));
	assert_non_null(strstr(style_css, "prefers-color-scheme:dark"));
}

/* Every corpus string goes in as text and as an attribute and comes
 * back, after a parse, as its cleaned self: nothing became markup. */
static void test_corpus_roundtrip(void **state)
{
	const char *const *c = fixture_corpus();

	(void)state;
	for (size_t i = 0; c[i] != NULL; i++) {
		xmlDocPtr doc = ht_new("html", HT_XHTML_NS), back;
		xmlNodePtr p = ht_el(ht_el(ht_root(doc), "body", NULL), "p",
				     NULL);
		char *outs = NULL, *clean = text_clean(c[i]);
		xmlChar *text, *attr;
		size_t len;

		ht_text(p, c[i]);
		ht_attr(p, "title", c[i]);
		assert_int_equal(ht_serialise(doc, true, &outs, &len), 0);
		back = xmlReadMemory(outs, (int)len, "t.html", NULL,
				     XML_PARSE_NONET);
		assert_non_null(back);
		p = xmlDocGetRootElement(back)->children;
		while (p && p->type != XML_ELEMENT_NODE)
			p = p->next;
		p = xmlFirstElementChild(p);
		assert_string_equal((const char *)p->name, "p");
		assert_null(xmlFirstElementChild(p));	/* no markup */
		text = xmlNodeGetContent(p);
		attr = xmlGetProp(p, (const xmlChar *)"title");
		assert_string_equal((const char *)text, clean);
		/* attribute values normalise tab and newline to spaces */
		assert_int_equal(strlen((const char *)attr), strlen(clean));
		xmlFree(text);
		xmlFree(attr);
		xmlFreeDoc(back);
		xmlFreeDoc(doc);
		free(outs);
		free(clean);
	}
}

/* Polyglot: a non-void element never self-closes; a void one does. */
static void test_polyglot(void **state)
{
	xmlDocPtr doc = ht_new("html", HT_XHTML_NS);
	xmlNodePtr body = ht_el(ht_root(doc), "body", NULL);
	char *outs = NULL;
	size_t len;

	(void)state;
	ht_el(body, "div", "empty");
	ht_attr(ht_el(body, "img", NULL), "src", "a.png");
	assert_int_equal(ht_serialise(doc, true, &outs, &len), 0);
	assert_true(strncmp(outs, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(outs, "<div class=\"empty\"></div>"));
	assert_non_null(strstr(outs, "<img src=\"a.png\" />"));
	free(outs);
	xmlFreeDoc(doc);
}

/* NULL parents are no-ops, so builders need not check each call. */
static void test_null_parent(void **state)
{
	(void)state;
	assert_null(ht_el(NULL, "p", "x"));
	ht_text(NULL, "x");
	ht_attr(NULL, "a", "b");
	ht_textf(NULL, "%d", 1);
	assert_true(ht_failed(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_css_is_polyglot),
		cmocka_unit_test(test_corpus_roundtrip),
		cmocka_unit_test(test_polyglot),
		cmocka_unit_test(test_null_parent),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
