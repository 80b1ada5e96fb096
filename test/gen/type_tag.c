/*
 * type_tag.c — parsing, BCS serialization and display rendering of Move type
 * tags and struct tags, plus AIP-40 address parsing/rendering.
 */
#include "type_tag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gen_util.h"

typedef struct tag_parser
{
	const char *text;
	size_t		pos;
} tag_parser;

static type_tag *parse_type(tag_parser *parser);
static struct_tag *parse_struct_body(tag_parser *parser);

static void
skip_spaces(tag_parser *parser)
{
	while (parser->text[parser->pos] == ' ')
		parser->pos++;
}

static char *
copy_span(const char *start, size_t len)
{
	char	   *copy = gen_malloc(len + 1);

	memcpy(copy, start, len);
	copy[len] = '\0';
	return copy;
}

static char *
parse_word(tag_parser *parser)
{
	size_t		start = parser->pos;

	while (isalnum((unsigned char) parser->text[parser->pos]) || parser->text[parser->pos] == '_')
		parser->pos++;
	if (parser->pos == start)
		gen_fatal("type tag '%s': identifier expected at %zu", parser->text, start);
	return copy_span(parser->text + start, parser->pos - start);
}

static void
expect(tag_parser *parser, const char *token)
{
	size_t		len = strlen(token);

	skip_spaces(parser);
	if (strncmp(parser->text + parser->pos, token, len) != 0)
		gen_fatal("type tag '%s': '%s' expected at %zu", parser->text, token, parser->pos);
	parser->pos += len;
}

void
address_parse(const char *text, uint8_t out[ADDRESS_LEN])
{
	size_t		digits;

	if (strncmp(text, "0x", 2) != 0)
		gen_fatal("address '%s' must start with 0x", text);
	text += 2;
	digits = strspn(text, "0123456789abcdef");
	if (digits == 0 || digits > 2 * ADDRESS_LEN)
		gen_fatal("bad address '%s'", text);
	memset(out, 0, ADDRESS_LEN);
	for (size_t i = 0; i < digits; i++)
	{
		char		c = text[digits - 1 - i];
		unsigned	nibble = (c <= '9') ? (unsigned) (c - '0') : (unsigned) (c - 'a' + 10);

		out[ADDRESS_LEN - 1 - i / 2] |= (uint8_t) (nibble << ((i % 2) * 4));
	}
}

static struct_tag *
parse_struct_body(tag_parser *parser)
{
	struct_tag *tag = gen_calloc(1, sizeof(struct_tag));
	size_t		start = parser->pos;
	char	   *address_text;

	while (isalnum((unsigned char) parser->text[parser->pos]))
		parser->pos++;
	address_text = copy_span(parser->text + start, parser->pos - start);
	address_parse(address_text, tag->address);
	free(address_text);
	expect(parser, "::");
	tag->module = parse_word(parser);
	expect(parser, "::");
	tag->name = parse_word(parser);
	skip_spaces(parser);
	if (parser->text[parser->pos] == '<')
	{
		parser->pos++;
		for (;;)
		{
			tag->type_params = gen_realloc(tag->type_params,
										   (tag->type_param_count + 1) * sizeof(type_tag *));
			tag->type_params[tag->type_param_count++] = parse_type(parser);
			skip_spaces(parser);
			if (parser->text[parser->pos] == ',')
			{
				parser->pos++;
				continue;
			}
			expect(parser, ">");
			break;
		}
	}
	return tag;
}

static type_tag *
parse_type(tag_parser *parser)
{
	static const struct
	{
		const char *name;
		type_tag_kind kind;
	}			primitives[] = {
		{"bool", TYPE_BOOL}, {"u8", TYPE_U8}, {"u16", TYPE_U16}, {"u32", TYPE_U32},
		{"u64", TYPE_U64}, {"u128", TYPE_U128}, {"u256", TYPE_U256},
		{"address", TYPE_ADDRESS}, {"signer", TYPE_SIGNER}
	};
	type_tag   *tag = gen_calloc(1, sizeof(type_tag));

	skip_spaces(parser);
	if (strncmp(parser->text + parser->pos, "0x", 2) == 0)
	{
		tag->kind = TYPE_STRUCT;
		tag->struct_type = parse_struct_body(parser);
		return tag;
	}
	{
		char	   *word = parse_word(parser);

		if (strcmp(word, "vector") == 0)
		{
			free(word);
			tag->kind = TYPE_VECTOR;
			expect(parser, "<");
			tag->element = parse_type(parser);
			expect(parser, ">");
			return tag;
		}
		for (size_t i = 0; i < sizeof(primitives) / sizeof(primitives[0]); i++)
		{
			if (strcmp(word, primitives[i].name) == 0)
			{
				free(word);
				tag->kind = primitives[i].kind;
				return tag;
			}
		}
		gen_fatal("type tag '%s': unknown type '%s'", parser->text, word);
	}
}

