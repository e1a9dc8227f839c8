/*
 * manifest.h — what graph.c remembers between runs (OUT/graphs/.manifest).
 *
 * One line per graph file: "FILE KEY WIDTH HEIGHT", after a first line
 * MANIFEST_MAGIC.  KEY says what the image shows (graph.c); when the key
 * of a new run equals the recorded one and the file is there, the image
 * is kept.  A manifest that cannot be read is an empty one: everything
 * is redrawn, nothing breaks.
 */
#ifndef RENDER_MANIFEST_H
#define RENDER_MANIFEST_H

#include <stddef.h>

#define MANIFEST_MAGIC "#greendot-graphs 1"
#define MANIFEST_FILE_MAX 128	/* "server-" + 64-byte id + "-month.png" */
#define MANIFEST_KEY_MAX 96

struct manifest_entry {
	char file[MANIFEST_FILE_MAX];
	char key[MANIFEST_KEY_MAX];
	unsigned width, height;
};

struct manifest {
	struct manifest_entry *v;
	size_t n, cap;
	int sorted;
};

/* Reads path into mf (empty on any problem). */
void manifest_read(struct manifest *mf, const char *path);
/* 0, or -1 (out of memory, or a field too long for an entry). */
int manifest_add(struct manifest *mf, const char *file, const char *key,
		 unsigned width, unsigned height);
/* The entry of file, or NULL; sorts mf on first use after an add. */
const struct manifest_entry *manifest_find(struct manifest *mf,
					   const char *file);
/* Atomically replaces path.  0, or -1 with errno. */
int manifest_write(struct manifest *mf, const char *path);
void manifest_free(struct manifest *mf);

#endif
