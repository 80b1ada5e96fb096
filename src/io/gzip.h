/*
 * gzip.h — gzip detection by magic bytes (1f 8b) and streaming inflation (zlib), whatever
 * the object's name. Concatenated gzip members are read as one stream, as gzip -d does.
 */
#ifndef FF_IO_GZIP_H
#define FF_IO_GZIP_H

#include "io/stream.h"

/*
 * Wrap `inner`: peeks at the first bytes; gzip data is inflated, anything else passes
 * through unchanged. Takes ownership of inner (closing the result closes it), also on
 * failure. *compressed tells which (may be NULL). Inflate buffers are bounded (~256 KiB).
 * object names the object in error messages.
 */
ff_stream  *ff_gzip_open(ff_stream *inner, const char *object, bool *compressed, ff_status *st);

/* Do these bytes start gzip data (the magic 1f 8b)? */
static inline bool
ff_gzip_magic(const uint8_t *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/*
 * Only detect: read the first bytes of s (at most two) and set *compressed; *taken is the
 * number of bytes read. Does not close s. FF_OK, or the stream's failure.
 */
ff_code		ff_gzip_detect(ff_stream *s, bool *compressed, size_t *taken, ff_status *st);

#endif
