/*
 * meta.c — json-c parsers for .meta lines, transaction manifests, epoch-ending manifests
 * (waypoints with their hashes, chunks) and state snapshot manifests. Strict about the
 * numbers (non-negative JSON integers below UINT64_MAX, since json-c clamps larger ones to
 * UINT64_MAX) and hashes (64 hex digits), about the file handles (relative paths inside the
 * archive: an archive is untrusted input) and about the chunks of a manifest tiling its range;
 * tolerant about everything else (unknown keys, compact or pretty-printed text, several values
 * in one .meta file).
 */
#include "archive/meta.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define META_JSON_DEPTH 32

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parse JSON values one after the other from text; calls fn for each. */
typedef ff_code (*json_value_fn) (struct json_object *obj, void *arg, ff_status *st);

static ff_code
parse_values(const char *text, size_t len, size_t max_values, json_value_fn fn, void *arg,
			 ff_status *st)
{
	struct json_tokener *tok = json_tokener_new_ex(META_JSON_DEPTH);
	size_t		pos = 0;
	size_t		count = 0;
	ff_code		code = FF_OK;

	if (!tok)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory parsing JSON");
	for (;;)
	{
		struct json_object *obj;
		enum json_tokener_error err;
		size_t		used;

		while (pos < len && is_space(text[pos]))
			pos++;
		if (pos >= len)
			break;
		if (count == max_values)
		{
			code = ff_status_set(st, FF_ERR_CORRUPT, "unexpected text after the JSON value at byte %zu", pos);
			break;
		}
		if (len - pos > (size_t) INT32_MAX)
		{
			code = ff_status_set(st, FF_ERR_LIMIT, "JSON text too large");
			break;
		}
		obj = json_tokener_parse_ex(tok, text + pos, (int) (len - pos));
		err = json_tokener_get_error(tok);
		if (err == json_tokener_continue)
		{
			json_object_put(obj);
			code = ff_status_set(st, FF_ERR_CORRUPT, "truncated JSON at byte %zu", len);
			break;
		}
		if (err != json_tokener_success)
		{
			code = ff_status_set(st, FF_ERR_CORRUPT, "invalid JSON near byte %zu: %s",
								 pos + json_tokener_get_parse_end(tok), json_tokener_error_desc(err));
			break;
		}
		used = json_tokener_get_parse_end(tok);
		json_tokener_reset(tok);
		if (used == 0)
		{
			json_object_put(obj);
			code = ff_status_set(st, FF_ERR_CORRUPT, "invalid JSON at byte %zu", pos);
			break;
		}
		if (!json_object_is_type(obj, json_type_object))
		{
			json_object_put(obj);
			code = ff_status_set(st, FF_ERR_CORRUPT, "JSON value at byte %zu is not an object", pos);
			break;
		}
		code = fn(obj, arg, st);
		json_object_put(obj);
		if (code != FF_OK)
			break;
		pos += used;
		count++;
	}
	json_tokener_free(tok);
	if (code == FF_OK && count == 0 && max_values == 1)
		code = ff_status_set(st, FF_ERR_CORRUPT, "no JSON value");
	return code;
}

/* A required u64 member: a non-negative JSON integer below UINT64_MAX. */
static ff_code
get_u64(struct json_object *obj, const char *key, const char *what, uint64_t *out, ff_status *st)
{
	struct json_object *v;
	uint64_t	u;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: missing \"%s\"", what, key);
	if (!json_object_is_type(v, json_type_int))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" is not an integer", what, key);
	if (json_object_get_int64(v) < 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" is negative", what, key);
	u = json_object_get_uint64(v);
	if (u == UINT64_MAX)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" is out of range", what, key);
	*out = u;
	return FF_OK;
}

/* first..last must not be reversed. */
static ff_code
check_range(uint64_t first, uint64_t last, const char *what, size_t chunk, const char *unit, ff_status *st)
{
	if (first <= last)
		return FF_OK;
	if (chunk == SIZE_MAX)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: reversed %s range", what, unit);
	return ff_status_set(st, FF_ERR_CORRUPT, "%s: chunk %zu has a reversed %s range", what, chunk, unit);
}

