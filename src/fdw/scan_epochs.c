/*
 * scan_epochs.c — reading epoch-ending chunks for records 'epochs': one row per
 * LedgerInfoWithSignatures (the ledger info that ends an epoch). Each record must be the
 * epoch its position in the chunk says, end at the version and carry the waypoint the
 * catalog's manifests give; a mismatch is data corruption, never a silent row.
 */
#include "fdw/scan.h"

#include "chain/hash.h"
#include "chain/ledger_info.h"
#include "chain/render.h"
#include "miscadmin.h"

typedef struct FfEpochReader
{
	size_t		next_kept;
	const ff_epoch_chunk *chunk;
	FfRecordStream rs;			/* rs.records == NULL: none open */
	uint64		next_epoch;		/* epoch of the next record */
	Datum		object_datum;
	ff_era		era;			/* of the chunk's records, once the first is decoded */
} FfEpochReader;

static void
epochs_close(FfScanState *ss)
{
	FfEpochReader *er = (FfEpochReader *) ss->reader;

	if (er)
		ff_close_record_stream(ss, &er->rs);
}

static void
epochs_start(FfScanState *ss)
{
	FfEpochReader *er = ss->reader;

	if (!er)
		er = ss->reader = MemoryContextAllocZero(ss->scancxt, sizeof(FfEpochReader));
	memset(er, 0, sizeof(*er));
	ss->err_position_label = "epoch";
}

/* The chunk holds other than its manifest's epochs: held records, or -1 for more. */
static void
chunk_count_wrong(const FfEpochReader *er, int64 held)
{
	ff_report_chunk_count(er->rs.records, "epoch-ending chunk", er->chunk->key, er->chunk->manifest_key, "epochs",
						  er->chunk->first_epoch, er->chunk->last_epoch, held);
}

/* The record of epoch `epoch` must agree with the catalog (manifest waypoints, .meta). */
static void
check_record(FfScanState *ss, FfEpochReader *er, const ff_ledger_info *li, uint64 epoch,
			 const uint8_t *waypoint)
{
	const ff_epoch_end *end = ff_catalog_epoch_end(ss->ref->catalog, epoch);
	char		want[65],
				got[65];

	if (li->epoch != epoch)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("epoch-ending chunk \"%s\" holds epoch " UINT64_FORMAT " where its manifest says epoch " UINT64_FORMAT,
						er->chunk->key, li->epoch, epoch),
				 errdetail("Record " INT64_FORMAT " of the chunk; manifest \"%s\".",
						   ff_record_index(er->rs.records) - 1, er->chunk->manifest_key)));
	if (!end)
		return;
	if (end->version != li->version)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("epoch " UINT64_FORMAT " ends at version " UINT64_FORMAT " in \"%s\" but at version " UINT64_FORMAT " in the archive's manifests",
						epoch, li->version, er->chunk->key, end->version)));
	if (end->has_waypoint && memcmp(end->waypoint, waypoint, 32) != 0)
	{
		ff_hex(end->waypoint, 32, want);
		ff_hex(waypoint, 32, got);
		want[64] = got[64] = '\0';
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the ledger info of epoch " UINT64_FORMAT " in \"%s\" does not match its waypoint",
						epoch, er->chunk->key),
				 errdetail("The manifest \"%s\" says " UINT64_FORMAT ":%s; the record hashes to " UINT64_FORMAT ":%s.",
						   er->chunk->manifest_key, end->version, want, li->version, got),
				 errhint("The record or the manifest was altered; do not trust this epoch.")));
	}
}

/* The era a record tells, checked against the manifest's waypoint of its epoch. */
static ff_era
record_era(const ff_catalog *cat, uint64 epoch, const uint8_t *rec, size_t len)
{
	const ff_epoch_end *end = ff_catalog_epoch_end(cat, epoch);

	return ff_ledger_info_detect_era(rec, len, end && end->has_waypoint ? end->waypoint : NULL);
}

static bool
epochs_next(FfScanState *ss, Datum *values, bool *nulls)
{
	FfEpochReader *er = (FfEpochReader *) ss->reader;
	const ff_catalog *cat = ss->ref->catalog;

	for (;;)
	{
		const uint8_t *rec;
		size_t		len;
		ff_status	st;
		ff_code		rc;
		uint64		epoch;
		bool		wanted;
		ff_ledger_info li;
		uint8_t		waypoint[32];
		FfEpochRow	row = {0};
		const ff_epoch_end *prev;

		CHECK_FOR_INTERRUPTS();
		if (!er->rs.records)
		{
			if (er->next_kept >= ss->sel.n_kept)
				return false;
			er->chunk = &cat->epoch_chunks[ss->sel.kept[er->next_kept++]];
			ff_open_record_stream(ss, er->chunk->key, "epoch-ending chunk", &er->rs);
			er->next_epoch = er->chunk->first_epoch;
			er->object_datum = ff_scan_text(ss, er->chunk->key);
			er->era = FF_ERA_UNKNOWN;
		}
		epoch = er->next_epoch;
		ss->err_object = er->chunk->key;
		ss->err_has_position = true;
		ss->err_position = epoch;

		wanted = epoch >= er->chunk->emit_from && epoch <= er->chunk->last_epoch &&
			ff_range_set_contains(&ss->sel.wanted, epoch);
		ff_status_clear(&st);
		if (wanted)
			rc = ff_record_next(er->rs.records, &rec, &len, &st);
		else
			rc = ff_record_skip(er->rs.records, &st);
		if (rc == FF_EOF)
		{
			if (er->next_epoch != er->chunk->last_epoch + 1)
				chunk_count_wrong(er, (int64) (er->next_epoch - er->chunk->first_epoch));
			ff_close_record_stream(ss, &er->rs);
			continue;
		}
		if (rc != FF_OK)
			ff_report(&st, "cannot read epoch-ending chunk");
		if (epoch > er->chunk->last_epoch)
			chunk_count_wrong(er, -1);
		er->next_epoch++;
		if (!wanted)
		{
			ss->stats.records_skipped++;
			continue;
		}

		if (er->era == FF_ERA_UNKNOWN)
			er->era = ff_scan_object_era(ss, er->chunk->key,
										 cat->era == FF_ERA_UNKNOWN ? record_era(cat, epoch, rec, len) : FF_ERA_UNKNOWN);
		ff_status_clear(&st);
		if (ff_ledger_info_decode_era(er->era, rec, len, &li, &st) != FF_OK)
		{
			ff_era		told = record_era(cat, epoch, rec, len);

			if (told != FF_ERA_UNKNOWN && told != er->era)
				(void) ff_scan_object_era(ss, er->chunk->key, told);	/* raises */
			ff_report_record(&er->rs, &st, "cannot decode epoch-ending ledger info");
		}
		ss->stats.records_decoded++;
		ff_ledger_info_waypoint(&li, ff_era_domain(er->era), waypoint);
		check_record(ss, er, &li, epoch, waypoint);

		row.li = &li;
		row.waypoint = waypoint;
		if (epoch == 0)
			row.has_first_version = true;
		else if ((prev = ff_catalog_epoch_end(cat, epoch - 1)) != NULL)
		{
			row.has_first_version = true;
			row.first_version = prev->version + 1;
		}
		row.object = er->object_datum;
		row.framework = ff_scan_framework(ss, er->era);
		row.scratch = &ss->scratch;
		ff_build_epoch_row(&row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
		return true;
	}
}

const FfScanDriver ff_epochs_driver = {
	.start = epochs_start,
	.next = epochs_next,
	.close = epochs_close,
};
