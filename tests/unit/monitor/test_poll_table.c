/*
 * test_poll_table.c — varbind lists to model (monitor/poll_table.h).
 *
 * Two kinds of input, both built here as net-snmp varbind lists:
 *   - canned answers written out by hand (wrong types, bad indexes,
 *     endOfMibView, an index that goes backwards);
 *   - the answers of a fake agent: a sparse table of cells and a GETBULK
 *     that does what an agent does (each varbind the lexicographic next
 *     of the previous, max-repetitions rows, an optional cap on the
 *     varbinds of an answer as snmpd's maxGetbulkResponses), walked range
 *     by range until done: holes in the index, missing columns, rows
 *     gone since the plan, and ranges in any order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "poll_table.h"
#include "state.h"

#define SRV PTAB_SERVER

static const struct ptab_table *srv(void)
{
	return ptab_table(SRV);
}

/* --- building varbinds --------------------------------------------------- */

/* gdServerEntry.col.idx (idx 0: no index) */
static size_t srv_oid(unsigned col, uint32_t idx, oid *name)
{
	const struct ptab_table *t = srv();
	size_t len = t->entry_len;

	memcpy(name, t->entry, len * sizeof *name);
	name[len++] = col;
	if (idx)
		name[len++] = idx;
	return len;
}

static void add_str(netsnmp_variable_list **l, unsigned col, uint32_t idx,
		    const char *s)
{
	oid name[MAX_OID_LEN];

	assert_non_null(snmp_varlist_add_variable(l, name,
		srv_oid(col, idx, name), ASN_OCTET_STR, s, strlen(s)));
}

static void add_int(netsnmp_variable_list **l, unsigned col, uint32_t idx,
		    u_char type, long v)
{
	oid name[MAX_OID_LEN];

	assert_non_null(snmp_varlist_add_variable(l, name,
		srv_oid(col, idx, name), type, &v, sizeof v));
}

/* A varbind of that type with a zero value (or none: endOfMibView). */
static void add_raw(netsnmp_variable_list **l, const oid *name, size_t len,
		    u_char type)
{
	long zero = 0;
	const void *val = type == ASN_INTEGER ? &zero : type == ASN_OCTET_STR ?
			  (const void *)"" : NULL;
	size_t vlen = type == ASN_INTEGER ? sizeof zero : 0;

	assert_non_null(snmp_varlist_add_variable(l, name, len, type, val,
						  vlen));
}

/* A range over the whole server table that asked for every column. */
static void whole_range(struct ptab_range *r)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);

	ptab_range_init(r, srv(), 0, 0);
	assert_int_equal(ptab_range_request(r, pdu), (int)srv()->ncols);
	snmp_free_pdu(pdu);
}

static const struct gd_state_server *row(const struct ptab_rows *rows,
					 size_t i)
{
	return (const struct gd_state_server *)rows->rows + i;
}

/* --- canned answers ------------------------------------------------------ */

