/*
 * s3_sign.h — AWS Signature Version 4 for S3 requests, over OpenSSL: percent-encoding of
 * path segments and query strings, the canonical (sorted, encoded) query string that is
 * both signed and sent, and the Authorization header value. No I/O here: io/s3.c builds
 * requests with these and sends them with libcurl.
 */
#ifndef FF_IO_S3_SIGN_H
#define FF_IO_S3_SIGN_H

#include <time.h>

#include "common/buf.h"

/*
 * Append s[0..len) percent-encoded as SigV4 wants: the RFC 3986 unreserved characters
 * A-Z a-z 0-9 - _ . ~ stay, every other byte becomes %XX (uppercase hex); '/' stays when
 * keep_slash (path), else it is encoded too (query names and values). False on malloc failure.
 */
bool		ff_s3_uri_encode(ff_buf *out, const char *s, size_t len, bool keep_slash);

typedef struct ff_s3_param
{
	const char *name;			/* raw (not encoded) */
	const char *value;			/* raw; "" for a parameter without value ("?lifecycle") */
} ff_s3_param;

/*
 * The canonical query string: each name and value encoded (ff_s3_uri_encode, '/' encoded),
 * pairs sorted by encoded name then encoded value, "name=value" joined with '&'. The same
 * string goes on the wire, so what is signed is what is sent. Appends to out.
 */
bool		ff_s3_canonical_query(ff_buf *out, const ff_s3_param *params, size_t n);

typedef struct ff_s3_header
{
	const char *name;			/* any case; signed as lowercase */
	const char *value;			/* leading/trailing blanks trimmed, inner runs of blanks
								 * collapsed to one when signed */
} ff_s3_header;

typedef struct ff_s3_sign_request
{
	const char *method;			/* "GET", "HEAD", "PUT" */
	const char *canonical_uri;	/* the encoded path as sent, e.g. "/bucket/a%20b.txt" */
	const char *canonical_query;	/* from ff_s3_canonical_query; "" when none */
	const ff_s3_header *headers;	/* every header to sign: must include host and
									 * x-amz-date; x-amz-content-sha256 and
									 * x-amz-security-token when sent */
	size_t		n_headers;
	const char *payload_hash;	/* lowercase hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
	const char *amz_date;		/* "YYYYMMDDTHHMMSSZ" (the x-amz-date value) */
	const char *region;			/* "us-east-1" */
	const char *service;		/* "s3" */
	const char *access_key_id;
	const char *secret_access_key;
} ff_s3_sign_request;

/*
 * Compute the signature. On FF_OK, the Authorization header value is appended to
 * `authorization` (each output is appended to; on failure it is left as it was):
 * "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=h1;h2,Signature=HEX". When not NULL, canonical_request and string_to_sign
 * receive those intermediate texts (for tests and debugging; they hold no secret).
 * Fails with FF_ERR_INVALID for a missing field or malformed amz_date, FF_ERR_NOMEM.
 * The secret never appears in st->message.
 */
ff_code		ff_s3_sign(const ff_s3_sign_request *r, ff_buf *authorization,
					   ff_buf *canonical_request, ff_buf *string_to_sign, ff_status *st);

/* "YYYYMMDDTHHMMSSZ" for t in UTC (out has room for 17 bytes). */
void		ff_s3_amz_date(time_t t, char out[17]);

/* Lowercase hex SHA-256 of data (out has room for 65 bytes). */
void		ff_sha256_hex(const void *data, size_t len, char out[65]);

#endif
