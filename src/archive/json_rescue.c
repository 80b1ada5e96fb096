/*
 * json_rescue.c — the reader of v5 JSON rescue dumps (a JSON array of v5 JSON-RPC
 * TransactionView objects). Open reads the whole text, walks the array once with json-c to
 * find where each element starts and ends (so a syntax error is reported at open, with its
 * byte offset); next parses one element at a time, checks every field the API hands out,
 * decodes the hex, and recomputes the transaction hash from the BCS bytes.
 * Only one element's json-c tree is alive at a time.
 */
#include "archive/json_rescue.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/hash.h"
#include "chain/render.h"

#define RESCUE_JSON_DEPTH 32
#define RESCUE_WHERE_MAX 96

typedef struct rescue_span
{
	size_t		start;			/* byte offset of the element's first character */
	size_t		end;			/* one past its last character */
} rescue_span;

struct ff_rescue_reader
{
	char	   *text;			/* the whole file, NUL-terminated */
	size_t		len;
	rescue_span *elems;
	size_t		n_elems;
	size_t		next;			/* index of the element next() reads */
	struct json_tokener *tok;
	struct json_object *cur;	/* the tree of the element last handed out */
	uint8_t	   *bytes;			/* decoded "bytes" of the current element */
	size_t		bytes_cap;
	ff_rescue_event *events;
	uint32_t	events_cap;
	uint8_t		seed[FF_HASH_LEN];	/* ("DIEM::", "Transaction") */
};

/* ------------------------------------------------------------------------------------ */
/* Event views                                                                           */

/*
 * The view types of EventDataView (v5 json-rpc/types/src/views.rs), the Move struct each
 * is decoded from (MODULE_NAME/STRUCT_NAME in types/src/account_config/events/; the
 * DiemAccount and Diem names also occur as type tags in the v5 transaction chunk of
 * 0l-v5-small), and whether the view carries an AmountView "amount".
 * Views whose struct was not checked in those sources have no Move type.
 */
typedef struct rescue_view
{
	const char *data_type;
	const char *move_type;
	bool		has_amount;
} rescue_view;

static const rescue_view rescue_views[] = {
	{"receivedpayment", "0x1::DiemAccount::ReceivedPaymentEvent", true},
	{"sentpayment", "0x1::DiemAccount::SentPaymentEvent", true},
	{"createaccount", "0x1::DiemAccount::CreateAccountEvent", false},
	{"admintransaction", "0x1::DiemAccount::AdminTransactionEvent", false},
	{"mint", "0x1::Diem::MintEvent", true},
	{"burn", "0x1::Diem::BurnEvent", true},
	{"cancelburn", NULL, true},
	{"preburn", NULL, true},
	{"receivedmint", "0x1::DesignatedDealer::ReceivedMintEvent", true},
	{"compliancekeyrotation", "0x1::DualAttestation::ComplianceKeyRotationEvent", false},
	{"newblock", "0x1::DiemBlock::NewBlockEvent", false},
	{"newepoch", "0x1::DiemConfig::NewEpochEvent", false},
};

