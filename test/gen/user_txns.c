/*
 * user_txns.c — the user transactions of the synthetic chain: a rotation of
 * cases that together cover every payload, authenticator, status, script
 * argument, entry function of FORMAT-transactions-v6v7.md §9 (with the
 * decoded arguments, recipient and amount the FDW must show, and calls whose
 * arguments do not match the signature so decoding must refuse them), every
 * source-only event type of §8, an event of a type the docs do not know,
 * and every state key, path and write-op kind.  New cases go at the end of
 * the rotation.
 */
#include <stdlib.h>
#include <string.h>

#include "chain_builder.h"

#define VOUCH_TABLE_HANDLE "0xfc07a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c0108"
#define PING_ADDRESS "0xcafe"
#define ARGS_MAX 10

typedef enum user_case
{
	CASE_TRANSFER,				/* ol_account::transfer, success */
	CASE_MINERSTATE_COMMIT,		/* tower_state::minerstate_commit, MoveAbort Some(info) */
	CASE_COIN_TRANSFER,			/* coin::transfer<LibraCoin> from a 16-byte address, MultiEd25519 */
	CASE_VOUCH_FOR,				/* vouch::vouch_for, MultiAgent, table items */
	CASE_NESTED_TYPES,			/* type args at a non-special module, FeePayer, OutOfGas, deletions */
	CASE_SCRIPT_ARGUMENTS,		/* Script with every TransactionArgument, abort in script */
	CASE_MODULE_BUNDLE,			/* ModuleBundle, ExecutionFailure, Path::Code writes */
	CASE_MULTISIG_TRANSFER,		/* Multisig with ol_account::transfer */
	CASE_MULTISIG_EMPTY,		/* Multisig without payload, MiscellaneousError Some */
	CASE_EMPTY_SCRIPT,			/* empty Script from 0xa, MultiEd25519, MiscellaneousError None */
	CASE_ABORTED_TRANSFER,		/* transfer from 0x1, MoveAbort with AbortInfo None */
	CASE_DEMO_ABORT,			/* abort in a non-special module, MultiAgent with MultiEd25519 sender */
	CASE_ALLOW_DIRECT_TRANSFERS,	/* set_allow_direct_coin_transfers(bool): resource group write */
	CASE_CREATE_ACCOUNT,		/* ol_account::create_account from 0x1: a new account */
	CASE_BATCH_TRANSFER,		/* ol_account::batch_transfer to three recipients */
	CASE_TRANSFER_EXTRA_ARG,	/* ol_account::transfer with 3 args: not decoded */
	CASE_COIN_TRANSFER_SHORT_ADDRESS,	/* coin::transfer<GasCoin> with an 8-byte `to`: not decoded */
	CASE_LOOKALIKE_TRANSFER,	/* <demo address>::ol_account::transfer: not the 0x1 function */
	CASE_REGISTER_VALIDATOR,	/* validator_universe::register_validator */
	CASE_ROTATE_KEY,			/* account::rotate_authentication_key: KeyRotationEvent */
	CASE_SET_OPERATOR,			/* stake::SetOperatorEvent */
	CASE_ROTATE_CONSENSUS_KEY,	/* stake::RotateConsensusKeyEvent */
	CASE_UPDATE_ADDRESSES,		/* stake::UpdateNetworkAndFullnodeAddressesEvent */
	CASE_EPOCH_INTERVAL,		/* block::UpdateEpochIntervalEvent, from 0x1 */
	CASE_PING,					/* 0xcafe::demo::Ping (unknown event type), StateKey::Raw */
	CASE_INSIST_VOUCH_FOR,		/* vouch::insist_vouch_for */
	CASE_REVOKE,				/* vouch::revoke: table item deletion */
	USER_CASE_COUNT
} user_case;

/* What a case decides besides the payload bytes. */
typedef struct case_context
{
	chain_builder *builder;
	chain_txn  *txn;
	user_txn   *user;
	const uint8_t *sender;
	const uint8_t *receiver;
	uint64_t	amount;
	byte_buf	payload;
	byte_buf	args[ARGS_MAX];	/* raw arguments of functions decoded by nobody */
	bool		out_of_gas;
	const uint8_t *secondary;
	bool		sender_multi;
	bool		secondary_multi;
	bool		fee_payer_multi;
} case_context;

static void
add_arg(user_txn *user, const byte_buf *value)
{
	user->args = gen_realloc(user->args, (user->arg_count + 1) * sizeof(arg_value));
	user->args[user->arg_count].len = value->len;
	user->args[user->arg_count].data = gen_malloc(value->len ? value->len : 1);
	if (value->len > 0)
		memcpy(user->args[user->arg_count].data, value->data, value->len);
	user->arg_count++;
}

static void
add_type_arg(user_txn *user, const char *type_text)
{
	user->type_args = gen_realloc(user->type_args, (user->type_arg_count + 1) * sizeof(type_tag *));
	user->type_args[user->type_arg_count++] = type_tag_parse(type_text);
}

