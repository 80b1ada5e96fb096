/*
 * record.c — the chunk framing reader: u32 big-endian length, then that many bytes, until
 * a clean EOF exactly at a length prefix. Records that sit wholly in the read buffer are
 * returned in place (no copy); others are assembled in a record buffer that grows to the
 * largest such record, never past max_record.
 */
#include "io/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FF_RECORD_READ_BUFFER	(128 * 1024)

struct ff_record_reader
{
	ff_stream  *s;
	char		object[512];
	size_t		max_record;
	uint8_t    *rbuf;			/* read buffer */
	size_t		rpos;			/* next unconsumed byte */
	size_t		rend;			/* end of valid bytes */
	bool		eof;			/* the stream reported its end */
	uint8_t    *rec;			/* record buffer (only for records crossing rbuf) */
	size_t		rec_cap;
	int64_t		index;			/* index of the next record */
	uint64_t	offset;			/* offset of the next length prefix */
	uint64_t	last_offset;	/* offset of the last record returned */
	uint64_t	pulled;			/* decompressed bytes taken from the stream */
	ff_status	failure;		/* sticky failure */
	bool		failed;
};

ff_record_reader *
ff_record_reader_new(ff_stream *s, const char *object, size_t max_record, ff_status *st)
{
	ff_record_reader *r = calloc(1, sizeof(*r));

	if (r)
		r->rbuf = malloc(FF_RECORD_READ_BUFFER);
	if (!r || !r->rbuf)
	{
		free(r);
		ff_status_set(st, FF_ERR_NOMEM, "out of memory creating a record reader");
		ff_status_locate(st, object, -1, -1);
		return NULL;
	}
	r->s = s;
	snprintf(r->object, sizeof(r->object), "%s", object ? object : "");
	r->max_record = max_record;
	return r;
}

void
ff_record_reader_free(ff_record_reader *r)
{
	if (!r)
		return;
	free(r->rbuf);
	free(r->rec);
	free(r);
}

static ff_code
rr_fail_at(ff_record_reader *r, ff_status *st, ff_code code, bool from_stream)
{
	/* st->message is set by the caller or by the stream below; name the record */
	ff_status_locate(st, from_stream && st->object[0] ? NULL : r->object, r->index, (int64_t) r->offset);
	st->code = code;
	r->failure = *st;
	r->failed = true;
	return code;
}

#define rr_fail(r, st, code) rr_fail_at((r), (st), (code), false)
/* a failure reported by the stream below: keep its object name and message */
#define rr_stream_fail(r, st) rr_fail_at((r), (st), (st)->code != FF_OK ? (st)->code : FF_ERR_IO, true)

/* Read more bytes into the read buffer after the unconsumed ones; -1 on failure. */
static int
rr_fill(ff_record_reader *r, ff_status *st)
{
	ssize_t		got;

	if (r->eof)
		return 0;
	if (r->rpos > 0)
	{
		memmove(r->rbuf, r->rbuf + r->rpos, r->rend - r->rpos);
		r->rend -= r->rpos;
		r->rpos = 0;
	}
	if (r->rend == FF_RECORD_READ_BUFFER)
		return 1;
	got = ff_stream_read(r->s, r->rbuf + r->rend, FF_RECORD_READ_BUFFER - r->rend, st);
	if (got < 0)
		return -1;
	if (got == 0)
	{
		r->eof = true;
		return 0;
	}
	r->rend += (size_t) got;
	r->pulled += (uint64_t) got;
	return 1;
}

/* Parse the next length prefix; FF_OK with *len, FF_EOF, or a failure. */
static ff_code
rr_prefix(ff_record_reader *r, uint32_t *len, ff_status *st)
{
	const uint8_t *p;

	if (r->failed)
	{
		*st = r->failure;
		return st->code;
	}
	while (r->rend - r->rpos < 4 && !r->eof)
		if (rr_fill(r, st) < 0)
			return rr_stream_fail(r, st);
	if (r->rend - r->rpos == 0)
		return FF_EOF;
	if (r->rend - r->rpos < 4)
	{
		ff_status_set(st, FF_ERR_CORRUPT, "partial record length prefix (%zu of 4 bytes) at end of data",
					  r->rend - r->rpos);
		return rr_fail(r, st, FF_ERR_CORRUPT);
	}
	p = r->rbuf + r->rpos;
	*len = ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
	if (*len > FF_RECORD_MAX_EVER)
	{
		ff_status_set(st, FF_ERR_CORRUPT, "length prefix of %u bytes, more than any record can hold (%u)",
					  *len, FF_RECORD_MAX_EVER);
		return rr_fail(r, st, FF_ERR_CORRUPT);
	}
	if ((size_t) *len > r->max_record)
	{
		ff_status_set(st, FF_ERR_LIMIT, "record length %u exceeds the limit of %zu bytes",
					  *len, r->max_record);
		st->limit = "max_record_size";
		return rr_fail(r, st, FF_ERR_LIMIT);
	}
	return FF_OK;
}

