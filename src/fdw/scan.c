/*
 * scan.c — executing a scan, for every record kind: at the first row, evaluate the
 * pushed-down values (Params and initplans included), take the current catalog, select the
 * objects to read (select.c), refuse a selection that touches an unreadable part of the
 * archive, then let the kind's reader produce rows (scan_*.c). EXPLAIN shows what was
 * pruned and, with ANALYZE, what was read.
 *
 * Every lower-layer resource (streams, readers, buffers) is released by EndForeignScan, and
 * on error or cancel by a reset callback on the executor's memory context.
 */
#include "fdw/scan.h"

#include "commands/explain.h"
#include "executor/executor.h"
#include "io/gzip.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

static const FfScanDriver *
driver_of(FfRecordKind kind)
{
	switch (kind)
	{
		case FF_RECORDS_TRANSACTIONS:
		case FF_RECORDS_EVENTS:
		case FF_RECORDS_STATE_CHANGES:
			return &ff_ledger_driver;
		case FF_RECORDS_EPOCHS:
			return &ff_epochs_driver;
		case FF_RECORDS_STATE:
			return &ff_state_driver;
		case FF_RECORDS_OBJECTS:
			return &ff_objects_driver;
		case FF_NUM_RECORD_KINDS:
			break;
	}
	elog(ERROR, "forensic_fdw: unknown record kind %d", (int) kind);
	pg_unreachable();
}

void
ff_open_record_stream(FfScanState *ss, const char *key, const char *what, FfRecordStream *rs)
{
	ff_status	st;
	ff_stream  *file = NULL;
	bool		compressed;

	ff_status_clear(&st);
	memset(rs, 0, sizeof(*rs));
	rs->key = key;
	if (ff_source_plan_open(ss->ref->source, ss->read_plan, key, &file, &st) != FF_OK)
	{
		if (!st.object[0])
			ff_status_locate(&st, key, -1, -1);
		ff_report(&st, psprintf("cannot open %s", what));
	}
	rs->stream = ff_gzip_open(file, key, &compressed, &st);
	if (!rs->stream)
		ff_report(&st, psprintf("cannot read %s", what));
	rs->records = ff_record_reader_new(rs->stream, key, ss->opts.max_record_size, &st);
	if (!rs->records)
	{
		ff_close_record_stream(ss, rs);
		ff_report(&st, psprintf("cannot read %s", what));
	}
	ss->stats.objects_read++;
}

void
ff_close_record_stream(FfScanState *ss, FfRecordStream *rs)
{
	if (rs->records)
	{
		ss->stats.bytes_raw += ff_record_raw_bytes(rs->records);
		ff_record_reader_free(rs->records);
		rs->records = NULL;
	}
	if (rs->stream)
	{
		ss->stats.bytes_stored += ff_stream_stored_bytes(rs->stream);
		ff_stream_close(rs->stream);
		rs->stream = NULL;
	}
}

void
ff_report_record(FfRecordStream *rs, ff_status *st, const char *what)
{
	int64		in_record = st->offset;

	ff_status_locate(st, rs->key, ff_record_index(rs->records) - 1,
					 (int64) ff_record_last_offset(rs->records) + 4 + Max(in_record, 0));
	ff_report(st, what);
}

void
ff_report_chunk_count(const ff_record_reader *records, const char *what, const char *key,
					  const char *manifest_key, const char *unit, uint64 first, uint64 last, int64 held)
{
	if (held >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s \"%s\" ends early", what, key),
				 errdetail_plural("It ends at byte offset " UINT64_FORMAT " after " INT64_FORMAT " record; its manifest \"%s\" says %s " UINT64_FORMAT " to " UINT64_FORMAT ".",
								  "It ends at byte offset " UINT64_FORMAT " after " INT64_FORMAT " records; its manifest \"%s\" says %s " UINT64_FORMAT " to " UINT64_FORMAT ".",
								  (unsigned long) held, (uint64) ff_record_offset(records), held,
								  manifest_key, unit, first, last),
				 errhint("The object is truncated or the manifest does not belong to it.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s \"%s\" holds more records than its manifest says", what, key),
			 errdetail("Record " INT64_FORMAT " at byte offset " UINT64_FORMAT " is past %s " UINT64_FORMAT " to " UINT64_FORMAT " of its manifest \"%s\".",
					   (int64) ff_record_index(records) - 1, (uint64) ff_record_last_offset(records),
					   unit, first, last, manifest_key),
			 errhint("The object holds more than its manifest names, or the manifest does not belong to it.")));
	pg_unreachable();
}

