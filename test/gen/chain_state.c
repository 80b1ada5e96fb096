/*
 * chain_state.c — state keys of the synthetic chain (their BCS, their parts
 * for the expected CSVs, and their hash, which orders snapshot records), the
 * live state (the latest write of every key) and the state snapshots taken
 * from it.
 *
 * key hash = SHA3-256(SHA3-256("DIEM::StateKey") || encode(key)), with encode
 * per FORMAT-epochs-state-legacy.md §6.3: an access path is its BCS verbatim
 * (00 || address || path bytes), a table item 01 || handle || key (no
 * length), a raw key ff || bytes (no length).
 */
#include <stdlib.h>
#include <string.h>

#include "chain_builder.h"

/* Fills key->hash from key->kind and the parts already set. */
static void
hash_key(state_key *key)
{
	byte_buf	encoded;

	buf_init(&encoded);
	switch (key->kind)
	{
		case STATE_KEY_ACCESS_PATH:
			buf_append(&encoded, key->bcs, key->bcs_len);
			break;
		case STATE_KEY_TABLE_ITEM:
			bcs_u8(&encoded, 1);
			bcs_fixed(&encoded, key->table_handle, ADDRESS_LEN);
			buf_append(&encoded, key->item, key->item_len);
			break;
		case STATE_KEY_RAW:
			bcs_u8(&encoded, 0xff);
			buf_append(&encoded, key->item, key->item_len);
			break;
	}
	diem_hash("StateKey", encoded.data, encoded.len, key->hash);
	buf_free(&encoded);
}

static void
key_access_path(state_key *key, const uint8_t account[ADDRESS_LEN], path_kind path, const byte_buf *path_bytes,
				byte_buf *resource)
{
	byte_buf	bcs;
	size_t		resource_len;

	memset(key, 0, sizeof(*key));
	buf_init(&bcs);
	bcs_uleb128(&bcs, STATE_KEY_ACCESS_PATH);
	bcs_fixed(&bcs, account, ADDRESS_LEN);
	bcs_bytes(&bcs, path_bytes->data, path_bytes->len);
	key->kind = STATE_KEY_ACCESS_PATH;
	key->path = path;
	memcpy(key->address, account, ADDRESS_LEN);
	buf_append(resource, "", 1);
	key->resource = (char *) buf_take(resource, &resource_len);
	key->bcs = buf_take(&bcs, &key->bcs_len);
	hash_key(key);
}

/* StateKey::AccessPath with Path::Resource(struct) or Path::ResourceGroup(struct) */
void
key_resource(state_key *key, const uint8_t account[ADDRESS_LEN], const char *struct_text, path_kind path)
{
	byte_buf	path_bytes;
	byte_buf	resource;
	struct_tag *tag = struct_tag_parse(struct_text);

	buf_init(&path_bytes);
	buf_init(&resource);
	bcs_uleb128(&path_bytes, (uint32_t) path);
	struct_tag_bcs(&path_bytes, tag);
	struct_tag_render(&resource, tag);
	key_access_path(key, account, path, &path_bytes, &resource);
	buf_free(&path_bytes);
	struct_tag_free(tag);
}

/* StateKey::AccessPath with Path::Code(ModuleId{account, module_name}) */
void
key_code(state_key *key, const uint8_t account[ADDRESS_LEN], const char *module_name)
{
	byte_buf	path_bytes;
	byte_buf	resource;

	buf_init(&path_bytes);
	buf_init(&resource);
	bcs_uleb128(&path_bytes, PATH_CODE);
	bcs_fixed(&path_bytes, account, ADDRESS_LEN);
	bcs_str(&path_bytes, module_name);
	address_render(&resource, account);
	buf_printf(&resource, "::%s", module_name);
	key_access_path(key, account, PATH_CODE, &path_bytes, &resource);
	buf_free(&path_bytes);
}

static void
key_with_item(state_key *key, state_key_kind kind, const uint8_t *item, size_t item_len)
{
	byte_buf	bcs;

	buf_init(&bcs);
	bcs_uleb128(&bcs, (uint32_t) kind);
	if (kind == STATE_KEY_TABLE_ITEM)
		bcs_fixed(&bcs, key->table_handle, ADDRESS_LEN);
	bcs_bytes(&bcs, item, item_len);
	key->kind = kind;
	key->path = PATH_NONE;
	key->item = gen_malloc(item_len);
	memcpy(key->item, item, item_len);
	key->item_len = item_len;
	key->bcs = buf_take(&bcs, &key->bcs_len);
	hash_key(key);
}

