/*
 * timefmt.h — the times greendot shows and reads.
 *
 * ISO 8601 for files and feeds, and the seed page's uptime phrase.
 *
 * Uptime phrase rule (gd_duration_phrase), whole units rounded down:
 *   0 s .. 59 s          "less than a minute"
 *   60 s .. 3599 s       "N minute(s)"      (1 minute .. 59 minutes)
 *   3600 s .. 86399 s    "N hour(s)"        (1 hour .. 23 hours)
 *   86400 s and more     "N day(s)"         (1 day, 2 days, ...)
 * so a member reads "online for 42 minutes / 5 hours / 3 days" as on the
 * seed; the boundaries are tested in tests/unit/common/test_timefmt.c.
 */
#ifndef GD_TIMEFMT_H
#define GD_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "2026-11-28T23:15:06Z" (utc) or "2026-11-28T23:15:06+01:00" (local). */
size_t gd_time_iso8601(char *buf, size_t len, time_t t, bool utc);

/*
 * Parses "YYYY-MM-DDTHH:MM[:SS][.frac](Z|+HH:MM|-HH:MM)"; a time without
 * an offset is refused (a news file must say which zone it means).
 * Returns 0, or -1 with errno EINVAL.
 */
int gd_time_parse_iso8601(const char *s, time_t *out);

/* "42 minutes", by the rule above. */
size_t gd_duration_phrase(char *buf, size_t len, uint64_t seconds);

/* The 11-octet SNMP DateAndTime (RFC 2579) of t in UTC, and back. */
void gd_time_to_dateandtime(time_t t, unsigned char out[11]);
int gd_time_from_dateandtime(const unsigned char *in, size_t len,
			     time_t *out);

#endif
