/*
 * fakesvc — fake network servers for greendot's integration tests.
 *
 * One process plays many servers (10,000 and more) so that probes have
 * something real to talk to: plain TCP, SMTP, POP3, IMAP, FTP, HTTP,
 * MySQL, and a "silent" server that accepts and never says a word.  A
 * control channel changes a server's behaviour while a test runs (refuse,
 * hang, answer wrongly, answer byte by byte), so a test can walk a probe
 * through every outcome without restarting anything.
 *
 *   fakesvc [-a ADDR] [-C CONTROL] [-p PIDFILE] [-f SPECFILE] [SPEC ...]
 *   fakesvc -x ENDPOINT [-w MS] [-k]
 *
 * SPEC is NAME=PROTO:PORT[:STATUS]; PORT 0 lets the kernel choose (see
 * "status"; fine for hundreds, but the kernel's search slows as ports
 * fill: 10,000 take 4.6 s against 0.08 s with given ports); STATUS is the
 * HTTP status code (default 200).  SPECFILE holds one SPEC a line, '#'
 * starts a comment.  Every server listens on ADDR (default 127.0.0.1; the
 * test harness gives each test an address of its own, 127.A.B.1, that no
 * other process binds).  CONTROL is a UNIX socket path or a port on
 * 127.0.0.1.  Once every server listens the pidfile is written (temporary
 * name, then rename) and "ready N" goes to stdout.
 *
 * Control commands, one a line; each answer ends with "ok" or "error: ...".
 * NAME may be a glob (fnmatch) and several may be given:
 *   stop NAME...       stop listening: connections are refused, but the
 *                      port stays bound, so no other process can bind it
 *                      meanwhile (EADDRINUSE; see server_stop)
 *   start NAME...      listen again on the same socket
 *   hang NAME...       accept, then send nothing
 *   wrong NAME...      answer with a failure (554, -ERR, * BYE, HTTP 503,
 *                      MySQL error packet; tcp: reset at once)
 *   slow NAME... MS    send every reply one byte each MS ms
 *   normal NAME...     undo hang, wrong and slow
 *   code NAME... CODE  set the HTTP status code
 *   status [NAME...]   "NAME PROTO PORT STATE ACCEPTED" per server, STATE
 *                      being normal, hang, wrong, slow:MS or stopped
 *   ping
 * A mode applies to connections accepted after the command.
 *
 * The second form is a small client (netcat with UNIX sockets and an idle
 * timeout) for the test scripts: it copies stdin to ENDPOINT (a socket
 * path, a port on 127.0.0.1, or HOST:PORT), shuts its sending side at the end of
 * stdin unless -k, and copies what comes back to stdout.  Exit 0 when the
 * peer closed, 2 when the connection failed, 3 after MS ms (default 5000)
 * without data, 4 on a reset.
 *
 * Everything runs in one epoll loop on non-blocking sockets; connection
 * timers live in a binary heap.  Only the client form blocks.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define IDLE_MS		5000	/* after our last reply: close when quiet this long */
#define TCP_HOLD_MS	500	/* "tcp": accept, close after this */
#define HOLD_MAX_MS	600000	/* silent/hang: the peer is meant to give up first */
#define DRAIN_MS	1000	/* after our last word: wait this long for the FIN */
#define OUT_CAP		1024
#define IN_CAP		1024
#define CTL_IN_CAP	65536
#define MAX_EVENTS	256
#define ACCEPT_BURST	64
#define MAX_NAME	63

enum kind { K_LISTENER, K_CONN, K_CTL_LISTENER, K_CTL, K_SIGNAL };
enum proto { P_TCP, P_SMTP, P_POP3, P_IMAP, P_FTP, P_HTTP, P_MYSQL, P_SILENT,
	     P_COUNT };
enum mode { M_NORMAL, M_HANG, M_WRONG, M_SLOW };
enum phase { PH_TALK, PH_HOLD, PH_DRAIN };

static const char *const proto_names[P_COUNT] = {
	"tcp", "smtp", "pop3", "imap", "ftp", "http", "mysql", "silent",
};

/* First member of everything registered with epoll. */
struct handle {
	enum kind kind;
	int fd;
	bool dead;		/* closed; freed after the current batch */
	struct handle *next_dead;
	struct handle *prev_live, *next_live;	/* allocated ones, for exit */
};

struct server {
	struct handle h;	/* the listening socket; fd -1 while stopped */
	int hold_fd;		/* while stopped: bound, not listening; or -1 */
	char *name;
	char *origin;		/* "file:line" or "argument N", for errors */
	enum proto proto;
	int port;
	enum mode mode;
	int slow_ms;
	int http_status;
	unsigned long accepted;
};

struct conn {
	struct handle h;
	struct server *srv;
	enum proto proto;
	enum mode mode;		/* copied at accept */
	int slow_ms;
	int http_status;
	enum phase phase;
	bool last_word;		/* drain and close once out is sent */
	bool want_out;		/* EPOLLOUT armed */
	bool peer_gone;		/* the peer shut its side; finish our reply */
	uint32_t id;
	int crlf;		/* http: how much of "\r\n\r\n" matched */
	uint64_t deadline;	/* close at; 0 = none */
	uint64_t next_byte;	/* slow mode: next byte at; 0 = none */
	uint64_t wake;		/* heap key: earliest of the two */
	size_t slot;		/* heap position + 1; 0 when not queued */
	size_t out_off, out_len, in_len;
	char out[OUT_CAP];
	char in[IN_CAP];
};

struct ctl {
	struct handle h;
	bool eof;
	bool want_out;
	size_t in_len;
	char *in;
	char *out;
	size_t out_off, out_len, out_cap;
};

static struct {
	int ep;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char addr_text[INET6_ADDRSTRLEN];
	struct server *srv;
	size_t nsrv, capsrv;
	struct server **by_name;	/* sorted by name */
	struct conn **heap;
	size_t nheap, capheap;
	struct handle ctl_listener;
	struct handle sig;
	struct handle *dead;
	struct handle *live;	/* every allocated connection and control
				   client, freed at exit */
	const char *ctl_path;		/* UNIX control socket to unlink */
	const char *pidfile;
	int reserve_fd;			/* given up to shed a connection at EMFILE */
	bool shed_warned;
	uint64_t now;			/* monotonic ms, once per loop turn */
	uint32_t next_id;
	int errors;
	bool quit;
} G = { .ep = -1, .reserve_fd = -1 };

