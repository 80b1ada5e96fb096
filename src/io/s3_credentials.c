/*
 * s3_credentials.c — AWS credentials from the process environment or from the EC2
 * instance metadata service (IMDSv2). See s3_credentials.h. Secrets are wiped when freed
 * and never copied into a status message.
 */
#include "io/s3_credentials.h"

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/http.h"

#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_MAX_BODY (64 * 1024)

static void
wipe_free(char *s)
{
	if (s)
	{
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void
ff_s3_creds_clear(ff_s3_creds *c)
{
	wipe_free(c->access_key_id);
	wipe_free(c->secret_access_key);
	wipe_free(c->session_token);
	memset(c, 0, sizeof(*c));
}

ff_code
ff_s3_creds_set(ff_s3_creds *c, const char *akid, const char *secret, const char *token,
				int64_t expires, ff_status *st)
{
	ff_s3_creds_clear(c);
	c->access_key_id = strdup(akid);
	c->secret_access_key = strdup(secret);
	c->session_token = (token && token[0]) ? strdup(token) : NULL;
	c->expires = expires;
	if (!c->access_key_id || !c->secret_access_key || (token && token[0] && !c->session_token))
	{
		ff_s3_creds_clear(c);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory copying credentials");
	}
	return FF_OK;
}

ff_code
ff_s3_creds_from_env(ff_s3_creds *c, ff_status *st)
{
	const char *akid = getenv("AWS_ACCESS_KEY_ID");
	const char *secret = getenv("AWS_SECRET_ACCESS_KEY");

	if (!akid || !akid[0] || !secret || !secret[0])
		return ff_status_set(st, FF_ERR_DENIED,
							 "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set in the database server's environment");
	return ff_s3_creds_set(c, akid, secret, getenv("AWS_SESSION_TOKEN"), 0, st);
}

/* One IMDS request; the body (malloc'ed) on 200. */
static ff_code
imds_request(const char *method, const char *url, const char *header, long timeout_ms,
			 ff_cancel_fn cancel, char **body, ff_status *st)
{
	ff_http_request req;
	ff_http_xfer *x = NULL;
	const char *headers[1] = {header};
	size_t		len;
	ff_code		code;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.n_headers = header ? 1 : 0;
	req.connect_timeout_ms = timeout_ms;
	req.stall_timeout_ms = timeout_ms;
	req.max_body = IMDS_MAX_BODY;
	req.upload = "";
	req.upload_len = 0;
	*body = NULL;
	if ((code = ff_http_start(&req, &x, st)) != FF_OK)
		return code;
	if ((code = ff_http_wait(x, cancel, st)) != FF_OK)
	{
		ff_http_free(x);
		return code;
	}
	if (ff_http_failed(x))
		code = ff_status_set(st, FF_ERR_DENIED, "the instance metadata service at %s did not answer: %s",
							 url, ff_http_transport_error(x));
	else if (ff_http_status(x) != 200)
		code = ff_status_set(st, FF_ERR_DENIED, "the instance metadata service answered %s with HTTP %ld",
							 url, ff_http_status(x));
	else
		*body = ff_http_take_body(x, &len);
	ff_http_free(x);
	if (code == FF_OK && !*body)
		code = ff_status_set(st, FF_ERR_NOMEM, "out of memory reading instance metadata");
	return code;
}

/* "2026-11-21T18:00:00Z" -> seconds since the epoch; 0 if it does not parse. */
static int64_t
parse_iso_time(const char *s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
					 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t) timegm(&tm);
}

static const char *
json_str(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

ff_code
ff_s3_creds_from_imds(ff_s3_creds *c, const char *endpoint, long timeout_ms, ff_cancel_fn cancel,
					  ff_status *st)
{
	char		url[1024];
	char		token_header[1200];
	char	   *token = NULL;
	char	   *role = NULL;
	char	   *doc = NULL;
	struct json_object *j = NULL;
	ff_code		code;
	const char *akid,
			   *secret,
			   *session;

	if (!endpoint || !endpoint[0])
		endpoint = IMDS_DEFAULT;
	snprintf(url, sizeof(url), "%s/latest/api/token", endpoint);
	if ((code = imds_request("PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: 21600",
							 timeout_ms, cancel, &token, st)) != FF_OK)
		goto done;
	token[strcspn(token, "\r\n")] = '\0';
	snprintf(token_header, sizeof(token_header), "X-aws-ec2-metadata-token: %s", token);
	snprintf(url, sizeof(url), "%s/latest/meta-data/iam/security-credentials/", endpoint);
	if ((code = imds_request("GET", url, token_header, timeout_ms, cancel, &role, st)) != FF_OK)
		goto done;
	role[strcspn(role, "\r\n")] = '\0';
	if (!role[0] || strchr(role, '/'))
	{
		code = ff_status_set(st, FF_ERR_DENIED, "the instance has no IAM role attached");
		goto done;
	}
	snprintf(url, sizeof(url), "%s/latest/meta-data/iam/security-credentials/%s", endpoint, role);
	if ((code = imds_request("GET", url, token_header, timeout_ms, cancel, &doc, st)) != FF_OK)
		goto done;
	j = json_tokener_parse(doc);
	akid = j ? json_str(j, "AccessKeyId") : NULL;
	secret = j ? json_str(j, "SecretAccessKey") : NULL;
	session = j ? json_str(j, "Token") : NULL;
	if (!akid || !secret)
	{
		code = ff_status_set(st, FF_ERR_DENIED,
							 "the instance metadata service returned no credentials for role \"%s\"", role);
		goto done;
	}
	code = ff_s3_creds_set(c, akid, secret, session, parse_iso_time(json_str(j, "Expiration")), st);

done:
	if (j)
		json_object_put(j);
	wipe_free(token);
	free(role);
	wipe_free(doc);
	return code;
}
