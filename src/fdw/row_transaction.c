/*
 * row_transaction.c — datums of one transactions row, built straight from the decoded view
 * of the record for the columns the query uses (the others stay NULL and cost nothing),
 * including the transfer columns and the arguments decoded by signature.
 * Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "catalog/pg_type.h"
#include "chain/entry_function.h"
#include "chain/render.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

static Datum
type_args_datum(const ff_tx *tx, ff_buf *scratch)
{
	Datum	   *elems;
	size_t		state = 0;
	int			n = 0;

	if (tx->type_arg_count == 0)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	elems = palloc(sizeof(Datum) * tx->type_arg_count);
	ff_buf_reset(scratch);
	while (n < (int) tx->type_arg_count && ff_tx_next_type_arg(tx, &state, scratch))
	{
		elems[n++] = ff_text_datum(scratch->data, scratch->len);
		ff_buf_reset(scratch);
	}
	if (n != (int) tx->type_arg_count)
		ff_out_of_memory();		/* the decoder validated the tags: only rendering can fail */
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
args_datum(const ff_tx *tx)
{
	Datum	   *elems;
	size_t		state = 0;
	ff_span		value;
	int			n = 0;

	if (tx->arg_count == 0)
		return PointerGetDatum(construct_empty_array(BYTEAOID));
	elems = palloc(sizeof(Datum) * tx->arg_count);
	while (n < (int) tx->arg_count && ff_tx_next_arg(tx, &state, &value))
		elems[n++] = ff_bytea_datum(value.ptr, value.len);
	return PointerGetDatum(construct_array(elems, n, BYTEAOID, -1, false, TYPALIGN_INT));
}

