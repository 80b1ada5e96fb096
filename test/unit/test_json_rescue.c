/*
 * test_json_rescue.c — unit tests of src/archive/json_rescue.c: synthetic dumps written
 * here (every field handed out, the error cases: flipped hash, bad hex, missing and
 * mistyped fields, negative numbers, events of another version, not an array, truncation,
 * the size limit, the empty array), file names, and every element of the five real
 * json-rescue files of 0l-v5-small (skipped when the samples are absent).
 */
#include "archive/json_rescue.h"

#include <limits.h>
#include <stdlib.h>

#include "io/source.h"
#include "unit.h"

/* ------------------------------------------------------------------------------------ */
/* synthetic dumps                                                                       */

/*
 * Two elements. The bytes of A are a BlockMetadata-shaped v5 BCS (tag 2, id 0x11 x 32,
 * round 4, timestamp, no votes, proposer 0xab x 16), those of B 18 arbitrary bytes; their
 * hashes were computed independently in python3:
 *   seed = hashlib.sha3_256(b"DIEM::Transaction").digest()
 *   hashlib.sha3_256(seed + bytes.fromhex(BYTES)).hexdigest()
 */
#define A_BYTES "022011111111111111111111111111111111111111111111111111111111111111110400000000000000feaad75457cf050000abababababababababababababababab"
#define A_HASH "06f8c5f7acacb08c6448a58a06385fc897e9c95c4423d9d887892e0494c0c136"
#define B_BYTES "00cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd07"
#define B_HASH "f217fc3260092c6fd048b44726217107b6ec8a2145ecb7f65608abf30f3a8215"

#define EV_NEWBLOCK "{\"key\":\"0c0000000000000000000000000000000000000000000000\",\"sequence_number\":0," \
	"\"transaction_version\":1,\"timestamp_usecs\":1635348876077822,\"data\":{\"type\":\"newblock\"," \
	"\"round\":4,\"proposer\":\"abababababababababababababababab\",\"proposed_time\":1635348876077822}}"
#define EV_PAYMENT "{\"key\":\"0100000000000000cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\",\"sequence_number\":7," \
	"\"transaction_version\":1,\"timestamp_usecs\":1635348876077822,\"data\":{\"type\":\"receivedpayment\"," \
	"\"amount\":{\"amount\":18446744073709551614,\"currency\":\"GAS\"}," \
	"\"sender\":\"abababababababababababababababab\",\"receiver\":\"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\",\"metadata\":\"\"}}"
#define EV_UNKNOWN "{\"key\":\"ffffffffffffff7f00000000000000000000000000000001\",\"sequence_number\":1," \
	"\"transaction_version\":1,\"data\":{\"type\":\"unknown\", \"bytes\" : \"00\", \"note\":\"a/b\"}}"

#define ELEM_A "{\"version\":1,\"timestamp_usecs\":1635348876077822," \
	"\"transaction\":{\"type\":\"blockmetadata\",\"timestamp_usecs\":1635348876077822}," \
	"\"hash\":\"" A_HASH "\",\"bytes\":\"" A_BYTES "\"," \
	"\"events\":[" EV_NEWBLOCK "," EV_PAYMENT "," EV_UNKNOWN "]," \
	"\"vm_status\":{\"type\":\"executed\"},\"gas_used\":100000000}"
#define ELEM_B "{\n    \"version\": 2,\n    \"timestamp_usecs\": 1635348876077823,\n" \
	"    \"transaction\": {\"type\": \"user\", \"sender\": \"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\"},\n" \
	"    \"hash\": \"" B_HASH "\",\n    \"bytes\": \"" B_BYTES "\",\n    \"events\": [],\n" \
	"    \"vm_status\": {\"type\": \"move_abort\", \"location\": \"00000000000000000000000000000001::DiemAccount\"," \
	" \"abort_code\": 12015, \"explanation\": null},\n    \"gas_used\": 945\n  }"
#define DUMP "[\n  " ELEM_A ",\n  " ELEM_B "\n]\n"

