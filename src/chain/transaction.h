/*
 * transaction.h — decoder of one transaction backup record: the v6/v7 BCS 4-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>, WriteSet), and through the era entry
 * points the v5 3-tuple (Transaction, TransactionInfo, Vec<ContractEvent>) and the v4
 * 2-tuple (Transaction, TransactionInfo) (legacy_tx.c).
 * The result is a view into the record buffer: no allocation, valid while the buffer is.
 * The whole record is walked and validated (exact consumption); rendering of text is left
 * to the caller so that only requested columns cost anything.
 */
#ifndef FF_CHAIN_TRANSACTION_H
#define FF_CHAIN_TRANSACTION_H

#include "bcs/bcs.h"
#include "chain/era.h"
#include "common/buf.h"
#include "common/status.h"

#define FF_ADDR_LEN_V6 32

typedef enum ff_tx_kind
{
	FF_TX_USER = 0,				/* Transaction tag 0 */
	FF_TX_GENESIS = 1,			/* tag 1 */
	FF_TX_BLOCK_METADATA = 2,	/* tag 2 */
	FF_TX_STATE_CHECKPOINT = 3	/* tag 3 */
} ff_tx_kind;

typedef enum ff_payload_kind
{
	FF_PAYLOAD_NONE = -1,		/* not a user transaction */
	FF_PAYLOAD_SCRIPT = 0,
	FF_PAYLOAD_MODULE_BUNDLE = 1,
	FF_PAYLOAD_ENTRY_FUNCTION = 2,
	FF_PAYLOAD_MULTISIG = 3,
	/* v4/v5 (FORMAT-epochs-state-legacy.md §8.2) */
	FF_PAYLOAD_WRITE_SET = 4,	/* TransactionPayload::WriteSet(WriteSetPayload) */
	FF_PAYLOAD_MODULE = 5,		/* Module { code }: script_code holds the code */
	FF_PAYLOAD_SCRIPT_FUNCTION = 6	/* v5 ScriptFunction: like an entry function */
} ff_payload_kind;

typedef enum ff_auth_kind
{
	FF_AUTH_NONE = -1,
	FF_AUTH_ED25519 = 0,
	FF_AUTH_MULTI_ED25519 = 1,
	FF_AUTH_MULTI_AGENT = 2,
	FF_AUTH_FEE_PAYER = 3
} ff_auth_kind;

typedef enum ff_exec_status
{
	FF_EXEC_SUCCESS = 0,
	FF_EXEC_OUT_OF_GAS = 1,
	FF_EXEC_MOVE_ABORT = 2,
	FF_EXEC_EXECUTION_FAILURE = 3,
	FF_EXEC_MISCELLANEOUS_ERROR = 4
} ff_exec_status;

