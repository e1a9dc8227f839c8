/*
 * test_rrdw.c — the RRD writer: file names from ids, step alignment,
 * files created complete in the layout of rrdlayout.h, one update per
 * step, nothing older than the file's last update, NAN as unknown,
 * files of another layout left alone; and, against a fake rrdcached on a
 * unix socket, the BATCH lines, error lines, LAST after a broken batch,
 * reconnecting, and a daemon that does not answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "log.h"
#include "rrdw.h"

/* A sample time well in the past, on a step. */
#define T0 ((time_t)1700000040)

static char dir[64];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gd-test-rrdw-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *file_of(const char *kind, const char *id)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s/rrd/%s/%s.rrd", dir, kind, id);
	return buf;
}

static size_t entries(const char *kind)
{
	char path[256];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof path, "%s/rrd/%s", dir, kind);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The file's last update and its last values as rrdtool prints them. */
static time_t last_update(const char *path, char vals[][32], size_t n)
{
	unsigned long cnt = 0;
	char **names = NULL, **last = NULL;
	time_t t = 0;

	rrd_clear_error();
	assert_int_equal(rrd_lastupdate_r(path, &t, &cnt, &names, &last), 0);
	assert_int_equal(cnt, n);
	for (unsigned long i = 0; i < cnt; i++) {
		snprintf(vals[i], 32, "%s", last[i]);
		free(names[i]);
		free(last[i]);
	}
	free(names);
	free(last);
	return t;
}

static struct gd_rrdw *writer(const char *rrdcached)
{
	struct gd_rrdw *w = gd_rrdw_new(dir, rrdcached);

	assert_non_null(w);
	return w;
}

static void put(struct gd_rrdw *w, enum gd_rrd_kind kind, const char *id,
		time_t t, double a, double b)
{
	double v[2] = { a, b };
	size_t n = kind == GD_RRD_SERVICE ? 1 : 2;

	assert_int_equal(gd_rrdw_update(w, kind, id, t, v, n), 0);
}

/* A flush expected to fail: its errors (LOG_ERR) not shown. */
static int flush_quietly(struct gd_rrdw *w)
{
	int rc;

	gd_log_set_level(LOG_CRIT);
	rc = gd_rrdw_flush(w);
	gd_log_set_level(LOG_WARNING);
	return rc;
}

/* --- names and times ------------------------------------------------------ */

static void test_path(void **state)
{
	static const struct {
		enum gd_rrd_kind kind;
		const char *id;
		const char *want;	/* NULL: refused */
	} cases[] = {
		{ GD_RRD_SERVER, "web1", "/d/rrd/server/web1.rrd" },
		{ GD_RRD_GROUP, "mail.eu-1_a", "/d/rrd/group/mail.eu-1_a.rrd" },
		{ GD_RRD_SERVICE, "0", "/d/rrd/service/0.rrd" },
		{ GD_RRD_SERVER, "../x", NULL },
		{ GD_RRD_SERVER, "/", NULL },
		{ GD_RRD_SERVER, "a/b", NULL },
		{ GD_RRD_SERVER, "", NULL },
		{ GD_RRD_SERVER, ".hidden", NULL },
		{ GD_RRD_SERVER, "Web1", NULL },
		{ GD_RRD_SERVER, "a b", NULL },
		{ GD_RRD_SERVER, NULL, NULL },
		{ (enum gd_rrd_kind)3, "web1", NULL },
		{ (enum gd_rrd_kind)-1, "web1", NULL },
	};
	char id64[65], id65[66], buf[128], want[128];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *p = gd_rrdw_path("/d", cases[i].kind, cases[i].id,
					     buf, sizeof buf);

		if (cases[i].want == NULL)
			assert_null(p);
		else
			assert_string_equal(p, cases[i].want);
	}
	memset(id64, 'a', 64);
	id64[64] = '\0';
	memset(id65, 'a', 65);
	id65[65] = '\0';
	snprintf(want, sizeof want, "/d/rrd/server/%s.rrd", id64);
	assert_string_equal(gd_rrdw_path("/d", GD_RRD_SERVER, id64, buf,
					 sizeof buf), want);
	assert_null(gd_rrdw_path("/d", GD_RRD_SERVER, id65, buf, sizeof buf));
	/* a buffer too small is refused, not cut */
	assert_null(gd_rrdw_path("/d", GD_RRD_SERVER, "web1", buf, 22));
	assert_non_null(gd_rrdw_path("/d", GD_RRD_SERVER, "web1", buf, 23));
}

