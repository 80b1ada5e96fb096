/*
 * chain_model.h — the synthetic 0L v6/v7 chain: every transaction as the exact
 * BCS of its backup record (Transaction, TransactionInfo, events, write set)
 * plus a structured description from which the expected CSVs are rendered
 * (the transaction, its decoded transfer, each event with its decoded payload,
 * each write-set entry in write-set order with its state key parts), every
 * epoch's ending LedgerInfoWithSignatures and waypoint, and the state
 * snapshots taken at the end of every SNAPSHOT_EVERY-th epoch.
 *
 * The chain is generated epoch after epoch from one PRNG stream, so the chain
 * for N epochs is an exact prefix of the chain for N+1 epochs.
 */
#ifndef FIXTUREGEN_CHAIN_MODEL_H
#define FIXTUREGEN_CHAIN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen_hash.h"
#include "type_tag.h"

#define VALIDATOR_COUNT 4
#define BLS_KEY_LEN 48
#define BLS_SIG_LEN 96
#define SNAPSHOT_EVERY 10		/* a state snapshot ends epochs 10, 20, ... */

typedef enum txn_kind
{
	TXN_GENESIS,
	TXN_USER,
	TXN_BLOCK_METADATA,
	TXN_STATE_CHECKPOINT
} txn_kind;

/* Values are the BCS variant tags. */
typedef enum payload_kind
{
	PAYLOAD_SCRIPT = 0,
	PAYLOAD_MODULE_BUNDLE = 1,
	PAYLOAD_ENTRY_FUNCTION = 2,
	PAYLOAD_MULTISIG = 3
} payload_kind;

typedef enum authenticator_kind
{
	AUTH_ED25519 = 0,
	AUTH_MULTI_ED25519 = 1,
	AUTH_MULTI_AGENT = 2,
	AUTH_FEE_PAYER = 3
} authenticator_kind;

typedef enum status_kind
{
	STATUS_SUCCESS = 0,
	STATUS_OUT_OF_GAS = 1,
	STATUS_MOVE_ABORT = 2,
	STATUS_EXECUTION_FAILURE = 3,
	STATUS_MISCELLANEOUS_ERROR = 4
} status_kind;

typedef struct execution_status
{
	status_kind kind;
	/* MoveAbort / ExecutionFailure location */
	bool		location_is_script;
	uint8_t		location_address[ADDRESS_LEN];
	const char *location_module;
	/* MoveAbort */
	uint64_t	abort_code;
	const char *abort_reason;	/* NULL = AbortInfo None */
	const char *abort_description;
	/* ExecutionFailure */
	uint16_t	failure_function;
	uint16_t	failure_code_offset;
	/* MiscellaneousError */
	bool		has_status_code;
	uint64_t	status_code;
} execution_status;

typedef struct arg_value
{
	uint8_t    *data;
	size_t		len;
} arg_value;

/* StateKeyInner variant tags */
typedef enum state_key_kind
{
	STATE_KEY_ACCESS_PATH = 0,
	STATE_KEY_TABLE_ITEM = 1,
	STATE_KEY_RAW = 2
} state_key_kind;

/* Path variant tags (access paths only) */
typedef enum path_kind
{
	PATH_NONE = -1,
	PATH_CODE = 0,
	PATH_RESOURCE = 1,
	PATH_RESOURCE_GROUP = 2
} path_kind;

/* WriteOp variant tags */
typedef enum write_op_kind
{
	OP_CREATION = 0,
	OP_MODIFICATION = 1,
	OP_DELETION = 2,
	OP_CREATION_WITH_METADATA = 3,
	OP_MODIFICATION_WITH_METADATA = 4,
	OP_DELETION_WITH_METADATA = 5
} write_op_kind;

/* StateValueMetadata::V0 */
typedef struct state_metadata
{
	bool		present;
	uint8_t		payer[ADDRESS_LEN];
	uint64_t	deposit;
	uint64_t	creation_time_usecs;
} state_metadata;

typedef struct state_key
{
	uint8_t    *bcs;			/* BCS of the StateKey (variant tag included) */
	size_t		bcs_len;
	uint8_t		hash[HASH_LEN];	/* SHA3(seed("StateKey") || encode(key)): snapshot order */
	state_key_kind kind;
	path_kind	path;
	uint8_t		address[ADDRESS_LEN];	/* access path */
	char	   *resource;		/* struct tag text, or "0x1::coin" for a module; else NULL */
	uint8_t		table_handle[ADDRESS_LEN];	/* table item */
	uint8_t    *item;			/* table item key, or the raw key bytes */
	size_t		item_len;
} state_key;

/* One write-set entry. */
typedef struct chain_write
{
	state_key	key;
	write_op_kind op;
	bool		has_value;		/* not a deletion */
	uint8_t    *value;
	size_t		value_len;
	state_metadata metadata;	/* ops 3..5 */
	bool		has_balance;	/* a 0x1::coin::CoinStore<T> value: coin.value */
	uint64_t	balance;
} chain_write;

