/*
 * scan_ledger.c — reading transaction chunks for the record kinds built from transactions:
 * transactions (a row per record), events (a row per event) and state_changes (a row per
 * write-set entry). The kept chunks are streamed one after another; records outside the
 * wanted versions are skipped by their length; each record is decoded only as deep as the
 * query needs (a transactions query without event_count/write_count does not walk the
 * events and write set; an events query never walks the write set).
 *
 * Each row carries the epoch, round and timestamp of its enclosing block. The block context
 * flows from record to record and from a chunk into the next contiguous one; when a chunk
 * starts mid-block and its predecessor was not read (pruned away), the predecessor is read
 * once in "context only" mode (only BlockMetadata headers are looked at) and its end context
 * is remembered in the catalog cache for later scans.
 *
 * The table option verify: 'hashes' decodes every returned record fully and recomputes its
 * transaction hash, event root hash and state change hash against its TransactionInfo;
 * 'proofs' also reads every kept chunk to its end, keeps hash(TransactionInfo) of each of
 * its records (32 bytes per record) and checks them at the chunk's end against the chunk's
 * .proof file (accumulator range proof up to the executed_state_id of its ledger info).
 */
#include "fdw/scan.h"

#include "chain/block.h"
#include "chain/event.h"
#include "chain/state.h"
#include "io/gzip.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* The largest .proof file accepted (they are a few KB: siblings and one ledger info). */
#define FF_MAX_PROOF_SIZE (16 * 1024 * 1024)

/* An open transaction chunk and its position. */
typedef struct FfChunkReader
{
	const ff_tx_chunk *chunk;
	size_t		index;			/* in the catalog */
	FfRecordStream rs;
	uint64		next_version;	/* version of the next record */
	ff_era		era;			/* of its records; FF_ERA_UNKNOWN until the first is read */
} FfChunkReader;

typedef struct FfLedgerReader
{
	FfRecordKind kind;
	bool		need_block;		/* epoch, round or block_timestamp are used */
	bool		full_decode;	/* walk the events and the write set of each record */
	size_t		next_kept;
	size_t		range_cursor;	/* index into wanted.r of the current version's range */
	FfChunkReader cur;			/* cur.rs.records == NULL: none open */
	Datum		object_datum;	/* text of the current chunk's key (scan memory) */

	FfBlockContext block;		/* enclosing block of the last record processed */
	bool		block_current;	/* block describes cur up to next_version - 1 */

	/* the record whose events or writes are being returned */
	bool		in_record;
	ff_tx		tx;
	FfRowContext row;
	ff_event_iter events;
	ff_write_iter writes;

	bool		chunks_done;	/* the kept chunks are read: JSON rescue dumps follow */
	FfRescueScan *rescue;

	ff_verify_level verify;		/* table option verify */
	uint8_t		(*leaves)[FF_HASH_LEN];	/* proofs: hash(TransactionInfo) of the current
										 * chunk's records read so far (scan memory) */
	size_t		n_leaves;
	size_t		cap_leaves;
} FfLedgerReader;

static void
close_chunk(FfScanState *ss, FfChunkReader *cr)
{
	ff_close_record_stream(ss, &cr->rs);
}

static void
ledger_close(FfScanState *ss)
{
	FfLedgerReader *lr = (FfLedgerReader *) ss->reader;

	if (lr)
	{
		close_chunk(ss, &lr->cur);
		lr->in_record = false;
		ff_rescue_scan_close(ss, lr->rescue);
	}
}

/* Chunk proofs are checked for v6/v7 only: the v4/v5 .proof layout is not documented. */
static void
require_proof_era(ff_era era)
{
	if (era == FF_ERA_V4 || era == FF_ERA_V5)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("verify 'proofs' is not supported for %s archives", ff_era_name(era)),
				 errdetail("The layout of v4/v5 transaction .proof files is not documented, so their range proofs are not checked."),
				 errhint("Use verify 'hashes', which recomputes each transaction's hash%s.",
						 era == FF_ERA_V5 ? " and event root hash" : "")));
}

