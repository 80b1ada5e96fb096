/*
 * s3_sign.c — AWS Signature Version 4 for S3 over OpenSSL 3 (one-shot EVP_Digest and
 * HMAC): percent-encoding, the canonical query string, the canonical request, the string
 * to sign, the derived signing key and the Authorization header value. The secret only
 * ever feeds the first HMAC; every derived key is wiped before returning, and no message
 * quotes it.
 */
#include "io/s3_sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define S3_ALGORITHM		"AWS4-HMAC-SHA256"
#define S3_SCOPE_TERMINATOR	"aws4_request"
#define S3_SHA256_LEN		32

static const char s3_hex_upper[] = "0123456789ABCDEF";
static const char s3_hex_lower[] = "0123456789abcdef";

static bool
s3_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_' || c == '.' || c == '~';
}

static void
s3_hex(const unsigned char *bytes, size_t n, char *out)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		out[2 * i] = s3_hex_lower[bytes[i] >> 4];
		out[2 * i + 1] = s3_hex_lower[bytes[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

bool
ff_s3_uri_encode(ff_buf *out, const char *s, size_t len, bool keep_slash)
{
	size_t		i;
	char	   *p;

	if (len > (SIZE_MAX - 1) / 3 || !ff_buf_reserve(out, len * 3))
		return false;
	p = out->data + out->len;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (s3_unreserved(c) || (c == '/' && keep_slash))
			*p++ = (char) c;
		else
		{
			*p++ = '%';
			*p++ = s3_hex_upper[c >> 4];
			*p++ = s3_hex_upper[c & 0x0f];
		}
	}
	out->len = (size_t) (p - out->data);
	out->data[out->len] = '\0';
	return true;
}

/* ---- canonical query string -------------------------------------------------------- */

/* One encoded pair: offsets into the scratch buffer that holds "name\0value\0" runs. */
typedef struct s3_pair
{
	size_t		name;
	size_t		value;
	const char *base;			/* scratch data, set once every pair is encoded */
} s3_pair;

static int
s3_pair_cmp(const void *a, const void *b)
{
	const s3_pair *x = a;
	const s3_pair *y = b;
	int			c = strcmp(x->base + x->name, y->base + y->name);

	return c ? c : strcmp(x->base + x->value, y->base + y->value);
}

bool
ff_s3_canonical_query(ff_buf *out, const ff_s3_param *params, size_t n)
{
	ff_buf		scratch;
	s3_pair    *pairs;
	size_t		i;
	bool		ok = true;

	if (n == 0)
		return ff_buf_append(out, "", 0);	/* a valid empty string */
	if (n > SIZE_MAX / sizeof(s3_pair))
		return false;
	pairs = malloc(n * sizeof(s3_pair));
	if (!pairs)
		return false;
	ff_buf_init(&scratch);
	for (i = 0; ok && i < n; i++)
	{
		const char *name = params[i].name ? params[i].name : "";
		const char *value = params[i].value ? params[i].value : "";

		pairs[i].name = scratch.len;
		ok = ff_s3_uri_encode(&scratch, name, strlen(name), false) &&
			ff_buf_append(&scratch, "", 1);
		pairs[i].value = scratch.len;
		ok = ok && ff_s3_uri_encode(&scratch, value, strlen(value), false) &&
			ff_buf_append(&scratch, "", 1);
	}
	if (ok)
	{
		for (i = 0; i < n; i++)
			pairs[i].base = scratch.data;
		qsort(pairs, n, sizeof(s3_pair), s3_pair_cmp);
		for (i = 0; ok && i < n; i++)
			ok = ff_buf_printf(out, "%s%s=%s", i ? "&" : "",
							   scratch.data + pairs[i].name, scratch.data + pairs[i].value);
	}
	ff_buf_free(&scratch);
	free(pairs);
	return ok;
}

/* ---- canonical headers ------------------------------------------------------------- */

static bool
s3_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* An HTTP token character (RFC 9110), the only ones a header name may hold. */
static bool
s3_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("\"(),/:;<=>?@[\\]{}", c) == NULL;
}

static int
s3_header_cmp(const void *a, const void *b)
{
	const ff_s3_header *x = a;
	const ff_s3_header *y = b;

	return strcmp(x->name, y->name);
}

/*
 * Copy the headers with lowercase names into one allocation, sorted by name, after
 * checking each name is a token and each value holds no control character other than a
 * tab (a CR or LF would split the header on the wire). Names must be unique.
 */
