/*
 * test_verify.c — unit tests of src/chain/verify.c: the streaming accumulator against
 * ff_accumulator_root and against a full tree built here; the range proof verifier on
 * synthetic trees (every range of trees of 1..40 leaves, the proofs cut from a full tree
 * built independently here, placeholder-padded level by level), a flipped sibling or leaf
 * and missing or extra siblings failing; and — when ../shared/data is present — every
 * record of every v6 chunk of the test-chain sample re-hashed (transaction, event root,
 * state change) and every chunk checked against its .proof file, plus records altered in
 * their event data, write set and transaction failing the matching hash.
 */

#include <dirent.h>
#include <json-c/json.h>

#include "chain/event.h"
#include "chain/hash.h"
#include "chain/state.h"
#include "chain/verify.h"
#include "unit.h"
#include "unit_records.h"

#define HL FF_HASH_LEN

static const uint8_t placeholder[HL] = "ACCUMULATOR_PLACEHOLDER_HASH";

/* ------------------------------------------------------------------------------------ */
/* an independent full tree                                                              */

/* levels[0] = leaves; levels[k+1][i] = H(levels[k][2i], levels[k][2i+1] or placeholder) */
typedef struct full_tree
{
	uint8_t		levels[8][64][HL];
	size_t		width[8];
	int			height;
} full_tree;

static void
tree_node(const uint8_t seed[HL], const uint8_t *l, const uint8_t *r, uint8_t out[HL])
{
	uint8_t		buf[3 * HL];

	memcpy(buf, seed, HL);
	memcpy(buf + HL, l, HL);
	memcpy(buf + 2 * HL, r, HL);
	ff_sha3_256(buf, sizeof(buf), out);
}

static void
tree_build(full_tree *t, const uint8_t (*leaves)[HL], size_t n)
{
	uint8_t		seed[HL];

	/* seed = SHA3-256("DIEM::TransactionAccumulator"), computed without ff_hash_seed */
	ff_sha3_256("DIEM::TransactionAccumulator", strlen("DIEM::TransactionAccumulator"), seed);
	memcpy(t->levels[0], leaves, n * HL);
	t->width[0] = n;
	t->height = 0;
	while (t->width[t->height] > 1)
	{
		int			k = t->height;
		size_t		w = t->width[k];

		for (size_t i = 0; i < (w + 1) / 2; i++)
			tree_node(seed, t->levels[k][2 * i], 2 * i + 1 < w ? t->levels[k][2 * i + 1] : placeholder,
					  t->levels[k + 1][i]);
		t->width[k + 1] = (w + 1) / 2;
		t->height++;
	}
}

/* The range proof of leaves first..last, siblings leaf-nearest first. */
static void
tree_proof(const full_tree *t, size_t first, size_t last, uint8_t left[][HL], uint32_t *nl,
		   uint8_t right[][HL], uint32_t *nr)
{
	*nl = *nr = 0;
	for (int k = 0; k < t->height; k++, first >>= 1, last >>= 1)
	{
		if (first & 1)
			memcpy(left[(*nl)++], t->levels[k][first - 1], HL);
		if (!(last & 1))
			memcpy(right[(*nr)++], last + 1 < t->width[k] ? t->levels[k][last + 1] : placeholder, HL);
	}
}

static void
make_leaves(uint8_t (*leaves)[HL], size_t n, uint8_t salt)
{
	for (size_t i = 0; i < n; i++)
	{
		uint8_t		b[2] = {(uint8_t) i, salt};

		ff_sha3_256(b, 2, leaves[i]);
	}
}

static void
test_streaming_accumulator(void)
{
	uint8_t		leaves[70][HL];

	make_leaves(leaves, 70, 1);
	for (size_t n = 0; n <= 70; n++)
	{
		ff_acc_builder b;
		uint8_t		got[HL],
					want[HL];

		ff_acc_init(&b, "DIEM::", "TransactionAccumulator");
		for (size_t i = 0; i < n; i++)
			ff_acc_push(&b, leaves[i]);
		ff_acc_root(&b, got);
		ff_accumulator_root("DIEM::", "TransactionAccumulator", (const uint8_t (*)[HL]) leaves, n, want);
		CHECK(memcmp(got, want, HL) == 0);
		if (n >= 1 && n <= 64)
		{
			full_tree	t;

			tree_build(&t, (const uint8_t (*)[HL]) leaves, n);
			CHECK(memcmp(got, t.levels[t.height][0], HL) == 0);
		}
	}
}

