/*
 * source.h — where archive objects live: a listing of keys and a way to open one as a
 * stream. Keys are '/'-separated paths relative to the location (no leading '/').
 * Implementations: local directory (source_local.c); S3 comes later behind the same ops.
 */
#ifndef FF_IO_SOURCE_H
#define FF_IO_SOURCE_H

#include "io/stream.h"

typedef struct ff_object_info
{
	char	   *key;			/* malloc'ed */
	uint64_t	size;			/* bytes stored */
	int64_t		mtime;			/* seconds since the Unix epoch (0 if unknown) */
	char	   *etag;			/* malloc'ed, quotes included; NULL when the source has none */
} ff_object_info;

typedef struct ff_listing
{
	ff_object_info *items;		/* sorted by key (strcmp) */
	size_t		n;
	size_t		cap;
} ff_listing;

void		ff_listing_free(ff_listing *l);
/* Binary search by exact key; NULL if absent. */
const ff_object_info *ff_listing_find(const ff_listing *l, const char *key);
/* For source implementations: append a copy of key (false on malloc failure), then sort. */
bool		ff_listing_add(ff_listing *l, const char *key, uint64_t size, int64_t mtime);
/* Set the ETag of the last item added (false on malloc failure). */
bool		ff_listing_set_etag(ff_listing *l, const char *etag);
void		ff_listing_sort(ff_listing *l);

typedef struct ff_source ff_source;

/*
 * A read-ahead plan: the objects a scan is going to open, in order. A source that reads
 * over the network fetches the next objects' bytes while the current one is decoded
 * (bounded by its own limits); opening an object through the plan takes what was fetched.
 * Opening a key the plan does not expect next still works (it is read on its own).
 * Close every stream opened through a plan before freeing the plan.
 */
typedef struct ff_read_plan ff_read_plan;

typedef struct ff_source_ops
{
	/* Every object under the location (recursively), sorted by key. */
	ff_code		(*list) (ff_source *src, ff_listing *out, ff_status *st);
	/* Open an object for sequential reading from byte `offset`. */
	ff_code		(*open) (ff_source *src, const char *key, uint64_t offset, ff_stream **out,
						 ff_status *st);
	void		(*destroy) (ff_source *src);
	/*
	 * Optional: open for reading at most `length` bytes from `offset` (the stream may end
	 * there). A source over the network asks for just those bytes; NULL: open().
	 */
	ff_code		(*open_range) (ff_source *src, const char *key, uint64_t offset, uint64_t length,
							   ff_stream **out, ff_status *st);

	/* Optional (NULL: no read-ahead). Keys must be in the listing list() last returned. */
	ff_code		(*plan_new) (ff_source *src, const char *const *keys, size_t n,
							 ff_read_plan **out, ff_status *st);
	ff_code		(*plan_open) (ff_read_plan *plan, const char *key, ff_stream **out,
							  ff_status *st);
	void		(*plan_free) (ff_read_plan *plan);

	/*
	 * Optional: fetch these small objects now, concurrently, and keep them until each is
	 * opened once (n = 0 drops what was not opened). A failure here is not final: open()
	 * tries again and reports it.
	 */
	ff_code		(*preload) (ff_source *src, const char *const *keys, size_t n, ff_status *st);
} ff_source_ops;

struct ff_source
{
	const ff_source_ops *ops;
	char	   *location;		/* as the user wrote it, for messages */
	ff_cancel_fn cancel;		/* may be NULL */
};

static inline ff_code ff_source_list(ff_source *s, ff_listing *out, ff_status *st) { return s->ops->list(s, out, st); }
static inline ff_code ff_source_open(ff_source *s, const char *key, uint64_t offset, ff_stream **out, ff_status *st) { return s->ops->open(s, key, offset, out, st); }
/* open_range where the source has it, else open(): the stream may go on past length bytes. */
static inline ff_code ff_source_open_range(ff_source *s, const char *key, uint64_t offset, uint64_t length, ff_stream **out, ff_status *st) { return s->ops->open_range ? s->ops->open_range(s, key, offset, length, out, st) : s->ops->open(s, key, offset, out, st); }
static inline void ff_source_destroy(ff_source *s) { if (s) s->ops->destroy(s); }

