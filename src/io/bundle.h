/*
 * bundle.h — bundles (<epoch>.zip, <epoch>.tar.gz, .tgz) read with libarchive straight from
 * a source: an index of their members (regular files, with the small ones captured in
 * memory) and a stream of one member's bytes. Zip is read from its central directory through
 * ranged opens of the source; tar.gz in one sequential pass. No temporary files: memory is
 * bounded by a few buffers (plus libarchive's own state and the captured members).
 */
#ifndef FF_IO_BUNDLE_H
#define FF_IO_BUNDLE_H

#include "io/source.h"

typedef enum ff_bundle_format
{
	FF_BUNDLE_NONE = 0,
	FF_BUNDLE_TAR_GZ,
	FF_BUNDLE_ZIP
} ff_bundle_format;

/* From the key's suffix: ".tar.gz", ".tgz", ".zip" (ASCII case-insensitive). */
ff_bundle_format ff_bundle_format_of(const char *key);

/* Members per bundle when the caller gives 0 (the server option bundle_max_members). */
#define FF_BUNDLE_DEFAULT_MAX_MEMBERS 100000

typedef struct ff_bundle_member
{
	char	   *path;			/* normalized: no leading "./" or "/", no trailing "/", no ".."
								 * component (a member with one is refused: FF_ERR_CORRUPT) */
	uint64_t	size;			/* uncompressed bytes */
	uint8_t    *data;			/* captured content (malloc'ed) or NULL */
} ff_bundle_member;

typedef struct ff_bundle_index
{
	ff_bundle_format format;
	ff_bundle_member *members;	/* regular files only, sorted by path (strcmp); duplicates:
								 * the last one wins */
	size_t		n;
	uint64_t	bundle_size;	/* stored size of the bundle when indexed */
	int64_t		bundle_mtime;
	char	   *bundle_etag;	/* may be NULL */
	unsigned	requests;		/* source opens (ranged reads) it took to build the index */
} ff_bundle_index;

/* Which members to capture in memory while indexing (e.g. manifests and .meta lines). */
typedef bool (*ff_bundle_want_fn) (const char *path, uint64_t size, void *arg);

/*
 * Index a bundle of the source (its listing entry `bundle`): list its members and capture the
 * wanted ones (each at most max_capture bytes; a bigger wanted member is listed, not captured).
 * want may be NULL (capture nothing). A captured empty member has a non-NULL data.
 * A bundle of more than max_members members (0: FF_BUNDLE_DEFAULT_MAX_MEMBERS) fails with
 * FF_ERR_LIMIT (st->limit "bundle_max_members") as soon as it is seen to have that many: the
 * index keeps every member's path, so this bounds its memory.
 * Zip: libarchive's seekable zip reader over read+seek callbacks that open the source at an
 * offset (ff_source_open(src, key, offset, ...)); the central directory is read from the end,
 * and a small read-ahead buffer keeps the number of opens per bundle small: measured in
 * index->requests. tar.gz/tgz: one sequential pass (gzip filter).
 * Entries that are not regular files (directories, links) are not members.
 */
ff_code		ff_bundle_index_read(ff_source *src, const ff_object_info *bundle, ff_bundle_want_fn want,
								 void *arg, size_t max_capture, size_t max_members, ff_bundle_index **out,
								 ff_status *st);
void		ff_bundle_index_free(ff_bundle_index *ix);
/* Binary search by normalized path; NULL if absent. */
const ff_bundle_member *ff_bundle_index_find(const ff_bundle_index *ix, const char *path);

/*
 * A stream of one member's (decompressed by the bundle format, NOT gunzipped: the caller adds
 * gzip detection as for any object) bytes: zip seeks to the member; tar.gz reads from the
 * start and skips to it. FF_ERR_NOT_FOUND when the bundle has no such member. The stream owns
 * everything (source stream, archive reader) and frees it on close; the source must outlive it.
 * When a bundle holds the same path twice, this opens the first (the index keeps the last).
 */
ff_code		ff_bundle_open_member(ff_source *src, const ff_object_info *bundle, const char *member_path,
								  ff_stream **out, ff_status *st);

#endif
