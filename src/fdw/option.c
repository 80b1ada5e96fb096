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
#include "utils/syscache.h"
#include "utils/varlena.h"

/* Default and bounds of the largest record a scan accepts. */
#define FF_DEFAULT_MAX_RECORD_SIZE (64 * 1024 * 1024)
#define FF_MAX_MAX_RECORD_SIZE (1024 * 1024 * 1024)
/* bundle_max_members: the default is FF_BUNDLE_DEFAULT_MAX_MEMBERS (io/bundle.h) */
#define FF_MAX_BUNDLE_MEMBERS (100 * 1000 * 1000)

typedef struct FfOption
{
	const char *name;
	Oid			context;		/* catalog in which the option may appear */
	const char *help;			/* what the value is, for hints */
} FfOption;

static const FfOption valid_options[] = {
	{"location", ForeignServerRelationId, "an absolute path to the archive's directory, or s3://bucket/prefix/"},
	{"max_record_size", ForeignServerRelationId, "the largest record accepted, in bytes"},
	{"framework", ForeignServerRelationId, "the archive's era: auto, v4, v5, v6 or v7"},
	{"bundles", ForeignServerRelationId, "auto, only or ignore: whether <epoch>.tar.gz/.tgz/.zip bundles are read"},
	{"bundle_max_members", ForeignServerRelationId, "the most files a bundle may hold"},
	{"max_manifest_size", ForeignServerRelationId, "the largest manifest or .meta file accepted, in bytes once inflated"},
	/* S3 locations only */
	{"region", ForeignServerRelationId, "the bucket's region, such as us-east-1"},
	{"endpoint", ForeignServerRelationId, "http(s)://host[:port] of an S3-compatible service"},
	{"url_style", ForeignServerRelationId, "path or virtual"},
	{"connect_timeout", ForeignServerRelationId, "seconds to wait for a connection"},
	{"request_timeout", ForeignServerRelationId, "seconds a request may go without receiving a byte"},
	{"max_retries", ForeignServerRelationId, "retries of a failed request"},
	{"requester_pays", ForeignServerRelationId, "true to accept the charges of a requester-pays bucket"},
	{"credentials_from", ForeignServerRelationId, "user_mapping, environment or instance"},
	{"imds_endpoint", ForeignServerRelationId, "http://host[:port] of the instance metadata service"},
	{"cache_ttl", ForeignServerRelationId, "seconds a bucket listing is reused before listing again"},
	{"part_size", ForeignServerRelationId, "bytes per ranged GET"},
	{"max_requests", ForeignServerRelationId, "concurrent requests per scan"},
	{"list_page_size", ForeignServerRelationId, "keys per listing request (1 to 1000)"},
	{"access_key_id", UserMappingRelationId, "the AWS access key id"},
	{"secret_access_key", UserMappingRelationId, "the AWS secret access key"},
	{"session_token", UserMappingRelationId, "the session token of temporary credentials"},
	{"anonymous", UserMappingRelationId, "true for unsigned requests to a public bucket"},
	{"records", ForeignTableRelationId, "the record kind: transactions, events, state_changes, epochs, state or objects"},
	{"max_record_size", ForeignTableRelationId, "the largest record accepted, in bytes"},
	{"verify", ForeignTableRelationId, "none, hashes or proofs: what is recomputed and checked while reading"},
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
	/* credentials are refused anywhere but a user mapping, with where to put them */
	if (context != UserMappingRelationId && is_valid_option(name, UserMappingRelationId))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("invalid option \"%s\"", name),
				 errdetail("S3 credentials are options of a user mapping only, where other roles cannot read them."),
				 errhint("Give it in CREATE USER MAPPING FOR CURRENT_USER SERVER name OPTIONS (...), or ALTER USER MAPPING.")));
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

bool
ff_location_is_s3(const char *location)
{
	return strncmp(location, "s3://", 5) == 0;
}

