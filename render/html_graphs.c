/*
 * html_graphs.c — the graphs, one disclosure per period (the day open),
 * each image with a text alternative that says what it shows.
 */
#include <math.h>
#include <stdio.h>

#include "graph.h"
#include "html_priv.h"
#include "text.h"

static void figure(xmlNodePtr figs, enum gd_rrd_kind kind, const char *id,
		   const char *title, const struct model_graph *g,
		   double ratio, enum model_period p)
{
	xmlNodePtr fig = ht_el(figs, "figure", NULL);
	xmlNodePtr img;
	char file[256], pct[32] = "";

	if (!isnan(ratio))
		text_percent(pct, sizeof pct, ratio);
	if (!g->ok) {
		ht_textf(ht_el(fig, "div", "nograph"), "No data yet for %s.",
			 title);
		return;
	}
	graph_name(file, sizeof file, kind, id, p);
	img = ht_el(fig, "img", "graph");
	ht_attrf(img, "src", "%s/%s", GRAPH_DIR, file);
	ht_attrf(img, "alt", "%s of %s over the %s%s%s",
		 kind == GD_RRD_SERVER ? "Response time" : "Availability",
		 title, model_periods[p].span, *pct ? ": " : "", pct);
	ht_attrf(img, "width", "%u", g->width);
	ht_attrf(img, "height", "%u", g->height);
	ht_attr(img, "loading", "lazy");
	ht_textf(ht_el(fig, "figcaption", NULL), "%s%s%s", title,
		 *pct ? " \xC2\xB7 " : "", pct);
}

static const char *title_or_id(const char *title, const char *id)
{
	return title && *title ? title : id;
}

static void service_figs(xmlNodePtr d, const struct model *m,
			 enum model_period p)
{
	xmlNodePtr figs;

	if (m->nservices == 0)
		return;
	ht_el_text(d, "h3", NULL, "Services");
	figs = ht_el(d, "div", "figs");
	for (size_t i = 0; i < m->nservices; i++) {
		const struct model_service *s = &m->services[i];

		figure(figs, GD_RRD_SERVICE, s->st->id,
		       title_or_id(s->st->title, s->st->id), &s->graph[p],
		       s->avail[p], p);
	}
}

static void group_figs(xmlNodePtr d, const struct model *m,
		       enum model_period p)
{
	xmlNodePtr figs;

	if (m->ngroups == 0)
		return;
	ht_el_text(d, "h3", NULL, "Groups");
	figs = ht_el(d, "div", "figs");
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct model_group *g = &m->groups[i];

		if (g->st != NULL)
			figure(figs, GD_RRD_GROUP, g->st->id,
			       model_group_title(g), &g->graph[p],
			       g->avail[p], p);
	}
}

/* Many and of interest to few: folded away by default. */
static void server_figs(xmlNodePtr d, const struct model *m,
			enum model_period p)
{
	xmlNodePtr inner, figs;

	if (m->nservers == 0 || !(m->server_graphs & (1u << p)))
		return;
	inner = ht_el(d, "details", "servers-graphs");
	ht_textf(ht_el(inner, "summary", NULL),
		 "Server response times (%zu servers)", m->nservers);
	figs = ht_el(inner, "div", "figs");
	for (size_t i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];

		figure(figs, GD_RRD_SERVER, s->st->id,
		       title_or_id(s->st->title, s->st->id), &s->graph[p],
		       NAN, p);
	}
}

void html_graphs(xmlNodePtr main, const struct model *m)
{
	xmlNodePtr sec = html_section(main, "graphs", "Graphs", 2, NULL);

	for (int p = 0; p < PERIOD_N; p++) {
		xmlNodePtr d = ht_el(sec, "details", NULL);

		if (p == PERIOD_DAY)
			ht_attr(d, "open", "open");
		ht_el_text(d, "summary", NULL, model_periods[p].title);
		service_figs(d, m, p);
		group_figs(d, m, p);
		server_figs(d, m, p);
	}
	if (m->nservers > 0 && m->server_graphs == 0)
		ht_el_text(sec, "p", "note",
			   "Response-time graphs of single servers are not "
			   "drawn for this site.");
}