/* The message contains needle (both shown when it does not). */
#define CHECK_MESSAGE(message, needle) do { \
	const char *_m = (message), *_n = (needle); \
	if (strstr(_m, _n)) unit_passed++; \
	else { unit_failed++; fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", \
								  __FILE__, __LINE__, _m, _n); } \
} while (0)

/* A copy of s with the first occurrence of from replaced by to (from must occur). */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t		n = strlen(s) - strlen(from) + strlen(to);
	char	   *out = malloc(n + 1);

	if (!at)
	{
		fprintf(stderr, "replace: \"%s\" not found\n", from);
		abort();
	}
	memcpy(out, s, (size_t) (at - s));
	strcpy(out + (at - s), to);
	strcat(out, at + strlen(from));
	return out;
}

static ff_code
open_text(const char *text, size_t max_bytes, ff_rescue_reader **r, ff_status *st)
{
	size_t		len = strlen(text);
	char	   *copy = malloc(len + 1);
	ff_stream  *s;
	ff_code		code;

	memcpy(copy, text, len + 1);
	s = ff_stream_memory(copy, len, len);
	ff_status_clear(st);
	code = ff_rescue_open(s, max_bytes, r, st);
	ff_stream_close(s);
	return code;
}

/* The first element of text fails with CORRUPT and a message containing `needle`. */
static void
check_first_corrupt(const char *text, const char *needle)
{
	ff_rescue_reader *r = NULL;
	ff_rescue_tx tx;
	ff_status	st;
	ff_code		code;

	CHECK_EQ_U64(open_text(text, 1 << 20, &r, &st), FF_OK);
	if (!r)
		return;
	code = ff_rescue_next(r, &tx, &st);
	CHECK_EQ_U64(code, FF_ERR_CORRUPT);
	CHECK_MESSAGE(st.message, needle);
	CHECK_EQ_U64(st.record, 0);
	CHECK_EQ_U64(st.offset, strchr(text, '{') - text);
	ff_rescue_close(r);
}