ff_era
ff_scan_object_era(FfScanState *ss, const char *key, ff_era told)
{
	const ff_catalog *cat = ss->ref->catalog;
	FfCatalogRef *ref = ss->ref;

	if (cat->era != FF_ERA_UNKNOWN)
	{
		if (told != FF_ERA_UNKNOWN && told != cat->era)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INCONSISTENT_DESCRIPTOR_INFORMATION),
					 errmsg("archive object \"%s\" holds %s records, but the archive is %s",
							key, ff_era_name(told), ff_era_name(cat->era)),
					 errdetail("The era comes from %s; versions and epochs restart between eras, so one server reads one era.",
							   cat->era_evidence ? cat->era_evidence : "the archive"),
					 errhint("Create one server per era, each with the location of that era's backups.")));
		return cat->era;
	}
	if (ref->records_era != FF_ERA_UNKNOWN)
	{
		if (told != FF_ERA_UNKNOWN && told != ref->records_era)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INCONSISTENT_DESCRIPTOR_INFORMATION),
					 errmsg("archive object \"%s\" holds %s records, but \"%s\" holds %s records",
							key, ff_era_name(told), ref->records_era_object, ff_era_name(ref->records_era)),
					 errdetail("Versions and epochs restart between eras, so one server reads one era."),
					 errhint("Create one server per era, each with the location of that era's backups.")));
		return ref->records_era;
	}
	if (told == FF_ERA_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cannot tell the era of archive object \"%s\"", key),
				 errdetail("Its first record decodes as none of the v4, v5 and v6/v7 layouts with a matching hash."),
				 errhint("If the archive is sound, set the server option \"framework\" to its era.")));
	ref->records_era_object = strdup(key);
	if (!ref->records_era_object)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	ref->records_era = told;
	return told;
}

const char *
ff_scan_framework(FfScanState *ss, ff_era era)
{
	if (ss->opts.framework)
		return ss->opts.framework;
	return ff_era_name(era);
}

Datum
ff_scan_text(FfScanState *ss, const char *s)
{
	MemoryContext old = MemoryContextSwitchTo(ss->scancxt);
	Datum		d = CStringGetTextDatum(s);

	MemoryContextSwitchTo(old);
	return d;
}

static void plan_reads(FfScanState *ss);

