/*
 * agentstate.h — greendot-agent's state file (-s FILE).
 *
 * What lets a restarted agent continue instead of starting over: table
 * indexes, statuses and their last change, uptimes, counters, heartbeats
 * and administrative overrides.  Not to be confused with common/state.h,
 * the monitor's state.xml.
 *
 * Format: versioned UTF-8 text, one object per line, fields separated by
 * one space, times in seconds since the epoch (0: not known), statuses as
 * the words of status.h:
 *
 *   greendot-agent-state 1
 *   next AREA GROUP SERVER SERVICE          the next free index per kind
 *   area ID INDEX
 *   group ID INDEX STATUS LAST_CHANGE
 *   service ID INDEX STATUS LAST_CHANGE
 *   server ID INDEX OPER UP_SINCE LAST_CHANGE CHECKS FAILURES LATENCY_US
 *          ADMIN_SET ADMIN ADMIN_CFG HB_WHEN HB_STATUS LAST_ERROR
 *
 * (a server is one line).  ADMIN_SET is 1 when an SNMP SET overrides the
 * config's admin status with ADMIN, made while the config said ADMIN_CFG;
 * LAST_ERROR is the rest of the line (control characters become spaces).
 * Lines starting with # are comments.  The file is replaced atomically
 * (afile.h).  A reader skips what it does not understand, saying where.
 */
#ifndef GD_AGENTSTATE_H
#define GD_AGENTSTATE_H

#include "errlist.h"
#include "model.h"

#define ASTATE_VERSION 1

/* Writes m's state to path atomically.  0, or -1 with errno. */
int astate_save(const char *path, const struct model *m);

/*
 * Reads path into out (sorted, ready for model_set_config).  Returns 0;
 * 1 when the file does not exist (out empty); -1 when it cannot be read
 * or is not a state file of this version (out empty).  Lines it cannot
 * use are skipped and reported in errs as "file:line: message".
 */
int astate_load(const char *path, struct model_saved *out,
		struct gd_errlist *errs);

#endif
