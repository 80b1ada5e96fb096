/*
 * catalog.c — building the catalog of an archive location from its listing (with the
 * members of its bundles: catalog_bundles.c), .meta lines and manifests (never chunk bodies,
 * except one epoch-ending record read to tell the era: catalog_era.c): transaction and
 * epoch-ending chunks with their ranges
 * (deduplicated so no version or epoch is emitted twice), the epoch -> end-version index
 * with the manifests' waypoint hashes, the state snapshots with their chunks, the gaps
 * (described but unreadable parts), the classified object list, and the epoch/version
 * algebra used for pruning (LAYOUTS.md §5-§7).
 *
 * Rules, in short:
 *  - Backups are found by file name at any depth: ".../transaction.manifest[.gz]",
 *    ".../epoch_ending.manifest[.gz]", ".../state.manifest[.gz]" and
 *    ".../metadata/<anything>.meta[.gz]". A plain and a .gz copy of a manifest in one directory
 *    are one backup (the plain one is read first).
 *  - Every small object is read through the gzip detector (magic bytes, never the name).
 *  - Manifest file handles are resolved by base name in the manifest's own directory,
 *    trying "base", "base.gz" and "base" minus ".gz". .meta manifest handles are relative to
 *    the storage root that holds the metadata/ folder.
 *  - An unreadable or empty .meta, or one whose manifest is missing, is a warning: manifests
 *    are discovered from the listing, so a .meta never is the only description of a backup.
 *    Every manifest is read (chunks, waypoints); a .meta whose file name states the range of
 *    a usable manifest of its storage root ("epoch_ending_<fe>-<le>.meta",
 *    "transaction_<fv>-<lv>.meta", "state_snapshot_ver_<V>.meta") adds nothing and is not
 *    read, which keeps the build at one small read per backup.
 *  - A chunk file that is missing, or a manifest that cannot be used, is a warning when
 *    other backups hold all its versions (epochs, snapshot); otherwise the part nothing
 *    holds becomes a gap (its .meta or the snapshot folder name give the range, else the
 *    range is 0..UINT64_MAX), so only scans that touch it fail. The build itself fails only
 *    when the location cannot be listed or read, on cancel and out of memory.
 *  - A snapshot's epoch comes from its manifest, .meta line or folder name (disagreement is
 *    a warning; the manifest wins), else from the index when its version ends an epoch.
 *  - Objects: one per listing entry, classified by what the catalog resolved (chunk files a
 *    manifest names, also those the dedupe drops) or by name; the files of a backup folder
 *    carry the backup's ranges, epochs only where the index determines them.
 *  - Parsed small objects are cached by (key, size, mtime) and shared with the next build.
 */
#include "archive/catalog.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/catalog_private.h"
#include "archive/json_rescue.h"
#include "archive/meta.h"
#include "io/gzip.h"

#define CAT_MAX_WARNINGS	1000
#define CAT_MAX_KEY			4096

/*
 * Room for one more element in a growing array of n elements (capacity *cap, doubling from
 * 64): the array, moved or not, or NULL when out of memory (the old one is still valid).
 */
static void *
grow(void *arr, size_t n, size_t *cap, size_t elem)
{
	size_t		ncap;
	void	   *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 64;
	if (!(p = realloc(arr, ncap * elem)))
		return NULL;
	*cap = ncap;
	return p;
}

/* ---- the parsed-object cache ---------------------------------------------------------- */

typedef enum pc_kind
{
	PC_META,
	PC_TX_MANIFEST,
	PC_EPOCH_MANIFEST,
	PC_STATE_MANIFEST
} pc_kind;

typedef struct parsed_entry
{
	char	   *key;
	uint64_t	size;
	int64_t		mtime;
	int			refs;			/* catalogs whose cache holds this entry */
	pc_kind		kind;
	int			compression;	/* 1 gzip, 0 plain (the detector's verdict), -1 not opened */
	ff_code		code;			/* FF_OK, or why the content cannot be used */
	char	   *error;			/* message when code != FF_OK */
	union
	{
		ff_meta_file meta;
		ff_tx_manifest tx;
		ff_epoch_manifest epoch;
		ff_state_manifest state;
	}			u;
} parsed_entry;

typedef struct parsed_cache
{
	parsed_entry **items;		/* sorted by key once the build is done */
	size_t		n;
	size_t		cap;
} parsed_cache;

static void
entry_release(parsed_entry *e)
{
	if (!e || --e->refs > 0)
		return;
	if (e->code == FF_OK)
		switch (e->kind)
		{
			case PC_META:
				ff_meta_file_free(&e->u.meta);
				break;
			case PC_TX_MANIFEST:
				ff_tx_manifest_free(&e->u.tx);
				break;
			case PC_EPOCH_MANIFEST:
				ff_epoch_manifest_free(&e->u.epoch);
				break;
			case PC_STATE_MANIFEST:
				ff_state_manifest_free(&e->u.state);
				break;
		}
	free(e->error);
	free(e->key);
	free(e);
}

static void
cache_free(parsed_cache *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; i < pc->n; i++)
		entry_release(pc->items[i]);
	free(pc->items);
	free(pc);
}

static bool
cache_add(parsed_cache *pc, parsed_entry *e)
{
	parsed_entry **p = grow(pc->items, pc->n, &pc->cap, sizeof(*p));

	if (!p)
		return false;
	pc->items = p;
	pc->items[pc->n++] = e;
	return true;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp((*(parsed_entry *const *) a)->key, (*(parsed_entry *const *) b)->key);
}

static parsed_entry *
cache_find(const parsed_cache *pc, const char *key)
{
	size_t		lo = 0,
				hi = pc ? pc->n : 0;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(pc->items[mid]->key, key);

		if (c == 0)
			return pc->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- build state ---------------------------------------------------------------------- */

typedef enum group_kind
{
	G_TX,
	G_EPOCH,
	G_STATE
} group_kind;

/* One backup directory's manifest (plain and/or .gz copy) plus the .meta lines naming it. */
typedef struct mgroup
{
	group_kind	kind;
	const char *keys[2];		/* listing keys, plain first when both exist */
	int			n_keys;
	size_t		bsr_len;		/* its storage root: the first bsr_len bytes of keys[0] */
	parsed_entry *entry;		/* the parsed manifest (the first copy that parses) */
	parsed_entry *bad;			/* the first copy that does not parse */
	char	   *problem;		/* why the parsed manifest cannot be used (malloc'ed) */
	const ff_meta_line **metas; /* EpochEnding / Transaction / StateSnapshot lines naming it */
	const char **meta_keys;
	size_t		n_metas;
	/* the backup's ranges, for the objects of its folder */
	bool		has_versions;
	uint64_t	first_version;
	uint64_t	last_version;
	bool		has_epochs;
	uint64_t	first_epoch;
	uint64_t	last_epoch;
} mgroup;

typedef struct key_ref
{
	const char *key;
	size_t		group;
} key_ref;

typedef struct epoch_entry
{
	uint64_t	epoch;
	uint64_t	version;
	int			prio;			/* 2 = manifest waypoint, 1 = .meta */
	const char *source;
	const uint8_t *hash;		/* the waypoint hash (manifest entries), else NULL */
} epoch_entry;

typedef struct u64_pair
{
	uint64_t	a;
	uint64_t	b;
} u64_pair;

/* A range that must be held by present chunks, or it becomes a gap. */
typedef struct need
{
	ff_gap_kind kind;
	uint64_t	first;
	uint64_t	last;
	bool		open;			/* range unknown: [0, UINT64_MAX], never covered */
	ff_code		code;
	char	   *object;
	char	   *message;
} need;

/* A chunk a manifest names and the listing holds (transaction or epoch-ending). */
typedef struct chunk_cand
{
	uint64_t	first;
	uint64_t	last;
	uint64_t	emit_from;
	const char *key;
	uint64_t	size;
	const char *manifest_key;
	size_t		index;			/* of the chunk file in the listing */
} chunk_cand;

typedef struct cand_list
{
	chunk_cand *v;
	size_t		n;
	size_t		cap;
} cand_list;

/* A usable manifest, found by its storage root, kind and range (to match .meta names). */
typedef struct range_ref
{
	const char *key;			/* the manifest key; its first bsr_len bytes are the root */
	size_t		bsr_len;
	group_kind	kind;
	uint64_t	a;				/* epochs, versions, or the snapshot version twice */
	uint64_t	b;
	size_t		group;
} range_ref;

typedef struct build_ctx
{
	ff_source  *src;
	ff_catalog *c;
	const parsed_cache *prev;
	parsed_cache *cache;
	ff_status  *st;
	size_t		max_small;		/* bytes of a manifest or .meta file once inflated */
	bool		oom;
	size_t		dropped_warnings;

	mgroup	   *groups;
	size_t		n_groups;
	size_t		cap_groups;
	key_ref    *refs;			/* every manifest key -> its group, sorted by key */
	size_t		n_refs;
	size_t		cap_refs;

	parsed_entry **obj_entry;	/* per listing entry: what was read of it, or NULL */
	bool	   *obj_marked;		/* per listing entry: a chunk, kind and ranges set */
	size_t	   *meta_group;		/* per listing entry: 1 + the group of a .meta not read */
	range_ref  *ranges;			/* usable manifests by (storage root, kind, range), sorted */
	size_t		n_ranges;

	need	   *needs;			/* of the kind being built */
	size_t		n_needs;
	size_t		cap_needs;
} build_ctx;

/* malloc'ed printf; NULL when out of memory. */
static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
vformat(const char *fmt, va_list ap)
{
	va_list		ap2;
	char	   *msg;
	int			n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !(msg = malloc((size_t) n + 1)))
		return NULL;
	vsnprintf(msg, (size_t) n + 1, fmt, ap);
	return msg;
}

static void
warn(build_ctx *ctx, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
warn(build_ctx *ctx, const char *fmt,...)
{
	ff_catalog *c = ctx->c;
	va_list		ap;
	char	   *msg;

	if (c->n_warnings >= CAT_MAX_WARNINGS)
	{
		ctx->dropped_warnings++;
		return;
	}
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
	{
		ctx->oom = true;
		return;
	}
	if (c->n_warnings % 16 == 0)
	{
		char	  **p = realloc(c->warnings, (c->n_warnings + 16) * sizeof(*p));

		if (!p)
		{
			free(msg);
			ctx->oom = true;
			return;
		}
		c->warnings = p;
	}
	c->warnings[c->n_warnings++] = msg;
}

static ff_code
nomem(build_ctx *ctx)
{
	ff_status_clear(ctx->st);
	ff_status_locate(ctx->st, "", -1, -1);
	return ff_status_set(ctx->st, FF_ERR_NOMEM, "out of memory building the archive catalog");
}

/* ---- names ---------------------------------------------------------------------------- */

/* Length of the directory part of a key ("a/b/c" -> 3, "c" -> 0). */
static size_t
dir_len(const char *key)
{
	const char *slash = strrchr(key, '/');

	return slash ? (size_t) (slash - key) : 0;
}

/* Order of two byte strings given with their lengths. */
static int
cmp_dir(const char *a, size_t la, const char *b, size_t lb)
{
	int			c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la < lb ? -1 : la > lb);
}

/* Is key ".../metadata/<name>.meta[.gz]" (or "metadata/<name>.meta[.gz]")? */
static bool
is_meta_key(const char *key)
{
	size_t		dl = dir_len(key);
	const char *base = ff_key_base(key);

	if (!(ff_key_ends_with(base, ".meta") && strlen(base) > 5) &&
		!(ff_key_ends_with(base, ".meta.gz") && strlen(base) > 8))
		return false;
	if (dl < 8)
		return false;
	if (memcmp(key + dl - 8, "metadata", 8) != 0)
		return false;
	return dl == 8 || key[dl - 9] == '/';
}

