/*
 * agentstate.c — the agent's state file; format in agentstate.h.
 */
#include "agentstate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "status.h"

#define MAGIC "greendot-agent-state"
#define MAX_LINE 1024

/* --- writing ------------------------------------------------------------ */

static void put_status(FILE *f, const char *kind, const char *id,
		       const struct model_status_state *st)
{
	fprintf(f, "%s %s %" PRIu32 " %s %lld\n", kind, id, st->index,
		gd_status_name(st->status), (long long)st->last_change);
}

static void put_error(FILE *f, const char *e)
{
	for (; *e; e++)
		fputc((unsigned char)*e < 0x20 || *e == 0x7f ? ' ' : *e, f);
}

static void put_server(FILE *f, const struct model_server *s)
{
	const struct model_srv_state *st = &s->st;

	fprintf(f, "server %s %" PRIu32 " %s %lld %lld %" PRIu64 " %" PRIu64
		" %" PRIu32 " %d %s %s %lld %u ",
		s->cfg->id, st->index, gd_oper_name(st->oper),
		(long long)st->up_since, (long long)st->last_change,
		st->checks, st->failures, st->latency_us, st->admin_set,
		gd_admin_name(st->admin_set ? st->admin_override : s->admin),
		gd_admin_name(st->admin_set ? st->admin_cfg_at_set
					    : s->cfg->admin), (long long)st->hb_when,
		st->hb_status);
	put_error(f, st->last_error);
	fputc('\n', f);
}

static void put_model(FILE *f, const struct model *m)
{
	fprintf(f, "# greendot-agent state: see subagent/agentstate.h\n");
	fprintf(f, MAGIC " %d\n", ASTATE_VERSION);
	fprintf(f, "next %" PRIu32 " %" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
		m->next[MODEL_AREA], m->next[MODEL_GROUP],
		m->next[MODEL_SERVER], m->next[MODEL_SERVICE]);
	for (size_t i = 0; i < m->nareas; i++)
		fprintf(f, "area %s %" PRIu32 "\n", m->areas[i].cfg->id,
			m->areas[i].index);
	for (size_t i = 0; i < m->ngroups; i++)
		put_status(f, "group", m->groups[i].cfg->id, &m->groups[i].st);
	for (size_t i = 0; i < m->nservices; i++)
		put_status(f, "service", m->services[i].cfg->id,
			   &m->services[i].st);
	for (size_t i = 0; i < m->nservers; i++)
		put_server(f, &m->servers[i]);
}

int astate_save(const char *path, const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (f == NULL)
		return -1;
	put_model(f, m);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	rc = gd_afile_replace(path, buf, len, 0600);
	free(buf);
	return rc;
}

/* --- reading -------------------------------------------------------------- */

struct reader {
	const char *file;
	long line;
	struct model_saved *out;
	struct gd_errlist *errs;
};

static int get_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int get_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

static int get_time(const char *s, time_t *out)
{
	uint64_t v;

	if (get_u64(s, &v) < 0 || v > INT32_MAX * 4ULL)
		return -1;
	*out = (time_t)v;
	return 0;
}

/* Splits line into at most max fields; the last takes the rest. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max && line != NULL) {
		f[n++] = line;
		if (n == max)
			break;
		line = strchr(line, ' ');
		if (line != NULL)
			*line++ = '\0';
	}
	return n;
}

/* A table index: 1 .. MODEL_INDEX_MAX (see model.h). */
static int get_index(const char *s, uint32_t *out)
{
	if (get_u32(s, out) < 0 || *out == 0 || *out > MODEL_INDEX_MAX)
		return -1;
	return 0;
}

static int read_status(char **f, struct model_status_state *st)
{
	if (get_index(f[0], &st->index) < 0)
		return -1;
	if (gd_status_parse(f[1], &st->status) < 0)
		return -1;
	return get_time(f[2], &st->last_change);
}

static int read_admin(char **f, struct model_srv_state *st)
{
	if (strcmp(f[0], "0") != 0 && strcmp(f[0], "1") != 0)
		return -1;
	st->admin_set = f[0][0] == '1';
	if (gd_admin_parse(f[1], &st->admin_override) < 0)
		return -1;
	return gd_admin_parse(f[2], &st->admin_cfg_at_set);
}

/* f: INDEX OPER UP_SINCE LAST_CHANGE CHECKS FAILURES LATENCY ADMIN_SET
 *    ADMIN ADMIN_CFG HB_WHEN HB_STATUS LAST_ERROR */
static int read_server(char **f, struct model_srv_state *st)
{
	uint32_t hb;

	if (get_index(f[0], &st->index) < 0 ||
	    gd_oper_parse(f[1], &st->oper) < 0 ||
	    get_time(f[2], &st->up_since) < 0 ||
	    get_time(f[3], &st->last_change) < 0 ||
	    get_u64(f[4], &st->checks) < 0 ||
	    get_u64(f[5], &st->failures) < 0 ||
	    get_u32(f[6], &st->latency_us) < 0 || read_admin(f + 7, st) < 0 ||
	    get_time(f[10], &st->hb_when) < 0 || get_u32(f[11], &hb) < 0 ||
	    hb > 255)
		return -1;
	st->hb_status = hb;
	snprintf(st->last_error, sizeof st->last_error, "%s", f[12]);
	return 0;
}

static const struct {
	const char *word;
	enum model_kind kind;
	size_t nfields;		/* after the id */
} kinds[] = {
	{ "area", MODEL_AREA, 1 },
	{ "group", MODEL_GROUP, 3 },
	{ "service", MODEL_SERVICE, 3 },
	{ "server", MODEL_SERVER, 13 },
};

