/*
 * forensic_fdw.h — declarations shared by the files of the PostgreSQL glue (src/fdw/):
 * options, columns, the catalog cache, pushdown, scan state, error reporting.
 * This is the only layer that includes PostgreSQL headers.
 */
#ifndef FORENSIC_FDW_H
#define FORENSIC_FDW_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "nodes/execnodes.h"
#include "nodes/pathnodes.h"
#include "commands/explain.h"
#include "utils/rel.h"
#include "nodes/pg_list.h"

#include "archive/catalog.h"
#include "archive/range_set.h"
#include "chain/transaction.h"
#include "common/status.h"
#include "io/source.h"

/* ---- options (option.c) ---- */

typedef enum FfRecordKind
{
	FF_RECORDS_TRANSACTIONS = 0
} FfRecordKind;

/* Everything the options of a foreign table and its server say. */
typedef struct FfTableOptions
{
	Oid			serverid;
	char	   *location;		/* local absolute path */
	FfRecordKind records;
	int			max_record_size;	/* bytes */
} FfTableOptions;

extern void ff_get_table_options(Oid foreigntableid, FfTableOptions *opts);
extern const char *ff_record_kind_name(FfRecordKind kind);

/* ---- columns (columns.c) ---- */

/* Every column the transactions table can produce. */
typedef enum FfColumn
{
	FF_COL_VERSION = 0,
	FF_COL_EPOCH,
	FF_COL_ROUND,
	FF_COL_BLOCK_TIMESTAMP,
	FF_COL_KIND,
	FF_COL_TX_HASH,
	FF_COL_SENDER,
	FF_COL_SEQUENCE_NUMBER,
	FF_COL_PAYLOAD_KIND,
	FF_COL_FUNCTION,
	FF_COL_TYPE_ARGS,
	FF_COL_ARGS,
	FF_COL_MAX_GAS_AMOUNT,
	FF_COL_GAS_UNIT_PRICE,
	FF_COL_GAS_USED,
	FF_COL_EXPIRATION_TIMESTAMP,
	FF_COL_CHAIN_ID,
	FF_COL_AUTHENTICATOR,
	FF_COL_STATUS,
	FF_COL_ABORT_LOCATION,
	FF_COL_ABORT_CODE,
	FF_COL_PROPOSER,
	FF_COL_EVENT_COUNT,
	FF_COL_WRITE_COUNT,
	FF_COL_OBJECT,
	FF_COL_TRANSACTION_BCS,
	FF_NUM_COLUMNS
} FfColumn;

typedef struct FfColumnDef
{
	const char *name;
	Oid			type;			/* the type it is produced as */
	bool		bytea_ok;		/* may also be declared bytea (raw bytes of an address/hash) */
	bool		user_only;		/* NULL for every kind but user transactions */
	const char *meaning;		/* one line for docs and hints */
} FfColumnDef;

extern const FfColumnDef ff_transaction_columns[FF_NUM_COLUMNS];

/*
 * For each attribute of the relation (index attnum-1): the column it maps to, or -1 for
 * dropped attributes. Errors for unknown names and impossible types.
 */
extern int *ff_map_columns(Relation rel, FfRecordKind kind, bool **as_bytea);

/* ---- catalog cache (catalog_cache.c) ---- */

typedef struct FfBlockContext
{
	bool		valid;			/* a BlockMetadata (or genesis) has been seen */
	uint64		epoch;
	uint64		round;
	uint64		timestamp_usecs;
} FfBlockContext;

typedef struct FfCatalogRef
{
	ff_source  *source;
	ff_catalog *catalog;
	/* per chunk: the block context at its end, once some scan has read it to the end */
	FfBlockContext *chunk_end;
	int			refcount;
	bool		stale;			/* server changed: free when refcount drops to 0 */
} FfCatalogRef;

/* Current catalog for a server (revalidated once per transaction); pinned: release it. */
extern FfCatalogRef *ff_catalog_acquire(Oid serverid, const char *location);
extern void ff_catalog_release(FfCatalogRef *ref);

