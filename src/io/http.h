/*
 * http.h — HTTP transfers driven by one libcurl multi handle per process: requests run
 * concurrently, connections are kept in the multi handle's cache and reused by later
 * requests (also by later scans of the same backend). Nothing here blocks without looking
 * at the cancel probe at least every 100 ms, and no callback ever longjmps: libcurl's
 * callbacks only copy bytes into buffers owned by the transfer.
 */
#ifndef FF_IO_HTTP_H
#define FF_IO_HTTP_H

#include "common/status.h"

typedef struct ff_http_request
{
	const char *method;			/* "GET", "HEAD", "PUT" */
	const char *url;
	const char *const *headers;	/* "Name: value" lines */
	size_t		n_headers;
	long		connect_timeout_ms;	/* 0: libcurl's default */
	long		stall_timeout_ms;	/* abort when no byte arrives for this long; 0: never */
	/*
	 * Where a 2xx body goes: a caller-owned buffer of sink_cap bytes (a body that does not
	 * fit fails the transfer), or, when sink is NULL, a growable buffer of at most
	 * max_body bytes. Bodies of other statuses always go to the growable buffer (capped at
	 * 64 kB) so that the S3 error document can be read.
	 */
	char	   *sink;
	size_t		sink_cap;
	size_t		max_body;
	bool		require_206;	/* only 206 Partial Content counts as success (ranged GET) */
	const void *upload;			/* PUT body (or NULL) */
	size_t		upload_len;
} ff_http_request;

typedef struct ff_http_xfer ff_http_xfer;

/* Start a transfer (added to the process's multi handle). */
ff_code		ff_http_start(const ff_http_request *req, ff_http_xfer **out, ff_status *st);

/* Remove and free a transfer, finished or not. NULL-safe. */
void		ff_http_free(ff_http_xfer *x);

/*
 * Drive every running transfer for at most max_ms (0: one non-blocking step), returning
 * early when some transfer finishes or delivers bytes. FF_ERR_CANCELED when the probe
 * says so.
 */
ff_code		ff_http_run(int max_ms, ff_cancel_fn cancel, ff_status *st);

/* Drive until x has finished (or cancel). */
ff_code		ff_http_wait(ff_http_xfer *x, ff_cancel_fn cancel, ff_status *st);

/* Sleep up to ms while driving transfers (for retry backoff), looking at cancel. */
ff_code		ff_http_sleep(int ms, ff_cancel_fn cancel, ff_status *st);

bool		ff_http_done(const ff_http_xfer *x);
/* The HTTP status (0 before headers arrived or when the connection failed). */
long		ff_http_status(const ff_http_xfer *x);
/* After done: true when libcurl reported a transport failure (connect, timeout, reset,
 * short body); transport_error() says which, in words. */
bool		ff_http_failed(const ff_http_xfer *x);
const char *ff_http_transport_error(const ff_http_xfer *x);
/* True when the transfer failed because the 2xx body did not fit the sink (not retryable). */
bool		ff_http_overflowed(const ff_http_xfer *x);

/* Body bytes received so far: in the sink for 2xx, else in the growable buffer. */
size_t		ff_http_body_len(const ff_http_xfer *x);
/* The growable buffer (NUL-terminated; "" when empty). For a sink transfer with 2xx: NULL. */
const char *ff_http_body(const ff_http_xfer *x);
/* Take ownership of the growable buffer (malloc'ed, NUL-terminated). */
char	   *ff_http_take_body(ff_http_xfer *x, size_t *len);
/* A response header of the final response (case-insensitive name), or NULL. */
const char *ff_http_header(const ff_http_xfer *x, const char *name);

/* Monotonic milliseconds (deadlines, retry times). */
int64_t		ff_http_now_ms(void);

#endif
