/*
 * state.c — DATA/state.xml written and read; see state.h and state.rng.
 *
 * Every element's attributes are described once, in a table of fields
 * (attribute name, type, offset in the struct).  The writer, the reader
 * and the destructor walk the same tables, so a field added to a struct
 * and to its table is written, read and freed.
 */
#include "state.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "afile.h"
#include "log.h"
#include "status.h"
#include "timefmt.h"
#include "xmlsafe.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* The latest time the schema's four-digit year can carry. */
#define TIME_MAX_WRITTEN 253402300799	/* 9999-12-31T23:59:59Z */

enum ftype {
	F_STR,		/* char *; absent: NULL */
	F_ID,		/* char *, a config id; absent: NULL */
	F_TIME,		/* time_t; absent: 0 */
	F_UINT,		/* unsigned */
	F_PORT,		/* unsigned 1..65535; absent: 0 */
	F_U32,		/* uint32_t */
	F_U64,		/* uint64_t */
	F_HEARTBEAT,	/* uint32_t; absent: GD_HEARTBEAT_NONE */
	F_BOOL,		/* bool */
	F_STATUS,	/* enum gd_status */
	F_OPER,		/* enum gd_oper */
	F_ADMIN,	/* enum gd_admin; absent: 0 */
	F_PROBE,	/* enum gd_probe; absent: 0 */
};

struct field {
	const char *name;
	enum ftype type;
	size_t off;
	bool required;	/* always written; the reader insists on it */
};

#define FLD(T, m, name, type, req) { name, type, offsetof(T, m), req }

#define AG struct gd_state_agent
static const struct field agent_fields[] = {
	FLD(AG, peer, "peer", F_STR, true),
	FLD(AG, reachable, "reachable", F_BOOL, true),
	FLD(AG, last_poll, "last-poll", F_TIME, false),
	FLD(AG, last_ok, "last-ok", F_TIME, false),
	FLD(AG, version, "version", F_STR, false),
	FLD(AG, title, "title", F_STR, false),
	FLD(AG, started, "started", F_TIME, false),
	FLD(AG, config_loaded, "config-loaded", F_TIME, false),
};

/* In the kinds' tables the id comes first: write_object() relies on it. */
#define AR struct gd_state_area
static const struct field area_fields[] = {
	FLD(AR, id, "id", F_ID, true),
	FLD(AR, title, "title", F_STR, false),
	FLD(AR, colour, "colour", F_STR, false),
};

#define GR struct gd_state_group
static const struct field group_fields[] = {
	FLD(GR, id, "id", F_ID, true),
	FLD(GR, title, "title", F_STR, false),
	FLD(GR, area, "area", F_ID, false),
	FLD(GR, status, "status", F_STATUS, true),
	FLD(GR, members_up, "members-up", F_UINT, true),
	FLD(GR, members_active, "members-active", F_UINT, true),
	FLD(GR, members, "members", F_UINT, true),
	FLD(GR, last_change, "last-change", F_TIME, false),
};

#define SV struct gd_state_server
static const struct field server_fields[] = {
	FLD(SV, id, "id", F_ID, true),
	FLD(SV, title, "title", F_STR, false),
	FLD(SV, group, "group", F_ID, false),
	FLD(SV, probe, "probe", F_PROBE, false),
	FLD(SV, address, "address", F_STR, false),
	FLD(SV, port, "port", F_PORT, false),
	FLD(SV, oper, "status", F_OPER, true),
	FLD(SV, admin, "admin", F_ADMIN, false),
	FLD(SV, uptime, "uptime", F_U32, true),
	FLD(SV, last_change, "last-change", F_TIME, false),
	FLD(SV, latency_us, "latency-us", F_U32, true),
	FLD(SV, checks, "checks", F_U64, true),
	FLD(SV, failures, "failures", F_U64, true),
	FLD(SV, last_error, "last-error", F_STR, false),
	FLD(SV, heartbeat_age, "heartbeat-age", F_HEARTBEAT, false),
};

#define SE struct gd_state_service
static const struct field service_fields[] = {
	FLD(SE, id, "id", F_ID, true),
	FLD(SE, title, "title", F_STR, false),
	FLD(SE, status, "status", F_STATUS, true),
	FLD(SE, last_change, "last-change", F_TIME, false),
};

#define NO_TEXT ((size_t)-1)

