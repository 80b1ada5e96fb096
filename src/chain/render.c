/*
 * render.c — text forms of chain values: lowercase hex, AIP-40 addresses, Move type tags
 * and struct tags (display form, v6/v7 TypeTag tags 0..10) and function names. Type tags
 * are read and validated straight from a BCS cursor, so skipping and rendering share one
 * walker.
 */
#include "chain/render.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

void
ff_hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
	{
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 0x0f];
	}
}

size_t
ff_render_address(const uint8_t *addr, size_t addr_len, char *out)
{
	bool		special = addr_len > 0 && addr[addr_len - 1] < 0x10;

	for (size_t i = 0; special && i + 1 < addr_len; i++)
		if (addr[i] != 0)
			special = false;
	out[0] = '0';
	out[1] = 'x';
	if (special)
	{
		out[2] = hex_digits[addr[addr_len - 1]];
		return 3;
	}
	ff_hex(addr, addr_len, out + 2);
	return 2 + 2 * addr_len;
}

/* TypeTag variant indexes of the 0L fork (move-core language_storage.rs). */
enum
{
	TT_BOOL = 0,
	TT_U8 = 1,
	TT_U64 = 2,
	TT_U128 = 3,
	TT_ADDRESS = 4,
	TT_SIGNER = 5,
	TT_VECTOR = 6,
	TT_STRUCT = 7,
	TT_U16 = 8,
	TT_U32 = 9,
	TT_U256 = 10
};

static const char *const primitive_names[] = {
	[TT_BOOL] = "bool",
	[TT_U8] = "u8",
	[TT_U64] = "u64",
	[TT_U128] = "u128",
	[TT_ADDRESS] = "address",
	[TT_SIGNER] = "signer",
	[TT_U16] = "u16",
	[TT_U32] = "u32",
	[TT_U256] = "u256",
};

/* Append to out unless it is NULL (skipping); false only when out of memory. */
static inline bool
emit(ff_buf *out, const void *p, size_t n)
{
	return out == NULL || ff_buf_append(out, p, n);
}

static inline bool
emit_str(ff_buf *out, const char *s)
{
	return emit(out, s, strlen(s));
}

static bool walk_type_tag(bcs_cursor *c, size_t addr_len, ff_buf *out, int boxes_entered);

/*
 * Walk a StructTag body (address, module, name, type parameters); its type parameters sit
 * inside `param_boxes` vector/struct boxes. Same results as walk_type_tag.
 */
static bool
walk_struct_tag(bcs_cursor *c, size_t addr_len, ff_buf *out, int param_boxes)
{
	const uint8_t *addr;
	ff_span		module,
				name;
	uint32_t	nparams;

	if (!bcs_fixed(c, addr_len, &addr) ||
		!bcs_identifier(c, &module) ||
		!bcs_identifier(c, &name) ||
		!bcs_count(c, 1, &nparams))
		return false;
	if (out)
	{
		char		text[FF_ADDRESS_TEXT_MAX];
		size_t		n = ff_render_address(addr, addr_len, text);

		if (!emit(out, text, n) || !emit_str(out, "::") ||
			!emit(out, module.ptr, module.len) || !emit_str(out, "::") ||
			!emit(out, name.ptr, name.len))
			return false;
	}
	if (nparams == 0)
		return true;
	if (!emit_str(out, "<"))
		return false;
	for (uint32_t i = 0; i < nparams; i++)
	{
		if (i > 0 && !emit_str(out, ", "))
			return false;
		if (!walk_type_tag(c, addr_len, out, param_boxes))
			return false;
	}
	return emit_str(out, ">");
}

/*
 * Walk one TypeTag; boxes_entered counts the vector/struct boxes around it, as the
 * deserializer's nesting limit does. Returns false on a decode failure (cursor failed)
 * or when out of memory (cursor not failed).
 */
static bool
walk_type_tag(bcs_cursor *c, size_t addr_len, ff_buf *out, int boxes_entered)
{
	size_t		tag_pos = c->pos;
	uint32_t	tag;

	if (!bcs_len(c, &tag))
		return false;
	switch (tag)
	{
		case TT_BOOL:
		case TT_U8:
		case TT_U64:
		case TT_U128:
		case TT_ADDRESS:
		case TT_SIGNER:
		case TT_U16:
		case TT_U32:
		case TT_U256:
			return emit_str(out, primitive_names[tag]);

		case TT_VECTOR:
			if (boxes_entered >= FF_TYPE_TAG_MAX_DEPTH)
				return bcs_fail(c, "type tag nested too deeply");
			return emit_str(out, "vector<") &&
				walk_type_tag(c, addr_len, out, boxes_entered + 1) &&
				emit_str(out, ">");

		case TT_STRUCT:
			if (boxes_entered >= FF_TYPE_TAG_MAX_DEPTH)
				return bcs_fail(c, "type tag nested too deeply");
			return walk_struct_tag(c, addr_len, out, boxes_entered + 1);

		default:
			c->pos = tag_pos;	/* report the failure at the tag itself */
			return bcs_fail(c, "TypeTag variant not in the 0L fork");
	}
}

bool
ff_render_type_tag(bcs_cursor *c, size_t addr_len, ff_buf *out)
{
	return walk_type_tag(c, addr_len, out, 0);
}

bool
ff_skip_type_tag(bcs_cursor *c, size_t addr_len)
{
	return walk_type_tag(c, addr_len, NULL, 0);
}

/* A bare StructTag is in no box: its type parameters are at depth 0 (StructTag serde). */
bool
ff_render_struct_tag(bcs_cursor *c, size_t addr_len, ff_buf *out)
{
	return walk_struct_tag(c, addr_len, out, 0);
}

bool
ff_skip_struct_tag(bcs_cursor *c, size_t addr_len)
{
	return walk_struct_tag(c, addr_len, NULL, 0);
}

bool
ff_render_function(const uint8_t *module_addr, size_t addr_len, ff_span module_name,
				   ff_span function_name, ff_buf *out)
{
	char		text[FF_ADDRESS_TEXT_MAX];
	size_t		n = ff_render_address(module_addr, addr_len, text);

	return ff_buf_append(out, text, n) &&
		ff_buf_append(out, "::", 2) &&
		ff_buf_append(out, module_name.ptr, module_name.len) &&
		ff_buf_append(out, "::", 2) &&
		ff_buf_append(out, function_name.ptr, function_name.len);
}