static void test_align(void **state)
{
	static const struct {
		time_t t, want;
	} cases[] = {
		{ 0, 0 }, { 1, 0 }, { 59, 0 }, { 60, 60 }, { 61, 60 },
		{ 119, 60 }, { T0, T0 }, { T0 + 59, T0 }, { T0 - 1, T0 - 60 },
		{ -1, -60 }, { -60, -60 }, { -61, -120 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(gd_rrdw_align(cases[i].t), cases[i].want);
}

static void test_invalid_update(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	double v[2] = { 1, 0.5 };

	(void)state;
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVER, "../x", T0, v, 2), -1);
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVER, "", T0, v, 2), -1);
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVER, "/", T0, v, 2), -1);
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVER, "web1", T0, v, 1), -1);
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVICE, "web1", T0, v, 2), -1);
	assert_int_equal(gd_rrdw_update(w, (enum gd_rrd_kind)7, "a", T0, v, 2), -1);
	assert_int_equal(gd_rrdw_update(w, GD_RRD_SERVER, "web1", T0, NULL, 2), -1);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(entries("server"), 0);
	assert_int_equal(entries("service"), 0);
	gd_rrdw_free(w);
}

/* --- files ---------------------------------------------------------------- */

static const rrd_info_t *info_get(const rrd_info_t *info, const char *key)
{
	for (; info != NULL; info = info->next)
		if (strcmp(info->key, key) == 0)
			return info;
	fail_msg("no %s in rrd_info", key);
	return NULL;
}

static void check_ds(const rrd_info_t *info, const char *def, unsigned long i)
{
	char name[32], type[32], key[64];
	unsigned long hb;

	assert_int_equal(sscanf(def, "DS:%31[^:]:%31[^:]:%lu", name, type, &hb), 3);
	snprintf(key, sizeof key, "ds[%s].index", name);
	assert_int_equal(info_get(info, key)->value.u_cnt, i);
	snprintf(key, sizeof key, "ds[%s].type", name);
	assert_string_equal(info_get(info, key)->value.u_str, type);
	snprintf(key, sizeof key, "ds[%s].minimal_heartbeat", name);
	assert_int_equal(info_get(info, key)->value.u_cnt, hb);
}

static void check_rra(const rrd_info_t *info, const char *def, int i)
{
	char cf[16], key[64];
	unsigned long pdp, rows;
	double xff;

	assert_int_equal(sscanf(def, "RRA:%15[^:]:%lf:%lu:%lu", cf, &xff, &pdp,
				&rows), 4);
	snprintf(key, sizeof key, "rra[%d].cf", i);
	assert_string_equal(info_get(info, key)->value.u_str, cf);
	snprintf(key, sizeof key, "rra[%d].pdp_per_row", i);
	assert_int_equal(info_get(info, key)->value.u_cnt, pdp);
	snprintf(key, sizeof key, "rra[%d].rows", i);
	assert_int_equal(info_get(info, key)->value.u_cnt, rows);
}

/* rrd_info shows exactly the layout: step, DS in order, every RRA. */
static void check_layout(const char *path, const char *const *ds, size_t nds)
{
	static const char *const rras[] = { GD_RRD_RRAS };
	rrd_info_t *info;
	size_t nrra = 0, nidx = 0;

	rrd_clear_error();
	info = rrd_info_r(path);
	assert_non_null(info);
	assert_int_equal(info_get(info, "step")->value.u_cnt, GD_RRD_STEP);
	for (size_t i = 0; i < nds; i++)
		check_ds(info, ds[i], i);
	for (size_t i = 0; i < sizeof rras / sizeof rras[0]; i++)
		check_rra(info, rras[i], (int)i);
	for (rrd_info_t *p = info; p != NULL; p = p->next) {
		nidx += strstr(p->key, "].index") != NULL;
		nrra += strncmp(p->key, "rra[", 4) == 0 && strstr(p->key, "].cf");
	}
	assert_int_equal(nidx, nds);
	assert_int_equal(nrra, sizeof rras / sizeof rras[0]);
	rrd_info_free(info);
}

