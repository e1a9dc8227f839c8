/*
 * probe.c — the probe engine: schedules, sockets, timeouts; see probe.h.
 *
 * A server's tick timer fires at phase + k x interval.  Its check then
 * starts at once, or waits in a FIFO queue for a free socket.  A check's
 * connection walks
 *
 *	CONNECTING --(writable)--> SENDING (http) --> READING --> verdict
 *	     \____________________________/______________/
 *	           error, EOF, garbage or timeout: verdict
 *
 * and the verdict closes the socket and reports, always as the last thing
 * the path does.  What the bytes mean is probe_proto.c's business.
 *
 * Sockets are registered edge-triggered for both directions once, so a
 * check costs one epoll_ctl() to add and one to delete, never a modify.
 * A timeout looks at its socket once more before it fails the check: on
 * a busy loop the answer may be there, not yet dispatched.
 *
 * New sockets are only opened from timer callbacks (ticks, the queue's
 * drain), never while the loop dispatches a batch of descriptor events:
 * a descriptor closed by one event of the batch and reused at once by a
 * new check could otherwise receive the stale events of the old one.
 */
#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "probe_proto.h"

#define PROBE_SOCKETS_MAX 4096	/* default cap on checks connected at once */
#define PROBE_FD_RESERVE 64	/* descriptors left to the rest of the agent */
#define PROBE_RETRY_NS (20 * EV_NS_PER_MS)	/* after EMFILE and its kin */
#define PROBE_REQUEST_MAX 1024	/* an HTTP request: path <= 255, host <= 253 */
#define ERR_LEN sizeof(((struct gd_probe_result *)0)->error)

enum srv_state { SRV_IDLE, SRV_QUEUED, SRV_RUNNING };
enum conn_state { CONN_CONNECTING, CONN_SENDING, CONN_READING };
enum srv_setup { SETUP_OK, SETUP_RESOLVE, SETUP_REQUEST };

struct probe_server;

struct probe_conn {
	struct probe_server *srv;
	int fd;
	enum conn_state state;
	uint64_t start;		/* monotonic ns when connect() was called */
	struct ev_timer timeout;
	size_t sent;		/* bytes of the HTTP request written */
	size_t len;		/* bytes in buf */
	struct probe_conn *next_free;
	char buf[PROBE_RX_MAX];
};

struct probe_server {
	struct gd_prober *p;
	const struct gd_server *cfg;
	size_t idx;
	enum srv_state state;
	struct ev_timer tick;
	uint64_t at;		/* when the armed tick is due (nominal) */
	uint64_t period, phase, timeout;	/* ns */
	uint64_t due;		/* when the waiting check was due */
	struct probe_conn *conn;	/* while SRV_RUNNING */
	enum srv_setup setup;	/* why the server cannot be probed */
	int gai_err;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char *request;		/* http; owned */
	size_t request_len;
	struct probe_heartbeat hb;
	char *hb_id;		/* owned copy of the id, once hb is seen: a
				   reload finds the server by it without
				   reading the old config */
};

struct gd_prober {
	struct ev_loop *loop;
	gd_prober_cb cb;
	void *arg;
	const struct gd_config *cfg;	/* not owned */
	struct probe_server *servers;
	size_t nservers;

	size_t *queue;		/* ring of servers waiting for a socket */
	size_t qhead, qlen;
	struct ev_timer drain;
	int short_errno;	/* why the head of the queue could not start */

	size_t max_sockets, max_sockets_set;	/* set: 0 = automatic */
	size_t in_flight;
	struct probe_conn *free_conns;
	unsigned in_callback;
	struct gd_prober_stats st;
	struct gd_ratelimit short_log;
};

static void conn_event(struct ev_loop *loop, int fd, uint32_t events,
		       void *arg);
static void conn_timeout(struct ev_loop *loop, void *arg);

/* --- results ---------------------------------------------------------- */