/* EntryFunction body (no payload tag); args are BCS values, one byte_buf each. */
static void
encode_entry_function(byte_buf *out, user_txn *user, const char *module_address, const char *module,
					  const char *function, const char *const *type_texts, size_t type_count,
					  const byte_buf *args, size_t arg_count)
{
	address_parse(module_address, user->function_address);
	user->has_function = true;
	user->function_module = module;
	user->function_name = function;
	bcs_fixed(out, user->function_address, ADDRESS_LEN);
	bcs_str(out, module);
	bcs_str(out, function);
	bcs_uleb128(out, (uint32_t) type_count);
	for (size_t i = 0; i < type_count; i++)
	{
		add_type_arg(user, type_texts[i]);
		type_tag_bcs(out, user->type_args[i]);
	}
	bcs_uleb128(out, (uint32_t) arg_count);
	for (size_t i = 0; i < arg_count; i++)
	{
		bcs_bytes(out, args[i].data, args[i].len);
		add_arg(user, &args[i]);
	}
}

/* An entry-function payload whose arguments match the §9 signature: the FDW decodes them. */
static void
entry_function_decoded(case_context *ctx, const char *module, const char *function, const char *const *type_texts,
					   size_t type_count, const move_values *args)
{
	ctx->user->payload = PAYLOAD_ENTRY_FUNCTION;
	encode_entry_function(&ctx->payload, ctx->user, "0x1", module, function, type_texts, type_count,
						  args->values, args->count);
	ctx->user->args_decoded = mv_json(args);
}

/* An entry-function payload with raw arguments ctx->args[0..count-1]: never decoded. */
static void
entry_function_raw(case_context *ctx, const char *module_address, const char *module, const char *function,
				   const char *const *type_texts, size_t type_count, size_t arg_count)
{
	ctx->user->payload = PAYLOAD_ENTRY_FUNCTION;
	encode_entry_function(&ctx->payload, ctx->user, module_address, module, function, type_texts, type_count,
						  ctx->args, arg_count);
}

static void
set_transfer(user_txn *user, const uint8_t recipient[ADDRESS_LEN], bool has_amount, uint64_t amount)
{
	user->has_recipient = true;
	memcpy(user->recipient, recipient, ADDRESS_LEN);
	user->has_amount = has_amount;
	user->amount = amount;
}

/* {to: address, amount: u64} */
static void
transfer_args(move_values *args, const uint8_t to[ADDRESS_LEN], uint64_t amount)
{
	mv_init(args);
	mv_address(args, "to", to);
	mv_u64(args, "amount", amount);
}

static void
encode_ed25519(chain_builder *builder, byte_buf *out)
{
	uint8_t		key[32];
	uint8_t		signature[64];

	prng_bytes(&builder->prng, key, sizeof(key));
	prng_bytes(&builder->prng, signature, sizeof(signature));
	bcs_bytes(out, key, sizeof(key));
	bcs_bytes(out, signature, sizeof(signature));
}

/* n keys + threshold byte; k signatures + 4-byte bitmap */
static void
encode_multi_ed25519(chain_builder *builder, byte_buf *out, size_t key_count, size_t signature_count)
{
	uint8_t		keys[32 * 4 + 1];
	uint8_t		signatures[64 * 4 + 4];
	size_t		keys_len = 32 * key_count + 1;
	size_t		signatures_len = 64 * signature_count + 4;

	prng_bytes(&builder->prng, keys, keys_len);
	keys[keys_len - 1] = (uint8_t) signature_count;
	prng_bytes(&builder->prng, signatures, signatures_len);
	memset(signatures + signatures_len - 4, 0, 4);
	for (size_t i = 0; i < signature_count; i++)
		signatures[signatures_len - 4] |= (uint8_t) (0x80 >> i);
	bcs_bytes(out, keys, keys_len);
	bcs_bytes(out, signatures, signatures_len);
}

static void
encode_account_authenticator(chain_builder *builder, byte_buf *out, bool multi)
{
	bcs_uleb128(out, multi ? 1 : 0);
	if (multi)
		encode_multi_ed25519(builder, out, 3, 2);
	else
		encode_ed25519(builder, out);
}

static void
encode_authenticator(case_context *ctx, byte_buf *out)
{
	chain_builder *builder = ctx->builder;
	authenticator_kind kind = ctx->user->authenticator;

	bcs_uleb128(out, (uint32_t) kind);
	switch (kind)
	{
		case AUTH_ED25519:
			encode_ed25519(builder, out);
			break;
		case AUTH_MULTI_ED25519:
			encode_multi_ed25519(builder, out, 3, 2);
			break;
		case AUTH_MULTI_AGENT:
		case AUTH_FEE_PAYER:
			encode_account_authenticator(builder, out, ctx->sender_multi);
			bcs_uleb128(out, ctx->secondary ? 1 : 0);
			if (ctx->secondary)
				bcs_fixed(out, ctx->secondary, ADDRESS_LEN);
			bcs_uleb128(out, ctx->secondary ? 1 : 0);
			if (ctx->secondary)
				encode_account_authenticator(builder, out, ctx->secondary_multi);
			if (kind == AUTH_FEE_PAYER)
			{
				bcs_fixed(out, builder->accounts[ORDINARY_ACCOUNT_COUNT - 1], ADDRESS_LEN);
				encode_account_authenticator(builder, out, ctx->fee_payer_multi);
			}
			break;
	}
}

