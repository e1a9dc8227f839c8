/*
 * fz_clean.h — for the harnesses of what render/text.c cleans (news,
 * text, incidents): include after fuzz.h, with -Irender.
 */
#ifndef GD_FZ_CLEAN_H
#define GD_FZ_CLEAN_H

#include "fuzz.h"
#include "text.h"

/* Valid UTF-8 with only the characters text_clean() lets through. */
static inline bool fz_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	uint32_t cp;

	for (size_t i = 0; i < len;) {
		size_t n = text_utf8_next(p + i, len - i, &cp);

		if (n == 1 && p[i] >= 0x80)
			return false;	/* a bad byte left in */
		if (!text_cp_allowed(cp))
			return false;
		i += n;
	}
	return true;
}

#endif
