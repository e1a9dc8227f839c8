/*
 * trap_pdu.c — notification PDUs to greendot notifications; see
 * trap_pdu.h.
 */
#include "trap_pdu.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "poll_table.h"
#include "status.h"

static const oid snmp_trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid gd_notifications[] = { GD_OID_NOTIFICATIONS };
/* SNMPv2-MIB snmpTraps: the generic traps of SNMPv1, RFC 3584 */
static const oid snmp_traps[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5 };

#define OIDLEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const names[] = {
	[GD_NOTIFY_SERVER_DOWN] = "gdServerDown",
	[GD_NOTIFY_SERVER_UP] = "gdServerUp",
	[GD_NOTIFY_GROUP_FAILOVER] = "gdGroupFailover",
	[GD_NOTIFY_GROUP_DOWN] = "gdGroupDown",
	[GD_NOTIFY_GROUP_UP] = "gdGroupUp",
	[GD_NOTIFY_SERVICE_DOWN] = "gdServiceDown",
	[GD_NOTIFY_SERVICE_UP] = "gdServiceUp",
};

const char *tpdu_name(unsigned which)
{
	return which > 0 && which < OIDLEN(names) ? names[which] : NULL;
}

/* The table a notification is about. */
static enum ptab_id subject(enum gd_notification n)
{
	if (n == GD_NOTIFY_SERVER_DOWN || n == GD_NOTIFY_SERVER_UP)
		return PTAB_SERVER;
	if (n == GD_NOTIFY_SERVICE_DOWN || n == GD_NOTIFY_SERVICE_UP)
		return PTAB_SERVICE;
	return PTAB_GROUP;
}

/* The trap OID: snmpTrapOID.0's value (v2), or RFC 3584's mapping of a
 * v1 trap.  Its length, 0 when there is none. */
static size_t trap_oid_of(const netsnmp_pdu *pdu, oid *out)
{
	if (pdu->command == SNMP_MSG_TRAP) {
		size_t len = pdu->enterprise_length;

		if (pdu->trap_type != SNMP_TRAP_ENTERPRISESPECIFIC) {
			memcpy(out, snmp_traps, sizeof snmp_traps);
			out[OIDLEN(snmp_traps)] = (oid)pdu->trap_type + 1;
			return OIDLEN(snmp_traps) + 1;
		}
		if (len == 0 || len + 2 > MAX_OID_LEN)
			return 0;
		memcpy(out, pdu->enterprise, len * sizeof *out);
		out[len++] = 0;
		out[len++] = (oid)pdu->specific_type;
		return len;
	}
	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
		if (v->type == ASN_OBJECT_ID &&
		    snmp_oid_compare(v->name, v->name_length, snmp_trap_oid,
				     OIDLEN(snmp_trap_oid)) == 0 &&
		    v->val_len / sizeof(oid) <= MAX_OID_LEN) {
			memcpy(out, v->val.objid, v->val_len);
			return v->val_len / sizeof(oid);
		}
	return 0;
}

/* greendotMIB.0.N with N one of ours: N, else 0. */
static unsigned which_of(const oid *o, size_t len)
{
	size_t base = OIDLEN(gd_notifications);

	if (len != base + 1 || snmp_oid_ncompare(o, len, gd_notifications,
						 base, base) != 0)
		return 0;
	return tpdu_name((unsigned)o[base]) != NULL ? (unsigned)o[base] : 0;
}

/* The column a varbind is an instance of, and its table. */
static const struct ptab_column *column_of(const netsnmp_variable_list *v,
					   enum ptab_id *table)
{
	for (unsigned t = 0; t < PTAB_COUNT; t++) {
		const struct ptab_table *tb = ptab_table(t);
		size_t el = tb->entry_len;

		if (v->name_length != el + 2 ||
		    snmp_oid_ncompare(v->name, v->name_length, tb->entry, el,
				      el) != 0)
			continue;
		for (size_t c = 0; c < tb->ncols; c++)
			if (tb->cols[c].column == v->name[el]) {
				*table = t;
				return &tb->cols[c];
			}
	}
	return NULL;
}

