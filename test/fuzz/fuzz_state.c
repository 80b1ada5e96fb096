/*
 * fuzz_state.c — libFuzzer harness of chain/state.h: write sets (iterator with the
 * canonical-order check), state snapshot items, bare state keys, the resource name and the
 * CoinStore balance of each key/value. The first byte picks the entry point.
 */
#include "fuzz.h"

#include "chain/state.h"

static void
use_key(const ff_state_key *k, ff_span value)
{
	ff_buf		b;
	uint64_t	balance;

	ff_buf_init(&b);
	fuzz_touch(k->bcs.ptr, k->bcs.len);
	fuzz_touch(k->address, k->address ? 32 : 0);
	fuzz_touch(k->path_body.ptr, k->path_body.len);
	fuzz_touch(k->table_handle, k->table_handle ? 32 : 0);
	fuzz_touch(k->table_key.ptr, k->table_key.len);
	fuzz_touch(k->raw.ptr, k->raw.len);
	(void) ff_state_key_resource(k, &b);
	(void) ff_key_kind_name(k->kind);
	(void) ff_path_kind_name(k->path_kind);
	(void) ff_coin_store_balance(k, value, &balance);
	ff_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_status	st;

	ff_status_clear(&st);
	switch (sel % 3)
	{
		case 0:
			{
				ff_write_iter it;
				ff_write	w;
				size_t		n = 0;

				ff_write_iter_init(&it, (ff_span) {.ptr = data, .len = size});
				while (n++ <= size && ff_write_next(&it, &w, &st) == FF_OK)
				{
					fuzz_touch(w.op_bcs.ptr, w.op_bcs.len);
					fuzz_touch(w.value.ptr, w.value.len);
					fuzz_touch(w.metadata.payer, w.metadata.present ? 32 : 0);
					(void) ff_write_op_kind_name(w.op);
					use_key(&w.key, w.value);
				}
				(void) ff_write_iter_end(&it);
				break;
			}
		case 1:
			{
				ff_state_item item;

				if (ff_state_item_decode(data, size, &item, &st) == FF_OK)
				{
					fuzz_touch(item.value.ptr, item.value.len);
					fuzz_touch(item.metadata.payer, item.metadata.present ? 32 : 0);
					use_key(&item.key, item.value);
				}
				break;
			}
		default:
			{
				bcs_cursor	c;
				ff_state_key k;

				bcs_init(&c, data, size);
				if (ff_state_key_read(&c, &k))
					use_key(&k, (ff_span) {.ptr = c.base + c.pos, .len = c.len - c.pos});
				break;
			}
	}
	return 0;
}
