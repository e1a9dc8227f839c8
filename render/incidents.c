/*
 * incidents.c — automatic incidents from the journal; see incidents.h.
 */
#include "incidents.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "status.h"
#include "text.h"

/* What the drafter knows of one group or service. */
struct track {
	bool seen;
	enum gd_status status;
	long open;		/* index of its open incident, or -1 */
	long last;		/* its latest incident, or -1 */
	time_t resolved;	/* when `last` was resolved */
};

struct inc_drafter {
	const struct model *m;
	time_t now;
	struct track *groups, *services;
	struct news drafts;
	bool oom;
};

struct inc_drafter *inc_new(const struct model *m, time_t now)
{
	struct inc_drafter *d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	d->m = m;
	d->now = now;
	d->groups = calloc(m->ngroups + 1, sizeof *d->groups);
	d->services = calloc(m->nservices + 1, sizeof *d->services);
	if (d->groups == NULL || d->services == NULL) {
		inc_finish(d, NULL);
		return NULL;
	}
	for (size_t i = 0; i < m->ngroups; i++)
		d->groups[i].open = d->groups[i].last = -1;
	for (size_t i = 0; i < m->nservices; i++)
		d->services[i].open = d->services[i].last = -1;
	return d;
}

/* The track and title of the event's object; NULL when the current
 * state does not know it. */
static struct track *track_of(struct inc_drafter *d, const struct gd_event *ev,
			      const char **title)
{
	long i;

	if (ev->kind == GD_EV_GROUP) {
		i = model_find_group(d->m, ev->id);
		if (i < 0)
			return NULL;
		*title = model_group_title(&d->m->groups[i]);
		return &d->groups[i];
	}
	if (ev->kind == GD_EV_SERVICE) {
		i = model_find_service(d->m, ev->id);
		if (i < 0)
			return NULL;
		*title = d->m->services[i].st->title;
		if (*title == NULL || **title == '\0')
			*title = d->m->services[i].st->id;
		return &d->services[i];
	}
	return NULL;
}

/* "Incoming Mail is down (detail)." */
static void phrase(char *buf, size_t len, const char *title,
		   enum gd_status s, bool again, const char *detail)
{
	static const char *const what[] = {
		[GD_STATUS_UP] = "is back up",
		[GD_STATUS_DEGRADED] = "is serving again, on fail-over (degraded)",
		[GD_STATUS_DOWN] = "is down",
		[GD_STATUS_UNKNOWN] = "has no current status: the monitor "
				      "cannot tell",
	};
	const char *w = (unsigned)s <= GD_STATUS_UNKNOWN && what[s] ?
			what[s] : "changed";

