/*
 * scan_state.c — reading state snapshot chunks for records 'state': one row per item
 * (StateKey, StateValue) of each kept v6/v7 snapshot, and one row per resource of each
 * account record (HashValue, AccountStateBlob) of a v4/v5 snapshot, chunk after chunk in
 * index order. Each chunk must hold exactly the records its manifest says
 * (first_idx..last_idx).
 */
#include "fdw/scan.h"

#include "chain/legacy_state.h"
#include "chain/state.h"
#include "miscadmin.h"

typedef struct FfStateReader
{
	size_t		next_kept;		/* next snapshot in the selection */
	const ff_state_snapshot *snapshot;
	size_t		next_chunk;		/* next chunk of the snapshot */
	const ff_state_chunk *chunk;
	FfRecordStream rs;			/* rs.records == NULL: none open */
	uint64		next_index;		/* item index of the next record */
	Datum		object_datum;
	ff_era		era;			/* of the snapshot's records, once the first is read */

	/* v4/v5: the account record whose resources are being returned */
	bool		in_account;
	ff_account_record account;
	ff_account_iter resources;
	bool		has_address;
	uint8_t		address[16];
	uint64		account_index;
} FfStateReader;

static void
state_close(FfScanState *ss)
{
	FfStateReader *sr = (FfStateReader *) ss->reader;

	if (sr)
		ff_close_record_stream(ss, &sr->rs);
}

static void
state_start(FfScanState *ss)
{
	FfStateReader *sr = ss->reader;

	if (!sr)
		sr = ss->reader = MemoryContextAllocZero(ss->scancxt, sizeof(FfStateReader));
	memset(sr, 0, sizeof(*sr));
	ss->err_position_label = "item";
}

static void
chunk_count_wrong(const FfStateReader *sr, bool too_many)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 too_many
			 ? errmsg("state snapshot chunk \"%s\" holds more items than its manifest says", sr->chunk->key)
			 : errmsg("state snapshot chunk \"%s\" ends early", sr->chunk->key),
			 too_many
			 ? errdetail("Item " UINT64_FORMAT " at byte offset " UINT64_FORMAT " is past items " UINT64_FORMAT " to " UINT64_FORMAT " of its manifest \"%s\".",
						 sr->next_index, (uint64) ff_record_last_offset(sr->rs.records),
						 sr->chunk->first_idx, sr->chunk->last_idx, sr->snapshot->manifest_key)
			 : errdetail("It ends at byte offset " UINT64_FORMAT " before item " UINT64_FORMAT "; its manifest \"%s\" says items " UINT64_FORMAT " to " UINT64_FORMAT ".",
						 (uint64) ff_record_offset(sr->rs.records), sr->next_index,
						 sr->snapshot->manifest_key, sr->chunk->first_idx, sr->chunk->last_idx),
			 errhint("The object is truncated, holds more than its manifest names, or the manifest does not belong to it.")));
}

/* Open the next chunk of the selection; false when there is none. */
static bool
open_next_chunk(FfScanState *ss, FfStateReader *sr)
{
	const ff_catalog *cat = ss->ref->catalog;

	while (!sr->snapshot || sr->next_chunk >= sr->snapshot->n_chunks)
	{
		if (sr->next_kept >= ss->sel.n_kept)
			return false;
		sr->snapshot = &cat->snapshots[ss->sel.kept[sr->next_kept++]];
		sr->next_chunk = 0;
		sr->era = FF_ERA_UNKNOWN;
	}
	sr->chunk = &sr->snapshot->chunks[sr->next_chunk++];
	ff_open_record_stream(ss, sr->chunk->key, "state snapshot chunk", &sr->rs);
	sr->next_index = sr->chunk->first_idx;
	sr->object_datum = ff_scan_text(ss, sr->chunk->key);
	return true;
}

/*
 * The era of a snapshot's records: the catalog's; else v6 for state_epoch_* folders; else
 * the hash domain under which the first account's address checks out.
 */
