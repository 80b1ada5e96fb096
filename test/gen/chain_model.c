/*
 * chain_model.c — generates the synthetic chain: genesis (which creates the
 * initial accounts), blocks (BlockMetadata, user transactions from
 * user_txns.c, StateCheckpoint), reconfigurations (with the stake, oracle and
 * slow-wallet events of an epoch change), their exact record bytes with
 * correct TransactionInfo hashes, the epoch-ending ledger infos with their
 * waypoints, and a state snapshot at the end of every SNAPSHOT_EVERY-th epoch.
 *
 * Every event and write-set entry is kept in the model with its decoded
 * parts (event payload JSON, coin amounts, state key parts, balances), so the
 * expected CSVs never re-parse record bytes.
 */
#include "chain_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "chain_builder.h"

#define FIRST_BLOCK_TIMESTAMP_USECS UINT64_C(1700000000000000)
#define EPOCH_TABLE_HANDLE "0x5e1ec7ab1e000000000000000000000000000000000000000000000000000e90"

/* The event types of FORMAT-transactions-v6v7.md §8 and where their layout was read. */
static const struct known_event
{
	const char *type;
	const char *decoded_from;
}			known_events[] = {
	{"0x1::coin::WithdrawEvent", "bytes"},
	{"0x1::coin::DepositEvent", "bytes"},
	{"0x1::block::NewBlockEvent", "bytes"},
	{"0x1::reconfiguration::NewEpochEvent", "bytes"},
	{"0x1::stake::DistributeRewardsEvent", "bytes"},
	{"0x1::account::CoinRegisterEvent", "source"},
	{"0x1::account::KeyRotationEvent", "source"},
	{"0x1::slow_wallet::DripEvent", "source"},
	{"0x1::ol_account::DirectCoinTransferConfigUpdatedEvent", "source"},
	{"0x1::oracle::DistributeRewardsEvent", "source"},
	{"0x1::block::UpdateEpochIntervalEvent", "source"},
	{"0x1::stake::RegisterValidatorCandidateEvent", "source"},
	{"0x1::stake::JoinValidatorSetEvent", "source"},
	{"0x1::stake::LeaveValidatorSetEvent", "source"},
	{"0x1::stake::SetOperatorEvent", "source"},
	{"0x1::stake::RotateConsensusKeyEvent", "source"},
	{"0x1::stake::UpdateNetworkAndFullnodeAddressesEvent", "source"},
};

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
/* counters and accounts */

static event_counter *
find_event_counter(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number)
{
	for (size_t i = 0; i < builder->event_counter_count; i++)
	{
		event_counter *counter = &builder->event_counters[i];

		if (counter->creation_number == creation_number && memcmp(counter->account, account, ADDRESS_LEN) == 0)
			return counter;
	}
	return NULL;
}

static uint64_t
next_event_sequence(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number)
{
	event_counter *counter = find_event_counter(builder, account, creation_number);

	if (counter != NULL)
		return counter->next_sequence++;
	counter = GEN_PUSH(builder->event_counters, builder->event_counter_count);
	memcpy(counter->account, account, ADDRESS_LEN);
	counter->creation_number = creation_number;
	counter->next_sequence = 1;
	return 0;
}

static uint64_t
peek_event_count(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number)
{
	event_counter *counter = find_event_counter(builder, account, creation_number);

	return counter != NULL ? counter->next_sequence : 0;
}

/* The account's record; an unknown account starts with balance 0. Coin types alternate. */
account_record *
account_get(chain_builder *builder, const uint8_t address[ADDRESS_LEN])
{
	account_record *record;

	for (size_t i = 0; i < builder->account_record_count; i++)
		if (memcmp(builder->account_records[i].address, address, ADDRESS_LEN) == 0)
			return &builder->account_records[i];
	record = GEN_PUSH(builder->account_records, builder->account_record_count);
	memcpy(record->address, address, ADDRESS_LEN);
	record->gas_coin = builder->account_record_count % 2 == 0;	/* every second one */
	return record;
}

uint64_t
next_account_sequence(chain_builder *builder, const uint8_t address[ADDRESS_LEN])
{
	return account_get(builder, address)->next_sequence++;
}

/* ------------------------------------------------------------------------- */
/* events of the record being built */

