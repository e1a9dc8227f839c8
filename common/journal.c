/*
 * journal.c — the append-only event journal; see journal.h.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "log.h"

#define MAGIC_LINE GD_JOURNAL_MAGIC "\n"
#define MAGIC_LEN (sizeof MAGIC_LINE - 1)
#define NFIELDS 9
#define CRC_LEN 8
#define READ_CHUNK (1u << 20)	/* reader buffer, far above a line */
#define SCAN_CHUNK 65536	/* backwards scan for the last newline */
/* Beyond this the millisecond count leaves a double's exact range. */
#define TIME_MAX 1e15

struct gd_journal {
	int fd;
	char *path;
};

static const char *const source_names[] = {
	[GD_SRC_POLL] = "poll",
	[GD_SRC_NOTIFICATION] = "notification",
	[GD_SRC_MONITOR] = "monitor",
};

static const char *const kind_names[] = {
	[GD_EV_SERVER] = "server", [GD_EV_GROUP] = "group",
	[GD_EV_SERVICE] = "service", [GD_EV_AGENT] = "agent",
	[GD_EV_NOTIFICATION] = "notification",
};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

const char *gd_event_source_name(enum gd_event_source s)
{
	return (unsigned)s < NAMES(source_names) ? source_names[s] : NULL;
}

const char *gd_event_kind_name(enum gd_event_kind k)
{
	return (unsigned)k < NAMES(kind_names) ? kind_names[k] : NULL;
}