static void
test_good_dump(void)
{
	ff_rescue_reader *r = NULL;
	ff_rescue_tx tx;
	ff_status	st;
	const ff_rescue_event *e;

	CHECK_EQ_U64(open_text(DUMP, 1 << 20, &r, &st), FF_OK);
	if (!r)
		return;
	CHECK_EQ_U64(ff_rescue_count(r), 2);

	CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_OK);
	CHECK_EQ_U64(tx.index, 0);
	CHECK_EQ_U64(tx.version, 1);
	CHECK_EQ_U64(tx.timestamp_usecs, 1635348876077822ULL);
	CHECK(tx.hash[0] == 0x06 && tx.hash[1] == 0xf8 && tx.hash[31] == 0x36);
	CHECK_EQ_U64(tx.len, 67);
	CHECK(tx.bytes[0] == 2 && tx.bytes[1] == 0x20 && tx.bytes[2] == 0x11 && tx.bytes[66] == 0xab);
	CHECK_STR(tx.view_type, "blockmetadata");
	CHECK_STR(tx.vm_status_type, "executed");
	CHECK_STR(tx.vm_status_json, "{\"type\":\"executed\"}");
	CHECK(!tx.has_abort_code);
	CHECK(tx.abort_location == NULL);
	CHECK_EQ_U64(tx.gas_used, 100000000);
	CHECK_EQ_U64(tx.n_events, 3);

	e = &tx.events[0];
	CHECK_EQ_U64(e->index, 0);
	CHECK_EQ_U64(e->creation_number, 12);
	CHECK(e->account == e->key + 8);
	CHECK(e->key[0] == 0x0c && e->account[0] == 0 && e->account[15] == 0);
	CHECK_EQ_U64(e->sequence_number, 0);
	CHECK_STR(e->data_type, "newblock");
	CHECK_STR(e->move_type, "0x1::DiemBlock::NewBlockEvent");
	CHECK_STR(e->data_json, "{\"type\":\"newblock\",\"round\":4,\"proposer\":\"abababababababababababababababab\","
			  "\"proposed_time\":1635348876077822}");
	CHECK(!e->has_amount);

	e = &tx.events[1];
	CHECK_EQ_U64(e->index, 1);
	CHECK_EQ_U64(e->creation_number, 1);
	CHECK(e->account[0] == 0xcd && e->account[15] == 0xcd);
	CHECK_EQ_U64(e->sequence_number, 7);
	CHECK_STR(e->data_type, "receivedpayment");
	CHECK_STR(e->move_type, "0x1::DiemAccount::ReceivedPaymentEvent");
	CHECK(e->has_amount);
	CHECK_EQ_U64(e->amount, UINT64_MAX - 1);

	e = &tx.events[2];
	CHECK_EQ_U64(e->creation_number, INT64_MAX);	/* ff..ff7f little-endian */
	CHECK(e->account[0] == 0 && e->account[15] == 1);
	CHECK_STR(e->data_type, "unknown");
	CHECK(e->move_type == NULL);
	CHECK(!e->has_amount);
	/* compact, key order kept, "/" not escaped */
	CHECK_STR(e->data_json, "{\"type\":\"unknown\",\"bytes\":\"00\",\"note\":\"a/b\"}");

	CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_OK);
	CHECK_EQ_U64(tx.index, 1);
	CHECK_EQ_U64(tx.version, 2);
	CHECK_EQ_U64(tx.len, 18);
	CHECK(tx.bytes[0] == 0 && tx.bytes[17] == 7);
	CHECK_STR(tx.view_type, "user");
	CHECK_STR(tx.vm_status_type, "move_abort");
	CHECK(tx.has_abort_code);
	CHECK_EQ_U64(tx.abort_code, 12015);
	CHECK_STR(tx.abort_location, "00000000000000000000000000000001::DiemAccount");
	CHECK_STR(tx.vm_status_json, "{\"type\":\"move_abort\",\"location\":\"00000000000000000000000000000001::DiemAccount\","
			  "\"abort_code\":12015,\"explanation\":null}");
	CHECK_EQ_U64(tx.gas_used, 945);
	CHECK_EQ_U64(tx.n_events, 0);

	CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_EOF);
	CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_EOF);
	ff_rescue_close(r);
}

static void
test_flipped_hash(void)
{
	/* last hex digit of A's hash 6 -> 7 */
	char	   *text = replace(DUMP, A_HASH, "06f8c5f7acacb08c6448a58a06385fc897e9c95c4423d9d887892e0494c0c137");
	ff_rescue_reader *r = NULL;
	ff_rescue_tx tx;
	ff_status	st;

	check_first_corrupt(text, "hash 06f8c5f7acacb08c6448a58a06385fc897e9c95c4423d9d887892e0494c0c137 of version 1 "
						"does not match the recomputed hash " A_HASH);
	/* the reader moves on: the next element still reads */
	CHECK_EQ_U64(open_text(text, 1 << 20, &r, &st), FF_OK);
	if (r)
	{
		CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_ERR_CORRUPT);
		CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_OK);
		CHECK_EQ_U64(tx.version, 2);
		CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_EOF);
		ff_rescue_close(r);
	}
	free(text);

	/* one byte of the bytes changed: the given hash no longer matches */
	text = replace(DUMP, "0400000000000000feaa", "0500000000000000feaa");
	check_first_corrupt(text, "of version 1 does not match the recomputed hash");
	free(text);
}

