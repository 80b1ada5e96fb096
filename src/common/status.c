/*
 * status.c — filling in ff_status: codes, messages and where a failure happened.
 */
#include "common/status.h"

#include <stdio.h>
#include <string.h>

void
ff_status_clear(ff_status *st)
{
	st->code = FF_OK;
	st->object[0] = '\0';
	st->record = -1;
	st->offset = -1;
	st->message[0] = '\0';
	st->limit = NULL;
}

ff_code
ff_status_set(ff_status *st, ff_code code, const char *fmt,...)
{
	va_list		ap;

	st->code = code;
	st->limit = NULL;			/* the caller names the limit after this, if any */
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	return code;
}

void
ff_status_locate(ff_status *st, const char *object, int64_t record, int64_t offset)
{
	if (object)
		snprintf(st->object, sizeof(st->object), "%s", object);
	st->record = record;
	st->offset = offset;
}

const char *
ff_code_name(ff_code code)
{
	switch (code)
	{
		case FF_OK:
			return "ok";
		case FF_EOF:
			return "end of stream";
		case FF_ERR_CORRUPT:
			return "corrupt data";
		case FF_ERR_NOT_FOUND:
			return "not found";
		case FF_ERR_IO:
			return "I/O error";
		case FF_ERR_INVALID:
			return "invalid argument";
		case FF_ERR_LIMIT:
			return "limit exceeded";
		case FF_ERR_NOMEM:
			return "out of memory";
		case FF_ERR_CANCELED:
			return "canceled";
		case FF_ERR_UNSUPPORTED:
			return "unsupported encoding";
		case FF_ERR_DENIED:
			return "access denied";
		case FF_ERR_UNAVAILABLE:
			return "storage unavailable";
	}
	return "unknown";
}
