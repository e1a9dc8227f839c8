/*
 * clock.h — the renderer's "now" and how the page shows times.
 *
 * The page shows local times of the zone in TZ (as any program does) and
 * says which zone that is in its footer.  Month names are English: the
 * renderer never calls setlocale(), so strftime() works in the C locale
 * whatever LC_ALL says.
 */
#ifndef RENDER_CLOCK_H
#define RENDER_CLOCK_H

#include <stddef.h>
#include <time.h>

/* For tests: GREENDOT_NOW=<seconds since the epoch> fixes "now", so that
 * pages rendered from the same data are the same bytes. */
#define CLOCK_NOW_ENV "GREENDOT_NOW"

enum clock_fmt {
	CLOCK_DATE,		/* "27 Jul 2010" */
	CLOCK_DATETIME,		/* "27 Jul 2010 16:50" */
	CLOCK_SHORT,		/* "27 Jul 16:50"; the year too when it is
				 * not the year of `now` */
	CLOCK_HM,		/* "16:50" */
	CLOCK_FULL,		/* "27 Jul 2010 16:50 BST": for text that
				 * leaves the page (the feed) */
};

/* GREENDOT_NOW when set (and a number), else time(). */
time_t clock_now(void);

/*
 * The zone's name for "All times are shown in ...": an Area/City name
 * from TZ (":Europe/London" and ".../zoneinfo/Europe/London" too), else
 * from /etc/timezone or the /etc/localtime link, else the abbreviation
 * in force at `now` ("UTC", "BST").
 */
void clock_zone_name(char *buf, size_t len, time_t now);

/* t in local time; "" when it does not fit. */
void clock_show(char *buf, size_t len, time_t t, time_t now,
		enum clock_fmt fmt);

/* Whether a and b fall on the same local calendar day. */
int clock_same_day(time_t a, time_t b);

#endif