/* Decimal digits at *p into *out (advancing *p); false if none or too large. */
static bool
parse_digits(const char **p, uint64_t *out)
{
	uint64_t	v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
	{
		unsigned	d = (unsigned) (*s - '0');

		if (v > (UINT64_MAX - 1 - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return true;
}

bool
ff_catalog_bundle_epoch(const char *key, uint64_t *epoch)
{
	const char *p = ff_key_base(key);

	if (!parse_digits(&p, epoch))
		return false;
	return strcmp(p, ".tar.gz") == 0 || strcmp(p, ".tgz") == 0 || strcmp(p, ".zip") == 0;
}

/*
 * The numbers in a state snapshot folder name (the last directory of key):
 * "state_epoch_<E>_ver_<V>.<hex4>" or "state_ver_<V>.<hex4>".
 */
static void
state_folder_name(const char *key, bool *has_version, uint64_t *version, bool *has_epoch,
				  uint64_t *epoch)
{
	size_t		dl = dir_len(key);
	char		name[256];
	const char *start = key + dl;
	const char *p;

	*has_version = *has_epoch = false;
	while (start > key && start[-1] != '/')
		start--;
	if ((size_t) (key + dl - start) >= sizeof(name))
		return;
	memcpy(name, start, (size_t) (key + dl - start));
	name[key + dl - start] = '\0';
	p = name;
	if (strncmp(p, "state_epoch_", 12) == 0)
	{
		p += 12;
		if (!parse_digits(&p, epoch) || strncmp(p, "_ver_", 5) != 0)
			return;
		p += 5;
		*has_epoch = true;
	}
	else if (strncmp(p, "state_ver_", 10) == 0)
		p += 10;
	else
		return;
	if (parse_digits(&p, version) && (*p == '.' || *p == '\0'))
		*has_version = true;
	else
		*has_epoch = false;
}

/*
 * Look up prefix + name in the listing, then name + ".gz", then name minus a trailing
 * ".gz". prefix_len bytes of prefix are used (the caller includes the '/').
 */
static const ff_object_info *
find_variant(const ff_listing *l, const char *prefix, size_t prefix_len, const char *name)
{
	char		buf[CAT_MAX_KEY];
	size_t		nl = strlen(name);
	const ff_object_info *info;

	if (nl == 0 || prefix_len + nl + 4 > sizeof(buf))
		return NULL;
	memcpy(buf, prefix, prefix_len);
	memcpy(buf + prefix_len, name, nl + 1);
	if ((info = ff_listing_find(l, buf)) != NULL)
		return info;
	memcpy(buf + prefix_len + nl, ".gz", 4);
	if ((info = ff_listing_find(l, buf)) != NULL)
		return info;
	if (nl > 3 && ff_key_ends_with(name, ".gz"))
	{
		buf[prefix_len + nl - 3] = '\0';
		if ((info = ff_listing_find(l, buf)) != NULL)
			return info;
	}
	return NULL;
}

/* A manifest's file handle, by its base name in the manifest's own directory. */
static const ff_object_info *
resolve_handle(const ff_catalog *c, const char *manifest_key, const char *handle)
{
	size_t		dl = dir_len(manifest_key);

	return find_variant(&c->listing, manifest_key, dl ? dl + 1 : 0, ff_key_base(handle));
}

/* The key a missing handle would have (manifest directory + base name), malloc'ed. */
static char *
missing_key(const char *manifest_key, const char *handle)
{
	size_t		dl = dir_len(manifest_key);
	const char *base = ff_key_base(handle);
	size_t		bl = strlen(base);
	char	   *k = malloc(dl + bl + 2);

	if (!k)
		return NULL;
	memcpy(k, manifest_key, dl);
	if (dl)
		k[dl++] = '/';
	memcpy(k + dl, base, bl + 1);
	return k;
}

/* ---- reading small objects ------------------------------------------------------------ */

static bool
is_fatal(ff_code code)
{
	/* storage failures, cancel and OOM abort the build (and are never cached: the next build
	 * reads the object again); bad content is a property of the object (cached, and judged by
	 * the caller) */
	return code == FF_ERR_IO || code == FF_ERR_NOMEM || code == FF_ERR_CANCELED ||
		code == FF_ERR_NOT_FOUND || code == FF_ERR_INVALID || code == FF_ERR_DENIED ||
		code == FF_ERR_UNAVAILABLE;
}

static ff_code
parse_text(pc_kind kind, const char *text, size_t len, parsed_entry *e, ff_status *st)
{
	switch (kind)
	{
		case PC_META:
			return ff_meta_parse(text, len, &e->u.meta, st);
		case PC_TX_MANIFEST:
			return ff_tx_manifest_parse(text, len, &e->u.tx, st);
		case PC_EPOCH_MANIFEST:
			return ff_epoch_manifest_parse(text, len, &e->u.epoch, st);
		case PC_STATE_MANIFEST:
			return ff_state_manifest_parse(text, len, &e->u.state, st);
	}
	return ff_status_set(st, FF_ERR_INVALID, "unknown object kind");
}

/*
 * The parsed content of a small object, from the previous build when its key, size and
 * mtime did not change, else read and parsed now. NULL on a fatal failure (ctx->st set);
 * otherwise the entry (its code tells whether the content is usable).
 */
static parsed_entry *
get_parsed(build_ctx *ctx, const ff_object_info *info, pc_kind kind)
{
	parsed_entry *e = cache_find(ctx->prev, info->key);
	size_t		index = (size_t) (info - ctx->c->listing.items);
	ff_stream  *s = NULL;
	char	   *text = NULL;
	size_t		len = 0;
	bool		compressed = false;
	ff_code		code;
	ff_status	pst;

	/* (an object over the size limit is read again: the limit may have been raised) */
	if (e && e->kind == kind && e->size == info->size && e->mtime == info->mtime && e->code != FF_ERR_LIMIT)
	{
		if (!cache_add(ctx->cache, e))
		{
			nomem(ctx);
			return NULL;
		}
		e->refs++;
		ctx->obj_entry[index] = e;
		return e;
	}

	/*
	 * before every object read: one read can take tens of milliseconds (up to max_small
	 * bytes inflated and parsed), so a cancel is looked for each time; the probe is a flag
	 * test
	 */
	if (ctx->src->cancel && ctx->src->cancel())
	{
		ff_status_clear(ctx->st);
		ff_status_locate(ctx->st, info->key, -1, -1);
		ff_status_set(ctx->st, FF_ERR_CANCELED, "catalog build canceled");
		return NULL;
	}

	e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(info->key)))
	{
		free(e);
		nomem(ctx);
		return NULL;
	}
	e->size = info->size;
	e->mtime = info->mtime;
	e->refs = 1;
	e->kind = kind;
	e->compression = -1;

	ff_status_clear(&pst);
	code = ff_source_open(ctx->src, info->key, 0, &s, &pst);
	if (code == FF_OK)
	{
		s = ff_gzip_open(s, info->key, &compressed, &pst);
		if (s)
			e->compression = compressed ? 1 : 0;
		code = s ? ff_stream_read_all(s, ctx->max_small, &text, &len, &pst) : pst.code;
		ff_stream_close(s);
		if (code == FF_ERR_LIMIT)
		{
			ff_status_set(&pst, code, "more than %zu bytes once inflated, the limit max_manifest_size",
						  ctx->max_small);
			pst.limit = "max_manifest_size";
		}
	}
	if (code == FF_OK)
		code = parse_text(kind, text, len, e, &pst);
	free(text);
	e->code = code;
	if (code != FF_OK && (is_fatal(code) || code == FF_EOF))
	{
		*ctx->st = pst;
		if (ctx->st->code == FF_OK || ctx->st->code == FF_EOF)
			ctx->st->code = FF_ERR_IO;
		if (ctx->st->object[0] == '\0')
			ff_status_locate(ctx->st, info->key, -1, -1);
		entry_release(e);
		return NULL;
	}
	if (code != FF_OK && !(e->error = strdup(pst.message)))
	{
		entry_release(e);
		nomem(ctx);
		return NULL;
	}
	if (!cache_add(ctx->cache, e))
	{
		entry_release(e);
		nomem(ctx);
		return NULL;
	}
	ctx->obj_entry[index] = e;
	return e;
}

/*
 * Ask the source to fetch at once (S3: concurrently) the small objects about to be read,
 * leaving out those the previous build parsed and that did not change. Only a cancel is
 * fatal here: an object that failed to preload is read again, and reported, when opened.
 */
static ff_code
preload_small(build_ctx *ctx, const char **keys, size_t n)
{
	size_t		m = 0;
	ff_status	pst;

	for (size_t i = 0; i < n; i++)
	{
		const ff_object_info *info = ff_listing_find(&ctx->c->listing, keys[i]);
		const parsed_entry *e = cache_find(ctx->prev, keys[i]);

		if (info && !(e && e->size == info->size && e->mtime == info->mtime))
			keys[m++] = keys[i];
	}
	ff_status_clear(&pst);
	if (m > 0 && ff_source_preload(ctx->src, keys, m, &pst) == FF_ERR_CANCELED)
	{
		*ctx->st = pst;
		return pst.code;
	}
	return FF_OK;
}

/* ---- discovery ------------------------------------------------------------------------ */

static ff_code
add_manifest(build_ctx *ctx, const char *key, group_kind kind)
{
	size_t		dl = dir_len(key);
	mgroup	   *g = NULL;
	key_ref    *refs;

	/* the plain and .gz copies of one directory's manifest are adjacent in the listing order
	 * of manifests of that kind: join the last group when it has the same directory */
	for (size_t i = ctx->n_groups; i-- > 0;)
	{
		mgroup	   *cand = &ctx->groups[i];

		if (cand->kind != kind)
			continue;
		if (cand->n_keys < 2 && dir_len(cand->keys[0]) == dl && memcmp(cand->keys[0], key, dl) == 0)
			g = cand;
		break;
	}
	if (!g)
	{
		mgroup	   *p = grow(ctx->groups, ctx->n_groups, &ctx->cap_groups, sizeof(*p));

		if (!p)
			return nomem(ctx);
		ctx->groups = p;
		g = &ctx->groups[ctx->n_groups++];
		memset(g, 0, sizeof(*g));
		g->kind = kind;
	}
	/* keep the plain name first */
	if (g->n_keys == 1 && ff_key_ends_with(g->keys[0], ".gz") && !ff_key_ends_with(key, ".gz"))
	{
		g->keys[1] = g->keys[0];
		g->keys[0] = key;
	}
	else
		g->keys[g->n_keys] = key;
	g->n_keys++;

	if (!(refs = grow(ctx->refs, ctx->n_refs, &ctx->cap_refs, sizeof(*refs))))
		return nomem(ctx);
	ctx->refs = refs;
	ctx->refs[ctx->n_refs].key = key;
	ctx->refs[ctx->n_refs].group = (size_t) (g - ctx->groups);
	ctx->n_refs++;
	return FF_OK;
}

static mgroup *
group_of_key(build_ctx *ctx, const char *key)
{
	size_t		lo = 0,
				hi = ctx->n_refs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(ctx->refs[mid].key, key);

		if (c == 0)
			return &ctx->groups[ctx->refs[mid].group];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static ff_code
attach_meta(build_ctx *ctx, mgroup *g, const ff_meta_line *line, const char *meta_key)
{
	const ff_meta_line **p = realloc(g->metas, (g->n_metas + 1) * sizeof(*p));
	const char **q;

	if (!p)
		return nomem(ctx);
	g->metas = p;
	q = realloc(g->meta_keys, (g->n_metas + 1) * sizeof(*q));
	if (!q)
		return nomem(ctx);
	g->meta_keys = q;
	g->metas[g->n_metas] = line;
	g->meta_keys[g->n_metas] = meta_key;
	g->n_metas++;
	return FF_OK;
}

/* The group kind a backup line names; false (after a warning when due) to skip the line. */
static bool
meta_line_target(build_ctx *ctx, const char *key, size_t j, const ff_meta_line *line, group_kind *want)
{
	switch (line->kind)
	{
		case FF_META_EPOCH_ENDING:
			*want = G_EPOCH;
			if (line->first_epoch > line->last_epoch || line->first_version > line->last_version)
			{
				warn(ctx, "%s: EpochEndingBackup with reversed ranges (epochs %" PRIu64 "-%" PRIu64
					 ", versions %" PRIu64 "-%" PRIu64 ") ignored", key, line->first_epoch,
					 line->last_epoch, line->first_version, line->last_version);
				return false;
			}
			return true;
		case FF_META_TRANSACTION:
			*want = G_TX;
			if (line->first_version > line->last_version)
			{
				warn(ctx, "%s: TransactionBackup with reversed range %" PRIu64 "-%" PRIu64 " ignored",
					 key, line->first_version, line->last_version);
				return false;
			}
			return true;
		case FF_META_STATE_SNAPSHOT:
			*want = G_STATE;
			return true;
		case FF_META_OTHER:
			warn(ctx, "%s: unknown metadata line %zu ignored", key, j + 1);
			return false;
		default:
			return false;		/* identity, compaction timestamps: nothing to index */
	}
}

static size_t meta_names_usable_manifest(const build_ctx *ctx, const char *meta_key);

/*
 * Read every .meta file and attach its backup lines to the manifests they name. A .meta
 * whose file name states the range of a usable manifest of its storage root is not read:
 * the manifest says all it would.
 */
static ff_code
scan_metas(build_ctx *ctx)
{
	const ff_listing *l = &ctx->c->listing;
	const char **to_read = NULL;
	size_t		n_to_read = 0;
	ff_code		code;

	/* which .meta files are read: a first pass, so that they can be fetched at once */
	for (size_t i = 0; i < l->n; i++)
	{
		const char *key = l->items[i].key;

		if (!is_meta_key(key) || l->items[i].size == 0)
			continue;
		if ((ctx->meta_group[i] = meta_names_usable_manifest(ctx, key)) != 0)
			continue;			/* it would add nothing: not read */
		if (!to_read && !(to_read = malloc(l->n * sizeof(*to_read))))
			return nomem(ctx);
		to_read[n_to_read++] = key;
	}
	code = n_to_read ? preload_small(ctx, to_read, n_to_read) : FF_OK;
	free(to_read);
	if (code != FF_OK)
		return code;

	for (size_t i = 0; i < l->n; i++)
	{
		const ff_object_info *info = &l->items[i];
		parsed_entry *e;
		size_t		bsr_len;

		if (!is_meta_key(info->key))
			continue;
		if (info->size == 0)
		{
			warn(ctx, "%s: empty .meta file, treated as absent", info->key);
			continue;
		}
		if (ctx->meta_group[i] != 0)
			continue;			/* it would add nothing: not read */
		if (!(e = get_parsed(ctx, info, PC_META)))
			return ctx->st->code;
		if (e->code != FF_OK)
		{
			warn(ctx, "%s: unreadable .meta file ignored: %s", info->key, e->error);
			continue;
		}
		if (e->u.meta.n_lines == 0)
		{
			warn(ctx, "%s: empty .meta file, treated as absent", info->key);
			continue;
		}
		/* the storage root is the folder holding metadata/ */
		bsr_len = dir_len(info->key) - 8;
		for (size_t j = 0; j < e->u.meta.n_lines; j++)
		{
			const ff_meta_line *line = &e->u.meta.lines[j];
			const ff_object_info *m;
			mgroup	   *g;
			group_kind	want;
			ff_code		code;

			if (!meta_line_target(ctx, info->key, j, line, &want))
				continue;
			m = find_variant(l, info->key, bsr_len, line->manifest);
			g = m ? group_of_key(ctx, m->key) : NULL;
			if (!g || g->kind != want)
			{
				warn(ctx, "%s: stale .meta ignored: its manifest \"%s\" is not in the archive",
					 info->key, line->manifest);
				continue;
			}
			if ((code = attach_meta(ctx, g, line, info->key)) != FF_OK)
				return code;
		}
	}
	return FF_OK;
}

/*
 * Parse a group's manifest: the plain copy first, then the .gz copy. Returns NULL with
 * *fatal false when no copy parses (*first_bad names the first failure), or NULL with
 * *fatal true on a fatal failure.
 */
static parsed_entry *
group_manifest(build_ctx *ctx, mgroup *g, pc_kind kind, bool *fatal, parsed_entry **first_bad)
{
	*fatal = false;
	*first_bad = NULL;
	for (int k = 0; k < g->n_keys; k++)
	{
		const ff_object_info *info = ff_listing_find(&ctx->c->listing, g->keys[k]);
		parsed_entry *e = info ? get_parsed(ctx, info, kind) : NULL;

		if (!e)
		{
			*fatal = true;
			return NULL;
		}
		if (e->code == FF_OK)
		{
			if (*first_bad)
				warn(ctx, "%s: unreadable manifest copy ignored (%s); using %s",
					 (*first_bad)->key, (*first_bad)->error, e->key);
			return e;
		}
		if (!*first_bad)
			*first_bad = e;
	}
	return NULL;
}

static bool
group_usable(const mgroup *g)
{
	return g->entry && !g->problem;
}

/* Why a group's manifest cannot be used: the copy, the reason, the code. */
static void
group_failure(const mgroup *g, const char **key, const char **msg, ff_code *code)
{
	*key = g->entry ? g->entry->key : g->bad->key;
	*msg = g->entry ? g->problem : g->bad->error;
	*code = g->entry ? FF_ERR_CORRUPT : g->bad->code;
}

/* ---- needs and gaps ------------------------------------------------------------------- */

static bool
push_need(build_ctx *ctx, ff_gap_kind kind, bool open, uint64_t first, uint64_t last, ff_code code,
		  char *object, const char *fmt,...) __attribute__((format(printf, 8, 9)));

/*
 * Record a range that present chunks must hold (open: the range is unknown). Takes
 * ownership of object (malloc'ed; NULL means out of memory). False when out of memory.
 */
static bool
push_need(build_ctx *ctx, ff_gap_kind kind, bool open, uint64_t first, uint64_t last, ff_code code,
		  char *object, const char *fmt,...)
{
	need	   *nd;
	va_list		ap;

	if (!object)
		return false;
	if (!(nd = grow(ctx->needs, ctx->n_needs, &ctx->cap_needs, sizeof(*nd))))
	{
		free(object);
		return false;
	}
	ctx->needs = nd;
	nd = &ctx->needs[ctx->n_needs];
	nd->kind = kind;
	nd->open = open;
	nd->first = open ? 0 : first;
	nd->last = open ? UINT64_MAX : last;
	nd->code = code;
	nd->object = object;
	va_start(ap, fmt);
	nd->message = vformat(fmt, ap);
	va_end(ap);
	if (!nd->message)
	{
		free(object);
		return false;
	}
	ctx->n_needs++;
	return true;
}

static char *
dup_key(const char *key)
{
	return strdup(key);
}

static void
free_needs(build_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_needs; i++)
	{
		free(ctx->needs[i].object);
		free(ctx->needs[i].message);
	}
	ctx->n_needs = 0;
}

static bool
add_gap(ff_catalog *c, const need *nd, uint64_t first, uint64_t last)
{
	ff_gap	   *p = realloc(c->gaps, (c->n_gaps + 1) * sizeof(*p));
	ff_gap	   *g;

	if (!p)
		return false;
	c->gaps = p;
	g = &c->gaps[c->n_gaps];
	g->kind = nd->kind;
	g->first = first;
	g->last = last;
	g->code = nd->code;
	g->object = strdup(nd->object);
	g->message = strdup(nd->message);
	if (!g->object || !g->message)
	{
		free(g->object);
		free(g->message);
		return false;
	}
	c->n_gaps++;
	return true;
}

/* Add to out the maximal parts of [lo, hi] (lo <= hi) that `set` does not hold. */
static bool
add_uncovered(ff_range_set *out, const ff_range_set *set, uint64_t lo, uint64_t hi)
{
	uint64_t	cur = lo;

	for (size_t k = 0; k < set->n; k++)
	{
		const ff_range *r = &set->r[k];

		if (r->hi < cur)
			continue;
		if (r->lo > hi)
			break;
		if (r->lo > cur && !ff_range_set_add(out, cur, r->lo - 1))
			return false;
		if (r->hi >= hi)
			return true;
		cur = r->hi + 1;
	}
	return ff_range_set_add(out, cur, hi);
}

/*
 * Turn the recorded needs into gaps: the parts of each range that `covered` (the ranges
 * present chunks hold) does not hold; a need that is fully held is a warning. Consumes the
 * needs.
 */
static ff_code
resolve_needs(build_ctx *ctx, const ff_range_set *covered, const char *unit)
{
	ff_range_set parts;
	bool		ok = true;

	ff_range_set_init_empty(&parts);
	for (size_t i = 0; i < ctx->n_needs && ok; i++)
	{
		const need *nd = &ctx->needs[i];

		parts.n = 0;
		if (nd->open)
			ok = ff_range_set_add(&parts, 0, UINT64_MAX);
		else
			ok = add_uncovered(&parts, covered, nd->first, nd->last);
		for (size_t k = 0; k < parts.n && ok; k++)
			ok = add_gap(ctx->c, nd, parts.r[k].lo, parts.r[k].hi);
		if (ok && parts.n == 0)
			warn(ctx, "%s; other backups hold these %s", nd->message, unit);
	}
	ff_range_set_free(&parts);
	free_needs(ctx);
	return ok ? FF_OK : nomem(ctx);
}

/* ---- chunk candidates ----------------------------------------------------------------- */

static bool
push_cand(const ff_catalog *c, cand_list *l, uint64_t first, uint64_t last, const ff_object_info *info,
		  const char *manifest_key)
{
	chunk_cand *p = grow(l->v, l->n, &l->cap, sizeof(*p));

	if (!p)
		return false;
	l->v = p;
	l->v[l->n].first = first;
	l->v[l->n].last = last;
	l->v[l->n].emit_from = first;
	l->v[l->n].key = info->key;
	l->v[l->n].size = info->size;
	l->v[l->n].index = (size_t) (info - c->listing.items);
	l->v[l->n].manifest_key = manifest_key;
	l->n++;
	return true;
}

static int
cmp_cand(const void *pa, const void *pb)
{
	const chunk_cand *a = pa,
			   *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	return strcmp(a->key, b->key);
}

/*
 * Order the candidates (first asc, last desc, key asc) and keep those that add something:
 * a chunk whose range an earlier one already emits is dropped, a partial overlap emits
 * from after it. Compacts l in place and adds every candidate's range to `covered`.
 */
static bool
dedupe_cands(build_ctx *ctx, cand_list *l, ff_range_set *covered, const char *unit)
{
	uint64_t	max_last = 0;
	size_t		kept = 0;

	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_cand);
	for (size_t i = 0; i < l->n; i++)
	{
		chunk_cand	cd = l->v[i];

		if (!ff_range_set_add(covered, cd.first, cd.last))
			return false;
		if (kept && cd.last <= max_last)
			continue;			/* everything already emitted by a kept chunk */
		cd.emit_from = (kept && cd.first <= max_last) ? max_last + 1 : cd.first;
		if (cd.emit_from != cd.first)
			warn(ctx, "%s: %s %" PRIu64 "-%" PRIu64 " overlap an earlier chunk; emitting from %" PRIu64,
				 cd.key, unit, cd.first, cd.last, cd.emit_from);
		max_last = cd.last;
		l->v[kept++] = cd;
	}
	l->n = kept;
	return true;
}