/* One ContractEvent::V0 of the record's event vector. */
typedef struct chain_event
{
	uint8_t		account[ADDRESS_LEN];
	uint64_t	creation_number;
	uint64_t	sequence_number;
	char	   *type_text;		/* display form */
	uint8_t    *data;
	size_t		data_len;
	bool		has_amount;		/* 0x1::coin::WithdrawEvent / DepositEvent */
	uint64_t	amount;
	char	   *decoded;		/* JSON with the Move field names; NULL = type unknown */
	const char *decoded_from;	/* "bytes" | "source" | NULL */
} chain_event;

typedef struct user_txn
{
	uint8_t		sender[ADDRESS_LEN];
	uint64_t	sequence_number;
	payload_kind payload;
	bool		has_function;
	uint8_t		function_address[ADDRESS_LEN];
	const char *function_module;
	const char *function_name;
	type_tag  **type_args;
	size_t		type_arg_count;
	arg_value  *args;			/* bytes as the args column shows them */
	size_t		arg_count;
	uint64_t	max_gas_amount;
	uint64_t	gas_unit_price;
	uint64_t	expiration_timestamp_secs;
	uint8_t		chain_id;
	authenticator_kind authenticator;
	/* decoded arguments (FORMAT-transactions-v6v7.md §9); only when they match the signature */
	bool		has_recipient;
	uint8_t		recipient[ADDRESS_LEN];
	bool		has_amount;
	uint64_t	amount;
	char	   *args_decoded;	/* JSON keyed by parameter names; NULL = not decoded */
} user_txn;

typedef struct chain_txn
{
	uint64_t	version;
	txn_kind	kind;
	uint64_t	epoch;			/* of the nearest preceding BlockMetadata */
	uint64_t	round;
	uint64_t	block_timestamp_usecs;
	uint8_t		tx_hash[HASH_LEN];
	uint8_t		info_hash[HASH_LEN];
	uint64_t	gas_used;
	execution_status status;
	user_txn   *user;			/* TXN_USER only */
	uint8_t		proposer[ADDRESS_LEN];	/* TXN_BLOCK_METADATA only */
	bool		is_reconfiguration;
	bool		has_checkpoint;	/* TransactionInfo.state_checkpoint_hash is Some */
	uint8_t		checkpoint_hash[HASH_LEN];
	uint32_t	event_count;
	uint32_t	write_count;
	chain_event *events;		/* event_count, in record order */
	chain_write *writes;		/* write_count, in write-set (key byte) order */
	uint8_t    *record;			/* BCS of the 4-tuple, without framing */
	size_t		record_len;
	size_t		transaction_len;	/* the first record_len bytes: bcs(Transaction) */
} chain_txn;

typedef struct validator_info
{
	uint8_t		address[ADDRESS_LEN];
	uint8_t		bls_public_key[BLS_KEY_LEN];
	uint64_t	voting_power;
} validator_info;

typedef struct epoch_info
{
	uint64_t	epoch;
	uint64_t	first_version;
	uint64_t	last_version;
	uint64_t	end_timestamp_usecs;
	uint8_t    *ledger_info;	/* BCS LedgerInfoWithSignatures ending the epoch */
	size_t		ledger_info_len;
	char		waypoint[24 + 1 + 2 * HASH_LEN + 1];	/* "version:hex" */
	validator_info validators[VALIDATOR_COUNT];	/* the set that runs this epoch */
	/* the ledger info's fields */
	uint64_t	round;
	uint8_t		block_id[HASH_LEN];
	uint8_t		root_hash[HASH_LEN];	/* executed_state_id */
	validator_info next_validators[VALIDATOR_COUNT];	/* next_epoch_state: runs epoch + 1 */
	unsigned	signer_count;	/* bits set in the validator bitmask */
} epoch_info;

/* Every live state key after `version`, with its latest write, sorted by key hash. */
typedef struct state_snapshot
{
	uint64_t	epoch;
	uint64_t	version;		/* last version of `epoch` */
	uint8_t		root_hash[HASH_LEN];	/* state_checkpoint_hash of that version */
	const chain_write **items;	/* point into chain_txn.writes */
	size_t		count;
} state_snapshot;

typedef struct chain_model
{
	uint64_t	seed;
	uint8_t		chain_id;
	chain_txn  *txns;
	size_t		txn_count;
	epoch_info *epochs;			/* 0..epoch_count-1 */
	size_t		epoch_count;
	uint8_t		(*info_hashes)[HASH_LEN];	/* transaction accumulator leaves */
	state_snapshot *snapshots;	/* in epoch order */
	size_t		snapshot_count;
} chain_model;

/* Generates epochs 0..last_epoch. */
void		chain_generate(chain_model *chain, uint64_t seed, uint64_t last_epoch, uint8_t chain_id);
void		chain_free(chain_model *chain);
/* Epoch containing a version (epochs are contiguous). */
const epoch_info *chain_epoch_of(const chain_model *chain, uint64_t version);
const char *txn_kind_name(txn_kind kind);
/* BCS of the StateValue a snapshot record holds for this write (V0 or WithMetadata). */
void		state_value_bcs(byte_buf *out, const chain_write *write);

#endif