/* One kind of object of an agent: its element and where it lives. */
struct kind {
	const char *element;
	const struct field *fields;
	size_t nfields;
	size_t size;		/* of one object */
	size_t array;		/* offset of the array in the agent */
	size_t count;		/* offset of its length in the agent */
	size_t text;		/* offset of the string written as a child
				 * <description>, or NO_TEXT */
};

#define KIND(el, f, T, arr, cnt, text) \
	{ el, f, NELEM(f), sizeof(T), offsetof(AG, arr), offsetof(AG, cnt), \
	  text }

/* In the order of the schema. */
static const struct kind kinds[] = {
	KIND("area", area_fields, AR, areas, nareas, offsetof(AR, description)),
	KIND("group", group_fields, GR, groups, ngroups, NO_TEXT),
	KIND("server", server_fields, SV, servers, nservers, NO_TEXT),
	KIND("service", service_fields, SE, services, nservices, NO_TEXT),
};

#define TEXT_ELEMENT "description"

static void *member(const void *obj, size_t off)
{
	return (char *)obj + off;
}

static void **kind_array(const struct gd_state_agent *a, const struct kind *k)
{
	return member(a, k->array);
}

static size_t *kind_count(const struct gd_state_agent *a, const struct kind *k)
{
	return member(a, k->count);
}

static void *kind_obj(void *array, const struct kind *k, size_t i)
{
	return (char *)array + i * k->size;
}

/* ---- words and values ---- */

static bool valid_id(const char *s)
{
	size_t n = 0;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		      s[n] == '_' || s[n] == '-'))
			return false;
	return n <= 64;
}

static const char *time_text(time_t t, char *buf, size_t len)
{
	if (t <= 0 || t > TIME_MAX_WRITTEN)
		return NULL;
	return gd_time_iso8601(buf, len, t, true) > 0 ? buf : NULL;
}

/* status.h names an out-of-range value "unknown": for the enums without
 * such a word that is "not known", an absent attribute. */
static const char *known_word(const char *w)
{
	return strcmp(w, "unknown") == 0 ? NULL : w;
}