/* A kept candidate's fields, into a catalog chunk (strings copied); false when out of memory. */
static bool
cand_out(const chunk_cand *cd, uint64_t *first, uint64_t *last, uint64_t *emit_from, uint64_t *size,
		 char **key, char **manifest_key)
{
	*first = cd->first;
	*last = cd->last;
	*emit_from = cd->emit_from;
	*size = cd->size;
	*key = strdup(cd->key);
	*manifest_key = strdup(cd->manifest_key);
	return *key && *manifest_key;
}

/* ---- object ranges ------------------------------------------------------------------- */

/* The exact epoch whose end version is `version`, from the index. */
static bool
epoch_ending_at(const ff_catalog *c, uint64_t version, uint64_t *epoch);

/*
 * Epoch bounds of a version, only when the index determines both: exact, or between two
 * known epoch ends (never an open or assumed bound).
 */
static bool epoch_bracket(const ff_catalog *c, uint64_t version, uint64_t *lo, uint64_t *hi);
static bool rescue_range(const char *key, uint64_t *first, uint64_t *last);

static void
object_versions(ff_catalog_object *o, uint64_t first, uint64_t last)
{
	o->has_versions = true;
	o->first_version = first;
	o->last_version = last;
}

static void
object_epochs(ff_catalog_object *o, uint64_t first, uint64_t last)
{
	o->has_epochs = true;
	o->first_epoch = first;
	o->last_epoch = last;
}

