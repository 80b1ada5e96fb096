/*
 * archive_layout.h — decides which backups the archive holds (transaction
 * backups and their chunks, epoch-ending backups, the multi-epoch backup,
 * v6 state snapshots, the real-world defects), names them like backup-cli
 * does, and writes their chunks, proofs, manifests and .meta lines for the
 * flat and per-epoch layouts.  The result lists every chunk written, for the
 * `object` column of the expected CSVs.
 */
#ifndef FIXTUREGEN_ARCHIVE_LAYOUT_H
#define FIXTUREGEN_ARCHIVE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive_writer.h"
#include "chain_model.h"

typedef enum layout_kind
{
	LAYOUT_FLAT,
	LAYOUT_PER_EPOCH
} layout_kind;

typedef struct layout_options
{
	layout_kind layout;
	uint64_t	backup_versions;
	bool		defects;
	uint64_t	seed;
} layout_options;

/* One transaction chunk file as written (duplicates included). */
typedef struct chunk_object
{
	uint64_t	first_version;
	uint64_t	last_version;
	char	   *key;			/* relative to the archive root, as named on disk */
	uint8_t		first_kind;		/* txn_kind of its first record */
} chunk_object;

/* One epoch-ending chunk file (records first_epoch..last_epoch). */
typedef struct epoch_chunk_object
{
	uint64_t	first_epoch;
	uint64_t	last_epoch;
	char	   *key;
} epoch_chunk_object;

#define STATE_CHUNK_RECORDS 100	/* records per state snapshot chunk, at most */

/* One chunk of a state snapshot (records first_idx..last_idx). */
typedef struct state_chunk_object
{
	const state_snapshot *snapshot;
	uint64_t	first_idx;
	uint64_t	last_idx;
	char	   *key;			/* as named on disk */
	bool		missing;		/* --defects: named by the manifest, never written */
} state_chunk_object;

typedef struct layout_result
{
	chunk_object *chunks;		/* transaction chunks */
	size_t		chunk_count;
	epoch_chunk_object *epoch_chunks;
	size_t		epoch_chunk_count;
	state_chunk_object *state_chunks;
	size_t		state_chunk_count;
	size_t		state_snapshot_backups;
	const state_snapshot *defective_snapshot;	/* --defects: its second chunk is missing */
	size_t		transaction_backups;	/* including the duplicate re-run */
	size_t		epoch_ending_backups;	/* including the multi-epoch one */
	size_t		meta_files;		/* including defective ones */
	size_t		defects_written;
	uint64_t	multi_epoch_first;	/* 0 when absent */
} layout_result;

void		layout_write_archive(const chain_model *chain, const layout_options *options,
								 archive_writer *writer, layout_result *result);
void		layout_result_free(layout_result *result);

#endif
