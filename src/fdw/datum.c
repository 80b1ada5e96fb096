/*
 * datum.c — PostgreSQL datums from decoded chain values: text, bytea, bigint (with a range
 * check), numeric from u64, timestamptz from Unix microseconds or seconds, addresses (AIP-40
 * text or raw bytes), hashes ("0x" + hex or raw bytes) and jsonb from JSON text; and the loop
 * that fills a row's values from a record kind's per-column function.
 */
#include "fdw/forensic_fdw.h"

#include "chain/render.h"
#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

Datum
ff_text_datum(const char *p, size_t n)
{
	return PointerGetDatum(cstring_to_text_with_len(p, (int) n));
}

Datum
ff_bytea_datum(const uint8_t *p, size_t n)
{
	bytea	   *b = palloc(VARHDRSZ + n);

	SET_VARSIZE(b, VARHDRSZ + n);
	if (n)
		memcpy(VARDATA(b), p, n);
	return PointerGetDatum(b);
}

Datum
ff_int8_datum(uint64 v, const char *column)
{
	if (v > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value " UINT64_FORMAT " of column \"%s\" is out of range for type bigint",
						v, column),
				 errhint("Declare the column as numeric.")));
	return Int64GetDatum((int64) v);
}

Datum
ff_numeric_datum(uint64 v)
{
	char		digits[32];

	if (v <= (uint64) PG_INT64_MAX)
		return NumericGetDatum(int64_to_numeric((int64) v));
	snprintf(digits, sizeof(digits), UINT64_FORMAT, v);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Microseconds since the Unix epoch -> timestamptz; beyond the timestamp range: infinity. */
Datum
ff_timestamp_usecs_datum(uint64 usecs)
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
Datum
ff_timestamp_secs_datum(uint64 secs)
{
	if (secs > (uint64) (PG_INT64_MAX / USECS_PER_SEC))
	{
		TimestampTz ts;

		TIMESTAMP_NOEND(ts);
		return TimestampTzGetDatum(ts);
	}
	return ff_timestamp_usecs_datum(secs * USECS_PER_SEC);
}

Datum
ff_address_datum(const uint8_t *addr, size_t addr_len, bool as_bytea)
{
	char		text[FF_ADDRESS_TEXT_MAX];
	size_t		n;

	if (as_bytea)
		return ff_bytea_datum(addr, addr_len);
	if (addr_len != FF_ADDR_LEN_V6)
	{
		/* v4/v5: always the full 16 bytes (no short form: Libra/Diem never had AIP-40) */
		text[0] = '0';
		text[1] = 'x';
		ff_hex(addr, addr_len, text + 2);
		return ff_text_datum(text, 2 + 2 * addr_len);
	}
	n = ff_render_address(addr, addr_len, text);
	return ff_text_datum(text, n);
}

Datum
ff_hash_datum(const uint8_t *hash, bool as_bytea)
{
	char		text[2 + 64];

	if (as_bytea)
		return ff_bytea_datum(hash, 32);
	text[0] = '0';
	text[1] = 'x';
	ff_hex(hash, 32, text + 2);
	return ff_text_datum(text, sizeof(text));
}

/* jsonb from JSON text the decoders wrote (always valid JSON). */
Datum
ff_jsonb_datum(const char *json, size_t len)
{
	char	   *cstr = pnstrdup(json, len);

	return DirectFunctionCall1(jsonb_in, CStringGetDatum(cstr));
}

void
ff_out_of_memory(void)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
}

void
ff_fill_row(int natts, const int *colmap, const bool *as_bytea, FfColumnDatumFn datum,
			const void *row, Datum *values, bool *nulls)
{
	for (int i = 0; i < natts; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
		if (colmap[i] < 0)
			continue;			/* not used by the query */
		nulls[i] = false;
		values[i] = datum(colmap[i], as_bytea ? as_bytea[i] : false, row, &nulls[i]);
	}
}
