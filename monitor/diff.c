/*
 * diff.c — transitions between two polls, and RRD samples; see diff.h.
 */
#include "diff.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* --- events ------------------------------------------------------------ */

void diff_events_clear(struct diff_events *ev)
{
	free(ev->v);
	ev->v = NULL;
	ev->n = ev->cap = 0;
}

int diff_event_add(struct diff_events *ev, double when,
		   enum gd_event_source src, enum gd_event_kind kind,
		   const char *id, const char *old_status,
		   const char *new_status, const char *agent,
		   const char *detail)
{
	struct gd_event *e;

	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 16;
		struct gd_event *v = realloc(ev->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		ev->v = v;
		ev->cap = cap;
	}
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof *e);
	e->time = when;
	e->source = src;
	e->kind = kind;
	/* the journal's fields are bounded: longer text is cut */
	snprintf(e->id, sizeof e->id, "%s", id ? id : "");
	snprintf(e->old_status, sizeof e->old_status, "%s", old_status);
	snprintf(e->new_status, sizeof e->new_status, "%s", new_status);
	snprintf(e->agent, sizeof e->agent, "%s", agent ? agent : "");
	snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
	return 0;
}

const char *diff_server_word(const struct gd_state_server *s)
{
	if (s->admin != GD_ADMIN_ACTIVE && gd_admin_name(s->admin) != NULL)
		return gd_admin_name(s->admin);
	return gd_oper_name(s->oper);
}

/* --- an id -> position map of the old objects ---------------------------- */

struct idmap {
	const void *base;	/* the old array */
	size_t size;		/* its element size; the id is the first field */
	uint32_t *slots;	/* position + 1, 0 empty */
	size_t nslots;
};

