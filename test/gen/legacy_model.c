/*
 * legacy_model.c — generates the v4/v5 chain of legacy_model.h: genesis (a Direct
 * ChangeSet creating the accounts' resources), blocks (BlockMetadata without epoch, user
 * transactions with Script / ScriptFunction / Module / WriteSet payloads, every
 * TransactionArgument kind, Ed25519 / MultiEd25519 / MultiAgent authenticators and every
 * KeptVMStatus), v5 payment events, the epoch-ending ledger infos with their Ed25519
 * signature maps and waypoints, and the account-state snapshots with their state.proof.
 * Hashes use the era's domain (LIBRA:: for v4, DIEM:: for v5) and HashValues are serde_bytes
 * (0x20 || 32 bytes).
 */
#include "legacy_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "gen_hash.h"
#include "gen_util.h"
#include "move_values.h"
#include "type_tag.h"

#define LEGACY_ACCOUNTS 8		/* ordinary accounts, with an account resource */
#define LEGACY_POOL 6			/* validator pool */
#define FIRST_TIMESTAMP_USECS UINT64_C(1610000000000000)
#define CN_RECEIVED 0			/* received_events creation number */
#define CN_SENT 1				/* sent_events creation number */
#define CN_OTHER 5				/* the handle of the other event types */
#define GAS_TAG "0x1::GAS::GAS"

typedef struct account_model
{
	uint8_t		address[ADDR16];
	bool		has_account_resource;
	bool		miner;
	bool		slow;			/* v5 SlowWallet */
	uint8_t		auth_key[32];
	uint64_t	balance;
	uint64_t	sequence_number;
	uint64_t	sent;			/* sent_events counter */
	uint64_t	received;
	uint64_t	tower_height;
	uint8_t		proof_hash[32];
	uint64_t	role_id;
	uint64_t	unlocked;
	uint64_t	transferred;
} account_model;

typedef struct legacy_builder
{
	legacy_chain *chain;
	gen_prng	prng;
	size_t		txn_capacity;
	account_model accounts[LEGACY_ACCOUNTS + 1];	/* the last one has no account resource */
	uint64_t	other_event_sequence;
	uint64_t	user_count;
	uint64_t	epoch;
	uint64_t	round;
	uint64_t	timestamp_usecs;
	legacy_event *events;
	uint32_t	event_count;
} legacy_builder;

/* ------------------------------------------------------------------------- */
/* encoding helpers */

void
addr16_render(byte_buf *out, const uint8_t address[ADDR16])
{
	char		hex[2 * ADDR16 + 1];

	hex_encode(address, ADDR16, hex);
	buf_printf(out, "0x%s", hex);
}

static void
bcs_hv(byte_buf *out, const uint8_t hash[HASH_LEN])
{
	bcs_bytes(out, hash, HASH_LEN);
}

static void legacy_type_tag_bcs(byte_buf *out, const type_tag *tag);

/* StructTag with 16-byte addresses (the low 16 bytes of the parsed 32-byte address). */
static void
legacy_struct_tag_bcs(byte_buf *out, const struct_tag *tag)
{
	bcs_fixed(out, tag->address + ADDRESS_LEN - ADDR16, ADDR16);
	bcs_str(out, tag->module);
	bcs_str(out, tag->name);
	bcs_uleb128(out, (uint32_t) tag->type_param_count);
	for (size_t i = 0; i < tag->type_param_count; i++)
		legacy_type_tag_bcs(out, tag->type_params[i]);
}

static void
legacy_type_tag_bcs(byte_buf *out, const type_tag *tag)
{
	if (tag->kind > TYPE_STRUCT)
		gen_fatal("type tag %d does not exist before v6", (int) tag->kind);
	bcs_uleb128(out, (uint32_t) tag->kind);
	if (tag->kind == TYPE_VECTOR)
		legacy_type_tag_bcs(out, tag->element);
	else if (tag->kind == TYPE_STRUCT)
		legacy_struct_tag_bcs(out, tag->struct_type);
}

static void
type_text_bcs(byte_buf *out, const char *text)
{
	type_tag   *tag = type_tag_parse(text);

	legacy_type_tag_bcs(out, tag);
	type_tag_free(tag);
}

static char *
render_type_text(const char *text)
{
	type_tag   *tag = type_tag_parse(text);
	byte_buf	rendered;
	size_t		len;

	buf_init(&rendered);
	type_tag_render(&rendered, tag);
	buf_append(&rendered, "", 1);
	type_tag_free(tag);
	return (char *) buf_take(&rendered, &len);
}

/* ModuleId {address 0x1, name} */
static void
module_id_bcs(byte_buf *out, const char *module)
{
	uint8_t		one[ADDR16] = {0};

	one[ADDR16 - 1] = 1;
	bcs_fixed(out, one, ADDR16);
	bcs_str(out, module);
}

/*
 * access_key of a resource: v5 BCS(Path::Resource(StructTag)) = 01 || StructTag;
 * v4 01 || sha3(sha3("LIBRA::StructTag") || bcs(StructTag)) (33 bytes).
 */
static void
resource_access_key(const legacy_chain *chain, const char *struct_text, byte_buf *out)
{
	struct_tag *tag = struct_tag_parse(struct_text);
	byte_buf	bcs;

	buf_init(&bcs);
	legacy_struct_tag_bcs(&bcs, tag);
	bcs_u8(out, 1);
	if (chain->era == LEGACY_V5)
		buf_append(out, bcs.data, bcs.len);
	else
	{
		uint8_t		hash[HASH_LEN];

		domain_hash(chain->domain, "StructTag", bcs.data, bcs.len, hash);
		buf_append(out, hash, HASH_LEN);
	}
	buf_free(&bcs);
	struct_tag_free(tag);
}

/* access_key of a module: v5 00 || ModuleId; v4 00 || sha3(sha3("LIBRA::ModuleId") || bcs(ModuleId)) */
static void
module_access_key(const legacy_chain *chain, const char *module, byte_buf *out)
{
	byte_buf	bcs;

	buf_init(&bcs);
	module_id_bcs(&bcs, module);
	bcs_u8(out, 0);
	if (chain->era == LEGACY_V5)
		buf_append(out, bcs.data, bcs.len);
	else
	{
		uint8_t		hash[HASH_LEN];

		domain_hash(chain->domain, "ModuleId", bcs.data, bcs.len, hash);
		buf_append(out, hash, HASH_LEN);
	}
	buf_free(&bcs);
}

static const char *
account_type(const legacy_chain *chain)
{
	return chain->era == LEGACY_V5 ? "0x1::DiemAccount::DiemAccount" : "0x1::LibraAccount::LibraAccount";
}

