/*
 * priv.c — dropping root, warning about writable inputs; see priv.h.
 */
#include "priv.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static int numeric_uid(const char *s, uid_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v != (uid_t)v)
		return -1;
	*out = (uid_t)v;
	return 0;
}

int gd_priv_lookup(const char *name, struct gd_user *u)
{
	struct passwd *pw;
	uid_t uid;

	errno = 0;
	pw = numeric_uid(name, &uid) == 0 ? getpwuid(uid) : getpwnam(name);
	if (pw == NULL) {
		errno = errno ? errno : ENOENT;
		return -1;
	}
	if (strlen(pw->pw_name) >= sizeof u->name) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(u->name, pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	if (geteuid() != 0 && geteuid() != u->uid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

const char *gd_priv_strerror(int err)
{
	if (err == ENOENT)
		return "no such user";
	if (err == EPERM)
		return "only root can become another user";
	return strerror(err);
}

int gd_priv_drop(const struct gd_user *u)
{
	if (getuid() == u->uid && geteuid() == u->uid &&
	    getgid() == u->gid && getegid() == u->gid)
		return 0;
	if (geteuid() != 0) {
		log_err("cannot become user %s: not started as root",
			u->name);
		errno = EPERM;
		return -1;
	}
	/* groups first: once the uid is gone, so is the right to change them */
	if (initgroups(u->name, u->gid) < 0 || setgid(u->gid) < 0 ||
	    setuid(u->uid) < 0) {
		log_err("cannot become user %s: %m", u->name);
		return -1;
	}
	if (u->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		log_err("user %s: root could be regained", u->name);
		errno = EPERM;
		return -1;
	}
	log_info("running as user %s (uid %lu, gid %lu)", u->name,
		 (unsigned long)u->uid, (unsigned long)u->gid);
	return 0;
}

int gd_priv_warn_writable(const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) < 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	log_warn("%s %s is writable by group/others (mode %04o)", what, path,
		 (unsigned)(st.st_mode & 07777));
	return 1;
}
