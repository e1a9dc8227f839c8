/*
 * mon.c — the monitor's daemon; see mon.h.
 */
#include "mon.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "diff.h"
#include "evloop.h"
#include "journal.h"
#include "log.h"
#include "poll.h"
#include "priv.h"
#include "render_child.h"
#include "rrdlayout.h"
#include "rrdw.h"
#include "state.h"
#include "trap.h"

#define MAX_BACKOFF_S 300.0
#define REMIND_S 600		/* "still not answering", at most this often */
/* Records kept while the journal cannot be written (a full disk), about
 * 1 KB each; past this the oldest go, counted. */
#define JOURNAL_PENDING_MAX 10000

struct mon_agent {
	struct mon *m;
	struct poll_agent *pa;
	const char *peer;		/* into argv */
	struct gd_state_agent known;	/* the last good poll, or restored */
	bool have_known;
	bool reachable;			/* as last seen (or restored) */
	bool repoll;			/* notified while a cycle ran */
	bool polled;			/* one cycle done since start */
	bool seen_before;		/* in the state.xml read at start */
	unsigned fails;			/* consecutive failed cycles */
	time_t last_poll;
	double down_since;
	char error[192];		/* the last failure */
	uint64_t cycle_start;		/* monotonic ns */
	struct ev_timer next;
	struct gd_ratelimit rl;		/* "still not answering" */
	struct gd_ratelimit rl_values;	/* bad values from the agent */
};

struct mon {
	struct ev_loop *loop;
	const struct mon_opts *o;
	struct mon_agent *agents;
	size_t nagents;
	struct gd_journal *journal;
	struct diff_events jpending;	/* records not written yet */
	unsigned long jlost;		/* records dropped: pending full */
	struct gd_rrdw *rrdw;
	struct trap_listener *trap;
	struct rchild *render;
	char *state_path;
	struct ev_timer write;		/* the coalesced state write */
	size_t once_left;		/* --once: agents still polling */
	bool once_rendering, once_done;
	int status;			/* exit status */
	bool jfailing;			/* the last append failed */
	bool state_failing;		/* the last state write failed */
	struct gd_ratelimit rl_journal, rl_nomatch, rl_state;
};

