/*
 * trap_pdu.h — a received notification PDU to a greendot notification.
 *
 * Takes SNMPv2 TRAP2 and INFORM PDUs (sysUpTime.0, snmpTrapOID.0, then
 * the objects) and SNMPv1 TRAPs (enterprise greendotMIB, generic 6,
 * specific N: RFC 3584's mapping of greendotMIB.0.N).  snmpTrapOID.0 is
 * looked for anywhere in the list, so a sender that puts it elsewhere is
 * still understood.  A greendot notification must carry the Name of the
 * object it is about (gdServerName, gdGroupName or gdServiceName); the
 * other greendot objects it carries become the detail text, enumerations
 * as words: "gdServerOperStatus=down gdGroupStatus=degraded ...".
 */
#ifndef GD_TRAP_PDU_H
#define GD_TRAP_PDU_H

#include <stddef.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "gd_mib.h"

enum tpdu_verdict {
	TPDU_GREENDOT,		/* one of ours, understood */
	TPDU_UNKNOWN,		/* a notification, not a greendot one */
	TPDU_MALFORMED,		/* not a notification we can read */
};

struct tpdu {
	enum gd_notification which;
	const char *name;	/* "gdServerDown" */
	char object[128];	/* the id it is about */
	char detail[448];
	char trap_oid[128];	/* numeric, for the log of unknown ones */
};

enum tpdu_verdict tpdu_parse(const netsnmp_pdu *pdu, struct tpdu *out);

/* "gdServerDown" for 1 .. 7, NULL otherwise. */
const char *tpdu_name(unsigned which);

#endif
