/*
 * errors.c — turning a lower layer's ff_status into ereport(): the SQLSTATE that matches
 * the code, the object and byte offset in the detail, and a hint where one helps.
 */
#include "fdw/forensic_fdw.h"

#include "miscadmin.h"

int
ff_sqlstate(ff_code code)
{
	switch (code)
	{
		case FF_ERR_CORRUPT:
			return ERRCODE_DATA_CORRUPTED;
		case FF_ERR_NOT_FOUND:
			return ERRCODE_FDW_TABLE_NOT_FOUND;
		case FF_ERR_IO:
			return ERRCODE_FDW_ERROR;
		case FF_ERR_INVALID:
			return ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE;
		case FF_ERR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case FF_ERR_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case FF_ERR_CANCELED:
			return ERRCODE_QUERY_CANCELED;
		case FF_ERR_UNSUPPORTED:
			return ERRCODE_DATA_CORRUPTED;
		case FF_ERR_DENIED:
			return ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
		case FF_ERR_UNAVAILABLE:
			return ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION;
		case FF_OK:
		case FF_EOF:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

static const char *
hint_for(const ff_status *st)
{
	switch (st->code)
	{
		case FF_ERR_CORRUPT:
		case FF_ERR_UNSUPPORTED:
			return "The archive object is damaged or not a 0L v6/v7 backup; compare it with its source, or exclude its versions with a WHERE clause on version.";
		case FF_ERR_NOT_FOUND:
			return "Check the server's location and that the archive is complete.";
		case FF_ERR_LIMIT:
			if (st->limit)
				return psprintf("Raise the option %s if the archive is genuine.", st->limit);
			return "Raise the option the detail names (max_record_size, max_manifest_size or bundle_max_members) if the archive is genuine.";
		case FF_ERR_DENIED:
			return "Check the credentials (the user mapping's access_key_id, secret_access_key and session_token, or what the server option credentials_from names) and the bucket's policy; SELECT * FROM forensic_fdw_check('server') goes through each step.";
		case FF_ERR_UNAVAILABLE:
			return "Check the server's endpoint and the network; raise the server options max_retries or request_timeout for a slow service.";
		default:
			return NULL;
	}
}

void
ff_report(const ff_status *st, const char *what)
{
	const char *hint = hint_for(st);
	char	   *detail;

	/* A cancel seen by a lower layer: let PostgreSQL raise its own error if it can. */
	if (st->code == FF_ERR_CANCELED)
		CHECK_FOR_INTERRUPTS();

	/* with an object, the message names it and the detail says where and what */
	if (!st->object[0])
		detail = NULL;
	else if (st->record >= 0)
		detail = psprintf("Record %lld at byte offset %lld: %s.",
						  (long long) st->record, (long long) st->offset, st->message);
	else if (st->offset >= 0)
		detail = psprintf("At byte offset %lld: %s.", (long long) st->offset, st->message);
	else
		detail = psprintf("%s.", st->message);

	ereport(ERROR,
			(errcode(ff_sqlstate(st->code)),
			 st->object[0]
			 ? errmsg("%s: %s in archive object \"%s\"", what, ff_code_name(st->code), st->object)
			 : errmsg("%s: %s", what, st->message),
			 detail ? errdetail("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}
