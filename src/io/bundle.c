/*
 * bundle.c — reading bundles (.zip, .tar.gz, .tgz) with libarchive directly from a source,
 * without temporary files: the index of a bundle's members (with the wanted small members
 * captured) and a stream of one member.
 *
 * libarchive pulls bytes through callbacks over a "positional reader": a window buffer of
 * the bytes last read and at most one open source stream. Zip uses libarchive's seekable
 * reader (central directory at the end): a seek only moves the position; a read inside the
 * window costs nothing, a short jump forward reads through the open stream, anything else
 * opens the source again at the new offset (one request, counted). Zip opens are ranged
 * (ff_source_open_range): a fresh position asks for BUNDLE_RANGE_MIN bytes, and reading on
 * past the end of a range doubles the next one up to BUNDLE_RANGE_MAX, so an S3 bundle costs
 * a few small GETs for its directory and about log2(size) for a member, never the whole
 * object at each seek. tar.gz is one sequential pass through the gzip filter.
 *
 * Callbacks never report: they keep the source's failure (or the cancel) in the reader and
 * return ARCHIVE_FATAL; the caller builds the status after libarchive returns, preferring
 * that failure to libarchive's message (its gzip layer overwrites the callback's error).
 */
#include "io/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes kept from the last read: libarchive seeks back a little (zip local headers). */
#define BUNDLE_WINDOW		(64 * 1024)
/* A jump forward up to this far reads through the open stream instead of opening again. */
#define BUNDLE_SKIP_MAX		(512 * 1024)
/* Zip: bytes asked for by an open at a fresh position, and the most one open asks for. */
#define BUNDLE_RANGE_MIN	BUNDLE_WINDOW
#define BUNDLE_RANGE_MAX	(16 * 1024 * 1024)

typedef struct bundle_reader
{
	ff_source  *src;
	char	   *key;			/* the bundle's key (malloc'ed) */
	uint64_t	size;			/* the bundle's size from the listing */
	bool		seekable;		/* zip: positional reads; tar.gz: one sequential stream */
	ff_stream  *stream;			/* open source stream, or NULL */
	uint64_t	stream_pos;		/* the next byte `stream` returns */
	bool		stream_eof;
	uint64_t	range_len;		/* zip: bytes the last open asked for */
	uint64_t	range_end;		/* zip: where that range ends */
	uint64_t	pos;			/* the next byte libarchive reads */
	uint8_t    *win;			/* BUNDLE_WINDOW bytes: [win_off, win_off + win_len) */
	uint64_t	win_off;
	size_t		win_len;
	uint8_t    *head;			/* zip: the first window read at offset 0, kept: libarchive
								 * reads there, then the tail, then there again */
	size_t		head_len;
	unsigned	requests;		/* source opens */
	uint64_t	stored;			/* bytes taken from the source */
	bool		failed;			/* a source failure or cancel, kept in `failure` */
	ff_status	failure;
} bundle_reader;

/* ---- names ---------------------------------------------------------------------------- */

