/*
 * xmlsafe.h — reading XML files we did not write, and checking them
 * against a RELAX NG schema, with every problem as "file:line: message".
 *
 * Shared by the config loader (greendot.rng), the state reader
 * (state.rng) and the news reader.  Reading is safe for hostile input:
 *
 *   - the file is read by us, up to max_bytes (a larger file is refused
 *     before libxml2 sees a byte);
 *   - no network, no external DTD, no entity substitution, no default
 *     attributes from a DTD; a document with a DOCTYPE is refused at the
 *     DOCTYPE ("DTD not allowed"), before any entity of it is parsed, so
 *     entity bombs never expand;
 *   - line numbers past 65535 are kept (XML_PARSE_BIG_LINES);
 *   - CDATA sections arrive as plain text nodes.
 *
 * libxml2 never prints: its errors for these calls go into the errlist,
 * and anything it raises outside a parse (out of memory ...) goes to
 * log.h.  Not thread-safe (the schema cache); greendot's programs are
 * single-threaded.
 */
#ifndef GD_XMLSAFE_H
#define GD_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "errlist.h"

/*
 * Reads and parses path.  The document, or NULL with the problems in
 * errs and errno: ENOENT (and the like) when the file cannot be read,
 * EFBIG when it is larger than max_bytes, EINVAL when it is not
 * well-formed or has a DTD.  Free the document with xmlFreeDoc().
 */
xmlDocPtr gd_xml_read(const char *path, size_t max_bytes,
		      struct gd_errlist *errs);

/* The same on bytes in memory; file names them in errors (and becomes
 * the document's URL).  For tests and fuzz harnesses. */
xmlDocPtr gd_xml_read_memory(const char *buf, size_t len, const char *file,
			     struct gd_errlist *errs);

/*
 * Validates doc against the RELAX NG schema at rng_path (compiled on
 * first use, then cached by path for the life of the process).  file
 * names the document in errors (NULL: its URL).  0, or -1 with the
 * problems in errs (a schema that does not compile is reported against
 * the schema's own file and line).
 */
int gd_xml_validate(xmlDocPtr doc, const char *rng_path, const char *file,
		    struct gd_errlist *errs);

/*
 * GD_SCHEMA_DIR "/" name into buf: where the shipped schemas live (the
 * source tree's common/ for a build, $(PREFIX)/share/greendot once
 * installed; common/common.mk sets it).  The environment variable
 * GREENDOT_SCHEMA_DIR, when set and not empty, names another folder
 * first: for a staged install (DESTDIR) and its test, or a relocated
 * tree.  buf, or NULL if it does not fit.
 */
const char *gd_schema_path(const char *name, char *buf, size_t len);

/* The line of node, also past 65535. */
long gd_xml_line(const xmlNode *node);

/* Frees the cached schemas (at exit, so valgrind sees no leak). */
void gd_xml_cleanup(void);

#endif
