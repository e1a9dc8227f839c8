/*
 * backfill — simulated history for the demo's RRD files.
 *
 *   backfill -c CONFIG -d DATA [-D DAYS] [-e END] [-S SEED] [-f] [-q]
 *
 * Creates DATA/rrd/{server,group,service}/<id>.rrd for every object of
 * CONFIG, in the layout of common/rrdlayout.h (the monitor checks it and
 * writes on), and fills them with DAYS days (default 7) of one-minute
 * samples up to END (epoch seconds; default: the current minute minus one
 * step).  The monitor skips samples not newer than a file's last update,
 * so the history must end before its first sample: start it afterwards.
 *
 * The history, the same for the same SEED (default 1):
 *   - an active server is up most of the time, with a few outages (about
 *     1.5 a week, 2 to 40 minutes each); a heartbeat server (a backup
 *     job) always reported in time;
 *   - twice, a whole group of two or more active servers fails for 20 to
 *     40 minutes, so the services that need it go down: once 3 to 20 hours
 *     before the end (the day graphs show it), once earlier in the week;
 *   - servers in maintenance or on standby are U, as the monitor writes
 *     them (not counted in availability);
 *   - latency by probe kind with a daily rhythm and some noise;
 *   - groups and services follow from their servers by the rules of
 *     common/status.h, as the agent derives them.
 *
 * Then writes DATA/SIMULATED (atomically), two lines:
 *   until=END
 *   text=History before <END, ISO 8601 UTC> is simulated for the demo.
 * for the renderer to say so on the page.
 *
 * Existing RRD files are refused (exit 1, nothing written) unless -f,
 * which replaces them.  Each file is built under a temporary name and
 * renamed into place.  Exit 0, 1 on an error, 2 on a usage or config
 * error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "afile.h"
#include "config.h"
#include "errlist.h"
#include "rrdlayout.h"
#include "status.h"
#include "timefmt.h"

#define BF_OUTAGES_PER_WEEK 1.5
#define BF_OUTAGE_MIN 2		/* steps */
#define BF_OUTAGE_MAX 40
#define BF_GROUP_MIN 20
#define BF_GROUP_MAX 40
#define BF_UPDATE_CHUNK 1024	/* samples per rrd_update_r call */
#define BF_ARG_MAX 64		/* "time:v:v" */

enum { ST_UP, ST_DOWN, ST_UNKNOWN };

struct bf_opts {
	const char *config, *data;
	int days;
	time_t end;
	uint64_t seed;
	int force, quiet;
};

struct bf {
	const struct bf_opts *o;
	const struct gd_config *cfg;
	time_t start;		/* time of the first sample */
	size_t n;		/* samples per file */
	uint64_t rng;
	unsigned char **server;	/* [server][step] ST_* */
	enum gd_status **group;	/* [group][step] */
	unsigned **members;	/* [group][step] active members up */
	char **argv;		/* BF_UPDATE_CHUNK formatted samples */
	size_t files;
};

/* --- randomness (splitmix64: the same history for the same seed) ----- */

