/*
 * test_s3_sign.c — unit tests for io/s3_sign.c against AWS's published vectors: the four
 * S3 examples of "Examples: Signature Calculations in AWS Signature Version 4" (GET object
 * with a range, PUT object, GET ?lifecycle, GET ?max-keys=2&prefix=J: canonical request,
 * string to sign, signature, Authorization header) and four cases of the generic SigV4
 * test suite (query order by name and by value, header value trimming, a session token).
 * Then percent-encoding, query canonicalization, refusals of malformed requests and the
 * promise that the secret never shows up in a message.
 */
#include <stdlib.h>

#include "io/s3_sign.h"
#include "unit.h"

#define EMPTY_SHA256	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* The S3 examples' credentials, date and region. */
#define S3_AKID			"AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_DATE			"20130524T000000Z"
#define S3_HOST			"examplebucket.s3.amazonaws.com"

/* The generic SigV4 test suite's (note the '+' where the S3 secret has a '/'). */
#define SUITE_AKID		"AKIDEXAMPLE"
#define SUITE_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_DATE		"20150830T123600Z"
#define SUITE_HOST		"example.amazonaws.com"

static ff_s3_sign_request
s3_example(const char *method, const char *uri, const char *query,
		   const ff_s3_header *headers, size_t n, const char *payload_hash)
{
	ff_s3_sign_request r = {
		.method = method,
		.canonical_uri = uri,
		.canonical_query = query,
		.headers = headers,
		.n_headers = n,
		.payload_hash = payload_hash,
		.amz_date = S3_DATE,
		.region = "us-east-1",
		.service = "s3",
		.access_key_id = S3_AKID,
		.secret_access_key = S3_SECRET,
	};

	return r;
}

static ff_s3_sign_request
suite_example(const char *method, const char *query, const ff_s3_header *headers, size_t n)
{
	ff_s3_sign_request r = s3_example(method, "/", query, headers, n, EMPTY_SHA256);

	r.amz_date = SUITE_DATE;
	r.service = "service";
	r.access_key_id = SUITE_AKID;
	r.secret_access_key = SUITE_SECRET;
	return r;
}

/* Signs r and checks every text the documentation prints (NULL: not printed). */
static void
check_sign(const ff_s3_sign_request *r, const char *creq, const char *sts,
		   const char *authorization)
{
	ff_buf		auth,
				c,
				s;
	ff_status	st;

	ff_buf_init(&auth);
	ff_buf_init(&c);
	ff_buf_init(&s);
	ff_status_clear(&st);
	CHECK(ff_s3_sign(r, &auth, &c, &s, &st) == FF_OK);
	if (creq)
		CHECK_STR(c.data, creq);
	if (sts)
		CHECK_STR(s.data, sts);
	CHECK_STR(auth.data, authorization);
	ff_buf_free(&auth);
	ff_buf_free(&c);
	ff_buf_free(&s);
}

/* Signs r and returns the hex signature (static storage), "" on failure. */
static const char *
signature_of(const ff_s3_sign_request *r)
{
	static char sig[65];
	ff_buf		auth;
	ff_status	st;
	const char *p;

	ff_buf_init(&auth);
	ff_status_clear(&st);
	sig[0] = '\0';
	if (ff_s3_sign(r, &auth, NULL, NULL, &st) == FF_OK &&
		(p = strstr(auth.data, ",Signature=")) != NULL)
		snprintf(sig, sizeof(sig), "%s", p + strlen(",Signature="));
	ff_buf_free(&auth);
	return sig;
}

/* ---- the S3 examples ------------------------------------------------------------------ */

