/*
 * transaction.c — decoder of one v6/v7 transaction backup record, the BCS 4-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>, WriteSet), following
 * docs/FORMAT-transactions-v6v7.md §4. Every byte is walked and validated and the record
 * must be consumed exactly; the result is a view into the record (nothing is allocated).
 * The events and write sets (also the genesis ChangeSet's) go through the iterators of
 * event.c and state.c, the one parser of each; ff_tx_decode_header stops after the
 * TransactionInfo.
 * Also the era entry points (v4/v5 records are decoded by legacy_tx.c), the iterators over
 * arguments and type arguments (all eras), and the SQL names of the enums.
 */
#include "chain/transaction.h"

#include <string.h>

#include "chain/event.h"
#include "chain/render.h"
#include "chain/state.h"

#define ADDR FF_ADDR_LEN_V6
#define HASH_LEN 32

/* Decoder state: the cursor, which tuple element is being read, and why it stopped. */
typedef struct tx_decoder
{
	bcs_cursor	c;
	const char *section;		/* "Transaction", "TransactionInfo", ... for messages */
	bool		unsupported;	/* failed on a variant the 0L fork does not have */
	uint32_t	unsupported_tag;
	ff_status  *st;				/* the caller's status: the event and write-set parsers report here */
	ff_code		nested_code;	/* FF_OK, or how such a parser failed (message in st) */
	size_t		nested_offset;	/* where, in the record */
} tx_decoder;

/* Minimum encoded sizes, used to reject absurd sequence counts before looping. */
#define MIN_TYPE_TAG		1
#define MIN_BYTES			1
#define MIN_TX_ARGUMENT		2
#define MIN_ACCOUNT_AUTH	(1 + 1 + 1)

/* Ed25519 / MultiEd25519 sizes (diem-crypto). */
#define ED25519_PUBLIC_KEY_LEN	32
#define ED25519_SIGNATURE_LEN	64
#define MULTI_ED25519_MAX_KEYS	32
#define MULTI_ED25519_BITMAP_LEN 4

/*
 * Fail on a variant tag that exists upstream but not in the 0L fork: reported at the
 * tag's offset and turned into FF_ERR_UNSUPPORTED.
 */
static bool
fail_unsupported(tx_decoder *d, size_t tag_pos, uint32_t tag, const char *what)
{
	if (d->c.failed)
		return false;
	d->unsupported = true;
	d->unsupported_tag = tag;
	d->c.pos = tag_pos;
	return bcs_fail(&d->c, what);
}

/* Fail at an earlier offset (the start of the value that turned out bad). */
static inline bool
fail_at(tx_decoder *d, size_t pos, const char *what)
{
	return bcs_fail_at(&d->c, pos, what);
}

/* An enum variant index, with its offset for error reports. */
static inline bool
read_variant(tx_decoder *d, uint32_t *tag, size_t *tag_pos)
{
	*tag_pos = d->c.pos;
	return bcs_len(&d->c, tag);
}

static inline bool
read_address(tx_decoder *d, const uint8_t **out)
{
	return bcs_fixed(&d->c, ADDR, out);
}

static inline bool
skip_address(tx_decoder *d)
{
	return bcs_skip(&d->c, ADDR);
}