static chain_event *
push_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
		   const char *type_text, const uint8_t *data, size_t len)
{
	chain_event *event;
	type_tag   *tag = type_tag_parse(type_text);
	byte_buf	rendered;
	size_t		rendered_len;

	if (builder->event_count == builder->event_capacity)
	{
		builder->event_capacity = builder->event_capacity ? builder->event_capacity * 2 : 16;
		builder->events = gen_realloc(builder->events, builder->event_capacity * sizeof(chain_event));
	}
	event = &builder->events[builder->event_count++];
	memset(event, 0, sizeof(*event));
	memcpy(event->account, account, ADDRESS_LEN);
	event->creation_number = creation_number;
	event->sequence_number = next_event_sequence(builder, account, creation_number);
	buf_init(&rendered);
	type_tag_render(&rendered, tag);
	buf_append(&rendered, "", 1);
	event->type_text = (char *) buf_take(&rendered, &rendered_len);
	event->data = gen_malloc(len);
	if (len > 0)
		memcpy(event->data, data, len);
	event->data_len = len;
	type_tag_free(tag);
	return event;
}

static const struct known_event *
known_event(const char *type_text)
{
	for (size_t i = 0; i < sizeof(known_events) / sizeof(known_events[0]); i++)
		if (strcmp(known_events[i].type, type_text) == 0)
			return &known_events[i];
	return NULL;
}

/* An event of a type of §8: payload = its Move fields, decoded JSON from the same values. */
void
emit_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
		   const char *type_text, const move_values *payload)
{
	const struct known_event *known = known_event(type_text);
	chain_event *event;

	if (known == NULL)
		gen_fatal("event type %s has no known layout", type_text);
	event = push_event(builder, account, creation_number, type_text, payload->bcs.data, payload->bcs.len);
	event->decoded = mv_json(payload);
	event->decoded_from = known->decoded_from;
}

/* An event of a type the docs do not describe: no decoded payload, no amount. */
void
emit_unknown_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
				   const char *type_text, const uint8_t *data, size_t len)
{
	if (known_event(type_text) != NULL)
		gen_fatal("event type %s is a known one", type_text);
	push_event(builder, account, creation_number, type_text, data, len);
}

static void
emit_u64_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t creation_number,
			   const char *type_text, const char *field, uint64_t value)
{
	move_values payload;

	mv_init(&payload);
	mv_u64(&payload, field, value);
	emit_event(builder, account, creation_number, type_text, &payload);
	mv_free(&payload);
}

static void
emit_coin_event(chain_builder *builder, const uint8_t account[ADDRESS_LEN], bool withdraw, uint64_t amount)
{
	chain_event *event;

	emit_u64_event(builder, account, withdraw ? CN_WITHDRAW : CN_DEPOSIT,
				   withdraw ? "0x1::coin::WithdrawEvent" : "0x1::coin::DepositEvent", "amount", amount);
	event = &builder->events[builder->event_count - 1];
	event->has_amount = true;
	event->amount = amount;
}

/* An event {validator_address: address} or {validator_address, <name>: u64}. */
static void
emit_validator_event(chain_builder *builder, const uint8_t validator[ADDRESS_LEN], uint64_t creation_number,
					 const char *type_text, const char *u64_field, uint64_t value)
{
	move_values payload;

	mv_init(&payload);
	mv_address(&payload, "validator_address", validator);
	if (u64_field != NULL)
		mv_u64(&payload, u64_field, value);
	emit_event(builder, validator, creation_number, type_text, &payload);
	mv_free(&payload);
}

/* BCS of ContractEvent::V0 */
void
encode_event(byte_buf *out, const chain_event *event)
{
	type_tag   *tag = type_tag_parse(event->type_text);

	bcs_uleb128(out, 0);
	bcs_u64(out, event->creation_number);
	bcs_fixed(out, event->account, ADDRESS_LEN);
	bcs_u64(out, event->sequence_number);
	type_tag_bcs(out, tag);
	bcs_bytes(out, event->data, event->data_len);
	type_tag_free(tag);
}

/* ------------------------------------------------------------------------- */
/* write-set entries of the record being built */

static void
free_write(chain_write *write)
{
	state_key_free(&write->key);
	free(write->value);
}

