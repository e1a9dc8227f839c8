/*
 * status_json.c — status.json; see status_json.h and STATUS-JSON.md.
 */
#include "status_json.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"
#include "status.h"
#include "text.h"

/* Percent with three decimals as the page shows it, null without
 * data. */
static void availability(struct json *j, const double ratio[PERIOD_N])
{
	json_key(j, "availability");
	json_object_begin(j);
	for (int p = 0; p < PERIOD_N; p++) {
		json_key(j, model_periods[p].name);
		json_number(j, isnan(ratio[p]) ? NAN :
			    text_percent_value(ratio[p]), 3);
	}
	json_object_end(j);
}

static void services(struct json *j, const struct model *m)
{
	json_key(j, "services");
	json_array_begin(j);
	for (size_t i = 0; i < m->nservices; i++) {
		const struct model_service *s = &m->services[i];

		json_object_begin(j);
		json_kv_string(j, "id", s->st->id);
		json_kv_string(j, "title", s->st->title);
		json_kv_string(j, "status", model_show_word(s->show));
		json_kv_time(j, "last_change", s->st->last_change);
		availability(j, s->avail);
		json_object_end(j);
	}
	json_array_end(j);
}

static void areas(struct json *j, const struct model *m)
{
	json_key(j, "areas");
	json_array_begin(j);
	for (size_t i = 0; i < m->nareas; i++) {
		const struct gd_state_area *a = m->areas[i].st;

		if (a == NULL)
			continue;	/* "not assigned": no such area */
		json_object_begin(j);
		json_kv_string(j, "id", a->id);
		json_kv_string(j, "title", a->title);
		json_kv_string(j, "colour", a->colour);
		json_kv_string(j, "description", a->description);
		json_object_end(j);
	}
	json_array_end(j);
}

static void groups(struct json *j, const struct model *m)
{
	json_key(j, "groups");
	json_array_begin(j);
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct model_group *g = &m->groups[i];

		if (g->st == NULL)
			continue;
		json_object_begin(j);
		json_kv_string(j, "id", g->st->id);
		json_kv_string(j, "title", g->st->title);
		json_kv_string(j, "area", g->st->area);
		json_kv_string(j, "status", model_show_word(g->show));
		json_kv_int(j, "members_up", g->st->members_up);
		json_kv_int(j, "members_active", g->st->members_active);
		json_kv_int(j, "members", g->st->members);
		json_kv_time(j, "last_change", g->st->last_change);
		availability(j, g->avail);
		json_object_end(j);
	}
	json_array_end(j);
}

static void server(struct json *j, const struct model_server *s)
{
	const struct gd_state_server *st = s->st;
	bool up = st->oper == GD_OPER_UP;

	json_object_begin(j);
	json_kv_string(j, "id", st->id);
	json_kv_string(j, "title", st->title);
	json_kv_string(j, "group", st->group);
	json_kv_string(j, "status", model_show_word(s->show));
	json_kv_string(j, "oper", gd_oper_name(st->oper));
	json_kv_string(j, "admin", gd_admin_name(st->admin));
	json_key(j, "uptime_seconds");
	if (up)
		json_int(j, st->uptime);
	else
		json_null(j);
	json_kv_time(j, "last_change", st->last_change);
	json_key(j, "latency_ms");
	json_number(j, up ? st->latency_us / 1000.0 : NAN, 3);
	json_kv_string(j, "last_error", st->last_error && *st->last_error ?
			st->last_error : NULL);
	json_object_end(j);
}

static void servers(struct json *j, const struct model *m)
{
	json_key(j, "servers");
	json_array_begin(j);
	for (size_t i = 0; i < m->nservers; i++)
		server(j, &m->servers[i]);
	json_array_end(j);
}

static void updates(struct json *j, const struct news_item *it)
{
	json_key(j, "updates");
	json_array_begin(j);
	for (size_t i = 0; i < it->nupdates; i++) {
		const struct news_update *u = &it->updates[i];

		json_object_begin(j);
		json_kv_time(j, "at", u->at);
		json_kv_string(j, "status", u->status == NEWS_ST_NONE ? NULL :
				news_status_name(u->status));
		json_kv_string(j, "text", u->text);
		json_object_end(j);
	}
	json_array_end(j);
}

static void item(struct json *j, const struct model *m,
		 const struct news_item *it)
{
	enum news_status st = news_status_at(it, m->now);

	json_object_begin(j);
	json_kv_string(j, "id", it->id);
	json_kv_string(j, "title", it->title);
	if (it->kind != NEWS_ANNOUNCEMENT) {
		json_kv_string(j, "status", news_status_name(st));
		json_kv_string(j, "impact", news_impact_name(it->impact));
	}
	if (it->kind == NEWS_INCIDENT)
		json_kv_bool(j, "automatic", it->automatic);
	json_kv_time(j, "published", it->published);
	json_kv_time(j, "updated", it->updated);
	if (it->kind == NEWS_MAINTENANCE) {
		json_kv_time(j, "start", it->start);
		json_kv_time(j, "end", it->end);
	}
	if (it->kind != NEWS_INCIDENT)
		json_kv_string(j, "text", it->text);
	else
		updates(j, it);
	json_object_end(j);
}

static void items(struct json *j, const struct model *m, const char *key,
		  enum news_kind kind)
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < m->news.n; i++)
		if (m->news.items[i].kind == kind)
			item(j, m, &m->news.items[i]);
	json_array_end(j);
}

static void head(struct json *j, const struct model *m)
{
	json_kv_int(j, "version", STATUS_JSON_VERSION);
	json_kv_time(j, "generated", m->now);
	json_kv_time(j, "as_of", m->as_of);
	json_kv_string(j, "title", m->title);
	json_kv_string(j, "status", model_show_word(m->overall));
	json_kv_string(j, "description", model_banner(m));
	json_kv_string(j, "timezone", m->zone);
	json_kv_int(j, "agents", (long long)m->nagents);
	json_kv_int(j, "agents_unreachable", (long long)m->agents_unreachable);
	if (m->simulated_text != NULL) {
		json_kv_string(j, "simulated", m->simulated_text);
		if (m->simulated_until > 0)
			json_kv_time(j, "simulated_until", m->simulated_until);
	}
}

int status_json(const struct model *m, char **out, size_t *len)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j);
	head(&j, m);
	services(&j, m);
	areas(&j, m);
	groups(&j, m);
	servers(&j, m);
	items(&j, m, "incidents", NEWS_INCIDENT);
	items(&j, m, "maintenance", NEWS_MAINTENANCE);
	items(&j, m, "announcements", NEWS_ANNOUNCEMENT);
	json_object_end(&j);
	if (json_finish(&j) < 0) {
		json_free(&j);
		return -1;
	}
	*out = j.buf;
	*len = j.len;
	return 0;
}
