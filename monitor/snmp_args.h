/*
 * snmp_args.h — greendot-monitor's command line, and net-snmp set up.
 *
 *   greendot-monitor [-v 1|2c|3] [-c COMMUNITY] [-u USER] [-l LEVEL]
 *       [-a PROTO] [-A PASS] [-x PROTO] [-X PASS] [-e ENGINEID]
 *       [-E ENGINEID] [-n CONTEXT] [-Z BOOTS,TIME] [-t TIMEOUT] [-r RETRIES]
 *       [-L LOGOPT] [-f] [-h] [-V] --data DIR [--once] [--interval S]
 *       [--trap-listen ADDR] [--trap-community C] [--rrdcached ADDR]
 *       [--render-to DIR [--news FILE]] [--inflight N] [--user USER]
 *       AGENT [AGENT ...]
 *
 * The net-snmp letters mean what they mean to snmpget and snmpwalk: they
 * are collected here and handed to net-snmp's own snmp_parse_args() (with
 * the first AGENT as its peer), which builds the session every agent's
 * session is copied from and turns -A/-X pass phrases into keys.  Long
 * options are ours alone: getopt_long takes them out first, so none of
 * them can reach net-snmp's "--token=value" config-line parser.
 *
 * -t and -r apply to every agent.  -L, -f, -h, -V are the monitor's (-L
 * as in snmpd: e, o, f FILE, s FACILITY, n; the letters may be glued:
 * -Lf FILE, -Ls daemon).
 *
 * net-snmp's configuration type is "greendot-monitor": it reads
 * snmp.conf and greendot-monitor.conf (SNMPCONFPATH), which may hold
 * createUser lines for notification senders this monitor does not poll.
 */
#ifndef GD_SNMP_ARGS_H
#define GD_SNMP_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct snmp_session;

#define MON_DEFAULT_INTERVAL 60.0
#define MON_DEFAULT_INFLIGHT 16

struct mon_opts {
	const char *data;		/* --data */
	bool once;
	double interval;		/* seconds */
	const char *trap_listen;
	const char *trap_community;	/* NULL: the -c community */
	const char *rrdcached;		/* --rrdcached or RRDCACHED_ADDRESS */
	const char *render_to;
	const char *news;
	unsigned inflight;
	const char *user;		/* --user (-u is net-snmp's) */
	const char *log_spec;		/* -L, "e" by default */
	char *log_buf;			/* log_spec's storage */
	bool foreground;		/* -f */
	char **agents;			/* into argv */
	size_t nagents;
	struct snmp_session *session;	/* the template; args_free frees it */
};

/* Parses argv; 0 to run, 1 when -h/-V were answered (exit 0), -1 on a
 * usage error (printed; exit 1).  Sets net-snmp up (init_snmp). */
int args_parse(int argc, char **argv, struct mon_opts *o);
void args_usage(FILE *f);
void args_free(struct mon_opts *o);

#endif
