/*
 * shim.so — an LD_PRELOAD library for the benchmark.
 *
 * GD_BENCH_TIME_SHIFT=S: the wall clock of the process runs S seconds
 * ahead (time, gettimeofday, clock_gettime of the realtime clocks).
 *
 * An RRD file takes one update per 60 s step, and greendot-monitor
 * skips a sample not newer than a file's last update.  Five runs of
 * `greendot-monitor --once` in a row would otherwise need five real
 * minutes to each write a step; with the clock shifted one step further
 * per run, each run updates every file, as a monitor does once a step.
 * The monotonic clock is left alone: timeouts and durations stay real.
 *
 * GD_BENCH_NO_FSYNC=1: fsync and fdatasync return at once.  Only for
 * the run that creates 11,100 RRD files before the measured runs: with
 * two fsyncs per file (the file, then its folder) it takes 60-90 s on
 * this kind of disk instead of a few.  Measured runs never set it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*fsync_fn)(int);

static time_t shift(void)
{
	static time_t s;
	static int known;

	if (!known) {
		const char *e = getenv("GD_BENCH_TIME_SHIFT");

		s = e != NULL ? (time_t)strtoll(e, NULL, 10) : 0;
		known = 1;
	}
	return s;
}

static int real_clock_gettime(clockid_t id, struct timespec *ts)
{
	static clock_gettime_fn real;

	if (real == NULL)
		real = (clock_gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
	return real(id, ts);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int rc = real_clock_gettime(id, ts);

	if (rc == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		ts->tv_sec += shift();
	return rc;
}

time_t time(time_t *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (t != NULL)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

static int no_fsync(void)
{
	static int v = -1;

	if (v < 0) {
		const char *e = getenv("GD_BENCH_NO_FSYNC");

		v = e != NULL && strcmp(e, "1") == 0;
	}
	return v;
}

int fsync(int fd)
{
	static fsync_fn real;

	if (no_fsync())
		return 0;
	if (real == NULL)
		real = (fsync_fn)dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int fdatasync(int fd)
{
	static fsync_fn real;

	if (no_fsync())
		return 0;
	if (real == NULL)
		real = (fsync_fn)dlsym(RTLD_NEXT, "fdatasync");
	return real(fd);
}
