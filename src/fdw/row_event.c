/*
 * row_event.c — datums of one events row: the event's key, type and payload, the coin
 * amount of withdraw/deposit events and the payload decoded as JSON, chosen by the event's
 * type tag (never by the shape of its data), plus the enclosing transaction's version,
 * block and hash. Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "chain/event.h"
#include "chain/render.h"
#include "utils/builtins.h"

static Datum
event_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfRowContext *row = arg;
	const ff_event *ev = row->event;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_EV_VERSION:
			d = ff_int8_datum(row->version, "version");
			break;
		case FF_EV_EPOCH:
			if (row->has_epoch)
				d = ff_int8_datum(row->epoch, "epoch");
			else
				*isnull = true;
			break;
		case FF_EV_BLOCK_TIMESTAMP:
			if (row->has_block)
				d = ff_timestamp_usecs_datum(row->timestamp_usecs);
			else
				*isnull = true;
			break;
		case FF_EV_EVENT_INDEX:
			d = Int32GetDatum((int32) ev->index);
			break;
		case FF_EV_TYPE:
			{
				bcs_cursor	c;

				bcs_init(&c, ev->type_tag.ptr, ev->type_tag.len);
				ff_buf_reset(row->scratch);
				if (!ff_render_type_tag(&c, ev->addr_len, row->scratch))
					ff_out_of_memory();	/* the decoder validated the tag */
				d = ff_text_datum(row->scratch->data, row->scratch->len);
			}
			break;
		case FF_EV_ACCOUNT:
			d = ff_address_datum(ev->account, ev->addr_len, as_bytea);
			break;
		case FF_EV_CREATION_NUMBER:
			d = ff_numeric_datum(ev->creation_number);
			break;
		case FF_EV_SEQUENCE_NUMBER:
			d = ff_int8_datum(ev->sequence_number, "sequence_number");
			break;
		case FF_EV_DATA:
			d = ff_bytea_datum(ev->data.ptr, ev->data.len);
			break;
		case FF_EV_AMOUNT:
			{
				uint64_t	amount;

				if (ff_event_amount(ev, &amount))
					d = ff_numeric_datum(amount);
				else
					*isnull = true;
			}
			break;
		case FF_EV_DECODED:
		case FF_EV_DECODED_FROM:
			{
				ff_code		rc;

				ff_buf_reset(row->scratch);
				rc = ff_event_payload_json(ev, row->scratch);
				if (rc == FF_ERR_NOMEM)
					ff_out_of_memory();
				if (rc != FF_OK)
					*isnull = true;
				else if (col == FF_EV_DECODED)
					d = ff_jsonb_datum(row->scratch->data, row->scratch->len);
				else
					d = CStringGetTextDatum(ff_event_type_verified(ev->type) ? "bytes" : "source");
			}
			break;
		case FF_EV_TX_HASH:
			d = ff_hash_datum(row->tx->tx_hash, as_bytea);
			break;
		case FF_EV_OBJECT:
			d = row->object;
			break;
		case FF_EV_EVENT_BCS:
			d = ff_bytea_datum(ev->bcs.ptr, ev->bcs.len);
			break;
		case FF_EV_FRAMEWORK:
			d = CStringGetTextDatum(row->framework);
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected events column %d", col);
	}
	return d;
}

void
ff_build_event_row(const FfRowContext *row, int natts, const int *colmap, const bool *as_bytea,
				   Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, event_datum, row, values, nulls);
}
