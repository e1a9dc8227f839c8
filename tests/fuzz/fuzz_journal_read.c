/*
 * fuzz_journal_read.c — the journal file (common/journal.c) on any bytes:
 * gd_journal_read (buffered line splitting, the magic line, bad and torn
 * records, lines past the maximum), then the writer's side on the same
 * file: gd_journal_open (trims a torn tail), gd_journal_append.
 *
 * The file is a memfd (nothing on disk).  Beyond "no crash, no leak":
 * what the reader calls good is what it counts, at most one tail is
 * torn, and the promise of journal.h holds: open cuts exactly the torn
 * tail the reader skipped, and after one append a reader finds exactly
 * one good record more (a new record never glues onto a torn one).
 */
#include "fuzz.h"

#include <errno.h>
#include <sys/stat.h>

#include "journal.h"

static int count(const struct gd_event *ev, void *arg)
{
	FZ_ASSERT(memchr(ev->detail, '\0', sizeof ev->detail) != NULL);
	(*(size_t *)arg)++;
	return 0;
}

/* The size open leaves: the file less its torn tail (a torn magic line
 * is written anew, an empty file gets one). */
static off_t size_after_open(size_t size, const struct gd_journal_stats *st)
{
	const size_t magic = sizeof GD_JOURNAL_MAGIC;	/* with its '\n' */

	if (size < magic)
		return (off_t)magic;
	return (off_t)(size - (st->torn ? st->torn_bytes : 0));
}

static void append_one(const char *path, int fd, off_t expect, size_t before)
{
	struct stat sb;
	struct gd_event ev = { .time = 1732834500.123, .source = GD_SRC_POLL,
			       .kind = GD_EV_SERVER };
	struct gd_journal_stats st;
	struct gd_journal *j = NULL;
	size_t seen = 0;

	strcpy(ev.id, "web1");
	strcpy(ev.old_status, "up");
	strcpy(ev.new_status, "down");
	strcpy(ev.agent, "udp:127.0.0.1:161");
	strcpy(ev.detail, "connection refused");
	if (gd_journal_open(path, &j) < 0) {
		/* a new journal fsyncs its folder: /proc/self/fd says EINVAL */
		FZ_ASSERT(expect == (off_t)sizeof GD_JOURNAL_MAGIC &&
			  errno == EINVAL);
		return;
	}
	FZ_ASSERT(fstat(fd, &sb) == 0 && sb.st_size == expect);
	FZ_ASSERT(gd_journal_append(j, &ev, 1) == 0);
	gd_journal_close(j);
	FZ_ASSERT(gd_journal_read(path, count, &seen, &st) == 0);
	FZ_ASSERT(st.records == before + 1 && seen == st.records);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_journal_stats st;
	char path[64];
	size_t seen = 0;
	int fd = fz_memfd(data, size, path, sizeof path);

	if (gd_journal_read(path, count, &seen, &st) == 0) {
		FZ_ASSERT(seen == st.records);
		FZ_ASSERT(st.torn <= 1);
		FZ_ASSERT(st.torn == 0 || st.torn_bytes > 0);
		append_one(path, fd, size_after_open(size, &st), st.records);
	} else {
		FZ_ASSERT(errno == EINVAL);
	}
	close(fd);
	return 0;
}
