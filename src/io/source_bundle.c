/*
 * source_bundle.c — a source that shows the members of indexed bundles (<epoch>.zip,
 * <epoch>.tar.gz) as objects "<bundle key>/<member path>" beside the objects of the source
 * it wraps. The indexes live in a shared, refcounted store so that successive sources of one
 * location do not read the bundles again while they stay unchanged (size, mtime, ETag).
 * Member bytes come from the captured copy when the index kept one, else from a member
 * stream (io/bundle.c); every source open spent on bundles is counted.
 */
#include "io/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/bundle.h"

typedef struct store_entry
{
	char	   *key;			/* the bundle's key */
	ff_bundle_index *ix;
} store_entry;

struct ff_bundle_store
{
	int			refs;
	store_entry *items;			/* sorted by key */
	size_t		n;
	size_t		cap;
};

typedef struct bundle_source bundle_source;

/* The inner source as seen by the bundle reader: counts the opens. */
typedef struct counting_source
{
	ff_source	base;
	bundle_source *owner;
} counting_source;

struct bundle_source
{
	ff_source	base;
	ff_source  *inner;
	ff_bundle_store *store;
	counting_source counter;
	ff_object_info *bundles;	/* the bundles of the last listing (copies), sorted by key */
	bool	   *members_listed;	/* per bundle: its members are in that listing */
	size_t		nbundles;
	char	  **shadowed;		/* member keys hidden by a real key of that name, sorted */
	size_t		nshadowed;
	size_t		shadowed_cap;
	unsigned	requests;
};

struct ff_read_plan
{
	bundle_source *bs;
	ff_read_plan *inner;
};

static const ff_source_ops bundle_ops;

/* ---- the store ------------------------------------------------------------------------ */

ff_bundle_store *
ff_bundle_store_new(void)
{
	ff_bundle_store *s = calloc(1, sizeof(*s));

	if (s)
		s->refs = 1;
	return s;
}

void
ff_bundle_store_retain(ff_bundle_store *s)
{
	if (s)
		s->refs++;
}

void
ff_bundle_store_release(ff_bundle_store *s)
{
	if (!s || --s->refs > 0)
		return;
	for (size_t i = 0; i < s->n; i++)
	{
		free(s->items[i].key);
		ff_bundle_index_free(s->items[i].ix);
	}
	free(s->items);
	free(s);
}

