/*
 * test_entry_function.c — unit tests of src/chain/entry_function.c over synthetic user
 * transactions decoded with ff_tx_decode: every known function's arguments as JSON, the
 * coin transfers, and the cases that must fall back to raw bytes (argument or
 * type-argument count off, an argument with a byte too many or too few, a bad bool, another
 * module address, an unknown function, a multisig payload, a non-user transaction).
 */
#include "chain/entry_function.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* building user transactions                                                            */

typedef struct call
{
	uint8_t		module_addr;	/* last byte of the module address */
	const char *module;
	const char *function;
	int			type_args;		/* how many `u64` type arguments */
	int			nargs;
	wbuf		args[4];		/* each argument's BCS value (without the length prefix) */
	bool		multisig;		/* wrap in a Multisig payload */
} call;

/* (UserTransaction(call), TransactionInfo::V0 success, no events, empty write set) */
static void
build_record(wbuf *rec, const call *c)
{
	rec->len = 0;
	w_u8(rec, 0);				/* UserTransaction */
	w_fill(rec, 0xee, 32);		/* sender */
	w_u64(rec, 1);				/* sequence_number */
	if (c->multisig)
	{
		w_u8(rec, 3);			/* Multisig */
		w_fill(rec, 0x55, 32);
		w_u8(rec, 1);			/* Some */
		w_u8(rec, 0);			/* MultisigTransactionPayload::EntryFunction */
	}
	else
		w_u8(rec, 2);			/* EntryFunction */
	w_addr_short(rec, c->module_addr);
	w_str(rec, c->module);
	w_str(rec, c->function);
	w_uleb(rec, (uint32_t) c->type_args);
	for (int i = 0; i < c->type_args; i++)
		w_u8(rec, 2);
	w_uleb(rec, (uint32_t) c->nargs);
	for (int i = 0; i < c->nargs; i++)
		w_bytes(rec, c->args[i].data, c->args[i].len);
	w_u64(rec, 2000);			/* max_gas_amount */
	w_u64(rec, 100);			/* gas_unit_price */
	w_u64(rec, 1696500000);		/* expiration */
	w_u8(rec, 4);				/* chain_id */
	w_u8(rec, 0);				/* Ed25519 */
	w_uleb(rec, 32);
	w_fill(rec, 0x11, 32);
	w_uleb(rec, 64);
	w_fill(rec, 0x22, 64);
	w_u8(rec, 0);				/* TransactionInfo::V0 */
	w_u64(rec, 7);				/* gas_used */
	w_u8(rec, 0);				/* Success */
	w_fill(rec, 0x01, 96);		/* the three hashes (not checked here) */
	w_u8(rec, 0);				/* no state_checkpoint_hash */
	w_u8(rec, 0);				/* no state_cemetery_hash */
	w_u8(rec, 0);				/* no events */
	w_u8(rec, 0);				/* WriteSet::V0 */
	w_u8(rec, 0);				/* empty */
}

static bool
decode_call(wbuf *rec, const call *c, ff_tx *tx)
{
	ff_status	st;

	build_record(rec, c);
	ff_status_clear(&st);
	if (ff_tx_decode(rec->data, rec->len, tx, &st) == FF_OK)
		return true;
	fprintf(stderr, "  decode: %s at %" PRId64 "\n", st.message, st.offset);
	return false;
}

static void
call_init(call *c, const char *module, const char *function)
{
	memset(c, 0, sizeof(*c));
	c->module_addr = 1;
	c->module = module;
	c->function = function;
}

static void
arg_address(call *c, uint8_t last)
{
	wbuf	   *a = &c->args[c->nargs++];

	a->len = 0;
	w_addr_short(a, last);
}

static void
arg_u64(call *c, uint64_t v)
{
	wbuf	   *a = &c->args[c->nargs++];

	a->len = 0;
	w_u64(a, v);
}

static void
arg_bytes(call *c, const char *s, size_t n)
{
	wbuf	   *a = &c->args[c->nargs++];

	a->len = 0;
	w_bytes(a, s, n);
}

/* The function is recognised as `want` and its arguments render as `json`. */
static void
check_call(const call *c, ff_known_function want, const char *json, int line)
{
	wbuf		rec;
	ff_tx		tx;
	ff_buf		b;
	ff_code		code;

	if (!decode_call(&rec, c, &tx))
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: record does not decode\n", __FILE__, line);
		return;
	}
	ff_buf_init(&b);
	code = ff_entry_args_json(&tx, &b);
	if (ff_entry_function_of(&tx) == want &&
		(json ? code == FF_OK && strcmp(b.data, json) == 0 : code == FF_EOF))
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected function %d %s, got %d %s \"%s\"\n", __FILE__, line,
				want, json ? json : "(no JSON)", ff_entry_function_of(&tx), ff_code_name(code),
				b.data ? b.data : "");
	}
	ff_buf_free(&b);
}

#define CHECK_CALL(c, want, json) check_call(c, want, json, __LINE__)