/* Vec<TypeTag>: count, then each tag validated; span = the bytes after the count. */
static bool
decode_type_args(tx_decoder *d, uint32_t *count, ff_span *span)
{
	size_t		start;

	if (!bcs_count(&d->c, MIN_TYPE_TAG, count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < *count; i++)
		if (!ff_skip_type_tag(&d->c, ADDR))
			return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

/* One TransactionArgument (§4.4), used by scripts. */
static bool
skip_transaction_argument(tx_decoder *d)
{
	uint32_t	tag;
	size_t		tag_pos;
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
			return skip_address(d);
		case 4:				/* U8Vector */
			return bcs_bytes(&d->c, &bytes);
		case 5:				/* Bool */
			return bcs_bool(&d->c, &flag);
		case 6:				/* U16 */
			return bcs_skip(&d->c, 2);
		case 7:				/* U32 */
			return bcs_skip(&d->c, 4);
		case 8:				/* U256 */
			return bcs_skip(&d->c, 32);
		default:
			return fail_at(d, tag_pos, "unknown TransactionArgument variant");
	}
}

/* Script { code, ty_args, args: Vec<TransactionArgument> } into the payload fields of t. */
static bool
decode_script(tx_decoder *d, ff_tx *t)
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

/* EntryFunction { module: ModuleId, function, ty_args, args: Vec<bytes> }. */
static bool
decode_entry_function(tx_decoder *d, ff_tx *t)
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

/* TransactionPayload (§4.3). */
static bool
decode_payload(tx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->payload_kind = FF_PAYLOAD_SCRIPT;
			return decode_script(d, t);
		case 1:
			{
				ff_span		code;

				t->payload_kind = FF_PAYLOAD_MODULE_BUNDLE;
				if (!bcs_count(&d->c, MIN_BYTES, &t->module_count))
					return false;
				for (uint32_t i = 0; i < t->module_count; i++)
					if (!bcs_bytes(&d->c, &code))
						return false;
				return true;
			}
		case 2:
			t->payload_kind = FF_PAYLOAD_ENTRY_FUNCTION;
			return decode_entry_function(d, t);
		case 3:
			{
				bool		present;
				uint32_t	inner;
				size_t		inner_pos;

				t->payload_kind = FF_PAYLOAD_MULTISIG;
				if (!read_address(d, &t->multisig_address) ||
					!bcs_option(&d->c, &present))
					return false;
				if (!present)
					return true;
				if (!read_variant(d, &inner, &inner_pos))
					return false;
				if (inner != 0)
					return fail_at(d, inner_pos, "unknown MultisigTransactionPayload variant");
				return decode_entry_function(d, t);
			}
		default:
			return fail_unsupported(d, tag_pos, tag,
									"TransactionPayload variant not in the 0L fork");
	}
}

/* Ed25519 { public_key: bytes(32), signature: bytes(64) }. */
static bool
skip_ed25519_at(bcs_cursor *c)
{
	ff_span		key,
				sig;
	size_t		pos = c->pos;

	if (!bcs_bytes(c, &key))
		return false;
	if (key.len != ED25519_PUBLIC_KEY_LEN)
		return bcs_fail_at(c, pos, "Ed25519 public key is not 32 bytes");
	pos = c->pos;
	if (!bcs_bytes(c, &sig))
		return false;
	if (sig.len != ED25519_SIGNATURE_LEN)
		return bcs_fail_at(c, pos, "Ed25519 signature is not 64 bytes");
	return true;
}

static int
popcount8(uint8_t b)
{
	int			n = 0;

	for (; b; b &= (uint8_t) (b - 1))
		n++;
	return n;
}

/*
 * MultiEd25519 { public_key: n*32 keys + threshold byte, signature: k*64 + 4-byte bitmap }
 * with the length rules of diem-crypto: 1 <= n <= 32, 1 <= threshold <= n,
 * 1 <= k <= 32, and the bitmap has exactly k bits set.
 */