static double now_epoch(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static char *data_path(const char *data, const char *name)
{
	size_t len = strlen(data) + strlen(name) + 2;
	char *p = malloc(len);

	if (p != NULL)
		snprintf(p, len, "%s/%s", data, name);
	return p;
}

/* --- the journal -------------------------------------------------------- */

/* Queues n records behind those waiting; the oldest go past the bound. */
static int journal_queue(struct mon *m, const struct gd_event *v, size_t n)
{
	struct diff_events *p = &m->jpending;
	size_t drop = p->n + n > JOURNAL_PENDING_MAX ?
		      p->n + n - JOURNAL_PENDING_MAX : 0;

	if (n > JOURNAL_PENDING_MAX) {	/* keep the newest */
		m->jlost += n - JOURNAL_PENDING_MAX;
		return journal_queue(m, v + (n - JOURNAL_PENDING_MAX),
				     JOURNAL_PENDING_MAX);
	}
	if (p->n + n > p->cap) {
		size_t cap = p->n + n < 64 ? 64 : (p->n + n) * 2;
		struct gd_event *nv;

		cap = cap > JOURNAL_PENDING_MAX ? JOURNAL_PENDING_MAX : cap;
		nv = realloc(p->v, cap * sizeof *nv);
		if (nv == NULL)
			return -1;
		p->v = nv;
		p->cap = cap;
	}
	memmove(p->v, p->v + drop, (p->n - drop) * sizeof *p->v);
	p->n -= drop;
	memcpy(p->v + p->n, v, n * sizeof *v);
	p->n += n;
	m->jlost += drop;
	return 0;
}

/*
 * Appends what waits, in order.  A failed append (a full disk) leaves
 * the journal as it was (gd_journal_append truncates back) and the
 * records waiting for the next append or cycle: one log line when it
 * starts failing, rate-limited reminders, one when it writes again.
 */
static void journal_flush(struct mon *m)
{
	struct diff_events *p = &m->jpending;
	unsigned suppressed = 0;

	if (p->n == 0)
		return;
	if (gd_journal_append(m->journal, p->v, p->n) == 0) {
		if (m->jfailing)
			log_notice("journal: writing again; %zu delayed "
				   "record(s) written, %lu lost", p->n,
				   m->jlost);
		m->jfailing = false;
		p->n = 0;
		return;
	}
	if (gd_ratelimit(&m->rl_journal, time(NULL), &suppressed) ||
	    !m->jfailing)
		log_err("journal: cannot append: %s; %zu record(s) wait "
			"(at most %d)", strerror(errno), p->n,
			JOURNAL_PENDING_MAX);
	m->jfailing = true;
}

static void journal_write(struct mon *m, const struct diff_events *ev)
{
	if (ev->n > 0 && journal_queue(m, ev->v, ev->n) < 0)
		log_err("journal: %zu record(s) lost: out of memory", ev->n);
	journal_flush(m);
}

static void journal_agent(struct mon_agent *a, const char *old_word,
			  const char *new_word, const char *detail)
{
	struct diff_events ev = { NULL, 0, 0 };

	if (diff_event_add(&ev, now_epoch(), GD_SRC_POLL, GD_EV_AGENT, a->peer,
			   old_word, new_word, a->peer, detail) == 0)
		journal_write(a->m, &ev);
	diff_events_clear(&ev);
}

/* --- RRD files ---------------------------------------------------------- */

/*
 * A flush creates files for a second at most (rrdw.h); a daemon creates
 * the rest at its next cycles, but --once has no next cycle: the samples
 * of files not created yet would be lost.  Flush while flushes create.
 */
static void rrd_finish_creating(struct mon *m)
{
	struct gd_rrdw_stats st;
	unsigned long before;

	do {
		gd_rrdw_stats(m->rrdw, &st);
		before = st.created;
		gd_rrdw_flush(m->rrdw);
		gd_rrdw_stats(m->rrdw, &st);
	} while (st.created > before);
}

static void rrd_record(struct mon *m, const struct gd_state_agent *ag,
		       bool unknown, time_t t)
{
	double v[2] = { NAN, NAN };

	for (size_t i = 0; i < ag->nservers; i++) {
		if (!unknown)
			diff_server_sample(&ag->servers[i], v);
		gd_rrdw_update(m->rrdw, GD_RRD_SERVER, ag->servers[i].id, t, v, 2);
	}
	for (size_t i = 0; i < ag->ngroups; i++) {
		if (!unknown)
			diff_group_sample(&ag->groups[i], v);
		gd_rrdw_update(m->rrdw, GD_RRD_GROUP, ag->groups[i].id, t, v, 2);
	}
	for (size_t i = 0; i < ag->nservices; i++) {
		if (!unknown)
			diff_service_sample(&ag->services[i], v);
		gd_rrdw_update(m->rrdw, GD_RRD_SERVICE, ag->services[i].id, t,
			       v, 1);
	}
	/* each file logs its own failure (rate-limited) */
	gd_rrdw_flush(m->rrdw);
	if (m->o->once)
		rrd_finish_creating(m);
}

/* --- the state file ----------------------------------------------------- */

/* What the state file shows of one agent: its last good poll, with every
 * status unknown while it does not answer.  *shallow tells how to free. */
static int shown_agent(const struct mon_agent *a, struct gd_state_agent *out,
		       bool *shallow)
{
	*shallow = true;
	if (!a->have_known) {
		memset(out, 0, sizeof *out);
		out->peer = (char *)a->peer;
		out->last_poll = a->last_poll;
		*shallow = false;
		return 0;
	}
	if (a->reachable) {
		*out = a->known;
		*shallow = false;
		return 0;
	}
	if (diff_unknown_copy(&a->known, out) < 0)
		return -1;
	out->last_poll = a->last_poll;
	return 0;
}

/* A failed write (a full disk) leaves the old file (afile.h); the next
 * cycle writes again.  Said when it starts failing, then rate-limited,
 * and when it works again. */
static void state_write_file(struct mon *m, const struct gd_state *st)
{
	unsigned suppressed = 0;

	if (gd_state_write(m->state_path, st) == 0) {
		if (m->state_failing)
			log_notice("%s: written again", m->state_path);
		m->state_failing = false;
		return;
	}
	if (gd_ratelimit(&m->rl_state, time(NULL), &suppressed) ||
	    !m->state_failing)
		log_err("%s: %s; the previous one stays (%u more failures "
			"not logged)", m->state_path, strerror(errno),
			suppressed);
	m->state_failing = true;
}

static void state_write(struct mon *m, bool render)
{
	struct gd_state st = { .generated = time(NULL), .nagents = 0 };
	bool *shallow = calloc(m->nagents, sizeof *shallow);

	st.agents = calloc(m->nagents, sizeof *st.agents);
	for (size_t i = 0; st.agents && shallow && i < m->nagents; i++)
		if (shown_agent(&m->agents[i], &st.agents[st.nagents],
				&shallow[st.nagents]) == 0)
			st.nagents++;
	if (st.agents == NULL || shallow == NULL)
		log_err("%s: out of memory", m->state_path);
	else
		state_write_file(m, &st);
	for (size_t i = 0; i < st.nagents; i++)
		if (shallow[i])
			diff_unknown_free(&st.agents[i]);
	free(st.agents);
	free(shallow);
	if (render && m->render != NULL)
		rchild_request(m->render);
}

static void state_write_cb(struct ev_loop *loop, void *arg)
{
	(void)loop;
	state_write(arg, true);
}

/* Several agents finishing in one loop iteration make one write. */
static void state_changed(struct mon *m)
{
	if (!ev_timer_active(&m->write))
		ev_timer_start(m->loop, &m->write, ev_now(m->loop));
}

/* Objects of the last state.xml, so that transitions across a restart
 * are seen.  An agent saved while unreachable has only unknowns: it is
 * not used (but its unreachability is). */
static void restore_state(struct mon *m)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;

	if (access(m->state_path, F_OK) < 0)
		return;		/* the first start */
	if (gd_state_read(m->state_path, NULL, &st, &errs) < 0) {
		gd_errlist_log(&errs, LOG_WARNING);
		log_warn("%s: not read; transitions start afresh",
			 m->state_path);
		gd_errlist_clear(&errs);
		return;
	}
	for (size_t i = 0; i < st->nagents; i++) {
		struct gd_state_agent *s = &st->agents[i];

		for (size_t j = 0; j < m->nagents; j++) {
			struct mon_agent *a = &m->agents[j];

			if (a->have_known || strcmp(s->peer, a->peer) != 0)
				continue;
			a->reachable = s->reachable;
			a->seen_before = true;
			if (!s->reachable)
				break;
			a->known = *s;	/* moves: the copy in st is zeroed */
			memset(s, 0, sizeof *s);
			a->have_known = true;
			break;
		}
	}
	gd_state_free(st);
	gd_errlist_clear(&errs);
}

