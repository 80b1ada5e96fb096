/*
 * test_catalog.c — unit tests for archive/catalog.c (and the .meta/manifest parsers under
 * it): synthetic archives written to a mkdtemp directory (flat layout gzip'ed without a
 * suffix, per-epoch layout with its own metadata/ folders, stale/empty .meta, duplicate and
 * overlapping backups, ".chunk.gz" handles, a renamed "_gzipped" folder, plain + .gz copies,
 * conflicts), epoch-ending chunks (overlaps, waypoints), state snapshots (v6 and v4/v5
 * names, several chunks, re-runs), gaps instead of failures (missing chunks, unusable
 * manifests), the objects list, the epoch/version algebra and pruning, reuse of a previous
 * build, and the real samples in ../shared/data when present (FF_SHARED_DATA overrides the
 * location), whose counts it prints.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "archive/catalog.h"
#include "archive/meta.h"
#include "unit.h"
#include "unit_files.h"

/* ---- helpers -------------------------------------------------------------------------- */

/* RUN for a test that takes an argument. */
#define RUN_ARG(fn, arg) do { int _f = unit_failed; fn(arg); if (unit_failed != _f) fprintf(stderr, "  in %s\n", #fn); } while (0)

static char *
make_root(void)
{
	char	   *root = strdup("/tmp/ff_cat_XXXXXX");

	if (!mkdtemp(root))
	{
		free(root);
		return NULL;
	}
	return root;
}

/* Write root/rel (creating folders); gzip'ed (one member) when zip is true. */
static void
put(const char *root, const char *rel, const char *text, bool zip)
{
	char		path[4096];
	FILE	   *f;
	size_t		len = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++)
		if (*p == '/')
		{
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	f = fopen(path, "wb");
	if (zip)
	{
		size_t		zlen;
		uint8_t    *out = gz(text, len, &zlen);

		fwrite(out, 1, zlen, f);
		free(out);
	}
	else if (len)
		fwrite(text, 1, len, f);
	fclose(f);
}

/* A transaction manifest with one chunk per (first, last, handle) triple. */
static void
put_tx_manifest(const char *root, const char *rel, bool zip, uint64_t first, uint64_t last,
				int n_chunks, const uint64_t *ranges, const char *const *handles)
{
	char		text[8192];
	size_t		n;

	n = (size_t) snprintf(text, sizeof(text), "{\"first_version\":%" PRIu64 ",\"last_version\":%" PRIu64
						  ",\"chunks\":[", first, last);
	for (int i = 0; i < n_chunks; i++)
		n += (size_t) snprintf(text + n, sizeof(text) - n, "%s{\"first_version\":%" PRIu64 ",\"last_version\":%"
							   PRIu64 ",\"transactions\":\"%s\",\"proof\":\"x.proof\"}", i ? "," : "",
							   ranges[2 * i], ranges[2 * i + 1], handles[i]);
	snprintf(text + n, sizeof(text) - n, "]}");
	put(root, rel, text, zip);
}

/* The waypoint hash the test manifests give a version: 64 hex digits of its value. */
static void
test_hash_hex(uint64_t version, char out[65])
{
	snprintf(out, 65, "%064" PRIx64, version);
}

/*
 * An epoch-ending manifest for epochs first.. with the given end versions, naming one chunk
 * "<folder>/<first>-.chunk" for all its epochs (the folder is rel's directory).
 */
static void
put_epoch_manifest(const char *root, const char *rel, bool zip, uint64_t first, int n,
				   const uint64_t *versions)
{
	char		text[8192];
	char		folder[512];
	const char *slash = strrchr(rel, '/');
	const char *start = rel;
	size_t		k;

	for (const char *p = rel; slash && p < slash; p++)
		if (*p == '/')
			start = p + 1;
	snprintf(folder, sizeof(folder), "%.*s", slash ? (int) (slash - start) : 0, start);
	k = (size_t) snprintf(text, sizeof(text), "{\"first_epoch\":%" PRIu64 ",\"last_epoch\":%" PRIu64
						  ",\"waypoints\":[", first, first + (uint64_t) n - 1);
	for (int i = 0; i < n; i++)
	{
		char		hex[65];

		test_hash_hex(versions[i], hex);
		k += (size_t) snprintf(text + k, sizeof(text) - k, "%s\"%" PRIu64 ":%s\"", i ? "," : "", versions[i], hex);
	}
	snprintf(text + k, sizeof(text) - k, "],\"chunks\":[{\"first_epoch\":%" PRIu64 ",\"last_epoch\":%" PRIu64
			 ",\"ledger_infos\":\"%s/%" PRIu64 "-.chunk\"}]}", first, first + (uint64_t) n - 1, folder, first);
	put(root, rel, text, zip);
}

/* A state manifest: version, epoch (when epoch != NO_EPOCH), chunks (first_idx, last_idx, handle). */
#define NO_EPOCH UINT64_MAX
static void
put_state_manifest(const char *root, const char *rel, bool zip, uint64_t version, uint64_t epoch,
				   int n_chunks, const uint64_t *idx, const char *const *handles)
{
	char		text[8192];
	size_t		n;
	const char *key = "0000acadcb83f9bdcffcbb63d132be250f8018a731137db7e3aab5af2e3bc8bd";

	n = (size_t) snprintf(text, sizeof(text), "{\"version\":%" PRIu64, version);
	if (epoch != NO_EPOCH)
		n += (size_t) snprintf(text + n, sizeof(text) - n, ",\"epoch\":%" PRIu64, epoch);
	n += (size_t) snprintf(text + n, sizeof(text) - n, ",\"root_hash\":\"%s\",\"chunks\":[", key);
	for (int i = 0; i < n_chunks; i++)
		n += (size_t) snprintf(text + n, sizeof(text) - n, "%s{\"first_idx\":%" PRIu64 ",\"last_idx\":%" PRIu64
							   ",\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"%s\",\"proof\":\"p.proof\"}",
							   i ? "," : "", idx[2 * i], idx[2 * i + 1], key, key, handles[i]);
	snprintf(text + n, sizeof(text) - n, "],\"proof\":\"x/state.proof\"}");
	put(root, rel, text, zip);
}

static void
put_epoch_meta(const char *root, const char *rel, bool zip, uint64_t fe, uint64_t le, uint64_t fv,
			   uint64_t lv, const char *manifest)
{
	char		text[1024];

	snprintf(text, sizeof(text), "{\"EpochEndingBackup\":{\"first_epoch\":%" PRIu64 ",\"last_epoch\":%" PRIu64
			 ",\"first_version\":%" PRIu64 ",\"last_version\":%" PRIu64 ",\"manifest\":\"%s\"}}\n",
			 fe, le, fv, lv, manifest);
	put(root, rel, text, zip);
}

static void
put_tx_meta(const char *root, const char *rel, bool zip, uint64_t fv, uint64_t lv, const char *manifest)
{
	char		text[1024];

	snprintf(text, sizeof(text), "{\"TransactionBackup\":{\"first_version\":%" PRIu64 ",\"last_version\":%"
			 PRIu64 ",\"manifest\":\"%s\"}}\n", fv, lv, manifest);
	put(root, rel, text, zip);
}

/* A source wrapper that counts opens (to see what a rebuild reads). */
typedef struct counting_source
{
	ff_source	base;
	ff_source  *inner;
	int			opens;
} counting_source;

static ff_code
cs_list(ff_source *src, ff_listing *out, ff_status *st)
{
	return ff_source_list(((counting_source *) src)->inner, out, st);
}

static ff_code
cs_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	((counting_source *) src)->opens++;
	return ff_source_open(((counting_source *) src)->inner, key, offset, out, st);
}

static void
cs_destroy(ff_source *src)
{
	ff_source_destroy(((counting_source *) src)->inner);
}

static const ff_source_ops cs_ops = {.list = cs_list, .open = cs_open, .destroy = cs_destroy};

/* A source whose listing fails. */
static ff_code
failing_list(ff_source *src, ff_listing *out, ff_status *st)
{
	(void) src;
	(void) out;
	return ff_status_set(st, FF_ERR_IO, "listing failed");
}

static const ff_source_ops failing_ops = {.list = failing_list};

static ff_code
build(const char *root, const ff_catalog *prev, ff_catalog **out, ff_status *st)
{
	ff_source  *src;
	ff_code		code = ff_source_local_new(root, NULL, &src, st);

	*out = NULL;
	if (code != FF_OK)
		return code;
	code = ff_catalog_build(src, prev, out, st);
	ff_source_destroy(src);
	return code;
}

/* Build the synthetic archive at root; on failure say why, remove it and free root: NULL. */
static ff_catalog *
build_synthetic(char *root)
{
	ff_catalog *c;
	ff_status	st;

	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
		return c;
	fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
	rm_rf(root);
	free(root);
	return NULL;
}

static bool
has_warning(const ff_catalog *c, const char *a, const char *b)
{
	for (size_t i = 0; i < c->n_warnings; i++)
		if (strstr(c->warnings[i], a) && (!b || strstr(c->warnings[i], b)))
			return true;
	return false;
}

static void
dump_warnings(const ff_catalog *c)
{
	for (size_t i = 0; i < c->n_warnings; i++)
		fprintf(stderr, "    warning: %s\n", c->warnings[i]);
}

static const ff_catalog_object *
find_object(const ff_catalog *c, const char *key)
{
	for (size_t i = 0; i < c->n_objects; i++)
		if (strcmp(c->objects[i].key, key) == 0)
			return &c->objects[i];
	return NULL;
}

#define NO_RANGE UINT64_MAX, UINT64_MAX

/*
 * The object `key` has this kind, backup folder (NULL: none), compression, versions and
 * epochs (NO_RANGE: not set).
 */
static bool
object_is(const ff_catalog *c, const char *key, ff_object_kind kind, const char *backup, int compression,
		  uint64_t fv, uint64_t lv, uint64_t fe, uint64_t le)
{
	const ff_catalog_object *o = find_object(c, key);
	bool		hv = !(fv == UINT64_MAX && lv == UINT64_MAX);
	bool		he = !(fe == UINT64_MAX && le == UINT64_MAX);
	bool		ok;

	if (!o)
	{
		fprintf(stderr, "    no object %s\n", key);
		return false;
	}
	ok = o->kind == kind && o->compression == compression && o->size > 0 &&
		((backup == NULL && o->backup == NULL) || (backup && o->backup && strcmp(backup, o->backup) == 0)) &&
		o->has_versions == hv && (!hv || (o->first_version == fv && o->last_version == lv)) &&
		o->has_epochs == he && (!he || (o->first_epoch == fe && o->last_epoch == le));
	if (!ok)
		fprintf(stderr, "    object %s: kind %s backup %s compression %d versions %d [%" PRIu64 ", %" PRIu64
				"] epochs %d [%" PRIu64 ", %" PRIu64 "]\n", key, ff_object_kind_name(o->kind),
				o->backup ? o->backup : "(null)", o->compression, o->has_versions, o->first_version,
				o->last_version, o->has_epochs, o->first_epoch, o->last_epoch);
	return ok;
}

/* The gap of `kind` that the range [lo, hi] touches, or NULL. */
static const ff_gap *
gap_in(const ff_catalog *c, ff_gap_kind kind, uint64_t lo, uint64_t hi)
{
	ff_range_set r;
	const ff_gap *g;

	ff_range_set_init_empty(&r);
	ff_range_set_add(&r, lo, hi);
	g = ff_catalog_find_gap(c, kind, &r);
	ff_range_set_free(&r);
	return g;
}

/* There is a gap exactly [lo, hi] of kind, with code and object. */
static bool
gap_is(const ff_catalog *c, ff_gap_kind kind, uint64_t lo, uint64_t hi, ff_code code, const char *object)
{
	for (size_t i = 0; i < c->n_gaps; i++)
		if (c->gaps[i].kind == kind && c->gaps[i].first == lo && c->gaps[i].last == hi &&
			c->gaps[i].code == code && strcmp(c->gaps[i].object, object) == 0)
			return true;
	fprintf(stderr, "    no gap %d [%" PRIu64 ", %" PRIu64 "] %s; gaps:\n", (int) kind, lo, hi, object);
	for (size_t i = 0; i < c->n_gaps; i++)
		fprintf(stderr, "      %d [%" PRIu64 ", %" PRIu64 "] %s %s: %s\n", (int) c->gaps[i].kind, c->gaps[i].first,
				c->gaps[i].last, ff_code_name(c->gaps[i].code), c->gaps[i].object, c->gaps[i].message);
	return false;
}

/* A pruning call returned (ok) exactly the n indices in want; frees kept. */
static bool
kept_is(bool ok, size_t *kept, size_t nk, size_t n, const size_t *want)
{
	ok = ok && nk == n && (n == 0 || memcmp(kept, want, n * sizeof(size_t)) == 0);
	free(kept);
	return ok;
}

static bool
prune_is(const ff_catalog *c, const ff_range_set *v, size_t n, const size_t *want)
{
	size_t	   *kept;
	size_t		nk;
	bool		ok = ff_catalog_prune_tx(c, v, &kept, &nk);

	return kept_is(ok, kept, nk, n, want);
}

static bool
prune_versions_is(const ff_catalog *c, uint64_t lo, uint64_t hi, size_t n, const size_t *want)
{
	ff_range_set v;
	bool		ok;

	ff_range_set_init_empty(&v);
	ff_range_set_add(&v, lo, hi);
	ok = prune_is(c, &v, n, want);
	ff_range_set_free(&v);
	return ok;
}

static bool
epoch_of_is(const ff_catalog *c, uint64_t v, bool exact, uint64_t lo, uint64_t hi)
{
	uint64_t	a,
				b;
	bool		e = ff_catalog_epoch_of(c, v, &a, &b);

	if (e != exact || a != lo || b != hi)
	{
		fprintf(stderr, "    epoch_of(%" PRIu64 ") = %d [%" PRIu64 ", %" PRIu64 "]\n", v, e, a, b);
		return false;
	}
	return true;
}

static bool
e2v_is(const ff_catalog *c, uint64_t e_lo, uint64_t e_hi, uint64_t lo, uint64_t hi)
{
	uint64_t	a,
				b;

	ff_catalog_epochs_to_versions(c, e_lo, e_hi, &a, &b);
	if (a != lo || b != hi)
	{
		fprintf(stderr, "    epochs %" PRIu64 "-%" PRIu64 " -> [%" PRIu64 ", %" PRIu64 "]\n", e_lo, e_hi, a, b);
		return false;
	}
	return true;
}

/* ---- parsers -------------------------------------------------------------------------- */

