/*
 * model.c — runtime state, hysteresis and status derivation; see model.h.
 */
#include "model.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* --- events ------------------------------------------------------------ */

static void events_push(struct model *m, enum gd_notification kind,
		    const struct model_server *s, const struct model_group *g,
		    const struct model_service *svc)
{
	if (m->nevq == m->evq_cap) {
		size_t cap = m->evq_cap ? m->evq_cap * 2 : 16;
		struct model_event *p = realloc(m->evq, cap * sizeof *p);

		if (p == NULL) {
			log_err("model: out of memory, notification lost");
			return;
		}
		m->evq = p;
		m->evq_cap = cap;
	}
	m->evq[m->nevq++] = (struct model_event){ kind, s, g, svc };
}

/* Reports the events of the operation that just ended, in order. */
static void events_flush(struct model *m)
{
	for (size_t i = 0; i < m->nevq; i++)
		if (m->cb != NULL)
			m->cb(m->cb_arg, &m->evq[i]);
	m->nevq = 0;
}

/* --- derivation -------------------------------------------------------- */

static void group_account(struct model_group *g, const struct model_server *s,
			  int sign)
{
	unsigned *c;

	if (s->admin != GD_ADMIN_ACTIVE)
		return;
	if (s->st.oper == GD_OPER_UP)
		c = &g->counts.up;
	else if (s->st.oper == GD_OPER_DOWN)
		c = &g->counts.down;
	else
		c = &g->counts.unknown;
	*c = sign > 0 ? *c + 1 : *c - 1;
}

/* Each need's truth, and whether every group a need names is up. */
static enum gd_status service_derive(struct model *m,
				     const struct gd_service *cfg)
{
	bool all_up = true;

	for (size_t i = 0; i < cfg->nneeds; i++) {
		const struct gd_need *n = &cfg->needs[i];

		for (size_t j = 0; j < n->ngroups; j++) {
			m->gbuf[j] = m->groups[n->groups[j]].st.status;
			all_up = all_up && m->gbuf[j] == GD_STATUS_UP;
		}
		m->tbuf[i] = gd_need_truth(m->gbuf, n->ngroups);
	}
	return gd_service_status(m->tbuf, cfg->nneeds, all_up);
}

static void service_update(struct model *m, struct model_service *svc,
			   time_t now)
{
	enum gd_status old = svc->st.status;
	enum gd_status new = service_derive(m, svc->cfg);

	if (new == old)
		return;
	svc->st.status = new;
	svc->st.last_change = now;
	m->changes++;
	if (new == GD_STATUS_DOWN)
		events_push(m, GD_NOTIFY_SERVICE_DOWN, NULL, NULL, svc);
	else if (old == GD_STATUS_DOWN && gd_status_serving(new))
		events_push(m, GD_NOTIFY_SERVICE_UP, NULL, NULL, svc);
}

/* failed: the active member that just went from up to down, or NULL. */
static void group_update(struct model *m, struct model_group *g, time_t now,
			 const struct model_server *failed)
{
	enum gd_status old = g->st.status;
	enum gd_status new = gd_group_status(&g->counts);

	if (new != old) {
		g->st.status = new;
		g->st.last_change = now;
		m->changes++;
	}
	if (failed != NULL && gd_status_serving(new))
		events_push(m, GD_NOTIFY_GROUP_FAILOVER, failed, g, NULL);
	else if (new == GD_STATUS_DOWN && old != GD_STATUS_DOWN)
		events_push(m, GD_NOTIFY_GROUP_DOWN, NULL, g, NULL);
	else if (old == GD_STATUS_DOWN && gd_status_serving(new))
		events_push(m, GD_NOTIFY_GROUP_UP, NULL, g, NULL);
	if (new == old)
		return;
	for (size_t i = 0; i < g->nservices; i++)
		service_update(m, &m->services[g->services[i]], now);
}

static void server_set_oper(struct model *m, struct model_server *s,
			    enum gd_oper new, time_t now)
{
	enum gd_oper old = s->st.oper;
	bool active = s->admin == GD_ADMIN_ACTIVE;

