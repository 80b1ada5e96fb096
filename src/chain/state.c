/*
 * state.c — the one parser of v6/v7 state keys and values: StateKey (with the BCS Path
 * inside an access path consumed exactly), WriteOp and StateValueMetadata::V0, the
 * write-set iterator (keys strictly increasing by their bytes), the state snapshot record
 * (StateKey, StateValue), the text of a key's resource type, and the CoinStore balance.
 * Paths already validated are remembered by their bytes (the hot path sees few distinct).
 * FORMAT-transactions-v6v7.md §4.12, FORMAT-epochs-state-legacy.md §6.
 */
#include "chain/state.h"

#include <string.h>

#include "chain/render.h"
#include "chain/transaction.h"

#define ADDR_LEN FF_ADDR_LEN_V6

/* StateKey::Raw(empty) + WriteOp::Deletion: rejects absurd counts before looping. */
#define MIN_WRITE_SET_ENTRY (2 + 1)

/*
 * Path (the BCS held by AccessPath.path): 0 Code(ModuleId), 1 Resource(StructTag),
 * 2 ResourceGroup(StructTag). The cursor ends where the path bytes end.
 */
static bool
read_path(bcs_cursor *c, ff_state_key *out)
{
	size_t		tag_pos = c->pos;
	size_t		body_pos;
	uint32_t	tag;
	const uint8_t *module_addr;
	ff_span		module_name;

	if (!bcs_len(c, &tag))
		return false;
	body_pos = c->pos;
	switch (tag)
	{
		case FF_PATH_CODE:
			if (!bcs_fixed(c, ADDR_LEN, &module_addr) || !bcs_identifier(c, &module_name))
				return false;
			break;
		case FF_PATH_RESOURCE:
		case FF_PATH_RESOURCE_GROUP:
			if (!ff_skip_struct_tag(c, ADDR_LEN))
				return false;
			break;
		default:
			return bcs_fail_at(c, tag_pos, "unknown Path variant");
	}
	if (!bcs_at_end(c))
		return bcs_fail(c, "trailing bytes after the Path of an access path");
	out->path_kind = (ff_path_kind) tag;
	out->path_body.ptr = c->base + body_pos;
	out->path_body.len = c->pos - body_pos;
	return true;
}

/*
 * Paths validated recently, by their bytes. Write sets name the same few resource types
 * over and over (CoinStore<GasCoin>, Account, ...), and validating their StructTags again
 * would be most of the cost of decoding a write set. Direct-mapped, in static storage like
 * the seed cache of hash.c: fine in a single-threaded backend, not for concurrent threads.
 */
#define PATH_MEMO_SLOTS 256
#define PATH_MEMO_MAX_LEN 128
/* the shortest valid Path: Code(ModuleId { address, 1-char name }) */
#define PATH_MIN_LEN (1 + ADDR_LEN + 2)

typedef struct path_memo_entry
{
	size_t		len;			/* 0: empty slot */
	uint8_t		bytes[PATH_MEMO_MAX_LEN];
} path_memo_entry;

static path_memo_entry path_memo[PATH_MEMO_SLOTS];

/* Slot of a path of PATH_MIN_LEN..PATH_MEMO_MAX_LEN bytes: its length, its last 8 bytes
 * and the 8 after the variant tag and address (where module and name start). */
static inline size_t
path_memo_slot(const uint8_t *p, size_t n)
{
	uint64_t	tail,
				names = 0;

	memcpy(&tail, p + n - 8, 8);
	if (n >= 1 + ADDR_LEN + 8)
		memcpy(&names, p + 1 + ADDR_LEN, 8);
	return (size_t) (((tail * 0x9e3779b97f4a7c15u) ^ (names * 0xc2b2ae3d27d4eb4fu) ^ n) >> 56) %
		PATH_MEMO_SLOTS;
}

/* AccessPath { address, path: bytes = BCS(Path) }, the path consumed exactly. */
static bool
read_access_path(bcs_cursor *c, ff_state_key *out)
{
	ff_span		path;
	bcs_cursor	inner;
	path_memo_entry *memo = NULL;

	if (!bcs_fixed(c, ADDR_LEN, &out->address) || !bcs_bytes(c, &path))
		return false;
	if (path.len >= PATH_MIN_LEN && path.len <= PATH_MEMO_MAX_LEN)
	{
		memo = &path_memo[path_memo_slot(path.ptr, path.len)];
		if (memo->len == path.len && memcmp(memo->bytes, path.ptr, path.len) == 0)
		{
			/* seen and valid: the variant tag is one byte, the body the rest */
			out->path_kind = (ff_path_kind) path.ptr[0];
			out->path_body.ptr = path.ptr + 1;
			out->path_body.len = path.len - 1;
			return true;
		}
	}
	/* a cursor over the same base that ends with the path: offsets stay comparable */
	bcs_init(&inner, c->base, (size_t) (path.ptr - c->base) + path.len);
	inner.pos = (size_t) (path.ptr - c->base);
	if (!read_path(&inner, out))
		return bcs_fail_at(c, inner.fail_pos, inner.fail_what);
	if (memo)
	{
		memcpy(memo->bytes, path.ptr, path.len);
		memo->len = path.len;
	}
	return true;
}

