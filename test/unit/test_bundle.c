/*
 * test_bundle.c — unit tests for io/bundle.c and io/source_bundle.c: zip (deflate and
 * stored) and tar.gz bundles written here with libarchive's write API (odd paths, a
 * directory entry, nested paths, a gzip member, an empty member, a 3 MB member, duplicates),
 * indexed and read back through a local source and through a test source that hands out a
 * few bytes per read and counts its opens; capture limits, missing members, truncated and
 * garbage bundles, ".." members, source failures, cancel, the wrapper source (listing,
 * opens, plans, staleness), the number of opens for a bundle of the v4 sample's shape, and
 * the real v4 sample's <epoch>.zip bundles against their loose <epoch>/ folders.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/bundle.h"
#include "io/source.h"
#include "unit.h"
#include "unit_files.h"

/* ---- helpers -------------------------------------------------------------------------- */

typedef struct test_entry
{
	const char *name;			/* as written into the bundle */
	const uint8_t *data;		/* NULL: a directory */
	size_t		len;
} test_entry;

typedef enum bundle_kind
{
	KIND_ZIP_DEFLATE,
	KIND_ZIP_STORE,
	KIND_TAR_GZ
} bundle_kind;

static bool
write_bundle(const char *path, bundle_kind kind, const test_entry *e, size_t n)
{
	struct archive *a = archive_write_new();
	bool		ok = true;

	if (kind == KIND_TAR_GZ)
		ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
			archive_write_add_filter_gzip(a) == ARCHIVE_OK;
	else
		ok = archive_write_set_format_zip(a) == ARCHIVE_OK &&
			(kind == KIND_ZIP_STORE ? archive_write_zip_set_compression_store(a)
			 : archive_write_zip_set_compression_deflate(a)) == ARCHIVE_OK;
	ok = ok && archive_write_open_filename(a, path) == ARCHIVE_OK;
	for (size_t i = 0; ok && i < n; i++)
	{
		struct archive_entry *ae = archive_entry_new();

		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 1600000000, 0);
		if (e[i].data)
		{
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t) e[i].len);
		}
		else
		{
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			archive_entry_set_size(ae, 0);
		}
		ok = archive_write_header(a, ae) == ARCHIVE_OK;
		if (ok && e[i].data && e[i].len > 0)
			ok = archive_write_data(a, e[i].data, e[i].len) == (la_ssize_t) e[i].len;
		archive_entry_free(ae);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		ok = false;
	if (!ok)
		fprintf(stderr, "write_bundle %s: %s\n", path, archive_error_string(a));
	archive_write_free(a);
	return ok;
}

/* Pseudo-random bytes from an alphabet of `alpha` letters (256: incompressible). */
static uint8_t *
sample_bytes(size_t len, uint32_t seed, unsigned alpha)
{
	uint8_t    *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
	{
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p[i] = (uint8_t) (alpha >= 256 ? seed : seed % alpha + 'A');
	}
	return p;
}

static bool
write_file(const char *path, const void *data, size_t len)
{
	FILE	   *f = fopen(path, "wb");
	bool		ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = false;
	return ok;
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *p;
	long		n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n > 0 ? (size_t) n : 1);
	if (fread(p, 1, (size_t) n, f) != (size_t) n)
	{
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t) n;
	return p;
}

/* Read a whole stream (closing it); NULL on failure with st set. */
static char *
slurp(ff_stream *s, size_t *len, ff_status *st)
{
	char	   *data = NULL;

	*len = 0;
	if (!s)
		return NULL;
	if (ff_stream_read_all(s, 64 * 1024 * 1024, &data, len, st) != FF_OK)
		data = NULL;
	ff_stream_close(s);
	return data;
}

/*
 * A test source over a local one: hands out at most `step` bytes per read and counts its
 * opens, independently of the bundle reader's own count. A ranged one (drip_new_ranged)
 * also has open_range and ends each ranged stream after its length, as S3 does.
 */
typedef struct drip_source
{
	ff_source	base;
	ff_source  *inner;
	size_t		step;
	unsigned	opens;
	uint64_t	bytes;
	long		fail_after;		/* > 0: the reads after this many fail (FF_ERR_IO) */
	long		reads;
	uint64_t	max_range;		/* the longest range asked for */
} drip_source;

typedef struct drip_stream
{
	ff_stream	base;
	ff_stream  *inner;
	drip_source *src;
	uint64_t	left;			/* bytes left in the range (UINT64_MAX: no range) */
} drip_stream;

static ssize_t
drip_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	drip_stream *d = (drip_stream *) s;
	ssize_t		k;

	if (d->src->fail_after > 0 && ++d->src->reads > d->src->fail_after)
		return ff_status_set(st, FF_ERR_IO, "injected read failure"), -1;
	if (d->src->step && n > d->src->step)
		n = d->src->step;
	if (n > d->left)
		n = (size_t) d->left;
	if (n == 0)
		return 0;
	k = ff_stream_read(d->inner, buf, n, st);
	if (k > 0)
	{
		d->src->bytes += (uint64_t) k;
		if (d->left != UINT64_MAX)
			d->left -= (uint64_t) k;
	}
	return k;
}

static void
drip_close(ff_stream *s)
{
	ff_stream_close(((drip_stream *) s)->inner);
	free(s);
}

static uint64_t
drip_stored(ff_stream *s)
{
	return ff_stream_stored_bytes(((drip_stream *) s)->inner);
}

static ff_code
drip_list(ff_source *src, ff_listing *out, ff_status *st)
{
	return ff_source_list(((drip_source *) src)->inner, out, st);
}

static ff_code
drip_open_range(ff_source *src, const char *key, uint64_t offset, uint64_t length, ff_stream **out,
				ff_status *st)
{
	drip_source *ds = (drip_source *) src;
	drip_stream *d;
	ff_code		code;

	ds->opens++;
	if (length != UINT64_MAX && length > ds->max_range)
		ds->max_range = length;
	code = ff_source_open(ds->inner, key, offset, out, st);
	if (code != FF_OK)
		return code;
	d = calloc(1, sizeof(*d));
	d->inner = *out;
	d->src = ds;
	d->left = length;
	d->base.read = drip_read;
	d->base.close = drip_close;
	d->base.stored_bytes = drip_stored;
	*out = &d->base;
	return FF_OK;
}

static ff_code
drip_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	return drip_open_range(src, key, offset, UINT64_MAX, out, st);
}

static void
drip_destroy(ff_source *src)
{
	ff_source_destroy(((drip_source *) src)->inner);
	free(src);
}

static const ff_source_ops drip_ops = {
	.list = drip_list,
	.open = drip_open,
	.destroy = drip_destroy,
};

