/*
 * legacy_model.h — the synthetic v4 (Libra 1.x, LIBRA:: domain) and v5 (Diem 1.2/1.3,
 * DIEM:: domain) chain: every transaction as the exact BCS of its backup record (v4
 * (Transaction, TransactionInfo), v5 (Transaction, TransactionInfo, Vec<ContractEvent>)), with
 * a structured description for the expected CSVs; the epoch-ending LedgerInfoWithSignatures
 * (Ed25519 signature map, quorum and total voting power) with waypoints; and the account-state
 * snapshots ((HashValue, AccountStateBlob) records) taken at the end of every 10th epoch with
 * their state.proof.  FORMAT-epochs-state-legacy.md §1, §4.2, §4.3, §5, §7, §8.
 *
 * Like the v6 model, the chain for N epochs is an exact prefix of the chain for N+1 epochs.
 */
#ifndef FIXTUREGEN_LEGACY_MODEL_H
#define FIXTUREGEN_LEGACY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain_model.h"

#define ADDR16 16
#define LEGACY_VALIDATOR_COUNT 4
#define LEGACY_SNAPSHOT_EVERY 10

typedef enum legacy_era
{
	LEGACY_V4 = 4,
	LEGACY_V5 = 5
} legacy_era;

/* One v5 ContractEvent of a record. */
typedef struct legacy_event
{
	uint64_t	creation_number;
	uint8_t		address[ADDR16];
	uint64_t	sequence_number;
	char	   *type_text;		/* display form (short rule for 0x1) */
	uint8_t    *data;
	size_t		data_len;
	bool		has_amount;		/* Sent/ReceivedPaymentEvent */
	uint64_t	amount;
	char	   *decoded;		/* JSON; NULL for other types */
} legacy_event;

typedef struct legacy_txn
{
	uint64_t	version;
	txn_kind	kind;			/* TXN_GENESIS, TXN_USER or TXN_BLOCK_METADATA */
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	block_timestamp_usecs;
	uint8_t		tx_hash[HASH_LEN];
	uint8_t		state_root_hash[HASH_LEN];
	uint8_t		info_hash[HASH_LEN];
	uint64_t	gas_used;
	status_kind status;			/* KeptVMStatus tag = the v6 status_kind numbering */
	bool		location_is_script;
	char	   *location_module;	/* "0x1::Module" */
	uint64_t	abort_code;
	/* user transactions */
	uint8_t		sender[ADDR16];
	uint64_t	sequence_number;
	const char *payload_kind;	/* script | script_function | module | write_set */
	char	   *function;		/* script_function only: "0x1::Module::name" */
	char	  **type_args;		/* rendered */
	size_t		type_arg_count;
	arg_value  *args;
	size_t		arg_count;
	uint64_t	max_gas_amount;
	uint64_t	gas_unit_price;
	uint64_t	expiration_timestamp_secs;
	uint8_t		chain_id;
	const char *authenticator;	/* ed25519 | multi_ed25519 | multi_agent */
	/* block metadata */
	uint8_t		proposer[ADDR16];
	uint32_t	write_count;	/* genesis Direct write set entries */
	legacy_event *events;		/* v5 record events */
	uint32_t	event_count;
	uint8_t    *record;			/* BCS of the tuple, no framing */
	size_t		record_len;
	size_t		info_offset;	/* the TransactionInfo inside record */
	size_t		info_len;
} legacy_txn;

typedef struct legacy_validator
{
	uint8_t		address[ADDR16];
	uint8_t		public_key[32];
	uint64_t	voting_power;
} legacy_validator;

typedef struct legacy_epoch
{
	uint64_t	epoch;
	uint64_t	first_version;
	uint64_t	last_version;
	uint64_t	end_timestamp_usecs;
	uint64_t	round;
	uint8_t		block_id[HASH_LEN];
	uint8_t		root_hash[HASH_LEN];	/* executed_state_id */
	legacy_validator next_validators[LEGACY_VALIDATOR_COUNT];	/* sorted by address */
	uint64_t	quorum_voting_power;
	uint64_t	total_voting_power;
	unsigned	signer_count;
	uint8_t    *ledger_info;
	size_t		ledger_info_len;
	char		waypoint[24 + 1 + 2 * HASH_LEN + 1];
} legacy_epoch;

/* One entry of an AccountStateBlob. */
typedef struct legacy_resource
{
	uint8_t    *access_key;
	size_t		access_key_len;
	uint8_t    *value;
	size_t		value_len;
	char	   *name;			/* type name as the FDW shows it; NULL = unknown v4 type */
	bool		has_balance;
	uint64_t	balance;
} legacy_resource;

typedef struct legacy_account
{
	uint8_t		key_hash[HASH_LEN];
	bool		has_address;	/* the account has an account resource */
	uint8_t		address[ADDR16];
	legacy_resource *resources;	/* sorted by access_key bytes */
	size_t		resource_count;
	uint8_t    *record;			/* 0x20 || key_hash || blob bytes (no framing) */
	size_t		record_len;
} legacy_account;

typedef struct legacy_snapshot
{
	uint64_t	epoch;
	uint64_t	version;
	uint8_t		root_hash[HASH_LEN];	/* state_root_hash of that version's TransactionInfo */
	legacy_account *accounts;	/* sorted by key_hash */
	size_t		account_count;
	uint8_t    *proof;			/* state.proof bytes */
	size_t		proof_len;
} legacy_snapshot;

typedef struct legacy_chain
{
	legacy_era	era;
	const char *domain;			/* "LIBRA::" or "DIEM::" */
	const char *framework;		/* "v4" or "v5" */
	uint64_t	seed;
	uint8_t		chain_id;
	legacy_txn *txns;
	size_t		txn_count;
	uint8_t		(*info_hashes)[HASH_LEN];
	legacy_epoch *epochs;
	size_t		epoch_count;
	legacy_snapshot *snapshots;
	size_t		snapshot_count;
} legacy_chain;

void		legacy_generate(legacy_chain *chain, legacy_era era, uint64_t seed, uint64_t last_epoch,
							uint8_t chain_id);
void		legacy_free(legacy_chain *chain);
const legacy_epoch *legacy_epoch_of(const legacy_chain *chain, uint64_t version);
/* "0x" + 32 lowercase hex (the FDW never shortens a 16-byte address column) */
void		addr16_render(byte_buf *out, const uint8_t address[ADDR16]);

#endif
