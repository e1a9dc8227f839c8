/*
 * poll.c — one agent's poll cycle; see poll.h.
 */
#include "poll.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmpusm.h>

#include "evloop.h"
#include "gd_mib.h"
#include "log.h"
#include "poll_table.h"
#include "snmp_loop.h"
#include "state.h"
#include "timefmt.h"

#define SCALARS PTAB_COUNT	/* the range id of the scalars' GET */

struct poll_range {
	struct ptab_range r;
	struct poll_agent *pa;	/* callback magic: the range knows its agent */
	unsigned table;		/* enum ptab_id, or SCALARS */
	bool pending;		/* a request of this range is in flight */
};

struct poll_walk {
	struct ptab_rows rows;
	struct poll_range **ranges;	/* each alone: callbacks hold them */
	size_t nranges, cap;
	long reps;		/* max-repetitions cap, halved on tooBig */
	uint32_t *prev;		/* sorted indexes of the last good cycle */
	size_t nprev;
};

struct poll_agent {
	struct ev_loop *loop;
	char *peer;
	void *sessp;
	struct sloop sl;
	poll_done_cb cb;
	void *arg;

	unsigned inflight_max, inflight;
	bool busy, failed, closing;
	bool sending;			/* inside snmp_sess_async_send */
	bool discovering;		/* the engineID probe is in flight */
	bool learned, learned_context;	/* engineIDs discovery set */
	bool rediscover;		/* a failed request since */
	struct poll_walk walks[PTAB_COUNT];
	struct poll_range scalars;
	bool scalars_done;
	size_t nranges, left;		/* ranges of the cycle, not done */
	struct gd_state_agent head;	/* the scalars' fields */
	const char *broken;		/* a table ptab_rows_broken found */

	struct poll_range **queue;	/* ranges ready to send: a ring */
	size_t qhead, qlen, qcap;

	uint64_t started_ns;
	struct poll_result res;
	struct ev_timer done;		/* delivers res outside net-snmp */
};

static int poll_input(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
		      void *magic);

/* --- the queue of ranges ready to send ------------------------------ */

static int queue_reserve(struct poll_agent *pa, size_t n)
{
	struct poll_range **q;

	if (n <= pa->qcap)
		return 0;
	q = calloc(n, sizeof *q);
	if (q == NULL)
		return -1;
	for (size_t i = 0; i < pa->qlen; i++)
		q[i] = pa->queue[(pa->qhead + i) % pa->qcap];
	free(pa->queue);
	pa->queue = q;
	pa->qcap = n;
	pa->qhead = 0;
	return 0;
}

/* The queue holds every range of the cycle at most once: it never fills
 * past what cycle_plan() reserved. */
static void queue_push(struct poll_agent *pa, struct poll_range *r)
{
	pa->queue[(pa->qhead + pa->qlen) % pa->qcap] = r;
	pa->qlen++;
}

static struct poll_range *queue_pop(struct poll_agent *pa)
{
	struct poll_range *r;

	if (pa->qlen == 0)
		return NULL;
	r = pa->queue[pa->qhead];
	pa->qhead = (pa->qhead + 1) % pa->qcap;
	pa->qlen--;
	return r;
}

/* --- failing and finishing ------------------------------------------ */

