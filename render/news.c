/*
 * news.c — the news file and the item list; see news.h.
 *
 * As the config loader: the schema first (common/news.rng), then the
 * items are built defensively (what the schema refused is skipped
 * without a second message), then the checks a schema cannot make.
 * Every problem lands in one error list; any problem and nothing is
 * added.
 */
#include "news.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "config.h"
#include "priv.h"
#include "text.h"
#include "timefmt.h"
#include "xmlsafe.h"

struct loader {
	const char *file;
	struct gd_errlist *errs;
	struct news *news;
	bool oom;
};

static const char *const kind_names[] = {
	[NEWS_INCIDENT] = "incident",
	[NEWS_ANNOUNCEMENT] = "announcement",
	[NEWS_MAINTENANCE] = "maintenance",
};

static const char *const status_names[] = {
	[NEWS_ST_NONE] = "",
	[NEWS_ST_INVESTIGATING] = "investigating",
	[NEWS_ST_IDENTIFIED] = "identified",
	[NEWS_ST_MONITORING] = "monitoring",
	[NEWS_ST_RESOLVED] = "resolved",
	[NEWS_ST_SCHEDULED] = "scheduled",
	[NEWS_ST_IN_PROGRESS] = "in-progress",
	[NEWS_ST_COMPLETED] = "completed",
	[NEWS_ST_CANCELLED] = "cancelled",
};

static const char *const status_labels[] = {
	[NEWS_ST_NONE] = "",
	[NEWS_ST_INVESTIGATING] = "Investigating",
	[NEWS_ST_IDENTIFIED] = "Identified",
	[NEWS_ST_MONITORING] = "Monitoring",
	[NEWS_ST_RESOLVED] = "Resolved",
	[NEWS_ST_SCHEDULED] = "Scheduled",
	[NEWS_ST_IN_PROGRESS] = "In progress",
	[NEWS_ST_COMPLETED] = "Completed",
	[NEWS_ST_CANCELLED] = "Cancelled",
};