/* Epochs of a version range from the index, when bracketed at both ends. */
static void
object_epochs_of_versions(const ff_catalog *c, ff_catalog_object *o)
{
	uint64_t	lo,
				hi,
				lo2,
				hi2;

	if (o->has_versions && epoch_bracket(c, o->first_version, &lo, &hi) &&
		epoch_bracket(c, o->last_version, &lo2, &hi2))
		object_epochs(o, lo, hi2);
}

/*
 * A chunk file the catalog resolved (its listing index): sets its kind; the object when
 * newly marked, else NULL.
 */
static ff_catalog_object *
mark_chunk(build_ctx *ctx, size_t i, ff_object_kind kind)
{
	if (ctx->obj_marked[i])
		return NULL;
	ctx->obj_marked[i] = true;
	ctx->c->objects[i].kind = kind;
	return &ctx->c->objects[i];
}

/* ---- the epoch index and epoch-ending chunks ------------------------------------------- */

static bool
push_entry(epoch_entry **arr, size_t *n, size_t *cap, uint64_t epoch, uint64_t version, int prio,
		   const char *source, const uint8_t *hash)
{
	epoch_entry *p = grow(*arr, *n, cap, sizeof(*p));

	if (!p)
		return false;
	*arr = p;
	(*arr)[*n].epoch = epoch;
	(*arr)[*n].version = version;
	(*arr)[*n].prio = prio;
	(*arr)[*n].source = source;
	(*arr)[*n].hash = hash;
	(*n)++;
	return true;
}

static bool
push_pair(u64_pair **arr, size_t *n, size_t *cap, uint64_t a, uint64_t b)
{
	u64_pair   *p = grow(*arr, *n, cap, sizeof(*p));

	if (!p)
		return false;
	*arr = p;
	(*arr)[*n].a = a;
	(*arr)[*n].b = b;
	(*n)++;
	return true;
}

static int
cmp_entry_epoch(const void *pa, const void *pb)
{
	const epoch_entry *a = pa,
			   *b = pb;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return strcmp(a->source, b->source);
}

static int
cmp_pair(const void *pa, const void *pb)
{
	const u64_pair *a = pa,
			   *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return 0;
}

static size_t
count_unique_pairs(u64_pair *arr, size_t n)
{
	size_t		count = 0;

	if (n)
		qsort(arr, n, sizeof(*arr), cmp_pair);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cmp_pair(&arr[i - 1], &arr[i]) != 0)
			count++;
	return count;
}

/* Add the end versions a .meta line states (first and last epoch of the backup). */
static bool
push_meta_entries(epoch_entry **arr, size_t *n, size_t *cap, const ff_meta_line *m, const char *key)
{
	if (!push_entry(arr, n, cap, m->first_epoch, m->first_version, 1, key, NULL))
		return false;
	if (m->last_epoch != m->first_epoch)
		return push_entry(arr, n, cap, m->last_epoch, m->last_version, 1, key, NULL);
	return true;
}

/* Why a parsed epoch-ending manifest cannot be used (NULL if it can); buf holds the text. */
static const char *
epoch_manifest_problem(const ff_epoch_manifest *em, char *buf, size_t size)
{
	if (em->n_waypoints == 0 || em->last_epoch - em->first_epoch != (uint64_t) (em->n_waypoints - 1))
	{
		snprintf(buf, size, "%zu waypoints for epochs %" PRIu64 "-%" PRIu64, em->n_waypoints,
				 em->first_epoch, em->last_epoch);
		return buf;
	}
	return NULL;
}

/*
 * The chunks of a usable epoch-ending manifest: present ones become candidates, missing
 * ones and epochs no chunk names become needs.
 */
static bool
epoch_manifest_chunks(build_ctx *ctx, const parsed_entry *e, cand_list *cands)
{
	const ff_epoch_manifest *em = &e->u.epoch;
	ff_range_set named,
				unnamed;
	bool		ok = true;

	ff_range_set_init_empty(&named);
	for (size_t k = 0; k < em->n_chunks && ok; k++)
	{
		const ff_epoch_manifest_chunk *ch = &em->chunks[k];
		const ff_object_info *info = resolve_handle(ctx->c, e->key, ch->ledger_infos);

		ok = ff_range_set_add(&named, ch->first_epoch, ch->last_epoch);
		if (ok && info)
			ok = push_cand(ctx->c, cands, ch->first_epoch, ch->last_epoch, info, e->key);
		else if (ok)
			ok = push_need(ctx, FF_GAP_EPOCHS, false, ch->first_epoch, ch->last_epoch, FF_ERR_NOT_FOUND,
						   missing_key(e->key, ch->ledger_infos),
						   "epoch-ending manifest %s names chunk file \"%s\" (epochs %" PRIu64 "-%" PRIu64
						   "), which is missing", e->key, ch->ledger_infos, ch->first_epoch, ch->last_epoch);
	}
	/* epochs of the manifest that no chunk names */
	ff_range_set_init_empty(&unnamed);
	ok = ok && add_uncovered(&unnamed, &named, em->first_epoch, em->last_epoch);
	for (size_t k = 0; k < unnamed.n && ok; k++)
		ok = push_need(ctx, FF_GAP_EPOCHS, false, unnamed.r[k].lo, unnamed.r[k].hi, FF_ERR_CORRUPT,
					   dup_key(e->key), "epoch-ending manifest %s names no chunk for epochs %" PRIu64 "-%" PRIu64,
					   e->key, unnamed.r[k].lo, unnamed.r[k].hi);
	ff_range_set_free(&unnamed);
	ff_range_set_free(&named);
	return ok;
}

/*
 * One end version per epoch from the entries: the best source wins; an equal-rank
 * disagreement drops the epoch; end versions must increase with the epoch. Fills c->epochs.
 */
static ff_code
index_from_entries(build_ctx *ctx, epoch_entry *ents, size_t n_ents)
{
	ff_catalog *c = ctx->c;
	uint64_t   *pmax = NULL;
	size_t		n_idx = 0;

	if (n_ents)
		qsort(ents, n_ents, sizeof(*ents), cmp_entry_epoch);
	for (size_t i = 0; i < n_ents;)
	{
		size_t		j = i + 1;
		bool		conflict = false;
		const uint8_t *hash = ents[i].prio == 2 ? ents[i].hash : NULL;
		const char *hash_source = ents[i].source;

		while (j < n_ents && ents[j].epoch == ents[i].epoch)
		{
			if (ents[j].version != ents[i].version)
			{
				if (ents[j].prio == ents[i].prio)
				{
					if (!conflict)
						warn(ctx, "epoch %" PRIu64 ": conflicting end versions %" PRIu64 " (%s) and %" PRIu64
							 " (%s); epoch left out of the index", ents[i].epoch, ents[i].version,
							 ents[i].source, ents[j].version, ents[j].source);
					conflict = true;
				}
				else
					warn(ctx, "epoch %" PRIu64 ": %s says end version %" PRIu64 ", %s says %" PRIu64
						 "; using the manifest", ents[i].epoch, ents[j].source, ents[j].version,
						 ents[i].source, ents[i].version);
			}
			else if (ents[j].prio == 2 && hash && ents[j].hash && memcmp(hash, ents[j].hash, 32) != 0)
			{
				warn(ctx, "epoch %" PRIu64 ": %s and %s give different waypoint hashes; waypoint left out",
					 ents[i].epoch, hash_source, ents[j].source);
				hash = NULL;
			}
			j++;
		}
		if (!conflict && ents[i].epoch == 0 && ents[i].version != 0)
		{
			warn(ctx, "epoch 0: end version %" PRIu64 " (%s) is not 0; left out of the index",
				 ents[i].version, ents[i].source);
			conflict = true;
		}
		if (!conflict)
		{
			ents[i].hash = hash;
			ents[n_idx++] = ents[i];	/* n_idx <= i: compacts in place */
		}
		i = j;
	}

	/* end versions must increase with the epoch: drop every entry in an inversion */
	if (n_idx)
	{
		uint64_t	suffix_min = UINT64_MAX;
		bool		have_suffix = false;
		size_t		kept = 0;

		pmax = malloc(n_idx * sizeof(*pmax));
		c->epochs = calloc(n_idx, sizeof(*c->epochs));
		if (!pmax || !c->epochs)
		{
			free(pmax);
			return nomem(ctx);
		}
		for (size_t i = 0; i < n_idx; i++)
			pmax[i] = (i == 0 || ents[i].version > pmax[i - 1]) ? ents[i].version : pmax[i - 1];
		/* mark from the end: entry i is fine iff all before are smaller and all after larger */
		for (size_t i = n_idx; i-- > 0;)
		{
			bool		ok = (i == 0 || pmax[i - 1] < ents[i].version) &&
				(!have_suffix || ents[i].version < suffix_min);

			if (!have_suffix || ents[i].version < suffix_min)
				suffix_min = ents[i].version;
			have_suffix = true;
			if (!ok)
			{
				warn(ctx, "epoch %" PRIu64 ": end version %" PRIu64 " (%s) is out of order with its "
					 "neighbours; left out of the index", ents[i].epoch, ents[i].version, ents[i].source);
				ents[i].prio = -1;
			}
		}
		for (size_t i = 0; i < n_idx; i++)
			if (ents[i].prio >= 0)
			{
				ff_epoch_end *ee = &c->epochs[kept++];

				ee->epoch = ents[i].epoch;
				ee->version = ents[i].version;
				if (ents[i].hash)
				{
					ee->has_waypoint = true;
					memcpy(ee->waypoint, ents[i].hash, 32);
				}
			}
		c->n_epochs = kept;
		free(pmax);
	}
	return FF_OK;
}

/* The epoch-ending chunks: dedupe, gaps, objects. Consumes the candidates. */
static ff_code
finish_epoch_chunks(build_ctx *ctx, cand_list *cands)
{
	ff_catalog *c = ctx->c;
	ff_range_set covered;
	ff_code		code;

	for (size_t i = 0; i < cands->n; i++)
	{
		ff_catalog_object *o = mark_chunk(ctx, cands->v[i].index, FF_OBJ_EPOCH_ENDING);
		const ff_epoch_end *a,
				   *b;

		if (!o)
			continue;
		object_epochs(o, cands->v[i].first, cands->v[i].last);
		/* its records' versions: the end versions of its first and last epoch */
		a = ff_catalog_epoch_end(c, cands->v[i].first);
		b = ff_catalog_epoch_end(c, cands->v[i].last);
		if (a && b)
			object_versions(o, a->version, b->version);
	}
	ff_range_set_init_empty(&covered);
	if (!dedupe_cands(ctx, cands, &covered, "epochs"))
	{
		ff_range_set_free(&covered);
		return nomem(ctx);
	}
	if (cands->n && !(c->epoch_chunks = calloc(cands->n, sizeof(*c->epoch_chunks))))
	{
		ff_range_set_free(&covered);
		return nomem(ctx);
	}
	for (size_t i = 0; i < cands->n; i++)
	{
		ff_epoch_chunk *t = &c->epoch_chunks[c->n_epoch_chunks++];

		if (!cand_out(&cands->v[i], &t->first_epoch, &t->last_epoch, &t->emit_from, &t->size, &t->key,
					  &t->manifest_key))
		{
			ff_range_set_free(&covered);
			return nomem(ctx);
		}
	}
	code = resolve_needs(ctx, &covered, "epochs");
	ff_range_set_free(&covered);
	return code;
}

