/*
 * s3_reader.h — reading S3 objects as streams through a sliding window of ranged GETs:
 * objects are cut into parts of part_size bytes, up to max_requests parts are in flight or
 * waiting to be consumed, and they are handed out in order, so a slow part does not stop
 * the others and the next objects of the reader's queue arrive while the current one is
 * decoded. Memory: at most max_requests part buffers, whatever the object sizes.
 */
#ifndef FF_IO_S3_READER_H
#define FF_IO_S3_READER_H

#include "io/s3.h"
#include "io/stream.h"

typedef struct ff_s3_reader ff_s3_reader;

ff_code		ff_s3_reader_new(ff_s3_client *c, ff_s3_reader **out, ff_status *st);
/* Queue an object (read in queue order); etag may be NULL. */
ff_code		ff_s3_reader_add(ff_s3_reader *r, const char *key, uint64_t size, const char *etag,
							 ff_status *st);
/*
 * A stream over the object `key`: the next queued object with that key (objects queued
 * before it are dropped), or, when none is queued, the object alone from byte `offset`, at
 * most `length` bytes of it (UINT64_MAX: to its end; the queue is dropped). Only one stream
 * of a reader is open at a time.
 */
ff_code		ff_s3_reader_open(ff_s3_reader *r, const char *key, uint64_t size, const char *etag,
							  uint64_t offset, uint64_t length, ff_stream **out, ff_status *st);
/* Is key queued and not opened yet? */
bool		ff_s3_reader_queued(const ff_s3_reader *r, const char *key);
/* Start fetching the first queued objects now. */
ff_code		ff_s3_reader_prefetch(ff_s3_reader *r, ff_status *st);
/* Frees the reader (its open stream must be closed first). NULL-safe. */
void		ff_s3_reader_free(ff_s3_reader *r);

#endif
