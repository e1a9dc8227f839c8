/*
 * test_state.c — state.xml: write/read round trip of every field, the
 * schema (also through xmllint), strings SNMP can bring, bad files.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/xmlerror.h>

#include "log.h"
#include "state.h"
#include "xmlsafe.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-state-XXXXXX";
static char path[256];
static char rng[512];

#define T0 1764371706	/* 2025-11-28T23:15:06Z */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a state with every field, owned by the test (strdup'd) ---- */

static char *s(const char *v)
{
	return v ? strdup(v) : NULL;
}

static void fill_area(struct gd_state_area *a, unsigned i)
{
	char id[16];

	snprintf(id, sizeof id, "area-%u", i);
	a->id = s(id);
	a->title = s(i % 2 ? "Incoming mail" : NULL);
	a->colour = s(i % 2 ? "yellow" : NULL);
	/* every character that needs escaping, and none */
	a->description = s(i % 2 ? "<b>&amp;\"quoted\" 'it'</b>\n\ttab\r\n]]>"
				 : NULL);
}

static void fill_group(struct gd_state_group *g, unsigned i)
{
	char id[16];

	snprintf(id, sizeof id, "group-%u", i);
	g->id = s(id);
	g->title = s(i % 2 ? "AV/GreyListing" : NULL);
	g->area = s(i % 2 ? "area-1" : NULL);
	g->status = (enum gd_status)(GD_STATUS_UP + i % 4);
	g->members_up = i;
	g->members_active = i % 2 ? 4294967295U : 0;
	g->members = 2 * i;
	g->last_change = i % 2 ? T0 - 60 : 0;
}

static void fill_server(struct gd_state_server *v, unsigned i)
{
	char id[16];

	snprintf(id, sizeof id, "srv_%u.x", i);
	v->id = s(id);
	v->title = s(i % 3 ? "Server \"one\"" : NULL);
	v->group = s(i % 3 ? "group-1" : NULL);
	v->probe = (enum gd_probe)(i % 9);	/* 0: not known */
	v->address = s(i % 3 ? "2001:db8::1" : NULL);
	v->port = i % 3 == 0 ? 0 : i % 3 == 1 ? 25 : 65535;
	v->oper = (enum gd_oper)(GD_OPER_UP + i % 3);
	v->admin = (enum gd_admin)(i % 4);	/* 0: not known */
	v->uptime = i % 2 ? 4294967295U : 0;
	v->last_change = i % 2 ? T0 - 86400 : 0;
	v->latency_us = i * 1000;
	v->checks = i % 2 ? UINT64_MAX : 0;
	v->failures = i;
	v->last_error = s(i % 3 == 0 ? NULL : i % 3 == 1 ? "" :
			  "connect: Connection refused <&>");
	v->heartbeat_age = i % 3 == 0 ? GD_HEARTBEAT_NONE :
			   i % 3 == 1 ? 0 : 4294967294U;
}

static void fill_service(struct gd_state_service *v, unsigned i)
{
	char id[16];

	snprintf(id, sizeof id, "svc-%u", i);
	v->id = s(id);
	v->title = s(i % 2 ? "Incoming Mail" : NULL);
	v->status = (enum gd_status)(GD_STATUS_UP + i % 4);
	v->last_change = i % 2 ? T0 : 0;
}

static void fill_agent(struct gd_state_agent *a, unsigned i, size_t nareas,
		       size_t ngroups, size_t nservers, size_t nservices)
{
	char peer[64];

	snprintf(peer, sizeof peer, "udp:127.0.0.1:%u", 16161 + i);
	a->peer = s(peer);
	a->reachable = i % 2 == 0;
	a->last_poll = i % 2 ? 0 : T0 - 1;
	a->last_ok = i % 2 ? 0 : T0 - 2;
	a->version = s(i % 2 ? NULL : "greendot 0.1");
	a->title = s(i % 2 ? NULL : "Aluminati Network");
	a->started = i % 2 ? 0 : T0 - 3600;
	a->config_loaded = i % 2 ? 0 : T0 - 1800;
	a->nareas = nareas;
	a->ngroups = ngroups;
	a->nservers = nservers;
	a->nservices = nservices;
	a->areas = calloc(nareas + 1, sizeof *a->areas);
	a->groups = calloc(ngroups + 1, sizeof *a->groups);
	a->servers = calloc(nservers + 1, sizeof *a->servers);
	a->services = calloc(nservices + 1, sizeof *a->services);
	for (unsigned k = 0; k < nareas; k++)
		fill_area(&a->areas[k], k);
	for (unsigned k = 0; k < ngroups; k++)
		fill_group(&a->groups[k], k);
	for (unsigned k = 0; k < nservers; k++)
		fill_server(&a->servers[k], k);
	for (unsigned k = 0; k < nservices; k++)
		fill_service(&a->services[k], k);
}

static struct gd_state *sample(void)
{
	struct gd_state *st = calloc(1, sizeof *st);

	st->generated = T0;
	st->nagents = 3;
	st->agents = calloc(3, sizeof *st->agents);
	fill_agent(&st->agents[0], 0, 3, 8, 36, 8);
	fill_agent(&st->agents[1], 1, 0, 0, 0, 0);	/* unreachable */
	fill_agent(&st->agents[2], 2, 0, 0, 0, 2);
	return st;
}

/* ---- comparing ---- */

static void str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void area_eq(const struct gd_state_area *a,
		    const struct gd_state_area *b)
{
	str_eq(a->id, b->id);
	str_eq(a->title, b->title);
	str_eq(a->colour, b->colour);
	str_eq(a->description, b->description);
}

static void group_eq(const struct gd_state_group *a,
		     const struct gd_state_group *b)
{
	str_eq(a->id, b->id);
	str_eq(a->title, b->title);
	str_eq(a->area, b->area);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->members_up, b->members_up);
	assert_int_equal(a->members_active, b->members_active);
	assert_int_equal(a->members, b->members);
	assert_int_equal(a->last_change, b->last_change);
}

