/*
 * expected_csv.c — renders the expected FDW output from the chain model's
 * structured description (never from the record bytes): AIP-40 addresses,
 * type tags, PostgreSQL text[] / bytea[] array literals and RFC 4180 /
 * COPY CSV quoting.
 */
#include "expected_csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcs_writer.h"
#include "gen_util.h"

static const char *const status_names[] = {
	"success", "out_of_gas", "move_abort", "execution_failure", "miscellaneous_error"
};

static const char *
payload_kind_name(payload_kind kind)
{
	switch (kind)
	{
		case PAYLOAD_SCRIPT:
			return "script";
		case PAYLOAD_MODULE_BUNDLE:
			return "module_bundle";
		case PAYLOAD_ENTRY_FUNCTION:
			return "entry_function";
		case PAYLOAD_MULTISIG:
			return "multisig";
	}
	return "?";
}

static const char *
authenticator_name(authenticator_kind kind)
{
	switch (kind)
	{
		case AUTH_ED25519:
			return "ed25519";
		case AUTH_MULTI_ED25519:
			return "multi_ed25519";
		case AUTH_MULTI_AGENT:
			return "multi_agent";
		case AUTH_FEE_PAYER:
			return "fee_payer";
	}
	return "?";
}

/* ------------------------------------------------------------------------- */
/* CSV fields: a row is built field by field; NULL = empty unquoted field. */

typedef struct csv_row
{
	byte_buf	line;
	int			field_count;
} csv_row;

/* PostgreSQL COPY CSV quotes a value that is empty, is \., or holds , " CR LF. */
static void
csv_field(csv_row *row, const char *value)
{
	if (row->field_count++ > 0)
		buf_append_str(&row->line, ",");
	if (value == NULL)
		return;
	if (value[0] == '\0' || strcmp(value, "\\.") == 0 || strpbrk(value, ",\"\r\n") != NULL)
	{
		buf_append_str(&row->line, "\"");
		for (const char *p = value; *p; p++)
		{
			if (*p == '"')
				buf_append_str(&row->line, "\"");
			buf_append(&row->line, p, 1);
		}
		buf_append_str(&row->line, "\"");
	}
	else
		buf_append_str(&row->line, value);
}

static void
csv_u64(csv_row *row, uint64_t value)
{
	char		text[24];

	snprintf(text, sizeof(text), "%llu", (unsigned long long) value);
	csv_field(row, text);
}

/* Renders into a scratch buffer and emits it as one field. */
static void
csv_buffer(csv_row *row, byte_buf *scratch)
{
	buf_append(scratch, "", 1);
	csv_field(row, (const char *) scratch->data);
	buf_reset(scratch);
}

/* ------------------------------------------------------------------------- */
/* PostgreSQL array literals (array_out) */

static bool
array_element_needs_quotes(const char *element)
{
	if (element[0] == '\0' || strcasecmp(element, "NULL") == 0)
		return true;
	for (const char *p = element; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '{' || *p == '}' || *p == ',' || isspace((unsigned char) *p))
			return true;
	return false;
}

static void
array_element(byte_buf *out, const char *element, bool first)
{
	if (!first)
		buf_append_str(out, ",");
	if (!array_element_needs_quotes(element))
	{
		buf_append_str(out, element);
		return;
	}
	buf_append_str(out, "\"");
	for (const char *p = element; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			buf_append_str(out, "\\");
		buf_append(out, p, 1);
	}
	buf_append_str(out, "\"");
}

static void
render_type_args(byte_buf *out, const user_txn *user)
{
	byte_buf	element;

	buf_init(&element);
	buf_append_str(out, "{");
	for (size_t i = 0; i < user->type_arg_count; i++)
	{
		buf_reset(&element);
		type_tag_render(&element, user->type_args[i]);
		buf_append(&element, "", 1);
		array_element(out, (const char *) element.data, i == 0);
	}
	buf_append_str(out, "}");
	buf_free(&element);
}

static void
render_args(byte_buf *out, const user_txn *user)
{
	byte_buf	element;

	buf_init(&element);
	buf_append_str(out, "{");
	for (size_t i = 0; i < user->arg_count; i++)
	{
		char	   *hex = gen_malloc(2 * user->args[i].len + 1);

		hex_encode(user->args[i].data, user->args[i].len, hex);
		buf_reset(&element);
		buf_printf(&element, "\\x%s", hex);
		buf_append(&element, "", 1);
		array_element(out, (const char *) element.data, i == 0);
		free(hex);
	}
	buf_append_str(out, "}");
	buf_free(&element);
}

