/*
 * test_journal.c — the event journal: format, parse, append, read, and
 * what a crash or a bad disk leaves behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"
#include "log.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-journal-XXXXXX";
static char path[256];

/* ---- helpers ---- */

static struct gd_event event(unsigned i)
{
	struct gd_event ev;

	memset(&ev, 0, sizeof ev);
	ev.time = 1732834500.0 + i + (i % 1000) / 1000.0;
	ev.source = (enum gd_event_source)(i % 3);
	ev.kind = (enum gd_event_kind)(i % 5);
	snprintf(ev.id, sizeof ev.id, "server-%u", i);
	snprintf(ev.old_status, sizeof ev.old_status, "up");
	snprintf(ev.new_status, sizeof ev.new_status, "down");
	snprintf(ev.agent, sizeof ev.agent, "udp:127.0.0.1:%u", 16000 + i);
	snprintf(ev.detail, sizeof ev.detail, "detail\t%u\n", i);
	return ev;
}

static void assert_event_equal(const struct gd_event *a,
			       const struct gd_event *b)
{
	/* written with milliseconds */
	assert_true(a->time - b->time < 0.0005 && b->time - a->time < 0.0005);
	assert_int_equal(a->source, b->source);
	assert_int_equal(a->kind, b->kind);
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->old_status, b->old_status);
	assert_string_equal(a->new_status, b->new_status);
	assert_string_equal(a->agent, b->agent);
	assert_string_equal(a->detail, b->detail);
}

/* Records a read delivers, up to a limit. */
struct sink {
	struct gd_event *v;
	size_t n, cap;
	size_t stop_after;	/* 0: never */
};

static int collect(const struct gd_event *ev, void *arg)
{
	struct sink *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n++] = *ev;
	return s->stop_after != 0 && s->n >= s->stop_after;
}

static void read_all(struct sink *s, struct gd_journal_stats *st)
{
	s->n = 0;
	assert_int_equal(gd_journal_read(path, collect, s, st), 0);
}

static void append_range(unsigned from, unsigned to)
{
	struct gd_journal *j = NULL;
	struct gd_event *ev = calloc(to - from, sizeof *ev);

	for (unsigned i = from; i < to; i++)
		ev[i - from] = event(i);
	assert_int_equal(gd_journal_open(path, &j), 0);
	assert_int_equal(gd_journal_append(j, ev, to - from), 0);
	gd_journal_close(j);
	free(ev);
}

static void assert_records(struct sink *s, unsigned from, unsigned to)
{
	assert_int_equal(s->n, to - from);
	for (unsigned i = from; i < to; i++) {
		struct gd_event want = event(i);

		assert_event_equal(&s->v[i - from], &want);
	}
}

