/*
 * test_xmlsafe.c — safe XML reading and RELAX NG validation.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-xmlsafe-XXXXXX";

static const char schema_text[] =
	"<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"\n"
	"  datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n"
	"  <start><element name=\"top\">\n"
	"    <zeroOrMore><element name=\"item\">\n"
	"      <attribute name=\"n\"><data type=\"unsignedInt\"/></attribute>\n"
	"      <empty/>\n"
	"    </element></zeroOrMore>\n"
	"  </element></start>\n"
	"</grammar>\n";

static char *path_in(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The first problem as "file:line: message". */
static const char *first_err(const struct gd_errlist *el)
{
	static char buf[1024];

	assert_true(el->n > 0);
	gd_err_format(&el->v[0], buf, sizeof buf);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	/* our log would go to stderr; the tests check it stays quiet */
	gd_log_open("test", "n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

static void test_good_document(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	static const char text[] =
		"<?xml version=\"1.0\"?>\n<top><item n=\"1\"/>"
		"<![CDATA[x<y]]></top>\n";
	xmlDocPtr doc;

	(void)state;
	doc = gd_xml_read_memory(text, sizeof text - 1, "good.xml", &el);
	assert_non_null(doc);
	assert_int_equal(el.n, 0);
	assert_string_equal(doc->URL, "good.xml");
	/* CDATA arrives as text */
	assert_int_equal(xmlGetLastChild(doc->children)->type, XML_TEXT_NODE);
	xmlFreeDoc(doc);
}

static const struct bad_case {
	const char *name;
	const char *text;
	long line;
	const char *msg;	/* a part of the message */
} bad_cases[] = {
	{ "mismatch", "<a>\n<b>\n</a>\n", 3, "mismatch" },
	{ "empty", "", 1, "empty" },
	{ "dtd", "<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a/>\n", 2,
	  "DTD not allowed" },
	{ "billion-laughs",
	  "<?xml version=\"1.0\"?>\n"
	  "<!DOCTYPE lolz [\n"
	  " <!ENTITY lol \"lol\">\n"
	  " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	  " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	  " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	  " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	  " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	  " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	  " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	  " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	  "]>\n<lolz>&lol9;</lolz>\n", 2, "DTD not allowed" },
	{ "xxe",
	  "<!DOCTYPE a [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n"
	  "<a>&x;</a>\n", 1, "DTD not allowed" },
	{ "external-dtd",
	  "\n\n<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\">\n<a/>\n",
	  3, "DTD not allowed" },
	{ "undeclared-entity", "<a>\n&nope;</a>\n", 2, "nope" },
	{ "bad-utf8", "<a>\n\n\xff\xfe</a>\n", 3, "UTF-8" },
	{ "control-char", "<a>\x01</a>\n", 1, "PCDATA invalid Char" },
	{ "two-roots", "<a/>\n<b/>\n", 2, "Extra content" },
};

static void test_bad_documents(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct gd_errlist el = GD_ERRLIST_INIT;
		char want[64];
		xmlDocPtr doc;

		doc = gd_xml_read_memory(c->text, strlen(c->text), "bad.xml",
					 &el);
		if (doc != NULL || el.n == 0)
			fail_msg("%s: accepted", c->name);
		snprintf(want, sizeof want, "bad.xml:%ld: ", c->line);
		if (strncmp(first_err(&el), want, strlen(want)) != 0 ||
		    strstr(first_err(&el), c->msg) == NULL)
			fail_msg("%s: got \"%s\", want \"%s...%s\"", c->name,
				 first_err(&el), want, c->msg);
		assert_int_equal(errno, EINVAL);
		gd_errlist_clear(&el);
	}
}

/* libxml2 must not print: stderr stays empty through every bad case. */
static void test_quiet(void **state)
{
	int saved = dup(2);
	int fd = open(path_in("stderr"), O_CREAT | O_TRUNC | O_RDWR, 0600);
	struct stat st;

	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	test_bad_documents(state);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	assert_int_equal(st.st_size, 0);
}

static void test_read_file(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char *p = path_in("ok.xml");
	xmlDocPtr doc;

	(void)state;
	write_file(p, "<top/>\n", 7);
	doc = gd_xml_read(p, 7, &el);
	assert_non_null(doc);
	assert_int_equal(el.n, 0);
	xmlFreeDoc(doc);

	/* one byte over the limit: refused before parsing */
	doc = gd_xml_read(p, 6, &el);
	assert_null(doc);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].line, 0);
	assert_non_null(strstr(el.v[0].msg, "larger than 6 bytes"));
	gd_errlist_clear(&el);
}

static void test_missing_file(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char want[300];

	(void)state;
	assert_null(gd_xml_read(path_in("nope.xml"), 1000, &el));
	assert_int_equal(errno, ENOENT);
	snprintf(want, sizeof want, "%s: %s", path_in("nope.xml"),
		 strerror(ENOENT));
	assert_string_equal(first_err(&el), want);
	gd_errlist_clear(&el);
}