static void
invalid_value(const char *name, const char *value, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
			 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
			 detail ? errdetail("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

/*
 * "s3://bucket[/prefix]": bucket names as S3 allows them (3 to 63 lowercase letters,
 * digits, dots and hyphens); the prefix gets a trailing '/' (a location is a folder).
 */
static void
parse_s3_location(const char *value, char **bucket, char **prefix)
{
	const char *b = value + 5;
	size_t		blen = strcspn(b, "/");
	const char *p = b[blen] == '/' ? b + blen + 1 : b + blen;
	size_t		plen = strlen(p);

	if (blen < 3 || blen > 63)
		invalid_value("location", value, "A bucket name has 3 to 63 characters.",
					  "Write it as s3://bucket/prefix/.");
	for (size_t i = 0; i < blen; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '.' || b[i] == '-'))
			invalid_value("location", value,
						  "A bucket name has only lowercase letters, digits, dots and hyphens.",
						  "Write it as s3://bucket/prefix/.");
	if (p[0] == '/' || strstr(p, "//") != NULL)
		invalid_value("location", value, "The prefix has an empty path segment.",
					  "Write it as s3://bucket/prefix/.");
	if (bucket)
		*bucket = pnstrdup(b, blen);
	if (prefix)
		*prefix = (plen == 0 || p[plen - 1] == '/') ? pstrdup(p) : psprintf("%s/", p);
}

/*
 * A local location must be an absolute path; reading server files needs the same
 * privilege as file_fdw's filename or COPY FROM a file.
 */
static void
check_location(const char *value)
{
	if (ff_location_is_s3(value))
	{
		parse_s3_location(value, NULL, NULL);
		return;
	}
	if (value[0] != '/')
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("invalid value for option \"location\": \"%s\"", value),
				 errdetail("A location is an absolute path or an S3 URL."),
				 errhint("Write it as /path/to/archive or s3://bucket/prefix/.")));
	if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to set option \"location\" to a local path"),
				 errdetail("Only superusers and roles with privileges of pg_read_server_files may make forensic_fdw read server files.")));
}

static int
parse_int_option(const char *name, const char *value, long min, long max, const char *unit)
{
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < min || n > max)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
				 errhint("Give a whole number of %s between %ld and %ld.", unit, min, max)));
	return (int) n;
}

/* The server options that bound what planning reads whole (the hostile-archive limits). */
static int
parse_bundle_max_members(const char *value)
{
	return parse_int_option("bundle_max_members", value, 1, FF_MAX_BUNDLE_MEMBERS, "members");
}

static int
parse_max_manifest_size(const char *value)
{
	return parse_int_option("max_manifest_size", value, 1024, FF_MAX_MAX_RECORD_SIZE, "bytes");
}

static bool
parse_bool_option(const char *name, const char *value)
{
	bool		result;

	if (!parse_bool(value, &result))
		invalid_value(name, value, NULL, "Give true or false.");
	return result;
}

/* value among names[0..n), with a "Perhaps you meant" hint */
static int
parse_choice(const char *name, const char *value, const char *const *names, int n)
{
	const char *closest = NULL;
	int			best = INT_MAX;
	StringInfoData all;

	initStringInfo(&all);
	for (int i = 0; i < n; i++)
	{
		int			d;

		if (strcmp(value, names[i]) == 0)
			return i;
		d = varstr_levenshtein_less_equal(value, strlen(value), names[i], strlen(names[i]),
										  1, 1, 1, 3, true);
		if (d <= 3 && d < best)
		{
			best = d;
			closest = names[i];
		}
		appendStringInfo(&all, "%s%s", i ? ", " : "", names[i]);
	}
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
			 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
			 closest ? errhint("Perhaps you meant \"%s\".", closest)
			 : errhint("Valid values are: %s.", all.data)));
	pg_unreachable();
}

static const char *const url_styles[] = {"path", "virtual"};
static const char *const credential_sources[] = {
	[FF_CREDS_USER_MAPPING] = "user_mapping",
	[FF_CREDS_ENVIRONMENT] = "environment",
	[FF_CREDS_INSTANCE] = "instance",
};

