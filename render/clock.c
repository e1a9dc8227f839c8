/*
 * clock.c — now, the zone's name, shown times; see clock.h.
 */
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZONEINFO "zoneinfo/"

time_t clock_now(void)
{
	const char *s = getenv(CLOCK_NOW_ENV);
	char *end;
	long long v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

/* "Area/City" part of a TZ value or a zoneinfo path; NULL if none. */
static const char *area_city(const char *tz)
{
	const char *z;

	if (tz[0] == ':')
		tz++;
	z = strstr(tz, ZONEINFO);
	if (z != NULL)
		tz = z + strlen(ZONEINFO);
	if (tz[0] == '/' || strchr(tz, '/') == NULL)
		return NULL;
	return tz;
}

static int copy_name(char *buf, size_t len, const char *name)
{
	const char *z = name ? area_city(name) : NULL;

	if (z == NULL || strlen(z) >= len)
		return -1;
	snprintf(buf, len, "%s", z);
	return 0;
}

/* First line of /etc/timezone (Debian) into buf. */
static int from_etc_timezone(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/timezone", "r");
	int rc = -1;

	if (f == NULL)
		return -1;
	if (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n \t")] = '\0';
		rc = copy_name(buf, len, line);
	}
	fclose(f);
	return rc;
}

static int from_localtime_link(char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);

	if (n <= 0)
		return -1;
	target[n] = '\0';
	return copy_name(buf, len, target);
}

void clock_zone_name(char *buf, size_t len, time_t now)
{
	const char *tz = getenv("TZ");
	struct tm tm;

	if (tz != NULL) {
		if (copy_name(buf, len, tz) == 0)
			return;
	} else if (from_etc_timezone(buf, len) == 0 ||
		   from_localtime_link(buf, len) == 0) {
		return;
	}
	localtime_r(&now, &tm);
	snprintf(buf, len, "%s", tm.tm_zone ? tm.tm_zone : "UTC");
}

void clock_show(char *buf, size_t len, time_t t, time_t now,
		enum clock_fmt fmt)
{
	static const char *const formats[] = {
		[CLOCK_DATE] = "%d %b %Y",
		[CLOCK_DATETIME] = "%d %b %Y %H:%M",
		[CLOCK_SHORT] = "%d %b %H:%M",
		[CLOCK_HM] = "%H:%M",
		[CLOCK_FULL] = "%d %b %Y %H:%M %Z",
	};
	struct tm tm, tn;
	const char *f = formats[fmt];

	localtime_r(&t, &tm);
	localtime_r(&now, &tn);
	if (fmt == CLOCK_SHORT && tm.tm_year != tn.tm_year)
		f = formats[CLOCK_DATETIME];
	if (strftime(buf, len, f, &tm) == 0 && len > 0)
		buf[0] = '\0';
	/* "05 Aug" reads better as "5 Aug" */
	if (buf[0] == '0' && fmt != CLOCK_HM)
		memmove(buf, buf + 1, strlen(buf));
}

int clock_same_day(time_t a, time_t b)
{
	struct tm x, y;

	localtime_r(&a, &x);
	localtime_r(&b, &y);
	return x.tm_year == y.tm_year && x.tm_yday == y.tm_yday;
}