/* ------------------------------------------------------------------------- */

static void
render_row(const chain_txn *txn, const char *object, csv_row *row)
{
	const user_txn *user = txn->user;
	const execution_status *status = &txn->status;
	byte_buf	scratch;
	char		hash_hex[2 * HASH_LEN + 3];

	buf_init(&scratch);
	csv_u64(row, txn->version);
	csv_u64(row, txn->epoch);
	csv_u64(row, txn->round);
	csv_u64(row, txn->block_timestamp_usecs);
	csv_field(row, txn_kind_name(txn->kind));
	hash_hex[0] = '0';
	hash_hex[1] = 'x';
	hex_encode(txn->tx_hash, HASH_LEN, hash_hex + 2);
	csv_field(row, hash_hex);

	if (user != NULL)
	{
		address_render(&scratch, user->sender);
		csv_buffer(row, &scratch);
		csv_u64(row, user->sequence_number);
		csv_field(row, payload_kind_name(user->payload));
		if (user->has_function)
		{
			address_render(&scratch, user->function_address);
			buf_printf(&scratch, "::%s::%s", user->function_module, user->function_name);
			csv_buffer(row, &scratch);
		}
		else
			csv_field(row, NULL);
		render_type_args(&scratch, user);
		csv_buffer(row, &scratch);
		render_args(&scratch, user);
		csv_buffer(row, &scratch);
		csv_u64(row, user->max_gas_amount);
		csv_u64(row, user->gas_unit_price);
	}
	else
		for (int i = 0; i < 8; i++)
			csv_field(row, NULL);
	csv_u64(row, txn->gas_used);
	if (user != NULL)
	{
		csv_u64(row, user->expiration_timestamp_secs);
		csv_u64(row, user->chain_id);
		csv_field(row, authenticator_name(user->authenticator));
	}
	else
		for (int i = 0; i < 3; i++)
			csv_field(row, NULL);
	csv_field(row, status_names[status->kind]);

	if (status->kind == STATUS_MOVE_ABORT || status->kind == STATUS_EXECUTION_FAILURE)
	{
		if (status->location_is_script)
			csv_field(row, "script");
		else
		{
			address_render(&scratch, status->location_address);
			buf_printf(&scratch, "::%s", status->location_module);
			csv_buffer(row, &scratch);
		}
	}
	else
		csv_field(row, NULL);
	if (status->kind == STATUS_MOVE_ABORT)
		csv_u64(row, status->abort_code);
	else if (status->kind == STATUS_MISCELLANEOUS_ERROR && status->has_status_code)
		csv_u64(row, status->status_code);
	else
		csv_field(row, NULL);

	if (txn->kind == TXN_BLOCK_METADATA)
	{
		address_render(&scratch, txn->proposer);
		csv_buffer(row, &scratch);
	}
	else
		csv_field(row, NULL);
	csv_u64(row, txn->event_count);
	csv_u64(row, txn->write_count);
	csv_field(row, object);
	buf_free(&scratch);
}

static FILE *
open_output(const char *directory, const char *name, char **path)
{
	FILE	   *file;

	*path = gen_asprintf("%s/%s", directory, name);
	file = fopen(*path, "wb");
	if (file == NULL)
		gen_fatal("cannot create %s: %s", *path, strerror(errno));
	return file;
}

static void
write_checked(FILE *file, const char *path, const void *data, size_t len)
{
	if (len > 0 && fwrite(data, 1, len, file) != len)
		gen_fatal("write %s: %s", path, strerror(errno));
}

static void
close_output(FILE *file, char *path)
{
	if (fclose(file) != 0)
		gen_fatal("close %s: %s", path, strerror(errno));
	free(path);
}

/* For each version, the smallest chunk key holding it (NULL = not in the archive). */
static const char **
map_versions_to_objects(const chain_model *chain, const layout_result *layout)
{
	const char **objects = gen_calloc(chain->txn_count, sizeof(char *));

	for (size_t i = 0; i < layout->chunk_count; i++)
	{
		const chunk_object *chunk = &layout->chunks[i];

		for (uint64_t version = chunk->first_version; version <= chunk->last_version; version++)
			if (objects[version] == NULL || strcmp(chunk->key, objects[version]) < 0)
				objects[version] = chunk->key;
	}
	return objects;
}

