/*
 * json_rescue.h — the v5 "JSON rescue" dumps: a JSON array of v5 JSON-RPC TransactionView
 * objects ({version, timestamp_usecs, transaction{type, ...}, hash, bytes, events[...],
 * vm_status{type, ...}, gas_used}) whose "bytes" hold the BCS of each v5 Transaction.
 * The reader checks every element (types, hex, the transaction hash recomputed from the
 * bytes, event versions) and hands out one element at a time. json-c stays inside the .c.
 */
#ifndef FF_ARCHIVE_JSON_RESCUE_H
#define FF_ARCHIVE_JSON_RESCUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "io/stream.h"

typedef struct ff_rescue_event
{
	uint32_t	index;			/* position in the transaction */
	uint8_t		key[24];		/* EventKey bytes */
	uint64_t	creation_number;	/* from key[0..8] LE */
	const uint8_t *account;		/* key + 8, 16 bytes */
	uint64_t	sequence_number;
	const char *data_type;		/* data.type, e.g. "sentpayment" */

	/*
	 * The Move event struct behind the view type, from the v5 JSON-RPC view code
	 * (json-rpc/types/src/views.rs, TryFrom<ContractEvent> for EventDataView) and the
	 * MODULE_NAME/STRUCT_NAME of each event type in types/src/account_config/events:
	 * receivedpayment, sentpayment, createaccount, admintransaction -> 0x1::DiemAccount::..,
	 * mint, burn -> 0x1::Diem::.., receivedmint -> 0x1::DesignatedDealer::ReceivedMintEvent,
	 * compliancekeyrotation -> 0x1::DualAttestation::ComplianceKeyRotationEvent, newblock ->
	 * 0x1::DiemBlock::NewBlockEvent, newepoch -> 0x1::DiemConfig::NewEpochEvent.
	 * NULL for every other view type (including "unknown").
	 */
	const char *move_type;
	const char *data_json;		/* the data object as compact JSON text */

	/*
	 * data.amount.amount of the views that carry an AmountView (sentpayment,
	 * receivedpayment, mint, burn, cancelburn, preburn, receivedmint); required there.
	 */
	bool		has_amount;
	uint64_t	amount;
} ff_rescue_event;

typedef struct ff_rescue_tx
{
	uint32_t	index;			/* element index in the file */
	uint64_t	version;
	uint64_t	timestamp_usecs;
	uint8_t		hash[32];		/* "hash", checked against the recomputed hash of bytes */
	const uint8_t *bytes;		/* BCS of the v5 Transaction */
	size_t		len;
	const char *view_type;		/* transaction.type */
	const char *vm_status_type; /* vm_status.type, e.g. "executed", "move_abort" */
	const char *vm_status_json; /* vm_status as compact JSON */
	bool		has_abort_code; /* vm_status move_abort: abort_code (required there) */
	uint64_t	abort_code;
	const char *abort_location; /* vm_status "location" when present (move_abort,
								 * execution_failure); NULL otherwise */
	uint64_t	gas_used;
	ff_rescue_event *events;
	uint32_t	n_events;
} ff_rescue_tx;

typedef struct ff_rescue_reader ff_rescue_reader;

/*
 * Read the whole stream (at most max_bytes: FF_ERR_LIMIT past it, the code
 * ff_stream_read_all uses) and check that it is one JSON array (FF_ERR_CORRUPT otherwise,
 * with the byte offset). Every element is parsed once here to find its extent; the stream
 * is not closed. On failure *out is NULL.
 */
ff_code		ff_rescue_open(ff_stream *in, size_t max_bytes, ff_rescue_reader **out, ff_status *st);

/* ff_rescue_open looking at cancel (NULL: never) before each element while it indexes the array. */
ff_code		ff_rescue_open_cancel(ff_stream *in, size_t max_bytes, ff_cancel_fn cancel,
								  ff_rescue_reader **out, ff_status *st);

/* Number of elements. */
size_t		ff_rescue_count(const ff_rescue_reader *r);

/*
 * The next element, valid until the next call (or close): FF_OK, FF_EOF after the last,
 * FF_ERR_CORRUPT with a message naming the element index and version and st->record /
 * st->offset set to the element index and its byte offset (missing or mistyped field, bad
 * hex, negative or non-integer numbers, a hash that does not match the recomputed
 * ("DIEM::", "Transaction") hash of bytes, an event of another transaction_version).
 * After an error the reader moves on to the following element.
 */
ff_code		ff_rescue_next(ff_rescue_reader *r, ff_rescue_tx *out, ff_status *st);

void		ff_rescue_close(ff_rescue_reader *r);

/*
 * Does a key's base name look like a JSON rescue file: "<something>.json" (exact,
 * lowercase suffix; ".json" alone and compressed names such as "x.json.gz" do not)?
 * When it does and is named "<first>-<last>.json" (decimal u64, first <= last) the range
 * goes to *first and *last; any other .json name gives the unknown range 0..UINT64_MAX.
 * first and last may be NULL.
 */
bool		ff_rescue_name_range(const char *base_name, uint64_t *first, uint64_t *last);

#endif
