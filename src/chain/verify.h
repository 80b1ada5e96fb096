/*
 * verify.h — integrity checks of transaction records and chunks (table option `verify`):
 * the hashes a TransactionInfo commits to (transaction hash, event root hash, state change
 * hash) recomputed from the record's own bytes, a streaming Merkle accumulator (event roots
 * of any length in O(log n) memory), and the chunk range proof of a .proof file
 * (FORMAT-transactions-v6v7.md §1.5, §4.13, §6.2-6.4). No allocation, no PostgreSQL.
 */
#ifndef FF_CHAIN_VERIFY_H
#define FF_CHAIN_VERIFY_H

#include "chain/era.h"
#include "chain/hash.h"
#include "chain/ledger_info.h"
#include "chain/transaction.h"
#include "common/status.h"

/* The levels of the table option `verify`. */
typedef enum ff_verify_level
{
	FF_VERIFY_NONE = 0,
	FF_VERIFY_HASHES = 1,
	FF_VERIFY_PROOFS = 2
} ff_verify_level;

/* "none", "hashes", "proofs". */
const char *ff_verify_level_name(ff_verify_level level);

/* Which hash of a TransactionInfo did not match. */
typedef enum ff_tx_hash_field
{
	FF_TXH_NONE = 0,			/* every checked hash matches */
	FF_TXH_TRANSACTION,			/* transaction_hash */
	FF_TXH_EVENT_ROOT,			/* event_root_hash */
	FF_TXH_STATE_CHANGE			/* state_change_hash */
} ff_tx_hash_field;

/* "transaction_hash", "event_root_hash", "state_change_hash"; NULL for NONE. */
const char *ff_tx_hash_field_name(ff_tx_hash_field f);

/* The outcome of ff_verify_tx_hashes. */
typedef struct ff_tx_hash_check
{
	ff_tx_hash_field failed;	/* the first field that does not match, or NONE */
	uint8_t		computed[FF_HASH_LEN];	/* of the failed field */
	const uint8_t *stored;		/* the failed field's stored value (inside the record) */
	uint32_t	event_count;	/* events hashed (v5/v6) */
	bool		events_checked; /* false for v4 (records carry no events) */
	bool		write_set_checked;	/* false for v4/v5 (no state change hash) */
} ff_tx_hash_check;

/*
 * Recompute the hashes of a fully decoded record (ff_tx_decode_era: its events and write
 * set spans set) and compare them with its TransactionInfo, in this order: transaction
 * hash (every era), event root hash (v5 and v6: accumulator "EventAccumulator" over
 * hash("ContractEvent") of each event, with the era's domain), state change hash (v6:
 * hash("WriteSet")). FF_OK with out->failed saying whether one differs; FF_ERR_CORRUPT
 * when an event does not decode (st->offset within the record's events).
 */
ff_code		ff_verify_tx_hashes(const ff_tx *tx, ff_tx_hash_check *out, ff_status *st);

/*
 * A Merkle accumulator fed one leaf at a time (InMemoryAccumulator): the frozen subtree
 * roots, one per set bit of the leaf count. The root equals ff_accumulator_root over the
 * same leaves.
 */
#define FF_ACC_MAX_LEVELS 64
typedef struct ff_acc_builder
{
	uint8_t		seed[FF_HASH_LEN];	/* of the internal nodes */
	uint64_t	count;
	uint8_t		frozen[FF_ACC_MAX_LEVELS][FF_HASH_LEN];	/* frozen[k]: subtree of 2^k leaves */
} ff_acc_builder;

void		ff_acc_init(ff_acc_builder *b, const char *domain, const char *node_type_name);
void		ff_acc_push(ff_acc_builder *b, const uint8_t leaf[FF_HASH_LEN]);
void		ff_acc_root(const ff_acc_builder *b, uint8_t out[FF_HASH_LEN]);

/* Siblings of an AccumulatorRangeProof, leaf-nearest first (as the verifier consumes them). */
#define FF_ACC_MAX_PROOF_DEPTH 63
typedef struct ff_range_proof
{
	uint32_t	n_left;
	const uint8_t *left;		/* n_left * 32 bytes, inside the proof buffer */
	uint32_t	n_right;
	const uint8_t *right;
} ff_range_proof;

/*
 * Decode a transaction chunk's .proof file: BCS((TransactionAccumulatorRangeProof,
 * LedgerInfoWithSignatures)), consumed exactly. v6/v7 only: FF_ERR_UNSUPPORTED for v4/v5,
 * whose .proof layout the format documents do not describe. FF_ERR_CORRUPT with
 * st->offset on bad bytes.
 */
ff_code		ff_tx_proof_decode(ff_era era, const uint8_t *buf, size_t len, ff_range_proof *proof,
							   ff_ledger_info *li, ff_status *st);

/*
 * AccumulatorRangeProof::verify's computation: the root of the accumulator in which
 * leaves[0..n) sit at leaf index first_leaf, combined with the proof's siblings level by
 * level (internal nodes: seed(domain, node_type_name)). The leaves array is overwritten
 * (used as the work area). FF_ERR_CORRUPT when the siblings do not fit the leaves (too few,
 * too many, more than 63); otherwise FF_OK with the root in out.
 */
ff_code		ff_range_proof_root(const ff_range_proof *proof, const char *domain,
								const char *node_type_name, uint64_t first_leaf,
								uint8_t (*leaves)[FF_HASH_LEN], size_t n,
								uint8_t out[FF_HASH_LEN], ff_status *st);

/* The leaf of a record in the transaction accumulator: hash("TransactionInfo") of its info. */
void		ff_tx_info_leaf(ff_era era, ff_span info, uint8_t out[FF_HASH_LEN]);

/* Lowercase hex of 32 bytes into out[65]. */
void		ff_hash_hex(const uint8_t h[FF_HASH_LEN], char out[2 * FF_HASH_LEN + 1]);

#endif