/* Index of key in the store, or where it would go (*found false). */
static size_t
store_search(const ff_bundle_store *s, const char *key, bool *found)
{
	size_t		lo = 0;
	size_t		hi = s->n;

	*found = false;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(s->items[mid].key, key);

		if (c == 0)
		{
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static ff_bundle_index *
store_get(const ff_bundle_store *s, const char *key)
{
	bool		found;
	size_t		i = store_search(s, key, &found);

	return found ? s->items[i].ix : NULL;
}

static void
store_remove_at(ff_bundle_store *s, size_t i)
{
	free(s->items[i].key);
	ff_bundle_index_free(s->items[i].ix);
	memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(*s->items));
	s->n--;
}

/* Put ix under key (replacing an older one); takes ix, also on failure. */
static bool
store_put(ff_bundle_store *s, const char *key, ff_bundle_index *ix)
{
	bool		found;
	size_t		i = store_search(s, key, &found);
	char	   *copy;

	if (found)
	{
		ff_bundle_index_free(s->items[i].ix);
		s->items[i].ix = ix;
		return true;
	}
	if (s->n == s->cap)
	{
		size_t		ncap = s->cap ? s->cap * 2 : 16;
		store_entry *p = realloc(s->items, ncap * sizeof(*p));

		if (!p)
		{
			ff_bundle_index_free(ix);
			return false;
		}
		s->items = p;
		s->cap = ncap;
	}
	copy = strdup(key);
	if (!copy)
	{
		ff_bundle_index_free(ix);
		return false;
	}
	memmove(&s->items[i + 1], &s->items[i], (s->n - i) * sizeof(*s->items));
	s->items[i].key = copy;
	s->items[i].ix = ix;
	s->n++;
	return true;
}

/* Does the index still describe the bundle as listed? */
static bool
index_fresh(const ff_object_info *b, const ff_bundle_index *ix)
{
	return b->size == ix->bundle_size && b->mtime == ix->bundle_mtime &&
		(!b->etag || !ix->bundle_etag || strcmp(b->etag, ix->bundle_etag) == 0);
}

/* ---- lookups in the wrapper ----------------------------------------------------------- */

/* The bundle of the last listing whose key is the first len bytes of key; NULL if none. */
static const ff_object_info *
find_bundle(const bundle_source *bs, const char *key, size_t len)
{
	size_t		lo = 0;
	size_t		hi = bs->nbundles;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		const char *k = bs->bundles[mid].key;
		int			c = strncmp(k, key, len);

		if (c == 0)
			c = k[len] == '\0' ? 0 : 1;
		if (c == 0)
			return &bs->bundles[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool
is_shadowed(const bundle_source *bs, const char *key)
{
	size_t		lo = 0;
	size_t		hi = bs->nshadowed;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(bs->shadowed[mid], key);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Is key a member of a fresh indexed bundle of the last listing? */
static bool
resolve_member(const bundle_source *bs, const char *key, const ff_object_info **bundle,
			   const ff_bundle_member **member)
{
	if (!key || bs->nbundles == 0 || is_shadowed(bs, key))
		return false;
	for (const char *slash = strchr(key, '/'); slash; slash = strchr(slash + 1, '/'))
	{
		const ff_object_info *b = find_bundle(bs, key, (size_t) (slash - key));
		const ff_bundle_index *ix;
		const ff_bundle_member *m;

		if (!b)
			continue;
		ix = store_get(bs->store, b->key);
		if (!ix || !index_fresh(b, ix))
			continue;
		m = ff_bundle_index_find(ix, slash + 1);
		if (m)
		{
			*bundle = b;
			*member = m;
			return true;
		}
	}
	return false;
}

static void
free_bundles(ff_object_info *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		free(b[i].key);
		free(b[i].etag);
	}
	free(b);
}

static void
free_keys(char **k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i]);
	free(k);
}

/* ---- the counting source -------------------------------------------------------------- */

static ff_code
counting_list(ff_source *src, ff_listing *out, ff_status *st)
{
	return ff_source_list(((counting_source *) src)->owner->inner, out, st);
}

static ff_code
counting_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	bundle_source *bs = ((counting_source *) src)->owner;

	bs->requests++;
	return ff_source_open(bs->inner, key, offset, out, st);
}

static ff_code
counting_open_range(ff_source *src, const char *key, uint64_t offset, uint64_t length, ff_stream **out,
					ff_status *st)
{
	bundle_source *bs = ((counting_source *) src)->owner;

	bs->requests++;
	return ff_source_open_range(bs->inner, key, offset, length, out, st);
}

static void
counting_destroy(ff_source *src)
{
	(void) src;					/* part of the wrapper */
}

static const ff_source_ops counting_ops = {
	.list = counting_list,
	.open = counting_open,
	.destroy = counting_destroy,
	.open_range = counting_open_range,
};

/* ---- the wrapper's operations --------------------------------------------------------- */

