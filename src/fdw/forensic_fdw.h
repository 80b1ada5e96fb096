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
#include "nodes/parsenodes.h"
#include "nodes/pathnodes.h"
#include "commands/explain.h"
#include "utils/rel.h"
#include "nodes/pg_list.h"
#include "foreign/foreign.h"

#include "archive/catalog.h"
#include "archive/range_set.h"
#include "chain/transaction.h"
#include "chain/verify.h"
#include "common/status.h"
#include "io/source.h"

/* ---- options (option.c) ---- */

/* The record kinds a foreign table can show (table option "records"). */
typedef enum FfRecordKind
{
	FF_RECORDS_TRANSACTIONS = 0,
	FF_RECORDS_EVENTS,
	FF_RECORDS_STATE_CHANGES,
	FF_RECORDS_EPOCHS,
	FF_RECORDS_STATE,
	FF_RECORDS_OBJECTS,
	FF_NUM_RECORD_KINDS
} FfRecordKind;

/* Everything the options of a foreign table and its server say. */
typedef struct FfTableOptions
{
	Oid			serverid;
	Oid			userid;			/* the role whose user mapping reads S3 (set by the caller) */
	char	   *location;		/* local absolute path or s3://bucket/prefix/ */
	FfRecordKind records;
	int			max_record_size;	/* bytes */
	const char *framework;		/* server option framework when it forces one, else NULL */
	ff_verify_level verify;		/* table option verify (FF_VERIFY_NONE by default) */
} FfTableOptions;

extern void ff_get_table_options(Oid foreigntableid, FfTableOptions *opts);

/* The server's archive options: era and bundles. */
typedef struct FfArchiveOptions
{
	ff_era		era;			/* FF_ERA_UNKNOWN: detect */
	const char *framework;		/* the label forced by the option ("v7"), or NULL */
	ff_bundle_mode bundles;
	int			bundle_max_members; /* 0: the default */
	int			max_manifest_size;	/* bytes; 0: the default */
} FfArchiveOptions;

extern void ff_get_archive_options(ForeignServer *server, FfArchiveOptions *opts);

/* Where S3 credentials come from when the user mapping gives none (server option). */
typedef enum FfCredentialsFrom
{
	FF_CREDS_USER_MAPPING = 0,
	FF_CREDS_ENVIRONMENT,
	FF_CREDS_INSTANCE
} FfCredentialsFrom;

/* A server's S3 options (location 's3://bucket/prefix/'), defaults filled in. */
typedef struct FfS3Options
{
	char	   *bucket;
	char	   *prefix;			/* "" or ending with '/' */
	char	   *region;
	char	   *endpoint;		/* NULL: AWS */
	bool		virtual_style;
	int			connect_timeout;	/* seconds */
	int			request_timeout;	/* seconds */
	int			max_retries;
	bool		requester_pays;
	FfCredentialsFrom credentials_from;
	char	   *imds_endpoint;	/* NULL: the EC2 default */
	int			cache_ttl;		/* seconds a listing is trusted without re-listing */
	int			part_size;		/* bytes per ranged GET */
	int			max_requests;	/* concurrent requests per scan */
	int			list_page_size;	/* keys per ListObjectsV2 page (0: S3's default, 1000) */
} FfS3Options;

/* The credentials of a user mapping. */
typedef struct FfS3UserOptions
{
	bool		found;			/* a user mapping exists (for the user or PUBLIC) */
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;
	bool		anonymous;
} FfS3UserOptions;

extern bool ff_location_is_s3(const char *location);
extern void ff_get_s3_options(ForeignServer *server, FfS3Options *opts);
extern void ff_get_s3_user_options(Oid serverid, Oid userid, FfS3UserOptions *out);
extern const char *ff_record_kind_name(FfRecordKind kind);

/* ---- columns (columns.c) ---- */

/* The column a pushed-down qual constrains. */
typedef enum FfPushColumn
{
	FF_PUSH_NONE = -1,
	FF_PUSH_VERSION = 0,		/* version, or snapshot_version of the state table */
	FF_PUSH_EPOCH = 1
} FfPushColumn;

/* Columns of records 'transactions'. */
typedef enum FfTxColumn
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
	FF_COL_RECIPIENT,
	FF_COL_AMOUNT,
	FF_COL_ARGS_DECODED,
	FF_COL_EVENT_ROOT_HASH,
	FF_COL_STATE_CHANGE_HASH,
	FF_COL_FRAMEWORK,
	FF_COL_STATE_ROOT_HASH,
	FF_COL_GAS_CURRENCY,
	FF_NUM_TX_COLUMNS
} FfTxColumn;