typedef struct ff_tx
{
	ff_tx_kind	kind;
	ff_era		era;			/* the encoding decoded: FF_ERA_V4, V5 or V6 */
	size_t		addr_len;		/* 32 (v6) or 16 (v4/v5): every address below has this length */

	/* the four tuple elements, exactly as stored (hash inputs) */
	ff_span		transaction;	/* BCS of Transaction, including its variant tag */
	ff_span		info;			/* BCS of TransactionInfo */
	ff_span		events;			/* BCS of Vec<ContractEvent>, including the count */
	ff_span		write_set;		/* BCS of WriteSet */
	ff_span		rest;			/* the bytes after the TransactionInfo (events + write set) */
	/* v4/v5 records have no write set (write_set empty) and v4 ones no events either */

	/* BlockMetadata (kind == FF_TX_BLOCK_METADATA); block_id also for StateCheckpoint */
	const uint8_t *block_id;	/* 32 bytes or NULL */
	uint64_t	epoch;			/* 0 for v4/v5: their BlockMetadata has no epoch */
	uint64_t	round;
	uint64_t	timestamp_usecs;
	const uint8_t *proposer;	/* 32 bytes */
	uint32_t	failed_proposer_count;
	uint32_t	vote_count;		/* v4/v5: previous_block_votes entries; 0 for v6 */

	/* UserTransaction (kind == FF_TX_USER); otherwise pointers NULL, kinds NONE */
	const uint8_t *sender;		/* 32 bytes */
	uint64_t	sequence_number;
	ff_payload_kind payload_kind;
	/*
	 * Function of an entry-function payload, or of a multisig payload that carries one;
	 * module_address NULL when there is none (script, module bundle, empty multisig).
	 */
	const uint8_t *module_address;
	ff_span		module_name;
	ff_span		function_name;
	const uint8_t *multisig_address;	/* Multisig payload only */
	/* type arguments: count, and the bytes of the TypeTags after the count */
	uint32_t	type_arg_count;
	ff_span		type_args;
	/*
	 * arguments: count, and the bytes after the count. For entry functions each argument
	 * is a BCS byte string (uleb length + value); for scripts each is a
	 * TransactionArgument (tag + value). Iterate with ff_tx_next_arg().
	 */
	uint32_t	arg_count;
	ff_span		args;
	ff_span		script_code;	/* Script payload: the code bytes (v4/v5 Module: the module) */
	uint32_t	module_count;	/* ModuleBundle: number of modules */
	uint64_t	max_gas_amount;
	uint64_t	gas_unit_price;
	uint64_t	expiration_timestamp_secs;
	uint8_t		chain_id;
	ff_span		gas_currency;	/* v4/v5 RawTransaction.gas_currency_code; len 0 for v6 */
	ff_auth_kind authenticator;

	/* TransactionInfo (every kind) */
	uint64_t	gas_used;
	ff_exec_status status;
	bool		has_abort_location;
	bool		abort_in_script;			/* AbortLocation::Script */
	const uint8_t *abort_module_address;	/* AbortLocation::Module */
	ff_span		abort_module_name;
	bool		has_abort_code;			/* MoveAbort code, or MiscellaneousError status code */
	uint64_t	abort_code;
	ff_span		abort_reason;			/* MoveAbort AbortInfo.reason_name; len 0 if none */
	ff_span		abort_description;		/* AbortInfo.description */
	uint16_t	failure_function;		/* ExecutionFailure */
	uint16_t	failure_code_offset;
	const uint8_t *tx_hash;				/* TransactionInfo.transaction_hash, 32 bytes */
	const uint8_t *event_root_hash;
	const uint8_t *state_change_hash;	/* NULL for v4/v5 */
	const uint8_t *state_checkpoint_hash;	/* NULL if None; NULL for v4/v5 */
	const uint8_t *state_root_hash;		/* v4/v5 TransactionInfo.state_root_hash; NULL for v6 */

	uint32_t	event_count;
	uint32_t	write_count;
} ff_tx;

/*
 * Decode one record. On failure returns FF_ERR_CORRUPT (or FF_ERR_UNSUPPORTED for a tag the
 * 0L fork does not have) with st->message saying what and st->offset the byte offset inside
 * the record; the caller adds the object and the record's offset in the object.
 * On failure *out is partly filled and must not be used; st->object is left alone.
 */
ff_code		ff_tx_decode(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st);

/*
 * Decode only the Transaction and the TransactionInfo (every field above, same checks and
 * messages); out->rest is the rest of the record, not validated, for ff_event_iter_init /
 * ff_write_iter_init (the events start it; the write set follows them). events, write_set,
 * event_count and write_count stay empty.
 */
ff_code		ff_tx_decode_header(const uint8_t *rec, size_t len, ff_tx *out, ff_status *st);

/*
 * The same for a record of the given era: FF_ERA_V6 is ff_tx_decode; FF_ERA_V5 decodes the
 * 3-tuple (Transaction, TransactionInfo, Vec<ContractEvent>), FF_ERA_V4 the 2-tuple
 * (Transaction, TransactionInfo), with the v4/v5 layouts of FORMAT-epochs-state-legacy.md
 * §8 (16-byte addresses, HashValue with its length prefix, KeptVMStatus mapped onto
 * ff_exec_status). Exact consumption, errors as for ff_tx_decode; FF_ERR_UNSUPPORTED for
 * FF_ERA_UNKNOWN. v4/v5: epoch 0, state_change_hash and state_checkpoint_hash NULL,
 * write_set empty, write_count = the entries of a genesis Direct ChangeSet; event_count the
 * v5 events (v4: 0).
 */
ff_code		ff_tx_decode_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out,
							 ff_status *st);

/* ff_tx_decode_header for a record of the given era (rest: v5 the events, v4 empty). */
ff_code		ff_tx_decode_header_era(ff_era era, const uint8_t *rec, size_t len, ff_tx *out,
									ff_status *st);

