/*
 * s3_xml.h — the two XML documents an S3 client reads, parsed with libxml2 (no network,
 * no entity expansion, no DTD): a ListObjectsV2 result page and an error response.
 * Elements are matched by local name, never by namespace (s3rver and AWS differ).
 */
#ifndef FF_IO_S3_XML_H
#define FF_IO_S3_XML_H

#include "common/status.h"

/* Called once per <Contents>; return false to stop (the parse then fails with FF_ERR_NOMEM). */
typedef bool (*ff_s3_object_fn) (void *arg, const char *key, uint64_t size, int64_t mtime,
								 const char *etag);

typedef struct ff_s3_list_page
{
	bool		truncated;		/* <IsTruncated>true</IsTruncated> */
	char	   *next_token;		/* <NextContinuationToken>, malloc'ed; NULL if absent */
	size_t		n_objects;		/* <Contents> elements seen */
} ff_s3_list_page;

/*
 * Parse one ListObjectsV2 page. For each <Contents>: Key (required), Size (required,
 * decimal u64), LastModified (ISO 8601 "2009-10-12T17:50:30.000Z" -> seconds since the Unix
 * epoch, 0 when absent), ETag (as written, quotes included; "" when absent).
 * FF_ERR_CORRUPT (with a message saying what is wrong) for a document that is not a
 * ListBucketResult, a <Contents> without Key or with a bad Size, or XML that does not parse.
 * Caller frees page->next_token.
 */
ff_code		ff_s3_parse_list(const char *xml, size_t len, ff_s3_object_fn on_object, void *arg,
							 ff_s3_list_page *page, ff_status *st);

typedef struct ff_s3_error
{
	char		code[64];		/* <Code>, e.g. "NoSuchKey", "SignatureDoesNotMatch" */
	char		message[256];	/* <Message> */
	char		region[64];		/* <Region> (AuthorizationHeaderMalformed, PermanentRedirect) */
	char		endpoint[256];	/* <Endpoint> (PermanentRedirect) */
	char		request_id[128];	/* <RequestId> */
} ff_s3_error;

/*
 * Parse an <Error> document. Returns false (out all empty strings) when the text is not
 * one. Values are truncated to the field sizes; never fails otherwise.
 */
bool		ff_s3_parse_error(const char *xml, size_t len, ff_s3_error *out);

#endif