static void
test_range_proofs(void)
{
	uint8_t		leaves[40][HL];
	int			verified = 0,
				flipped_fail = 0,
				flips = 0;

	make_leaves(leaves, 40, 2);
	for (size_t n = 1; n <= 40; n++)
	{
		full_tree	t;

		tree_build(&t, (const uint8_t (*)[HL]) leaves, n);
		for (size_t a = 0; a < n; a++)
			for (size_t b = a; b < n; b++)
			{
				uint8_t		left[8][HL],
							right[8][HL];
				uint8_t		work[40][HL];
				uint8_t		root[HL];
				ff_range_proof p;
				ff_status	st;
				ff_code		rc;

				tree_proof(&t, a, b, left, &p.n_left, right, &p.n_right);
				p.left = left[0];
				p.right = right[0];
				memcpy(work, leaves[a], (b - a + 1) * HL);
				ff_status_clear(&st);
				rc = ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", a, work, b - a + 1, root, &st);
				if (rc == FF_OK && memcmp(root, t.levels[t.height][0], HL) == 0)
					verified++;
				else
					fprintf(stderr, "range %zu-%zu of %zu: %s\n", a, b, n, st.message);

				/* a flipped sibling (or leaf when there is none) gives another root */
				if (p.n_left + p.n_right)
					(p.n_left ? left[p.n_left - 1] : right[p.n_right - 1])[7] ^= 0x10;
				memcpy(work, leaves[a], (b - a + 1) * HL);
				if (!(p.n_left + p.n_right))
					work[b - a][0] ^= 1;
				flips++;
				rc = ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", a, work, b - a + 1, root, &st);
				if (rc == FF_OK && memcmp(root, t.levels[t.height][0], HL) != 0)
					flipped_fail++;
			}
	}
	/* sum over n = 1..40 of n(n+1)/2 ranges */
	CHECK_EQ_U64(verified, 11480);
	CHECK_EQ_U64(flipped_fail, flips);
}

/* siblings that do not fit the leaves are an error, never a silent root */
static void
test_range_proof_shape(void)
{
	uint8_t		leaves[8][HL];
	uint8_t		left[4][HL],
				right[4][HL];
	uint8_t		work[8][HL];
	uint8_t		root[HL];
	full_tree	t;
	ff_range_proof p;
	ff_status	st;
	ff_code		rc;

	make_leaves(leaves, 8, 3);
	tree_build(&t, (const uint8_t (*)[HL]) leaves, 8);
	tree_proof(&t, 3, 4, left, &p.n_left, right, &p.n_right);
	p.left = left[0];
	p.right = right[0];
	CHECK_EQ_U64(p.n_left, 2);	/* leaf 2, then node (0,1) */
	CHECK_EQ_U64(p.n_right, 2);

	/* one left sibling short */
	p.n_left = 1;
	memcpy(work, leaves[3], 2 * HL);
	ff_status_clear(&st);
	rc = ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", 3, work, 2, root, &st);
	CHECK(rc == FF_ERR_CORRUPT);
	CHECK_STR(st.message, "the proof has too few left siblings (1)");

	/* an extra right sibling: the reduction goes on past the real root */
	p.n_left = 2;
	memcpy(right[2], placeholder, HL);
	p.n_right = 3;
	memcpy(work, leaves[3], 2 * HL);
	rc = ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", 3, work, 2, root, &st);
	CHECK(rc != FF_OK || memcmp(root, t.levels[t.height][0], HL) != 0);

	/* no leaves */
	rc = ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", 3, work, 0, root, &st);
	CHECK(rc == FF_ERR_CORRUPT);

	/* v4/v5 proofs are refused with a message */
	ff_status_clear(&st);
	{
		ff_ledger_info li;

		rc = ff_tx_proof_decode(FF_ERA_V5, (const uint8_t *) "\0\0", 2, &p, &li, &st);
		CHECK(rc == FF_ERR_UNSUPPORTED);
	}
}

