/*
 * entry_function.c — the entry functions of FORMAT-transactions-v6v7.md §9 by name, and
 * their arguments checked against the Move signature (argument count, type-argument
 * count, every argument a BCS value of its parameter type consumed exactly) before they
 * are rendered as JSON or read as a coin transfer.
 */
#include "chain/entry_function.h"

#include <string.h>

#include "chain/json.h"

#define MAX_PARAMS 4

typedef struct param
{
	const char *name;
	ff_move_kind kind;
} param;

/* A known function: 0x1::<module>::<function>, its type-parameter count and parameters. */
typedef struct known_function
{
	const char *module;
	const char *function;
	uint32_t	type_param_count;
	uint32_t	param_count;
	param		params[MAX_PARAMS];
} known_function;

static const known_function known_functions[FF_FN_COUNT] = {
	[FF_FN_OL_ACCOUNT_TRANSFER] = {"ol_account", "transfer", 0, 2,
		{{"to", FF_MOVE_ADDRESS}, {"amount", FF_MOVE_U64}}},
	[FF_FN_OL_ACCOUNT_CREATE_ACCOUNT] = {"ol_account", "create_account", 0, 1,
		{{"auth_key", FF_MOVE_ADDRESS}}},
	[FF_FN_OL_ACCOUNT_BATCH_TRANSFER] = {"ol_account", "batch_transfer", 0, 2,
		{{"recipients", FF_MOVE_VEC_ADDRESS}, {"amounts", FF_MOVE_VEC_U64}}},
	[FF_FN_OL_ACCOUNT_SET_ALLOW_DIRECT] = {"ol_account", "set_allow_direct_coin_transfers", 0, 1,
		{{"allow", FF_MOVE_BOOL}}},
	[FF_FN_COIN_TRANSFER] = {"coin", "transfer", 1, 2,
		{{"to", FF_MOVE_ADDRESS}, {"amount", FF_MOVE_U64}}},
	[FF_FN_VOUCH_FOR] = {"vouch", "vouch_for", 0, 1,
		{{"wanna_be_my_friend", FF_MOVE_ADDRESS}}},
	[FF_FN_VOUCH_INSIST] = {"vouch", "insist_vouch_for", 0, 1,
		{{"wanna_be_my_friend", FF_MOVE_ADDRESS}}},
	[FF_FN_VOUCH_REVOKE] = {"vouch", "revoke", 0, 1,
		{{"its_not_me_its_you", FF_MOVE_ADDRESS}}},
	[FF_FN_MINERSTATE_COMMIT] = {"tower_state", "minerstate_commit", 0, 4,
		{{"challenge", FF_MOVE_BYTES}, {"solution", FF_MOVE_BYTES},
		 {"difficulty", FF_MOVE_U64}, {"security", FF_MOVE_U64}}},
	[FF_FN_REGISTER_VALIDATOR] = {"validator_universe", "register_validator", 0, 4,
		{{"consensus_pubkey", FF_MOVE_BYTES}, {"proof_of_possession", FF_MOVE_BYTES},
		 {"network_addresses", FF_MOVE_BYTES}, {"fullnode_addresses", FF_MOVE_BYTES}}},
};

static bool
span_is(ff_span s, const char *text)
{
	size_t		n = strlen(text);

	return s.len == n && memcmp(s.ptr, text, n) == 0;
}

/* Address 0x1: 31 zero bytes then 01. */
static bool
is_framework_address(const uint8_t *addr)
{
	for (size_t i = 0; i + 1 < FF_ADDR_LEN_V6; i++)
		if (addr[i] != 0)
			return false;
	return addr[FF_ADDR_LEN_V6 - 1] == 1;
}

ff_known_function
ff_entry_function_of(const ff_tx *tx)
{
	/* the known functions are v6/v7 framework ones; a v4/v5 address has 16 bytes */
	if (tx->era == FF_ERA_V4 || tx->era == FF_ERA_V5)
		return FF_FN_UNKNOWN;
	if (tx->kind != FF_TX_USER || tx->module_address == NULL ||
		!is_framework_address(tx->module_address))
		return FF_FN_UNKNOWN;
	for (int f = FF_FN_UNKNOWN + 1; f < FF_FN_COUNT; f++)
		if (span_is(tx->module_name, known_functions[f].module) &&
			span_is(tx->function_name, known_functions[f].function))
			return (ff_known_function) f;
	return FF_FN_UNKNOWN;
}

/*
 * The arguments of a known function, each checked to be one value of its parameter's
 * type with no byte left over; NULL when the transaction does not match the signature.
 */
static const known_function *
matching_args(const ff_tx *tx, ff_known_function *id, ff_span args[MAX_PARAMS])
{
	const known_function *fn;
	size_t		state = 0;

	*id = ff_entry_function_of(tx);
	if (*id == FF_FN_UNKNOWN)
		return NULL;
	fn = &known_functions[*id];
	if (tx->arg_count != fn->param_count || tx->type_arg_count != fn->type_param_count)
		return NULL;
	for (uint32_t i = 0; i < fn->param_count; i++)
	{
		bcs_cursor	c;

		if (!ff_tx_next_arg(tx, &state, &args[i]))
			return NULL;
		bcs_init(&c, args[i].ptr, args[i].len);
		if (!ff_json_move_value(NULL, &c, fn->params[i].kind) || !bcs_at_end(&c))
			return NULL;
	}
	return fn;
}

ff_code
ff_entry_args_json(const ff_tx *tx, ff_buf *out)
{
	ff_span		args[MAX_PARAMS];
	ff_known_function id;
	const known_function *fn = matching_args(tx, &id, args);
	ff_json		j;

	if (fn == NULL)
		return FF_EOF;
	ff_json_init(&j, out);
	ff_json_begin_object(&j);
	for (uint32_t i = 0; i < fn->param_count; i++)
	{
		bcs_cursor	c;

		bcs_init(&c, args[i].ptr, args[i].len);
		ff_json_key(&j, fn->params[i].name);
		ff_json_move_value(&j, &c, fn->params[i].kind);
	}
	ff_json_end_object(&j);
	return j.failed ? FF_ERR_NOMEM : FF_OK;
}

bool
ff_entry_transfer(const ff_tx *tx, const uint8_t **recipient, uint64_t *amount,
				  bool *has_amount)
{
	ff_span		args[MAX_PARAMS];
	ff_known_function id;

	if (matching_args(tx, &id, args) == NULL)
		return false;
	switch (id)
	{
		case FF_FN_OL_ACCOUNT_TRANSFER:
		case FF_FN_COIN_TRANSFER:
			{
				bcs_cursor	c;

				*recipient = args[0].ptr;
				*has_amount = true;
				bcs_init(&c, args[1].ptr, args[1].len);
				return bcs_u64(&c, amount);
			}
		case FF_FN_OL_ACCOUNT_CREATE_ACCOUNT:
			*recipient = args[0].ptr;
			*has_amount = false;
			*amount = 0;
			return true;
		default:
			return false;
	}
}
