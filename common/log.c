/*
 * log.c — one log for the whole program; see log.h.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum log_dest { DEST_STDERR, DEST_STDOUT, DEST_FILE, DEST_SYSLOG, DEST_NONE };

static enum log_dest log_dest = DEST_STDERR;
static FILE *log_file;
static char *log_path;
static char log_ident[32] = "greendot";
static int log_maxprio = LOG_INFO;

static const char *const prio_names[] = {
	[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert", [LOG_CRIT] = "crit",
	[LOG_ERR] = "error", [LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static int facility_by_name(const char *name)
{
	/* net-snmp also takes the one-letter forms: d, u, 0..7 */
	if (name[0] != '\0' && name[1] == '\0') {
		if (name[0] == 'd')
			return LOG_DAEMON;
		if (name[0] == 'u')
			return LOG_USER;
		if (name[0] >= '0' && name[0] <= '7')
			return LOG_LOCAL0 + ((name[0] - '0') << 3);
	}
	for (size_t i = 0; i < sizeof facilities / sizeof facilities[0]; i++)
		if (strcasecmp(name, facilities[i].name) == 0)
			return facilities[i].facility;
	return -1;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int open_file(const char *path)
{
	FILE *f = fopen(path, "a");

	if (f == NULL)
		return -1;
	setvbuf(f, NULL, _IOLBF, 0);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	return 0;
}

int gd_log_open(const char *ident, const char *spec)
{
	const char *arg;
	int facility;

	if (ident != NULL)
		snprintf(log_ident, sizeof log_ident, "%s", ident);
	if (spec == NULL || *spec == '\0')
		spec = "e";
	arg = skip_space(spec + 1);
	switch (spec[0]) {
	case 'e':
	case 'E':
		log_dest = DEST_STDERR;
		return 0;
	case 'o':
	case 'O':
		log_dest = DEST_STDOUT;
		return 0;
	case 'n':
	case 'N':
		log_dest = DEST_NONE;
		return 0;
	case 'f':
	case 'F':
		if (*arg == '\0' || open_file(arg) < 0)
			return -1;
		free(log_path);
		log_path = strdup(arg);
		log_dest = DEST_FILE;
		return 0;
	case 's':
	case 'S':
		facility = facility_by_name(*arg ? arg : "daemon");
		if (facility < 0)
			return -1;
		openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
		log_dest = DEST_SYSLOG;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int gd_log_reopen(void)
{
	if (log_dest != DEST_FILE || log_path == NULL)
		return 0;
	return open_file(log_path);
}

void gd_log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	free(log_path);
	log_path = NULL;
	if (log_dest == DEST_SYSLOG)
		closelog();
	log_dest = DEST_STDERR;
}

void gd_log_set_level(int maxprio)
{
	log_maxprio = maxprio;
}

int gd_log_level(void)
{
	return log_maxprio;
}

static void log_stream(FILE *f, int prio, const char *msg)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld %s[%s]: %s\n", stamp, ts.tv_nsec / 1000000,
		log_ident, prio_names[prio & 7], msg);
}

void gd_vlog(int prio, const char *fmt, va_list ap)
{
	char msg[2048];
	size_t n;
	int saved = errno;

	if (prio > log_maxprio || log_dest == DEST_NONE)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* one record per call: strip the newline net-snmp leaves on its lines */
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	switch (log_dest) {
	case DEST_STDERR:
		log_stream(stderr, prio, msg);
		break;
	case DEST_STDOUT:
		log_stream(stdout, prio, msg);
		fflush(stdout);
		break;
	case DEST_FILE:
		log_stream(log_file ? log_file : stderr, prio, msg);
		break;
	case DEST_SYSLOG:
		syslog(prio, "%s", msg);
		break;
	case DEST_NONE:
		break;
	}
	errno = saved;
}

void gd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gd_vlog(prio, fmt, ap);
	va_end(ap);
}

bool gd_ratelimit(struct gd_ratelimit *rl, time_t now, unsigned *suppressed)
{
	unsigned dummy;

	if (suppressed == NULL)
		suppressed = &dummy;
	*suppressed = 0;
	if (now >= rl->window + (time_t)rl->interval) {
		*suppressed = rl->suppressed;
		rl->window = now;
		rl->printed = 0;
		rl->suppressed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		return true;
	}
	rl->suppressed++;
	return false;
}