/* ------------------------------------------------------------------------------------ */
/* the real v6 sample                                                                    */

/* A record altered at `at` must decode and fail the expected hash. */
static void
check_altered(const uint8_t *rec, size_t len, size_t at, ff_tx_hash_field want)
{
	uint8_t    *copy = malloc(len);
	ff_tx		tx;
	ff_tx_hash_check hc;
	ff_status	st;

	memcpy(copy, rec, len);
	copy[at] ^= 0x01;
	ff_status_clear(&st);
	CHECK(ff_tx_decode_era(FF_ERA_V6, copy, len, &tx, &st) == FF_OK);
	CHECK(ff_verify_tx_hashes(&tx, &hc, &st) == FF_OK);
	CHECK_EQ_U64(hc.failed, want);
	free(copy);
}

typedef struct real_counts
{
	int			chunks;
	int			proofs_ok;
	long		records;
	long		hashes_ok;
	long		events;
	bool		altered_event,
				altered_write,
				altered_tx;
} real_counts;

static void
verify_real_chunk(ff_source *src, const char *chunk_key, const char *proof_key, uint64_t first,
				  uint64_t last, real_counts *rc)
{
	unit_chunk	ch;
	ff_status	st;
	uint8_t		(*leaves)[HL] = malloc((last - first + 1) * HL);
	size_t		n = 0;
	const uint8_t *rec;
	size_t		len;
	char	   *proof;
	size_t		proof_len;
	ff_stream  *ps;
	ff_range_proof p;
	ff_ledger_info li;
	uint8_t		root[HL];

	ff_status_clear(&st);
	if (!unit_chunk_open(src, chunk_key, &ch, &st))
	{
		CHECK(!"chunk opens");
		free(leaves);
		return;
	}
	while (ff_record_next(ch.records, &rec, &len, &st) == FF_OK)
	{
		ff_tx		tx;
		ff_tx_hash_check hc;

		if (n > last - first || ff_tx_decode_era(FF_ERA_V6, rec, len, &tx, &st) != FF_OK)
		{
			CHECK(!"record decodes");
			break;
		}
		if (ff_verify_tx_hashes(&tx, &hc, &st) == FF_OK && hc.failed == FF_TXH_NONE)
			rc->hashes_ok++;
		rc->events += hc.event_count;
		ff_tx_info_leaf(FF_ERA_V6, tx.info, leaves[n++]);

		if (!rc->altered_event && tx.event_count > 0)
		{
			ff_event_iter it;
			ff_event	ev;

			ff_event_iter_init(&it, tx.events);
			if (ff_event_next(&it, &ev, &st) == FF_OK && ev.data.len > 0)
			{
				check_altered(rec, len, (size_t) (ev.data.ptr - rec), FF_TXH_EVENT_ROOT);
				rc->altered_event = true;
			}
		}
		if (!rc->altered_write && tx.write_count > 0)
		{
			ff_write_iter it;
			ff_write	w;

			ff_write_iter_init(&it, tx.write_set);
			if (ff_write_next(&it, &w, &st) == FF_OK && w.has_value && w.value.len > 0)
			{
				check_altered(rec, len, (size_t) (w.value.ptr - rec) + w.value.len - 1, FF_TXH_STATE_CHANGE);
				rc->altered_write = true;
			}
		}
		if (!rc->altered_tx && tx.kind == FF_TX_BLOCK_METADATA)
		{
			/* a byte of the block id (offset 1): still decodes, the hash differs */
			check_altered(rec, len, 1, FF_TXH_TRANSACTION);
			rc->altered_tx = true;
		}
	}
	unit_chunk_close(&ch);
	rc->records += (long) n;
	CHECK_EQ_U64(n, last - first + 1);

	ps = unit_open_object(src, proof_key, &st);
	CHECK(ps != NULL);
	if (ps && ff_stream_read_all(ps, 1 << 20, &proof, &proof_len, &st) == FF_OK)
	{
		if (ff_tx_proof_decode(FF_ERA_V6, (const uint8_t *) proof, proof_len, &p, &li, &st) == FF_OK &&
			ff_range_proof_root(&p, "DIEM::", "TransactionAccumulator", first, leaves, n, root, &st) == FF_OK &&
			memcmp(root, li.executed_state_id, HL) == 0 && li.version >= last)
			rc->proofs_ok++;
		else
			fprintf(stderr, "%s: proof does not verify: %s\n", proof_key, st.message);
		free(proof);
	}
	ff_stream_close(ps);
	rc->chunks++;
	free(leaves);
}

