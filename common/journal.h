/*
 * journal.h — the append-only event journal (DATA/journal).
 *
 * One record per line, fields separated by tabs, the last field the CRC-32
 * (IEEE, 8 lowercase hex digits) of everything before its tab:
 *
 *   TIME SOURCE KIND ID OLD NEW AGENT DETAIL CRC
 *
 *   TIME    seconds since the epoch, UTC, with milliseconds: 1732834500.123
 *   SOURCE  poll | notification | monitor
 *   KIND    server | group | service | agent | notification
 *   ID      the object's id (for agent records: the peer)
 *   OLD,NEW status words (status.h); for a notification record OLD is "-"
 *           and NEW the notification's name (gdServerDown ...)
 *   AGENT   the peer the event came from
 *   DETAIL  free text (last error, varbind summary), may be empty
 *
 * Text fields escape backslash, tab, CR, LF as \\ \t \r \n and other
 * control bytes as \xHH.  The first line is "#greendot-journal 1".
 *
 * Appends are fsynced.  A crash can tear the last record: readers skip a
 * last line without its newline or with a bad CRC (and count it); the
 * writer truncates such a tail when it opens the journal, so new records
 * never glue onto a torn one.  A bad record in the middle is skipped and
 * counted, never fatal.
 */
#ifndef GD_JOURNAL_H
#define GD_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#define GD_JOURNAL_MAGIC "#greendot-journal 1"
/* No record line is longer (without its newline): every field of
 * struct gd_event escaped at 4 bytes a byte fits.  A longer line is a
 * bad record. */
#define GD_JOURNAL_LINE_MAX 4096

enum gd_event_source { GD_SRC_POLL, GD_SRC_NOTIFICATION, GD_SRC_MONITOR };
enum gd_event_kind {
	GD_EV_SERVER, GD_EV_GROUP, GD_EV_SERVICE, GD_EV_AGENT,
	GD_EV_NOTIFICATION,
};

struct gd_event {
	double time;
	enum gd_event_source source;
	enum gd_event_kind kind;
	char id[128];
	char old_status[32];
	char new_status[32];
	char agent[128];
	char detail[512];
};

struct gd_journal;

struct gd_journal_stats {
	size_t records;		/* good records read */
	size_t bad;		/* records skipped in the middle */
	size_t torn;		/* 1 when the last record was torn */
	size_t torn_bytes;	/* its size */
};

/* Opens (creating) for appending; truncates a torn tail.  0 or -1/errno:
 * EINVAL when the file is not a journal, EWOULDBLOCK when another
 * process has it open for appending. */
int gd_journal_open(const char *path, struct gd_journal **out);
/* Appends n records with one write and one fdatasync.  0 or -1/errno
 * (not logged: the caller knows how often to say it); on failure nothing
 * partial stays (the file is truncated back). */
int gd_journal_append(struct gd_journal *j, const struct gd_event *ev,
		      size_t n);
void gd_journal_close(struct gd_journal *j);

typedef int (*gd_journal_cb)(const struct gd_event *ev, void *arg);
/* Calls cb for each good record in order; cb returning non-zero stops.
 * 0, or -1/errno when the file cannot be read (EINVAL: its first line is
 * not GD_JOURNAL_MAGIC).  stats may be NULL. */
int gd_journal_read(const char *path, gd_journal_cb cb, void *arg,
		    struct gd_journal_stats *stats);

/* One record as a line (with CRC and newline, NUL-terminated) into buf;
 * for tests and tools.  Returns its length, or 0 when buf is too small
 * or ev cannot be written (time negative or not finite, unknown source
 * or kind). */
size_t gd_journal_format(const struct gd_event *ev, char *buf, size_t len);
/* Parses one line (without its newline).  0, or -1 when bad. */
int gd_journal_parse(const char *line, size_t len, struct gd_event *ev);

const char *gd_event_source_name(enum gd_event_source s);
const char *gd_event_kind_name(enum gd_event_kind k);

#endif
