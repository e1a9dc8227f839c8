/*
 * agent.c — greendot-agent's wiring and life cycle; see agent.h.
 */
#include "agent.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agentstate.h"
#include "agentx.h"
#include "cli.h"
#include "config.h"
#include "evloop.h"
#include "log.h"
#include "mib.h"
#include "model.h"
#include "notify.h"
#include "priv.h"
#include "probe.h"
#include "xmlsafe.h"

#define SAVE_CHECK_NS EV_NS_PER_SEC	/* state saved at most once a second */
#define SAVE_ANYWAY_S 300		/* and this often for the counters */

struct agent {
	struct cli_opts opts;
	struct ev_loop *loop;
	struct gd_config *cfg;		/* in effect; owned */
	struct model *model;
	struct gd_prober *prober;
	struct mib_agent_info info;
	struct mib_ops ops;
	struct ev_timer save_timer;
	struct gd_user user;		/* -u */
	uint64_t saved_changes;
	time_t last_save;
	bool save_failing;		/* the last save failed: retried */
	struct gd_ratelimit rl_save;
	int exit_code;
};

/* --- callbacks between the parts -------------------------------------------- */

static void on_probe(void *arg, size_t server, const struct gd_probe_result *r)
{
	struct agent *a = arg;

	model_probe_result(a->model, server, r->ok, r->latency_us, r->error,
			   time(NULL));
}

static void on_event(void *arg, const struct model_event *ev)
{
	(void)arg;
	notify_event(ev);
}

static void on_set_admin(void *arg, size_t server, enum gd_admin admin)
{
	struct agent *a = arg;

	model_set_admin(a->model, server, admin, time(NULL));
}

static void on_heartbeat(void *arg, size_t server, unsigned status)
{
	struct agent *a = arg;
	time_t now = time(NULL);

	gd_prober_heartbeat(a->prober, server, status, now);
	model_heartbeat(a->model, server, status, now);
}

static void on_connection(void *arg, bool up)
{
	(void)arg;
	notify_set_connected(up);
}

/* --- state file ------------------------------------------------------------- */

/*
 * A failed save (a full disk: the old file stays, afile.h) is not taken
 * as done, so the save timer tries again every second until it works;
 * said when it starts failing, then rate-limited, and when it works.
 */
static void state_save(struct agent *a)
{
	unsigned suppressed = 0;

	if (a->opts.state == NULL)
		return;
	if (astate_save(a->opts.state, a->model) < 0) {
		/* the window starts with the first failure */
		if (gd_ratelimit(&a->rl_save, time(NULL), &suppressed) ||
		    !a->save_failing)
			log_err("%s: cannot write the state file: %m; "
				"retrying every second", a->opts.state);
		a->save_failing = true;
		return;
	}
	if (a->save_failing)
		log_notice("%s: state file written again", a->opts.state);
	a->save_failing = false;
	a->saved_changes = a->model->changes;
	a->last_save = time(NULL);
}

static void on_save_timer(struct ev_loop *loop, void *arg)
{
	struct agent *a = arg;

	if (a->save_failing || a->model->changes != a->saved_changes ||
	    time(NULL) - a->last_save >= SAVE_ANYWAY_S)
		state_save(a);
	ev_timer_start(loop, &a->save_timer, ev_now(loop) + SAVE_CHECK_NS);
}

static void state_load(struct agent *a, struct model_saved *saved)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	int rc;

	if (a->opts.state == NULL)
		return;
	rc = astate_load(a->opts.state, saved, &errs);
	gd_errlist_log(&errs, LOG_WARNING);
	gd_errlist_clear(&errs);
	if (rc == 1)
		log_info("%s: no state file yet, starting afresh",
			 a->opts.state);
	else if (rc < 0)
		log_warn("%s: state file ignored", a->opts.state);
}

/* The prober learns the heartbeats the state file remembers. */
static void restore_heartbeats(struct agent *a)
{
	for (size_t i = 0; i < a->model->nservers; i++) {
		const struct model_server *s = &a->model->servers[i];

		if (s->cfg->probe == GD_PROBE_HEARTBEAT && s->st.hb_when != 0)
			gd_prober_heartbeat_restore(a->prober, i, s->st.hb_when,
						    s->st.hb_status);
	}
}

/* --- config --------------------------------------------------------------- */

static struct gd_config *config_load(const char *path)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;

	if (gd_config_load(path, NULL, &cfg, &errs) < 0)
		gd_errlist_log(&errs, LOG_ERR);
	gd_errlist_clear(&errs);
	return cfg;
}

/* The prober first: if it refuses, nothing has changed yet.  No callback
 * runs between the two switches (both are synchronous). */
static int config_apply(struct agent *a, struct gd_config *cfg)
{
	if (gd_prober_set_config(a->prober, cfg) < 0) {
		log_err("the prober refused the new config: %m");
		return -1;
	}
	if (model_set_config(a->model, cfg, NULL, time(NULL)) < 0) {
		log_err("out of memory loading the new config");
		gd_prober_set_config(a->prober, a->cfg);
		return -1;
	}
	mib_sync();
	gd_config_free(a->cfg);
	a->cfg = cfg;
	return 0;
}

static void reload(struct agent *a)
{
	struct gd_config *cfg;

	log_notice("reloading %s", a->opts.config);
	gd_log_reopen();
	cfg = config_load(a->opts.config);
	if (cfg == NULL || config_apply(a, cfg) < 0) {
		gd_config_free(cfg);
		a->info.reload_failures++;
		log_err("%s: configuration refused; the previous one stays in "
			"effect", a->opts.config);
		return;
	}
	a->info.reloads++;
	a->info.config_loaded = time(NULL);
	log_notice("%s loaded: %zu servers, %zu groups, %zu services",
		   a->opts.config, cfg->nservers, cfg->ngroups,
		   cfg->nservices);
	state_save(a);
}