static const ff_source_ops drip_ranged_ops = {
	.list = drip_list,
	.open = drip_open,
	.open_range = drip_open_range,
	.destroy = drip_destroy,
};

static drip_source *
drip_new(const char *root, size_t step, ff_cancel_fn cancel)
{
	drip_source *ds = calloc(1, sizeof(*ds));
	ff_status	st;

	if (ff_source_local_new(root, cancel, &ds->inner, &st) != FF_OK)
	{
		fprintf(stderr, "drip_new: %s\n", st.message);
		free(ds);
		return NULL;
	}
	ds->base.ops = &drip_ops;
	ds->base.location = ds->inner->location;
	ds->base.cancel = cancel;
	ds->step = step;
	return ds;
}

static drip_source *
drip_new_ranged(const char *root, size_t step)
{
	drip_source *ds = drip_new(root, step, NULL);

	if (ds)
		ds->base.ops = &drip_ranged_ops;
	return ds;
}

/* The listing entry of a file in root (size and mtime from stat). */
static ff_object_info
info_of(const char *root, const char *key)
{
	char		path[PATH_MAX];
	struct stat sb;
	ff_object_info o = {.key = (char *) key, .size = 0, .mtime = 0, .etag = NULL};

	snprintf(path, sizeof(path), "%s/%s", root, key);
	if (stat(path, &sb) == 0)
	{
		o.size = (uint64_t) sb.st_size;
		o.mtime = (int64_t) sb.st_mtime;
	}
	return o;
}

static bool
want_all(const char *path, uint64_t size, void *arg)
{
	(void) path;
	(void) size;
	if (arg)
		(*(int *) arg)++;
	return true;
}

static bool
want_meta(const char *path, uint64_t size, void *arg)
{
	size_t		n = strlen(path);

	(void) size;
	(void) arg;
	return (n > 5 && strcmp(path + n - 5, ".meta") == 0) ||
		(n > 9 && strcmp(path + n - 9, ".manifest") == 0);
}

static bool
cancel_always(void)
{
	return true;
}

/* ---- the synthetic bundles ------------------------------------------------------------ */

#define BIG_LEN (3 * 1024 * 1024)

typedef struct fixture
{
	uint8_t    *a;				/* "hello a\n" */
	uint8_t    *b;
	uint8_t    *c;
	uint8_t    *raw;			/* content of x.chunk.gz before gzip */
	uint8_t    *xgz;
	size_t		xgz_len;
	uint8_t    *big;
	uint8_t    *dup1;
	uint8_t    *dup2;
	test_entry	entries[12];
	size_t		n;
} fixture;

/* The members as read back: normalized path and content. */
typedef struct expected_member
{
	const char *path;
	const uint8_t *data;
	size_t		len;
} expected_member;

static void
fixture_init(fixture *f)
{
	size_t		n = 0;

	memset(f, 0, sizeof(*f));
	f->a = (uint8_t *) strdup("hello a\n");
	f->b = sample_bytes(777, 1, 20);
	f->c = sample_bytes(1000, 2, 256);
	f->raw = sample_bytes(20000, 3, 8);
	f->xgz = gz(f->raw, 20000, &f->xgz_len);
	f->big = sample_bytes(BIG_LEN, 4, 256);
	f->dup1 = (uint8_t *) strdup("first copy\n");
	f->dup2 = (uint8_t *) strdup("second, longer copy\n");
	f->entries[n++] = (test_entry) {.name = "E/", .data = NULL, .len = 0};
	f->entries[n++] = (test_entry) {.name = "./E/a", .data = f->a, .len = 8};
	f->entries[n++] = (test_entry) {.name = "E/dir/", .data = NULL, .len = 0};
	f->entries[n++] = (test_entry) {.name = "E/dir/b.txt", .data = f->b, .len = 777};
	f->entries[n++] = (test_entry) {.name = "E/dir/sub/deep/c.bin", .data = f->c, .len = 1000};
	f->entries[n++] = (test_entry) {.name = "E/dup", .data = f->dup1, .len = 11};
	f->entries[n++] = (test_entry) {.name = "E/x.chunk.gz", .data = f->xgz, .len = f->xgz_len};
	f->entries[n++] = (test_entry) {.name = "E/empty", .data = (const uint8_t *) "", .len = 0};
	f->entries[n++] = (test_entry) {.name = "E/big.chunk", .data = f->big, .len = BIG_LEN};
	f->entries[n++] = (test_entry) {.name = "/E/abs", .data = f->a, .len = 8};
	f->entries[n++] = (test_entry) {.name = "E/dup", .data = f->dup2, .len = 20};
	f->n = n;
}

static void
fixture_free(fixture *f)
{
	free(f->a);
	free(f->b);
	free(f->c);
	free(f->raw);
	free(f->xgz);
	free(f->big);
	free(f->dup1);
	free(f->dup2);
}

/* Sorted by path (strcmp), as the index is; "E/dup" is the second copy (the last wins). */
static size_t
fixture_expected(const fixture *f, expected_member *m)
{
	size_t		n = 0;

	m[n++] = (expected_member) {"E/a", f->a, 8};
	m[n++] = (expected_member) {"E/abs", f->a, 8};
	m[n++] = (expected_member) {"E/big.chunk", f->big, BIG_LEN};
	m[n++] = (expected_member) {"E/dir/b.txt", f->b, 777};
	m[n++] = (expected_member) {"E/dir/sub/deep/c.bin", f->c, 1000};
	m[n++] = (expected_member) {"E/dup", f->dup2, 20};
	m[n++] = (expected_member) {"E/empty", (const uint8_t *) "", 0};
	m[n++] = (expected_member) {"E/x.chunk.gz", f->xgz, f->xgz_len};
	return n;
}

