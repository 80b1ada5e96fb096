/*
 * test_state.c — unit tests of src/chain/state.c: every StateKey kind and Path kind (with
 * the resource text), paths that do not decode exactly (trailing byte, unknown variant,
 * bad identifier, type parameters at the nesting limit and one over), all six WriteOp tags
 * with StateValueMetadata::V0, the write-set iterator (order of keys, truncation at every
 * byte, the empty write set's hash of doc §6.3), state snapshot records, and the
 * CoinStore balance in both layouts and its near misses.
 */
#include "chain/hash.h"
#include "chain/render.h"
#include "chain/state.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* helpers                                                                               */

/* AccessPath key: tag 0, address 0x<addr_last>, then the path bytes as a byte string. */
static void
w_access_path_key(wbuf *w, uint8_t addr_last, const wbuf *path)
{
	w_u8(w, 0);
	w_addr_short(w, addr_last);
	w_bytes(w, path->data, path->len);
}

/* BCS(Path::Resource or ResourceGroup(0x1::module::name<params>)); params appended after */
static void
w_struct_path(wbuf *path, uint8_t path_tag, const char *module, const char *name, uint32_t nparams)
{
	path->len = 0;
	w_u8(path, path_tag);
	w_addr_short(path, 1);
	w_str(path, module);
	w_str(path, name);
	w_uleb(path, nparams);
}

/* BCS(Path::Resource(0x1::coin::CoinStore<0x1::gas_coin::GasCoin>)) */
static void
w_coin_store_path(wbuf *path)
{
	w_struct_path(path, 1, "coin", "CoinStore", 1);
	w_struct_tag(path, 1, "gas_coin", "GasCoin", 0);
}

/* The key of that CoinStore resource at address 0x42. */
static void
w_coin_store_key(wbuf *key)
{
	wbuf		path;

	key->len = 0;
	w_coin_store_path(&path);
	w_access_path_key(key, 0x42, &path);
}

/* Read one StateKey from the bytes; true when it decodes and uses them all. */
static bool
read_key(const wbuf *w, ff_state_key *k, bcs_cursor *c)
{
	bcs_init(c, w->data, w->len);
	return ff_state_key_read(c, k) && bcs_at_end(c);
}

/* The resource text of a key, or "(none)". */
static const char *
resource_text(const ff_state_key *k, ff_buf *b)
{
	ff_buf_reset(b);
	return ff_state_key_resource(k, b) ? b->data : "(none)";
}

/* ------------------------------------------------------------------------------------ */
/* keys                                                                                  */