static void
arg_u64(byte_buf *arg, uint64_t value)
{
	buf_reset(arg);
	bcs_u64(arg, value);
}

static void
arg_address(byte_buf *arg, const uint8_t address[ADDRESS_LEN])
{
	buf_reset(arg);
	bcs_fixed(arg, address, ADDRESS_LEN);
}

static void
arg_random_vector(chain_builder *builder, byte_buf *arg, size_t len)
{
	uint8_t    *data = gen_malloc(len ? len : 1);

	prng_bytes(&builder->prng, data, len);
	buf_reset(arg);
	bcs_bytes(arg, data, len);
	free(data);
}

static void
random_bytes(chain_builder *builder, uint8_t *out, size_t len)
{
	prng_bytes(&builder->prng, out, len);
}

static void
set_module_status(execution_status *status, status_kind kind, const char *address_text, const char *module)
{
	status->kind = kind;
	status->location_is_script = false;
	address_parse(address_text, status->location_address);
	status->location_module = module;
}

static const uint8_t *
pick_account(chain_builder *builder)
{
	return builder->accounts[prng_range(&builder->prng, 0, ORDINARY_ACCOUNT_COUNT - 2)];
}

/* A table item of the vouch table keyed by an address. */
static void
write_vouch(case_context *ctx, const uint8_t item[ADDRESS_LEN], write_op_kind kind, uint64_t value)
{
	state_key	key;
	byte_buf	bytes;

	buf_init(&bytes);
	bcs_u64(&bytes, value);
	key_table_item(&key, VOUCH_TABLE_HANDLE, item, ADDRESS_LEN);
	write_key(ctx->builder, &key, kind, bytes.data, bytes.len, ctx->sender);
	buf_free(&bytes);
}

/* ------------------------------------------------------------------------- */
/* the cases of the original rotation */

static void
case_script_arguments(case_context *ctx)
{
	static const uint8_t u128_value[16] = {0xff, 0xee, 0xdd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80};
	chain_builder *builder = ctx->builder;
	uint8_t		u256_value[32];
	uint8_t		code[40];
	byte_buf	value;

	random_bytes(builder, code, sizeof(code));
	random_bytes(builder, u256_value, sizeof(u256_value));
	buf_init(&value);
	ctx->sender = builder->framework;
	ctx->user->payload = PAYLOAD_SCRIPT;
	ctx->user->authenticator = AUTH_FEE_PAYER;
	ctx->sender_multi = true;
	ctx->secondary = ctx->receiver;
	bcs_bytes(&ctx->payload, code, sizeof(code));
	bcs_uleb128(&ctx->payload, 2);
	add_type_arg(ctx->user, "u64");
	add_type_arg(ctx->user, COIN_STORE_LIBRA);
	type_tag_bcs(&ctx->payload, ctx->user->type_args[0]);
	type_tag_bcs(&ctx->payload, ctx->user->type_args[1]);
	bcs_uleb128(&ctx->payload, 9);
	for (uint32_t tag = 0; tag <= 8; tag++)
	{
		buf_reset(&value);
		switch (tag)
		{
			case 0:
				bcs_u8(&value, 0xab);
				break;
			case 1:
				bcs_u64(&value, ctx->amount);
				break;
			case 2:
				bcs_fixed(&value, u128_value, sizeof(u128_value));
				break;
			case 3:
				bcs_fixed(&value, ctx->receiver, ADDRESS_LEN);
				break;
			case 4:
				buf_append_str(&value, "hello, \"world\"\\");
				break;
			case 5:
				bcs_bool(&value, 0);
				break;
			case 6:
				bcs_u16(&value, 0xbeef);
				break;
			case 7:
				bcs_u32(&value, 0xdeadbeef);
				break;
			case 8:
				bcs_fixed(&value, u256_value, sizeof(u256_value));
				break;
		}
		bcs_uleb128(&ctx->payload, tag);
		if (tag == 4)
			bcs_bytes(&ctx->payload, value.data, value.len);
		else
			buf_append(&ctx->payload, value.data, value.len);
		add_arg(ctx->user, &value);
	}
	ctx->txn->status.kind = STATUS_MOVE_ABORT;
	ctx->txn->status.location_is_script = true;
	ctx->txn->status.abort_code = 7;
	buf_free(&value);
}