static uint64_t bf_rand(struct bf *b)
{
	uint64_t z = (b->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double bf_unit(struct bf *b)
{
	return (double)(bf_rand(b) >> 11) / 9007199254740992.0;
}

/* Uniform in [lo, hi]. */
static size_t bf_between(struct bf *b, size_t lo, size_t hi)
{
	return lo + (size_t)(bf_unit(b) * (double)(hi - lo + 1));
}

/* --- the simulated states ------------------------------------------- */

static void bf_down(unsigned char *st, size_t n, size_t from, size_t len)
{
	for (size_t i = from; i < from + len && i < n; i++)
		st[i] = ST_DOWN;
}

/* A few outages of one active server: Poisson-ish, by halves. */
static void bf_server_outages(struct bf *b, unsigned char *st)
{
	double mean = BF_OUTAGES_PER_WEEK * b->o->days / 7.0;
	size_t k = 0;

	for (int half = 0; half < 2 * b->o->days; half++)
		if (bf_unit(b) < mean / (2.0 * b->o->days))
			k++;
	while (k-- > 0)
		bf_down(st, b->n, bf_between(b, 0, b->n - 1),
			bf_between(b, BF_OUTAGE_MIN, BF_OUTAGE_MAX));
}

static unsigned char bf_server_base(const struct gd_server *s)
{
	return s->admin == GD_ADMIN_ACTIVE ? ST_UP : ST_UNKNOWN;
}

static int bf_servers(struct bf *b)
{
	const struct gd_config *cfg = b->cfg;

	b->server = calloc(cfg->nservers ? cfg->nservers : 1, sizeof *b->server);
	if (b->server == NULL)
		return -1;
	for (size_t i = 0; i < cfg->nservers; i++) {
		const struct gd_server *s = &cfg->servers[i];

		b->server[i] = malloc(b->n);
		if (b->server[i] == NULL)
			return -1;
		memset(b->server[i], bf_server_base(s), b->n);
		if (s->admin == GD_ADMIN_ACTIVE && s->probe != GD_PROBE_HEARTBEAT)
			bf_server_outages(b, b->server[i]);
	}
	return 0;
}

static size_t bf_active_probed(const struct gd_config *cfg,
			       const struct gd_group *g)
{
	size_t n = 0;

	for (size_t i = g->first_server; i < g->first_server + g->nservers; i++)
		n += cfg->servers[i].admin == GD_ADMIN_ACTIVE &&
		     cfg->servers[i].probe != GD_PROBE_HEARTBEAT;
	return n;
}

/* A whole group of two or more active servers fails for 20 to 40
 * minutes, starting between lo and hi steps before the end; not the
 * group `skip`.  Returns the group's index, or SIZE_MAX when none fits. */
static size_t bf_group_outage(struct bf *b, size_t lo, size_t hi, size_t skip)
{
	const struct gd_config *cfg = b->cfg;
	size_t cand = 0, pick, from, len;

	for (size_t g = 0; g < cfg->ngroups; g++)
		cand += g != skip && bf_active_probed(cfg, &cfg->groups[g]) >= 2;
	if (cand == 0 || b->n <= hi)
		return SIZE_MAX;
	pick = bf_between(b, 0, cand - 1);
	from = b->n - bf_between(b, lo, hi);
	len = bf_between(b, BF_GROUP_MIN, BF_GROUP_MAX);
	for (size_t g = 0; g < cfg->ngroups; g++) {
		const struct gd_group *gr = &cfg->groups[g];

		if (g == skip || bf_active_probed(cfg, gr) < 2 || pick-- != 0)
			continue;
		for (size_t i = gr->first_server;
		     i < gr->first_server + gr->nservers; i++)
			if (cfg->servers[i].admin == GD_ADMIN_ACTIVE)
				bf_down(b->server[i], b->n, from, len);
		if (!b->o->quiet)
			printf("backfill: group %s down for %zu minutes, "
			       "%.1f hours before the end\n", gr->id, len,
			       (double)(b->n - from) / 60.0);
		return g;
	}
	return SIZE_MAX;
}

/* Two big ones: one in the last day (the day graphs show it), one
 * earlier in the week (when the history is that long). */
static void bf_group_outages(struct bf *b)
{
	size_t hour = 3600 / GD_RRD_STEP, day = 24 * hour, first;

	first = bf_group_outage(b, 3 * hour, 20 * hour, SIZE_MAX);
	if (b->n > 3 * day)
		bf_group_outage(b, 2 * day, b->n - 2 * hour, first);
}

static enum gd_status bf_group_at(struct bf *b, const struct gd_group *g,
				  size_t t, unsigned *up)
{
	struct gd_member_counts c = { 0, 0, 0 };

	for (size_t i = g->first_server; i < g->first_server + g->nservers; i++) {
		if (b->cfg->servers[i].admin != GD_ADMIN_ACTIVE)
			continue;
		switch (b->server[i][t]) {
		case ST_UP: c.up++; break;
		case ST_DOWN: c.down++; break;
		default: c.unknown++; break;
		}
	}
	*up = c.up;
	return gd_group_status(&c);
}

static int bf_groups(struct bf *b)
{
	size_t ng = b->cfg->ngroups ? b->cfg->ngroups : 1;

	b->group = calloc(ng, sizeof *b->group);
	b->members = calloc(ng, sizeof *b->members);
	if (b->group == NULL || b->members == NULL)
		return -1;
	for (size_t g = 0; g < b->cfg->ngroups; g++) {
		b->group[g] = malloc(b->n * sizeof **b->group);
		b->members[g] = malloc(b->n * sizeof **b->members);
		if (b->group[g] == NULL || b->members[g] == NULL)
			return -1;
		for (size_t t = 0; t < b->n; t++)
			b->group[g][t] = bf_group_at(b, &b->cfg->groups[g], t,
						     &b->members[g][t]);
	}
	return 0;
}

/* A service at step t, as the agent derives it (status.h). */
static enum gd_status bf_service_at(struct bf *b, const struct gd_service *s,
				    size_t t)
{
	enum gd_truth truth[s->nneeds ? s->nneeds : 1];
	bool all_up = true;

	for (size_t i = 0; i < s->nneeds; i++) {
		const struct gd_need *nd = &s->needs[i];
		enum gd_status st[nd->ngroups ? nd->ngroups : 1];

		for (size_t j = 0; j < nd->ngroups; j++) {
			st[j] = b->group[nd->groups[j]][t];
			all_up = all_up && st[j] == GD_STATUS_UP;
		}
		truth[i] = gd_need_truth(st, nd->ngroups);
	}
	return gd_service_status(truth, s->nneeds, all_up);
}

/* --- values ------------------------------------------------------------ */

/* Typical seconds per probe kind, loopback-ish but not too flattering. */
static double bf_latency_base(enum gd_probe p)
{
	switch (p) {
	case GD_PROBE_TCP: return 0.0004;
	case GD_PROBE_MYSQL: return 0.0012;
	case GD_PROBE_HTTP: return 0.0060;
	case GD_PROBE_SMTP: return 0.0030;
	default: return 0.0025;
	}
}

/* Busier in the afternoon (UTC), with noise. */
static double bf_latency(struct bf *b, const struct gd_server *s, time_t t)
{
	double day = (double)(t % 86400) / 86400.0;
	double rhythm = 1.0 + 0.6 * sin(2.0 * M_PI * (day - 0.35));

	return bf_latency_base(s->probe) * rhythm * (0.7 + 0.6 * bf_unit(b));
}

static void bf_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "U");
	else
		snprintf(buf, len, "%.6g", v);
}