static void test_create(void **state)
{
	static const char *const server[] = { GD_RRD_SERVER_DS };
	static const char *const group[] = { GD_RRD_GROUP_DS };
	static const char *const service[] = { GD_RRD_SERVICE_DS };
	struct gd_rrdw *w = writer(NULL);
	struct gd_rrdw_stats st;
	char vals[2][32];
	struct stat sb;

	(void)state;
	put(w, GD_RRD_SERVER, "web1", T0 + 7, 1, 0.25);
	put(w, GD_RRD_GROUP, "mail", T0, 1, 3);
	put(w, GD_RRD_SERVICE, "email", T0, 0, 0);
	/* nothing on disk before the flush */
	assert_int_equal(stat(file_of("server", "web1"), &sb), -1);
	assert_int_equal(gd_rrdw_flush(w), 0);
	check_layout(file_of("server", "web1"), server, 2);
	check_layout(file_of("group", "mail"), group, 2);
	check_layout(file_of("service", "email"), service, 1);
	/* the first sample is the first update: the file starts one step before */
	assert_int_equal(last_update(file_of("server", "web1"), vals, 2), T0);
	assert_string_equal(vals[0], "1");
	assert_string_equal(vals[1], "0.25");
	/* no temporary left behind; readable by the renderer (a mkstemp
	 * temporary is 0600) */
	assert_int_equal(entries("server"), 1);
	assert_int_equal(entries("group"), 1);
	assert_int_equal(entries("service"), 1);
	assert_int_equal(stat(file_of("server", "web1"), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.created, 3);
	assert_int_equal(st.written, 3);
	assert_int_equal(st.errors, 0);
	gd_rrdw_free(w);
}

static void test_same_step_once(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	struct gd_rrdw_stats st;
	char vals[2][32];

	(void)state;
	put(w, GD_RRD_SERVER, "web1", T0, 1, 0.1);
	put(w, GD_RRD_SERVER, "web1", T0 + 30, 0, NAN);	/* same step: replaces */
	put(w, GD_RRD_SERVER, "web1", T0 + 60, 1, 0.3);
	put(w, GD_RRD_SERVER, "web1", T0 + 61, 1, 0.4);	/* replaces */
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.replaced, 2);
	assert_int_equal(last_update(file_of("server", "web1"), vals, 2), T0 + 60);
	assert_string_equal(vals[1], "0.4");
	/* the same step again after its flush: skipped, not an rrdtool error */
	put(w, GD_RRD_SERVER, "web1", T0 + 90, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.errors, 0);
	gd_rrdw_free(w);
}

/* A restarted monitor reads the file's last update first. */
static void test_restart_skips_old(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	struct gd_rrdw_stats st;
	char vals[2][32];

	(void)state;
	for (int i = 0; i < 3; i++)
		put(w, GD_RRD_SERVER, "web1", T0 + 60 * i, 1, i);
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_free(w);

	w = writer(NULL);
	put(w, GD_RRD_SERVER, "web1", T0 + 60, 0, 9);	/* older */
	put(w, GD_RRD_SERVER, "web1", T0 + 120, 0, 9);	/* the last one */
	put(w, GD_RRD_SERVER, "web1", T0 + 180, 1, 3);	/* new */
	rrd_clear_error();
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_string_equal(rrd_get_error(), "");
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.created, 0);
	assert_int_equal(last_update(file_of("server", "web1"), vals, 2), T0 + 180);
	assert_string_equal(vals[1], "3");
	gd_rrdw_free(w);
}

static void test_nan_unknown(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	char vals[2][32];

	(void)state;
	put(w, GD_RRD_SERVER, "web1", T0, 1, NAN);
	put(w, GD_RRD_GROUP, "g", T0, NAN, INFINITY);
	assert_int_equal(gd_rrdw_flush(w), 0);
	last_update(file_of("server", "web1"), vals, 2);
	assert_string_equal(vals[0], "1");
	assert_string_equal(vals[1], "U");
	last_update(file_of("group", "g"), vals, 2);
	assert_string_equal(vals[0], "U");
	assert_string_equal(vals[1], "U");
	gd_rrdw_free(w);
}

static void test_queue_bounded(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	struct gd_rrdw_stats st;
	char vals[1][32];

	(void)state;
	gd_log_set_level(LOG_CRIT);	/* the drops are logged */
	for (int i = 0; i < GD_RRDW_MAX_QUEUED + 10; i++)
		put(w, GD_RRD_SERVICE, "s", T0 + 60 * i, i % 2, 0);
	/* older than everything kept: dropped at once */
	put(w, GD_RRD_SERVICE, "s", T0 - 60, 1, 0);
	gd_log_set_level(LOG_WARNING);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.dropped, 11);
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, GD_RRDW_MAX_QUEUED);
	assert_int_equal(last_update(file_of("service", "s"), vals, 1),
			 T0 + 60 * (GD_RRDW_MAX_QUEUED + 9));
	gd_rrdw_free(w);
}