static void
case_nested_types(case_context *ctx)
{
	static const char *const types[] = {
		"vector<vector<u8>>",
		DEMO_ADDRESS "::demo::Pair<u64, " LIBRA_COIN ">",
		"bool", "u8", "u16", "u32", "u64", "u128", "u256", "address", "signer",
		"vector<" DEMO_ADDRESS "::demo::Pair<vector<address>, 0x1::string::String>>"
	};
	byte_buf   *args = ctx->args;

	buf_reset(&args[0]);
	bcs_uleb128(&args[0], 2);	/* vector<vector<u8>> = [[1,2,3],[]] */
	bcs_uleb128(&args[0], 3);
	bcs_u8(&args[0], 1);
	bcs_u8(&args[0], 2);
	bcs_u8(&args[0], 3);
	bcs_uleb128(&args[0], 0);
	buf_reset(&args[1]);		/* u128 */
	bcs_u64(&args[1], ctx->amount);
	bcs_u64(&args[1], 7);
	buf_reset(&args[2]);
	bcs_bool(&args[2], 1);
	buf_reset(&args[3]);		/* an empty vector<u8>: one byte 00 */
	bcs_uleb128(&args[3], 0);
	ctx->user->authenticator = AUTH_FEE_PAYER;
	ctx->fee_payer_multi = true;
	entry_function_raw(ctx, DEMO_ADDRESS, "demo", "nested_types", types, sizeof(types) / sizeof(types[0]), 4);
	ctx->txn->status.kind = STATUS_OUT_OF_GAS;
	ctx->out_of_gas = true;
	write_random_resource(ctx->builder, ctx->sender, DEMO_ADDRESS "::demo::Pair<u64, " LIBRA_COIN ">", OP_DELETION);
	write_random_resource(ctx->builder, ctx->sender, "0x1::vouch::MyVouches", OP_DELETION_WITH_METADATA);
}

static void
case_module_bundle(case_context *ctx)
{
	uint8_t		code[64];

	ctx->user->payload = PAYLOAD_MODULE_BUNDLE;
	bcs_uleb128(&ctx->payload, 2);
	for (int i = 0; i < 2; i++)
	{
		state_key	key;

		random_bytes(ctx->builder, code, sizeof(code));
		bcs_bytes(&ctx->payload, code, sizeof(code));
		key_code(&key, ctx->sender, i == 0 ? "alpha" : "beta");
		write_key(ctx->builder, &key, i == 0 ? OP_CREATION : OP_CREATION_WITH_METADATA, code, sizeof(code),
				  ctx->sender);
	}
	set_module_status(&ctx->txn->status, STATUS_EXECUTION_FAILURE, "0x1", "code");
	ctx->txn->status.failure_function = 3;
	ctx->txn->status.failure_code_offset = 17;
}

static void
case_empty_script(case_context *ctx)
{
	static const uint8_t code[] = {0xa1, 0x1c, 0xeb, 0x0b, 0x06, 0x00};

	ctx->sender = ctx->builder->special_sender;
	ctx->user->payload = PAYLOAD_SCRIPT;
	ctx->user->authenticator = AUTH_MULTI_ED25519;
	bcs_bytes(&ctx->payload, code, sizeof(code));
	bcs_uleb128(&ctx->payload, 0);
	bcs_uleb128(&ctx->payload, 0);
	ctx->txn->status.kind = STATUS_MISCELLANEOUS_ERROR;
}

/* The resource group value is a BTreeMap<StructTag, bytes> with one member. */
static void
case_allow_direct_transfers(case_context *ctx)
{
	move_values args;
	move_values event;
	state_key	key;
	byte_buf	group;
	struct_tag *member = struct_tag_parse("0x1::object::ObjectCore");

	mv_init(&args);
	mv_bool(&args, "allow", true);
	entry_function_decoded(ctx, "ol_account", "set_allow_direct_coin_transfers", NULL, 0, &args);
	buf_init(&group);
	bcs_uleb128(&group, 1);
	struct_tag_bcs(&group, member);
	bcs_bytes(&group, ctx->sender, ADDRESS_LEN);
	key_resource(&key, ctx->sender, "0x1::object::ObjectGroup", PATH_RESOURCE_GROUP);
	write_key(ctx->builder, &key, OP_MODIFICATION, group.data, group.len, ctx->sender);
	mv_init(&event);
	mv_bool(&event, "new_allow_direct_transfers", true);
	emit_event(ctx->builder, ctx->sender, CN_DIRECT_TRANSFER_CONFIG,
			   "0x1::ol_account::DirectCoinTransferConfigUpdatedEvent", &event);
	mv_free(&event);
	mv_free(&args);
	buf_free(&group);
	struct_tag_free(member);
}

/* ------------------------------------------------------------------------- */
/* cases added for the decoded columns */

static void
case_create_account(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		created[ADDRESS_LEN];
	account_record *record;
	move_values args;
	move_values event;

	random_bytes(builder, created, ADDRESS_LEN);
	ctx->sender = builder->framework;
	mv_init(&args);
	mv_address(&args, "auth_key", created);
	entry_function_decoded(ctx, "ol_account", "create_account", NULL, 0, &args);
	set_transfer(ctx->user, created, false, 0);
	record = account_get(builder, created);
	write_account(builder, created, 0, OP_CREATION);
	mv_init(&event);
	mv_type_info(&event, "type_info", builder->framework, record->gas_coin ? "gas_coin" : "libra_coin",
				 record->gas_coin ? "GasCoin" : "LibraCoin");
	emit_event(builder, created, CN_COIN_REGISTER, "0x1::account::CoinRegisterEvent", &event);
	write_coin_store(builder, created, OP_CREATION_WITH_METADATA);
	mv_free(&event);
	mv_free(&args);
}