static void
ledger_start(FfScanState *ss)
{
	FfLedgerReader *lr = ss->reader;

	if (!lr)
		lr = ss->reader = MemoryContextAllocZero(ss->scancxt, sizeof(FfLedgerReader));
	{
		/* keep the leaf buffer of an earlier run (rescan) */
		uint8_t		(*leaves)[FF_HASH_LEN] = lr->leaves;
		size_t		cap = lr->cap_leaves;

		memset(lr, 0, sizeof(*lr));
		lr->leaves = leaves;
		lr->cap_leaves = cap;
	}
	lr->kind = ss->opts.records;
	lr->verify = ss->opts.verify;
	switch (lr->kind)
	{
		case FF_RECORDS_TRANSACTIONS:
			lr->need_block = ss->uses[FF_COL_EPOCH] || ss->uses[FF_COL_ROUND] ||
				ss->uses[FF_COL_BLOCK_TIMESTAMP];
			lr->full_decode = ss->uses[FF_COL_EVENT_COUNT] || ss->uses[FF_COL_WRITE_COUNT];
			break;
		case FF_RECORDS_EVENTS:
			lr->need_block = ss->uses[FF_EV_EPOCH] || ss->uses[FF_EV_BLOCK_TIMESTAMP];
			lr->full_decode = false;
			break;
		default:
			lr->need_block = ss->uses[FF_ST_EPOCH];
			lr->full_decode = true;
			break;
	}
	if (lr->verify >= FF_VERIFY_HASHES)
		lr->full_decode = true;
	if (lr->verify == FF_VERIFY_PROOFS)
		require_proof_era(ss->ref->catalog->era);
	ss->err_position_label = "version";
}

static void
open_chunk_reader(FfScanState *ss, size_t index, FfChunkReader *cr)
{
	const ff_tx_chunk *chunk = &ss->ref->catalog->tx_chunks[index];

	memset(cr, 0, sizeof(*cr));
	cr->chunk = chunk;
	cr->index = index;
	cr->next_version = chunk->first_version;
	ff_open_record_stream(ss, chunk->key, "transaction chunk", &cr->rs);
}

/* Is version v wanted? Versions come in ascending order, so a cursor walks the ranges. */
static bool
version_wanted(FfScanState *ss, FfLedgerReader *lr, uint64 v)
{
	const ff_range_set *w = &ss->sel.wanted;

	while (lr->range_cursor < w->n && w->r[lr->range_cursor].hi < v)
		lr->range_cursor++;
	return lr->range_cursor < w->n && w->r[lr->range_cursor].lo <= v;
}

/* The chunk ended: its record count must match its manifest. */
static void
check_chunk_complete(const FfChunkReader *cr)
{
	if (cr->next_version != cr->chunk->last_version + 1)
		ff_report_chunk_count(cr->rs.records, "transaction chunk", cr->chunk->key, cr->chunk->manifest_key, "versions",
							  cr->chunk->first_version, cr->chunk->last_version,
							  (int64) (cr->next_version - cr->chunk->first_version));
}

/*
 * The era of a chunk's records, settled at its first record read: the catalog's, else what
 * the record tells (every chunk is checked against the first one when the catalog could
 * not tell).
 */
static ff_era
chunk_era(FfScanState *ss, FfChunkReader *cr, const uint8_t *rec, size_t len)
{
	if (cr->era == FF_ERA_UNKNOWN)
	{
		ff_era		told = ss->ref->catalog->era == FF_ERA_UNKNOWN
			? ff_tx_detect_era(rec, len) : FF_ERA_UNKNOWN;

		cr->era = ff_scan_object_era(ss, cr->chunk->key, told);
	}
	return cr->era;
}

