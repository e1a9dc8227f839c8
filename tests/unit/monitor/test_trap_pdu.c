/*
 * test_trap_pdu.c — received notification PDUs to greendot notifications
 * (monitor/trap_pdu.h): ours in v2c and v1 form, others, malformed ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "trap_pdu.h"

static const oid sysuptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid trapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static netsnmp_pdu *v2(int command, const oid *trap, size_t len)
{
	netsnmp_pdu *pdu = snmp_pdu_create(command);
	long ticks = 42;

	snmp_pdu_add_variable(pdu, sysuptime, LEN(sysuptime), ASN_TIMETICKS,
			      &ticks, sizeof ticks);
	if (trap != NULL)
		snmp_pdu_add_variable(pdu, trapoid, LEN(trapoid),
				      ASN_OBJECT_ID, trap, len * sizeof(oid));
	return pdu;
}

/* gdXEntry.column.index */
static void add(netsnmp_pdu *pdu, unsigned table, unsigned col, u_char type,
		const void *val, size_t len)
{
	oid name[] = { GD_OID_OBJECTS, table, 1, col, 3 };

	snmp_pdu_add_variable(pdu, name, LEN(name), type, val, len);
}

static void add_str(netsnmp_pdu *pdu, unsigned table, unsigned col,
		    const char *s)
{
	add(pdu, table, col, ASN_OCTET_STR, s, strlen(s));
}

static void add_int(netsnmp_pdu *pdu, unsigned table, unsigned col, long v)
{
	add(pdu, table, col, ASN_INTEGER, &v, sizeof v);
}

static void test_server_down(void **state)
{
	static const oid trap[] = { GD_OID_NOTIFICATIONS,
				    GD_NOTIFY_SERVER_DOWN };
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, trap, LEN(trap));
	struct tpdu t;

	(void)state;
	add_str(pdu, 4, GD_SERVER_NAME, "web2");
	add_int(pdu, 4, GD_SERVER_OPER_STATUS, GD_OPER_DOWN);
	add_str(pdu, 4, GD_SERVER_LAST_ERROR, "connect:\trefused");
	add_int(pdu, 3, GD_GROUP_STATUS, GD_STATUS_DEGRADED);
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_GREENDOT);
	assert_int_equal(t.which, GD_NOTIFY_SERVER_DOWN);
	assert_string_equal(t.name, "gdServerDown");
	assert_string_equal(t.object, "web2");
	assert_string_equal(t.detail, "gdServerOperStatus=down "
			    "gdServerLastError=connect:?refused "
			    "gdGroupStatus=degraded");
	snmp_free_pdu(pdu);
}

/* A failover is about the group, though it names the server first. */
static void test_group_failover_inform(void **state)
{
	static const oid trap[] = { GD_OID_NOTIFICATIONS,
				    GD_NOTIFY_GROUP_FAILOVER };
	netsnmp_pdu *pdu = v2(SNMP_MSG_INFORM, trap, LEN(trap));
	struct tpdu t;

	(void)state;
	add_str(pdu, 4, GD_SERVER_NAME, "web2");
	add_str(pdu, 3, GD_GROUP_NAME, "web");
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_GREENDOT);
	assert_string_equal(t.name, "gdGroupFailover");
	assert_string_equal(t.object, "web");
	assert_string_equal(t.detail, "gdServerName=web2");
	snmp_free_pdu(pdu);
}

/* RFC 3584: greendotMIB.0.6 travels as enterprise greendotMIB,
 * specific 6. */
static void test_v1(void **state)
{
	static const oid ent[] = { GD_OID_MIB };
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_TRAP);
	struct tpdu t;

	(void)state;
	pdu->enterprise = snmp_duplicate_objid(ent, LEN(ent));
	pdu->enterprise_length = LEN(ent);
	pdu->trap_type = SNMP_TRAP_ENTERPRISESPECIFIC;
	pdu->specific_type = GD_NOTIFY_SERVICE_DOWN;
	add_str(pdu, 5, GD_SERVICE_NAME, "email");
	add_int(pdu, 5, GD_SERVICE_STATUS, GD_STATUS_DOWN);
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_GREENDOT);
	assert_string_equal(t.name, "gdServiceDown");
	assert_string_equal(t.object, "email");
	assert_string_equal(t.detail, "gdServiceStatus=down");
	snmp_free_pdu(pdu);
}

static void test_not_ours(void **state)
{
	static const oid cold[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5, 1 };
	static const oid eight[] = { GD_OID_NOTIFICATIONS, 8 };
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, cold, LEN(cold));
	struct tpdu t;

	(void)state;
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_UNKNOWN);
	assert_string_equal(t.trap_oid, ".1.3.6.1.6.3.1.1.5.1");
	snmp_free_pdu(pdu);
	pdu = v2(SNMP_MSG_TRAP2, eight, LEN(eight));
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_UNKNOWN);
	snmp_free_pdu(pdu);
}

static void test_malformed(void **state)
{
	static const oid trap[] = { GD_OID_NOTIFICATIONS,
				    GD_NOTIFY_SERVER_UP };
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, NULL, 0);
	struct tpdu t;

	(void)state;
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_MALFORMED);	/* no OID */
	snmp_free_pdu(pdu);
	pdu = v2(SNMP_MSG_TRAP2, trap, LEN(trap));
	add_int(pdu, 4, GD_SERVER_NAME, 7);	/* a name of the wrong type */
	add_str(pdu, 3, GD_GROUP_NAME, "web");	/* the wrong table */
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_MALFORMED);
	snmp_free_pdu(pdu);
	pdu = v2(SNMP_MSG_GET, trap, LEN(trap));
	assert_int_equal(tpdu_parse(pdu, &t), TPDU_MALFORMED);
	snmp_free_pdu(pdu);
}

/* A Name must be a config id, whole (fault_snmp_malformed.sh sends a
 * 60,000-byte one): not cut to fit, no control bytes, no path. */
static void test_bad_names(void **state)
{
	static const oid trap[] = { GD_OID_NOTIFICATIONS,
				    GD_NOTIFY_SERVER_DOWN };
	static char huge[60001];
	const char *bad[] = { huge, "a\nb", "../etc", "", "Web1" };
	struct tpdu t;

	(void)state;
	memset(huge, 'a', sizeof huge - 1);
	for (size_t i = 0; i < LEN(bad); i++) {
		netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, trap, LEN(trap));

		add_str(pdu, 4, GD_SERVER_NAME, bad[i]);
		assert_int_equal(tpdu_parse(pdu, &t), TPDU_MALFORMED);
		assert_string_equal(t.object, "");
		snmp_free_pdu(pdu);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_null(tpdu_name(0));
	assert_string_equal(tpdu_name(GD_NOTIFY_SERVER_UP), "gdServerUp");
	assert_string_equal(tpdu_name(GD_NOTIFY_SERVICE_UP), "gdServiceUp");
	assert_null(tpdu_name(GD_NOTIFY_SERVICE_UP + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_down),
		cmocka_unit_test(test_group_failover_inform),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
