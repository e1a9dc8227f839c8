/*
 * mib_values.c — column values of model objects; see mib_values.h.
 */
#include "mib_values.h"

#include <string.h>

#include "gd_mib.h"
#include "timefmt.h"

#define UTF8_MAX 255		/* GdUtf8String, DisplayString */
#define TEXT_MAX 1024		/* GdText */

void mibv_string(netsnmp_variable_list *vb, const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n > max) {
		n = max;
		/* back off to the first byte of the character cut in two */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, s != NULL ? s : "", n);
}

void mibv_dateandtime(netsnmp_variable_list *vb, time_t t)
{
	unsigned char buf[11] = { 0 };

	if (t == 0) {
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, 8);
		return;
	}
	gd_time_to_dateandtime(t, buf);
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, sizeof buf);
}

static void put_int(netsnmp_variable_list *vb, long v)
{
	snmp_set_var_typed_integer(vb, ASN_INTEGER, v);
}

static void put_u32(netsnmp_variable_list *vb, u_char type, uint32_t v)
{
	snmp_set_var_typed_integer(vb, type, (long)v);
}

static void put_c64(netsnmp_variable_list *vb, uint64_t v)
{
	struct counter64 c = { .high = (u_long)(v >> 32),
			       .low = (u_long)(v & 0xffffffffu) };

	snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof c);
}

int mibv_area(netsnmp_variable_list *vb, const struct model *m,
	      const struct model_area *a, unsigned col)
{
	(void)m;
	switch (col) {
	case GD_AREA_NAME:
		mibv_string(vb, a->cfg->id, GD_ID_MAX);
		break;
	case GD_AREA_TITLE:
		mibv_string(vb, a->cfg->title, UTF8_MAX);
		break;
	case GD_AREA_COLOUR:
		mibv_string(vb, a->cfg->colour, UTF8_MAX);
		break;
	case GD_AREA_DESCRIPTION:
		mibv_string(vb, a->cfg->description, TEXT_MAX);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return SNMP_ERR_NOERROR;
}

int mibv_group(netsnmp_variable_list *vb, const struct model *m,
	       const struct model_group *g, unsigned col)
{
	const struct gd_member_counts *c = &g->counts;

	switch (col) {
	case GD_GROUP_NAME:
		mibv_string(vb, g->cfg->id, GD_ID_MAX);
		break;
	case GD_GROUP_TITLE:
		mibv_string(vb, g->cfg->title, UTF8_MAX);
		break;
	case GD_GROUP_AREA:
		mibv_string(vb, m->cfg->areas[g->cfg->area].id, GD_ID_MAX);
		break;
	case GD_GROUP_STATUS:
		put_int(vb, g->st.status);
		break;
	case GD_GROUP_MEMBERS_UP:
		put_u32(vb, ASN_GAUGE, c->up);
		break;
	case GD_GROUP_MEMBERS_ACTIVE:
		put_u32(vb, ASN_GAUGE, c->up + c->down + c->unknown);
		break;
	case GD_GROUP_LAST_CHANGE:
		mibv_dateandtime(vb, g->st.last_change);
		break;
	case GD_GROUP_MEMBERS:
		put_u32(vb, ASN_GAUGE, (uint32_t)g->cfg->nservers);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return SNMP_ERR_NOERROR;
}

/* The columns that say what the server is (the config's part). */
static int server_config_value(netsnmp_variable_list *vb,
			       const struct model *m,
			       const struct model_server *s, unsigned col)
{
	switch (col) {
	case GD_SERVER_NAME:
		mibv_string(vb, s->cfg->id, GD_ID_MAX);
		break;
	case GD_SERVER_TITLE:
		mibv_string(vb, s->cfg->title, UTF8_MAX);
		break;
	case GD_SERVER_GROUP:
		mibv_string(vb, m->cfg->groups[s->cfg->group].id, GD_ID_MAX);
		break;
	case GD_SERVER_PROBE:
		put_int(vb, s->cfg->probe);
		break;
	case GD_SERVER_ADDRESS:
		mibv_string(vb, s->cfg->host, UTF8_MAX);
		break;
	case GD_SERVER_PORT:
		put_u32(vb, ASN_UNSIGNED, s->cfg->port);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return SNMP_ERR_NOERROR;
}

int mibv_server(netsnmp_variable_list *vb, const struct model *m,
		const struct model_server *s, unsigned col, time_t now)
{
	switch (col) {
	case GD_SERVER_OPER_STATUS:
		put_int(vb, s->st.oper);
		break;
	case GD_SERVER_ADMIN_STATUS:
		put_int(vb, s->admin);
		break;
	case GD_SERVER_UPTIME:
		put_u32(vb, ASN_UNSIGNED, model_uptime(s, now));
		break;
	case GD_SERVER_LAST_CHANGE:
		mibv_dateandtime(vb, s->st.last_change);
		break;
	case GD_SERVER_LATENCY:
		put_u32(vb, ASN_UNSIGNED, s->st.latency_us);
		break;
	case GD_SERVER_CHECKS:
		put_c64(vb, s->st.checks);
		break;
	case GD_SERVER_CHECK_FAILURES:
		put_c64(vb, s->st.failures);
		break;
	case GD_SERVER_LAST_ERROR:
		mibv_string(vb, s->st.last_error, UTF8_MAX);
		break;
	case GD_SERVER_HEARTBEAT:
		put_u32(vb, ASN_UNSIGNED, model_heartbeat_age(s, now));
		break;
	default:
		return server_config_value(vb, m, s, col);
	}
	return SNMP_ERR_NOERROR;
}

int mibv_service(netsnmp_variable_list *vb, const struct model *m,
		 const struct model_service *s, unsigned col)
{
	(void)m;
	switch (col) {
	case GD_SERVICE_NAME:
		mibv_string(vb, s->cfg->id, GD_ID_MAX);
		break;
	case GD_SERVICE_TITLE:
		mibv_string(vb, s->cfg->title, UTF8_MAX);
		break;
	case GD_SERVICE_STATUS:
		put_int(vb, s->st.status);
		break;
	case GD_SERVICE_LAST_CHANGE:
		mibv_dateandtime(vb, s->st.last_change);
		break;
	default:
		return SNMP_NOSUCHOBJECT;
	}
	return SNMP_ERR_NOERROR;
}
