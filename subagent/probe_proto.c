/*
 * probe_proto.c — greetings, status lines and handshakes; see probe_proto.h.
 *
 * Each parser looks at the whole of what arrived so far and answers
 * "more", "ok" or "fail".  Line-based protocols decide on complete lines
 * only, so the text quoted in an error is the server's whole line and a
 * greeting cut by the network is never judged on its first half.
 */
#include "probe_proto.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define QUOTE_MAX 72		/* bytes of a server's words kept in an error */
#define UNEXPECTED "unexpected greeting"
#define PROBE_USER_AGENT "greendot"
#define MYSQL_PROTOCOL_V10 10
#define MYSQL_ERR_PACKET 0xff

struct input {
	const unsigned char *buf;
	size_t len;
	unsigned expect;
};

struct line {
	const char *s;
	size_t n;		/* without the line end */
};

struct proto {
	enum probe_verdict (*judge)(const struct input *in, char *err,
				    size_t errlen);
	const char *awaits;
	const char *goodbye;
	bool text;		/* quote a partial answer when it stops */
};

/* --- error texts ------------------------------------------------------ */

static enum probe_verdict fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum probe_verdict fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PROBE_FAIL;
}

/* A server's words made safe for a DisplayString: printable ASCII kept,
 * anything else shown as '?', long text cut with "...". */
