/*
 * fuzz_astate.c — greendot-agent's state file reader
 * (subagent/agentstate.c, astate_load) on any bytes.  astate_load takes
 * a path: the bytes are a memfd's (nothing on disk).
 *
 * Beyond "no crash, no leak": what it returns is what model_set_config
 * relies on: per kind, valid ids, sorted and unique, indexes non-zero
 * and unique, each record found by its id; a file it refuses gives
 * nothing.  Then the model takes the saved state with the example config
 * (examples/aluminati.xml, loaded once): every object's index, whether
 * saved or new, is non-zero and unique in its table (a MIB index is
 * Unsigned32 1..).
 */
#include "fuzz.h"

#include "agentstate.h"
#include "config.h"
#include "model.h"
#include "xmlsafe.h"

#ifndef FUZZ_EXAMPLE_CONFIG
#define FUZZ_EXAMPLE_CONFIG "examples/aluminati.xml"
#endif

static struct gd_config *cfg;

static uint32_t index_of(enum model_kind k, const struct model_saved_rec *r)
{
	if (k == MODEL_AREA)
		return r->u.index;
	if (k == MODEL_SERVER)
		return r->u.srv.index;
	return r->u.status.index;
}

static void check_kind(const struct model_saved *sv, enum model_kind k)
{
	for (size_t i = 0; i < sv->n[k]; i++) {
		const struct model_saved_rec *r = &sv->v[k][i];

		FZ_ASSERT(gd_id_valid(r->id));
		FZ_ASSERT(index_of(k, r) != 0);
		FZ_ASSERT(i == 0 || strcmp(sv->v[k][i - 1].id, r->id) < 0);
		FZ_ASSERT(model_saved_find(sv, k, r->id) == r);
		for (size_t j = 0; j < i; j++)
			FZ_ASSERT(index_of(k, &sv->v[k][j]) != index_of(k, r));
	}
}

static void unique(const uint32_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		FZ_ASSERT(idx[i] != 0);
		for (size_t j = 0; j < i; j++)
			FZ_ASSERT(idx[j] != idx[i]);
	}
}

static void check_model(const struct model_saved *sv)
{
	struct model *m = model_new(NULL, NULL);
	uint32_t idx[256];

	FZ_ASSERT(m != NULL);
	FZ_ASSERT(model_set_config(m, cfg, sv, 1732834500) == 0);
	FZ_ASSERT(m->nservers <= 256);
	for (size_t i = 0; i < m->nareas; i++)
		idx[i] = m->areas[i].index;
	unique(idx, m->nareas);
	for (size_t i = 0; i < m->ngroups; i++)
		idx[i] = m->groups[i].st.index;
	unique(idx, m->ngroups);
	for (size_t i = 0; i < m->nservers; i++)
		idx[i] = m->servers[i].st.index;
	unique(idx, m->nservers);
	for (size_t i = 0; i < m->nservices; i++)
		idx[i] = m->services[i].st.index;
	unique(idx, m->nservices);
	model_free(m);
}

static void done(void)
{
	gd_config_free(cfg);
	gd_xml_cleanup();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;

	(void)argc;
	(void)argv;
	fz_quiet();
	if (gd_config_load(FUZZ_EXAMPLE_CONFIG, NULL, &cfg, &errs) < 0) {
		gd_errlist_print(&errs, stderr);
		abort();
	}
	gd_errlist_clear(&errs);
	atexit(done);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct model_saved sv;
	char path[64];
	int fd = fz_memfd(data, size, path, sizeof path), rc;

	memset(&sv, 0, sizeof sv);
	rc = astate_load(path, &sv, &errs);
	FZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		for (int k = 0; k < MODEL_KINDS; k++)
			check_kind(&sv, (enum model_kind)k);
		check_model(&sv);
	} else {
		FZ_ASSERT(errs.n > 0);
		for (int k = 0; k < MODEL_KINDS; k++)
			FZ_ASSERT(sv.n[k] == 0);
	}
	model_saved_free(&sv);
	gd_errlist_clear(&errs);
	close(fd);
	return 0;
}