/* --- cycles ------------------------------------------------------------- */

static void start_cycle(struct mon_agent *a)
{
	ev_timer_stop(a->m->loop, &a->next);
	a->repoll = false;
	a->cycle_start = ev_now(a->m->loop);
	/* a failure to send is delivered through poll_done as well */
	poll_agent_start(a->pa);
}

static void next_cb(struct ev_loop *loop, void *arg)
{
	(void)loop;
	start_cycle(arg);
}

static double backoff(const struct mon_agent *a, double interval)
{
	unsigned shift = a->fails > 4 ? 3 : a->fails - 1;
	double d = interval * (double)(1u << shift);
	double cap = interval > MAX_BACKOFF_S ? interval : MAX_BACKOFF_S;

	return d < cap ? d : cap;
}

static void schedule(struct mon_agent *a)
{
	struct mon *m = a->m;
	uint64_t when;

	if (a->repoll) {
		start_cycle(a);
		return;
	}
	if (a->fails == 0)	/* the interval runs from the cycle's start */
		when = a->cycle_start +
		       (uint64_t)(m->o->interval * (double)EV_NS_PER_SEC);
	else
		when = ev_now(m->loop) +
		       (uint64_t)(backoff(a, m->o->interval) * EV_NS_PER_SEC);
	ev_timer_start(m->loop, &a->next, when);
}