static void
test_get_object(void)
{
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"Range", "bytes=0-9"},
		{"x-amz-content-sha256", EMPTY_SHA256},
		{"x-amz-date", S3_DATE},
	};
	ff_s3_sign_request r = s3_example("GET", "/test.txt", "", h, 4, EMPTY_SHA256);

	check_sign(&r,
			   "GET\n"
			   "/test.txt\n"
			   "\n"
			   "host:examplebucket.s3.amazonaws.com\n"
			   "range:bytes=0-9\n"
			   "x-amz-content-sha256:" EMPTY_SHA256 "\n"
			   "x-amz-date:20130524T000000Z\n"
			   "\n"
			   "host;range;x-amz-content-sha256;x-amz-date\n"
			   EMPTY_SHA256,
			   "AWS4-HMAC-SHA256\n"
			   "20130524T000000Z\n"
			   "20130524/us-east-1/s3/aws4_request\n"
			   "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
			   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
			   "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
			   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	/* The order headers are given in does not matter. */
	{
		ff_s3_header shuffled[] = {h[3], h[1], h[0], h[2]};
		ff_s3_sign_request r2 = s3_example("GET", "/test.txt", "", shuffled, 4, EMPTY_SHA256);

		CHECK_STR(signature_of(&r2), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	}
}

static void
test_put_object(void)
{
	const char *body = "Welcome to Amazon S3.";
	char		body_hash[65];
	ff_buf		path;
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
		{"x-amz-date", S3_DATE},
		{"x-amz-storage-class", "REDUCED_REDUNDANCY"},
		{"x-amz-content-sha256", NULL},
	};
	ff_s3_sign_request r;

	ff_sha256_hex(body, strlen(body), body_hash);
	CHECK_STR(body_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
	h[4].value = body_hash;
	/* The key "test$file.text" as a path: '$' is encoded, the leading '/' kept. */
	ff_buf_init(&path);
	CHECK(ff_s3_uri_encode(&path, "/test$file.text", strlen("/test$file.text"), true));
	CHECK_STR(path.data, "/test%24file.text");
	r = s3_example("PUT", path.data, "", h, 5, body_hash);
	check_sign(&r,
			   "PUT\n"
			   "/test%24file.text\n"
			   "\n"
			   "date:Fri, 24 May 2013 00:00:00 GMT\n"
			   "host:examplebucket.s3.amazonaws.com\n"
			   "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
			   "x-amz-date:20130524T000000Z\n"
			   "x-amz-storage-class:REDUCED_REDUNDANCY\n"
			   "\n"
			   "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
			   "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
			   "AWS4-HMAC-SHA256\n"
			   "20130524T000000Z\n"
			   "20130524/us-east-1/s3/aws4_request\n"
			   "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
			   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
			   "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
			   "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
	ff_buf_free(&path);
}

/*
 * The two bucket examples (GET ?lifecycle, GET ?max-keys=2&prefix=J) differ only in the
 * query: sign one from its raw parameters and check the texts the documentation prints.
 */
static void
check_bucket_get(const ff_s3_param *params, size_t n, const char *query,
				 const char *creq_sha256, const char *signature)
{
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"x-amz-content-sha256", EMPTY_SHA256},
		{"x-amz-date", S3_DATE},
	};
	ff_buf		q,
				creq,
				sts,
				auth;
	ff_s3_sign_request r;

	ff_buf_init(&q);
	ff_buf_init(&creq);
	ff_buf_init(&sts);
	ff_buf_init(&auth);
	CHECK(ff_s3_canonical_query(&q, params, n));
	CHECK_STR(q.data, query);
	CHECK(ff_buf_printf(&creq, "GET\n/\n%s\n"
						"host:examplebucket.s3.amazonaws.com\n"
						"x-amz-content-sha256:" EMPTY_SHA256 "\n"
						"x-amz-date:20130524T000000Z\n"
						"\n"
						"host;x-amz-content-sha256;x-amz-date\n"
						EMPTY_SHA256, query));
	CHECK(ff_buf_printf(&sts, "AWS4-HMAC-SHA256\n"
						"20130524T000000Z\n"
						"20130524/us-east-1/s3/aws4_request\n"
						"%s", creq_sha256));
	CHECK(ff_buf_printf(&auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
						"us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;"
						"x-amz-date,Signature=%s", signature));
	r = s3_example("GET", "/", q.data, h, 3, EMPTY_SHA256);
	check_sign(&r, creq.data, sts.data, auth.data);
	ff_buf_free(&q);
	ff_buf_free(&creq);
	ff_buf_free(&sts);
	ff_buf_free(&auth);
}

