/*
 * s3.c — the S3 client (see s3.h): addressing, signing with the current credentials,
 * one request as a retried operation (ff_s3_op), and on top of it listing, HEAD, GET of
 * small objects and batches of them. The reader of large objects is io/s3_reader.c.
 */
#include "io/s3.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/http.h"
#include "io/s3_credentials.h"
#include "io/s3_sign.h"

#define S3_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S3_BACKOFF_BASE_MS	100
#define S3_BACKOFF_CAP_MS	5000
#define S3_LIST_PAGE_MAX	(8 * 1024 * 1024)
#define S3_CREDS_REFRESH_S	300

struct ff_s3_client
{
	ff_s3_config cfg;			/* strings below are owned copies */
	char	   *bucket;
	char	   *prefix;
	char	   *region;
	char	   *scheme;			/* "https" */
	char	   *hostport;		/* endpoint host[:port] */
	char	   *imds_endpoint;
	char	   *location;		/* "s3://bucket/prefix" */
	ff_s3_creds creds;
};

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static ff_code
fetch_creds(ff_s3_client *c, ff_status *st)
{
	switch (c->cfg.cred_source)
	{
		case FF_S3_CRED_STATIC:
			return ff_s3_creds_set(&c->creds, c->cfg.access_key_id, c->cfg.secret_access_key,
								   c->cfg.session_token, 0, st);
		case FF_S3_CRED_ENV:
			return ff_s3_creds_from_env(&c->creds, st);
		case FF_S3_CRED_INSTANCE:
			return ff_s3_creds_from_imds(&c->creds, c->imds_endpoint,
										 c->cfg.connect_timeout_ms > 0 ? c->cfg.connect_timeout_ms : 2000,
										 c->cfg.cancel, st);
		case FF_S3_CRED_ANONYMOUS:
			break;
	}
	return FF_OK;
}

void
ff_s3_client_free(ff_s3_client *c)
{
	if (!c)
		return;
	ff_s3_creds_clear(&c->creds);
	free(c->bucket);
	free(c->prefix);
	free(c->region);
	free(c->scheme);
	free(c->hostport);
	free(c->imds_endpoint);
	free(c->location);
	free(c);
}

ff_code
ff_s3_client_new(const ff_s3_config *cfg, ff_s3_client **out, ff_status *st)
{
	ff_s3_client *c = calloc(1, sizeof(*c));
	const char *sep;
	ff_code		code;

	*out = NULL;
	if (!c)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating the S3 client");
	c->cfg = *cfg;
	c->bucket = strdup(cfg->bucket);
	c->prefix = strdup(cfg->prefix ? cfg->prefix : "");
	c->region = strdup(cfg->region && cfg->region[0] ? cfg->region : "us-east-1");
	c->imds_endpoint = dup_or_null(cfg->imds_endpoint);
	if (cfg->endpoint && cfg->endpoint[0])
	{
		sep = strstr(cfg->endpoint, "://");
		if (!sep)
		{
			ff_s3_client_free(c);
			return ff_status_set(st, FF_ERR_INVALID, "endpoint \"%s\" is not http(s)://host[:port]", cfg->endpoint);
		}
		c->scheme = strndup(cfg->endpoint, sep - cfg->endpoint);
		c->hostport = strdup(sep + 3);
		if (c->hostport)
			c->hostport[strcspn(c->hostport, "/")] = '\0';
	}
	else
	{
		char		host[256];

		snprintf(host, sizeof(host), "s3.%s.amazonaws.com", c->region);
		c->scheme = strdup("https");
		c->hostport = strdup(host);
	}
	if (c->bucket && c->prefix)
	{
		size_t		n = strlen(c->bucket) + strlen(c->prefix) + 8;

		if ((c->location = malloc(n)) != NULL)
			snprintf(c->location, n, "s3://%s/%s", c->bucket, c->prefix);
	}
	if (!c->bucket || !c->prefix || !c->region || !c->scheme || !c->hostport || !c->location ||
		(cfg->imds_endpoint && !c->imds_endpoint))
	{
		ff_s3_client_free(c);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating the S3 client");
	}
	c->cfg.bucket = c->bucket;
	c->cfg.prefix = c->prefix;
	c->cfg.region = c->region;
	c->cfg.imds_endpoint = c->imds_endpoint;
	c->cfg.access_key_id = c->cfg.secret_access_key = c->cfg.session_token = NULL;
	c->cfg.endpoint = NULL;
	if (c->cfg.part_size < 65536)
		c->cfg.part_size = 65536;
	if (c->cfg.max_requests < 1)
		c->cfg.max_requests = 1;
	/* static credentials are copied here: cfg's pointers are not kept */
	c->cfg.cred_source = cfg->cred_source;
	if (cfg->cred_source == FF_S3_CRED_STATIC)
		code = ff_s3_creds_set(&c->creds, cfg->access_key_id ? cfg->access_key_id : "",
							   cfg->secret_access_key ? cfg->secret_access_key : "",
							   cfg->session_token, 0, st);
	else
		code = fetch_creds(c, st);
	if (code != FF_OK)
	{
		ff_s3_client_free(c);
		return code;
	}
	*out = c;
	return FF_OK;
}

