/*
 * fixture.h — a data directory with known contents for the renderer's
 * tests: state.xml (gd_state_write), journal (gd_journal_append) and
 * RRD files (rrd_create_r, rrd_update_r) with a known history, so that
 * every availability figure is known exactly.
 *
 * The "aluminati" site is examples/aluminati.xml as the monitor would
 * see it at `now`: 4 services, 10 groups, 25 servers.  History: RRDs
 * from now - 3 days (a UTC midnight when now is one) to now, one sample
 * a minute.  With now at a UTC midnight every window is exact:
 *
 *   incoming-mail  down from 12 h to 6 h ago    24 h 75.000%, else 91.666%
 *   client-access  no data before 48 h ago,     24 h 95.833%, else 97.916%
 *                  down from 3 h to 2 h ago
 *   web-access     always up                    100%
 *   hosting-service  no RRD file                no data
 *
 * With corpus set, titles, descriptions, last errors and journal
 * details carry the escaping corpus (markup, quotes, "]]>", control
 * characters, invalid and long UTF-8).
 *
 * A generated site (servers > 0): that many servers in groups of 10,
 * three areas, four services, `history` seconds of RRD data (server
 * RRDs only with server_rrds).
 */
#ifndef TEST_RENDER_FIXTURE_H
#define TEST_RENDER_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* 2010-07-31T00:00:00Z (01:00 in Europe/London) */
#define FIXTURE_NOW 1280534400

struct fixture_opts {
	time_t now;
	bool corpus;
	size_t servers;		/* 0: the aluminati site */
	time_t history;		/* generated site: seconds of RRD data */
	bool server_rrds;	/* generated site: RRDs for servers too */
};

/* Writes datadir/{state.xml,journal,rrd/...}.  0, or -1 (printed). */
int fixture_write(const char *datadir, const struct fixture_opts *o);

/* The escaping corpus, NULL-terminated (the long one built on first
 * use). */
const char *const *fixture_corpus(void);

#endif
