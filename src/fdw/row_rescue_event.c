/*
 * row_rescue_event.c — datums of one events row read from a v5 JSON rescue view: the
 * event key, sequence number, the Move type the view's type stands for, the view's data as
 * JSON (decoded, decoded_from 'json_rescue') and the payment amount, with the enclosing
 * transaction's version, block and hash. Views carry no event BCS: data and event_bcs are
 * NULL. Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "archive/json_rescue.h"
#include "utils/builtins.h"

static Datum
rescue_event_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfRescueEventRow *row = arg;
	const FfRowContext *ctx = &row->ctx;
	const ff_rescue_event *ev = row->event;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_EV_VERSION:
			d = ff_int8_datum(ctx->version, "version");
			break;
		case FF_EV_EPOCH:
			if (ctx->has_epoch)
				d = ff_int8_datum(ctx->epoch, "epoch");
			else
				*isnull = true;
			break;
		case FF_EV_BLOCK_TIMESTAMP:
			d = ff_timestamp_usecs_datum(ctx->timestamp_usecs);
			break;
		case FF_EV_EVENT_INDEX:
			d = Int32GetDatum((int32) ev->index);
			break;
		case FF_EV_TYPE:
			if (ev->move_type)
				d = CStringGetTextDatum(ev->move_type);
			else
				*isnull = true;
			break;
		case FF_EV_ACCOUNT:
			d = ff_address_datum(ev->account, 16, as_bytea);
			break;
		case FF_EV_CREATION_NUMBER:
			d = ff_numeric_datum(ev->creation_number);
			break;
		case FF_EV_SEQUENCE_NUMBER:
			d = ff_int8_datum(ev->sequence_number, "sequence_number");
			break;
		case FF_EV_AMOUNT:
			if (ev->has_amount)
				d = ff_numeric_datum(ev->amount);
			else
				*isnull = true;
			break;
		case FF_EV_DECODED:
			d = ff_jsonb_datum(ev->data_json, strlen(ev->data_json));
			break;
		case FF_EV_DECODED_FROM:
			d = CStringGetTextDatum("json_rescue");
			break;
		case FF_EV_TX_HASH:
			d = ff_hash_datum(ctx->tx->tx_hash, as_bytea);
			break;
		case FF_EV_OBJECT:
			d = ctx->object;
			break;
		case FF_EV_FRAMEWORK:
			d = CStringGetTextDatum(ctx->framework);
			break;
		case FF_EV_DATA:
		case FF_EV_EVENT_BCS:
			*isnull = true;		/* the view has no BCS of the event */
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected events column %d", col);
	}
	return d;
}

void
ff_build_rescue_event_row(const FfRescueEventRow *row, int natts, const int *colmap,
						  const bool *as_bytea, Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, rescue_event_datum, row, values, nulls);
}
