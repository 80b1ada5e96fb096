/*
 * legacy_state.c — decoder of the records of a v4/v5 state snapshot chunk
 * (FORMAT-epochs-state-legacy.md §7): (HashValue, AccountStateBlob { blob: bytes }), the
 * blob a canonical BTreeMap<access_key, value> consumed exactly; v5 keys are BCS Paths
 * (16-byte addresses, TypeTag variants 0..7) validated exactly, v4 keys are 33-byte
 * tag || hash. Also the type names, the account address (from the sent_events EventKey of
 * the account resource, checked against the key hash, or a well-known address) and the
 * GAS balance (§7.2, §7.3).
 */
#include "chain/legacy_state.h"

#include <string.h>

#include "chain/hash.h"
#include "chain/render.h"

#define ADDR_LEN 16
#define HASH_LEN FF_HASH_LEN
#define EVENT_KEY_LEN (8 + ADDR_LEN)
/* the shortest map entry: an empty key and an empty value */
#define MIN_ENTRY_LEN 2
/* a bound for the BCS of the StructTags this file builds */
#define TAG_BCS_MAX 128

/* ------------------------------------------------------------------------------------ */
/* v5 paths                                                                              */

static bool walk_struct_tag(bcs_cursor *c, int depth);

/* A v4/v5 TypeTag: 0 bool .. 5 signer, 6 vector(T), 7 struct(StructTag); no u16/u32/u256. */
static bool
walk_type_tag(bcs_cursor *c, int depth)
{
	size_t		pos = c->pos;
	uint32_t	tag;

	if (!bcs_len(c, &tag))
		return false;
	if (tag <= 5)
		return true;
	if (tag > 7)
		return bcs_fail_at(c, pos, "TypeTag variant not in v4/v5");
	if (depth >= FF_TYPE_TAG_MAX_DEPTH)
		return bcs_fail_at(c, pos, "type tag nested too deeply");
	return tag == 6 ? walk_type_tag(c, depth + 1) : walk_struct_tag(c, depth + 1);
}