/* The text of a numeric field, or NULL to leave it out. */
static const char *number_text(const struct field *f, const void *p,
			       char *buf, size_t len)
{
	uint64_t v;

	switch (f->type) {
	case F_UINT:
	case F_PORT:
		v = *(const unsigned *)p;
		if (f->type == F_PORT && (v == 0 || v > 65535))
			return NULL;
		break;
	case F_U32:
	case F_HEARTBEAT:
		v = *(const uint32_t *)p;
		if (f->type == F_HEARTBEAT && v == GD_HEARTBEAT_NONE)
			return NULL;
		break;
	default:
		v = *(const uint64_t *)p;
		break;
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* The attribute text of field f of obj (in buf or the struct's own
 * string), or NULL when it is not known. */
static const char *field_text(const struct field *f, const void *obj,
			      char *buf, size_t len)
{
	const void *p = member(obj, f->off);
	const char *s;

	switch (f->type) {
	case F_STR:
		return *(char *const *)p;
	case F_ID:
		s = *(char *const *)p;
		return s != NULL && valid_id(s) ? s : NULL;
	case F_TIME:
		return time_text(*(const time_t *)p, buf, len);
	case F_BOOL:
		return *(const bool *)p ? "true" : "false";
	case F_STATUS:
		return gd_status_name(*(const enum gd_status *)p);
	case F_OPER:
		return gd_oper_name(*(const enum gd_oper *)p);
	case F_ADMIN:
		return known_word(gd_admin_name(*(const enum gd_admin *)p));
	case F_PROBE:
		return known_word(gd_probe_name(*(const enum gd_probe *)p));
	default:
		return number_text(f, p, buf, len);
	}
}

/*
 * XML 1.0 carries neither most control characters nor invalid UTF-8,
 * and an agent's strings come from SNMP, where anything goes.
 */

/* Length of the UTF-8 sequence at s if it is an XML Char, else 0. */
static size_t xml_char_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		       s[0] == '\r';
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/*
 * s with every byte that does not start an XML Char replaced by U+FFFD,
 * malloc'd, into *out; *out NULL when s is fine as it is (the usual
 * case, which costs no copy).  -1 when out of memory.
 */
static int xml_clean(const char *s, char **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, o = 0;
	char *c;

	*out = NULL;
	while (p[i] != '\0' && (n = xml_char_len(p + i)) > 0)
		i += n;
	if (p[i] == '\0')
		return 0;
	/* at worst every byte becomes three */
	c = malloc(strlen(s) * 3 + 1);
	if (c == NULL)
		return -1;
	for (i = 0; p[i] != '\0'; i += n ? n : 1) {
		n = xml_char_len(p + i);
		memcpy(c + o, n ? s + i : "\xef\xbf\xbd", n ? n : 3);
		o += n ? n : 3;
	}
	c[o] = '\0';
	*out = c;
	return 0;
}

/* ---- writing ---- */

/* A sticky-error wrapper around libxml2's writer. */
struct writer {
	xmlTextWriterPtr w;
	struct gd_afile af;
	bool failed;
	size_t skipped;		/* objects left out for a bad id */
};

static void w_check(struct writer *wr, int rc)
{
	if (rc < 0)
		wr->failed = true;
}

static void w_start(struct writer *wr, const char *name)
{
	if (!wr->failed)
		w_check(wr, xmlTextWriterStartElement(wr->w, BAD_CAST name));
}

static void w_end(struct writer *wr)
{
	if (!wr->failed)
		w_check(wr, xmlTextWriterEndElement(wr->w));
}

/* An attribute (text NULL: a text node) with its value made safe. */
static void w_string(struct writer *wr, const char *attr, const char *value)
{
	char *clean = NULL;

	if (wr->failed)
		return;
	if (xml_clean(value, &clean) < 0) {
		wr->failed = true;
		return;
	}
	if (clean != NULL)
		value = clean;
	if (attr != NULL)
		w_check(wr, xmlTextWriterWriteAttribute(wr->w, BAD_CAST attr,
							BAD_CAST value));
	else
		w_check(wr, xmlTextWriterWriteString(wr->w, BAD_CAST value));
	free(clean);
}

static void write_fields(struct writer *wr, const struct field *fields,
			 size_t n, const void *obj)
{
	char buf[32];

	for (size_t i = 0; i < n; i++) {
		const char *v = field_text(&fields[i], obj, buf, sizeof buf);

		/* a required string (the peer) is never left out */
		if (v == NULL && fields[i].required)
			v = "";
		if (v != NULL)
			w_string(wr, fields[i].name, v);
	}
}

static void write_object(struct writer *wr, const struct kind *k,
			 const void *obj)
{
	const char *id = *(char *const *)member(obj, k->fields[0].off);
	const char *text;

	if (id == NULL || !valid_id(id)) {
		wr->skipped++;
		return;
	}
	w_start(wr, k->element);
	write_fields(wr, k->fields, k->nfields, obj);
	if (k->text != NO_TEXT &&
	    (text = *(char *const *)member(obj, k->text)) != NULL) {
		w_start(wr, TEXT_ELEMENT);
		w_string(wr, NULL, text);
		w_end(wr);
	}
	w_end(wr);
}

static void write_agent(struct writer *wr, const struct gd_state_agent *a)
{
	w_start(wr, "agent");
	write_fields(wr, agent_fields, NELEM(agent_fields), a);
	for (size_t k = 0; k < NELEM(kinds); k++) {
		void *array = *kind_array(a, &kinds[k]);

		for (size_t i = 0; i < *kind_count(a, &kinds[k]); i++)
			write_object(wr, &kinds[k],
				     kind_obj(array, &kinds[k], i));
	}
	w_end(wr);
}

static void write_doc(struct writer *wr, const struct gd_state *st)
{
	char buf[32];
	const char *gen = time_text(st->generated, buf, sizeof buf);

	if (gen == NULL)	/* the caller did not say: now */
		gen = time_text(time(NULL), buf, sizeof buf);
	w_check(wr, xmlTextWriterSetIndent(wr->w, 1));
	w_check(wr, xmlTextWriterSetIndentString(wr->w, BAD_CAST "  "));
	w_check(wr, xmlTextWriterStartDocument(wr->w, "1.0", "UTF-8", NULL));
	w_start(wr, "state");
	w_string(wr, "xmlns", GD_STATE_NS);
	w_string(wr, "version", "1");
	w_string(wr, "generated", gen);
	for (size_t i = 0; i < st->nagents; i++)
		write_agent(wr, &st->agents[i]);
	w_end(wr);
	if (!wr->failed)
		w_check(wr, xmlTextWriterEndDocument(wr->w));
}

/* libxml2's output callback: straight into the temporary file. */
/* A failed write (a full disk) is kept in af.error and reported by
 * gd_state_write with its errno; telling libxml2 would make it print its
 * own "I/O error : flush error" on stderr at every try. */
static int afile_out(void *ctx, const char *buf, int len)
{
	gd_afile_write(ctx, buf, (size_t)len);
	return len;
}

int gd_state_write(const char *path, const struct gd_state *st)
{
	struct writer wr = { .w = NULL };
	xmlOutputBufferPtr out;

	if (gd_afile_open(&wr.af, path, 0644) < 0)
		return -1;
	out = xmlOutputBufferCreateIO(afile_out, NULL, &wr.af, NULL);
	/* the writer owns out once it exists (xmlFreeTextWriter closes it) */
	wr.w = out != NULL ? xmlNewTextWriter(out) : NULL;
	if (wr.w == NULL) {
		if (out != NULL)
			xmlOutputBufferClose(out);
		gd_afile_abort(&wr.af);
		errno = ENOMEM;
		return -1;
	}
	write_doc(&wr, st);
	xmlFreeTextWriter(wr.w);	/* flushes the rest into af */
	if (wr.skipped > 0)
		log_warn("%s: %zu objects with an invalid id left out", path,
			 wr.skipped);
	if (wr.failed || wr.af.error != 0) {
		int saved = wr.af.error != 0 ? wr.af.error : EIO;

		gd_afile_abort(&wr.af);
		errno = saved;
		return -1;
	}
	return gd_afile_commit(&wr.af);
}

/* ---- reading ---- */

struct reader {
	const char *file;
	struct gd_errlist *errs;
};

/* Decimal digits only (what the writer writes), at most max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int set_number(const struct field *f, void *p, const char *v)
{
	uint64_t x;

	switch (f->type) {
	case F_UINT:
	case F_PORT:
		if (parse_u64(v, f->type == F_PORT ? 65535 : UINT_MAX, &x) < 0)
			return -1;
		if (f->type == F_PORT && x == 0)	/* 0 is written absent */
			return -1;
		*(unsigned *)p = (unsigned)x;
		return 0;
	case F_U32:
	case F_HEARTBEAT:
		if (parse_u64(v, UINT32_MAX, &x) < 0)
			return -1;
		*(uint32_t *)p = (uint32_t)x;
		return 0;
	default:
		return parse_u64(v, UINT64_MAX, (uint64_t *)p);
	}
}

