/*
 * trap.c — the notification listener; see trap.h.
 */
#include "trap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"
#include "snmp_loop.h"
#include "trap_pdu.h"

struct trap_listener {
	struct ev_loop *loop;
	void *sessp;
	struct sloop sl;
	char *community;
	trap_cb cb;
	void *arg;
	struct trap_stats st;
	struct gd_ratelimit rl;
};

static double now_epoch(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static bool authentic(const struct trap_listener *l, const netsnmp_pdu *pdu)
{
	if (pdu->version == SNMP_VERSION_3)
		/* USM has checked keys and time window already */
		return pdu->securityModel == SNMP_SEC_MODEL_USM &&
		       pdu->securityLevel >= SNMP_SEC_LEVEL_AUTHNOPRIV;
	return l->community != NULL && pdu->community != NULL &&
	       pdu->community_len == strlen(l->community) &&
	       memcmp(pdu->community, l->community, pdu->community_len) == 0;
}

static void sender(const netsnmp_pdu *pdu, struct trap_event *ev)
{
	const netsnmp_indexed_addr_pair *ap = pdu->transport_data;
	const void *a = NULL;

	memset(&ev->from, 0, sizeof ev->from);
	snprintf(ev->from_text, sizeof ev->from_text, "?");
	if (ap == NULL ||
	    pdu->transport_data_length < (int)sizeof(netsnmp_indexed_addr_pair))
		return;
	memcpy(&ev->from, &ap->remote_addr, sizeof ap->remote_addr);
	if (ap->remote_addr.sa.sa_family == AF_INET)
		a = &ap->remote_addr.sin.sin_addr;
	else if (ap->remote_addr.sa.sa_family == AF_INET6)
		a = &ap->remote_addr.sin6.sin6_addr;
	if (a != NULL)
		inet_ntop(ap->remote_addr.sa.sa_family, a, ev->from_text,
			  sizeof ev->from_text);
}

static void complain(struct trap_listener *l, const char *what,
		     const struct trap_event *ev, const char *more)
{
	unsigned suppressed = 0;

	if (!gd_ratelimit(&l->rl, time(NULL), &suppressed))
		return;
	if (suppressed > 0)
		log_notice("notifications: %u more messages suppressed",
			   suppressed);
	log_notice("notification from %s %s%s%s (received %lu, refused %lu, "
		   "unknown %lu, malformed %lu, dropped %lu)", ev->from_text,
		   what, more[0] ? ": " : "", more, l->st.received,
		   l->st.refused, l->st.unknown, l->st.malformed,
		   l->st.garbled);
}

/* An INFORM wants its RESPONSE; snmp_sess_send takes the clone when it
 * returns non-zero. */
static void acknowledge(struct trap_listener *l, const netsnmp_pdu *pdu)
{
	netsnmp_pdu *reply;

	if (pdu->command != SNMP_MSG_INFORM)
		return;
	reply = snmp_clone_pdu((netsnmp_pdu *)pdu);
	if (reply == NULL)
		return;
	reply->command = SNMP_MSG_RESPONSE;
	reply->errstat = 0;
	reply->errindex = 0;
	if (snmp_sess_send(l->sessp, reply) == 0)
		snmp_free_pdu(reply);
}

static void handle(struct trap_listener *l, const netsnmp_pdu *pdu)
{
	struct trap_event ev = { .time = now_epoch() };
	struct tpdu t;
	enum tpdu_verdict v;

	l->st.received++;
	sender(pdu, &ev);
	if (!authentic(l, pdu)) {
		l->st.refused++;
		complain(l, "refused", &ev, pdu->version == SNMP_VERSION_3 ?
			 "below authNoPriv" : "wrong community");
		return;
	}
	acknowledge(l, pdu);
	v = tpdu_parse(pdu, &t);
	if (v != TPDU_GREENDOT) {
		*(v == TPDU_UNKNOWN ? &l->st.unknown : &l->st.malformed) += 1;
		complain(l, v == TPDU_UNKNOWN ? "not a greendot notification" :
			 "malformed", &ev, t.trap_oid);
		return;
	}
	l->st.accepted++;
	ev.name = t.name;
	ev.object = t.object;
	ev.detail = t.detail;
	ev.engine_id = pdu->securityEngineID;
	ev.engine_id_len = pdu->securityEngineIDLen;
	l->cb(l->arg, &ev);
}

/*
 * net-snmp drops what it cannot decode (random bytes, a truncated or
 * absurd BER, an unknown version, an SNMPv3 message USM refuses) before
 * any callback; its post-parse hook is where we see that, to count and
 * log it.  Returns 1: the parse result stands.
 */
static int post_parse(netsnmp_session *s, netsnmp_pdu *pdu, int result)
{
	struct trap_listener *l = s->callback_magic;
	struct trap_event ev;

	if (result == SNMPERR_SUCCESS || l == NULL)
		return 1;
	l->st.received++;
	l->st.garbled++;
	if (pdu != NULL) {
		sender(pdu, &ev);
		complain(l, "dropped", &ev, snmp_api_errstring(result));
	}
	return 1;
}

/* net-snmp's callback for everything the listening session receives;
 * the pdu stays the library's. */
static int trap_input(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
		      void *magic)
{
	(void)s;
	(void)reqid;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL)
		handle(magic, pdu);
	return 1;
}

