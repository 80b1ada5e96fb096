/*
 * ledger_info.c — decoder of one epoch-ending record, the LedgerInfoWithSignatures of
 * v6/v7 (FORMAT-epochs-state-legacy.md §4.1: BlockInfo with the next epoch's validator set
 * (BLS keys of 48 bytes), consensus data hash and aggregate signature (96 bytes)) or of
 * v4/v5 (§4.2: 16-byte addresses, prefixed HashValues, Ed25519 keys, stored quorum and
 * total voting power, a map of signatures), consumed exactly; its waypoint (§4.3), hashed
 * from slices of the record; the era of a record; and the state.proof of a snapshot (§5).
 */
#include "chain/ledger_info.h"

#include <string.h>

#include "chain/hash.h"
#include "chain/transaction.h"

#define LEGACY_ADDR_LEN 16
#define ED25519_PUBLIC_KEY_LEN 32
#define ED25519_SIGNATURE_LEN 64
/* address, uleb(32), key, voting power */
#define LEGACY_VALIDATOR_ENTRY_LEN (LEGACY_ADDR_LEN + 1 + ED25519_PUBLIC_KEY_LEN + 8)
/* address, uleb(64), signature */
#define LEGACY_SIGNATURE_ENTRY_LEN (LEGACY_ADDR_LEN + 1 + ED25519_SIGNATURE_LEN)

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

static bool read_block_info(bcs_cursor *c, ff_ledger_info *li);

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

/* The result of a decoder: the whole record as out->bcs, or the cursor's failure. */
static ff_code
finish(const bcs_cursor *c, const uint8_t *rec, size_t len, ff_ledger_info *out, ff_status *st)
{
	if (!c->failed)
	{
		out->bcs.ptr = rec;
		out->bcs.len = len;
		return FF_OK;
	}
	st->offset = (int64_t) c->fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "bad LedgerInfoWithSignatures: %s",
						 c->fail_what ? c->fail_what : "decode failed");
}

ff_code
ff_ledger_info_decode(const uint8_t *rec, size_t len, ff_ledger_info *out, ff_status *st)
{
	bcs_cursor	c;
	uint32_t	tag;

	memset(out, 0, sizeof(*out));
	out->era = FF_ERA_V6;
	out->addr_len = ADDR_LEN;
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
	return finish(&c, rec, len, out, st);
}