static off_t file_size(void)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static char *file_bytes(size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	*len = (size_t)file_size();
	buf = malloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void put_bytes(const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void add_bytes(const char *buf, size_t len)
{
	FILE *f = fopen(path, "ab");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void add_record(unsigned i)
{
	struct gd_event ev = event(i);
	char line[GD_JOURNAL_LINE_MAX + 2];

	add_bytes(line, gd_journal_format(&ev, line, sizeof line));
}

static size_t record_len(unsigned i)
{
	struct gd_event ev = event(i);
	char line[GD_JOURNAL_LINE_MAX + 2];

	return gd_journal_format(&ev, line, sizeof line);
}

/* Offset of the start of the last line of the file. */
static size_t last_line_start(void)
{
	size_t len, i;
	char *buf = file_bytes(&len);

	for (i = len - 1; i > 0 && buf[i - 1] != '\n'; i--)
		;
	free(buf);
	return i;
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	gd_log_open("test", "n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return ut_rmtree(dir);
}

/* Every test starts from a fresh file name. */
static int fresh(void **state)
{
	static unsigned n;

	(void)state;
	snprintf(path, sizeof path, "%s/journal.%u", dir, n++);
	return 0;
}

/* ---- format and parse ---- */

static void test_golden_line(void **state)
{
	struct gd_event ev, back;
	char buf[GD_JOURNAL_LINE_MAX + 2];
	static const char want[] =
		"1.500\tnotification\tnotification\t"
		"a\\\\b\\tc\\rd\\ne\\x01\\x7f\\x1f\t-\tgdServerDown\t\t"
		"\xc3\xa9t\xc3\xa9 ok\te063088c\n";
	size_t n;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.time = 1.5;
	ev.source = GD_SRC_NOTIFICATION;
	ev.kind = GD_EV_NOTIFICATION;
	strcpy(ev.id, "a\\b\tc\rd\ne\x01\x7f\x1f");
	strcpy(ev.old_status, "-");
	strcpy(ev.new_status, "gdServerDown");
	strcpy(ev.detail, "\xc3\xa9t\xc3\xa9 ok");
	n = gd_journal_format(&ev, buf, sizeof buf);
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(gd_journal_parse(buf, n - 1, &back), 0);
	assert_event_equal(&back, &ev);
	/* exactly the room it needs (line and NUL), and one byte less */
	assert_int_equal(gd_journal_format(&ev, buf, n + 1), n);
	assert_int_equal(gd_journal_format(&ev, buf, n), 0);
}

/* Every byte 1..255 in every text field, at the longest each holds. */
static void test_round_trip_every_byte(void **state)
{
	struct gd_event ev, back;
	char buf[GD_JOURNAL_LINE_MAX + 2];
	char *fields[] = { ev.id, ev.old_status, ev.new_status, ev.agent,
			   ev.detail };
	size_t sizes[] = { sizeof ev.id, sizeof ev.old_status,
			   sizeof ev.new_status, sizeof ev.agent,
			   sizeof ev.detail };
	size_t n;

	(void)state;
	for (unsigned start = 1; start < 256; start += 7) {
		memset(&ev, 0, sizeof ev);
		ev.time = 1732834500.999;
		ev.source = GD_SRC_MONITOR;
		ev.kind = GD_EV_SERVICE;
		for (size_t f = 0; f < 5; f++)
			for (size_t i = 0; i + 1 < sizes[f]; i++)
				fields[f][i] =
					(char)(1 + (start + i + f) % 255);
		n = gd_journal_format(&ev, buf, sizeof buf);
		assert_true(n > 0 && n <= GD_JOURNAL_LINE_MAX + 1);
		assert_int_equal(gd_journal_parse(buf, n - 1, &back), 0);
		assert_event_equal(&back, &ev);
	}
}

static void test_format_refuses(void **state)
{
	struct gd_event ev = event(1);
	char buf[GD_JOURNAL_LINE_MAX + 2];
	static const double bad_times[] = { -1.0, 1e16, 0.0 / 0.0, 1.0 / 0.0 };

	(void)state;
	for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
		ev.time = bad_times[i];
		assert_int_equal(gd_journal_format(&ev, buf, sizeof buf), 0);
	}
	ev = event(1);
	ev.source = (enum gd_event_source)7;
	assert_int_equal(gd_journal_format(&ev, buf, sizeof buf), 0);
	ev = event(1);
	ev.kind = (enum gd_event_kind)-1;
	assert_int_equal(gd_journal_format(&ev, buf, sizeof buf), 0);
}

/* CRC-32 bit by bit: a second implementation to check the writer's. */
static uint32_t slow_crc(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n-- > 0) {
		c ^= (unsigned char)*p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

static const struct parse_case {
	const char *name;
	const char *line;	/* "@" is replaced by a right CRC */
} parse_bad[] = {
	{ "too few fields", "1.000\tpoll\tserver\ta\tup\tdown\tp\t@" },
	{ "too many fields", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\tx\t@" },
	{ "wrong crc", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\t00000000" },
	{ "short crc", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\t0000000" },
	{ "uppercase crc", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\t#" },
	{ "no time", "\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "negative time", "-1.000\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "time with dot only", "1.\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "time with comma", "1,5\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "time too precise",
	  "1.0123456789\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "time too large",
	  "12345678901234567\tpoll\tserver\ta\tup\tdown\tp\td\t@" },
	{ "unknown source", "1.000\tpol\tserver\ta\tup\tdown\tp\td\t@" },
	{ "unknown kind", "1.000\tpoll\tservers\ta\tup\tdown\tp\td\t@" },
	{ "unknown escape", "1.000\tpoll\tserver\ta\\q\tup\tdown\tp\td\t@" },
	{ "short hex escape", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\\x1\t@" },
	{ "bad hex escape", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\\xg1\t@" },
	{ "NUL escape", "1.000\tpoll\tserver\ta\\x00\tup\tdown\tp\td\t@" },
	{ "trailing backslash", "1.000\tpoll\tserver\ta\tup\tdown\tp\td\\\t@" },
	{ "raw CR", "1.000\tpoll\tserver\ta\r\tup\tdown\tp\td\t@" },
	{ "raw DEL", "1.000\tpoll\tserver\ta\tup\x7f\tdown\tp\td\t@" },
	{ "old too long", "1.000\tpoll\tserver\ta\t"
	  "0123456789012345678901234567890123\tdown\tp\td\t@" },
};

/* tmpl into line with "@" (or "#") replaced by the right CRC of what
 * precedes its tab (in uppercase for "#"); the line's length. */
static size_t make_line(const char *tmpl, char *line, size_t len)
{
	size_t n = (size_t)snprintf(line, len, "%s", tmpl);
	char *mark = strpbrk(line, "@#");
	char crc[9];

	if (mark == NULL)
		return n;
	snprintf(crc, sizeof crc, *mark == '@' ? "%08x" : "%08X",
		 slow_crc(line, (size_t)(mark - 1 - line)));
	memmove(mark + 8, mark + 1, strlen(mark + 1) + 1);
	memcpy(mark, crc, 8);
	return n + 7;
}

static void test_parse_bad(void **state)
{
	char line[GD_JOURNAL_LINE_MAX * 2];
	struct gd_event ev;

	(void)state;
	/* the template is right when its body is good */
	make_line("1.000\tpoll\tserver\ta\tup\tdown\tp\td\t@", line, sizeof line);
	assert_int_equal(gd_journal_parse(line, strlen(line), &ev), 0);
	for (size_t i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
		size_t n = make_line(parse_bad[i].line, line, sizeof line);

		if (gd_journal_parse(line, n, &ev) == 0)
			fail_msg("%s: accepted", parse_bad[i].name);
	}
}

static void test_parse_bad_lengths(void **state)
{
	char line[GD_JOURNAL_LINE_MAX * 2];
	struct gd_event ev = event(3);
	size_t n;

	(void)state;
	n = gd_journal_format(&ev, line, sizeof line) - 1;
	assert_int_equal(gd_journal_parse(line, n, &ev), 0);
	/* a NUL inside the line */
	line[2] = '\0';
	assert_int_equal(gd_journal_parse(line, n, &ev), -1);
	/* an id of 127 bytes fits, one of 128 does not */
	for (int idlen = 127; idlen <= 128; idlen++) {
		char tmpl[300];

		snprintf(tmpl, sizeof tmpl,
			 "1.0\tpoll\tserver\t%0*d\tup\tdown\tp\td\t@", idlen, 0);
		n = make_line(tmpl, line, sizeof line);
		assert_int_equal(gd_journal_parse(line, n, &ev),
				 idlen == 127 ? 0 : -1);
	}
	/* longer than any record */
	memset(line, 'a', sizeof line);
	assert_int_equal(gd_journal_parse(line, GD_JOURNAL_LINE_MAX + 1, &ev),
			 -1);
	assert_int_equal(gd_journal_parse(line, 0, &ev), -1);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(gd_event_source_name(GD_SRC_POLL), "poll");
	assert_string_equal(gd_event_source_name(GD_SRC_NOTIFICATION),
			    "notification");
	assert_string_equal(gd_event_source_name(GD_SRC_MONITOR), "monitor");
	assert_string_equal(gd_event_kind_name(GD_EV_SERVER), "server");
	assert_string_equal(gd_event_kind_name(GD_EV_GROUP), "group");
	assert_string_equal(gd_event_kind_name(GD_EV_SERVICE), "service");
	assert_string_equal(gd_event_kind_name(GD_EV_AGENT), "agent");
	assert_string_equal(gd_event_kind_name(GD_EV_NOTIFICATION),
			    "notification");
	assert_null(gd_event_kind_name((enum gd_event_kind)5));
}

/* ---- append and read ---- */

static void test_append_read(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t len;
	char *buf;

	(void)state;
	append_range(0, 1);
	append_range(1, 4);
	append_range(4, 10);
	read_all(&s, &st);
	assert_records(&s, 0, 10);
	assert_int_equal(st.records, 10);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.torn, 0);
	buf = file_bytes(&len);
	assert_memory_equal(buf, GD_JOURNAL_MAGIC "\n",
			    strlen(GD_JOURNAL_MAGIC) + 1);
	free(buf);
	free(s.v);
}

static void test_append_nothing(void **state)
{
	struct gd_journal *j = NULL;
	off_t size;

	(void)state;
	assert_int_equal(gd_journal_open(path, &j), 0);
	size = file_size();
	assert_int_equal(size, (off_t)strlen(GD_JOURNAL_MAGIC) + 1);
	assert_int_equal(gd_journal_append(j, NULL, 0), 0);
	assert_int_equal(file_size(), size);
	gd_journal_close(j);
}

/* A bad record in a batch: the whole batch is refused, nothing written. */
static void test_append_invalid(void **state)
{
	struct gd_journal *j = NULL;
	struct gd_event ev[3] = { event(0), event(1), event(2) };
	off_t size;

	(void)state;
	assert_int_equal(gd_journal_open(path, &j), 0);
	size = file_size();
	ev[2].time = -5;
	assert_int_equal(gd_journal_append(j, ev, 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(file_size(), size);
	gd_journal_close(j);
}

static void test_callback_stops(void **state)
{
	struct sink s = { .stop_after = 3 };
	struct gd_journal_stats st;

	(void)state;
	append_range(0, 10);
	read_all(&s, &st);
	assert_records(&s, 0, 3);
	assert_int_equal(st.records, 3);
	free(s.v);
}

static void test_one_writer(void **state)
{
	struct gd_journal *j = NULL, *k = NULL;

	(void)state;
	assert_int_equal(gd_journal_open(path, &j), 0);
	assert_int_equal(gd_journal_open(path, &k), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	gd_journal_close(j);
	assert_int_equal(gd_journal_open(path, &k), 0);
	gd_journal_close(k);
}

/* ---- what a crash leaves ---- */

/*
 * Cut the file at every byte of its last record: the reader returns the
 * earlier ones and counts the torn one; opening for append truncates it
 * and a new record follows cleanly.
 */
static void test_torn_every_offset(void **state)
{
	struct gd_event last = event(100);
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t len, start;
	char *whole;

	(void)state;
	append_range(0, 5);
	start = last_line_start();
	whole = file_bytes(&len);
	for (size_t cut = start; cut < len; cut++) {
		put_bytes(whole, cut);
		read_all(&s, &st);
		assert_records(&s, 0, 4);
		assert_int_equal(st.bad, 0);
		assert_int_equal(st.torn, cut > start);
		assert_int_equal(st.torn_bytes, cut - start);

		append_range(100, 101);
		assert_int_equal(file_size(), (off_t)(start + record_len(100)));
		read_all(&s, &st);
		assert_int_equal(st.torn, 0);
		s.n--;
		assert_records(&s, 0, 4);
		assert_event_equal(&s.v[4], &last);
	}
	free(whole);
	free(s.v);
}

/* A complete last line with a bad CRC (a sector of garbage) is torn too. */
static void test_torn_bad_crc(void **state)
{
	struct gd_event want;
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t len, start;
	char *buf;

	(void)state;
	append_range(0, 3);
	start = last_line_start();
	buf = file_bytes(&len);
	buf[start + 3] ^= 1;
	put_bytes(buf, len);
	read_all(&s, &st);
	assert_records(&s, 0, 2);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.torn_bytes, len - start);
	append_range(3, 4);
	assert_int_equal(file_size(), (off_t)(start + record_len(3)));
	read_all(&s, &st);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.bad, 0);
	assert_int_equal(s.n, 3);
	want = event(3);
	assert_event_equal(&s.v[2], &want);
	free(buf);
	free(s.v);
}

/* A crash as the journal was created: a part of the magic line. */
static void test_torn_magic(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;

	(void)state;
	put_bytes(GD_JOURNAL_MAGIC, 7);
	read_all(&s, &st);
	assert_int_equal(s.n, 0);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.torn_bytes, 7);
	append_range(0, 2);
	read_all(&s, &st);
	assert_records(&s, 0, 2);
	assert_int_equal(st.torn, 0);
	free(s.v);
}

/* ---- bad records in the middle ---- */

static void test_bad_middle(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t len;
	char *buf, *p;

	(void)state;
	append_range(0, 5);
	buf = file_bytes(&len);
	/* the third record (line 4 of the file): flip a byte of its id */
	p = buf;
	for (int i = 0; i < 3; i++)
		p = strchr(p, '\n') + 1;
	p[20] ^= 0x20;
	put_bytes(buf, len);
	read_all(&s, &st);
	assert_int_equal(s.n, 4);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.bad, 1);
	assert_int_equal(st.torn, 0);
	for (unsigned i = 0; i < 4; i++) {
		struct gd_event want = event(i < 2 ? i : i + 1);

		assert_event_equal(&s.v[i], &want);
	}
	/* the writer keeps what is in the middle */
	append_range(5, 6);
	read_all(&s, &st);
	assert_int_equal(st.bad, 1);
	assert_int_equal(s.n, 5);
	free(buf);
	free(s.v);
}

/* Junk lines: long ones (also across the reader's buffer), NUL bytes,
 * empty lines, a lone CR. */
static void test_junk_lines(void **state)
{
	static const size_t sizes[] = { 0, 1, GD_JOURNAL_LINE_MAX,
					GD_JOURNAL_LINE_MAX + 1, 10000,
					3u << 20 };
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t nsizes = sizeof sizes / sizeof sizes[0];
	char *junk = malloc(3u << 20);

	(void)state;
	memset(junk, 'x', 3u << 20);
	/* written by hand: the writer would trim junk at the end */
	append_range(0, 1);
	for (size_t i = 0; i < nsizes; i++) {
		add_bytes(junk, sizes[i]);
		add_bytes("\n", 1);
		add_record((unsigned)i + 1);
	}
	add_bytes("a\0b\0\n", 5);
	add_bytes("\r\n", 2);
	add_record((unsigned)nsizes + 1);
	read_all(&s, &st);
	assert_int_equal(st.bad, nsizes + 2);
	assert_int_equal(st.torn, 0);
	assert_records(&s, 0, (unsigned)nsizes + 2);
	free(junk);
	free(s.v);
}

/* A long torn tail: torn_bytes counts all of it; the writer cuts it. */
static void test_long_torn_tail(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;
	size_t n = (2u << 20) + 123;
	char *junk = calloc(1, n);	/* NULs, as a crashed ext4 can show */
	off_t size;

	(void)state;
	append_range(0, 3);
	size = file_size();
	add_bytes(junk, n);
	read_all(&s, &st);
	assert_records(&s, 0, 3);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.torn_bytes, n);
	append_range(3, 4);
	read_all(&s, &st);
	assert_records(&s, 0, 4);
	assert_true(file_size() > size);
	free(junk);
	free(s.v);
}

static void test_empty_file(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;

	(void)state;
	put_bytes("", 0);
	read_all(&s, &st);
	assert_int_equal(s.n, 0);
	assert_int_equal(st.torn, 0);
	append_range(0, 1);
	read_all(&s, &st);
	assert_records(&s, 0, 1);
	free(s.v);
}

static void test_magic_only(void **state)
{
	struct sink s = { 0 };
	struct gd_journal_stats st;
	struct gd_journal *j = NULL;

	(void)state;
	assert_int_equal(gd_journal_open(path, &j), 0);
	gd_journal_close(j);
	read_all(&s, &st);
	assert_int_equal(s.n, 0);
	assert_int_equal(st.torn + st.bad, 0);
	/* reopened: nothing to trim */
	assert_int_equal(gd_journal_open(path, &j), 0);
	gd_journal_close(j);
	assert_int_equal(file_size(), (off_t)strlen(GD_JOURNAL_MAGIC) + 1);
}

static void test_missing_file(void **state)
{
	struct gd_journal_stats st;

	(void)state;
	assert_int_equal(gd_journal_read(path, collect, NULL, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* Another file under the journal's name is neither read nor appended. */
static void test_not_a_journal(void **state)
{
	static const char *const texts[] = {
		"hello\n", "#greendot-journal 2\n", "#greendot-journal 1x\n",
		"#greendot-journal 1", "x",
	};
	struct gd_journal *j = NULL;
	struct gd_journal_stats st;

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		put_bytes(texts[i], strlen(texts[i]));
		if (i == 3)	/* the magic torn before its newline */
			continue;
		assert_int_equal(gd_journal_read(path, collect, NULL, &st), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(gd_journal_open(path, &j), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(file_size(), (off_t)strlen(texts[i]));
	}
}

/*
 * A write that fails partway (the file size limit stands in for a full
 * disk): the journal is cut back and no partial record stays.
 */
static void test_append_fails_partway(void **state)
{
	struct gd_event ev[50];
	struct sink s = { 0 };
	struct gd_journal_stats st;
	pid_t pid;
	int status;
	off_t size;

	(void)state;
	append_range(0, 2);
	size = file_size();
	for (unsigned i = 0; i < 50; i++)
		ev[i] = event(i + 2);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { (rlim_t)size + 1000, (rlim_t)size + 1000 };
		struct gd_journal *j = NULL;

		signal(SIGXFSZ, SIG_IGN);
		if (gd_journal_open(path, &j) < 0 ||
		    setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(2);
		if (gd_journal_append(j, ev, 50) == 0 || errno != EFBIG)
			_exit(3);
		gd_journal_close(j);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(file_size(), size);
	read_all(&s, &st);
	assert_records(&s, 0, 2);
	assert_int_equal(st.torn + st.bad, 0);
	free(s.v);
}

/* Many records in one batch and one read; stats without a sink. */
static void test_many(void **state)
{
	struct gd_journal_stats st;
	struct sink s = { 0 };

	(void)state;
	append_range(0, 20000);
	read_all(&s, &st);
	assert_int_equal(st.records, 20000);
	assert_records(&s, 0, 20000);
	assert_int_equal(gd_journal_read(path, collect, &s, NULL), 0);
	free(s.v);
}

#define T(f) cmocka_unit_test_setup(f, fresh)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_golden_line),
		T(test_round_trip_every_byte),
		T(test_format_refuses),
		T(test_parse_bad),
		T(test_parse_bad_lengths),
		T(test_names),
		T(test_append_read),
		T(test_append_nothing),
		T(test_append_invalid),
		T(test_callback_stops),
		T(test_one_writer),
		T(test_torn_every_offset),
		T(test_torn_bad_crc),
		T(test_torn_magic),
		T(test_bad_middle),
		T(test_junk_lines),
		T(test_long_torn_tail),
		T(test_empty_file),
		T(test_magic_only),
		T(test_missing_file),
		T(test_not_a_journal),
		T(test_append_fails_partway),
		T(test_many),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
