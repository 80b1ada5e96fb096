/*
 * s3_xml.c — reading the ListObjectsV2 page and the <Error> document of S3 with libxml2.
 * The parse never touches the network, never substitutes entities and refuses a document
 * that carries a DTD (S3 sends none). Elements are found by local name only, so AWS's
 * namespace, s3rver's and none at all read the same. libxml2's error handlers are
 * per-process state that PostgreSQL also uses: they are swapped for silent ones during
 * the parse only and restored before anything else runs (the object callback included).
 */
#include "io/s3_xml.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "common/buf.h"

/* libxml2 2.12 made the structured handler take a const error. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *s3_xml_error_ptr;
#else
typedef xmlErrorPtr s3_xml_error_ptr;
#endif

/* The first parse error, kept for the status message. */
typedef struct s3_xml_errors
{
	char		first[200];
} s3_xml_errors;

static void
s3_xml_structured_error(void *ctx, s3_xml_error_ptr err)
{
	s3_xml_errors *e = ctx;
	size_t		n;

	if (e->first[0] || !err || err->level < XML_ERR_ERROR || !err->message)
		return;
	snprintf(e->first, sizeof(e->first), "line %d: %s", err->line, err->message);
	n = strlen(e->first);
	while (n > 0 && (e->first[n - 1] == '\n' || e->first[n - 1] == ' '))
		e->first[--n] = '\0';
}

/* Generic errors (those without a parser context) are dropped. */
static void s3_xml_generic_error(void *ctx, const char *msg,...)
			__attribute__((format(printf, 2, 3)));

static void
s3_xml_generic_error(void *ctx, const char *msg,...)
{
	(void) ctx;
	(void) msg;
}

/*
 * Parse xml[0..len) into a tree; NULL (with errors->first filled in) when it is not
 * well-formed, is empty or too large for libxml2, or has a DTD.
 */
