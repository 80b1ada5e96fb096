/*
 * catalog_bundles.c — the listing a catalog is built from, with bundles: per-epoch
 * <epoch>.tar.gz / .tgz / .zip files are indexed (through io/source_bundle.c) when a query
 * can need them, and their members then appear as "<bundle key>/<member path>" keys that
 * the catalog treats like loose files. The bundle mode decides between a bundle and the
 * unpacked folder beside it (LAYOUTS.md §3: OLSF/epoch-archive ships both), so rows are
 * never read twice:
 *   auto    a bundle whose folder (<dir>/<stem>/) exists is shadowed by it;
 *   only    every bundle is read and the folders beside bundles are dropped;
 *   ignore  bundles are objects of kind bundle, never opened.
 * A bundle named E holds the backups taken at the end of epoch E: its rows belong to epoch E
 * or later (a transaction backup may run on into the next epochs), so a query whose epochs
 * end at b needs the bundles named up to b, never those above.
 */
#include "archive/catalog_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/bundle.h"

#define BUNDLE_KEY_MAX 4096
/* Members kept in memory while indexing: manifests, .meta lines, epoch-ending chunks. */
#define BUNDLE_CAPTURE_MAX (1024 * 1024)

/* The small members the catalog reads at planning. */
static bool
want_small_member(const char *path, uint64_t size, void *arg)
{
	const char *base = ff_key_base(path);

	(void) arg;
	if (size > BUNDLE_CAPTURE_MAX)
		return false;
	if (ff_key_ends_with(base, ".manifest") || ff_key_ends_with(base, ".manifest.gz") ||
		ff_key_ends_with(base, ".meta") || ff_key_ends_with(base, ".meta.gz") ||
		strcmp(base, "state.proof") == 0 || strcmp(base, "state.proof.gz") == 0)
		return true;
	/* epoch-ending chunks (a few KB): the era probe reads one */
	return strstr(path, "epoch_ending_") != NULL && (ff_key_ends_with(base, ".chunk") || ff_key_ends_with(base, ".chunk.gz"));
}

bool
ff_catalog_is_rescue_key(const char *key)
{
	const char *base = ff_key_base(key);

	return ff_key_ends_with(base, ".json") || ff_key_ends_with(base, ".json.gz");
}

bool
ff_catalog_is_member_key(const ff_listing *l, const char *key)
{
	char		buf[BUNDLE_KEY_MAX];
	size_t		len = strlen(key);

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, key, len + 1);
	for (size_t i = 0; i < len; i++)
	{
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (ff_bundle_format_of(buf) != FF_BUNDLE_NONE && ff_listing_find(l, buf) != NULL)
			return true;
		buf[i] = '/';
	}
	return false;
}

