/*
 * rrdw_cached.c — the RRD writer's rrdcached client; see rrdw.h.
 *
 * rrdcached(1) speaks lines.  A command is answered by a status line
 * "N message": N < 0 is an error, N >= 0 says N more lines follow.  In
 * BATCH mode the daemon answers "0 Go ahead..." and then nothing per
 * command; after "." it sends "N errors" and N lines "<command number>
 * <message>".  It runs each command as it reads it, so a connection that
 * breaks half-way through a batch leaves an unknown prefix applied
 * (GD_RRDC_LOST).  Arguments are split at spaces; a backslash escapes the
 * next character.  Lines are at most RRD_CMD_MAX (4096) bytes: the daemon
 * cuts longer ones in its journal.
 *
 * The connection is opened by gd_rrdc_open only, never again behind the
 * caller's back: a new connection may reach a restarted daemon that lost
 * updates it had acknowledged on the old one (see rrdw.h), and the writer
 * must ask it what it has before it sends anything newer.
 *
 * Prefix rrdc_ (librrd's own name for its client).  librrd's rrd_client
 * API is not used: it has no BATCH and one round trip per update.
 */
#include "rrdw.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define RRDC_LINE_MAX 4096		/* rrdcached's RRD_CMD_MAX */
#define RRDC_DEFAULT_PORT "42217"	/* rrdcached's default */
/* LAST answers in flight must fit our receive buffer, or rrdcached
 * blocks writing them while we block writing more commands. */
#define RRDC_INFLIGHT_BYTES 32768

struct rrdc_buf {
	char *p;
	size_t len, cap;
};

struct gd_rrdc {
	char *addr;
	int fd;			/* -1 when not connected */
	int timeout_ms;		/* longest wait for any one read or write */
	bool reused;		/* gd_rrdc_open kept the connection it had */
	bool timed_out;		/* a wait timed out since gd_rrdc_open */
	struct rrdc_buf batch;	/* the commands of the next BATCH */
	size_t ncmds;
	struct rrdc_buf query;	/* LAST commands in flight */
	char in[2 * RRDC_LINE_MAX];	/* received, unread: in[inpos, inlen) */
	size_t inpos, inlen;
	char err[256];		/* what went wrong last, for the caller's log */
};

