/*
 * test_chain.c — unit tests of src/chain: SHA3 and CryptoHasher seeds (doc §6.1), text
 * rendering (hex, AIP-40 addresses, type tags, functions), and the v6/v7 transaction record
 * decoder: the worked example of doc §6.3, synthetic records for every variant that only
 * the sources describe (with correct TransactionInfo hashes), malformed and unsupported
 * records, truncation at every byte and byte mutations (on exact-size heap copies, so
 * valgrind sees any overrun), and — when ../shared/data is present — every record of the
 * first v6 test-chain chunk with its hashes recomputed.
 */
#include <stdlib.h>
#include <zlib.h>

#include "chain/hash.h"
#include "chain/render.h"
#include "chain/transaction.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* helpers: transaction parts (the BCS writer is in unit_records.h)                      */

/* the length of a w_code_path() with a one-char module name */
#define CODE_PATH_LEN (1 + 32 + 2)

static void
w_ed25519(wbuf *w)
{
	w_uleb(w, 32);
	w_fill(w, 0x11, 32);
	w_uleb(w, 64);
	w_fill(w, 0x22, 64);
}

static void
w_multi_ed25519(wbuf *w, int nkeys, uint8_t threshold, int nsigs, uint32_t bitmap_be)
{
	w_uleb(w, (uint32_t) (32 * nkeys + 1));
	w_fill(w, 0x31, 32 * (size_t) nkeys);
	w_u8(w, threshold);
	w_uleb(w, (uint32_t) (64 * nsigs + 4));
	w_fill(w, 0x32, 64 * (size_t) nsigs);
	for (int i = 3; i >= 0; i--)
		w_u8(w, (uint8_t) (bitmap_be >> (8 * i)));
}

/* Transaction::UserTransaction tag, sender, sequence number */
static void
w_user_head(wbuf *w, uint8_t sender_byte, uint64_t seq)
{
	w_u8(w, 0);
	w_fill(w, sender_byte, 32);
	w_u64(w, seq);
}

/* RawTransaction fields after the payload */
static void
w_user_tail(wbuf *w)
{
	w_u64(w, 2000);				/* max_gas_amount */
	w_u64(w, 100);				/* gas_unit_price */
	w_u64(w, 1696500000);		/* expiration_timestamp_secs */
	w_u8(w, 4);					/* chain_id */
}

/* one ContractEvent V0 with a 0x1::coin::DepositEvent type and an 8-byte amount */
static void
w_deposit_event(wbuf *w, uint64_t seq, uint64_t amount)
{
	w_u8(w, 0);
	w_u64(w, 2);
	w_fill(w, 0x99, 32);
	w_u64(w, seq);
	w_struct_tag(w, 1, "coin", "DepositEvent", 0);
	w_uleb(w, 8);
	w_u64(w, amount);
}

/* ------------------------------------------------------------------------------------ */
/* hashes a decoder can check itself with (doc §6)                                        */

static const uint8_t placeholder_hash[32] = "ACCUMULATOR_PLACEHOLDER_HASH";

/* root of the in-memory accumulator over leaves[lo .. lo+width) clipped to n leaves */
static void
accumulator_node(const uint8_t (*leaves)[32], size_t n, size_t lo, size_t width,
				 uint8_t out[32])
{
	uint8_t		pair[64];

	if (lo >= n)
	{
		memcpy(out, placeholder_hash, 32);
		return;
	}
	if (width == 1)
	{
		memcpy(out, leaves[lo], 32);
		return;
	}
	accumulator_node(leaves, n, lo, width / 2, pair);
	accumulator_node(leaves, n, lo + width / 2, width / 2, pair + 32);
	ff_crypto_hash("DIEM::", "EventAccumulator", pair, 64, out);
}

/*
 * event_root_hash of a Vec<ContractEvent> (the record's 3rd element): the leaves are
 * hash(ContractEvent) of each event's bytes, found by walking the events again.
 */
static bool
event_root(ff_span events, uint8_t out[32])
{
	bcs_cursor	c;
	uint32_t	n;
	uint8_t		(*leaves)[32];
	size_t		width = 1;
	bool		ok = true;

	bcs_init(&c, events.ptr, events.len);
	if (!bcs_count(&c, 1, &n))
		return false;
	if (n == 0)
	{
		memcpy(out, placeholder_hash, 32);
		return bcs_at_end(&c);
	}
	leaves = malloc((size_t) n * 32);
	for (uint32_t i = 0; i < n && ok; i++)
	{
		size_t		start = c.pos;
		uint32_t	tag;
		uint64_t	u;
		ff_span		data;

		ok = bcs_len(&c, &tag) && tag == 0 && bcs_u64(&c, &u) && bcs_skip(&c, 32) &&
			bcs_u64(&c, &u) && ff_skip_type_tag(&c, 32) && bcs_bytes(&c, &data);
		if (ok)
			ff_crypto_hash("DIEM::", "ContractEvent", c.base + start, c.pos - start, leaves[i]);
	}
	ok = ok && bcs_at_end(&c);
	while (width < n)
		width *= 2;
	if (ok)
		accumulator_node((const uint8_t (*)[32]) leaves, n, 0, width, out);
	free(leaves);
	return ok;
}

/* The three TransactionInfo hashes recomputed from the record's own bytes. */
static bool
tx_hash_ok(const ff_tx *tx)
{
	uint8_t		h[32];

	ff_crypto_hash("DIEM::", "Transaction", tx->transaction.ptr, tx->transaction.len, h);
	return tx->tx_hash && memcmp(h, tx->tx_hash, 32) == 0;
}

static bool
write_set_hash_ok(const ff_tx *tx)
{
	uint8_t		h[32];

	ff_crypto_hash("DIEM::", "WriteSet", tx->write_set.ptr, tx->write_set.len, h);
	return tx->state_change_hash && memcmp(h, tx->state_change_hash, 32) == 0;
}

static bool
event_root_ok(const ff_tx *tx)
{
	uint8_t		h[32];

	return event_root(tx->events, h) && tx->event_root_hash &&
		memcmp(h, tx->event_root_hash, 32) == 0;
}

/* ------------------------------------------------------------------------------------ */
/* records from parts, with correct hashes                                                */

typedef struct rec_parts
{
	wbuf		tx;				/* Transaction, with its tag */
	wbuf		status;			/* ExecutionStatus bytes */
	uint64_t	gas_used;
	wbuf		events;			/* Vec<ContractEvent>, with its count */
	wbuf		ws;				/* WriteSet, with its tag */
	bool		checkpoint;		/* state_checkpoint_hash = Some */
	wbuf		rec;			/* the assembled record */
} rec_parts;

static void
parts_init(rec_parts *p)
{
	p->tx.len = p->status.len = p->events.len = p->ws.len = p->rec.len = 0;
	p->gas_used = 0;
	p->checkpoint = false;
	w_u8(&p->status, 0);		/* Success */
	w_u8(&p->events, 0);		/* no events */
	w_u8(&p->ws, 0);			/* WriteSet::V0 */
	w_u8(&p->ws, 0);			/* empty map */
}

/* Assemble (Transaction, TransactionInfo, events, WriteSet) into p->rec. */
static void
parts_assemble(rec_parts *p)
{
	uint8_t		h[32];
	ff_span		ev = {p->events.data, p->events.len};

	p->rec.len = 0;
	w_raw(&p->rec, p->tx.data, p->tx.len);
	w_u8(&p->rec, 0);			/* TransactionInfo::V0 */
	w_u64(&p->rec, p->gas_used);
	w_raw(&p->rec, p->status.data, p->status.len);
	ff_crypto_hash("DIEM::", "Transaction", p->tx.data, p->tx.len, h);
	w_raw(&p->rec, h, 32);
	if (!event_root(ev, h))
		memset(h, 0xee, 32);	/* deliberately malformed events: any hash */
	w_raw(&p->rec, h, 32);
	ff_crypto_hash("DIEM::", "WriteSet", p->ws.data, p->ws.len, h);
	w_raw(&p->rec, h, 32);
	if (p->checkpoint)
	{
		w_u8(&p->rec, 1);
		w_fill(&p->rec, 0xcc, 32);
	}
	else
		w_u8(&p->rec, 0);
	w_u8(&p->rec, 0);			/* state_cemetery_hash = None */
	w_raw(&p->rec, p->events.data, p->events.len);
	w_raw(&p->rec, p->ws.data, p->ws.len);
}

/*
 * Decode every strict prefix of a valid record from an exact-size heap copy: each must
 * fail cleanly as corrupt, at an offset inside the prefix. Then mutate every byte a few
 * ways: the decoder may accept or reject, but must never read outside the copy.
 */
