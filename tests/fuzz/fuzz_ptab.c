/*
 * fuzz_ptab.c — the monitor's varbinds-to-model code
 * (monitor/poll_table.c): a table walk of one index range, driven by an
 * agent that answers anything.
 *
 * Input (tests/fuzz/mkseeds.py writes seeds in this format):
 *   byte 0      table (area, group, server, service)
 *   bytes 1-4   lo, 5-8 hi of the range (hi 0: open)
 *   then rounds until the input ends: byte n, n varbinds, each
 *     byte kind   where its OID points: the requested column (k % 8 < 5),
 *                 another column, another table, outside the MIB, a
 *                 two-part index, a short OID
 *     4 bytes     the index (kind: the column's own next or any)
 *     byte type   OCTET STRING, INTEGER, Gauge32, Counter64, DateAndTime,
 *                 endOfMibView, noSuchObject, OBJECT IDENTIFIER, NULL
 *     value       length-prefixed bytes or 4/8 bytes
 * Each round asks ptab_range_request for the request (in a GETBULK PDU)
 * and feeds the varbinds to ptab_range_input, as poll.c does, until the
 * range is done or an answer makes no progress.
 *
 * Beyond "no crash, no leak": input never fails (no out of memory here),
 * the walk ends, and the rows it gives are sorted by unique non-zero
 * index, each with a valid id, enumerations in their ranges, text
 * without control characters; ptab_plan on those indexes gives
 * increasing range starts.
 */
#include "fuzz.h"

#include "config.h"
#include "poll_table.h"
#include "state.h"

#define MAX_VARBINDS 64

static const struct ptab_table *pick_table(struct fz_in *in)
{
	return ptab_table((enum ptab_id)(fz_u8(in) % PTAB_COUNT));
}

/* The OID of one varbind of the answer to the request of r. */
static size_t answer_oid(struct fz_in *in, const struct ptab_range *r,
			 size_t k, oid *name)
{
	const struct ptab_table *t = r->table;
	unsigned slot = r->req[k % r->nreq];
	uint8_t how = fz_u8(in);
	uint32_t idx = fz_u32(in);
	size_t len = t->entry_len;

	memcpy(name, t->entry, len * sizeof *name);
	name[len++] = t->cols[slot].column;
	switch (how % 8) {
	case 0: case 1: case 2: case 3:
		/* the usual: the column's next row (small steps) */
		name[len++] = (r->started & (1u << slot) ? r->cursor[slot] : r->lo)
			      + (idx & 0xff);
		break;
	case 4:
		name[len++] = idx;
		break;
	case 5:		/* another column, maybe past the last */
		name[len - 1] = idx >> 24;
		name[len++] = idx & 0xffffff;
		break;
	case 6:		/* another table, or off the MIB */
		name[len - 3] = idx >> 28;
		name[len++] = idx & 0xffff;
		break;
	default:	/* a two-part index, or none */
		if (idx & 1)
			name[len++] = idx >> 8;
		if (idx & 2)
			name[len++] = (oid)idx << 20;
		break;
	}
	return len;
}

static int add_value(struct fz_in *in, netsnmp_variable_list **list,
		     const oid *name, size_t len)
{
	uint8_t type = fz_u8(in) % 9;
	const uint8_t *b;
	size_t n;
	long l;
	struct counter64 c;
	oid o[4] = { 1, 3, 6, 1 };

	switch (type) {
	case 0:
	case 4:	/* DateAndTime is an OCTET STRING: 8 or 11 bytes mostly */
		b = fz_bytes(in, 255, &n);
		return snmp_varlist_add_variable(list, name, len, ASN_OCTET_STR,
						 b, n) ? 0 : -1;
	case 1:
	case 2:
		l = (long)(int32_t)fz_u32(in);
		if (type == 2)
			l = (long)(uint32_t)l;
		return snmp_varlist_add_variable(list, name, len,
			type == 1 ? ASN_INTEGER : ASN_GAUGE, &l, sizeof l) ?
			0 : -1;
	case 3:
		c.high = fz_u32(in);
		c.low = fz_u32(in);
		return snmp_varlist_add_variable(list, name, len,
			ASN_COUNTER64, &c, sizeof c) ? 0 : -1;
	case 5:
		return snmp_varlist_add_variable(list, name, len,
			SNMP_ENDOFMIBVIEW, NULL, 0) ? 0 : -1;
	case 6:
		return snmp_varlist_add_variable(list, name, len,
			SNMP_NOSUCHOBJECT, NULL, 0) ? 0 : -1;
	case 7:
		return snmp_varlist_add_variable(list, name, len,
			ASN_OBJECT_ID, o, sizeof o) ? 0 : -1;
	default:
		return snmp_varlist_add_variable(list, name, len, ASN_NULL,
						 NULL, 0) ? 0 : -1;
	}
}

