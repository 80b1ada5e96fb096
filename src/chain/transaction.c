/*
 * transaction.c — decoder of one v6/v7 transaction backup record, the BCS 4-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>, WriteSet), following
 * docs/FORMAT-transactions-v6v7.md §4. Every byte is walked and validated and the record
 * must be consumed exactly; the result is a view into the record (nothing is allocated).
 * The events and write sets (also the genesis ChangeSet's) go through the iterators of
 * event.c and state.c, the one parser of each; ff_tx_decode_header stops after the
 * TransactionInfo. The steps shared with the v4/v5 decoder are in tx_decoder.c.
 * Also the era entry points (v4/v5 records are decoded by legacy_tx.c), the iterators over
 * arguments and type arguments (all eras), and the SQL names of the enums.
 */
#include "chain/transaction.h"

#include <string.h>

#include "chain/render.h"
#include "chain/state.h"
#include "chain/tx_decoder.h"

#define HASH_LEN 32

/* Minimum encoded size of a module, used to reject absurd counts before looping. */
#define MIN_BYTES			1

/* Ed25519 / MultiEd25519 sizes (diem-crypto). */
#define ED25519_PUBLIC_KEY_LEN	32
#define ED25519_SIGNATURE_LEN	64
#define MULTI_ED25519_MAX_KEYS	32
#define MULTI_ED25519_BITMAP_LEN 4

