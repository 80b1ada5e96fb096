/*
 * fuzz.h — shared helpers of the libFuzzer harnesses (test/fuzz/fuzz_*.c): taking selector
 * bytes off the front of an input, an in-memory ff_stream over a copy of the input, and
 * bounded draining of a stream. Harnesses print nothing and free everything.
 */
#ifndef FF_FUZZ_H
#define FF_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/status.h"
#include "io/stream.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read the first and last byte of a view so that ASan checks that it lies inside memory. */
static inline void
fuzz_touch(const uint8_t *p, size_t n)
{
	if (p != NULL && n > 0)
	{
		uint8_t		x = p[0] ^ p[n - 1];

		__asm__ volatile("" : : "r"(x));
	}
}

/* Take one selector byte off the front (0 when the input is empty). */
static inline uint8_t
fuzz_byte(const uint8_t **data, size_t *size)
{
	uint8_t		b;

	if (*size == 0)
		return 0;
	b = (*data)[0];
	(*data)++;
	(*size)--;
	return b;
}

/* A malloc'ed copy of the bytes (never NULL for size 0: one byte is allocated). */
static inline char *
fuzz_copy(const uint8_t *data, size_t size, bool nul)
{
	char	   *p = malloc(size + (nul ? 1 : 0) + 1);

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	if (nul)
		p[size] = '\0';
	return p;
}

/* A memory stream over a copy of the bytes (the stream owns the copy). */
static inline ff_stream *
fuzz_memory_stream(const uint8_t *data, size_t size)
{
	ff_stream  *s = ff_stream_memory(fuzz_copy(data, size, false), size, size);

	if (s == NULL)
		abort();
	return s;
}

/*
 * Read a stream to its end or a failure, at most `cap` bytes, in reads of varying sizes
 * (from `step`, a selector): returns the bytes read.
 */
static inline size_t
fuzz_drain(ff_stream *s, size_t cap, unsigned step)
{
	static uint8_t buf[65536];
	size_t		total = 0;
	size_t		n = 1 + (step * 977u) % sizeof(buf);
	ff_status	st;

	ff_status_clear(&st);
	while (total < cap)
	{
		ssize_t		k = ff_stream_read(s, buf, n, &st);

		if (k <= 0)
			break;
		if ((size_t) k > n)
			abort();			/* a stream must never return more than asked */
		total += (size_t) k;
		n = 1 + (n * 31u + (size_t) k) % sizeof(buf);
	}
	return total;
}

#endif
