/*
 * source_s3.c — the S3 source: the listing of a bucket prefix (ListObjectsV2 pages, with
 * each object's size, LastModified and ETag), small objects preloaded concurrently for the
 * catalog, and object streams read through a sliding window of ranged GETs (s3_reader.c),
 * with read plans that fetch the next objects of a scan ahead.
 */
#include "io/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/s3.h"
#include "io/s3_reader.h"

#define PRELOAD_MAX_OBJECT	(16 * 1024 * 1024)

typedef struct preloaded
{
	char	   *key;
	char	   *data;			/* NULL when the fetch failed (open fetches again) */
	size_t		len;
} preloaded;

typedef struct s3_source
{
	ff_source	base;
	ff_s3_client *client;
	const ff_listing *listing;	/* the one list() filled last (owned by the caller) */
	preloaded  *pre;
	size_t		npre;
} s3_source;

struct ff_read_plan
{
	s3_source  *src;
	ff_s3_reader *reader;
};

/* A stream that also frees the reader it reads from (objects opened without a plan). */
typedef struct owning_stream
{
	ff_stream	base;
	ff_stream  *inner;
	ff_s3_reader *reader;
} owning_stream;

typedef struct list_ctx
{
	ff_listing *out;
	bool		oom;
} list_ctx;

static bool
on_object(void *arg, const char *key, uint64_t size, int64_t mtime, const char *etag)
{
	list_ctx   *lc = arg;

	/* "folder" placeholder objects some tools create are not archive objects */
	if (key[0] == '\0' || key[strlen(key) - 1] == '/')
		return true;
	if (!ff_listing_add(lc->out, key, size, mtime) ||
		(etag && etag[0] && !ff_listing_set_etag(lc->out, etag)))
	{
		lc->oom = true;
		return false;
	}
	return true;
}

static ff_code
s3_list(ff_source *src, ff_listing *out, ff_status *st)
{
	s3_source  *s = (s3_source *) src;
	list_ctx	lc = {out, false};
	ff_code		code;

	code = ff_s3_list(s->client, "", ff_s3_client_config(s->client)->list_page_size, on_object, &lc, st);
	if (lc.oom)
		code = ff_status_set(st, FF_ERR_NOMEM, "out of memory listing the bucket");
	if (code != FF_OK)
	{
		ff_listing_free(out);
		return code;
	}
	ff_listing_sort(out);
	s->listing = out;
	return FF_OK;
}

/* Size and ETag of key: from the listing, else by HEAD. */
static ff_code
object_info(s3_source *s, const char *key, uint64_t *size, char *etag, size_t etag_size,
			ff_status *st)
{
	const ff_object_info *info = s->listing ? ff_listing_find(s->listing, key) : NULL;

	if (info)
	{
		*size = info->size;
		snprintf(etag, etag_size, "%s", info->etag ? info->etag : "");
		return FF_OK;
	}
	return ff_s3_head(s->client, key, size, etag, etag_size, st);
}

static int
cmp_preloaded(const void *a, const void *b)
{
	return strcmp(((const preloaded *) a)->key, ((const preloaded *) b)->key);
}