/* --- a file of another layout ---------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void make_rrd(const char *path, unsigned long step, const char *ds)
{
	const char *argv[] = { ds, "RRA:AVERAGE:0.5:1:10" };

	rrd_clear_error();
	assert_int_equal(rrd_create_r(path, step, T0 - 3600, 2, argv), 0);
}

static void test_mismatch_untouched(void **state)
{
	static const struct {
		unsigned long step;
		const char *ds;
	} cases[] = {
		{ 300, "DS:up:GAUGE:600:0:1" },		/* step */
		{ 60, "DS:down:GAUGE:120:0:1" },	/* name */
		{ 60, "DS:up:COUNTER:120:0:1" },	/* type */
		{ 60, "DS:up:GAUGE:120:0:1" },		/* count (server has 2) */
	};

	(void)state;
	gd_log_set_level(LOG_CRIT);	/* reported at LOG_ERR */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct gd_rrdw *w = writer(NULL);
		struct gd_rrdw_stats st;
		struct stat before, after;
		const char *path = file_of("server", "old");
		size_t len0, len1;
		char *bytes0, *bytes1;

		make_rrd(path, cases[i].step, cases[i].ds);
		assert_int_equal(stat(path, &before), 0);
		bytes0 = slurp(path, &len0);
		put(w, GD_RRD_SERVER, "old", T0, 1, 0.5);
		assert_int_equal(gd_rrdw_flush(w), 1);	/* reported: a failure */
		put(w, GD_RRD_SERVER, "old", T0 + 60, 1, 0.5);
		assert_int_equal(gd_rrdw_flush(w), 0);	/* reported once */
		gd_rrdw_stats(w, &st);
		assert_int_equal(st.mismatched, 1);
		assert_int_equal(st.dropped, 2);
		assert_int_equal(st.written, 0);
		assert_int_equal(stat(path, &after), 0);
		bytes1 = slurp(path, &len1);
		assert_int_equal(len0, len1);
		assert_memory_equal(bytes0, bytes1, len0);
		assert_int_equal(before.st_ino, after.st_ino);
		assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
		assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
		assert_int_equal(entries("server"), 1);
		free(bytes0);
		free(bytes1);
		unlink(path);
		gd_rrdw_free(w);
	}
	gd_log_set_level(LOG_WARNING);
}

