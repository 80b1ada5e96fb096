/*
 * plan.c — planning a scan: map the declared columns, find the columns the query uses,
 * extract the pushable quals on version and epoch, select the catalog's objects with the
 * values known at plan time (constants) to estimate rows and cost (select.c), and hand
 * everything to the executor through fdw_private (slots named by FfPrivateIndex) and
 * fdw_exprs.
 */
#include "fdw/forensic_fdw.h"

#include "access/sysattr.h"
#include "access/table.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "utils/rel.h"

/* What planning learnt about the relation (baserel->fdw_private). */
typedef struct FfRelInfo
{
	FfTableOptions opts;
	int			natts;
	int		   *needed;			/* column per attribute, -1 where the query does not use it */
	bool	   *as_bytea;
	FfPushdown	push;
	List	   *push_types;
	char	   *versions_text;
	char	   *epochs_text;
	int			kept;
	int			total;
	bool		runtime;		/* some pushed values are known only at execution */
	double		kept_bytes;
} FfRelInfo;

/* Prune with what is known now; fill the estimates and the EXPLAIN texts. */
static void
estimate_with_catalog(FfRelInfo *info, Datum *values, bool *isnull, bool *known, double *rows)
{
	FfCatalogRef *ref;
	ff_range_set versions,
				epochs;

	ff_pushdown_ranges(info->push.info, info->push_types, values, isnull, known,
					   &versions, &epochs);
	ref = ff_acquire_for_ranges(&info->opts, &versions, &epochs);

	PG_TRY();
	{
		FfSelection sel;

		ff_select_objects(info->opts.records, ref->catalog, &versions, &epochs, &sel);
		*rows = sel.rows;
		info->kept_bytes = sel.bytes;
		info->kept = (int) sel.objects_kept;
		info->total = (int) sel.objects_total;
		info->versions_text = ff_range_set_text(&sel.wanted, 8);
		info->epochs_text = ff_range_set_text(&epochs, 8);
		ff_selection_free(&sel);
		ff_range_set_free(&versions);
		ff_range_set_free(&epochs);
	}
	PG_FINALLY();
	{
		ff_catalog_release(ref);
	}
	PG_END_TRY();
}

void
ffGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	FfRelInfo  *info = palloc0(sizeof(FfRelInfo));
	Relation	rel;
	int		   *colmap;
	Bitmapset  *attrs = NULL;
	bool		whole_row;
	ListCell   *lc;
	int			npush,
				i;
	Datum	   *values;
	bool	   *isnull,
			   *known;
	double		rows;

	ff_get_table_options(foreigntableid, &info->opts);
	info->opts.userid = OidIsValid(baserel->userid) ? baserel->userid : GetUserId();
	rel = table_open(foreigntableid, NoLock);
	colmap = ff_map_columns(rel, info->opts.records, &info->as_bytea);
	info->natts = RelationGetDescr(rel)->natts;
	table_close(rel, NoLock);

	/* the columns the query needs: its target list and its quals */
	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(lc, baserel->baserestrictinfo)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, lc)->clause, baserel->relid, &attrs);
	whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs);
	info->needed = palloc(sizeof(int) * Max(info->natts, 1));
	for (i = 0; i < info->natts; i++)
		info->needed[i] = (whole_row ||
						   bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs))
			? colmap[i] : -1;

	ff_extract_pushdown(root, baserel, info->opts.records, colmap, info->natts, &info->push);
	npush = list_length(info->push.exprs);
	values = palloc0(sizeof(Datum) * Max(npush, 1));
	isnull = palloc0(sizeof(bool) * Max(npush, 1));
	known = palloc0(sizeof(bool) * Max(npush, 1));
	i = 0;
	foreach(lc, info->push.exprs)
	{
		Node	   *expr = (Node *) lfirst(lc);

		info->push_types = lappend_oid(info->push_types, exprType(expr));
		if (IsA(expr, Const))
		{
			known[i] = true;
			values[i] = ((Const *) expr)->constvalue;
			isnull[i] = ((Const *) expr)->constisnull;
		}
		else
			info->runtime = true;
		i++;
	}

	estimate_with_catalog(info, values, isnull, known, &rows);
	/* pushed quals are exact in `rows`; the others filter with their usual selectivity */
	baserel->rows = clamp_row_est(rows * clauselist_selectivity(root,
																list_difference_ptr(baserel->baserestrictinfo,
																					info->push.clauses),
																baserel->relid, JOIN_INNER, NULL));
	baserel->fdw_private = info;
}

void
ffGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	FfRelInfo  *info = (FfRelInfo *) baserel->fdw_private;
	Cost		startup_cost = 10.0;	/* listing the location */
	Cost		run_cost;
	double		records;

	/* reading: every stored page of the kept objects; decoding: a few tuple costs a record */
	records = Max(baserel->rows, 1);
	run_cost = seq_page_cost * (info->kept_bytes / BLCKSZ) +
		(cpu_tuple_cost * 4) * records;

	add_path(baserel, (Path *)
			 create_foreignscan_path(root, baserel, NULL, baserel->rows,
									 startup_cost, startup_cost + run_cost,
									 NIL, NULL, NULL, NIL));
}

static List *
int_list(const int *v, int n)
{
	List	   *l = NIL;

	for (int i = 0; i < n; i++)
		l = lappend_int(l, v[i]);
	return l;
}

ForeignScan *
ffGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				 ForeignPath *best_path, List *tlist, List *scan_clauses, Plan *outer_plan)
{
	FfRelInfo  *info = (FfRelInfo *) baserel->fdw_private;
	List	   *bytea_list = NIL;
	List	   *summary;
	List	   *fdw_private;

	/* every qual is rechecked locally: pushdown only narrows what is read */
	scan_clauses = extract_actual_clauses(scan_clauses, false);

	for (int i = 0; i < info->natts; i++)
		bytea_list = lappend_int(bytea_list, info->as_bytea[i] ? 1 : 0);
	summary = list_make5(makeString(info->versions_text), makeString(info->epochs_text),
						 makeInteger(info->kept), makeInteger(info->total),
						 makeInteger(info->runtime ? 1 : 0));

	fdw_private = list_make5(int_list(info->needed, info->natts), bytea_list,
							 info->push.info, info->push_types, summary);
	StaticAssertStmt(FfPrivateNum == 5, "fdw_private slots");

	return make_foreignscan(tlist, scan_clauses, baserel->relid, info->push.exprs,
							fdw_private, NIL, NIL, outer_plan);
}