static bool
skip_multi_ed25519_at(bcs_cursor *c)
{
	ff_span		key,
				sig;
	size_t		pos = c->pos;
	size_t		nkeys,
				nsigs;
	uint8_t		threshold;
	int			bits = 0;

	if (!bcs_bytes(c, &key))
		return false;
	nkeys = key.len / ED25519_PUBLIC_KEY_LEN;
	if (key.len % ED25519_PUBLIC_KEY_LEN != 1 || nkeys == 0 || nkeys > MULTI_ED25519_MAX_KEYS)
		return bcs_fail_at(c, pos, "MultiEd25519 public key has a bad length");
	threshold = key.ptr[key.len - 1];
	if (threshold == 0 || threshold > nkeys)
		return bcs_fail_at(c, pos, "MultiEd25519 threshold out of range");

	pos = c->pos;
	if (!bcs_bytes(c, &sig))
		return false;
	nsigs = sig.len / ED25519_SIGNATURE_LEN;
	if (sig.len % ED25519_SIGNATURE_LEN != MULTI_ED25519_BITMAP_LEN ||
		nsigs == 0 || nsigs > MULTI_ED25519_MAX_KEYS)
		return bcs_fail_at(c, pos, "MultiEd25519 signature has a bad length");
	for (size_t i = 0; i < MULTI_ED25519_BITMAP_LEN; i++)
		bits += popcount8(sig.ptr[sig.len - MULTI_ED25519_BITMAP_LEN + i]);
	if ((size_t) bits != nsigs)
		return bcs_fail_at(c, pos, "MultiEd25519 bitmap does not match the signature count");
	return true;
}

bool
ff_skip_ed25519_auth(bcs_cursor *c, bool multi)
{
	return multi ? skip_multi_ed25519_at(c) : skip_ed25519_at(c);
}

static inline bool
skip_ed25519(tx_decoder *d)
{
	return skip_ed25519_at(&d->c);
}

static inline bool
skip_multi_ed25519(tx_decoder *d)
{
	return skip_multi_ed25519_at(&d->c);
}

/* AccountAuthenticator: 0 Ed25519, 1 MultiEd25519. */
static bool
skip_account_authenticator(tx_decoder *d)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			return skip_ed25519(d);
		case 1:
			return skip_multi_ed25519(d);
		default:
			return fail_unsupported(d, tag_pos, tag,
									"AccountAuthenticator variant not in the 0L fork");
	}
}

/* sender, secondary_signer_addresses, secondary_signers (MultiAgent and FeePayer). */
static bool
skip_multi_agent_body(tx_decoder *d)
{
	uint32_t	n;

	if (!skip_account_authenticator(d) ||
		!bcs_count(&d->c, ADDR, &n) ||
		!bcs_skip(&d->c, (size_t) n * ADDR) ||
		!bcs_count(&d->c, MIN_ACCOUNT_AUTH, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!skip_account_authenticator(d))
			return false;
	return true;
}

/* TransactionAuthenticator (§4.5). */
static bool
decode_authenticator(tx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->authenticator = FF_AUTH_ED25519;
			return skip_ed25519(d);
		case 1:
			t->authenticator = FF_AUTH_MULTI_ED25519;
			return skip_multi_ed25519(d);
		case 2:
			t->authenticator = FF_AUTH_MULTI_AGENT;
			return skip_multi_agent_body(d);
		case 3:
			t->authenticator = FF_AUTH_FEE_PAYER;
			return skip_multi_agent_body(d) &&
				skip_address(d) &&
				skip_account_authenticator(d);
		default:
			return fail_unsupported(d, tag_pos, tag,
									"TransactionAuthenticator variant not in the 0L fork");
	}
}

/* SignedTransaction = RawTransaction (§4.2) + TransactionAuthenticator. */
static bool
decode_signed_transaction(tx_decoder *d, ff_tx *t)
{
	return read_address(d, &t->sender) &&
		bcs_u64(&d->c, &t->sequence_number) &&
		decode_payload(d, t) &&
		bcs_u64(&d->c, &t->max_gas_amount) &&
		bcs_u64(&d->c, &t->gas_unit_price) &&
		bcs_u64(&d->c, &t->expiration_timestamp_secs) &&
		bcs_u8(&d->c, &t->chain_id) &&
		decode_authenticator(d, t);
}