static void
check_truncations_and_mutations(const uint8_t *rec, size_t len)
{
	bool		all_corrupt = true;
	bool		offsets_ok = true;
	bool		messages_ok = true;

	for (size_t k = 0; k < len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);
		ff_tx		tx;
		ff_status	st;
		ff_code		code;

		memcpy(copy, rec, k);
		ff_status_clear(&st);
		code = ff_tx_decode(copy, k, &tx, &st);
		if (code != FF_ERR_CORRUPT)
			all_corrupt = false;
		if (st.offset < 0 || (size_t) st.offset > k)
			offsets_ok = false;
		if (strncmp(st.message, "bad ", 4) != 0)
			messages_ok = false;
		free(copy);
	}
	CHECK(all_corrupt);
	CHECK(offsets_ok);
	CHECK(messages_ok);

	for (size_t i = 0; i < len; i++)
	{
		const uint8_t variants[] = {0x00, 0xff, 0x80, (uint8_t) (rec[i] ^ 0x01), (uint8_t) (rec[i] + 1)};

		for (size_t v = 0; v < sizeof(variants); v++)
		{
			uint8_t    *copy = malloc(len);
			ff_tx		tx;
			ff_status	st;
			size_t		state = 0;
			ff_span		arg;
			ff_buf		b;

			memcpy(copy, rec, len);
			copy[i] = variants[v];
			ff_status_clear(&st);
			if (ff_tx_decode(copy, len, &tx, &st) == FF_OK)
			{
				/* whatever decoded must also iterate safely */
				while (ff_tx_next_arg(&tx, &state, &arg))
					;
				ff_buf_init(&b);
				state = 0;
				while (ff_tx_next_type_arg(&tx, &state, &b))
					;
				ff_buf_free(&b);
			}
			free(copy);
		}
	}
}

/* Decode a record that must be valid, check its hashes, and run the truncation tests. */
static bool
decode_valid(rec_parts *p, ff_tx *tx)
{
	ff_status	st;
	ff_code		code;

	parts_assemble(p);
	ff_status_clear(&st);
	code = ff_tx_decode(p->rec.data, p->rec.len, tx, &st);
	CHECK_EQ_U64(code, FF_OK);
	if (code != FF_OK)
	{
		fprintf(stderr, "  decode: %s at %" PRId64 "\n", st.message, st.offset);
		return false;
	}
	CHECK_EQ_U64(tx->transaction.len, p->tx.len);
	CHECK_EQ_U64(tx->events.len, p->events.len);
	CHECK_EQ_U64(tx->write_set.len, p->ws.len);
	CHECK_EQ_U64(tx->gas_used, p->gas_used);
	CHECK(tx_hash_ok(tx));
	CHECK(write_set_hash_ok(tx));
	CHECK(event_root_ok(tx));
	CHECK((tx->state_checkpoint_hash != NULL) == p->checkpoint);
	check_truncations_and_mutations(p->rec.data, p->rec.len);
	return true;
}

/* Decode a record that must fail with `code`, a message containing `needle`, at `offset`. */
static void
expect_failure(const uint8_t *rec, size_t len, ff_code code, const char *needle, int64_t offset,
			   int line)
{
	ff_tx		tx;
	ff_status	st;
	ff_code		got;
	uint8_t    *copy = malloc(len ? len : 1);

	memcpy(copy, rec, len);
	ff_status_clear(&st);
	got = ff_tx_decode(copy, len, &tx, &st);
	free(copy);
	if (got != code || !strstr(st.message, needle) || (offset >= 0 && st.offset != offset) ||
		st.object[0] != '\0')
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected %s \"%s\" at %" PRId64 ", got %s \"%s\" at %" PRId64 "\n",
				__FILE__, line, ff_code_name(code), needle, offset, ff_code_name(got),
				st.message, st.offset);
	}
	else
		unit_passed++;
}

#define EXPECT_FAIL(p, code, needle, offset) \
	do { parts_assemble(p); \
		 expect_failure((p)->rec.data, (p)->rec.len, code, needle, offset, __LINE__); } while (0)

/* render the next type argument into a fresh buffer and compare */
static void
check_type_args(const ff_tx *tx, const char *const *expected, size_t n)
{
	size_t		state = 0;
	size_t		i = 0;
	ff_buf		b;

	ff_buf_init(&b);
	for (;;)
	{
		ff_buf_reset(&b);
		if (!ff_tx_next_type_arg(tx, &state, &b))
			break;
		if (i < n)
			CHECK_STR(b.data, expected[i]);
		i++;
	}
	CHECK_EQ_U64(i, n);
	CHECK_EQ_U64(tx->type_arg_count, n);
	ff_buf_free(&b);
}

static void
check_function(const ff_tx *tx, const char *expected)
{
	ff_buf		b;

	ff_buf_init(&b);
	CHECK(tx->module_address != NULL);
	if (tx->module_address)
	{
		CHECK(ff_render_function(tx->module_address, 32, tx->module_name, tx->function_name, &b));
		CHECK_STR(b.data, expected);
	}
	ff_buf_free(&b);
}

/* ------------------------------------------------------------------------------------ */
/* hashing                                                                                */