static int read_record(struct reader *r, size_t k, char *rest)
{
	char *f[14] = { NULL };
	struct model_saved_rec rec = { .id = "" }, *p;
	size_t n = split(rest, f, kinds[k].nfields + 1);
	int rc;

	if (n != kinds[k].nfields + 1 || !gd_id_valid(f[0]))
		return -1;
	if (kinds[k].kind == MODEL_AREA)
		rc = get_index(f[1], &rec.u.index) < 0 ? -1
									: 0;
	else if (kinds[k].kind == MODEL_SERVER)
		rc = read_server(f + 1, &rec.u.srv);
	else
		rc = read_status(f + 1, &rec.u.status);
	if (rc < 0)
		return -1;
	p = model_saved_add(r->out, kinds[k].kind, f[0]);
	if (p == NULL)
		return -1;
	memcpy(&p->u, &rec.u, sizeof p->u);
	return 0;
}

static int read_next(struct reader *r, char *rest)
{
	char *f[MODEL_KINDS] = { NULL };
	const enum model_kind order[MODEL_KINDS] = {
		MODEL_AREA, MODEL_GROUP, MODEL_SERVER, MODEL_SERVICE };

	if (split(rest, f, MODEL_KINDS) != MODEL_KINDS)
		return -1;
	for (int i = 0; i < MODEL_KINDS; i++)
		if (get_u32(f[i], &r->out->next[order[i]]) < 0 ||
		    r->out->next[order[i]] > MODEL_INDEX_MAX + 1)
			return -1;
	return 0;
}

static void read_line(struct reader *r, char *line)
{
	char *rest = strchr(line, ' ');
	int rc = -1;

	if (line[0] == '#' || line[0] == '\0')
		return;
	if (rest != NULL)
		*rest++ = '\0';
	if (rest != NULL && strcmp(line, "next") == 0)
		rc = read_next(r, rest);
	for (size_t k = 0; rest != NULL && k < sizeof kinds / sizeof kinds[0];
	     k++)
		if (strcmp(line, kinds[k].word) == 0)
			rc = read_record(r, k, rest);
	if (rc < 0)
		gd_errlist_add(r->errs, r->file, r->line,
			       "unusable %s line skipped", line);
}

static int read_header(struct reader *r, FILE *f, char *buf, size_t len)
{
	int version;
	char magic[32];

	while (fgets(buf, (int)len, f) != NULL) {
		r->line++;
		if (buf[0] == '#')
			continue;
		if (sscanf(buf, "%31s %d", magic, &version) == 2 &&
		    strcmp(magic, MAGIC) == 0 && version == ASTATE_VERSION)
			return 0;
		break;
	}
	gd_errlist_add(r->errs, r->file, r->line,
		       "not a greendot-agent state file of version %d",
		       ASTATE_VERSION);
	return -1;
}

static void read_body(struct reader *r, FILE *f, char *buf, size_t len)
{
	while (fgets(buf, (int)len, f) != NULL) {
		size_t n = strlen(buf);

		r->line++;
		if (n > 0 && buf[n - 1] != '\n' && !feof(f)) {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			gd_errlist_add(r->errs, r->file, r->line,
				       "line too long, skipped");
			continue;
		}
		buf[strcspn(buf, "\n")] = '\0';
		read_line(r, buf);
	}
}

static const char *const kind_names[MODEL_KINDS] = {
	[MODEL_AREA] = "area", [MODEL_GROUP] = "group",
	[MODEL_SERVER] = "server", [MODEL_SERVICE] = "service",
};

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Two records of a kind with one id or one index: the file was edited or
 * damaged; the kind's records are dropped (its objects get new indexes)
 * rather than served twice under one index. */
static void check_unique(struct reader *r, enum model_kind k)
{
	struct model_saved *sv = r->out;
	uint32_t *idx = calloc(sv->n[k] + 1, sizeof *idx);
	bool dup = idx == NULL;

	for (size_t i = 0; !dup && i < sv->n[k]; i++) {
		idx[i] = model_saved_index(k, &sv->v[k][i]);
		dup = i > 0 && strcmp(sv->v[k][i - 1].id, sv->v[k][i].id) == 0;
	}
	if (!dup && sv->n[k] > 1)
		qsort(idx, sv->n[k], sizeof *idx, u32_cmp);
	for (size_t i = 1; !dup && i < sv->n[k]; i++)
		dup = idx[i - 1] == idx[i];
	free(idx);
	if (!dup)
		return;
	gd_errlist_add(r->errs, r->file, 0, "%s records with the same id or "
		       "index: all of them ignored", kind_names[k]);
	sv->n[k] = 0;
}

int astate_load(const char *path, struct model_saved *out,
		struct gd_errlist *errs)
{
	struct reader r = { path, 0, out, errs };
	char buf[MAX_LINE];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		if (errno == ENOENT)
			return 1;
		gd_errlist_add(errs, path, 0, "cannot read: %s",
			       strerror(errno));
		return -1;
	}
	if (read_header(&r, f, buf, sizeof buf) < 0) {
		fclose(f);
		return -1;
	}
	read_body(&r, f, buf, sizeof buf);
	fclose(f);
	model_saved_sort(out);
	for (int k = 0; k < MODEL_KINDS; k++)
		check_unique(&r, (enum model_kind)k);
	return 0;
}