static Datum
tx_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfRowContext *row = arg;
	const ff_tx *tx = row->tx;
	bool		user = tx->kind == FF_TX_USER;
	int			ndefs;
	const FfColumnDef *defs = ff_kind_columns(FF_RECORDS_TRANSACTIONS, &ndefs);
	Datum		d = (Datum) 0;

	/* user-transaction columns of other kinds */
	if (defs[col].user_only && !user)
	{
		*isnull = true;
		return d;
	}
	switch (col)
	{
		case FF_COL_VERSION:
			d = ff_int8_datum(row->version, "version");
			break;
		case FF_COL_EPOCH:
			if (row->has_epoch)
				d = ff_int8_datum(row->epoch, defs[col].name);
			else
				*isnull = true;
			break;
		case FF_COL_ROUND:
			if (row->has_block && !row->no_round)
				d = ff_int8_datum(row->round, defs[col].name);
			else
				*isnull = true;
			break;
		case FF_COL_BLOCK_TIMESTAMP:
			if (row->has_block)
				d = ff_timestamp_usecs_datum(row->timestamp_usecs);
			else
				*isnull = true;
			break;
		case FF_COL_KIND:
			d = CStringGetTextDatum(ff_tx_kind_name(tx->kind));
			break;
		case FF_COL_TX_HASH:
			d = ff_hash_datum(tx->tx_hash, as_bytea);
			break;
		case FF_COL_SENDER:
			d = ff_address_datum(tx->sender, tx->addr_len, as_bytea);
			break;
		case FF_COL_SEQUENCE_NUMBER:
			d = ff_int8_datum(tx->sequence_number, defs[col].name);
			break;
		case FF_COL_PAYLOAD_KIND:
			d = CStringGetTextDatum(ff_payload_kind_name(tx->payload_kind));
			break;
		case FF_COL_FUNCTION:
			if (tx->module_address)
			{
				ff_buf_reset(row->scratch);
				if (!ff_render_function(tx->module_address, tx->addr_len, tx->module_name,
										tx->function_name, row->scratch))
					ff_out_of_memory();
				d = ff_text_datum(row->scratch->data, row->scratch->len);
			}
			else
				*isnull = true;
			break;
		case FF_COL_TYPE_ARGS:
			d = type_args_datum(tx, row->scratch);
			break;
		case FF_COL_ARGS:
			d = args_datum(tx);
			break;
		case FF_COL_MAX_GAS_AMOUNT:
			d = ff_int8_datum(tx->max_gas_amount, defs[col].name);
			break;
		case FF_COL_GAS_UNIT_PRICE:
			d = ff_int8_datum(tx->gas_unit_price, defs[col].name);
			break;
		case FF_COL_GAS_USED:
			d = ff_int8_datum(tx->gas_used, defs[col].name);
			break;
		case FF_COL_EXPIRATION_TIMESTAMP:
			d = ff_timestamp_secs_datum(tx->expiration_timestamp_secs);
			break;
		case FF_COL_CHAIN_ID:
			d = Int32GetDatum((int32) tx->chain_id);
			break;
		case FF_COL_AUTHENTICATOR:
			d = CStringGetTextDatum(ff_auth_kind_name(tx->authenticator));
			break;
		case FF_COL_STATUS:
			d = CStringGetTextDatum(ff_exec_status_name(tx->status));
			break;
		case FF_COL_ABORT_LOCATION:
			if (!tx->has_abort_location)
				*isnull = true;
			else if (tx->abort_in_script)
				d = CStringGetTextDatum("script");
			else
			{
				char		addr[FF_ADDRESS_TEXT_MAX];
				size_t		n = ff_render_address(tx->abort_module_address, tx->addr_len, addr);

				ff_buf_reset(row->scratch);
				if (!ff_buf_append(row->scratch, addr, n) ||
					!ff_buf_append_str(row->scratch, "::") ||
					!ff_buf_append(row->scratch, tx->abort_module_name.ptr, tx->abort_module_name.len))
					ff_out_of_memory();
				d = ff_text_datum(row->scratch->data, row->scratch->len);
			}
			break;
		case FF_COL_ABORT_CODE:
			if (tx->has_abort_code)
				d = ff_numeric_datum(tx->abort_code);
			else
				*isnull = true;
			break;
		case FF_COL_PROPOSER:
			if (tx->kind == FF_TX_BLOCK_METADATA)
				d = ff_address_datum(tx->proposer, tx->addr_len, as_bytea);
			else
				*isnull = true;
			break;
		case FF_COL_EVENT_COUNT:
			d = Int32GetDatum((int32) tx->event_count);
			break;
		case FF_COL_WRITE_COUNT:
			d = Int32GetDatum((int32) tx->write_count);
			break;
		case FF_COL_OBJECT:
			d = row->object;
			break;
		case FF_COL_TRANSACTION_BCS:
			d = ff_bytea_datum(tx->transaction.ptr, tx->transaction.len);
			break;
		case FF_COL_EVENT_ROOT_HASH:
			d = ff_hash_datum(tx->event_root_hash, as_bytea);
			break;
		case FF_COL_STATE_CHANGE_HASH:
			if (tx->state_change_hash)
				d = ff_hash_datum(tx->state_change_hash, as_bytea);
			else
				*isnull = true;
			break;
		case FF_COL_STATE_ROOT_HASH:
			if (tx->state_root_hash)
				d = ff_hash_datum(tx->state_root_hash, as_bytea);
			else
				*isnull = true;
			break;
		case FF_COL_GAS_CURRENCY:
			if (tx->era != FF_ERA_V6)
				d = ff_text_datum((const char *) tx->gas_currency.ptr, tx->gas_currency.len);
			else
				*isnull = true;
			break;
		case FF_COL_FRAMEWORK:
			d = CStringGetTextDatum(row->framework);
			break;
		case FF_COL_RECIPIENT:
		case FF_COL_AMOUNT:
			{
				const uint8_t *recipient;
				uint64_t	amount;
				bool		has_amount;

				if (!ff_entry_transfer(tx, &recipient, &amount, &has_amount))
					*isnull = true;
				else if (col == FF_COL_RECIPIENT)
					d = ff_address_datum(recipient, tx->addr_len, as_bytea);
				else if (has_amount)
					d = ff_numeric_datum(amount);
				else
					*isnull = true;
			}
			break;
		case FF_COL_ARGS_DECODED:
			{
				ff_code		rc;

				ff_buf_reset(row->scratch);
				rc = ff_entry_args_json(tx, row->scratch);
				if (rc == FF_ERR_NOMEM)
					ff_out_of_memory();
				if (rc == FF_OK)
					d = ff_jsonb_datum(row->scratch->data, row->scratch->len);
				else
					*isnull = true;
			}
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected column %d", col);
	}
	return d;
}

void
ff_build_tx_row(const FfRowContext *row, int natts, const int *colmap, const bool *as_bytea,
			 Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, tx_datum, row, values, nulls);
}