/* Takes ownership of *key. Metadata ops get a deposit and the block time. Returns the entry. */
chain_write *
write_key(chain_builder *builder, state_key *key, write_op_kind kind, const uint8_t *value, size_t value_len,
		  const uint8_t payer[ADDRESS_LEN])
{
	chain_write entry;

	memset(&entry, 0, sizeof(entry));
	entry.key = *key;
	memset(key, 0, sizeof(*key));
	entry.op = kind;
	entry.has_value = kind != OP_DELETION && kind != OP_DELETION_WITH_METADATA;
	if (entry.has_value)
	{
		entry.value = gen_malloc(value_len);
		if (value_len > 0)
			memcpy(entry.value, value, value_len);
		entry.value_len = value_len;
	}
	if (kind >= OP_CREATION_WITH_METADATA)
	{
		entry.metadata.present = true;
		memcpy(entry.metadata.payer, payer, ADDRESS_LEN);
		entry.metadata.deposit = prng_range(&builder->prng, 1000, 50000);
		entry.metadata.creation_time_usecs = builder->block_timestamp_usecs;
	}
	for (size_t i = 0; i < builder->write_count; i++)
	{
		chain_write *existing = &builder->writes[i];

		if (existing->key.bcs_len == entry.key.bcs_len &&
			memcmp(existing->key.bcs, entry.key.bcs, entry.key.bcs_len) == 0)
		{
			free_write(existing);
			*existing = entry;
			return existing;
		}
	}
	if (builder->write_count == builder->write_capacity)
	{
		builder->write_capacity = builder->write_capacity ? builder->write_capacity * 2 : 16;
		builder->writes = gen_realloc(builder->writes, builder->write_capacity * sizeof(chain_write));
	}
	builder->writes[builder->write_count] = entry;
	return &builder->writes[builder->write_count++];
}

static int
compare_write_keys(const void *left_ptr, const void *right_ptr)
{
	const chain_write *left = left_ptr;
	const chain_write *right = right_ptr;
	size_t		common = left->key.bcs_len < right->key.bcs_len ? left->key.bcs_len : right->key.bcs_len;
	int			cmp = memcmp(left->key.bcs, right->key.bcs, common);

	if (cmp != 0)
		return cmp;
	return (left->key.bcs_len > right->key.bcs_len) - (left->key.bcs_len < right->key.bcs_len);
}

/* WriteSet::V0 with the BTreeMap in increasing key-byte order (the pending writes get sorted). */
void
encode_write_set(chain_builder *builder, byte_buf *out)
{
	qsort(builder->writes, builder->write_count, sizeof(chain_write), compare_write_keys);
	bcs_uleb128(out, 0);
	bcs_uleb128(out, (uint32_t) builder->write_count);
	for (size_t i = 0; i < builder->write_count; i++)
	{
		const chain_write *write = &builder->writes[i];

		buf_append(out, write->key.bcs, write->key.bcs_len);
		bcs_uleb128(out, (uint32_t) write->op);
		if (write->has_value)
			bcs_bytes(out, write->value, write->value_len);
		if (write->metadata.present)
		{
			bcs_uleb128(out, 0);	/* StateValueMetadata::V0 */
			bcs_fixed(out, write->metadata.payer, ADDRESS_LEN);
			bcs_u64(out, write->metadata.deposit);
			bcs_u64(out, write->metadata.creation_time_usecs);
		}
	}
}

chain_write *
write_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN], const char *struct_text,
			   write_op_kind kind, const byte_buf *value)
{
	state_key	key;

	key_resource(&key, account, struct_text, PATH_RESOURCE);
	return write_key(builder, &key, kind, value->data, value->len, account);
}

void
write_random_resource(chain_builder *builder, const uint8_t account[ADDRESS_LEN], const char *struct_text,
					  write_op_kind kind)
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
encode_event_handle(byte_buf *out, uint64_t counter, uint64_t creation_number, const uint8_t account[ADDRESS_LEN])
{
	bcs_u64(out, counter);
	bcs_u64(out, creation_number);
	bcs_fixed(out, account, ADDRESS_LEN);
}

