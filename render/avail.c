/*
 * avail.c — availability with rrd_fetch; see avail.h.
 */
#include "avail.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>
#include <rrd_client.h>

#include "config.h"
#include "log.h"

#define UP_DS "up"

int avail_rrd_path(char *buf, size_t len, const char *datadir,
		   enum gd_rrd_kind kind, const char *id)
{
	static const char *const dirs[] = GD_RRD_KIND_DIRS;
	int n;

	if (id == NULL || !gd_id_valid(id) || (unsigned)kind > GD_RRD_SERVICE)
		return -1;
	n = snprintf(buf, len, "%s/rrd/%s/%s.rrd", datadir, dirs[kind], id);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int avail_sync(const char *path)
{
	static int failures;

	rrd_clear_error();
	/* no daemon configured: returns 0 at once */
	if (rrdc_flush_if_daemon(NULL, path) == 0)
		return 0;
	/* one message per run is enough to say the daemon is away */
	if (failures++ == 0)
		log_warn("rrdcached: cannot flush %s: %s", path,
			 rrd_get_error());
	return -1;
}

static long ds_index(unsigned long n, char **names, const char *want)
{
	for (unsigned long i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return (long)i;
	return -1;
}

/* The mean of the known values of column ds; NAN when none is. */
static double known_mean(const rrd_value_t *data, size_t rows,
			 unsigned long cols, long ds)
{
	double sum = 0;
	size_t known = 0;

	for (size_t r = 0; r < rows; r++) {
		rrd_value_t v = data[r * cols + (unsigned long)ds];

		if (isnan(v))
			continue;
		sum += v;
		known++;
	}
	return known ? sum / (double)known : NAN;
}

static void free_names(unsigned long n, char **names)
{
	for (unsigned long i = 0; i < n; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
}

int avail_ratio(const char *path, time_t end, time_t seconds, time_t step,
		double *ratio)
{
	time_t t1 = end - end % step, t0 = t1 - seconds;
	unsigned long st = (unsigned long)step, cols = 0;
	char **names = NULL;
	rrd_value_t *data = NULL;
	long ds;

	*ratio = NAN;
	rrd_clear_error();
	if (rrd_fetch_r(path, "AVERAGE", &t0, &t1, &st, &cols, &names,
			&data) != 0) {
		log_debug("%s: %s", path, rrd_get_error());
		return -1;
	}
	ds = ds_index(cols, names, UP_DS);
	/* rows cover (t0, t1], one per step */
	if (ds >= 0 && st > 0 && t1 > t0)
		*ratio = known_mean(data, (size_t)(t1 - t0) / st, cols, ds);
	free_names(cols, names);
	rrd_freemem(data);
	return ds >= 0 ? 0 : -1;
}

static void fill_one(const char *datadir, enum gd_rrd_kind kind, const char *id,
		     time_t now, double avail[PERIOD_N])
{
	char path[4096];

	if (avail_rrd_path(path, sizeof path, datadir, kind, id) < 0)
		return;
	avail_sync(path);
	for (int p = 0; p < PERIOD_N; p++)
		if (avail_ratio(path, now, model_periods[p].seconds,
				model_periods[p].step, &avail[p]) < 0)
			return;	/* no file: every window without data */
}

void avail_fill(struct model *m, const char *datadir)
{
	for (size_t i = 0; i < m->nservices; i++)
		fill_one(datadir, GD_RRD_SERVICE, m->services[i].st->id, m->now,
			 m->services[i].avail);
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].st != NULL)
			fill_one(datadir, GD_RRD_GROUP, m->groups[i].st->id, m->now,
				 m->groups[i].avail);
}
