/*
 * test_s3_xml.c — unit tests for io/s3_xml.c: ListObjectsV2 pages as AWS writes them
 * (default namespace), as s3rver writes them (another namespace), with a prefix and with
 * none; truncated pages, an empty bucket, five thousand objects; corrupt pages (no Key,
 * bad Size, bad LastModified, not XML, a DTD, another root) and a consumer that stops.
 * Then <Error> documents (NoSuchKey, SignatureDoesNotMatch, AuthorizationHeaderMalformed,
 * PermanentRedirect, truncation) and the promise that libxml2's error handlers are left
 * as they were found and never called by a parse.
 */
#include <stdlib.h>

#include <libxml/xmlerror.h>
#include <libxml/globals.h>

#include "common/buf.h"
#include "io/s3_xml.h"
#include "unit.h"

/* ---- a recording consumer ------------------------------------------------------------- */

#define MAX_SEEN 8

typedef struct seen_object
{
	char		key[128];
	uint64_t	size;
	int64_t		mtime;
	char		etag[64];
} seen_object;

typedef struct recorder
{
	size_t		n;
	size_t		stop_after;		/* return false on this call (1-based); 0: never */
	uint64_t	total_size;
	seen_object obj[MAX_SEEN];
} recorder;

static bool
record(void *arg, const char *key, uint64_t size, int64_t mtime, const char *etag)
{
	recorder   *r = arg;

	if (r->n < MAX_SEEN)
	{
		snprintf(r->obj[r->n].key, sizeof(r->obj[r->n].key), "%s", key);
		snprintf(r->obj[r->n].etag, sizeof(r->obj[r->n].etag), "%s", etag);
		r->obj[r->n].size = size;
		r->obj[r->n].mtime = mtime;
	}
	r->n++;
	r->total_size += size;
	return r->stop_after == 0 || r->n < r->stop_after;
}

static ff_code
parse(const char *xml, recorder *r, ff_s3_list_page *page, ff_status *st)
{
	memset(r, 0, sizeof(*r));
	ff_status_clear(st);
	return ff_s3_parse_list(xml, strlen(xml), record, r, page, st);
}

/* Parses a page expected to be corrupt; checks the message names `why` and nothing leaks. */
static void
check_corrupt(const char *xml, const char *why)
{
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	CHECK(parse(xml, &r, &page, &st) == FF_ERR_CORRUPT);
	CHECK(st.code == FF_ERR_CORRUPT);
	if (strstr(st.message, why) == NULL)
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", st.message, why);
	CHECK(strstr(st.message, why) != NULL);
	CHECK(page.next_token == NULL);
	CHECK(!page.truncated);
}

/* ---- listing pages -------------------------------------------------------------------- */

