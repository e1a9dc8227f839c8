/*
 * config.c — loads the infrastructure config; see config.h.
 *
 * Three passes over one parsed document, each adding to the same error
 * list so that an operator sees every problem of the file in one run:
 *
 *   1. the RELAX NG schema (common/greendot.rng) for what a schema says;
 *   2. building the model, defensively: an attribute the schema refused
 *      is skipped here without a second message;
 *   3. semantic checks the schema cannot express (or not clearly).
 *
 * Any error and the whole model is thrown away: nothing is half-loaded.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "priv.h"
#include "status.h"
#include "xmlsafe.h"

#define DEFAULT_INTERVAL 10.0
#define DEFAULT_TIMEOUT 3.0
#define DEFAULT_RISE 2
#define DEFAULT_FALL 2
#define DEFAULT_HTTP_PATH "/"
#define DEFAULT_HTTP_EXPECT 200
#define HEARTBEAT_AGE_FACTOR 3	/* default max-age = 3 x interval */

/* Which check attributes an element set itself (for error placement). */
struct check_set {
	bool interval, timeout;
};

struct loader {
	const char *file;
	struct gd_config *cfg;
	struct gd_errlist *errs;
	size_t cap_areas, cap_groups, cap_servers, cap_services;
	/* past gd_config_max_objects of that kind: said once */
	bool over_areas, over_groups, over_servers, over_services;
};

size_t gd_config_max_objects = GD_CONFIG_MAX_OBJECTS;

/* --- small helpers ---------------------------------------------------- */

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	p = realloc(v, c * size);
	if (p == NULL)
		return NULL;
	*cap = c;
	return p;
}

static long line_of(xmlNodePtr node)
{
	return gd_xml_line(node);
}

/* true: n objects of a kind are all there may be, and node is refused
 * (said once per kind, at the first one too many; the rest are skipped
 * without a word). */
static bool too_many(struct loader *ld, xmlNodePtr node, size_t n,
		     const char *kind, bool *said)
{
	if (n < gd_config_max_objects)
		return false;
	if (!*said)
		gd_errlist_add(ld->errs, ld->file, line_of(node),
			       "more than %zu %s", gd_config_max_objects, kind);
	*said = true;
	return true;
}

static bool is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The attribute as a malloc'ed string, or NULL when absent. */
static char *attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	char *copy;

	if (v == NULL)
		return NULL;
	copy = strdup((const char *)v);
	xmlFree(v);
	return copy;
}

static char *attr_or(xmlNodePtr node, const char *name, const char *dflt)
{
	char *v = attr(node, name);

	return v != NULL ? v : strdup(dflt);
}

/* A number attribute; absent or unparsable (the schema said so) leaves
 * *out unchanged and answers false. */
static bool attr_double(xmlNodePtr node, const char *name, double *out)
{
	char *v = attr(node, name), *end;
	double d;
	bool ok = false;

	if (v == NULL)
		return false;
	errno = 0;
	d = strtod(v, &end);
	if (errno == 0 && end != v && *end == '\0' && isfinite(d)) {
		*out = d;
		ok = true;
	}
	free(v);
	return ok;
}

static bool attr_long(xmlNodePtr node, const char *name, long *out)
{
	char *v = attr(node, name), *end;
	long l;
	bool ok = false;

	if (v == NULL)
		return false;
	errno = 0;
	l = strtol(v, &end, 10);
	if (errno == 0 && end != v && *end == '\0') {
		*out = l;
		ok = true;
	}
	free(v);
	return ok;
}