/* ------------------------------------------------------------------------------------ */
/* tests                                                                                 */

static void
test_known_functions(void)
{
	call		c;

	call_init(&c, "ol_account", "transfer");
	arg_address(&c, 0x42);
	arg_u64(&c, 1000);
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER,
			   "{\"to\":\"0x0000000000000000000000000000000000000000000000000000000000000042\","
			   "\"amount\":1000}");

	call_init(&c, "ol_account", "create_account");
	arg_address(&c, 3);
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_CREATE_ACCOUNT, "{\"auth_key\":\"0x3\"}");

	call_init(&c, "ol_account", "batch_transfer");
	c.args[0].len = 0;
	w_uleb(&c.args[0], 2);
	w_addr_short(&c.args[0], 5);
	w_addr_short(&c.args[0], 6);
	c.args[1].len = 0;
	w_uleb(&c.args[1], 2);
	w_u64(&c.args[1], 10);
	w_u64(&c.args[1], 20);
	c.nargs = 2;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_BATCH_TRANSFER,
			   "{\"recipients\":[\"0x5\",\"0x6\"],\"amounts\":[10,20]}");

	call_init(&c, "ol_account", "set_allow_direct_coin_transfers");
	c.args[0].len = 0;
	w_u8(&c.args[0], 1);
	c.nargs = 1;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_SET_ALLOW_DIRECT, "{\"allow\":true}");
	c.args[0].data[0] = 2;		/* not a bool */
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_SET_ALLOW_DIRECT, NULL);

	call_init(&c, "coin", "transfer");
	c.type_args = 1;
	arg_address(&c, 7);
	arg_u64(&c, 99);
	CHECK_CALL(&c, FF_FN_COIN_TRANSFER, "{\"to\":\"0x7\",\"amount\":99}");
	c.type_args = 0;			/* coin::transfer needs its coin type */
	CHECK_CALL(&c, FF_FN_COIN_TRANSFER, NULL);

	call_init(&c, "vouch", "vouch_for");
	arg_address(&c, 8);
	CHECK_CALL(&c, FF_FN_VOUCH_FOR, "{\"wanna_be_my_friend\":\"0x8\"}");
	call_init(&c, "vouch", "insist_vouch_for");
	arg_address(&c, 8);
	CHECK_CALL(&c, FF_FN_VOUCH_INSIST, "{\"wanna_be_my_friend\":\"0x8\"}");
	call_init(&c, "vouch", "revoke");
	arg_address(&c, 9);
	CHECK_CALL(&c, FF_FN_VOUCH_REVOKE, "{\"its_not_me_its_you\":\"0x9\"}");

	call_init(&c, "tower_state", "minerstate_commit");
	arg_bytes(&c, "\xab\xcd", 2);
	arg_bytes(&c, "", 0);
	arg_u64(&c, 120000);
	arg_u64(&c, 350);
	CHECK_CALL(&c, FF_FN_MINERSTATE_COMMIT,
			   "{\"challenge\":\"0xabcd\",\"solution\":\"0x\",\"difficulty\":120000,\"security\":350}");

	call_init(&c, "validator_universe", "register_validator");
	arg_bytes(&c, "\x01", 1);
	arg_bytes(&c, "\x02", 1);
	arg_bytes(&c, "\x03", 1);
	arg_bytes(&c, "\x04", 1);
	CHECK_CALL(&c, FF_FN_REGISTER_VALIDATOR,
			   "{\"consensus_pubkey\":\"0x01\",\"proof_of_possession\":\"0x02\","
			   "\"network_addresses\":\"0x03\",\"fullnode_addresses\":\"0x04\"}");
}

/* Arguments that do not match the signature: the JSON falls back (FF_EOF). */
static void
test_mismatches(void)
{
	call		c;

	/* one argument too few, one too many */
	call_init(&c, "ol_account", "transfer");
	arg_address(&c, 7);
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER, NULL);
	arg_u64(&c, 1);
	arg_u64(&c, 2);
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER, NULL);
	/* an address of 31 bytes, an amount of 9 bytes */
	call_init(&c, "ol_account", "transfer");
	arg_address(&c, 7);
	arg_u64(&c, 1);
	c.args[0].len = 31;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER, NULL);
	c.args[0].len = 32;
	w_u8(&c.args[1], 0);
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER, NULL);
	c.args[1].len = 8;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER,
			   "{\"to\":\"0x7\",\"amount\":1}");
	/* a type argument it does not take */
	c.type_args = 1;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_TRANSFER, NULL);
	c.type_args = 0;
	/* a vector<u8> whose length runs past the argument */
	call_init(&c, "tower_state", "minerstate_commit");
	arg_bytes(&c, "\xab", 1);
	arg_bytes(&c, "", 0);
	arg_u64(&c, 1);
	arg_u64(&c, 2);
	c.args[0].data[0] = 2;
	CHECK_CALL(&c, FF_FN_MINERSTATE_COMMIT, NULL);
	/* a vector<address> count the bytes cannot hold */
	call_init(&c, "ol_account", "batch_transfer");
	c.args[0].len = 0;
	w_uleb(&c.args[0], 2);
	w_addr_short(&c.args[0], 5);
	c.args[1].len = 0;
	w_uleb(&c.args[1], 0);
	c.nargs = 2;
	CHECK_CALL(&c, FF_FN_OL_ACCOUNT_BATCH_TRANSFER, NULL);

	/* not ours: module at 0x2, another function, another module */
	call_init(&c, "ol_account", "transfer");
	c.module_addr = 2;
	arg_address(&c, 7);
	arg_u64(&c, 1);
	CHECK_CALL(&c, FF_FN_UNKNOWN, NULL);
	c.module_addr = 1;
	c.function = "transfers";
	CHECK_CALL(&c, FF_FN_UNKNOWN, NULL);
	c.function = "transfer";
	c.module = "ol_accounts";
	CHECK_CALL(&c, FF_FN_UNKNOWN, NULL);
}

