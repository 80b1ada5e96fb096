/*
 * type_tag.h — Move type tags for the generator: parsed from a display string
 * ("vector<u8>", "0x1::coin::CoinStore<0x1::libra_coin::LibraCoin>"),
 * serialized as BCS TypeTag/StructTag, and rendered back for the expected CSV
 * (AIP-40 addresses, ", " between generic parameters).  Also address helpers.
 */
#ifndef FIXTUREGEN_TYPE_TAG_H
#define FIXTUREGEN_TYPE_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcs_writer.h"

#define ADDRESS_LEN 32

typedef enum type_tag_kind
{
	TYPE_BOOL = 0,
	TYPE_U8 = 1,
	TYPE_U64 = 2,
	TYPE_U128 = 3,
	TYPE_ADDRESS = 4,
	TYPE_SIGNER = 5,
	TYPE_VECTOR = 6,
	TYPE_STRUCT = 7,
	TYPE_U16 = 8,
	TYPE_U32 = 9,
	TYPE_U256 = 10
} type_tag_kind;

typedef struct type_tag type_tag;

typedef struct struct_tag
{
	uint8_t		address[ADDRESS_LEN];
	char	   *module;
	char	   *name;
	type_tag  **type_params;
	size_t		type_param_count;
} struct_tag;

struct type_tag
{
	type_tag_kind kind;
	type_tag   *element;		/* TYPE_VECTOR */
	struct_tag *struct_type;	/* TYPE_STRUCT */
};

/* Parses a display string; fatal on syntax errors (inputs are generator constants). */
type_tag   *type_tag_parse(const char *text);
struct_tag *struct_tag_parse(const char *text);
void		type_tag_free(type_tag *tag);
void		struct_tag_free(struct_tag *tag);

void		type_tag_bcs(byte_buf *out, const type_tag *tag);
void		struct_tag_bcs(byte_buf *out, const struct_tag *tag);
void		type_tag_render(byte_buf *out, const type_tag *tag);
void		struct_tag_render(byte_buf *out, const struct_tag *tag);

/* "0x1", "0xd5ac..." (any length up to 64 hex digits) -> 32 bytes, left-padded. */
void		address_parse(const char *text, uint8_t out[ADDRESS_LEN]);
bool		address_is_special(const uint8_t address[ADDRESS_LEN]);
/* AIP-40: 0x0..0xf short, every other address "0x" + 64 lowercase hex. */
void		address_render(byte_buf *out, const uint8_t address[ADDRESS_LEN]);

#endif
