/*
 * fixture.c — data directories with known contents; see fixture.h.
 */
#include "fixture.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>

#include "afile.h"
#include "journal.h"
#include "rrdlayout.h"
#include "state.h"

#define MIN 60L
#define H 3600L
#define D 86400L
#define HISTORY (3 * D)
#define BATCH 1000		/* samples per rrd_update_r call */

enum { K_SERVER = GD_RRD_SERVER, K_GROUP = GD_RRD_GROUP,
       K_SERVICE = GD_RRD_SERVICE };

struct fx_area {
	const char *id, *title, *colour, *desc;
};

struct fx_group {
	const char *id, *title, *area;
	enum gd_status status;
	unsigned up, active, members;
	long ago;			/* last change */
};

struct fx_server {
	const char *id, *group;
	enum gd_probe probe;
	unsigned port;
	enum gd_admin admin;
	enum gd_oper oper;
	long up_for, ago;
	const char *error;
};

struct fx_service {
	const char *id, *title;
	enum gd_status status;
	long ago;
};

/* Down in (now - from, now - to]; before now - known (if set) unknown;
 * never: unknown throughout.  Objects without a line: always up. */
struct fx_hist {
	int kind;
	const char *id;
	long from, to, known;
	int never;
};

struct fx_event {
	long ago;
	enum gd_event_kind kind;
	const char *id, *old, *new, *detail;
};

static const struct fx_area areas[] = {
	{ "incoming", "Incoming mail", "yellow",
	  "This area handles incoming email, usually reaching one of the "
	  "'AV/GreyListing' gateway servers first followed by one of the "
	  "spam firewalls.\n\nIn the event the 'AV/GreyListing' servers are "
	  "busy, email is delivered instead to any of the 'Backup MX' "
	  "servers." },
	{ "core", "Mail and web", "blue",
	  "This area is the core of the service: the mail servers you "
	  "connect to and the storage arrays where all the email is "
	  "stored." },
	{ "hosting", "Web hosting", "green",
	  "This final area handles your webhosting account: 'FTP Service' "
	  "lets you update your website whilst 'Hosting Service' provides "
	  "website access to your visitors." },
};

static const struct fx_group groups[] = {
	{ "av-greylisting", "AV/GreyListing", "incoming", GD_STATUS_DEGRADED,
	  1, 2, 3, 40 * MIN },
	{ "spam-firewall", "Spam Firewalls", "incoming", GD_STATUS_UP,
	  2, 2, 2, 45 * MIN },
	{ "backup-mx", "Backup MX", "incoming", GD_STATUS_UP, 2, 2, 2, 3 * D },
	{ "mail-servers", "Mail Servers", "core", GD_STATUS_UP, 3, 3, 3, 3 * D },
	{ "mail-storage", "Mail Storage", "core", GD_STATUS_UP, 2, 2, 3, 6 * H },
	{ "mail-backups", "Mail Backups", "core", GD_STATUS_UP, 1, 2, 2, 3 * D },
	{ "web", "Web Service", "core", GD_STATUS_UP, 2, 2, 2, 3 * D },
	{ "database", "Database Service", "core", GD_STATUS_UP, 2, 2, 2, 3 * D },
	{ "ftp", "FTP Service", "hosting", GD_STATUS_DEGRADED, 1, 2, 2, 2 * H },
	{ "hosting", "Hosting Service", "hosting", GD_STATUS_UP, 3, 3, 3, 3 * D },
};

