/*
 * gzip.c — gzip detection by the magic bytes 1f 8b and streaming inflation with zlib.
 * Concatenated members are read as one stream (as gzip -d does); anything after a member
 * that is not another member is corrupt data, and so is a member cut short. Data without
 * the magic passes through unchanged. Memory: one bounded input buffer plus zlib's state.
 */
#include "io/gzip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FF_GZIP_INPUT_BUFFER	(256 * 1024)

typedef enum gz_phase
{
	GZ_IN_MEMBER,				/* inflating a member */
	GZ_BETWEEN_MEMBERS,			/* a member ended: expect EOF or another member */
	GZ_DONE,					/* clean end */
	GZ_FAILED					/* sticky error (failure kept in `failure`) */
} gz_phase;

typedef struct gzip_stream
{
	ff_stream	base;
	ff_stream  *inner;
	bool		compressed;
	/* passthrough: bytes peeked before deciding */
	unsigned char peek[2];
	size_t		peek_len;
	size_t		peek_pos;
	/* inflation */
	z_stream	z;
	bool		z_ready;
	gz_phase	phase;
	bool		inner_eof;
	unsigned char *in;			/* FF_GZIP_INPUT_BUFFER bytes */
	uint64_t	out_total;		/* decompressed bytes delivered */
	ff_status	failure;
	char		object[512];
} gzip_stream;

