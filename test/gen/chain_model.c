/*
 * chain_model.c — generates the synthetic chain: genesis, blocks
 * (BlockMetadata, user transactions, StateCheckpoint), reconfigurations,
 * their exact record bytes with correct TransactionInfo hashes, and the
 * epoch-ending ledger infos with their waypoints.
 */
#include "chain_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "gen_util.h"

#define ORDINARY_ACCOUNT_COUNT 8
#define VALIDATOR_POOL_SIZE 6
#define FIRST_BLOCK_TIMESTAMP_USECS UINT64_C(1700000000000000)
#define USER_CASE_COUNT 13

/* A module at an ordinary (non-special) address: exercises full AIP-40 rendering. */
#define DEMO_ADDRESS "0xd5ace598845d0c939b65cd944be80b01"
#define LIBRA_COIN "0x1::libra_coin::LibraCoin"
#define COIN_STORE "0x1::coin::CoinStore<0x1::libra_coin::LibraCoin>"
#define VOUCH_TABLE_HANDLE "0xfc07a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c0108"

typedef struct event_counter
{
	uint8_t		account[ADDRESS_LEN];
	uint64_t	creation_number;
	uint64_t	next_sequence;
} event_counter;

typedef struct account_counter
{
	uint8_t		account[ADDRESS_LEN];
	uint64_t	next_sequence;
} account_counter;

typedef struct write_entry
{
	uint8_t    *key;
	size_t		key_len;
	uint8_t    *op;
	size_t		op_len;
} write_entry;

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
	account_counter *account_counters;
	size_t		account_counter_count;
	uint64_t	block_height;
	uint64_t	user_txn_count;
	uint64_t	timestamp_usecs;
	/* context of the current block */
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	block_timestamp_usecs;
	/* pieces of the record being built */
	byte_buf	events;
	uint32_t	event_count;
	uint8_t		(*event_leaves)[HASH_LEN];
	size_t		event_leaf_capacity;
	write_entry *writes;
	size_t		write_count;
	size_t		write_capacity;
} chain_builder;

const char *
txn_kind_name(txn_kind kind)
{
	switch (kind)
	{
		case TXN_GENESIS:
			return "genesis";
		case TXN_USER:
			return "user";
		case TXN_BLOCK_METADATA:
			return "block_metadata";
		case TXN_STATE_CHECKPOINT:
			return "state_checkpoint";
	}
	return "?";
}

/* ------------------------------------------------------------------------- */
/* counters */

static uint64_t
next_event_sequence(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number)
{
	for (size_t i = 0; i < builder->event_counter_count; i++)
	{
		event_counter *counter = &builder->event_counters[i];

		if (counter->creation_number == creation_number &&
			memcmp(counter->account, account, ADDRESS_LEN) == 0)
			return counter->next_sequence++;
	}
	builder->event_counters = gen_realloc(builder->event_counters,
										  (builder->event_counter_count + 1) * sizeof(event_counter));
	memcpy(builder->event_counters[builder->event_counter_count].account, account, ADDRESS_LEN);
	builder->event_counters[builder->event_counter_count].creation_number = creation_number;
	builder->event_counters[builder->event_counter_count].next_sequence = 1;
	builder->event_counter_count++;
	return 0;
}

static uint64_t
peek_event_count(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number)
{
	for (size_t i = 0; i < builder->event_counter_count; i++)
		if (builder->event_counters[i].creation_number == creation_number &&
			memcmp(builder->event_counters[i].account, account, ADDRESS_LEN) == 0)
			return builder->event_counters[i].next_sequence;
	return 0;
}

static uint64_t
next_account_sequence(chain_builder *builder, const uint8_t account[ADDRESS_LEN])
{
	for (size_t i = 0; i < builder->account_counter_count; i++)
		if (memcmp(builder->account_counters[i].account, account, ADDRESS_LEN) == 0)
			return builder->account_counters[i].next_sequence++;
	builder->account_counters = gen_realloc(builder->account_counters,
											(builder->account_counter_count + 1) * sizeof(account_counter));
	memcpy(builder->account_counters[builder->account_counter_count].account, account, ADDRESS_LEN);
	builder->account_counters[builder->account_counter_count].next_sequence = 1;
	builder->account_counter_count++;
	return 0;
}

/* ------------------------------------------------------------------------- */
/* events and write sets of the record being built */

static void
record_reset(chain_builder *builder)
{
	buf_reset(&builder->events);
	builder->event_count = 0;
	for (size_t i = 0; i < builder->write_count; i++)
	{
		free(builder->writes[i].key);
		free(builder->writes[i].op);
	}
	builder->write_count = 0;
}

/* BCS of ContractEvent::V0 appended to out; its hash to leaf (if not NULL). */
static void
encode_event(byte_buf *out, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
			 uint64_t sequence_number, const char *type_text, const uint8_t *data, size_t len,
			 uint8_t *leaf)
{
	byte_buf	event;
	type_tag   *tag = type_tag_parse(type_text);

	buf_init(&event);
	bcs_uleb128(&event, 0);		/* ContractEvent::V0 */
	bcs_u64(&event, creation_number);
	bcs_fixed(&event, account, ADDRESS_LEN);
	bcs_u64(&event, sequence_number);
	type_tag_bcs(&event, tag);
	bcs_bytes(&event, data, len);
	if (leaf != NULL)
		diem_hash("ContractEvent", event.data, event.len, leaf);
	buf_append(out, event.data, event.len);
	buf_free(&event);
	type_tag_free(tag);
}

static void
emit_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
		   const char *type_text, const byte_buf *data)
{
	uint64_t	sequence = next_event_sequence(builder, account, creation_number);

	if (builder->event_count == builder->event_leaf_capacity)
	{
		builder->event_leaf_capacity = builder->event_leaf_capacity ? builder->event_leaf_capacity * 2 : 8;
		builder->event_leaves = gen_realloc(builder->event_leaves, builder->event_leaf_capacity * HASH_LEN);
	}
	encode_event(&builder->events, account, creation_number, sequence, type_text,
				 data->data, data->len, builder->event_leaves[builder->event_count]);
	builder->event_count++;
}

static void
emit_u64_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
			   const char *type_text, uint64_t value)
{
	byte_buf	data;

	buf_init(&data);
	bcs_u64(&data, value);
	emit_event(builder, account, creation_number, type_text, &data);
	buf_free(&data);
}

/* Takes ownership of key and op; a later write to the same key replaces it. */
static void
add_write(chain_builder *builder, byte_buf *key, byte_buf *op)
{
	write_entry entry;

	entry.key = buf_take(key, &entry.key_len);
	entry.op = buf_take(op, &entry.op_len);
	for (size_t i = 0; i < builder->write_count; i++)
	{
		write_entry *existing = &builder->writes[i];

		if (existing->key_len == entry.key_len && memcmp(existing->key, entry.key, entry.key_len) == 0)
		{
			free(existing->key);
			free(existing->op);
			*existing = entry;
			return;
		}
	}
	if (builder->write_count == builder->write_capacity)
	{
		builder->write_capacity = builder->write_capacity ? builder->write_capacity * 2 : 8;
		builder->writes = gen_realloc(builder->writes, builder->write_capacity * sizeof(write_entry));
	}
	builder->writes[builder->write_count++] = entry;
}