static void
test_bad_fields(void)
{
	static const struct
	{
		const char *from;
		const char *to;
		const char *needle;
	}			cases[] = {
		/* bad hex */
		{"\"bytes\":\"0220", "\"bytes\":\"02zz", "element 0 (version 1): \"bytes\" has a bad hex digit at character 2"},
		{"\"bytes\":\"0220", "\"bytes\":\"020", "\"bytes\" has 133 hex digits"},
		{"\"bytes\":\"" A_BYTES, "\"bytes\":\"", "\"bytes\" has 0 hex digits"},
		{"\"hash\":\"06f8", "\"hash\":\"g6f8", "\"hash\" has a bad hex digit at character 0"},
		{"\"hash\":\"06f8", "\"hash\":\"6f8", "\"hash\" has 63 characters, not 64 hex digits"},
		{"\"key\":\"0c00", "\"key\":\"0c0x", "event 0: \"key\" has a bad hex digit at character 3"},
		{"\"key\":\"0c00", "\"key\":\"0c0", "event 0: \"key\" has 47 characters, not 48 hex digits"},
		/* missing */
		{"\"gas_used\":100000000", "\"gas_use\":100000000", "element 0 (version 1): missing \"gas_used\""},
		{"{\"version\":1,", "{", "element 0: missing \"version\""},
		{"\"timestamp_usecs\":1635348876077822,\"transaction\"", "\"transaction\"", "missing \"timestamp_usecs\""},
		{"\"vm_status\":{\"type\":\"executed\"}", "\"vm_status\":{}", "missing \"type\""},
		{"\"sequence_number\":7,", "", "event 1: missing \"sequence_number\""},
		{"\"amount\":{\"amount\":18446744073709551614,", "\"amount\":{", "event 1: missing \"amount\""},
		{"\"events\":[", "\"evts\":[", "missing \"events\""},
		/* mistyped */
		{"\"transaction\":{\"type\":\"blockmetadata\",\"timestamp_usecs\":1635348876077822}", "\"transaction\":\"user\"",
		"\"transaction\" is not an object"},
		{"\"version\":1,", "\"version\":\"1\",", "element 0: \"version\" is not an integer"},
		{"\"gas_used\":100000000", "\"gas_used\":1.5", "\"gas_used\" is not an integer"},
		{"\"events\":[", "\"events\":\"x\",\"e\":[", "\"events\" is not an array"},
		{"\"data\":{\"type\":\"newblock\"", "\"data\":{\"type\":12", "event 0: \"type\" is not a string"},
		{"\"vm_status\":{\"type\":\"executed\"}", "\"vm_status\":{\"type\":\"executed\",\"location\":5}", "\"location\" is not a string"},
		/* negative, out of range */
		{"\"gas_used\":100000000", "\"gas_used\":-1", "element 0 (version 1): \"gas_used\" is negative"},
		{"\"sequence_number\":7,", "\"sequence_number\":-7,", "event 1: \"sequence_number\" is negative"},
		{"\"gas_used\":100000000", "\"gas_used\":18446744073709551616", "\"gas_used\" is out of range"},
		/* events of another version */
		{"\"sequence_number\":7,\"transaction_version\":1", "\"sequence_number\":7,\"transaction_version\":2",
		"element 0 (version 1): event 1 has transaction_version 2, not 1"},
		/* move_abort needs its code */
		{"\"vm_status\":{\"type\":\"executed\"}", "\"vm_status\":{\"type\":\"move_abort\"}", "missing \"abort_code\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char	   *text = replace(DUMP, cases[i].from, cases[i].to);
		int			before = unit_failed;

		check_first_corrupt(text, cases[i].needle);
		if (unit_failed != before)
			fprintf(stderr, "  in case %zu\n", i);
		free(text);
	}

	/* an element that is not an object */
	{
		ff_rescue_reader *r = NULL;
		ff_rescue_tx tx;
		ff_status	st;

		CHECK_EQ_U64(open_text("[ 1 ]", 100, &r, &st), FF_OK);
		if (r)
		{
			CHECK_EQ_U64(ff_rescue_count(r), 1);
			CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_ERR_CORRUPT);
			CHECK_STR(st.message, "element 0 is not an object");
			CHECK_EQ_U64(st.offset, 2);
			ff_rescue_close(r);
		}
	}
}