/*
 * 0x1::coin::CoinStore<T> with the account's balance: LibraCoin accounts have the mainnet
 * layout {coin, deposit_events, withdraw_events} (104 bytes), GasCoin accounts the test-chain
 * layout with `frozen` after the coin (105 bytes).
 */
void
write_coin_store(chain_builder *builder, const uint8_t account[ADDRESS_LEN], write_op_kind kind)
{
	account_record *record = account_get(builder, account);
	chain_write *write;
	byte_buf	value;

	buf_init(&value);
	bcs_u64(&value, record->balance);
	if (record->gas_coin)
		bcs_bool(&value, 0);
	encode_event_handle(&value, peek_event_count(builder, account, CN_DEPOSIT), CN_DEPOSIT, account);
	encode_event_handle(&value, peek_event_count(builder, account, CN_WITHDRAW), CN_WITHDRAW, account);
	write = write_resource(builder, account, record->gas_coin ? COIN_STORE_GAS : COIN_STORE_LIBRA, kind, &value);
	write->has_balance = true;
	write->balance = record->balance;
	buf_free(&value);
}

/* 0x1::account::Account with the given sequence number */
void
write_account(chain_builder *builder, const uint8_t account[ADDRESS_LEN], uint64_t sequence_number,
			  write_op_kind kind)
{
	byte_buf	value;

	buf_init(&value);
	bcs_bytes(&value, account, ADDRESS_LEN);
	bcs_u64(&value, sequence_number);
	bcs_u64(&value, 4);
	encode_event_handle(&value, peek_event_count(builder, account, CN_COIN_REGISTER), CN_COIN_REGISTER, account);
	encode_event_handle(&value, peek_event_count(builder, account, CN_KEY_ROTATION), CN_KEY_ROTATION, account);
	bcs_uleb128(&value, 0);
	bcs_uleb128(&value, 0);
	write_resource(builder, account, "0x1::account::Account", kind, &value);
	buf_free(&value);
}

