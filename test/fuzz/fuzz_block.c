/*
 * fuzz_block.c — libFuzzer harness of chain/block.h: the BlockMetadata header peek of every
 * era, checked against the full transaction decoder (a peek that succeeds on a record the
 * decoder accepts must agree with it).
 */
#include "fuzz.h"

#include "chain/block.h"
#include "chain/transaction.h"

static const ff_era eras[4] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4, FF_ERA_UNKNOWN};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_era		era = eras[sel & 3];
	ff_block_header h;
	ff_tx		tx;
	ff_status	st;
	bool		ok;

	memset(&h, 0, sizeof(h));
	ff_status_clear(&st);
	if (sel & 4)
		ok = ff_block_header_peek(data, size, &h), era = FF_ERA_V6;
	else
		ok = ff_block_header_peek_era(era, data, size, &h);
	if (ok && era != FF_ERA_UNKNOWN &&
		ff_tx_decode_header_era(era, data, size, &tx, &st) == FF_OK)
	{
		if (tx.kind != FF_TX_BLOCK_METADATA || tx.round != h.round ||
			tx.timestamp_usecs != h.timestamp_usecs ||
			(h.has_epoch && tx.epoch != h.epoch))
			abort();
	}
	return 0;
}
