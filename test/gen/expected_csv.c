/*
 * expected_csv.c — renders the expected FDW output from the chain model's
 * structured description (never from the record bytes): transactions.csv
 * (with the decoded transfer columns), epochs.csv, objects.csv and
 * summary.txt; AIP-40 addresses, type tags, PostgreSQL text[] / bytea[]
 * array literals.  Events, write sets and snapshots: expected_state_csv.c.
 */
#include "expected_csv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "csv_out.h"
#include "gen_util.h"
#include "move_values.h"

static const char *const status_names[] = {
	"success", "out_of_gas", "move_abort", "execution_failure", "miscellaneous_error"
};

static const char *
payload_kind_name(payload_kind kind)
{
	switch (kind)
	{
		case PAYLOAD_SCRIPT:
			return "script";
		case PAYLOAD_MODULE_BUNDLE:
			return "module_bundle";
		case PAYLOAD_ENTRY_FUNCTION:
			return "entry_function";
		case PAYLOAD_MULTISIG:
			return "multisig";
	}
	return "?";
}

static const char *
authenticator_name(authenticator_kind kind)
{
	switch (kind)
	{
		case AUTH_ED25519:
			return "ed25519";
		case AUTH_MULTI_ED25519:
			return "multi_ed25519";
		case AUTH_MULTI_AGENT:
			return "multi_agent";
		case AUTH_FEE_PAYER:
			return "fee_payer";
	}
	return "?";
}

/* ------------------------------------------------------------------------- */
/* PostgreSQL array literals (array_out) */

static bool
array_element_needs_quotes(const char *element)
{
	if (element[0] == '\0' || strcasecmp(element, "NULL") == 0)
		return true;
	for (const char *p = element; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '{' || *p == '}' || *p == ',' || isspace((unsigned char) *p))
			return true;
	return false;
}

static void
array_element(byte_buf *out, const char *element, bool first)
{
	if (!first)
		buf_append_str(out, ",");
	if (!array_element_needs_quotes(element))
	{
		buf_append_str(out, element);
		return;
	}
	buf_append_str(out, "\"");
	for (const char *p = element; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			buf_append_str(out, "\\");
		buf_append(out, p, 1);
	}
	buf_append_str(out, "\"");
}

void
pg_array_append(byte_buf *out, const char *element, bool first)
{
	array_element(out, element, first);
}

static void
render_type_args(byte_buf *out, const user_txn *user)
{
	byte_buf	element;

	buf_init(&element);
	buf_append_str(out, "{");
	for (size_t i = 0; i < user->type_arg_count; i++)
	{
		buf_reset(&element);
		type_tag_render(&element, user->type_args[i]);
		buf_append(&element, "", 1);
		array_element(out, (const char *) element.data, i == 0);
	}
	buf_append_str(out, "}");
	buf_free(&element);
}

static void
render_args(byte_buf *out, const user_txn *user)
{
	byte_buf	element;

	buf_init(&element);
	buf_append_str(out, "{");
	for (size_t i = 0; i < user->arg_count; i++)
	{
		char	   *hex = gen_malloc(2 * user->args[i].len + 1);

		hex_encode(user->args[i].data, user->args[i].len, hex);
		buf_reset(&element);
		buf_printf(&element, "\\x%s", hex);
		buf_append(&element, "", 1);
		array_element(out, (const char *) element.data, i == 0);
		free(hex);
	}
	buf_append_str(out, "}");
	buf_free(&element);
}

/* ------------------------------------------------------------------------- */

