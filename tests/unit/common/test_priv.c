/*
 * test_priv.c — user look-up, dropping root (in a child, when the test
 * runs as root), and the warning about inputs others can write.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"
#include "ut_tmp.h"

static char dir[] = "/tmp/gd-test-priv-XXXXXX";

static int setup(void **state)
{
	(void)state;
	gd_log_open("test", "n");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gd_log_close();
	return ut_rmtree(dir);
}

static void test_lookup(void **state)
{
	struct gd_user u;

	(void)state;
	assert_int_equal(gd_priv_lookup("gd-no-such-user", &u), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(gd_priv_strerror(errno), "no such user");
	assert_int_equal(gd_priv_lookup("", &u), -1);
	if (geteuid() != 0) {
		/* only root can become another user */
		assert_int_equal(gd_priv_lookup("root", &u), -1);
		assert_int_equal(errno, EPERM);
		return;
	}
	assert_int_equal(gd_priv_lookup("root", &u), 0);
	assert_string_equal(u.name, "root");
	assert_int_equal(u.uid, 0);
	assert_int_equal(u.gid, 0);
	assert_int_equal(gd_priv_lookup("0", &u), 0);	/* a uid */
	assert_string_equal(u.name, "root");
	assert_int_equal(gd_priv_lookup("nobody", &u), 0);
}

/* Not root: only "becoming" ourselves works. */
static void test_drop_unprivileged(void **state)
{
	struct passwd *pw = getpwuid(getuid());
	struct gd_user u;

	(void)state;
	if (geteuid() == 0)
		skip();
	assert_non_null(pw);
	assert_int_equal(gd_priv_lookup(pw->pw_name, &u), 0);
	u.gid = getgid();
	assert_int_equal(gd_priv_drop(&u), 0);
	/* looked up by someone else (lookup refuses it): still refused */
	u = (struct gd_user){ "root", 0, 0 };
	assert_int_equal(gd_priv_drop(&u), -1);
	assert_int_equal(errno, EPERM);
}

/* The child drops to nobody: every id is nobody's, no supplementary
 * group of root's is left, and root cannot come back. */
static int child_drop(const struct gd_user *u)
{
	gid_t groups[64];
	int n;

	if (gd_priv_drop(u) < 0)
		return 10;
	if (getuid() != u->uid || geteuid() != u->uid)
		return 11;
	if (getgid() != u->gid || getegid() != u->gid)
		return 12;
	n = getgroups(64, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == 0)
			return 13;
	if (setuid(0) == 0 || seteuid(0) == 0)
		return 14;
	/* again: already there, nothing to do */
	return gd_priv_drop(u) == 0 ? 0 : 15;
}

static void test_drop_root(void **state)
{
	struct gd_user u;
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0 || gd_priv_lookup("nobody", &u) < 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_drop(&u));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int warned(mode_t mode)
{
	char path[300];
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%s/input", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	rc = gd_priv_warn_writable(path, "config");
	unlink(path);
	return rc;
}

static void test_warn_writable(void **state)
{
	char logpath[300], spec[320], buf[512] = "";
	FILE *f;
	size_t n;

	(void)state;
	assert_int_equal(warned(0644), 0);
	assert_int_equal(warned(0600), 0);
	assert_int_equal(warned(0444), 0);
	assert_int_equal(warned(0664), 1);
	assert_int_equal(warned(0646), 1);
	assert_int_equal(warned(0666), 1);
	assert_int_equal(warned(04620), 1);
	assert_int_equal(gd_priv_warn_writable("/nonexistent/x", "config"), 0);

	/* what the log says */
	snprintf(logpath, sizeof logpath, "%s/log", dir);
	snprintf(spec, sizeof spec, "f %s", logpath);
	assert_int_equal(gd_log_open("test", spec), 0);
	assert_int_equal(warned(0660), 1);
	gd_log_open("test", "n");
	f = fopen(logpath, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "[warning]: config "));
	assert_non_null(strstr(buf, "/input is writable by group/others "
				"(mode 0660)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_drop_unprivileged),
		cmocka_unit_test(test_drop_root),
		cmocka_unit_test(test_warn_writable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
