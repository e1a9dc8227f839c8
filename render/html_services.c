/*
 * html_services.c — the services: dot, word, since when, availability.
 */
#include <math.h>
#include <stdio.h>

#include "html_priv.h"
#include "text.h"

/*
 * The roles restate the table's semantics: on a phone the stylesheet
 * lays the rows out as blocks, which would otherwise hide them from
 * screen readers.
 */
static xmlNodePtr cell(xmlNodePtr tr, const char *name, const char *cls,
		       const char *role)
{
	xmlNodePtr c = ht_el(tr, name, cls);

	ht_attr(c, "role", role);
	return c;
}

static void header_row(xmlNodePtr table)
{
	xmlNodePtr tr = ht_el(ht_el(table, "thead", NULL), "tr", NULL);
	xmlNodePtr th;

	ht_attr(tr, "role", "row");
	ht_text(cell(tr, "th", NULL, "columnheader"), "Service");
	ht_text(cell(tr, "th", NULL, "columnheader"), "Status");
	for (int p = 0; p < PERIOD_N; p++) {
		th = cell(tr, "th", "num", "columnheader");
		ht_text(th, model_periods[p].label);
		ht_attr(th, "title", model_periods[p].title);
	}
}

static void avail_cell(xmlNodePtr tr, double ratio, enum model_period p)
{
	xmlNodePtr td = cell(tr, "td", "num", "cell");
	char pct[32];

	ht_attr(td, "data-label", model_periods[p].label);
	if (isnan(ratio)) {
		ht_el_text(td, "span", "note", "no data");
		return;
	}
	text_percent(pct, sizeof pct, ratio);
	ht_text(td, pct);
}

static void service_row(xmlNodePtr tbody, const struct model *m,
			const struct model_service *s)
{
	xmlNodePtr tr = ht_el(tbody, "tr", NULL);
	xmlNodePtr th = cell(tr, "th", NULL, "rowheader");
	xmlNodePtr td = cell(tr, "td", "state", "cell");
	xmlNodePtr since;

	ht_attr(tr, "role", "row");
	ht_text(th, s->st->title && *s->st->title ? s->st->title : s->st->id);
	html_state(td, s->show);
	if (s->st->last_change > 0) {
		since = ht_el_text(td, "span", "since", "since ");
		html_time(since, m, s->st->last_change, CLOCK_SHORT);
	}
	for (int p = 0; p < PERIOD_N; p++)
		avail_cell(tr, s->avail[p], p);
}

void html_services(xmlNodePtr main, const struct model *m)
{
	xmlNodePtr sec = html_section(main, "services", "Services", 2, NULL);
	xmlNodePtr table, tbody;

	if (m->nservices == 0) {
		ht_el_text(sec, "p", "note",
			   "The monitor reports no services yet.");
		return;
	}
	table = ht_el(ht_el(sec, "div", "table-wrap"), "table", "services");
	ht_attr(table, "role", "table");
	ht_el_text(table, "caption", "vh",
		   "Status of each service and its availability over the "
		   "last 24 hours, 7 days, 30 days and year");
	header_row(table);
	tbody = ht_el(table, "tbody", NULL);
	for (size_t i = 0; i < m->nservices; i++)
		service_row(tbody, m, &m->services[i]);
	ht_el_text(sec, "p", "note",
		   "A service is up while every part it needs is serving; "
		   "degraded while it runs on fail-over.");
}
