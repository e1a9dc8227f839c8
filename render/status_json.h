/*
 * status_json.h — OUT/status.json, the status for programs.
 *
 * In the spirit of Statuspage's summary.json; the format is documented
 * field by field in render/STATUS-JSON.md.  Written with json.h, so
 * every string is escaped by construction.
 */
#ifndef RENDER_STATUS_JSON_H
#define RENDER_STATUS_JSON_H

#include <stddef.h>

#include "model.h"

#define STATUS_JSON_VERSION 1

/* The document into *out (malloc'ed, *len bytes).  0, or -1. */
int status_json(const struct model *m, char **out, size_t *len);

#endif