static void
test_not_an_array(void)
{
	static const struct
	{
		const char *text;
		const char *needle;
	}			cases[] = {
		{"", "the text is empty"},
		{"  \n", "the text is empty"},
		{"{\"version\":1}", "not a JSON array: '{' at byte 0"},
		{" \"x\"", "not a JSON array: '\"' at byte 1"},
		{"[", "the array is not closed"},
		{"[{\"a\":1}", "the array is not closed"},
		{"[{\"a\":1", "truncated JSON"},
		{"[{\"a\":1} {\"a\":2}]", "expected ',' or ']' after element 0 at byte 9"},
		{"[{\"a\":1},]", "invalid JSON"},
		{"[{\"a\":1}] x", "unexpected text after the array at byte 10"},
		{"[][]", "unexpected text after the array at byte 2"},
		{"[{\"a\":}]", "invalid JSON"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		ff_rescue_reader *r = (ff_rescue_reader *) 1;
		ff_status	st;

		CHECK_EQ_U64(open_text(cases[i].text, 100, &r, &st), FF_ERR_CORRUPT);
		CHECK(r == NULL);
		CHECK_MESSAGE(st.message, cases[i].needle);
	}
}

static void
test_limit_and_empty(void)
{
	ff_rescue_reader *r = (ff_rescue_reader *) 1;
	ff_rescue_tx tx;
	ff_status	st;
	size_t		len = strlen(DUMP);

	/* one byte over the limit: FF_ERR_LIMIT (from ff_stream_read_all); exactly at it: fine */
	CHECK_EQ_U64(open_text(DUMP, len - 1, &r, &st), FF_ERR_LIMIT);
	CHECK(r == NULL);
	CHECK(strstr(st.message, "larger than the limit") != NULL);
	CHECK_EQ_U64(open_text(DUMP, len, &r, &st), FF_OK);
	if (r)
	{
		CHECK_EQ_U64(ff_rescue_count(r), 2);
		ff_rescue_close(r);
	}

	/* empty arrays: EOF at once */
	CHECK_EQ_U64(open_text("[]", 100, &r, &st), FF_OK);
	if (r)
	{
		CHECK_EQ_U64(ff_rescue_count(r), 0);
		CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_EOF);
		ff_rescue_close(r);
	}
	CHECK_EQ_U64(open_text(" \n[ \n ]\n", 100, &r, &st), FF_OK);
	if (r)
	{
		CHECK_EQ_U64(ff_rescue_count(r), 0);
		CHECK_EQ_U64(ff_rescue_next(r, &tx, &st), FF_EOF);
		ff_rescue_close(r);
	}
	ff_rescue_close(NULL);
}

/*
 * Names. Decision: any "<something>.json" is a rescue file (the published dumps are plain
 * JSON); a "<first>-<last>.json" name gives its range, any other the unknown range
 * 0..UINT64_MAX; compressed names ("x.json.gz") are not rescue files.
 */
static void
test_names(void)
{
	uint64_t	a = 1,
				b = 1;

	CHECK(ff_rescue_name_range("0-999.json", &a, &b));
	CHECK_EQ_U64(a, 0);
	CHECK_EQ_U64(b, 999);
	CHECK(ff_rescue_name_range("10000-10999.json", &a, &b));
	CHECK_EQ_U64(a, 10000);
	CHECK_EQ_U64(b, 10999);
	CHECK(ff_rescue_name_range("example_miner_tx.json", &a, &b));
	CHECK_EQ_U64(a, 0);
	CHECK_EQ_U64(b, UINT64_MAX);
	CHECK(!ff_rescue_name_range("x.json.gz", &a, &b));
	CHECK(!ff_rescue_name_range(".json", &a, &b));
	CHECK(!ff_rescue_name_range("0-999.JSON", &a, &b));
	CHECK(!ff_rescue_name_range("0-999.chunk", &a, &b));
	CHECK(!ff_rescue_name_range("", &a, &b));
	CHECK(ff_rescue_name_range("5-5.json", &a, &b));
	CHECK_EQ_U64(a, 5);
	CHECK_EQ_U64(b, 5);
	/* reversed, overflowing, or not only digits: a rescue file of unknown range */
	a = b = 7;
	CHECK(ff_rescue_name_range("999-0.json", &a, &b));
	CHECK(a == 0 && b == UINT64_MAX);
	CHECK(ff_rescue_name_range("0-18446744073709551616.json", &a, &b));
	CHECK(a == 0 && b == UINT64_MAX);
	CHECK(ff_rescue_name_range("0-18446744073709551615.json", &a, &b));
	CHECK(a == 0 && b == UINT64_MAX);
	CHECK(ff_rescue_name_range("1-2x.json", &a, &b));
	CHECK(a == 0 && b == UINT64_MAX);
	CHECK(ff_rescue_name_range("1-.json", &a, &b));
	CHECK(a == 0 && b == UINT64_MAX);
	CHECK(ff_rescue_name_range("1-2.json", NULL, NULL));
}