static const char *const impact_names[] = {
	[NEWS_IMPACT_NONE] = "none",
	[NEWS_IMPACT_MINOR] = "minor",
	[NEWS_IMPACT_MAJOR] = "major",
	[NEWS_IMPACT_CRITICAL] = "critical",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *news_kind_name(enum news_kind k)
{
	return (size_t)k < NELEM(kind_names) ? kind_names[k] : "?";
}

const char *news_status_name(enum news_status s)
{
	return (size_t)s < NELEM(status_names) ? status_names[s] : "";
}

const char *news_status_label(enum news_status s)
{
	return (size_t)s < NELEM(status_labels) ? status_labels[s] : "";
}

const char *news_impact_name(enum news_impact i)
{
	return (size_t)i < NELEM(impact_names) ? impact_names[i] : "none";
}

/* A word of `names` (non-empty ones) into *out; -1 when unknown. */
static int lookup(const char *const *names, size_t n, const char *word,
		  int *out)
{
	for (size_t i = 0; i < n; i++)
		if (names[i][0] != '\0' && strcmp(names[i], word) == 0) {
			*out = (int)i;
			return 0;
		}
	return -1;
}

/* --- the list ---------------------------------------------------------- */

struct news_item *news_add(struct news *n)
{
	struct news_item *v;
	size_t cap;

	if (n->n == n->cap) {
		cap = n->cap ? n->cap * 2 : 16;
		v = realloc(n->items, cap * sizeof *v);
		if (v == NULL)
			return NULL;
		n->items = v;
		n->cap = cap;
	}
	memset(&n->items[n->n], 0, sizeof n->items[0]);
	return &n->items[n->n++];
}

int news_add_update(struct news_item *it, time_t at, enum news_status st,
		    const char *text)
{
	struct news_update *v;
	char *copy = text_clean(text);

	v = realloc(it->updates, (it->nupdates + 1) * sizeof *v);
	if (v == NULL || copy == NULL) {
		free(copy);
		if (v != NULL)
			it->updates = v;
		return -1;
	}
	it->updates = v;
	v[it->nupdates++] = (struct news_update){ at, st, copy };
	if (it->nupdates == 1 || at < it->published)
		it->published = at;
	if (at > it->updated)
		it->updated = at;
	return 0;
}

static void item_free(struct news_item *it)
{
	for (size_t i = 0; i < it->nupdates; i++)
		free(it->updates[i].text);
	free(it->updates);
	free(it->id);
	free(it->title);
	free(it->text);
}

void news_free(struct news *n)
{
	for (size_t i = 0; i < n->n; i++)
		item_free(&n->items[i]);
	free(n->items);
	memset(n, 0, sizeof *n);
}

static int newest_first(const void *a, const void *b)
{
	const struct news_item *x = a, *y = b;

	if (x->published != y->published)
		return x->published > y->published ? -1 : 1;
	return strcmp(x->id, y->id);
}

void news_sort(struct news *n)
{
	if (n->n > 1)
		qsort(n->items, n->n, sizeof n->items[0], newest_first);
}

enum news_status news_status_at(const struct news_item *it, time_t now)
{
	if (it->kind != NEWS_MAINTENANCE)
		return it->status;
	if (it->status == NEWS_ST_COMPLETED ||
	    it->status == NEWS_ST_CANCELLED ||
	    it->status == NEWS_ST_IN_PROGRESS)
		return it->status;
	if (now < it->start)
		return NEWS_ST_SCHEDULED;
	return now < it->end ? NEWS_ST_IN_PROGRESS : NEWS_ST_COMPLETED;
}

bool news_active(const struct news_item *it, time_t now)
{
	enum news_status s = news_status_at(it, now);

	if (it->kind == NEWS_INCIDENT)
		return s != NEWS_ST_RESOLVED;
	return s == NEWS_ST_IN_PROGRESS;
}

size_t news_count_new(const struct news *n, time_t now, time_t window)
{
	size_t count = 0;

	for (size_t i = 0; i < n->n; i++)
		if (n->items[i].published > now - window &&
		    n->items[i].published <= now)
			count++;
	return count;
}

/* --- reading the file ------------------------------------------------- */

static bool is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static void oom(struct loader *ld)
{
	ld->oom = true;
}

/* The attribute, cleaned to one line, or NULL when absent. */
static char *attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = text_clean_line((const char *)v);
	xmlFree(v);
	return s;
}

/* The element's text as paragraphs (text_reflow()); NULL and an error
 * when it is blank. */
static char *body(struct loader *ld, xmlNodePtr node)
{
	xmlChar *v = xmlNodeGetContent(node);
	char *s = text_reflow(v ? (const char *)v : "");

	xmlFree(v);
	if (s == NULL) {
		oom(ld);
	} else if (s[0] == '\0') {
		gd_errlist_add(ld->errs, ld->file, gd_xml_line(node),
			       "%s: empty text", (const char *)node->name);
		free(s);
		s = NULL;
	}
	return s;
}

/* A required attribute, or NULL and "element: missing name=". */
static char *required(struct loader *ld, xmlNodePtr node, const char *name)
{
	char *v = attr(node, name);

	if (v == NULL)
		gd_errlist_add(ld->errs, ld->file, gd_xml_line(node),
			       "%s: missing %s=", (const char *)node->name,
			       name);
	return v;
}

/* An attribute with a time; false (and an error if it is there but bad,
 * or missing while needed) when there is none. */
static bool attr_time(struct loader *ld, xmlNodePtr node, const char *name,
		      bool need, time_t *out)
{
	char *v = need ? required(ld, node, name) : attr(node, name);
	bool ok = v != NULL && gd_time_parse_iso8601(v, out) == 0;

	if (v != NULL && !ok)
		gd_errlist_add(ld->errs, ld->file, gd_xml_line(node),
			       "%s: %s=\"%s\" is not a time with a zone "
			       "(such as 2010-07-27T15:15:00+01:00)",
			       (const char *)node->name, name, v);
	free(v);
	return ok;
}