const ff_s3_config *
ff_s3_client_config(const ff_s3_client *c)
{
	return &c->cfg;
}

const char *
ff_s3_client_location(const ff_s3_client *c)
{
	return c->location;
}

/* ---- one request ---------------------------------------------------------------------- */

void
ff_s3_op_init_get(ff_s3_op *op, const char *key, const char *etag)
{
	memset(op, 0, sizeof(*op));
	op->method = "GET";
	snprintf(op->key, sizeof(op->key), "%s", key);
	snprintf(op->if_match, sizeof(op->if_match), "%s", etag ? etag : "");
	op->state = FF_S3_OP_IDLE;
	ff_status_clear(&op->st);
}

void
ff_s3_op_set_range(ff_s3_op *op, uint64_t from, uint64_t to, char *sink)
{
	op->ranged = true;
	op->range_from = from;
	op->range_to = to;
	op->sink = sink;
}

void
ff_s3_op_reset(ff_s3_op *op)
{
	ff_http_free(op->x);
	op->x = NULL;
	free(op->body);
	op->body = NULL;
	free(op->query);
	op->query = NULL;
}

/* The object's path and the URL (encoded) for op. */
static bool
build_target(const ff_s3_client *c, const ff_s3_op *op, ff_buf *url, ff_buf *path, ff_buf *host)
{
	bool		ok = true;

	if (c->cfg.virtual_style)
	{
		ok &= ff_buf_printf(host, "%s.%s", c->bucket, c->hostport);
		ok &= ff_buf_append_str(path, "/");
	}
	else
	{
		ok &= ff_buf_append_str(host, c->hostport);
		ok &= ff_buf_append_str(path, "/");
		ok &= ff_s3_uri_encode(path, c->bucket, strlen(c->bucket), false);
		if (op->key[0])
			ok &= ff_buf_append_str(path, "/");
	}
	if (op->key[0])
	{
		ok &= ff_s3_uri_encode(path, c->prefix, strlen(c->prefix), true);
		ok &= ff_s3_uri_encode(path, op->key, strlen(op->key), true);
	}
	if (!ok)
		return false;
	ok &= ff_buf_printf(url, "%s://%s%s", c->scheme, host->data, path->data);
	if (op->query && op->query[0])
		ok &= ff_buf_printf(url, "?%s", op->query);
	return ok;
}

static ff_code
refresh_creds_if_needed(ff_s3_client *c, ff_status *st)
{
	if (c->cfg.cred_source != FF_S3_CRED_INSTANCE)
		return FF_OK;
	if (c->creds.access_key_id && (c->creds.expires == 0 ||
								   c->creds.expires - (int64_t) time(NULL) > S3_CREDS_REFRESH_S))
		return FF_OK;
	return fetch_creds(c, st);
}

