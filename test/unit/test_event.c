/*
 * test_event.c — unit tests of src/chain/event.c and of the event accumulator root in
 * hash.c: synthetic ContractEvent vectors (every known event type, with the exact JSON of
 * its payload; NewEpochEvent's 8 bytes that must not read as an amount; trailing and
 * missing payload bytes; type tags at the nesting limit and one over it; V1 and unknown
 * variants; truncation at every byte), classification near misses, accumulator roots by
 * hand, and — when ../shared/data is present — every record of every transaction chunk of
 * the v6 test-chain sample: events and writes iterated and counted, event roots and write
 * set hashes recomputed, every event classified and its payload rendered, every CoinStore
 * value read as a balance, every write re-framed as a state snapshot record and decoded,
 * and ff_tx_decode_header checked against the full decode.
 */
#include "chain/event.h"
#include "chain/hash.h"
#include "chain/state.h"
#include "chain/transaction.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* helpers                                                                               */

/* ContractEvent::V0 with the struct type 0x<addr_last>::module::name (no params). */
static void
w_event(wbuf *w, uint64_t creation, uint8_t account, uint64_t seq, uint8_t addr_last,
		const char *module, const char *name, const wbuf *data)
{
	w_u8(w, 0);
	w_u64(w, creation);
	w_addr_short(w, account);
	w_u64(w, seq);
	w_struct_tag(w, addr_last, module, name, 0);
	w_bytes(w, data->data, data->len);
}

/* The one event of a one-element vector, or FF_* of the failure. */
static ff_code
first_event(const wbuf *vec, ff_event *ev, ff_status *st)
{
	ff_event_iter it;
	ff_span		s = {vec->data, vec->len};

	ff_event_iter_init(&it, s);
	ff_status_clear(st);
	return ff_event_next(&it, ev, st);
}

/* A single event of that type and payload, as a vector of one, decoded. */
static ff_code
one_event(wbuf *vec, const char *module, const char *name, const wbuf *data, ff_event *ev)
{
	ff_status	st;

	vec->len = 0;
	w_uleb(vec, 1);
	w_event(vec, 2, 0x99, 7, 1, module, name, data);
	return first_event(vec, ev, &st);
}

/* ------------------------------------------------------------------------------------ */
/* known event types and their payloads                                                  */

typedef struct payload_case
{
	ff_event_type type;
	const char *module;
	const char *name;
	const char *json;			/* expected payload JSON */
} payload_case;

/* The payload bytes of each case, field by field as the Move struct declares them. */
static void
w_payload(wbuf *w, ff_event_type t)
{
	w->len = 0;
	switch (t)
	{
		case FF_EVENT_COIN_WITHDRAW:
		case FF_EVENT_COIN_DEPOSIT:
			w_u64(w, 1000000);
			break;
		case FF_EVENT_NEW_BLOCK:
			w_fill(w, 0xaa, 32);	/* hash */
			w_u64(w, 3);
			w_u64(w, 9);
			w_u64(w, 12);
			w_bytes(w, "\xe0", 1);
			w_addr_short(w, 5);
			w_uleb(w, 2);
			w_u64(w, 0);
			w_u64(w, 2);
			w_u64(w, 1696537347627007ULL);
			break;
		case FF_EVENT_NEW_EPOCH:
			w_u64(w, 42);
			break;
		case FF_EVENT_STAKE_DISTRIBUTE_REWARDS:
		case FF_EVENT_ORACLE_DISTRIBUTE_REWARDS:
			w_addr_short(w, 6);
			w_u64(w, 77);
			break;
		case FF_EVENT_COIN_REGISTER:
			w_addr_short(w, 1);
			w_str(w, "gas_coin");
			w_str(w, "GasCoin");
			break;
		case FF_EVENT_KEY_ROTATION:
			w_bytes(w, "\x01\x02", 2);
			w_bytes(w, "", 0);
			break;
		case FF_EVENT_DRIP:
		case FF_EVENT_UPDATE_EPOCH_INTERVAL:
			w_u64(w, 10);
			w_u64(w, 20);
			break;
		case FF_EVENT_DIRECT_TRANSFER_CONFIG:
			w_u8(w, 1);
			break;
		case FF_EVENT_REGISTER_VALIDATOR_CANDIDATE:
		case FF_EVENT_JOIN_VALIDATOR_SET:
		case FF_EVENT_LEAVE_VALIDATOR_SET:
			w_addr_short(w, 7);
			break;
		case FF_EVENT_SET_OPERATOR:
			w_addr_short(w, 7);
			w_addr_short(w, 8);
			w_addr_short(w, 9);
			break;
		case FF_EVENT_ROTATE_CONSENSUS_KEY:
			w_addr_short(w, 7);
			w_bytes(w, "\xaa", 1);
			w_bytes(w, "\xbb", 1);
			break;
		case FF_EVENT_UPDATE_NETWORK_ADDRESSES:
			w_addr_short(w, 7);
			w_bytes(w, "\x01", 1);
			w_bytes(w, "\x02", 1);
			w_bytes(w, "\x03", 1);
			w_bytes(w, "\x04", 1);
			break;
		default:
			break;
	}
}

