/*
 * fuzz_incidents.c — automatic incidents from journal events
 * (render/incidents.c) on any sequence of events.
 *
 * The journal's own parsing is fuzz_journal_parse's and fuzz_journal_read's
 * work (a mutated line rarely keeps its CRC); here the bytes are the
 * events themselves, 4 bytes each:
 *   byte 0  kind (group, service, server, agent) and which object (one of
 *           the state's, or one it does not know)
 *   byte 1  the new status (up, degraded, down, unknown, or a bad word)
 *           and a detail
 *   2-3     8-second steps since the previous event, signed: a clock that
 *           steps back is what a journal can hold
 * fed to a drafter over a render model built once from a fixed state.
 *
 * Beyond "no crash, no leak": what incidents.h promises — at most
 * INC_MAX incidents, each automatic, with 1 to INC_UPDATES_MAX updates,
 * none after `now`, published <= updated — and ids unique (they name
 * page anchors and feed entries), titles and texts clean.
 */
#include "fuzz.h"

#include "incidents.h"
#include "model.h"
#include "state.h"
#include "fz_clean.h"
#include "xmlsafe.h"

#define NOW 1732834500

static const char state_xml[] =
	"<state xmlns=\"urn:greendot:state:1\" version=\"1\" "
	"generated=\"2024-11-28T22:55:00Z\">"
	"<agent peer=\"p\" reachable=\"true\">"
	"<area id=\"a\" title=\"Area\"/>"
	"<group id=\"g1\" title=\"Mail\" area=\"a\" status=\"up\" "
	"members-up=\"1\" members-active=\"1\" members=\"1\"/>"
	"<group id=\"g2\" area=\"a\" status=\"down\" members-up=\"0\" "
	"members-active=\"1\" members=\"1\"/>"
	"<server id=\"s1\" group=\"g1\" status=\"up\" uptime=\"0\" "
	"latency-us=\"0\" checks=\"0\" failures=\"0\"/>"
	"<service id=\"svc\" title=\"Web &#x9; Access\" status=\"up\"/>"
	"<service id=\"svc2\" status=\"degraded\"/>"
	"</agent></state>";

static struct model m;


static const char *const ids[] = { "g1", "g2", "svc", "svc2", "s1", "nosuch" };
static const char *const words[] = { "up", "degraded", "down", "unknown",
				     "sideways", "" };
static const char *const details[] = { "", "web1 down",
				       "tab\there \xff\x01 (bad bytes)" };

static void next_event(struct fz_in *in, struct gd_event *ev, time_t *t)
{
	static const enum gd_event_kind kinds[] = {
		GD_EV_GROUP, GD_EV_SERVICE, GD_EV_SERVER, GD_EV_AGENT };
	uint8_t a = fz_u8(in), b = fz_u8(in);
	int16_t dt = (int16_t)(fz_u8(in) << 8 | fz_u8(in));

	memset(ev, 0, sizeof *ev);
	*t += (time_t)dt * 8;
	ev->time = (double)*t + 0.25;
	ev->source = GD_SRC_POLL;
	ev->kind = kinds[a & 3];
	snprintf(ev->id, sizeof ev->id, "%s", ids[(a >> 2) % 6]);
	snprintf(ev->new_status, sizeof ev->new_status, "%s", words[b % 6]);
	snprintf(ev->detail, sizeof ev->detail, "%s", details[(b >> 4) % 3]);
}


static void check(const struct news *n)
{
	FZ_ASSERT(n->n <= INC_MAX);
	for (size_t i = 0; i < n->n; i++) {
		const struct news_item *it = &n->items[i];

		FZ_ASSERT(it->automatic && it->kind == NEWS_INCIDENT);
		FZ_ASSERT(it->nupdates >= 1 && it->nupdates <= INC_UPDATES_MAX);
		FZ_ASSERT(it->published <= it->updated && it->updated <= NOW);
		FZ_ASSERT(fz_clean(it->title) && strchr(it->title, '\n') == NULL);
		for (size_t u = 0; u < it->nupdates; u++)
			FZ_ASSERT(it->updates[u].at <= NOW &&
				  fz_clean(it->updates[u].text));
		for (size_t k = 0; k < i; k++)
			FZ_ASSERT(strcmp(n->items[k].id, it->id) != 0);
	}
}

static void done(void)
{
	model_free(&m);
	gd_xml_cleanup();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_state *st = NULL;

	(void)argc;
	(void)argv;
	fz_quiet();
	if (gd_state_read_memory(state_xml, sizeof state_xml - 1, "state.xml",
				 NULL, &st, &errs) < 0) {
		gd_errlist_print(&errs, stderr);
		abort();
	}
	if (model_build(&m, st, NULL, NOW) < 0)
		abort();
	atexit(done);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct inc_drafter *d = inc_new(&m, NOW);
	struct news out = { 0 };
	struct gd_event ev;
	time_t t = NOW - 40 * 86400;

	FZ_ASSERT(d != NULL);
	while (in.n > 0) {
		next_event(&in, &ev, &t);
		FZ_ASSERT(inc_event(d, &ev) == 0);
	}
	FZ_ASSERT(inc_finish(d, &out) == 0);
	check(&out);
	news_free(&out);
	return 0;
}