/* The same function through a Multisig payload. */
static void
test_multisig(void)
{
	call		c;

	call_init(&c, "vouch", "revoke");
	arg_address(&c, 9);
	c.multisig = true;
	CHECK_CALL(&c, FF_FN_VOUCH_REVOKE, "{\"its_not_me_its_you\":\"0x9\"}");
}

static void
test_transfers(void)
{
	call		c;
	wbuf		rec;
	ff_tx		tx;
	const uint8_t *to = NULL;
	uint64_t	amount = 0;
	bool		has_amount = false;

	call_init(&c, "ol_account", "transfer");
	arg_address(&c, 0x42);
	arg_u64(&c, 1000);
	CHECK(decode_call(&rec, &c, &tx));
	CHECK(ff_entry_transfer(&tx, &to, &amount, &has_amount));
	CHECK(to && to >= rec.data && to + 32 <= rec.data + rec.len && to[31] == 0x42);
	CHECK(has_amount && amount == 1000);

	call_init(&c, "coin", "transfer");
	c.type_args = 1;
	arg_address(&c, 0x43);
	arg_u64(&c, 5);
	CHECK(decode_call(&rec, &c, &tx));
	CHECK(ff_entry_transfer(&tx, &to, &amount, &has_amount));
	CHECK(to[31] == 0x43 && has_amount && amount == 5);

	call_init(&c, "ol_account", "create_account");
	arg_address(&c, 0x44);
	CHECK(decode_call(&rec, &c, &tx));
	CHECK(ff_entry_transfer(&tx, &to, &amount, &has_amount));
	CHECK(to[31] == 0x44 && !has_amount);

	/* no single recipient: batch transfer, vouch; nor bad arguments */
	call_init(&c, "vouch", "vouch_for");
	arg_address(&c, 8);
	CHECK(decode_call(&rec, &c, &tx));
	CHECK(!ff_entry_transfer(&tx, &to, &amount, &has_amount));
	call_init(&c, "ol_account", "transfer");
	arg_address(&c, 0x42);
	CHECK(decode_call(&rec, &c, &tx));
	CHECK(!ff_entry_transfer(&tx, &to, &amount, &has_amount));
}

/* A BlockMetadata record is no call at all. */
static void
test_not_user(void)
{
	wbuf		rec;
	ff_tx		tx;
	ff_status	st;
	ff_buf		b;
	const uint8_t *to;
	uint64_t	amount;
	bool		has_amount;

	rec.len = 0;
	w_u8(&rec, 2);				/* BlockMetadata */
	w_fill(&rec, 0x0a, 32);
	w_u64(&rec, 1);
	w_u64(&rec, 2);
	w_addr_short(&rec, 0);
	w_bytes(&rec, "\x01", 1);
	w_uleb(&rec, 0);
	w_u64(&rec, 3);
	w_u8(&rec, 0);
	w_u64(&rec, 0);
	w_u8(&rec, 0);
	w_fill(&rec, 0x01, 96);
	w_u8(&rec, 0);
	w_u8(&rec, 0);
	w_u8(&rec, 0);
	w_u8(&rec, 0);
	w_u8(&rec, 0);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_tx_decode(rec.data, rec.len, &tx, &st), FF_OK);
	CHECK_EQ_U64(ff_entry_function_of(&tx), FF_FN_UNKNOWN);
	ff_buf_init(&b);
	CHECK_EQ_U64(ff_entry_args_json(&tx, &b), FF_EOF);
	CHECK_EQ_U64(b.len, 0);
	CHECK(!ff_entry_transfer(&tx, &to, &amount, &has_amount));
	ff_buf_free(&b);
}

int
main(void)
{
	RUN(test_known_functions);
	RUN(test_mismatches);
	RUN(test_multisig);
	RUN(test_transfers);
	RUN(test_not_user);
	return unit_summary("entry_function");
}