static const char *enum_word(enum ptab_id t, unsigned column, long v)
{
	if (t == PTAB_SERVER && column == GD_SERVER_OPER_STATUS)
		return gd_oper_name(v);
	if (t == PTAB_SERVER && column == GD_SERVER_ADMIN_STATUS)
		return gd_admin_name(v);
	if (t == PTAB_SERVER && column == GD_SERVER_PROBE)
		return gd_probe_name(v);
	return gd_status_name(v);
}

/* An agent's text, printable: control bytes become '?'. */
static void put_text(char *buf, size_t len, const u_char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < len; i++)
		buf[i] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
	buf[i] = '\0';
}

static void value_text(const netsnmp_variable_list *v, enum ptab_id t,
		       const struct ptab_column *c, char *buf, size_t len)
{
	const char *w;

	if (v->type == ASN_OCTET_STR && c->kind != PTAB_K_TIME) {
		put_text(buf, len, v->val.string, v->val_len);
	} else if (v->type == ASN_INTEGER && c->kind == PTAB_K_ENUM &&
		   (w = enum_word(t, c->column, *v->val.integer)) != NULL) {
		snprintf(buf, len, "%s", w);
	} else if (v->type == ASN_INTEGER || v->type == ASN_GAUGE) {
		snprintf(buf, len, "%ld", *v->val.integer);
	} else {
		snprintf(buf, len, "?");
	}
}

static void append(char *buf, size_t len, const char *name, const char *val)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
			 name, val);
}

/* A Name is a config id (config.h gd_id_valid), as the poller takes it
 * (poll_table.h PTAB_K_ID): anything else — a 60,000-byte string, control
 * bytes, "../x" — would end in the journal, cut, as an object nobody
 * has.  Whole, or not at all. */
static bool name_of(const netsnmp_variable_list *v, char *out, size_t len)
{
	if (v->val_len == 0 || v->val_len >= len ||
	    memchr(v->val.string, '\0', v->val_len) != NULL)
		return false;
	memcpy(out, v->val.string, v->val_len);
	out[v->val_len] = '\0';
	if (gd_id_valid(out))
		return true;
	out[0] = '\0';
	return false;
}

/* The subject's Name into out->object, the other objects into detail.
 * false when the Name is missing. */
static bool read_objects(const netsnmp_pdu *pdu, struct tpdu *out)
{
	enum ptab_id want = subject(out->which);
	bool named = false;

	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable) {
		enum ptab_id t;
		const struct ptab_column *c = column_of(v, &t);
		char val[256];

		if (c == NULL)
			continue;
		value_text(v, t, c, val, sizeof val);
		if (t == want && c->kind == PTAB_K_ID &&
		    v->type == ASN_OCTET_STR && !named) {
			named = name_of(v, out->object, sizeof out->object);
			continue;
		}
		append(out->detail, sizeof out->detail, c->name, val);
	}
	return named;
}

/* Numeric, whatever MIBs are loaded: ".1.3.6.1.6.3.1.1.5.1". */
static void oid_text(char *buf, size_t len, const oid *o, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, ".%lu",
					 (unsigned long)o[i]);
}

enum tpdu_verdict tpdu_parse(const netsnmp_pdu *pdu, struct tpdu *out)
{
	oid trap[MAX_OID_LEN];
	size_t len;

	memset(out, 0, sizeof *out);
	if (pdu->command != SNMP_MSG_TRAP && pdu->command != SNMP_MSG_TRAP2 &&
	    pdu->command != SNMP_MSG_INFORM)
		return TPDU_MALFORMED;
	len = trap_oid_of(pdu, trap);
	if (len == 0)
		return TPDU_MALFORMED;
	oid_text(out->trap_oid, sizeof out->trap_oid, trap, len);
	out->which = which_of(trap, len);
	if (out->which == 0)
		return TPDU_UNKNOWN;
	out->name = tpdu_name(out->which);
	return read_objects(pdu, out) ? TPDU_GREENDOT : TPDU_MALFORMED;
}
