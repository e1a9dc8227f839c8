/*
 * test_probe.c — the probe engine in-process, against loopback servers
 * this test opens itself and drives from the same event loop.
 *
 * A "fake" is a listening socket with a behaviour (greet, stay silent,
 * close, reset, greet byte by byte, flood, answer HTTP); a listener that
 * nobody accepts from is the silent server whose handshake the kernel
 * completes; a closed port is the refused one.  Configs are built by
 * hand: the engine needs only the servers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"

#define MAXS 1000		/* servers in one world */
#define NAT 8			/* result times kept per server */
#define SLACK_US 100000		/* a timeout fires within timeout + this */

/* --- a world: loop, prober, config, results --------------------------- */

struct got {
	unsigned n;
	struct gd_probe_result last;
	uint64_t at[NAT];	/* monotonic ns of each result */
	uint64_t next[NAT];	/* the schedule seen at each result */
};

struct world {
	struct ev_loop *loop;
	struct gd_prober *p;
	struct gd_config cfg;
	struct gd_server srv[MAXS];
	struct gd_idref by_id[MAXS];
	char ids[MAXS][16];
	struct got got[MAXS];
};

static void on_result(void *arg, size_t server, const struct gd_probe_result *r)
{
	struct world *w = arg;
	struct got *g = &w->got[server];

	assert_true(server < w->cfg.nservers);
	if (g->n < NAT) {
		g->at[g->n] = ev_monotonic_ns();
		g->next[g->n] = gd_prober_next_check(w->p, server);
	}
	g->n++;
	g->last = *r;
	/* the callback may not reconfigure */
	assert_int_equal(gd_prober_set_config(w->p, &w->cfg), -1);
	assert_int_equal(errno, EBUSY);
}

static struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof *w);

	assert_non_null(w);
	w->loop = ev_loop_new();
	assert_non_null(w->loop);
	w->p = gd_prober_new(w->loop, on_result, w);
	assert_non_null(w->p);
	w->cfg.servers = w->srv;
	w->cfg.server_by_id = w->by_id;
	return w;
}

static void world_free(struct world *w)
{
	gd_prober_free(w->p);
	ev_loop_free(w->loop);
	free(w);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct gd_idref *)a)->id,
		      ((const struct gd_idref *)b)->id);
}

/* Adds server "<prefix><n>"; returns its index. */
static size_t add(struct world *w, const char *prefix, enum gd_probe probe,
		  unsigned port, double interval, double timeout)
{
	size_t i = w->cfg.nservers++;
	struct gd_server *s = &w->srv[i];

	assert_true(i < MAXS);
	snprintf(w->ids[i], sizeof w->ids[i], "%s%zu", prefix, i);
	*s = (struct gd_server){
		.id = w->ids[i], .title = w->ids[i], .host = "127.0.0.1",
		.port = port, .probe = probe, .path = "/status", .expect = 200,
		.max_age = 60, .admin = GD_ADMIN_ACTIVE,
		.check = { interval, timeout, 1, 1 },
	};
	return i;
}

/* The sorted id index of a loaded config (gd_config_find_server). */
static void index_ids(struct world *w)
{
	for (size_t i = 0; i < w->cfg.nservers; i++)
		w->by_id[i] = (struct gd_idref){ w->ids[i], i };
	qsort(w->by_id, w->cfg.nservers, sizeof *w->by_id, by_id);
}

static void start(struct world *w)
{
	index_ids(w);
	assert_int_equal(gd_prober_set_config(w->p, &w->cfg), 0);
}

/* Runs the loop until server i has n results (or fails after ms). */
static void run_until(struct world *w, size_t i, unsigned n, unsigned ms)
{
	uint64_t end = ev_monotonic_ns() + ms * EV_NS_PER_MS;

	while (w->got[i].n < n && ev_monotonic_ns() < end)
		assert_int_equal(ev_loop_once(w->loop, 10), 0);
	if (w->got[i].n < n)
		fail_msg("server %zu: %u results after %u ms, wanted %u", i,
			 w->got[i].n, ms, n);
}

static void run_for(struct world *w, unsigned ms)
{
	uint64_t end = ev_monotonic_ns() + ms * EV_NS_PER_MS;

	while (ev_monotonic_ns() < end)
		assert_int_equal(ev_loop_once(w->loop, 10), 0);
}

