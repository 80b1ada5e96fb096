/*
 * archive_layout.c — plans and writes the backups of the synthetic archive:
 * names (<kind>_<first>-.<hex4>, state_epoch_<E>_ver_<V>.<hex4>), chunk
 * framing (u32 big-endian length), proofs, manifests, .meta lines, both
 * layouts and the optional defects (among them a state snapshot whose second
 * chunk is missing).  Every decision depends only on (seed, options, chain
 * prefix), so a run with more epochs rewrites every earlier file byte for byte.
 */
#include "archive_layout.h"

#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "gen_hash.h"
#include "gen_util.h"

#define MULTI_EPOCH_FIRST 2
#define MULTI_EPOCH_COUNT 3
#define STALE_META_EPOCH 3
#define FLAT_DUPLICATE_BACKUP 1
#define FLAT_GZ_HANDLE_BACKUP 2
#define PER_EPOCH_DUPLICATE_EPOCH 3
#define PER_EPOCH_GZ_HANDLE_EPOCH 4

typedef struct layout_context
{
	const chain_model *chain;
	const layout_options *options;
	archive_writer *writer;
	layout_result *result;
} layout_context;

typedef struct transaction_backup_spec
{
	const char *prefix;			/* "" or "<epoch>/" */
	uint64_t	first_version;
	uint64_t	last_version;
	uint64_t	chunk_starts[2];
	size_t		chunk_count;
	const char *salt;			/* varies the folder suffix of a re-run */
	bool		gz_handles;		/* manifest handles and file names end in .gz */
	const char *meta_name;		/* NULL = transaction_<first>-<last>.meta */
} transaction_backup_spec;

static char *
folder_name(layout_context *context, const char *prefix, const char *base, const char *salt)
{
	char	   *hash_input = gen_asprintf("%s%s%s", prefix, base, salt);
	unsigned	suffix = (unsigned) (gen_name_hash(context->options->seed, hash_input) & 0xffff);
	char	   *name = gen_asprintf("%s.%04x", base, suffix);

	free(hash_input);
	return name;
}

/* Writes with the archive's compression, or always gzip (a manifest naming ".gz" handles). */
static char *
write_object(layout_context *context, object_kind kind, const char *relpath, const byte_buf *bytes, bool gzip)
{
	if (gzip)
		return archive_write_as(context->writer, kind, relpath, bytes->data, bytes->len, COMPRESSION_GZIP);
	return archive_write(context->writer, kind, relpath, bytes->data, bytes->len);
}

static void
write_text_file(layout_context *context, object_kind kind, const char *relpath, const byte_buf *text)
{
	free(write_object(context, kind, relpath, text, false));
}

static void
write_meta(layout_context *context, const char *prefix, const char *name, const byte_buf *line)
{
	char	   *relpath = gen_asprintf("%smetadata/%s", prefix, name);

	write_text_file(context, OBJECT_METADATA, relpath, line);
	context->result->meta_files++;
	free(relpath);
}

static void
frame_transactions(const chain_model *chain, uint64_t first, uint64_t last, byte_buf *out)
{
	for (uint64_t version = first; version <= last; version++)
	{
		const chain_txn *txn = &chain->txns[version];

		bcs_u32_be(out, (uint32_t) txn->record_len);
		buf_append(out, txn->record, txn->record_len);
	}
}

/* (TransactionAccumulatorRangeProof, LedgerInfoWithSignatures) with no framing. */
static void
build_proof(const chain_model *chain, uint64_t first, uint64_t last, byte_buf *out)
{
	const epoch_info *epoch = chain_epoch_of(chain, last);

	accumulator_range_proof("TransactionAccumulator", (const uint8_t (*)[HASH_LEN]) chain->info_hashes,
							(size_t) epoch->last_version + 1, (size_t) first, (size_t) last, out);
	buf_append(out, epoch->ledger_info, epoch->ledger_info_len);
}

static void
add_chunk_object(layout_context *context, uint64_t first, uint64_t last, char *key)
{
	layout_result *result = context->result;

	result->chunks = gen_realloc(result->chunks, (result->chunk_count + 1) * sizeof(chunk_object));
	result->chunks[result->chunk_count].first_version = first;
	result->chunks[result->chunk_count].last_version = last;
	result->chunks[result->chunk_count].key = key;
	result->chunks[result->chunk_count].first_kind = (uint8_t) context->chain->txns[first].kind;
	result->chunk_count++;
}

