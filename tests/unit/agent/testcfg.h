/*
 * testcfg.h — configs for the agent's unit tests, loaded from XML text
 * through the real loader (config.h).  Header-only: each test binary is
 * one file.
 */
#ifndef GD_TESTCFG_H
#define GD_TESTCFG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* Two fail-over groups, a one-server group, a heartbeat group; a service
 * that needs g1 and one that needs g1 or g2.  rise 2, fall 3. */
#define TESTCFG_BASIC \
	"<greendot title=\"Test site\">\n" \
	"  <defaults interval=\"1\" timeout=\"0.5\" rise=\"2\" fall=\"3\"/>\n" \
	"  <area id=\"a\" title=\"Area A\" colour=\"yellow\">\n" \
	"    <description>The area.</description>\n" \
	"    <group id=\"g1\" title=\"Group 1\">\n" \
	"      <server id=\"s1\" title=\"S one\" host=\"127.0.0.1\" port=\"1001\" probe=\"tcp\"/>\n" \
	"      <server id=\"s2\" host=\"127.0.0.1\" port=\"1002\" probe=\"smtp\"/>\n" \
	"      <server id=\"s3\" host=\"127.0.0.1\" port=\"1003\" probe=\"tcp\" admin=\"maintenance\"/>\n" \
	"    </group>\n" \
	"    <group id=\"g2\" title=\"Group 2\">\n" \
	"      <server id=\"s4\" host=\"127.0.0.1\" port=\"1004\" probe=\"tcp\"/>\n" \
	"    </group>\n" \
	"    <group id=\"g3\" title=\"Group 3\">\n" \
	"      <server id=\"hb\" probe=\"heartbeat\" max-age=\"100\"/>\n" \
	"    </group>\n" \
	"  </area>\n" \
	"  <service id=\"svc\" title=\"Service\"><needs group=\"g1\"/></service>\n" \
	"  <service id=\"alt\" title=\"Alternatives\"><needs any=\"g1 g2\"/></service>\n" \
	"</greendot>\n"

static inline struct gd_config *testcfg_load(const char *xml)
{
	char path[] = "/tmp/gd-test-agent-XXXXXX.xml";
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct gd_config *cfg = NULL;
	int fd = mkstemps(path, 4);

	if (fd < 0)
		return NULL;
	if (write(fd, xml, strlen(xml)) != (ssize_t)strlen(xml)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	if (gd_config_load(path, NULL, &cfg, &errs) < 0)
		gd_errlist_print(&errs, stderr);
	gd_errlist_clear(&errs);
	unlink(path);
	return cfg;
}

#endif
