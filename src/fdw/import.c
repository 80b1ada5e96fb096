/*
 * import.c — IMPORT FOREIGN SCHEMA archive FROM SERVER s INTO schema: one foreign table per
 * record kind (transactions, events, state_changes, epochs, state, objects) with every
 * column the kind produces (PostgreSQL itself keeps those LIMIT TO / EXCEPT allow); and
 * forensic_fdw_columns(records), the columns of a kind with their meaning, which the
 * extension's event trigger uses to comment the imported columns (so \d+ describes them).
 */
#include "fdw/forensic_fdw.h"

#include "catalog/pg_type.h"
#include "foreign/foreign.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

/* The only remote schema: the archive at the server's location. */
#define FF_REMOTE_SCHEMA "archive"

List *
ffImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	List	   *commands = NIL;

	if (strcmp(stmt->remote_schema, FF_REMOTE_SCHEMA) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("forensic_fdw has no remote schema \"%s\"", stmt->remote_schema),
				 errhint("Import the schema \"%s\": IMPORT FOREIGN SCHEMA %s FROM SERVER %s INTO ...",
						 FF_REMOTE_SCHEMA, FF_REMOTE_SCHEMA, quote_identifier(server->servername))));
	if (stmt->options != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("IMPORT FOREIGN SCHEMA of forensic_fdw takes no options")));

	for (int kind = 0; kind < FF_NUM_RECORD_KINDS; kind++)
	{
		const char *name = ff_record_kind_name((FfRecordKind) kind);
		int			ncols;
		const FfColumnDef *cols = ff_kind_columns((FfRecordKind) kind, &ncols);
		StringInfoData sql;
		bool		first = true;

		initStringInfo(&sql);
		appendStringInfo(&sql, "CREATE FOREIGN TABLE %s (",
						 quote_qualified_identifier(stmt->local_schema, name));
		for (int i = 0; i < ncols; i++)
		{
			if (!cols[i].name)
				continue;
			appendStringInfo(&sql, "%s%s %s", first ? "" : ", ", quote_identifier(cols[i].name),
							 format_type_be(cols[i].type));
			first = false;
		}
		appendStringInfo(&sql, ") SERVER %s OPTIONS (records %s)",
						 quote_identifier(server->servername), quote_literal_cstr(name));
		commands = lappend(commands, sql.data);
	}
	return commands;
}

PG_FUNCTION_INFO_V1(forensic_fdw_columns);

/* forensic_fdw_columns(records text) -> (column_name, data_type, description), in order. */
Datum
forensic_fdw_columns(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *records = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			kind;
	int			ncols;
	const FfColumnDef *cols;

	for (kind = 0; kind < FF_NUM_RECORD_KINDS; kind++)
		if (strcmp(records, ff_record_kind_name((FfRecordKind) kind)) == 0)
			break;
	if (kind == FF_NUM_RECORD_KINDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown record kind \"%s\"", records),
				 errhint("Valid values are: transactions, events, state_changes, epochs, state, objects.")));

	InitMaterializedSRF(fcinfo, 0);
	cols = ff_kind_columns((FfRecordKind) kind, &ncols);
	for (int i = 0; i < ncols; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (!cols[i].name)
			continue;
		values[0] = CStringGetTextDatum(cols[i].name);
		values[1] = CStringGetTextDatum(format_type_be(cols[i].type));
		values[2] = CStringGetTextDatum(cols[i].meaning);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_VOID();
}