#define ACT GD_ADMIN_ACTIVE
#define UP GD_OPER_UP
static const struct fx_server servers[] = {
	{ "av1", "av-greylisting", GD_PROBE_SMTP, 20251, ACT, UP, 3 * D,
	  3 * D, NULL },
	{ "av2", "av-greylisting", GD_PROBE_SMTP, 20252, ACT, GD_OPER_DOWN, 0,
	  40 * MIN, "connection refused" },
	{ "av3", "av-greylisting", GD_PROBE_SMTP, 20253, GD_ADMIN_MAINTENANCE,
	  UP, 5 * H, 5 * H, NULL },
	{ "spamfw1", "spam-firewall", GD_PROBE_SMTP, 20261, ACT, UP,
	  2 * D + 5 * H, 2 * D + 5 * H, NULL },
	{ "spamfw2", "spam-firewall", GD_PROBE_SMTP, 20262, ACT, UP, 45 * MIN,
	  45 * MIN, NULL },
	{ "mx1", "backup-mx", GD_PROBE_SMTP, 20271, ACT, UP, 3 * D, 3 * D, NULL },
	{ "mx2", "backup-mx", GD_PROBE_SMTP, 20272, ACT, UP, 3 * D, 3 * D, NULL },
	{ "mail1", "mail-servers", GD_PROBE_IMAP, 20143, ACT, UP, 3 * D, 3 * D,
	  NULL },
	{ "mail2", "mail-servers", GD_PROBE_IMAP, 20144, ACT, UP, 3 * D, 3 * D,
	  NULL },
	{ "mail3", "mail-servers", GD_PROBE_POP3, 20110, ACT, UP, 3 * D, 3 * D,
	  NULL },
	{ "store1", "mail-storage", GD_PROBE_TCP, 20201, ACT, UP, 6 * H, 6 * H,
	  NULL },
	{ "store2", "mail-storage", GD_PROBE_TCP, 20202, ACT, UP, 3 * D, 3 * D,
	  NULL },
	{ "store3", "mail-storage", GD_PROBE_TCP, 20203, GD_ADMIN_STANDBY,
	  GD_OPER_UNKNOWN, 0, 0, NULL },
	{ "backup1", "mail-backups", GD_PROBE_HEARTBEAT, 0, ACT, UP, 20 * H,
	  20 * H, NULL },
	{ "backup2", "mail-backups", GD_PROBE_HEARTBEAT, 0, ACT,
	  GD_OPER_UNKNOWN, 0, 0, NULL },
	{ "web1", "web", GD_PROBE_HTTP, 20801, ACT, UP, 3 * D, 3 * D, NULL },
	{ "web2", "web", GD_PROBE_HTTP, 20802, ACT, UP, 3 * D, 3 * D, NULL },
	{ "db1", "database", GD_PROBE_MYSQL, 20331, ACT, UP, 3 * D, 3 * D, NULL },
	{ "db2", "database", GD_PROBE_MYSQL, 20332, ACT, UP, 3 * D, 3 * D, NULL },
	{ "ftp1", "ftp", GD_PROBE_FTP, 20021, ACT, UP, 3 * D, 3 * D, NULL },
	{ "ftp2", "ftp", GD_PROBE_FTP, 20022, ACT, GD_OPER_DOWN, 0, 2 * H,
	  "530 Login incorrect" },
	{ "host1", "hosting", GD_PROBE_HTTP, 20811, ACT, UP, 3 * D, 3 * D, NULL },
	{ "host2", "hosting", GD_PROBE_HTTP, 20812, ACT, UP, 3 * D, 3 * D, NULL },
	{ "host3", "hosting", GD_PROBE_HTTP, 20813, ACT, UP, 3 * D, 3 * D, NULL },
};
#undef ACT
#undef UP

static const struct fx_service services[] = {
	{ "incoming-mail", "Incoming Mail", GD_STATUS_DEGRADED, 40 * MIN },
	{ "web-access", "Web Access", GD_STATUS_UP, 3 * D },
	{ "client-access", "Client Access", GD_STATUS_UP, 2 * H },
	{ "hosting-service", "Hosting Service", GD_STATUS_DEGRADED, 2 * H },
};

static const struct fx_hist hist[] = {
	{ K_SERVICE, "incoming-mail", 12 * H, 6 * H, 0, 0 },
	{ K_SERVICE, "client-access", 3 * H, 2 * H, 48 * H, 0 },
	{ K_GROUP, "mail-storage", 12 * H, 6 * H, 0, 0 },
	{ K_GROUP, "spam-firewall", 50 * MIN, 48 * MIN, 0, 0 },
	{ K_GROUP, "spam-firewall", 46 * MIN, 45 * MIN, 0, 0 },
	{ K_SERVER, "av2", 40 * MIN, 0, 0, 0 },
	{ K_SERVER, "av3", 0, 0, 0, 1 },
	{ K_SERVER, "store1", 12 * H, 6 * H, 0, 0 },
	{ K_SERVER, "store3", 0, 0, 0, 1 },
	{ K_SERVER, "backup2", 0, 0, 0, 1 },
	{ K_SERVER, "ftp2", 2 * H, 0, 0, 0 },
};