static double bf_serving(enum gd_status s)
{
	if (s == GD_STATUS_UNKNOWN)
		return NAN;
	return gd_status_serving(s) ? 1.0 : 0.0;
}

/* The values of one file at step t into v; how many. */
static size_t bf_values(struct bf *b, enum gd_rrd_kind kind, size_t i,
			size_t t, double v[2])
{
	const struct gd_server *s;
	unsigned char st;

	switch (kind) {
	case GD_RRD_SERVER:
		s = &b->cfg->servers[i];
		st = b->server[i][t];
		/* maintenance, standby: probed, shown, not counted (U) */
		v[0] = st == ST_UP ? 1.0 : st == ST_DOWN ? 0.0 : NAN;
		if (s->admin != GD_ADMIN_ACTIVE)
			st = ST_UP;
		v[1] = st == ST_UP && s->probe != GD_PROBE_HEARTBEAT ?
		       bf_latency(b, s, b->start + (time_t)t * GD_RRD_STEP) : NAN;
		return 2;
	case GD_RRD_GROUP:
		v[0] = bf_serving(b->group[i][t]);
		v[1] = b->group[i][t] == GD_STATUS_UNKNOWN ? NAN :
		       (double)b->members[i][t];
		return 2;
	default:
		v[0] = bf_serving(bf_service_at(b, &b->cfg->services[i], t));
		return 1;
	}
}

/* --- files ------------------------------------------------------------- */

static const char *const bf_kind_dirs[] = GD_RRD_KIND_DIRS;
static const char *const bf_server_ds[] = { GD_RRD_SERVER_DS };
static const char *const bf_group_ds[] = { GD_RRD_GROUP_DS };
static const char *const bf_service_ds[] = { GD_RRD_SERVICE_DS };
static const char *const bf_rras[] = { GD_RRD_RRAS };
#define BF_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int bf_create_args(enum gd_rrd_kind kind, const char **argv)
{
	const char *const *ds = kind == GD_RRD_SERVER ? bf_server_ds :
				kind == GD_RRD_GROUP ? bf_group_ds : bf_service_ds;
	size_t nds = kind == GD_RRD_SERVER ? BF_LEN(bf_server_ds) :
		     kind == GD_RRD_GROUP ? BF_LEN(bf_group_ds) :
		     BF_LEN(bf_service_ds);
	int argc = 0;

	for (size_t i = 0; i < nds; i++)
		argv[argc++] = ds[i];
	for (size_t i = 0; i < BF_LEN(bf_rras); i++)
		argv[argc++] = bf_rras[i];
	return argc;
}

