/*
 * legacy_tx.c — decoder of the v4 and v5 transaction backup records: the v5 3-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>) and the v4 2-tuple (Transaction,
 * TransactionInfo), following FORMAT-epochs-state-legacy.md §8: 16-byte addresses,
 * HashValue as serde bytes (uleb 0x20 + 32), gas_currency_code in RawTransaction,
 * KeptVMStatus mapped onto ff_exec_status. Every byte is walked and validated; the result
 * is the same ff_tx view as the v6 decoder's (transaction.c), which dispatches here; the
 * steps the eras share are in tx_decoder.c.
 * Also the transaction hash, the era detection and the era-aware TypeTag walker.
 */
#include "chain/transaction.h"

#include <string.h>

#include "chain/hash.h"
#include "chain/render.h"
#include "chain/tx_decoder.h"

#define ADDR 16					/* AccountAddress before v6 */
#define HASH_LEN 32

/* Minimum encoded sizes, used to reject absurd sequence counts before looping. */
#define MIN_TYPE_TAG		1
#define MIN_WRITE			(ADDR + 1 + 1)	/* AccessPath { address, path bytes }, WriteOp tag */

/* HashValue: serde bytes of exactly 32. */
static bool
read_hash(ff_txd *d, const uint8_t **out)
{
	uint32_t	n;
	size_t		pos = d->c.pos;

	if (!bcs_len(&d->c, &n))
		return false;
	if (n != HASH_LEN)
		return ff_txd_fail_at(d, pos, "HashValue is not 32 bytes");
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

/* ------------------------------------------------------------------------------------ */
/* payloads                                                                              */

/* The write set of a Direct WriteSetPayload: Vec<(AccessPath, WriteOp)>. */
static bool
walk_write_set(ff_txd *d, uint32_t *writes)
{
	uint32_t	n;

	if (!bcs_count(&d->c, MIN_WRITE, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
	{
		ff_span		path,
					value;
		uint32_t	op;
		size_t		op_pos;

		if (!ff_txd_skip_address(d) || !bcs_bytes(&d->c, &path) ||
			!ff_txd_read_variant(d, &op, &op_pos))
			return false;
		if (op == 1)
		{
			if (!bcs_bytes(&d->c, &value))
				return false;
		}
		else if (op != 0)
			return ff_txd_fail_at(d, op_pos, "unknown WriteOp variant");
	}
	*writes = n;
	return true;
}

/* TransactionPayload: 0 WriteSet, 1 Script, 2 Module, 3 ScriptFunction (v5 only). */
static bool
decode_payload(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	writes;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->payload_kind = FF_PAYLOAD_WRITE_SET;
			return ff_txd_write_set_payload(d, walk_write_set, &writes);
		case 1:
			t->payload_kind = FF_PAYLOAD_SCRIPT;
			return ff_txd_script(d, t);
		case 2:
			t->payload_kind = FF_PAYLOAD_MODULE;
			return bcs_bytes(&d->c, &t->script_code);
		case 3:
			if (d->era != FF_ERA_V5)
				break;
			t->payload_kind = FF_PAYLOAD_SCRIPT_FUNCTION;
			return ff_txd_entry_function(d, t);
		default:
			break;
	}
	return ff_txd_fail_at(d, tag_pos, d->era == FF_ERA_V4 && tag == 3 ?
						  "TransactionPayload ScriptFunction not in v4" :
						  "unknown TransactionPayload variant");
}

/* ------------------------------------------------------------------------------------ */
/* authenticators, transactions                                                          */

/* TransactionAuthenticator: 0 Ed25519, 1 MultiEd25519, 2 MultiAgent (v5 only). */
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
		case 1:
			t->authenticator = tag == 0 ? FF_AUTH_ED25519 : FF_AUTH_MULTI_ED25519;
			return ff_skip_ed25519_auth(&d->c, tag == 1);
		case 2:
			if (d->era != FF_ERA_V5)
				return ff_txd_fail_at(d, tag_pos, "TransactionAuthenticator MultiAgent not in v4");
			t->authenticator = FF_AUTH_MULTI_AGENT;
			return ff_txd_multi_agent_body(d);
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown TransactionAuthenticator variant");
	}
}

/* BlockMetadata { id, round, timestamp_usecs, previous_block_votes, proposer }. */
static bool
decode_block_metadata(ff_txd *d, ff_tx *t)
{
	return read_hash(d, &t->block_id) &&
		bcs_u64(&d->c, &t->round) &&
		bcs_u64(&d->c, &t->timestamp_usecs) &&
		bcs_count(&d->c, ADDR, &t->vote_count) &&
		bcs_skip(&d->c, (size_t) t->vote_count * ADDR) &&
		ff_txd_read_address(d, &t->proposer);
}

/* Transaction: 0 UserTransaction, 1 GenesisTransaction, 2 BlockMetadata. */
static bool
decode_transaction(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:
			t->kind = FF_TX_USER;
			return ff_txd_signed_transaction(d, t, decode_payload, decode_authenticator);
		case 1:
			t->kind = FF_TX_GENESIS;
			return ff_txd_write_set_payload(d, walk_write_set, &t->write_count);
		case 2:
			t->kind = FF_TX_BLOCK_METADATA;
			return decode_block_metadata(d, t);
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown Transaction variant");
	}
}

/*
 * KeptVMStatus: 0 Executed, 1 OutOfGas, 2 MoveAbort(AbortLocation, u64),
 * 3 ExecutionFailure { location, function u16, code_offset u16 }, 4 MiscellaneousError.
 */
static bool
decode_kept_vm_status(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

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
			t->has_abort_code = true;
			return ff_txd_abort_location(d, t) && bcs_u64(&d->c, &t->abort_code);
		case 3:
			t->status = FF_EXEC_EXECUTION_FAILURE;
			return ff_txd_abort_location(d, t) &&
				bcs_u16(&d->c, &t->failure_function) &&
				bcs_u16(&d->c, &t->failure_code_offset);
		case 4:
			t->status = FF_EXEC_MISCELLANEOUS_ERROR;
			return true;
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown KeptVMStatus variant");
	}
}

/* TransactionInfo { transaction_hash, state_root_hash, event_root_hash, gas_used, status }. */
static bool
decode_transaction_info(ff_txd *d, ff_tx *t)
{
	return read_hash(d, &t->tx_hash) &&
		read_hash(d, &t->state_root_hash) &&
		read_hash(d, &t->event_root_hash) &&
		bcs_u64(&d->c, &t->gas_used) &&
		decode_kept_vm_status(d, t);
}

/* The v5 record: the 3-tuple (no write set); v4: the 2-tuple (no events either). */
static const ff_txd_layout v5_layout = {
	.era = FF_ERA_V5,
	.transaction = decode_transaction,
	.info = decode_transaction_info,
	.events = true,
	.write_set = NULL,
	.trailing = "trailing bytes after the events",
};
static const ff_txd_layout v4_layout = {
	.era = FF_ERA_V4,
	.transaction = decode_transaction,
	.info = decode_transaction_info,
	.events = false,
	.write_set = NULL,
	.trailing = "trailing bytes after the TransactionInfo",
};

ff_code
ff_tx_legacy_decode(ff_era era, const uint8_t *rec, size_t len, ff_tx *out, ff_status *st,
					int part)
{
	return ff_txd_decode_record(era == FF_ERA_V5 ? &v5_layout : &v4_layout,
								rec, len, out, st, part);
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