static void cycle_ok(struct mon_agent *a, struct poll_result *res)
{
	struct diff_events ev = { NULL, 0, 0 };
	double now = now_epoch();

	if (!a->reachable && a->polled)
		log_notice("%s answers again after %.0f s", a->peer,
			   now - a->down_since);
	if (!a->reachable && (a->polled || a->seen_before))
		diff_event_add(&ev, now, GD_SRC_POLL, GD_EV_AGENT, a->peer,
			       "unknown", "up", a->peer, "answers again");
	if (a->have_known &&
	    diff_agents(&a->known, res->agent, now, &ev) < 0)
		log_err("%s: out of memory comparing polls", a->peer);
	journal_write(a->m, &ev);
	diff_events_clear(&ev);
	if (a->have_known)
		gd_state_agent_clear(&a->known);
	a->known = *res->agent;		/* the model moves into known */
	free(res->agent);
	res->agent = NULL;
	a->have_known = true;
	a->reachable = true;
	a->fails = 0;
	rrd_record(a->m, &a->known, false, (time_t)now);
}

static void cycle_failed(struct mon_agent *a, const struct poll_result *res)
{
	unsigned suppressed = 0;

	snprintf(a->error, sizeof a->error, "%s", res->error);
	a->fails++;
	if (a->reachable || !a->polled) {
		a->down_since = now_epoch();
		log_warn("%s: %s; its objects are unknown, retrying with "
			 "backoff", a->peer, res->error);
		/* the reminders start REMIND_S from now */
		gd_ratelimit(&a->rl, time(NULL), &suppressed);
		if (a->reachable)
			journal_agent(a, "up", "unknown", res->error);
	} else if (gd_ratelimit(&a->rl, time(NULL), &suppressed)) {
		log_info("%s: still not answering (%u attempts): %s", a->peer,
			 a->fails, res->error);
	}
	a->reachable = false;
	if (a->have_known)
		rrd_record(a->m, &a->known, true, time(NULL));
}

static void log_counts(struct mon_agent *a, const struct poll_result *r)
{
	const struct poll_counts *c = &r->counts;
	const struct gd_state_agent *g = r->agent;
	unsigned suppressed;

	if (c->wrong_type + c->bad_index + c->out_of_order + c->no_name > 0 &&
	    gd_ratelimit(&a->rl_values, time(NULL), &suppressed))
		log_warn("%s: %zu wrong types, %zu bad indexes, %zu out of "
			 "order, %zu rows without a name; last: %s", a->peer,
			 c->wrong_type, c->bad_index, c->out_of_order,
			 c->no_name, c->last_problem);
	if (g != NULL)
		/* one line per cycle: with --once it is what the run did */
		gd_log(a->m->o->once ? LOG_INFO : LOG_DEBUG,
		       "%s: cycle done in %.3f s: %zu servers, %zu groups, "
		       "%zu services; %zu requests, %zu varbinds, %zu "
		       "incomplete rows", a->peer, r->seconds, g->nservers,
		       g->ngroups, g->nservices, c->requests, c->varbinds,
		       c->incomplete);
}

static void once_check(struct mon *m);

