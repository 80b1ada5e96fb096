/*
 * s3_reader.c — the sliding window of ranged GETs behind S3 object streams (s3_reader.h).
 * Parts are kept in a FIFO in queue order; the open stream consumes the head part while
 * later parts (of the same object or of the next queued ones) download.
 */
#include "io/s3_reader.h"

#include <stdlib.h>
#include <string.h>

#include "io/http.h"

#define READER_WAIT_MS 100

typedef struct queued
{
	char	   *key;
	uint64_t	size;			/* where reading it stops: its size, or the end of a range */
	char	   *etag;
} queued;

typedef struct part
{
	ff_s3_op	op;
	char	   *buf;
	size_t		len;
	size_t		consumed;
	size_t		q;				/* queue index of its object */
} part;

typedef struct reader_stream reader_stream;

struct ff_s3_reader
{
	ff_s3_client *c;
	queued	   *queue;
	size_t		nq;
	size_t		capq;
	size_t		first;			/* first queue entry not opened yet */
	size_t		next_q;			/* where the next part starts */
	uint64_t	next_off;
	part	   *parts;			/* FIFO, parts[0] is the oldest */
	int			nparts;
	int			window;
	size_t		part_size;
	reader_stream *open_stream;
};

struct reader_stream
{
	ff_stream	base;
	ff_s3_reader *r;
	size_t		q;
	uint64_t	pos;			/* next byte of the object to hand out */
	uint64_t	start;
};

static void
drop_front(ff_s3_reader *r)
{
	part	   *p = &r->parts[0];

	ff_s3_op_reset(&p->op);
	free(p->buf);
	r->nparts--;
	memmove(&r->parts[0], &r->parts[1], r->nparts * sizeof(part));
}

/* Drop the parts of queue entries before q. */
static void
drop_before(ff_s3_reader *r, size_t q)
{
	while (r->nparts > 0 && r->parts[0].q < q)
		drop_front(r);
	if (r->next_q < q)
	{
		r->next_q = q;
		r->next_off = 0;
	}
}

static void
clear_queue(ff_s3_reader *r)
{
	while (r->nparts > 0)
		drop_front(r);
	for (size_t i = 0; i < r->nq; i++)
	{
		free(r->queue[i].key);
		free(r->queue[i].etag);
	}
	r->nq = r->first = r->next_q = 0;
	r->next_off = 0;
}

/* Start parts until the window is full or the queue is exhausted. */
static ff_code
fill(ff_s3_reader *r, ff_status *st)
{
	while (r->nparts < r->window && r->next_q < r->nq)
	{
		queued	   *o = &r->queue[r->next_q];
		part	   *p;
		uint64_t	left;
		ff_code		code;

		if (r->next_off >= o->size)
		{
			r->next_q++;
			r->next_off = 0;
			continue;
		}
		left = o->size - r->next_off;
		p = &r->parts[r->nparts];
		memset(p, 0, sizeof(*p));
		p->len = left < r->part_size ? (size_t) left : r->part_size;
		p->buf = malloc(p->len);
		if (!p->buf)
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory for a read buffer of %zu bytes", p->len);
		p->q = r->next_q;
		ff_s3_op_init_get(&p->op, o->key, o->etag);
		ff_s3_op_set_range(&p->op, r->next_off, r->next_off + p->len - 1, p->buf);
		r->nparts++;
		r->next_off += p->len;
		if ((code = ff_s3_op_kick(r->c, &p->op, st)) != FF_OK)
			return code;
	}
	return FF_OK;
}

/* Settle finished transfers and start the retries whose time has come. */
static ff_code
tend(ff_s3_reader *r, ff_status *st)
{
	for (int i = 0; i < r->nparts; i++)
	{
		ff_s3_op   *op = &r->parts[i].op;
		ff_code		code;

		if (op->state == FF_S3_OP_RUNNING)
			ff_s3_op_settle(r->c, op);
		if (op->state == FF_S3_OP_IDLE && (code = ff_s3_op_kick(r->c, op, st)) != FF_OK)
			return code;
	}
	return FF_OK;
}