bool
ff_state_key_read(bcs_cursor *c, ff_state_key *out)
{
	size_t		start = c->pos;
	uint32_t	tag;

	out->address = NULL;
	out->path_kind = FF_PATH_NONE;
	out->path_body.ptr = NULL;
	out->path_body.len = 0;
	out->table_handle = NULL;
	out->table_key.ptr = NULL;
	out->table_key.len = 0;
	out->raw.ptr = NULL;
	out->raw.len = 0;

	if (!bcs_len(c, &tag))
		return false;
	switch (tag)
	{
		case FF_KEY_ACCESS_PATH:
			if (!read_access_path(c, out))
				return false;
			break;
		case FF_KEY_TABLE_ITEM:
			if (!bcs_fixed(c, ADDR_LEN, &out->table_handle) || !bcs_bytes(c, &out->table_key))
				return false;
			break;
		case FF_KEY_RAW:
			if (!bcs_bytes(c, &out->raw))
				return false;
			break;
		default:
			return bcs_fail_at(c, start, "unknown StateKey variant");
	}
	out->kind = (ff_key_kind) tag;
	out->bcs.ptr = c->base + start;
	out->bcs.len = c->pos - start;
	return true;
}

/* StateValueMetadata: only V0 { payer: address, deposit: u64, creation_time_usecs: u64 }. */
static bool
read_metadata(bcs_cursor *c, ff_state_metadata *m)
{
	size_t		tag_pos = c->pos;
	uint32_t	tag;

	if (!bcs_len(c, &tag))
		return false;
	if (tag != 0)
		return bcs_fail_at(c, tag_pos, "unknown StateValueMetadata variant");
	m->present = true;
	return bcs_fixed(c, ADDR_LEN, &m->payer) &&
		bcs_u64(c, &m->deposit) &&
		bcs_u64(c, &m->creation_time_usecs);
}

static void
metadata_clear(ff_state_metadata *m)
{
	m->present = false;
	m->payer = NULL;
	m->deposit = 0;
	m->creation_time_usecs = 0;
}

/* ------------------------------------------------------------------------------------ */
/* write sets                                                                            */

void
ff_write_iter_init(ff_write_iter *it, ff_span write_set)
{
	bcs_init(&it->c, write_set.ptr, write_set.len);
	it->count = 0;
	it->next = 0;
	it->started = false;
	it->prev_key.ptr = NULL;
	it->prev_key.len = 0;
}

size_t
ff_write_iter_end(const ff_write_iter *it)
{
	return it->c.pos;
}

/* WriteOp: 0 Creation, 1 Modification, 2 Deletion, 3..5 the same with metadata. */
static bool
read_write_op(bcs_cursor *c, ff_write *w)
{
	size_t		start = c->pos;
	uint32_t	tag;

	metadata_clear(&w->metadata);
	w->value.ptr = NULL;
	w->value.len = 0;
	if (!bcs_len(c, &tag))
		return false;
	if (tag > 5)
		return bcs_fail_at(c, start, "unknown WriteOp variant");
	w->op_tag = tag;
	w->op = (ff_write_op_kind) (tag % 3);
	w->has_value = w->op != FF_OP_DELETE;
	if (w->has_value && !bcs_bytes(c, &w->value))
		return false;
	if (tag >= 3 && !read_metadata(c, &w->metadata))
		return false;
	w->op_bcs.ptr = c->base + start;
	w->op_bcs.len = c->pos - start;
	return true;
}

/* The cursor's failure as a status: offset inside the write set, the reason as message. */
static ff_code
cursor_failure(const bcs_cursor *c, ff_status *st)
{
	st->offset = (int64_t) c->fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "%s", c->fail_what ? c->fail_what : "decode failed");
}

ff_code
ff_write_next(ff_write_iter *it, ff_write *w, ff_status *st)
{
	bcs_cursor *c = &it->c;
	size_t		key_pos;

	if (c->failed)
		return cursor_failure(c, st);
	if (!it->started)
	{
		uint32_t	tag;

		if (!bcs_len(c, &tag))
			return cursor_failure(c, st);
		if (tag != 0)
		{
			bcs_fail_at(c, 0, "unknown WriteSet variant");
			return cursor_failure(c, st);
		}
		if (!bcs_count(c, MIN_WRITE_SET_ENTRY, &it->count))
			return cursor_failure(c, st);
		it->started = true;
	}
	if (it->next >= it->count)
		return FF_EOF;

	key_pos = c->pos;
	if (!ff_state_key_read(c, &w->key))
		return cursor_failure(c, st);
	if (it->prev_key.ptr && ff_span_compare(it->prev_key, w->key.bcs) >= 0)
	{
		bcs_fail_at(c, key_pos, "WriteSet keys not in strictly increasing order");
		return cursor_failure(c, st);
	}
	it->prev_key = w->key.bcs;
	if (!read_write_op(c, w))
		return cursor_failure(c, st);
	w->index = it->next++;
	return FF_OK;
}

