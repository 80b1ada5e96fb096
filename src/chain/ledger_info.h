/*
 * ledger_info.h — the records of an epoch-ending chunk: one LedgerInfoWithSignatures per
 * epoch, in the v6/v7 layout (FORMAT-epochs-state-legacy.md §4.1) or the v4/v5 layout
 * (§4.2), decoded to views, with its validator set and its waypoint (§4.3), which is
 * compared with the manifest's; the era of a record; and a state snapshot's state.proof (§5).
 */
#ifndef FF_CHAIN_LEDGER_INFO_H
#define FF_CHAIN_LEDGER_INFO_H

#include "bcs/bcs.h"
#include "chain/era.h"
#include "common/status.h"

typedef struct ff_validator
{
	const uint8_t *address;		/* li->addr_len bytes: 32 (v6/v7) or 16 (v4/v5) */
	ff_span		public_key;		/* BLS12-381, 48 bytes (v6/v7); Ed25519, 32 bytes (v4/v5) */
	uint64_t	voting_power;
} ff_validator;

typedef struct ff_ledger_info
{
	ff_era		era;			/* FF_ERA_V6, or the v4/v5 era it was decoded as */
	size_t		addr_len;		/* of the validator and signer addresses: 32 or 16 */
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
	/* v6/v7: sum over the next epoch's set (saturating); v4/v5: the stored total */
	uint64_t	total_voting_power;
	bool		has_quorum;		/* v4/v5 with a next_epoch_state: the stored quorum */
	uint64_t	quorum_voting_power;
	const uint8_t *consensus_data_hash;
	ff_span		signer_bitmask;	/* v6/v7 BitVec bytes; bit i = 0x80 >> (i % 8) of byte i / 8 */
	uint32_t	signer_count;	/* v6/v7: bits set in the bitmask; v4/v5: signatures */
	bool		has_signature;	/* v6/v7 aggregate signature present (false in v4/v5) */
	ff_span		signature;		/* aggregate BLS signature, 96 bytes */
	ff_span		signatures;		/* v4/v5: the signature entries (after their count) */
	ff_span		bcs;			/* the whole record */
	/* slices the waypoint hashes (§4.3) */
	ff_span		wp_epoch;		/* epoch */
	ff_span		wp_root;		/* executed_state_id (with its 0x20 prefix in v4/v5) */
	ff_span		wp_version_time;	/* version and timestamp_usecs */
	ff_span		wp_next_state;	/* next_epoch_state, Option tag included */
} ff_ledger_info;

/* Decode one v6/v7 record with exact consumption. FF_ERR_CORRUPT with st->offset/message. */
ff_code		ff_ledger_info_decode(const uint8_t *rec, size_t len, ff_ledger_info *out,
								  ff_status *st);

/*
 * Decode one record of the given era: FF_ERA_V6 as above; FF_ERA_V4 and FF_ERA_V5 in the
 * v4/v5 layout (the same bytes in both; the era is recorded in out->era). Validator and
 * signer maps must be in strictly increasing address order. FF_ERR_INVALID for
 * FF_ERA_UNKNOWN.
 */
ff_code		ff_ledger_info_decode_era(ff_era era, const uint8_t *rec, size_t len,
									  ff_ledger_info *out, ff_status *st);

/*
 * The era of a record (§1): FF_ERA_V6 when the v6/v7 layout consumes it exactly; else, when
 * the v4/v5 layout does, FF_ERA_V4 if the waypoint (32 bytes; may be NULL) hashed with
 * "LIBRA::" equals `waypoint`, FF_ERA_V5 if it does with "DIEM::"; FF_ERA_UNKNOWN otherwise.
 */
ff_era		ff_ledger_info_detect_era(const uint8_t *rec, size_t len, const uint8_t *waypoint);

/* Iterate the next epoch's validators (either layout); *state starts at 0; false after the last. */
bool		ff_ledger_info_next_validator(const ff_ledger_info *li, size_t *state,
										  ff_validator *v);

/*
 * The waypoint hash: CryptoHash "Ledger2WaypointConverter" with the era's domain
 * (ff_era_domain(li->era): "DIEM::" for v5 and v6/v7, "LIBRA::" for v4).
 */
void		ff_ledger_info_waypoint(const ff_ledger_info *li, const char *domain,
									uint8_t out[32]);

/*
 * A state snapshot's state.proof (§5): BCS((TransactionInfoWithProof, LedgerInfoWithSignatures))
 * of the era, consumed exactly. *root_hash (32 bytes, inside buf) is the TransactionInfo's
 * state_root_hash (v4/v5) or state_checkpoint_hash (v6/v7; NULL when None); *li is the
 * ledger info (its bcs the slice of buf it was decoded from).
 */
ff_code		ff_state_proof_decode(ff_era era, const uint8_t *buf, size_t len, ff_ledger_info *li,
								  const uint8_t **root_hash, ff_status *st);

#endif
