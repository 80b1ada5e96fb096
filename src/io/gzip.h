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

#endif
