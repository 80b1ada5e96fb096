/*
 * test_legacy_state.c — unit tests of the v4/v5 ledger infos (src/chain/ledger_info.c:
 * ff_ledger_info_decode_era, ff_ledger_info_detect_era, ff_state_proof_decode) and of the
 * v4/v5 state snapshot records (src/chain/legacy_state.c, v4_names.c): synthetic v5
 * records (ledger info with a DIEM:: waypoint, an account with Path keys, a DiemAccount
 * and a Balance) and their errors; and, when ../shared/data is present, every epoch-ending
 * record, state chunk record and state.proof of the v4 mainnet sample, and the v6/v7
 * epoch-ending chunks and state.proof files of the v6/v7 fixtures.
 *
 * Expected figures of the real samples were computed by an independent python3 decoder
 * (hashlib.sha3_256, struct) written from FORMAT-epochs-state-legacy.md §4.2, §4.3, §5, §7
 * over the same files: it parses each record with exact consumption, recomputes each
 * waypoint with "LIBRA::" and "DIEM::", the account address hash from the LibraAccount
 * sent_events key, and sums the 8-byte values under the key
 * 01 || sha3(sha3("LIBRA::StructTag") || bcs(0x1::LibraAccount::Balance<0x1::GAS::GAS>)).
 */
#include <dirent.h>

#include "chain/hash.h"
#include "chain/ledger_info.h"
#include "chain/legacy_state.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* synthetic v4/v5 ledger infos                                                          */

/* a 16-byte address: 15 zero bytes then `last` */
static void
w_addr16(wbuf *w, uint8_t last)
{
	w_fill(w, 0, 15);
	w_u8(w, last);
}

/* v4/v5 HashValue: uleb(32) + 32 bytes */
static void
w_hash(wbuf *w, uint8_t fill)
{
	w_u8(w, 0x20);
	w_fill(w, fill, 32);
}

typedef struct legacy_parts
{
	int			validators;		/* -1: no next_epoch_state */
	int			signers;
	size_t		key_len;
	bool		swap_validators;	/* write the first two validators out of order */
} legacy_parts;

/* Ledger2WaypointConverter pieces: epoch, root hash (prefixed), version, time, state */
static void
w_legacy_state(wbuf *w, const legacy_parts *p)
{
	w_u8(w, p->validators >= 0);
	if (p->validators < 0)
		return;
	w_u64(w, 43);
	w_uleb(w, (uint32_t) p->validators);
	for (int i = 0; i < p->validators; i++)
	{
		int			j = p->swap_validators && i < 2 ? 1 - i : i;

		w_addr16(w, (uint8_t) (0x10 + j));
		w_uleb(w, (uint32_t) p->key_len);
		w_fill(w, (uint8_t) (0xa0 + j), p->key_len);
		w_u64(w, 100 + (uint64_t) j);
	}
	w_u64(w, 201);				/* quorum */
	w_u64(w, 301);				/* total (stored, not the sum) */
}

static void
build_legacy_li(wbuf *w, const legacy_parts *p)
{
	w->len = 0;
	w_u8(w, 0);
	w_u64(w, 42);				/* epoch */
	w_u64(w, 7);				/* round */
	w_hash(w, 0x11);			/* id */
	w_hash(w, 0x22);			/* executed_state_id */
	w_u64(w, 5000);				/* version */
	w_u64(w, 1600000000000000ULL);
	w_legacy_state(w, p);
	w_hash(w, 0x33);			/* consensus_data_hash */
	w_uleb(w, (uint32_t) p->signers);
	for (int i = 0; i < p->signers; i++)
	{
		w_addr16(w, (uint8_t) (0x10 + i));
		w_uleb(w, 64);
		w_fill(w, 0x99, 64);
	}
}

static void
legacy_waypoint(const legacy_parts *p, const char *domain, uint8_t out[32])
{
	wbuf		conv;

	conv.len = 0;
	w_u64(&conv, 42);
	w_hash(&conv, 0x22);
	w_u64(&conv, 5000);
	w_u64(&conv, 1600000000000000ULL);
	w_legacy_state(&conv, p);
	ff_crypto_hash(domain, "Ledger2WaypointConverter", conv.data, conv.len, out);
}

