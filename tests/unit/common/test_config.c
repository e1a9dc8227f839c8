/*
 * test_config.c — the infrastructure config loader on good and bad files.
 *
 * Each bad config is a table row: the file's text, the line the problem
 * must be reported at and a part of the message.  The loader must report
 * it as "file:line: message", return no model and, for the multi-error
 * rows, report every problem in one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

static char tmpdir[] = "/tmp/gd-test-config-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEAD "<greendot title=\"T\">\n"			/* line 1 */
#define AREA "<area id=\"a\" colour=\"blue\">\n"		/* line 2 */
#define GROUP "<group id=\"g\">\n"				/* line 3 */
#define S1 "<server id=\"s1\" host=\"127.0.0.1\" port=\"25\" probe=\"smtp\"/>\n" /* 4 */
#define TAIL "</group>\n</area>\n</greendot>\n"

#define X16 "xxxxxxxxxxxxxxxx"
#define X256 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16

struct bad {
	const char *name;
	const char *text;
	long line;
	const char *msg;
};

static const struct bad bad_configs[] = {
	{ "duplicate server id",
	  HEAD AREA GROUP S1 S1 TAIL, 5,
	  "duplicate server id \"s1\" (first defined at line 4)" },
	{ "duplicate group id",
	  HEAD AREA GROUP S1 "</group>\n<group id=\"g\">\n"
	  "<server id=\"s2\" host=\"h\" port=\"1\" probe=\"tcp\"/>\n" TAIL, 6,
	  "duplicate group id \"g\" (first defined at line 3)" },
	{ "duplicate area id",
	  HEAD AREA GROUP S1 "</group>\n</area>\n" AREA
	  "<group id=\"g2\">\n<server id=\"s2\" host=\"h\" port=\"1\" probe=\"tcp\"/>\n"
	  TAIL, 7, "duplicate area id \"a\" (first defined at line 2)" },
	{ "needs a missing group",
	  HEAD AREA GROUP S1 "</group>\n</area>\n<service id=\"x\">\n"
	  "<needs group=\"nope\"/>\n</service>\n</greendot>\n", 8,
	  "service x: needs unknown group \"nope\"" },
	{ "any= names a missing group",
	  HEAD AREA GROUP S1 "</group>\n</area>\n<service id=\"x\">\n"
	  "<needs any=\"g other\"/>\n</service>\n</greendot>\n", 8,
	  "service x: needs unknown group \"other\"" },
	{ "port out of range",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"70000\" probe=\"smtp\"/>\n" TAIL, 4,
	  "server s1: port 70000 out of range 1..65535" },
	{ "port zero",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"0\" probe=\"tcp\"/>\n" TAIL, 4,
	  "server s1: port 0 out of range 1..65535" },
	{ "port missing",
	  HEAD AREA GROUP "<server id=\"s1\" host=\"h\" probe=\"imap\"/>\n" TAIL, 4,
	  "server s1: probe imap needs a port" },
	{ "host missing",
	  HEAD AREA GROUP "<server id=\"s1\" port=\"25\" probe=\"smtp\"/>\n" TAIL, 4,
	  "server s1: probe smtp needs a host" },
	{ "port on a heartbeat",
	  HEAD AREA GROUP "<server id=\"s1\" port=\"25\" probe=\"heartbeat\"/>\n"
	  TAIL, 4, "server s1: port does not apply to probe heartbeat" },
	{ "expect on smtp",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtp\" expect=\"200\"/>\n"
	  TAIL, 4, "server s1: expect applies to probe http only" },
	{ "timeout not below interval in defaults",
	  HEAD "<defaults interval=\"5\" timeout=\"5\"/>\n" AREA GROUP S1 TAIL, 2,
	  "defaults: timeout 5 s must be below interval 5 s" },
	{ "timeout not below interval on a server",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtp\" timeout=\"20\"/>\n"
	  TAIL, 4, "server s1: timeout 20 s must be below interval 10 s" },
	{ "timeout not below interval on a group",
	  HEAD AREA "<group id=\"g\" interval=\"2\">\n" S1 TAIL, 3,
	  "group g: timeout 3 s must be below interval 2 s" },
	{ "rise zero",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtp\" rise=\"0\"/>\n"
	  TAIL, 4, "Invalid attribute rise for element server" },
	{ "fall negative",
	  HEAD "<defaults fall=\"-1\"/>\n" AREA GROUP S1 TAIL, 2,
	  "Invalid attribute fall for element defaults" },
	{ "unknown probe",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtpx\"/>\n" TAIL, 4,
	  "Invalid attribute probe for element server" },
	{ "unknown admin status",
	  HEAD AREA GROUP
	  "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtp\" admin=\"asleep\"/>\n"
	  TAIL, 4, "Invalid attribute admin for element server" },
	{ "id that escapes a folder",
	  HEAD AREA GROUP
	  "<server id=\"../x\" host=\"h\" port=\"25\" probe=\"smtp\"/>\n" TAIL, 4,
	  "server: invalid id \"../x\"" },
	{ "id with a slash",
	  HEAD AREA "<group id=\"a/b\">\n" S1 TAIL, 3,
	  "group: invalid id \"a/b\"" },
	{ "id that is a slash",
	  HEAD AREA "<group id=\"/\">\n" S1 TAIL, 3,
	  "group: invalid id \"/\"" },
	{ "id that is a dot-dot",
	  HEAD "<area id=\"..\" colour=\"blue\">\n" GROUP S1 TAIL, 2,
	  "area: invalid id \"..\"" },
	{ "id with a character reference to NUL",
	  HEAD AREA GROUP
	  "<server id=\"a&#0;b\" host=\"h\" port=\"25\" probe=\"smtp\"/>\n"
	  TAIL, 4, "invalid xmlChar value 0" },
	{ "title of 256 characters",
	  HEAD AREA "<group id=\"g\" title=\"" X256 "\">\n" S1 TAIL, 3,
	  "Invalid attribute title for element group" },
	{ "id in upper case",
	  HEAD "<area id=\"Core\" colour=\"blue\">\n" GROUP S1 TAIL, 2,
	  "area: invalid id \"Core\"" },
	{ "unknown element",
	  HEAD AREA GROUP S1 "<client id=\"c\"/>\n" TAIL, 5, "client" },
	{ "group without servers",
	  HEAD AREA GROUP "</group>\n</area>\n</greendot>\n", 3,
	  "group g has no servers" },
	{ "not well-formed",
	  HEAD AREA GROUP "<server id=\"s1\" host=\"h\" port=\"25\" probe=\"smtp\">\n"
	  TAIL, 5, "mismatch" },
	{ "a DTD",
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE greendot [\n<!ENTITY x \"y\">\n]>\n"
	  HEAD AREA GROUP S1 TAIL, 2, "DTD not allowed" },
	{ "billion laughs",
	  "<?xml version=\"1.0\"?>\n"
	  "<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
	  "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	  "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	  "]>\n<greendot title=\"&lol3;\"/>\n", 2, "DTD not allowed" },
	{ "wrong root",
	  "<?xml version=\"1.0\"?>\n<config/>\n", 2,
	  "not a greendot config" },
	{ "empty file", "", 0, "" },
};

static void test_bad_config(void **state)
{
	const struct bad *b = *state;
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = (struct gd_config *)1;
	const char *path = write_file("bad.xml", b->text);
	char line[2048];
	bool found = false;

	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_true(errs.n >= 1);
	for (size_t i = 0; i < errs.n && !found; i++) {
		gd_err_format(&errs.v[i], line, sizeof line);
		found = strcmp(errs.v[i].file, path) == 0 &&
			(b->line == 0 || errs.v[i].line == b->line) &&
			strstr(errs.v[i].msg, b->msg) != NULL;
	}
	if (!found) {
		gd_errlist_print(&errs, stderr);
		fail_msg("%s: no \"%s\" at line %ld", b->name, b->msg, b->line);
	}
	gd_errlist_clear(&errs);
}

/* The example: three problems, three errors, one run. */
static void test_three_errors_in_one_run(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	const char *path = write_file("three.xml",
		HEAD AREA GROUP S1
		"<server id=\"s1\" host=\"h\" port=\"26\" probe=\"smtp\"/>\n"
		"<server id=\"s3\" host=\"h\" port=\"70000\" probe=\"smtp\"/>\n"
		"</group>\n</area>\n<service id=\"x\">\n"
		"<needs group=\"missing\"/>\n</service>\n</greendot>\n");
	char line[1024];

	(void)state;
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_int_equal(errs.n, 3);
	/* in file order */
	gd_err_format(&errs.v[0], line, sizeof line);
	assert_non_null(strstr(line, ":5: duplicate server id \"s1\""));
	gd_err_format(&errs.v[1], line, sizeof line);
	assert_non_null(strstr(line, ":6: server s3: port 70000 out of range"));
	gd_err_format(&errs.v[2], line, sizeof line);
	assert_non_null(strstr(line, ":10: service x: needs unknown group \"missing\""));
	gd_errlist_clear(&errs);
}

/* A NUL byte in the file (here inside an id, where it would cut the
 * file name built from it short) is refused by the parser: a document
 * holding one is not XML. */
static void test_nul_byte(void **state)
{
	static const char text[] = HEAD AREA GROUP
		"<server id=\"ok\0/../../etc/x\" host=\"h\" port=\"25\" "
		"probe=\"smtp\"/>\n" TAIL;
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = (struct gd_config *)1;
	char path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/nul.xml", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_true(errs.n >= 1);
	assert_int_equal(errs.v[0].line, 4);
	assert_non_null(strstr(errs.v[0].msg, "Char 0x0 out of allowed range"));
	gd_errlist_clear(&errs);
	/* the same bytes in memory */
	assert_int_equal(gd_config_load_memory(text, sizeof text - 1, "nul.xml",
					       NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_int_equal(errs.v[0].line, 4);
	gd_errlist_clear(&errs);
}

/* Past GD_CONFIG_MAX_BYTES: refused by its size before it is read (a
 * sparse file: nothing is written). */
static void test_too_large(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = (struct gd_config *)1;
	char path[512];
	int fd;

	(void)state;
	snprintf(path, sizeof path, "%s/huge.xml", tmpdir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)GD_CONFIG_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), -1);
	assert_null(cfg);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.v[0].msg, "larger than"));
	gd_errlist_clear(&errs);
	unlink(path);
}

