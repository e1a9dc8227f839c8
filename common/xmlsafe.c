/*
 * xmlsafe.c — safe XML reading and RELAX NG validation; see xmlsafe.h.
 */
#include "xmlsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "log.h"

#ifndef GD_SCHEMA_DIR
#error "GD_SCHEMA_DIR is set by common/common.mk"
#endif

/* No NOENT, DTDLOAD, DTDATTR, DTDVALID: nothing outside the file is
 * fetched and no entity is expanded. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

/* Schemas are ours and small; a larger one is a mistake. */
#define SCHEMA_MAX_BYTES (4u << 20)

/* libxml2 2.12 made the error handed to handlers const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlErrorPtr xml_error_t;
#endif

/* Where one parse or validation puts libxml2's errors. */
struct collector {
	struct gd_errlist *errs;
	const char *file;	/* NULL: the file libxml2 names */
	bool failed;
};

struct schema {
	struct schema *next;
	char *path;
	xmlRelaxNGPtr rng;
};

static struct schema *schemas;

static void record(struct collector *col, xml_error_t err)
{
	const char *file = col->file;
	const char *msg = err->message ? err->message : "unspecified error";
	long line = err->line;

	if (file == NULL)
		file = err->file ? err->file : "-";
	/* libxml2 stores an element's line in 16 bits unless asked */
	if (err->node != NULL &&
	    ((xmlNodePtr)err->node)->type == XML_ELEMENT_NODE)
		line = gd_xml_line(err->node);
	if (err->level == XML_ERR_WARNING) {
		log_warn("%s:%ld: %s", file, line, msg);
		return;
	}
	gd_errlist_add(col->errs, file, line, "%s", msg);
	col->failed = true;
}

static void collect(void *arg, xml_error_t err)
{
	record(arg, err);
}

/* Anything libxml2 raises outside our handlers goes to the log, never
 * straight to stderr. */
static void generic_to_log(void *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	gd_vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

static void xml_init(void)
{
	static bool done;

	if (done)
		return;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, generic_to_log);
	done = true;
}

#if LIBXML_VERSION < 21300
/* Before 2.13 the SAX handlers get the context as their user data. */
static void parse_error(void *ctx, xml_error_t err)
{
	record(((xmlParserCtxtPtr)ctx)->_private, err);
}
#endif

/* SAX: a DOCTYPE was seen.  Stop before its internal subset is parsed,
 * so no entity of it is ever declared, let alone expanded. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *pub,
		       const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct collector *col = ctxt->_private;

	(void)name;
	(void)pub;
	(void)sys;
	gd_errlist_add(col->errs, col->file,
		       ctxt->input != NULL ? ctxt->input->line : 0,
		       "DTD not allowed");
	col->failed = true;
	xmlStopParser(ctxt);
}

/*
 * SAX: an element starts.  libxml2 keeps an element's line in 16 bits
 * and, past 65535, guesses it from the text that follows (one line off);
 * the exact line goes into the element's psvi, unused by DOM and RELAX
 * NG, where gd_xml_line() finds it.
 */
static void start_element(void *ctx, const xmlChar *name,
			  const xmlChar *prefix, const xmlChar *uri,
			  int nns, const xmlChar **ns, int nattrs,
			  int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;

	xmlSAX2StartElementNs(ctx, name, prefix, uri, nns, ns, nattrs,
			      ndefaulted, attrs);
	if (ctxt->node != NULL && ctxt->node->line == USHRT_MAX &&
	    ctxt->input != NULL)
		ctxt->node->psvi = (void *)(intptr_t)ctxt->input->line;
}

static void hook_parser(xmlParserCtxtPtr ctxt, struct collector *col)
{
	ctxt->_private = col;
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->sax->startElementNs = start_element;
#if LIBXML_VERSION >= 21300
	xmlCtxtSetErrorHandler(ctxt, collect, col);
#else
	ctxt->sax->serror = parse_error;
#endif
}

xmlDocPtr gd_xml_read_memory(const char *buf, size_t len, const char *file,
			     struct gd_errlist *errs)
{
	struct collector col = { errs, file, false };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;

	xml_init();
	if (len > INT_MAX) {
		gd_errlist_add(errs, file, 0, "file too large");
		errno = EFBIG;
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		gd_errlist_add(errs, file, 0, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	hook_parser(ctxt, &col);
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, file, NULL, XML_OPTIONS);
	/* belt and braces: the SAX hook should have stopped it already */
	if (!col.failed && doc != NULL && doc->intSubset != NULL) {
		gd_errlist_add(errs, file, 1, "DTD not allowed");
		col.failed = true;
	}
	if (!col.failed && doc == NULL) {
		gd_errlist_add(errs, file, 0, "not well-formed XML");
		col.failed = true;
	}
	xmlFreeParserCtxt(ctxt);
	if (col.failed) {
		xmlFreeDoc(doc);
		errno = EINVAL;
		return NULL;
	}
	return doc;
}

/* Reads fd up to max bytes.  0, or -1 with errno (EFBIG: too large). */
static int slurp(int fd, size_t max, char **out, size_t *outlen)
{
	struct stat st;
	size_t cap, len = 0;
	char *buf = NULL, *nb;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		errno = EFBIG;
		return -1;
	}
	/* one byte beyond the size so that EOF is seen without a regrowth */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	buf = malloc(cap);
	if (buf == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL)
				goto fail;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		errno = EFBIG;
		goto fail;
	}
	*out = buf;
	*outlen = len;
	return 0;