static void poll_done(void *arg, struct poll_agent *pa,
		      struct poll_result *res)
{
	struct mon_agent *a = arg;

	(void)pa;
	a->last_poll = time(NULL);
	log_counts(a, res);
	if (res->ok)
		cycle_ok(a, res);
	else
		cycle_failed(a, res);
	a->polled = true;
	state_changed(a->m);
	if (a->m->o->once) {
		a->m->once_left--;
		once_check(a->m);
		return;
	}
	schedule(a);
}

/* --- notifications ------------------------------------------------------ */

static bool same_host(const struct sockaddr_storage *x,
		      const struct sockaddr_storage *y)
{
	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET)
		return ((const struct sockaddr_in *)x)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)y)->sin_addr.s_addr;
	if (x->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
			      &((const struct sockaddr_in6 *)y)->sin6_addr,
			      sizeof(struct in6_addr)) == 0;
	return false;
}

static bool sent_by(const struct mon_agent *a, const struct trap_event *ev)
{
	struct sockaddr_storage ss;
	const unsigned char *eid;
	size_t len;

	if (ev->engine_id_len > 0) {
		eid = poll_agent_engine_id(a->pa, &len);
		return eid != NULL && len == ev->engine_id_len &&
		       memcmp(eid, ev->engine_id, len) == 0;
	}
	return poll_agent_addr(a->pa, &ss) && same_host(&ss, &ev->from);
}

static void repoll(struct mon_agent *a)
{
	if (poll_agent_busy(a->pa))
		a->repoll = true;	/* one more right after this one */
	else
		start_cycle(a);
}

static void on_trap(void *arg, const struct trap_event *ev)
{
	struct mon *m = arg;
	struct diff_events rec = { NULL, 0, 0 };
	const char *agent = ev->from_text;
	size_t matched = 0;
	unsigned suppressed;

	for (size_t i = 0; i < m->nagents; i++) {
		if (!sent_by(&m->agents[i], ev))
			continue;
		if (matched++ == 0)
			agent = m->agents[i].peer;
		repoll(&m->agents[i]);
	}
	if (diff_event_add(&rec, ev->time, GD_SRC_NOTIFICATION,
			   GD_EV_NOTIFICATION, ev->object, "-", ev->name,
			   agent, ev->detail) == 0)
		journal_write(m, &rec);
	diff_events_clear(&rec);
	log_info("%s %s from %s: %s", ev->name, ev->object, agent, ev->detail);
	if (matched == 0) {
		if (gd_ratelimit(&m->rl_nomatch, time(NULL), &suppressed))
			log_notice("notification from %s matches no polled "
				   "agent", ev->from_text);
		if (m->render != NULL)
			rchild_request(m->render);
	}
}

/* --- --once ------------------------------------------------------------- */

static void once_finish(struct mon *m)
{
	size_t ok = 0;

	if (m->once_done)
		return;
	m->once_done = true;
	for (size_t i = 0; i < m->nagents; i++)
		ok += m->agents[i].reachable;
	m->status = 0;
	if (ok == 0) {
		fprintf(stderr, "greendot-monitor: no agent could be polled:");
		for (size_t i = 0; i < m->nagents; i++)
			fprintf(stderr, "%s %s: %s", i ? ";" : "",
				m->agents[i].peer, m->agents[i].error);
		fprintf(stderr, "\n");
		m->status = 1;
	}
	ev_loop_break(m->loop);
}

static void once_check(struct mon *m)
{
	if (m->once_left > 0)
		return;
	if (!m->once_rendering) {
		/* write now: the coalescing timer would come too late */
		ev_timer_stop(m->loop, &m->write);
		m->once_rendering = true;
		state_write(m, true);	/* starts the render, if any */
	}
	if (m->render == NULL || rchild_idle(m->render))
		once_finish(m);
}

static void render_idle(void *arg)
{
	struct mon *m = arg;

	if (m->o->once && m->once_rendering)
		once_finish(m);
}

