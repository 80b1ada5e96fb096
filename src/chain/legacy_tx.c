/*
 * legacy_tx.c — decoder of the v4 and v5 transaction backup records: the v5 3-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>) and the v4 2-tuple (Transaction,
 * TransactionInfo), following FORMAT-epochs-state-legacy.md §8: 16-byte addresses,
 * HashValue as serde bytes (uleb 0x20 + 32), gas_currency_code in RawTransaction,
 * KeptVMStatus mapped onto ff_exec_status. Every byte is walked and validated; the result
 * is the same ff_tx view as the v6 decoder's (transaction.c), which dispatches here.
 * Also the transaction hash, the era detection and the era-aware TypeTag walker.
 */
#include "chain/transaction.h"

#include <string.h>

#include "chain/event.h"
#include "chain/hash.h"
#include "chain/render.h"

#define ADDR 16					/* AccountAddress before v6 */
#define HASH_LEN 32

/* Minimum encoded sizes, used to reject absurd sequence counts before looping. */
#define MIN_TYPE_TAG		1
#define MIN_BYTES			1
#define MIN_TX_ARGUMENT		2
#define MIN_ACCOUNT_AUTH	(1 + 1 + 1)
#define MIN_WRITE			(ADDR + 1 + 1)	/* AccessPath { address, path bytes }, WriteOp tag */

/* Decoder state, as in transaction.c. */
typedef struct lx_decoder
{
	bcs_cursor	c;
	ff_era		era;			/* FF_ERA_V4 or FF_ERA_V5 */
	const char *section;		/* "Transaction", "TransactionInfo", "events" for messages */
	ff_status  *st;				/* the caller's status: the event parser reports here */
	ff_code		nested_code;	/* FF_OK, or how the event parser failed (message in st) */
	size_t		nested_offset;	/* where, in the record */
} lx_decoder;

static inline bool
fail_at(lx_decoder *d, size_t pos, const char *what)
{
	return bcs_fail_at(&d->c, pos, what);
}

static inline bool
read_variant(lx_decoder *d, uint32_t *tag, size_t *tag_pos)
{
	*tag_pos = d->c.pos;
	return bcs_len(&d->c, tag);
}

static inline bool
read_address(lx_decoder *d, const uint8_t **out)
{
	return bcs_fixed(&d->c, ADDR, out);
}

/* HashValue: serde bytes of exactly 32. */
static bool
read_hash(lx_decoder *d, const uint8_t **out)
{
	uint32_t	n;
	size_t		pos = d->c.pos;

	if (!bcs_len(&d->c, &n))
		return false;
	if (n != HASH_LEN)
		return fail_at(d, pos, "HashValue is not 32 bytes");
	return bcs_fixed(&d->c, HASH_LEN, out);
}

/* ------------------------------------------------------------------------------------ */
/* type tags                                                                             */

/* v4/v5 TypeTag: 0 bool .. 5 signer, 6 vector, 7 struct; boxes as in render.c. */
static bool
walk_legacy_type_tag(bcs_cursor *c, int boxes_entered)
{
	size_t		tag_pos = c->pos;
	uint32_t	tag;
	const uint8_t *addr;
	ff_span		module,
				name;
	uint32_t	nparams;

	if (!bcs_len(c, &tag))
		return false;
	if (tag <= 5)
		return true;
	if (tag > 7)
	{
		c->pos = tag_pos;
		return bcs_fail(c, "TypeTag variant not in v4/v5");
	}
	if (boxes_entered >= FF_TYPE_TAG_MAX_DEPTH)
		return bcs_fail(c, "type tag nested too deeply");
	if (tag == 6)
		return walk_legacy_type_tag(c, boxes_entered + 1);
	if (!bcs_fixed(c, ADDR, &addr) ||
		!bcs_identifier(c, &module) ||
		!bcs_identifier(c, &name) ||
		!bcs_count(c, MIN_TYPE_TAG, &nparams))
		return false;
	for (uint32_t i = 0; i < nparams; i++)
		if (!walk_legacy_type_tag(c, boxes_entered + 1))
			return false;
	return true;
}