/* A file deleted under a running writer is created again. */
static void test_deleted_recreated(void **state)
{
	struct gd_rrdw *w = writer(NULL);
	char vals[1][32];

	(void)state;
	put(w, GD_RRD_SERVICE, "s", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	unlink(file_of("service", "s"));
	gd_log_set_level(LOG_CRIT);
	put(w, GD_RRD_SERVICE, "s", T0 + 60, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 1);	/* rrd_update_r: no such file */
	gd_log_set_level(LOG_WARNING);
	assert_int_equal(gd_rrdw_flush(w), 0);	/* checked again: created */
	assert_int_equal(last_update(file_of("service", "s"), vals, 1), T0 + 60);
	assert_string_equal(vals[0], "0");
	gd_rrdw_free(w);
}

/* --- a fake rrdcached --------------------------------------------------------
 * One thread, one connection at a time.  BATCH: "0 Go ahead", then the
 * commands are kept until "."; the answer is `errors` (or "0 errors"), or
 * nothing and a closed connection when close_in_batch.  LAST: "0 <last>"
 * when last is set, else the time of the last UPDATE it got for the path,
 * else "-1 No such file".  close_after closes the connection after each
 * batch, as a restarted daemon would; drop_next closes it, once, when the
 * next command comes (the daemon died after the client looked);
 * fake_restart and fake_drop close it at once, between flushes. */

#define FAKE_FILES 16

struct fake {
	char path[108];
	int lfd;
	pthread_t thread;
	pthread_mutex_t lock;
	int cfd;		/* the connection served, -1 (under lock) */
	/* script */
	const char *errors;
	bool close_in_batch, close_after, mute, drop_next;
	time_t last;
	/* record */
	char got[1 << 16];
	size_t gotlen;
	int batches, lasts, conns;
	struct {
		char path[256];
		time_t last;
	} files[FAKE_FILES];	/* the last UPDATE per path */
};

static void fake_record(struct fake *fk, const char *line)
{
	size_t n = strlen(line);

	pthread_mutex_lock(&fk->lock);
	if (fk->gotlen + n + 1 < sizeof fk->got) {
		memcpy(fk->got + fk->gotlen, line, n);
		fk->got[fk->gotlen + n] = '\n';
		fk->gotlen += n + 1;
		fk->got[fk->gotlen] = '\0';
	}
	pthread_mutex_unlock(&fk->lock);
}

static void fake_say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

/* The entry of path (escaped as sent), a new one when create. */
static time_t *fake_file(struct fake *fk, const char *path, size_t len,
			 bool create)
{
	for (size_t i = 0; i < FAKE_FILES; i++) {
		char *p = fk->files[i].path;

		if (*p == '\0' && create) {
			snprintf(p, sizeof fk->files[i].path, "%.*s", (int)len, path);
			return &fk->files[i].last;
		}
		if (strlen(p) == len && strncmp(p, path, len) == 0)
			return &fk->files[i].last;
	}
	return NULL;
}

/* "UPDATE <path> <t>:...": the path's last update is t. */
static void fake_update(struct fake *fk, const char *line)
{
	const char *args = strrchr(line, ' ');
	time_t *last;

	if (strncmp(line, "UPDATE ", 7) != 0 || args == NULL)
		return;
	last = fake_file(fk, line + 7, (size_t)(args - line - 7), true);
	if (last != NULL)
		*last = (time_t)strtoll(args + 1, NULL, 10);
}

static void fake_last(struct fake *fk, int fd, const char *path)
{
	time_t *known = fake_file(fk, path, strlen(path), false);
	time_t last = fk->last ? fk->last : known ? *known : 0;
	char buf[64];

	if (last == 0)
		snprintf(buf, sizeof buf, "-1 No such file\n");
	else
		snprintf(buf, sizeof buf, "0 %lld\n", (long long)last);
	fake_say(fd, buf);
}

/* The daemon restarted, having written everything: the client sees its
 * connection end. */
static void fake_drop(struct fake *fk)
{
	pthread_mutex_lock(&fk->lock);
	if (fk->cfd >= 0)
		shutdown(fk->cfd, SHUT_RDWR);
	pthread_mutex_unlock(&fk->lock);
}

/* Killed and restarted: what it had acknowledged after last is gone;
 * LAST answers last for every file. */
static void fake_restart(struct fake *fk, time_t last)
{
	fk->last = last;
	memset(fk->files, 0, sizeof fk->files);
	fake_drop(fk);
}

/* Handles one line; false to close the connection. */
static bool fake_line(struct fake *fk, int fd, char *line, bool *inbatch)
{
	if (fk->drop_next) {
		fk->drop_next = false;
		return false;
	}
	if (*inbatch && strcmp(line, ".") == 0) {
		*inbatch = false;
		if (fk->close_in_batch)
			return false;
		fake_say(fd, fk->errors ? fk->errors : "0 errors\n");
		return !fk->close_after;
	}
	if (*inbatch) {
		fake_record(fk, line);
		fake_update(fk, line);
		return true;
	}
	if (strcmp(line, "BATCH") == 0) {
		fk->batches++;
		*inbatch = true;
		if (fk->mute)
			return true;
		fake_say(fd, "0 Go ahead.  End with dot '.' on its own line.\n");
		return true;
	}
	if (strncmp(line, "LAST ", 5) == 0) {
		fk->lasts++;
		fake_record(fk, line);
		fake_last(fk, fd, line + 5);
		return true;
	}
	fake_say(fd, "-1 Unknown command\n");
	return true;
}

static void fake_serve(struct fake *fk, int fd)
{
	char buf[1 << 16];
	size_t len = 0;
	bool inbatch = false, open = true;
	ssize_t n;

	while (open && (n = read(fd, buf + len, sizeof buf - len - 1)) > 0) {
		char *start = buf, *nl;

		len += (size_t)n;
		buf[len] = '\0';
		while (open && (nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			open = fake_line(fk, fd, start, &inbatch);
			start = nl + 1;
		}
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
	}
	pthread_mutex_lock(&fk->lock);
	close(fd);
	fk->cfd = -1;
	pthread_mutex_unlock(&fk->lock);
}

static void *fake_main(void *arg)
{
	struct fake *fk = arg;
	int fd;

	while ((fd = accept(fk->lfd, NULL, NULL)) >= 0) {
		pthread_mutex_lock(&fk->lock);
		fk->conns++;
		fk->cfd = fd;
		pthread_mutex_unlock(&fk->lock);
		fake_serve(fk, fd);
	}
	return NULL;
}

static void fake_start(struct fake *fk)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(fk->path, sizeof fk->path, "%s/rrdcached.sock", dir);
	strcpy(sun.sun_path, fk->path);
	fk->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fk->lfd >= 0);
	assert_int_equal(bind(fk->lfd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(fk->lfd, 8), 0);
	fk->cfd = -1;
	pthread_mutex_init(&fk->lock, NULL);
	assert_int_equal(pthread_create(&fk->thread, NULL, fake_main, fk), 0);
}

static void fake_stop(struct fake *fk)
{
	shutdown(fk->lfd, SHUT_RDWR);
	pthread_join(fk->thread, NULL);
	close(fk->lfd);
	unlink(fk->path);
	pthread_mutex_destroy(&fk->lock);
}

static struct fake *fake_new(void)
{
	struct fake *fk = calloc(1, sizeof *fk);

	assert_non_null(fk);
	fake_start(fk);
	return fk;
}

static void fake_free(struct fake *fk)
{
	fake_stop(fk);
	free(fk);
}

static struct gd_rrdw *cached_writer(struct fake *fk)
{
	char addr[160];

	snprintf(addr, sizeof addr, "unix:%s", fk->path);
	return writer(addr);
}

static void fake_clear(struct fake *fk)
{
	pthread_mutex_lock(&fk->lock);
	fk->gotlen = 0;
	fk->got[0] = '\0';
	pthread_mutex_unlock(&fk->lock);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

static bool got(struct fake *fk, const char *line)
{
	char want[PATH_MAX + 256];

	snprintf(want, sizeof want, "%s\n", line);
	return strstr(fk->got, want) != NULL;
}

static void test_cached_batch(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;
	char real[PATH_MAX], line[PATH_MAX + 128];

	(void)state;
	put(w, GD_RRD_SERVER, "web1", T0, 1, 0.25);
	put(w, GD_RRD_SERVER, "web1", T0 + 60, 0, NAN);
	put(w, GD_RRD_SERVICE, "email", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->batches, 1);	/* one round trip for all */
	assert_int_equal(fk->lasts, 0);		/* new files: nothing to ask */
	assert_non_null(realpath(dir, real));
	/* new files: FORGET first, then one UPDATE per sample, absolute paths */
	snprintf(line, sizeof line, "FORGET %s/rrd/server/web1.rrd", real);
	assert_true(got(fk, line));
	snprintf(line, sizeof line, "UPDATE %s/rrd/server/web1.rrd %lld:1:0.25",
		 real, (long long)T0);
	assert_true(got(fk, line));
	snprintf(line, sizeof line, "UPDATE %s/rrd/server/web1.rrd %lld:0:U",
		 real, (long long)T0 + 60);
	assert_true(got(fk, line));
	snprintf(line, sizeof line, "UPDATE %s/rrd/service/email.rrd %lld:1",
		 real, (long long)T0);
	assert_true(got(fk, line));
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.created, 2);
	assert_int_equal(st.written, 3);
	/* next flush: no FORGET again, same connection */
	fake_clear(fk);
	put(w, GD_RRD_SERVER, "web1", T0 + 120, 1, 0.5);
	assert_int_equal(gd_rrdw_flush(w), 0);
	snprintf(line, sizeof line, "UPDATE %s/rrd/server/web1.rrd %lld:1:0.5",
		 real, (long long)T0 + 120);
	assert_string_equal(fk->got, strcat(line, "\n"));
	assert_int_equal(fk->conns, 1);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* An existing file: rrdcached's LAST (its cache included) decides. */
static void test_cached_last(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	make_rrd(file_of("service", "s"), 60, "DS:up:GAUGE:120:0:1");
	fk->last = T0 + 60;	/* rrdcached holds an update newer than the file */
	put(w, GD_RRD_SERVICE, "s", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "s", T0 + 60, 1, 0);
	put(w, GD_RRD_SERVICE, "s", T0 + 120, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->lasts, 1);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.written, 1);
	assert_null(strstr(fk->got, "FORGET"));
	gd_rrdw_free(w);
	fake_free(fk);
}

/* Error lines name files; those are checked again, the others written. */
static void test_cached_errors(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	/* commands: 1 FORGET a, 2 UPDATE a, 3 FORGET b, 4 UPDATE b, 5 FORGET c,
	 * 6 UPDATE c; errors for FORGET don't count */
	fk->errors = "3 errors\n1 No such file or directory\n"
		     "4 /x/b.rrd: Permission denied\n5 No such file or directory\n";
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "b", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "c", T0, 1, 0);
	assert_int_equal(flush_quietly(w), 1);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.errors, 1);
	/* b kept: checked again (LAST) and sent again */
	fk->errors = NULL;
	fk->last = T0 - 60;
	fake_clear(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->lasts, 1);
	assert_non_null(strstr(fk->got, "LAST "));
	assert_non_null(strstr(fk->got, "/rrd/service/b.rrd"));
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 3);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* The daemon went away between flushes: reconnect, nothing lost. */
static void test_cached_reconnect(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	fk->close_after = true;
	for (int i = 0; i < 3; i++) {
		put(w, GD_RRD_SERVICE, "s", T0 + 60 * i, 1, 0);
		assert_int_equal(gd_rrdw_flush(w), 0);
	}
	assert_int_equal(fk->conns, 3);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 3);
	assert_int_equal(st.errors, 0);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* Not there: samples kept; there again: all of them sent, once. */