static void
add_epoch_chunk(layout_context *context, uint64_t first_epoch, uint64_t last_epoch, char *key)
{
	layout_result *result = context->result;
	epoch_chunk_object *chunk = GEN_PUSH(result->epoch_chunks, result->epoch_chunk_count);

	chunk->first_epoch = first_epoch;
	chunk->last_epoch = last_epoch;
	chunk->key = key;
}

static char *
write_transaction_backup(layout_context *context, const transaction_backup_spec *spec)
{
	char	   *base = gen_asprintf("transaction_%llu-", (unsigned long long) spec->first_version);
	char	   *folder = folder_name(context, spec->prefix, base, spec->salt);
	const char *gz = spec->gz_handles ? ".gz" : "";
	byte_buf	manifest;
	byte_buf	meta_line;

	buf_init(&manifest);
	buf_init(&meta_line);
	buf_printf(&manifest, "{\"first_version\":%llu,\"last_version\":%llu,\"chunks\":[",
			   (unsigned long long) spec->first_version, (unsigned long long) spec->last_version);
	for (size_t i = 0; i < spec->chunk_count; i++)
	{
		uint64_t	first = spec->chunk_starts[i];
		uint64_t	last = i + 1 < spec->chunk_count ? spec->chunk_starts[i + 1] - 1 : spec->last_version;
		char	   *chunk_handle = gen_asprintf("%s/%llu-.chunk%s", folder, (unsigned long long) first, gz);
		char	   *proof_handle = gen_asprintf("%s/%llu-%llu.proof%s", folder, (unsigned long long) first,
												(unsigned long long) last, gz);
		char	   *chunk_path = gen_asprintf("%s%s", spec->prefix, chunk_handle);
		char	   *proof_path = gen_asprintf("%s%s", spec->prefix, proof_handle);
		byte_buf	bytes;
		char	   *written;

		buf_init(&bytes);
		frame_transactions(context->chain, first, last, &bytes);
		written = write_object(context, OBJECT_TRANSACTION, chunk_path, &bytes, spec->gz_handles);
		add_chunk_object(context, first, last, written);
		buf_reset(&bytes);
		build_proof(context->chain, first, last, &bytes);
		free(write_object(context, OBJECT_PROOF, proof_path, &bytes, spec->gz_handles));
		buf_free(&bytes);

		buf_printf(&manifest, "%s{\"first_version\":%llu,\"last_version\":%llu,\"transactions\":\"%s\",\"proof\":\"%s\"}",
				   i > 0 ? "," : "", (unsigned long long) first, (unsigned long long) last,
				   chunk_handle, proof_handle);
		free(chunk_handle);
		free(proof_handle);
		free(chunk_path);
		free(proof_path);
	}
	buf_append_str(&manifest, "]}");
	{
		char	   *manifest_path = gen_asprintf("%s%s/transaction.manifest", spec->prefix, folder);

		write_text_file(context, OBJECT_MANIFEST, manifest_path, &manifest);
		free(manifest_path);
	}
	buf_printf(&meta_line,
			   "{\"TransactionBackup\":{\"first_version\":%llu,\"last_version\":%llu,\"manifest\":\"%s/transaction.manifest\"}}\n",
			   (unsigned long long) spec->first_version, (unsigned long long) spec->last_version, folder);
	{
		char	   *meta_name = spec->meta_name ? gen_strdup(spec->meta_name)
			: gen_asprintf("transaction_%llu-%llu.meta", (unsigned long long) spec->first_version,
						   (unsigned long long) spec->last_version);

		write_meta(context, spec->prefix, meta_name, &meta_line);
		free(meta_name);
	}
	context->result->transaction_backups++;
	buf_free(&manifest);
	buf_free(&meta_line);
	free(base);
	return folder;
}

