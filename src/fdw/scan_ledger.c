/*
 * scan.c — executing a scan: at the first row, evaluate the pushed-down values (Params and
 * initplans included), take the current catalog, prune its objects, then stream the kept
 * chunks one after another (file -> gzip -> record framing -> decoder -> row).
 *
 * Each row carries the epoch, round and timestamp of its enclosing block. The block context
 * flows from record to record and from a chunk into the next contiguous one; when a chunk
 * starts mid-block and its predecessor was not read (pruned away), the predecessor is read
 * once in "context only" mode (only BlockMetadata headers are looked at) and its end context
 * is remembered in the catalog cache for later scans.
 *
 * Every lower-layer resource (streams, readers, buffers) is released by EndForeignScan, and
 * on error or cancel by a reset callback on the executor's memory context.
 */
#include "fdw/forensic_fdw.h"

#include "chain/block.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "io/gzip.h"
#include "io/record.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

/* Counters shown by EXPLAIN ANALYZE. */
typedef struct FfScanStats
{
	int64		objects_kept;
	int64		objects_total;
	int64		objects_read;
	int64		context_objects_read;	/* predecessors read only for the block context */
	uint64		bytes_stored;
	uint64		bytes_raw;
	int64		records_decoded;
	int64		records_skipped;
	int64		rows;
} FfScanStats;

/* An open chunk: its stream stack and position. */
typedef struct FfChunkReader
{
	const ff_tx_chunk *chunk;
	size_t		index;			/* in the catalog */
	ff_stream  *stream;			/* file + gzip */
	ff_record_reader *records;
	uint64		next_version;	/* version of the next record */
} FfChunkReader;

typedef struct FfScanState
{
	/* from the plan */
	FfTableOptions opts;
	int			natts;
	int		   *colmap;			/* per attribute: column or -1 when not needed */
	bool	   *as_bytea;
	bool		need_block;		/* epoch, round or block_timestamp are used */
	List	   *push_info;
	List	   *push_types;
	List	   *push_states;	/* ExprState per fdw_exprs entry */
	char	   *plan_versions;
	char	   *plan_epochs;
	int			plan_kept;
	int			plan_total;
	bool		plan_runtime;

	/* run time */
	bool		started;
	bool		closed;			/* resources already released */
	FfCatalogRef *ref;
	ff_range_set wanted;		/* versions to return */
	char	   *run_versions;	/* text of `wanted` for EXPLAIN ANALYZE */
	char	   *run_epochs;		/* text of the epochs asked for */
	size_t	   *kept;			/* indexes of kept chunks, ascending */
	size_t		n_kept;
	size_t		next_kept;
	size_t		range_cursor;	/* index into wanted.r of the current version's range */
	FfChunkReader cur;			/* cur.records == NULL: none open */
	Datum		object_datum;	/* text of the current chunk's key (scan memory) */

	FfBlockContext block;		/* enclosing block of the last record processed */
	bool		block_current;	/* block describes cur up to next_version - 1 */

	ff_buf		scratch;
	MemoryContext scancxt;		/* lives as long as the scan */
	MemoryContext rowcxt;		/* reset for every row */
	MemoryContextCallback cleanup;
	FfScanStats stats;

	/* for the error context callback */
	const char *err_object;
	uint64		err_version;
} FfScanState;

static void release_scan_resources(FfScanState *ss);

static void
close_chunk(FfScanState *ss, FfChunkReader *cr)
{
	if (cr->records)
	{
		ss->stats.bytes_raw += ff_record_raw_bytes(cr->records);
		ff_record_reader_free(cr->records);
		cr->records = NULL;
	}
	if (cr->stream)
	{
		ss->stats.bytes_stored += ff_stream_stored_bytes(cr->stream);
		ff_stream_close(cr->stream);
		cr->stream = NULL;
	}
}