static void server_eq(const struct gd_state_server *a,
		      const struct gd_state_server *b)
{
	str_eq(a->id, b->id);
	str_eq(a->title, b->title);
	str_eq(a->group, b->group);
	assert_int_equal(a->probe, b->probe);
	str_eq(a->address, b->address);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->oper, b->oper);
	assert_int_equal(a->admin, b->admin);
	assert_int_equal(a->uptime, b->uptime);
	assert_int_equal(a->last_change, b->last_change);
	assert_int_equal(a->latency_us, b->latency_us);
	assert_true(a->checks == b->checks);
	assert_true(a->failures == b->failures);
	str_eq(a->last_error, b->last_error);
	assert_int_equal(a->heartbeat_age, b->heartbeat_age);
}

static void service_eq(const struct gd_state_service *a,
		       const struct gd_state_service *b)
{
	str_eq(a->id, b->id);
	str_eq(a->title, b->title);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->last_change, b->last_change);
}

static void agent_eq(const struct gd_state_agent *a,
		     const struct gd_state_agent *b)
{
	str_eq(a->peer, b->peer);
	assert_int_equal(a->reachable, b->reachable);
	assert_int_equal(a->last_poll, b->last_poll);
	assert_int_equal(a->last_ok, b->last_ok);
	str_eq(a->version, b->version);
	str_eq(a->title, b->title);
	assert_int_equal(a->started, b->started);
	assert_int_equal(a->config_loaded, b->config_loaded);
	assert_int_equal(a->nareas, b->nareas);
	assert_int_equal(a->ngroups, b->ngroups);
	assert_int_equal(a->nservers, b->nservers);
	assert_int_equal(a->nservices, b->nservices);
	for (size_t i = 0; i < a->nareas; i++)
		area_eq(&a->areas[i], &b->areas[i]);
	for (size_t i = 0; i < a->ngroups; i++)
		group_eq(&a->groups[i], &b->groups[i]);
	for (size_t i = 0; i < a->nservers; i++)
		server_eq(&a->servers[i], &b->servers[i]);
	for (size_t i = 0; i < a->nservices; i++)
		service_eq(&a->services[i], &b->services[i]);
}

static void state_eq(const struct gd_state *a, const struct gd_state *b)
{
	assert_int_equal(a->generated, b->generated);
	assert_int_equal(a->nagents, b->nagents);
	for (size_t i = 0; i < a->nagents; i++)
		agent_eq(&a->agents[i], &b->agents[i]);
}

