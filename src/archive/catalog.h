/*
 * catalog.h — what an archive location holds, built from the listing, the .meta lines and
 * the manifests (never from chunk bodies): the transaction and epoch-ending chunks with their
 * version / epoch ranges, the epoch -> end-version index (with the manifests' waypoint
 * hashes), the state snapshots with their chunks, the gaps (parts the archive describes but
 * that cannot be read), and every object classified (the `objects` table). Both the flat
 * layout (backup folders + metadata/ at the root) and the per-epoch layout (<epoch>/ sub-roots,
 * each with its own metadata/) are found, at any depth.
 *
 * Tolerated defects (LAYOUTS.md): files gzip'ed with or without a .gz suffix; empty or
 * stale .meta (its manifest missing) treated as absent; duplicate re-run backups and
 * overlapping ranges never duplicate a version, epoch or snapshot; manifests that name ".gz"
 * paths or a folder that was renamed (handles are resolved in the manifest's own directory);
 * missing chunk files and unusable manifests (gaps: only the scans that touch them fail).
 */
#ifndef FF_ARCHIVE_CATALOG_H
#define FF_ARCHIVE_CATALOG_H

#include "archive/range_set.h"
#include "chain/era.h"
#include "io/source.h"

/* Largest manifest or .meta file read at planning time, by default (server option
 * max_manifest_size): a gzip bomb posing as a manifest stops here. */
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
	/*
	 * Object key of the chunk's range proof, <first>-<last>.proof (or .proof.gz) beside its
	 * manifest, as backup-cli names it; NULL when absent (only `verify 'proofs'` needs it).
	 */
	char	   *proof_key;
} ff_tx_chunk;

typedef struct ff_epoch_end
{
	uint64_t	epoch;
	uint64_t	version;		/* last version of the epoch (its epoch-ending ledger info) */
	bool		has_waypoint;	/* a manifest gave this epoch's waypoint hash */
	uint8_t		waypoint[32];
} ff_epoch_end;

/* One epoch-ending chunk (records are LedgerInfoWithSignatures, one per epoch). */
typedef struct ff_epoch_chunk
{
	uint64_t	first_epoch;	/* from the manifest */
	uint64_t	last_epoch;
	uint64_t	emit_from;		/* first epoch this chunk contributes (overlap dedupe) */
	char	   *key;			/* object key of the chunk file */
	uint64_t	size;
	char	   *manifest_key;
} ff_epoch_chunk;

/* One chunk of a state snapshot: records first_idx..last_idx of the snapshot. */
typedef struct ff_state_chunk
{
	uint64_t	first_idx;
	uint64_t	last_idx;
	char	   *key;
	uint64_t	size;
} ff_state_chunk;

/* One state snapshot backup (state_epoch_<E>_ver_<V> or state_ver_<V>). */
typedef struct ff_state_snapshot
{
	uint64_t	version;		/* the snapshot's version */
	bool		has_epoch;		/* epoch known: manifest / .meta / folder name (v6+), or the
								 * epoch index says `version` ends an epoch */
	uint64_t	epoch;
	char	   *manifest_key;
	ff_state_chunk *chunks;		/* the chunk files present, sorted by first_idx (a missing one
								 * is a gap at `version`) */
	size_t		n_chunks;
} ff_state_snapshot;

/*
 * Part of the archive that its manifests or .meta lines describe but that cannot be read:
 * a chunk file that is missing, a manifest that cannot be parsed. Scans of the matching
 * kind fail when their range touches it (rows are never lost silently); other kinds and
 * ranges are unaffected.
 */
typedef enum ff_gap_kind
{
	FF_GAP_TRANSACTIONS,		/* first..last are versions */
	FF_GAP_EPOCHS,				/* first..last are epochs */
	FF_GAP_STATE				/* first..last are snapshot versions */
} ff_gap_kind;

typedef struct ff_gap
{
	ff_gap_kind kind;
	uint64_t	first;			/* 0 and UINT64_MAX when the range itself is unknown */
	uint64_t	last;
	ff_code		code;			/* FF_ERR_NOT_FOUND (missing file), FF_ERR_CORRUPT (bad manifest) */
	char	   *object;			/* the missing object (the key it was looked for under) or the
								 * unusable manifest */
	char	   *message;		/* what is wrong, naming the manifest */
} ff_gap;