/* --- the loop ----------------------------------------------------------- */

static int prepare(struct ev_loop *loop, void *arg)
{
	struct mon *m = arg;
	int ms = m->trap != NULL ? trap_prepare(m->trap) : -1;

	(void)loop;
	for (size_t i = 0; i < m->nagents; i++) {
		int t = poll_prepare(m->agents[i].pa);

		if (t >= 0 && (ms < 0 || t < ms))
			ms = t;
	}
	return ms;
}

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	(void)arg;
	if (signo == SIGHUP) {
		gd_log_reopen();
		log_info("SIGHUP: log reopened");
		return;
	}
	log_info("signal %d: exiting", signo);
	ev_loop_break(loop);
}

static int setup_signals(struct mon *m)
{
	signal(SIGPIPE, SIG_IGN);	/* rrdcached's socket may close */
	return ev_signal_add(m->loop, SIGTERM, on_signal, m) |
	       ev_signal_add(m->loop, SIGINT, on_signal, m) |
	       ev_signal_add(m->loop, SIGHUP, on_signal, m);
}

static int setup_agents(struct mon *m)
{
	m->agents = calloc(m->o->nagents, sizeof *m->agents);
	if (m->agents == NULL)
		return -1;
	for (size_t i = 0; i < m->o->nagents; i++) {
		struct mon_agent *a = &m->agents[i];

		a->m = m;
		a->peer = m->o->agents[i];
		a->rl = (struct gd_ratelimit)GD_RATELIMIT_INIT(REMIND_S, 1);
		a->rl_values = (struct gd_ratelimit)GD_RATELIMIT_INIT(REMIND_S, 1);
		snprintf(a->error, sizeof a->error, "not polled");
		ev_timer_init(&a->next, next_cb, a);
		a->pa = poll_agent_new(m->loop, m->o->session, a->peer,
				       m->o->inflight, poll_done, a);
		if (a->pa == NULL)
			return -1;
		m->nagents++;
	}
	return 0;
}

/* Removes from dir the names holding `infix` (temporary files of an
 * atomic write: afile.h, rrdw.c).  Returns how many went. */
static size_t sweep_dir(const char *dir, const char *infix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, infix) != NULL &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}

/*
 * A run killed mid-write (SIGKILL, a crash) leaves its temporary files:
 * the target is intact, the temporary is garbage.  Only one monitor
 * writes DATA (the journal's lock is held when this runs), so every
 * such file is a leftover.
 */
static void sweep_temps(const char *data)
{
	static const char *const kinds[] = GD_RRD_KIND_DIRS;
	char dir[PATH_MAX];
	size_t n = sweep_dir(data, "state.xml.tmp.");

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(dir, sizeof dir, "%s/rrd/%s", data, kinds[i]);
		n += sweep_dir(dir, ".rrd.tmp.");
	}
	if (n > 0)
		log_notice("%s: removed %zu temporary file(s) an interrupted "
			   "run left", data, n);
}

static int setup_files(struct mon *m)
{
	char *jpath = data_path(m->o->data, "journal");
	int rc = -1;

	m->state_path = data_path(m->o->data, "state.xml");
	if (jpath == NULL || m->state_path == NULL)
		goto out;
	if (gd_mkdir_p(m->o->data, 0755) < 0) {
		log_err("--data %s: %s", m->o->data, strerror(errno));
		goto out;
	}
	if (gd_journal_open(jpath, &m->journal) < 0) {
		log_err("%s: %s", jpath, errno == EWOULDBLOCK ?
			"in use by another greendot-monitor" : strerror(errno));
		goto out;
	}
	sweep_temps(m->o->data);
	m->rrdw = gd_rrdw_new(m->o->data, m->o->rrdcached);
	rc = m->rrdw != NULL ? 0 : -1;
out:
	free(jpath);
	return rc;
}