/* A file on a pipe has no size to trust: the limit holds while reading. */
static void test_read_fifo_limit(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char *p = path_in("fifo");
	pid_t pid;

	(void)state;
	assert_int_equal(mkfifo(p, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char chunk[4096];
		int fd = open(p, O_WRONLY);

		memset(chunk, ' ', sizeof chunk);
		for (int i = 0; i < 64 && fd >= 0; i++)
			if (write(fd, chunk, sizeof chunk) < 0)
				break;
		_exit(0);
	}
	assert_null(gd_xml_read(p, 100000, &el));
	assert_int_equal(errno, EFBIG);
	gd_errlist_clear(&el);
	waitpid(pid, NULL, 0);
}

static xmlDocPtr parse(const char *text)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	xmlDocPtr doc = gd_xml_read_memory(text, strlen(text), "doc.xml", &el);

	assert_non_null(doc);
	assert_int_equal(el.n, 0);
	return doc;
}

static void test_validate(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char *rng = strdup(path_in("t.rng"));
	xmlDocPtr doc;

	(void)state;
	write_file(rng, schema_text, strlen(schema_text));
	doc = parse("<top>\n<item n=\"1\"/>\n</top>\n");
	assert_int_equal(gd_xml_validate(doc, rng, NULL, &el), 0);
	/* again, from the cache */
	assert_int_equal(gd_xml_validate(doc, rng, NULL, &el), 0);
	assert_int_equal(el.n, 0);
	xmlFreeDoc(doc);

	doc = parse("<top>\n<item n=\"1\"/>\n\n<item n=\"x\"/>\n</top>\n");
	assert_int_equal(gd_xml_validate(doc, rng, "my.xml", &el), -1);
	assert_true(el.n >= 1);
	assert_string_equal(el.v[0].file, "my.xml");
	assert_int_equal(el.v[0].line, 4);
	gd_errlist_clear(&el);

	/* file NULL: the document's URL names it */
	assert_int_equal(gd_xml_validate(doc, rng, NULL, &el), -1);
	assert_string_equal(el.v[0].file, "doc.xml");
	gd_errlist_clear(&el);
	xmlFreeDoc(doc);
	free(rng);
}

static void test_bad_schema(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char *rng = strdup(path_in("bad.rng"));
	xmlDocPtr doc = parse("<top/>");
	static const char text[] =
		"<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n"
		"<start>\n<ref name=\"nowhere\"/>\n</start>\n</grammar>\n";

	(void)state;
	write_file(rng, text, sizeof text - 1);
	assert_int_equal(gd_xml_validate(doc, rng, NULL, &el), -1);
	assert_true(el.n >= 1);
	assert_string_equal(el.v[0].file, rng);
	assert_int_equal(el.v[0].line, 3);
	gd_errlist_clear(&el);

	/* a missing schema is reported against itself */
	assert_int_equal(gd_xml_validate(doc, path_in("none.rng"), NULL, &el),
			 -1);
	assert_string_equal(el.v[0].file, path_in("none.rng"));
	gd_errlist_clear(&el);
	xmlFreeDoc(doc);
	free(rng);
}

/* Lines past 65535 are reported as they are, by parser and validator. */
static void test_big_lines(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	char *rng = strdup(path_in("t.rng"));
	size_t n = 70000, len = 0;
	char *text = malloc(n * 24 + 100);
	xmlDocPtr doc;

	(void)state;
	write_file(rng, schema_text, strlen(schema_text));
	len += (size_t)sprintf(text, "<top>\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "<item n=\"%zu\"/>\n", i);
	len += (size_t)sprintf(text + len, "<item n=\"-1\"/>\n</top>\n");
	doc = gd_xml_read_memory(text, len, "big.xml", &el);
	assert_non_null(doc);
	assert_int_equal(gd_xml_validate(doc, rng, NULL, &el), -1);
	assert_int_equal(el.v[0].line, (long)n + 2);
	gd_errlist_clear(&el);
	xmlFreeDoc(doc);

	/* a well-formedness error that far down */
	strcpy(text + len - 7, "</tip>\n");
	assert_null(gd_xml_read_memory(text, len, "big.xml", &el));
	assert_int_equal(el.v[0].line, (long)n + 3);
	gd_errlist_clear(&el);
	free(text);
	free(rng);
}

static void test_schema_path(void **state)
{
	char buf[512], small[4];
	const char *p;

	(void)state;
	p = gd_schema_path("state.rng", buf, sizeof buf);
	assert_ptr_equal(p, buf);
	assert_true(p[0] == '/');
	assert_int_equal(strcmp(p + strlen(p) - 10, "/state.rng"), 0);
	assert_null(gd_schema_path("state.rng", small, sizeof small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_document),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_read_fifo_limit),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_bad_schema),
		cmocka_unit_test(test_big_lines),
		cmocka_unit_test(test_schema_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
