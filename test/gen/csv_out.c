/*
 * csv_out.c — expected CSV rows and files (see csv_out.h): PostgreSQL COPY CSV
 * quoting (a value that is empty, is \., or holds , " CR LF is quoted).
 */
#include "csv_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen_hash.h"
#include "gen_util.h"

void
csv_row_init(csv_row *row)
{
	buf_init(&row->line);
	buf_init(&row->scratch);
	row->field_count = 0;
}

void
csv_row_free(csv_row *row)
{
	buf_free(&row->line);
	buf_free(&row->scratch);
}

void
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

void
csv_u64(csv_row *row, uint64_t value)
{
	char		text[24];

	snprintf(text, sizeof(text), "%llu", (unsigned long long) value);
	csv_field(row, text);
}

void
csv_scratch(csv_row *row)
{
	buf_append(&row->scratch, "", 1);
	csv_field(row, (const char *) row->scratch.data);
	buf_reset(&row->scratch);
}

void
csv_bytea(csv_row *row, const uint8_t *data, size_t len)
{
	char	   *hex = gen_malloc(2 * len + 1);

	hex_encode(data, len, hex);
	buf_printf(&row->scratch, "\\x%s", hex);
	csv_scratch(row);
	free(hex);
}

void
csv_address(csv_row *row, const uint8_t address[ADDRESS_LEN])
{
	address_render(&row->scratch, address);
	csv_scratch(row);
}

void
csv_hash(csv_row *row, const uint8_t *hash)
{
	char		hex[2 * HASH_LEN + 1];

	hex_encode(hash, HASH_LEN, hex);
	buf_printf(&row->scratch, "0x%s", hex);
	csv_scratch(row);
}

void
csv_open(csv_file *out, const char *directory, const char *name, const char *header)
{
	out->path = gen_asprintf("%s/%s", directory, name);
	out->rows = 0;
	out->file = fopen(out->path, "wb");
	if (out->file == NULL)
		gen_fatal("cannot create %s: %s", out->path, strerror(errno));
	if (header != NULL && fprintf(out->file, "%s\n", header) < 0)
		gen_fatal("write %s: %s", out->path, strerror(errno));
}

void
csv_write_text(csv_file *out, const byte_buf *text)
{
	if (text->len > 0 && fwrite(text->data, 1, text->len, out->file) != text->len)
		gen_fatal("write %s: %s", out->path, strerror(errno));
}

void
csv_write_row(csv_file *out, csv_row *row)
{
	buf_append_str(&row->line, "\n");
	csv_write_text(out, &row->line);
	buf_reset(&row->line);
	row->field_count = 0;
	out->rows++;
}

void
csv_close(csv_file *out)
{
	if (fclose(out->file) != 0)
		gen_fatal("close %s: %s", out->path, strerror(errno));
	free(out->path);
	out->file = NULL;
	out->path = NULL;
}
