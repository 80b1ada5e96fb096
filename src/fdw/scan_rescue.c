/*
 * scan_rescue.c — the v5 "JSON rescue" dumps (arrays of JSON-RPC transaction views whose
 * `bytes` hold each transaction's BCS) as rows of records 'transactions' and 'events',
 * read after the transaction chunks of the scan. The transaction is decoded from `bytes`
 * with the v5 decoder; version, timestamp, gas used, status and events come from the view,
 * whose `hash` is checked against the recomputed hash (archive/json_rescue.c). A version
 * that a transaction chunk of the archive holds, or that an earlier dump already gave,
 * is not returned again (dumps named <first>-<last>.json are read first, in order).
 * The views carry no event BCS: events have no data or event_bcs, their type is the Move
 * struct the view type stands for, and decoded holds the view's data as it is.
 */
#include "fdw/scan.h"

#include "archive/json_rescue.h"
#include "io/gzip.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* Largest dump read (a whole dump is parsed in memory). */
#define RESCUE_MAX_BYTES (256 * 1024 * 1024)

struct FfRescueScan
{
	size_t		next_file;		/* index into sel.rescue_kept */
	const char *key;			/* current dump */
	Datum		object_datum;
	ff_stream  *stream;
	ff_rescue_reader *reader;
	ff_range_set emitted;		/* versions returned from dumps so far */
	ff_range_set chunk_versions;	/* versions the transaction chunks hold */
	bool		ready;

	ff_rescue_tx view;
	ff_tx		tx;
	uint32		next_event;
	bool		in_tx;
	uint64		round;			/* of the last block metadata seen in the dump */
	bool		has_round;
};

/*
 * The dump is read whole, in one ff_stream_read_all whose reads grow to half the dump (one
 * inflate of up to 128 MiB for a .json.gz): it is read through a stream that hands out at
 * most this much a call and looks for a cancel before each.
 */
#define CANCELABLE_READ_MAX (1024 * 1024)

static void
close_dump(FfScanState *ss, FfRescueScan *rs)
{
	if (rs->reader)
		ff_rescue_close(rs->reader);
	rs->reader = NULL;
	if (rs->stream)
	{
		ss->stats.bytes_stored += ff_stream_stored_bytes(rs->stream);
		ff_stream_close(rs->stream);
	}
	rs->stream = NULL;
}

void
ff_rescue_scan_close(FfScanState *ss, FfRescueScan *rs)
{
	if (!rs)
		return;
	close_dump(ss, rs);
	ff_range_set_free(&rs->emitted);
	ff_range_set_free(&rs->chunk_versions);
	rs->ready = false;
}

static void
open_dump(FfScanState *ss, FfRescueScan *rs, const ff_rescue_file *f)
{
	ff_status	st;
	ff_stream  *file = NULL;
	bool		compressed;

	ff_status_clear(&st);
	rs->key = f->key;
	rs->object_datum = ff_scan_text(ss, f->key);
	rs->has_round = false;
	ss->err_object = f->key;
	ss->err_has_position = false;
	if (ff_source_open(ss->ref->source, f->key, 0, &file, &st) != FF_OK)
	{
		if (!st.object[0])
			ff_status_locate(&st, f->key, -1, -1);
		ff_report(&st, "cannot open JSON rescue dump");
	}
	rs->stream = ff_gzip_open(file, f->key, &compressed, &st);
	if (!rs->stream)
		ff_report(&st, "cannot read JSON rescue dump");
	rs->stream = ff_stream_cancelable(rs->stream, ff_cancel_requested, CANCELABLE_READ_MAX);
	if (!rs->stream)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (ff_rescue_open_cancel(rs->stream, RESCUE_MAX_BYTES, ff_cancel_requested, &rs->reader, &st) != FF_OK)
	{
		if (!st.object[0])
			ff_status_locate(&st, f->key, -1, -1);
		ff_report(&st, "cannot read JSON rescue dump");
	}
	ss->stats.objects_read++;
}

/* Status, abort location and code of the view's vm_status (VMStatusView of v5). */
static void
view_status(const ff_rescue_tx *v, ff_tx *tx)
{
	const char *t = v->vm_status_type ? v->vm_status_type : "";

	tx->has_abort_location = false;
	tx->has_abort_code = false;
	if (strcmp(t, "executed") == 0)
		tx->status = FF_EXEC_SUCCESS;
	else if (strcmp(t, "out_of_gas") == 0)
		tx->status = FF_EXEC_OUT_OF_GAS;
	else if (strcmp(t, "move_abort") == 0)
		tx->status = FF_EXEC_MOVE_ABORT;
	else if (strcmp(t, "execution_failure") == 0)
		tx->status = FF_EXEC_EXECUTION_FAILURE;
	else
		tx->status = FF_EXEC_MISCELLANEOUS_ERROR;
	if (v->has_abort_code)
	{
		tx->has_abort_code = true;
		tx->abort_code = v->abort_code;
	}
}

