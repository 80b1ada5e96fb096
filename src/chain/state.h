/*
 * state.h — state keys and values of v6/v7: the write set of a transaction record
 * (WriteSet::V0, a canonical map StateKey -> WriteOp; FORMAT-transactions-v6v7.md §4.12) and
 * the records of a state snapshot chunk ((StateKey, StateValue);
 * FORMAT-epochs-state-legacy.md §6), as zero-copy views, plus the well-known resource values
 * that carry a balance (0x1::coin::CoinStore<T>, with or without the `frozen` field).
 */
#ifndef FF_CHAIN_STATE_H
#define FF_CHAIN_STATE_H

#include "bcs/bcs.h"
#include "common/buf.h"
#include "common/status.h"

typedef enum ff_key_kind
{
	FF_KEY_ACCESS_PATH = 0,
	FF_KEY_TABLE_ITEM = 1,
	FF_KEY_RAW = 2
} ff_key_kind;

typedef enum ff_path_kind
{
	FF_PATH_NONE = -1,			/* not an access path */
	FF_PATH_CODE = 0,			/* Path::Code(ModuleId) */
	FF_PATH_RESOURCE = 1,		/* Path::Resource(StructTag) */
	FF_PATH_RESOURCE_GROUP = 2	/* Path::ResourceGroup(StructTag) */
} ff_path_kind;

/* One StateKey, as views into the record. */
typedef struct ff_state_key
{
	ff_key_kind kind;
	ff_span		bcs;			/* the whole StateKey, variant tag included */
	/* AccessPath */
	const uint8_t *address;		/* 32 bytes; NULL for other kinds */
	ff_path_kind path_kind;
	ff_span		path_body;		/* Code: BCS of the ModuleId; Resource(Group): BCS of the StructTag */
	/* TableItem */
	const uint8_t *table_handle;	/* 32 bytes; NULL for other kinds */
	ff_span		table_key;
	/* Raw */
	ff_span		raw;
} ff_state_key;

/* StateValueMetadata::V0 (on *WithMetadata write ops and StateValue::WithMetadata). */
typedef struct ff_state_metadata
{
	bool		present;
	const uint8_t *payer;		/* 32 bytes */
	uint64_t	deposit;
	uint64_t	creation_time_usecs;
} ff_state_metadata;

typedef enum ff_write_op_kind
{
	FF_OP_CREATE = 0,			/* Creation, CreationWithMetadata */
	FF_OP_MODIFY = 1,			/* Modification, ModificationWithMetadata */
	FF_OP_DELETE = 2			/* Deletion, DeletionWithMetadata */
} ff_write_op_kind;

/* One write-set entry. */
typedef struct ff_write
{
	uint32_t	index;			/* position in the write set, from 0 */
	ff_state_key key;
	uint32_t	op_tag;			/* WriteOp variant tag 0..5 as stored */
	ff_write_op_kind op;
	ff_span		op_bcs;			/* the whole WriteOp, variant tag included */
	bool		has_value;		/* false for deletions */
	ff_span		value;			/* the value bytes (without their length prefix) */
	ff_state_metadata metadata;
} ff_write;

/*
 * Iterator over a WriteSet: `write_set` starts at the WriteSet variant tag. Keys are checked
 * to be in strictly increasing byte order (a canonical BTreeMap). It may extend past the
 * write set; ff_write_iter_end() tells the bytes used.
 */
typedef struct ff_write_iter
{
	bcs_cursor	c;
	uint32_t	count;
	uint32_t	next;
	bool		started;
	ff_span		prev_key;
} ff_write_iter;

void		ff_write_iter_init(ff_write_iter *it, ff_span write_set);

/* FF_OK with *w filled, FF_EOF after the last, FF_ERR_CORRUPT with st->offset/message. */
ff_code		ff_write_next(ff_write_iter *it, ff_write *w, ff_status *st);
size_t		ff_write_iter_end(const ff_write_iter *it);

/* One record of a v6/v7 state snapshot chunk: StateKey || StateValue, exactly. */
typedef struct ff_state_item
{
	ff_state_key key;
	ff_span		value;
	ff_state_metadata metadata;	/* StateValue::WithMetadata */
} ff_state_item;

ff_code		ff_state_item_decode(const uint8_t *rec, size_t len, ff_state_item *out,
								 ff_status *st);

/* Read/validate one StateKey at the cursor (shared by the write set and snapshot decoders). */
bool		ff_state_key_read(bcs_cursor *c, ff_state_key *out);

/*
 * The "resource" column: the struct tag of a Resource/ResourceGroup path
 * ("0x1::coin::CoinStore<0x1::gas_coin::GasCoin>"), the module of a Code path
 * ("0x1::coin"); false (out untouched) for keys that are not access paths, or out of memory.
 */
bool		ff_state_key_resource(const ff_state_key *k, ff_buf *out);

/* "access_path", "table_item", "raw" / "code", "resource", "resource_group" / "create", ... */
const char *ff_key_kind_name(ff_key_kind k);
const char *ff_path_kind_name(ff_path_kind k);	/* NULL for FF_PATH_NONE */
const char *ff_write_op_kind_name(ff_write_op_kind k);

/*
 * The balance held by a resource value: true when the key is a Resource path of type
 * 0x1::coin::CoinStore<T> (any T) and the value decodes exactly as a CoinStore (104 bytes,
 * mainnet layout, or 105 bytes with the `frozen` flag, test-chain layout): *balance is
 * coin.value, the raw u64 (6 decimals on chain).
 */
bool		ff_coin_store_balance(const ff_state_key *k, ff_span value, uint64_t *balance);

#endif