	group_account(s->group, s, -1);
	s->st.oper = new;
	group_account(s->group, s, +1);
	s->st.last_change = now;
	s->st.up_since = new == GD_OPER_UP ? now : 0;
	m->changes++;
	if (active && new == GD_OPER_DOWN)
		events_push(m, GD_NOTIFY_SERVER_DOWN, s, s->group, NULL);
	else if (active && new == GD_OPER_UP && old == GD_OPER_DOWN)
		events_push(m, GD_NOTIFY_SERVER_UP, s, s->group, NULL);
	group_update(m, s->group, now,
		     active && old == GD_OPER_UP && new == GD_OPER_DOWN ? s
									 : NULL);
}

/* Rise/fall: rise successes in a row bring a server up, fall failures
 * take it down; a heartbeat's verdict counts at once. */
static void server_judge(struct model *m, struct model_server *s, bool ok,
			 time_t now)
{
	bool hb = s->cfg->probe == GD_PROBE_HEARTBEAT;
	unsigned rise = hb || s->cfg->check.rise == 0 ? 1 : s->cfg->check.rise;
	unsigned fall = hb || s->cfg->check.fall == 0 ? 1 : s->cfg->check.fall;

	if (ok) {
		s->fail_run = 0;
		if (s->ok_run < UINT_MAX)
			s->ok_run++;
		if (s->st.oper != GD_OPER_UP && s->ok_run >= rise)
			server_set_oper(m, s, GD_OPER_UP, now);
	} else {
		s->ok_run = 0;
		if (s->fail_run < UINT_MAX)
			s->fail_run++;
		if (s->st.oper != GD_OPER_DOWN && s->fail_run >= fall)
			server_set_oper(m, s, GD_OPER_DOWN, now);
	}
}

static void set_error(struct model_server *s, const char *error)
{
	if (error != NULL && error[0] != '\0')
		snprintf(s->st.last_error, sizeof s->st.last_error, "%s",
			 error);
}

void model_probe_result(struct model *m, size_t server, bool ok,
			uint32_t latency_us, const char *error, time_t now)
{
	struct model_server *s;

	if (server >= m->nservers)
		return;
	s = &m->servers[server];
	/* a heartbeat server's checks are the heartbeats (model_heartbeat);
	 * its ticks only say whether the last one is recent enough */
	if (s->cfg->probe != GD_PROBE_HEARTBEAT) {
		s->st.checks++;
		if (ok)
			s->st.latency_us = latency_us;
		else
			s->st.failures++;
	}
	if (!ok)
		set_error(s, error);
	server_judge(m, s, ok, now);
	events_flush(m);
}

void model_heartbeat(struct model *m, size_t server, unsigned status,
		     time_t now)
{
	struct model_server *s;
	char msg[64];

	if (server >= m->nservers)
		return;
	s = &m->servers[server];
	s->st.checks++;
	s->st.hb_when = now;
	s->st.hb_status = status;
	m->changes++;
	if (status != 0) {
		s->st.failures++;
		snprintf(msg, sizeof msg, "job failed with exit status %u",
			 status);
		set_error(s, msg);
	}
	server_judge(m, s, status == 0, now);
	events_flush(m);
}

void model_set_admin(struct model *m, size_t server, enum gd_admin admin,
		     time_t now)
{
	struct model_server *s;

	if (server >= m->nservers)
		return;
	s = &m->servers[server];
	s->st.admin_set = true;
	s->st.admin_override = admin;
	s->st.admin_cfg_at_set = s->cfg->admin;
	m->changes++;
	if (s->admin == admin)
		return;
	group_account(s->group, s, -1);
	s->admin = admin;
	group_account(s->group, s, +1);
	group_update(m, s->group, now, NULL);
	events_flush(m);
}

uint32_t model_uptime(const struct model_server *s, time_t now)
{
	if (s->st.oper != GD_OPER_UP || s->st.up_since == 0 ||
	    now <= s->st.up_since)
		return 0;
	if (now - s->st.up_since >= (time_t)UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - s->st.up_since);
}