static void test_cached_down(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	fake_stop(fk);
	gd_log_set_level(LOG_CRIT);
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "b", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 2);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 2);
	gd_log_set_level(LOG_WARNING);
	fake_start(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.written, 3);
	assert_int_equal(fk->batches, 1);
	assert_non_null(strstr(fk->got, "/rrd/service/a.rrd"));
	assert_int_equal(fk->lasts, 0);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* The batch broke after it was sent: LAST says what arrived, the rest is
 * sent again, nothing twice. */
static void test_cached_lost(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;
	char line[64];

	(void)state;
	put(w, GD_RRD_SERVICE, "s", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "s", T0 + 60, 1, 0);
	fk->close_in_batch = true;
	assert_int_equal(flush_quietly(w), 1);
	fk->close_in_batch = false;
	fk->last = T0;		/* the first sample had arrived */
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "s", T0 + 120, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->lasts, 1);
	assert_null(strstr(fk->got, "FORGET"));	/* it may hold our update */
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.written, 2);
	assert_int_equal(count(fk->got, "UPDATE "), 2);
	snprintf(line, sizeof line, " %lld:1\n", (long long)T0);
	assert_null(strstr(fk->got, line));
	gd_rrdw_free(w);
	fake_free(fk);
}

/* A daemon that accepts but never answers costs one timeout, not more. */
static void test_cached_hung(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct timespec a, b;

	(void)state;
	fk->mute = true;
	put(w, GD_RRD_SERVICE, "s", T0, 1, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(flush_quietly(w), 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 4);
	fk->mute = false;
	assert_int_equal(gd_rrdw_flush(w), 0);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* --- what a killed rrdcached had acknowledged --------------------------- */

/* A sample of a service file, as the fake should get it. */
struct upd {
	const char *id;
	time_t t;
	int v;
};

/* The UPDATE lines the fake got for service id (all ids: NULL). */
static const char *updates_of(struct fake *fk, const char *id)
{
	static char only[sizeof fk->got];
	char real[PATH_MAX], prefix[PATH_MAX + 64];

	assert_non_null(realpath(dir, real));
	snprintf(prefix, sizeof prefix, "UPDATE %s/rrd/service/%s.rrd ", real,
		 id ? id : "");
	only[0] = '\0';
	for (const char *p = fk->got; *p != '\0';) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, prefix, id ? strlen(prefix) : 7) == 0)
			strncat(only, p, (size_t)(nl + 1 - p));
		p = nl + 1;
	}
	return only;
}

