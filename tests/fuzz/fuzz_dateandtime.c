/*
 * fuzz_dateandtime.c — gd_time_from_dateandtime (common/timefmt.c), the
 * SNMP DateAndTime (RFC 2579) of gdXLastChange and friends, on any bytes
 * (an agent's octets).
 *
 * Beyond "no crash": a value that decodes, encoded again with
 * gd_time_to_dateandtime (UTC), decodes to the same instant; and a value
 * given in UTC with a date that exists comes back octet for octet (the
 * deci-seconds aside).
 */
#include "fuzz.h"

#include "timefmt.h"

/* Years that the two year octets hold after any offset. */
#define T_MIN (-62135596800LL + 86400)		/* 0001-01-02 */
#define T_MAX (2005949145599LL - 86400)		/* 65535-12-30 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char again[11];
	time_t t = 0, back = 0;

	if (gd_time_from_dateandtime(data, size, &t) != 0)
		return 0;
	if (t == 0 || t < T_MIN || t > T_MAX)
		return 0;
	gd_time_to_dateandtime(t, again);
	FZ_ASSERT(gd_time_from_dateandtime(again, sizeof again, &back) == 0);
	FZ_ASSERT(back == t);
	/* in UTC, a decoded value is the value itself */
	if (size == 11 && data[9] == 0 && data[10] == 0 && data[6] < 60)
		FZ_ASSERT(memcmp(again, data, 7) == 0);
	return 0;
}
