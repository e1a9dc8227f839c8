/*
 * test_mib.c — GREENDOT-MIB through net-snmp's own request processing,
 * without a master: the agent library runs master-less (nothing listens),
 * the tables are registered as in the daemon, and each PDU goes through
 * handle_pdu(), so GET, GETNEXT and SET pass the table, tdata and scalar
 * helpers and our handlers exactly as a request from snmpd would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/testcfg.h"
#include "agentx.h"
#include "gd_mib.h"
#include "mib.h"
#include "model.h"
#include "notify.h"
#include "xmlsafe.h"

/* snmp_agent.c exports it; no header declares it */
int handle_pdu(netsnmp_agent_session *asp);

static const oid area_entry[] = { GD_OID_AREA_ENTRY };
static const oid group_entry[] = { GD_OID_GROUP_ENTRY };
static const oid server_entry[] = { GD_OID_SERVER_ENTRY };
static const oid service_entry[] = { GD_OID_SERVICE_ENTRY };
static const oid agent_root[] = { GD_OID_AGENT };
#define ELEN OID_LENGTH(server_entry)

static struct {
	struct ev_loop *loop;
	struct gd_config *cfg;
	struct model *m;
	struct mib_agent_info info;
	struct mib_ops ops;
	size_t admin_calls, hb_calls;
	unsigned hb_status;
} t;

static void op_admin(void *arg, size_t server, enum gd_admin admin)
{
	(void)arg;
	t.admin_calls++;
	model_set_admin(t.m, server, admin, time(NULL));
}

static void op_heartbeat(void *arg, size_t server, unsigned status)
{
	(void)arg;
	t.hb_calls++;
	t.hb_status = status;
	model_heartbeat(t.m, server, status, time(NULL));
}

/* --- requests ------------------------------------------------------------- */

struct answer {
	long errstat;
	netsnmp_variable_list *vars;	/* ours: free with snmp_free_varbind */
};

static struct answer ask(int cmd, const oid *name, size_t len, u_char type,
			 const void *val, size_t vlen)
{
	netsnmp_session sess;
	netsnmp_pdu *pdu = snmp_pdu_create(cmd);
	netsnmp_agent_session *asp;
	struct answer a;

	snmp_sess_init(&sess);
	sess.version = SNMP_VERSION_2c;
	pdu->version = SNMP_VERSION_2c;
	pdu->flags |= UCD_MSG_FLAG_ALWAYS_IN_VIEW;	/* no VACM here */
	snmp_pdu_add_variable(pdu, name, len, type, val, vlen);
	asp = init_agent_snmp_session(&sess, pdu);
	a.errstat = handle_pdu(asp);
	a.vars = snmp_clone_varbind(asp->pdu->variables);
	free_agent_snmp_session(asp);
	snmp_free_pdu(pdu);	/* the session worked on copies */
	return a;
}

static struct answer get(const oid *name, size_t len)
{
	return ask(SNMP_MSG_GET, name, len, ASN_NULL, NULL, 0);
}

static struct answer getnext(const oid *name, size_t len)
{
	return ask(SNMP_MSG_GETNEXT, name, len, ASN_NULL, NULL, 0);
}

static size_t instance(oid *out, const oid *entry, unsigned col,
		       uint32_t index)
{
	memcpy(out, entry, ELEN * sizeof(oid));
	out[ELEN] = col;
	out[ELEN + 1] = index;
	return ELEN + 2;
}

static void check_string(const oid *entry, unsigned col, uint32_t index,
			  const char *want)
{
	oid name[ELEN + 2];
	struct answer a = get(name, instance(name, entry, col, index));

	assert_int_equal(a.errstat, SNMP_ERR_NOERROR);
	assert_int_equal(a.vars->type, ASN_OCTET_STR);
	assert_int_equal(a.vars->val_len, strlen(want));
	assert_memory_equal(a.vars->val.string, want, strlen(want));
	snmp_free_varbind(a.vars);
}

static void check_int(const oid *entry, unsigned col, uint32_t index,
		       u_char type, long want)
{
	oid name[ELEN + 2];
	struct answer a = get(name, instance(name, entry, col, index));

	assert_int_equal(a.errstat, SNMP_ERR_NOERROR);
	assert_int_equal(a.vars->type, type);
	assert_int_equal(*a.vars->val.integer, want);
	snmp_free_varbind(a.vars);
}

