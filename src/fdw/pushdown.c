/*
 * pushdown.c — which WHERE clauses narrow the versions a scan must read: comparisons
 * (=, <, <=, >, >=, BETWEEN) and = ANY(array) / IN (...) of the version and epoch columns
 * against constants, Params (prepared statements, generic plans) or scalar subqueries
 * (initplans). Planning records them; the scan evaluates them at its start and turns them
 * into range sets. PostgreSQL still rechecks every qual on every row.
 */
#include "fdw/forensic_fdw.h"

#include "access/stratnum.h"
#include "catalog/pg_opfamily.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

/* The pushable column a node refers to, or -1. */
static int
push_column(Node *node, RelOptInfo *baserel, FfRecordKind kind, const int *colmap, int natts)
{
	Var		   *var;
	int			ncols;
	const FfColumnDef *cols = ff_kind_columns(kind, &ncols);

	if (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	if (!node || !IsA(node, Var))
		return -1;
	var = (Var *) node;
	if (var->varno != baserel->relid || var->varlevelsup != 0 ||
		var->varattno <= 0 || var->varattno > natts)
		return -1;
	if (colmap[var->varattno - 1] < 0)
		return -1;
	return (int) cols[colmap[var->varattno - 1]].push;
}

static bool
is_integer_type(Oid type)
{
	return type == INT2OID || type == INT4OID || type == INT8OID;
}

/* A value the scan can compute once at its start: no Vars, nothing volatile. */
static bool
is_scan_constant(Node *node)
{
	return !contain_var_clause(node) && !contain_volatile_functions(node) &&
		!contain_subplans(node);
}

static int
commute_strategy(int strategy)
{
	switch (strategy)
	{
		case BTLessStrategyNumber:
			return BTGreaterStrategyNumber;
		case BTLessEqualStrategyNumber:
			return BTGreaterEqualStrategyNumber;
		case BTGreaterEqualStrategyNumber:
			return BTLessEqualStrategyNumber;
		case BTGreaterStrategyNumber:
			return BTLessStrategyNumber;
		default:
			return strategy;
	}
}

static void
add_push(FfPushdown *out, RestrictInfo *ri, Node *value, int column, int strategy, bool is_array)
{
	out->clauses = lappend(out->clauses, ri);
	out->exprs = lappend(out->exprs, value);
	out->info = lappend(out->info, list_make3_int(column, strategy, is_array ? 1 : 0));
}

void
ff_extract_pushdown(PlannerInfo *root, RelOptInfo *baserel, FfRecordKind kind,
					const int *colmap, int natts, FfPushdown *out)
{
	ListCell   *lc;

	out->exprs = NIL;
	out->info = NIL;
	out->clauses = NIL;
	foreach(lc, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		Node	   *clause = (Node *) ri->clause;

		if (IsA(clause, OpExpr))
		{
			OpExpr	   *op = (OpExpr *) clause;
			Node	   *left,
					   *right,
					   *value;
			int			column,
						strategy;
			bool		commuted = false;

			if (list_length(op->args) != 2)
				continue;
			left = linitial(op->args);
			right = lsecond(op->args);
			column = push_column(left, baserel, kind, colmap, natts);
			value = right;
			if (column < 0)
			{
				column = push_column(right, baserel, kind, colmap, natts);
				value = left;
				commuted = true;
			}
			if (column < 0 || !is_integer_type(exprType(value)) || !is_scan_constant(value))
				continue;
			strategy = get_op_opfamily_strategy(op->opno, INTEGER_BTREE_FAM_OID);
			if (strategy == 0)
				continue;
			if (commuted)
				strategy = commute_strategy(strategy);
			add_push(out, ri, value, column, strategy, false);
		}
		else if (IsA(clause, ScalarArrayOpExpr))
		{
			ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *) clause;
			Node	   *array;
			Oid			elemtype;
			int			column;

			if (!sa->useOr || list_length(sa->args) != 2)
				continue;
			column = push_column(linitial(sa->args), baserel, kind, colmap, natts);
			array = lsecond(sa->args);
			if (column < 0 || !is_scan_constant(array))
				continue;
			elemtype = get_element_type(exprType(array));
			if (!is_integer_type(elemtype))
				continue;
			if (get_op_opfamily_strategy(sa->opno, INTEGER_BTREE_FAM_OID) != BTEqualStrategyNumber)
				continue;
			add_push(out, ri, array, column, BTEqualStrategyNumber, true);
		}
	}
}

static int64
integer_datum(Datum d, Oid type)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

