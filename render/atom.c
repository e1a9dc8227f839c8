/*
 * atom.c — the Atom feed, built as a tree; see atom.h.
 */
#include "atom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "htree.h"
#include "text.h"
#include "timefmt.h"

/* The growing text of an entry's content. */
struct buf {
	char *s;
	size_t len;
	bool error;
};

static void append(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	char *p = realloc(b->s, b->len + n + 1);

	if (p == NULL) {
		b->error = true;
		return;
	}
	memcpy(p + b->len, s, n + 1);
	b->s = p;
	b->len += n;
}

static void time_el(xmlNodePtr parent, const char *name, time_t t)
{
	char iso[40];

	gd_time_iso8601(iso, sizeof iso, t, true);
	ht_el_text(parent, name, NULL, iso);
}

static void link_el(xmlNodePtr parent, const char *rel, const char *type,
		    const char *href)
{
	xmlNodePtr l = ht_el(parent, "link", NULL);

	ht_attr(l, "rel", rel);
	ht_attr(l, "type", type);
	ht_attr(l, "href", href);
}

/* When a maintenance entry last changed: its window moves it too. */
static time_t entry_updated(const struct news_item *it, time_t now)
{
	time_t t = it->updated;

	if (it->kind == NEWS_MAINTENANCE) {
		if (now >= it->start && it->start > t)
			t = it->start;
		if (now >= it->end && it->end > t)
			t = it->end;
	}
	return t;
}

static void entry_id(xmlNodePtr e, const struct news_item *it,
		     const char *base)
{
	char day[16];
	struct tm tm;

	if (base != NULL) {
		ht_textf(ht_el(e, "id", NULL), "%s#news-%s", base, it->id);
		return;
	}
	gmtime_r(&it->published, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	ht_textf(ht_el(e, "id", NULL), "tag:%s,%s:news/%s",
		 ATOM_TAG_AUTHORITY, day, it->id);
}

/* "27 Jul 2010 15:15 BST, identified: text" per update */
static void updates_text(struct buf *b, const struct news_item *it,
			 time_t now)
{
	char when[64];

	for (size_t i = 0; i < it->nupdates; i++) {
		const struct news_update *u = &it->updates[i];

		clock_show(when, sizeof when, u->at, now, CLOCK_FULL);
		append(b, i ? "\n\n" : "");
		append(b, when);
		if (u->status != NEWS_ST_NONE) {
			append(b, ", ");
			append(b, news_status_name(u->status));
		}
		append(b, ": ");
		append(b, u->text);
	}
}

static void content(xmlNodePtr e, const struct model *m,
		    const struct news_item *it)
{
	struct buf b = { NULL, 0, false };
	char when[64], end[64];
	xmlNodePtr c;

	if (it->kind == NEWS_MAINTENANCE) {
		clock_show(when, sizeof when, it->start, m->now, CLOCK_FULL);
		clock_show(end, sizeof end, it->end, m->now, CLOCK_FULL);
		append(&b, "From ");
		append(&b, when);
		append(&b, " to ");
		append(&b, end);
		append(&b, ".\n\n");
	}
	if (it->text != NULL)
		append(&b, it->text);
	updates_text(&b, it, m->now);
	if (it->automatic)
		append(&b, "\n\n(Drafted automatically by the monitor.)");
	c = ht_el_text(e, "content", NULL, b.error ? "" : b.s ? b.s : "");
	ht_attr(c, "type", "text");
	free(b.s);
}

static void categories(xmlNodePtr e, const struct model *m,
		       const struct news_item *it)
{
	enum news_status st = news_status_at(it, m->now);

	ht_attr(ht_el(e, "category", NULL), "term", news_kind_name(it->kind));
	if (st != NEWS_ST_NONE)
		ht_attr(ht_el(e, "category", NULL), "term",
			news_status_name(st));
	if (it->automatic)
		ht_attr(ht_el(e, "category", NULL), "term", "automatic");
}

static void entry(xmlNodePtr feed, const struct model *m,
		  const struct news_item *it, const char *base)
{
	xmlNodePtr e = ht_el(feed, "entry", NULL);
	enum news_status st = news_status_at(it, m->now);
	char href[1024];

	entry_id(e, it, base);
	if (st != NEWS_ST_NONE)
		ht_textf(ht_el(e, "title", NULL), "%s [%s]", it->title,
			 news_status_label(st));
	else
		ht_el_text(e, "title", NULL, it->title);
	time_el(e, "published", it->published);
	time_el(e, "updated", entry_updated(it, m->now));
	snprintf(href, sizeof href, "%s#news-%s", base ? base : "index.html",
		 it->id);
	link_el(e, "alternate", "text/html", href);
	categories(e, m, it);
	content(e, m, it);
}

static time_t feed_updated(const struct model *m)
{
	time_t t = 0;

	for (size_t i = 0; i < m->news.n; i++)
		if (entry_updated(&m->news.items[i], m->now) > t)
			t = entry_updated(&m->news.items[i], m->now);
	return t > 0 ? t : m->as_of > 0 ? m->as_of : m->now;
}

static void feed_head(xmlNodePtr feed, const struct model *m,
		      const char *base)
{
	char href[1024];

	ht_attr(feed, "xml:lang", "en");
	if (base != NULL)
		ht_textf(ht_el(feed, "id", NULL), "%sfeed.atom", base);
	else
		ht_textf(ht_el(feed, "id", NULL), "tag:%s,2010:feed",
			 ATOM_TAG_AUTHORITY);
	ht_textf(ht_el(feed, "title", NULL), "%s status", m->title);
	ht_el_text(feed, "subtitle", NULL,
		   "Incidents, scheduled maintenance and announcements");
	time_el(feed, "updated", feed_updated(m));
	snprintf(href, sizeof href, "%sfeed.atom", base ? base : "");
	link_el(feed, "self", "application/atom+xml", href);
	link_el(feed, "alternate", "text/html", base ? base : "index.html");
	ht_el_text(ht_el(feed, "author", NULL), "name", NULL, m->title);
	ht_el_text(feed, "generator", NULL, "greendot");
}

int atom_feed(const struct model *m, const char *base_url, char **out,
	      size_t *len)
{
	xmlDocPtr doc = ht_new("feed", ATOM_NS);
	int rc;

	feed_head(ht_root(doc), m, base_url);
	for (size_t i = 0; i < m->news.n; i++)
		entry(ht_root(doc), m, &m->news.items[i], base_url);
	rc = ht_serialise(doc, false, out, len);
	xmlFreeDoc(doc);
	return rc;
}