static void
test_key_kinds(void)
{
	wbuf		w,
				path;
	ff_state_key k;
	bcs_cursor	c;
	ff_buf		b;

	ff_buf_init(&b);

	/* AccessPath, Path::Resource, generic */
	w.len = 0;
	w_coin_store_path(&path);
	w_access_path_key(&w, 0x42, &path);
	CHECK(read_key(&w, &k, &c));
	CHECK_EQ_U64(k.kind, FF_KEY_ACCESS_PATH);
	CHECK_STR(ff_key_kind_name(k.kind), "access_path");
	CHECK(k.address == w.data + 1 && k.address[31] == 0x42);
	CHECK_EQ_U64(k.path_kind, FF_PATH_RESOURCE);
	CHECK_STR(ff_path_kind_name(k.path_kind), "resource");
	CHECK(k.path_body.ptr == w.data + 1 + 32 + 1 + 1 && k.path_body.len == path.len - 1);
	CHECK(k.bcs.ptr == w.data && k.bcs.len == w.len);
	CHECK(k.table_handle == NULL && k.raw.ptr == NULL);
	CHECK_STR(resource_text(&k, &b), "0x1::coin::CoinStore<0x1::gas_coin::GasCoin>");

	/* the same key again (now remembered as valid): the same view */
	CHECK(read_key(&w, &k, &c));
	CHECK(k.path_kind == FF_PATH_RESOURCE && k.path_body.ptr == w.data + 35);
	CHECK_STR(resource_text(&k, &b), "0x1::coin::CoinStore<0x1::gas_coin::GasCoin>");

	/* Path::ResourceGroup with two type parameters */
	w.len = 0;
	w_struct_path(&path, 2, "object", "ObjectGroup", 2);
	w_u8(&path, 2);
	w_u8(&path, 6);
	w_u8(&path, 4);
	w_access_path_key(&w, 3, &path);
	CHECK(read_key(&w, &k, &c));
	CHECK_EQ_U64(k.path_kind, FF_PATH_RESOURCE_GROUP);
	CHECK_STR(ff_path_kind_name(k.path_kind), "resource_group");
	CHECK_STR(resource_text(&k, &b), "0x1::object::ObjectGroup<u64, vector<address>>");

	/* Path::Code: the module, short form */
	w.len = 0;
	w_code_path(&w, 1, "coin");
	memmove(w.data + 33, w.data, w.len);
	w.data[0] = 0;
	memset(w.data + 1, 0, 32);
	w.data[32] = 1;
	w.len += 33;
	CHECK(read_key(&w, &k, &c));
	CHECK_EQ_U64(k.path_kind, FF_PATH_CODE);
	CHECK_STR(ff_path_kind_name(k.path_kind), "code");
	CHECK_EQ_U64(k.path_body.len, 32 + 5);
	CHECK_STR(resource_text(&k, &b), "0x1::coin");

	/* TableItem */
	w.len = 0;
	w_u8(&w, 1);
	w_fill(&w, 0xfc, 32);
	w_bytes(&w, "\x01\x02\x03", 3);
	CHECK(read_key(&w, &k, &c));
	CHECK_EQ_U64(k.kind, FF_KEY_TABLE_ITEM);
	CHECK_STR(ff_key_kind_name(k.kind), "table_item");
	CHECK(k.table_handle == w.data + 1 && k.table_key.len == 3 && k.table_key.ptr[2] == 3);
	CHECK(k.address == NULL && k.path_kind == FF_PATH_NONE);
	CHECK(ff_path_kind_name(k.path_kind) == NULL);
	ff_buf_reset(&b);
	ff_buf_append_str(&b, "kept");
	CHECK(!ff_state_key_resource(&k, &b));
	CHECK_STR(b.data, "kept");

	/* Raw */
	w.len = 0;
	w_u8(&w, 2);
	w_str(&w, "raw");
	CHECK(read_key(&w, &k, &c));
	CHECK_EQ_U64(k.kind, FF_KEY_RAW);
	CHECK_STR(ff_key_kind_name(k.kind), "raw");
	CHECK(k.raw.len == 3 && memcmp(k.raw.ptr, "raw", 3) == 0);
	CHECK_STR(resource_text(&k, &b), "(none)");

	/* StateKey variant 3 */
	w.data[0] = 3;
	CHECK(!read_key(&w, &k, &c));
	CHECK_STR(c.fail_what, "unknown StateKey variant");
	CHECK_EQ_U64(c.fail_pos, 0);
	ff_buf_free(&b);
}

/* A key whose path must fail with `what` at `at` (an offset in the key). */
static void
expect_bad_path(const wbuf *path, const char *what, size_t at, int line)
{
	wbuf		w;
	ff_state_key k;
	bcs_cursor	c;

	w.len = 0;
	w_access_path_key(&w, 1, path);
	if (!read_key(&w, &k, &c) && c.fail_what && strcmp(c.fail_what, what) == 0 && c.fail_pos == at)
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected \"%s\" at %zu, got \"%s\" at %zu\n", __FILE__, line, what,
				at, c.fail_what ? c.fail_what : "(decoded)", c.fail_pos);
	}
}

#define EXPECT_BAD_PATH(path, what, at) expect_bad_path(path, what, at, __LINE__)

/* path bytes start after the key tag, the address and the one-byte path length */
#define PATH_AT (1 + 32 + 1)