/* Columns of records 'events'. */
typedef enum FfEventColumn
{
	FF_EV_VERSION = 0,
	FF_EV_EPOCH,
	FF_EV_BLOCK_TIMESTAMP,
	FF_EV_EVENT_INDEX,
	FF_EV_TYPE,
	FF_EV_ACCOUNT,
	FF_EV_CREATION_NUMBER,
	FF_EV_SEQUENCE_NUMBER,
	FF_EV_DATA,
	FF_EV_AMOUNT,
	FF_EV_DECODED,
	FF_EV_DECODED_FROM,
	FF_EV_TX_HASH,
	FF_EV_OBJECT,
	FF_EV_EVENT_BCS,
	FF_EV_FRAMEWORK,
	FF_NUM_EVENT_COLUMNS
} FfEventColumn;

/*
 * Columns of records 'state_changes' and 'state': one enum, the first three differ
 * (version/epoch/change_index of a write-set entry; snapshot_version/epoch/item_index of a
 * snapshot item), the rest describe a state key and value the same way.
 */
typedef enum FfStateColumn
{
	FF_ST_VERSION = 0,			/* version | snapshot_version */
	FF_ST_EPOCH,
	FF_ST_INDEX,				/* change_index | item_index */
	FF_ST_KEY_KIND,
	FF_ST_PATH,
	FF_ST_ADDRESS,
	FF_ST_RESOURCE,
	FF_ST_TABLE_HANDLE,
	FF_ST_TABLE_KEY,
	FF_ST_STATE_KEY,
	FF_ST_OP,					/* state_changes only */
	FF_ST_VALUE,
	FF_ST_VALUE_SIZE,
	FF_ST_BALANCE,
	FF_ST_METADATA,
	FF_ST_OBJECT,
	FF_ST_FRAMEWORK,
	FF_ST_ACCOUNT_HASH,			/* state only (v4/v5 accounts) */
	FF_NUM_STATE_COLUMNS
} FfStateColumn;

/* Columns of records 'epochs'. */
typedef enum FfEpochColumn
{
	FF_EP_EPOCH = 0,
	FF_EP_FIRST_VERSION,
	FF_EP_LAST_VERSION,
	FF_EP_END_TIMESTAMP,
	FF_EP_ROUND,
	FF_EP_BLOCK_ID,
	FF_EP_ROOT_HASH,
	FF_EP_WAYPOINT,
	FF_EP_VALIDATOR_COUNT,
	FF_EP_TOTAL_VOTING_POWER,
	FF_EP_VALIDATORS,
	FF_EP_SIGNER_COUNT,
	FF_EP_OBJECT,
	FF_EP_FRAMEWORK,
	FF_EP_QUORUM_VOTING_POWER,
	FF_NUM_EPOCH_COLUMNS
} FfEpochColumn;

/* Columns of records 'objects'. */
typedef enum FfObjectColumn
{
	FF_OB_KEY = 0,
	FF_OB_KIND,
	FF_OB_BACKUP,
	FF_OB_FIRST_VERSION,
	FF_OB_LAST_VERSION,
	FF_OB_FIRST_EPOCH,
	FF_OB_LAST_EPOCH,
	FF_OB_SIZE,
	FF_OB_COMPRESSION,
	FF_OB_FRAMEWORK,
	FF_NUM_OBJECT_COLUMNS
} FfObjectColumn;

typedef struct FfColumnDef
{
	const char *name;
	Oid			type;			/* the type it is produced as */
	bool		bytea_ok;		/* may also be declared bytea (raw bytes of an address/hash) */
	bool		user_only;		/* transactions: NULL for every kind but user transactions */
	FfPushColumn push;			/* quals on it narrow what is read */
	const char *meaning;		/* one line for docs, hints and column comments */
} FfColumnDef;

/* The columns of a record kind (n set to their number). */
extern const FfColumnDef *ff_kind_columns(FfRecordKind kind, int *n);

/*
 * For each attribute of the relation (index attnum-1): the column it maps to, or -1 for
 * dropped attributes. Errors for unknown names and impossible types.
 */
extern int *ff_map_columns(Relation rel, FfRecordKind kind, bool **as_bytea);

/* ---- catalog cache (catalog_cache.c) ---- */

