/*
 * hash.h — SHA3-256 (FIPS 202, through OpenSSL) and the Diem/Aptos CryptoHasher:
 *   hash(T) = SHA3-256( SHA3-256(domain || type_name) || bcs(T) )
 * with domain "DIEM::" (v5, v6, v7) or "LIBRA::" (v4).
 */
#ifndef FF_CHAIN_HASH_H
#define FF_CHAIN_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FF_HASH_LEN 32

void		ff_sha3_256(const void *data, size_t len, uint8_t out[FF_HASH_LEN]);

/* seed = SHA3-256(domain || type_name), e.g. ("DIEM::", "Transaction"). */
void		ff_hash_seed(const char *domain, const char *type_name, uint8_t seed[FF_HASH_LEN]);

/* SHA3-256(seed || bytes). */
void		ff_hash_with_seed(const uint8_t seed[FF_HASH_LEN], const uint8_t *bytes, size_t len,
							  uint8_t out[FF_HASH_LEN]);

/* Convenience: ff_hash_with_seed(ff_hash_seed(domain, type_name), bytes). */
void		ff_crypto_hash(const char *domain, const char *type_name,
						   const uint8_t *bytes, size_t len, uint8_t out[FF_HASH_LEN]);

/*
 * SHA3-256(seed || parts[0] || ... || parts[n-1]): the CryptoHash of a value whose BCS is
 * a concatenation of slices of a record (e.g. a waypoint). At most FF_HASH_MAX_PARTS parts
 * (more gives the all-zero hash, which no real hash equals).
 */
#define FF_HASH_MAX_PARTS 8
void		ff_hash_with_seed_parts(const uint8_t seed[FF_HASH_LEN], const uint8_t *const *parts,
									const size_t *lens, size_t n, uint8_t out[FF_HASH_LEN]);

/*
 * Root of the in-memory Merkle accumulator over n leaf hashes (FORMAT-transactions-v6v7.md
 * §6.2): internal node = SHA3-256(seed(domain, node_type_name) || left || right), missing
 * right siblings are the placeholder (ASCII "ACCUMULATOR_PLACEHOLDER_HASH", zero-padded),
 * no leaves give the placeholder, one leaf gives the leaf itself. No allocation.
 * Event roots: ("DIEM::", "EventAccumulator") over hash("ContractEvent") of each event.
 */
void		ff_accumulator_root(const char *domain, const char *node_type_name,
								const uint8_t (*leaves)[FF_HASH_LEN], size_t n,
								uint8_t out[FF_HASH_LEN]);

#endif
