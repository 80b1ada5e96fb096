/*
 * listing.c — the sorted list of object keys a source returns (shared by every source
 * implementation): building, sorting, freeing and exact lookup by binary search.
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
		free(l->items[i].key);
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
	l->n++;
	return true;
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