static const char aws_page[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
"    <Name>examplebucket</Name>\n"
"    <Prefix>backups/</Prefix>\n"
"    <KeyCount>3</KeyCount>\n"
"    <MaxKeys>1000</MaxKeys>\n"
"    <IsTruncated>false</IsTruncated>\n"
"    <Contents>\n"
"        <Key>backups/epoch_ending_1-.2f3d/epoch_ending.manifest</Key>\n"
"        <LastModified>2009-10-12T17:50:30.000Z</LastModified>\n"
"        <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>\n"
"        <Size>434234</Size>\n"
"        <StorageClass>STANDARD</StorageClass>\n"
"    </Contents>\n"
"    <Contents>\n"
"        <Key>backups/a &amp; b/caf\xc3\xa9 &lt;1&gt;.gz</Key>\n"
"        <LastModified>2023-01-31T23:59:59.999Z</LastModified>\n"
"        <ETag>\"599bab3ed2c697f1d26842727561fd94-3\"</ETag>\n"
"        <Size>0</Size>\n"
"        <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>\n"
"        <StorageClass>STANDARD</StorageClass>\n"
"    </Contents>\n"
"    <Contents>\n"
"        <Key> leading and trailing blanks are part of a key </Key>\n"
"        <Size>18446744073709551615</Size>\n"
"    </Contents>\n"
"    <CommonPrefixes><Prefix>backups/state_epoch_9/</Prefix></CommonPrefixes>\n"
"</ListBucketResult>\n";

static void
test_aws_page(void)
{
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	CHECK(parse(aws_page, &r, &page, &st) == FF_OK);
	CHECK(!page.truncated);
	CHECK(page.next_token == NULL);
	CHECK_EQ_U64(page.n_objects, 3);
	CHECK_EQ_U64(r.n, 3);
	CHECK_STR(r.obj[0].key, "backups/epoch_ending_1-.2f3d/epoch_ending.manifest");
	CHECK_EQ_U64(r.obj[0].size, 434234);
	CHECK(r.obj[0].mtime == 1255369830);
	CHECK_STR(r.obj[0].etag, "\"fba9dede5f27731c9771645a39863328\"");
	CHECK_STR(r.obj[1].key, "backups/a & b/caf\xc3\xa9 <1>.gz");
	CHECK_EQ_U64(r.obj[1].size, 0);
	CHECK(r.obj[1].mtime == 1675209599);
	CHECK_STR(r.obj[1].etag, "\"599bab3ed2c697f1d26842727561fd94-3\"");
	CHECK_STR(r.obj[2].key, " leading and trailing blanks are part of a key ");
	CHECK_EQ_U64(r.obj[2].size, UINT64_MAX);
	CHECK(r.obj[2].mtime == 0);
	CHECK_STR(r.obj[2].etag, "");
}

/* s3rver 3.7 writes compact XML in its own namespace, and a continuation token. */
static const char s3rver_page[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
"<ListBucketResult xmlns=\"http://doc.s3.amazonaws.com/2006-03-01/\">"
"<IsTruncated>true</IsTruncated><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
"<Name>archive</Name><Prefix></Prefix>"
"<ContinuationToken>AAAA</ContinuationToken>"
"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
"<Contents><Key>metadata-cache/epoch_ending_0-.json</Key>"
"<LastModified>2024-02-29T12:00:00.000Z</LastModified>"
"<ETag>\"d41d8cd98f00b204e9800998ecf8427e\"</ETag><Size>1234</Size>"
"<StorageClass>STANDARD</StorageClass></Contents>"
"<Contents><Key>transaction_1-.0a1b/transaction.manifest</Key>"
"<LastModified>2021-06-01T00:00:00Z</LastModified>"
"<ETag>\"0cc175b9c0f1b6a831c399e269772661\"</ETag><Size>98765</Size>"
"<StorageClass>STANDARD</StorageClass></Contents>"
"</ListBucketResult>";

static void
test_s3rver_truncated_page(void)
{
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	CHECK(parse(s3rver_page, &r, &page, &st) == FF_OK);
	CHECK(page.truncated);
	CHECK_STR(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
	CHECK_EQ_U64(page.n_objects, 2);
	CHECK_STR(r.obj[0].key, "metadata-cache/epoch_ending_0-.json");
	CHECK(r.obj[0].mtime == 1709208000);
	CHECK_EQ_U64(r.obj[0].size, 1234);
	CHECK_STR(r.obj[1].key, "transaction_1-.0a1b/transaction.manifest");
	CHECK(r.obj[1].mtime == 1622505600);	/* no fraction */
	CHECK_EQ_U64(r.obj[1].size, 98765);
	free(page.next_token);
}

static void
test_prefixed_and_bare_names(void)
{
	const char *prefixed =
		"<s3:ListBucketResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
		"<s3:IsTruncated>true</s3:IsTruncated>"
		"<s3:NextContinuationToken>tok</s3:NextContinuationToken>"
		"<s3:Contents><s3:Key>k</s3:Key><s3:Size>7</s3:Size>"
		"<s3:LastModified>2021-06-01T02:00:00+02:00</s3:LastModified></s3:Contents>"
		"</s3:ListBucketResult>";
	const char *bare =
		"<ListBucketResult><Contents><Key><![CDATA[a<b]]></Key><Size> 42 </Size>"
		"<LastModified>2021-05-31T19:30:00.5-04:30</LastModified></Contents>"
		"<IsTruncated> false </IsTruncated></ListBucketResult>";
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	CHECK(parse(prefixed, &r, &page, &st) == FF_OK);
	CHECK(page.truncated);
	CHECK_STR(page.next_token, "tok");
	CHECK_STR(r.obj[0].key, "k");
	CHECK_EQ_U64(r.obj[0].size, 7);
	CHECK(r.obj[0].mtime == 1622505600);
	free(page.next_token);

	CHECK(parse(bare, &r, &page, &st) == FF_OK);
	CHECK(!page.truncated);
	CHECK_STR(r.obj[0].key, "a<b");
	CHECK_EQ_U64(r.obj[0].size, 42);
	CHECK(r.obj[0].mtime == 1622505600);
}

static void
test_empty_bucket(void)
{
	const char *empty =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
		"<Name>examplebucket</Name><Prefix>nothing/</Prefix><KeyCount>0</KeyCount>"
		"<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>";
	const char *self_closed = "<ListBucketResult xmlns=\"urn:x\"/>";
	const char *empty_token =
		"<ListBucketResult><IsTruncated>false</IsTruncated>"
		"<NextContinuationToken></NextContinuationToken></ListBucketResult>";
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	CHECK(parse(empty, &r, &page, &st) == FF_OK);
	CHECK_EQ_U64(page.n_objects, 0);
	CHECK_EQ_U64(r.n, 0);
	CHECK(!page.truncated);
	CHECK(page.next_token == NULL);
	CHECK(parse(self_closed, &r, &page, &st) == FF_OK);
	CHECK_EQ_U64(page.n_objects, 0);
	CHECK(parse(empty_token, &r, &page, &st) == FF_OK);
	CHECK(page.next_token == NULL);
}

static void
test_many_objects(void)
{
	ff_buf		xml;
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;
	uint64_t	expect = 0;
	bool		ok = true;
	int			i;

	ff_buf_init(&xml);
	CHECK(ff_buf_append_str(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
							"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
							"<IsTruncated>true</IsTruncated>"));
	for (i = 0; ok && i < 5000; i++)
	{
		ok = ff_buf_printf(&xml, "<Contents><Key>chunk/%06d.bcs</Key>"
						   "<LastModified>2023-01-31T23:59:59.000Z</LastModified>"
						   "<ETag>&quot;%032x&quot;</ETag><Size>%d</Size>"
						   "<StorageClass>STANDARD</StorageClass></Contents>",
						   i, i, i * 3);
		expect += (uint64_t) i * 3;
	}
	CHECK(ok);
	CHECK(ff_buf_append_str(&xml, "<NextContinuationToken>next</NextContinuationToken>"
							"</ListBucketResult>"));
	memset(&r, 0, sizeof(r));
	ff_status_clear(&st);
	CHECK(ff_s3_parse_list(xml.data, xml.len, record, &r, &page, &st) == FF_OK);
	CHECK_EQ_U64(page.n_objects, 5000);
	CHECK_EQ_U64(r.n, 5000);
	CHECK_EQ_U64(r.total_size, expect);
	CHECK_STR(r.obj[1].key, "chunk/000001.bcs");
	CHECK_STR(page.next_token, "next");
	free(page.next_token);

	/* NULL consumer: only counted. */
	CHECK(ff_s3_parse_list(xml.data, xml.len, NULL, NULL, &page, &st) == FF_OK);
	CHECK_EQ_U64(page.n_objects, 5000);
	free(page.next_token);
	ff_buf_free(&xml);
}

static void
test_corrupt_pages(void)
{
	/* A <Contents> without Key, after a good one. */
	check_corrupt("<ListBucketResult><NextContinuationToken>t</NextContinuationToken>"
				  "<Contents><Key>a</Key><Size>1</Size></Contents>"
				  "<Contents><Size>2</Size><ETag>\"x\"</ETag></Contents></ListBucketResult>",
				  "#1 has no <Key>");
	check_corrupt("<ListBucketResult><Contents><Key></Key><Size>2</Size></Contents></ListBucketResult>",
				  "empty <Key>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Key>b</Key><Size>2</Size></Contents>"
				  "</ListBucketResult>", "two <Key>");
	/* Size: missing, not a number, negative, empty, beyond 64 bits */
	check_corrupt("<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>",
				  "has no <Size>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>12x</Size></Contents></ListBucketResult>",
				  "bad <Size> \"12x\"");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",
				  "bad <Size>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size/></Contents></ListBucketResult>",
				  "bad <Size>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>18446744073709551616</Size>"
				  "</Contents></ListBucketResult>", "bad <Size>");
	/* LastModified: not ISO 8601, no zone, a day that does not exist */
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>1</Size>"
				  "<LastModified>Mon, 12 Oct 2009 17:50:30 GMT</LastModified></Contents></ListBucketResult>",
				  "bad <LastModified>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>1</Size>"
				  "<LastModified>2009-10-12T17:50:30</LastModified></Contents></ListBucketResult>",
				  "bad <LastModified>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>1</Size>"
				  "<LastModified>2023-02-30T00:00:00Z</LastModified></Contents></ListBucketResult>",
				  "bad <LastModified>");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key><Size>1</Size>"
				  "<LastModified>2023-02-03T00:00:00.Z</LastModified></Contents></ListBucketResult>",
				  "bad <LastModified>");
	check_corrupt("<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>",
				  "bad <IsTruncated>");
	check_corrupt("<ListBucketResult><NextContinuationToken>a</NextContinuationToken>"
				  "<NextContinuationToken>b</NextContinuationToken></ListBucketResult>",
				  "two <NextContinuationToken>");
	/* Not XML at all, cut short, empty */
	check_corrupt("Internal Server Error", "not XML");
	check_corrupt("<ListBucketResult><Contents><Key>a</Key>", "not XML (line 1");
	check_corrupt("<html><body><p>Bad gateway</body></html>", "not XML");
	check_corrupt("", "not XML (empty document)");
	/* Well-formed, but something else */
	check_corrupt("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
				  "not a ListBucketResult (root element <Error>)");
	check_corrupt("<ListAllMyBucketsResult/>", "not a ListBucketResult");
	/* A DTD (and its entity) is refused rather than half-expanded */
	check_corrupt("<!DOCTYPE ListBucketResult [<!ENTITY x \"evil\">]>"
				  "<ListBucketResult><Contents><Key>&x;</Key><Size>1</Size></Contents>"
				  "</ListBucketResult>", "DTD");
	check_corrupt("<!DOCTYPE ListBucketResult SYSTEM \"http://127.0.0.1:1/x.dtd\">"
				  "<ListBucketResult/>", "DTD");
}