static void
test_synthetic_ledger_info(void)
{
	legacy_parts p = {3, 2, 32, false};
	wbuf		w;
	ff_ledger_info li;
	ff_status	st;
	ff_validator v;
	size_t		state = 0;
	uint8_t		wp[32],
				want_diem[32],
				want_libra[32];

	build_legacy_li(&w, &p);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V5, w.data, w.len, &li, &st), FF_OK);
	CHECK(li.era == FF_ERA_V5 && li.addr_len == 16);
	CHECK_EQ_U64(li.epoch, 42);
	CHECK_EQ_U64(li.round, 7);
	CHECK(li.block_id == w.data + 18 && li.executed_state_id == w.data + 51);
	CHECK_EQ_U64(li.version, 5000);
	CHECK(li.has_next_epoch_state && li.next_epoch == 43);
	CHECK_EQ_U64(li.validator_count, 3);
	CHECK(li.has_quorum && li.quorum_voting_power == 201);
	CHECK_EQ_U64(li.total_voting_power, 301);
	CHECK_EQ_U64(li.signer_count, 2);
	CHECK(!li.has_signature && li.signer_bitmask.len == 0);
	CHECK(li.consensus_data_hash && li.consensus_data_hash[0] == 0x33);
	CHECK_EQ_U64(li.wp_root.len, 33);
	for (int i = 0; i < 3; i++)
	{
		CHECK(ff_ledger_info_next_validator(&li, &state, &v));
		CHECK(v.address[15] == 0x10 + i && v.public_key.len == 32 && v.voting_power == 100 + (uint64_t) i);
	}
	CHECK(!ff_ledger_info_next_validator(&li, &state, &v));

	legacy_waypoint(&p, "DIEM::", want_diem);
	legacy_waypoint(&p, "LIBRA::", want_libra);
	ff_ledger_info_waypoint(&li, ff_era_domain(li.era), wp);
	CHECK(memcmp(wp, want_diem, 32) == 0);
	CHECK(ff_ledger_info_detect_era(w.data, w.len, want_diem) == FF_ERA_V5);
	CHECK(ff_ledger_info_detect_era(w.data, w.len, want_libra) == FF_ERA_V4);
	CHECK(ff_ledger_info_detect_era(w.data, w.len, NULL) == FF_ERA_UNKNOWN);
	wp[0] ^= 1;
	CHECK(ff_ledger_info_detect_era(w.data, w.len, wp) == FF_ERA_UNKNOWN);
	/* the v6 decoder rejects it */
	CHECK_EQ_U64(ff_ledger_info_decode(w.data, w.len, &li, &st), FF_ERR_CORRUPT);
	CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_UNKNOWN, w.data, w.len, &li, &st), FF_ERR_INVALID);

	/* truncation at every byte */
	for (size_t k = 0; k < w.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);

		memcpy(copy, w.data, k);
		ff_status_clear(&st);
		CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V4, copy, k, &li, &st), FF_ERR_CORRUPT);
		free(copy);
	}

	/* no next_epoch_state: no quorum */
	p.validators = -1;
	build_legacy_li(&w, &p);
	CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V4, w.data, w.len, &li, &st), FF_OK);
	CHECK(!li.has_quorum && li.validator_count == 0 && li.wp_next_state.len == 1);
	legacy_waypoint(&p, "LIBRA::", want_libra);
	CHECK(ff_ledger_info_detect_era(w.data, w.len, want_libra) == FF_ERA_V4);
}

static void
expect_li_failure(const wbuf *w, const char *message, int64_t offset, int line)
{
	ff_ledger_info li;
	ff_status	st;
	ff_code		got;

	ff_status_clear(&st);
	got = ff_ledger_info_decode_era(FF_ERA_V5, w->data, w->len, &li, &st);
	unit_check_status(__FILE__, line, got, &st, FF_ERR_CORRUPT, message, offset);
}

static void
test_bad_ledger_infos(void)
{
	legacy_parts p = {3, 2, 32, false};
	wbuf		w;
	size_t		state_at = 1 + 8 + 8 + 33 + 33 + 8 + 8;

	build_legacy_li(&w, &p);
	w_u8(&w, 0);
	expect_li_failure(&w, "bad LedgerInfoWithSignatures: trailing bytes after the LedgerInfoWithSignatures",
					  (int64_t) w.len - 1, __LINE__);
	p.swap_validators = true;
	build_legacy_li(&w, &p);
	expect_li_failure(&w, "bad LedgerInfoWithSignatures: validator addresses not in strictly increasing order",
					  (int64_t) (state_at + 1 + 8 + 1 + 57), __LINE__);
	p.swap_validators = false;
	p.key_len = 48;
	build_legacy_li(&w, &p);
	expect_li_failure(&w, "bad LedgerInfoWithSignatures: validator public key is not 32 bytes",
					  (int64_t) (state_at + 1 + 8 + 1 + 16), __LINE__);
	p.key_len = 32;
	build_legacy_li(&w, &p);
	w.data[1 + 8 + 8] = 0x1f;	/* block id hash length */
	expect_li_failure(&w, "bad LedgerInfoWithSignatures: HashValue is not 32 bytes",
					  1 + 8 + 8, __LINE__);
	/* the same signer twice */
	build_legacy_li(&w, &p);
	w.data[w.len - 81 + 15] = 0x10;
	expect_li_failure(&w, "bad LedgerInfoWithSignatures: signer addresses not in strictly increasing order",
					  (int64_t) (w.len - 81), __LINE__);
}