ff_code
ff_s3_op_kick(ff_s3_client *c, ff_s3_op *op, ff_status *st)
{
	ff_buf		url,
				path,
				host,
				auth;
	ff_buf		lines[8];		/* "name: value", each its own buffer (tokens run to kBs) */
	const char *hdrs[9];
	ff_s3_header sh[8];
	size_t		nh = 0;
	char		amz_date[17];
	ff_http_request req;
	ff_code		code = FF_OK;
	bool		with_auth = false;

	if (op->state != FF_S3_OP_IDLE || ff_http_now_ms() < op->not_before_ms)
		return FF_OK;
	if ((code = refresh_creds_if_needed(c, st)) != FF_OK)
		return code;
	ff_buf_init(&url);
	ff_buf_init(&path);
	ff_buf_init(&host);
	ff_buf_init(&auth);
	if (!build_target(c, op, &url, &path, &host))
	{
		code = ff_status_set(st, FF_ERR_NOMEM, "out of memory building an S3 request");
		goto done;
	}

	ff_s3_amz_date(time(NULL), amz_date);
#define ADD_HEADER(n, ...) do { \
		ff_buf_init(&lines[nh]); \
		if (!ff_buf_printf(&lines[nh], __VA_ARGS__)) \
		{ \
			ff_buf_free(&lines[nh]); \
			code = ff_status_set(st, FF_ERR_NOMEM, "out of memory building an S3 request"); \
			goto done; \
		} \
		sh[nh].name = n; \
		sh[nh].value = lines[nh].data + strlen(n) + 2; \
		hdrs[nh] = lines[nh].data; \
		nh++; \
	} while (0)
	ADD_HEADER("host", "host: %s", host.data);
	ADD_HEADER("x-amz-date", "x-amz-date: %s", amz_date);
	ADD_HEADER("x-amz-content-sha256", "x-amz-content-sha256: %s", S3_EMPTY_SHA256);
	if (op->ranged)
		ADD_HEADER("range", "range: bytes=%" PRIu64 "-%" PRIu64, op->range_from + op->got, op->range_to);
	if (op->if_match[0])
		ADD_HEADER("if-match", "if-match: %s", op->if_match);
	if (c->cfg.requester_pays)
		ADD_HEADER("x-amz-request-payer", "x-amz-request-payer: %s", "requester");
	if (c->cfg.cred_source != FF_S3_CRED_ANONYMOUS && c->creds.session_token)
		ADD_HEADER("x-amz-security-token", "x-amz-security-token: %s", c->creds.session_token);
#undef ADD_HEADER

	if (c->cfg.cred_source != FF_S3_CRED_ANONYMOUS)
	{
		ff_s3_sign_request sr;

		memset(&sr, 0, sizeof(sr));
		sr.method = op->method;
		sr.canonical_uri = path.data;
		sr.canonical_query = op->query ? op->query : "";
		sr.headers = sh;
		sr.n_headers = nh;
		sr.payload_hash = S3_EMPTY_SHA256;
		sr.amz_date = amz_date;
		sr.region = c->region;
		sr.service = "s3";
		sr.access_key_id = c->creds.access_key_id;
		sr.secret_access_key = c->creds.secret_access_key;
		if (!ff_buf_append_str(&auth, "Authorization: ") ||
			(code = ff_s3_sign(&sr, &auth, NULL, NULL, st)) != FF_OK)
		{
			if (code == FF_OK)
				code = ff_status_set(st, FF_ERR_NOMEM, "out of memory signing an S3 request");
			goto done;
		}
		hdrs[nh] = auth.data;
		with_auth = true;
	}

	memset(&req, 0, sizeof(req));
	req.method = op->method;
	req.url = url.data;
	req.headers = hdrs;
	req.n_headers = nh + (with_auth ? 1 : 0);
	req.connect_timeout_ms = c->cfg.connect_timeout_ms;
	req.stall_timeout_ms = c->cfg.request_timeout_ms;
	if (op->ranged)
	{
		req.sink = op->sink + op->got;
		req.sink_cap = (size_t) (op->range_to - op->range_from + 1) - op->got;
		req.require_206 = true;
	}
	else
		req.max_body = op->max_body;
	code = ff_http_start(&req, &op->x, st);
	if (code == FF_OK)
	{
		op->state = FF_S3_OP_RUNNING;
		op->attempts++;
	}