static ff_code
build_epochs(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;
	epoch_entry *ents = NULL;
	size_t		n_ents = 0,
				cap_ents = 0;
	u64_pair   *ranges = NULL;
	size_t		n_ranges = 0,
				cap_ranges = 0;
	cand_list	cands = {0};
	ff_code		code = FF_OK;

	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		const parsed_entry *e = g->entry;
		const ff_epoch_manifest *em = e ? &e->u.epoch : NULL;

		if (g->kind != G_EPOCH)
			continue;
		if (!group_usable(g))
		{
			const char *key,
					   *msg;
			ff_code		bcode;
			bool		ok;

			group_failure(g, &key, &msg, &bcode);
			if (g->n_metas > 0)
			{
				const ff_meta_line *m0 = g->metas[0];

				warn(ctx, "%s: unusable epoch-ending manifest (%s); using its .meta", key, msg);
				ok = push_need(ctx, FF_GAP_EPOCHS, false, m0->first_epoch, m0->last_epoch, bcode, dup_key(key),
							   "epoch-ending manifest %s cannot be used (%s); its .meta says epochs %" PRIu64
							   "-%" PRIu64, key, msg, m0->first_epoch, m0->last_epoch);
				g->has_epochs = g->has_versions = true;
				g->first_epoch = m0->first_epoch;
				g->last_epoch = m0->last_epoch;
				g->first_version = m0->first_version;
				g->last_version = m0->last_version;
			}
			else if (em)
				ok = push_need(ctx, FF_GAP_EPOCHS, false, em->first_epoch, em->last_epoch, bcode, dup_key(key),
							   "epoch-ending manifest %s cannot be used: %s", key, msg);
			else
				ok = push_need(ctx, FF_GAP_EPOCHS, true, 0, 0, bcode, dup_key(key),
							   "epoch-ending manifest %s cannot be used: %s", key, msg);
			if (!ok)
				goto oom;
			for (size_t k = 0; k < g->n_metas; k++)
				if (!push_meta_entries(&ents, &n_ents, &cap_ents, g->metas[k], g->meta_keys[k]) ||
					!push_pair(&ranges, &n_ranges, &cap_ranges, g->metas[k]->first_epoch, g->metas[k]->last_epoch))
					goto oom;
			continue;
		}
		for (size_t w = 0; w < em->n_waypoints; w++)
			if (!push_entry(&ents, &n_ents, &cap_ents, em->first_epoch + w, em->waypoint_versions[w], 2,
							e->key, em->waypoint_hashes + 32 * w))
				goto oom;
		if (!push_pair(&ranges, &n_ranges, &cap_ranges, em->first_epoch, em->last_epoch))
			goto oom;
		for (size_t k = 0; k < g->n_metas; k++)
			if (!push_meta_entries(&ents, &n_ents, &cap_ents, g->metas[k], g->meta_keys[k]))
				goto oom;
		if (!epoch_manifest_chunks(ctx, e, &cands))
			goto oom;
		g->has_epochs = g->has_versions = true;
		g->first_epoch = em->first_epoch;
		g->last_epoch = em->last_epoch;
		g->first_version = em->waypoint_versions[0];
		g->last_version = em->waypoint_versions[em->n_waypoints - 1];
	}
	c->n_epoch_backups = count_unique_pairs(ranges, n_ranges);
	if ((code = index_from_entries(ctx, ents, n_ents)) != FF_OK)
		goto done;
	code = finish_epoch_chunks(ctx, &cands);
	goto done;

oom:
	code = nomem(ctx);
done:
	free(cands.v);
	free(ents);
	free(ranges);
	return code;
}

/* ---- transaction chunks --------------------------------------------------------------- */

/* The chunks of a usable transaction manifest: candidates, or needs when missing. */
static bool
tx_manifest_chunks(build_ctx *ctx, const parsed_entry *e, cand_list *cands)
{
	const ff_tx_manifest *m = &e->u.tx;

	for (size_t k = 0; k < m->n_chunks; k++)
	{
		const ff_tx_manifest_chunk *ch = &m->chunks[k];	/* they tile the manifest's range (meta.c) */
		const ff_object_info *info;

		info = resolve_handle(ctx->c, e->key, ch->transactions);
		if (info ? !push_cand(ctx->c, cands, ch->first_version, ch->last_version, info, e->key) :
			!push_need(ctx, FF_GAP_TRANSACTIONS, false, ch->first_version, ch->last_version,
					   FF_ERR_NOT_FOUND, missing_key(e->key, ch->transactions),
					   "transaction manifest %s names chunk file \"%s\" (versions %" PRIu64 "-%" PRIu64
					   "), which is missing", e->key, ch->transactions, ch->first_version, ch->last_version))
			return false;
	}
	return true;
}

/*
 * The chunk's range proof: <first>-<last>.proof beside its manifest (the name backup-cli
 * gives it and the manifest's "proof" handle holds), .gz variants included; proof_key stays
 * NULL when there is none. False when out of memory.
 */
static bool
tx_chunk_proof(const ff_catalog *c, ff_tx_chunk *t)
{
	char		name[64];
	const ff_object_info *info;

	snprintf(name, sizeof(name), "%" PRIu64 "-%" PRIu64 ".proof", t->first_version, t->last_version);
	info = resolve_handle(c, t->manifest_key, name);
	t->proof_key = NULL;
	if (!info)
		return true;
	t->proof_key = strdup(info->key);
	return t->proof_key != NULL;
}

static ff_code
build_tx(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;
	cand_list	cands = {0};
	u64_pair   *ranges = NULL;
	size_t		n_ranges = 0,
				cap_ranges = 0;
	ff_range_set covered;
	ff_code		code = FF_OK;

	ff_range_set_init_empty(&covered);
	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		const parsed_entry *e = g->entry;
		const ff_tx_manifest *m;

		if (g->kind != G_TX)
			continue;
		if (!group_usable(g))
		{
			const char *key,
					   *msg;
			ff_code		bcode;
			bool		ok;

			group_failure(g, &key, &msg, &bcode);

			if (g->n_metas == 0)
				ok = push_need(ctx, FF_GAP_TRANSACTIONS, true, 0, 0, bcode, dup_key(key),
							   "transaction manifest %s cannot be used: %s", key, msg);
			else
			{
				/* its .meta says which versions it held */
				g->has_versions = true;
				g->first_version = g->metas[0]->first_version;
				g->last_version = g->metas[0]->last_version;
				ok = push_need(ctx, FF_GAP_TRANSACTIONS, false, g->first_version, g->last_version, bcode,
							   dup_key(key), "transaction manifest %s cannot be used (%s); its .meta says "
							   "versions %" PRIu64 "-%" PRIu64, key, msg, g->first_version, g->last_version);
			}
			if (!ok)
				goto oom;
			continue;
		}

		m = &e->u.tx;
		g->has_versions = true;
		g->first_version = m->first_version;
		g->last_version = m->last_version;
		if (!push_pair(&ranges, &n_ranges, &cap_ranges, m->first_version, m->last_version))
			goto oom;
		for (size_t k = 0; k < g->n_metas; k++)
			if (g->metas[k]->first_version != m->first_version || g->metas[k]->last_version != m->last_version)
				warn(ctx, "%s: says versions %" PRIu64 "-%" PRIu64 ", its manifest %s says %" PRIu64 "-%" PRIu64,
					 g->meta_keys[k], g->metas[k]->first_version, g->metas[k]->last_version, e->key,
					 m->first_version, m->last_version);
		if (!tx_manifest_chunks(ctx, e, &cands))
			goto oom;
	}
	c->n_tx_backups = count_unique_pairs(ranges, n_ranges);

	for (size_t i = 0; i < cands.n; i++)
	{
		ff_catalog_object *o = mark_chunk(ctx, cands.v[i].index, FF_OBJ_TRANSACTION);

		if (o)
		{
			object_versions(o, cands.v[i].first, cands.v[i].last);
			object_epochs_of_versions(c, o);
		}
	}
	if (!dedupe_cands(ctx, &cands, &covered, "versions"))
		goto oom;
	if (cands.n && !(c->tx_chunks = calloc(cands.n, sizeof(*c->tx_chunks))))
		goto oom;
	for (size_t i = 0; i < cands.n; i++)
	{
		ff_tx_chunk *t = &c->tx_chunks[c->n_tx_chunks++];

		if (!cand_out(&cands.v[i], &t->first_version, &t->last_version, &t->emit_from, &t->size, &t->key,
					  &t->manifest_key))
			goto oom;
		if (!tx_chunk_proof(c, t))
			goto oom;
	}
	code = resolve_needs(ctx, &covered, "versions");
	goto done;

oom:
	code = nomem(ctx);
done:
	free(cands.v);
	free(ranges);
	ff_range_set_free(&covered);
	return code;
}

/* ---- state snapshots ------------------------------------------------------------------ */

typedef struct snap_cand
{
	ff_state_snapshot s;		/* chunks owned until moved into the catalog */
	bool		complete;		/* every chunk file present */
	const uint8_t *root_hash;
} snap_cand;

static int
cmp_state_chunk(const void *pa, const void *pb)
{
	const ff_state_chunk *a = pa,
			   *b = pb;

	if (a->first_idx != b->first_idx)
		return a->first_idx < b->first_idx ? -1 : 1;
	return a->last_idx < b->last_idx ? -1 : a->last_idx > b->last_idx;
}

static int
cmp_snap(const void *pa, const void *pb)
{
	const snap_cand *a = pa,
			   *b = pb;

	if (a->s.version != b->s.version)
		return a->s.version < b->s.version ? -1 : 1;
	if (a->complete != b->complete)
		return a->complete ? -1 : 1;
	return strcmp(a->s.manifest_key, b->s.manifest_key);
}

static void
free_snapshot(ff_state_snapshot *s)
{
	for (size_t i = 0; i < s->n_chunks; i++)
		free(s->chunks[i].key);
	free(s->chunks);
	free(s->manifest_key);
	memset(s, 0, sizeof(*s));
}

/*
 * A snapshot's epoch from the sources that state one (manifest, .meta lines, folder name,
 * in that order of trust): the first wins, a disagreeing one is a warning.
 */
static void
snapshot_epoch(build_ctx *ctx, const mgroup *g, const ff_state_manifest *m, const char *manifest_key,
			   bool name_has, uint64_t name_epoch, bool *has, uint64_t *epoch)
{
	const char *from = NULL;

	*has = false;
	if (m->has_epoch)
	{
		*has = true;
		*epoch = m->epoch;
		from = "its manifest";
	}
	for (size_t k = 0; k <= g->n_metas; k++)
	{
		bool		h = k < g->n_metas ? g->metas[k]->has_epoch : name_has;
		uint64_t	ep = k < g->n_metas ? g->metas[k]->epoch : name_epoch;
		const char *src = k < g->n_metas ? g->meta_keys[k] : "its folder name";

		if (!h)
			continue;
		if (!*has)
		{
			*has = true;
			*epoch = ep;
			from = src;
		}
		else if (ep != *epoch)
			warn(ctx, "%s: %s says epoch %" PRIu64 ", %s says %" PRIu64 "; using %" PRIu64, manifest_key,
				 src, ep, from, *epoch, *epoch);
	}
}

