/*
 * htree.h — document trees with libxml2, escaped by construction.
 *
 * The page and the feed are built as trees and serialised by libxml2,
 * which escapes every text and attribute; nothing is assembled from
 * strings.  What goes into a tree passes through text_clean() first
 * (XML 1.0 cannot carry control characters; invalid UTF-8 would be
 * refused), so any title, error or news text arrives intact or with
 * U+FFFD where it was broken.  (Note xmlNewChild()'s content argument
 * is parsed for entity references; these helpers never use it.)
 *
 * Every helper accepts a NULL parent and then does nothing, so a
 * builder need not check each call; a failure (out of memory) marks the
 * document and ht_failed() says so at the end.
 */
#ifndef RENDER_HTREE_H
#define RENDER_HTREE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#define HT_XHTML_NS "http://www.w3.org/1999/xhtml"

/* A document with a root element in namespace ns; NULL: out of memory. */
xmlDocPtr ht_new(const char *root, const char *ns);
xmlNodePtr ht_root(xmlDocPtr doc);
bool ht_failed(xmlDocPtr doc);

/* A child element (in its parent's namespace), with class cls unless
 * NULL. */
xmlNodePtr ht_el(xmlNodePtr parent, const char *name, const char *cls);
/* The same with a text inside. */
xmlNodePtr ht_el_text(xmlNodePtr parent, const char *name, const char *cls,
		      const char *text);
/* Text appended to parent. */
void ht_text(xmlNodePtr parent, const char *text);
void ht_textf(xmlNodePtr parent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An attribute (value cleaned, escaped when written). */
void ht_attr(xmlNodePtr node, const char *name, const char *value);
void ht_attrf(xmlNodePtr node, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The serialised document into *out (malloc'ed) and *len.  xhtml: the
 * HTML5 doctype and polyglot XHTML (well-formed XML that browsers read
 * as HTML: non-void elements never self-close); else an XML document
 * with its declaration.  0, or -1 (out of memory, or ht_failed()).
 */
int ht_serialise(xmlDocPtr doc, bool xhtml, char **out, size_t *len);

#endif
