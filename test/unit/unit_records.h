/*
 * unit_records.h — what the chain tests share: a small BCS writer for building synthetic
 * records byte by byte (fixed buffer, exits on overflow), hex helpers, and access to the
 * real samples in ../shared/data (FF_SHARED_DATA overrides the location) through src/io:
 * gzip-or-plain objects read as chunk records or as a whole (manifests).
 * And a check of a decoder's status. Everything is static inline so that each test uses
 * what it needs.
 */
#ifndef FF_TEST_UNIT_RECORDS_H
#define FF_TEST_UNIT_RECORDS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chain/render.h"
#include "io/gzip.h"
#include "io/record.h"
#include "io/source.h"
#include "unit.h"

/* ------------------------------------------------------------------------------------ */
/* hex                                                                                   */

static inline void
hex_to_bytes(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t) v;
	}
}

/* true when the 32 bytes equal the 64-digit hex string */
static inline bool
hash_is(const uint8_t *h, const char *hex)
{
	char		text[65];

	if (!h)
		return false;
	ff_hex(h, 32, text);
	text[64] = '\0';
	return strcmp(text, hex) == 0;
}

/*
 * A decoder's result: `got` with st must be `code`, and unless that is FF_OK, st->message
 * exactly `message` at st->offset == offset. Counts a pass or prints what differs.
 */
static inline void
unit_check_status(const char *file, int line, ff_code got, const ff_status *st, ff_code code,
				  const char *message, int64_t offset)
{
	if (got == code && (code == FF_OK || (strcmp(st->message, message) == 0 && st->offset == offset)))
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected %s \"%s\" at %" PRId64 ", got %s \"%s\" at %" PRId64 "\n",
				file, line, ff_code_name(code), message, offset, ff_code_name(got), st->message,
				st->offset);
	}
}

/* ------------------------------------------------------------------------------------ */
/* a small BCS writer                                                                    */

typedef struct wbuf
{
	uint8_t		data[16384];
	size_t		len;
} wbuf;

static inline void
w_raw(wbuf *w, const void *p, size_t n)
{
	if (w->len + n > sizeof(w->data))
	{
		fprintf(stderr, "test writer overflow\n");
		exit(2);
	}
	if (n > 0)
		memcpy(w->data + w->len, p, n);
	w->len += n;
}

static inline void
w_u8(wbuf *w, uint8_t v)
{
	w_raw(w, &v, 1);
}

static inline void
w_le(wbuf *w, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		w_u8(w, (uint8_t) (v >> (8 * i)));
}

#define w_u16(w, v) w_le(w, v, 2)
#define w_u32(w, v) w_le(w, v, 4)
#define w_u64(w, v) w_le(w, v, 8)

static inline void
w_uleb(wbuf *w, uint32_t v)
{
	do
	{
		uint8_t		b = v & 0x7f;

		v >>= 7;
		w_u8(w, v ? (b | 0x80) : b);
	} while (v);
}

static inline void
w_fill(wbuf *w, uint8_t b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w_u8(w, b);
}

/* uleb length + bytes */
static inline void
w_bytes(wbuf *w, const void *p, size_t n)
{
	w_uleb(w, (uint32_t) n);
	w_raw(w, p, n);
}

static inline void
w_str(wbuf *w, const char *s)
{
	w_bytes(w, s, strlen(s));
}

/* a 32-byte address: 31 zero bytes then `last` */
static inline void
w_addr_short(wbuf *w, uint8_t last)
{
	w_fill(w, 0, 31);
	w_u8(w, last);
}

/* a struct TypeTag header (tag 7, address, module, name, param count); params follow */
static inline void
w_struct_tag(wbuf *w, uint8_t addr_last, const char *module, const char *name, uint32_t nparams)
{
	w_u8(w, 7);
	w_addr_short(w, addr_last);
	w_str(w, module);
	w_str(w, name);
	w_uleb(w, nparams);
}

/* AccessPath.path holding the BCS of Path::Code(ModuleId { 0x<addr_last>, name }) */
static inline void
w_code_path(wbuf *w, uint8_t addr_last, const char *name)
{
	w_uleb(w, (uint32_t) (1 + 32 + 1 + strlen(name)));
	w_u8(w, 0);
	w_addr_short(w, addr_last);
	w_str(w, name);
}

/* ------------------------------------------------------------------------------------ */
/* the real samples                                                                      */

/* ../shared/data or $FF_SHARED_DATA, resolved, into out; false when it is not a folder. */
static inline bool
unit_shared_data(char *out, size_t size)
{
	const char *env = getenv("FF_SHARED_DATA");
	char		probe[PATH_MAX];
	struct stat sb;

	if (!realpath(env && *env ? env : "../shared/data", probe) || stat(probe, &sb) != 0 ||
		!S_ISDIR(sb.st_mode))
		return false;
	snprintf(out, size, "%s", probe);
	return true;
}

/* An object opened through src/io: gzip detected by its magic bytes. */
static inline ff_stream *
unit_open_object(ff_source *src, const char *key, ff_status *st)
{
	ff_stream  *s;

	if (ff_source_open(src, key, 0, &s, st) != FF_OK)
		return NULL;
	return ff_gzip_open(s, key, NULL, st);
}

/* A small object (manifest) as a NUL-terminated malloc'ed string; NULL on failure. */
static inline char *
unit_read_object(ff_source *src, const char *key, ff_status *st)
{
	ff_stream  *s = unit_open_object(src, key, st);
	char	   *text;
	size_t		len;
	ff_code		code;

	if (!s)
		return NULL;
	code = ff_stream_read_all(s, 16 << 20, &text, &len, st);
	ff_stream_close(s);
	return code == FF_OK ? text : NULL;
}

/* The records of a chunk: open, then ff_record_next(ch.records, ...) until FF_EOF. */
typedef struct unit_chunk
{
	ff_stream  *stream;
	ff_record_reader *records;
} unit_chunk;

static inline bool
unit_chunk_open(ff_source *src, const char *key, unit_chunk *ch, ff_status *st)
{
	ch->records = NULL;
	ch->stream = unit_open_object(src, key, st);
	if (ch->stream)
		ch->records = ff_record_reader_new(ch->stream, key, 64 << 20, st);
	return ch->records != NULL;
}

static inline void
unit_chunk_close(unit_chunk *ch)
{
	ff_record_reader_free(ch->records);
	ff_stream_close(ch->stream);
}

#endif
