/*
 * greendot-monitor — polls greendot agents, listens for their
 * notifications, keeps RRD files, the state file and the event journal.
 *
 * The daemon detaches unless -f (or --once) is given, like
 * greendot-agent, and then logs to syslog (facility daemon) unless -L
 * says otherwise; under systemd run it with -f (Type=simple).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "afile.h"
#include "evloop.h"
#include "log.h"
#include "mon.h"
#include "snmp_args.h"
#include "xmlsafe.h"

/* path after the working folder, if relative; it need not exist. */
static char *joined_cwd(const char *path)
{
	char *cwd, *out = NULL;

	if (path[0] == '/')
		return strdup(path);
	cwd = getcwd(NULL, 0);
	if (cwd != NULL && asprintf(&out, "%s/%s", cwd, path) < 0)
		out = NULL;
	free(cwd);
	return out;
}

/* The data folder, absolute: the daemon leaves its working folder.  Made
 * here, before detaching, so that a mistake shows on the terminal; with
 * --user it is made once root is gone (mon.c), or it would be root's. */
static char *absolute_data(const struct mon_opts *o)
{
	if (o->user != NULL)
		return joined_cwd(o->data);
	if (gd_mkdir_p(o->data, 0755) < 0) {
		fprintf(stderr, "greendot-monitor: --data %s: %s\n", o->data,
			strerror(errno));
		return NULL;
	}
	return realpath(o->data, NULL);
}

static int run(struct mon_opts *o)
{
	struct ev_loop *loop = NULL;
	struct mon *m = NULL;
	int rc = 1;

	if (!o->foreground && !o->once && daemon(0, 0) < 0) {
		log_err("daemon: %s", strerror(errno));
		return 1;
	}
	loop = ev_loop_new();
	if (loop == NULL) {
		log_err("event loop: %s", strerror(errno));
		return 1;
	}
	m = mon_new(loop, o);
	if (m != NULL)
		rc = mon_run(m);
	mon_free(m);
	ev_loop_free(loop);
	return rc;
}

int main(int argc, char **argv)
{
	struct mon_opts o;
	char *data = NULL;
	int rc;

	rc = args_parse(argc, argv, &o);
	if (rc != 0) {
		args_free(&o);
		return rc > 0 ? 0 : 1;
	}
	/* a daemon's stderr is /dev/null: without -L it logs to syslog */
	if (!o.foreground && !o.once && strcmp(o.log_spec, "e") == 0)
		o.log_spec = "s daemon";
	if (gd_log_open("greendot-monitor", o.log_spec) < 0) {
		fprintf(stderr, "greendot-monitor: -L %s: bad log option\n",
			o.log_spec);
		args_free(&o);
		return 1;
	}
	data = absolute_data(&o);
	rc = 1;
	if (data != NULL) {
		o.data = data;
		rc = run(&o);
	}
	free(data);
	args_free(&o);
	snmp_shutdown("greendot-monitor");
	gd_xml_cleanup();
	gd_log_close();
	return rc;
}
