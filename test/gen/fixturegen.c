/*
 * fixturegen.c — command line of the fixture generator: parses the options,
 * generates the chain, writes the archive and the expected output
 * (transactions, events, state_changes, state, epochs, objects CSVs and
 * summary.txt).
 *
 *   fixturegen --out DIR --expected EXPDIR [--layout flat|per-epoch]
 *              [--epochs N] [--backup-versions N]
 *              [--compression gzip|gzip-suffix|plain|mixed] [--defects]
 *              [--seed S] [--chain-id 4|1] [--era v4|v5|v6]
 *              [--bundles zip|tar.gz|tgz|mixed [--bundles-only]]
 *
 * --era v4|v5 writes the legacy chain of legacy_model.h (no --defects); --bundles (per-epoch
 * layout) adds <epoch>.zip / .tar.gz / .tgz beside each <epoch>/ folder, and --bundles-only
 * then removes the folders (the expected `object` column becomes "<bundle>/<member>" and
 * objects.csv is not written).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_layout.h"
#include "archive_writer.h"
#include "bundle_writer.h"
#include "chain_model.h"
#include "expected_csv.h"
#include "gen_util.h"
#include "legacy_archive.h"
#include "legacy_model.h"

typedef struct cli_options
{
	const char *out_dir;
	const char *expected_dir;
	layout_kind layout;
	uint64_t	epochs;
	uint64_t	backup_versions;
	compression_mode compression;
	const char *compression_name;
	bool		defects;
	uint64_t	seed;
	uint8_t		chain_id;
	int			era;			/* 4, 5 or 6 */
	bundle_mode bundles;
	const char *bundles_name;
	bool		bundles_only;
} cli_options;

static void
usage(void)
{
	fprintf(stderr,
			"usage: fixturegen --out DIR --expected EXPDIR [--layout flat|per-epoch] [--epochs N]\n"
			"                  [--backup-versions N] [--compression gzip|gzip-suffix|plain|mixed]\n"
			"                  [--defects] [--seed S] [--chain-id 4|1] [--era v4|v5|v6]\n"
			"                  [--bundles zip|tar.gz|tgz|mixed [--bundles-only]]\n"
			"DIR must not exist or be empty. EXPDIR gets what the FDW must return, in COPY CSV HEADER\n"
			"format: transactions.csv, events.csv, state_changes.csv, state.csv, epochs.csv, objects.csv,\n"
			"and summary.txt with the counts. A state snapshot ends every 10th epoch; --defects adds the\n"
			"real archives' defects and a state snapshot whose second chunk is missing. --era v4|v5\n"
			"writes a Libra 1.x / Diem 1.x era chain; --bundles (per-epoch layout) bundles each epoch\n"
			"folder, --bundles-only removes the folders afterwards (no objects.csv then).\n");
	exit(2);
}

static uint64_t
parse_number(const char *option, const char *text, uint64_t min, uint64_t max)
{
	char	   *end;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || text[0] == '\0' || text[0] == '-' || value < min || value > max)
		gen_fatal("%s: expected a number in [%llu, %llu], got '%s'", option,
				  (unsigned long long) min, (unsigned long long) max, text);
	return value;
}