/* The words names[lo..hi] as "a, b or c" into buf. */
static void word_list(char *buf, size_t len, const char *const *names,
		      int lo, int hi)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = lo; i <= hi && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      i == lo ? "" : i == hi ? " or " : ", ",
				      names[i]);
}

/* An attribute whose value is one of names[lo..hi]: its index; dflt when
 * absent; dflt and an error when it is something else. */
static int attr_word(struct loader *ld, xmlNodePtr node, const char *name,
		     const char *const *names, int lo, int hi, int dflt)
{
	char *v = attr(node, name);
	char words[256];
	int i;

	if (v == NULL)
		return dflt;
	if (lookup(names + lo, (size_t)(hi - lo + 1), v, &i) == 0) {
		free(v);
		return lo + i;
	}
	word_list(words, sizeof words, names, lo, hi);
	gd_errlist_add(ld->errs, ld->file, gd_xml_line(node),
		       "%s: %s=\"%s\" is not %s", (const char *)node->name,
		       name, v, words);
	free(v);
	return dflt;
}

static void check_head(struct loader *ld, const struct news_item *it)
{
	if (it->id != NULL && !gd_id_valid(it->id))
		gd_errlist_add(ld->errs, ld->file, it->line,
			       "%s: id=\"%s\" is not an id "
			       "([a-z0-9][a-z0-9._-]{0,63})",
			       news_kind_name(it->kind), it->id);
	if (it->title != NULL && it->title[0] == '\0')
		gd_errlist_add(ld->errs, ld->file, it->line,
			       "%s: empty title=", news_kind_name(it->kind));
}

/* id, title, impact and line: what every kind has. */
static struct news_item *start_item(struct loader *ld, xmlNodePtr node,
				    enum news_kind kind)
{
	struct news_item *it = news_add(ld->news);

	if (it == NULL) {
		oom(ld);
		return NULL;
	}
	it->kind = kind;
	it->line = gd_xml_line(node);
	it->id = required(ld, node, "id");
	it->title = required(ld, node, "title");
	it->impact = attr_word(ld, node, "impact", impact_names,
			       NEWS_IMPACT_NONE, NEWS_IMPACT_CRITICAL,
			       NEWS_IMPACT_NONE);
	check_head(ld, it);
	if ((it->id == NULL && (it->id = strdup("")) == NULL) ||
	    (it->title == NULL && (it->title = strdup("")) == NULL))
		oom(ld);
	return it;
}

static void read_update(struct loader *ld, struct news_item *it,
			xmlNodePtr node, long *prev_line)
{
	time_t at = 0;
	bool have = attr_time(ld, node, "at", true, &at);
	enum news_status st = attr_word(ld, node, "status", status_names,
					NEWS_ST_INVESTIGATING,
					NEWS_ST_RESOLVED, NEWS_ST_NONE);
	char *text = body(ld, node);

	if (have && it->nupdates > 0 &&
	    at < it->updates[it->nupdates - 1].at)
		gd_errlist_add(ld->errs, ld->file, gd_xml_line(node),
			       "update: at= is earlier than the update before it "
			       "(line %ld); updates go in time order",
			       *prev_line);
	if (have && text != NULL && news_add_update(it, at, st, text) < 0)
		oom(ld);
	if (have)
		*prev_line = gd_xml_line(node);
	free(text);
}

static void read_incident(struct loader *ld, xmlNodePtr node)
{
	struct news_item *it = start_item(ld, node, NEWS_INCIDENT);
	long prev_line = 0;
	size_t updates = 0;

	if (it == NULL)
		return;
	free(required(ld, node, "status"));
	it->status = attr_word(ld, node, "status", status_names,
			       NEWS_ST_INVESTIGATING, NEWS_ST_RESOLVED,
			       NEWS_ST_INVESTIGATING);
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (is_element(c, "update")) {
			read_update(ld, it, c, &prev_line);
			updates++;
		}
	if (updates == 0)
		gd_errlist_add(ld->errs, ld->file, it->line,
			       "incident: needs at least one <update>");
}

