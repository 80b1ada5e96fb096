/*
 * transaction.h — decoder of one v6/v7 transaction backup record: the BCS 4-tuple
 * (Transaction, TransactionInfo, Vec<ContractEvent>, WriteSet).
 * The result is a view into the record buffer: no allocation, valid while the buffer is.
 * The whole record is walked and validated (exact consumption); rendering of text is left
 * to the caller so that only requested columns cost anything.
 */
#ifndef FF_CHAIN_TRANSACTION_H
#define FF_CHAIN_TRANSACTION_H

#include "bcs/bcs.h"
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
	FF_PAYLOAD_MULTISIG = 3
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

	/* the four tuple elements, exactly as stored (hash inputs) */
	ff_span		transaction;	/* BCS of Transaction, including its variant tag */
	ff_span		info;			/* BCS of TransactionInfo */
	ff_span		events;			/* BCS of Vec<ContractEvent>, including the count */
	ff_span		write_set;		/* BCS of WriteSet */
	ff_span		rest;			/* the bytes after the TransactionInfo (events + write set) */

	/* BlockMetadata (kind == FF_TX_BLOCK_METADATA); block_id also for StateCheckpoint */
	const uint8_t *block_id;	/* 32 bytes or NULL */
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	timestamp_usecs;
	const uint8_t *proposer;	/* 32 bytes */
	uint32_t	failed_proposer_count;

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
	ff_span		script_code;	/* Script payload: the code bytes */
	uint32_t	module_count;	/* ModuleBundle: number of modules */
	uint64_t	max_gas_amount;
	uint64_t	gas_unit_price;
	uint64_t	expiration_timestamp_secs;
	uint8_t		chain_id;
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
	const uint8_t *state_change_hash;
	const uint8_t *state_checkpoint_hash;	/* NULL if None */

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

/* Only the Transaction variant tag, from the first byte (no validation): -1 if empty. */
static inline int ff_tx_peek_kind(const uint8_t *rec, size_t len) { return len ? (int) rec[0] : -1; }

/*
 * Iterate the arguments of a decoded user transaction. *state starts at 0 and is advanced.
 * Entry function: *value is the argument's bytes (without their length prefix).
 * Script: *value is the TransactionArgument's value bytes without the variant tag
 * (u8 1 byte, u64 8, u128 16, address 32, u8vector its bytes, bool 1, u16 2, u32 4, u256 32).
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
const char *ff_payload_kind_name(ff_payload_kind k);	/* entry_function, script, module_bundle, multisig; NULL for NONE */
const char *ff_auth_kind_name(ff_auth_kind k);		/* ed25519, multi_ed25519, multi_agent, fee_payer; NULL for NONE */
const char *ff_exec_status_name(ff_exec_status s);	/* success, out_of_gas, move_abort, execution_failure, miscellaneous_error */

#endif