static const rescue_view *
find_view(const char *data_type)
{
	for (size_t i = 0; i < sizeof(rescue_views) / sizeof(rescue_views[0]); i++)
		if (strcmp(rescue_views[i].data_type, data_type) == 0)
			return &rescue_views[i];
	return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Field readers: `where` names the element (and event) in the message                  */

static ff_code
corrupt(ff_status *st, const char *where, const char *fmt, const char *key)
{
	char		what[160];

	snprintf(what, sizeof(what), fmt, key);
	return ff_status_set(st, FF_ERR_CORRUPT, "%s: %s", where, what);
}

static ff_code
get_member(struct json_object *obj, const char *key, const char *where,
		   struct json_object **out, ff_status *st)
{
	if (!json_object_object_get_ex(obj, key, out) || *out == NULL)
		return corrupt(st, where, "missing \"%s\"", key);
	return FF_OK;
}

/* A required u64: a non-negative JSON integer below UINT64_MAX (json-c clamps above). */
static ff_code
get_u64(struct json_object *obj, const char *key, const char *where, uint64_t *out,
		ff_status *st)
{
	struct json_object *v;
	ff_code		code = get_member(obj, key, where, &v, st);

	if (code != FF_OK)
		return code;
	if (!json_object_is_type(v, json_type_int))
		return corrupt(st, where, "\"%s\" is not an integer", key);
	if (json_object_get_int64(v) < 0)
		return corrupt(st, where, "\"%s\" is negative", key);
	*out = json_object_get_uint64(v);
	if (*out == UINT64_MAX)
		return corrupt(st, where, "\"%s\" is out of range", key);
	return FF_OK;
}

/* A string value without NUL characters; points into the json-c tree. */
static ff_code
string_value(struct json_object *v, const char *key, const char *where, const char **out,
			 ff_status *st)
{
	if (!json_object_is_type(v, json_type_string))
		return corrupt(st, where, "\"%s\" is not a string", key);
	*out = json_object_get_string(v);
	if ((size_t) json_object_get_string_len(v) != strlen(*out))
		return corrupt(st, where, "\"%s\" contains a NUL character", key);
	return FF_OK;
}

static ff_code
get_str(struct json_object *obj, const char *key, const char *where, const char **out,
		ff_status *st)
{
	struct json_object *v;
	ff_code		code = get_member(obj, key, where, &v, st);

	return code != FF_OK ? code : string_value(v, key, where, out, st);
}

static ff_code
get_obj(struct json_object *obj, const char *key, const char *where,
		struct json_object **out, ff_status *st)
{
	ff_code		code = get_member(obj, key, where, out, st);

	if (code == FF_OK && !json_object_is_type(*out, json_type_object))
		return corrupt(st, where, "\"%s\" is not an object", key);
	return code;
}

/* Compact JSON text of a value, owned by the value. */
static ff_code
compact_json(struct json_object *v, const char *where, const char **out, ff_status *st)
{
	*out = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
										  JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!*out)
		return ff_status_set(st, FF_ERR_NOMEM, "%s: out of memory writing JSON", where);
	return FF_OK;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n bytes from 2n hex digits; the offset of the first bad digit, or -1. */
static long
decode_hex(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++)
	{
		int			hi = hex_digit(s[2 * i]);
		int			lo = hex_digit(s[2 * i + 1]);

		if (hi < 0)
			return (long) (2 * i);
		if (lo < 0)
			return (long) (2 * i + 1);
		out[i] = (uint8_t) (hi << 4 | lo);
	}
	return -1;
}

/* A required member of exactly 2n hex digits. */
static ff_code
get_hex_fixed(struct json_object *obj, const char *key, const char *where, uint8_t *out,
			  size_t n, ff_status *st)
{
	const char *s;
	ff_code		code = get_str(obj, key, where, &s, st);
	long		bad;

	if (code != FF_OK)
		return code;
	if (strlen(s) != 2 * n)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" has %zu characters, not %zu hex digits",
							 where, key, strlen(s), 2 * n);
	bad = decode_hex(s, n, out);
	if (bad >= 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" has a bad hex digit at character %ld",
							 where, key, bad);
	return FF_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Open                                                                                  */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t
skip_space(const char *text, size_t len, size_t pos)
{
	while (pos < len && is_space(text[pos]))
		pos++;
	return pos;
}

/* Parse one JSON value at pos (within len); the value and the bytes it used. */
static ff_code
parse_value(ff_rescue_reader *r, size_t pos, size_t len, struct json_object **obj,
			size_t *used, ff_status *st)
{
	enum json_tokener_error err;

	json_tokener_reset(r->tok);
	*obj = json_tokener_parse_ex(r->tok, r->text + pos, (int) (len - pos));
	err = json_tokener_get_error(r->tok);
	if (err == json_tokener_continue)
	{
		json_object_put(*obj);
		*obj = NULL;
		return ff_status_set(st, FF_ERR_CORRUPT, "truncated JSON: the element at byte %zu does not end", pos);
	}
	if (err != json_tokener_success)
	{
		*obj = NULL;
		return ff_status_set(st, FF_ERR_CORRUPT, "invalid JSON near byte %zu: %s",
							 pos + json_tokener_get_parse_end(r->tok), json_tokener_error_desc(err));
	}
	*used = json_tokener_get_parse_end(r->tok);
	if (*used == 0)
	{
		json_object_put(*obj);
		*obj = NULL;
		return ff_status_set(st, FF_ERR_CORRUPT, "invalid JSON at byte %zu", pos);
	}
	return FF_OK;
}