static void
parse_options(int argc, char **argv, cli_options *options)
{
	memset(options, 0, sizeof(*options));
	options->layout = LAYOUT_FLAT;
	options->epochs = 40;
	options->backup_versions = 250;
	options->compression = COMPRESSION_GZIP;
	options->compression_name = "gzip";
	options->seed = 1;
	options->chain_id = 4;
	options->era = 6;
	options->bundles = BUNDLES_NONE;
	for (int i = 1; i < argc; i++)
	{
		const char *arg = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(arg, "--defects") == 0)
		{
			options->defects = true;
			continue;
		}
		if (strcmp(arg, "--bundles-only") == 0)
		{
			options->bundles_only = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			usage();
		if (value == NULL)
			usage();
		i++;
		if (strcmp(arg, "--out") == 0)
			options->out_dir = value;
		else if (strcmp(arg, "--expected") == 0)
			options->expected_dir = value;
		else if (strcmp(arg, "--layout") == 0)
		{
			if (strcmp(value, "flat") == 0)
				options->layout = LAYOUT_FLAT;
			else if (strcmp(value, "per-epoch") == 0)
				options->layout = LAYOUT_PER_EPOCH;
			else
				gen_fatal("--layout: flat or per-epoch, got '%s'", value);
		}
		else if (strcmp(arg, "--epochs") == 0)
			options->epochs = parse_number(arg, value, 1, 100000);
		else if (strcmp(arg, "--backup-versions") == 0)
			options->backup_versions = parse_number(arg, value, 10, UINT64_C(100000000));
		else if (strcmp(arg, "--compression") == 0)
		{
			options->compression_name = value;
			if (strcmp(value, "gzip") == 0)
				options->compression = COMPRESSION_GZIP;
			else if (strcmp(value, "gzip-suffix") == 0)
				options->compression = COMPRESSION_GZIP_SUFFIX;
			else if (strcmp(value, "plain") == 0)
				options->compression = COMPRESSION_PLAIN;
			else if (strcmp(value, "mixed") == 0)
				options->compression = COMPRESSION_MIXED;
			else
				gen_fatal("--compression: gzip, gzip-suffix, plain or mixed, got '%s'", value);
		}
		else if (strcmp(arg, "--seed") == 0)
			options->seed = parse_number(arg, value, 0, UINT64_MAX);
		else if (strcmp(arg, "--era") == 0)
		{
			if (strcmp(value, "v4") == 0)
				options->era = 4;
			else if (strcmp(value, "v5") == 0)
				options->era = 5;
			else if (strcmp(value, "v6") == 0)
				options->era = 6;
			else
				gen_fatal("--era: v4, v5 or v6, got '%s'", value);
		}
		else if (strcmp(arg, "--bundles") == 0)
		{
			options->bundles_name = value;
			if (strcmp(value, "zip") == 0)
				options->bundles = BUNDLES_ZIP;
			else if (strcmp(value, "tar.gz") == 0)
				options->bundles = BUNDLES_TAR_GZ;
			else if (strcmp(value, "tgz") == 0)
				options->bundles = BUNDLES_TGZ;
			else if (strcmp(value, "mixed") == 0)
				options->bundles = BUNDLES_MIXED;
			else
				gen_fatal("--bundles: zip, tar.gz, tgz or mixed, got '%s'", value);
		}
		else if (strcmp(arg, "--chain-id") == 0)
			options->chain_id = (uint8_t) parse_number(arg, value, 0, 255);
		else
			usage();
	}
	if (options->out_dir == NULL || options->expected_dir == NULL)
		usage();
	if (options->bundles != BUNDLES_NONE && options->layout != LAYOUT_PER_EPOCH)
		gen_fatal("--bundles needs --layout per-epoch");
	if (options->bundles_only && options->bundles == BUNDLES_NONE)
		gen_fatal("--bundles-only needs --bundles");
	if (options->era != 6 && options->defects)
		gen_fatal("--defects is for --era v6 only");
}

/* The options line of summary.txt: the v6 line unchanged, the new options appended when used. */
static char *
options_line(const cli_options *options)
{
	char	   *text = gen_asprintf("layout=%s epochs=%llu backup_versions=%llu compression=%s defects=%s seed=%llu chain_id=%u",
									options->layout == LAYOUT_FLAT ? "flat" : "per-epoch",
									(unsigned long long) options->epochs,
									(unsigned long long) options->backup_versions, options->compression_name,
									options->defects ? "yes" : "no", (unsigned long long) options->seed,
									(unsigned) options->chain_id);

	if (options->era != 6)
	{
		char	   *longer = gen_asprintf("%s era=v%d", text, options->era);

		free(text);
		text = longer;
	}
	if (options->bundles != BUNDLES_NONE)
	{
		char	   *longer = gen_asprintf("%s bundles=%s%s", text, options->bundles_name,
										  options->bundles_only ? " bundles_only=yes" : "");

		free(text);
		text = longer;
	}
	return text;
}

static void
rewrite_key(char **key, bundle_mode mode)
{
	char	   *member = bundle_member_key(mode, *key);

	free(*key);
	*key = member;
}