static void fail(struct poll_agent *pa, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first failure wins; the cycle ends when nothing is in flight. */
static void fail(struct poll_agent *pa, const char *fmt, ...)
{
	va_list ap;

	if (pa->failed)
		return;
	pa->failed = true;
	pa->qlen = 0;
	va_start(ap, fmt);
	vsnprintf(pa->res.error, sizeof pa->res.error, fmt, ap);
	va_end(ap);
}

static void walks_clear(struct poll_agent *pa)
{
	for (size_t t = 0; t < PTAB_COUNT; t++) {
		struct poll_walk *w = &pa->walks[t];

		ptab_rows_clear(&w->rows);
		for (size_t i = 0; i < w->nranges; i++)
			free(w->ranges[i]);
		free(w->ranges);
		w->ranges = NULL;
		w->nranges = w->cap = 0;
	}
	pa->nranges = pa->left = 0;
	gd_state_agent_clear(&pa->head);
	memset(&pa->head, 0, sizeof pa->head);
}

static void add_counts(struct poll_counts *c, const struct ptab_stats *st)
{
	c->wrong_type += st->wrong_type;
	c->bad_index += st->bad_index;
	c->out_of_order += st->out_of_order;
	c->incomplete += st->incomplete;
	c->no_name += st->no_name;
	if (st->last[0] != '\0')
		snprintf(c->last_problem, sizeof c->last_problem, "%s",
			 st->last);
}

/* Moves one table's rows into the model, and keeps its indexes for the
 * next cycle's plan. */
static int take_table(struct poll_agent *pa, enum ptab_id t,
		      struct gd_state_agent *a)
{
	struct poll_walk *w = &pa->walks[t];
	void *rows;
	size_t n;

	if (ptab_rows_finish(&w->rows) < 0)
		return -1;
	add_counts(&pa->res.counts, &w->rows.stats);
	if (pa->broken == NULL && ptab_rows_broken(&w->rows))
		pa->broken = ptab_table(t)->name;
	free(w->prev);
	rows = ptab_rows_take(&w->rows, &n, &w->prev);
	w->nprev = n;
	switch (t) {
	case PTAB_AREA: a->areas = rows, a->nareas = n; break;
	case PTAB_GROUP: a->groups = rows, a->ngroups = n; break;
	case PTAB_SERVER: a->servers = rows, a->nservers = n; break;
	default: a->services = rows, a->nservices = n; break;
	}
	return 0;
}

static struct gd_state_agent *build_agent(struct poll_agent *pa)
{
	struct gd_state_agent *a = calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	*a = pa->head;		/* the scalars' strings move over */
	memset(&pa->head, 0, sizeof pa->head);
	a->peer = strdup(pa->peer);
	a->reachable = true;
	a->last_poll = a->last_ok = time(NULL);
	for (size_t t = 0; t < PTAB_COUNT; t++) {
		if (take_table(pa, t, a) < 0) {
			gd_state_agent_clear(a);
			free(a);
			return NULL;
		}
	}
	if (a->peer == NULL) {
		gd_state_agent_clear(a);
		free(a);
		return NULL;
	}
	return a;
}

static void deliver(struct ev_loop *loop, void *arg)
{
	struct poll_agent *pa = arg;
	struct poll_result res = pa->res;

	(void)loop;
	memset(&pa->res, 0, sizeof pa->res);
	pa->busy = false;
	pa->cb(pa->arg, pa, &res);
	if (res.agent != NULL) {	/* the callback did not take it */
		gd_state_agent_clear(res.agent);
		free(res.agent);
	}
}

static bool cycle_complete(const struct poll_agent *pa)
{
	return pa->scalars_done && pa->left == 0;
}

/* Rows the agent's answers lost (poll_table.h ptab_rows_broken): the
 * model would show them removed; the cycle fails, they stay unknown. */
static void broken_walk(struct poll_agent *pa)
{
	gd_state_agent_clear(pa->res.agent);
	free(pa->res.agent);
	pa->res.agent = NULL;
	fail(pa, "%s: the agent's answers do not walk the table (%s)",
	     pa->broken, pa->res.counts.last_problem);
}

/* Called whenever a request ends: once nothing is in flight, the cycle
 * is over (failed, or complete). */
static void maybe_finish(struct poll_agent *pa)
{
	if (pa->inflight > 0 || ev_timer_active(&pa->done))
		return;
	if (!pa->failed && !cycle_complete(pa))
		return;
	if (!pa->failed) {
		pa->res.agent = build_agent(pa);
		if (pa->res.agent == NULL)
			fail(pa, "out of memory building the model");
		else if (pa->broken != NULL)
			broken_walk(pa);
	}
	pa->res.ok = !pa->failed;
	pa->res.seconds = (double)(ev_monotonic_ns() - pa->started_ns) / 1e9;
	walks_clear(pa);
	ev_timer_start(pa->loop, &pa->done, ev_now(pa->loop));
}

/* --- sending --------------------------------------------------------- */

static long range_reps(const struct poll_agent *pa,
		       const struct poll_range *pr)
{
	const struct ptab_range *r = &pr->r;
	long left = r->expect > r->got ? (long)(r->expect - r->got) :
		    POLL_SPLIT_ROWS / 4;	/* more than planned */
	long cap = pa->walks[pr->table].reps;

	/* what the range should still hold, plus one row to see its end */
	return left + 1 < cap ? left + 1 : cap;
}

static netsnmp_pdu *scalars_pdu(void)
{
	static const unsigned which[] = {
		GD_AGENT_VERSION, GD_AGENT_START_TIME, GD_CONFIG_LOADED,
		GD_SITE_TITLE,
	};
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	oid name[] = { GD_OID_AGENT, 0, 0 };
	size_t len = sizeof name / sizeof name[0];

	for (size_t i = 0; pdu != NULL && i < 4; i++) {
		name[len - 2] = which[i];
		if (snmp_add_null_var(pdu, name, len) == NULL) {
			snmp_free_pdu(pdu);
			return NULL;
		}
	}
	return pdu;
}

static netsnmp_pdu *range_pdu(struct poll_agent *pa, struct poll_range *pr)
{
	netsnmp_pdu *pdu;

	if (pr->table == SCALARS)
		return scalars_pdu();
	pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	if (pdu == NULL)
		return NULL;
	pdu->non_repeaters = 0;
	pdu->max_repetitions = range_reps(pa, pr);
	if (ptab_range_request(&pr->r, pdu) <= 0) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

/*
 * Sends pdu (taken) with cb(magic); *pending is the request's flag, which
 * the callback clears.  In flight from before the send: net-snmp may call
 * back from inside snmp_sess_async_send, with a failure it met at once.
 * 0, or -1 (the cycle failed).
 */
static int send_pdu(struct poll_agent *pa, netsnmp_pdu *pdu,
		    netsnmp_callback cb, void *magic, bool *pending)
{
	int rid;

	*pending = true;
	pa->inflight++;
	pa->res.counts.requests++;
	/* snmp_sess_async_send takes the pdu when it returns a request id;
	 * on 0 it is still ours */
	pa->sending = true;
	rid = snmp_sess_async_send(pa->sessp, pdu, cb, magic);
	pa->sending = false;
	if (rid != 0)
		return 0;
	snmp_free_pdu(pdu);
	if (*pending) {		/* not called back: fail here */
		int liberr = 0, syserr = 0;
		char *msg = NULL;

		*pending = false;
		pa->inflight--;
		snmp_sess_error(pa->sessp, &liberr, &syserr, &msg);
		fail(pa, "cannot send: %s", msg ? msg : "unknown error");
		free(msg);
	}
	return -1;
}

static int send_range(struct poll_agent *pa, struct poll_range *pr)
{
	netsnmp_pdu *pdu = range_pdu(pa, pr);

	if (pdu == NULL) {
		fail(pa, "out of memory building a request");
		return -1;
	}
	return send_pdu(pa, pdu, poll_input, pr, &pr->pending);
}

static void send_ready(struct poll_agent *pa)
{
	struct poll_range *pr;

	while (!pa->failed && !pa->discovering &&
	       pa->inflight < pa->inflight_max &&
	       (pr = queue_pop(pa)) != NULL)
		send_range(pa, pr);
}

/* --- ranges ---------------------------------------------------------- */

/* A new range of table t, queued to send.  0, or -1 out of memory. */
static int add_range(struct poll_agent *pa, enum ptab_id t, uint32_t lo,
		     uint32_t hi, uint32_t expect)
{
	struct poll_walk *w = &pa->walks[t];
	struct poll_range *pr;

	if (w->nranges == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct poll_range **v = realloc(w->ranges, cap * sizeof *v);

		if (v == NULL)
			return -1;
		w->ranges = v;
		w->cap = cap;
	}
	/* the queue holds each range at most once, and the scalars */
	if (queue_reserve(pa, (pa->nranges + 2) * 2) < 0 ||
	    (pr = calloc(1, sizeof *pr)) == NULL)
		return -1;
	ptab_range_init(&pr->r, ptab_table(t), lo, hi);
	pr->r.expect = expect;
	pr->pa = pa;
	pr->table = t;
	w->ranges[w->nranges++] = pr;
	pa->nranges++;
	pa->left++;
	queue_push(pa, pr);
	return 0;
}

/*
 * An open range (the last of its table) that holds more rows than
 * planned — every range of a first cycle, which has no plan — stops
 * after the highest index it has seen, and POLL_SPLIT_RANGES ranges of
 * POLL_SPLIT_ROWS indexes take over beyond it, the last open again, so
 * that an unknown table is soon walked by many requests in flight.
 */
static int split_open(struct poll_agent *pa, struct poll_range *pr)
{
	uint64_t c = 0, lo;

	for (unsigned slot = 0; slot < pr->r.table->ncols; slot++)
		if ((pr->r.started & (1u << slot)) && pr->r.cursor[slot] > c)
			c = pr->r.cursor[slot];
	if (c + 1 > UINT32_MAX)
		return 0;
	pr->r.hi = (uint32_t)(c + 1);
	for (unsigned i = 0; i < POLL_SPLIT_RANGES; i++) {
		bool last = i + 1 == POLL_SPLIT_RANGES;

		lo = c + 1 + (uint64_t)i * POLL_SPLIT_ROWS;
		if (lo + POLL_SPLIT_ROWS > UINT32_MAX)
			last = true;
		/* the open one expects nothing: it splits again at its
		 * first answer when the table goes on */
		if (add_range(pa, pr->table, (uint32_t)lo,
			      last ? 0 : (uint32_t)(lo + POLL_SPLIT_ROWS),
			      last ? 0 : POLL_SPLIT_ROWS) < 0)
			return -1;
		if (last)
			break;
	}
	return 0;
}

/* --- answers --------------------------------------------------------- */

static char *scalar_string(const netsnmp_variable_list *v)
{
	char *s;

	if (v->type != ASN_OCTET_STR)
		return NULL;
	s = malloc(v->val_len + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, v->val.string, v->val_len);
	s[v->val_len] = '\0';
	return s;
}

static void scalar_time(const netsnmp_variable_list *v, time_t *out)
{
	if (v->type != ASN_OCTET_STR ||
	    gd_time_from_dateandtime(v->val.string, v->val_len, out) < 0)
		*out = 0;
}

static bool is_exception(const netsnmp_variable_list *v)
{
	return v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
	       v->type == SNMP_ENDOFMIBVIEW;
}

/*
 * gdAgentVersion.0 missing means no greendot-agent is registered with
 * the master (it died, or is reconnecting): the master then answers the
 * tables with what follows them, which would read as empty tables.  That
 * is a failed cycle (objects unknown), not a configuration without
 * objects.  The other scalars, when missing, are left unknown.
 */
static void scalars_input(struct poll_agent *pa, const netsnmp_pdu *pdu)
{
	size_t base = sizeof((oid[]){ GD_OID_AGENT }) / sizeof(oid);

	for (netsnmp_variable_list *v = pdu->variables; v;
	     v = v->next_variable) {
		if (v->name_length != base + 2)
			continue;
		switch (v->name[base]) {
		case GD_AGENT_VERSION:
			if (is_exception(v))
				fail(pa, "no greendot agent behind the master "
				     "(gdAgentVersion.0 missing)");
			free(pa->head.version);
			pa->head.version = scalar_string(v);
			break;
		case GD_SITE_TITLE:
			free(pa->head.title);
			pa->head.title = scalar_string(v);
			break;
		case GD_AGENT_START_TIME:
			scalar_time(v, &pa->head.started);
			break;
		case GD_CONFIG_LOADED:
			scalar_time(v, &pa->head.config_loaded);
			break;
		}
	}
	pa->scalars_done = true;
}

static size_t count_vars(const netsnmp_pdu *pdu)
{
	size_t n = 0;

	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
		n++;
	return n;
}

static void table_input(struct poll_agent *pa, struct poll_range *pr,
			const netsnmp_pdu *pdu)
{
	struct poll_walk *w = &pa->walks[pr->table];
	int rc = ptab_range_input(&pr->r, &w->rows, pdu->variables);

	if (rc < 0) {
		fail(pa, "out of memory");
	} else if (rc == 0) {
		fail(pa, "%s: an answer without progress (%zu varbinds)",
		     ptab_table(pr->table)->name, count_vars(pdu));
	} else if (ptab_range_done(&pr->r)) {
		pa->left--;
	} else {
		if (pr->r.hi == 0 && pr->r.done == 0 &&
		    pr->r.got >= pr->r.expect && split_open(pa, pr) < 0)
			fail(pa, "out of memory");
		queue_push(pa, pr);
	}
}

/* tooBig: ask the range again with half the repetitions. */
static void too_big(struct poll_agent *pa, struct poll_range *pr)
{
	struct poll_walk *w = pr->table == SCALARS ? NULL : &pa->walks[pr->table];

	if (w == NULL || range_reps(pa, pr) <= 1) {
		fail(pa, "tooBig with a single row");
		return;
	}
	w->reps = range_reps(pa, pr) / 2;
	pa->res.counts.retries_toobig++;
	queue_push(pa, pr);
}

static void answer(struct poll_agent *pa, struct poll_range *pr,
		   const netsnmp_pdu *pdu)
{
	pa->res.counts.varbinds += count_vars(pdu);
	if (pdu->errstat == SNMP_ERR_TOOBIG)
		too_big(pa, pr);
	else if (pdu->errstat != SNMP_ERR_NOERROR)
		fail(pa, "%s: %s (index %ld)",
		     pr->table == SCALARS ? "gdAgent" :
		     ptab_table(pr->table)->name,
		     snmp_errstring((int)pdu->errstat), pdu->errindex);
	else if (pr->table == SCALARS)
		scalars_input(pa, pdu);
	else
		table_input(pa, pr, pdu);
}

/* A failed request, in words: net-snmp's own for the session's last
 * error ("Authentication failure (incorrect password, community or
 * key)", ...) after ours. */
static void op_failed(struct poll_agent *pa, int op)
{
	int liberr = 0, syserr = 0;
	char *msg = NULL;
	const char *what = op == NETSNMP_CALLBACK_OP_SEC_ERROR ?
		"SNMPv3 security error (check -u, -l, -a/-A, -x/-X)" :
		op == NETSNMP_CALLBACK_OP_SEND_FAILED ? "send failed" :
		op == NETSNMP_CALLBACK_OP_DISCONNECT ? "disconnected" :
		"request failed";

	snmp_sess_error(pa->sessp, &liberr, &syserr, &msg);
	if (liberr != 0 && msg != NULL)
		fail(pa, "%s: %s", what, msg);
	else
		fail(pa, "%s", what);
	free(msg);
}

/* An SNMPv3 Report instead of an answer (unknownEngineID after the
 * agent's engineID changed, notInTimeWindow after net-snmp's resend,
 * wrong user or keys): the cycle fails, and the engineID is discovered
 * again (forget_engine). */
static void report(struct poll_agent *pa, netsnmp_pdu *pdu)
{
	fail(pa, "SNMPv3 report: %s",
	     snmp_api_errstring(snmpv3_get_report_type(pdu)));
	pa->rediscover = true;
}

/* net-snmp's callback: pdu is the library's (freed after we return 1). */
static int poll_input(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
		      void *magic)
{
	struct poll_range *pr = magic;
	struct poll_agent *pa = pr->pa;

	(void)s;
	(void)reqid;
	/* RESEND only says a retry went out: the request is still ours */
	if (pa->closing || op == NETSNMP_CALLBACK_OP_RESEND || !pr->pending)
		return 1;
	pr->pending = false;
	pa->inflight--;
	if (pa->failed)
		;	/* the rest of a failed cycle: drained, ignored */
	else if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE &&
		 pdu->command == SNMP_MSG_REPORT)
		report(pa, pdu);
	else if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		answer(pa, pr, pdu);
	else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT)
		fail(pa, "no answer (timeout)");
	else
		op_failed(pa, op);
	if (op == NETSNMP_CALLBACK_OP_SEC_ERROR ||
	    op == NETSNMP_CALLBACK_OP_TIMED_OUT)
		pa->rediscover = true;
	if (!pa->sending) {	/* else the sender goes on from here */
		send_ready(pa);
		maybe_finish(pa);
	}
	return 1;
}