static bool
ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t		sl = strlen(suffix);

	if (len <= sl)
		return false;
	for (size_t i = 0; i < sl; i++)
	{
		char		c = s[len - sl + i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

ff_bundle_format
ff_bundle_format_of(const char *key)
{
	size_t		len;

	if (!key)
		return FF_BUNDLE_NONE;
	len = strlen(key);
	if (ends_with_ci(key, len, ".zip"))
		return FF_BUNDLE_ZIP;
	if (ends_with_ci(key, len, ".tar.gz") || ends_with_ci(key, len, ".tgz"))
		return FF_BUNDLE_TAR_GZ;
	return FF_BUNDLE_NONE;
}

/*
 * Normalize a member path: drop empty and "." components (so leading "./" and "/" and a
 * trailing "/" go away). Returns FF_OK with *out malloc'ed, FF_ERR_CORRUPT when a component
 * is "..", FF_ERR_NOMEM.
 */
static ff_code
normalize_path(const char *raw, char **out)
{
	size_t		len = strlen(raw);
	char	   *res = malloc(len + 1);
	size_t		used = 0;
	const char *p = raw;

	*out = NULL;
	if (!res)
		return FF_ERR_NOMEM;
	while (*p)
	{
		const char *slash = strchr(p, '/');
		size_t		n = slash ? (size_t) (slash - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.')
		{
			free(res);
			return FF_ERR_CORRUPT;
		}
		if (n > 0 && !(n == 1 && p[0] == '.'))
		{
			if (used > 0)
				res[used++] = '/';
			memcpy(res + used, p, n);
			used += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	res[used] = '\0';
	*out = res;
	return FF_OK;
}

/* The entry's path as stored (raw bytes first, UTF-8 when the locale cannot convert). */
static const char *
entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	if (!p)
		p = archive_entry_pathname_utf8(e);
	return p;
}

/* ---- the positional reader and libarchive's callbacks --------------------------------- */

static void
reader_fail(bundle_reader *r, struct archive *a, ff_code code, const char *msg)
{
	if (!r->failed)
	{
		ff_status_clear(&r->failure);
		ff_status_set(&r->failure, code, "%s", msg);
		r->failed = true;
	}
	archive_set_error(a, code == FF_ERR_NOMEM ? ENOMEM : EIO, "%s", msg);
}

static bool
reader_canceled(bundle_reader *r, struct archive *a)
{
	if (r->src->cancel && r->src->cancel())
	{
		reader_fail(r, a, FF_ERR_CANCELED, "canceled");
		return true;
	}
	return false;
}

static void
reader_close_stream(bundle_reader *r)
{
	ff_stream_close(r->stream);
	r->stream = NULL;
	r->stream_eof = false;
}

/* Keep the source's failure st (the first one only; `code`/`what` when st says nothing); false. */
static bool
reader_keep_failure(bundle_reader *r, struct archive *a, const ff_status *st, ff_code code, const char *what)
{
	if (!r->failed)
	{
		r->failure = *st;
		if (r->failure.code == FF_OK)
			ff_status_set(&r->failure, code, "%s", what);
		r->failed = true;
	}
	archive_set_error(a, EIO, "%s", r->failure.message);
	return false;
}

/* Read from the open stream; false on failure (recorded). *got = 0 at its end. */
static bool
reader_pull(bundle_reader *r, struct archive *a, uint8_t *buf, size_t n, size_t *got)
{
	ff_status	st;
	ssize_t		k;

	ff_status_clear(&st);
	k = ff_stream_read(r->stream, buf, n, &st);
	if (k < 0)
		return reader_keep_failure(r, a, &st, FF_ERR_IO, "read failed");
	*got = (size_t) k;
	if (k == 0)
		r->stream_eof = true;
	r->stream_pos += (uint64_t) k;
	r->stored += (uint64_t) k;
	return true;
}

/*
 * Open the source stream at pos. Zip: a range of BUNDLE_RANGE_MIN bytes, or twice the last
 * one when reading goes on where it ended (at most BUNDLE_RANGE_MAX). tar.gz: to the end.
 */
static bool
reader_open_at_pos(bundle_reader *r, struct archive *a)
{
	ff_status	st;
	ff_code		code;
	uint64_t	len = UINT64_MAX;

	if (r->seekable)
	{
		len = BUNDLE_RANGE_MIN;
		if (r->range_len > 0 && r->pos == r->range_end)
			len = r->range_len * 2 < BUNDLE_RANGE_MAX ? r->range_len * 2 : BUNDLE_RANGE_MAX;
	}
	ff_status_clear(&st);
	code = ff_source_open_range(r->src, r->key, r->pos, len, &r->stream, &st);
	if (code != FF_OK)
	{
		r->stream = NULL;
		return reader_keep_failure(r, a, &st, code, "cannot open");
	}
	r->requests++;
	r->stream_pos = r->pos;
	r->stream_eof = false;
	r->range_len = len;
	r->range_end = len < UINT64_MAX - r->pos ? r->pos + len : UINT64_MAX;
	return true;
}

static la_ssize_t
reader_read(struct archive *a, void *client, const void **buf)
{
	bundle_reader *r = client;

	*buf = NULL;
	if (r->failed)
	{
		archive_set_error(a, EIO, "%s", r->failure.message);
		return ARCHIVE_FATAL;
	}
	if (reader_canceled(r, a))
		return ARCHIVE_FATAL;

	/* inside the window or the kept head: no I/O */
	if (r->pos >= r->win_off && r->pos < r->win_off + r->win_len)
	{
		size_t		at = (size_t) (r->pos - r->win_off);
		size_t		n = r->win_len - at;

		*buf = r->win + at;
		r->pos += n;
		return (la_ssize_t) n;
	}
	if (r->pos < r->head_len)
	{
		size_t		n = r->head_len - (size_t) r->pos;

		*buf = r->head + r->pos;
		r->pos += n;
		return (la_ssize_t) n;
	}
	if (r->seekable && r->pos >= r->size)
		return 0;

	/* position the stream at pos: read through a short jump, else open again */
	if (r->stream && ((r->stream_eof && r->seekable) || r->pos < r->stream_pos ||
					  r->pos - r->stream_pos > BUNDLE_SKIP_MAX))
		reader_close_stream(r);
	for (int attempt = 0;; attempt++)
	{
		if (!r->stream && !reader_open_at_pos(r, a))
			return ARCHIVE_FATAL;
		/* the window is about to be overwritten */
		r->win_off = r->pos;
		r->win_len = 0;
		while (r->stream_pos < r->pos && !r->stream_eof)
		{
			uint64_t	gap = r->pos - r->stream_pos;
			size_t		got;

			if (!reader_pull(r, a, r->win, gap < BUNDLE_WINDOW ? (size_t) gap : BUNDLE_WINDOW, &got))
				return ARCHIVE_FATAL;
		}
		if (r->stream_pos == r->pos)
			break;
		/* the stream ended before pos: the end of a range (open once more at pos), or of the object */
		if (!r->seekable || attempt > 0)
			return 0;
		reader_close_stream(r);
	}
	/* fill the window; a zip range that ends with the window still empty: the next range */
	for (bool reopened = false; r->win_len < BUNDLE_WINDOW;)
	{
		size_t		want = BUNDLE_WINDOW - r->win_len;
		size_t		got;

		if (r->stream_eof)
		{
			if (r->win_len > 0 || !r->seekable || r->stream_pos >= r->size || reopened)
				break;
			reader_close_stream(r);
			if (!reader_open_at_pos(r, a))
				return ARCHIVE_FATAL;
			reopened = true;
			continue;
		}
		if (r->seekable && r->size - r->stream_pos < want)
			want = (size_t) (r->size - r->stream_pos);
		if (want == 0)
			break;
		if (!reader_pull(r, a, r->win + r->win_len, want, &got))
			return ARCHIVE_FATAL;
		r->win_len += got;
	}
	if (r->seekable && r->win_off == 0 && r->win_len > r->head_len)
	{
		uint8_t    *h = r->head ? r->head : malloc(BUNDLE_WINDOW);

		if (h)
		{
			memcpy(h, r->win, r->win_len);
			r->head = h;
			r->head_len = r->win_len;
		}
	}
	*buf = r->win;
	r->pos += r->win_len;
	return (la_ssize_t) r->win_len;
}

static la_int64_t
reader_seek(struct archive *a, void *client, la_int64_t offset, int whence)
{
	bundle_reader *r = client;
	int64_t		base;

	if (r->failed)
	{
		archive_set_error(a, EIO, "%s", r->failure.message);
		return ARCHIVE_FATAL;
	}
	if (reader_canceled(r, a))
		return ARCHIVE_FATAL;
	switch (whence)
	{
		case SEEK_SET:
			base = 0;
			break;
		case SEEK_CUR:
			base = (int64_t) r->pos;
			break;
		case SEEK_END:
			base = (int64_t) r->size;
			break;
		default:
			archive_set_error(a, EINVAL, "bad seek whence %d", whence);
			return ARCHIVE_FATAL;
	}
	if ((offset < 0 && base + offset < 0) || (offset > 0 && offset > INT64_MAX - base))
	{
		archive_set_error(a, EINVAL, "seek outside the bundle");
		return ARCHIVE_FATAL;
	}
	r->pos = (uint64_t) (base + offset);
	return (la_int64_t) r->pos;
}

static ff_code
reader_init(bundle_reader *r, ff_source *src, const ff_object_info *bundle, ff_bundle_format fmt)
{
	memset(r, 0, sizeof(*r));
	r->src = src;
	r->size = bundle->size;
	r->seekable = fmt == FF_BUNDLE_ZIP;
	r->key = strdup(bundle->key);
	r->win = malloc(BUNDLE_WINDOW);
	if (!r->key || !r->win)
		return FF_ERR_NOMEM;
	return FF_OK;
}

static void
reader_free(bundle_reader *r)
{
	reader_close_stream(r);
	free(r->win);
	free(r->head);
	free(r->key);
	r->win = NULL;
	r->head = NULL;
	r->key = NULL;
}

/*
 * Build the status after a libarchive call failed: the source's failure or the cancel when
 * the callbacks kept one, else corrupt data (out of memory when libarchive says so).
 * member NULL: about the bundle as a whole (offset, when >= 0, is a position in the stored
 * bundle, told in the message); else offset is the position in the member.
 * what: "is truncated or corrupt", "cannot read its member list", ...
 */
static ff_code
report(bundle_reader *r, struct archive *a, const char *member, const char *what, int64_t offset,
	   ff_status *st)
{
	char		object[512];
	const char *la = a ? archive_error_string(a) : NULL;

	if (member)
		snprintf(object, sizeof(object), "%s/%s", r->key, member);
	else
		snprintf(object, sizeof(object), "%s", r->key);
	ff_status_clear(st);
	if (r->failed)
	{
		/* the source's own words (not libarchive's view of them) */
		if (member)
			ff_status_set(st, r->failure.code, "bundle %s: member %s: %s", r->key, member,
						  r->failure.message);
		else
			ff_status_set(st, r->failure.code, "bundle %s: %s", r->key, r->failure.message);
	}
	else
	{
		ff_code		code = (a && archive_errno(a) == ENOMEM) ? FF_ERR_NOMEM : FF_ERR_CORRUPT;

		if (member)
			ff_status_set(st, code, "bundle %s: member %s %s (libarchive: %s)", r->key, member, what,
						  la ? la : "no detail");
		else if (offset >= 0)
			ff_status_set(st, code, "bundle %s %s at byte %" PRId64 " of the bundle (libarchive: %s)", r->key,
						  what, offset, la ? la : "no detail");
		else
			ff_status_set(st, code, "bundle %s %s (libarchive: %s)", r->key, what, la ? la : "no detail");
	}
	ff_status_locate(st, object, -1, member ? offset : -1);
	return st->code;
}

static ff_code
open_archive(bundle_reader *r, ff_bundle_format fmt, struct archive **out, ff_status *st)
{
	struct archive *a = archive_read_new();
	int			rc;

	*out = NULL;
	if (!a)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening bundle %s", r->key);
	if (fmt == FF_BUNDLE_ZIP)
	{
		rc = archive_read_support_format_zip_seekable(a);
		if (rc == ARCHIVE_OK)
			rc = archive_read_set_seek_callback(a, reader_seek);
	}
	else
	{
		rc = archive_read_support_filter_gzip(a);
		if (rc == ARCHIVE_OK)
			rc = archive_read_support_format_tar(a);
	}
	if (rc == ARCHIVE_OK)
		rc = archive_read_set_read_callback(a, reader_read);
	if (rc == ARCHIVE_OK)
		rc = archive_read_set_callback_data(a, r);
	if (rc != ARCHIVE_OK)
	{
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_UNSUPPORTED, "bundle %s: libarchive cannot read this format (%s)", r->key,
					  archive_error_string(a) ? archive_error_string(a) : "no detail");
		ff_status_locate(st, r->key, -1, -1);
		archive_read_free(a);
		return st->code;
	}
	if (archive_read_open1(a) != ARCHIVE_OK)
	{
		report(r, a, NULL, fmt == FF_BUNDLE_ZIP ? "is not a readable zip archive" : "is not a readable tar.gz archive",
			   -1, st);
		archive_read_free(a);
		return st->code;
	}
	*out = a;
	return FF_OK;
}

/* Is this entry a member (a regular file with its own data)? */
static bool
entry_is_member(struct archive_entry *e)
{
	return archive_entry_filetype(e) == AE_IFREG && archive_entry_hardlink(e) == NULL;
}

/* Next entry with its normalized path; FF_EOF at the end. *path is malloc'ed. */
static ff_code
next_entry(bundle_reader *r, struct archive *a, struct archive_entry **e, char **path, ff_status *st)
{
	int			rc = archive_read_next_header(a, e);
	const char *raw;
	ff_code		code;

	*path = NULL;
	if (rc == ARCHIVE_EOF)
		return FF_EOF;
	if (rc < ARCHIVE_WARN)
		return report(r, a, NULL, "cannot read its member list", archive_filter_bytes(a, -1), st);
	raw = entry_path(*e);
	if (!raw)
	{
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_CORRUPT, "bundle %s: an entry without a path at byte %" PRIu64, r->key, r->pos);
		ff_status_locate(st, r->key, -1, -1);
		return st->code;
	}
	code = normalize_path(raw, path);
	if (code == FF_ERR_NOMEM)
	{
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_NOMEM, "bundle %s: out of memory", r->key);
		ff_status_locate(st, r->key, -1, -1);
		return st->code;
	}
	if (code != FF_OK)
	{
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_CORRUPT, "bundle %s: member path \"%s\" has a \"..\" component", r->key, raw);
		ff_status_locate(st, r->key, -1, -1);
		return st->code;
	}
	if (entry_is_member(*e) && (*path)[0] == '\0')
	{
		free(*path);
		*path = NULL;
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_CORRUPT, "bundle %s: a file member with an empty path (\"%s\")", r->key, raw);
		ff_status_locate(st, r->key, -1, -1);
		return st->code;
	}
	return FF_OK;
}