/* ------------------------------------------------------------------------------------ */
/* synthetic v5 account records                                                          */

/* BCS of StructTag { 0x1, module, name, [0x1::GAS::GAS] or [] } */
static void
w_tag16(wbuf *w, const char *module, const char *name, bool gas)
{
	w_addr16(w, 1);
	w_str(w, module);
	w_str(w, name);
	w_uleb(w, gas ? 1 : 0);
	if (gas)
	{
		w_u8(w, 7);
		w_addr16(w, 1);
		w_str(w, "GAS");
		w_str(w, "GAS");
		w_u8(w, 0);
	}
}

static const uint8_t account_addr[16] = {0x0e, 0x20, 0x21, 0x06, 0xc7, 0x59, 0xb1, 0x8a,
0x31, 0x42, 0x26, 0x28, 0xf3, 0x74, 0xc8, 0x27};

typedef struct v5_parts
{
	bool		swap;			/* resources out of order */
	bool		blob_trailing;	/* a byte after the map, inside the blob */
	bool		record_trailing;	/* a byte after the blob */
	int			bad_type_tag;	/* > 0: the Balance type parameter's TypeTag tag */
	bool		path_trailing;	/* a byte after the module Path */
} v5_parts;

/* The blob: Code(0x1::DiemAccount), Resource(Balance<GAS>), Resource(DiemAccount). */
static void
build_v5_account(wbuf *rec, const v5_parts *p)
{
	wbuf		blob,
				key,
				val,
				entries[3];
	int			order[3] = {0, 2, 1};	/* by serialized key: 29, 42 and 64 bytes */

	/* 0: the module */
	key.len = 0;
	w_u8(&key, 0);
	w_addr16(&key, 1);
	w_str(&key, "DiemAccount");
	if (p->path_trailing)
		w_u8(&key, 0);
	entries[0].len = 0;
	w_bytes(&entries[0], key.data, key.len);
	w_bytes(&entries[0], "\xa1\x1c\xeb\x0b", 4);
	/* 1: Balance<GAS> = 1090579 */
	key.len = 0;
	w_u8(&key, 1);
	w_tag16(&key, "DiemAccount", "Balance", true);
	if (p->bad_type_tag)
		key.data[1 + 16 + 12 + 8 + 1] = (uint8_t) p->bad_type_tag;
	val.len = 0;
	w_u64(&val, 1090579);
	entries[1].len = 0;
	w_bytes(&entries[1], key.data, key.len);
	w_bytes(&entries[1], val.data, val.len);
	/* 2: DiemAccount */
	key.len = 0;
	w_u8(&key, 1);
	w_tag16(&key, "DiemAccount", "DiemAccount", false);
	val.len = 0;
	w_uleb(&val, 32);
	w_fill(&val, 0xab, 32);		/* authentication_key */
	w_u8(&val, 1);				/* withdraw_capability: Some */
	w_raw(&val, account_addr, 16);
	w_u8(&val, 0);				/* key_rotation_capability: None */
	w_u64(&val, 3);				/* received_events */
	w_uleb(&val, 24);
	w_u64(&val, 0);
	w_raw(&val, account_addr, 16);
	w_u64(&val, 56);			/* sent_events */
	w_uleb(&val, 24);
	w_u64(&val, 1);
	w_raw(&val, account_addr, 16);
	w_u64(&val, 56);			/* sequence_number */
	entries[2].len = 0;
	w_bytes(&entries[2], key.data, key.len);
	w_bytes(&entries[2], val.data, val.len);

	if (p->swap)
	{
		order[1] = 1;			/* by key contents: not the BCS order */
		order[2] = 2;
	}
	blob.len = 0;
	w_uleb(&blob, 3);
	for (int i = 0; i < 3; i++)
		w_raw(&blob, entries[order[i]].data, entries[order[i]].len);
	if (p->blob_trailing)
		w_u8(&blob, 0);

	rec->len = 0;
	w_u8(rec, 0x20);
	ff_crypto_hash("DIEM::", "AccountAddress", account_addr, 16, rec->data + rec->len);
	rec->len += 32;
	w_bytes(rec, blob.data, blob.len);
	if (p->record_trailing)
		w_u8(rec, 0);
}