typedef struct FfBlockContext
{
	bool		valid;			/* a BlockMetadata (or genesis) has been seen */
	bool		has_epoch;		/* it carried its epoch (v6/v7; v4/v5 blocks do not) */
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
	/* the era the records told, when the catalog could not (first object decoded) */
	ff_era		records_era;
	char	   *records_era_object;	/* malloc'ed: the object that told it */
	int			refcount;
	bool		stale;			/* server changed: free when refcount drops to 0 */
} FfCatalogRef;

/*
 * Current catalog for a server and user (revalidated once per transaction; for S3 not
 * before the server's cache_ttl has passed); pinned: release it. Bundles named after
 * epochs up to max_epoch (UINT64_MAX: all) have been read into it.
 */
extern FfCatalogRef *ff_catalog_acquire(Oid serverid, Oid userid, const char *location,
										uint64 max_epoch);
extern void ff_catalog_release(FfCatalogRef *ref);

/* ---- storage (storage.c) ---- */

struct ff_s3_config;
/* The source of a location: local directory or S3 (the user's credentials). */
extern ff_source *ff_open_source(Oid serverid, Oid userid, const char *location, int *cache_ttl);
extern void ff_s3_config_from_options(const ForeignServer *server, const FfS3Options *opts,
									  const FfS3UserOptions *user, struct ff_s3_config *cfg);

/* The cancel probe handed to lower layers. */
extern bool ff_cancel_requested(void);

/* ---- errors (errors.c) ---- */

/* Raise an ERROR for a failed lower-layer call: SQLSTATE from the code, object and offset in detail. */
extern void ff_report(const ff_status *st, const char *what) pg_attribute_noreturn();
extern int	ff_sqlstate(ff_code code);

/* ---- pushdown (pushdown.c) ---- */

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

extern void ff_extract_pushdown(PlannerInfo *root, RelOptInfo *baserel, FfRecordKind kind,
								const int *colmap, int natts, FfPushdown *out);

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

/* ---- object selection (select.c): pruning shared by planning and scanning ---- */

/* What a scan of one record kind reads, given the pushed-down ranges. */
typedef struct FfSelection
{
	size_t	   *kept;			/* malloc'ed indexes, ascending: tx chunks (transactions, events,
								 * state_changes), epoch chunks (epochs), snapshots (state) */
	size_t		n_kept;
	size_t	   *rescue_kept;	/* malloc'ed indexes into the catalog's JSON rescue files
								 * (transactions, events) */
	size_t		n_rescue_kept;
	ff_range_set wanted;		/* versions (ledger kinds, state) or epochs (epochs) to return */
	int64		objects_kept;	/* archive objects to read */
	int64		objects_total;	/* archive objects of this kind */
	double		rows;			/* estimate */
	double		bytes;			/* stored bytes of the kept objects */
} FfSelection;

extern void ff_select_objects(FfRecordKind kind, const ff_catalog *cat, const ff_range_set *versions,
							  const ff_range_set *epochs, FfSelection *sel);
extern void ff_selection_free(FfSelection *sel);
/* The highest epoch a scan can need (reading bundles up to it): UINT64_MAX for all. */
extern uint64 ff_max_epoch_needed(FfRecordKind kind, const ff_range_set *epochs);
/*
 * The catalog a scan of these ranges needs (bundles read up to its last epoch); on error the
 * range sets are freed before the error propagates.
 */
extern FfCatalogRef *ff_acquire_for_ranges(const FfTableOptions *opts, ff_range_set *versions,
										   ff_range_set *epochs);
/* Refuse to scan records of a location whose backups are of two eras. */
extern void ff_check_era(const ff_catalog *cat, FfRecordKind kind);
/* The first gap of the archive the selection touches: raise it as an error. */
extern void ff_check_gaps(FfRecordKind kind, const ff_catalog *cat, const FfSelection *sel);

/* ---- datums (datum.c) ---- */

extern Datum ff_text_datum(const char *p, size_t n);
extern Datum ff_bytea_datum(const uint8_t *p, size_t n);
extern Datum ff_int8_datum(uint64 v, const char *column);	/* error beyond bigint */
extern Datum ff_numeric_datum(uint64 v);
extern Datum ff_timestamp_usecs_datum(uint64 usecs);
extern Datum ff_timestamp_secs_datum(uint64 secs);
/* An address of addr_len bytes: AIP-40 text for 32 bytes, "0x" + 32 hex digits for 16. */
extern Datum ff_address_datum(const uint8_t *addr, size_t addr_len, bool as_bytea);
extern Datum ff_hash_datum(const uint8_t *hash, bool as_bytea);
extern Datum ff_jsonb_datum(const char *json, size_t len);
extern void ff_out_of_memory(void) pg_attribute_noreturn();

