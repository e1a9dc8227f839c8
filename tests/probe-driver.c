/*
 * probe-driver — runs greendot's probe engine on a config, for the
 * integration tests and the benchmark.
 *
 *   probe-driver -c CONFIG [-k K] [-n CYCLES] [-t SECONDS] [-m SOCKETS]
 *                [-q] [-H ID[:STATUS]]...
 *
 * Probes every server of CONFIG in one event loop, as the agent does,
 * until each has K results (default 1) or, with -n, for CYCLES times the
 * longest interval (stopping earlier only if -k is given too).  Prints a
 * line per result,
 *
 *   ID ok|fail LATENCY_US [ERROR]
 *
 * then a summary line with the rate and the CPU time spent:
 *
 *   summary: servers N results N ok N failed N skipped N elapsed S s
 *            probes/s R cpu S s (user S, sys S) P% of one CPU
 *
 * -m caps the sockets in flight, -q prints the summary only, -H records a
 * heartbeat for server ID before the start.  Exit 0 when done, 1 when -t
 * SECONDS (default (K + 1) x the longest interval + 5) ran out first,
 * 2 on a usage or config error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "evloop.h"
#include "probe.h"
#include "xmlsafe.h"

#define MAX_HEARTBEATS 64

struct driver {
	struct ev_loop *loop;
	struct gd_prober *p;
	const struct gd_config *cfg;
	unsigned *count;	/* results per server */
	size_t done;		/* servers with k results */
	unsigned k;
	bool quiet, finished;
	uint64_t results;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: probe-driver -c CONFIG [-k K] [-n CYCLES] [-t SECONDS]"
		" [-m SOCKETS] [-q] [-H ID[:STATUS]]...\n");
}

static void on_result(void *arg, size_t server, const struct gd_probe_result *r)
{
	struct driver *d = arg;

	d->results++;
	if (!d->quiet)
		printf("%s %s %u%s%s\n", d->cfg->servers[server].id,
		       r->ok ? "ok" : "fail", r->latency_us, r->ok ? "" : " ",
		       r->ok ? "" : r->error);
	/* k is 0 with -n alone: run the cycles out */
	if (++d->count[server] == d->k && ++d->done == d->cfg->nservers) {
		d->finished = true;
		ev_loop_break(d->loop);
	}
}

static void on_deadline(struct ev_loop *loop, void *arg)
{
	(void)arg;
	ev_loop_break(loop);
}

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	ev_loop_break(loop);
}

/* The agent's job at start, done here the same way. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static double longest_interval(const struct gd_config *cfg)
{
	double m = cfg->defaults.interval;

	for (size_t i = 0; i < cfg->nservers; i++)
		if (cfg->servers[i].check.interval > m)
			m = cfg->servers[i].check.interval;
	return m;
}

static double cpu_seconds(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	return *user + *sys;
}

/* "ID[:STATUS]": a heartbeat now. */
static int heartbeat(struct driver *d, const char *arg)
{
	char id[GD_ID_MAX + 1];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	long server;

	if (n > GD_ID_MAX)
		return -1;
	memcpy(id, arg, n);
	id[n] = '\0';
	server = gd_config_find_server(d->cfg, id);
	if (server < 0)
		return -1;
	gd_prober_heartbeat(d->p, (size_t)server,
			    colon ? (unsigned)atoi(colon + 1) : 0, time(NULL));
	return 0;
}

static void summary(const struct driver *d, uint64_t t0, double cpu0,
		    double user0, double sys0)
{
	struct gd_prober_stats st;
	double secs = (double)(ev_monotonic_ns() - t0) / 1e9;
	double user, sys, cpu = cpu_seconds(&user, &sys) - cpu0;

	gd_prober_stats(d->p, &st);
	printf("summary: servers %zu results %llu ok %llu failed %llu "
	       "skipped %llu elapsed %.3f s probes/s %.0f cpu %.3f s "
	       "(user %.3f, sys %.3f) %.0f%% of one CPU\n",
	       d->cfg->nservers, (unsigned long long)d->results,
	       (unsigned long long)st.ok, (unsigned long long)st.failed,
	       (unsigned long long)st.skipped, secs,
	       secs > 0 ? (double)d->results / secs : 0.0, cpu, user - user0,
	       sys - sys0, secs > 0 ? 100.0 * cpu / secs : 0.0);
}

