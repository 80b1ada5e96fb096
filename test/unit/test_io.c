/*
 * test_io.c — unit tests for the io/ layer: gzip detection and inflation (plain
 * passthrough, gzip, multi-member, truncated, trailing garbage, 1-byte reads), the record
 * framing reader (clean EOF, partial prefix, short body, zero-length record, limit, skip)
 * and the local source (listing order, nested dirs, symlinks, refusal of "..", missing root,
 * cancel). Temporary files live under a mkdtemp directory that is removed at the end.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/gzip.h"
#include "io/record.h"
#include "io/source.h"
#include "unit.h"
#include "unit_files.h"

/* ---- helpers -------------------------------------------------------------------------- */

/* An in-memory stream that hands out at most `step` bytes per read. */
typedef struct mem_stream
{
	ff_stream	base;
	const uint8_t *data;
	size_t		len;
	size_t		pos;
	size_t		step;
	int		   *closed;			/* incremented on close, when set */
} mem_stream;

static ssize_t
mem_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	mem_stream *m = (mem_stream *) s;
	size_t		k = m->len - m->pos;

	(void) st;
	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step;
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (ssize_t) k;
}

static void
mem_close(ff_stream *s)
{
	mem_stream *m = (mem_stream *) s;

	if (m->closed)
		(*m->closed)++;
	free(m);
}

static uint64_t
mem_stored(ff_stream *s)
{
	return ((mem_stream *) s)->pos;
}

static ff_stream *
mem_new(const void *data, size_t len, size_t step)
{
	mem_stream *m = calloc(1, sizeof(*m));

	m->base.read = mem_read;
	m->base.close = mem_close;
	m->base.stored_bytes = mem_stored;
	m->data = data;
	m->len = len;
	m->step = step;
	return &m->base;
}

/* Pseudo-random, mildly compressible bytes. */
static uint8_t *
sample_bytes(size_t len, uint32_t seed)
{
	uint8_t    *p = malloc(len);

	for (size_t i = 0; i < len; i++)
	{
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t) ((seed >> 16) % 40 + 'A');
	}
	return p;
}

/* Read everything through ff_gzip_open over a mem stream; returns the code. */
static ff_code
gunzip_all(const void *data, size_t len, size_t step, char **out, size_t *out_len, bool *compressed,
		   ff_status *st)
{
	ff_stream  *s = ff_gzip_open(mem_new(data, len, step), "obj", compressed, st);
	ff_code		code;

	if (!s)
		return st->code;
	code = ff_stream_read_all(s, 64 * 1024 * 1024, out, out_len, st);
	ff_stream_close(s);
	return code;
}

