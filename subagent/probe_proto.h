/*
 * probe_proto.h — what the probes say and how their answers are judged.
 *
 * Pure functions, no I/O: the engine (probe.c) reads a server's bytes
 * into one buffer and asks probe_proto_judge() after every read, with the
 * whole buffer each time.  A verdict therefore depends only on the bytes
 * received, never on how the network split them, and each parser is
 * tested on canned byte streams cut at every position.
 *
 * Error texts are what an operator reads in gdServerLastError: short,
 * lower case, the server's own words quoted with control bytes made
 * visible ("unexpected greeting: 554 no service").
 */
#ifndef GD_PROBE_PROTO_H
#define GD_PROBE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "gd_mib.h"

/* Bytes read per check: a server that sends more without a verdict is
 * flooding us and fails. */
#define PROBE_RX_MAX 4096

enum probe_verdict {
	PROBE_MORE,		/* incomplete: read on */
	PROBE_OK,
	PROBE_FAIL,		/* err says why */
};

/*
 * Judges the first len bytes a server sent (eof: it closed after them).
 * expect is the HTTP status wanted (http only).  Never returns PROBE_MORE
 * when eof is set or len reaches PROBE_RX_MAX.
 */
enum probe_verdict probe_proto_judge(enum gd_probe kind, unsigned expect,
				     const char *buf, size_t len, bool eof,
				     char *err, size_t errlen);

/* What the probe waits for, for timeout texts: "greeting", "HTTP status
 * line", "MySQL handshake"; "connection" for tcp. */
const char *probe_proto_awaits(enum gd_probe kind);

/* A farewell sent after the verdict, without waiting for the answer
 * ("QUIT\r\n"), or NULL. */
const char *probe_proto_goodbye(enum gd_probe kind);

/*
 * Writes the HTTP request for path on host:port into buf (HTTP/1.0,
 * Host, User-Agent greendot, Connection: close).  Returns its length, or
 * -1 when it does not fit or path could smuggle a header (spaces,
 * control bytes).
 */
int probe_proto_http_request(char *buf, size_t size, const char *host,
			     unsigned port, const char *path);

/* A heartbeat server's verdict at wall-clock time now. */
struct probe_heartbeat {
	bool seen;
	time_t when;
	unsigned status;	/* 0 success, else the job's failure */
};

enum probe_verdict probe_proto_heartbeat(const struct probe_heartbeat *hb,
					 double max_age, time_t now,
					 char *err, size_t errlen);

#endif
