/*
 * test_afile.c — atomic replacement: the new content or the old, never a
 * mix, and no temporary file left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"

static char dir[] = "/tmp/gd-test-afile-XXXXXX";

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static size_t entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void test_replace(void **state)
{
	char p[256];
	struct stat st;

	(void)state;
	path_of(p, sizeof p, "a.txt");
	assert_int_equal(gd_afile_replace(p, "one\n", 4, 0644), 0);
	assert_string_equal(slurp(p), "one\n");
	assert_int_equal(gd_afile_replace(p, "two\n", 4, 0644), 0);
	assert_string_equal(slurp(p), "two\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(entries(), 1);
	unlink(p);
}

static void test_abort_keeps_old(void **state)
{
	struct gd_afile af;
	char p[256];

	(void)state;
	path_of(p, sizeof p, "b.txt");
	assert_int_equal(gd_afile_replace(p, "old\n", 4, 0644), 0);
	assert_int_equal(gd_afile_open(&af, p, 0644), 0);
	assert_int_equal(gd_afile_printf(&af, "new %d\n", 1), 0);
	/* a reader meanwhile sees the old file */
	assert_string_equal(slurp(p), "old\n");
	gd_afile_abort(&af);
	assert_string_equal(slurp(p), "old\n");
	assert_int_equal(entries(), 1);
	unlink(p);
}

/* A write that fails (file size limit, as a full disk would) leaves the
 * old file intact and no temporary behind; commit reports the error. */
static void test_failed_write_keeps_old(void **state)
{
	struct gd_afile af;
	struct rlimit old, small = { 8, 8 };
	char p[256], big[64];

	(void)state;
	memset(big, 'x', sizeof big);
	path_of(p, sizeof p, "c.txt");
	assert_int_equal(gd_afile_replace(p, "old\n", 4, 0644), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	small.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(gd_afile_open(&af, p, 0644), 0);
	assert_int_equal(gd_afile_write(&af, big, sizeof big), -1);
	assert_int_equal(gd_afile_commit(&af), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(gd_afile_replace(p, big, sizeof big, 0644), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_string_equal(slurp(p), "old\n");
	assert_int_equal(entries(), 1);
	unlink(p);
}

static void test_unwritable_folder(void **state)
{
	(void)state;
	assert_int_equal(gd_afile_replace("/nonexistent/dir/x", "x", 1, 0644), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_mkdir_p(void **state)
{
	char p[256];
	struct stat st;

	(void)state;
	path_of(p, sizeof p, "d/e/f");
	assert_int_equal(gd_mkdir_p(p, 0755), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(gd_mkdir_p(p, 0755), 0);	/* exists: fine */
	path_of(p, sizeof p, "d/e/f");
	rmdir(p);
	path_of(p, sizeof p, "d/e");
	rmdir(p);
	path_of(p, sizeof p, "d");
	rmdir(p);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_abort_keeps_old),
		cmocka_unit_test(test_failed_write_keeps_old),
		cmocka_unit_test(test_unwritable_folder),
		cmocka_unit_test(test_mkdir_p),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
