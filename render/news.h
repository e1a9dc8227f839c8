/*
 * news.h — incidents, announcements and scheduled maintenance.
 *
 * Items come from the news file (news_load(); format and schema in
 * common/news.rng, example in examples/news.xml) and from the journal
 * (incidents.h drafts automatic incidents into the same list).  Strings
 * are owned by the items and already cleaned (text.h); times are
 * seconds since the epoch.
 */
#ifndef RENDER_NEWS_H
#define RENDER_NEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "errlist.h"

#define NEWS_MAX_BYTES (4u << 20)	/* a larger news file is refused */

enum news_kind { NEWS_INCIDENT, NEWS_ANNOUNCEMENT, NEWS_MAINTENANCE };

enum news_status {
	NEWS_ST_NONE,			/* announcements; updates without one */
	NEWS_ST_INVESTIGATING,
	NEWS_ST_IDENTIFIED,
	NEWS_ST_MONITORING,
	NEWS_ST_RESOLVED,
	NEWS_ST_SCHEDULED,
	NEWS_ST_IN_PROGRESS,
	NEWS_ST_COMPLETED,
	NEWS_ST_CANCELLED,
};

enum news_impact {
	NEWS_IMPACT_NONE, NEWS_IMPACT_MINOR, NEWS_IMPACT_MAJOR,
	NEWS_IMPACT_CRITICAL,
};

struct news_update {
	time_t at;
	enum news_status status;	/* NEWS_ST_NONE: not said */
	char *text;
};

struct news_item {
	enum news_kind kind;
	char *id, *title;
	enum news_status status;	/* maintenance: as written; see
					 * news_status_at() */
	enum news_impact impact;
	bool automatic;			/* drafted from the journal */
	time_t published;		/* first update, at=, announced */
	time_t updated;			/* last update (moves the feed) */
	time_t start, end;		/* maintenance window */
	char *text;			/* announcement, maintenance */
	size_t nupdates;
	struct news_update *updates;
	long line;			/* in the news file; 0: automatic */
};

struct news {
	size_t n, cap;
	struct news_item *items;
};

/*
 * Reads, validates (schema: NULL for the shipped news.rng) and checks
 * path.  0 with the items appended to *out, or -1 with every problem as
 * "file:line: message" in errs and *out unchanged.
 */
int news_load(const char *path, const char *schema, struct news *out,
	      struct gd_errlist *errs);

/* A new zeroed item at the end (NULL: out of memory); the pointer is
 * valid until the next news_add(). */
struct news_item *news_add(struct news *n);
/* Appends an update (text copied and cleaned); moves published/updated.
 * 0 or -1 (out of memory). */
int news_add_update(struct news_item *it, time_t at, enum news_status st,
		    const char *text);
/* Newest first by published time, then by id. */
void news_sort(struct news *n);
void news_free(struct news *n);

/* The status shown at `now`: an incident's as written; a maintenance's
 * by its window unless written completed, cancelled or in-progress. */
enum news_status news_status_at(const struct news_item *it, time_t now);
/* An incident not resolved or a maintenance in progress at now. */
bool news_active(const struct news_item *it, time_t now);
/* Items published in (now - window, now]. */
size_t news_count_new(const struct news *n, time_t now, time_t window);

const char *news_kind_name(enum news_kind k);		/* "incident" */
const char *news_status_name(enum news_status s);	/* "in-progress" */
const char *news_status_label(enum news_status s);	/* "In progress" */
const char *news_impact_name(enum news_impact i);	/* "major" */

#endif