/* A required string member, copied. */
static ff_code
get_str(struct json_object *obj, const char *key, const char *what, char **out, ff_status *st)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: missing \"%s\"", what, key);
	if (!json_object_is_type(v, json_type_string))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" is not a string", what, key);
	s = json_object_get_string(v);
	if ((size_t) json_object_get_string_len(v) != strlen(s))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" contains a NUL character", what, key);
	*out = strdup(s);
	if (!*out)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	return FF_OK;
}

/*
 * A required file handle: a relative '/'-separated path inside the archive. Refused: an empty
 * one, an absolute one, a ".." or empty component, a backslash, a ':' (a scheme such as
 * s3://other-bucket/, or a drive letter) and control characters. The catalog resolves a
 * handle by its base name beside its manifest anyway; a handle that tries to point elsewhere
 * is a sign of a tampered manifest, and the manifest is not used.
 */
static ff_code
get_handle(struct json_object *obj, const char *key, const char *what, char **out, ff_status *st)
{
	ff_code		code = get_str(obj, key, what, out, st);
	const char *s = *out;
	const char *why = NULL;

	if (code != FF_OK)
		return code;
	if (s[0] == '\0')
		why = "it is empty";
	else if (s[0] == '/')
		why = "it is an absolute path";
	for (const char *c = s; *c && !why; c++)
	{
		if (*c == '\\' || *c == ':' || (unsigned char) *c < 0x20 || *c == 0x7f)
			why = *c == ':' ? "it names another location" : "it holds a character no handle has";
		else if ((c == s || c[-1] == '/') &&
				 (*c == '/' || (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))))
			why = *c == '/' ? "it has an empty path component" : "it has a \"..\" component";
	}
	if (!why)
		return FF_OK;
	code = ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" \"%.200s\" is not a file of the archive (%s)",
						 what, key, s, why);
	free(*out);
	*out = NULL;
	return code;
}

/*
 * The chunks' ranges must tile the manifest's: the first starts at `first`, each starts right
 * after the one before, the last ends at `last` (as backup-cli writes them; the 2,390 manifests
 * of the real samples all do). lo(i) and hi(i) read chunk i's range.
 */
typedef uint64_t (*chunk_bound_fn) (const void *chunks, size_t i);

static ff_code
check_tiling(const void *chunks, size_t n, chunk_bound_fn lo, chunk_bound_fn hi, uint64_t first,
			 uint64_t last, const char *what, const char *unit, ff_status *st)
{
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	expect = i == 0 ? first : hi(chunks, i - 1) + 1;

		if (lo(chunks, i) != expect)
			return ff_status_set(st, FF_ERR_CORRUPT, "%s: chunk %zu starts at %s %" PRIu64 ", not %" PRIu64
								 " (its chunks must follow one another without a gap or an overlap)",
								 what, i, unit, lo(chunks, i), expect);
	}
	if (n > 0 && hi(chunks, n - 1) != last)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: the last chunk ends at %s %" PRIu64 ", the manifest at %" PRIu64,
							 what, unit, hi(chunks, n - 1), last);
	return FF_OK;
}

/* 64 hex digits -> 32 bytes; false if malformed. */
static bool
parse_hash(const char *s, size_t len, uint8_t out[32])
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
	{
		char		c = s[i];
		unsigned	d;

		if (c >= '0' && c <= '9')
			d = (unsigned) (c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned) (c - 'A' + 10);
		else
			return false;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t) (d << 4);
		else
			out[i / 2] |= (uint8_t) d;
	}
	return true;
}

/* A required hash member: a string of 64 hex digits. */
static ff_code
get_hash(struct json_object *obj, const char *key, const char *what, uint8_t out[32], ff_status *st)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: missing \"%s\"", what, key);
	if (!json_object_is_type(v, json_type_string) ||
		!parse_hash(json_object_get_string(v), (size_t) json_object_get_string_len(v), out))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"%s\" is not 64 hex digits", what, key);
	return FF_OK;
}