/* http(s)://host[:port] with an optional trailing '/'; returns it without the '/'. */
static char *
parse_endpoint(const char *name, const char *value)
{
	const char *host;
	size_t		len;

	if (strncmp(value, "http://", 7) == 0)
		host = value + 7;
	else if (strncmp(value, "https://", 8) == 0)
		host = value + 8;
	else
		host = NULL;
	len = host ? strlen(host) : 0;
	if (len && host[len - 1] == '/')
		len--;
	if (!host || len == 0 || memchr(host, '/', len) || memchr(host, '?', len) || memchr(host, '@', len))
		invalid_value(name, value, "An endpoint is a scheme, a host and an optional port, without a path.",
					  "Write it as https://host or http://host:port.");
	return pnstrdup(value, (host - value) + len);
}

static void
check_region(const char *value)
{
	if (value[0] == '\0' || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(value))
		invalid_value("region", value, "A region name has only lowercase letters, digits and hyphens.",
					  "For example: us-east-1, eu-central-1, or auto for Cloudflare R2.");
}

static void
require_superuser(const char *name)
{
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to set option \"%s\"", name),
				 errdetail("Credentials of the database server's environment or instance would be handed to every user of the server; only a superuser may enable that.")));
}

/* Check one S3-related option's value (server or user mapping). */
static void
check_s3_option(const char *name, const char *value)
{
	if (strcmp(name, "region") == 0)
		check_region(value);
	else if (strcmp(name, "endpoint") == 0 || strcmp(name, "imds_endpoint") == 0)
		(void) parse_endpoint(name, value);
	else if (strcmp(name, "url_style") == 0)
		(void) parse_choice(name, value, url_styles, lengthof(url_styles));
	else if (strcmp(name, "connect_timeout") == 0 || strcmp(name, "request_timeout") == 0)
		(void) parse_int_option(name, value, 1, 3600, "seconds");
	else if (strcmp(name, "max_retries") == 0)
		(void) parse_int_option(name, value, 0, 100, "retries");
	else if (strcmp(name, "cache_ttl") == 0)
		(void) parse_int_option(name, value, 0, 86400, "seconds");
	else if (strcmp(name, "part_size") == 0)
		(void) parse_int_option(name, value, 65536, 256 * 1024 * 1024, "bytes");
	else if (strcmp(name, "max_requests") == 0)
		(void) parse_int_option(name, value, 1, 64, "requests");
	else if (strcmp(name, "list_page_size") == 0)
		(void) parse_int_option(name, value, 1, 1000, "keys");
	else if (strcmp(name, "requester_pays") == 0 || strcmp(name, "anonymous") == 0)
		(void) parse_bool_option(name, value);
	else if (strcmp(name, "credentials_from") == 0)
	{
		if (parse_choice(name, value, credential_sources, lengthof(credential_sources)) != FF_CREDS_USER_MAPPING)
			require_superuser(name);
	}
	if (strcmp(name, "imds_endpoint") == 0)
		require_superuser(name);
}

static const char *const framework_names[] = {"auto", "v4", "v5", "v6", "v7"};
static const char *const bundle_modes[] = {
	[FF_BUNDLES_AUTO] = "auto",
	[FF_BUNDLES_ONLY] = "only",
	[FF_BUNDLES_IGNORE] = "ignore",
};

static const char *const verify_levels[] = {
	[FF_VERIFY_NONE] = "none",
	[FF_VERIFY_HASHES] = "hashes",
	[FF_VERIFY_PROOFS] = "proofs",
};

static bool
is_archive_option(const char *name)
{
	return strcmp(name, "location") == 0 || strcmp(name, "max_record_size") == 0 ||
		strcmp(name, "framework") == 0 || strcmp(name, "bundles") == 0 ||
		strcmp(name, "bundle_max_members") == 0 || strcmp(name, "max_manifest_size") == 0;
}

static bool
is_s3_server_option(const char *name)
{
	return !is_archive_option(name);
}

