/*
 * test_probe_proto.c — the protocol parsers on canned byte streams.
 *
 * Each row is what a server sent, whether it then closed, and the
 * verdict and error text expected.  Every row is also judged on each of
 * its prefixes (the network may cut a greeting anywhere): a prefix is
 * either still incomplete or already has the full stream's verdict, and
 * a prefix followed by EOF always has a verdict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probe_proto.h"

#define ERRLEN 128		/* as gd_probe_result.error */
#define B(s) s, sizeof(s) - 1	/* bytes with NULs: text and length */

struct row {
	const char *name;
	enum gd_probe kind;
	unsigned expect;
	const char *data;
	size_t len;
	bool eof;
	enum probe_verdict v;
	const char *err;	/* exact text, for PROBE_FAIL */
};

/* A MySQL 8.0 server's first packet (protocol 10). */
#define MYSQL_HELLO \
	"J\x00\x00\x00" "\x0a" "8.0.36\x00" "\x08\x00\x00\x00" "abcdefgh" \
	"\x00" "\xff\xff" "\xff" "\x02\x00" "\xff\xdf" "\x15" \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "ijklmnopqrst\x00" \
	"caching_sha2_password\x00"
/* Refused before the handshake: no sqlstate. */
#define MYSQL_DENIED \
	"A\x00\x00\x00" "\xff" "j\x04" \
	"Host '10.0.0.9' is not allowed to connect to this MySQL server"
/* With a sqlstate marker. */
#define MYSQL_TOO_MANY \
	"\x1d\x00\x00\x00" "\xff\x10\x04" "#08004Too many connections"

