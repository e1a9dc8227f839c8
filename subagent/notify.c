/*
 * notify.c — notifications and their queue; see notify.h.
 */
#include "notify.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdlib.h>
#include <string.h>

#include "agentx.h"
#include "gd_mib.h"
#include "log.h"
#include "mib_values.h"

/* One object of a NOTIFICATION-TYPE: which table, which column. */
struct notify_obj {
	enum model_kind kind;
	unsigned col;
};

#define END { MODEL_KINDS, 0 }
#define SRV(c) { MODEL_SERVER, GD_SERVER_##c }
#define GRP(c) { MODEL_GROUP, GD_GROUP_##c }
#define SVC(c) { MODEL_SERVICE, GD_SERVICE_##c }

/* The OBJECTS clauses of GREENDOT-MIB, in their order. */
static const struct notify_obj server_objs[] = {
	SRV(NAME), SRV(TITLE), SRV(GROUP), SRV(OPER_STATUS),
	SRV(ADMIN_STATUS), SRV(LAST_ERROR), GRP(STATUS), GRP(MEMBERS_UP),
	GRP(MEMBERS_ACTIVE), END,
};
static const struct notify_obj failover_objs[] = {
	GRP(NAME), GRP(TITLE), GRP(STATUS), GRP(MEMBERS_UP),
	GRP(MEMBERS_ACTIVE), SRV(NAME), SRV(LAST_ERROR), END,
};
static const struct notify_obj group_objs[] = {
	GRP(NAME), GRP(TITLE), GRP(AREA), GRP(STATUS), GRP(MEMBERS_UP),
	GRP(MEMBERS_ACTIVE), END,
};
static const struct notify_obj service_objs[] = {
	SVC(NAME), SVC(TITLE), SVC(STATUS), END,
};

static const struct {
	const char *name;
	const struct notify_obj *objs;
} notifications[] = {
	[GD_NOTIFY_SERVER_DOWN] = { "gdServerDown", server_objs },
	[GD_NOTIFY_SERVER_UP] = { "gdServerUp", server_objs },
	[GD_NOTIFY_GROUP_FAILOVER] = { "gdGroupFailover", failover_objs },
	[GD_NOTIFY_GROUP_DOWN] = { "gdGroupDown", group_objs },
	[GD_NOTIFY_GROUP_UP] = { "gdGroupUp", group_objs },
	[GD_NOTIFY_SERVICE_DOWN] = { "gdServiceDown", service_objs },
	[GD_NOTIFY_SERVICE_UP] = { "gdServiceUp", service_objs },
};
#define NNOTIFICATIONS (sizeof notifications / sizeof notifications[0])

static const oid snmptrapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid notif_root[] = { GD_OID_NOTIFICATIONS };
static const oid entry_oid[MODEL_KINDS][16] = {
	[MODEL_AREA] = { GD_OID_AREA_ENTRY },
	[MODEL_GROUP] = { GD_OID_GROUP_ENTRY },
	[MODEL_SERVER] = { GD_OID_SERVER_ENTRY },
	[MODEL_SERVICE] = { GD_OID_SERVICE_ENTRY },
};
#define ENTRY_LEN (sizeof((oid[]){ GD_OID_SERVER_ENTRY }) / sizeof(oid))
#define ROOT_LEN (sizeof notif_root / sizeof notif_root[0])

static struct {
	const struct model *m;
	netsnmp_variable_list **ring;	/* owned, each freed once sent */
	size_t cap, head, n;
	bool connected;
	uint32_t sent, dropped;
	notify_send_fn send;
	void *send_arg;
	struct gd_ratelimit drop_rl;
} nq;

static int send_trap(struct variable_list *vars, void *arg)
{
	(void)arg;
	send_v2trap(vars);	/* clones what it sends; vars stays ours */
	return 0;
}

int notify_init(const struct model *m, size_t max)
{
	nq.cap = max ? max : NOTIFY_QUEUE_MAX;
	nq.ring = calloc(nq.cap, sizeof *nq.ring);
	if (nq.ring == NULL)
		return -1;
	nq.m = m;
	nq.head = nq.n = 0;
	nq.sent = nq.dropped = 0;
	nq.connected = false;
	nq.send = send_trap;
	nq.send_arg = NULL;
	nq.drop_rl = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 1);
	return 0;
}

void notify_shutdown(void)
{
	for (size_t i = 0; i < nq.n; i++)
		snmp_free_varbind(nq.ring[(nq.head + i) % nq.cap]);
	free(nq.ring);
	nq.ring = NULL;
	nq.n = nq.cap = 0;
}

void notify_set_sender(notify_send_fn fn, void *arg)
{
	nq.send = fn ? fn : send_trap;
	nq.send_arg = arg;
}