/* What one archive object is (the `objects` table). */
typedef enum ff_object_kind
{
	FF_OBJ_TRANSACTION,			/* a transaction chunk */
	FF_OBJ_EPOCH_ENDING,		/* an epoch-ending chunk */
	FF_OBJ_STATE_SNAPSHOT,		/* a state snapshot chunk */
	FF_OBJ_MANIFEST,
	FF_OBJ_METADATA,			/* metadata/<name>.meta */
	FF_OBJ_PROOF,				/* <first>-<last>.proof, state.proof */
	FF_OBJ_BUNDLE,				/* <epoch>.tar.gz / .tgz / .zip */
	FF_OBJ_JSON_RESCUE,			/* v5 JSON rescue dump: *.json, *.json.gz */
	FF_OBJ_OTHER				/* anything else (readme.txt, stray copies) */
} ff_object_kind;

typedef struct ff_catalog_object
{
	const char *key;			/* points into the catalog's listing */
	uint64_t	size;
	ff_object_kind kind;
	const char *backup;			/* key of the backup folder it belongs to ("transaction_1-.90bf",
								 * "104/state_ver_80360297.7fe4"; "" when the location itself is
								 * the backup folder); NULL when none */
	bool		has_versions;	/* chunks: their own range; other files of a backup folder: the
								 * backup's range; .meta: the range of its one backup line, or
								 * (not read: its name gives a usable manifest) that backup's.
								 * Epoch-ending chunks and backups: the end versions of their
								 * first and last epoch; snapshots: their version */
	uint64_t	first_version;
	uint64_t	last_version;
	bool		has_epochs;		/* exact epochs, or bounds from the epoch index when the
								 * index brackets both ends of the versions; not set when
								 * unknown (never an open or assumed bound) */
	uint64_t	first_epoch;
	uint64_t	last_epoch;
	int			compression;	/* 1 gzip, 0 none (the gzip detector's verdict when the catalog
								 * read it: manifests, .meta), -1 not read */
} ff_catalog_object;

/* Which bundles (<epoch>.tar.gz / .tgz / .zip) are read (server option "bundles"). */
typedef enum ff_bundle_mode
{
	FF_BUNDLES_AUTO = 0,		/* a bundle whose unpacked folder is beside it is not read */
	FF_BUNDLES_ONLY,			/* bundles are read; the unpacked folders beside them are not */
	FF_BUNDLES_IGNORE			/* bundles are listed as objects, never opened */
} ff_bundle_mode;

typedef enum ff_bundle_state
{
	FF_BUNDLE_INDEXED,			/* its members are in the listing */
	FF_BUNDLE_PENDING,			/* to be read when a query can need it */
	FF_BUNDLE_SHADOWED,			/* auto: its unpacked folder is read instead */
	FF_BUNDLE_IGNORED,			/* bundles 'ignore', or the source cannot read bundles */
	FF_BUNDLE_FAILED			/* could not be read: a gap (message in the gaps) */
} ff_bundle_state;

typedef struct ff_catalog_bundle
{
	const char *key;			/* points into the catalog's listing */
	bool		has_epoch;		/* the name is <epoch>.<suffix> */
	uint64_t	epoch;
	ff_bundle_state state;
	size_t		n_members;		/* indexed: regular files in it */
	ff_code		failure_code;	/* FF_BUNDLE_FAILED: why */
	char	   *failure;
} ff_catalog_bundle;

/* A v5 JSON rescue dump (an array of transaction views): its versions come from its name. */
typedef struct ff_rescue_file
{
	const char *key;			/* points into the catalog's listing */
	uint64_t	size;
	bool		has_range;		/* named "<first>-<last>.json[.gz]" */
	uint64_t	first_version;
	uint64_t	last_version;
} ff_rescue_file;

/* What the era probe read in one epoch-ending chunk (kept for the next build). */
typedef struct ff_era_probe
{
	char	   *key;			/* malloc'ed; NULL when no probe */
	uint64_t	size;
	ff_era		era;
	bool		legacy;			/* v4 or v5, undecided */
} ff_era_probe;

/* How to build a catalog. */
typedef struct ff_catalog_options
{
	ff_bundle_mode bundles;
	ff_era		era;			/* FF_ERA_UNKNOWN: detect it */
	/*
	 * Bundles named after an epoch above this are left pending (a bundle named E holds the
	 * backups taken at the end of epoch E, whose rows belong to epoch E or later).
	 * UINT64_MAX: read every bundle that is not shadowed or ignored.
	 */
	uint64_t	bundle_max_epoch;
	size_t		bundle_max_members; /* per bundle; 0: FF_BUNDLE_DEFAULT_MAX_MEMBERS */
	size_t		max_manifest_size;	/* bytes of a manifest or .meta file once inflated;
									 * 0: FF_CATALOG_MAX_SMALL_OBJECT */
} ff_catalog_options;