static void
write_epoch_ending_backup(layout_context *context, const char *prefix, uint64_t first_epoch,
						  uint64_t last_epoch, const char *salt, bool with_meta)
{
	const chain_model *chain = context->chain;
	char	   *base = gen_asprintf("epoch_ending_%llu-", (unsigned long long) first_epoch);
	char	   *folder = folder_name(context, prefix, base, salt);
	char	   *chunk_handle = gen_asprintf("%s/%llu-.chunk", folder, (unsigned long long) first_epoch);
	char	   *path;
	byte_buf	chunk;
	byte_buf	manifest;

	buf_init(&chunk);
	buf_init(&manifest);
	buf_printf(&manifest, "{\"first_epoch\":%llu,\"last_epoch\":%llu,\"waypoints\":[",
			   (unsigned long long) first_epoch, (unsigned long long) last_epoch);
	for (uint64_t epoch = first_epoch; epoch <= last_epoch; epoch++)
	{
		const epoch_info *info = &chain->epochs[epoch];

		bcs_u32_be(&chunk, (uint32_t) info->ledger_info_len);
		buf_append(&chunk, info->ledger_info, info->ledger_info_len);
		buf_printf(&manifest, "%s\"%s\"", epoch > first_epoch ? "," : "", info->waypoint);
	}
	buf_printf(&manifest, "],\"chunks\":[{\"first_epoch\":%llu,\"last_epoch\":%llu,\"ledger_infos\":\"%s\"}]}",
			   (unsigned long long) first_epoch, (unsigned long long) last_epoch, chunk_handle);

	path = gen_asprintf("%s%s", prefix, chunk_handle);
	add_epoch_chunk(context, first_epoch, last_epoch, write_object(context, OBJECT_EPOCH_ENDING, path, &chunk, false));
	free(path);
	path = gen_asprintf("%s%s/epoch_ending.manifest", prefix, folder);
	write_text_file(context, OBJECT_MANIFEST, path, &manifest);
	free(path);
	if (with_meta)
	{
		byte_buf	line;
		char	   *meta_name = gen_asprintf("epoch_ending_%llu-%llu.meta", (unsigned long long) first_epoch,
											 (unsigned long long) last_epoch);

		buf_init(&line);
		buf_printf(&line,
				   "{\"EpochEndingBackup\":{\"first_epoch\":%llu,\"last_epoch\":%llu,\"first_version\":%llu,\"last_version\":%llu,\"manifest\":\"%s/epoch_ending.manifest\"}}\n",
				   (unsigned long long) first_epoch, (unsigned long long) last_epoch,
				   (unsigned long long) chain->epochs[first_epoch].last_version,
				   (unsigned long long) chain->epochs[last_epoch].last_version, folder);
		write_meta(context, prefix, meta_name, &line);
		buf_free(&line);
		free(meta_name);
	}
	context->result->epoch_ending_backups++;
	buf_free(&chunk);
	buf_free(&manifest);
	free(chunk_handle);
	free(folder);
	free(base);
}

/*
 * The backup of epochs MULTI_EPOCH_FIRST.. (without .meta, like a re-run). Its folder is
 * chosen to sort after the single-epoch backup of MULTI_EPOCH_FIRST: it still emits that
 * epoch's row (first_epoch ascending, last_epoch descending, key ascending), so a reader
 * that just keeps the smallest key gets the `object` column wrong.
 */
static void
write_multi_epoch_backup(layout_context *context, const char *prefix)
{
	char	   *base = gen_asprintf("epoch_ending_%d-", MULTI_EPOCH_FIRST);
	char	   *single = folder_name(context, prefix, base, "");
	char	   *salt = gen_strdup("#multi");

	for (int attempt = 2; attempt < 1000; attempt++)
	{
		char	   *candidate = folder_name(context, prefix, base, salt);
		bool		after = strcmp(candidate, single) > 0;

		free(candidate);
		if (after)
			break;
		free(salt);
		salt = gen_asprintf("#multi%d", attempt);
	}
	write_epoch_ending_backup(context, prefix, MULTI_EPOCH_FIRST, MULTI_EPOCH_FIRST + MULTI_EPOCH_COUNT - 1, salt,
							  false);
	context->result->multi_epoch_first = MULTI_EPOCH_FIRST;
	free(salt);
	free(single);
	free(base);
}