/* --- fake servers ----------------------------------------------------- */

enum how { TALK, HTTP, CLOSE, RESET, DRIP, FLOOD };

struct fake {
	struct ev_loop *loop;
	enum how how;
	const char *reply;
	size_t reply_len;
	int lfd, cfd;
	unsigned port;
	char got[512];		/* what the probe sent */
	size_t ngot, dripped;
	struct ev_timer drip;
};

static int listener(unsigned *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A port where nothing listens. */
static unsigned closed_port(void)
{
	unsigned port;

	close(listener(&port));
	return port;
}

static void fake_write(struct fake *f, const char *s, size_t n)
{
	assert_int_equal(write(f->cfd, s, n), (ssize_t)n);
}

static void fake_drip(struct ev_loop *loop, void *arg)
{
	struct fake *f = arg;

	fake_write(f, f->reply + f->dripped++, 1);
	if (f->dripped < f->reply_len)
		ev_timer_start(loop, &f->drip, ev_now(loop) + EV_NS_PER_MS);
}

static void fake_read(struct ev_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct fake *f = arg;
	ssize_t n = read(fd, f->got + f->ngot, sizeof f->got - 1 - f->ngot);

	(void)ev;
	if (n > 0) {
		f->ngot += (size_t)n;
		f->got[f->ngot] = '\0';
		if (f->how == HTTP && strstr(f->got, "\r\n\r\n") != NULL)
			fake_write(f, f->reply, f->reply_len);
		return;
	}
	ev_io_del(loop, fd);	/* the probe closed: keep what it said */
}

static void fake_accept(struct ev_loop *loop, int fd, uint32_t ev, void *arg)
{
	static const struct linger reset = { 1, 0 };
	struct fake *f = arg;
	char flood[8192];

	(void)ev;
	if (f->cfd >= 0) {	/* the next check came early: serve it */
		ev_timer_stop(loop, &f->drip);
		ev_io_del(loop, f->cfd);
		close(f->cfd);
	}
	f->dripped = 0;
	f->cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	assert_true(f->cfd >= 0);
	if (f->how == CLOSE || f->how == RESET) {
		if (f->how == RESET)
			setsockopt(f->cfd, SOL_SOCKET, SO_LINGER, &reset,
				   sizeof reset);
		close(f->cfd);
		f->cfd = -1;
		return;
	}
	assert_int_equal(ev_io_add(loop, f->cfd, EPOLLIN, fake_read, f), 0);
	if (f->how == TALK)
		fake_write(f, f->reply, f->reply_len);
	if (f->how == DRIP)
		fake_drip(loop, f);
	if (f->how == FLOOD) {
		memset(flood, 'x', sizeof flood);
		fake_write(f, flood, sizeof flood);
	}
}

static struct fake *fake_new(struct ev_loop *loop, enum how how,
			     const char *reply)
{
	struct fake *f = calloc(1, sizeof *f);

	assert_non_null(f);
	*f = (struct fake){ .loop = loop, .how = how, .reply = reply,
			    .reply_len = reply ? strlen(reply) : 0, .cfd = -1 };
	f->lfd = listener(&f->port);
	ev_timer_init(&f->drip, fake_drip, f);
	assert_int_equal(ev_io_add(loop, f->lfd, EPOLLIN, fake_accept, f), 0);
	return f;
}

static void fake_free(struct fake *f)
{
	ev_timer_stop(f->loop, &f->drip);
	ev_io_del(f->loop, f->lfd);
	close(f->lfd);
	if (f->cfd >= 0) {
		ev_io_del(f->loop, f->cfd);
		close(f->cfd);
	}
	free(f);
}

/* --- outcomes against fakes ------------------------------------------- */

#define MYSQL_HELLO \
	"J\x00\x00\x00" "\x0a" "8.0.36\x00" "\x08\x00\x00\x00" "abcdefgh" \
	"\x00" "\xff\xff" "\xff" "\x02\x00" "\xff\xdf" "\x15" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "ijklmnopqrst\x00" \
	"caching_sha2_password\x00"

struct outcome {
	const char *name;
	enum gd_probe probe;
	enum how how;
	const char *reply;
	size_t len;		/* of reply, when it holds NULs */
	bool ok;
	const char *err;	/* start of the error text */
	const char *sent;	/* what the probe must have sent, or NULL */
};

static const struct outcome outcomes[] = {
	{ "tcp", GD_PROBE_TCP, TALK, "", 0, true, NULL, NULL },
	{ "smtp", GD_PROBE_SMTP, TALK, "220 mx ESMTP\r\n", 0, true, NULL,
	  "QUIT\r\n" },
	{ "smtp multi-line", GD_PROBE_SMTP, TALK,
	  "220-mx ESMTP\r\n220-more\r\n220 go\r\n", 0, true, NULL, NULL },
	{ "ftp", GD_PROBE_FTP, TALK, "220 ftp ready\r\n", 0, true, NULL, NULL },
	{ "pop3", GD_PROBE_POP3, TALK, "+OK ready\r\n", 0, true, NULL,
	  "QUIT\r\n" },
	{ "imap", GD_PROBE_IMAP, TALK, "* OK ready\r\n", 0, true, NULL,
	  "a1 LOGOUT\r\n" },
	{ "mysql", GD_PROBE_MYSQL, TALK, MYSQL_HELLO, sizeof MYSQL_HELLO - 1,
	  true, NULL, NULL },
	{ "http", GD_PROBE_HTTP, HTTP, "HTTP/1.1 200 OK\r\n\r\n", 0, true, NULL,
	  "GET /status HTTP/1.0\r\nHost: 127.0.0.1:" },
	{ "http 503", GD_PROBE_HTTP, HTTP, "HTTP/1.1 503 Unavailable\r\n\r\n", 0,
	  false, "HTTP status 503 Unavailable, expected 200", NULL },
	{ "smtp refusal", GD_PROBE_SMTP, TALK, "554 no service\r\n", 0, false,
	  "unexpected greeting: 554 no service", NULL },
	{ "pop3 byte by byte", GD_PROBE_POP3, DRIP, "+OK slow but sure\r\n", 0,
	  true, NULL, NULL },
	{ "smtp byte by byte", GD_PROBE_SMTP, DRIP,
	  "220-first\r\n220-second\r\n220 done\r\n", 0, true, NULL, NULL },
	{ "closed before greeting", GD_PROBE_SMTP, CLOSE, NULL, 0, false,
	  "connection closed before greeting", NULL },
	{ "reset before greeting", GD_PROBE_IMAP, RESET, NULL, 0, false,
	  "connection reset by peer", NULL },
	{ "flood", GD_PROBE_SMTP, FLOOD, NULL, 0, false,
	  "greeting longer than 4096 bytes", NULL },
	{ "garbage", GD_PROBE_MYSQL, TALK, "220 mx ESMTP\r\n", 0, false,
	  "not a MySQL handshake", NULL },
};

static void check_outcome(const struct outcome *o)
{
	struct world *w = world_new();
	struct fake *f = fake_new(w->loop, o->how, o->reply);
	size_t i = add(w, "s", o->probe, f->port, 0.2, 0.15);
	const struct gd_probe_result *r = &w->got[i].last;

	if (o->len > 0)
		f->reply_len = o->len;
	start(w);
	run_until(w, i, 1, 1000);
	run_for(w, 20);		/* let the fake read our goodbye */
	if (r->ok != o->ok)
		fail_msg("%s: %s (%s)", o->name, r->ok ? "ok" : "failed",
			 r->error);
	if (o->err != NULL && strncmp(r->error, o->err, strlen(o->err)) != 0)
		fail_msg("%s: error \"%s\", expected \"%s\"", o->name, r->error,
			 o->err);
	if (r->ok && r->latency_us == 0)
		fail_msg("%s: no latency", o->name);
	if (o->sent != NULL && strncmp(f->got, o->sent, strlen(o->sent)) != 0)
		fail_msg("%s: the probe sent \"%s\"", o->name, f->got);
	fake_free(f);
	world_free(w);
}

static void test_outcomes(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++)
		check_outcome(&outcomes[k]);
}

