/*
 * snmp_args.c — the command line and net-snmp's set-up; see snmp_args.h.
 */
#include "snmp_args.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "log.h"
#include "priv.h"

#define NETSNMP_LETTERS "v:c:u:l:a:A:x:X:e:E:n:Z:t:r:"
#define OUR_LETTERS "L:fhV"
#define MON_VERSION "greendot-monitor 1.0"

enum {
	OPT_DATA = 256, OPT_ONCE, OPT_INTERVAL, OPT_TRAP_LISTEN,
	OPT_TRAP_COMMUNITY, OPT_RRDCACHED, OPT_RENDER_TO, OPT_NEWS,
	OPT_INFLIGHT, OPT_USER, OPT_HELP, OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "data", required_argument, NULL, OPT_DATA },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "trap-listen", required_argument, NULL, OPT_TRAP_LISTEN },
	{ "trap-community", required_argument, NULL, OPT_TRAP_COMMUNITY },
	{ "rrdcached", required_argument, NULL, OPT_RRDCACHED },
	{ "render-to", required_argument, NULL, OPT_RENDER_TO },
	{ "news", required_argument, NULL, OPT_NEWS },
	{ "inflight", required_argument, NULL, OPT_INFLIGHT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void args_usage(FILE *f)
{
	fprintf(f,
"usage: greendot-monitor [net-snmp options] [-L LOGOPT] [-f] --data DIR\n"
"         [--once] [--interval S] [--trap-listen ADDR] [--trap-community C]\n"
"         [--rrdcached ADDR] [--render-to DIR [--news FILE]] [--inflight N]\n"
"         [--user USER] AGENT [AGENT ...]\n"
"  net-snmp options, as for snmpwalk: -v 1|2c|3  -c COMMUNITY  -u USER\n"
"    -l LEVEL  -a PROTO  -A PASS  -x PROTO  -X PASS  -e ENGINEID\n"
"    -E ENGINEID  -n CONTEXT  -Z BOOTS,TIME  -t TIMEOUT  -r RETRIES\n"
"  -L LOGOPT          log to e (stderr), o, f FILE, s FACILITY, n\n"
"                     (default: e, or s daemon once detached)\n"
"  -f                 stay in the foreground (the default with --once)\n"
"  --data DIR         where rrd/, state.xml and journal live\n"
"  --once             one poll cycle, then exit (non-zero: no agent polled)\n"
"  --interval S       seconds between cycles (default 60)\n"
"  --trap-listen ADDR receive notifications (udp:127.0.0.1:162)\n"
"  --trap-community C the community v1/v2c notifications must carry\n"
"                     (default: the -c community)\n"
"  --rrdcached ADDR   write RRD files through rrdcached\n"
"                     (default: $RRDCACHED_ADDRESS)\n"
"  --render-to DIR    run greendot-render into DIR after each change\n"
"  --news FILE        the news file greendot-render is given\n"
"  --inflight N       requests in flight per agent (default 16)\n"
"  --user USER        once the notification port is bound, run as USER\n"
"                     (--data must be USER's to write)\n"
"  AGENT              a net-snmp peer name: udp:127.0.0.1:161\n");
}

/* net-snmp's messages join ours; they end in a newline ours do not. */
static int args_snmp_log(int major, int minor, void *server_arg,
			 void *client_arg)
{
	const struct snmp_log_message *m = server_arg;
	size_t len = m->msg != NULL ? strlen(m->msg) : 0;

	(void)major;
	(void)minor;
	(void)client_arg;
	while (len > 0 && (m->msg[len - 1] == '\n' || m->msg[len - 1] == '\r'))
		len--;
	if (len > 0)
		gd_log(m->priority, "net-snmp: %.*s", (int)len, m->msg);
	return 0;
}

static void snmp_setup(void)
{
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       args_snmp_log, NULL);
	snmp_enable_calllog();
	/* no MIB is needed (OIDs are numeric), and no persistent file is
	 * ours to write */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_QUICK_PRINT, 1);
	/* read snmp.conf and greendot-monitor.conf; snmp_parse_args' own
	 * init_snmp("snmpapp") is then a no-op */
	init_snmp("greendot-monitor");
}

static int number(const char *s, double min, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}

/* One of our options; -1 on a bad value. */
static int our_option(int c, const char *arg, struct mon_opts *o)
{
	double v;

	switch (c) {
	case OPT_DATA: o->data = arg; return 0;
	case OPT_ONCE: o->once = true; return 0;
	case OPT_TRAP_LISTEN: o->trap_listen = arg; return 0;
	case OPT_TRAP_COMMUNITY: o->trap_community = arg; return 0;
	case OPT_RRDCACHED: o->rrdcached = arg; return 0;
	case OPT_RENDER_TO: o->render_to = arg; return 0;
	case OPT_NEWS: o->news = arg; return 0;
	case OPT_USER: o->user = arg; return 0;
	case 'f': o->foreground = true; return 0;
	case OPT_INTERVAL:
		if (number(arg, 0.05, 86400, &o->interval) == 0)
			return 0;
		fprintf(stderr, "--interval: not a number of seconds: %s\n",
			arg);
		return -1;
	case OPT_INFLIGHT:
		if (number(arg, 1, 1000, &v) == 0) {
			o->inflight = (unsigned)v;
			return 0;
		}
		fprintf(stderr, "--inflight: not 1 to 1000: %s\n", arg);
		return -1;
	}
	return -1;
}

/*
 * -L as net-snmp takes it: "-Lf FILE" and "-Ls FACILITY" take the next
 * word when the letter stands alone ("-Lf/var/log/x" works too); log.h
 * wants "f FILE".
 */
