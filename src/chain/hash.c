/*
 * hash.c — SHA3-256 through OpenSSL EVP, the Diem/Aptos CryptoHasher built on it, and the
 * in-memory Merkle accumulator root (event roots).
 * The digest context, the fetched SHA3-256 implementation and the seeds in use are kept
 * in static storage, created on first use: fine without locks in a single-threaded
 * backend (one PostgreSQL process), not for concurrent threads.
 */
#include "chain/hash.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>

/* Reused for every digest: avoids an allocation and a method fetch per hash. */
static EVP_MD_CTX *sha3_ctx;
static const EVP_MD *sha3_md;

/* Seeds computed so far, looked up by (domain, type_name). */
#define SEED_CACHE_SIZE 16
#define SEED_NAME_MAX 64

typedef struct seed_entry
{
	char		domain[SEED_NAME_MAX];
	char		type_name[SEED_NAME_MAX];
	uint8_t		seed[FF_HASH_LEN];
} seed_entry;

static seed_entry seed_cache[SEED_CACHE_SIZE];
static int	seed_cache_used;

static bool
sha3_ready(void)
{
	if (!sha3_md)
	{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
		sha3_md = EVP_MD_fetch(NULL, "SHA3-256", NULL);
		if (!sha3_md)
#endif
			sha3_md = EVP_sha3_256();
		if (!sha3_md)
			return false;
	}
	if (!sha3_ctx)
		sha3_ctx = EVP_MD_CTX_new();
	return sha3_ctx != NULL;
}

/*
 * SHA3-256 of the concatenation parts[0] || ... || parts[n-1]. If OpenSSL fails (out of
 * memory) the output is all zero bytes, which no real hash equals, so a hash comparison
 * then fails loudly.
 */
