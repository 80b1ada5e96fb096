/*
 * verify.c — recomputing what a TransactionInfo commits to (transaction hash, event root,
 * state change hash) and checking a transaction chunk against its .proof file
 * (FORMAT-transactions-v6v7.md §1.5, §4.13, §6.2-6.4). Used by the table option `verify`.
 */
#include "chain/verify.h"

#include <string.h>

#include "bcs/bcs.h"
#include "chain/event.h"

/* ASCII "ACCUMULATOR_PLACEHOLDER_HASH" padded with zero bytes to 32 (§6.2). */
static const uint8_t placeholder[FF_HASH_LEN] = "ACCUMULATOR_PLACEHOLDER_HASH";

const char *
ff_verify_level_name(ff_verify_level level)
{
	switch (level)
	{
		case FF_VERIFY_HASHES:
			return "hashes";
		case FF_VERIFY_PROOFS:
			return "proofs";
		default:
			return "none";
	}
}

const char *
ff_tx_hash_field_name(ff_tx_hash_field f)
{
	switch (f)
	{
		case FF_TXH_TRANSACTION:
			return "transaction_hash";
		case FF_TXH_EVENT_ROOT:
			return "event_root_hash";
		case FF_TXH_STATE_CHANGE:
			return "state_change_hash";
		default:
			return NULL;
	}
}

void
ff_hash_hex(const uint8_t h[FF_HASH_LEN], char out[2 * FF_HASH_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < FF_HASH_LEN; i++)
	{
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * FF_HASH_LEN] = '\0';
}

/* SHA3-256(seed || left || right) */
static void
node(const uint8_t seed[FF_HASH_LEN], const uint8_t *left, const uint8_t *right,
	 uint8_t out[FF_HASH_LEN])
{
	const uint8_t *parts[2] = {left, right};
	size_t		lens[2] = {FF_HASH_LEN, FF_HASH_LEN};

	ff_hash_with_seed_parts(seed, parts, lens, 2, out);
}

/* ---- streaming accumulator ------------------------------------------------------------- */

void
ff_acc_init(ff_acc_builder *b, const char *domain, const char *node_type_name)
{
	memset(b, 0, sizeof(*b));
	ff_hash_seed(domain, node_type_name, b->seed);
}

void
ff_acc_push(ff_acc_builder *b, const uint8_t leaf[FF_HASH_LEN])
{
	uint8_t		running[FF_HASH_LEN];
	int			level = 0;

	memcpy(running, leaf, FF_HASH_LEN);
	/* each trailing 1 bit of the count is a full subtree of the same size to merge with */
	for (uint64_t k = b->count; k & 1; k >>= 1)
		node(b->seed, b->frozen[level++], running, running);
	memcpy(b->frozen[level], running, FF_HASH_LEN);
	b->count++;
}

/*
 * InMemoryAccumulator's root: the frozen roots folded from the smallest; a level whose bit
 * is clear pairs the running hash with a placeholder right sibling.
 */
void
ff_acc_root(const ff_acc_builder *b, uint8_t out[FF_HASH_LEN])
{
	uint8_t		running[FF_HASH_LEN];
	int			level;

	if (b->count == 0)
	{
		memcpy(out, placeholder, FF_HASH_LEN);
		return;
	}
	if ((b->count & (b->count - 1)) == 0)
	{
		/* one frozen subtree: it is the root */
		memcpy(out, b->frozen[__builtin_ctzll(b->count)], FF_HASH_LEN);
		return;
	}
	memcpy(running, placeholder, FF_HASH_LEN);
	for (level = __builtin_ctzll(b->count); level < FF_ACC_MAX_LEVELS && (b->count >> level); level++)
	{
		if ((b->count >> level) & 1)
			node(b->seed, b->frozen[level], running, running);
		else
			node(b->seed, running, placeholder, running);
	}
	memcpy(out, running, FF_HASH_LEN);
}

/* ---- the hashes of one record ---------------------------------------------------------- */

ff_code
ff_verify_tx_hashes(const ff_tx *tx, ff_tx_hash_check *out, ff_status *st)
{
	const char *domain = ff_era_domain(tx->era);

	memset(out, 0, sizeof(*out));

	/* transaction_hash = hash(Transaction) */
	ff_tx_hash_compute(tx->era, tx->transaction, out->computed);
	if (!tx->tx_hash || memcmp(out->computed, tx->tx_hash, FF_HASH_LEN) != 0)
	{
		out->failed = FF_TXH_TRANSACTION;
		out->stored = tx->tx_hash;
		return FF_OK;
	}

	/* event_root_hash: v4 records carry no events, so their root cannot be checked */
	if (tx->era == FF_ERA_V5 || tx->era == FF_ERA_V6)
	{
		ff_acc_builder acc;
		ff_event_iter it;
		ff_event	ev;
		ff_code		rc;
		uint8_t		seed[FF_HASH_LEN];
		uint8_t		leaf[FF_HASH_LEN];
		ff_span		events = tx->events.len ? tx->events : tx->rest;

		ff_hash_seed(domain, "ContractEvent", seed);
		ff_acc_init(&acc, domain, "EventAccumulator");
		ff_event_iter_init_era(&it, events, tx->era);
		while ((rc = ff_event_next(&it, &ev, st)) == FF_OK)
		{
			ff_hash_with_seed(seed, ev.bcs.ptr, ev.bcs.len, leaf);
			ff_acc_push(&acc, leaf);
		}
		if (rc != FF_EOF)
			return rc;
		out->events_checked = true;
		out->event_count = (uint32_t) acc.count;
		ff_acc_root(&acc, out->computed);
		if (!tx->event_root_hash || memcmp(out->computed, tx->event_root_hash, FF_HASH_LEN) != 0)
		{
			out->failed = FF_TXH_EVENT_ROOT;
			out->stored = tx->event_root_hash;
			return FF_OK;
		}
	}

	/* state_change_hash = hash(WriteSet): v6/v7 only */
	if (tx->era == FF_ERA_V6)
	{
		out->write_set_checked = true;
		ff_crypto_hash(domain, "WriteSet", tx->write_set.ptr, tx->write_set.len, out->computed);
		if (!tx->state_change_hash ||
			memcmp(out->computed, tx->state_change_hash, FF_HASH_LEN) != 0)
		{
			out->failed = FF_TXH_STATE_CHANGE;
			out->stored = tx->state_change_hash;
			return FF_OK;
		}
	}
	memset(out->computed, 0, FF_HASH_LEN);
	return FF_OK;
}