static void test_http_request_headers(void **state)
{
	struct world *w = world_new();
	struct fake *f = fake_new(w->loop, HTTP, "HTTP/1.0 200 OK\r\n\r\n");
	size_t i = add(w, "web", GD_PROBE_HTTP, f->port, 0.2, 0.15);
	char host[64];

	(void)state;
	start(w);
	run_until(w, i, 1, 1000);
	assert_true(w->got[i].last.ok);
	snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%u\r\n", f->port);
	assert_non_null(strstr(f->got, host));
	assert_non_null(strstr(f->got, "\r\nUser-Agent: greendot\r\n"));
	assert_non_null(strstr(f->got, "\r\nConnection: close\r\n\r\n"));
	fake_free(f);
	world_free(w);
}

static void test_refused(void **state)
{
	struct world *w = world_new();
	size_t tcp = add(w, "t", GD_PROBE_TCP, closed_port(), 0.1, 0.05);
	size_t smtp = add(w, "m", GD_PROBE_SMTP, closed_port(), 0.1, 0.05);
	size_t http = add(w, "h", GD_PROBE_HTTP, closed_port(), 0.1, 0.05);

	(void)state;
	start(w);
	run_until(w, tcp, 1, 1000);
	run_until(w, smtp, 1, 1000);
	run_until(w, http, 1, 1000);
	assert_false(w->got[tcp].last.ok);
	assert_string_equal(w->got[tcp].last.error, "connection refused");
	assert_string_equal(w->got[smtp].last.error, "connection refused");
	assert_string_equal(w->got[http].last.error, "connection refused");
	world_free(w);
}