/*
 * One state group: a candidate snapshot in *out (*usable true), or needs only. False when
 * out of memory.
 */
static bool
state_group(build_ctx *ctx, mgroup *g, snap_cand *out, bool *usable)
{
	ff_catalog *c = ctx->c;
	const parsed_entry *e = g->entry;
	const ff_state_manifest *m;
	bool		name_has_v,
				name_has_e;
	uint64_t	name_v = 0,
				name_e = 0;

	*usable = false;
	memset(out, 0, sizeof(*out));
	state_folder_name(g->keys[0], &name_has_v, &name_v, &name_has_e, &name_e);
	if (!group_usable(g))
	{
		const char *key,
				   *msg;
		ff_code		bcode;
		bool		known = g->n_metas > 0 || name_has_v;
		uint64_t	v = g->n_metas > 0 ? g->metas[0]->version : name_v;

		group_failure(g, &key, &msg, &bcode);
		if (known)
		{
			g->has_versions = true;
			g->first_version = g->last_version = v;
			snapshot_epoch(ctx, g, &(ff_state_manifest) {0}, key, name_has_e, name_e, &g->has_epochs, &g->first_epoch);
			g->last_epoch = g->first_epoch;
		}
		return push_need(ctx, FF_GAP_STATE, !known, v, v, bcode, dup_key(key),
						 "state manifest %s cannot be used: %s", key, msg);
	}

	m = &e->u.state;
	out->s.version = m->version;
	out->root_hash = m->root_hash;
	out->complete = true;
	for (size_t k = 0; k < g->n_metas; k++)
		if (g->metas[k]->version != m->version)
			warn(ctx, "%s: says version %" PRIu64 ", its manifest %s says %" PRIu64 "; using the manifest",
				 g->meta_keys[k], g->metas[k]->version, e->key, m->version);
	if (name_has_v && name_v != m->version)
		warn(ctx, "%s: its folder name says version %" PRIu64 ", the manifest %" PRIu64 "; using the manifest",
			 e->key, name_v, m->version);
	snapshot_epoch(ctx, g, m, e->key, name_has_e, name_e, &out->s.has_epoch, &out->s.epoch);
	if (!out->s.has_epoch)
		out->s.has_epoch = epoch_ending_at(c, m->version, &out->s.epoch);
	g->has_versions = true;
	g->first_version = g->last_version = m->version;
	g->has_epochs = out->s.has_epoch;
	g->first_epoch = g->last_epoch = out->s.epoch;

	if (!(out->s.manifest_key = strdup(e->key)) ||
		(m->n_chunks && !(out->s.chunks = calloc(m->n_chunks, sizeof(*out->s.chunks)))))
		return false;
	for (size_t k = 0; k < m->n_chunks; k++)
	{
		const ff_state_manifest_chunk *ch = &m->chunks[k];
		const ff_object_info *info = resolve_handle(c, e->key, ch->blobs);
		ff_state_chunk *sc = &out->s.chunks[out->s.n_chunks];
		ff_catalog_object *o;

		if (!info)
		{
			out->complete = false;
			if (!push_need(ctx, FF_GAP_STATE, false, m->version, m->version, FF_ERR_NOT_FOUND,
						   missing_key(e->key, ch->blobs), "state manifest %s names chunk file \"%s\" (records %"
						   PRIu64 "-%" PRIu64 "), which is missing", e->key, ch->blobs, ch->first_idx,
						   ch->last_idx))
				return false;
			continue;
		}
		sc->first_idx = ch->first_idx;
		sc->last_idx = ch->last_idx;
		sc->size = info->size;
		if (!(sc->key = strdup(info->key)))
			return false;
		out->s.n_chunks++;
		if ((o = mark_chunk(ctx, (size_t) (info - c->listing.items), FF_OBJ_STATE_SNAPSHOT)) != NULL)
		{
			object_versions(o, m->version, m->version);
			if (out->s.has_epoch)
				object_epochs(o, out->s.epoch, out->s.epoch);
		}
	}
	if (out->s.n_chunks > 1)
		qsort(out->s.chunks, out->s.n_chunks, sizeof(*out->s.chunks), cmp_state_chunk);
	*usable = true;
	return true;
}

static ff_code
build_state(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;
	snap_cand  *cands = NULL;
	size_t		n_cands = 0;
	ff_range_set covered;
	ff_code		code = FF_OK;
	size_t		n_groups = 0;

	for (size_t gi = 0; gi < ctx->n_groups; gi++)
		n_groups += ctx->groups[gi].kind == G_STATE;
	ff_range_set_init_empty(&covered);
	if (n_groups == 0)
		return FF_OK;
	if (!(cands = calloc(n_groups, sizeof(*cands))))
		return nomem(ctx);
	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		bool		usable;

		if (g->kind != G_STATE)
			continue;
		if (!state_group(ctx, g, &cands[n_cands], &usable))
		{
			free_snapshot(&cands[n_cands].s);
			goto oom;
		}
		if (usable)
			n_cands++;
	}

	/* one snapshot per version: a complete copy first, then the first by manifest key */
	if (n_cands > 1)
		qsort(cands, n_cands, sizeof(*cands), cmp_snap);
	if (n_cands && !(c->snapshots = calloc(n_cands, sizeof(*c->snapshots))))
		goto oom;
	for (size_t i = 0; i < n_cands; i++)
	{
		snap_cand  *sc = &cands[i];
		ff_state_snapshot *kept = c->n_snapshots ? &c->snapshots[c->n_snapshots - 1] : NULL;

		if (kept && kept->version == sc->s.version)
		{
			const snap_cand *first = sc;

			while (first > cands && first[-1].s.version == sc->s.version)
				first--;
			if (memcmp(first->root_hash, sc->root_hash, 32) != 0)
				warn(ctx, "%s: snapshot at version %" PRIu64 " has another root hash than %s; using the latter",
					 sc->s.manifest_key, sc->s.version, kept->manifest_key);
			free_snapshot(&sc->s);
			continue;
		}
		c->snapshots[c->n_snapshots++] = sc->s;
		memset(&sc->s, 0, sizeof(sc->s));
		if (sc->complete && !ff_range_set_add(&covered, c->snapshots[c->n_snapshots - 1].version,
											  c->snapshots[c->n_snapshots - 1].version))
			goto oom;
	}
	code = resolve_needs(ctx, &covered, "snapshot versions");
	goto done;

oom:
	code = nomem(ctx);
done:
	for (size_t i = 0; i < n_cands; i++)
		free_snapshot(&cands[i].s);
	free(cands);
	ff_range_set_free(&covered);
	return code;
}

/* ---- reading the manifests ------------------------------------------------------------ */

/* Order of range_refs: storage root, kind, range, group. */
static int
cmp_range_ref(const void *pa, const void *pb)
{
	const range_ref *a = pa,
			   *b = pb;
	int			c = cmp_dir(a->key, a->bsr_len, b->key, b->bsr_len);

	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->group < b->group ? -1 : a->group > b->group;
}

/*
 * Parse every group's manifest (plain copy first) and judge whether it can be used; index
 * the usable ones by storage root, kind and range.
 */
static ff_code
read_manifests(build_ctx *ctx)
{
	static const pc_kind pc_of[] = {PC_TX_MANIFEST, PC_EPOCH_MANIFEST, PC_STATE_MANIFEST};

	if (ctx->n_groups && !(ctx->ranges = malloc(ctx->n_groups * sizeof(*ctx->ranges))))
		return nomem(ctx);
	if (ctx->n_groups)
	{
		const char **keys = malloc(ctx->n_groups * sizeof(*keys));
		ff_code		code;

		if (!keys)
			return nomem(ctx);
		for (size_t gi = 0; gi < ctx->n_groups; gi++)
			keys[gi] = ctx->groups[gi].keys[0];
		code = preload_small(ctx, keys, ctx->n_groups);
		free(keys);
		if (code != FF_OK)
			return code;
	}
	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		range_ref  *r = &ctx->ranges[ctx->n_ranges];
		const char *problem = NULL;
		char		why[256];
		bool		fatal;

		/* the storage root holds the backup folder: up to the '/' before the folder name */
		g->bsr_len = dir_len(g->keys[0]);
		while (g->bsr_len > 0 && g->keys[0][g->bsr_len - 1] != '/')
			g->bsr_len--;
		g->entry = group_manifest(ctx, g, pc_of[g->kind], &fatal, &g->bad);
		if (fatal)
			return ctx->st->code;
		if (!g->entry)
			continue;
		r->key = g->keys[0];
		r->bsr_len = g->bsr_len;
		r->kind = g->kind;
		r->group = gi;
		switch (g->kind)
		{
			case G_TX:
				r->a = g->entry->u.tx.first_version;
				r->b = g->entry->u.tx.last_version;
				break;
			case G_EPOCH:
				problem = epoch_manifest_problem(&g->entry->u.epoch, why, sizeof(why));
				r->a = g->entry->u.epoch.first_epoch;
				r->b = g->entry->u.epoch.last_epoch;
				break;
			case G_STATE:
				r->a = r->b = g->entry->u.state.version;
				break;
		}
		if (problem && !(g->problem = strdup(problem)))
			return nomem(ctx);
		if (!problem)
			ctx->n_ranges++;
	}
	if (ctx->n_ranges > 1)
		qsort(ctx->ranges, ctx->n_ranges, sizeof(*ctx->ranges), cmp_range_ref);
	return FF_OK;
}

/*
 * 1 + the group of the usable manifest that a .meta's file name describes
 * ("epoch_ending_<fe>-<le>.meta", "transaction_<fv>-<lv>.meta", "state_snapshot_ver_<V>.meta"),
 * in the same storage root; 0 when none.
 */