/* ---- chunk proofs ---------------------------------------------------------------------- */

void
ff_tx_info_leaf(ff_era era, ff_span info, uint8_t out[FF_HASH_LEN])
{
	ff_crypto_hash(ff_era_domain(era), "TransactionInfo", info.ptr, info.len, out);
}

static bool
read_siblings(bcs_cursor *c, uint32_t *n, const uint8_t **hashes)
{
	if (!bcs_count(c, FF_HASH_LEN, n))
		return false;
	if (*n > FF_ACC_MAX_PROOF_DEPTH)
		return bcs_fail(c, "more than 63 siblings");
	return bcs_fixed(c, (size_t) *n * FF_HASH_LEN, hashes);
}

ff_code
ff_tx_proof_decode(ff_era era, const uint8_t *buf, size_t len, ff_range_proof *proof,
				   ff_ledger_info *li, ff_status *st)
{
	bcs_cursor	c;
	ff_code		code;

	memset(proof, 0, sizeof(*proof));
	if (era != FF_ERA_V6)
		return ff_status_set(st, FF_ERR_UNSUPPORTED,
							 "transaction proofs of %s archives are not supported (their .proof layout is not documented)",
							 ff_era_name(era));
	bcs_init(&c, buf, len);
	if (!read_siblings(&c, &proof->n_left, &proof->left) ||
		!read_siblings(&c, &proof->n_right, &proof->right))
	{
		st->offset = (int64_t) c.fail_pos;
		return ff_status_set(st, FF_ERR_CORRUPT, "bad TransactionAccumulatorRangeProof: %s",
							 c.fail_what ? c.fail_what : "decode failed");
	}
	code = ff_ledger_info_decode_era(era, buf + c.pos, len - c.pos, li, st);
	if (code != FF_OK && st->offset >= 0)
		st->offset += (int64_t) c.pos;
	return code;
}

ff_code
ff_range_proof_root(const ff_range_proof *proof, const char *domain, const char *node_type_name,
					uint64_t first_leaf, uint8_t (*leaves)[FF_HASH_LEN], size_t n,
					uint8_t out[FF_HASH_LEN], ff_status *st)
{
	uint8_t		seed[FF_HASH_LEN];
	uint32_t	li = 0,
				ri = 0;
	uint64_t	pos = first_leaf;	/* index of the first node of the current level */
	int			levels = 0;

	if (n == 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "a range proof over no leaves");
	if (proof->n_left > FF_ACC_MAX_PROOF_DEPTH || proof->n_right > FF_ACC_MAX_PROOF_DEPTH)
		return ff_status_set(st, FF_ERR_CORRUPT, "more than %d siblings", FF_ACC_MAX_PROOF_DEPTH);
	ff_hash_seed(domain, node_type_name, seed);

	/* reduce the level in place until one hash is left and both sibling lists are used */
	while (n > 1 || li < proof->n_left || ri < proof->n_right)
	{
		size_t		rd = 0,
					wr = 0;

		if (++levels > FF_ACC_MAX_PROOF_DEPTH)
			return ff_status_set(st, FF_ERR_CORRUPT, "the proof is deeper than %d levels",
								 FF_ACC_MAX_PROOF_DEPTH);
		if (pos & 1)
		{
			/* the first node is a right child: its left sibling comes from the proof */
			if (li >= proof->n_left)
				return ff_status_set(st, FF_ERR_CORRUPT,
									 "the proof has too few left siblings (%u)", proof->n_left);
			node(seed, proof->left + (size_t) li++ * FF_HASH_LEN, leaves[0], leaves[wr++]);
			rd = 1;
		}
		for (; rd + 1 < n; rd += 2)
			node(seed, leaves[rd], leaves[rd + 1], leaves[wr++]);
		if (rd < n)
		{
			/* the last node is a left child: its right sibling comes from the proof */
			if (ri >= proof->n_right)
				return ff_status_set(st, FF_ERR_CORRUPT,
									 "the proof has too few right siblings (%u)", proof->n_right);
			node(seed, leaves[rd], proof->right + (size_t) ri++ * FF_HASH_LEN, leaves[wr++]);
		}
		n = wr;
		pos >>= 1;
	}
	memcpy(out, leaves[0], FF_HASH_LEN);
	return FF_OK;
}
