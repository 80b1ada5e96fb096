/*
 * legacy_archive.c — the v4/v5 archive (legacy_archive.h): backup folders named like
 * backup-cli (epoch_ending_<E>-.<hex4>, transaction_<V>-.<hex4>, state_ver_<V>.<hex4>), chunk
 * framing (u32 big-endian length), transaction range proofs and state.proof with serde_bytes
 * HashValues, manifests without an epoch, .meta lines; then the expected CSVs rendered from the
 * model (never from the bytes), with the FDW's v4/v5 rendering: 16-byte addresses always
 * "0x" + 32 hex, type tags with the short 0x1.
 */
#include "legacy_archive.h"

#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "csv_out.h"
#include "gen_hash.h"
#include "gen_util.h"
#include "move_values.h"

typedef struct legacy_context
{
	const legacy_chain *chain;
	uint64_t	seed;
	uint64_t	backup_versions;
	archive_writer *writer;
	legacy_layout_result *result;
} legacy_context;

static char *
folder_name(legacy_context *context, const char *prefix, const char *base)
{
	char	   *input = gen_asprintf("%s%s#%s", prefix, base, context->chain->framework);
	unsigned	suffix = (unsigned) (gen_name_hash(context->seed, input) & 0xffff);
	char	   *name = gen_asprintf("%s.%04x", base, suffix);

	free(input);
	return name;
}

static char *
write_bytes(legacy_context *context, object_kind kind, const char *path, const byte_buf *bytes)
{
	return archive_write(context->writer, kind, path, bytes->data, bytes->len);
}

static void
write_meta(legacy_context *context, const char *prefix, const char *name, const byte_buf *line)
{
	char	   *path = gen_asprintf("%smetadata/%s", prefix, name);

	free(write_bytes(context, OBJECT_METADATA, path, line));
	context->result->meta_files++;
	free(path);
}

static legacy_chunk *
push_chunk(legacy_chunk **array, size_t *count, uint64_t first, uint64_t last, char *key)
{
	legacy_chunk *chunk = GEN_PUSH(*array, *count);

	chunk->first = first;
	chunk->last = last;
	chunk->key = key;
	return chunk;
}

static void
write_epoch_ending(legacy_context *context, const char *prefix, uint64_t epoch)
{
	const legacy_epoch *info = &context->chain->epochs[epoch];
	char	   *base = gen_asprintf("epoch_ending_%llu-", (unsigned long long) epoch);
	char	   *folder = folder_name(context, prefix, base);
	char	   *handle = gen_asprintf("%s/%llu-.chunk", folder, (unsigned long long) epoch);
	char	   *path = gen_asprintf("%s%s", prefix, handle);
	byte_buf	bytes;

	buf_init(&bytes);
	bcs_u32_be(&bytes, (uint32_t) info->ledger_info_len);
	buf_append(&bytes, info->ledger_info, info->ledger_info_len);
	push_chunk(&context->result->epoch_chunks, &context->result->epoch_chunk_count, epoch, epoch,
			   write_bytes(context, OBJECT_EPOCH_ENDING, path, &bytes));
	free(path);
	buf_reset(&bytes);
	buf_printf(&bytes, "{\"first_epoch\":%llu,\"last_epoch\":%llu,\"waypoints\":[\"%s\"],\"chunks\":[{\"first_epoch\":%llu,"
			   "\"last_epoch\":%llu,\"ledger_infos\":\"%s\"}]}", (unsigned long long) epoch, (unsigned long long) epoch,
			   info->waypoint, (unsigned long long) epoch, (unsigned long long) epoch, handle);
	path = gen_asprintf("%s%s/epoch_ending.manifest", prefix, folder);
	free(write_bytes(context, OBJECT_MANIFEST, path, &bytes));
	free(path);
	buf_reset(&bytes);
	buf_printf(&bytes, "{\"EpochEndingBackup\":{\"first_epoch\":%llu,\"last_epoch\":%llu,\"first_version\":%llu,"
			   "\"last_version\":%llu,\"manifest\":\"%s/epoch_ending.manifest\"}}\n", (unsigned long long) epoch,
			   (unsigned long long) epoch, (unsigned long long) info->last_version,
			   (unsigned long long) info->last_version, folder);
	path = gen_asprintf("epoch_ending_%llu-%llu.meta", (unsigned long long) epoch, (unsigned long long) epoch);
	write_meta(context, prefix, path, &bytes);
	context->result->epoch_ending_backups++;
	free(path);
	buf_free(&bytes);
	free(handle);
	free(folder);
	free(base);
}