uint32_t model_heartbeat_age(const struct model_server *s, time_t now)
{
	if (s->cfg->probe != GD_PROBE_HEARTBEAT || s->st.hb_when == 0)
		return GD_HEARTBEAT_NONE;
	if (now <= s->st.hb_when)
		return 0;
	if (now - s->st.hb_when >= (time_t)GD_HEARTBEAT_NONE)
		return GD_HEARTBEAT_NONE - 1;
	return (uint32_t)(now - s->st.hb_when);
}

/* --- loading a config ---------------------------------------------------- */

struct model *model_new(model_event_cb cb, void *arg)
{
	struct model *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	for (int k = 0; k < MODEL_KINDS; k++)
		m->next[k] = 1;
	m->cb = cb;
	m->cb_arg = arg;
	return m;
}

static void free_arrays(struct model_area *a, struct model_group *g,
			size_t ng, struct model_server *s,
			struct model_service *svc)
{
	for (size_t i = 0; g != NULL && i < ng; i++)
		free(g[i].services);
	free(a);
	free(g);
	free(s);
	free(svc);
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	free_arrays(m->areas, m->groups, m->ngroups, m->servers, m->services);
	free(m->evq);
	free(m->gbuf);
	free(m->tbuf);
	free(m);
}

uint32_t model_saved_index(enum model_kind k, const struct model_saved_rec *r)
{
	if (k == MODEL_AREA)
		return r->u.index;
	if (k == MODEL_SERVER)
		return r->u.srv.index;
	return r->u.status.index;
}

/* Indexes of a state file are taken, and so are those below its next. */
static void reserve_saved(struct model *m, const struct model_saved *sv)
{
	for (int k = 0; k < MODEL_KINDS; k++) {
		/* astate_load refuses larger ones; a caller that did not
		 * read a file must not wrap the counters either */
		if (sv->next[k] > m->next[k] && sv->next[k] <= MODEL_INDEX_MAX + 1)
			m->next[k] = sv->next[k];
		for (size_t i = 0; i < sv->n[k]; i++) {
			uint32_t x = model_saved_index((enum model_kind)k, &sv->v[k][i]);

			if (x >= m->next[k] && x <= MODEL_INDEX_MAX)
				m->next[k] = x + 1;
		}
	}
}

/* The loading of one config: new arrays built beside the current ones. */
struct load {
	struct model *m;
	enum gd_status *gbuf;
	enum gd_truth *tbuf;
	const struct gd_config *cfg;
	const struct model_saved *saved;
	struct model_area *areas;
	struct model_group *groups;
	struct model_server *servers;
	struct model_service *services;
};

/* The previous object with that id: position in the current arrays. */
static long old_pos(const struct model *m, enum model_kind k, const char *id)
{
	if (m->cfg == NULL)
		return -1;
	switch (k) {
	case MODEL_AREA:
		return gd_config_find_area(m->cfg, id);
	case MODEL_GROUP:
		return gd_config_find_group(m->cfg, id);
	case MODEL_SERVER:
		return gd_config_find_server(m->cfg, id);
	default:
		return gd_config_find_service(m->cfg, id);
	}
}

static const struct model_saved_rec *saved_rec(const struct load *l,
					       enum model_kind k,
					       const char *id)
{
	return l->saved ? model_saved_find(l->saved, k, id) : NULL;
}

static void load_area(struct load *l, size_t i)
{
	const struct gd_area *a = &l->cfg->areas[i];
	long o = old_pos(l->m, MODEL_AREA, a->id);
	const struct model_saved_rec *r = saved_rec(l, MODEL_AREA, a->id);

	l->areas[i].cfg = a;
	if (o >= 0)
		l->areas[i].index = l->m->areas[o].index;
	else if (r != NULL)
		l->areas[i].index = r->u.index;
	else
		l->areas[i].index = l->m->next[MODEL_AREA]++;
}

static void load_status(struct load *l, enum model_kind k, const char *id,
			const struct model_status_state *old,
			struct model_status_state *st)
{
	const struct model_saved_rec *r = saved_rec(l, k, id);

