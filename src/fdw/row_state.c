/*
 * row_state.c — datums of one row that describes a state key and value: a write-set entry
 * (state_changes) or a state snapshot item (state). The key is shown by kind (access path
 * with its account and resource type or module, table item with its handle and key, raw),
 * the value as bytes, with the coin balance of CoinStore resources and the metadata of
 * *WithMetadata values. Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "chain/json.h"
#include "chain/state.h"
#include "utils/builtins.h"

static Datum
metadata_datum(const ff_state_metadata *m, ff_buf *scratch)
{
	ff_json		j;

	ff_buf_reset(scratch);
	ff_json_init(&j, scratch);
	ff_json_begin_object(&j);
	ff_json_key(&j, "payer");
	ff_json_address(&j, m->payer, FF_ADDR_LEN_V6);
	ff_json_key(&j, "deposit");
	ff_json_u64(&j, m->deposit);
	ff_json_key(&j, "creation_time_usecs");
	ff_json_u64(&j, m->creation_time_usecs);
	if (!ff_json_end_object(&j))
		ff_out_of_memory();
	return ff_jsonb_datum(scratch->data, scratch->len);
}

static Datum
state_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfStateRow *row = arg;
	const ff_state_key *key = row->key;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_ST_VERSION:
			d = ff_int8_datum(row->version, row->has_op ? "version" : "snapshot_version");
			break;
		case FF_ST_EPOCH:
			if (row->has_epoch)
				d = ff_int8_datum(row->epoch, "epoch");
			else
				*isnull = true;
			break;
		case FF_ST_INDEX:
			if (row->has_op)
				d = Int32GetDatum((int32) row->index);
			else
				d = ff_int8_datum(row->index, "item_index");
			break;
		case FF_ST_KEY_KIND:
			d = CStringGetTextDatum(ff_key_kind_name(key->kind));
			break;
		case FF_ST_PATH:
			if (key->kind == FF_KEY_ACCESS_PATH)
				d = CStringGetTextDatum(ff_path_kind_name(key->path_kind));
			else
				*isnull = true;
			break;
		case FF_ST_ADDRESS:
			if (key->address)
				d = ff_address_datum(key->address, FF_ADDR_LEN_V6, as_bytea);
			else
				*isnull = true;
			break;
		case FF_ST_RESOURCE:
			ff_buf_reset(row->scratch);
			if (key->kind != FF_KEY_ACCESS_PATH)
				*isnull = true;
			else if (!ff_state_key_resource(key, row->scratch))
				ff_out_of_memory();	/* the decoder validated the path */
			else
				d = ff_text_datum(row->scratch->data, row->scratch->len);
			break;
		case FF_ST_TABLE_HANDLE:
			if (key->table_handle)
				d = ff_address_datum(key->table_handle, FF_ADDR_LEN_V6, as_bytea);
			else
				*isnull = true;
			break;
		case FF_ST_TABLE_KEY:
			if (key->kind == FF_KEY_TABLE_ITEM)
				d = ff_bytea_datum(key->table_key.ptr, key->table_key.len);
			else
				*isnull = true;
			break;
		case FF_ST_STATE_KEY:
			d = ff_bytea_datum(key->bcs.ptr, key->bcs.len);
			break;
		case FF_ST_OP:
			d = CStringGetTextDatum(ff_write_op_kind_name((ff_write_op_kind) row->op));
			break;
		case FF_ST_VALUE:
			if (row->has_value)
				d = ff_bytea_datum(row->value.ptr, row->value.len);
			else
				*isnull = true;
			break;
		case FF_ST_VALUE_SIZE:
			if (row->has_value)
				d = Int32GetDatum((int32) row->value.len);
			else
				*isnull = true;
			break;
		case FF_ST_BALANCE:
			{
				uint64_t	balance;

				if (row->has_value && ff_coin_store_balance(key, row->value, &balance))
					d = ff_numeric_datum(balance);
				else
					*isnull = true;
			}
			break;
		case FF_ST_METADATA:
			if (row->metadata && row->metadata->present)
				d = metadata_datum(row->metadata, row->scratch);
			else
				*isnull = true;
			break;
		case FF_ST_OBJECT:
			d = row->object;
			break;
		case FF_ST_FRAMEWORK:
			d = CStringGetTextDatum(row->framework);
			break;
		case FF_ST_ACCOUNT_HASH:
			*isnull = true;		/* v6/v7 items are keyed by their state key */
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected state column %d", col);
	}
	return d;
}

void
ff_build_state_row(const FfStateRow *row, int natts, const int *colmap, const bool *as_bytea,
				   Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, state_datum, row, values, nulls);
}
