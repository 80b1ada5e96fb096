/*
 * meta.c — json-c parsers for .meta lines, transaction manifests and epoch-ending
 * manifests. Strict about the numbers (non-negative JSON integers below UINT64_MAX, since
 * json-c clamps larger ones to UINT64_MAX) and tolerant about everything else (unknown keys,
 * compact or pretty-printed text, several values in one .meta file).
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
			(code = get_str(body, "manifest", w, &line.manifest, st)) != FF_OK)
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
			(code = get_str(body, "manifest", w, &line.manifest, st)) != FF_OK)
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
		if ((code = get_str(body, "manifest", w, &line.manifest, st)) != FF_OK)
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

static ff_code
tx_manifest_value(struct json_object *obj, void *arg, ff_status *st)
{
	ff_tx_manifest *m = arg;
	struct json_object *chunks;
	size_t		n;
	ff_code		code;

	if ((code = get_u64(obj, "first_version", "transaction manifest", &m->first_version, st)) != FF_OK ||
		(code = get_u64(obj, "last_version", "transaction manifest", &m->last_version, st)) != FF_OK)
		return code;
	if (!json_object_object_get_ex(obj, "chunks", &chunks) || !json_object_is_type(chunks, json_type_array))
		return ff_status_set(st, FF_ERR_CORRUPT, "transaction manifest: \"chunks\" is missing or not an array");
	n = json_object_array_length(chunks);
	if (n == 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "transaction manifest: no chunks");
	m->chunks = calloc(n, sizeof(*m->chunks));
	if (!m->chunks)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *c = json_object_array_get_idx(chunks, i);
		ff_tx_manifest_chunk *tc = &m->chunks[i];

		if (!c || !json_object_is_type(c, json_type_object))
			return ff_status_set(st, FF_ERR_CORRUPT, "transaction manifest: chunk %zu is not an object", i);
		if ((code = get_u64(c, "first_version", "transaction manifest chunk", &tc->first_version, st)) != FF_OK ||
			(code = get_u64(c, "last_version", "transaction manifest chunk", &tc->last_version, st)) != FF_OK ||
			(code = get_str(c, "transactions", "transaction manifest chunk", &tc->transactions, st)) != FF_OK)
			return code;
		m->n_chunks = i + 1;
	}
	return FF_OK;
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

/* "version:hash" -> version; false if malformed. */
static bool
parse_waypoint(const char *s, uint64_t *version)
{
	uint64_t	v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
	{
		unsigned	d = (unsigned) (*p - '0');

		if (v > (UINT64_MAX - 1 - d) / 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	if (*p != ':' || p[1] == '\0')
		return false;
	*version = v;
	return true;
}

static ff_code
epoch_manifest_value(struct json_object *obj, void *arg, ff_status *st)
{
	ff_epoch_manifest *m = arg;
	struct json_object *wps;
	size_t		n;
	ff_code		code;

	if ((code = get_u64(obj, "first_epoch", "epoch-ending manifest", &m->first_epoch, st)) != FF_OK ||
		(code = get_u64(obj, "last_epoch", "epoch-ending manifest", &m->last_epoch, st)) != FF_OK)
		return code;
	if (!json_object_object_get_ex(obj, "waypoints", &wps) || !json_object_is_type(wps, json_type_array))
		return ff_status_set(st, FF_ERR_CORRUPT, "epoch-ending manifest: \"waypoints\" is missing or not an array");
	n = json_object_array_length(wps);
	m->waypoint_versions = calloc(n ? n : 1, sizeof(uint64_t));
	if (!m->waypoint_versions)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
	{
		struct json_object *w = json_object_array_get_idx(wps, i);

		if (!w || !json_object_is_type(w, json_type_string) ||
			!parse_waypoint(json_object_get_string(w), &m->waypoint_versions[i]))
			return ff_status_set(st, FF_ERR_CORRUPT, "epoch-ending manifest: waypoint %zu is not \"version:hash\"", i);
	}
	m->n_waypoints = n;
	return FF_OK;
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
	free(m->waypoint_versions);
	memset(m, 0, sizeof(*m));
}