static netsnmp_variable_list *answer(struct fz_in *in,
				     const struct ptab_range *r)
{
	netsnmp_variable_list *list = NULL;
	size_t n = fz_u8(in) % (MAX_VARBINDS + 1);
	oid name[PTAB_MAX_ENTRY_LEN + 4];

	for (size_t k = 0; k < n && in->n > 0; k++)
		if (add_value(in, &list, name, answer_oid(in, r, k, name)) < 0)
			abort();
	return list;
}

/* One GETBULK round: 1 on, 0 stop (done or no progress). */
static int round_trip(struct fz_in *in, struct ptab_range *r,
		      struct ptab_rows *rows)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	netsnmp_variable_list *vars;
	int rc;

	FZ_ASSERT(pdu != NULL);
	rc = ptab_range_request(r, pdu);
	FZ_ASSERT(rc >= 1 && (size_t)rc == r->nreq);
	snmp_free_pdu(pdu);
	vars = answer(in, r);
	rc = ptab_range_input(r, rows, vars);
	snmp_free_varbind(vars);
	FZ_ASSERT(rc >= 0);
	return rc > 0 && !ptab_range_done(r);
}

static void check_text(const char *s)
{
	for (; s != NULL && *s; s++)
		FZ_ASSERT((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void check_row(enum ptab_id t, const void *row)
{
	const struct gd_state_group *g = row;
	const struct gd_state_server *s = row;
	const struct gd_state_service *v = row;

	/* every row struct starts with its id */
	FZ_ASSERT(gd_id_valid(*(char *const *)row));
	if (t == PTAB_AREA) {
		check_text(((const struct gd_state_area *)row)->title);
		check_text(((const struct gd_state_area *)row)->description);
	} else if (t == PTAB_GROUP) {
		FZ_ASSERT(g->status >= GD_STATUS_UP &&
			  g->status <= GD_STATUS_UNKNOWN);
		check_text(g->title);
		check_text(g->area);
	} else if (t == PTAB_SERVER) {
		FZ_ASSERT(s->oper >= GD_OPER_UP && s->oper <= GD_OPER_UNKNOWN);
		FZ_ASSERT(s->admin >= GD_ADMIN_ACTIVE &&
			  s->admin <= GD_ADMIN_STANDBY);
		FZ_ASSERT(s->probe >= GD_PROBE_TCP &&
			  s->probe <= GD_PROBE_HEARTBEAT);
		check_text(s->last_error);
		check_text(s->address);
	} else {
		FZ_ASSERT(v->status >= GD_STATUS_UP &&
			  v->status <= GD_STATUS_UNKNOWN);
	}
}

static void check_rows(const struct ptab_table *t, const unsigned char *rows,
		       size_t n, const uint32_t *index)
{
	uint32_t lo[8];
	size_t k;

	for (size_t i = 0; i < n; i++) {
		FZ_ASSERT(index[i] != 0);
		FZ_ASSERT(i == 0 || index[i - 1] < index[i]);
		check_row(t->id, rows + i * t->row_size);
	}
	k = ptab_plan(index, n, 3, 8, lo);
	FZ_ASSERT(k >= 1 && k <= 8 && lo[0] == 0);
	for (size_t i = 1; i < k; i++)
		FZ_ASSERT(lo[i] > lo[i - 1]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_quiet();
	/* net-snmp logs what it cannot decode, to stderr when no handler
	 * is registered: register one that drops it */
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	const struct ptab_table *t = pick_table(&in);
	uint32_t lo = fz_u32(&in), hi = fz_u32(&in);
	struct ptab_range r;
	struct ptab_rows rows;
	uint32_t *index = NULL;
	void *taken;
	size_t n = 0;

	ptab_range_init(&r, t, lo, hi);
	ptab_rows_init(&rows, t);
	while (in.n > 0 && round_trip(&in, &r, &rows))
		;
	FZ_ASSERT(ptab_rows_finish(&rows) == 0);
	taken = ptab_rows_take(&rows, &n, &index);
	check_rows(t, taken, n, index);
	ptab_rows_free(t, taken, n);
	free(index);
	ptab_rows_clear(&rows);
	return 0;
}