/* The index of the word s (n bytes) in names, or -1. */
static int word_index(const char *const *names, size_t nnames, const char *s,
		      size_t n)
{
	for (size_t i = 0; i < nnames; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return (int)i;
	return -1;
}

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib and cksum -o 3) ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_ieee(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	/* entry 1 is never 0 once the table is built */
	if (crc_table[1] == 0)
		crc_init();
	while (n-- > 0)
		c = crc_table[(c ^ (unsigned char)*p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- formatting ---- */

/* A bounded output cursor: ok turns false on the first overflow. */
struct out {
	char *p;
	size_t len, cap;
	bool ok;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (!o->ok || o->cap - o->len < n) {
		o->ok = false;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_escaped(struct out *o, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strnlen(s, max);

	for (size_t i = 0; i < n && o->ok; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[4] = { '\\', (char)c, 0, 0 };
		size_t elen = 2;

		if (c == '\t' || c == '\r' || c == '\n')
			esc[1] = c == '\t' ? 't' : c == '\r' ? 'r' : 'n';
		else if (c < 0x20 || c == 0x7f) {
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			elen = 4;
		} else if (c != '\\')
			elen = 0;
		if (elen > 0)
			put(o, esc, elen);
		else
			put(o, (const char *)&s[i], 1);
	}
}

/* Seconds with milliseconds, without the locale's decimal comma. */
static bool format_time(double t, char *buf, size_t len)
{
	long long ms;

	if (!isfinite(t) || t < 0 || t >= TIME_MAX)
		return false;
	ms = llround(t * 1000.0);
	return snprintf(buf, len, "%lld.%03lld", ms / 1000, ms % 1000) <
	       (int)len;
}

size_t gd_journal_format(const struct gd_event *ev, char *buf, size_t len)
{
	struct out o = { buf, 0, len, true };
	const char *src = gd_event_source_name(ev->source);
	const char *kind = gd_event_kind_name(ev->kind);
	char t[32], crc[16];

	if (src == NULL || kind == NULL || !format_time(ev->time, t, sizeof t))
		return 0;
	put(&o, t, strlen(t));
	put(&o, "\t", 1);
	put(&o, src, strlen(src));
	put(&o, "\t", 1);
	put(&o, kind, strlen(kind));
	put(&o, "\t", 1);
	put_escaped(&o, ev->id, sizeof ev->id);
	put(&o, "\t", 1);
	put_escaped(&o, ev->old_status, sizeof ev->old_status);
	put(&o, "\t", 1);
	put_escaped(&o, ev->new_status, sizeof ev->new_status);
	put(&o, "\t", 1);
	put_escaped(&o, ev->agent, sizeof ev->agent);
	put(&o, "\t", 1);
	put_escaped(&o, ev->detail, sizeof ev->detail);
	if (!o.ok || o.len > GD_JOURNAL_LINE_MAX - CRC_LEN - 1)
		return 0;
	snprintf(crc, sizeof crc, "\t%08x\n", crc32_ieee(buf, o.len));
	put(&o, crc, strlen(crc) + 1);	/* with the NUL */
	return o.ok ? o.len - 1 : 0;
}

/* ---- parsing ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape at s (n bytes left, s[0] == '\\') into *c; its length or 0. */
static size_t unescape_one(const char *s, size_t n, char *c)
{
	int hi, lo;

	if (n < 2)
		return 0;
	switch (s[1]) {
	case '\\': *c = '\\'; return 2;
	case 't': *c = '\t'; return 2;
	case 'r': *c = '\r'; return 2;
	case 'n': *c = '\n'; return 2;
	case 'x':
		if (n < 4 || (hi = hexval(s[2])) < 0 || (lo = hexval(s[3])) < 0)
			return 0;
		*c = (char)(hi << 4 | lo);
		return *c == '\0' ? 0 : 4;	/* would cut the string */
	default:
		return 0;
	}
}

/* Field s (n bytes) unescaped into dst (cap bytes with the NUL). */
static int unescape(const char *s, size_t n, char *dst, size_t cap)
{
	size_t o = 0, step;

	for (size_t i = 0; i < n; i += step) {
		unsigned char c = (unsigned char)s[i];

		step = 1;
		/* the writer escapes every control byte */
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (c == '\\' && (step = unescape_one(s + i, n - i,
						      (char *)&c)) == 0)
			return -1;
		if (o + 1 >= cap)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

/* "S" or "S.fff" (1 to 9 decimals) into *t. */
static int parse_time(const char *s, size_t n, double *t)
{
	double sec = 0, frac = 0, scale = 1;
	size_t i = 0, nd;

	for (; i < n && s[i] >= '0' && s[i] <= '9' && i < 16; i++)
		sec = sec * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.') {
		for (nd = 0, i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			frac = frac * 10 + (s[i] - '0');
			scale *= 10;
			if (++nd > 9)
				return -1;
		}
		if (nd == 0)
			return -1;
	}
	if (i != n)
		return -1;
	*t = sec + frac / scale;
	return 0;
}

static int parse_crc(const char *s, size_t n, uint32_t *crc)
{
	uint32_t v = 0;

	if (n != CRC_LEN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* lowercase only: one spelling per record */
		if (!(s[i] >= '0' && s[i] <= '9') &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return -1;
		v = v << 4 | (uint32_t)hexval(s[i]);
	}
	*crc = v;
	return 0;
}

/* Splits line at tabs into exactly NFIELDS fields. */
static int split(const char *line, size_t len, const char **f, size_t *flen)
{
	const char *p = line, *end = line + len, *tab;
	size_t i = 0;

	for (; i < NFIELDS; i++) {
		tab = memchr(p, '\t', (size_t)(end - p));
		f[i] = p;
		flen[i] = (size_t)((tab ? tab : end) - p);
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	return i == NFIELDS - 1 ? 0 : -1;
}

static int parse_fields(const char **f, const size_t *fl, struct gd_event *e)
{
	int src = word_index(source_names, NAMES(source_names), f[1], fl[1]);
	int kind = word_index(kind_names, NAMES(kind_names), f[2], fl[2]);

	if (src < 0 || kind < 0 || parse_time(f[0], fl[0], &e->time) < 0)
		return -1;
	e->source = (enum gd_event_source)src;
	e->kind = (enum gd_event_kind)kind;
	if (unescape(f[3], fl[3], e->id, sizeof e->id) < 0 ||
	    unescape(f[4], fl[4], e->old_status, sizeof e->old_status) < 0 ||
	    unescape(f[5], fl[5], e->new_status, sizeof e->new_status) < 0 ||
	    unescape(f[6], fl[6], e->agent, sizeof e->agent) < 0 ||
	    unescape(f[7], fl[7], e->detail, sizeof e->detail) < 0)
		return -1;
	return 0;
}

int gd_journal_parse(const char *line, size_t len, struct gd_event *ev)
{
	const char *f[NFIELDS];
	size_t fl[NFIELDS];
	struct gd_event e;
	uint32_t crc;

	if (len > GD_JOURNAL_LINE_MAX || split(line, len, f, fl) < 0)
		return -1;
	if (parse_crc(f[8], fl[8], &crc) < 0 ||
	    crc != crc32_ieee(line, (size_t)(f[8] - 1 - line)))
		return -1;
	memset(&e, 0, sizeof e);
	if (parse_fields(f, fl, &e) < 0)
		return -1;
	*ev = e;
	return 0;
}

/* ---- reading ---- */

struct reader {
	gd_journal_cb cb;
	void *arg;
	struct gd_journal_stats *st;
	size_t lineno;		/* lines seen, the magic one included */
	bool pending_bad;	/* the last line seen was bad */
	size_t pending_len;	/* its size with its newline */
	bool stop;		/* cb asked to stop */
	bool not_journal;	/* the first line is not the magic */
};

/* One complete line (without its newline).  line is NULL for a line
 * longer than the max whose head was already dropped. */
static void reader_line(struct reader *r, const char *line, size_t len)
{
	struct gd_event ev;

	/* a bad line followed by another line was in the middle */
	if (r->pending_bad)
		r->st->bad++;
	r->pending_bad = false;
	if (r->lineno++ == 0) {
		r->not_journal = line == NULL || len != MAGIC_LEN - 1 ||
				 memcmp(line, GD_JOURNAL_MAGIC, len) != 0;
		r->stop = r->not_journal;
		return;
	}
	if (line == NULL || gd_journal_parse(line, len, &ev) < 0) {
		r->pending_bad = true;
		r->pending_len = len + 1;
		return;
	}
	r->st->records++;
	if (r->cb(&ev, r->arg) != 0)
		r->stop = true;
}

/*
 * The end of the file: a last bad line, or the tail bytes of one without
 * its newline, is a torn record.  So is a part of the magic line (a crash
 * as the journal was created): an empty journal, not a foreign file.
 */
static void reader_end(struct reader *r, const char *tail, size_t len,
		       size_t skipped)
{
	if (r->lineno == 0)
		r->not_journal = skipped > 0 || len >= MAGIC_LEN ||
				 memcmp(tail, MAGIC_LINE, len) != 0;
	if (len + skipped > 0) {
		if (r->pending_bad)
			r->st->bad++;
		r->st->torn = 1;
		r->st->torn_bytes = len + skipped;
		return;
	}
	if (r->pending_bad) {
		r->st->torn = 1;
		r->st->torn_bytes = r->pending_len;
	}
}

static ssize_t read_some(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/*
 * Lines of buf[*start, end): each complete one to reader_line.  An
 * unfinished line longer than the max is dropped from the buffer and
 * only its length kept in *skipped (it is bad whatever follows).
 */
static void reader_scan(struct reader *r, char *buf, size_t *start,
			size_t end, size_t *skipped)
{
	while (!r->stop && *start < end) {
		char *nl = memchr(buf + *start, '\n', end - *start);
		size_t len;

		if (nl == NULL)
			break;
		len = (size_t)(nl - (buf + *start));
		if (*skipped > 0)	/* its head was dropped: bad anyway */
			reader_line(r, NULL, len + *skipped);
		else
			reader_line(r, buf + *start, len);
		*skipped = 0;
		*start += len + 1;
	}
	if (!r->stop && end - *start > GD_JOURNAL_LINE_MAX + 1) {
		*skipped += end - *start;
		*start = end;
	}
}

/* Reads fd through a buffer: no line is copied more than once. */
static int reader_run(struct reader *r, int fd)
{
	char *buf = malloc(READ_CHUNK);
	size_t start = 0, end = 0, skipped = 0;
	ssize_t n;
	int rc = -1;

	if (buf == NULL)
		return -1;
	while (!r->stop) {
		if (start > 0) {
			memmove(buf, buf + start, end - start);
			end -= start;
			start = 0;
		}
		n = read_some(fd, buf + end, READ_CHUNK - end);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		end += (size_t)n;
		reader_scan(r, buf, &start, end, &skipped);
	}
	if (!r->stop)
		reader_end(r, buf + start, end - start, skipped);
	rc = 0;
out:
	free(buf);
	return rc;
}

int gd_journal_read(const char *path, gd_journal_cb cb, void *arg,
		    struct gd_journal_stats *stats)
{
	struct gd_journal_stats local;
	struct reader r = { .cb = cb, .arg = arg };
	int fd, rc, saved;

	r.st = stats != NULL ? stats : &local;
	memset(r.st, 0, sizeof *r.st);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = reader_run(&r, fd);
	saved = errno;
	close(fd);
	if (rc == 0 && r.not_journal) {
		log_err("%s: not a greendot journal", path);
		saved = EINVAL;
		rc = -1;
	}
	if (rc == 0 && (r.st->bad > 0 || r.st->torn > 0))
		log_debug("%s: %zu bad records, torn tail of %zu bytes skipped",
			  path, r.st->bad, r.st->torn_bytes);
	errno = saved;
	return rc;
}

/* ---- appending ---- */

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_data(int fd)
{
	int rc;

	do
		rc = fdatasync(fd);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* Truncates to size and syncs; keeps errno. */
static void cut_back(int fd, off_t size)
{
	int saved = errno;

	if (ftruncate(fd, size) < 0 || sync_data(fd) < 0)
		log_err("journal: cannot truncate back to %lld bytes: %s",
			(long long)size, strerror(errno));
	errno = saved;
}

static ssize_t pread_all(int fd, char *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* The offset of the last '\n' before end, -1 for none, -2 on error. */
static off_t last_newline(int fd, off_t end)
{
	char buf[SCAN_CHUNK];

	while (end > 0) {
		size_t n = end > SCAN_CHUNK ? SCAN_CHUNK : (size_t)end;
		char *nl;

		if (pread_all(fd, buf, n, end - (off_t)n) != (ssize_t)n)
			return -2;
		nl = memrchr(buf, '\n', n);
		if (nl != NULL)
			return end - (off_t)n + (nl - buf);
		end -= (off_t)n;
	}
	return -1;
}

/* Whether the complete line [start, end) is a good record. */
static bool line_good(int fd, off_t start, off_t end)
{
	char line[GD_JOURNAL_LINE_MAX];
	size_t len = (size_t)(end - start);
	struct gd_event ev;

	if (end - start > GD_JOURNAL_LINE_MAX)
		return false;
	if (pread_all(fd, line, len, start) != (ssize_t)len)
		return false;
	return gd_journal_parse(line, len, &ev) == 0;
}

/*
 * The size the journal should have: size, or less when its last line
 * is torn (no newline, or a bad record).  -1 on a read error.
 */
static off_t good_size(int fd, off_t size)
{
	char last;
	off_t nl;
	bool complete;

	if (pread_all(fd, &last, 1, size - 1) != 1)
		return -1;
	complete = last == '\n';
	nl = last_newline(fd, complete ? size - 1 : size);
	if (nl == -2)
		return -1;
	if (nl < 0)	/* the magic line, checked already, is the only one */
		return size;
	if (!complete || !line_good(fd, nl + 1, size - 1))
		return nl + 1;
	return size;
}

/* Writes the magic line to an empty (or emptied) journal. */
static int write_magic(int fd)
{
	if (ftruncate(fd, 0) < 0 || write_all(fd, MAGIC_LINE, MAGIC_LEN) < 0)
		return -1;
	return sync_data(fd);
}

/*
 * Checks the first line and trims a torn tail.  A crash while the
 * journal was created can leave a part of the magic line: it is
 * rewritten; any other first line is not ours to append to.
 */
static int journal_prepare(int fd, const char *path, off_t size)
{
	char head[MAGIC_LEN];
	size_t n = size < (off_t)MAGIC_LEN ? (size_t)size : MAGIC_LEN;
	off_t good;

	if (pread_all(fd, head, n, 0) != (ssize_t)n)
		return -1;
	if (memcmp(head, MAGIC_LINE, n) != 0) {
		log_err("%s: not a greendot journal", path);
		errno = EINVAL;
		return -1;
	}
	if (n < MAGIC_LEN) {
		log_warn("%s: rewrote a torn first line", path);
		return write_magic(fd);
	}
	good = good_size(fd, size);
	if (good < 0)
		return -1;
	if (good == size)
		return 0;
	log_warn("%s: truncated a torn last record of %lld bytes", path,
		 (long long)(size - good));
	if (ftruncate(fd, good) < 0)
		return -1;
	return sync_data(fd);
}

static int journal_setup(int fd, const char *path)
{
	struct stat st;

	/* two writers would interleave their batches */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size == 0) {
		/* new: its name must survive a crash too */
		if (write_magic(fd) < 0)
			return -1;
		return gd_fsync_dir_of(path);
	}
	return journal_prepare(fd, path, st.st_size);
}

int gd_journal_open(const char *path, struct gd_journal **out)
{
	struct gd_journal *j = NULL;
	int fd, saved;

	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (journal_setup(fd, path) < 0)
		goto fail;
	j = calloc(1, sizeof *j);
	if (j == NULL || (j->path = strdup(path)) == NULL)
		goto fail;
	j->fd = fd;
	*out = j;
	return 0;
fail:
	saved = errno;
	free(j);
	close(fd);
	errno = saved;
	return -1;
}

/* The n records as lines into one malloc'd buffer. */
static char *format_batch(const struct gd_event *ev, size_t n, size_t *len)
{
	char *buf = NULL, *nb;
	size_t cap = 0, used = 0, l;

	for (size_t i = 0; i < n; i++) {
		if (cap - used < GD_JOURNAL_LINE_MAX + 2) {
			cap = cap ? cap * 2 : 2 * (GD_JOURNAL_LINE_MAX + 2);
			nb = realloc(buf, cap);
			if (nb == NULL)
				goto fail;
			buf = nb;
		}
		l = gd_journal_format(&ev[i], buf + used, cap - used);
		if (l == 0) {
			errno = EINVAL;
			goto fail;
		}
		used += l;
	}
	*len = used;
	return buf;
fail:
	free(buf);
	return NULL;
}

int gd_journal_append(struct gd_journal *j, const struct gd_event *ev,
		      size_t n)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1, saved;

	if (n == 0)
		return 0;
	buf = format_batch(ev, n, &len);
	if (buf == NULL || fstat(j->fd, &st) < 0)
		goto out;
	/* the caller says it failed: a full disk fails every append, and
	 * only the caller can rate-limit that */
	if (write_all(j->fd, buf, len) < 0 || sync_data(j->fd) < 0) {
		cut_back(j->fd, st.st_size);
		goto out;
	}
	rc = 0;
out:
	saved = errno;
	free(buf);
	errno = saved;
	return rc;
}

void gd_journal_close(struct gd_journal *j)
{
	if (j == NULL)
		return;
	close(j->fd);
	free(j->path);
	free(j);
}
