/*
 * legacy_state.h — the records of a v4/v5 state snapshot chunk: one (HashValue,
 * AccountStateBlob) per account (FORMAT-epochs-state-legacy.md §7), as zero-copy views:
 * the account's resources and modules (a canonical map access_key -> value), their type
 * names (BCS paths in v5, hashed keys named through a dictionary in v4), the account
 * address recovered from its (Libra|Diem)Account resource or the well-known addresses, and
 * the GAS balance.
 */
#ifndef FF_CHAIN_LEGACY_STATE_H
#define FF_CHAIN_LEGACY_STATE_H

#include "bcs/bcs.h"
#include "chain/era.h"
#include "chain/state.h"
#include "common/buf.h"
#include "common/status.h"

#define FF_V4_ACCESS_KEY_LEN 33

typedef struct ff_account_record
{
	ff_era		era;
	const uint8_t *key_hash;	/* 32 bytes: CryptoHash("AccountAddress", address) */
	ff_span		blob;			/* the map bytes (AccountStateBlob.blob) */
	uint32_t	resource_count;	/* entries of the map: resources and modules */
} ff_account_record;

/*
 * Decode one record (v4 or v5) with exact consumption of the record and of the blob; the
 * map keys must be strictly increasing (canonical BTreeMap) and each key valid for the era
 * (v4: 33 bytes, tag 0 or 1; v5: a Path consumed exactly). FF_ERR_CORRUPT with
 * st->offset (inside the record) and message; FF_ERR_INVALID for another era.
 */
ff_code		ff_account_record_decode(ff_era era, const uint8_t *rec, size_t len,
									 ff_account_record *out, ff_status *st);

typedef struct ff_account_resource
{
	uint32_t	index;			/* position in the map, from 0 */
	ff_span		access_key;
	ff_span		value;
	int			path_kind;		/* FF_PATH_CODE or FF_PATH_RESOURCE */
	ff_span		path_body;		/* v5: BCS of the StructTag or ModuleId after the Path tag;
								 * v4: the 32-byte hash */
} ff_account_resource;

typedef struct ff_account_iter
{
	ff_era		era;
	bcs_cursor	c;				/* over the blob */
	uint32_t	count;
	uint32_t	next;
	ff_span		prev_key;
} ff_account_iter;

void		ff_account_iter_init(ff_account_iter *it, const ff_account_record *r);

/* FF_OK with *res filled, FF_EOF after the last, FF_ERR_CORRUPT (offset inside the blob). */
ff_code		ff_account_next(ff_account_iter *it, ff_account_resource *res, ff_status *st);

/*
 * The type of a resource or module, appended to out: v5 renders the StructTag
 * ("0x1::DiemAccount::Balance<0x1::GAS::GAS>", short addresses as the v6 renderer) or the
 * module ("0x1::DiemAccount"); v4 looks the hash up in the dictionary. False (out
 * untouched) when unknown or out of memory.
 */
bool		ff_account_resource_name(ff_era era, const ff_account_resource *res, ff_buf *out);

/*
 * The account's address: the last 16 bytes of the sent_events EventKey of its
 * 0x1::LibraAccount::LibraAccount (v4) / 0x1::DiemAccount::DiemAccount (v5) resource, when
 * CryptoHash(domain, "AccountAddress", address) equals key_hash; otherwise one of the
 * well-known addresses whose hash matches (0x0, 0x1, 0xA550C18, 0xB1E55ED, 0xFEE, 0xDD);
 * false when neither.
 */
bool		ff_account_address(const ff_account_record *r, uint8_t addr[16]);

/*
 * The GAS balance: the value of 0x1::LibraAccount::Balance<0x1::GAS::GAS> (v4) /
 * 0x1::DiemAccount::Balance<0x1::GAS::GAS> (v5), an 8-byte u64 (6 decimals on chain).
 * False when the account has none or it is not 8 bytes.
 */
bool		ff_account_balance(const ff_account_record *r, uint64_t *balance);
bool		ff_account_resource_balance(ff_era era, const ff_account_resource *res,
										uint64_t *balance);

/* The v4 dictionary (v4_names.c): the name of a 33-byte access key, NULL if unknown. */
const char *ff_v4_type_name(const uint8_t access_key[FF_V4_ACCESS_KEY_LEN]);
size_t		ff_v4_dictionary_size(void);

#endif