/* BlockMetadata (§4.7). */
static bool
decode_block_metadata(tx_decoder *d, ff_tx *t)
{
	ff_span		votes;

	return bcs_fixed(&d->c, HASH_LEN, &t->block_id) &&
		bcs_u64(&d->c, &t->epoch) &&
		bcs_u64(&d->c, &t->round) &&
		read_address(d, &t->proposer) &&
		bcs_bytes(&d->c, &votes) &&
		bcs_count(&d->c, 4, &t->failed_proposer_count) &&
		bcs_skip(&d->c, (size_t) t->failed_proposer_count * 4) &&
		bcs_u64(&d->c, &t->timestamp_usecs);
}

/*
 * The event or write-set parser, run over the bytes from the cursor on, failed: keep its
 * code (its message is in d->st) and move its offset into the record.
 */
static bool
fail_nested(tx_decoder *d, ff_code code, size_t base)
{
	d->nested_code = code;
	d->nested_offset = base + (size_t) d->st->offset;
	return bcs_fail_at(&d->c, d->nested_offset, "nested parser failed");
}

/* The bytes from the cursor to the end of the record. */
static inline ff_span
rest_of_record(const tx_decoder *d)
{
	ff_span		rest = {d->c.base + d->c.pos, d->c.len - d->c.pos};

	return rest;
}

/* Vec<ContractEvent> (§4.10) at the cursor, validated by the event iterator. */
static bool
walk_events(tx_decoder *d, uint32_t *count)
{
	size_t		base = d->c.pos;
	ff_event_iter it;
	ff_event	ev;
	ff_code		code;

	ff_event_iter_init(&it, rest_of_record(d));
	while ((code = ff_event_next(&it, &ev, d->st)) == FF_OK)
		;
	if (code != FF_EOF)
		return fail_nested(d, code, base);
	*count = it.count;
	return bcs_skip(&d->c, ff_event_iter_end(&it));
}

/* WriteSet (§4.12) at the cursor, validated by the write-set iterator. */
static bool
walk_write_set(tx_decoder *d, uint32_t *count)
{
	size_t		base = d->c.pos;
	ff_write_iter it;
	ff_write	w;
	ff_code		code;

	ff_write_iter_init(&it, rest_of_record(d));
	while ((code = ff_write_next(&it, &w, d->st)) == FF_OK)
		;
	if (code != FF_EOF)
		return fail_nested(d, code, base);
	*count = it.count;
	return bcs_skip(&d->c, ff_write_iter_end(&it));
}

/* WriteSetPayload of the genesis transaction (§4.6). Fills nothing in the view. */
static bool
skip_write_set_payload(tx_decoder *d)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	count;
	ff_tx		scratch;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:				/* Direct(ChangeSet { write_set, events }) */
			return walk_write_set(d, &count) && walk_events(d, &count);
		case 1:				/* Script { execute_as, script } */
			memset(&scratch, 0, sizeof(scratch));
			return skip_address(d) && decode_script(d, &scratch);
		default:
			return fail_at(d, tag_pos, "unknown WriteSetPayload variant");
	}
}

/* AbortLocation: 0 Module(ModuleId), 1 Script. */
static bool
decode_abort_location(tx_decoder *d, ff_tx *t)
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

/* ExecutionStatus (§4.9). */
static bool
decode_execution_status(tx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	bool		present;

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
			if (!decode_abort_location(d, t) ||
				!bcs_u64(&d->c, &t->abort_code) ||
				!bcs_option(&d->c, &present))
				return false;
			t->has_abort_code = true;
			if (!present)
				return true;
			return bcs_string(&d->c, &t->abort_reason) &&
				bcs_string(&d->c, &t->abort_description);
		case 3:
			t->status = FF_EXEC_EXECUTION_FAILURE;
			return decode_abort_location(d, t) &&
				bcs_u16(&d->c, &t->failure_function) &&
				bcs_u16(&d->c, &t->failure_code_offset);
		case 4:
			t->status = FF_EXEC_MISCELLANEOUS_ERROR;
			if (!bcs_option(&d->c, &present))
				return false;
			t->has_abort_code = present;
			return !present || bcs_u64(&d->c, &t->abort_code);
		default:
			return fail_at(d, tag_pos, "unknown ExecutionStatus variant");
	}
}