static void
test_sha3(void)
{
	uint8_t		h[32];

	ff_sha3_256("", 0, h);
	CHECK(hash_is(h, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"));
	ff_sha3_256("abc", 3, h);
	CHECK(hash_is(h, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"));
}

static void
test_seeds(void)
{
	static const struct
	{
		const char *name;
		const char *seed;
	}			table[] = {
		{"Transaction", "a57f37b6effd9fca550b609f55ac4cabc6e58784f0e1a99877bfef3c9840ba79"},
		{"TransactionInfo", "5716f98fb407923f154b72281e92adfeb3f18afdfe84efc1c72ceddc8234aef1"},
		{"ContractEvent", "5198eac83647d6147831afb4df77a5dc0e98cbbd08df17296db256154e335aa0"},
		{"WriteSet", "54e9f608511e1b948a3a936a5937e13d454404dbeb25f936b0b12a9f34e53621"},
		{"EventAccumulator", "f33b5e61efab7cc2fb11adff392556c4e7f8113fcee16a52b6c31e0b19fdd545"},
		{"TransactionAccumulator", "f113eccd4bfbb5050e49fcac4b812912a8b83c3b32bd3c61917ffc8cab48f420"},
	};
	uint8_t		seed[32],
				again[32],
				direct[32],
				h[32];
	static const uint8_t empty_ws[] = {0x00, 0x00};

	for (int round = 0; round < 2; round++)		/* the second round hits the cache */
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		{
			ff_hash_seed("DIEM::", table[i].name, seed);
			CHECK(hash_is(seed, table[i].seed));
		}
	/* the seed is SHA3-256(domain || name) */
	ff_sha3_256("DIEM::Transaction", 17, direct);
	ff_hash_seed("DIEM::", "Transaction", seed);
	CHECK(memcmp(seed, direct, 32) == 0);
	/* another domain gives another seed, and does not disturb the cached one */
	ff_hash_seed("LIBRA::", "Transaction", again);
	CHECK(memcmp(seed, again, 32) != 0);
	ff_sha3_256("LIBRA::Transaction", 18, direct);
	CHECK(memcmp(again, direct, 32) == 0);
	/* many distinct names: more than the cache holds, all still right */
	for (int i = 0; i < 40; i++)
	{
		char		name[32];
		char		joined[64];

		snprintf(name, sizeof(name), "Type%d", i);
		snprintf(joined, sizeof(joined), "DIEM::%s", name);
		ff_hash_seed("DIEM::", name, seed);
		ff_sha3_256(joined, strlen(joined), direct);
		CHECK(memcmp(seed, direct, 32) == 0);
	}
	/* hash(empty WriteSet) (doc §6.2) */
	ff_crypto_hash("DIEM::", "WriteSet", empty_ws, 2, h);
	CHECK(hash_is(h, "ed14071dd58a85a8d127333ae8b921626385e62ff8df0457d163de69376cf7da"));
	ff_hash_seed("DIEM::", "WriteSet", seed);
	ff_hash_with_seed(seed, empty_ws, 2, again);
	CHECK(memcmp(h, again, 32) == 0);
}

/* ------------------------------------------------------------------------------------ */
/* rendering                                                                              */

static void
test_hex_and_addresses(void)
{
	uint8_t		a[32] = {0};
	char		text[FF_ADDRESS_TEXT_MAX + 1];
	size_t		n;
	static const uint8_t raw[] = {0x00, 0x0f, 0xa0, 0xff};

	ff_hex(raw, 4, text);
	text[8] = '\0';
	CHECK_STR(text, "000fa0ff");

#define ADDR_IS(bytes, len, expected) do { \
	n = ff_render_address(bytes, len, text); text[n] = '\0'; \
	CHECK_STR(text, expected); CHECK(n <= FF_ADDRESS_TEXT_MAX); } while (0)

	ADDR_IS(a, 32, "0x0");
	a[31] = 1;
	ADDR_IS(a, 32, "0x1");
	a[31] = 0x0f;
	ADDR_IS(a, 32, "0xf");
	a[31] = 0x10;
	ADDR_IS(a, 32, "0x0000000000000000000000000000000000000000000000000000000000000010");
	a[31] = 1;
	a[0] = 1;
	ADDR_IS(a, 32, "0x0100000000000000000000000000000000000000000000000000000000000001");
	memset(a, 0, 32);
	a[30] = 1;
	ADDR_IS(a, 32, "0x0000000000000000000000000000000000000000000000000000000000000100");
	hex_to_bytes("00000000000000000000000000000000d5ace598845d0c939b65cd944be80b01", a, 32);
	ADDR_IS(a, 32, "0x00000000000000000000000000000000d5ace598845d0c939b65cd944be80b01");
	memset(a, 0xff, 32);
	ADDR_IS(a, 32, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	CHECK_EQ_U64(n, FF_ADDRESS_TEXT_MAX);
	/* 16-byte (v4/v5) addresses */
	memset(a, 0, 16);
	a[15] = 1;
	ADDR_IS(a, 16, "0x1");
	a[15] = 0x10;
	ADDR_IS(a, 16, "0x00000000000000000000000000000010");
	hex_to_bytes("d5ace598845d0c939b65cd944be80b01", a, 16);
	ADDR_IS(a, 16, "0xd5ace598845d0c939b65cd944be80b01");
#undef ADDR_IS
}

/* Render the type tag bytes in w; on success compare to expected, else expect failure. */
static void
type_tag_case(const wbuf *w, size_t addr_len, const char *expected, int line)
{
	bcs_cursor	c,
				s;
	ff_buf		b;
	bool		ok;
	uint8_t    *copy = malloc(w->len ? w->len : 1);

	memcpy(copy, w->data, w->len);
	ff_buf_init(&b);
	bcs_init(&c, copy, w->len);
	ok = ff_render_type_tag(&c, addr_len, &b);
	bcs_init(&s, copy, w->len);
	if (expected)
	{
		if (ok && bcs_at_end(&c) && strcmp(b.data, expected) == 0 &&
			ff_skip_type_tag(&s, addr_len) && bcs_at_end(&s))
			unit_passed++;
		else
		{
			unit_failed++;
			fprintf(stderr, "%s:%d: type tag: expected \"%s\", got %s \"%s\" (%s)\n", __FILE__,
					line, expected, ok ? "ok" : "fail", b.data ? b.data : "",
					c.fail_what ? c.fail_what : "");
		}
	}
	else
	{
		if (!ok && c.failed && !ff_skip_type_tag(&s, addr_len) && s.failed)
			unit_passed++;
		else
		{
			unit_failed++;
			fprintf(stderr, "%s:%d: type tag: expected a failure, got \"%s\"\n", __FILE__, line,
					b.data ? b.data : "");
		}
	}
	/* every strict prefix fails */
	for (size_t k = 0; k < w->len && expected; k++)
	{
		uint8_t    *pre = malloc(k ? k : 1);

		memcpy(pre, w->data, k);
		bcs_init(&s, pre, k);
		if (ff_skip_type_tag(&s, addr_len))
		{
			unit_failed++;
			fprintf(stderr, "%s:%d: prefix %zu of a type tag decoded\n", __FILE__, line, k);
		}
		free(pre);
	}
	ff_buf_free(&b);
	free(copy);
}

#define TT(expected) type_tag_case(&w, 32, expected, __LINE__)

static void
test_type_tags(void)
{
	static const char *const prims[] = {"bool", "u8", "u64", "u128", "address", "signer",
	NULL, NULL, "u16", "u32", "u256"};
	wbuf		w;

	for (uint8_t t = 0; t <= 10; t++)
	{
		if (!prims[t])
			continue;
		w.len = 0;
		w_u8(&w, t);
		TT(prims[t]);
	}
	/* tags of later Aptos (Function = 11, i8.. = 12..) and beyond */
	for (uint8_t t = 11; t <= 18; t++)
	{
		w.len = 0;
		w_u8(&w, t);
		TT(NULL);
	}
	w.len = 0;
	w_uleb(&w, 300);
	TT(NULL);
	/* a non-canonical tag */
	w.len = 0;
	w_u8(&w, 0x81);
	w_u8(&w, 0x00);
	TT(NULL);

	/* vector<vector<u8>> */
	w.len = 0;
	w_u8(&w, 6);
	w_u8(&w, 6);
	w_u8(&w, 1);
	TT("vector<vector<u8>>");

	/* 0x1::coin::CoinStore<0x1::gas_coin::GasCoin> */
	w.len = 0;
	w_struct_tag(&w, 1, "coin", "CoinStore", 1);
	w_struct_tag(&w, 1, "gas_coin", "GasCoin", 0);
	TT("0x1::coin::CoinStore<0x1::gas_coin::GasCoin>");

	/* two generics, a vector of structs, a full-width address */
	w.len = 0;
	w_struct_tag(&w, 0x10, "table", "Table", 2);
	w_u8(&w, 4);
	w_u8(&w, 6);
	w_struct_tag(&w, 0, "string", "String", 0);
	TT("0x0000000000000000000000000000000000000000000000000000000000000010::table::Table<address, vector<0x0::string::String>>");

	/* nested generics */
	w.len = 0;
	w_struct_tag(&w, 1, "option", "Option", 1);
	w_struct_tag(&w, 1, "coin", "Coin", 1);
	w_struct_tag(&w, 0xf, "m", "T", 3);
	w_u8(&w, 2);
	w_u8(&w, 10);
	w_u8(&w, 5);
	TT("0x1::option::Option<0x1::coin::Coin<0xf::m::T<u64, u256, signer>>>");

	/* depth: 8 nested boxes are fine, 9 are not (vector) */
	w.len = 0;
	w_fill(&w, 6, 8);
	w_u8(&w, 1);
	TT("vector<vector<vector<vector<vector<vector<vector<vector<u8>>>>>>>>");
	w.len = 0;
	w_fill(&w, 6, 9);
	w_u8(&w, 1);
	TT(NULL);
	/* depth counts struct boxes too: struct<vector^7<u8>> = 8, struct<vector^8<u8>> = 9 */
	w.len = 0;
	w_struct_tag(&w, 1, "m", "S", 1);
	w_fill(&w, 6, 7);
	w_u8(&w, 1);
	TT("0x1::m::S<vector<vector<vector<vector<vector<vector<vector<u8>>>>>>>>");
	w.len = 0;
	w_struct_tag(&w, 1, "m", "S", 1);
	w_fill(&w, 6, 8);
	w_u8(&w, 1);
	TT(NULL);
	/* the failure says why */
	{
		bcs_cursor	c;

		w.len = 0;
		w_fill(&w, 6, 9);
		w_u8(&w, 1);
		bcs_init(&c, w.data, w.len);
		CHECK(!ff_skip_type_tag(&c, 32));
		CHECK_STR(c.fail_what, "type tag nested too deeply");
		CHECK_EQ_U64(c.fail_pos, 9);
		w.len = 0;
		w_u8(&w, 6);
		w_u8(&w, 11);
		bcs_init(&c, w.data, w.len);
		CHECK(!ff_skip_type_tag(&c, 32));
		CHECK_STR(c.fail_what, "TypeTag variant not in the 0L fork");
		CHECK_EQ_U64(c.fail_pos, 1);
	}

	/* bad identifiers */
	w.len = 0;
	w_struct_tag(&w, 1, "1coin", "C", 0);
	TT(NULL);
	w.len = 0;
	w_struct_tag(&w, 1, "coin", "", 0);
	TT(NULL);
	w.len = 0;
	w_struct_tag(&w, 1, "co-in", "C", 0);
	TT(NULL);
	/* more params announced than present */
	w.len = 0;
	w_struct_tag(&w, 1, "m", "S", 2);
	w_u8(&w, 1);
	TT(NULL);

	/* 16-byte addresses */
	w.len = 0;
	w_u8(&w, 7);
	w_fill(&w, 0, 15);
	w_u8(&w, 1);
	w_str(&w, "Diem");
	w_str(&w, "Diem");
	w_uleb(&w, 1);
	w_u8(&w, 7);
	w_fill(&w, 0xab, 16);
	w_str(&w, "GAS");
	w_str(&w, "T");
	w_uleb(&w, 0);
	type_tag_case(&w, 16, "0x1::Diem::Diem<0xabababababababababababababababab::GAS::T>", __LINE__);

	/* rendering appends to what the buffer holds */
	{
		ff_buf		b;
		bcs_cursor	c;
		static const uint8_t u8tag[] = {1};

		ff_buf_init(&b);
		ff_buf_append_str(&b, "x: ");
		bcs_init(&c, u8tag, 1);
		CHECK(ff_render_type_tag(&c, 32, &b));
		CHECK_STR(b.data, "x: u8");
		ff_buf_free(&b);
	}
}

static void
test_render_function(void)
{
	uint8_t		addr[32] = {0};
	ff_span		module = {(const uint8_t *) "tower_state", 11};
	ff_span		fn = {(const uint8_t *) "minerstate_commit", 17};
	ff_buf		b;

	addr[31] = 1;
	ff_buf_init(&b);
	CHECK(ff_render_function(addr, 32, module, fn, &b));
	CHECK_STR(b.data, "0x1::tower_state::minerstate_commit");
	ff_buf_reset(&b);
	addr[0] = 0xd5;
	CHECK(ff_render_function(addr, 32, module, fn, &b));
	CHECK_STR(b.data, "0xd500000000000000000000000000000000000000000000000000000000000001::tower_state::minerstate_commit");
	ff_buf_free(&b);
}

/* ------------------------------------------------------------------------------------ */
/* records                                                                                */

/* Doc §6.3: version 2 of transaction_1-.90bf/1-.chunk, a 176-byte StateCheckpoint. */
static const char worked_example_block_id[] =
"0aab6896fb6440df84a7c0a195e0dcba7744fee071e203f9027fd865b8710f84";
static const char worked_example_tx_hash[] =
"c458fa8dfd0441559a27218349fc7556a30a8062544919c84145007d89e91a15";
static const char worked_example_checkpoint[] =
"af0414de4335fbcb0dff7efe23c03aa71c61206b2d3a035c4f1e9f2847676f0c";

static size_t
build_worked_example(uint8_t *out)
{
	wbuf		w;
	uint8_t		h[32];

	w.len = 0;
	w_u8(&w, 0);				/* framing: u32 big-endian 176 */
	w_u8(&w, 0);
	w_u8(&w, 0);
	w_u8(&w, 0xb0);
	w_u8(&w, 3);				/* Transaction::StateCheckpoint */
	hex_to_bytes(worked_example_block_id, h, 32);
	w_raw(&w, h, 32);
	w_u8(&w, 0);				/* TransactionInfo::V0 */
	w_u64(&w, 0);				/* gas_used */
	w_u8(&w, 0);				/* Success */
	hex_to_bytes(worked_example_tx_hash, h, 32);
	w_raw(&w, h, 32);
	w_raw(&w, placeholder_hash, 32);
	hex_to_bytes("ed14071dd58a85a8d127333ae8b921626385e62ff8df0457d163de69376cf7da", h, 32);
	w_raw(&w, h, 32);
	w_u8(&w, 1);				/* state_checkpoint_hash = Some */
	hex_to_bytes(worked_example_checkpoint, h, 32);
	w_raw(&w, h, 32);
	w_u8(&w, 0);				/* state_cemetery_hash = None */
	w_u8(&w, 0);				/* no events */
	w_u8(&w, 0);				/* WriteSet::V0 */
	w_u8(&w, 0);				/* empty */
	memcpy(out, w.data, w.len);
	return w.len;
}

static void
test_worked_example(void)
{
	uint8_t		framed[256];
	size_t		n = build_worked_example(framed);
	uint32_t	len = ((uint32_t) framed[0] << 24) | ((uint32_t) framed[1] << 16) |
		((uint32_t) framed[2] << 8) | framed[3];
	const uint8_t *rec = framed + 4;
	ff_tx		tx;
	ff_status	st;
	uint8_t		h[32];

	CHECK_EQ_U64(n, 4 + 176);
	CHECK_EQ_U64(len, 176);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_tx_decode(rec, len, &tx, &st), FF_OK);
	CHECK_EQ_U64(tx.kind, FF_TX_STATE_CHECKPOINT);
	CHECK_STR(ff_tx_kind_name(tx.kind), "state_checkpoint");
	CHECK(hash_is(tx.block_id, worked_example_block_id));
	CHECK_EQ_U64(tx.transaction.len, 33);
	CHECK_EQ_U64(tx.info.len, 1 + 8 + 1 + 96 + 33 + 1);
	CHECK_EQ_U64(tx.events.len, 1);
	CHECK_EQ_U64(tx.write_set.len, 2);
	CHECK_EQ_U64(tx.gas_used, 0);
	CHECK_EQ_U64(tx.status, FF_EXEC_SUCCESS);
	CHECK_STR(ff_exec_status_name(tx.status), "success");
	CHECK(hash_is(tx.tx_hash, worked_example_tx_hash));
	CHECK(memcmp(tx.event_root_hash, placeholder_hash, 32) == 0);
	CHECK(hash_is(tx.state_checkpoint_hash, worked_example_checkpoint));
	CHECK(tx.sender == NULL);
	CHECK(tx.payload_kind == FF_PAYLOAD_NONE);
	CHECK(tx.authenticator == FF_AUTH_NONE);
	CHECK(ff_payload_kind_name(tx.payload_kind) == NULL);
	CHECK(ff_auth_kind_name(tx.authenticator) == NULL);
	CHECK_EQ_U64(tx.event_count, 0);
	CHECK_EQ_U64(tx.write_count, 0);
	/* every hash of the record recomputes */
	CHECK(tx_hash_ok(&tx));
	CHECK(write_set_hash_ok(&tx));
	CHECK(event_root_ok(&tx));
	ff_crypto_hash("DIEM::", "Transaction", rec, 33, h);
	CHECK(hash_is(h, worked_example_tx_hash));
	check_truncations_and_mutations(rec, len);

	/* one more byte is an error at the end */
	{
		uint8_t		longer[177];

		memcpy(longer, rec, 176);
		longer[176] = 0;
		expect_failure(longer, 177, FF_ERR_CORRUPT, "bad record: trailing bytes after the WriteSet",
					   176, __LINE__);
	}
	/* a bad option tag for state_checkpoint_hash: offset 1+32+1+8+1+96 = 139 */
	{
		uint8_t		bad[176];

		memcpy(bad, rec, 176);
		bad[139] = 2;
		expect_failure(bad, 176, FF_ERR_CORRUPT, "bad TransactionInfo: option tag not 00 or 01",
					   139, __LINE__);
	}
	/* an empty record */
	expect_failure(rec, 0, FF_ERR_CORRUPT, "bad Transaction: truncated", 0, __LINE__);
}

static rec_parts parts;			/* big: keep it off the stack */

/* User transaction, Script payload with every TransactionArgument, Ed25519, OutOfGas. */
static void
test_script_payload(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	static const char *const type_args[] = {"u8", "vector<u64>"};
	static const size_t arg_lens[] = {1, 8, 16, 32, 3, 1, 2, 4, 32};
	size_t		state = 0;
	ff_span		v;
	int			i = 0;

	parts_init(p);
	w_user_head(&p->tx, 0xaa, 7);
	w_u8(&p->tx, 0);			/* Script */
	w_bytes(&p->tx, "\x01\x02\x03", 3);
	w_uleb(&p->tx, 2);
	w_u8(&p->tx, 1);
	w_u8(&p->tx, 6);
	w_u8(&p->tx, 2);
	w_uleb(&p->tx, 9);
	w_u8(&p->tx, 0);
	w_u8(&p->tx, 0x2a);
	w_u8(&p->tx, 1);
	w_u64(&p->tx, 0x0102030405060708ULL);
	w_u8(&p->tx, 2);
	w_fill(&p->tx, 0x10, 16);
	w_u8(&p->tx, 3);
	w_fill(&p->tx, 0x33, 32);
	w_u8(&p->tx, 4);
	w_str(&p->tx, "abc");
	w_u8(&p->tx, 5);
	w_u8(&p->tx, 1);
	w_u8(&p->tx, 6);
	w_u16(&p->tx, 0xbeef);
	w_u8(&p->tx, 7);
	w_u32(&p->tx, 0xdeadbeef);
	w_u8(&p->tx, 8);
	w_fill(&p->tx, 0x44, 32);
	w_user_tail(&p->tx);
	w_u8(&p->tx, 0);			/* Ed25519 */
	w_ed25519(&p->tx);
	p->status.len = 0;
	w_u8(&p->status, 1);		/* OutOfGas */
	p->gas_used = 2000;

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.kind, FF_TX_USER);
	CHECK_STR(ff_tx_kind_name(tx.kind), "user");
	CHECK(tx.sender && tx.sender[0] == 0xaa && tx.sender[31] == 0xaa);
	CHECK_EQ_U64(tx.sequence_number, 7);
	CHECK_EQ_U64(tx.payload_kind, FF_PAYLOAD_SCRIPT);
	CHECK_STR(ff_payload_kind_name(tx.payload_kind), "script");
	CHECK_EQ_U64(tx.script_code.len, 3);
	CHECK(tx.module_address == NULL);
	CHECK(tx.multisig_address == NULL);
	check_type_args(&tx, type_args, 2);
	CHECK_EQ_U64(tx.arg_count, 9);
	while (ff_tx_next_arg(&tx, &state, &v))
	{
		if (i < 9)
			CHECK_EQ_U64(v.len, arg_lens[i]);
		if (i == 0)
			CHECK_EQ_U64(v.ptr[0], 0x2a);
		if (i == 1)
			CHECK_EQ_U64(v.ptr[0], 0x08);
		if (i == 4)
			CHECK(memcmp(v.ptr, "abc", 3) == 0);
		if (i == 5)
			CHECK_EQ_U64(v.ptr[0], 1);
		if (i == 6)
			CHECK(v.ptr[0] == 0xef && v.ptr[1] == 0xbe);
		if (i == 8)
			CHECK_EQ_U64(v.ptr[31], 0x44);
		i++;
	}
	CHECK_EQ_U64(i, 9);
	CHECK_EQ_U64(state, tx.args.len);
	CHECK(!ff_tx_next_arg(&tx, &state, &v));
	CHECK_EQ_U64(tx.max_gas_amount, 2000);
	CHECK_EQ_U64(tx.gas_unit_price, 100);
	CHECK_EQ_U64(tx.expiration_timestamp_secs, 1696500000);
	CHECK_EQ_U64(tx.chain_id, 4);
	CHECK_EQ_U64(tx.authenticator, FF_AUTH_ED25519);
	CHECK_STR(ff_auth_kind_name(tx.authenticator), "ed25519");
	CHECK_EQ_U64(tx.status, FF_EXEC_OUT_OF_GAS);
	CHECK_STR(ff_exec_status_name(tx.status), "out_of_gas");
	CHECK(!tx.has_abort_code && !tx.has_abort_location);
	CHECK(tx.block_id == NULL);

	/* bad variants inside: TransactionArgument 9, Bool 02 */
	{
		size_t		arg_start = 1 + 32 + 8 + 1 + 4 + 1 + 3;	/* the 9 args' count */
		size_t		bool_pos = arg_start + 1 + 2 + 9 + 17 + 33 + 5 + 1;

		CHECK_EQ_U64(p->tx.data[arg_start], 9);
		CHECK_EQ_U64(p->tx.data[bool_pos - 1], 5);
		p->tx.data[bool_pos] = 2;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad Transaction: bool not 00 or 01", (int64_t) bool_pos);
		p->tx.data[bool_pos] = 1;
		p->tx.data[arg_start + 1] = 9;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad Transaction: unknown TransactionArgument variant",
					(int64_t) arg_start + 1);
		p->tx.data[arg_start + 1] = 0;
	}
	/* the Ed25519 public key is 31 bytes */
	{
		size_t		auth = p->tx.len - (1 + 1 + 32 + 1 + 64);

		CHECK_EQ_U64(p->tx.data[auth], 0);
		p->tx.data[auth + 1] = 31;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "Ed25519 public key is not 32 bytes", (int64_t) auth + 1);
		p->tx.data[auth + 1] = 32;
		p->tx.data[auth] = 4;	/* SingleSender of later Aptos */
		EXPECT_FAIL(p, FF_ERR_UNSUPPORTED, "bad Transaction: TransactionAuthenticator variant not in the 0L fork (tag 4)",
					(int64_t) auth);
		p->tx.data[auth] = 0;
	}
	/* payload 4 (Payload of later Aptos) */
	p->tx.data[41] = 4;
	EXPECT_FAIL(p, FF_ERR_UNSUPPORTED, "TransactionPayload variant not in the 0L fork (tag 4)", 41);
	p->tx.data[41] = 0;
	/* non-canonical ExecutionStatus tag: offset = tx + tag + gas */
	p->status.len = 0;
	w_u8(&p->status, 0x81);
	w_u8(&p->status, 0x00);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad TransactionInfo: uleb128 not canonical",
				(int64_t) p->tx.len + 1 + 8);
	p->status.len = 0;
	w_u8(&p->status, 5);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad TransactionInfo: unknown ExecutionStatus variant",
				(int64_t) p->tx.len + 1 + 8);
}