/* ---- small helpers ------------------------------------------------ */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fakesvc: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A whole decimal number in [lo, hi], or -1. */
static long parse_num(const char *s, long lo, long hi)
{
	char *end = NULL;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return v;
}

static int epoll_set(struct handle *h, uint32_t events, int op)
{
	struct epoll_event ev = { .events = events, .data.ptr = h };

	return epoll_ctl(G.ep, op, h->fd, &ev);
}

/* Records an allocated handle, so that exit frees what is still open. */
static void handle_live(struct handle *h)
{
	h->prev_live = NULL;
	h->next_live = G.live;
	if (G.live != NULL)
		G.live->prev_live = h;
	G.live = h;
}

static void handle_unlive(struct handle *h)
{
	if (h->prev_live != NULL)
		h->prev_live->next_live = h->next_live;
	else
		G.live = h->next_live;
	if (h->next_live != NULL)
		h->next_live->prev_live = h->prev_live;
}

static void handle_bury(struct handle *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	h->dead = true;
	h->next_dead = G.dead;
	G.dead = h;
}

/* ---- timer heap (connections ordered by wake time) ----------------- */

static bool heap_less(size_t a, size_t b)
{
	return G.heap[a]->wake < G.heap[b]->wake;
}

static void heap_swap(size_t a, size_t b)
{
	struct conn *t = G.heap[a];

	G.heap[a] = G.heap[b];
	G.heap[b] = t;
	G.heap[a]->slot = a + 1;
	G.heap[b]->slot = b + 1;
}

static void heap_up(size_t i)
{
	while (i > 0 && heap_less(i, (i - 1) / 2)) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < G.nheap && heap_less(l, m))
			m = l;
		if (r < G.nheap && heap_less(r, m))
			m = r;
		if (m == i)
			return;
		heap_swap(i, m);
		i = m;
	}
}

static void heap_remove(struct conn *c)
{
	size_t i;

	if (!c->slot)
		return;
	i = c->slot - 1;
	c->slot = 0;
	if (i == --G.nheap)
		return;
	G.heap[i] = G.heap[G.nheap];
	G.heap[i]->slot = i + 1;
	heap_up(i);
	heap_down(i);
}

static void heap_insert(struct conn *c)
{
	if (G.nheap == G.capheap) {
		G.capheap = G.capheap ? 2 * G.capheap : 256;
		G.heap = xrealloc(G.heap, G.capheap * sizeof *G.heap);
	}
	G.heap[G.nheap] = c;
	c->slot = ++G.nheap;
	heap_up(G.nheap - 1);
}

/* Re-queue c at the earlier of its deadline and its next slow byte. */
static void conn_rearm(struct conn *c)
{
	uint64_t w = c->deadline;

	if (c->next_byte && (!w || c->next_byte < w))
		w = c->next_byte;
	heap_remove(c);
	c->wake = w;
	if (w)
		heap_insert(c);
}

/* ---- connections: output ------------------------------------------ */

static void conn_close(struct conn *c)
{
	heap_remove(c);
	handle_bury(&c->h);
}

/* Close with a reset (SO_LINGER 0): what "wrong" means for plain tcp. */
static void conn_reset(struct conn *c)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(c->h.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	conn_close(c);
}

static void conn_set_deadline(struct conn *c, uint64_t ms)
{
	c->deadline = G.now + ms;
	conn_rearm(c);
}

static bool conn_queue(struct conn *c, const void *p, size_t n)
{
	if (c->out_off) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	if (n > sizeof c->out - c->out_len)
		return false;
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return true;
}

static bool conn_printf(struct conn *c, const char *fmt, ...)
{
	char buf[OUT_CAP];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < sizeof buf && conn_queue(c, buf, (size_t)n);
}

static void conn_events(struct conn *c)
{
	epoll_set(&c->h, (c->peer_gone ? 0 : EPOLLIN) |
		  (c->want_out ? EPOLLOUT : 0), EPOLL_CTL_MOD);
}

static void conn_want_out(struct conn *c, bool on)
{
	if (c->want_out == on)
		return;
	c->want_out = on;
	conn_events(c);
}

/* Our part is said: stop sending, wait briefly for the peer's FIN so
 * that closing does not reset a reply it has not read yet. */
static void conn_drain(struct conn *c)
{
	shutdown(c->h.fd, SHUT_WR);
	c->phase = PH_DRAIN;
	conn_set_deadline(c, DRAIN_MS);
}

static void conn_sent(struct conn *c)
{
	c->next_byte = 0;
	conn_want_out(c, false);
	if (c->peer_gone)
		conn_close(c);
	else if (c->last_word)
		conn_drain(c);
	else
		conn_set_deadline(c, IDLE_MS);
}

/* Send up to max bytes; false when the connection failed (and is gone). */
static bool conn_send(struct conn *c, size_t max)
{
	while (c->out_off < c->out_len && max > 0) {
		size_t len = c->out_len - c->out_off;
		ssize_t n = send(c->h.fd, c->out + c->out_off,
				 len < max ? len : max, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_want_out(c, true);
			return true;
		}
		if (n < 0) {
			conn_close(c);
			return false;
		}
		c->out_off += (size_t)n;
		max -= (size_t)n;
		c->deadline = G.now + IDLE_MS;	/* a peer that reads is alive */
	}
	conn_rearm(c);
	return true;
}

static void conn_flush(struct conn *c)
{
	bool slow = c->mode == M_SLOW;

	if (slow && c->next_byte > G.now)
		return;		/* the timer sends the next byte */
	if (!conn_send(c, slow ? 1 : SIZE_MAX))
		return;
	if (c->out_off == c->out_len) {
		conn_sent(c);
	} else if (slow && !c->want_out) {
		c->next_byte = G.now + (uint64_t)c->slow_ms;
		conn_rearm(c);
	}
}

/* ---- protocols ----------------------------------------------------- */

static const char *greeting(enum proto p, bool wrong)
{
	switch (p) {
	case P_SMTP:
		return wrong ? "554 no service\r\n"
			     : "220 localhost ESMTP fakesvc\r\n";
	case P_FTP:
		return wrong ? "554 no service\r\n"
			     : "220 fakesvc FTP ready\r\n";
	case P_POP3:
		return wrong ? "-ERR fakesvc POP3 unavailable\r\n"
			     : "+OK fakesvc POP3 ready\r\n";
	case P_IMAP:
		return wrong ? "* BYE fakesvc IMAP4rev1 unavailable\r\n"
			     : "* OK fakesvc IMAP4rev1 ready\r\n";
	default:
		return "";
	}
}