/* ---- helpers ---- */

static struct gd_state *read_ok(void)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;

	if (gd_state_read(path, NULL, &st, &el) != 0) {
		gd_errlist_print(&el, stderr);
		fail_msg("%s does not read back", path);
	}
	assert_int_equal(el.n, 0);
	return st;
}

static void put_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* xmllint agrees with us on the schema (skipped without xmllint). */
static void assert_xmllint_valid(void)
{
	char cmd[1200];

	if (system("command -v xmllint >/dev/null 2>&1") != 0)
		return;
	snprintf(cmd, sizeof cmd,
		 "xmllint --noout --nonet --relaxng %s %s 2>/dev/null", rng,
		 path);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/state.xml", dir);
	gd_log_open("test", "n");
	return gd_schema_path("state.rng", rng, sizeof rng) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gd_xml_cleanup();
	return ut_rmtree(dir);
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
	struct gd_state *st = sample(), *back;

	(void)state;
	assert_int_equal(gd_state_write(path, st), 0);
	back = read_ok();
	state_eq(st, back);
	assert_xmllint_valid();
	gd_state_free(back);
	gd_state_free(st);
}

static void test_empty_state(void **state)
{
	struct gd_state st = { .generated = T0 }, *back;

	(void)state;
	assert_int_equal(gd_state_write(path, &st), 0);
	back = read_ok();
	state_eq(&st, back);
	assert_null(back->agents);
	assert_xmllint_valid();
	gd_state_free(back);
}

/* A state without its time is stamped now. */
static void test_generated_now(void **state)
{
	struct gd_state st = { .generated = 0 }, *back;
	time_t before = time(NULL);

	(void)state;
	assert_int_equal(gd_state_write(path, &st), 0);
	back = read_ok();
	assert_true(back->generated >= before &&
		    back->generated <= time(NULL));
	gd_state_free(back);
}

static const struct clean_case {
	const char *in, *out;
} clean_cases[] = {
#define R "\xef\xbf\xbd"	/* U+FFFD */
	{ "plain", "plain" },
	{ "tab\tlf\ncr\r", "tab\tlf\ncr\r" },
	{ "\x01start", R "start" },
	{ "bell\x07 esc\x1b end\x1f", "bell" R " esc" R " end" R },
	{ "del\x7f c1\xc2\x85", "del\x7f c1\xc2\x85" },	/* XML 1.0 allows */
	{ "latin1 \xe9t\xe9", "latin1 " R "t" R },
	{ "utf8 \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "utf8 \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "overlong \xc0\x80", "overlong " R R },
	{ "overlong3 \xe0\x80\xaf", "overlong3 " R R R },
	{ "surrogate \xed\xa0\x80", "surrogate " R R R },
	{ "nonchar \xef\xbf\xbe\xef\xbf\xbf", "nonchar " R R R R R R },
	{ "too high \xf4\x90\x80\x80", "too high " R R R R },
	{ "cut \xe2\x82", "cut " R R },
	{ "lone \x80 cont", "lone " R " cont" },
	{ "\xff\xfe", R R },
	{ "]]> <![CDATA[ &#1; &lt;", "]]> <![CDATA[ &#1; &lt;" },
#undef R
};

/*
 * Strings from SNMP: whatever the bytes, the file is well-formed, valid,
 * and reads back with the bad bytes as U+FFFD, in attributes and text.
 */
static void test_unsafe_strings(void **state)
{
	struct gd_state_area area = { 0 };
	struct gd_state_server server = { 0 };
	struct gd_state_agent agent = { 0 };
	struct gd_state st = { T0, 1, &agent }, *back;

	(void)state;
	agent.nareas = agent.nservers = 1;
	agent.areas = &area;
	agent.servers = &server;
	area.id = "a";
	server.id = "s";
	server.heartbeat_age = GD_HEARTBEAT_NONE;
	for (size_t i = 0; i < NELEM(clean_cases); i++) {
		agent.peer = agent.title = (char *)clean_cases[i].in;
		server.last_error = (char *)clean_cases[i].in;
		area.description = (char *)clean_cases[i].in;
		assert_int_equal(gd_state_write(path, &st), 0);
		back = read_ok();
		assert_string_equal(back->agents[0].peer, clean_cases[i].out);
		assert_string_equal(back->agents[0].title, clean_cases[i].out);
		assert_string_equal(back->agents[0].servers[0].last_error,
				    clean_cases[i].out);
		assert_string_equal(back->agents[0].areas[0].description,
				    clean_cases[i].out);
		assert_xmllint_valid();
		gd_state_free(back);
	}
}