/* ModuleBundle, MultiEd25519, ExecutionFailure at a module. */
static void
test_module_bundle(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	size_t		auth;

	parts_init(p);
	w_user_head(&p->tx, 0xbb, 0);
	w_u8(&p->tx, 1);			/* ModuleBundle */
	w_uleb(&p->tx, 2);
	w_bytes(&p->tx, "\xa1\x1c\xeb\x0b", 4);
	w_bytes(&p->tx, "", 0);
	w_user_tail(&p->tx);
	auth = p->tx.len;
	w_u8(&p->tx, 1);			/* MultiEd25519 */
	w_multi_ed25519(&p->tx, 2, 1, 1, 0x80000000u);
	p->status.len = 0;
	w_u8(&p->status, 3);		/* ExecutionFailure */
	w_u8(&p->status, 0);		/* AbortLocation::Module */
	w_addr_short(&p->status, 1);
	w_str(&p->status, "coin");
	w_u16(&p->status, 5);
	w_u16(&p->status, 17);
	p->gas_used = 12;

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.payload_kind, FF_PAYLOAD_MODULE_BUNDLE);
	CHECK_STR(ff_payload_kind_name(tx.payload_kind), "module_bundle");
	CHECK_EQ_U64(tx.module_count, 2);
	CHECK(tx.module_address == NULL);
	CHECK_EQ_U64(tx.arg_count, 0);
	CHECK_EQ_U64(tx.type_arg_count, 0);
	CHECK_EQ_U64(tx.authenticator, FF_AUTH_MULTI_ED25519);
	CHECK_STR(ff_auth_kind_name(tx.authenticator), "multi_ed25519");
	CHECK_EQ_U64(tx.status, FF_EXEC_EXECUTION_FAILURE);
	CHECK_STR(ff_exec_status_name(tx.status), "execution_failure");
	CHECK(tx.has_abort_location && !tx.abort_in_script);
	CHECK(tx.abort_module_address && tx.abort_module_address[31] == 1);
	CHECK(tx.abort_module_name.len == 4 && memcmp(tx.abort_module_name.ptr, "coin", 4) == 0);
	CHECK(!tx.has_abort_code);
	CHECK_EQ_U64(tx.failure_function, 5);
	CHECK_EQ_U64(tx.failure_code_offset, 17);

	/* MultiEd25519 rules: threshold 0, threshold > n, bitmap that does not match */
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 2, 0, 1, 0x80000000u);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "MultiEd25519 threshold out of range", (int64_t) auth + 1);
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 2, 3, 1, 0x80000000u);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "MultiEd25519 threshold out of range", (int64_t) auth + 1);
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 2, 1, 1, 0xc0000000u);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "MultiEd25519 bitmap does not match the signature count", -1);
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 33, 1, 1, 0x80000000u);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "MultiEd25519 public key has a bad length", (int64_t) auth + 1);
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 2, 1, 0, 0);
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "MultiEd25519 signature has a bad length", -1);
	/* the module name of the location is not an identifier */
	p->tx.len = auth + 1;
	w_multi_ed25519(&p->tx, 2, 1, 1, 0x80000000u);
	p->status.data[1 + 1 + 32 + 1] = '-';
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad TransactionInfo: identifier has an invalid first character",
				(int64_t) p->tx.len + 1 + 8 + 2 + 32);
}