static void
test_synthetic_v5_account(void)
{
	v5_parts	p = {false, false, false, 0, false};
	wbuf		w;
	ff_account_record r;
	ff_account_iter it;
	ff_account_resource res;
	ff_status	st;
	ff_buf		name;
	uint8_t		addr[16];
	uint64_t	balance = 0;
	const char *want[] = {"0x1::DiemAccount", "0x1::DiemAccount::DiemAccount",
	"0x1::DiemAccount::Balance<0x1::GAS::GAS>"};
	int			n = 0;
	ff_code		code;

	ff_buf_init(&name);
	build_v5_account(&w, &p);
	ff_status_clear(&st);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_OK);
	CHECK(r.era == FF_ERA_V5 && r.key_hash == w.data + 1 && r.resource_count == 3);
	ff_account_iter_init(&it, &r);
	while ((code = ff_account_next(&it, &res, &st)) == FF_OK)
	{
		uint64_t	b;

		CHECK_EQ_U64(res.index, (uint64_t) n);
		CHECK(res.path_kind == (n == 0 ? FF_PATH_CODE : FF_PATH_RESOURCE));
		CHECK(res.path_body.ptr == res.access_key.ptr + 1 && res.path_body.len == res.access_key.len - 1);
		ff_buf_reset(&name);
		CHECK(ff_account_resource_name(FF_ERA_V5, &res, &name));
		CHECK_STR(name.data, want[n]);
		CHECK(ff_account_resource_balance(FF_ERA_V5, &res, &b) == (n == 2));
		/* the v4 reading of the same key names nothing */
		CHECK(!ff_account_resource_balance(FF_ERA_V4, &res, &b));
		n++;
	}
	CHECK_EQ_U64(code, FF_EOF);
	CHECK_EQ_U64(n, 3);
	CHECK(ff_account_address(&r, addr) && memcmp(addr, account_addr, 16) == 0);
	CHECK(ff_account_balance(&r, &balance) && balance == 1090579);
	/* the same bytes read as v4: the keys are not 33 bytes */
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V4, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad AccountStateBlob: v4 access key is not 33 bytes");

	/* errors */
	p.swap = true;
	build_v5_account(&w, &p);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad AccountStateBlob: access keys not in strictly increasing order");
	p.swap = false;
	p.record_trailing = true;
	build_v5_account(&w, &p);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad account state record: trailing bytes after the AccountStateBlob");
	CHECK_EQ_U64(st.offset, w.len - 1);
	p.record_trailing = false;
	p.blob_trailing = true;
	build_v5_account(&w, &p);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad AccountStateBlob: trailing bytes after the account state map");
	CHECK_EQ_U64(st.offset, w.len - 1);
	p.blob_trailing = false;
	p.bad_type_tag = 8;			/* u16: v6 only */
	build_v5_account(&w, &p);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad AccountStateBlob: TypeTag variant not in v4/v5");
	p.bad_type_tag = 0;
	p.path_trailing = true;
	build_v5_account(&w, &p);
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, w.data, w.len, &r, &st), FF_ERR_CORRUPT);
	CHECK_STR(st.message, "bad AccountStateBlob: trailing bytes after the Path of an access key");
	p.path_trailing = false;
	CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V6, w.data, w.len, &r, &st), FF_ERR_INVALID);

	/* truncation at every byte */
	build_v5_account(&w, &p);
	for (size_t k = 0; k < w.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);

		memcpy(copy, w.data, k);
		ff_status_clear(&st);
		CHECK_EQ_U64(ff_account_record_decode(FF_ERA_V5, copy, k, &r, &st), FF_ERR_CORRUPT);
		CHECK(st.offset >= 0 && (size_t) st.offset <= k);
		free(copy);
	}
	ff_buf_free(&name);
}