static ff_code
s3_sorted_headers(const ff_s3_sign_request *r, ff_s3_header **sorted, ff_status *st)
{
	ff_s3_header *h;
	char	   *names;
	size_t		total = 0;
	size_t		i;

	*sorted = NULL;
	if (r->n_headers > SIZE_MAX / (2 * sizeof(ff_s3_header)))
		return ff_status_set(st, FF_ERR_INVALID, "too many headers to sign");
	for (i = 0; i < r->n_headers; i++)
	{
		const char *name = r->headers[i].name;
		const char *value = r->headers[i].value;
		const char *c;

		if (!name || !*name || !value)
			return ff_status_set(st, FF_ERR_INVALID, "header %zu to sign has no name or value", i);
		for (c = name; *c; c++)
			if (!s3_token_char((unsigned char) *c))
				return ff_status_set(st, FF_ERR_INVALID, "bad character in header name \"%.64s\"", name);
		for (c = value; *c; c++)
			if (((unsigned char) *c < 0x20 && *c != '\t') || *c == 0x7f)
				return ff_status_set(st, FF_ERR_INVALID,
									 "control character in the value of header \"%.64s\"", name);
		total += strlen(name) + 1;
	}
	h = malloc(r->n_headers * sizeof(ff_s3_header) + total);
	if (!h)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory for the headers to sign");
	names = (char *) (h + r->n_headers);
	for (i = 0; i < r->n_headers; i++)
	{
		const char *c;

		h[i].name = names;
		h[i].value = r->headers[i].value;
		for (c = r->headers[i].name; *c; c++)
			*names++ = (*c >= 'A' && *c <= 'Z') ? (char) (*c - 'A' + 'a') : *c;
		*names++ = '\0';
	}
	qsort(h, r->n_headers, sizeof(ff_s3_header), s3_header_cmp);
	for (i = 1; i < r->n_headers; i++)
		if (strcmp(h[i - 1].name, h[i].name) == 0)
		{
			ff_status_set(st, FF_ERR_INVALID, "header \"%.64s\" given twice", h[i].name);
			free(h);
			return FF_ERR_INVALID;
		}
	*sorted = h;
	return FF_OK;
}

static const char *
s3_find_header(const ff_s3_header *sorted, size_t n, const char *lower_name)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (strcmp(sorted[i].name, lower_name) == 0)
			return sorted[i].value;
	return NULL;
}

/* Append a header value trimmed, with every inner run of blanks collapsed to one space. */
static bool
s3_append_trimmed(ff_buf *out, const char *v)
{
	bool		pending_blank = false;

	if (!ff_buf_reserve(out, strlen(v)))
		return false;
	while (s3_blank(*v))
		v++;
	for (; *v; v++)
	{
		if (s3_blank(*v))
		{
			pending_blank = true;
			continue;
		}
		if (pending_blank)
			out->data[out->len++] = ' ';
		pending_blank = false;
		out->data[out->len++] = *v;
	}
	out->data[out->len] = '\0';
	return true;
}

/* ---- signing ----------------------------------------------------------------------- */

static bool
s3_is_digits(const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "YYYYMMDDTHHMMSSZ" with plausible field ranges. */
static bool
s3_valid_amz_date(const char *d)
{
	int			month,
				day,
				hour,
				minute,
				second;

	if (strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z' ||
		!s3_is_digits(d, 8) || !s3_is_digits(d + 9, 6))
		return false;
	month = (d[4] - '0') * 10 + (d[5] - '0');
	day = (d[6] - '0') * 10 + (d[7] - '0');
	hour = (d[9] - '0') * 10 + (d[10] - '0');
	minute = (d[11] - '0') * 10 + (d[12] - '0');
	second = (d[13] - '0') * 10 + (d[14] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		hour <= 23 && minute <= 59 && second <= 60;
}

/* A credential scope part: non-empty, printable, no blank and no '/' (the separator). */
static bool
s3_valid_scope_part(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char) *s <= 0x20 || (unsigned char) *s >= 0x7f || *s == '/' || *s == ',')
			return false;
	return true;
}

