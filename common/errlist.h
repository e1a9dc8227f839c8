/*
 * errlist.h — the problems found in one file, each "file:line: message".
 *
 * Parsers collect every problem of a file (so an operator fixes them all
 * in one go) and the caller prints or logs the list.
 */
#ifndef GD_ERRLIST_H
#define GD_ERRLIST_H

#include <stddef.h>
#include <stdio.h>

struct gd_err {
	char *file;
	long line;		/* 0 when the problem is the whole file */
	char *msg;
	size_t seq;		/* order of arrival, for a stable sort */
};

struct gd_errlist {
	size_t n, cap;
	struct gd_err *v;
};

#define GD_ERRLIST_INIT { 0, 0, NULL }

void gd_errlist_add(struct gd_errlist *el, const char *file, long line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Removes the problems whose message contains `vague` when another
 * problem says more: one at the same line, or any placed one when the
 * vague problem has no line. */
void gd_errlist_drop_vague(struct gd_errlist *el, const char *vague);
/* Sorts by line (stable), so errors read in file order. */
void gd_errlist_sort(struct gd_errlist *el);
/* "file:line: message" into buf. */
size_t gd_err_format(const struct gd_err *e, char *buf, size_t len);
void gd_errlist_print(const struct gd_errlist *el, FILE *f);
void gd_errlist_log(const struct gd_errlist *el, int prio);
void gd_errlist_clear(struct gd_errlist *el);

#endif
