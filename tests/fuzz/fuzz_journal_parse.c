/*
 * fuzz_journal_parse.c — one journal line (common/journal.c,
 * gd_journal_parse) on any bytes.
 *
 * Beyond "no crash": a line that parses gives NUL-terminated fields, and
 * the event it gives survives the round trip through gd_journal_format
 * and gd_journal_parse (same fields, the time to the millisecond the
 * writer keeps).
 */
#include "fuzz.h"

#include <math.h>

#include "journal.h"

#define FIELD_OK(ev, f) (memchr((ev)->f, '\0', sizeof (ev)->f) != NULL)

static void check_event(const struct gd_event *ev)
{
	FZ_ASSERT(FIELD_OK(ev, id) && FIELD_OK(ev, old_status) &&
		  FIELD_OK(ev, new_status) && FIELD_OK(ev, agent) &&
		  FIELD_OK(ev, detail));
	FZ_ASSERT(gd_event_source_name(ev->source) != NULL);
	FZ_ASSERT(gd_event_kind_name(ev->kind) != NULL);
	FZ_ASSERT(isfinite(ev->time) && ev->time >= 0);
}

/* The writer keeps milliseconds of times below 1e15 s (journal.c). */
static void round_trip(const struct gd_event *ev)
{
	char line[GD_JOURNAL_LINE_MAX + 2];
	struct gd_event back;
	size_t n;

	if (ev->time >= 1e15)
		return;
	n = gd_journal_format(ev, line, sizeof line);
	FZ_ASSERT(n > 0 && line[n - 1] == '\n');
	FZ_ASSERT(gd_journal_parse(line, n - 1, &back) == 0);
	FZ_ASSERT(fabs(back.time - ev->time) <= 0.0005 + ev->time * 1e-15);
	FZ_ASSERT(back.source == ev->source && back.kind == ev->kind);
	FZ_ASSERT(strcmp(back.id, ev->id) == 0);
	FZ_ASSERT(strcmp(back.old_status, ev->old_status) == 0);
	FZ_ASSERT(strcmp(back.new_status, ev->new_status) == 0);
	FZ_ASSERT(strcmp(back.agent, ev->agent) == 0);
	FZ_ASSERT(strcmp(back.detail, ev->detail) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_event ev;
	/* a copy of exactly size bytes: ASan sees any read past the line */
	char *line = malloc(size ? size : 1);

	if (line == NULL)
		abort();
	memcpy(line, data, size);
	if (gd_journal_parse(line, size, &ev) == 0) {
		check_event(&ev);
		round_trip(&ev);
	}
	free(line);
	return 0;
}
