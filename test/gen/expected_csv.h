/*
 * expected_csv.h — renders what the FDW must return for the archive just
 * written, from the chain model (never from the record bytes), in COPY ...
 * CSV HEADER format: transactions.csv, events.csv and state_changes.csv (one
 * row per version present in a chunk, duplicates removed), state.csv (every
 * record of every readable state snapshot), epochs.csv (one row per
 * epoch-ending ledger info), objects.csv (every file written) and
 * summary.txt (counts).
 */
#ifndef FIXTUREGEN_EXPECTED_CSV_H
#define FIXTUREGEN_EXPECTED_CSV_H

#include <stdbool.h>

#include "archive_layout.h"
#include "archive_writer.h"
#include "chain_model.h"
#include "csv_out.h"

typedef struct expected_totals
{
	size_t		rows;			/* transactions.csv */
	size_t		by_kind[4];		/* indexed by txn_kind */
	size_t		by_status[5];	/* indexed by status_kind */
	uint64_t	first_version;
	uint64_t	last_version;
	size_t		event_rows;
	size_t		events_decoded_bytes;
	size_t		events_decoded_source;
	size_t		events_with_amount;
	size_t		state_change_rows;
	size_t		state_changes_by_op[6];	/* indexed by WriteOp tag */
	size_t		state_rows;
	size_t		state_snapshots;	/* readable ones (rows in state.csv) */
	size_t		epoch_rows;
	size_t		object_rows;
	size_t		objects_by_kind[OBJECT_KIND_COUNT];
} expected_totals;

void		expected_write_all(const chain_model *chain, const layout_result *layout, const archive_writer *writer,
							   const char *directory, const char *options_text, expected_totals *totals);
/* The same; objects.csv only when with_objects (not for --bundles-only archives). */
void		expected_write_all_ex(const chain_model *chain, const layout_result *layout,
								  const archive_writer *writer, const char *directory, const char *options_text,
								  bool with_objects, expected_totals *totals);

/* objects.csv: every file the writer wrote, sorted by key. */
void		expected_write_objects(const archive_writer *writer, const char *directory, expected_totals *totals);
/* One element of a PostgreSQL array literal (array_out quoting), "," before all but the first. */
void		pg_array_append(byte_buf *out, const char *element, bool first);

/* expected_state_csv.c: one row of events.csv / state_changes.csv, and state.csv */
void		expected_render_event(csv_row *row, const chain_txn *txn, uint32_t index, const char *object,
								  expected_totals *totals);
void		expected_render_change(csv_row *row, const chain_txn *txn, uint32_t index, const char *object,
								   expected_totals *totals);
void		expected_write_state(const layout_result *layout, const char *directory, expected_totals *totals);

#endif