/*
 * The "chunks" array of a manifest: its length in *n and a zeroed array of n elements of
 * `size` bytes in *out (NULL when n is 0). An absent member is an error unless optional.
 */
static ff_code
get_chunks(struct json_object *obj, const char *what, bool optional, size_t size, void **out,
		   size_t *n, struct json_object **arr, ff_status *st)
{
	*out = NULL;
	*n = 0;
	if (!json_object_object_get_ex(obj, "chunks", arr) || *arr == NULL)
	{
		if (optional)
			return FF_OK;
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"chunks\" is missing", what);
	}
	if (!json_object_is_type(*arr, json_type_array))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"chunks\" is not an array", what);
	*n = json_object_array_length(*arr);
	if (*n && !(*out = calloc(*n, size)))
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	return FF_OK;
}

/* Element i of a chunks array, which must be an object. */
static ff_code
get_chunk(struct json_object *arr, size_t i, const char *what, struct json_object **out, ff_status *st)
{
	*out = json_object_array_get_idx(arr, i);
	if (!*out || !json_object_is_type(*out, json_type_object))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: chunk %zu is not an object", what, i);
	return FF_OK;
}

/* ---- .meta ---------------------------------------------------------------------------- */

static ff_code
meta_line(struct json_object *obj, void *arg, ff_status *st)
{
	ff_meta_file *m = arg;
	ff_meta_line line;
	struct json_object *body = NULL;
	ff_meta_line *p;
	ff_code		code = FF_OK;

	memset(&line, 0, sizeof(line));
	if (json_object_object_get_ex(obj, "EpochEndingBackup", &body))
	{
		const char *w = "EpochEndingBackup";

		line.kind = FF_META_EPOCH_ENDING;
		if (!json_object_is_type(body, json_type_object))
			return ff_status_set(st, FF_ERR_CORRUPT, "%s is not an object", w);
		if ((code = get_u64(body, "first_epoch", w, &line.first_epoch, st)) != FF_OK ||
			(code = get_u64(body, "last_epoch", w, &line.last_epoch, st)) != FF_OK ||
			(code = get_u64(body, "first_version", w, &line.first_version, st)) != FF_OK ||
			(code = get_u64(body, "last_version", w, &line.last_version, st)) != FF_OK ||
			(code = get_handle(body, "manifest", w, &line.manifest, st)) != FF_OK)
			return code;
	}
	else if (json_object_object_get_ex(obj, "TransactionBackup", &body))
	{
		const char *w = "TransactionBackup";

		line.kind = FF_META_TRANSACTION;
		if (!json_object_is_type(body, json_type_object))
			return ff_status_set(st, FF_ERR_CORRUPT, "%s is not an object", w);
		if ((code = get_u64(body, "first_version", w, &line.first_version, st)) != FF_OK ||
			(code = get_u64(body, "last_version", w, &line.last_version, st)) != FF_OK ||
			(code = get_handle(body, "manifest", w, &line.manifest, st)) != FF_OK)
			return code;
	}
	else if (json_object_object_get_ex(obj, "StateSnapshotBackup", &body))
	{
		const char *w = "StateSnapshotBackup";
		struct json_object *e;

		line.kind = FF_META_STATE_SNAPSHOT;
		if (!json_object_is_type(body, json_type_object))
			return ff_status_set(st, FF_ERR_CORRUPT, "%s is not an object", w);
		if ((code = get_u64(body, "version", w, &line.version, st)) != FF_OK)
			return code;
		if (json_object_object_get_ex(body, "epoch", &e))
		{
			if ((code = get_u64(body, "epoch", w, &line.epoch, st)) != FF_OK)
				return code;
			line.has_epoch = true;
		}
		if ((code = get_handle(body, "manifest", w, &line.manifest, st)) != FF_OK)
			return code;
	}
	else if (json_object_object_get_ex(obj, "Identity", &body))
		line.kind = FF_META_IDENTITY;
	else if (json_object_object_get_ex(obj, "CompactionTimestamps", &body))
		line.kind = FF_META_COMPACTION;
	else
		line.kind = FF_META_OTHER;

	p = realloc(m->lines, (m->n_lines + 1) * sizeof(*p));
	if (!p)
	{
		free(line.manifest);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}
	m->lines = p;
	m->lines[m->n_lines++] = line;
	return FF_OK;
}