done:
	for (size_t i = 0; i < nh; i++)
	{
		memset(lines[i].data, 0, lines[i].len);	/* the session token is among them */
		ff_buf_free(&lines[i]);
	}
	if (auth.data)
		memset(auth.data, 0, auth.len);
	ff_buf_free(&url);
	ff_buf_free(&path);
	ff_buf_free(&host);
	ff_buf_free(&auth);
	return code;
}

static bool
etag_matches(const ff_s3_op *op)
{
	const char *e = ff_http_header(op->x, "ETag");

	return !op->if_match[0] || !e || strcmp(e, op->if_match) == 0;
}

size_t
ff_s3_op_available(const ff_s3_op *op)
{
	size_t		n = op->got;

	if (op->x && (ff_http_status(op->x) == 206) && etag_matches(op))
		n += ff_http_body_len(op->x);
	return n;
}

static bool
retryable_status(long status, const char *code)
{
	return status == 500 || status == 502 || status == 503 || status == 504 || status == 429 ||
		strcmp(code, "SlowDown") == 0 || strcmp(code, "RequestTimeout") == 0 ||
		strcmp(code, "InternalError") == 0;
}

/* Words for an S3 error: what happened and what to do, from the status and the error code. */
static void
describe_failure(ff_s3_client *c, ff_s3_op *op, long status, const ff_s3_error *e)
{
	const char *region_hdr = ff_http_header(op->x, "x-amz-bucket-region");
	const char *what = op->key[0] ? "object" : "bucket";
	char		s3says[400];
	ff_code		code = FF_ERR_IO;
	char		msg[1024];

	if (e->code[0])
		snprintf(s3says, sizeof(s3says), "HTTP %ld %s: %s", status, e->code, e->message);
	else
		snprintf(s3says, sizeof(s3says), "HTTP %ld", status);

	if ((e->region[0] || (region_hdr && region_hdr[0])) &&
		(status == 301 || status == 400 || strcmp(e->code, "AuthorizationHeaderMalformed") == 0))
	{
		const char *r = e->region[0] ? e->region : region_hdr;

		code = FF_ERR_INVALID;
		snprintf(msg, sizeof(msg), "bucket \"%s\" is in region \"%s\", not \"%s\" (%s)",
				 c->bucket, r, c->region, s3says);
	}
	else if (status == 301 || status == 307)
	{
		code = FF_ERR_INVALID;
		snprintf(msg, sizeof(msg), "S3 redirects requests for bucket \"%s\" elsewhere%s%s (%s)",
				 c->bucket, e->endpoint[0] ? " to " : "", e->endpoint, s3says);
	}
	else if (strcmp(e->code, "NoSuchBucket") == 0)
	{
		code = FF_ERR_NOT_FOUND;
		snprintf(msg, sizeof(msg), "bucket \"%s\" does not exist (%s)", c->bucket, s3says);
	}
	else if (status == 404)
	{
		code = FF_ERR_NOT_FOUND;
		snprintf(msg, sizeof(msg), "%s does not exist (%s)", what, s3says);
	}
	else if (strcmp(e->code, "InvalidAccessKeyId") == 0)
	{
		code = FF_ERR_DENIED;
		snprintf(msg, sizeof(msg), "the access key id is not known to the S3 service (%s)", s3says);
	}
	else if (strcmp(e->code, "SignatureDoesNotMatch") == 0)
	{
		code = FF_ERR_DENIED;
		snprintf(msg, sizeof(msg), "the secret access key does not belong to the access key id (%s)", s3says);
	}
	else if (strcmp(e->code, "InvalidToken") == 0 || strcmp(e->code, "ExpiredToken") == 0)
	{
		code = FF_ERR_DENIED;
		snprintf(msg, sizeof(msg), "the session token is invalid or expired (%s)", s3says);
	}
	else if (strcmp(e->code, "RequestTimeTooSkewed") == 0)
	{
		code = FF_ERR_DENIED;
		snprintf(msg, sizeof(msg), "the database server's clock differs from S3's by more than 15 minutes (%s)", s3says);
	}
	else if (status == 401 || status == 403)
	{
		code = FF_ERR_DENIED;
		snprintf(msg, sizeof(msg), "access to the %s was denied (%s)", what, s3says);
	}
	else if (status == 412)
	{
		snprintf(msg, sizeof(msg), "the object changed while it was being read (its ETag is no longer %s)", op->if_match);
	}
	else if (status == 200 && op->ranged)
	{
		snprintf(msg, sizeof(msg), "the server ignored the Range header (HTTP 200 instead of 206)");
	}
	else if (status == 416)
	{
		snprintf(msg, sizeof(msg), "the object is shorter than its listing said (%s)", s3says);
	}
	else
		snprintf(msg, sizeof(msg), "unexpected answer (%s)", s3says);

	ff_status_clear(&op->st);
	if (op->key[0])
		ff_status_locate(&op->st, op->key, -1, op->ranged ? (int64_t) (op->range_from + op->got) : -1);
	ff_status_set(&op->st, code, "%s", msg);
}