static int
compare_write_keys(const void *left_ptr, const void *right_ptr)
{
	const write_entry *left = left_ptr;
	const write_entry *right = right_ptr;
	size_t		common = left->key_len < right->key_len ? left->key_len : right->key_len;
	int			cmp = memcmp(left->key, right->key, common);

	if (cmp != 0)
		return cmp;
	return (left->key_len > right->key_len) - (left->key_len < right->key_len);
}

/* WriteSet::V0 with the BTreeMap in increasing key-byte order. */
static void
encode_write_set(chain_builder *builder, byte_buf *out)
{
	qsort(builder->writes, builder->write_count, sizeof(write_entry), compare_write_keys);
	bcs_uleb128(out, 0);
	bcs_uleb128(out, (uint32_t) builder->write_count);
	for (size_t i = 0; i < builder->write_count; i++)
	{
		buf_append(out, builder->writes[i].key, builder->writes[i].key_len);
		buf_append(out, builder->writes[i].op, builder->writes[i].op_len);
	}
}

/* StateKey::AccessPath with Path::Resource(struct) / Path::ResourceGroup(struct) */
static void
key_resource_path(byte_buf *key, const uint8_t account[ADDRESS_LEN], const char *struct_text, int path_tag)
{
	byte_buf	path;
	struct_tag *tag = struct_tag_parse(struct_text);

	buf_init(&path);
	bcs_uleb128(&path, (uint32_t) path_tag);
	struct_tag_bcs(&path, tag);
	bcs_uleb128(key, 0);
	bcs_fixed(key, account, ADDRESS_LEN);
	bcs_bytes(key, path.data, path.len);
	buf_free(&path);
	struct_tag_free(tag);
}

/* StateKey::AccessPath with Path::Code(ModuleId) */
static void
key_code(byte_buf *key, const uint8_t account[ADDRESS_LEN], const char *module_name)
{
	byte_buf	path;

	buf_init(&path);
	bcs_uleb128(&path, 0);
	bcs_fixed(&path, account, ADDRESS_LEN);
	bcs_str(&path, module_name);
	bcs_uleb128(key, 0);
	bcs_fixed(key, account, ADDRESS_LEN);
	bcs_bytes(key, path.data, path.len);
	buf_free(&path);
}

/* StateKey::TableItem */
static void
key_table_item(byte_buf *key, const char *handle_text, const uint8_t *item_key, size_t item_key_len)
{
	uint8_t		handle[ADDRESS_LEN];

	address_parse(handle_text, handle);
	bcs_uleb128(key, 1);
	bcs_fixed(key, handle, ADDRESS_LEN);
	bcs_bytes(key, item_key, item_key_len);
}

typedef enum write_op_kind
{
	OP_CREATION = 0,
	OP_MODIFICATION = 1,
	OP_DELETION = 2,
	OP_CREATION_WITH_METADATA = 3,
	OP_MODIFICATION_WITH_METADATA = 4,
	OP_DELETION_WITH_METADATA = 5
} write_op_kind;

static void
encode_write_op(chain_builder *builder, byte_buf *op, write_op_kind kind, const byte_buf *value,
				const uint8_t payer[ADDRESS_LEN])
{
	bcs_uleb128(op, (uint32_t) kind);
	if (kind != OP_DELETION && kind != OP_DELETION_WITH_METADATA)
		bcs_bytes(op, value->data, value->len);
	if (kind >= OP_CREATION_WITH_METADATA)
	{
		bcs_uleb128(op, 0);		/* StateValueMetadata::V0 */
		bcs_fixed(op, payer, ADDRESS_LEN);
		bcs_u64(op, prng_range(&builder->prng, 1000, 50000));	/* deposit */
		bcs_u64(op, builder->block_timestamp_usecs);	/* creation_time_usecs */
	}
}

static void
write_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN], const char *struct_text,
			   write_op_kind kind, const byte_buf *value)
{
	byte_buf	key;
	byte_buf	op;

	buf_init(&key);
	buf_init(&op);
	key_resource_path(&key, account, struct_text, 1);
	encode_write_op(builder, &op, kind, value, account);
	add_write(builder, &key, &op);
}

static void
write_random_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN],
					  const char *struct_text, write_op_kind kind)
{
	byte_buf	value;
	uint8_t		random_bytes[64];
	size_t		len = (size_t) prng_range(&builder->prng, 8, sizeof(random_bytes));

	buf_init(&value);
	prng_bytes(&builder->prng, random_bytes, len);
	buf_append(&value, random_bytes, len);
	write_resource(builder, account, struct_text, kind, &value);
	buf_free(&value);
}

static void
encode_event_handle(byte_buf *out, uint64_t counter, uint64_t creation_number,
					const uint8_t account[ADDRESS_LEN])
{
	bcs_u64(out, counter);
	bcs_u64(out, creation_number);
	bcs_fixed(out, account, ADDRESS_LEN);
}

/* 0x1::coin::CoinStore<LibraCoin>{coin, frozen, deposit_events, withdraw_events} */
static void
write_coin_store(chain_builder *builder, const uint8_t account[ADDRESS_LEN], write_op_kind kind)
{
	byte_buf	value;

	buf_init(&value);
	bcs_u64(&value, prng_range(&builder->prng, 0, UINT64_C(100000000000)));
	bcs_bool(&value, 0);
	encode_event_handle(&value, peek_event_count(builder, account, 2), 2, account);
	encode_event_handle(&value, peek_event_count(builder, account, 3), 3, account);
	write_resource(builder, account, COIN_STORE, kind, &value);
	buf_free(&value);
}

/* 0x1::account::Account with the sender's sequence number */
static void
write_account(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t sequence_number,
			  write_op_kind kind)
{
	byte_buf	value;

	buf_init(&value);
	bcs_bytes(&value, account, ADDRESS_LEN);
	bcs_u64(&value, sequence_number);
	bcs_u64(&value, 4);
	encode_event_handle(&value, 0, 0, account);
	encode_event_handle(&value, 0, 1, account);
	bcs_uleb128(&value, 0);
	bcs_uleb128(&value, 0);
	write_resource(builder, account, "0x1::account::Account", kind, &value);
	buf_free(&value);
}

/* ------------------------------------------------------------------------- */
/* finishing a record */

static void
encode_status(byte_buf *out, const execution_status *status)
{
	bcs_uleb128(out, (uint32_t) status->kind);
	if (status->kind == STATUS_MOVE_ABORT || status->kind == STATUS_EXECUTION_FAILURE)
	{
		if (status->location_is_script)
			bcs_uleb128(out, 1);
		else
		{
			bcs_uleb128(out, 0);
			bcs_fixed(out, status->location_address, ADDRESS_LEN);
			bcs_str(out, status->location_module);
		}
	}
	if (status->kind == STATUS_MOVE_ABORT)
	{
		bcs_u64(out, status->abort_code);
		if (status->abort_reason == NULL)
			bcs_u8(out, 0);
		else
		{
			bcs_u8(out, 1);
			bcs_str(out, status->abort_reason);
			bcs_str(out, status->abort_description);
		}
	}
	else if (status->kind == STATUS_EXECUTION_FAILURE)
	{
		bcs_u16(out, status->failure_function);
		bcs_u16(out, status->failure_code_offset);
	}
	else if (status->kind == STATUS_MISCELLANEOUS_ERROR)
	{
		bcs_u8(out, status->has_status_code ? 1 : 0);
		if (status->has_status_code)
			bcs_u64(out, status->status_code);
	}
}

