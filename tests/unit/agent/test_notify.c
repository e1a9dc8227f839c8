/*
 * test_notify.c — notifications: snmpTrapOID.0 first, then the instance
 * OIDs the MIB lists, with the values at the time of the change; queued in
 * order while the master is unreachable, bounded, oldest dropped first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/testcfg.h"
#include "gd_mib.h"
#include "model.h"
#include "notify.h"
#include "xmlsafe.h"

#define MAXSENT 16

static netsnmp_variable_list *sent[MAXSENT];
static size_t nsent;
static struct gd_config *cfg;
static struct model *m;

static int capture(struct variable_list *vars, void *arg)
{
	(void)arg;
	assert_true(nsent < MAXSENT);
	sent[nsent++] = snmp_clone_varbind(vars);
	return 0;
}

static void on_event(void *arg, const struct model_event *ev)
{
	(void)arg;
	notify_event(ev);
}

static int setup_n(size_t max)
{
	cfg = testcfg_load(TESTCFG_BASIC);
	m = model_new(on_event, NULL);
	if (cfg == NULL || m == NULL || notify_init(m, max) < 0 ||
	    model_set_config(m, cfg, NULL, 1000) < 0)
		return -1;
	notify_set_sender(capture, NULL);
	nsent = 0;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_n(0);
}

static int setup_small(void **state)
{
	(void)state;
	return setup_n(3);
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nsent; i++)
		snmp_free_varbind(sent[i]);
	notify_shutdown();
	model_free(m);
	gd_config_free(cfg);
	gd_xml_cleanup();
	return 0;
}

static void feed(const char *id, const char *results)
{
	long s = gd_config_find_server(cfg, id);

	for (const char *r = results; *r; r++)
		model_probe_result(m, (size_t)s, *r == '+', 10,
				   "connection refused", 2000);
}

/* The notification's OID, from snmpTrapOID.0's value. */
static long kind_of(const netsnmp_variable_list *v)
{
	static const oid trapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

	assert_int_equal(snmp_oid_compare(v->name, v->name_length, trapoid,
					  OID_LENGTH(trapoid)), 0);
	assert_int_equal(v->type, ASN_OBJECT_ID);
	return (long)v->val.objid[v->val_len / sizeof(oid) - 1];
}

static void test_server_down_varbinds(void **state)
{
	const oid name_oid[] = { GD_OID_SERVER_ENTRY, GD_SERVER_NAME };
	const netsnmp_variable_list *v;
	uint32_t s1 = m->servers[0].st.index;

	(void)state;
	notify_set_connected(true);
	feed("s1", "++");
	feed("s2", "++");
	feed("s1", "---");
	assert_int_equal(nsent, 2);
	assert_int_equal(kind_of(sent[0]), GD_NOTIFY_SERVER_DOWN);
	assert_int_equal(kind_of(sent[1]), GD_NOTIFY_GROUP_FAILOVER);
	/* gdServerName.<index> = "s1" right after snmpTrapOID.0 */
	v = sent[0]->next_variable;
	assert_int_equal(v->name_length, OID_LENGTH(name_oid) + 1);
	assert_int_equal(snmp_oid_compare(v->name, OID_LENGTH(name_oid),
					  name_oid, OID_LENGTH(name_oid)), 0);
	assert_int_equal(v->name[OID_LENGTH(name_oid)], s1);
	assert_memory_equal(v->val.string, "s1", 2);
	/* 9 objects, the last gdGroupMembersActive = 2 */
	for (size_t n = 0; n < 8; n++)
		v = v->next_variable;
	assert_null(v->next_variable);
	assert_int_equal(v->name[OID_LENGTH(name_oid) - 1],
			 GD_GROUP_MEMBERS_ACTIVE);
	assert_int_equal(*v->val.integer, 2);
	assert_int_equal(notify_sent(), 2);
}

static void test_queue_in_order(void **state)
{
	(void)state;
	feed("s1", "---");
	feed("s2", "---");
	assert_int_equal(nsent, 0);
	assert_int_equal(notify_queued(), 4);
	notify_set_connected(true);
	assert_int_equal(nsent, 4);
	assert_int_equal(kind_of(sent[0]), GD_NOTIFY_SERVER_DOWN);
	assert_int_equal(kind_of(sent[1]), GD_NOTIFY_SERVER_DOWN);
	assert_int_equal(kind_of(sent[2]), GD_NOTIFY_GROUP_DOWN);
	assert_int_equal(kind_of(sent[3]), GD_NOTIFY_SERVICE_DOWN);
	assert_int_equal(notify_queued(), 0);
	assert_int_equal(notify_dropped(), 0);
}

/* A queue of 3: the oldest go first, and are counted. */
static void test_queue_bounded(void **state)
{
	(void)state;
	feed("s1", "---");	/* ServerDown s1 */
	feed("s2", "---");	/* ServerDown s2, GroupDown, ServiceDown */
	feed("s4", "---");	/* ServerDown s4, GroupDown g2, ServiceDown */
	assert_int_equal(notify_queued(), 3);
	assert_int_equal(notify_dropped(), 4);
	notify_set_connected(true);
	assert_int_equal(nsent, 3);
	assert_int_equal(kind_of(sent[0]), GD_NOTIFY_SERVER_DOWN);
	assert_int_equal(kind_of(sent[1]), GD_NOTIFY_GROUP_DOWN);
	assert_int_equal(kind_of(sent[2]), GD_NOTIFY_SERVICE_DOWN);
	notify_set_connected(false);
	feed("s4", "++");
	assert_int_equal(nsent, 3);
	assert_int_equal(notify_queued(), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_server_down_varbinds,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queue_bounded,
						setup_small, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
