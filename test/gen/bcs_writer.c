/*
 * bcs_writer.c — growable byte buffer and BCS encoding primitives
 * (little-endian fixed ints, canonical ULEB128, length-prefixed bytes).
 */
#include "bcs_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_util.h"

void
buf_init(byte_buf *buf)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}

void
buf_free(byte_buf *buf)
{
	free(buf->data);
	buf_init(buf);
}

void
buf_reset(byte_buf *buf)
{
	buf->len = 0;
}

static void
buf_reserve(byte_buf *buf, size_t extra)
{
	size_t		want = buf->len + extra;

	if (want <= buf->cap)
		return;
	if (buf->cap == 0)
		buf->cap = 64;
	while (buf->cap < want)
		buf->cap *= 2;
	buf->data = gen_realloc(buf->data, buf->cap);
}

void
buf_append(byte_buf *buf, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_reserve(buf, len);
	memcpy(buf->data + buf->len, data, len);
	buf->len += len;
}

void
buf_append_str(byte_buf *buf, const char *text)
{
	buf_append(buf, text, strlen(text));
}

void
buf_printf(byte_buf *buf, const char *fmt,...)
{
	va_list		args;
	char		small[256];
	int			needed;

	va_start(args, fmt);
	needed = vsnprintf(small, sizeof(small), fmt, args);
	va_end(args);
	if (needed < 0)
		gen_fatal("vsnprintf failed");
	if ((size_t) needed < sizeof(small))
	{
		buf_append(buf, small, (size_t) needed);
		return;
	}
	buf_reserve(buf, (size_t) needed + 1);
	va_start(args, fmt);
	vsnprintf((char *) buf->data + buf->len, (size_t) needed + 1, fmt, args);
	va_end(args);
	buf->len += (size_t) needed;
}

uint8_t *
buf_take(byte_buf *buf, size_t *len)
{
	uint8_t    *data = buf->data;

	*len = buf->len;
	if (data == NULL)
		data = gen_malloc(1);
	buf_init(buf);
	return data;
}

void
bcs_u8(byte_buf *buf, uint8_t value)
{
	buf_append(buf, &value, 1);
}

static void
bcs_le(byte_buf *buf, uint64_t value, int width)
{
	uint8_t		bytes[8];

	for (int i = 0; i < width; i++)
		bytes[i] = (uint8_t) (value >> (8 * i));
	buf_append(buf, bytes, (size_t) width);
}

void
bcs_u16(byte_buf *buf, uint16_t value)
{
	bcs_le(buf, value, 2);
}

void
bcs_u32(byte_buf *buf, uint32_t value)
{
	bcs_le(buf, value, 4);
}

void
bcs_u64(byte_buf *buf, uint64_t value)
{
	bcs_le(buf, value, 8);
}

void
bcs_u32_be(byte_buf *buf, uint32_t value)
{
	uint8_t		bytes[4] = {
		(uint8_t) (value >> 24), (uint8_t) (value >> 16),
		(uint8_t) (value >> 8), (uint8_t) value
	};

	buf_append(buf, bytes, 4);
}

void
bcs_uleb128(byte_buf *buf, uint32_t value)
{
	do
	{
		uint8_t		group = value & 0x7f;

		value >>= 7;
		if (value != 0)
			group |= 0x80;
		bcs_u8(buf, group);
	} while (value != 0);
}

void
bcs_bool(byte_buf *buf, int value)
{
	bcs_u8(buf, value ? 1 : 0);
}

void
bcs_fixed(byte_buf *buf, const uint8_t *data, size_t len)
{
	buf_append(buf, data, len);
}

void
bcs_bytes(byte_buf *buf, const uint8_t *data, size_t len)
{
	if (len > 0x7fffffff)
		gen_fatal("BCS byte string too long");
	bcs_uleb128(buf, (uint32_t) len);
	buf_append(buf, data, len);
}

void
bcs_str(byte_buf *buf, const char *text)
{
	bcs_bytes(buf, (const uint8_t *) text, strlen(text));
}
