/*
 * fuzz_news.c — the news file reader (render/news.c, news_load) on any
 * bytes: gd_xml_read, validation against news.rng, the items and the
 * checks a schema cannot make.  news_load takes a path: the bytes are a
 * memfd's (nothing on disk).
 *
 * Beyond "no crash, no leak": a file that loads gives items with valid
 * unique ids, cleaned text (valid UTF-8, no control characters but tab
 * and newline), updates in time order, maintenance windows that end
 * after they start; a refused file adds nothing to the list.
 */
#include "fuzz.h"

#include "config.h"
#include "news.h"
#include "fz_clean.h"
#include "xmlsafe.h"

static void check_item(const struct news *n, size_t i)
{
	const struct news_item *it = &n->items[i];

	FZ_ASSERT(gd_id_valid(it->id));
	for (size_t k = 0; k < i; k++)
		FZ_ASSERT(strcmp(n->items[k].id, it->id) != 0);
	FZ_ASSERT(fz_clean(it->title) && strchr(it->title, '\n') == NULL);
	FZ_ASSERT(it->text == NULL || fz_clean(it->text));
	if (it->kind == NEWS_MAINTENANCE)
		FZ_ASSERT(it->end > it->start);
	if (it->kind == NEWS_INCIDENT)
		FZ_ASSERT(it->nupdates > 0);
	for (size_t u = 0; u < it->nupdates; u++) {
		FZ_ASSERT(fz_clean(it->updates[u].text));
		FZ_ASSERT(u == 0 || it->updates[u].at >= it->updates[u - 1].at);
	}
	FZ_ASSERT(it->published <= it->updated);
}

/* What the renderer does with the list: sort, status, paragraphs. */
static void use(struct news *n)
{
	news_sort(n);
	for (size_t i = 0; i < n->n; i++) {
		const struct news_item *it = &n->items[i];
		size_t pos = 0;
		char *para;

		(void)news_active(it, it->start + 1);
		FZ_ASSERT(news_status_name(news_status_at(it, it->end)) != NULL);
		while (it->text != NULL &&
		       (para = text_next_paragraph(it->text, &pos)) != NULL) {
			FZ_ASSERT(para[0] != '\0' && fz_clean(para));
			free(para);
		}
	}
	(void)news_count_new(n, 1280000000, 86400 * 7);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_quiet();
	atexit(gd_xml_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gd_errlist errs = GD_ERRLIST_INIT;
	struct news n = { 0 };
	char path[64];
	int fd = fz_memfd(data, size, path, sizeof path);

	if (news_load(path, NULL, &n, &errs) == 0) {
		FZ_ASSERT(errs.n == 0);
		for (size_t i = 0; i < n.n; i++)
			check_item(&n, i);
		use(&n);
	} else {
		FZ_ASSERT(errs.n > 0 && n.n == 0);
	}
	news_free(&n);
	gd_errlist_clear(&errs);
	close(fd);
	return 0;
}