#define HASH_AA "\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""

static const payload_case payload_cases[] = {
	{FF_EVENT_COIN_WITHDRAW, "coin", "WithdrawEvent", "{\"amount\":1000000}"},
	{FF_EVENT_COIN_DEPOSIT, "coin", "DepositEvent", "{\"amount\":1000000}"},
	{FF_EVENT_NEW_BLOCK, "block", "NewBlockEvent",
		"{\"hash\":" HASH_AA ",\"epoch\":3,\"round\":9,\"height\":12,"
		"\"previous_block_votes_bitvec\":\"0xe0\",\"proposer\":\"0x5\","
	"\"failed_proposer_indices\":[0,2],\"time_microseconds\":1696537347627007}"},
	{FF_EVENT_NEW_EPOCH, "reconfiguration", "NewEpochEvent", "{\"epoch\":42}"},
	{FF_EVENT_STAKE_DISTRIBUTE_REWARDS, "stake", "DistributeRewardsEvent",
	"{\"validator_address\":\"0x6\",\"rewards_amount\":77}"},
	{FF_EVENT_COIN_REGISTER, "account", "CoinRegisterEvent",
		"{\"type_info\":{\"account_address\":\"0x1\",\"module_name\":\"0x6761735f636f696e\","
	"\"struct_name\":\"0x476173436f696e\"}}"},
	{FF_EVENT_KEY_ROTATION, "account", "KeyRotationEvent",
	"{\"old_authentication_key\":\"0x0102\",\"new_authentication_key\":\"0x\"}"},
	{FF_EVENT_DRIP, "slow_wallet", "DripEvent", "{\"value\":10,\"users\":20}"},
	{FF_EVENT_DIRECT_TRANSFER_CONFIG, "ol_account", "DirectCoinTransferConfigUpdatedEvent",
	"{\"new_allow_direct_transfers\":true}"},
	{FF_EVENT_ORACLE_DISTRIBUTE_REWARDS, "oracle", "DistributeRewardsEvent",
	"{\"account\":\"0x6\",\"rewards_amount\":77}"},
	{FF_EVENT_UPDATE_EPOCH_INTERVAL, "block", "UpdateEpochIntervalEvent",
	"{\"old_epoch_interval\":10,\"new_epoch_interval\":20}"},
	{FF_EVENT_REGISTER_VALIDATOR_CANDIDATE, "stake", "RegisterValidatorCandidateEvent",
	"{\"validator_address\":\"0x7\"}"},
	{FF_EVENT_JOIN_VALIDATOR_SET, "stake", "JoinValidatorSetEvent", "{\"validator_address\":\"0x7\"}"},
	{FF_EVENT_LEAVE_VALIDATOR_SET, "stake", "LeaveValidatorSetEvent",
	"{\"validator_address\":\"0x7\"}"},
	{FF_EVENT_SET_OPERATOR, "stake", "SetOperatorEvent",
	"{\"validator_address\":\"0x7\",\"old_operator\":\"0x8\",\"new_operator\":\"0x9\"}"},
	{FF_EVENT_ROTATE_CONSENSUS_KEY, "stake", "RotateConsensusKeyEvent",
		"{\"validator_address\":\"0x7\",\"old_consensus_pubkey\":\"0xaa\","
	"\"new_consensus_pubkey\":\"0xbb\"}"},
	{FF_EVENT_UPDATE_NETWORK_ADDRESSES, "stake", "UpdateNetworkAndFullnodeAddressesEvent",
		"{\"validator_address\":\"0x7\",\"old_network_addresses\":\"0x01\","
		"\"new_network_addresses\":\"0x02\",\"old_fullnode_addresses\":\"0x03\","
	"\"new_fullnode_addresses\":\"0x04\"}"},
};

#define N_CASES (sizeof(payload_cases) / sizeof(payload_cases[0]))