static void
release_scan_resources(FfScanState *ss)
{
	if (ss->closed)
		return;
	ss->closed = true;
	close_chunk(ss, &ss->cur);
	ff_buf_free(&ss->scratch);
	ff_range_set_free(&ss->wanted);
	free(ss->kept);
	ss->kept = NULL;
	if (ss->ref)
	{
		ff_catalog_release(ss->ref);
		ss->ref = NULL;
	}
}

/* Memory context reset callback: the executor's context goes away (end, error, cancel). */
static void
scan_context_reset(void *arg)
{
	release_scan_resources((FfScanState *) arg);
}

static void
scan_error_context(void *arg)
{
	FfScanState *ss = (FfScanState *) arg;

	if (ss->err_object)
		errcontext("forensic_fdw scan of archive object \"%s\", version " UINT64_FORMAT,
				   ss->err_object, ss->err_version);
}

void
ffBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *plan = (ForeignScan *) node->ss.ps.plan;
	FfScanState *ss = palloc0(sizeof(FfScanState));
	List	   *priv = plan->fdw_private;
	List	   *needed = list_nth(priv, FfPrivateColumns);
	List	   *bytea_list = list_nth(priv, FfPrivateBytea);
	List	   *summary = list_nth(priv, FfPrivatePlanSummary);
	ListCell   *lc;
	int			i;

	ff_get_table_options(RelationGetRelid(node->ss.ss_currentRelation), &ss->opts);
	ss->natts = list_length(needed);
	ss->colmap = palloc(sizeof(int) * Max(ss->natts, 1));
	ss->as_bytea = palloc(sizeof(bool) * Max(ss->natts, 1));
	i = 0;
	foreach(lc, needed)
	{
		ss->colmap[i] = lfirst_int(lc);
		if (ss->colmap[i] == FF_COL_EPOCH || ss->colmap[i] == FF_COL_ROUND ||
			ss->colmap[i] == FF_COL_BLOCK_TIMESTAMP)
			ss->need_block = true;
		i++;
	}
	i = 0;
	foreach(lc, bytea_list)
		ss->as_bytea[i++] = lfirst_int(lc) != 0;
	ss->push_info = list_nth(priv, FfPrivatePushInfo);
	ss->push_types = list_nth(priv, FfPrivatePushTypes);
	ss->plan_versions = strVal(list_nth(summary, 0));
	ss->plan_epochs = strVal(list_nth(summary, 1));
	ss->plan_kept = intVal(list_nth(summary, 2));
	ss->plan_total = intVal(list_nth(summary, 3));
	ss->plan_runtime = intVal(list_nth(summary, 4)) != 0;

	ss->push_states = ExecInitExprList(plan->fdw_exprs, (PlanState *) node);
	ff_buf_init(&ss->scratch);
	ff_range_set_init_empty(&ss->wanted);
	ss->scancxt = CurrentMemoryContext;
	ss->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "forensic_fdw row",
									   ALLOCSET_DEFAULT_SIZES);
	ss->cleanup.func = scan_context_reset;
	ss->cleanup.arg = ss;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &ss->cleanup);
	node->fdw_state = ss;

	/* nothing is read for a plain EXPLAIN */
	(void) eflags;
}