static void
schedule_retry(ff_s3_client *c, ff_s3_op *op, const char *why)
{
	uint64_t	ceiling;
	int			shift = op->attempts < 16 ? op->attempts - 1 : 15;

	if (op->attempts > c->cfg.max_retries)
	{
		ff_status_clear(&op->st);
		if (op->key[0])
			ff_status_locate(&op->st, op->key, -1, op->ranged ? (int64_t) (op->range_from + op->got) : -1);
		ff_status_set(&op->st, FF_ERR_UNAVAILABLE, "%s (gave up after %d attempts; the server option max_retries is %d)",
					  why, op->attempts, c->cfg.max_retries);
		op->state = FF_S3_OP_FAILED;
		return;
	}
	ceiling = (uint64_t) S3_BACKOFF_BASE_MS << (shift < 0 ? 0 : shift);
	if (ceiling > S3_BACKOFF_CAP_MS)
		ceiling = S3_BACKOFF_CAP_MS;
	/* "equal jitter": anywhere between half and all of the ceiling */
	op->not_before_ms = ff_http_now_ms() + (int64_t) (ceiling / 2 + (uint64_t) random() % (ceiling / 2 + 1));
	op->state = FF_S3_OP_IDLE;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 7231 IMF-fixdate) -> Unix seconds; 0 if not. */
static int64_t
parse_http_date(const char *v)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm	tm;
	char		mon[4];
	const char *m;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(v, "%*3s, %2d %3s %4d %2d:%2d:%2d", &tm.tm_mday, mon, &tm.tm_year,
			   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
		(m = strstr(months, mon)) == NULL || (m - months) % 3 != 0)
		return 0;
	tm.tm_mon = (int) (m - months) / 3;
	tm.tm_year -= 1900;
	return (int64_t) timegm(&tm);
}

