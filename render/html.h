/*
 * html.h — OUT/index.html, the status page.
 *
 * Built as a tree (htree.h) and serialised as polyglot XHTML: valid
 * HTML5 that is also well-formed XML, so xmllint checks it and every
 * text is escaped by construction.  In page order: header (provider,
 * "System Status", as-of time), banner for the whole, services with
 * availability, the infrastructure diagram, graphs, news, footer
 * (legend, time zone, availability rule, links, generation time).
 * Needs no script and no resource from elsewhere.
 */
#ifndef RENDER_HTML_H
#define RENDER_HTML_H

#include <stddef.h>

#include "model.h"

/* The page into *out (malloc'ed, *len bytes).  0, or -1 (out of
 * memory). */
int html_page(const struct model *m, char **out, size_t *len);

#endif
