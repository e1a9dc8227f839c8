/*
 * cli.h — greendot-agent's command line and daemon chores.
 *
 *   greendot-agent -c CONFIG [-x AGENTX_SOCKET] [-s STATE_FILE] [-f]
 *                  [-L LOGOPT] [-P PIDFILE] [-u USER] [-i PING] [-d] [-n]
 *                  [-h] [-V]
 *
 * -L takes net-snmp's letters: -Le, -Lo, -Ln, -Lf FILE, -Ls FACILITY.
 */
#ifndef GD_CLI_H
#define GD_CLI_H

#include <stdbool.h>

#define AGENT_NAME "greendot-agent"
#define AGENT_VERSION "1.0"

struct cli_opts {
	const char *config;
	const char *socket;		/* NULL: net-snmp's default */
	const char *state;		/* NULL: no state file */
	const char *pidfile;
	const char *user;		/* -u: run as USER once connected */
	char log_spec[1024];		/* log.h's spec: "e", "f FILE", ... */
	int ping_interval;		/* seconds, 0: default */
	bool foreground, check_only, debug;
	char *owned[3];			/* absolute paths: cli_free */
};

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_EXIT_USAGE };

/* Parses argv; on CLI_EXIT_* the caller exits (0 or 1) after the usage
 * or version text was printed. */
enum cli_result cli_parse(int argc, char **argv, struct cli_opts *o);

/* Paths made absolute, so that they survive the chdir("/") of
 * cli_daemonize.  0, or -1 (logged).  cli_free releases them. */
int cli_absolute_paths(struct cli_opts *o);
void cli_free(struct cli_opts *o);

/* Detaches from the terminal; the parent exits 0.  0, or -1. */
int cli_daemonize(void);

/* Writes our pid to path (atomically); cli_pidfile_remove at exit. */
int cli_pidfile_write(const char *path);
void cli_pidfile_remove(const char *path);

#endif