static void
test_consumer_stops(void)
{
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;

	memset(&r, 0, sizeof(r));
	r.stop_after = 1;
	ff_status_clear(&st);
	CHECK(ff_s3_parse_list(s3rver_page, strlen(s3rver_page), record, &r, &page, &st) == FF_ERR_NOMEM);
	CHECK_EQ_U64(r.n, 1);
	CHECK(page.next_token == NULL);
	CHECK(strstr(st.message, "metadata-cache/epoch_ending_0-.json") != NULL);
}

/* ---- libxml2's error handlers --------------------------------------------------------- */

static int	handler_calls;
static int	handler_ctx;

static void
my_structured(void *ctx, xmlErrorPtr err)
{
	(void) ctx;
	(void) err;
	handler_calls++;
}

static void my_generic(void *ctx, const char *msg,...) __attribute__((format(printf, 2, 3)));

static void
my_generic(void *ctx, const char *msg,...)
{
	(void) ctx;
	(void) msg;
	handler_calls++;
}

static void
test_error_handlers_restored(void)
{
	recorder	r;
	ff_s3_list_page page;
	ff_status	st;
	ff_s3_error e;
	int			ctx2;

	xmlSetStructuredErrorFunc(&handler_ctx, my_structured);
	xmlSetGenericErrorFunc(&handler_ctx, my_generic);
	handler_calls = 0;

	CHECK(parse("<ListBucketResult><Contents>", &r, &page, &st) == FF_ERR_CORRUPT);
	CHECK(parse("not xml", &r, &page, &st) == FF_ERR_CORRUPT);
	CHECK(parse("<a>\xff\xfe</a>", &r, &page, &st) == FF_ERR_CORRUPT);
	CHECK(!ff_s3_parse_error("<Error><Code>x</Error>", strlen("<Error><Code>x</Error>"), &e));
	CHECK(parse(aws_page, &r, &page, &st) == FF_OK);

	CHECK(handler_calls == 0);
	CHECK(xmlStructuredError == my_structured);
	CHECK(xmlStructuredErrorContext == &handler_ctx);
	CHECK(xmlGenericError == my_generic);
	CHECK(xmlGenericErrorContext == &handler_ctx);

	/* A NULL structured handler stays NULL. */
	xmlSetStructuredErrorFunc(&ctx2, NULL);
	CHECK(parse("<<<", &r, &page, &st) == FF_ERR_CORRUPT);
	CHECK(xmlStructuredError == NULL);
	CHECK(xmlStructuredErrorContext == &ctx2);
	CHECK(handler_calls == 0);

	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
}