/* The v4 dictionary: size, and the key of doc §7.4 (also recomputed by the python decoder). */
static void
test_v4_dictionary(void)
{
	uint8_t		key[33];

	/* 62 modules + 67 resource types (v4_names.c) */
	CHECK_EQ_U64(ff_v4_dictionary_size(), 129);
	hex_to_bytes("011e6178cd71d33aa7f4b42dfdab915d3e9d97e1dae0cc9e02e9f085653ba41250", key, 33);
	CHECK_STR(ff_v4_type_name(key), "0x1::LibraAccount::Balance<0x1::GAS::GAS>");
	key[0] = 0;
	CHECK(ff_v4_type_name(key) == NULL);
}

/* ------------------------------------------------------------------------------------ */
/* real data                                                                             */

/* A whole object (gzip or plain) through src/io; malloc'ed, NULL on failure. */
static uint8_t *
read_whole(const char *root, const char *key, size_t *len)
{
	ff_source  *src;
	ff_status	st;
	ff_stream  *s;
	char	   *data = NULL;

	if (ff_source_local_new(root, NULL, &src, &st) != FF_OK)
		return NULL;
	s = unit_open_object(src, key, &st);
	if (!s || ff_stream_read_all(s, 64 << 20, &data, len, &st) != FF_OK)
		data = NULL;
	ff_stream_close(s);
	ff_source_destroy(src);
	return (uint8_t *) data;
}

/* Next framed record of a chunk in memory: u32 big-endian length + bytes. */
static bool
next_frame(const uint8_t *buf, size_t len, size_t *pos, const uint8_t **rec, size_t *rlen)
{
	uint32_t	n;

	if (*pos + 4 > len)
		return false;
	n = (uint32_t) buf[*pos] << 24 | (uint32_t) buf[*pos + 1] << 16 |
		(uint32_t) buf[*pos + 2] << 8 | buf[*pos + 3];
	if (n > len - *pos - 4)
		return false;
	*rec = buf + *pos + 4;
	*rlen = n;
	*pos += 4 + n;
	return true;
}

/* The folder under dir whose name starts with prefix, into out. */
static bool
find_folder(const char *dir, const char *prefix, char *out, size_t size)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;
	bool		found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
		{
			snprintf(out, size, "%s", e->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

/* A string field of a manifest ("key":"value") into out. */
static bool
manifest_string(const char *m, const char *field, char *out, size_t size)
{
	char		pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":\"", field);
	if (!m || !(p = strstr(m, pat)))
		return false;
	p += strlen(pat);
	snprintf(out, size, "%.*s", (int) strcspn(p, "\""), p);
	return true;
}

static bool
manifest_u64(const char *m, const char *field, uint64_t *out)
{
	char		pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", field);
	if (!m || !(p = strstr(m, pat)))
		return false;
	return sscanf(p + strlen(pat), "%" SCNu64, out) == 1;
}

typedef struct v4_expect
{
	int			epoch;
	uint64_t	version;
	uint32_t	validators;
	uint64_t	quorum;
	uint64_t	total;
	uint32_t	signers;
	uint32_t	accounts;
	uint32_t	with_balance;
	uint64_t	balance_sum;
} v4_expect;

/* From the python decoder (see the header comment). */
static const v4_expect v4_expected[] = {
	{104, 51738547, 13, 615, 921, 9, 50, 48, 796601984077703ULL},
	{107, 52851237, 15, 645, 967, 11, 52, 50, 821646302331721ULL},
	{119, 56977947, 15, 760, 1139, 12, 58, 56, 921590059116963ULL},
	{120, 57126323, 15, 770, 1154, 9, 58, 56, 929908971851477ULL},
	{121, 57371379, 9, 434, 650, 12, 58, 56, 938257078013724ULL},
};

static size_t total_unresolved;
static size_t total_well_known;

static void
check_v4_epoch_ending(const char *dir, const v4_expect *e)
{
	char		folder[256],
				key[512],
				wp_text[128],
				chunk[256];
	char	   *manifest;
	uint8_t    *buf;
	size_t		len,
				pos = 0,
				n = 0;
	const uint8_t *rec;
	size_t		rlen;
	uint8_t		want[32],
				got[32];
	const char *w;

	CHECK(find_folder(dir, "epoch_ending_", folder, sizeof(folder)));
	snprintf(key, sizeof(key), "%s/epoch_ending.manifest", folder);
	manifest = (char *) read_whole(dir, key, &len);
	CHECK(manifest && (w = strstr(manifest, "\"waypoints\":[\"")) != NULL);
	if (!manifest || !w)
	{
		free(manifest);
		return;
	}
	snprintf(wp_text, sizeof(wp_text), "%.*s", (int) strcspn(w + 14, "\""), w + 14);
	CHECK(strlen(wp_text) > 65);
	hex_to_bytes(strchr(wp_text, ':') + 1, want, 32);
	CHECK(manifest_string(manifest, "ledger_infos", chunk, sizeof(chunk)));
	free(manifest);
	buf = read_whole(dir, chunk, &len);
	CHECK(buf != NULL);
	while (buf && next_frame(buf, len, &pos, &rec, &rlen))
	{
		ff_ledger_info li;
		ff_status	st;
		char		text[96];

		n++;
		ff_status_clear(&st);
		CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V4, rec, rlen, &li, &st), FF_OK);
		CHECK(ff_ledger_info_detect_era(rec, rlen, want) == FF_ERA_V4);
		CHECK(ff_ledger_info_detect_era(rec, rlen, NULL) == FF_ERA_UNKNOWN);
		ff_ledger_info_waypoint(&li, ff_era_domain(li.era), got);
		CHECK(memcmp(got, want, 32) == 0);
		snprintf(text, sizeof(text), "%" PRIu64 ":", li.version);
		CHECK(strncmp(text, wp_text, strlen(text)) == 0);
		CHECK_EQ_U64(li.epoch, (uint64_t) e->epoch);
		CHECK_EQ_U64(li.version, e->version);
		CHECK_EQ_U64(li.validator_count, e->validators);
		CHECK(li.has_quorum);
		CHECK_EQ_U64(li.quorum_voting_power, e->quorum);
		CHECK_EQ_U64(li.total_voting_power, e->total);
		CHECK_EQ_U64(li.signer_count, e->signers);
		/* the validator iterator walks the 16-byte layout: the sum of powers is the total
		 * here (python: sum == total in all five) */
		{
			size_t		state = 0;
			ff_validator v;
			uint64_t	sum = 0;
			uint32_t	count = 0;

			while (ff_ledger_info_next_validator(&li, &state, &v))
			{
				sum += v.voting_power;
				count++;
				CHECK(v.public_key.len == 32);
			}
			CHECK_EQ_U64(count, e->validators);
			CHECK_EQ_U64(sum, e->total);
		}
	}
	CHECK(buf && pos == len && n == 1);
	free(buf);
}

