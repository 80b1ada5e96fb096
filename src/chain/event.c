/*
 * event.c — the one parser of Vec<ContractEvent> (FORMAT-transactions-v6v7.md §4.10, and
 * the v4/v5 layout of FORMAT-epochs-state-legacy.md §8.3): an iterator that validates each
 * ContractEvent::V0 and returns views into the record, the classification of an event by
 * the BCS bytes of its type tag (a non-generic struct at 0x1, 32- or 16-byte address by
 * era), and the JSON rendering of the payloads whose Move layouts are known (§8 of the v6
 * docs; the v5 ones from the libra-legacy-v6 v5.2.0 Move sources).
 */
#include "chain/event.h"

#include <string.h>

#include "chain/json.h"
#include "chain/render.h"
#include "chain/transaction.h"

#define ADDR_LEN FF_ADDR_LEN_V6
#define LEGACY_ADDR_LEN 16

/* tag, EventKey { creation_number, address }, sequence_number, 1-byte type tag, empty data */
#define MIN_CONTRACT_EVENT (1 + 8 + ADDR_LEN + 8 + 1 + 1)
/* v4/v5: the EventKey is serde bytes, uleb(24) + creation_number + address[16] */
#define LEGACY_EVENT_KEY_LEN (8 + LEGACY_ADDR_LEN)
#define MIN_LEGACY_CONTRACT_EVENT (1 + 1 + LEGACY_EVENT_KEY_LEN + 8 + 1 + 1)

/* ------------------------------------------------------------------------------------ */
/* payload layouts: the fields of the Move event structs, in declaration order           */

typedef struct event_field
{
	const char *name;			/* NULL ends a layout */
	ff_move_kind kind;
	const struct event_field *nested;	/* a struct-typed field: its layout (kind unused) */
	bool		addr16;			/* ADDRESS / VEC_ADDRESS of 16 bytes (v4/v5) */
} event_field;

#define FIELD(name, kind) {name, kind, NULL, false}
#define FIELD16(name, kind) {name, kind, NULL, true}
#define END_OF_FIELDS {NULL, FF_MOVE_U64, NULL, false}

