/*
 * html_infra.c — the infrastructure diagram: areas in their colours,
 * each group a box with its status, each server a row with its dot,
 * how long it has been online and when it last changed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "html_priv.h"
#include "style.h"
#include "timefmt.h"

#define MIDDOT " \xC2\xB7 "

static const char intro[] =
	"Each box is a group of servers that fail over to each other: as "
	"long as one server in a box is up, the box is up. The coloured "
	"areas show what each part of the service does. Next to each server "
	"is how long it has been online and when it last changed, so you "
	"can see whether a server came back around the time of a problem.";

static bool named_colour(const char *c)
{
	for (const char *const *p = style_area_colours; *p; p++)
		if (strcmp(*p, c) == 0)
			return true;
	return false;
}

static bool hex_colour(const char *c)
{
	if (c[0] != '#' || strlen(c) != 7)
		return false;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)c[i]))
			return false;
	return true;
}

/* The area's palette: a known name, else its #rrggbb as accent. */
static void area_colour(xmlNodePtr sec, const char *colour)
{
	if (colour != NULL && named_colour(colour))
		ht_attrf(sec, "class", "area area-%s", colour);
	else
		ht_attr(sec, "class", "area");
	if (colour != NULL && hex_colour(colour))
		ht_attrf(sec, "style", "--area-accent:%s", colour);
}

/* "online for 3 days · back online 27 Jul 16:50" and the like. */
static void server_info(xmlNodePtr info, const struct model *m,
			const struct model_server *s)
{
	const struct gd_state_server *st = s->st;
	char d[64];

	gd_duration_phrase(d, sizeof d, st->uptime);
	switch (s->show) {
	case SHOW_UP:
		ht_textf(info, "online for %s", d);
		break;
	case SHOW_DOWN:
		ht_text(info, "offline");
		break;
	case SHOW_MAINTENANCE:
		ht_text(info, "in maintenance, not counted");
		break;
	case SHOW_STANDBY:
		ht_text(info, "on standby, not in service");
		break;
	default:
		ht_text(info, "status unknown");
		break;
	}
	if (st->last_change <= 0)
		return;
	ht_text(info, s->show == SHOW_UP ? MIDDOT "back online " :
		      s->show == SHOW_DOWN ? " since " : MIDDOT "changed ");
	html_time(info, m, st->last_change, CLOCK_SHORT);
}

static void server_row(xmlNodePtr ul, const struct model *m,
		       const struct model_server *s)
{
	xmlNodePtr li = ht_el(ul, "li", "server");
	xmlNodePtr div;

	ht_attrf(li, "id", "server-%s", s->st->id);
	html_dot(li, s->show);
	div = ht_el(li, "div", NULL);
	ht_textf(ht_el(div, "span", "vh"), "%s: ", model_show_label(s->show));
	ht_el_text(div, "span", "name",
		   s->st->title && *s->st->title ? s->st->title : s->st->id);
	server_info(ht_el(div, "span", "info"), m, s);
	if (s->show == SHOW_DOWN && s->st->last_error && *s->st->last_error)
		ht_el_text(div, "span", "err", s->st->last_error);
}

static void group_status(xmlNodePtr box, const struct model *m,
			 const struct model_group *g)
{
	xmlNodePtr p = ht_el(box, "p", "gstatus");

	html_state(p, g->show);
	if (g->st == NULL)
		return;
	ht_textf(p, MIDDOT "%u of %u up", g->st->members_up,
		 g->st->members_active);
	if (g->st->last_change > 0) {
		ht_text(p, MIDDOT "since ");
		html_time(p, m, g->st->last_change, CLOCK_SHORT);
	}
}

static void group_box(xmlNodePtr parent, const struct model *m, size_t gi)
{
	const struct model_group *g = &m->groups[gi];
	char id[128];
	xmlNodePtr box, ul;

	snprintf(id, sizeof id, "group-%s", g->st ? g->st->id : "");
	box = html_section(parent, id, model_group_title(g), 4, "group");
	group_status(box, m, g);
	if (g->nservers == 0)
		return;
	ul = ht_el(box, "ul", "servers");
	for (size_t i = 0; i < g->nservers; i++)
		server_row(ul, m, &m->servers[g->servers[i]]);
}

static void area_block(xmlNodePtr parent, const struct model *m,
		       const struct model_area *a)
{
	const struct gd_state_area *st = a->st;
	char id[128];
	xmlNodePtr sec, h, groups;

	snprintf(id, sizeof id, "area-%s", st ? st->id : "");
	sec = html_section(parent, id, st ? (st->title && *st->title ?
		st->title : st->id) : "Not assigned to an area", 3, NULL);
	area_colour(sec, st ? st->colour : NULL);
	h = sec ? xmlFirstElementChild(sec) : NULL;	/* the heading */
	if (st != NULL && st->colour != NULL && named_colour(st->colour))
		ht_textf(ht_el(h, "span", "colour"), " (%s)", st->colour);
	if (st != NULL && st->description != NULL)
		html_paragraphs(sec, st->description);
	groups = ht_el(sec, "div", "groups");
	for (size_t i = 0; i < a->ngroups; i++)
		group_box(groups, m, a->groups[i]);
}

void html_infrastructure(xmlNodePtr main, const struct model *m)
{
	xmlNodePtr sec = html_section(main, "infrastructure", "Infrastructure",
				      2, NULL);

	ht_el_text(sec, "p", NULL, intro);
	if (m->nareas == 0)
		ht_el_text(sec, "p", "note",
			   "The monitor reports no servers yet.");
	for (size_t i = 0; i < m->nareas; i++)
		area_block(sec, m, &m->areas[i]);
}
