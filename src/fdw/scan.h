/*
 * scan.h — the state of a running foreign scan, shared by the generic executor callbacks
 * (scan.c) and the readers of each record kind: scan_ledger.c (transactions, events,
 * state_changes over transaction chunks), scan_epochs.c, scan_state.c, scan_objects.c.
 */
#ifndef FF_FDW_SCAN_H
#define FF_FDW_SCAN_H

#include "fdw/forensic_fdw.h"
#include "io/record.h"

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
	int64		records_verified;	/* verify: records whose hashes were recomputed */
	int64		proofs_verified;	/* verify 'proofs': chunks checked against their proof */
} FfScanStats;

/* An open archive object read as framed records: file -> gzip -> record framing. */
typedef struct FfRecordStream
{
	const char *key;
	ff_stream  *stream;
	ff_record_reader *records;
} FfRecordStream;

typedef struct FfScanState FfScanState;

/* What each record kind implements. */
typedef struct FfScanDriver
{
	/* the selection is made: set up reading it */
	void		(*start) (FfScanState *ss);
	/* fill the next row's values/nulls (in the per-row context); false at the end */
	bool		(*next) (FfScanState *ss, Datum *values, bool *nulls);
	/* release what reading holds (called at end, rescan, error and cancel; idempotent) */
	void		(*close) (FfScanState *ss);
} FfScanDriver;

struct FfScanState
{
	/* from the plan */
	FfTableOptions opts;
	int			natts;
	int		   *colmap;			/* per attribute: column or -1 when not needed */
	bool	   *as_bytea;
	bool	   *uses;			/* per column id of the kind: the query needs it */
	List	   *push_info;
	List	   *push_types;
	List	   *push_states;	/* ExprState per fdw_exprs entry */
	char	   *plan_versions;
	char	   *plan_epochs;
	int			plan_kept;
	int			plan_total;
	bool		plan_runtime;
	const FfScanDriver *driver;

	/* run time */
	bool		started;
	bool		closed;			/* resources already released */
	FfCatalogRef *ref;
	FfSelection sel;			/* objects to read and ranges to return */
	char	   *run_versions;	/* texts for EXPLAIN ANALYZE */
	char	   *run_epochs;
	void	   *reader;			/* the driver's state (scan memory) */
	ff_read_plan *read_plan;	/* read-ahead of the selected objects (S3), or NULL */

	ff_buf		scratch;
	MemoryContext scancxt;		/* lives as long as the scan */
	MemoryContext rowcxt;		/* reset for every row */
	MemoryContextCallback cleanup;
	FfScanStats stats;

	/* for the error context callback */
	const char *err_object;
	bool		err_has_position;
	const char *err_position_label;	/* "version", "epoch", "item" */
	uint64		err_position;
};

/* JSON rescue dumps, read by the ledger driver after its chunks (scan_rescue.c). */
typedef struct FfRescueScan FfRescueScan;
extern bool ff_rescue_scan_next(FfScanState *ss, FfRescueScan **state, Datum *values, bool *nulls);
extern void ff_rescue_scan_close(FfScanState *ss, FfRescueScan *state);

extern const FfScanDriver ff_ledger_driver;
extern const FfScanDriver ff_epochs_driver;
extern const FfScanDriver ff_state_driver;
extern const FfScanDriver ff_objects_driver;

/* Open an object as records, counted in the stats; errors are raised. */
extern void ff_open_record_stream(FfScanState *ss, const char *key, const char *what,
								  FfRecordStream *rs);
/* Close it (idempotent), adding its bytes to the stats. */
extern void ff_close_record_stream(FfScanState *ss, FfRecordStream *rs);
/* Raise a record-decoding failure at the reader's last record, offset within it in st. */
extern void ff_report_record(FfRecordStream *rs, ff_status *st, const char *what) pg_attribute_noreturn();
/*
 * A chunk holds other than the records its manifest says (`unit` "versions", "epochs"
 * first..last): `held` records when it ended early (at the reader's offset), -1 when it
 * holds more (the reader's last record is the first one too many).
 */
extern void ff_report_chunk_count(const ff_record_reader *records, const char *what, const char *key,
								  const char *manifest_key, const char *unit, uint64 first, uint64 last,
								  int64 held) pg_attribute_noreturn();
/*
 * The era of an object's records: the catalog's, else the one the first object decoded in
 * this backend told. `told` is what this object's first record tells (FF_ERA_UNKNOWN when
 * it fits none or was not looked at). Raises the mixed-era and unknown-era errors.
 */
extern ff_era ff_scan_object_era(FfScanState *ss, const char *key, ff_era told);
/* The framework column's text for records of an era ("v7" when the server says so). */
extern const char *ff_scan_framework(FfScanState *ss, ff_era era);
/* Text datum of a key, in scan memory. */
extern Datum ff_scan_text(FfScanState *ss, const char *s);

#endif