/* Versions first..last in one backup, split into two chunks when asked. */
static void
write_transactions(legacy_context *context, const char *prefix, uint64_t first, uint64_t last, bool split)
{
	const legacy_chain *chain = context->chain;
	char	   *base = gen_asprintf("transaction_%llu-", (unsigned long long) first);
	char	   *folder = folder_name(context, prefix, base);
	uint64_t	starts[2] = {first, first + (last - first + 1) / 2};
	size_t		chunk_count = split && last - first >= 3 ? 2 : 1;
	byte_buf	manifest;
	byte_buf	bytes;
	char	   *path;

	buf_init(&manifest);
	buf_init(&bytes);
	buf_printf(&manifest, "{\"first_version\":%llu,\"last_version\":%llu,\"chunks\":[", (unsigned long long) first,
			   (unsigned long long) last);
	for (size_t c = 0; c < chunk_count; c++)
	{
		uint64_t	chunk_first = starts[c];
		uint64_t	chunk_last = c + 1 < chunk_count ? starts[c + 1] - 1 : last;
		const legacy_epoch *epoch = legacy_epoch_of(chain, chunk_last);
		char	   *chunk_handle = gen_asprintf("%s/%llu-.chunk", folder, (unsigned long long) chunk_first);
		char	   *proof_handle = gen_asprintf("%s/%llu-%llu.proof", folder, (unsigned long long) chunk_first,
												(unsigned long long) chunk_last);

		buf_reset(&bytes);
		for (uint64_t v = chunk_first; v <= chunk_last; v++)
		{
			bcs_u32_be(&bytes, (uint32_t) chain->txns[v].record_len);
			buf_append(&bytes, chain->txns[v].record, chain->txns[v].record_len);
		}
		path = gen_asprintf("%s%s", prefix, chunk_handle);
		push_chunk(&context->result->tx_chunks, &context->result->tx_chunk_count, chunk_first, chunk_last,
				   write_bytes(context, OBJECT_TRANSACTION, path, &bytes));
		free(path);
		/* (TransactionAccumulatorRangeProof, LedgerInfoWithSignatures) */
		buf_reset(&bytes);
		accumulator_range_proof_legacy(chain->domain, "TransactionAccumulator",
									   (const uint8_t (*)[HASH_LEN]) chain->info_hashes,
									   (size_t) epoch->last_version + 1, (size_t) chunk_first, (size_t) chunk_last,
									   &bytes);
		buf_append(&bytes, epoch->ledger_info, epoch->ledger_info_len);
		path = gen_asprintf("%s%s", prefix, proof_handle);
		free(write_bytes(context, OBJECT_PROOF, path, &bytes));
		free(path);
		buf_printf(&manifest, "%s{\"first_version\":%llu,\"last_version\":%llu,\"transactions\":\"%s\",\"proof\":\"%s\"}",
				   c > 0 ? "," : "", (unsigned long long) chunk_first, (unsigned long long) chunk_last, chunk_handle,
				   proof_handle);
		free(chunk_handle);
		free(proof_handle);
	}
	buf_append_str(&manifest, "]}");
	path = gen_asprintf("%s%s/transaction.manifest", prefix, folder);
	free(write_bytes(context, OBJECT_MANIFEST, path, &manifest));
	free(path);
	buf_reset(&bytes);
	buf_printf(&bytes, "{\"TransactionBackup\":{\"first_version\":%llu,\"last_version\":%llu,"
			   "\"manifest\":\"%s/transaction.manifest\"}}\n", (unsigned long long) first, (unsigned long long) last,
			   folder);
	path = gen_asprintf("transaction_%llu-%llu.meta", (unsigned long long) first, (unsigned long long) last);
	write_meta(context, prefix, path, &bytes);
	context->result->transaction_backups++;
	free(path);
	buf_free(&manifest);
	buf_free(&bytes);
	free(folder);
	free(base);
}

