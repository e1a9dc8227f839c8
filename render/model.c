/*
 * model.c — the merged view of state, availability and news; see model.h.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "status.h"

#define DEFAULT_TITLE "System Status"

const struct model_period_info model_periods[PERIOD_N] = {
	[PERIOD_DAY] = { "day", "24 h", "Last 24 hours", "last 24 hours",
			 86400, 60 },
	[PERIOD_WEEK] = { "week", "7 d", "Last 7 days", "last 7 days",
			  7 * 86400, 300 },
	[PERIOD_MONTH] = { "month", "30 d", "Last 30 days", "last 30 days",
			   30 * 86400, 3600 },
	[PERIOD_YEAR] = { "year", "1 y", "Last year", "last year",
			  365 * 86400, 86400 },
};

static const char *const show_words[SHOW_N] = {
	"up", "degraded", "down", "unknown", "maintenance", "standby",
};

static const char *const show_labels[SHOW_N] = {
	"Up", "Degraded", "Down", "Unknown", "Maintenance", "Standby",
};

const char *model_show_word(enum model_show s)
{
	return (unsigned)s < SHOW_N ? show_words[s] : "unknown";
}

const char *model_show_label(enum model_show s)
{
	return (unsigned)s < SHOW_N ? show_labels[s] : "Unknown";
}

static enum model_show show_of_status(enum gd_status s)
{
	switch (s) {
	case GD_STATUS_UP:
		return SHOW_UP;
	case GD_STATUS_DEGRADED:
		return SHOW_DEGRADED;
	case GD_STATUS_DOWN:
		return SHOW_DOWN;
	default:
		return SHOW_UNKNOWN;
	}
}

/* A server's dot: its admin status first (not active is not counted),
 * then what the probes say. */
static enum model_show show_of_server(const struct gd_state_server *s)
{
	if (s->admin == GD_ADMIN_MAINTENANCE)
		return SHOW_MAINTENANCE;
	if (s->admin == GD_ADMIN_STANDBY)
		return SHOW_STANDBY;
	if (s->oper == GD_OPER_UP)
		return SHOW_UP;
	return s->oper == GD_OPER_DOWN ? SHOW_DOWN : SHOW_UNKNOWN;
}

/* --- ids: first of an id wins; lookups by binary search -------------- */

struct idref {
	const char *id;
	size_t idx;
};

static int idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sorted refs of ids[0..n); NULL on out of memory (n > 0). */
static struct idref *ids_index(const char *const *ids, size_t n)
{
	struct idref *v = malloc((n ? n : 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct idref){ ids[i], i };
	qsort(v, n, sizeof *v, idref_cmp);
	return v;
}

static long ids_find(const struct idref *v, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].id, id);

		if (c == 0)
			return (long)v[mid].idx;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* keep[i] false for every repeat of an id; the number kept. */
static size_t ids_first(const char *const *ids, size_t n, bool *keep,
			const char *kind)
{
	struct idref *v = ids_index(ids, n);
	size_t kept = 0;

	if (v == NULL)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		keep[v[i].idx] = i == 0 || strcmp(v[i].id, v[i - 1].id) != 0;
		if (!keep[v[i].idx])
			log_warn("%s \"%s\" reported by more than one agent; "
				 "showing the first", kind, v[i].id);
		kept += keep[v[i].idx];
	}
	free(v);
	return kept;
}

/* --- collecting one kind over every agent ----------------------------- */

/* Where an agent keeps one kind: its count and its array.  Every state
 * object starts with its id (checked below). */
struct kind {
	const char *name;
	size_t off_n, off_v, size;
};

#define KIND(name, n, v, type) \
	{ name, offsetof(struct gd_state_agent, n), \
	  offsetof(struct gd_state_agent, v), sizeof(type) }

static const struct kind kind_area =
	KIND("area", nareas, areas, struct gd_state_area);
static const struct kind kind_group =
	KIND("group", ngroups, groups, struct gd_state_group);
static const struct kind kind_server =
	KIND("server", nservers, servers, struct gd_state_server);
static const struct kind kind_service =
	KIND("service", nservices, services, struct gd_state_service);

_Static_assert(offsetof(struct gd_state_area, id) == 0, "id first");
_Static_assert(offsetof(struct gd_state_group, id) == 0, "id first");
_Static_assert(offsetof(struct gd_state_server, id) == 0, "id first");
_Static_assert(offsetof(struct gd_state_service, id) == 0, "id first");