static void
write_file(const char *root, const char *rel, const void *data, size_t len)
{
	char		path[4096];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++)
		if (*p == '/')
		{
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	f = fopen(path, "wb");
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

/* ---- gzip ----------------------------------------------------------------------------- */

static void
test_gzip_plain(void)
{
	ff_status	st;
	char	   *out;
	size_t		len;
	bool		compressed = true;
	const char *text = "{\"first_version\":1}\n";

	ff_status_clear(&st);
	CHECK(gunzip_all(text, strlen(text), 0, &out, &len, &compressed, &st) == FF_OK);
	CHECK(!compressed);
	CHECK(len == strlen(text) && memcmp(out, text, len) == 0);
	free(out);

	/* one byte, 1-byte reads, and an empty object */
	CHECK(gunzip_all("\x1f", 1, 1, &out, &len, &compressed, &st) == FF_OK);
	CHECK(!compressed && len == 1 && out[0] == 0x1f);
	free(out);
	CHECK(gunzip_all(text, strlen(text), 1, &out, &len, &compressed, &st) == FF_OK);
	CHECK(len == strlen(text) && memcmp(out, text, len) == 0);
	free(out);
	CHECK(gunzip_all("", 0, 0, &out, &len, &compressed, &st) == FF_OK);
	CHECK(!compressed && len == 0 && out[0] == '\0');
	free(out);
}

static void
test_gzip_basic(void)
{
	ff_status	st;
	size_t		raw_len = 700 * 1024;	/* larger than the 256 KiB input buffer when compressed */
	uint8_t    *raw = sample_bytes(raw_len, 7);
	size_t		zlen;
	uint8_t    *z = gz(raw, raw_len, &zlen);
	char	   *out;
	size_t		len;
	bool		compressed = false;
	ff_stream  *s;
	char		small[3];
	ssize_t		got;
	size_t		total = 0;
	bool		same = true;

	ff_status_clear(&st);
	CHECK(zlen > 256 * 1024);
	CHECK(gunzip_all(z, zlen, 0, &out, &len, &compressed, &st) == FF_OK);
	CHECK(compressed);
	CHECK(len == raw_len && memcmp(out, raw, len) == 0);
	free(out);

	/* tiny reads below (1 byte per inner read) and tiny reads above (3 bytes) */
	s = ff_gzip_open(mem_new(z, zlen, 1), "obj", &compressed, &st);
	CHECK(s != NULL && compressed);
	while ((got = ff_stream_read(s, small, sizeof(small), &st)) > 0)
	{
		if (memcmp(small, raw + total, (size_t) got) != 0)
			same = false;
		total += (size_t) got;
	}
	CHECK(got == 0);
	CHECK(same && total == raw_len);
	CHECK_EQ_U64(ff_stream_stored_bytes(s), zlen);
	CHECK(ff_stream_read(s, small, sizeof(small), &st) == 0);	/* stays at EOF */
	ff_stream_close(s);

	/* read_all limit */
	s = ff_gzip_open(mem_new(z, zlen, 0), "obj", NULL, &st);
	CHECK(ff_stream_read_all(s, 1000, &out, &len, &st) == FF_ERR_LIMIT);
	CHECK(out == NULL);
	ff_stream_close(s);
	free(z);
	free(raw);
}

static void
test_gzip_multi_member(void)
{
	ff_status	st;
	const char *a = "first member, ";
	const char *b = "second member";
	size_t		la,
				lb,
				le;
	uint8_t    *za = gz(a, strlen(a), &la);
	uint8_t    *zb = gz(b, strlen(b), &lb);
	uint8_t    *ze = gz("", 0, &le);
	uint8_t    *cat = malloc(la + lb + le);
	char	   *out;
	size_t		len;
	bool		compressed;

	ff_status_clear(&st);
	memcpy(cat, za, la);
	memcpy(cat + la, ze, le);	/* an empty member in the middle */
	memcpy(cat + la + le, zb, lb);
	for (size_t step = 0; step <= 2; step++)
	{
		CHECK(gunzip_all(cat, la + le + lb, step, &out, &len, &compressed, &st) == FF_OK);
		CHECK(compressed);
		CHECK_STR(out, "first member, second member");
		free(out);
	}
	free(za);
	free(zb);
	free(ze);
	free(cat);
}

static void
test_gzip_errors(void)
{
	ff_status	st;
	size_t		raw_len = 5000;
	uint8_t    *raw = sample_bytes(raw_len, 3);
	size_t		zlen;
	uint8_t    *z = gz(raw, raw_len, &zlen);
	uint8_t    *buf = malloc(zlen + 16);
	char	   *out = NULL;
	size_t		len;
	bool		compressed;

	/* truncated: cut in the middle and just before the trailer's end */
	ff_status_clear(&st);
	CHECK(gunzip_all(z, zlen / 2, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);
	CHECK(strstr(st.message, "unexpected end of compressed data") != NULL);
	CHECK_STR(st.object, "obj");
	CHECK(out == NULL);
	ff_status_clear(&st);
	CHECK(gunzip_all(z, zlen - 1, 1, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);
	CHECK(strstr(st.message, "unexpected end of compressed data") != NULL);
	ff_status_clear(&st);
	CHECK(gunzip_all(z, 2, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);	/* magic only */

	/* garbage after a member */
	memcpy(buf, z, zlen);
	memcpy(buf + zlen, "xyz", 3);
	ff_status_clear(&st);
	CHECK(gunzip_all(buf, zlen + 3, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);
	CHECK(strstr(st.message, "trailing garbage") != NULL);
	ff_status_clear(&st);
	CHECK(gunzip_all(buf, zlen + 1, 1, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);	/* 1 byte */
	buf[zlen] = 0x1f;
	ff_status_clear(&st);
	CHECK(gunzip_all(buf, zlen + 1, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);	/* half a magic */

	/* corrupt deflate data and a bad CRC */
	memcpy(buf, z, zlen);
	buf[zlen - 8] ^= 0xff;		/* CRC32 in the trailer */
	ff_status_clear(&st);
	CHECK(gunzip_all(buf, zlen, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);
	memcpy(buf, z, zlen);
	for (size_t i = 20; i < 60; i++)
		buf[i] ^= 0x5a;
	ff_status_clear(&st);
	CHECK(gunzip_all(buf, zlen, 0, &out, &len, &compressed, &st) == FF_ERR_CORRUPT);
	CHECK(st.offset >= 0);
	free(raw);
	free(z);
	free(buf);
}

static void
test_gzip_owns_inner(void)
{
	ff_status	st;
	int			closed = 0;
	mem_stream *m = (mem_stream *) mem_new("abc", 3, 0);
	ff_stream  *s;

	m->closed = &closed;
	s = ff_gzip_open(&m->base, "obj", NULL, &st);
	ff_stream_close(s);
	CHECK(closed == 1);
	ff_stream_close(NULL);
}

/* ---- a stream that looks for a cancel before each read -------------------------------- */

static int	cancel_after = -1;	/* calls of countdown_probe that answer no; -1: never cancel */

static bool
countdown_probe(void)
{
	if (cancel_after < 0)
		return false;
	return cancel_after-- == 0;
}

static void
test_cancelable(void)
{
	ff_status	st;
	int			closed = 0;
	mem_stream *m = (mem_stream *) mem_new("0123456789", 10, 0);
	ff_stream  *s = ff_stream_cancelable(&m->base, countdown_probe, 3);
	char		buf[16];
	char	   *all;
	size_t		len;

	m->closed = &closed;
	/* at most 3 bytes a call, to the end */
	CHECK(ff_stream_read(s, buf, sizeof(buf), &st) == 3 && memcmp(buf, "012", 3) == 0);
	CHECK(ff_stream_read_all(s, 100, &all, &len, &st) == FF_OK && len == 7 && strcmp(all, "3456789") == 0);
	free(all);
	ff_stream_close(s);
	CHECK(closed == 1);

	/* the cancel probe is asked before each read: two reads, then canceled */
	m = (mem_stream *) mem_new("0123456789", 10, 0);
	s = ff_stream_cancelable(&m->base, countdown_probe, 4);
	cancel_after = 2;
	ff_status_clear(&st);
	CHECK(ff_stream_read_all(s, 100, &all, &len, &st) == FF_ERR_CANCELED);
	CHECK(st.code == FF_ERR_CANCELED);
	cancel_after = -1;
	ff_stream_close(s);
}

/* ---- records -------------------------------------------------------------------------- */

/* Append a u32-BE framed record. */
static size_t
put_record(uint8_t *p, const void *body, uint32_t len)
{
	p[0] = (uint8_t) (len >> 24);
	p[1] = (uint8_t) (len >> 16);
	p[2] = (uint8_t) (len >> 8);
	p[3] = (uint8_t) len;
	if (len)
		memcpy(p + 4, body, len);
	return 4 + (size_t) len;
}

static void
test_record_clean(void)
{
	ff_status	st;
	uint8_t		data[64];
	size_t		n = 0;

	n += put_record(data + n, "hello", 5);
	n += put_record(data + n, "", 0);
	n += put_record(data + n, "xy", 2);
	for (size_t step = 0; step <= 1; step++)
	{
		ff_stream  *s = mem_new(data, n, step);
		ff_record_reader *r = ff_record_reader_new(s, "chunk", 1024, &st);
		const uint8_t *rec;
		size_t		len;

		CHECK(ff_record_index(r) == 0 && ff_record_offset(r) == 0);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK);
		CHECK(len == 5 && memcmp(rec, "hello", 5) == 0);
		CHECK(ff_record_last_offset(r) == 0);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK);	/* zero-length record */
		CHECK(len == 0);
		CHECK_EQ_U64(ff_record_last_offset(r), 9);
		CHECK(ff_record_index(r) == 2 && ff_record_offset(r) == 13);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK);
		CHECK(len == 2 && memcmp(rec, "xy", 2) == 0);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_EOF);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_EOF);
		CHECK_EQ_U64(ff_record_raw_bytes(r), n);
		CHECK_EQ_U64(ff_record_offset(r), n);
		ff_record_reader_free(r);
		ff_stream_close(s);
	}

	/* an empty stream is a clean EOF */
	{
		ff_stream  *s = mem_new("", 0, 0);
		ff_record_reader *r = ff_record_reader_new(s, "chunk", 1024, &st);
		const uint8_t *rec;
		size_t		len;

		CHECK(ff_record_next(r, &rec, &len, &st) == FF_EOF);
		ff_record_reader_free(r);
		ff_stream_close(s);
	}
}

static void
test_record_errors(void)
{
	ff_status	st;
	uint8_t		data[64];
	size_t		n = 0;
	ff_stream  *s;
	ff_record_reader *r;
	const uint8_t *rec;
	size_t		len;

	/* partial prefix after one good record */
	n = put_record(data, "abc", 3);
	memcpy(data + n, "\0\0", 2);
	s = mem_new(data, n + 2, 0);
	r = ff_record_reader_new(s, "chunk-a", 1024, &st);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK);
	ff_status_clear(&st);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "chunk-a");
	CHECK(st.record == 1);
	CHECK(st.offset == 7);
	CHECK(strstr(st.message, "partial") != NULL);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_ERR_CORRUPT);	/* sticky */
	ff_record_reader_free(r);
	ff_stream_close(s);

	/* short body */
	n = put_record(data, "abcdefghij", 10);
	s = mem_new(data, n - 5, 1);
	r = ff_record_reader_new(s, "chunk-b", 1024, &st);
	ff_status_clear(&st);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_ERR_CORRUPT);
	CHECK_STR(st.object, "chunk-b");
	CHECK(st.record == 0 && st.offset == 0);
	CHECK(strstr(st.message, "short record") != NULL);
	ff_record_reader_free(r);
	ff_stream_close(s);

	/* short body, skipped */
	s = mem_new(data, n - 5, 0);
	r = ff_record_reader_new(s, "chunk-b", 1024, &st);
	ff_status_clear(&st);
	CHECK(ff_record_skip(r, &st) == FF_ERR_CORRUPT);
	CHECK(strstr(st.message, "short record") != NULL);
	ff_record_reader_free(r);
	ff_stream_close(s);

	/* over the limit */
	n = put_record(data, "abcdefghij", 10);
	n += put_record(data + n, "abcdefghijk", 11);
	s = mem_new(data, n, 0);
	r = ff_record_reader_new(s, "chunk-c", 10, &st);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK && len == 10);
	ff_status_clear(&st);
	CHECK(ff_record_next(r, &rec, &len, &st) == FF_ERR_LIMIT);
	CHECK(st.record == 1 && st.offset == 14);
	ff_record_reader_free(r);
	ff_stream_close(s);
}