#define G GD_EV_GROUP
#define S GD_EV_SERVICE
static const struct fx_event events[] = {
	{ 40 * D, G, "web", "up", "down", "an outage long ago" },
	{ 40 * D - 600, G, "web", "down", "up", "" },
	{ 12 * H, S, "incoming-mail", "up", "down", "mail-storage is down" },
	{ 12 * H, G, "mail-storage", "up", "down", "0 of 2 members up" },
	{ 11 * H, G, "mail-storage", "down", "unknown", "agent not answering" },
	{ 11 * H - 600, G, "mail-storage", "unknown", "down",
	  "0 of 2 members up" },
	{ 6 * H, G, "mail-storage", "down", "up", "2 of 2 members up" },
	{ 6 * H, S, "incoming-mail", "down", "up", "" },
	{ 3 * H, S, "client-access", "up", "down", "mail-servers is down" },
	{ 2 * H, S, "client-access", "down", "up", "" },
	{ 2 * H, G, "ftp", "up", "degraded", "1 of 2 members up" },
	{ 2 * H, S, "hosting-service", "up", "degraded", "" },
	{ 50 * MIN, G, "spam-firewall", "up", "down", "0 of 2 members up" },
	{ 48 * MIN, G, "spam-firewall", "down", "up", "" },
	{ 46 * MIN, G, "spam-firewall", "up", "down", "0 of 2 members up" },
	{ 45 * MIN, G, "spam-firewall", "down", "up", "" },
	{ 40 * MIN, G, "av-greylisting", "up", "degraded", "1 of 2 members up" },
	{ 40 * MIN, S, "incoming-mail", "up", "degraded", "" },
	{ 40 * MIN, GD_EV_SERVER, "av2", "up", "down", "connection refused" },
	{ -MIN, S, "web-access", "up", "down", "after now: not shown" },
};
#undef G
#undef S

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* --- the corpus --------------------------------------------------------- */

/* "Ünïcödé 漢字 🙂 ": two-, three- and four-byte sequences */
#define PIECE "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9" " " \
	"\xe6\xbc\xa2\xe5\xad\x97" " " "\xf0\x9f\x99\x82" " "

const char *const *fixture_corpus(void)
{
	static char long_utf8[4096];
	static const char *corpus[] = {
		"<script>alert(\"x\")</script>",
		"Tom & Jerry's \"quoted\" <b>bold</b> ]]> --> <!-- &amp; &#0;",
		"ctl:\x01\x02\x1b[31m\x7f\xc2\x85 end",
		"bad utf-8: \xff\xfe \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82",
		"line\nbreak\ttab\r\n\xe2\x80\xa8sep\xe2\x80\xa9",
		long_utf8,
		NULL,
	};

	if (long_utf8[0] == '\0')
		while (strlen(long_utf8) + sizeof PIECE < sizeof long_utf8)
			strcat(long_utf8, PIECE);
	return corpus;
}

static const char *pick(const struct fixture_opts *o, size_t i,
			const char *plain)
{
	const char *const *c = fixture_corpus();
	size_t n = 0;

	while (c[n] != NULL)
		n++;
	return o->corpus ? c[i % n] : plain;
}

/* --- state.xml ---------------------------------------------------------- */

static char *sdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (d == NULL)
		abort();	/* a test fixture: out of memory ends the test */
	return d;
}

static void *table(size_t n, size_t size)
{
	void *v = calloc(n ? n : 1, size);

	if (v == NULL)
		abort();
	return v;
}

static time_t ago(const struct fixture_opts *o, long seconds)
{
	return seconds > 0 ? o->now - seconds : 0;
}

static void alu_areas(struct gd_state_agent *a, const struct fixture_opts *o)
{
	a->nareas = NELEM(areas);
	a->areas = table(a->nareas, sizeof *a->areas);
	for (size_t i = 0; i < a->nareas; i++) {
		a->areas[i].id = sdup(areas[i].id);
		a->areas[i].title = sdup(pick(o, i + 1, areas[i].title));
		a->areas[i].colour = sdup(areas[i].colour);
		a->areas[i].description = sdup(pick(o, i, areas[i].desc));
	}
}

static void alu_groups(struct gd_state_agent *a, const struct fixture_opts *o)
{
	a->ngroups = NELEM(groups);
	a->groups = table(a->ngroups, sizeof *a->groups);
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct fx_group *f = &groups[i];
		struct gd_state_group *g = &a->groups[i];

		g->id = sdup(f->id);
		g->title = sdup(pick(o, i + 2, f->title));
		g->area = sdup(f->area);
		g->status = f->status;
		g->members_up = f->up;
		g->members_active = f->active;
		g->members = f->members;
		g->last_change = ago(o, f->ago);
	}
}