static size_t kind_count(const struct gd_state_agent *a, const struct kind *k)
{
	return *(const size_t *)((const char *)a + k->off_n);
}

static const void *kind_at(const struct gd_state_agent *a,
			   const struct kind *k, size_t i)
{
	const char *v = *(const char *const *)((const char *)a + k->off_v);

	return v + i * k->size;
}

static const char *id_of(const void *obj)
{
	const char *id = *(const char *const *)obj;

	return id ? id : "";
}

/* Every object of kind k in agent order into *all (ids into *ids). */
static size_t gather(const struct gd_state *st, const struct kind *k,
		     const void ***all, const char ***ids)
{
	size_t n = 0, o = 0;

	for (size_t a = 0; a < st->nagents; a++)
		n += kind_count(&st->agents[a], k);
	*all = malloc((n ? n : 1) * sizeof **all);
	*ids = malloc((n ? n : 1) * sizeof **ids);
	if (*all == NULL || *ids == NULL)
		return SIZE_MAX;
	for (size_t a = 0; a < st->nagents; a++)
		for (size_t i = 0; i < kind_count(&st->agents[a], k); i++) {
			(*all)[o] = kind_at(&st->agents[a], k, i);
			(*ids)[o] = id_of((*all)[o]);
			o++;
		}
	return n;
}

/* The objects of kind k, first of each id, in agent order. */
static int collect(const struct gd_state *st, const struct kind *k,
		   const void ***out, size_t *nout)
{
	const void **all = NULL;
	const char **ids = NULL;
	bool *keep = NULL;
	size_t n = gather(st, k, &all, &ids), kept = SIZE_MAX;

	if (n != SIZE_MAX && (keep = calloc(n ? n : 1, 1)) != NULL)
		kept = ids_first(ids, n, keep, k->name);
	if (kept != SIZE_MAX && (*out = malloc((kept + 1) * sizeof **out))) {
		*nout = 0;
		for (size_t i = 0; i < n; i++)
			if (keep[i])
				(*out)[(*nout)++] = all[i];
	}
	free(all);
	free(ids);
	free(keep);
	return kept != SIZE_MAX && *out != NULL ? 0 : -1;
}

/* --- building ----------------------------------------------------------- */

struct model_index {
	struct idref *areas, *groups, *services;
	long orphan_area, orphan_group;	/* -1 until needed */
};

static int index_of(struct idref **ix, const char *const *ids, size_t n)
{
	*ix = ids_index(ids, n);
	return *ix ? 0 : -1;
}

static int build_areas(struct model *m)
{
	const void **v = NULL;
	const char **ids;
	int rc;

	if (collect(m->state, &kind_area, &v, &m->nareas) < 0)
		return -1;
	/* one spare for "not assigned" */
	m->areas = calloc(m->nareas + 1, sizeof *m->areas);
	ids = calloc(m->nareas + 1, sizeof *ids);
	for (size_t i = 0; m->areas && ids && i < m->nareas; i++) {
		m->areas[i].st = v[i];
		ids[i] = id_of(v[i]);
	}
	rc = m->areas && ids ? index_of(&m->index->areas, ids, m->nareas) : -1;
	free(v);
	free(ids);
	return rc;
}

static size_t orphan_area(struct model *m)
{
	if (m->index->orphan_area < 0)
		m->index->orphan_area = (long)m->nareas++;
	return (size_t)m->index->orphan_area;
}

static size_t area_of(struct model *m, const struct gd_state_group *g)
{
	long a = g->area ? ids_find(m->index->areas, m->nareas, g->area) : -1;

	return a >= 0 ? (size_t)a : orphan_area(m);
}

static void group_init(struct model_group *g)
{
	for (int p = 0; p < PERIOD_N; p++)
		g->avail[p] = NAN;
}

static int build_groups(struct model *m)
{
	const void **v = NULL;
	const char **ids;
	int rc;

	if (collect(m->state, &kind_group, &v, &m->ngroups) < 0)
		return -1;
	m->groups = calloc(m->ngroups + 1, sizeof *m->groups);
	ids = calloc(m->ngroups + 1, sizeof *ids);
	for (size_t i = 0; m->groups && ids && i < m->ngroups; i++) {
		struct model_group *g = &m->groups[i];

		group_init(g);
		g->st = v[i];
		g->show = show_of_status(g->st->status);
		g->area = area_of(m, g->st);
		ids[i] = id_of(v[i]);
	}
	rc = m->groups && ids ?
		index_of(&m->index->groups, ids, m->ngroups) : -1;
	free(v);
	free(ids);
	return rc;
}