static void
test_record_large_and_skip(void)
{
	ff_status	st;
	size_t		big = 300 * 1024;	/* larger than the 128 KiB read buffer */
	uint8_t    *body = sample_bytes(big, 11);
	uint8_t    *data = malloc(3 * (big + 4) + 64);
	size_t		n = 0;

	n += put_record(data + n, "a", 1);
	n += put_record(data + n, body, (uint32_t) big);
	n += put_record(data + n, "bb", 2);
	n += put_record(data + n, body, (uint32_t) big);
	n += put_record(data + n, "ccc", 3);
	for (size_t step = 0; step <= 1; step++)
	{
		ff_stream  *s = mem_new(data, n, step ? 777 : 0);
		ff_record_reader *r = ff_record_reader_new(s, "chunk", big, &st);
		const uint8_t *rec;
		size_t		len;

		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK && len == 1);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK);
		CHECK(len == big && memcmp(rec, body, big) == 0);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK && len == 2 && memcmp(rec, "bb", 2) == 0);
		CHECK(ff_record_skip(r, &st) == FF_OK);
		CHECK_EQ_U64(ff_record_offset(r), 4 + 1 + 4 + big + 4 + 2 + 4 + big);
		CHECK(ff_record_index(r) == 4);
		CHECK(ff_record_next(r, &rec, &len, &st) == FF_OK && len == 3 && memcmp(rec, "ccc", 3) == 0);
		CHECK(ff_record_skip(r, &st) == FF_EOF);
		ff_record_reader_free(r);
		ff_stream_close(s);
	}

	/* records through a gzip stack */
	{
		size_t		zlen;
		uint8_t    *z = gz(data, n, &zlen);
		ff_stream  *s = ff_gzip_open(mem_new(z, zlen, 0), "chunk.gz", NULL, &st);
		ff_record_reader *r = ff_record_reader_new(s, "chunk.gz", big, &st);
		int			count = 0;
		ff_code		code;

		while ((code = ff_record_skip(r, &st)) == FF_OK)
			count++;
		CHECK(code == FF_EOF);
		CHECK(count == 5);
		ff_record_reader_free(r);
		ff_stream_close(s);

		/* truncated gzip under the record reader: corrupt, named */
		s = ff_gzip_open(mem_new(z, zlen / 2, 0), "chunk.gz", NULL, &st);
		r = ff_record_reader_new(s, "chunk.gz", big, &st);
		while ((code = ff_record_skip(r, &st)) == FF_OK)
			;
		CHECK(code == FF_ERR_CORRUPT);
		CHECK_STR(st.object, "chunk.gz");
		ff_record_reader_free(r);
		ff_stream_close(s);
		free(z);
	}
	free(body);
	free(data);
}