void
ff_s3_op_settle(ff_s3_client *c, ff_s3_op *op)
{
	ff_http_xfer *x = op->x;
	long		status;
	ff_s3_error e;
	char		why[600];

	if (op->state != FF_S3_OP_RUNNING || !x || !ff_http_done(x))
		return;
	status = ff_http_status(x);
	memset(&e, 0, sizeof(e));
	if (ff_http_header(x, "Date"))
		op->server_date = parse_http_date(ff_http_header(x, "Date"));

	/* bytes of a cut-off 206 body are kept: the retry asks for the rest */
	if (op->ranged && status == 206 && etag_matches(op))
	{
		const char *et = ff_http_header(x, "ETag");

		op->got += ff_http_body_len(x);
		if (!op->if_match[0] && et)
			snprintf(op->if_match, sizeof(op->if_match), "%s", et);
	}

	if (ff_http_overflowed(x))
	{
		ff_status_clear(&op->st);
		if (op->key[0])
			ff_status_locate(&op->st, op->key, -1, -1);
		ff_status_set(&op->st, FF_ERR_LIMIT, op->ranged
					  ? "the server sent more bytes than the range asked for"
					  : "the object is larger than %zu bytes", op->max_body);
		op->state = FF_S3_OP_FAILED;
	}
	else if (ff_http_failed(x))
	{
		snprintf(why, sizeof(why), "%s", ff_http_transport_error(x));
		ff_http_free(x);
		op->x = NULL;
		schedule_retry(c, op, why);
		return;
	}
	else if (op->ranged && status == 206)
	{
		if (!etag_matches(op))
		{
			ff_status_clear(&op->st);
			ff_status_locate(&op->st, op->key, -1, (int64_t) (op->range_from + op->got));
			ff_status_set(&op->st, FF_ERR_IO, "the object changed while it was being read (ETag %s, was %s)",
						  ff_http_header(x, "ETag"), op->if_match);
			op->state = FF_S3_OP_FAILED;
		}
		else if (op->got < op->range_to - op->range_from + 1)
		{
			snprintf(why, sizeof(why), "short body: %zu of %" PRIu64 " bytes", op->got,
					 op->range_to - op->range_from + 1);
			ff_http_free(x);
			op->x = NULL;
			schedule_retry(c, op, why);
			return;
		}
		else
			op->state = FF_S3_OP_DONE;
	}
	else if (!op->ranged && status >= 200 && status < 300)
	{
		const char *cl = ff_http_header(x, "Content-Length");

		if (cl)
			op->object_size = strtoull(cl, NULL, 10);
		if (op->if_match[0] == '\0' && ff_http_header(x, "ETag"))
			snprintf(op->if_match, sizeof(op->if_match), "%s", ff_http_header(x, "ETag"));
		op->body = ff_http_take_body(x, &op->body_len);
		op->state = op->body ? FF_S3_OP_DONE : FF_S3_OP_FAILED;
		if (!op->body)
			ff_status_set(&op->st, FF_ERR_NOMEM, "out of memory");
	}
	else
	{
		const char *body = ff_http_body(x);

		if (body)
			ff_s3_parse_error(body, ff_http_body_len(x), &e);
		if (retryable_status(status, e.code))
		{
			if (e.code[0])
				snprintf(why, sizeof(why), "HTTP %ld %s: %s", status, e.code, e.message);
			else
				snprintf(why, sizeof(why), "HTTP %ld", status);
			ff_http_free(x);
			op->x = NULL;
			schedule_retry(c, op, why);
			return;
		}
		describe_failure(c, op, status, &e);
		op->state = FF_S3_OP_FAILED;
	}
	ff_http_free(x);
	op->x = NULL;
}

/* Run one op to the end (kick, wait, settle, back off). */
static ff_code
op_run(ff_s3_client *c, ff_s3_op *op, ff_status *st)
{
	for (;;)
	{
		ff_code		code;

		if (op->state == FF_S3_OP_DONE)
			return FF_OK;
		if (op->state == FF_S3_OP_FAILED)
		{
			*st = op->st;
			return st->code;
		}
		if (op->state == FF_S3_OP_IDLE)
		{
			int64_t		wait = op->not_before_ms - ff_http_now_ms();

			if (wait > 0 && (code = ff_http_sleep((int) wait, c->cfg.cancel, st)) != FF_OK)
				return code;
			if ((code = ff_s3_op_kick(c, op, st)) != FF_OK)
				return code;
			continue;
		}
		if ((code = ff_http_wait(op->x, c->cfg.cancel, st)) != FF_OK)
			return code;
		ff_s3_op_settle(c, op);
	}
}

/* ---- listing, HEAD, GET ----------------------------------------------------------------- */

