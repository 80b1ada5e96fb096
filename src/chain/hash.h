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

#endif
