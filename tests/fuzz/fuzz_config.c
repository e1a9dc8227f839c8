/*
 * fuzz_config.c — the config loader (common/config.c) on any bytes:
 * gd_xml_read_memory, RELAX NG validation against greendot.rng, the
 * model build and the semantic checks.
 *
 * Beyond "no crash, no leak": a config that loads keeps the promises of
 * config.h (valid unique ids that find themselves, references in range,
 * each group's servers contiguous, timeout below interval, ports in
 * range), and one that is refused says at least one thing and returns
 * no model.
 */
#include "fuzz.h"

#include "config.h"
#include "xmlsafe.h"

static void check_ids(const struct gd_config *c)
{
	for (size_t i = 0; i < c->nareas; i++) {
		FZ_ASSERT(gd_id_valid(c->areas[i].id));
		FZ_ASSERT(gd_config_find_area(c, c->areas[i].id) == (long)i);
	}
	for (size_t i = 0; i < c->ngroups; i++) {
		FZ_ASSERT(gd_id_valid(c->groups[i].id));
		FZ_ASSERT(gd_config_find_group(c, c->groups[i].id) == (long)i);
	}
	for (size_t i = 0; i < c->nservers; i++) {
		FZ_ASSERT(gd_id_valid(c->servers[i].id));
		FZ_ASSERT(gd_config_find_server(c, c->servers[i].id) == (long)i);
	}
	for (size_t i = 0; i < c->nservices; i++) {
		FZ_ASSERT(gd_id_valid(c->services[i].id));
		FZ_ASSERT(gd_config_find_service(c, c->services[i].id) ==
			  (long)i);
	}
}

static void check_server(const struct gd_config *c, size_t g, size_t i)
{
	const struct gd_server *s = &c->servers[i];

	FZ_ASSERT(s->group == g);
	FZ_ASSERT(s->title != NULL);
	FZ_ASSERT(s->check.timeout < s->check.interval);
	FZ_ASSERT(s->check.rise >= 1 && s->check.fall >= 1);
	if (s->probe == GD_PROBE_HEARTBEAT) {
		FZ_ASSERT(s->port == 0);
	} else {
		FZ_ASSERT(s->host != NULL);
		FZ_ASSERT(s->port >= 1 && s->port <= 65535);
	}
	if (s->probe == GD_PROBE_HTTP)
		FZ_ASSERT(s->path != NULL);
}

static void check_model(const struct gd_config *c)
{
	size_t next = 0;

	FZ_ASSERT(c->title != NULL);
	check_ids(c);
	for (size_t g = 0; g < c->ngroups; g++) {
		const struct gd_group *gr = &c->groups[g];

		FZ_ASSERT(gr->area < c->nareas);
		FZ_ASSERT(gr->first_server == next && gr->nservers > 0);
		for (size_t i = 0; i < gr->nservers; i++)
			check_server(c, g, gr->first_server + i);
		next += gr->nservers;
	}
	FZ_ASSERT(next == c->nservers);
	for (size_t i = 0; i < c->nservices; i++)
		for (size_t n = 0; n < c->services[i].nneeds; n++) {
			const struct gd_need *nd = &c->services[i].needs[n];

			for (size_t k = 0; k < nd->ngroups; k++)
				FZ_ASSERT(nd->groups[k] < c->ngroups);
		}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_quiet();
	/* the schema cache lives until exit: freed there, not per input */
	atexit(gd_xml_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	char line[1024];
	int rc;

	rc = gd_config_load_memory((const char *)data, size, "fuzz.xml", NULL,
				   &cfg, &errs);
	if (rc == 0) {
		FZ_ASSERT(cfg != NULL && errs.n == 0);
		check_model(cfg);
	} else {
		FZ_ASSERT(cfg == NULL && errs.n > 0);
	}
	for (size_t i = 0; i < errs.n; i++)
		gd_err_format(&errs.v[i], line, sizeof line);
	gd_config_free(cfg);
	gd_errlist_clear(&errs);
	return 0;
}