/* Follow the block context over one record (genesis opens epoch 0). */
static void
track_block(FfBlockContext *block, ff_era era, const uint8_t *rec, size_t len)
{
	ff_block_header h;
	int			kind = ff_tx_peek_kind(rec, len);

	if (kind == FF_TX_BLOCK_METADATA && ff_block_header_peek_era(era, rec, len, &h))
	{
		block->valid = true;
		block->has_epoch = h.has_epoch;
		block->epoch = h.epoch;
		block->round = h.round;
		block->timestamp_usecs = h.timestamp_usecs;
	}
	else if (kind == FF_TX_GENESIS)
	{
		block->valid = true;
		block->has_epoch = true;
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
			rc = ff_record_next(cr.rs.records, &rec, &len, &st);
			if (rc == FF_EOF)
				break;
			if (rc != FF_OK)
				ff_report(&st, "cannot read transaction chunk");
			track_block(&block, chunk_era(ss, &cr, rec, len), rec, len);
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
resolve_leading_block(FfScanState *ss, FfLedgerReader *lr)
{
	const ff_catalog *cat = ss->ref->catalog;
	size_t		index = lr->cur.index;

	lr->block_current = true;	/* whatever we find, do not look again in this chunk */
	lr->block.valid = false;
	if (index == 0)
		return;
	if (cat->tx_chunks[index - 1].last_version + 1 != cat->tx_chunks[index].first_version)
		return;
	lr->block = chunk_end_context(ss, index - 1);
}

static void
fill_row_block(FfScanState *ss, FfLedgerReader *lr, FfRowContext *row)
{
	row->has_block = lr->block.valid;
	row->has_epoch = lr->block.valid && lr->block.has_epoch;
	if (lr->block.valid)
	{
		row->epoch = lr->block.epoch;
		row->round = lr->block.round;
		row->timestamp_usecs = lr->block.timestamp_usecs;
	}
	if (!row->has_epoch)
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
open_next_chunk(FfScanState *ss, FfLedgerReader *lr)
{
	size_t		index = ss->sel.kept[lr->next_kept++];
	const ff_tx_chunk *chunk = &ss->ref->catalog->tx_chunks[index];
	bool		contiguous = lr->block_current && lr->cur.chunk &&
		lr->cur.chunk->last_version + 1 == chunk->first_version &&
		lr->cur.next_version == chunk->first_version;

	close_chunk(ss, &lr->cur);
	open_chunk_reader(ss, index, &lr->cur);
	lr->block_current = contiguous;
	lr->object_datum = ff_scan_text(ss, chunk->key);
	ss->err_object = chunk->key;
}

/*
 * Decode a wanted record as deep as the query needs; errors name the chunk and offset, and
 * a record of another era than the archive's says so.
 */
static void
decode_record(FfScanState *ss, FfLedgerReader *lr, const uint8_t *rec, size_t len)
{
	ff_status	st;
	ff_code		rc;
	ff_era		era = lr->cur.era;

	ff_status_clear(&st);
	if (lr->full_decode)
		rc = ff_tx_decode_era(era, rec, len, &lr->tx, &st);
	else
		rc = ff_tx_decode_header_era(era, rec, len, &lr->tx, &st);
	if (rc != FF_OK)
	{
		ff_era		told = ff_tx_detect_era(rec, len);

		if (told != FF_ERA_UNKNOWN && told != era)
			(void) ff_scan_object_era(ss, lr->cur.chunk->key, told);	/* raises */
		ff_report_record(&lr->cur.rs, &st, "cannot decode transaction");
	}
}

/* The Transaction and TransactionInfo of a record that is not returned (verify 'proofs'). */
static void
decode_header(FfScanState *ss, FfLedgerReader *lr, const uint8_t *rec, size_t len, ff_tx *tx)
{
	ff_status	st;

	ff_status_clear(&st);
	if (ff_tx_decode_header_era(lr->cur.era, rec, len, tx, &st) != FF_OK)
	{
		ff_era		told = ff_tx_detect_era(rec, len);

		if (told != FF_ERA_UNKNOWN && told != lr->cur.era)
			(void) ff_scan_object_era(ss, lr->cur.chunk->key, told);	/* raises */
		ff_report_record(&lr->cur.rs, &st, "cannot decode transaction");
	}
}

/* Keep the record's leaf of the transaction accumulator, hash(TransactionInfo). */
static void
push_leaf(FfScanState *ss, FfLedgerReader *lr, const ff_tx *tx)
{
	if (lr->n_leaves == lr->cap_leaves)
	{
		size_t		cap = lr->cap_leaves ? lr->cap_leaves * 2 : 1024;

		if (lr->leaves)
			lr->leaves = repalloc_huge(lr->leaves, cap * FF_HASH_LEN);
		else
			lr->leaves = MemoryContextAllocHuge(ss->scancxt, cap * FF_HASH_LEN);
		lr->cap_leaves = cap;
	}
	ff_tx_info_leaf(tx->era, tx->info, lr->leaves[lr->n_leaves++]);
}

/*
 * verify 'hashes': the record just decoded (fully) against its TransactionInfo; a mismatch
 * names the version, the hash and the object.
 */
static void
verify_record(FfScanState *ss, FfLedgerReader *lr, uint64 v)
{
	ff_tx_hash_check hc;
	ff_status	st;
	char		computed[2 * FF_HASH_LEN + 1];
	char		stored[2 * FF_HASH_LEN + 1];
	const char *key = lr->cur.chunk->key;
	int64		record = (int64) (v - lr->cur.chunk->first_version);
	const char *what = NULL;

	ff_status_clear(&st);
	if (ff_verify_tx_hashes(&lr->tx, &hc, &st) != FF_OK)
	{
		st.offset += (int64) ((lr->tx.events.len ? lr->tx.events.ptr : lr->tx.rest.ptr) -
							  lr->tx.transaction.ptr);
		ff_report_record(&lr->cur.rs, &st, "cannot decode event");
	}
	ss->stats.records_verified++;
	if (hc.failed == FF_TXH_NONE)
		return;
	ff_hash_hex(hc.computed, computed);
	if (hc.stored)
		ff_hash_hex(hc.stored, stored);
	else
		strcpy(stored, "(none)");
	switch (hc.failed)
	{
		case FF_TXH_TRANSACTION:
			what = "transaction_hash does not match its transaction";
			break;
		case FF_TXH_EVENT_ROOT:
			what = psprintf("event_root_hash does not match its %u event%s", hc.event_count,
							hc.event_count == 1 ? "" : "s");
			break;
		case FF_TXH_STATE_CHANGE:
			what = "state_change_hash does not match its write set";
			break;
		case FF_TXH_NONE:
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("transaction " UINT64_FORMAT ": %s", v, what),
			 errdetail("Computed %s, stored %s; archive object \"%s\", record " INT64_FORMAT ".",
					   computed, stored, key, record),
			 errhint("The archive object is damaged or was altered; compare it with its source.")));
}

/* Raise a chunk that does not match its proof. */
static void
report_proof_mismatch(const ff_tx_chunk *chunk, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("transaction chunk \"%s\" (versions " UINT64_FORMAT " to " UINT64_FORMAT ") does not match its proof \"%s\"",
					chunk->key, chunk->first_version, chunk->last_version, chunk->proof_key),
			 errdetail("%s", detail),
			 errhint("The chunk or its proof is damaged or was altered; compare them with their source.")));
}