static const event_field amount_fields[] = {
	FIELD("amount", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field new_block_fields[] = {
	FIELD("hash", FF_MOVE_ADDRESS),
	FIELD("epoch", FF_MOVE_U64),
	FIELD("round", FF_MOVE_U64),
	FIELD("height", FF_MOVE_U64),
	FIELD("previous_block_votes_bitvec", FF_MOVE_BYTES),
	FIELD("proposer", FF_MOVE_ADDRESS),
	FIELD("failed_proposer_indices", FF_MOVE_VEC_U64),
	FIELD("time_microseconds", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field new_epoch_fields[] = {
	FIELD("epoch", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field stake_rewards_fields[] = {
	FIELD("validator_address", FF_MOVE_ADDRESS),
	FIELD("rewards_amount", FF_MOVE_U64),
	END_OF_FIELDS
};

/* 0x1::type_info::TypeInfo */
static const event_field type_info_fields[] = {
	FIELD("account_address", FF_MOVE_ADDRESS),
	FIELD("module_name", FF_MOVE_BYTES),
	FIELD("struct_name", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field coin_register_fields[] = {
	{"type_info", FF_MOVE_BYTES, type_info_fields, false},
	END_OF_FIELDS
};

static const event_field key_rotation_fields[] = {
	FIELD("old_authentication_key", FF_MOVE_BYTES),
	FIELD("new_authentication_key", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field drip_fields[] = {
	FIELD("value", FF_MOVE_U64),
	FIELD("users", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field direct_transfer_config_fields[] = {
	FIELD("new_allow_direct_transfers", FF_MOVE_BOOL),
	END_OF_FIELDS
};

static const event_field oracle_rewards_fields[] = {
	FIELD("account", FF_MOVE_ADDRESS),
	FIELD("rewards_amount", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field epoch_interval_fields[] = {
	FIELD("old_epoch_interval", FF_MOVE_U64),
	FIELD("new_epoch_interval", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field validator_fields[] = {
	FIELD("validator_address", FF_MOVE_ADDRESS),
	END_OF_FIELDS
};

static const event_field set_operator_fields[] = {
	FIELD("validator_address", FF_MOVE_ADDRESS),
	FIELD("old_operator", FF_MOVE_ADDRESS),
	FIELD("new_operator", FF_MOVE_ADDRESS),
	END_OF_FIELDS
};

static const event_field rotate_consensus_key_fields[] = {
	FIELD("validator_address", FF_MOVE_ADDRESS),
	FIELD("old_consensus_pubkey", FF_MOVE_BYTES),
	FIELD("new_consensus_pubkey", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field network_addresses_fields[] = {
	FIELD("validator_address", FF_MOVE_ADDRESS),
	FIELD("old_network_addresses", FF_MOVE_BYTES),
	FIELD("new_network_addresses", FF_MOVE_BYTES),
	FIELD("old_fullnode_addresses", FF_MOVE_BYTES),
	FIELD("new_fullnode_addresses", FF_MOVE_BYTES),
	END_OF_FIELDS
};

/*
 * v4/v5 layouts (libra-legacy-v6 v5.2.0: DiemAccount.move, Diem.move, DiemBlock.move,
 * DiemConfig.move). Each decodes exactly on every such event of the real v5 samples.
 */
static const event_field v5_sent_payment_fields[] = {
	FIELD("amount", FF_MOVE_U64),
	FIELD("currency_code", FF_MOVE_BYTES),
	FIELD16("payee", FF_MOVE_ADDRESS),
	FIELD("metadata", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field v5_received_payment_fields[] = {
	FIELD("amount", FF_MOVE_U64),
	FIELD("currency_code", FF_MOVE_BYTES),
	FIELD16("payer", FF_MOVE_ADDRESS),
	FIELD("metadata", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field v5_create_account_fields[] = {
	FIELD16("created", FF_MOVE_ADDRESS),
	FIELD("role_id", FF_MOVE_U64),
	END_OF_FIELDS
};

static const event_field v5_mint_fields[] = {
	FIELD("amount", FF_MOVE_U64),
	FIELD("currency_code", FF_MOVE_BYTES),
	END_OF_FIELDS
};

static const event_field v5_burn_fields[] = {
	FIELD("amount", FF_MOVE_U64),
	FIELD("currency_code", FF_MOVE_BYTES),
	FIELD16("preburn_address", FF_MOVE_ADDRESS),
	END_OF_FIELDS
};

static const event_field v5_new_block_fields[] = {
	FIELD("round", FF_MOVE_U64),
	FIELD16("proposer", FF_MOVE_ADDRESS),
	FIELD16("previous_block_votes", FF_MOVE_VEC_ADDRESS),
	FIELD("time_microseconds", FF_MOVE_U64),
	END_OF_FIELDS
};

/* A known event type: 0x1::<module>::<name>, no type parameters. */
typedef struct known_event
{
	const char *module;
	size_t		module_len;
	const char *name;
	size_t		name_len;
	const char *full_name;		/* display form */
	bool		verified;		/* layout confirmed on real archive bytes */
	const event_field *fields;
	bool		legacy;			/* a v4/v5 type (16-byte address in its tag) */
} known_event;

#define KNOWN_ERA(module, name, verified, fields, legacy) \
	{module, sizeof(module) - 1, name, sizeof(name) - 1, "0x1::" module "::" name, verified, \
	 fields, legacy}
#define KNOWN(module, name, verified, fields) KNOWN_ERA(module, name, verified, fields, false)
#define KNOWN_V5(module, name, fields) KNOWN_ERA(module, name, true, fields, true)

static const known_event known_events[FF_EVENT_TYPE_COUNT] = {
	[FF_EVENT_COIN_WITHDRAW] = KNOWN("coin", "WithdrawEvent", true, amount_fields),
	[FF_EVENT_COIN_DEPOSIT] = KNOWN("coin", "DepositEvent", true, amount_fields),
	[FF_EVENT_NEW_BLOCK] = KNOWN("block", "NewBlockEvent", true, new_block_fields),
	[FF_EVENT_NEW_EPOCH] = KNOWN("reconfiguration", "NewEpochEvent", true, new_epoch_fields),
	[FF_EVENT_STAKE_DISTRIBUTE_REWARDS] =
	KNOWN("stake", "DistributeRewardsEvent", true, stake_rewards_fields),
	[FF_EVENT_COIN_REGISTER] = KNOWN("account", "CoinRegisterEvent", false, coin_register_fields),
	[FF_EVENT_KEY_ROTATION] = KNOWN("account", "KeyRotationEvent", false, key_rotation_fields),
	[FF_EVENT_DRIP] = KNOWN("slow_wallet", "DripEvent", false, drip_fields),
	[FF_EVENT_DIRECT_TRANSFER_CONFIG] =
	KNOWN("ol_account", "DirectCoinTransferConfigUpdatedEvent", false,
		  direct_transfer_config_fields),
	[FF_EVENT_ORACLE_DISTRIBUTE_REWARDS] =
	KNOWN("oracle", "DistributeRewardsEvent", false, oracle_rewards_fields),
	[FF_EVENT_UPDATE_EPOCH_INTERVAL] =
	KNOWN("block", "UpdateEpochIntervalEvent", false, epoch_interval_fields),
	[FF_EVENT_REGISTER_VALIDATOR_CANDIDATE] =
	KNOWN("stake", "RegisterValidatorCandidateEvent", false, validator_fields),
	[FF_EVENT_JOIN_VALIDATOR_SET] = KNOWN("stake", "JoinValidatorSetEvent", false, validator_fields),
	[FF_EVENT_LEAVE_VALIDATOR_SET] = KNOWN("stake", "LeaveValidatorSetEvent", false, validator_fields),
	[FF_EVENT_SET_OPERATOR] = KNOWN("stake", "SetOperatorEvent", false, set_operator_fields),
	[FF_EVENT_ROTATE_CONSENSUS_KEY] =
	KNOWN("stake", "RotateConsensusKeyEvent", false, rotate_consensus_key_fields),
	[FF_EVENT_UPDATE_NETWORK_ADDRESSES] =
	KNOWN("stake", "UpdateNetworkAndFullnodeAddressesEvent", false, network_addresses_fields),
	[FF_EVENT_V5_SENT_PAYMENT] = KNOWN_V5("DiemAccount", "SentPaymentEvent", v5_sent_payment_fields),
	[FF_EVENT_V5_RECEIVED_PAYMENT] =
	KNOWN_V5("DiemAccount", "ReceivedPaymentEvent", v5_received_payment_fields),
	[FF_EVENT_V5_CREATE_ACCOUNT] =
	KNOWN_V5("DiemAccount", "CreateAccountEvent", v5_create_account_fields),
	[FF_EVENT_V5_MINT] = KNOWN_V5("Diem", "MintEvent", v5_mint_fields),
	[FF_EVENT_V5_BURN] = KNOWN_V5("Diem", "BurnEvent", v5_burn_fields),
	[FF_EVENT_V5_NEW_BLOCK] = KNOWN_V5("DiemBlock", "NewBlockEvent", v5_new_block_fields),
	[FF_EVENT_V5_NEW_EPOCH] = KNOWN_V5("DiemConfig", "NewEpochEvent", new_epoch_fields),
};

/* ------------------------------------------------------------------------------------ */
/* iterator                                                                              */

void
ff_event_iter_init_era(ff_event_iter *it, ff_span events, ff_era era)
{
	bcs_init(&it->c, events.ptr, events.len);
	it->count = 0;
	it->next = 0;
	it->started = false;
	it->era = era == FF_ERA_V4 || era == FF_ERA_V5 ? era : FF_ERA_V6;
}

void
ff_event_iter_init(ff_event_iter *it, ff_span events)
{
	ff_event_iter_init_era(it, events, FF_ERA_V6);
}

static inline bool
era_is_legacy(ff_era era)
{
	return era == FF_ERA_V4 || era == FF_ERA_V5;
}

size_t
ff_event_iter_end(const ff_event_iter *it)
{
	return it->c.pos;
}

/* The cursor's failure as a status: offset inside `events`, the reason as the message. */
static ff_code
iter_failure(const ff_event_iter *it, ff_status *st)
{
	st->offset = (int64_t) it->c.fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "%s",
						 it->c.fail_what ? it->c.fail_what : "decode failed");
}

ff_code
ff_event_next(ff_event_iter *it, ff_event *ev, ff_status *st)
{
	bcs_cursor *c = &it->c;
	size_t		start;
	size_t		type_start;
	uint32_t	tag;
	bool		legacy = era_is_legacy(it->era);
	size_t		addr_len = legacy ? LEGACY_ADDR_LEN : ADDR_LEN;

	if (c->failed)
		return iter_failure(it, st);
	if (!it->started)
	{
		if (!bcs_count(c, legacy ? MIN_LEGACY_CONTRACT_EVENT : MIN_CONTRACT_EVENT, &it->count))
			return iter_failure(it, st);
		it->started = true;
	}
	if (it->next >= it->count)
		return FF_EOF;

	start = c->pos;
	if (!bcs_len(c, &tag))
		return iter_failure(it, st);
	if (tag == 1 && !legacy)
	{
		bcs_fail_at(c, start, "ContractEvent variant V1 not in the 0L fork");
		st->offset = (int64_t) start;
		return ff_status_set(st, FF_ERR_UNSUPPORTED, "%s (tag %u)", c->fail_what, tag);
	}
	if (tag != 0)
	{
		bcs_fail_at(c, start, "unknown ContractEvent variant");
		return iter_failure(it, st);
	}
	if (legacy)
	{
		uint32_t	key_len;
		size_t		key_pos = c->pos;

		if (!bcs_len(c, &key_len))
			return iter_failure(it, st);
		if (key_len != LEGACY_EVENT_KEY_LEN)
		{
			bcs_fail_at(c, key_pos, "EventKey is not 24 bytes");
			return iter_failure(it, st);
		}
	}
	if (!bcs_u64(c, &ev->creation_number) ||
		!bcs_fixed(c, addr_len, &ev->account) ||
		!bcs_u64(c, &ev->sequence_number))
		return iter_failure(it, st);
	ev->addr_len = addr_len;
	type_start = c->pos;
	if (!ff_skip_type_tag_era(c, it->era))
		return iter_failure(it, st);
	ev->type_tag.ptr = c->base + type_start;
	ev->type_tag.len = c->pos - type_start;
	if (!bcs_bytes(c, &ev->data))
		return iter_failure(it, st);
	ev->bcs.ptr = c->base + start;
	ev->bcs.len = c->pos - start;
	ev->index = it->next++;
	ev->type = ff_event_classify_era(ev->type_tag, it->era);
	return FF_OK;
}

/* ------------------------------------------------------------------------------------ */
/* classification                                                                        */

ff_event_type
ff_event_classify_era(ff_span type_tag, ff_era era)
{
	const uint8_t *p = type_tag.ptr;
	size_t		n = type_tag.len;
	bool		legacy = era_is_legacy(era);
	size_t		addr_len = legacy ? LEGACY_ADDR_LEN : ADDR_LEN;
	size_t		module_len,
				name_len;
	const uint8_t *module,
			   *name;

	/* TypeTag::Struct (variant 7) at address 0x1, a one-byte module length ... */
	if (n < 1 + addr_len + 1 || p[0] != 7 || p[addr_len] != 1)
		return FF_EVENT_OTHER;
	for (size_t i = 1; i < addr_len; i++)
		if (p[i] != 0)
			return FF_EVENT_OTHER;
	module_len = p[1 + addr_len];
	module = p + 1 + addr_len + 1;
	if (module_len >= 0x80 || module_len + 1 > n - (size_t) (module - p))
		return FF_EVENT_OTHER;
	name_len = module[module_len];
	name = module + module_len + 1;
	/* ... the name, and a type-parameter count of 0 as the last byte */
	if (name_len >= 0x80 || name_len + 1 != n - (size_t) (name - p) || p[n - 1] != 0)
		return FF_EVENT_OTHER;
	for (int t = FF_EVENT_OTHER + 1; t < FF_EVENT_TYPE_COUNT; t++)
	{
		const known_event *k = &known_events[t];

		if (k->legacy == legacy &&
			k->module_len == module_len && k->name_len == name_len &&
			memcmp(k->module, module, module_len) == 0 && memcmp(k->name, name, name_len) == 0)
			return (ff_event_type) t;
	}
	return FF_EVENT_OTHER;
}

ff_event_type
ff_event_classify(ff_span type_tag)
{
	return ff_event_classify_era(type_tag, FF_ERA_V6);
}

const char *
ff_event_type_name(ff_event_type t)
{
	if (t <= FF_EVENT_OTHER || t >= FF_EVENT_TYPE_COUNT)
		return NULL;
	return known_events[t].full_name;
}

bool
ff_event_type_verified(ff_event_type t)
{
	return t > FF_EVENT_OTHER && t < FF_EVENT_TYPE_COUNT && known_events[t].verified;
}

/* ------------------------------------------------------------------------------------ */
/* payloads                                                                              */

static bool write_struct(ff_json *j, bcs_cursor *c, const event_field *fields);

bool
ff_event_amount(const ff_event *ev, uint64_t *amount)
{
	bcs_cursor	c;

	bcs_init(&c, ev->data.ptr, ev->data.len);
	switch (ev->type)
	{
		case FF_EVENT_COIN_WITHDRAW:
		case FF_EVENT_COIN_DEPOSIT:
			return bcs_u64(&c, amount) && bcs_at_end(&c);
		case FF_EVENT_V5_SENT_PAYMENT:
		case FF_EVENT_V5_RECEIVED_PAYMENT:
			/* amount first; the rest of the payload validated (no output) */
			if (!bcs_u64(&c, amount))
				return false;
			bcs_init(&c, ev->data.ptr, ev->data.len);
			return write_struct(NULL, &c, known_events[ev->type].fields) && bcs_at_end(&c);
		default:
			return false;
	}
}

/* A 16-byte address, or a vector of them, as "0x" + 32 hex each (j NULL: validate only). */
static bool
write_addr16(ff_json *j, bcs_cursor *c, ff_move_kind kind)
{
	const uint8_t *addr;
	uint32_t	count;

	if (kind == FF_MOVE_ADDRESS)
		return bcs_fixed(c, LEGACY_ADDR_LEN, &addr) &&
			(!j || ff_json_hex(j, addr, LEGACY_ADDR_LEN));
	if (!bcs_count(c, LEGACY_ADDR_LEN, &count) || (j && !ff_json_begin_array(j)))
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (!bcs_fixed(c, LEGACY_ADDR_LEN, &addr) ||
			(j && !ff_json_hex(j, addr, LEGACY_ADDR_LEN)))
			return false;
	return !j || ff_json_end_array(j);
}

/*
 * One struct value as a JSON object, fields in order; false on bad bytes or no memory.
 * j NULL: validate the bytes only.
 */
static bool
write_struct(ff_json *j, bcs_cursor *c, const event_field *fields)
{
	if (j && !ff_json_begin_object(j))
		return false;
	for (const event_field *f = fields; f->name; f++)
	{
		bool		ok;

		if (j && !ff_json_key(j, f->name))
			return false;
		if (f->nested)
			ok = write_struct(j, c, f->nested);
		else if (f->addr16)
			ok = write_addr16(j, c, f->kind);
		else
			ok = ff_json_move_value(j, c, f->kind);
		if (!ok)
			return false;
	}
	return !j || ff_json_end_object(j);
}

ff_code
ff_event_payload_json(const ff_event *ev, ff_buf *out)
{
	bcs_cursor	c;
	ff_json		j;
	bool		ok;

	if (ev->type <= FF_EVENT_OTHER || ev->type >= FF_EVENT_TYPE_COUNT)
		return FF_EOF;
	bcs_init(&c, ev->data.ptr, ev->data.len);
	ff_json_init(&j, out);
	ok = write_struct(&j, &c, known_events[ev->type].fields);
	if (j.failed)
		return FF_ERR_NOMEM;
	return ok && bcs_at_end(&c) ? FF_OK : FF_ERR_CORRUPT;
}
