/*
 * legacy_archive.h — writes a v4/v5 chain (legacy_model.h) as a backup archive in the flat or
 * per-epoch layout (epoch-ending backups, transaction backups with range proofs, state_ver_<V>
 * snapshots with state.proof, their .meta lines) and renders its expected CSVs (the v6 columns
 * plus framework, state_root_hash / gas_currency, quorum_voting_power, account_hash).
 */
#ifndef FIXTUREGEN_LEGACY_ARCHIVE_H
#define FIXTUREGEN_LEGACY_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive_layout.h"
#include "archive_writer.h"
#include "bundle_writer.h"
#include "expected_csv.h"
#include "legacy_model.h"

#define LEGACY_STATE_CHUNK_RECORDS 4	/* accounts per state chunk, at most */

typedef struct legacy_chunk
{
	uint64_t	first;			/* versions, or epochs, or record indexes */
	uint64_t	last;
	const legacy_snapshot *snapshot;	/* state chunks */
	char	   *key;
} legacy_chunk;

typedef struct legacy_layout_result
{
	legacy_chunk *tx_chunks;
	size_t		tx_chunk_count;
	legacy_chunk *epoch_chunks;
	size_t		epoch_chunk_count;
	legacy_chunk *state_chunks;
	size_t		state_chunk_count;
	size_t		transaction_backups;
	size_t		epoch_ending_backups;
	size_t		state_snapshot_backups;
	size_t		meta_files;
} legacy_layout_result;

void		legacy_write_archive(const legacy_chain *chain, layout_kind layout, uint64_t backup_versions,
								 uint64_t seed, archive_writer *writer, legacy_layout_result *result);
/* --bundles-only: every chunk key becomes "<bundle>/<member path>". */
void		legacy_rewrite_keys(legacy_layout_result *result, bundle_mode mode);
void		legacy_layout_free(legacy_layout_result *result);
/* transactions, events, state_changes (header only), state, epochs, objects (unless !with_objects) CSVs and summary.txt */
void		legacy_write_expected(const legacy_chain *chain, const legacy_layout_result *result,
								  const archive_writer *writer, const char *directory, const char *options_text,
								  bool with_objects, expected_totals *totals);

#endif
