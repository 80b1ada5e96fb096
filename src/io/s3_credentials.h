/*
 * s3_credentials.h — where AWS credentials come from when they are not given directly:
 * the process environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)
 * or the EC2 instance metadata service (IMDSv2: a session token by PUT, then the role's
 * temporary credentials). Used only where a superuser enabled it (fdw/option.c).
 */
#ifndef FF_IO_S3_CREDENTIALS_H
#define FF_IO_S3_CREDENTIALS_H

#include "common/status.h"

typedef struct ff_s3_creds
{
	char	   *access_key_id;	/* malloc'ed */
	char	   *secret_access_key;
	char	   *session_token;	/* NULL when none */
	int64_t		expires;		/* seconds since the Unix epoch; 0: never */
} ff_s3_creds;

/* Copy the given values (token may be NULL). */
ff_code		ff_s3_creds_set(ff_s3_creds *c, const char *akid, const char *secret,
							const char *token, int64_t expires, ff_status *st);
/* From the environment; FF_ERR_DENIED when AWS_ACCESS_KEY_ID or the secret is unset. */
ff_code		ff_s3_creds_from_env(ff_s3_creds *c, ff_status *st);
/* From IMDSv2 at endpoint ("http://169.254.169.254" when NULL). */
ff_code		ff_s3_creds_from_imds(ff_s3_creds *c, const char *endpoint, long timeout_ms,
								  ff_cancel_fn cancel, ff_status *st);
/* Free and wipe. */
void		ff_s3_creds_clear(ff_s3_creds *c);

#endif
