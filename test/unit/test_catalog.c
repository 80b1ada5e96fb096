/*
 * test_catalog.c — unit tests for archive/catalog.c (and the .meta/manifest parsers under
 * it): synthetic archives written to a mkdtemp directory (flat layout gzip'ed without a
 * suffix, per-epoch layout with its own metadata/ folders, stale/empty .meta, duplicate and
 * overlapping backups, ".chunk.gz" handles, a renamed "_gzipped" folder, plain + .gz copies,
 * conflicts), the epoch/version algebra and pruning, reuse of a previous build, and the real
 * samples in ../shared/data when present (FF_SHARED_DATA overrides the location).
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

/* ---- helpers -------------------------------------------------------------------------- */

/* RUN for a test that takes an argument. */
#define RUN_ARG(fn, arg) do { int _f = unit_failed; fn(arg); if (unit_failed != _f) fprintf(stderr, "  in %s\n", #fn); } while (0)

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

static void
rm_rf(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

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
		z_stream	z;
		size_t		cap = compressBound(len) + 64;
		unsigned char *out = malloc(cap);

		memset(&z, 0, sizeof(z));
		deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
		z.next_in = (Bytef *) text;
		z.avail_in = (uInt) len;
		z.next_out = out;
		z.avail_out = (uInt) cap;
		deflate(&z, Z_FINISH);
		fwrite(out, 1, cap - z.avail_out, f);
		deflateEnd(&z);
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

/* An epoch-ending manifest for epochs first.. with the given end versions. */
static void
put_epoch_manifest(const char *root, const char *rel, bool zip, uint64_t first, int n,
				   const uint64_t *versions)
{
	char		text[8192];
	size_t		k;

	k = (size_t) snprintf(text, sizeof(text), "{\"first_epoch\":%" PRIu64 ",\"last_epoch\":%" PRIu64
						  ",\"waypoints\":[", first, first + (uint64_t) n - 1);
	for (int i = 0; i < n; i++)
		k += (size_t) snprintf(text + k, sizeof(text) - k, "%s\"%" PRIu64 ":abcd\"", i ? "," : "", versions[i]);
	snprintf(text + k, sizeof(text) - k, "],\"chunks\":[]}");
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

static const ff_source_ops cs_ops = {cs_list, cs_open, cs_destroy};

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

static bool
prune_is(const ff_catalog *c, const ff_range_set *v, size_t n, const size_t *want)
{
	size_t	   *kept;
	size_t		nk;
	bool		ok;

	if (!ff_catalog_prune_tx(c, v, &kept, &nk))
		return false;
	ok = nk == n && (n == 0 || memcmp(kept, want, n * sizeof(size_t)) == 0);
	free(kept);
	return ok;
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
		"    \"10:aa\",\n    \"20:bb\"\n  ],\n  \"chunks\": []\n}\n";

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
	CHECK(em.waypoint_versions[0] == 10 && em.waypoint_versions[1] == 20);
	ff_epoch_manifest_free(&em);
	CHECK(PARSE(ff_epoch_manifest_parse, "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"x:1\"]}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "{\"first_epoch\":1,\"last_epoch\":1,\"waypoints\":[\"12\"]}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "{} {}", &em) == FF_ERR_CORRUPT);
	CHECK(PARSE(ff_epoch_manifest_parse, "", &em) == FF_ERR_CORRUPT);

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
}

/* ---- flat layout, every file gzip'ed without a suffix --------------------------------- */

static void
test_flat_layout(void)
{
	char	   *root = make_root();
	ff_catalog *c;
	ff_status	st;
	ff_range_set e,
				v;

	if (!root)
		return;
	/* epoch 0; epochs 1-3 in one backup (.meta spans them: manifest read); epoch 4 from its
	 * single-epoch .meta (the manifest is garbage: it must not be read); epoch 6 from a
	 * pretty manifest without .meta; a stale and an empty .meta; foreign files */
	put_epoch_manifest(root, "epoch_ending_0-.0a17/epoch_ending.manifest", true, 0, 1, (uint64_t[]) {0});
	put(root, "epoch_ending_0-.0a17/0-.chunk", "x", true);
	put(root, "epoch_ending_0-.0a17/epoch_ending.manifest.unzip", "{not json", false);
	put_epoch_manifest(root, "epoch_ending_1-.6882/epoch_ending.manifest", true, 1, 3, (uint64_t[]) {10, 20, 30});
	put_epoch_meta(root, "metadata/epoch_ending_1-3.meta", true, 1, 3, 10, 30, "epoch_ending_1-.6882/epoch_ending.manifest");
	put(root, "epoch_ending_4-.aaaa/epoch_ending.manifest", "garbage", true);
	put_epoch_meta(root, "metadata/epoch_ending_4-4.meta", true, 4, 4, 40, 40, "epoch_ending_4-.aaaa/epoch_ending.manifest");
	put(root, "epoch_ending_6-.bbbb/epoch_ending.manifest",
		"{\n  \"first_epoch\": 6,\n  \"last_epoch\": 6,\n  \"waypoints\": [\"60:ff\"],\n  \"chunks\": []\n}\n", true);
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

	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (!c)
	{
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
		rm_rf(root);
		free(root);
		return;
	}
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
	CHECK(!has_warning(c, "epoch_ending_4-.aaaa", NULL));	/* never read */
	CHECK(!has_warning(c, "unzip", NULL) && !has_warning(c, "fullnode", NULL) && !has_warning(c, "identity", NULL));
	CHECK_EQ_U64(c->n_warnings, 3);
	if (c->n_warnings != 3)
		dump_warnings(c);

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
	ff_status	st;

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

	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (!c)
	{
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
		rm_rf(root);
		free(root);
		return;
	}
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
	ff_status	st;

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

	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (!c)
	{
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
		rm_rf(root);
		free(root);
		return;
	}
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
	/* a chunk file missing, nothing else holds its versions: error naming the manifest */
	put_tx_manifest(root, "transaction_1-.aaaa/transaction.manifest", false, 1, 20, 2,
					(uint64_t[]) {1, 10, 11, 20}, (const char *[]) {"transaction_1-.aaaa/1-.chunk", "transaction_1-.aaaa/11-.chunk"});
	put(root, "transaction_1-.aaaa/1-.chunk", "c", false);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_NOT_FOUND);
	CHECK(c == NULL);
	CHECK_STR(st.object, "transaction_1-.aaaa/transaction.manifest");
	CHECK(strstr(st.message, "transaction_1-.aaaa/11-.chunk") != NULL);
	CHECK(strstr(st.message, "11-20") != NULL);

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
		CHECK(has_warning(c, "transaction_1-.aaaa/transaction.manifest", "other backups hold"));
		ff_catalog_free(c);
	}

	/* a manifest that cannot be parsed and has no .meta: error */
	put(root, "transaction_30-.cccc/transaction.manifest", "{\"first_version\":30,", true);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "transaction_30-.cccc/transaction.manifest");

	/* ... with a .meta whose versions nothing else holds: still an error */
	put_tx_meta(root, "metadata/transaction_30-40.meta", false, 30, 40, "transaction_30-.cccc/transaction.manifest");
	CHECK(build(root, NULL, &c, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "transaction_30-.cccc/transaction.manifest");

	/* ... and once another backup holds 30-40: a warning */
	put_tx_manifest(root, "transaction_21-.dddd/transaction.manifest", false, 21, 45, 1,
					(uint64_t[]) {21, 45}, (const char *[]) {"transaction_21-.dddd/21-.chunk"});
	put(root, "transaction_21-.dddd/21-.chunk", "c", false);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK_EQ_U64(c->n_tx_chunks, 2);
		CHECK(has_warning(c, "transaction_30-.cccc/transaction.manifest", "cannot be used"));
		ff_catalog_free(c);
	}

	/* an unparseable epoch-ending manifest without .meta: error; with one: warning */
	put(root, "epoch_ending_3-.eeee/epoch_ending.manifest", "[]", false);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "epoch_ending_3-.eeee/epoch_ending.manifest");
	put_epoch_meta(root, "metadata/epoch_ending_3-4.meta", false, 3, 4, 30, 40, "epoch_ending_3-.eeee/epoch_ending.manifest");
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(has_warning(c, "epoch_ending_3-.eeee/epoch_ending.manifest", "using its .meta"));
		CHECK(c->n_epochs == 2 && c->epochs[0].epoch == 3 && c->epochs[1].version == 40);
		CHECK_EQ_U64(c->n_epoch_backups, 1);
		ff_catalog_free(c);
	}

	/* a reversed range in a manifest is corrupt */
	put_tx_manifest(root, "transaction_90-.ffff/transaction.manifest", false, 90, 80, 1,
					(uint64_t[]) {90, 80}, (const char *[]) {"transaction_90-.ffff/90-.chunk"});
	CHECK(build(root, NULL, &c, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "transaction_90-.ffff/transaction.manifest");
	rm_rf(root);
	free(root);
}

static void
test_epoch_conflicts(void)
{
	char	   *root = make_root();
	ff_catalog *c;
	ff_status	st;

	if (!root)
		return;
	put_epoch_manifest(root, "epoch_ending_1-.0001/epoch_ending.manifest", false, 1, 2, (uint64_t[]) {10, 20});
	/* two manifests disagree on epoch 3: left out */
	put_epoch_manifest(root, "epoch_ending_3-.0001/epoch_ending.manifest", false, 3, 1, (uint64_t[]) {30});
	put_epoch_manifest(root, "epoch_ending_3-.0002/epoch_ending.manifest", false, 3, 1, (uint64_t[]) {31});
	/* a multi-epoch .meta disagrees with its manifest: the manifest wins */
	put_epoch_manifest(root, "epoch_ending_4-.0001/epoch_ending.manifest", false, 4, 2, (uint64_t[]) {40, 50});
	put_epoch_meta(root, "metadata/epoch_ending_4-5.meta", false, 4, 5, 40, 55, "epoch_ending_4-.0001/epoch_ending.manifest");
	/* out of order: epoch 7 ends before epoch 6 — both dropped */
	put_epoch_manifest(root, "epoch_ending_6-.0001/epoch_ending.manifest", false, 6, 1, (uint64_t[]) {70});
	put_epoch_manifest(root, "epoch_ending_7-.0001/epoch_ending.manifest", false, 7, 1, (uint64_t[]) {65});
	put_epoch_manifest(root, "epoch_ending_8-.0001/epoch_ending.manifest", false, 8, 1, (uint64_t[]) {80});
	/* epoch 0 must end at version 0 */
	put_epoch_manifest(root, "epoch_ending_0-.0001/epoch_ending.manifest", false, 0, 1, (uint64_t[]) {5});
	/* a manifest whose waypoints do not match its epochs, without .meta: error... so give it a .meta */
	put_epoch_manifest(root, "epoch_ending_9-.0001/epoch_ending.manifest", false, 9, 1, (uint64_t[]) {90});
	put(root, "epoch_ending_9-.0001/epoch_ending.manifest",
		"{\"first_epoch\":9,\"last_epoch\":10,\"waypoints\":[\"90:aa\"]}", false);
	put_epoch_meta(root, "metadata/epoch_ending_9-10.meta", false, 9, 10, 90, 100, "epoch_ending_9-.0001/epoch_ending.manifest");

	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (!c)
	{
		fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
		rm_rf(root);
		free(root);
		return;
	}
	/* left: 1->10, 2->20, 4->40, 5->50, 8->80, 9->90, 10->100 */
	CHECK_EQ_U64(c->n_epochs, 7);
	if (c->n_epochs == 7)
	{
		uint64_t	want[7][2] = {{1, 10}, {2, 20}, {4, 40}, {5, 50}, {8, 80}, {9, 90}, {10, 100}};

		for (int i = 0; i < 7; i++)
			CHECK(c->epochs[i].epoch == want[i][0] && c->epochs[i].version == want[i][1]);
	}
	CHECK(has_warning(c, "epoch 3: conflicting", NULL));
	CHECK(has_warning(c, "epoch 5:", "using the manifest"));
	CHECK(has_warning(c, "epoch 6:", "out of order"));
	CHECK(has_warning(c, "epoch 7:", "out of order"));
	CHECK(has_warning(c, "epoch 0:", "not 0"));
	CHECK(has_warning(c, "epoch_ending_9-.0001/epoch_ending.manifest", "waypoints"));
	CHECK_EQ_U64(c->n_epoch_backups, 8);	/* 0, 1-2, 3 (x2), 4-5, 6, 7, 8, 9-10 */

	/* conservative around the dropped epochs */
	CHECK(e2v_is(c, 3, 3, 21, 40));
	CHECK(e2v_is(c, 6, 7, 51, 80));
	CHECK(epoch_of_is(c, 60, false, 6, 8));
	CHECK(epoch_of_is(c, 3, true, 1, 1));	/* epoch 0 ends at 0: so 1..10 is epoch 1 */
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

	memset(&cs, 0, sizeof(cs));
	cs.base.ops = &cs_ops;
	CHECK(ff_source_local_new(root, NULL, &cs.inner, &st) == FF_OK);
	CHECK(ff_catalog_build(&cs.base, NULL, &c1, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 4);	/* 2 .meta + 2 manifests */
	cs.opens = 0;
	CHECK(ff_catalog_build(&cs.base, c1, &c2, &st) == FF_OK);
	CHECK_EQ_U64(cs.opens, 0);
	CHECK(c2 && c2->n_tx_chunks == 1 && c2->n_epochs == 2 && c2->n_warnings == c1->n_warnings);
	CHECK(c2 && has_warning(c2, "metadata/bad.meta", "unreadable"));

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

static bool
shared_data(char *out, size_t size)
{
	const char *env = getenv("FF_SHARED_DATA");
	char		probe[PATH_MAX];
	struct stat sb;

	if (!realpath(env && *env ? env : "../shared/data", probe) || stat(probe, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return false;
	snprintf(out, size, "%s", probe);
	return true;
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
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
	/* the rebuild reused everything and agrees */
	CHECK(c2->n_tx_chunks == 12 && c2->n_epochs == 2334);
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
			ff_catalog_free(c);
		}
		else
			fprintf(stderr, "    build: %s [%s]\n", st.message, st.object);
	}
	else
		printf("skipped: no real v4 sample\n");

	/*
	 * The v7/v6 fixtures hold manifests but no transaction chunk bodies: a missing chunk
	 * that no other backup covers is an error that names the manifest.
	 */
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small", data);
	if (access(root, F_OK) != 0)
	{
		printf("skipped: no real v7/v6 fixtures\n");
		return;
	}
	CHECK(build(root, NULL, &c, &st) == FF_ERR_NOT_FOUND && c == NULL);
	CHECK_STR(st.object, "v6/transaction_9900001-.e469/transaction.manifest");
	CHECK(strstr(st.message, "transaction_9900001-.e469/9900001-.chunk") != NULL);

	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/transaction_95700001-.46cf", data);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_NOT_FOUND);
	CHECK_STR(st.object, "transaction.manifest.gz");
	CHECK(strstr(st.message, "95700001-.chunk.gz") != NULL);

	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/transaction_38100001-.541f_gzipped", data);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_NOT_FOUND);
	CHECK_STR(st.object, "transaction.manifest.gz");

	/* the epoch-ending parts build: gzip without suffix + ".unzip" copy; plain + .gz copies */
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v6/epoch_ending_79-.166d", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_epochs == 1 && c->epochs[0].epoch == 79 && c->epochs[0].version == 33217173);
		CHECK(c->n_tx_chunks == 0 && c->n_warnings == 0);
		ff_catalog_free(c);
	}
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7", data);
	CHECK(build(root, NULL, &c, &st) == FF_ERR_NOT_FOUND);	/* transaction chunks absent */
	snprintf(root, sizeof(root), "%s/0l-v7-v6-small/v7/epoch_ending_116-.be9b", data);
	CHECK(build(root, NULL, &c, &st) == FF_OK);
	if (c)
	{
		CHECK(c->n_epochs == 1 && c->epochs[0].epoch == 116 && c->epochs[0].version == 38180075);
		CHECK_EQ_U64(c->n_epoch_backups, 1);
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
