/*
 * bcs.h — a bounds-checked cursor over BCS (Binary Canonical Serialization) bytes.
 * Every read checks that the bytes exist; the first failure is sticky: later reads
 * return false and the cursor remembers what failed and at which offset.
 * Nothing here allocates; byte strings are returned as views into the input.
 */
#ifndef FF_BCS_H
#define FF_BCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bcs_cursor
{
	const uint8_t *base;
	size_t		len;
	size_t		pos;
	bool		failed;
	size_t		fail_pos;		/* offset of the failing read */
	const char *fail_what;		/* static description, e.g. "uleb128 not canonical" */
} bcs_cursor;

/* A view of bytes inside a buffer (never owned). */
typedef struct ff_span
{
	const uint8_t *ptr;
	size_t		len;
} ff_span;

/* Byte-wise order of two spans, a shorter prefix first: the order of BCS map keys. */
int			ff_span_compare(ff_span a, ff_span b);

void		bcs_init(bcs_cursor *c, const uint8_t *p, size_t len);
static inline size_t bcs_remaining(const bcs_cursor *c) { return c->failed ? 0 : c->len - c->pos; }
static inline bool bcs_at_end(const bcs_cursor *c) { return !c->failed && c->pos == c->len; }
/* Mark the cursor failed at the current position with a static reason; returns false. */
bool		bcs_fail(bcs_cursor *c, const char *what);
/* The same at an earlier offset (the start of the value that turned out bad). */
bool		bcs_fail_at(bcs_cursor *c, size_t at, const char *what);

bool		bcs_u8(bcs_cursor *c, uint8_t *out);
bool		bcs_u16(bcs_cursor *c, uint16_t *out);
bool		bcs_u32(bcs_cursor *c, uint32_t *out);
bool		bcs_u64(bcs_cursor *c, uint64_t *out);
/* u128 / u256: a view of the 16 / 32 little-endian bytes */
bool		bcs_u128(bcs_cursor *c, const uint8_t **out);
bool		bcs_u256(bcs_cursor *c, const uint8_t **out);
bool		bcs_bool(bcs_cursor *c, bool *out);		/* 00 or 01 only */
/* ULEB128 of a u32, canonical (shortest form), at most 5 bytes. */
bool		bcs_uleb128(bcs_cursor *c, uint32_t *out);
/* A sequence length or enum variant: uleb128 <= 2^31-1. */
bool		bcs_len(bcs_cursor *c, uint32_t *out);
/*
 * A sequence count whose elements each take at least min_elem_size bytes: fails before
 * anything is allocated or looped over when the remaining bytes cannot hold them.
 */
bool		bcs_count(bcs_cursor *c, size_t min_elem_size, uint32_t *out);
/* uleb128 length + that many bytes (Vec<u8>, String, serde_bytes). */
bool		bcs_bytes(bcs_cursor *c, ff_span *out);
/* Exactly n raw bytes (fixed arrays, addresses, hashes). */
bool		bcs_fixed(bcs_cursor *c, size_t n, const uint8_t **out);
/* Option tag: 00 -> *present=false, 01 -> true, anything else fails. */
bool		bcs_option(bcs_cursor *c, bool *present);
/* A Move identifier: uleb length + ASCII [A-Za-z_][A-Za-z0-9_]* (non-empty). */
bool		bcs_identifier(bcs_cursor *c, ff_span *out);
/* A String: uleb length + strictly valid UTF-8 bytes (as serde's String requires). */
bool		bcs_string(bcs_cursor *c, ff_span *out);
/* Skip n bytes. */
bool		bcs_skip(bcs_cursor *c, size_t n);

#endif
