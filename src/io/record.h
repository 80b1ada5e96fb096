/*
 * record.h — the chunk framing of backup files: repeat { u32 big-endian length, bytes }.
 * Clean EOF only exactly at a length prefix. Memory: one read buffer plus the largest
 * record seen, capped by max_record.
 */
#ifndef FF_IO_RECORD_H
#define FF_IO_RECORD_H

#include "io/stream.h"

typedef struct ff_record_reader ff_record_reader;

/* No record is longer than this (1 GiB, PostgreSQL's largest value): a longer length prefix
 * is damage, FF_ERR_CORRUPT, whatever max_record is. */
#define FF_RECORD_MAX_EVER (1024u * 1024 * 1024)

/* Does not take ownership of s. object is copied for messages. */
ff_record_reader *ff_record_reader_new(ff_stream *s, const char *object, size_t max_record,
									   ff_status *st);
void		ff_record_reader_free(ff_record_reader *r);

/*
 * Next record: FF_OK with *rec and *len a view valid until the next call; FF_EOF at a clean
 * end; FF_ERR_CORRUPT for a partial prefix, a short record or a length over
 * FF_RECORD_MAX_EVER, FF_ERR_LIMIT (st->limit "max_record_size") for a length over
 * max_record — with st->object, st->record (index) and st->offset (of the length prefix).
 */
ff_code		ff_record_next(ff_record_reader *r, const uint8_t **rec, size_t *len, ff_status *st);

/* Skip the next record by its length prefix without keeping its bytes. Same results. */
ff_code		ff_record_skip(ff_record_reader *r, ff_status *st);

/* Index of the record the next call returns, and byte offset of its length prefix. */
int64_t		ff_record_index(const ff_record_reader *r);
uint64_t	ff_record_offset(const ff_record_reader *r);
/* Offset of the last record returned (its length prefix). */
uint64_t	ff_record_last_offset(const ff_record_reader *r);
/* Decompressed bytes taken from the stream so far (includes up to one read buffer of
 * read-ahead; equals ff_record_offset() at a clean EOF). */
uint64_t	ff_record_raw_bytes(const ff_record_reader *r);

#endif
