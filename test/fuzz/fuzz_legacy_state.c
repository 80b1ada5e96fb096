/*
 * fuzz_legacy_state.c — libFuzzer harness of chain/legacy_state.h: v4/v5 account records
 * (AccountStateBlob maps), the resource iterator, type names (v5 paths, the v4 dictionary),
 * the address recovery and the balances. The first byte picks the era (v4, v5, or another
 * one, which must be refused).
 */
#include "fuzz.h"

#include "chain/legacy_state.h"

static const ff_era eras[4] = {FF_ERA_V4, FF_ERA_V5, FF_ERA_V6, FF_ERA_UNKNOWN};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_era		era = eras[sel & 3];
	ff_account_record r;
	ff_status	st;
	ff_buf		b;

	ff_status_clear(&st);
	if (size >= FF_V4_ACCESS_KEY_LEN)
		(void) ff_v4_type_name(data);
	if (ff_account_record_decode(era, data, size, &r, &st) != FF_OK)
		return 0;
	ff_buf_init(&b);
	fuzz_touch(r.key_hash, 32);
	fuzz_touch(r.blob.ptr, r.blob.len);
	{
		ff_account_iter it;
		ff_account_resource res;
		size_t		n = 0;
		uint8_t		addr[16];
		uint64_t	balance;

		ff_account_iter_init(&it, &r);
		while (n++ <= size && ff_account_next(&it, &res, &st) == FF_OK)
		{
			fuzz_touch(res.access_key.ptr, res.access_key.len);
			fuzz_touch(res.value.ptr, res.value.len);
			fuzz_touch(res.path_body.ptr, res.path_body.len);
			ff_buf_reset(&b);
			(void) ff_account_resource_name(era, &res, &b);
			(void) ff_account_resource_balance(era, &res, &balance);
			if (era == FF_ERA_V4 && res.access_key.len == FF_V4_ACCESS_KEY_LEN)
				(void) ff_v4_type_name(res.access_key.ptr);
		}
		(void) ff_account_address(&r, addr);
		(void) ff_account_balance(&r, &balance);
	}
	ff_buf_free(&b);
	return 0;
}
