/*
 * status.c — status words and derivation rules; see status.h.
 */
#include "status.h"

#include <string.h>

static const char *const oper_names[] = {
	[GD_OPER_UP] = "up", [GD_OPER_DOWN] = "down",
	[GD_OPER_UNKNOWN] = "unknown",
};
static const char *const admin_names[] = {
	[GD_ADMIN_ACTIVE] = "active", [GD_ADMIN_MAINTENANCE] = "maintenance",
	[GD_ADMIN_STANDBY] = "standby",
};
static const char *const status_names[] = {
	[GD_STATUS_UP] = "up", [GD_STATUS_DEGRADED] = "degraded",
	[GD_STATUS_DOWN] = "down", [GD_STATUS_UNKNOWN] = "unknown",
};
static const char *const probe_names[] = {
	[GD_PROBE_TCP] = "tcp", [GD_PROBE_SMTP] = "smtp",
	[GD_PROBE_POP3] = "pop3", [GD_PROBE_IMAP] = "imap",
	[GD_PROBE_HTTP] = "http", [GD_PROBE_FTP] = "ftp",
	[GD_PROBE_MYSQL] = "mysql", [GD_PROBE_HEARTBEAT] = "heartbeat",
};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
	if (v < 1 || (size_t)v >= n)
		return "unknown";
	return names[v];
}

static int parse(const char *const *names, size_t n, const char *s, int *out)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	return -1;
}

const char *gd_oper_name(enum gd_oper s)
{
	return name_of(oper_names, NAMES(oper_names), (int)s);
}

const char *gd_admin_name(enum gd_admin a)
{
	return name_of(admin_names, NAMES(admin_names), (int)a);
}

const char *gd_status_name(enum gd_status s)
{
	return name_of(status_names, NAMES(status_names), (int)s);
}

const char *gd_probe_name(enum gd_probe p)
{
	return name_of(probe_names, NAMES(probe_names), (int)p);
}

#define PARSER(fn, type, names)                                  \
	int fn(const char *s, type *out)                         \
	{                                                        \
		int v;                                           \
		if (parse(names, NAMES(names), s, &v) < 0)       \
			return -1;                               \
		*out = (type)v;                                  \
		return 0;                                        \
	}

PARSER(gd_oper_parse, enum gd_oper, oper_names)
PARSER(gd_admin_parse, enum gd_admin, admin_names)
PARSER(gd_status_parse, enum gd_status, status_names)
PARSER(gd_probe_parse, enum gd_probe, probe_names)

enum gd_status gd_group_status(const struct gd_member_counts *c)
{
	if (c->up > 0)
		return c->down > 0 ? GD_STATUS_DEGRADED : GD_STATUS_UP;
	if (c->down > 0 && c->unknown == 0)
		return GD_STATUS_DOWN;
	return GD_STATUS_UNKNOWN;
}

static enum gd_truth truth_of(enum gd_status s)
{
	if (gd_status_serving(s))
		return GD_TRUE;
	return s == GD_STATUS_DOWN ? GD_FALSE : GD_UNKNOWN;
}

enum gd_truth gd_need_truth(const enum gd_status *groups, size_t n)
{
	bool unknown = false;

	for (size_t i = 0; i < n; i++) {
		enum gd_truth t = truth_of(groups[i]);

		if (t == GD_TRUE)
			return GD_TRUE;
		if (t == GD_UNKNOWN)
			unknown = true;
	}
	return unknown || n == 0 ? GD_UNKNOWN : GD_FALSE;
}

enum gd_status gd_service_status(const enum gd_truth *truth, size_t n,
				 bool all_groups_up)
{
	bool unknown = false;

	for (size_t i = 0; i < n; i++) {
		if (truth[i] == GD_FALSE)
			return GD_STATUS_DOWN;
		if (truth[i] == GD_UNKNOWN)
			unknown = true;
	}
	if (unknown || n == 0)
		return GD_STATUS_UNKNOWN;
	return all_groups_up ? GD_STATUS_UP : GD_STATUS_DEGRADED;
}