static void
case_batch_transfer(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		recipients[3][ADDRESS_LEN];
	uint64_t	amounts[3];
	size_t		count = 0;
	move_values args;

	for (size_t i = 0; count < 3; i++)
	{
		const uint8_t *candidate = builder->accounts[(builder->user_txn_count + i) % ORDINARY_ACCOUNT_COUNT];

		if (candidate == ctx->sender)
			continue;
		memcpy(recipients[count], candidate, ADDRESS_LEN);
		amounts[count] = ctx->amount / (count + 1);
		count++;
	}
	mv_init(&args);
	mv_address_vector(&args, "recipients", (const uint8_t (*)[ADDRESS_LEN]) recipients, count);
	mv_u64_vector(&args, "amounts", amounts, count);
	entry_function_decoded(ctx, "ol_account", "batch_transfer", NULL, 0, &args);
	for (size_t i = 0; i < count; i++)
		transfer_effects(builder, ctx->sender, recipients[i], amounts[i], OP_MODIFICATION);
	mv_free(&args);
}

static void
set_argument_mismatch_status(case_context *ctx)
{
	ctx->txn->status.kind = STATUS_MISCELLANEOUS_ERROR;
	ctx->txn->status.has_status_code = true;
	ctx->txn->status.status_code = 1017;
}

static void
case_transfer_extra_arg(case_context *ctx)
{
	arg_address(&ctx->args[0], ctx->receiver);
	arg_u64(&ctx->args[1], ctx->amount);
	arg_u64(&ctx->args[2], 1);
	entry_function_raw(ctx, "0x1", "ol_account", "transfer", NULL, 0, 3);
	set_argument_mismatch_status(ctx);
}

static void
case_coin_transfer_short_address(case_context *ctx)
{
	static const char *const coin_type[] = {GAS_COIN};

	arg_u64(&ctx->args[0], ctx->amount);	/* 8 bytes where an address is expected */
	arg_u64(&ctx->args[1], ctx->amount);
	entry_function_raw(ctx, "0x1", "coin", "transfer", coin_type, 1, 2);
	set_argument_mismatch_status(ctx);
}

static void
case_lookalike_transfer(case_context *ctx)
{
	arg_address(&ctx->args[0], ctx->receiver);
	arg_u64(&ctx->args[1], ctx->amount);
	entry_function_raw(ctx, DEMO_ADDRESS, "ol_account", "transfer", NULL, 0, 2);
}

static void
case_register_validator(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		key[BLS_KEY_LEN];
	uint8_t		proof[BLS_SIG_LEN];
	uint8_t		addresses[40];
	move_values args;
	move_values event;

	random_bytes(builder, key, sizeof(key));
	random_bytes(builder, proof, sizeof(proof));
	random_bytes(builder, addresses, sizeof(addresses));
	mv_init(&args);
	mv_bytes(&args, "consensus_pubkey", key, sizeof(key));
	mv_bytes(&args, "proof_of_possession", proof, sizeof(proof));
	mv_bytes(&args, "network_addresses", addresses, 24);
	mv_bytes(&args, "fullnode_addresses", addresses + 24, 16);
	entry_function_decoded(ctx, "validator_universe", "register_validator", NULL, 0, &args);
	mv_init(&event);
	mv_address(&event, "validator_address", ctx->sender);
	emit_event(builder, ctx->sender, CN_REGISTER_VALIDATOR, "0x1::stake::RegisterValidatorCandidateEvent", &event);
	write_random_resource(builder, ctx->sender, "0x1::stake::ValidatorConfig", OP_CREATION);
	mv_free(&event);
	mv_free(&args);
}

static void
case_rotate_key(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		new_key[32];
	move_values event;

	random_bytes(builder, new_key, sizeof(new_key));
	buf_reset(&ctx->args[0]);
	bcs_u8(&ctx->args[0], 0);
	arg_random_vector(builder, &ctx->args[1], 32);
	buf_reset(&ctx->args[2]);
	bcs_u8(&ctx->args[2], 0);
	buf_reset(&ctx->args[3]);
	bcs_bytes(&ctx->args[3], new_key, sizeof(new_key));
	arg_random_vector(builder, &ctx->args[4], 64);
	arg_random_vector(builder, &ctx->args[5], 64);
	entry_function_raw(ctx, "0x1", "account", "rotate_authentication_key", NULL, 0, 6);
	mv_init(&event);
	mv_bytes(&event, "old_authentication_key", ctx->sender, ADDRESS_LEN);
	mv_bytes(&event, "new_authentication_key", new_key, sizeof(new_key));
	emit_event(builder, ctx->sender, CN_KEY_ROTATION, "0x1::account::KeyRotationEvent", &event);
	mv_free(&event);
}

