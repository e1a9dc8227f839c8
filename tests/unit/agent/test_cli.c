/*
 * test_cli.c — greendot-agent's command line: net-snmp's -L letters
 * (-Lf FILE takes the next word), the options of the contract, usage
 * errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

#define ARGV(...) (char *[]){ "greendot-agent", __VA_ARGS__, NULL }
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)) + 1)
#define PARSE(o, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)

static void test_contract_line(void **state)
{
	struct cli_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-c", "g.xml", "-x", "unix:/s", "-s",
			       "st", "-f", "-Lf", "/var/log/g.log"), CLI_RUN);
	assert_string_equal(o.config, "g.xml");
	assert_string_equal(o.socket, "unix:/s");
	assert_string_equal(o.state, "st");
	assert_true(o.foreground);
	assert_string_equal(o.log_spec, "f /var/log/g.log");
}

static void test_log_letters(void **state)
{
	struct cli_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-c", "g", "-Le"), CLI_RUN);
	assert_string_equal(o.log_spec, "e");
	assert_int_equal(PARSE(&o, "-c", "g", "-Ls", "daemon"), CLI_RUN);
	assert_string_equal(o.log_spec, "s daemon");
	assert_int_equal(PARSE(&o, "-c", "g", "-L", "o"), CLI_RUN);
	assert_string_equal(o.log_spec, "o");
	assert_int_equal(PARSE(&o, "-c", "g"), CLI_RUN);
	assert_string_equal(o.log_spec, "e");	/* stderr by default */
	assert_int_equal(PARSE(&o, "-c", "g", "-Lx"), CLI_EXIT_USAGE);
	assert_int_equal(PARSE(&o, "-c", "g", "-Lf"), CLI_EXIT_USAGE);
}

static void test_others(void **state)
{
	struct cli_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-n", "-c", "g", "-i", "3", "-d", "-P",
			       "p"), CLI_RUN);
	assert_true(o.check_only && o.debug);
	assert_int_equal(o.ping_interval, 3);
	assert_string_equal(o.pidfile, "p");
	assert_null(o.user);
	assert_int_equal(PARSE(&o, "-c", "g", "-u", "nobody"), CLI_RUN);
	assert_string_equal(o.user, "nobody");
	assert_int_equal(PARSE(&o, "-c", "g", "-u"), CLI_EXIT_USAGE);
	assert_int_equal(PARSE(&o, "-c", "g", "-i", "0"), CLI_EXIT_USAGE);
	assert_int_equal(PARSE(&o, "-f"), CLI_EXIT_USAGE);	/* no -c */
	assert_int_equal(PARSE(&o, "-c", "g", "extra"), CLI_EXIT_USAGE);
	assert_int_equal(PARSE(&o, "-V"), CLI_EXIT_OK);
}

static void test_absolute(void **state)
{
	struct cli_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-c", "g.xml", "-s", "/var/st", "-Lf",
			       "log"), CLI_RUN);
	assert_int_equal(cli_absolute_paths(&o), 0);
	assert_true(o.config[0] == '/');
	assert_non_null(strstr(o.config, "/g.xml"));
	assert_string_equal(o.state, "/var/st");
	assert_true(strncmp(o.log_spec, "f /", 3) == 0);
	cli_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract_line),
		cmocka_unit_test(test_log_letters),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_absolute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
