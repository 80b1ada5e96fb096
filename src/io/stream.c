/*
 * stream.c — helpers shared by every ff_stream implementation: reading a whole (small)
 * object into memory with a hard size limit, and a stream over bytes already in memory.
 */
#include "io/stream.h"

#include <stdlib.h>
#include <string.h>

ff_code
ff_stream_read_all(ff_stream *s, size_t max_bytes, char **out, size_t *len, ff_status *st)
{
	char	   *data = NULL;
	size_t		used = 0;
	size_t		cap = 0;

	*out = NULL;
	*len = 0;
	for (;;)
	{
		ssize_t		got;
		size_t		want;

		/* keep room for one byte past the limit (to detect it) and for the NUL */
		if (cap - used < 2)
		{
			size_t		ncap = cap ? cap * 2 : 4096;
			char	   *p;

			if (ncap > max_bytes + 2)
				ncap = max_bytes + 2;
			if (ncap <= cap)
				ncap = cap + 2;
			p = realloc(data, ncap);
			if (!p)
			{
				free(data);
				return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an object of %zu bytes", used);
			}
			data = p;
			cap = ncap;
		}
		want = cap - used - 1;
		got = ff_stream_read(s, data + used, want, st);
		if (got < 0)
		{
			free(data);
			return st->code != FF_OK ? st->code : ff_status_set(st, FF_ERR_IO, "read failed");
		}
		if (got == 0)
			break;
		used += (size_t) got;
		if (used > max_bytes)
		{
			free(data);
			return ff_status_set(st, FF_ERR_LIMIT, "object larger than the limit of %zu bytes", max_bytes);
		}
	}
	if (!data)
	{
		data = malloc(1);
		if (!data)
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}
	data[used] = '\0';
	*out = data;
	*len = used;
	return FF_OK;
}

typedef struct memory_stream
{
	ff_stream	base;
	char	   *data;
	size_t		len;
	size_t		pos;
	uint64_t	stored;
} memory_stream;

static ssize_t
memory_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	memory_stream *m = (memory_stream *) s;

	(void) st;
	if (n > m->len - m->pos)
		n = m->len - m->pos;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t) n;
}

static void
memory_close(ff_stream *s)
{
	memory_stream *m = (memory_stream *) s;

	free(m->data);
	free(m);
}

static uint64_t
memory_stored(ff_stream *s)
{
	memory_stream *m = (memory_stream *) s;

	return m->pos == m->len ? m->stored : m->pos;
}

typedef struct cancelable_stream
{
	ff_stream	base;
	ff_stream  *inner;
	ff_cancel_fn cancel;
	size_t		max_read;
} cancelable_stream;

static ssize_t
cancelable_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	cancelable_stream *c = (cancelable_stream *) s;

	if (c->cancel && c->cancel())
	{
		ff_status_set(st, FF_ERR_CANCELED, "canceled while reading");
		return -1;
	}
	return ff_stream_read(c->inner, buf, n < c->max_read ? n : c->max_read, st);
}

static void
cancelable_close(ff_stream *s)
{
	cancelable_stream *c = (cancelable_stream *) s;

	ff_stream_close(c->inner);
	free(c);
}

static uint64_t
cancelable_stored(ff_stream *s)
{
	return ff_stream_stored_bytes(((cancelable_stream *) s)->inner);
}

ff_stream *
ff_stream_cancelable(ff_stream *inner, ff_cancel_fn cancel, size_t max_read)
{
	cancelable_stream *c = calloc(1, sizeof(*c));

	if (!c)
	{
		ff_stream_close(inner);
		return NULL;
	}
	c->base.read = cancelable_read;
	c->base.close = cancelable_close;
	c->base.stored_bytes = cancelable_stored;
	c->inner = inner;
	c->cancel = cancel;
	c->max_read = max_read ? max_read : 1;
	return &c->base;
}

ff_stream *
ff_stream_memory(char *data, size_t len, uint64_t stored)
{
	memory_stream *m = calloc(1, sizeof(*m));

	if (!m)
	{
		free(data);
		return NULL;
	}
	m->base.read = memory_read;
	m->base.close = memory_close;
	m->base.stored_bytes = memory_stored;
	m->data = data;
	m->len = len;
	m->stored = stored;
	return &m->base;
}
