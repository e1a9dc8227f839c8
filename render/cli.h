/*
 * cli.h — greendot-render's command line.
 *
 *   greendot-render --data DIR --out DIR [--news FILE] [--title TEXT]
 *                   [--base-url URL] [--server-graphs auto|all|day|none]
 *                   [-L LOGOPT] [-v]
 *
 * For tests, GREENDOT_NOW=<epoch seconds> fixes the time (clock.h).
 */
#ifndef RENDER_CLI_H
#define RENDER_CLI_H

#include "site.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* The whole program: parse, log set-up, run; the exit status. */
int cli_main(int argc, char **argv);

#endif