/* Replies to a command line; verb NULL is the fallback.  "%s" is the
 * IMAP tag. */
static const struct reply {
	enum proto proto;
	const char *verb;
	const char *text;
	bool last;
} replies[] = {
	{ P_SMTP, "QUIT", "221 2.0.0 fakesvc closing connection\r\n", true },
	{ P_SMTP, "EHLO", "250-localhost\r\n250 HELP\r\n", false },
	{ P_SMTP, "HELO", "250 localhost\r\n", false },
	{ P_SMTP, NULL, "250 2.0.0 OK\r\n", false },
	{ P_FTP, "QUIT", "221 Goodbye\r\n", true },
	{ P_FTP, "USER", "331 Password required\r\n", false },
	{ P_FTP, "PASS", "230 Logged in\r\n", false },
	{ P_FTP, NULL, "502 Command not implemented\r\n", false },
	{ P_POP3, "QUIT", "+OK fakesvc POP3 signing off\r\n", true },
	{ P_POP3, NULL, "+OK\r\n", false },
	{ P_IMAP, "LOGOUT", "* BYE fakesvc logging out\r\n%s OK LOGOUT completed\r\n", true },
	{ P_IMAP, "CAPABILITY", "* CAPABILITY IMAP4rev1\r\n%s OK CAPABILITY completed\r\n", false },
	{ P_IMAP, NULL, "%s OK completed\r\n", false },
};

static const struct reply *reply_find(enum proto p, const char *verb)
{
	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
		const struct reply *r = &replies[i];

		if (r->proto == p && (!r->verb || !strcasecmp(r->verb, verb)))
			return r;
	}
	return NULL;
}

/* Split "TAG VERB ..." (IMAP) or "VERB ..." into its first words. */
static void line_words(char *line, bool tagged, const char **tag,
		       const char **verb)
{
	char *save = NULL;
	const char *w1 = strtok_r(line, " \t", &save);
	const char *w2 = w1 ? strtok_r(NULL, " \t", &save) : NULL;

	*tag = tagged && w1 ? w1 : "*";
	*verb = (tagged ? w2 : w1);
	if (!*verb)
		*verb = "";
}

static void line_answer(struct conn *c, char *line)
{
	const char *tag, *verb;
	const struct reply *r;

	line_words(line, c->proto == P_IMAP, &tag, &verb);
	r = reply_find(c->proto, verb);
	if (!r)
		return;
	if (!conn_printf(c, r->text, tag)) {
		conn_close(c);
		return;
	}
	c->last_word = r->last;
	conn_flush(c);
}

static void line_input(struct conn *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n && c->phase == PH_TALK && !c->h.dead; i++) {
		if (p[i] != '\n' && c->in_len < sizeof c->in - 1) {
			c->in[c->in_len++] = p[i];
			continue;
		}
		if (p[i] != '\n')
			continue;	/* overlong line: keep its start */
		if (c->in_len && c->in[c->in_len - 1] == '\r')
			c->in_len--;
		c->in[c->in_len] = '\0';
		c->in_len = 0;
		line_answer(c, c->in);
	}
}

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default:  return "Status";
	}
}

static void http_answer(struct conn *c)
{
	int status = c->mode == M_WRONG ? 503 : c->http_status;
	const char *body = status < 400 ? "ok" : "error";

	conn_printf(c, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n%s", status, http_reason(status),
		    strlen(body), body);
	c->last_word = true;
	conn_flush(c);
}

static void http_input(struct conn *c, const char *p, size_t n)
{
	static const char end[] = "\r\n\r\n";

	for (size_t i = 0; i < n && c->crlf < 4; i++) {
		if (p[i] == end[c->crlf])
			c->crlf++;
		else
			c->crlf = p[i] == '\r';
		if (c->crlf == 4)
			http_answer(c);
	}
}

static size_t put_le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return (size_t)bytes;
}

/* Fill the 3-byte length and the sequence number; queue the packet. */
static bool mysql_send(struct conn *c, unsigned char *p, size_t n, int seq)
{
	put_le(p, (uint32_t)(n - 4), 3);
	p[3] = (unsigned char)seq;
	return conn_queue(c, p, n);
}

static size_t mysql_scramble(struct conn *c, unsigned char *p, int n, int from)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)('A' + (c->id * 7 + (uint32_t)(from + i) * 13) % 58);
	return (size_t)n;
}

/* Protocol 10 initial handshake, as a 5.7 server sends it. */
static bool mysql_greeting(struct conn *c)
{
	static const char version[] = "5.7.0-fakesvc";
	static const char plugin[] = "mysql_native_password";
	const uint32_t caps = 0x000fa20f;	/* PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, ... */
	unsigned char p[128];
	size_t n = 4;

	p[n++] = 10;
	memcpy(p + n, version, sizeof version);
	n += sizeof version;
	n += put_le(p + n, c->id, 4);
	n += mysql_scramble(c, p + n, 8, 0);
	p[n++] = 0;
	n += put_le(p + n, caps & 0xffff, 2);
	p[n++] = 0x21;			/* utf8_general_ci */
	n += put_le(p + n, 0x0002, 2);	/* SERVER_STATUS_AUTOCOMMIT */
	n += put_le(p + n, caps >> 16, 2);
	p[n++] = 21;			/* auth data length */
	memset(p + n, 0, 10);
	n += 10;
	n += mysql_scramble(c, p + n, 12, 8);
	p[n++] = 0;
	memcpy(p + n, plugin, sizeof plugin);
	n += sizeof plugin;
	return mysql_send(c, p, n, 0);
}

static bool mysql_error(struct conn *c, int seq)
{
	static const char msg[] = "#08004Too many connections";
	unsigned char p[64];
	size_t n = 4;

	p[n++] = 0xff;
	n += put_le(p + n, 1040, 2);
	memcpy(p + n, msg, sizeof msg - 1);
	n += sizeof msg - 1;
	return mysql_send(c, p, n, seq);
}

static bool mysql_ok(struct conn *c, int seq)
{
	unsigned char p[] = { 0, 0, 0, 0, 0x00, 0, 0, 0x02, 0, 0, 0 };

	return mysql_send(c, p, sizeof p, seq);
}

/* Whole packets from the client: COM_QUIT closes, anything else
 * (the handshake response, a ping, a query) gets an OK. */
