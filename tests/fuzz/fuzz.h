/*
 * fuzz.h — what the libFuzzer harnesses share (tests/fuzz/fuzz_*.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput (and, when it needs one-time
 * set-up, LLVMFuzzerInitialize) and is built by tests/fuzz/fuzz.mk with
 * clang -fsanitize=fuzzer,address,undefined.  Harnesses write nowhere on
 * disk: a parser that takes a path gets a memfd's /proc/self/fd/N.
 * A property a harness checks beyond "no crash" fails with FZ_ASSERT,
 * which aborts (libFuzzer keeps the input as a crash).
 */
#ifndef GD_FUZZ_H
#define GD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_ASSERT(cond)                                                    \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: property failed: %s\n",    \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* The parsers log what they skip: keep libFuzzer's output readable. */
static inline void fz_quiet(void)
{
	gd_log_open("fuzz", getenv("FUZZ_LOG") ? "e" : "n");
}

/* A NUL-terminated copy (the bytes may hold NULs of their own). */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An anonymous in-memory file holding data, for parsers that open a path:
 * its name into path ("/proc/self/fd/N").  The fd, closed by the caller. */
static inline int fz_memfd(const uint8_t *data, size_t size, char *path,
			   size_t len)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* A cursor over the input, for harnesses that build structured values
 * from bytes; reads past the end give zeros. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_u8(struct fz_in *in)
{
	uint8_t v = 0;

	if (in->n > 0) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static inline uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | fz_u8(in);
	return v;
}

/* Up to max bytes (a length byte first); *len gets how many. */
static inline const uint8_t *fz_bytes(struct fz_in *in, size_t max,
				      size_t *len)
{
	const uint8_t *p = in->p;
	size_t n = fz_u8(in);

	if (n > max)
		n = max;
	if (n > in->n)
		n = in->n;
	in->p += n;
	in->n -= n;
	*len = n;
	return p;
}

/* s is printable ASCII all the way to its NUL, within len bytes. */
static inline bool fz_printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			return true;
		if (s[i] < ' ' || s[i] > '~')
			return false;
	}
	return false;
}

#endif
