/*
 * tuple.c — datums of one transactions row, built straight from the decoded view of the
 * record for the columns the query uses (the others stay NULL and cost nothing).
 * Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "catalog/pg_type.h"
#include "chain/render.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

static Datum
text_datum(const char *p, size_t n)
{
	return PointerGetDatum(cstring_to_text_with_len(p, (int) n));
}

static Datum
bytea_datum(const uint8_t *p, size_t n)
{
	bytea	   *b = palloc(VARHDRSZ + n);

	SET_VARSIZE(b, VARHDRSZ + n);
	if (n)
		memcpy(VARDATA(b), p, n);
	return PointerGetDatum(b);
}

static Datum
int8_datum(uint64 v, FfColumn col)
{
	if (v > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value " UINT64_FORMAT " of column \"%s\" is out of range for type bigint",
						v, ff_transaction_columns[col].name),
				 errhint("Declare the column as numeric.")));
	return Int64GetDatum((int64) v);
}

static Datum
numeric_datum(uint64 v)
{
	char		digits[32];

	if (v <= (uint64) PG_INT64_MAX)
		return NumericGetDatum(int64_to_numeric((int64) v));
	snprintf(digits, sizeof(digits), UINT64_FORMAT, v);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Microseconds since the Unix epoch -> timestamptz. */
static Datum
timestamp_usecs_datum(uint64 usecs)
{
	const int64 shift = (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
	TimestampTz ts;

	if (usecs > (uint64) PG_INT64_MAX)
		TIMESTAMP_NOEND(ts);
	else
	{
		ts = (int64) usecs - shift;
		if (!IS_VALID_TIMESTAMP(ts))
			TIMESTAMP_NOEND(ts);
	}
	return TimestampTzGetDatum(ts);
}

/* Seconds since the Unix epoch -> timestamptz; beyond the timestamp range: infinity. */
static Datum
timestamp_secs_datum(uint64 secs)
{
	if (secs > (uint64) (PG_INT64_MAX / USECS_PER_SEC))
	{
		TimestampTz ts;

		TIMESTAMP_NOEND(ts);
		return TimestampTzGetDatum(ts);
	}
	return timestamp_usecs_datum(secs * USECS_PER_SEC);
}

static Datum
address_datum(const uint8_t *addr, bool as_bytea)
{
	char		text[FF_ADDRESS_TEXT_MAX];
	size_t		n;

	if (as_bytea)
		return bytea_datum(addr, FF_ADDR_LEN_V6);
	n = ff_render_address(addr, FF_ADDR_LEN_V6, text);
	return text_datum(text, n);
}

static Datum
hash_datum(const uint8_t *hash, bool as_bytea)
{
	char		text[2 + 64];

	if (as_bytea)
		return bytea_datum(hash, 32);
	text[0] = '0';
	text[1] = 'x';
	ff_hex(hash, 32, text + 2);
	return text_datum(text, sizeof(text));
}

static void
out_of_memory(void)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
}

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
		elems[n++] = text_datum(scratch->data, scratch->len);
		ff_buf_reset(scratch);
	}
	if (n != (int) tx->type_arg_count)
		out_of_memory();		/* the decoder validated the tags: only rendering can fail */
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
		elems[n++] = bytea_datum(value.ptr, value.len);
	return PointerGetDatum(construct_array(elems, n, BYTEAOID, -1, false, TYPALIGN_INT));
}

void
ff_build_row(const FfRowContext *row, int natts, const int *colmap, const bool *as_bytea,
			 Datum *values, bool *nulls)
{
	const ff_tx *tx = row->tx;
	bool		user = tx->kind == FF_TX_USER;

	for (int i = 0; i < natts; i++)
	{
		int			col = colmap[i];
		bool		isnull = false;
		Datum		d = (Datum) 0;

		/* columns the query does not use, and user-transaction columns of other kinds */
		if (col < 0 || (ff_transaction_columns[col].user_only && !user))
		{
			values[i] = (Datum) 0;
			nulls[i] = true;
			continue;
		}
		switch (col)
		{
			case FF_COL_VERSION:
				d = int8_datum(row->version, col);
				break;
			case FF_COL_EPOCH:
				if (row->has_epoch)
					d = int8_datum(row->epoch, col);
				else
					isnull = true;
				break;
			case FF_COL_ROUND:
				if (row->has_block)
					d = int8_datum(row->round, col);
				else
					isnull = true;
				break;
			case FF_COL_BLOCK_TIMESTAMP:
				if (row->has_block)
					d = timestamp_usecs_datum(row->timestamp_usecs);
				else
					isnull = true;
				break;
			case FF_COL_KIND:
				d = CStringGetTextDatum(ff_tx_kind_name(tx->kind));
				break;
			case FF_COL_TX_HASH:
				d = hash_datum(tx->tx_hash, as_bytea[i]);
				break;
			case FF_COL_SENDER:
				d = address_datum(tx->sender, as_bytea[i]);
				break;
			case FF_COL_SEQUENCE_NUMBER:
				d = int8_datum(tx->sequence_number, col);
				break;
			case FF_COL_PAYLOAD_KIND:
				d = CStringGetTextDatum(ff_payload_kind_name(tx->payload_kind));
				break;
			case FF_COL_FUNCTION:
				if (tx->module_address)
				{
					ff_buf_reset(row->scratch);
					if (!ff_render_function(tx->module_address, FF_ADDR_LEN_V6, tx->module_name,
											tx->function_name, row->scratch))
						out_of_memory();
					d = text_datum(row->scratch->data, row->scratch->len);
				}
				else
					isnull = true;
				break;
			case FF_COL_TYPE_ARGS:
				d = type_args_datum(tx, row->scratch);
				break;
			case FF_COL_ARGS:
				d = args_datum(tx);
				break;
			case FF_COL_MAX_GAS_AMOUNT:
				d = int8_datum(tx->max_gas_amount, col);
				break;
			case FF_COL_GAS_UNIT_PRICE:
				d = int8_datum(tx->gas_unit_price, col);
				break;
			case FF_COL_GAS_USED:
				d = int8_datum(tx->gas_used, col);
				break;
			case FF_COL_EXPIRATION_TIMESTAMP:
				d = timestamp_secs_datum(tx->expiration_timestamp_secs);
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
					isnull = true;
				else if (tx->abort_in_script)
					d = CStringGetTextDatum("script");
				else
				{
					char		addr[FF_ADDRESS_TEXT_MAX];
					size_t		n = ff_render_address(tx->abort_module_address, FF_ADDR_LEN_V6, addr);

					ff_buf_reset(row->scratch);
					if (!ff_buf_append(row->scratch, addr, n) ||
						!ff_buf_append_str(row->scratch, "::") ||
						!ff_buf_append(row->scratch, tx->abort_module_name.ptr, tx->abort_module_name.len))
						out_of_memory();
					d = text_datum(row->scratch->data, row->scratch->len);
				}
				break;
			case FF_COL_ABORT_CODE:
				if (tx->has_abort_code)
					d = numeric_datum(tx->abort_code);
				else
					isnull = true;
				break;
			case FF_COL_PROPOSER:
				if (tx->kind == FF_TX_BLOCK_METADATA)
					d = address_datum(tx->proposer, as_bytea[i]);
				else
					isnull = true;
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
				d = bytea_datum(tx->transaction.ptr, tx->transaction.len);
				break;
			default:
				elog(ERROR, "forensic_fdw: unexpected column %d", col);
		}
		values[i] = d;
		nulls[i] = isnull;
	}
}