/* One object too many of a kind: refused at its line, said once, and no
 * "group has no servers" for the groups whose servers were skipped. */
static void test_too_many(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	const char *path = write_file("many.xml",
		HEAD AREA GROUP S1					/* 1-4 */
		"<server id=\"s2\" host=\"h\" port=\"2\" probe=\"tcp\"/>\n"
		"<server id=\"s3\" host=\"h\" port=\"3\" probe=\"tcp\"/>\n" /* 6 */
		"<server id=\"s4\" host=\"h\" port=\"4\" probe=\"tcp\"/>\n"
		"</group>\n<group id=\"g2\">\n"
		"<server id=\"s5\" host=\"h\" port=\"5\" probe=\"tcp\"/>\n"
		TAIL);
	char line[1024];

	(void)state;
	gd_config_max_objects = 2;
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), -1);
	gd_config_max_objects = GD_CONFIG_MAX_OBJECTS;
	assert_null(cfg);
	if (errs.n != 1)
		gd_errlist_print(&errs, stderr);
	assert_int_equal(errs.n, 1);
	gd_err_format(&errs.v[0], line, sizeof line);
	assert_non_null(strstr(line, ":6: more than 2 servers"));
	gd_errlist_clear(&errs);

	/* at the limit: loads */
	gd_config_max_objects = 5;
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), 0);
	gd_config_max_objects = GD_CONFIG_MAX_OBJECTS;
	assert_int_equal(cfg->nservers, 5);
	gd_config_free(cfg);
}

