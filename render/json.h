/*
 * json.h — a small JSON writer that escapes by construction.
 *
 * Values go into a growing buffer; commas, colons and indentation are the
 * writer's business, so a caller cannot produce invalid JSON by mistake.
 * Every string passes through the cleaning of text.h (invalid UTF-8 and
 * control characters become U+FFFD) and then JSON escaping: '"' and '\\'
 * as \" and \\, tab and newline as \t and \n, and also '<', '>', '&',
 * U+2028 and U+2029 as \uXXXX, so the output is safe to embed in an
 * HTML <script> or a JavaScript string.  Non-finite numbers become null.
 *
 * Errors (out of memory, nesting past JSON_DEPTH_MAX, a value where a
 * key is due) are sticky: json_finish() reports them once.
 */
#ifndef RENDER_JSON_H
#define RENDER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define JSON_DEPTH_MAX 32

struct json {
	char *buf;
	size_t len, cap;
	int depth;
	bool error;
	bool top_done;			/* the one top-level value is out */
	struct json_level {
		bool object;		/* else array */
		bool after_key;		/* object: a key is out, its value due */
		size_t count;		/* items (keys or values) so far */
	} level[JSON_DEPTH_MAX];
};

void json_init(struct json *j);
void json_free(struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);

void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);	/* NULL: null */
void json_int(struct json *j, long long v);
/* v with `decimals` digits after the point; non-finite: null */
void json_number(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* ISO 8601 UTC, or null for 0 ("not known") */
void json_time(struct json *j, time_t t);

/* key and value in one call */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_time(struct json *j, const char *key, time_t t);

/* Ends the document with a newline: 0 and the text in j->buf
 * (NUL-terminated, j->len bytes), or -1 after any error. */
int json_finish(struct json *j);

#endif