void
transfer_effects(chain_builder *builder, const uint8_t from[ADDRESS_LEN], const uint8_t to[ADDRESS_LEN],
				 uint64_t amount, write_op_kind receiver_op)
{
	account_record *sender = account_get(builder, from);

	if (sender->balance < amount)
		gen_fatal("balance of a sender would go negative");
	sender->balance -= amount;
	account_get(builder, to)->balance += amount;
	emit_coin_event(builder, from, true, amount);
	emit_coin_event(builder, to, false, amount);
	write_coin_store(builder, from, OP_MODIFICATION);
	write_coin_store(builder, to, receiver_op);
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
 * TransactionInfo with its hashes, the events and write set built so far
 * (moved into txn, and applied to the live state).
 */
void
finish_record(chain_builder *builder, chain_txn *txn, byte_buf *transaction_bytes, bool has_checkpoint)
{
	chain_model *chain = builder->chain;
	byte_buf	info;
	byte_buf	events;
	byte_buf	write_set;
	byte_buf	record;
	uint8_t		event_root[HASH_LEN];
	uint8_t		state_change_hash[HASH_LEN];
	uint8_t		(*leaves)[HASH_LEN] = gen_calloc(builder->event_count + 1, HASH_LEN);

	buf_init(&info);
	buf_init(&events);
	buf_init(&write_set);
	buf_init(&record);
	bcs_uleb128(&events, (uint32_t) builder->event_count);
	for (size_t i = 0; i < builder->event_count; i++)
	{
		size_t		start = events.len;

		encode_event(&events, &builder->events[i]);
		diem_hash("ContractEvent", events.data + start, events.len - start, leaves[i]);
	}
	encode_write_set(builder, &write_set);
	diem_hash("Transaction", transaction_bytes->data, transaction_bytes->len, txn->tx_hash);
	diem_hash("WriteSet", write_set.data, write_set.len, state_change_hash);
	accumulator_root("EventAccumulator", (const uint8_t (*)[HASH_LEN]) leaves, builder->event_count, event_root);

	bcs_uleb128(&info, 0);		/* TransactionInfo::V0 */
	bcs_u64(&info, txn->gas_used);
	encode_status(&info, &txn->status);
	bcs_fixed(&info, txn->tx_hash, HASH_LEN);
	bcs_fixed(&info, event_root, HASH_LEN);
	bcs_fixed(&info, state_change_hash, HASH_LEN);
	txn->has_checkpoint = has_checkpoint;
	if (has_checkpoint)
	{
		prng_bytes(&builder->prng, txn->checkpoint_hash, HASH_LEN);
		bcs_u8(&info, 1);
		bcs_fixed(&info, txn->checkpoint_hash, HASH_LEN);
	}
	else
		bcs_u8(&info, 0);
	bcs_u8(&info, 0);			/* state_cemetery_hash None */
	diem_hash("TransactionInfo", info.data, info.len, txn->info_hash);

	buf_append(&record, transaction_bytes->data, transaction_bytes->len);
	buf_append(&record, info.data, info.len);
	buf_append(&record, events.data, events.len);
	buf_append(&record, write_set.data, write_set.len);

	txn->transaction_len = transaction_bytes->len;
	txn->event_count = (uint32_t) builder->event_count;
	txn->events = builder->events;
	txn->write_count = (uint32_t) builder->write_count;
	txn->writes = builder->writes;
	txn->record = buf_take(&record, &txn->record_len);
	memcpy(chain->info_hashes[txn->version], txn->info_hash, HASH_LEN);
	state_map_apply(&builder->state, txn->writes, txn->write_count);
	builder->events = NULL;
	builder->event_count = builder->event_capacity = 0;
	builder->writes = NULL;
	builder->write_count = builder->write_capacity = 0;

	free(leaves);
	buf_free(&info);
	buf_free(&events);
	buf_free(&write_set);
	buf_free(transaction_bytes);
}

chain_txn *
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

/* The accounts that exist from genesis: Account and CoinStore created with a balance. */
static void
create_genesis_accounts(chain_builder *builder)
{
	const uint8_t *initial[ORDINARY_ACCOUNT_COUNT + 3];
	size_t		count = 0;

	for (int i = 0; i < ORDINARY_ACCOUNT_COUNT; i++)
		initial[count++] = builder->accounts[i];
	initial[count++] = builder->padded_account;
	initial[count++] = builder->framework;
	initial[count++] = builder->special_sender;
	for (size_t i = 0; i < count; i++)
	{
		account_get(builder, initial[i])->balance = prng_range(&builder->prng, UINT64_C(10000000000),
															   UINT64_C(1000000000000));
		write_coin_store(builder, initial[i], OP_CREATION);
		write_account(builder, initial[i], 0, OP_CREATION);
	}
}

static void
build_genesis(chain_builder *builder)
{
	chain_txn  *txn;
	byte_buf	transaction;
	byte_buf	value;
	chain_event changeset_event;
	size_t		changeset_write_count;

	builder->epoch = 0;
	builder->round = 0;
	builder->block_timestamp_usecs = 0;
	txn = new_txn(builder, TXN_GENESIS);
	buf_init(&transaction);
	buf_init(&value);

	/* The ChangeSet: the framework's code and resources, the initial accounts, one event. */
	{
		state_key	key;
		uint8_t		module_code[48];

		prng_bytes(&builder->prng, module_code, sizeof(module_code));
		module_code[0] = 0xa1;
		module_code[1] = 0x1c;
		module_code[2] = 0xeb;
		module_code[3] = 0x0b;
		key_code(&key, builder->framework, "coin");
		write_key(builder, &key, OP_CREATION, module_code, sizeof(module_code), builder->framework);
		bcs_u8(&value, builder->chain->chain_id);
		write_resource(builder, builder->framework, "0x1::chain_id::ChainId", OP_CREATION, &value);
		write_random_resource(builder, builder->framework, "0x1::reconfiguration::Configuration", OP_CREATION);
		create_genesis_accounts(builder);
	}
	changeset_write_count = builder->write_count;
	memset(&changeset_event, 0, sizeof(changeset_event));
	memcpy(changeset_event.account, builder->framework, ADDRESS_LEN);
	changeset_event.creation_number = CN_NEW_EPOCH;
	changeset_event.type_text = (char *) "0x1::reconfiguration::NewEpochEvent";
	buf_reset(&value);
	bcs_u64(&value, 1);
	changeset_event.data = value.data;
	changeset_event.data_len = value.len;

	bcs_uleb128(&transaction, 1);	/* Transaction::GenesisTransaction */
	bcs_uleb128(&transaction, 0);	/* WriteSetPayload::Direct */
	encode_write_set(builder, &transaction);
	bcs_uleb128(&transaction, 1);
	encode_event(&transaction, &changeset_event);

	/* The record's own outputs: the ChangeSet's plus one more of each. */
	emit_u64_event(builder, builder->framework, CN_NEW_EPOCH, "0x1::reconfiguration::NewEpochEvent", "epoch", 1);
	{
		move_values payload;

		mv_init(&payload);
		mv_type_info(&payload, "type_info", builder->framework, "libra_coin", "LibraCoin");
		emit_event(builder, builder->framework, CN_COIN_REGISTER, "0x1::account::CoinRegisterEvent", &payload);
		mv_free(&payload);
	}
	write_random_resource(builder, builder->framework, "0x1::block::BlockResource", OP_CREATION);
	if (builder->write_count != changeset_write_count + 1 || builder->event_count != 2)
		gen_fatal("genesis outputs must differ from its ChangeSet");

	txn->gas_used = 0;
	finish_record(builder, txn, &transaction, true);
	buf_free(&value);
}

typedef struct block_header
{
	uint8_t		id[HASH_LEN];
	uint8_t		proposer[ADDRESS_LEN];
	uint8_t		votes_bitvec;
	uint64_t	failed_proposers[4];
	size_t		failed_count;
} block_header;

/* The validator set of an epoch depends only on (seed, epoch); it rotates every 5 epochs. */
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
		out[i].voting_power = 1000000 + 10000 * (uint64_t) pool_index;
		free(name);
	}
}

