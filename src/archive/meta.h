/*
 * meta.h — parsing the small JSON objects of a backup storage root (json-c): .meta files
 * (one or more externally tagged Metadata lines), transaction manifests, epoch-ending
 * manifests and state snapshot manifests. Compact or pretty JSON, unknown keys ignored;
 * every number must be a JSON integer in [0, UINT64_MAX); hashes are 64 hex digits.
 * Internal to archive/.
 */
#ifndef FF_ARCHIVE_META_H
#define FF_ARCHIVE_META_H

#include "common/status.h"

typedef enum ff_meta_kind
{
	FF_META_EPOCH_ENDING,		/* EpochEndingBackup */
	FF_META_TRANSACTION,		/* TransactionBackup */
	FF_META_STATE_SNAPSHOT,		/* StateSnapshotBackup */
	FF_META_IDENTITY,			/* Identity */
	FF_META_COMPACTION,			/* CompactionTimestamps */
	FF_META_OTHER				/* a variant this reader does not know */
} ff_meta_kind;

typedef struct ff_meta_line
{
	ff_meta_kind kind;
	uint64_t	first_epoch;	/* EpochEndingBackup */
	uint64_t	last_epoch;
	uint64_t	first_version;	/* EpochEndingBackup: end versions; TransactionBackup: range */
	uint64_t	last_version;
	uint64_t	version;		/* StateSnapshotBackup */
	uint64_t	epoch;			/* StateSnapshotBackup (v6+) when has_epoch */
	bool		has_epoch;
	char	   *manifest;		/* handle relative to the storage root; NULL for others */
} ff_meta_line;

typedef struct ff_meta_file
{
	ff_meta_line *lines;
	size_t		n_lines;		/* 0 for an empty (or whitespace-only) file */
} ff_meta_file;

typedef struct ff_tx_manifest_chunk
{
	uint64_t	first_version;
	uint64_t	last_version;
	char	   *transactions;	/* file handle as written */
} ff_tx_manifest_chunk;

typedef struct ff_tx_manifest
{
	uint64_t	first_version;
	uint64_t	last_version;
	ff_tx_manifest_chunk *chunks;
	size_t		n_chunks;
} ff_tx_manifest;

typedef struct ff_epoch_manifest_chunk
{
	uint64_t	first_epoch;
	uint64_t	last_epoch;
	char	   *ledger_infos;	/* file handle as written */
} ff_epoch_manifest_chunk;

typedef struct ff_epoch_manifest
{
	uint64_t	first_epoch;
	uint64_t	last_epoch;
	uint64_t   *waypoint_versions;	/* version part of each "version:hash" waypoint */
	uint8_t    *waypoint_hashes;	/* 32 bytes per waypoint: its hash part */
	size_t		n_waypoints;
	ff_epoch_manifest_chunk *chunks;	/* "chunks" (an absent member reads as none) */
	size_t		n_chunks;
} ff_epoch_manifest;

typedef struct ff_state_manifest_chunk
{
	uint64_t	first_idx;
	uint64_t	last_idx;
	uint8_t		first_key[32];	/* key hashes of the chunk's first and last record */
	uint8_t		last_key[32];
	char	   *blobs;			/* file handles as written */
	char	   *proof;
} ff_state_manifest_chunk;

typedef struct ff_state_manifest
{
	uint64_t	version;
	bool		has_epoch;		/* "epoch" is written from v6 on */
	uint64_t	epoch;
	uint8_t		root_hash[32];
	ff_state_manifest_chunk *chunks;	/* as written (may be empty) */
	size_t		n_chunks;
	char	   *proof;
} ff_state_manifest;

/*
 * Each parser fills *out (zeroed first) or returns FF_ERR_CORRUPT (or FF_ERR_NOMEM) with
 * st->message saying what is wrong; the caller names the object. Nothing to free on failure.
 * A reversed range (first > last) in a manifest or one of its chunks is corrupt.
 */
ff_code		ff_meta_parse(const char *text, size_t len, ff_meta_file *out, ff_status *st);
ff_code		ff_tx_manifest_parse(const char *text, size_t len, ff_tx_manifest *out, ff_status *st);
ff_code		ff_epoch_manifest_parse(const char *text, size_t len, ff_epoch_manifest *out,
									ff_status *st);
ff_code		ff_state_manifest_parse(const char *text, size_t len, ff_state_manifest *out,
									ff_status *st);

void		ff_meta_file_free(ff_meta_file *m);
void		ff_tx_manifest_free(ff_tx_manifest *m);
void		ff_epoch_manifest_free(ff_epoch_manifest *m);
void		ff_state_manifest_free(ff_state_manifest *m);

#endif
