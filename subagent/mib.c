/*
 * mib.c — GREENDOT-MIB registrations and handlers; see mib.h.
 *
 * Writes (gdServerAdminStatus, gdServerHeartbeat) follow net-snmp's set
 * modes.  Through AgentX each phase (TestSet, CommitSet, CleanupSet,
 * UndoSet) arrives as a PDU of its own and only the varbinds are kept
 * between them, so nothing is stored per request: RESERVE1 checks type,
 * value and consistency; RESERVE2 has nothing to reserve; ACTION checks
 * again that the row still exists (a reload may have run in between);
 * COMMIT applies the value from the varbind and cannot fail; UNDO and FREE
 * have nothing to take back, since nothing was changed before COMMIT.
 */
#include "mib.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdlib.h>
#include <string.h>

#include "gd_mib.h"
#include "log.h"
#include "mib_values.h"
#include "notify.h"

#define OID_MAX_LEN 16

struct mib_table {
	const char *name;
	oid root[OID_MAX_LEN];
	size_t len;
	enum model_kind kind;		/* MODEL_KINDS for the scalars */
	unsigned min_col, max_col;
	bool writable;
	netsnmp_tdata *tdata;		/* ours; NULL for the scalars */
	netsnmp_table_registration_info *tinfo;	/* ours: net-snmp 5.9
					   does not free it on unregister */
	netsnmp_handler_registration *reg;	/* net-snmp's once registered */
};

#define ROOT(...) { __VA_ARGS__ }, \
	sizeof((oid[]){ __VA_ARGS__ }) / sizeof(oid)

/* In OID order: tests/unit/agent/test_mib.c checks it. */
static struct mib_table tables[] = {
	{ "gdAgent", ROOT(GD_OID_AGENT), MODEL_KINDS, GD_AGENT_VERSION,
	  GD_SITE_TITLE, false, NULL, NULL, NULL },
	{ "gdAreaTable", ROOT(GD_OID_AREA_TABLE), MODEL_AREA, GD_AREA_NAME,
	  GD_AREA_DESCRIPTION, false, NULL, NULL, NULL },
	{ "gdGroupTable", ROOT(GD_OID_GROUP_TABLE), MODEL_GROUP,
	  GD_GROUP_NAME, GD_GROUP_MEMBERS, false, NULL, NULL, NULL },
	{ "gdServerTable", ROOT(GD_OID_SERVER_TABLE), MODEL_SERVER,
	  GD_SERVER_NAME, GD_SERVER_HEARTBEAT, true, NULL, NULL, NULL },
	{ "gdServiceTable", ROOT(GD_OID_SERVICE_TABLE), MODEL_SERVICE,
	  GD_SERVICE_NAME, GD_SERVICE_LAST_CHANGE, false, NULL, NULL, NULL },
};
#define NTABLES (sizeof tables / sizeof tables[0])

static struct {
	struct model *m;
	const struct mib_agent_info *info;
	const struct mib_ops *ops;
	struct mib_reg_info regs[NTABLES];
} mib;

/* --- scalars -------------------------------------------------------------- */