/* Every known type: classified, named, rendered exactly; a byte more or less is corrupt. */
static void
test_known_payloads(void)
{
	wbuf		vec,
				data;
	ff_buf		b;
	bool		seen[FF_EVENT_TYPE_COUNT] = {false};

	CHECK_EQ_U64(N_CASES, FF_EVENT_V5_SENT_PAYMENT - 1);
	ff_buf_init(&b);
	for (size_t i = 0; i < N_CASES; i++)
	{
		const payload_case *pc = &payload_cases[i];
		ff_event	ev;
		char		full_name[128];
		uint64_t	amount = 0;

		seen[pc->type] = true;
		w_payload(&data, pc->type);
		if (one_event(&vec, pc->module, pc->name, &data, &ev) != FF_OK)
		{
			CHECK(!"event decodes");
			continue;
		}
		CHECK_EQ_U64(ev.type, pc->type);
		snprintf(full_name, sizeof(full_name), "0x1::%s::%s", pc->module, pc->name);
		CHECK_STR(ff_event_type_name(ev.type), full_name);
		CHECK_EQ_U64(ff_event_type_verified(ev.type), pc->type <= FF_EVENT_STAKE_DISTRIBUTE_REWARDS);
		ff_buf_reset(&b);
		CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_OK);
		CHECK_STR(b.data, pc->json);

		/* only the coin events carry an amount: NewEpochEvent's 8 bytes do not */
		CHECK_EQ_U64(ff_event_amount(&ev, &amount),
					 pc->type == FF_EVENT_COIN_WITHDRAW || pc->type == FF_EVENT_COIN_DEPOSIT);
		if (pc->type == FF_EVENT_COIN_WITHDRAW)
			CHECK_EQ_U64(amount, 1000000);

		/* one trailing byte, one byte missing: not the layout */
		w_u8(&data, 0);
		one_event(&vec, pc->module, pc->name, &data, &ev);
		ff_buf_reset(&b);
		CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_ERR_CORRUPT);
		CHECK(!ff_event_amount(&ev, &amount));
		data.len -= 2;
		one_event(&vec, pc->module, pc->name, &data, &ev);
		ff_buf_reset(&b);
		CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_ERR_CORRUPT);
		CHECK(!ff_event_amount(&ev, &amount));
	}
	for (int t = FF_EVENT_OTHER + 1; t < FF_EVENT_V5_SENT_PAYMENT; t++)
		CHECK(seen[t]);
	CHECK(ff_event_type_name(FF_EVENT_OTHER) == NULL);
	CHECK(!ff_event_type_verified(FF_EVENT_OTHER));
	CHECK(ff_event_type_name(FF_EVENT_TYPE_COUNT) == NULL);
	ff_buf_free(&b);
}

/* A NewEpochEvent: 8 bytes like an amount, but typed as an epoch. */
static void
test_new_epoch_is_not_an_amount(void)
{
	wbuf		vec,
				data;
	ff_event	ev;
	uint64_t	amount = 12345;
	ff_buf		b;

	data.len = 0;
	w_u64(&data, 500);
	CHECK_EQ_U64(one_event(&vec, "reconfiguration", "NewEpochEvent", &data, &ev), FF_OK);
	CHECK_EQ_U64(ev.type, FF_EVENT_NEW_EPOCH);
	CHECK(!ff_event_amount(&ev, &amount));
	CHECK_EQ_U64(amount, 12345);
	ff_buf_init(&b);
	CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_OK);
	CHECK_STR(b.data, "{\"epoch\":500}");
	ff_buf_free(&b);
}

/* Bad values inside a payload, and types that are not ours. */
static void
test_payload_failures(void)
{
	wbuf		vec,
				data;
	ff_event	ev;
	ff_buf		b;

	ff_buf_init(&b);
	/* a bool that is not 00/01 */
	data.len = 0;
	w_u8(&data, 2);
	one_event(&vec, "ol_account", "DirectCoinTransferConfigUpdatedEvent", &data, &ev);
	CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_ERR_CORRUPT);
	/* NewBlockEvent whose failed_proposer_indices count exceeds the bytes */
	w_payload(&data, FF_EVENT_NEW_BLOCK);
	data.data[32 + 24 + 2 + 32] = 0x7f;
	one_event(&vec, "block", "NewBlockEvent", &data, &ev);
	ff_buf_reset(&b);
	CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_ERR_CORRUPT);
	/* an empty payload */
	data.len = 0;
	one_event(&vec, "coin", "DepositEvent", &data, &ev);
	ff_buf_reset(&b);
	CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_ERR_CORRUPT);
	/* another type: FF_EOF, buffer untouched */
	data.len = 0;
	w_u64(&data, 1);
	one_event(&vec, "coin", "MintEvent", &data, &ev);
	CHECK_EQ_U64(ev.type, FF_EVENT_OTHER);
	ff_buf_reset(&b);
	CHECK_EQ_U64(ff_event_payload_json(&ev, &b), FF_EOF);
	CHECK_EQ_U64(b.len, 0);
	ff_buf_free(&b);
}