/* TransactionInfo::V0 (§4.9). */
static bool
decode_transaction_info(tx_decoder *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	bool		present;
	const uint8_t *cemetery;

	if (!read_variant(d, &tag, &tag_pos))
		return false;
	if (tag != 0)
		return fail_at(d, tag_pos, "unknown TransactionInfo variant");
	if (!bcs_u64(&d->c, &t->gas_used) ||
		!decode_execution_status(d, t) ||
		!bcs_fixed(&d->c, HASH_LEN, &t->tx_hash) ||
		!bcs_fixed(&d->c, HASH_LEN, &t->event_root_hash) ||
		!bcs_fixed(&d->c, HASH_LEN, &t->state_change_hash) ||
		!bcs_option(&d->c, &present))
		return false;
	if (present && !bcs_fixed(&d->c, HASH_LEN, &t->state_checkpoint_hash))
		return false;
	if (!bcs_option(&d->c, &present))
		return false;
	return !present || bcs_fixed(&d->c, HASH_LEN, &cemetery);
}

/* Transaction (§4.1). */
static bool
decode_transaction(tx_decoder *d, ff_tx *t)
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
			return skip_write_set_payload(d);
		case 2:
			t->kind = FF_TX_BLOCK_METADATA;
			return decode_block_metadata(d, t);
		case 3:
			t->kind = FF_TX_STATE_CHECKPOINT;
			return bcs_fixed(&d->c, HASH_LEN, &t->block_id);
		default:
			return fail_unsupported(d, tag_pos, tag, "Transaction variant not in the 0L fork");
	}
}

/* Run one tuple element's decoder and record the bytes it consumed. */
static bool
decode_element(tx_decoder *d, const char *section, ff_span *span,
			   bool (*fn) (tx_decoder *, ff_tx *), ff_tx *t)
{
	size_t		start = d->c.pos;

	d->section = section;
	if (!fn(d, t))
		return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

static bool
decode_events_element(tx_decoder *d, ff_tx *t)
{
	return walk_events(d, &t->event_count);
}

static bool
decode_write_set_element(tx_decoder *d, ff_tx *t)
{
	return walk_write_set(d, &t->write_count);
}

/*
 * Decode the Transaction and the TransactionInfo, then, for FF_TX_PART_RECORD, the events
 * and the write set with exact consumption of the record. FF_TX_PART_TRANSACTION: a bare
 * Transaction, consumed exactly.
 */
static ff_code
decode_record(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st, int part)
{
	tx_decoder	d;
	bool		ok;

	memset(out, 0, sizeof(*out));
	out->era = FF_ERA_V6;
	out->addr_len = ADDR;
	out->payload_kind = FF_PAYLOAD_NONE;
	out->authenticator = FF_AUTH_NONE;

	bcs_init(&d.c, rec, len);
	d.section = "record";
	d.unsupported = false;
	d.unsupported_tag = 0;
	d.st = st;
	d.nested_code = FF_OK;
	d.nested_offset = 0;

	ok = decode_element(&d, "Transaction", &out->transaction, decode_transaction, out);
	if (ok && part == FF_TX_PART_TRANSACTION)
	{
		if (bcs_at_end(&d.c))
			return FF_OK;
		d.section = "record";
		bcs_fail(&d.c, "trailing bytes after the Transaction");
		ok = false;
	}
	ok = ok && decode_element(&d, "TransactionInfo", &out->info, decode_transaction_info, out);
	if (ok)
	{
		out->rest = rest_of_record(&d);
		if (part != FF_TX_PART_RECORD)
			return FF_OK;
		ok = decode_element(&d, "events", &out->events, decode_events_element, out) &&
			decode_element(&d, "WriteSet", &out->write_set, decode_write_set_element, out);
		if (ok && bcs_at_end(&d.c))
			return FF_OK;
		if (ok)
		{
			d.section = "record";
			bcs_fail(&d.c, "trailing bytes after the WriteSet");
		}
	}

	if (d.nested_code != FF_OK)
	{
		char		what[sizeof(st->message)];

		memcpy(what, st->message, sizeof(what));
		st->offset = (int64_t) d.nested_offset;
		return ff_status_set(st, d.nested_code, "bad %s: %s", d.section, what);
	}
	st->offset = (int64_t) d.c.fail_pos;
	if (d.unsupported)
		return ff_status_set(st, FF_ERR_UNSUPPORTED, "bad %s: %s (tag %u)",
							 d.section, d.c.fail_what, d.unsupported_tag);
	return ff_status_set(st, FF_ERR_CORRUPT, "bad %s: %s", d.section,
						 d.c.fail_what ? d.c.fail_what : "decode failed");
}

ff_code
ff_tx_decode(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return decode_record(rec, len, out, st, FF_TX_PART_RECORD);
}

ff_code
ff_tx_decode_header(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return decode_record(rec, len, out, st, FF_TX_PART_HEADER);
}

/* The era entry points: v6 here, v4/v5 in legacy_tx.c. */
static ff_code
decode_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st, int part)
{
	switch (era)
	{
		case FF_ERA_V6:
			return decode_record(rec, len, out, st, part);
		case FF_ERA_V4:
		case FF_ERA_V5:
			return ff_tx_legacy_decode(era, rec, len, out, st, part);
		default:
			memset(out, 0, sizeof(*out));
			out->payload_kind = FF_PAYLOAD_NONE;
			out->authenticator = FF_AUTH_NONE;
			st->offset = 0;
			return ff_status_set(st, FF_ERR_UNSUPPORTED, "unknown transaction encoding (era)");
	}
}

