/*
 * test_json.c — the JSON writer: escaping by construction, structure,
 * sticky errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* One string value as the writer puts it (the document is the string). */
static void check_string(const char *in, const char *want)
{
	struct json j;

	json_init(&j);
	json_string(&j, in);
	assert_int_equal(json_finish(&j), 0);
	j.buf[j.len - 1] = '\0';	/* the final newline */
	assert_string_equal(j.buf, want);
	json_free(&j);
}

static void test_escaping(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "t\tn\n", "\"t\\tn\\n\"" },
		{ "</script><!--&", "\"\\u003c/script\\u003e\\u003c!--\\u0026\"" },
		{ "ctl\x01\x1f\x7f", "\"ctl\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "cr\r", "\"cr\xef\xbf\xbd\"" },
		{ "bad\xff", "\"bad\xef\xbf\xbd\"" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"" },
		{ "\xc3\xa9\xf0\x9f\x99\x82", "\"\xc3\xa9\xf0\x9f\x99\x82\"" },
		{ "]]>", "\"]]\\u003e\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_string(cases[i].in, cases[i].want);
}

static void test_document(void **state)
{
	static const char want[] =
		"{\n"
		"  \"a\": 1,\n"
		"  \"b\": [\n"
		"    true,\n"
		"    null,\n"
		"    75.000\n"
		"  ],\n"
		"  \"c\": {},\n"
		"  \"d\": [],\n"
		"  \"e\": null,\n"
		"  \"t\": \"2010-07-31T00:00:00Z\",\n"
		"  \"u\": null\n"
		"}\n";
	struct json j;

	(void)state;
	json_init(&j);
	json_object_begin(&j);
	json_kv_int(&j, "a", 1);
	json_key(&j, "b");
	json_array_begin(&j);
	json_bool(&j, true);
	json_number(&j, NAN, 3);
	json_number(&j, 75.0, 3);
	json_array_end(&j);
	json_key(&j, "c");
	json_object_begin(&j);
	json_object_end(&j);
	json_key(&j, "d");
	json_array_begin(&j);
	json_array_end(&j);
	json_kv_string(&j, "e", NULL);
	json_kv_time(&j, "t", 1280534400);
	json_kv_time(&j, "u", 0);
	json_object_end(&j);
	assert_int_equal(json_finish(&j), 0);
	assert_string_equal(j.buf, want);
	json_free(&j);
}

/* Misuse is caught, never written as invalid JSON. */
static void test_errors(void **state)
{
	struct json j;

	(void)state;
	json_init(&j);			/* a value where a key is due */
	json_object_begin(&j);
	json_int(&j, 1);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);

	json_init(&j);			/* unbalanced */
	json_array_begin(&j);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);

	json_init(&j);			/* wrong closer */
	json_array_begin(&j);
	json_object_end(&j);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);

	json_init(&j);			/* key without value */
	json_object_begin(&j);
	json_key(&j, "k");
	json_object_end(&j);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);

	json_init(&j);			/* two top-level values */
	json_null(&j);
	json_null(&j);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);

	json_init(&j);			/* nothing */
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);
}

static void test_depth(void **state)
{
	struct json j;

	(void)state;
	json_init(&j);
	for (int i = 0; i <= JSON_DEPTH_MAX; i++)
		json_array_begin(&j);
	assert_int_equal(json_finish(&j), -1);
	json_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