/* ------------------------------------------------------------------------- */
/* state snapshots */

/*
 * The FDW never reads state proofs, so the snapshot's chunk proofs and state.proof are
 * placeholders: text that no reader can take for a real (TransactionInfoWithProof,
 * LedgerInfoWithSignatures) or SparseMerkleRangeProof.
 */
static const char state_proof_placeholder[] =
	"fixturegen: synthetic placeholder, not a proof (state proofs are not read by forensic_fdw)\n";

static void
write_proof_placeholder(layout_context *context, const char *path)
{
	byte_buf	text;

	buf_init(&text);
	buf_append_str(&text, state_proof_placeholder);
	write_text_file(context, OBJECT_PROOF, path, &text);
	buf_free(&text);
}

static void
add_state_chunk(layout_context *context, const state_snapshot *snapshot, uint64_t first, uint64_t last, char *key,
				bool missing)
{
	layout_result *result = context->result;
	state_chunk_object *chunk = GEN_PUSH(result->state_chunks, result->state_chunk_count);

	chunk->snapshot = snapshot;
	chunk->first_idx = first;
	chunk->last_idx = last;
	chunk->key = key;
	chunk->missing = missing;
}

/* Records first..last: u32-BE length || StateKey || StateValue, in key-hash order. */
static void
frame_state_records(const state_snapshot *snapshot, uint64_t first, uint64_t last, byte_buf *out)
{
	byte_buf	record;

	buf_init(&record);
	for (uint64_t i = first; i <= last; i++)
	{
		const chain_write *item = snapshot->items[i];

		buf_reset(&record);
		buf_append(&record, item->key.bcs, item->key.bcs_len);
		state_value_bcs(&record, item);
		bcs_u32_be(out, (uint32_t) record.len);
		buf_append(out, record.data, record.len);
	}
	buf_free(&record);
}

/* state_epoch_<E>_ver_<V>.<hex4>/ with its chunks, proofs, state.manifest, and its .meta line. */
static void
write_state_snapshot(layout_context *context, const char *prefix, const state_snapshot *snapshot, bool drop_second)
{
	char	   *base = gen_asprintf("state_epoch_%llu_ver_%llu", (unsigned long long) snapshot->epoch,
									(unsigned long long) snapshot->version);
	char	   *folder = folder_name(context, prefix, base, "");
	char		hex[2 * HASH_LEN + 1];
	byte_buf	manifest;
	byte_buf	bytes;
	char	   *path;

	buf_init(&manifest);
	buf_init(&bytes);
	hex_encode(snapshot->root_hash, HASH_LEN, hex);
	buf_printf(&manifest, "{\"version\":%llu,\"epoch\":%llu,\"root_hash\":\"%s\",\"chunks\":[",
			   (unsigned long long) snapshot->version, (unsigned long long) snapshot->epoch, hex);
	for (uint64_t first = 0, index = 0; first < snapshot->count; first += STATE_CHUNK_RECORDS, index++)
	{
		uint64_t	last = first + STATE_CHUNK_RECORDS - 1 < snapshot->count ? first + STATE_CHUNK_RECORDS - 1
			: snapshot->count - 1;
		char	   *chunk_handle = gen_asprintf("%s/%llu-.chunk", folder, (unsigned long long) first);
		char	   *proof_handle = gen_asprintf("%s/%llu-%llu.proof", folder, (unsigned long long) first,
												(unsigned long long) last);
		char		first_key[2 * HASH_LEN + 1];
		char		last_key[2 * HASH_LEN + 1];

		hex_encode(snapshot->items[first]->key.hash, HASH_LEN, first_key);
		hex_encode(snapshot->items[last]->key.hash, HASH_LEN, last_key);
		buf_printf(&manifest, "%s{\"first_idx\":%llu,\"last_idx\":%llu,\"first_key\":\"%s\",\"last_key\":\"%s\","
				   "\"blobs\":\"%s\",\"proof\":\"%s\"}",
				   index > 0 ? "," : "", (unsigned long long) first, (unsigned long long) last, first_key, last_key,
				   chunk_handle, proof_handle);
		path = gen_asprintf("%s%s", prefix, chunk_handle);
		if (drop_second && index == 1)
		{
			add_state_chunk(context, snapshot, first, last, path, true);
			context->result->defects_written++;
		}
		else
		{
			buf_reset(&bytes);
			frame_state_records(snapshot, first, last, &bytes);
			add_state_chunk(context, snapshot, first, last,
							write_object(context, OBJECT_STATE_SNAPSHOT, path, &bytes, false), false);
			free(path);
		}
		path = gen_asprintf("%s%s", prefix, proof_handle);
		write_proof_placeholder(context, path);
		free(path);
		free(chunk_handle);
		free(proof_handle);
	}
	buf_printf(&manifest, "],\"proof\":\"%s/state.proof\"}", folder);
	path = gen_asprintf("%s%s/state.proof", prefix, folder);
	write_proof_placeholder(context, path);
	free(path);
	path = gen_asprintf("%s%s/state.manifest", prefix, folder);
	write_text_file(context, OBJECT_MANIFEST, path, &manifest);
	free(path);

	buf_reset(&bytes);
	buf_printf(&bytes, "{\"StateSnapshotBackup\":{\"epoch\":%llu,\"version\":%llu,\"manifest\":\"%s/state.manifest\"}}\n",
			   (unsigned long long) snapshot->epoch, (unsigned long long) snapshot->version, folder);
	path = gen_asprintf("state_snapshot_ver_%llu.meta", (unsigned long long) snapshot->version);
	write_meta(context, prefix, path, &bytes);
	free(path);
	context->result->state_snapshot_backups++;
	buf_free(&manifest);
	buf_free(&bytes);
	free(folder);
	free(base);
}