/* ---- index ---------------------------------------------------------------------------- */

typedef struct pending_member
{
	ff_bundle_member m;
	size_t		ord;			/* order in the bundle (the last duplicate wins) */
} pending_member;

static int
cmp_pending(const void *a, const void *b)
{
	const pending_member *x = a;
	const pending_member *y = b;
	int			c = strcmp(x->m.path, y->m.path);

	if (c != 0)
		return c;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/*
 * Read the current entry's data. capture: keep it (at most max_capture bytes, else it is
 * dropped and *data stays NULL); known: size is the header's. Sets *size to the bytes read
 * when the header had no size.
 */
static ff_code
read_entry_data(bundle_reader *r, struct archive *a, const char *path, bool capture, size_t max_capture,
				bool known, uint64_t *size, uint8_t **data, ff_status *st)
{
	uint8_t    *buf = NULL;
	size_t		cap = 0;
	uint64_t	total = 0;
	uint8_t		scratch[16384];

	*data = NULL;
	if (capture && known)
	{
		cap = (size_t) *size + 1;
		buf = malloc(cap);
		if (!buf)
			goto nomem;
	}
	for (;;)
	{
		la_ssize_t	k;
		uint8_t    *dst = scratch;
		size_t		room = sizeof(scratch);

		if (capture)
		{
			if (cap - (size_t) total < 2)
			{
				size_t		ncap = cap ? cap * 2 : 4096;
				uint8_t    *p;

				if (ncap > max_capture + 2)
					ncap = max_capture + 2;
				p = realloc(buf, ncap);
				if (!p)
					goto nomem;
				buf = p;
				cap = ncap;
			}
			dst = buf + total;
			room = cap - (size_t) total - 1;
		}
		k = archive_read_data(a, dst, room);
		if (k < 0)
		{
			free(buf);
			return report(r, a, path, "is truncated or corrupt", (int64_t) total, st);
		}
		if (k == 0)
			break;
		total += (uint64_t) k;
		if (known && total > *size)
		{
			free(buf);
			ff_status_clear(st);
			ff_status_set(st, FF_ERR_CORRUPT, "bundle %s: member %s is longer than the %" PRIu64 " bytes its header says",
						  r->key, path, *size);
			ff_status_locate(st, NULL, -1, (int64_t) *size);
			goto locate;
		}
		if (capture && !known && total > max_capture)
		{
			/* too big to capture after all: count the rest */
			free(buf);
			buf = NULL;
			capture = false;
		}
	}
	if (known && total != *size)
	{
		free(buf);
		ff_status_clear(st);
		ff_status_set(st, FF_ERR_CORRUPT, "bundle %s: member %s is truncated: %" PRIu64 " of %" PRIu64 " bytes",
					  r->key, path, total, *size);
		ff_status_locate(st, NULL, -1, (int64_t) total);
		goto locate;
	}
	*size = total;
	if (capture)
	{
		buf[total] = 0;
		*data = buf;
	}
	return FF_OK;

nomem:
	free(buf);
	ff_status_clear(st);
	ff_status_set(st, FF_ERR_NOMEM, "bundle %s: out of memory capturing member %s", r->key, path);
locate:
	{
		char		object[512];

		snprintf(object, sizeof(object), "%s/%s", r->key, path);
		ff_status_locate(st, object, -1, st->offset);
	}
	return st->code;
}

void
ff_bundle_index_free(ff_bundle_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++)
	{
		free(ix->members[i].path);
		free(ix->members[i].data);
	}
	free(ix->members);
	free(ix->bundle_etag);
	free(ix);
}

