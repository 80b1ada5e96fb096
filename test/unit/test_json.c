/*
 * test_json.c — unit tests of src/chain/json.c: commas at every nesting level, string
 * escapes (quote, backslash, control characters as \u00XX), numbers at the u64 limits, hex,
 * AIP-40 addresses, the Move value reader (every kind, validate-only mode, truncation and
 * bad bools) and the sticky failure flag.
 */
#include "chain/json.h"
#include "unit.h"
#include "unit_records.h"

/* The writer's output so far equals `expected`. */
#define CHECK_OUT(b, expected) CHECK_STR((b)->data ? (b)->data : "", expected)

static void
test_punctuation(void)
{
	ff_buf		b;
	ff_json		j;

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	CHECK(ff_json_begin_object(&j));
	CHECK(ff_json_end_object(&j));
	CHECK_OUT(&b, "{}");

	ff_buf_reset(&b);
	ff_json_init(&j, &b);
	ff_json_begin_object(&j);
	ff_json_key(&j, "a");
	ff_json_u64(&j, 1);
	ff_json_key(&j, "b");
	ff_json_begin_array(&j);
	ff_json_u64(&j, 2);
	ff_json_begin_object(&j);
	ff_json_key(&j, "c");
	ff_json_null(&j);
	ff_json_end_object(&j);
	ff_json_begin_array(&j);
	ff_json_end_array(&j);
	ff_json_bool(&j, true);
	ff_json_bool(&j, false);
	ff_json_end_array(&j);
	ff_json_key(&j, "d");
	ff_json_begin_object(&j);
	ff_json_end_object(&j);
	CHECK(ff_json_end_object(&j));
	CHECK_OUT(&b, "{\"a\":1,\"b\":[2,{\"c\":null},[],true,false],\"d\":{}}");
	CHECK(!j.failed);
	ff_buf_free(&b);
}

static void
test_strings_and_numbers(void)
{
	ff_buf		b;
	ff_json		j;
	static const char raw[] = "q\"b\\n\n\x01\x1f t\xe2\x80\x94";

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	ff_json_begin_array(&j);
	CHECK(ff_json_string(&j, raw, sizeof(raw) - 1));
	CHECK(ff_json_string(&j, "", 0));
	CHECK(ff_json_u64(&j, 0));
	CHECK(ff_json_u64(&j, UINT64_MAX));
	ff_json_end_array(&j);
	CHECK_OUT(&b, "[\"q\\\"b\\\\n\\u000a\\u0001\\u001f t\xe2\x80\x94\",\"\",0,18446744073709551615]");

	/* a key is escaped too */
	ff_buf_reset(&b);
	ff_json_init(&j, &b);
	ff_json_begin_object(&j);
	ff_json_key(&j, "a\"b");
	ff_json_string(&j, "x", 1);
	ff_json_end_object(&j);
	CHECK_OUT(&b, "{\"a\\\"b\":\"x\"}");
	ff_buf_free(&b);
}

static void
test_hex_and_address(void)
{
	ff_buf		b;
	ff_json		j;
	uint8_t		addr[32] = {0};
	static const uint8_t bytes[] = {0x00, 0xab, 0xff};

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	ff_json_begin_array(&j);
	CHECK(ff_json_hex(&j, bytes, 3));
	CHECK(ff_json_hex(&j, bytes, 0));
	addr[31] = 1;
	CHECK(ff_json_address(&j, addr, 32));
	addr[0] = 0xd5;
	CHECK(ff_json_address(&j, addr, 32));
	ff_json_end_array(&j);
	CHECK_OUT(&b, "[\"0x00abff\",\"0x\",\"0x1\","
			  "\"0xd500000000000000000000000000000000000000000000000000000000000001\"]");
	ff_buf_free(&b);
}