/* Multisig with an entry function, MultiAgent, MoveAbort in a script without AbortInfo. */
static void
test_multisig_multi_agent(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	size_t		state = 0;
	ff_span		v;
	size_t		second_signer;

	parts_init(p);
	w_user_head(&p->tx, 0xcc, 3);
	w_u8(&p->tx, 3);			/* Multisig */
	w_fill(&p->tx, 0x55, 32);
	w_u8(&p->tx, 1);			/* Some */
	w_u8(&p->tx, 0);			/* MultisigTransactionPayload::EntryFunction */
	w_addr_short(&p->tx, 1);
	w_str(&p->tx, "multisig_account");
	w_str(&p->tx, "approve");
	w_uleb(&p->tx, 0);
	w_uleb(&p->tx, 1);
	w_uleb(&p->tx, 8);
	w_u64(&p->tx, 42);
	w_user_tail(&p->tx);
	w_u8(&p->tx, 2);			/* MultiAgent */
	w_u8(&p->tx, 0);			/* sender: Ed25519 */
	w_ed25519(&p->tx);
	w_uleb(&p->tx, 1);
	w_fill(&p->tx, 0x66, 32);
	w_uleb(&p->tx, 1);
	second_signer = p->tx.len;
	w_u8(&p->tx, 1);			/* MultiEd25519 */
	w_multi_ed25519(&p->tx, 3, 2, 2, 0xa0000000u);
	p->status.len = 0;
	w_u8(&p->status, 2);		/* MoveAbort */
	w_u8(&p->status, 1);		/* AbortLocation::Script */
	w_u64(&p->status, 0x10001);
	w_u8(&p->status, 0);		/* no AbortInfo */

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.payload_kind, FF_PAYLOAD_MULTISIG);
	CHECK_STR(ff_payload_kind_name(tx.payload_kind), "multisig");
	CHECK(tx.multisig_address && tx.multisig_address[0] == 0x55);
	check_function(&tx, "0x1::multisig_account::approve");
	CHECK_EQ_U64(tx.arg_count, 1);
	CHECK(ff_tx_next_arg(&tx, &state, &v));
	CHECK(v.len == 8 && v.ptr[0] == 42);
	CHECK(!ff_tx_next_arg(&tx, &state, &v));
	check_type_args(&tx, NULL, 0);
	CHECK_EQ_U64(tx.authenticator, FF_AUTH_MULTI_AGENT);
	CHECK_STR(ff_auth_kind_name(tx.authenticator), "multi_agent");
	CHECK_EQ_U64(tx.status, FF_EXEC_MOVE_ABORT);
	CHECK_STR(ff_exec_status_name(tx.status), "move_abort");
	CHECK(tx.has_abort_location && tx.abort_in_script && tx.abort_module_address == NULL);
	CHECK(tx.has_abort_code);
	CHECK_EQ_U64(tx.abort_code, 0x10001);
	CHECK_EQ_U64(tx.abort_reason.len, 0);
	CHECK_EQ_U64(tx.abort_description.len, 0);

	/* AccountAuthenticator 2 (SingleKey of later Aptos) */
	p->tx.data[second_signer] = 2;
	EXPECT_FAIL(p, FF_ERR_UNSUPPORTED, "AccountAuthenticator variant not in the 0L fork (tag 2)",
				(int64_t) second_signer);
	p->tx.data[second_signer] = 1;
	/* MultisigTransactionPayload 1 does not exist */
	p->tx.data[1 + 32 + 8 + 1 + 32 + 1] = 1;
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown MultisigTransactionPayload variant", 1 + 32 + 8 + 1 + 32 + 1);
	p->tx.data[1 + 32 + 8 + 1 + 32 + 1] = 0;
	/* Option tag 2 */
	p->tx.data[1 + 32 + 8 + 1 + 32] = 2;
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "option tag not 00 or 01", 1 + 32 + 8 + 1 + 32);
}