static void
free_pending(pending_member *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		free(p[i].m.path);
		free(p[i].m.data);
	}
	free(p);
}

ff_code
ff_bundle_index_read(ff_source *src, const ff_object_info *bundle, ff_bundle_want_fn want, void *arg,
					 size_t max_capture, size_t max_members, ff_bundle_index **out, ff_status *st)
{
	ff_bundle_format fmt = bundle ? ff_bundle_format_of(bundle->key) : FF_BUNDLE_NONE;
	bundle_reader r;
	struct archive *a = NULL;
	ff_bundle_index *ix = NULL;
	pending_member *pend = NULL;
	size_t		npend = 0;
	size_t		cap = 0;
	size_t		ord = 0;
	ff_code		code;

	*out = NULL;
	ff_status_clear(st);
	if (max_members == 0)
		max_members = FF_BUNDLE_DEFAULT_MAX_MEMBERS;
	if (fmt == FF_BUNDLE_NONE)
	{
		ff_status_set(st, FF_ERR_INVALID, "not a bundle (.zip, .tar.gz or .tgz): %s", bundle ? bundle->key : "(none)");
		ff_status_locate(st, bundle ? bundle->key : NULL, -1, -1);
		return st->code;
	}
	if (reader_init(&r, src, bundle, fmt) != FF_OK)
	{
		reader_free(&r);
		ff_status_set(st, FF_ERR_NOMEM, "out of memory indexing bundle %s", bundle->key);
		return st->code;
	}
	code = open_archive(&r, fmt, &a, st);
	if (code != FF_OK)
		goto done;

	for (;;)
	{
		struct archive_entry *e;
		char	   *path;
		uint64_t	size;
		bool		known;
		bool		capture;
		uint8_t    *data = NULL;

		code = next_entry(&r, a, &e, &path, st);
		if (code == FF_EOF)
		{
			code = FF_OK;
			break;
		}
		if (code != FF_OK)
			goto done;
		ord++;
		if (!entry_is_member(e))
		{
			free(path);
			continue;
		}
		if (npend >= max_members)
		{
			free(path);
			ff_status_clear(st);
			code = ff_status_set(st, FF_ERR_LIMIT, "the bundle has more than %zu members, the limit bundle_max_members",
								 max_members);
			st->limit = "bundle_max_members";
			ff_status_locate(st, r.key, -1, -1);
			goto done;
		}
		known = archive_entry_size_is_set(e) && archive_entry_size(e) >= 0;
		size = known ? (uint64_t) archive_entry_size(e) : 0;
		capture = want && want(path, size, arg) && (!known || size <= max_capture);
		if (capture || !known)
		{
			code = read_entry_data(&r, a, path, capture, max_capture, known, &size, &data, st);
			if (code != FF_OK)
			{
				free(path);
				goto done;
			}
		}
		if (npend == cap)
		{
			size_t		ncap = cap ? cap * 2 : 64;
			pending_member *p = realloc(pend, ncap * sizeof(*p));

			if (!p)
			{
				free(path);
				free(data);
				code = ff_status_set(st, FF_ERR_NOMEM, "out of memory indexing bundle %s", r.key);
				goto done;
			}
			pend = p;
			cap = ncap;
		}
		pend[npend].m.path = path;
		pend[npend].m.size = size;
		pend[npend].m.data = data;
		pend[npend].ord = ord;
		npend++;
	}

	ix = calloc(1, sizeof(*ix));
	if (ix && bundle->etag)
		ix->bundle_etag = strdup(bundle->etag);
	if (ix && npend > 0)
		ix->members = malloc(npend * sizeof(*ix->members));
	if (!ix || (bundle->etag && !ix->bundle_etag) || (npend > 0 && !ix->members))
	{
		code = ff_status_set(st, FF_ERR_NOMEM, "out of memory indexing bundle %s", r.key);
		goto done;
	}
	if (npend > 1)
		qsort(pend, npend, sizeof(*pend), cmp_pending);
	for (size_t i = 0; i < npend; i++)
	{
		if (i + 1 < npend && strcmp(pend[i].m.path, pend[i + 1].m.path) == 0)
		{
			/* an earlier duplicate: the last one wins */
			free(pend[i].m.path);
			free(pend[i].m.data);
			continue;
		}
		ix->members[ix->n++] = pend[i].m;
	}
	npend = 0;
	ix->format = fmt;
	ix->bundle_size = bundle->size;
	ix->bundle_mtime = bundle->mtime;
	ix->requests = r.requests;
	*out = ix;
	ix = NULL;

done:
	if (a)
		archive_read_free(a);
	free_pending(pend, npend);
	if (ix)
		ff_bundle_index_free(ix);
	reader_free(&r);
	return code;
}