/* StateKey::TableItem{handle, key} */
void
key_table_item(state_key *key, const char *handle_text, const uint8_t *item, size_t item_len)
{
	memset(key, 0, sizeof(*key));
	address_parse(handle_text, key->table_handle);
	key_with_item(key, STATE_KEY_TABLE_ITEM, item, item_len);
}

/* StateKey::Raw(bytes) */
void
key_raw(state_key *key, const uint8_t *bytes, size_t len)
{
	memset(key, 0, sizeof(*key));
	key_with_item(key, STATE_KEY_RAW, bytes, len);
}

void
state_key_free(state_key *key)
{
	free(key->bcs);
	free(key->resource);
	free(key->item);
	memset(key, 0, sizeof(*key));
}

/* ------------------------------------------------------------------------- */
/* the live state */

static size_t
slot_of(const state_map *map, const state_key *key)
{
	size_t		mask = map->capacity - 1;
	size_t		slot = (size_t) (key->hash[0] | (size_t) key->hash[1] << 8 | (size_t) key->hash[2] << 16) & mask;

	while (map->slots[slot] != NULL)
	{
		const state_key *other = &map->slots[slot]->key;

		if (other->bcs_len == key->bcs_len && memcmp(other->bcs, key->bcs, key->bcs_len) == 0)
			break;
		slot = (slot + 1) & mask;
	}
	return slot;
}

static void
state_map_grow(state_map *map)
{
	state_map	bigger = {0};

	bigger.capacity = map->capacity ? map->capacity * 2 : 256;
	bigger.slots = gen_calloc(bigger.capacity, sizeof(*bigger.slots));
	for (size_t i = 0; i < map->capacity; i++)
		if (map->slots[i] != NULL)
			bigger.slots[slot_of(&bigger, &map->slots[i]->key)] = map->slots[i];
	bigger.count = map->count;
	free(map->slots);
	*map = bigger;
}

/* The writes stay owned by their transaction; the map keeps the latest per key. */
void
state_map_apply(state_map *map, const chain_write *writes, size_t count)
{
	for (size_t i = 0; i < count; i++)
	{
		size_t		slot;

		if (2 * (map->count + 1) > map->capacity)
			state_map_grow(map);
		slot = slot_of(map, &writes[i].key);
		if (map->slots[slot] == NULL)
			map->count++;
		map->slots[slot] = &writes[i];
	}
}

static int
compare_by_key_hash(const void *left, const void *right)
{
	const chain_write *a = *(const chain_write *const *) left;
	const chain_write *b = *(const chain_write *const *) right;

	return memcmp(a->key.hash, b->key.hash, HASH_LEN);
}

/* Every live key (latest write not a deletion), sorted by key hash. */
void
state_map_snapshot(const state_map *map, state_snapshot *out)
{
	out->items = gen_calloc(map->count ? map->count : 1, sizeof(*out->items));
	out->count = 0;
	for (size_t i = 0; i < map->capacity; i++)
		if (map->slots[i] != NULL && map->slots[i]->has_value)
			out->items[out->count++] = map->slots[i];
	qsort(out->items, out->count, sizeof(*out->items), compare_by_key_hash);
}

void
state_map_free(state_map *map)
{
	free(map->slots);
	memset(map, 0, sizeof(*map));
}

/* StateValue::V0(bytes), or ::WithMetadata{data, metadata V0} when the write carried metadata. */
void
state_value_bcs(byte_buf *out, const chain_write *write)
{
	bcs_uleb128(out, write->metadata.present ? 1 : 0);
	bcs_bytes(out, write->value, write->value_len);
	if (write->metadata.present)
	{
		bcs_uleb128(out, 0);
		bcs_fixed(out, write->metadata.payer, ADDRESS_LEN);
		bcs_u64(out, write->metadata.deposit);
		bcs_u64(out, write->metadata.creation_time_usecs);
	}
}
