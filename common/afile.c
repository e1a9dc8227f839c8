/*
 * afile.c — atomic replacement of files; see afile.h.
 */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void afile_reset(struct gd_afile *af)
{
	free(af->path);
	free(af->tmp);
	af->path = NULL;
	af->tmp = NULL;
	af->fd = -1;
}

int gd_afile_open(struct gd_afile *af, const char *path, mode_t mode)
{
	int saved;

	af->fd = -1;
	af->error = 0;
	af->path = strdup(path);
	af->tmp = NULL;
	if (af->path == NULL || asprintf(&af->tmp, "%s.tmp.XXXXXX", path) < 0) {
		af->tmp = NULL;
		goto fail;
	}
	af->fd = mkostemp(af->tmp, O_CLOEXEC);
	if (af->fd < 0)
		goto fail;
	/* mkostemp makes 0600; others read these files */
	if (fchmod(af->fd, mode) < 0) {
		saved = errno;
		unlink(af->tmp);
		close(af->fd);
		errno = saved;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	afile_reset(af);
	errno = saved;
	return -1;
}

int gd_afile_write(struct gd_afile *af, const void *buf, size_t len)
{
	const char *p = buf;

	if (af->error != 0) {
		errno = af->error;
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(af->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			af->error = errno;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int gd_afile_printf(struct gd_afile *af, const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return gd_afile_write(af, small, (size_t)n);
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0) {
		af->error = ENOMEM;
		return -1;
	}
	rc = gd_afile_write(af, big, (size_t)n);
	free(big);
	return rc;
}

int gd_fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc, saved;

	if (copy == NULL)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	saved = errno;
	free(copy);
	if (fd < 0) {
		errno = saved;
		return -1;
	}
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int gd_afile_commit(struct gd_afile *af)
{
	int saved;

	if (af->error != 0) {
		errno = af->error;
		goto fail;
	}
	if (fsync(af->fd) < 0)
		goto fail;
	if (close(af->fd) < 0) {
		af->fd = -1;
		goto fail;
	}
	af->fd = -1;
	if (rename(af->tmp, af->path) < 0)
		goto fail;
	saved = gd_fsync_dir_of(af->path) < 0 ? errno : 0;
	afile_reset(af);
	errno = saved;
	return saved == 0 ? 0 : -1;
fail:
	saved = errno;
	gd_afile_abort(af);
	errno = saved;
	return -1;
}

void gd_afile_abort(struct gd_afile *af)
{
	int saved = errno;

	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp != NULL)
		unlink(af->tmp);
	afile_reset(af);
	errno = saved;
}

int gd_afile_replace(const char *path, const void *buf, size_t len,
		     mode_t mode)
{
	struct gd_afile af;

	if (gd_afile_open(&af, path, mode) < 0)
		return -1;
	if (gd_afile_write(&af, buf, len) < 0) {
		gd_afile_abort(&af);
		return -1;
	}
	return gd_afile_commit(&af);
}

int gd_mkdir_p(const char *path, mode_t mode)
{
	char *copy = strdup(path);
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (char *p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST)
			rc = -1;
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return rc;
}