/* Decode `w` as one value of `kind` (exactly) and compare the JSON. */
static void
check_move_value(const wbuf *w, ff_move_kind kind, const char *expected, int line)
{
	ff_buf		b;
	ff_json		j;
	bcs_cursor	c;
	bool		ok;

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	bcs_init(&c, w->data, w->len);
	ok = ff_json_move_value(&j, &c, kind) && bcs_at_end(&c);
	if (ok && b.data && strcmp(b.data, expected) == 0)
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected %s, got %s (%s)\n", __FILE__, line, expected,
				b.data ? b.data : "", ok ? "decoded" : c.fail_what);
	}
	/* validate-only mode agrees, and no prefix decodes exactly */
	bcs_init(&c, w->data, w->len);
	CHECK(ff_json_move_value(NULL, &c, kind) && bcs_at_end(&c));
	for (size_t k = 0; k < w->len; k++)
	{
		bcs_init(&c, w->data, k);
		CHECK(!ff_json_move_value(NULL, &c, kind) || !bcs_at_end(&c));
	}
	ff_buf_free(&b);
}

#define CHECK_MOVE(w, kind, expected) check_move_value(w, kind, expected, __LINE__)

static void
test_move_values(void)
{
	wbuf		w;
	bcs_cursor	c;

	w.len = 0;
	w_u8(&w, 1);
	CHECK_MOVE(&w, FF_MOVE_BOOL, "true");
	w.len = 0;
	w_u8(&w, 0);
	CHECK_MOVE(&w, FF_MOVE_BOOL, "false");
	w.len = 0;
	w_u8(&w, 2);
	bcs_init(&c, w.data, w.len);
	CHECK(!ff_json_move_value(NULL, &c, FF_MOVE_BOOL));
	CHECK_STR(c.fail_what, "bool not 00 or 01");

	w.len = 0;
	w_u64(&w, 1234567890123ULL);
	CHECK_MOVE(&w, FF_MOVE_U64, "1234567890123");
	w.len = 0;
	w_addr_short(&w, 1);
	CHECK_MOVE(&w, FF_MOVE_ADDRESS, "\"0x1\"");
	w.len = 0;
	w_bytes(&w, "\x01\x02", 2);
	CHECK_MOVE(&w, FF_MOVE_BYTES, "\"0x0102\"");
	w.len = 0;
	w_uleb(&w, 0);
	CHECK_MOVE(&w, FF_MOVE_BYTES, "\"0x\"");
	CHECK_MOVE(&w, FF_MOVE_VEC_U64, "[]");
	CHECK_MOVE(&w, FF_MOVE_VEC_ADDRESS, "[]");
	w.len = 0;
	w_uleb(&w, 2);
	w_u64(&w, 7);
	w_u64(&w, 8);
	CHECK_MOVE(&w, FF_MOVE_VEC_U64, "[7,8]");
	w.len = 0;
	w_uleb(&w, 2);
	w_addr_short(&w, 2);
	w_fill(&w, 0xab, 32);
	CHECK_MOVE(&w, FF_MOVE_VEC_ADDRESS,
			   "[\"0x2\",\"0xabababababababababababababababababababababababababababababababab\"]");

	/* a count that the bytes cannot hold fails before any element is read */
	w.len = 0;
	w_uleb(&w, 1000);
	w_u64(&w, 1);
	bcs_init(&c, w.data, w.len);
	CHECK(!ff_json_move_value(NULL, &c, FF_MOVE_VEC_U64));
	CHECK_STR(c.fail_what, "sequence count exceeds the remaining bytes");
}

/* Once a write fails (here: a failed buffer), every later call fails too. */
static void
test_sticky_failure(void)
{
	ff_buf		b;
	ff_json		j;

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	j.failed = true;
	CHECK(!ff_json_begin_object(&j));
	CHECK(!ff_json_key(&j, "a"));
	CHECK(!ff_json_u64(&j, 1));
	CHECK(!ff_json_hex(&j, (const uint8_t *) "a", 1));
	CHECK(!ff_json_end_object(&j));
	CHECK_EQ_U64(b.len, 0);
	ff_buf_free(&b);
}

int
main(void)
{
	RUN(test_punctuation);
	RUN(test_strings_and_numbers);
	RUN(test_hex_and_address);
	RUN(test_move_values);
	RUN(test_sticky_failure);
	return unit_summary("json");
}
