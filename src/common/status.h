/*
 * status.h — the status every layer below fdw/ returns: a code plus a message that names
 * the archive object, the record index and the byte offset where things went wrong.
 * fdw/ turns it into ereport() with the SQLSTATE that matches the code.
 * No PostgreSQL headers here (and nowhere below fdw/).
 */
#ifndef FF_STATUS_H
#define FF_STATUS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ff_code
{
	FF_OK = 0,
	FF_EOF,					/* clean end of a stream or sequence: not an error */
	FF_ERR_CORRUPT,			/* bytes do not decode (ERRCODE_DATA_CORRUPTED) */
	FF_ERR_NOT_FOUND,		/* an object or directory is missing */
	FF_ERR_IO,				/* the storage failed to deliver bytes */
	FF_ERR_INVALID,			/* a bad argument or option value */
	FF_ERR_LIMIT,			/* a safety limit was exceeded (record size, ...) */
	FF_ERR_NOMEM,			/* malloc failed */
	FF_ERR_CANCELED,		/* the caller asked to stop (query cancel) */
	FF_ERR_UNSUPPORTED,		/* a valid encoding this version does not handle */
	FF_ERR_DENIED,			/* the storage refused our credentials or permissions */
	FF_ERR_UNAVAILABLE		/* the storage could not be reached or kept failing */
} ff_code;

typedef struct ff_status
{
	ff_code		code;
	char		object[512];	/* object key relative to the location; "" if none */
	int64_t		record;			/* 0-based record index in the object; -1 if n/a */
	int64_t		offset;			/* byte offset in the decompressed object; -1 if n/a */
	char		message[512];	/* what went wrong, without the object/offset */
	const char *limit;			/* FF_ERR_LIMIT: the name of the option that raises the
								 * limit (a static string), or NULL */
} ff_status;

/* Reset to FF_OK with empty object, record = offset = -1. */
void		ff_status_clear(ff_status *st);

/* Set code and message (printf style) and clear limit; keeps object/record/offset. Returns code. */
ff_code		ff_status_set(ff_status *st, ff_code code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Fill in where the failure happened (object may be NULL to keep the current one). */
void		ff_status_locate(ff_status *st, const char *object, int64_t record, int64_t offset);

/* Human-readable name of a code ("corrupt data", "not found", ...). */
const char *ff_code_name(ff_code code);

/*
 * A cancel probe: lower layers call it in long loops (listing, reading) and stop with
 * FF_ERR_CANCELED when it returns true. fdw/ installs one that looks at PostgreSQL's
 * pending-interrupt flags without ever longjmp'ing. NULL means "never cancel".
 */
typedef bool (*ff_cancel_fn) (void);

#endif
