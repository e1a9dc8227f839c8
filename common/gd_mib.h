/*
 * gd_mib.h — GREENDOT-MIB's object identifiers and enumerations, for C.
 *
 * mib/GREENDOT-MIB.txt is the definition; this header mirrors it and
 * tests/integration/mib.sh checks every OID here against snmptranslate.
 * OIDs are built from macros, each level on the one above, so the
 * enterprise placeholder lives in exactly one place: GD_OID_ENTERPRISE.
 *
 * 32473 is the documentation enterprise number of RFC 5612.  A provider
 * that deploys greendot for real replaces it with its own enterprise
 * number here and in the MIB's MODULE-IDENTITY (one line each).
 *
 * No net-snmp types here: use the macros inside an `oid x[] = { ... }`.
 */
#ifndef GD_MIB_H
#define GD_MIB_H

#define GD_OID_ENTERPRISE	1, 3, 6, 1, 4, 1, 32473
#define GD_OID_MIB		GD_OID_ENTERPRISE, 1	/* greendotMIB */

#define GD_OID_NOTIFICATIONS	GD_OID_MIB, 0
#define GD_OID_OBJECTS		GD_OID_MIB, 1
#define GD_OID_CONFORMANCE	GD_OID_MIB, 2

/* notifications: gdNotifications.N */
enum gd_notification {
	GD_NOTIFY_SERVER_DOWN = 1,	/* gdServerDown */
	GD_NOTIFY_SERVER_UP = 2,	/* gdServerUp */
	GD_NOTIFY_GROUP_FAILOVER = 3,	/* gdGroupFailover */
	GD_NOTIFY_GROUP_DOWN = 4,	/* gdGroupDown */
	GD_NOTIFY_GROUP_UP = 5,		/* gdGroupUp */
	GD_NOTIFY_SERVICE_DOWN = 6,	/* gdServiceDown */
	GD_NOTIFY_SERVICE_UP = 7,	/* gdServiceUp */
};

/* scalars: gdAgent.N.0 */
#define GD_OID_AGENT		GD_OID_OBJECTS, 1
enum gd_agent_scalar {
	GD_AGENT_VERSION = 1,		/* gdAgentVersion DisplayString */
	GD_AGENT_START_TIME = 2,	/* gdAgentStartTime DateAndTime */
	GD_CONFIG_LOADED = 3,		/* gdConfigLoaded DateAndTime */
	GD_CONFIG_FILE = 4,		/* gdConfigFile DisplayString */
	GD_CONFIG_RELOADS = 5,		/* gdConfigReloads Counter32 */
	GD_CONFIG_RELOAD_FAILURES = 6,	/* gdConfigReloadFailures Counter32 */
	GD_NOTIFICATIONS_SENT = 7,	/* gdNotificationsSent Counter32 */
	GD_NOTIFICATIONS_DROPPED = 8,	/* gdNotificationsDropped Counter32 */
	GD_SITE_TITLE = 9,		/* gdSiteTitle GdUtf8String */
};

/* tables: gdXTable.1 (the entry).column.index */
#define GD_OID_AREA_TABLE	GD_OID_OBJECTS, 2
#define GD_OID_AREA_ENTRY	GD_OID_AREA_TABLE, 1
enum gd_area_column {
	GD_AREA_INDEX = 1,		/* not-accessible */
	GD_AREA_NAME = 2,
	GD_AREA_TITLE = 3,
	GD_AREA_COLOUR = 4,
	GD_AREA_DESCRIPTION = 5,
};

#define GD_OID_GROUP_TABLE	GD_OID_OBJECTS, 3
#define GD_OID_GROUP_ENTRY	GD_OID_GROUP_TABLE, 1
enum gd_group_column {
	GD_GROUP_INDEX = 1,		/* not-accessible */
	GD_GROUP_NAME = 2,
	GD_GROUP_TITLE = 3,
	GD_GROUP_AREA = 4,		/* the area's name */
	GD_GROUP_STATUS = 5,		/* GdStatus */
	GD_GROUP_MEMBERS_UP = 6,	/* Gauge32: active members up */
	GD_GROUP_MEMBERS_ACTIVE = 7,	/* Gauge32: members admin active */
	GD_GROUP_LAST_CHANGE = 8,	/* DateAndTime */
	GD_GROUP_MEMBERS = 9,		/* Gauge32: all members */
};

#define GD_OID_SERVER_TABLE	GD_OID_OBJECTS, 4
#define GD_OID_SERVER_ENTRY	GD_OID_SERVER_TABLE, 1
enum gd_server_column {
	GD_SERVER_INDEX = 1,		/* not-accessible */
	GD_SERVER_NAME = 2,
	GD_SERVER_TITLE = 3,
	GD_SERVER_GROUP = 4,		/* the group's name */
	GD_SERVER_PROBE = 5,		/* GdProbeType */
	GD_SERVER_ADDRESS = 6,
	GD_SERVER_PORT = 7,
	GD_SERVER_OPER_STATUS = 8,	/* GdOperStatus */
	GD_SERVER_ADMIN_STATUS = 9,	/* GdAdminStatus, read-write */
	GD_SERVER_UPTIME = 10,		/* Unsigned32 seconds */
	GD_SERVER_LAST_CHANGE = 11,	/* DateAndTime */
	GD_SERVER_LATENCY = 12,		/* Unsigned32 microseconds */
	GD_SERVER_CHECKS = 13,		/* Counter64 */
	GD_SERVER_CHECK_FAILURES = 14,	/* Counter64 */
	GD_SERVER_LAST_ERROR = 15,	/* DisplayString */
	GD_SERVER_HEARTBEAT = 16,	/* Unsigned32, read-write */
};

#define GD_OID_SERVICE_TABLE	GD_OID_OBJECTS, 5
#define GD_OID_SERVICE_ENTRY	GD_OID_SERVICE_TABLE, 1
enum gd_service_column {
	GD_SERVICE_INDEX = 1,		/* not-accessible */
	GD_SERVICE_NAME = 2,
	GD_SERVICE_TITLE = 3,
	GD_SERVICE_STATUS = 4,		/* GdStatus */
	GD_SERVICE_LAST_CHANGE = 5,	/* DateAndTime */
};

/* GdOperStatus */
enum gd_oper {
	GD_OPER_UP = 1,
	GD_OPER_DOWN = 2,
	GD_OPER_UNKNOWN = 3,
};

/* GdAdminStatus */
enum gd_admin {
	GD_ADMIN_ACTIVE = 1,
	GD_ADMIN_MAINTENANCE = 2,
	GD_ADMIN_STANDBY = 3,
};

/* GdStatus, of groups and services */
enum gd_status {
	GD_STATUS_UP = 1,
	GD_STATUS_DEGRADED = 2,
	GD_STATUS_DOWN = 3,
	GD_STATUS_UNKNOWN = 4,
};

/* GdProbeType */
enum gd_probe {
	GD_PROBE_TCP = 1,
	GD_PROBE_SMTP = 2,
	GD_PROBE_POP3 = 3,
	GD_PROBE_IMAP = 4,
	GD_PROBE_HTTP = 5,
	GD_PROBE_FTP = 6,
	GD_PROBE_MYSQL = 7,
	GD_PROBE_HEARTBEAT = 8,
};

/* gdServerUptime when the server is not up; gdServerHeartbeat when no
 * heartbeat has arrived */
#define GD_HEARTBEAT_NONE 4294967295U

#endif