/*
 * Appends the record for txn to the chain: transaction bytes (consumed),
 * TransactionInfo with its hashes, the events and write set built so far.
 */
static void
finish_record(chain_builder *builder, chain_txn *txn, byte_buf *transaction_bytes, bool has_checkpoint)
{
	chain_model *chain = builder->chain;
	byte_buf	info;
	byte_buf	write_set;
	byte_buf	record;
	uint8_t		event_root[HASH_LEN];
	uint8_t		state_change_hash[HASH_LEN];
	uint8_t		checkpoint_hash[HASH_LEN];

	buf_init(&info);
	buf_init(&write_set);
	buf_init(&record);
	encode_write_set(builder, &write_set);
	diem_hash("Transaction", transaction_bytes->data, transaction_bytes->len, txn->tx_hash);
	diem_hash("WriteSet", write_set.data, write_set.len, state_change_hash);
	accumulator_root("EventAccumulator", (const uint8_t (*)[HASH_LEN]) builder->event_leaves,
					 builder->event_count, event_root);

	bcs_uleb128(&info, 0);		/* TransactionInfo::V0 */
	bcs_u64(&info, txn->gas_used);
	encode_status(&info, &txn->status);
	bcs_fixed(&info, txn->tx_hash, HASH_LEN);
	bcs_fixed(&info, event_root, HASH_LEN);
	bcs_fixed(&info, state_change_hash, HASH_LEN);
	if (has_checkpoint)
	{
		prng_bytes(&builder->prng, checkpoint_hash, HASH_LEN);
		bcs_u8(&info, 1);
		bcs_fixed(&info, checkpoint_hash, HASH_LEN);
	}
	else
		bcs_u8(&info, 0);
	bcs_u8(&info, 0);			/* state_cemetery_hash None */
	diem_hash("TransactionInfo", info.data, info.len, txn->info_hash);

	buf_append(&record, transaction_bytes->data, transaction_bytes->len);
	buf_append(&record, info.data, info.len);
	bcs_uleb128(&record, builder->event_count);
	buf_append(&record, builder->events.data, builder->events.len);
	buf_append(&record, write_set.data, write_set.len);

	txn->transaction_len = transaction_bytes->len;
	txn->event_count = builder->event_count;
	txn->write_count = (uint32_t) builder->write_count;
	txn->record = buf_take(&record, &txn->record_len);
	memcpy(chain->info_hashes[txn->version], txn->info_hash, HASH_LEN);

	buf_free(&info);
	buf_free(&write_set);
	buf_free(transaction_bytes);
	record_reset(builder);
}

static chain_txn *
new_txn(chain_builder *builder, txn_kind kind)
{
	chain_model *chain = builder->chain;
	chain_txn  *txn;

	if (chain->txn_count == builder->txn_capacity)
	{
		builder->txn_capacity = builder->txn_capacity ? builder->txn_capacity * 2 : 256;
		chain->txns = gen_realloc(chain->txns, builder->txn_capacity * sizeof(chain_txn));
		chain->info_hashes = gen_realloc(chain->info_hashes, builder->txn_capacity * HASH_LEN);
	}
	txn = &chain->txns[chain->txn_count];
	memset(txn, 0, sizeof(*txn));
	txn->version = chain->txn_count++;
	txn->kind = kind;
	txn->epoch = builder->epoch;
	txn->round = builder->round;
	txn->block_timestamp_usecs = builder->block_timestamp_usecs;
	txn->status.kind = STATUS_SUCCESS;
	return txn;
}

/* ------------------------------------------------------------------------- */
/* genesis, blocks, checkpoints */

static void
build_genesis(chain_builder *builder)
{
	chain_txn  *txn;
	byte_buf	transaction;
	byte_buf	value;
	byte_buf	changeset_events;
	uint8_t		chain_id_value = builder->chain->chain_id;
	uint32_t	changeset_event_count;
	uint32_t	changeset_write_count;

	builder->epoch = 0;
	builder->round = 0;
	builder->block_timestamp_usecs = 0;
	txn = new_txn(builder, TXN_GENESIS);
	buf_init(&transaction);
	buf_init(&value);
	buf_init(&changeset_events);

	/* The ChangeSet: three writes and one event. */
	{
		byte_buf	key;
		byte_buf	op;
		uint8_t		module_code[48];

		prng_bytes(&builder->prng, module_code, sizeof(module_code));
		module_code[0] = 0xa1;
		module_code[1] = 0x1c;
		module_code[2] = 0xeb;
		module_code[3] = 0x0b;
		buf_init(&key);
		buf_init(&op);
		buf_append(&value, module_code, sizeof(module_code));
		key_code(&key, builder->framework, "coin");
		encode_write_op(builder, &op, OP_CREATION, &value, builder->framework);
		add_write(builder, &key, &op);
		buf_reset(&value);
		bcs_u8(&value, chain_id_value);
		write_resource(builder, builder->framework, "0x1::chain_id::ChainId", OP_CREATION, &value);
		write_random_resource(builder, builder->framework, "0x1::reconfiguration::Configuration", OP_CREATION);
	}
	changeset_event_count = 1;
	{
		byte_buf	data;

		buf_init(&data);
		bcs_u64(&data, 1);
		encode_event(&changeset_events, builder->framework, 2, 0,
					 "0x1::reconfiguration::NewEpochEvent", data.data, data.len, NULL);
		buf_free(&data);
	}
	changeset_write_count = (uint32_t) builder->write_count;

	bcs_uleb128(&transaction, 1);	/* Transaction::GenesisTransaction */
	bcs_uleb128(&transaction, 0);	/* WriteSetPayload::Direct */
	{
		byte_buf	write_set;

		buf_init(&write_set);
		encode_write_set(builder, &write_set);
		buf_append(&transaction, write_set.data, write_set.len);
		buf_free(&write_set);
	}
	bcs_uleb128(&transaction, changeset_event_count);
	buf_append(&transaction, changeset_events.data, changeset_events.len);

	/* The record's own outputs: the ChangeSet's plus one more of each. */
	emit_u64_event(builder, builder->framework, 2, "0x1::reconfiguration::NewEpochEvent", 1);
	{
		byte_buf	data;

		buf_init(&data);
		bcs_fixed(&data, builder->framework, ADDRESS_LEN);
		bcs_str(&data, "libra_coin");
		bcs_str(&data, "LibraCoin");
		emit_event(builder, builder->framework, 0, "0x1::account::CoinRegisterEvent", &data);
		buf_free(&data);
	}
	write_random_resource(builder, builder->framework, "0x1::block::BlockResource", OP_CREATION);
	if (builder->write_count != changeset_write_count + 1 || builder->event_count != changeset_event_count + 1)
		gen_fatal("genesis outputs must differ from its ChangeSet");

	txn->gas_used = 0;
	finish_record(builder, txn, &transaction, true);
	buf_free(&value);
	buf_free(&changeset_events);
}

