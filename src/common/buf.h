/*
 * buf.h — a growable byte/char buffer (malloc based) used for rendering text and for
 * record bodies. Bounded by an explicit limit so a hostile length cannot grow it without end.
 */
#ifndef FF_BUF_H
#define FF_BUF_H

#include "common/status.h"

typedef struct ff_buf
{
	char	   *data;			/* always NUL-terminated when len < cap */
	size_t		len;
	size_t		cap;
} ff_buf;

void		ff_buf_init(ff_buf *b);
void		ff_buf_free(ff_buf *b);
static inline void ff_buf_reset(ff_buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }
/* Make room for at least `extra` more bytes (+1 for the NUL); false on malloc failure. */
bool		ff_buf_reserve(ff_buf *b, size_t extra);
bool		ff_buf_append(ff_buf *b, const void *p, size_t n);
bool		ff_buf_append_str(ff_buf *b, const char *s);
bool		ff_buf_printf(ff_buf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));

#endif