/* The snapshot taken at the end of `epoch`, if any; with --defects the first one of 2+ chunks loses one. */
static void
write_snapshot_of_epoch(layout_context *context, const char *prefix, uint64_t epoch)
{
	const chain_model *chain = context->chain;

	for (size_t i = 0; i < chain->snapshot_count; i++)
	{
		const state_snapshot *snapshot = &chain->snapshots[i];
		bool		defective = false;

		if (snapshot->epoch != epoch)
			continue;
		if (context->options->defects && context->result->defective_snapshot == NULL &&
			snapshot->count > STATE_CHUNK_RECORDS)
		{
			context->result->defective_snapshot = snapshot;
			defective = true;
		}
		write_state_snapshot(context, prefix, snapshot, defective);
	}
}

/* ------------------------------------------------------------------------- */
/* defects */

/* .meta for an epoch that names a folder that does not exist, with a wrong version. */
static void
write_stale_epoch_meta(layout_context *context, const char *prefix, uint64_t epoch)
{
	uint64_t	wrong_version = context->chain->epochs[epoch].last_version + 7;
	char	   *base = gen_asprintf("epoch_ending_%llu-", (unsigned long long) epoch);
	char	   *folder = folder_name(context, prefix, base, "#stale");
	char	   *meta_name = gen_asprintf("epoch_ending_%llu-%llu.meta", (unsigned long long) epoch,
										 (unsigned long long) epoch);
	byte_buf	line;

	buf_init(&line);
	buf_printf(&line,
			   "{\"EpochEndingBackup\":{\"first_epoch\":%llu,\"last_epoch\":%llu,\"first_version\":%llu,\"last_version\":%llu,\"manifest\":\"%s/epoch_ending.manifest\"}}\n",
			   (unsigned long long) epoch, (unsigned long long) epoch, (unsigned long long) wrong_version,
			   (unsigned long long) wrong_version, folder);
	write_meta(context, prefix, meta_name, &line);
	context->result->defects_written++;
	buf_free(&line);
	free(meta_name);
	free(folder);
	free(base);
}

static void
write_empty_meta(layout_context *context, const char *prefix, uint64_t version)
{
	char	   *path = gen_asprintf("%smetadata/state_snapshot_ver_%llu.meta", prefix, (unsigned long long) version);

	free(archive_write_as(context->writer, OBJECT_METADATA, path, NULL, 0, COMPRESSION_PLAIN));
	context->result->meta_files++;
	context->result->defects_written++;
	free(path);
}