ff_code
ff_tx_decode_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return decode_era(era, rec, len, out, st, FF_TX_PART_RECORD);
}

ff_code
ff_tx_decode_header_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return decode_era(era, rec, len, out, st, FF_TX_PART_HEADER);
}

ff_code
ff_tx_decode_transaction_era(ff_era era, const uint8_t *bytes, size_t len, ff_tx *out,
							 ff_status *st)
{
	return decode_era(era, bytes, len, out, st, FF_TX_PART_TRANSACTION);
}

/* Address length of a decoded transaction (32 when the view was not set by a decoder). */
static inline size_t
tx_addr_len(const ff_tx *tx)
{
	return tx->addr_len ? tx->addr_len : ADDR;
}

/*
 * One v4/v5 TransactionArgument at the cursor: the value after the tag (U8Vector without
 * its length; AddressVector with its count).
 */
static bool
next_legacy_script_arg(bcs_cursor *c, size_t addr_len, ff_span *value)
{
	static const uint8_t fixed_size[] = {1, 8, 16, 0, 0, 0, 1};
	uint32_t	tag;
	uint32_t	n;
	size_t		start;
	const uint8_t *p;

	if (!bcs_len(c, &tag) || tag >= sizeof(fixed_size))
		return false;
	switch (tag)
	{
		case 4:				/* U8Vector */
			return bcs_bytes(c, value);
		case 5:				/* AddressVector: the Vec<address> with its count */
			start = c->pos;
			if (!bcs_count(c, addr_len, &n) || !bcs_skip(c, (size_t) n * addr_len))
				return false;
			value->ptr = c->base + start;
			value->len = c->pos - start;
			return true;
		default:
			{
				size_t		size = tag == 3 ? addr_len : fixed_size[tag];

				if (!bcs_fixed(c, size, &p))
					return false;
				value->ptr = p;
				value->len = size;
				return true;
			}
	}
}