static int scalar_value(netsnmp_variable_list *vb, unsigned col)
{
	const struct mib_agent_info *i = mib.info;

	switch (col) {
	case GD_AGENT_VERSION:
		mibv_string(vb, i->version, 255);
		break;
	case GD_AGENT_START_TIME:
		mibv_dateandtime(vb, i->start_time);
		break;
	case GD_CONFIG_LOADED:
		mibv_dateandtime(vb, i->config_loaded);
		break;
	case GD_CONFIG_FILE:
		mibv_string(vb, i->config_file, 255);
		break;
	case GD_CONFIG_RELOADS:
		snmp_set_var_typed_integer(vb, ASN_COUNTER, i->reloads);
		break;
	case GD_CONFIG_RELOAD_FAILURES:
		snmp_set_var_typed_integer(vb, ASN_COUNTER,
					   i->reload_failures);
		break;
	case GD_NOTIFICATIONS_SENT:
		snmp_set_var_typed_integer(vb, ASN_COUNTER, notify_sent());
		break;
	case GD_NOTIFICATIONS_DROPPED:
		snmp_set_var_typed_integer(vb, ASN_COUNTER, notify_dropped());
		break;
	case GD_SITE_TITLE:
		mibv_string(vb, mib.m->cfg ? mib.m->cfg->title : "", 255);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return SNMP_ERR_NOERROR;
}

static int scalar_handler(netsnmp_mib_handler *handler,
			  netsnmp_handler_registration *reg,
			  netsnmp_agent_request_info *reqinfo,
			  netsnmp_request_info *requests)
{
	/* the scalar group helper lengthens reg's root by the column for
	 * us; our own root says where the column is */
	const struct mib_table *t = handler->myvoid;

	(void)reg;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		int rc;

		if (r->processed || vb->name_length <= t->len)
			continue;
		rc = scalar_value(vb, (unsigned)vb->name[t->len]);
		if (rc != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(reqinfo, r, rc);
	}
	return SNMP_ERR_NOERROR;
}

/* --- table reads ---------------------------------------------------------- */

static int object_value(enum model_kind kind, netsnmp_variable_list *vb,
			const void *obj, unsigned col, time_t now)
{
	switch (kind) {
	case MODEL_AREA:
		return mibv_area(vb, mib.m, obj, col);
	case MODEL_GROUP:
		return mibv_group(vb, mib.m, obj, col);
	case MODEL_SERVER:
		return mibv_server(vb, mib.m, obj, col, now);
	default:
		return mibv_service(vb, mib.m, obj, col);
	}
}

static void table_get(const struct mib_table *t,
		      netsnmp_agent_request_info *reqinfo,
		      netsnmp_request_info *requests)
{
	time_t now = time(NULL);

	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		const void *obj = netsnmp_tdata_extract_entry(r);
		int rc = SNMP_NOSUCHINSTANCE;

		if (r->processed)
			continue;
		if (ti != NULL && obj != NULL)
			rc = object_value(t->kind, r->requestvb, obj,
					  ti->colnum, now);
		if (rc != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(reqinfo, r, rc);
	}
}

/* --- table writes (gdServerTable) ----------------------------------------- */

static struct model_server *server_of(const struct mib_table *t,
				      netsnmp_table_request_info *ti)
{
	netsnmp_tdata_row *row;
	oid idx;

	if (ti == NULL || ti->indexes == NULL ||
	    ti->indexes->type != ASN_UNSIGNED)
		return NULL;
	idx = (oid)*ti->indexes->val.integer;
	row = netsnmp_tdata_row_get_byoid(t->tdata, &idx, 1);
	return row != NULL ? row->data : NULL;
}

static int check_admin(const netsnmp_variable_list *vb)
{
	long v;

	if (vb->type != ASN_INTEGER)
		return SNMP_ERR_WRONGTYPE;
	v = *vb->val.integer;
	if (v < GD_ADMIN_ACTIVE || v > GD_ADMIN_STANDBY)
		return SNMP_ERR_WRONGVALUE;
	return SNMP_ERR_NOERROR;
}

static int check_heartbeat(const struct model_server *s,
			   const netsnmp_variable_list *vb)
{
	if (vb->type != ASN_UNSIGNED)
		return SNMP_ERR_WRONGTYPE;
	if ((unsigned long)*vb->val.integer > 255)
		return SNMP_ERR_WRONGVALUE;
	if (s->cfg->probe != GD_PROBE_HEARTBEAT)
		return SNMP_ERR_INCONSISTENTVALUE;
	return SNMP_ERR_NOERROR;
}

static int check_write(const struct model_server *s, unsigned col,
		       const netsnmp_variable_list *vb)
{
	if (col == GD_SERVER_ADMIN_STATUS)
		return check_admin(vb);
	if (col == GD_SERVER_HEARTBEAT)
		return check_heartbeat(s, vb);
	return SNMP_ERR_NOTWRITABLE;
}

static void commit_write(struct model_server *s, unsigned col,
			 const netsnmp_variable_list *vb)
{
	size_t pos = model_server_pos(mib.m, s);
	long v = *vb->val.integer;

	log_notice("SET %s of %s to %ld", col == GD_SERVER_ADMIN_STATUS ?
		   "gdServerAdminStatus" : "gdServerHeartbeat", s->cfg->id, v);
	if (col == GD_SERVER_ADMIN_STATUS)
		mib.ops->set_admin(mib.ops->arg, pos, (enum gd_admin)v);
	else
		mib.ops->heartbeat(mib.ops->arg, pos, (unsigned)v);
}

static int set_one(const struct mib_table *t, int mode,
		   netsnmp_request_info *r)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
	struct model_server *s = server_of(t, ti);
	int rc;

	switch (mode) {
	case MODE_SET_RESERVE1:
		if (s == NULL)
			return SNMP_ERR_NOCREATION;
		return check_write(s, ti->colnum, r->requestvb);
	case MODE_SET_ACTION:
		if (s == NULL)
			return SNMP_ERR_COMMITFAILED;
		rc = check_write(s, ti->colnum, r->requestvb);
		return rc == SNMP_ERR_NOERROR ? rc : SNMP_ERR_COMMITFAILED;
	case MODE_SET_COMMIT:
		if (s != NULL && check_write(s, ti->colnum, r->requestvb) ==
				 SNMP_ERR_NOERROR)
			commit_write(s, ti->colnum, r->requestvb);
		return SNMP_ERR_NOERROR;
	default:	/* RESERVE2, UNDO, FREE: nothing held, nothing done */
		return SNMP_ERR_NOERROR;
	}
}

