/*
 * bench-time — runs a command and writes what it cost, for make bench:
 *
 *   bench-time -o FILE COMMAND [ARG...]
 *
 * FILE gets one line, "WALL USER SYS MAXRSS": seconds of wall-clock time
 * (monotonic clock), of user and of system CPU of the command and every
 * child it waited for, and its peak resident set in KiB (wait4's
 * ru_maxrss: the largest of the command and those children).  The exit
 * status is the command's (128 + N when killed by signal N; 127 when it
 * cannot be run).  /usr/bin/time does the same but is a package of its
 * own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int report(const char *path, double wall, const struct rusage *ru)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "bench-time: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "%.4f %.3f %.3f %ld\n", wall, seconds(&ru->ru_utime),
		seconds(&ru->ru_stime), ru->ru_maxrss);
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0;
	pid_t pid;
	int status;

	if (argc < 4 || strcmp(argv[1], "-o") != 0) {
		fputs("usage: bench-time -o FILE COMMAND [ARG...]\n", stderr);
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("bench-time: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "bench-time: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("bench-time: wait4");
			return 127;
		}
	if (report(argv[2], now() - t0, &ru) < 0)
		return 127;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