static void
test_bad_paths(void)
{
	wbuf		path;

	/* remember the valid path first: a near copy must still be checked */
	w_coin_store_path(&path);
	{
		wbuf		w;
		ff_state_key k;
		bcs_cursor	c;

		w.len = 0;
		w_access_path_key(&w, 1, &path);
		CHECK(read_key(&w, &k, &c));
	}
	path.data[1 + 32 + 1] = '-';	/* "-oin" */
	EXPECT_BAD_PATH(&path, "identifier has an invalid first character", PATH_AT + 1 + 32);
	path.data[1 + 32 + 1] = 'c';

	w_u8(&path, 0);
	EXPECT_BAD_PATH(&path, "trailing bytes after the Path of an access path", PATH_AT + path.len - 1);
	path.len--;
	path.len--;
	EXPECT_BAD_PATH(&path, "truncated", PATH_AT + path.len);

	w_coin_store_path(&path);
	path.data[0] = 3;
	EXPECT_BAD_PATH(&path, "unknown Path variant", PATH_AT);
	path.data[0] = 7;			/* a TypeTag tag is no Path tag */
	EXPECT_BAD_PATH(&path, "unknown Path variant", PATH_AT);

	/* Code(ModuleId) with bytes after the name */
	path.len = 0;
	w_u8(&path, 0);
	w_addr_short(&path, 1);
	w_str(&path, "coin");
	w_u8(&path, 0);
	EXPECT_BAD_PATH(&path, "trailing bytes after the Path of an access path", PATH_AT + path.len - 1);

	/* an empty path */
	path.len = 0;
	EXPECT_BAD_PATH(&path, "truncated", PATH_AT);

	/* type parameters of the bare StructTag: 8 boxes deep is the limit */
	for (int boxes = 8; boxes <= 9; boxes++)
	{
		wbuf		w;
		ff_state_key k;
		bcs_cursor	c;

		w_struct_path(&path, 1, "m", "S", 1);
		for (int i = 0; i < boxes; i++)
			w_u8(&path, 6);
		w_u8(&path, 1);
		w.len = 0;
		w_access_path_key(&w, 1, &path);
		if (boxes <= FF_TYPE_TAG_MAX_DEPTH)
			CHECK(read_key(&w, &k, &c));
		else
		{
			CHECK(!read_key(&w, &k, &c));
			CHECK_STR(c.fail_what, "type tag nested too deeply");
		}
	}
}

/* ------------------------------------------------------------------------------------ */
/* write sets                                                                            */

static void
w_metadata(wbuf *w, uint8_t payer, uint64_t deposit, uint64_t created)
{
	w_u8(w, 0);
	w_addr_short(w, payer);
	w_u64(w, deposit);
	w_u64(w, created);
}

/* A write set with one entry per WriteOp tag, keys in increasing order; offsets noted. */
typedef struct ws_sample
{
	wbuf		ws;
	size_t		key_at[6];
	size_t		op_at[6];
} ws_sample;

static void
build_ws_sample(ws_sample *s)
{
	wbuf		path;
	wbuf	   *ws = &s->ws;

	ws->len = 0;
	w_u8(ws, 0);
	w_uleb(ws, 6);
	for (int i = 0; i < 6; i++)
	{
		s->key_at[i] = ws->len;
		if (i < 3)
		{
			w_struct_path(&path, 1, "m", i == 0 ? "A" : i == 1 ? "B" : "C", 0);
			w_access_path_key(ws, 1, &path);
		}
		else if (i < 5)
		{
			w_u8(ws, 1);
			w_fill(ws, 0xfc, 32);
			w_bytes(ws, i == 3 ? "\x01" : "\x02", 1);
		}
		else
		{
			w_u8(ws, 2);
			w_str(ws, "z");
		}
		s->op_at[i] = ws->len;
		w_u8(ws, (uint8_t) i);
		if (i != 2 && i != 5)
			w_bytes(ws, "v", 1 + (i & 1));	/* "v" or "v\0" */
		if (i >= 3)
			w_metadata(ws, 0x12, 50000 + i, 1696500000000000ULL + i);
	}
}