static ff_code
oom(ff_status *st, const char *what)
{
	return ff_status_set(st, FF_ERR_NOMEM, "out of memory %s", what);
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * Append to out the member keys of the indexed bundles whose members are not listed yet
 * (listed[i] false; set true here). A member whose key names a real object among the first
 * n_real (sorted) items of out is hidden: its key goes to *shadowed instead.
 */
static bool
append_members(const ff_bundle_store *store, const ff_object_info *bundles, bool *listed, size_t nb,
			   ff_listing *out, size_t n_real, char ***shadowed, size_t *nsh, size_t *shcap)
{
	char	   *keybuf = NULL;
	size_t		keycap = 0;

	for (size_t i = 0; i < nb; i++)
	{
		const ff_bundle_index *ix = store_get(store, bundles[i].key);
		size_t		klen = strlen(bundles[i].key);

		if (!ix || listed[i] || !index_fresh(&bundles[i], ix))
			continue;
		for (size_t j = 0; j < ix->n; j++)
		{
			size_t		need = klen + 1 + strlen(ix->members[j].path) + 1;
			ff_listing	real = {.items = out->items, .n = n_real, .cap = n_real};

			if (need > keycap)
			{
				char	   *p = realloc(keybuf, need * 2);

				if (!p)
					goto nomem;
				keybuf = p;
				keycap = need * 2;
			}
			snprintf(keybuf, keycap, "%s/%s", bundles[i].key, ix->members[j].path);
			if (ff_listing_find(&real, keybuf))
			{
				/* a real object of that name: it wins */
				if (*nsh == *shcap)
				{
					size_t		ncap = *shcap ? *shcap * 2 : 8;
					char	  **p = realloc(*shadowed, ncap * sizeof(*p));

					if (!p)
						goto nomem;
					*shadowed = p;
					*shcap = ncap;
				}
				if (!((*shadowed)[*nsh] = strdup(keybuf)))
					goto nomem;
				(*nsh)++;
				continue;
			}
			if (!ff_listing_add(out, keybuf, ix->members[j].size, bundles[i].mtime))
				goto nomem;
		}
		listed[i] = true;
	}
	free(keybuf);
	return true;

nomem:
	free(keybuf);
	return false;
}

static ff_code
bundles_list(ff_source *src, ff_listing *out, ff_status *st)
{
	bundle_source *bs = (bundle_source *) src;
	ff_object_info *bundles = NULL;
	size_t		nb = 0;
	bool	   *listed = NULL;
	char	  **shadowed = NULL;
	size_t		nsh = 0;
	size_t		shcap = 0;
	size_t		n_inner;
	ff_code		code;

	code = ff_source_list(bs->inner, out, st);
	if (code != FF_OK)
		return code;
	n_inner = out->n;

	/* the bundles of this listing (copies: the listing belongs to the caller) */
	for (size_t i = 0; i < n_inner; i++)
		if (ff_bundle_format_of(out->items[i].key) != FF_BUNDLE_NONE)
			nb++;
	if (nb > 0)
	{
		size_t		j = 0;

		bundles = calloc(nb, sizeof(*bundles));
		listed = calloc(nb, sizeof(*listed));
		if (!bundles || !listed)
			goto nomem;
		for (size_t i = 0; i < n_inner; i++)
		{
			const ff_object_info *o = &out->items[i];

			if (ff_bundle_format_of(o->key) == FF_BUNDLE_NONE)
				continue;
			bundles[j].key = strdup(o->key);
			bundles[j].size = o->size;
			bundles[j].mtime = o->mtime;
			bundles[j].etag = o->etag ? strdup(o->etag) : NULL;
			j++;
			if (!bundles[j - 1].key || (o->etag && !bundles[j - 1].etag))
				goto nomem;
		}
	}

	/* drop the indexes of bundles that changed or are gone */
	for (size_t i = bs->store->n; i-- > 0;)
	{
		const store_entry *e = &bs->store->items[i];
		const ff_object_info *b = NULL;

		for (size_t lo = 0, hi = nb; lo < hi;)
		{
			size_t		mid = lo + (hi - lo) / 2;
			int			c = strcmp(bundles[mid].key, e->key);

			if (c == 0)
			{
				b = &bundles[mid];
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!b || !index_fresh(b, e->ix))
			store_remove_at(bs->store, i);
	}

	/* the members of the indexed bundles */
	if (!append_members(bs->store, bundles, listed, nb, out, n_inner, &shadowed, &nsh, &shcap))
		goto nomem;
	ff_listing_sort(out);
	if (nsh > 1)
		qsort(shadowed, nsh, sizeof(*shadowed), cmp_keys);
	free_bundles(bs->bundles, bs->nbundles);
	free(bs->members_listed);
	free_keys(bs->shadowed, bs->nshadowed);
	bs->bundles = bundles;
	bs->members_listed = listed;
	bs->nbundles = nb;
	bs->shadowed = shadowed;
	bs->nshadowed = nsh;
	bs->shadowed_cap = shcap;
	return FF_OK;

nomem:
	free_bundles(bundles, nb);
	free(listed);
	free_keys(shadowed, nsh);
	ff_listing_free(out);
	ff_status_clear(st);
	return oom(st, "listing the members of bundles");
}

/* Open a member of a bundle, from its captured bytes or through a member stream. */
static ff_code
open_member(bundle_source *bs, const ff_object_info *bundle, const ff_bundle_member *m, const char *key,
			uint64_t offset, ff_stream **out, ff_status *st)
{
	ff_stream  *s = NULL;
	ff_code		code;
	uint64_t	skipped = 0;
	char	   *scratch;

	*out = NULL;
	ff_status_clear(st);
	if (m->data)
	{
		size_t		from = offset < m->size ? (size_t) offset : (size_t) m->size;
		size_t		len = (size_t) m->size - from;
		char	   *copy = malloc(len ? len : 1);

		if (!copy)
		{
			ff_status_locate(st, key, -1, -1);
			return oom(st, "opening a bundle member");
		}
		memcpy(copy, m->data + from, len);
		*out = ff_stream_memory(copy, len, m->size);
		if (!*out)
		{
			ff_status_locate(st, key, -1, -1);
			return oom(st, "opening a bundle member");
		}
		return FF_OK;
	}

	bs->counter.base.cancel = bs->base.cancel;
	code = ff_bundle_open_member(&bs->counter.base, bundle, m->path, &s, st);
	if (code != FF_OK)
		return code;
	if (offset == 0)
	{
		*out = s;
		return FF_OK;
	}
	scratch = malloc(64 * 1024);
	if (!scratch)
	{
		ff_stream_close(s);
		ff_status_locate(st, key, -1, -1);
		return oom(st, "opening a bundle member");
	}
	while (skipped < offset)
	{
		uint64_t	left = offset - skipped;
		ssize_t		got = ff_stream_read(s, scratch, left < 64 * 1024 ? (size_t) left : 64 * 1024, st);

		if (got < 0)
		{
			free(scratch);
			ff_stream_close(s);
			return st->code != FF_OK ? st->code : ff_status_set(st, FF_ERR_IO, "read failed");
		}
		if (got == 0)
			break;				/* past the end: an empty stream, as for a file */
		skipped += (uint64_t) got;
	}
	free(scratch);
	*out = s;
	return FF_OK;
}

static ff_code
bundles_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	bundle_source *bs = (bundle_source *) src;
	const ff_object_info *bundle;
	const ff_bundle_member *m;

	if (resolve_member(bs, key, &bundle, &m))
		return open_member(bs, bundle, m, key, offset, out, st);
	return ff_source_open(bs->inner, key, offset, out, st);
}

/* A real key: a ranged open of the inner source. A member: opened whole from offset. */
static ff_code
bundles_open_range(ff_source *src, const char *key, uint64_t offset, uint64_t length, ff_stream **out,
				   ff_status *st)
{
	bundle_source *bs = (bundle_source *) src;
	const ff_object_info *bundle;
	const ff_bundle_member *m;

	if (resolve_member(bs, key, &bundle, &m))
		return open_member(bs, bundle, m, key, offset, out, st);
	return ff_source_open_range(bs->inner, key, offset, length, out, st);
}

static void
bundles_destroy(ff_source *src)
{
	bundle_source *bs = (bundle_source *) src;

	ff_source_destroy(bs->inner);
	ff_bundle_store_release(bs->store);
	free_bundles(bs->bundles, bs->nbundles);
	free(bs->members_listed);
	free_keys(bs->shadowed, bs->nshadowed);
	free(bs);
}

/* The real keys among keys (a malloc'ed array of pointers into keys). */
static ff_code
real_keys(bundle_source *bs, const char *const *keys, size_t n, const char ***out, size_t *m, ff_status *st)
{
	const char **r = malloc((n ? n : 1) * sizeof(*r));

	*out = NULL;
	*m = 0;
	if (!r)
		return oom(st, "planning reads");
	for (size_t i = 0; i < n; i++)
	{
		const ff_object_info *b;
		const ff_bundle_member *mm;

		if (!resolve_member(bs, keys[i], &b, &mm))
			r[(*m)++] = keys[i];
	}
	*out = r;
	return FF_OK;
}

static ff_code
bundles_plan_new(ff_source *src, const char *const *keys, size_t n, ff_read_plan **out, ff_status *st)
{
	bundle_source *bs = (bundle_source *) src;
	const char **real;
	size_t		m;
	ff_read_plan *inner = NULL;
	ff_read_plan *p;
	ff_code		code;

	*out = NULL;
	ff_status_clear(st);
	if ((code = real_keys(bs, keys, n, &real, &m, st)) != FF_OK)
		return code;
	if (m > 0)
		code = ff_source_plan_new(bs->inner, real, m, &inner, st);
	free(real);
	if (code != FF_OK || !inner)
		return code;			/* no inner plan: every key is opened plainly */
	p = malloc(sizeof(*p));
	if (!p)
	{
		ff_source_plan_free(bs->inner, inner);
		return oom(st, "planning reads");
	}
	p->bs = bs;
	p->inner = inner;
	*out = p;
	return FF_OK;
}

static ff_code
bundles_plan_open(ff_read_plan *plan, const char *key, ff_stream **out, ff_status *st)
{
	bundle_source *bs = plan->bs;
	const ff_object_info *bundle;
	const ff_bundle_member *m;

	if (resolve_member(bs, key, &bundle, &m))
		return open_member(bs, bundle, m, key, 0, out, st);
	return ff_source_plan_open(bs->inner, plan->inner, key, out, st);
}

static void
bundles_plan_free(ff_read_plan *plan)
{
	if (!plan)
		return;
	ff_source_plan_free(plan->bs->inner, plan->inner);
	free(plan);
}

static ff_code
bundles_preload(ff_source *src, const char *const *keys, size_t n, ff_status *st)
{
	bundle_source *bs = (bundle_source *) src;
	const char **real;
	size_t		m;
	ff_code		code;

	if (n == 0)
		return ff_source_preload(bs->inner, keys, 0, st);
	if ((code = real_keys(bs, keys, n, &real, &m, st)) != FF_OK)
		return code;
	/* only member keys: nothing to fetch (n = 0 would drop what the inner source holds) */
	if (m > 0)
		code = ff_source_preload(bs->inner, real, m, st);
	free(real);
	return code;
}

static const ff_source_ops bundle_ops = {
	.list = bundles_list,
	.open = bundles_open,
	.open_range = bundles_open_range,
	.destroy = bundles_destroy,
	.plan_new = bundles_plan_new,
	.plan_open = bundles_plan_open,
	.plan_free = bundles_plan_free,
	.preload = bundles_preload,
};

/* ---- public --------------------------------------------------------------------------- */

ff_code
ff_source_bundles_new(ff_source *inner, ff_bundle_store *store, ff_source **out, ff_status *st)
{
	bundle_source *bs;

	*out = NULL;
	ff_status_clear(st);
	if (!inner || !store)
	{
		ff_source_destroy(inner);
		return ff_status_set(st, FF_ERR_INVALID, "no source or no bundle store to wrap");
	}
	bs = calloc(1, sizeof(*bs));
	if (!bs)
	{
		ff_source_destroy(inner);
		return oom(st, "making a bundle source");
	}
	bs->inner = inner;
	bs->store = store;
	ff_bundle_store_retain(store);
	bs->base.ops = &bundle_ops;
	bs->base.location = inner->location;
	bs->base.cancel = inner->cancel;
	bs->counter.base.ops = &counting_ops;
	bs->counter.base.location = inner->location;
	bs->counter.base.cancel = inner->cancel;
	bs->counter.owner = bs;
	*out = &bs->base;
	return FF_OK;
}

ff_code
ff_source_bundles_index(ff_source *wrapper, const char *const *bundle_keys, size_t n,
						ff_bundle_want_fn want, void *arg, size_t max_capture, size_t max_members,
						ff_status *st)
{
	bundle_source *bs = (bundle_source *) wrapper;

	ff_status_clear(st);
	if (!wrapper || wrapper->ops != &bundle_ops)
		return ff_status_set(st, FF_ERR_INVALID, "not a bundle source");
	for (size_t i = 0; i < n; i++)
	{
		const char *key = bundle_keys[i];
		const ff_object_info *b = key ? find_bundle(bs, key, strlen(key)) : NULL;
		const ff_bundle_index *old;
		ff_bundle_index *ix;
		ff_code		code;

		if (!b)
		{
			ff_status_set(st, FF_ERR_NOT_FOUND, "%s is not a bundle of the last listing", key ? key : "(null)");
			ff_status_locate(st, key, -1, -1);
			return st->code;
		}
		old = store_get(bs->store, b->key);
		if (old && index_fresh(b, old))
			continue;
		bs->counter.base.cancel = bs->base.cancel;
		code = ff_bundle_index_read(&bs->counter.base, b, want, arg, max_capture, max_members, &ix, st);
		if (code != FF_OK)
			return code;
		if (!store_put(bs->store, b->key, ix))
		{
			ff_status_locate(st, b->key, -1, -1);
			return oom(st, "storing a bundle index");
		}
	}
	return FF_OK;
}

const ff_bundle_index *
ff_source_bundles_lookup(ff_source *wrapper, const char *bundle_key)
{
	bundle_source *bs = (bundle_source *) wrapper;
	const ff_object_info *b;
	const ff_bundle_index *ix;

	if (!wrapper || wrapper->ops != &bundle_ops || !bundle_key)
		return NULL;
	b = find_bundle(bs, bundle_key, strlen(bundle_key));
	if (!b)
		return NULL;
	ix = store_get(bs->store, b->key);
	return ix && index_fresh(b, ix) ? ix : NULL;
}

unsigned
ff_source_bundles_requests(ff_source *wrapper)
{
	if (!wrapper || wrapper->ops != &bundle_ops)
		return 0;
	return ((bundle_source *) wrapper)->requests;
}

ff_code
ff_source_bundles_add_members(ff_source *wrapper, ff_listing *listing, ff_status *st)
{
	bundle_source *bs = (bundle_source *) wrapper;
	size_t		before;

	ff_status_clear(st);
	if (!wrapper || wrapper->ops != &bundle_ops)
		return ff_status_set(st, FF_ERR_INVALID, "not a bundle wrapper");
	before = bs->nshadowed;
	if (!append_members(bs->store, bs->bundles, bs->members_listed, bs->nbundles, listing, listing->n,
						&bs->shadowed, &bs->nshadowed, &bs->shadowed_cap))
	{
		ff_listing_free(listing);
		return oom(st, "listing the members of bundles");
	}
	ff_listing_sort(listing);
	if (bs->nshadowed > before)
		qsort(bs->shadowed, bs->nshadowed, sizeof(*bs->shadowed), cmp_keys);
	return FF_OK;
}

bool
ff_source_is_bundles(const ff_source *s)
{
	return s != NULL && s->ops == &bundle_ops;
}