/* Type tags that look like known ones but are not. */
static void
test_classify_near_misses(void)
{
	wbuf		t;
	ff_span		s;

#define CLASSIFY() (s.ptr = t.data, s.len = t.len, ff_event_classify(s))
	t.len = 0;
	w_struct_tag(&t, 1, "coin", "WithdrawEvent", 0);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_COIN_WITHDRAW);
	t.len = 0;
	w_struct_tag(&t, 2, "coin", "WithdrawEvent", 0);	/* address 0x2 */
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_u8(&t, 7);				/* address 0x01 followed by 31 zero bytes */
	w_u8(&t, 1);
	w_fill(&t, 0, 31);
	w_str(&t, "coin");
	w_str(&t, "WithdrawEvent");
	w_uleb(&t, 0);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_struct_tag(&t, 1, "coin", "WithdrawEvents", 0);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_struct_tag(&t, 1, "coins", "WithdrawEvent", 0);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_struct_tag(&t, 1, "coin", "WithdrawEvent", 1);	/* a generic instance */
	w_u8(&t, 2);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_u8(&t, 6);				/* vector<0x1::coin::WithdrawEvent> */
	w_struct_tag(&t, 1, "coin", "WithdrawEvent", 0);
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	t.len = 0;
	w_u8(&t, 2);				/* u64 */
	CHECK_EQ_U64(CLASSIFY(), FF_EVENT_OTHER);
	/* every prefix of a known tag is unknown */
	t.len = 0;
	w_struct_tag(&t, 1, "stake", "DistributeRewardsEvent", 0);
	for (size_t k = 0; k < t.len; k++)
	{
		s.ptr = t.data;
		s.len = k;
		CHECK_EQ_U64(ff_event_classify(s), FF_EVENT_OTHER);
	}
#undef CLASSIFY
}

/* ------------------------------------------------------------------------------------ */
/* the iterator                                                                          */

/*
 * A vector of `count` events that starts with a WithdrawEvent and a DepositEvent of 5
 * (creation numbers 3 and 2, accounts 0x42 and 0x43); returns the second one's offset.
 */
static size_t
w_coin_pair(wbuf *vec, uint32_t count)
{
	wbuf		data;
	size_t		second_at;

	data.len = 0;
	w_u64(&data, 5);
	vec->len = 0;
	w_uleb(vec, count);
	w_event(vec, 3, 0x42, 0, 1, "coin", "WithdrawEvent", &data);
	second_at = vec->len;
	w_event(vec, 2, 0x43, 1, 1, "coin", "DepositEvent", &data);
	return second_at;
}

static void
test_iterator(void)
{
	wbuf		vec;
	ff_event_iter it;
	ff_event	ev;
	ff_status	st;
	ff_span		s;
	size_t		second_at,
				third_at;

	second_at = w_coin_pair(&vec, 3);
	third_at = vec.len;
	/* a generic struct type, and a payload the decoder does not read */
	w_u8(&vec, 0);
	w_u64(&vec, 4);
	w_addr_short(&vec, 1);
	w_u64(&vec, 9);
	w_struct_tag(&vec, 1, "coin", "CoinStore", 1);
	w_struct_tag(&vec, 1, "gas_coin", "GasCoin", 0);
	w_bytes(&vec, "", 0);
	w_u8(&vec, 0xee);			/* what follows the vector (e.g. the write set) */

	s.ptr = vec.data;
	s.len = vec.len;
	ff_event_iter_init(&it, s);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_OK);
	CHECK_EQ_U64(it.count, 3);
	CHECK_EQ_U64(ev.index, 0);
	CHECK_EQ_U64(ev.creation_number, 3);
	CHECK(ev.account == vec.data + 1 + 1 + 8 && ev.account[31] == 0x42);
	CHECK_EQ_U64(ev.sequence_number, 0);
	CHECK(ev.bcs.ptr == vec.data + 1 && ev.bcs.len == second_at - 1);
	CHECK(ev.type_tag.len == 1 + 32 + 5 + 14 + 1 && ev.type_tag.ptr[0] == 7);
	CHECK(ev.data.len == 8 && ev.data.ptr[0] == 5);
	CHECK_EQ_U64(ev.type, FF_EVENT_COIN_WITHDRAW);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_OK);
	CHECK_EQ_U64(ev.index, 1);
	CHECK(ev.bcs.ptr == vec.data + second_at && ev.bcs.len == third_at - second_at);
	CHECK_EQ_U64(ev.type, FF_EVENT_COIN_DEPOSIT);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_OK);
	CHECK_EQ_U64(ev.index, 2);
	CHECK_EQ_U64(ev.type, FF_EVENT_OTHER);
	CHECK_EQ_U64(ev.sequence_number, 9);
	CHECK_EQ_U64(ev.data.len, 0);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_EOF);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_EOF);
	CHECK_EQ_U64(ff_event_iter_end(&it), vec.len - 1);

	/* an empty vector */
	s.len = 1;
	vec.data[0] = 0;
	ff_event_iter_init(&it, s);
	CHECK_EQ_U64(ff_event_next(&it, &ev, &st), FF_EOF);
	CHECK_EQ_U64(ff_event_iter_end(&it), 1);
}

/* Decode every event of the vector; the final code, with st filled on failure. */
static ff_code
walk_all(const uint8_t *p, size_t n, ff_status *st, uint32_t *count)
{
	ff_event_iter it;
	ff_event	ev;
	ff_span		s = {p, n};
	ff_code		code;

	ff_event_iter_init(&it, s);
	ff_status_clear(st);
	*count = 0;
	while ((code = ff_event_next(&it, &ev, st)) == FF_OK)
		(*count)++;
	return code;
}