static void
sha3_parts(const uint8_t *const *parts, const size_t *lens, size_t n, uint8_t out[FF_HASH_LEN])
{
	unsigned int outlen = 0;
	bool		ok;

	ok = sha3_ready() && EVP_DigestInit_ex(sha3_ctx, sha3_md, NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = lens[i] == 0 || EVP_DigestUpdate(sha3_ctx, parts[i], lens[i]) == 1;
	if (ok && EVP_DigestFinal_ex(sha3_ctx, out, &outlen) == 1 && outlen == FF_HASH_LEN)
		return;
	memset(out, 0, FF_HASH_LEN);
}

/* SHA3-256 of a || b. */
static void
sha3_two(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[FF_HASH_LEN])
{
	const uint8_t *parts[2] = {a, b};
	size_t		lens[2] = {alen, blen};

	sha3_parts(parts, lens, 2, out);
}

void
ff_sha3_256(const void *data, size_t len, uint8_t out[FF_HASH_LEN])
{
	sha3_two(data, len, NULL, 0, out);
}

void
ff_hash_seed(const char *domain, const char *type_name, uint8_t seed[FF_HASH_LEN])
{
	size_t		dlen = strlen(domain);
	size_t		tlen = strlen(type_name);

	for (int i = 0; i < seed_cache_used; i++)
	{
		if (strcmp(seed_cache[i].domain, domain) == 0 &&
			strcmp(seed_cache[i].type_name, type_name) == 0)
		{
			memcpy(seed, seed_cache[i].seed, FF_HASH_LEN);
			return;
		}
	}
	sha3_two(domain, dlen, type_name, tlen, seed);

	/* remember it if there is room and the names fit (a zero seed is a failure: not kept) */
	if (seed_cache_used < SEED_CACHE_SIZE && dlen < SEED_NAME_MAX && tlen < SEED_NAME_MAX)
	{
		static const uint8_t zero[FF_HASH_LEN];
		seed_entry *e;

		if (memcmp(seed, zero, FF_HASH_LEN) == 0)
			return;
		e = &seed_cache[seed_cache_used];
		memcpy(e->domain, domain, dlen + 1);
		memcpy(e->type_name, type_name, tlen + 1);
		memcpy(e->seed, seed, FF_HASH_LEN);
		seed_cache_used++;
	}
}

void
ff_hash_with_seed(const uint8_t seed[FF_HASH_LEN], const uint8_t *bytes, size_t len,
				  uint8_t out[FF_HASH_LEN])
{
	sha3_two(seed, FF_HASH_LEN, bytes, len, out);
}

void
ff_crypto_hash(const char *domain, const char *type_name,
			   const uint8_t *bytes, size_t len, uint8_t out[FF_HASH_LEN])
{
	uint8_t		seed[FF_HASH_LEN];

	ff_hash_seed(domain, type_name, seed);
	ff_hash_with_seed(seed, bytes, len, out);
}

void
ff_hash_with_seed_parts(const uint8_t seed[FF_HASH_LEN], const uint8_t *const *parts,
						const size_t *lens, size_t n, uint8_t out[FF_HASH_LEN])
{
	const uint8_t *all[FF_HASH_MAX_PARTS + 1];
	size_t		all_lens[FF_HASH_MAX_PARTS + 1];

	if (n > FF_HASH_MAX_PARTS)
	{
		memset(out, 0, FF_HASH_LEN);
		return;
	}
	all[0] = seed;
	all_lens[0] = FF_HASH_LEN;
	memcpy(all + 1, parts, n * sizeof(*parts));
	memcpy(all_lens + 1, lens, n * sizeof(*lens));
	sha3_parts(all, all_lens, n + 1, out);
}

/* ASCII "ACCUMULATOR_PLACEHOLDER_HASH" padded with zero bytes to 32. */
static const uint8_t accumulator_placeholder[FF_HASH_LEN] = "ACCUMULATOR_PLACEHOLDER_HASH";

/* An internal node: SHA3-256(seed || left || right). */
static void
accumulator_node(const uint8_t seed[FF_HASH_LEN], const uint8_t left[FF_HASH_LEN],
				 const uint8_t right[FF_HASH_LEN], uint8_t out[FF_HASH_LEN])
{
	const uint8_t *parts[3] = {seed, left, right};
	size_t		lens[3] = {FF_HASH_LEN, FF_HASH_LEN, FF_HASH_LEN};

	sha3_parts(parts, lens, 3, out);
}

/*
 * Leaves are appended like a binary counter: the stack holds the roots of the full
 * ("frozen") subtrees, largest first, one per bit set in the leaf count. The root folds
 * them from the right; a level whose bit is clear pairs the running hash with a
 * placeholder right sibling.
 */
void
ff_accumulator_root(const char *domain, const char *node_type_name,
					const uint8_t (*leaves)[FF_HASH_LEN], size_t n, uint8_t out[FF_HASH_LEN])
{
	uint8_t		seed[FF_HASH_LEN];
	uint8_t		frozen[8 * sizeof(size_t)][FF_HASH_LEN];
	size_t		depth = 0;
	size_t		bits;
	uint8_t		running[FF_HASH_LEN];

	if (n == 0)
	{
		memcpy(out, accumulator_placeholder, FF_HASH_LEN);
		return;
	}
	ff_hash_seed(domain, node_type_name, seed);
	for (size_t i = 0; i < n; i++)
	{
		memcpy(running, leaves[i], FF_HASH_LEN);
		/* each trailing 1 bit of i is a full subtree of the same size to merge with */
		for (size_t k = i; k & 1; k >>= 1)
			accumulator_node(seed, frozen[--depth], running, running);
		memcpy(frozen[depth++], running, FF_HASH_LEN);
	}
	if (depth == 1)
	{
		memcpy(out, frozen[0], FF_HASH_LEN);
		return;
	}
	memcpy(running, accumulator_placeholder, FF_HASH_LEN);
	for (bits = n >> __builtin_ctzll((unsigned long long) n); bits; bits >>= 1)
	{
		if (bits & 1)
			accumulator_node(seed, frozen[--depth], running, running);
		else
			accumulator_node(seed, running, accumulator_placeholder, running);
	}
	memcpy(out, running, FF_HASH_LEN);
}