static void alu_servers(struct gd_state_agent *a, const struct fixture_opts *o)
{
	a->nservers = NELEM(servers);
	a->servers = table(a->nservers, sizeof *a->servers);
	for (size_t i = 0; i < a->nservers; i++) {
		const struct fx_server *f = &servers[i];
		struct gd_state_server *s = &a->servers[i];
		char title[128];

		snprintf(title, sizeof title, "%s.aluminati.net", f->id);
		s->id = sdup(f->id);
		s->title = sdup(pick(o, i + 3, title));
		s->group = sdup(f->group);
		s->probe = f->probe;
		s->address = sdup(f->port ? "127.0.0.1" : NULL);
		s->port = f->port;
		s->oper = f->oper;
		s->admin = f->admin;
		s->uptime = (uint32_t)f->up_for;
		s->last_change = ago(o, f->ago);
		s->latency_us = f->oper == GD_OPER_UP ? 2000 + 100 * (unsigned)i : 0;
		s->checks = 25920;
		s->failures = f->oper == GD_OPER_DOWN ? 240 : 3;
		s->last_error = sdup(f->error ? pick(o, i, f->error) : NULL);
		s->heartbeat_age = GD_HEARTBEAT_NONE;
	}
}

static void alu_services(struct gd_state_agent *a,
			 const struct fixture_opts *o)
{
	a->nservices = NELEM(services);
	a->services = table(a->nservices, sizeof *a->services);
	for (size_t i = 0; i < a->nservices; i++) {
		a->services[i].id = sdup(services[i].id);
		a->services[i].title = sdup(pick(o, i + 4, services[i].title));
		a->services[i].status = services[i].status;
		a->services[i].last_change = ago(o, services[i].ago);
	}
}

static struct gd_state *new_state(const struct fixture_opts *o,
				  const char *title)
{
	struct gd_state *st = table(1, sizeof *st);
	struct gd_state_agent *a;

	st->generated = o->now - 20;
	st->nagents = 1;
	st->agents = a = table(1, sizeof *a);
	a->peer = sdup("udp:127.0.0.1:16161");
	a->reachable = true;
	a->last_poll = a->last_ok = o->now - 20;
	a->version = sdup("greendot 0.1");
	a->title = sdup(title);
	a->started = a->config_loaded = o->now - 3 * D;
	return st;
}

static void gen_groups(struct gd_state_agent *a)
{
	a->groups = table(a->ngroups, sizeof *a->groups);
	for (size_t g = 0; g < a->ngroups; g++) {
		struct gd_state_group *gr = &a->groups[g];
		char id[32];

		snprintf(id, sizeof id, "grp-%04zu", g);
		gr->id = sdup(id);
		gr->title = sdup(id);
		gr->area = sdup(areas[g % 3].id);
		gr->status = g % 7 ? GD_STATUS_UP : GD_STATUS_DEGRADED;
		gr->members = gr->members_active = 10;
		gr->members_up = g % 7 ? 10 : 9;
	}
}

/* Server i: in group i / 10; the first of every seventh group down. */
static void gen_servers(struct gd_state_agent *a)
{
	a->servers = table(a->nservers, sizeof *a->servers);
	for (size_t i = 0; i < a->nservers; i++) {
		struct gd_state_server *s = &a->servers[i];
		char id[32], title[64];

		snprintf(id, sizeof id, "srv-%05zu", i);
		snprintf(title, sizeof title, "%s.example.net", id);
		s->id = sdup(id);
		s->title = sdup(title);
		s->group = sdup(a->groups[i / 10].id);
		s->probe = GD_PROBE_TCP;
		s->address = sdup("127.0.0.1");
		s->port = 10000 + (unsigned)(i % 50000);
		s->admin = GD_ADMIN_ACTIVE;
		s->oper = (i / 10) % 7 == 0 && i % 10 == 0 ? GD_OPER_DOWN :
							     GD_OPER_UP;
		s->uptime = s->oper == GD_OPER_UP ? (uint32_t)(i * 37 % (30 * D)) : 0;
		s->last_error = sdup(NULL);
		s->heartbeat_age = GD_HEARTBEAT_NONE;
	}
}

static void gen_services(struct gd_state_agent *a)
{
	a->services = table(a->nservices, sizeof *a->services);
	for (size_t k = 0; k < a->nservices; k++) {
		char id[32];

		snprintf(id, sizeof id, "service-%zu", k);
		a->services[k].id = sdup(id);
		a->services[k].title = sdup(id);
		a->services[k].status = GD_STATUS_UP;
	}
}

