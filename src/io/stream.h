/*
 * stream.h — a pull byte stream (the one interface between storage and decoding).
 * Implementations: a local file (io/source_local.c), later an S3 GET, gzip inflation
 * (io/gzip.c) and bundle members. Streams stack: record reader <- gzip <- file.
 */
#ifndef FF_IO_STREAM_H
#define FF_IO_STREAM_H

#include <sys/types.h>
#include "common/status.h"

typedef struct ff_stream ff_stream;

struct ff_stream
{
	/*
	 * Read up to n bytes into buf. Returns the number of bytes read (> 0), 0 at the end of
	 * the stream, or -1 on failure with st filled (code, message; object set when known).
	 */
	ssize_t		(*read) (ff_stream *s, void *buf, size_t n, ff_status *st);
	/* Release everything the stream holds, including the streams below it. NULL-safe caller. */
	void		(*close) (ff_stream *s);
	/* Bytes this stream has taken from the storage (compressed bytes for a gzip stack). */
	uint64_t	(*stored_bytes) (ff_stream *s);
};

/* Helpers that dispatch through the struct. ff_stream_close(NULL) is a no-op. */
static inline ssize_t ff_stream_read(ff_stream *s, void *buf, size_t n, ff_status *st) { return s->read(s, buf, n, st); }
static inline void ff_stream_close(ff_stream *s) { if (s) s->close(s); }
static inline uint64_t ff_stream_stored_bytes(ff_stream *s) { return s->stored_bytes(s); }

/*
 * A stream over bytes in memory; takes ownership of data (malloc'ed). stored_bytes reports
 * `stored` (the object's size in storage) once the stream has been read to its end.
 * NULL on malloc failure (data is freed).
 */
ff_stream  *ff_stream_memory(char *data, size_t len, uint64_t stored);

/*
 * A stream over inner (closed with it) that hands out at most max_read bytes a call and asks
 * cancel (NULL: never) before each: FF_ERR_CANCELED when it says so. For readers that take a
 * whole object in one call (ff_stream_read_all of a big object) and would not see a cancel
 * for seconds. NULL on malloc failure (inner is closed).
 */
ff_stream  *ff_stream_cancelable(ff_stream *inner, ff_cancel_fn cancel, size_t max_read);

/*
 * Read the whole stream into a malloc'ed buffer (NUL-terminated, *len excludes the NUL).
 * Fails with FF_ERR_LIMIT past max_bytes. For small objects only (manifests, .meta).
 * Does not close the stream.
 */
ff_code		ff_stream_read_all(ff_stream *s, size_t max_bytes, char **out, size_t *len, ff_status *st);

#endif
