/*
 * priv.h — running as an unprivileged user, and files others can write.
 *
 * greendot-agent -u USER and greendot-monitor --user USER start as root,
 * do the few things that need it (the AgentX socket of a root-only
 * master, a notification port below 1024, the pid and log files), then
 * drop to USER for good: gd_priv_lookup() early, so that an unknown user
 * is refused before anything starts, gd_priv_drop() at that point.
 *
 * gd_priv_warn_writable(): an input that decides what a daemon does (the
 * config, the news file) and that anyone but its owner may change is
 * worth a warning; it is not refused (a shared group may be intended).
 */
#ifndef GD_PRIV_H
#define GD_PRIV_H

#include <sys/types.h>

#define GD_USER_NAME_MAX 64

struct gd_user {
	char name[GD_USER_NAME_MAX];
	uid_t uid;
	gid_t gid;		/* the user's primary group */
};

/* name: a user name or a numeric uid, one we can become.  0, or -1 with
 * errno: ENOENT no such user, EPERM not root (and not that user),
 * ENAMETOOLONG.  gd_priv_strerror() words it for an operator. */
int gd_priv_lookup(const char *name, struct gd_user *u);
const char *gd_priv_strerror(int err);

/*
 * Supplementary groups of u (initgroups), then its gid, then its uid;
 * checks that root cannot be regained.  Nothing to do when we already
 * run as u.  0, or -1 with errno and the reason logged (EPERM: not
 * started as root).  Only start-up code calls it: a failure there ends
 * the process.
 */
int gd_priv_drop(const struct gd_user *u);

/* Logs a warning when path is writable by its group or by others, as
 * "WHAT PATH is writable by group/others (mode 0664)".  1 when it
 * warned, 0 when not (also when path cannot be stat'ed: the reader says
 * why). */
int gd_priv_warn_writable(const char *path, const char *what);

#endif