typedef struct block_header
{
	uint8_t		id[HASH_LEN];
	uint8_t		proposer[ADDRESS_LEN];
	uint8_t		votes_bitvec;
	uint32_t	failed_proposers[4];
	size_t		failed_count;
} block_header;

static void
build_block_metadata(chain_builder *builder, const block_header *header, bool reconfiguration)
{
	chain_txn  *txn = new_txn(builder, TXN_BLOCK_METADATA);
	byte_buf	transaction;
	byte_buf	event_data;

	buf_init(&transaction);
	buf_init(&event_data);
	bcs_uleb128(&transaction, 2);	/* Transaction::BlockMetadata */
	bcs_fixed(&transaction, header->id, HASH_LEN);
	bcs_u64(&transaction, builder->epoch);
	bcs_u64(&transaction, builder->round);
	bcs_fixed(&transaction, header->proposer, ADDRESS_LEN);
	bcs_bytes(&transaction, &header->votes_bitvec, 1);
	bcs_uleb128(&transaction, (uint32_t) header->failed_count);
	for (size_t i = 0; i < header->failed_count; i++)
		bcs_u32(&transaction, header->failed_proposers[i]);
	bcs_u64(&transaction, builder->block_timestamp_usecs);

	/* 0x1::block::NewBlockEvent */
	bcs_fixed(&event_data, header->id, HASH_LEN);
	bcs_u64(&event_data, builder->epoch);
	bcs_u64(&event_data, builder->round);
	bcs_u64(&event_data, builder->block_height);
	bcs_bytes(&event_data, &header->votes_bitvec, 1);
	bcs_fixed(&event_data, header->proposer, ADDRESS_LEN);
	bcs_uleb128(&event_data, (uint32_t) header->failed_count);
	for (size_t i = 0; i < header->failed_count; i++)
		bcs_u64(&event_data, header->failed_proposers[i]);
	bcs_u64(&event_data, builder->block_timestamp_usecs);
	emit_event(builder, builder->framework, 3, "0x1::block::NewBlockEvent", &event_data);
	builder->block_height++;
	write_random_resource(builder, builder->framework, "0x1::block::BlockResource", OP_MODIFICATION);
	if (reconfiguration)
	{
		emit_u64_event(builder, builder->framework, 2, "0x1::reconfiguration::NewEpochEvent",
					   builder->epoch + 1);
		write_random_resource(builder, builder->framework, "0x1::reconfiguration::Configuration",
							  OP_MODIFICATION);
		write_random_resource(builder, builder->framework, "0x1::stake::ValidatorSet", OP_MODIFICATION);
	}
	memcpy(txn->proposer, header->proposer, ADDRESS_LEN);
	txn->is_reconfiguration = reconfiguration;
	txn->gas_used = 0;
	finish_record(builder, txn, &transaction, reconfiguration);
	buf_free(&event_data);
}

static void
build_state_checkpoint(chain_builder *builder, const uint8_t block_id[HASH_LEN])
{
	chain_txn  *txn = new_txn(builder, TXN_STATE_CHECKPOINT);
	byte_buf	transaction;

	buf_init(&transaction);
	bcs_uleb128(&transaction, 3);	/* Transaction::StateCheckpoint */
	bcs_fixed(&transaction, block_id, HASH_LEN);
	txn->gas_used = 0;
	finish_record(builder, txn, &transaction, true);
}

/* ------------------------------------------------------------------------- */
/* user transactions */

static void
add_arg(user_txn *user, const byte_buf *value)
{
	user->args = gen_realloc(user->args, (user->arg_count + 1) * sizeof(arg_value));
	user->args[user->arg_count].len = value->len;
	user->args[user->arg_count].data = gen_malloc(value->len);
	if (value->len > 0)
		memcpy(user->args[user->arg_count].data, value->data, value->len);
	user->arg_count++;
}

static void
add_type_arg(user_txn *user, const char *type_text)
{
	user->type_args = gen_realloc(user->type_args, (user->type_arg_count + 1) * sizeof(type_tag *));
	user->type_args[user->type_arg_count++] = type_tag_parse(type_text);
}

/* EntryFunction body (no payload tag); args are BCS values, one byte_buf each. */
static void
encode_entry_function(byte_buf *out, user_txn *user, const char *module_address, const char *module,
					  const char *function, const char *const *type_texts, size_t type_count,
					  const byte_buf *args, size_t arg_count)
{
	address_parse(module_address, user->function_address);
	user->has_function = true;
	user->function_module = module;
	user->function_name = function;
	bcs_fixed(out, user->function_address, ADDRESS_LEN);
	bcs_str(out, module);
	bcs_str(out, function);
	bcs_uleb128(out, (uint32_t) type_count);
	for (size_t i = 0; i < type_count; i++)
	{
		add_type_arg(user, type_texts[i]);
		type_tag_bcs(out, user->type_args[i]);
	}
	bcs_uleb128(out, (uint32_t) arg_count);
	for (size_t i = 0; i < arg_count; i++)
	{
		bcs_bytes(out, args[i].data, args[i].len);
		add_arg(user, &args[i]);
	}
}

static void
encode_ed25519(chain_builder *builder, byte_buf *out)
{
	uint8_t		key[32];
	uint8_t		signature[64];

	prng_bytes(&builder->prng, key, sizeof(key));
	prng_bytes(&builder->prng, signature, sizeof(signature));
	bcs_bytes(out, key, sizeof(key));
	bcs_bytes(out, signature, sizeof(signature));
}

/* n keys + threshold byte; k signatures + 4-byte bitmap */
static void
encode_multi_ed25519(chain_builder *builder, byte_buf *out, size_t key_count, size_t signature_count)
{
	uint8_t		keys[32 * 4 + 1];
	uint8_t		signatures[64 * 4 + 4];
	size_t		keys_len = 32 * key_count + 1;
	size_t		signatures_len = 64 * signature_count + 4;

	prng_bytes(&builder->prng, keys, keys_len);
	keys[keys_len - 1] = (uint8_t) signature_count;
	prng_bytes(&builder->prng, signatures, signatures_len);
	memset(signatures + signatures_len - 4, 0, 4);
	for (size_t i = 0; i < signature_count; i++)
		signatures[signatures_len - 4] |= (uint8_t) (0x80 >> i);
	bcs_bytes(out, keys, keys_len);
	bcs_bytes(out, signatures, signatures_len);
}

static void
encode_account_authenticator(chain_builder *builder, byte_buf *out, bool multi)
{
	bcs_uleb128(out, multi ? 1 : 0);
	if (multi)
		encode_multi_ed25519(builder, out, 3, 2);
	else
		encode_ed25519(builder, out);
}