static void
case_set_operator(case_context *ctx)
{
	move_values event;

	arg_address(&ctx->args[0], ctx->receiver);
	entry_function_raw(ctx, "0x1", "stake", "set_operator", NULL, 0, 1);
	mv_init(&event);
	mv_address(&event, "validator_address", ctx->sender);
	mv_address(&event, "old_operator", ctx->sender);
	mv_address(&event, "new_operator", ctx->receiver);
	emit_event(ctx->builder, ctx->sender, CN_SET_OPERATOR, "0x1::stake::SetOperatorEvent", &event);
	mv_free(&event);
}

static void
case_rotate_consensus_key(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		old_key[BLS_KEY_LEN];
	uint8_t		new_key[BLS_KEY_LEN];
	move_values event;

	random_bytes(builder, old_key, sizeof(old_key));
	random_bytes(builder, new_key, sizeof(new_key));
	arg_address(&ctx->args[0], ctx->sender);
	buf_reset(&ctx->args[1]);
	bcs_bytes(&ctx->args[1], new_key, sizeof(new_key));
	arg_random_vector(builder, &ctx->args[2], BLS_SIG_LEN);
	entry_function_raw(ctx, "0x1", "stake", "rotate_consensus_key", NULL, 0, 3);
	mv_init(&event);
	mv_address(&event, "validator_address", ctx->sender);
	mv_bytes(&event, "old_consensus_pubkey", old_key, sizeof(old_key));
	mv_bytes(&event, "new_consensus_pubkey", new_key, sizeof(new_key));
	emit_event(builder, ctx->sender, CN_ROTATE_CONSENSUS_KEY, "0x1::stake::RotateConsensusKeyEvent", &event);
	mv_free(&event);
}

static void
case_update_addresses(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint8_t		addresses[4][20];
	move_values event;

	random_bytes(builder, addresses[0], sizeof(addresses));
	arg_address(&ctx->args[0], ctx->sender);
	buf_reset(&ctx->args[1]);
	bcs_bytes(&ctx->args[1], addresses[1], 20);
	buf_reset(&ctx->args[2]);
	bcs_bytes(&ctx->args[2], addresses[3], 0);	/* an empty vector<u8> */
	entry_function_raw(ctx, "0x1", "stake", "update_network_and_fullnode_addresses", NULL, 0, 3);
	mv_init(&event);
	mv_address(&event, "validator_address", ctx->sender);
	mv_bytes(&event, "old_network_addresses", addresses[0], 20);
	mv_bytes(&event, "new_network_addresses", addresses[1], 20);
	mv_bytes(&event, "old_fullnode_addresses", addresses[2], 20);
	mv_bytes(&event, "new_fullnode_addresses", addresses[3], 0);
	emit_event(builder, ctx->sender, CN_UPDATE_ADDRESSES, "0x1::stake::UpdateNetworkAndFullnodeAddressesEvent",
			   &event);
	mv_free(&event);
}

static void
case_epoch_interval(case_context *ctx)
{
	chain_builder *builder = ctx->builder;
	uint64_t	interval = prng_range(&builder->prng, 60, 7200) * UINT64_C(1000000);
	move_values event;

	ctx->sender = builder->framework;
	arg_u64(&ctx->args[0], interval);
	entry_function_raw(ctx, "0x1", "block", "update_epoch_interval_microsecs", NULL, 0, 1);
	mv_init(&event);
	mv_u64(&event, "old_epoch_interval", UINT64_C(120000000));
	mv_u64(&event, "new_epoch_interval", interval);
	emit_event(builder, builder->framework, CN_EPOCH_INTERVAL, "0x1::block::UpdateEpochIntervalEvent", &event);
	mv_free(&event);
}

/* An event type no document describes, with an 8-byte payload that must not become an amount. */
static void
case_ping(case_context *ctx)
{
	static const char raw_key[] = "cafe::demo::ping_counter";
	byte_buf	data;
	state_key	key;

	entry_function_raw(ctx, PING_ADDRESS, "demo", "ping", NULL, 0, 0);
	buf_init(&data);
	bcs_u64(&data, ctx->amount);
	emit_unknown_event(ctx->builder, ctx->sender, CN_PING, PING_ADDRESS "::demo::Ping", data.data, data.len);
	key_raw(&key, (const uint8_t *) raw_key, sizeof(raw_key) - 1);
	write_key(ctx->builder, &key, OP_MODIFICATION, data.data, data.len, ctx->sender);
	buf_free(&data);
}

static void
case_vouch(case_context *ctx, const char *function, const char *parameter, write_op_kind kind)
{
	move_values args;

	mv_init(&args);
	mv_address(&args, parameter, ctx->receiver);
	entry_function_decoded(ctx, "vouch", function, NULL, 0, &args);
	write_vouch(ctx, ctx->receiver, kind, ctx->builder->epoch);
	mv_free(&args);
}

/* ------------------------------------------------------------------------- */

