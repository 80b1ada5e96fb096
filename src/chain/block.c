/*
 * block.c — the cheap BlockMetadata header read (see block.h). Layouts:
 * v6/v7: Transaction tag 2, id [32], epoch u64, round u64, proposer [32],
 * previous_block_votes_bitvec bytes, failed_proposer_indices Vec<u32>, timestamp_usecs u64.
 * v4/v5: Transaction tag 2, id (uleb 32 + [32]), round u64, timestamp_usecs u64, then
 * previous_block_votes Vec<addr16> and proposer addr16 (not read).
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
	out->has_epoch = true;
	return true;
}

bool
ff_block_header_peek_era(ff_era era, const uint8_t *rec, size_t len, ff_block_header *out)
{
	bcs_cursor	c;
	uint32_t	tag;
	ff_span		id;

	if (era == FF_ERA_V6)
		return ff_block_header_peek(rec, len, out);
	if (era != FF_ERA_V4 && era != FF_ERA_V5)
		return false;
	bcs_init(&c, rec, len);
	if (!bcs_len(&c, &tag) || tag != 2 || !bcs_bytes(&c, &id) || id.len != 32 ||
		!bcs_u64(&c, &out->round) || !bcs_u64(&c, &out->timestamp_usecs))
		return false;
	out->has_epoch = false;
	out->epoch = 0;
	return true;
}
