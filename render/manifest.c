/*
 * manifest.c — the graph manifest; see manifest.h.
 */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"

int manifest_add(struct manifest *mf, const char *file, const char *key,
		 unsigned width, unsigned height)
{
	struct manifest_entry *v, *e;
	size_t cap;

	if (strlen(file) >= MANIFEST_FILE_MAX || strlen(key) >= MANIFEST_KEY_MAX)
		return -1;
	if (mf->n == mf->cap) {
		cap = mf->cap ? mf->cap * 2 : 64;
		v = realloc(mf->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		mf->v = v;
		mf->cap = cap;
	}
	e = &mf->v[mf->n++];
	strcpy(e->file, file);
	strcpy(e->key, key);
	e->width = width;
	e->height = height;
	mf->sorted = 0;
	return 0;
}

/* "FILE KEY W H": fields without spaces, as we write them. */
static void read_line(struct manifest *mf, const char *line)
{
	char file[MANIFEST_FILE_MAX], key[MANIFEST_KEY_MAX];
	unsigned w, h;

	if (sscanf(line, "%127s %95s %u %u", file, key, &w, &h) == 4)
		manifest_add(mf, file, key, w, h);
}

void manifest_read(struct manifest *mf, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	memset(mf, 0, sizeof *mf);
	if (f == NULL)
		return;
	if (fgets(line, sizeof line, f) != NULL &&
	    strncmp(line, MANIFEST_MAGIC "\n", sizeof MANIFEST_MAGIC) == 0)
		while (fgets(line, sizeof line, f) != NULL)
			read_line(mf, line);
	fclose(f);
}

static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->file,
		      ((const struct manifest_entry *)b)->file);
}

static void sort(struct manifest *mf)
{
	if (!mf->sorted && mf->n > 1)
		qsort(mf->v, mf->n, sizeof *mf->v, by_file);
	mf->sorted = 1;
}

const struct manifest_entry *manifest_find(struct manifest *mf,
					   const char *file)
{
	struct manifest_entry want;

	if (mf->n == 0 || strlen(file) >= MANIFEST_FILE_MAX)
		return NULL;
	sort(mf);
	strcpy(want.file, file);
	return bsearch(&want, mf->v, mf->n, sizeof *mf->v, by_file);
}

int manifest_write(struct manifest *mf, const char *path)
{
	struct gd_afile af;

	sort(mf);
	if (gd_afile_open(&af, path, 0644) < 0)
		return -1;
	gd_afile_printf(&af, "%s\n", MANIFEST_MAGIC);
	for (size_t i = 0; i < mf->n; i++)
		gd_afile_printf(&af, "%s %s %u %u\n", mf->v[i].file,
				mf->v[i].key, mf->v[i].width, mf->v[i].height);
	return gd_afile_commit(&af);
}

void manifest_free(struct manifest *mf)
{
	free(mf->v);
	memset(mf, 0, sizeof *mf);
}