static void table_set(const struct mib_table *t,
		      netsnmp_agent_request_info *reqinfo,
		      netsnmp_request_info *requests)
{
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		int rc;

		if (r->processed)
			continue;
		rc = set_one(t, reqinfo->mode, r);
		if (rc != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(reqinfo, r, rc);
	}
}

static int table_handler(netsnmp_mib_handler *handler,
			 netsnmp_handler_registration *reg,
			 netsnmp_agent_request_info *reqinfo,
			 netsnmp_request_info *requests)
{
	const struct mib_table *t = handler->myvoid;

	(void)reg;
	if (reqinfo->mode == MODE_GET)
		table_get(t, reqinfo, requests);
	else if (t->writable)
		table_set(t, reqinfo, requests);
	return SNMP_ERR_NOERROR;
}

/* --- registration --------------------------------------------------------- */

static int register_scalars(struct mib_table *t)
{
	netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
		t->name, scalar_handler, t->root, t->len, HANDLER_CAN_RONLY);

	if (reg == NULL)
		return -1;
	reg->handler->myvoid = t;	/* static: never freed by net-snmp */
	/* net-snmp owns reg from here, also when registering fails */
	if (netsnmp_register_scalar_group(reg, t->min_col, t->max_col) !=
	    SNMPERR_SUCCESS)
		return -1;
	t->reg = reg;
	return 0;
}

static int register_table(struct mib_table *t)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;

	/* a row's index varbind (over 1 KiB: its OID buffer is built in)
	 * is dropped once the row's OID index is built: 110 MiB less at
	 * 100,000 servers; lookups go by the OID index alone */
	t->tdata = netsnmp_tdata_create_table(t->name,
					      TDATA_FLAG_NO_STORE_INDEXES);
	reg = netsnmp_create_handler_registration(
		t->name, table_handler, t->root, t->len,
		t->writable ? HANDLER_CAN_RWRITE : HANDLER_CAN_RONLY);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (t->tdata == NULL || reg == NULL || ti == NULL) {
		netsnmp_handler_registration_free(reg);
		free(ti);
		return -1;
	}
	reg->handler->myvoid = t;	/* static: never freed by net-snmp */
	netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, 0);
	ti->min_column = t->min_col;
	ti->max_column = t->max_col;
	t->tinfo = ti;
	/* reg belongs to net-snmp from here, on success or failure */
	if (netsnmp_tdata_register(reg, t->tdata, ti) != SNMPERR_SUCCESS)
		return -1;
	t->reg = reg;
	return 0;
}

int mib_init(struct model *m, const struct mib_agent_info *info,
	     const struct mib_ops *ops)
{
	mib.m = m;
	mib.info = info;
	mib.ops = ops;
	for (size_t i = 0; i < NTABLES; i++) {
		struct mib_table *t = &tables[i];
		int rc = t->kind == MODEL_KINDS ? register_scalars(t)
						: register_table(t);

		if (rc < 0) {
			log_err("cannot register %s", t->name);
			mib_shutdown();
			return -1;
		}
	}
	return 0;
}

