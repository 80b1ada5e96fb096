/*
 * move_values.c — named Move values as BCS and as compact JSON at once (see
 * move_values.h for the JSON conventions).
 */
#include "move_values.h"

#include <stdlib.h>
#include <string.h>

#include "gen_hash.h"
#include "gen_util.h"

void
json_hex(byte_buf *out, const uint8_t *data, size_t len)
{
	char	   *hex = gen_malloc(2 * len + 1);

	hex_encode(data, len, hex);
	buf_printf(out, "\"0x%s\"", hex);
	free(hex);
}

void
json_address(byte_buf *out, const uint8_t address[ADDRESS_LEN])
{
	buf_append_str(out, "\"");
	address_render(out, address);
	buf_append_str(out, "\"");
}

void
json_key(byte_buf *out, const char *name, bool first)
{
	buf_printf(out, "%s\"%s\":", first ? "" : ",", name);
}

void
mv_init(move_values *mv)
{
	memset(mv, 0, sizeof(*mv));
	buf_init(&mv->bcs);
	buf_init(&mv->json);
}

void
mv_free(move_values *mv)
{
	for (size_t i = 0; i < mv->count; i++)
		buf_free(&mv->values[i]);
	free(mv->values);
	buf_free(&mv->bcs);
	buf_free(&mv->json);
	memset(mv, 0, sizeof(*mv));
}

/* Starts value `name`: its JSON key, and a fresh BCS buffer returned to fill. */
static byte_buf *
begin_value(move_values *mv, const char *name)
{
	json_key(&mv->json, name, mv->count == 0);
	mv->values = gen_realloc(mv->values, (mv->count + 1) * sizeof(byte_buf));
	buf_init(&mv->values[mv->count]);
	return &mv->values[mv->count++];
}

static void
end_value(move_values *mv)
{
	const byte_buf *value = &mv->values[mv->count - 1];

	buf_append(&mv->bcs, value->data, value->len);
}

void
mv_u64(move_values *mv, const char *name, uint64_t value)
{
	bcs_u64(begin_value(mv, name), value);
	buf_printf(&mv->json, "%llu", (unsigned long long) value);
	end_value(mv);
}

void
mv_bool(move_values *mv, const char *name, bool value)
{
	bcs_bool(begin_value(mv, name), value ? 1 : 0);
	buf_append_str(&mv->json, value ? "true" : "false");
	end_value(mv);
}

void
mv_address(move_values *mv, const char *name, const uint8_t address[ADDRESS_LEN])
{
	bcs_fixed(begin_value(mv, name), address, ADDRESS_LEN);
	json_address(&mv->json, address);
	end_value(mv);
}

void
mv_bytes(move_values *mv, const char *name, const uint8_t *data, size_t len)
{
	bcs_bytes(begin_value(mv, name), data, len);
	json_hex(&mv->json, data, len);
	end_value(mv);
}

void
mv_u64_vector(move_values *mv, const char *name, const uint64_t *values, size_t count)
{
	byte_buf   *out = begin_value(mv, name);

	bcs_uleb128(out, (uint32_t) count);
	buf_append_str(&mv->json, "[");
	for (size_t i = 0; i < count; i++)
	{
		bcs_u64(out, values[i]);
		buf_printf(&mv->json, "%s%llu", i ? "," : "", (unsigned long long) values[i]);
	}
	buf_append_str(&mv->json, "]");
	end_value(mv);
}

void
mv_address_vector(move_values *mv, const char *name, const uint8_t (*addresses)[ADDRESS_LEN], size_t count)
{
	byte_buf   *out = begin_value(mv, name);

	bcs_uleb128(out, (uint32_t) count);
	buf_append_str(&mv->json, "[");
	for (size_t i = 0; i < count; i++)
	{
		bcs_fixed(out, addresses[i], ADDRESS_LEN);
		if (i > 0)
			buf_append_str(&mv->json, ",");
		json_address(&mv->json, addresses[i]);
	}
	buf_append_str(&mv->json, "]");
	end_value(mv);
}

void
mv_type_info(move_values *mv, const char *name, const uint8_t address[ADDRESS_LEN],
			 const char *module_name, const char *struct_name)
{
	byte_buf   *out = begin_value(mv, name);

	bcs_fixed(out, address, ADDRESS_LEN);
	bcs_str(out, module_name);
	bcs_str(out, struct_name);
	buf_append_str(&mv->json, "{\"account_address\":");
	json_address(&mv->json, address);
	buf_append_str(&mv->json, ",\"module_name\":");
	json_hex(&mv->json, (const uint8_t *) module_name, strlen(module_name));
	buf_append_str(&mv->json, ",\"struct_name\":");
	json_hex(&mv->json, (const uint8_t *) struct_name, strlen(struct_name));
	buf_append_str(&mv->json, "}");
	end_value(mv);
}

char *
mv_json(const move_values *mv)
{
	return gen_asprintf("{%.*s}", (int) mv->json.len, mv->json.data ? (const char *) mv->json.data : "");
}
