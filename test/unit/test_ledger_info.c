/*
 * test_ledger_info.c — unit tests of src/chain/ledger_info.c: a synthetic v6/v7
 * LedgerInfoWithSignatures (fields, validators, voting power, signers) whose waypoint is
 * compared with the hash of an independently written Ledger2WaypointConverter; key and
 * signature sizes, variants, trailing bytes, truncation at every byte; and — when
 * ../shared/data is present — every record of every epoch-ending chunk of the v6
 * test-chain sample and of the v6/v7 mainnet fixtures, each waypoint recomputed and
 * compared with its manifest's.
 */

#include "chain/hash.h"
#include "chain/ledger_info.h"
#include "unit.h"
#include "unit_records.h"

/* ------------------------------------------------------------------------------------ */
/* synthetic records                                                                     */

typedef struct li_parts
{
	uint64_t	epoch;
	uint64_t	version;
	uint64_t	timestamp;
	int			validators;		/* -1: no next_epoch_state */
	uint64_t	power[4];
	size_t		key_len;		/* BLS public key length written */
	const uint8_t *bitmask;
	size_t		bitmask_len;
	size_t		sig_len;		/* 0: no signature */
} li_parts;

/* EpochState (after the Option tag) */
static void
w_epoch_state(wbuf *w, const li_parts *p)
{
	w_u64(w, p->epoch + 1);
	w_uleb(w, (uint32_t) p->validators);
	for (int i = 0; i < p->validators; i++)
	{
		w_addr_short(w, (uint8_t) (0x10 + i));
		w_uleb(w, (uint32_t) p->key_len);
		w_fill(w, (uint8_t) (0xa0 + i), p->key_len);
		w_u64(w, p->power[i]);
	}
}

static void
build_record(wbuf *w, const li_parts *p)
{
	w->len = 0;
	w_u8(w, 0);					/* V0 */
	w_u64(w, p->epoch);
	w_u64(w, 4);				/* round */
	w_fill(w, 0x7c, 32);		/* block id */
	w_fill(w, 0x57, 32);		/* executed_state_id */
	w_u64(w, p->version);
	w_u64(w, p->timestamp);
	w_u8(w, p->validators >= 0);
	if (p->validators >= 0)
		w_epoch_state(w, p);
	w_fill(w, 0x48, 32);		/* consensus_data_hash */
	w_bytes(w, p->bitmask, p->bitmask_len);
	w_u8(w, p->sig_len > 0);
	if (p->sig_len > 0)
	{
		w_uleb(w, (uint32_t) p->sig_len);
		w_fill(w, 0x99, p->sig_len);
	}
}

/* The waypoint the long way: BCS of Ledger2WaypointConverter written field by field. */
static void
expected_waypoint(const li_parts *p, uint8_t out[32])
{
	wbuf		conv;

	conv.len = 0;
	w_u64(&conv, p->epoch);
	w_fill(&conv, 0x57, 32);
	w_u64(&conv, p->version);
	w_u64(&conv, p->timestamp);
	w_u8(&conv, p->validators >= 0);
	if (p->validators >= 0)
		w_epoch_state(&conv, p);
	ff_crypto_hash("DIEM::", "Ledger2WaypointConverter", conv.data, conv.len, out);
}

static ff_code
decode(const wbuf *w, ff_ledger_info *li, ff_status *st)
{
	ff_status_clear(st);
	return ff_ledger_info_decode(w->data, w->len, li, st);
}