static bool
in_set(const validator_info set[VALIDATOR_COUNT], const uint8_t address[ADDRESS_LEN])
{
	for (int i = 0; i < VALIDATOR_COUNT; i++)
		if (memcmp(set[i].address, address, ADDRESS_LEN) == 0)
			return true;
	return false;
}

/*
 * What an epoch change emits besides NewEpochEvent: rewards to every validator of the
 * ending epoch, oracle rewards, the slow-wallet drip, the validators that leave and join,
 * and a table item per epoch (so the state grows with the chain).
 */
static void
reconfiguration_effects(chain_builder *builder, const epoch_info *info)
{
	validator_info next[VALIDATOR_COUNT];
	move_values payload;
	state_key	key;
	byte_buf	item;
	byte_buf	value;

	validator_set(builder->chain->seed, builder->epoch + 1, next);
	for (int i = 0; i < VALIDATOR_COUNT; i++)
	{
		emit_validator_event(builder, info->validators[i].address, CN_DISTRIBUTE_REWARDS,
							 "0x1::stake::DistributeRewardsEvent", "rewards_amount",
							 prng_range(&builder->prng, 1000, 900000));
		write_random_resource(builder, info->validators[i].address, "0x1::stake::StakePool", OP_MODIFICATION);
	}
	mv_init(&payload);
	mv_address(&payload, "account", builder->accounts[builder->epoch % ORDINARY_ACCOUNT_COUNT]);
	mv_u64(&payload, "rewards_amount", prng_range(&builder->prng, 1, 100000));
	emit_event(builder, builder->framework, CN_ORACLE_REWARDS, "0x1::oracle::DistributeRewardsEvent", &payload);
	mv_free(&payload);
	mv_init(&payload);
	mv_u64(&payload, "value", prng_range(&builder->prng, 1, 1000000));
	mv_u64(&payload, "users", prng_range(&builder->prng, 1, 9));
	emit_event(builder, builder->framework, CN_DRIP, "0x1::slow_wallet::DripEvent", &payload);
	mv_free(&payload);
	for (int i = 0; i < VALIDATOR_COUNT; i++)
	{
		if (!in_set(next, info->validators[i].address))
			emit_validator_event(builder, info->validators[i].address, CN_LEAVE_VALIDATOR_SET,
								 "0x1::stake::LeaveValidatorSetEvent", NULL, 0);
		if (!in_set(info->validators, next[i].address))
			emit_validator_event(builder, next[i].address, CN_JOIN_VALIDATOR_SET,
								 "0x1::stake::JoinValidatorSetEvent", NULL, 0);
	}
	buf_init(&item);
	buf_init(&value);
	bcs_u64(&item, builder->epoch);
	bcs_u64(&value, builder->block_timestamp_usecs);
	key_table_item(&key, EPOCH_TABLE_HANDLE, item.data, item.len);
	write_key(builder, &key, OP_CREATION, value.data, value.len, builder->framework);
	buf_free(&item);
	buf_free(&value);
}