bool
ff_skip_type_tag_era(bcs_cursor *c, ff_era era)
{
	if (era == FF_ERA_V4 || era == FF_ERA_V5)
		return walk_legacy_type_tag(c, 0);
	return ff_skip_type_tag(c, FF_ADDR_LEN_V6);
}

/* Vec<TypeTag>: count, then each tag validated; span = the bytes after the count. */
static bool
decode_type_args(lx_decoder *d, uint32_t *count, ff_span *span)
{
	size_t		start;

	if (!bcs_count(&d->c, MIN_TYPE_TAG, count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < *count; i++)
		if (!walk_legacy_type_tag(&d->c, 0))
			return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

/* ------------------------------------------------------------------------------------ */
/* payloads                                                                              */

/* TransactionArgument of 0L v4/v5 (§8.2): 0 U8 .. 4 U8Vector, 5 AddressVector, 6 Bool. */
static bool
skip_transaction_argument(lx_decoder *d)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	n;
	ff_span		bytes;
	bool		flag;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:				/* U8 */
			return bcs_skip(&d->c, 1);
		case 1:				/* U64 */
			return bcs_skip(&d->c, 8);
		case 2:				/* U128 */
			return bcs_skip(&d->c, 16);
		case 3:				/* Address */
			return bcs_skip(&d->c, ADDR);
		case 4:				/* U8Vector */
			return bcs_bytes(&d->c, &bytes);
		case 5:				/* AddressVector */
			return bcs_count(&d->c, ADDR, &n) && bcs_skip(&d->c, (size_t) n * ADDR);
		case 6:				/* Bool */
			return bcs_bool(&d->c, &flag);
		default:
			return fail_at(d, tag_pos, "unknown TransactionArgument variant");
	}
}

/* Script { code, ty_args, args: Vec<TransactionArgument> } into the payload fields of t. */
static bool
decode_script(lx_decoder *d, ff_tx *t)
{
	size_t		start;

	if (!bcs_bytes(&d->c, &t->script_code) ||
		!decode_type_args(d, &t->type_arg_count, &t->type_args) ||
		!bcs_count(&d->c, MIN_TX_ARGUMENT, &t->arg_count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < t->arg_count; i++)
		if (!skip_transaction_argument(d))
			return false;
	t->args.ptr = d->c.base + start;
	t->args.len = d->c.pos - start;
	return true;
}

/* v5 ScriptFunction { module: ModuleId, function, ty_args, args: Vec<bytes> }. */
static bool
decode_script_function(lx_decoder *d, ff_tx *t)
{
	size_t		start;
	ff_span		arg;

	if (!read_address(d, &t->module_address) ||
		!bcs_identifier(&d->c, &t->module_name) ||
		!bcs_identifier(&d->c, &t->function_name) ||
		!decode_type_args(d, &t->type_arg_count, &t->type_args) ||
		!bcs_count(&d->c, MIN_BYTES, &t->arg_count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < t->arg_count; i++)
		if (!bcs_bytes(&d->c, &arg))
			return false;
	t->args.ptr = d->c.base + start;
	t->args.len = d->c.pos - start;
	return true;
}

/* The event parser failed on bytes from `base` on: keep its code and move its offset. */
static bool
fail_nested(lx_decoder *d, ff_code code, size_t base)
{
	d->nested_code = code;
	d->nested_offset = base + (size_t) d->st->offset;
	return bcs_fail_at(&d->c, d->nested_offset, "nested parser failed");
}

/* Vec<ContractEvent> of the era at the cursor, validated by the event iterator. */
static bool
walk_events(lx_decoder *d, uint32_t *count)
{
	size_t		base = d->c.pos;
	ff_span		rest = {d->c.base + d->c.pos, d->c.len - d->c.pos};
	ff_event_iter it;
	ff_event	ev;
	ff_code		code;

	ff_event_iter_init_era(&it, rest, d->era);
	while ((code = ff_event_next(&it, &ev, d->st)) == FF_OK)
		;
	if (code != FF_EOF)
		return fail_nested(d, code, base);
	*count = it.count;
	return bcs_skip(&d->c, ff_event_iter_end(&it));
}

/*
 * WriteSetPayload: 0 Direct(ChangeSet { write_set: Vec<(AccessPath, WriteOp)>, events }),
 * 1 Script { execute_as, script }. *writes = the entries of a Direct write set (else 0).
 * The script of a Script write set is validated but not kept (scratch view).
 */
static bool
skip_write_set_payload(lx_decoder *d, uint32_t *writes)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	n;
	uint32_t	events;
	ff_tx		scratch;

	*writes = 0;
	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			if (!bcs_count(&d->c, MIN_WRITE, &n))
				return false;
			for (uint32_t i = 0; i < n; i++)
			{
				ff_span		path,
							value;
				uint32_t	op;
				size_t		op_pos;

				if (!bcs_skip(&d->c, ADDR) || !bcs_bytes(&d->c, &path) ||
					!read_variant(d, &op, &op_pos))
					return false;
				if (op == 1)
				{
					if (!bcs_bytes(&d->c, &value))
						return false;
				}
				else if (op != 0)
					return fail_at(d, op_pos, "unknown WriteOp variant");
			}
			*writes = n;
			return walk_events(d, &events);
		case 1:
			memset(&scratch, 0, sizeof(scratch));
			return bcs_skip(&d->c, ADDR) && decode_script(d, &scratch);
		default:
			return fail_at(d, tag_pos, "unknown WriteSetPayload variant");
	}
}