/* Intersect `set` with the values v satisfying "v <strategy> value". */
static void
apply_comparison(ff_range_set *set, int strategy, int64 value)
{
	uint64		lo = 0,
				hi = UINT64_MAX;

	switch (strategy)
	{
		case BTLessStrategyNumber:
			if (value <= 0)
				lo = 1, hi = 0;
			else
				hi = (uint64) value - 1;
			break;
		case BTLessEqualStrategyNumber:
			if (value < 0)
				lo = 1, hi = 0;
			else
				hi = (uint64) value;
			break;
		case BTEqualStrategyNumber:
			if (value < 0)
				lo = 1, hi = 0;
			else
				lo = hi = (uint64) value;
			break;
		case BTGreaterEqualStrategyNumber:
			if (value > 0)
				lo = (uint64) value;
			break;
		case BTGreaterStrategyNumber:
			if (value >= 0)
				lo = (uint64) value + 1;
			break;
	}
	if (!ff_range_set_intersect_range(set, lo, hi))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
}

/* Intersect `set` with the non-negative, non-NULL elements of an integer array. */
static void
apply_array(ff_range_set *set, Datum arraydatum, Oid arraytype)
{
	ArrayType  *array = DatumGetArrayTypeP(arraydatum);
	Oid			elemtype = ARR_ELEMTYPE(array);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *elemnulls;
	int			nelems;
	ff_range_set points;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(array, elemtype, typlen, typbyval, typalign, &elems, &elemnulls, &nelems);
	ff_range_set_init_empty(&points);
	for (int i = 0; i < nelems; i++)
	{
		int64		v;

		if (elemnulls[i])
			continue;
		v = integer_datum(elems[i], elemtype);
		if (v >= 0 && !ff_range_set_add(&points, (uint64) v, (uint64) v))
		{
			ff_range_set_free(&points);
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		}
	}
	if (!ff_range_set_intersect(set, &points))
	{
		ff_range_set_free(&points);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	ff_range_set_free(&points);
}

void
ff_pushdown_ranges(List *info, List *exprs_types, Datum *values, bool *isnull, bool *known,
				   ff_range_set *versions, ff_range_set *epochs)
{
	int			i = 0;
	ListCell   *lc1,
			   *lc2;

	if (!ff_range_set_init_all(versions) || !ff_range_set_init_all(epochs))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));

	forboth(lc1, info, lc2, exprs_types)
	{
		List	   *entry = (List *) lfirst(lc1);
		Oid			type = lfirst_oid(lc2);
		int			column = linitial_int(entry);
		int			strategy = lsecond_int(entry);
		bool		is_array = lthird_int(entry) != 0;
		ff_range_set *set = column == FF_PUSH_VERSION ? versions : epochs;

		if (!known[i])
		{
			i++;
			continue;
		}
		if (isnull[i])
		{
			/* comparing with NULL is never true (and = ANY(NULL) neither) */
			if (!ff_range_set_intersect_range(set, 1, 0))
				ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		}
		else if (is_array)
			apply_array(set, values[i], type);
		else
			apply_comparison(set, strategy, integer_datum(values[i], type));
		i++;
	}
}

void
ff_pushdown_versions(const ff_catalog *cat, const ff_range_set *versions,
					 const ff_range_set *epochs, ff_range_set *out)
{
	ff_range_set from_epochs;

	if (!ff_range_set_copy(out, versions))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (ff_range_set_is_all(epochs))
		return;
	ff_range_set_init_empty(&from_epochs);
	if (!ff_catalog_epoch_set_to_versions(cat, epochs, &from_epochs) ||
		!ff_range_set_intersect(out, &from_epochs))
	{
		ff_range_set_free(&from_epochs);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	ff_range_set_free(&from_epochs);
}

char *
ff_range_set_text(const ff_range_set *s, int max_ranges)
{
	StringInfoData buf;

	if (ff_range_set_is_all(s))
		return pstrdup("all");
	if (ff_range_set_is_empty(s))
		return pstrdup("none");
	initStringInfo(&buf);
	for (size_t i = 0; i < s->n; i++)
	{
		if (i == (size_t) max_ranges)
		{
			appendStringInfo(&buf, ", ... (%zu ranges)", s->n);
			break;
		}
		if (i)
			appendStringInfoString(&buf, ", ");
		if (s->r[i].lo == s->r[i].hi)
			appendStringInfo(&buf, UINT64_FORMAT, s->r[i].lo);
		else if (s->r[i].hi == UINT64_MAX)
			appendStringInfo(&buf, UINT64_FORMAT "..", s->r[i].lo);
		else
			appendStringInfo(&buf, UINT64_FORMAT ".." UINT64_FORMAT, s->r[i].lo, s->r[i].hi);
	}
	return buf.data;
}
