/*
 * html_news.c — incidents with their updates, announcements and
 * scheduled maintenance, newest first, with "N new in the last 7 days".
 */
#include <stdio.h>
#include <stdlib.h>

#include "html_priv.h"
#include "text.h"

#define NEW_WINDOW (7 * 86400)

/* item-active / item-resolved / item-maintenance / item-announcement */
static const char *item_class(const struct news_item *it, time_t now)
{
	if (it->kind == NEWS_ANNOUNCEMENT)
		return "item item-announcement";
	if (it->kind == NEWS_MAINTENANCE)
		return "item item-maintenance";
	return news_active(it, now) ? "item item-active" : "item item-resolved";
}

static void heading(xmlNodePtr art, const struct model *m,
		    const struct news_item *it, const char *hid)
{
	xmlNodePtr h = ht_el(art, "h3", NULL);
	enum news_status st = news_status_at(it, m->now);
	xmlNodePtr badge;

	ht_attr(h, "id", hid);
	html_time(ht_el(h, "span", "date"), m, it->published, CLOCK_DATE);
	ht_el_text(h, "span", NULL, it->title);
	if (st == NEWS_ST_NONE)
		return;
	badge = ht_el_text(h, "span", NULL, news_status_label(st));
	ht_attrf(badge, "class", "badge badge-%s", news_status_name(st));
}

/* "Incident · major impact · drafted automatically from the monitor" */
static void meta_line(xmlNodePtr art, const struct model *m,
		      const struct news_item *it)
{
	static const char *const kinds[] = {
		[NEWS_INCIDENT] = "Incident",
		[NEWS_ANNOUNCEMENT] = "Announcement",
		[NEWS_MAINTENANCE] = "Scheduled maintenance",
	};
	xmlNodePtr p = ht_el_text(art, "p", "meta", kinds[it->kind]);

	if (it->kind == NEWS_MAINTENANCE) {
		ht_text(p, ", ");
		html_time(p, m, it->start, CLOCK_SHORT);
		ht_text(p, " to ");
		html_time(p, m, it->end,
			  clock_same_day(it->start, it->end) ? CLOCK_HM :
							       CLOCK_SHORT);
	}
	if (it->kind != NEWS_ANNOUNCEMENT)
		ht_textf(p, " \xC2\xB7 %s",
			 it->impact == NEWS_IMPACT_NONE ? "no impact expected" :
			 it->impact == NEWS_IMPACT_MINOR ? "minor impact" :
			 it->impact == NEWS_IMPACT_MAJOR ? "major impact" :
							   "critical impact");
	if (it->automatic)
		ht_text(p, " \xC2\xB7 drafted automatically by the monitor");
}

/* One update: "[15:15] Identified  The mail servers ..." */
static void update(xmlNodePtr ol, const struct model *m,
		   const struct news_item *it, const struct news_update *u)
{
	xmlNodePtr li = ht_el(ol, "li", NULL);
	xmlNodePtr p = ht_el(li, "p", NULL);
	size_t pos = 0;
	char *para;

	html_time(p, m, u->at, clock_same_day(u->at, it->published) ?
		  CLOCK_HM : CLOCK_SHORT);
	ht_text(p, " ");
	if (u->status != NEWS_ST_NONE)
		ht_textf(ht_el(p, "span", "ustatus"), "%s: ",
			 news_status_label(u->status));
	para = text_next_paragraph(u->text, &pos);
	ht_text(p, para ? para : "");
	free(para);
	/* the paragraphs after the first */
	html_paragraphs(li, u->text + pos);
}

static void item(xmlNodePtr sec, const struct model *m,
		 const struct news_item *it)
{
	xmlNodePtr art = ht_el(sec, "article", item_class(it, m->now));
	xmlNodePtr ol;
	char id[256], hid[264];

	snprintf(id, sizeof id, "news-%s", it->id);
	snprintf(hid, sizeof hid, "%s-h", id);
	ht_attr(art, "id", id);
	ht_attr(art, "aria-labelledby", hid);
	heading(art, m, it, hid);
	meta_line(art, m, it);
	if (it->text != NULL)
		html_paragraphs(art, it->text);
	if (it->nupdates == 0)
		return;
	ol = ht_el(art, "ol", "updates");
	for (size_t i = 0; i < it->nupdates; i++)
		update(ol, m, it, &it->updates[i]);
}

void html_news(xmlNodePtr main, const struct model *m)
{
	xmlNodePtr sec = html_section(main, "news", "News", 2, NULL);
	size_t fresh = news_count_new(&m->news, m->now, NEW_WINDOW);

	ht_textf(ht_el(sec, "p", "news-count"), "%zu new in the last 7 days",
		 fresh);
	if (m->news.n == 0)
		ht_el_text(sec, "p", "note", "No incidents or announcements.");
	for (size_t i = 0; i < m->news.n; i++)
		item(sec, m, &m->news.items[i]);
}