/* --- rows ----------------------------------------------------------------- */

static void *object_at(enum model_kind k, size_t i, uint32_t *index)
{
	struct model *m = mib.m;

	switch (k) {
	case MODEL_AREA:
		*index = m->areas[i].index;
		return &m->areas[i];
	case MODEL_GROUP:
		*index = m->groups[i].st.index;
		return &m->groups[i];
	case MODEL_SERVER:
		*index = m->servers[i].st.index;
		return &m->servers[i];
	default:
		*index = m->services[i].st.index;
		return &m->services[i];
	}
}

static size_t object_count(enum model_kind k)
{
	const size_t n[MODEL_KINDS] = {
		[MODEL_AREA] = mib.m->nareas, [MODEL_GROUP] = mib.m->ngroups,
		[MODEL_SERVER] = mib.m->nservers,
		[MODEL_SERVICE] = mib.m->nservices,
	};

	return n[k];
}

static int row_put(netsnmp_tdata *td, uint32_t index, void *obj)
{
	oid idx = index;
	netsnmp_tdata_row *row = netsnmp_tdata_row_get_byoid(td, &idx, 1);
	u_long v = index;

	if (row != NULL) {
		row->data = obj;
		return 0;
	}
	row = netsnmp_tdata_create_row();
	if (row == NULL)
		return -1;
	row->data = obj;
	if (netsnmp_tdata_row_add_index(row, ASN_UNSIGNED, &v, sizeof v) ==
		    NULL ||
	    netsnmp_tdata_add_row(td, row) != SNMPERR_SUCCESS) {
		netsnmp_tdata_delete_row(row);
		return -1;
	}
	return 0;
}

/* Rows whose data is NULL are of ids that went: removed. */
static void rows_sweep(netsnmp_tdata *td)
{
	netsnmp_tdata_row *row = netsnmp_tdata_row_first(td), *next;

	for (; row != NULL; row = next) {
		next = netsnmp_tdata_row_next(td, row);
		if (row->data == NULL)
			netsnmp_tdata_remove_and_delete_row(td, row);
	}
}

static int table_sync(struct mib_table *t)
{
	netsnmp_tdata *td = t->tdata;
	size_t n = object_count(t->kind);
	int rc = 0;

	for (netsnmp_tdata_row *row = netsnmp_tdata_row_first(td);
	     row != NULL; row = netsnmp_tdata_row_next(td, row))
		row->data = NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t index;
		void *obj = object_at(t->kind, i, &index);

		if (row_put(td, index, obj) < 0)
			rc = -1;
	}
	rows_sweep(td);
	return rc;
}

int mib_sync(void)
{
	int rc = 0;

	for (size_t i = 0; i < NTABLES; i++)
		if (tables[i].tdata != NULL && table_sync(&tables[i]) < 0)
			rc = -1;
	if (rc < 0)
		log_err("out of memory: some table rows are missing");
	return rc;
}

static void table_free(struct mib_table *t)
{
	netsnmp_tdata_row *row;

	if (t->tdata == NULL) {
		if (t->reg != NULL)
			netsnmp_unregister_handler(t->reg);
		t->reg = NULL;
		return;
	}
	while ((row = netsnmp_tdata_row_first(t->tdata)) != NULL)
		netsnmp_tdata_remove_and_delete_row(t->tdata, row);
	if (t->reg != NULL) {
		/* frees the registration, its table info and the container */
		netsnmp_tdata_unregister(t->reg);
		t->tdata->container = NULL;
	}
	t->reg = NULL;
	netsnmp_table_registration_info_free(t->tinfo);
	t->tinfo = NULL;
	netsnmp_tdata_delete_table(t->tdata);
	t->tdata = NULL;
}

void mib_shutdown(void)
{
	for (size_t i = 0; i < NTABLES; i++)
		table_free(&tables[i]);
	mib.m = NULL;
}

size_t mib_registrations(const struct mib_reg_info **out)
{
	for (size_t i = 0; i < NTABLES; i++)
		mib.regs[i] = (struct mib_reg_info){ tables[i].name,
						     tables[i].root,
						     tables[i].len };
	*out = mib.regs;
	return NTABLES;
}