static char *
make_root(void)
{
	char	   *root = strdup("/tmp/ff_bundle_XXXXXX");

	if (!mkdtemp(root))
	{
		CHECK(!"mkdtemp");
		free(root);
		return NULL;
	}
	return root;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
test_format_of(void)
{
	CHECK(ff_bundle_format_of("104.zip") == FF_BUNDLE_ZIP);
	CHECK(ff_bundle_format_of("a/B.ZiP") == FF_BUNDLE_ZIP);
	CHECK(ff_bundle_format_of("203.tar.gz") == FF_BUNDLE_TAR_GZ);
	CHECK(ff_bundle_format_of("203.TAR.GZ") == FF_BUNDLE_TAR_GZ);
	CHECK(ff_bundle_format_of("x.tgz") == FF_BUNDLE_TAR_GZ);
	CHECK(ff_bundle_format_of("x.gz") == FF_BUNDLE_NONE);
	CHECK(ff_bundle_format_of("x.tar") == FF_BUNDLE_NONE);
	CHECK(ff_bundle_format_of("zip") == FF_BUNDLE_NONE);
	CHECK(ff_bundle_format_of(".zip") == FF_BUNDLE_NONE);
	CHECK(ff_bundle_format_of("x.zip/y") == FF_BUNDLE_NONE);
	CHECK(ff_bundle_format_of(NULL) == FF_BUNDLE_NONE);
}

/* Index, capture and open every member of one bundle kind, through a source of `step`-byte reads. */
static void
check_bundle_kind(const char *root, const char *key, const fixture *f, size_t step, bool ranged)
{
	drip_source *ds = ranged ? drip_new_ranged(root, step) : drip_new(root, step, NULL);
	ff_object_info info = info_of(root, key);
	expected_member exp[16];
	size_t		nexp = fixture_expected(f, exp);
	ff_bundle_index *ix = NULL;
	ff_status	st;
	ff_code		code;
	int			asked = 0;

	if (!ds)
	{
		CHECK(!"source");
		return;
	}
	/* list and capture everything up to 4096 bytes */
	code = ff_bundle_index_read(&ds->base, &info, want_all, &asked, 4096, 0, &ix, &st);
	CHECK(code == FF_OK);
	if (code != FF_OK)
	{
		fprintf(stderr, "  %s: %s\n", key, st.message);
		ff_source_destroy(&ds->base);
		return;
	}
	CHECK_EQ_U64(ix->n, nexp);
	CHECK_EQ_U64(asked, nexp + 1);	/* want() saw both copies of E/dup */
	CHECK_EQ_U64(ix->bundle_size, info.size);
	CHECK_EQ_U64(ix->requests, ds->opens);
	CHECK(ix->format == ff_bundle_format_of(key));
	for (size_t i = 0; i < nexp && i < ix->n; i++)
	{
		const ff_bundle_member *m = &ix->members[i];

		CHECK_STR(m->path, exp[i].path);
		CHECK_EQ_U64(m->size, exp[i].len);
		if (exp[i].len <= 4096)
			CHECK(m->data && memcmp(m->data, exp[i].data, exp[i].len) == 0);
		else
			CHECK(m->data == NULL);	/* wanted, but bigger than max_capture */
		CHECK(ff_bundle_index_find(ix, exp[i].path) == m);
	}
	CHECK(ff_bundle_index_find(ix, "E/dir") == NULL);
	CHECK(ff_bundle_index_find(ix, "E/nope") == NULL);
	ff_bundle_index_free(ix);

	/* max_capture 8: "E/a" (8 bytes) captured, "E/dup" (20) listed only; empty captured */
	ix = NULL;
	code = ff_bundle_index_read(&ds->base, &info, want_all, NULL, 8, 0, &ix, &st);
	CHECK(code == FF_OK);
	if (code == FF_OK)
	{
		CHECK(ff_bundle_index_find(ix, "E/a")->data != NULL);
		CHECK(ff_bundle_index_find(ix, "E/dup")->data == NULL);
		CHECK_EQ_U64(ff_bundle_index_find(ix, "E/dup")->size, 20);
		CHECK(ff_bundle_index_find(ix, "E/empty")->data != NULL);
		ff_bundle_index_free(ix);
	}
	/* no want: nothing captured */
	ix = NULL;
	code = ff_bundle_index_read(&ds->base, &info, NULL, NULL, 1 << 20, 0, &ix, &st);
	CHECK(code == FF_OK);
	if (code == FF_OK)
	{
		for (size_t i = 0; i < ix->n; i++)
			CHECK(ix->members[i].data == NULL);
		ff_bundle_index_free(ix);
	}

	/* every member's exact bytes (the gzip member NOT gunzipped); "E/dup" is read here
	 * only for its first copy's length: see the header (open_member opens the first) */
	for (size_t i = 0; i < nexp; i++)
	{
		ff_stream  *s = NULL;
		size_t		len;
		char	   *data;

		if (strcmp(exp[i].path, "E/dup") == 0)
			continue;
		code = ff_bundle_open_member(&ds->base, &info, exp[i].path, &s, &st);
		CHECK(code == FF_OK);
		if (code != FF_OK)
		{
			fprintf(stderr, "  %s %s: %s\n", key, exp[i].path, st.message);
			continue;
		}
		data = slurp(s, &len, &st);
		CHECK(data != NULL);
		CHECK_EQ_U64(len, exp[i].len);
		CHECK(data && len == exp[i].len && memcmp(data, exp[i].data, len) == 0);
		free(data);
	}
	/* a name that is not normalized finds the same member */
	{
		ff_stream  *s = NULL;
		size_t		len;
		char	   *data;

		code = ff_bundle_open_member(&ds->base, &info, "./E//dir/b.txt", &s, &st);
		CHECK(code == FF_OK);
		data = code == FF_OK ? slurp(s, &len, &st) : NULL;
		CHECK(data && len == 777 && memcmp(data, f->b, 777) == 0);
		free(data);
	}
	/* missing members, directories */
	{
		ff_stream  *s = (ff_stream *) 1;

		code = ff_bundle_open_member(&ds->base, &info, "E/missing", &s, &st);
		CHECK(code == FF_ERR_NOT_FOUND);
		CHECK(s == NULL);
		CHECK(strstr(st.message, key) != NULL && strstr(st.message, "E/missing") != NULL);
		code = ff_bundle_open_member(&ds->base, &info, "E/dir", &s, &st);
		CHECK(code == FF_ERR_NOT_FOUND);
		code = ff_bundle_open_member(&ds->base, &info, "E/../E/a", &s, &st);
		CHECK(code == FF_ERR_NOT_FOUND);
	}
	ff_source_destroy(&ds->base);
}

static void
test_bundles(void)
{
	char	   *root = make_root();
	fixture		f;
	char		path[PATH_MAX];

	if (!root)
		return;
	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/d.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/s.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_STORE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/t.tar.gz", root);
	CHECK(write_bundle(path, KIND_TAR_GZ, f.entries, f.n));

	check_bundle_kind(root, "d.zip", &f, 0, false);
	check_bundle_kind(root, "s.zip", &f, 0, false);
	check_bundle_kind(root, "t.tar.gz", &f, 0, false);
	/* a source that ends each stream at the range asked for (as S3 does) */
	check_bundle_kind(root, "d.zip", &f, 0, true);
	check_bundle_kind(root, "s.zip", &f, 0, true);
	check_bundle_kind(root, "t.tar.gz", &f, 0, true);
	check_bundle_kind(root, "s.zip", &f, 7, true);
	/* reads of at most 7 bytes: libarchive's buffers see many short reads */
	check_bundle_kind(root, "d.zip", &f, 7, false);
	check_bundle_kind(root, "t.tar.gz", &f, 7, false);

	/* the stored zip holds E/dir/b.txt (777 bytes of a 20-letter alphabet) verbatim, the
	 * deflate zip does not (Huffman coding alone changes it) */
	{
		size_t		slen;
		size_t		dlen;
		uint8_t    *s;
		uint8_t    *d;

		snprintf(path, sizeof(path), "%s/s.zip", root);
		s = read_file(path, &slen);
		snprintf(path, sizeof(path), "%s/d.zip", root);
		d = read_file(path, &dlen);
		CHECK(s && memmem(s, slen, f.b, 777) != NULL);
		CHECK(d && memmem(d, dlen, f.b, 777) == NULL);
		free(s);
		free(d);
	}

	/* tar.gz: one sequential pass, one open */
	{
		drip_source *ds = drip_new(root, 0, NULL);
		ff_object_info info = info_of(root, "t.tar.gz");
		ff_bundle_index *ix = NULL;
		ff_status	st;

		CHECK(ff_bundle_index_read(&ds->base, &info, want_all, NULL, 4096, 0, &ix, &st) == FF_OK);
		CHECK(ix && ix->requests == 1);
		ff_bundle_index_free(ix);
		ff_source_destroy(&ds->base);
	}
	fixture_free(&f);
	rm_rf(root);
	free(root);
}

static void
test_damaged(void)
{
	char	   *root = make_root();
	fixture		f;
	char		path[PATH_MAX];
	ff_source  *src = NULL;
	ff_status	st;
	static const char *const names[] = {"d.zip", "t.tar.gz", "g.zip", "g.tgz", "dd.zip", "dd.tar.gz"};

	if (!root)
		return;
	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/d.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/t.tar.gz", root);
	CHECK(write_bundle(path, KIND_TAR_GZ, f.entries, f.n));
	/* truncate both to half (inside the 3 MB member) */
	for (int i = 0; i < 2; i++)
	{
		ff_object_info o = info_of(root, names[i]);

		snprintf(path, sizeof(path), "%s/%s", root, names[i]);
		CHECK(truncate(path, (off_t) (o.size / 2)) == 0);
	}
	/* garbage */
	{
		uint8_t    *g = sample_bytes(100000, 9, 256);

		snprintf(path, sizeof(path), "%s/g.zip", root);
		CHECK(write_file(path, g, 100000));
		snprintf(path, sizeof(path), "%s/g.tgz", root);
		CHECK(write_file(path, g, 100000));
		free(g);
	}
	/* members with ".." */
	{
		test_entry	bad[] = {
			{.name = "E/ok", .data = (const uint8_t *) "ok", .len = 2},
			{.name = "E/../../evil", .data = (const uint8_t *) "evil", .len = 4},
		};

		snprintf(path, sizeof(path), "%s/dd.zip", root);
		CHECK(write_bundle(path, KIND_ZIP_DEFLATE, bad, 2));
		snprintf(path, sizeof(path), "%s/dd.tar.gz", root);
		CHECK(write_bundle(path, KIND_TAR_GZ, bad, 2));
	}

	CHECK(ff_source_local_new(root, NULL, &src, &st) == FF_OK);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		ff_object_info o = info_of(root, names[i]);
		ff_bundle_index *ix = (ff_bundle_index *) 1;
		ff_code		code = ff_bundle_index_read(src, &o, want_all, NULL, 4096, 0, &ix, &st);

		CHECK(code == FF_ERR_CORRUPT);
		CHECK(ix == NULL);
		CHECK(strstr(st.message, names[i]) != NULL);
		CHECK(strncmp(st.object, names[i], strlen(names[i])) == 0);
		if (i >= 4)
			CHECK(strstr(st.message, "E/../../evil") != NULL);
		printf("  %s: %s [%s]\n", names[i], st.message, st.object);
	}
	/* the truncated zip has lost its central directory: no member opens either */
	{
		ff_object_info o = info_of(root, "d.zip");
		ff_stream  *s = NULL;

		CHECK(ff_bundle_open_member(src, &o, "E/a", &s, &st) == FF_ERR_CORRUPT);
		CHECK(s == NULL);
	}
	/* the truncated tar.gz: its first members are there; the cut member fails when read,
	 * naming the bundle and the member */
	{
		ff_object_info o = info_of(root, "t.tar.gz");
		ff_stream  *s = NULL;
		size_t		len;
		char	   *data;

		CHECK(ff_bundle_open_member(src, &o, "E/a", &s, &st) == FF_OK);
		data = slurp(s, &len, &st);
		CHECK(data && len == 8 && memcmp(data, "hello a\n", 8) == 0);
		free(data);
		s = NULL;
		CHECK(ff_bundle_open_member(src, &o, "E/big.chunk", &s, &st) == FF_OK);
		data = slurp(s, &len, &st);
		CHECK(data == NULL);
		CHECK(st.code == FF_ERR_CORRUPT);
		CHECK(strstr(st.message, "bundle t.tar.gz: member E/big.chunk") != NULL);
		CHECK_STR(st.object, "t.tar.gz/E/big.chunk");
		CHECK(st.offset > 0 && st.offset < BIG_LEN);
		printf("  %s\n", st.message);
		free(data);
	}
	/* a source failure keeps its code: the bundle is gone since the listing */
	{
		ff_object_info o = {.key = "gone.zip", .size = 1000, .mtime = 0, .etag = NULL};
		ff_bundle_index *ix = NULL;
		ff_stream  *s = NULL;

		CHECK(ff_bundle_index_read(src, &o, NULL, NULL, 0, 0, &ix, &st) == FF_ERR_NOT_FOUND);
		CHECK(strstr(st.message, "gone.zip") != NULL);
		o.key = "gone.tar.gz";
		CHECK(ff_bundle_open_member(src, &o, "x", &s, &st) == FF_ERR_NOT_FOUND);
		CHECK(s == NULL);
	}
	/* not a bundle name */
	{
		ff_object_info o = {.key = "a.txt", .size = 1, .mtime = 0, .etag = NULL};
		ff_bundle_index *ix = NULL;

		CHECK(ff_bundle_index_read(src, &o, NULL, NULL, 0, 0, &ix, &st) == FF_ERR_INVALID);
	}
	ff_source_destroy(src);
	fixture_free(&f);
	rm_rf(root);
	free(root);
}

