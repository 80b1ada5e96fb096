/*
 * catalog_cache.c — one archive catalog per server (and, for S3, per user: each user reads
 * with the credentials of their own mapping), kept for the life of the backend: built on
 * first use, revalidated (re-listed; only new or changed manifests and .meta files are read)
 * once per transaction — for S3 only after the server's cache_ttl has passed — and thrown
 * away when the server's options or a user mapping change (syscache callbacks, as
 * postgres_fdw's connection cache does).
 * The catalog and the source are malloc'ed by the lower layers; scans pin the entry
 * they use so that an invalidation in mid-scan frees it only after the scan ends.
 */
#include "fdw/forensic_fdw.h"

#include "access/xact.h"
#include "catalog/pg_foreign_server.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

typedef struct FfCacheKey
{
	Oid			serverid;
	Oid			userid;			/* InvalidOid for local locations */
} FfCacheKey;

typedef struct FfCacheEntry
{
	FfCacheKey	key;			/* hash key */
	char	   *location;		/* malloc'ed copy, to notice a changed location */
	FfCatalogRef *ref;			/* current catalog, or NULL */
	ff_bundle_store *bundles;	/* indexes of the location's bundles, kept across rebuilds */
	LocalTransactionId validated_lxid;	/* transaction in which it was last revalidated */
	TimestampTz validated_at;	/* when it was last (re)built */
	int			cache_ttl;		/* seconds a build is trusted (0: once per transaction) */
	uint32		server_hashvalue;	/* syscache hash of the server's row */
} FfCacheEntry;

static HTAB *catalog_cache = NULL;

bool
ff_cancel_requested(void)
{
	return QueryCancelPending || ProcDiePending;
}

static void
free_ref(FfCatalogRef *ref)
{
	ff_catalog_free(ref->catalog);
	ff_source_destroy(ref->source);
	free(ref->chunk_end);
	free(ref->records_era_object);
	free(ref);
}

/* Drop the entry's catalog: now if nobody uses it, else when the last scan releases it. */
static void
retire_ref(FfCacheEntry *entry)
{
	FfCatalogRef *ref = entry->ref;

	entry->ref = NULL;
	if (!ref)
		return;
	ref->stale = true;
	if (ref->refcount == 0)
		free_ref(ref);
}

static void
server_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS scan;
	FfCacheEntry *entry;

	hash_seq_init(&scan, catalog_cache);
	while ((entry = hash_seq_search(&scan)) != NULL)
	{
		if (hashvalue == 0 || entry->server_hashvalue == hashvalue || cacheid == USERMAPPINGOID)
		{
			retire_ref(entry);
			entry->validated_lxid = InvalidLocalTransactionId;
		}
	}
}

static void
init_cache(void)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(FfCacheKey);
	ctl.entrysize = sizeof(FfCacheEntry);
	catalog_cache = hash_create("forensic_fdw catalogs", 8, &ctl, HASH_ELEM | HASH_BLOBS);
	CacheRegisterSyscacheCallback(FOREIGNSERVEROID, server_changed, (Datum) 0);
	/* credentials changed: rebuild with the new ones (user mappings are rarely altered) */
	CacheRegisterSyscacheCallback(USERMAPPINGOID, server_changed, (Datum) 0);
}

/*
 * Build (or rebuild, reusing the previous catalog's parsed objects and the indexes of
 * bundles already read) the catalog; bundles named after epochs up to max_epoch are read.
 */