/* Walk the top-level array: the extent of every element. */
static ff_code
scan_array(ff_rescue_reader *r, ff_cancel_fn cancel, ff_status *st)
{
	const char *t = r->text;
	size_t		len = r->len;
	size_t		pos = skip_space(t, len, 0);
	size_t		cap = 0;

	if (pos >= len)
		return ff_status_set(st, FF_ERR_CORRUPT, "not a JSON array: the text is empty");
	if (t[pos] != '[')
	{
		ff_status_locate(st, NULL, -1, (int64_t) pos);
		return ff_status_set(st, FF_ERR_CORRUPT, "not a JSON array: '%c' at byte %zu",
							 t[pos], pos);
	}
	pos = skip_space(t, len, pos + 1);
	if (pos < len && t[pos] == ']')
		pos++;
	else
	{
		for (;;)
		{
			struct json_object *obj;
			size_t		used;
			ff_code		code;

			if (cancel && cancel())
				return ff_status_set(st, FF_ERR_CANCELED, "canceled while indexing the JSON array");
			if (pos >= len)
				return ff_status_set(st, FF_ERR_CORRUPT, "truncated JSON: the array is not closed at byte %zu", len);
			code = parse_value(r, pos, len, &obj, &used, st);
			if (code != FF_OK)
			{
				ff_status_locate(st, NULL, (int64_t) r->n_elems, (int64_t) pos);
				return code;
			}
			json_object_put(obj);
			if (r->n_elems == cap)
			{
				size_t		ncap = cap ? 2 * cap : 256;
				rescue_span *p = realloc(r->elems, ncap * sizeof(*p));

				if (!p)
					return ff_status_set(st, FF_ERR_NOMEM, "out of memory indexing the array");
				r->elems = p;
				cap = ncap;
			}
			r->elems[r->n_elems].start = pos;
			r->elems[r->n_elems].end = pos + used;
			r->n_elems++;
			pos = skip_space(t, len, pos + used);
			if (pos >= len)
				return ff_status_set(st, FF_ERR_CORRUPT, "truncated JSON: the array is not closed at byte %zu", len);
			if (t[pos] == ']')
			{
				pos++;
				break;
			}
			if (t[pos] != ',')
			{
				ff_status_locate(st, NULL, -1, (int64_t) pos);
				return ff_status_set(st, FF_ERR_CORRUPT, "expected ',' or ']' after element %zu at byte %zu",
									 r->n_elems - 1, pos);
			}
			pos = skip_space(t, len, pos + 1);
		}
	}
	pos = skip_space(t, len, pos);
	if (pos < len)
	{
		ff_status_locate(st, NULL, -1, (int64_t) pos);
		return ff_status_set(st, FF_ERR_CORRUPT, "unexpected text after the array at byte %zu", pos);
	}
	return FF_OK;
}

ff_code
ff_rescue_open(ff_stream *in, size_t max_bytes, ff_rescue_reader **out, ff_status *st)
{
	return ff_rescue_open_cancel(in, max_bytes, NULL, out, st);
}

ff_code
ff_rescue_open_cancel(ff_stream *in, size_t max_bytes, ff_cancel_fn cancel, ff_rescue_reader **out,
					  ff_status *st)
{
	ff_rescue_reader *r;
	ff_code		code;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	code = ff_stream_read_all(in, max_bytes, &r->text, &r->len, st);
	if (code == FF_OK && r->len > (size_t) INT32_MAX)
		code = ff_status_set(st, FF_ERR_LIMIT, "JSON rescue file of %zu bytes is larger than json-c can parse", r->len);
	if (code == FF_OK)
	{
		r->tok = json_tokener_new_ex(RESCUE_JSON_DEPTH);
		if (!r->tok)
			code = ff_status_set(st, FF_ERR_NOMEM, "out of memory parsing JSON");
	}
	if (code == FF_OK)
		code = scan_array(r, cancel, st);
	if (code != FF_OK)
	{
		ff_rescue_close(r);
		return code;
	}
	ff_hash_seed("DIEM::", "Transaction", r->seed);
	*out = r;
	return FF_OK;
}

size_t
ff_rescue_count(const ff_rescue_reader *r)
{
	return r->n_elems;
}

void
ff_rescue_close(ff_rescue_reader *r)
{
	if (!r)
		return;
	if (r->cur)
		json_object_put(r->cur);
	if (r->tok)
		json_tokener_free(r->tok);
	free(r->text);
	free(r->elems);
	free(r->bytes);
	free(r->events);
	free(r);
}

/* ------------------------------------------------------------------------------------ */
/* One element                                                                           */

