/*
 * http.c — HTTP transfers over one libcurl multi handle per process (see http.h). The
 * multi handle keeps the connection cache, so connections outlive transfers and scans.
 * Callbacks only copy bytes and never fail in any way but by returning a short count.
 */
#include "io/http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/buf.h"

#define HTTP_ERROR_BODY_MAX	(64 * 1024)
#define HTTP_POLL_SLICE_MS	100
#define HTTP_MAX_HEADERS	64

typedef struct http_header
{
	char	   *name;
	char	   *value;
} http_header;

struct ff_http_xfer
{
	CURL	   *easy;
	struct curl_slist *headers;
	bool		in_multi;
	bool		done;
	CURLcode	result;
	long		status;
	bool		overflow;
	bool		require_206;
	char		errbuf[CURL_ERROR_SIZE];
	/* body */
	char	   *sink;
	size_t		sink_cap;
	size_t		sink_len;
	ff_buf		body;			/* growable (non-sink bodies and error documents) */
	size_t		max_body;
	/* response headers of the last response */
	http_header resp[HTTP_MAX_HEADERS];
	int			n_resp;
	/* upload */
	const char *upload;
	size_t		upload_len;
	size_t		upload_pos;
};

static CURLM *multi = NULL;
static uint64_t progress_seq = 0;	/* bumped by every delivery and completion */

static ff_code
ensure_multi(ff_status *st)
{
	if (multi)
		return FF_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ff_status_set(st, FF_ERR_IO, "libcurl initialization failed");
	multi = curl_multi_init();
	if (!multi)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory creating the HTTP client");
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 32L);
	return FF_OK;
}

static bool
is_2xx(const ff_http_xfer *x)
{
	if (x->require_206)
		return x->status == 206;
	return x->status >= 200 && x->status < 300;
}

static void
clear_resp_headers(ff_http_xfer *x)
{
	for (int i = 0; i < x->n_resp; i++)
	{
		free(x->resp[i].name);
		free(x->resp[i].value);
	}
	x->n_resp = 0;
}

static size_t
on_header(char *line, size_t size, size_t nitems, void *arg)
{
	ff_http_xfer *x = arg;
	size_t		n = size * nitems;
	const char *colon;
	size_t		name_len;
	const char *v;
	size_t		vlen;

	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0)
	{
		const char *sp = memchr(line, ' ', n);

		clear_resp_headers(x);
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return n;
	}
	colon = memchr(line, ':', n);
	if (!colon || x->n_resp >= HTTP_MAX_HEADERS)
		return n;
	name_len = colon - line;
	v = colon + 1;
	vlen = n - (v - line);
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	x->resp[x->n_resp].name = strndup(line, name_len);
	x->resp[x->n_resp].value = strndup(v, vlen);
	if (!x->resp[x->n_resp].name || !x->resp[x->n_resp].value)
	{
		free(x->resp[x->n_resp].name);
		free(x->resp[x->n_resp].value);
		return 0;				/* out of memory: fail the transfer */
	}
	x->n_resp++;
	return n;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	ff_http_xfer *x = arg;
	size_t		n = size * nmemb;

	progress_seq++;
	if (is_2xx(x) && x->sink)
	{
		if (x->sink_len + n > x->sink_cap)
		{
			x->overflow = true;
			return 0;
		}
		memcpy(x->sink + x->sink_len, data, n);
		x->sink_len += n;
		return n;
	}
	if (!is_2xx(x))
	{
		/* an error document: keep its start, drop the rest */
		size_t		keep = x->body.len < HTTP_ERROR_BODY_MAX ? HTTP_ERROR_BODY_MAX - x->body.len : 0;

		if (keep > n)
			keep = n;
		return (keep == 0 || ff_buf_append(&x->body, data, keep)) ? n : 0;
	}
	if (x->body.len + n > x->max_body)
	{
		x->overflow = true;
		return 0;
	}
	return ff_buf_append(&x->body, data, n) ? n : 0;
}

static size_t
on_upload(char *dest, size_t size, size_t nitems, void *arg)
{
	ff_http_xfer *x = arg;
	size_t		n = size * nitems;

	if (n > x->upload_len - x->upload_pos)
		n = x->upload_len - x->upload_pos;
	memcpy(dest, x->upload + x->upload_pos, n);
	x->upload_pos += n;
	return n;
}

ff_code
ff_http_start(const ff_http_request *req, ff_http_xfer **out, ff_status *st)
{
	ff_http_xfer *x;
	CURLMcode	mc;
	long		stall_s;

	*out = NULL;
	if (ensure_multi(st) != FF_OK)
		return st->code;
	x = calloc(1, sizeof(*x));
	if (!x || !(x->easy = curl_easy_init()))
	{
		free(x);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory starting an HTTP request");
	}
	x->sink = req->sink;
	x->sink_cap = req->sink_cap;
	x->max_body = req->max_body;
	x->require_206 = req->require_206;
	x->upload = req->upload;
	x->upload_len = req->upload_len;
	for (size_t i = 0; i < req->n_headers; i++)
	{
		struct curl_slist *l = curl_slist_append(x->headers, req->headers[i]);

		if (!l)
			goto nomem;
		x->headers = l;
	}
	/* no "Expect: 100-continue" round trip for uploads */
	{
		struct curl_slist *l = curl_slist_append(x->headers, "Expect:");

		if (!l)
			goto nomem;
		x->headers = l;
	}

	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	if (req->connect_timeout_ms > 0)
		curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	if (req->stall_timeout_ms > 0)
	{
		stall_s = (req->stall_timeout_ms + 999) / 1000;
		curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_TIME, stall_s);
	}
	if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(req->method, "PUT") == 0)
	{
		curl_easy_setopt(x->easy, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(x->easy, CURLOPT_READFUNCTION, on_upload);
		curl_easy_setopt(x->easy, CURLOPT_READDATA, x);
		curl_easy_setopt(x->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) req->upload_len);
	}
	else if (strcmp(req->method, "GET") != 0)
		curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);

	mc = curl_multi_add_handle(multi, x->easy);
	if (mc != CURLM_OK)
	{
		ff_status_set(st, FF_ERR_IO, "cannot start an HTTP request: %s", curl_multi_strerror(mc));
		ff_http_free(x);
		return st->code;
	}
	x->in_multi = true;
	*out = x;
	return FF_OK;