ff_code
ff_meta_parse(const char *text, size_t len, ff_meta_file *out, ff_status *st)
{
	ff_code		code;

	memset(out, 0, sizeof(*out));
	code = parse_values(text, len, SIZE_MAX, meta_line, out, st);
	if (code != FF_OK)
		ff_meta_file_free(out);
	return code;
}

void
ff_meta_file_free(ff_meta_file *m)
{
	for (size_t i = 0; i < m->n_lines; i++)
		free(m->lines[i].manifest);
	free(m->lines);
	memset(m, 0, sizeof(*m));
}

/* ---- transaction.manifest ------------------------------------------------------------ */

static uint64_t
tx_chunk_first(const void *chunks, size_t i)
{
	return ((const ff_tx_manifest_chunk *) chunks)[i].first_version;
}

static uint64_t
tx_chunk_last(const void *chunks, size_t i)
{
	return ((const ff_tx_manifest_chunk *) chunks)[i].last_version;
}

static ff_code
tx_manifest_value(struct json_object *obj, void *arg, ff_status *st)
{
	ff_tx_manifest *m = arg;
	struct json_object *chunks;
	void	   *arr;
	size_t		n;
	ff_code		code;

	if ((code = get_u64(obj, "first_version", "transaction manifest", &m->first_version, st)) != FF_OK ||
		(code = get_u64(obj, "last_version", "transaction manifest", &m->last_version, st)) != FF_OK ||
		(code = check_range(m->first_version, m->last_version, "transaction manifest", SIZE_MAX, "version",
							st)) != FF_OK)
		return code;
	code = get_chunks(obj, "transaction manifest", false, sizeof(*m->chunks), &arr, &n, &chunks, st);
	m->chunks = arr;
	if (code != FF_OK)
		return code;
	if (n == 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "transaction manifest: no chunks");
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *c;
		ff_tx_manifest_chunk *tc = &m->chunks[i];

		if ((code = get_chunk(chunks, i, "transaction manifest", &c, st)) != FF_OK)
			return code;
		if ((code = get_u64(c, "first_version", "transaction manifest chunk", &tc->first_version, st)) != FF_OK ||
			(code = get_u64(c, "last_version", "transaction manifest chunk", &tc->last_version, st)) != FF_OK ||
			(code = get_handle(c, "transactions", "transaction manifest chunk", &tc->transactions, st)) != FF_OK)
			return code;
		m->n_chunks = i + 1;
		if ((code = check_range(tc->first_version, tc->last_version, "transaction manifest", i, "version",
								st)) != FF_OK)
			return code;
	}
	return check_tiling(m->chunks, n, tx_chunk_first, tx_chunk_last, m->first_version, m->last_version,
						"transaction manifest", "version", st);
}

ff_code
ff_tx_manifest_parse(const char *text, size_t len, ff_tx_manifest *out, ff_status *st)
{
	ff_code		code;

	memset(out, 0, sizeof(*out));
	code = parse_values(text, len, 1, tx_manifest_value, out, st);
	if (code != FF_OK)
		ff_tx_manifest_free(out);
	return code;
}

void
ff_tx_manifest_free(ff_tx_manifest *m)
{
	/* n_chunks counts the fully parsed chunks, the only ones holding a string */
	for (size_t i = 0; i < m->n_chunks; i++)
		free(m->chunks[i].transactions);
	free(m->chunks);
	memset(m, 0, sizeof(*m));
}

/* ---- epoch_ending.manifest ----------------------------------------------------------- */

