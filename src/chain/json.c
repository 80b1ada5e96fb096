/*
 * json.c — a small JSON writer over ff_buf for the decoded payload columns (event data,
 * entry-function arguments): punctuation with comma tracking, escaped strings, numbers,
 * hex byte strings and AIP-40 addresses, plus the reader of the few Move value kinds the
 * known layouts use, which validates the BCS and writes the value in one pass.
 */
#include "chain/json.h"

#include <stdio.h>
#include <string.h>

#include "chain/render.h"

void
ff_json_init(ff_json *j, ff_buf *out)
{
	j->out = out;
	j->need_comma = false;
	j->failed = false;
}

/* Append raw text; a failure is remembered. */
static bool
put(ff_json *j, const void *p, size_t n)
{
	if (j->failed)
		return false;
	if (!ff_buf_append(j->out, p, n))
		j->failed = true;
	return !j->failed;
}

/* Start a value: the comma that separates it from the previous one at this level. */
static bool
begin_value(ff_json *j)
{
	if (j->failed)
		return false;
	if (j->need_comma && !put(j, ",", 1))
		return false;
	j->need_comma = true;
	return true;
}

/* An object or array: its opening character, and no comma before its first value. */
static bool
open_container(ff_json *j, const char *open)
{
	if (!begin_value(j) || !put(j, open, 1))
		return false;
	j->need_comma = false;
	return true;
}

static bool
close_container(ff_json *j, const char *close)
{
	j->need_comma = true;
	return put(j, close, 1);
}

bool
ff_json_begin_object(ff_json *j)
{
	return open_container(j, "{");
}

bool
ff_json_end_object(ff_json *j)
{
	return close_container(j, "}");
}

bool
ff_json_begin_array(ff_json *j)
{
	return open_container(j, "[");
}

bool
ff_json_end_array(ff_json *j)
{
	return close_container(j, "]");
}

/* The escaped body of a string, without the quotes. */
static bool
put_escaped(ff_json *j, const char *s, size_t n)
{
	size_t		run = 0;			/* start of the current run of plain bytes */

	for (size_t i = 0; i < n; i++)
	{
		unsigned char ch = (unsigned char) s[i];
		char		esc[8];
		size_t		esc_len;

		if (ch == '"' || ch == '\\')
		{
			esc[0] = '\\';
			esc[1] = (char) ch;
			esc_len = 2;
		}
		else if (ch < 0x20)
			esc_len = (size_t) snprintf(esc, sizeof(esc), "\\u%04x", ch);
		else
			continue;
		if (!put(j, s + run, i - run) || !put(j, esc, esc_len))
			return false;
		run = i + 1;
	}
	return put(j, s + run, n - run);
}

bool
ff_json_key(ff_json *j, const char *name)
{
	if (!begin_value(j) || !put(j, "\"", 1) || !put_escaped(j, name, strlen(name)) ||
		!put(j, "\":", 2))
		return false;
	j->need_comma = false;		/* the member's value follows without a comma */
	return true;
}

bool
ff_json_u64(ff_json *j, uint64_t v)
{
	char		text[24];
	int			n = snprintf(text, sizeof(text), "%llu", (unsigned long long) v);

	return begin_value(j) && put(j, text, (size_t) n);
}

bool
ff_json_bool(ff_json *j, bool v)
{
	return begin_value(j) && (v ? put(j, "true", 4) : put(j, "false", 5));
}

bool
ff_json_null(ff_json *j)
{
	return begin_value(j) && put(j, "null", 4);
}

bool
ff_json_string(ff_json *j, const char *s, size_t n)
{
	return begin_value(j) && put(j, "\"", 1) && put_escaped(j, s, n) && put(j, "\"", 1);
}

bool
ff_json_hex(ff_json *j, const uint8_t *p, size_t n)
{
	if (!begin_value(j) || !put(j, "\"0x", 3))
		return false;
	if (!ff_buf_reserve(j->out, 2 * n + 1))
	{
		j->failed = true;
		return false;
	}
	ff_hex(p, n, j->out->data + j->out->len);
	j->out->len += 2 * n;
	j->out->data[j->out->len] = '\0';
	return put(j, "\"", 1);
}

bool
ff_json_address(ff_json *j, const uint8_t *addr, size_t addr_len)
{
	char		text[FF_ADDRESS_TEXT_MAX];
	size_t		n = ff_render_address(addr, addr_len, text);

	return begin_value(j) && put(j, "\"", 1) && put(j, text, n) && put(j, "\"", 1);
}

/* ------------------------------------------------------------------------------------ */
/* Move values                                                                           */

bool
ff_json_move_value(ff_json *j, bcs_cursor *c, ff_move_kind kind)
{
	uint64_t	u;
	bool		flag;
	const uint8_t *addr;
	ff_span		bytes;
	uint32_t	count;

	switch (kind)
	{
		case FF_MOVE_BOOL:
			return bcs_bool(c, &flag) && (!j || ff_json_bool(j, flag));
		case FF_MOVE_U64:
			return bcs_u64(c, &u) && (!j || ff_json_u64(j, u));
		case FF_MOVE_ADDRESS:
			return bcs_fixed(c, FF_MOVE_ADDRESS_LEN, &addr) &&
				(!j || ff_json_address(j, addr, FF_MOVE_ADDRESS_LEN));
		case FF_MOVE_BYTES:
			return bcs_bytes(c, &bytes) && (!j || ff_json_hex(j, bytes.ptr, bytes.len));
		case FF_MOVE_VEC_U64:
		case FF_MOVE_VEC_ADDRESS:
			{
				ff_move_kind elem = kind == FF_MOVE_VEC_U64 ? FF_MOVE_U64 : FF_MOVE_ADDRESS;
				size_t		elem_size = kind == FF_MOVE_VEC_U64 ? 8 : FF_MOVE_ADDRESS_LEN;

				if (!bcs_count(c, elem_size, &count) || (j && !ff_json_begin_array(j)))
					return false;
				for (uint32_t i = 0; i < count; i++)
					if (!ff_json_move_value(j, c, elem))
						return false;
				return !j || ff_json_end_array(j);
			}
	}
	return bcs_fail(c, "unknown Move value kind");
}