/* TransactionPayload (§4.3). */
static bool
decode_payload(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->payload_kind = FF_PAYLOAD_SCRIPT;
			return ff_txd_script(d, t);
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
			return ff_txd_entry_function(d, t);
		case 3:
			{
				bool		present;
				uint32_t	inner;
				size_t		inner_pos;

				t->payload_kind = FF_PAYLOAD_MULTISIG;
				if (!ff_txd_read_address(d, &t->multisig_address) ||
					!bcs_option(&d->c, &present))
					return false;
				if (!present)
					return true;
				if (!ff_txd_read_variant(d, &inner, &inner_pos))
					return false;
				if (inner != 0)
					return ff_txd_fail_at(d, inner_pos,
										  "unknown MultisigTransactionPayload variant");
				return ff_txd_entry_function(d, t);
			}
		default:
			return ff_txd_fail_unsupported(d, tag_pos, tag,
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

/* TransactionAuthenticator (§4.5). */
static bool
decode_authenticator(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->authenticator = FF_AUTH_ED25519;
			return skip_ed25519_at(&d->c);
		case 1:
			t->authenticator = FF_AUTH_MULTI_ED25519;
			return skip_multi_ed25519_at(&d->c);
		case 2:
			t->authenticator = FF_AUTH_MULTI_AGENT;
			return ff_txd_multi_agent_body(d);
		case 3:
			t->authenticator = FF_AUTH_FEE_PAYER;
			return ff_txd_multi_agent_body(d) &&
				ff_txd_skip_address(d) &&
				ff_txd_account_authenticator(d);
		default:
			return ff_txd_fail_unsupported(d, tag_pos, tag,
										   "TransactionAuthenticator variant not in the 0L fork");
	}
}

/* BlockMetadata (§4.7). */
static bool
decode_block_metadata(ff_txd *d, ff_tx *t)
{
	ff_span		votes;

	return bcs_fixed(&d->c, HASH_LEN, &t->block_id) &&
		bcs_u64(&d->c, &t->epoch) &&
		bcs_u64(&d->c, &t->round) &&
		ff_txd_read_address(d, &t->proposer) &&
		bcs_bytes(&d->c, &votes) &&
		bcs_count(&d->c, 4, &t->failed_proposer_count) &&
		bcs_skip(&d->c, (size_t) t->failed_proposer_count * 4) &&
		bcs_u64(&d->c, &t->timestamp_usecs);
}

/* WriteSet (§4.12) at the cursor, validated by the write-set iterator. */
static bool
walk_write_set(ff_txd *d, uint32_t *count)
{
	size_t		base = d->c.pos;
	ff_write_iter it;
	ff_write	w;
	ff_code		code;

	ff_write_iter_init(&it, ff_txd_rest(d));
	while ((code = ff_write_next(&it, &w, d->st)) == FF_OK)
		;
	if (code != FF_EOF)
		return ff_txd_fail_nested(d, code, base);
	*count = it.count;
	return bcs_skip(&d->c, ff_write_iter_end(&it));
}

/* ExecutionStatus (§4.9). */
static bool
decode_execution_status(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	bool		present;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
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
			if (!ff_txd_abort_location(d, t) ||
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
			return ff_txd_abort_location(d, t) &&
				bcs_u16(&d->c, &t->failure_function) &&
				bcs_u16(&d->c, &t->failure_code_offset);
		case 4:
			t->status = FF_EXEC_MISCELLANEOUS_ERROR;
			if (!bcs_option(&d->c, &present))
				return false;
			t->has_abort_code = present;
			return !present || bcs_u64(&d->c, &t->abort_code);
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown ExecutionStatus variant");
	}
}

/* TransactionInfo::V0 (§4.9). */
static bool
decode_transaction_info(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	bool		present;
	const uint8_t *cemetery;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	if (tag != 0)
		return ff_txd_fail_at(d, tag_pos, "unknown TransactionInfo variant");
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
decode_transaction(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	writes;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->kind = FF_TX_USER;
			return ff_txd_signed_transaction(d, t, decode_payload, decode_authenticator);
		case 1:
			/* WriteSetPayload (§4.6): fills nothing in the view */
			t->kind = FF_TX_GENESIS;
			return ff_txd_write_set_payload(d, walk_write_set, &writes);
		case 2:
			t->kind = FF_TX_BLOCK_METADATA;
			return decode_block_metadata(d, t);
		case 3:
			t->kind = FF_TX_STATE_CHECKPOINT;
			return bcs_fixed(&d->c, HASH_LEN, &t->block_id);
		default:
			return ff_txd_fail_unsupported(d, tag_pos, tag,
										   "Transaction variant not in the 0L fork");
	}
}

static bool
decode_write_set_element(ff_txd *d, ff_tx *t)
{
	return walk_write_set(d, &t->write_count);
}

/* The v6/v7 record: the 4-tuple, exactly consumed. */
static const ff_txd_layout v6_layout = {
	.era = FF_ERA_V6,
	.transaction = decode_transaction,
	.info = decode_transaction_info,
	.events = true,
	.write_set = decode_write_set_element,
	.trailing = "trailing bytes after the WriteSet",
};

ff_code
ff_tx_decode(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return ff_txd_decode_record(&v6_layout, rec, len, out, st, FF_TX_PART_RECORD);
}

ff_code
ff_tx_decode_header(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st)
{
	return ff_txd_decode_record(&v6_layout, rec, len, out, st, FF_TX_PART_HEADER);
}

/* The era entry points: v6 here, v4/v5 in legacy_tx.c. */
static ff_code
decode_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st, int part)
{
	switch (era)
	{
		case FF_ERA_V6:
			return ff_txd_decode_record(&v6_layout, rec, len, out, st, part);
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
	return tx->addr_len ? tx->addr_len : FF_ADDR_LEN_V6;
}

bool
ff_tx_next_arg(const ff_tx *tx, size_t *state, ff_span *value)
{
	bcs_cursor	c;

	if (tx->kind != FF_TX_USER || tx->args.ptr == NULL || *state >= tx->args.len)
		return false;
	bcs_init(&c, tx->args.ptr, tx->args.len);
	c.pos = *state;
	/* script: a TransactionArgument of the era; entry function: bytes */
	if (tx->payload_kind == FF_PAYLOAD_SCRIPT ? !ff_txd_script_arg(&c, tx->era, value) :
		!bcs_bytes(&c, value))
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
