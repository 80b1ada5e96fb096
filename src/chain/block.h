/*
 * block.h — read just the block header (epoch, round, timestamp) of a BlockMetadata record
 * without decoding the rest: used to keep track of the enclosing block while records
 * outside the wanted version range are passed over. v6/v7, and v4/v5 (no epoch there).
 */
#ifndef FF_CHAIN_BLOCK_H
#define FF_CHAIN_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/era.h"

typedef struct ff_block_header
{
	bool		has_epoch;		/* true for v6/v7; v4/v5 BlockMetadata carries no epoch */
	uint64_t	epoch;			/* 0 when !has_epoch */
	uint64_t	round;
	uint64_t	timestamp_usecs;
} ff_block_header;

/*
 * If rec is a v6/v7 record whose Transaction is a BlockMetadata, fill *out and return true.
 * False for any other kind, or when the header bytes do not decode (a full decode of the
 * record then reports the corruption).
 */
bool		ff_block_header_peek(const uint8_t *rec, size_t len, ff_block_header *out);

/*
 * The same for a record of the given era: FF_ERA_V6 is ff_block_header_peek; v4/v5
 * (Transaction tag 2, id: uleb 32 + 32 bytes, round u64, timestamp_usecs u64) give round
 * and timestamp with has_epoch false. False for FF_ERA_UNKNOWN.
 */
bool		ff_block_header_peek_era(ff_era era, const uint8_t *rec, size_t len,
									 ff_block_header *out);

#endif