	if (old != NULL)
		*st = *old;
	else if (r != NULL)
		*st = r->u.status;
	else
		*st = (struct model_status_state){ l->m->next[k]++,
						   GD_STATUS_UNKNOWN, 0 };
}

static void load_group(struct load *l, size_t i)
{
	const struct gd_group *g = &l->cfg->groups[i];
	long o = old_pos(l->m, MODEL_GROUP, g->id);

	l->groups[i].cfg = g;
	load_status(l, MODEL_GROUP, g->id, o >= 0 ? &l->m->groups[o].st : NULL,
		    &l->groups[i].st);
}

static void load_service(struct load *l, size_t i)
{
	const struct gd_service *s = &l->cfg->services[i];
	long o = old_pos(l->m, MODEL_SERVICE, s->id);

	l->services[i].cfg = s;
	load_status(l, MODEL_SERVICE, s->id,
		    o >= 0 ? &l->m->services[o].st : NULL,
		    &l->services[i].st);
}

/* The override holds while the config says what it said at the SET. */
static enum gd_admin admin_in_effect(struct model_server *s)
{
	if (s->st.admin_set && s->st.admin_cfg_at_set != s->cfg->admin)
		s->st.admin_set = false;
	return s->st.admin_set ? s->st.admin_override : s->cfg->admin;
}

static void load_server(struct load *l, size_t i)
{
	const struct gd_server *c = &l->cfg->servers[i];
	struct model_server *s = &l->servers[i];
	long o = old_pos(l->m, MODEL_SERVER, c->id);
	const struct model_saved_rec *r = saved_rec(l, MODEL_SERVER, c->id);

	s->cfg = c;
	s->group = &l->groups[c->group];
	if (o >= 0) {
		s->st = l->m->servers[o].st;
		s->ok_run = l->m->servers[o].ok_run;
		s->fail_run = l->m->servers[o].fail_run;
	} else if (r != NULL) {
		s->st = r->u.srv;
	} else {
		s->st.index = l->m->next[MODEL_SERVER]++;
		s->st.oper = GD_OPER_UNKNOWN;
	}
	if (c->probe != GD_PROBE_HEARTBEAT)
		s->st.hb_when = 0;
	s->admin = admin_in_effect(s);
	group_account(s->group, s, +1);
}

/* group -> services that need it, each service once per group */
static int link_services(struct load *l)
{
	for (size_t i = 0; i < l->cfg->nservices; i++) {
		const struct gd_service *svc = &l->cfg->services[i];

		for (size_t n = 0; n < svc->nneeds; n++)
			for (size_t j = 0; j < svc->needs[n].ngroups; j++) {
				struct model_group *g =
					&l->groups[svc->needs[n].groups[j]];
				size_t *p;

				if (g->nservices > 0 &&
				    g->services[g->nservices - 1] == i)
					continue;
				p = realloc(g->services,
					    (g->nservices + 1) * sizeof *p);
				if (p == NULL)
					return -1;
				p[g->nservices++] = i;
				g->services = p;
			}
	}
	return 0;
}

static void scratch_sizes(const struct gd_config *c, size_t *ng,
			  size_t *nn)
{
	*ng = *nn = 1;
	for (size_t i = 0; i < c->nservices; i++) {
		if (c->services[i].nneeds > *nn)
			*nn = c->services[i].nneeds;
		for (size_t j = 0; j < c->services[i].nneeds; j++)
			if (c->services[i].needs[j].ngroups > *ng)
				*ng = c->services[i].needs[j].ngroups;
	}
}

static int load_alloc(struct load *l)
{
	const struct gd_config *c = l->cfg;
	size_t ng, nn;

	scratch_sizes(c, &ng, &nn);
	l->gbuf = calloc(ng, sizeof *l->gbuf);
	l->tbuf = calloc(nn, sizeof *l->tbuf);
	if (l->gbuf == NULL || l->tbuf == NULL)
		return -1;

	l->areas = calloc(c->nareas + 1, sizeof *l->areas);
	l->groups = calloc(c->ngroups + 1, sizeof *l->groups);
	l->servers = calloc(c->nservers + 1, sizeof *l->servers);
	l->services = calloc(c->nservices + 1, sizeof *l->services);
	return l->areas && l->groups && l->servers && l->services ? 0 : -1;
}