static void
test_cancel(void)
{
	char	   *root = make_root();
	fixture		f;
	char		path[PATH_MAX];
	const char *keys[] = {"d.zip", "t.tar.gz"};

	if (!root)
		return;
	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/d.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/t.tar.gz", root);
	CHECK(write_bundle(path, KIND_TAR_GZ, f.entries, f.n));
	for (int i = 0; i < 2; i++)
	{
		ff_source  *src = NULL;
		ff_status	st;
		ff_object_info o = info_of(root, keys[i]);
		ff_bundle_index *ix = NULL;
		ff_stream  *s = NULL;

		CHECK(ff_source_local_new(root, cancel_always, &src, &st) == FF_OK);
		CHECK(ff_bundle_index_read(src, &o, want_all, NULL, 4096, 0, &ix, &st) == FF_ERR_CANCELED);
		CHECK(ix == NULL);
		CHECK(strstr(st.message, keys[i]) != NULL);
		CHECK(ff_bundle_open_member(src, &o, "E/a", &s, &st) == FF_ERR_CANCELED);
		CHECK(s == NULL);
		ff_source_destroy(src);
	}
	fixture_free(&f);
	rm_rf(root);
	free(root);
}

/* Cancel after k probes, for every k: indexing and member reads end cleanly (no leak under
 * the sanitizers) with FF_ERR_CANCELED, or succeed when k is past the last probe. */