/*
 * What the schema cannot carry is left out, never written invalid: an
 * object whose id is not a config id, a reference that is not one, a
 * time past 9999, a port out of range, admin or probe out of range.
 */
static void test_unwritable_values(void **state)
{
	struct gd_state_group groups[3] = {
		{ .id = "ok", .area = "../etc", .status = GD_STATUS_UP },
		{ .id = "Bad Id", .status = GD_STATUS_UP },
		{ .id = NULL, .status = GD_STATUS_UP },
	};
	struct gd_state_server server = {
		.id = "s", .group = "", .port = 70000, .oper = 9,
		.admin = 7, .probe = 99, .last_change = -5,
		.heartbeat_age = GD_HEARTBEAT_NONE,
	};
	struct gd_state_agent agent = {
		.peer = NULL, .ngroups = 3, .groups = groups,
		.nservers = 1, .servers = &server,
		.last_poll = (time_t)300000000000LL,
	};
	struct gd_state st = { T0, 1, &agent }, *back;
	const struct gd_state_agent *a;

	(void)state;
	assert_int_equal(gd_state_write(path, &st), 0);
	back = read_ok();
	assert_xmllint_valid();
	a = &back->agents[0];
	assert_string_equal(a->peer, "");
	assert_int_equal(a->last_poll, 0);
	assert_int_equal(a->ngroups, 1);
	assert_string_equal(a->groups[0].id, "ok");
	assert_null(a->groups[0].area);
	assert_null(a->servers[0].group);
	assert_int_equal(a->servers[0].port, 0);
	assert_int_equal(a->servers[0].oper, GD_OPER_UNKNOWN);
	assert_int_equal(a->servers[0].admin, 0);
	assert_int_equal(a->servers[0].probe, 0);
	assert_int_equal(a->servers[0].last_change, 0);
	gd_state_free(back);
}

