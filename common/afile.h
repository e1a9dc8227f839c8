/*
 * afile.h — files others read, replaced atomically.
 *
 * The new content goes to a temporary name in the same folder; commit
 * flushes and fsyncs it, renames it over the target and fsyncs the folder,
 * so a reader (or a crash) sees the old file or the new one, never a mix.
 * On any failure the temporary file is removed and the old file is intact.
 */
#ifndef GD_AFILE_H
#define GD_AFILE_H

#include <stddef.h>
#include <sys/types.h>

struct gd_afile {
	int fd;
	int error;	/* first errno seen by a write; reported by commit */
	char *path;
	char *tmp;
};

int gd_afile_open(struct gd_afile *af, const char *path, mode_t mode);
int gd_afile_write(struct gd_afile *af, const void *buf, size_t len);
int gd_afile_printf(struct gd_afile *af, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int gd_afile_commit(struct gd_afile *af);
void gd_afile_abort(struct gd_afile *af);

/* Open, write, commit in one call. */
int gd_afile_replace(const char *path, const void *buf, size_t len,
		     mode_t mode);

/* fsync the folder holding path (after a rename or a create). */
int gd_fsync_dir_of(const char *path);

/* mkdir -p, mode for the folders it creates. */
int gd_mkdir_p(const char *path, mode_t mode);

#endif
