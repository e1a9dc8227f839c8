/*
 * fuzz_probe.c — each probe's response parser (subagent/probe_proto.c,
 * probe_proto_judge) on any bytes a server may send, and the HTTP
 * request builder on any path.
 *
 * Input: byte 0 picks the probe (tcp, smtp, pop3, imap, http, ftp,
 * mysql), bytes 1-2 the HTTP status expected, bytes 3-4 a cut point,
 * the rest is what the server sent.
 *
 * Beyond "no crash": what probe_proto.h promises.  The error text is a
 * printable, NUL-terminated DisplayString; no "more" at eof or at
 * PROBE_RX_MAX bytes; and a verdict depends only on the bytes, not on
 * how the network cut them: once the bytes up to the cut give a
 * verdict, the whole gives the same verdict and the same text.
 */
#include "fuzz.h"

#include "probe_proto.h"

#define ERRLEN 128

static enum probe_verdict judge(enum gd_probe kind, unsigned expect,
				const char *buf, size_t len, bool eof,
				char *err)
{
	enum probe_verdict v;

	memset(err, 'X', ERRLEN);
	err[0] = '\0';
	v = probe_proto_judge(kind, expect, buf, len, eof, err, ERRLEN);
	FZ_ASSERT(v == PROBE_MORE || v == PROBE_OK || v == PROBE_FAIL);
	if (v == PROBE_FAIL)
		FZ_ASSERT(err[0] != '\0' && fz_printable(err, ERRLEN));
	if (eof || len >= PROBE_RX_MAX)
		FZ_ASSERT(v != PROBE_MORE);
	return v;
}

static void check_stream(enum gd_probe kind, unsigned expect,
			 const char *buf, size_t len, size_t cut)
{
	char err_cut[ERRLEN], err_all[ERRLEN], err_eof[ERRLEN];
	enum probe_verdict at_cut, all, eof;

	if (len > PROBE_RX_MAX)
		len = PROBE_RX_MAX;
	if (cut > len)
		cut = len;
	at_cut = judge(kind, expect, buf, cut, false, err_cut);
	all = judge(kind, expect, buf, len, false, err_all);
	eof = judge(kind, expect, buf, len, true, err_eof);
	if (at_cut != PROBE_MORE) {
		FZ_ASSERT(all == at_cut);
		FZ_ASSERT(at_cut == PROBE_OK || strcmp(err_cut, err_all) == 0);
	}
	/* at PROBE_RX_MAX the length decided, not the bytes: the close
	 * that follows may say something else */
	if (all != PROBE_MORE && len < PROBE_RX_MAX) {
		FZ_ASSERT(eof == all);
		FZ_ASSERT(all == PROBE_OK || strcmp(err_all, err_eof) == 0);
	}
	FZ_ASSERT(probe_proto_awaits(kind) != NULL);
	(void)probe_proto_goodbye(kind);
}

/* The request line and headers stay what the builder writes, whatever
 * the path: no header smuggled in. */
static void check_request(const char *path)
{
	char req[512];
	int n = probe_proto_http_request(req, sizeof req, "web1.example",
					 8080, path);
	size_t lf = 0, cr = 0;

	if (n < 0)
		return;
	FZ_ASSERT((size_t)n == strlen(req));
	for (int i = 0; i < n; i++) {
		cr += req[i] == '\r';
		if (req[i] == '\n') {
			FZ_ASSERT(i > 0 && req[i - 1] == '\r');
			lf++;
		}
	}
	FZ_ASSERT(lf == 5 && cr == 5);
	FZ_ASSERT(strncmp(req, "GET /", 5) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum gd_probe kinds[] = {
		GD_PROBE_TCP, GD_PROBE_SMTP, GD_PROBE_POP3, GD_PROBE_IMAP,
		GD_PROBE_HTTP, GD_PROBE_FTP, GD_PROBE_MYSQL,
	};
	struct fz_in in = { data, size };
	enum gd_probe kind = kinds[fz_u8(&in) % 7];
	unsigned expect = ((unsigned)fz_u8(&in) << 8 | fz_u8(&in)) % 1000;
	size_t cut = (size_t)fz_u8(&in) << 8 | fz_u8(&in);
	/* exactly the server's bytes: ASan sees a read past them */
	char *buf = malloc(in.n ? in.n : 1);
	char *path;

	if (buf == NULL)
		abort();
	memcpy(buf, in.p, in.n);
	check_stream(kind, expect, buf, in.n, cut);
	free(buf);
	path = fz_cstr(in.p, in.n < 400 ? in.n : 400);
	check_request(path);
	free(path);
	return 0;
}