static void
write_foreign_file(layout_context *context, const char *prefix)
{
	static const char text[] =
		"# fullnode configuration template (not part of the backup)\n"
		"base:\n  role: \"full_node\"\n  data_dir: \"/opt/libra/data\"\n"
		"full_node_networks:\n  - network_id: \"public\"\n    listen_address: \"/ip4/0.0.0.0/tcp/6182\"\n";
	char	   *path = gen_asprintf("%sfullnode_template.yaml", prefix);

	free(archive_write_as(context->writer, OBJECT_OTHER, path, (const uint8_t *) text, sizeof(text) - 1,
						  COMPRESSION_PLAIN));
	context->result->defects_written++;
	free(path);
}

/* A byte-identical re-run of a transaction backup under another folder suffix. */
static void
write_duplicate_backup(layout_context *context, const transaction_backup_spec *original,
					   const char *original_folder)
{
	transaction_backup_spec rerun = *original;
	char	   *meta_name = gen_asprintf("transaction_compacted_%llu-%llu.meta",
										 (unsigned long long) original->first_version,
										 (unsigned long long) original->last_version);
	static const char *const salts[] = {"#rerun", "#rerun2", "#rerun3"};

	rerun.meta_name = meta_name;
	for (size_t i = 0; i < sizeof(salts) / sizeof(salts[0]); i++)
	{
		char	   *base = gen_asprintf("transaction_%llu-", (unsigned long long) original->first_version);
		char	   *candidate = folder_name(context, original->prefix, base, salts[i]);
		bool		distinct = strcmp(candidate, original_folder) != 0;

		free(base);
		free(candidate);
		if (distinct)
		{
			rerun.salt = salts[i];
			free(write_transaction_backup(context, &rerun));
			context->result->defects_written++;
			break;
		}
	}
	free(meta_name);
}

/* ------------------------------------------------------------------------- */
/* chunk boundaries */

/* First version >= from whose kind suits; false if the chain ends first. */
static bool
find_start(const chain_model *chain, uint64_t from, int wanted_kind, uint64_t *start)
{
	for (uint64_t version = from; version < chain->txn_count; version++)
	{
		txn_kind	kind = chain->txns[version].kind;

		if (wanted_kind >= 0 ? kind == (txn_kind) wanted_kind : kind != TXN_BLOCK_METADATA)
		{
			*start = version;
			return true;
		}
	}
	return false;
}

/* Start version of flat backup k (k >= 1): near k * backup_versions, never on a BlockMetadata. */
static bool
flat_backup_start(layout_context *context, uint64_t k, uint64_t previous_start, uint64_t *start)
{
	uint64_t	size = context->options->backup_versions;
	uint64_t	spread = size / 5 + 1;
	char	   *name = gen_asprintf("transaction-boundary-%llu", (unsigned long long) k);
	uint64_t	jitter = gen_name_hash(context->options->seed, name) % spread;
	uint64_t	target = k * size + jitter;
	int			wanted = -1;

	free(name);
	target = target > spread / 2 ? target - spread / 2 : 0;
	if (target <= previous_start)
		target = previous_start + 1;
	if (k == 1)
		wanted = TXN_STATE_CHECKPOINT;
	else if (k == 2)
		wanted = TXN_USER;
	return find_start(context->chain, target, wanted, start);
}

/* Second chunk start inside [first, last]: the middle, moved off BlockMetadata. */
static size_t
split_in_two(const chain_model *chain, uint64_t first, uint64_t last, uint64_t starts[2])
{
	uint64_t	middle;

	starts[0] = first;
	if (last - first < 3)
		return 1;
	if (!find_start(chain, first + (last - first + 1) / 2, -1, &middle) || middle > last)
		return 1;
	starts[1] = middle;
	return 2;
}

/* ------------------------------------------------------------------------- */
/* layouts */

/*
 * One transaction backup of versions [first, last] under prefix: one chunk, or two when
 * split; with its manifest naming ".gz" handles, and followed by a byte-identical re-run,
 * when asked.
 */