static void load_swap(struct load *l)
{
	struct model *m = l->m;

	free_arrays(m->areas, m->groups, m->ngroups, m->servers, m->services);
	free(m->gbuf);
	free(m->tbuf);
	m->gbuf = l->gbuf;
	m->tbuf = l->tbuf;
	m->cfg = l->cfg;
	m->areas = l->areas;
	m->groups = l->groups;
	m->servers = l->servers;
	m->services = l->services;
	m->nareas = l->cfg->nareas;
	m->ngroups = l->cfg->ngroups;
	m->nservers = l->cfg->nservers;
	m->nservices = l->cfg->nservices;
}

/* Groups first, then services: a change is reported as at run time. */
static void derive_all(struct model *m, time_t now)
{
	for (size_t i = 0; i < m->ngroups; i++)
		group_update(m, &m->groups[i], now, NULL);
	for (size_t i = 0; i < m->nservices; i++)
		service_update(m, &m->services[i], now);
}

int model_set_config(struct model *m, const struct gd_config *cfg,
		     const struct model_saved *saved, time_t now)
{
	struct load l = { .m = m, .cfg = cfg, .saved = saved };

	if (load_alloc(&l) < 0 || link_services(&l) < 0) {
		free_arrays(l.areas, l.groups, cfg->ngroups, l.servers,
			    l.services);
		free(l.gbuf);
		free(l.tbuf);
		return -1;
	}
	if (saved != NULL)
		reserve_saved(m, saved);
	for (size_t i = 0; i < cfg->nareas; i++)
		load_area(&l, i);
	for (size_t i = 0; i < cfg->ngroups; i++)
		load_group(&l, i);
	for (size_t i = 0; i < cfg->nservices; i++)
		load_service(&l, i);
	for (size_t i = 0; i < cfg->nservers; i++)
		load_server(&l, i);
	load_swap(&l);
	m->changes++;
	derive_all(m, now);
	events_flush(m);
	return 0;
}

/* --- saved state ---------------------------------------------------------- */

struct model_saved_rec *model_saved_add(struct model_saved *sv,
					enum model_kind k, const char *id)
{
	struct model_saved_rec *r;

	if (strlen(id) > GD_ID_MAX)
		return NULL;
	if (sv->n[k] == sv->cap[k]) {
		size_t cap = sv->cap[k] ? sv->cap[k] * 2 : 64;

		r = realloc(sv->v[k], cap * sizeof *r);
		if (r == NULL)
			return NULL;
		sv->v[k] = r;
		sv->cap[k] = cap;
	}
	r = &sv->v[k][sv->n[k]++];
	memset(r, 0, sizeof *r);
	strcpy(r->id, id);
	return r;
}

static int rec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct model_saved_rec *)a)->id,
		      ((const struct model_saved_rec *)b)->id);
}

void model_saved_sort(struct model_saved *sv)
{
	for (int k = 0; k < MODEL_KINDS; k++)
		if (sv->n[k] > 1)
			qsort(sv->v[k], sv->n[k], sizeof sv->v[k][0], rec_cmp);
}

const struct model_saved_rec *model_saved_find(const struct model_saved *sv,
					       enum model_kind k,
					       const char *id)
{
	struct model_saved_rec key;

	if (sv->n[k] == 0 || strlen(id) > GD_ID_MAX)
		return NULL;
	strcpy(key.id, id);
	return bsearch(&key, sv->v[k], sv->n[k], sizeof key, rec_cmp);
}

void model_saved_free(struct model_saved *sv)
{
	for (int k = 0; k < MODEL_KINDS; k++) {
		free(sv->v[k]);
		sv->v[k] = NULL;
		sv->n[k] = sv->cap[k] = 0;
	}
}
