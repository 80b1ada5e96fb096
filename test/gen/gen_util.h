/*
 * gen_util.h — small helpers shared by the fixture generator: fatal errors,
 * checked allocation and array growth, formatted strings, and a deterministic PRNG
 * (splitmix64-seeded xoshiro256**) whose streams depend only on the seed.
 */
#ifndef FIXTUREGEN_GEN_UTIL_H
#define FIXTUREGEN_GEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void		gen_fatal(const char *fmt,...) __attribute__((noreturn, format(printf, 1, 2)));
void	   *gen_malloc(size_t size);
void	   *gen_calloc(size_t count, size_t size);
void	   *gen_realloc(void *ptr, size_t size);
char	   *gen_strdup(const char *text);
char	   *gen_asprintf(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/*
 * Appends one zeroed element to the malloc'ed array `array` of `count` elements (both
 * lvalues, count incremented) and yields a pointer to it.
 */
#define GEN_PUSH(array, count) \
	((array) = gen_realloc((array), ((count) + 1) * sizeof(*(array))), \
	 memset(&(array)[(count)], 0, sizeof(*(array))), &(array)[(count)++])

/* 64-bit FNV-1a of a string, mixed with a seed: names -> stable numbers. */
uint64_t	gen_name_hash(uint64_t seed, const char *name);

typedef struct gen_prng
{
	uint64_t	state[4];
} gen_prng;

void		prng_init(gen_prng *prng, uint64_t seed, uint64_t stream);
uint64_t	prng_next(gen_prng *prng);
/* Uniform in [low, high] inclusive. */
uint64_t	prng_range(gen_prng *prng, uint64_t low, uint64_t high);
/* True with probability percent/100. */
bool		prng_chance(gen_prng *prng, unsigned percent);
void		prng_bytes(gen_prng *prng, uint8_t *out, size_t len);

#endif