/* state_ver_<V>.<hex4>/: chunks, chunk proofs, state.proof, state.manifest (no epoch), .meta */
static void
write_snapshot(legacy_context *context, const char *prefix, const legacy_snapshot *snapshot)
{
	char	   *base = gen_asprintf("state_ver_%llu", (unsigned long long) snapshot->version);
	char	   *folder = folder_name(context, prefix, base);
	char		hex[2 * HASH_LEN + 1];
	byte_buf	manifest;
	byte_buf	bytes;
	char	   *path;

	buf_init(&manifest);
	buf_init(&bytes);
	hex_encode(snapshot->root_hash, HASH_LEN, hex);
	buf_printf(&manifest, "{\"version\":%llu,\"root_hash\":\"%s\",\"chunks\":[", (unsigned long long) snapshot->version,
			   hex);
	for (uint64_t first = 0; first < snapshot->account_count; first += LEGACY_STATE_CHUNK_RECORDS)
	{
		uint64_t	last = first + LEGACY_STATE_CHUNK_RECORDS - 1 < snapshot->account_count
			? first + LEGACY_STATE_CHUNK_RECORDS - 1 : snapshot->account_count - 1;
		char	   *chunk_handle = gen_asprintf("%s/%llu-.chunk", folder, (unsigned long long) first);
		char	   *proof_handle = gen_asprintf("%s/%llu-%llu.proof", folder, (unsigned long long) first,
												(unsigned long long) last);
		char		first_key[2 * HASH_LEN + 1];
		char		last_key[2 * HASH_LEN + 1];
		legacy_chunk *chunk;

		buf_reset(&bytes);
		for (uint64_t i = first; i <= last; i++)
		{
			bcs_u32_be(&bytes, (uint32_t) snapshot->accounts[i].record_len);
			buf_append(&bytes, snapshot->accounts[i].record, snapshot->accounts[i].record_len);
		}
		path = gen_asprintf("%s%s", prefix, chunk_handle);
		chunk = push_chunk(&context->result->state_chunks, &context->result->state_chunk_count, first, last,
						   write_bytes(context, OBJECT_STATE_SNAPSHOT, path, &bytes));
		chunk->snapshot = snapshot;
		free(path);
		/* SparseMerkleRangeProof {right_siblings: Vec<HashValue>}: not read by the FDW */
		buf_reset(&bytes);
		if (last + 1 < snapshot->account_count)
		{
			bcs_uleb128(&bytes, 1);
			bcs_bytes(&bytes, snapshot->accounts[last + 1].key_hash, HASH_LEN);
		}
		else
			bcs_uleb128(&bytes, 0);
		path = gen_asprintf("%s%s", prefix, proof_handle);
		free(write_bytes(context, OBJECT_PROOF, path, &bytes));
		free(path);
		hex_encode(snapshot->accounts[first].key_hash, HASH_LEN, first_key);
		hex_encode(snapshot->accounts[last].key_hash, HASH_LEN, last_key);
		buf_printf(&manifest, "%s{\"first_idx\":%llu,\"last_idx\":%llu,\"first_key\":\"%s\",\"last_key\":\"%s\","
				   "\"blobs\":\"%s\",\"proof\":\"%s\"}", first > 0 ? "," : "", (unsigned long long) first,
				   (unsigned long long) last, first_key, last_key, chunk_handle, proof_handle);
		free(chunk_handle);
		free(proof_handle);
	}
	buf_printf(&manifest, "],\"proof\":\"%s/state.proof\"}", folder);
	buf_reset(&bytes);
	buf_append(&bytes, snapshot->proof, snapshot->proof_len);
	path = gen_asprintf("%s%s/state.proof", prefix, folder);
	free(write_bytes(context, OBJECT_PROOF, path, &bytes));
	free(path);
	path = gen_asprintf("%s%s/state.manifest", prefix, folder);
	free(write_bytes(context, OBJECT_MANIFEST, path, &manifest));
	free(path);
	buf_reset(&bytes);
	buf_printf(&bytes, "{\"StateSnapshotBackup\":{\"version\":%llu,\"manifest\":\"%s/state.manifest\"}}\n",
			   (unsigned long long) snapshot->version, folder);
	path = gen_asprintf("state_snapshot_ver_%llu.meta", (unsigned long long) snapshot->version);
	write_meta(context, prefix, path, &bytes);
	context->result->state_snapshot_backups++;
	free(path);
	buf_free(&manifest);
	buf_free(&bytes);
	free(folder);
	free(base);
}

static void
write_snapshot_of_epoch(legacy_context *context, const char *prefix, uint64_t epoch)
{
	for (size_t i = 0; i < context->chain->snapshot_count; i++)
		if (context->chain->snapshots[i].epoch == epoch)
			write_snapshot(context, prefix, &context->chain->snapshots[i]);
}