/* "Connection refused" -> "connection refused", to read as the others. */
static void errno_text(char *buf, size_t size, int err)
{
	char tmp[128];

	snprintf(buf, size, "%s", strerror_r(err, tmp, sizeof tmp));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

static uint32_t since_us(uint64_t start)
{
	uint64_t us = (ev_monotonic_ns() - start) / 1000;

	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* Every path ends here, and nothing of the check is touched after. */
static void report(struct gd_prober *p, size_t server, bool ok, uint32_t us,
		   const char *error)
{
	struct gd_probe_result r = { .ok = ok, .latency_us = us };

	if (!ok)
		snprintf(r.error, sizeof r.error, "%s", error);
	if (ok)
		p->st.ok++;
	else
		p->st.failed++;
	if (p->cb == NULL)
		return;
	p->in_callback++;
	p->cb(p->arg, server, &r);
	p->in_callback--;
}

/* --- the queue of checks waiting for a socket ------------------------- */

static void queue_push(struct gd_prober *p, struct probe_server *s)
{
	p->queue[(p->qhead + p->qlen) % p->nservers] = s->idx;
	p->qlen++;
	s->state = SRV_QUEUED;
}

/* Back to the head: it could not start after all. */
static void queue_unpop(struct gd_prober *p, struct probe_server *s)
{
	p->qhead = (p->qhead + p->nservers - 1) % p->nservers;
	p->queue[p->qhead] = s->idx;
	p->qlen++;
	s->state = SRV_QUEUED;
}

static struct probe_server *queue_pop(struct gd_prober *p)
{
	struct probe_server *s = &p->servers[p->queue[p->qhead]];

	p->qhead = (p->qhead + 1) % p->nservers;
	p->qlen--;
	s->state = SRV_IDLE;
	return s;
}

/* Arms the drain no later than when. */
static void drain_at(struct gd_prober *p, uint64_t when)
{
	if (!ev_timer_active(&p->drain) || p->drain.when > when)
		ev_timer_start(p->loop, &p->drain, when);
}

/* --- connections ------------------------------------------------------ */

/* A connection for s from the free list (no 4 KiB memset per check). */
static struct probe_conn *conn_get(struct gd_prober *p,
				   struct probe_server *s)
{
	struct probe_conn *c = p->free_conns;

	if (c != NULL)
		p->free_conns = c->next_free;
	else if ((c = malloc(sizeof *c)) != NULL)
		ev_timer_init(&c->timeout, conn_timeout, c);
	if (c == NULL)
		return NULL;
	c->srv = s;
	c->fd = -1;
	c->state = CONN_CONNECTING;
	c->sent = c->len = 0;
	return c;
}

static void conn_put(struct gd_prober *p, struct probe_conn *c)
{
	c->next_free = p->free_conns;
	p->free_conns = c;
}

/* Closes without a verdict; a waiting check may take the socket. */
static void conn_close(struct probe_conn *c)
{
	struct probe_server *s = c->srv;
	struct gd_prober *p = s->p;

	ev_timer_stop(p->loop, &c->timeout);
	ev_io_del(p->loop, c->fd);
	close(c->fd);		/* SO_LINGER 0: a reset, no TIME_WAIT */
	conn_put(p, c);
	s->conn = NULL;
	s->state = SRV_IDLE;
	p->in_flight--;
	if (p->qlen > 0)
		drain_at(p, ev_now(p->loop));
}

/* polite: the server is still talking to us, say goodbye (the answer is
 * not awaited: the reset follows at once). */
static void conn_finish(struct probe_conn *c, bool ok, const char *error,
			bool polite)
{
	struct probe_server *s = c->srv;
	const char *bye = polite ? probe_proto_goodbye(s->cfg->probe) : NULL;
	uint32_t us = since_us(c->start);

	if (bye != NULL)
		(void)send(c->fd, bye, strlen(bye), MSG_NOSIGNAL | MSG_DONTWAIT);
	conn_close(c);
	report(s->p, s->idx, ok, us, error);
}

static void conn_fail_errno(struct probe_conn *c, int err)
{
	char text[96];

	errno_text(text, sizeof text, err);
	conn_finish(c, false, text, false);
}

/*
 * Opens c's socket and starts connecting.  Returns 0, or an errno: the
 * caller tells a shortage (EMFILE...) from the check's own failure.
 */
static int conn_connect(struct probe_conn *c)
{
	const struct probe_server *s = c->srv;
	/* a reset on close leaves no TIME_WAIT: 10,000 servers every 10 s
	 * would otherwise keep 60,000 of them */
	static const struct linger reset = { .l_onoff = 1, .l_linger = 0 };

	c->fd = socket(s->addr.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return errno;
	(void)setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
	c->start = ev_monotonic_ns();
	if (connect(c->fd, (const struct sockaddr *)&s->addr, s->addrlen) < 0 &&
	    errno != EINPROGRESS)
		return errno;
	if (ev_io_add(s->p->loop, c->fd, EPOLLIN | EPOLLOUT | EPOLLET,
		      conn_event, c) < 0)
		return errno;
	return 0;
}

/* What a step of a connection's state machine left. */
enum step {
	STEP_ON,		/* go on to the next state now */
	STEP_WAIT,		/* wait for the next event */
	STEP_DONE,		/* verdict given: the connection is gone */
};

/* The first event: the connection failed (the socket's pending error
 * says why) or is up. */
static enum step conn_connected(struct probe_conn *c, uint32_t events)
{
	enum gd_probe kind = c->srv->cfg->probe;
	socklen_t len = sizeof(int);
	int err = 0;

	if ((events & (EPOLLERR | EPOLLHUP)) &&
	    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
	    err != 0) {
		conn_fail_errno(c, err);
		return STEP_DONE;
	}
	if (kind == GD_PROBE_TCP) {
		conn_finish(c, true, NULL, false);
		return STEP_DONE;
	}
	c->state = kind == GD_PROBE_HTTP ? CONN_SENDING : CONN_READING;
	return STEP_ON;
}

/* Writes what is left of the request. */
static enum step conn_send(struct probe_conn *c)
{
	const struct probe_server *s = c->srv;
	ssize_t n = send(c->fd, s->request + c->sent, s->request_len - c->sent,
			 MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return STEP_WAIT;	/* the next EPOLLOUT edge resumes */
	if (n < 0) {
		conn_fail_errno(c, errno);
		return STEP_DONE;
	}
	c->sent += (size_t)n;
	if (c->sent < s->request_len)
		return STEP_WAIT;
	c->state = CONN_READING;
	return STEP_ON;
}

/* Asks the protocol about everything read so far. */
static enum step conn_judge(struct probe_conn *c, bool eof)
{
	const struct gd_server *cfg = c->srv->cfg;
	char err[ERR_LEN];
	enum probe_verdict v;

	v = probe_proto_judge(cfg->probe, cfg->expect, c->buf, c->len, eof,
			      err, sizeof err);
	if (v == PROBE_MORE)
		return STEP_ON;
	conn_finish(c, v == PROBE_OK, err, !eof);
	return STEP_DONE;
}

/* Edge-triggered: read until the socket is drained or a verdict. */
static enum step conn_read(struct probe_conn *c)
{
	for (;;) {
		/* room: the protocol fails a full buffer, never asks more */
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len,
				 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return STEP_WAIT;
		if (n < 0) {
			conn_fail_errno(c, errno);
			return STEP_DONE;
		}
		c->len += (size_t)n;
		if (conn_judge(c, n == 0) == STEP_DONE)
			return STEP_DONE;
	}
}

/* Runs the state machine on events as far as they take it. */
static enum step conn_step(struct probe_conn *c, uint32_t events)
{
	enum step st = STEP_ON;

	if (c->state == CONN_CONNECTING)
		st = conn_connected(c, events);
	if (st == STEP_ON && c->state == CONN_SENDING)
		st = conn_send(c);
	if (st == STEP_ON && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		st = conn_read(c);
	return st;
}

static void conn_event(struct ev_loop *loop, int fd, uint32_t events,
		       void *arg)
{
	(void)loop;
	(void)fd;
	(void)conn_step(arg, events);
}

/*
 * The loop runs its timers after each batch of (at most 256) events, so
 * on a busy agent a socket may be ready and not dispatched yet when its
 * timeout fires: look at it once before calling it a timeout.
 */
static bool conn_ready_after_all(struct probe_conn *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN | POLLOUT };

	_Static_assert(POLLIN == EPOLLIN && POLLOUT == EPOLLOUT &&
		       POLLERR == EPOLLERR && POLLHUP == EPOLLHUP,
		       "poll and epoll bits differ");
	return poll(&pfd, 1, 0) == 1 &&
	       conn_step(c, (uint32_t)pfd.revents) == STEP_DONE;
}

static void conn_timeout(struct ev_loop *loop, void *arg)
{
	struct probe_conn *c = arg;
	const struct gd_server *cfg = c->srv->cfg;
	char err[ERR_LEN];
	int n;

	(void)loop;
	if (conn_ready_after_all(c))
		return;
	n = snprintf(err, sizeof err, "timeout after %g s ", cfg->check.timeout);
	if (c->state == CONN_CONNECTING)
		snprintf(err + n, sizeof err - (size_t)n, "connecting");
	else if (c->state == CONN_SENDING)
		snprintf(err + n, sizeof err - (size_t)n, "sending the request");
	else if (c->len == 0)
		snprintf(err + n, sizeof err - (size_t)n, "waiting for %s",
			 probe_proto_awaits(cfg->probe));
	else
		snprintf(err + n, sizeof err - (size_t)n,
			 "waiting for %s (%zu bytes so far)",
			 probe_proto_awaits(cfg->probe), c->len);
	conn_finish(c, false, err, false);
}

/* --- checks ----------------------------------------------------------- */

static bool is_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM || err == ENOSPC /* epoll watches */ ||
	       err == EADDRNOTAVAIL /* local ports */ || err == EAGAIN;
}

static void short_of(struct gd_prober *p, int err)
{
	char text[96];
	unsigned suppressed = 0;

	p->short_errno = err;
	if (!gd_ratelimit(&p->short_log, time(NULL), &suppressed))
		return;
	errno_text(text, sizeof text, err);
	log_warn("probe: cannot open a socket with %zu in use: %s; checks wait",
		 p->in_flight, text);
	if (suppressed > 0)
		log_warn("probe: %u more such messages suppressed", suppressed);
}

static void setup_fail(struct probe_server *s)
{
	char err[ERR_LEN];

	if (s->setup == SETUP_RESOLVE)
		snprintf(err, sizeof err, "cannot resolve %s: %s", s->cfg->host,
			 gai_strerror(s->gai_err));
	else
		snprintf(err, sizeof err, "path %s cannot be sent",
			 s->cfg->path);
	report(s->p, s->idx, false, 0, err);
}

static void heartbeat_check(struct probe_server *s)
{
	char err[ERR_LEN];
	enum probe_verdict v;

	v = probe_proto_heartbeat(&s->hb, s->cfg->max_age, time(NULL), err,
				  sizeof err);
	report(s->p, s->idx, v == PROBE_OK, 0, err);
}

/* socket() or connect() said no (err): a shortage makes the check wait
 * (-1), anything else is its verdict (0). */
static int check_refused(struct probe_conn *c, int err)
{
	struct probe_server *s = c->srv;
	uint32_t us = c->fd >= 0 ? since_us(c->start) : 0;
	char text[96];

	if (c->fd >= 0)
		close(c->fd);
	conn_put(s->p, c);
	if (is_shortage(err)) {
		short_of(s->p, err);
		return -1;
	}
	errno_text(text, sizeof text, err);	/* unreachable at once, ... */
	report(s->p, s->idx, false, us, text);
	return 0;
}

/*
 * Starts s's check.  Returns 0 when it is under way or already judged
 * (refused at once, unresolvable), -1 when no socket could be had: the
 * check waits and p->short_errno says why.
 */
static int check_start(struct probe_server *s)
{
	struct gd_prober *p = s->p;
	struct probe_conn *c = NULL;
	int err;

	if (s->setup != SETUP_OK) {
		setup_fail(s);
		return 0;
	}
	c = conn_get(p, s);
	if (c == NULL) {
		short_of(p, ENOMEM);
		return -1;
	}
	err = conn_connect(c);
	if (err != 0)
		return check_refused(c, err);
	s->conn = c;
	s->state = SRV_RUNNING;
	p->in_flight++;
	p->short_errno = 0;
	ev_timer_start(p->loop, &c->timeout, c->start + s->timeout);
	return 0;
}

/* A check that waited for a socket longer than its timeout. */
static void check_expire(struct probe_server *s)
{
	struct gd_prober *p = s->p;
	char why[64], err[ERR_LEN];

	if (p->short_errno != 0)
		errno_text(why, sizeof why, p->short_errno);
	else
		snprintf(why, sizeof why, "all %zu probe sockets busy",
			 p->max_sockets);
	snprintf(err, sizeof err, "not started within %g s: %s",
		 s->cfg->check.timeout, why);
	report(p, s->idx, false, 0, err);
}

/* Timer: starts waiting checks while sockets are free. */
static void drain_cb(struct ev_loop *loop, void *arg)
{
	struct gd_prober *p = arg;
	uint64_t now = ev_now(loop);

	while (p->qlen > 0 && p->in_flight < p->max_sockets) {
		struct probe_server *s = queue_pop(p);

		if (now - s->due > s->timeout) {
			check_expire(s);
		} else if (check_start(s) < 0) {
			queue_unpop(p, s);
			drain_at(p, now + PROBE_RETRY_NS);
			return;
		}
	}
}

/* A tick: the check starts now, or queues behind the others. */
static void check_due(struct probe_server *s, uint64_t now)
{
	struct gd_prober *p = s->p;

	if (s->state != SRV_IDLE) {
		p->st.skipped++;
		return;
	}
	p->st.started++;
	s->due = now;
	if (s->cfg->probe == GD_PROBE_HEARTBEAT) {
		heartbeat_check(s);
		return;
	}
	if (p->qlen == 0 && p->in_flight < p->max_sockets && check_start(s) == 0)
		return;
	/* the queue moves when a socket closes, or on retry after a
	 * shortage */
	queue_push(p, s);
	if (p->short_errno != 0)
		drain_at(p, now + PROBE_RETRY_NS);
}

/* --- schedules -------------------------------------------------------- */

/* FNV-1a, then a 64-bit finaliser (splitmix64) so that ids differing in
 * their last character still land far apart in the interval. */
static uint64_t id_hash(const char *id)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* The first phase + k x period strictly after now. */
static uint64_t tick_after(const struct probe_server *s, uint64_t now)
{
	uint64_t t = now - now % s->period + s->phase;

	return t > now ? t : t + s->period;
}

static void tick_cb(struct ev_loop *loop, void *arg)
{
	struct probe_server *s = arg;
	uint64_t now = ev_now(loop);

	/* from the nominal time, not from now: no drift */
	s->at += s->period;
	if (s->at <= now) {	/* the loop stalled for whole periods */
		s->p->st.skipped += (now - s->at) / s->period + 1;
		s->at = tick_after(s, now);
	}
	ev_timer_start(loop, &s->tick, s->at);
	check_due(s, now);
}

static uint64_t seconds_ns(double s)
{
	double ns = s * (double)EV_NS_PER_SEC;

	return ns < (double)EV_NS_PER_MS ? EV_NS_PER_MS : (uint64_t)ns;
}

/* --- config ----------------------------------------------------------- */

/* prev (the server before s) has s's host, resolved. */
static bool same_host(const struct probe_server *s,
		      const struct probe_server *prev)
{
	return prev != NULL && prev->setup == SETUP_OK &&
	       prev->cfg->host != NULL &&
	       strcmp(prev->cfg->host, s->cfg->host) == 0;
}

static void addr_set_port(struct sockaddr_storage *a, unsigned port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons((uint16_t)port);
	else if (a->ss_family == AF_INET6)
		((struct sockaddr_in6 *)a)->sin6_port = htons((uint16_t)port);
}

/* getaddrinfo() blocks: this runs at config load only, never in the
 * loop.  Servers of one host usually follow each other: ask once. */
static void server_resolve(struct probe_server *s,
			   const struct probe_server *prev)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char port[8];

	if (same_host(s, prev)) {
		s->addr = prev->addr;
		s->addrlen = prev->addrlen;
		addr_set_port(&s->addr, s->cfg->port);
		return;
	}
	snprintf(port, sizeof port, "%u", s->cfg->port);
	s->gai_err = getaddrinfo(s->cfg->host, port, &hints, &res);
	if (s->gai_err != 0) {
		s->setup = SETUP_RESOLVE;
		log_warn("server %s: cannot resolve %s: %s", s->cfg->id,
			 s->cfg->host, gai_strerror(s->gai_err));
		return;
	}
	memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
	s->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
}

/* The request never changes: built once per config. */
static int server_request(struct probe_server *s)
{
	char buf[PROBE_REQUEST_MAX];
	int n = probe_proto_http_request(buf, sizeof buf, s->cfg->host,
					 s->cfg->port,
					 s->cfg->path ? s->cfg->path : "/");

	if (n < 0) {
		s->setup = SETUP_REQUEST;
		return 0;
	}
	s->request = malloc((size_t)n);
	if (s->request == NULL)
		return -1;
	memcpy(s->request, buf, (size_t)n);
	s->request_len = (size_t)n;
	return 0;
}

static int server_setup(struct gd_prober *p, struct probe_server *s,
			const struct probe_server *prev)
{
	const struct gd_server *cfg = s->cfg;

	s->p = p;
	s->period = seconds_ns(cfg->check.interval);
	s->timeout = seconds_ns(cfg->check.timeout);
	s->phase = id_hash(cfg->id) % s->period;
	ev_timer_init(&s->tick, tick_cb, s);
	if (cfg->probe == GD_PROBE_HEARTBEAT)
		return 0;
	server_resolve(s, prev);
	if (cfg->probe == GD_PROBE_HTTP && s->setup == SETUP_OK)
		return server_request(s);
	return 0;
}

static void servers_free(struct probe_server *servers, size_t n)
{
	for (size_t i = 0; servers != NULL && i < n; i++) {
		free(servers[i].request);
		free(servers[i].hb_id);
	}
	free(servers);
}

/* Heartbeats move to the server of the same id in the new config. */
static void heartbeats_carry(const struct gd_prober *p,
			     const struct gd_config *cfg,
			     struct probe_server *servers)
{
	for (size_t i = 0; i < p->nservers; i++) {
		struct probe_server *old = &p->servers[i];
		long n = old->hb_id ? gd_config_find_server(cfg, old->hb_id)
				    : -1;

		if (n < 0)
			continue;
		servers[n].hb = old->hb;
		servers[n].hb_id = old->hb_id;	/* ownership moves */
		old->hb_id = NULL;
	}
}

/* Cancels every check and schedule of the current config: no callback. */
static void prober_stop(struct gd_prober *p)
{
	p->qlen = 0;
	for (size_t i = 0; i < p->nservers; i++) {
		struct probe_server *s = &p->servers[i];

		ev_timer_stop(p->loop, &s->tick);
		if (s->conn != NULL)
			conn_close(s->conn);
	}
	ev_timer_stop(p->loop, &p->drain);
	servers_free(p->servers, p->nservers);
	free(p->queue);
	p->servers = NULL;
	p->queue = NULL;
	p->nservers = p->qhead = 0;
}

static size_t socket_cap(const struct gd_prober *p)
{
	struct rlimit rl;
	size_t cap = PROBE_SOCKETS_MAX;

	if (p->max_sockets_set != 0)
		return p->max_sockets_set;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		size_t room = rl.rlim_cur > 2 * PROBE_FD_RESERVE ?
			      rl.rlim_cur - PROBE_FD_RESERVE : rl.rlim_cur / 2;

		if (room < cap)
			cap = room;
	}
	return cap > 0 ? cap : 1;
}

static void prober_install(struct gd_prober *p, const struct gd_config *cfg,
			   struct probe_server *servers, size_t *queue)
{
	uint64_t now = ev_now(p->loop);

	heartbeats_carry(p, cfg, servers);
	prober_stop(p);
	p->cfg = cfg;
	p->servers = servers;
	p->nservers = cfg->nservers;
	p->queue = queue;
	p->max_sockets = socket_cap(p);
	for (size_t i = 0; i < p->nservers; i++) {
		struct probe_server *s = &p->servers[i];

		s->at = tick_after(s, now);
		ev_timer_start(p->loop, &s->tick, s->at);
	}
}

/* --- the API ---------------------------------------------------------- */

struct gd_prober *gd_prober_new(struct ev_loop *loop, gd_prober_cb cb,
				void *arg)
{
	struct gd_prober *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->loop = loop;
	p->cb = cb;
	p->arg = arg;
	ev_timer_init(&p->drain, drain_cb, p);
	p->short_log = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 3);
	p->max_sockets = socket_cap(p);
	return p;
}