/*
 * verify 'proofs', at the end of a complete chunk: its leaves, placed at its first version
 * and combined with the siblings of its .proof file, must give the executed_state_id of
 * the proof's ledger info.
 */
static void
verify_chunk_proof(FfScanState *ss, FfLedgerReader *lr)
{
	const ff_tx_chunk *chunk = lr->cur.chunk;
	ff_status	st;
	ff_stream  *file = NULL;
	ff_stream  *stream;
	char	   *raw = NULL;
	size_t		len = 0;
	uint8_t    *proof;
	ff_range_proof p;
	ff_ledger_info li;
	uint8_t		root[FF_HASH_LEN];
	char		computed[2 * FF_HASH_LEN + 1];
	char		stored[2 * FF_HASH_LEN + 1];
	ff_code		rc;

	if (!chunk->proof_key)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("transaction chunk \"%s\" has no proof file", chunk->key),
				 errdetail("verify 'proofs' needs " UINT64_FORMAT "-" UINT64_FORMAT ".proof beside its manifest \"%s\".",
						   chunk->first_version, chunk->last_version, chunk->manifest_key),
				 errhint("Use verify 'hashes' to check the records without a proof.")));
	if (lr->n_leaves != chunk->last_version - chunk->first_version + 1)
		elog(ERROR, "forensic_fdw: %zu leaves collected for transaction chunk \"%s\"", lr->n_leaves, chunk->key);

	/* the whole file, copied into scan memory so that an error leaks nothing */
	ff_status_clear(&st);
	if (ff_source_open(ss->ref->source, chunk->proof_key, 0, &file, &st) != FF_OK)
	{
		if (!st.object[0])
			ff_status_locate(&st, chunk->proof_key, -1, -1);
		ff_report(&st, "cannot open transaction proof");
	}
	stream = ff_gzip_open(file, chunk->proof_key, NULL, &st);
	if (stream)
	{
		rc = ff_stream_read_all(stream, FF_MAX_PROOF_SIZE, &raw, &len, &st);
		ss->stats.bytes_stored += ff_stream_stored_bytes(stream);
		ff_stream_close(stream);
	}
	else
		rc = st.code != FF_OK ? st.code : FF_ERR_IO;
	if (rc != FF_OK)
	{
		if (!st.object[0])
			ff_status_locate(&st, chunk->proof_key, -1, -1);
		ff_report(&st, "cannot read transaction proof");
	}
	proof = palloc(Max(len, 1));
	memcpy(proof, raw, len);
	free(raw);
	ss->stats.bytes_raw += len;

	ff_status_clear(&st);
	if (ff_tx_proof_decode(lr->cur.era, proof, len, &p, &li, &st) != FF_OK)
	{
		ff_status_locate(&st, chunk->proof_key, -1, st.offset);
		ff_report(&st, "cannot decode transaction proof");
	}
	if (li.version < chunk->last_version)
		report_proof_mismatch(chunk, psprintf("The proof's ledger info is at version " UINT64_FORMAT ", before the chunk's last version.",
											  li.version));
	if (ff_range_proof_root(&p, ff_era_domain(lr->cur.era), "TransactionAccumulator",
							chunk->first_version, lr->leaves, lr->n_leaves, root, &st) != FF_OK)
		report_proof_mismatch(chunk, psprintf("Its %zu records do not fit the proof: %s.", lr->n_leaves, st.message));
	if (memcmp(root, li.executed_state_id, FF_HASH_LEN) != 0)
	{
		ff_hash_hex(root, computed);
		ff_hash_hex(li.executed_state_id, stored);
		report_proof_mismatch(chunk,
							  psprintf("The accumulator root computed from its %zu records and the proof's siblings is %s; the proof's ledger info (epoch " UINT64_FORMAT ", version " UINT64_FORMAT ") says %s.",
									   lr->n_leaves, computed, li.epoch, li.version, stored));
	}
	pfree(proof);
	lr->n_leaves = 0;
	ss->stats.proofs_verified++;
}