static void mysql_input(struct conn *c, const char *p, size_t n)
{
	const unsigned char *in = (const unsigned char *)c->in;

	if (n > sizeof c->in - c->in_len) {
		conn_close(c);
		return;
	}
	memcpy(c->in + c->in_len, p, n);
	c->in_len += n;
	while (c->in_len >= 4 && !c->h.dead) {
		size_t len = in[0] | in[1] << 8 | (size_t)in[2] << 16;
		int seq = in[3];

		if (len + 4 > sizeof c->in) {
			conn_close(c);
			return;
		}
		if (c->in_len < len + 4)
			return;
		if (seq == 0 && len >= 1 && in[4] == 0x01) {
			conn_close(c);
			return;
		}
		memmove(c->in, c->in + len + 4, c->in_len - len - 4);
		c->in_len -= len + 4;
		if (mysql_ok(c, seq + 1))
			conn_flush(c);
	}
}

/* ---- connections: life cycle -------------------------------------- */

static void conn_hold(struct conn *c, uint64_t ms)
{
	c->phase = PH_HOLD;
	conn_set_deadline(c, ms);
}

static bool conn_greet(struct conn *c)
{
	bool wrong = c->mode == M_WRONG;

	if (c->proto == P_MYSQL)
		return wrong ? mysql_error(c, 0) : mysql_greeting(c);
	return conn_printf(c, "%s", greeting(c->proto, wrong));
}

static void conn_begin(struct conn *c)
{
	if (c->proto == P_SILENT || c->mode == M_HANG) {
		conn_hold(c, HOLD_MAX_MS);
	} else if (c->proto == P_TCP) {
		if (c->mode == M_WRONG)
			conn_reset(c);
		else
			conn_hold(c, TCP_HOLD_MS);
	} else if (c->proto == P_HTTP) {
		conn_set_deadline(c, IDLE_MS);	/* the client speaks first */
	} else if (!conn_greet(c)) {
		conn_close(c);
	} else {
		c->last_word = c->mode == M_WRONG;
		conn_set_deadline(c, IDLE_MS);	/* a peer that never reads */
		conn_flush(c);
	}
}

static void conn_open(struct server *s, int fd)
{
	struct conn *c = xrealloc(NULL, sizeof *c);

	memset(c, 0, sizeof *c);
	c->h = (struct handle){ .kind = K_CONN, .fd = fd };
	c->srv = s;
	c->proto = s->proto;
	c->mode = s->mode;
	c->slow_ms = s->slow_ms;
	c->http_status = s->http_status;
	c->id = ++G.next_id;
	c->phase = PH_TALK;
	if (epoll_set(&c->h, EPOLLIN, EPOLL_CTL_ADD) < 0) {
		close(fd);
		free(c);
		return;
	}
	handle_live(&c->h);
	conn_begin(c);
}

static void conn_input(struct conn *c, const char *p, size_t n)
{
	if (c->phase != PH_TALK)
		return;		/* holding or draining: ignore what comes */
	if (!c->next_byte && !c->want_out)
		conn_set_deadline(c, IDLE_MS);
	if (c->proto == P_HTTP)
		http_input(c, p, n);
	else if (c->proto == P_MYSQL)
		mysql_input(c, p, n);
	else
		line_input(c, p, n);
}

static void conn_readable(struct conn *c)
{
	char buf[4096];

	while (!c->h.dead) {
		ssize_t n = recv(c->h.fd, buf, sizeof buf, 0);

		if (n > 0) {
			conn_input(c, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == 0 && !c->peer_gone && c->out_off < c->out_len) {
			c->peer_gone = true;	/* half-closed: say the rest */
			conn_events(c);		/* and stop polling its EOF */
			return;
		}
		conn_close(c);	/* end of stream or error: the peer left */
	}
}

static void conn_event(struct conn *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_readable(c);
	if (!c->h.dead && (events & EPOLLOUT)) {
		c->next_byte = 0;
		conn_want_out(c, false);
		conn_flush(c);
	}
}

static void conn_timer(struct conn *c)
{
	if (c->next_byte && c->next_byte <= G.now) {
		c->next_byte = 0;
		conn_flush(c);
		if (c->h.dead)
			return;
	}
	if (c->deadline && c->deadline <= G.now)
		conn_close(c);
	else
		conn_rearm(c);
}

static void timers_run(void)
{
	while (G.nheap && G.heap[0]->wake <= G.now) {
		struct conn *c = G.heap[0];

		heap_remove(c);
		conn_timer(c);
	}
}

static int timers_wait_ms(void)
{
	uint64_t w;

	if (!G.nheap)
		return -1;
	w = G.heap[0]->wake;
	if (w <= G.now)
		return 0;
	return w - G.now > INT_MAX ? INT_MAX : (int)(w - G.now);
}

/* ---- listeners ----------------------------------------------------- */

/* Out of descriptors: accept and drop one connection on the reserve
 * descriptor, so the level-triggered listener does not spin. */
static void server_shed(struct server *s)
{
	int fd;

	if (!G.shed_warned)
		fprintf(stderr, "fakesvc: out of descriptors, dropping "
			"connections (first on %s)\n", s->name);
	G.shed_warned = true;
	if (G.reserve_fd < 0)
		return;
	close(G.reserve_fd);
	fd = accept(s->h.fd, NULL, NULL);
	if (fd >= 0)
		close(fd);
	G.reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void server_accept(struct server *s)
{
	for (int i = 0; i < ACCEPT_BURST; i++) {
		int fd = accept4(s->h.fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			int err = errno;

			if (err == EINTR || err == ECONNABORTED)
				continue;
			if (err == EMFILE || err == ENFILE)
				server_shed(s);
			return;
		}
		s->accepted++;
		conn_open(s, fd);
	}
}

static void addr_with_port(struct sockaddr_storage *a, int port)
{
	*a = G.addr;
	if (a->ss_family == AF_INET6)
		((struct sockaddr_in6 *)a)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)a)->sin_port = htons((uint16_t)port);
}

static int bound_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof a;

	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	if (a.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
	return ntohs(((struct sockaddr_in *)&a)->sin_port);
}