/* Hands keys relative to the client's prefix to the caller's callback. */
typedef struct strip_ctx
{
	size_t		prefix_len;
	ff_s3_object_fn fn;
	void	   *arg;
} strip_ctx;

static bool
strip_prefix(void *arg, const char *key, uint64_t size, int64_t mtime, const char *etag)
{
	strip_ctx  *sc = arg;

	if (strlen(key) < sc->prefix_len)
		return true;			/* cannot happen: S3 lists keys under the prefix only */
	return sc->fn(sc->arg, key + sc->prefix_len, size, mtime, etag);
}

/*
 * One ListObjectsV2 page of the keys under `prefix` (the full key prefix), from `token`
 * (NULL: the first page). Keys go to fn relative to the client's prefix. page->next_token
 * is the caller's to free, also on failure.
 */
static ff_code
list_page(ff_s3_client *c, const char *prefix, int max_keys, const char *token,
		  ff_s3_object_fn fn, void *arg, ff_s3_list_page *page, int64_t *server_date,
		  ff_status *st)
{
	strip_ctx	sc = {strlen(c->prefix), fn, arg};
	ff_s3_op	op;
	ff_s3_param params[4];
	size_t		np = 0;
	char		mk[16];
	ff_buf		q;
	ff_code		code;

	memset(page, 0, sizeof(*page));
	ff_s3_op_init_get(&op, "", NULL);
	op.max_body = S3_LIST_PAGE_MAX;
	params[np++] = (ff_s3_param) {"list-type", "2"};
	params[np++] = (ff_s3_param) {"prefix", prefix};
	if (max_keys > 0)
	{
		snprintf(mk, sizeof(mk), "%d", max_keys);
		params[np++] = (ff_s3_param) {"max-keys", mk};
	}
	if (token)
		params[np++] = (ff_s3_param) {"continuation-token", token};
	ff_buf_init(&q);
	if (!ff_s3_canonical_query(&q, params, np))
	{
		ff_buf_free(&q);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory listing the bucket");
	}
	op.query = q.data;			/* handed over: freed by ff_s3_op_reset */
	code = op_run(c, &op, st);
	if (server_date)
		*server_date = op.server_date;
	if (code == FF_OK)
		code = ff_s3_parse_list(op.body, op.body_len, strip_prefix, &sc, page, st);
	ff_s3_op_reset(&op);
	return code;
}

ff_code
ff_s3_list(ff_s3_client *c, const char *sub_prefix, int max_keys, ff_s3_object_fn fn, void *arg,
		   ff_status *st)
{
	char	   *token = NULL;
	ff_code		code = FF_OK;
	ff_buf		prefix;

	ff_buf_init(&prefix);
	if (!ff_buf_printf(&prefix, "%s%s", c->prefix, sub_prefix ? sub_prefix : ""))
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory listing the bucket");
	for (;;)
	{
		ff_s3_list_page page;

		code = list_page(c, prefix.data, max_keys, token, fn, arg, &page, NULL, st);
		free(token);
		token = page.next_token;
		if (code == FF_OK && page.truncated && !token)
			code = ff_status_set(st, FF_ERR_CORRUPT, "a truncated listing page has no continuation token");
		if (code != FF_OK || !token)
			break;
		if (c->cfg.cancel && c->cfg.cancel())
		{
			code = ff_status_set(st, FF_ERR_CANCELED, "listing canceled");
			break;
		}
	}
	free(token);
	ff_buf_free(&prefix);
	return code;
}

ff_code
ff_s3_head(ff_s3_client *c, const char *key, uint64_t *size, char *etag, size_t etag_size,
		   ff_status *st)
{
	ff_s3_op	op;
	ff_code		code;

	ff_s3_op_init_get(&op, key, NULL);
	op.method = "HEAD";
	code = op_run(c, &op, st);
	if (code == FF_OK)
	{
		*size = op.object_size;
		if (etag)
			snprintf(etag, etag_size, "%s", op.if_match);
	}
	ff_s3_op_reset(&op);
	return code;
}