static void
check_v4_state(const char *dir, const v4_expect *e)
{
	char		folder[256],
				key[512],
				chunk[256],
				proof[256],
				root_hex[80];
	char	   *manifest;
	uint8_t    *buf;
	size_t		len,
				pos = 0;
	const uint8_t *rec;
	size_t		rlen;
	uint64_t	version = 0,
				sum = 0;
	uint32_t	accounts = 0,
				with_balance = 0,
				well_known = 0,
				unresolved = 0,
				address_bad = 0,
				decode_bad = 0;
	ff_buf		name;

	CHECK(find_folder(dir, "state_ver_", folder, sizeof(folder)));
	snprintf(key, sizeof(key), "%s/state.manifest", folder);
	manifest = (char *) read_whole(dir, key, &len);
	CHECK(manifest_string(manifest, "blobs", chunk, sizeof(chunk)));
	CHECK(manifest_string(manifest, "root_hash", root_hex, sizeof(root_hex)));
	CHECK(manifest_u64(manifest, "version", &version));
	/* the snapshot's proof is the last "proof" of the manifest */
	{
		const char *p = manifest ? strstr(manifest, "],\"proof\":\"") : NULL;

		CHECK(p != NULL);
		if (p)
			snprintf(proof, sizeof(proof), "%.*s", (int) strcspn(p + 11, "\""), p + 11);
	}
	free(manifest);
	CHECK_EQ_U64(version, e->version);

	ff_buf_init(&name);
	buf = read_whole(dir, chunk, &len);
	CHECK(buf != NULL);
	while (buf && next_frame(buf, len, &pos, &rec, &rlen))
	{
		ff_account_record r;
		ff_account_iter it;
		ff_account_resource res;
		ff_status	st;
		uint8_t		addr[16],
					h[32];
		uint64_t	b;
		bool		has_account = false;

		accounts++;
		ff_status_clear(&st);
		if (ff_account_record_decode(FF_ERA_V4, rec, rlen, &r, &st) != FF_OK)
		{
			if (decode_bad++ < 3)
				fprintf(stderr, "  %s: %s at %" PRId64 "\n", chunk, st.message, st.offset);
			continue;
		}
		ff_account_iter_init(&it, &r);
		while (ff_account_next(&it, &res, &st) == FF_OK)
		{
			ff_buf_reset(&name);
			if (!ff_account_resource_name(FF_ERA_V4, &res, &name))
			{
				char		hex[67];

				ff_hex(res.access_key.ptr, res.access_key.len, hex);
				if (unresolved++ < 5)
					fprintf(stderr, "  unresolved v4 key %.66s\n", hex);
			}
			else if (strcmp(name.data, "0x1::LibraAccount::LibraAccount") == 0)
				has_account = true;
		}
		if (!ff_account_address(&r, addr))
		{
			address_bad++;
			continue;
		}
		ff_crypto_hash("LIBRA::", "AccountAddress", addr, 16, h);
		if (memcmp(h, r.key_hash, 32) != 0)
			address_bad++;
		if (!has_account)
			well_known++;
		if (ff_account_balance(&r, &b))
		{
			with_balance++;
			sum += b;
		}
	}
	CHECK(buf && pos == len);
	free(buf);
	ff_buf_free(&name);
	printf("v4 snapshot %d: %u accounts, %u with a balance, sum %" PRIu64
		   ", %u by well-known address, %u unresolved keys\n",
		   e->epoch, accounts, with_balance, sum, well_known, unresolved);
	CHECK_EQ_U64(decode_bad, 0);
	CHECK_EQ_U64(address_bad, 0);
	CHECK_EQ_U64(unresolved, 0);
	CHECK_EQ_U64(well_known, 1);	/* 0x1 (python: one account without LibraAccount, hash of 0x1) */
	CHECK_EQ_U64(accounts, e->accounts);
	CHECK_EQ_U64(with_balance, e->with_balance);
	CHECK_EQ_U64(sum, e->balance_sum);
	total_unresolved += unresolved;
	total_well_known += well_known;

	/* state.proof */
	buf = read_whole(dir, proof, &len);
	CHECK(buf != NULL);
	if (buf)
	{
		ff_ledger_info li;
		const uint8_t *root;
		ff_status	st;

		ff_status_clear(&st);
		CHECK_EQ_U64(ff_state_proof_decode(FF_ERA_V4, buf, len, &li, &root, &st), FF_OK);
		CHECK(hash_is(root, root_hex));
		CHECK_EQ_U64(li.version, e->version);
		CHECK_EQ_U64(li.epoch, (uint64_t) e->epoch);
		CHECK(li.era == FF_ERA_V4 && li.bcs.ptr + li.bcs.len == buf + len);
		/* one byte less fails */
		CHECK_EQ_U64(ff_state_proof_decode(FF_ERA_V4, buf, len - 1, &li, &root, &st), FF_ERR_CORRUPT);
		CHECK(root == NULL);
		free(buf);
	}
}