static void
test_get_lifecycle(void)
{
	ff_s3_param q[] = {{"lifecycle", ""}};

	check_bucket_get(q, 1, "lifecycle=",
					 "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
					 "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
	/* A NULL value is the same as "". */
	q[0].value = NULL;
	check_bucket_get(q, 1, "lifecycle=",
					 "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
					 "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

static void
test_list_objects(void)
{
	/* Given out of order: the canonical string sorts them. */
	ff_s3_param q[] = {{"prefix", "J"}, {"max-keys", "2"}};

	check_bucket_get(q, 2, "max-keys=2&prefix=J",
					 "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
					 "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

/* The outputs are appended to: a caller can write "Authorization: " first. */
static void
test_sign_appends(void)
{
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"Range", "bytes=0-9"},
		{"x-amz-content-sha256", EMPTY_SHA256},
		{"x-amz-date", S3_DATE},
	};
	ff_s3_sign_request r = s3_example("GET", "/test.txt", "", h, 4, EMPTY_SHA256);
	ff_buf		auth,
				creq,
				sts;
	ff_status	st;

	ff_buf_init(&auth);
	ff_buf_init(&creq);
	ff_buf_init(&sts);
	ff_status_clear(&st);
	CHECK(ff_buf_append_str(&auth, "Authorization: "));
	CHECK(ff_buf_append_str(&creq, "[creq]"));
	CHECK(ff_buf_append_str(&sts, "[sts]"));
	CHECK(ff_s3_sign(&r, &auth, &creq, &sts, &st) == FF_OK);
	CHECK_STR(auth.data,
			  "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/"
			  "s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
			  "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	CHECK(strncmp(creq.data, "[creq]GET\n/test.txt\n\nhost:",
				  strlen("[creq]GET\n/test.txt\n\nhost:")) == 0);
	CHECK(strncmp(sts.data, "[sts]AWS4-HMAC-SHA256\n", strlen("[sts]AWS4-HMAC-SHA256\n")) == 0);
	/* What is hashed and signed is only the appended part. */
	CHECK(strstr(sts.data, "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972") != NULL);
	ff_buf_free(&auth);
	ff_buf_free(&creq);
	ff_buf_free(&sts);
}

/* ---- the generic SigV4 test suite ----------------------------------------------------- */

static void
test_suite_query_order(void)
{
	ff_s3_header h[] = {{"Host", SUITE_HOST}, {"X-Amz-Date", SUITE_DATE}};
	ff_s3_param by_name[] = {{"Param2", "value2"}, {"Param1", "value1"}};
	ff_s3_param by_value[] = {{"Param1", "value2"}, {"Param1", "value1"}};
	ff_buf		query;
	ff_buf		auth,
				creq;
	ff_status	st;
	ff_s3_sign_request r;

	ff_buf_init(&query);
	ff_buf_init(&auth);
	ff_buf_init(&creq);
	ff_status_clear(&st);

	/* get-vanilla-query-order-key-case */
	CHECK(ff_s3_canonical_query(&query, by_name, 2));
	CHECK_STR(query.data, "Param1=value1&Param2=value2");
	r = suite_example("GET", query.data, h, 2);
	CHECK_STR(signature_of(&r), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");

	/* get-vanilla-query-order-value: a repeated name sorts by value */
	ff_buf_reset(&query);
	CHECK(ff_s3_canonical_query(&query, by_value, 2));
	CHECK_STR(query.data, "Param1=value1&Param1=value2");
	r = suite_example("GET", query.data, h, 2);
	CHECK(ff_s3_sign(&r, &auth, &creq, NULL, &st) == FF_OK);
	CHECK_STR(creq.data,
			  "GET\n/\nParam1=value1&Param1=value2\n"
			  "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
			  "host;x-amz-date\n" EMPTY_SHA256);
	CHECK_STR(signature_of(&r), "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");

	ff_buf_free(&query);
	ff_buf_free(&auth);
	ff_buf_free(&creq);
}

static void
test_suite_header_trim(void)
{
	/* get-header-value-trim: "My-Header2: \"a   b   c\"" is signed as "\"a b c\"" */
	ff_s3_header h[] = {
		{"Host", SUITE_HOST},
		{"My-Header1", " value1"},
		{"My-Header2", " \"a   b   c\""},
		{"X-Amz-Date", SUITE_DATE},
	};
	ff_s3_sign_request r = suite_example("GET", "", h, 4);
	ff_buf		auth,
				creq;
	ff_status	st;

	ff_buf_init(&auth);
	ff_buf_init(&creq);
	ff_status_clear(&st);
	CHECK(ff_s3_sign(&r, &auth, &creq, NULL, &st) == FF_OK);
	CHECK(strstr(creq.data, "\nmy-header1:value1\nmy-header2:\"a b c\"\n") != NULL);
	CHECK(strstr(auth.data, ",SignedHeaders=host;my-header1;my-header2;x-amz-date,") != NULL);
	CHECK_STR(signature_of(&r), "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
	ff_buf_free(&auth);
	ff_buf_free(&creq);
}

static void
test_suite_session_token(void)
{
	/* post-sts-header-before: the token is one of the signed headers */
	ff_s3_header h[] = {
		{"Host", SUITE_HOST},
		{"X-Amz-Date", SUITE_DATE},
		{"X-Amz-Security-Token",
			"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRX"
			"mxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburE"
			"Dy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL"
			"64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="},
	};
	ff_s3_sign_request r = suite_example("POST", "", h, 3);
	ff_buf		auth;
	ff_status	st;

	ff_buf_init(&auth);
	ff_status_clear(&st);
	CHECK(ff_s3_sign(&r, &auth, NULL, NULL, &st) == FF_OK);
	CHECK_STR(auth.data,
			  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
			  "SignedHeaders=host;x-amz-date;x-amz-security-token,"
			  "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
	ff_buf_free(&auth);
}

/* ---- encoding and the query string ---------------------------------------------------- */

static const char *
encoded(const char *s, bool keep_slash)
{
	static ff_buf out;

	ff_buf_reset(&out);
	if (!ff_s3_uri_encode(&out, s, strlen(s), keep_slash))
		return "(failed)";
	return out.data;
}

static void
test_uri_encode(void)
{
	ff_buf		out;
	const char	nul_inside[] = {'a', '\0', 'b'};

	CHECK_STR(encoded("AZaz09-_.~", false), "AZaz09-_.~");
	CHECK_STR(encoded("a b", false), "a%20b");
	CHECK_STR(encoded("a+b", false), "a%2Bb");
	CHECK_STR(encoded("a=b&c", false), "a%3Db%26c");
	CHECK_STR(encoded("a/b", false), "a%2Fb");
	CHECK_STR(encoded("/a/b c/", true), "/a/b%20c/");
	CHECK_STR(encoded("100%", false), "100%25");
	CHECK_STR(encoded("!'()*$,;:@?#[]", false), "%21%27%28%29%2A%24%2C%3B%3A%40%3F%23%5B%5D");
	CHECK_STR(encoded("caf\xc3\xa9 \xe2\x82\xac", true), "caf%C3%A9%20%E2%82%AC");
	CHECK_STR(encoded("\x01\x7f\xff", false), "%01%7F%FF");
	CHECK_STR(encoded("", false), "");

	/* Appends, and takes an explicit length (a NUL byte is encoded, not an end). */
	ff_buf_init(&out);
	CHECK(ff_buf_append_str(&out, "x="));
	CHECK(ff_s3_uri_encode(&out, nul_inside, sizeof(nul_inside), false));
	CHECK_STR(out.data, "x=a%00b");
	CHECK_EQ_U64(out.len, 7);
	ff_buf_free(&out);
}

static const char *
canonical(const ff_s3_param *params, size_t n)
{
	static ff_buf out;

	ff_buf_reset(&out);
	if (!ff_s3_canonical_query(&out, params, n))
		return "(failed)";
	return out.data ? out.data : "(null)";
}

static void
test_canonical_query(void)
{
	ff_s3_param token[] = {
		{"list-type", "2"},
		{"continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="},
		{"prefix", "backups/epoch 1+2"},
	};
	/* Names that share a prefix: the whole name sorts before "name=value" would. */
	ff_s3_param prefixes[] = {
		{"a-b", "1"},
		{"a", "2"},
		{"ab", ""},
		{"a.b", "3"},
	};
	/* Sorted after encoding: "a%C3%A9" < "a_" although 0xC3 > '_'. */
	ff_s3_param encoded_sort[] = {
		{"b", "x"},
		{"a_", "w"},
		{"a\xc3\xa9", "v"},
		{"a b", "y"},
		{"a~", "z"},
	};
	ff_s3_param values[] = {{"k", "b"}, {"k", ""}, {"k", "a b"}, {"k", "a"}};
	ff_s3_param utf8[] = {{"prefix", "d\xc3\xa9j\xc3\xa0/vu"}};

	CHECK_STR(canonical(NULL, 0), "");
	CHECK_STR(canonical(token, 3),
			  "continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D"
			  "&list-type=2"
			  "&prefix=backups%2Fepoch%201%2B2");
	CHECK_STR(canonical(prefixes, 4), "a=2&a-b=1&a.b=3&ab=");
	CHECK_STR(canonical(encoded_sort, 5), "a%20b=y&a%C3%A9=v&a_=w&a~=z&b=x");
	CHECK_STR(canonical(values, 4), "k=&k=a&k=a%20b&k=b");
	CHECK_STR(canonical(utf8, 1), "prefix=d%C3%A9j%C3%A0%2Fvu");
}

/* ---- dates, hashes, refusals ---------------------------------------------------------- */

static void
test_amz_date_and_sha256(void)
{
	char		d[17];
	char		h[65];

	ff_s3_amz_date(0, d);
	CHECK_STR(d, "19700101T000000Z");
	ff_s3_amz_date(1369353600, d);
	CHECK_STR(d, "20130524T000000Z");
	ff_s3_amz_date(951782400 + 86399, d);	/* leap day */
	CHECK_STR(d, "20000229T235959Z");
	ff_sha256_hex("", 0, h);
	CHECK_STR(h, EMPTY_SHA256);
	ff_sha256_hex("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* A request that fails must say why, leave the outputs empty and never quote the secret. */
static void
check_refused(const ff_s3_sign_request *r, const char *why)
{
	ff_buf		auth,
				creq,
				sts;
	ff_status	st;

	ff_buf_init(&auth);
	ff_buf_init(&creq);
	ff_buf_init(&sts);
	ff_status_clear(&st);
	CHECK(ff_buf_append_str(&auth, "stale"));
	CHECK(ff_s3_sign(r, &auth, &creq, &sts, &st) == FF_ERR_INVALID);
	CHECK(st.code == FF_ERR_INVALID);
	if (strstr(st.message, why) == NULL)
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", st.message, why);
	CHECK(strstr(st.message, why) != NULL);
	CHECK(strstr(st.message, "EXAMPLEKEY") == NULL);
	CHECK_STR(auth.data, "stale");
	CHECK(creq.len == 0 && sts.len == 0);
	ff_buf_free(&auth);
	ff_buf_free(&creq);
	ff_buf_free(&sts);
}

static void
test_refusals(void)
{
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"x-amz-content-sha256", EMPTY_SHA256},
		{"x-amz-date", S3_DATE},
	};
	ff_s3_header no_host[] = {{"x-amz-date", S3_DATE}};
	ff_s3_header no_date[] = {{"Host", S3_HOST}};
	ff_s3_header other_date[] = {{"Host", S3_HOST}, {"x-amz-date", "20130525T000000Z"}};
	ff_s3_header twice[] = {{"Host", S3_HOST}, {"X-Amz-Date", S3_DATE}, {"x-amz-date", S3_DATE}};
	ff_s3_header bad_name[] = {{"Host", S3_HOST}, {"x-amz-date", S3_DATE}, {"bad name", "v"}};
	ff_s3_header crlf[] = {{"Host", S3_HOST}, {"x-amz-date", S3_DATE}, {"x-a", "v\r\nx-b: w"}};
	ff_s3_sign_request ok = s3_example("GET", "/", "", h, 3, EMPTY_SHA256);
	ff_s3_sign_request r;

	CHECK(signature_of(&ok)[0] != '\0');

	r = ok;
	r.amz_date = "2013-05-24T00:00:00Z";
	check_refused(&r, "malformed x-amz-date");
	r.amz_date = "20131324T000000Z";
	check_refused(&r, "malformed x-amz-date");
	r.amz_date = NULL;
	check_refused(&r, "malformed x-amz-date");
	r = ok;
	r.secret_access_key = "";
	check_refused(&r, "secret");
	r = ok;
	r.access_key_id = NULL;
	check_refused(&r, "access key");
	r = ok;
	r.access_key_id = "AKIA/EXAMPLE";
	check_refused(&r, "access key");
	r = ok;
	r.region = "";
	check_refused(&r, "region");
	r = ok;
	r.method = "get";
	check_refused(&r, "method");
	r = ok;
	r.canonical_uri = "test.txt";
	check_refused(&r, "canonical URI");
	r = ok;
	r.payload_hash = NULL;
	check_refused(&r, "payload hash");
	r = ok;
	r.n_headers = 0;
	check_refused(&r, "no headers");
	r = s3_example("GET", "/", "", no_host, 1, EMPTY_SHA256);
	check_refused(&r, "host");
	r = s3_example("GET", "/", "", no_date, 1, EMPTY_SHA256);
	check_refused(&r, "x-amz-date");
	r = s3_example("GET", "/", "", other_date, 2, EMPTY_SHA256);
	check_refused(&r, "x-amz-date");
	r = s3_example("GET", "/", "", twice, 3, EMPTY_SHA256);
	check_refused(&r, "twice");
	r = s3_example("GET", "/", "", bad_name, 3, EMPTY_SHA256);
	check_refused(&r, "header name");
	r = s3_example("GET", "/", "", crlf, 3, EMPTY_SHA256);
	check_refused(&r, "control character");
}

static void
test_secret_changes_signature(void)
{
	ff_s3_header h[] = {
		{"Host", S3_HOST},
		{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
		{"x-amz-date", S3_DATE},
	};
	ff_s3_sign_request r = s3_example("GET", "/test.txt", "", h, 3, "UNSIGNED-PAYLOAD");
	char		first[65];
	ff_buf		auth,
				creq,
				sts;
	ff_status	st;

	snprintf(first, sizeof(first), "%s", signature_of(&r));
	CHECK(strlen(first) == 64);
	r.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ";
	CHECK(strcmp(signature_of(&r), first) != 0);

	/* The intermediate texts hold neither the secret nor the derived "AWS4" key. */
	ff_buf_init(&auth);
	ff_buf_init(&creq);
	ff_buf_init(&sts);
	ff_status_clear(&st);
	CHECK(ff_s3_sign(&r, &auth, &creq, &sts, &st) == FF_OK);
	CHECK(strstr(auth.data, "EXAMPLEKE") == NULL);
	CHECK(strstr(creq.data, "EXAMPLEKE") == NULL);
	CHECK(strstr(sts.data, "EXAMPLEKE") == NULL);
	CHECK(strstr(creq.data, "\nUNSIGNED-PAYLOAD") != NULL);
	ff_buf_free(&auth);
	ff_buf_free(&creq);
	ff_buf_free(&sts);
}

int
main(void)
{
	RUN(test_get_object);
	RUN(test_put_object);
	RUN(test_get_lifecycle);
	RUN(test_list_objects);
	RUN(test_sign_appends);
	RUN(test_suite_query_order);
	RUN(test_suite_header_trim);
	RUN(test_suite_session_token);
	RUN(test_uri_encode);
	RUN(test_canonical_query);
	RUN(test_amz_date_and_sha256);
	RUN(test_refusals);
	RUN(test_secret_changes_signature);
	return unit_summary("s3_sign");
}