/* A site of n servers in groups of ten over three areas. */
static void gen_site(struct gd_state_agent *a, size_t n)
{
	a->nservers = n;
	a->ngroups = (n + 9) / 10;
	a->nservices = 4;
	alu_areas(a, &(struct fixture_opts){ .corpus = false });
	gen_groups(a);
	gen_servers(a);
	gen_services(a);
}

static int write_state(const char *datadir, const struct fixture_opts *o)
{
	struct gd_state *st = new_state(o, o->servers ? "Generated Network" :
				pick(o, 0, "Aluminati Network"));
	struct gd_state_agent *a = &st->agents[0];
	char path[4096];
	int rc;

	if (o->servers > 0) {
		gen_site(a, o->servers);
	} else {
		alu_areas(a, o);
		alu_groups(a, o);
		alu_servers(a, o);
		alu_services(a, o);
	}
	snprintf(path, sizeof path, "%s/state.xml", datadir);
	rc = gd_state_write(path, st);
	if (rc < 0)
		fprintf(stderr, "fixture: %s: %s\n", path, strerror(errno));
	gd_state_free(st);
	return rc;
}

/* --- journal ------------------------------------------------------------ */

static int write_journal(const char *datadir, const struct fixture_opts *o)
{
	struct gd_event ev[NELEM(events)];
	struct gd_journal *j = NULL;
	char path[4096];
	int rc;

	memset(ev, 0, sizeof ev);
	for (size_t i = 0; i < NELEM(events); i++) {
		ev[i].time = (double)(o->now - events[i].ago) + 0.25;
		ev[i].source = GD_SRC_POLL;
		ev[i].kind = events[i].kind;
		snprintf(ev[i].id, sizeof ev[i].id, "%s", events[i].id);
		snprintf(ev[i].old_status, sizeof ev[i].old_status, "%s",
			 events[i].old);
		snprintf(ev[i].new_status, sizeof ev[i].new_status, "%s",
			 events[i].new);
		snprintf(ev[i].agent, sizeof ev[i].agent, "udp:127.0.0.1:16161");
		snprintf(ev[i].detail, sizeof ev[i].detail, "%s",
			 pick(o, i, events[i].detail));
	}
	snprintf(path, sizeof path, "%s/journal", datadir);
	rc = gd_journal_open(path, &j);
	if (rc == 0 && o->servers == 0)
		rc = gd_journal_append(j, ev, NELEM(events));
	if (rc < 0)
		fprintf(stderr, "fixture: %s: %s\n", path, strerror(errno));
	if (j != NULL)
		gd_journal_close(j);
	return rc;
}

/* --- RRD files ---------------------------------------------------------- */

/* What one file holds: the object and how its `up` went. */
struct rrd_job {
	const struct fixture_opts *o;
	int kind;
	const char *id;
	bool down_now;		/* generated site: down for the last 30 min */
};

static double alu_up(const struct rrd_job *job, time_t t)
{
	long age = (long)(job->o->now - t);

	for (size_t i = 0; i < NELEM(hist); i++) {
		const struct fx_hist *h = &hist[i];

		if (h->kind != job->kind || strcmp(h->id, job->id) != 0)
			continue;
		if (h->never || (h->known > 0 && age >= h->known))
			return NAN;
		if (age < h->from && age >= h->to)
			return 0;
	}
	return 1;
}

static double up_at(const struct rrd_job *job, time_t t)
{
	if (job->o->servers == 0)
		return alu_up(job, t);
	return job->down_now && job->o->now - t < 30 * MIN ? 0 : 1;
}

/* "t:up[:second]" where U stands for unknown */
static void sample(char *buf, size_t len, const struct rrd_job *job, time_t t)
{
	double up = up_at(job, t);
	double second = job->kind == K_SERVER ?
		0.002 + 0.0005 * (double)((t / 60) % 10) : 2;
	char u[16] = "U", v[32] = "U";

	if (!isnan(up))
		snprintf(u, sizeof u, "%g", up);
	if (up == 1)
		snprintf(v, sizeof v, "%g", second);
	else if (up == 0 && job->kind == K_GROUP)
		snprintf(v, sizeof v, "0");
	if (job->kind == K_SERVICE)
		snprintf(buf, len, "%lld:%s", (long long)t, u);
	else
		snprintf(buf, len, "%lld:%s:%s", (long long)t, u, v);
}