/* Multisig without payload, FeePayer, MiscellaneousError(Some). */
static void
test_multisig_fee_payer(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	size_t		state = 0;
	ff_span		v;

	parts_init(p);
	w_user_head(&p->tx, 0xdd, 9);
	w_u8(&p->tx, 3);			/* Multisig */
	w_fill(&p->tx, 0x77, 32);
	w_u8(&p->tx, 0);			/* None */
	w_user_tail(&p->tx);
	w_u8(&p->tx, 3);			/* FeePayer */
	w_u8(&p->tx, 0);
	w_ed25519(&p->tx);
	w_uleb(&p->tx, 0);
	w_uleb(&p->tx, 0);
	w_fill(&p->tx, 0x88, 32);	/* fee payer address */
	w_u8(&p->tx, 0);
	w_ed25519(&p->tx);
	p->status.len = 0;
	w_u8(&p->status, 4);		/* MiscellaneousError */
	w_u8(&p->status, 1);
	w_u64(&p->status, 4016);

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.payload_kind, FF_PAYLOAD_MULTISIG);
	CHECK(tx.multisig_address && tx.multisig_address[31] == 0x77);
	CHECK(tx.module_address == NULL);
	CHECK_EQ_U64(tx.arg_count, 0);
	CHECK(!ff_tx_next_arg(&tx, &state, &v));
	CHECK_EQ_U64(tx.authenticator, FF_AUTH_FEE_PAYER);
	CHECK_STR(ff_auth_kind_name(tx.authenticator), "fee_payer");
	CHECK_EQ_U64(tx.status, FF_EXEC_MISCELLANEOUS_ERROR);
	CHECK_STR(ff_exec_status_name(tx.status), "miscellaneous_error");
	CHECK(tx.has_abort_code && !tx.has_abort_location);
	CHECK_EQ_U64(tx.abort_code, 4016);

	/* MiscellaneousError(None) */
	p->status.len = 0;
	w_u8(&p->status, 4);
	w_u8(&p->status, 0);
	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.status, FF_EXEC_MISCELLANEOUS_ERROR);
	CHECK(!tx.has_abort_code);
}

/* Entry function, MoveAbort with AbortInfo, three events, every StateKey and WriteOp. */
static void
test_entry_function_full(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	static const char *const type_args[] = {"0x1::gas_coin::GasCoin"};
	size_t		state = 0;
	ff_span		v;
	size_t		key2,
				key3,
				op6;

	parts_init(p);
	w_user_head(&p->tx, 0xee, 11);
	w_u8(&p->tx, 2);			/* EntryFunction */
	w_addr_short(&p->tx, 1);
	w_str(&p->tx, "coin");
	w_str(&p->tx, "transfer");
	w_uleb(&p->tx, 1);
	w_struct_tag(&p->tx, 1, "gas_coin", "GasCoin", 0);
	w_uleb(&p->tx, 2);
	w_uleb(&p->tx, 32);
	w_fill(&p->tx, 0x99, 32);
	w_uleb(&p->tx, 8);
	w_u64(&p->tx, 1000);
	w_user_tail(&p->tx);
	w_u8(&p->tx, 0);
	w_ed25519(&p->tx);

	p->status.len = 0;
	w_u8(&p->status, 2);		/* MoveAbort */
	w_u8(&p->status, 0);		/* Module */
	w_addr_short(&p->status, 1);
	w_str(&p->status, "coin");
	w_u64(&p->status, 0x10006);
	w_u8(&p->status, 1);
	w_str(&p->status, "EINSUFFICIENT_BALANCE");
	w_str(&p->status, "Not enough coins to complete transaction \xe2\x80\x94 sorry");
	p->gas_used = 7;

	/* three events: the accumulator root pads the right with a placeholder */
	p->events.len = 0;
	w_uleb(&p->events, 3);
	w_deposit_event(&p->events, 0, 5);
	w_deposit_event(&p->events, 1, 6);
	w_u8(&p->events, 0);
	w_u64(&p->events, 3);
	w_addr_short(&p->events, 1);
	w_u64(&p->events, 2);
	w_struct_tag(&p->events, 1, "coin", "CoinStore", 1);
	w_struct_tag(&p->events, 1, "gas_coin", "GasCoin", 0);
	w_bytes(&p->events, "", 0);

	/* six write-set entries in increasing key order, one per WriteOp variant */
	p->ws.len = 0;
	w_u8(&p->ws, 0);
	w_uleb(&p->ws, 6);
	w_u8(&p->ws, 0);			/* AccessPath 0x1, Path::Code(0x1::a) */
	w_addr_short(&p->ws, 1);
	w_code_path(&p->ws, 1, "a");
	w_u8(&p->ws, 0);			/* Creation */
	w_bytes(&p->ws, "abc", 3);
	key2 = p->ws.len;
	w_u8(&p->ws, 0);			/* AccessPath 0x1, Path::Code(0x1::b) */
	w_addr_short(&p->ws, 1);
	w_code_path(&p->ws, 1, "b");
	w_u8(&p->ws, 1);			/* Modification */
	w_bytes(&p->ws, "de", 2);
	key3 = p->ws.len;
	w_u8(&p->ws, 0);			/* AccessPath 0x2, Path::Code(0x1::a) */
	w_addr_short(&p->ws, 2);
	w_code_path(&p->ws, 1, "a");
	w_u8(&p->ws, 2);			/* Deletion */
	w_u8(&p->ws, 1);			/* TableItem, 8-byte key */
	w_fill(&p->ws, 0xfc, 32);
	w_bytes(&p->ws, "\x00\x00\x00\x00\x00\x00\x00\x01", 8);
	w_u8(&p->ws, 3);			/* CreationWithMetadata */
	w_bytes(&p->ws, "xyz", 3);
	w_u8(&p->ws, 0);
	w_fill(&p->ws, 0x12, 32);
	w_u64(&p->ws, 50000);
	w_u64(&p->ws, 1696500000000000ULL);
	w_u8(&p->ws, 1);			/* TableItem, 9-byte key: the length byte sorts it after */
	w_fill(&p->ws, 0xfc, 32);
	w_bytes(&p->ws, "\x00\x00\x00\x00\x00\x00\x00\x00\x00", 9);
	w_u8(&p->ws, 4);			/* ModificationWithMetadata */
	w_bytes(&p->ws, "", 0);
	w_u8(&p->ws, 0);
	w_fill(&p->ws, 0x12, 32);
	w_u64(&p->ws, 0);
	w_u64(&p->ws, 0);
	w_u8(&p->ws, 2);			/* Raw */
	w_str(&p->ws, "raw");
	op6 = p->ws.len;
	w_u8(&p->ws, 5);			/* DeletionWithMetadata */
	w_u8(&p->ws, 0);
	w_fill(&p->ws, 0x12, 32);
	w_u64(&p->ws, 1);
	w_u64(&p->ws, 2);

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.payload_kind, FF_PAYLOAD_ENTRY_FUNCTION);
	CHECK_STR(ff_payload_kind_name(tx.payload_kind), "entry_function");
	check_function(&tx, "0x1::coin::transfer");
	check_type_args(&tx, type_args, 1);
	CHECK_EQ_U64(tx.arg_count, 2);
	CHECK(ff_tx_next_arg(&tx, &state, &v) && v.len == 32 && v.ptr[0] == 0x99);
	CHECK(ff_tx_next_arg(&tx, &state, &v) && v.len == 8 && v.ptr[0] == 0xe8 && v.ptr[1] == 0x03);
	CHECK(!ff_tx_next_arg(&tx, &state, &v));
	CHECK_EQ_U64(tx.status, FF_EXEC_MOVE_ABORT);
	CHECK(tx.has_abort_code && tx.abort_code == 0x10006);
	CHECK(tx.has_abort_location && !tx.abort_in_script);
	CHECK(tx.abort_module_name.len == 4);
	CHECK(tx.abort_reason.len == 21 && memcmp(tx.abort_reason.ptr, "EINSUFFICIENT_BALANCE", 21) == 0);
	CHECK(tx.abort_description.len > 0);
	CHECK_EQ_U64(tx.event_count, 3);
	CHECK_EQ_U64(tx.write_count, 6);

	{
		size_t		ws_at = p->tx.len + 1 + 8 + p->status.len + 96 + 2 + p->events.len;
		size_t		key_len = 1 + 32 + 1 + CODE_PATH_LEN;
		size_t		key2_name = key2 + key_len - 1;	/* the module name's one char */
		uint8_t		saved[64 + CODE_PATH_LEN];

		/* the abort reason is not UTF-8 */
		size_t		reason_at = 1 + 1 + 32 + 5 + 8 + 1 + 1;

		p->status.data[reason_at] = 0xff;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad TransactionInfo: string is not valid UTF-8",
					(int64_t) (p->tx.len + 1 + 8 + reason_at - 1));
		p->status.data[reason_at] = 'E';

		/* keys out of order: make key 2 equal to key 1 (a duplicate), then smaller */
		memcpy(saved, p->ws.data + key2, key_len);
		p->ws.data[key2_name] = 'a';
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad WriteSet: WriteSet keys not in strictly increasing order",
					(int64_t) (ws_at + key2));
		p->ws.data[key2_name] = 'A';
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "WriteSet keys not in strictly increasing order",
					(int64_t) (ws_at + key2));
		memcpy(p->ws.data + key2, saved, key_len);
		/* key 3 with address 0x0 sorts before key 2's 0x1 */
		p->ws.data[key3 + 32] = 0;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "WriteSet keys not in strictly increasing order",
					(int64_t) (ws_at + key3));
		p->ws.data[key3 + 32] = 2;
		/* unknown WriteOp, StateKey and StateValueMetadata variants */
		p->ws.data[op6] = 6;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad WriteSet: unknown WriteOp variant", (int64_t) (ws_at + op6));
		p->ws.data[op6] = 5;
		p->ws.data[op6 + 1] = 1;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown StateValueMetadata variant", (int64_t) (ws_at + op6 + 1));
		p->ws.data[op6 + 1] = 0;
		p->ws.data[key2] = 3;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown StateKey variant", (int64_t) (ws_at + key2));
		p->ws.data[key2] = 0;
		p->ws.data[0] = 1;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown WriteSet variant", (int64_t) ws_at);
		p->ws.data[0] = 0;
		/* an absurd write-set count: 16383 (ff 7f) in place of 6 */
		memmove(p->ws.data + 3, p->ws.data + 2, p->ws.len - 2);
		p->ws.len++;
		p->ws.data[1] = 0xff;
		p->ws.data[2] = 0x7f;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad WriteSet: sequence count exceeds", (int64_t) ws_at + 1);
		memmove(p->ws.data + 2, p->ws.data + 3, p->ws.len - 3);
		p->ws.len--;
		p->ws.data[1] = 6;
	}
	{
		size_t		ev_at = p->tx.len + 1 + 8 + p->status.len + 96 + 2;
		size_t		second = 1 + (1 + 8 + 32 + 8) + (1 + 32 + 5 + 13 + 1) + (1 + 8);

		/* ContractEvent V1 (module events of later Aptos) */
		CHECK_EQ_U64(p->events.data[second], 0);
		p->events.data[second] = 1;
		EXPECT_FAIL(p, FF_ERR_UNSUPPORTED, "bad events: ContractEvent variant V1 not in the 0L fork (tag 1)",
					(int64_t) (ev_at + second));
		p->events.data[second] = 2;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown ContractEvent variant", (int64_t) (ev_at + second));
		p->events.data[second] = 0;
		/* a TypeTag of later Aptos in an event */
		p->events.data[1 + 1 + 8 + 32 + 8] = 11;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad events: TypeTag variant not in the 0L fork",
					(int64_t) (ev_at + 1 + 1 + 8 + 32 + 8));
		p->events.data[1 + 1 + 8 + 32 + 8] = 7;
		/* an absurd event count */
		p->events.data[0] = 0x7f;
		EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad events: sequence count exceeds the remaining bytes",
					(int64_t) ev_at);
		p->events.data[0] = 3;
	}
	/* the function name is not an identifier */
	p->tx.data[1 + 32 + 8 + 1 + 32 + 1 + 4 + 1] = '9';
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad Transaction: identifier has an invalid first character",
				1 + 32 + 8 + 1 + 32 + 1 + 4);
	p->tx.data[1 + 32 + 8 + 1 + 32 + 1 + 4 + 1] = 't';
	if (!decode_valid(p, &tx))
		return;
}