static const char *
balance_type(const legacy_chain *chain)
{
	return chain->era == LEGACY_V5 ? "0x1::DiemAccount::Balance<" GAS_TAG ">"
		: "0x1::LibraAccount::Balance<" GAS_TAG ">";
}

static const char *
tower_type(const legacy_chain *chain)
{
	return chain->era == LEGACY_V5 ? "0x1::TowerState::TowerProofHistory" : "0x1::MinerState::MinerProofHistory";
}

static const char *
account_module(const legacy_chain *chain)
{
	return chain->era == LEGACY_V5 ? "DiemAccount" : "LibraAccount";
}

/* ------------------------------------------------------------------------- */
/* account resources */

static void
event_key(byte_buf *out, uint64_t creation_number, const uint8_t address[ADDR16])
{
	bcs_uleb128(out, 24);
	bcs_u64(out, creation_number);
	bcs_fixed(out, address, ADDR16);
}

/*
 * (Libra|Diem)Account: authentication_key bytes || withdraw_capability Option<addr16> ||
 * key_rotation_capability Option<addr16> || received_events {counter, guid bytes(24)} ||
 * sent_events {counter, guid} || sequence_number: 141 bytes with both capabilities.
 */
static void
account_resource_value(const account_model *account, byte_buf *out)
{
	bcs_bytes(out, account->auth_key, 32);
	bcs_u8(out, 1);
	bcs_fixed(out, account->address, ADDR16);
	if (account->miner)
		bcs_u8(out, 0);			/* key rotation capability extracted */
	else
	{
		bcs_u8(out, 1);
		bcs_fixed(out, account->address, ADDR16);
	}
	bcs_u64(out, account->received);
	event_key(out, CN_RECEIVED, account->address);
	bcs_u64(out, account->sent);
	event_key(out, CN_SENT, account->address);
	bcs_u64(out, account->sequence_number);
}

static void
tower_value(const account_model *account, byte_buf *out)
{
	bcs_bytes(out, account->proof_hash, 32);
	bcs_u64(out, account->tower_height);
	for (int i = 0; i < 5; i++)
		bcs_u64(out, account->tower_height * (uint64_t) (i + 1));
}

static void
push_resource(legacy_account *record, const legacy_chain *chain, const char *type_text, bool known,
			  const byte_buf *value)
{
	legacy_resource *resource = GEN_PUSH(record->resources, record->resource_count);
	byte_buf	key;

	buf_init(&key);
	resource_access_key(chain, type_text, &key);
	resource->access_key = buf_take(&key, &resource->access_key_len);
	resource->value = gen_malloc(value->len);
	memcpy(resource->value, value->data, value->len);
	resource->value_len = value->len;
	resource->name = known ? render_type_text(type_text) : NULL;
}

/* Map keys sorted by their BCS bytes (uleb length || bytes), as bcs serializes a BTreeMap. */
static int
compare_resources(const void *left_ptr, const void *right_ptr)
{
	const legacy_resource *left = left_ptr;
	const legacy_resource *right = right_ptr;
	size_t		common;
	int			cmp;

	if (left->access_key_len != right->access_key_len)
		return left->access_key_len < right->access_key_len ? -1 : 1;	/* one-byte uleb here */
	common = left->access_key_len;
	cmp = memcmp(left->access_key, right->access_key, common);
	return cmp;
}

/* The account's resources now (the snapshot records and genesis' ChangeSet use the same). */
static void
build_account_record(const legacy_chain *chain, const account_model *account, legacy_account *record)
{
	byte_buf	value;
	byte_buf	blob;
	byte_buf	bytes;

	memset(record, 0, sizeof(*record));
	buf_init(&value);
	domain_hash(chain->domain, "AccountAddress", account->address, ADDR16, record->key_hash);
	memcpy(record->address, account->address, ADDR16);
	record->has_address = account->has_account_resource;
	if (account->has_account_resource)
	{
		account_resource_value(account, &value);
		push_resource(record, chain, account_type(chain), true, &value);
	}
	buf_reset(&value);
	bcs_u64(&value, account->balance);
	push_resource(record, chain, balance_type(chain), true, &value);
	record->resources[record->resource_count - 1].has_balance = true;
	record->resources[record->resource_count - 1].balance = account->balance;
	buf_reset(&value);
	bcs_u64(&value, account->role_id);
	push_resource(record, chain, "0x1::Roles::RoleId", true, &value);
	if (account->miner)
	{
		buf_reset(&value);
		tower_value(account, &value);
		push_resource(record, chain, tower_type(chain), true, &value);
	}
	if (account->slow && chain->era == LEGACY_V5)
	{
		buf_reset(&value);
		bcs_u64(&value, account->unlocked);
		bcs_u64(&value, account->transferred);
		push_resource(record, chain, "0x1::DiemAccount::SlowWallet", true, &value);
	}
	if (!account->has_account_resource && chain->era == LEGACY_V4)
	{
		/* a type in no dictionary: its name cannot be recovered from the hashed key */
		buf_reset(&value);
		bcs_u64(&value, 7);
		bcs_bool(&value, 1);
		push_resource(record, chain, "0x1::Unknown::Thing", false, &value);
	}
	qsort(record->resources, record->resource_count, sizeof(legacy_resource), compare_resources);

	buf_init(&blob);
	bcs_uleb128(&blob, (uint32_t) record->resource_count);
	for (size_t i = 0; i < record->resource_count; i++)
	{
		bcs_bytes(&blob, record->resources[i].access_key, record->resources[i].access_key_len);
		bcs_bytes(&blob, record->resources[i].value, record->resources[i].value_len);
	}
	buf_init(&bytes);
	bcs_hv(&bytes, record->key_hash);
	bcs_bytes(&bytes, blob.data, blob.len);
	record->record = buf_take(&bytes, &record->record_len);
	buf_free(&blob);
	buf_free(&value);
}

static void
free_account_record(legacy_account *record)
{
	for (size_t i = 0; i < record->resource_count; i++)
	{
		free(record->resources[i].access_key);
		free(record->resources[i].value);
		free(record->resources[i].name);
	}
	free(record->resources);
	free(record->record);
}

/* ------------------------------------------------------------------------- */
/* events (v5 only: v4 records carry none) */

static legacy_event *
push_event(legacy_builder *builder, const uint8_t address[ADDR16], uint64_t creation_number, uint64_t sequence,
		   const char *type_text, const byte_buf *data)
{
	legacy_event *event = GEN_PUSH(builder->events, builder->event_count);

	memcpy(event->address, address, ADDR16);
	event->creation_number = creation_number;
	event->sequence_number = sequence;
	event->type_text = render_type_text(type_text);
	event->data = gen_malloc(data->len + 1);
	memcpy(event->data, data->data, data->len);
	event->data_len = data->len;
	return event;
}