typedef struct ff_catalog
{
	ff_listing	listing;		/* every object under the location */

	ff_tx_chunk *tx_chunks;		/* sorted by first_version; emit ranges disjoint */
	size_t		n_tx_chunks;

	ff_epoch_end *epochs;		/* sorted by epoch, unique; end versions increasing */
	size_t		n_epochs;

	ff_epoch_chunk *epoch_chunks;	/* sorted by first_epoch (then last desc, key); emit ranges
									 * disjoint */
	size_t		n_epoch_chunks;

	ff_state_snapshot *snapshots;	/* sorted by version, one per version */
	size_t		n_snapshots;

	ff_gap	   *gaps;			/* described but unreadable parts, sorted by kind, first, last */
	size_t		n_gaps;

	ff_catalog_object *objects;	/* one per listing entry, same order (sorted by key) */
	size_t		n_objects;
	char	   *backup_keys;	/* private: storage of the objects' backup strings */

	size_t		n_tx_backups;	/* transaction backups found (after dedupe) */
	size_t		n_epoch_backups;	/* epoch-ending backups found (after dedupe) */

	ff_catalog_bundle *bundles;	/* sorted by key */
	size_t		n_bundles;

	/* the archive's era: one location is one chain, so one era */
	ff_era		era;			/* FF_ERA_UNKNOWN when nothing read at planning tells */
	char	   *era_evidence;	/* what told it ("the server option framework", "the waypoint
								 * of epoch 104", ...), or NULL */
	char	   *era_conflict;	/* the location holds backups of two eras: what says so; scans
								 * of records refuse to run. NULL when consistent */
	ff_era_probe era_probes[2];	/* private: the lowest and highest epoch-ending chunks read */

	ff_rescue_file *rescue_files;	/* v5 JSON rescue dumps: those named <first>-<last>.json
									 * first, by first version, then the others by key */
	size_t		n_rescue_files;

	char	  **warnings;		/* defects tolerated (stale .meta, disagreements, ...) */
	size_t		n_warnings;

	void	   *parsed_cache;	/* private: parsed small objects, reused by the next build */
} ff_catalog;

/*
 * List the source and build the catalog. When `previous` is given, small objects whose key,
 * size and mtime did not change are not read again (their parsed content is reused).
 * A .meta that cannot be used is a warning. A manifest that cannot be used, or a chunk file
 * it names that is missing, is a warning when other backups hold the same rows, else a gap.
 * Fails only when the location cannot be listed or read, on cancel and out of memory.
 */
ff_code		ff_catalog_build(ff_source *src, const ff_catalog *previous, ff_catalog **out,
							 ff_status *st);

/*
 * The same with options. Bundles are read through a source made by ff_source_bundles_new
 * (any other source leaves them ignored): pending bundles whose epoch is at most
 * opts->bundle_max_epoch are indexed (their manifests and .meta lines kept in memory), and
 * their members join the listing as "<bundle key>/<member path>".
 */
ff_code		ff_catalog_build_ex(ff_source *src, const ff_catalog *previous,
								const ff_catalog_options *opts, ff_catalog **out, ff_status *st);

/* Is a bundle that a query reaching epoch max_epoch may need still unread? */
bool		ff_catalog_bundles_pending(const ff_catalog *c, uint64_t max_epoch);
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

/*
 * Epoch-ending chunks whose emit range [emit_from, last_epoch] overlaps `epochs`, as indices
 * into c->epoch_chunks, ascending.
 */
bool		ff_catalog_prune_epoch_chunks(const ff_catalog *c, const ff_range_set *epochs,
										  size_t **kept, size_t *n_kept);

/*
 * Snapshots whose version is in `versions` and whose epoch is in `epochs` (a snapshot with
 * no known epoch is kept unless `versions` excludes it: never under-include), as indices
 * into c->snapshots, ascending.
 */
bool		ff_catalog_prune_snapshots(const ff_catalog *c, const ff_range_set *versions,
									   const ff_range_set *epochs, size_t **kept, size_t *n_kept);

/* The first gap of `kind` whose range overlaps `wanted`, or NULL. */
const ff_gap *ff_catalog_find_gap(const ff_catalog *c, ff_gap_kind kind, const ff_range_set *wanted);

/* The exact epoch-index entry for an epoch, or NULL. */
const ff_epoch_end *ff_catalog_epoch_end(const ff_catalog *c, uint64_t epoch);

const char *ff_object_kind_name(ff_object_kind k);	/* transaction, epoch_ending, ... */

#endif