/* --- SNMPv3 engineID discovery ----------------------------------------- */

/*
 * net-snmp 5.9 learns an SNMPv3 agent's engineID with a synchronous
 * probe (snmp_sess_synch_response) at open, or at the first send when
 * the open skipped it: an agent that does not answer would stall the
 * whole loop for timeout x (retries + 1) at every retry.  The sessions
 * keep SNMP_FLAGS_DONT_PROBE, and the cycle of an agent whose engineID
 * is not known yet starts with the same probe sent asynchronously (RFC
 * 3414 4: a noAuthNoPriv GET of no varbind from the empty user, answered
 * with a usmStatsUnknownEngineIDs Report that carries the engineID).
 * With the engineID set, the user's keys are localized to it
 * (usm_create_user_from_session: what net-snmp does after its own probe,
 * and what lets --trap-listen authenticate that agent's notifications);
 * the first authenticated request is then answered notInTimeWindow,
 * which net-snmp resends by itself with the agent's clock.
 */
static bool needs_discovery(const struct poll_agent *pa)
{
	const netsnmp_session *s = snmp_sess_session(pa->sessp);

	return s != NULL && s->version == SNMP_VERSION_3 &&
	       s->securityEngineIDLen == 0 &&
	       (s->securityModel == SNMP_SEC_MODEL_USM ||
		s->securityModel == SNMP_DEFAULT_SECMODEL);
}