/* ContractEvent::V0: key uleb(24) || creation_number || addr16, sequence, TypeTag, data */
static void
encode_event(byte_buf *out, const legacy_event *event, const char *type_source)
{
	bcs_uleb128(out, 0);
	event_key(out, event->creation_number, event->address);
	bcs_u64(out, event->sequence_number);
	type_text_bcs(out, type_source);
	bcs_bytes(out, event->data, event->data_len);
}

/* Sent/ReceivedPaymentEvent: amount || currency_code || payee|payer || metadata */
static void
payment_event(legacy_builder *builder, bool sent, const account_model *owner, const account_model *other,
			  uint64_t amount, const uint8_t *metadata, size_t metadata_len)
{
	byte_buf	data;
	legacy_event *event;
	char	   *decoded;
	byte_buf	address_json;
	size_t		len;

	buf_init(&data);
	bcs_u64(&data, amount);
	bcs_bytes(&data, (const uint8_t *) "GAS", 3);
	bcs_fixed(&data, other->address, ADDR16);
	bcs_bytes(&data, metadata, metadata_len);
	event = push_event(builder, owner->address, sent ? CN_SENT : CN_RECEIVED,
					   sent ? owner->sent : owner->received,
					   sent ? "0x1::DiemAccount::SentPaymentEvent" : "0x1::DiemAccount::ReceivedPaymentEvent", &data);
	event->has_amount = true;
	event->amount = amount;
	/* {"amount":N,"currency_code":"0x474153","payee":"0x<32 hex>","metadata":"0x..."} */
	buf_init(&address_json);
	buf_append_str(&address_json, "{");
	json_key(&address_json, "amount", true);
	buf_printf(&address_json, "%llu", (unsigned long long) amount);
	json_key(&address_json, "currency_code", false);
	json_hex(&address_json, (const uint8_t *) "GAS", 3);
	json_key(&address_json, sent ? "payee" : "payer", false);
	buf_append_str(&address_json, "\"");
	addr16_render(&address_json, other->address);
	buf_append_str(&address_json, "\"");
	json_key(&address_json, "metadata", false);
	json_hex(&address_json, metadata, metadata_len);
	buf_append_str(&address_json, "}");
	buf_append(&address_json, "", 1);
	decoded = (char *) buf_take(&address_json, &len);
	event->decoded = decoded;
	buf_free(&data);
}

static const char *const other_event_types[] = {
	"0x1::TowerState::ProofAcceptedNotice",
	"0x1::Wallet::MarkedNotice<0x1::GAS::GAS>",
};

static void
other_event(legacy_builder *builder, const uint8_t address[ADDR16], int which)
{
	byte_buf	data;
	uint8_t		bytes[24];
	size_t		len = (size_t) prng_range(&builder->prng, 8, sizeof(bytes));

	buf_init(&data);
	prng_bytes(&builder->prng, bytes, len);
	buf_append(&data, bytes, len);
	push_event(builder, address, CN_OTHER, builder->other_event_sequence++, other_event_types[which], &data);
	buf_free(&data);
}

/* ------------------------------------------------------------------------- */
/* records */

static legacy_txn *
new_txn(legacy_builder *builder, txn_kind kind)
{
	legacy_chain *chain = builder->chain;
	legacy_txn *txn;

	if (chain->txn_count == builder->txn_capacity)
	{
		builder->txn_capacity = builder->txn_capacity ? builder->txn_capacity * 2 : 256;
		chain->txns = gen_realloc(chain->txns, builder->txn_capacity * sizeof(legacy_txn));
		chain->info_hashes = gen_realloc(chain->info_hashes, builder->txn_capacity * HASH_LEN);
	}
	txn = &chain->txns[chain->txn_count];
	memset(txn, 0, sizeof(*txn));
	txn->version = chain->txn_count++;
	txn->kind = kind;
	txn->epoch = builder->epoch;
	txn->round = builder->round;
	txn->block_timestamp_usecs = kind == TXN_GENESIS ? 0 : builder->timestamp_usecs;
	txn->status = STATUS_SUCCESS;
	return txn;
}

static void
encode_location(byte_buf *out, const legacy_txn *txn)
{
	if (txn->location_is_script)
		bcs_uleb128(out, 1);
	else
	{
		/* location_module is "0x1::Module" */
		bcs_uleb128(out, 0);
		module_id_bcs(out, txn->location_module + 5);
	}
}

/* Transaction bytes (consumed) + TransactionInfo + (v5) the events built so far. */
static void
finish_record(legacy_builder *builder, legacy_txn *txn, byte_buf *transaction)
{
	legacy_chain *chain = builder->chain;
	byte_buf	info;
	byte_buf	events;
	byte_buf	record;
	uint8_t		event_root[HASH_LEN];
	uint8_t		(*leaves)[HASH_LEN] = gen_calloc(builder->event_count + 1, HASH_LEN);

	buf_init(&info);
	buf_init(&events);
	buf_init(&record);
	bcs_uleb128(&events, builder->event_count);
	for (uint32_t i = 0; i < builder->event_count; i++)
	{
		size_t		start = events.len;

		/* the rendered type text parses back to the same tag */
		encode_event(&events, &builder->events[i], builder->events[i].type_text);
		domain_hash(chain->domain, "ContractEvent", events.data + start, events.len - start, leaves[i]);
	}
	accumulator_root_domain(chain->domain, "EventAccumulator", (const uint8_t (*)[HASH_LEN]) leaves,
							builder->event_count, event_root);
	domain_hash(chain->domain, "Transaction", transaction->data, transaction->len, txn->tx_hash);
	prng_bytes(&builder->prng, txn->state_root_hash, HASH_LEN);

	bcs_hv(&info, txn->tx_hash);
	bcs_hv(&info, txn->state_root_hash);
	bcs_hv(&info, event_root);
	bcs_u64(&info, txn->gas_used);
	bcs_uleb128(&info, (uint32_t) txn->status);
	if (txn->status == STATUS_MOVE_ABORT)
	{
		encode_location(&info, txn);
		bcs_u64(&info, txn->abort_code);
	}
	else if (txn->status == STATUS_EXECUTION_FAILURE)
	{
		encode_location(&info, txn);
		bcs_u16(&info, (uint16_t) (txn->abort_code >> 16));
		bcs_u16(&info, (uint16_t) txn->abort_code);
	}
	domain_hash(chain->domain, "TransactionInfo", info.data, info.len, txn->info_hash);
	memcpy(chain->info_hashes[txn->version], txn->info_hash, HASH_LEN);

	buf_append(&record, transaction->data, transaction->len);
	txn->info_offset = record.len;
	txn->info_len = info.len;
	buf_append(&record, info.data, info.len);
	if (chain->era == LEGACY_V5)
	{
		buf_append(&record, events.data, events.len);
		txn->events = builder->events;
		txn->event_count = builder->event_count;
	}
	else if (builder->event_count != 0)
		gen_fatal("v4 records carry no events");
	txn->record = buf_take(&record, &txn->record_len);
	builder->events = NULL;
	builder->event_count = 0;
	free(leaves);
	buf_free(&info);
	buf_free(&events);
	buf_free(transaction);
}