/* Binary search (the preloaded set is sorted by key once fetched; thousands of manifests). */
static preloaded *
find_preloaded(s3_source *s, const char *key)
{
	size_t		lo = 0,
				hi = s->npre;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(s->pre[mid].key, key);

		if (c == 0)
			return s->pre[mid].data ? &s->pre[mid] : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static ssize_t
owning_read(ff_stream *st_, void *buf, size_t n, ff_status *st)
{
	owning_stream *o = (owning_stream *) st_;

	return ff_stream_read(o->inner, buf, n, st);
}

static void
owning_close(ff_stream *st_)
{
	owning_stream *o = (owning_stream *) st_;

	ff_stream_close(o->inner);
	ff_s3_reader_free(o->reader);
	free(o);
}

static uint64_t
owning_stored(ff_stream *st_)
{
	owning_stream *o = (owning_stream *) st_;

	return ff_stream_stored_bytes(o->inner);
}

static ff_code
s3_open_range(ff_source *src, const char *key, uint64_t offset, uint64_t length, ff_stream **out,
			  ff_status *st)
{
	s3_source  *s = (s3_source *) src;
	preloaded  *p = offset == 0 && length == UINT64_MAX ? find_preloaded(s, key) : NULL;
	owning_stream *o;
	uint64_t	size;
	char		etag[130];
	ff_code		code;

	*out = NULL;
	if (p)
	{
		const ff_object_info *info = s->listing ? ff_listing_find(s->listing, key) : NULL;

		/* handed over once: the key stays (the array stays sorted), the data goes */
		*out = ff_stream_memory(p->data, p->len, info ? info->size : p->len);
		p->data = NULL;
		return *out ? FF_OK : ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}
	if ((code = object_info(s, key, &size, etag, sizeof(etag), st)) != FF_OK)
	{
		ff_status_locate(st, key, -1, -1);
		return code;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening an S3 object");
	if ((code = ff_s3_reader_new(s->client, &o->reader, st)) != FF_OK ||
		(code = ff_s3_reader_open(o->reader, key, size, etag[0] ? etag : NULL, offset, length, &o->inner,
									   st)) != FF_OK)
	{
		ff_s3_reader_free(o->reader);
		free(o);
		return code;
	}
	o->base.read = owning_read;
	o->base.close = owning_close;
	o->base.stored_bytes = owning_stored;
	*out = &o->base;
	return FF_OK;
}

static ff_code
s3_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	return s3_open_range(src, key, offset, UINT64_MAX, out, st);
}

static void
drop_preloaded(s3_source *s)
{
	for (size_t i = 0; i < s->npre; i++)
	{
		free(s->pre[i].key);
		free(s->pre[i].data);
	}
	free(s->pre);
	s->pre = NULL;
	s->npre = 0;
}

static void
s3_destroy(ff_source *src)
{
	s3_source  *s = (s3_source *) src;

	drop_preloaded(s);
	ff_s3_client_free(s->client);
	free(s->base.location);
	free(s);
}

static ff_code
s3_plan_new(ff_source *src, const char *const *keys, size_t n, ff_read_plan **out, ff_status *st)
{
	s3_source  *s = (s3_source *) src;
	ff_read_plan *p = calloc(1, sizeof(*p));
	ff_code		code;

	*out = NULL;
	if (!p)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory planning S3 reads");
	p->src = s;
	if ((code = ff_s3_reader_new(s->client, &p->reader, st)) != FF_OK)
	{
		free(p);
		return code;
	}
	for (size_t i = 0; i < n; i++)
	{
		const ff_object_info *info = s->listing ? ff_listing_find(s->listing, keys[i]) : NULL;

		if (!info)
			continue;			/* opened on its own when its turn comes */
		if ((code = ff_s3_reader_add(p->reader, info->key, info->size, info->etag, st)) != FF_OK)
		{
			ff_s3_reader_free(p->reader);
			free(p);
			return code;
		}
	}
	if ((code = ff_s3_reader_prefetch(p->reader, st)) != FF_OK)
	{
		ff_s3_reader_free(p->reader);
		free(p);
		return code;
	}
	*out = p;
	return FF_OK;
}

static ff_code
s3_plan_open(ff_read_plan *p, const char *key, ff_stream **out, ff_status *st)
{
	uint64_t	size;
	char		etag[130];
	ff_code		code;

	/* an object out of the plan's order (a predecessor read for context): on its own */
	if (!ff_s3_reader_queued(p->reader, key))
		return s3_open(&p->src->base, key, 0, out, st);
	if ((code = object_info(p->src, key, &size, etag, sizeof(etag), st)) != FF_OK)
	{
		ff_status_locate(st, key, -1, -1);
		return code;
	}
	return ff_s3_reader_open(p->reader, key, size, etag[0] ? etag : NULL, 0, UINT64_MAX, out, st);
}

static void
s3_plan_free(ff_read_plan *p)
{
	ff_s3_reader_free(p->reader);
	free(p);
}

static void
on_fetched(void *arg, size_t index, char *data, size_t len, const ff_status *st)
{
	s3_source  *s = arg;

	(void) st;					/* a failed fetch is retried (and reported) by open() */
	s->pre[index].data = data;
	s->pre[index].len = len;
}

static ff_code
s3_preload(ff_source *src, const char *const *keys, size_t n, ff_status *st)
{
	s3_source  *s = (s3_source *) src;
	ff_code		code;

	drop_preloaded(s);
	if (n == 0)
		return FF_OK;
	s->pre = calloc(n, sizeof(preloaded));
	if (!s->pre)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory preloading objects");
	s->npre = n;
	for (size_t i = 0; i < n; i++)
		if (!(s->pre[i].key = strdup(keys[i])))
		{
			drop_preloaded(s);
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory preloading objects");
		}
	code = ff_s3_get_many(s->client, keys, n, PRELOAD_MAX_OBJECT, on_fetched, s, st);
	if (code != FF_OK)
		drop_preloaded(s);
	else
		qsort(s->pre, s->npre, sizeof(preloaded), cmp_preloaded);
	return code;
}

static const ff_source_ops s3_ops = {
	.list = s3_list,
	.open = s3_open,
	.open_range = s3_open_range,
	.destroy = s3_destroy,
	.plan_new = s3_plan_new,
	.plan_open = s3_plan_open,
	.plan_free = s3_plan_free,
	.preload = s3_preload,
};

ff_code
ff_source_s3_new(ff_s3_client *client, ff_source **out, ff_status *st)
{
	s3_source  *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s || !(s->base.location = strdup(ff_s3_client_location(client))))
	{
		free(s);
		ff_s3_client_free(client);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating the S3 source");
	}
	s->base.ops = &s3_ops;
	s->base.cancel = ff_s3_client_config(client)->cancel;
	s->client = client;
	*out = &s->base;
	return FF_OK;
}