static void
release_scan_resources(FfScanState *ss)
{
	if (ss->closed)
		return;
	ss->closed = true;
	ss->driver->close(ss);
	/* after the driver closed its streams, which read through the plan */
	if (ss->read_plan)
	{
		ff_source_plan_free(ss->ref->source, ss->read_plan);
		ss->read_plan = NULL;
	}
	ff_buf_free(&ss->scratch);
	ff_selection_free(&ss->sel);
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

	if (ss->err_object && ss->err_has_position)
		errcontext("forensic_fdw scan of archive object \"%s\", %s " UINT64_FORMAT,
				   ss->err_object, ss->err_position_label, ss->err_position);
	else if (ss->err_object)
		errcontext("forensic_fdw scan of archive object \"%s\"", ss->err_object);
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
	int			ncols;
	int			i;

	ff_get_table_options(RelationGetRelid(node->ss.ss_currentRelation), &ss->opts);
	{
		/* whose user mapping reads S3: the view owner's for a view, else the current user's */
		RangeTblEntry *rte = exec_rt_fetch(plan->scan.scanrelid, node->ss.ps.state);

		ss->opts.userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	}
	(void) ff_kind_columns(ss->opts.records, &ncols);
	ss->driver = driver_of(ss->opts.records);
	ss->natts = list_length(needed);
	ss->colmap = palloc(sizeof(int) * Max(ss->natts, 1));
	ss->as_bytea = palloc(sizeof(bool) * Max(ss->natts, 1));
	ss->uses = palloc0(sizeof(bool) * ncols);
	i = 0;
	foreach(lc, needed)
	{
		ss->colmap[i] = lfirst_int(lc);
		if (ss->colmap[i] >= 0)
			ss->uses[ss->colmap[i]] = true;
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
	ff_range_set_init_empty(&ss->sel.wanted);
	ss->closed = true;			/* nothing to release until the scan starts */
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

/* Evaluate the pushed values, take the catalog and decide which objects to read. */
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

	ff_pushdown_ranges(ss->push_info, ss->push_types, values, isnull, known, &versions, &epochs);
	ss->ref = ff_acquire_for_ranges(&ss->opts, &versions, &epochs);
	ss->closed = false;
	ff_buf_init(&ss->scratch);
	memset(&ss->stats, 0, sizeof(ss->stats));
	ff_check_era(ss->ref->catalog, ss->opts.records);
	ff_selection_free(&ss->sel);
	ff_select_objects(ss->opts.records, ss->ref->catalog, &versions, &epochs, &ss->sel);
	/* what EXPLAIN ANALYZE shows */
	old = MemoryContextSwitchTo(ss->scancxt);
	ss->run_epochs = ff_range_set_text(&epochs, 8);
	ss->run_versions = ff_range_set_text(&ss->sel.wanted, 8);
	MemoryContextSwitchTo(old);
	ff_range_set_free(&versions);
	ff_range_set_free(&epochs);

	ff_check_gaps(ss->opts.records, ss->ref->catalog, &ss->sel);
	plan_reads(ss);
	ss->stats.objects_kept = ss->sel.objects_kept;
	ss->stats.objects_total = ss->sel.objects_total;
	ss->driver->start(ss);
	ss->started = true;
}

/*
 * Tell the source which chunk objects the scan reads, in order, so that a remote source
 * fetches the next ones while the current one is decoded.
 */
static void
plan_reads(FfScanState *ss)
{
	const ff_catalog *cat = ss->ref->catalog;
	const char **keys;
	size_t		n = 0;
	size_t		cap = 0;
	ff_status	st;

	if (ss->opts.records == FF_RECORDS_OBJECTS || ss->sel.n_kept == 0)
		return;
	if (ss->opts.records == FF_RECORDS_STATE)
		for (size_t i = 0; i < ss->sel.n_kept; i++)
			cap += cat->snapshots[ss->sel.kept[i]].n_chunks;
	else
		cap = ss->sel.n_kept;
	keys = palloc(Max(cap, 1) * sizeof(char *));
	for (size_t i = 0; i < ss->sel.n_kept; i++)
	{
		size_t		k = ss->sel.kept[i];

		switch (ss->opts.records)
		{
			case FF_RECORDS_EPOCHS:
				keys[n++] = cat->epoch_chunks[k].key;
				break;
			case FF_RECORDS_STATE:
				for (size_t j = 0; j < cat->snapshots[k].n_chunks; j++)
					keys[n++] = cat->snapshots[k].chunks[j].key;
				break;
			default:
				keys[n++] = cat->tx_chunks[k].key;
				break;
		}
	}
	ff_status_clear(&st);
	if (ff_source_plan_new(ss->ref->source, keys, n, &ss->read_plan, &st) != FF_OK)
		ff_report(&st, "cannot plan the reads of the scan");
	pfree(keys);
}

TupleTableSlot *
ffIterateForeignScan(ForeignScanState *node)
{
	FfScanState *ss = (FfScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	ErrorContextCallback errcallback;
	MemoryContext old;
	bool		found;

	if (!ss->started)
		start_scan(node, ss);

	errcallback.callback = scan_error_context;
	errcallback.arg = ss;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	ExecClearTuple(slot);
	MemoryContextReset(ss->rowcxt);
	old = MemoryContextSwitchTo(ss->rowcxt);
	found = ss->driver->next(ss, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	if (found)
	{
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
	release_scan_resources(ss);
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
	FfRecordKind kind = ss->opts.records;

	ExplainPropertyText("Records", ff_record_kind_name(kind), es);
	if (es->verbose)
		ExplainPropertyText("Location", ss->opts.location, es);
	if (es->verbose && ss->opts.verify != FF_VERIFY_NONE)
		ExplainPropertyText("Verify", ff_verify_level_name(ss->opts.verify), es);
	if (kind == FF_RECORDS_OBJECTS)
		return;
	if (kind == FF_RECORDS_EPOCHS || strcmp(ran ? ss->run_epochs : ss->plan_epochs, "all") != 0)
		ExplainPropertyText("Epochs", ran ? ss->run_epochs : ss->plan_epochs, es);
	if (kind != FF_RECORDS_EPOCHS)
		ExplainPropertyText(kind == FF_RECORDS_STATE ? "Snapshot Versions" : "Versions",
							ran ? ss->run_versions : ss->plan_versions, es);

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
			if (kind == FF_RECORDS_EPOCHS || kind == FF_RECORDS_STATE)
				ExplainPropertyInteger("Objects Read", NULL, ss->stats.objects_read, es);
			else
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
			if (ss->opts.verify != FF_VERIFY_NONE)
				ExplainPropertyText("Verified",
									psprintf(INT64_FORMAT " records, " INT64_FORMAT " chunk proofs",
											 ss->stats.records_verified, ss->stats.proofs_verified), es);
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
			if (ss->opts.verify != FF_VERIFY_NONE)
			{
				ExplainPropertyInteger("Records Verified", NULL, ss->stats.records_verified, es);
				ExplainPropertyInteger("Chunk Proofs Verified", NULL, ss->stats.proofs_verified, es);
			}
		}
	}
}