/* ------------------------------------------------------------------------------------ */
/* the real files                                                                        */

/*
 * Expected figures per file, from an independent python3 script (json + hashlib only):
 *   seed = sha3_256(b"DIEM::Transaction"); for each element e: hash ok when
 *   sha3_256(seed + bytes.fromhex(e["bytes"])).hexdigest() == e["hash"]; Counters of
 *   e["transaction"]["type"], e["vm_status"]["type"], event data["type"]; sums of
 *   data["amount"]["amount"] over sentpayment/receivedpayment and over mint; of
 *   vm_status["abort_code"]; of gas_used; of len(bytes); of
 *   len(json.dumps(data / vm_status, separators=(",", ":"))); count of events whose
 *   int.from_bytes(key[:8], "little") is 12; first and last version.
 */
typedef struct real_expect
{
	const char *name;
	uint64_t	count,
				first,
				last;
	uint64_t	writeset,
				blockmetadata,
				user;
	uint64_t	executed,
				move_abort;
	uint64_t	events,
				newblock,
				newepoch,
				createaccount,
				receivedpayment,
				sentpayment,
				mint;
	uint64_t	payment_sum,
				mint_sum,
				abort_code_sum,
				gas_sum,
				bytes_sum,
				data_json_chars,
				vm_status_json_chars,
				creation_12;
} real_expect;

static const real_expect real_files[] = {
	{.name = "0-999.json", .count = 1000, .first = 0, .last = 999,
		.writeset = 1, .blockmetadata = 988, .user = 11, .executed = 1000, .move_abort = 0,
		.events = 1086, .newblock = 988, .newepoch = 2, .createaccount = 39, .receivedpayment = 38,
		.sentpayment = 0, .mint = 19, .payment_sum = 228000000, .mint_sum = 209000000,
		.abort_code_sum = 0, .gas_sum = 98800015735ULL, .bytes_sum = 470883,
	.data_json_chars = 121428, .vm_status_json_chars = 19000, .creation_12 = 988},
	{.name = "10000-10999.json", .count = 1000, .first = 10000, .last = 10999,
		.writeset = 0, .blockmetadata = 948, .user = 52, .executed = 964, .move_abort = 36,
		.events = 954, .newblock = 948, .newepoch = 0, .createaccount = 3, .receivedpayment = 3,
		.sentpayment = 0, .mint = 0, .payment_sum = 3000000, .mint_sum = 0,
		.abort_code_sum = 4565795, .gas_sum = 94800022565ULL, .bytes_sum = 331983,
	.data_json_chars = 106739, .vm_status_json_chars = 22564, .creation_12 = 948},
	{.name = "example_create_user.json", .count = 1, .first = 9768, .last = 9768,
		.writeset = 0, .blockmetadata = 0, .user = 1, .executed = 1, .move_abort = 0,
		.events = 2, .newblock = 0, .newepoch = 0, .createaccount = 1, .receivedpayment = 1,
		.sentpayment = 0, .mint = 0, .payment_sum = 1000000, .mint_sum = 0,
		.abort_code_sum = 0, .gas_sum = 1192, .bytes_sum = 254,
	.data_json_chars = 313, .vm_status_json_chars = 19, .creation_12 = 0},
	{.name = "example_miner_tx.json", .count = 1, .first = 176, .last = 176,
		.writeset = 0, .blockmetadata = 0, .user = 1, .executed = 1, .move_abort = 0,
		.events = 0, .payment_sum = 0, .mint_sum = 0,
		.abort_code_sum = 0, .gas_sum = 1429, .bytes_sum = 1679,
	.data_json_chars = 0, .vm_status_json_chars = 19, .creation_12 = 0},
	{.name = "example_set_wallet_type.json", .count = 1, .first = 8894, .last = 8894,
		.writeset = 0, .blockmetadata = 0, .user = 1, .executed = 1, .move_abort = 0,
		.events = 0, .payment_sum = 0, .mint_sum = 0,
		.abort_code_sum = 0, .gas_sum = 40, .bytes_sum = 204,
	.data_json_chars = 0, .vm_status_json_chars = 19, .creation_12 = 0},
};