ff_code
ff_s3_get(ff_s3_client *c, const char *key, size_t max_bytes, char **data, size_t *len,
		  ff_status *st)
{
	ff_s3_op	op;
	ff_code		code;

	*data = NULL;
	*len = 0;
	ff_s3_op_init_get(&op, key, NULL);
	op.max_body = max_bytes;
	code = op_run(c, &op, st);
	if (code == FF_OK)
	{
		*data = op.body;
		*len = op.body_len;
		op.body = NULL;
	}
	ff_s3_op_reset(&op);
	return code;
}

ff_code
ff_s3_get_many(ff_s3_client *c, const char *const *keys, size_t n, size_t max_bytes,
			   ff_s3_fetched_fn fn, void *arg, ff_status *st)
{
	int			window = c->cfg.max_requests * 2;	/* small objects: latency bound */
	ff_s3_op   *ops;
	size_t	   *which;			/* per op: the index of the key it fetches */
	size_t		next = 0;
	size_t		finished = 0;
	ff_code		code = FF_OK;

	if (n == 0)
		return FF_OK;
	if (window > 32)
		window = 32;
	ops = calloc(window, sizeof(*ops));
	which = calloc(window, sizeof(*which));
	if (!ops || !which)
	{
		free(ops);
		free(which);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory fetching small objects");
	}
	for (int i = 0; i < window; i++)
		ops[i].state = FF_S3_OP_DONE;
	while (finished < n)
	{
		for (int i = 0; i < window; i++)
		{
			ff_s3_op   *op = &ops[i];

			if (op->state == FF_S3_OP_RUNNING)
				ff_s3_op_settle(c, op);
			if ((op->state == FF_S3_OP_DONE || op->state == FF_S3_OP_FAILED) && op->key[0])
			{
				if (op->state == FF_S3_OP_DONE)
				{
					fn(arg, which[i], op->body, op->body_len, NULL);
					op->body = NULL;
				}
				else
					fn(arg, which[i], NULL, 0, &op->st);
				ff_s3_op_reset(op);
				op->key[0] = '\0';
				finished++;
			}
			if ((op->state == FF_S3_OP_DONE || op->state == FF_S3_OP_FAILED) && next < n)
			{
				ff_s3_op_init_get(op, keys[next], NULL);
				op->max_body = max_bytes;
				which[i] = next++;
			}
			if (op->state == FF_S3_OP_IDLE && (code = ff_s3_op_kick(c, op, st)) != FF_OK)
				goto done;
		}
		if (finished < n && (code = ff_http_run(100, c->cfg.cancel, st)) != FF_OK)
			goto done;
	}
done:
	for (int i = 0; i < window; i++)
		ff_s3_op_reset(&ops[i]);
	free(ops);
	free(which);
	return code;
}

static bool
probe_object(void *arg, const char *key, uint64_t size, int64_t mtime, const char *etag)
{
	ff_s3_probe *out = arg;
	const char *base = strrchr(key, '/');
	size_t		n;

	(void) size;
	(void) mtime;
	(void) etag;
	base = base ? base + 1 : key;
	n = strlen(base);
	out->n_objects++;
	if (!out->manifest_key[0] &&
		((n > 9 && strcmp(base + n - 9, ".manifest") == 0) ||
		 (n > 12 && strcmp(base + n - 12, ".manifest.gz") == 0)))
		snprintf(out->manifest_key, sizeof(out->manifest_key), "%s", key);
	return true;
}

ff_code
ff_s3_probe_listing(ff_s3_client *c, ff_s3_probe *out, ff_status *st)
{
	ff_s3_list_page page;
	int64_t		t0 = ff_http_now_ms();
	ff_code		code;

	memset(out, 0, sizeof(*out));
	code = list_page(c, c->prefix, 0, NULL, probe_object, out, &page, &out->server_date, st);
	out->elapsed_ms = ff_http_now_ms() - t0;
	out->truncated = page.truncated;
	free(page.next_token);
	return code;
}