/* --era v4|v5 */
static void
run_legacy(const cli_options *options, archive_writer *writer, const char *options_text)
{
	legacy_chain chain;
	legacy_layout_result result;
	expected_totals totals;

	legacy_generate(&chain, options->era == 4 ? LEGACY_V4 : LEGACY_V5, options->seed, options->epochs,
					options->chain_id);
	legacy_write_archive(&chain, options->layout, options->backup_versions, options->seed, writer, &result);
	if (options->bundles != BUNDLES_NONE)
		bundle_write_all(writer, options->bundles, chain.epoch_count - 1, options->bundles_only);
	if (options->bundles_only)
		legacy_rewrite_keys(&result, options->bundles);
	legacy_write_expected(&chain, &result, writer, options->expected_dir, options_text, !options->bundles_only,
						  &totals);
	printf("fixturegen: %s\n", options_text);
	printf("fixturegen: %zu files (%zu gzip, %zu bytes) in %s; %zu of %zu versions in %zu chunks; "
		   "%zu transaction, %zu epoch-ending and %zu state snapshot backups\n",
		   writer->files_written, writer->gzip_files, writer->bytes_written, options->out_dir,
		   totals.rows, chain.txn_count, result.tx_chunk_count, result.transaction_backups,
		   result.epoch_ending_backups, result.state_snapshot_backups);
	printf("fixturegen: rows: transactions %zu, events %zu, state %zu, epochs %zu, objects %zu\n",
		   totals.rows, totals.event_rows, totals.state_rows, totals.epoch_rows, totals.object_rows);
	legacy_layout_free(&result);
	legacy_free(&chain);
}

/* The archive directory must be new or empty: stale files would corrupt the fixture. */
static void
require_empty_directory(const char *path)
{
	DIR		   *dir = opendir(path);
	struct dirent *entry;

	if (dir == NULL)
	{
		if (errno == ENOENT)
			return;
		gen_fatal("cannot open %s: %s", path, strerror(errno));
	}
	while ((entry = readdir(dir)) != NULL)
	{
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
		{
			closedir(dir);
			gen_fatal("%s is not empty; remove it first", path);
		}
	}
	closedir(dir);
}

int
main(int argc, char **argv)
{
	cli_options options;
	chain_model chain;
	archive_writer writer;
	layout_options layout;
	layout_result result;
	expected_totals totals;
	char	   *options_text;

	parse_options(argc, argv, &options);
	require_empty_directory(options.out_dir);
	archive_make_dirs(options.out_dir);
	archive_make_dirs(options.expected_dir);

	archive_writer_init(&writer, options.out_dir, options.compression, options.seed);
	options_text = options_line(&options);
	if (options.era != 6)
	{
		run_legacy(&options, &writer, options_text);
		free(options_text);
		archive_writer_free(&writer);
		return 0;
	}

	chain_generate(&chain, options.seed, options.epochs, options.chain_id);
	layout.layout = options.layout;
	layout.backup_versions = options.backup_versions;
	layout.defects = options.defects;
	layout.seed = options.seed;
	layout_write_archive(&chain, &layout, &writer, &result);
	if (options.bundles != BUNDLES_NONE)
		bundle_write_all(&writer, options.bundles, chain.epoch_count - 1, options.bundles_only);
	if (options.bundles_only)
	{
		for (size_t i = 0; i < result.chunk_count; i++)
			rewrite_key(&result.chunks[i].key, options.bundles);
		for (size_t i = 0; i < result.epoch_chunk_count; i++)
			rewrite_key(&result.epoch_chunks[i].key, options.bundles);
		for (size_t i = 0; i < result.state_chunk_count; i++)
			rewrite_key(&result.state_chunks[i].key, options.bundles);
	}
	expected_write_all_ex(&chain, &result, &writer, options.expected_dir, options_text, !options.bundles_only,
						  &totals);

	printf("fixturegen: %s\n", options_text);
	printf("fixturegen: %zu files (%zu gzip, %zu bytes) in %s; %zu of %zu versions in %zu chunks; "
		   "%zu transaction, %zu epoch-ending and %zu state snapshot backups\n",
		   writer.files_written, writer.gzip_files, writer.bytes_written, options.out_dir,
		   totals.rows, chain.txn_count, result.chunk_count, result.transaction_backups,
		   result.epoch_ending_backups, result.state_snapshot_backups);
	printf("fixturegen: rows: transactions %zu, events %zu, state_changes %zu, state %zu, epochs %zu, "
		   "objects %zu\n", totals.rows, totals.event_rows, totals.state_change_rows, totals.state_rows,
		   totals.epoch_rows, totals.object_rows);

	free(options_text);
	layout_result_free(&result);
	archive_writer_free(&writer);
	chain_free(&chain);
	return 0;
}