static void test_write_fails(void **state)
{
	struct gd_state st = { .generated = T0 };
	char bad[300];

	(void)state;
	snprintf(bad, sizeof bad, "%s/no/such/dir/state.xml", dir);
	assert_int_equal(gd_state_write(bad, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* Temporary files left in the folder (afile's "NAME.tmp.XXXXXX"). */
static int tmp_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

/* A write that fails midway (the file size limit stands in for a full
 * disk) fails the call and leaves the old file as it was, and says
 * nothing on stderr (libxml2 printed "I/O error : flush error" at every
 * failed write: the monitor retries each cycle). */
static void test_write_fails_midway(void **state)
{
	struct gd_state empty = { .generated = T0 }, *big = sample(), *back;
	char errpath[300];
	struct stat sb;
	int status;
	pid_t pid;

	(void)state;
	snprintf(errpath, sizeof errpath, "%s.stderr", dir);
	assert_int_equal(gd_state_write(path, &empty), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(4);
		/* libxml2's default handler, as in a monitor that has read
		 * no XML yet: stderr */
		xmlSetGenericErrorFunc(NULL, NULL);
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(2);
		if (gd_state_write(path, big) == 0 || errno != EFBIG)
			_exit(3);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(stat(errpath, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	unlink(errpath);
	back = read_ok();
	state_eq(&empty, back);
	gd_state_free(back);
	gd_state_free(big);
	assert_int_equal(tmp_files(), 0);
}

#define HEAD "<?xml version=\"1.0\"?>\n" \
	"<state xmlns=\"urn:greendot:state:1\" version=\"1\" " \
	"generated=\"2025-11-28T23:15:06Z\">\n" \
	"<agent peer=\"p\" reachable=\"true\">\n"
#define TAIL "</agent>\n</state>\n"
#define SERVER(attrs) "<server id=\"s\" status=\"up\" uptime=\"0\" " \
	"latency-us=\"0\" checks=\"0\" failures=\"0\" " attrs "/>\n"

static const struct bad_case {
	const char *name;
	const char *text;
	long line;		/* of the first problem */
	const char *msg;	/* a part of its message */
} bad_cases[] = {
	{ "good", HEAD SERVER("") TAIL, 0, NULL },
	{ "wrong status word",
	  HEAD "<service id=\"x\" status=\"sideways\"/>\n" TAIL,
	  4, "bad status \"sideways\"" },
	{ "good with blank lines", HEAD "\n" SERVER("") "\n"
	  "<service id=\"x\" status=\"degraded\"/>\n" TAIL, 0, NULL },
	{ "wrong oper word",
	  HEAD "\n<server id=\"s\" status=\"degraded\" uptime=\"0\" "
	  "latency-us=\"0\" checks=\"0\" failures=\"0\"/>\n" TAIL,
	  5, "bad status \"degraded\"" },
	{ "missing attribute",
	  HEAD "<group id=\"g\" status=\"up\" members-up=\"1\" "
	  "members-active=\"1\"/>\n" TAIL, 4, "missing attribute members" },
	{ "bad id", HEAD "<service id=\"../x\" status=\"up\"/>\n" TAIL,
	  4, "bad id \"../x\"" },
	{ "bad number", HEAD SERVER("port=\"0\"") TAIL, 4, "bad port \"0\"" },
	{ "number too large",
	  HEAD "<server id=\"s\" status=\"up\" uptime=\"4294967296\" "
	  "latency-us=\"0\" checks=\"0\" failures=\"0\"/>\n" TAIL,
	  4, "bad uptime \"4294967296\"" },
	{ "bad time pattern", HEAD SERVER("last-change=\"yesterday\"") TAIL,
	  4, "bad last-change \"yesterday\"" },
	{ "impossible date", HEAD SERVER("last-change=\"2026-02-31T00:00:00Z\"")
	  TAIL, 4, "bad last-change" },
	{ "wrong order",
	  HEAD SERVER("") "<area id=\"a\"/>\n" TAIL,
	  5, "Did not expect element area" },
	{ "unknown element", HEAD "<router id=\"r\"/>\n" TAIL, 4, "" },
	{ "wrong namespace",
	  "<state xmlns=\"urn:other\" version=\"1\" "
	  "generated=\"2025-11-28T23:15:06Z\"/>\n", 1, "wrong namespace" },
	{ "wrong version",
	  "<state xmlns=\"urn:greendot:state:1\" version=\"2\" "
	  "generated=\"2025-11-28T23:15:06Z\"/>\n",
	  1, "version \"2\" not supported" },
	{ "not well-formed", HEAD "<service id=\"x\" status=\"up\">\n" TAIL,
	  5, "mismatch" },
	{ "DTD", "<?xml version=\"1.0\"?>\n<!DOCTYPE state>\n"
	  "<state/>\n", 2, "DTD not allowed" },
	{ "billion laughs",
	  "<?xml version=\"1.0\"?>\n"
	  "<!DOCTYPE state [\n"
	  " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	  " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	  " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	  " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	  " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	  " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	  " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	  "]>\n"
	  "<state xmlns=\"urn:greendot:state:1\" version=\"1\" "
	  "generated=\"2025-11-28T23:15:06Z\">\n"
	  "<agent peer=\"&g;\" reachable=\"true\"/>\n</state>\n",
	  2, "DTD not allowed" },
	{ "empty file", "", 1, "empty" },
};

static bool has_msg(const struct gd_errlist *el, const char *msg)
{
	for (size_t i = 0; i < el->n; i++)
		if (strstr(el->v[i].msg, msg) != NULL)
			return true;
	return false;
}

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct gd_errlist el = GD_ERRLIST_INIT;
		struct gd_state *st = (struct gd_state *)&el;	/* untouched */
		char want[300], got[300];
		int rc;

		put_file(c->text);
		rc = gd_state_read(path, NULL, &st, &el);
		if (c->msg == NULL) {	/* the controls: these are fine */
			if (rc != 0)
				fail_msg("%s: refused", c->name);
			gd_state_free(st);
			continue;
		}
		if (rc != -1 || el.n == 0)
			fail_msg("%s: accepted", c->name);
		assert_ptr_equal(st, (struct gd_state *)&el);
		assert_int_equal(errno, EINVAL);
		snprintf(want, sizeof want, "%s:%ld: ", path, c->line);
		gd_err_format(&el.v[0], got, sizeof got);
		if (strncmp(got, want, strlen(want)) != 0 ||
		    !has_msg(&el, c->msg))
			fail_msg("%s: got \"%s\" (of %zu), want \"%s...%s\"",
				 c->name, got, el.n, want, c->msg);
		gd_errlist_clear(&el);
	}
}

/* Past the schema (a caller's looser one), the reader still checks every
 * value and reports all problems, each at its line. */
static void test_reader_checks(void **state)
{
	static const char loose[] =
		"<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n"
		"<start><ref name=\"any\"/></start>\n"
		"<define name=\"any\"><element><anyName/><zeroOrMore><choice>"
		"<attribute><anyName/></attribute><text/><ref name=\"any\"/>"
		"</choice></zeroOrMore></element></define>\n</grammar>\n";
	struct gd_errlist el = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;
	char loose_path[300];
	FILE *f;

	(void)state;
	snprintf(loose_path, sizeof loose_path, "%s/loose.rng", dir);
	f = fopen(loose_path, "w");
	assert_non_null(f);
	fputs(loose, f);
	fclose(f);
	put_file("<state version=\"1\" generated=\"2025-11-28T23:15:06Z\">\n"
		 "<agent peer=\"p\" reachable=\"yes\">\n"
		 "<group id=\"g\" status=\"up\"/>\n"
		 "<server id=\"Bad\" status=\"up\" uptime=\"-1\" "
		 "latency-us=\"0\" checks=\"0\" failures=\"0\"/>\n"
		 "</agent>\n</state>\n");
	assert_int_equal(gd_state_read(path, loose_path, &st, &el), -1);
	assert_null(st);
	assert_int_equal(el.n, 6);
	gd_errlist_sort(&el);
	assert_int_equal(el.v[0].line, 2);	/* reachable */
	assert_non_null(strstr(el.v[0].msg, "bad reachable"));
	assert_int_equal(el.v[1].line, 3);
	assert_int_equal(el.v[3].line, 3);	/* three missing */
	assert_non_null(strstr(el.v[3].msg, "missing attribute members"));
	assert_int_equal(el.v[4].line, 4);
	assert_non_null(strstr(el.v[4].msg, "bad id"));
	assert_int_equal(el.v[5].line, 4);
	assert_non_null(strstr(el.v[5].msg, "bad uptime"));
	gd_errlist_clear(&el);

	put_file("<other/>\n");
	assert_int_equal(gd_state_read(path, loose_path, &st, &el), -1);
	assert_non_null(strstr(el.v[0].msg, "not a greendot state file"));
	gd_errlist_clear(&el);
}

static void test_too_large(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;
	int fd;

	(void)state;
	/* sparse: refused by its size, never read */
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)GD_STATE_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(gd_state_read(path, NULL, &st, &el), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(st);
	assert_non_null(strstr(el.v[0].msg, "larger than"));
	gd_errlist_clear(&el);
	unlink(path);
}

static void test_missing_file(void **state)
{
	struct gd_errlist el = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;

	(void)state;
	unlink(path);
	assert_int_equal(gd_state_read(path, NULL, &st, &el), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].line, 0);
	gd_errlist_clear(&el);
}

/* Thousands of servers: a round trip, for size and leaks. */
static void test_many(void **state)
{
	struct gd_state st = { .generated = T0, .nagents = 1 }, *back;

	(void)state;
	st.agents = calloc(1, sizeof *st.agents);
	fill_agent(&st.agents[0], 0, 10, 500, 3000, 50);
	assert_int_equal(gd_state_write(path, &st), 0);
	back = read_ok();
	state_eq(&st, back);
	gd_state_free(back);
	gd_state_agent_clear(&st.agents[0]);
	free(st.agents);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_state),
		cmocka_unit_test(test_generated_now),
		cmocka_unit_test(test_unsafe_strings),
		cmocka_unit_test(test_unwritable_values),
		cmocka_unit_test(test_write_fails),
		cmocka_unit_test(test_write_fails_midway),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_reader_checks),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