/* --- building --------------------------------------------------------------- */

static int add_object(netsnmp_variable_list **vars,
		      const struct notify_obj *o, const struct model_event *ev,
		      time_t now)
{
	oid name[ENTRY_LEN + 2];
	netsnmp_variable_list *vb;
	uint32_t index = o->kind == MODEL_SERVER ? ev->server->st.index :
			 o->kind == MODEL_GROUP ? ev->group->st.index :
			 ev->service->st.index;

	memcpy(name, entry_oid[o->kind], ENTRY_LEN * sizeof(oid));
	name[ENTRY_LEN] = o->col;
	name[ENTRY_LEN + 1] = index;
	vb = snmp_varlist_add_variable(vars, name, ENTRY_LEN + 2, ASN_NULL,
				       NULL, 0);
	if (vb == NULL)
		return -1;
	if (o->kind == MODEL_SERVER)
		return mibv_server(vb, nq.m, ev->server, o->col, now);
	if (o->kind == MODEL_GROUP)
		return mibv_group(vb, nq.m, ev->group, o->col);
	return mibv_service(vb, nq.m, ev->service, o->col);
}

static netsnmp_variable_list *build(const struct model_event *ev)
{
	netsnmp_variable_list *vars = NULL;
	oid trap[ROOT_LEN + 1];
	time_t now = time(NULL);

	memcpy(trap, notif_root, sizeof notif_root);
	trap[ROOT_LEN] = ev->kind;
	/* sysUpTime.0 is prepended by send_v2trap; snmpTrapOID.0 next */
	if (snmp_varlist_add_variable(&vars, snmptrapoid,
				      OID_LENGTH(snmptrapoid), ASN_OBJECT_ID,
				      trap, sizeof trap) == NULL)
		goto fail;
	for (const struct notify_obj *o = notifications[ev->kind].objs;
	     o->kind != MODEL_KINDS; o++)
		if (add_object(&vars, o, ev, now) != SNMP_ERR_NOERROR)
			goto fail;
	return vars;
fail:
	snmp_free_varbind(vars);
	return NULL;
}

/* --- the queue ---------------------------------------------------------------- */

static void drop_oldest(void)
{
	unsigned suppressed;

	snmp_free_varbind(nq.ring[nq.head]);
	nq.head = (nq.head + 1) % nq.cap;
	nq.n--;
	nq.dropped++;
	if (gd_ratelimit(&nq.drop_rl, time(NULL), &suppressed))
		log_warn("notification queue full (%zu): oldest dropped, "
			 "%u dropped in all", nq.cap, nq.dropped);
}

static void push(netsnmp_variable_list *vars)
{
	if (nq.n == nq.cap)
		drop_oldest();
	nq.ring[(nq.head + nq.n) % nq.cap] = vars;
	nq.n++;
}

static void flush(void)
{
	bool any = false;

	while (nq.connected && nq.n > 0) {
		netsnmp_variable_list *vars = nq.ring[nq.head];

		if (nq.send(vars, nq.send_arg) < 0)
			break;
		snmp_free_varbind(vars);
		nq.head = (nq.head + 1) % nq.cap;
		nq.n--;
		nq.sent++;
		any = true;
	}
	if (any)
		agx_kick();	/* net-snmp sent: re-sync its descriptors */
}

void notify_event(const struct model_event *ev)
{
	netsnmp_variable_list *vars;

	if ((size_t)ev->kind >= NNOTIFICATIONS ||
	    notifications[ev->kind].objs == NULL)
		return;
	vars = build(ev);
	if (vars == NULL) {
		log_err("cannot build %s: out of memory",
			notifications[ev->kind].name);
		return;
	}
	log_info("%s %s%s%s%s", notifications[ev->kind].name,
		 ev->service ? ev->service->cfg->id :
		 ev->group && !ev->server ? ev->group->cfg->id :
		 ev->server->cfg->id,
		 ev->kind == GD_NOTIFY_GROUP_FAILOVER ? " in " : "",
		 ev->kind == GD_NOTIFY_GROUP_FAILOVER ? ev->group->cfg->id : "",
		 nq.connected ? "" : " (queued: master not reachable)");
	push(vars);
	flush();
}

void notify_set_connected(bool up)
{
	nq.connected = up;
	if (up && nq.n > 0)
		log_info("master reachable: sending %zu queued notifications",
			 nq.n);
	flush();
}

bool notify_connected(void)
{
	return nq.connected;
}

uint32_t notify_sent(void)
{
	return nq.sent;
}

uint32_t notify_dropped(void)
{
	return nq.dropped;
}

size_t notify_queued(void)
{
	return nq.n;
}