static void
write_range_backup(layout_context *context, const char *prefix, uint64_t first, uint64_t last,
				   bool split, bool gz_handles, bool duplicate)
{
	transaction_backup_spec spec = {0};
	char	   *folder;

	spec.prefix = prefix;
	spec.first_version = first;
	spec.last_version = last;
	spec.salt = "";
	if (split)
		spec.chunk_count = split_in_two(context->chain, first, last, spec.chunk_starts);
	else
	{
		spec.chunk_starts[0] = first;
		spec.chunk_count = 1;
	}
	spec.gz_handles = gz_handles;
	folder = write_transaction_backup(context, &spec);
	if (duplicate)
		write_duplicate_backup(context, &spec, folder);
	free(folder);
}

static void
write_flat(layout_context *context)
{
	const chain_model *chain = context->chain;
	uint64_t	last_epoch = chain->epoch_count - 1;
	uint64_t	start = 0;
	uint64_t	next_start;

	for (uint64_t epoch = 0; epoch <= last_epoch; epoch++)
	{
		bool		stale = context->options->defects && epoch == STALE_META_EPOCH;

		write_epoch_ending_backup(context, "", epoch, epoch, "", !stale);
		if (stale)
			write_stale_epoch_meta(context, "", epoch);
		write_snapshot_of_epoch(context, "", epoch);
	}
	if (last_epoch >= MULTI_EPOCH_FIRST + MULTI_EPOCH_COUNT - 1)
		write_multi_epoch_backup(context, "");

	for (uint64_t k = 0; flat_backup_start(context, k + 1, start, &next_start); k++)
	{
		write_range_backup(context, "", start, next_start - 1, k % 3 == 1,
						   context->options->defects && k == FLAT_GZ_HANDLE_BACKUP,
						   context->options->defects && k == FLAT_DUPLICATE_BACKUP);
		start = next_start;
	}

	if (context->options->defects)
	{
		write_foreign_file(context, "");
		if (last_epoch >= 2)
			write_empty_meta(context, "", chain->epochs[2].last_version);
	}
}

static void
write_per_epoch(layout_context *context)
{
	const chain_model *chain = context->chain;
	uint64_t	last_epoch = chain->epoch_count - 1;

	for (uint64_t epoch = 0; epoch <= last_epoch; epoch++)
	{
		const epoch_info *info = &chain->epochs[epoch];
		char	   *prefix = gen_asprintf("%llu/", (unsigned long long) epoch);
		bool		stale = context->options->defects && epoch == STALE_META_EPOCH;

		write_epoch_ending_backup(context, prefix, epoch, epoch, "", !stale);
		if (stale)
			write_stale_epoch_meta(context, prefix, epoch);
		if (epoch == MULTI_EPOCH_FIRST && last_epoch >= MULTI_EPOCH_FIRST + MULTI_EPOCH_COUNT - 1)
			write_multi_epoch_backup(context, prefix);
		/* The last epoch has its epoch-ending backup but no transactions yet. */
		if (epoch < last_epoch)
			write_range_backup(context, prefix, info->first_version, info->last_version,
							   epoch % 5 == 2,
							   context->options->defects && epoch == PER_EPOCH_GZ_HANDLE_EPOCH,
							   context->options->defects && epoch == PER_EPOCH_DUPLICATE_EPOCH);
		write_snapshot_of_epoch(context, prefix, epoch);
		if (context->options->defects && epoch == 1)
			write_foreign_file(context, prefix);
		if (context->options->defects && epoch == 2)
			write_empty_meta(context, prefix, info->last_version);
		free(prefix);
	}
}

void
layout_write_archive(const chain_model *chain, const layout_options *options, archive_writer *writer,
					 layout_result *result)
{
	layout_context context = {chain, options, writer, result};

	memset(result, 0, sizeof(*result));
	if (options->layout == LAYOUT_FLAT)
		write_flat(&context);
	else
		write_per_epoch(&context);
}

void
layout_result_free(layout_result *result)
{
	for (size_t i = 0; i < result->chunk_count; i++)
		free(result->chunks[i].key);
	free(result->chunks);
	for (size_t i = 0; i < result->epoch_chunk_count; i++)
		free(result->epoch_chunks[i].key);
	free(result->epoch_chunks);
	for (size_t i = 0; i < result->state_chunk_count; i++)
		free(result->state_chunks[i].key);
	free(result->state_chunks);
	memset(result, 0, sizeof(*result));
}
