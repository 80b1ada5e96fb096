/*
 * expected_state_csv.c — the rows of events.csv and state_changes.csv, and
 * state.csv, rendered from the chain model (the events with their decoded
 * payloads, the write-set entries with their state key parts, the snapshots'
 * items), never from the record bytes.
 *
 * Key columns of a state key: key_kind access_path|table_item|raw; path
 * code|resource|resource_group (access paths only); address (access paths);
 * resource (struct tag text, or "0x1::module" for code); table_handle and
 * table_key (table items); state_key = the StateKey's BCS.  Value columns:
 * value, value_size (empty for deletions), balance (coin.value of a
 * 0x1::coin::CoinStore<T>, both layouts), metadata {"payer","deposit",
 * "creation_time_usecs"} (empty when none).
 */
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "expected_csv.h"
#include "move_values.h"

static const char *const key_kind_names[] = {"access_path", "table_item", "raw"};
static const char *const path_names[] = {"code", "resource", "resource_group"};
/* create|modify|delete by WriteOp tag */
static const char *const op_names[] = {"create", "modify", "delete", "create", "modify", "delete"};

static void
render_key_columns(csv_row *row, const state_key *key)
{
	csv_field(row, key_kind_names[key->kind]);
	if (key->kind == STATE_KEY_ACCESS_PATH)
	{
		csv_field(row, path_names[key->path]);
		csv_address(row, key->address);
		csv_field(row, key->resource);
	}
	else
		for (int i = 0; i < 3; i++)
			csv_field(row, NULL);
	if (key->kind == STATE_KEY_TABLE_ITEM)
	{
		csv_address(row, key->table_handle);
		csv_bytea(row, key->item, key->item_len);
	}
	else
		for (int i = 0; i < 2; i++)
			csv_field(row, NULL);
	csv_bytea(row, key->bcs, key->bcs_len);
}

/* value, value_size, balance, metadata */
static void
render_value_columns(csv_row *row, const chain_write *write)
{
	if (write->has_value)
	{
		csv_bytea(row, write->value, write->value_len);
		csv_u64(row, write->value_len);
	}
	else
		for (int i = 0; i < 2; i++)
			csv_field(row, NULL);
	if (write->has_value && write->has_balance)
		csv_u64(row, write->balance);
	else
		csv_field(row, NULL);
	if (write->metadata.present)
	{
		buf_append_str(&row->scratch, "{");
		json_key(&row->scratch, "payer", true);
		json_address(&row->scratch, write->metadata.payer);
		json_key(&row->scratch, "deposit", false);
		buf_printf(&row->scratch, "%llu", (unsigned long long) write->metadata.deposit);
		json_key(&row->scratch, "creation_time_usecs", false);
		buf_printf(&row->scratch, "%llu}", (unsigned long long) write->metadata.creation_time_usecs);
		csv_scratch(row);
	}
	else
		csv_field(row, NULL);
}

void
expected_render_event(csv_row *row, const chain_txn *txn, uint32_t index, const char *object,
					  expected_totals *totals)
{
	const chain_event *event = &txn->events[index];

	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, txn->block_timestamp_usecs);
	csv_u64(row, index);
	csv_field(row, event->type_text);
	csv_address(row, event->account);
	csv_u64(row, event->creation_number);
	csv_u64(row, event->sequence_number);
	csv_bytea(row, event->data, event->data_len);
	if (event->has_amount)
		csv_u64(row, event->amount);
	else
		csv_field(row, NULL);
	csv_field(row, event->decoded);
	csv_field(row, event->decoded_from);
	csv_hash(row, txn->tx_hash);
	csv_field(row, object);
	if (event->decoded_from != NULL && strcmp(event->decoded_from, "bytes") == 0)
		totals->events_decoded_bytes++;
	else if (event->decoded_from != NULL)
		totals->events_decoded_source++;
	totals->events_with_amount += event->has_amount;
}

void
expected_render_change(csv_row *row, const chain_txn *txn, uint32_t index, const char *object,
					   expected_totals *totals)
{
	const chain_write *write = &txn->writes[index];

	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, index);
	render_key_columns(row, &write->key);
	csv_field(row, op_names[write->op]);
	render_value_columns(row, write);
	csv_field(row, object);
	totals->state_changes_by_op[write->op]++;
}

/* Snapshots with a missing chunk give no rows: a query touching them must fail. */
void
expected_write_state(const layout_result *layout, const char *directory, expected_totals *totals)
{
	csv_file	out;
	csv_row		row;
	const state_snapshot *previous = NULL;

	csv_open(&out, directory, "state.csv",
			 "snapshot_version,epoch,item_index,key_kind,path,address,resource,table_handle,table_key,"
			 "state_key,value,value_size,balance,metadata,object");
	csv_row_init(&row);
	for (size_t c = 0; c < layout->state_chunk_count; c++)
	{
		const state_chunk_object *chunk = &layout->state_chunks[c];
		const state_snapshot *snapshot = chunk->snapshot;

		if (snapshot == layout->defective_snapshot)
			continue;
		if (snapshot != previous)
			totals->state_snapshots++;
		previous = snapshot;
		for (uint64_t index = chunk->first_idx; index <= chunk->last_idx; index++)
		{
			const chain_write *item = snapshot->items[index];

			csv_u64(&row, snapshot->version);
			csv_u64(&row, snapshot->epoch);
			csv_u64(&row, index);
			render_key_columns(&row, &item->key);
			render_value_columns(&row, item);
			csv_field(&row, chunk->key);
			csv_write_row(&out, &row);
		}
	}
	totals->state_rows = out.rows;
	csv_close(&out);
	csv_row_free(&row);
}
