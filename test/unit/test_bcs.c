/*
 * test_bcs.c — unit tests of the BCS cursor (src/bcs): every primitive, ULEB128 at its
 * boundaries (canonical form, overflow, length limit), byte strings, options, identifiers,
 * UTF-8 strings, sequence counts, sticky failure and failure offsets.
 */
#include <stdlib.h>

#include "bcs/bcs.h"
#include "unit.h"

/* A cursor over a compound literal of bytes. */
#define CURSOR(c, ...) \
	static const uint8_t c##_bytes[] = {__VA_ARGS__}; \
	bcs_cursor c; \
	bcs_init(&c, c##_bytes, sizeof(c##_bytes))

/* Decode bytes as one uleb128 that must consume them all; returns success. */
static bool
uleb_of(const uint8_t *p, size_t n, uint32_t *out)
{
	bcs_cursor	c;

	bcs_init(&c, p, n);
	return bcs_uleb128(&c, out) && bcs_at_end(&c);
}

static void
test_fixed_ints(void)
{
	CURSOR(c, 0x7f, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12,
		   0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0xff);
	uint8_t		u8;
	uint16_t	u16;
	uint32_t	u32;
	uint64_t	u64;

	CHECK(bcs_u8(&c, &u8));
	CHECK_EQ_U64(u8, 0x7f);
	CHECK(bcs_u16(&c, &u16));
	CHECK_EQ_U64(u16, 0x1234);
	CHECK(bcs_u32(&c, &u32));
	CHECK_EQ_U64(u32, 0x12345678);
	CHECK(bcs_u64(&c, &u64));
	CHECK_EQ_U64(u64, 0x0123456789abcdefULL);
	CHECK_EQ_U64(bcs_remaining(&c), 1);
	/* one byte left: every wider read fails and the failure sticks */
	CHECK(!bcs_u16(&c, &u16));
	CHECK(c.failed);
	CHECK_EQ_U64(c.fail_pos, 15);
	CHECK_STR(c.fail_what, "truncated");
	CHECK(!bcs_u8(&c, &u8));
	CHECK_EQ_U64(c.fail_pos, 15);
	CHECK_EQ_U64(bcs_remaining(&c), 0);
	CHECK(!bcs_at_end(&c));

	{
		CURSOR(m, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
		CHECK(bcs_u64(&m, &u64));
		CHECK_EQ_U64(u64, UINT64_MAX);
		CHECK(bcs_at_end(&m));
	}
	{
		CURSOR(t, 1, 2, 3, 4, 5, 6, 7);
		CHECK(!bcs_u64(&t, &u64));
		CHECK_EQ_U64(t.fail_pos, 0);
		CHECK_EQ_U64(t.pos, 0);
	}
	{
		CURSOR(t, 1, 2, 3);
		CHECK(!bcs_u32(&t, &u32));
	}
	{
		bcs_cursor	e;

		bcs_init(&e, NULL, 0);
		CHECK(bcs_at_end(&e));
		CHECK(!bcs_u8(&e, &u8));
	}
}

static void
test_wide_ints(void)
{
	uint8_t		bytes[48];
	const uint8_t *p;
	bcs_cursor	c;

	for (int i = 0; i < 48; i++)
		bytes[i] = (uint8_t) i;
	bcs_init(&c, bytes, sizeof(bytes));
	CHECK(bcs_u128(&c, &p));
	CHECK(p == bytes);
	CHECK(bcs_u256(&c, &p));
	CHECK(p == bytes + 16);
	CHECK(bcs_at_end(&c));

	bcs_init(&c, bytes, 31);
	CHECK(!bcs_u256(&c, &p));
	bcs_init(&c, bytes, 15);
	CHECK(!bcs_u128(&c, &p));
}

static void
test_bool_option(void)
{
	bool		b;

	{
		CURSOR(c, 0x00, 0x01, 0x02);
		CHECK(bcs_bool(&c, &b) && !b);
		CHECK(bcs_bool(&c, &b) && b);
		CHECK(!bcs_bool(&c, &b));
		CHECK_EQ_U64(c.fail_pos, 2);
		CHECK_STR(c.fail_what, "bool not 00 or 01");
	}
	{
		CURSOR(c, 0xff);
		CHECK(!bcs_bool(&c, &b));
	}
	{
		CURSOR(c, 0x00, 0x01, 0x02);
		CHECK(bcs_option(&c, &b) && !b);
		CHECK(bcs_option(&c, &b) && b);
		CHECK(!bcs_option(&c, &b));
		CHECK_STR(c.fail_what, "option tag not 00 or 01");
		CHECK_EQ_U64(c.fail_pos, 2);
	}
	{
		bcs_cursor	c;

		bcs_init(&c, NULL, 0);
		CHECK(!bcs_option(&c, &b));
		CHECK(!bcs_bool(&c, &b));
	}
}

static void
test_uleb128(void)
{
	uint32_t	v = 0;
	bcs_cursor	c;

	/* valid values at every byte-length boundary */
	static const struct
	{
		uint8_t		b[5];
		size_t		n;
		uint32_t	v;
	}			ok[] = {
		{{0x00}, 1, 0},
		{{0x01}, 1, 1},
		{{0x7f}, 1, 127},
		{{0x80, 0x01}, 2, 128},
		{{0xff, 0x7f}, 2, 16383},
		{{0x80, 0x80, 0x01}, 3, 16384},
		{{0xff, 0xff, 0x7f}, 3, 2097151},
		{{0x80, 0x80, 0x80, 0x01}, 4, 2097152},
		{{0xff, 0xff, 0xff, 0x7f}, 4, 268435455},
		{{0x80, 0x80, 0x80, 0x80, 0x01}, 5, 268435456},
		{{0xff, 0xff, 0xff, 0xff, 0x07}, 5, 0x7fffffff},
		{{0x80, 0x80, 0x80, 0x80, 0x08}, 5, 0x80000000u},
		{{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, UINT32_MAX},
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
	{
		v = 12345;
		CHECK(uleb_of(ok[i].b, ok[i].n, &v));
		CHECK_EQ_U64(v, ok[i].v);
		/* every strict prefix is truncated */
		for (size_t k = 0; k < ok[i].n; k++)
		{
			bcs_init(&c, ok[i].b, k);
			CHECK(!bcs_uleb128(&c, &v));
			CHECK_STR(c.fail_what, "truncated");
			CHECK_EQ_U64(c.fail_pos, 0);
		}
	}

	/* non-canonical: a zero last group after a continuation */
	{
		static const uint8_t b1[] = {0x80, 0x00};
		static const uint8_t b2[] = {0x81, 0x00};
		static const uint8_t b3[] = {0xff, 0x80, 0x00};
		static const uint8_t b4[] = {0x80, 0x80, 0x80, 0x80, 0x00};
		static const uint8_t b5[] = {0xff, 0xff, 0xff, 0xff, 0x00};

		bcs_init(&c, b1, sizeof(b1));
		CHECK(!bcs_uleb128(&c, &v));
		CHECK_STR(c.fail_what, "uleb128 not canonical");
		CHECK_EQ_U64(c.fail_pos, 0);
		CHECK(!uleb_of(b2, sizeof(b2), &v));
		CHECK(!uleb_of(b3, sizeof(b3), &v));
		CHECK(!uleb_of(b4, sizeof(b4), &v));
		CHECK(!uleb_of(b5, sizeof(b5), &v));
	}
	/* overflow of u32 in the 5th byte */
	{
		static const uint8_t o1[] = {0x80, 0x80, 0x80, 0x80, 0x10};
		static const uint8_t o2[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
		static const uint8_t o3[] = {0xff, 0xff, 0xff, 0xff, 0x7f};

		bcs_init(&c, o1, sizeof(o1));
		CHECK(!bcs_uleb128(&c, &v));
		CHECK_STR(c.fail_what, "uleb128 overflows u32");
		CHECK(!uleb_of(o2, sizeof(o2), &v));
		CHECK(!uleb_of(o3, sizeof(o3), &v));
	}
	/* more than 5 bytes */
	{
		static const uint8_t l1[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
		static const uint8_t l2[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

		bcs_init(&c, l1, sizeof(l1));
		CHECK(!bcs_uleb128(&c, &v));
		CHECK_STR(c.fail_what, "uleb128 longer than 5 bytes");
		CHECK_EQ_U64(c.fail_pos, 0);
		CHECK(!uleb_of(l2, sizeof(l2), &v));
	}
	/* failure offset is the uleb's start, after earlier reads */
	{
		CURSOR(d, 0x05, 0x80, 0x00);
		uint8_t		u8;

		CHECK(bcs_u8(&d, &u8));
		CHECK(!bcs_uleb128(&d, &v));
		CHECK_EQ_U64(d.fail_pos, 1);
	}
}

static void
test_len_count(void)
{
	uint32_t	n = 0;

	{
		CURSOR(c, 0xff, 0xff, 0xff, 0xff, 0x07);
		CHECK(bcs_len(&c, &n));
		CHECK_EQ_U64(n, 0x7fffffff);
	}
	{
		CURSOR(c, 0x80, 0x80, 0x80, 0x80, 0x08);
		CHECK(!bcs_len(&c, &n));
		CHECK_STR(c.fail_what, "length exceeds 2^31-1");
		CHECK_EQ_U64(c.fail_pos, 0);
	}
	{
		CURSOR(c, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		CHECK(bcs_count(&c, 4, &n));
		CHECK_EQ_U64(n, 3);
		CHECK_EQ_U64(c.pos, 1);
	}
	{
		CURSOR(c, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
		CHECK(!bcs_count(&c, 4, &n));
		CHECK_STR(c.fail_what, "sequence count exceeds the remaining bytes");
		CHECK_EQ_U64(c.fail_pos, 0);
	}
	{
		/* an absurd count fails at once */
		CURSOR(c, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00);
		CHECK(!bcs_count(&c, 1, &n));
	}
	{
		/* zero-size elements: any count is plausible */
		CURSOR(c, 0xff, 0xff, 0xff, 0xff, 0x07);
		CHECK(bcs_count(&c, 0, &n));
		CHECK_EQ_U64(n, 0x7fffffff);
	}
	{
		CURSOR(c, 0x00);
		CHECK(bcs_count(&c, 32, &n));
		CHECK_EQ_U64(n, 0);
		CHECK(bcs_at_end(&c));
	}
}

static void
test_bytes_fixed_skip(void)
{
	ff_span		s;
	const uint8_t *p;

	{
		CURSOR(c, 0x03, 'a', 'b', 'c', 0x00);
		CHECK(bcs_bytes(&c, &s));
		CHECK_EQ_U64(s.len, 3);
		CHECK(memcmp(s.ptr, "abc", 3) == 0);
		CHECK(s.ptr == c_bytes + 1);
		CHECK(bcs_bytes(&c, &s));
		CHECK_EQ_U64(s.len, 0);
		CHECK(bcs_at_end(&c));
	}
	{
		CURSOR(c, 0x04, 'a', 'b', 'c');
		CHECK(!bcs_bytes(&c, &s));
		CHECK_EQ_U64(c.fail_pos, 0);
		CHECK_STR(c.fail_what, "byte string longer than the remaining bytes");
	}
	{
		/* a length near 2^31 must not wrap any pointer arithmetic */
		CURSOR(c, 0xfe, 0xff, 0xff, 0xff, 0x07, 'x');
		CHECK(!bcs_bytes(&c, &s));
	}
	{
		/* multi-byte length */
		uint8_t		buf[2 + 200];
		bcs_cursor	c;

		buf[0] = 0xc8;
		buf[1] = 0x01;
		memset(buf + 2, 'z', 200);
		bcs_init(&c, buf, sizeof(buf));
		CHECK(bcs_bytes(&c, &s));
		CHECK_EQ_U64(s.len, 200);
		CHECK(bcs_at_end(&c));
	}
	{
		CURSOR(c, 1, 2, 3, 4, 5);
		CHECK(bcs_fixed(&c, 2, &p));
		CHECK(p == c_bytes);
		CHECK(bcs_skip(&c, 2));
		CHECK(!bcs_fixed(&c, 2, &p));
		CHECK_EQ_U64(c.fail_pos, 4);
		CHECK(!bcs_skip(&c, 0));		/* sticky */
	}
	{
		CURSOR(c, 1, 2);
		CHECK(bcs_fixed(&c, 0, &p));
		CHECK(!bcs_skip(&c, SIZE_MAX));
	}
}

static void
test_identifier(void)
{
	static const char *const good[] = {"coin", "CoinStore", "_x", "a1", "Z_9", "_", "minerstate_commit"};
	static const char *const bad[] = {"", "1a", "a-b", "a b", "a.b", "é", "coin\n", "<SELF>", "a$"};
	uint8_t		buf[64];
	ff_span		s;
	bcs_cursor	c;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		size_t		n = strlen(good[i]);

		buf[0] = (uint8_t) n;
		memcpy(buf + 1, good[i], n);
		bcs_init(&c, buf, n + 1);
		CHECK(bcs_identifier(&c, &s));
		CHECK_EQ_U64(s.len, n);
		CHECK(bcs_at_end(&c));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		size_t		n = strlen(bad[i]);

		buf[0] = 0xaa;			/* a byte before, so the failure offset is visible */
		buf[1] = (uint8_t) n;
		memcpy(buf + 2, bad[i], n);
		bcs_init(&c, buf, n + 2);
		CHECK(bcs_skip(&c, 1));
		CHECK(!bcs_identifier(&c, &s));
		CHECK_EQ_U64(c.fail_pos, 1);
	}
	{
		CURSOR(t, 0x05, 'a', 'b');
		CHECK(!bcs_identifier(&t, &s));
	}
}

static void
test_string(void)
{
	static const struct
	{
		const char *bytes;
		bool		valid;
	}			cases[] = {
		{"EPROOF_NOT_VALID", true},
		{"", true},
		{"h\xc3\xa9llo", true},			/* é */
		{"\xe2\x82\xac", true},			/* € */
		{"\xf0\x9f\x98\x80", true},		/* U+1F600 */
		{"\xf4\x8f\xbf\xbf", true},		/* U+10FFFF */
		{"\xc0\x80", false},				/* overlong NUL */
		{"\xc1\xbf", false},				/* overlong */
		{"\xe0\x80\xaf", false},			/* overlong 3-byte */
		{"\xf0\x80\x80\xaf", false},		/* overlong 4-byte */
		{"\xed\xa0\x80", false},			/* surrogate */
		{"\xf4\x90\x80\x80", false},		/* > U+10FFFF */
		{"\xf5\x80\x80\x80", false},
		{"\xff", false},
		{"\x80", false},					/* lone continuation */
		{"\xc3", false},					/* truncated sequence */
		{"\xe2\x82", false},
		{"a\xc3(", false},				/* bad continuation */
	};
	uint8_t		buf[64];
	ff_span		s;
	bcs_cursor	c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size_t		n = strlen(cases[i].bytes);

		buf[0] = (uint8_t) n;
		memcpy(buf + 1, cases[i].bytes, n);
		bcs_init(&c, buf, n + 1);
		if (cases[i].valid)
		{
			CHECK(bcs_string(&c, &s));
			CHECK(bcs_at_end(&c));
		}
		else
		{
			CHECK(!bcs_string(&c, &s));
			CHECK_STR(c.fail_what, "string is not valid UTF-8");
		}
	}
	/* an embedded NUL is valid UTF-8 */
	{
		CURSOR(z, 0x03, 'a', 0x00, 'b');
		CHECK(bcs_string(&z, &s));
	}
}

static void
test_fail_sticky(void)
{
	uint8_t		u8;
	CURSOR(c, 1, 2, 3);

	CHECK(bcs_u8(&c, &u8));
	CHECK(!bcs_fail(&c, "first reason"));
	CHECK(!bcs_fail(&c, "second reason"));
	CHECK_STR(c.fail_what, "first reason");
	CHECK_EQ_U64(c.fail_pos, 1);
	CHECK(!bcs_u8(&c, &u8));
	CHECK_STR(c.fail_what, "first reason");
	CHECK_EQ_U64(bcs_remaining(&c), 0);
}

/* Every read on a buffer of exactly n bytes (malloc'd, so valgrind sees any overrun). */
static void
test_no_overread(void)
{
	for (size_t n = 0; n <= 9; n++)
	{
		uint8_t    *buf = malloc(n ? n : 1);
		bcs_cursor	c;
		uint64_t	u64;
		uint32_t	u32;
		ff_span		s;
		const uint8_t *p;

		memset(buf, 0x80, n ? n : 1);
		bcs_init(&c, buf, n);
		CHECK(!bcs_uleb128(&c, &u32));
		bcs_init(&c, buf, n);
		CHECK(bcs_u64(&c, &u64) == (n >= 8));
		bcs_init(&c, buf, n);
		CHECK(!bcs_bytes(&c, &s));
		bcs_init(&c, buf, n);
		CHECK(bcs_fixed(&c, 9, &p) == (n >= 9));
		free(buf);
	}
}

int
main(void)
{
	RUN(test_fixed_ints);
	RUN(test_wide_ints);
	RUN(test_bool_option);
	RUN(test_uleb128);
	RUN(test_len_count);
	RUN(test_bytes_fixed_skip);
	RUN(test_identifier);
	RUN(test_string);
	RUN(test_fail_sticky);
	RUN(test_no_overread);
	return unit_summary("bcs");
}