static void
render_row(const chain_txn *txn, const char *object, csv_row *row)
{
	const user_txn *user = txn->user;
	const execution_status *status = &txn->status;

	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, txn->round);
	csv_u64(row, txn->block_timestamp_usecs);
	csv_field(row, txn_kind_name(txn->kind));
	csv_hash(row, txn->tx_hash);

	if (user != NULL)
	{
		csv_address(row, user->sender);
		csv_u64(row, user->sequence_number);
		csv_field(row, payload_kind_name(user->payload));
		if (user->has_function)
		{
			address_render(&row->scratch, user->function_address);
			buf_printf(&row->scratch, "::%s::%s", user->function_module, user->function_name);
			csv_scratch(row);
		}
		else
			csv_field(row, NULL);
		render_type_args(&row->scratch, user);
		csv_scratch(row);
		render_args(&row->scratch, user);
		csv_scratch(row);
		csv_u64(row, user->max_gas_amount);
		csv_u64(row, user->gas_unit_price);
	}
	else
		for (int i = 0; i < 8; i++)
			csv_field(row, NULL);
	csv_u64(row, txn->gas_used);
	if (user != NULL)
	{
		csv_u64(row, user->expiration_timestamp_secs);
		csv_u64(row, user->chain_id);
		csv_field(row, authenticator_name(user->authenticator));
	}
	else
		for (int i = 0; i < 3; i++)
			csv_field(row, NULL);
	csv_field(row, status_names[status->kind]);

	if (status->kind == STATUS_MOVE_ABORT || status->kind == STATUS_EXECUTION_FAILURE)
	{
		if (status->location_is_script)
			csv_field(row, "script");
		else
		{
			address_render(&row->scratch, status->location_address);
			buf_printf(&row->scratch, "::%s", status->location_module);
			csv_scratch(row);
		}
	}
	else
		csv_field(row, NULL);
	if (status->kind == STATUS_MOVE_ABORT)
		csv_u64(row, status->abort_code);
	else if (status->kind == STATUS_MISCELLANEOUS_ERROR && status->has_status_code)
		csv_u64(row, status->status_code);
	else
		csv_field(row, NULL);

	if (txn->kind == TXN_BLOCK_METADATA)
		csv_address(row, txn->proposer);
	else
		csv_field(row, NULL);
	csv_u64(row, txn->event_count);
	csv_u64(row, txn->write_count);
	csv_field(row, object);
	/* recipient, amount, args_decoded (FORMAT-transactions-v6v7.md §9) */
	if (user != NULL && user->has_recipient)
		csv_address(row, user->recipient);
	else
		csv_field(row, NULL);
	if (user != NULL && user->has_amount)
		csv_u64(row, user->amount);
	else
		csv_field(row, NULL);
	csv_field(row, user != NULL ? user->args_decoded : NULL);
}

/* For each version, the smallest chunk key holding it (NULL = not in the archive). */
static const char **
map_versions_to_objects(const chain_model *chain, const layout_result *layout)
{
	const char **objects = gen_calloc(chain->txn_count, sizeof(char *));

	for (size_t i = 0; i < layout->chunk_count; i++)
	{
		const chunk_object *chunk = &layout->chunks[i];

		for (uint64_t version = chunk->first_version; version <= chunk->last_version; version++)
			if (objects[version] == NULL || strcmp(chunk->key, objects[version]) < 0)
				objects[version] = chunk->key;
	}
	return objects;
}

/* transactions.csv, events.csv and state_changes.csv: every version present in a chunk. */
static void
write_version_csvs(const chain_model *chain, const char *const *objects, const char *directory,
				   expected_totals *totals)
{
	csv_file	transactions;
	csv_file	events;
	csv_file	changes;
	csv_row		row;

	csv_open(&transactions, directory, "transactions.csv",
			 "version,epoch,round,block_timestamp_usecs,kind,tx_hash,sender,sequence_number,payload_kind,"
			 "function,type_args,args,max_gas_amount,gas_unit_price,gas_used,expiration_timestamp_secs,"
			 "chain_id,authenticator,status,abort_location,abort_code,proposer,event_count,write_count,object,"
			 "recipient,amount,args_decoded");
	csv_open(&events, directory, "events.csv",
			 "version,epoch,block_timestamp_usecs,event_index,type,account,creation_number,sequence_number,"
			 "data,amount,decoded,decoded_from,tx_hash,object");
	csv_open(&changes, directory, "state_changes.csv",
			 "version,epoch,change_index,key_kind,path,address,resource,table_handle,table_key,state_key,"
			 "op,value,value_size,balance,metadata,object");
	csv_row_init(&row);
	for (size_t version = 0; version < chain->txn_count; version++)
	{
		const chain_txn *txn = &chain->txns[version];

		if (objects[version] == NULL)
			continue;
		render_row(txn, objects[version], &row);
		csv_write_row(&transactions, &row);
		if (totals->rows == 0)
			totals->first_version = version;
		totals->last_version = version;
		totals->rows++;
		totals->by_kind[txn->kind]++;
		totals->by_status[txn->status.kind]++;
		for (uint32_t i = 0; i < txn->event_count; i++)
		{
			expected_render_event(&row, txn, i, objects[version], totals);
			csv_write_row(&events, &row);
		}
		for (uint32_t i = 0; i < txn->write_count; i++)
		{
			expected_render_change(&row, txn, i, objects[version], totals);
			csv_write_row(&changes, &row);
		}
	}
	totals->event_rows = events.rows;
	totals->state_change_rows = changes.rows;
	csv_close(&transactions);
	csv_close(&events);
	csv_close(&changes);
	csv_row_free(&row);
}