static void
test_synthetic(void)
{
	static const uint8_t bitmask[] = {0xe0};
	li_parts	p = {7, 1234, 1696537347627007ULL, 3, {1, 2, 3, 0}, 48, bitmask, 1, 96};
	wbuf		w;
	ff_ledger_info li;
	ff_status	st;
	ff_validator v;
	size_t		state = 0;
	uint8_t		wp[32],
				want[32];

	build_record(&w, &p);
	CHECK_EQ_U64(decode(&w, &li, &st), FF_OK);
	CHECK_EQ_U64(li.epoch, 7);
	CHECK_EQ_U64(li.round, 4);
	CHECK(li.block_id == w.data + 17 && li.block_id[0] == 0x7c);
	CHECK(li.executed_state_id == w.data + 49 && li.executed_state_id[31] == 0x57);
	CHECK_EQ_U64(li.version, 1234);
	CHECK_EQ_U64(li.timestamp_usecs, 1696537347627007ULL);
	CHECK(li.has_next_epoch_state);
	CHECK_EQ_U64(li.next_epoch, 8);
	CHECK_EQ_U64(li.validator_count, 3);
	CHECK_EQ_U64(li.validators.len, 3 * 89);
	CHECK_EQ_U64(li.total_voting_power, 6);
	CHECK(li.consensus_data_hash && li.consensus_data_hash[0] == 0x48);
	CHECK_EQ_U64(li.signer_bitmask.len, 1);
	CHECK_EQ_U64(li.signer_count, 3);
	CHECK(li.has_signature && li.signature.len == 96);
	CHECK(li.bcs.ptr == w.data && li.bcs.len == w.len);
	for (int i = 0; i < 3; i++)
	{
		CHECK(ff_ledger_info_next_validator(&li, &state, &v));
		CHECK(v.address[31] == 0x10 + i && v.public_key.len == 48 && v.public_key.ptr[0] == 0xa0 + i);
		CHECK_EQ_U64(v.voting_power, (uint64_t) i + 1);
	}
	CHECK(!ff_ledger_info_next_validator(&li, &state, &v));

	ff_ledger_info_waypoint(&li, "DIEM::", wp);
	expected_waypoint(&p, want);
	CHECK(memcmp(wp, want, 32) == 0);
	/* another domain gives another hash (v4 would be "LIBRA::") */
	ff_ledger_info_waypoint(&li, "LIBRA::", wp);
	CHECK(memcmp(wp, want, 32) != 0);

	/* truncation at every byte, on exact-size copies */
	for (size_t k = 0; k < w.len; k++)
	{
		uint8_t    *copy = malloc(k ? k : 1);

		memcpy(copy, w.data, k);
		ff_status_clear(&st);
		CHECK_EQ_U64(ff_ledger_info_decode(copy, k, &li, &st), FF_ERR_CORRUPT);
		CHECK(st.offset >= 0 && (size_t) st.offset <= k);
		free(copy);
	}

	/* voting power saturates */
	p.power[0] = UINT64_MAX - 1;
	build_record(&w, &p);
	CHECK_EQ_U64(decode(&w, &li, &st), FF_OK);
	CHECK_EQ_U64(li.total_voting_power, UINT64_MAX);
}

/* Genesis-like: no signers, no signature; and a ledger info without next_epoch_state. */
static void
test_no_signature_no_state(void)
{
	li_parts	p = {0, 0, 0, 1, {1}, 48, NULL, 0, 0};
	wbuf		w;
	ff_ledger_info li;
	ff_status	st;
	uint8_t		wp[32],
				want[32];
	size_t		state = 0;
	ff_validator v;

	build_record(&w, &p);
	CHECK_EQ_U64(decode(&w, &li, &st), FF_OK);
	CHECK(!li.has_signature && li.signature.len == 0);
	CHECK(li.signer_count == 0 && li.signer_bitmask.len == 0);
	ff_ledger_info_waypoint(&li, "DIEM::", wp);
	expected_waypoint(&p, want);
	CHECK(memcmp(wp, want, 32) == 0);

	p.validators = -1;
	build_record(&w, &p);
	CHECK_EQ_U64(decode(&w, &li, &st), FF_OK);
	CHECK(!li.has_next_epoch_state && li.validator_count == 0 && li.total_voting_power == 0);
	CHECK(!ff_ledger_info_next_validator(&li, &state, &v));
	CHECK_EQ_U64(li.wp_next_state.len, 1);
	ff_ledger_info_waypoint(&li, "DIEM::", wp);
	expected_waypoint(&p, want);
	CHECK(memcmp(wp, want, 32) == 0);
}

static void
expect_failure(const wbuf *w, const char *message, int64_t offset, int line)
{
	ff_ledger_info li;
	ff_status	st;
	ff_code		got = decode(w, &li, &st);

	unit_check_status(__FILE__, line, got, &st, FF_ERR_CORRUPT, message, offset);
}