static void
run_case(case_context *ctx, user_case which)
{
	chain_builder *builder = ctx->builder;
	user_txn   *user = ctx->user;
	move_values args;

	switch (which)
	{
		case CASE_TRANSFER:
			transfer_args(&args, ctx->receiver, ctx->amount);
			entry_function_decoded(ctx, "ol_account", "transfer", NULL, 0, &args);
			set_transfer(user, ctx->receiver, true, ctx->amount);
			transfer_effects(builder, ctx->sender, ctx->receiver, ctx->amount, OP_MODIFICATION);
			mv_free(&args);
			break;
		case CASE_MINERSTATE_COMMIT:
			{
				uint8_t		challenge[76];
				uint8_t		solution[300];	/* multi-byte ULEB length */

				random_bytes(builder, challenge, sizeof(challenge));
				random_bytes(builder, solution, sizeof(solution));
				mv_init(&args);
				mv_bytes(&args, "challenge", challenge, sizeof(challenge));
				mv_bytes(&args, "solution", solution, sizeof(solution));
				mv_u64(&args, "difficulty", 120000);
				mv_u64(&args, "security", 350);
				entry_function_decoded(ctx, "tower_state", "minerstate_commit", NULL, 0, &args);
				mv_free(&args);
				set_module_status(&ctx->txn->status, STATUS_MOVE_ABORT, "0x1", "tower_state");
				ctx->txn->status.abort_code = 131077;
				ctx->txn->status.abort_reason = "EPROOF_NOT_VALID";
				ctx->txn->status.abort_description = "The submitted proof is not valid.";
			}
			break;
		case CASE_COIN_TRANSFER:
			{
				static const char *const coin_type[] = {LIBRA_COIN};

				ctx->sender = builder->padded_account;
				user->authenticator = AUTH_MULTI_ED25519;
				transfer_args(&args, ctx->receiver, ctx->amount);
				entry_function_decoded(ctx, "coin", "transfer", coin_type, 1, &args);
				set_transfer(user, ctx->receiver, true, ctx->amount);
				transfer_effects(builder, ctx->sender, ctx->receiver, ctx->amount, OP_CREATION_WITH_METADATA);
				write_account(builder, ctx->receiver, 0, OP_CREATION);
				mv_free(&args);
			}
			break;
		case CASE_VOUCH_FOR:
			user->authenticator = AUTH_MULTI_AGENT;
			ctx->secondary = ctx->receiver;
			ctx->secondary_multi = true;
			case_vouch(ctx, "vouch_for", "wanna_be_my_friend", OP_CREATION);
			write_vouch(ctx, ctx->sender, OP_MODIFICATION, ctx->amount);
			write_random_resource(builder, ctx->sender, "0x1::vouch::MyVouches", OP_MODIFICATION_WITH_METADATA);
			break;
		case CASE_NESTED_TYPES:
			case_nested_types(ctx);
			break;
		case CASE_SCRIPT_ARGUMENTS:
			case_script_arguments(ctx);
			break;
		case CASE_MODULE_BUNDLE:
			case_module_bundle(ctx);
			break;
		case CASE_MULTISIG_TRANSFER:
			{
				const uint8_t *multisig = builder->accounts[ORDINARY_ACCOUNT_COUNT - 2];

				transfer_args(&args, ctx->receiver, ctx->amount);
				user->payload = PAYLOAD_MULTISIG;
				bcs_fixed(&ctx->payload, multisig, ADDRESS_LEN);
				bcs_u8(&ctx->payload, 1);	/* Some */
				bcs_uleb128(&ctx->payload, 0);	/* MultisigTransactionPayload::EntryFunction */
				encode_entry_function(&ctx->payload, user, "0x1", "ol_account", "transfer", NULL, 0,
									  args.values, args.count);
				user->args_decoded = mv_json(&args);
				set_transfer(user, ctx->receiver, true, ctx->amount);
				transfer_effects(builder, multisig, ctx->receiver, ctx->amount, OP_MODIFICATION);
				mv_free(&args);
			}
			break;
		case CASE_MULTISIG_EMPTY:
			user->payload = PAYLOAD_MULTISIG;
			bcs_fixed(&ctx->payload, builder->accounts[ORDINARY_ACCOUNT_COUNT - 2], ADDRESS_LEN);
			bcs_u8(&ctx->payload, 0);	/* None */
			ctx->txn->status.kind = STATUS_MISCELLANEOUS_ERROR;
			ctx->txn->status.has_status_code = true;
			ctx->txn->status.status_code = 4016;
			break;
		case CASE_EMPTY_SCRIPT:
			case_empty_script(ctx);
			break;
		case CASE_ABORTED_TRANSFER:
			ctx->sender = builder->framework;
			transfer_args(&args, ctx->receiver, ctx->amount);
			entry_function_decoded(ctx, "ol_account", "transfer", NULL, 0, &args);
			set_transfer(user, ctx->receiver, true, ctx->amount);
			set_module_status(&ctx->txn->status, STATUS_MOVE_ABORT, "0x1", "ol_account");
			ctx->txn->status.abort_code = 65537;
			mv_free(&args);
			break;
		case CASE_DEMO_ABORT:
			{
				static const char *const types[] = {"u8"};

				arg_random_vector(builder, &ctx->args[0], 0);
				user->authenticator = AUTH_MULTI_AGENT;
				ctx->sender_multi = true;
				entry_function_raw(ctx, DEMO_ADDRESS, "demo", "fail", types, 1, 1);
				set_module_status(&ctx->txn->status, STATUS_MOVE_ABORT, DEMO_ADDRESS, "demo");
				ctx->txn->status.abort_code = 0x10003;
				ctx->txn->status.abort_reason = "EDEMO";
				ctx->txn->status.abort_description = "demo, with a comma";
			}
			break;
		case CASE_ALLOW_DIRECT_TRANSFERS:
			case_allow_direct_transfers(ctx);
			break;
		case CASE_CREATE_ACCOUNT:
			case_create_account(ctx);
			break;
		case CASE_BATCH_TRANSFER:
			case_batch_transfer(ctx);
			break;
		case CASE_TRANSFER_EXTRA_ARG:
			case_transfer_extra_arg(ctx);
			break;
		case CASE_COIN_TRANSFER_SHORT_ADDRESS:
			case_coin_transfer_short_address(ctx);
			break;
		case CASE_LOOKALIKE_TRANSFER:
			case_lookalike_transfer(ctx);
			break;
		case CASE_REGISTER_VALIDATOR:
			case_register_validator(ctx);
			break;
		case CASE_ROTATE_KEY:
			case_rotate_key(ctx);
			break;
		case CASE_SET_OPERATOR:
			case_set_operator(ctx);
			break;
		case CASE_ROTATE_CONSENSUS_KEY:
			case_rotate_consensus_key(ctx);
			break;
		case CASE_UPDATE_ADDRESSES:
			case_update_addresses(ctx);
			break;
		case CASE_EPOCH_INTERVAL:
			case_epoch_interval(ctx);
			break;
		case CASE_PING:
			case_ping(ctx);
			break;
		case CASE_INSIST_VOUCH_FOR:
			case_vouch(ctx, "insist_vouch_for", "wanna_be_my_friend", OP_MODIFICATION);
			break;
		case CASE_REVOKE:
			case_vouch(ctx, "revoke", "its_not_me_its_you", OP_DELETION);
			break;
		case USER_CASE_COUNT:
			gen_fatal("no such user case");
	}
}