/* A config others may write loads, with a warning in the log. */
static void test_writable_warning(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	char logpath[512], spec[600], buf[1024] = "";
	const char *path = write_file("shared.xml", HEAD AREA GROUP S1 TAIL);
	FILE *f;
	size_t n;

	(void)state;
	snprintf(logpath, sizeof logpath, "%s/log", tmpdir);
	snprintf(spec, sizeof spec, "f %s", logpath);
	assert_int_equal(gd_log_open("test", spec), 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), 0);
	gd_config_free(cfg);
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), 0);
	gd_config_free(cfg);
	gd_log_close();
	f = fopen(logpath, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* once: for the second load only */
	assert_non_null(strstr(buf, "is writable by group/others (mode 0664)"));
	assert_non_null(strstr(buf, path));
	assert_null(strstr(strstr(buf, "writable") + 1, "writable"));
}

static void test_missing_file(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;

	(void)state;
	assert_int_equal(gd_config_load("/nonexistent/x.xml", NULL, &cfg, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].file, "/nonexistent/x.xml");
	gd_errlist_clear(&errs);
}

static void test_example_loads(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	const struct gd_server *s;
	const struct gd_service *svc;
	long i;

	(void)state;
	if (gd_config_load("examples/aluminati.xml", NULL, &cfg, &errs) < 0)
		gd_errlist_print(&errs, stderr);
	assert_non_null(cfg);
	assert_string_equal(cfg->title, "Aluminati Network");
	assert_int_equal(cfg->nareas, 3);
	assert_int_equal(cfg->ngroups, 10);
	assert_int_equal(cfg->nservices, 4);
	assert_string_equal(cfg->areas[0].colour, "yellow");
	assert_non_null(strstr(cfg->areas[0].description, "AV/GreyListing"));

	i = gd_config_find_server(cfg, "av3");
	assert_true(i >= 0);
	s = &cfg->servers[i];
	assert_int_equal(s->admin, GD_ADMIN_MAINTENANCE);
	assert_int_equal(s->probe, GD_PROBE_SMTP);
	assert_int_equal(s->port, 20253);
	assert_string_equal(cfg->groups[s->group].id, "av-greylisting");
	assert_true(s->check.interval == 10.0 && s->check.timeout == 3.0);
	assert_int_equal(s->check.rise, 2);

	s = &cfg->servers[gd_config_find_server(cfg, "web1")];
	assert_string_equal(s->path, "/");
	assert_int_equal(s->expect, 200);
	s = &cfg->servers[gd_config_find_server(cfg, "backup1")];
	assert_int_equal(s->probe, GD_PROBE_HEARTBEAT);
	assert_true(s->max_age == 90000.0);

	svc = &cfg->services[gd_config_find_service(cfg, "incoming-mail")];
	assert_int_equal(svc->nneeds, 4);
	assert_true(svc->needs[0].any);
	assert_int_equal(svc->needs[0].ngroups, 2);
	assert_string_equal(cfg->groups[svc->needs[0].groups[1]].id, "backup-mx");
	assert_false(svc->needs[1].any);

	/* groups hold their servers contiguously */
	for (size_t g = 0; g < cfg->ngroups; g++)
		for (size_t k = 0; k < cfg->groups[g].nservers; k++)
			assert_int_equal(cfg->servers[cfg->groups[g].first_server + k].group, g);
	assert_int_equal(gd_config_find_group(cfg, "nope"), -1);
	gd_config_free(cfg);
}