static FfCatalogRef *
build_ref(FfCacheEntry *entry, FfCatalogRef *previous, uint64 max_epoch)
{
	ff_status	st;
	ff_source  *inner,
			   *source;
	ff_catalog *catalog = NULL;
	FfCatalogRef *ref;
	ff_code		rc;
	FfArchiveOptions aopts;
	ff_catalog_options copts;

	ff_get_archive_options(GetForeignServer(entry->key.serverid), &aopts);
	memset(&copts, 0, sizeof(copts));
	copts.bundles = aopts.bundles;
	copts.era = aopts.era;
	copts.bundle_max_epoch = max_epoch;
	copts.bundle_max_members = (size_t) aopts.bundle_max_members;
	copts.max_manifest_size = (size_t) aopts.max_manifest_size;

	inner = ff_open_source(entry->key.serverid, entry->key.userid, entry->location, &entry->cache_ttl);
	ff_status_clear(&st);
	if (ff_source_bundles_new(inner, entry->bundles, &source, &st) != FF_OK)
	{
		ff_source_destroy(inner);
		ff_report(&st, "cannot open archive location");
	}
	rc = ff_catalog_build_ex(source, previous ? previous->catalog : NULL, &copts, &catalog, &st);
	if (rc != FF_OK)
	{
		ff_source_destroy(source);
		ff_report(&st, "cannot read the archive catalog");
	}

	ref = calloc(1, sizeof(FfCatalogRef));
	if (ref)
		ref->chunk_end = calloc(Max(catalog->n_tx_chunks, 1), sizeof(FfBlockContext));
	if (!ref || !ref->chunk_end)
	{
		free(ref);
		ff_catalog_free(catalog);
		ff_source_destroy(source);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	ref->source = source;
	ref->catalog = catalog;

	for (size_t i = 0; i < catalog->n_warnings; i++)
		ereport(DEBUG1, (errmsg_internal("forensic_fdw: %s", catalog->warnings[i])));
	return ref;
}

/*
 * Block contexts learnt at the end of chunks stay true for the same chunk object in the
 * rebuilt catalog (both are sorted by first version): carry them over.
 */
static void
keep_chunk_ends(const FfCatalogRef *old, FfCatalogRef *fresh)
{
	size_t		i = 0;

	for (size_t j = 0; j < fresh->catalog->n_tx_chunks; j++)
	{
		const ff_tx_chunk *c = &fresh->catalog->tx_chunks[j];

		while (i < old->catalog->n_tx_chunks &&
			   old->catalog->tx_chunks[i].first_version < c->first_version)
			i++;
		for (size_t k = i; k < old->catalog->n_tx_chunks &&
			 old->catalog->tx_chunks[k].first_version == c->first_version; k++)
		{
			const ff_tx_chunk *o = &old->catalog->tx_chunks[k];

			if (o->last_version == c->last_version && strcmp(o->key, c->key) == 0)
				fresh->chunk_end[j] = old->chunk_end[k];
		}
	}
}

/*
 * Rebuild, reusing the old catalog's parsed manifests and .meta files and its bundle
 * indexes. A scan that still pins the old catalog keeps it (and its source) until it
 * releases it.
 */
static void
replace_ref(FfCacheEntry *entry, uint64 max_epoch)
{
	FfCatalogRef *old = entry->ref;
	FfCatalogRef *fresh = build_ref(entry, old, max_epoch);

	if (old)
	{
		keep_chunk_ends(old, fresh);
		retire_ref(entry);
	}
	entry->ref = fresh;
}

FfCatalogRef *
ff_catalog_acquire(Oid serverid, Oid userid, const char *location, uint64 max_epoch)
{
	FfCacheEntry *entry;
	FfCacheKey	key;
	bool		found;
	LocalTransactionId lxid = MyProc->lxid;

	if (!catalog_cache)
		init_cache();

	memset(&key, 0, sizeof(key));
	key.serverid = serverid;
	key.userid = ff_location_is_s3(location) ? userid : InvalidOid;
	entry = hash_search(catalog_cache, &key, HASH_ENTER, &found);
	if (!found)
	{
		entry->location = NULL;
		entry->ref = NULL;
		entry->bundles = NULL;
		entry->validated_lxid = InvalidLocalTransactionId;
		entry->validated_at = 0;
		entry->cache_ttl = 0;
		entry->server_hashvalue = GetSysCacheHashValue1(FOREIGNSERVEROID, ObjectIdGetDatum(serverid));
	}

	if (entry->location && strcmp(entry->location, location) != 0)
	{
		retire_ref(entry);
		free(entry->location);
		entry->location = NULL;
		ff_bundle_store_release(entry->bundles);
		entry->bundles = NULL;
	}
	if (!entry->bundles && (entry->bundles = ff_bundle_store_new()) == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (!entry->location)
	{
		entry->location = strdup(location);
		if (!entry->location)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}

	if (entry->ref == NULL ||
		(entry->validated_lxid != lxid &&
		 (entry->cache_ttl == 0 ||
		  TimestampDifferenceExceeds(entry->validated_at, GetCurrentTimestamp(), entry->cache_ttl * 1000))))
	{
		replace_ref(entry, max_epoch);
		entry->validated_lxid = lxid;
		entry->validated_at = GetCurrentTimestamp();
	}
	else if (ff_catalog_bundles_pending(entry->ref->catalog, max_epoch))
		replace_ref(entry, max_epoch);	/* read the bundles this query may need, keep the rest */

	entry->ref->refcount++;
	return entry->ref;
}

void
ff_catalog_release(FfCatalogRef *ref)
{
	if (!ref)
		return;
	Assert(ref->refcount > 0);
	ref->refcount--;
	if (ref->refcount == 0 && ref->stale)
		free_ref(ref);
}