/* Nobody accepts: the kernel completes the handshake, no word follows. */
static void test_silent(void **state)
{
	struct world *w = world_new();
	unsigned port;
	int fd = listener(&port);
	size_t smtp = add(w, "m", GD_PROBE_SMTP, port, 1, 0.3);
	size_t tcp = add(w, "t", GD_PROBE_TCP, port, 1, 0.3);
	const struct gd_probe_result *r = &w->got[smtp].last;

	(void)state;
	start(w);
	run_until(w, smtp, 1, 2000);
	run_until(w, tcp, 1, 2000);
	assert_false(r->ok);
	assert_string_equal(r->error,
			    "timeout after 0.3 s waiting for greeting");
	assert_true(r->latency_us >= 300000);
	assert_true(r->latency_us < 300000 + SLACK_US);
	assert_true(w->got[tcp].last.ok);	/* a tcp probe asks no more */
	close(fd);
	world_free(w);
}

/* More answers ready at once than the loop takes in one batch (256):
 * the timeouts that fire after the batch look at their socket first and
 * find it connected, not timed out. */
static void test_timeout_looks_first(void **state)
{
	struct world *w = world_new();
	unsigned port, ok = 0;
	int fd = listener(&port);
	struct gd_prober_stats st;

	(void)state;
	assert_int_equal(listen(fd, 512), 0);
	for (size_t i = 0; i < 300; i++)
		add(w, "b", GD_PROBE_TCP, port, 0.2, 0.05);
	start(w);
	usleep(200000);			/* every tick is due ... */
	assert_int_equal(ev_loop_once(w->loop, 0), 0);
	gd_prober_stats(w->p, &st);
	assert_int_equal(st.in_flight, 300);	/* ... and started at once */
	usleep(100000);			/* all connected, all timeouts due */
	assert_int_equal(ev_loop_once(w->loop, 0), 0);
	for (size_t i = 0; i < 300; i++)
		ok += w->got[i].n == 1 && w->got[i].last.ok;
	assert_int_equal(ok, 300);
	close(fd);
	world_free(w);
}

/* 1000 servers every 10 s: the first checks spread over the interval. */
static void test_schedule_spread(void **state)
{
	struct world *w = world_new();
	unsigned bins[10] = { 0 }, fine[1000] = { 0 }, busiest = 0;
	uint64_t now;

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		add(w, "srv", GD_PROBE_TCP, 9, 10, 3);
	start(w);
	now = ev_now(w->loop);
	for (size_t i = 0; i < 1000; i++) {
		uint64_t d = gd_prober_next_check(w->p, i) - now;

		assert_true(d > 0 && d <= 10 * EV_NS_PER_SEC);
		bins[d / EV_NS_PER_SEC]++;		/* 1 s bins */
		fine[(d / (10 * EV_NS_PER_MS)) % 1000]++;	/* 10 ms bins */
	}
	for (size_t b = 0; b < 10; b++)
		if (bins[b] < 60 || bins[b] > 140)	/* 100 expected */
			fail_msg("second %zu of the interval has %u checks", b,
				 bins[b]);
	for (size_t b = 0; b < 1000; b++)
		busiest = fine[b] > busiest ? fine[b] : busiest;
	assert_true(busiest <= 8);	/* 1 expected per 10 ms */
	world_free(w);
}