/* TransactionPayload: 0 WriteSet, 1 Script, 2 Module, 3 ScriptFunction (v5 only). */
static bool
decode_payload(lx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	writes;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->payload_kind = FF_PAYLOAD_WRITE_SET;
			return skip_write_set_payload(d, &writes);
		case 1:
			t->payload_kind = FF_PAYLOAD_SCRIPT;
			return decode_script(d, t);
		case 2:
			t->payload_kind = FF_PAYLOAD_MODULE;
			return bcs_bytes(&d->c, &t->script_code);
		case 3:
			if (d->era != FF_ERA_V5)
				break;
			t->payload_kind = FF_PAYLOAD_SCRIPT_FUNCTION;
			return decode_script_function(d, t);
		default:
			break;
	}
	return fail_at(d, tag_pos, d->era == FF_ERA_V4 && tag == 3 ?
				   "TransactionPayload ScriptFunction not in v4" :
				   "unknown TransactionPayload variant");
}

/* ------------------------------------------------------------------------------------ */
/* authenticators, transactions                                                          */

/* AccountAuthenticator: 0 Ed25519, 1 MultiEd25519. */
static bool
skip_account_authenticator(lx_decoder *d)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	if (tag > 1)
		return fail_at(d, tag_pos, "unknown AccountAuthenticator variant");
	return ff_skip_ed25519_auth(&d->c, tag == 1);
}

/* TransactionAuthenticator: 0 Ed25519, 1 MultiEd25519, 2 MultiAgent (v5 only). */
static bool
decode_authenticator(lx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	n;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
		case 1:
			t->authenticator = tag == 0 ? FF_AUTH_ED25519 : FF_AUTH_MULTI_ED25519;
			return ff_skip_ed25519_auth(&d->c, tag == 1);
		case 2:
			if (d->era != FF_ERA_V5)
				return fail_at(d, tag_pos, "TransactionAuthenticator MultiAgent not in v4");
			t->authenticator = FF_AUTH_MULTI_AGENT;
			if (!skip_account_authenticator(d) ||
				!bcs_count(&d->c, ADDR, &n) ||
				!bcs_skip(&d->c, (size_t) n * ADDR) ||
				!bcs_count(&d->c, MIN_ACCOUNT_AUTH, &n))
				return false;
			for (uint32_t i = 0; i < n; i++)
				if (!skip_account_authenticator(d))
					return false;
			return true;
		default:
			return fail_at(d, tag_pos, "unknown TransactionAuthenticator variant");
	}
}