/* The empty user the probe speaks as (noAuthNoPriv), made once. */
static int empty_user(void)
{
	struct usmUser *u;

	if (usm_get_user(NULL, 0, "") != NULL)
		return 0;
	u = calloc(1, sizeof *u);
	if (u == NULL)
		return -1;
	u->name = strdup("");
	u->secName = strdup("");
	u->authProtocolLen = OID_LENGTH(usmNoAuthProtocol);
	u->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol,
					       u->authProtocolLen);
	u->privProtocolLen = OID_LENGTH(usmNoPrivProtocol);
	u->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol,
					       u->privProtocolLen);
	if (u->name == NULL || u->secName == NULL || u->authProtocol == NULL ||
	    u->privProtocol == NULL) {
		usm_free_user(u);
		return -1;
	}
	usm_add_user(u);
	return 0;
}

static netsnmp_pdu *probe_pdu(void)
{
	netsnmp_pdu *pdu;

	if (empty_user() < 0 || (pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
		return NULL;
	pdu->version = SNMP_VERSION_3;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	if (pdu->securityName == NULL) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

/* *id of *len bytes, when empty, becomes a copy of src: 1 (copied), 0
 * (it was set: net-snmp's, or the operator's -e / -E), -1 (no memory). */
static int take_id(u_char **id, size_t *len, const u_char *src, size_t n)
{
	if (*len != 0)
		return 0;
	*id = netsnmp_memdup(src, n);
	if (*id == NULL)
		return -1;
	*len = n;
	return 1;
}

/* The Report's engineID into the session (and as its contextEngineID,
 * when none was given), and the user keyed to it. */
static void learn_engine(struct poll_agent *pa, const netsnmp_pdu *pdu)
{
	netsnmp_session *s = snmp_sess_session(pa->sessp);
	int ctx;

	if (pdu->securityEngineIDLen == 0) {
		fail(pa, "SNMPv3 engineID discovery: the answer carries no "
		     "engineID");
		return;
	}
	if (take_id(&s->securityEngineID, &s->securityEngineIDLen,
		    pdu->securityEngineID, pdu->securityEngineIDLen) < 0 ||
	    (ctx = take_id(&s->contextEngineID, &s->contextEngineIDLen,
			   s->securityEngineID, s->securityEngineIDLen)) < 0) {
		fail(pa, "out of memory");
		return;
	}
	pa->learned = true;
	pa->learned_context = ctx > 0;
	if (usm_create_user_from_session(s) != SNMPERR_SUCCESS)
		fail(pa, "SNMPv3: cannot key user %s to the agent's engineID",
		     s->securityName ? s->securityName : "?");
}

static int discovery_input(int op, netsnmp_session *s, int reqid,
			   netsnmp_pdu *pdu, void *magic)
{
	struct poll_agent *pa = magic;

	(void)s;
	(void)reqid;
	if (pa->closing || op == NETSNMP_CALLBACK_OP_RESEND ||
	    !pa->discovering)
		return 1;
	pa->discovering = false;
	pa->inflight--;
	if (pa->failed)
		;
	else if ((op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE ||
		  op == NETSNMP_CALLBACK_OP_SEC_ERROR) && pdu != NULL)
		learn_engine(pa, pdu);
	else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT)
		fail(pa, "no answer (timeout)");
	else
		op_failed(pa, op);
	if (!pa->sending) {
		send_ready(pa);
		maybe_finish(pa);
	}
	return 1;
}

/*
 * An engineID that discovery set is forgotten after a cycle that met a
 * security error or no answer, and the next cycle discovers it again:
 * an agent whose snmpd was reinstalled, or lost its persistent files,
 * has a new engineID, and net-snmp drops the Reports it answers the old
 * one with (no answer, then).  It costs one probe per failed cycle.
 * One given with -e / -E is the operator's: kept.
 */
static void forget_engine(struct poll_agent *pa)
{
	netsnmp_session *s = snmp_sess_session(pa->sessp);

	pa->rediscover = false;
	if (s == NULL || !pa->learned)
		return;
	log_debug("%s: discovering its SNMPv3 engineID again", pa->peer);
	free(s->securityEngineID);
	s->securityEngineID = NULL;
	s->securityEngineIDLen = 0;
	/* else usm_create_user_from_session() keys no user to the next */
	s->flags &= ~SNMP_FLAGS_USER_CREATED;
	if (pa->learned_context) {
		free(s->contextEngineID);
		s->contextEngineID = NULL;
		s->contextEngineIDLen = 0;
	}
	pa->learned = pa->learned_context = false;
}

/* Sends the probe; the cycle's requests wait for its answer. */
static void discover(struct poll_agent *pa)
{
	netsnmp_pdu *pdu = probe_pdu();

	if (pdu == NULL)
		fail(pa, "out of memory building the engineID probe");
	else
		send_pdu(pa, pdu, discovery_input, pa, &pa->discovering);
}

/* --- cycles ---------------------------------------------------------- */

static int plan_table(struct poll_agent *pa, enum ptab_id t)
{
	struct poll_walk *w = &pa->walks[t];
	uint32_t lo[POLL_MAX_RANGES];
	size_t k = ptab_plan(w->prev, w->nprev, POLL_RANGE_ROWS,
			     POLL_MAX_RANGES, lo);

	ptab_rows_init(&w->rows, ptab_table(t));
	for (size_t i = 0; i < k; i++) {
		size_t first = i * w->nprev / k, end = (i + 1) * w->nprev / k;

		if (add_range(pa, t, lo[i], i + 1 < k ? lo[i + 1] : 0,
			      (uint32_t)(end - first)) < 0)
			return -1;
	}
	return 0;
}

static int cycle_plan(struct poll_agent *pa)
{
	pa->qhead = pa->qlen = 0;
	/* the big tables first: they take the most round trips */
	for (size_t t = PTAB_COUNT; t-- > 0;)
		if (plan_table(pa, t) < 0)
			return -1;
	if (queue_reserve(pa, pa->nranges + 1) < 0)
		return -1;
	queue_push(pa, &pa->scalars);
	return 0;
}

int poll_agent_start(struct poll_agent *pa)
{
	if (pa->busy) {
		errno = EBUSY;
		return -1;
	}
	pa->busy = true;
	pa->failed = false;
	pa->scalars_done = false;
	pa->broken = NULL;
	memset(&pa->res, 0, sizeof pa->res);
	pa->started_ns = ev_monotonic_ns();
	if (pa->rediscover)
		forget_engine(pa);
	if (cycle_plan(pa) < 0)
		fail(pa, "out of memory planning the cycle");
	else if (needs_discovery(pa))
		discover(pa);
	send_ready(pa);
	maybe_finish(pa);
	return pa->failed && pa->res.counts.requests == 0 ? -1 : 0;
}

bool poll_agent_busy(const struct poll_agent *pa)
{
	return pa->busy;
}

const char *poll_agent_peer(const struct poll_agent *pa)
{
	return pa->peer;
}

int poll_prepare(struct poll_agent *pa)
{
	return sloop_prepare(&pa->sl);
}

/* --- the session ----------------------------------------------------- */

static void *open_session(const struct snmp_session *tmpl, const char *peer)
{
	netsnmp_session s = *tmpl;
	void *sessp;

	s.peername = (char *)peer;	/* snmp_sess_open copies it */
	s.callback = NULL;
	/* no synchronous engineID probe, neither at open nor at a send:
	 * discover() does it asynchronously.  net-snmp clears the flag
	 * once the session is open; it is set again. */
	s.flags |= SNMP_FLAGS_DONT_PROBE;
	sessp = snmp_sess_open(&s);
	if (sessp != NULL)
		snmp_sess_session(sessp)->flags |= SNMP_FLAGS_DONT_PROBE;
	if (sessp == NULL) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;

		snmp_error(&s, &liberr, &syserr, &msg);
		log_err("%s: cannot open an SNMP session: %s", peer,
			msg ? msg : "unknown error");
		free(msg);
	}
	return sessp;
}

struct poll_agent *poll_agent_new(struct ev_loop *loop,
				  const struct snmp_session *tmpl,
				  const char *peer, unsigned inflight,
				  poll_done_cb cb, void *arg)
{
	struct poll_agent *pa = calloc(1, sizeof *pa);

	if (pa == NULL)
		return NULL;
	pa->loop = loop;
	pa->cb = cb;
	pa->arg = arg;
	pa->inflight_max = inflight ? inflight : 1;
	pa->scalars.pa = pa;
	pa->scalars.table = SCALARS;
	ev_timer_init(&pa->done, deliver, pa);
	for (size_t t = 0; t < PTAB_COUNT; t++) {
		ptab_rows_init(&pa->walks[t].rows, ptab_table(t));
		pa->walks[t].reps = POLL_VARBINDS / ptab_table(t)->ncols;
	}
	pa->peer = strdup(peer);
	if (pa->peer == NULL || (pa->sessp = open_session(tmpl, peer)) == NULL ||
	    sloop_attach(&pa->sl, loop, pa->sessp) < 0) {
		poll_agent_free(pa);
		return NULL;
	}
	return pa;
}

void poll_agent_free(struct poll_agent *pa)
{
	if (pa == NULL)
		return;
	pa->closing = true;
	if (pa->sessp != NULL) {
		sloop_detach(&pa->sl);
		/* may call back what is in flight: `closing` ignores it */
		snmp_sess_close(pa->sessp);
	}
	ev_timer_stop(pa->loop, &pa->done);
	if (pa->res.agent != NULL) {
		gd_state_agent_clear(pa->res.agent);
		free(pa->res.agent);
	}
	walks_clear(pa);
	for (size_t t = 0; t < PTAB_COUNT; t++)
		free(pa->walks[t].prev);
	free(pa->queue);
	free(pa->peer);
	free(pa);
}

/* --- who the agent is ------------------------------------------------ */

bool poll_agent_addr(const struct poll_agent *pa, struct sockaddr_storage *ss)
{
	netsnmp_transport *t = snmp_sess_transport(pa->sessp);
	const netsnmp_indexed_addr_pair *ap;

	/* UDP and TCP transports keep the peer in an addr pair */
	if (t == NULL || t->data == NULL ||
	    t->data_length < (int)sizeof(netsnmp_indexed_addr_pair))
		return false;
	ap = t->data;
	if (ap->remote_addr.sa.sa_family != AF_INET &&
	    ap->remote_addr.sa.sa_family != AF_INET6)
		return false;
	memset(ss, 0, sizeof *ss);
	memcpy(ss, &ap->remote_addr, sizeof ap->remote_addr);
	return true;
}

const unsigned char *poll_agent_engine_id(const struct poll_agent *pa,
					  size_t *len)
{
	netsnmp_session *s = snmp_sess_session(pa->sessp);

	*len = s != NULL ? s->securityEngineIDLen : 0;
	return *len ? s->securityEngineID : NULL;
}