static size_t orphan_group(struct model *m)
{
	struct model_group *g;

	if (m->index->orphan_group < 0) {
		m->index->orphan_group = (long)m->ngroups;
		g = &m->groups[m->ngroups++];
		group_init(g);
		g->show = SHOW_UNKNOWN;
		g->area = orphan_area(m);
	}
	return (size_t)m->index->orphan_group;
}

static int build_servers(struct model *m)
{
	const void **v = NULL;
	long g;

	if (collect(m->state, &kind_server, &v, &m->nservers) < 0)
		return -1;
	m->servers = calloc(m->nservers + 1, sizeof *m->servers);
	for (size_t i = 0; m->servers && i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];

		s->st = v[i];
		s->show = show_of_server(s->st);
		g = model_find_group(m, s->st->group ? s->st->group : "");
		s->group = g >= 0 ? (size_t)g : orphan_group(m);
	}
	free(v);
	return m->servers ? 0 : -1;
}

static int build_services(struct model *m)
{
	const void **v = NULL;
	const char **ids;
	int rc;

	if (collect(m->state, &kind_service, &v, &m->nservices) < 0)
		return -1;
	m->services = calloc(m->nservices + 1, sizeof *m->services);
	ids = calloc(m->nservices + 1, sizeof *ids);
	for (size_t i = 0; m->services && ids && i < m->nservices; i++) {
		struct model_service *s = &m->services[i];

		s->st = v[i];
		s->show = show_of_status(s->st->status);
		for (int p = 0; p < PERIOD_N; p++)
			s->avail[p] = NAN;
		ids[i] = id_of(v[i]);
	}
	rc = m->services && ids ?
		index_of(&m->index->services, ids, m->nservices) : -1;
	free(v);
	free(ids);
	return rc;
}

/* Room for each area's groups and each group's servers, counted first
 * (exact sizes: 10,000 servers in 1,000 groups stay small). */
static int size_members(struct model *m)
{
	for (size_t i = 0; i < m->ngroups; i++)
		m->areas[m->groups[i].area].ngroups++;
	for (size_t i = 0; i < m->nservers; i++)
		m->groups[m->servers[i].group].nservers++;
	for (size_t i = 0; i < m->nareas; i++) {
		m->areas[i].groups = calloc(m->areas[i].ngroups + 1,
					    sizeof(size_t));
		if (m->areas[i].groups == NULL)
			return -1;
		m->areas[i].ngroups = 0;
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		m->groups[i].servers = calloc(m->groups[i].nservers + 1,
					      sizeof(size_t));
		if (m->groups[i].servers == NULL)
			return -1;
		m->groups[i].nservers = 0;
	}
	return 0;
}

/* Each area its groups and each group its servers, in order. */
static int link_members(struct model *m)
{
	if (size_members(m) < 0)
		return -1;
	for (size_t i = 0; i < m->ngroups; i++) {
		struct model_area *a = &m->areas[m->groups[i].area];

		a->groups[a->ngroups++] = i;
	}
	for (size_t i = 0; i < m->nservers; i++) {
		struct model_group *g = &m->groups[m->servers[i].group];

		g->servers[g->nservers++] = i;
	}
	return 0;
}

static int set_title(struct model *m, const char *title)
{
	for (size_t a = 0; title == NULL && a < m->state->nagents; a++)
		if (m->state->agents[a].title && m->state->agents[a].title[0])
			title = m->state->agents[a].title;
	m->title = strdup(title ? title : DEFAULT_TITLE);
	return m->title ? 0 : -1;
}

int model_build(struct model *m, struct gd_state *st, const char *title,
		time_t now)
{
	memset(m, 0, sizeof *m);
	m->state = st;
	m->now = now;
	m->as_of = st->generated;
	clock_zone_name(m->zone, sizeof m->zone, now);
	m->nagents = st->nagents;
	for (size_t a = 0; a < st->nagents; a++)
		m->agents_unreachable += !st->agents[a].reachable;
	m->index = calloc(1, sizeof *m->index);
	if (m->index == NULL)
		return -1;
	m->index->orphan_area = m->index->orphan_group = -1;
	if (set_title(m, title) < 0 || build_areas(m) < 0 ||
	    build_groups(m) < 0 || build_servers(m) < 0 ||
	    build_services(m) < 0 || link_members(m) < 0)
		return -1;
	return 0;
}