/* Read records until a wanted one is decoded (true) or the kept chunks are exhausted. */
static bool
next_record(FfScanState *ss, FfLedgerReader *lr)
{
	ff_status	st;

	for (;;)
	{
		FfChunkReader *cr = &lr->cur;
		const ff_range_set *w = &ss->sel.wanted;
		const uint8_t *rec;
		size_t		len;
		uint64		v;
		bool		wanted;
		ff_code		rc;

		CHECK_FOR_INTERRUPTS();
		if (!cr->rs.records)
		{
			if (lr->next_kept >= ss->sel.n_kept)
				return false;
			open_next_chunk(ss, lr);
			continue;
		}

		v = cr->next_version;
		ss->err_object = cr->chunk->key;
		ss->err_has_position = true;
		ss->err_position = v;
		/*
		 * past the last wanted version of this chunk: stop reading it (verify 'proofs' reads
		 * every chunk to its end)
		 */
		if (lr->verify == FF_VERIFY_PROOFS ? v > cr->chunk->last_version :
			(lr->range_cursor >= w->n || v > Min(cr->chunk->last_version, w->r[w->n - 1].hi)))
		{
			if (v > cr->chunk->last_version)
			{
				/* the chunk should end here */
				ff_status_clear(&st);
				rc = ff_record_skip(cr->rs.records, &st);
				if (rc == FF_OK)
					ff_report_chunk_count(cr->rs.records, "transaction chunk", cr->chunk->key, cr->chunk->manifest_key,
										  "versions", cr->chunk->first_version,
										  cr->chunk->last_version, -1);
				if (rc != FF_EOF)
					ff_report(&st, "cannot read transaction chunk");
				if (lr->verify == FF_VERIFY_PROOFS)
					verify_chunk_proof(ss, lr);
				if (lr->block_current)
					ss->ref->chunk_end[cr->index] = lr->block;
			}
			close_chunk(ss, cr);
			continue;
		}

		wanted = v >= cr->chunk->emit_from && version_wanted(ss, lr, v);
		ff_status_clear(&st);
		if (!wanted && !lr->need_block && lr->verify != FF_VERIFY_PROOFS)
		{
			/* passed over unseen: the block context no longer describes this chunk */
			rc = ff_record_skip(cr->rs.records, &st);
			rec = NULL;
			len = 0;
			lr->block_current = false;
			lr->block.valid = false;
		}
		else
			rc = ff_record_next(cr->rs.records, &rec, &len, &st);
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

			(void) chunk_era(ss, cr, rec, len);
			if (kind == FF_TX_BLOCK_METADATA || kind == FF_TX_GENESIS)
			{
				track_block(&lr->block, cr->era, rec, len);
				lr->block_current = lr->block.valid;
			}
			else if (wanted && lr->need_block && !lr->block_current)
				resolve_leading_block(ss, lr);
		}
		if (lr->verify == FF_VERIFY_PROOFS && v == cr->chunk->first_version)
		{
			require_proof_era(cr->era);
			lr->n_leaves = 0;
		}
		if (!wanted)
		{
			if (lr->verify == FF_VERIFY_PROOFS)
			{
				ff_tx		header;

				decode_header(ss, lr, rec, len, &header);
				push_leaf(ss, lr, &header);
			}
			ss->stats.records_skipped++;
			continue;
		}

		decode_record(ss, lr, rec, len);
		ss->stats.records_decoded++;
		if (lr->verify >= FF_VERIFY_HASHES)
			verify_record(ss, lr, v);
		if (lr->verify == FF_VERIFY_PROOFS)
			push_leaf(ss, lr, &lr->tx);

		memset(&lr->row, 0, sizeof(lr->row));
		lr->row.tx = &lr->tx;
		lr->row.version = v;
		lr->row.object = lr->object_datum;
		lr->row.framework = ff_scan_framework(ss, cr->era);
		lr->row.scratch = &ss->scratch;
		fill_row_block(ss, lr, &lr->row);
		return true;
	}
}