/*
 * The chunk that emits an epoch's row: among the epoch-ending chunks covering it, the first
 * by (first_epoch ascending, last_epoch descending, key ascending).
 */
static const char *
epoch_object(const layout_result *layout, uint64_t epoch)
{
	const epoch_chunk_object *best = NULL;

	for (size_t i = 0; i < layout->epoch_chunk_count; i++)
	{
		const epoch_chunk_object *chunk = &layout->epoch_chunks[i];

		if (epoch < chunk->first_epoch || epoch > chunk->last_epoch)
			continue;
		if (best == NULL || chunk->first_epoch < best->first_epoch ||
			(chunk->first_epoch == best->first_epoch &&
			 (chunk->last_epoch > best->last_epoch ||
			  (chunk->last_epoch == best->last_epoch && strcmp(chunk->key, best->key) < 0))))
			best = chunk;
	}
	return best != NULL ? best->key : NULL;
}

/* [{"address":…,"voting_power":n,"consensus_key":"0x…"}, …] */
static void
render_validators(byte_buf *out, const validator_info validators[VALIDATOR_COUNT])
{
	buf_append_str(out, "[");
	for (int i = 0; i < VALIDATOR_COUNT; i++)
	{
		buf_append_str(out, i > 0 ? ",{" : "{");
		json_key(out, "address", true);
		json_address(out, validators[i].address);
		json_key(out, "voting_power", false);
		buf_printf(out, "%llu", (unsigned long long) validators[i].voting_power);
		json_key(out, "consensus_key", false);
		json_hex(out, validators[i].bls_public_key, BLS_KEY_LEN);
		buf_append_str(out, "}");
	}
	buf_append_str(out, "]");
}

static void
write_epochs_csv(const chain_model *chain, const layout_result *layout, const char *directory,
				 expected_totals *totals)
{
	csv_file	out;
	csv_row		row;

	csv_open(&out, directory, "epochs.csv",
			 "epoch,first_version,last_version,end_timestamp_usecs,round,block_id,root_hash,waypoint,"
			 "validator_count,total_voting_power,validators,signer_count,object");
	csv_row_init(&row);
	for (size_t i = 0; i < chain->epoch_count; i++)
	{
		const epoch_info *info = &chain->epochs[i];
		const char *object = epoch_object(layout, info->epoch);
		uint64_t	total = 0;

		if (object == NULL)
			continue;
		for (int v = 0; v < VALIDATOR_COUNT; v++)
			total += info->next_validators[v].voting_power;
		csv_u64(&row, info->epoch);
		csv_u64(&row, info->first_version);
		csv_u64(&row, info->last_version);
		csv_u64(&row, info->end_timestamp_usecs);
		csv_u64(&row, info->round);
		csv_hash(&row, info->block_id);
		csv_hash(&row, info->root_hash);
		csv_field(&row, info->waypoint);
		csv_u64(&row, VALIDATOR_COUNT);
		csv_u64(&row, total);
		render_validators(&row.scratch, info->next_validators);
		csv_scratch(&row);
		csv_u64(&row, info->signer_count);
		csv_field(&row, object);
		csv_write_row(&out, &row);
	}
	totals->epoch_rows = out.rows;
	csv_close(&out);
	csv_row_free(&row);
}

static int
compare_objects(const void *left, const void *right)
{
	return strcmp((*(const written_object *const *) left)->key, (*(const written_object *const *) right)->key);
}

/* Every file written, sorted by key. */
static void
write_objects_csv(const archive_writer *writer, const char *directory, expected_totals *totals)
{
	const written_object **sorted = gen_calloc(writer->files_written + 1, sizeof(*sorted));
	csv_file	out;
	csv_row		row;

	for (size_t i = 0; i < writer->files_written; i++)
		sorted[i] = &writer->objects[i];
	qsort(sorted, writer->files_written, sizeof(*sorted), compare_objects);
	csv_open(&out, directory, "objects.csv", "key,kind,size,compression");
	csv_row_init(&row);
	for (size_t i = 0; i < writer->files_written; i++)
	{
		csv_field(&row, sorted[i]->key);
		csv_field(&row, object_kind_name(sorted[i]->kind));
		csv_u64(&row, sorted[i]->size);
		csv_field(&row, sorted[i]->gzip ? "gzip" : "none");
		csv_write_row(&out, &row);
		totals->objects_by_kind[sorted[i]->kind]++;
	}
	totals->object_rows = out.rows;
	csv_close(&out);
	csv_row_free(&row);
	free(sorted);
}

void
expected_write_objects(const archive_writer *writer, const char *directory, expected_totals *totals)
{
	write_objects_csv(writer, directory, totals);
}

