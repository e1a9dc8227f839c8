/*
 * text.h — making strings we did not write safe to show.
 *
 * Titles, descriptions and last errors come from the agents (through
 * state.xml) and from the news file: they can hold anything.  XML 1.0
 * refuses control characters and a browser shows invalid UTF-8 as
 * garbage, so every string passes through text_clean() before it reaches
 * a tree or a writer: invalid UTF-8 (overlong forms, surrogates, values
 * past U+10FFFF, truncated sequences), C0 controls other than tab and
 * newline, DEL, C1 controls and the non-characters U+FFFE/U+FFFF each
 * become U+FFFD.  Escaping (<, &, quotes) is not done here: the document
 * trees and the JSON writer escape by construction.
 */
#ifndef RENDER_TEXT_H
#define RENDER_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_REPLACEMENT 0xFFFDu

/*
 * One code point of s[0..len): its length in bytes (>= 1) and *cp, or
 * 1 and *cp = TEXT_REPLACEMENT for a byte that does not start a valid
 * sequence.  len must be > 0.
 */
size_t text_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/* Appends cp as UTF-8 to out (room for 4 bytes); returns the length. */
size_t text_utf8_put(uint32_t cp, unsigned char *out);

/* Whether cp may appear in what we write (see above); tab and newline
 * may. */
int text_cp_allowed(uint32_t cp);

/* A cleaned, malloc'ed copy (NULL: out of memory).  NULL s gives "". */
char *text_clean(const char *s);

/* Cleaned like text_clean(), then every run of white space (tab,
 * newline, space) becomes one space and the ends are trimmed: for
 * titles and one-line fields. */
char *text_clean_line(const char *s);

/*
 * Paragraphs of a text: blank lines separate them; inside a paragraph
 * lines are joined with one space and white space is collapsed.  Call
 * with *pos = 0; each call returns the next paragraph (malloc'ed,
 * cleaned) or NULL at the end.
 */
char *text_next_paragraph(const char *s, size_t *pos);

/* The paragraphs of s (as text_next_paragraph() finds them) joined by
 * one blank line: text from an indented XML file made plain.  Malloc'ed;
 * NULL: out of memory. */
char *text_reflow(const char *s);

/* ratio as a percentage rounded down to three decimals (75.0, 99.999),
 * the figure text_percent() shows. */
double text_percent_value(double ratio);

/* "75.000%": three decimals, rounded down so that 99.9996% never shows
 * as 100%; exactly 1 is "100%". ratio in [0, 1]. */
void text_percent(char *buf, size_t len, double ratio);

#endif