static ssize_t
stream_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	reader_stream *rs = (reader_stream *) s;
	ff_s3_reader *r = rs->r;
	const queued *o = &r->queue[rs->q];
	const ff_s3_config *cfg = ff_s3_client_config(r->c);

	for (;;)
	{
		part	   *p;
		size_t		avail;

		if (rs->pos >= o->size || n == 0)
			return 0;
		if (r->nparts == 0 && fill(r, st) != FF_OK)
			return -1;
		if (r->nparts == 0 || r->parts[0].q != rs->q)
		{
			ff_status_set(st, FF_ERR_IO, "internal error: no read buffer for the object");
			return -1;
		}
		if (tend(r, st) != FF_OK)
			return -1;
		p = &r->parts[0];
		if (p->consumed == p->len && p->op.state == FF_S3_OP_DONE)
		{
			/* handed out whole: make room in the window for the next part */
			drop_front(r);
			if (fill(r, st) != FF_OK)
				return -1;
			continue;
		}
		if (p->op.state == FF_S3_OP_FAILED)
		{
			*st = p->op.st;
			return -1;
		}
		avail = ff_s3_op_available(&p->op) - p->consumed;
		if (avail > 0)
		{
			if (avail > n)
				avail = n;
			memcpy(buf, p->buf + p->consumed, avail);
			p->consumed += avail;
			rs->pos += avail;
			/* keep the other transfers moving while the caller decodes */
			if (ff_http_run(0, cfg->cancel, st) != FF_OK)
				return -1;
			return (ssize_t) avail;
		}
		if (ff_http_run(READER_WAIT_MS, cfg->cancel, st) != FF_OK)
			return -1;
	}
}

static void
stream_close(ff_stream *s)
{
	reader_stream *rs = (reader_stream *) s;
	ff_s3_reader *r = rs->r;
	ff_status	st;

	/* whatever of this object was not consumed is not needed any more */
	drop_before(r, rs->q + 1);
	r->open_stream = NULL;
	free(rs);
	ff_status_clear(&st);
	(void) fill(r, &st);		/* failures show again when the next object is read */
}

static uint64_t
stream_stored(ff_stream *s)
{
	reader_stream *rs = (reader_stream *) s;

	return rs->pos - rs->start;
}

ff_code
ff_s3_reader_new(ff_s3_client *c, ff_s3_reader **out, ff_status *st)
{
	ff_s3_reader *r = calloc(1, sizeof(*r));
	const ff_s3_config *cfg = ff_s3_client_config(c);

	*out = NULL;
	if (!r)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating an S3 reader");
	r->c = c;
	r->window = cfg->max_requests;
	r->part_size = cfg->part_size;
	r->parts = calloc(r->window, sizeof(part));
	if (!r->parts)
	{
		free(r);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating an S3 reader");
	}
	*out = r;
	return FF_OK;
}

ff_code
ff_s3_reader_add(ff_s3_reader *r, const char *key, uint64_t size, const char *etag, ff_status *st)
{
	queued	   *o;

	if (r->nq == r->capq)
	{
		size_t		ncap = r->capq ? r->capq * 2 : 64;
		queued	   *nqueue = realloc(r->queue, ncap * sizeof(queued));

		if (!nqueue)
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory planning S3 reads");
		r->queue = nqueue;
		r->capq = ncap;
	}
	o = &r->queue[r->nq];
	o->key = strdup(key);
	o->etag = etag ? strdup(etag) : NULL;
	o->size = size;
	if (!o->key || (etag && !o->etag))
	{
		free(o->key);
		free(o->etag);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory planning S3 reads");
	}
	r->nq++;
	return FF_OK;
}

ff_code
ff_s3_reader_open(ff_s3_reader *r, const char *key, uint64_t size, const char *etag,
				  uint64_t offset, uint64_t length, ff_stream **out, ff_status *st)
{
	reader_stream *rs;
	size_t		q = r->nq;
	ff_code		code;

	*out = NULL;
	if (r->open_stream)
		return ff_status_set(st, FF_ERR_INVALID, "internal error: an S3 reader opens one object at a time");
	if (offset == 0)
		for (q = r->first; q < r->nq; q++)
			if (strcmp(r->queue[q].key, key) == 0)
				break;
	if (q == r->nq)
	{
		/* not queued: read it alone, up to the end of the range */
		uint64_t	end = size;

		if (offset < size && length < size - offset)
			end = offset + length;
		clear_queue(r);
		if ((code = ff_s3_reader_add(r, key, end, etag, st)) != FF_OK)
			return code;
		q = 0;
		r->next_off = offset < size ? offset : size;
	}
	drop_before(r, q);
	r->first = q + 1;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening an S3 object");
	rs->base.read = stream_read;
	rs->base.close = stream_close;
	rs->base.stored_bytes = stream_stored;
	rs->r = r;
	rs->q = q;
	rs->pos = rs->start = (q == 0 && offset) ? r->next_off : 0;
	r->open_stream = rs;
	if ((code = fill(r, st)) != FF_OK)
	{
		stream_close(&rs->base);
		return code;
	}
	*out = &rs->base;
	return FF_OK;
}

bool
ff_s3_reader_queued(const ff_s3_reader *r, const char *key)
{
	for (size_t q = r->first; q < r->nq; q++)
		if (strcmp(r->queue[q].key, key) == 0)
			return true;
	return false;
}

ff_code
ff_s3_reader_prefetch(ff_s3_reader *r, ff_status *st)
{
	return fill(r, st);
}

void
ff_s3_reader_free(ff_s3_reader *r)
{
	if (!r)
		return;
	clear_queue(r);
	free(r->queue);
	free(r->parts);
	free(r);
}