#define EXPECT_FAIL(w, message, offset) expect_failure(w, message, offset, __LINE__)

static void
test_bad_records(void)
{
	static const uint8_t bitmask[] = {0x80};
	li_parts	p = {5, 99, 1, 2, {1, 1}, 48, bitmask, 1, 96};
	wbuf		w;
	size_t		state_at = 1 + 8 + 8 + 32 + 32 + 8 + 8;

	build_record(&w, &p);
	w.data[0] = 1;
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: unknown LedgerInfoWithSignatures variant", 0);
	w_u8(&w, 0);
	w.data[0] = 0;
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: trailing bytes after the LedgerInfoWithSignatures",
				(int64_t) w.len - 1);
	/* the option tag of next_epoch_state */
	build_record(&w, &p);
	w.data[state_at] = 2;
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: option tag not 00 or 01", (int64_t) state_at);

	/* a 47-byte and a 49-byte public key */
	p.key_len = 47;
	build_record(&w, &p);
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: validator public key is not 48 bytes",
				(int64_t) (state_at + 1 + 8 + 1 + 32));
	p.key_len = 49;
	build_record(&w, &p);
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: validator public key is not 48 bytes",
				(int64_t) (state_at + 1 + 8 + 1 + 32));
	p.key_len = 48;

	/* a 95-byte and a 97-byte signature */
	p.sig_len = 95;
	build_record(&w, &p);
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: aggregate signature is not 96 bytes",
				(int64_t) (w.len - 1 - 95));
	p.sig_len = 97;
	build_record(&w, &p);
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: aggregate signature is not 96 bytes",
				(int64_t) (w.len - 1 - 97));

	/* more validators than the bytes can hold */
	p.sig_len = 96;
	build_record(&w, &p);
	w.data[state_at + 1 + 8] = 100;
	EXPECT_FAIL(&w, "bad LedgerInfoWithSignatures: sequence count exceeds the remaining bytes",
				(int64_t) (state_at + 1 + 8));
}

/* ------------------------------------------------------------------------------------ */
/* real data                                                                             */

typedef struct real_totals
{
	size_t		backups,
				records,
				decode_failures,
				waypoint_bad,
				version_bad,
				count_bad,
				validators;
	uint64_t	first_epoch,
				last_epoch;
} real_totals;

/* The next "<version>:<64 hex>" string of a manifest's waypoints array, from *p on. */
static bool
next_waypoint(const char **p, uint64_t *version, uint8_t hash[32])
{
	const char *q = strchr(*p, '"');
	char		hex[65];
	int			used = 0;

	if (!q || sscanf(q, "\"%" SCNu64 ":%64[0-9a-f]\"%n", version, hex, &used) != 2 ||
		used == 0 || strlen(hex) != 64)
		return false;
	hex_to_bytes(hex, hash, 32);
	*p = q + used;
	return true;
}

