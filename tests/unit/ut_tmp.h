/*
 * ut_tmp.h — the unit tests' temporary folders (made with mkdtemp).
 */
#ifndef GD_UT_TMP_H
#define GD_UT_TMP_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static inline int ut__remove(const char *path, const struct stat *sb,
			     int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and all it holds, as rm -rf: 0 (also when dir is gone
 * already), or -1. */
static inline int ut_rmtree(const char *dir)
{
	if (nftw(dir, ut__remove, 16, FTW_DEPTH | FTW_PHYS) == 0)
		return 0;
	return errno == ENOENT ? 0 : -1;
}

#endif
