/*
 * row_account.c — datums of one state row of a v4/v5 snapshot: one resource (or module) of
 * an account record (HashValue, AccountStateBlob). The account's address is not stored in
 * the record (its key is the address's hash); it is shown when the account's own
 * (Libra|Diem)Account resource or the list of well-known addresses gives it back, and
 * account_hash always identifies the account. Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "chain/legacy_state.h"
#include "chain/state.h"
#include "utils/builtins.h"

static Datum
account_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfAccountRow *row = arg;
	const ff_account_resource *res = row->resource;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_ST_VERSION:
			d = ff_int8_datum(row->snapshot_version, "snapshot_version");
			break;
		case FF_ST_EPOCH:
			if (row->has_epoch)
				d = ff_int8_datum(row->epoch, "epoch");
			else
				*isnull = true;
			break;
		case FF_ST_INDEX:
			d = ff_int8_datum(row->index, "item_index");
			break;
		case FF_ST_KEY_KIND:
			d = CStringGetTextDatum("access_path");
			break;
		case FF_ST_PATH:
			d = CStringGetTextDatum(ff_path_kind_name((ff_path_kind) res->path_kind));
			break;
		case FF_ST_ADDRESS:
			if (row->has_address)
				d = ff_address_datum(row->address, 16, as_bytea);
			else
				*isnull = true;
			break;
		case FF_ST_RESOURCE:
			ff_buf_reset(row->scratch);
			if (ff_account_resource_name(row->record->era, res, row->scratch))
				d = ff_text_datum(row->scratch->data, row->scratch->len);
			else
				*isnull = true;	/* a v4 type hash no known type gives */
			break;
		case FF_ST_TABLE_HANDLE:
		case FF_ST_TABLE_KEY:
		case FF_ST_METADATA:
			*isnull = true;
			break;
		case FF_ST_STATE_KEY:
			d = ff_bytea_datum(res->access_key.ptr, res->access_key.len);
			break;
		case FF_ST_VALUE:
			d = ff_bytea_datum(res->value.ptr, res->value.len);
			break;
		case FF_ST_VALUE_SIZE:
			d = Int32GetDatum((int32) res->value.len);
			break;
		case FF_ST_BALANCE:
			if (row->has_balance)
				d = ff_numeric_datum(row->balance);
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
			d = ff_hash_datum(row->record->key_hash, as_bytea);
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected state column %d", col);
	}
	return d;
}

void
ff_build_account_row(const FfAccountRow *row, int natts, const int *colmap, const bool *as_bytea,
					 Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, account_datum, row, values, nulls);
}