/* WriteSet: Vec<(AccessPath{addr16, path bytes}, WriteOp 0 Deletion | 1 Value(bytes))> */
static void
write_entry(byte_buf *out, const uint8_t address[ADDR16], const byte_buf *path, const byte_buf *value)
{
	bcs_fixed(out, address, ADDR16);
	bcs_bytes(out, path->data, path->len);
	if (value == NULL)
		bcs_uleb128(out, 0);
	else
	{
		bcs_uleb128(out, 1);
		bcs_bytes(out, value->data, value->len);
	}
}

static void
build_genesis(legacy_builder *builder)
{
	legacy_chain *chain = builder->chain;
	legacy_txn *txn;
	byte_buf	transaction;
	byte_buf	entries;
	byte_buf	path;
	byte_buf	value;
	uint32_t	count = 0;
	uint8_t		framework[ADDR16] = {0};
	uint8_t		code[40];

	framework[ADDR16 - 1] = 1;
	builder->epoch = 0;
	builder->round = 0;
	txn = new_txn(builder, TXN_GENESIS);
	buf_init(&transaction);
	buf_init(&entries);
	buf_init(&path);
	buf_init(&value);

	/* the framework's account module, a deleted path, then every account's resources */
	module_access_key(chain, account_module(chain), &path);
	prng_bytes(&builder->prng, code, sizeof(code));
	code[0] = 0xa1;
	code[1] = 0x1c;
	code[2] = 0xeb;
	code[3] = 0x0b;
	buf_append(&value, code, sizeof(code));
	write_entry(&entries, framework, &path, &value);
	count++;
	buf_reset(&path);
	resource_access_key(chain, "0x1::Roles::RoleId", &path);
	write_entry(&entries, framework, &path, NULL);
	count++;
	for (int i = 0; i <= LEGACY_ACCOUNTS; i++)
	{
		legacy_account record;

		build_account_record(chain, &builder->accounts[i], &record);
		for (size_t r = 0; r < record.resource_count; r++)
		{
			buf_reset(&path);
			buf_append(&path, record.resources[r].access_key, record.resources[r].access_key_len);
			buf_reset(&value);
			buf_append(&value, record.resources[r].value, record.resources[r].value_len);
			write_entry(&entries, builder->accounts[i].address, &path, &value);
			count++;
		}
		free_account_record(&record);
	}

	bcs_uleb128(&transaction, 1);	/* Transaction::GenesisTransaction */
	bcs_uleb128(&transaction, 0);	/* WriteSetPayload::Direct */
	bcs_uleb128(&transaction, count);
	buf_append(&transaction, entries.data, entries.len);
	/* ChangeSet.events: one event (not a record event: not in events.csv) */
	bcs_uleb128(&transaction, 1);
	{
		legacy_event event;

		memset(&event, 0, sizeof(event));
		memcpy(event.address, framework, ADDR16);
		event.creation_number = 2;
		event.data = (uint8_t *) "\x01\x00\x00\x00\x00\x00\x00\x00";
		event.data_len = 8;
		encode_event(&transaction, &event,
					 chain->era == LEGACY_V5 ? "0x1::DiemConfig::NewEpochEvent" : "0x1::LibraConfig::NewEpochEvent");
	}
	txn->write_count = count;
	txn->gas_used = 0;
	finish_record(builder, txn, &transaction);
	buf_free(&entries);
	buf_free(&path);
	buf_free(&value);
}

static void
validator_set(const legacy_chain *chain, uint64_t epoch, legacy_validator out[LEGACY_VALIDATOR_COUNT])
{
	for (int i = 0; i < LEGACY_VALIDATOR_COUNT; i++)
	{
		unsigned	pool_index = (unsigned) ((epoch / 5 + (uint64_t) i) % LEGACY_POOL);
		char	   *name = gen_asprintf("legacy-validator-%u", pool_index);
		gen_prng	key_prng;

		prng_init(&key_prng, gen_name_hash(chain->seed, name), 9);
		prng_bytes(&key_prng, out[i].address, ADDR16);
		prng_bytes(&key_prng, out[i].public_key, 32);
		out[i].voting_power = 10 + (uint64_t) pool_index;
		free(name);
	}
	/* BTreeMap order */
	for (int i = 1; i < LEGACY_VALIDATOR_COUNT; i++)
		for (int j = i; j > 0 && memcmp(out[j - 1].address, out[j].address, ADDR16) > 0; j--)
		{
			legacy_validator tmp = out[j];

			out[j] = out[j - 1];
			out[j - 1] = tmp;
		}
}

static void
build_block_metadata(legacy_builder *builder, const legacy_validator set[LEGACY_VALIDATOR_COUNT],
					 uint8_t block_id[HASH_LEN])
{
	legacy_txn *txn;
	byte_buf	transaction;
	unsigned	voters = prng_chance(&builder->prng, 70) ? 3 : 4;
	const legacy_validator *proposer;

	builder->round += 1 + (prng_chance(&builder->prng, 15) ? 1 : 0);
	builder->timestamp_usecs += prng_range(&builder->prng, 200000, 3000000);
	txn = new_txn(builder, TXN_BLOCK_METADATA);
	prng_bytes(&builder->prng, block_id, HASH_LEN);
	proposer = &set[prng_range(&builder->prng, 0, LEGACY_VALIDATOR_COUNT - 1)];
	buf_init(&transaction);
	bcs_uleb128(&transaction, 2);	/* Transaction::BlockMetadata */
	bcs_hv(&transaction, block_id);
	bcs_u64(&transaction, builder->round);
	bcs_u64(&transaction, builder->timestamp_usecs);
	bcs_uleb128(&transaction, voters);
	for (unsigned i = 0; i < voters; i++)
		bcs_fixed(&transaction, set[i].address, ADDR16);
	bcs_fixed(&transaction, proposer->address, ADDR16);
	memcpy(txn->proposer, proposer->address, ADDR16);
	txn->gas_used = 0;
	finish_record(builder, txn, &transaction);
}

