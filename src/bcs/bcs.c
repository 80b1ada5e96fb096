/*
 * bcs.c — the bounds-checked BCS cursor: fixed-width little-endian integers, canonical
 * ULEB128, byte strings, options, Move identifiers and UTF-8 strings. Every read checks
 * that its bytes exist before touching them; the first failure is sticky.
 */
#include "bcs/bcs.h"

#include <string.h>

/* Largest sequence length / enum variant index BCS accepts. */
#define BCS_MAX_LEN 0x7fffffffu

void
bcs_init(bcs_cursor *c, const uint8_t *p, size_t len)
{
	c->base = p;
	c->len = p ? len : 0;
	c->pos = 0;
	c->failed = false;
	c->fail_pos = 0;
	c->fail_what = NULL;
}

bool
bcs_fail(bcs_cursor *c, const char *what)
{
	if (!c->failed)
	{
		c->failed = true;
		c->fail_pos = c->pos;
		c->fail_what = what;
	}
	return false;
}

bool
bcs_fail_at(bcs_cursor *c, size_t at, const char *what)
{
	if (!c->failed)
	{
		c->failed = true;
		c->fail_pos = at;
		c->fail_what = what;
	}
	return false;
}

/* True when n more bytes exist; otherwise fails the cursor with "truncated". */
static inline bool
need(bcs_cursor *c, size_t n)
{
	if (c->failed)
		return false;
	if (n > c->len - c->pos)
		return bcs_fail(c, "truncated");
	return true;
}

bool
bcs_u8(bcs_cursor *c, uint8_t *out)
{
	if (!need(c, 1))
		return false;
	*out = c->base[c->pos++];
	return true;
}

bool
bcs_u16(bcs_cursor *c, uint16_t *out)
{
	const uint8_t *p;

	if (!need(c, 2))
		return false;
	p = c->base + c->pos;
	*out = (uint16_t) (p[0] | (p[1] << 8));
	c->pos += 2;
	return true;
}