/* Evaluate the pushed values, take the catalog and decide which chunks to read. */
static void
start_scan(ForeignScanState *node, FfScanState *ss)
{
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	int			n = list_length(ss->push_states);
	Datum	   *values = palloc0(sizeof(Datum) * Max(n, 1));
	bool	   *isnull = palloc0(sizeof(bool) * Max(n, 1));
	bool	   *known = palloc0(sizeof(bool) * Max(n, 1));
	ff_range_set versions,
				epochs;
	ListCell   *lc;
	int			i = 0;
	MemoryContext old;

	foreach(lc, ss->push_states)
	{
		values[i] = ExecEvalExpr((ExprState *) lfirst(lc), econtext, &isnull[i]);
		known[i] = true;
		i++;
	}

	ss->ref = ff_catalog_acquire(ss->opts.serverid, ss->opts.location);
	ss->closed = false;
	ff_pushdown_ranges(ss->push_info, ss->push_types, values, isnull, known, &versions, &epochs);
	ff_range_set_free(&ss->wanted);
	ff_pushdown_versions(ss->ref->catalog, &versions, &epochs, &ss->wanted);
	/* what EXPLAIN ANALYZE shows */
	old = MemoryContextSwitchTo(ss->scancxt);
	ss->run_epochs = ff_range_set_text(&epochs, 8);
	ss->run_versions = ff_range_set_text(&ss->wanted, 8);
	MemoryContextSwitchTo(old);
	ff_range_set_free(&versions);
	ff_range_set_free(&epochs);

	free(ss->kept);
	ss->kept = NULL;
	if (!ff_catalog_prune_tx(ss->ref->catalog, &ss->wanted, &ss->kept, &ss->n_kept))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	ss->next_kept = 0;
	ss->range_cursor = 0;
	ss->block.valid = false;
	ss->block_current = false;
	memset(&ss->stats, 0, sizeof(ss->stats));
	ss->stats.objects_kept = (int64) ss->n_kept;
	ss->stats.objects_total = (int64) ss->ref->catalog->n_tx_chunks;
	ss->started = true;
}

/* Is version v wanted? Versions come in ascending order, so a cursor walks the ranges. */
static bool
version_wanted(FfScanState *ss, uint64 v)
{
	while (ss->range_cursor < ss->wanted.n && ss->wanted.r[ss->range_cursor].hi < v)
		ss->range_cursor++;
	return ss->range_cursor < ss->wanted.n && ss->wanted.r[ss->range_cursor].lo <= v;
}

static void
open_chunk_reader(FfScanState *ss, size_t index, FfChunkReader *cr)
{
	const ff_tx_chunk *chunk = &ss->ref->catalog->tx_chunks[index];
	ff_status	st;
	ff_stream  *file = NULL;
	bool		compressed;

	ff_status_clear(&st);
	memset(cr, 0, sizeof(*cr));
	cr->chunk = chunk;
	cr->index = index;
	cr->next_version = chunk->first_version;
	if (ff_source_open(ss->ref->source, chunk->key, 0, &file, &st) != FF_OK)
	{
		ff_status_locate(&st, chunk->key, -1, -1);
		ff_report(&st, "cannot open transaction chunk");
	}
	cr->stream = ff_gzip_open(file, chunk->key, &compressed, &st);
	if (!cr->stream)
		ff_report(&st, "cannot read transaction chunk");
	cr->records = ff_record_reader_new(cr->stream, chunk->key, ss->opts.max_record_size, &st);
	if (!cr->records)
	{
		close_chunk(ss, cr);
		ff_report(&st, "cannot read transaction chunk");
	}
	ss->stats.objects_read++;
}

/* The chunk ended: its record count must match its manifest. */
static void
check_chunk_complete(const FfChunkReader *cr)
{
	if (cr->next_version != cr->chunk->last_version + 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("transaction chunk \"%s\" ends early", cr->chunk->key),
				 errdetail("It holds " UINT64_FORMAT " records; its manifest \"%s\" says versions " UINT64_FORMAT " to " UINT64_FORMAT ".",
						   cr->next_version - cr->chunk->first_version, cr->chunk->manifest_key,
						   cr->chunk->first_version, cr->chunk->last_version),
				 errhint("The object is truncated or the manifest does not belong to it.")));
}

static void
too_many_records(const FfChunkReader *cr)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("transaction chunk \"%s\" holds more records than its manifest says", cr->chunk->key),
			 errdetail("Its manifest \"%s\" says versions " UINT64_FORMAT " to " UINT64_FORMAT ".",
					   cr->chunk->manifest_key, cr->chunk->first_version, cr->chunk->last_version)));
}