/* ------------------------------------------------------------------------- */
/* user transactions */

typedef enum user_template
{
	TPL_PAYMENT,				/* v5 ScriptFunction / v4 Script peer_to_peer_with_metadata */
	TPL_MINER,					/* v5 ScriptFunction / v4 Script miner proof */
	TPL_ALL_ARGS,				/* Script with every TransactionArgument kind */
	TPL_MODULE,
	TPL_WRITE_SET,
	TPL_SCRIPT_PAYMENT,			/* v5: a payment by Script */
	TPL_COUNT
} user_template;

static void
add_arg(legacy_txn *txn, const uint8_t *data, size_t len)
{
	arg_value  *arg = GEN_PUSH(txn->args, txn->arg_count);

	arg->data = gen_malloc(len + 1);
	memcpy(arg->data, data, len);
	arg->len = len;
}

static void
add_type_arg(legacy_txn *txn, const char *text)
{
	txn->type_args = gen_realloc(txn->type_args, (txn->type_arg_count + 1) * sizeof(char *));
	txn->type_args[txn->type_arg_count++] = render_type_text(text);
}

/* TransactionArgument: tag, value; the args column shows the value bytes */
static void
script_arg(byte_buf *out, legacy_txn *txn, uint32_t tag, const uint8_t *value, size_t len)
{
	bcs_uleb128(out, tag);
	if (tag == 4)
		bcs_bytes(out, value, len);
	else
		bcs_fixed(out, value, len);
	add_arg(txn, value, len);
}

static void
script_code(legacy_builder *builder, byte_buf *out)
{
	uint8_t		code[32];
	size_t		len = (size_t) prng_range(&builder->prng, 12, sizeof(code));

	prng_bytes(&builder->prng, code, len);
	code[0] = 0xa1;
	code[1] = 0x1c;
	code[2] = 0xeb;
	code[3] = 0x0b;
	bcs_bytes(out, code, len);
}

static void
account_authenticator(legacy_builder *builder, byte_buf *out, bool multi)
{
	uint8_t		bytes[64 * 2 + 4];

	bcs_uleb128(out, multi ? 1 : 0);
	if (multi)
	{
		prng_bytes(&builder->prng, bytes, 32 * 3 + 1);
		bytes[32 * 3] = 2;		/* threshold */
		bcs_bytes(out, bytes, 32 * 3 + 1);
		prng_bytes(&builder->prng, bytes, 64 * 2 + 4);
		/* the bitmap names exactly the two signers: keys 0 and 2 */
		bytes[64 * 2] = 0xa0;
		bytes[64 * 2 + 1] = bytes[64 * 2 + 2] = bytes[64 * 2 + 3] = 0;
		bcs_bytes(out, bytes, 64 * 2 + 4);
	}
	else
	{
		prng_bytes(&builder->prng, bytes, 32);
		bcs_bytes(out, bytes, 32);
		prng_bytes(&builder->prng, bytes, 64);
		bcs_bytes(out, bytes, 64);
	}
}

