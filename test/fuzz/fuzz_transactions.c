/*
 * fuzz_transactions.c — libFuzzer harness of the transaction record decoders
 * (chain/transaction.h: v6/v7 and, through the era entry points, v4/v5). The first byte
 * picks the entry point and era; on success the arguments, type arguments, hash, names,
 * the known entry functions and the events / write set after the TransactionInfo are walked.
 */
#include "fuzz.h"

#include "chain/entry_function.h"
#include "chain/event.h"
#include "chain/state.h"
#include "chain/transaction.h"

static const ff_era eras[4] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4, FF_ERA_UNKNOWN};

static void
walk(const ff_tx *tx, size_t size)
{
	ff_buf		b;
	ff_span		v;
	size_t		state = 0;
	size_t		n = 0;
	const uint8_t *recipient;
	uint64_t	amount;
	bool		has_amount;

	ff_buf_init(&b);
	while (n++ <= size && ff_tx_next_arg(tx, &state, &v))
		fuzz_touch(v.ptr, v.len);
	state = 0;
	n = 0;
	while (n++ <= size && ff_tx_next_type_arg(tx, &state, &b))
		ff_buf_reset(&b);
	(void) ff_tx_hash_matches(tx);
	(void) ff_tx_kind_name(tx->kind);
	(void) ff_payload_kind_name(tx->payload_kind);
	(void) ff_auth_kind_name(tx->authenticator);
	(void) ff_exec_status_name(tx->status);
	(void) ff_entry_function_of(tx);
	ff_buf_reset(&b);
	(void) ff_entry_args_json(tx, &b);
	(void) ff_entry_transfer(tx, &recipient, &amount, &has_amount);
	ff_buf_free(&b);
}

/* The events (and, for v6, the write set) in tx->rest of a header decode. */
static void
walk_rest(const ff_tx *tx, size_t size)
{
	ff_event_iter it;
	ff_event	ev;
	ff_status	st;
	size_t		n = 0;

	ff_status_clear(&st);
	ff_event_iter_init_era(&it, tx->rest, tx->era);
	while (n++ <= size && ff_event_next(&it, &ev, &st) == FF_OK)
		;
	if (tx->era == FF_ERA_V6 && it.started && it.next == it.count)
	{
		ff_write_iter wi;
		ff_write	w;
		size_t		end = ff_event_iter_end(&it);
		ff_span		ws = {.ptr = tx->rest.ptr + end, .len = tx->rest.len - end};

		ff_write_iter_init(&wi, ws);
		n = 0;
		while (n++ <= size && ff_write_next(&wi, &w, &st) == FF_OK)
			;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_era		era = eras[(sel >> 3) & 3];
	ff_tx		tx;
	ff_status	st;
	ff_code		code;

	memset(&tx, 0, sizeof(tx));
	ff_status_clear(&st);
	(void) ff_tx_peek_kind(data, size);
	switch (sel & 7)
	{
		case 0:
			code = ff_tx_decode(data, size, &tx, &st);
			break;
		case 1:
			code = ff_tx_decode_header(data, size, &tx, &st);
			if (code == FF_OK)
				walk_rest(&tx, size);
			break;
		case 2:
			code = ff_tx_decode_era(era, data, size, &tx, &st);
			break;
		case 3:
			code = ff_tx_decode_header_era(era, data, size, &tx, &st);
			if (code == FF_OK)
				walk_rest(&tx, size);
			break;
		case 4:
			code = ff_tx_decode_transaction_era(era, data, size, &tx, &st);
			break;
		case 5:
			{
				ff_era		e = ff_tx_detect_era(data, size);

				code = ff_tx_decode_era(e, data, size, &tx, &st);
				if (e != FF_ERA_UNKNOWN && code != FF_OK)
					abort();	/* detection promised this era decodes */
				break;
			}
		case 6:
			code = ff_tx_decode_era(FF_ERA_V5, data, size, &tx, &st);
			break;
		default:
			code = ff_tx_decode_era(FF_ERA_V4, data, size, &tx, &st);
			break;
	}
	if (code == FF_OK)
	{
		walk(&tx, size);
		if ((sel & 7) != 4)
		{
			uint8_t		h[32];

			ff_tx_hash_compute(tx.era, tx.transaction, h);
		}
	}
	return 0;
}
