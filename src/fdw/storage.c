/*
 * storage.c — the storage behind a server (like postgres_fdw's connection.c): a local
 * directory, or an S3 bucket reached with the server's S3 options and the credentials of
 * the user's mapping (or, where a superuser enabled it, of the server's environment or
 * instance). Errors say what to fix and never show a secret.
 */
#include "fdw/forensic_fdw.h"

#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "io/s3.h"

/* Fill an ff_s3_config from the options; strings point into opts/user (palloc'ed). */
void
ff_s3_config_from_options(const ForeignServer *server, const FfS3Options *opts,
						  const FfS3UserOptions *user, ff_s3_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bucket = opts->bucket;
	cfg->prefix = opts->prefix;
	cfg->region = opts->region;
	cfg->endpoint = opts->endpoint;
	cfg->virtual_style = opts->virtual_style;
	cfg->connect_timeout_ms = opts->connect_timeout * 1000L;
	cfg->request_timeout_ms = opts->request_timeout * 1000L;
	cfg->max_retries = opts->max_retries;
	cfg->requester_pays = opts->requester_pays;
	cfg->imds_endpoint = opts->imds_endpoint;
	cfg->part_size = opts->part_size;
	cfg->max_requests = opts->max_requests;
	cfg->list_page_size = opts->list_page_size;
	cfg->cancel = ff_cancel_requested;

	if (user->found && user->access_key_id)
	{
		cfg->cred_source = FF_S3_CRED_STATIC;
		cfg->access_key_id = user->access_key_id;
		cfg->secret_access_key = user->secret_access_key;
		cfg->session_token = user->session_token;
	}
	else if (user->found && user->anonymous)
		cfg->cred_source = FF_S3_CRED_ANONYMOUS;
	else if (opts->credentials_from == FF_CREDS_ENVIRONMENT)
		cfg->cred_source = FF_S3_CRED_ENV;
	else if (opts->credentials_from == FF_CREDS_INSTANCE)
		cfg->cred_source = FF_S3_CRED_INSTANCE;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("no S3 credentials for role \"%s\" on server \"%s\"",
						GetUserNameFromId(GetUserId(), false), server->servername),
				 user->found
				 ? errdetail("The user mapping has neither access_key_id and secret_access_key nor anonymous 'true'.")
				 : errdetail("There is no user mapping for the role or for PUBLIC."),
				 errhint("CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (access_key_id '...', secret_access_key '...'), or OPTIONS (anonymous 'true') for a public bucket.",
						 quote_identifier(server->servername))));
}

static ff_source *
open_s3(Oid serverid, Oid userid, int *cache_ttl)
{
	ForeignServer *server = GetForeignServer(serverid);
	FfS3Options opts;
	FfS3UserOptions user;
	ff_s3_config cfg;
	ff_s3_client *client = NULL;
	ff_source  *source = NULL;
	ff_status	st;

	ff_get_s3_options(server, &opts);
	ff_get_s3_user_options(serverid, userid, &user);
	ff_s3_config_from_options(server, &opts, &user, &cfg);
	*cache_ttl = opts.cache_ttl;

	ff_status_clear(&st);
	if (ff_s3_client_new(&cfg, &client, &st) != FF_OK)
		ff_report(&st, "cannot get S3 credentials");
	if (ff_source_s3_new(client, &source, &st) != FF_OK)
		ff_report(&st, "cannot open the S3 location");
	return source;
}

ff_source *
ff_open_source(Oid serverid, Oid userid, const char *location, int *cache_ttl)
{
	ff_status	st;
	ff_source  *source = NULL;
	ff_code		rc;

	*cache_ttl = 0;
	if (ff_location_is_s3(location))
		return open_s3(serverid, userid, cache_ttl);

	ff_status_clear(&st);
	rc = ff_source_local_new(location, ff_cancel_requested, &source, &st);
	if (rc == FF_ERR_NOT_FOUND)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
				 errmsg("archive location \"%s\" does not exist", location),
				 errdetail("%s.", st.message),
				 errhint("Check the server's option \"location\"; the path must be readable by the database server's operating-system user.")));
	if (rc != FF_OK)
		ff_report(&st, "cannot open archive location");
	return source;
}