static void
test_real_files(void)
{
	const char *env = getenv("FF_SHARED_DATA");
	char		dir[PATH_MAX + 64];
	char		root[PATH_MAX];
	ff_source  *src = NULL;
	ff_status	st;
	uint64_t	total_hashes = 0;
	bool		seen_abort_10013 = false,
				seen_epoch_1 = false;

	snprintf(dir, sizeof(dir), "%s/0l-v5-small/json-rescue", env && *env ? env : "../shared/data");
	ff_status_clear(&st);
	if (!realpath(dir, root) || ff_source_local_new(root, NULL, &src, &st) != FF_OK)
	{
		printf("test_real_files skipped: no real samples (%s)\n", dir);
		return;
	}
	for (size_t f = 0; f < sizeof(real_files) / sizeof(real_files[0]); f++)
	{
		const real_expect *x = &real_files[f];
		real_expect got = {.name = x->name, .first = UINT64_MAX};
		ff_stream  *s = NULL;
		ff_rescue_reader *r = NULL;
		ff_rescue_tx tx;
		ff_code		code;
		uint64_t	ok = 0,
					name_first,
					name_last;
		int			before = unit_failed;

		CHECK(ff_rescue_name_range(x->name, &name_first, &name_last));
		CHECK_EQ_U64(ff_source_open(src, x->name, 0, &s, &st), FF_OK);
		if (!s)
			continue;
		CHECK_EQ_U64(ff_rescue_open(s, 16 << 20, &r, &st), FF_OK);
		ff_stream_close(s);
		if (!r)
			continue;
		got.count = ff_rescue_count(r);
		while ((code = ff_rescue_next(r, &tx, &st)) == FF_OK)
		{
			ok++;				/* FF_OK means the hash was recomputed and matched */
			if (tx.version < got.first)
				got.first = tx.version;
			if (tx.version > got.last)
				got.last = tx.version;
			got.writeset += strcmp(tx.view_type, "writeset") == 0;
			got.blockmetadata += strcmp(tx.view_type, "blockmetadata") == 0;
			got.user += strcmp(tx.view_type, "user") == 0;
			got.executed += strcmp(tx.vm_status_type, "executed") == 0;
			got.move_abort += strcmp(tx.vm_status_type, "move_abort") == 0;
			if (tx.has_abort_code)
				got.abort_code_sum += tx.abort_code;
			got.gas_sum += tx.gas_used;
			got.bytes_sum += tx.len;
			got.vm_status_json_chars += strlen(tx.vm_status_json);
			if (tx.version == 10013)
			{
				seen_abort_10013 = true;
				CHECK(tx.has_abort_code);
				CHECK_EQ_U64(tx.abort_code, 12015);
				CHECK_STR(tx.abort_location, "00000000000000000000000000000001::DiemAccount");
			}
			got.events += tx.n_events;
			for (uint32_t i = 0; i < tx.n_events; i++)
			{
				const ff_rescue_event *e = &tx.events[i];

				CHECK_EQ_U64(e->index, i);
				got.newblock += strcmp(e->data_type, "newblock") == 0;
				got.newepoch += strcmp(e->data_type, "newepoch") == 0;
				got.createaccount += strcmp(e->data_type, "createaccount") == 0;
				got.receivedpayment += strcmp(e->data_type, "receivedpayment") == 0;
				got.sentpayment += strcmp(e->data_type, "sentpayment") == 0;
				got.mint += strcmp(e->data_type, "mint") == 0;
				if (e->has_amount && strcmp(e->data_type, "mint") == 0)
					got.mint_sum += e->amount;
				else if (e->has_amount)
					got.payment_sum += e->amount;
				got.data_json_chars += strlen(e->data_json);
				got.creation_12 += e->creation_number == 12;
				/* every type in these files maps to a Move struct */
				CHECK(e->move_type != NULL);
				if (tx.version == 1 && strcmp(e->data_type, "newepoch") == 0)
				{
					seen_epoch_1 = true;
					CHECK_EQ_U64(e->creation_number, 4);
					CHECK_STR(e->move_type, "0x1::DiemConfig::NewEpochEvent");
					CHECK_STR(e->data_json, "{\"type\":\"newepoch\",\"epoch\":2}");
				}
			}
		}
		if (code != FF_EOF)
			fprintf(stderr, "%s: %s\n", x->name, st.message);
		CHECK_EQ_U64(code, FF_EOF);
		CHECK_EQ_U64(ok, x->count);
		total_hashes += ok;
		CHECK_EQ_U64(got.count, x->count);
		CHECK_EQ_U64(got.first, x->first);
		CHECK_EQ_U64(got.last, x->last);
		if (name_last != UINT64_MAX)
		{
			CHECK_EQ_U64(got.first, name_first);
			CHECK_EQ_U64(got.last, name_last);
		}
		CHECK_EQ_U64(got.writeset, x->writeset);
		CHECK_EQ_U64(got.blockmetadata, x->blockmetadata);
		CHECK_EQ_U64(got.user, x->user);
		CHECK_EQ_U64(got.executed, x->executed);
		CHECK_EQ_U64(got.move_abort, x->move_abort);
		CHECK_EQ_U64(got.events, x->events);
		CHECK_EQ_U64(got.newblock, x->newblock);
		CHECK_EQ_U64(got.newepoch, x->newepoch);
		CHECK_EQ_U64(got.createaccount, x->createaccount);
		CHECK_EQ_U64(got.receivedpayment, x->receivedpayment);
		CHECK_EQ_U64(got.sentpayment, x->sentpayment);
		CHECK_EQ_U64(got.mint, x->mint);
		/* no other data types in these files */
		CHECK_EQ_U64(got.newblock + got.newepoch + got.createaccount + got.receivedpayment +
					 got.sentpayment + got.mint, x->events);
		CHECK_EQ_U64(got.payment_sum, x->payment_sum);
		CHECK_EQ_U64(got.mint_sum, x->mint_sum);
		CHECK_EQ_U64(got.abort_code_sum, x->abort_code_sum);
		CHECK_EQ_U64(got.gas_sum, x->gas_sum);
		CHECK_EQ_U64(got.bytes_sum, x->bytes_sum);
		CHECK_EQ_U64(got.data_json_chars, x->data_json_chars);
		CHECK_EQ_U64(got.vm_status_json_chars, x->vm_status_json_chars);
		CHECK_EQ_U64(got.creation_12, x->creation_12);
		if (unit_failed != before)
			fprintf(stderr, "  in %s\n", x->name);
		ff_rescue_close(r);
	}
	/* 1000 + 1000 + 1 + 1 + 1 elements, every hash recomputed and equal */
	CHECK_EQ_U64(total_hashes, 2003);
	CHECK(seen_abort_10013);
	CHECK(seen_epoch_1);
	printf("test_real_files: %" PRIu64 " transaction hashes checked\n", total_hashes);
	ff_source_destroy(src);
}

int
main(void)
{
	RUN(test_good_dump);
	RUN(test_flipped_hash);
	RUN(test_bad_fields);
	RUN(test_not_an_array);
	RUN(test_limit_and_empty);
	RUN(test_names);
	RUN(test_real_files);
	return unit_summary("json_rescue");
}
