/*
 * ledger_info.c — decoder of one epoch-ending record, the v6/v7 LedgerInfoWithSignatures
 * (FORMAT-epochs-state-legacy.md §4.1): BlockInfo with the next epoch's validator set
 * (BLS keys of 48 bytes), consensus data hash and aggregate signature (96 bytes), consumed
 * exactly; and its waypoint (§4.3), hashed from slices of the record.
 */
#include "chain/ledger_info.h"

#include <string.h>

#include "chain/hash.h"
#include "chain/transaction.h"

#define ADDR_LEN FF_ADDR_LEN_V6
#define HASH_LEN FF_HASH_LEN
#define BLS_PUBLIC_KEY_LEN 48
#define BLS_SIGNATURE_LEN 96
/* address, uleb(48), key, voting power */
#define VALIDATOR_ENTRY_LEN (ADDR_LEN + 1 + BLS_PUBLIC_KEY_LEN + 8)

/* The bytes between two cursor offsets. */
static ff_span
span_between(const bcs_cursor *c, size_t from, size_t to)
{
	ff_span		s = {c->base + from, to - from};

	return s;
}

/* A serde_bytes key or signature of a fixed length. */
static bool
read_sized_bytes(bcs_cursor *c, size_t want, const char *what, ff_span *out)
{
	size_t		pos = c->pos;

	if (!bcs_bytes(c, out))
		return false;
	if (out->len != want)
		return bcs_fail_at(c, pos, what);
	return true;
}

/* EpochState { epoch, ValidatorVerifier { validator_infos: Vec<ValidatorConsensusInfo> } } */
static bool
read_epoch_state(bcs_cursor *c, ff_ledger_info *li)
{
	size_t		start;

	if (!bcs_u64(c, &li->next_epoch) ||
		!bcs_count(c, VALIDATOR_ENTRY_LEN, &li->validator_count))
		return false;
	start = c->pos;
	for (uint32_t i = 0; i < li->validator_count; i++)
	{
		const uint8_t *addr;
		ff_span		key;
		uint64_t	power;

		if (!bcs_fixed(c, ADDR_LEN, &addr) ||
			!read_sized_bytes(c, BLS_PUBLIC_KEY_LEN, "validator public key is not 48 bytes", &key) ||
			!bcs_u64(c, &power))
			return false;
		li->total_voting_power = power > UINT64_MAX - li->total_voting_power ?
			UINT64_MAX : li->total_voting_power + power;
	}
	li->validators = span_between(c, start, c->pos);
	return true;
}

static uint32_t
popcount_bytes(ff_span s)
{
	uint32_t	n = 0;

	for (size_t i = 0; i < s.len; i++)
		n += (uint32_t) __builtin_popcount(s.ptr[i]);
	return n;
}

/* BlockInfo (§4.1), noting the slices the waypoint hashes. */
static bool
read_block_info(bcs_cursor *c, ff_ledger_info *li)
{
	size_t		pos = c->pos;

	if (!bcs_u64(c, &li->epoch))
		return false;
	li->wp_epoch = span_between(c, pos, c->pos);
	if (!bcs_u64(c, &li->round) ||
		!bcs_fixed(c, HASH_LEN, &li->block_id))
		return false;
	pos = c->pos;
	if (!bcs_fixed(c, HASH_LEN, &li->executed_state_id))
		return false;
	li->wp_root = span_between(c, pos, c->pos);
	pos = c->pos;
	if (!bcs_u64(c, &li->version) || !bcs_u64(c, &li->timestamp_usecs))
		return false;
	li->wp_version_time = span_between(c, pos, c->pos);
	pos = c->pos;
	if (!bcs_option(c, &li->has_next_epoch_state) ||
		(li->has_next_epoch_state && !read_epoch_state(c, li)))
		return false;
	li->wp_next_state = span_between(c, pos, c->pos);
	return true;
}

/* AggregateSignature { validator_bitmask: BitVec { inner: bytes }, sig: Option<bytes(96)> } */
static bool
read_aggregate_signature(bcs_cursor *c, ff_ledger_info *li)
{
	if (!bcs_bytes(c, &li->signer_bitmask) || !bcs_option(c, &li->has_signature))
		return false;
	li->signer_count = popcount_bytes(li->signer_bitmask);
	return !li->has_signature ||
		read_sized_bytes(c, BLS_SIGNATURE_LEN, "aggregate signature is not 96 bytes",
						 &li->signature);
}

ff_code
ff_ledger_info_decode(const uint8_t *rec, size_t len, ff_ledger_info *out, ff_status *st)
{
	bcs_cursor	c;
	uint32_t	tag;

	memset(out, 0, sizeof(*out));
	bcs_init(&c, rec, len);
	if (bcs_len(&c, &tag))
	{
		if (tag != 0)
			bcs_fail_at(&c, 0, "unknown LedgerInfoWithSignatures variant");
		else if (read_block_info(&c, out) &&
				 bcs_fixed(&c, HASH_LEN, &out->consensus_data_hash) &&
				 read_aggregate_signature(&c, out) &&
				 !bcs_at_end(&c))
			bcs_fail(&c, "trailing bytes after the LedgerInfoWithSignatures");
	}
	if (!c.failed)
	{
		out->bcs.ptr = rec;
		out->bcs.len = len;
		return FF_OK;
	}
	st->offset = (int64_t) c.fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "bad LedgerInfoWithSignatures: %s",
						 c.fail_what ? c.fail_what : "decode failed");
}

bool
ff_ledger_info_next_validator(const ff_ledger_info *li, size_t *state, ff_validator *v)
{
	bcs_cursor	c;

	if (li->validators.ptr == NULL || *state >= li->validators.len)
		return false;
	bcs_init(&c, li->validators.ptr, li->validators.len);
	c.pos = *state;
	if (!bcs_fixed(&c, ADDR_LEN, &v->address) ||
		!bcs_bytes(&c, &v->public_key) ||
		!bcs_u64(&c, &v->voting_power))
		return false;
	*state = c.pos;
	return true;
}

void
ff_ledger_info_waypoint(const ff_ledger_info *li, const char *domain, uint8_t out[32])
{
	uint8_t		seed[HASH_LEN];
	const uint8_t *parts[] = {li->wp_epoch.ptr, li->wp_root.ptr, li->wp_version_time.ptr,
		li->wp_next_state.ptr};
	size_t		lens[] = {li->wp_epoch.len, li->wp_root.len, li->wp_version_time.len,
		li->wp_next_state.len};

	ff_hash_seed(domain, "Ledger2WaypointConverter", seed);
	ff_hash_with_seed_parts(seed, parts, lens, 4, out);
}