/* The fake got exactly these UPDATEs: each file's in this order, and no
 * other (files may interleave; LAST and others may come between). */
static void got_updates(struct fake *fk, const struct upd *want, size_t n)
{
	char real[PATH_MAX], expect[4096];

	assert_non_null(realpath(dir, real));
	assert_int_equal(count(updates_of(fk, NULL), "\n"), n);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;

		for (size_t j = 0; j < n; j++)
			if (strcmp(want[j].id, want[i].id) == 0)
				len += (size_t)snprintf(expect + len,
					sizeof expect - len,
					"UPDATE %s/rrd/service/%s.rrd %lld:%d\n",
					real, want[j].id, (long long)want[j].t,
					want[j].v);
		assert_string_equal(updates_of(fk, want[i].id), expect);
	}
}

#define GOT_UPDATES(fk, ...) do { \
	const struct upd want_[] = { __VA_ARGS__ }; \
	got_updates((fk), want_, sizeof want_ / sizeof want_[0]); \
} while (0)

/* Samples acknowledged, then lost by a restart (LAST answers older):
 * after the reconnect exactly those are sent again, in order, before the
 * new one; the next flush sends only what is new. */
static void test_cached_resend(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	put(w, GD_RRD_SERVICE, "b", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	put(w, GD_RRD_SERVICE, "a", T0 + 120, 1, 0);
	put(w, GD_RRD_SERVICE, "b", T0 + 60, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->lasts, 0);

	fake_restart(fk, T0);	/* a: T0+60, T0+120 lost; b: T0+60 */
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "a", T0 + 180, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->conns, 2);
	assert_int_equal(fk->lasts, 2);
	assert_null(strstr(fk->got, "FORGET"));
	GOT_UPDATES(fk, { "a", T0 + 60, 0 }, { "a", T0 + 120, 1 },
		    { "a", T0 + 180, 0 }, { "b", T0 + 60, 1 });
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.resent, 3);
	assert_int_equal(st.errors, 0);

	/* same connection: only the new sample, nothing twice */
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "a", T0 + 240, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0 + 240, 1 });
	assert_int_equal(fk->lasts, 2);

	/* killed again, LAST T0+120: a's newer ones go once more, b's
	 * (not newer) stay kept */
	fake_restart(fk, T0 + 120);
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "b", T0 + 180, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0 + 180, 0 }, { "a", T0 + 240, 1 },
		    { "b", T0 + 180, 0 });
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.resent, 5);
	assert_int_equal(st.errors, 0);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* A flush with nothing new still notices the restart and sends again
 * what was lost; a restart that lost nothing sends nothing. */