/* A plan, or *out = NULL when the source does not read ahead (then open plainly). */
ff_code		ff_source_plan_new(ff_source *s, const char *const *keys, size_t n,
							   ff_read_plan **out, ff_status *st);
/* Open through the plan when there is one, else plainly. */
ff_code		ff_source_plan_open(ff_source *s, ff_read_plan *plan, const char *key,
								ff_stream **out, ff_status *st);
void		ff_source_plan_free(ff_source *s, ff_read_plan *plan);
ff_code		ff_source_preload(ff_source *s, const char *const *keys, size_t n, ff_status *st);

/*
 * A local directory (absolute path). Keys never escape it: "..", absolute keys and
 * symlinks that resolve outside the root are refused with FF_ERR_INVALID.
 * Fails with FF_ERR_NOT_FOUND if the directory does not exist.
 */
ff_code		ff_source_local_new(const char *root, ff_cancel_fn cancel, ff_source **out, ff_status *st);

/*
 * An S3 location (io/source_s3.c) over a client it takes ownership of. The listing that
 * list() fills must outlive the source's plans and opens (the catalog keeps both).
 */
typedef struct ff_s3_client ff_s3_client;
ff_code		ff_source_s3_new(ff_s3_client *client, ff_source **out, ff_status *st);

/* ---- bundles shown as objects (io/source_bundle.c; the bundle reader is io/bundle.h) ---- */

typedef struct ff_bundle_index ff_bundle_index;
typedef bool (*ff_bundle_want_fn) (const char *path, uint64_t size, void *arg);

typedef struct ff_bundle_store ff_bundle_store;	/* indexes of bundles, shared by successive sources of one location */
ff_bundle_store *ff_bundle_store_new(void);	/* NULL on OOM; refcount 1 */
void		ff_bundle_store_retain(ff_bundle_store *s);
void		ff_bundle_store_release(ff_bundle_store *s);	/* frees at 0 */

/*
 * Wrap `inner` (ownership taken, also on failure; destroyed with the wrapper; store retained).
 * list(): the inner listing plus, for every bundle of that listing indexed in the store whose
 * size and mtime (and ETag when both have one) still match, its members as keys
 * "<bundle key>/<member path>" (size = member size, mtime = the bundle's mtime, etag NULL; a
 * real key of the same name wins); stale indexes, and those of bundles no longer listed, are
 * dropped from the store. open(key): a real key goes to the inner source; a member key is
 * served from the captured bytes when captured, else by ff_bundle_open_member (offset > 0:
 * skip that many bytes). plan_new/plan_open/plan_free: an inner plan over the real keys of
 * the plan; member keys are opened on their own. preload: real keys are passed to the inner
 * source, member keys ignored. The wrapper's location and cancel are the inner's.
 */
ff_code		ff_source_bundles_new(ff_source *inner, ff_bundle_store *store, ff_source **out, ff_status *st);
/*
 * Index these bundles (keys of the wrapper's last listing) into the store, capturing the
 * members `want` asks for (max_capture, max_members: as ff_bundle_index_read). A bundle whose
 * index in the store is still fresh is not read again.
 */
ff_code		ff_source_bundles_index(ff_source *wrapper, const char *const *bundle_keys, size_t n,
									ff_bundle_want_fn want, void *arg, size_t max_capture,
									size_t max_members, ff_status *st);
/*
 * Add to listing, the wrapper's last listing, the members of the bundles indexed since, as a
 * new listing would, without listing the inner source again. On failure listing is freed.
 */
ff_code		ff_source_bundles_add_members(ff_source *wrapper, ff_listing *listing, ff_status *st);
/* The store's index of a bundle of the last listing, if indexed and fresh; else NULL. */
const ff_bundle_index *ff_source_bundles_lookup(ff_source *wrapper, const char *bundle_key);
/* Total source opens spent on bundles since the wrapper was made (indexing + member opens). */
unsigned	ff_source_bundles_requests(ff_source *wrapper);


/* Is this source a bundle wrapper (ff_source_bundles_new)? */
bool		ff_source_is_bundles(const ff_source *s);

#endif