static void
expect_walk_failure(const wbuf *vec, ff_code code, const char *message, int64_t offset, int line)
{
	ff_status	st;
	uint32_t	n;
	ff_code		got = walk_all(vec->data, vec->len, &st, &n);

	unit_check_status(__FILE__, line, got, &st, code, message, offset);
}

#define EXPECT_WALK(vec, code, message, offset) expect_walk_failure(vec, code, message, offset, __LINE__)

static void
test_bad_vectors(void)
{
	wbuf		vec;
	size_t		tag_at = w_coin_pair(&vec, 2);

	/* every strict prefix is corrupt, never read past */
	for (size_t k = 0; k < vec.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);
		ff_status	st;
		uint32_t	n;

		memcpy(copy, vec.data, k);
		CHECK_EQ_U64(walk_all(copy, k, &st, &n), FF_ERR_CORRUPT);
		CHECK(st.offset >= 0 && (size_t) st.offset <= k);
		free(copy);
	}

	vec.data[tag_at] = 1;
	EXPECT_WALK(&vec, FF_ERR_UNSUPPORTED, "ContractEvent variant V1 not in the 0L fork (tag 1)",
				(int64_t) tag_at);
	vec.data[tag_at] = 2;
	EXPECT_WALK(&vec, FF_ERR_CORRUPT, "unknown ContractEvent variant", (int64_t) tag_at);
	vec.data[tag_at] = 0;
	/* a TypeTag of later Aptos */
	vec.data[tag_at + 1 + 8 + 32 + 8] = 11;
	EXPECT_WALK(&vec, FF_ERR_CORRUPT, "TypeTag variant not in the 0L fork",
				(int64_t) (tag_at + 1 + 8 + 32 + 8));
	vec.data[tag_at + 1 + 8 + 32 + 8] = 7;
	/* a module name that is no identifier */
	vec.data[tag_at + 1 + 8 + 32 + 8 + 1 + 32 + 1] = '1';
	EXPECT_WALK(&vec, FF_ERR_CORRUPT, "identifier has an invalid first character",
				(int64_t) (tag_at + 1 + 8 + 32 + 8 + 1 + 32));
	vec.data[tag_at + 1 + 8 + 32 + 8 + 1 + 32 + 1] = 'c';
	/* a count the bytes cannot hold */
	vec.data[0] = 5;
	EXPECT_WALK(&vec, FF_ERR_CORRUPT, "sequence count exceeds the remaining bytes", 0);
	vec.data[0] = 2;
	/* a data length past the end */
	vec.data[vec.len - 9] = 9;
	EXPECT_WALK(&vec, FF_ERR_CORRUPT, "byte string longer than the remaining bytes",
				(int64_t) (vec.len - 9));
}

/* vector<...vector<u8>...> with `boxes` vector boxes, inside a struct type's parameter */
static void
w_nested_type(wbuf *t, int boxes)
{
	for (int i = 0; i < boxes; i++)
		w_u8(t, 6);
	w_u8(t, 1);
}

static void
test_type_tag_depth(void)
{
	for (int boxes = 7; boxes <= 9; boxes++)
	{
		wbuf		vec;
		ff_status	st;
		uint32_t	n;
		ff_code		code;

		/* 0x1::m::S<vector^(boxes-1)<u8>>: the struct is the first box */
		vec.len = 0;
		w_uleb(&vec, 1);
		w_u8(&vec, 0);
		w_u64(&vec, 0);
		w_addr_short(&vec, 1);
		w_u64(&vec, 0);
		w_struct_tag(&vec, 1, "m", "S", 1);
		w_nested_type(&vec, boxes - 1);
		w_bytes(&vec, "", 0);
		code = walk_all(vec.data, vec.len, &st, &n);
		if (boxes <= FF_TYPE_TAG_MAX_DEPTH)
			CHECK(code == FF_EOF && n == 1);
		else
		{
			CHECK_EQ_U64(code, FF_ERR_CORRUPT);
			CHECK_STR(st.message, "type tag nested too deeply");
		}
	}
}

/*
 * ff_tx_decode_header stops after the TransactionInfo: a record whose events are bad
 * decodes that far, and its rest is where the event and write-set iterators start.
 */