static void read_announcement(struct loader *ld, xmlNodePtr node)
{
	struct news_item *it = start_item(ld, node, NEWS_ANNOUNCEMENT);

	if (it == NULL)
		return;
	attr_time(ld, node, "at", true, &it->published);
	it->updated = it->published;
	it->text = body(ld, node);
}

static void read_maintenance(struct loader *ld, xmlNodePtr node)
{
	struct news_item *it = start_item(ld, node, NEWS_MAINTENANCE);
	bool window;

	if (it == NULL)
		return;
	window = attr_time(ld, node, "start", true, &it->start);
	window &= attr_time(ld, node, "end", true, &it->end);
	if (window && it->end <= it->start)
		gd_errlist_add(ld->errs, ld->file, it->line,
			       "maintenance: end= must be after start=");
	if (!attr_time(ld, node, "at", false, &it->published))
		it->published = it->start;
	it->updated = it->published;
	it->status = attr_word(ld, node, "status", status_names,
			       NEWS_ST_SCHEDULED, NEWS_ST_CANCELLED,
			       NEWS_ST_NONE);
	it->text = body(ld, node);
}

/* Ids name anchors and feed entries: unique over every kind. */
static void check_unique(struct loader *ld, size_t first)
{
	const struct news *n = ld->news;

	for (size_t i = first; i < n->n; i++) {
		if (!gd_id_valid(n->items[i].id))
			continue;	/* the schema said it */
		for (size_t k = first; k < i; k++)
			if (strcmp(n->items[k].id, n->items[i].id) == 0) {
				gd_errlist_add(ld->errs, ld->file,
					       n->items[i].line,
					       "%s: duplicate id \"%s\" (first at line %ld)",
					       news_kind_name(n->items[i].kind),
					       n->items[i].id, n->items[k].line);
				break;
			}
	}
}

static void read_items(struct loader *ld, xmlNodePtr root)
{
	for (xmlNodePtr c = root->children; c && !ld->oom; c = c->next) {
		if (is_element(c, "incident"))
			read_incident(ld, c);
		else if (is_element(c, "announcement"))
			read_announcement(ld, c);
		else if (is_element(c, "maintenance"))
			read_maintenance(ld, c);
	}
}

/* Drops the items from `first` on (after an error). */
static void truncate_items(struct news *n, size_t first)
{
	for (size_t i = first; i < n->n; i++)
		item_free(&n->items[i]);
	n->n = first;
}

static xmlNodePtr news_root(const char *path, xmlDocPtr doc,
			    struct gd_errlist *errs)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (root == NULL || !is_element(root, "news")) {
		gd_errlist_add(errs, path, root ? gd_xml_line(root) : 0,
			       "not a news file (the root element must be <news>)");
		return NULL;
	}
	return root;
}

int news_load(const char *path, const char *schema, struct news *out,
	      struct gd_errlist *errs)
{
	struct loader ld = { .file = path, .errs = errs, .news = out };
	size_t first = out->n, before = errs->n;
	char rng[4096];
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	/* what it says goes on the public page */
	gd_priv_warn_writable(path, "news file");
	doc = gd_xml_read(path, NEWS_MAX_BYTES, errs);
	root = doc ? news_root(path, doc, errs) : NULL;
	if (root == NULL)
		goto out;
	if (schema == NULL)
		schema = gd_schema_path("news.rng", rng, sizeof rng);
	/* go on when invalid: the checks below add what they find */
	gd_xml_validate(doc, schema, path, errs);
	read_items(&ld, root);
	check_unique(&ld, first);
	if (ld.oom)
		gd_errlist_add(errs, path, 0, "out of memory");
out:
	gd_errlist_drop_vague(errs, "failed to validate attributes");
	gd_errlist_drop_vague(errs, "Expecting an element , got nothing");
	gd_errlist_drop_vague(errs, "Invalid attribute");
	gd_errlist_sort(errs);
	xmlFreeDoc(doc);
	if (errs->n == before)
		return 0;
	truncate_items(out, first);
	return -1;
}