static int set_string(void *p, const char *v)
{
	char *copy = strdup(v);

	if (copy == NULL)
		return -1;
	free(*(char **)p);
	*(char **)p = copy;
	return 0;
}

static int set_bool(bool *p, const char *v)
{
	if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return -1;
	*p = v[0] == 't';
	return 0;
}

/* Field f of obj from the attribute text v.  0, or -1 when v is bad. */
static int set_field(const struct field *f, void *obj, const char *v)
{
	void *p = member(obj, f->off);

	switch (f->type) {
	case F_STR:
		return set_string(p, v);
	case F_ID:
		return valid_id(v) ? set_string(p, v) : -1;
	case F_TIME:
		return gd_time_parse_iso8601(v, p);
	case F_BOOL:
		return set_bool(p, v);
	case F_STATUS:
		return gd_status_parse(v, p);
	case F_OPER:
		return gd_oper_parse(v, p);
	case F_ADMIN:
		return gd_admin_parse(v, p);
	case F_PROBE:
		return gd_probe_parse(v, p);
	default:
		return set_number(f, p, v);
	}
}

static void set_defaults(const struct field *fields, size_t n, void *obj)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i].type == F_HEARTBEAT)
			*(uint32_t *)member(obj, fields[i].off) =
				GD_HEARTBEAT_NONE;
}

static const struct field *field_named(const struct field *fields, size_t n,
				       const xmlChar *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, (const char *)name) == 0)
			return &fields[i];
	return NULL;
}

static const char *elem_name(xmlNodePtr node)
{
	return (const char *)node->name;
}