long model_find_group(const struct model *m, const char *id)
{
	/* the "not assigned" group is not in the index */
	return ids_find(m->index->groups, m->index->orphan_group >= 0 ?
			m->ngroups - 1 : m->ngroups, id);
}

long model_find_service(const struct model *m, const char *id)
{
	return ids_find(m->index->services, m->nservices, id);
}

const char *model_group_title(const struct model_group *g)
{
	if (g->st == NULL)
		return "Not assigned to a group";
	return g->st->title && g->st->title[0] ? g->st->title : g->st->id;
}

/* --- the whole ---------------------------------------------------------- */

/* The worst impact of an incident of the news file still open. */
static enum news_impact open_impact(const struct model *m)
{
	enum news_impact worst = NEWS_IMPACT_NONE;

	for (size_t i = 0; i < m->news.n; i++) {
		const struct news_item *it = &m->news.items[i];

		if (it->kind == NEWS_INCIDENT && !it->automatic &&
		    news_active(it, m->now) && it->impact > worst)
			worst = it->impact;
	}
	return worst;
}

static bool maintenance_now(const struct model *m)
{
	for (size_t i = 0; i < m->news.n; i++)
		if (m->news.items[i].kind == NEWS_MAINTENANCE &&
		    news_active(&m->news.items[i], m->now))
			return true;
	return false;
}

/*
 * The rule, worst first:
 *   maintenance  a scheduled maintenance is in progress (it explains
 *                what else the page shows);
 *   down         a service is down, or an open incident of the news
 *                file has major or critical impact;
 *   unknown      nothing monitored has a known status;
 *   degraded     a service or group is not up (degraded, unknown, a
 *                group down that no service needs), or an open incident
 *                has minor impact;
 *   up           otherwise.
 */
static enum model_show overall(const struct model *m)
{
	enum news_impact impact = open_impact(m);
	size_t down = 0, bad = 0, unknown = 0;

	for (size_t i = 0; i < m->nservices; i++) {
		down += m->services[i].show == SHOW_DOWN;
		bad += m->services[i].show != SHOW_UP;
		unknown += m->services[i].show == SHOW_UNKNOWN;
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		bad += m->groups[i].show != SHOW_UP;
		unknown += m->groups[i].show == SHOW_UNKNOWN;
	}
	if (maintenance_now(m))
		return SHOW_MAINTENANCE;
	if (down > 0 || impact >= NEWS_IMPACT_MAJOR)
		return SHOW_DOWN;
	if (unknown == m->nservices + m->ngroups)
		return SHOW_UNKNOWN;
	if (bad > 0 || impact == NEWS_IMPACT_MINOR)
		return SHOW_DEGRADED;
	return SHOW_UP;
}

void model_finish(struct model *m)
{
	news_sort(&m->news);
	m->overall = overall(m);
}

const char *model_banner(const struct model *m)
{
	size_t down = 0;

	switch (m->overall) {
	case SHOW_UP:
		return "All systems operational";
	case SHOW_DEGRADED:
		return "Some services degraded";
	case SHOW_MAINTENANCE:
		return "Maintenance in progress";
	case SHOW_DOWN:
		for (size_t i = 0; i < m->nservices; i++)
			down += m->services[i].show == SHOW_DOWN;
		return down > 0 && down < m->nservices ? "Partial outage" :
							   "Major outage";
	default:
		return "Status unknown";
	}
}

void model_free(struct model *m)
{
	for (size_t i = 0; m->areas && i < m->nareas; i++)
		free(m->areas[i].groups);
	for (size_t i = 0; m->groups && i < m->ngroups; i++)
		free(m->groups[i].servers);
	free(m->areas);
	free(m->groups);
	free(m->servers);
	free(m->services);
	if (m->index != NULL) {
		free(m->index->areas);
		free(m->index->groups);
		free(m->index->services);
		free(m->index);
	}
	news_free(&m->news);
	gd_state_free(m->state);
	free(m->title);
	free(m->simulated_text);
	memset(m, 0, sizeof *m);
}