/* --- signals ---------------------------------------------------------------- */

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	struct agent *a = arg;

	if (signo == SIGHUP) {
		reload(a);
		return;
	}
	log_notice("%s: exiting", strsignal(signo));
	ev_loop_break(loop);
}

static int signals_setup(struct agent *a)
{
	const int sigs[] = { SIGHUP, SIGTERM, SIGINT };

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (ev_signal_add(a->loop, sigs[i], on_signal, a) < 0)
			return -1;
	return 0;
}

/* --- life cycle --------------------------------------------------------------- */

static int check_only(const struct cli_opts *o)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	int rc = gd_config_load(o->config, NULL, &cfg, &errs);

	if (rc == 0)
		printf("configuration ok\n");
	else
		gd_errlist_print(&errs, stderr);
	gd_config_free(cfg);
	gd_errlist_clear(&errs);
	gd_xml_cleanup();
	return rc == 0 ? 0 : 2;
}

static int model_start(struct agent *a)
{
	struct model_saved saved = { .next = { 0 } };
	int rc;

	a->model = model_new(on_event, a);
	if (a->model == NULL || notify_init(a->model, 0) < 0)
		return -1;
	state_load(a, &saved);
	rc = model_set_config(a->model, a->cfg, &saved, time(NULL));
	model_saved_free(&saved);
	return rc;
}

static int snmp_start(struct agent *a)
{
	struct agx_opts ao = { AGENT_NAME, a->opts.socket,
			       a->opts.ping_interval, false };

	a->info = (struct mib_agent_info){
		AGENT_NAME " " AGENT_VERSION, a->opts.config, time(NULL),
		time(NULL), 0, 0 };
	a->ops = (struct mib_ops){ on_set_admin, on_heartbeat, a };
	if (agx_init(a->loop, &ao, on_connection, a) < 0 ||
	    mib_init(a->model, &a->info, &a->ops) < 0 || mib_sync() < 0)
		return -1;
	agx_start();
	return 0;
}

static int prober_start(struct agent *a)
{
	a->prober = gd_prober_new(a->loop, on_probe, a);
	if (a->prober == NULL || gd_prober_set_config(a->prober, a->cfg) < 0)
		return -1;
	restore_heartbeats(a);
	return 0;
}

static int start(struct agent *a)
{
	a->loop = ev_loop_new();
	/* the master's socket may be root's alone: connected, root goes */
	if (a->loop == NULL || signals_setup(a) < 0 || model_start(a) < 0 ||
	    snmp_start(a) < 0 ||
	    (a->opts.user != NULL && gd_priv_drop(&a->user) < 0) ||
	    prober_start(a) < 0)
		return -1;
	a->rl_save = (struct gd_ratelimit)GD_RATELIMIT_INIT(600, 1);
	ev_timer_init(&a->save_timer, on_save_timer, a);
	ev_timer_start(a->loop, &a->save_timer, ev_now(a->loop) +
		       SAVE_CHECK_NS);
	state_save(a);
	log_notice(AGENT_NAME " " AGENT_VERSION " started: %zu servers, "
		   "%zu groups, %zu services", a->cfg->nservers,
		   a->cfg->ngroups, a->cfg->nservices);
	return 0;
}

static void stop(struct agent *a)
{
	if (a->model != NULL && a->model->cfg != NULL)
		state_save(a);
	gd_prober_free(a->prober);
	agx_disconnect();
	mib_shutdown();
	agx_shutdown();
	notify_shutdown();
	model_free(a->model);
	gd_config_free(a->cfg);
	ev_loop_free(a->loop);
	cli_pidfile_remove(a->opts.pidfile);
	gd_xml_cleanup();
}

/* Log to stderr until daemonized, then where -L says. */
static int detach(struct agent *a)
{
	if (!a->opts.foreground && cli_daemonize() < 0) {
		log_err("cannot daemonize: %m");
		return -1;
	}
	if (gd_log_open(AGENT_NAME, a->opts.log_spec) < 0) {
		log_err("cannot log to \"%s\": %m", a->opts.log_spec);
		return -1;
	}
	if (a->opts.pidfile != NULL && cli_pidfile_write(a->opts.pidfile) < 0) {
		log_err("%s: cannot write the pid file: %m", a->opts.pidfile);
		return -1;
	}
	return 0;
}

int agent_main(int argc, char **argv)
{
	struct agent a = { .exit_code = 1 };

	switch (cli_parse(argc, argv, &a.opts)) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_EXIT_USAGE:
		return 1;
	case CLI_RUN:
		break;
	}
	gd_log_open(AGENT_NAME, "e");
	if (a.opts.debug)
		gd_log_set_level(LOG_DEBUG);
	if (a.opts.check_only)
		return check_only(&a.opts);
	if (a.opts.user != NULL && gd_priv_lookup(a.opts.user, &a.user) < 0) {
		log_err("-u %s: %s", a.opts.user, gd_priv_strerror(errno));
		cli_free(&a.opts);
		return 1;
	}
	if (cli_absolute_paths(&a.opts) < 0 ||
	    (a.cfg = config_load(a.opts.config)) == NULL) {
		log_err("%s: cannot start without a valid configuration",
			a.opts.config);
		gd_xml_cleanup();
		cli_free(&a.opts);
		return 1;
	}
	if (detach(&a) == 0 && start(&a) == 0 && ev_loop_run(a.loop) == 0)
		a.exit_code = 0;
	stop(&a);
	cli_free(&a.opts);
	gd_log_close();
	return a.exit_code;
}