/* The same server every interval, from the nominal times: no drift. */
static void test_no_drift(void **state)
{
	struct world *w = world_new();
	size_t i = add(w, "d", GD_PROBE_TCP, closed_port(), 0.1, 0.05);
	const struct got *g = &w->got[i];
	uint64_t first;

	(void)state;
	start(w);
	first = gd_prober_next_check(w->p, i);
	run_until(w, i, 6, 2000);
	for (unsigned k = 0; k < 6; k++) {
		/* result k belongs to the tick at first + k x 100 ms */
		assert_int_equal(g->next[k],
				 first + (k + 1) * 100 * EV_NS_PER_MS);
		assert_true(g->at[k] >= first + k * 100 * EV_NS_PER_MS);
		assert_true(g->at[k] < first + k * 100 * EV_NS_PER_MS +
			    50 * EV_NS_PER_MS);
	}
	world_free(w);
}

/* The next result of i is ok, or fails with an error that starts with
 * err. */
static void heartbeat_step(struct world *w, size_t i, bool ok,
			   const char *err)
{
	unsigned n = w->got[i].n;

	run_until(w, i, n + 1, 1000);
	assert_int_equal(w->got[i].last.ok, ok);
	if (err != NULL)
		assert_int_equal(strncmp(w->got[i].last.error, err,
					 strlen(err)), 0);
}

static void test_heartbeat(void **state)
{
	struct world *w = world_new();
	size_t i = add(w, "backup", GD_PROBE_HEARTBEAT, 0, 0.05, 0.01);
	time_t now = time(NULL);

	(void)state;
	w->srv[i].host = NULL;
	start(w);
	assert_int_equal(gd_prober_heartbeat_age(w->p, i, now),
			 GD_HEARTBEAT_NONE);
	heartbeat_step(w, i, false, "no heartbeat received");
	gd_prober_heartbeat(w->p, i, 0, now);
	heartbeat_step(w, i, true, NULL);
	assert_true(gd_prober_heartbeat_age(w->p, i, now + 7) == 7);
	gd_prober_heartbeat(w->p, i, 0, now - 100);
	/* 100 s, or 101 when a second began since now */
	heartbeat_step(w, i, false, "last heartbeat 10");
	assert_non_null(strstr(w->got[i].last.error, " s ago, max-age 60 s"));
	gd_prober_heartbeat(w->p, i, 3, now);
	heartbeat_step(w, i, false,
		       "last heartbeat reported failure (status 3)");
	gd_prober_heartbeat_restore(w->p, i, now - 10, 0);
	heartbeat_step(w, i, true, NULL);
	world_free(w);
}

/* A reload cancels the old checks without a word, reads nothing of the
 * old config and keeps heartbeats by id, wherever the server moved. */
static void test_reload(void **state)
{
	struct world *w = world_new(), *w2 = world_new();
	unsigned port;
	int fd = listener(&port);
	struct gd_prober_stats st;
	size_t hb;

	(void)state;
	for (size_t i = 0; i < 20; i++)
		add(w, "silent", GD_PROBE_SMTP, port, 0.1, 0.09);
	hb = add(w, "hb", GD_PROBE_HEARTBEAT, 0, 0.1, 0.05);
	start(w);
	gd_prober_heartbeat(w->p, hb, 0, time(NULL) - 5);
	do {
		assert_int_equal(ev_loop_once(w->loop, 10), 0);
		gd_prober_stats(w->p, &st);
	} while (st.in_flight == 0);

	/* w2's config: the heartbeat server first, one silent server */
	add(w2, "x", GD_PROBE_TCP, port, 0.1, 0.05);
	snprintf(w2->ids[0], sizeof w2->ids[0], "%s", w->ids[hb]);
	w2->srv[0].probe = GD_PROBE_HEARTBEAT;
	w2->srv[0].port = 0;
	add(w2, "silent", GD_PROBE_SMTP, port, 0.1, 0.09);
	index_ids(w2);
	memset(w->got, 0, sizeof w->got);
	/* the old config may be gone already: poison it */
	memset(w->srv, 0xa5, sizeof w->srv);
	memset(w->ids, 0xa5, sizeof w->ids);
	assert_int_equal(gd_prober_set_config(w->p, &w2->cfg), 0);
	w->cfg = w2->cfg;	/* w's prober and results, w2's servers */
	gd_prober_stats(w->p, &st);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(gd_prober_heartbeat_age(w->p, 0, time(NULL)) / 5, 1);
	run_for(w, 250);
	for (size_t i = 2; i < 21; i++)
		assert_int_equal(w->got[i].n, 0);	/* old ones: silence */
	assert_true(w->got[0].n >= 1 && w->got[0].last.ok);
	close(fd);
	world_free(w2);
	world_free(w);
}

