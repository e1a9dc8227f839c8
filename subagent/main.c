/*
 * greendot-agent — the AgentX subagent.
 *
 * This build has the configuration check only (-n); the agent itself
 * lands with its own issue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "xmlsafe.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: greendot-agent -n -c CONFIG\n"
		"  -c CONFIG  the infrastructure config (XML)\n"
		"  -n         check the config, print \"configuration ok\" or its errors\n");
}

int main(int argc, char **argv)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	const char *file = NULL;
	int check_only = 0, c, rc;

	while ((c = getopt(argc, argv, "c:nh")) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		default:
			usage();
			return c == 'h' ? 0 : 1;
		}
	}
	if (file == NULL || !check_only || optind != argc) {
		usage();
		return 1;
	}
	rc = gd_config_load(file, NULL, &cfg, &errs);
	if (rc == 0)
		printf("configuration ok\n");
	else
		gd_errlist_print(&errs, stderr);
	gd_config_free(cfg);
	gd_errlist_clear(&errs);
	gd_xml_cleanup();
	return rc == 0 ? 0 : 2;
}
