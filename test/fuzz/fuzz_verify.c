/*
 * fuzz_verify.c — libFuzzer harness of chain/verify.h: the chunk .proof decoder with the
 * range-proof computation over leaves drawn from the input, and the three record hashes of
 * a decoded transaction of each era. The first byte picks the path, the era and the shape.
 */
#include "fuzz.h"

#include "chain/transaction.h"
#include "chain/verify.h"

static const ff_era eras[4] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4, FF_ERA_UNKNOWN};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_status	st;

	ff_status_clear(&st);
	if ((sel & 1) == 0)
	{
		/* a .proof file, then its root over 1..64 leaves at a leaf index from the selector */
		ff_range_proof p;
		ff_ledger_info li;
		ff_era		era = eras[(sel >> 1) & 3];

		if (ff_tx_proof_decode(era, data, size, &p, &li, &st) == FF_OK)
		{
			size_t		n = 1 + (size % 64);
			uint64_t	first = ((uint64_t) sel << 20) ^ (uint64_t) size;
			uint8_t		(*leaves)[FF_HASH_LEN] = malloc(n * FF_HASH_LEN);
			uint8_t		root[FF_HASH_LEN];

			if (era != FF_ERA_V6)
				abort();		/* only v6/v7 proofs decode */
			fuzz_touch(p.left, (size_t) p.n_left * FF_HASH_LEN);
			fuzz_touch(p.right, (size_t) p.n_right * FF_HASH_LEN);
			fuzz_touch(li.executed_state_id, FF_HASH_LEN);
			for (size_t i = 0; i < n; i++)
				ff_sha3_256(&i, sizeof(i), leaves[i]);
			ff_status_clear(&st);
			(void) ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", first, leaves, n, root, &st);
			free(leaves);
		}
	}
	else
	{
		/* a whole record of an era, fully decoded, then its hashes */
		ff_tx		tx;
		ff_tx_hash_check hc;

		if (ff_tx_decode_era(eras[(sel >> 1) & 3], data, size, &tx, &st) == FF_OK)
		{
			uint8_t		leaf[FF_HASH_LEN];

			ff_status_clear(&st);
			if (ff_verify_tx_hashes(&tx, &hc, &st) == FF_OK && hc.failed != FF_TXH_NONE && hc.stored)
				fuzz_touch(hc.stored, FF_HASH_LEN);
			ff_tx_info_leaf(tx.era, tx.info, leaf);
		}
	}
	return 0;
}