static void
test_header_only(void)
{
	wbuf		rec,
				pair;
	size_t		rest_at;
	ff_tx		tx;
	ff_status	st;
	ff_event_iter events;
	ff_write_iter writes;
	ff_event	ev;
	ff_write	w;
	ff_span		after_events;

	rec.len = 0;
	w_u8(&rec, 3);				/* StateCheckpoint */
	w_fill(&rec, 0x0a, 32);
	w_u8(&rec, 0);				/* TransactionInfo::V0 */
	w_u64(&rec, 0);
	w_u8(&rec, 0);				/* Success */
	w_fill(&rec, 0x01, 96);
	w_u8(&rec, 1);				/* state_checkpoint_hash */
	w_fill(&rec, 0x02, 32);
	w_u8(&rec, 0);
	rest_at = rec.len;
	w_coin_pair(&pair, 2);
	w_raw(&rec, pair.data, pair.len);
	w_u8(&rec, 0);				/* WriteSet::V0 */
	w_u8(&rec, 0);

	ff_status_clear(&st);
	CHECK_EQ_U64(ff_tx_decode(rec.data, rec.len, &tx, &st), FF_OK);
	CHECK(tx.rest.ptr == rec.data + rest_at && tx.rest.len == rec.len - rest_at);
	CHECK_EQ_U64(tx.event_count, 2);
	CHECK_EQ_U64(ff_tx_decode_header(rec.data, rec.len, &tx, &st), FF_OK);
	CHECK(tx.kind == FF_TX_STATE_CHECKPOINT && tx.state_checkpoint_hash != NULL);
	CHECK(tx.rest.ptr == rec.data + rest_at && tx.rest.len == rec.len - rest_at);
	CHECK(tx.events.len == 0 && tx.write_set.len == 0 && tx.event_count == 0 && tx.write_count == 0);

	/* the iterators over the rest: events, then the write set where they end */
	ff_event_iter_init(&events, tx.rest);
	CHECK_EQ_U64(ff_event_next(&events, &ev, &st), FF_OK);
	CHECK_EQ_U64(ff_event_next(&events, &ev, &st), FF_OK);
	CHECK_EQ_U64(ff_event_next(&events, &ev, &st), FF_EOF);
	after_events.ptr = tx.rest.ptr + ff_event_iter_end(&events);
	after_events.len = tx.rest.len - ff_event_iter_end(&events);
	ff_write_iter_init(&writes, after_events);
	CHECK_EQ_U64(ff_write_next(&writes, &w, &st), FF_EOF);
	CHECK_EQ_U64(ff_write_iter_end(&writes), after_events.len);

	/* events made bad: the full decode fails there, the header decode does not */
	rec.data[rest_at + 1] = 2;	/* first event's variant */
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_tx_decode(rec.data, rec.len, &tx, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad events: unknown ContractEvent variant");
	CHECK_EQ_U64(st.offset, rest_at + 1);
	CHECK_EQ_U64(ff_tx_decode_header(rec.data, rec.len, &tx, &st), FF_OK);
	ff_event_iter_init(&events, tx.rest);
	CHECK_EQ_U64(ff_event_next(&events, &ev, &st), FF_ERR_CORRUPT);
	CHECK_EQ_U64(st.offset, 1);
	/* a header that is itself bad fails the same way in both */
	rec.data[33] = 1;			/* TransactionInfo variant */
	CHECK_EQ_U64(ff_tx_decode_header(rec.data, rec.len, &tx, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad TransactionInfo: unknown TransactionInfo variant");
}

/* ------------------------------------------------------------------------------------ */
/* accumulator roots                                                                     */

static void
node(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
	uint8_t		pair[64];

	memcpy(pair, l, 32);
	memcpy(pair + 32, r, 32);
	ff_crypto_hash("DIEM::", "EventAccumulator", pair, 64, out);
}

static void
test_accumulator(void)
{
	uint8_t		leaves[5][32];
	uint8_t		placeholder[32] = "ACCUMULATOR_PLACEHOLDER_HASH";
	uint8_t		root[32],
				h01[32],
				h23[32],
				h0123[32],
				h4p[32],
				h4pp[32],
				h2p[32],
				want[32];

	for (int i = 0; i < 5; i++)
		ff_sha3_256(&i, sizeof(i), leaves[i]);
	ff_accumulator_root("DIEM::", "EventAccumulator", NULL, 0, root);
	CHECK(hash_is(root, "414343554d554c41544f525f504c414345484f4c4445525f4841534800000000"));
	ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, 1, root);
	CHECK(memcmp(root, leaves[0], 32) == 0);

	node(leaves[0], leaves[1], h01);
	ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, 2, root);
	CHECK(memcmp(root, h01, 32) == 0);

	node(leaves[2], placeholder, h2p);
	node(h01, h2p, want);
	ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, 3, root);
	CHECK(memcmp(root, want, 32) == 0);

	node(leaves[2], leaves[3], h23);
	node(h01, h23, h0123);
	ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, 4, root);
	CHECK(memcmp(root, h0123, 32) == 0);

	/* five leaves: the right half is (l4, P) then (that, P) */
	node(leaves[4], placeholder, h4p);
	node(h4p, placeholder, h4pp);
	node(h0123, h4pp, want);
	ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, 5, root);
	CHECK(memcmp(root, want, 32) == 0);
}

/* ------------------------------------------------------------------------------------ */
/* real data                                                                             */