static void set_reuseaddr(int fd, int on)
{
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

/* A TCP socket bound to addr:port, not listening, or -1 with errno set.
 * SO_REUSEADDR: the port may still have connections of an earlier
 * listener (open or in TIME-WAIT), which must not stop a restart. */
static int tcp_bind(const struct sockaddr_storage *a, socklen_t len)
{
	int fd, err;

	fd = socket(a->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	set_reuseaddr(fd, 1);
	if (bind(fd, (const struct sockaddr *)a, len) == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* A listening socket on addr:port, or -1 with errno set. */
static int tcp_listen(const struct sockaddr_storage *a, socklen_t len)
{
	int fd = tcp_bind(a, len), err;

	if (fd < 0 || listen(fd, 511) == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Listen on the socket "stop" left bound, else on a new one.  On failure
 * a held socket stays held. */
static int server_listen(struct server *s)
{
	struct sockaddr_storage a;
	int fd = s->hold_fd, err;

	if (fd >= 0) {
		/* cleared while held (see server_stop); without it listen()
		 * fails with EADDRINUSE while the old listener's connections
		 * are about, and the connections it accepts inherit it */
		set_reuseaddr(fd, 1);
		if (listen(fd, 511) < 0)
			return -1;
		s->hold_fd = -1;
	} else {
		addr_with_port(&a, s->port);
		fd = tcp_listen(&a, G.addrlen);
		if (fd < 0)
			return -1;
	}
	s->h.fd = fd;
	if (s->port == 0)
		s->port = bound_port(fd);
	if (epoll_set(&s->h, EPOLLIN, EPOLL_CTL_ADD) == 0)
		return 0;
	err = errno;
	close(fd);
	s->h.fd = -1;
	errno = err;
	return -1;
}

/*
 * A stopped server refuses connections yet keeps its port, so that no
 * other process (another test binding thousands of ports) takes it and
 * answers in its place.  A socket cannot stop listening, so the listener
 * is closed (connections still queued are reset) and a new socket bound
 * to the same address and port at once, without listen(): the kernel
 * answers a SYN for a port with no listener with a reset, as for a closed
 * one.  SO_REUSEADDR is needed for that bind (connections of the old
 * listener are still there) and cleared after it: a bound socket that
 * keeps it lets another SO_REUSEADDR socket bind and even listen on the
 * same address and port; without it every such bind fails with
 * EADDRINUSE.  "start" calls listen() on the held socket.
 *
 * -1 with errno when the port could not be held: the server is stopped
 * all the same, and "start" binds anew.
 */
static int server_stop(struct server *s)
{
	struct sockaddr_storage a;

	if (s->h.fd < 0)
		return 0;
	close(s->h.fd);		/* also leaves the epoll set */
	s->h.fd = -1;
	addr_with_port(&a, s->port);
	s->hold_fd = tcp_bind(&a, G.addrlen);
	if (s->hold_fd < 0)
		return -1;
	set_reuseaddr(s->hold_fd, 0);
	return 0;
}

/* At exit: the listener or the held socket. */
static void server_close(struct server *s)
{
	if (s->h.fd >= 0)
		close(s->h.fd);
	if (s->hold_fd >= 0)
		close(s->hold_fd);
	s->h.fd = s->hold_fd = -1;
}

static int listen_all(void)
{
	int failed = 0;

	for (size_t i = 0; i < G.nsrv; i++) {
		struct server *s = &G.srv[i];

		if (server_listen(s) == 0)
			continue;
		fprintf(stderr, "fakesvc: %s: %s: cannot listen on %s port %d: %s\n",
			s->origin, s->name, G.addr_text, s->port, strerror(errno));
		failed++;
	}
	return failed ? -1 : 0;
}

/* ---- server specs -------------------------------------------------- */

static int proto_parse(const char *s)
{
	for (int i = 0; i < P_COUNT; i++)
		if (!strcmp(s, proto_names[i]))
			return i;
	return -1;
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > MAX_NAME)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_.-") == n;
}

static struct server *server_add(void)
{
	struct server *s;

	if (G.nsrv == G.capsrv) {
		G.capsrv = G.capsrv ? 2 * G.capsrv : 64;
		G.srv = xrealloc(G.srv, G.capsrv * sizeof *G.srv);
	}
	s = &G.srv[G.nsrv++];
	memset(s, 0, sizeof *s);
	s->h = (struct handle){ .kind = K_LISTENER, .fd = -1 };
	s->hold_fd = -1;
	s->http_status = 200;
	return s;
}

/* NAME=PROTO:PORT[:STATUS] into *out; NULL or what is wrong. */
static const char *spec_split(char *text, struct server *out)
{
	char *eq = strchr(text, '='), *save = NULL;
	char *proto, *port, *status;
	long pr = -1, po = -1, st = 200;

	if (!eq)
		return "expected NAME=PROTO:PORT";
	*eq = '\0';
	if (!name_valid(text))
		return "bad server name (letters, digits, _ . - up to 63)";
	proto = strtok_r(eq + 1, ":", &save);
	port = strtok_r(NULL, ":", &save);
	status = strtok_r(NULL, "", &save);
	if (proto)
		pr = proto_parse(proto);
	if (pr < 0)
		return "unknown protocol (tcp smtp pop3 imap ftp http mysql silent)";
	if (port)
		po = parse_num(port, 0, 65535);
	if (po < 0)
		return "port must be 0..65535";
	if (status && (st = parse_num(status, 100, 999)) < 0)
		return "HTTP status must be 100..999";
	out->name = text;
	out->proto = (enum proto)pr;
	out->port = (int)po;
	out->http_status = (int)st;
	return NULL;
}

/* Errors are counted and parsing goes on, so one run shows them all. */
static void spec_parse(char *text, const char *origin)
{
	struct server tmp = { .name = NULL }, *s;
	char *copy = xstrdup(text);
	const char *err = spec_split(copy, &tmp);

	if (err) {
		fprintf(stderr, "fakesvc: %s: %s: %s\n", origin, text, err);
		G.errors++;
		free(copy);
		return;
	}
	s = server_add();
	s->name = xstrdup(tmp.name);
	s->origin = xstrdup(origin);
	s->proto = tmp.proto;
	s->port = tmp.port;
	s->http_status = tmp.http_status;
	free(copy);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void spec_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, origin[PATH_MAX + 32];
	size_t cap = 0;
	unsigned lineno = 0;

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		char *t = trim(line);

		lineno++;
		if (*t == '\0' || *t == '#')
			continue;
		snprintf(origin, sizeof origin, "%s:%u", path, lineno);
		spec_parse(t, origin);
	}
	free(line);
	fclose(f);
}

static int name_cmp(const void *a, const void *b)
{
	const struct server *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Called once the server array no longer moves. */
static void index_names(void)
{
	G.by_name = xrealloc(NULL, G.nsrv * sizeof *G.by_name);
	for (size_t i = 0; i < G.nsrv; i++)
		G.by_name[i] = &G.srv[i];
	qsort(G.by_name, G.nsrv, sizeof *G.by_name, name_cmp);
	for (size_t i = 1; i < G.nsrv; i++) {
		if (strcmp(G.by_name[i - 1]->name, G.by_name[i]->name))
			continue;
		fprintf(stderr, "fakesvc: %s: server %s already defined at %s\n",
			G.by_name[i]->origin, G.by_name[i]->name,
			G.by_name[i - 1]->origin);
		G.errors++;
	}
}

static struct server *server_find(const char *name)
{
	struct server key = { .name = (char *)name }, *kp = &key, **found;

	found = bsearch(&kp, G.by_name, G.nsrv, sizeof *G.by_name, name_cmp);
	return found ? *found : NULL;
}

/* ---- control channel ----------------------------------------------- */

static void ctl_printf(struct ctl *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (k->out_len + (size_t)n + 1 > k->out_cap) {
		k->out_cap = 2 * (k->out_len + (size_t)n + 1);
		k->out = xrealloc(k->out, k->out_cap);
	}
	va_start(ap, fmt);
	vsnprintf(k->out + k->out_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	k->out_len += (size_t)n;
}

static void ctl_close(struct ctl *k)
{
	free(k->in);
	free(k->out);
	k->in = k->out = NULL;
	handle_bury(&k->h);
}

static void ctl_flush(struct ctl *k)
{
	while (k->out_off < k->out_len) {
		ssize_t n = send(k->h.fd, k->out + k->out_off,
				 k->out_len - k->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			ctl_close(k);
			return;
		}
		k->out_off += (size_t)n;
	}
	if (k->out_off == k->out_len) {
		k->out_off = k->out_len = 0;
		if (k->eof) {
			ctl_close(k);
			return;
		}
	}
	epoll_set(&k->h, (k->eof ? 0 : EPOLLIN) |
		  (k->out_len ? EPOLLOUT : 0), EPOLL_CTL_MOD);
}

static void list_push(struct server ***list, size_t *n, size_t *cap,
		      struct server *s)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*list = xrealloc(*list, *cap * sizeof **list);
	}
	(*list)[(*n)++] = s;
}

/* The servers named by argv (names or globs), all of them or none. */
static struct server **select_servers(int argc, char **argv, size_t *count,
				      char *err, size_t errlen)
{
	struct server **list = NULL, *s;
	size_t n = 0, cap = 0;

	for (int i = 0; i < argc; i++) {
		size_t before = n;

		if (!strpbrk(argv[i], "*?[")) {
			if ((s = server_find(argv[i])) != NULL)
				list_push(&list, &n, &cap, s);
		} else {
			for (size_t j = 0; j < G.nsrv; j++)
				if (!fnmatch(argv[i], G.srv[j].name, 0))
					list_push(&list, &n, &cap, &G.srv[j]);
		}
		if (n == before) {
			snprintf(err, errlen, "no server %s", argv[i]);
			free(list);
			return NULL;
		}
	}
	*count = n;
	return list;
}

static const char *mode_text(const struct server *s, char *buf, size_t len)
{
	static const char *const names[] = { "normal", "hang", "wrong", "slow" };

	if (s->h.fd < 0)
		return "stopped";
	if (s->mode != M_SLOW)
		return names[s->mode];
	snprintf(buf, len, "slow:%d", s->slow_ms);
	return buf;
}

static void status_line(struct ctl *k, const struct server *s)
{
	char buf[32];

	ctl_printf(k, "%s %s %d %s %lu\n", s->name, proto_names[s->proto],
		   s->port, mode_text(s, buf, sizeof buf), s->accepted);
}

/* One command on a selection; arg is the trailing number, if any. */
static int apply(const char *cmd, struct server *s, long arg, char *err,
		 size_t errlen)
{
	if (!strcmp(cmd, "stop")) {
		if (server_stop(s) < 0) {
			snprintf(err, errlen, "%s: stopped, but port %d not held: %s",
				 s->name, s->port, strerror(errno));
			return -1;
		}
	} else if (!strcmp(cmd, "start")) {
		if (s->h.fd < 0 && server_listen(s) < 0) {
			snprintf(err, errlen, "%s: cannot listen on port %d: %s",
				 s->name, s->port, strerror(errno));
			return -1;
		}
	} else if (!strcmp(cmd, "code")) {
		s->http_status = (int)arg;
	} else {
		s->mode = !strcmp(cmd, "hang") ? M_HANG :
			  !strcmp(cmd, "wrong") ? M_WRONG :
			  !strcmp(cmd, "slow") ? M_SLOW : M_NORMAL;
		s->slow_ms = (int)arg;
	}
	return 0;
}

static const struct command {
	const char *name;
	int min_args;
	long num_lo, num_hi;	/* a trailing number is wanted when hi > 0 */
} commands[] = {
	{ "ping", 0, 0, 0 },
	{ "status", 0, 0, 0 },
	{ "stop", 1, 0, 0 },
	{ "start", 1, 0, 0 },
	{ "normal", 1, 0, 0 },
	{ "hang", 1, 0, 0 },
	{ "wrong", 1, 0, 0 },
	{ "slow", 2, 1, 600000 },
	{ "code", 2, 100, 999 },
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void ctl_status(struct ctl *k, int argc, char **argv, char *err,
		       size_t errlen)
{
	struct server **list = NULL;
	size_t n = 0;

	if (argc == 0) {
		for (size_t i = 0; i < G.nsrv; i++)
			status_line(k, &G.srv[i]);
		return;
	}
	list = select_servers(argc, argv, &n, err, errlen);
	for (size_t i = 0; list && i < n; i++)
		status_line(k, list[i]);
	free(list);
}

static void ctl_run(struct ctl *k, const struct command *cmd, int argc,
		    char **argv, char *err, size_t errlen)
{
	struct server **list = NULL;
	size_t n = 0;
	long num = 0;

	if (cmd->num_hi > 0) {
		num = parse_num(argv[--argc], cmd->num_lo, cmd->num_hi);
		if (num < 0) {
			snprintf(err, errlen, "%s: last argument must be %ld..%ld",
				 cmd->name, cmd->num_lo, cmd->num_hi);
			return;
		}
	}
	if (!strcmp(cmd->name, "status")) {
		ctl_status(k, argc, argv, err, errlen);
		return;
	}
	if (!strcmp(cmd->name, "ping"))
		return;
	list = select_servers(argc, argv, &n, err, errlen);
	for (size_t i = 0; list && i < n; i++) {
		char e[128];

		/* every server selected is acted on; the first error answers */
		if (apply(cmd->name, list[i], num, e, sizeof e) < 0 && !*err)
			snprintf(err, errlen, "%s", e);
	}
	free(list);
}

static void ctl_command(struct ctl *k, char *line)
{
	char **argv = xrealloc(NULL, (strlen(line) / 2 + 2) * sizeof *argv);
	char err[256] = "", *save = NULL;
	const struct command *cmd;
	int argc = 0;

	for (char *w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = w;
	if (argc == 0)
		goto out;	/* blank line */
	cmd = command_find(argv[0]);
	if (!cmd)
		snprintf(err, sizeof err, "unknown command %s", argv[0]);
	else if (argc - 1 < cmd->min_args)
		snprintf(err, sizeof err, "%s: missing arguments", argv[0]);
	else
		ctl_run(k, cmd, argc - 1, argv + 1, err, sizeof err);
	if (*err)
		ctl_printf(k, "error: %s\n", err);
	else
		ctl_printf(k, "ok\n");
out:
	free(argv);
}

static void ctl_lines(struct ctl *k)
{
	char *nl;

	while ((nl = memchr(k->in, '\n', k->in_len)) != NULL) {
		size_t len = (size_t)(nl - k->in) + 1;

		*nl = '\0';
		ctl_command(k, k->in);
		memmove(k->in, k->in + len, k->in_len - len);
		k->in_len -= len;
	}
}

static void ctl_readable(struct ctl *k)
{
	for (;;) {
		ssize_t n;

		if (k->in_len == CTL_IN_CAP - 1) {
			ctl_printf(k, "error: line too long\n");
			k->eof = true;
			break;
		}
		n = recv(k->h.fd, k->in + k->in_len, CTL_IN_CAP - 1 - k->in_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {	/* peer done: answer a last unterminated line */
			k->in[k->in_len] = '\n';
			k->in_len += k->in_len > 0;
			k->eof = true;
		} else {
			k->in_len += (size_t)n;
		}
		ctl_lines(k);
		if (k->eof)
			break;
	}
	ctl_flush(k);
}

static void ctl_accept(void)
{
	int fd = accept4(G.ctl_listener.fd, NULL, NULL,
			 SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct ctl *k;

	if (fd < 0)
		return;
	k = xrealloc(NULL, sizeof *k);
	memset(k, 0, sizeof *k);
	k->h = (struct handle){ .kind = K_CTL, .fd = fd };
	k->in = xrealloc(NULL, CTL_IN_CAP);
	handle_live(&k->h);
	if (epoll_set(&k->h, EPOLLIN, EPOLL_CTL_ADD) < 0)
		ctl_close(k);
}

static int unix_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof a->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a->sun_path, path);
	return 0;
}

/* A stale socket file is removed; a live one is someone else's. */
static int unix_listen(const char *path)
{
	struct sockaddr_un a;
	int fd, probe;

	if (unix_addr(path, &a) < 0)
		return -1;
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof a) == 0) {
		close(probe);
		errno = EADDRINUSE;
		return -1;
	}
	if (probe >= 0)
		close(probe);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 64) == 0)
		return fd;
	close(fd);
	return -1;
}

static void ctl_listen(const char *spec)
{
	long port = parse_num(spec, 1, 65535);
	int fd;

	if (port > 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
			.sin_port = htons((uint16_t)port),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		fd = tcp_listen((struct sockaddr_storage *)&a, sizeof a);
	} else {
		fd = unix_listen(spec);
		G.ctl_path = fd >= 0 ? spec : NULL;
	}
	if (fd < 0)
		die("control %s: %s", spec, strerror(errno));
	G.ctl_listener = (struct handle){ .kind = K_CTL_LISTENER, .fd = fd };
	if (epoll_set(&G.ctl_listener, EPOLLIN, EPOLL_CTL_ADD) < 0)
		die("epoll: %s", strerror(errno));
}

/* ---- process ------------------------------------------------------- */

/* Listeners take one descriptor each; what is left serves connections. */
static void raise_nofile(size_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		struct rlimit up = { want, want };

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return;	/* allowed to raise the hard limit (root) */
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		fprintf(stderr, "fakesvc: note: descriptor limit %lu leaves room "
			"for about %ld connections at once\n",
			(unsigned long)rl.rlim_cur,
			(long)rl.rlim_cur - (long)G.nsrv - 16);
}

static void signals_setup(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	G.sig = (struct handle){ .kind = K_SIGNAL,
		.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC) };
	if (G.sig.fd < 0 || epoll_set(&G.sig, EPOLLIN, EPOLL_CTL_ADD) < 0)
		die("signalfd: %s", strerror(errno));
}

static void addr_parse(const char *text)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)&G.addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&G.addr;

	memset(&G.addr, 0, sizeof G.addr);
	if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		G.addrlen = sizeof *a4;
	} else if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		G.addrlen = sizeof *a6;
	} else {
		die("-a %s: not an IPv4 or IPv6 address", text);
	}
	snprintf(G.addr_text, sizeof G.addr_text, "%s", text);
}