/* The cancel probe handed to lower layers. */
extern bool ff_cancel_requested(void);

/* ---- errors (errors.c) ---- */

/* Raise an ERROR for a failed lower-layer call: SQLSTATE from the code, object and offset in detail. */
extern void ff_report(const ff_status *st, const char *what) pg_attribute_noreturn();
extern int	ff_sqlstate(ff_code code);

/* ---- pushdown (pushdown.c) ---- */

/* The column a pushed-down qual constrains. */
typedef enum FfPushColumn
{
	FF_PUSH_VERSION = 0,
	FF_PUSH_EPOCH = 1
} FfPushColumn;

/*
 * Pushed-down quals: parallel lists. exprs holds the comparison values (Const, Param or
 * another expression without Vars of this relation) — they go to fdw_exprs so that Params
 * are set up by the planner; info holds, per expression, (column, btree strategy, is_array).
 */
typedef struct FfPushdown
{
	List	   *exprs;
	List	   *info;			/* List of IntList (column, strategy, is_array) */
	List	   *clauses;		/* the RestrictInfos pushed (for estimates) */
} FfPushdown;

extern void ff_extract_pushdown(PlannerInfo *root, RelOptInfo *baserel, const int *colmap,
								int natts, FfPushdown *out);

/*
 * Evaluate the pushed quals into version and epoch range sets. values[i]/isnull[i] are the
 * values of exprs[i]; exprs[i] not evaluable yet (Params at plan time) have known[i] false
 * and are ignored (the result over-includes).
 */
extern void ff_pushdown_ranges(List *info, List *exprs_types, Datum *values, bool *isnull,
							   bool *known, ff_range_set *versions, ff_range_set *epochs);

/* The versions to read: versions ∩ (epochs mapped through the catalog). */
extern void ff_pushdown_versions(const ff_catalog *cat, const ff_range_set *versions,
								 const ff_range_set *epochs, ff_range_set *out);

/* "1..20000", "5, 7, 100..199", "all", "none": text for EXPLAIN. */
extern char *ff_range_set_text(const ff_range_set *s, int max_ranges);

/* ---- planning (plan.c) and scanning (scan.c) ---- */

/* Indexes of the slots of ForeignScan.fdw_private. */
enum FfPrivateIndex
{
	FfPrivateColumns,			/* IntList: column id per attnum (-1 = not needed) */
	FfPrivateBytea,				/* IntList: 1 where the attribute is declared bytea */
	FfPrivatePushInfo,			/* List of IntList (column, strategy, is_array) per fdw_exprs */
	FfPrivatePushTypes,			/* OidList: type of each fdw_exprs entry */
	FfPrivatePlanSummary,		/* List of String: Versions, Epochs, kept, total, runtime */
	FfPrivateNum
};

extern void ffGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
extern void ffGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
extern ForeignScan *ffGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
									 ForeignPath *best_path, List *tlist, List *scan_clauses,
									 Plan *outer_plan);
extern void ffBeginForeignScan(ForeignScanState *node, int eflags);
extern TupleTableSlot *ffIterateForeignScan(ForeignScanState *node);
extern void ffReScanForeignScan(ForeignScanState *node);
extern void ffEndForeignScan(ForeignScanState *node);
extern void ffExplainForeignScan(ForeignScanState *node, ExplainState *es);

/* ---- tuple building (tuple.c) ---- */

typedef struct FfRowContext
{
	const ff_tx *tx;
	uint64		version;
	bool		has_block;		/* epoch/round/timestamp known from a BlockMetadata */
	uint64		epoch;
	uint64		round;
	uint64		timestamp_usecs;
	bool		has_epoch;		/* epoch known (from a block or the epoch index) */
	Datum		object;			/* text datum of the chunk key */
	ff_buf	   *scratch;		/* for rendering type tags and function names */
} FfRowContext;

/* Fill values/nulls for the attributes whose colmap entry is >= 0. */
extern void ff_build_row(const FfRowContext *row, int natts, const int *colmap,
						 const bool *as_bytea, Datum *values, bool *nulls);

#endif