/* Follow the block context over one record (genesis opens epoch 0). */
static void
track_block(FfBlockContext *block, const uint8_t *rec, size_t len)
{
	ff_block_header h;
	int			kind = ff_tx_peek_kind(rec, len);

	if (kind == FF_TX_BLOCK_METADATA && ff_block_header_peek(rec, len, &h))
	{
		block->valid = true;
		block->epoch = h.epoch;
		block->round = h.round;
		block->timestamp_usecs = h.timestamp_usecs;
	}
	else if (kind == FF_TX_GENESIS)
	{
		block->valid = true;
		block->epoch = 0;
		block->round = 0;
		block->timestamp_usecs = 0;
	}
}

/*
 * The block context at the end of chunk `index`: remembered from an earlier read, or
 * learnt now by reading the chunk for its BlockMetadata headers only.
 */
static FfBlockContext
chunk_end_context(FfScanState *ss, size_t index)
{
	FfBlockContext *known = &ss->ref->chunk_end[index];
	FfChunkReader cr;
	FfBlockContext block = {0};
	ff_status	st;

	if (known->valid)
		return *known;

	open_chunk_reader(ss, index, &cr);
	ss->stats.objects_read--;
	ss->stats.context_objects_read++;
	PG_TRY();
	{
		for (;;)
		{
			const uint8_t *rec;
			size_t		len;
			ff_code		rc;

			CHECK_FOR_INTERRUPTS();
			ff_status_clear(&st);
			rc = ff_record_next(cr.records, &rec, &len, &st);
			if (rc == FF_EOF)
				break;
			if (rc != FF_OK)
				ff_report(&st, "cannot read transaction chunk");
			track_block(&block, rec, len);
			cr.next_version++;
		}
		check_chunk_complete(&cr);
	}
	PG_FINALLY();
	{
		close_chunk(ss, &cr);
	}
	PG_END_TRY();
	*known = block;
	return block;
}

/*
 * A chunk starts with records before its first BlockMetadata: find their block in the
 * contiguous predecessor chunk, if there is one.
 */
static void
resolve_leading_block(FfScanState *ss)
{
	const ff_catalog *cat = ss->ref->catalog;
	size_t		index = ss->cur.index;

	ss->block_current = true;	/* whatever we find, do not look again in this chunk */
	ss->block.valid = false;
	if (index == 0)
		return;
	if (cat->tx_chunks[index - 1].last_version + 1 != cat->tx_chunks[index].first_version)
		return;
	ss->block = chunk_end_context(ss, index - 1);
}

static void
fill_row_block(FfScanState *ss, FfRowContext *row)
{
	row->has_block = ss->block.valid;
	row->has_epoch = ss->block.valid;
	if (ss->block.valid)
	{
		row->epoch = ss->block.epoch;
		row->round = ss->block.round;
		row->timestamp_usecs = ss->block.timestamp_usecs;
	}
	else
	{
		uint64		lo,
					hi;

		/* no block known: the epoch index still tells the epoch when it is exact */
		if (ff_catalog_epoch_of(ss->ref->catalog, row->version, &lo, &hi))
		{
			row->has_epoch = true;
			row->epoch = lo;
		}
	}
}

static void
open_next_chunk(FfScanState *ss)
{
	size_t		index = ss->kept[ss->next_kept++];
	const ff_tx_chunk *chunk = &ss->ref->catalog->tx_chunks[index];
	bool		contiguous = ss->block_current && ss->cur.chunk &&
		ss->cur.chunk->last_version + 1 == chunk->first_version &&
		ss->cur.next_version == chunk->first_version;
	MemoryContext old;

	close_chunk(ss, &ss->cur);
	open_chunk_reader(ss, index, &ss->cur);
	ss->block_current = contiguous;
	old = MemoryContextSwitchTo(ss->scancxt);
	ss->object_datum = CStringGetTextDatum(chunk->key);
	MemoryContextSwitchTo(old);
	ss->err_object = chunk->key;
}