/* ---- local source --------------------------------------------------------------------- */

static bool cancel_now;
static bool
cancel_probe(void)
{
	return cancel_now;
}

static void
test_local_source(void)
{
	char		root[] = "/tmp/ff_io_XXXXXX";
	char		path[4200];
	ff_source  *src;
	ff_listing	l;
	ff_status	st;
	ff_stream  *s;
	char		buf[64];
	const char *expect[] = {"a.b", "a/y", "a/z/w", "b/x", "b/y-link", "c", "d/.hidden"};
	size_t		ne = sizeof(expect) / sizeof(expect[0]);

	if (!mkdtemp(root))
	{
		CHECK(!"mkdtemp");
		return;
	}
	write_file(root, "c", "ccc", 3);
	write_file(root, "b/x", "0123456789", 10);
	write_file(root, "a/z/w", "w", 1);
	write_file(root, "a/y", "yy", 2);
	write_file(root, "a.b", "", 0);
	write_file(root, "d/.hidden", "h", 1);
	snprintf(path, sizeof(path), "%s/b/y-link", root);
	CHECK(symlink("../a/y", path) == 0);	/* inside: listed */
	snprintf(path, sizeof(path), "%s/b/out-link", root);
	CHECK(symlink("/etc/hostname", path) == 0);	/* outside: not listed */
	snprintf(path, sizeof(path), "%s/a/loop", root);
	CHECK(symlink("..", path) == 0);	/* a loop: not followed twice */
	snprintf(path, sizeof(path), "%s/e", root);
	mkdir(path, 0755);			/* empty directory */

	CHECK(ff_source_local_new(root, NULL, &src, &st) == FF_OK);
	CHECK(ff_source_list(src, &l, &st) == FF_OK);
	CHECK_EQ_U64(l.n, ne);
	for (size_t i = 0; i < ne && i < l.n; i++)
		CHECK_STR(l.items[i].key, expect[i]);
	CHECK(ff_listing_find(&l, "b/x") && ff_listing_find(&l, "b/x")->size == 10);
	CHECK(ff_listing_find(&l, "b/x")->mtime > 0);
	CHECK(ff_listing_find(&l, "b") == NULL);
	CHECK(ff_listing_find(&l, "zzz") == NULL);
	CHECK(ff_listing_find(&l, "a.b") != NULL);
	ff_listing_free(&l);

	/* open with an offset; stored bytes */
	CHECK(ff_source_open(src, "b/x", 4, &s, &st) == FF_OK);
	CHECK(ff_stream_read(s, buf, sizeof(buf), &st) == 6 && memcmp(buf, "456789", 6) == 0);
	CHECK(ff_stream_read(s, buf, sizeof(buf), &st) == 0);
	CHECK_EQ_U64(ff_stream_stored_bytes(s), 6);
	ff_stream_close(s);
	CHECK(ff_source_open(src, "b/y-link", 0, &s, &st) == FF_OK);
	CHECK(ff_stream_read(s, buf, sizeof(buf), &st) == 2);
	ff_stream_close(s);

	/* refusals */
	CHECK(ff_source_open(src, "../etc/passwd", 0, &s, &st) == FF_ERR_INVALID && s == NULL);
	CHECK(ff_source_open(src, "a/../c", 0, &s, &st) == FF_ERR_INVALID);
	CHECK(ff_source_open(src, "a/..", 0, &s, &st) == FF_ERR_INVALID);
	CHECK(ff_source_open(src, "/etc/passwd", 0, &s, &st) == FF_ERR_INVALID);
	CHECK(ff_source_open(src, "", 0, &s, &st) == FF_ERR_INVALID);
	CHECK(ff_source_open(src, "b/out-link", 0, &s, &st) == FF_ERR_INVALID);
	CHECK(ff_source_open(src, "a", 0, &s, &st) == FF_ERR_INVALID);	/* a directory */
	CHECK(ff_source_open(src, "nope", 0, &s, &st) == FF_ERR_NOT_FOUND);
	CHECK_STR(st.object, "nope");
	CHECK(ff_source_open(src, "c/under-a-file", 0, &s, &st) == FF_ERR_NOT_FOUND);
	CHECK(ff_source_open(src, "..x", 0, &s, &st) == FF_ERR_NOT_FOUND);	/* a name, not ".." */
	ff_source_destroy(src);

	/* roots */
	snprintf(path, sizeof(path), "%s/missing", root);
	CHECK(ff_source_local_new(path, NULL, &src, &st) == FF_ERR_NOT_FOUND && src == NULL);
	snprintf(path, sizeof(path), "%s/c", root);
	CHECK(ff_source_local_new(path, NULL, &src, &st) == FF_ERR_INVALID);
	CHECK(ff_source_local_new("relative/dir", NULL, &src, &st) == FF_ERR_INVALID);
	snprintf(path, sizeof(path), "%s/a/", root);	/* trailing slash */
	CHECK(ff_source_local_new(path, NULL, &src, &st) == FF_OK);
	CHECK(ff_source_list(src, &l, &st) == FF_OK);
	CHECK(l.n == 2 && strcmp(l.items[0].key, "y") == 0 && strcmp(l.items[1].key, "z/w") == 0);
	ff_listing_free(&l);
	ff_source_destroy(src);

	/* cancel: checked every few hundred entries */
	for (int i = 0; i < 600; i++)
	{
		char		name[64];

		snprintf(name, sizeof(name), "many/f%03d", i);
		write_file(root, name, "", 0);
	}
	CHECK(ff_source_local_new(root, cancel_probe, &src, &st) == FF_OK);
	cancel_now = false;
	CHECK(ff_source_list(src, &l, &st) == FF_OK);
	CHECK_EQ_U64(l.n, ne + 600);
	ff_listing_free(&l);
	cancel_now = true;
	CHECK(ff_source_list(src, &l, &st) == FF_ERR_CANCELED);
	CHECK(l.n == 0 && l.items == NULL);
	ff_source_destroy(src);

	rm_rf(root);
}