void
ff_get_archive_options(ForeignServer *server, FfArchiveOptions *opts)
{
	ListCell   *cell;

	memset(opts, 0, sizeof(*opts));
	opts->era = FF_ERA_UNKNOWN;
	opts->bundles = FF_BUNDLES_AUTO;
	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "framework") == 0)
		{
			int			i = parse_choice(def->defname, defGetString(def), framework_names,
										 lengthof(framework_names));

			opts->era = i == 0 ? FF_ERA_UNKNOWN : i == 1 ? FF_ERA_V4 : i == 2 ? FF_ERA_V5 : FF_ERA_V6;
			opts->framework = i == 0 ? NULL : framework_names[i];
		}
		else if (strcmp(def->defname, "bundles") == 0)
			opts->bundles = (ff_bundle_mode) parse_choice(def->defname, defGetString(def), bundle_modes,
														  lengthof(bundle_modes));
		else if (strcmp(def->defname, "bundle_max_members") == 0)
			opts->bundle_max_members = parse_bundle_max_members(defGetString(def));
		else if (strcmp(def->defname, "max_manifest_size") == 0)
			opts->max_manifest_size = parse_max_manifest_size(defGetString(def));
	}
}

PG_FUNCTION_INFO_V1(forensic_fdw_validator);

Datum
forensic_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	bool		have_location = false;
	bool		have_records = false;
	FfRecordKind records = FF_RECORDS_TRANSACTIONS;
	int			verify = FF_VERIFY_NONE;
	bool		s3_location = false;
	const char *s3_option = NULL;	/* an S3-only server option, for the check below */
	bool		have_key = false,
				have_secret = false,
				have_token = false,
				anonymous = false;
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
			records = parse_record_kind(value);
		}
		else if (strcmp(def->defname, "verify") == 0)
			verify = parse_choice(def->defname, value, verify_levels, lengthof(verify_levels));
		else if (strcmp(def->defname, "max_record_size") == 0)
			(void) parse_max_record_size(value);
		else if (strcmp(def->defname, "framework") == 0)
			(void) parse_choice(def->defname, value, framework_names, lengthof(framework_names));
		else if (strcmp(def->defname, "bundles") == 0)
			(void) parse_choice(def->defname, value, bundle_modes, lengthof(bundle_modes));
		else if (strcmp(def->defname, "bundle_max_members") == 0)
			(void) parse_bundle_max_members(value);
		else if (strcmp(def->defname, "max_manifest_size") == 0)
			(void) parse_max_manifest_size(value);
		else
			check_s3_option(def->defname, value);

		if (strcmp(def->defname, "location") == 0)
			s3_location = ff_location_is_s3(value);
		else if (catalog == ForeignServerRelationId && is_s3_server_option(def->defname))
			s3_option = def->defname;
		have_key |= strcmp(def->defname, "access_key_id") == 0;
		have_secret |= strcmp(def->defname, "secret_access_key") == 0;
		have_token |= strcmp(def->defname, "session_token") == 0;
		if (strcmp(def->defname, "anonymous") == 0)
			anonymous = parse_bool_option("anonymous", value);
	}

	if (s3_option && have_location && !s3_location)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("option \"%s\" applies only to S3 locations", s3_option),
				 errhint("Drop it, or give a location of the form s3://bucket/prefix/.")));
	if (have_key != have_secret || (have_token && !have_key))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("a user mapping with S3 credentials needs both \"access_key_id\" and \"secret_access_key\""),
				 errhint("\"session_token\" goes with them for temporary credentials.")));
	if (anonymous && have_key)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("a user mapping cannot be both anonymous and have credentials"),
				 errhint("Drop \"anonymous\" or the credentials.")));

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
	/* epochs tables always check waypoints; state and objects tables have nothing to verify */
	if (verify != FF_VERIFY_NONE && (records == FF_RECORDS_STATE || records == FF_RECORDS_OBJECTS))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("option \"verify\" does not apply to records '%s'", ff_record_kind_name(records)),
				 errhint("It applies to records 'transactions', 'events' and 'state_changes'; epochs tables always check each record against its waypoint.")));

	PG_RETURN_VOID();
}

