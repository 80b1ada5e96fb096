/*
 * block.c — the cheap BlockMetadata header read (see block.h). Layout (v6/v7):
 * Transaction tag 2, id [32], epoch u64, round u64, proposer [32],
 * previous_block_votes_bitvec bytes, failed_proposer_indices Vec<u32>, timestamp_usecs u64.
 */
#include "chain/block.h"

#include "bcs/bcs.h"

bool
ff_block_header_peek(const uint8_t *rec, size_t len, ff_block_header *out)
{
	bcs_cursor	c;
	uint32_t	tag;
	uint32_t	failed;
	ff_span		votes;
	const uint8_t *skip;

	bcs_init(&c, rec, len);
	if (!bcs_len(&c, &tag) || tag != 2)
		return false;
	if (!bcs_fixed(&c, 32, &skip) || !bcs_u64(&c, &out->epoch) || !bcs_u64(&c, &out->round) ||
		!bcs_fixed(&c, 32, &skip) || !bcs_bytes(&c, &votes) || !bcs_count(&c, 4, &failed) ||
		!bcs_skip(&c, (size_t) failed * 4) || !bcs_u64(&c, &out->timestamp_usecs))
		return false;
	return true;
}
