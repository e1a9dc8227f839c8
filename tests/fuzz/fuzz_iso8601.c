/*
 * fuzz_iso8601.c — gd_time_parse_iso8601 (common/timefmt.c) on any
 * bytes (the news file's and state.xml's times).
 *
 * Beyond "no crash": a time that parses is a real instant (no 31 February
 * moved into March), and the UTC text gd_time_iso8601 writes for it
 * parses back to the same instant.  A refusal sets errno EINVAL.
 */
#include "fuzz.h"

#include <errno.h>

#include "timefmt.h"

/* 0001-01-01 .. 9999-12-31: what four digits and an offset reach. */
#define T_MIN (-62135596800LL + 86400)
#define T_MAX (253402300799LL - 86400)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	char text[64];
	time_t t = 0, back = 0;

	errno = 0;
	if (gd_time_parse_iso8601(s, &t) == 0) {
		if (t >= T_MIN && t <= T_MAX) {
			FZ_ASSERT(gd_time_iso8601(text, sizeof text, t, true) > 0);
			FZ_ASSERT(gd_time_parse_iso8601(text, &back) == 0);
			FZ_ASSERT(back == t);
		}
	} else {
		FZ_ASSERT(errno == EINVAL);
	}
	free(s);
	return 0;
}
