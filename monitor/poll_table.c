/*
 * poll_table.c — varbind lists to model; see poll_table.h.
 */
#include "poll_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "gd_mib.h"
#include "state.h"
#include "timefmt.h"

/* Enums and 32-bit fields are written through memcpy of these sizes. */
_Static_assert(sizeof(enum gd_oper) == sizeof(int), "enum size");
_Static_assert(sizeof(enum gd_status) == sizeof(int), "enum size");
_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "unsigned size");

#define COL(c, k, type, field, lo, hi, d, n) \
	{ (c), (k), offsetof(type, field), (lo), (hi), (d), (n) }
#define STR(c, k, type, field, n) COL(c, k, type, field, 0, 0, 0, n)
#define NUM(c, k, type, field, d, n) COL(c, k, type, field, 0, 0, d, n)

static const struct ptab_column area_cols[] = {
	STR(GD_AREA_NAME, PTAB_K_ID, struct gd_state_area, id, "gdAreaName"),
	STR(GD_AREA_TITLE, PTAB_K_TEXT, struct gd_state_area, title,
	    "gdAreaTitle"),
	STR(GD_AREA_COLOUR, PTAB_K_TEXT, struct gd_state_area, colour,
	    "gdAreaColour"),
	STR(GD_AREA_DESCRIPTION, PTAB_K_TEXT, struct gd_state_area,
	    description, "gdAreaDescription"),
};

static const struct ptab_column group_cols[] = {
	STR(GD_GROUP_NAME, PTAB_K_ID, struct gd_state_group, id,
	    "gdGroupName"),
	STR(GD_GROUP_TITLE, PTAB_K_TEXT, struct gd_state_group, title,
	    "gdGroupTitle"),
	STR(GD_GROUP_AREA, PTAB_K_TEXT, struct gd_state_group, area,
	    "gdGroupArea"),
	COL(GD_GROUP_STATUS, PTAB_K_ENUM, struct gd_state_group, status,
	    GD_STATUS_UP, GD_STATUS_UNKNOWN, GD_STATUS_UNKNOWN,
	    "gdGroupStatus"),
	NUM(GD_GROUP_MEMBERS_UP, PTAB_K_U32, struct gd_state_group,
	    members_up, 0, "gdGroupMembersUp"),
	NUM(GD_GROUP_MEMBERS_ACTIVE, PTAB_K_U32, struct gd_state_group,
	    members_active, 0, "gdGroupMembersActive"),
	NUM(GD_GROUP_LAST_CHANGE, PTAB_K_TIME, struct gd_state_group,
	    last_change, 0, "gdGroupLastChange"),
	NUM(GD_GROUP_MEMBERS, PTAB_K_U32, struct gd_state_group, members, 0,
	    "gdGroupMembers"),
};

static const struct ptab_column server_cols[] = {
	STR(GD_SERVER_NAME, PTAB_K_ID, struct gd_state_server, id,
	    "gdServerName"),
	STR(GD_SERVER_TITLE, PTAB_K_TEXT, struct gd_state_server, title,
	    "gdServerTitle"),
	STR(GD_SERVER_GROUP, PTAB_K_TEXT, struct gd_state_server, group,
	    "gdServerGroup"),
	COL(GD_SERVER_PROBE, PTAB_K_ENUM, struct gd_state_server, probe,
	    GD_PROBE_TCP, GD_PROBE_HEARTBEAT, GD_PROBE_TCP, "gdServerProbe"),
	STR(GD_SERVER_ADDRESS, PTAB_K_TEXT, struct gd_state_server, address,
	    "gdServerAddress"),
	NUM(GD_SERVER_PORT, PTAB_K_U32, struct gd_state_server, port, 0,
	    "gdServerPort"),
	COL(GD_SERVER_OPER_STATUS, PTAB_K_ENUM, struct gd_state_server, oper,
	    GD_OPER_UP, GD_OPER_UNKNOWN, GD_OPER_UNKNOWN,
	    "gdServerOperStatus"),
	COL(GD_SERVER_ADMIN_STATUS, PTAB_K_ENUM, struct gd_state_server, admin,
	    GD_ADMIN_ACTIVE, GD_ADMIN_STANDBY, GD_ADMIN_ACTIVE,
	    "gdServerAdminStatus"),
	NUM(GD_SERVER_UPTIME, PTAB_K_U32, struct gd_state_server, uptime, 0,
	    "gdServerUptime"),
	NUM(GD_SERVER_LAST_CHANGE, PTAB_K_TIME, struct gd_state_server,
	    last_change, 0, "gdServerLastChange"),
	NUM(GD_SERVER_LATENCY, PTAB_K_U32, struct gd_state_server, latency_us,
	    0, "gdServerLatency"),
	NUM(GD_SERVER_CHECKS, PTAB_K_U64, struct gd_state_server, checks, 0,
	    "gdServerChecks"),
	NUM(GD_SERVER_CHECK_FAILURES, PTAB_K_U64, struct gd_state_server,
	    failures, 0, "gdServerCheckFailures"),
	STR(GD_SERVER_LAST_ERROR, PTAB_K_TEXT, struct gd_state_server,
	    last_error, "gdServerLastError"),
	NUM(GD_SERVER_HEARTBEAT, PTAB_K_U32, struct gd_state_server,
	    heartbeat_age, (long)GD_HEARTBEAT_NONE, "gdServerHeartbeat"),
};