static int log_option(const char *arg, int argc, char **argv,
		      struct mon_opts *o)
{
	const char *value = arg + 1;
	size_t len;

	if ((arg[0] == 'f' || arg[0] == 's') && arg[1] == '\0') {
		if (optind >= argc) {
			fprintf(stderr, "-L%s: needs a value\n", arg);
			return -1;
		}
		value = argv[optind++];
	}
	len = strlen(value) + 3;
	free(o->log_buf);
	o->log_buf = malloc(len);
	if (o->log_buf == NULL)
		return -1;
	snprintf(o->log_buf, len, "%c %s", arg[0], value);
	o->log_spec = o->log_buf;
	return 0;
}

/*
 * Separates the net-snmp letters (into snmp_argv after argv[0], each as
 * "-X" from flags, then its value) from ours.  Returns 0, 1 for -h/-V
 * (answered), -1 on a usage error.
 */
static int split_args(int argc, char **argv, struct mon_opts *o,
		      char **snmp_argv, int *snmp_argc, char (*flags)[3])
{
	int c, nflags = 0;

	*snmp_argc = 1;
	snmp_argv[0] = argv[0];
	optind = 1;
	/* "+": stop at the first AGENT, as snmpwalk does */
	while ((c = getopt_long(argc, argv, "+" NETSNMP_LETTERS OUR_LETTERS,
				long_opts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			args_usage(stdout);
			return 1;
		}
		if (c == 'V' || c == OPT_VERSION) {
			printf("%s (net-snmp %s)\n", MON_VERSION,
			       netsnmp_get_version());
			return 1;
		}
		if (c == '?')
			return -1;
		if (c < 256 && strchr(NETSNMP_LETTERS, c) != NULL) {
			flags[nflags][0] = '-';
			flags[nflags][1] = (char)c;
			snmp_argv[(*snmp_argc)++] = flags[nflags++];
			/* optarg points into argv: net-snmp blanks the
			 * secrets (-c -A -X -u) there, hiding them from ps */
			snmp_argv[(*snmp_argc)++] = optarg;
			continue;
		}
		if (c == 'L' ? log_option(optarg, argc, argv, o) < 0 :
		    our_option(c, optarg, o) < 0)
			return -1;
	}
	return 0;
}

static int check_opts(struct mon_opts *o, int argc, char **argv)
{
	struct gd_user u;

	o->agents = argv + optind;
	o->nagents = (size_t)(argc - optind);
	if (o->data == NULL) {
		fprintf(stderr, "greendot-monitor: --data DIR is required\n");
		return -1;
	}
	if (o->nagents == 0) {
		fprintf(stderr, "greendot-monitor: no AGENT given\n");
		return -1;
	}
	if (o->news != NULL && o->render_to == NULL) {
		fprintf(stderr, "greendot-monitor: --news needs --render-to\n");
		return -1;
	}
	if (o->user != NULL && gd_priv_lookup(o->user, &u) < 0) {
		fprintf(stderr, "greendot-monitor: --user %s: %s\n", o->user,
			gd_priv_strerror(errno));
		return -1;
	}
	if (o->rrdcached == NULL)
		o->rrdcached = getenv("RRDCACHED_ADDRESS");
	if (o->rrdcached != NULL && o->rrdcached[0] == '\0')
		o->rrdcached = NULL;
	return 0;
}

static int snmp_options(struct mon_opts *o, char **snmp_argv, int snmp_argc)
{
	int rc;

	o->session = calloc(1, sizeof *o->session);
	if (o->session == NULL)
		return -1;
	snmp_argv[snmp_argc++] = o->agents[0];
	snmp_setup();
	/* NOLOGGING: our log callback stays the only log */
	rc = netsnmp_parse_args(snmp_argc, snmp_argv, o->session, "", NULL,
				NETSNMP_PARSE_ARGS_NOLOGGING);
	/* the peer's position on success, negative on an error */
	if (rc < 0) {
		fprintf(stderr, "greendot-monitor: bad net-snmp options\n");
		return -1;
	}
	if (o->trap_community == NULL && o->session->community != NULL)
		o->trap_community = (const char *)o->session->community;
	return 0;
}

int args_parse(int argc, char **argv, struct mon_opts *o)
{
	char **snmp_argv = calloc((size_t)argc * 2 + 2, sizeof *snmp_argv);
	char (*flags)[3] = calloc((size_t)argc + 1, sizeof *flags);
	int snmp_argc, rc = -1;

	memset(o, 0, sizeof *o);
	o->interval = MON_DEFAULT_INTERVAL;
	o->inflight = MON_DEFAULT_INFLIGHT;
	o->log_spec = "e";
	if (snmp_argv != NULL && flags != NULL)
		rc = split_args(argc, argv, o, snmp_argv, &snmp_argc, flags);
	if (rc == 0 && check_opts(o, argc, argv) < 0)
		rc = -1;
	if (rc == 0 && snmp_options(o, snmp_argv, snmp_argc) < 0)
		rc = -1;
	if (rc < 0)
		args_usage(stderr);
	free(snmp_argv);
	free(flags);
	return rc;
}

void args_free(struct mon_opts *o)
{
	free(o->log_buf);
	o->log_buf = NULL;
	if (o->session != NULL) {
		/* what snmp_parse_args allocated into the template; its
		 * peername points into argv, and its protocol OIDs are the
		 * library's static arrays when -a/-x named them (a copy of
		 * the configured default otherwise): left alone */
		free(o->session->community);
		free(o->session->securityEngineID);
		free(o->session->contextEngineID);
		free(o->session);
	}
	o->session = NULL;
}
