/*
 * catalog.h — what an archive location holds, built from the listing, the .meta lines and
 * the manifests (never from chunk bodies): the transaction chunks with their version
 * ranges, and the epoch -> end-version index from the epoch-ending backups. Both the flat
 * layout (backup folders + metadata/ at the root) and the per-epoch layout (<epoch>/ sub-roots,
 * each with its own metadata/) are found, at any depth.
 *
 * Tolerated defects (LAYOUTS.md): files gzip'ed with or without a .gz suffix; empty or
 * stale .meta (its manifest missing) treated as absent; duplicate re-run backups and
 * overlapping ranges never duplicate a version; manifests that name ".gz" paths or a folder
 * that was renamed (handles are resolved in the manifest's own directory).
 */
#ifndef FF_ARCHIVE_CATALOG_H
#define FF_ARCHIVE_CATALOG_H

#include "archive/range_set.h"
#include "io/source.h"

/* Largest manifest or .meta file read at planning time. */
#define FF_CATALOG_MAX_SMALL_OBJECT (16 * 1024 * 1024)

typedef struct ff_tx_chunk
{
	uint64_t	first_version;	/* from the manifest */
	uint64_t	last_version;
	uint64_t	emit_from;		/* first version this chunk contributes: > first_version when
								 * an earlier chunk already covers the start (overlap dedupe) */
	char	   *key;			/* object key of the chunk file as found in the listing */
	uint64_t	size;			/* stored bytes */
	char	   *manifest_key;	/* the manifest that named it */
} ff_tx_chunk;

typedef struct ff_epoch_end
{
	uint64_t	epoch;
	uint64_t	version;		/* last version of the epoch (its epoch-ending ledger info) */
} ff_epoch_end;

typedef struct ff_catalog
{
	ff_listing	listing;		/* every object under the location */

	ff_tx_chunk *tx_chunks;		/* sorted by first_version; emit ranges disjoint */
	size_t		n_tx_chunks;

	ff_epoch_end *epochs;		/* sorted by epoch, unique; end versions increasing */
	size_t		n_epochs;

	size_t		n_tx_backups;	/* transaction backups found (after dedupe) */
	size_t		n_epoch_backups;	/* epoch-ending backups found (after dedupe) */

	char	  **warnings;		/* defects tolerated (stale .meta, disagreements, ...) */
	size_t		n_warnings;

	void	   *parsed_cache;	/* private: parsed small objects, reused by the next build */
} ff_catalog;

/*
 * List the source and build the catalog. When `previous` is given, small objects whose key,
 * size and mtime did not change are not read again (their parsed content is reused).
 * A manifest or .meta that cannot be parsed is an error only if nothing else describes the
 * same backup; otherwise it is a warning.
 */
ff_code		ff_catalog_build(ff_source *src, const ff_catalog *previous, ff_catalog **out,
							 ff_status *st);
void		ff_catalog_free(ff_catalog *c);

/*
 * Versions that epochs [e_lo, e_hi] can hold, conservatively: lo = end(e_lo - 1) + 1 and
 * hi = end(e_hi) when known; when not, the nearest known bound that over-includes, or
 * 0 / UINT64_MAX. Epoch 0 is exactly version 0 (so epochs >= 1 start at version >= 1 even
 * when the index is empty). e_lo > e_hi gives an empty result: *v_lo > *v_hi.
 */
void		ff_catalog_epochs_to_versions(const ff_catalog *c, uint64_t e_lo, uint64_t e_hi,
										  uint64_t *v_lo, uint64_t *v_hi);

/* Add to `versions` the version ranges that the epoch ranges in `epochs` can hold. */
bool		ff_catalog_epoch_set_to_versions(const ff_catalog *c, const ff_range_set *epochs,
											 ff_range_set *versions);

/*
 * The epoch of a version: true with *epoch when the index determines it exactly; false when
 * it does not (then *epoch_lo and *epoch_hi bound it, UINT64_MAX for an open upper bound).
 */
bool		ff_catalog_epoch_of(const ff_catalog *c, uint64_t version, uint64_t *epoch_lo,
								uint64_t *epoch_hi);

/*
 * The transaction chunks whose emit range [emit_from, last_version] overlaps `versions`,
 * as indices into c->tx_chunks in ascending order (malloc'ed array in *kept).
 */
bool		ff_catalog_prune_tx(const ff_catalog *c, const ff_range_set *versions,
								size_t **kept, size_t *n_kept);

#endif