static xmlDocPtr
s3_xml_read(const char *xml, size_t len, s3_xml_errors *errors)
{
	xmlGenericErrorFunc saved_generic;
	void	   *saved_generic_ctx;
	xmlStructuredErrorFunc saved_structured;
	void	   *saved_structured_ctx;
	xmlDocPtr	doc;

	errors->first[0] = '\0';
	if (!xml || len == 0)
	{
		snprintf(errors->first, sizeof(errors->first), "empty document");
		return NULL;
	}
	if (len > (size_t) INT_MAX)
	{
		snprintf(errors->first, sizeof(errors->first), "document of %zu bytes is too large", len);
		return NULL;
	}
	xmlInitParser();

	saved_generic = xmlGenericError;
	saved_generic_ctx = xmlGenericErrorContext;
	saved_structured = xmlStructuredError;
	saved_structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(errors, s3_xml_generic_error);
	xmlSetStructuredErrorFunc(errors, s3_xml_structured_error);

	doc = xmlReadMemory(xml, (int) len, NULL, NULL, XML_PARSE_NONET);

	xmlSetStructuredErrorFunc(saved_structured_ctx, saved_structured);
	xmlSetGenericErrorFunc(saved_generic_ctx, saved_generic);

	if (!doc && !errors->first[0])
		snprintf(errors->first, sizeof(errors->first), "not well-formed");
	if (doc && doc->intSubset)
	{
		snprintf(errors->first, sizeof(errors->first), "document has a DTD");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

static bool
s3_named(const xmlNode *node, const char *local_name)
{
	return node->type == XML_ELEMENT_NODE && node->name &&
		strcmp((const char *) node->name, local_name) == 0;
}

/* The text (and CDATA) directly under node, as written. False on malloc failure. */
static bool
s3_text(const xmlNode *node, ff_buf *out)
{
	const xmlNode *c;

	ff_buf_reset(out);
	if (!ff_buf_append(out, "", 0))	/* "" even with no text */
		return false;
	for (c = node->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
			!ff_buf_append_str(out, (const char *) c->content))
			return false;
	return true;
}

/* Strip blanks (space, tab, CR, LF) around b's text, in place; returns b->data. */
static const char *
s3_trim(ff_buf *b)
{
	size_t		start = 0;

	while (b->len > 0 && strchr(" \t\r\n", b->data[b->len - 1]))
		b->data[--b->len] = '\0';
	while (start < b->len && strchr(" \t\r\n", b->data[start]))
		start++;
	if (start)
	{
		memmove(b->data, b->data + start, b->len - start + 1);
		b->len -= start;
	}
	return b->data;
}

static bool
s3_parse_u64(const char *s, uint64_t *out)
{
	uint64_t	v = 0;

	if (!*s)
		return false;
	for (; *s; s++)
	{
		unsigned	d = (unsigned) (*s - '0');

		if (*s < '0' || *s > '9' || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* n decimal digits at *p, then the character `then` unless it is '\0'; *p advances. */
static bool
s3_field(const char **p, int n, char then, int *out)
{
	int			v = 0;

	for (; n > 0; n--, (*p)++)
	{
		if (**p < '0' || **p > '9')
			return false;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	if (then == '\0')
		return true;
	if (**p != then && **p != (then | 0x20))	/* 'T' also as 't' */
		return false;
	(*p)++;
	return true;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" -> seconds since the Unix epoch
 * (the fraction is dropped). The fields must name a real instant: a date that timegm
 * would normalize (February 30th, hour 24) is refused.
 */
static bool
s3_parse_time(const char *s, int64_t *out)
{
	struct tm	tm;
	struct tm	back;
	int			year,
				month,
				day,
				hour,
				minute,
				second,
				off_h = 0,
				off_m = 0,
				sign = 0;
	time_t		t;

	if (!s3_field(&s, 4, '-', &year) || !s3_field(&s, 2, '-', &month) ||
		!s3_field(&s, 2, 'T', &day) || !s3_field(&s, 2, ':', &hour) ||
		!s3_field(&s, 2, ':', &minute) || !s3_field(&s, 2, '\0', &second))
		return false;
	if (*s == '.')
	{
		if (s[1] < '0' || s[1] > '9')
			return false;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-')
	{
		sign = *s++ == '+' ? 1 : -1;
		if (!s3_field(&s, 2, ':', &off_h) || !s3_field(&s, 2, '\0', &off_m) ||
			off_h > 23 || off_m > 59)
			return false;
	}
	else
		return false;
	if (*s)
		return false;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	t = timegm(&tm);
	if (!gmtime_r(&t, &back) || back.tm_year != year - 1900 || back.tm_mon != month - 1 ||
		back.tm_mday != day || back.tm_hour != hour || back.tm_min != minute ||
		back.tm_sec != second)
		return false;
	*out = (int64_t) t - (int64_t) sign * (off_h * 3600 + off_m * 60);
	return true;
}

/* ---- ListObjectsV2 ------------------------------------------------------------------ */

typedef struct s3_list_state
{
	ff_s3_object_fn on_object;
	void	   *arg;
	ff_s3_list_page *page;
	ff_buf		text;			/* scratch for numbers, dates, flags */
	ff_buf		key;
	ff_buf		etag;
} s3_list_state;

static ff_code
s3_list_contents(const xmlNode *contents, s3_list_state *ls, ff_status *st)
{
	size_t		index = ls->page->n_objects;
	const xmlNode *f;
	bool		have_key = false;
	bool		have_size = false;
	uint64_t	size = 0;
	int64_t		mtime = 0;

	ff_buf_reset(&ls->key);
	ff_buf_reset(&ls->etag);
	if (!ff_buf_append(&ls->etag, "", 0))
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an S3 listing");
	for (f = contents->children; f; f = f->next)
	{
		ff_buf	   *dst;

		if (f->type != XML_ELEMENT_NODE)
			continue;
		if (s3_named(f, "Key"))
			dst = &ls->key;
		else if (s3_named(f, "ETag"))
			dst = &ls->etag;
		else if (s3_named(f, "Size") || s3_named(f, "LastModified"))
			dst = &ls->text;
		else
			continue;
		if ((dst == &ls->key && have_key) || (s3_named(f, "Size") && have_size))
			return ff_status_set(st, FF_ERR_CORRUPT,
								 "S3 listing: <Contents> #%zu has two <%s>", index,
								 (const char *) f->name);
		if (!s3_text(f, dst))
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an S3 listing");
		if (dst == &ls->key)
			have_key = true;
		else if (s3_named(f, "Size"))
		{
			if (!s3_parse_u64(s3_trim(&ls->text), &size))
				return ff_status_set(st, FF_ERR_CORRUPT,
									 "S3 listing: <Contents> #%zu has a bad <Size> \"%.40s\"",
									 index, ls->text.data);
			have_size = true;
		}
		else if (s3_named(f, "LastModified") && !s3_parse_time(s3_trim(&ls->text), &mtime))
			return ff_status_set(st, FF_ERR_CORRUPT,
								 "S3 listing: <Contents> #%zu has a bad <LastModified> \"%.40s\"",
								 index, ls->text.data);
	}
	if (!have_key || ls->key.len == 0)
		return ff_status_set(st, FF_ERR_CORRUPT, "S3 listing: <Contents> #%zu has %s <Key>",
							 index, have_key ? "an empty" : "no");
	if (!have_size)
		return ff_status_set(st, FF_ERR_CORRUPT,
							 "S3 listing: <Contents> #%zu (key \"%.200s\") has no <Size>",
							 index, ls->key.data);
	if (ls->on_object && !ls->on_object(ls->arg, ls->key.data, size, mtime, ls->etag.data))
		return ff_status_set(st, FF_ERR_NOMEM,
							 "S3 listing: the consumer stopped at key \"%.200s\"", ls->key.data);
	ls->page->n_objects++;
	return FF_OK;
}

static ff_code
s3_list_top(const xmlNode *node, s3_list_state *ls, ff_status *st)
{
	if (s3_named(node, "Contents"))
		return s3_list_contents(node, ls, st);
	if (!s3_named(node, "IsTruncated") && !s3_named(node, "NextContinuationToken"))
		return FF_OK;
	if (!s3_text(node, &ls->text))
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an S3 listing");
	if (s3_named(node, "IsTruncated"))
	{
		const char *v = s3_trim(&ls->text);

		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return ff_status_set(st, FF_ERR_CORRUPT, "S3 listing: bad <IsTruncated> \"%.40s\"", v);
		ls->page->truncated = v[0] == 't';
		return FF_OK;
	}
	if (ls->page->next_token)
		return ff_status_set(st, FF_ERR_CORRUPT, "S3 listing has two <NextContinuationToken>");
	/* An empty token is no token: it could not continue the listing anyway. */
	if (ls->text.len > 0 && !(ls->page->next_token = strdup(ls->text.data)))
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an S3 listing");
	return FF_OK;
}

ff_code
ff_s3_parse_list(const char *xml, size_t len, ff_s3_object_fn on_object, void *arg,
				 ff_s3_list_page *page, ff_status *st)
{
	s3_xml_errors errors;
	s3_list_state ls;
	xmlDocPtr	doc;
	const xmlNode *root;
	const xmlNode *node;
	ff_code		code = FF_OK;

	page->truncated = false;
	page->next_token = NULL;
	page->n_objects = 0;
	doc = s3_xml_read(xml, len, &errors);
	if (!doc)
		return ff_status_set(st, FF_ERR_CORRUPT, "S3 listing is not XML (%s)", errors.first);
	root = xmlDocGetRootElement(doc);
	if (!root || !s3_named(root, "ListBucketResult"))
	{
		code = ff_status_set(st, FF_ERR_CORRUPT,
							 "S3 listing is not a ListBucketResult (root element <%.64s>)",
							 root && root->name ? (const char *) root->name : "");
		xmlFreeDoc(doc);
		return code;
	}

	ls.on_object = on_object;
	ls.arg = arg;
	ls.page = page;
	ff_buf_init(&ls.text);
	ff_buf_init(&ls.key);
	ff_buf_init(&ls.etag);
	for (node = root->children; node && code == FF_OK; node = node->next)
		code = s3_list_top(node, &ls, st);
	ff_buf_free(&ls.text);
	ff_buf_free(&ls.key);
	ff_buf_free(&ls.etag);
	xmlFreeDoc(doc);
	if (code != FF_OK)
	{
		free(page->next_token);
		page->next_token = NULL;
		page->truncated = false;
	}
	return code;
}

/* ---- <Error> ------------------------------------------------------------------------ */

/*
 * Copy the text under node into dst[size], truncated if need be without leaving half a
 * UTF-8 sequence at the end (the text goes into PostgreSQL messages).
 */
static void
s3_copy_text(const xmlNode *node, char *dst, size_t size)
{
	const xmlNode *c;
	size_t		len = 0;
	bool		truncated = false;

	for (c = node->children; c && !truncated; c = c->next)
	{
		size_t		n;

		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
			continue;
		n = strlen((const char *) c->content);
		if (n > size - 1 - len)
		{
			n = size - 1 - len;
			truncated = true;
		}
		memcpy(dst + len, c->content, n);
		len += n;
	}
	if (truncated)
	{
		size_t		cont = 0;

		while (len > cont && cont < 3 && ((unsigned char) dst[len - 1 - cont] & 0xC0) == 0x80)
			cont++;
		if (len > cont)
		{
			unsigned char lead = (unsigned char) dst[len - 1 - cont];
			size_t		need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;

			if (need > cont + 1)
				len -= cont + 1;
		}
	}
	dst[len] = '\0';
}

bool
ff_s3_parse_error(const char *xml, size_t len, ff_s3_error *out)
{
	s3_xml_errors errors;
	xmlDocPtr	doc;
	const xmlNode *root;
	const xmlNode *node;

	memset(out, 0, sizeof(*out));
	doc = s3_xml_read(xml, len, &errors);
	if (!doc)
		return false;
	root = xmlDocGetRootElement(doc);
	if (!root || !s3_named(root, "Error"))
	{
		xmlFreeDoc(doc);
		return false;
	}
	for (node = root->children; node; node = node->next)
	{
		if (s3_named(node, "Code"))
			s3_copy_text(node, out->code, sizeof(out->code));
		else if (s3_named(node, "Message"))
			s3_copy_text(node, out->message, sizeof(out->message));
		else if (s3_named(node, "Region"))
			s3_copy_text(node, out->region, sizeof(out->region));
		else if (s3_named(node, "Endpoint"))
			s3_copy_text(node, out->endpoint, sizeof(out->endpoint));
		else if (s3_named(node, "RequestId"))
			s3_copy_text(node, out->request_id, sizeof(out->request_id));
	}
	xmlFreeDoc(doc);
	return true;
}