/* SignedTransaction = RawTransaction + TransactionAuthenticator. */
static bool
decode_signed_transaction(lx_decoder *d, ff_tx *t)
{
	return read_address(d, &t->sender) &&
		bcs_u64(&d->c, &t->sequence_number) &&
		decode_payload(d, t) &&
		bcs_u64(&d->c, &t->max_gas_amount) &&
		bcs_u64(&d->c, &t->gas_unit_price) &&
		bcs_string(&d->c, &t->gas_currency) &&
		bcs_u64(&d->c, &t->expiration_timestamp_secs) &&
		bcs_u8(&d->c, &t->chain_id) &&
		decode_authenticator(d, t);
}

/* BlockMetadata { id, round, timestamp_usecs, previous_block_votes, proposer }. */
static bool
decode_block_metadata(lx_decoder *d, ff_tx *t)
{
	return read_hash(d, &t->block_id) &&
		bcs_u64(&d->c, &t->round) &&
		bcs_u64(&d->c, &t->timestamp_usecs) &&
		bcs_count(&d->c, ADDR, &t->vote_count) &&
		bcs_skip(&d->c, (size_t) t->vote_count * ADDR) &&
		read_address(d, &t->proposer);
}

/* Transaction: 0 UserTransaction, 1 GenesisTransaction, 2 BlockMetadata. */
static bool
decode_transaction(lx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->kind = FF_TX_USER;
			return decode_signed_transaction(d, t);
		case 1:
			t->kind = FF_TX_GENESIS;
			return skip_write_set_payload(d, &t->write_count);
		case 2:
			t->kind = FF_TX_BLOCK_METADATA;
			return decode_block_metadata(d, t);
		default:
			return fail_at(d, tag_pos, "unknown Transaction variant");
	}
}

/* AbortLocation: 0 Module(ModuleId), 1 Script. */
static bool
decode_abort_location(lx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	t->has_abort_location = true;
	switch (tag)
	{
		case 0:
			return read_address(d, &t->abort_module_address) &&
				bcs_identifier(&d->c, &t->abort_module_name);
		case 1:
			t->abort_in_script = true;
			return true;
		default:
			return fail_at(d, tag_pos, "unknown AbortLocation variant");
	}
}

/*
 * KeptVMStatus: 0 Executed, 1 OutOfGas, 2 MoveAbort(AbortLocation, u64),
 * 3 ExecutionFailure { location, function u16, code_offset u16 }, 4 MiscellaneousError.
 */
static bool
decode_kept_vm_status(lx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->status = FF_EXEC_SUCCESS;
			return true;
		case 1:
			t->status = FF_EXEC_OUT_OF_GAS;
			return true;
		case 2:
			t->status = FF_EXEC_MOVE_ABORT;
			t->has_abort_code = true;
			return decode_abort_location(d, t) && bcs_u64(&d->c, &t->abort_code);
		case 3:
			t->status = FF_EXEC_EXECUTION_FAILURE;
			return decode_abort_location(d, t) &&
				bcs_u16(&d->c, &t->failure_function) &&
				bcs_u16(&d->c, &t->failure_code_offset);
		case 4:
			t->status = FF_EXEC_MISCELLANEOUS_ERROR;
			return true;
		default:
			return fail_at(d, tag_pos, "unknown KeptVMStatus variant");
	}
}