void
legacy_write_archive(const legacy_chain *chain, layout_kind layout, uint64_t backup_versions, uint64_t seed,
					 archive_writer *writer, legacy_layout_result *result)
{
	legacy_context context = {.chain = chain, .seed = seed, .backup_versions = backup_versions,
	.writer = writer, .result = result};

	memset(result, 0, sizeof(*result));
	if (layout == LAYOUT_FLAT)
	{
		uint64_t	start = 0;

		for (uint64_t epoch = 0; epoch < chain->epoch_count; epoch++)
		{
			write_epoch_ending(&context, "", epoch);
			write_snapshot_of_epoch(&context, "", epoch);
		}
		/* backups of backup_versions versions (the last one shorter), every third split in two */
		for (uint64_t k = 0; start < chain->txn_count; k++)
		{
			uint64_t	last = start + backup_versions - 1 < chain->txn_count ? start + backup_versions - 1
				: chain->txn_count - 1;

			write_transactions(&context, "", start, last, k % 3 == 1);
			start = last + 1;
		}
	}
	else
	{
		for (uint64_t epoch = 0; epoch < chain->epoch_count; epoch++)
		{
			const legacy_epoch *info = &chain->epochs[epoch];
			char	   *prefix = gen_asprintf("%llu/", (unsigned long long) epoch);

			write_epoch_ending(&context, prefix, epoch);
			write_transactions(&context, prefix, info->first_version, info->last_version, epoch % 5 == 2);
			write_snapshot_of_epoch(&context, prefix, epoch);
			free(prefix);
		}
	}
}

static void
rewrite(legacy_chunk *chunks, size_t count, bundle_mode mode)
{
	for (size_t i = 0; i < count; i++)
	{
		char	   *key = bundle_member_key(mode, chunks[i].key);

		free(chunks[i].key);
		chunks[i].key = key;
	}
}

void
legacy_rewrite_keys(legacy_layout_result *result, bundle_mode mode)
{
	rewrite(result->tx_chunks, result->tx_chunk_count, mode);
	rewrite(result->epoch_chunks, result->epoch_chunk_count, mode);
	rewrite(result->state_chunks, result->state_chunk_count, mode);
}

void
legacy_layout_free(legacy_layout_result *result)
{
	for (size_t i = 0; i < result->tx_chunk_count; i++)
		free(result->tx_chunks[i].key);
	for (size_t i = 0; i < result->epoch_chunk_count; i++)
		free(result->epoch_chunks[i].key);
	for (size_t i = 0; i < result->state_chunk_count; i++)
		free(result->state_chunks[i].key);
	free(result->tx_chunks);
	free(result->epoch_chunks);
	free(result->state_chunks);
	memset(result, 0, sizeof(*result));
}

/* ------------------------------------------------------------------------- */
/* expected CSVs */

static const char *const status_names[] = {
	"success", "out_of_gas", "move_abort", "execution_failure", "miscellaneous_error"
};

static void
csv_addr16(csv_row *row, const uint8_t address[ADDR16])
{
	addr16_render(&row->scratch, address);
	csv_scratch(row);
}

