/*
 * block.h — read just the block header (epoch, round, timestamp) of a BlockMetadata record
 * without decoding the rest: used to keep track of the enclosing block while records
 * outside the wanted version range are passed over.
 */
#ifndef FF_CHAIN_BLOCK_H
#define FF_CHAIN_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ff_block_header
{
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	timestamp_usecs;
} ff_block_header;

/*
 * If rec is a v6/v7 record whose Transaction is a BlockMetadata, fill *out and return true.
 * False for any other kind, or when the header bytes do not decode (a full decode of the
 * record then reports the corruption).
 */
bool		ff_block_header_peek(const uint8_t *rec, size_t len, ff_block_header *out);

#endif