static size_t
meta_names_usable_manifest(const build_ctx *ctx, const char *meta_key)
{
	const char *p = ff_key_base(meta_key);
	range_ref	want;
	size_t		lo = 0,
				hi = ctx->n_ranges;

	memset(&want, 0, sizeof(want));
	if (strncmp(p, "epoch_ending_", 13) == 0)
	{
		want.kind = G_EPOCH;
		p += 13;
	}
	else if (strncmp(p, "transaction_", 12) == 0)
	{
		want.kind = G_TX;
		p += 12;
	}
	else if (strncmp(p, "state_snapshot_ver_", 19) == 0)
	{
		want.kind = G_STATE;
		p += 19;
	}
	else
		return 0;
	if (!parse_digits(&p, &want.a))
		return 0;
	want.b = want.a;
	if (want.kind != G_STATE && (*p++ != '-' || !parse_digits(&p, &want.b)))
		return 0;
	if (strcmp(p, ".meta") != 0 && strcmp(p, ".meta.gz") != 0)
		return 0;
	want.key = meta_key;
	want.bsr_len = dir_len(meta_key) - 8;	/* "<root>metadata/<name>" */
	want.group = 0;				/* before every group of an equal range: find the first */
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (cmp_range_ref(&ctx->ranges[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->n_ranges)
	{
		const range_ref *r = &ctx->ranges[lo];

		if (cmp_dir(r->key, r->bsr_len, want.key, want.bsr_len) == 0 && r->kind == want.kind &&
			r->a == want.a && r->b == want.b)
			return r->group + 1;
	}
	return 0;
}

/* ---- the objects list ------------------------------------------------------------------ */

/* A backup folder: a manifest's directory, and the group of the first manifest found there. */
typedef struct dir_ref
{
	const char *key;			/* a manifest key starting with the directory */
	size_t		len;			/* directory length */
	size_t		group;
	const char *str;			/* the directory as a string, in c->backup_keys */
} dir_ref;

static int
cmp_dir_ref(const void *pa, const void *pb)
{
	const dir_ref *a = pa,
			   *b = pb;
	int			c = cmp_dir(a->key, a->len, b->key, b->len);

	return c ? c : (a->group < b->group ? -1 : a->group > b->group);
}

static const dir_ref *
find_dir(const dir_ref *dirs, size_t n, const char *key, size_t len)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = cmp_dir(dirs[mid].key, dirs[mid].len, key, len);

		if (c == 0)
			return &dirs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The ranges a .meta states, when it holds exactly one backup line. */
static void
meta_object_ranges(const ff_catalog *c, const parsed_entry *e, ff_catalog_object *o)
{
	const ff_meta_line *line = NULL;
	uint64_t	epoch;

	for (size_t j = 0; j < e->u.meta.n_lines; j++)
	{
		const ff_meta_line *l = &e->u.meta.lines[j];

		if (l->kind != FF_META_EPOCH_ENDING && l->kind != FF_META_TRANSACTION &&
			l->kind != FF_META_STATE_SNAPSHOT)
			continue;
		if (line)
			return;				/* more than one */
		line = l;
	}
	if (!line)
		return;
	switch (line->kind)
	{
		case FF_META_EPOCH_ENDING:
			if (line->first_epoch <= line->last_epoch && line->first_version <= line->last_version)
			{
				object_epochs(o, line->first_epoch, line->last_epoch);
				object_versions(o, line->first_version, line->last_version);
			}
			break;
		case FF_META_TRANSACTION:
			if (line->first_version <= line->last_version)
			{
				object_versions(o, line->first_version, line->last_version);
				object_epochs_of_versions(c, o);
			}
			break;
		default:
			object_versions(o, line->version, line->version);
			if (line->has_epoch)
				object_epochs(o, line->epoch, line->epoch);
			else if (epoch_ending_at(c, line->version, &epoch))
				object_epochs(o, epoch, epoch);
			break;
	}
}

/* A file of a backup folder (not a chunk): the backup's ranges. */
static void
group_object_ranges(const ff_catalog *c, const mgroup *g, ff_catalog_object *o)
{
	if (g->has_versions)
		object_versions(o, g->first_version, g->last_version);
	if (g->has_epochs)
		object_epochs(o, g->first_epoch, g->last_epoch);
	else if (g->kind == G_TX)
		object_epochs_of_versions(c, o);
}

/* Classify every listing entry (chunks were marked while building). */
static ff_code
build_objects(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;
	dir_ref    *dirs = NULL;
	size_t		n_dirs = 0,
				total = 0,
				prev_dl = 0;
	const dir_ref *d = NULL;
	char	   *p;

	if (ctx->n_groups)
	{
		if (!(dirs = malloc(ctx->n_groups * sizeof(*dirs))))
			return nomem(ctx);
		for (size_t gi = 0; gi < ctx->n_groups; gi++)
		{
			dirs[gi].key = ctx->groups[gi].keys[0];
			dirs[gi].len = dir_len(dirs[gi].key);
			dirs[gi].group = gi;
		}
		qsort(dirs, ctx->n_groups, sizeof(*dirs), cmp_dir_ref);
		for (size_t i = 0; i < ctx->n_groups; i++)
			if (n_dirs == 0 || cmp_dir(dirs[n_dirs - 1].key, dirs[n_dirs - 1].len, dirs[i].key, dirs[i].len) != 0)
			{
				dirs[n_dirs++] = dirs[i];
				total += dirs[i].len + 1;
			}
		if (!(c->backup_keys = malloc(total)))
		{
			free(dirs);
			return nomem(ctx);
		}
		p = c->backup_keys;
		for (size_t i = 0; i < n_dirs; i++)
		{
			memcpy(p, dirs[i].key, dirs[i].len);
			p[dirs[i].len] = '\0';
			dirs[i].str = p;
			p += dirs[i].len + 1;
		}
	}

	for (size_t i = 0; i < c->listing.n; i++)
	{
		const ff_object_info *info = &c->listing.items[i];
		ff_catalog_object *o = &c->objects[i];
		const parsed_entry *e = ctx->obj_entry[i];
		size_t		dl = dir_len(info->key);
		const char *base = info->key + (dl ? dl + 1 : 0);
		uint64_t	epoch;

		/* files of one folder are mostly next to each other in the listing */
		if (!(i > 0 && dl == prev_dl && memcmp(info->key, c->listing.items[i - 1].key, dl) == 0 &&
			  c->listing.items[i - 1].key[dl] == '/'))
			d = find_dir(dirs, n_dirs, info->key, dl);
		prev_dl = dl;

		o->key = info->key;
		o->size = info->size;
		o->compression = e ? e->compression : -1;
		o->backup = d ? d->str : NULL;
		if (ctx->obj_marked[i])
			continue;			/* a chunk: kind and own ranges set */
		if (is_meta_key(info->key))
		{
			o->kind = FF_OBJ_METADATA;
			if (e && e->code == FF_OK)
				meta_object_ranges(c, e, o);
			else if (ctx->meta_group[i])
				group_object_ranges(c, &ctx->groups[ctx->meta_group[i] - 1], o);
			continue;
		}
		if (ff_catalog_bundle_epoch(info->key, &epoch))
		{
			o->kind = FF_OBJ_BUNDLE;
			object_epochs(o, epoch, epoch);
			continue;
		}
		if (ff_catalog_is_rescue_key(info->key))
		{
			uint64_t	first,
						last;

			o->kind = FF_OBJ_JSON_RESCUE;
			if (rescue_range(info->key, &first, &last))
			{
				object_versions(o, first, last);
				object_epochs_of_versions(c, o);
			}
			continue;
		}
		if (ff_key_ends_with(base, ".manifest") || ff_key_ends_with(base, ".manifest.gz"))
			o->kind = FF_OBJ_MANIFEST;
		else if (ff_key_ends_with(base, ".proof") || ff_key_ends_with(base, ".proof.gz"))
			o->kind = FF_OBJ_PROOF;
		else
			o->kind = FF_OBJ_OTHER;
		if (d)
			group_object_ranges(c, &ctx->groups[d->group], o);
	}
	free(dirs);
	return FF_OK;
}

/* ---- build / free --------------------------------------------------------------------- */

static int
cmp_gap(const void *pa, const void *pb)
{
	const ff_gap *a = pa,
			   *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	return strcmp(a->object, b->object);
}

ff_code
ff_catalog_build(ff_source *src, const ff_catalog *previous, ff_catalog **out, ff_status *st)
{
	ff_catalog_options opts = {.bundles = FF_BUNDLES_AUTO, .era = FF_ERA_UNKNOWN, .bundle_max_epoch = UINT64_MAX};

	return ff_catalog_build_ex(src, previous, &opts, out, st);
}

static int
cmp_rescue(const void *pa, const void *pb)
{
	const ff_rescue_file *a = pa,
			   *b = pb;

	if (a->has_range != b->has_range)
		return a->has_range ? -1 : 1;
	if (a->has_range && a->first_version != b->first_version)
		return a->first_version < b->first_version ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* The versions of a JSON rescue dump named "<first>-<last>.json[.gz]". */
static bool
rescue_range(const char *key, uint64_t *first, uint64_t *last)
{
	char		base[CAT_MAX_KEY];

	snprintf(base, sizeof(base), "%s", ff_key_base(key));
	if (ff_key_ends_with(base, ".gz"))
		base[strlen(base) - 3] = '\0';
	return ff_rescue_name_range(base, first, last) && !(*first == 0 && *last == UINT64_MAX);
}

/* The JSON rescue dumps of the listing. */
static ff_code
find_rescue_files(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;

	for (size_t i = 0; i < c->listing.n; i++)
	{
		const ff_object_info *info = &c->listing.items[i];
		ff_rescue_file *f;

		if (!ff_catalog_is_rescue_key(info->key))
			continue;
		if (!(c->n_rescue_files & (c->n_rescue_files + 1)) || c->n_rescue_files == 0)
		{
			ff_rescue_file *grown = realloc(c->rescue_files, (2 * c->n_rescue_files + 1) * sizeof(*grown));

			if (!grown)
				return nomem(ctx);
			c->rescue_files = grown;
		}
		f = &c->rescue_files[c->n_rescue_files++];
		f->key = info->key;
		f->size = info->size;
		f->has_range = rescue_range(info->key, &f->first_version, &f->last_version);
	}
	if (c->n_rescue_files > 1)
		qsort(c->rescue_files, c->n_rescue_files, sizeof(*c->rescue_files), cmp_rescue);
	return FF_OK;
}

/*
 * A bundle that could not be read may hold any epoch from its own on, and any version:
 * scans that reach it fail, with the reason.
 */
static ff_code
add_bundle_gaps(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;

	for (size_t i = 0; i < c->n_bundles; i++)
	{
		const ff_catalog_bundle *b = &c->bundles[i];

		if (b->state != FF_BUNDLE_FAILED)
			continue;
		for (int k = 0; k < 3; k++)
		{
			ff_gap	   *g;
			ff_gap	   *grown = realloc(c->gaps, (c->n_gaps + 1) * sizeof(*c->gaps));

			if (!grown)
				return nomem(ctx);
			c->gaps = grown;
			g = &c->gaps[c->n_gaps];
			memset(g, 0, sizeof(*g));
			g->kind = k == 0 ? FF_GAP_EPOCHS : k == 1 ? FF_GAP_TRANSACTIONS : FF_GAP_STATE;
			g->first = (k == 0 && b->has_epoch) ? b->epoch : 0;
			g->last = UINT64_MAX;
			g->code = b->failure_code ? b->failure_code : FF_ERR_CORRUPT;
			g->object = strdup(b->key);
			g->message = strdup(b->failure ? b->failure : "the bundle cannot be read");
			if (!g->object || !g->message)
			{
				free(g->object);
				free(g->message);
				return nomem(ctx);
			}
			c->n_gaps++;
		}
	}
	return FF_OK;
}

bool
ff_catalog_bundles_pending(const ff_catalog *c, uint64_t max_epoch)
{
	for (size_t i = 0; i < c->n_bundles; i++)
		if (c->bundles[i].state == FF_BUNDLE_PENDING &&
			(!c->bundles[i].has_epoch || c->bundles[i].epoch <= max_epoch))
			return true;
	return false;
}

ff_code
ff_catalog_build_ex(ff_source *src, const ff_catalog *previous, const ff_catalog_options *opts,
					ff_catalog **out, ff_status *st)
{
	build_ctx	ctx;
	ff_catalog *c;
	ff_code		code;

	*out = NULL;
	ff_status_clear(st);
	memset(&ctx, 0, sizeof(ctx));
	c = calloc(1, sizeof(*c));
	if (!c)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory building the archive catalog");
	ctx.src = src;
	ctx.c = c;
	ctx.st = st;
	ctx.max_small = opts->max_manifest_size ? opts->max_manifest_size : FF_CATALOG_MAX_SMALL_OBJECT;
	ctx.prev = previous ? (const parsed_cache *) previous->parsed_cache : NULL;
	ctx.cache = calloc(1, sizeof(parsed_cache));
	c->parsed_cache = ctx.cache;
	if (!ctx.cache)
	{
		code = nomem(&ctx);
		goto fail;
	}

	code = ff_catalog_list_with_bundles(src, opts, &c->listing, &c->bundles, &c->n_bundles, st);
	if (code != FF_OK)
		goto fail;
	if ((code = find_rescue_files(&ctx)) != FF_OK)
		goto fail;
	if (c->listing.n)
	{
		c->objects = calloc(c->listing.n, sizeof(*c->objects));
		ctx.obj_entry = calloc(c->listing.n, sizeof(*ctx.obj_entry));
		ctx.obj_marked = calloc(c->listing.n, sizeof(*ctx.obj_marked));
		ctx.meta_group = calloc(c->listing.n, sizeof(*ctx.meta_group));
		if (!c->objects || !ctx.obj_entry || !ctx.obj_marked || !ctx.meta_group)
		{
			code = nomem(&ctx);
			goto fail;
		}
		c->n_objects = c->listing.n;
	}

	/* manifests first (so .meta lines can be attached to them), in listing order */
	for (size_t i = 0; i < c->listing.n; i++)
	{
		const char *key = c->listing.items[i].key;
		const char *base = ff_key_base(key);

		if (strcmp(base, "transaction.manifest") == 0 || strcmp(base, "transaction.manifest.gz") == 0)
			code = add_manifest(&ctx, key, G_TX);
		else if (strcmp(base, "epoch_ending.manifest") == 0 || strcmp(base, "epoch_ending.manifest.gz") == 0)
			code = add_manifest(&ctx, key, G_EPOCH);
		else if (strcmp(base, "state.manifest") == 0 || strcmp(base, "state.manifest.gz") == 0)
			code = add_manifest(&ctx, key, G_STATE);
		if (code != FF_OK)
			goto fail;
	}
	if ((code = read_manifests(&ctx)) != FF_OK ||
		(code = scan_metas(&ctx)) != FF_OK ||
		(code = build_epochs(&ctx)) != FF_OK ||
		(code = build_tx(&ctx)) != FF_OK ||
		(code = build_state(&ctx)) != FF_OK ||
		(code = ff_catalog_detect_era(c, previous, src, opts, st)) != FF_OK ||
		(code = add_bundle_gaps(&ctx)) != FF_OK ||
		(code = build_objects(&ctx)) != FF_OK)
		goto fail;
	if (c->n_gaps > 1)
		qsort(c->gaps, c->n_gaps, sizeof(*c->gaps), cmp_gap);
	if (ctx.dropped_warnings)
	{
		size_t		dropped = ctx.dropped_warnings;

		ctx.dropped_warnings = 0;
		c->n_warnings--;		/* make room for the summary line */
		free(c->warnings[c->n_warnings]);
		warn(&ctx, "... and %zu more warnings", dropped + 1);
	}
	if (ctx.oom)
	{
		code = nomem(&ctx);
		goto fail;
	}
	if (ctx.cache->n > 1)
		qsort(ctx.cache->items, ctx.cache->n, sizeof(*ctx.cache->items), cmp_entry);
	code = FF_OK;
	*out = c;
	goto done;

fail:
	ff_catalog_free(c);
done:
	{
		ff_status	ignored;

		ff_status_clear(&ignored);
		(void) ff_source_preload(src, NULL, 0, &ignored);	/* drop what was not read */
	}
	for (size_t i = 0; i < ctx.n_groups; i++)
	{
		free(ctx.groups[i].metas);
		free(ctx.groups[i].meta_keys);
		free(ctx.groups[i].problem);
	}
	free_needs(&ctx);
	free(ctx.needs);
	free(ctx.groups);
	free(ctx.refs);
	free(ctx.obj_entry);
	free(ctx.obj_marked);
	free(ctx.meta_group);
	free(ctx.ranges);
	return code;
}

void
ff_catalog_free(ff_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_tx_chunks; i++)
	{
		free(c->tx_chunks[i].key);
		free(c->tx_chunks[i].manifest_key);
		free(c->tx_chunks[i].proof_key);
	}
	free(c->tx_chunks);
	for (size_t i = 0; i < c->n_epoch_chunks; i++)
	{
		free(c->epoch_chunks[i].key);
		free(c->epoch_chunks[i].manifest_key);
	}
	free(c->epoch_chunks);
	for (size_t i = 0; i < c->n_snapshots; i++)
		free_snapshot(&c->snapshots[i]);
	free(c->snapshots);
	for (size_t i = 0; i < c->n_gaps; i++)
	{
		free(c->gaps[i].object);
		free(c->gaps[i].message);
	}
	free(c->gaps);
	free(c->objects);
	free(c->backup_keys);
	free(c->epochs);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	for (size_t i = 0; i < c->n_bundles; i++)
		free(c->bundles[i].failure);
	free(c->bundles);
	free(c->rescue_files);
	free(c->era_evidence);
	free(c->era_conflict);
	free(c->era_probes[0].key);
	free(c->era_probes[1].key);
	cache_free(c->parsed_cache);
	ff_listing_free(&c->listing);
	free(c);
}

/* ---- epoch / version algebra ---------------------------------------------------------- */

/* Index of the first entry with epoch >= e (n if none). */
static size_t
first_epoch_at_or_after(const ff_catalog *c, uint64_t e)
{
	size_t		lo = 0,
				hi = c->n_epochs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (c->epochs[mid].epoch >= e)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Index of the first entry with end version >= v (n if none). */
static size_t
first_end_at_or_after(const ff_catalog *c, uint64_t v)
{
	size_t		lo = 0,
				hi = c->n_epochs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (c->epochs[mid].version >= v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void
ff_catalog_epochs_to_versions(const ff_catalog *c, uint64_t e_lo, uint64_t e_hi,
							  uint64_t *v_lo, uint64_t *v_hi)
{
	size_t		i;

	if (e_lo > e_hi)
	{
		*v_lo = UINT64_MAX;		/* empty */
		*v_hi = 0;
		return;
	}
	/* lo = end(e_lo - 1) + 1, or after the nearest known earlier epoch (epoch 0 ends at 0) */
	if (e_lo == 0)
		*v_lo = 0;
	else
	{
		i = first_epoch_at_or_after(c, e_lo);
		*v_lo = i > 0 ? c->epochs[i - 1].version + 1 : 1;
	}
	/* hi = end(e_hi), or the end of the nearest known later epoch, or open */
	if (e_hi == 0)
		*v_hi = 0;
	else
	{
		i = first_epoch_at_or_after(c, e_hi);
		*v_hi = i < c->n_epochs ? c->epochs[i].version : UINT64_MAX;
	}
}

bool
ff_catalog_epoch_set_to_versions(const ff_catalog *c, const ff_range_set *epochs,
								 ff_range_set *versions)
{
	for (size_t i = 0; i < epochs->n; i++)
	{
		uint64_t	lo,
					hi;

		ff_catalog_epochs_to_versions(c, epochs->r[i].lo, epochs->r[i].hi, &lo, &hi);
		if (!ff_range_set_add(versions, lo, hi))
			return false;
	}
	return true;
}

bool
ff_catalog_epoch_of(const ff_catalog *c, uint64_t version, uint64_t *epoch_lo, uint64_t *epoch_hi)
{
	size_t		i;

	if (version == 0)
	{
		*epoch_lo = *epoch_hi = 0;
		return true;
	}
	i = first_end_at_or_after(c, version);
	if (i < c->n_epochs && c->epochs[i].version == version)
	{
		*epoch_lo = *epoch_hi = c->epochs[i].epoch;
		return true;
	}
	*epoch_lo = i > 0 ? c->epochs[i - 1].epoch + 1 : 1;
	*epoch_hi = i < c->n_epochs ? c->epochs[i].epoch : UINT64_MAX;
	return *epoch_lo == *epoch_hi;
}

/* Keep entry i of a catalog array for the wanted ranges a (and b)? */
typedef bool (*keep_fn) (const ff_catalog *c, size_t i, const ff_range_set *a, const ff_range_set *b);

/* The indices in [0, n) that keep() accepts, ascending, as a malloc'ed array. */
static bool
prune_by(const ff_catalog *c, size_t n, keep_fn keep, const ff_range_set *a, const ff_range_set *b,
		 size_t **kept, size_t *n_kept)
{
	size_t	   *out = malloc((n ? n : 1) * sizeof(*out));
	size_t		k = 0;

	*kept = NULL;
	*n_kept = 0;
	if (!out)
		return false;
	for (size_t i = 0; i < n; i++)
		if (keep(c, i, a, b))
			out[k++] = i;
	*kept = out;
	*n_kept = k;
	return true;
}

static bool
keep_tx(const ff_catalog *c, size_t i, const ff_range_set *versions, const ff_range_set *unused)
{
	(void) unused;
	return ff_range_set_overlaps(versions, c->tx_chunks[i].emit_from, c->tx_chunks[i].last_version);
}

bool
ff_catalog_prune_tx(const ff_catalog *c, const ff_range_set *versions, size_t **kept, size_t *n_kept)
{
	return prune_by(c, c->n_tx_chunks, keep_tx, versions, NULL, kept, n_kept);
}

static bool
epoch_ending_at(const ff_catalog *c, uint64_t version, uint64_t *epoch)
{
	size_t		i = first_end_at_or_after(c, version);

	if (i < c->n_epochs && c->epochs[i].version == version)
	{
		*epoch = c->epochs[i].epoch;
		return true;
	}
	return false;
}

static bool
epoch_bracket(const ff_catalog *c, uint64_t version, uint64_t *lo, uint64_t *hi)
{
	size_t		i;

	if (version == 0)
	{
		*lo = *hi = 0;
		return true;
	}
	i = first_end_at_or_after(c, version);
	if (i >= c->n_epochs)
		return false;			/* open above */
	if (c->epochs[i].version == version)
	{
		*lo = *hi = c->epochs[i].epoch;
		return true;
	}
	if (i == 0)
		return false;			/* nothing known below */
	*lo = c->epochs[i - 1].epoch + 1;
	*hi = c->epochs[i].epoch;
	return true;
}

static bool
keep_epoch_chunk(const ff_catalog *c, size_t i, const ff_range_set *epochs, const ff_range_set *unused)
{
	(void) unused;
	return ff_range_set_overlaps(epochs, c->epoch_chunks[i].emit_from, c->epoch_chunks[i].last_epoch);
}

bool
ff_catalog_prune_epoch_chunks(const ff_catalog *c, const ff_range_set *epochs, size_t **kept, size_t *n_kept)
{
	return prune_by(c, c->n_epoch_chunks, keep_epoch_chunk, epochs, NULL, kept, n_kept);
}

static bool
keep_snapshot(const ff_catalog *c, size_t i, const ff_range_set *versions, const ff_range_set *epochs)
{
	const ff_state_snapshot *s = &c->snapshots[i];

	return ff_range_set_contains(versions, s->version) &&
		(!s->has_epoch || ff_range_set_contains(epochs, s->epoch));
}

bool
ff_catalog_prune_snapshots(const ff_catalog *c, const ff_range_set *versions, const ff_range_set *epochs,
						   size_t **kept, size_t *n_kept)
{
	return prune_by(c, c->n_snapshots, keep_snapshot, versions, epochs, kept, n_kept);
}

const ff_gap *
ff_catalog_find_gap(const ff_catalog *c, ff_gap_kind kind, const ff_range_set *wanted)
{
	for (size_t i = 0; i < c->n_gaps; i++)
		if (c->gaps[i].kind == kind && ff_range_set_overlaps(wanted, c->gaps[i].first, c->gaps[i].last))
			return &c->gaps[i];
	return NULL;
}

const ff_epoch_end *
ff_catalog_epoch_end(const ff_catalog *c, uint64_t epoch)
{
	size_t		i = first_epoch_at_or_after(c, epoch);

	return i < c->n_epochs && c->epochs[i].epoch == epoch ? &c->epochs[i] : NULL;
}

const char *
ff_object_kind_name(ff_object_kind k)
{
	switch (k)
	{
		case FF_OBJ_TRANSACTION:
			return "transaction";
		case FF_OBJ_EPOCH_ENDING:
			return "epoch_ending";
		case FF_OBJ_STATE_SNAPSHOT:
			return "state_snapshot";
		case FF_OBJ_MANIFEST:
			return "manifest";
		case FF_OBJ_METADATA:
			return "metadata";
		case FF_OBJ_PROOF:
			return "proof";
		case FF_OBJ_BUNDLE:
			return "bundle";
		case FF_OBJ_JSON_RESCUE:
			return "json_rescue";
		case FF_OBJ_OTHER:
			return "other";
	}
	return "other";
}