static const struct ptab_column service_cols[] = {
	STR(GD_SERVICE_NAME, PTAB_K_ID, struct gd_state_service, id,
	    "gdServiceName"),
	STR(GD_SERVICE_TITLE, PTAB_K_TEXT, struct gd_state_service, title,
	    "gdServiceTitle"),
	COL(GD_SERVICE_STATUS, PTAB_K_ENUM, struct gd_state_service, status,
	    GD_STATUS_UP, GD_STATUS_UNKNOWN, GD_STATUS_UNKNOWN,
	    "gdServiceStatus"),
	NUM(GD_SERVICE_LAST_CHANGE, PTAB_K_TIME, struct gd_state_service,
	    last_change, 0, "gdServiceLastChange"),
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define ENTRY(...) { __VA_ARGS__ }, \
	sizeof((oid[]){ __VA_ARGS__ }) / sizeof(oid)

static const struct ptab_table tables[PTAB_COUNT] = {
	{ PTAB_AREA, "gdAreaTable", ENTRY(GD_OID_AREA_ENTRY),
	  sizeof(struct gd_state_area), area_cols, NCOLS(area_cols) },
	{ PTAB_GROUP, "gdGroupTable", ENTRY(GD_OID_GROUP_ENTRY),
	  sizeof(struct gd_state_group), group_cols, NCOLS(group_cols) },
	{ PTAB_SERVER, "gdServerTable", ENTRY(GD_OID_SERVER_ENTRY),
	  sizeof(struct gd_state_server), server_cols, NCOLS(server_cols) },
	{ PTAB_SERVICE, "gdServiceTable", ENTRY(GD_OID_SERVICE_ENTRY),
	  sizeof(struct gd_state_service), service_cols,
	  NCOLS(service_cols) },
};

_Static_assert(NCOLS(server_cols) <= PTAB_MAX_COLS, "too many columns");

const struct ptab_table *ptab_table(enum ptab_id id)
{
	return id < PTAB_COUNT ? &tables[id] : NULL;
}

/* --- fields ------------------------------------------------------------ */

static void *field(void *row, const struct ptab_column *c)
{
	return (unsigned char *)row + c->offset;
}

static bool is_string(const struct ptab_column *c)
{
	return c->kind == PTAB_K_ID || c->kind == PTAB_K_TEXT;
}

static void set_default(void *row, const struct ptab_column *c)
{
	int e = (int)c->dflt;
	uint32_t u = (uint32_t)c->dflt;
	uint64_t q = (uint64_t)c->dflt;
	time_t t = (time_t)c->dflt;

	switch (c->kind) {
	case PTAB_K_ENUM: memcpy(field(row, c), &e, sizeof e); break;
	case PTAB_K_U32: memcpy(field(row, c), &u, sizeof u); break;
	case PTAB_K_U64: memcpy(field(row, c), &q, sizeof q); break;
	case PTAB_K_TIME: memcpy(field(row, c), &t, sizeof t); break;
	default: break;	/* strings start NULL (calloc) */
	}
}

static void free_strings(const struct ptab_table *t, void *row)
{
	for (size_t i = 0; i < t->ncols; i++) {
		if (is_string(&t->cols[i])) {
			char **s = field(row, &t->cols[i]);

			free(*s);
			*s = NULL;
		}
	}
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 :
		     s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A copy of an agent's text that the XML writers can take: invalid
 * UTF-8 and control characters become '?'. */
static char *text_copy(const unsigned char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i = 0;

	if (out == NULL)
		return NULL;
	while (i < n) {
		size_t len = utf8_len(s + i, n - i);

		if (len == 0 || (len == 1 && (s[i] < 0x20 || s[i] == 0x7f))) {
			out[i++] = '?';
			continue;
		}
		memcpy(out + i, s + i, len);
		i += len;
	}
	out[n] = '\0';
	return out;
}

static void problem(struct ptab_rows *r, const struct ptab_column *c,
		    uint32_t idx, const char *what)
{
	snprintf(r->stats.last, sizeof r->stats.last, "%s.%u: %s", c->name,
		 (unsigned)idx, what);
}

/* 0 stored, -1 refused (counted), -2 out of memory */
static int store_string(void *row, const struct ptab_column *c,
			const netsnmp_variable_list *v)
{
	char **dst = field(row, c);
	char *s;

	if (v->type != ASN_OCTET_STR)
		return -1;
	s = text_copy(v->val.string, v->val_len);
	if (s == NULL)
		return -2;
	if (c->kind == PTAB_K_ID && !gd_id_valid(s)) {
		free(s);
		return -1;
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int store_number(void *row, const struct ptab_column *c,
			const netsnmp_variable_list *v)
{
	if (c->kind == PTAB_K_ENUM) {
		int e;

		if (v->type != ASN_INTEGER || *v->val.integer < c->min ||
		    *v->val.integer > c->max)
			return -1;
		e = (int)*v->val.integer;
		memcpy(field(row, c), &e, sizeof e);
		return 0;
	}
	if (c->kind == PTAB_K_U32) {
		uint32_t u;

		/* ASN_UNSIGNED is ASN_GAUGE: Unsigned32 and Gauge32 */
		if (v->type != ASN_GAUGE)
			return -1;
		u = (uint32_t)*v->val.integer;
		memcpy(field(row, c), &u, sizeof u);
		return 0;
	}
	return -1;
}

static int store_other(void *row, const struct ptab_column *c,
		       const netsnmp_variable_list *v)
{
	if (c->kind == PTAB_K_U64) {
		uint64_t q;

		if (v->type != ASN_COUNTER64)
			return -1;
		q = ((uint64_t)v->val.counter64->high << 32) |
		    (uint32_t)v->val.counter64->low;
		memcpy(field(row, c), &q, sizeof q);
		return 0;
	}
	if (c->kind == PTAB_K_TIME) {
		time_t t;

		if (v->type != ASN_OCTET_STR ||
		    gd_time_from_dateandtime(v->val.string, v->val_len, &t) < 0)
			return -1;
		memcpy(field(row, c), &t, sizeof t);
		return 0;
	}
	return store_number(row, c, v);
}

static int store(void *row, const struct ptab_column *c,
		 const netsnmp_variable_list *v)
{
	return is_string(c) ? store_string(row, c, v) : store_other(row, c, v);
}

/* --- rows -------------------------------------------------------------- */

static uint32_t hash_idx(uint32_t idx)
{
	return idx * 2654435761u;
}

void ptab_rows_init(struct ptab_rows *r, const struct ptab_table *t)
{
	memset(r, 0, sizeof *r);
	r->table = t;
}

void ptab_rows_clear(struct ptab_rows *r)
{
	ptab_rows_free(r->table, r->rows, r->n);
	free(r->index);
	free(r->seen);
	free(r->slots);
	ptab_rows_init(r, r->table);
}

static size_t slot_find(const struct ptab_rows *r, uint32_t idx)
{
	size_t mask = r->nslots - 1;
	size_t s = hash_idx(idx) & mask;

	while (r->slots[s] != 0 && r->index[r->slots[s] - 1] != idx)
		s = (s + 1) & mask;
	return s;
}

static int rehash(struct ptab_rows *r, size_t nslots)
{
	uint32_t *old = r->slots;
	size_t oldn = r->nslots;

	r->slots = calloc(nslots, sizeof *r->slots);
	if (r->slots == NULL) {
		r->slots = old;
		return -1;
	}
	r->nslots = nslots;
	for (size_t i = 0; i < oldn; i++)
		if (old[i] != 0)
			r->slots[slot_find(r, r->index[old[i] - 1])] = old[i];
	free(old);
	return 0;
}

static int grow(struct ptab_rows *r)
{
	size_t cap = r->cap ? r->cap * 2 : 64;
	void *rows = realloc(r->rows, cap * r->table->row_size);
	void *index, *seen;

	if (rows == NULL)
		return -1;
	r->rows = rows;
	index = realloc(r->index, cap * sizeof *r->index);
	if (index == NULL)
		return -1;
	r->index = index;
	seen = realloc(r->seen, cap * sizeof *r->seen);
	if (seen == NULL)
		return -1;
	r->seen = seen;
	r->cap = cap;
	return 0;
}

static void *row_at(const struct ptab_rows *r, size_t i)
{
	return r->rows + i * r->table->row_size;
}

static void *row_new(struct ptab_rows *r, uint32_t idx)
{
	void *row;

	if (r->n == r->cap && grow(r) < 0)
		return NULL;
	row = row_at(r, r->n);
	memset(row, 0, r->table->row_size);
	for (size_t i = 0; i < r->table->ncols; i++)
		set_default(row, &r->table->cols[i]);
	r->index[r->n] = idx;
	r->seen[r->n] = 0;
	r->n++;
	return row;
}

void *ptab_rows_get(struct ptab_rows *r, uint32_t idx)
{
	size_t s;

	/* keep the load under a half */
	if ((r->n + 1) * 2 > r->nslots &&
	    rehash(r, r->nslots ? r->nslots * 2 : 128) < 0)
		return NULL;
	s = slot_find(r, idx);
	if (r->slots[s] != 0)
		return row_at(r, r->slots[s] - 1);
	if (row_new(r, idx) == NULL)
		return NULL;
	r->slots[s] = (uint32_t)r->n;
	return row_at(r, r->n - 1);
}

static size_t row_pos(const struct ptab_rows *r, const void *row)
{
	return (size_t)((const unsigned char *)row - r->rows) /
	       r->table->row_size;
}

static void count_incomplete(struct ptab_rows *r)
{
	uint32_t all = (1u << r->table->ncols) - 1;

	for (size_t i = 0; i < r->n; i++)
		if ((r->seen[i] & all) != all)
			r->stats.incomplete++;
}

struct order {
	uint32_t idx;
	size_t pos;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Rows with a name, sorted by index, into fresh arrays. */
static int compact_sorted(struct ptab_rows *r)
{
	size_t rs = r->table->row_size, n = 0, cap = r->n ? r->n : 1;
	struct order *ord = malloc(cap * sizeof *ord);
	unsigned char *rows = malloc(cap * rs);
	uint32_t *index = malloc(cap * sizeof *index);
	uint32_t *seen = malloc(cap * sizeof *seen);

	if (ord == NULL || rows == NULL || index == NULL || seen == NULL) {
		free(ord), free(rows), free(index), free(seen);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		if (r->seen[i] & 1u) {	/* slot 0: the Name column */
			ord[n++] = (struct order){ r->index[i], i };
			continue;
		}
		r->stats.no_name++;
		free_strings(r->table, row_at(r, i));
	}
	qsort(ord, n, sizeof *ord, order_cmp);
	for (size_t i = 0; i < n; i++) {
		memcpy(rows + i * rs, row_at(r, ord[i].pos), rs);
		index[i] = ord[i].idx;
		seen[i] = r->seen[ord[i].pos];
	}
	free(ord), free(r->rows), free(r->index), free(r->seen);
	r->rows = rows, r->index = index, r->seen = seen;
	r->n = r->cap = n;
	return 0;
}

int ptab_rows_finish(struct ptab_rows *r)
{
	free(r->slots);
	r->slots = NULL;
	r->nslots = 0;
	if (compact_sorted(r) < 0)
		return -1;
	count_incomplete(r);
	return 0;
}

bool ptab_rows_broken(const struct ptab_rows *r)
{
	return r->stats.bad_index > 0 || r->stats.out_of_order > 0 ||
	       (r->n == 0 && r->stats.no_name > 0);
}

void *ptab_rows_take(struct ptab_rows *r, size_t *n, uint32_t **index)
{
	void *rows = r->rows;

	*n = r->n;
	*index = r->index;
	r->rows = NULL;
	r->index = NULL;
	r->n = r->cap = 0;
	ptab_rows_clear(r);
	return rows;
}

void ptab_rows_free(const struct ptab_table *t, void *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_strings(t, (unsigned char *)rows + i * t->row_size);
	free(rows);
}

/* --- ranges ------------------------------------------------------------ */

size_t ptab_plan(const uint32_t *idx, size_t n, size_t per, size_t max,
		 uint32_t *lo)
{
	size_t k = per ? (n + per - 1) / per : 1, j = 1;

	if (k > max)
		k = max;
	lo[0] = 0;
	/* range i starts at row i * n / k; equal indexes (a bad agent)
	 * would make empty ranges: those are merged */
	for (size_t i = 1; i < k; i++) {
		uint32_t first = idx[i * n / k];

		if (first > lo[j - 1])
			lo[j++] = first;
	}
	return j;
}

void ptab_range_init(struct ptab_range *r, const struct ptab_table *t,
		     uint32_t lo, uint32_t hi)
{
	memset(r, 0, sizeof *r);
	r->table = t;
	r->lo = lo;
	r->hi = hi;
}

bool ptab_range_done(const struct ptab_range *r)
{
	uint32_t all = (1u << r->table->ncols) - 1;

	return (r->done & all) == all;
}

/* gdXEntry.column, then the cursor (or lo - 1 at the start of a range
 * that does not start the table). */
static size_t start_oid(const struct ptab_range *r, unsigned slot,
			oid *name)
{
	const struct ptab_table *t = r->table;
	size_t len = t->entry_len;

	memcpy(name, t->entry, len * sizeof *name);
	name[len++] = t->cols[slot].column;
	if (r->started & (1u << slot))
		name[len++] = r->cursor[slot];
	else if (r->lo > 1)
		name[len++] = r->lo - 1;
	return len;
}

int ptab_range_request(struct ptab_range *r, netsnmp_pdu *pdu)
{
	oid name[PTAB_MAX_ENTRY_LEN + 2];

	r->nreq = 0;
	for (unsigned slot = 0; slot < r->table->ncols; slot++) {
		if (r->done & (1u << slot))
			continue;
		/* snmp_add_null_var copies the name; NULL when out of memory */
		if (snmp_add_null_var(pdu, name, start_oid(r, slot, name)) ==
		    NULL)
			return -1;
		r->req[r->nreq++] = slot;
	}
	return (int)r->nreq;
}

static bool end_of_column(const netsnmp_variable_list *v)
{
	return v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
	       v->type == SNMP_NOSUCHINSTANCE;
}

/* The index of v in column slot, or -1 when v left the column (end of
 * table), -2 when its index is not one Unsigned32. */
static int64_t index_of(const struct ptab_table *t, unsigned slot,
			const netsnmp_variable_list *v)
{
	size_t len = t->entry_len;

	if (end_of_column(v) || v->name_length <= len + 1 ||
	    snmp_oid_ncompare(v->name, v->name_length, t->entry, len, len) ||
	    v->name[len] != t->cols[slot].column)
		return -1;
	if (v->name_length != len + 2 || v->name[len + 1] > UINT32_MAX ||
	    v->name[len + 1] == 0)
		return -2;
	return (int64_t)v->name[len + 1];
}

/* Whether the varbind at index idx (index_of) ends the column's walk in
 * this range: end of table, end of range, or an agent error (counted). */
static bool column_ends(const struct ptab_range *r, struct ptab_rows *rows,
			unsigned slot, int64_t idx)
{
	const struct ptab_column *c = &r->table->cols[slot];

	if (idx == -1 || (idx >= 0 && r->hi != 0 && idx >= r->hi))
		return true;
	if (idx == -2) {
		rows->stats.bad_index++;
		problem(rows, c, 0, "index is not one Unsigned32");
		return true;
	}
	if ((r->started & (1u << slot)) && idx <= r->cursor[slot]) {
		rows->stats.out_of_order++;
		problem(rows, c, (uint32_t)idx, "index does not increase");
		return true;
	}
	return false;
}

/* 1 the column moved on, -1 out of memory */
static int input_one(struct ptab_range *r, struct ptab_rows *rows,
		     unsigned slot, const netsnmp_variable_list *v)
{
	const struct ptab_column *c = &r->table->cols[slot];
	int64_t idx = index_of(r->table, slot, v);
	void *row;
	int rc;

	if (column_ends(r, rows, slot, idx)) {
		r->done |= 1u << slot;
		return 1;
	}
	r->cursor[slot] = (uint32_t)idx;
	r->started |= 1u << slot;
	if (++r->count[slot] > r->got)
		r->got = r->count[slot];
	row = ptab_rows_get(rows, (uint32_t)idx);
	if (row == NULL)
		return -1;
	rc = store(row, c, v);
	if (rc == -2)
		return -1;
	if (rc == 0) {
		rows->seen[row_pos(rows, row)] |= 1u << slot;
	} else {
		rows->stats.wrong_type++;
		problem(rows, c, (uint32_t)idx, "wrong type or value");
	}
	return 1;
}

int ptab_range_input(struct ptab_range *r, struct ptab_rows *rows,
		     const netsnmp_variable_list *vars)
{
	int moved = 0;
	size_t k = 0;

	if (r->nreq == 0)
		return 0;
	for (const netsnmp_variable_list *v = vars; v != NULL;
	     v = v->next_variable, k++) {
		unsigned slot = r->req[k % r->nreq];
		int rc;

		if (r->done & (1u << slot))
			continue;
		rc = input_one(r, rows, slot, v);
		if (rc < 0)
			return -1;
		moved += rc;
	}
	return moved;
}