/* A storm (a whole site failing at once: one notification per server,
 * group and service) arrives faster than a cycle is handled; the kernel
 * drops what does not fit the socket's buffer, so ask for room for a few
 * thousand (capped by net.core.rmem_max). */
#define TRAP_RCVBUF (4 << 20)

static void grow_rcvbuf(netsnmp_transport *t)
{
	int size = TRAP_RCVBUF;

	if (setsockopt(t->sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0)
		log_debug("--trap-listen: SO_RCVBUF: %s", strerror(errno));
}

static void *open_listener(const char *addr, struct trap_listener *l)
{
	netsnmp_transport *t = netsnmp_tdomain_transport(addr, 1, "udp");
	netsnmp_session s;
	void *sessp;

	if (t == NULL) {
		log_err("--trap-listen %s: cannot listen there", addr);
		return NULL;
	}
	grow_rcvbuf(t);
	snmp_sess_init(&s);
	s.peername = SNMP_DEFAULT_PEERNAME;
	s.version = SNMP_DEFAULT_VERSION;	/* any: v1, v2c, v3 */
	s.callback = trap_input;
	s.callback_magic = l;
	s.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	/* takes the transport, also on failure (it closes it then) */
	sessp = snmp_sess_add_ex(&s, t, NULL, NULL, post_parse, NULL, NULL,
				 NULL, NULL);
	if (sessp == NULL)
		log_err("--trap-listen %s: cannot open a session", addr);
	return sessp;
}

struct trap_listener *trap_listen(struct ev_loop *loop, const char *addr,
				  const char *community, trap_cb cb, void *arg)
{
	struct trap_listener *l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	l->loop = loop;
	l->cb = cb;
	l->arg = arg;
	l->rl = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 10);
	if (community != NULL && (l->community = strdup(community)) == NULL) {
		free(l);
		return NULL;
	}
	l->sessp = open_listener(addr, l);
	if (l->sessp == NULL || sloop_attach(&l->sl, loop, l->sessp) < 0) {
		trap_close(l);
		return NULL;
	}
	if (l->community == NULL)
		log_warn("--trap-listen: no community (-c or --trap-community):"
			 " v1/v2c notifications will be refused");
	return l;
}

void trap_close(struct trap_listener *l)
{
	if (l == NULL)
		return;
	if (l->sessp != NULL) {
		sloop_detach(&l->sl);
		snmp_sess_close(l->sessp);
	}
	free(l->community);
	free(l);
}

int trap_prepare(struct trap_listener *l)
{
	return sloop_prepare(&l->sl);
}

void trap_get_stats(const struct trap_listener *l, struct trap_stats *st)
{
	*st = l->st;
}