/* Written under a temporary name and renamed: a reader never sees half. */
static void write_pidfile(const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	fprintf(f, "%ld\n", (long)getpid());
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0)
		die("%s: %s", tmp, strerror(errno));
	if (rename(tmp, path) < 0)
		die("rename %s: %s", path, strerror(errno));
}

static void dispatch(struct handle *h, uint32_t events)
{
	if (h->dead)
		return;
	switch (h->kind) {
	case K_LISTENER:
		server_accept((struct server *)h);
		break;
	case K_CONN:
		conn_event((struct conn *)h, events);
		break;
	case K_CTL_LISTENER:
		ctl_accept();
		break;
	case K_CTL:
		if (events & EPOLLOUT)
			ctl_flush((struct ctl *)h);
		if (!h->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
			ctl_readable((struct ctl *)h);
		break;
	case K_SIGNAL:
		G.quit = true;
		break;
	}
}

/* Connections and control clients closed in this batch may still have
 * events in it; they are freed only after it. */
static void free_dead(void)
{
	while (G.dead) {
		struct handle *h = G.dead;

		G.dead = h->next_dead;
		handle_unlive(h);
		free(h);
	}
}

static void run(void)
{
	struct epoll_event ev[MAX_EVENTS];

	while (!G.quit) {
		int n = epoll_wait(G.ep, ev, MAX_EVENTS, timers_wait_ms());

		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		G.now = mono_ms();
		for (int i = 0; i < n; i++)
			dispatch(ev[i].data.ptr, ev[i].events);
		timers_run();
		free_dead();
	}
}

static void cleanup(void)
{
	if (G.pidfile)
		unlink(G.pidfile);
	if (G.ctl_path)
		unlink(G.ctl_path);
	for (size_t i = 0; i < G.nsrv; i++) {
		server_close(&G.srv[i]);
		free(G.srv[i].name);
		free(G.srv[i].origin);
	}
	free(G.srv);
	free(G.by_name);
	free(G.heap);
	free_dead();
	while (G.live != NULL) {
		struct handle *h = G.live;

		if (h->kind == K_CTL) {
			free(((struct ctl *)(void *)h)->in);
			free(((struct ctl *)(void *)h)->out);
		}
		if (h->fd >= 0)
			close(h->fd);
		handle_unlive(h);
		free(h);
	}
}

/* ---- client form (-x) ---------------------------------------------- */

static int client_addr(const char *ep, struct sockaddr_storage *a,
		       socklen_t *len)
{
	char host[256] = "127.0.0.1";
	const char *colon = strrchr(ep, ':');
	const char *port = colon ? colon + 1 : ep;
	long p = parse_num(port, 1, 65535);
	struct sockaddr_in *a4 = (struct sockaddr_in *)a;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)a;

	if (p < 0)
		return -1;
	if (colon)
		snprintf(host, sizeof host, "%.*s", (int)(colon - ep), ep);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)p);
		*len = sizeof *a4;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
		return -1;
	a6->sin6_family = AF_INET6;
	a6->sin6_port = htons((uint16_t)p);
	*len = sizeof *a6;
	return 0;
}