/* Genesis: WriteSetPayload::Direct(ChangeSet) and WriteSetPayload::Script. */
static void
test_genesis(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;
	size_t		state = 0;
	ff_span		v;

	parts_init(p);
	w_u8(&p->tx, 1);			/* GenesisTransaction */
	w_u8(&p->tx, 0);			/* Direct */
	w_u8(&p->tx, 0);			/* ChangeSet.write_set: V0 */
	w_uleb(&p->tx, 2);
	w_u8(&p->tx, 2);
	w_str(&p->tx, "a");
	w_u8(&p->tx, 0);
	w_bytes(&p->tx, "\x01\x02", 2);
	w_u8(&p->tx, 2);
	w_str(&p->tx, "b");
	w_u8(&p->tx, 2);
	w_uleb(&p->tx, 1);			/* ChangeSet.events */
	w_deposit_event(&p->tx, 0, 1);
	/* the record's own output: one event and one write */
	p->events.len = 0;
	w_uleb(&p->events, 1);
	w_deposit_event(&p->events, 0, 1);
	p->ws.len = 0;
	w_u8(&p->ws, 0);
	w_uleb(&p->ws, 1);
	w_u8(&p->ws, 2);
	w_str(&p->ws, "a");
	w_u8(&p->ws, 0);
	w_bytes(&p->ws, "\x01\x02", 2);
	p->checkpoint = true;

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.kind, FF_TX_GENESIS);
	CHECK_STR(ff_tx_kind_name(tx.kind), "genesis");
	CHECK(tx.sender == NULL && tx.module_address == NULL);
	CHECK(tx.payload_kind == FF_PAYLOAD_NONE && tx.authenticator == FF_AUTH_NONE);
	CHECK_EQ_U64(tx.event_count, 1);
	CHECK_EQ_U64(tx.write_count, 1);

	/* the ChangeSet's keys out of order */
	p->tx.data[6] = 'c';
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad Transaction: WriteSet keys not in strictly increasing order", 11);
	p->tx.data[6] = 'a';
	/* WriteSetPayload 2 */
	p->tx.data[1] = 2;
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "unknown WriteSetPayload variant", 1);

	parts_init(p);
	w_u8(&p->tx, 1);			/* GenesisTransaction */
	w_u8(&p->tx, 1);			/* Script */
	w_addr_short(&p->tx, 1);	/* execute_as */
	w_bytes(&p->tx, "\xa1\x1c", 2);
	w_uleb(&p->tx, 1);
	w_u8(&p->tx, 4);			/* address type argument */
	w_uleb(&p->tx, 1);
	w_u8(&p->tx, 5);			/* Bool(true) */
	w_u8(&p->tx, 1);
	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.kind, FF_TX_GENESIS);
	CHECK(tx.payload_kind == FF_PAYLOAD_NONE);
	CHECK_EQ_U64(tx.arg_count, 0);
	CHECK(!ff_tx_next_arg(&tx, &state, &v));
}

/* BlockMetadata with failed proposers; Transaction tags of later Aptos. */
static void
test_block_metadata(void)
{
	rec_parts  *p = &parts;
	ff_tx		tx;

	parts_init(p);
	w_u8(&p->tx, 2);
	w_fill(&p->tx, 0xab, 32);	/* id */
	w_u64(&p->tx, 5);			/* epoch */
	w_u64(&p->tx, 9);			/* round */
	w_fill(&p->tx, 0x12, 32);	/* proposer */
	w_bytes(&p->tx, "\x70", 1);
	w_uleb(&p->tx, 2);
	w_u32(&p->tx, 1);
	w_u32(&p->tx, 3);
	w_u64(&p->tx, 1696500000000000ULL);
	p->events.len = 0;
	w_uleb(&p->events, 1);
	w_deposit_event(&p->events, 0, 9);
	p->checkpoint = true;

	if (!decode_valid(p, &tx))
		return;
	CHECK_EQ_U64(tx.kind, FF_TX_BLOCK_METADATA);
	CHECK_STR(ff_tx_kind_name(tx.kind), "block_metadata");
	CHECK(tx.block_id && tx.block_id[0] == 0xab);
	CHECK_EQ_U64(tx.epoch, 5);
	CHECK_EQ_U64(tx.round, 9);
	CHECK(tx.proposer && tx.proposer[0] == 0x12);
	CHECK_EQ_U64(tx.failed_proposer_count, 2);
	CHECK_EQ_U64(tx.timestamp_usecs, 1696500000000000ULL);
	CHECK(tx.sender == NULL && tx.payload_kind == FF_PAYLOAD_NONE);

	/* a failed-proposer count the record cannot hold */
	p->tx.data[1 + 32 + 16 + 32 + 2] = 0x7f;
	EXPECT_FAIL(p, FF_ERR_CORRUPT, "bad Transaction: sequence count exceeds", 1 + 32 + 16 + 32 + 2);
	p->tx.data[1 + 32 + 16 + 32 + 2] = 2;

	/* ValidatorTransaction (4), BlockMetadataExt (5), BlockEpilogue (6), a 2-byte tag */
	for (uint8_t t = 4; t <= 6; t++)
	{
		p->tx.data[0] = t;
		EXPECT_FAIL(p, FF_ERR_UNSUPPORTED, "bad Transaction: Transaction variant not in the 0L fork", 0);
	}
	{
		static const uint8_t tag128[] = {0x80, 0x01, 0x00};

		expect_failure(tag128, sizeof(tag128), FF_ERR_UNSUPPORTED, "(tag 128)", 0, __LINE__);
	}
	{
		static const uint8_t noncanon[] = {0x80, 0x00};

		expect_failure(noncanon, sizeof(noncanon), FF_ERR_CORRUPT,
					   "bad Transaction: uleb128 not canonical", 0, __LINE__);
	}
	p->tx.data[0] = 2;
	/* TransactionInfo V1 does not exist */
	parts_assemble(p);
	p->rec.data[p->tx.len] = 1;
	expect_failure(p->rec.data, p->rec.len, FF_ERR_CORRUPT,
				   "bad TransactionInfo: unknown TransactionInfo variant", (int64_t) p->tx.len, __LINE__);
}