static void
render_transaction(const legacy_chain *chain, const legacy_txn *txn, const char *object, csv_row *row)
{
	bool		user = txn->kind == TXN_USER;

	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, txn->round);
	csv_u64(row, txn->block_timestamp_usecs);
	csv_field(row, txn_kind_name(txn->kind));
	csv_hash(row, txn->tx_hash);
	if (user)
	{
		csv_addr16(row, txn->sender);
		csv_u64(row, txn->sequence_number);
		csv_field(row, txn->payload_kind);
		csv_field(row, txn->function);
		buf_append_str(&row->scratch, "{");
		for (size_t i = 0; i < txn->type_arg_count; i++)
			pg_array_append(&row->scratch, txn->type_args[i], i == 0);
		buf_append_str(&row->scratch, "}");
		csv_scratch(row);
		buf_append_str(&row->scratch, "{");
		for (size_t i = 0; i < txn->arg_count; i++)
		{
			char	   *hex = gen_malloc(2 * txn->args[i].len + 1);
			char	   *element;

			hex_encode(txn->args[i].data, txn->args[i].len, hex);
			element = gen_asprintf("\\x%s", hex);
			pg_array_append(&row->scratch, element, i == 0);
			free(element);
			free(hex);
		}
		buf_append_str(&row->scratch, "}");
		csv_scratch(row);
		csv_u64(row, txn->max_gas_amount);
		csv_u64(row, txn->gas_unit_price);
	}
	else
		for (int i = 0; i < 8; i++)
			csv_field(row, NULL);
	csv_u64(row, txn->gas_used);
	if (user)
	{
		csv_u64(row, txn->expiration_timestamp_secs);
		csv_u64(row, txn->chain_id);
		csv_field(row, txn->authenticator);
	}
	else
		for (int i = 0; i < 3; i++)
			csv_field(row, NULL);
	csv_field(row, status_names[txn->status]);
	if (txn->status == STATUS_MOVE_ABORT || txn->status == STATUS_EXECUTION_FAILURE)
		csv_field(row, txn->location_is_script ? "script" : txn->location_module);
	else
		csv_field(row, NULL);
	if (txn->status == STATUS_MOVE_ABORT)
		csv_u64(row, txn->abort_code);
	else
		csv_field(row, NULL);
	if (txn->kind == TXN_BLOCK_METADATA)
		csv_addr16(row, txn->proposer);
	else
		csv_field(row, NULL);
	csv_u64(row, txn->event_count);
	csv_u64(row, txn->write_count);
	csv_field(row, object);
	for (int i = 0; i < 3; i++)	/* recipient, amount, args_decoded */
		csv_field(row, NULL);
	csv_field(row, chain->framework);
	csv_hash(row, txn->state_root_hash);
	csv_field(row, user ? "GAS" : NULL);
}

static void
render_event(const legacy_chain *chain, const legacy_txn *txn, uint32_t index, const char *object, csv_row *row,
			 expected_totals *totals)
{
	const legacy_event *event = &txn->events[index];

	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, txn->block_timestamp_usecs);
	csv_u64(row, index);
	csv_field(row, event->type_text);
	csv_addr16(row, event->address);
	csv_u64(row, event->creation_number);
	csv_u64(row, event->sequence_number);
	csv_bytea(row, event->data, event->data_len);
	if (event->has_amount)
		csv_u64(row, event->amount);
	else
		csv_field(row, NULL);
	csv_field(row, event->decoded);
	csv_field(row, event->decoded != NULL ? "bytes" : NULL);
	csv_hash(row, txn->tx_hash);
	csv_field(row, object);
	csv_field(row, chain->framework);
	if (event->decoded != NULL)
		totals->events_decoded_bytes++;
	totals->events_with_amount += event->has_amount;
}

static void
write_version_csvs(const legacy_chain *chain, const legacy_layout_result *result, const char *directory,
				   expected_totals *totals)
{
	const char **objects = gen_calloc(chain->txn_count + 1, sizeof(char *));
	csv_file	transactions;
	csv_file	events;
	csv_file	changes;
	csv_row		row;

	for (size_t i = 0; i < result->tx_chunk_count; i++)
		for (uint64_t v = result->tx_chunks[i].first; v <= result->tx_chunks[i].last; v++)
			if (objects[v] == NULL || strcmp(result->tx_chunks[i].key, objects[v]) < 0)
				objects[v] = result->tx_chunks[i].key;
	csv_open(&transactions, directory, "transactions.csv",
			 "version,epoch,round,block_timestamp_usecs,kind,tx_hash,sender,sequence_number,payload_kind,"
			 "function,type_args,args,max_gas_amount,gas_unit_price,gas_used,expiration_timestamp_secs,"
			 "chain_id,authenticator,status,abort_location,abort_code,proposer,event_count,write_count,object,"
			 "recipient,amount,args_decoded,framework,state_root_hash,gas_currency");
	csv_open(&events, directory, "events.csv",
			 "version,epoch,block_timestamp_usecs,event_index,type,account,creation_number,sequence_number,"
			 "data,amount,decoded,decoded_from,tx_hash,object,framework");
	csv_open(&changes, directory, "state_changes.csv",
			 "version,epoch,change_index,key_kind,path,address,resource,table_handle,table_key,state_key,"
			 "op,value,value_size,balance,metadata,object");
	csv_row_init(&row);
	for (size_t v = 0; v < chain->txn_count; v++)
	{
		const legacy_txn *txn = &chain->txns[v];

		if (objects[v] == NULL)
			continue;
		render_transaction(chain, txn, objects[v], &row);
		csv_write_row(&transactions, &row);
		if (totals->rows == 0)
			totals->first_version = v;
		totals->last_version = v;
		totals->rows++;
		totals->by_kind[txn->kind]++;
		totals->by_status[txn->status]++;
		for (uint32_t i = 0; i < txn->event_count; i++)
		{
			render_event(chain, txn, i, objects[v], &row, totals);
			csv_write_row(&events, &row);
		}
	}
	totals->event_rows = events.rows;
	csv_close(&transactions);
	csv_close(&events);
	csv_close(&changes);
	csv_row_free(&row);
	free(objects);
}