static int client_connect(const char *ep)
{
	struct sockaddr_storage a;
	socklen_t len = 0;
	int fd, err;

	/* a path: has a '/', or is neither a port nor HOST:PORT */
	if (strchr(ep, '/') || (!strchr(ep, ':') && parse_num(ep, 1, 65535) < 0)) {
		if (unix_addr(ep, (struct sockaddr_un *)&a) < 0)
			return -1;
		len = sizeof(struct sockaddr_un);
	} else if (client_addr(ep, &a, &len) < 0) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, len) == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* stdin → socket; false when stdin ended. */
static bool client_pump_in(int fd, bool keep)
{
	char buf[4096];
	ssize_t n = read(0, buf, sizeof buf);

	if (n > 0 && write_all(fd, buf, (size_t)n))
		return true;
	if (!keep)
		shutdown(fd, SHUT_WR);
	return false;
}

/* socket → stdout; returns an exit code, or -1 to go on. */
static int client_pump_out(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);

	if (n == 0)
		return 0;
	if (n < 0 && errno == EINTR)
		return -1;
	if (n < 0) {
		fprintf(stderr, "fakesvc: read: %s\n", strerror(errno));
		return 4;
	}
	return write_all(1, buf, (size_t)n) ? -1 : 4;
}

static int client_main(const char *ep, int idle_ms, bool keep)
{
	struct pollfd p[2];
	int fd = client_connect(ep), rc = -1;

	if (fd < 0) {
		fprintf(stderr, "fakesvc: connect %s: %s\n", ep, strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	p[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (rc < 0) {
		int n = poll(p, 2, idle_ms);

		if (n == 0) {
			fprintf(stderr, "fakesvc: %s: nothing for %d ms\n", ep, idle_ms);
			rc = 3;
		} else if (n > 0 && p[0].revents && !client_pump_in(fd, keep)) {
			p[0].fd = -1;
		} else if (n > 0 && p[1].revents) {
			rc = client_pump_out(fd);
		}
	}
	close(fd);
	return rc;
}

/* ---- main ---------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: fakesvc [-a ADDR] [-C CONTROL] [-p PIDFILE] [-f SPECFILE] "
	      "[NAME=PROTO:PORT[:STATUS] ...]\n"
	      "       fakesvc -x ENDPOINT [-w MS] [-k]\n"
	      "PROTO: tcp smtp pop3 imap ftp http mysql silent\n", stderr);
	exit(1);
}

struct options {
	const char *addr, *ctl, *pidfile, *specfile, *endpoint;
	int idle_ms;
	bool keep;
};

static void options_parse(int argc, char **argv, struct options *o)
{
	int ch;

	*o = (struct options){ .addr = "127.0.0.1", .idle_ms = 5000 };
	while ((ch = getopt(argc, argv, "a:C:p:f:x:w:kh")) != -1) {
		switch (ch) {
		case 'a': o->addr = optarg; break;
		case 'C': o->ctl = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'f': o->specfile = optarg; break;
		case 'x': o->endpoint = optarg; break;
		case 'w': o->idle_ms = (int)parse_num(optarg, 1, INT_MAX); break;
		case 'k': o->keep = true; break;
		default: usage();
		}
	}
	if (o->idle_ms < 0)
		usage();
}

static void specs_load(const struct options *o, int argc, char **argv)
{
	char origin[32];

	if (o->specfile)
		spec_file(o->specfile);
	for (int i = optind; i < argc; i++) {
		snprintf(origin, sizeof origin, "argument %d", i - optind + 1);
		spec_parse(argv[i], origin);
	}
	index_names();
	if (G.errors)
		exit(1);
}

int main(int argc, char **argv)
{
	struct options o;

	options_parse(argc, argv, &o);
	if (o.endpoint)
		return client_main(o.endpoint, o.idle_ms, o.keep);
	addr_parse(o.addr);
	specs_load(&o, argc, argv);
	raise_nofile(2 * G.nsrv + 256);
	G.ep = epoll_create1(EPOLL_CLOEXEC);
	if (G.ep < 0)
		die("epoll_create1: %s", strerror(errno));
	signals_setup();
	G.now = mono_ms();
	if (listen_all() < 0)
		return 1;
	if (o.ctl)
		ctl_listen(o.ctl);
	G.reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (o.pidfile) {
		write_pidfile(o.pidfile);
		G.pidfile = o.pidfile;
	}
	printf("ready %zu\n", G.nsrv);
	fflush(stdout);
	run();
	cleanup();
	return 0;
}
