/*
 * buf.c — the growable buffer behind text rendering.
 */
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ff_buf_init(ff_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
ff_buf_free(ff_buf *b)
{
	free(b->data);
	ff_buf_init(b);
}

bool
ff_buf_reserve(ff_buf *b, size_t extra)
{
	size_t		need = b->len + extra + 1;
	size_t		cap;
	char	   *p;

	if (need < b->len)
		return false;			/* overflow */
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
	{
		if (cap > SIZE_MAX / 2)
			return false;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return false;
	b->data = p;
	b->cap = cap;
	return true;
}

bool
ff_buf_append(ff_buf *b, const void *p, size_t n)
{
	if (!ff_buf_reserve(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

bool
ff_buf_append_str(ff_buf *b, const char *s)
{
	return ff_buf_append(b, s, strlen(s));
}

bool
ff_buf_printf(ff_buf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !ff_buf_reserve(b, (size_t) n))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
	return true;
}