nomem:
	ff_http_free(x);
	return ff_status_set(st, FF_ERR_NOMEM, "out of memory starting an HTTP request");
}

void
ff_http_free(ff_http_xfer *x)
{
	if (!x)
		return;
	if (x->in_multi)
		curl_multi_remove_handle(multi, x->easy);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	clear_resp_headers(x);
	ff_buf_free(&x->body);
	free(x);
}

/* Mark finished transfers done. */
static void
collect_finished(void)
{
	CURLMsg    *msg;
	int			left;

	while ((msg = curl_multi_info_read(multi, &left)) != NULL)
	{
		ff_http_xfer *x = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &x);
		if (!x)
			continue;
		x->done = true;
		x->result = msg->data.result;
		/* leave the multi now, so that the connection goes back to the cache */
		curl_multi_remove_handle(multi, x->easy);
		x->in_multi = false;
		progress_seq++;
	}
}

int64_t
ff_http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static ff_code
canceled(ff_status *st)
{
	return ff_status_set(st, FF_ERR_CANCELED, "canceled while waiting for the network");
}

ff_code
ff_http_run(int max_ms, ff_cancel_fn cancel, ff_status *st)
{
	uint64_t	seq0 = progress_seq;
	int64_t		deadline = ff_http_now_ms() + max_ms;

	if (ensure_multi(st) != FF_OK)
		return st->code;
	for (;;)
	{
		int			running = 0;
		int64_t		left;
		CURLMcode	mc;

		if (cancel && cancel())
			return canceled(st);
		mc = curl_multi_perform(multi, &running);
		if (mc != CURLM_OK)
			return ff_status_set(st, FF_ERR_IO, "HTTP client failure: %s", curl_multi_strerror(mc));
		collect_finished();
		if (progress_seq != seq0)
			return FF_OK;
		left = deadline - ff_http_now_ms();
		if (left <= 0)
			return FF_OK;
		mc = curl_multi_poll(multi, NULL, 0, (int) (left < HTTP_POLL_SLICE_MS ? left : HTTP_POLL_SLICE_MS), NULL);
		if (mc != CURLM_OK)
			return ff_status_set(st, FF_ERR_IO, "HTTP client failure: %s", curl_multi_strerror(mc));
	}
}

ff_code
ff_http_wait(ff_http_xfer *x, ff_cancel_fn cancel, ff_status *st)
{
	while (!x->done)
	{
		if (ff_http_run(HTTP_POLL_SLICE_MS, cancel, st) != FF_OK)
			return st->code;
	}
	return FF_OK;
}

ff_code
ff_http_sleep(int ms, ff_cancel_fn cancel, ff_status *st)
{
	int64_t		deadline = ff_http_now_ms() + ms;
	int64_t		left;

	while ((left = deadline - ff_http_now_ms()) > 0)
	{
		if (ff_http_run((int) left, cancel, st) != FF_OK)
			return st->code;
	}
	return cancel && cancel() ? canceled(st) : FF_OK;
}

bool
ff_http_done(const ff_http_xfer *x)
{
	return x->done;
}

long
ff_http_status(const ff_http_xfer *x)
{
	return x->status;
}

bool
ff_http_failed(const ff_http_xfer *x)
{
	return x->done && x->result != CURLE_OK;
}

bool
ff_http_overflowed(const ff_http_xfer *x)
{
	return x->overflow;
}

const char *
ff_http_transport_error(const ff_http_xfer *x)
{
	if (!x->done || x->result == CURLE_OK)
		return "";
	return x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
}

size_t
ff_http_body_len(const ff_http_xfer *x)
{
	return (is_2xx(x) && x->sink) ? x->sink_len : x->body.len;
}

const char *
ff_http_body(const ff_http_xfer *x)
{
	if (is_2xx(x) && x->sink)
		return NULL;
	return x->body.data ? x->body.data : "";
}

char *
ff_http_take_body(ff_http_xfer *x, size_t *len)
{
	char	   *b = x->body.data ? x->body.data : calloc(1, 1);

	*len = x->body.len;
	ff_buf_init(&x->body);
	return b;
}

const char *
ff_http_header(const ff_http_xfer *x, const char *name)
{
	for (int i = 0; i < x->n_resp; i++)
		if (strcasecmp(x->resp[i].name, name) == 0)
			return x->resp[i].value;
	return NULL;
}
