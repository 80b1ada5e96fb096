/*
 * event.c — the one parser of Vec<ContractEvent> (FORMAT-transactions-v6v7.md §4.10): an
 * iterator that validates each ContractEvent::V0 and returns views into the record, the
 * classification of an event by the BCS bytes of its type tag (a non-generic struct at
 * 0x1), and the JSON rendering of the payloads whose Move layouts §8 lists.
 */
#include "chain/event.h"

#include <string.h>

#include "chain/json.h"
#include "chain/render.h"
#include "chain/transaction.h"

#define ADDR_LEN FF_ADDR_LEN_V6

/* tag, EventKey { creation_number, address }, sequence_number, 1-byte type tag, empty data */
#define MIN_CONTRACT_EVENT (1 + 8 + ADDR_LEN + 8 + 1 + 1)

/* ------------------------------------------------------------------------------------ */
/* payload layouts: the fields of the Move event structs, in declaration order           */

typedef struct event_field
{
	const char *name;			/* NULL ends a layout */
	ff_move_kind kind;
	const struct event_field *nested;	/* a struct-typed field: its layout (kind unused) */
} event_field;

#define FIELD(name, kind) {name, kind, NULL}
#define END_OF_FIELDS {NULL, FF_MOVE_U64, NULL}

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
	{"type_info", FF_MOVE_BYTES, type_info_fields},
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
} known_event;

#define KNOWN(module, name, verified, fields) \
	{module, sizeof(module) - 1, name, sizeof(name) - 1, "0x1::" module "::" name, verified, fields}

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
};

/* ------------------------------------------------------------------------------------ */
/* iterator                                                                              */

void
ff_event_iter_init(ff_event_iter *it, ff_span events)
{
	bcs_init(&it->c, events.ptr, events.len);
	it->count = 0;
	it->next = 0;
	it->started = false;
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

	if (c->failed)
		return iter_failure(it, st);
	if (!it->started)
	{
		if (!bcs_count(c, MIN_CONTRACT_EVENT, &it->count))
			return iter_failure(it, st);
		it->started = true;
	}
	if (it->next >= it->count)
		return FF_EOF;

	start = c->pos;
	if (!bcs_len(c, &tag))
		return iter_failure(it, st);
	if (tag == 1)
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
	if (!bcs_u64(c, &ev->creation_number) ||
		!bcs_fixed(c, ADDR_LEN, &ev->account) ||
		!bcs_u64(c, &ev->sequence_number))
		return iter_failure(it, st);
	type_start = c->pos;
	if (!ff_skip_type_tag(c, ADDR_LEN))
		return iter_failure(it, st);
	ev->type_tag.ptr = c->base + type_start;
	ev->type_tag.len = c->pos - type_start;
	if (!bcs_bytes(c, &ev->data))
		return iter_failure(it, st);
	ev->bcs.ptr = c->base + start;
	ev->bcs.len = c->pos - start;
	ev->index = it->next++;
	ev->type = ff_event_classify(ev->type_tag);
	return FF_OK;
}

/* ------------------------------------------------------------------------------------ */
/* classification                                                                        */

/* TypeTag variant 7 (struct), then the address 0x1. */
static const uint8_t framework_struct_prefix[1 + ADDR_LEN] = {
	7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
};

ff_event_type
ff_event_classify(ff_span type_tag)
{
	const uint8_t *p = type_tag.ptr;
	size_t		n = type_tag.len;
	size_t		module_len,
				name_len;
	const uint8_t *module,
			   *name;

	/* TypeTag::Struct at address 0x1, a one-byte module length (known names are short) ... */
	if (n < sizeof(framework_struct_prefix) + 1 ||
		memcmp(p, framework_struct_prefix, sizeof(framework_struct_prefix)) != 0)
		return FF_EVENT_OTHER;
	module_len = p[1 + ADDR_LEN];
	module = p + 1 + ADDR_LEN + 1;
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

		if (k->module_len == module_len && k->name_len == name_len &&
			memcmp(k->module, module, module_len) == 0 && memcmp(k->name, name, name_len) == 0)
			return (ff_event_type) t;
	}
	return FF_EVENT_OTHER;
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

bool
ff_event_amount(const ff_event *ev, uint64_t *amount)
{
	bcs_cursor	c;

	if (ev->type != FF_EVENT_COIN_WITHDRAW && ev->type != FF_EVENT_COIN_DEPOSIT)
		return false;
	bcs_init(&c, ev->data.ptr, ev->data.len);
	return bcs_u64(&c, amount) && bcs_at_end(&c);
}

/* One struct value as a JSON object, fields in order; false on bad bytes or no memory. */
static bool
write_struct(ff_json *j, bcs_cursor *c, const event_field *fields)
{
	if (!ff_json_begin_object(j))
		return false;
	for (const event_field *f = fields; f->name; f++)
	{
		if (!ff_json_key(j, f->name))
			return false;
		if (f->nested ? !write_struct(j, c, f->nested) : !ff_json_move_value(j, c, f->kind))
			return false;
	}
	return ff_json_end_object(j);
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
