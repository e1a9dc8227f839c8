/*
 * errlist.c — "file:line: message" lists; see errlist.h.
 */
#include "errlist.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static void errlist_vadd(struct gd_errlist *el, const char *file, long line,
			 const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

void gd_errlist_add(struct gd_errlist *el, const char *file, long line,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errlist_vadd(el, file, line, fmt, ap);
	va_end(ap);
}

static void errlist_vadd(struct gd_errlist *el, const char *file, long line,
			 const char *fmt, va_list ap)
{
	char *msg = NULL, *fcopy = NULL;

	if (el->n == el->cap) {
		size_t cap = el->cap ? el->cap * 2 : 16;
		struct gd_err *v = realloc(el->v, cap * sizeof *v);

		if (v == NULL)
			return;	/* out of memory: the caller still fails */
		el->v = v;
		el->cap = cap;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fcopy = strdup(file ? file : "-");
	if (msg == NULL || fcopy == NULL) {
		free(msg);
		free(fcopy);
		return;
	}
	/* one line per problem: libxml2 ends its messages with '\n' */
	for (size_t n = strlen(msg); n > 0 && msg[n - 1] == '\n'; n--)
		msg[n - 1] = '\0';
	el->v[el->n] = (struct gd_err){ fcopy, line, msg, el->n };
	el->n++;
}

/* Another problem says more than problem i: one that is not vague
 * itself (two vague ones do not excuse each other: both would go) and is
 * at the same line, or placed at all when problem i has no line
 * (libxml2 leaves some validity errors unplaced). */
static bool said_better(const struct gd_errlist *el, size_t i,
			const char *vague)
{
	for (size_t j = 0; j < el->n; j++) {
		const struct gd_err *e = &el->v[j];

		if (j == i || e->msg == NULL || strstr(e->msg, vague) != NULL)
			continue;
		if (e->line == el->v[i].line || (el->v[i].line <= 0 && e->line > 0))
			return true;
	}
	return false;
}

void gd_errlist_drop_vague(struct gd_errlist *el, const char *vague)
{
	size_t w = 0;

	for (size_t i = 0; i < el->n; i++) {
		if (strstr(el->v[i].msg, vague) != NULL &&
		    said_better(el, i, vague)) {
			free(el->v[i].file);
			free(el->v[i].msg);
			el->v[i].msg = NULL;
			continue;
		}
	}
	for (size_t i = 0; i < el->n; i++)
		if (el->v[i].msg != NULL)
			el->v[w++] = el->v[i];
	el->n = w;
}

static int by_line(const void *a, const void *b)
{
	const struct gd_err *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	/* qsort is not stable: keep the order of arrival */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void gd_errlist_sort(struct gd_errlist *el)
{
	if (el->n > 1)
		qsort(el->v, el->n, sizeof *el->v, by_line);
}

size_t gd_err_format(const struct gd_err *e, char *buf, size_t len)
{
	int n;

	if (e->line > 0)
		n = snprintf(buf, len, "%s:%ld: %s", e->file, e->line, e->msg);
	else
		n = snprintf(buf, len, "%s: %s", e->file, e->msg);
	return n < 0 ? 0 : (size_t)n;
}

void gd_errlist_print(const struct gd_errlist *el, FILE *f)
{
	char buf[1024];

	for (size_t i = 0; i < el->n; i++) {
		gd_err_format(&el->v[i], buf, sizeof buf);
		fprintf(f, "%s\n", buf);
	}
}

void gd_errlist_log(const struct gd_errlist *el, int prio)
{
	char buf[1024];

	for (size_t i = 0; i < el->n; i++) {
		gd_err_format(&el->v[i], buf, sizeof buf);
		gd_log(prio, "%s", buf);
	}
}

void gd_errlist_clear(struct gd_errlist *el)
{
	for (size_t i = 0; i < el->n; i++) {
		free(el->v[i].file);
		free(el->v[i].msg);
	}
	free(el->v);
	el->v = NULL;
	el->n = el->cap = 0;
}
