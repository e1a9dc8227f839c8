/*
 * fuzz_text.c — render/text.c, what makes agents' and the news file's
 * strings safe to show, on any bytes: text_clean, text_clean_line,
 * text_next_paragraph.
 *
 * Beyond "no crash": the output is valid UTF-8 without the characters
 * text.h refuses; text_clean keeps clean input as it is and is
 * idempotent; a line has no tab or newline and no space at either end;
 * paragraphs are non-empty and clean, and the walk ends.
 */
#include "fuzz.h"

#include "fz_clean.h"

static void check_line(const char *s)
{
	size_t n = strlen(s);

	FZ_ASSERT(fz_clean(s));
	FZ_ASSERT(strpbrk(s, "\t\n\r") == NULL && strstr(s, "  ") == NULL);
	FZ_ASSERT(n == 0 || (s[0] != ' ' && s[n - 1] != ' '));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size), *c, *again, *line, *para;
	size_t pos = 0, last = 0, paras = 0;

	c = text_clean(s);
	FZ_ASSERT(c != NULL && fz_clean(c));
	if (fz_clean(s))
		FZ_ASSERT(strcmp(c, s) == 0);
	again = text_clean(c);
	FZ_ASSERT(again != NULL && strcmp(again, c) == 0);
	line = text_clean_line(s);
	FZ_ASSERT(line != NULL);
	check_line(line);
	while ((para = text_next_paragraph(s, &pos)) != NULL) {
		FZ_ASSERT(pos > last || paras == 0);
		FZ_ASSERT(++paras <= size);
		FZ_ASSERT(para[0] != '\0');
		check_line(para);
		last = pos;
		free(para);
	}
	free(c);
	free(again);
	free(line);
	free(s);
	return 0;
}
