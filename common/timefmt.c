/*
 * timefmt.c — ISO 8601, DateAndTime and the uptime phrase; see timefmt.h.
 */
#include "timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t gd_time_iso8601(char *buf, size_t len, time_t t, bool utc)
{
	struct tm tm;
	char zone[24] = "Z";
	long off;
	int n;

	if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL)
		return 0;
	if (!utc) {
		off = tm.tm_gmtoff / 60;
		snprintf(zone, sizeof zone, "%c%02ld:%02ld",
			 off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	}
	/* not strftime's %Y: it writes the year 210 as "210", which no
	 * reader of ISO 8601 (ours included) takes */
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, zone);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* n digits at *s into *v; advances *s. */
static int digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return 0;
}

static int expect(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

static int parse_offset(const char **s, long *off)
{
	int sign, h, m;

	if (**s == 'Z') {
		(*s)++;
		*off = 0;
		return 0;
	}
	if (**s != '+' && **s != '-')
		return -1;
	sign = **s == '-' ? -1 : 1;
	(*s)++;
	if (digits(s, 2, &h) < 0 || expect(s, ':') < 0 || digits(s, 2, &m) < 0)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

/* Days of month mo (1..12) in year y, proleptic Gregorian. */
static int days_in_month(int y, int mo)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : mdays[mo - 1];
}

int gd_time_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec = 0;
	long off;

	memset(&tm, 0, sizeof tm);
	if (digits(&s, 4, &y) < 0 || expect(&s, '-') < 0 ||
	    digits(&s, 2, &mo) < 0 || expect(&s, '-') < 0 ||
	    digits(&s, 2, &d) < 0 || expect(&s, 'T') < 0 ||
	    digits(&s, 2, &h) < 0 || expect(&s, ':') < 0 ||
	    digits(&s, 2, &mi) < 0)
		goto bad;
	if (*s == ':' && (s++, digits(&s, 2, &sec) < 0))
		goto bad;
	if (*s == '.' || *s == ',')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	if (parse_offset(&s, &off) < 0 || *s != '\0')
		goto bad;
	/* the day checked here, not after timegm: a leap second
	 * (23:59:60, sec 60) rightly moves into the next day */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

size_t gd_duration_phrase(char *buf, size_t len, uint64_t seconds)
{
	const char *unit;
	uint64_t n;
	int w;

	if (seconds < 60) {
		w = snprintf(buf, len, "less than a minute");
		return w < 0 ? 0 : (size_t)w;
	}
	if (seconds < 3600) {
		n = seconds / 60;
		unit = "minute";
	} else if (seconds < 86400) {
		n = seconds / 3600;
		unit = "hour";
	} else {
		n = seconds / 86400;
		unit = "day";
	}
	w = snprintf(buf, len, "%llu %s%s", (unsigned long long)n, unit,
		     n == 1 ? "" : "s");
	return w < 0 ? 0 : (size_t)w;
}

void gd_time_to_dateandtime(time_t t, unsigned char out[11])
{
	struct tm tm;
	int year;

	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	out[0] = (unsigned char)(year >> 8);
	out[1] = (unsigned char)(year & 0xff);
	out[2] = (unsigned char)(tm.tm_mon + 1);
	out[3] = (unsigned char)tm.tm_mday;
	out[4] = (unsigned char)tm.tm_hour;
	out[5] = (unsigned char)tm.tm_min;
	out[6] = (unsigned char)(tm.tm_sec > 59 ? 59 : tm.tm_sec);
	out[7] = 0;	/* deci-seconds */
	out[8] = '+';
	out[9] = 0;
	out[10] = 0;
}

int gd_time_from_dateandtime(const unsigned char *in, size_t len, time_t *out)
{
	struct tm tm;
	long off = 0;

	if (len != 8 && len != 11)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = ((in[0] << 8) | in[1]) - 1900;
	tm.tm_mon = in[2] - 1;
	tm.tm_mday = in[3];
	tm.tm_hour = in[4];
	tm.tm_min = in[5];
	tm.tm_sec = in[6];
	/* all zeros: "not known" (the MIB says so for LastChange) */
	if (tm.tm_year == -1900 && in[2] == 0) {
		*out = 0;
		return 0;
	}
	/* no 31 February: timegm would make it 3 March */
	if (in[2] < 1 || in[2] > 12 || in[3] < 1 ||
	    in[3] > days_in_month(tm.tm_year + 1900, in[2]) || in[4] > 23 ||
	    in[5] > 59 || in[6] > 60)
		return -1;
	if (len == 11) {
		if (in[8] != '+' && in[8] != '-')
			return -1;
		off = (in[9] * 3600L + in[10] * 60L) * (in[8] == '-' ? -1 : 1);
	}
	*out = timegm(&tm) - off;
	return 0;
}
