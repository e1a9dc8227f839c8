/*
 * html.c — the page: head, header, banner, footer; see html.h.
 * The sections in between are html_services.c, html_infra.c,
 * html_graphs.c and html_news.c.
 */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_priv.h"
#include "style.h"
#include "text.h"
#include "timefmt.h"

/* Without a script the page refreshes itself this often (seconds). */
#define REFRESH "120"

/* --- shared helpers ---------------------------------------------------- */

xmlNodePtr html_section(xmlNodePtr parent, const char *id,
			const char *heading, int level, const char *cls)
{
	xmlNodePtr s = ht_el(parent, "section", cls);
	char h[4];

	snprintf(h, sizeof h, "h%d", level);
	ht_attr(s, "id", id);
	ht_attrf(s, "aria-labelledby", "%s-h", id);
	ht_attrf(ht_el_text(s, h, NULL, heading), "id", "%s-h", id);
	return s;
}

void html_dot(xmlNodePtr parent, enum model_show s)
{
	xmlNodePtr d = ht_el(parent, "span", NULL);

	ht_attrf(d, "class", "dot dot-%s", model_show_word(s));
	ht_attr(d, "aria-hidden", "true");
}

void html_state(xmlNodePtr parent, enum model_show s)
{
	html_dot(parent, s);
	ht_textf(parent, " %s", model_show_label(s));
}

void html_time(xmlNodePtr parent, const struct model *m, time_t t,
	       enum clock_fmt fmt)
{
	char iso[40], shown[64];
	xmlNodePtr e;

	gd_time_iso8601(iso, sizeof iso, t, true);
	clock_show(shown, sizeof shown, t, m->now, fmt);
	e = ht_el_text(parent, "time", NULL, shown);
	ht_attr(e, "datetime", iso);
}

void html_paragraphs(xmlNodePtr parent, const char *text)
{
	size_t pos = 0;
	char *p;

	while ((p = text_next_paragraph(text, &pos)) != NULL) {
		ht_el_text(parent, "p", NULL, p);
		free(p);
	}
}

/* --- head and header -------------------------------------------------- */

static void meta(xmlNodePtr head, const char *attr, const char *name,
		 const char *content)
{
	xmlNodePtr m = ht_el(head, "meta", NULL);

	ht_attr(m, attr, name);
	ht_attr(m, "content", content);
}

static void link_rel(xmlNodePtr head, const char *rel, const char *type,
		     const char *href, const char *title)
{
	xmlNodePtr l = ht_el(head, "link", NULL);

	ht_attr(l, "rel", rel);
	if (type != NULL)
		ht_attr(l, "type", type);
	ht_attr(l, "href", href);
	if (title != NULL)
		ht_attr(l, "title", title);
}

static void head(xmlNodePtr html, const struct model *m)
{
	xmlNodePtr h = ht_el(html, "head", NULL);

	/* the serialiser adds the Content-Type meta itself when missing */
	meta(h, "http-equiv", "Content-Type", "text/html; charset=UTF-8");
	meta(h, "name", "viewport", "width=device-width, initial-scale=1");
	meta(h, "name", "color-scheme", "light dark");
	meta(h, "http-equiv", "refresh", REFRESH);
	ht_textf(ht_el(h, "title", NULL), "System Status \xE2\x80\x94 %s",
		 m->title);
	/* no favicon request to anywhere */
	link_rel(h, "icon", NULL, "data:,", NULL);
	link_rel(h, "alternate", "application/atom+xml", "feed.atom",
		 "Incidents and announcements");
	link_rel(h, "alternate", "application/json", "status.json",
		 "Status as JSON");
	ht_text(ht_el(h, "style", NULL), style_css);
}

static void page_header(xmlNodePtr body, const struct model *m)
{
	xmlNodePtr hd = ht_el(ht_el(body, "header", "top"), "div", "wrap");
	xmlNodePtr h1, asof;

	ht_el_text(hd, "p", "provider", m->title);
	h1 = ht_el_text(hd, "h1", NULL, "System Status");
	asof = ht_el(h1, "span", "asof");
	if (m->as_of > 0) {
		/* the space keeps "Status" and "as" apart for screen
		 * readers; the span is a block on screen */
		ht_text(asof, " as of ");
		html_time(asof, m, m->as_of, CLOCK_DATETIME);
	} else {
		ht_text(asof, "no report from the monitor yet");
	}
}

/* --- banner ------------------------------------------------------------ */

/* "Down: Incoming Mail, Web Access." for the services showing s. */
static void services_showing(xmlNodePtr banner, const struct model *m,
			     enum model_show s)
{
	xmlNodePtr p = NULL;
	size_t n = 0;

	for (size_t i = 0; i < m->nservices; i++) {
		const struct gd_state_service *sv = m->services[i].st;

		if (m->services[i].show != s)
			continue;
		if (p == NULL)
			p = ht_el_text(banner, "p", NULL, model_show_label(s));
		ht_textf(p, "%s%s", n++ ? ", " : ": ",
			 sv->title && *sv->title ? sv->title : sv->id);
	}
	ht_text(p, ".");
}

