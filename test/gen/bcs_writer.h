/*
 * bcs_writer.h — a growable byte buffer and the BCS primitives the generator
 * serializes with (independent of the project's decoders in src/).
 */
#ifndef FIXTUREGEN_BCS_WRITER_H
#define FIXTUREGEN_BCS_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct byte_buf
{
	uint8_t    *data;
	size_t		len;
	size_t		cap;
} byte_buf;

void		buf_init(byte_buf *buf);
void		buf_free(byte_buf *buf);
void		buf_reset(byte_buf *buf);
void		buf_append(byte_buf *buf, const void *data, size_t len);
void		buf_append_str(byte_buf *buf, const char *text);
void		buf_printf(byte_buf *buf, const char *fmt,...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes over to the caller and leaves the buffer empty. */
uint8_t    *buf_take(byte_buf *buf, size_t *len);

void		bcs_u8(byte_buf *buf, uint8_t value);
void		bcs_u16(byte_buf *buf, uint16_t value);
void		bcs_u32(byte_buf *buf, uint32_t value);
void		bcs_u64(byte_buf *buf, uint64_t value);
void		bcs_u32_be(byte_buf *buf, uint32_t value);	/* chunk framing only */
void		bcs_uleb128(byte_buf *buf, uint32_t value);
void		bcs_bool(byte_buf *buf, int value);
/* Fixed arrays (addresses, hashes, u128/u256 given as LE bytes): no length. */
void		bcs_fixed(byte_buf *buf, const uint8_t *data, size_t len);
/* Vec<u8> / serde_bytes / String / Identifier: ULEB128 length + bytes. */
void		bcs_bytes(byte_buf *buf, const uint8_t *data, size_t len);
void		bcs_str(byte_buf *buf, const char *text);

#endif
