/*
 * listing.c — the sorted list of object keys a source returns (shared by every source
 * implementation): building, sorting, freeing and exact lookup by binary search; and the
 * dispatch of the optional source operations (read plans, preloading).
 */
#include "io/source.h"

#include <stdlib.h>
#include <string.h>

void
ff_listing_free(ff_listing *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
	{
		free(l->items[i].key);
		free(l->items[i].etag);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

bool
ff_listing_add(ff_listing *l, const char *key, uint64_t size, int64_t mtime)
{
	char	   *copy;

	if (l->n == l->cap)
	{
		size_t		ncap = l->cap ? l->cap * 2 : 256;
		ff_object_info *p = realloc(l->items, ncap * sizeof(*p));

		if (!p)
			return false;
		l->items = p;
		l->cap = ncap;
	}
	copy = strdup(key);
	if (!copy)
		return false;
	l->items[l->n].key = copy;
	l->items[l->n].size = size;
	l->items[l->n].mtime = mtime;
	l->items[l->n].etag = NULL;
	l->n++;
	return true;
}

bool
ff_listing_set_etag(ff_listing *l, const char *etag)
{
	if (l->n == 0)
		return false;
	free(l->items[l->n - 1].etag);
	l->items[l->n - 1].etag = strdup(etag);
	return l->items[l->n - 1].etag != NULL;
}

ff_code
ff_source_plan_new(ff_source *s, const char *const *keys, size_t n, ff_read_plan **out,
				   ff_status *st)
{
	*out = NULL;
	return s->ops->plan_new ? s->ops->plan_new(s, keys, n, out, st) : FF_OK;
}

ff_code
ff_source_plan_open(ff_source *s, ff_read_plan *plan, const char *key, ff_stream **out,
					ff_status *st)
{
	if (plan)
		return s->ops->plan_open(plan, key, out, st);
	return s->ops->open(s, key, 0, out, st);
}

void
ff_source_plan_free(ff_source *s, ff_read_plan *plan)
{
	if (plan)
		s->ops->plan_free(plan);
}

ff_code
ff_source_preload(ff_source *s, const char *const *keys, size_t n, ff_status *st)
{
	return s->ops->preload ? s->ops->preload(s, keys, n, st) : FF_OK;
}

static int
cmp_info(const void *a, const void *b)
{
	return strcmp(((const ff_object_info *) a)->key, ((const ff_object_info *) b)->key);
}

void
ff_listing_sort(ff_listing *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), cmp_info);
}

const ff_object_info *
ff_listing_find(const ff_listing *l, const char *key)
{
	size_t		lo = 0;
	size_t		hi = l ? l->n : 0;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(l->items[mid].key, key);

		if (c == 0)
			return &l->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
