/*
 * check.c — forensic_fdw_check(server): the first thing to run against a new server. It
 * goes through what a scan needs, step by step — the location, the credentials, a signed
 * listing (endpoint, region, bucket, prefix), the clock, one manifest — and says in plain
 * words what worked and what did not, instead of stopping at the first error.
 */
#include "fdw/forensic_fdw.h"

#include "access/htup_details.h"
#include "catalog/pg_foreign_server.h"
#include "commands/defrem.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "archive/meta.h"
#include "io/gzip.h"
#include "io/s3.h"

typedef struct CheckOut
{
	ReturnSetInfo *rsinfo;
	bool		all_ok;
} CheckOut;

static void
emit(CheckOut *out, const char *step, bool ok, const char *fmt,...)
	pg_attribute_printf(4, 5);

static void
emit(CheckOut *out, const char *step, bool ok, const char *fmt,...)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	StringInfoData detail;
	va_list		ap;

	initStringInfo(&detail);
	for (;;)
	{
		int			needed;

		va_start(ap, fmt);
		needed = appendStringInfoVA(&detail, fmt, ap);
		va_end(ap);
		if (needed == 0)
			break;
		enlargeStringInfo(&detail, needed);
	}
	values[0] = CStringGetTextDatum(step);
	values[1] = BoolGetDatum(ok);
	values[2] = CStringGetTextDatum(detail.data);
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, values, nulls);
	out->all_ok &= ok;
}

/* "AKIA...TEST": enough to recognise a key, not to use it (ids are not secrets, still) */
static char *
masked_key(const char *akid)
{
	size_t		n = strlen(akid);

	if (n <= 8)
		return pstrdup("****");
	return psprintf("%.4s...%s", akid, akid + n - 4);
}

static const char *
cred_words(const ff_s3_config *cfg)
{
	switch (cfg->cred_source)
	{
		case FF_S3_CRED_STATIC:
			return cfg->session_token ? "the user mapping's temporary credentials (with session token)"
				: "the user mapping's access key";
		case FF_S3_CRED_ANONYMOUS:
			return "none: unsigned requests (anonymous 'true')";
		case FF_S3_CRED_ENV:
			return "the database server's environment (AWS_ACCESS_KEY_ID, ...)";
		case FF_S3_CRED_INSTANCE:
			return "the instance's IAM role (IMDSv2)";
	}
	return "?";
}

/*
 * Whether the caller may read the options of the user mapping a scan of theirs uses, as
 * pg_user_mappings decides: their own mapping, or the PUBLIC one if they have the privileges
 * of the server's owner, or any as superuser. Otherwise (a PUBLIC mapping set up by the
 * owner) not even the masked access key id is shown.
 */
static bool
may_see_mapping(ForeignServer *server, Oid userid)
{
	return SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid),
								 ObjectIdGetDatum(server->serverid)) ||
		has_privs_of_role(userid, server->owner) || superuser_arg(userid);
}

/* Read and parse one manifest: its kind from its name. */
static void
check_manifest(CheckOut *out, ff_s3_client *client, const char *key)
{
	ff_status	st;
	char	   *data = NULL;
	size_t		len = 0;
	const char *base = strrchr(key, '/') ? strrchr(key, '/') + 1 : key;
	ff_code		code;

	ff_status_clear(&st);
	code = ff_s3_get(client, key, FF_CATALOG_MAX_SMALL_OBJECT, &data, &len, &st);
	if (code == FF_OK)
	{
		/* plain or gzip'ed, as the catalog reads it */
		ff_stream  *mem = ff_stream_memory(data, len, len);
		bool		compressed;
		ff_stream  *text = mem ? ff_gzip_open(mem, key, &compressed, &st) : NULL;

		data = NULL;
		code = text ? ff_stream_read_all(text, FF_CATALOG_MAX_SMALL_OBJECT, &data, &len, &st)
			: (mem ? st.code : ff_status_set(&st, FF_ERR_NOMEM, "out of memory"));
		ff_stream_close(text);
	}
	if (code == FF_OK)
	{
		if (strncmp(base, "transaction", 11) == 0)
		{
			ff_tx_manifest m;

			memset(&m, 0, sizeof(m));
			code = ff_tx_manifest_parse(data, len, &m, &st);
			if (code == FF_OK)
				emit(out, "manifest", true, "read \"%s\": transactions %llu to %llu in %zu chunks",
					 key, (unsigned long long) m.first_version, (unsigned long long) m.last_version, m.n_chunks);
			ff_tx_manifest_free(&m);
		}
		else if (strncmp(base, "epoch_ending", 12) == 0)
		{
			ff_epoch_manifest m;

			memset(&m, 0, sizeof(m));
			code = ff_epoch_manifest_parse(data, len, &m, &st);
			if (code == FF_OK)
				emit(out, "manifest", true, "read \"%s\": epochs %llu to %llu",
					 key, (unsigned long long) m.first_epoch, (unsigned long long) m.last_epoch);
			ff_epoch_manifest_free(&m);
		}
		else
		{
			ff_state_manifest m;

			memset(&m, 0, sizeof(m));
			code = ff_state_manifest_parse(data, len, &m, &st);
			if (code == FF_OK)
				emit(out, "manifest", true, "read \"%s\": state snapshot at version %llu",
					 key, (unsigned long long) m.version);
			ff_state_manifest_free(&m);
		}
	}
	free(data);
	if (code != FF_OK)
		emit(out, "manifest", false, "\"%s\": %s: %s", key, ff_code_name(code), st.message);
}