/* One repetition: every column of row idx, as an agent answers it. */
static void add_full_row(netsnmp_variable_list **l, uint32_t idx,
			 const char *name, long oper)
{
	struct counter64 c64 = { 0, 7 };
	oid o[MAX_OID_LEN];
	unsigned char dt[11] = { 0x07, 0xea, 11, 28, 23, 15, 6, 0, '+', 0, 0 };

	for (unsigned col = GD_SERVER_NAME; col <= GD_SERVER_HEARTBEAT; col++) {
		switch (col) {
		case GD_SERVER_NAME: add_str(l, col, idx, name); break;
		case GD_SERVER_TITLE: add_str(l, col, idx, "Title é"); break;
		case GD_SERVER_GROUP: add_str(l, col, idx, "grp"); break;
		case GD_SERVER_ADDRESS: add_str(l, col, idx, "127.0.0.1"); break;
		case GD_SERVER_LAST_ERROR: add_str(l, col, idx, "bad\x01"); break;
		case GD_SERVER_PROBE: add_int(l, col, idx, ASN_INTEGER, 2); break;
		case GD_SERVER_OPER_STATUS:
			add_int(l, col, idx, ASN_INTEGER, oper);
			break;
		case GD_SERVER_ADMIN_STATUS:
			add_int(l, col, idx, ASN_INTEGER, 1);
			break;
		case GD_SERVER_CHECKS:
		case GD_SERVER_CHECK_FAILURES:
			assert_non_null(snmp_varlist_add_variable(l, o,
				srv_oid(col, idx, o), ASN_COUNTER64, &c64,
				sizeof c64));
			break;
		case GD_SERVER_LAST_CHANGE:
			assert_non_null(snmp_varlist_add_variable(l, o,
				srv_oid(col, idx, o), ASN_OCTET_STR, dt,
				sizeof dt));
			break;
		default:
			add_int(l, col, idx, ASN_GAUGE, 1000 + col);
		}
	}
}