static void
test_write_ops(void)
{
	ws_sample	s;
	ff_write_iter it;
	ff_write	w;
	ff_status	st;
	ff_span		span;
	static const ff_write_op_kind kinds[6] = {FF_OP_CREATE, FF_OP_MODIFY, FF_OP_DELETE,
	FF_OP_CREATE, FF_OP_MODIFY, FF_OP_DELETE};
	static const char *const names[3] = {"create", "modify", "delete"};

	build_ws_sample(&s);
	w_u8(&s.ws, 0xee);			/* bytes after the write set */
	span.ptr = s.ws.data;
	span.len = s.ws.len;
	ff_write_iter_init(&it, span);
	ff_status_clear(&st);
	for (int i = 0; i < 6; i++)
	{
		size_t		end = i < 5 ? s.key_at[i + 1] : s.ws.len - 1;

		if (ff_write_next(&it, &w, &st) != FF_OK)
		{
			CHECK(!"write decodes");
			fprintf(stderr, "  write %d: %s at %" PRId64 "\n", i, st.message, st.offset);
			return;
		}
		CHECK_EQ_U64(w.index, i);
		CHECK_EQ_U64(w.op_tag, i);
		CHECK_EQ_U64(w.op, kinds[i]);
		CHECK_STR(ff_write_op_kind_name(w.op), names[i % 3]);
		CHECK(w.key.bcs.ptr == s.ws.data + s.key_at[i] && w.key.bcs.len == s.op_at[i] - s.key_at[i]);
		CHECK(w.op_bcs.ptr == s.ws.data + s.op_at[i] && w.op_bcs.len == end - s.op_at[i]);
		CHECK_EQ_U64(w.has_value, i != 2 && i != 5);
		if (w.has_value)
			CHECK(w.value.len == (size_t) (1 + (i & 1)) && w.value.ptr[0] == 'v');
		else
			CHECK(w.value.len == 0);
		CHECK_EQ_U64(w.metadata.present, i >= 3);
		if (i >= 3)
		{
			CHECK(w.metadata.payer && w.metadata.payer[31] == 0x12);
			CHECK_EQ_U64(w.metadata.deposit, 50000 + i);
			CHECK_EQ_U64(w.metadata.creation_time_usecs, 1696500000000000ULL + i);
		}
	}
	CHECK_EQ_U64(ff_write_next(&it, &w, &st), FF_EOF);
	CHECK_EQ_U64(ff_write_iter_end(&it), s.ws.len - 1);
}

/* Iterate a whole write set; the final code with st filled on failure. */
static ff_code
walk_writes(const uint8_t *p, size_t n, ff_status *st)
{
	ff_write_iter it;
	ff_write	w;
	ff_span		s = {p, n};
	ff_code		code;

	ff_write_iter_init(&it, s);
	ff_status_clear(st);
	while ((code = ff_write_next(&it, &w, st)) == FF_OK)
		;
	return code;
}

static void
expect_ws_failure(const wbuf *ws, const char *message, size_t offset, int line)
{
	ff_status	st;
	ff_code		got = walk_writes(ws->data, ws->len, &st);

	unit_check_status(__FILE__, line, got, &st, FF_ERR_CORRUPT, message, (int64_t) offset);
}

#define EXPECT_WS(ws, message, offset) expect_ws_failure(ws, message, offset, __LINE__)

static void
test_bad_write_sets(void)
{
	ws_sample	s;

	build_ws_sample(&s);
	/* every strict prefix is corrupt, never read past */
	for (size_t k = 0; k < s.ws.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);
		ff_status	st;

		memcpy(copy, s.ws.data, k);
		CHECK_EQ_U64(walk_writes(copy, k, &st), FF_ERR_CORRUPT);
		CHECK(st.offset >= 0 && (size_t) st.offset <= k);
		free(copy);
	}

	/* key 1 (0x1::m::B) made equal to key 0 (0x1::m::A), then key 0 made larger */
	s.ws.data[s.op_at[1] - 2] = 'A';
	EXPECT_WS(&s.ws, "WriteSet keys not in strictly increasing order", s.key_at[1]);
	s.ws.data[s.op_at[1] - 2] = 'B';
	s.ws.data[s.op_at[0] - 2] = 'C';
	EXPECT_WS(&s.ws, "WriteSet keys not in strictly increasing order", s.key_at[1]);
	s.ws.data[s.op_at[0] - 2] = 'A';
	/* key 4 (table key 02) made 01, equal to key 3 */
	s.ws.data[s.op_at[4] - 1] = 1;
	EXPECT_WS(&s.ws, "WriteSet keys not in strictly increasing order", s.key_at[4]);
	s.ws.data[s.op_at[4] - 1] = 2;

	/* variants */
	s.ws.data[s.op_at[2]] = 6;
	EXPECT_WS(&s.ws, "unknown WriteOp variant", s.op_at[2]);
	s.ws.data[s.op_at[2]] = 2;
	s.ws.data[s.op_at[5] + 1] = 1;
	EXPECT_WS(&s.ws, "unknown StateValueMetadata variant", s.op_at[5] + 1);
	s.ws.data[s.op_at[5] + 1] = 0;
	s.ws.data[s.key_at[3]] = 3;
	EXPECT_WS(&s.ws, "unknown StateKey variant", s.key_at[3]);
	s.ws.data[s.key_at[3]] = 1;
	s.ws.data[0] = 1;
	EXPECT_WS(&s.ws, "unknown WriteSet variant", 0);
	s.ws.data[0] = 0;
	{
		wbuf		absurd;		/* a count of 16383 before one Raw deletion */

		absurd.len = 0;
		w_u8(&absurd, 0);
		w_uleb(&absurd, 16383);
		w_u8(&absurd, 2);
		w_str(&absurd, "");
		w_u8(&absurd, 2);
		EXPECT_WS(&absurd, "sequence count exceeds the remaining bytes", 1);
	}
	/* the whole sample is valid again */
	{
		ff_status	st;

		CHECK_EQ_U64(walk_writes(s.ws.data, s.ws.len, &st), FF_EOF);
	}
}