/* The next view of the kept dumps not returned before; false when there are none. */
static bool
next_view(FfScanState *ss, FfRescueScan *rs)
{
	const ff_catalog *cat = ss->ref->catalog;

	for (;;)
	{
		ff_status	st;
		ff_code		rc;

		CHECK_FOR_INTERRUPTS();
		if (!rs->reader)
		{
			if (rs->next_file >= ss->sel.n_rescue_kept)
				return false;
			open_dump(ss, rs, &cat->rescue_files[ss->sel.rescue_kept[rs->next_file++]]);
		}
		ff_status_clear(&st);
		rc = ff_rescue_next(rs->reader, &rs->view, &st);
		if (rc == FF_EOF)
		{
			close_dump(ss, rs);
			continue;
		}
		if (rc != FF_OK)
		{
			if (!st.object[0])
				ff_status_locate(&st, rs->key, -1, -1);
			ff_report(&st, "cannot read JSON rescue dump");
		}
		ss->err_has_position = true;
		ss->err_position = rs->view.version;
		ss->err_position_label = "version";

		ff_status_clear(&st);
		if (ff_tx_decode_transaction_era(FF_ERA_V5, rs->view.bytes, rs->view.len, &rs->tx, &st) != FF_OK)
		{
			ff_status_locate(&st, rs->key, -1, st.offset);
			ff_report(&st, psprintf("cannot decode the transaction of version " UINT64_FORMAT " in JSON rescue dump", rs->view.version));
		}
		ss->stats.records_decoded++;
		if (rs->tx.kind == FF_TX_BLOCK_METADATA)
		{
			rs->round = rs->tx.round;
			rs->has_round = true;
		}
		if (!ff_range_set_contains(&ss->sel.wanted, rs->view.version) ||
			ff_range_set_contains(&rs->chunk_versions, rs->view.version) ||
			ff_range_set_contains(&rs->emitted, rs->view.version))
		{
			ss->stats.records_skipped++;
			continue;
		}
		if (!ff_range_set_add(&rs->emitted, rs->view.version, rs->view.version))
			ff_out_of_memory();

		/* the view gives what the bare transaction lacks */
		rs->tx.tx_hash = rs->view.hash;
		rs->tx.gas_used = rs->view.gas_used;
		rs->tx.event_count = rs->view.n_events;
		view_status(&rs->view, &rs->tx);
		return true;
	}
}

/* Block and epoch of the current view. */
static void
fill_context(FfScanState *ss, FfRescueScan *rs, FfRowContext *row)
{
	uint64		lo,
				hi;

	memset(row, 0, sizeof(*row));
	row->tx = &rs->tx;
	row->version = rs->view.version;
	row->has_block = true;
	row->no_round = !rs->has_round;
	row->round = rs->round;
	row->timestamp_usecs = rs->view.timestamp_usecs;
	if (ff_catalog_epoch_of(ss->ref->catalog, rs->view.version, &lo, &hi))
	{
		row->has_epoch = true;
		row->epoch = lo;
	}
	row->object = rs->object_datum;
	row->framework = ff_scan_framework(ss, FF_ERA_V5);
	row->scratch = &ss->scratch;
}

bool
ff_rescue_scan_next(FfScanState *ss, FfRescueScan **state, Datum *values, bool *nulls)
{
	FfRescueScan *rs = *state;
	FfRowContext row;

	if (ss->sel.n_rescue_kept == 0)
		return false;
	if (!rs)
		rs = *state = MemoryContextAllocZero(ss->scancxt, sizeof(FfRescueScan));
	if (!rs->ready)
	{
		const ff_catalog *cat = ss->ref->catalog;

		memset(rs, 0, sizeof(*rs));
		ff_range_set_init_empty(&rs->emitted);
		ff_range_set_init_empty(&rs->chunk_versions);
		rs->ready = true;
		for (size_t i = 0; i < cat->n_tx_chunks; i++)
			if (!ff_range_set_add(&rs->chunk_versions, cat->tx_chunks[i].emit_from,
								  cat->tx_chunks[i].last_version))
				ff_out_of_memory();
	}

	if (ss->opts.records == FF_RECORDS_TRANSACTIONS)
	{
		if (!next_view(ss, rs))
			return false;
		fill_context(ss, rs, &row);
		ff_build_tx_row(&row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
		return true;
	}

	/* events */
	for (;;)
	{
		if (rs->in_tx && rs->next_event < rs->view.n_events)
		{
			FfRescueEventRow erow;

			fill_context(ss, rs, &erow.ctx);
			erow.event = &rs->view.events[rs->next_event++];
			ff_build_rescue_event_row(&erow, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
			return true;
		}
		rs->in_tx = false;
		if (!next_view(ss, rs))
			return false;
		rs->in_tx = true;
		rs->next_event = 0;
	}
}