static void
test_real_v4(void)
{
	char		data[PATH_MAX],
				dir[PATH_MAX + 64];
	struct stat sb;

	if (!unit_shared_data(data, sizeof(data)))
	{
		printf("test_real_v4 skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/0l-v4-mainnet-sample", data);
	if (stat(dir, &sb) != 0)
	{
		printf("test_real_v4 skipped: no 0l-v4-mainnet-sample\n");
		return;
	}
	for (size_t i = 0; i < sizeof(v4_expected) / sizeof(v4_expected[0]); i++)
	{
		snprintf(dir, sizeof(dir), "%s/0l-v4-mainnet-sample/%d", data, v4_expected[i].epoch);
		check_v4_epoch_ending(dir, &v4_expected[i]);
		check_v4_state(dir, &v4_expected[i]);
	}
	printf("v4 sample: %zu unresolved keys, %zu accounts named by the well-known list\n",
		   total_unresolved, total_well_known);
}

/* A v6/v7 epoch-ending chunk (plain or gzip): V6 by detection, with its manifest waypoint. */
static void
check_v6_epoch_ending(const char *root, const char *folder, const char *chunk_name)
{
	char		key[512],
				wp[128];
	char	   *manifest;
	uint8_t    *buf,
				want[32];
	size_t		len,
				pos = 0,
				n = 0;
	const uint8_t *rec;
	size_t		rlen;
	const char *w;

	snprintf(key, sizeof(key), "%s/epoch_ending.manifest", folder);
	manifest = (char *) read_whole(root, key, &len);
	CHECK(manifest && (w = strstr(manifest, "\"waypoints\":[\"")) != NULL);
	if (!manifest || !w)
	{
		free(manifest);
		return;
	}
	snprintf(wp, sizeof(wp), "%.*s", (int) strcspn(w + 14, "\""), w + 14);
	free(manifest);
	hex_to_bytes(strchr(wp, ':') + 1, want, 32);
	snprintf(key, sizeof(key), "%s/%s", folder, chunk_name);
	buf = read_whole(root, key, &len);
	CHECK(buf != NULL);
	while (buf && next_frame(buf, len, &pos, &rec, &rlen))
	{
		ff_ledger_info li;
		ff_status	st;
		uint8_t		got[32];

		n++;
		CHECK(ff_ledger_info_detect_era(rec, rlen, want) == FF_ERA_V6);
		CHECK(ff_ledger_info_detect_era(rec, rlen, NULL) == FF_ERA_V6);
		ff_status_clear(&st);
		CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V6, rec, rlen, &li, &st), FF_OK);
		CHECK(li.era == FF_ERA_V6 && li.addr_len == 32 && !li.has_quorum);
		ff_ledger_info_waypoint(&li, ff_era_domain(li.era), got);
		CHECK(memcmp(got, want, 32) == 0);
		/* not a v4/v5 record */
		CHECK_EQ_U64(ff_ledger_info_decode_era(FF_ERA_V5, rec, rlen, &li, &st), FF_ERR_CORRUPT);
	}
	CHECK(buf && pos == len && n == 1);
	free(buf);
}