static void read_attr(struct reader *r, xmlNodePtr node, xmlAttrPtr at,
		      const struct field *f, void *obj)
{
	xmlNodePtr t = at->children;
	xmlChar *joined = NULL;
	const char *v;

	/* one text node is the rule; character references can split it */
	if (t != NULL && t->type == XML_TEXT_NODE && t->next == NULL) {
		v = (const char *)t->content;
	} else {
		joined = xmlNodeListGetString(node->doc, t, 1);
		v = (const char *)joined;
	}
	if (v == NULL)
		v = "";
	if (set_field(f, obj, v) < 0)
		gd_errlist_add(r->errs, r->file, gd_xml_line(node),
			       "<%s>: bad %s \"%.64s\"", elem_name(node),
			       f->name, v);
	xmlFree(joined);
}

/* The attributes of node into obj by the table; unknown ones (from a
 * newer writer) are ignored. */
static void read_fields(struct reader *r, xmlNodePtr node,
			const struct field *fields, size_t n, void *obj)
{
	uint32_t seen = 0;

	set_defaults(fields, n, obj);
	for (xmlAttrPtr at = node->properties; at != NULL; at = at->next) {
		const struct field *f = field_named(fields, n, at->name);

		if (f == NULL || at->ns != NULL)
			continue;
		read_attr(r, node, at, f, obj);
		seen |= 1u << (f - fields);
	}
	for (size_t i = 0; i < n; i++)
		if (fields[i].required && !(seen & (1u << i)))
			gd_errlist_add(r->errs, r->file, gd_xml_line(node),
				       "<%s>: missing attribute %s",
				       elem_name(node), fields[i].name);
}

static bool is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp(elem_name(n), name) == 0;
}

static const struct kind *kind_of(xmlNodePtr n)
{
	for (size_t k = 0; k < NELEM(kinds); k++)
		if (is_element(n, kinds[k].element))
			return &kinds[k];
	return NULL;
}

static void read_text(struct reader *r, xmlNodePtr node, char **out)
{
	xmlChar *text;

	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		if (!is_element(c, TEXT_ELEMENT))
			continue;
		text = xmlNodeGetContent(c);
		if (text == NULL || set_string(out, (const char *)text) < 0)
			gd_errlist_add(r->errs, r->file, gd_xml_line(c),
				       "out of memory");
		xmlFree(text);
		return;
	}
}

/* Sizes the agent's arrays by counting node's children. */
static int alloc_kinds(xmlNodePtr node, struct gd_state_agent *a)
{
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		const struct kind *k = kind_of(c);

		if (k != NULL)
			(*kind_count(a, k))++;
	}
	for (size_t k = 0; k < NELEM(kinds); k++) {
		size_t n = *kind_count(a, &kinds[k]);

		if (n > 0 && (*kind_array(a, &kinds[k]) =
			      calloc(n, kinds[k].size)) == NULL) {
			/* the destructor walks count entries: none here */
			*kind_count(a, &kinds[k]) = 0;
			return -1;
		}
	}
	return 0;
}

static void read_agent(struct reader *r, xmlNodePtr node,
		       struct gd_state_agent *a)
{
	size_t next[NELEM(kinds)] = { 0 };

	read_fields(r, node, agent_fields, NELEM(agent_fields), a);
	if (alloc_kinds(node, a) < 0) {
		gd_errlist_add(r->errs, r->file, gd_xml_line(node),
			       "out of memory");
		return;
	}
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		const struct kind *k = kind_of(c);
		void *obj;

		if (k == NULL)
			continue;
		obj = kind_obj(*kind_array(a, k), k, next[k - kinds]++);
		read_fields(r, c, k->fields, k->nfields, obj);
		if (k->text != NO_TEXT)
			read_text(r, c, member(obj, k->text));
	}
}

/* A newer format may mean other things by the same names: refuse it. */
static void check_version(struct reader *r, xmlNodePtr root)
{
	xmlChar *v = xmlGetNoNsProp(root, BAD_CAST "version");

	if (v == NULL)
		gd_errlist_add(r->errs, r->file, gd_xml_line(root),
			       "<state>: missing attribute version");
	else if (strcmp((const char *)v, "1") != 0)
		gd_errlist_add(r->errs, r->file, gd_xml_line(root),
			       "<state>: version \"%.16s\" not supported "
			       "(this reader knows 1)", (const char *)v);
	xmlFree(v);
}

