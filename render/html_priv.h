/*
 * html_priv.h — what the parts of the page share (html*.c only).
 */
#ifndef RENDER_HTML_PRIV_H
#define RENDER_HTML_PRIV_H

#include <time.h>

#include "clock.h"
#include "htree.h"
#include "model.h"

/* A monitor report older than this is called out in the banner. */
#define HTML_STALE_AFTER 900

/* <section id=ID aria-labelledby=ID-h><hN id=ID-h>heading</hN> */
xmlNodePtr html_section(xmlNodePtr parent, const char *id,
			const char *heading, int level, const char *cls);
/* The dot of s, hidden from screen readers (a word always goes with it). */
void html_dot(xmlNodePtr parent, enum model_show s);
/* Dot and word: "<dot> Up". */
void html_state(xmlNodePtr parent, enum model_show s);
/* <time datetime="ISO 8601 UTC">shown in local time</time> */
void html_time(xmlNodePtr parent, const struct model *m, time_t t,
	       enum clock_fmt fmt);
/* Paragraphs of text (blank lines separate them) as <p>s. */
void html_paragraphs(xmlNodePtr parent, const char *text);

void html_services(xmlNodePtr main, const struct model *m);
void html_infrastructure(xmlNodePtr main, const struct model *m);
void html_graphs(xmlNodePtr main, const struct model *m);
void html_news(xmlNodePtr main, const struct model *m);

#endif