/* Read records until one becomes a row (true) or the kept chunks are exhausted (false). */
static bool
next_row(FfScanState *ss, FfRowContext *row, ff_tx *tx)
{
	ff_status	st;

	for (;;)
	{
		FfChunkReader *cr = &ss->cur;
		const uint8_t *rec;
		size_t		len;
		uint64		v;
		bool		wanted;
		ff_code		rc;

		CHECK_FOR_INTERRUPTS();
		if (!cr->records)
		{
			if (ss->next_kept >= ss->n_kept)
				return false;
			open_next_chunk(ss);
			continue;
		}

		v = cr->next_version;
		ss->err_version = v;
		/* past the last wanted version of this chunk: stop reading it */
		if (ss->range_cursor >= ss->wanted.n ||
			v > Min(cr->chunk->last_version, ss->wanted.r[ss->wanted.n - 1].hi))
		{
			if (v > cr->chunk->last_version)
			{
				/* the chunk should end here */
				ff_status_clear(&st);
				rc = ff_record_skip(cr->records, &st);
				if (rc == FF_OK)
					too_many_records(cr);
				if (rc != FF_EOF)
					ff_report(&st, "cannot read transaction chunk");
				if (ss->block_current)
					ss->ref->chunk_end[cr->index] = ss->block;
			}
			close_chunk(ss, cr);
			continue;
		}

		wanted = v >= cr->chunk->emit_from && version_wanted(ss, v);
		ff_status_clear(&st);
		if (!wanted && !ss->need_block)
		{
			/* passed over unseen: the block context no longer describes this chunk */
			rc = ff_record_skip(cr->records, &st);
			rec = NULL;
			len = 0;
			ss->block_current = false;
			ss->block.valid = false;
		}
		else
			rc = ff_record_next(cr->records, &rec, &len, &st);
		if (rc == FF_EOF)
		{
			check_chunk_complete(cr);
			close_chunk(ss, cr);
			continue;
		}
		if (rc != FF_OK)
			ff_report(&st, "cannot read transaction chunk");
		cr->next_version++;

		if (rec)
		{
			int			kind = ff_tx_peek_kind(rec, len);

			if (kind == FF_TX_BLOCK_METADATA || kind == FF_TX_GENESIS)
			{
				track_block(&ss->block, rec, len);
				ss->block_current = ss->block.valid;
			}
			else if (wanted && ss->need_block && !ss->block_current)
				resolve_leading_block(ss);
		}
		if (!wanted)
		{
			ss->stats.records_skipped++;
			continue;
		}

		ff_status_clear(&st);
		if (ff_tx_decode(rec, len, tx, &st) != FF_OK)
		{
			int64		in_record = st.offset;

			ff_status_locate(&st, cr->chunk->key, ff_record_index(cr->records) - 1,
							 (int64) ff_record_last_offset(cr->records) + 4 + Max(in_record, 0));
			ff_report(&st, "cannot decode transaction");
		}
		ss->stats.records_decoded++;

		row->tx = tx;
		row->version = v;
		row->object = ss->object_datum;
		row->scratch = &ss->scratch;
		fill_row_block(ss, row);
		return true;
	}
}