static uint32_t server_index(const char *id)
{
	return t.m->servers[gd_config_find_server(t.cfg, id)].st.index;
}

/* --- fixture -------------------------------------------------------------- */

/* The agent library once per run (init_agent cannot be undone fully). */
static int group_setup(void **state)
{
	struct agx_opts o = { "greendot-test", NULL, 0, true };

	(void)state;
	t.loop = ev_loop_new();
	return t.loop != NULL && agx_init(t.loop, &o, NULL, NULL) == 0 ? 0
									: -1;
}

static int group_teardown(void **state)
{
	(void)state;
	agx_shutdown();
	ev_loop_free(t.loop);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	t.cfg = testcfg_load(TESTCFG_BASIC);
	t.m = model_new(NULL, NULL);
	t.info = (struct mib_agent_info){ "greendot-agent test", "test.xml",
					  1000, 2000, 3, 1 };
	t.ops = (struct mib_ops){ op_admin, op_heartbeat, NULL };
	t.admin_calls = t.hb_calls = 0;
	if (t.cfg == NULL || t.m == NULL ||
	    model_set_config(t.m, t.cfg, NULL, time(NULL)) < 0 ||
	    notify_init(t.m, 0) < 0 || mib_init(t.m, &t.info, &t.ops) < 0 ||
	    mib_sync() < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mib_shutdown();
	notify_shutdown();
	model_free(t.m);
	gd_config_free(t.cfg);
	gd_xml_cleanup();
	return 0;
}

/* --- tests ------------------------------------------------------------------ */

/* A subtree registered out of order or inside another would shadow it. */
static void test_registrations_sorted(void **state)
{
	const struct mib_reg_info *r;
	size_t n = mib_registrations(&r);

	(void)state;
	assert_int_equal(n, 5);
	for (size_t i = 1; i < n; i++) {
		assert_true(snmp_oid_compare(r[i - 1].oid, r[i - 1].len,
					     r[i].oid, r[i].len) < 0);
		assert_false(netsnmp_oid_is_subtree(r[i - 1].oid,
						    r[i - 1].len, r[i].oid,
						    r[i].len) == 0);
	}
}

static void test_get_each_table(void **state)
{
	uint32_t s1 = server_index("s1");

	(void)state;
	check_string(area_entry, GD_AREA_NAME, 1, "a");
	check_string(area_entry, GD_AREA_COLOUR, 1, "yellow");
	check_string(group_entry, GD_GROUP_TITLE, 1, "Group 1");
	check_string(group_entry, GD_GROUP_AREA, 2, "a");
	check_int(group_entry, GD_GROUP_STATUS, 1, ASN_INTEGER,
		   GD_STATUS_UNKNOWN);
	check_int(group_entry, GD_GROUP_MEMBERS_ACTIVE, 1, ASN_GAUGE, 2);
	check_int(group_entry, GD_GROUP_MEMBERS, 1, ASN_GAUGE, 3);
	check_string(server_entry, GD_SERVER_NAME, s1, "s1");
	check_string(server_entry, GD_SERVER_TITLE, s1, "S one");
	check_string(server_entry, GD_SERVER_GROUP, s1, "g1");
	check_int(server_entry, GD_SERVER_PROBE, s1, ASN_INTEGER,
		   GD_PROBE_TCP);
	check_int(server_entry, GD_SERVER_PORT, s1, ASN_UNSIGNED, 1001);
	check_int(server_entry, GD_SERVER_OPER_STATUS, s1, ASN_INTEGER,
		   GD_OPER_UNKNOWN);
	check_int(server_entry, GD_SERVER_HEARTBEAT, s1, ASN_UNSIGNED,
		   (long)GD_HEARTBEAT_NONE);
	check_string(service_entry, GD_SERVICE_NAME, 2, "alt");
	check_int(service_entry, GD_SERVICE_STATUS, 1, ASN_INTEGER,
		   GD_STATUS_UNKNOWN);
}

static void test_get_scalars(void **state)
{
	oid name[OID_LENGTH(agent_root) + 2];
	struct answer a;

	(void)state;
	memcpy(name, agent_root, sizeof agent_root);
	name[OID_LENGTH(agent_root) + 1] = 0;
	name[OID_LENGTH(agent_root)] = GD_AGENT_VERSION;
	a = get(name, OID_LENGTH(name));
	assert_int_equal(a.vars->type, ASN_OCTET_STR);
	assert_memory_equal(a.vars->val.string, "greendot-agent test", 19);
	snmp_free_varbind(a.vars);
	name[OID_LENGTH(agent_root)] = GD_CONFIG_RELOADS;
	a = get(name, OID_LENGTH(name));
	assert_int_equal(a.vars->type, ASN_COUNTER);
	assert_int_equal(*a.vars->val.integer, 3);
	snmp_free_varbind(a.vars);
	name[OID_LENGTH(agent_root)] = GD_SITE_TITLE;
	a = get(name, OID_LENGTH(name));
	assert_memory_equal(a.vars->val.string, "Test site", 9);
	snmp_free_varbind(a.vars);
}

static void test_get_missing(void **state)
{
	oid name[ELEN + 2];
	struct answer a;

	(void)state;
	a = get(name, instance(name, server_entry, GD_SERVER_NAME, 999));
	assert_int_equal(a.vars->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(a.vars);
	/* the index column is not-accessible */
	a = get(name, instance(name, server_entry, GD_SERVER_INDEX, 1));
	assert_true(a.vars->type == SNMP_NOSUCHOBJECT ||
		    a.vars->type == SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(a.vars);
}

/* Walks from `from` while inside `within`; returns the count and the OID
 * where the walk left. */
static size_t walk(const oid *from, size_t flen, const oid *within,
		   size_t wlen, struct answer *after)
{
	oid cur[MAX_OID_LEN];
	size_t len = flen, n = 0;

	memcpy(cur, from, flen * sizeof(oid));
	for (;;) {
		struct answer a = getnext(cur, len);

		if (a.vars->type == SNMP_ENDOFMIBVIEW ||
		    snmp_oidtree_compare(within, wlen, a.vars->name,
					 a.vars->name_length) != 0) {
			*after = a;
			return n;
		}
		len = a.vars->name_length;
		memcpy(cur, a.vars->name, len * sizeof(oid));
		snmp_free_varbind(a.vars);
		n++;
	}
}

static void test_getnext_walks(void **state)
{
	const oid server_table[] = { GD_OID_SERVER_TABLE };
	const oid area_table[] = { GD_OID_AREA_TABLE };
	struct answer after;
	size_t n;

	(void)state;
	/* 5 servers x 15 accessible columns, then the service table */
	n = walk(server_table, OID_LENGTH(server_table), server_table,
		 OID_LENGTH(server_table), &after);
	assert_int_equal(n, 5 * 15);
	assert_int_equal(snmp_oidtree_compare(service_entry,
					      OID_LENGTH(service_entry),
					      after.vars->name,
					      after.vars->name_length), 0);
	assert_int_equal(after.vars->name[ELEN], GD_SERVICE_NAME);
	assert_int_equal(after.vars->name[ELEN + 1], 1);
	snmp_free_varbind(after.vars);
	/* the areas, then the first group */
	n = walk(area_table, OID_LENGTH(area_table), area_table,
		 OID_LENGTH(area_table), &after);
	assert_int_equal(n, 1 * 4);
	assert_int_equal(after.vars->name[ELEN - 2], 3);	/* gdGroupTable */
	snmp_free_varbind(after.vars);
	/* 3 groups x 8 columns, then the first server */
	n = walk(group_entry, ELEN, group_entry, ELEN, &after);
	assert_int_equal(n, 3 * 8);
	assert_int_equal(after.vars->name[ELEN - 2], 4);	/* gdServerTable */
	snmp_free_varbind(after.vars);
	/* 2 services x 4 columns, then the end of the MIB view */
	n = walk(service_entry, ELEN, service_entry, ELEN, &after);
	assert_int_equal(n, 2 * 4);
	assert_int_equal(after.vars->type, SNMP_ENDOFMIBVIEW);
	snmp_free_varbind(after.vars);
}

static void test_end_of_tables(void **state)
{
	oid name[ELEN + 2];
	struct answer a;

	(void)state;
	/* past the last service: nothing else is registered here */
	a = getnext(name, instance(name, service_entry,
				   GD_SERVICE_LAST_CHANGE, 2));
	assert_int_equal(a.vars->type, SNMP_ENDOFMIBVIEW);
	snmp_free_varbind(a.vars);
}

static long set_one(unsigned col, uint32_t index, u_char type, long v)
{
	oid name[ELEN + 2];
	size_t len = instance(name, server_entry, col, index);
	struct answer a = ask(SNMP_MSG_SET, name, len, type, &v, sizeof v);

	snmp_free_varbind(a.vars);
	return a.errstat;
}

static void check_counter64(unsigned col, uint32_t index, uint64_t want)
{
	oid name[ELEN + 2];
	struct answer a = get(name, instance(name, server_entry, col, index));

	assert_int_equal(a.vars->type, ASN_COUNTER64);
	assert_int_equal(((uint64_t)a.vars->val.counter64->high << 32) |
			 a.vars->val.counter64->low, want);
	snmp_free_varbind(a.vars);
}

static void test_set(void **state)
{
	uint32_t s1 = server_index("s1"), hb = server_index("hb");

	(void)state;
	assert_int_equal(set_one(GD_SERVER_ADMIN_STATUS, s1, ASN_INTEGER, 2),
			 SNMP_ERR_NOERROR);
	assert_int_equal(t.admin_calls, 1);
	check_int(server_entry, GD_SERVER_ADMIN_STATUS, s1, ASN_INTEGER,
		   GD_ADMIN_MAINTENANCE);
	check_int(group_entry, GD_GROUP_MEMBERS_ACTIVE, 1, ASN_GAUGE, 1);
	assert_int_equal(set_one(GD_SERVER_ADMIN_STATUS, s1, ASN_INTEGER, 7),
			 SNMP_ERR_WRONGVALUE);
	assert_int_equal(set_one(GD_SERVER_ADMIN_STATUS, s1, ASN_UNSIGNED, 1),
			 SNMP_ERR_WRONGTYPE);
	assert_int_equal(set_one(GD_SERVER_HEARTBEAT, s1, ASN_UNSIGNED, 0),
			 SNMP_ERR_INCONSISTENTVALUE);
	assert_int_equal(set_one(GD_SERVER_HEARTBEAT, hb, ASN_UNSIGNED, 256),
			 SNMP_ERR_WRONGVALUE);
	assert_int_equal(set_one(GD_SERVER_PORT, s1, ASN_UNSIGNED, 1),
			 SNMP_ERR_NOTWRITABLE);
	assert_int_equal(t.admin_calls, 1);
	assert_int_equal(t.hb_calls, 0);
	assert_int_equal(set_one(GD_SERVER_HEARTBEAT, hb, ASN_UNSIGNED, 4),
			 SNMP_ERR_NOERROR);
	assert_int_equal(t.hb_calls, 1);
	assert_int_equal(t.hb_status, 4);
	check_counter64(GD_SERVER_CHECK_FAILURES, hb, 1);
	check_int(server_entry, GD_SERVER_OPER_STATUS, hb, ASN_INTEGER,
		  GD_OPER_DOWN);
	check_string(server_entry, GD_SERVER_LAST_ERROR, hb,
		     "job failed with exit status 4");
}

/* Rows keep their index across a reload; gone ids lose their row. */
static void test_sync_after_reload(void **state)
{
	char xml[sizeof TESTCFG_BASIC];
	const char *p = strstr(TESTCFG_BASIC, "id=\"s2\"");
	struct gd_config *c2;
	uint32_t s1 = server_index("s1"), s2 = server_index("s2");
	oid name[ELEN + 2];
	struct answer a;

	(void)state;
	snprintf(xml, sizeof xml, "%.*sid=\"s5\"%s", (int)(p - TESTCFG_BASIC),
		 TESTCFG_BASIC, p + 7);
	c2 = testcfg_load(xml);
	assert_non_null(c2);
	assert_int_equal(model_set_config(t.m, c2, NULL, time(NULL)), 0);
	gd_config_free(t.cfg);
	t.cfg = c2;
	assert_int_equal(mib_sync(), 0);
	check_string(server_entry, GD_SERVER_NAME, s1, "s1");
	check_string(server_entry, GD_SERVER_NAME, server_index("s5"), "s5");
	a = get(name, instance(name, server_entry, GD_SERVER_NAME, s2));
	assert_int_equal(a.vars->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(a.vars);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registrations_sorted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_each_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_get_scalars, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_get_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_getnext_walks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_end_of_tables, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_after_reload, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