static ff_code
read_event(struct json_object *ev, uint32_t i, const char *elem_where, uint64_t version,
		   ff_rescue_event *out, ff_status *st)
{
	char		where[RESCUE_WHERE_MAX + 32];
	struct json_object *data;
	const rescue_view *view;
	uint64_t	tx_version;
	ff_code		code;

	snprintf(where, sizeof(where), "%s: event %u", elem_where, i);
	if (!json_object_is_type(ev, json_type_object))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s is not an object", where);
	*out = (ff_rescue_event) {.index = i};
	if ((code = get_hex_fixed(ev, "key", where, out->key, sizeof(out->key), st)) != FF_OK ||
		(code = get_u64(ev, "sequence_number", where, &out->sequence_number, st)) != FF_OK ||
		(code = get_u64(ev, "transaction_version", where, &tx_version, st)) != FF_OK)
		return code;
	if (tx_version != version)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s has transaction_version %llu, not %llu",
							 where, (unsigned long long) tx_version, (unsigned long long) version);
	for (int b = 7; b >= 0; b--)
		out->creation_number = out->creation_number << 8 | out->key[b];
	out->account = out->key + 8;
	if ((code = get_obj(ev, "data", where, &data, st)) != FF_OK ||
		(code = get_str(data, "type", where, &out->data_type, st)) != FF_OK ||
		(code = compact_json(data, where, &out->data_json, st)) != FF_OK)
		return code;
	view = find_view(out->data_type);
	if (view)
	{
		out->move_type = view->move_type;
		if (view->has_amount)
		{
			struct json_object *amount;

			if ((code = get_obj(data, "amount", where, &amount, st)) != FF_OK ||
				(code = get_u64(amount, "amount", where, &out->amount, st)) != FF_OK)
				return code;
			out->has_amount = true;
		}
	}
	return FF_OK;
}

static ff_code
read_element(ff_rescue_reader *r, struct json_object *obj, uint32_t index, ff_rescue_tx *out,
			 ff_status *st)
{
	char		where[RESCUE_WHERE_MAX];
	struct json_object *v;
	const char *hex;
	size_t		hex_len;
	long		bad;
	uint8_t		computed[FF_HASH_LEN];
	ff_code		code;

	*out = (ff_rescue_tx) {.index = index};
	snprintf(where, sizeof(where), "element %u", index);
	if (!json_object_is_type(obj, json_type_object))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s is not an object", where);
	if ((code = get_u64(obj, "version", where, &out->version, st)) != FF_OK)
		return code;
	snprintf(where, sizeof(where), "element %u (version %llu)", index,
			 (unsigned long long) out->version);

	if ((code = get_u64(obj, "timestamp_usecs", where, &out->timestamp_usecs, st)) != FF_OK ||
		(code = get_obj(obj, "transaction", where, &v, st)) != FF_OK ||
		(code = get_str(v, "type", where, &out->view_type, st)) != FF_OK ||
		(code = get_hex_fixed(obj, "hash", where, out->hash, sizeof(out->hash), st)) != FF_OK ||
		(code = get_str(obj, "bytes", where, &hex, st)) != FF_OK)
		return code;

	/* bytes: the BCS of the Transaction, whose hash must be "hash" */
	hex_len = strlen(hex);
	if (hex_len == 0 || hex_len % 2 != 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"bytes\" has %zu hex digits (not a positive even number)",
							 where, hex_len);
	if (hex_len / 2 > r->bytes_cap)
	{
		uint8_t    *p = realloc(r->bytes, hex_len / 2);

		if (!p)
			return ff_status_set(st, FF_ERR_NOMEM, "%s: out of memory for %zu bytes", where, hex_len / 2);
		r->bytes = p;
		r->bytes_cap = hex_len / 2;
	}
	bad = decode_hex(hex, hex_len / 2, r->bytes);
	if (bad >= 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"bytes\" has a bad hex digit at character %ld",
							 where, bad);
	out->bytes = r->bytes;
	out->len = hex_len / 2;
	ff_hash_with_seed(r->seed, out->bytes, out->len, computed);
	if (memcmp(computed, out->hash, FF_HASH_LEN) != 0)
	{
		char		given[2 * FF_HASH_LEN + 1];
		char		recomputed[2 * FF_HASH_LEN + 1];

		ff_hex(out->hash, FF_HASH_LEN, given);
		given[2 * FF_HASH_LEN] = '\0';
		ff_hex(computed, FF_HASH_LEN, recomputed);
		recomputed[2 * FF_HASH_LEN] = '\0';
		return ff_status_set(st, FF_ERR_CORRUPT,
							 "element %u: hash %s of version %llu does not match the recomputed hash %s of its %zu bytes",
							 index, given, (unsigned long long) out->version, recomputed, out->len);
	}

	/* vm_status */
	if ((code = get_obj(obj, "vm_status", where, &v, st)) != FF_OK ||
		(code = get_str(v, "type", where, &out->vm_status_type, st)) != FF_OK ||
		(code = compact_json(v, where, &out->vm_status_json, st)) != FF_OK)
		return code;
	{
		struct json_object *loc;

		if (json_object_object_get_ex(v, "location", &loc) && loc != NULL &&
			(code = string_value(loc, "location", where, &out->abort_location, st)) != FF_OK)
			return code;
	}
	if (strcmp(out->vm_status_type, "move_abort") == 0)
	{
		if ((code = get_u64(v, "abort_code", where, &out->abort_code, st)) != FF_OK)
			return code;
		out->has_abort_code = true;
	}
	if ((code = get_u64(obj, "gas_used", where, &out->gas_used, st)) != FF_OK)
		return code;

	/* events */
	if ((code = get_member(obj, "events", where, &v, st)) != FF_OK)
		return code;
	if (!json_object_is_type(v, json_type_array))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"events\" is not an array", where);
	{
		size_t		n = json_object_array_length(v);

		if (n > UINT32_MAX)
			return ff_status_set(st, FF_ERR_LIMIT, "%s: %zu events", where, n);
		if (n > r->events_cap)
		{
			ff_rescue_event *p = realloc(r->events, n * sizeof(*p));

			if (!p)
				return ff_status_set(st, FF_ERR_NOMEM, "%s: out of memory for %zu events", where, n);
			r->events = p;
			r->events_cap = (uint32_t) n;
		}
		for (size_t i = 0; i < n; i++)
			if ((code = read_event(json_object_array_get_idx(v, i), (uint32_t) i, where,
								   out->version, &r->events[i], st)) != FF_OK)
				return code;
		out->events = n ? r->events : NULL;
		out->n_events = (uint32_t) n;
	}
	return FF_OK;
}

