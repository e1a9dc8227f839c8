/*
 * cli.c — command line and daemon chores; see cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "log.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " AGENT_NAME " -c CONFIG [-x AGENTX_SOCKET] [-s STATE_FILE] [-f]\n"
		"       [-L LOGOPT] [-P PIDFILE] [-u USER] [-i SECONDS] [-d] [-n]\n"
		"       [-h] [-V]\n"
		"  -c CONFIG  the infrastructure config (XML)\n"
		"  -x SOCKET  the master agent's AgentX socket (default: net-snmp's)\n"
		"  -s FILE    state file: statuses, uptimes, counters, indexes and\n"
		"             admin overrides survive a restart\n"
		"  -f         stay in the foreground\n"
		"  -L OPT     log: -Le stderr (default), -Lo stdout, -Ln nowhere,\n"
		"             -Lf FILE, -Ls FACILITY (syslog)\n"
		"  -P FILE    write the pid to FILE\n"
		"  -u USER    once connected to the master, run as USER (the\n"
		"             state file's folder must be writable by USER)\n"
		"  -i SECONDS AgentX ping and reconnect interval (default 5)\n"
		"  -d         debug logging\n"
		"  -n         check the config, print \"configuration ok\" or its errors\n"
		"  -h         this help\n"
		"  -V         print the version\n");
}

/* -Lf FILE and -Ls FAC take their argument as the next word, as snmpd. */
static int log_option(const char *arg, int argc, char **argv,
		      struct cli_opts *o)
{
	const char *rest = arg + 1;

	if (strchr("eEoOnN", arg[0]) != NULL && arg[1] == '\0') {
		snprintf(o->log_spec, sizeof o->log_spec, "%c", arg[0]);
		return 0;
	}
	if (strchr("fFsS", arg[0]) == NULL)
		return -1;
	while (*rest == ' ')
		rest++;
	if (*rest == '\0' && optind < argc)
		rest = argv[optind++];
	if (*rest == '\0' && strchr("sS", arg[0]) == NULL)
		return -1;
	snprintf(o->log_spec, sizeof o->log_spec, "%c %s", arg[0], rest);
	return 0;
}

static int positive(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0 || v > 3600)
		return -1;
	*out = (int)v;
	return 0;
}

static enum cli_result one_option(int c, int argc, char **argv,
				  struct cli_opts *o)
{
	switch (c) {
	case 'c': o->config = optarg; break;
	case 'x': o->socket = optarg; break;
	case 's': o->state = optarg; break;
	case 'P': o->pidfile = optarg; break;
	case 'u': o->user = optarg; break;
	case 'f': o->foreground = true; break;
	case 'n': o->check_only = true; break;
	case 'd': o->debug = true; break;
	case 'L':
		if (log_option(optarg, argc, argv, o) < 0) {
			fprintf(stderr, "bad -L option: %s\n", optarg);
			return CLI_EXIT_USAGE;
		}
		break;
	case 'i':
		if (positive(optarg, &o->ping_interval) < 0) {
			fprintf(stderr, "bad -i seconds: %s\n", optarg);
			return CLI_EXIT_USAGE;
		}
		break;
	case 'V':
		printf(AGENT_NAME " " AGENT_VERSION "\n");
		return CLI_EXIT_OK;
	case 'h':
		usage(stdout);
		return CLI_EXIT_OK;
	default:
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct cli_opts *o)
{
	int c;

	memset(o, 0, sizeof *o);
	strcpy(o->log_spec, "e");
	optind = 1;
	while ((c = getopt(argc, argv, "c:x:s:P:u:L:i:fndVh")) != -1) {
		enum cli_result r = one_option(c, argc, argv, o);

		if (r != CLI_RUN)
			return r;
	}
	if (o->config == NULL || optind != argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return CLI_RUN;
}

/* A path that may not exist yet: its folder made absolute.  NULL for
 * an absolute path (nothing to do) and on failure (errno set). */
static char *absolute(const char *path)
{
	char dir[PATH_MAX], *copy, *slash, *out = NULL;

	copy = strdup(path);
	if (copy == NULL)
		return NULL;
	slash = strrchr(copy, '/');
	if (slash != NULL)
		*slash = '\0';
	if (realpath(slash ? copy : ".", dir) != NULL &&
	    asprintf(&out, "%s/%s", dir, slash ? slash + 1 : copy) < 0)
		out = NULL;
	free(copy);
	return out;
}

/* -Lf FILE: opened again after the chdir("/") of cli_daemonize. */
static int log_file_absolute(struct cli_opts *o)
{
	char *abs;
	const char *file = o->log_spec + 2;

	if ((o->log_spec[0] != 'f' && o->log_spec[0] != 'F') || file[0] == '/')
		return 0;
	abs = absolute(file);
	if (abs == NULL) {
		log_err("%s: cannot make the path absolute: %m", file);
		return -1;
	}
	snprintf(o->log_spec, sizeof o->log_spec, "f %s", abs);
	free(abs);
	return 0;
}

int cli_absolute_paths(struct cli_opts *o)
{
	const char **paths[] = { &o->config, &o->state, &o->pidfile };

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (*paths[i] == NULL || (*paths[i])[0] == '/')
			continue;
		o->owned[i] = absolute(*paths[i]);
		if (o->owned[i] == NULL) {
			log_err("%s: cannot make the path absolute: %m",
				*paths[i]);
			return -1;
		}
		*paths[i] = o->owned[i];
	}
	return log_file_absolute(o);
}

void cli_free(struct cli_opts *o)
{
	for (size_t i = 0; i < sizeof o->owned / sizeof o->owned[0]; i++) {
		free(o->owned[i]);
		o->owned[i] = NULL;
	}
}

int cli_daemonize(void)
{
	int fd;

	if (daemon(0, 1) < 0)
		return -1;
	/* stdin and stdout to /dev/null; stderr too unless we log there */
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

int cli_pidfile_write(const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());

	return gd_afile_replace(path, buf, (size_t)n, 0644);
}

void cli_pidfile_remove(const char *path)
{
	if (path != NULL)
		unlink(path);
}