/* The next event of the current record (false after the last). */
static bool
next_event(FfLedgerReader *lr, ff_event *ev)
{
	ff_status	st;
	ff_code		rc;

	ff_status_clear(&st);
	rc = ff_event_next(&lr->events, ev, &st);
	if (rc == FF_EOF)
		return false;
	if (rc != FF_OK)
	{
		/* offset within the events: make it an offset within the record */
		st.offset += (int64) (lr->tx.rest.ptr - lr->tx.transaction.ptr);
		ff_report_record(&lr->cur.rs, &st, "cannot decode event");
	}
	return true;
}

/* The next write-set entry of the current record (false after the last). */
static bool
next_write(FfLedgerReader *lr, ff_write *w)
{
	ff_status	st;
	ff_code		rc;

	ff_status_clear(&st);
	rc = ff_write_next(&lr->writes, w, &st);
	if (rc == FF_EOF)
		return false;
	if (rc != FF_OK)
	{
		st.offset += (int64) (lr->tx.write_set.ptr - lr->tx.transaction.ptr);
		ff_report_record(&lr->cur.rs, &st, "cannot decode write set");
	}
	return true;
}

static bool
ledger_next(FfScanState *ss, Datum *values, bool *nulls)
{
	FfLedgerReader *lr = (FfLedgerReader *) ss->reader;

	if (lr->chunks_done)
		return ff_rescue_scan_next(ss, &lr->rescue, values, nulls);
	if (lr->kind == FF_RECORDS_TRANSACTIONS)
	{
		if (!next_record(ss, lr))
		{
			lr->chunks_done = true;
			return ff_rescue_scan_next(ss, &lr->rescue, values, nulls);
		}
		ff_build_tx_row(&lr->row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
		return true;
	}

	for (;;)
	{
		if (lr->in_record)
		{
			if (lr->kind == FF_RECORDS_EVENTS)
			{
				ff_event	ev;

				if (next_event(lr, &ev))
				{
					lr->row.event = &ev;
					ff_build_event_row(&lr->row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
					lr->row.event = NULL;
					return true;
				}
			}
			else
			{
				ff_write	w;

				if (next_write(lr, &w))
				{
					FfStateRow row = {0};

					row.version = lr->row.version;
					row.has_epoch = lr->row.has_epoch;
					row.epoch = lr->row.epoch;
					row.index = w.index;
					row.key = &w.key;
					row.has_op = true;
					row.op = (int) w.op;
					row.has_value = w.has_value;
					row.value = w.value;
					row.metadata = &w.metadata;
					row.object = lr->row.object;
					row.framework = lr->row.framework;
					row.scratch = &ss->scratch;
					ff_build_state_row(&row, ss->natts, ss->colmap, ss->as_bytea, values, nulls);
					return true;
				}
			}
			lr->in_record = false;
		}
		if (!next_record(ss, lr))
		{
			lr->chunks_done = true;
			return ff_rescue_scan_next(ss, &lr->rescue, values, nulls);
		}
		if (lr->kind == FF_RECORDS_EVENTS)
		{
			if (lr->tx.era == FF_ERA_V4)
				continue;		/* v4 records carry no events */
			ff_event_iter_init_era(&lr->events, lr->tx.rest, lr->tx.era);
		}
		else
		{
			if (lr->tx.era != FF_ERA_V6)
				continue;		/* v4/v5 records carry no write sets */
			ff_write_iter_init(&lr->writes, lr->tx.write_set);
		}
		lr->in_record = true;
	}
}

const FfScanDriver ff_ledger_driver = {
	.start = ledger_start,
	.next = ledger_next,
	.close = ledger_close,
};