static void
encode_authenticator(chain_builder *builder, byte_buf *out, authenticator_kind kind, bool sender_multi,
					 const uint8_t *secondary, bool secondary_multi, bool fee_payer_multi)
{
	bcs_uleb128(out, (uint32_t) kind);
	switch (kind)
	{
		case AUTH_ED25519:
			encode_ed25519(builder, out);
			break;
		case AUTH_MULTI_ED25519:
			encode_multi_ed25519(builder, out, 3, 2);
			break;
		case AUTH_MULTI_AGENT:
		case AUTH_FEE_PAYER:
			encode_account_authenticator(builder, out, sender_multi);
			bcs_uleb128(out, secondary ? 1 : 0);
			if (secondary)
				bcs_fixed(out, secondary, ADDRESS_LEN);
			bcs_uleb128(out, secondary ? 1 : 0);
			if (secondary)
				encode_account_authenticator(builder, out, secondary_multi);
			if (kind == AUTH_FEE_PAYER)
			{
				bcs_fixed(out, builder->accounts[ORDINARY_ACCOUNT_COUNT - 1], ADDRESS_LEN);
				encode_account_authenticator(builder, out, fee_payer_multi);
			}
			break;
	}
}

static void
arg_u64(byte_buf *arg, uint64_t value)
{
	buf_reset(arg);
	bcs_u64(arg, value);
}

static void
arg_address(byte_buf *arg, const uint8_t address[ADDRESS_LEN])
{
	buf_reset(arg);
	bcs_fixed(arg, address, ADDRESS_LEN);
}

static void
arg_random_vector(chain_builder *builder, byte_buf *arg, size_t len)
{
	uint8_t    *data = gen_malloc(len);

	prng_bytes(&builder->prng, data, len);
	buf_reset(arg);
	bcs_bytes(arg, data, len);
	free(data);
}

/* Withdraw from `from` (creation number 3), deposit to `to` (2), both CoinStores modified. */
static void
transfer_effects(chain_builder *builder, const uint8_t from[ADDRESS_LEN], const uint8_t to[ADDRESS_LEN],
				 uint64_t amount, write_op_kind receiver_op)
{
	emit_u64_event(builder, from, 3, "0x1::coin::WithdrawEvent", amount);
	emit_u64_event(builder, to, 2, "0x1::coin::DepositEvent", amount);
	write_coin_store(builder, from, OP_MODIFICATION);
	write_coin_store(builder, to, receiver_op);
}

static void
set_module_status(execution_status *status, status_kind kind, const char *address_text, const char *module)
{
	status->kind = kind;
	status->location_is_script = false;
	address_parse(address_text, status->location_address);
	status->location_module = module;
}

static const uint8_t *
pick_account(chain_builder *builder)
{
	return builder->accounts[prng_range(&builder->prng, 0, ORDINARY_ACCOUNT_COUNT - 2)];
}