/* doc §6.3: the empty write set 00 00 hashes to ed14071d…f7da */
static void
test_empty_write_set(void)
{
	static const uint8_t empty[] = {0, 0};
	ff_span		s = {empty, 2};
	ff_write_iter it;
	ff_write	w;
	ff_status	st;
	uint8_t		h[32];

	ff_write_iter_init(&it, s);
	CHECK_EQ_U64(ff_write_next(&it, &w, &st), FF_EOF);
	CHECK_EQ_U64(it.count, 0);
	CHECK_EQ_U64(ff_write_iter_end(&it), 2);
	ff_crypto_hash("DIEM::", "WriteSet", empty, ff_write_iter_end(&it), h);
	CHECK(hash_is(h, "ed14071dd58a85a8d127333ae8b921626385e62ff8df0457d163de69376cf7da"));
}

/* ------------------------------------------------------------------------------------ */
/* state snapshot records                                                                */

static void
expect_item(const wbuf *rec, ff_code code, const char *message, int64_t offset, int line)
{
	ff_state_item item;
	ff_status	st;
	ff_code		got;
	uint8_t    *copy = malloc(rec->len ? rec->len : 1);

	memcpy(copy, rec->data, rec->len);
	ff_status_clear(&st);
	got = ff_state_item_decode(copy, rec->len, &item, &st);
	free(copy);
	unit_check_status(__FILE__, line, got, &st, code, message, offset);
}

#define EXPECT_ITEM(rec, code, message, offset) expect_item(rec, code, message, offset, __LINE__)

static void
test_state_items(void)
{
	wbuf		rec;
	ff_state_item item;
	ff_status	st;
	size_t		value_at;
	uint64_t	balance = 0;

	/* StateValue::V0 holding a 105-byte CoinStore */
	w_coin_store_key(&rec);
	value_at = rec.len;
	w_u8(&rec, 0);
	w_uleb(&rec, 105);
	w_u64(&rec, 123456789);
	w_u8(&rec, 0);
	w_fill(&rec, 0x33, 96);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_state_item_decode(rec.data, rec.len, &item, &st), FF_OK);
	CHECK_EQ_U64(item.key.kind, FF_KEY_ACCESS_PATH);
	CHECK(item.value.len == 105 && item.value.ptr == rec.data + value_at + 2);
	CHECK(!item.metadata.present);
	CHECK(ff_coin_store_balance(&item.key, item.value, &balance));
	CHECK_EQ_U64(balance, 123456789);

	/* truncation at every byte */
	for (size_t k = 0; k < rec.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);

		memcpy(copy, rec.data, k);
		CHECK_EQ_U64(ff_state_item_decode(copy, k, &item, &st), FF_ERR_CORRUPT);
		CHECK(st.offset >= 0 && (size_t) st.offset <= k && strncmp(st.message, "bad ", 4) == 0);
		free(copy);
	}
	w_u8(&rec, 0);
	EXPECT_ITEM(&rec, FF_ERR_CORRUPT, "bad record: trailing bytes after the StateValue",
				(int64_t) rec.len - 1);
	rec.len--;
	rec.data[value_at] = 2;
	EXPECT_ITEM(&rec, FF_ERR_CORRUPT, "bad StateValue: unknown StateValue variant",
				(int64_t) value_at);
	rec.data[0] = 4;
	EXPECT_ITEM(&rec, FF_ERR_CORRUPT, "bad StateKey: unknown StateKey variant", 0);

	/* StateValue::WithMetadata on a table item */
	rec.len = 0;
	w_u8(&rec, 1);
	w_fill(&rec, 0xfc, 32);
	w_bytes(&rec, "k", 1);
	value_at = rec.len;
	w_u8(&rec, 1);
	w_bytes(&rec, "data", 4);
	w_metadata(&rec, 0x12, 7, 8);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_state_item_decode(rec.data, rec.len, &item, &st), FF_OK);
	CHECK_EQ_U64(item.key.kind, FF_KEY_TABLE_ITEM);
	CHECK(item.value.len == 4 && memcmp(item.value.ptr, "data", 4) == 0);
	CHECK(item.metadata.present && item.metadata.payer[31] == 0x12);
	CHECK(item.metadata.deposit == 7 && item.metadata.creation_time_usecs == 8);
	CHECK(!ff_coin_store_balance(&item.key, item.value, &balance));
	/* StateValueMetadata::V1 of later Aptos */
	rec.data[value_at + 1 + 1 + 4] = 1;
	EXPECT_ITEM(&rec, FF_ERR_CORRUPT, "bad StateValue: unknown StateValueMetadata variant",
				(int64_t) (value_at + 1 + 1 + 4));
}

