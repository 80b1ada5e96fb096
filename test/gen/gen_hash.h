/*
 * gen_hash.h — SHA3-256 (OpenSSL EVP), the DIEM:: (and v4 LIBRA::) CryptoHasher domain hashes,
 * the in-memory Merkle accumulators (event roots, transaction accumulator)
 * and accumulator range proofs.
 */
#ifndef FIXTUREGEN_GEN_HASH_H
#define FIXTUREGEN_GEN_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "bcs_writer.h"

#define HASH_LEN 32

extern const uint8_t accumulator_placeholder_hash[HASH_LEN];

void		sha3_256(const uint8_t *data, size_t len, uint8_t out[HASH_LEN]);
/* SHA3-256(SHA3-256("DIEM::" || type_name) || data) */
void		diem_hash(const char *type_name, const uint8_t *data, size_t len, uint8_t out[HASH_LEN]);
/* Root of an in-memory accumulator; internal nodes hashed with node_type_name. */
void		accumulator_root(const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
							 size_t leaf_count, uint8_t out[HASH_LEN]);
/*
 * BCS of AccumulatorRangeProof{left_siblings, right_siblings} proving leaves
 * [first, last] against the accumulator of leaf_count leaves, appended to out.
 */
void		accumulator_range_proof(const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
									size_t leaf_count, size_t first, size_t last, byte_buf *out);
/* The same with another domain ("LIBRA::" for v4, "DIEM::" for v5). */
void		domain_hash(const char *domain, const char *type_name, const uint8_t *data, size_t len,
						uint8_t out[HASH_LEN]);
void		accumulator_root_domain(const char *domain, const char *node_type_name,
									const uint8_t (*leaves)[HASH_LEN], size_t leaf_count, uint8_t out[HASH_LEN]);
/* v4/v5 AccumulatorRangeProof: both sibling lists with HashValues as 0x20 || 32 bytes. */
void		accumulator_range_proof_legacy(const char *domain, const char *node_type_name,
										   const uint8_t (*leaves)[HASH_LEN], size_t leaf_count, size_t first,
										   size_t last, byte_buf *out);
/* v4/v5 AccumulatorProof of one leaf: siblings leaf level first, each 0x20 || 32 bytes. */
void		accumulator_siblings(const char *domain, const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
								 size_t leaf_count, size_t index, byte_buf *out);
void		hex_encode(const uint8_t *data, size_t len, char *out);	/* out: 2*len+1 */

#endif
