/*
 * mib.h — GREENDOT-MIB served from the model (net-snmp handlers).
 *
 * Four tdata tables (areas, groups, servers, services) and the gdAgent
 * scalars.  A row's data is the model object itself, so a probe result is
 * visible at once: nothing is copied per result.  mib_sync() after each
 * model_set_config() points the rows at the new objects, adds rows for new
 * ids and removes rows for ids that went (rows of ids that stay keep their
 * index, the table's OID).  tdata keeps rows in a sorted container: a
 * GETNEXT is a binary search, so a walk of 10,000 rows is linear.
 *
 * No net-snmp types in this header: agent.c includes it without net-snmp's
 * flags.  mib_values.h is the net-snmp side shared with notify.c.
 */
#ifndef GD_MIB_H_AGENT
#define GD_MIB_H_AGENT

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

/* The gdAgent scalars' source; owned by the caller, read at each GET. */
struct mib_agent_info {
	const char *version;		/* "greendot-agent 1.0" */
	const char *config_file;
	time_t start_time;
	time_t config_loaded;
	uint32_t reloads, reload_failures;
};

/*
 * What a SET does once it is checked and committed (it cannot fail then).
 * server indexes the model's servers.
 */
struct mib_ops {
	void (*set_admin)(void *arg, size_t server, enum gd_admin admin);
	void (*heartbeat)(void *arg, size_t server, unsigned status);
	void *arg;
};

/* Registers the scalars and tables (after init_agent, before init_snmp).
 * m, info and ops are borrowed until mib_shutdown.  0 or -1. */
int mib_init(struct model *m, const struct mib_agent_info *info,
	     const struct mib_ops *ops);
/* Rows follow the model's objects (after every model_set_config). */
int mib_sync(void);
void mib_shutdown(void);

/* The registered subtrees, in registration order (a test checks that
 * they are sorted and do not overlap). */
struct mib_reg_info {
	const char *name;
	const unsigned long *oid;	/* net-snmp's oid is unsigned long */
	size_t len;
};
size_t mib_registrations(const struct mib_reg_info **out);

#endif