static void quote(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, max = size - 1;

	if (n > max)
		max -= 3;
	for (i = 0; i < n && i < max; i++)
		dst[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	if (i < n) {
		memcpy(dst + i, "...", 3);
		i += 3;
	}
	dst[i] = '\0';
}

static enum probe_verdict fail_quoted(char *err, size_t errlen,
				      const char *what, const struct line *l)
{
	char q[QUOTE_MAX + 1];

	quote(q, sizeof q, l->s, l->n);
	return fail(err, errlen, "%s: %s", what, q);
}

/* --- lines ------------------------------------------------------------ */

/* The complete line at *pos ("\r\n" or a bare "\n"); advances *pos. */
static bool next_line(const struct input *in, size_t *pos, struct line *l)
{
	const char *s = (const char *)in->buf + *pos;
	const char *nl = memchr(s, '\n', in->len - *pos);

	if (nl == NULL)
		return false;
	l->s = s;
	l->n = (size_t)(nl - s);
	if (l->n > 0 && s[l->n - 1] == '\r')
		l->n--;
	*pos += (size_t)(nl - s) + 1;
	return true;
}

/* l starts with the word w, followed by a space or the end of line. */
static bool starts_word(const struct line *l, const char *w, bool icase)
{
	size_t n = strlen(w);

	if (l->n < n)
		return false;
	if (icase ? strncasecmp(l->s, w, n) != 0 : memcmp(l->s, w, n) != 0)
		return false;
	return l->n == n || l->s[n] == ' ';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* --- the protocols ---------------------------------------------------- */

static enum probe_verdict judge_tcp(const struct input *in, char *err,
				    size_t errlen)
{
	(void)in, (void)err, (void)errlen;
	return PROBE_OK;	/* the connection was the test */
}

/*
 * SMTP and FTP (RFC 5321 4.2, RFC 959 4.2): "220-text" lines continue,
 * "220 text" (or a bare "220") ends the greeting.  Any other code, on
 * any line, is a refusal ("554 no service") or not the protocol at all.
 */
static enum probe_verdict judge_220(const struct input *in, char *err,
				    size_t errlen)
{
	struct line l;
	size_t pos = 0;

	while (next_line(in, &pos, &l)) {
		bool more = l.n > 3 && l.s[3] == '-';
		bool ours = more ? memcmp(l.s, "220", 3) == 0
				 : starts_word(&l, "220", false);

		if (!ours)
			return fail_quoted(err, errlen, UNEXPECTED, &l);
		if (!more)
			return PROBE_OK;
	}
	return PROBE_MORE;
}

/* POP3 (RFC 1939 4): "+OK" is a greeting, "-ERR" a refusal. */
static enum probe_verdict judge_pop3(const struct input *in, char *err,
				     size_t errlen)
{
	struct line l;
	size_t pos = 0;

	if (!next_line(in, &pos, &l))
		return PROBE_MORE;
	if (starts_word(&l, "+OK", false))
		return PROBE_OK;
	return fail_quoted(err, errlen, UNEXPECTED, &l);
}

/* IMAP (RFC 3501 7.1): "* OK" or "* PREAUTH" greet, "* BYE" refuses;
 * atoms are case-insensitive. */
static enum probe_verdict judge_imap(const struct input *in, char *err,
				     size_t errlen)
{
	struct line l;
	size_t pos = 0;

	if (!next_line(in, &pos, &l))
		return PROBE_MORE;
	if (starts_word(&l, "* OK", true) || starts_word(&l, "* PREAUTH", true))
		return PROBE_OK;
	return fail_quoted(err, errlen, UNEXPECTED, &l);
}

/* "HTTP/" 1*DIGIT ["." 1*DIGIT] SP 3DIGIT [SP reason]; *code_at is the
 * offset of the code.  Lenient on the version, strict on the code. */
static bool http_status(const struct line *l, size_t *code_at, unsigned *code)
{
	size_t i = 5;

	if (l->n < 5 || memcmp(l->s, "HTTP/", 5) != 0)
		return false;
	while (i < l->n && (is_digit(l->s[i]) || l->s[i] == '.'))
		i++;
	if (i == 5 || i + 4 > l->n || l->s[i] != ' ')
		return false;
	i++;
	if (!is_digit(l->s[i]) || !is_digit(l->s[i + 1]) ||
	    !is_digit(l->s[i + 2]) || (i + 3 < l->n && l->s[i + 3] != ' '))
		return false;
	*code_at = i;
	*code = (unsigned)((l->s[i] - '0') * 100 + (l->s[i + 1] - '0') * 10 +
			   (l->s[i + 2] - '0'));
	return true;
}

static enum probe_verdict judge_http(const struct input *in, char *err,
				     size_t errlen)
{
	struct line l, rest;
	size_t pos = 0, at;
	unsigned code;
	char q[QUOTE_MAX + 1];

	if (!next_line(in, &pos, &l))
		return PROBE_MORE;
	if (!http_status(&l, &at, &code))
		return fail_quoted(err, errlen, "malformed HTTP status line",
				   &l);
	if (code == in->expect)
		return PROBE_OK;
	rest = (struct line){ l.s + at, l.n - at };
	quote(q, sizeof q, rest.s, rest.n);
	return fail(err, errlen, "HTTP status %s, expected %u", q, in->expect);
}

static unsigned le(const unsigned char *p, size_t n)
{
	unsigned v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* A server's error packet (0xff, code, ["#" sqlstate], message): before
 * the handshake the server cannot know whether we speak 4.1, so the
 * sqlstate may or may not be there. */
static enum probe_verdict mysql_error(const unsigned char *p, size_t n,
				      char *err, size_t errlen)
{
	struct line msg;
	char q[QUOTE_MAX + 1];

	if (n < 3)
		return fail(err, errlen, "malformed MySQL error packet");
	msg = (struct line){ (const char *)p + 3, n - 3 };
	if (msg.n >= 6 && msg.s[0] == '#') {	/* "#HY000" */
		msg.s += 6;
		msg.n -= 6;
	}
	quote(q, sizeof q, msg.s, msg.n);
	return fail(err, errlen, "MySQL error %u: %s", le(p + 1, 2), q);
}

/* Protocol 10 handshake: version, NUL, thread id (4), scramble (8),
 * filler (1) at least. */
static enum probe_verdict mysql_v10(const unsigned char *p, size_t n,
				    char *err, size_t errlen)
{
	const unsigned char *nul = memchr(p + 1, '\0', n - 1);

	if (nul == NULL || (size_t)(nul - p) + 1 + 4 + 8 + 1 > n)
		return fail(err, errlen,
			    "malformed MySQL handshake (packet of %zu bytes)",
			    n);
	return PROBE_OK;
}

/*
 * MySQL (client/server protocol, "Initial Handshake"): the server speaks
 * first with packet 0: 3 bytes little-endian length, sequence 0, then
 * protocol version 10 or an error packet.  The length is known after 4
 * bytes, so an SMTP banner or a flood fails at once.
 */
static enum probe_verdict judge_mysql(const struct input *in, char *err,
				      size_t errlen)
{
	const unsigned char *p = in->buf + 4;
	char q[8];
	size_t n;

	if (in->len < 4)
		return PROBE_MORE;
	n = le(in->buf, 3);
	if (n == 0 || n > PROBE_RX_MAX - 4 || in->buf[3] != 0) {
		/* the header alone decided: quote just it, whatever followed */
		quote(q, sizeof q, (const char *)in->buf, 4);
		return fail(err, errlen, "not a MySQL handshake: \"%s\"", q);
	}
	if (in->len < 4 + n)
		return PROBE_MORE;
	if (p[0] == MYSQL_ERR_PACKET)
		return mysql_error(p, n, err, errlen);
	if (p[0] != MYSQL_PROTOCOL_V10)
		return fail(err, errlen, "unsupported MySQL protocol version %u",
			    p[0]);
	return mysql_v10(p, n, err, errlen);
}

static const struct proto protos[] = {
	[GD_PROBE_TCP] = { judge_tcp, "connection", NULL, false },
	[GD_PROBE_SMTP] = { judge_220, "greeting", "QUIT\r\n", true },
	[GD_PROBE_FTP] = { judge_220, "greeting", "QUIT\r\n", true },
	[GD_PROBE_POP3] = { judge_pop3, "greeting", "QUIT\r\n", true },
	[GD_PROBE_IMAP] = { judge_imap, "greeting", "a1 LOGOUT\r\n", true },
	[GD_PROBE_HTTP] = { judge_http, "HTTP status line", NULL, true },
	[GD_PROBE_MYSQL] = { judge_mysql, "MySQL handshake", NULL, false },
};

static const struct proto *proto_of(enum gd_probe kind)
{
	size_t k = (size_t)kind;

	if (k >= sizeof protos / sizeof protos[0] || protos[k].judge == NULL)
		return NULL;
	return &protos[k];
}

/* --- the entry points ------------------------------------------------- */

static enum probe_verdict closed_early(const struct proto *pr,
				       const struct input *in, char *err,
				       size_t errlen)
{
	struct line l = { (const char *)in->buf, in->len };
	char q[QUOTE_MAX + 1];

	if (in->len == 0)
		return fail(err, errlen, "connection closed before %s",
			    pr->awaits);
	if (!pr->text)
		return fail(err, errlen,
			    "connection closed during %s (%zu bytes)",
			    pr->awaits, in->len);
	quote(q, sizeof q, l.s, l.n);
	return fail(err, errlen, "connection closed during %s: %s", pr->awaits,
		    q);
}

enum probe_verdict probe_proto_judge(enum gd_probe kind, unsigned expect,
				     const char *buf, size_t len, bool eof,
				     char *err, size_t errlen)
{
	const struct proto *pr = proto_of(kind);
	struct input in = { (const unsigned char *)buf, len, expect };
	enum probe_verdict v;

	if (pr == NULL)
		return fail(err, errlen, "probe %d has no protocol", (int)kind);
	v = pr->judge(&in, err, errlen);
	if (v != PROBE_MORE)
		return v;
	if (eof)
		return closed_early(pr, &in, err, errlen);
	if (len >= PROBE_RX_MAX)
		return fail(err, errlen, "%s longer than %d bytes", pr->awaits,
			    PROBE_RX_MAX);
	return PROBE_MORE;
}

const char *probe_proto_awaits(enum gd_probe kind)
{
	const struct proto *pr = proto_of(kind);

	return pr != NULL ? pr->awaits : "answer";
}

const char *probe_proto_goodbye(enum gd_probe kind)
{
	const struct proto *pr = proto_of(kind);

	return pr != NULL ? pr->goodbye : NULL;
}

/* Spaces and control bytes would end the request line or start a header
 * of their own. */
static bool path_safe(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c <= ' ' || *c >= 0x7f)
			return false;
	return true;
}

int probe_proto_http_request(char *buf, size_t size, const char *host,
			     unsigned port, const char *path)
{
	bool v6 = strchr(host, ':') != NULL;	/* a literal needs brackets */
	char portstr[8] = "";
	int n;

	if (!path_safe(path))
		return -1;
	if (port != 80)
		snprintf(portstr, sizeof portstr, ":%u", port);
	n = snprintf(buf, size,
		     "GET %s HTTP/1.0\r\n"
		     "Host: %s%s%s%s\r\n"
		     "User-Agent: " PROBE_USER_AGENT "\r\n"
		     "Connection: close\r\n"
		     "\r\n",
		     path, v6 ? "[" : "", host, v6 ? "]" : "", portstr);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

enum probe_verdict probe_proto_heartbeat(const struct probe_heartbeat *hb,
					 double max_age, time_t now,
					 char *err, size_t errlen)
{
	double age;

	if (!hb->seen)
		return fail(err, errlen, "no heartbeat received");
	if (hb->status != 0)
		return fail(err, errlen,
			    "last heartbeat reported failure (status %u)",
			    hb->status);
	age = difftime(now, hb->when);
	if (age > max_age)
		return fail(err, errlen,
			    "last heartbeat %.0f s ago, max-age %g s", age,
			    max_age);
	return PROBE_OK;
}
