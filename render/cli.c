/*
 * cli.c — options, logging, one run; see cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "log.h"
#include "xmlsafe.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage_text[] =
	"usage: greendot-render --data DIR --out DIR [--news FILE] "
	"[--title TEXT]\n"
	"                       [--base-url URL] "
	"[--server-graphs auto|all|day|none]\n"
	"                       [--jobs N] [-L LOGOPT] [-v]\n"
	"\n"
	"  --data DIR        the monitor's data directory (state.xml, "
	"journal, rrd/)\n"
	"  --out DIR         where the site goes (index.html, status.json, "
	"feed.atom, graphs/)\n"
	"  --news FILE       incidents, announcements, maintenance "
	"(common/news.rng)\n"
	"  --title TEXT      the provider's name (default: the agents' "
	"title)\n"
	"  --base-url URL    where the site is published (feed ids and "
	"links)\n"
	"  --server-graphs   response-time graphs per server: auto (all up "
	"to 500\n"
	"                    servers, none above), all, day, none\n"
	"  --jobs N          processes drawing graphs (default: one per "
	"CPU)\n"
	"  -L LOGOPT         log to e (stderr), o, f FILE, s FACILITY, n\n"
	"  -v                say more (twice: debug)\n";

struct cli {
	struct site_opts site;
	char *base;		/* owned copy of the base URL */
	const char *log;
	int verbose;
};

static int parse_graphs(const char *s, enum site_server_graphs *out)
{
	static const char *const names[] = { "auto", "all", "day", "none" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum site_server_graphs)i;
			return 0;
		}
	return -1;
}

static int parse_jobs(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || n < 1 ||
	    n > GRAPH_WORKERS_MAX)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* http(s), no space, quote or angle bracket; made to end with '/'. */
static char *parse_base(const char *s)
{
	char *out;

	if ((strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) ||
	    strpbrk(s, " \t\r\n\"'<>\\") != NULL)
		return NULL;
	if (asprintf(&out, "%s%s", s, s[strlen(s) - 1] == '/' ? "" : "/") < 0)
		return NULL;
	return out;
}

static int bad_usage(const char *why, const char *arg)
{
	if (why != NULL)
		fprintf(stderr, "greendot-render: %s%s%s\n", why,
			arg ? ": " : "", arg ? arg : "");
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}

static int option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'd': c->site.datadir = arg; return 0;
	case 'o': c->site.outdir = arg; return 0;
	case 'n': c->site.news = arg; return 0;
	case 't': c->site.title = arg; return 0;
	case 'L': c->log = arg; return 0;
	case 'v': c->verbose++; return 0;
	case 'g':
		return parse_graphs(arg, &c->site.server_graphs) < 0 ?
			bad_usage("unknown --server-graphs", arg) : 0;
	case 'j':
		return parse_jobs(arg, &c->site.jobs) < 0 ?
			bad_usage("--jobs wants 1 to " STR(GRAPH_WORKERS_MAX),
				  arg) : 0;
	case 'b':
		free(c->base);
		c->base = parse_base(arg);
		c->site.base_url = c->base;
		return c->base ? 0 : bad_usage("not an http(s) URL", arg);
	case 'h':
		fputs(usage_text, stdout);
		return -1;
	default:
		return bad_usage(NULL, NULL);
	}
}

static int parse(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "news", required_argument, NULL, 'n' },
		{ "title", required_argument, NULL, 't' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "server-graphs", required_argument, NULL, 'g' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "L:vh", longs, NULL)) != -1)
		if ((rc = option(c, opt, optarg)) != 0)
			return rc;
	if (optind < argc)
		return bad_usage("unexpected argument", argv[optind]);
	if (c->site.datadir == NULL || c->site.outdir == NULL)
		return bad_usage("--data and --out are required", NULL);
	return 0;
}

static void report(const struct site_opts *o, const struct site_report *r)
{
	log_info("%s: rendered in %.0f ms (graphs %.0f ms: %zu drawn, "
		 "%zu unchanged, %zu without data, %zu failed, %zu removed); "
		 "%zu news items, %zu automatic",
		 o->outdir, r->seconds * 1e3, r->graph_seconds * 1e3,
		 r->graphs.drawn, r->graphs.kept, r->graphs.nodata,
		 r->graphs.failed, r->graphs.removed, r->items, r->automatic);
}

int cli_main(int argc, char **argv)
{
	struct cli c = { .log = "e" };
	struct site_report r;
	int rc = parse(&c, argc, argv);

	if (rc != 0) {
		free(c.base);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	if (gd_log_open("greendot-render", c.log) < 0) {
		free(c.base);
		return bad_usage("bad -L", c.log);
	}
	gd_log_set_level(c.verbose >= 2 ? LOG_DEBUG :
			 c.verbose ? LOG_INFO : LOG_NOTICE);
	rc = site_run(&c.site, &r);
	if (rc == 0)
		report(&c.site, &r);
	gd_xml_cleanup();
	gd_log_close();
	free(c.base);
	return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