/* Overrides: group over defaults, server over group. */
static void test_inheritance(void **state)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	const char *path = write_file("inherit.xml",
		"<greendot>\n<defaults interval=\"30\" timeout=\"5\" rise=\"3\" fall=\"4\"/>\n"
		AREA "<group id=\"g\" interval=\"20\" fall=\"1\">\n"
		"<server id=\"a\" host=\"h\" port=\"1\" probe=\"tcp\"/>\n"
		"<server id=\"b\" host=\"h\" port=\"2\" probe=\"tcp\" interval=\"0.5\" timeout=\"0.25\"/>\n"
		"<server id=\"c\" probe=\"heartbeat\"/>\n"
		TAIL);

	(void)state;
	assert_int_equal(gd_config_load(path, NULL, &cfg, &errs), 0);
	assert_true(cfg->servers[0].check.interval == 20.0);
	assert_true(cfg->servers[0].check.timeout == 5.0);
	assert_int_equal(cfg->servers[0].check.rise, 3);
	assert_int_equal(cfg->servers[0].check.fall, 1);
	assert_true(cfg->servers[1].check.interval == 0.5);
	assert_true(cfg->servers[1].check.timeout == 0.25);
	/* heartbeat max-age defaults to 3 intervals */
	assert_true(cfg->servers[2].max_age == 60.0);
	assert_string_equal(cfg->servers[0].title, "a");
	assert_string_equal(cfg->title, "greendot");
	gd_config_free(cfg);
	gd_errlist_clear(&errs);
}

static void test_id_valid(void **state)
{
	static const struct {
		const char *id;
		bool ok;
	} ids[] = {
		{ "a", true }, { "av-greylisting", true }, { "x1.b_c", true },
		{ "0", true }, { "", false }, { ".", false }, { "..", false },
		{ "../x", false }, { "a/b", false }, { "/", false },
		{ "-a", false }, { "_a", false }, { "A", false },
		{ "a b", false }, { "a\tb", false },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (gd_id_valid(ids[i].id) != ids[i].ok)
			fail_msg("id \"%s\": expected %s", ids[i].id,
				 ids[i].ok ? "valid" : "invalid");
	assert_false(gd_id_valid(NULL));
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(tmpdir);
}

int main(void)
{
	enum { NBAD = sizeof bad_configs / sizeof bad_configs[0] };
	struct CMUnitTest tests[NBAD + 10];
	size_t n = 0;

	for (size_t i = 0; i < NBAD; i++)
		tests[n++] = (struct CMUnitTest){
			.name = bad_configs[i].name,
			.test_func = test_bad_config,
			.initial_state = (void *)&bad_configs[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_three_errors_in_one_run);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_missing_file);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_nul_byte);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_too_large);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_too_many);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_writable_warning);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_example_loads);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_inheritance);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_id_valid);
	return _cmocka_run_group_tests("config", tests, n, setup, teardown);
}