static void
test_parsers(void)
{
	ff_status	st;
	ff_meta_file mf;
	ff_tx_manifest tm;
	ff_epoch_manifest em;
	const char *two = "{\"Identity\":{\"id\":\"ab\"}}\n{\"TransactionBackup\":{\"first_version\":1,"
		"\"last_version\":2,\"manifest\":\"t/transaction.manifest\",\"extra\":[1,2]}}\n";
	const char *pretty = "{\n  \"first_epoch\": 3,\n  \"last_epoch\": 4,\n  \"waypoints\": [\n"
		"    \"10:000000000000000000000000000000000000000000000000000000000000000a\",\n"
		"    \"20:00000000000000000000000000000000000000000000000000000000000000FF\"\n  ],\n"
		"  \"chunks\": [{\"first_epoch\": 3, \"last_epoch\": 4, \"ledger_infos\": \"e/3-.chunk\"}]\n}\n";

#define PARSE(fn, text, out) fn((text), strlen(text), (out), &st)
	ff_status_clear(&st);
	CHECK(ff_meta_parse(two, strlen(two), &mf, &st) == FF_OK);
	CHECK(mf.n_lines == 2 && mf.lines[0].kind == FF_META_IDENTITY && mf.lines[1].kind == FF_META_TRANSACTION);
	CHECK(mf.lines[1].last_version == 2);
	CHECK_STR(mf.lines[1].manifest, "t/transaction.manifest");
	ff_meta_file_free(&mf);
	CHECK(ff_meta_parse("  \n", 3, &mf, &st) == FF_OK && mf.n_lines == 0);
	ff_meta_file_free(&mf);
	CHECK(PARSE(ff_meta_parse, "{\"StateSnapshotBackup\":{\"version\":5,\"manifest\":\"s/state.manifest\"}}", &mf) == FF_OK);
	CHECK(mf.n_lines == 1 && mf.lines[0].kind == FF_META_STATE_SNAPSHOT && !mf.lines[0].has_epoch);
	ff_meta_file_free(&mf);

#define BAD_META(text) do { const char *_t = (text); \
	CHECK(ff_meta_parse(_t, strlen(_t), &mf, &st) == FF_ERR_CORRUPT); \
	CHECK(mf.lines == NULL); } while (0)
	BAD_META("{\"TransactionBackup\":{\"first_version\":-1,\"last_version\":2,\"manifest\":\"m\"}}");
	BAD_META("{\"TransactionBackup\":{\"first_version\":1.5,\"last_version\":2,\"manifest\":\"m\"}}");
	BAD_META("{\"TransactionBackup\":{\"first_version\":\"1\",\"last_version\":2,\"manifest\":\"m\"}}");
	BAD_META("{\"TransactionBackup\":{\"first_version\":1,\"last_version\":99999999999999999999999,\"manifest\":\"m\"}}");
	BAD_META("{\"TransactionBackup\":{\"first_version\":1,\"last_version\":2}}");
	BAD_META("{\"TransactionBackup\":{\"first_version\":1,\"last_version\":2,\"manifest\":\"m\"}");
	BAD_META("{\"Identity\":{}} garbage");
	BAD_META("[1,2]");
	CHECK(PARSE(ff_meta_parse, "{\"TransactionBackup\":{\"first_version\":18446744073709551614,\"last_version\":"
				"18446744073709551614,\"manifest\":\"m\"}}", &mf) == FF_OK);
	CHECK(mf.n_lines == 1 && mf.lines[0].first_version == UINT64_MAX - 1);
	ff_meta_file_free(&mf);

	CHECK(ff_epoch_manifest_parse(pretty, strlen(pretty), &em, &st) == FF_OK);
	CHECK(em.first_epoch == 3 && em.last_epoch == 4 && em.n_waypoints == 2);
	if (em.n_waypoints == 2)
	{
		CHECK(em.waypoint_versions[0] == 10 && em.waypoint_versions[1] == 20);
		CHECK(em.waypoint_hashes[0] == 0 && em.waypoint_hashes[31] == 0x0a && em.waypoint_hashes[32 + 31] == 0xff);
	}
	CHECK(em.n_chunks == 1 && em.chunks[0].first_epoch == 3 && em.chunks[0].last_epoch == 4);
	if (em.n_chunks == 1)
		CHECK_STR(em.chunks[0].ledger_infos, "e/3-.chunk");
	ff_epoch_manifest_free(&em);
	{
		char		wp[256];
		char		hex[65];

		/* no "chunks" member: none; a waypoint hash must be 64 hex digits */
		test_hash_hex(7, hex);
		snprintf(wp, sizeof(wp), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"7:%s\"]}", hex);
		CHECK(PARSE(ff_epoch_manifest_parse, wp, &em) == FF_OK);
		CHECK(em.n_waypoints == 1 && em.n_chunks == 0 && em.waypoint_hashes[31] == 7);
		ff_epoch_manifest_free(&em);
		snprintf(wp, sizeof(wp), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"7:%.63s\"]}", hex);
		CHECK(PARSE(ff_epoch_manifest_parse, wp, &em) == FF_ERR_CORRUPT);
		snprintf(wp, sizeof(wp), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"7:%.63sg\"]}", hex);
		CHECK(PARSE(ff_epoch_manifest_parse, wp, &em) == FF_ERR_CORRUPT);
		snprintf(wp, sizeof(wp), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"7:%s\"],\"chunks\":[{\"first_epoch\":1}]}", hex);
		CHECK(PARSE(ff_epoch_manifest_parse, wp, &em) == FF_ERR_CORRUPT);
		CHECK(em.chunks == NULL && em.waypoint_hashes == NULL);
		snprintf(wp, sizeof(wp), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"7:%s\"],\"chunks\":{}}", hex);
		CHECK(PARSE(ff_epoch_manifest_parse, wp, &em) == FF_ERR_CORRUPT);
	}
	CHECK(PARSE(ff_epoch_manifest_parse, "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"x:1\"]}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"12\"]}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "{} {}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "", &em) == FF_ERR_CORRUPT);

	/* state manifests: v6 (epoch) and v4/v5 (none); pretty printed; strict hashes */
	{
		const char *k = "0000acadcb83f9bdcffcbb63d132be250f8018a731137db7e3aab5af2e3bc8bd";
		const char *k2 = "fffff7e8a7aff9e730227f0decbef95c00ccdd60744654b8c4799a80bec23e5a";
		char		t[2048];
		ff_state_manifest sm;

		snprintf(t, sizeof(t), "{\n  \"version\": 33217173,\n  \"epoch\": 79,\n  \"root_hash\": \"%s\",\n"
				 "  \"chunks\": [{\"first_idx\": 0, \"last_idx\": 141533, \"first_key\": \"%s\", \"last_key\": \"%s\",\n"
				 "    \"blobs\": \"s/0-.chunk\", \"proof\": \"s/0-141533.proof\"}],\n  \"proof\": \"s/state.proof\"\n}\n", k2, k, k2);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_OK);
		CHECK(sm.version == 33217173 && sm.has_epoch && sm.epoch == 79 && sm.n_chunks == 1);
		CHECK(sm.root_hash[0] == 0xff && sm.root_hash[31] == 0x5a);
		if (sm.n_chunks == 1)
		{
			CHECK(sm.chunks[0].first_idx == 0 && sm.chunks[0].last_idx == 141533);
			CHECK(sm.chunks[0].first_key[1] == 0x00 && sm.chunks[0].first_key[2] == 0xac && sm.chunks[0].last_key[0] == 0xff);
			CHECK_STR(sm.chunks[0].blobs, "s/0-.chunk");
			CHECK_STR(sm.chunks[0].proof, "s/0-141533.proof");
		}
		CHECK_STR(sm.proof, "s/state.proof");
		ff_state_manifest_free(&sm);
		snprintf(t, sizeof(t), "{\"version\":51738547,\"root_hash\":\"%s\",\"chunks\":[],\"proof\":\"p\",\"x\":1}", k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_OK);
		CHECK(sm.version == 51738547 && !sm.has_epoch && sm.n_chunks == 0);
		ff_state_manifest_free(&sm);
		/* broken: root hash too short, epoch not a number, a chunk without blobs or proof */
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%.62s\",\"chunks\":[],\"proof\":\"p\"}", k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT);
		snprintf(t, sizeof(t), "{\"version\":1,\"epoch\":\"2\",\"root_hash\":\"%s\",\"chunks\":[],\"proof\":\"p\"}", k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT);
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":[{\"first_idx\":0,\"last_idx\":1,"
				 "\"first_key\":\"%s\",\"last_key\":\"%s\",\"proof\":\"p\"}],\"proof\":\"p\"}", k, k, k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT);
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":[{\"first_idx\":0,\"last_idx\":1,"
				 "\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"b\"}],\"proof\":\"p\"}", k, k, k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT);
		CHECK(sm.chunks == NULL);
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":[]}", k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT);
		/* reversed ranges are corrupt */
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":[{\"first_idx\":5,\"last_idx\":1,"
				 "\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"b\",\"proof\":\"p\"}],\"proof\":\"p\"}", k, k, k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT && strstr(st.message, "reversed") != NULL);
		/* items are numbered from 0, the chunks may come in any order but must tile */
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":["
				 "{\"first_idx\":5,\"last_idx\":9,\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"b\",\"proof\":\"p\"},"
				 "{\"first_idx\":0,\"last_idx\":4,\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"a\",\"proof\":\"p\"}],"
				 "\"proof\":\"p\"}", k, k, k, k, k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_OK && sm.n_chunks == 2 && sm.chunks[0].first_idx == 0);
		if (sm.n_chunks == 2)
			CHECK_STR(sm.chunks[0].blobs, "a");
		ff_state_manifest_free(&sm);
		snprintf(t, sizeof(t), "{\"version\":1,\"root_hash\":\"%s\",\"chunks\":["
				 "{\"first_idx\":1,\"last_idx\":9,\"first_key\":\"%s\",\"last_key\":\"%s\",\"blobs\":\"b\",\"proof\":\"p\"}],"
				 "\"proof\":\"p\"}", k, k, k);
		CHECK(PARSE(ff_state_manifest_parse, t, &sm) == FF_ERR_CORRUPT && strstr(st.message, "chunk 0 starts at item 1, not 0") != NULL);
		snprintf(t, sizeof(t), "{\"first_epoch\":2,\"last_epoch\":1,\"waypoints\":[]}");
		CHECK(PARSE(ff_epoch_manifest_parse, t, &em) == FF_ERR_CORRUPT && strstr(st.message, "reversed") != NULL);
		snprintf(t, sizeof(t), "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"1:%s\"],\"chunks\":"
				 "[{\"first_epoch\":1,\"last_epoch\":0,\"ledger_infos\":\"c\"}]}", k);
		CHECK(PARSE(ff_epoch_manifest_parse, t, &em) == FF_ERR_CORRUPT && strstr(st.message, "chunk 0") != NULL);
		CHECK(em.chunks == NULL);
	}

	{
		const char *t = "{\"first_version\":5,\"last_version\":9,\"chunks\":[{\"first_version\":5,"
			"\"last_version\":9,\"transactions\":\"a/5-.chunk\",\"proof\":\"a/5-9.proof\",\"format\":\"V0\"}]}";
		const char *bad = "{\"first_version\":5,\"last_version\":9,\"chunks\":[{\"first_version\":5,"
			"\"last_version\":9,\"transactions\":\"a/5-.chunk\"},{\"first_version\":10}]}";

		CHECK(ff_tx_manifest_parse(t, strlen(t), &tm, &st) == FF_OK);
		CHECK(tm.n_chunks == 1 && tm.chunks[0].first_version == 5);
		CHECK_STR(tm.chunks[0].transactions, "a/5-.chunk");
		ff_tx_manifest_free(&tm);
		CHECK(ff_tx_manifest_parse(bad, strlen(bad), &tm, &st) == FF_ERR_CORRUPT);
		CHECK(tm.chunks == NULL);
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":5,\"last_version\":9,\"chunks\":[]}", &tm) == FF_ERR_CORRUPT);
	}

	/* hostile manifests: a handle that is not a file of the archive, chunks that do not tile */
	{
		static const char *const handles[][2] = {
			{"../../etc/passwd", "a \"..\" component"},
			{"a/../../b.chunk", "a \"..\" component"},
			{"..", "a \"..\" component"},
			{"/etc/passwd", "an absolute path"},
			{"s3://other-bucket/a/5-.chunk", "another location"},
			{"C:x", "another location"},
			{"a//5-.chunk", "an empty path component"},
			{"a\\\\5-.chunk", "no handle has"},
			{"a/\\n5-.chunk", "no handle has"},
			{"", "it is empty"},
		};
		char		t[512];

		for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++)
		{
			snprintf(t, sizeof(t), "{\"first_version\":5,\"last_version\":9,\"chunks\":[{\"first_version\":5,"
					 "\"last_version\":9,\"transactions\":\"%s\"}]}", handles[i][0]);
			ff_status_clear(&st);
			CHECK(PARSE(ff_tx_manifest_parse, t, &tm) == FF_ERR_CORRUPT && tm.chunks == NULL);
			if (!strstr(st.message, handles[i][1]) || !strstr(st.message, "is not a file of the archive"))
				CHECK_STR(st.message, handles[i][1]);
		}
		/* "..." and "a..b" are names, not parent references */
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":5,\"last_version\":9,\"chunks\":[{\"first_version\":5,"
					"\"last_version\":9,\"transactions\":\"a..b/.../5-.chunk\"}]}", &tm) == FF_OK);
		ff_tx_manifest_free(&tm);
		CHECK(PARSE(ff_meta_parse, "{\"TransactionBackup\":{\"first_version\":1,\"last_version\":2,"
					"\"manifest\":\"../t/transaction.manifest\"}}", &mf) == FF_ERR_CORRUPT);

		/* a gap, an overlap, a manifest range the chunks do not start or end at */
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":5,\"last_version\":9,\"chunks\":["
					"{\"first_version\":5,\"last_version\":6,\"transactions\":\"a\"},"
					"{\"first_version\":8,\"last_version\":9,\"transactions\":\"b\"}]}", &tm) == FF_ERR_CORRUPT);
		CHECK_STR(st.message, "transaction manifest: chunk 1 starts at version 8, not 7 (its chunks must follow one another without a gap or an overlap)");
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":5,\"last_version\":9,\"chunks\":["
					"{\"first_version\":5,\"last_version\":7,\"transactions\":\"a\"},"
					"{\"first_version\":7,\"last_version\":9,\"transactions\":\"b\"}]}", &tm) == FF_ERR_CORRUPT);
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":4,\"last_version\":9,\"chunks\":["
					"{\"first_version\":5,\"last_version\":9,\"transactions\":\"a\"}]}", &tm) == FF_ERR_CORRUPT);
		CHECK(PARSE(ff_tx_manifest_parse, "{\"first_version\":5,\"last_version\":10,\"chunks\":["
					"{\"first_version\":5,\"last_version\":9,\"transactions\":\"a\"}]}", &tm) == FF_ERR_CORRUPT);
		CHECK_STR(st.message, "transaction manifest: the last chunk ends at version 9, the manifest at 10");
		CHECK(tm.chunks == NULL);
	}
}