static void
build_user_txn(legacy_builder *builder)
{
	legacy_chain *chain = builder->chain;
	bool		v5 = chain->era == LEGACY_V5;
	uint64_t	k = builder->user_count++;
	user_template template;
	legacy_txn *txn;
	account_model *sender;
	account_model *payee;
	byte_buf	transaction;
	uint64_t	amount = 0;
	uint8_t		metadata[8];
	size_t		metadata_len = 0;

	/* the first transactions cover every template, status and authenticator; then random */
	if (k < TPL_COUNT)
		template = (user_template) k;
	else
	{
		uint64_t	draw = prng_range(&builder->prng, 0, 99);

		template = draw < 40 ? TPL_PAYMENT : draw < 80 ? TPL_MINER : draw < 88 ? TPL_ALL_ARGS
			: draw < 92 ? TPL_MODULE : draw < 95 ? TPL_WRITE_SET : TPL_SCRIPT_PAYMENT;
	}
	if (!v5 && template == TPL_SCRIPT_PAYMENT)
		template = TPL_PAYMENT;
	sender = &builder->accounts[prng_range(&builder->prng, 0, LEGACY_ACCOUNTS - 1)];
	payee = &builder->accounts[prng_range(&builder->prng, 0, LEGACY_ACCOUNTS)];
	if (payee == sender)
		payee = &builder->accounts[LEGACY_ACCOUNTS];

	txn = new_txn(builder, TXN_USER);
	memcpy(txn->sender, sender->address, ADDR16);
	txn->sequence_number = sender->sequence_number++;
	txn->max_gas_amount = prng_range(&builder->prng, 1000, 1000000);
	txn->gas_unit_price = prng_range(&builder->prng, 0, 2);
	txn->expiration_timestamp_secs = builder->timestamp_usecs / 1000000 + prng_range(&builder->prng, 60, 86400);
	txn->chain_id = chain->chain_id;
	txn->gas_used = prng_range(&builder->prng, 1, txn->max_gas_amount < 5000 ? txn->max_gas_amount : 5000);

	/* status: each kind early, then mostly Executed */
	switch (k)
	{
		case 1:
			txn->status = STATUS_MOVE_ABORT;
			break;
		case 2:
			txn->status = STATUS_OUT_OF_GAS;
			break;
		case 3:
			txn->status = STATUS_EXECUTION_FAILURE;
			break;
		case 4:
			txn->status = STATUS_MISCELLANEOUS_ERROR;
			break;
		case 7:
			txn->status = STATUS_MOVE_ABORT;
			txn->location_is_script = true;
			break;
		case 8:
			txn->status = STATUS_EXECUTION_FAILURE;
			break;
		default:
			if (k > 8 && prng_chance(&builder->prng, 8))
				txn->status = (status_kind) prng_range(&builder->prng, 1, 4);
			break;
	}
	if (txn->status == STATUS_MOVE_ABORT || txn->status == STATUS_EXECUTION_FAILURE)
	{
		if (k > 8)
			txn->location_is_script = prng_chance(&builder->prng, 30);
		if (!txn->location_is_script)
			txn->location_module = gen_asprintf("0x1::%s", prng_chance(&builder->prng, 50) ? account_module(chain)
												: v5 ? "TowerState" : "MinerState");
		if (txn->status == STATUS_MOVE_ABORT)
			txn->abort_code = prng_range(&builder->prng, 1, 100000);
		else
			txn->abort_code = (prng_range(&builder->prng, 0, 20) << 16) | prng_range(&builder->prng, 0, 400);
	}

	buf_init(&transaction);
	bcs_uleb128(&transaction, 0);	/* Transaction::UserTransaction */
	bcs_fixed(&transaction, sender->address, ADDR16);
	bcs_u64(&transaction, txn->sequence_number);
	if (template == TPL_PAYMENT || template == TPL_SCRIPT_PAYMENT)
	{
		amount = prng_range(&builder->prng, 1, sender->balance / 100 + 1);
		metadata_len = (size_t) prng_range(&builder->prng, 0, sizeof(metadata));
		prng_bytes(&builder->prng, metadata, metadata_len);
	}
	if (v5 && (template == TPL_PAYMENT || template == TPL_MINER))
	{
		byte_buf	arg;

		buf_init(&arg);
		bcs_uleb128(&transaction, 3);	/* ScriptFunction */
		txn->payload_kind = "script_function";
		if (template == TPL_PAYMENT)
		{
			module_id_bcs(&transaction, "PaymentScripts");
			bcs_str(&transaction, "peer_to_peer_with_metadata");
			txn->function = gen_strdup("0x1::PaymentScripts::peer_to_peer_with_metadata");
			bcs_uleb128(&transaction, 1);
			type_text_bcs(&transaction, GAS_TAG);
			add_type_arg(txn, GAS_TAG);
			bcs_uleb128(&transaction, 4);
			bcs_fixed(&arg, payee->address, ADDR16);
			bcs_bytes(&transaction, arg.data, arg.len);
			add_arg(txn, arg.data, arg.len);
			buf_reset(&arg);
			bcs_u64(&arg, amount);
			bcs_bytes(&transaction, arg.data, arg.len);
			add_arg(txn, arg.data, arg.len);
			buf_reset(&arg);
			bcs_bytes(&arg, metadata, metadata_len);
			bcs_bytes(&transaction, arg.data, arg.len);
			add_arg(txn, arg.data, arg.len);
			buf_reset(&arg);
			bcs_bytes(&arg, NULL, 0);
			bcs_bytes(&transaction, arg.data, arg.len);
			add_arg(txn, arg.data, arg.len);
		}
		else
		{
			uint8_t		proof[40];

			module_id_bcs(&transaction, "TowerStateScripts");
			bcs_str(&transaction, "minerstate_commit_by_operator");
			txn->function = gen_strdup("0x1::TowerStateScripts::minerstate_commit_by_operator");
			bcs_uleb128(&transaction, 0);
			bcs_uleb128(&transaction, 3);
			bcs_fixed(&arg, payee->address, ADDR16);
			bcs_bytes(&transaction, arg.data, arg.len);
			add_arg(txn, arg.data, arg.len);
			for (int i = 0; i < 2; i++)
			{
				buf_reset(&arg);
				prng_bytes(&builder->prng, proof, sizeof(proof));
				bcs_bytes(&arg, proof, i == 0 ? 16 : sizeof(proof));
				bcs_bytes(&transaction, arg.data, arg.len);
				add_arg(txn, arg.data, arg.len);
			}
		}
		buf_free(&arg);
	}
	else if (template == TPL_PAYMENT || template == TPL_SCRIPT_PAYMENT || template == TPL_MINER ||
			 template == TPL_ALL_ARGS)
	{
		uint8_t		value[48];

		bcs_uleb128(&transaction, 1);	/* Script */
		txn->payload_kind = "script";
		script_code(builder, &transaction);
		if (template == TPL_MINER)
		{
			bcs_uleb128(&transaction, 0);
			bcs_uleb128(&transaction, 2);
			prng_bytes(&builder->prng, value, 32);
			script_arg(&transaction, txn, 4, value, 32);
			prng_bytes(&builder->prng, value, 48);
			script_arg(&transaction, txn, 4, value, 48);
		}
		else if (template == TPL_ALL_ARGS)
		{
			byte_buf	vector;

			bcs_uleb128(&transaction, 2);
			type_text_bcs(&transaction, GAS_TAG);
			add_type_arg(txn, GAS_TAG);
			type_text_bcs(&transaction, "vector<u8>");
			add_type_arg(txn, "vector<u8>");
			bcs_uleb128(&transaction, 7);
			value[0] = (uint8_t) prng_range(&builder->prng, 0, 255);
			script_arg(&transaction, txn, 0, value, 1);
			prng_bytes(&builder->prng, value, 8);
			script_arg(&transaction, txn, 1, value, 8);
			prng_bytes(&builder->prng, value, 16);
			script_arg(&transaction, txn, 2, value, 16);
			script_arg(&transaction, txn, 3, payee->address, ADDR16);
			prng_bytes(&builder->prng, value, 5);
			script_arg(&transaction, txn, 4, value, 5);
			/* AddressVector: the column shows its BCS, count included */
			buf_init(&vector);
			bcs_uleb128(&vector, 2);
			bcs_fixed(&vector, sender->address, ADDR16);
			bcs_fixed(&vector, payee->address, ADDR16);
			bcs_uleb128(&transaction, 5);
			buf_append(&transaction, vector.data, vector.len);
			add_arg(txn, vector.data, vector.len);
			buf_free(&vector);
			value[0] = 1;
			script_arg(&transaction, txn, 6, value, 1);
		}
		else
		{
			uint8_t		amount_bytes[8];

			bcs_uleb128(&transaction, 1);
			type_text_bcs(&transaction, GAS_TAG);
			add_type_arg(txn, GAS_TAG);
			bcs_uleb128(&transaction, 4);
			script_arg(&transaction, txn, 3, payee->address, ADDR16);
			for (int i = 0; i < 8; i++)
				amount_bytes[i] = (uint8_t) (amount >> (8 * i));
			script_arg(&transaction, txn, 1, amount_bytes, 8);
			script_arg(&transaction, txn, 4, metadata, metadata_len);
			script_arg(&transaction, txn, 4, NULL, 0);
		}
	}
	else if (template == TPL_MODULE)
	{
		bcs_uleb128(&transaction, 2);	/* Module */
		txn->payload_kind = "module";
		script_code(builder, &transaction);
	}
	else
	{
		byte_buf	path;
		byte_buf	value;

		bcs_uleb128(&transaction, 0);	/* WriteSet */
		txn->payload_kind = "write_set";
		bcs_uleb128(&transaction, 0);	/* WriteSetPayload::Direct */
		buf_init(&path);
		buf_init(&value);
		resource_access_key(chain, "0x1::Roles::RoleId", &path);
		bcs_u64(&value, 5);
		bcs_uleb128(&transaction, 1);
		write_entry(&transaction, sender->address, &path, &value);
		bcs_uleb128(&transaction, 0);	/* no events */
		buf_free(&path);
		buf_free(&value);
	}
	bcs_u64(&transaction, txn->max_gas_amount);
	bcs_u64(&transaction, txn->gas_unit_price);
	bcs_str(&transaction, "GAS");
	bcs_u64(&transaction, txn->expiration_timestamp_secs);
	bcs_u8(&transaction, txn->chain_id);

	/* authenticator: MultiEd25519 and (v5) MultiAgent now and then */
	if (k == 3 || (k > 8 && prng_chance(&builder->prng, 6)))
	{
		txn->authenticator = "multi_ed25519";
		account_authenticator(builder, &transaction, true);
	}
	else if (v5 && (k == 4 || (k > 8 && prng_chance(&builder->prng, 5))))
	{
		txn->authenticator = "multi_agent";
		bcs_uleb128(&transaction, 2);
		account_authenticator(builder, &transaction, false);
		bcs_uleb128(&transaction, 1);
		bcs_fixed(&transaction, payee->address, ADDR16);
		bcs_uleb128(&transaction, 1);
		account_authenticator(builder, &transaction, k % 2 == 0);
	}
	else
	{
		txn->authenticator = "ed25519";
		account_authenticator(builder, &transaction, false);
	}

	/* effects: only when executed */
	if (txn->status == STATUS_SUCCESS)
	{
		if (template == TPL_PAYMENT || template == TPL_SCRIPT_PAYMENT)
		{
			sender->balance -= amount;
			payee->balance += amount;
			if (v5)
			{
				payment_event(builder, true, sender, payee, amount, metadata, metadata_len);
				payment_event(builder, false, payee, sender, amount, metadata, metadata_len);
			}
			sender->sent++;
			payee->received++;
			if (sender->slow)
				sender->transferred += amount;
		}
		else if (template == TPL_MINER)
		{
			sender->tower_height++;
			prng_bytes(&builder->prng, sender->proof_hash, 32);
			if (v5)
				other_event(builder, sender->address, 0);
		}
		else if (template == TPL_ALL_ARGS && v5)
			other_event(builder, sender->address, 1);
	}
	if (sender->slow)
		sender->unlocked += 10;
	finish_record(builder, txn, &transaction);
}