/* "version:hash" -> version and 32-byte hash; false if malformed. */
static bool
parse_waypoint(const char *s, size_t len, uint64_t *version, uint8_t hash[32])
{
	uint64_t	v = 0;
	size_t		i = 0;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return false;
	while (i < len && s[i] >= '0' && s[i] <= '9')
	{
		unsigned	d = (unsigned) (s[i] - '0');

		if (v > (UINT64_MAX - 1 - d) / 10)
			return false;
		v = v * 10 + d;
		i++;
	}
	if (i >= len || s[i] != ':' || !parse_hash(s + i + 1, len - i - 1, hash))
		return false;
	*version = v;
	return true;
}

static uint64_t
epoch_chunk_first(const void *chunks, size_t i)
{
	return ((const ff_epoch_manifest_chunk *) chunks)[i].first_epoch;
}

static uint64_t
epoch_chunk_last(const void *chunks, size_t i)
{
	return ((const ff_epoch_manifest_chunk *) chunks)[i].last_epoch;
}

static ff_code
epoch_manifest_value(struct json_object *obj, void *arg, ff_status *st)
{
	const char *what = "epoch-ending manifest";
	ff_epoch_manifest *m = arg;
	struct json_object *wps,
			   *chunks = NULL;
	void	   *arr;
	size_t		n;
	ff_code		code;

	if ((code = get_u64(obj, "first_epoch", what, &m->first_epoch, st)) != FF_OK ||
		(code = get_u64(obj, "last_epoch", what, &m->last_epoch, st)) != FF_OK ||
		(code = check_range(m->first_epoch, m->last_epoch, what, SIZE_MAX, "epoch", st)) != FF_OK)
		return code;
	if (!json_object_object_get_ex(obj, "waypoints", &wps) || !json_object_is_type(wps, json_type_array))
		return ff_status_set(st, FF_ERR_CORRUPT, "%s: \"waypoints\" is missing or not an array", what);
	n = json_object_array_length(wps);
	m->waypoint_versions = calloc(n ? n : 1, sizeof(uint64_t));
	m->waypoint_hashes = calloc(n ? n : 1, 32);
	if (!m->waypoint_versions || !m->waypoint_hashes)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *w = json_object_array_get_idx(wps, i);

		if (!w || !json_object_is_type(w, json_type_string) ||
			!parse_waypoint(json_object_get_string(w), (size_t) json_object_get_string_len(w),
							&m->waypoint_versions[i], m->waypoint_hashes + 32 * i))
			return ff_status_set(st, FF_ERR_CORRUPT, "%s: waypoint %zu is not \"version:<64 hex digits>\"", what, i);
	}
	m->n_waypoints = n;

	code = get_chunks(obj, what, true, sizeof(*m->chunks), &arr, &n, &chunks, st);
	m->chunks = arr;
	if (code != FF_OK)
		return code;
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *c;
		ff_epoch_manifest_chunk *ec = &m->chunks[i];

		if ((code = get_chunk(chunks, i, what, &c, st)) != FF_OK ||
			(code = get_u64(c, "first_epoch", "epoch-ending manifest chunk", &ec->first_epoch, st)) != FF_OK ||
			(code = get_u64(c, "last_epoch", "epoch-ending manifest chunk", &ec->last_epoch, st)) != FF_OK ||
			(code = get_handle(c, "ledger_infos", "epoch-ending manifest chunk", &ec->ledger_infos, st)) != FF_OK)
			return code;
		m->n_chunks = i + 1;
		if ((code = check_range(ec->first_epoch, ec->last_epoch, what, i, "epoch", st)) != FF_OK)
			return code;
	}
	return check_tiling(m->chunks, n, epoch_chunk_first, epoch_chunk_last, m->first_epoch, m->last_epoch,
						what, "epoch", st);
}

ff_code
ff_epoch_manifest_parse(const char *text, size_t len, ff_epoch_manifest *out, ff_status *st)
{
	ff_code		code;

	memset(out, 0, sizeof(*out));
	code = parse_values(text, len, 1, epoch_manifest_value, out, st);
	if (code != FF_OK)
		ff_epoch_manifest_free(out);
	return code;
}

