/*
 * catalog.c — building the catalog of an archive location from its listing, .meta lines
 * and manifests (never chunk bodies): transaction chunks with their version ranges
 * (deduplicated so no version is emitted twice), the epoch -> end-version index, and the
 * epoch/version algebra used for pruning (LAYOUTS.md §5-§7).
 *
 * Rules, in short:
 *  - Backups are found by file name at any depth: ".../transaction.manifest[.gz]",
 *    ".../epoch_ending.manifest[.gz]" and ".../metadata/<anything>.meta". A plain and a .gz
 *    copy of a manifest in one directory are one backup (the plain one is read first).
 *  - Every small object is read through the gzip detector (magic bytes, never the name).
 *  - Manifest file handles are resolved by base name in the manifest's own directory,
 *    trying "base", "base.gz" and "base" minus ".gz". .meta manifest handles are relative to
 *    the storage root that holds the metadata/ folder.
 *  - An unreadable or empty .meta, or one whose manifest is missing, is a warning: manifests
 *    are discovered from the listing, so a .meta never is the only description of a backup.
 *  - A transaction chunk file that is missing, or a transaction manifest that cannot be
 *    parsed, is a warning only when other chunks cover all its versions; otherwise it is an
 *    error naming the manifest, because rows must never be lost silently.
 *  - Parsed small objects are cached by (key, size, mtime) and shared with the next build.
 */
#include "archive/catalog.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/meta.h"
#include "io/gzip.h"

#define CAT_MAX_WARNINGS	1000
#define CAT_CANCEL_EVERY	64
#define CAT_MAX_KEY			4096

/* ---- the parsed-object cache ---------------------------------------------------------- */

typedef enum pc_kind
{
	PC_META,
	PC_TX_MANIFEST,
	PC_EPOCH_MANIFEST
} pc_kind;