bool
ff_ledger_info_next_validator(const ff_ledger_info *li, size_t *state, ff_validator *v)
{
	bcs_cursor	c;
	size_t		addr_len = li->addr_len ? li->addr_len : ADDR_LEN;

	if (li->validators.ptr == NULL || *state >= li->validators.len)
		return false;
	bcs_init(&c, li->validators.ptr, li->validators.len);
	c.pos = *state;
	if (!bcs_fixed(&c, addr_len, &v->address) ||
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

/* ------------------------------------------------------------------------------------ */
/* v4/v5 (§4.2)                                                                          */

/* A v4/v5 HashValue: serde_bytes, uleb(32) then 32 bytes; *out the 32 bytes. */
static bool
read_legacy_hash(bcs_cursor *c, const uint8_t **out)
{
	ff_span		h;

	if (!read_sized_bytes(c, HASH_LEN, "HashValue is not 32 bytes", &h))
		return false;
	*out = h.ptr;
	return true;
}

/* A key of a BTreeMap<AccountAddress, _>: strictly after the previous one. */
static bool
read_map_address(bcs_cursor *c, const uint8_t **prev, const char *what)
{
	size_t		pos = c->pos;
	const uint8_t *addr;

	if (!bcs_fixed(c, LEGACY_ADDR_LEN, &addr))
		return false;
	if (*prev && memcmp(*prev, addr, LEGACY_ADDR_LEN) >= 0)
		return bcs_fail_at(c, pos, what);
	*prev = addr;
	return true;
}

/*
 * EpochState { epoch, ValidatorVerifier { address_to_validator_info: BTreeMap<addr,
 * { public_key, voting_power }>, quorum_voting_power, total_voting_power } }
 */
static bool
read_legacy_epoch_state(bcs_cursor *c, ff_ledger_info *li)
{
	size_t		start;
	const uint8_t *prev = NULL;

	if (!bcs_u64(c, &li->next_epoch) ||
		!bcs_count(c, LEGACY_VALIDATOR_ENTRY_LEN, &li->validator_count))
		return false;
	start = c->pos;
	for (uint32_t i = 0; i < li->validator_count; i++)
	{
		ff_span		key;
		uint64_t	power;

		if (!read_map_address(c, &prev, "validator addresses not in strictly increasing order") ||
			!read_sized_bytes(c, ED25519_PUBLIC_KEY_LEN, "validator public key is not 32 bytes", &key) ||
			!bcs_u64(c, &power))
			return false;
	}
	li->validators = span_between(c, start, c->pos);
	li->has_quorum = true;
	return bcs_u64(c, &li->quorum_voting_power) && bcs_u64(c, &li->total_voting_power);
}

/* signatures: BTreeMap<AccountAddress, Ed25519Signature> */
static bool
read_legacy_signatures(bcs_cursor *c, ff_ledger_info *li)
{
	size_t		start;
	const uint8_t *prev = NULL;

	if (!bcs_count(c, LEGACY_SIGNATURE_ENTRY_LEN, &li->signer_count))
		return false;
	start = c->pos;
	for (uint32_t i = 0; i < li->signer_count; i++)
	{
		ff_span		sig;

		if (!read_map_address(c, &prev, "signer addresses not in strictly increasing order") ||
			!read_sized_bytes(c, ED25519_SIGNATURE_LEN, "signature is not 64 bytes", &sig))
			return false;
	}
	li->signatures = span_between(c, start, c->pos);
	return true;
}

/* ------------------------------------------------------------------------------------ */
/* both layouts                                                                           */

/* A HashValue of the era: 32 raw bytes (v6/v7) or uleb(32) + 32 bytes (v4/v5). */
static bool
read_era_hash(bcs_cursor *c, ff_era era, const uint8_t **out)
{
	return era == FF_ERA_V6 ? bcs_fixed(c, HASH_LEN, out) : read_legacy_hash(c, out);
}

/*
 * BlockInfo (§4.1; v4/v5 §4.2 with prefixed hashes and their EpochState), noting the
 * slices the waypoint hashes. li->era says the layout.
 */
static bool
read_block_info(bcs_cursor *c, ff_ledger_info *li)
{
	size_t		pos = c->pos;

	if (!bcs_u64(c, &li->epoch))
		return false;
	li->wp_epoch = span_between(c, pos, c->pos);
	if (!bcs_u64(c, &li->round) || !read_era_hash(c, li->era, &li->block_id))
		return false;
	pos = c->pos;
	if (!read_era_hash(c, li->era, &li->executed_state_id))
		return false;
	li->wp_root = span_between(c, pos, c->pos);
	pos = c->pos;
	if (!bcs_u64(c, &li->version) || !bcs_u64(c, &li->timestamp_usecs))
		return false;
	li->wp_version_time = span_between(c, pos, c->pos);
	pos = c->pos;
	if (!bcs_option(c, &li->has_next_epoch_state))
		return false;
	if (li->has_next_epoch_state &&
		!(li->era == FF_ERA_V6 ? read_epoch_state(c, li) : read_legacy_epoch_state(c, li)))
		return false;
	li->wp_next_state = span_between(c, pos, c->pos);
	return true;
}

/* The v4/v5 layout at the cursor, up to the end of the signatures. */
static bool
read_legacy(bcs_cursor *c, ff_ledger_info *li)
{
	uint32_t	tag;

	if (!bcs_len(c, &tag))
		return false;
	if (tag != 0)
		return bcs_fail_at(c, 0, "unknown LedgerInfoWithSignatures variant");
	return read_block_info(c, li) &&
		read_legacy_hash(c, &li->consensus_data_hash) &&
		read_legacy_signatures(c, li);
}

ff_code
ff_ledger_info_decode_era(ff_era era, const uint8_t *rec, size_t len, ff_ledger_info *out,
						  ff_status *st)
{
	bcs_cursor	c;

	if (era == FF_ERA_V6)
		return ff_ledger_info_decode(rec, len, out, st);
	memset(out, 0, sizeof(*out));
	if (era != FF_ERA_V4 && era != FF_ERA_V5)
		return ff_status_set(st, FF_ERR_INVALID, "no LedgerInfoWithSignatures layout for era %s",
							 ff_era_name(era));
	out->era = era;
	out->addr_len = LEGACY_ADDR_LEN;
	bcs_init(&c, rec, len);
	if (read_legacy(&c, out) && !bcs_at_end(&c))
		bcs_fail(&c, "trailing bytes after the LedgerInfoWithSignatures");
	return finish(&c, rec, len, out, st);
}

ff_era
ff_ledger_info_detect_era(const uint8_t *rec, size_t len, const uint8_t *waypoint)
{
	ff_ledger_info li;
	ff_status	st;
	uint8_t		wp[HASH_LEN];

	ff_status_clear(&st);
	if (ff_ledger_info_decode(rec, len, &li, &st) == FF_OK)
		return FF_ERA_V6;
	if (waypoint == NULL || ff_ledger_info_decode_era(FF_ERA_V4, rec, len, &li, &st) != FF_OK)
		return FF_ERA_UNKNOWN;
	ff_ledger_info_waypoint(&li, ff_era_domain(FF_ERA_V4), wp);
	if (memcmp(wp, waypoint, HASH_LEN) == 0)
		return FF_ERA_V4;
	ff_ledger_info_waypoint(&li, ff_era_domain(FF_ERA_V5), wp);
	if (memcmp(wp, waypoint, HASH_LEN) == 0)
		return FF_ERA_V5;
	return FF_ERA_UNKNOWN;
}

/* ------------------------------------------------------------------------------------ */
/* state.proof (§5)                                                                      */

/* AbortLocation: 0 Module(ModuleId { address, name }), 1 Script. */
static bool
skip_abort_location(bcs_cursor *c, size_t addr_len)
{
	size_t		pos = c->pos;
	uint32_t	tag;
	const uint8_t *addr;
	ff_span		name;

	if (!bcs_len(c, &tag))
		return false;
	if (tag == 1)
		return true;
	if (tag != 0)
		return bcs_fail_at(c, pos, "unknown AbortLocation variant");
	return bcs_fixed(c, addr_len, &addr) && bcs_identifier(c, &name);
}

/*
 * The status of a TransactionInfo. v4/v5 KeptVMStatus: 0 Executed, 1 OutOfGas,
 * 2 MoveAbort(location, code), 3 ExecutionFailure { location, function u16, code_offset u16 },
 * 4 MiscellaneousError. v6/v7 ExecutionStatus: the same tags, MoveAbort also has
 * Option<AbortInfo { reason_name, description }>, MiscellaneousError(Option<u64>).
 */
static bool
skip_status(bcs_cursor *c, ff_era era)
{
	size_t		pos = c->pos;
	size_t		addr_len = ff_era_addr_len(era);
	uint32_t	tag;
	uint64_t	code;
	uint16_t	u16;
	bool		present;
	ff_span		text;

	if (!bcs_len(c, &tag))
		return false;
	switch (tag)
	{
		case 0:
		case 1:
			return true;
		case 2:
			if (!skip_abort_location(c, addr_len) || !bcs_u64(c, &code))
				return false;
			if (era != FF_ERA_V6)
				return true;
			if (!bcs_option(c, &present))
				return false;
			return !present || (bcs_string(c, &text) && bcs_string(c, &text));
		case 3:
			return skip_abort_location(c, addr_len) && bcs_u16(c, &u16) && bcs_u16(c, &u16);
		case 4:
			if (era != FF_ERA_V6)
				return true;
			if (!bcs_option(c, &present))
				return false;
			return !present || bcs_u64(c, &code);
		default:
			return bcs_fail_at(c, pos, era == FF_ERA_V6 ? "unknown ExecutionStatus variant" :
							   "unknown KeptVMStatus variant");
	}
}

/*
 * TransactionInfoWithProof { ledger_info_to_transaction_info_proof: AccumulatorProof
 * { siblings: Vec<HashValue> }, transaction_info }; *root the state root of the era.
 */
static bool
read_transaction_info_with_proof(bcs_cursor *c, ff_era era, const uint8_t **root)
{
	uint32_t	n;
	const uint8_t *h;
	uint64_t	gas_used;
	size_t		pos;
	uint32_t	tag;
	bool		present;

	*root = NULL;
	if (!bcs_count(c, era == FF_ERA_V6 ? HASH_LEN : HASH_LEN + 1, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!read_era_hash(c, era, &h))
			return false;
	if (era != FF_ERA_V6)
		/* transaction_hash, state_root_hash, event_root_hash, gas_used, status */
		return read_legacy_hash(c, &h) && read_legacy_hash(c, root) &&
			read_legacy_hash(c, &h) && bcs_u64(c, &gas_used) && skip_status(c, era);
	/* V0 { gas_used, status, transaction_hash, event_root_hash, state_change_hash,
	 * state_checkpoint_hash: Option, state_cemetery_hash: Option } */
	pos = c->pos;
	if (!bcs_len(c, &tag))
		return false;
	if (tag != 0)
		return bcs_fail_at(c, pos, "unknown TransactionInfo variant");
	if (!bcs_u64(c, &gas_used) || !skip_status(c, era) ||
		!bcs_fixed(c, HASH_LEN, &h) || !bcs_fixed(c, HASH_LEN, &h) || !bcs_fixed(c, HASH_LEN, &h) ||
		!bcs_option(c, &present) || (present && !bcs_fixed(c, HASH_LEN, root)) ||
		!bcs_option(c, &present))
		return false;
	return !present || bcs_fixed(c, HASH_LEN, &h);
}

ff_code
ff_state_proof_decode(ff_era era, const uint8_t *buf, size_t len, ff_ledger_info *li,
					  const uint8_t **root_hash, ff_status *st)
{
	bcs_cursor	c;
	ff_code		code;

	*root_hash = NULL;
	if (era != FF_ERA_V4 && era != FF_ERA_V5 && era != FF_ERA_V6)
		return ff_status_set(st, FF_ERR_INVALID, "no state.proof layout for era %s",
							 ff_era_name(era));
	bcs_init(&c, buf, len);
	if (!read_transaction_info_with_proof(&c, era, root_hash))
	{
		*root_hash = NULL;
		st->offset = (int64_t) c.fail_pos;
		return ff_status_set(st, FF_ERR_CORRUPT, "bad TransactionInfoWithProof in state.proof: %s",
							 c.fail_what ? c.fail_what : "decode failed");
	}
	code = ff_ledger_info_decode_era(era, buf + c.pos, len - c.pos, li, st);
	if (code != FF_OK)
	{
		*root_hash = NULL;
		if (st->offset >= 0)
			st->offset += (int64_t) c.pos;
	}
	return code;
}