void
ff_epoch_manifest_free(ff_epoch_manifest *m)
{
	/* n_chunks counts the fully parsed chunks, the only ones holding a string */
	for (size_t i = 0; i < m->n_chunks; i++)
		free(m->chunks[i].ledger_infos);
	free(m->chunks);
	free(m->waypoint_versions);
	free(m->waypoint_hashes);
	memset(m, 0, sizeof(*m));
}

/* ---- state.manifest ------------------------------------------------------------------ */

static uint64_t
state_chunk_first(const void *chunks, size_t i)
{
	return ((const ff_state_manifest_chunk *) chunks)[i].first_idx;
}

static uint64_t
state_chunk_last(const void *chunks, size_t i)
{
	return ((const ff_state_manifest_chunk *) chunks)[i].last_idx;
}

static int
cmp_state_chunk(const void *a, const void *b)
{
	uint64_t	x = ((const ff_state_manifest_chunk *) a)->first_idx;
	uint64_t	y = ((const ff_state_manifest_chunk *) b)->first_idx;

	return x < y ? -1 : x > y;
}

static ff_code
state_manifest_value(struct json_object *obj, void *arg, ff_status *st)
{
	const char *what = "state manifest";
	const char *cwhat = "state manifest chunk";
	ff_state_manifest *m = arg;
	struct json_object *chunks,
			   *e;
	void	   *arr;
	size_t		n;
	ff_code		code;

	if ((code = get_u64(obj, "version", what, &m->version, st)) != FF_OK ||
		(code = get_hash(obj, "root_hash", what, m->root_hash, st)) != FF_OK)
		return code;
	if (json_object_object_get_ex(obj, "epoch", &e))
	{
		if ((code = get_u64(obj, "epoch", what, &m->epoch, st)) != FF_OK)
			return code;
		m->has_epoch = true;
	}
	code = get_chunks(obj, what, false, sizeof(*m->chunks), &arr, &n, &chunks, st);
	m->chunks = arr;
	if (code != FF_OK)
		return code;
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *c;
		ff_state_manifest_chunk *sc = &m->chunks[i];

		if ((code = get_chunk(chunks, i, what, &c, st)) != FF_OK ||
			(code = get_u64(c, "first_idx", cwhat, &sc->first_idx, st)) != FF_OK ||
			(code = get_u64(c, "last_idx", cwhat, &sc->last_idx, st)) != FF_OK ||
			(code = get_hash(c, "first_key", cwhat, sc->first_key, st)) != FF_OK ||
			(code = get_hash(c, "last_key", cwhat, sc->last_key, st)) != FF_OK ||
			(code = get_handle(c, "blobs", cwhat, &sc->blobs, st)) != FF_OK)
			return code;
		m->n_chunks = i + 1;	/* blobs is set: freed from here on */
		if ((code = get_handle(c, "proof", cwhat, &sc->proof, st)) != FF_OK ||
			(code = check_range(sc->first_idx, sc->last_idx, what, i, "record", st)) != FF_OK)
			return code;
	}
	/* the items of a snapshot are numbered from 0; its chunks may be listed in any order */
	if (n > 1)
		qsort(m->chunks, n, sizeof(*m->chunks), cmp_state_chunk);
	if (n > 0 && (code = check_tiling(m->chunks, n, state_chunk_first, state_chunk_last, 0,
									  m->chunks[n - 1].last_idx, what, "item", st)) != FF_OK)
		return code;
	return get_handle(obj, "proof", what, &m->proof, st);
}

ff_code
ff_state_manifest_parse(const char *text, size_t len, ff_state_manifest *out, ff_status *st)
{
	ff_code		code;

	memset(out, 0, sizeof(*out));
	code = parse_values(text, len, 1, state_manifest_value, out, st);
	if (code != FF_OK)
		ff_state_manifest_free(out);
	return code;
}

void
ff_state_manifest_free(ff_state_manifest *m)
{
	for (size_t i = 0; i < m->n_chunks; i++)
	{
		free(m->chunks[i].blobs);
		free(m->chunks[i].proof);
	}
	free(m->chunks);
	free(m->proof);
	memset(m, 0, sizeof(*m));
}