/* Text with runs of white space collapsed, as a browser would show it. */
static char *text_collapsed(xmlNodePtr node)
{
	xmlChar *raw = xmlNodeGetContent(node);
	char *out, *w;
	bool space = false;

	if (raw == NULL)
		return strdup("");
	out = malloc(strlen((const char *)raw) + 1);
	if (out == NULL) {
		xmlFree(raw);
		return NULL;
	}
	w = out;
	for (const char *r = (const char *)raw; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = w != out;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	xmlFree(raw);
	return out;
}

bool gd_id_valid(const char *id)
{
	size_t n = 0;

	if (id == NULL)
		return false;
	for (const char *p = id; *p; p++, n++) {
		char c = *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (n == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return n >= 1 && n <= GD_ID_MAX;
}

/* --- pass 2: the model ------------------------------------------------ */

static void read_check(xmlNodePtr node, struct gd_check *c,
		       struct check_set *set)
{
	long l;

	set->interval = attr_double(node, "interval", &c->interval);
	set->timeout = attr_double(node, "timeout", &c->timeout);
	if (attr_long(node, "rise", &l) && l >= 1)
		c->rise = (unsigned)l;
	if (attr_long(node, "fall", &l) && l >= 1)
		c->fall = (unsigned)l;
}

static void check_timing(struct loader *ld, xmlNodePtr node,
			 const char *what, const struct gd_check *c,
			 const struct check_set *set)
{
	/* said once, where the offending value is set; whoever inherits
	 * it is not blamed again */
	if (!set->interval && !set->timeout)
		return;
	if (c->timeout >= c->interval)
		gd_errlist_add(ld->errs, ld->file, line_of(node),
			       "%s: timeout %g s must be below interval %g s",
			       what, c->timeout, c->interval);
}

static bool has_attr(xmlNodePtr node, const char *name)
{
	return xmlHasProp(node, (const xmlChar *)name) != NULL;
}

/* Which attributes go with which probe, and the port's range. */
static void check_probe_attrs(struct loader *ld, xmlNodePtr node,
			      const struct gd_server *s)
{
	const char *probe = gd_probe_name(s->probe);
	bool network = s->probe != GD_PROBE_HEARTBEAT;
	long line = line_of(node), port;

	if (network && !has_attr(node, "host"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: probe %s needs a host", s->id, probe);
	if (network && !has_attr(node, "port"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: probe %s needs a port", s->id, probe);
	if (network && attr_long(node, "port", &port) &&
	    (port < 1 || port > 65535))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: port %ld out of range 1..65535",
			       s->id, port);
	if (!network && has_attr(node, "port"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: port does not apply to probe %s",
			       s->id, probe);
	if (s->probe != GD_PROBE_HTTP && has_attr(node, "path"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: path applies to probe http only", s->id);
	if (s->probe != GD_PROBE_HTTP && has_attr(node, "expect"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: expect applies to probe http only", s->id);
	if (network && has_attr(node, "max-age"))
		gd_errlist_add(ld->errs, ld->file, line,
			       "server %s: max-age applies to probe heartbeat only",
			       s->id);
}

static int add_server(struct loader *ld, xmlNodePtr node, size_t group,
		      const struct gd_check *inherited)
{
	struct gd_config *cfg = ld->cfg;
	struct gd_server *s;
	struct check_set set;
	char *probe, what[GD_ID_MAX + 16];
	long port = 0;

	if (too_many(ld, node, cfg->nservers, "servers", &ld->over_servers))
		return 0;
	cfg->servers = grow(cfg->servers, &ld->cap_servers, cfg->nservers,
			    sizeof *cfg->servers);
	if (cfg->servers == NULL)
		return -1;
	s = &cfg->servers[cfg->nservers++];
	memset(s, 0, sizeof *s);
	s->group = group;
	s->line = (int)line_of(node);
	s->id = attr_or(node, "id", "");
	s->title = attr_or(node, "title", s->id);
	s->host = attr(node, "host");
	s->path = attr(node, "path");
	s->check = *inherited;
	read_check(node, &s->check, &set);
	snprintf(what, sizeof what, "server %s", s->id);
	check_timing(ld, node, what, &s->check, &set);

	probe = attr(node, "probe");
	if (probe == NULL || gd_probe_parse(probe, &s->probe) < 0)
		s->probe = GD_PROBE_TCP;	/* the schema said it */
	free(probe);

	s->admin = GD_ADMIN_ACTIVE;
	probe = attr(node, "admin");
	if (probe != NULL && gd_admin_parse(probe, &s->admin) < 0)
		s->admin = GD_ADMIN_ACTIVE;
	free(probe);

	if (attr_long(node, "port", &port) && port >= 1 && port <= 65535)
		s->port = (unsigned)port;
	s->expect = DEFAULT_HTTP_EXPECT;
	if (attr_long(node, "expect", &port))
		s->expect = (unsigned)port;
	s->max_age = HEARTBEAT_AGE_FACTOR * s->check.interval;
	attr_double(node, "max-age", &s->max_age);
	check_probe_attrs(ld, node, s);
	if (s->probe == GD_PROBE_HTTP && s->path == NULL)
		s->path = strdup(DEFAULT_HTTP_PATH);
	return s->id && s->title ? 0 : -1;
}

static int add_group(struct loader *ld, xmlNodePtr node, size_t area)
{
	struct gd_config *cfg = ld->cfg;
	struct gd_group *g;
	struct gd_check check = cfg->defaults;
	struct check_set set;
	char what[GD_ID_MAX + 16];
	size_t idx;

	if (too_many(ld, node, cfg->ngroups, "groups", &ld->over_groups))
		return 0;
	cfg->groups = grow(cfg->groups, &ld->cap_groups, cfg->ngroups,
			   sizeof *cfg->groups);
	if (cfg->groups == NULL)
		return -1;
	idx = cfg->ngroups++;
	g = &cfg->groups[idx];
	memset(g, 0, sizeof *g);
	g->area = area;
	g->line = (int)line_of(node);
	g->id = attr_or(node, "id", "");
	g->title = attr_or(node, "title", g->id ? g->id : "");
	g->first_server = cfg->nservers;
	read_check(node, &check, &set);
	snprintf(what, sizeof what, "group %s", g->id ? g->id : "");
	check_timing(ld, node, what, &check, &set);
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (is_element(c, "server") && add_server(ld, c, idx, &check) < 0)
			return -1;
	/* add_server may have moved the array: g is stale */
	cfg->groups[idx].nservers = cfg->nservers - cfg->groups[idx].first_server;
	if (cfg->groups[idx].nservers == 0 && !ld->over_servers)
		gd_errlist_add(ld->errs, ld->file, line_of(node),
			       "group %s has no servers", cfg->groups[idx].id);
	return cfg->groups[idx].id && cfg->groups[idx].title ? 0 : -1;
}

static int add_area(struct loader *ld, xmlNodePtr node)
{
	struct gd_config *cfg = ld->cfg;
	struct gd_area *a;
	size_t idx;

	if (too_many(ld, node, cfg->nareas, "areas", &ld->over_areas))
		return 0;
	cfg->areas = grow(cfg->areas, &ld->cap_areas, cfg->nareas,
			  sizeof *cfg->areas);
	if (cfg->areas == NULL)
		return -1;
	idx = cfg->nareas++;
	a = &cfg->areas[idx];
	memset(a, 0, sizeof *a);
	a->line = (int)line_of(node);
	a->id = attr_or(node, "id", "");
	a->title = attr_or(node, "title", a->id ? a->id : "");
	a->colour = attr_or(node, "colour", "grey");
	a->description = NULL;
	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (is_element(c, "description") && a->description == NULL)
			a->description = text_collapsed(c);
		else if (is_element(c, "group") && add_group(ld, c, idx) < 0)
			return -1;
		a = &cfg->areas[idx];
	}
	if (a->description == NULL)
		a->description = strdup("");
	return a->id && a->title && a->colour && a->description ? 0 : -1;
}

/* Splits a needs attribute into group ids; resolved in pass 3. */
static char **split_ids(const char *list, size_t *n)
{
	char *copy = strdup(list), *save = NULL, **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (copy == NULL)
		return NULL;
	for (char *t = strtok_r(copy, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		char **p = grow(v, &cap, *n, sizeof *v);

		if (p == NULL)
			break;
		v = p;
		v[(*n)++] = strdup(t);
	}
	free(copy);
	return v;
}

static void free_ids(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int add_need(struct loader *ld, struct gd_service *svc, xmlNodePtr node)
{
	struct gd_need *need, *p;
	char *list;
	char **ids;
	size_t n = 0;

	p = realloc(svc->needs, (svc->nneeds + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	svc->needs = p;
	need = &svc->needs[svc->nneeds++];
	memset(need, 0, sizeof *need);
	need->line = (int)line_of(node);
	list = attr(node, "any");
	need->any = list != NULL;
	if (list == NULL)
		list = attr_or(node, "group", "");
	if (list == NULL)
		return -1;
	ids = split_ids(list, &n);
	free(list);
	need->groups = calloc(n ? n : 1, sizeof *need->groups);
	if (need->groups == NULL) {
		free_ids(ids, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		long g = gd_config_find_group(ld->cfg, ids[i]);

		if (g < 0) {
			gd_errlist_add(ld->errs, ld->file, need->line,
				       "service %s: needs unknown group \"%s\"",
				       svc->id, ids[i]);
			continue;
		}
		need->groups[need->ngroups++] = (size_t)g;
	}
	free_ids(ids, n);
	return 0;
}

static int add_service(struct loader *ld, xmlNodePtr node)
{
	struct gd_config *cfg = ld->cfg;
	struct gd_service *s;

	if (too_many(ld, node, cfg->nservices, "services", &ld->over_services))
		return 0;
	cfg->services = grow(cfg->services, &ld->cap_services,
			     cfg->nservices, sizeof *cfg->services);
	if (cfg->services == NULL)
		return -1;
	s = &cfg->services[cfg->nservices++];
	memset(s, 0, sizeof *s);
	s->line = (int)line_of(node);
	s->id = attr_or(node, "id", "");
	s->title = attr_or(node, "title", s->id ? s->id : "");
	if (s->id == NULL || s->title == NULL)
		return -1;
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (is_element(c, "needs") && add_need(ld, s, c) < 0)
			return -1;
	return 0;
}

/* --- pass 3: what the schema cannot say --------------------------------- */

static int by_id(const void *a, const void *b)
{
	const struct gd_idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	/* equal ids stay in document order: the first one wins */
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_id_only(const void *a, const void *b)
{
	return strcmp(((const struct gd_idref *)a)->id,
		      ((const struct gd_idref *)b)->id);
}

/*
 * Sorts the ids of one kind (refs[i].idx == i on entry) and reports each
 * duplicate at its own line, naming the line of the first definition.
 * lines[i] is the line of object i.
 */
static void index_ids(struct loader *ld, const char *kind,
		      struct gd_idref *refs, size_t n, const int *lines)
{
	size_t first = 0;

	qsort(refs, n, sizeof *refs, by_id);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(refs[i].id, refs[first].id) != 0) {
			first = i;
			continue;
		}
		if (refs[i].id[0] == '\0')
			continue;	/* missing id: the schema said it */
		gd_errlist_add(ld->errs, ld->file, lines[refs[i].idx],
			       "duplicate %s id \"%s\" (first defined at line %d)",
			       kind, refs[i].id, lines[refs[first].idx]);
	}
}

/* Builds the sorted index of one kind; typed wrappers follow. */
#define BUILD_INDEX(ld, kind, arr, n, out)                                 \
	do {                                                               \
		int *lines_ = calloc((n) ? (n) : 1, sizeof *lines_);       \
		(out) = calloc((n) ? (n) : 1, sizeof *(out));              \
		if (lines_ == NULL || (out) == NULL) {                     \
			free(lines_);                                      \
			return -1;                                         \
		}                                                          \
		for (size_t i_ = 0; i_ < (n); i_++) {                      \
			(out)[i_] = (struct gd_idref){ (arr)[i_].id, i_ }; \
			lines_[i_] = (arr)[i_].line;                       \
		}                                                          \
		index_ids(ld, kind, out, n, lines_);                       \
		free(lines_);                                              \
	} while (0)

static int index_infrastructure(struct loader *ld)
{
	struct gd_config *c = ld->cfg;

	BUILD_INDEX(ld, "area", c->areas, c->nareas, c->area_by_id);
	BUILD_INDEX(ld, "group", c->groups, c->ngroups, c->group_by_id);
	BUILD_INDEX(ld, "server", c->servers, c->nservers, c->server_by_id);
	return 0;
}

static int index_services(struct loader *ld)
{
	struct gd_config *c = ld->cfg;

	BUILD_INDEX(ld, "service", c->services, c->nservices,
		    c->service_by_id);
	return 0;
}

static long find(const struct gd_idref *index, size_t n, const char *id)
{
	struct gd_idref key = { id, 0 };
	const struct gd_idref *hit;

	if (index == NULL || id == NULL)
		return -1;
	hit = bsearch(&key, index, n, sizeof *index, by_id_only);
	if (hit == NULL)
		return -1;
	/* among duplicates (a config being refused) the first wins */
	while (hit > index && strcmp(hit[-1].id, id) == 0)
		hit--;
	return (long)hit->idx;
}

long gd_config_find_area(const struct gd_config *cfg, const char *id)
{
	return find(cfg->area_by_id, cfg->nareas, id);
}

long gd_config_find_group(const struct gd_config *cfg, const char *id)
{
	return find(cfg->group_by_id, cfg->ngroups, id);
}

long gd_config_find_server(const struct gd_config *cfg, const char *id)
{
	return find(cfg->server_by_id, cfg->nservers, id);
}

long gd_config_find_service(const struct gd_config *cfg, const char *id)
{
	return find(cfg->service_by_id, cfg->nservices, id);
}

static void check_id(struct loader *ld, const char *kind, const char *id,
		     int line)
{
	/* the schema says it too; this is the guard of every file name
	 * built from an id, so it holds even with a schema that lets one
	 * through, and it names the id where libxml2 does not */
	if (*id != '\0' && !gd_id_valid(id))
		gd_errlist_add(ld->errs, ld->file, line,
			       "%s: invalid id \"%s\" (ids are [a-z0-9][a-z0-9._-]{0,63})",
			       kind, id);
}

static void check_ids(struct loader *ld)
{
	const struct gd_config *c = ld->cfg;

	for (size_t i = 0; i < c->nareas; i++)
		check_id(ld, "area", c->areas[i].id, c->areas[i].line);
	for (size_t i = 0; i < c->ngroups; i++)
		check_id(ld, "group", c->groups[i].id, c->groups[i].line);
	for (size_t i = 0; i < c->nservers; i++)
		check_id(ld, "server", c->servers[i].id, c->servers[i].line);
	for (size_t i = 0; i < c->nservices; i++)
		check_id(ld, "service", c->services[i].id, c->services[i].line);
}


/* --- the whole load ----------------------------------------------------- */

static int build(struct loader *ld, xmlNodePtr root)
{
	struct gd_config *cfg = ld->cfg;
	struct check_set set;

	cfg->defaults = (struct gd_check){ DEFAULT_INTERVAL, DEFAULT_TIMEOUT,
					   DEFAULT_RISE, DEFAULT_FALL };
	cfg->title = attr_or(root, "title", "greendot");
	for (xmlNodePtr c = root->children; c; c = c->next)
		if (is_element(c, "defaults")) {
			read_check(c, &cfg->defaults, &set);
			if (cfg->defaults.timeout >= cfg->defaults.interval)
				gd_errlist_add(ld->errs, ld->file, line_of(c),
					       "defaults: timeout %g s must be below interval %g s",
					       cfg->defaults.timeout,
					       cfg->defaults.interval);
		}
	for (xmlNodePtr c = root->children; c; c = c->next)
		if (is_element(c, "area") && add_area(ld, c) < 0)
			return -1;
	if (index_infrastructure(ld) < 0)
		return -1;
	for (xmlNodePtr c = root->children; c; c = c->next)
		if (is_element(c, "service") && add_service(ld, c) < 0)
			return -1;
	if (index_services(ld) < 0)
		return -1;
	check_ids(ld);
	return cfg->title ? 0 : -1;
}

/* The passes on a parsed document (doc NULL: reading failed, errs says
 * why); frees doc.  Shared by the file and the memory entry points. */
static int load_doc(xmlDocPtr doc, const char *path, const char *schema,
		    struct gd_config **out, struct gd_errlist *errs,
		    size_t before)
{
	struct loader ld = { .file = path, .errs = errs };
	char rng[4096];
	xmlNodePtr root;
	int rc = -1;

	if (doc == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_element(root, "greendot")) {
		gd_errlist_add(errs, path, root ? line_of(root) : 0,
			       "not a greendot config (the root element must be <greendot>)");
		goto out;
	}
	if (schema == NULL)
		schema = gd_schema_path("greendot.rng", rng, sizeof rng);
	/* go on when invalid: the other passes add what they find */
	gd_xml_validate(doc, schema, path, errs);
	ld.cfg = calloc(1, sizeof *ld.cfg);
	if (ld.cfg == NULL || (ld.cfg->file = strdup(path)) == NULL ||
	    build(&ld, root) < 0) {
		gd_errlist_add(errs, path, 0, "out of memory");
		goto out;
	}
	if (errs->n == before) {
		*out = ld.cfg;
		ld.cfg = NULL;
		rc = 0;
	}
out:
	/* libxml2's vaguest messages, where a pass above said what is wrong */
	gd_errlist_drop_vague(errs, "failed to validate attributes");
	gd_errlist_drop_vague(errs, "Expecting an element , got nothing");
	gd_errlist_sort(errs);
	gd_config_free(ld.cfg);
	xmlFreeDoc(doc);
	return rc;
}

int gd_config_load(const char *path, const char *schema,
		   struct gd_config **out, struct gd_errlist *errs)
{
	size_t before = errs->n;

	*out = NULL;
	/* whoever may write the config decides what the agent probes */
	gd_priv_warn_writable(path, "config");
	return load_doc(gd_xml_read(path, GD_CONFIG_MAX_BYTES, errs), path,
			schema, out, errs, before);
}

int gd_config_load_memory(const char *buf, size_t len, const char *name,
			  const char *schema, struct gd_config **out,
			  struct gd_errlist *errs)
{
	size_t before = errs->n;
	xmlDocPtr doc = NULL;

	*out = NULL;
	if (len > GD_CONFIG_MAX_BYTES)
		gd_errlist_add(errs, name, 0, "file larger than %u bytes",
			       GD_CONFIG_MAX_BYTES);
	else
		doc = gd_xml_read_memory(buf, len, name, errs);
	return load_doc(doc, name, schema, out, errs, before);
}

void gd_config_free(struct gd_config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->nareas; i++) {
		free(cfg->areas[i].id);
		free(cfg->areas[i].title);
		free(cfg->areas[i].colour);
		free(cfg->areas[i].description);
	}
	for (size_t i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].id);
		free(cfg->groups[i].title);
	}
	for (size_t i = 0; i < cfg->nservers; i++) {
		free(cfg->servers[i].id);
		free(cfg->servers[i].title);
		free(cfg->servers[i].host);
		free(cfg->servers[i].path);
	}
	for (size_t i = 0; i < cfg->nservices; i++) {
		for (size_t j = 0; j < cfg->services[i].nneeds; j++)
			free(cfg->services[i].needs[j].groups);
		free(cfg->services[i].needs);
		free(cfg->services[i].id);
		free(cfg->services[i].title);
	}
	free(cfg->areas);
	free(cfg->groups);
	free(cfg->servers);
	free(cfg->services);
	free(cfg->area_by_id);
	free(cfg->group_by_id);
	free(cfg->server_by_id);
	free(cfg->service_by_id);
	free(cfg->file);
	free(cfg->title);
	free(cfg);
}