static int rrd_fail(const char *path)
{
	fprintf(stderr, "fixture: %s: %s\n", path, rrd_get_error());
	return -1;
}

static int create(const char *path, int kind, time_t start)
{
	const char *server[] = { GD_RRD_SERVER_DS, GD_RRD_RRAS };
	const char *group[] = { GD_RRD_GROUP_DS, GD_RRD_RRAS };
	const char *service[] = { GD_RRD_SERVICE_DS, GD_RRD_RRAS };
	const char **v = kind == K_SERVER ? server : kind == K_GROUP ? group :
								service;
	int n = kind == K_SERVER ? (int)NELEM(server) :
		kind == K_GROUP ? (int)NELEM(group) : (int)NELEM(service);

	rrd_clear_error();
	return rrd_create_r(path, GD_RRD_STEP, start, n, v) == 0 ? 0 :
								 rrd_fail(path);
}

static int fill(const char *path, const struct rrd_job *job, time_t start)
{
	static char text[BATCH][48];
	const char *argv[BATCH];
	int n = 0;

	for (time_t t = start + GD_RRD_STEP; t <= job->o->now;
	     t += GD_RRD_STEP) {
		sample(text[n], sizeof text[n], job, t);
		argv[n] = text[n];
		if (++n < BATCH && t + GD_RRD_STEP <= job->o->now)
			continue;
		rrd_clear_error();
		if (rrd_update_r(path, NULL, n, argv) != 0)
			return rrd_fail(path);
		n = 0;
	}
	return 0;
}

static int write_rrd(const char *datadir, const struct rrd_job *job,
		     time_t history)
{
	static const char *const dirs[] = GD_RRD_KIND_DIRS;
	time_t start = job->o->now - history;
	char path[4096];

	snprintf(path, sizeof path, "%s/rrd/%s/%s.rrd", datadir,
		 dirs[job->kind], job->id);
	if (create(path, job->kind, start) < 0)
		return -1;
	return fill(path, job, start);
}

static int alu_rrds(const char *datadir, const struct fixture_opts *o)
{
	struct rrd_job job = { .o = o };
	int rc = 0;

	job.kind = K_SERVICE;
	for (size_t i = 0; i < NELEM(services); i++) {
		job.id = services[i].id;
		/* hosting-service has no file: "no data" */
		if (strcmp(job.id, "hosting-service") != 0)
			rc |= write_rrd(datadir, &job, HISTORY);
	}
	job.kind = K_GROUP;
	for (size_t i = 0; i < NELEM(groups); i++) {
		job.id = groups[i].id;
		rc |= write_rrd(datadir, &job, HISTORY);
	}
	job.kind = K_SERVER;
	for (size_t i = 0; i < NELEM(servers); i++) {
		job.id = servers[i].id;
		rc |= write_rrd(datadir, &job, HISTORY);
	}
	return rc;
}

static int gen_rrds(const char *datadir, const struct fixture_opts *o)
{
	struct rrd_job job = { .o = o };
	char id[32];
	int rc = 0;

	job.kind = K_SERVICE;
	for (size_t k = 0; k < 4; k++) {
		snprintf(id, sizeof id, "service-%zu", k);
		job.id = id;
		rc |= write_rrd(datadir, &job, o->history);
	}
	job.kind = K_GROUP;
	for (size_t g = 0; g < (o->servers + 9) / 10; g++) {
		snprintf(id, sizeof id, "grp-%04zu", g);
		job.id = id;
		rc |= write_rrd(datadir, &job, o->history);
	}
	job.kind = K_SERVER;
	for (size_t i = 0; o->server_rrds && i < o->servers; i++) {
		snprintf(id, sizeof id, "srv-%05zu", i);
		job.id = id;
		job.down_now = (i / 10) % 7 == 0 && i % 10 == 0;
		rc |= write_rrd(datadir, &job, o->history);
	}
	return rc;
}

int fixture_write(const char *datadir, const struct fixture_opts *o)
{
	static const char *const dirs[] = GD_RRD_KIND_DIRS;
	char path[4096];

	for (size_t i = 0; i < NELEM(dirs); i++) {
		snprintf(path, sizeof path, "%s/rrd/%s", datadir, dirs[i]);
		if (gd_mkdir_p(path, 0755) < 0) {
			fprintf(stderr, "fixture: %s: %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	if (write_state(datadir, o) < 0 || write_journal(datadir, o) < 0)
		return -1;
	return o->servers ? gen_rrds(datadir, o) : alu_rrds(datadir, o);
}