static const struct row rows[] = {
	/* SMTP and FTP */
	{ "smtp greeting", GD_PROBE_SMTP, 0,
	  B("220 mx.example.com ESMTP Postfix\r\n"), false, PROBE_OK, NULL },
	{ "smtp multi-line", GD_PROBE_SMTP, 0,
	  B("220-mx.example.com ESMTP\r\n220-no UCE\r\n220 ready\r\n"), false,
	  PROBE_OK, NULL },
	{ "smtp bare code", GD_PROBE_SMTP, 0, B("220\r\n"), false, PROBE_OK,
	  NULL },
	{ "smtp bare LF", GD_PROBE_SMTP, 0, B("220 ok\n"), false, PROBE_OK,
	  NULL },
	{ "smtp extra after greeting", GD_PROBE_SMTP, 0,
	  B("220 ok\r\n250 what\r\n"), false, PROBE_OK, NULL },
	{ "smtp wrong code", GD_PROBE_SMTP, 0, B("554 no service\r\n"), false,
	  PROBE_FAIL, "unexpected greeting: 554 no service" },
	{ "smtp code changes", GD_PROBE_SMTP, 0,
	  B("220-hello\r\n554 go away\r\n"), false, PROBE_FAIL,
	  "unexpected greeting: 554 go away" },
	{ "smtp four digits", GD_PROBE_SMTP, 0, B("2200 x\r\n"), false,
	  PROBE_FAIL, "unexpected greeting: 2200 x" },
	{ "smtp ssh banner", GD_PROBE_SMTP, 0, B("SSH-2.0-OpenSSH_9.2\r\n"),
	  false, PROBE_FAIL, "unexpected greeting: SSH-2.0-OpenSSH_9.2" },
	{ "smtp binary garbage", GD_PROBE_SMTP, 0, B("\x00\x01\xfe\x7f\r\n"),
	  false, PROBE_FAIL, "unexpected greeting: ????" },
	{ "smtp empty", GD_PROBE_SMTP, 0, B(""), true, PROBE_FAIL,
	  "connection closed before greeting" },
	{ "smtp closed mid-line", GD_PROBE_SMTP, 0, B("220 mx"), true,
	  PROBE_FAIL, "connection closed during greeting: 220 mx" },
	{ "smtp closed mid-multi-line", GD_PROBE_SMTP, 0, B("220-a\r\n"), true,
	  PROBE_FAIL, "connection closed during greeting: 220-a??" },
	{ "smtp incomplete", GD_PROBE_SMTP, 0, B("220 mx.exa"), false,
	  PROBE_MORE, NULL },
	{ "ftp greeting", GD_PROBE_FTP, 0, B("220 (vsFTPd 3.0.3)\r\n"), false,
	  PROBE_OK, NULL },
	{ "ftp busy", GD_PROBE_FTP, 0, B("421 Too many users\r\n"), false,
	  PROBE_FAIL, "unexpected greeting: 421 Too many users" },

	/* POP3 and IMAP */
	{ "pop3 greeting", GD_PROBE_POP3, 0, B("+OK Dovecot ready.\r\n"), false,
	  PROBE_OK, NULL },
	{ "pop3 bare +OK", GD_PROBE_POP3, 0, B("+OK\r\n"), false, PROBE_OK,
	  NULL },
	{ "pop3 refusal", GD_PROBE_POP3, 0, B("-ERR [SYS/TEMP] unavailable\r\n"),
	  false, PROBE_FAIL,
	  "unexpected greeting: -ERR [SYS/TEMP] unavailable" },
	{ "pop3 +OKAY", GD_PROBE_POP3, 0, B("+OKAY\r\n"), false, PROBE_FAIL,
	  "unexpected greeting: +OKAY" },
	{ "pop3 smtp server", GD_PROBE_POP3, 0, B("220 mx ESMTP\r\n"), false,
	  PROBE_FAIL, "unexpected greeting: 220 mx ESMTP" },
	{ "imap greeting", GD_PROBE_IMAP, 0,
	  B("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n"), false, PROBE_OK,
	  NULL },
	{ "imap lower case", GD_PROBE_IMAP, 0, B("* ok hi\r\n"), false,
	  PROBE_OK, NULL },
	{ "imap preauth", GD_PROBE_IMAP, 0, B("* PREAUTH welcome\r\n"), false,
	  PROBE_OK, NULL },
	{ "imap bye", GD_PROBE_IMAP, 0, B("* BYE shutting down\r\n"), false,
	  PROBE_FAIL, "unexpected greeting: * BYE shutting down" },
	{ "imap tagged", GD_PROBE_IMAP, 0, B("a1 OK\r\n"), false, PROBE_FAIL,
	  "unexpected greeting: a1 OK" },
	{ "imap empty", GD_PROBE_IMAP, 0, B(""), true, PROBE_FAIL,
	  "connection closed before greeting" },

	/* HTTP */
	{ "http 200", GD_PROBE_HTTP, 200,
	  B("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), false, PROBE_OK,
	  NULL },
	{ "http/1.0 200", GD_PROBE_HTTP, 200, B("HTTP/1.0 200 OK\r\n"), false,
	  PROBE_OK, NULL },
	{ "http no reason", GD_PROBE_HTTP, 200, B("HTTP/1.1 200\r\n"), false,
	  PROBE_OK, NULL },
	{ "http 301 expected", GD_PROBE_HTTP, 301,
	  B("HTTP/1.1 301 Moved Permanently\r\n"), false, PROBE_OK, NULL },
	{ "http 503", GD_PROBE_HTTP, 200,
	  B("HTTP/1.1 503 Service Unavailable\r\n"), false, PROBE_FAIL,
	  "HTTP status 503 Service Unavailable, expected 200" },
	{ "http 200 but 301 expected", GD_PROBE_HTTP, 301,
	  B("HTTP/1.1 200 OK\r\n"), false, PROBE_FAIL,
	  "HTTP status 200 OK, expected 301" },
	{ "http 503 expected", GD_PROBE_HTTP, 503,
	  B("HTTP/1.1 503 Service Unavailable\r\n"), false, PROBE_OK, NULL },
	{ "http short code", GD_PROBE_HTTP, 200, B("HTTP/1.1 20 OK\r\n"), false,
	  PROBE_FAIL, "malformed HTTP status line: HTTP/1.1 20 OK" },
	{ "http long code", GD_PROBE_HTTP, 200, B("HTTP/1.1 2000 OK\r\n"),
	  false, PROBE_FAIL, "malformed HTTP status line: HTTP/1.1 2000 OK" },
	{ "http no version", GD_PROBE_HTTP, 200, B("HTTP/ 200 OK\r\n"), false,
	  PROBE_FAIL, "malformed HTTP status line: HTTP/ 200 OK" },
	{ "http no space", GD_PROBE_HTTP, 200, B("HTTP/1.1200 OK\r\n"), false,
	  PROBE_FAIL, "malformed HTTP status line: HTTP/1.1200 OK" },
	{ "http html", GD_PROBE_HTTP, 200, B("<html>\r\n"), false, PROBE_FAIL,
	  "malformed HTTP status line: <html>" },
	{ "http closed", GD_PROBE_HTTP, 200, B("HTTP/1.1 2"), true, PROBE_FAIL,
	  "connection closed during HTTP status line: HTTP/1.1 2" },

	/* MySQL */
	{ "mysql handshake", GD_PROBE_MYSQL, 0, B(MYSQL_HELLO), false,
	  PROBE_OK, NULL },
	{ "mysql host denied", GD_PROBE_MYSQL, 0, B(MYSQL_DENIED), false,
	  PROBE_FAIL, "MySQL error 1130: Host '10.0.0.9' is not allowed to "
	  "connect to this MySQL server" },
	{ "mysql sqlstate", GD_PROBE_MYSQL, 0, B(MYSQL_TOO_MANY), false,
	  PROBE_FAIL, "MySQL error 1040: Too many connections" },
	{ "mysql truncated", GD_PROBE_MYSQL, 0, MYSQL_HELLO, 30, true,
	  PROBE_FAIL, "connection closed during MySQL handshake (30 bytes)" },
	{ "mysql incomplete", GD_PROBE_MYSQL, 0, MYSQL_HELLO, 30, false,
	  PROBE_MORE, NULL },
	{ "mysql empty", GD_PROBE_MYSQL, 0, B(""), true, PROBE_FAIL,
	  "connection closed before MySQL handshake" },
	{ "mysql short v10", GD_PROBE_MYSQL, 0,
	  B("\x03\x00\x00\x00" "\x0a" "5\x00"), false, PROBE_FAIL,
	  "malformed MySQL handshake (packet of 3 bytes)" },
	{ "mysql no version end", GD_PROBE_MYSQL, 0,
	  B("\x05\x00\x00\x00" "\x0a" "5.7."), false, PROBE_FAIL,
	  "malformed MySQL handshake (packet of 5 bytes)" },
	{ "mysql protocol 9", GD_PROBE_MYSQL, 0,
	  B("\x05\x00\x00\x00" "\x09" "abcd"), false, PROBE_FAIL,
	  "unsupported MySQL protocol version 9" },
	{ "mysql short error", GD_PROBE_MYSQL, 0, B("\x02\x00\x00\x00\xff\x01"),
	  false, PROBE_FAIL, "malformed MySQL error packet" },
	{ "mysql smtp banner", GD_PROBE_MYSQL, 0, B("220 mx ESMTP\r\n"), false,
	  PROBE_FAIL, "not a MySQL handshake: \"220 \"" },
	{ "mysql sequence 1", GD_PROBE_MYSQL, 0,
	  B("\x05\x00\x00\x01" "\x0a" "5\x00\x00\x00"), false, PROBE_FAIL,
	  "not a MySQL handshake: \"????\"" },
	{ "mysql oversize packet", GD_PROBE_MYSQL, 0,
	  B("\xfd\x0f\x00\x00" "\x0a"), false, PROBE_FAIL,
	  "not a MySQL handshake: \"????\"" },

	/* TCP: the connection was all */
	{ "tcp", GD_PROBE_TCP, 0, B(""), false, PROBE_OK, NULL },
};

static void check_row(const struct row *r, const char *data, size_t len,
		      bool eof)
{
	char err[ERRLEN] = "";
	enum probe_verdict v;

	v = probe_proto_judge(r->kind, r->expect, data, len, eof, err,
			      sizeof err);
	if (v != r->v)
		fail_msg("%s: verdict %d, expected %d (%s)", r->name, v, r->v,
			 err);
	if (r->v == PROBE_FAIL && strcmp(err, r->err) != 0)
		fail_msg("%s: error \"%s\", expected \"%s\"", r->name, err,
			 r->err);
}

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_row(&rows[i], rows[i].data, rows[i].len, rows[i].eof);
}