static ff_code
rr_short(ff_record_reader *r, ff_status *st, uint32_t len, size_t have)
{
	ff_status_set(st, FF_ERR_CORRUPT, "short record: length prefix says %u bytes, only %zu follow",
				  len, have);
	return rr_fail(r, st, FF_ERR_CORRUPT);
}

static void
rr_advance(ff_record_reader *r, uint32_t len)
{
	r->last_offset = r->offset;
	r->offset += 4 + (uint64_t) len;
	r->index++;
}

ff_code
ff_record_next(ff_record_reader *r, const uint8_t **rec, size_t *len, ff_status *st)
{
	uint32_t	n;
	ff_code		code;
	size_t		have;

	*rec = NULL;
	*len = 0;
	if ((code = rr_prefix(r, &n, st)) != FF_OK)
		return code;

	/* try to get the whole record into the read buffer (fits when n <= buffer - 4) */
	if ((size_t) n + 4 <= FF_RECORD_READ_BUFFER)
	{
		while (r->rend - r->rpos < (size_t) n + 4 && !r->eof)
			if (rr_fill(r, st) < 0)
				return rr_stream_fail(r, st);
		have = r->rend - r->rpos - 4;
		if (have < n)
			return rr_short(r, st, n, have);
		*rec = r->rbuf + r->rpos + 4;
		*len = n;
		r->rpos += 4 + (size_t) n;
		rr_advance(r, n);
		return FF_OK;
	}

	/* large record: assemble it in the record buffer, reading the rest straight into it */
	if (r->rec_cap < n)
	{
		uint8_t    *p = realloc(r->rec, n);

		if (!p)
		{
			ff_status_set(st, FF_ERR_NOMEM, "out of memory for a record of %u bytes", n);
			return rr_fail(r, st, FF_ERR_NOMEM);
		}
		r->rec = p;
		r->rec_cap = n;
	}
	r->rpos += 4;
	have = r->rend - r->rpos;
	memcpy(r->rec, r->rbuf + r->rpos, have);
	r->rpos = r->rend = 0;
	while (have < n)
	{
		ssize_t		got = r->eof ? 0 : ff_stream_read(r->s, r->rec + have, n - have, st);

		if (got < 0)
			return rr_stream_fail(r, st);
		if (got == 0)
		{
			r->eof = true;
			return rr_short(r, st, n, have);
		}
		have += (size_t) got;
		r->pulled += (uint64_t) got;
	}
	*rec = r->rec;
	*len = n;
	rr_advance(r, n);
	return FF_OK;
}

ff_code
ff_record_skip(ff_record_reader *r, ff_status *st)
{
	uint32_t	n;
	ff_code		code;
	size_t		need;
	size_t		have = 0;

	if ((code = rr_prefix(r, &n, st)) != FF_OK)
		return code;
	r->rpos += 4;
	need = n;
	for (;;)
	{
		size_t		avail = r->rend - r->rpos;
		size_t		take = avail < need - have ? avail : need - have;
		int			f;

		r->rpos += take;
		have += take;
		if (have == need)
			break;
		f = rr_fill(r, st);
		if (f < 0)
			return rr_stream_fail(r, st);
		if (f == 0)
			return rr_short(r, st, n, have);
	}
	rr_advance(r, n);
	return FF_OK;
}

int64_t
ff_record_index(const ff_record_reader *r)
{
	return r->index;
}

uint64_t
ff_record_offset(const ff_record_reader *r)
{
	return r->offset;
}

uint64_t
ff_record_last_offset(const ff_record_reader *r)
{
	return r->last_offset;
}

uint64_t
ff_record_raw_bytes(const ff_record_reader *r)
{
	return r->pulled;
}