static int	cancel_budget;

static bool
cancel_countdown(void)
{
	return --cancel_budget < 0;
}

/* Index and read one member through a source; the first failure's code. */
static ff_code
index_and_read(drip_source *ds, const ff_object_info *o, const char *member, ff_status *st)
{
	ff_bundle_index *ix = NULL;
	ff_stream  *s = NULL;
	ff_code		code = ff_bundle_index_read(&ds->base, o, want_all, NULL, 4096, 0, &ix, st);
	size_t		len;
	char	   *data;

	ff_bundle_index_free(ix);
	if (code != FF_OK)
		return code;
	code = ff_bundle_open_member(&ds->base, o, member, &s, st);
	if (code != FF_OK)
		return code;
	data = slurp(s, &len, st);
	if (!data)
		return st->code;
	free(data);
	return FF_OK;
}

static void
test_failures_everywhere(void)
{
	char	   *root = make_root();
	fixture		f;
	char		path[PATH_MAX];
	const char *keys[] = {"d.zip", "t.tar.gz"};

	if (!root)
		return;
	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/d.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/t.tar.gz", root);
	CHECK(write_bundle(path, KIND_TAR_GZ, f.entries, f.n));
	for (int i = 0; i < 2; i++)
	{
		ff_object_info o = info_of(root, keys[i]);
		int			ok = 0;
		int			canceled = 0;
		int			io = 0;
		int			other = 0;

		/* cancel after k probes (reads of 4 KiB: many probes) */
		for (int k = 0; k < 400; k += (k < 40 ? 1 : 17))
		{
			drip_source *ds = drip_new(root, 4096, cancel_countdown);
			ff_status	st;
			ff_code		code;

			cancel_budget = k;
			code = index_and_read(ds, &o, "E/big.chunk", &st);
			if (code == FF_OK)
				ok++;
			else if (code == FF_ERR_CANCELED && strstr(st.message, keys[i]))
				canceled++;
			else
			{
				other++;
				fprintf(stderr, "  cancel %d: %s\n", k, st.message);
			}
			ff_source_destroy(&ds->base);
		}
		CHECK(canceled > 0);
		CHECK(ok > 0);
		CHECK_EQ_U64(other, 0);
		/* the source fails after n reads: its code, never "corrupt" (libarchive's gzip layer
		 * has its own message for a failed read; ours wins) */
		for (long n = 1; n < 1000; n += (n < 40 ? 1 : 37))
		{
			drip_source *ds = drip_new(root, 4096, NULL);
			ff_status	st;
			ff_code		code;

			ds->fail_after = n;
			code = index_and_read(ds, &o, "E/big.chunk", &st);
			if (code == FF_OK)
				ok++;
			else if (code == FF_ERR_IO && strstr(st.message, "injected read failure") && strstr(st.message, keys[i]))
				io++;
			else
			{
				other++;
				fprintf(stderr, "  fail after %ld: %s\n", n, st.message);
			}
			ff_source_destroy(&ds->base);
		}
		CHECK(io > 0);
		CHECK_EQ_U64(other, 0);
		printf("  %s: %d canceled, %d source failures kept, %d complete\n", keys[i], canceled, io, ok);
	}
	fixture_free(&f);
	rm_rf(root);
	free(root);
}

/*
 * A zip of the v4 sample's shape: <epoch>/ with 5 directory entries and 12 files, the
 * sizes of 104.zip's members (Python zipfile over the sample: 476185 for the state chunk,
 * then 2596, 2489, 1633, 431, 307, 225, 166, 134, 97, 1 bytes), about 200 KB stored.
 */
