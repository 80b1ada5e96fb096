/*
 * event.h — the events of a transaction record (Vec<ContractEvent>): v6/v7 (§4.10 of
 * FORMAT-transactions-v6v7.md) and, through the era entry points, v5 (and the v4 genesis
 * change set: FORMAT-epochs-state-legacy.md §8.3): an iterator giving zero-copy views of
 * each event, the classification of an event by its type tag (never by the shape of its
 * data), and the payloads of the event types whose Move layouts are known, rendered as JSON.
 */
#ifndef FF_CHAIN_EVENT_H
#define FF_CHAIN_EVENT_H

#include "bcs/bcs.h"
#include "chain/era.h"
#include "common/buf.h"
#include "common/status.h"

/* Event types with a known payload layout (FORMAT-transactions-v6v7.md §8). */
typedef enum ff_event_type
{
	FF_EVENT_OTHER = 0,			/* any other type tag: payload left undecoded */
	/* verified on real archive bytes */
	FF_EVENT_COIN_WITHDRAW,		/* 0x1::coin::WithdrawEvent { amount: u64 } */
	FF_EVENT_COIN_DEPOSIT,		/* 0x1::coin::DepositEvent { amount: u64 } */
	FF_EVENT_NEW_BLOCK,			/* 0x1::block::NewBlockEvent */
	FF_EVENT_NEW_EPOCH,			/* 0x1::reconfiguration::NewEpochEvent { epoch } */
	FF_EVENT_STAKE_DISTRIBUTE_REWARDS,	/* 0x1::stake::DistributeRewardsEvent */
	/* read from the libra-framework sources only */
	FF_EVENT_COIN_REGISTER,		/* 0x1::account::CoinRegisterEvent */
	FF_EVENT_KEY_ROTATION,		/* 0x1::account::KeyRotationEvent */
	FF_EVENT_DRIP,				/* 0x1::slow_wallet::DripEvent */
	FF_EVENT_DIRECT_TRANSFER_CONFIG,	/* 0x1::ol_account::DirectCoinTransferConfigUpdatedEvent */
	FF_EVENT_ORACLE_DISTRIBUTE_REWARDS, /* 0x1::oracle::DistributeRewardsEvent */
	FF_EVENT_UPDATE_EPOCH_INTERVAL, /* 0x1::block::UpdateEpochIntervalEvent */
	FF_EVENT_REGISTER_VALIDATOR_CANDIDATE,	/* 0x1::stake::RegisterValidatorCandidateEvent */
	FF_EVENT_JOIN_VALIDATOR_SET,	/* 0x1::stake::JoinValidatorSetEvent */
	FF_EVENT_LEAVE_VALIDATOR_SET,	/* 0x1::stake::LeaveValidatorSetEvent */
	FF_EVENT_SET_OPERATOR,		/* 0x1::stake::SetOperatorEvent */
	FF_EVENT_ROTATE_CONSENSUS_KEY,	/* 0x1::stake::RotateConsensusKeyEvent */
	FF_EVENT_UPDATE_NETWORK_ADDRESSES,	/* 0x1::stake::UpdateNetworkAndFullnodeAddressesEvent */
	/*
	 * v4/v5 (16-byte addresses), layouts from libra-legacy-v6 v5.2.0 Move sources, all
	 * verified on real v5 bytes (the v5 chunk record and the v5 genesis change set)
	 */
	FF_EVENT_V5_SENT_PAYMENT,	/* 0x1::DiemAccount::SentPaymentEvent */
	FF_EVENT_V5_RECEIVED_PAYMENT,	/* 0x1::DiemAccount::ReceivedPaymentEvent */
	FF_EVENT_V5_CREATE_ACCOUNT, /* 0x1::DiemAccount::CreateAccountEvent { created, role_id } */
	FF_EVENT_V5_MINT,			/* 0x1::Diem::MintEvent { amount, currency_code } */
	FF_EVENT_V5_BURN,			/* 0x1::Diem::BurnEvent { amount, currency_code, preburn_address } */
	FF_EVENT_V5_NEW_BLOCK,		/* 0x1::DiemBlock::NewBlockEvent */
	FF_EVENT_V5_NEW_EPOCH,		/* 0x1::DiemConfig::NewEpochEvent { epoch } */
	FF_EVENT_TYPE_COUNT
} ff_event_type;