static int setup_extras(struct mon *m)
{
	const struct mon_opts *o = m->o;

	/* the renderer reads the RRDs: it must ask the same rrdcached to
	 * flush them first, and librrd learns of it from the environment */
	if (o->render_to != NULL && o->rrdcached != NULL)
		setenv("RRDCACHED_ADDRESS", o->rrdcached, 1);
	if (o->render_to != NULL &&
	    (m->render = rchild_new(m->loop, o->data, o->render_to, o->news,
				    render_idle, m)) == NULL)
		return -1;
	return 0;
}

/* The notification port may be below 1024: bound first, as root; then
 * --user, and every file is the user's. */
static int setup_trap_user(struct mon *m)
{
	const struct mon_opts *o = m->o;
	struct gd_user u;

	if (o->trap_listen != NULL && !o->once &&
	    (m->trap = trap_listen(m->loop, o->trap_listen, o->trap_community,
				   on_trap, m)) == NULL)
		return -1;
	if (o->user == NULL)
		return 0;
	if (gd_priv_lookup(o->user, &u) < 0) {
		log_err("--user %s: %s", o->user, gd_priv_strerror(errno));
		return -1;
	}
	return gd_priv_drop(&u);
}

struct mon *mon_new(struct ev_loop *loop, const struct mon_opts *o)
{
	struct mon *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->loop = loop;
	m->o = o;
	m->status = 1;
	m->rl_journal = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 1);
	m->rl_nomatch = (struct gd_ratelimit)GD_RATELIMIT_INIT(600, 3);
	m->rl_state = (struct gd_ratelimit)GD_RATELIMIT_INIT(60, 1);
	ev_timer_init(&m->write, state_write_cb, m);
	if (setup_trap_user(m) < 0 || setup_files(m) < 0 ||
	    setup_agents(m) < 0 || setup_extras(m) < 0 ||
	    setup_signals(m) < 0) {
		mon_free(m);
		return NULL;
	}
	restore_state(m);
	ev_set_prepare(loop, prepare, m);
	return m;
}

/* What the listener saw in the whole run, for the log at exit. */
static void log_trap_stats(const struct trap_listener *l)
{
	struct trap_stats st;

	trap_get_stats(l, &st);
	log_info("notifications: received %lu, accepted %lu, refused %lu, "
		 "unknown %lu, malformed %lu, dropped %lu", st.received,
		 st.accepted, st.refused, st.unknown, st.malformed,
		 st.garbled);
}

int mon_run(struct mon *m)
{
	m->once_left = m->nagents;
	log_info("polling %zu agent(s)%s", m->nagents,
		 m->o->once ? " once" : "");
	for (size_t i = 0; i < m->nagents; i++)
		start_cycle(&m->agents[i]);
	if (ev_loop_run(m->loop) < 0) {
		log_err("event loop: %s", strerror(errno));
		return 1;
	}
	if (m->trap != NULL)
		log_trap_stats(m->trap);
	if (!m->o->once) {
		ev_timer_stop(m->loop, &m->write);
		state_write(m, false);
		m->status = 0;
	}
	return m->status;
}

void mon_free(struct mon *m)
{
	if (m == NULL)
		return;
	ev_set_prepare(m->loop, NULL, NULL);
	ev_timer_stop(m->loop, &m->write);
	trap_close(m->trap);
	for (size_t i = 0; i < m->nagents; i++) {
		ev_timer_stop(m->loop, &m->agents[i].next);
		poll_agent_free(m->agents[i].pa);
		if (m->agents[i].have_known)
			gd_state_agent_clear(&m->agents[i].known);
	}
	free(m->agents);
	rchild_free(m->render);
	gd_rrdw_free(m->rrdw);
	if (m->journal != NULL)
		journal_flush(m);
	if (m->jpending.n > 0)
		log_err("journal: %zu record(s) not written at exit",
			m->jpending.n);
	diff_events_clear(&m->jpending);
	gd_journal_close(m->journal);
	free(m->state_path);
	free(m);
}