static int bf_fill(struct bf *b, const char *tmp, enum gd_rrd_kind kind,
		   size_t i)
{
	size_t done = 0;

	while (done < b->n) {
		size_t k = 0;

		for (; k < BF_UPDATE_CHUNK && done + k < b->n; k++) {
			double v[2];
			size_t nv = bf_values(b, kind, i, done + k, v);
			char a[24], c[24];

			bf_num(a, sizeof a, v[0]);
			bf_num(c, sizeof c, nv > 1 ? v[1] : NAN);
			snprintf(b->argv[k], BF_ARG_MAX, "%lld:%s%s%s",
				 (long long)(b->start + (time_t)(done + k) * GD_RRD_STEP),
				 a, nv > 1 ? ":" : "", nv > 1 ? c : "");
		}
		rrd_clear_error();
		if (rrd_update_r(tmp, NULL, (int)k, (const char **)b->argv) != 0) {
			fprintf(stderr, "backfill: %s: %s\n", tmp, rrd_get_error());
			return -1;
		}
		done += k;
	}
	return 0;
}

static int bf_file(struct bf *b, enum gd_rrd_kind kind, size_t i,
		   const char *id)
{
	const char *argv[8 + BF_LEN(bf_rras)];
	int argc = bf_create_args(kind, argv);
	char path[PATH_MAX], tmp[PATH_MAX + 16];

	snprintf(path, sizeof path, "%s/rrd/%s/%s.rrd", b->o->data,
		 bf_kind_dirs[kind], id);
	snprintf(tmp, sizeof tmp, "%s.backfill", path);
	rrd_clear_error();
	if (rrd_create_r2(tmp, GD_RRD_STEP, b->start - GD_RRD_STEP, 0, NULL,
			  NULL, argc, argv) != 0) {
		fprintf(stderr, "backfill: create %s: %s\n", tmp, rrd_get_error());
		return -1;
	}
	if (bf_fill(b, tmp, kind, i) < 0) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "backfill: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	b->files++;
	return 0;
}

static const char *bf_id(const struct gd_config *cfg, enum gd_rrd_kind kind,
			 size_t i)
{
	return kind == GD_RRD_SERVER ? cfg->servers[i].id :
	       kind == GD_RRD_GROUP ? cfg->groups[i].id : cfg->services[i].id;
}

static size_t bf_count(const struct gd_config *cfg, enum gd_rrd_kind kind)
{
	return kind == GD_RRD_SERVER ? cfg->nservers :
	       kind == GD_RRD_GROUP ? cfg->ngroups : cfg->nservices;
}

/* Folders made; without -f no file may exist yet (checked before any
 * is written, so a refusal leaves everything as it was). */
static int bf_prepare(struct bf *b)
{
	char path[PATH_MAX];
	struct stat st;
	int clash = 0;

	for (int k = GD_RRD_SERVER; k <= GD_RRD_SERVICE; k++) {
		snprintf(path, sizeof path, "%s/rrd/%s", b->o->data,
			 bf_kind_dirs[k]);
		if (gd_mkdir_p(path, 0755) < 0) {
			fprintf(stderr, "backfill: %s: %s\n", path, strerror(errno));
			return -1;
		}
		for (size_t i = 0; i < bf_count(b->cfg, k) && !b->o->force; i++) {
			snprintf(path, sizeof path, "%s/rrd/%s/%s.rrd", b->o->data,
				 bf_kind_dirs[k], bf_id(b->cfg, k, i));
			if (stat(path, &st) == 0) {
				fprintf(stderr, "backfill: %s exists (-f replaces it)\n",
					path);
				clash = 1;
			}
		}
	}
	return clash ? -1 : 0;
}

static int bf_write_all(struct bf *b)
{
	for (int k = GD_RRD_SERVER; k <= GD_RRD_SERVICE; k++)
		for (size_t i = 0; i < bf_count(b->cfg, k); i++)
			if (bf_file(b, k, i, bf_id(b->cfg, k, i)) < 0)
				return -1;
	return 0;
}