TupleTableSlot *
ffIterateForeignScan(ForeignScanState *node)
{
	FfScanState *ss = (FfScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	ErrorContextCallback errcallback;
	FfRowContext row;
	ff_tx		tx;
	MemoryContext old;

	if (!ss->started)
		start_scan(node, ss);

	errcallback.callback = scan_error_context;
	errcallback.arg = ss;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	ExecClearTuple(slot);
	MemoryContextReset(ss->rowcxt);
	memset(&row, 0, sizeof(row));
	if (next_row(ss, &row, &tx))
	{
		old = MemoryContextSwitchTo(ss->rowcxt);
		ff_build_row(&row, ss->natts, ss->colmap, ss->as_bytea,
					 slot->tts_values, slot->tts_isnull);
		MemoryContextSwitchTo(old);
		ExecStoreVirtualTuple(slot);
		ss->stats.rows++;
	}
	ss->err_object = NULL;

	error_context_stack = errcallback.previous;
	return slot;
}

void
ffReScanForeignScan(ForeignScanState *node)
{
	FfScanState *ss = (FfScanState *) node->fdw_state;
	FfScanStats stats = ss->stats;

	/* start over at the next fetch, with the Params as they are then */
	close_chunk(ss, &ss->cur);
	memset(&ss->cur, 0, sizeof(ss->cur));
	if (ss->ref)
	{
		ff_catalog_release(ss->ref);
		ss->ref = NULL;
	}
	ss->started = false;
	ss->stats = stats;
}

void
ffEndForeignScan(ForeignScanState *node)
{
	FfScanState *ss = (FfScanState *) node->fdw_state;

	if (ss)
		release_scan_resources(ss);
}

void
ffExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	FfScanState *ss = (FfScanState *) node->fdw_state;
	bool		ran = es->analyze && ss->started;

	ExplainPropertyText("Records", ff_record_kind_name(ss->opts.records), es);
	if (es->verbose)
		ExplainPropertyText("Location", ss->opts.location, es);
	if (strcmp(ran ? ss->run_epochs : ss->plan_epochs, "all") != 0)
		ExplainPropertyText("Epochs", ran ? ss->run_epochs : ss->plan_epochs, es);
	ExplainPropertyText("Versions", ran ? ss->run_versions : ss->plan_versions, es);

	if (es->format == EXPLAIN_FORMAT_TEXT)
	{
		char	   *objects;

		if (ran)
			objects = psprintf("kept " INT64_FORMAT " of " INT64_FORMAT,
							   ss->stats.objects_kept, ss->stats.objects_total);
		else
			objects = psprintf("kept %d of %d%s", ss->plan_kept, ss->plan_total,
							   ss->plan_runtime ? " (before run-time pruning)" : "");
		ExplainPropertyText("Objects", objects, es);
		if (ran)
		{
			ExplainPropertyText("Objects Read",
								psprintf(INT64_FORMAT " (+" INT64_FORMAT " for block context)",
										 ss->stats.objects_read, ss->stats.context_objects_read), es);
			ExplainPropertyText("Bytes Read",
								psprintf(UINT64_FORMAT " stored, " UINT64_FORMAT " raw",
										 ss->stats.bytes_stored, ss->stats.bytes_raw), es);
			ExplainPropertyText("Records",
								psprintf(INT64_FORMAT " decoded, " INT64_FORMAT " skipped",
										 ss->stats.records_decoded, ss->stats.records_skipped), es);
			ExplainPropertyInteger("Rows Returned", NULL, ss->stats.rows, es);
		}
	}
	else
	{
		ExplainPropertyInteger("Objects Kept", NULL, ran ? ss->stats.objects_kept : ss->plan_kept, es);
		ExplainPropertyInteger("Objects Total", NULL, ran ? ss->stats.objects_total : ss->plan_total, es);
		ExplainPropertyBool("Run-time Pruning", ss->plan_runtime, es);
		if (ran)
		{
			ExplainPropertyInteger("Objects Read", NULL, ss->stats.objects_read, es);
			ExplainPropertyInteger("Context Objects Read", NULL, ss->stats.context_objects_read, es);
			ExplainPropertyInteger("Stored Bytes Read", "bytes", (int64) ss->stats.bytes_stored, es);
			ExplainPropertyInteger("Raw Bytes Read", "bytes", (int64) ss->stats.bytes_raw, es);
			ExplainPropertyInteger("Records Decoded", NULL, ss->stats.records_decoded, es);
			ExplainPropertyInteger("Records Skipped", NULL, ss->stats.records_skipped, es);
			ExplainPropertyInteger("Rows Returned", NULL, ss->stats.rows, es);
		}
	}
}