static void
test_requests_v4_shape(void)
{
	static const struct
	{
		const char *name;
		size_t		len;
		unsigned	alpha;
	}			shape[] = {
		{"104/", 0, 0},
		{"104/metadata/", 0, 0},
		{"104/metadata/transaction_51738547-51738547.meta", 134, 20},
		{"104/metadata/state_snapshot_ver_51738547.meta", 97, 20},
		{"104/metadata/epoch_ending_104-104.meta", 166, 20},
		{"104/state_ver_51738547.4daf/", 0, 0},
		{"104/state_ver_51738547.4daf/0-.chunk", 476185, 6},
		{"104/state_ver_51738547.4daf/0-49.proof", 1, 256},
		{"104/state_ver_51738547.4daf/state.manifest", 431, 20},
		{"104/state_ver_51738547.4daf/state.proof", 2596, 256},
		{"104/epoch_ending_104-.6b46/", 0, 0},
		{"104/epoch_ending_104-.6b46/104-.chunk", 1633, 256},
		{"104/epoch_ending_104-.6b46/epoch_ending.manifest", 225, 20},
		{"104/transaction_51738547-.2551/", 0, 0},
		{"104/transaction_51738547-.2551/51738547-.chunk", 307, 256},
		{"104/transaction_51738547-.2551/51738547-51738547.proof", 2489, 256},
		{"104/transaction_51738547-.2551/transaction.manifest", 200, 20},
	};
	enum {N = sizeof(shape) / sizeof(shape[0])};
	char	   *root = make_root();
	test_entry	e[N];
	uint8_t    *data[N];
	char		path[PATH_MAX];
	drip_source *ds;
	ff_object_info o;
	ff_bundle_index *ix = NULL;
	ff_status	st;

	if (!root)
		return;
	for (size_t i = 0; i < N; i++)
	{
		data[i] = shape[i].len ? sample_bytes(shape[i].len, (uint32_t) i + 7, shape[i].alpha) : NULL;
		e[i] = (test_entry) {.name = shape[i].name, .data = shape[i].len ? data[i] : NULL, .len = shape[i].len};
	}
	snprintf(path, sizeof(path), "%s/104.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, e, N));
	ds = drip_new(root, 0, NULL);
	o = info_of(root, "104.zip");
	CHECK(ff_bundle_index_read(&ds->base, &o, want_meta, NULL, 64 * 1024, 0, &ix, &st) == FF_OK);
	if (ix)
	{
		CHECK_EQ_U64(ix->n, 12);
		/*
		 * One open: libarchive's format bidding reads offset 0 first (that window is kept as
		 * the head); the end of central directory at the tail lies less than BUNDLE_SKIP_MAX
		 * (512 KiB) ahead, so the stream reads through to it, and the central directory of
		 * 17 entries (about 1.8 KB) is inside that window; the local headers of the first
		 * members are in the kept head, the later ones (after the big state chunk) in the
		 * window at the tail. The test source counts its opens on its own.
		 */
		CHECK_EQ_U64(ix->requests, 1);
		CHECK_EQ_U64(ds->opens, 1);
		printf("  v4-shape zip (%" PRIu64 " bytes, 17 entries): %u source opens to index, %" PRIu64 " bytes read\n",
			   o.size, ix->requests, ds->bytes);
		CHECK(ff_bundle_index_find(ix, "104/metadata/epoch_ending_104-104.meta")->data != NULL);
		CHECK(ff_bundle_index_find(ix, "104/state_ver_51738547.4daf/0-.chunk")->data == NULL);
		ff_bundle_index_free(ix);
	}
	ff_source_destroy(&ds->base);

	/* over a source with ranged opens (S3) */
	ds = drip_new_ranged(root, 0);
	ix = NULL;
	CHECK(ff_bundle_index_read(&ds->base, &o, want_meta, NULL, 64 * 1024, 0, &ix, &st) == FF_OK);
	if (ix)
	{
		ff_stream  *s = NULL;
		size_t		len = 0;
		char	   *got = NULL;
		unsigned	opens = ds->opens;
		uint64_t	bytes = ds->bytes;

		CHECK_EQ_U64(ix->n, 12);
		CHECK_EQ_U64(ix->requests, ds->opens);
		/* two ranges of at most 64 KiB: the head, then the tail (the jump to it passes the
		 * end of the first range) */
		CHECK_EQ_U64(ix->requests, 2);
		CHECK(ds->bytes <= 2 * 65536);
		CHECK_EQ_U64(ds->max_range, 65536);
		printf("  v4-shape zip, ranged opens: %u to index, %" PRIu64 " bytes read (largest range %" PRIu64 ")\n",
			   ix->requests, ds->bytes, ds->max_range);
		CHECK(ff_bundle_open_member(&ds->base, &o, "104/state_ver_51738547.4daf/0-.chunk", &s, &st) == FF_OK);
		got = slurp(s, &len, &st);
		CHECK(got && len == 476185 && memcmp(got, data[6], len) == 0);
		/* the head, the tail, then the member's compressed bytes in doubling ranges: 128 KiB
		 * from the end of the head, then the rest of the zip */
		CHECK_EQ_U64(ds->opens - opens, 4);
		CHECK(ds->bytes - bytes <= o.size + 2 * 65536);
		printf("  v4-shape zip, ranged opens: %u to read the 476185-byte member, %" PRIu64 " bytes read\n",
			   ds->opens - opens, ds->bytes - bytes);
		free(got);
		ff_bundle_index_free(ix);
	}
	ff_source_destroy(&ds->base);
	for (size_t i = 0; i < N; i++)
		free(data[i]);
	rm_rf(root);
	free(root);
}

/* The wrapper: members listed and opened, plans, preload, staleness after a rewrite. */
static void
test_wrapper(void)
{
	char	   *root = make_root();
	fixture		f;
	char		path[PATH_MAX];
	ff_source  *inner = NULL;
	ff_source  *w = NULL;
	ff_bundle_store *store;
	ff_listing	l = {0};
	ff_status	st;
	const char *keys[] = {"d.zip", "t.tar.gz"};
	expected_member exp[16];
	size_t		nexp;

	if (!root)
		return;
	fixture_init(&f);
	nexp = fixture_expected(&f, exp);
	snprintf(path, sizeof(path), "%s/d.zip", root);
	CHECK(write_bundle(path, KIND_ZIP_DEFLATE, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/t.tar.gz", root);
	CHECK(write_bundle(path, KIND_TAR_GZ, f.entries, f.n));
	snprintf(path, sizeof(path), "%s/plain.txt", root);
	CHECK(write_file(path, "plain\n", 6));

	store = ff_bundle_store_new();
	CHECK(store != NULL);
	CHECK(ff_source_local_new(root, NULL, &inner, &st) == FF_OK);
	CHECK(ff_source_bundles_new(inner, store, &w, &st) == FF_OK);
	CHECK(w->location == inner->location);

	/* before indexing: the inner listing only */
	CHECK(ff_source_list(w, &l, &st) == FF_OK);
	CHECK_EQ_U64(l.n, 3);
	CHECK(ff_source_bundles_lookup(w, "d.zip") == NULL);
	CHECK(ff_source_bundles_index(w, keys, 2, want_all, NULL, 4096, 0, &st) == FF_OK);
	CHECK(ff_source_bundles_lookup(w, "d.zip") != NULL);
	CHECK(ff_source_bundles_lookup(w, "t.tar.gz") != NULL);
	CHECK(ff_source_bundles_lookup(w, "plain.txt") == NULL);
	{
		/* the zip's opens plus the tar.gz's one */
		unsigned	r = ff_source_bundles_lookup(w, "d.zip")->requests + ff_source_bundles_lookup(w, "t.tar.gz")->requests;

		CHECK_EQ_U64(ff_source_bundles_requests(w), r);
	}
	/* indexing again what is fresh reads nothing */
	{
		unsigned	before = ff_source_bundles_requests(w);

		CHECK(ff_source_bundles_index(w, keys, 2, want_all, NULL, 4096, 0, &st) == FF_OK);
		CHECK_EQ_U64(ff_source_bundles_requests(w), before);
	}
	{
		const char *bad[] = {"plain.txt"};

		CHECK(ff_source_bundles_index(w, bad, 1, NULL, NULL, 0, 0, &st) == FF_ERR_NOT_FOUND);
	}
	ff_listing_free(&l);

	/* after indexing: 3 + 2 x 8 members */
	CHECK(ff_source_list(w, &l, &st) == FF_OK);
	CHECK_EQ_U64(l.n, 3 + 2 * nexp);
	for (size_t k = 0; k < 2; k++)
	{
		ff_object_info bundle = info_of(root, keys[k]);

		for (size_t i = 0; i < nexp; i++)
		{
			char		key[256];
			const ff_object_info *o;
			ff_stream  *s = NULL;
			size_t		len;
			char	   *data;
			ff_code		code;

			snprintf(key, sizeof(key), "%s/%s", keys[k], exp[i].path);
			o = ff_listing_find(&l, key);
			CHECK(o != NULL);
			if (!o)
				continue;
			CHECK_EQ_U64(o->size, exp[i].len);
			CHECK_EQ_U64(o->mtime, bundle.mtime);
			CHECK(o->etag == NULL);
			if (strcmp(exp[i].path, "E/dup") == 0)
			{
				/* captured: the last copy */
				code = ff_source_open(w, key, 0, &s, &st);
				data = code == FF_OK ? slurp(s, &len, &st) : NULL;
				CHECK(data && len == 20 && memcmp(data, f.dup2, 20) == 0);
				free(data);
				continue;
			}
			/* whole, then from an offset (captured members and streamed ones alike) */
			code = ff_source_open(w, key, 0, &s, &st);
			CHECK(code == FF_OK);
			data = code == FF_OK ? slurp(s, &len, &st) : NULL;
			CHECK(data && len == exp[i].len && memcmp(data, exp[i].data, len) == 0);
			free(data);
			{
				uint64_t	off = exp[i].len > 100000 ? 2000003 : exp[i].len / 3;

				s = NULL;
				code = ff_source_open(w, key, off, &s, &st);
				CHECK(code == FF_OK);
				data = code == FF_OK ? slurp(s, &len, &st) : NULL;
				CHECK(data && len == exp[i].len - off && memcmp(data, exp[i].data + off, len) == 0);
				free(data);
			}
		}
	}
	/* real keys still work; a member of a non-indexed path is not found */
	{
		ff_stream  *s = NULL;
		size_t		len;
		char	   *data;

		CHECK(ff_source_open(w, "plain.txt", 0, &s, &st) == FF_OK);
		data = slurp(s, &len, &st);
		CHECK(data && len == 6);
		free(data);
		s = NULL;
		CHECK(ff_source_open(w, "d.zip/E/nope", 0, &s, &st) == FF_ERR_NOT_FOUND);
	}
	/* a plan mixing real and member keys (the local source has no plans: opened plainly) */
	{
		const char *pk[] = {"plain.txt", "d.zip/E/a", "t.tar.gz/E/dir/b.txt"};
		ff_read_plan *plan = NULL;
		ff_stream  *s = NULL;
		size_t		len;
		char	   *data;

		CHECK(ff_source_plan_new(w, pk, 3, &plan, &st) == FF_OK);
		for (int i = 0; i < 3; i++)
		{
			s = NULL;
			CHECK(ff_source_plan_open(w, plan, pk[i], &s, &st) == FF_OK);
			data = slurp(s, &len, &st);
			CHECK(data && len == (i == 0 ? 6 : i == 1 ? 8 : 777));
			free(data);
		}
		ff_source_plan_free(w, plan);
		CHECK(ff_source_preload(w, pk, 3, &st) == FF_OK);
	}
	ff_listing_free(&l);

	/* a second wrapper over the same store sees the indexes without reading the bundles */
	{
		ff_source  *inner2 = NULL;
		ff_source  *w2 = NULL;

		CHECK(ff_source_local_new(root, NULL, &inner2, &st) == FF_OK);
		CHECK(ff_source_bundles_new(inner2, store, &w2, &st) == FF_OK);
		CHECK(ff_source_list(w2, &l, &st) == FF_OK);
		CHECK_EQ_U64(l.n, 3 + 2 * nexp);
		CHECK(ff_source_bundles_lookup(w2, "d.zip") != NULL);
		CHECK_EQ_U64(ff_source_bundles_requests(w2), 0);
		ff_listing_free(&l);
		ff_source_destroy(w2);
	}

	/* rewrite d.zip with another size: its index is stale and dropped */
	{
		test_entry	one[] = {{.name = "E/a", .data = f.a, .len = 8}};
		ff_stream  *s = NULL;

		snprintf(path, sizeof(path), "%s/d.zip", root);
		CHECK(write_bundle(path, KIND_ZIP_DEFLATE, one, 1));
		/* still fresh against the last listing: staleness shows with the next one */
		CHECK(ff_source_bundles_lookup(w, "d.zip") != NULL);
		CHECK(ff_source_list(w, &l, &st) == FF_OK);
		CHECK_EQ_U64(l.n, 3 + nexp);
		CHECK(ff_listing_find(&l, "d.zip/E/a") == NULL);
		CHECK(ff_listing_find(&l, "t.tar.gz/E/a") != NULL);
		CHECK(ff_source_bundles_lookup(w, "d.zip") == NULL);
		CHECK(ff_source_open(w, "d.zip/E/big.chunk", 0, &s, &st) == FF_ERR_NOT_FOUND);
		ff_listing_free(&l);
		/* index it again: the new content */
		CHECK(ff_source_bundles_index(w, keys, 1, want_all, NULL, 4096, 0, &st) == FF_OK);
		CHECK(ff_source_list(w, &l, &st) == FF_OK);
		CHECK_EQ_U64(l.n, 3 + nexp + 1);
		CHECK(ff_listing_find(&l, "d.zip/E/a") != NULL);
		ff_listing_free(&l);
	}
	/* the bundle disappears: its index leaves the store */
	{
		snprintf(path, sizeof(path), "%s/t.tar.gz", root);
		CHECK(unlink(path) == 0);
		CHECK(ff_source_list(w, &l, &st) == FF_OK);
		CHECK_EQ_U64(l.n, 2 + 1);
		ff_listing_free(&l);
	}
	ff_source_destroy(w);
	ff_bundle_store_release(store);
	fixture_free(&f);
	rm_rf(root);
	free(root);
}

/* ---- the real v4 sample --------------------------------------------------------------- */

/*
 * Expected figures from Python's zipfile over the sample (an independent reader):
 *   for z in sorted(glob('*.zip')): files = [i for i in ZipFile(z).infolist() if not i.is_dir()]
 *   -> 12 files each; sum(file_size): 104: 484497, 107: 488634, 119: 663682, 120: 1404769,
 *   121: 1403624; every member byte-identical to the loose file of the same path; the loose
 *   folders hold exactly these files, except 104/fullnode_template.yaml (not in 104.zip).
 */
static void
test_real_v4(void)
{
	static const struct
	{
		const char *zip;
		size_t		members;
		uint64_t	bytes;
		size_t		loose_only;
	}			expect[] = {
		{"104.zip", 12, 484497, 1},
		{"107.zip", 12, 488634, 0},
		{"119.zip", 12, 663682, 0},
		{"120.zip", 12, 1404769, 0},
		{"121.zip", 12, 1403624, 0},
	};
	char		base[PATH_MAX];
	char		dir[PATH_MAX + 32];
	ff_source  *src = NULL;
	ff_listing	l = {0};
	ff_status	st;
	size_t		zips = 0;
	unsigned	total_requests = 0;
	drip_source *ds;
	unsigned	member_opens = 0;
	unsigned	max_member_opens = 0;
	unsigned	nmember_opens = 0;

	if (!shared_data(base, sizeof(base)))
	{
		printf("test_real_v4 skipped: no real samples (../shared/data)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/0l-v4-mainnet-sample", base);
	if (ff_source_local_new(dir, NULL, &src, &st) != FF_OK)
	{
		printf("test_real_v4 skipped: %s\n", st.message);
		return;
	}
	ds = drip_new(dir, 0, NULL);	/* member opens through it, counted */
	CHECK(ff_source_list(src, &l, &st) == FF_OK);
	for (size_t i = 0; ds && i < l.n; i++)
	{
		const ff_object_info *o = &l.items[i];
		char		prefix[64];
		size_t		plen;
		size_t		loose = 0;
		size_t		matched = 0;
		uint64_t	bytes = 0;
		ff_bundle_index *ix = NULL;
		ff_code		code;
		size_t		e;

		if (ff_bundle_format_of(o->key) != FF_BUNDLE_ZIP || strchr(o->key, '/'))
			continue;
		zips++;
		snprintf(prefix, sizeof(prefix), "%.*s/", (int) (strlen(o->key) - 4), o->key);
		plen = strlen(prefix);
		for (e = 0; e < sizeof(expect) / sizeof(expect[0]); e++)
			if (strcmp(expect[e].zip, o->key) == 0)
				break;
		CHECK(e < sizeof(expect) / sizeof(expect[0]));
		code = ff_bundle_index_read(src, o, want_meta, NULL, 64 * 1024, 0, &ix, &st);
		CHECK(code == FF_OK);
		if (code != FF_OK)
		{
			fprintf(stderr, "  %s: %s\n", o->key, st.message);
			continue;
		}
		for (size_t j = 0; j < l.n; j++)
			if (strncmp(l.items[j].key, prefix, plen) == 0)
				loose++;
		for (size_t j = 0; j < ix->n; j++)
		{
			const ff_bundle_member *m = &ix->members[j];
			const ff_object_info *lf = ff_listing_find(&l, m->path);
			ff_stream  *s = NULL;
			char	   *a = NULL;
			char	   *b = NULL;
			size_t		alen = 0;
			size_t		blen = 0;

			bytes += m->size;
			CHECK(strncmp(m->path, prefix, plen) == 0);
			CHECK(lf != NULL);
			if (!lf)
				continue;
			matched++;
			CHECK_EQ_U64(m->size, lf->size);
			{
				unsigned	before = ds->opens;

				if (ff_bundle_open_member(&ds->base, o, m->path, &s, &st) == FF_OK)
					a = slurp(s, &alen, &st);
				member_opens += ds->opens - before;
				max_member_opens = ds->opens - before > max_member_opens ? ds->opens - before : max_member_opens;
				nmember_opens++;
			}
			s = NULL;
			if (ff_source_open(src, m->path, 0, &s, &st) == FF_OK)
				b = slurp(s, &blen, &st);
			CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
			if (m->data)
				CHECK(b && m->size == blen && memcmp(m->data, b, blen) == 0);
			CHECK(want_meta(m->path, 0, NULL) == (m->data != NULL));
			free(a);
			free(b);
		}
		if (e < sizeof(expect) / sizeof(expect[0]))
		{
			CHECK_EQ_U64(ix->n, expect[e].members);
			CHECK_EQ_U64(bytes, expect[e].bytes);
			CHECK_EQ_U64(loose - matched, expect[e].loose_only);
		}
		printf("  %s: %zu members, %" PRIu64 " bytes, %zu loose files (%zu not in the zip), %u source opens to index\n",
			   o->key, ix->n, bytes, loose, loose - matched, ix->requests);
		CHECK(ix->requests <= 3);
		total_requests += ix->requests;
		ff_bundle_index_free(ix);
	}
	CHECK_EQ_U64(zips, 5);
	printf("  %zu zips, %u source opens in all to index them\n", zips, total_requests);
	/* each member open: libarchive reads the central directory again, then the local
	 * headers up to the member (all within 512 KiB of each other here) */
	printf("  %u member opens: %u source opens (at most %u for one)\n", nmember_opens, member_opens,
		   max_member_opens);
	CHECK_EQ_U64(nmember_opens, 60);
	CHECK(max_member_opens <= 3);
	ff_source_destroy(ds ? &ds->base : NULL);
	ff_listing_free(&l);

	/* through the wrapper: 5 x 12 member keys more, and one opened */
	{
		ff_bundle_store *store = ff_bundle_store_new();
		ff_source  *w = NULL;
		ff_listing	l1 = {0};
		ff_listing	l2 = {0};
		const char *zk[] = {"104.zip", "107.zip", "119.zip", "120.zip", "121.zip"};

		CHECK(ff_source_bundles_new(src, store, &w, &st) == FF_OK);
		src = NULL;
		CHECK(ff_source_list(w, &l1, &st) == FF_OK);
		CHECK(ff_source_bundles_index(w, zk, 5, want_meta, NULL, 64 * 1024, 0, &st) == FF_OK);
		CHECK(ff_source_list(w, &l2, &st) == FF_OK);
		CHECK_EQ_U64(l2.n, l1.n + 60);
		{
			const char *k = "104.zip/104/metadata/epoch_ending_104-104.meta";
			ff_stream  *s = NULL;
			size_t		len;
			char	   *a;
			char	   *b;

			CHECK(ff_listing_find(&l2, k) != NULL);
			CHECK(ff_source_open(w, k, 0, &s, &st) == FF_OK);
			a = slurp(s, &len, &st);
			s = NULL;
			CHECK(ff_source_open(w, "104/metadata/epoch_ending_104-104.meta", 0, &s, &st) == FF_OK);
			b = slurp(s, &len, &st);
			CHECK(a && b && strcmp(a, b) == 0 && len == 166);
			free(a);
			free(b);
		}
		printf("  wrapper: %zu objects listed, %zu with the zips' members; %u source opens\n",
			   l1.n, l2.n, ff_source_bundles_requests(w));
		ff_listing_free(&l1);
		ff_listing_free(&l2);
		ff_source_destroy(w);
		ff_bundle_store_release(store);
	}
	ff_source_destroy(src);
}

int
main(void)
{
	RUN(test_format_of);
	RUN(test_bundles);
	RUN(test_damaged);
	RUN(test_cancel);
	RUN(test_failures_everywhere);
	RUN(test_requests_v4_shape);
	RUN(test_wrapper);
	RUN(test_real_v4);
	return unit_summary("test_bundle");
}