typedef struct real_totals
{
	size_t		chunks,
				records,
				decode_failures,
				header_mismatches,
				events,
				writes,
				event_count_bad,
				write_count_bad,
				event_root_bad,
				write_set_hash_bad,
				payload_bad,
				by_type[FF_EVENT_TYPE_COUNT],
				coin_events,
				coin_stores,
				coin_stores_105,
				coin_store_bad,
				state_items,
				state_item_bad;
	uint64_t	withdrawn,
				deposited;
} real_totals;

/* The header-only decode agrees with the full one. */
static bool
header_matches(const uint8_t *rec, size_t len, const ff_tx *full)
{
	ff_tx		head;
	ff_status	st;

	if (ff_tx_decode_header(rec, len, &head, &st) != FF_OK)
		return false;
	return head.kind == full->kind && head.transaction.len == full->transaction.len &&
		head.info.len == full->info.len && head.tx_hash == full->tx_hash &&
		head.gas_used == full->gas_used && head.status == full->status &&
		head.sender == full->sender && head.epoch == full->epoch &&
		head.events.len == 0 && head.write_set.len == 0 &&
		head.event_count == 0 && head.write_count == 0 &&
		head.rest.ptr == full->events.ptr &&
		head.rest.len == full->events.len + full->write_set.len &&
		full->rest.ptr == head.rest.ptr && full->rest.len == head.rest.len;
}

/* Events: count, accumulator root, classification, payloads, coin amounts. */
static void
check_real_events(const ff_tx *tx, real_totals *t, ff_buf *json)
{
	ff_event_iter it;
	ff_event	ev;
	ff_status	st;
	ff_code		code;
	uint8_t		(*leaves)[32] = malloc(((size_t) tx->event_count + 1) * 32);
	uint32_t	n = 0;
	uint8_t		root[32];

	ff_event_iter_init(&it, tx->events);
	while ((code = ff_event_next(&it, &ev, &st)) == FF_OK)
	{
		uint64_t	amount;

		if (n < tx->event_count)
			ff_crypto_hash("DIEM::", "ContractEvent", ev.bcs.ptr, ev.bcs.len, leaves[n]);
		n++;
		t->by_type[ev.type]++;
		ff_buf_reset(json);
		if (!ff_event_type_verified(ev.type) || ff_event_payload_json(&ev, json) != FF_OK)
			t->payload_bad++;
		if (ff_event_amount(&ev, &amount))
		{
			t->coin_events++;
			if (ev.type == FF_EVENT_COIN_WITHDRAW)
				t->withdrawn += amount;
			else
				t->deposited += amount;
		}
	}
	t->events += n;
	if (code != FF_EOF || n != tx->event_count || ff_event_iter_end(&it) != tx->events.len)
		t->event_count_bad++;
	else
	{
		ff_accumulator_root("DIEM::", "EventAccumulator", (const uint8_t (*)[32]) leaves, n, root);
		if (memcmp(root, tx->event_root_hash, 32) != 0)
			t->event_root_bad++;
	}
	free(leaves);
}

/*
 * A state snapshot record re-framed from a real write (StateKey || StateValue::V0(value)),
 * as FORMAT-epochs-state-legacy.md §6 suggests: it must decode to the same key and value.
 */
