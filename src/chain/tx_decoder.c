/*
 * tx_decoder.c — the transaction-record decoding steps that are the same in every era
 * (tx_decoder.h): arguments, scripts, entry functions, account authenticators, events,
 * abort locations, and the walk over the record's tuple with its error reporting. Used by
 * transaction.c (v6/v7) and legacy_tx.c (v4/v5).
 */
#include "chain/tx_decoder.h"

#include <string.h>

#include "chain/event.h"

/* Minimum encoded sizes, used to reject absurd sequence counts before looping. */
#define MIN_TYPE_TAG		1
#define MIN_BYTES			1
#define MIN_TX_ARGUMENT		2
#define MIN_ACCOUNT_AUTH	(1 + 1 + 1)

bool
ff_txd_fail_unsupported(ff_txd *d, size_t tag_pos, uint32_t tag, const char *what)
{
	if (d->c.failed)
		return false;
	d->unsupported = true;
	d->unsupported_tag = tag;
	d->c.pos = tag_pos;
	return bcs_fail(&d->c, what);
}

bool
ff_txd_fail_nested(ff_txd *d, ff_code code, size_t base)
{
	d->nested_code = code;
	d->nested_offset = base + (size_t) d->st->offset;
	return bcs_fail_at(&d->c, d->nested_offset, "nested parser failed");
}

/* ------------------------------------------------------------------------------------ */
/* payloads                                                                              */

bool
ff_txd_script_arg(bcs_cursor *c, ff_era era, ff_span *value)
{
	/* per tag: the value's size, or one of these (larger than any size) */
	enum
	{
		ADDRESS = 100, U8_VECTOR, ADDRESS_VECTOR, BOOL
	};
	static const uint8_t v6_size[] = {1, 8, 16, ADDRESS, U8_VECTOR, BOOL, 2, 4, 32};
	static const uint8_t legacy_size[] = {1, 8, 16, ADDRESS, U8_VECTOR, ADDRESS_VECTOR, BOOL};
	bool		legacy = era == FF_ERA_V4 || era == FF_ERA_V5;
	const uint8_t *size = legacy ? legacy_size : v6_size;
	size_t		ntags = legacy ? sizeof(legacy_size) : sizeof(v6_size);
	size_t		addr_len = legacy ? 16 : FF_ADDR_LEN_V6;
	size_t		tag_pos = c->pos;
	ff_span		v;
	uint32_t	tag;
	uint32_t	n;
	bool		flag;

	if (!bcs_len(c, &tag))
		return false;
	if (tag >= ntags)
		return bcs_fail_at(c, tag_pos, "unknown TransactionArgument variant");
	v.ptr = c->base + c->pos;
	switch (size[tag])
	{
		case U8_VECTOR:
			if (!bcs_bytes(c, &v))
				return false;
			break;
		case ADDRESS_VECTOR:
			if (!bcs_count(c, addr_len, &n) || !bcs_skip(c, (size_t) n * addr_len))
				return false;
			v.len = c->base + c->pos - v.ptr;
			break;
		case BOOL:
			if (!bcs_bool(c, &flag))
				return false;
			v.len = 1;
			break;
		case ADDRESS:
			if (!bcs_skip(c, addr_len))
				return false;
			v.len = addr_len;
			break;
		default:
			v.len = size[tag];
			if (!bcs_skip(c, v.len))
				return false;
			break;
	}
	*value = v;
	return true;
}