static void read_root(struct reader *r, xmlNodePtr root, struct gd_state *st)
{
	static const struct field root_fields[] = {
		FLD(struct gd_state, generated, "generated", F_TIME, true),
	};
	size_t n = 0;

	if (root == NULL || !is_element(root, "state")) {
		gd_errlist_add(r->errs, r->file, root ? gd_xml_line(root) : 0,
			       "not a greendot state file");
		return;
	}
	read_fields(r, root, root_fields, NELEM(root_fields), st);
	check_version(r, root);
	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		n += is_element(c, "agent");
	if (n > 0 && (st->agents = calloc(n, sizeof *st->agents)) == NULL) {
		gd_errlist_add(r->errs, r->file, 0, "out of memory");
		return;
	}
	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		if (is_element(c, "agent"))
			read_agent(r, c, &st->agents[st->nagents++]);
}

/* libxml2's RELAX NG messages that say less than ours at the same line. */
static void drop_vague(struct gd_errlist *errs)
{
	gd_errlist_drop_vague(errs, "failed to validate attributes");
	gd_errlist_drop_vague(errs, "Invalid sequence in interleave");
	gd_errlist_sort(errs);
}

/* Validates and reads doc (NULL: reading failed, errs says why, errno
 * why too); frees doc.  Shared by the file and the memory entry points. */
static int read_doc(xmlDocPtr doc, const char *path, const char *schema,
		    struct gd_state **out, struct gd_errlist *errs,
		    size_t nerr)
{
	struct reader r = { path, errs };
	struct gd_state *st = NULL;
	char buf[4096];
	int saved = doc == NULL ? errno : EINVAL;

	if (doc == NULL)
		goto out;
	if (schema == NULL &&
	    (schema = gd_schema_path("state.rng", buf, sizeof buf)) == NULL) {
		gd_errlist_add(errs, path, 0, "schema path too long");
		goto out;
	}
	/* on when invalid: the reader names the attribute and its value */
	gd_xml_validate(doc, schema, path, errs);
	st = calloc(1, sizeof *st);
	if (st != NULL)
		read_root(&r, xmlDocGetRootElement(doc), st);
	xmlFreeDoc(doc);
	doc = NULL;
	if (st != NULL && errs->n == nerr) {
		*out = st;
		return 0;
	}
	if (errs->n == nerr)
		gd_errlist_add(errs, path, 0, "out of memory");
	drop_vague(errs);
out:
	xmlFreeDoc(doc);
	gd_state_free(st);	/* nothing half-loaded */
	errno = saved;
	return -1;
}

int gd_state_read(const char *path, const char *schema, struct gd_state **out,
		  struct gd_errlist *errs)
{
	size_t nerr = errs->n;

	return read_doc(gd_xml_read(path, GD_STATE_MAX_BYTES, errs), path,
			schema, out, errs, nerr);
}

int gd_state_read_memory(const char *buf, size_t len, const char *name,
			 const char *schema, struct gd_state **out,
			 struct gd_errlist *errs)
{
	size_t nerr = errs->n;
	xmlDocPtr doc = NULL;

	if (len > GD_STATE_MAX_BYTES) {
		gd_errlist_add(errs, name, 0, "file larger than %u bytes",
			       GD_STATE_MAX_BYTES);
		errno = EFBIG;
	} else {
		doc = gd_xml_read_memory(buf, len, name, errs);
	}
	return read_doc(doc, name, schema, out, errs, nerr);
}

/* ---- freeing ---- */

static void free_fields(const struct field *fields, size_t n, void *obj)
{
	for (size_t i = 0; i < n; i++) {
		char **p = member(obj, fields[i].off);

		if (fields[i].type != F_STR && fields[i].type != F_ID)
			continue;
		free(*p);
		*p = NULL;
	}
}

static void free_kind(struct gd_state_agent *a, const struct kind *k)
{
	void **array = kind_array(a, k);

	for (size_t i = 0; i < *kind_count(a, k); i++) {
		void *obj = kind_obj(*array, k, i);

		free_fields(k->fields, k->nfields, obj);
		if (k->text != NO_TEXT)
			free(*(char **)member(obj, k->text));
	}
	free(*array);
	*array = NULL;
	*kind_count(a, k) = 0;
}

void gd_state_agent_clear(struct gd_state_agent *a)
{
	for (size_t k = 0; k < NELEM(kinds); k++)
		free_kind(a, &kinds[k]);
	free_fields(agent_fields, NELEM(agent_fields), a);
}

void gd_state_free(struct gd_state *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->nagents; i++)
		gd_state_agent_clear(&st->agents[i]);
	free(st->agents);
	free(st);
}
