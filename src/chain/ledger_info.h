/*
 * ledger_info.h — the records of an epoch-ending chunk: one v6/v7 LedgerInfoWithSignatures
 * per epoch (FORMAT-epochs-state-legacy.md §4.1), decoded to views, with its validator set
 * and its waypoint (§4.3), which is compared with the manifest's.
 */
#ifndef FF_CHAIN_LEDGER_INFO_H
#define FF_CHAIN_LEDGER_INFO_H

#include "bcs/bcs.h"
#include "common/status.h"

typedef struct ff_validator
{
	const uint8_t *address;		/* 32 bytes */
	ff_span		public_key;		/* BLS12-381, 48 bytes */
	uint64_t	voting_power;
} ff_validator;

typedef struct ff_ledger_info
{
	uint64_t	epoch;
	uint64_t	round;
	const uint8_t *block_id;	/* 32 bytes */
	const uint8_t *executed_state_id;	/* transaction accumulator root, 32 bytes */
	uint64_t	version;		/* last version of `epoch` */
	uint64_t	timestamp_usecs;
	bool		has_next_epoch_state;
	uint64_t	next_epoch;
	uint32_t	validator_count;	/* of the next epoch's set */
	ff_span		validators;		/* the validator entries (after their count) */
	uint64_t	total_voting_power;	/* sum over the next epoch's set (saturating) */
	const uint8_t *consensus_data_hash;
	ff_span		signer_bitmask;	/* BitVec bytes; bit i = 0x80 >> (i % 8) of byte i / 8 */
	uint32_t	signer_count;	/* bits set in the bitmask */
	bool		has_signature;
	ff_span		signature;		/* aggregate BLS signature, 96 bytes */
	ff_span		bcs;			/* the whole record */
	/* slices the waypoint hashes (§4.3) */
	ff_span		wp_epoch;		/* epoch */
	ff_span		wp_root;		/* executed_state_id */
	ff_span		wp_version_time;	/* version and timestamp_usecs */
	ff_span		wp_next_state;	/* next_epoch_state, Option tag included */
} ff_ledger_info;

/* Decode one record with exact consumption. FF_ERR_CORRUPT with st->offset/message. */
ff_code		ff_ledger_info_decode(const uint8_t *rec, size_t len, ff_ledger_info *out,
								  ff_status *st);

/* Iterate the next epoch's validators; *state starts at 0; false after the last. */
bool		ff_ledger_info_next_validator(const ff_ledger_info *li, size_t *state,
										  ff_validator *v);

/* The waypoint hash: CryptoHash "Ledger2WaypointConverter" with domain "DIEM::". */
void		ff_ledger_info_waypoint(const ff_ledger_info *li, const char *domain,
									uint8_t out[32]);

#endif