/*
 * Expected figures from an independent Python check (hashlib.sha3_256, its own BCS walk of
 * Transaction/TransactionInfo, the AccumulatorRangeProof::verify loop written out): 12
 * chunks, 240000 records, every proof verifies against executed_state_id of its
 * LedgerInfo (e.g. chunk 1-20000: epoch 33, version 20460; 1 left and 10 right siblings).
 */
static void
test_real_v6_sample(void)
{
	char		data[PATH_MAX],
				dir[PATH_MAX + 64];
	ff_source  *src;
	ff_status	st;
	DIR		   *d;
	struct dirent *de;
	real_counts rc = {0};

	if (!unit_shared_data(data, sizeof(data)))
	{
		printf("test_real_v6_sample skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/0l-v6-testnet-sample", data);
	ff_status_clear(&st);
	if (!(d = opendir(dir)) || ff_source_local_new(dir, NULL, &src, &st) != FF_OK)
	{
		if (d)
			closedir(d);
		printf("test_real_v6_sample skipped: no 0l-v6-testnet-sample\n");
		return;
	}
	while ((de = readdir(d)) != NULL)
	{
		char		key[512];
		char	   *text;
		struct json_object *m,
				   *chunks;

		if (strncmp(de->d_name, "transaction_", 12) != 0)
			continue;
		snprintf(key, sizeof(key), "%s/transaction.manifest", de->d_name);
		text = unit_read_object(src, key, &st);
		CHECK(text != NULL);
		if (!text)
			continue;
		m = json_tokener_parse(text);
		if (m && json_object_object_get_ex(m, "chunks", &chunks))
			for (size_t i = 0; i < json_object_array_length(chunks); i++)
			{
				struct json_object *c = json_object_array_get_idx(chunks, i),
						   *fv,
						   *lv,
						   *tr,
						   *pr;

				if (json_object_object_get_ex(c, "first_version", &fv) &&
					json_object_object_get_ex(c, "last_version", &lv) &&
					json_object_object_get_ex(c, "transactions", &tr) &&
					json_object_object_get_ex(c, "proof", &pr))
					verify_real_chunk(src, json_object_get_string(tr), json_object_get_string(pr),
									  (uint64_t) json_object_get_int64(fv),
									  (uint64_t) json_object_get_int64(lv), &rc);
			}
		json_object_put(m);
		free(text);
	}
	closedir(d);
	ff_source_destroy(src);
	printf("real v6 sample: %d chunks, %d proofs verified, %ld records, %ld with all hashes matching, %ld events\n",
		   rc.chunks, rc.proofs_ok, rc.records, rc.hashes_ok, rc.events);
	CHECK_EQ_U64(rc.chunks, 12);
	CHECK_EQ_U64(rc.proofs_ok, 12);
	CHECK_EQ_U64(rc.records, 240000);
	CHECK_EQ_U64(rc.hashes_ok, 240000);
	CHECK(rc.altered_event && rc.altered_write && rc.altered_tx);
}

int
main(void)
{
	RUN(test_streaming_accumulator);
	RUN(test_range_proofs);
	RUN(test_range_proof_shape);
	RUN(test_real_v6_sample);
	return unit_summary("test_verify");
}
