/*
 * site.c — one run of the renderer; see site.h.
 */
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "atom.h"
#include "avail.h"
#include "clock.h"
#include "html.h"
#include "incidents.h"
#include "log.h"
#include "model.h"
#include "news.h"
#include "status_json.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for any other run on this OUT; the lock goes with the fd. */
static int lock_out(const char *outdir)
{
	char path[4096];
	int fd;

	if (gd_mkdir_p(outdir, 0755) < 0) {
		log_err("%s: %s", outdir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", outdir, SITE_LOCK_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		log_err("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int read_news(const char *path, struct news *news)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	int rc = news_load(path, NULL, news, &errs);

	if (rc < 0) {
		/* file:line: message, one a line, for the operator to fix */
		gd_errlist_print(&errs, stderr);
		log_err("%s: %zu problem%s; the site is left as it was", path,
			errs.n, errs.n == 1 ? "" : "s");
	}
	gd_errlist_clear(&errs);
	return rc;
}

static int read_state(const char *datadir, struct gd_state **st)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	char path[4096];
	int rc;

	snprintf(path, sizeof path, "%s/%s", datadir, SITE_STATE_FILE);
	rc = gd_state_read(path, NULL, st, &errs);
	if (rc < 0) {
		gd_errlist_log(&errs, LOG_ERR);
		if (errs.n == 0)
			log_err("%s: %s", path, strerror(errno));
		log_err("%s: cannot be read; the site is left as it was", path);
	}
	gd_errlist_clear(&errs);
	return rc;
}

/* One "key=value" line of SIMULATED into m. */
static void simulated_line(struct model *m, const char *line)
{
	char *end;

	if (strncmp(line, "until=", 6) == 0) {
		long long t = strtoll(line + 6, &end, 10);

		if (end != line + 6 && *end == '\0' && t > 0)
			m->simulated_until = (time_t)t;
	} else if (strncmp(line, "text=", 5) == 0 && line[5] != '\0') {
		free(m->simulated_text);
		m->simulated_text = strdup(line + 5);
	}
}

/* DATA/SIMULATED, when a demo made up history: a page must never pass
 * invented figures off as measured ones. */
static void read_simulated(const char *datadir, struct model *m)
{
	char path[4096], line[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", datadir, SITE_SIMULATED_FILE);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		simulated_line(m, line);
	}
	fclose(f);
	if (m->simulated_text == NULL)
		m->simulated_text = strdup("Part of the history shown is "
					   "simulated.");
}

/* State, news, journal and availability into m. */
static int load(const struct site_opts *o, struct model *m)
{
	struct news news = { 0 };
	struct gd_state *st = NULL;
	char path[4096];

	if (o->news != NULL && read_news(o->news, &news) < 0) {
		news_free(&news);
		return -1;
	}
	if (read_state(o->datadir, &st) < 0) {
		news_free(&news);
		return -1;
	}
	if (model_build(m, st, o->title, clock_now()) < 0) {
		news_free(&news);
		log_err("out of memory");
		return -1;
	}
	m->news = news;
	read_simulated(o->datadir, m);
	snprintf(path, sizeof path, "%s/%s", o->datadir, SITE_JOURNAL_FILE);
	/* a journal that cannot be read costs the automatic incidents only */
	inc_from_journal(path, m);
	avail_fill(m, o->datadir);
	model_finish(m);
	return 0;
}

static unsigned server_mask(const struct site_opts *o, const struct model *m)
{
	const unsigned all = (1u << PERIOD_N) - 1;

	switch (o->server_graphs) {
	case SITE_SG_ALL:
		return all;
	case SITE_SG_DAY:
		return 1u << PERIOD_DAY;
	case SITE_SG_NONE:
		return 0;
	default:
		return m->nservers <= SITE_SERVER_GRAPHS_MAX ? all : 0;
	}
}

typedef int (*writer_fn)(const struct model *m, const struct site_opts *o,
			 char **out, size_t *len);

static int write_html(const struct model *m, const struct site_opts *o,
		      char **out, size_t *len)
{
	(void)o;
	return html_page(m, out, len);
}

static int write_json(const struct model *m, const struct site_opts *o,
		      char **out, size_t *len)
{
	(void)o;
	return status_json(m, out, len);
}

static int write_atom(const struct model *m, const struct site_opts *o,
		      char **out, size_t *len)
{
	return atom_feed(m, o->base_url, out, len);
}

static int write_file(const struct model *m, const struct site_opts *o,
		      const char *name, writer_fn fn)
{
	char path[4096];
	char *text = NULL;
	size_t len = 0;
	int rc;

	snprintf(path, sizeof path, "%s/%s", o->outdir, name);
	rc = fn(m, o, &text, &len);
	if (rc < 0)
		log_err("%s: out of memory", path);
	else if ((rc = gd_afile_replace(path, text, len, 0644)) < 0)
		log_err("%s: %s", path, strerror(errno));
	free(text);
	return rc;
}

static int draw_and_write(const struct site_opts *o, struct model *m,
			  struct site_report *r)
{
	struct graph_run *g = graph_open(o->datadir, o->outdir);
	double t0 = mono();
	int rc = 0;

	m->server_graphs = server_mask(o, m);
	if (g != NULL) {
		graph_set_workers(g, o->jobs ? o->jobs
					     : graph_default_workers());
		graph_model(g, m, m->server_graphs);
	}
	r->graph_seconds = mono() - t0;
	rc |= write_file(m, o, "status.json", write_json);
	rc |= write_file(m, o, "feed.atom", write_atom);
	/* last: the page names the images drawn above */
	rc |= write_file(m, o, "index.html", write_html);
	/* then prune, so the page before never lost an image it named */
	if (g != NULL && graph_close(g, &r->graphs) < 0)
		rc = -1;
	return g != NULL && rc == 0 ? 0 : -1;
}

static void count_items(const struct model *m, struct site_report *r)
{
	r->items = m->news.n;
	for (size_t i = 0; i < m->news.n; i++)
		r->automatic += m->news.items[i].automatic;
}

int site_run(const struct site_opts *o, struct site_report *report)
{
	struct site_report local;
	struct site_report *r = report ? report : &local;
	struct model m;
	double t0 = mono();
	int lock, rc = -1;

	memset(r, 0, sizeof *r);
	memset(&m, 0, sizeof m);
	lock = lock_out(o->outdir);
	if (lock < 0)
		return -1;
	if (load(o, &m) == 0) {
		count_items(&m, r);
		rc = draw_and_write(o, &m, r);
	}
	model_free(&m);
	close(lock);
	r->seconds = mono() - t0;
	return rc;
}