static void
gz_fail(gzip_stream *g, ff_status *st, ff_code code, const char *msg, const char *detail)
{
	ff_status_clear(&g->failure);
	ff_status_set(&g->failure, code, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
	ff_status_locate(&g->failure, g->object, -1, (int64_t) g->out_total);
	g->phase = GZ_FAILED;
	*st = g->failure;
}

/* Read more compressed input after what is left in the buffer; false on failure. */
static bool
gz_fill(gzip_stream *g, ff_status *st)
{
	size_t		keep = g->z.avail_in;
	ssize_t		got;

	if (g->inner_eof)
		return true;
	if (keep && g->z.next_in != g->in)
		memmove(g->in, g->z.next_in, keep);
	g->z.next_in = g->in;
	if (keep >= FF_GZIP_INPUT_BUFFER)
		return true;
	got = ff_stream_read(g->inner, g->in + keep, FF_GZIP_INPUT_BUFFER - keep, st);
	if (got < 0)
	{
		g->failure = *st;
		if (g->failure.code == FF_OK)
			ff_status_set(&g->failure, FF_ERR_IO, "read failed");
		g->phase = GZ_FAILED;
		*st = g->failure;
		return false;
	}
	if (got == 0)
		g->inner_eof = true;
	g->z.avail_in = (uInt) (keep + (size_t) got);
	return true;
}

static ssize_t
gz_read_inflate(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	gzip_stream *g = (gzip_stream *) s;

	if (n > (size_t) UINT32_MAX)
		n = UINT32_MAX;
	for (;;)
	{
		size_t		produced;
		int			ret;

		switch (g->phase)
		{
			case GZ_FAILED:
				*st = g->failure;
				return -1;
			case GZ_DONE:
				return 0;
			case GZ_BETWEEN_MEMBERS:
				while (g->z.avail_in < 2 && !g->inner_eof)
					if (!gz_fill(g, st))
						return -1;
				if (g->z.avail_in == 0)
				{
					g->phase = GZ_DONE;
					return 0;
				}
				if (!ff_gzip_magic(g->z.next_in, g->z.avail_in))
				{
					gz_fail(g, st, FF_ERR_CORRUPT, "trailing garbage after gzip member", NULL);
					return -1;
				}
				if (inflateReset(&g->z) != Z_OK)
				{
					gz_fail(g, st, FF_ERR_CORRUPT, "cannot restart inflation", g->z.msg);
					return -1;
				}
				g->phase = GZ_IN_MEMBER;
				break;
			case GZ_IN_MEMBER:
				break;
		}

		if (n == 0)
			return 0;
		if (g->z.avail_in == 0)
		{
			if (!gz_fill(g, st))
				return -1;
			if (g->z.avail_in == 0)
			{
				gz_fail(g, st, FF_ERR_CORRUPT, "unexpected end of compressed data", NULL);
				return -1;
			}
		}
		g->z.next_out = buf;
		g->z.avail_out = (uInt) n;
		ret = inflate(&g->z, Z_NO_FLUSH);
		produced = n - g->z.avail_out;
		g->out_total += produced;
		if (ret == Z_STREAM_END)
			g->phase = GZ_BETWEEN_MEMBERS;
		else if (ret == Z_BUF_ERROR)
		{
			/* no progress: needs input (avail_out > 0 here since produced < n) */
			if (g->inner_eof && g->z.avail_in == 0 && produced == 0)
			{
				gz_fail(g, st, FF_ERR_CORRUPT, "unexpected end of compressed data", NULL);
				return -1;
			}
			if (produced == 0 && !gz_fill(g, st))
				return -1;
		}
		else if (ret != Z_OK)
		{
			gz_fail(g, st, ret == Z_MEM_ERROR ? FF_ERR_NOMEM : FF_ERR_CORRUPT,
					"invalid gzip data", g->z.msg ? g->z.msg : zError(ret));
			return -1;
		}
		if (produced > 0)
			return (ssize_t) produced;
	}
}

static ssize_t
gz_read_plain(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	gzip_stream *g = (gzip_stream *) s;

	if (g->peek_pos < g->peek_len)
	{
		size_t		k = g->peek_len - g->peek_pos;

		if (k > n)
			k = n;
		memcpy(buf, g->peek + g->peek_pos, k);
		g->peek_pos += k;
		return (ssize_t) k;
	}
	return ff_stream_read(g->inner, buf, n, st);
}

static void
gz_close(ff_stream *s)
{
	gzip_stream *g = (gzip_stream *) s;

	if (g->z_ready)
		inflateEnd(&g->z);
	free(g->in);
	ff_stream_close(g->inner);
	free(g);
}

static uint64_t
gz_stored_bytes(ff_stream *s)
{
	gzip_stream *g = (gzip_stream *) s;

	return ff_stream_stored_bytes(g->inner);
}

/* Read up to two bytes (a stream may deliver them one at a time); false on failure. */
static bool
read_magic(ff_stream *s, uint8_t buf[2], size_t *len, ff_status *st)
{
	*len = 0;
	while (*len < 2)
	{
		ssize_t		got = ff_stream_read(s, buf + *len, 2 - *len, st);

		if (got < 0)
			return false;
		if (got == 0)
			break;
		*len += (size_t) got;
	}
	return true;
}

ff_code
ff_gzip_detect(ff_stream *s, bool *compressed, size_t *taken, ff_status *st)
{
	uint8_t		buf[2];

	if (!read_magic(s, buf, taken, st))
		return st->code;
	*compressed = ff_gzip_magic(buf, *taken);
	return FF_OK;
}

ff_stream *
ff_gzip_open(ff_stream *inner, const char *object, bool *compressed, ff_status *st)
{
	gzip_stream *g;

	if (compressed)
		*compressed = false;
	if (!inner)
	{
		ff_status_set(st, FF_ERR_INVALID, "no stream to read");
		ff_status_locate(st, object, -1, -1);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
	{
		ff_stream_close(inner);
		ff_status_set(st, FF_ERR_NOMEM, "out of memory opening a stream");
		ff_status_locate(st, object, -1, -1);
		return NULL;
	}
	g->inner = inner;
	g->base.close = gz_close;
	g->base.stored_bytes = gz_stored_bytes;
	snprintf(g->object, sizeof(g->object), "%s", object ? object : "");

	if (!read_magic(inner, g->peek, &g->peek_len, st))
	{
		gz_close(&g->base);
		return NULL;
	}

	if (ff_gzip_magic(g->peek, g->peek_len))
	{
		g->in = malloc(FF_GZIP_INPUT_BUFFER);
		if (!g->in || inflateInit2(&g->z, 15 + 16) != Z_OK)
		{
			gz_close(&g->base);
			ff_status_set(st, FF_ERR_NOMEM, "out of memory starting inflation");
			ff_status_locate(st, object, -1, -1);
			return NULL;
		}
		g->z_ready = true;
		memcpy(g->in, g->peek, 2);
		g->z.next_in = g->in;
		g->z.avail_in = 2;
		g->compressed = true;
		g->phase = GZ_IN_MEMBER;
		g->base.read = gz_read_inflate;
	}
	else
		g->base.read = gz_read_plain;
	if (compressed)
		*compressed = g->compressed;
	return &g->base;
}