/* Every prefix of a row: undecided until some length, then decided for
 * good with the same words; and with EOF after it, decided. */
static void check_prefixes(const struct row *r)
{
	char err[ERRLEN], first[ERRLEN] = "";
	enum probe_verdict decided = PROBE_MORE, v;

	for (size_t k = 0; k <= r->len; k++) {
		v = probe_proto_judge(r->kind, r->expect, r->data, k, false,
				      err, sizeof err);
		if (v == PROBE_MORE && decided != PROBE_MORE)
			fail_msg("%s: undecided again at %zu bytes", r->name, k);
		if (v != PROBE_MORE && decided == PROBE_MORE) {
			decided = v;
			memcpy(first, err, sizeof err);
		}
		if (v != decided ||
		    (v == PROBE_FAIL && strcmp(err, first) != 0))
			fail_msg("%s: changed its mind at %zu bytes: %s",
				 r->name, k, err);
		v = probe_proto_judge(r->kind, r->expect, r->data, k, true,
				      err, sizeof err);
		if (v == PROBE_MORE)
			fail_msg("%s: no verdict at EOF after %zu bytes",
				 r->name, k);
	}
}

static void test_split_everywhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_prefixes(&rows[i]);
}

/* A server that floods without ever completing fails at the cap. */
#define TOO_LONG "greeting longer than 4096 bytes"
static void test_oversize(void **state)
{
	static char flood[PROBE_RX_MAX];
	static const struct {
		enum gd_probe kind;
		const char *line;
		const char *err;
	} cases[] = {
		{ GD_PROBE_SMTP, "220-more\r\n", TOO_LONG },
		{ GD_PROBE_SMTP, "xxxxxxxx", TOO_LONG },
		{ GD_PROBE_POP3, "+OK", TOO_LONG },
		{ GD_PROBE_IMAP, "* OK", TOO_LONG },
		{ GD_PROBE_HTTP, "HTTP/1.1 ",
		  "HTTP status line longer than 4096 bytes" },
	};
	char err[ERRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].line);

		for (size_t k = 0; k < sizeof flood; k++)
			flood[k] = cases[i].line[k % n];
		assert_int_equal(probe_proto_judge(cases[i].kind, 200, flood,
						   sizeof flood - 1, false, err,
						   sizeof err),
				 PROBE_MORE);
		assert_int_equal(probe_proto_judge(cases[i].kind, 200, flood,
						   sizeof flood, false, err,
						   sizeof err),
				 PROBE_FAIL);
		assert_string_equal(err, cases[i].err);
	}
}