/* Every chunk of one epoch-ending manifest, checked against its waypoints. */
static void
check_backup(ff_source *src, const char *manifest_key, real_totals *t)
{
	ff_status	st;
	char	   *manifest = unit_read_object(src, manifest_key, &st);
	const char *wp,
			   *chunk;
	const char *end_of_waypoints;

	t->backups++;
	if (!manifest || !(wp = strstr(manifest, "\"waypoints\":[")))
	{
		t->count_bad++;
		free(manifest);
		return;
	}
	wp += strlen("\"waypoints\":[");
	end_of_waypoints = strchr(wp, ']');
	for (chunk = strstr(manifest, "\"ledger_infos\":\""); chunk;
		 chunk = strstr(chunk, "\"ledger_infos\":\""))
	{
		char		key[1024];
		unit_chunk	ch;
		const uint8_t *rec;
		size_t		len;
		ff_code		code;

		chunk += strlen("\"ledger_infos\":\"");
		snprintf(key, sizeof(key), "%.*s", (int) strcspn(chunk, "\""), chunk);
		if (!unit_chunk_open(src, key, &ch, &st))
		{
			t->count_bad++;
			continue;
		}
		while ((code = ff_record_next(ch.records, &rec, &len, &st)) == FF_OK)
		{
			ff_ledger_info li;
			uint64_t	version;
			uint8_t		want[32],
						got[32];

			t->records++;
			if (ff_ledger_info_decode(rec, len, &li, &st) != FF_OK)
			{
				if (t->decode_failures++ < 5)
					fprintf(stderr, "  %s: %s at %" PRId64 "\n", key, st.message, st.offset);
				continue;
			}
			if (wp >= end_of_waypoints || !next_waypoint(&wp, &version, want))
			{
				t->count_bad++;
				continue;
			}
			ff_ledger_info_waypoint(&li, "DIEM::", got);
			if (memcmp(got, want, 32) != 0)
				t->waypoint_bad++;
			if (version != li.version)
				t->version_bad++;
			t->validators += li.validator_count;
			if (t->records == 1 || li.epoch < t->first_epoch)
				t->first_epoch = li.epoch;
			if (li.epoch > t->last_epoch)
				t->last_epoch = li.epoch;
		}
		if (code != FF_EOF)
			t->count_bad++;
		unit_chunk_close(&ch);
	}
	/* every waypoint used */
	if (wp < end_of_waypoints && strchr(wp, '"') && strchr(wp, '"') < end_of_waypoints)
		t->count_bad++;
	free(manifest);
}

/* Every epoch_ending_*\/epoch_ending.manifest under root. */
static bool
check_root(const char *root, real_totals *t)
{
	ff_source  *src;
	ff_listing	listing = {0};
	ff_status	st;

	if (ff_source_local_new(root, NULL, &src, &st) != FF_OK)
		return false;
	if (ff_source_list(src, &listing, &st) == FF_OK)
		for (size_t i = 0; i < listing.n; i++)
		{
			const char *key = listing.items[i].key;
			const char *slash = strchr(key, '/');

			if (strncmp(key, "epoch_ending_", 13) == 0 && slash &&
				strcmp(slash, "/epoch_ending.manifest") == 0)
				check_backup(src, key, t);
		}
	ff_listing_free(&listing);
	ff_source_destroy(src);
	return true;
}

static void
report(const char *name, const real_totals *t)
{
	printf("real epoch-ending %s: %zu backups, %zu records (epochs %" PRIu64 "..%" PRIu64 "), "
		   "%zu validator entries, waypoints bad %zu\n", name, t->backups, t->records,
		   t->first_epoch, t->last_epoch, t->validators, t->waypoint_bad);
	CHECK_EQ_U64(t->decode_failures, 0);
	CHECK_EQ_U64(t->waypoint_bad, 0);
	CHECK_EQ_U64(t->version_bad, 0);
	CHECK_EQ_U64(t->count_bad, 0);
}

static void
test_real_epoch_endings(void)
{
	char		data[PATH_MAX],
				root[PATH_MAX + 64];
	real_totals sample = {0},
				v6 = {0},
				v7 = {0};

	if (!unit_shared_data(data, sizeof(data)))
	{
		printf("test_real_epoch_endings skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(root, sizeof(root), "%s/0l-v6-testnet-sample", data);
	if (check_root(root, &sample))
	{
		report("0l-v6-testnet-sample", &sample);
		CHECK_EQ_U64(sample.backups, 2334);
		CHECK_EQ_U64(sample.records, 2334);
		CHECK(sample.first_epoch == 0 && sample.last_epoch == 2333);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v6", data);
	if (check_root(root, &v6))
	{
		report("0l-v7-v6-small/v6", &v6);
		CHECK(v6.records == 1 && v6.first_epoch == 79);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7", data);
	if (check_root(root, &v7))
	{
		report("0l-v7-v6-small/v7", &v7);
		CHECK(v7.records == 1 && v7.first_epoch == 116);
	}
}

int
main(void)
{
	RUN(test_synthetic);
	RUN(test_no_signature_no_state);
	RUN(test_bad_records);
	RUN(test_real_epoch_endings);
	return unit_summary("ledger_info");
}