/* ---- <Error> documents ---------------------------------------------------------------- */

static void
test_errors(void)
{
	const char *no_such_key =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
		"<Key>backups/missing.manifest</Key><RequestId>4442587FB7D0A2F9</RequestId>"
		"<HostId>eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran</HostId></Error>";
	const char *bad_signature =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
		"does not match the signature you provided. Check your key and signing method.</Message>"
		"<AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>"
		"<StringToSign>AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		"7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972</StringToSign>"
		"<SignatureProvided>f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb40"
		"</SignatureProvided><CanonicalRequest>GET\n/test.txt\n\n</CanonicalRequest>"
		"<RequestId>TX1</RequestId></Error>";
	const char *wrong_region =
		"<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is "
		"malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message>"
		"<Region>eu-west-1</Region><RequestId>TX2</RequestId><HostId>h</HostId></Error>";
	const char *redirect =
		"<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access "
		"must be addressed using the specified endpoint. Please send all future requests to "
		"this endpoint.</Message><Endpoint>examplebucket.s3.eu-west-1.amazonaws.com</Endpoint>"
		"<Bucket>examplebucket</Bucket><RequestId>TX3</RequestId></Error>";
	const char *s3rver_error =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error xmlns=\"http://doc.s3.amazonaws.com/2006-03-01/\">\n"
		"  <Code>NoSuchBucket</Code>\n  <Message>The specified bucket does not exist</Message>\n"
		"  <BucketName>nope</BucketName>\n  <RequestId>0</RequestId>\n</Error>";
	ff_s3_error e;

	CHECK(ff_s3_parse_error(no_such_key, strlen(no_such_key), &e));
	CHECK_STR(e.code, "NoSuchKey");
	CHECK_STR(e.message, "The specified key does not exist.");
	CHECK_STR(e.request_id, "4442587FB7D0A2F9");
	CHECK_STR(e.region, "");
	CHECK_STR(e.endpoint, "");

	CHECK(ff_s3_parse_error(bad_signature, strlen(bad_signature), &e));
	CHECK_STR(e.code, "SignatureDoesNotMatch");
	CHECK(strncmp(e.message, "The request signature we calculated", 35) == 0);
	CHECK_STR(e.request_id, "TX1");

	CHECK(ff_s3_parse_error(wrong_region, strlen(wrong_region), &e));
	CHECK_STR(e.code, "AuthorizationHeaderMalformed");
	CHECK_STR(e.region, "eu-west-1");
	CHECK_STR(e.request_id, "TX2");

	CHECK(ff_s3_parse_error(redirect, strlen(redirect), &e));
	CHECK_STR(e.code, "PermanentRedirect");
	CHECK_STR(e.endpoint, "examplebucket.s3.eu-west-1.amazonaws.com");
	CHECK_STR(e.region, "");

	CHECK(ff_s3_parse_error(s3rver_error, strlen(s3rver_error), &e));
	CHECK_STR(e.code, "NoSuchBucket");
	CHECK_STR(e.message, "The specified bucket does not exist");
}