static int bf_marker(const struct bf *b)
{
	char path[PATH_MAX], iso[40];
	struct gd_afile af;

	snprintf(path, sizeof path, "%s/SIMULATED", b->o->data);
	gd_time_iso8601(iso, sizeof iso, b->o->end, true);
	if (gd_afile_open(&af, path, 0644) < 0)
		goto fail;
	gd_afile_printf(&af, "until=%lld\n", (long long)b->o->end);
	gd_afile_printf(&af, "text=History before %s is simulated for the "
			"demo.\n", iso);
	if (gd_afile_commit(&af) == 0)
		return 0;
fail:
	fprintf(stderr, "backfill: %s: %s\n", path, strerror(errno));
	return -1;
}

/* --- the program --------------------------------------------------------- */

static void bf_free(struct bf *b)
{
	for (size_t i = 0; b->server && i < b->cfg->nservers; i++)
		free(b->server[i]);
	for (size_t g = 0; b->group && g < b->cfg->ngroups; g++) {
		free(b->group[g]);
		free(b->members[g]);
	}
	for (size_t k = 0; b->argv && k < BF_UPDATE_CHUNK; k++)
		free(b->argv[k]);
	free(b->server);
	free(b->group);
	free(b->members);
	free(b->argv);
}

static int bf_alloc_argv(struct bf *b)
{
	b->argv = calloc(BF_UPDATE_CHUNK, sizeof *b->argv);
	if (b->argv == NULL)
		return -1;
	for (size_t k = 0; k < BF_UPDATE_CHUNK; k++)
		if ((b->argv[k] = malloc(BF_ARG_MAX)) == NULL)
			return -1;
	return 0;
}

static int bf_run(const struct bf_opts *o, const struct gd_config *cfg)
{
	struct bf b = { .o = o, .cfg = cfg, .rng = o->seed };
	int rc = 1;

	b.n = (size_t)o->days * 86400 / GD_RRD_STEP;
	b.start = o->end - (time_t)(b.n - 1) * GD_RRD_STEP;
	if (bf_prepare(&b) < 0)
		goto out;
	if (bf_alloc_argv(&b) < 0 || bf_servers(&b) < 0) {
		fprintf(stderr, "backfill: out of memory\n");
		goto out;
	}
	bf_group_outages(&b);
	if (bf_groups(&b) < 0) {
		fprintf(stderr, "backfill: out of memory\n");
		goto out;
	}
	if (bf_write_all(&b) < 0 || bf_marker(&b) < 0)
		goto out;
	if (!o->quiet)
		printf("backfill: %zu files, %d days of simulated history up to "
		       "%lld\n", b.files, o->days, (long long)o->end);
	rc = 0;
out:
	bf_free(&b);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: backfill -c CONFIG -d DATA [-D DAYS] [-e END] "
		   "[-S SEED] [-f] [-q]\n"
		   "  -c CONFIG  the infrastructure config (its servers, "
		   "groups, services)\n"
		   "  -d DATA    the monitor's data folder (rrd/ goes below)\n"
		   "  -D DAYS    days of history (default 7, 1..60)\n"
		   "  -e END     time of the last sample, epoch seconds "
		   "(default: this minute - 60 s)\n"
		   "  -S SEED    the same seed, the same history (default 1)\n"
		   "  -f         replace existing RRD files\n"
		   "  -q         quiet\n");
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct bf_opts *o)
{
	long v;
	int c;

	while ((c = getopt(argc, argv, "c:d:D:e:S:fqh")) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'd': o->data = optarg; break;
		case 'D':
			if (parse_long(optarg, 1, 60, &v) < 0)
				return -1;
			o->days = (int)v;
			break;
		case 'e':
			if (parse_long(optarg, 86400L * 60, LONG_MAX, &v) < 0)
				return -1;
			o->end = v / GD_RRD_STEP * GD_RRD_STEP;
			break;
		case 'S':
			if (parse_long(optarg, 0, LONG_MAX, &v) < 0)
				return -1;
			o->seed = (uint64_t)v;
			break;
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	return optind == argc && o->config && o->data ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct bf_opts o = { .days = 7, .seed = 1 };
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	int rc;

	o.end = time(NULL) / GD_RRD_STEP * GD_RRD_STEP - GD_RRD_STEP;
	if (parse_opts(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	if (gd_config_load(o.config, NULL, &cfg, &errs) < 0) {
		gd_errlist_print(&errs, stderr);
		gd_errlist_clear(&errs);
		return 2;
	}
	rc = bf_run(&o, cfg);
	gd_config_free(cfg);
	return rc;
}