struct opts {
	const char *config;
	unsigned k, cycles;
	double limit;
	size_t sockets;
	bool quiet;
	const char *beats[MAX_HEARTBEATS];
	size_t nbeats;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .k = 0 };
	while ((c = getopt(argc, argv, "c:k:n:t:m:qH:h")) != -1) {
		if (c == 'c')
			o->config = optarg;
		else if (c == 'k')
			o->k = (unsigned)atoi(optarg);
		else if (c == 'n')
			o->cycles = (unsigned)atoi(optarg);
		else if (c == 't')
			o->limit = atof(optarg);
		else if (c == 'm')
			o->sockets = (size_t)atol(optarg);
		else if (c == 'q')
			o->quiet = true;
		else if (c == 'H' && o->nbeats < MAX_HEARTBEATS)
			o->beats[o->nbeats++] = optarg;
		else
			return -1;
	}
	if (o->k == 0 && o->cycles == 0)
		o->k = 1;
	return o->config && optind == argc ? 0 : -1;
}

static int run(struct driver *d, const struct opts *o)
{
	double interval = longest_interval(d->cfg), user0, sys0, cpu0;
	double limit = o->limit > 0 ? o->limit : (o->k + 1) * interval + 5;
	struct ev_timer deadline;
	uint64_t t0;

	if (o->cycles > 0)
		limit = o->cycles * interval;
	if (o->sockets > 0)
		gd_prober_set_max_sockets(d->p, o->sockets);
	for (size_t i = 0; i < o->nbeats; i++)
		if (heartbeat(d, o->beats[i]) < 0) {
			fprintf(stderr, "probe-driver: -H %s: no such server\n",
				o->beats[i]);
			return 2;
		}
	ev_signal_add(d->loop, SIGINT, on_signal, NULL);
	ev_signal_add(d->loop, SIGTERM, on_signal, NULL);
	ev_now_update(d->loop);
	t0 = ev_now(d->loop);
	cpu0 = cpu_seconds(&user0, &sys0);
	ev_timer_init(&deadline, on_deadline, NULL);
	ev_timer_start(d->loop, &deadline, t0 + (uint64_t)(limit * 1e9));
	if (ev_loop_run(d->loop) < 0)
		perror("probe-driver: epoll");
	/* deadline lives on this stack; the loop outlives it */
	ev_timer_stop(d->loop, &deadline);
	summary(d, t0, cpu0, user0, sys0);
	return d->finished || o->cycles > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	struct driver d = { 0 };
	struct opts o;
	int rc = 2;

	if (parse_opts(argc, argv, &o) < 0) {
		usage();
		return 2;
	}
	raise_nofile();
	if (gd_config_load(o.config, NULL, &cfg, &errs) < 0) {
		gd_errlist_print(&errs, stderr);
		goto out;
	}
	d = (struct driver){ .cfg = cfg, .k = o.k, .quiet = o.quiet,
			     .loop = ev_loop_new(),
			     .count = calloc(cfg->nservers + 1, sizeof(unsigned)) };
	if (d.loop != NULL)
		d.p = gd_prober_new(d.loop, on_result, &d);
	if (d.p == NULL || d.count == NULL ||
	    gd_prober_set_config(d.p, cfg) < 0) {
		fprintf(stderr, "probe-driver: %s\n", strerror(errno));
		goto out;
	}
	rc = run(&d, &o);
out:
	gd_prober_free(d.p);
	ev_loop_free(d.loop);
	free(d.count);
	gd_config_free(cfg);
	gd_errlist_clear(&errs);
	gd_xml_cleanup();
	return rc;
}
