/*
 * gen_hash.c — SHA3-256 through OpenSSL EVP, DIEM:: domain-separated hashes,
 * Merkle accumulator roots and range proofs (placeholder-padded binary tree).
 */
#include "gen_hash.h"

#include <string.h>

#include <openssl/evp.h>

#include "gen_util.h"

/* "ACCUMULATOR_PLACEHOLDER_HASH" padded with zero bytes to 32. */
const uint8_t accumulator_placeholder_hash[HASH_LEN] = {
	'A', 'C', 'C', 'U', 'M', 'U', 'L', 'A', 'T', 'O', 'R', '_', 'P', 'L',
	'A', 'C', 'E', 'H', 'O', 'L', 'D', 'E', 'R', '_', 'H', 'A', 'S', 'H', 0, 0, 0, 0
};

static void
sha3_parts(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
		   const uint8_t *c, size_t clen, uint8_t out[HASH_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int outlen = 0;

	if (ctx == NULL)
		gen_fatal("EVP_MD_CTX_new failed");
	if (EVP_DigestInit_ex(ctx, EVP_sha3_256(), NULL) != 1 ||
		(alen && EVP_DigestUpdate(ctx, a, alen) != 1) ||
		(blen && EVP_DigestUpdate(ctx, b, blen) != 1) ||
		(clen && EVP_DigestUpdate(ctx, c, clen) != 1) ||
		EVP_DigestFinal_ex(ctx, out, &outlen) != 1 || outlen != HASH_LEN)
	{
		EVP_MD_CTX_free(ctx);
		gen_fatal("SHA3-256 failed");
	}
	EVP_MD_CTX_free(ctx);
}

void
sha3_256(const uint8_t *data, size_t len, uint8_t out[HASH_LEN])
{
	sha3_parts(data, len, NULL, 0, NULL, 0, out);
}

static const char *current_domain = "DIEM::";

static void
domain_seed(const char *type_name, uint8_t seed[HASH_LEN])
{
	char	   *salted = gen_asprintf("%s%s", current_domain, type_name);

	sha3_256((const uint8_t *) salted, strlen(salted), seed);
	free(salted);
}

void
diem_hash(const char *type_name, const uint8_t *data, size_t len, uint8_t out[HASH_LEN])
{
	uint8_t		seed[HASH_LEN];

	domain_seed(type_name, seed);
	sha3_parts(seed, HASH_LEN, data, len, NULL, 0, out);
}

/*
 * Builds the tree level by level, padded to a power of two with placeholders.
 * A node whose two children are both placeholders is itself the placeholder;
 * any other node is SHA3(seed || left || right).  levels[0] = leaves.
 */
typedef struct accumulator_tree
{
	size_t		level_count;
	size_t	   *widths;
	uint8_t		(**levels)[HASH_LEN];
} accumulator_tree;

static void
tree_build(const char *node_type_name, const uint8_t (*leaves)[HASH_LEN], size_t leaf_count,
		   accumulator_tree *tree)
{
	uint8_t		seed[HASH_LEN];
	size_t		width = 1;
	size_t		level_count = 1;

	if (leaf_count == 0)
		gen_fatal("accumulator over zero leaves");
	while (width < leaf_count)
	{
		width *= 2;
		level_count++;
	}
	domain_seed(node_type_name, seed);
	tree->level_count = level_count;
	tree->widths = gen_calloc(level_count, sizeof(size_t));
	tree->levels = gen_calloc(level_count, sizeof(*tree->levels));
	for (size_t level = 0; level < level_count; level++)
	{
		tree->widths[level] = width >> level;
		tree->levels[level] = gen_calloc(tree->widths[level], HASH_LEN);
	}
	for (size_t i = 0; i < width; i++)
		memcpy(tree->levels[0][i], i < leaf_count ? leaves[i] : accumulator_placeholder_hash, HASH_LEN);
	for (size_t level = 1; level < level_count; level++)
	{
		for (size_t i = 0; i < tree->widths[level]; i++)
		{
			const uint8_t *left = tree->levels[level - 1][2 * i];
			const uint8_t *right = tree->levels[level - 1][2 * i + 1];

			if (memcmp(left, accumulator_placeholder_hash, HASH_LEN) == 0 &&
				memcmp(right, accumulator_placeholder_hash, HASH_LEN) == 0)
				memcpy(tree->levels[level][i], accumulator_placeholder_hash, HASH_LEN);
			else
				sha3_parts(seed, HASH_LEN, left, HASH_LEN, right, HASH_LEN, tree->levels[level][i]);
		}
	}
}

static void
tree_free(accumulator_tree *tree)
{
	for (size_t level = 0; level < tree->level_count; level++)
		free(tree->levels[level]);
	free(tree->levels);
	free(tree->widths);
}

void
accumulator_root(const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
				 size_t leaf_count, uint8_t out[HASH_LEN])
{
	accumulator_tree tree;

	if (leaf_count == 0)
	{
		memcpy(out, accumulator_placeholder_hash, HASH_LEN);
		return;
	}
	tree_build(node_type_name, leaves, leaf_count, &tree);
	memcpy(out, tree.levels[tree.level_count - 1][0], HASH_LEN);
	tree_free(&tree);
}

/*
 * Left siblings: on the path from leaf `first` to the root, the siblings of
 * nodes that are right children.  Right siblings: on the path from leaf `last`,
 * the siblings of nodes that are left children.  Both are listed leaf-nearest
 * first, the order seen in the real test-chain proof files (their right lists
 * end with the placeholder siblings of the empty upper subtrees).
 */
void
accumulator_range_proof(const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
						size_t leaf_count, size_t first, size_t last, byte_buf *out)
{
	accumulator_tree tree;
	byte_buf	left_list;
	byte_buf	right_list;
	uint32_t	left_count = 0;
	uint32_t	right_count = 0;
	size_t		left_index = first;
	size_t		right_index = last;

	if (first > last || last >= leaf_count)
		gen_fatal("bad range proof request %zu-%zu of %zu", first, last, leaf_count);
	tree_build(node_type_name, leaves, leaf_count, &tree);
	buf_init(&left_list);
	buf_init(&right_list);
	for (size_t level = 0; level + 1 < tree.level_count; level++)
	{
		if (left_index & 1)
		{
			bcs_fixed(&left_list, tree.levels[level][left_index - 1], HASH_LEN);
			left_count++;
		}
		if ((right_index & 1) == 0)
		{
			bcs_fixed(&right_list, tree.levels[level][right_index + 1], HASH_LEN);
			right_count++;
		}
		left_index >>= 1;
		right_index >>= 1;
	}
	bcs_uleb128(out, left_count);
	buf_append(out, left_list.data, left_list.len);
	bcs_uleb128(out, right_count);
	buf_append(out, right_list.data, right_list.len);
	buf_free(&left_list);
	buf_free(&right_list);
	tree_free(&tree);
}

/* ------------------------------------------------------------------------- */
/* era domains (v4 LIBRA::, v5 DIEM::) and serde_bytes HashValues (0x20 prefix) */

void
domain_hash(const char *domain, const char *type_name, const uint8_t *data, size_t len, uint8_t out[HASH_LEN])
{
	const char *saved = current_domain;

	current_domain = domain;
	diem_hash(type_name, data, len, out);
	current_domain = saved;
}

void
accumulator_root_domain(const char *domain, const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
						size_t leaf_count, uint8_t out[HASH_LEN])
{
	const char *saved = current_domain;

	current_domain = domain;
	accumulator_root(node_type_name, leaves, leaf_count, out);
	current_domain = saved;
}

void
accumulator_range_proof_legacy(const char *domain, const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
							   size_t leaf_count, size_t first, size_t last, byte_buf *out)
{
	const char *saved = current_domain;
	byte_buf	raw;
	size_t		pos = 0;

	current_domain = domain;
	buf_init(&raw);
	accumulator_range_proof(node_type_name, leaves, leaf_count, first, last, &raw);
	current_domain = saved;
	/* re-emit both lists with every HashValue as serde_bytes (0x20 || 32 bytes) */
	for (int list = 0; list < 2; list++)
	{
		uint32_t	count = 0;
		int			shift = 0;

		while (raw.data[pos] & 0x80)
			count |= (uint32_t) (raw.data[pos++] & 0x7f) << shift, shift += 7;
		count |= (uint32_t) raw.data[pos++] << shift;
		bcs_uleb128(out, count);
		for (uint32_t i = 0; i < count; i++, pos += HASH_LEN)
			bcs_bytes(out, raw.data + pos, HASH_LEN);
	}
	buf_free(&raw);
}

void
accumulator_siblings(const char *domain, const char *node_type_name, const uint8_t (*leaves)[HASH_LEN],
					 size_t leaf_count, size_t index, byte_buf *out)
{
	const char *saved = current_domain;
	accumulator_tree tree;

	if (index >= leaf_count)
		gen_fatal("bad accumulator proof request %zu of %zu", index, leaf_count);
	current_domain = domain;
	tree_build(node_type_name, leaves, leaf_count, &tree);
	current_domain = saved;
	bcs_uleb128(out, (uint32_t) (tree.level_count - 1));
	for (size_t level = 0; level + 1 < tree.level_count; level++, index >>= 1)
		bcs_bytes(out, tree.levels[level][index ^ 1], HASH_LEN);
	tree_free(&tree);
}

void
hex_encode(const uint8_t *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}
