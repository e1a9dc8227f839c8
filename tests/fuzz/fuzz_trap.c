/*
 * fuzz_trap.c — the notification handler's parser (monitor/trap_pdu.c,
 * tpdu_parse) on any PDU a sender can put on the wire.
 *
 * The input is the PDU of a message as BER bytes (what follows the
 * version and community of an SNMPv1/v2c message, or the scopedPDU's
 * data of a v3 one): a v1 Trap-PDU (tag 0xa4), an SNMPv2-Trap-PDU
 * (0xa7), an InformRequest-PDU (0xa6) or anything else.  net-snmp's
 * snmp_pdu_parse decodes it, as the library does before the listener's
 * callback (trap.c) is called; a PDU it refuses never reaches greendot.
 *
 * Beyond "no crash, no leak": the verdict is one of the three; the
 * texts are NUL-terminated; a greendot notification has a name, an
 * object id in printable characters and a detail without control
 * characters; a notification that is not a PDU type of ours is
 * malformed.
 */
#include "fuzz.h"

#include "trap_pdu.h"

static void check(const netsnmp_pdu *pdu, enum tpdu_verdict v,
		  const struct tpdu *t)
{
	FZ_ASSERT(v == TPDU_GREENDOT || v == TPDU_UNKNOWN ||
		  v == TPDU_MALFORMED);
	FZ_ASSERT(memchr(t->object, '\0', sizeof t->object) != NULL);
	FZ_ASSERT(memchr(t->detail, '\0', sizeof t->detail) != NULL);
	FZ_ASSERT(memchr(t->trap_oid, '\0', sizeof t->trap_oid) != NULL);
	if (pdu->command != SNMP_MSG_TRAP && pdu->command != SNMP_MSG_TRAP2 &&
	    pdu->command != SNMP_MSG_INFORM)
		FZ_ASSERT(v == TPDU_MALFORMED);
	if (v != TPDU_GREENDOT)
		return;
	FZ_ASSERT(t->name != NULL && tpdu_name(t->which) == t->name);
	FZ_ASSERT(t->object[0] != '\0');
	for (const char *p = t->object; *p; p++)
		FZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
	for (const char *p = t->detail; *p; p++)
		FZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
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
	netsnmp_pdu *pdu = calloc(1, sizeof *pdu);
	/* snmp_pdu_parse writes nothing, but takes a u_char * */
	u_char *buf = malloc(size ? size : 1);
	size_t len = size;
	struct tpdu t;

	if (pdu == NULL || buf == NULL)
		abort();
	memcpy(buf, data, size);
	pdu->version = SNMP_VERSION_2c;
	if (size > 0 && data[0] == 0xa4)
		pdu->version = SNMP_VERSION_1;
	if (snmp_pdu_parse(pdu, buf, &len) == 0)
		check(pdu, tpdu_parse(pdu, &t), &t);
	snmp_free_pdu(pdu);
	free(buf);
	return 0;
}
