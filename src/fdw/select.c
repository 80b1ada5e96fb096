/*
 * select.c — which archive objects a scan of each record kind reads, given the ranges the
 * pushed-down quals allow: transaction chunks for transactions, events and state_changes
 * (by version, epochs mapped to versions through the catalog), epoch-ending chunks for
 * epochs (by epoch), snapshots for state (by snapshot version and epoch), nothing for
 * objects (the catalog itself). Planning uses it for estimates and EXPLAIN, the scan to read.
 * Also: the archive's gaps (described but unreadable parts) a selection touches are errors.
 */
#include "fdw/forensic_fdw.h"

/* Rows per transaction assumed for estimates of the kinds that expand a transaction. */
#define EVENTS_PER_TRANSACTION 2.0
#define WRITES_PER_TRANSACTION 4.0

/* Number of values of [lo, hi] that lie in the set. */
static double
count_in_set(const ff_range_set *set, uint64 lo, uint64 hi)
{
	double		n = 0;

	for (size_t i = 0; i < set->n; i++)
	{
		uint64		a = Max(lo, set->r[i].lo);
		uint64		b = Min(hi, set->r[i].hi);

		if (a <= b)
			n += (double) (b - a) + 1;
	}
	return n;
}

static void
check_alloc(bool ok)
{
	if (!ok)
		ff_out_of_memory();
}

static void
select_ledger(FfRecordKind kind, const ff_catalog *cat, const ff_range_set *versions,
			  const ff_range_set *epochs, FfSelection *sel)
{
	ff_pushdown_versions(cat, versions, epochs, &sel->wanted);
	check_alloc(ff_catalog_prune_tx(cat, &sel->wanted, &sel->kept, &sel->n_kept));
	for (size_t i = 0; i < sel->n_kept; i++)
	{
		const ff_tx_chunk *c = &cat->tx_chunks[sel->kept[i]];

		sel->rows += count_in_set(&sel->wanted, c->emit_from, c->last_version);
		sel->bytes += (double) c->size;
	}
	/* JSON rescue dumps: those named after versions by their range, the others always */
	if (kind != FF_RECORDS_STATE_CHANGES && cat->n_rescue_files > 0)
	{
		sel->rescue_kept = malloc(cat->n_rescue_files * sizeof(size_t));
		check_alloc(sel->rescue_kept != NULL);
		for (size_t i = 0; i < cat->n_rescue_files; i++)
		{
			const ff_rescue_file *f = &cat->rescue_files[i];

			if (f->has_range && count_in_set(&sel->wanted, f->first_version, f->last_version) == 0)
				continue;
			sel->rescue_kept[sel->n_rescue_kept++] = i;
			sel->rows += f->has_range ? count_in_set(&sel->wanted, f->first_version, f->last_version)
				: (double) f->size / 1500.0;
			sel->bytes += (double) f->size;
		}
	}
	if (kind == FF_RECORDS_EVENTS)
		sel->rows *= EVENTS_PER_TRANSACTION;
	else if (kind == FF_RECORDS_STATE_CHANGES)
		sel->rows *= WRITES_PER_TRANSACTION;
	sel->objects_kept = (int64) (sel->n_kept + sel->n_rescue_kept);
	sel->objects_total = (int64) (cat->n_tx_chunks + (kind != FF_RECORDS_STATE_CHANGES ? cat->n_rescue_files : 0));
}

static void
select_epochs(const ff_catalog *cat, const ff_range_set *epochs, FfSelection *sel)
{
	check_alloc(ff_range_set_copy(&sel->wanted, epochs));
	check_alloc(ff_catalog_prune_epoch_chunks(cat, epochs, &sel->kept, &sel->n_kept));
	for (size_t i = 0; i < sel->n_kept; i++)
	{
		const ff_epoch_chunk *c = &cat->epoch_chunks[sel->kept[i]];

		sel->rows += count_in_set(epochs, c->emit_from, c->last_epoch);
		sel->bytes += (double) c->size;
	}
	sel->objects_kept = (int64) sel->n_kept;
	sel->objects_total = (int64) cat->n_epoch_chunks;
}

static void
select_state(const ff_catalog *cat, const ff_range_set *versions, const ff_range_set *epochs,
			 FfSelection *sel)
{
	check_alloc(ff_range_set_copy(&sel->wanted, versions));
	check_alloc(ff_catalog_prune_snapshots(cat, versions, epochs, &sel->kept, &sel->n_kept));
	for (size_t i = 0; i < cat->n_snapshots; i++)
		sel->objects_total += (int64) cat->snapshots[i].n_chunks;
	for (size_t i = 0; i < sel->n_kept; i++)
	{
		const ff_state_snapshot *s = &cat->snapshots[sel->kept[i]];

		for (size_t j = 0; j < s->n_chunks; j++)
		{
			sel->rows += (double) (s->chunks[j].last_idx - s->chunks[j].first_idx) + 1;
			sel->bytes += (double) s->chunks[j].size;
		}
		sel->objects_kept += (int64) s->n_chunks;
	}
}

