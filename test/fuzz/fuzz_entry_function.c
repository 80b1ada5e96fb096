/*
 * fuzz_entry_function.c — libFuzzer harness of chain/entry_function.h: argument decoding of
 * the known entry functions by their Move signatures. The transaction is made up here (a v6
 * user transaction calling 0x1::<module>::<function>, picked by the first byte) so that the
 * argument bytes, their count and the type-argument count come straight from the input.
 */
#include "fuzz.h"

#include "chain/entry_function.h"

static const char *const fns[][2] = {
	{"ol_account", "transfer"},
	{"ol_account", "create_account"},
	{"ol_account", "batch_transfer"},
	{"ol_account", "set_allow_direct_coin_transfers"},
	{"coin", "transfer"},
	{"vouch", "vouch_for"},
	{"vouch", "insist_vouch_for"},
	{"vouch", "revoke"},
	{"tower_state", "minerstate_commit"},
	{"validator_universe", "register_validator"},
	{"coin", "transfe"},		/* near misses */
	{"ol_accoun", "transfer"},
};

#define N_FNS (sizeof(fns) / sizeof(fns[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t framework[32] = {[31] = 1};
	static const uint8_t other[32] = {[31] = 2};
	uint8_t		sel = fuzz_byte(&data, &size);
	uint8_t		counts = fuzz_byte(&data, &size);
	ff_tx		tx;
	ff_buf		b;
	const uint8_t *recipient = NULL;
	uint64_t	amount = 0;
	bool		has_amount = false;
	uint8_t    *args;

	/* the arguments in a buffer of their own, so that an overread past them is caught */
	args = (uint8_t *) fuzz_copy(data, size, false);
	memset(&tx, 0, sizeof(tx));
	tx.kind = (sel & 0x80) ? FF_TX_GENESIS : FF_TX_USER;
	tx.era = (sel & 0x40) ? FF_ERA_V5 : FF_ERA_V6;
	tx.addr_len = tx.era == FF_ERA_V6 ? 32 : 16;
	tx.payload_kind = (sel & 0x20) ? FF_PAYLOAD_MULTISIG : FF_PAYLOAD_ENTRY_FUNCTION;
	tx.module_address = (sel & 0x10) ? other : framework;
	tx.module_name.ptr = (const uint8_t *) fns[(sel & 0x0f) % N_FNS][0];
	tx.module_name.len = strlen(fns[(sel & 0x0f) % N_FNS][0]);
	tx.function_name.ptr = (const uint8_t *) fns[(sel & 0x0f) % N_FNS][1];
	tx.function_name.len = strlen(fns[(sel & 0x0f) % N_FNS][1]);
	tx.arg_count = counts & 7;
	tx.type_arg_count = (counts >> 3) & 1;
	tx.args.ptr = args;
	tx.args.len = size;
	tx.authenticator = FF_AUTH_ED25519;

	ff_buf_init(&b);
	(void) ff_entry_function_of(&tx);
	(void) ff_entry_args_json(&tx, &b);
	if (ff_entry_transfer(&tx, &recipient, &amount, &has_amount))
		fuzz_touch(recipient, 32);
	ff_buf_free(&b);
	free(args);
	return 0;
}
