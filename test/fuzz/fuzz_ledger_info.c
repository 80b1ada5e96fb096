/*
 * fuzz_ledger_info.c — libFuzzer harness of chain/ledger_info.h: epoch-ending records of
 * every era, era detection against a waypoint, validators, the waypoint hash, and the
 * state snapshot's state.proof of every era. The first byte picks the entry point and era.
 */
#include "fuzz.h"

#include "chain/ledger_info.h"

static const ff_era eras[4] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4, FF_ERA_UNKNOWN};

static void
walk(const ff_ledger_info *li, size_t size)
{
	ff_validator v;
	size_t		state = 0;
	size_t		n = 0;
	uint8_t		wp[32];

	fuzz_touch(li->block_id, 32);
	fuzz_touch(li->executed_state_id, 32);
	fuzz_touch(li->consensus_data_hash, 32);
	fuzz_touch(li->signer_bitmask.ptr, li->signer_bitmask.len);
	fuzz_touch(li->signature.ptr, li->signature.len);
	fuzz_touch(li->signatures.ptr, li->signatures.len);
	while (n++ <= size && ff_ledger_info_next_validator(li, &state, &v))
	{
		fuzz_touch(v.address, li->addr_len);
		fuzz_touch(v.public_key.ptr, v.public_key.len);
	}
	ff_ledger_info_waypoint(li, ff_era_domain(li->era), wp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_era		era = eras[(sel >> 2) & 3];
	ff_ledger_info li;
	ff_status	st;

	ff_status_clear(&st);
	switch (sel & 3)
	{
		case 0:
			if (ff_ledger_info_decode(data, size, &li, &st) == FF_OK)
				walk(&li, size);
			break;
		case 1:
			if (ff_ledger_info_decode_era(era, data, size, &li, &st) == FF_OK)
				walk(&li, size);
			break;
		case 2:
			{
				/* the waypoint: the record's own (so that v4/v5 detection can succeed) or none */
				uint8_t		wp[32];
				ff_era		e;

				if (ff_ledger_info_decode_era(FF_ERA_V5, data, size, &li, &st) == FF_OK)
					ff_ledger_info_waypoint(&li, (sel & 4) ? "LIBRA::" : "DIEM::", wp);
				else
					memset(wp, 0, sizeof(wp));
				e = ff_ledger_info_detect_era(data, size, (sel & 8) ? NULL : wp);
				if (e != FF_ERA_UNKNOWN)
				{
					if (ff_ledger_info_decode_era(e, data, size, &li, &st) != FF_OK)
						abort();	/* detection promised this era decodes */
					walk(&li, size);
				}
				break;
			}
		default:
			{
				const uint8_t *root = NULL;

				if (ff_state_proof_decode(era, data, size, &li, &root, &st) == FF_OK)
				{
					fuzz_touch(root, root ? 32 : 0);
					walk(&li, size);
				}
				break;
			}
	}
	return 0;
}