/* Long or binary words of a server are cut and made printable. */
static void test_quote(void **state)
{
	char line[300], err[ERRLEN];
	size_t n;

	(void)state;
	memset(line, 'z', sizeof line);
	memcpy(line, "554 ", 4);
	line[sizeof line - 2] = '\r';
	line[sizeof line - 1] = '\n';
	assert_int_equal(probe_proto_judge(GD_PROBE_SMTP, 0, line, sizeof line,
					   false, err, sizeof err),
			 PROBE_FAIL);
	n = strlen(err);
	assert_true(n < sizeof err);
	assert_memory_equal(err, "unexpected greeting: 554 zzz", 28);
	assert_string_equal(err + n - 3, "...");
}

static void test_http_request(void **state)
{
	char buf[512];
	int n;

	(void)state;
	n = probe_proto_http_request(buf, sizeof buf, "www.example.com", 80,
				     "/");
	assert_string_equal(buf, "GET / HTTP/1.0\r\n"
			    "Host: www.example.com\r\n"
			    "User-Agent: greendot\r\n"
			    "Connection: close\r\n\r\n");
	assert_int_equal(n, (int)strlen(buf));
	probe_proto_http_request(buf, sizeof buf, "127.0.0.1", 8080,
				 "/health?full=1");
	assert_non_null(strstr(buf, "GET /health?full=1 HTTP/1.0\r\n"
			       "Host: 127.0.0.1:8080\r\n"));
	probe_proto_http_request(buf, sizeof buf, "::1", 8080, "/");
	assert_non_null(strstr(buf, "\r\nHost: [::1]:8080\r\n"));
	assert_int_equal(probe_proto_http_request(buf, sizeof buf, "h", 80,
						  "/a b"), -1);
	assert_int_equal(probe_proto_http_request(buf, sizeof buf, "h", 80,
						  "/a\r\nX-Evil: 1"), -1);
	assert_int_equal(probe_proto_http_request(buf, sizeof buf, "h", 80,
						  "index.html"), -1);
	assert_int_equal(probe_proto_http_request(buf, 20, "h", 80, "/"), -1);
}