static void
write_state_csv(const legacy_chain *chain, const legacy_layout_result *result, const char *directory,
				expected_totals *totals)
{
	csv_file	out;
	csv_row		row;
	const legacy_snapshot *previous = NULL;

	csv_open(&out, directory, "state.csv",
			 "snapshot_version,epoch,item_index,key_kind,path,address,resource,table_handle,table_key,"
			 "state_key,value,value_size,balance,metadata,object,framework,account_hash");
	csv_row_init(&row);
	for (size_t c = 0; c < result->state_chunk_count; c++)
	{
		const legacy_chunk *chunk = &result->state_chunks[c];
		const legacy_snapshot *snapshot = chunk->snapshot;

		if (snapshot != previous)
			totals->state_snapshots++;
		previous = snapshot;
		for (uint64_t index = chunk->first; index <= chunk->last; index++)
		{
			const legacy_account *account = &snapshot->accounts[index];

			for (size_t r = 0; r < account->resource_count; r++)
			{
				const legacy_resource *resource = &account->resources[r];

				csv_u64(&row, snapshot->version);
				csv_u64(&row, snapshot->epoch);
				csv_u64(&row, index);
				csv_field(&row, "access_path");
				csv_field(&row, "resource");
				if (account->has_address)
					csv_addr16(&row, account->address);
				else
					csv_field(&row, NULL);
				csv_field(&row, resource->name);
				csv_field(&row, NULL);
				csv_field(&row, NULL);
				csv_bytea(&row, resource->access_key, resource->access_key_len);
				csv_bytea(&row, resource->value, resource->value_len);
				csv_u64(&row, resource->value_len);
				if (resource->has_balance)
					csv_u64(&row, resource->balance);
				else
					csv_field(&row, NULL);
				csv_field(&row, NULL);
				csv_field(&row, chunk->key);
				csv_field(&row, chain->framework);
				csv_hash(&row, account->key_hash);
				csv_write_row(&out, &row);
			}
		}
	}
	totals->state_rows = out.rows;
	csv_close(&out);
	csv_row_free(&row);
}

static void
write_epochs_csv(const legacy_chain *chain, const legacy_layout_result *result, const char *directory,
				 expected_totals *totals)
{
	csv_file	out;
	csv_row		row;

	csv_open(&out, directory, "epochs.csv",
			 "epoch,first_version,last_version,end_timestamp_usecs,round,block_id,root_hash,waypoint,"
			 "validator_count,total_voting_power,validators,signer_count,object,framework,quorum_voting_power");
	csv_row_init(&row);
	for (size_t e = 0; e < chain->epoch_count; e++)
	{
		const legacy_epoch *info = &chain->epochs[e];
		const char *object = NULL;

		for (size_t c = 0; c < result->epoch_chunk_count; c++)
			if (result->epoch_chunks[c].first <= e && e <= result->epoch_chunks[c].last &&
				(object == NULL || strcmp(result->epoch_chunks[c].key, object) < 0))
				object = result->epoch_chunks[c].key;
		if (object == NULL)
			continue;
		csv_u64(&row, info->epoch);
		csv_u64(&row, info->first_version);
		csv_u64(&row, info->last_version);
		csv_u64(&row, info->end_timestamp_usecs);
		csv_u64(&row, info->round);
		csv_hash(&row, info->block_id);
		csv_hash(&row, info->root_hash);
		csv_field(&row, info->waypoint);
		csv_u64(&row, LEGACY_VALIDATOR_COUNT);
		csv_u64(&row, info->total_voting_power);
		buf_append_str(&row.scratch, "[");
		for (int i = 0; i < LEGACY_VALIDATOR_COUNT; i++)
		{
			buf_append_str(&row.scratch, i > 0 ? ",{" : "{");
			json_key(&row.scratch, "address", true);
			buf_append_str(&row.scratch, "\"");
			addr16_render(&row.scratch, info->next_validators[i].address);
			buf_append_str(&row.scratch, "\"");
			json_key(&row.scratch, "voting_power", false);
			buf_printf(&row.scratch, "%llu", (unsigned long long) info->next_validators[i].voting_power);
			json_key(&row.scratch, "consensus_key", false);
			json_hex(&row.scratch, info->next_validators[i].public_key, 32);
			buf_append_str(&row.scratch, "}");
		}
		buf_append_str(&row.scratch, "]");
		csv_scratch(&row);
		csv_u64(&row, info->signer_count);
		csv_field(&row, object);
		csv_field(&row, chain->framework);
		csv_u64(&row, info->quorum_voting_power);
		csv_write_row(&out, &row);
	}
	totals->epoch_rows = out.rows;
	csv_close(&out);
	csv_row_free(&row);
}