fail:
	n = errno;
	free(buf);
	errno = (int)n;
	return -1;
}

xmlDocPtr gd_xml_read(const char *path, size_t max_bytes,
		      struct gd_errlist *errs)
{
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;
	int fd, saved;

	/* libxml2 takes an int length */
	if (max_bytes > INT_MAX)
		max_bytes = INT_MAX;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || slurp(fd, max_bytes, &buf, &len) < 0) {
		saved = errno;
		if (saved == EFBIG)
			gd_errlist_add(errs, path, 0,
				       "file larger than %zu bytes", max_bytes);
		else
			gd_errlist_add(errs, path, 0, "%s", strerror(saved));
		if (fd >= 0)
			close(fd);
		errno = saved;
		return NULL;
	}
	close(fd);
	doc = gd_xml_read_memory(buf, len, path, errs);
	saved = errno;
	free(buf);
	errno = saved;
	return doc;
}

static xmlRelaxNGPtr schema_compile(const char *rng_path,
				    struct gd_errlist *errs)
{
	struct collector col = { errs, NULL, false };
	xmlRelaxNGParserCtxtPtr pctxt = NULL;
	xmlRelaxNGPtr rng = NULL;
	xmlDocPtr doc;

	doc = gd_xml_read(rng_path, SCHEMA_MAX_BYTES, errs);
	if (doc == NULL)
		return NULL;
	/* the parser context copies doc; ours is freed below */
	pctxt = xmlRelaxNGNewDocParserCtxt(doc);
	if (pctxt == NULL)
		goto out;
	xmlRelaxNGSetParserStructuredErrors(pctxt, collect, &col);
	rng = xmlRelaxNGParse(pctxt);
out:
	if (rng == NULL && !col.failed)
		gd_errlist_add(errs, rng_path, 0, "schema does not compile");
	if (rng != NULL && col.failed) {
		xmlRelaxNGFree(rng);
		rng = NULL;
	}
	xmlRelaxNGFreeParserCtxt(pctxt);
	xmlFreeDoc(doc);
	return rng;
}

/* The compiled schema of rng_path, compiling it the first time. */
static xmlRelaxNGPtr schema_get(const char *rng_path, struct gd_errlist *errs)
{
	struct schema *s;

	for (s = schemas; s != NULL; s = s->next)
		if (strcmp(s->path, rng_path) == 0)
			return s->rng;
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->path = strdup(rng_path)) == NULL) {
		free(s);
		gd_errlist_add(errs, rng_path, 0, "out of memory");
		return NULL;
	}
	s->rng = schema_compile(rng_path, errs);
	if (s->rng == NULL) {
		/* not cached: a fixed schema is picked up next time */
		free(s->path);
		free(s);
		return NULL;
	}
	s->next = schemas;
	schemas = s;
	return s->rng;
}

int gd_xml_validate(xmlDocPtr doc, const char *rng_path, const char *file,
		    struct gd_errlist *errs)
{
	struct collector col = { errs, file, false };
	xmlRelaxNGValidCtxtPtr vctxt = NULL;
	xmlRelaxNGPtr rng;
	int rc = -1;

	xml_init();
	if (col.file == NULL)
		col.file = doc->URL ? (const char *)doc->URL : "-";
	rng = schema_get(rng_path, errs);
	if (rng == NULL)
		return -1;
	vctxt = xmlRelaxNGNewValidCtxt(rng);
	if (vctxt == NULL) {
		gd_errlist_add(errs, col.file, 0, "out of memory");
		return -1;
	}
	xmlRelaxNGSetValidStructuredErrors(vctxt, collect, &col);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	if (rc != 0 && !col.failed)
		gd_errlist_add(errs, col.file, 0, "does not match schema %s",
			       rng_path);
	return rc == 0 && !col.failed ? 0 : -1;
}

const char *gd_schema_path(const char *name, char *buf, size_t len)
{
	/* secure_getenv: a set-id caller keeps the built-in folder */
	const char *dir = secure_getenv("GREENDOT_SCHEMA_DIR");
	int n;

	if (dir == NULL || dir[0] == '\0')
		dir = GD_SCHEMA_DIR;
	n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? NULL : buf;
}

long gd_xml_line(const xmlNode *node)
{
	long line;

	if (node->type == XML_ELEMENT_NODE && node->line == USHRT_MAX &&
	    node->psvi != NULL)
		return (long)(intptr_t)node->psvi;
	line = xmlGetLineNo(node);

	return line < 0 ? 0 : line;
}

void gd_xml_cleanup(void)
{
	while (schemas != NULL) {
		struct schema *s = schemas;

		schemas = s->next;
		xmlRelaxNGFree(s->rng);
		free(s->path);
		free(s);
	}
}