static ff_era
snapshot_era(FfScanState *ss, FfStateReader *sr, const uint8_t *rec, size_t len)
{
	ff_era		told = FF_ERA_UNKNOWN;

	if (sr->era != FF_ERA_UNKNOWN)
		return sr->era;
	if (ss->ref->catalog->era == FF_ERA_UNKNOWN)
	{
		if (strstr(sr->snapshot->manifest_key, "state_epoch_") != NULL)
			told = FF_ERA_V6;
		else
		{
			static const ff_era legacy[] = {FF_ERA_V5, FF_ERA_V4};

			for (int i = 0; i < 2 && told == FF_ERA_UNKNOWN; i++)
			{
				ff_account_record r;
				ff_status	st;
				uint8_t		addr[16];

				ff_status_clear(&st);
				if (ff_account_record_decode(legacy[i], rec, len, &r, &st) == FF_OK &&
					ff_account_address(&r, addr))
					told = legacy[i];
			}
		}
	}
	sr->era = ff_scan_object_era(ss, sr->chunk->key, told);
	return sr->era;
}

/* The next resource of the current v4/v5 account record as a row; false after the last. */
static bool
next_resource(FfScanState *ss, FfStateReader *sr, Datum *values, bool *nulls)
{
	ff_account_resource res;
	ff_status	st;
	ff_code		rc;
	FfAccountRow row = {0};

	ff_status_clear(&st);
	rc = ff_account_next(&sr->resources, &res, &st);
	if (rc == FF_EOF)
	{
		sr->in_account = false;
		return false;
	}
	if (rc != FF_OK)
		ff_report_record(&sr->rs, &st, "cannot decode account state");
	row.snapshot_version = sr->snapshot->version;
	row.has_epoch = sr->snapshot->has_epoch;
	row.epoch = sr->snapshot->epoch;
	row.index = sr->account_index;
	row.record = &sr->account;
	row.resource = &res;
	row.has_address = sr->has_address;
	memcpy(row.address, sr->address, 16);
	row.has_balance = ff_account_resource_balance(sr->era, &res, &row.balance);
	row.object = sr->object_datum;
	row.framework = ff_scan_framework(ss, sr->era);
	row.scratch = &ss->scratch;
	ff_build_account_row(&row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
	return true;
}

static bool
state_next(FfScanState *ss, Datum *values, bool *nulls)
{
	FfStateReader *sr = (FfStateReader *) ss->reader;

	for (;;)
	{
		const uint8_t *rec;
		size_t		len;
		ff_status	st;
		ff_code		rc;
		ff_state_item item;
		FfStateRow	row = {0};

		CHECK_FOR_INTERRUPTS();
		if (sr->in_account && next_resource(ss, sr, values, nulls))
			return true;
		if (!sr->rs.records && !open_next_chunk(ss, sr))
			return false;
		ss->err_object = sr->chunk->key;
		ss->err_has_position = true;
		ss->err_position = sr->next_index;

		ff_status_clear(&st);
		rc = ff_record_next(sr->rs.records, &rec, &len, &st);
		if (rc == FF_EOF)
		{
			if (sr->next_index != sr->chunk->last_idx + 1)
				chunk_count_wrong(sr, false);
			ff_close_record_stream(ss, &sr->rs);
			continue;
		}
		if (rc != FF_OK)
			ff_report(&st, "cannot read state snapshot chunk");
		if (sr->next_index > sr->chunk->last_idx)
			chunk_count_wrong(sr, true);

		if (snapshot_era(ss, sr, rec, len) != FF_ERA_V6)
		{
			ff_status_clear(&st);
			if (ff_account_record_decode(sr->era, rec, len, &sr->account, &st) != FF_OK)
				ff_report_record(&sr->rs, &st, "cannot decode account state");
			ss->stats.records_decoded++;
			sr->has_address = ff_account_address(&sr->account, sr->address);
			sr->account_index = sr->next_index++;
			ff_account_iter_init(&sr->resources, &sr->account);
			sr->in_account = true;
			continue;
		}
		ff_status_clear(&st);
		if (ff_state_item_decode(rec, len, &item, &st) != FF_OK)
			ff_report_record(&sr->rs, &st, "cannot decode state snapshot item");
		ss->stats.records_decoded++;

		row.version = sr->snapshot->version;
		row.has_epoch = sr->snapshot->has_epoch;
		row.epoch = sr->snapshot->epoch;
		row.index = sr->next_index++;
		row.key = &item.key;
		row.has_value = true;
		row.value = item.value;
		row.metadata = &item.metadata;
		row.object = sr->object_datum;
		row.framework = ff_scan_framework(ss, sr->era);
		row.scratch = &ss->scratch;
		ff_build_state_row(&row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
		return true;
	}
}

const FfScanDriver ff_state_driver = {
	.start = state_start,
	.next = state_next,
	.close = state_close,
};