static void
build_user_txn(chain_builder *builder)
{
	chain_txn  *txn = new_txn(builder, TXN_USER);
	user_txn   *user = gen_calloc(1, sizeof(user_txn));
	unsigned	user_case = (unsigned) (builder->user_txn_count++ % USER_CASE_COUNT);
	const uint8_t *sender = pick_account(builder);
	const uint8_t *receiver = pick_account(builder);
	byte_buf	payload;
	byte_buf	args[10];
	byte_buf	authenticator;
	byte_buf	transaction;
	uint64_t	amount = prng_range(&builder->prng, 1, 5000000);
	bool		out_of_gas = false;
	const uint8_t *secondary = NULL;
	bool		sender_multi = false;
	bool		secondary_multi = false;
	bool		fee_payer_multi = false;

	buf_init(&payload);
	buf_init(&authenticator);
	buf_init(&transaction);
	for (size_t i = 0; i < 10; i++)
		buf_init(&args[i]);
	if (receiver == sender)
		receiver = builder->accounts[(receiver - builder->accounts[0]) / ADDRESS_LEN + 1];
	user->authenticator = AUTH_ED25519;

	switch (user_case)
	{
		case 0:					/* ol_account::transfer, success */
			arg_address(&args[0], receiver);
			arg_u64(&args[1], amount);
			user->payload = PAYLOAD_ENTRY_FUNCTION;
			encode_entry_function(&payload, user, "0x1", "ol_account", "transfer", NULL, 0, args, 2);
			transfer_effects(builder, sender, receiver, amount, OP_MODIFICATION);
			break;
		case 1:					/* tower_state::minerstate_commit, MoveAbort Some(info) */
			arg_random_vector(builder, &args[0], 76);
			arg_random_vector(builder, &args[1], 300);	/* multi-byte ULEB length */
			arg_u64(&args[2], 120000);
			arg_u64(&args[3], 350);
			user->payload = PAYLOAD_ENTRY_FUNCTION;
			encode_entry_function(&payload, user, "0x1", "tower_state", "minerstate_commit", NULL, 0, args, 4);
			set_module_status(&txn->status, STATUS_MOVE_ABORT, "0x1", "tower_state");
			txn->status.abort_code = 131077;
			txn->status.abort_reason = "EPROOF_NOT_VALID";
			txn->status.abort_description = "The submitted proof is not valid.";
			break;
		case 2:					/* coin::transfer<LibraCoin> from a 16-byte address, MultiEd25519 */
			{
				static const char *const coin_type[] = {LIBRA_COIN};

				sender = builder->padded_account;
				arg_address(&args[0], receiver);
				arg_u64(&args[1], amount);
				user->payload = PAYLOAD_ENTRY_FUNCTION;
				user->authenticator = AUTH_MULTI_ED25519;
				encode_entry_function(&payload, user, "0x1", "coin", "transfer", coin_type, 1, args, 2);
				transfer_effects(builder, sender, receiver, amount, OP_CREATION_WITH_METADATA);
				write_account(builder, receiver, 0, OP_CREATION);
			}
			break;
		case 3:					/* vouch::vouch_for, MultiAgent, table items */
			{
				uint8_t		item_key[ADDRESS_LEN];
				byte_buf	key;
				byte_buf	op;
				byte_buf	value;

				arg_address(&args[0], receiver);
				user->payload = PAYLOAD_ENTRY_FUNCTION;
				user->authenticator = AUTH_MULTI_AGENT;
				secondary = receiver;
				secondary_multi = true;
				encode_entry_function(&payload, user, "0x1", "vouch", "vouch_for", NULL, 0, args, 1);
				buf_init(&key);
				buf_init(&op);
				buf_init(&value);
				memcpy(item_key, receiver, ADDRESS_LEN);
				bcs_u64(&value, builder->epoch);
				key_table_item(&key, VOUCH_TABLE_HANDLE, item_key, ADDRESS_LEN);
				encode_write_op(builder, &op, OP_CREATION, &value, sender);
				add_write(builder, &key, &op);
				buf_reset(&value);
				bcs_u64(&value, amount);
				key_table_item(&key, VOUCH_TABLE_HANDLE, sender, ADDRESS_LEN);
				encode_write_op(builder, &op, OP_MODIFICATION, &value, sender);
				add_write(builder, &key, &op);
				write_random_resource(builder, sender, "0x1::vouch::MyVouches", OP_MODIFICATION_WITH_METADATA);
				buf_free(&value);
			}
			break;
		case 4:					/* nested type args at a non-special module, FeePayer, OutOfGas */
			{
				static const char *const types[] = {
					"vector<vector<u8>>",
					DEMO_ADDRESS "::demo::Pair<u64, " LIBRA_COIN ">",
					"bool", "u8", "u16", "u32", "u64", "u128", "u256", "address", "signer",
					"vector<" DEMO_ADDRESS "::demo::Pair<vector<address>, 0x1::string::String>>"
				};

				buf_reset(&args[0]);
				bcs_uleb128(&args[0], 2);	/* vector<vector<u8>> = [[1,2,3],[]] */
				bcs_uleb128(&args[0], 3);
				bcs_u8(&args[0], 1);
				bcs_u8(&args[0], 2);
				bcs_u8(&args[0], 3);
				bcs_uleb128(&args[0], 0);
				buf_reset(&args[1]);	/* u128 */
				bcs_u64(&args[1], amount);
				bcs_u64(&args[1], 7);
				buf_reset(&args[2]);
				bcs_bool(&args[2], 1);
				buf_reset(&args[3]);	/* an empty vector<u8>: one byte 00 */
				bcs_uleb128(&args[3], 0);
				user->payload = PAYLOAD_ENTRY_FUNCTION;
				user->authenticator = AUTH_FEE_PAYER;
				fee_payer_multi = true;
				encode_entry_function(&payload, user, DEMO_ADDRESS, "demo", "nested_types", types,
									  sizeof(types) / sizeof(types[0]), args, 4);
				txn->status.kind = STATUS_OUT_OF_GAS;
				out_of_gas = true;
				write_random_resource(builder, sender, DEMO_ADDRESS "::demo::Pair<u64, " LIBRA_COIN ">",
									  OP_DELETION);
				write_random_resource(builder, sender, "0x1::vouch::MyVouches", OP_DELETION_WITH_METADATA);
			}
			break;
		case 5:					/* Script with every TransactionArgument, FeePayer, abort in script */
			{
				static const uint8_t u128_value[16] = {0xff, 0xee, 0xdd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80};
				uint8_t		u256_value[32];
				uint8_t		code[40];
				byte_buf	value;

				prng_bytes(&builder->prng, code, sizeof(code));
				prng_bytes(&builder->prng, u256_value, sizeof(u256_value));
				buf_init(&value);
				sender = builder->framework;
				user->payload = PAYLOAD_SCRIPT;
				user->authenticator = AUTH_FEE_PAYER;
				sender_multi = true;
				secondary = receiver;
				bcs_bytes(&payload, code, sizeof(code));
				bcs_uleb128(&payload, 2);
				add_type_arg(user, "u64");
				add_type_arg(user, COIN_STORE);
				type_tag_bcs(&payload, user->type_args[0]);
				type_tag_bcs(&payload, user->type_args[1]);
				bcs_uleb128(&payload, 9);
				for (uint32_t tag = 0; tag <= 8; tag++)
				{
					buf_reset(&value);
					switch (tag)
					{
						case 0:
							bcs_u8(&value, 0xab);
							break;
						case 1:
							bcs_u64(&value, amount);
							break;
						case 2:
							bcs_fixed(&value, u128_value, sizeof(u128_value));
							break;
						case 3:
							bcs_fixed(&value, receiver, ADDRESS_LEN);
							break;
						case 4:
							buf_append_str(&value, "hello, \"world\"\\");
							break;
						case 5:
							bcs_bool(&value, 0);
							break;
						case 6:
							bcs_u16(&value, 0xbeef);
							break;
						case 7:
							bcs_u32(&value, 0xdeadbeef);
							break;
						case 8:
							bcs_fixed(&value, u256_value, sizeof(u256_value));
							break;
					}
					bcs_uleb128(&payload, tag);
					if (tag == 4)
						bcs_bytes(&payload, value.data, value.len);
					else
						buf_append(&payload, value.data, value.len);
					add_arg(user, &value);
				}
				txn->status.kind = STATUS_MOVE_ABORT;
				txn->status.location_is_script = true;
				txn->status.abort_code = 7;
				buf_free(&value);
			}
			break;
		case 6:					/* ModuleBundle, ExecutionFailure, Path::Code writes */
			{
				uint8_t		code[64];
				byte_buf	key;
				byte_buf	op;
				byte_buf	value;

				user->payload = PAYLOAD_MODULE_BUNDLE;
				bcs_uleb128(&payload, 2);
				buf_init(&key);
				buf_init(&op);
				buf_init(&value);
				for (int i = 0; i < 2; i++)
				{
					prng_bytes(&builder->prng, code, sizeof(code));
					bcs_bytes(&payload, code, sizeof(code));
					buf_reset(&value);
					buf_append(&value, code, sizeof(code));
					key_code(&key, sender, i == 0 ? "alpha" : "beta");
					encode_write_op(builder, &op, i == 0 ? OP_CREATION : OP_CREATION_WITH_METADATA, &value, sender);
					add_write(builder, &key, &op);
				}
				buf_free(&value);
				set_module_status(&txn->status, STATUS_EXECUTION_FAILURE, "0x1", "code");
				txn->status.failure_function = 3;
				txn->status.failure_code_offset = 17;
			}
			break;
		case 7:					/* Multisig with an entry function */
			{
				const uint8_t *multisig = builder->accounts[ORDINARY_ACCOUNT_COUNT - 2];

				arg_address(&args[0], receiver);
				arg_u64(&args[1], amount);
				user->payload = PAYLOAD_MULTISIG;
				bcs_fixed(&payload, multisig, ADDRESS_LEN);
				bcs_u8(&payload, 1);	/* Some */
				bcs_uleb128(&payload, 0);	/* MultisigTransactionPayload::EntryFunction */
				encode_entry_function(&payload, user, "0x1", "ol_account", "transfer", NULL, 0, args, 2);
				transfer_effects(builder, multisig, receiver, amount, OP_MODIFICATION);
			}
			break;
		case 8:					/* Multisig without payload, MiscellaneousError Some */
			user->payload = PAYLOAD_MULTISIG;
			bcs_fixed(&payload, builder->accounts[ORDINARY_ACCOUNT_COUNT - 2], ADDRESS_LEN);
			bcs_u8(&payload, 0);	/* None */
			txn->status.kind = STATUS_MISCELLANEOUS_ERROR;
			txn->status.has_status_code = true;
			txn->status.status_code = 4016;
			break;
		case 9:					/* empty Script from special 0xa, MultiEd25519, MiscellaneousError None */
			{
				static const uint8_t code[] = {0xa1, 0x1c, 0xeb, 0x0b, 0x06, 0x00};

				sender = builder->special_sender;
				user->payload = PAYLOAD_SCRIPT;
				user->authenticator = AUTH_MULTI_ED25519;
				bcs_bytes(&payload, code, sizeof(code));
				bcs_uleb128(&payload, 0);
				bcs_uleb128(&payload, 0);
				txn->status.kind = STATUS_MISCELLANEOUS_ERROR;
			}
			break;
		case 10:				/* transfer from 0x1, MoveAbort with AbortInfo None */
			sender = builder->framework;
			arg_address(&args[0], receiver);
			arg_u64(&args[1], amount);
			user->payload = PAYLOAD_ENTRY_FUNCTION;
			encode_entry_function(&payload, user, "0x1", "ol_account", "transfer", NULL, 0, args, 2);
			set_module_status(&txn->status, STATUS_MOVE_ABORT, "0x1", "ol_account");
			txn->status.abort_code = 65537;
			break;
		case 11:				/* abort in a non-special module, MultiAgent with MultiEd25519 sender */
			{
				static const char *const types[] = {"u8"};

				arg_random_vector(builder, &args[0], 0);
				user->payload = PAYLOAD_ENTRY_FUNCTION;
				user->authenticator = AUTH_MULTI_AGENT;
				sender_multi = true;
				encode_entry_function(&payload, user, DEMO_ADDRESS, "demo", "fail", types, 1, args, 1);
				set_module_status(&txn->status, STATUS_MOVE_ABORT, DEMO_ADDRESS, "demo");
				txn->status.abort_code = 0x10003;
				txn->status.abort_reason = "EDEMO";
				txn->status.abort_description = "demo, with a comma";
			}
			break;
		default:				/* set_allow_direct_coin_transfers(bool): resource group write */
			{
				byte_buf	key;
				byte_buf	op;
				byte_buf	value;

				buf_reset(&args[0]);
				bcs_bool(&args[0], 1);
				user->payload = PAYLOAD_ENTRY_FUNCTION;
				encode_entry_function(&payload, user, "0x1", "ol_account", "set_allow_direct_coin_transfers",
									  NULL, 0, args, 1);
				buf_init(&key);
				buf_init(&op);
				buf_init(&value);
				bcs_bool(&value, 1);
				key_resource_path(&key, sender, "0x1::object::ObjectGroup", 2);
				encode_write_op(builder, &op, OP_MODIFICATION, &value, sender);
				add_write(builder, &key, &op);
				emit_event(builder, sender, 5, "0x1::ol_account::DirectCoinTransferConfigUpdatedEvent", &value);
				buf_free(&value);
			}
			break;
	}

	memcpy(user->sender, sender, ADDRESS_LEN);
	user->sequence_number = next_account_sequence(builder, sender);
	user->max_gas_amount = prng_range(&builder->prng, 2000, 200000);
	user->gas_unit_price = 100;
	user->expiration_timestamp_secs = builder->block_timestamp_usecs / 1000000 + prng_range(&builder->prng, 30, 600);
	user->chain_id = builder->chain->chain_id;
	txn->gas_used = out_of_gas ? user->max_gas_amount : prng_range(&builder->prng, 5, user->max_gas_amount / 2);
	txn->user = user;
	/* every user transaction pays gas and bumps its sequence number */
	write_coin_store(builder, sender, OP_MODIFICATION);
	write_account(builder, sender, user->sequence_number + 1, OP_MODIFICATION);

	bcs_uleb128(&transaction, 0);	/* Transaction::UserTransaction */
	bcs_fixed(&transaction, user->sender, ADDRESS_LEN);
	bcs_u64(&transaction, user->sequence_number);
	bcs_uleb128(&transaction, (uint32_t) user->payload);
	buf_append(&transaction, payload.data, payload.len);
	bcs_u64(&transaction, user->max_gas_amount);
	bcs_u64(&transaction, user->gas_unit_price);
	bcs_u64(&transaction, user->expiration_timestamp_secs);
	bcs_u8(&transaction, user->chain_id);
	encode_authenticator(builder, &authenticator, user->authenticator, sender_multi, secondary,
						 secondary_multi, fee_payer_multi);
	buf_append(&transaction, authenticator.data, authenticator.len);
	finish_record(builder, txn, &transaction, false);

	buf_free(&payload);
	buf_free(&authenticator);
	for (size_t i = 0; i < 10; i++)
		buf_free(&args[i]);
}