static bool
reframed_state_item_ok(const ff_write *w, ff_buf *scratch)
{
	uint8_t		uleb[5];
	size_t		n = 0;
	size_t		v = w->value.len;
	ff_state_item item;
	ff_status	st;

	do
	{
		uleb[n++] = (uint8_t) ((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	ff_buf_reset(scratch);
	if (!ff_buf_append(scratch, w->key.bcs.ptr, w->key.bcs.len) ||
		!ff_buf_append(scratch, "", 1) || !ff_buf_append(scratch, uleb, n) ||
		!ff_buf_append(scratch, w->value.ptr, w->value.len))
		return false;
	return ff_state_item_decode((const uint8_t *) scratch->data, scratch->len, &item, &st) == FF_OK &&
		item.key.bcs.len == w->key.bcs.len && item.key.kind == w->key.kind &&
		item.key.path_kind == w->key.path_kind && item.value.len == w->value.len &&
		memcmp(item.value.ptr, w->value.ptr, w->value.len) == 0;
}

/* Writes: count, write-set hash, resource text, CoinStore balances, re-framed state items. */
static void
check_real_writes(const ff_tx *tx, real_totals *t, ff_buf *text)
{
	ff_write_iter it;
	ff_write	w;
	ff_status	st;
	ff_code		code;
	uint32_t	n = 0;
	uint8_t		h[32];

	ff_write_iter_init(&it, tx->write_set);
	while ((code = ff_write_next(&it, &w, &st)) == FF_OK)
	{
		uint64_t	balance;

		n++;
		if (w.has_value)
		{
			t->state_items++;
			if (!reframed_state_item_ok(&w, text))
				t->state_item_bad++;
		}
		ff_buf_reset(text);
		if (w.has_value && ff_state_key_resource(&w.key, text) &&
			strncmp(text->data, "0x1::coin::CoinStore<", 21) == 0)
		{
			t->coin_stores++;
			if (!ff_coin_store_balance(&w.key, w.value, &balance))
				t->coin_store_bad++;
			else if (w.value.len == 105)
				t->coin_stores_105++;
		}
	}
	t->writes += n;
	if (code != FF_EOF || n != tx->write_count || ff_write_iter_end(&it) != tx->write_set.len)
		t->write_count_bad++;
	ff_crypto_hash("DIEM::", "WriteSet", tx->write_set.ptr, tx->write_set.len, h);
	if (memcmp(h, tx->state_change_hash, 32) != 0)
		t->write_set_hash_bad++;
}

static void
test_real_transaction_chunks(void)
{
	char		data[PATH_MAX],
				root[PATH_MAX + 64];
	ff_source  *src;
	ff_listing	listing = {0};
	ff_status	st;
	real_totals t = {0};
	ff_buf		text;

	if (!unit_shared_data(data, sizeof(data)))
	{
		printf("test_real_transaction_chunks skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(root, sizeof(root), "%s/0l-v6-testnet-sample", data);
	if (ff_source_local_new(root, NULL, &src, &st) != FF_OK || ff_source_list(src, &listing, &st) != FF_OK)
	{
		printf("test_real_transaction_chunks skipped: %s\n", st.message);
		return;
	}
	ff_buf_init(&text);
	for (size_t i = 0; i < listing.n; i++)
	{
		const char *key = listing.items[i].key;
		size_t		klen = strlen(key);
		unit_chunk	ch;
		const uint8_t *rec;
		size_t		len;
		ff_code		code;

		if (strncmp(key, "transaction_", 12) != 0 || klen < 7 || strcmp(key + klen - 7, "-.chunk") != 0)
			continue;
		t.chunks++;
		if (!unit_chunk_open(src, key, &ch, &st))
		{
			CHECK(!"chunk opens");
			continue;
		}
		while ((code = ff_record_next(ch.records, &rec, &len, &st)) == FF_OK)
		{
			ff_tx		tx;

			t.records++;
			if (ff_tx_decode(rec, len, &tx, &st) != FF_OK)
			{
				if (t.decode_failures++ < 5)
					fprintf(stderr, "  %s record %zu: %s\n", key, t.records, st.message);
				continue;
			}
			if (!header_matches(rec, len, &tx))
				t.header_mismatches++;
			check_real_events(&tx, &t, &text);
			check_real_writes(&tx, &t, &text);
		}
		CHECK_EQ_U64(code, FF_EOF);
		unit_chunk_close(&ch);
	}
	ff_buf_free(&text);
	ff_listing_free(&listing);
	ff_source_destroy(src);

	printf("real transaction chunks: %zu chunks, %zu records, %zu events, %zu writes\n",
		   t.chunks, t.records, t.events, t.writes);
	printf("  events by type:");
	for (int i = 0; i < FF_EVENT_TYPE_COUNT; i++)
		if (t.by_type[i])
			printf(" %s %zu;", i ? ff_event_type_name(i) : "other", t.by_type[i]);
	printf("\n  coin events %zu (withdrawn %" PRIu64 ", deposited %" PRIu64 "), "
		   "CoinStore values %zu (105-byte layout %zu)\n",
		   t.coin_events, t.withdrawn, t.deposited, t.coin_stores, t.coin_stores_105);
	printf("  writes re-framed as state snapshot records: %zu\n", t.state_items);
	CHECK_EQ_U64(t.chunks, 12);
	CHECK_EQ_U64(t.records, 240000);
	CHECK_EQ_U64(t.decode_failures, 0);
	CHECK_EQ_U64(t.header_mismatches, 0);
	CHECK_EQ_U64(t.event_count_bad, 0);
	CHECK_EQ_U64(t.write_count_bad, 0);
	CHECK_EQ_U64(t.event_root_bad, 0);
	CHECK_EQ_U64(t.write_set_hash_bad, 0);
	CHECK_EQ_U64(t.payload_bad, 0);
	CHECK_EQ_U64(t.by_type[FF_EVENT_OTHER], 0);
	for (int i = FF_EVENT_OTHER + 1; i <= FF_EVENT_STAKE_DISTRIBUTE_REWARDS; i++)
		CHECK(t.by_type[i] > 0);
	CHECK(t.coin_stores > 0);
	CHECK_EQ_U64(t.coin_store_bad, 0);
	CHECK_EQ_U64(t.coin_stores_105, t.coin_stores);
	CHECK(t.state_items > 0);
	CHECK_EQ_U64(t.state_item_bad, 0);
}

int
main(void)
{
	RUN(test_known_payloads);
	RUN(test_new_epoch_is_not_an_amount);
	RUN(test_payload_failures);
	RUN(test_classify_near_misses);
	RUN(test_iterator);
	RUN(test_bad_vectors);
	RUN(test_type_tag_depth);
	RUN(test_header_only);
	RUN(test_accumulator);
	RUN(test_real_transaction_chunks);
	return unit_summary("event");
}
