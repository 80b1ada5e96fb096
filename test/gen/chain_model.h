/*
 * chain_model.h — the synthetic 0L v6/v7 chain: every transaction as the exact
 * BCS of its backup record (Transaction, TransactionInfo, events, write set)
 * plus a structured description from which the expected CSV is rendered, and
 * every epoch's ending LedgerInfoWithSignatures and waypoint.
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
	uint32_t	event_count;
	uint32_t	write_count;
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
} epoch_info;

typedef struct chain_model
{
	uint64_t	seed;
	uint8_t		chain_id;
	chain_txn  *txns;
	size_t		txn_count;
	epoch_info *epochs;			/* 0..epoch_count-1 */
	size_t		epoch_count;
	uint8_t		(*info_hashes)[HASH_LEN];	/* transaction accumulator leaves */
} chain_model;

/* Generates epochs 0..last_epoch. */
void		chain_generate(chain_model *chain, uint64_t seed, uint64_t last_epoch, uint8_t chain_id);
void		chain_free(chain_model *chain);
/* Epoch containing a version (epochs are contiguous). */
const epoch_info *chain_epoch_of(const chain_model *chain, uint64_t version);
const char *txn_kind_name(txn_kind kind);

#endif
