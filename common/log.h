/*
 * log.h — the one log module of greendot.
 *
 * Every message of a program goes through gd_log(): its own, net-snmp's
 * (through the logging callback, see snmplog.h), libxml2's errors (the
 * config loader turns them into "file:line: message") and rrd_get_error()
 * (logged by the caller).  Destinations follow net-snmp's -L letters so
 * that the programs take the same options as snmpd:
 *
 *   e      standard error (the default)
 *   o      standard output
 *   f FILE append to FILE (reopened by gd_log_reopen(), for logrotate)
 *   s FAC  syslog with facility FAC (daemon, user, local0 .. local7)
 *   n      nowhere
 */
#ifndef GD_LOG_H
#define GD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>
#include <time.h>

int gd_log_open(const char *ident, const char *spec);
int gd_log_reopen(void);
void gd_log_close(void);
void gd_log_set_level(int maxprio);
int gd_log_level(void);

void gd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gd_vlog(int prio, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define log_err(...)    gd_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)   gd_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) gd_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)   gd_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)  gd_log(LOG_DEBUG, __VA_ARGS__)

/*
 * Rate limiting for repeated failures of one peer: at most `burst`
 * messages per `interval` seconds; gd_ratelimit() answers whether this
 * one may be logged and, when a new window opens, how many were
 * suppressed in the last one (so the caller can say so; NULL when it
 * does not care).
 */
struct gd_ratelimit {
	time_t window;
	unsigned interval;
	unsigned burst;
	unsigned printed;
	unsigned suppressed;
};

#define GD_RATELIMIT_INIT(interval_s, burst_n) \
	{ .window = 0, .interval = (interval_s), .burst = (burst_n), \
	  .printed = 0, .suppressed = 0 }

bool gd_ratelimit(struct gd_ratelimit *rl, time_t now, unsigned *suppressed);

#endif
