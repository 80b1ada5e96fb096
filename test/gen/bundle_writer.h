/*
 * bundle_writer.h — the per-epoch layout's bundles (LAYOUTS.md §3): <epoch>.zip,
 * <epoch>.tar.gz or <epoch>.tgz holding the files of the <epoch>/ folder as entries
 * "<epoch>/...", written with libarchive deterministically (fixed mtime, owner and order; zip
 * entries deflated, a few stored; gzip header without a timestamp), optionally with the
 * folder removed afterwards (--bundles-only).
 */
#ifndef FIXTUREGEN_BUNDLE_WRITER_H
#define FIXTUREGEN_BUNDLE_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "archive_writer.h"

typedef enum bundle_mode
{
	BUNDLES_NONE,
	BUNDLES_ZIP,
	BUNDLES_TAR_GZ,
	BUNDLES_TGZ,
	BUNDLES_MIXED				/* zip, tar.gz, tgz by epoch % 3 */
} bundle_mode;

/* ".zip", ".tar.gz" or ".tgz" for this epoch's bundle. */
const char *bundle_extension(bundle_mode mode, uint64_t epoch);

/*
 * Bundles every epoch folder 0..last_epoch the writer wrote files into (kind OBJECT_BUNDLE in
 * the writer's object list). With remove_folders the folders are deleted and their files
 * dropped from the object list.
 */
void		bundle_write_all(archive_writer *writer, bundle_mode mode, uint64_t last_epoch, bool remove_folders);

/*
 * The key of a file of an epoch folder once only the bundle remains: "E/x" -> "E.zip/E/x"
 * (malloc'ed); other keys are copied unchanged.
 */
char	   *bundle_member_key(bundle_mode mode, const char *key);

#endif
