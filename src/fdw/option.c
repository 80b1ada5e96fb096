/*
 * option.c — the options forensic_fdw accepts on its server, foreign tables and user
 * mappings: the valid_options table, the validator (with "Perhaps you meant" hints and the
 * privilege check for local locations), and reading a table's effective options.
 */
#include "fdw/forensic_fdw.h"

#include "access/reloptions.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

/* Default and bounds of the largest record a scan accepts. */
#define FF_DEFAULT_MAX_RECORD_SIZE (64 * 1024 * 1024)
#define FF_MAX_MAX_RECORD_SIZE (1024 * 1024 * 1024)

typedef struct FfOption
{
	const char *name;
	Oid			context;		/* catalog in which the option may appear */
	const char *help;			/* what the value is, for hints */
} FfOption;

static const FfOption valid_options[] = {
	{"location", ForeignServerRelationId, "an absolute path to the archive's directory"},
	{"max_record_size", ForeignServerRelationId, "the largest record accepted, in bytes"},
	{"records", ForeignTableRelationId, "the record kind: transactions, events, state_changes, epochs, state or objects"},
	{"max_record_size", ForeignTableRelationId, "the largest record accepted, in bytes"},
	{NULL, InvalidOid, NULL}
};

static const char *const record_kind_names[FF_NUM_RECORD_KINDS] = {
	[FF_RECORDS_TRANSACTIONS] = "transactions",
	[FF_RECORDS_EVENTS] = "events",
	[FF_RECORDS_STATE_CHANGES] = "state_changes",
	[FF_RECORDS_EPOCHS] = "epochs",
	[FF_RECORDS_STATE] = "state",
	[FF_RECORDS_OBJECTS] = "objects",
};

const char *
ff_record_kind_name(FfRecordKind kind)
{
	return record_kind_names[kind];
}

static bool
is_valid_option(const char *name, Oid context)
{
	for (const FfOption *opt = valid_options; opt->name; opt++)
		if (opt->context == context && strcmp(opt->name, name) == 0)
			return true;
	return false;
}

/* The valid option closest to `name` in `context` by edit distance, or NULL. */
static const char *
closest_option(const char *name, Oid context)
{
	const char *best = NULL;
	int			best_distance = INT_MAX;
	int			max_distance = Max(2, (int) strlen(name) / 2);

	for (const FfOption *opt = valid_options; opt->name; opt++)
	{
		int			d;

		if (opt->context != context)
			continue;
		d = varstr_levenshtein_less_equal(name, strlen(name), opt->name, strlen(opt->name),
										  1, 1, 1, max_distance, true);
		if (d <= max_distance && d < best_distance)
		{
			best = opt->name;
			best_distance = d;
		}
	}
	return best;
}

static void
report_invalid_option(const char *name, Oid context)
{
	const char *closest = closest_option(name, context);
	StringInfoData valid;

	initStringInfo(&valid);
	for (const FfOption *opt = valid_options; opt->name; opt++)
	{
		if (opt->context != context)
			continue;
		appendStringInfo(&valid, "%s%s", valid.len ? ", " : "", opt->name);
	}
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
			 errmsg("invalid option \"%s\"", name),
			 closest ? errhint("Perhaps you meant the option \"%s\".", closest)
			 : valid.len ? errhint("Valid options in this context are: %s.", valid.data)
			 : errhint("There are no valid options in this context.")));
}

static FfRecordKind
parse_record_kind(const char *value)
{
	const char *closest = NULL;
	int			best = INT_MAX;

	for (int i = 0; i < lengthof(record_kind_names); i++)
	{
		int			d;

		if (strcmp(value, record_kind_names[i]) == 0)
			return (FfRecordKind) i;
		d = varstr_levenshtein_less_equal(value, strlen(value), record_kind_names[i],
										  strlen(record_kind_names[i]), 1, 1, 1, 2, true);
		if (d <= 2 && d < best)
		{
			best = d;
			closest = record_kind_names[i];
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
			 errmsg("invalid value for option \"records\": \"%s\"", value),
			 closest ? errhint("Perhaps you meant \"%s\".", closest)
			 : errhint("Valid values are: transactions, events, state_changes, epochs, state, objects.")));
	pg_unreachable();
}

static int
parse_max_record_size(const char *value)
{
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < 1024 || n > FF_MAX_MAX_RECORD_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("invalid value for option \"max_record_size\": \"%s\"", value),
				 errhint("Give a number of bytes between 1024 and %d.", FF_MAX_MAX_RECORD_SIZE)));
	return (int) n;
}

/*
 * A local location must be an absolute path; reading server files needs the same
 * privilege as file_fdw's filename or COPY FROM a file.
 */
static void
check_location(const char *value)
{
	if (strncmp(value, "s3://", 5) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("S3 locations are not supported by this version of forensic_fdw"),
				 errhint("Give an absolute path to a local directory.")));
	if (value[0] != '/')
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("invalid value for option \"location\": \"%s\"", value),
				 errdetail("A local location must be an absolute path."),
				 errhint("Write it as /path/to/archive.")));
	if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to set option \"location\" to a local path"),
				 errdetail("Only superusers and roles with privileges of pg_read_server_files may make forensic_fdw read server files.")));
}

PG_FUNCTION_INFO_V1(forensic_fdw_validator);

Datum
forensic_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	bool		have_location = false;
	bool		have_records = false;
	ListCell   *cell;

	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const char *value;

		if (!is_valid_option(def->defname, catalog))
			report_invalid_option(def->defname, catalog);
		value = defGetString(def);

		/* a repeated option never gets here: PostgreSQL refuses it first */
		if (strcmp(def->defname, "location") == 0)
		{
			have_location = true;
			check_location(value);
		}
		else if (strcmp(def->defname, "records") == 0)
		{
			have_records = true;
			(void) parse_record_kind(value);
		}
		else if (strcmp(def->defname, "max_record_size") == 0)
			(void) parse_max_record_size(value);
	}

	/*
	 * A server needs a location, a table its record kind. ALTER ... OPTIONS (DROP x) also
	 * comes here with the remaining options, so a required option cannot be dropped.
	 */
	if (catalog == ForeignServerRelationId && !have_location)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("a forensic_fdw server needs the option \"location\""),
				 errhint("For example: CREATE SERVER archive FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/path/to/archive').")));
	if (catalog == ForeignTableRelationId && !have_records)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("a forensic_fdw foreign table needs the option \"records\""),
				 errhint("For example: OPTIONS (records 'transactions').")));

	PG_RETURN_VOID();
}

void
ff_get_table_options(Oid foreigntableid, FfTableOptions *opts)
{
	ForeignTable *table = GetForeignTable(foreigntableid);
	ForeignServer *server = GetForeignServer(table->serverid);
	ListCell   *cell;

	memset(opts, 0, sizeof(*opts));
	opts->serverid = server->serverid;
	opts->records = FF_RECORDS_TRANSACTIONS;
	opts->max_record_size = FF_DEFAULT_MAX_RECORD_SIZE;

	/* server first, so that table options override */
	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "location") == 0)
			opts->location = defGetString(def);
		else if (strcmp(def->defname, "max_record_size") == 0)
			opts->max_record_size = parse_max_record_size(defGetString(def));
	}
	foreach(cell, table->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "records") == 0)
			opts->records = parse_record_kind(defGetString(def));
		else if (strcmp(def->defname, "max_record_size") == 0)
			opts->max_record_size = parse_max_record_size(defGetString(def));
	}
	if (opts->location == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("server \"%s\" has no option \"location\"", server->servername)));
}
