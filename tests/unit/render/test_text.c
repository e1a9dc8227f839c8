/*
 * test_text.c — cleaning strings for output, paragraphs, percentages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

#define FFFD "\xef\xbf\xbd"

struct case_ {
	const char *in, *want;
};

/* What text_clean() keeps and what becomes U+FFFD. */
static const struct case_ clean_cases[] = {
	{ "plain ascii", "plain ascii" },
	{ "<script>&\"'", "<script>&\"'" },		/* escaping is not ours */
	{ "tab\tnew\nline", "tab\tnew\nline" },
	{ "cr\r", "cr" FFFD },
	{ "nul\x01soh\x1b", "nul" FFFD "soh" FFFD },
	{ "del\x7f", "del" FFFD },
	{ "c1 \xc2\x85", "c1 " FFFD },			/* U+0085 */
	{ "\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x99\x82", "\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x99\x82" },
	{ "\xff\xfe", FFFD FFFD },
	{ "\xc0\xaf", FFFD FFFD },			/* overlong '/' */
	{ "\xe0\x80\xaf", FFFD FFFD FFFD },		/* overlong */
	{ "\xed\xa0\x80", FFFD FFFD FFFD },		/* surrogate */
	{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },	/* > U+10FFFF */
	{ "cut \xe2\x82", "cut " FFFD FFFD },		/* truncated */
	{ "\xc3\x28", FFFD "(" },
	{ "\xef\xbf\xbe", FFFD },			/* U+FFFE */
	{ "", "" },
};

static void test_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof clean_cases / sizeof clean_cases[0];
	     i++) {
		char *out = text_clean(clean_cases[i].in);

		assert_non_null(out);
		assert_string_equal(out, clean_cases[i].want);
		free(out);
	}
}

static void test_clean_null(void **state)
{
	char *out = text_clean(NULL);

	(void)state;
	assert_string_equal(out, "");
	free(out);
}

static void test_clean_line(void **state)
{
	char *out = text_clean_line("  two\n\twords \x01 here  ");

	(void)state;
	assert_string_equal(out, "two words " FFFD " here");
	free(out);
}

static void test_paragraphs(void **state)
{
	const char *text = "\n   First line\n   goes on.\n\n  \t\n Second.\n";
	size_t pos = 0;
	char *p;

	(void)state;
	p = text_next_paragraph(text, &pos);
	assert_string_equal(p, "First line goes on.");
	free(p);
	p = text_next_paragraph(text, &pos);
	assert_string_equal(p, "Second.");
	free(p);
	assert_null(text_next_paragraph(text, &pos));
	assert_null(text_next_paragraph("   \n \n", &(size_t){ 0 }));
}

static void test_reflow(void **state)
{
	char *out = text_reflow("\n  A\n  b.\n\n\n  C.\n  ");

	(void)state;
	assert_string_equal(out, "A b.\n\nC.");
	free(out);
	out = text_reflow(" \n\t ");
	assert_string_equal(out, "");
	free(out);
}

static void test_percent(void **state)
{
	static const struct {
		double ratio;
		const char *want;
	} cases[] = {
		{ 1.0, "100%" },
		{ 0.75, "75.000%" },
		{ 66.0 / 72.0, "91.666%" },	/* rounded down */
		{ 0.999996, "99.999%" },	/* never "100.000%" */
		{ 0.0, "0.000%" },
		{ -0.5, "0.000%" },
		{ 23.0 / 24.0, "95.833%" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text_percent(buf, sizeof buf, cases[i].ratio);
		assert_string_equal(buf, cases[i].want);
	}
	assert_true(text_percent_value(0.75) == 75.0);
}

static void test_utf8_roundtrip(void **state)
{
	static const unsigned cps[] = { 0x24, 0xA2, 0x20AC, 0x10348, 0x10FFFF };
	unsigned char buf[4];
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		size_t n = text_utf8_put(cps[i], buf);

		assert_int_equal(text_utf8_next(buf, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_null),
		cmocka_unit_test(test_clean_line),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_reflow),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_utf8_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