static void
build_block_metadata(chain_builder *builder, const block_header *header, const epoch_info *reconfiguration)
{
	chain_txn  *txn = new_txn(builder, TXN_BLOCK_METADATA);
	byte_buf	transaction;
	move_values payload;

	buf_init(&transaction);
	bcs_uleb128(&transaction, 2);	/* Transaction::BlockMetadata */
	bcs_fixed(&transaction, header->id, HASH_LEN);
	bcs_u64(&transaction, builder->epoch);
	bcs_u64(&transaction, builder->round);
	bcs_fixed(&transaction, header->proposer, ADDRESS_LEN);
	bcs_bytes(&transaction, &header->votes_bitvec, 1);
	bcs_uleb128(&transaction, (uint32_t) header->failed_count);
	for (size_t i = 0; i < header->failed_count; i++)
		bcs_u32(&transaction, (uint32_t) header->failed_proposers[i]);
	bcs_u64(&transaction, builder->block_timestamp_usecs);

	mv_init(&payload);
	mv_address(&payload, "hash", header->id);
	mv_u64(&payload, "epoch", builder->epoch);
	mv_u64(&payload, "round", builder->round);
	mv_u64(&payload, "height", builder->block_height);
	mv_bytes(&payload, "previous_block_votes_bitvec", &header->votes_bitvec, 1);
	mv_address(&payload, "proposer", header->proposer);
	mv_u64_vector(&payload, "failed_proposer_indices", header->failed_proposers, header->failed_count);
	mv_u64(&payload, "time_microseconds", builder->block_timestamp_usecs);
	emit_event(builder, builder->framework, CN_NEW_BLOCK, "0x1::block::NewBlockEvent", &payload);
	mv_free(&payload);
	builder->block_height++;
	write_random_resource(builder, builder->framework, "0x1::block::BlockResource", OP_MODIFICATION);
	if (reconfiguration != NULL)
	{
		emit_u64_event(builder, builder->framework, CN_NEW_EPOCH, "0x1::reconfiguration::NewEpochEvent",
					   "epoch", builder->epoch + 1);
		write_random_resource(builder, builder->framework, "0x1::reconfiguration::Configuration",
							  OP_MODIFICATION);
		write_random_resource(builder, builder->framework, "0x1::stake::ValidatorSet", OP_MODIFICATION);
		reconfiguration_effects(builder, reconfiguration);
	}
	memcpy(txn->proposer, header->proposer, ADDRESS_LEN);
	txn->is_reconfiguration = reconfiguration != NULL;
	txn->gas_used = 0;
	finish_record(builder, txn, &transaction, reconfiguration != NULL);
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
/* epochs */

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
	info->round = round;
	memcpy(info->block_id, block_id, HASH_LEN);
	validator_set(chain->seed, info->epoch + 1, info->next_validators);
	encode_epoch_state(&epoch_state, info->epoch + 1, info->next_validators);
	accumulator_root("TransactionAccumulator", (const uint8_t (*)[HASH_LEN]) chain->info_hashes,
					 info->last_version + 1, info->root_hash);
	if (genesis)
		memset(consensus_data_hash, 0, HASH_LEN);
	else
		prng_bytes(&builder->prng, consensus_data_hash, HASH_LEN);

	bcs_uleb128(&ledger_info, 0);	/* V0 */
	bcs_u64(&ledger_info, info->epoch);
	bcs_u64(&ledger_info, round);
	bcs_fixed(&ledger_info, block_id, HASH_LEN);
	bcs_fixed(&ledger_info, info->root_hash, HASH_LEN);
	bcs_u64(&ledger_info, info->last_version);
	bcs_u64(&ledger_info, info->end_timestamp_usecs);
	bcs_u8(&ledger_info, 1);	/* next_epoch_state Some */
	buf_append(&ledger_info, epoch_state.data, epoch_state.len);
	bcs_fixed(&ledger_info, consensus_data_hash, HASH_LEN);
	if (genesis)
	{
		bcs_uleb128(&ledger_info, 0);	/* empty bitmask */
		bcs_u8(&ledger_info, 0);	/* no signature */
		info->signer_count = 0;
	}
	else
	{
		uint8_t		bitmask = prng_chance(&builder->prng, 50) ? 0xf0 : 0xe0;
		uint8_t		signature[BLS_SIG_LEN];

		prng_bytes(&builder->prng, signature, BLS_SIG_LEN);
		bcs_bytes(&ledger_info, &bitmask, 1);
		bcs_u8(&ledger_info, 1);
		bcs_bytes(&ledger_info, signature, BLS_SIG_LEN);
		info->signer_count = bitmask == 0xf0 ? 4 : 3;
	}

	/* Ledger2WaypointConverter{epoch, root_hash, version, timestamp_usecs, next_epoch_state} */
	bcs_u64(&converter, info->epoch);
	bcs_fixed(&converter, info->root_hash, HASH_LEN);
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
		header->failed_proposers[i] = prng_range(&builder->prng, 0, VALIDATOR_COUNT - 1);
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
		build_block_metadata(builder, &header, NULL);
		user_count = is_nil(header.proposer) ? 0 : prng_range(&builder->prng, 0, 3);
		for (uint64_t i = 0; i < user_count; i++)
			build_user_txn(builder);
		build_state_checkpoint(builder, header.id);
	}
	random_block_header(builder, &header, info, false);
	build_block_metadata(builder, &header, info);
	info->last_version = chain->txn_count - 1;
	info->end_timestamp_usecs = builder->block_timestamp_usecs;
	finish_epoch(builder, info, builder->round, header.id);
}