static void test_cached_resend_idle(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct gd_rrdw_stats st;

	(void)state;
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(gd_rrdw_flush(w), 0);	/* alive: nothing asked */
	assert_int_equal(fk->lasts, 0);

	fake_restart(fk, T0);
	fake_clear(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0 + 60, 0 });
	assert_int_equal(fk->lasts, 1);

	/* a graceful restart (it wrote everything): LAST, nothing sent */
	fk->last = 0;
	fake_drop(fk);
	fake_clear(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->lasts, 2);
	assert_int_equal(fk->conns, 3);
	assert_null(strstr(fk->got, "UPDATE"));
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.resent, 1);
	gd_rrdw_free(w);
	fake_free(fk);
}

/* Kept samples older than the window (with the daemon up) were on disk:
 * not sent again.  A window of 0 keeps nothing. */
static void test_cached_resend_window(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);
	struct timespec pause = { 1, 100 * 1000 * 1000 };
	struct gd_rrdw_stats st;

	(void)state;
	gd_rrdw_set_resend_window(w, 1);
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	nanosleep(&pause, NULL);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);

	fake_restart(fk, T0 - 60);	/* both lost, as far as LAST says */
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "a", T0 + 120, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0 + 60, 0 }, { "a", T0 + 120, 1 });
	gd_rrdw_stats(w, &st);
	assert_int_equal(st.resent, 1);

	/* nothing kept: a restart asks nothing */
	gd_rrdw_set_resend_window(w, 0);
	put(w, GD_RRD_SERVICE, "b", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	fake_restart(fk, T0 - 60);
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "b", T0 + 60, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "b", T0 + 60, 1 });
	gd_rrdw_free(w);
	fake_free(fk);
}

/* A batch broke half-way and LAST said the first sample had arrived: it
 * is kept too (in rrdcached's cache only), and sent again when a restart
 * lost it. */
static void test_cached_resend_after_lost(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);

	(void)state;
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	fk->close_in_batch = true;
	assert_int_equal(flush_quietly(w), 1);
	fk->close_in_batch = false;
	fk->last = T0;
	fake_clear(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0 + 60, 0 });

	fake_restart(fk, T0 - 60);
	fake_clear(fk);
	assert_int_equal(gd_rrdw_flush(w), 0);
	GOT_UPDATES(fk, { "a", T0, 1 }, { "a", T0 + 60, 0 });
	gd_rrdw_free(w);
	fake_free(fk);
}

/* The daemon dies after the writer found its connection alive: the
 * batch fails before any command; the writer tries once more on a new
 * connection, asks LAST first and sends what was lost, in order. */
static void test_cached_resend_race(void **state)
{
	struct fake *fk = fake_new();
	struct gd_rrdw *w = cached_writer(fk);

	(void)state;
	put(w, GD_RRD_SERVICE, "a", T0, 1, 0);
	put(w, GD_RRD_SERVICE, "a", T0 + 60, 0, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	fk->drop_next = true;
	fk->last = T0;
	memset(fk->files, 0, sizeof fk->files);
	fake_clear(fk);
	put(w, GD_RRD_SERVICE, "a", T0 + 120, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_int_equal(fk->conns, 2);
	assert_int_equal(fk->lasts, 1);
	GOT_UPDATES(fk, { "a", T0 + 60, 0 }, { "a", T0 + 120, 1 });
	gd_rrdw_free(w);
	fake_free(fk);
}

/* DATA with a space: escaped for rrdcached's argument splitting. */
static void test_cached_escape(void **state)
{
	struct fake *fk = fake_new();
	char sub[128], addr[160], want[PATH_MAX + 128], real[PATH_MAX];
	struct gd_rrdw *w;

	(void)state;
	snprintf(sub, sizeof sub, "%s/my data", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(addr, sizeof addr, "unix:%s", fk->path);
	w = gd_rrdw_new(sub, addr);
	assert_non_null(w);
	put(w, GD_RRD_SERVICE, "s", T0, 1, 0);
	assert_int_equal(gd_rrdw_flush(w), 0);
	assert_non_null(realpath(dir, real));
	snprintf(want, sizeof want, "UPDATE %s/my\\ data/rrd/service/s.rrd %lld:1",
		 real, (long long)T0);
	assert_true(got(fk, want));
	gd_rrdw_free(w);
	fake_free(fk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_align),
		cmocka_unit_test_setup_teardown(test_invalid_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_step_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_skips_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nan_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mismatch_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_recreated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_hung, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_resend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_resend_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_resend_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_resend_after_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_resend_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_escape, setup, teardown),
	};

	gd_log_set_level(LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