/* TransactionInfo { transaction_hash, state_root_hash, event_root_hash, gas_used, status }. */
static bool
decode_transaction_info(lx_decoder *d, ff_tx *t)
{
	return read_hash(d, &t->tx_hash) &&
		read_hash(d, &t->state_root_hash) &&
		read_hash(d, &t->event_root_hash) &&
		bcs_u64(&d->c, &t->gas_used) &&
		decode_kept_vm_status(d, t);
}

static bool
decode_events_element(lx_decoder *d, ff_tx *t)
{
	return walk_events(d, &t->event_count);
}

/* Run one tuple element's decoder and record the bytes it consumed. */
static bool
decode_element(lx_decoder *d, const char *section, ff_span *span,
			   bool (*fn) (lx_decoder *, ff_tx *), ff_tx *t)
{
	size_t		start = d->c.pos;

	d->section = section;
	if (!fn(d, t))
		return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

/* The trailing-bytes check at the end of what was to be decoded. */
static bool
expect_end(lx_decoder *d, const char *what)
{
	if (bcs_at_end(&d->c))
		return true;
	d->section = "record";
	return bcs_fail(&d->c, what);
}

ff_code
ff_tx_legacy_decode(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st,
					int part)
{
	lx_decoder	d;
	bool		ok;

	memset(out, 0, sizeof(*out));
	out->era = era;
	out->addr_len = ADDR;
	out->payload_kind = FF_PAYLOAD_NONE;
	out->authenticator = FF_AUTH_NONE;

	bcs_init(&d.c, rec, len);
	d.era = era;
	d.section = "record";
	d.st = st;
	d.nested_code = FF_OK;
	d.nested_offset = 0;

	ok = decode_element(&d, "Transaction", &out->transaction, decode_transaction, out);
	if (ok && part == FF_TX_PART_TRANSACTION)
	{
		if (expect_end(&d, "trailing bytes after the Transaction"))
			return FF_OK;
		ok = false;
	}
	ok = ok && decode_element(&d, "TransactionInfo", &out->info, decode_transaction_info, out);
	if (ok)
	{
		out->rest.ptr = d.c.base + d.c.pos;
		out->rest.len = d.c.len - d.c.pos;
		if (part != FF_TX_PART_RECORD)
			return FF_OK;
		if (era == FF_ERA_V5)
			ok = decode_element(&d, "events", &out->events, decode_events_element, out) &&
				expect_end(&d, "trailing bytes after the events");
		else
			ok = expect_end(&d, "trailing bytes after the TransactionInfo");
		if (ok)
			return FF_OK;
	}

	if (d.nested_code != FF_OK)
	{
		char		what[sizeof(st->message)];

		memcpy(what, st->message, sizeof(what));
		st->offset = (int64_t) d.nested_offset;
		return ff_status_set(st, d.nested_code, "bad %s: %s", d.section, what);
	}
	st->offset = (int64_t) d.c.fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "bad %s: %s", d.section,
						 d.c.fail_what ? d.c.fail_what : "decode failed");
}

/* ------------------------------------------------------------------------------------ */
/* hashes and era detection                                                              */

void
ff_tx_hash_compute(ff_era era, ff_span transaction, uint8_t out[32])
{
	ff_crypto_hash(ff_era_domain(era), "Transaction", transaction.ptr, transaction.len, out);
}

bool
ff_tx_hash_matches(const ff_tx *tx)
{
	uint8_t		h[HASH_LEN];

	if (tx->tx_hash == NULL || tx->transaction.ptr == NULL)
		return false;
	ff_tx_hash_compute(tx->era, tx->transaction, h);
	return memcmp(h, tx->tx_hash, HASH_LEN) == 0;
}

ff_era
ff_tx_detect_era(const uint8_t *rec, size_t len)
{
	static const ff_era order[] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4};
	ff_tx		tx;
	ff_status	st;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
	{
		ff_status_clear(&st);
		if (ff_tx_decode_era(order[i], rec, len, &tx, &st) == FF_OK && ff_tx_hash_matches(&tx))
			return order[i];
	}
	return FF_ERA_UNKNOWN;
}