void
ff_select_objects(FfRecordKind kind, const ff_catalog *cat, const ff_range_set *versions,
				  const ff_range_set *epochs, FfSelection *sel)
{
	memset(sel, 0, sizeof(*sel));
	ff_range_set_init_empty(&sel->wanted);
	switch (kind)
	{
		case FF_RECORDS_TRANSACTIONS:
		case FF_RECORDS_EVENTS:
		case FF_RECORDS_STATE_CHANGES:
			select_ledger(kind, cat, versions, epochs, sel);
			break;
		case FF_RECORDS_EPOCHS:
			select_epochs(cat, epochs, sel);
			break;
		case FF_RECORDS_STATE:
			select_state(cat, versions, epochs, sel);
			break;
		case FF_RECORDS_OBJECTS:
			check_alloc(ff_range_set_init_all(&sel->wanted));
			sel->rows = (double) cat->n_objects;
			sel->objects_total = (int64) cat->n_objects;
			break;
		case FF_NUM_RECORD_KINDS:
			elog(ERROR, "forensic_fdw: unknown record kind %d", (int) kind);
	}
}

void
ff_selection_free(FfSelection *sel)
{
	free(sel->kept);
	sel->kept = NULL;
	free(sel->rescue_kept);
	sel->rescue_kept = NULL;
	sel->n_rescue_kept = 0;
	sel->n_kept = 0;
	ff_range_set_free(&sel->wanted);
}

static void
report_gap(const ff_gap *gap, FfRecordKind kind)
{
	ff_status	st;

	ff_status_clear(&st);
	ff_status_locate(&st, gap->object, -1, -1);
	ff_status_set(&st, gap->code, "%s", gap->message);
	ff_report(&st, psprintf("cannot read %s", ff_record_kind_name(kind)));
}

void
ff_check_gaps(FfRecordKind kind, const ff_catalog *cat, const FfSelection *sel)
{
	const ff_gap *gap = NULL;

	switch (kind)
	{
		case FF_RECORDS_TRANSACTIONS:
		case FF_RECORDS_EVENTS:
		case FF_RECORDS_STATE_CHANGES:
			gap = ff_catalog_find_gap(cat, FF_GAP_TRANSACTIONS, &sel->wanted);
			break;
		case FF_RECORDS_EPOCHS:
			gap = ff_catalog_find_gap(cat, FF_GAP_EPOCHS, &sel->wanted);
			break;
		case FF_RECORDS_STATE:
			{
				/* the snapshots kept, and any unreadable one the version range allows */
				ff_range_set kept;

				ff_range_set_init_empty(&kept);
				for (size_t i = 0; i < sel->n_kept; i++)
					check_alloc(ff_range_set_add(&kept, cat->snapshots[sel->kept[i]].version,
												 cat->snapshots[sel->kept[i]].version));
				gap = ff_catalog_find_gap(cat, FF_GAP_STATE, &kept);
				ff_range_set_free(&kept);
				/* an unreadable snapshot the catalog could not describe: its epoch is unknown */
				for (size_t i = 0; !gap && i < cat->n_gaps; i++)
				{
					const ff_gap *g = &cat->gaps[i];
					bool		described = false;

					if (g->kind != FF_GAP_STATE ||
						!ff_range_set_overlaps(&sel->wanted, g->first, g->last))
						continue;
					/* a described snapshot was kept (checked above) or pruned */
					for (size_t j = 0; !described && j < cat->n_snapshots; j++)
						described = cat->snapshots[j].version >= g->first &&
							cat->snapshots[j].version <= g->last;
					if (!described)
						gap = g;
				}
			}
			break;
		case FF_RECORDS_OBJECTS:
		case FF_NUM_RECORD_KINDS:
			break;
	}
	if (gap)
		report_gap(gap, kind);
}

uint64
ff_max_epoch_needed(FfRecordKind kind, const ff_range_set *epochs)
{
	if (kind == FF_RECORDS_OBJECTS)
		return UINT64_MAX;		/* the objects table lists the members of every bundle */
	if (ff_range_set_is_empty(epochs))
		return 0;
	return epochs->r[epochs->n - 1].hi;
}

void
ff_check_era(const ff_catalog *cat, FfRecordKind kind)
{
	if (kind == FF_RECORDS_OBJECTS || !cat->era_conflict)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INCONSISTENT_DESCRIPTOR_INFORMATION),
			 errmsg("the archive location holds backups of more than one era"),
			 errdetail("%s; versions and epochs restart between eras, so one server reads one era.",
					   cat->era_conflict),
			 errhint("Create one server per era, each with the location of that era's backups.")));
}

FfCatalogRef *
ff_acquire_for_ranges(const FfTableOptions *opts, ff_range_set *versions, ff_range_set *epochs)
{
	FfCatalogRef *volatile ref = NULL;

	PG_TRY();
	{
		ref = ff_catalog_acquire(opts->serverid, opts->userid, opts->location,
								 ff_max_epoch_needed(opts->records, epochs));
	}
	PG_CATCH();
	{
		ff_range_set_free(versions);
		ff_range_set_free(epochs);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return ref;
}