static void
write_summary(const chain_model *chain, const layout_result *layout, const char *directory,
			  const char *options_text, const expected_totals *totals)
{
	static const char *const op_names[] = {
		"creation", "modification", "deletion",
		"creation_with_metadata", "modification_with_metadata", "deletion_with_metadata"
	};
	csv_file	out;
	byte_buf	text;

	buf_init(&text);
	buf_printf(&text, "options: %s\n", options_text);
	buf_printf(&text, "epochs: %zu (0..%zu)\n", chain->epoch_count, chain->epoch_count - 1);
	buf_printf(&text, "chain_versions: %zu (0..%zu)\n", chain->txn_count, chain->txn_count - 1);
	if (totals->rows > 0)
		buf_printf(&text, "written_versions: %llu..%llu\n", (unsigned long long) totals->first_version,
				   (unsigned long long) totals->last_version);
	buf_printf(&text, "rows: %zu\n", totals->rows);
	for (int kind = 0; kind < 4; kind++)
		buf_printf(&text, "kind.%s: %zu\n", txn_kind_name((txn_kind) kind), totals->by_kind[kind]);
	for (int status = 0; status < 5; status++)
		buf_printf(&text, "status.%s: %zu\n", status_names[status], totals->by_status[status]);
	buf_printf(&text, "transaction_backups: %zu\n", layout->transaction_backups);
	buf_printf(&text, "transaction_chunks: %zu\n", layout->chunk_count);
	buf_printf(&text, "epoch_ending_backups: %zu\n", layout->epoch_ending_backups);
	buf_printf(&text, "meta_files: %zu\n", layout->meta_files);
	buf_printf(&text, "defects: %zu\n", layout->defects_written);
	buf_printf(&text, "events.rows: %zu\n", totals->event_rows);
	buf_printf(&text, "events.decoded_bytes: %zu\n", totals->events_decoded_bytes);
	buf_printf(&text, "events.decoded_source: %zu\n", totals->events_decoded_source);
	buf_printf(&text, "events.with_amount: %zu\n", totals->events_with_amount);
	buf_printf(&text, "state_changes.rows: %zu\n", totals->state_change_rows);
	for (int op = 0; op < 6; op++)
		buf_printf(&text, "state_changes.op.%s: %zu\n", op_names[op], totals->state_changes_by_op[op]);
	buf_printf(&text, "state.rows: %zu\n", totals->state_rows);
	buf_printf(&text, "state.snapshots: %zu readable of %zu\n", totals->state_snapshots,
			   layout->state_snapshot_backups);
	buf_printf(&text, "state.chunks: %zu\n", layout->state_chunk_count);
	for (size_t i = 0; i < layout->state_chunk_count; i++)
		if (layout->state_chunks[i].missing)
			buf_printf(&text, "state.missing_chunk: %s (snapshot version %llu, epoch %llu: no rows in state.csv)\n",
					   layout->state_chunks[i].key, (unsigned long long) layout->state_chunks[i].snapshot->version,
					   (unsigned long long) layout->state_chunks[i].snapshot->epoch);
	buf_printf(&text, "epochs.rows: %zu\n", totals->epoch_rows);
	buf_printf(&text, "objects.rows: %zu\n", totals->object_rows);
	for (int kind = 0; kind < OBJECT_KIND_COUNT; kind++)
		if (kind != OBJECT_BUNDLE || totals->objects_by_kind[kind] > 0)
			buf_printf(&text, "objects.kind.%s: %zu\n", object_kind_name((object_kind) kind),
					   totals->objects_by_kind[kind]);
	csv_open(&out, directory, "summary.txt", NULL);
	csv_write_text(&out, &text);
	csv_close(&out);
	buf_free(&text);
}

void
expected_write_all(const chain_model *chain, const layout_result *layout, const archive_writer *writer,
				   const char *directory, const char *options_text, expected_totals *totals)
{
	expected_write_all_ex(chain, layout, writer, directory, options_text, true, totals);
}

void
expected_write_all_ex(const chain_model *chain, const layout_result *layout, const archive_writer *writer,
					  const char *directory, const char *options_text, bool with_objects, expected_totals *totals)
{
	const char **objects = map_versions_to_objects(chain, layout);

	memset(totals, 0, sizeof(*totals));
	write_version_csvs(chain, objects, directory, totals);
	expected_write_state(layout, directory, totals);
	write_epochs_csv(chain, layout, directory, totals);
	if (with_objects)
		write_objects_csv(writer, directory, totals);
	write_summary(chain, layout, directory, options_text, totals);
	free(objects);
}