/* ------------------------------------------------------------------------- */
/* epochs */

/* The validator set of an epoch depends only on (seed, epoch). */
static void
validator_set(uint64_t seed, uint64_t epoch, validator_info out[VALIDATOR_COUNT])
{
	for (int i = 0; i < VALIDATOR_COUNT; i++)
	{
		unsigned	pool_index = (unsigned) ((epoch / 5 + (uint64_t) i) % VALIDATOR_POOL_SIZE);
		char	   *name = gen_asprintf("validator-%u", pool_index);
		gen_prng	key_prng;

		prng_init(&key_prng, gen_name_hash(seed, name), 7);
		memset(out[i].address, 0, ADDRESS_LEN);
		/* half the pool are v5-style 16-byte addresses left-padded with zeros */
		prng_bytes(&key_prng, out[i].address + (pool_index % 2 ? 16 : 0), pool_index % 2 ? 16 : 32);
		prng_bytes(&key_prng, out[i].bls_public_key, BLS_KEY_LEN);
		out[i].voting_power = 1000000;
		free(name);
	}
}

static void
encode_epoch_state(byte_buf *out, uint64_t epoch, const validator_info validators[VALIDATOR_COUNT])
{
	bcs_u64(out, epoch);
	bcs_uleb128(out, VALIDATOR_COUNT);
	for (int i = 0; i < VALIDATOR_COUNT; i++)
	{
		bcs_fixed(out, validators[i].address, ADDRESS_LEN);
		bcs_bytes(out, validators[i].bls_public_key, BLS_KEY_LEN);
		bcs_u64(out, validators[i].voting_power);
	}
}

/* LedgerInfoWithSignatures::V0 ending `epoch`, and its waypoint. */
static void
finish_epoch(chain_builder *builder, epoch_info *info, uint64_t round, const uint8_t block_id[HASH_LEN])
{
	chain_model *chain = builder->chain;
	validator_info next_validators[VALIDATOR_COUNT];
	uint8_t		executed_state_id[HASH_LEN];
	uint8_t		consensus_data_hash[HASH_LEN];
	uint8_t		waypoint_hash[HASH_LEN];
	char		waypoint_hex[2 * HASH_LEN + 1];
	byte_buf	ledger_info;
	byte_buf	epoch_state;
	byte_buf	converter;
	bool		genesis = info->epoch == 0;

	buf_init(&ledger_info);
	buf_init(&epoch_state);
	buf_init(&converter);
	validator_set(chain->seed, info->epoch + 1, next_validators);
	encode_epoch_state(&epoch_state, info->epoch + 1, next_validators);
	accumulator_root("TransactionAccumulator", (const uint8_t (*)[HASH_LEN]) chain->info_hashes,
					 info->last_version + 1, executed_state_id);
	if (genesis)
		memset(consensus_data_hash, 0, HASH_LEN);
	else
		prng_bytes(&builder->prng, consensus_data_hash, HASH_LEN);

	bcs_uleb128(&ledger_info, 0);	/* V0 */
	bcs_u64(&ledger_info, info->epoch);
	bcs_u64(&ledger_info, round);
	bcs_fixed(&ledger_info, block_id, HASH_LEN);
	bcs_fixed(&ledger_info, executed_state_id, HASH_LEN);
	bcs_u64(&ledger_info, info->last_version);
	bcs_u64(&ledger_info, info->end_timestamp_usecs);
	bcs_u8(&ledger_info, 1);	/* next_epoch_state Some */
	buf_append(&ledger_info, epoch_state.data, epoch_state.len);
	bcs_fixed(&ledger_info, consensus_data_hash, HASH_LEN);
	if (genesis)
	{
		bcs_uleb128(&ledger_info, 0);	/* empty bitmask */
		bcs_u8(&ledger_info, 0);	/* no signature */
	}
	else
	{
		uint8_t		bitmask = prng_chance(&builder->prng, 50) ? 0xf0 : 0xe0;
		uint8_t		signature[BLS_SIG_LEN];

		prng_bytes(&builder->prng, signature, BLS_SIG_LEN);
		bcs_bytes(&ledger_info, &bitmask, 1);
		bcs_u8(&ledger_info, 1);
		bcs_bytes(&ledger_info, signature, BLS_SIG_LEN);
	}

	/* Ledger2WaypointConverter{epoch, root_hash, version, timestamp_usecs, next_epoch_state} */
	bcs_u64(&converter, info->epoch);
	bcs_fixed(&converter, executed_state_id, HASH_LEN);
	bcs_u64(&converter, info->last_version);
	bcs_u64(&converter, info->end_timestamp_usecs);
	bcs_u8(&converter, 1);
	buf_append(&converter, epoch_state.data, epoch_state.len);
	diem_hash("Ledger2WaypointConverter", converter.data, converter.len, waypoint_hash);
	hex_encode(waypoint_hash, HASH_LEN, waypoint_hex);
	snprintf(info->waypoint, sizeof(info->waypoint), "%llu:%s",
			 (unsigned long long) info->last_version, waypoint_hex);

	info->ledger_info = buf_take(&ledger_info, &info->ledger_info_len);
	buf_free(&epoch_state);
	buf_free(&converter);
}