static void
check_v6_state_proof(const char *root, const char *folder, const char *proof_name)
{
	char		key[512],
				root_hex[80];
	char	   *manifest;
	uint8_t    *buf;
	size_t		len;
	uint64_t	version = 0,
				epoch = 0;

	snprintf(key, sizeof(key), "%s/state.manifest", folder);
	manifest = (char *) read_whole(root, key, &len);
	CHECK(manifest_string(manifest, "root_hash", root_hex, sizeof(root_hex)));
	CHECK(manifest_u64(manifest, "version", &version));
	CHECK(manifest_u64(manifest, "epoch", &epoch));
	free(manifest);
	snprintf(key, sizeof(key), "%s/%s", folder, proof_name);
	buf = read_whole(root, key, &len);
	CHECK(buf != NULL);
	if (buf)
	{
		ff_ledger_info li;
		const uint8_t *hash;
		ff_status	st;

		ff_status_clear(&st);
		CHECK_EQ_U64(ff_state_proof_decode(FF_ERA_V6, buf, len, &li, &hash, &st), FF_OK);
		CHECK(hash_is(hash, root_hex));
		CHECK_EQ_U64(li.version, version);
		CHECK_EQ_U64(li.epoch, epoch);
		CHECK_EQ_U64(ff_state_proof_decode(FF_ERA_V4, buf, len, &li, &hash, &st), FF_ERR_CORRUPT);
		free(buf);
	}
}

static void
test_real_v6(void)
{
	char		data[PATH_MAX],
				root[PATH_MAX + 64];
	struct stat sb;

	if (!unit_shared_data(data, sizeof(data)))
	{
		printf("test_real_v6 skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small", data);
	if (stat(root, &sb) != 0)
	{
		printf("test_real_v6 skipped: no 0l-v7-v6-small\n");
		return;
	}
	check_v6_epoch_ending(root, "v6/epoch_ending_79-.166d", "79-.chunk");
	check_v6_epoch_ending(root, "v7/epoch_ending_116-.be9b", "116-.chunk");
	check_v6_epoch_ending(root, "v7/epoch_ending_116-.be9b", "116-.chunk.gz");
	check_v6_state_proof(root, "v6/state_epoch_54_ver_18120170.96e8", "state.proof");
	check_v6_state_proof(root, "v6/state_epoch_54_ver_18120170.96e8", "state.proof.gz");
	check_v6_state_proof(root, "v6/state_epoch_79_ver_33217173.795d", "state.proof");
	check_v6_state_proof(root, "v7/state_epoch_116_ver_38180075.05af", "state.proof");
	check_v6_state_proof(root, "v7/state_epoch_116_ver_38180075.05af", "state.proof.gz");
}

int
main(void)
{
	RUN(test_synthetic_ledger_info);
	RUN(test_bad_ledger_infos);
	RUN(test_synthetic_v5_account);
	RUN(test_v4_dictionary);
	RUN(test_real_v4);
	RUN(test_real_v6);
	return unit_summary("legacy_state");
}