bool
ff_tx_next_arg(const ff_tx *tx, size_t *state, ff_span *value)
{
	bcs_cursor	c;

	if (tx->kind != FF_TX_USER || tx->args.ptr == NULL || *state >= tx->args.len)
		return false;
	bcs_init(&c, tx->args.ptr, tx->args.len);
	c.pos = *state;
	if (tx->payload_kind == FF_PAYLOAD_SCRIPT && (tx->era == FF_ERA_V4 || tx->era == FF_ERA_V5))
	{
		if (!next_legacy_script_arg(&c, tx_addr_len(tx), value))
			return false;
	}
	else if (tx->payload_kind == FF_PAYLOAD_SCRIPT)
	{
		/* TransactionArgument: value bytes after the tag; U8Vector without its length */
		static const uint8_t fixed_size[] = {1, 8, 16, 32, 0, 1, 2, 4, 32};
		uint32_t	tag;
		const uint8_t *p;

		if (!bcs_len(&c, &tag) || tag >= sizeof(fixed_size))
			return false;
		if (tag == 4)
		{
			if (!bcs_bytes(&c, value))
				return false;
		}
		else
		{
			if (!bcs_fixed(&c, fixed_size[tag], &p))
				return false;
			value->ptr = p;
			value->len = fixed_size[tag];
		}
	}
	else if (!bcs_bytes(&c, value))
		return false;
	*state = c.pos;
	return true;
}

bool
ff_tx_next_type_arg(const ff_tx *tx, size_t *state, ff_buf *out)
{
	bcs_cursor	c;

	if (tx->type_args.ptr == NULL || *state >= tx->type_args.len)
		return false;
	bcs_init(&c, tx->type_args.ptr, tx->type_args.len);
	c.pos = *state;
	if (!ff_render_type_tag(&c, tx_addr_len(tx), out))
		return false;
	*state = c.pos;
	return true;
}

const char *
ff_tx_kind_name(ff_tx_kind k)
{
	switch (k)
	{
		case FF_TX_USER:
			return "user";
		case FF_TX_GENESIS:
			return "genesis";
		case FF_TX_BLOCK_METADATA:
			return "block_metadata";
		case FF_TX_STATE_CHECKPOINT:
			return "state_checkpoint";
	}
	return NULL;
}

const char *
ff_payload_kind_name(ff_payload_kind k)
{
	switch (k)
	{
		case FF_PAYLOAD_NONE:
			return NULL;
		case FF_PAYLOAD_SCRIPT:
			return "script";
		case FF_PAYLOAD_MODULE_BUNDLE:
			return "module_bundle";
		case FF_PAYLOAD_ENTRY_FUNCTION:
			return "entry_function";
		case FF_PAYLOAD_MULTISIG:
			return "multisig";
		case FF_PAYLOAD_WRITE_SET:
			return "write_set";
		case FF_PAYLOAD_MODULE:
			return "module";
		case FF_PAYLOAD_SCRIPT_FUNCTION:
			return "script_function";
	}
	return NULL;
}

const char *
ff_auth_kind_name(ff_auth_kind k)
{
	switch (k)
	{
		case FF_AUTH_NONE:
			return NULL;
		case FF_AUTH_ED25519:
			return "ed25519";
		case FF_AUTH_MULTI_ED25519:
			return "multi_ed25519";
		case FF_AUTH_MULTI_AGENT:
			return "multi_agent";
		case FF_AUTH_FEE_PAYER:
			return "fee_payer";
	}
	return NULL;
}

const char *
ff_exec_status_name(ff_exec_status s)
{
	switch (s)
	{
		case FF_EXEC_SUCCESS:
			return "success";
		case FF_EXEC_OUT_OF_GAS:
			return "out_of_gas";
		case FF_EXEC_MOVE_ABORT:
			return "move_abort";
		case FF_EXEC_EXECUTION_FAILURE:
			return "execution_failure";
		case FF_EXEC_MISCELLANEOUS_ERROR:
			return "miscellaneous_error";
	}
	return NULL;
}