/* ---- flat layout, every file gzip'ed without a suffix --------------------------------- */

static void
test_flat_layout(void)
{
	char	   *root = make_root();
	ff_catalog *c;
	ff_range_set e,
				v;

	if (!root)
		return;
	/* epoch 0; epochs 1-3 in one backup (.meta spans them); epoch 4 from its single-epoch
	 * .meta (the manifest is garbage: a gap); epoch 6 from a pretty manifest without .meta;
	 * a stale and an empty .meta; foreign files */
	put_epoch_manifest(root, "epoch_ending_0-.0a17/epoch_ending.manifest", true, 0, 1, (uint64_t[]) {0});
	put(root, "epoch_ending_0-.0a17/0-.chunk", "x", true);
	put(root, "epoch_ending_0-.0a17/epoch_ending.manifest.unzip", "{not json", false);
	put_epoch_manifest(root, "epoch_ending_1-.6882/epoch_ending.manifest", true, 1, 3, (uint64_t[]) {10, 20, 30});
	put_epoch_meta(root, "metadata/epoch_ending_1-3.meta", true, 1, 3, 10, 30, "epoch_ending_1-.6882/epoch_ending.manifest");
	put(root, "epoch_ending_1-.6882/1-.chunk", "x", true);
	put(root, "epoch_ending_4-.aaaa/epoch_ending.manifest", "garbage", true);
	put_epoch_meta(root, "metadata/epoch_ending_4-4.meta", true, 4, 4, 40, 40, "epoch_ending_4-.aaaa/epoch_ending.manifest");
	put(root, "epoch_ending_6-.bbbb/epoch_ending.manifest",
		"{\n  \"first_epoch\": 6,\n  \"last_epoch\": 6,\n  \"waypoints\": [\"60:000000000000000000000000000000000000000000000000000000000000003c\"],\n"
		"  \"chunks\": [{\"first_epoch\": 6, \"last_epoch\": 6, \"ledger_infos\": \"epoch_ending_6-.bbbb/6-.chunk.gz\"}]\n}\n", true);
	put(root, "epoch_ending_6-.bbbb/6-.chunk", "x", false);
	put_epoch_meta(root, "metadata/epoch_ending_77-77.meta", true, 77, 77, 3265, 3265, "epoch_ending_77-.1d01/epoch_ending.manifest");
	put(root, "metadata/transaction_99-99.meta", "", false);
	put(root, "metadata/identity.meta", "{\"Identity\":{\"id\":\"00ff\"}}\n", true);
	put(root, "fullnode_template.yaml", "base: {}\n", false);

	/* transactions: 1-25 in two chunks; 26-40 twice (re-run); 35-50 overlapping; 41-45 inside */
	put_tx_manifest(root, "transaction_1-.90bf/transaction.manifest", true, 1, 25, 2,
					(uint64_t[]) {1, 10, 11, 25}, (const char *[]) {"transaction_1-.90bf/1-.chunk", "transaction_1-.90bf/11-.chunk"});
	put(root, "transaction_1-.90bf/1-.chunk", "c", true);
	put(root, "transaction_1-.90bf/11-.chunk", "c", true);
	put_tx_meta(root, "metadata/transaction_1-25.meta", true, 1, 25, "transaction_1-.90bf/transaction.manifest");
	put_tx_meta(root, "metadata/transaction_1-25.copy.meta", true, 1, 25, "transaction_1-.90bf/transaction.manifest");
	put_tx_manifest(root, "transaction_26-.3333/transaction.manifest", true, 26, 40, 1,
					(uint64_t[]) {26, 40}, (const char *[]) {"transaction_26-.3333/26-.chunk"});
	put(root, "transaction_26-.3333/26-.chunk", "c", true);
	put_tx_manifest(root, "transaction_26-.2222/transaction.manifest", true, 26, 40, 1,
					(uint64_t[]) {26, 40}, (const char *[]) {"transaction_26-.2222/26-.chunk"});
	put(root, "transaction_26-.2222/26-.chunk", "c", true);
	put_tx_manifest(root, "transaction_35-.4444/transaction.manifest", true, 35, 50, 1,
					(uint64_t[]) {35, 50}, (const char *[]) {"transaction_35-.4444/35-.chunk"});
	put(root, "transaction_35-.4444/35-.chunk", "c", true);
	put_tx_manifest(root, "transaction_41-.5555/transaction.manifest", true, 41, 45, 1,
					(uint64_t[]) {41, 45}, (const char *[]) {"transaction_41-.5555/41-.chunk"});
	put(root, "transaction_41-.5555/41-.chunk", "c", true);

	if (!(c = build_synthetic(root)))
		return;
	/* chunks: 1-10, 11-25, 26-40 (.2222 wins), 35-50 emitting 41-50; 41-45 dropped */
	CHECK_EQ_U64(c->n_tx_chunks, 4);
	if (c->n_tx_chunks == 4)
	{
		CHECK_STR(c->tx_chunks[0].key, "transaction_1-.90bf/1-.chunk");
		CHECK(c->tx_chunks[0].first_version == 1 && c->tx_chunks[0].last_version == 10 && c->tx_chunks[0].emit_from == 1);
		CHECK_STR(c->tx_chunks[0].manifest_key, "transaction_1-.90bf/transaction.manifest");
		CHECK_STR(c->tx_chunks[1].key, "transaction_1-.90bf/11-.chunk");
		CHECK(c->tx_chunks[1].emit_from == 11 && c->tx_chunks[1].last_version == 25);
		CHECK_STR(c->tx_chunks[2].key, "transaction_26-.2222/26-.chunk");
		CHECK(c->tx_chunks[2].emit_from == 26);
		CHECK_STR(c->tx_chunks[3].key, "transaction_35-.4444/35-.chunk");
		CHECK(c->tx_chunks[3].first_version == 35 && c->tx_chunks[3].emit_from == 41 && c->tx_chunks[3].last_version == 50);
		CHECK(c->tx_chunks[0].size > 0);
	}
	CHECK_EQ_U64(c->n_tx_backups, 4);	/* 1-25, 26-40 (twice), 35-50, 41-45 */

	/* epochs 0, 1, 2, 3, 4, 6 */
	CHECK_EQ_U64(c->n_epochs, 6);
	if (c->n_epochs == 6)
	{
		uint64_t	want[6][2] = {{0, 0}, {1, 10}, {2, 20}, {3, 30}, {4, 40}, {6, 60}};

		for (int i = 0; i < 6; i++)
			CHECK(c->epochs[i].epoch == want[i][0] && c->epochs[i].version == want[i][1]);
	}
	CHECK_EQ_U64(c->n_epoch_backups, 4);
	CHECK(has_warning(c, "metadata/epoch_ending_77-77.meta", "stale"));
	CHECK(has_warning(c, "metadata/transaction_99-99.meta", "empty"));
	CHECK(has_warning(c, "transaction_35-.4444/35-.chunk", "emitting from 41"));
	CHECK(has_warning(c, "epoch_ending_4-.aaaa/epoch_ending.manifest", "using its .meta"));
	CHECK(!has_warning(c, "unzip", NULL) && !has_warning(c, "fullnode", NULL) && !has_warning(c, "identity", NULL));
	CHECK_EQ_U64(c->n_warnings, 4);
	if (c->n_warnings != 4)
		dump_warnings(c);

	/* the garbage manifest of epoch 4 is a gap over the epochs of its .meta; nothing else is */
	CHECK_EQ_U64(c->n_gaps, 1);
	CHECK(gap_is(c, FF_GAP_EPOCHS, 4, 4, FF_ERR_CORRUPT, "epoch_ending_4-.aaaa/epoch_ending.manifest"));
	CHECK(c->n_gaps && strstr(c->gaps[0].message, "epoch_ending_4-.aaaa/epoch_ending.manifest") != NULL);
	CHECK(gap_in(c, FF_GAP_EPOCHS, 0, 3) == NULL && gap_in(c, FF_GAP_EPOCHS, 5, UINT64_MAX) == NULL);
	CHECK(gap_in(c, FF_GAP_EPOCHS, 3, 4) != NULL && gap_in(c, FF_GAP_TRANSACTIONS, 0, UINT64_MAX) == NULL);

	/* epoch-ending chunks (the manifest's ".chunk.gz" handle finds "6-.chunk") */
	CHECK_EQ_U64(c->n_epoch_chunks, 3);
	if (c->n_epoch_chunks == 3)
	{
		CHECK_STR(c->epoch_chunks[1].key, "epoch_ending_1-.6882/1-.chunk");
		CHECK_STR(c->epoch_chunks[1].manifest_key, "epoch_ending_1-.6882/epoch_ending.manifest");
		CHECK(c->epoch_chunks[1].first_epoch == 1 && c->epoch_chunks[1].last_epoch == 3 &&
			  c->epoch_chunks[1].emit_from == 1 && c->epoch_chunks[1].size > 0);
		CHECK_STR(c->epoch_chunks[2].key, "epoch_ending_6-.bbbb/6-.chunk");
	}
	/* waypoints from the manifests, not from .meta lines */
	CHECK(c->n_epochs == 6 && c->epochs[1].has_waypoint && c->epochs[1].waypoint[31] == 10 &&
		  c->epochs[3].waypoint[31] == 30 && !c->epochs[4].has_waypoint && c->epochs[5].waypoint[31] == 60);

	/* the objects: one per listed file, in listing order */
	CHECK_EQ_U64(c->n_objects, c->listing.n);
	for (size_t i = 0; i < c->n_objects && i < c->listing.n; i++)
		CHECK(c->objects[i].key == c->listing.items[i].key);
	CHECK(object_is(c, "transaction_1-.90bf/1-.chunk", FF_OBJ_TRANSACTION, "transaction_1-.90bf", -1, 1, 10, 1, 1));
	CHECK(object_is(c, "transaction_1-.90bf/11-.chunk", FF_OBJ_TRANSACTION, "transaction_1-.90bf", -1, 11, 25, 2, 3));
	CHECK(object_is(c, "transaction_1-.90bf/transaction.manifest", FF_OBJ_MANIFEST, "transaction_1-.90bf", 1, 1, 25, 1, 3));
	/* 41-45 is dropped by the dedupe but still a chunk; its epochs are bounds (5 unknown) */
	CHECK(object_is(c, "transaction_41-.5555/41-.chunk", FF_OBJ_TRANSACTION, "transaction_41-.5555", -1, 41, 45, 5, 6));
	CHECK(object_is(c, "transaction_35-.4444/35-.chunk", FF_OBJ_TRANSACTION, "transaction_35-.4444", -1, 35, 50, 4, 6));
	/* a .meta whose name states a usable manifest's range is not read: the backup's ranges */
	CHECK(object_is(c, "metadata/transaction_1-25.meta", FF_OBJ_METADATA, NULL, -1, 1, 25, 1, 3));
	CHECK(object_is(c, "metadata/epoch_ending_1-3.meta", FF_OBJ_METADATA, NULL, -1, 10, 30, 1, 3));
	/* ... others are read: the ranges of their line */
	CHECK(object_is(c, "metadata/transaction_1-25.copy.meta", FF_OBJ_METADATA, NULL, 1, 1, 25, 1, 3));
	CHECK(object_is(c, "metadata/epoch_ending_77-77.meta", FF_OBJ_METADATA, NULL, 1, 3265, 3265, 77, 77));
	CHECK(object_is(c, "metadata/identity.meta", FF_OBJ_METADATA, NULL, 1, NO_RANGE, NO_RANGE));
	CHECK(find_object(c, "metadata/transaction_99-99.meta") &&
		  find_object(c, "metadata/transaction_99-99.meta")->kind == FF_OBJ_METADATA &&
		  find_object(c, "metadata/transaction_99-99.meta")->compression == -1);
	CHECK(object_is(c, "epoch_ending_1-.6882/1-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_1-.6882", -1, 10, 30, 1, 3));
	CHECK(object_is(c, "epoch_ending_1-.6882/epoch_ending.manifest", FF_OBJ_MANIFEST, "epoch_ending_1-.6882", 1, 10, 30, 1, 3));
	CHECK(object_is(c, "epoch_ending_6-.bbbb/6-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_6-.bbbb", -1, 60, 60, 6, 6));
	CHECK(object_is(c, "epoch_ending_4-.aaaa/epoch_ending.manifest", FF_OBJ_MANIFEST, "epoch_ending_4-.aaaa", 1, 40, 40, 4, 4));
	CHECK(object_is(c, "epoch_ending_0-.0a17/epoch_ending.manifest.unzip", FF_OBJ_OTHER, "epoch_ending_0-.0a17", -1, 0, 0, 0, 0));
	CHECK(object_is(c, "fullnode_template.yaml", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));

	/* epoch_of: exact at known ends and between two known neighbours, bounded otherwise */
	CHECK(epoch_of_is(c, 0, true, 0, 0));
	CHECK(epoch_of_is(c, 1, true, 1, 1));
	CHECK(epoch_of_is(c, 10, true, 1, 1));
	CHECK(epoch_of_is(c, 11, true, 2, 2));
	CHECK(epoch_of_is(c, 40, true, 4, 4));
	CHECK(epoch_of_is(c, 41, false, 5, 6));
	CHECK(epoch_of_is(c, 59, false, 5, 6));
	CHECK(epoch_of_is(c, 60, true, 6, 6));
	CHECK(epoch_of_is(c, 61, false, 7, UINT64_MAX));

	/* epochs -> versions */
	CHECK(e2v_is(c, 0, 0, 0, 0));
	CHECK(e2v_is(c, 0, 2, 0, 20));
	CHECK(e2v_is(c, 1, 1, 1, 10));
	CHECK(e2v_is(c, 2, 3, 11, 30));
	CHECK(e2v_is(c, 5, 5, 41, 60));	/* end(5) unknown: up to end(6) */
	CHECK(e2v_is(c, 6, 6, 41, 60));	/* end(5) unknown: from end(4) + 1 */
	CHECK(e2v_is(c, 7, 9, 61, UINT64_MAX));
	CHECK(e2v_is(c, 3, 2, UINT64_MAX, 0));	/* empty */

	/* pruning */
	ff_range_set_init_empty(&e);
	ff_range_set_init_empty(&v);
	ff_range_set_add(&e, 2, 2);
	CHECK(ff_catalog_epoch_set_to_versions(c, &e, &v));
	CHECK(v.n == 1 && v.r[0].lo == 11 && v.r[0].hi == 20);
	CHECK(prune_is(c, &v, 1, (size_t[]) {1}));
	ff_range_set_add(&e, 5, 5);
	ff_range_set_free(&v);
	CHECK(ff_catalog_epoch_set_to_versions(c, &e, &v));
	CHECK(v.n == 2 && v.r[1].lo == 41 && v.r[1].hi == 60);
	CHECK(prune_is(c, &v, 2, (size_t[]) {1, 3}));
	ff_range_set_free(&v);
	ff_range_set_free(&e);
	CHECK(prune_versions_is(c, 40, 40, 1, (size_t[]) {2}));	/* not 35-50: it emits from 41 */
	CHECK(prune_versions_is(c, 41, 41, 1, (size_t[]) {3}));
	CHECK(prune_versions_is(c, 0, 0, 0, NULL));
	CHECK(prune_versions_is(c, 51, UINT64_MAX, 0, NULL));
	CHECK(prune_versions_is(c, 0, UINT64_MAX, 4, (size_t[]) {0, 1, 2, 3}));

	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- per-epoch layout: <epoch>/ sub-roots with their own metadata/ --------------------- */

static void
test_per_epoch_layout(void)
{
	char	   *root = make_root();
	ff_catalog *c;

	if (!root)
		return;
	for (int ep = 100; ep <= 102; ep++)
	{
		char		rel[512],
					man[256],
					chunk[256];
		uint64_t	ver = 1000 + (uint64_t) (ep - 100) * 10;

		snprintf(rel, sizeof(rel), "%d/epoch_ending_%d-.ab%02d/epoch_ending.manifest", ep, ep, ep - 100);
		put_epoch_manifest(root, rel, false, (uint64_t) ep, 1, &ver);
		snprintf(man, sizeof(man), "epoch_ending_%d-.ab%02d/epoch_ending.manifest", ep, ep - 100);
		snprintf(rel, sizeof(rel), "%d/metadata/epoch_ending_%d-%d.meta", ep, ep, ep);
		put_epoch_meta(root, rel, false, (uint64_t) ep, (uint64_t) ep, ver, ver, man);

		snprintf(rel, sizeof(rel), "%d/transaction_%" PRIu64 "-.cd%02d/transaction.manifest", ep, ver, ep - 100);
		snprintf(chunk, sizeof(chunk), "transaction_%" PRIu64 "-.cd%02d/%" PRIu64 "-.chunk", ver, ep - 100, ver);
		put_tx_manifest(root, rel, false, ver, ver, 1, (uint64_t[]) {ver, ver}, (const char *[]) {chunk});
		snprintf(rel, sizeof(rel), "%d/%s", ep, chunk);
		put(root, rel, "c", false);
		snprintf(man, sizeof(man), "transaction_%" PRIu64 "-.cd%02d/transaction.manifest", ver, ep - 100);
		snprintf(rel, sizeof(rel), "%d/metadata/transaction_%" PRIu64 "-%" PRIu64 ".meta", ep, ver, ver);
		put_tx_meta(root, rel, false, ver, ver, man);
	}
	/* 101: a stale .meta (as 77/ in the v4 archive) and a foreign file; 102: a re-run
	 * epoch-ending backup (duplicate) with its own .meta */
	put_epoch_meta(root, "101/metadata/epoch_ending_101-101.meta.old", false, 101, 101, 5, 5, "x/epoch_ending.manifest");
	put_epoch_meta(root, "101/metadata/epoch_ending_101-101-b.meta", false, 101, 101, 5, 5,
				   "epoch_ending_101-.dead/epoch_ending.manifest");
	put(root, "101/fullnode_template.yaml", "x", false);
	put_epoch_manifest(root, "102/epoch_ending_102-.ff00/epoch_ending.manifest", false, 102, 1, (uint64_t[]) {1020});
	put_epoch_meta(root, "102/metadata/epoch_ending_102-102.2.meta", false, 102, 102, 1020, 1020,
				   "epoch_ending_102-.ff00/epoch_ending.manifest");
	/* a bundle beside the folders is not a backup the catalog reads */
	put(root, "101.zip", "PK", false);

	if (!(c = build_synthetic(root)))
		return;
	CHECK_EQ_U64(c->n_tx_chunks, 3);
	CHECK_EQ_U64(c->n_tx_backups, 3);
	CHECK_EQ_U64(c->n_epochs, 3);
	CHECK_EQ_U64(c->n_epoch_backups, 3);
	if (c->n_tx_chunks == 3)
	{
		CHECK_STR(c->tx_chunks[1].key, "101/transaction_1010-.cd01/1010-.chunk");
		CHECK_STR(c->tx_chunks[1].manifest_key, "101/transaction_1010-.cd01/transaction.manifest");
		CHECK(c->tx_chunks[2].first_version == 1020 && c->tx_chunks[2].emit_from == 1020);
	}
	if (c->n_epochs == 3)
		CHECK(c->epochs[0].epoch == 100 && c->epochs[0].version == 1000 &&
			  c->epochs[2].epoch == 102 && c->epochs[2].version == 1020);
	CHECK(has_warning(c, "101/metadata/epoch_ending_101-101-b.meta", "stale"));
	CHECK_EQ_U64(c->n_warnings, 1);		/* ".meta.old" is not a .meta file */
	if (c->n_warnings != 1)
		dump_warnings(c);
	/* objects of sub-roots: backup keys with the epoch folder; bundles; foreign files */
	CHECK(object_is(c, "101.zip", FF_OBJ_BUNDLE, NULL, -1, NO_RANGE, 101, 101));
	CHECK(object_is(c, "101/fullnode_template.yaml", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));
	CHECK(object_is(c, "101/metadata/epoch_ending_101-101.meta.old", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));
	CHECK(object_is(c, "101/transaction_1010-.cd01/1010-.chunk", FF_OBJ_TRANSACTION, "101/transaction_1010-.cd01", -1,
					1010, 1010, 101, 101));
	CHECK(object_is(c, "101/metadata/transaction_1010-1010.meta", FF_OBJ_METADATA, NULL, -1, 1010, 1010, 101, 101));
	CHECK(object_is(c, "100/transaction_1000-.cd00/transaction.manifest", FF_OBJ_MANIFEST, "100/transaction_1000-.cd00",
					0, 1000, 1000, 100, 100));
	/* no epoch-ending chunk files here: each backup's epoch is a gap (not found) */
	CHECK_EQ_U64(c->n_epoch_chunks, 0);
	CHECK_EQ_U64(c->n_gaps, 4);		/* 100, 101, 102 twice (a re-run) */
	CHECK(gap_is(c, FF_GAP_EPOCHS, 101, 101, FF_ERR_NOT_FOUND, "101/epoch_ending_101-.ab01/101-.chunk"));

	/* sparse: the transaction right after epoch 100 ends is in [101, 101] (both known) */
	CHECK(epoch_of_is(c, 1005, true, 101, 101));
	CHECK(epoch_of_is(c, 999, false, 1, 100));
	CHECK(epoch_of_is(c, 1021, false, 103, UINT64_MAX));
	CHECK(e2v_is(c, 101, 101, 1001, 1010));
	CHECK(e2v_is(c, 50, 60, 1, 1000));
	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- v7 fixture quirks ---------------------------------------------------------------- */

static void
test_quirks(void)
{
	char	   *root = make_root();
	ff_catalog *c;

	if (!root)
		return;
	/* a manifest naming ".chunk.gz" for a chunk stored as "…-.chunk" (gzip content) */
	put_tx_manifest(root, "v7/transaction_500-.46cf/transaction.manifest.gz", true, 500, 599, 1,
					(uint64_t[]) {500, 599}, (const char *[]) {"transaction_500-.46cf/500-.chunk.gz"});
	put(root, "v7/transaction_500-.46cf/500-.chunk", "c", true);
	/* a renamed "_gzipped" folder whose manifest names the original folder; chunk has .gz */
	put_tx_manifest(root, "v7/transaction_600-.541f_gzipped/transaction.manifest.gz", true, 600, 699, 1,
					(uint64_t[]) {600, 699}, (const char *[]) {"transaction_600-.541f/600-.chunk"});
	put(root, "v7/transaction_600-.541f_gzipped/600-.chunk.gz", "c", true);
	/* plain + .gz copies of one manifest, and of its chunk: one backup, plain chunk first */
	put_tx_manifest(root, "v7/transaction_700-.abcd/transaction.manifest", false, 700, 799, 1,
					(uint64_t[]) {700, 799}, (const char *[]) {"transaction_700-.abcd/700-.chunk"});
	put_tx_manifest(root, "v7/transaction_700-.abcd/transaction.manifest.gz", true, 700, 799, 1,
					(uint64_t[]) {700, 799}, (const char *[]) {"transaction_700-.abcd/700-.chunk"});
	put(root, "v7/transaction_700-.abcd/700-.chunk", "c", false);
	put(root, "v7/transaction_700-.abcd/700-.chunk.gz", "c", true);
	/* a corrupt plain copy next to a good .gz copy: warning, .gz used */
	put(root, "v7/transaction_800-.eeee/transaction.manifest", "{\"first_version\":", false);
	put_tx_manifest(root, "v7/transaction_800-.eeee/transaction.manifest.gz", true, 800, 899, 1,
					(uint64_t[]) {800, 899}, (const char *[]) {"transaction_800-.eeee/800-.chunk"});
	put(root, "v7/transaction_800-.eeee/800-.chunk", "c", false);
	/* epoch-ending manifest in plain and .gz copies; chunk also both ways */
	put_epoch_manifest(root, "v7/epoch_ending_116-.be9b/epoch_ending.manifest", false, 116, 1, (uint64_t[]) {650});
	put_epoch_manifest(root, "v7/epoch_ending_116-.be9b/epoch_ending.manifest.gz", true, 116, 1, (uint64_t[]) {650});

	if (!(c = build_synthetic(root)))
		return;
	CHECK_EQ_U64(c->n_tx_chunks, 4);
	CHECK_EQ_U64(c->n_tx_backups, 4);
	if (c->n_tx_chunks == 4)
	{
		CHECK_STR(c->tx_chunks[0].key, "v7/transaction_500-.46cf/500-.chunk");
		CHECK_STR(c->tx_chunks[1].key, "v7/transaction_600-.541f_gzipped/600-.chunk.gz");
		CHECK_STR(c->tx_chunks[1].manifest_key, "v7/transaction_600-.541f_gzipped/transaction.manifest.gz");
		CHECK_STR(c->tx_chunks[2].key, "v7/transaction_700-.abcd/700-.chunk");
		CHECK_STR(c->tx_chunks[2].manifest_key, "v7/transaction_700-.abcd/transaction.manifest");
		CHECK_STR(c->tx_chunks[3].manifest_key, "v7/transaction_800-.eeee/transaction.manifest.gz");
	}
	CHECK_EQ_U64(c->n_epochs, 1);
	CHECK_EQ_U64(c->n_epoch_backups, 1);
	CHECK(has_warning(c, "v7/transaction_800-.eeee/transaction.manifest", "unreadable manifest copy"));
	CHECK_EQ_U64(c->n_warnings, 1);
	if (c->n_warnings != 1)
		dump_warnings(c);
	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- missing chunks, broken manifests, conflicts -------------------------------------- */

static void
test_missing_and_broken(void)
{
	char	   *root = make_root();
	ff_catalog *c;
	ff_status	st;

	if (!root)
		return;
	/* a chunk file missing, nothing else holds its versions: a gap naming the manifest */
	put_tx_manifest(root, "transaction_1-.aaaa/transaction.manifest", false, 1, 20, 2,
					(uint64_t[]) {1, 10, 11, 20}, (const char *[]) {"transaction_1-.aaaa/1-.chunk", "transaction_1-.aaaa/11-.chunk"});
	put(root, "transaction_1-.aaaa/1-.chunk", "c", false);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_tx_chunks, 1);
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 11, 20, FF_ERR_NOT_FOUND, "transaction_1-.aaaa/11-.chunk"));
		CHECK(c->n_gaps == 1 && strstr(c->gaps[0].message, "transaction_1-.aaaa/transaction.manifest") != NULL &&
			  strstr(c->gaps[0].message, "11-20") != NULL);
		/* only scans that touch it fail */
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 1, 10) == NULL);
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 20, 30) == &c->gaps[0]);
		CHECK(gap_in(c, FF_GAP_EPOCHS, 0, UINT64_MAX) == NULL && gap_in(c, FF_GAP_STATE, 0, UINT64_MAX) == NULL);
		CHECK_EQ_U64(c->n_warnings, 0);
		ff_catalog_free(c);
	}

	/* ... a re-run backup holds those versions: warning only */
	put_tx_manifest(root, "transaction_1-.bbbb/transaction.manifest", false, 1, 20, 1,
					(uint64_t[]) {1, 20}, (const char *[]) {"transaction_1-.bbbb/1-.chunk"});
	put(root, "transaction_1-.bbbb/1-.chunk", "c", false);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_tx_chunks, 1);	/* 1-20 covers 1-10 of .aaaa */
		CHECK(c->n_tx_chunks == 1 && strcmp(c->tx_chunks[0].key, "transaction_1-.bbbb/1-.chunk") == 0);
		CHECK_EQ_U64(c->n_tx_backups, 1);
		CHECK_EQ_U64(c->n_gaps, 0);
		CHECK(has_warning(c, "transaction_1-.aaaa/transaction.manifest", "other backups hold"));
		ff_catalog_free(c);
	}

	/* a manifest that cannot be parsed and has no .meta: a gap over every version */
	put(root, "transaction_30-.cccc/transaction.manifest", "{\"first_version\":30,", true);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 0, UINT64_MAX, FF_ERR_CORRUPT, "transaction_30-.cccc/transaction.manifest"));
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 5, 5) != NULL);
		CHECK_EQ_U64(c->n_tx_chunks, 1);
		ff_catalog_free(c);
	}

	/* ... with a .meta whose versions nothing else holds: a gap over those */
	put_tx_meta(root, "metadata/transaction_30-40.meta", false, 30, 40, "transaction_30-.cccc/transaction.manifest");
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 30, 40, FF_ERR_CORRUPT, "transaction_30-.cccc/transaction.manifest"));
		CHECK(c->n_gaps == 1 && strstr(c->gaps[0].message, "30-40") != NULL);
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 1, 29) == NULL);
		ff_catalog_free(c);
	}

	/* ... another backup holds 21-35: the gap shrinks to 36-40; and once it holds 30-40: a warning */
	put_tx_manifest(root, "transaction_21-.dddd/transaction.manifest", false, 21, 35, 1,
					(uint64_t[]) {21, 35}, (const char *[]) {"transaction_21-.dddd/21-.chunk"});
	put(root, "transaction_21-.dddd/21-.chunk", "c", false);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 36, 40, FF_ERR_CORRUPT, "transaction_30-.cccc/transaction.manifest"));
		ff_catalog_free(c);
	}
	put_tx_manifest(root, "transaction_21-.dddd/transaction.manifest", false, 21, 45, 1,
					(uint64_t[]) {21, 45}, (const char *[]) {"transaction_21-.dddd/21-.chunk"});
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_tx_chunks, 2);
		CHECK_EQ_U64(c->n_gaps, 0);
		CHECK(has_warning(c, "transaction_30-.cccc/transaction.manifest", "cannot be used"));
		ff_catalog_free(c);
	}

	/* an unparseable epoch-ending manifest without .meta: a gap over every epoch; with one:
	 * its epochs (the index still has them, from the .meta) */
	put(root, "epoch_ending_3-.eeee/epoch_ending.manifest", "[]", false);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_EPOCHS, 0, UINT64_MAX, FF_ERR_CORRUPT, "epoch_ending_3-.eeee/epoch_ending.manifest"));
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 0, UINT64_MAX) == NULL);
		ff_catalog_free(c);
	}
	put_epoch_meta(root, "metadata/epoch_ending_3-4.meta", false, 3, 4, 30, 40, "epoch_ending_3-.eeee/epoch_ending.manifest");
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(has_warning(c, "epoch_ending_3-.eeee/epoch_ending.manifest", "using its .meta"));
		CHECK(c->n_epochs == 2 && c->epochs[0].epoch == 3 && c->epochs[1].version == 40);
		CHECK(c->n_epochs == 2 && !c->epochs[0].has_waypoint);
		CHECK_EQ_U64(c->n_epoch_backups, 1);
		CHECK_EQ_U64(c->n_gaps, 1);
		CHECK(gap_is(c, FF_GAP_EPOCHS, 3, 4, FF_ERR_CORRUPT, "epoch_ending_3-.eeee/epoch_ending.manifest"));
		ff_catalog_free(c);
	}

	/* a reversed range in a manifest makes it unusable: a gap, as for any corrupt manifest */
	put_tx_manifest(root, "transaction_90-.ffff/transaction.manifest", false, 90, 80, 1,
					(uint64_t[]) {90, 80}, (const char *[]) {"transaction_90-.ffff/90-.chunk"});
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 0, UINT64_MAX, FF_ERR_CORRUPT, "transaction_90-.ffff/transaction.manifest"));
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 0, 0) && strstr(gap_in(c, FF_GAP_TRANSACTIONS, 0, 0)->message, "reversed"));
		ff_catalog_free(c);
	}

	/* the build still fails when the location cannot be listed */
	{
		ff_source	failing = {&failing_ops, NULL, NULL};

		CHECK(ff_catalog_build(&failing, NULL, &c, &st) == FF_ERR_IO && c == NULL);
	}
	rm_rf(root);
	free(root);
}

