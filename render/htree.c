/*
 * htree.c — tree building and serialising; see htree.h.
 */
#include "htree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlsave.h>

#include "text.h"

#define DOCTYPE "<!DOCTYPE html>\n"

/* The failure mark lives in the document's _private (libxml2 leaves it
 * to applications). */
static int failed_mark;

static void fail(xmlDocPtr doc)
{
	if (doc != NULL)
		doc->_private = &failed_mark;
}

bool ht_failed(xmlDocPtr doc)
{
	return doc == NULL || doc->_private == &failed_mark;
}

xmlDocPtr ht_new(const char *root, const char *ns)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr r;
	xmlNsPtr n;

	if (doc == NULL)
		return NULL;
	/* without it libxml2 writes every non-ASCII character of an
	 * attribute as a character reference */
	doc->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	r = xmlNewDocNode(doc, NULL, (const xmlChar *)root, NULL);
	if (r == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlDocSetRootElement(doc, r);
	n = xmlNewNs(r, (const xmlChar *)ns, NULL);
	if (n == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlSetNs(r, n);
	return doc;
}

xmlNodePtr ht_root(xmlDocPtr doc)
{
	return doc ? xmlDocGetRootElement(doc) : NULL;
}

void ht_attr(xmlNodePtr node, const char *name, const char *value)
{
	char *clean;

	if (node == NULL)
		return;
	clean = text_clean(value);
	/* xmlNewProp keeps the value as text: no entity parsing */
	if (clean == NULL ||
	    xmlNewProp(node, (const xmlChar *)name, (xmlChar *)clean) == NULL)
		fail(node->doc);
	free(clean);
}

void ht_attrf(xmlNodePtr node, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	if (node == NULL)
		return;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fail(node->doc);
		return;
	}
	ht_attr(node, name, s);
	free(s);
}

xmlNodePtr ht_el(xmlNodePtr parent, const char *name, const char *cls)
{
	xmlNodePtr n;

	if (parent == NULL)
		return NULL;
	/* NULL content: nothing for libxml2 to parse */
	n = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
	if (n == NULL) {
		fail(parent->doc);
		return NULL;
	}
	if (cls != NULL)
		ht_attr(n, "class", cls);
	return n;
}

void ht_text(xmlNodePtr parent, const char *text)
{
	char *clean;
	xmlNodePtr t;

	if (parent == NULL)
		return;
	clean = text_clean(text);
	t = clean ? xmlNewDocText(parent->doc, (xmlChar *)clean) : NULL;
	if (t == NULL || xmlAddChild(parent, t) == NULL) {
		xmlFreeNode(t);
		fail(parent->doc);
	}
	free(clean);
}

void ht_textf(xmlNodePtr parent, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	if (parent == NULL)
		return;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fail(parent->doc);
		return;
	}
	ht_text(parent, s);
	free(s);
}

xmlNodePtr ht_el_text(xmlNodePtr parent, const char *name, const char *cls,
		      const char *text)
{
	xmlNodePtr n = ht_el(parent, name, cls);

	ht_text(n, text);
	return n;
}

/* The buffer's bytes, after prefix, as a malloc'ed string. */
static int take(xmlBufferPtr buf, const char *prefix, char **out,
		size_t *len)
{
	size_t p = strlen(prefix), n = (size_t)xmlBufferLength(buf);

	*out = malloc(p + n + 2);
	if (*out == NULL)
		return -1;
	memcpy(*out, prefix, p);
	memcpy(*out + p, xmlBufferContent(buf), n);
	*len = p + n;
	if (*len == 0 || (*out)[*len - 1] != '\n')
		(*out)[(*len)++] = '\n';
	(*out)[*len] = '\0';
	return 0;
}

int ht_serialise(xmlDocPtr doc, bool xhtml, char **out, size_t *len)
{
	int opts = XML_SAVE_FORMAT;
	xmlBufferPtr buf = NULL;
	xmlSaveCtxtPtr ctx;
	long rc = -1;

	*out = NULL;
	if (ht_failed(doc) || (buf = xmlBufferCreate()) == NULL)
		goto out;
	/* libxml2 applies its XHTML rules to a tree saved by itself, not
	 * to a document without an XHTML DTD: the doctype is ours */
	if (xhtml)
		opts |= XML_SAVE_XHTML | XML_SAVE_NO_DECL;
	ctx = xmlSaveToBuffer(buf, "UTF-8", opts);
	if (ctx == NULL)
		goto out;
	rc = xhtml ? xmlSaveTree(ctx, ht_root(doc)) : xmlSaveDoc(ctx, doc);
	if (xmlSaveClose(ctx) < 0 || rc < 0 ||
	    take(buf, xhtml ? DOCTYPE : "", out, len) < 0)
		rc = -1;
out:
	xmlBufferFree(buf);
	return rc < 0 ? -1 : 0;
}