ff_code
ff_rescue_next(ff_rescue_reader *r, ff_rescue_tx *out, ff_status *st)
{
	size_t		i;
	rescue_span span;
	struct json_object *obj;
	size_t		used;
	ff_code		code;

	if (r->cur)
	{
		json_object_put(r->cur);
		r->cur = NULL;
	}
	if (r->next >= r->n_elems)
		return FF_EOF;
	i = r->next++;
	span = r->elems[i];
	code = parse_value(r, span.start, span.end, &obj, &used, st);
	if (code == FF_OK)
	{
		r->cur = obj;
		code = read_element(r, obj, (uint32_t) i, out, st);
	}
	if (code != FF_OK)
		ff_status_locate(st, NULL, (int64_t) i, (int64_t) span.start);
	return code;
}

/* ------------------------------------------------------------------------------------ */
/* Names                                                                                 */

/* A decimal u64 at s[*pos]; false when there is none or it overflows. */
static bool
parse_decimal(const char *s, size_t *pos, uint64_t *out)
{
	size_t		start = *pos;
	uint64_t	v = 0;

	while (s[*pos] >= '0' && s[*pos] <= '9')
	{
		unsigned	d = (unsigned) (s[*pos] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		(*pos)++;
	}
	*out = v;
	return *pos > start;
}

bool
ff_rescue_name_range(const char *base_name, uint64_t *first, uint64_t *last)
{
	static const char suffix[] = ".json";
	size_t		n = strlen(base_name);
	size_t		stem = n - (sizeof(suffix) - 1);
	size_t		pos = 0;
	uint64_t	a,
				b;

	if (n <= sizeof(suffix) - 1 || strcmp(base_name + stem, suffix) != 0)
		return false;
	if (first)
		*first = 0;
	if (last)
		*last = UINT64_MAX;
	if (parse_decimal(base_name, &pos, &a) && base_name[pos] == '-')
	{
		pos++;
		if (parse_decimal(base_name, &pos, &b) && pos == stem && a <= b)
		{
			if (first)
				*first = a;
			if (last)
				*last = b;
		}
	}
	return true;
}
