/*
 * expected_csv.h — renders what the FDW must return for the archive just
 * written: transactions.csv (one row per version present in a chunk,
 * duplicates removed, COPY ... CSV HEADER format), epochs.csv and summary.txt.
 */
#ifndef FIXTUREGEN_EXPECTED_CSV_H
#define FIXTUREGEN_EXPECTED_CSV_H

#include "archive_layout.h"
#include "chain_model.h"

typedef struct expected_totals
{
	size_t		rows;
	size_t		by_kind[4];		/* indexed by txn_kind */
	size_t		by_status[5];	/* indexed by status_kind */
	uint64_t	first_version;
	uint64_t	last_version;
} expected_totals;

void		expected_write_all(const chain_model *chain, const layout_result *layout, const char *directory,
							   const char *options_text, expected_totals *totals);

#endif
