/*
 * render-fixture — writes a test data directory (fixture.h) for the
 * integration tests and the benchmark:
 *
 *   render-fixture DATADIR [--now EPOCH] [--corpus]
 *                  [--servers N [--history SECONDS] [--server-rrds]]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "log.h"

static int usage(void)
{
	fputs("usage: render-fixture DATADIR [--now EPOCH] [--corpus] "
	      "[--servers N [--history S] [--server-rrds]]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "now", required_argument, NULL, 'n' },
		{ "corpus", no_argument, NULL, 'c' },
		{ "servers", required_argument, NULL, 's' },
		{ "history", required_argument, NULL, 'H' },
		{ "server-rrds", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct fixture_opts o = { .now = FIXTURE_NOW, .history = 7200 };
	int opt;

	while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (opt) {
		case 'n': o.now = (time_t)strtoll(optarg, NULL, 10); break;
		case 'c': o.corpus = true; break;
		case 's': o.servers = strtoul(optarg, NULL, 10); break;
		case 'H': o.history = (time_t)strtoll(optarg, NULL, 10); break;
		case 'r': o.server_rrds = true; break;
		default: return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	gd_log_open("render-fixture", "e");
	return fixture_write(argv[optind], &o) == 0 ? 0 : 1;
}