/* ---- real sample (when present) ------------------------------------------------------- */

static void
test_real_chunk(void)
{
	const char *env = getenv("FF_SHARED_DATA");
	char		data[4096];
	char		root[4200];
	ff_source  *src;
	ff_stream  *s;
	ff_status	st;
	bool		compressed = false;
	ff_record_reader *r;
	const uint8_t *rec;
	size_t		len;
	int64_t		n = 0;
	ff_code		code;

	if (!realpath(env && *env ? env : "../shared/data", data))
	{
		printf("skipped: no real samples\n");
		return;
	}
	snprintf(root, sizeof(root), "%s/0l-v6-testnet-sample", data);
	if (ff_source_local_new(root, NULL, &src, &st) != FF_OK)
	{
		printf("skipped: no real v6 sample\n");
		return;
	}
	/* a chunk gzip'ed without a .gz suffix: 20,000 records, read then skipped */
	for (int pass = 0; pass < 2; pass++)
	{
		CHECK(ff_source_open(src, "transaction_1-.90bf/1-.chunk", 0, &s, &st) == FF_OK);
		s = ff_gzip_open(s, "transaction_1-.90bf/1-.chunk", &compressed, &st);
		CHECK(s != NULL && compressed);
		r = ff_record_reader_new(s, "transaction_1-.90bf/1-.chunk", 64 * 1024 * 1024, &st);
		n = 0;
		while ((code = pass ? ff_record_skip(r, &st) : ff_record_next(r, &rec, &len, &st)) == FF_OK)
			n++;
		CHECK(code == FF_EOF);
		CHECK(n == 20000);
		CHECK_EQ_U64(ff_record_raw_bytes(r), ff_record_offset(r));
		CHECK(ff_stream_stored_bytes(s) > 0 && ff_stream_stored_bytes(s) < ff_record_offset(r));
		ff_record_reader_free(r);
		ff_stream_close(s);
	}
	ff_source_destroy(src);
}

int
main(void)
{
	RUN(test_gzip_plain);
	RUN(test_gzip_basic);
	RUN(test_gzip_multi_member);
	RUN(test_gzip_errors);
	RUN(test_gzip_owns_inner);
	RUN(test_cancelable);
	RUN(test_record_clean);
	RUN(test_record_errors);
	RUN(test_record_large_and_skip);
	RUN(test_local_source);
	RUN(test_real_chunk);
	return unit_summary("io");
}
