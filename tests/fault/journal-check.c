/*
 * journal-check — reads a greendot journal the way greendot-render does
 * (gd_journal_read) and says what it found, for the fault tests:
 *
 *   journal-check JOURNAL
 *   records 1234 bad 0 torn 0 torn_bytes 0 last 1732834500.123
 *
 * Exit 0 when the journal reads (a torn tail or bad records are
 * tolerated: they are counted), 1 when it cannot be read or is not a
 * journal, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "journal.h"
#include "log.h"

struct seen {
	double last;
	size_t backwards;	/* records older than the one before */
};

static int on_record(const struct gd_event *ev, void *arg)
{
	struct seen *s = arg;

	/* the monitor stamps records as it appends them */
	if (ev->time + 1.0 < s->last)
		s->backwards++;
	if (ev->time > s->last)
		s->last = ev->time;
	return 0;
}

int main(int argc, char **argv)
{
	struct gd_journal_stats st;
	struct seen s = { 0, 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: journal-check JOURNAL\n");
		return 2;
	}
	gd_log_open("journal-check", "e");
	if (gd_journal_read(argv[1], on_record, &s, &st) < 0) {
		fprintf(stderr, "journal-check: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	printf("records %zu bad %zu torn %zu torn_bytes %zu last %.3f "
	       "backwards %zu\n", st.records, st.bad, st.torn, st.torn_bytes,
	       s.last, s.backwards);
	gd_log_close();
	return 0;
}