static void test_full_rows(void **state)
{
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;

	(void)state;
	whole_range(&r);
	ptab_rows_init(&rows, srv());
	add_full_row(&l, 5, "b", GD_OPER_DOWN);
	add_full_row(&l, 2, "a", GD_OPER_UP);	/* a range answered later */
	/* the walk from row 2 would go backwards: the range is over */
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_true(ptab_range_done(&r));
	assert_int_equal(rows.stats.out_of_order, srv()->ncols);
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(row(&rows, 0)->id, "b");
	assert_string_equal(row(&rows, 0)->title, "Title é");
	assert_string_equal(row(&rows, 0)->last_error, "bad?");
	assert_int_equal(row(&rows, 0)->oper, GD_OPER_DOWN);
	assert_int_equal(row(&rows, 0)->probe, GD_PROBE_SMTP);
	assert_int_equal(row(&rows, 0)->port, 1000 + GD_SERVER_PORT);
	assert_int_equal(row(&rows, 0)->checks, 7);
	assert_int_equal(row(&rows, 0)->last_change, 1795907706);
	assert_int_equal(rows.stats.incomplete, 0);
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

/* One value per column of row 3: the bad ones are counted and left at
 * their defaults, the others kept. */
static void test_wrong_types(void **state)
{
	static const struct {
		unsigned col;
		u_char type;
		long num;
		const char *str;
		bool bad;
	} vals[] = {
		{ GD_SERVER_NAME, ASN_OCTET_STR, 0, "srv-3", false },
		{ GD_SERVER_TITLE, ASN_GAUGE, 1, NULL, true },
		{ GD_SERVER_GROUP, ASN_OCTET_STR, 0, "Bad Id", false },
		{ GD_SERVER_PROBE, ASN_INTEGER, 1, NULL, false },
		{ GD_SERVER_ADDRESS, ASN_OCTET_STR, 0, "::1", false },
		{ GD_SERVER_PORT, ASN_INTEGER, 25, NULL, true },
		{ GD_SERVER_OPER_STATUS, ASN_OCTET_STR, 0, "up", true },
		{ GD_SERVER_ADMIN_STATUS, ASN_INTEGER, 9, NULL, true },
		{ GD_SERVER_UPTIME, ASN_TIMETICKS, 5, NULL, true },
		{ GD_SERVER_LAST_CHANGE, ASN_OCTET_STR, 0, "yesterday", true },
		{ GD_SERVER_LATENCY, ASN_GAUGE, 1500, NULL, false },
		{ GD_SERVER_CHECKS, ASN_COUNTER, 4, NULL, true },
		{ GD_SERVER_CHECK_FAILURES, ASN_INTEGER, 4, NULL, true },
		{ GD_SERVER_LAST_ERROR, ASN_OCTET_STR, 0, "", false },
		{ GD_SERVER_HEARTBEAT, ASN_GAUGE, 12, NULL, false },
	};
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;
	const struct gd_state_server *s;
	size_t nbad = 0;

	(void)state;
	whole_range(&r);
	ptab_rows_init(&rows, srv());
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		if (vals[i].str != NULL)
			add_str(&l, vals[i].col, 3, vals[i].str);
		else
			add_int(&l, vals[i].col, 3, vals[i].type,
				vals[i].num);
		nbad += vals[i].bad;
	}
	assert_int_equal(ptab_range_input(&r, &rows, l), (int)srv()->ncols);
	assert_int_equal(rows.stats.wrong_type, nbad);
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_int_equal(rows.n, 1);
	s = row(&rows, 0);
	assert_null(s->title);
	assert_string_equal(s->group, "Bad Id");
	assert_int_equal(s->probe, GD_PROBE_TCP);
	assert_int_equal(s->port, 0);
	assert_int_equal(s->oper, GD_OPER_UNKNOWN);
	assert_int_equal(s->admin, GD_ADMIN_ACTIVE);
	assert_int_equal(s->uptime, 0);
	assert_int_equal(s->last_change, 0);
	assert_int_equal(s->latency_us, 1500);
	assert_int_equal(s->checks, 0);
	assert_int_equal(s->heartbeat_age, 12);
	assert_int_equal(rows.stats.incomplete, 1);
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

static void test_bad_name_dropped(void **state)
{
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;

	(void)state;
	whole_range(&r);
	ptab_rows_init(&rows, srv());
	add_full_row(&l, 1, "../etc", GD_OPER_UP);	/* not an id */
	add_full_row(&l, 4, "ok", GD_OPER_UP);
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_false(ptab_range_done(&r));
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.stats.no_name, 1);
	assert_string_equal(row(&rows, 0)->id, "ok");
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

/* endOfMibView, a column that leaves the table, an index that is two
 * sub-identifiers, and a short answer (one varbind of fifteen). */
static void test_end_of_table(void **state)
{
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;
	netsnmp_pdu *pdu;
	oid o[MAX_OID_LEN];
	size_t len;
	int n;

	(void)state;
	whole_range(&r);
	ptab_rows_init(&rows, srv());
	add_str(&l, GD_SERVER_NAME, 1, "x");
	add_raw(&l, o, srv_oid(GD_SERVER_TITLE, 0, o), SNMP_ENDOFMIBVIEW);
	len = srv_oid(GD_SERVER_GROUP + 1, 1, o);	/* the next column */
	add_raw(&l, o, len, ASN_OCTET_STR);
	len = srv_oid(GD_SERVER_PROBE, 1, o);
	o[len++] = 7;					/* index .1.7 */
	add_raw(&l, o, len, ASN_INTEGER);
	n = ptab_range_input(&r, &rows, l);
	assert_int_equal(n, 4);
	assert_int_equal(rows.stats.bad_index, 1);
	assert_false(ptab_range_done(&r));
	/* the next request asks for the name column from row 1 and for the
	 * 11 columns not answered yet from their start */
	pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(ptab_range_request(&r, pdu), (int)srv()->ncols - 3);
	len = srv_oid(GD_SERVER_NAME, 1, o);
	assert_int_equal(snmp_oid_compare(pdu->variables->name,
		pdu->variables->name_length, o, len), 0);
	len = srv_oid(GD_SERVER_ADDRESS, 0, o);
	assert_int_equal(snmp_oid_compare(
		pdu->variables->next_variable->name,
		pdu->variables->next_variable->name_length, o, len), 0);
	snmp_free_pdu(pdu);
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

/* Broken walks (fault_snmp_malformed.sh): a bad index, an index that
 * does not increase, or only nameless rows make the rows untrustworthy;
 * one nameless row among good ones (a row added mid-walk) does not. */
static void test_rows_broken(void **state)
{
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;

	(void)state;
	whole_range(&r);
	ptab_rows_init(&rows, srv());
	add_full_row(&l, 1, "../bad", GD_OPER_UP);
	add_full_row(&l, 2, "ok", GD_OPER_UP);
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_false(ptab_rows_broken(&rows));	/* one kept, one nameless */
	ptab_rows_clear(&rows);
	snmp_free_varbind(l);

	l = NULL;
	whole_range(&r);
	add_full_row(&l, 1, "../bad", GD_OPER_UP);
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_true(ptab_rows_broken(&rows));	/* none kept */
	ptab_rows_clear(&rows);
	snmp_free_varbind(l);

	l = NULL;
	whole_range(&r);
	add_full_row(&l, 5, "five", GD_OPER_UP);
	add_str(&l, GD_SERVER_NAME, 3, "three");	/* goes back */
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_int_equal(rows.stats.out_of_order, 1);
	assert_true(ptab_rows_broken(&rows));
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

/* A range that does not start the table asks from lo - 1 and ends at hi. */
static void test_range_bounds(void **state)
{
	struct ptab_range r;
	struct ptab_rows rows;
	netsnmp_variable_list *l = NULL;
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	oid o[MAX_OID_LEN];
	size_t len;

	(void)state;
	ptab_range_init(&r, srv(), 10, 20);
	assert_true(ptab_range_request(&r, pdu) > 0);
	len = srv_oid(GD_SERVER_NAME, 9, o);
	assert_int_equal(snmp_oid_compare(pdu->variables->name,
		pdu->variables->name_length, o, len), 0);
	snmp_free_pdu(pdu);
	ptab_rows_init(&rows, srv());
	add_full_row(&l, 12, "in", GD_OPER_UP);
	add_full_row(&l, 20, "next-range", GD_OPER_UP);
	assert_true(ptab_range_input(&r, &rows, l) > 0);
	assert_true(ptab_range_done(&r));
	assert_int_equal(ptab_rows_finish(&rows), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(row(&rows, 0)->id, "in");
	assert_int_equal(rows.stats.out_of_order, 0);
	snmp_free_varbind(l);
	ptab_rows_clear(&rows);
}

static void test_plan(void **state)
{
	uint32_t idx[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	uint32_t same[6] = { 1, 1, 1, 1, 2, 2 };
	uint32_t lo[8];

	(void)state;
	assert_int_equal(ptab_plan(NULL, 0, 4, 8, lo), 1);
	assert_int_equal(lo[0], 0);
	assert_int_equal(ptab_plan(idx, 10, 4, 8, lo), 3);
	assert_int_equal(lo[0], 0);
	assert_int_equal(lo[1], 4);
	assert_int_equal(lo[2], 7);
	assert_int_equal(ptab_plan(idx, 10, 1, 4, lo), 4);	/* capped */
	assert_int_equal(ptab_plan(same, 6, 1, 6, lo), 3);	/* merged */
	assert_int_equal(lo[1], 1);
	assert_int_equal(lo[2], 2);
}

/* --- the fake agent ------------------------------------------------------ */

struct cell {
	unsigned col;
	uint32_t idx;
};

struct fake {
	const struct cell *cells;	/* sorted by (col, idx) */
	size_t n;
	long reps;
	size_t cap;		/* varbinds per answer, 0: no cap */
};

/* The first cell after gdServerEntry.col[.idx] (as GETNEXT), or NULL. */
static const struct cell *fake_next(const struct fake *f, const oid *name,
				    size_t len)
{
	size_t el = srv()->entry_len;
	unsigned col = (unsigned)name[el];
	uint32_t idx = len > el + 1 ? (uint32_t)name[el + 1] : 0;

	for (size_t i = 0; i < f->n; i++)
		if (f->cells[i].col > col ||
		    (f->cells[i].col == col && f->cells[i].idx > idx))
			return &f->cells[i];
	return NULL;
}

/* Names and titles "s<idx>", oper status up: the columns the fake has. */
static void fake_value(netsnmp_variable_list **l, const struct cell *c)
{
	char name[16];

	snprintf(name, sizeof name, "s%u", (unsigned)c->idx);
	if (c->col == GD_SERVER_OPER_STATUS)
		add_int(l, c->col, c->idx, ASN_INTEGER, GD_OPER_UP);
	else
		add_str(l, c->col, c->idx, name);
}

/* A GETBULK answer to the varbinds of req. */
static netsnmp_variable_list *fake_bulk(const struct fake *f,
					const netsnmp_pdu *req)
{
	netsnmp_variable_list *out = NULL;
	oid cur[PTAB_MAX_COLS][MAX_OID_LEN];
	size_t len[PTAB_MAX_COLS], k = 0, count = 0;
	oid end[MAX_OID_LEN];

	for (netsnmp_variable_list *v = req->variables; v; v = v->next_variable) {
		memcpy(cur[k], v->name, v->name_length * sizeof(oid));
		len[k++] = v->name_length;
	}
	for (long rep = 0; rep < f->reps; rep++) {
		for (size_t i = 0; i < k; i++, count++) {
			const struct cell *c = fake_next(f, cur[i], len[i]);

			if (f->cap && count == f->cap)
				return out;
			if (c == NULL) {
				add_raw(&out, end, srv_oid(99, 0, end),
					SNMP_ENDOFMIBVIEW);
				continue;
			}
			fake_value(&out, c);
			len[i] = srv_oid(c->col, c->idx, cur[i]);
		}
	}
	return out;
}

/* Walks the ranges of lo[] (in reverse order, as answers may arrive) to
 * the end. */
static void fake_walk(const struct fake *f, const uint32_t *lo, size_t k,
		      struct ptab_rows *rows)
{
	for (size_t i = k; i-- > 0;) {
		struct ptab_range r;
		int rounds = 0;

		ptab_range_init(&r, srv(), lo[i], i + 1 < k ? lo[i + 1] : 0);
		while (!ptab_range_done(&r)) {
			netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
			netsnmp_variable_list *ans;

			assert_true(ptab_range_request(&r, pdu) > 0);
			ans = fake_bulk(f, pdu);
			assert_true(ptab_range_input(&r, rows, ans) > 0);
			snmp_free_varbind(ans);
			snmp_free_pdu(pdu);
			assert_true(++rounds < 1000);
		}
	}
	assert_int_equal(ptab_rows_finish(rows), 0);
}

/* Rows 1 3 4 7 9 (holes in the index); row 4 has no oper status, row 7
 * no name; the other columns of the table are absent altogether. */
static const struct cell holes[] = {
	{ GD_SERVER_NAME, 1 }, { GD_SERVER_NAME, 3 }, { GD_SERVER_NAME, 4 },
	{ GD_SERVER_NAME, 9 },
	{ GD_SERVER_TITLE, 1 }, { GD_SERVER_TITLE, 3 },
	{ GD_SERVER_TITLE, 4 }, { GD_SERVER_TITLE, 7 },
	{ GD_SERVER_TITLE, 9 },
	{ GD_SERVER_OPER_STATUS, 1 }, { GD_SERVER_OPER_STATUS, 3 },
	{ GD_SERVER_OPER_STATUS, 7 }, { GD_SERVER_OPER_STATUS, 9 },
};

static void check_holes(const struct ptab_rows *rows)
{
	static const uint32_t want[] = { 1, 3, 4, 9 };

	assert_int_equal(rows->n, 4);
	for (size_t i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof name, "s%u", (unsigned)want[i]);
		assert_int_equal(rows->index[i], want[i]);
		assert_string_equal(row(rows, i)->id, name);
		assert_null(row(rows, i)->address);
		assert_int_equal(row(rows, i)->heartbeat_age,
				 GD_HEARTBEAT_NONE);
		assert_int_equal(row(rows, i)->oper,
				 want[i] == 4 ? GD_OPER_UNKNOWN : GD_OPER_UP);
	}
	assert_int_equal(rows->stats.no_name, 1);
	assert_int_equal(rows->stats.incomplete, 4);
	assert_int_equal(rows->stats.wrong_type, 0);
}

static void test_fake_holes(void **state)
{
	static const long reps[] = { 1, 2, 3, 50 };
	static const size_t caps[] = { 0, 5, 16, 0 };
	struct fake f = { holes, sizeof holes / sizeof holes[0], 0, 0 };
	uint32_t lo[1] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++) {
		struct ptab_rows rows;

		f.reps = reps[i];
		f.cap = caps[i];
		ptab_rows_init(&rows, srv());
		fake_walk(&f, lo, 1, &rows);
		check_holes(&rows);
		ptab_rows_clear(&rows);
	}
}

/* Ranges planned from a previous cycle of rows 1..10; since then rows
 * 4..6 are gone and 12 is new: every row is found once. */
static void test_fake_ranges(void **state)
{
	static const struct cell cells[] = {
		{ GD_SERVER_NAME, 1 }, { GD_SERVER_NAME, 2 },
		{ GD_SERVER_NAME, 3 }, { GD_SERVER_NAME, 7 },
		{ GD_SERVER_NAME, 8 }, { GD_SERVER_NAME, 9 },
		{ GD_SERVER_NAME, 10 }, { GD_SERVER_NAME, 12 },
		{ GD_SERVER_OPER_STATUS, 2 }, { GD_SERVER_OPER_STATUS, 12 },
	};
	uint32_t prev[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint32_t want[] = { 1, 2, 3, 7, 8, 9, 10, 12 };
	struct fake f = { cells, sizeof cells / sizeof cells[0], 2, 0 };
	struct ptab_rows rows;
	uint32_t lo[8];
	size_t k = ptab_plan(prev, 10, 3, 8, lo);

	(void)state;
	assert_int_equal(k, 4);	/* 0 4 7 9 */
	ptab_rows_init(&rows, srv());
	fake_walk(&f, lo, k, &rows);
	assert_int_equal(rows.n, 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(rows.index[i], want[i]);
	assert_int_equal(row(&rows, 1)->oper, GD_OPER_UP);
	assert_int_equal(row(&rows, 0)->oper, GD_OPER_UNKNOWN);
	assert_int_equal(row(&rows, 7)->oper, GD_OPER_UP);
	assert_int_equal(rows.stats.out_of_order, 0);
	ptab_rows_clear(&rows);
}

/* 10,000 rows through the hash, and the take/free hand-over. */
static void test_many_rows(void **state)
{
	struct ptab_rows rows;
	uint32_t *index;
	size_t n;
	void *v;

	(void)state;
	ptab_rows_init(&rows, srv());
	for (uint32_t i = 10000; i >= 1; i--) {
		struct gd_state_server *s = ptab_rows_get(&rows, i * 7);

		assert_non_null(s);
		assert_ptr_equal(ptab_rows_get(&rows, i * 7), s);
		s->id = strdup("x");
		rows.seen[rows.n - 1] |= 1u;
	}
	assert_int_equal(ptab_rows_finish(&rows), 0);
	v = ptab_rows_take(&rows, &n, &index);
	assert_int_equal(n, 10000);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(index[i], (i + 1) * 7);
	assert_int_equal(rows.n, 0);
	ptab_rows_free(srv(), v, n);
	free(index);
	ptab_rows_clear(&rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_rows),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_bad_name_dropped),
		cmocka_unit_test(test_end_of_table),
		cmocka_unit_test(test_rows_broken),
		cmocka_unit_test(test_range_bounds),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_fake_holes),
		cmocka_unit_test(test_fake_ranges),
		cmocka_unit_test(test_many_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