/* ------------------------------------------------------------------------------------ */
/* state snapshot records                                                                */

ff_code
ff_state_item_decode(const uint8_t *rec, size_t len, ff_state_item *out, ff_status *st)
{
	bcs_cursor	c;
	const char *section = "StateKey";
	size_t		tag_pos;
	uint32_t	tag;

	bcs_init(&c, rec, len);
	metadata_clear(&out->metadata);
	out->value.ptr = NULL;
	out->value.len = 0;
	if (ff_state_key_read(&c, &out->key))
	{
		section = "StateValue";
		tag_pos = c.pos;
		/* StateValue: 0 V0(bytes), 1 WithMetadata { data: bytes, metadata } */
		if (bcs_len(&c, &tag))
		{
			if (tag > 1)
				bcs_fail_at(&c, tag_pos, "unknown StateValue variant");
			else if (bcs_bytes(&c, &out->value) &&
					 (tag == 0 || read_metadata(&c, &out->metadata)) &&
					 !bcs_at_end(&c))
			{
				section = "record";
				bcs_fail(&c, "trailing bytes after the StateValue");
			}
		}
	}
	if (!c.failed)
		return FF_OK;
	st->offset = (int64_t) c.fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "bad %s: %s", section,
						 c.fail_what ? c.fail_what : "decode failed");
}

/* ------------------------------------------------------------------------------------ */
/* text and well-known values                                                            */

bool
ff_state_key_resource(const ff_state_key *k, ff_buf *out)
{
	size_t		saved = out->len;
	bool		ok;

	if (k->kind != FF_KEY_ACCESS_PATH || k->path_kind == FF_PATH_NONE)
		return false;
	if (k->path_kind == FF_PATH_CODE)
	{
		/* ModuleId { address, name } in its short form, "0x1::coin" */
		char		text[FF_ADDRESS_TEXT_MAX];
		size_t		n = ff_render_address(k->path_body.ptr, ADDR_LEN, text);
		bcs_cursor	c;
		ff_span		name;

		bcs_init(&c, k->path_body.ptr, k->path_body.len);
		ok = bcs_skip(&c, ADDR_LEN) && bcs_identifier(&c, &name) &&
			ff_buf_append(out, text, n) && ff_buf_append(out, "::", 2) &&
			ff_buf_append(out, name.ptr, name.len);
	}
	else
	{
		bcs_cursor	c;

		bcs_init(&c, k->path_body.ptr, k->path_body.len);
		ok = ff_render_struct_tag(&c, ADDR_LEN, out);
	}
	if (!ok)
	{
		out->len = saved;
		if (out->data)
			out->data[saved] = '\0';
	}
	return ok;
}

const char *
ff_key_kind_name(ff_key_kind k)
{
	switch (k)
	{
		case FF_KEY_ACCESS_PATH:
			return "access_path";
		case FF_KEY_TABLE_ITEM:
			return "table_item";
		case FF_KEY_RAW:
			return "raw";
	}
	return NULL;
}

const char *
ff_path_kind_name(ff_path_kind k)
{
	switch (k)
	{
		case FF_PATH_NONE:
			return NULL;
		case FF_PATH_CODE:
			return "code";
		case FF_PATH_RESOURCE:
			return "resource";
		case FF_PATH_RESOURCE_GROUP:
			return "resource_group";
	}
	return NULL;
}

const char *
ff_write_op_kind_name(ff_write_op_kind k)
{
	switch (k)
	{
		case FF_OP_CREATE:
			return "create";
		case FF_OP_MODIFY:
			return "modify";
		case FF_OP_DELETE:
			return "delete";
	}
	return NULL;
}

/* The StructTag of 0x1::coin::CoinStore<T> up to T: address, "coin", "CoinStore", 1 param. */
static const uint8_t coin_store_prefix[] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	4, 'c', 'o', 'i', 'n',
	9, 'C', 'o', 'i', 'n', 'S', 't', 'o', 'r', 'e',
	1
};

/* CoinStore value: coin.value u64, [frozen bool], two EventHandles of 48 bytes each. */
#define EVENT_HANDLE_LEN (8 + 8 + ADDR_LEN)
#define COIN_STORE_LEN (8 + 2 * EVENT_HANDLE_LEN)

bool
ff_coin_store_balance(const ff_state_key *k, ff_span value, uint64_t *balance)
{
	bcs_cursor	c;

	if (k->kind != FF_KEY_ACCESS_PATH || k->path_kind != FF_PATH_RESOURCE ||
		k->path_body.len <= sizeof(coin_store_prefix) ||
		memcmp(k->path_body.ptr, coin_store_prefix, sizeof(coin_store_prefix)) != 0)
		return false;
	if (value.len == COIN_STORE_LEN + 1)
	{
		if (value.ptr[8] > 1)	/* frozen: bool */
			return false;
	}
	else if (value.len != COIN_STORE_LEN)
		return false;
	bcs_init(&c, value.ptr, value.len);
	return bcs_u64(&c, balance);
}