/* ------------------------------------------------------------------------------------ */
/* CoinStore balances                                                                    */

/* Decode key bytes into k; the test fails loudly if they do not decode. */
static void
key_of(const wbuf *w, ff_state_key *k)
{
	bcs_cursor	c;

	CHECK(read_key(w, k, &c));
}

static void
test_coin_store(void)
{
	wbuf		key,
				path,
				value;
	ff_state_key k;
	ff_span		v;
	uint64_t	balance = 0;

	w_coin_store_key(&key);
	key_of(&key, &k);

	/* mainnet layout: 104 bytes */
	value.len = 0;
	w_u64(&value, 5000000);
	w_fill(&value, 0x44, 96);
	v.ptr = value.data;
	v.len = value.len;
	CHECK(ff_coin_store_balance(&k, v, &balance));
	CHECK_EQ_U64(balance, 5000000);
	/* 103 and 106 bytes */
	v.len = 103;
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	w_fill(&value, 0, 2);
	v.len = 106;
	CHECK(!ff_coin_store_balance(&k, v, &balance));

	/* test-chain layout: 105 bytes, frozen 00 / 01 / a bad bool */
	value.len = 0;
	w_u64(&value, 77);
	w_u8(&value, 1);
	w_fill(&value, 0x44, 96);
	v.len = value.len;
	balance = 0;
	CHECK(ff_coin_store_balance(&k, v, &balance));
	CHECK_EQ_U64(balance, 77);
	value.data[8] = 0;
	CHECK(ff_coin_store_balance(&k, v, &balance));
	value.data[8] = 2;
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	value.data[8] = 0;

	/* not a CoinStore<T>: no parameter, two, other module or name or address, group path */
	key.len = 0;
	w_struct_path(&path, 1, "coin", "CoinStore", 0);
	w_access_path_key(&key, 0x42, &path);
	key_of(&key, &k);
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	key.len = 0;
	w_struct_path(&path, 1, "coin", "CoinStore", 2);
	w_u8(&path, 2);
	w_u8(&path, 2);
	w_access_path_key(&key, 0x42, &path);
	key_of(&key, &k);
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	key.len = 0;
	w_struct_path(&path, 1, "coin", "CoinInfo", 1);
	w_u8(&path, 2);
	w_access_path_key(&key, 0x42, &path);
	key_of(&key, &k);
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	key.len = 0;
	w_coin_store_path(&path);
	path.data[32] = 2;			/* 0x2::coin::CoinStore */
	w_access_path_key(&key, 0x42, &path);
	key_of(&key, &k);
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	key.len = 0;
	w_coin_store_path(&path);
	path.data[0] = 2;			/* ResourceGroup */
	w_access_path_key(&key, 0x42, &path);
	key_of(&key, &k);
	CHECK(!ff_coin_store_balance(&k, v, &balance));
	/* and the right one again */
	w_coin_store_key(&key);
	key_of(&key, &k);
	CHECK(ff_coin_store_balance(&k, v, &balance));
}

int
main(void)
{
	RUN(test_key_kinds);
	RUN(test_bad_paths);
	RUN(test_write_ops);
	RUN(test_bad_write_sets);
	RUN(test_empty_write_set);
	RUN(test_state_items);
	RUN(test_coin_store);
	return unit_summary("state");
}