int gd_prober_set_config(struct gd_prober *p, const struct gd_config *cfg)
{
	size_t n = cfg->nservers ? cfg->nservers : 1;
	struct probe_server *servers = NULL;
	size_t *queue = NULL;

	if (p->in_callback) {
		errno = EBUSY;
		return -1;
	}
	servers = calloc(n, sizeof *servers);
	queue = calloc(n, sizeof *queue);
	if (servers == NULL || queue == NULL)
		goto fail;
	for (size_t i = 0; i < cfg->nservers; i++) {
		servers[i].cfg = &cfg->servers[i];
		servers[i].idx = i;
		if (server_setup(p, &servers[i], i ? &servers[i - 1] : NULL) < 0)
			goto fail;
	}
	prober_install(p, cfg, servers, queue);
	return 0;
fail:
	servers_free(servers, cfg->nservers);
	free(queue);
	errno = ENOMEM;
	return -1;
}

void gd_prober_set_max_sockets(struct gd_prober *p, size_t n)
{
	p->max_sockets_set = n;
	p->max_sockets = socket_cap(p);
	if (p->qlen > 0)
		drain_at(p, ev_now(p->loop));
}

uint64_t gd_prober_next_check(const struct gd_prober *p, size_t server)
{
	return server < p->nservers ? p->servers[server].at : 0;
}