static ff_code
s3_check_request(const ff_s3_sign_request *r, ff_status *st)
{
	const char *c;

	if (!r->method || !*r->method)
		return ff_status_set(st, FF_ERR_INVALID, "no HTTP method to sign");
	for (c = r->method; *c; c++)
		if (*c < 'A' || *c > 'Z')
			return ff_status_set(st, FF_ERR_INVALID, "bad HTTP method \"%.16s\"", r->method);
	if (!r->canonical_uri || r->canonical_uri[0] != '/')
		return ff_status_set(st, FF_ERR_INVALID, "the canonical URI must start with '/'");
	if (!r->headers || r->n_headers == 0)
		return ff_status_set(st, FF_ERR_INVALID, "no headers to sign");
	if (!r->payload_hash || !*r->payload_hash)
		return ff_status_set(st, FF_ERR_INVALID, "no payload hash to sign");
	if (!r->amz_date || !s3_valid_amz_date(r->amz_date))
		return ff_status_set(st, FF_ERR_INVALID, "malformed x-amz-date \"%.32s\" (want YYYYMMDDTHHMMSSZ)",
							 r->amz_date ? r->amz_date : "");
	if (!s3_valid_scope_part(r->region))
		return ff_status_set(st, FF_ERR_INVALID, "missing or malformed region");
	if (!s3_valid_scope_part(r->service))
		return ff_status_set(st, FF_ERR_INVALID, "missing or malformed service");
	if (!s3_valid_scope_part(r->access_key_id))
		return ff_status_set(st, FF_ERR_INVALID, "missing or malformed access key id");
	if (!r->secret_access_key || !*r->secret_access_key)
		return ff_status_set(st, FF_ERR_INVALID, "missing secret access key");
	return FF_OK;
}

static ff_code
s3_canonical_request(const ff_s3_sign_request *r, const ff_s3_header *h, ff_buf *creq,
					 ff_buf *signed_headers, ff_status *st)
{
	size_t		i;
	bool		ok;

	ok = ff_buf_printf(creq, "%s\n%s\n%s\n", r->method, r->canonical_uri,
					   r->canonical_query ? r->canonical_query : "");
	for (i = 0; ok && i < r->n_headers; i++)
		ok = ff_buf_printf(creq, "%s:", h[i].name) &&
			s3_append_trimmed(creq, h[i].value) &&
			ff_buf_append(creq, "\n", 1) &&
			ff_buf_printf(signed_headers, "%s%s", i ? ";" : "", h[i].name);
	ok = ok && ff_buf_printf(creq, "\n%s\n%s", signed_headers->data, r->payload_hash);
	return ok ? FF_OK : ff_status_set(st, FF_ERR_NOMEM, "out of memory for the canonical request");
}

static bool
s3_hmac(const unsigned char *key, size_t key_len, const char *data, size_t data_len,
		unsigned char out[S3_SHA256_LEN])
{
	unsigned int out_len = 0;

	if (key_len > (size_t) INT32_MAX)
		return false;
	return HMAC(EVP_sha256(), key, (int) key_len, (const unsigned char *) data, data_len,
				out, &out_len) != NULL && out_len == S3_SHA256_LEN;
}

/*
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
 * then the hex HMAC of the string to sign. Every intermediate key is wiped.
 */
static ff_code
s3_signature(const ff_s3_sign_request *r, const char *string_to_sign, size_t sts_len,
			 char sig_hex[65], ff_status *st)
{
	size_t		secret_len = strlen(r->secret_access_key);
	unsigned char *k_secret;
	unsigned char k_a[S3_SHA256_LEN];
	unsigned char k_b[S3_SHA256_LEN];
	unsigned char sig[S3_SHA256_LEN];
	bool		ok;

	if (secret_len > SIZE_MAX - 4)
		return ff_status_set(st, FF_ERR_INVALID, "secret access key too long");
	k_secret = malloc(secret_len + 4);
	if (!k_secret)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory for the signing key");
	memcpy(k_secret, "AWS4", 4);
	memcpy(k_secret + 4, r->secret_access_key, secret_len);
	ok = s3_hmac(k_secret, secret_len + 4, r->amz_date, 8, k_a) &&
		s3_hmac(k_a, sizeof(k_a), r->region, strlen(r->region), k_b) &&
		s3_hmac(k_b, sizeof(k_b), r->service, strlen(r->service), k_a) &&
		s3_hmac(k_a, sizeof(k_a), S3_SCOPE_TERMINATOR, strlen(S3_SCOPE_TERMINATOR), k_b) &&
		s3_hmac(k_b, sizeof(k_b), string_to_sign, sts_len, sig);
	OPENSSL_cleanse(k_secret, secret_len + 4);
	free(k_secret);
	OPENSSL_cleanse(k_a, sizeof(k_a));
	OPENSSL_cleanse(k_b, sizeof(k_b));
	if (!ok)
	{
		OPENSSL_cleanse(sig, sizeof(sig));
		return ff_status_set(st, FF_ERR_NOMEM, "HMAC-SHA256 failed in OpenSSL");
	}
	s3_hex(sig, sizeof(sig), sig_hex);
	OPENSSL_cleanse(sig, sizeof(sig));
	return FF_OK;
}

