/*
 * tx_decoder.h — private to src/chain: the decoder state and the helpers shared by the
 * v6/v7 record decoder (transaction.c) and the v4/v5 one (legacy_tx.c), written once with
 * the era and the address length as parameters (tx_decoder.c). What differs by era stays
 * in its file: the Transaction, payload and authenticator variants, the TransactionInfo and
 * its status, block metadata, write sets and hashes. Not for other callers.
 */
#ifndef FF_CHAIN_TX_DECODER_H
#define FF_CHAIN_TX_DECODER_H

#include "chain/transaction.h"

typedef struct ff_txd ff_txd;

/* A decoder of one part of a record into the view. */
typedef bool (*ff_txd_fn) (ff_txd *d, ff_tx *t);

/* Decoder state: the cursor, which tuple element is being read, and why it stopped. */
struct ff_txd
{
	bcs_cursor	c;
	ff_era		era;			/* FF_ERA_V4, V5 or V6 */
	size_t		addr_len;		/* 16 (v4/v5) or 32 (v6) */
	const char *section;		/* "Transaction", "TransactionInfo", ... for messages */
	bool		unsupported;	/* failed on a variant the 0L fork does not have (v6) */
	uint32_t	unsupported_tag;
	ff_status  *st;				/* the caller's: the event and write-set parsers report here */
	ff_code		nested_code;	/* FF_OK, or how such a parser failed (message in st) */
	size_t		nested_offset;	/* where, in the record */
};

/* The shape of an era's record: its own decoders of the tuple elements. */
typedef struct ff_txd_layout
{
	ff_era		era;
	ff_txd_fn	transaction;	/* Transaction */
	ff_txd_fn	info;			/* TransactionInfo */
	bool		events;			/* a Vec<ContractEvent> follows the TransactionInfo */
	ff_txd_fn	write_set;		/* then this element ("WriteSet"), or NULL */
	const char *trailing;		/* the message for bytes after the last element */
} ff_txd_layout;

/* Fail at an earlier offset (the start of the value that turned out bad). */
static inline bool
ff_txd_fail_at(ff_txd *d, size_t pos, const char *what)
{
	return bcs_fail_at(&d->c, pos, what);
}

/* An enum variant index, with its offset for error reports. */
static inline bool
ff_txd_read_variant(ff_txd *d, uint32_t *tag, size_t *tag_pos)
{
	*tag_pos = d->c.pos;
	return bcs_len(&d->c, tag);
}

static inline bool
ff_txd_read_address(ff_txd *d, const uint8_t **out)
{
	return bcs_fixed(&d->c, d->addr_len, out);
}

static inline bool
ff_txd_skip_address(ff_txd *d)
{
	return bcs_skip(&d->c, d->addr_len);
}

/* The bytes from the cursor to the end of the record. */
static inline ff_span
ff_txd_rest(const ff_txd *d)
{
	ff_span		rest = {d->c.base + d->c.pos, d->c.len - d->c.pos};

	return rest;
}

/*
 * Fail on a variant tag that exists upstream but not in the 0L fork: reported at the
 * tag's offset and turned into FF_ERR_UNSUPPORTED.
 */
bool		ff_txd_fail_unsupported(ff_txd *d, size_t tag_pos, uint32_t tag, const char *what);

/*
 * The event or write-set parser, run over the bytes from `base` on, failed with code: keep
 * it (its message is in d->st) and move its offset into the record.
 */
bool		ff_txd_fail_nested(ff_txd *d, ff_code code, size_t base);

/*
 * One TransactionArgument of the era at the cursor (v6 §4.4: 0 U8 .. 4 U8Vector, 5 Bool,
 * 6 U16, 7 U32, 8 U256; v4/v5 §8.2: 0 U8 .. 4 U8Vector, 5 AddressVector, 6 Bool), bools
 * validated. *value: the bytes after the tag (U8Vector without its length, AddressVector
 * with its count). An unknown variant fails the cursor at the tag. Any era but v4/v5 reads
 * as v6.
 */
bool		ff_txd_script_arg(bcs_cursor *c, ff_era era, ff_span *value);

/* Vec<TypeTag> of the era: count, then each tag validated; span = the bytes after the count. */
bool		ff_txd_type_args(ff_txd *d, uint32_t *count, ff_span *span);

/* Script { code, ty_args, args: Vec<TransactionArgument> } into the payload fields of t. */
bool		ff_txd_script(ff_txd *d, ff_tx *t);

/*
 * v6 EntryFunction / v5 ScriptFunction { module: ModuleId, function, ty_args,
 * args: Vec<bytes> } into the payload fields of t.
 */
bool		ff_txd_entry_function(ff_txd *d, ff_tx *t);

/*
 * SignedTransaction = RawTransaction + TransactionAuthenticator, with the era's payload and
 * authenticator decoders; v4/v5 RawTransaction has gas_currency_code after gas_unit_price.
 */
bool		ff_txd_signed_transaction(ff_txd *d, ff_tx *t, ff_txd_fn payload,
									  ff_txd_fn authenticator);

/*
 * AccountAuthenticator: 0 Ed25519, 1 MultiEd25519; another tag is FF_ERR_UNSUPPORTED in v6
 * (a variant the 0L fork lacks), corrupt before.
 */
bool		ff_txd_account_authenticator(ff_txd *d);

/* sender, secondary_signer_addresses, secondary_signers (MultiAgent and v6 FeePayer). */
bool		ff_txd_multi_agent_body(ff_txd *d);

/* Vec<ContractEvent> of the era at the cursor, validated by the event iterator. */
bool		ff_txd_events(ff_txd *d, uint32_t *count);

/*
 * WriteSetPayload: 0 Direct(ChangeSet { write_set, events }), the write set read by the
 * era's write_set (which sets *writes), 1 Script { execute_as, script }, validated but not
 * kept. *writes is 0 unless Direct.
 */
bool		ff_txd_write_set_payload(ff_txd *d, bool (*write_set) (ff_txd *, uint32_t *),
									 uint32_t *writes);

/* AbortLocation: 0 Module(ModuleId), 1 Script. */
bool		ff_txd_abort_location(ff_txd *d, ff_tx *t);

/*
 * Decode a record of the layout's era into out (part: FF_TX_PART_*): the Transaction (a
 * bare one, consumed exactly, for FF_TX_PART_TRANSACTION), the TransactionInfo, then for
 * FF_TX_PART_RECORD the events and write set the layout has, with exact consumption.
 * Failures as documented for ff_tx_decode.
 */
ff_code		ff_txd_decode_record(const ff_txd_layout *layout, const uint8_t *rec, size_t len,
								 ff_tx *out, ff_status *st, int part);

#endif