const ff_bundle_member *
ff_bundle_index_find(const ff_bundle_index *ix, const char *path)
{
	size_t		lo = 0;
	size_t		hi = ix ? ix->n : 0;

	if (!path)
		return NULL;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(ix->members[mid].path, path);

		if (c == 0)
			return &ix->members[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- member streams ------------------------------------------------------------------- */

typedef struct member_stream
{
	ff_stream	base;
	bundle_reader r;
	struct archive *a;
	char	   *member;			/* normalized path */
	bool		known;			/* the header gave the size */
	uint64_t	size;
	uint64_t	delivered;
	bool		done;
	bool		failed;
	ff_status	failure;
} member_stream;

static ssize_t
member_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	member_stream *m = (member_stream *) s;
	la_ssize_t	k;

	if (m->failed)
	{
		*st = m->failure;
		return -1;
	}
	if (m->done || n == 0)
		return 0;
	if (n > (size_t) 1 << 30)
		n = (size_t) 1 << 30;
	k = archive_read_data(m->a, buf, n);
	if (k < 0)
	{
		report(&m->r, m->a, m->member, "is truncated or corrupt", (int64_t) m->delivered, &m->failure);
		m->failed = true;
		*st = m->failure;
		return -1;
	}
	if ((k == 0 && m->known && m->delivered != m->size) ||
		(m->known && m->delivered + (uint64_t) k > m->size))
	{
		char		object[512];

		snprintf(object, sizeof(object), "%s/%s", m->r.key, m->member);
		ff_status_clear(&m->failure);
		ff_status_set(&m->failure, FF_ERR_CORRUPT,
					  "bundle %s: member %s is truncated: %" PRIu64 " bytes, its header says %" PRIu64,
					  m->r.key, m->member, m->delivered + (uint64_t) k, m->size);
		ff_status_locate(&m->failure, object, -1, (int64_t) m->delivered);
		m->failed = true;
		*st = m->failure;
		return -1;
	}
	if (k == 0)
	{
		m->done = true;
		return 0;
	}
	m->delivered += (uint64_t) k;
	return (ssize_t) k;
}

static void
member_close(ff_stream *s)
{
	member_stream *m = (member_stream *) s;

	if (m->a)
		archive_read_free(m->a);
	reader_free(&m->r);
	free(m->member);
	free(m);
}

static uint64_t
member_stored_bytes(ff_stream *s)
{
	return ((member_stream *) s)->r.stored;
}

ff_code
ff_bundle_open_member(ff_source *src, const ff_object_info *bundle, const char *member_path,
					  ff_stream **out, ff_status *st)
{
	ff_bundle_format fmt = bundle ? ff_bundle_format_of(bundle->key) : FF_BUNDLE_NONE;
	member_stream *m;
	ff_code		code;

	*out = NULL;
	ff_status_clear(st);
	if (fmt == FF_BUNDLE_NONE || !member_path)
	{
		ff_status_set(st, FF_ERR_INVALID, "not a bundle (.zip, .tar.gz or .tgz): %s", bundle ? bundle->key : "(none)");
		ff_status_locate(st, bundle ? bundle->key : NULL, -1, -1);
		return st->code;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening a member of bundle %s", bundle->key);
	if (reader_init(&m->r, src, bundle, fmt) != FF_OK)
	{
		member_close(&m->base);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening a member of bundle %s", bundle->key);
	}
	code = normalize_path(member_path, &m->member);
	if (code != FF_OK)
	{
		member_close(&m->base);
		ff_status_set(st, code == FF_ERR_NOMEM ? FF_ERR_NOMEM : FF_ERR_NOT_FOUND, "bundle %s has no member %s",
					  bundle->key, member_path);
		ff_status_locate(st, bundle->key, -1, -1);
		return st->code;
	}
	m->base.read = member_read;
	m->base.close = member_close;
	m->base.stored_bytes = member_stored_bytes;
	code = open_archive(&m->r, fmt, &m->a, st);
	while (code == FF_OK)
	{
		struct archive_entry *e;
		char	   *path;

		code = next_entry(&m->r, m->a, &e, &path, st);
		if (code == FF_EOF)
		{
			char		object[512];

			snprintf(object, sizeof(object), "%s/%s", m->r.key, m->member);
			ff_status_clear(st);
			code = ff_status_set(st, FF_ERR_NOT_FOUND, "bundle %s has no member %s", m->r.key, m->member);
			ff_status_locate(st, object, -1, -1);
			break;
		}
		if (code != FF_OK)
			break;
		if (entry_is_member(e) && strcmp(path, m->member) == 0)
		{
			free(path);
			m->known = archive_entry_size_is_set(e) && archive_entry_size(e) >= 0;
			m->size = m->known ? (uint64_t) archive_entry_size(e) : 0;
			*out = &m->base;
			return FF_OK;
		}
		free(path);
	}
	member_close(&m->base);
	return code;
}