/* ------------------------------------------------------------------------------------ */
/* real data                                                                              */

static const char *
shared_data_dir(char *buf, size_t n)
{
	const char *env = getenv("FF_SHARED_DATA");

	snprintf(buf, n, "%s", env && *env ? env : "../shared/data");
	return buf;
}

/* Read a whole gzip file; NULL if it cannot be opened. */
static uint8_t *
gunzip_file(const char *path, size_t *out_len)
{
	gzFile		f = gzopen(path, "rb");
	size_t		cap = 1 << 20,
				len = 0;
	uint8_t    *data;
	int			n;

	if (!f)
		return NULL;
	data = malloc(cap);
	for (;;)
	{
		if (len == cap)
		{
			cap *= 2;
			data = realloc(data, cap);
		}
		n = gzread(f, data + len, (unsigned) (cap - len));
		if (n <= 0)
			break;
		len += (size_t) n;
	}
	gzclose(f);
	*out_len = len;
	return data;
}

static void
test_real_chunk(void)
{
	char		dir[1024],
				path[1200];
	uint8_t    *chunk;
	size_t		chunk_len = 0,
				pos = 0;
	size_t		nrec = 0,
				kinds[4] = {0},
				statuses[5] = {0},
				decode_failures = 0,
				tx_hash_bad = 0,
				ws_hash_bad = 0,
				ev_hash_bad = 0,
				framing_bad = 0,
				minerstate = 0,
				args_bad = 0,
				events = 0,
				writes = 0,
				max_len = 0;
	uint8_t		prev_block_id[32] = {0};
	bool		version2_ok = false;
	bool		have_prev_block = false,
				checkpoints_name_block = true;
	ff_buf		b;

	shared_data_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/0l-v6-testnet-sample/transaction_1-.90bf/1-.chunk", dir);
	chunk = gunzip_file(path, &chunk_len);
	if (!chunk)
	{
		printf("test_real_chunk skipped: no real samples (%s)\n", path);
		return;
	}
	ff_buf_init(&b);
	while (pos < chunk_len)
	{
		uint32_t	len;
		uint8_t    *rec;
		ff_tx		tx;
		ff_status	st;

		if (chunk_len - pos < 4)
		{
			framing_bad++;
			break;
		}
		len = ((uint32_t) chunk[pos] << 24) | ((uint32_t) chunk[pos + 1] << 16) |
			((uint32_t) chunk[pos + 2] << 8) | chunk[pos + 3];
		pos += 4;
		if (len > chunk_len - pos)
		{
			framing_bad++;
			break;
		}
		/* an exact-size copy, so that valgrind would see a read past the record */
		rec = malloc(len ? len : 1);
		memcpy(rec, chunk + pos, len);
		pos += len;
		if (len > max_len)
			max_len = len;
		ff_status_clear(&st);
		if (ff_tx_decode(rec, len, &tx, &st) != FF_OK)
		{
			if (decode_failures++ < 5)
				fprintf(stderr, "  record %zu: %s at %" PRId64 "\n", nrec, st.message, st.offset);
			free(rec);
			nrec++;
			continue;
		}
		kinds[tx.kind]++;
		statuses[tx.status]++;
		events += tx.event_count;
		writes += tx.write_count;
		if (tx.transaction.len + tx.info.len + tx.events.len + tx.write_set.len != len)
			decode_failures++;
		if (!tx_hash_ok(&tx))
			tx_hash_bad++;
		if (!write_set_hash_ok(&tx))
			ws_hash_bad++;
		if (!event_root_ok(&tx))
			ev_hash_bad++;
		if (tx.kind == FF_TX_BLOCK_METADATA)
		{
			memcpy(prev_block_id, tx.block_id, 32);
			have_prev_block = true;
		}
		if (tx.kind == FF_TX_STATE_CHECKPOINT && have_prev_block &&
			memcmp(prev_block_id, tx.block_id, 32) != 0)
			checkpoints_name_block = false;
		if (tx.kind == FF_TX_USER)
		{
			size_t		state = 0,
						n = 0;
			ff_span		v;

			ff_buf_reset(&b);
			if (tx.module_address &&
				ff_render_function(tx.module_address, 32, tx.module_name, tx.function_name, &b) &&
				strcmp(b.data, "0x1::tower_state::minerstate_commit") == 0)
				minerstate++;
			while (ff_tx_next_arg(&tx, &state, &v))
				n++;
			if (n != tx.arg_count || state != tx.args.len)
				args_bad++;
			state = 0;
			n = 0;
			ff_buf_reset(&b);
			while (ff_tx_next_type_arg(&tx, &state, &b))
				n++;
			if (n != tx.type_arg_count)
				args_bad++;
		}
		/* version 2 = record 1 (the chunk starts at version 1) */
		if (nrec == 1)
			version2_ok = len == 176 && tx.kind == FF_TX_STATE_CHECKPOINT &&
				hash_is(tx.block_id, worked_example_block_id) &&
				hash_is(tx.tx_hash, worked_example_tx_hash) &&
				hash_is(tx.state_checkpoint_hash, worked_example_checkpoint);
		/*
		 * truncation at every byte and mutations (quadratic) on small records: the first
		 * two (versions 1 and 2) and the first user transaction
		 */
		if (len <= 4096 && (nrec < 3 || (tx.kind == FF_TX_USER && kinds[FF_TX_USER] == 1)))
			check_truncations_and_mutations(rec, len);
		free(rec);
		nrec++;
	}
	ff_buf_free(&b);
	free(chunk);

	printf("real chunk 1-.chunk: %zu records (user %zu, block_metadata %zu, state_checkpoint %zu, "
		   "genesis %zu), success %zu, move_abort %zu, %zu events, %zu writes, "
		   "minerstate_commit %zu, largest record %zu bytes\n",
		   nrec, kinds[FF_TX_USER], kinds[FF_TX_BLOCK_METADATA], kinds[FF_TX_STATE_CHECKPOINT],
		   kinds[FF_TX_GENESIS], statuses[FF_EXEC_SUCCESS], statuses[FF_EXEC_MOVE_ABORT],
		   events, writes, minerstate, max_len);
	CHECK_EQ_U64(framing_bad, 0);
	CHECK_EQ_U64(nrec, 20000);
	CHECK_EQ_U64(decode_failures, 0);
	CHECK_EQ_U64(tx_hash_bad, 0);
	CHECK_EQ_U64(ws_hash_bad, 0);
	CHECK_EQ_U64(ev_hash_bad, 0);
	CHECK_EQ_U64(args_bad, 0);
	CHECK_EQ_U64(kinds[FF_TX_USER] + kinds[FF_TX_BLOCK_METADATA] + kinds[FF_TX_STATE_CHECKPOINT], nrec);
	CHECK(kinds[FF_TX_USER] > 0 && kinds[FF_TX_BLOCK_METADATA] > 0);
	CHECK_EQ_U64(kinds[FF_TX_GENESIS], 0);
	CHECK(version2_ok);
	CHECK(checkpoints_name_block);
	CHECK(minerstate > 0);
}

int
main(void)
{
	RUN(test_sha3);
	RUN(test_seeds);
	RUN(test_hex_and_addresses);
	RUN(test_type_tags);
	RUN(test_render_function);
	RUN(test_worked_example);
	RUN(test_script_payload);
	RUN(test_module_bundle);
	RUN(test_multisig_multi_agent);
	RUN(test_multisig_fee_payer);
	RUN(test_entry_function_full);
	RUN(test_genesis);
	RUN(test_block_metadata);
	RUN(test_real_chunk);
	return unit_summary("chain");
}