typedef struct parsed_entry
{
	char	   *key;
	uint64_t	size;
	int64_t		mtime;
	int			refs;			/* catalogs whose cache holds this entry */
	pc_kind		kind;
	ff_code		code;			/* FF_OK, or why the content cannot be used */
	char	   *error;			/* message when code != FF_OK */
	union
	{
		ff_meta_file meta;
		ff_tx_manifest tx;
		ff_epoch_manifest epoch;
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
	if (pc->n == pc->cap)
	{
		size_t		ncap = pc->cap ? pc->cap * 2 : 64;
		parsed_entry **p = realloc(pc->items, ncap * sizeof(*p));

		if (!p)
			return false;
		pc->items = p;
		pc->cap = ncap;
	}
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
	G_EPOCH
} group_kind;

/* One backup directory's manifest (plain and/or .gz copy) plus the .meta lines naming it. */
typedef struct mgroup
{
	group_kind	kind;
	const char *keys[2];		/* listing keys, plain first when both exist */
	int			n_keys;
	const ff_meta_line **metas; /* EpochEndingBackup / TransactionBackup lines naming it */
	const char **meta_keys;
	size_t		n_metas;
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
} epoch_entry;

typedef struct u64_pair
{
	uint64_t	a;
	uint64_t	b;
} u64_pair;

/* A version range that must be covered by present chunks, or the build fails. */
typedef struct coverage_need
{
	const char *manifest_key;
	uint64_t	first;
	uint64_t	last;
	ff_code		code;
	char	   *message;
} coverage_need;

typedef struct tx_cand
{
	uint64_t	first;
	uint64_t	last;
	const char *key;
	uint64_t	size;
	const char *manifest_key;
} tx_cand;

typedef struct build_ctx
{
	ff_source  *src;
	ff_catalog *c;
	const parsed_cache *prev;
	parsed_cache *cache;
	ff_status  *st;
	size_t		reads;
	bool		oom;
	size_t		dropped_warnings;

	mgroup	   *groups;
	size_t		n_groups;
	size_t		cap_groups;
	key_ref    *refs;			/* every manifest key -> its group, sorted by key */
	size_t		n_refs;
	size_t		cap_refs;
} build_ctx;

static void
warn(build_ctx *ctx, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
warn(build_ctx *ctx, const char *fmt,...)
{
	ff_catalog *c = ctx->c;
	va_list		ap;
	char	   *msg;
	int			n;

	if (c->n_warnings >= CAT_MAX_WARNINGS)
	{
		ctx->dropped_warnings++;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(msg = malloc((size_t) n + 1)))
	{
		ctx->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t) n + 1, fmt, ap);
	va_end(ap);
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

static const char *
base_name(const char *key)
{
	const char *slash = strrchr(key, '/');

	return slash ? slash + 1 : key;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t		ls = strlen(s),
				lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

/* Is key ".../metadata/<name>.meta" (or "metadata/<name>.meta")? */
static bool
is_meta_key(const char *key)
{
	size_t		dl = dir_len(key);
	const char *base = base_name(key);

	if (!ends_with(base, ".meta") || strlen(base) <= 5 || dl < 8)
		return false;
	if (memcmp(key + dl - 8, "metadata", 8) != 0)
		return false;
	return dl == 8 || key[dl - 9] == '/';
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
	if (nl > 3 && ends_with(name, ".gz"))
	{
		buf[prefix_len + nl - 3] = '\0';
		if ((info = ff_listing_find(l, buf)) != NULL)
			return info;
	}
	return NULL;
}

/* ---- reading small objects ------------------------------------------------------------ */

static bool
is_fatal(ff_code code)
{
	/* storage failures, cancel and OOM abort the build; bad content is a property of the
	 * object (cached, and judged by the caller) */
	return code == FF_ERR_IO || code == FF_ERR_NOMEM || code == FF_ERR_CANCELED ||
		code == FF_ERR_NOT_FOUND || code == FF_ERR_INVALID;
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
	ff_stream  *s = NULL;
	char	   *text = NULL;
	size_t		len = 0;
	ff_code		code;
	ff_status	pst;

	if (e && e->kind == kind && e->size == info->size && e->mtime == info->mtime)
	{
		if (!cache_add(ctx->cache, e))
		{
			nomem(ctx);
			return NULL;
		}
		e->refs++;
		return e;
	}

	if (++ctx->reads % CAT_CANCEL_EVERY == 0 && ctx->src->cancel && ctx->src->cancel())
	{
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

	ff_status_clear(&pst);
	code = ff_source_open(ctx->src, info->key, 0, &s, &pst);
	if (code == FF_OK)
	{
		s = ff_gzip_open(s, info->key, NULL, &pst);
		code = s ? ff_stream_read_all(s, FF_CATALOG_MAX_SMALL_OBJECT, &text, &len, &pst) : pst.code;
		ff_stream_close(s);
	}
	if (code == FF_OK)
	{
		if (kind == PC_META)
			code = ff_meta_parse(text, len, &e->u.meta, &pst);
		else if (kind == PC_TX_MANIFEST)
			code = ff_tx_manifest_parse(text, len, &e->u.tx, &pst);
		else
			code = ff_epoch_manifest_parse(text, len, &e->u.epoch, &pst);
	}
	free(text);
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
	e->code = code;
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
	return e;
}

/* ---- discovery ------------------------------------------------------------------------ */

static ff_code
add_manifest(build_ctx *ctx, const char *key, group_kind kind)
{
	size_t		dl = dir_len(key);
	mgroup	   *g = NULL;

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
		if (ctx->n_groups == ctx->cap_groups)
		{
			size_t		ncap = ctx->cap_groups ? ctx->cap_groups * 2 : 64;
			mgroup	   *p = realloc(ctx->groups, ncap * sizeof(*p));

			if (!p)
				return nomem(ctx);
			ctx->groups = p;
			ctx->cap_groups = ncap;
		}
		g = &ctx->groups[ctx->n_groups++];
		memset(g, 0, sizeof(*g));
		g->kind = kind;
	}
	/* keep the plain name first */
	if (g->n_keys == 1 && ends_with(g->keys[0], ".gz") && !ends_with(key, ".gz"))
	{
		g->keys[1] = g->keys[0];
		g->keys[0] = key;
	}
	else
		g->keys[g->n_keys] = key;
	g->n_keys++;

	if (ctx->n_refs == ctx->cap_refs)
	{
		size_t		ncap = ctx->cap_refs ? ctx->cap_refs * 2 : 64;
		key_ref    *p = realloc(ctx->refs, ncap * sizeof(*p));

		if (!p)
			return nomem(ctx);
		ctx->refs = p;
		ctx->cap_refs = ncap;
	}
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

/* Read every .meta file and attach its backup lines to the manifests they name. */
static ff_code
scan_metas(build_ctx *ctx)
{
	const ff_listing *l = &ctx->c->listing;

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

			if (line->kind == FF_META_EPOCH_ENDING)
			{
				want = G_EPOCH;
				if (line->first_epoch > line->last_epoch || line->first_version > line->last_version)
				{
					warn(ctx, "%s: EpochEndingBackup with reversed ranges (epochs %" PRIu64 "-%" PRIu64
						 ", versions %" PRIu64 "-%" PRIu64 ") ignored", info->key, line->first_epoch,
						 line->last_epoch, line->first_version, line->last_version);
					continue;
				}
			}
			else if (line->kind == FF_META_TRANSACTION)
			{
				want = G_TX;
				if (line->first_version > line->last_version)
				{
					warn(ctx, "%s: TransactionBackup with reversed range %" PRIu64 "-%" PRIu64 " ignored",
						 info->key, line->first_version, line->last_version);
					continue;
				}
			}
			else
			{
				if (line->kind == FF_META_OTHER)
					warn(ctx, "%s: unknown metadata line %zu ignored", info->key, j + 1);
				continue;		/* state snapshots, identity, compaction: not used yet */
			}
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

/* ---- the epoch index ------------------------------------------------------------------ */

static bool
push_entry(epoch_entry **arr, size_t *n, size_t *cap, uint64_t epoch, uint64_t version, int prio,
		   const char *source)
{
	if (*n == *cap)
	{
		size_t		ncap = *cap ? *cap * 2 : 256;
		epoch_entry *p = realloc(*arr, ncap * sizeof(*p));

		if (!p)
			return false;
		*arr = p;
		*cap = ncap;
	}
	(*arr)[*n].epoch = epoch;
	(*arr)[*n].version = version;
	(*arr)[*n].prio = prio;
	(*arr)[*n].source = source;
	(*n)++;
	return true;
}

static bool
push_pair(u64_pair **arr, size_t *n, size_t *cap, uint64_t a, uint64_t b)
{
	if (*n == *cap)
	{
		size_t		ncap = *cap ? *cap * 2 : 256;
		u64_pair   *p = realloc(*arr, ncap * sizeof(*p));

		if (!p)
			return false;
		*arr = p;
		*cap = ncap;
	}
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
	if (!push_entry(arr, n, cap, m->first_epoch, m->first_version, 1, key))
		return false;
	if (m->last_epoch != m->first_epoch)
		return push_entry(arr, n, cap, m->last_epoch, m->last_version, 1, key);
	return true;
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
	uint64_t   *pmax = NULL;
	ff_code		code = FF_OK;
	size_t		n_idx = 0;

	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		bool		meta_only = g->n_metas > 0;
		parsed_entry *e = NULL,
				   *bad = NULL;
		bool		fatal;
		bool		used_manifest = false;

		if (g->kind != G_EPOCH)
			continue;
		for (size_t k = 0; k < g->n_metas && meta_only; k++)
		{
			const ff_meta_line *m = g->metas[k];

			if (m->first_epoch != m->last_epoch || m->first_version != m->last_version ||
				m->first_epoch != g->metas[0]->first_epoch || m->first_version != g->metas[0]->first_version)
				meta_only = false;
		}
		if (meta_only)
		{
			const ff_meta_line *m = g->metas[0];

			if (!push_entry(&ents, &n_ents, &cap_ents, m->first_epoch, m->first_version, 1, g->meta_keys[0]) ||
				!push_pair(&ranges, &n_ranges, &cap_ranges, m->first_epoch, m->last_epoch))
				goto oom;
			continue;
		}

		e = group_manifest(ctx, g, PC_EPOCH_MANIFEST, &fatal, &bad);
		if (fatal)
		{
			code = ctx->st->code;
			goto done;
		}
		if (e)
		{
			const ff_epoch_manifest *em = &e->u.epoch;

			if (em->first_epoch > em->last_epoch || em->n_waypoints == 0 ||
				em->last_epoch - em->first_epoch != (uint64_t) (em->n_waypoints - 1))
			{
				if (g->n_metas == 0)
				{
					ff_status_locate(ctx->st, e->key, -1, -1);
					code = ff_status_set(ctx->st, FF_ERR_CORRUPT,
										 "epoch-ending manifest has %zu waypoints for epochs %" PRIu64 "-%" PRIu64,
										 em->n_waypoints, em->first_epoch, em->last_epoch);
					goto done;
				}
				warn(ctx, "%s: %zu waypoints for epochs %" PRIu64 "-%" PRIu64 "; manifest ignored, using its .meta",
					 e->key, em->n_waypoints, em->first_epoch, em->last_epoch);
			}
			else
			{
				for (size_t w = 0; w < em->n_waypoints; w++)
					if (!push_entry(&ents, &n_ents, &cap_ents, em->first_epoch + w, em->waypoint_versions[w], 2, e->key))
						goto oom;
				if (!push_pair(&ranges, &n_ranges, &cap_ranges, em->first_epoch, em->last_epoch))
					goto oom;
				used_manifest = true;
			}
		}
		else if (g->n_metas == 0)
		{
			ff_status_clear(ctx->st);
			ff_status_locate(ctx->st, bad->key, -1, -1);
			code = ff_status_set(ctx->st, bad->code, "%s", bad->error);
			goto done;
		}
		else
			warn(ctx, "%s: unreadable epoch-ending manifest (%s); using its .meta", bad->key, bad->error);

		for (size_t k = 0; k < g->n_metas; k++)
		{
			if (!push_meta_entries(&ents, &n_ents, &cap_ents, g->metas[k], g->meta_keys[k]))
				goto oom;
			if (!used_manifest &&
				!push_pair(&ranges, &n_ranges, &cap_ranges, g->metas[k]->first_epoch, g->metas[k]->last_epoch))
				goto oom;
		}
	}
	c->n_epoch_backups = count_unique_pairs(ranges, n_ranges);

	/* one end version per epoch: the best source wins; equal-rank disagreement drops it */
	if (n_ents)
		qsort(ents, n_ents, sizeof(*ents), cmp_entry_epoch);
	for (size_t i = 0; i < n_ents;)
	{
		size_t		j = i + 1;
		bool		conflict = false;

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
			j++;
		}
		if (!conflict && ents[i].epoch == 0 && ents[i].version != 0)
		{
			warn(ctx, "epoch 0: end version %" PRIu64 " (%s) is not 0; left out of the index",
				 ents[i].version, ents[i].source);
			conflict = true;
		}
		if (!conflict)
			ents[n_idx++] = ents[i];	/* n_idx <= i: compacts in place */
		i = j;
	}

	/* end versions must increase with the epoch: drop every entry in an inversion */
	if (n_idx)
	{
		uint64_t	suffix_min = UINT64_MAX;
		bool		have_suffix = false;
		size_t		kept = 0;

		pmax = malloc(n_idx * sizeof(*pmax));
		if (!pmax)
			goto oom;
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
		c->epochs = malloc(n_idx * sizeof(*c->epochs));
		if (!c->epochs)
			goto oom;
		for (size_t i = 0; i < n_idx; i++)
			if (ents[i].prio >= 0)
			{
				c->epochs[kept].epoch = ents[i].epoch;
				c->epochs[kept].version = ents[i].version;
				kept++;
			}
		c->n_epochs = kept;
	}
	goto done;

oom:
	code = nomem(ctx);
done:
	free(pmax);
	free(ents);
	free(ranges);
	return code;
}

/* ---- transaction chunks --------------------------------------------------------------- */

static int
cmp_cand(const void *pa, const void *pb)
{
	const tx_cand *a = pa,
			   *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	return strcmp(a->key, b->key);
}

static bool
push_need(coverage_need **arr, size_t *n, const char *manifest_key, uint64_t first, uint64_t last,
		  ff_code code, const char *fmt,...) __attribute__((format(printf, 7, 8)));

static bool
push_need(coverage_need **arr, size_t *n, const char *manifest_key, uint64_t first, uint64_t last,
		  ff_code code, const char *fmt,...)
{
	coverage_need *p = realloc(*arr, (*n + 1) * sizeof(*p));
	char		msg[1024];
	va_list		ap;

	if (!p)
		return false;
	*arr = p;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p[*n].manifest_key = manifest_key;
	p[*n].first = first;
	p[*n].last = last;
	p[*n].code = code;
	p[*n].message = strdup(msg);
	if (!p[*n].message)
		return false;
	(*n)++;
	return true;
}

static ff_code
build_tx(build_ctx *ctx)
{
	ff_catalog *c = ctx->c;
	tx_cand    *cands = NULL;
	size_t		n_cands = 0,
				cap_cands = 0;
	coverage_need *needs = NULL;
	size_t		n_needs = 0;
	u64_pair   *ranges = NULL;
	size_t		n_ranges = 0,
				cap_ranges = 0;
	ff_range_set covered;
	ff_code		code = FF_OK;

	ff_range_set_init_empty(&covered);
	for (size_t gi = 0; gi < ctx->n_groups; gi++)
	{
		mgroup	   *g = &ctx->groups[gi];
		parsed_entry *e,
				   *bad;
		bool		fatal;
		const ff_tx_manifest *m;
		const char *problem = NULL;
		char		why[256];

		if (g->kind != G_TX)
			continue;
		e = group_manifest(ctx, g, PC_TX_MANIFEST, &fatal, &bad);
		if (fatal)
		{
			code = ctx->st->code;
			goto done;
		}
		if (e)
		{
			m = &e->u.tx;
			if (m->first_version > m->last_version)
				problem = "its version range is reversed";
			for (size_t k = 0; k < m->n_chunks && !problem; k++)
				if (m->chunks[k].first_version > m->chunks[k].last_version)
				{
					snprintf(why, sizeof(why), "chunk %zu has a reversed version range", k);
					problem = why;
				}
		}
		if (!e || problem)
		{
			const char *key = e ? e->key : bad->key;
			const char *msg = e ? problem : bad->error;
			ff_code		bcode = e ? FF_ERR_CORRUPT : bad->code;

			if (g->n_metas == 0)
			{
				ff_status_clear(ctx->st);
				ff_status_locate(ctx->st, key, -1, -1);
				code = ff_status_set(ctx->st, bcode, "transaction manifest cannot be used: %s", msg);
				goto done;
			}
			/* its .meta says which versions it held: fine if other backups hold them */
			if (!push_need(&needs, &n_needs, key, g->metas[0]->first_version, g->metas[0]->last_version,
						   bcode, "transaction manifest cannot be used (%s); its .meta says versions %"
						   PRIu64 "-%" PRIu64, msg, g->metas[0]->first_version, g->metas[0]->last_version))
				goto oom;
			continue;
		}

		if (!push_pair(&ranges, &n_ranges, &cap_ranges, m->first_version, m->last_version))
			goto oom;
		for (size_t k = 0; k < g->n_metas; k++)
			if (g->metas[k]->first_version != m->first_version || g->metas[k]->last_version != m->last_version)
				warn(ctx, "%s: says versions %" PRIu64 "-%" PRIu64 ", its manifest %s says %" PRIu64 "-%" PRIu64,
					 g->meta_keys[k], g->metas[k]->first_version, g->metas[k]->last_version, e->key,
					 m->first_version, m->last_version);
		for (size_t k = 0; k < m->n_chunks; k++)
		{
			const ff_tx_manifest_chunk *ch = &m->chunks[k];
			uint64_t	expect = k == 0 ? m->first_version : m->chunks[k - 1].last_version + 1;
			const ff_object_info *info;

			if (ch->first_version != expect)
				warn(ctx, "%s: chunk %zu starts at version %" PRIu64 ", expected %" PRIu64,
					 e->key, k, ch->first_version, expect);
			if (k + 1 == m->n_chunks && ch->last_version != m->last_version)
				warn(ctx, "%s: last chunk ends at version %" PRIu64 ", the manifest at %" PRIu64,
					 e->key, ch->last_version, m->last_version);
			info = find_variant(&c->listing, e->key, dir_len(e->key) ? dir_len(e->key) + 1 : 0,
								base_name(ch->transactions));
			if (!info)
			{
				if (!push_need(&needs, &n_needs, e->key, ch->first_version, ch->last_version, FF_ERR_NOT_FOUND,
							   "chunk file \"%s\" (versions %" PRIu64 "-%" PRIu64 ") named by the manifest is "
							   "missing", ch->transactions,
							   ch->first_version, ch->last_version))
					goto oom;
				continue;
			}
			if (n_cands == cap_cands)
			{
				size_t		ncap = cap_cands ? cap_cands * 2 : 64;
				tx_cand    *p = realloc(cands, ncap * sizeof(*p));

				if (!p)
					goto oom;
				cands = p;
				cap_cands = ncap;
			}
			cands[n_cands].first = ch->first_version;
			cands[n_cands].last = ch->last_version;
			cands[n_cands].key = info->key;
			cands[n_cands].size = info->size;
			cands[n_cands].manifest_key = e->key;
			n_cands++;
			if (!ff_range_set_add(&covered, ch->first_version, ch->last_version))
				goto oom;
		}
	}
	c->n_tx_backups = count_unique_pairs(ranges, n_ranges);

	/* missing chunks and unusable manifests are fine only if present chunks hold their versions */
	for (size_t i = 0; i < n_needs; i++)
	{
		coverage_need *nd = &needs[i];
		uint64_t	lo,
					hi;
		ff_range_set one;
		bool		ok;

		ff_range_set_init_empty(&one);
		if (!ff_range_set_copy(&one, &covered) || !ff_range_set_intersect_range(&one, nd->first, nd->last))
		{
			ff_range_set_free(&one);
			goto oom;
		}
		ok = one.n == 1 && ff_range_set_bounds(&one, &lo, &hi) && lo == nd->first && hi == nd->last;
		ff_range_set_free(&one);
		if (!ok)
		{
			ff_status_clear(ctx->st);
			ff_status_locate(ctx->st, nd->manifest_key, -1, -1);
			code = ff_status_set(ctx->st, nd->code, "%s, and no other backup holds these versions",
								 nd->message);
			goto done;
		}
		warn(ctx, "%s: %s; other backups hold these versions", nd->manifest_key, nd->message);
	}

	/* dedupe: (first asc, last desc, key asc); drop covered chunks, trim partial overlaps */
	if (n_cands)
	{
		uint64_t	max_last = 0;
		bool		any = false;

		qsort(cands, n_cands, sizeof(*cands), cmp_cand);
		c->tx_chunks = calloc(n_cands, sizeof(*c->tx_chunks));
		if (!c->tx_chunks)
			goto oom;
		for (size_t i = 0; i < n_cands; i++)
		{
			ff_tx_chunk *t;

			if (any && cands[i].last <= max_last)
				continue;		/* every version already emitted by a kept chunk */
			t = &c->tx_chunks[c->n_tx_chunks];
			t->first_version = cands[i].first;
			t->last_version = cands[i].last;
			t->emit_from = (any && cands[i].first <= max_last) ? max_last + 1 : cands[i].first;
			t->size = cands[i].size;
			t->key = strdup(cands[i].key);
			t->manifest_key = strdup(cands[i].manifest_key);
			c->n_tx_chunks++;
			if (!t->key || !t->manifest_key)
				goto oom;
			if (t->emit_from != t->first_version)
				warn(ctx, "%s: versions %" PRIu64 "-%" PRIu64 " overlap an earlier chunk; emitting from %" PRIu64,
					 t->key, t->first_version, t->last_version, t->emit_from);
			max_last = cands[i].last;
			any = true;
		}
	}
	goto done;

oom:
	code = nomem(ctx);
done:
	for (size_t i = 0; i < n_needs; i++)
		free(needs[i].message);
	free(needs);
	free(cands);
	free(ranges);
	ff_range_set_free(&covered);
	return code;
}

/* ---- build / free --------------------------------------------------------------------- */

ff_code
ff_catalog_build(ff_source *src, const ff_catalog *previous, ff_catalog **out, ff_status *st)
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
	ctx.prev = previous ? (const parsed_cache *) previous->parsed_cache : NULL;
	ctx.cache = calloc(1, sizeof(parsed_cache));
	c->parsed_cache = ctx.cache;
	if (!ctx.cache)
	{
		code = nomem(&ctx);
		goto fail;
	}

	code = ff_source_list(src, &c->listing, st);
	if (code != FF_OK)
		goto fail;

	/* manifests first (so .meta lines can be attached to them), in listing order */
	for (size_t i = 0; i < c->listing.n; i++)
	{
		const char *key = c->listing.items[i].key;
		const char *base = base_name(key);

		if (strcmp(base, "transaction.manifest") == 0 || strcmp(base, "transaction.manifest.gz") == 0)
			code = add_manifest(&ctx, key, G_TX);
		else if (strcmp(base, "epoch_ending.manifest") == 0 || strcmp(base, "epoch_ending.manifest.gz") == 0)
			code = add_manifest(&ctx, key, G_EPOCH);
		if (code != FF_OK)
			goto fail;
	}
	if ((code = scan_metas(&ctx)) != FF_OK ||
		(code = build_epochs(&ctx)) != FF_OK ||
		(code = build_tx(&ctx)) != FF_OK)
		goto fail;
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
	for (size_t i = 0; i < ctx.n_groups; i++)
	{
		free(ctx.groups[i].metas);
		free(ctx.groups[i].meta_keys);
	}
	free(ctx.groups);
	free(ctx.refs);
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
	}
	free(c->tx_chunks);
	free(c->epochs);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
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

bool
ff_catalog_prune_tx(const ff_catalog *c, const ff_range_set *versions, size_t **kept, size_t *n_kept)
{
	size_t	   *out;
	size_t		n = 0;

	*kept = NULL;
	*n_kept = 0;
	out = malloc((c->n_tx_chunks ? c->n_tx_chunks : 1) * sizeof(*out));
	if (!out)
		return false;
	for (size_t i = 0; i < c->n_tx_chunks; i++)
		if (ff_range_set_overlaps(versions, c->tx_chunks[i].emit_from, c->tx_chunks[i].last_version))
			out[n++] = i;
	*kept = out;
	*n_kept = n;
	return true;
}