bool
ff_txd_type_args(ff_txd *d, uint32_t *count, ff_span *span)
{
	size_t		start;

	if (!bcs_count(&d->c, MIN_TYPE_TAG, count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < *count; i++)
		if (!ff_skip_type_tag_era(&d->c, d->era))
			return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

bool
ff_txd_script(ff_txd *d, ff_tx *t)
{
	size_t		start;
	ff_span		value;

	if (!bcs_bytes(&d->c, &t->script_code) ||
		!ff_txd_type_args(d, &t->type_arg_count, &t->type_args) ||
		!bcs_count(&d->c, MIN_TX_ARGUMENT, &t->arg_count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < t->arg_count; i++)
		if (!ff_txd_script_arg(&d->c, d->era, &value))
			return false;
	t->args.ptr = d->c.base + start;
	t->args.len = d->c.pos - start;
	return true;
}

bool
ff_txd_entry_function(ff_txd *d, ff_tx *t)
{
	size_t		start;
	ff_span		arg;

	if (!ff_txd_read_address(d, &t->module_address) ||
		!bcs_identifier(&d->c, &t->module_name) ||
		!bcs_identifier(&d->c, &t->function_name) ||
		!ff_txd_type_args(d, &t->type_arg_count, &t->type_args) ||
		!bcs_count(&d->c, MIN_BYTES, &t->arg_count))
		return false;
	start = d->c.pos;
	for (uint32_t i = 0; i < t->arg_count; i++)
		if (!bcs_bytes(&d->c, &arg))
			return false;
	t->args.ptr = d->c.base + start;
	t->args.len = d->c.pos - start;
	return true;
}

/* ------------------------------------------------------------------------------------ */
/* user transactions, authenticators                                                     */

bool
ff_txd_signed_transaction(ff_txd *d, ff_tx *t, ff_txd_fn payload, ff_txd_fn authenticator)
{
	return ff_txd_read_address(d, &t->sender) &&
		bcs_u64(&d->c, &t->sequence_number) &&
		payload(d, t) &&
		bcs_u64(&d->c, &t->max_gas_amount) &&
		bcs_u64(&d->c, &t->gas_unit_price) &&
		(d->era == FF_ERA_V6 || bcs_string(&d->c, &t->gas_currency)) &&
		bcs_u64(&d->c, &t->expiration_timestamp_secs) &&
		bcs_u8(&d->c, &t->chain_id) &&
		authenticator(d, t);
}

bool
ff_txd_account_authenticator(ff_txd *d)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	if (tag <= 1)
		return ff_skip_ed25519_auth(&d->c, tag == 1);
	if (d->era == FF_ERA_V6)
		return ff_txd_fail_unsupported(d, tag_pos, tag,
									   "AccountAuthenticator variant not in the 0L fork");
	return ff_txd_fail_at(d, tag_pos, "unknown AccountAuthenticator variant");
}

bool
ff_txd_multi_agent_body(ff_txd *d)
{
	uint32_t	n;

	if (!ff_txd_account_authenticator(d) ||
		!bcs_count(&d->c, d->addr_len, &n) ||
		!bcs_skip(&d->c, (size_t) n * d->addr_len) ||
		!bcs_count(&d->c, MIN_ACCOUNT_AUTH, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!ff_txd_account_authenticator(d))
			return false;
	return true;
}

/* ------------------------------------------------------------------------------------ */
/* events, write-set payloads, abort locations                                           */

bool
ff_txd_events(ff_txd *d, uint32_t *count)
{
	size_t		base = d->c.pos;
	ff_event_iter it;
	ff_event	ev;
	ff_code		code;

	ff_event_iter_init_era(&it, ff_txd_rest(d), d->era);
	while ((code = ff_event_next(&it, &ev, d->st)) == FF_OK)
		;
	if (code != FF_EOF)
		return ff_txd_fail_nested(d, code, base);
	*count = it.count;
	return bcs_skip(&d->c, ff_event_iter_end(&it));
}

bool
ff_txd_write_set_payload(ff_txd *d, bool (*write_set) (ff_txd *, uint32_t *), uint32_t *writes)
{
	uint32_t	tag;
	size_t		tag_pos;
	uint32_t	events;
	ff_tx		scratch;

	*writes = 0;
	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	switch (tag)
	{
		case 0:				/* Direct(ChangeSet { write_set, events }) */
			return write_set(d, writes) && ff_txd_events(d, &events);
		case 1:				/* Script { execute_as, script } */
			memset(&scratch, 0, sizeof(scratch));
			return ff_txd_skip_address(d) && ff_txd_script(d, &scratch);
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown WriteSetPayload variant");
	}
}

bool
ff_txd_abort_location(ff_txd *d, ff_tx *t)
{
	uint32_t	tag;
	size_t		tag_pos;

	if (!ff_txd_read_variant(d, &tag, &tag_pos))
		return false;
	t->has_abort_location = true;
	switch (tag)
	{
		case 0:
			return ff_txd_read_address(d, &t->abort_module_address) &&
				bcs_identifier(&d->c, &t->abort_module_name);
		case 1:
			t->abort_in_script = true;
			return true;
		default:
			return ff_txd_fail_at(d, tag_pos, "unknown AbortLocation variant");
	}
}

/* ------------------------------------------------------------------------------------ */
/* the record                                                                            */

/* Run one tuple element's decoder and record the bytes it consumed. */
static bool
decode_element(ff_txd *d, const char *section, ff_span *span, ff_txd_fn fn, ff_tx *t)
{
	size_t		start = d->c.pos;

	d->section = section;
	if (!fn(d, t))
		return false;
	span->ptr = d->c.base + start;
	span->len = d->c.pos - start;
	return true;
}

static bool
decode_events_element(ff_txd *d, ff_tx *t)
{
	return ff_txd_events(d, &t->event_count);
}

/* The trailing-bytes check at the end of what was to be decoded. */
static bool
expect_end(ff_txd *d, const char *what)
{
	if (bcs_at_end(&d->c))
		return true;
	d->section = "record";
	return bcs_fail(&d->c, what);
}

ff_code
ff_txd_decode_record(const ff_txd_layout *layout, const uint8_t *rec, size_t len,
					 ff_tx *out, ff_status *st, int part)
{
	ff_txd		d = {
		.era = layout->era,
		.addr_len = ff_era_addr_len(layout->era),
		.section = "record",
		.unsupported = false,
		.unsupported_tag = 0,
		.st = st,
		.nested_code = FF_OK,
		.nested_offset = 0,
	};
	bool		ok;

	memset(out, 0, sizeof(*out));
	out->era = d.era;
	out->addr_len = d.addr_len;
	out->payload_kind = FF_PAYLOAD_NONE;
	out->authenticator = FF_AUTH_NONE;
	bcs_init(&d.c, rec, len);

	ok = decode_element(&d, "Transaction", &out->transaction, layout->transaction, out);
	if (ok && part == FF_TX_PART_TRANSACTION)
	{
		if (expect_end(&d, "trailing bytes after the Transaction"))
			return FF_OK;
		ok = false;
	}
	ok = ok && decode_element(&d, "TransactionInfo", &out->info, layout->info, out);
	if (ok)
	{
		out->rest = ff_txd_rest(&d);
		if (part != FF_TX_PART_RECORD)
			return FF_OK;
		if ((!layout->events ||
			 decode_element(&d, "events", &out->events, decode_events_element, out)) &&
			(layout->write_set == NULL ||
			 decode_element(&d, "WriteSet", &out->write_set, layout->write_set, out)) &&
			expect_end(&d, layout->trailing))
			return FF_OK;
	}

	if (d.nested_code != FF_OK)
	{
		char		what[sizeof(st->message)];

		memcpy(what, st->message, sizeof(what));
		st->offset = (int64_t) d.nested_offset;
		return ff_status_set(st, d.nested_code, "bad %s: %s", d.section, what);
	}
	st->offset = (int64_t) d.c.fail_pos;
	if (d.unsupported)
		return ff_status_set(st, FF_ERR_UNSUPPORTED, "bad %s: %s (tag %u)",
							 d.section, d.c.fail_what, d.unsupported_tag);
	return ff_status_set(st, FF_ERR_CORRUPT, "bad %s: %s", d.section,
						 d.c.fail_what ? d.c.fail_what : "decode failed");
}