void gd_prober_heartbeat(struct gd_prober *p, size_t server, unsigned status,
			 time_t now)
{
	gd_prober_heartbeat_restore(p, server, now, status);
}

uint32_t gd_prober_heartbeat_age(const struct gd_prober *p, size_t server,
				 time_t now)
{
	const struct probe_heartbeat *hb;
	double age;

	if (server >= p->nservers || !p->servers[server].hb.seen)
		return GD_HEARTBEAT_NONE;
	hb = &p->servers[server].hb;
	age = difftime(now, hb->when);
	if (age < 0)
		return 0;	/* the clock stepped back */
	return age >= GD_HEARTBEAT_NONE ? GD_HEARTBEAT_NONE - 1 : (uint32_t)age;
}

void gd_prober_heartbeat_restore(struct gd_prober *p, size_t server,
				 time_t when, unsigned status)
{
	struct probe_server *s = server < p->nservers ? &p->servers[server]
						       : NULL;

	if (s == NULL)
		return;
	s->hb = (struct probe_heartbeat){ true, when, status };
	if (s->hb_id == NULL)	/* NULL when short of memory: not carried */
		s->hb_id = strdup(s->cfg->id);
}

void gd_prober_stats(const struct gd_prober *p, struct gd_prober_stats *st)
{
	*st = p->st;
	st->in_flight = p->in_flight;
	st->queued = p->qlen;
}

void gd_prober_free(struct gd_prober *p)
{
	if (p == NULL)
		return;
	prober_stop(p);
	while (p->free_conns != NULL) {
		struct probe_conn *c = p->free_conns;

		p->free_conns = c->next_free;
		free(c);
	}
	free(p);
}