static int rrdc_fail(struct gd_rrdc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int rrdc_fail(struct gd_rrdc *c, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

/* --- buffers -------------------------------------------------------------- */

static int rrdc_buf_reserve(struct rrdc_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* path as one rrdcached argument: spaces and backslashes escaped */
static size_t rrdc_escape(char *out, const char *path)
{
	size_t n = 0;

	for (const char *s = path; *s; s++) {
		if (*s == ' ' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	return n;
}

/* Appends "cmd path[ args]\n"; -1 when too long for rrdcached, a newline
 * in path or args (it would split the command) or no memory. */
static int rrdc_buf_command(struct rrdc_buf *b, const char *cmd,
			    const char *path, const char *args)
{
	size_t max = strlen(cmd) + 2 * strlen(path) + 3 +
		     (args ? strlen(args) : 0);
	char *p;

	if (strchr(path, '\n') || (args && strchr(args, '\n')) ||
	    rrdc_buf_reserve(b, max) < 0)
		return -1;
	p = b->p + b->len;
	p += sprintf(p, "%s ", cmd);
	p += rrdc_escape(p, path);
	if (args != NULL)
		p += sprintf(p, " %s", args);
	*p++ = '\n';
	if ((size_t)(p - (b->p + b->len)) >= RRDC_LINE_MAX)
		return -1;
	b->len = (size_t)(p - b->p);
	return 0;
}

/* --- connection ----------------------------------------------------------- */

static void rrdc_close(struct gd_rrdc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->inpos = c->inlen = 0;
}

/* Waits until fd is ready for events; -1 with ETIMEDOUT after timeout_ms. */
static int rrdc_wait(struct gd_rrdc *c, short events)
{
	struct pollfd p = { .fd = c->fd, .events = events };
	int n;

	do
		n = poll(&p, 1, c->timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n == 0) {
		c->timed_out = true;
		errno = ETIMEDOUT;
	}
	return n > 0 ? 0 : -1;
}

static int rrdc_connect_fd(struct gd_rrdc *c, const struct sockaddr *sa,
			   socklen_t len)
{
	int err = 0, one = 1;
	socklen_t elen = sizeof err;

	c->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	if (sa->sa_family != AF_UNIX)
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, sa, len) == 0)
		return 0;
	/* a unix socket says EAGAIN when the backlog is full: not in
	 * progress, a failure (the next flush tries again) */
	if (errno != EINPROGRESS ||
	    rrdc_wait(c, POLLOUT) < 0 ||
	    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		goto fail;
	if (err == 0)
		return 0;
	errno = err;
fail:
	err = errno;
	rrdc_close(c);
	errno = err;
	return -1;
}

static int rrdc_connect_unix(struct gd_rrdc *c, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return rrdc_fail(c, "%s: %s", c->addr, strerror(errno));
	}
	strcpy(sun.sun_path, path);
	if (rrdc_connect_fd(c, (struct sockaddr *)&sun, sizeof sun) < 0)
		return rrdc_fail(c, "connect %s: %s", c->addr, strerror(errno));
	return 0;
}

/* "host", "host:port", "[v6]", "[v6]:port" into host and port (in buf). */
static int rrdc_split_inet(char *buf, char **host, char **port)
{
	char *colon;

	*host = buf;
	*port = NULL;
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			return -1;
		*host = buf + 1;
		*end = '\0';
		if (end[1] == ':')
			*port = end + 2;
		return 0;
	}
	colon = strchr(buf, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		*port = colon + 1;
	}
	return 0;
}

static int rrdc_connect_inet(struct gd_rrdc *c)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char *buf = strdup(c->addr), *host, *port;
	int rc;

	if (buf == NULL || rrdc_split_inet(buf, &host, &port) < 0) {
		free(buf);
		return rrdc_fail(c, "%s: not an address", c->addr);
	}
	rc = getaddrinfo(host, port && *port ? port : RRDC_DEFAULT_PORT,
			 &hints, &res);
	free(buf);
	if (rc != 0)
		return rrdc_fail(c, "%s: %s", c->addr, gai_strerror(rc));
	rc = -1;
	for (struct addrinfo *ai = res; ai != NULL && rc < 0; ai = ai->ai_next)
		rc = rrdc_connect_fd(c, ai->ai_addr, ai->ai_addrlen);
	if (rc < 0)
		rrdc_fail(c, "connect %s: %s", c->addr, strerror(errno));
	freeaddrinfo(res);
	return rc;
}

static int rrdc_connect(struct gd_rrdc *c)
{
	if (strncmp(c->addr, "unix:", 5) == 0)
		return rrdc_connect_unix(c, c->addr + 5);
	if (c->addr[0] == '/')
		return rrdc_connect_unix(c, c->addr);
	return rrdc_connect_inet(c);
}

/* rrdcached never speaks first: a readable idle connection is at its end
 * (the daemon restarted) or out of step with us. */
static bool rrdc_alive(struct gd_rrdc *c)
{
	char byte;

	if (c->fd < 0 || c->inpos != c->inlen)
		return false;
	return recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 &&
	       (errno == EAGAIN || errno == EWOULDBLOCK);
}

int gd_rrdc_open(struct gd_rrdc *c, bool *fresh)
{
	c->timed_out = false;
	c->reused = rrdc_alive(c);
	*fresh = !c->reused;
	if (c->reused)
		return GD_RRDC_OK;
	rrdc_close(c);
	return rrdc_connect(c) == 0 ? GD_RRDC_OK : GD_RRDC_DOWN;
}

/* A connection kept from an earlier flush can die (rrdcached restarting)
 * after rrdc_alive looked at it; a daemon merely slow (a timeout) is not
 * worth a second try: it would double the stall. */
bool gd_rrdc_stale(const struct gd_rrdc *c)
{
	return c->reused && !c->timed_out;
}

static int rrdc_connected(struct gd_rrdc *c)
{
	if (c->fd >= 0)
		return 0;
	errno = ENOTCONN;
	return rrdc_fail(c, "%s: not connected", c->addr);
}

/* --- lines ---------------------------------------------------------------- */

static int rrdc_send(struct gd_rrdc *c, const char *p, size_t len)
{
	while (len > 0) {
		/* MSG_NOSIGNAL: a daemon gone away is EPIPE, not SIGPIPE */
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (rrdc_wait(c, POLLOUT) < 0)
				return rrdc_fail(c, "%s: write: %s", c->addr,
						 strerror(errno));
			continue;
		}
		if (n < 0)
			return rrdc_fail(c, "%s: write: %s", c->addr,
					 strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int rrdc_fill(struct gd_rrdc *c)
{
	ssize_t n;

	if (c->inpos > 0) {
		memmove(c->in, c->in + c->inpos, c->inlen - c->inpos);
		c->inlen -= c->inpos;
		c->inpos = 0;
	}
	if (c->inlen == sizeof c->in)
		return rrdc_fail(c, "%s: answer line too long", c->addr);
	if (rrdc_wait(c, POLLIN) < 0)
		return rrdc_fail(c, "%s: read: %s", c->addr, strerror(errno));
	do
		n = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
	while (n < 0 && errno == EINTR);
	if (n == 0) {
		errno = ECONNRESET;
		return rrdc_fail(c, "%s: connection closed by rrdcached", c->addr);
	}
	if (n < 0)
		return rrdc_fail(c, "%s: read: %s", c->addr, strerror(errno));
	c->inlen += (size_t)n;
	return 0;
}

/* The next line, without its newline, valid until the next read. */
static char *rrdc_line(struct gd_rrdc *c)
{
	for (;;) {
		char *start = c->in + c->inpos;
		char *nl = memchr(start, '\n', c->inlen - c->inpos);

		if (nl != NULL) {
			*nl = '\0';
			c->inpos = (size_t)(nl + 1 - c->in);
			return start;
		}
		if (rrdc_fill(c) < 0)
			return NULL;
	}
}

/* Reads a status line "N message": N (-1: an error) and *msg; -2 when
 * nothing sensible came. */
static int rrdc_status(struct gd_rrdc *c, const char **msg)
{
	char *line = rrdc_line(c), *end;
	long n;

	if (line == NULL)
		return -2;
	n = strtol(line, &end, 10);
	if (end == line || (*end != ' ' && *end != '\0') || n < -1) {
		errno = EPROTO;
		rrdc_fail(c, "%s: unexpected answer \"%.80s\"", c->addr, line);
		return -2;
	}
	*msg = *end ? end + 1 : end;
	return (int)n;
}

/* Reads lines that belong to a status line and are of no use to us. */
static int rrdc_skip(struct gd_rrdc *c, int n)
{
	while (n-- > 0)
		if (rrdc_line(c) == NULL)
			return -1;
	return 0;
}

/* --- BATCH ---------------------------------------------------------------- */

struct gd_rrdc *gd_rrdc_new(const char *addr, int timeout_ms)
{
	struct gd_rrdc *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	c->addr = strdup(addr);
	if (c->addr == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void gd_rrdc_free(struct gd_rrdc *c)
{
	if (c == NULL)
		return;
	rrdc_close(c);
	free(c->batch.p);
	free(c->query.p);
	free(c->addr);
	free(c);
}

const char *gd_rrdc_addr(const struct gd_rrdc *c)
{
	return c->addr;
}

const char *gd_rrdc_error(const struct gd_rrdc *c)
{
	return c->err;
}

void gd_rrdc_batch_reset(struct gd_rrdc *c)
{
	c->batch.len = 0;
	c->ncmds = 0;
}

size_t gd_rrdc_batch_add(struct gd_rrdc *c, const char *cmd, const char *path,
			 const char *args)
{
	if (rrdc_buf_command(&c->batch, cmd, path, args) < 0)
		return 0;
	return ++c->ncmds;
}

/* "N errors" and the N lines "<command number> <message>" after "." */
static int rrdc_batch_errors(struct gd_rrdc *c, gd_rrdc_error_cb cb, void *arg)
{
	const char *msg;
	int n = rrdc_status(c, &msg);

	if (n < 0)
		return n == -1 ? rrdc_fail(c, "%s: BATCH: %s", c->addr, msg) : -1;
	while (n-- > 0) {
		char *line = rrdc_line(c), *end;
		unsigned long cmd;

		if (line == NULL)
			return -1;
		cmd = strtoul(line, &end, 10);
		if (end == line || cmd == 0 || cmd > c->ncmds)
			return rrdc_fail(c, "%s: unexpected error line \"%.80s\"",
					 c->addr, line);
		cb(arg, cmd, *end ? end + 1 : end);
	}
	return 0;
}

static int rrdc_batch_start(struct gd_rrdc *c)
{
	const char *msg;
	int n;

	if (rrdc_connected(c) < 0 || rrdc_send(c, "BATCH\n", 6) < 0)
		return -1;
	n = rrdc_status(c, &msg);
	if (n == -1)
		rrdc_fail(c, "%s: BATCH refused: %s", c->addr, msg);
	return n == 0 ? 0 : -1;
}

int gd_rrdc_batch_send(struct gd_rrdc *c, gd_rrdc_error_cb cb, void *arg)
{
	int n;

	if (c->ncmds == 0)
		return GD_RRDC_OK;
	if (rrdc_batch_start(c) < 0)
		goto down;
	/* from here on rrdcached may have run any prefix of the commands */
	if (rrdc_buf_reserve(&c->batch, 2) < 0) {
		rrdc_fail(c, "%s: out of memory", c->addr);
		goto lost;
	}
	memcpy(c->batch.p + c->batch.len, ".\n", 2);
	n = rrdc_send(c, c->batch.p, c->batch.len + 2);
	if (n < 0 || rrdc_batch_errors(c, cb, arg) < 0)
		goto lost;
	return GD_RRDC_OK;
down:
	rrdc_close(c);
	return GD_RRDC_DOWN;
lost:
	rrdc_close(c);
	return GD_RRDC_LOST;
}

/* --- LAST ----------------------------------------------------------------- */

/* Paths sent at once: their answers ("0 <time>", or "-1 <path>: error")
 * must fit RRDC_INFLIGHT_BYTES. */
static size_t rrdc_last_chunk(const char *const *paths, size_t n)
{
	size_t longest = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(paths[i]) > longest)
			longest = strlen(paths[i]);
	return RRDC_INFLIGHT_BYTES / (longest + 128) + 1;
}

static int rrdc_last_answer(struct gd_rrdc *c, size_t idx, time_t *out,
			    gd_rrdc_error_cb cb, void *arg)
{
	const char *msg;
	char *end;
	int n = rrdc_status(c, &msg);
	long long t;

	*out = (time_t)-1;
	if (n == -1) {
		cb(arg, idx, msg);
		return 0;
	}
	if (n < 0 || rrdc_skip(c, n) < 0)
		return -1;
	t = strtoll(msg, &end, 10);
	if (end == msg || t <= 0)
		return rrdc_fail(c, "%s: LAST: unexpected \"%.80s\"", c->addr, msg);
	*out = (time_t)t;
	return 0;
}

static int rrdc_last_some(struct gd_rrdc *c, const char *const *paths,
			  size_t n, size_t base, time_t *out,
			  gd_rrdc_error_cb cb, void *arg)
{
	c->query.len = 0;
	for (size_t i = 0; i < n; i++)
		if (rrdc_buf_command(&c->query, "LAST", paths[i], NULL) < 0)
			return rrdc_fail(c, "%s: LAST %s: cannot build command",
					 c->addr, paths[i]);
	if (rrdc_send(c, c->query.p, c->query.len) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (rrdc_last_answer(c, base + i + 1, &out[i], cb, arg) < 0)
			return -1;
	return 0;
}

static int rrdc_last_all(struct gd_rrdc *c, const char *const *paths,
			 size_t n, time_t *out, gd_rrdc_error_cb cb, void *arg)
{
	size_t chunk = rrdc_last_chunk(paths, n);

	if (rrdc_connected(c) < 0)
		return -1;
	for (size_t i = 0; i < n; i += chunk) {
		size_t k = n - i < chunk ? n - i : chunk;

		if (rrdc_last_some(c, paths + i, k, i, out + i, cb, arg) < 0)
			return -1;
	}
	return 0;
}

int gd_rrdc_last(struct gd_rrdc *c, const char *const *paths, size_t n,
		 time_t *out, gd_rrdc_error_cb cb, void *arg)
{
	if (n == 0)
		return GD_RRDC_OK;
	if (rrdc_last_all(c, paths, n, out, cb, arg) == 0)
		return GD_RRDC_OK;
	rrdc_close(c);
	return GD_RRDC_DOWN;
}