	snprintf(buf, len, "%s %s%s%s%s%s.", title, w, again ? " again" : "",
		 detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
}

/* Adds an update; at the cap the last one gives way to it. */
static void add_update(struct inc_drafter *d, struct news_item *it,
		       time_t at, enum news_status st, const char *text)
{
	if (it->nupdates >= INC_UPDATES_MAX) {
		it->nupdates--;
		free(it->updates[it->nupdates].text);
	}
	if (news_add_update(it, at, st, text) < 0)
		d->oom = true;
}

static bool id_taken(const struct inc_drafter *d, const char *id)
{
	for (size_t i = 0; i < d->drafts.n; i++)
		if (d->drafts.items[i].id != NULL &&
		    strcmp(d->drafts.items[i].id, id) == 0)
			return true;
	return false;
}

/* "auto-KIND-ID-SECOND", unique among the drafts: a journal whose clock
 * stepped back (NTP) can open a second incident of one object at the
 * second of its first; the second one gets "-2", and so on, since page
 * anchors and feed entry ids must not be shared. */
static void incident_id(const struct inc_drafter *d, char *id, size_t len,
			const struct gd_event *ev, time_t at)
{
	int n = snprintf(id, len, "auto-%s-%s-%lld",
			 gd_event_kind_name(ev->kind), ev->id, (long long)at);

	for (unsigned k = 2; n > 0 && (size_t)n < len && id_taken(d, id); k++)
		snprintf(id + n, len - (size_t)n, "-%u", k);
}

static long open_new(struct inc_drafter *d, const struct gd_event *ev,
		     const char *title, time_t at)
{
	struct news_item *it = news_add(&d->drafts);
	char id[256], head[512];

	if (it == NULL) {
		d->oom = true;
		return -1;
	}
	incident_id(d, id, sizeof id, ev, at);
	snprintf(head, sizeof head, "%s down", title);
	it->kind = NEWS_INCIDENT;
	it->automatic = true;
	it->status = NEWS_ST_INVESTIGATING;
	it->impact = ev->kind == GD_EV_SERVICE ? NEWS_IMPACT_MAJOR :
						 NEWS_IMPACT_MINOR;
	it->id = strdup(id);
	it->title = text_clean_line(head);
	if (it->id == NULL || it->title == NULL)
		d->oom = true;
	return (long)(d->drafts.n - 1);
}

/* A fall: reopen the latest incident if it recovered moments ago. */
static void fall(struct inc_drafter *d, struct track *t,
		 const struct gd_event *ev, const char *title, time_t at)
{
	char text[1024];
	bool again = t->last >= 0 && at - t->resolved <= INC_REOPEN;

	t->open = again ? t->last : open_new(d, ev, title, at);
	if (t->open < 0)
		return;
	phrase(text, sizeof text, title, GD_STATUS_DOWN, again, ev->detail);
	d->drafts.items[t->open].status = NEWS_ST_INVESTIGATING;
	add_update(d, &d->drafts.items[t->open], at,
		   NEWS_ST_INVESTIGATING, text);
}

/* A change of an object with an open incident. */
static void follow(struct inc_drafter *d, struct track *t,
		   const struct gd_event *ev, const char *title, time_t at)
{
	struct news_item *it = &d->drafts.items[t->open];
	bool serving = gd_status_serving(t->status);
	enum news_status st = serving ? NEWS_ST_RESOLVED : it->status;
	char text[1024];

	phrase(text, sizeof text, title, t->status, false, ev->detail);
	it->status = st;
	add_update(d, it, at, serving ? st : NEWS_ST_NONE, text);
	if (serving) {
		t->last = t->open;
		t->resolved = at;
		t->open = -1;
	}
}

int inc_event(struct inc_drafter *d, const struct gd_event *ev)
{
	const char *title = NULL;
	struct track *t;
	enum gd_status s;
	time_t at = (time_t)ev->time;

	if (ev->time > (double)d->now || d->oom)
		return d->oom ? -1 : 0;
	t = track_of(d, ev, &title);
	if (t == NULL || gd_status_parse(ev->new_status, &s) < 0 ||
	    (t->seen && t->status == s))
		return 0;
	t->seen = true;
	t->status = s;
	if (t->open >= 0)
		follow(d, t, ev, title, at);
	else if (s == GD_STATUS_DOWN)
		fall(d, t, ev, title, at);
	return d->oom ? -1 : 0;
}

static int latest_first(const void *a, const void *b)
{
	const struct news_item *x = a, *y = b;

	if (x->updated != y->updated)
		return x->updated > y->updated ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Moves the items worth keeping to out; news_free() of the drafts
 * frees the rest (moved ones are zeroed). */
static int keep(struct inc_drafter *d, struct news *out)
{
	struct news *dr = &d->drafts;
	struct news_item *it;
	size_t kept = 0;

	if (dr->n > 1)
		qsort(dr->items, dr->n, sizeof dr->items[0], latest_first);
	for (size_t i = 0; i < dr->n && kept < INC_MAX; i++) {
		if (dr->items[i].status == NEWS_ST_RESOLVED &&
		    dr->items[i].updated < d->now - INC_WINDOW)
			continue;
		it = news_add(out);
		if (it == NULL)
			return -1;
		*it = dr->items[i];
		memset(&dr->items[i], 0, sizeof dr->items[i]);
		kept++;
	}
	return 0;
}

int inc_finish(struct inc_drafter *d, struct news *out)
{
	int rc = d->oom ? -1 : 0;

	if (out != NULL && rc == 0)
		rc = keep(d, out);
	/* moved items were zeroed: news_free() skips them */
	news_free(&d->drafts);
	free(d->groups);
	free(d->services);
	free(d);
	return rc;
}

static int on_event(const struct gd_event *ev, void *arg)
{
	return inc_event(arg, ev);
}

int inc_from_journal(const char *path, struct model *m)
{
	struct inc_drafter *d = inc_new(m, m->now);
	struct gd_journal_stats stats;
	int rc;

	if (d == NULL)
		return -1;
	rc = gd_journal_read(path, on_event, d, &stats);
	if (rc < 0 && errno == ENOENT) {
		log_info("%s: no journal yet, no automatic incidents", path);
		rc = 0;
	} else if (rc < 0) {
		log_err("%s: %s", path, strerror(errno));
	}
	if (inc_finish(d, &m->news) < 0)
		rc = -1;
	return rc;
}