static void
check_s3(CheckOut *out, ForeignServer *server, Oid userid)
{
	FfS3Options opts;
	FfS3UserOptions user;
	ff_s3_config cfg;
	ff_s3_client *client = NULL;
	ff_s3_probe probe;
	ff_status	st;
	ff_code		code;
	const char *host;

	ff_get_s3_options(server, &opts);
	ff_get_s3_user_options(server->serverid, userid, &user);
	if (opts.endpoint)
		host = opts.virtual_style ? psprintf("%s (bucket in the host name: %s.<host>)", opts.endpoint, opts.bucket)
			: psprintf("%s (path style)", opts.endpoint);
	else
		host = opts.virtual_style ? psprintf("https://%s.s3.%s.amazonaws.com", opts.bucket, opts.region)
			: psprintf("https://s3.%s.amazonaws.com (path style)", opts.region);
	emit(out, "location", true, "bucket \"%s\", prefix \"%s\", region \"%s\", endpoint %s",
		 opts.bucket, opts.prefix, opts.region, host);

	PG_TRY();
	{
		ff_s3_config_from_options(server, &opts, &user, &cfg);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(out->rsinfo->econtext->ecxt_per_query_memory);
		edata = CopyErrorData();
		FlushErrorState();
		emit(out, "credentials", false, "%s %s", edata->message, edata->hint ? edata->hint : "");
		return;
	}
	PG_END_TRY();

	ff_status_clear(&st);
	code = ff_s3_client_new(&cfg, &client, &st);
	if (code != FF_OK)
	{
		emit(out, "credentials", false, "%s: %s", cred_words(&cfg), st.message);
		return;
	}
	if (cfg.cred_source == FF_S3_CRED_STATIC && !may_see_mapping(server, userid))
		emit(out, "credentials", true, "the PUBLIC %s", cred_words(&cfg) + strlen("the "));
	else if (cfg.cred_source == FF_S3_CRED_STATIC)
		emit(out, "credentials", true, "%s, access key id %s", cred_words(&cfg), masked_key(cfg.access_key_id));
	else
		emit(out, "credentials", true, "%s", cred_words(&cfg));

	code = ff_s3_probe_listing(client, &probe, &st);
	if (probe.server_date)
	{
		int64		skew = (int64) probe.server_date - (int64) time(NULL);

		emit(out, "clock", skew > -600 && skew < 600,
			 "the database server's clock is %lld s %s S3's%s", (long long) (skew < 0 ? -skew : skew),
			 skew > 0 ? "behind" : "ahead of",
			 (skew > -600 && skew < 600) ? "" : "; S3 refuses requests more than 15 minutes off: fix the server's time");
	}
	if (code != FF_OK)
	{
		emit(out, "listing", false, "%s: %s", ff_code_name(code), st.message);
		ff_s3_client_free(client);
		return;
	}
	if (probe.n_objects == 0)
		emit(out, "listing", false, "signed listing worked (%lld ms), but there is no object under prefix \"%s\"; check the prefix",
			 (long long) probe.elapsed_ms, opts.prefix);
	else
		emit(out, "listing", true, "signed listing worked (%lld ms): %s%zu objects under the prefix",
			 (long long) probe.elapsed_ms, probe.truncated ? "more than " : "", probe.n_objects);
	if (probe.manifest_key[0])
		check_manifest(out, client, probe.manifest_key);
	else if (probe.n_objects > 0)
		emit(out, "manifest", false, "no *.manifest among the first %zu objects; is the prefix the archive's root?",
			 probe.n_objects);
	ff_s3_client_free(client);
}

static void
check_local(CheckOut *out, const char *location)
{
	ff_source  *src = NULL;
	ff_listing	listing;
	ff_status	st;
	size_t		manifests = 0;

	memset(&listing, 0, sizeof(listing));
	ff_status_clear(&st);
	if (ff_source_local_new(location, ff_cancel_requested, &src, &st) != FF_OK)
	{
		emit(out, "location", false, "\"%s\": %s", location, st.message);
		return;
	}
	if (ff_source_list(src, &listing, &st) != FF_OK)
		emit(out, "listing", false, "\"%s\": %s", location, st.message);
	else
	{
		for (size_t i = 0; i < listing.n; i++)
			if (strstr(listing.items[i].key, ".manifest"))
				manifests++;
		emit(out, "location", true, "local directory \"%s\"", location);
		emit(out, "listing", listing.n > 0, "%zu objects, %zu manifests", listing.n, manifests);
	}
	ff_listing_free(&listing);
	ff_source_destroy(src);
}

PG_FUNCTION_INFO_V1(forensic_fdw_check);

Datum
forensic_fdw_check(PG_FUNCTION_ARGS)
{
	const char *servername = NameStr(*PG_GETARG_NAME(0));
	ForeignServer *server = GetForeignServerByName(servername, false);
	AclResult	aclresult;
	CheckOut	out;
	const char *location = NULL;
	ListCell   *cell;

	aclresult = pg_foreign_server_aclcheck(server->serverid, GetUserId(), ACL_USAGE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FOREIGN_SERVER, server->servername);

	InitMaterializedSRF(fcinfo, 0);
	out.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	out.all_ok = true;

	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "location") == 0)
			location = defGetString(def);
	}
	if (!location)
		emit(&out, "location", false, "the server has no option \"location\"");
	else if (ff_location_is_s3(location))
		check_s3(&out, server, GetUserId());
	else
		check_local(&out, location);
	emit(&out, "summary", out.all_ok, out.all_ok ? "everything needed for a scan works"
		 : "see the steps above that are not ok");
	return (Datum) 0;
}