/* More checks than sockets: they queue, the cap holds, the late ones say
 * why, and the counts add up. */
static void test_socket_cap(void **state)
{
	struct world *w = world_new();
	unsigned port, late = 0;
	int fd = listener(&port);
	struct gd_prober_stats st;
	uint64_t end;
	size_t max = 0, queued = 0;

	(void)state;
	for (size_t i = 0; i < 20; i++)
		add(w, "q", GD_PROBE_POP3, port, 0.3, 0.25);
	start(w);
	gd_prober_set_max_sockets(w->p, 2);
	end = ev_monotonic_ns() + 1500 * EV_NS_PER_MS;
	while (ev_monotonic_ns() < end) {
		assert_int_equal(ev_loop_once(w->loop, 10), 0);
		gd_prober_stats(w->p, &st);
		max = st.in_flight > max ? st.in_flight : max;
		queued = st.queued > queued ? st.queued : queued;
	}
	for (size_t i = 0; i < 20; i++)
		late += strcmp(w->got[i].last.error, "not started within 0.25 s:"
			       " all 2 probe sockets busy") == 0;
	assert_int_equal(max, 2);
	assert_true(queued > 0);
	assert_true(late > 0);
	assert_true(st.skipped > 0);
	assert_int_equal(st.started,
			 st.ok + st.failed + st.in_flight + st.queued);
	close(fd);
	world_free(w);
}

/* Out of descriptors: the check waits, then fails saying so; once
 * descriptors are back, checks work again. */
static void test_emfile(void **state)
{
	struct world *w = world_new();
	unsigned port;
	int fd = listener(&port), lowest;
	size_t i = add(w, "e", GD_PROBE_TCP, port, 0.2, 0.1);
	struct rlimit saved, rl;

	(void)state;
	start(w);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	lowest = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(lowest);
	rl = saved;
	rl.rlim_cur = (rlim_t)lowest;	/* every descriptor below is taken */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	run_until(w, i, 1, 2000);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	assert_false(w->got[i].last.ok);
	assert_string_equal(w->got[i].last.error,
			    "not started within 0.1 s: too many open files");
	run_until(w, i, 2, 2000);
	assert_true(w->got[i].last.ok);
	close(fd);
	world_free(w);
}

static void test_addresses(void **state)
{
	struct world *w = world_new();
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	size_t v6 = SIZE_MAX, bad;

	(void)state;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    listen(fd, 8) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0) {
		v6 = add(w, "v6", GD_PROBE_TCP, ntohs(a.sin6_port), 0.1, 0.05);
		w->srv[v6].host = "::1";
	}
	/* no DNS needed to fail: an unknown interface in a scoped literal */
	bad = add(w, "bad", GD_PROBE_SMTP, 25, 0.1, 0.05);
	w->srv[bad].host = "fe80::1%nosuchif";
	start(w);
	run_until(w, bad, 1, 1000);
	assert_false(w->got[bad].last.ok);
	assert_int_equal(strncmp(w->got[bad].last.error,
				 "cannot resolve fe80::1%nosuchif: ", 33), 0);
	if (v6 != SIZE_MAX) {
		run_until(w, v6, 1, 1000);
		assert_true(w->got[v6].last.ok);
	}
	if (fd >= 0)
		close(fd);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_http_request_headers),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_silent),
		cmocka_unit_test(test_timeout_looks_first),
		cmocka_unit_test(test_schedule_spread),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_socket_cap),
		cmocka_unit_test(test_emfile),
		cmocka_unit_test(test_addresses),
	};

	signal(SIGPIPE, SIG_IGN);	/* a fake writing to a probe gone */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
