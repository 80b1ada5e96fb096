/*
 * row_epoch.c — datums of one epochs row: an epoch-ending ledger info with the versions and
 * end time of the epoch, its waypoint, and the validator set it hands to the next epoch as
 * JSON. Runs in the scan's per-row memory context.
 */
#include "fdw/forensic_fdw.h"

#include "chain/json.h"
#include "chain/ledger_info.h"
#include "chain/render.h"
#include "utils/builtins.h"

static Datum
validators_datum(const ff_ledger_info *li, ff_buf *scratch)
{
	ff_json		j;
	ff_validator v;
	size_t		state = 0;

	ff_buf_reset(scratch);
	ff_json_init(&j, scratch);
	ff_json_begin_array(&j);
	while (ff_ledger_info_next_validator(li, &state, &v))
	{
		ff_json_begin_object(&j);
		ff_json_key(&j, "address");
		if (li->addr_len == FF_ADDR_LEN_V6)
			ff_json_address(&j, v.address, li->addr_len);
		else
			ff_json_hex(&j, v.address, li->addr_len);	/* v4/v5: always all 16 bytes */
		ff_json_key(&j, "voting_power");
		ff_json_u64(&j, v.voting_power);
		ff_json_key(&j, "consensus_key");
		ff_json_hex(&j, v.public_key.ptr, v.public_key.len);
		ff_json_end_object(&j);
	}
	if (!ff_json_end_array(&j))
		ff_out_of_memory();
	return ff_jsonb_datum(scratch->data, scratch->len);
}

static Datum
epoch_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfEpochRow *row = arg;
	const ff_ledger_info *li = row->li;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_EP_EPOCH:
			d = ff_int8_datum(li->epoch, "epoch");
			break;
		case FF_EP_FIRST_VERSION:
			if (row->has_first_version)
				d = ff_int8_datum(row->first_version, "first_version");
			else
				*isnull = true;
			break;
		case FF_EP_LAST_VERSION:
			d = ff_int8_datum(li->version, "last_version");
			break;
		case FF_EP_END_TIMESTAMP:
			d = ff_timestamp_usecs_datum(li->timestamp_usecs);
			break;
		case FF_EP_ROUND:
			d = ff_int8_datum(li->round, "round");
			break;
		case FF_EP_BLOCK_ID:
			d = ff_hash_datum(li->block_id, as_bytea);
			break;
		case FF_EP_ROOT_HASH:
			d = ff_hash_datum(li->executed_state_id, as_bytea);
			break;
		case FF_EP_WAYPOINT:
			{
				char		text[21 + 1 + 64 + 1];
				int			n = snprintf(text, sizeof(text), UINT64_FORMAT ":", li->version);

				ff_hex(row->waypoint, 32, text + n);
				d = ff_text_datum(text, (size_t) n + 64);
			}
			break;
		case FF_EP_VALIDATOR_COUNT:
			if (li->has_next_epoch_state)
				d = Int32GetDatum((int32) li->validator_count);
			else
				*isnull = true;
			break;
		case FF_EP_TOTAL_VOTING_POWER:
			if (li->has_next_epoch_state)
				d = ff_numeric_datum(li->total_voting_power);
			else
				*isnull = true;
			break;
		case FF_EP_VALIDATORS:
			if (li->has_next_epoch_state)
				d = validators_datum(li, row->scratch);
			else
				*isnull = true;
			break;
		case FF_EP_SIGNER_COUNT:
			d = Int32GetDatum((int32) li->signer_count);
			break;
		case FF_EP_OBJECT:
			d = row->object;
			break;
		case FF_EP_FRAMEWORK:
			d = CStringGetTextDatum(row->framework);
			break;
		case FF_EP_QUORUM_VOTING_POWER:
			if (li->has_next_epoch_state && li->has_quorum)
				d = ff_numeric_datum(li->quorum_voting_power);
			else
				*isnull = true;
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected epochs column %d", col);
	}
	return d;
}

void
ff_build_epoch_row(const FfEpochRow *row, int natts, const int *colmap, const bool *as_bytea,
				   Datum *values, bool *nulls)
{
	ff_fill_row(natts, colmap, as_bytea, epoch_datum, row, values, nulls);
}
