/*
 * fuzz_state.c — the state.xml reader (common/state.c) on any bytes:
 * gd_xml_read_memory, validation against state.rng and the table-driven
 * reader.
 *
 * Beyond "no crash, no leak": a file that reads gives ids that are config
 * ids, ports in 1..65535 or 0, and enumerations in their ranges; one that
 * is refused says why and gives nothing.
 */
#include "fuzz.h"

#include "config.h"
#include "state.h"
#include "xmlsafe.h"

static void check_agent(const struct gd_state_agent *a)
{
	FZ_ASSERT(a->peer != NULL);
	for (size_t i = 0; i < a->nareas; i++)
		FZ_ASSERT(gd_id_valid(a->areas[i].id));
	for (size_t i = 0; i < a->ngroups; i++) {
		FZ_ASSERT(gd_id_valid(a->groups[i].id));
		FZ_ASSERT(a->groups[i].area == NULL ||
			  gd_id_valid(a->groups[i].area));
		FZ_ASSERT((unsigned)a->groups[i].status <= GD_STATUS_UNKNOWN);
	}
	for (size_t i = 0; i < a->nservers; i++) {
		const struct gd_state_server *s = &a->servers[i];

		FZ_ASSERT(gd_id_valid(s->id));
		FZ_ASSERT(s->group == NULL || gd_id_valid(s->group));
		FZ_ASSERT(s->port <= 65535);
	}
	for (size_t i = 0; i < a->nservices; i++)
		FZ_ASSERT(gd_id_valid(a->services[i].id));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_quiet();
	atexit(gd_xml_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;
	int rc;

	rc = gd_state_read_memory((const char *)data, size, "state.xml", NULL,
				  &st, &errs);
	if (rc == 0) {
		FZ_ASSERT(st != NULL && errs.n == 0);
		for (size_t i = 0; i < st->nagents; i++)
			check_agent(&st->agents[i]);
		gd_state_free(st);
	} else {
		FZ_ASSERT(errs.n > 0);
	}
	gd_errlist_clear(&errs);
	return 0;
}