/* Take b back to len bytes (what it held before a failed append). */
static void
s3_truncate(ff_buf *b, size_t len)
{
	if (b->data && len < b->len)
	{
		b->len = len;
		b->data[len] = '\0';
	}
}

/*
 * The three outputs are appended to, like every other ff_s3_* output here (the caller
 * can put "Authorization: " in front); on failure each is taken back to what it held.
 */
ff_code
ff_s3_sign(const ff_s3_sign_request *r, ff_buf *authorization,
		   ff_buf *canonical_request, ff_buf *string_to_sign, ff_status *st)
{
	ff_s3_header *sorted = NULL;
	ff_buf		creq_local;
	ff_buf		sts_local;
	ff_buf		signed_headers;
	ff_buf	   *creq = canonical_request ? canonical_request : &creq_local;
	ff_buf	   *sts = string_to_sign ? string_to_sign : &sts_local;
	size_t		auth_start;
	size_t		creq_start;
	size_t		sts_start;
	const char *date_header;
	char		creq_hash[65];
	char		sig_hex[65];
	ff_code		code;

	ff_buf_init(&creq_local);
	ff_buf_init(&sts_local);
	ff_buf_init(&signed_headers);
	auth_start = authorization->len;
	creq_start = creq->len;
	sts_start = sts->len;

	code = s3_check_request(r, st);
	if (code == FF_OK)
		code = s3_sorted_headers(r, &sorted, st);
	if (code == FF_OK && !s3_find_header(sorted, r->n_headers, "host"))
		code = ff_status_set(st, FF_ERR_INVALID, "the host header must be signed");
	if (code == FF_OK)
	{
		date_header = s3_find_header(sorted, r->n_headers, "x-amz-date");
		if (!date_header || strcmp(date_header, r->amz_date) != 0)
			code = ff_status_set(st, FF_ERR_INVALID,
								 "the signed x-amz-date header must equal amz_date");
	}
	if (code == FF_OK)
		code = s3_canonical_request(r, sorted, creq, &signed_headers, st);
	if (code == FF_OK)
	{
		ff_sha256_hex(creq->data + creq_start, creq->len - creq_start, creq_hash);
		if (!ff_buf_printf(sts, S3_ALGORITHM "\n%s\n%.8s/%s/%s/" S3_SCOPE_TERMINATOR "\n%s",
						   r->amz_date, r->amz_date, r->region, r->service, creq_hash))
			code = ff_status_set(st, FF_ERR_NOMEM, "out of memory for the string to sign");
	}
	if (code == FF_OK)
		code = s3_signature(r, sts->data + sts_start, sts->len - sts_start, sig_hex, st);
	if (code == FF_OK &&
		!ff_buf_printf(authorization,
					   S3_ALGORITHM " Credential=%s/%.8s/%s/%s/" S3_SCOPE_TERMINATOR
					   ",SignedHeaders=%s,Signature=%s",
					   r->access_key_id, r->amz_date, r->region, r->service,
					   signed_headers.data, sig_hex))
		code = ff_status_set(st, FF_ERR_NOMEM, "out of memory for the Authorization header");

	if (code != FF_OK)
	{
		s3_truncate(authorization, auth_start);
		s3_truncate(creq, creq_start);
		s3_truncate(sts, sts_start);
	}
	free(sorted);
	ff_buf_free(&signed_headers);
	ff_buf_free(&creq_local);
	ff_buf_free(&sts_local);
	return code;
}

void
ff_s3_amz_date(time_t t, char out[17])
{
	struct tm	tm;

	if (!gmtime_r(&t, &tm) || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		out[0] = '\0';
}

void
ff_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[S3_SHA256_LEN];
	unsigned int md_len = 0;

	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) || md_len != S3_SHA256_LEN)
	{
		out[0] = '\0';
		return;
	}
	s3_hex(md, sizeof(md), out);
}