void
build_user_txn(chain_builder *builder)
{
	case_context ctx;
	user_txn   *user;
	byte_buf	transaction;
	account_record *sender;
	uint64_t	fee;

	memset(&ctx, 0, sizeof(ctx));
	ctx.builder = builder;
	ctx.txn = new_txn(builder, TXN_USER);
	ctx.user = user = gen_calloc(1, sizeof(user_txn));
	ctx.sender = pick_account(builder);
	ctx.receiver = pick_account(builder);
	ctx.amount = prng_range(&builder->prng, 1, 5000000);
	buf_init(&ctx.payload);
	buf_init(&transaction);
	for (size_t i = 0; i < ARGS_MAX; i++)
		buf_init(&ctx.args[i]);
	if (ctx.receiver == ctx.sender)
		ctx.receiver = builder->accounts[(ctx.receiver - builder->accounts[0]) / ADDRESS_LEN + 1];
	user->authenticator = AUTH_ED25519;

	run_case(&ctx, (user_case) (builder->user_txn_count++ % USER_CASE_COUNT));

	memcpy(user->sender, ctx.sender, ADDRESS_LEN);
	user->sequence_number = next_account_sequence(builder, ctx.sender);
	user->max_gas_amount = prng_range(&builder->prng, 2000, 200000);
	user->gas_unit_price = 100;
	user->expiration_timestamp_secs = builder->block_timestamp_usecs / 1000000 + prng_range(&builder->prng, 30, 600);
	user->chain_id = builder->chain->chain_id;
	ctx.txn->gas_used = ctx.out_of_gas ? user->max_gas_amount
		: prng_range(&builder->prng, 5, user->max_gas_amount / 2);
	ctx.txn->user = user;
	/* every user transaction pays gas and bumps its sequence number */
	sender = account_get(builder, ctx.sender);
	fee = ctx.txn->gas_used * user->gas_unit_price;
	if (sender->balance < fee)
		gen_fatal("sender cannot pay gas");
	sender->balance -= fee;
	write_coin_store(builder, ctx.sender, OP_MODIFICATION);
	write_account(builder, ctx.sender, user->sequence_number + 1, OP_MODIFICATION);

	bcs_uleb128(&transaction, 0);	/* Transaction::UserTransaction */
	bcs_fixed(&transaction, user->sender, ADDRESS_LEN);
	bcs_u64(&transaction, user->sequence_number);
	bcs_uleb128(&transaction, (uint32_t) user->payload);
	buf_append(&transaction, ctx.payload.data, ctx.payload.len);
	bcs_u64(&transaction, user->max_gas_amount);
	bcs_u64(&transaction, user->gas_unit_price);
	bcs_u64(&transaction, user->expiration_timestamp_secs);
	bcs_u8(&transaction, user->chain_id);
	encode_authenticator(&ctx, &transaction);
	finish_record(builder, ctx.txn, &transaction, false);

	buf_free(&ctx.payload);
	for (size_t i = 0; i < ARGS_MAX; i++)
		buf_free(&ctx.args[i]);
}