/* Index of the first listing item >= key (strcmp order). */
static size_t
lower_bound(const ff_listing *l, const char *key)
{
	size_t		lo = 0,
				hi = l->n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (strcmp(l->items[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The folder a bundle unpacks to: its key without the suffix, plus '/'. */
static bool
bundle_folder(const char *key, char *out, size_t size)
{
	size_t		len = strlen(key);
	size_t		cut;

	/* the suffixes ff_bundle_format_of() knows: ".tar.gz", ".tgz", ".zip" in any case */
	switch (ff_bundle_format_of(key))
	{
		case FF_BUNDLE_TAR_GZ:
			cut = len >= 7 && strcasecmp(key + len - 7, ".tar.gz") == 0 ? 7 : 4;
			break;
		case FF_BUNDLE_ZIP:
			cut = 4;
			break;
		default:
			return false;
	}
	if (len - cut + 2 > size || len == cut)
		return false;
	memcpy(out, key, len - cut);
	out[len - cut] = '/';
	out[len - cut + 1] = '\0';
	return true;
}

/* A loose (not bundle member) object under this folder prefix? */
static bool
has_loose_under(const ff_listing *l, const char *prefix)
{
	size_t		plen = strlen(prefix);

	for (size_t i = lower_bound(l, prefix); i < l->n && strncmp(l->items[i].key, prefix, plen) == 0; i++)
		if (!ff_catalog_is_member_key(l, l->items[i].key))
			return true;
	return false;
}

static bool
storage_failure(ff_code code)
{
	return code == FF_ERR_CANCELED || code == FF_ERR_NOMEM || code == FF_ERR_DENIED ||
		code == FF_ERR_UNAVAILABLE || code == FF_ERR_IO;
}

/* Drop the listing items for which drop[i] is set. */
static void
compact(ff_listing *l, const bool *drop)
{
	size_t		j = 0;

	for (size_t i = 0; i < l->n; i++)
	{
		if (drop[i])
		{
			free(l->items[i].key);
			free(l->items[i].etag);
			continue;
		}
		l->items[j++] = l->items[i];
	}
	l->n = j;
}

typedef struct pending_failure
{
	char	   *key;
	ff_code		code;
	char	   *message;
} pending_failure;

ff_code
ff_catalog_list_with_bundles(ff_source *src, const ff_catalog_options *opts, ff_listing *out,
							 ff_catalog_bundle **bundles_out, size_t *n_bundles_out, ff_status *st)
{
	bool		readable = ff_source_is_bundles(src);
	ff_bundle_mode mode = opts->bundles;
	pending_failure *failures = NULL;
	size_t		n_failures = 0;
	ff_catalog_bundle *bundles = NULL;
	size_t		n_bundles = 0;
	bool	   *drop = NULL;
	ff_code		code;
	char		folder[BUNDLE_KEY_MAX];

	*bundles_out = NULL;
	*n_bundles_out = 0;
	code = ff_source_list(src, out, st);
	if (code != FF_OK)
		return code;

	/* 1. index the bundles the query may need and that are not indexed yet */
	if (readable && mode != FF_BUNDLES_IGNORE)
	{
		bool		indexed_any = false;

		for (size_t i = 0; i < out->n; i++)
		{
			const char *key = out->items[i].key;
			uint64_t	epoch;
			bool		named = ff_catalog_bundle_epoch(key, &epoch);
			const char *one[1];
			ff_status	bst;
			ff_code		rc;

			if (ff_bundle_format_of(key) == FF_BUNDLE_NONE || ff_catalog_is_member_key(out, key))
				continue;
			if (ff_source_bundles_lookup(src, key) != NULL)
				continue;
			if (named && epoch > opts->bundle_max_epoch)
				continue;
			if (mode == FF_BUNDLES_AUTO && bundle_folder(key, folder, sizeof(folder)) &&
				has_loose_under(out, folder))
				continue;
			one[0] = key;
			ff_status_clear(&bst);
			rc = ff_source_bundles_index(src, one, 1, want_small_member, NULL, BUNDLE_CAPTURE_MAX,
										 opts->bundle_max_members, &bst);
			if (rc == FF_OK)
			{
				indexed_any = true;
				continue;
			}
			if (storage_failure(rc))
			{
				*st = bst;
				code = rc;
				goto fail;
			}
			/* a bundle that cannot be read: remembered, the build goes on */
			{
				pending_failure *grown = realloc(failures, (n_failures + 1) * sizeof(*failures));

				if (!grown)
					goto nomem;
				failures = grown;
				failures[n_failures].key = strdup(key);
				failures[n_failures].code = rc;
				failures[n_failures].message = strdup(bst.message[0] ? bst.message : "cannot read the bundle");
				n_failures++;
				if (!failures[n_failures - 1].key || !failures[n_failures - 1].message)
					goto nomem;
			}
		}
		if (indexed_any)
		{
			code = ff_source_bundles_add_members(src, out, st);
			if (code != FF_OK)
				goto fail;
		}
	}

	/* 2. what the mode hides */
	drop = calloc(out->n ? out->n : 1, sizeof(bool));
	if (!drop)
		goto nomem;
	for (size_t i = 0; i < out->n; i++)
	{
		const char *key = out->items[i].key;
		bool		member = ff_catalog_is_member_key(out, key);

		if (member && (mode == FF_BUNDLES_IGNORE || !readable))
			drop[i] = true;
		else if (!member && ff_bundle_format_of(key) != FF_BUNDLE_NONE)
		{
			/* bundles 'only': the folder beside it goes */
			if (mode == FF_BUNDLES_ONLY && readable && bundle_folder(key, folder, sizeof(folder)))
			{
				size_t		plen = strlen(folder);

				for (size_t j = lower_bound(out, folder); j < out->n && strncmp(out->items[j].key, folder, plen) == 0; j++)
					if (!ff_catalog_is_member_key(out, out->items[j].key))
						drop[j] = true;
			}
		}
	}
	compact(out, drop);
	free(drop);
	drop = NULL;

	/* 3. describe every bundle */
	for (size_t i = 0; i < out->n; i++)
	{
		const char *key = out->items[i].key;
		ff_catalog_bundle *b;
		const ff_bundle_index *ix;

		if (ff_bundle_format_of(key) == FF_BUNDLE_NONE || ff_catalog_is_member_key(out, key))
			continue;
		{
			ff_catalog_bundle *grown = realloc(bundles, (n_bundles + 1) * sizeof(*bundles));

			if (!grown)
				goto nomem;
			bundles = grown;
		}
		b = &bundles[n_bundles++];
		memset(b, 0, sizeof(*b));
		b->key = key;
		b->has_epoch = ff_catalog_bundle_epoch(key, &b->epoch);
		ix = readable ? ff_source_bundles_lookup(src, key) : NULL;
		if (!readable || mode == FF_BUNDLES_IGNORE)
			b->state = FF_BUNDLE_IGNORED;
		else if (ix)
		{
			b->state = FF_BUNDLE_INDEXED;
			b->n_members = ix->n;
		}
		else if (mode == FF_BUNDLES_AUTO && bundle_folder(key, folder, sizeof(folder)) &&
				 has_loose_under(out, folder))
			b->state = FF_BUNDLE_SHADOWED;
		else
		{
			b->state = FF_BUNDLE_PENDING;
			for (size_t f = 0; f < n_failures; f++)
				if (strcmp(failures[f].key, key) == 0)
				{
					b->state = FF_BUNDLE_FAILED;
					b->failure_code = failures[f].code;
					b->failure = failures[f].message;
					failures[f].message = NULL;
				}
		}
	}
	for (size_t f = 0; f < n_failures; f++)
	{
		free(failures[f].key);
		free(failures[f].message);
	}
	free(failures);
	*bundles_out = bundles;
	*n_bundles_out = n_bundles;
	return FF_OK;

nomem:
	code = ff_status_set(st, FF_ERR_NOMEM, "out of memory listing the bundles of the archive");
fail:
	for (size_t f = 0; f < n_failures; f++)
	{
		free(failures[f].key);
		free(failures[f].message);
	}
	free(failures);
	for (size_t b = 0; b < n_bundles; b++)
		free(bundles[b].failure);
	free(bundles);
	free(drop);
	return code;
}