static void
test_epoch_conflicts(void)
{
	char	   *root = make_root();
	ff_catalog *c;

	if (!root)
		return;
	put_epoch_manifest(root, "epoch_ending_1-.0001/epoch_ending.manifest", false, 1, 2, (uint64_t[]) {10, 20});
	/* two manifests disagree on epoch 3: left out */
	put_epoch_manifest(root, "epoch_ending_3-.0001/epoch_ending.manifest", false, 3, 1, (uint64_t[]) {30});
	put_epoch_manifest(root, "epoch_ending_3-.0002/epoch_ending.manifest", false, 3, 1, (uint64_t[]) {31});
	/* a multi-epoch .meta disagrees with its manifest: the manifest wins */
	put_epoch_manifest(root, "epoch_ending_4-.0001/epoch_ending.manifest", false, 4, 2, (uint64_t[]) {40, 50});
	put_epoch_meta(root, "metadata/epoch_ending_4-5.old.meta", false, 4, 5, 40, 55, "epoch_ending_4-.0001/epoch_ending.manifest");
	/* out of order: epoch 7 ends before epoch 6 — both dropped */
	put_epoch_manifest(root, "epoch_ending_6-.0001/epoch_ending.manifest", false, 6, 1, (uint64_t[]) {70});
	put_epoch_manifest(root, "epoch_ending_7-.0001/epoch_ending.manifest", false, 7, 1, (uint64_t[]) {65});
	put_epoch_manifest(root, "epoch_ending_8-.0001/epoch_ending.manifest", false, 8, 1, (uint64_t[]) {80});
	/* epoch 0 must end at version 0 */
	put_epoch_manifest(root, "epoch_ending_0-.0001/epoch_ending.manifest", false, 0, 1, (uint64_t[]) {5});
	/* a manifest whose waypoints do not match its epochs (its .meta gives them) */
	put(root, "epoch_ending_9-.0001/epoch_ending.manifest",
		"{\"first_epoch\":9,\"last_epoch\":10,\"waypoints\":[\"90:000000000000000000000000000000000000000000000000000000000000005a\"]}", false);
	/* two manifests agree on the end version of epoch 11 but not on its waypoint hash: the
	 * version stays, the waypoint goes; a third manifest agrees on epoch 12's waypoint */
	put_epoch_manifest(root, "epoch_ending_11-.0001/epoch_ending.manifest", false, 11, 2, (uint64_t[]) {110, 120});
	put(root, "epoch_ending_11-.0002/epoch_ending.manifest",
		"{\"first_epoch\":11,\"last_epoch\":12,\"waypoints\":[\"110:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\",\"120:0000000000000000000000000000000000000000000000000000000000000078\"],"
		"\"chunks\":[{\"first_epoch\":11,\"last_epoch\":12,\"ledger_infos\":\"x/11-.chunk\"}]}", false);
	put_epoch_meta(root, "metadata/epoch_ending_9-10.meta", false, 9, 10, 90, 100, "epoch_ending_9-.0001/epoch_ending.manifest");

	if (!(c = build_synthetic(root)))
		return;
	/* left: 1->10, 2->20, 4->40, 5->50, 8->80, 9->90, 10->100, 11->110, 12->120 */
	CHECK_EQ_U64(c->n_epochs, 9);
	if (c->n_epochs == 9)
	{
		uint64_t	want[9][2] = {{1, 10}, {2, 20}, {4, 40}, {5, 50}, {8, 80}, {9, 90}, {10, 100}, {11, 110}, {12, 120}};

		for (int i = 0; i < 9; i++)
			CHECK(c->epochs[i].epoch == want[i][0] && c->epochs[i].version == want[i][1]);
		/* waypoints: manifests only; conflicting hashes drop it */
		CHECK(c->epochs[0].has_waypoint && c->epochs[3].has_waypoint && !c->epochs[5].has_waypoint &&
			  !c->epochs[6].has_waypoint && !c->epochs[7].has_waypoint && c->epochs[8].has_waypoint);
		CHECK(c->epochs[8].waypoint[31] == 0x78 && c->epochs[3].waypoint[31] == 50);
	}
	CHECK(has_warning(c, "epoch 11:", "waypoint hashes"));
	CHECK(!has_warning(c, "epoch 12:", NULL));
	CHECK(ff_catalog_epoch_end(c, 12) && ff_catalog_epoch_end(c, 12)->version == 120);
	CHECK(ff_catalog_epoch_end(c, 3) == NULL && ff_catalog_epoch_end(c, 13) == NULL);
	CHECK(ff_catalog_epoch_end(c, 1) == &c->epochs[0]);
	CHECK(has_warning(c, "epoch 3: conflicting", NULL));
	CHECK(has_warning(c, "epoch 5:", "using the manifest"));
	CHECK(has_warning(c, "epoch 6:", "out of order"));
	CHECK(has_warning(c, "epoch 7:", "out of order"));
	CHECK(has_warning(c, "epoch 0:", "not 0"));
	CHECK(has_warning(c, "epoch_ending_9-.0001/epoch_ending.manifest", "waypoints"));
	CHECK_EQ_U64(c->n_epoch_backups, 9);	/* 0, 1-2, 3 (x2), 4-5, 6, 7, 8, 9-10, 11-12 (x2) */

	/* conservative around the dropped epochs */
	CHECK(e2v_is(c, 3, 3, 21, 40));
	CHECK(e2v_is(c, 6, 7, 51, 80));
	CHECK(epoch_of_is(c, 60, false, 6, 8));
	CHECK(epoch_of_is(c, 3, true, 1, 1));	/* epoch 0 ends at 0: so 1..10 is epoch 1 */
	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- epoch-ending chunks: overlaps, missing files ------------------------------------- */

static bool
prune_epochs_is(const ff_catalog *c, uint64_t lo, uint64_t hi, size_t n, const size_t *want)
{
	ff_range_set e;
	size_t	   *kept;
	size_t		nk;
	bool		ok;

	ff_range_set_init_empty(&e);
	ff_range_set_add(&e, lo, hi);
	ok = ff_catalog_prune_epoch_chunks(c, &e, &kept, &nk);
	ff_range_set_free(&e);
	return kept_is(ok, kept, nk, n, want);
}

static void
test_epoch_chunks(void)
{
	char	   *root = make_root();
	ff_catalog *c;

	if (!root)
		return;
	/* a multi-epoch backup 1-8 in one chunk; single-epoch backups 3 and 9 (3 is inside,
	 * dropped); 8-10 overlaps the first (emits 9-10, so 9 is dropped); 0 in its own */
	put_epoch_manifest(root, "epoch_ending_1-.aaaa/epoch_ending.manifest", true, 1, 8,
					   (uint64_t[]) {10, 20, 30, 40, 50, 60, 70, 80});
	put(root, "epoch_ending_1-.aaaa/1-.chunk", "c", true);
	put_epoch_manifest(root, "epoch_ending_3-.bbbb/epoch_ending.manifest", false, 3, 1, (uint64_t[]) {30});
	put(root, "epoch_ending_3-.bbbb/3-.chunk", "c", false);
	put_epoch_manifest(root, "epoch_ending_9-.cccc/epoch_ending.manifest", false, 9, 1, (uint64_t[]) {90});
	put(root, "epoch_ending_9-.cccc/9-.chunk", "c", false);
	put_epoch_manifest(root, "epoch_ending_8-.dddd/epoch_ending.manifest", false, 8, 3, (uint64_t[]) {80, 90, 100});
	put(root, "epoch_ending_8-.dddd/8-.chunk", "c", false);
	put_epoch_manifest(root, "epoch_ending_0-.eeee/epoch_ending.manifest", false, 0, 1, (uint64_t[]) {0});
	put(root, "epoch_ending_0-.eeee/0-.chunk", "c", false);
	/* a backup of 11-12 whose chunk file is missing: a gap; 13 missing but re-run present */
	put_epoch_manifest(root, "epoch_ending_11-.ffff/epoch_ending.manifest", false, 11, 2, (uint64_t[]) {110, 120});
	put_epoch_manifest(root, "epoch_ending_13-.1111/epoch_ending.manifest", false, 13, 1, (uint64_t[]) {130});
	put_epoch_manifest(root, "epoch_ending_13-.2222/epoch_ending.manifest", false, 13, 1, (uint64_t[]) {130});
	put(root, "epoch_ending_13-.2222/13-.chunk", "c", false);
	/* a manifest naming two chunks of which only the first is there */
	put(root, "epoch_ending_14-.3333/epoch_ending.manifest",
		"{\"first_epoch\":14,\"last_epoch\":17,\"waypoints\":[\"140:" "0000000000000000000000000000000000000000000000000000000000000001\","
		"\"150:0000000000000000000000000000000000000000000000000000000000000002\","
		"\"160:0000000000000000000000000000000000000000000000000000000000000003\","
		"\"170:0000000000000000000000000000000000000000000000000000000000000004\"],"
		"\"chunks\":[{\"first_epoch\":14,\"last_epoch\":14,\"ledger_infos\":\"epoch_ending_14-.3333/14-.chunk\"},"
		"{\"first_epoch\":15,\"last_epoch\":17,\"ledger_infos\":\"epoch_ending_14-.3333/15-.chunk\"}]}", false);
	put(root, "epoch_ending_14-.3333/14-.chunk", "c", false);
	put(root, "epoch_ending_14-.3333/15-.chunk.gz", "c", true);
	put(root, "epoch_ending_14-.3333/99-.chunk", "c", false);	/* named by nothing */
	/* a manifest whose chunks stop before its last epoch: not used at all (its .meta gives
	 * the range of the gap) */
	put(root, "epoch_ending_20-.4444/epoch_ending.manifest",
		"{\"first_epoch\":20,\"last_epoch\":21,\"waypoints\":[\"200:" "0000000000000000000000000000000000000000000000000000000000000001\","
		"\"210:0000000000000000000000000000000000000000000000000000000000000002\"],"
		"\"chunks\":[{\"first_epoch\":20,\"last_epoch\":20,\"ledger_infos\":\"epoch_ending_20-.4444/20-.chunk\"}]}", false);
	put(root, "epoch_ending_20-.4444/20-.chunk", "c", false);
	put_epoch_meta(root, "metadata/epoch_ending_20-21.meta", false, 20, 21, 200, 210,
				   "epoch_ending_20-.4444/epoch_ending.manifest");

	if (!(c = build_synthetic(root)))
		return;
	/* kept in order: 0, 1-8, 8-10 (from 9), 13 (.2222), 14, 15 */
	CHECK_EQ_U64(c->n_epoch_chunks, 6);
	if (c->n_epoch_chunks == 6)
	{
		CHECK_STR(c->epoch_chunks[0].key, "epoch_ending_0-.eeee/0-.chunk");
		CHECK_STR(c->epoch_chunks[1].key, "epoch_ending_1-.aaaa/1-.chunk");
		CHECK(c->epoch_chunks[1].first_epoch == 1 && c->epoch_chunks[1].last_epoch == 8 && c->epoch_chunks[1].emit_from == 1);
		CHECK_STR(c->epoch_chunks[2].key, "epoch_ending_8-.dddd/8-.chunk");
		CHECK(c->epoch_chunks[2].first_epoch == 8 && c->epoch_chunks[2].last_epoch == 10 && c->epoch_chunks[2].emit_from == 9);
		CHECK_STR(c->epoch_chunks[2].manifest_key, "epoch_ending_8-.dddd/epoch_ending.manifest");
		CHECK_STR(c->epoch_chunks[3].key, "epoch_ending_13-.2222/13-.chunk");
		CHECK_STR(c->epoch_chunks[5].key, "epoch_ending_14-.3333/15-.chunk.gz");
		CHECK(c->epoch_chunks[5].size > 0);
	}
	CHECK(has_warning(c, "epoch_ending_8-.dddd/8-.chunk", "emitting from 9"));
	CHECK(has_warning(c, "epoch_ending_13-.1111/epoch_ending.manifest", "other backups hold these epochs"));

	/* gaps: 11-12 (missing file), 20-21 (a manifest whose chunks do not tile its range) */
	CHECK_EQ_U64(c->n_gaps, 2);
	CHECK(gap_is(c, FF_GAP_EPOCHS, 11, 12, FF_ERR_NOT_FOUND, "epoch_ending_11-.ffff/11-.chunk"));
	CHECK(gap_is(c, FF_GAP_EPOCHS, 20, 21, FF_ERR_CORRUPT, "epoch_ending_20-.4444/epoch_ending.manifest"));
	CHECK(c->n_gaps == 2 && strstr(c->gaps[0].message, "epoch_ending_11-.ffff/epoch_ending.manifest") != NULL);
	CHECK(c->n_gaps == 2 && strstr(c->gaps[1].message, "the last chunk ends at epoch 20, the manifest at 21") != NULL);
	CHECK(gap_in(c, FF_GAP_EPOCHS, 0, 10) == NULL && gap_in(c, FF_GAP_EPOCHS, 13, 19) == NULL);
	CHECK(gap_in(c, FF_GAP_EPOCHS, 12, 13) != NULL && gap_in(c, FF_GAP_TRANSACTIONS, 0, UINT64_MAX) == NULL);

	/* the index is complete from 0 to 17, with every waypoint; 20 and 21 come from the .meta
	 * of the manifest not used, without waypoints */
	CHECK_EQ_U64(c->n_epochs, 20);
	for (size_t i = 0; i < c->n_epochs && i < 18; i++)
		CHECK(c->epochs[i].epoch == i && c->epochs[i].has_waypoint);
	CHECK(c->n_epochs == 20 && c->epochs[18].epoch == 20 && !c->epochs[18].has_waypoint &&
		  c->epochs[19].epoch == 21 && !c->epochs[19].has_waypoint);

	/* pruning by emit range: epoch 8 comes from 1-8 only, 9 from 8-10 only */
	CHECK(prune_epochs_is(c, 8, 8, 1, (size_t[]) {1}));
	CHECK(prune_epochs_is(c, 9, 9, 1, (size_t[]) {2}));
	CHECK(prune_epochs_is(c, 3, 3, 1, (size_t[]) {1}));
	CHECK(prune_epochs_is(c, 0, 1, 2, (size_t[]) {0, 1}));
	CHECK(prune_epochs_is(c, 11, 12, 0, NULL));
	CHECK(prune_epochs_is(c, 0, UINT64_MAX, 6, (size_t[]) {0, 1, 2, 3, 4, 5}));

	/* the objects: chunks the catalog resolved, even dropped ones; a stray one is "other" */
	CHECK(object_is(c, "epoch_ending_3-.bbbb/3-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_3-.bbbb", -1, 30, 30, 3, 3));
	CHECK(object_is(c, "epoch_ending_1-.aaaa/1-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_1-.aaaa", -1, 10, 80, 1, 8));
	CHECK(object_is(c, "epoch_ending_14-.3333/99-.chunk", FF_OBJ_OTHER, "epoch_ending_14-.3333", -1, 140, 170, 14, 17));
	CHECK(object_is(c, "epoch_ending_1-.aaaa/epoch_ending.manifest", FF_OBJ_MANIFEST, "epoch_ending_1-.aaaa", 1, 10, 80, 1, 8));
	CHECK(object_is(c, "epoch_ending_3-.bbbb/epoch_ending.manifest", FF_OBJ_MANIFEST, "epoch_ending_3-.bbbb", 0, 30, 30, 3, 3));
	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- state snapshots -------------------------------------------------------------------- */

static bool
prune_snapshots_is(const ff_catalog *c, uint64_t v_lo, uint64_t v_hi, uint64_t e_lo, uint64_t e_hi,
				   size_t n, const size_t *want)
{
	ff_range_set v,
				e;
	size_t	   *kept;
	size_t		nk;
	bool		ok;

	ff_range_set_init_empty(&v);
	ff_range_set_init_empty(&e);
	ff_range_set_add(&v, v_lo, v_hi);
	ff_range_set_add(&e, e_lo, e_hi);
	ok = ff_catalog_prune_snapshots(c, &v, &e, &kept, &nk);
	ff_range_set_free(&v);
	ff_range_set_free(&e);
	return kept_is(ok, kept, nk, n, want);
}

static void
test_state_snapshots(void)
{
	char	   *root = make_root();
	ff_catalog *c;

	if (!root)
		return;
	/* the epoch index: epochs 0-8 end at 0, 10, ..., 80 (chunks present) */
	put_epoch_manifest(root, "epoch_ending_0-.0000/epoch_ending.manifest", true, 0, 9,
					   (uint64_t[]) {0, 10, 20, 30, 40, 50, 60, 70, 80});
	put(root, "epoch_ending_0-.0000/0-.chunk", "c", true);

	/* v6: epoch in the manifest, the .meta and the folder name; two chunks listed out of
	 * order; proofs; a stray chunk copy; written gzip'ed without suffix */
	put_state_manifest(root, "state_epoch_5_ver_50.aaaa/state.manifest", true, 50, 5, 2,
					   (uint64_t[]) {100, 149, 0, 99},
					   (const char *[]) {"state_epoch_5_ver_50.aaaa/100-.chunk", "state_epoch_5_ver_50.aaaa/0-.chunk"});
	put(root, "state_epoch_5_ver_50.aaaa/0-.chunk", "c", true);
	put(root, "state_epoch_5_ver_50.aaaa/100-.chunk", "cc", true);
	put(root, "state_epoch_5_ver_50.aaaa/0-99.proof", "p", true);
	put(root, "state_epoch_5_ver_50.aaaa/state.proof", "p", true);
	put(root, "state_epoch_5_ver_50.aaaa/500-.chunk", "c", true);
	put(root, "metadata/state_snapshot_ver_50.meta",
		"{\"StateSnapshotBackup\":{\"epoch\":5,\"version\":50,\"manifest\":\"state_epoch_5_ver_50.aaaa/state.manifest\"}}\n", true);
	/* an identical re-run of it: one snapshot per version, the first by manifest key */
	put_state_manifest(root, "state_epoch_5_ver_50.bbbb/state.manifest", false, 50, 5, 1,
					   (uint64_t[]) {0, 149}, (const char *[]) {"state_epoch_5_ver_50.bbbb/0-.chunk"});
	put(root, "state_epoch_5_ver_50.bbbb/0-.chunk", "c", false);

	/* v4/v5: no epoch anywhere; 30 ends epoch 3 (the index says so), 35 ends none */
	put_state_manifest(root, "state_ver_30.cccc/state.manifest", false, 30, NO_EPOCH, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_ver_30.cccc/0-.chunk"});
	put(root, "state_ver_30.cccc/0-.chunk", "c", false);
	put(root, "metadata/state_snapshot_ver_30.meta",
		"{\"StateSnapshotBackup\":{\"version\":30,\"manifest\":\"state_ver_30.cccc/state.manifest\"}}\n", false);
	put_state_manifest(root, "state_ver_35.dddd/state.manifest.gz", true, 35, NO_EPOCH, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_ver_35.dddd/0-.chunk"});
	put(root, "state_ver_35.dddd/0-.chunk", "c", false);

	/* a missing chunk: a gap at its version (the other chunk is still listed) */
	put_state_manifest(root, "state_epoch_6_ver_60.eeee/state.manifest", false, 60, 6, 2,
					   (uint64_t[]) {0, 9, 10, 19},
					   (const char *[]) {"state_epoch_6_ver_60.eeee/0-.chunk", "state_epoch_6_ver_60.eeee/10-.chunk"});
	put(root, "state_epoch_6_ver_60.eeee/0-.chunk", "c", false);

	/* the folder name says epoch 7, the manifest 8: warning, the manifest wins */
	put_state_manifest(root, "state_epoch_7_ver_70.ffff/state.manifest", false, 70, 8, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_epoch_7_ver_70.ffff/0-.chunk"});
	put(root, "state_epoch_7_ver_70.ffff/0-.chunk", "c", false);
	put(root, "metadata/state_70.meta",
		"{\"StateSnapshotBackup\":{\"epoch\":9,\"version\":70,\"manifest\":\"state_epoch_7_ver_70.ffff/state.manifest\"}}\n", false);

	/* a manifest that cannot be used: a gap at the version its folder name gives */
	put(root, "state_ver_90.9999/state.manifest", "{\"version\":90}", false);
	/* plain and .gz copies of one manifest (both present, one backup) */
	put_state_manifest(root, "state_epoch_8_ver_80.8888/state.manifest", false, 80, 8, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_epoch_8_ver_80.8888/0-.chunk"});
	put_state_manifest(root, "state_epoch_8_ver_80.8888/state.manifest.gz", true, 80, 8, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_epoch_8_ver_80.8888/0-.chunk"});
	put(root, "state_epoch_8_ver_80.8888/0-.chunk.gz", "c", true);
	/* bundles and foreign files */
	put(root, "5.tar.gz", "b", false);
	put(root, "12.tgz", "b", false);
	put(root, "x5.zip", "b", false);
	put(root, "readme.txt", "r", false);

	if (!(c = build_synthetic(root)))
		return;
	/* 30 (epoch 3 from the index), 35 (none), 50, 60, 70 (epoch 8), 80 */
	CHECK_EQ_U64(c->n_snapshots, 6);
	if (c->n_snapshots == 6)
	{
		const ff_state_snapshot *s = c->snapshots;

		CHECK(s[0].version == 30 && s[0].has_epoch && s[0].epoch == 3);
		CHECK_STR(s[0].manifest_key, "state_ver_30.cccc/state.manifest");
		CHECK(s[1].version == 35 && !s[1].has_epoch);
		CHECK(s[2].version == 50 && s[2].has_epoch && s[2].epoch == 5 && s[2].n_chunks == 2);
		CHECK_STR(s[2].manifest_key, "state_epoch_5_ver_50.aaaa/state.manifest");
		if (s[2].n_chunks == 2)
		{
			CHECK(s[2].chunks[0].first_idx == 0 && s[2].chunks[0].last_idx == 99);
			CHECK_STR(s[2].chunks[0].key, "state_epoch_5_ver_50.aaaa/0-.chunk");
			CHECK(s[2].chunks[1].first_idx == 100 && s[2].chunks[1].last_idx == 149);
			CHECK(s[2].chunks[1].size > s[2].chunks[0].size || s[2].chunks[1].size > 0);
		}
		CHECK(s[3].version == 60 && s[3].epoch == 6 && s[3].n_chunks == 1);
		CHECK(s[4].version == 70 && s[4].epoch == 8);
		CHECK(s[5].version == 80 && s[5].epoch == 8 && s[5].n_chunks == 1);
		CHECK_STR(s[5].manifest_key, "state_epoch_8_ver_80.8888/state.manifest");
		if (s[5].n_chunks == 1)
			CHECK_STR(s[5].chunks[0].key, "state_epoch_8_ver_80.8888/0-.chunk.gz");
	}
	CHECK(has_warning(c, "state_epoch_7_ver_70.ffff/state.manifest", "its folder name says epoch 7"));
	CHECK(has_warning(c, "state_epoch_7_ver_70.ffff/state.manifest", "metadata/state_70.meta says epoch 9"));
	CHECK(!has_warning(c, "bbbb", NULL));	/* an identical re-run is silent */

	/* gaps: 60 (chunk missing), 90 (manifest unusable) */
	CHECK_EQ_U64(c->n_gaps, 2);
	CHECK(gap_is(c, FF_GAP_STATE, 60, 60, FF_ERR_NOT_FOUND, "state_epoch_6_ver_60.eeee/10-.chunk"));
	CHECK(gap_is(c, FF_GAP_STATE, 90, 90, FF_ERR_CORRUPT, "state_ver_90.9999/state.manifest"));
	CHECK(c->n_gaps == 2 && strstr(c->gaps[0].message, "state_epoch_6_ver_60.eeee/state.manifest") != NULL);
	CHECK(gap_in(c, FF_GAP_STATE, 0, 59) == NULL && gap_in(c, FF_GAP_STATE, 61, 89) == NULL);
	CHECK(gap_in(c, FF_GAP_EPOCHS, 0, UINT64_MAX) == NULL);

	/* pruning: by version, and by epoch where known (35 has none: kept unless its version is out) */
	CHECK(prune_snapshots_is(c, 0, UINT64_MAX, 0, UINT64_MAX, 6, (size_t[]) {0, 1, 2, 3, 4, 5}));
	CHECK(prune_snapshots_is(c, 0, UINT64_MAX, 5, 5, 2, (size_t[]) {1, 2}));
	CHECK(prune_snapshots_is(c, 0, UINT64_MAX, 8, 8, 3, (size_t[]) {1, 4, 5}));
	CHECK(prune_snapshots_is(c, 40, 60, 0, UINT64_MAX, 2, (size_t[]) {2, 3}));
	CHECK(prune_snapshots_is(c, 31, 49, 3, 3, 1, (size_t[]) {1}));	/* 35: no epoch */
	CHECK(prune_snapshots_is(c, 36, 49, 3, 3, 0, NULL));

	/* objects */
	CHECK(object_is(c, "state_epoch_5_ver_50.aaaa/0-.chunk", FF_OBJ_STATE_SNAPSHOT, "state_epoch_5_ver_50.aaaa", -1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_epoch_5_ver_50.aaaa/0-99.proof", FF_OBJ_PROOF, "state_epoch_5_ver_50.aaaa", -1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_epoch_5_ver_50.aaaa/state.proof", FF_OBJ_PROOF, "state_epoch_5_ver_50.aaaa", -1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_epoch_5_ver_50.aaaa/state.manifest", FF_OBJ_MANIFEST, "state_epoch_5_ver_50.aaaa", 1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_epoch_5_ver_50.aaaa/500-.chunk", FF_OBJ_OTHER, "state_epoch_5_ver_50.aaaa", -1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_epoch_5_ver_50.bbbb/0-.chunk", FF_OBJ_STATE_SNAPSHOT, "state_epoch_5_ver_50.bbbb", -1, 50, 50, 5, 5));
	CHECK(object_is(c, "state_ver_30.cccc/0-.chunk", FF_OBJ_STATE_SNAPSHOT, "state_ver_30.cccc", -1, 30, 30, 3, 3));
	CHECK(object_is(c, "state_ver_35.dddd/0-.chunk", FF_OBJ_STATE_SNAPSHOT, "state_ver_35.dddd", -1, 35, 35, NO_RANGE));
	CHECK(object_is(c, "state_ver_35.dddd/state.manifest.gz", FF_OBJ_MANIFEST, "state_ver_35.dddd", 1, 35, 35, NO_RANGE));
	CHECK(object_is(c, "state_ver_90.9999/state.manifest", FF_OBJ_MANIFEST, "state_ver_90.9999", 0, 90, 90, NO_RANGE));
	CHECK(object_is(c, "state_epoch_8_ver_80.8888/state.manifest", FF_OBJ_MANIFEST, "state_epoch_8_ver_80.8888", 0, 80, 80, 8, 8));
	CHECK(object_is(c, "state_epoch_8_ver_80.8888/state.manifest.gz", FF_OBJ_MANIFEST, "state_epoch_8_ver_80.8888", -1, 80, 80, 8, 8));
	CHECK(object_is(c, "metadata/state_snapshot_ver_50.meta", FF_OBJ_METADATA, NULL, -1, 50, 50, 5, 5));
	CHECK(object_is(c, "metadata/state_snapshot_ver_30.meta", FF_OBJ_METADATA, NULL, -1, 30, 30, 3, 3));
	CHECK(object_is(c, "metadata/state_70.meta", FF_OBJ_METADATA, NULL, 0, 70, 70, 9, 9));
	CHECK(object_is(c, "5.tar.gz", FF_OBJ_BUNDLE, NULL, -1, NO_RANGE, 5, 5));
	CHECK(object_is(c, "12.tgz", FF_OBJ_BUNDLE, NULL, -1, NO_RANGE, 12, 12));
	CHECK(object_is(c, "x5.zip", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));
	CHECK(object_is(c, "readme.txt", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));
	CHECK(object_is(c, "epoch_ending_0-.0000/0-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_0-.0000", -1, 0, 80, 0, 8));

	/* kind names */
	CHECK_STR(ff_object_kind_name(FF_OBJ_TRANSACTION), "transaction");
	CHECK_STR(ff_object_kind_name(FF_OBJ_EPOCH_ENDING), "epoch_ending");
	CHECK_STR(ff_object_kind_name(FF_OBJ_STATE_SNAPSHOT), "state_snapshot");
	CHECK_STR(ff_object_kind_name(FF_OBJ_MANIFEST), "manifest");
	CHECK_STR(ff_object_kind_name(FF_OBJ_METADATA), "metadata");
	CHECK_STR(ff_object_kind_name(FF_OBJ_PROOF), "proof");
	CHECK_STR(ff_object_kind_name(FF_OBJ_BUNDLE), "bundle");
	CHECK_STR(ff_object_kind_name(FF_OBJ_OTHER), "other");
	ff_catalog_free(c);
	rm_rf(root);
	free(root);
}

/* ---- reuse of a previous build -------------------------------------------------------- */

static void
test_previous_reuse(void)
{
	char	   *root = make_root();
	counting_source cs;
	ff_catalog *c1 = NULL,
			   *c2 = NULL,
			   *c3 = NULL,
			   *c4 = NULL;
	ff_status	st;
	char		path[4096];
	struct timespec times[2];

	if (!root)
		return;
	put_tx_manifest(root, "transaction_1-.aaaa/transaction.manifest", true, 1, 10, 1,
					(uint64_t[]) {1, 10}, (const char *[]) {"transaction_1-.aaaa/1-.chunk"});
	put(root, "transaction_1-.aaaa/1-.chunk", "c", true);
	put_tx_meta(root, "metadata/transaction_1-10.meta", true, 1, 10, "transaction_1-.aaaa/transaction.manifest");
	put_epoch_manifest(root, "epoch_ending_1-.bbbb/epoch_ending.manifest", true, 1, 2, (uint64_t[]) {5, 10});
	put(root, "metadata/bad.meta", "{oops", false);
	put_state_manifest(root, "state_epoch_2_ver_10.cccc/state.manifest", true, 10, 2, 1,
					   (uint64_t[]) {0, 9}, (const char *[]) {"state_epoch_2_ver_10.cccc/0-.chunk"});
	put(root, "state_epoch_2_ver_10.cccc/0-.chunk", "c", true);

	memset(&cs, 0, sizeof(cs));
	cs.base.ops = &cs_ops;
	CHECK(ff_source_local_new(root, NULL, &cs.inner, &st) == FF_OK);
	CHECK(ff_catalog_build(&cs.base, NULL, &c1, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 4);	/* 3 manifests + bad.meta (transaction_1-10.meta adds nothing) */
	cs.opens = 0;
	CHECK(ff_catalog_build(&cs.base, c1, &c2, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 0);
	CHECK(c2 && c2->n_tx_chunks == 1 && c2->n_epochs == 2 && c2->n_warnings == c1->n_warnings);
	CHECK(c2 && has_warning(c2, "metadata/bad.meta", "unreadable"));
	/* what the reused entries give is the same: snapshots, gaps, objects with compression */
	CHECK(c2 && c2->n_snapshots == 1 && c2->snapshots[0].n_chunks == 1 && c2->snapshots[0].epoch == 2);
	CHECK(c2 && c2->n_gaps == c1->n_gaps && c2->n_gaps == 1);	/* the epoch-ending chunk is missing */
	CHECK(c2 && object_is(c2, "state_epoch_2_ver_10.cccc/state.manifest", FF_OBJ_MANIFEST,
						  "state_epoch_2_ver_10.cccc", 1, 10, 10, 2, 2));
	CHECK(c2 && object_is(c2, "metadata/bad.meta", FF_OBJ_METADATA, NULL, 0, NO_RANGE, NO_RANGE));

	/* the first catalog can go; the second still owns what it shares */
	ff_catalog_free(c1);

	/* a changed manifest (size differs) is read again, the rest is reused */
	put_tx_manifest(root, "transaction_1-.aaaa/transaction.manifest", true, 1, 10, 2,
					(uint64_t[]) {1, 5, 6, 10}, (const char *[]) {"transaction_1-.aaaa/1-.chunk", "transaction_1-.aaaa/6-.chunk"});
	put(root, "transaction_1-.aaaa/6-.chunk", "c", true);
	cs.opens = 0;
	CHECK(ff_catalog_build(&cs.base, c2, &c3, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 1);
	CHECK(c3 && c3->n_tx_chunks == 2);

	/* same size, new mtime: read again */
	put_epoch_manifest(root, "epoch_ending_1-.bbbb/epoch_ending.manifest", true, 1, 2, (uint64_t[]) {5, 11});
	snprintf(path, sizeof(path), "%s/epoch_ending_1-.bbbb/epoch_ending.manifest", root);
	times[0].tv_sec = times[1].tv_sec = 1000000000;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	utimensat(AT_FDCWD, path, times, 0);
	cs.opens = 0;
	CHECK(ff_catalog_build(&cs.base, c3, &c4, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 1);
	CHECK(c4 && c4->n_epochs == 2 && c4->epochs[1].version == 11);

	ff_catalog_free(c2);
	ff_catalog_free(c3);
	ff_catalog_free(c4);
	ff_source_destroy(&cs.base);
	rm_rf(root);
	free(root);
}

/* ---- real samples --------------------------------------------------------------------- */

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Objects of each kind, printed as one line. */
static void
count_kinds(const ff_catalog *c, const char *what, size_t counts[FF_OBJ_OTHER + 1])
{
	size_t		waypoints = 0;

	memset(counts, 0, (FF_OBJ_OTHER + 1) * sizeof(size_t));
	for (size_t i = 0; i < c->n_objects; i++)
		counts[c->objects[i].kind]++;
	for (size_t i = 0; i < c->n_epochs; i++)
		waypoints += c->epochs[i].has_waypoint;
	printf("%s: %zu objects:", what, c->n_objects);
	for (int k = 0; k <= FF_OBJ_OTHER; k++)
		printf(" %s %zu", ff_object_kind_name((ff_object_kind) k), counts[k]);
	printf("\n%s: %zu tx chunks, %zu epochs (%zu waypoints), %zu epoch-ending chunks, %zu snapshots, "
		   "%zu gaps, %zu warnings\n", what, c->n_tx_chunks, c->n_epochs, waypoints, c->n_epoch_chunks,
		   c->n_snapshots, c->n_gaps, c->n_warnings);
}

static bool
cancel_always(void)
{
	return true;
}

static void
test_real_v6(const char *data)
{
	char		root[PATH_MAX + 64];
	ff_catalog *c = NULL,
			   *c2 = NULL;
	ff_status	st;
	ff_source  *src;
	double		t0,
				t1,
				t2;
	bool		contiguous = true,
				increasing = true;

	snprintf(root, sizeof(root), "%s/0l-v6-testnet-sample", data);
	if (access(root, F_OK) != 0)
	{
		printf("skipped: no real v6 sample\n");
		return;
	}
	CHECK(ff_source_local_new(root, NULL, &src, &st) == FF_OK);
	t0 = now_ms();
	CHECK(ff_catalog_build(src, NULL, &c, &st) == FF_OK);
	t1 = now_ms();
	CHECK(ff_catalog_build(src, c, &c2, &st) == FF_OK);
	t2 = now_ms();
	printf("real v6 sample: cold build %.1f ms, rebuild with previous %.1f ms\n", t1 - t0, t2 - t1);
	if (!c || !c2)
	{
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
		ff_catalog_free(c);
		ff_source_destroy(src);
		return;
	}
	CHECK_EQ_U64(c->n_tx_chunks, 12);
	CHECK_EQ_U64(c->n_tx_backups, 12);
	for (size_t i = 0; i < c->n_tx_chunks; i++)
		if (c->tx_chunks[i].emit_from != c->tx_chunks[i].first_version ||
			c->tx_chunks[i].first_version != (i == 0 ? 1 : c->tx_chunks[i - 1].last_version + 1))
			contiguous = false;
	CHECK(contiguous);
	CHECK(c->n_tx_chunks == 12 && c->tx_chunks[0].first_version == 1 && c->tx_chunks[11].last_version == 240000);
	CHECK(c->n_tx_chunks && strcmp(c->tx_chunks[0].key, "transaction_1-.90bf/1-.chunk") == 0);
	CHECK_EQ_U64(c->n_epochs, 2334);
	CHECK_EQ_U64(c->n_epoch_backups, 2334);
	for (size_t i = 0; i < c->n_epochs; i++)
		if (c->epochs[i].epoch != i || (i > 0 && c->epochs[i].version <= c->epochs[i - 1].version))
			increasing = false;
	CHECK(increasing);
	CHECK(c->n_epochs > 5 && c->epochs[0].version == 0 && c->epochs[1].version == 3 && c->epochs[5].version == 2247);
	CHECK_EQ_U64(c->n_warnings, 0);
	if (c->n_warnings)
		dump_warnings(c);

	CHECK(epoch_of_is(c, 0, true, 0, 0));
	CHECK(epoch_of_is(c, 1, true, 1, 1));
	CHECK(epoch_of_is(c, 3, true, 1, 1));
	CHECK(epoch_of_is(c, 4, true, 2, 2));
	CHECK(epoch_of_is(c, 2247, true, 5, 5));
	CHECK(epoch_of_is(c, 2248, true, 6, 6));
	CHECK(epoch_of_is(c, UINT64_MAX - 1, false, 2334, UINT64_MAX));
	CHECK(e2v_is(c, 5, 5, 1653, 2247));
	{
		uint64_t	lo,
					hi,
					e_lo,
					e_hi;

		/* every version in the sample's chunks has an exact epoch */
		ff_catalog_epochs_to_versions(c, 2333, 2333, &lo, &hi);
		CHECK(hi == c->epochs[2333].version && lo == c->epochs[2332].version + 1);
		CHECK(ff_catalog_epoch_of(c, 240000, &e_lo, &e_hi) && e_lo == e_hi);
		CHECK(ff_catalog_epoch_of(c, 120001, &e_lo, &e_hi));
		CHECK(prune_versions_is(c, 120000, 120001, 2, (size_t[]) {5, 6}));
		ff_catalog_epochs_to_versions(c, e_lo, e_lo, &lo, &hi);
		CHECK(lo <= 120001 && 120001 <= hi);
	}
	/* epoch-ending chunks and waypoints: one per epoch, all present; no gaps */
	CHECK_EQ_U64(c->n_epoch_chunks, 2334);
	{
		bool		all_waypoints = true,
					chunks_ok = true;
		size_t		counts[FF_OBJ_OTHER + 1];

		for (size_t i = 0; i < c->n_epochs; i++)
			all_waypoints = all_waypoints && c->epochs[i].has_waypoint;
		for (size_t i = 0; i < c->n_epoch_chunks; i++)
			chunks_ok = chunks_ok && c->epoch_chunks[i].first_epoch == i && c->epoch_chunks[i].last_epoch == i &&
				c->epoch_chunks[i].emit_from == i && c->epoch_chunks[i].size > 0;
		CHECK(all_waypoints);
		CHECK(chunks_ok);
		/* epoch 1: "3:a58b1287…7935" */
		CHECK(c->n_epochs > 1 && c->epochs[1].waypoint[0] == 0xa5 && c->epochs[1].waypoint[1] == 0x8b &&
			  c->epochs[1].waypoint[31] == 0x35);
		CHECK(c->n_epoch_chunks > 1 && strcmp(c->epoch_chunks[1].key, "epoch_ending_1-.6882/1-.chunk") == 0);
		CHECK_EQ_U64(c->n_gaps, 0);
		CHECK_EQ_U64(c->n_snapshots, 0);
		count_kinds(c, "real v6 sample", counts);
		CHECK_EQ_U64(c->n_objects, c->listing.n);
		CHECK(counts[FF_OBJ_TRANSACTION] == 12 && counts[FF_OBJ_EPOCH_ENDING] == 2334 && counts[FF_OBJ_PROOF] == 12);
		CHECK(counts[FF_OBJ_MANIFEST] == 2346 && counts[FF_OBJ_METADATA] == 2346 && counts[FF_OBJ_OTHER] == 0);
		uint64_t	e_lo,
					e_hi;

		CHECK(ff_catalog_epoch_of(c, 20000, &e_lo, &e_hi));
		CHECK(object_is(c, "transaction_1-.90bf/1-.chunk", FF_OBJ_TRANSACTION, "transaction_1-.90bf", -1, 1, 20000, 1, e_hi));
		CHECK(object_is(c, "epoch_ending_1-.6882/epoch_ending.manifest", FF_OBJ_MANIFEST, "epoch_ending_1-.6882", 1, 3, 3, 1, 1));
		CHECK(object_is(c, "epoch_ending_1-.6882/1-.chunk", FF_OBJ_EPOCH_ENDING, "epoch_ending_1-.6882", -1, 3, 3, 1, 1));
		CHECK(object_is(c, "metadata/epoch_ending_1-1.meta", FF_OBJ_METADATA, NULL, -1, 3, 3, 1, 1));
	}
	/* the rebuild reused everything and agrees */
	CHECK(c2->n_tx_chunks == 12 && c2->n_epochs == 2334 && c2->n_epoch_chunks == 2334 && c2->n_gaps == 0);
	CHECK(c2->n_objects == c->n_objects && c2->n_epochs == 2334 && c2->epochs[2333].has_waypoint &&
		  memcmp(c2->epochs[2333].waypoint, c->epochs[2333].waypoint, 32) == 0);
	ff_catalog_free(c);
	ff_catalog_free(c2);
	ff_source_destroy(src);

	/* a cancel probe that fires stops the build */
	CHECK(ff_source_local_new(root, cancel_always, &src, &st) == FF_OK);
	CHECK(ff_catalog_build(src, NULL, &c, &st) == FF_ERR_CANCELED && c == NULL);
	ff_source_destroy(src);
}

static void
test_real_v4_v7(const char *data)
{
	char		root[PATH_MAX + 64];
	ff_catalog *c = NULL;
	ff_status	st;
	uint64_t	want_eps[5] = {104, 107, 119, 120, 121};

	snprintf(root, sizeof(root), "%s/0l-v4-mainnet-sample", data);
	if (access(root, F_OK) == 0)
	{
		CHECK(build(root, NULL, &c, &st) == FF_OK);
		if (c)
		{
			CHECK_EQ_U64(c->n_tx_chunks, 5);
			CHECK_EQ_U64(c->n_tx_backups, 5);
			CHECK_EQ_U64(c->n_epochs, 5);
			for (size_t i = 0; i < 5 && i < c->n_epochs; i++)
				CHECK(c->epochs[i].epoch == want_eps[i]);
			/* each backup holds the epoch's last transaction: the chunk is that version */
			for (size_t i = 0; i < 5 && i < c->n_epochs && i < c->n_tx_chunks; i++)
				CHECK(c->tx_chunks[i].first_version == c->epochs[i].version);
			CHECK(c->n_tx_chunks && strcmp(c->tx_chunks[0].key, "104/transaction_51738547-.2551/51738547-.chunk") == 0);
			CHECK(epoch_of_is(c, 51738547, true, 104, 104));
			CHECK(epoch_of_is(c, 51738548, false, 105, 107));
			CHECK_EQ_U64(c->n_warnings, 0);
			if (c->n_warnings)
				dump_warnings(c);
			{
				size_t		counts[FF_OBJ_OTHER + 1];

				count_kinds(c, "real v4 sample", counts);
				/* per-epoch folders: one epoch-ending chunk and one v4 state snapshot each, whose
				 * epoch the index gives (its version ends the epoch); the zips are bundles */
				CHECK_EQ_U64(c->n_epoch_chunks, 5);
				CHECK_EQ_U64(c->n_snapshots, 5);
				CHECK_EQ_U64(c->n_gaps, 0);
				for (size_t i = 0; i < 5 && i < c->n_snapshots && i < c->n_epochs; i++)
				{
					CHECK(c->snapshots[i].version == c->epochs[i].version && c->snapshots[i].has_epoch &&
						  c->snapshots[i].epoch == want_eps[i] && c->snapshots[i].n_chunks == 1 &&
						  c->snapshots[i].chunks[0].size > 0);
					CHECK(c->epochs[i].has_waypoint);
					CHECK(c->n_epoch_chunks == 5 && c->epoch_chunks[i].first_epoch == want_eps[i]);
				}
				CHECK(c->n_snapshots && strcmp(c->snapshots[0].manifest_key, "104/state_ver_51738547.4daf/state.manifest") == 0 &&
					  strcmp(c->snapshots[0].chunks[0].key, "104/state_ver_51738547.4daf/0-.chunk") == 0);
				CHECK(counts[FF_OBJ_BUNDLE] == 5 && counts[FF_OBJ_STATE_SNAPSHOT] == 5 && counts[FF_OBJ_EPOCH_ENDING] == 5 &&
					  counts[FF_OBJ_TRANSACTION] == 5 && counts[FF_OBJ_OTHER] == 1);
				CHECK(object_is(c, "104.zip", FF_OBJ_BUNDLE, NULL, -1, NO_RANGE, 104, 104));
				CHECK(object_is(c, "104/fullnode_template.yaml", FF_OBJ_OTHER, NULL, -1, NO_RANGE, NO_RANGE));
				CHECK(object_is(c, "104/state_ver_51738547.4daf/0-.chunk", FF_OBJ_STATE_SNAPSHOT, "104/state_ver_51738547.4daf",
								-1, 51738547, 51738547, 104, 104));
				CHECK(object_is(c, "104/state_ver_51738547.4daf/state.manifest", FF_OBJ_MANIFEST, "104/state_ver_51738547.4daf",
								0, 51738547, 51738547, 104, 104));
				CHECK(object_is(c, "104/metadata/state_snapshot_ver_51738547.meta", FF_OBJ_METADATA, NULL, -1,
								51738547, 51738547, 104, 104));
			}
			ff_catalog_free(c);
		}
		else
			fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
	}
	else
		printf("skipped: no real v4 sample\n");

	/*
	 * The v7/v6 fixtures hold manifests but no transaction or state chunk bodies: the
	 * catalog builds, and those parts are gaps that name their manifests.
	 */
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small", data);
	if (access(root, F_OK) != 0)
	{
		printf("skipped: no real v7/v6 fixtures\n");
		return;
	}
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		size_t		counts[FF_OBJ_OTHER + 1];
		uint64_t	snap[3][2] = {{18120170, 54}, {33217173, 79}, {38180075, 116}};

		count_kinds(c, "real v7/v6 fixtures", counts);
		CHECK_EQ_U64(c->n_tx_chunks, 0);
		CHECK_EQ_U64(c->n_tx_backups, 3);
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 9900001, 10000000, FF_ERR_NOT_FOUND, "v6/transaction_9900001-.e469/9900001-.chunk"));
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 38100001, 38200000, FF_ERR_NOT_FOUND, "v7/transaction_38100001-.541f/38100001-.chunk"));
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 38100001, 38200000, FF_ERR_NOT_FOUND,
					 "v7/transaction_38100001-.541f_gzipped/38100001-.chunk"));
		CHECK(gap_is(c, FF_GAP_TRANSACTIONS, 95700001, 95800000, FF_ERR_NOT_FOUND, "v7/transaction_95700001-.46cf/95700001-.chunk.gz"));
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 9900001, 9900001) &&
			  strstr(gap_in(c, FF_GAP_TRANSACTIONS, 9900001, 9900001)->message, "v6/transaction_9900001-.e469/transaction.manifest"));
		CHECK(gap_in(c, FF_GAP_TRANSACTIONS, 10000001, 38100000) == NULL);
		/* snapshots with their epochs from the manifests; every chunk missing: state gaps */
		CHECK_EQ_U64(c->n_snapshots, 3);
		for (size_t i = 0; i < 3 && i < c->n_snapshots; i++)
		{
			CHECK(c->snapshots[i].version == snap[i][0] && c->snapshots[i].has_epoch && c->snapshots[i].epoch == snap[i][1]);
			CHECK(c->snapshots[i].n_chunks == 0);
			CHECK(gap_in(c, FF_GAP_STATE, snap[i][0], snap[i][0]) != NULL);
			CHECK(gap_in(c, FF_GAP_STATE, snap[i][0], snap[i][0]) &&
				  gap_in(c, FF_GAP_STATE, snap[i][0], snap[i][0])->code == FF_ERR_NOT_FOUND);
		}
		CHECK(c->n_snapshots == 3 && strcmp(c->snapshots[2].manifest_key, "v7/state_epoch_116_ver_38180075.05af/state.manifest") == 0);
		CHECK(gap_in(c, FF_GAP_STATE, 18120171, 33217172) == NULL);
		CHECK_EQ_U64(c->n_gaps, 7);
		/* epoch-ending: 79 (gzip without suffix, ".unzip" copy) and 116 (plain + .gz copies) */
		CHECK_EQ_U64(c->n_epoch_chunks, 2);
		CHECK(c->n_epoch_chunks == 2 && strcmp(c->epoch_chunks[0].key, "v6/epoch_ending_79-.166d/79-.chunk") == 0 &&
			  strcmp(c->epoch_chunks[1].key, "v7/epoch_ending_116-.be9b/116-.chunk") == 0);
		CHECK(c->n_epochs == 2 && c->epochs[0].version == 33217173 && c->epochs[1].version == 38180075 &&
			  c->epochs[0].has_waypoint && c->epochs[1].has_waypoint && c->epochs[1].waypoint[0] == 0x98);
		CHECK(gap_in(c, FF_GAP_EPOCHS, 0, UINT64_MAX) == NULL);
		CHECK_EQ_U64(c->n_warnings, 0);
		if (c->n_warnings)
			dump_warnings(c);
		CHECK(counts[FF_OBJ_EPOCH_ENDING] == 2 && counts[FF_OBJ_TRANSACTION] == 0 && counts[FF_OBJ_STATE_SNAPSHOT] == 0);
		CHECK(object_is(c, "v6/epoch_ending_79-.166d/epoch_ending.manifest", FF_OBJ_MANIFEST, "v6/epoch_ending_79-.166d", 1,
						33217173, 33217173, 79, 79));
		CHECK(object_is(c, "v6/epoch_ending_79-.166d/epoch_ending.manifest.unzip", FF_OBJ_OTHER, "v6/epoch_ending_79-.166d", -1,
						33217173, 33217173, 79, 79));
		CHECK(object_is(c, "v7/epoch_ending_116-.be9b/116-.chunk.gz", FF_OBJ_OTHER, "v7/epoch_ending_116-.be9b", -1,
						38180075, 38180075, 116, 116));
		CHECK(object_is(c, "v7/state_epoch_116_ver_38180075.05af/state.manifest", FF_OBJ_MANIFEST,
						"v7/state_epoch_116_ver_38180075.05af", 0, 38180075, 38180075, 116, 116));
		CHECK(object_is(c, "v7/state_epoch_116_ver_38180075.05af/state.proof.gz", FF_OBJ_PROOF,
						"v7/state_epoch_116_ver_38180075.05af", -1, 38180075, 38180075, 116, 116));
		/* a transaction backup whose versions no known epoch brackets: no epochs */
		CHECK(object_is(c, "v7/transaction_95700001-.46cf/transaction.manifest.gz", FF_OBJ_MANIFEST,
						"v7/transaction_95700001-.46cf", 1, 95700001, 95800000, NO_RANGE));
		CHECK(object_is(c, "v7/transaction_95700001-.46cf/readme.txt", FF_OBJ_OTHER, "v7/transaction_95700001-.46cf", -1,
						95700001, 95800000, NO_RANGE));
		ff_catalog_free(c);
	}
	else
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);

	/* backup folders as locations: the manifest at the root, handles with ".gz" or renamed */
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/transaction_95700001-.46cf", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_gaps == 1 && gap_is(c, FF_GAP_TRANSACTIONS, 95700001, 95800000, FF_ERR_NOT_FOUND, "95700001-.chunk.gz"));
		CHECK(c->n_gaps == 1 && strstr(c->gaps[0].message, "transaction.manifest.gz") != NULL);
		CHECK(object_is(c, "readme.txt", FF_OBJ_OTHER, "", -1, 95700001, 95800000, NO_RANGE));
		ff_catalog_free(c);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/transaction_38100001-.541f_gzipped", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_gaps == 1 && gap_is(c, FF_GAP_TRANSACTIONS, 38100001, 38200000, FF_ERR_NOT_FOUND, "38100001-.chunk"));
		ff_catalog_free(c);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v6/epoch_ending_79-.166d", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_epochs == 1 && c->epochs[0].epoch == 79 && c->epochs[0].version == 33217173);
		CHECK(c->n_tx_chunks == 0 && c->n_warnings == 0 && c->n_gaps == 0 && c->n_epoch_chunks == 1);
		ff_catalog_free(c);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/epoch_ending_116-.be9b", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_epochs == 1 && c->epochs[0].epoch == 116 && c->epochs[0].version == 38180075);
		CHECK_EQ_U64(c->n_epoch_backups, 1);
		CHECK(c->n_epoch_chunks == 1 && strcmp(c->epoch_chunks[0].key, "116-.chunk") == 0);
		ff_catalog_free(c);
	}
	snprintf(root, sizeof(root), "%s/0l-v5-small", data);
	if (access(root, F_OK) == 0)
	{
		CHECK(build(root, NULL, &c, &st) == FF_OK);
		if (c)
		{
			CHECK(c->n_tx_chunks == 1 && c->tx_chunks[0].first_version == 141722729);
			CHECK(c->n_epochs == 0);
			CHECK(epoch_of_is(c, 141722729, false, 1, UINT64_MAX));
			ff_catalog_free(c);
		}
	}
}

int
main(void)
{
	char		data[PATH_MAX];

	RUN(test_parsers);
	RUN(test_flat_layout);
	RUN(test_per_epoch_layout);
	RUN(test_quirks);
	RUN(test_missing_and_broken);
	RUN(test_epoch_conflicts);
	RUN(test_epoch_chunks);
	RUN(test_state_snapshots);
	RUN(test_previous_reuse);
	if (shared_data(data, sizeof(data)))
	{
		RUN_ARG(test_real_v6, data);
		RUN_ARG(test_real_v4_v7, data);
	}
	else
		printf("skipped: no real samples\n");
	return unit_summary("catalog");
}