static bool
all_empty(const ff_s3_error *e)
{
	return !e->code[0] && !e->message[0] && !e->region[0] && !e->endpoint[0] && !e->request_id[0];
}

static void
test_not_errors(void)
{
	ff_s3_error e;

	memset(&e, 'x', sizeof(e));
	CHECK(!ff_s3_parse_error(aws_page, strlen(aws_page), &e));
	CHECK(all_empty(&e));
	memset(&e, 'x', sizeof(e));
	CHECK(!ff_s3_parse_error("<html><body>502 Bad Gateway</body></html>",
							 strlen("<html><body>502 Bad Gateway</body></html>"), &e));
	CHECK(all_empty(&e));
	CHECK(!ff_s3_parse_error("Service Unavailable", strlen("Service Unavailable"), &e));
	CHECK(all_empty(&e));
	CHECK(!ff_s3_parse_error("", 0, &e));
	CHECK(!ff_s3_parse_error(NULL, 0, &e));
	CHECK(all_empty(&e));
}

static void
test_error_truncation(void)
{
	ff_buf		xml;
	ff_s3_error e;
	bool		ok = true;
	int			i;

	/* 300 two-byte characters into 255 bytes: cut at a character boundary. */
	ff_buf_init(&xml);
	CHECK(ff_buf_append_str(&xml, "<Error><Code>InternalError</Code><Message>"));
	for (i = 0; ok && i < 300; i++)
		ok = ff_buf_append_str(&xml, "\xc3\xa9");
	CHECK(ff_buf_append_str(&xml, "</Message><Code2>x</Code2><Region>"));
	for (i = 0; ok && i < 100; i++)
		ok = ff_buf_append_str(&xml, "r");
	CHECK(ok);
	CHECK(ff_buf_append_str(&xml, "</Region></Error>"));
	CHECK(ff_s3_parse_error(xml.data, xml.len, &e));
	CHECK_STR(e.code, "InternalError");
	CHECK_EQ_U64(strlen(e.message), 254);
	CHECK(strncmp(e.message, "\xc3\xa9\xc3\xa9", 4) == 0);
	CHECK((unsigned char) e.message[252] == 0xc3 && (unsigned char) e.message[253] == 0xa9);
	CHECK_EQ_U64(strlen(e.region), 63);
	ff_buf_free(&xml);
}

int
main(void)
{
	RUN(test_aws_page);
	RUN(test_s3rver_truncated_page);
	RUN(test_prefixed_and_bare_names);
	RUN(test_empty_bucket);
	RUN(test_many_objects);
	RUN(test_corrupt_pages);
	RUN(test_consumer_stops);
	RUN(test_error_handlers_restored);
	RUN(test_errors);
	RUN(test_not_errors);
	RUN(test_error_truncation);
	return unit_summary("s3_xml");
}