/* StructTag { address[16], module, name, type_params: Vec<TypeTag> } */
static bool
walk_struct_tag(bcs_cursor *c, int depth)
{
	const uint8_t *addr;
	ff_span		module,
				name;
	uint32_t	n;

	if (!bcs_fixed(c, ADDR_LEN, &addr) || !bcs_identifier(c, &module) ||
		!bcs_identifier(c, &name) || !bcs_count(c, 1, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!walk_type_tag(c, depth))
			return false;
	return true;
}

/*
 * An access key, consumed exactly: v5 BCS(Path): 0 Code(ModuleId), 1 Resource(StructTag);
 * v4: tag 0 or 1 and a 32-byte hash. The key's bytes are key.ptr within the blob cursor c
 * (offsets of failures are those of the blob).
 */
static bool
read_key(bcs_cursor *c, ff_era era, ff_span key, ff_account_resource *res)
{
	size_t		start = (size_t) (key.ptr - c->base);
	bcs_cursor	k;
	uint32_t	tag;

	if (era == FF_ERA_V4)
	{
		if (key.len != FF_V4_ACCESS_KEY_LEN)
			return bcs_fail_at(c, start, "v4 access key is not 33 bytes");
		if (key.ptr[0] > 1)
			return bcs_fail_at(c, start, "v4 access key tag is not 0 or 1");
		res->path_kind = key.ptr[0] == 0 ? FF_PATH_CODE : FF_PATH_RESOURCE;
		res->path_body.ptr = key.ptr + 1;
		res->path_body.len = HASH_LEN;
		return true;
	}
	/* a cursor over the blob that ends with the key: offsets stay those of the blob */
	bcs_init(&k, c->base, start + key.len);
	k.pos = start;
	if (bcs_len(&k, &tag))
	{
		size_t		body = k.pos;
		const uint8_t *addr;
		ff_span		name;

		if (tag == FF_PATH_CODE)
			(void) (bcs_fixed(&k, ADDR_LEN, &addr) && bcs_identifier(&k, &name));
		else if (tag == FF_PATH_RESOURCE)
			(void) walk_struct_tag(&k, 0);
		else
			bcs_fail_at(&k, start, "unknown Path variant");
		if (!k.failed && !bcs_at_end(&k))
			bcs_fail(&k, "trailing bytes after the Path of an access key");
		res->path_kind = (int) tag;
		res->path_body.ptr = c->base + body;
		res->path_body.len = start + key.len - body;
	}
	if (k.failed)
		return bcs_fail_at(c, k.fail_pos, k.fail_what);
	return true;
}

/* ------------------------------------------------------------------------------------ */
/* records and the iterator                                                              */

void
ff_account_iter_init(ff_account_iter *it, const ff_account_record *r)
{
	it->era = r->era;
	bcs_init(&it->c, r->blob.ptr, r->blob.len);
	it->count = 0;
	it->next = 0;
	it->prev_key.ptr = NULL;
	it->prev_key.len = 0;
	/* the count was checked by ff_account_record_decode; read it again */
	if (!bcs_count(&it->c, MIN_ENTRY_LEN, &it->count))
		it->count = 0;
}

static ff_code
iter_failure(const bcs_cursor *c, ff_status *st)
{
	st->offset = (int64_t) c->fail_pos;
	return ff_status_set(st, FF_ERR_CORRUPT, "bad AccountStateBlob: %s",
						 c->fail_what ? c->fail_what : "decode failed");
}

ff_code
ff_account_next(ff_account_iter *it, ff_account_resource *res, ff_status *st)
{
	bcs_cursor *c = &it->c;
	size_t		key_pos;

	if (c->failed)
		return iter_failure(c, st);
	if (it->next >= it->count)
		return FF_EOF;
	key_pos = c->pos;
	if (!bcs_bytes(c, &res->access_key))
		return iter_failure(c, st);
	{
		/* BCS sorts a map by the serialized keys: length prefix included */
		ff_span		serialized = {c->base + key_pos, c->pos - key_pos};

		if (it->prev_key.ptr && ff_span_compare(it->prev_key, serialized) >= 0)
		{
			bcs_fail_at(c, key_pos, "access keys not in strictly increasing order");
			return iter_failure(c, st);
		}
		it->prev_key = serialized;
	}
	if (!read_key(c, it->era, res->access_key, res) || !bcs_bytes(c, &res->value))
		return iter_failure(c, st);
	res->index = it->next++;
	return FF_OK;
}

ff_code
ff_account_record_decode(ff_era era, const uint8_t *rec, size_t len, ff_account_record *out,
						 ff_status *st)
{
	bcs_cursor	c;
	ff_span		hash;
	ff_account_iter it;
	ff_account_resource res;
	ff_code		code;

	memset(out, 0, sizeof(*out));
	if (era != FF_ERA_V4 && era != FF_ERA_V5)
		return ff_status_set(st, FF_ERR_INVALID, "no account state layout for era %s",
							 ff_era_name(era));
	out->era = era;
	bcs_init(&c, rec, len);
	if (bcs_bytes(&c, &hash))
	{
		if (hash.len != HASH_LEN)
			bcs_fail_at(&c, 0, "key hash is not 32 bytes");
		else if (bcs_bytes(&c, &out->blob) && !bcs_at_end(&c))
			bcs_fail(&c, "trailing bytes after the AccountStateBlob");
	}
	if (c.failed)
	{
		st->offset = (int64_t) c.fail_pos;
		return ff_status_set(st, FF_ERR_CORRUPT, "bad account state record: %s",
							 c.fail_what ? c.fail_what : "decode failed");
	}
	out->key_hash = hash.ptr;

	/* the map: its count, every entry, nothing after it */
	ff_account_iter_init(&it, out);
	if (it.c.failed)
		code = iter_failure(&it.c, st);
	else
	{
		while ((code = ff_account_next(&it, &res, st)) == FF_OK)
			;
		if (code == FF_EOF && !bcs_at_end(&it.c))
		{
			bcs_fail(&it.c, "trailing bytes after the account state map");
			code = iter_failure(&it.c, st);
		}
	}
	if (code != FF_EOF)
	{
		/* an offset inside the blob, made one inside the record */
		st->offset += (int64_t) (out->blob.ptr - rec);
		return code;
	}
	out->resource_count = it.count;
	return FF_OK;
}

/* ------------------------------------------------------------------------------------ */
/* names                                                                                 */

bool
ff_account_resource_name(ff_era era, const ff_account_resource *res, ff_buf *out)
{
	size_t		saved = out->len;
	bool		ok;
	bcs_cursor	c;

	if (era == FF_ERA_V4)
	{
		const char *name;

		if (res->access_key.len != FF_V4_ACCESS_KEY_LEN ||
			(name = ff_v4_type_name(res->access_key.ptr)) == NULL)
			return false;
		return ff_buf_append_str(out, name);
	}
	if (era != FF_ERA_V5)
		return false;
	bcs_init(&c, res->path_body.ptr, res->path_body.len);
	if (res->path_kind == FF_PATH_CODE)
	{
		char		text[FF_ADDRESS_TEXT_MAX];
		ff_span		name;

		ok = res->path_body.len > ADDR_LEN;
		if (ok)
		{
			size_t		n = ff_render_address(res->path_body.ptr, ADDR_LEN, text);

			ok = bcs_skip(&c, ADDR_LEN) && bcs_identifier(&c, &name) &&
				ff_buf_append(out, text, n) && ff_buf_append(out, "::", 2) &&
				ff_buf_append(out, name.ptr, name.len);
		}
	}
	else if (res->path_kind == FF_PATH_RESOURCE)
		ok = ff_render_struct_tag(&c, ADDR_LEN, out);
	else
		ok = false;
	if (!ok)
	{
		out->len = saved;
		if (out->data)
			out->data[saved] = '\0';
	}
	return ok;
}

/* ------------------------------------------------------------------------------------ */
/* well-known resources                                                                  */

/* BCS of StructTag { 0x1, module, name, [0x1::GAS::GAS] if gas_param else [] } */
static size_t
core_struct_tag(const char *module, const char *name, bool gas_param, uint8_t *out)
{
	size_t		n;
	size_t		lm = strlen(module),
				ln = strlen(name);

	memset(out, 0, ADDR_LEN);
	out[ADDR_LEN - 1] = 1;
	n = ADDR_LEN;
	out[n++] = (uint8_t) lm;
	memcpy(out + n, module, lm);
	n += lm;
	out[n++] = (uint8_t) ln;
	memcpy(out + n, name, ln);
	n += ln;
	if (!gas_param)
	{
		out[n++] = 0;
		return n;
	}
	out[n++] = 1;
	out[n++] = 7;				/* TypeTag::Struct */
	n += core_struct_tag("GAS", "GAS", false, out + n);
	return n;
}

/* The access key of a well-known resource, for the era (cached). */
typedef struct known_key
{
	const char *module_v4;
	const char *module_v5;
	const char *name_v4;
	const char *name_v5;
	bool		gas_param;
	/* cache: [0] v4, [1] v5 */
	bool		ready[2];
	uint8_t		key[2][1 + TAG_BCS_MAX];
	size_t		len[2];
} known_key;

static known_key account_key = {
	.module_v4 = "LibraAccount", .module_v5 = "DiemAccount",
	.name_v4 = "LibraAccount", .name_v5 = "DiemAccount", .gas_param = false,
	.ready = {false, false}, .key = {{0}}, .len = {0, 0}
};
static known_key balance_key = {
	.module_v4 = "LibraAccount", .module_v5 = "DiemAccount",
	.name_v4 = "Balance", .name_v5 = "Balance", .gas_param = true,
	.ready = {false, false}, .key = {{0}}, .len = {0, 0}
};

static ff_span
known_key_bytes(known_key *k, ff_era era)
{
	int			i = era == FF_ERA_V4 ? 0 : 1;
	ff_span		s;

	if (!k->ready[i])
	{
		uint8_t		tag[TAG_BCS_MAX];
		size_t		n = core_struct_tag(i == 0 ? k->module_v4 : k->module_v5,
										i == 0 ? k->name_v4 : k->name_v5, k->gas_param, tag);

		k->key[i][0] = FF_PATH_RESOURCE;
		if (i == 0)
		{
			ff_crypto_hash("LIBRA::", "StructTag", tag, n, k->key[i] + 1);
			k->len[i] = 1 + HASH_LEN;
		}
		else
		{
			memcpy(k->key[i] + 1, tag, n);
			k->len[i] = 1 + n;
		}
		k->ready[i] = true;
	}
	s.ptr = k->key[i];
	s.len = k->len[i];
	return s;
}

static bool
key_is(const ff_account_resource *res, known_key *k, ff_era era)
{
	ff_span		want;

	if (era != FF_ERA_V4 && era != FF_ERA_V5)
		return false;
	want = known_key_bytes(k, era);
	return res->access_key.len == want.len &&
		memcmp(res->access_key.ptr, want.ptr, want.len) == 0;
}

/* The value of the resource with that key, if the account has it. */
static bool
find_resource(const ff_account_record *r, known_key *k, ff_span *value)
{
	ff_account_iter it;
	ff_account_resource res;
	ff_status	st;

	ff_account_iter_init(&it, r);
	while (ff_account_next(&it, &res, &st) == FF_OK)
		if (key_is(&res, k, r->era))
		{
			*value = res.value;
			return true;
		}
	return false;
}

bool
ff_account_resource_balance(ff_era era, const ff_account_resource *res, uint64_t *balance)
{
	bcs_cursor	c;

	if (!key_is(res, &balance_key, era) || res->value.len != 8)
		return false;
	bcs_init(&c, res->value.ptr, res->value.len);
	return bcs_u64(&c, balance);
}

bool
ff_account_balance(const ff_account_record *r, uint64_t *balance)
{
	ff_account_iter it;
	ff_account_resource res;
	ff_status	st;

	ff_account_iter_init(&it, r);
	while (ff_account_next(&it, &res, &st) == FF_OK)
		if (ff_account_resource_balance(r->era, &res, balance))
			return true;
	return false;
}

/*
 * (Libra|Diem)Account { authentication_key: bytes, withdraw_capability: Option<addr>,
 * key_rotation_capability: Option<addr>, received_events: EventHandle, sent_events:
 * EventHandle, sequence_number: u64 }, EventHandle { counter: u64, guid: bytes(24) }:
 * the address in the sent_events EventKey (creation_number u64 || address).
 */
static bool
account_event_address(ff_span value, const uint8_t **addr)
{
	bcs_cursor	c;
	ff_span		auth,
				guid;
	bool		present;
	const uint8_t *cap;
	uint64_t	u;

	bcs_init(&c, value.ptr, value.len);
	if (!bcs_bytes(&c, &auth))
		return false;
	for (int i = 0; i < 2; i++)
		if (!bcs_option(&c, &present) || (present && !bcs_fixed(&c, ADDR_LEN, &cap)))
			return false;
	for (int i = 0; i < 2; i++)
		if (!bcs_u64(&c, &u) || !bcs_bytes(&c, &guid) || guid.len != EVENT_KEY_LEN)
			return false;
	if (!bcs_u64(&c, &u) || !bcs_at_end(&c))
		return false;
	*addr = guid.ptr + 8;
	return true;
}

static bool
address_matches(ff_era era, const uint8_t *addr, const uint8_t *key_hash)
{
	uint8_t		h[HASH_LEN];

	ff_crypto_hash(ff_era_domain(era), "AccountAddress", addr, ADDR_LEN, h);
	return memcmp(h, key_hash, HASH_LEN) == 0;
}

/*
 * Addresses that hold no account resource: 0x0 (VM reserved), 0x1 (the stdlib code),
 * 0xA550C18 (Libra/Diem root), 0xB1E55ED (treasury compliance), 0xFEE (transaction fees),
 * 0xDD (designated dealer); CoreAddresses.move of the v4/v5 stdlib, and the Libra 1.x
 * testnet dealer.
 */
static const uint32_t well_known[] = {0x0, 0x1, 0xA550C18, 0xB1E55ED, 0xFEE, 0xDD};

bool
ff_account_address(const ff_account_record *r, uint8_t addr[16])
{
	ff_span		value;
	const uint8_t *from_event;

	if (r->era != FF_ERA_V4 && r->era != FF_ERA_V5)
		return false;
	if (find_resource(r, &account_key, &value) &&
		account_event_address(value, &from_event) &&
		address_matches(r->era, from_event, r->key_hash))
	{
		memcpy(addr, from_event, ADDR_LEN);
		return true;
	}
	for (size_t i = 0; i < sizeof(well_known) / sizeof(well_known[0]); i++)
	{
		uint8_t		a[ADDR_LEN] = {0};

		a[12] = (uint8_t) (well_known[i] >> 24);
		a[13] = (uint8_t) (well_known[i] >> 16);
		a[14] = (uint8_t) (well_known[i] >> 8);
		a[15] = (uint8_t) well_known[i];
		if (address_matches(r->era, a, r->key_hash))
		{
			memcpy(addr, a, ADDR_LEN);
			return true;
		}
	}
	return false;
}