static const char *id_at(const struct idmap *m, size_t i)
{
	return *(char *const *)((const unsigned char *)m->base + i * m->size);
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static size_t idmap_slot(const struct idmap *m, const char *id)
{
	size_t mask = m->nslots - 1, s = hash_str(id) & mask;

	while (m->slots[s] != 0 && strcmp(id_at(m, m->slots[s] - 1), id) != 0)
		s = (s + 1) & mask;
	return s;
}

static int idmap_build(struct idmap *m, const void *base, size_t n,
		       size_t size)
{
	m->base = base;
	m->size = size;
	m->nslots = 16;
	while (m->nslots < 2 * n)
		m->nslots *= 2;
	m->slots = calloc(m->nslots, sizeof *m->slots);
	if (m->slots == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (id_at(m, i) != NULL)
			m->slots[idmap_slot(m, id_at(m, i))] = (uint32_t)i + 1;
	return 0;
}

/* The old object with that id, or NULL. */
static const void *idmap_find(const struct idmap *m, const char *id)
{
	size_t s = idmap_slot(m, id);

	if (m->slots[s] == 0)
		return NULL;
	return (const unsigned char *)m->base + (m->slots[s] - 1) * m->size;
}

/* --- transitions, kind by kind ----------------------------------------- */

struct diff_ctx {
	struct diff_events *out;
	double when;
	const char *agent;
};

static int changed(struct diff_ctx *c, enum gd_event_kind kind,
		   const char *id, const char *old_word, const char *new_word,
		   const char *detail)
{
	if (old_word == NULL || new_word == NULL ||
	    strcmp(old_word, new_word) == 0)
		return 0;
	return diff_event_add(c->out, c->when, GD_SRC_POLL, kind, id,
			      old_word, new_word, c->agent, detail);
}

static int diff_servers(struct diff_ctx *c, const struct gd_state_agent *o,
			const struct gd_state_agent *n)
{
	struct idmap m;
	int rc = 0;

	if (idmap_build(&m, o->servers, o->nservers, sizeof *o->servers) < 0)
		return -1;
	for (size_t i = 0; i < n->nservers && rc == 0; i++) {
		const struct gd_state_server *s = &n->servers[i];
		const struct gd_state_server *was = idmap_find(&m, s->id);

		if (was != NULL)
			rc = changed(c, GD_EV_SERVER, s->id,
				     diff_server_word(was),
				     diff_server_word(s),
				     s->oper == GD_OPER_DOWN ? s->last_error :
				     NULL);
	}
	free(m.slots);
	return rc;
}

static int diff_groups(struct diff_ctx *c, const struct gd_state_agent *o,
		       const struct gd_state_agent *n)
{
	struct idmap m;
	int rc = 0;

	if (idmap_build(&m, o->groups, o->ngroups, sizeof *o->groups) < 0)
		return -1;
	for (size_t i = 0; i < n->ngroups && rc == 0; i++) {
		const struct gd_state_group *g = &n->groups[i];
		const struct gd_state_group *was = idmap_find(&m, g->id);
		char detail[64];

		snprintf(detail, sizeof detail, "%u of %u active members up",
			 g->members_up, g->members_active);
		if (was != NULL)
			rc = changed(c, GD_EV_GROUP, g->id,
				     gd_status_name(was->status),
				     gd_status_name(g->status), detail);
	}
	free(m.slots);
	return rc;
}

static int diff_services(struct diff_ctx *c, const struct gd_state_agent *o,
			 const struct gd_state_agent *n)
{
	struct idmap m;
	int rc = 0;

	if (idmap_build(&m, o->services, o->nservices, sizeof *o->services) < 0)
		return -1;
	for (size_t i = 0; i < n->nservices && rc == 0; i++) {
		const struct gd_state_service *s = &n->services[i];
		const struct gd_state_service *was = idmap_find(&m, s->id);

		if (was != NULL)
			rc = changed(c, GD_EV_SERVICE, s->id,
				     gd_status_name(was->status),
				     gd_status_name(s->status), NULL);
	}
	free(m.slots);
	return rc;
}

int diff_agents(const struct gd_state_agent *old,
		const struct gd_state_agent *cur, double when,
		struct diff_events *out)
{
	struct diff_ctx c = { out, when, cur->peer };

	if (diff_servers(&c, old, cur) < 0 || diff_groups(&c, old, cur) < 0 ||
	    diff_services(&c, old, cur) < 0)
		return -1;
	return 0;
}

/* --- samples ------------------------------------------------------------ */

static double serving(enum gd_status s)
{
	if (s == GD_STATUS_UNKNOWN)
		return NAN;
	return gd_status_serving(s) ? 1 : 0;
}

void diff_server_sample(const struct gd_state_server *s, double v[2])
{
	bool up = s->oper == GD_OPER_UP;

	if (s->admin != GD_ADMIN_ACTIVE || s->oper == GD_OPER_UNKNOWN)
		v[0] = NAN;
	else
		v[0] = up ? 1 : 0;
	v[1] = up && s->latency_us > 0 ? s->latency_us / 1e6 : NAN;
}

void diff_group_sample(const struct gd_state_group *g, double v[2])
{
	v[0] = serving(g->status);
	v[1] = g->status == GD_STATUS_UNKNOWN ? NAN : (double)g->members_up;
}

void diff_service_sample(const struct gd_state_service *s, double v[1])
{
	v[0] = serving(s->status);
}

/* --- the agent while it does not answer --------------------------------- */

static void *dup_array(const void *p, size_t n, size_t size)
{
	void *q = malloc(n ? n * size : 1);

	if (q != NULL && n > 0)
		memcpy(q, p, n * size);
	return q;
}

int diff_unknown_copy(const struct gd_state_agent *known,
		      struct gd_state_agent *out)
{
	*out = *known;
	out->reachable = false;
	out->areas = dup_array(known->areas, known->nareas,
			       sizeof *known->areas);
	out->groups = dup_array(known->groups, known->ngroups,
				sizeof *known->groups);
	out->servers = dup_array(known->servers, known->nservers,
				 sizeof *known->servers);
	out->services = dup_array(known->services, known->nservices,
				  sizeof *known->services);
	if (!out->areas || !out->groups || !out->servers || !out->services) {
		diff_unknown_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->ngroups; i++)
		out->groups[i].status = GD_STATUS_UNKNOWN;
	for (size_t i = 0; i < out->nservers; i++)
		out->servers[i].oper = GD_OPER_UNKNOWN;
	for (size_t i = 0; i < out->nservices; i++)
		out->services[i].status = GD_STATUS_UNKNOWN;
	return 0;
}

void diff_unknown_free(struct gd_state_agent *a)
{
	free(a->areas);
	free(a->groups);
	free(a->servers);
	free(a->services);
	a->areas = NULL;
	a->groups = NULL;
	a->servers = NULL;
	a->services = NULL;
}