/* ------------------------------------------------------------------------- */
/* epochs */

static void
encode_epoch_state(byte_buf *out, const legacy_epoch *info)
{
	bcs_u64(out, info->epoch + 1);
	bcs_uleb128(out, LEGACY_VALIDATOR_COUNT);
	for (int i = 0; i < LEGACY_VALIDATOR_COUNT; i++)
	{
		bcs_fixed(out, info->next_validators[i].address, ADDR16);
		bcs_bytes(out, info->next_validators[i].public_key, 32);
		bcs_u64(out, info->next_validators[i].voting_power);
	}
	bcs_u64(out, info->quorum_voting_power);
	bcs_u64(out, info->total_voting_power);
}

/* LedgerInfoWithSignatures ending the epoch (§4.2) and its waypoint (§4.3). */
static void
finish_epoch(legacy_builder *builder, legacy_epoch *info, const uint8_t block_id[HASH_LEN])
{
	legacy_chain *chain = builder->chain;
	legacy_validator signers[LEGACY_VALIDATOR_COUNT];
	byte_buf	li;
	byte_buf	epoch_state;
	byte_buf	converter;
	uint8_t		consensus_hash[HASH_LEN];
	uint8_t		waypoint_hash[HASH_LEN];
	char		hex[2 * HASH_LEN + 1];

	buf_init(&li);
	buf_init(&epoch_state);
	buf_init(&converter);
	info->round = builder->round;
	memcpy(info->block_id, block_id, HASH_LEN);
	validator_set(chain, info->epoch + 1, info->next_validators);
	info->total_voting_power = 0;
	for (int i = 0; i < LEGACY_VALIDATOR_COUNT; i++)
		info->total_voting_power += info->next_validators[i].voting_power;
	info->quorum_voting_power = info->total_voting_power * 2 / 3 + 1;
	encode_epoch_state(&epoch_state, info);
	accumulator_root_domain(chain->domain, "TransactionAccumulator",
							(const uint8_t (*)[HASH_LEN]) chain->info_hashes, info->last_version + 1,
							info->root_hash);
	if (info->epoch == 0)
		memset(consensus_hash, 0, HASH_LEN);
	else
		prng_bytes(&builder->prng, consensus_hash, HASH_LEN);

	bcs_uleb128(&li, 0);
	bcs_u64(&li, info->epoch);
	bcs_u64(&li, info->round);
	bcs_hv(&li, info->block_id);
	bcs_hv(&li, info->root_hash);
	bcs_u64(&li, info->last_version);
	bcs_u64(&li, info->end_timestamp_usecs);
	bcs_u8(&li, 1);
	buf_append(&li, epoch_state.data, epoch_state.len);
	bcs_hv(&li, consensus_hash);
	/* signatures of this epoch's set (sorted by address), genesis unsigned */
	info->signer_count = info->epoch == 0 ? 0 : prng_chance(&builder->prng, 50) ? 4 : 3;
	validator_set(chain, info->epoch, signers);
	bcs_uleb128(&li, info->signer_count);
	for (unsigned i = 0; i < info->signer_count; i++)
	{
		uint8_t		signature[64];

		prng_bytes(&builder->prng, signature, sizeof(signature));
		bcs_fixed(&li, signers[i].address, ADDR16);
		bcs_bytes(&li, signature, sizeof(signature));
	}

	bcs_u64(&converter, info->epoch);
	bcs_hv(&converter, info->root_hash);
	bcs_u64(&converter, info->last_version);
	bcs_u64(&converter, info->end_timestamp_usecs);
	bcs_u8(&converter, 1);
	buf_append(&converter, epoch_state.data, epoch_state.len);
	domain_hash(chain->domain, "Ledger2WaypointConverter", converter.data, converter.len, waypoint_hash);
	hex_encode(waypoint_hash, HASH_LEN, hex);
	snprintf(info->waypoint, sizeof(info->waypoint), "%llu:%s", (unsigned long long) info->last_version, hex);
	info->ledger_info = buf_take(&li, &info->ledger_info_len);
	buf_free(&epoch_state);
	buf_free(&converter);
}

