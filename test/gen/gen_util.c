/*
 * gen_util.c — fatal errors, checked allocation, formatted strings and the
 * deterministic PRNG used by every part of the fixture generator.
 */
#include "gen_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
gen_fatal(const char *fmt,...)
{
	va_list		args;

	fputs("fixturegen: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	exit(1);
}

void *
gen_malloc(size_t size)
{
	void	   *ptr = malloc(size ? size : 1);

	if (ptr == NULL)
		gen_fatal("out of memory (%zu bytes)", size);
	return ptr;
}

void *
gen_calloc(size_t count, size_t size)
{
	void	   *ptr = calloc(count ? count : 1, size ? size : 1);

	if (ptr == NULL)
		gen_fatal("out of memory (%zu x %zu bytes)", count, size);
	return ptr;
}

void *
gen_realloc(void *ptr, size_t size)
{
	void	   *grown = realloc(ptr, size ? size : 1);

	if (grown == NULL)
		gen_fatal("out of memory (%zu bytes)", size);
	return grown;
}

char *
gen_strdup(const char *text)
{
	size_t		len = strlen(text);
	char	   *copy = gen_malloc(len + 1);

	memcpy(copy, text, len + 1);
	return copy;
}

char *
gen_asprintf(const char *fmt,...)
{
	va_list		args;
	char		small[256];
	int			needed;
	char	   *out;

	va_start(args, fmt);
	needed = vsnprintf(small, sizeof(small), fmt, args);
	va_end(args);
	if (needed < 0)
		gen_fatal("vsnprintf failed");
	out = gen_malloc((size_t) needed + 1);
	if ((size_t) needed < sizeof(small))
	{
		memcpy(out, small, (size_t) needed + 1);
		return out;
	}
	va_start(args, fmt);
	vsnprintf(out, (size_t) needed + 1, fmt, args);
	va_end(args);
	return out;
}

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
gen_name_hash(uint64_t seed, const char *name)
{
	uint64_t	hash = UINT64_C(0xcbf29ce484222325) ^ seed;
	uint64_t	mix;

	for (const unsigned char *p = (const unsigned char *) name; *p; p++)
	{
		hash ^= *p;
		hash *= UINT64_C(0x100000001b3);
	}
	mix = hash;
	return splitmix64(&mix);
}

void
prng_init(gen_prng *prng, uint64_t seed, uint64_t stream)
{
	uint64_t	sm = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));

	for (int i = 0; i < 4; i++)
		prng->state[i] = splitmix64(&sm);
}

static inline uint64_t
rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
prng_next(gen_prng *prng)
{
	uint64_t   *s = prng->state;
	uint64_t	result = rotl64(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

uint64_t
prng_range(gen_prng *prng, uint64_t low, uint64_t high)
{
	uint64_t	span = high - low + 1;

	if (span == 0)
		return prng_next(prng);
	return low + prng_next(prng) % span;
}

bool
prng_chance(gen_prng *prng, unsigned percent)
{
	return prng_next(prng) % 100 < percent;
}

void
prng_bytes(gen_prng *prng, uint8_t *out, size_t len)
{
	while (len > 0)
	{
		uint64_t	word = prng_next(prng);
		size_t		take = len < 8 ? len : 8;

		for (size_t i = 0; i < take; i++)
			out[i] = (uint8_t) (word >> (8 * i));
		out += take;
		len -= take;
	}
}