type_tag *
type_tag_parse(const char *text)
{
	tag_parser	parser = {text, 0};
	type_tag   *tag = parse_type(&parser);

	skip_spaces(&parser);
	if (text[parser.pos] != '\0')
		gen_fatal("type tag '%s': trailing text", text);
	return tag;
}

struct_tag *
struct_tag_parse(const char *text)
{
	tag_parser	parser = {text, 0};
	struct_tag *tag = parse_struct_body(&parser);

	if (text[parser.pos] != '\0')
		gen_fatal("struct tag '%s': trailing text", text);
	return tag;
}

void
struct_tag_free(struct_tag *tag)
{
	if (tag == NULL)
		return;
	for (size_t i = 0; i < tag->type_param_count; i++)
		type_tag_free(tag->type_params[i]);
	free(tag->type_params);
	free(tag->module);
	free(tag->name);
	free(tag);
}

void
type_tag_free(type_tag *tag)
{
	if (tag == NULL)
		return;
	type_tag_free(tag->element);
	struct_tag_free(tag->struct_type);
	free(tag);
}

void
struct_tag_bcs(byte_buf *out, const struct_tag *tag)
{
	bcs_fixed(out, tag->address, ADDRESS_LEN);
	bcs_str(out, tag->module);
	bcs_str(out, tag->name);
	bcs_uleb128(out, (uint32_t) tag->type_param_count);
	for (size_t i = 0; i < tag->type_param_count; i++)
		type_tag_bcs(out, tag->type_params[i]);
}

void
type_tag_bcs(byte_buf *out, const type_tag *tag)
{
	bcs_uleb128(out, (uint32_t) tag->kind);
	if (tag->kind == TYPE_VECTOR)
		type_tag_bcs(out, tag->element);
	else if (tag->kind == TYPE_STRUCT)
		struct_tag_bcs(out, tag->struct_type);
}

bool
address_is_special(const uint8_t address[ADDRESS_LEN])
{
	for (int i = 0; i < ADDRESS_LEN - 1; i++)
		if (address[i] != 0)
			return false;
	return address[ADDRESS_LEN - 1] < 16;
}

void
address_render(byte_buf *out, const uint8_t address[ADDRESS_LEN])
{
	static const char digits[] = "0123456789abcdef";

	buf_append_str(out, "0x");
	if (address_is_special(address))
	{
		buf_append(out, &digits[address[ADDRESS_LEN - 1]], 1);
		return;
	}
	for (int i = 0; i < ADDRESS_LEN; i++)
	{
		buf_append(out, &digits[address[i] >> 4], 1);
		buf_append(out, &digits[address[i] & 15], 1);
	}
}

void
struct_tag_render(byte_buf *out, const struct_tag *tag)
{
	address_render(out, tag->address);
	buf_printf(out, "::%s::%s", tag->module, tag->name);
	if (tag->type_param_count == 0)
		return;
	buf_append_str(out, "<");
	for (size_t i = 0; i < tag->type_param_count; i++)
	{
		if (i > 0)
			buf_append_str(out, ", ");
		type_tag_render(out, tag->type_params[i]);
	}
	buf_append_str(out, ">");
}

void
type_tag_render(byte_buf *out, const type_tag *tag)
{
	static const char *const names[] = {
		[TYPE_BOOL] = "bool", [TYPE_U8] = "u8", [TYPE_U64] = "u64", [TYPE_U128] = "u128",
		[TYPE_ADDRESS] = "address", [TYPE_SIGNER] = "signer", [TYPE_U16] = "u16",
		[TYPE_U32] = "u32", [TYPE_U256] = "u256"
	};

	if (tag->kind == TYPE_VECTOR)
	{
		buf_append_str(out, "vector<");
		type_tag_render(out, tag->element);
		buf_append_str(out, ">");
	}
	else if (tag->kind == TYPE_STRUCT)
		struct_tag_render(out, tag->struct_type);
	else
		buf_append_str(out, names[tag->kind]);
}