/* One ContractEvent::V0, as views into the record. */
typedef struct ff_event
{
	uint32_t	index;			/* position within its transaction, from 0 */
	ff_span		bcs;			/* the whole ContractEvent, variant tag included (hash input) */
	uint64_t	creation_number;	/* EventKey.creation_number */
	const uint8_t *account;		/* EventKey.account_address, addr_len bytes */
	size_t		addr_len;		/* 32 (v6/v7) or 16 (v4/v5) */
	uint64_t	sequence_number;
	ff_span		type_tag;		/* BCS of the TypeTag (render with ff_render_type_tag) */
	ff_span		data;			/* event_data: BCS of the Move event struct */
	ff_event_type type;			/* classified from the type tag bytes (era aware) */
} ff_event;

/*
 * Iterator over a Vec<ContractEvent>. `events` starts at the vector's ULEB128 count; it may
 * extend past the vector's end (e.g. the rest of the record after the TransactionInfo):
 * the iterator stops after the last event and ff_event_iter_end() tells where that is.
 */
typedef struct ff_event_iter
{
	bcs_cursor	c;
	uint32_t	count;			/* events in the vector */
	uint32_t	next;			/* index of the next event */
	bool		started;		/* count read */
	ff_era		era;			/* encoding of the events */
} ff_event_iter;

/* A v6/v7 Vec<ContractEvent>. */
void		ff_event_iter_init(ff_event_iter *it, ff_span events);

/*
 * The same for the given era. v4/v5 ContractEvent: uleb variant 0 || key: uleb(24) ||
 * creation_number u64 || address[16] || sequence_number u64 || TypeTag (tags 0-7, 16-byte
 * addresses) || event_data bytes. FF_ERA_V6 (or UNKNOWN) is ff_event_iter_init.
 */
void		ff_event_iter_init_era(ff_event_iter *it, ff_span events, ff_era era);

/*
 * The next event: FF_OK with *ev filled, FF_EOF after the last one, FF_ERR_CORRUPT (or
 * FF_ERR_UNSUPPORTED for a ContractEvent variant the 0L fork does not have) with st->offset
 * the byte offset inside `events` and st->message saying what is wrong.
 * Every event is validated (type tag nesting limit, identifiers) before it is returned.
 */
ff_code		ff_event_next(ff_event_iter *it, ff_event *ev, ff_status *st);

/* Bytes consumed so far (after FF_EOF: the length of the whole vector). */
size_t		ff_event_iter_end(const ff_event_iter *it);

/* Classify a v6/v7 TypeTag (its BCS bytes) into the known event types. */
ff_event_type ff_event_classify(ff_span type_tag);

/* Classify a TypeTag of the given era: v4/v5 tags only match the FF_EVENT_V5_* types. */
ff_event_type ff_event_classify_era(ff_span type_tag, ff_era era);

/*
 * The struct name of a known type ("0x1::coin::WithdrawEvent",
 * "0x1::DiemAccount::SentPaymentEvent"); NULL for OTHER.
 */
const char *ff_event_type_name(ff_event_type t);

/* True for the types whose layout was verified on real archive bytes (§8 of the docs). */
bool		ff_event_type_verified(ff_event_type t);

/*
 * The amount of a coin WithdrawEvent/DepositEvent or of a v5 Sent/ReceivedPaymentEvent
 * (whose whole payload must decode); false for other types or a bad payload.
 */
bool		ff_event_amount(const ff_event *ev, uint64_t *amount);

/*
 * The payload of a known event type as a JSON object appended to out, field names as in the
 * Move struct: u64 as JSON numbers, addresses as AIP-40 text (16-byte v4/v5 addresses
 * always as "0x" + 32 hex digits), vector<u8> as "0x" + hex,
 * bool as true/false, vectors as arrays, nested structs as objects.
 * Returns FF_OK, FF_EOF when the type is OTHER (out untouched), FF_ERR_CORRUPT when the data
 * does not decode exactly as the layout says (out may hold a partial value: reset it), or
 * FF_ERR_NOMEM.
 */
ff_code		ff_event_payload_json(const ff_event *ev, ff_buf *out);

#endif