/* The state after the epoch's last version; its root hash is that version's checkpoint hash. */
static void
take_snapshot(chain_builder *builder, const epoch_info *info)
{
	chain_model *chain = builder->chain;
	state_snapshot *snapshot;

	snapshot = GEN_PUSH(chain->snapshots, chain->snapshot_count);
	snapshot->epoch = info->epoch;
	snapshot->version = info->last_version;
	memcpy(snapshot->root_hash, chain->txns[info->last_version].checkpoint_hash, HASH_LEN);
	state_map_snapshot(&builder->state, snapshot);
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
		if (epoch % SNAPSHOT_EVERY == 0)
			take_snapshot(&builder, &chain->epochs[epoch]);
	}

	state_map_free(&builder.state);
	free(builder.event_counters);
	free(builder.account_records);
}

const epoch_info *
chain_epoch_of(const chain_model *chain, uint64_t version)
{
	for (size_t i = 0; i < chain->epoch_count; i++)
		if (version >= chain->epochs[i].first_version && version <= chain->epochs[i].last_version)
			return &chain->epochs[i];
	gen_fatal("version %llu is in no epoch", (unsigned long long) version);
}

static void
free_txn(chain_txn *txn)
{
	free(txn->record);
	for (uint32_t i = 0; i < txn->event_count; i++)
	{
		free(txn->events[i].type_text);
		free(txn->events[i].data);
		free(txn->events[i].decoded);
	}
	free(txn->events);
	for (uint32_t i = 0; i < txn->write_count; i++)
		free_write(&txn->writes[i]);
	free(txn->writes);
	if (txn->user != NULL)
	{
		for (size_t j = 0; j < txn->user->type_arg_count; j++)
			type_tag_free(txn->user->type_args[j]);
		free(txn->user->type_args);
		for (size_t j = 0; j < txn->user->arg_count; j++)
			free(txn->user->args[j].data);
		free(txn->user->args);
		free(txn->user->args_decoded);
		free(txn->user);
	}
}

void
chain_free(chain_model *chain)
{
	for (size_t i = 0; i < chain->txn_count; i++)
		free_txn(&chain->txns[i]);
	for (size_t i = 0; i < chain->epoch_count; i++)
		free(chain->epochs[i].ledger_info);
	for (size_t i = 0; i < chain->snapshot_count; i++)
		free(chain->snapshots[i].items);
	free(chain->snapshots);
	free(chain->txns);
	free(chain->epochs);
	free(chain->info_hashes);
	memset(chain, 0, sizeof(*chain));
}