static void test_heartbeat(void **state)
{
	static const struct {
		const char *name;
		struct probe_heartbeat hb;
		enum probe_verdict v;
		const char *err;
	} cases[] = {
		{ "none", { false, 0, 0 }, PROBE_FAIL, "no heartbeat received" },
		{ "fresh", { true, 1000 - 5, 0 }, PROBE_OK, NULL },
		{ "at max-age", { true, 1000 - 60, 0 }, PROBE_OK, NULL },
		{ "too old", { true, 1000 - 61, 0 }, PROBE_FAIL,
		  "last heartbeat 61 s ago, max-age 60 s" },
		{ "failed job", { true, 1000 - 5, 3 }, PROBE_FAIL,
		  "last heartbeat reported failure (status 3)" },
		{ "from the future", { true, 1000 + 30, 0 }, PROBE_OK, NULL },
	};
	char err[ERRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum probe_verdict v = probe_proto_heartbeat(&cases[i].hb, 60,
							     1000, err,
							     sizeof err);

		if (v != cases[i].v)
			fail_msg("%s: verdict %d", cases[i].name, v);
		if (v == PROBE_FAIL)
			assert_string_equal(err, cases[i].err);
	}
}

static void test_goodbye(void **state)
{
	(void)state;
	assert_string_equal(probe_proto_goodbye(GD_PROBE_SMTP), "QUIT\r\n");
	assert_string_equal(probe_proto_goodbye(GD_PROBE_FTP), "QUIT\r\n");
	assert_string_equal(probe_proto_goodbye(GD_PROBE_POP3), "QUIT\r\n");
	assert_string_equal(probe_proto_goodbye(GD_PROBE_IMAP),
			    "a1 LOGOUT\r\n");
	assert_null(probe_proto_goodbye(GD_PROBE_HTTP));
	assert_null(probe_proto_goodbye(GD_PROBE_MYSQL));
	assert_null(probe_proto_goodbye(GD_PROBE_TCP));
	assert_null(probe_proto_goodbye(GD_PROBE_HEARTBEAT));
	assert_string_equal(probe_proto_awaits(GD_PROBE_MYSQL),
			    "MySQL handshake");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_goodbye),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