static void
build_epoch(legacy_builder *builder, legacy_epoch *info)
{
	legacy_chain *chain = builder->chain;
	legacy_validator set[LEGACY_VALIDATOR_COUNT];
	uint64_t	target = prng_range(&builder->prng, 15, 30);
	uint8_t		block_id[HASH_LEN];

	builder->epoch = info->epoch;
	builder->round = 0;
	info->first_version = chain->txn_count;
	validator_set(chain, info->epoch, set);
	while (chain->txn_count - info->first_version + 1 < target)
	{
		uint64_t	users = prng_range(&builder->prng, 0, 3);

		build_block_metadata(builder, set, block_id);
		for (uint64_t i = 0; i < users; i++)
			build_user_txn(builder);
	}
	/* the reconfiguration block ends the epoch */
	build_block_metadata(builder, set, block_id);
	info->last_version = chain->txn_count - 1;
	info->end_timestamp_usecs = builder->timestamp_usecs;
	finish_epoch(builder, info, block_id);
}

static int
compare_accounts(const void *left, const void *right)
{
	return memcmp(((const legacy_account *) left)->key_hash, ((const legacy_account *) right)->key_hash, HASH_LEN);
}

/* Every account's record at the end of the epoch, and state.proof (§5). */
static void
take_snapshot(legacy_builder *builder, const legacy_epoch *info)
{
	legacy_chain *chain = builder->chain;
	legacy_snapshot *snapshot = GEN_PUSH(chain->snapshots, chain->snapshot_count);
	const legacy_txn *txn = &chain->txns[info->last_version];
	byte_buf	proof;

	snapshot->epoch = info->epoch;
	snapshot->version = info->last_version;
	memcpy(snapshot->root_hash, txn->state_root_hash, HASH_LEN);
	snapshot->account_count = LEGACY_ACCOUNTS + 1;
	snapshot->accounts = gen_calloc(snapshot->account_count, sizeof(legacy_account));
	for (size_t i = 0; i < snapshot->account_count; i++)
		build_account_record(chain, &builder->accounts[i], &snapshot->accounts[i]);
	qsort(snapshot->accounts, snapshot->account_count, sizeof(legacy_account), compare_accounts);

	buf_init(&proof);
	accumulator_siblings(chain->domain, "TransactionAccumulator", (const uint8_t (*)[HASH_LEN]) chain->info_hashes,
						 info->last_version + 1, info->last_version, &proof);
	buf_append(&proof, txn->record + txn->info_offset, txn->info_len);
	buf_append(&proof, info->ledger_info, info->ledger_info_len);
	snapshot->proof = buf_take(&proof, &snapshot->proof_len);
}

static void
init_accounts(legacy_builder *builder)
{
	for (int i = 0; i <= LEGACY_ACCOUNTS; i++)
	{
		account_model *account = &builder->accounts[i];

		prng_bytes(&builder->prng, account->address, ADDR16);
		prng_bytes(&builder->prng, account->auth_key, 32);
		account->has_account_resource = i < LEGACY_ACCOUNTS;
		account->miner = i % 3 == 0 && i < LEGACY_ACCOUNTS;
		account->slow = i % 4 == 1;
		account->balance = prng_range(&builder->prng, UINT64_C(1000000000), UINT64_C(100000000000));
		account->role_id = i == 0 ? 3 : i == LEGACY_ACCOUNTS ? 6 : 5;
		prng_bytes(&builder->prng, account->proof_hash, 32);
	}
}

void
legacy_generate(legacy_chain *chain, legacy_era era, uint64_t seed, uint64_t last_epoch, uint8_t chain_id)
{
	legacy_builder builder;
	uint8_t		zero_id[HASH_LEN] = {0};

	memset(chain, 0, sizeof(*chain));
	memset(&builder, 0, sizeof(builder));
	chain->era = era;
	chain->domain = era == LEGACY_V4 ? "LIBRA::" : "DIEM::";
	chain->framework = era == LEGACY_V4 ? "v4" : "v5";
	chain->seed = seed;
	chain->chain_id = chain_id;
	chain->epoch_count = (size_t) last_epoch + 1;
	chain->epochs = gen_calloc(chain->epoch_count, sizeof(legacy_epoch));
	builder.chain = chain;
	prng_init(&builder.prng, seed, era == LEGACY_V4 ? 44 : 55);
	init_accounts(&builder);
	builder.timestamp_usecs = FIRST_TIMESTAMP_USECS;

	build_genesis(&builder);
	chain->epochs[0].epoch = 0;
	chain->epochs[0].first_version = 0;
	chain->epochs[0].last_version = 0;
	chain->epochs[0].end_timestamp_usecs = 0;
	finish_epoch(&builder, &chain->epochs[0], zero_id);
	for (uint64_t epoch = 1; epoch <= last_epoch; epoch++)
	{
		chain->epochs[epoch].epoch = epoch;
		build_epoch(&builder, &chain->epochs[epoch]);
		if (epoch % LEGACY_SNAPSHOT_EVERY == 0)
			take_snapshot(&builder, &chain->epochs[epoch]);
	}
}

const legacy_epoch *
legacy_epoch_of(const legacy_chain *chain, uint64_t version)
{
	for (size_t i = 0; i < chain->epoch_count; i++)
		if (version >= chain->epochs[i].first_version && version <= chain->epochs[i].last_version)
			return &chain->epochs[i];
	gen_fatal("version %llu is in no epoch", (unsigned long long) version);
}

void
legacy_free(legacy_chain *chain)
{
	for (size_t i = 0; i < chain->txn_count; i++)
	{
		legacy_txn *txn = &chain->txns[i];

		free(txn->record);
		free(txn->location_module);
		free(txn->function);
		for (size_t j = 0; j < txn->type_arg_count; j++)
			free(txn->type_args[j]);
		free(txn->type_args);
		for (size_t j = 0; j < txn->arg_count; j++)
			free(txn->args[j].data);
		free(txn->args);
		for (uint32_t j = 0; j < txn->event_count; j++)
		{
			free(txn->events[j].type_text);
			free(txn->events[j].data);
			free(txn->events[j].decoded);
		}
		free(txn->events);
	}
	for (size_t i = 0; i < chain->epoch_count; i++)
		free(chain->epochs[i].ledger_info);
	for (size_t i = 0; i < chain->snapshot_count; i++)
	{
		for (size_t j = 0; j < chain->snapshots[i].account_count; j++)
			free_account_record(&chain->snapshots[i].accounts[j]);
		free(chain->snapshots[i].accounts);
		free(chain->snapshots[i].proof);
	}
	free(chain->snapshots);
	free(chain->txns);
	free(chain->info_hashes);
	free(chain->epochs);
	memset(chain, 0, sizeof(*chain));
}