static void
write_transactions_csv(const chain_model *chain, const layout_result *layout, const char *directory,
					   expected_totals *totals)
{
	static const char header[] =
		"version,epoch,round,block_timestamp_usecs,kind,tx_hash,sender,sequence_number,payload_kind,"
		"function,type_args,args,max_gas_amount,gas_unit_price,gas_used,expiration_timestamp_secs,"
		"chain_id,authenticator,status,abort_location,abort_code,proposer,event_count,write_count,object\n";
	const char **objects = map_versions_to_objects(chain, layout);
	char	   *path;
	FILE	   *file = open_output(directory, "transactions.csv", &path);
	csv_row		row;

	buf_init(&row.line);
	write_checked(file, path, header, sizeof(header) - 1);
	for (size_t version = 0; version < chain->txn_count; version++)
	{
		const chain_txn *txn = &chain->txns[version];

		if (objects[version] == NULL)
			continue;
		buf_reset(&row.line);
		row.field_count = 0;
		render_row(txn, objects[version], &row);
		buf_append_str(&row.line, "\n");
		write_checked(file, path, row.line.data, row.line.len);
		if (totals->rows == 0)
			totals->first_version = version;
		totals->last_version = version;
		totals->rows++;
		totals->by_kind[txn->kind]++;
		totals->by_status[txn->status.kind]++;
	}
	close_output(file, path);
	buf_free(&row.line);
	free(objects);
}

static void
write_epochs_csv(const chain_model *chain, const char *directory)
{
	char	   *path;
	FILE	   *file = open_output(directory, "epochs.csv", &path);
	byte_buf	text;

	buf_init(&text);
	buf_append_str(&text, "epoch,first_version,last_version,end_timestamp_usecs\n");
	for (size_t i = 0; i < chain->epoch_count; i++)
	{
		const epoch_info *info = &chain->epochs[i];

		buf_printf(&text, "%llu,%llu,%llu,%llu\n", (unsigned long long) info->epoch,
				   (unsigned long long) info->first_version, (unsigned long long) info->last_version,
				   (unsigned long long) info->end_timestamp_usecs);
	}
	write_checked(file, path, text.data, text.len);
	close_output(file, path);
	buf_free(&text);
}

static void
write_summary(const chain_model *chain, const layout_result *layout, const char *directory,
			  const char *options_text, const expected_totals *totals)
{
	char	   *path;
	FILE	   *file = open_output(directory, "summary.txt", &path);
	byte_buf	text;

	buf_init(&text);
	buf_printf(&text, "options: %s\n", options_text);
	buf_printf(&text, "epochs: %zu (0..%zu)\n", chain->epoch_count, chain->epoch_count - 1);
	buf_printf(&text, "chain_versions: %zu (0..%zu)\n", chain->txn_count, chain->txn_count - 1);
	if (totals->rows > 0)
		buf_printf(&text, "written_versions: %llu..%llu\n", (unsigned long long) totals->first_version,
				   (unsigned long long) totals->last_version);
	buf_printf(&text, "rows: %zu\n", totals->rows);
	for (int kind = 0; kind < 4; kind++)
		buf_printf(&text, "kind.%s: %zu\n", txn_kind_name((txn_kind) kind), totals->by_kind[kind]);
	for (int status = 0; status < 5; status++)
		buf_printf(&text, "status.%s: %zu\n", status_names[status], totals->by_status[status]);
	buf_printf(&text, "transaction_backups: %zu\n", layout->transaction_backups);
	buf_printf(&text, "transaction_chunks: %zu\n", layout->chunk_count);
	buf_printf(&text, "epoch_ending_backups: %zu\n", layout->epoch_ending_backups);
	buf_printf(&text, "meta_files: %zu\n", layout->meta_files);
	buf_printf(&text, "defects: %zu\n", layout->defects_written);
	write_checked(file, path, text.data, text.len);
	close_output(file, path);
	buf_free(&text);
}

void
expected_write_all(const chain_model *chain, const layout_result *layout, const char *directory,
				   const char *options_text, expected_totals *totals)
{
	memset(totals, 0, sizeof(*totals));
	write_transactions_csv(chain, layout, directory, totals);
	write_epochs_csv(chain, directory);
	write_summary(chain, layout, directory, options_text, totals);
}
