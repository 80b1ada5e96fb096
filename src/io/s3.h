/*
 * s3.h — an S3 client: where requests go (endpoint, region, path- or virtual-hosted
 * style), what signs them (static, environment or instance credentials, or none), and the
 * requests forensic_fdw needs: ListObjectsV2 page by page, HEAD, GET of small objects
 * (alone or many at once), and ranged GETs for the reader (io/s3_reader.c). Every request
 * retries connection failures, timeouts, 429, 500, 502, 503, 504 and SlowDown with
 * exponential backoff and jitter; a body cut off mid-transfer resumes from the byte reached
 * (with If-Match on the ETag). Errors name the object, the HTTP status and S3's code and
 * message, never a secret.
 */
#ifndef FF_IO_S3_H
#define FF_IO_S3_H

#include "io/s3_xml.h"

typedef enum ff_s3_cred_source
{
	FF_S3_CRED_STATIC,			/* access_key_id / secret_access_key [/ session_token] */
	FF_S3_CRED_ANONYMOUS,		/* unsigned requests (public buckets) */
	FF_S3_CRED_ENV,				/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN */
	FF_S3_CRED_INSTANCE			/* EC2 instance metadata (IMDSv2) */
} ff_s3_cred_source;

typedef struct ff_s3_config
{
	const char *bucket;
	const char *prefix;			/* "" or ending with '/' */
	const char *region;			/* "us-east-1" */
	const char *endpoint;		/* "http(s)://host[:port]"; NULL: https://s3.<region>.amazonaws.com */
	bool		virtual_style;	/* bucket in the host name rather than the path */
	long		connect_timeout_ms;
	long		request_timeout_ms;	/* a request with no byte for this long is retried */
	int			max_retries;
	bool		requester_pays;
	ff_s3_cred_source cred_source;
	const char *access_key_id;	/* FF_S3_CRED_STATIC */
	const char *secret_access_key;
	const char *session_token;	/* may be NULL */
	const char *imds_endpoint;	/* FF_S3_CRED_INSTANCE; NULL: http://169.254.169.254 */
	size_t		part_size;		/* bytes per ranged GET of the reader */
	int			max_requests;	/* concurrent requests of a reader or a batch */
	int			list_page_size;	/* keys per listing page; 0: S3's default (1000) */
	ff_cancel_fn cancel;
} ff_s3_config;

typedef struct ff_s3_client ff_s3_client;

/* Copies the configuration. For ENV and INSTANCE credentials, fetches them now. */
ff_code		ff_s3_client_new(const ff_s3_config *cfg, ff_s3_client **out, ff_status *st);
void		ff_s3_client_free(ff_s3_client *c);
const ff_s3_config *ff_s3_client_config(const ff_s3_client *c);
/* "s3://bucket/prefix/" */
const char *ff_s3_client_location(const ff_s3_client *c);

/*
 * Every object whose key starts with the client's prefix + sub_prefix, page by page
 * (max_keys per page, 0 for S3's default of 1000). Keys given to fn are relative to the
 * client's prefix. Memory: one page at a time.
 */
ff_code		ff_s3_list(ff_s3_client *c, const char *sub_prefix, int max_keys,
					   ff_s3_object_fn fn, void *arg, ff_status *st);

/* HEAD of a key (relative to the prefix): its size and ETag (quotes included). */
ff_code		ff_s3_head(ff_s3_client *c, const char *key, uint64_t *size, char *etag,
					   size_t etag_size, ff_status *st);

/* GET of a whole object of at most max_bytes into a malloc'ed, NUL-terminated buffer. */
ff_code		ff_s3_get(ff_s3_client *c, const char *key, size_t max_bytes, char **data,
					  size_t *len, ff_status *st);

/*
 * GET of many small objects, up to twice max_requests at once (at most 32: small objects
 * are bound by latency, not bandwidth). fn receives each result as it
 * completes (data malloc'ed and handed over, or NULL with a status). Returns a failure only
 * for cancel or out of memory; failures of single objects go to fn.
 */
typedef void (*ff_s3_fetched_fn) (void *arg, size_t index, char *data, size_t len,
								  const ff_status *st);
ff_code		ff_s3_get_many(ff_s3_client *c, const char *const *keys, size_t n, size_t max_bytes,
						   ff_s3_fetched_fn fn, void *arg, ff_status *st);

/* ---- for io/s3_reader.c: one request, retried ---------------------------------------- */

typedef struct ff_http_xfer ff_http_xfer;

typedef enum ff_s3_op_state
{
	FF_S3_OP_IDLE,				/* not started, or waiting for its retry time */
	FF_S3_OP_RUNNING,
	FF_S3_OP_DONE,
	FF_S3_OP_FAILED				/* st says why */
} ff_s3_op_state;

typedef struct ff_s3_op
{
	/* what to ask */
	const char *method;			/* "GET" or "HEAD" */
	char		key[1024];		/* relative to the prefix; "" for a listing */
	char	   *query;			/* canonical query string (malloc'ed) or NULL */
	bool		ranged;
	uint64_t	range_from;		/* inclusive */
	uint64_t	range_to;
	char		if_match[130];	/* expected ETag or "" (learnt from the first response) */
	char	   *sink;			/* ranged: where the range's bytes go (range length bytes) */
	size_t		max_body;		/* not ranged: largest body */

	/* progress */
	ff_s3_op_state state;
	int			attempts;
	int64_t		not_before_ms;	/* retry time (ff_http_now_ms) */
	size_t		got;			/* ranged: bytes of earlier attempts in sink (resume point) */
	ff_http_xfer *x;
	char	   *body;			/* not ranged, after DONE: the body (malloc'ed) */
	size_t		body_len;
	uint64_t	object_size;	/* from Content-Range / Content-Length when known */
	int64_t		server_date;	/* the response's Date header (Unix seconds), 0 if none */
	ff_status	st;				/* FAILED: why */
} ff_s3_op;

/* Initialize a GET of key (relative to the prefix); ranged when to >= from. */
void		ff_s3_op_init_get(ff_s3_op *op, const char *key, const char *etag);
void		ff_s3_op_set_range(ff_s3_op *op, uint64_t from, uint64_t to, char *sink);
/* Start it if it is idle and its retry time has come. FF_OK also when nothing to do. */
ff_code		ff_s3_op_kick(ff_s3_client *c, ff_s3_op *op, ff_status *st);
/* After a transfer ended: DONE, FAILED or IDLE (to retry later). */
void		ff_s3_op_settle(ff_s3_client *c, ff_s3_op *op);
/* Ranged: bytes of the range that may be consumed now (verified ETag only). */
size_t		ff_s3_op_available(const ff_s3_op *op);
/* Drop the transfer and buffers (not sink). */
void		ff_s3_op_reset(ff_s3_op *op);

/* What forensic_fdw_check() learns from one listing page of the location. */
typedef struct ff_s3_probe
{
	int64_t		server_date;	/* S3's clock (Date header), 0 if not known */
	size_t		n_objects;		/* on the first page */
	bool		truncated;		/* more pages exist */
	char		manifest_key[1024];	/* the first "*.manifest[.gz]" of the page, or "" */
	int64_t		elapsed_ms;
} ff_s3_probe;

/* List the first page (1000 keys) under the prefix; fills out even on failure where it can. */
ff_code		ff_s3_probe_listing(ff_s3_client *c, ff_s3_probe *out, ff_status *st);

#endif