/* The datum of column `col` of a record kind for one row (*isnull set when NULL). */
typedef Datum (*FfColumnDatumFn) (int col, bool as_bytea, const void *row, bool *isnull);

/* values/nulls of the attributes whose colmap entry is >= 0; the others NULL. */
extern void ff_fill_row(int natts, const int *colmap, const bool *as_bytea, FfColumnDatumFn datum,
						const void *row, Datum *values, bool *nulls);

/* ---- row building (row_*.c) ---- */

/* What a row of a ledger kind (transactions, events, state_changes) is built from. */
typedef struct FfRowContext
{
	const ff_tx *tx;
	uint64		version;
	bool		has_block;		/* epoch/round/timestamp known from a BlockMetadata */
	bool		no_round;		/* has_block, but the round is unknown (JSON rescue) */
	uint64		epoch;
	uint64		round;
	uint64		timestamp_usecs;
	bool		has_epoch;		/* epoch known (from a block or the epoch index) */
	Datum		object;			/* text datum of the chunk key */
	const char *framework;		/* "v4", "v5", "v6", "v7" */
	ff_buf	   *scratch;		/* for rendering type tags, function names, JSON */
	const struct ff_event *event;	/* events */
	const struct ff_write *write;	/* state_changes */
} FfRowContext;

/* Fill values/nulls for the attributes whose colmap entry is >= 0. */
extern void ff_build_tx_row(const FfRowContext *row, int natts, const int *colmap,
							const bool *as_bytea, Datum *values, bool *nulls);
extern void ff_build_event_row(const FfRowContext *row, int natts, const int *colmap,
							   const bool *as_bytea, Datum *values, bool *nulls);

/* An event of a JSON rescue view (no BCS: the view's data as JSON). */
typedef struct FfRescueEventRow
{
	FfRowContext ctx;			/* the transaction's version, block, hash, object */
	const struct ff_rescue_event *event;
} FfRescueEventRow;

extern void ff_build_rescue_event_row(const FfRescueEventRow *row, int natts, const int *colmap,
									  const bool *as_bytea, Datum *values, bool *nulls);

/* A state key and value: a write-set entry (state_changes) or a snapshot item (state). */
typedef struct FfStateRow
{
	uint64		version;		/* version | snapshot_version */
	bool		has_epoch;
	uint64		epoch;
	uint64		index;			/* change_index | item_index */
	const struct ff_state_key *key;
	bool		has_op;			/* state_changes */
	int			op;				/* ff_write_op_kind */
	bool		has_value;
	ff_span		value;
	const struct ff_state_metadata *metadata;
	Datum		object;
	const char *framework;
	ff_buf	   *scratch;
} FfStateRow;

extern void ff_build_state_row(const FfStateRow *row, int natts, const int *colmap,
							   const bool *as_bytea, Datum *values, bool *nulls);

/* An epoch-ending ledger info. */
typedef struct FfEpochRow
{
	const struct ff_ledger_info *li;
	bool		has_first_version;
	uint64		first_version;
	const uint8_t *waypoint;	/* recomputed, 32 bytes */
	Datum		object;
	const char *framework;
	ff_buf	   *scratch;
} FfEpochRow;

extern void ff_build_epoch_row(const FfEpochRow *row, int natts, const int *colmap,
							   const bool *as_bytea, Datum *values, bool *nulls);

/* A catalog object; compression < 0 when unknown; framework NULL when unknown. */
extern void ff_build_object_row(const ff_catalog_object *obj, int compression, const char *framework,
								int natts, const int *colmap, Datum *values, bool *nulls);

/* One resource of a v4/v5 account record of a state snapshot (state). */
typedef struct FfAccountRow
{
	uint64		snapshot_version;
	bool		has_epoch;
	uint64		epoch;
	uint64		index;			/* the account record's position in the snapshot */
	const struct ff_account_record *record;
	const struct ff_account_resource *resource;
	bool		has_address;
	uint8_t		address[16];
	bool		has_balance;	/* the resource is the account's Balance<GAS> */
	uint64		balance;
	Datum		object;
	const char *framework;
	ff_buf	   *scratch;
} FfAccountRow;

extern void ff_build_account_row(const FfAccountRow *row, int natts, const int *colmap,
								 const bool *as_bytea, Datum *values, bool *nulls);

/* ---- IMPORT FOREIGN SCHEMA (import.c) ---- */

extern List *ffImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid);

#endif
