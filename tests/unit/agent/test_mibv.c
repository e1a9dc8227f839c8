/*
 * test_mibv.c — GREENDOT-MIB strings stay within their SIZE: titles and
 * host names (GdUtf8String, 255 octets), descriptions (GdText, 1024),
 * gdServerLastError (DisplayString, 255), cut at a UTF-8 character
 * boundary.  The config's schema counts characters, the MIB octets: a
 * title of 255 two-octet characters is a valid config and must still go
 * out in 255 octets at most.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agent/testcfg.h"
#include "gd_mib.h"
#include "mib_values.h"
#include "model.h"
#include "xmlsafe.h"

#define E_ACUTE "\xc3\xa9"	/* é: two octets */

/* n copies of s, in a static buffer. */
static const char *repeat(const char *s, size_t n)
{
	static char buf[8192];
	size_t len = strlen(s);

	assert_true(n * len < sizeof buf);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * len, s, len);
	buf[n * len] = '\0';
	return buf;
}

/* No character cut in two: the value ends on a whole UTF-8 sequence. */
static void assert_whole_utf8(const netsnmp_variable_list *vb)
{
	size_t i = 0;

	while (i < vb->val_len) {
		unsigned char c = vb->val.string[i];
		size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

		i += n;
	}
	assert_int_equal(i, vb->val_len);
}

static void test_string_cut(void **state)
{
	netsnmp_variable_list vb;

	(void)state;
	memset(&vb, 0, sizeof vb);
	mibv_string(&vb, repeat("x", 300), 255);
	assert_int_equal(vb.val_len, 255);
	mibv_string(&vb, repeat(E_ACUTE, 200), 255);	/* 400 octets */
	assert_int_equal(vb.val_len, 254);
	assert_whole_utf8(&vb);
	mibv_string(&vb, "short", 255);
	assert_int_equal(vb.val_len, 5);
	assert_memory_equal(vb.val.string, "short", 5);
	mibv_string(&vb, NULL, 255);
	assert_int_equal(vb.val_len, 0);
	snmp_free_var_internals(&vb);
}

static void on_event(void *arg, const struct model_event *ev)
{
	(void)arg;
	(void)ev;
}

static void test_columns(void **state)
{
	char xml[16384];
	struct gd_config *cfg;
	struct model *m;
	netsnmp_variable_list vb;
	time_t now = time(NULL);

	(void)state;
	/* a title of 255 characters (510 octets), a description of 1024
	 * (2048 octets): both valid */
	snprintf(xml, sizeof xml,
		 "<greendot title=\"T\">\n"
		 "<area id=\"a\" colour=\"blue\"><description>%s</description>\n",
		 repeat(E_ACUTE, 1024));
	snprintf(xml + strlen(xml), sizeof xml - strlen(xml),
		 "<group id=\"g\"><server id=\"s\" title=\"%s\" host=\"h\" "
		 "port=\"1\" probe=\"tcp\"/></group></area></greendot>\n",
		 repeat(E_ACUTE, 255));
	cfg = testcfg_load(xml);
	assert_non_null(cfg);
	m = model_new(on_event, NULL);
	assert_non_null(m);
	assert_int_equal(model_set_config(m, cfg, NULL, now), 0);
	model_probe_result(m, 0, false, 0, repeat("e", 1000), now);
	memset(&vb, 0, sizeof vb);

	assert_int_equal(mibv_server(&vb, m, &m->servers[0], GD_SERVER_TITLE,
				     now), SNMP_ERR_NOERROR);
	assert_int_equal(vb.val_len, 254);
	assert_whole_utf8(&vb);
	assert_int_equal(mibv_server(&vb, m, &m->servers[0],
				     GD_SERVER_LAST_ERROR, now),
			 SNMP_ERR_NOERROR);
	assert_true(vb.val_len > 0 && vb.val_len <= 255);
	assert_int_equal(mibv_area(&vb, m, &m->areas[0], GD_AREA_DESCRIPTION),
			 SNMP_ERR_NOERROR);
	assert_int_equal(vb.val_len, 1024);
	assert_whole_utf8(&vb);

	snmp_free_var_internals(&vb);
	model_free(m);
	gd_config_free(cfg);
	gd_xml_cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_cut),
		cmocka_unit_test(test_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