static void
random_block_header(chain_builder *builder, block_header *header, const epoch_info *info, bool allow_nil)
{
	uint64_t	gap = prng_chance(&builder->prng, 15) ? prng_range(&builder->prng, 1, 2) : 0;

	memset(header, 0, sizeof(*header));
	prng_bytes(&builder->prng, header->id, HASH_LEN);
	header->votes_bitvec = prng_chance(&builder->prng, 70) ? 0xf0 : 0xe0;
	header->failed_count = (size_t) gap;
	for (size_t i = 0; i < header->failed_count; i++)
		header->failed_proposers[i] = (uint32_t) prng_range(&builder->prng, 0, VALIDATOR_COUNT - 1);
	if (!(allow_nil && prng_chance(&builder->prng, 10)))
		memcpy(header->proposer,
			   info->validators[prng_range(&builder->prng, 0, VALIDATOR_COUNT - 1)].address, ADDRESS_LEN);
	builder->round += 1 + gap;
	builder->timestamp_usecs += prng_range(&builder->prng, 200000, 3000000);
	builder->block_timestamp_usecs = builder->timestamp_usecs;
}

static bool
is_nil(const uint8_t proposer[ADDRESS_LEN])
{
	for (int i = 0; i < ADDRESS_LEN; i++)
		if (proposer[i] != 0)
			return false;
	return true;
}

static void
build_epoch(chain_builder *builder, epoch_info *info)
{
	chain_model *chain = builder->chain;
	uint64_t	target_length = prng_range(&builder->prng, 20, 40);
	block_header header;

	builder->epoch = info->epoch;
	builder->round = 0;
	info->first_version = chain->txn_count;
	validator_set(chain->seed, info->epoch, info->validators);
	while (chain->txn_count - info->first_version + 2 < target_length)
	{
		uint64_t	user_count;

		random_block_header(builder, &header, info, true);
		build_block_metadata(builder, &header, false);
		user_count = is_nil(header.proposer) ? 0 : prng_range(&builder->prng, 0, 3);
		for (uint64_t i = 0; i < user_count; i++)
			build_user_txn(builder);
		build_state_checkpoint(builder, header.id);
	}
	random_block_header(builder, &header, info, false);
	build_block_metadata(builder, &header, true);
	info->last_version = chain->txn_count - 1;
	info->end_timestamp_usecs = builder->block_timestamp_usecs;
	finish_epoch(builder, info, builder->round, header.id);
}

void
chain_generate(chain_model *chain, uint64_t seed, uint64_t last_epoch, uint8_t chain_id)
{
	chain_builder builder;
	uint8_t		zero_id[HASH_LEN] = {0};

	memset(chain, 0, sizeof(*chain));
	memset(&builder, 0, sizeof(builder));
	chain->seed = seed;
	chain->chain_id = chain_id;
	chain->epoch_count = (size_t) last_epoch + 1;
	chain->epochs = gen_calloc(chain->epoch_count, sizeof(epoch_info));
	builder.chain = chain;
	buf_init(&builder.events);
	prng_init(&builder.prng, seed, 1);
	for (int i = 0; i < ORDINARY_ACCOUNT_COUNT; i++)
		prng_bytes(&builder.prng, builder.accounts[i], ADDRESS_LEN);
	prng_bytes(&builder.prng, builder.padded_account + 16, 16);
	address_parse("0x1", builder.framework);
	address_parse("0xa", builder.special_sender);
	builder.timestamp_usecs = FIRST_BLOCK_TIMESTAMP_USECS;

	/* epoch 0 = genesis only */
	build_genesis(&builder);
	chain->epochs[0].epoch = 0;
	chain->epochs[0].first_version = 0;
	chain->epochs[0].last_version = 0;
	chain->epochs[0].end_timestamp_usecs = 0;
	validator_set(seed, 0, chain->epochs[0].validators);
	finish_epoch(&builder, &chain->epochs[0], 0, zero_id);

	for (uint64_t epoch = 1; epoch <= last_epoch; epoch++)
	{
		chain->epochs[epoch].epoch = epoch;
		build_epoch(&builder, &chain->epochs[epoch]);
	}

	record_reset(&builder);
	buf_free(&builder.events);
	free(builder.event_leaves);
	free(builder.writes);
	free(builder.event_counters);
	free(builder.account_counters);
}

const epoch_info *
chain_epoch_of(const chain_model *chain, uint64_t version)
{
	for (size_t i = 0; i < chain->epoch_count; i++)
		if (version >= chain->epochs[i].first_version && version <= chain->epochs[i].last_version)
			return &chain->epochs[i];
	gen_fatal("version %llu is in no epoch", (unsigned long long) version);
}

void
chain_free(chain_model *chain)
{
	for (size_t i = 0; i < chain->txn_count; i++)
	{
		chain_txn  *txn = &chain->txns[i];

		free(txn->record);
		if (txn->user != NULL)
		{
			for (size_t j = 0; j < txn->user->type_arg_count; j++)
				type_tag_free(txn->user->type_args[j]);
			free(txn->user->type_args);
			for (size_t j = 0; j < txn->user->arg_count; j++)
				free(txn->user->args[j].data);
			free(txn->user->args);
			free(txn->user);
		}
	}
	for (size_t i = 0; i < chain->epoch_count; i++)
		free(chain->epochs[i].ledger_info);
	free(chain->txns);
	free(chain->epochs);
	free(chain->info_hashes);
	memset(chain, 0, sizeof(*chain));
}
