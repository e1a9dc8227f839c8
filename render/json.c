/*
 * json.c — JSON writer; see json.h.
 */
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "timefmt.h"

#define INDENT "  "

void json_init(struct json *j)
{
	memset(j, 0, sizeof *j);
}

void json_free(struct json *j)
{
	free(j->buf);
	json_init(j);
}

static void put(struct json *j, const char *s, size_t n)
{
	size_t cap;
	char *b;

	if (j->error)
		return;
	if (j->len + n + 1 > j->cap) {
		cap = j->cap ? j->cap : 1024;
		while (cap < j->len + n + 1)
			cap *= 2;
		b = realloc(j->buf, cap);
		if (b == NULL) {
			j->error = true;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void put_str(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(struct json *j)
{
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, INDENT, strlen(INDENT));
}

static struct json_level *top(struct json *j)
{
	return j->depth > 0 ? &j->level[j->depth - 1] : NULL;
}

/* Before any value: the separator or key check its container needs. */
static void value_start(struct json *j)
{
	struct json_level *l = top(j);

	if (l == NULL) {
		j->error |= j->top_done;
		j->top_done = true;
		return;
	}
	if (l->object) {
		j->error |= !l->after_key;	/* a value where a key is due */
		l->after_key = false;
		return;
	}
	if (l->count++ > 0)
		put(j, ",", 1);
	newline(j);
}

static void open_level(struct json *j, bool object)
{
	value_start(j);
	if (j->depth == JSON_DEPTH_MAX) {
		j->error = true;
		return;
	}
	j->level[j->depth++] = (struct json_level){ .object = object };
	put(j, object ? "{" : "[", 1);
}

static void close_level(struct json *j, bool object)
{
	struct json_level *l = top(j);

	if (l == NULL || l->object != object || l->after_key) {
		j->error = true;
		return;
	}
	j->depth--;
	if (l->count > 0)
		newline(j);
	put(j, object ? "}" : "]", 1);
}

void json_object_begin(struct json *j)
{
	open_level(j, true);
}

void json_object_end(struct json *j)
{
	close_level(j, true);
}

void json_array_begin(struct json *j)
{
	open_level(j, false);
}

void json_array_end(struct json *j)
{
	close_level(j, false);
}

/* The escape of one code point, or NULL when it goes out as UTF-8. */
static const char *escape_of(uint32_t cp, char *buf, size_t len)
{
	switch (cp) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '<': case '>': case '&': case 0x2028: case 0x2029:
		snprintf(buf, len, "\\u%04x", (unsigned)(cp & 0xFFFF));
		return buf;
	default:
		return NULL;
	}
}

static void put_string(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	unsigned char utf8[4];
	char esc[16];
	const char *e;
	uint32_t cp;

	put(j, "\"", 1);
	for (size_t i = 0; i < len;) {
		i += text_utf8_next(p + i, len - i, &cp);
		if (!text_cp_allowed(cp))
			cp = TEXT_REPLACEMENT;
		e = escape_of(cp, esc, sizeof esc);
		if (e != NULL)
			put_str(j, e);
		else
			put(j, (const char *)utf8, text_utf8_put(cp, utf8));
	}
	put(j, "\"", 1);
}

void json_key(struct json *j, const char *key)
{
	struct json_level *l = top(j);

	if (l == NULL || !l->object || l->after_key) {
		j->error = true;
		return;
	}
	if (l->count++ > 0)
		put(j, ",", 1);
	newline(j);
	put_string(j, key);
	put(j, ": ", 2);
	l->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	value_start(j);
	put_string(j, s);
}

void json_int(struct json *j, long long v)
{
	char buf[32];

	value_start(j);
	snprintf(buf, sizeof buf, "%lld", v);
	put_str(j, buf);
}

void json_number(struct json *j, double v, int decimals)
{
	char buf[64];

	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	value_start(j);
	/* "%.*f" of a finite double is a valid JSON number ("-0.000" too) */
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	put_str(j, buf);
}

void json_bool(struct json *j, bool v)
{
	value_start(j);
	put_str(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	value_start(j);
	put_str(j, "null");
}

void json_time(struct json *j, time_t t)
{
	char buf[40];

	if (t == 0 || gd_time_iso8601(buf, sizeof buf, t, true) == 0) {
		json_null(j);
		return;
	}
	json_string(j, buf);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_time(struct json *j, const char *key, time_t t)
{
	json_key(j, key);
	json_time(j, t);
}

int json_finish(struct json *j)
{
	if (j->depth != 0 || !j->top_done)
		j->error = true;
	put(j, "\n", 1);
	return j->error ? -1 : 0;
}