/*
 * Decode a bare Transaction of the given era (no record tuple around it, e.g. the "bytes"
 * of a v5 JSON-RPC transaction view), with exact consumption. out->transaction is the
 * whole input; the TransactionInfo fields stay empty (tx_hash NULL, status SUCCESS).
 */
ff_code		ff_tx_decode_transaction_era(ff_era era, const uint8_t *bytes, size_t len,
										 ff_tx *out, ff_status *st);

/* CryptoHash of a Transaction's BCS: SHA3-256(SHA3-256(domain(era) || "Transaction") || bytes). */
void		ff_tx_hash_compute(ff_era era, ff_span transaction, uint8_t out[32]);

/* True when the recomputed hash of tx->transaction equals tx->tx_hash (false if NULL). */
bool		ff_tx_hash_matches(const ff_tx *tx);

/*
 * The era of a record: the first of v6, v5, v4 whose layout decodes it with exact
 * consumption and whose recomputed transaction hash matches TransactionInfo's;
 * FF_ERA_UNKNOWN when none does.
 */
ff_era		ff_tx_detect_era(const uint8_t *rec, size_t len);

/*
 * Skip one TypeTag of the era's encoding: v6 tags 0-10 and 32-byte addresses (as
 * ff_skip_type_tag), v4/v5 tags 0-7 only and 16-byte addresses; same nesting limit.
 * Used by the transaction and event decoders.
 */
bool		ff_skip_type_tag_era(bcs_cursor *c, ff_era era);

/*
 * Shared by transaction.c and legacy_tx.c, not for other callers.
 * ff_tx_legacy_decode: the v4/v5 decoder behind the era entry points; part is one of
 * FF_TX_PART_*. ff_skip_ed25519_auth: an Ed25519 (multi false) or MultiEd25519 key and
 * signature pair, with diem-crypto's length rules (the same in every era).
 */
#define FF_TX_PART_TRANSACTION	0	/* a bare Transaction */
#define FF_TX_PART_HEADER		1	/* Transaction + TransactionInfo, rest unvalidated */
#define FF_TX_PART_RECORD		2	/* the whole record, exact consumption */
ff_code		ff_tx_legacy_decode(ff_era era, const uint8_t *rec, size_t len, ff_tx *out,
								ff_status *st, int part);
bool		ff_skip_ed25519_auth(bcs_cursor *c, bool multi);

/* Only the Transaction variant tag, from the first byte (no validation): -1 if empty. */
static inline int ff_tx_peek_kind(const uint8_t *rec, size_t len) { return len ? (int) rec[0] : -1; }

/*
 * Iterate the arguments of a decoded user transaction. *state starts at 0 and is advanced.
 * Entry function: *value is the argument's bytes (without their length prefix).
 * Script: *value is the TransactionArgument's value bytes without the variant tag
 * (u8 1 byte, u64 8, u128 16, address 32, u8vector its bytes, bool 1, u16 2, u32 4, u256 32).
 * v4/v5 (tx->era): entry function = ScriptFunction; script arguments 0 u8, 1 u64, 2 u128,
 * 3 address (16 bytes), 4 u8vector (its bytes), 5 AddressVector (the Vec<addr16> with its
 * count), 6 bool.
 * Returns false after the last argument.
 */
bool		ff_tx_next_arg(const ff_tx *tx, size_t *state, ff_span *value);

/*
 * Iterate the type arguments: renders the next one into out (ff_render_type_tag), appending
 * to what out holds (ff_buf_reset it first for one value per call);
 * returns false after the last (or when out of memory). *state starts at 0.
 */
bool		ff_tx_next_type_arg(const ff_tx *tx, size_t *state, ff_buf *out);

/* Text names used in the SQL columns. */
const char *ff_tx_kind_name(ff_tx_kind k);			/* user, genesis, block_metadata, state_checkpoint */
const char *ff_payload_kind_name(ff_payload_kind k);	/* entry_function, script, module_bundle, multisig,
														 * write_set, module, script_function; NULL for NONE */
const char *ff_auth_kind_name(ff_auth_kind k);		/* ed25519, multi_ed25519, multi_agent, fee_payer; NULL for NONE */
const char *ff_exec_status_name(ff_exec_status s);	/* success, out_of_gas, move_abort, execution_failure, miscellaneous_error */

#endif
