/*
 * notify.h — GREENDOT-MIB notifications, and their queue while the master
 * agent is unreachable.
 *
 * A model event becomes a notification at once (snmpTrapOID.0 first, then
 * the instance OIDs of the objects the MIB's NOTIFICATION-TYPE lists, with
 * their values at that moment), so a notification sent after an outage
 * still says what happened when it happened.  While the master is
 * reachable it is sent right away (send_v2trap: an AgentX Notify PDU);
 * otherwise it waits in a bounded queue, oldest dropped first and counted
 * (gdNotificationsDropped), and the queue is sent in order once the
 * subagent is connected and registered again.  net-snmp itself sends
 * nothing for a subagent without a session: it would lose them.
 *
 * No net-snmp headers needed to use this one.
 */
#ifndef GD_NOTIFY_H
#define GD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define NOTIFY_QUEUE_MAX 1000

struct variable_list;		/* netsnmp_variable_list */

/* Sends one notification; vars stays the caller's.  0 or -1. */
typedef int (*notify_send_fn)(struct variable_list *vars, void *arg);

/* m: the model whose objects events point to (borrowed).  max: queue
 * bound (0: NOTIFY_QUEUE_MAX).  Starts disconnected. */
int notify_init(const struct model *m, size_t max);
void notify_shutdown(void);

/* Replaces send_v2trap (tests). */
void notify_set_sender(notify_send_fn fn, void *arg);

/* Builds the notification of ev, sends it or queues it. */
void notify_event(const struct model_event *ev);

/* The master is reachable (true: the queue is sent now) or not. */
void notify_set_connected(bool up);
bool notify_connected(void);

uint32_t notify_sent(void);
uint32_t notify_dropped(void);
size_t notify_queued(void);

#endif
