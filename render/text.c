/*
 * text.c — UTF-8 cleaning, paragraphs, percentages; see text.h.
 */
#include "text.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lead byte: how many continuation bytes follow and the smallest code
 * point such a sequence may encode (anything below is overlong). */
static size_t utf8_lead(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if (c < 0x80) {
		*cp = c;
		*min = 0;
		return 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		*cp = c & 0x1Fu;
		*min = 0x80;
		return 1;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		*cp = c & 0x0Fu;
		*min = 0x800;
		return 2;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		*cp = c & 0x07u;
		*min = 0x10000;
		return 3;
	}
	return SIZE_MAX;	/* continuation byte, C0, C1, F5..FF */
}

size_t text_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t v, min;
	size_t more = utf8_lead(s[0], &v, &min);

	if (more == SIZE_MAX || more >= len)
		goto bad;
	for (size_t i = 1; i <= more; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return more + 1;
bad:
	*cp = TEXT_REPLACEMENT;
	return 1;
}

size_t text_utf8_put(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int text_cp_allowed(uint32_t cp)
{
	if (cp == '\t' || cp == '\n')
		return 1;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return 0;
	return cp != 0xFFFE && cp != 0xFFFF;
}

char *text_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), o = 0;
	/* a bad byte (1) becomes U+FFFD (3): at most 3 times as long */
	unsigned char *out = malloc(len * 3 + 1);
	uint32_t cp;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		i += text_utf8_next(p + i, len - i, &cp);
		if (!text_cp_allowed(cp))
			cp = TEXT_REPLACEMENT;
		o += text_utf8_put(cp, out + o);
	}
	out[o] = '\0';
	return (char *)out;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Collapses white space runs in place and trims. */
static void collapse(char *s)
{
	char *o = s;
	bool space = false;

	for (const char *p = s; *p; p++) {
		if (is_space(*p)) {
			space = o != s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
}

char *text_clean_line(const char *s)
{
	char *c = text_clean(s);

	if (c != NULL)
		collapse(c);
	return c;
}

/* The start of the line after the one at p (or its NUL). */
static const char *next_line(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e + 1 : p + strlen(p);
}

/* Whether the line at p holds only white space. */
static bool line_blank(const char *p)
{
	for (; *p && *p != '\n'; p++)
		if (!is_space(*p))
			return false;
	return true;
}

char *text_next_paragraph(const char *s, size_t *pos)
{
	const char *p = s + *pos, *start;
	char *raw, *para;

	while (*p && line_blank(p))
		p = next_line(p);
	*pos = (size_t)(p - s);
	if (*p == '\0')
		return NULL;
	start = p;
	while (*p && !line_blank(p))
		p = next_line(p);
	*pos = (size_t)(p - s);
	raw = strndup(start, (size_t)(p - start));
	para = text_clean_line(raw);
	free(raw);
	return para;
}

char *text_reflow(const char *s)
{
	size_t pos = 0, len = 0;
	char *out = strdup(""), *p, *grown;

	while (out != NULL && (p = text_next_paragraph(s, &pos)) != NULL) {
		grown = realloc(out, len + strlen(p) + 3);
		if (grown == NULL) {
			free(out);
			out = NULL;
		} else {
			out = grown;
			len += (size_t)sprintf(out + len, "%s%s",
					       len ? "\n\n" : "", p);
		}
		free(p);
	}
	return out;
}

double text_percent_value(double ratio)
{
	if (ratio >= 1.0)
		return 100.0;
	if (!(ratio > 0.0))
		return 0.0;
	/* round down, with a little slack for binary fractions (0.75 must
	 * stay 75.000, not 74.999) */
	return floor(ratio * 100000.0 + 1e-6) / 1000.0;
}

void text_percent(char *buf, size_t len, double ratio)
{
	if (ratio >= 1.0)
		snprintf(buf, len, "100%%");
	else
		snprintf(buf, len, "%.3f%%", text_percent_value(ratio));
}