static void
write_summary(const legacy_chain *chain, const legacy_layout_result *result, const char *directory,
			  const char *options_text, bool with_objects, const expected_totals *totals)
{
	csv_file	out;
	byte_buf	text;

	buf_init(&text);
	buf_printf(&text, "options: %s\n", options_text);
	buf_printf(&text, "framework: %s\n", chain->framework);
	buf_printf(&text, "epochs: %zu (0..%zu)\n", chain->epoch_count, chain->epoch_count - 1);
	buf_printf(&text, "chain_versions: %zu (0..%zu)\n", chain->txn_count, chain->txn_count - 1);
	if (totals->rows > 0)
		buf_printf(&text, "written_versions: %llu..%llu\n", (unsigned long long) totals->first_version,
				   (unsigned long long) totals->last_version);
	buf_printf(&text, "rows: %zu\n", totals->rows);
	for (int kind = 0; kind < 3; kind++)
		buf_printf(&text, "kind.%s: %zu\n", txn_kind_name((txn_kind) kind), totals->by_kind[kind]);
	for (int status = 0; status < 5; status++)
		buf_printf(&text, "status.%s: %zu\n", status_names[status], totals->by_status[status]);
	buf_printf(&text, "transaction_backups: %zu\n", result->transaction_backups);
	buf_printf(&text, "transaction_chunks: %zu\n", result->tx_chunk_count);
	buf_printf(&text, "epoch_ending_backups: %zu\n", result->epoch_ending_backups);
	buf_printf(&text, "meta_files: %zu\n", result->meta_files);
	buf_printf(&text, "events.rows: %zu\n", totals->event_rows);
	buf_printf(&text, "events.decoded_bytes: %zu\n", totals->events_decoded_bytes);
	buf_printf(&text, "events.with_amount: %zu\n", totals->events_with_amount);
	buf_printf(&text, "state_changes.rows: 0\n");
	buf_printf(&text, "state.rows: %zu\n", totals->state_rows);
	buf_printf(&text, "state.snapshots: %zu readable of %zu\n", totals->state_snapshots,
			   result->state_snapshot_backups);
	buf_printf(&text, "state.chunks: %zu\n", result->state_chunk_count);
	buf_printf(&text, "epochs.rows: %zu\n", totals->epoch_rows);
	if (with_objects)
	{
		buf_printf(&text, "objects.rows: %zu\n", totals->object_rows);
		for (int kind = 0; kind < OBJECT_KIND_COUNT; kind++)
			buf_printf(&text, "objects.kind.%s: %zu\n", object_kind_name((object_kind) kind),
					   totals->objects_by_kind[kind]);
	}
	else
		buf_printf(&text, "objects.rows: omitted (bundle members: the catalog's rules are not reproduced)\n");
	csv_open(&out, directory, "summary.txt", NULL);
	csv_write_text(&out, &text);
	csv_close(&out);
	buf_free(&text);
}

void
legacy_write_expected(const legacy_chain *chain, const legacy_layout_result *result, const archive_writer *writer,
					  const char *directory, const char *options_text, bool with_objects, expected_totals *totals)
{
	memset(totals, 0, sizeof(*totals));
	write_version_csvs(chain, result, directory, totals);
	write_state_csv(chain, result, directory, totals);
	write_epochs_csv(chain, result, directory, totals);
	if (with_objects)
		expected_write_objects(writer, directory, totals);
	write_summary(chain, result, directory, options_text, with_objects, totals);
}
