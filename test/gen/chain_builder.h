/*
 * chain_builder.h — internal to the chain model (chain_model.c, chain_state.c,
 * user_txns.c): the generator state while the chain is built (PRNG, accounts
 * with their balances and coin type, event counters, the live state) and the
 * helpers that add events and write-set entries to the record being built.
 */
#ifndef FIXTUREGEN_CHAIN_BUILDER_H
#define FIXTUREGEN_CHAIN_BUILDER_H

#include "chain_model.h"
#include "gen_util.h"
#include "move_values.h"

#define ORDINARY_ACCOUNT_COUNT 8
#define VALIDATOR_POOL_SIZE 6

/* A module at an ordinary (non-special) address: exercises full AIP-40 rendering. */
#define DEMO_ADDRESS "0xd5ace598845d0c939b65cd944be80b01"
#define LIBRA_COIN "0x1::libra_coin::LibraCoin"
#define GAS_COIN "0x1::gas_coin::GasCoin"
#define COIN_STORE_LIBRA "0x1::coin::CoinStore<" LIBRA_COIN ">"
#define COIN_STORE_GAS "0x1::coin::CoinStore<" GAS_COIN ">"

/* Creation numbers of the event handles (the coin ones as in the test chain). */
#define CN_COIN_REGISTER 0
#define CN_KEY_ROTATION 1
#define CN_DEPOSIT 2
#define CN_WITHDRAW 3
#define CN_NEW_BLOCK 3			/* on 0x1 */
#define CN_NEW_EPOCH 2			/* on 0x1 */
#define CN_DIRECT_TRANSFER_CONFIG 5
#define CN_REGISTER_VALIDATOR 6
#define CN_SET_OPERATOR 7
#define CN_ROTATE_CONSENSUS_KEY 8
#define CN_JOIN_VALIDATOR_SET 9
#define CN_LEAVE_VALIDATOR_SET 10
#define CN_UPDATE_ADDRESSES 11
#define CN_DISTRIBUTE_REWARDS 12
#define CN_ORACLE_REWARDS 13		/* on 0x1 */
#define CN_DRIP 14				/* on 0x1 */
#define CN_EPOCH_INTERVAL 15	/* on 0x1 */
#define CN_PING 20

typedef struct event_counter
{
	uint8_t		account[ADDRESS_LEN];
	uint64_t	creation_number;
	uint64_t	next_sequence;
} event_counter;

/* An account known to the generator: sequence number, balance and coin type. */
typedef struct account_record
{
	uint8_t		address[ADDRESS_LEN];
	uint64_t	next_sequence;
	uint64_t	balance;
	bool		gas_coin;		/* CoinStore<GasCoin> with `frozen` (105 bytes), else LibraCoin (104) */
} account_record;

/* Latest write of every state key written so far (open addressing on the key bytes). */
typedef struct state_map
{
	const chain_write **slots;
	size_t		capacity;
	size_t		count;
} state_map;

typedef struct chain_builder
{
	chain_model *chain;
	gen_prng	prng;
	size_t		txn_capacity;
	uint8_t		accounts[ORDINARY_ACCOUNT_COUNT][ADDRESS_LEN];
	uint8_t		padded_account[ADDRESS_LEN];	/* v5-style 16-byte address */
	uint8_t		framework[ADDRESS_LEN];	/* 0x1 */
	uint8_t		special_sender[ADDRESS_LEN];	/* 0xa */
	event_counter *event_counters;
	size_t		event_counter_count;
	account_record *account_records;
	size_t		account_record_count;
	uint64_t	block_height;
	uint64_t	user_txn_count;
	uint64_t	timestamp_usecs;
	/* context of the current block */
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	block_timestamp_usecs;
	/* events and writes of the record being built */
	chain_event *events;
	size_t		event_count;
	size_t		event_capacity;
	chain_write *writes;
	size_t		write_count;
	size_t		write_capacity;
	state_map	state;
} chain_builder;

/* chain_model.c: records */
chain_txn  *new_txn(chain_builder *builder, txn_kind kind);
void		finish_record(chain_builder *builder, chain_txn *txn, byte_buf *transaction_bytes,
						  bool has_checkpoint);
account_record *account_get(chain_builder *builder, const uint8_t address[ADDRESS_LEN]);
uint64_t	next_account_sequence(chain_builder *builder, const uint8_t address[ADDRESS_LEN]);

/* chain_model.c: events (a type of FORMAT-transactions-v6v7.md §8, or any other type) */
void		emit_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
					   const char *type_text, const move_values *payload);
void		emit_unknown_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN],
							   uint64_t creation_number, const char *type_text, const uint8_t *data,
							   size_t len);
void		encode_event(byte_buf *out, const chain_event *event);

/* chain_model.c: write-set entries (a later write to the same key replaces an earlier one; the
 * entry returned is valid until the next write) */
chain_write *write_key(chain_builder *builder, state_key *key, write_op_kind kind, const uint8_t *value,
					  size_t value_len, const uint8_t payer[ADDRESS_LEN]);
chain_write *write_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN], const char *struct_text,
						   write_op_kind kind, const byte_buf *value);
void		write_random_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN],
								  const char *struct_text, write_op_kind kind);
void		write_coin_store(chain_builder *builder, const uint8_t account[ADDRESS_LEN], write_op_kind kind);
void		write_account(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t sequence_number,
						  write_op_kind kind);
/* Withdraw from `from`, deposit to `to` (events and both CoinStores, balances moved). */
void		transfer_effects(chain_builder *builder, const uint8_t from[ADDRESS_LEN],
							 const uint8_t to[ADDRESS_LEN], uint64_t amount, write_op_kind receiver_op);
void		encode_write_set(chain_builder *builder, byte_buf *out);

/* chain_state.c: state keys, the live state, snapshots */
void		key_resource(state_key *key, const uint8_t account[ADDRESS_LEN], const char *struct_text,
						 path_kind path);
void		key_code(state_key *key, const uint8_t account[ADDRESS_LEN], const char *module_name);
void		key_table_item(state_key *key, const char *handle_text, const uint8_t *item, size_t item_len);
void		key_raw(state_key *key, const uint8_t *bytes, size_t len);
void		state_key_free(state_key *key);
void		state_map_apply(state_map *map, const chain_write *writes, size_t count);
void		state_map_snapshot(const state_map *map, state_snapshot *out);
void		state_map_free(state_map *map);

/* user_txns.c */
void		build_user_txn(chain_builder *builder);

#endif