void
ff_get_s3_options(ForeignServer *server, FfS3Options *opts)
{
	ListCell   *cell;
	bool		have_style = false;

	memset(opts, 0, sizeof(*opts));
	opts->region = "us-east-1";
	opts->connect_timeout = 10;
	opts->request_timeout = 30;
	opts->max_retries = 5;
	opts->cache_ttl = 60;
	opts->part_size = 8 * 1024 * 1024;
	opts->max_requests = 4;
	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const char *name = def->defname;
		const char *value = defGetString(def);

		if (strcmp(name, "location") == 0 && ff_location_is_s3(value))
			parse_s3_location(value, &opts->bucket, &opts->prefix);
		else if (strcmp(name, "region") == 0)
			opts->region = pstrdup(value);
		else if (strcmp(name, "endpoint") == 0)
			opts->endpoint = parse_endpoint(name, value);
		else if (strcmp(name, "url_style") == 0)
		{
			opts->virtual_style = parse_choice(name, value, url_styles, lengthof(url_styles)) == 1;
			have_style = true;
		}
		else if (strcmp(name, "connect_timeout") == 0)
			opts->connect_timeout = parse_int_option(name, value, 1, 3600, "seconds");
		else if (strcmp(name, "request_timeout") == 0)
			opts->request_timeout = parse_int_option(name, value, 1, 3600, "seconds");
		else if (strcmp(name, "max_retries") == 0)
			opts->max_retries = parse_int_option(name, value, 0, 100, "retries");
		else if (strcmp(name, "requester_pays") == 0)
			opts->requester_pays = parse_bool_option(name, value);
		else if (strcmp(name, "credentials_from") == 0)
			opts->credentials_from = parse_choice(name, value, credential_sources, lengthof(credential_sources));
		else if (strcmp(name, "imds_endpoint") == 0)
			opts->imds_endpoint = parse_endpoint(name, value);
		else if (strcmp(name, "cache_ttl") == 0)
			opts->cache_ttl = parse_int_option(name, value, 0, 86400, "seconds");
		else if (strcmp(name, "part_size") == 0)
			opts->part_size = parse_int_option(name, value, 65536, 256 * 1024 * 1024, "bytes");
		else if (strcmp(name, "max_requests") == 0)
			opts->max_requests = parse_int_option(name, value, 1, 64, "requests");
		else if (strcmp(name, "list_page_size") == 0)
			opts->list_page_size = parse_int_option(name, value, 1, 1000, "keys");
	}
	/* AWS: virtual-hosted style; a custom endpoint: path style (MinIO, s3rver, ...) */
	if (!have_style)
		opts->virtual_style = opts->endpoint == NULL;
}

void
ff_get_s3_user_options(Oid serverid, Oid userid, FfS3UserOptions *out)
{
	HeapTuple	tp;
	Datum		datum;
	bool		isnull;
	ListCell   *cell;

	memset(out, 0, sizeof(*out));
	/* the user's own mapping, else the PUBLIC one (as GetUserMapping), without its error */
	tp = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid), ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		tp = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid), ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		return;
	out->found = true;
	datum = SysCacheGetAttr(USERMAPPINGUSERSERVER, tp, Anum_pg_user_mapping_umoptions, &isnull);
	if (!isnull)
	{
		foreach(cell, untransformRelOptions(datum))
		{
			DefElem    *def = (DefElem *) lfirst(cell);

			if (strcmp(def->defname, "access_key_id") == 0)
				out->access_key_id = defGetString(def);
			else if (strcmp(def->defname, "secret_access_key") == 0)
				out->secret_access_key = defGetString(def);
			else if (strcmp(def->defname, "session_token") == 0)
				out->session_token = defGetString(def);
			else if (strcmp(def->defname, "anonymous") == 0)
				out->anonymous = parse_bool_option("anonymous", defGetString(def));
		}
	}
	ReleaseSysCache(tp);
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
		else if (strcmp(def->defname, "framework") == 0)
		{
			int			i = parse_choice(def->defname, defGetString(def), framework_names,
										 lengthof(framework_names));

			opts->framework = i == 0 ? NULL : framework_names[i];
		}
	}
	foreach(cell, table->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "records") == 0)
			opts->records = parse_record_kind(defGetString(def));
		else if (strcmp(def->defname, "max_record_size") == 0)
			opts->max_record_size = parse_max_record_size(defGetString(def));
		else if (strcmp(def->defname, "verify") == 0)
			opts->verify = (ff_verify_level) parse_choice(def->defname, defGetString(def), verify_levels,
														  lengthof(verify_levels));
	}
	if (opts->location == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("server \"%s\" has no option \"location\"", server->servername)));
}