bool
bcs_u32(bcs_cursor *c, uint32_t *out)
{
	const uint8_t *p;

	if (!need(c, 4))
		return false;
	p = c->base + c->pos;
	*out = (uint32_t) p[0] | ((uint32_t) p[1] << 8) |
		((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
	c->pos += 4;
	return true;
}

bool
bcs_u64(bcs_cursor *c, uint64_t *out)
{
	const uint8_t *p;
	uint64_t	v = 0;

	if (!need(c, 8))
		return false;
	p = c->base + c->pos;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	*out = v;
	c->pos += 8;
	return true;
}

bool
bcs_u128(bcs_cursor *c, const uint8_t **out)
{
	return bcs_fixed(c, 16, out);
}

bool
bcs_u256(bcs_cursor *c, const uint8_t **out)
{
	return bcs_fixed(c, 32, out);
}

bool
bcs_bool(bcs_cursor *c, bool *out)
{
	if (!need(c, 1))
		return false;
	if (c->base[c->pos] > 1)
		return bcs_fail(c, "bool not 00 or 01");
	*out = c->base[c->pos++] == 1;
	return true;
}

bool
bcs_uleb128(bcs_cursor *c, uint32_t *out)
{
	size_t		start = c->pos;
	uint64_t	value = 0;

	if (c->failed)
		return false;
	/* the common case, one byte (always canonical) */
	if (c->pos < c->len && c->base[c->pos] < 0x80)
	{
		*out = c->base[c->pos++];
		return true;
	}
	for (int i = 0; i < 5; i++)
	{
		uint8_t		byte;

		if (c->pos >= c->len)
			return bcs_fail_at(c, start, "truncated");
		byte = c->base[c->pos++];
		value |= (uint64_t) (byte & 0x7f) << (7 * i);
		if (!(byte & 0x80))
		{
			/* a zero final group after a continuation is a longer form of a shorter value */
			if (byte == 0 && i > 0)
				return bcs_fail_at(c, start, "uleb128 not canonical");
			if (value > UINT32_MAX)
				return bcs_fail_at(c, start, "uleb128 overflows u32");
			*out = (uint32_t) value;
			return true;
		}
	}
	return bcs_fail_at(c, start, "uleb128 longer than 5 bytes");
}

bool
bcs_len(bcs_cursor *c, uint32_t *out)
{
	size_t		start = c->pos;
	uint32_t	v;

	if (!bcs_uleb128(c, &v))
		return false;
	if (v > BCS_MAX_LEN)
		return bcs_fail_at(c, start, "length exceeds 2^31-1");
	*out = v;
	return true;
}

bool
bcs_count(bcs_cursor *c, size_t min_elem_size, uint32_t *out)
{
	size_t		start = c->pos;
	uint32_t	n;

	if (!bcs_len(c, &n))
		return false;
	if (min_elem_size > 0 && n > (c->len - c->pos) / min_elem_size)
		return bcs_fail_at(c, start, "sequence count exceeds the remaining bytes");
	*out = n;
	return true;
}

bool
bcs_bytes(bcs_cursor *c, ff_span *out)
{
	size_t		start = c->pos;
	uint32_t	n;

	if (!bcs_len(c, &n))
		return false;
	if (n > c->len - c->pos)
		return bcs_fail_at(c, start, "byte string longer than the remaining bytes");
	out->ptr = c->base + c->pos;
	out->len = n;
	c->pos += n;
	return true;
}

bool
bcs_fixed(bcs_cursor *c, size_t n, const uint8_t **out)
{
	if (!need(c, n))
		return false;
	*out = c->base + c->pos;
	c->pos += n;
	return true;
}

bool
bcs_option(bcs_cursor *c, bool *present)
{
	if (!need(c, 1))
		return false;
	if (c->base[c->pos] > 1)
		return bcs_fail(c, "option tag not 00 or 01");
	*present = c->base[c->pos++] == 1;
	return true;
}

static inline bool
ident_start(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static inline bool
ident_char(uint8_t ch)
{
	return ident_start(ch) || (ch >= '0' && ch <= '9');
}

bool
bcs_identifier(bcs_cursor *c, ff_span *out)
{
	size_t		start = c->pos;
	ff_span		s;

	if (!bcs_bytes(c, &s))
		return false;
	if (s.len == 0)
		return bcs_fail_at(c, start, "empty identifier");
	if (!ident_start(s.ptr[0]))
		return bcs_fail_at(c, start, "identifier has an invalid first character");
	for (size_t i = 1; i < s.len; i++)
		if (!ident_char(s.ptr[i]))
			return bcs_fail_at(c, start, "identifier has an invalid character");
	*out = s;
	return true;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool
utf8_valid(const uint8_t *p, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		uint8_t		b = p[i];
		size_t		extra;
		uint32_t	cp;

		if (b < 0x80)
		{
			i++;
			continue;
		}
		else if (b >= 0xc2 && b <= 0xdf)
		{
			extra = 1;
			cp = b & 0x1f;
		}
		else if (b >= 0xe0 && b <= 0xef)
		{
			extra = 2;
			cp = b & 0x0f;
		}
		else if (b >= 0xf0 && b <= 0xf4)
		{
			extra = 3;
			cp = b & 0x07;
		}
		else
			return false;
		if (extra > n - i - 1)
			return false;
		for (size_t k = 1; k <= extra; k++)
		{
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
			cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += extra + 1;
	}
	return true;
}

bool
bcs_string(bcs_cursor *c, ff_span *out)
{
	size_t		start = c->pos;
	ff_span		s;

	if (!bcs_bytes(c, &s))
		return false;
	if (!utf8_valid(s.ptr, s.len))
		return bcs_fail_at(c, start, "string is not valid UTF-8");
	*out = s;
	return true;
}

bool
bcs_skip(bcs_cursor *c, size_t n)
{
	if (!need(c, n))
		return false;
	c->pos += n;
	return true;
}

int
ff_span_compare(ff_span a, ff_span b)
{
	int			r = (a.len && b.len) ? memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len) : 0;

	if (r != 0)
		return r;
	return (a.len > b.len) - (a.len < b.len);
}