static void active_items(xmlNodePtr banner, const struct model *m)
{
	for (size_t i = 0; i < m->news.n; i++) {
		const struct news_item *it = &m->news.items[i];
		xmlNodePtr p, a;

		if (!news_active(it, m->now))
			continue;
		p = ht_el_text(banner, "p", NULL,
			       it->kind == NEWS_MAINTENANCE ?
			       "Maintenance in progress: " : "Open incident: ");
		a = ht_el_text(p, "a", NULL, it->title);
		ht_attrf(a, "href", "#news-%s", it->id);
	}
}

static void freshness(xmlNodePtr banner, const struct model *m)
{
	char ago[64];
	xmlNodePtr p;

	if (m->as_of > 0 && m->now - m->as_of > HTML_STALE_AFTER) {
		gd_duration_phrase(ago, sizeof ago,
				   (uint64_t)(m->now - m->as_of));
		p = ht_el_text(banner, "p", NULL,
			       "The monitor last reported at ");
		html_time(p, m, m->as_of, CLOCK_SHORT);
		ht_textf(p, ", %s ago: this page may be out of date.", ago);
	}
	if (m->agents_unreachable > 0)
		ht_textf(ht_el(banner, "p", NULL),
			 "The monitor could not reach %zu of %zu agents; "
			 "what they watch shows as unknown.",
			 m->agents_unreachable, m->nagents);
}

static void banner(xmlNodePtr main, const struct model *m)
{
	xmlNodePtr b = ht_el(main, "section", NULL);
	xmlNodePtr h;

	ht_attrf(b, "class", "banner banner-%s", model_show_word(m->overall));
	ht_attr(b, "aria-labelledby", "banner-h");
	h = ht_el(b, "h2", NULL);
	ht_attr(h, "id", "banner-h");
	html_dot(h, m->overall);
	ht_text(h, model_banner(m));
	services_showing(b, m, SHOW_DOWN);
	services_showing(b, m, SHOW_DEGRADED);
	services_showing(b, m, SHOW_UNKNOWN);
	active_items(b, m);
	freshness(b, m);
	if (m->simulated_text != NULL) {
		xmlNodePtr p = ht_el_text(b, "p", "note simulated",
					  m->simulated_text);

		ht_attr(p, "id", "simulated");
	}
}

/* --- footer ------------------------------------------------------------ */

static void legend(xmlNodePtr footer)
{
	static const char *const meaning[SHOW_N] = {
		[SHOW_UP] = "online, or serving",
		[SHOW_DEGRADED] = "serving on fail-over: some servers down",
		[SHOW_DOWN] = "offline, or not serving",
		[SHOW_UNKNOWN] = "no current data",
		[SHOW_MAINTENANCE] = "taken out for maintenance, not counted",
		[SHOW_STANDBY] = "held in reserve or being prepared, "
				 "not counted",
	};
	xmlNodePtr ul = ht_el(footer, "ul", "legend");

	ht_attr(ul, "aria-label", "Legend");
	for (int s = 0; s < SHOW_N; s++) {
		xmlNodePtr li = ht_el(ul, "li", NULL);

		html_dot(li, (enum model_show)s);
		ht_el_text(li, "strong", NULL, model_show_label(s));
		ht_textf(li, " %s", meaning[s]);
	}
}

static void footer(xmlNodePtr body, const struct model *m)
{
	xmlNodePtr f = ht_el(ht_el(body, "footer", NULL), "div", "wrap");
	xmlNodePtr p;

	ht_el_text(f, "h2", "vh", "About this page");
	legend(f);
	ht_textf(ht_el(f, "p", NULL), "All times are shown in %s.", m->zone);
	ht_el_text(f, "p", NULL,
		   "Availability is the share of time a service or group was "
		   "serving, out of the time the monitor knew its status: "
		   "servers in maintenance or on standby are left out, and "
		   "time without data counts neither as up nor as down.");
	p = ht_el_text(f, "p", NULL, "Also as ");
	ht_attr(ht_el_text(p, "a", NULL, "status.json"), "href", "status.json");
	ht_text(p, " and as an ");
	ht_attr(ht_el_text(p, "a", NULL, "Atom feed"), "href", "feed.atom");
	ht_text(p, " of incidents and announcements.");
	p = ht_el_text(f, "p", NULL, "Generated ");
	html_time(p, m, m->now, CLOCK_DATETIME);
	ht_text(p, " by greendot.");
}

/* --- the page ----------------------------------------------------------- */

static void body(xmlNodePtr html, const struct model *m)
{
	xmlNodePtr b = ht_el(html, "body", NULL);
	xmlNodePtr main, skip;

	skip = ht_el_text(b, "a", "skip", "Skip to the status");
	ht_attr(skip, "href", "#main");
	page_header(b, m);
	main = ht_el(b, "main", "wrap");
	ht_attr(main, "id", "main");
	banner(main, m);
	html_services(main, m);
	html_infrastructure(main, m);
	html_graphs(main, m);
	html_news(main, m);
	footer(b, m);
}

int html_page(const struct model *m, char **out, size_t *len)
{
	xmlDocPtr doc = ht_new("html", HT_XHTML_NS);
	int rc;

	ht_attr(ht_root(doc), "lang", "en");
	head(ht_root(doc), m);
	body(ht_root(doc), m);
	rc = ht_serialise(doc, true, out, len);
	xmlFreeDoc(doc);
	return rc;
}
