-- s3_bundles: per-epoch bundles (.tar.gz, .tgz, .zip) of the generator's v4 and v5 archives,
-- read from S3 (s3rver behind the SigV4-verifying front), give every row the local copy gives;
-- a bundle is fetched only when a query's epochs reach its name, and the requests spent per
-- bundle are counted through the front.
\getenv fixtures FF_FIXTURES
\getenv port S3_FRONT_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint \gset

-- every row of a over S3 against b locally, both ways (cols: the columns compared, or *)
CREATE FUNCTION same_bundle_rows(a regclass, b regclass, cols text DEFAULT '*') RETURNS text
LANGUAGE plpgsql AS $$
DECLARE n1 bigint; n2 bigint; d1 bigint; d2 bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s', a) INTO n1;
  EXECUTE format('SELECT count(*) FROM %s', b) INTO n2;
  EXECUTE format('SELECT count(*) FROM (SELECT %3$s FROM %1$s EXCEPT ALL SELECT %3$s FROM %2$s) x', a, b, cols) INTO d1;
  EXECUTE format('SELECT count(*) FROM (SELECT %3$s FROM %2$s EXCEPT ALL SELECT %3$s FROM %1$s) x', a, b, cols) INTO d2;
  RETURN format('%s: %s rows over S3, %s local, %s only over S3, %s only local', b, n1, n2, d1, d2);
END $$;

-- a server on the local copy and one on S3 for a variant, with every table imported
CREATE FUNCTION bundle_servers(variant text, bundles text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L, bundles %L)',
                 'loc_' || variant, current_setting('bx.fixtures') || '/' || variant, bundles);
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw
                    OPTIONS (location %L, endpoint %L, part_size %L, bundles %L)',
                 's3_' || variant, 's3://forensic/' || variant || '/', current_setting('bx.endpoint'),
                 '65536', bundles);
  EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I
                    OPTIONS (access_key_id %L, secret_access_key %L)',
                 's3_' || variant, 'AKIAFORENSICTEST', 'forensic-secret-key');
  EXECUTE format('CREATE SCHEMA %I', 'loc_' || variant);
  EXECUTE format('CREATE SCHEMA %I', 's3_' || variant);
  EXECUTE format('IMPORT FOREIGN SCHEMA archive FROM SERVER %I INTO %I', 'loc_' || variant, 'loc_' || variant);
  EXECUTE format('IMPORT FOREIGN SCHEMA archive FROM SERVER %I INTO %I', 's3_' || variant, 's3_' || variant);
END $$;
SELECT set_config('bx.fixtures', :'fixtures', false) IS NOT NULL AS configured,
       set_config('bx.endpoint', :'endpoint', false) IS NOT NULL AS endpoint_set;

-- v4, only .tar.gz bundles (no folders)
SELECT bundle_servers('v4_bundles_only', 'auto');
-- the first query of the session over epochs 10..12: the 13 bundles named 0..12 are read once
-- each to index them (a transaction backup can run on past its bundle's epoch), bundles 13..40
-- are never fetched; the scan then reads bundles 10, 11 and 12 from their start up to the
-- member it needs (one request per chunk: 4); and the bucket is listed once
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*), min(epoch), max(epoch), count(DISTINCT framework) AS eras, min(framework)
FROM s3_v4_bundles_only.transactions WHERE epoch BETWEEN 10 AND 12;
\! node "$S3_TOOLS"/ctl.js count .tar.gz GET
\! node "$S3_TOOLS"/ctl.js count v4_bundles_only/13.tar.gz
\! node "$S3_TOOLS"/ctl.js count list-type=2
-- the same query again: the indexes are kept, only the 4 chunk reads
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM s3_v4_bundles_only.transactions WHERE epoch BETWEEN 10 AND 12;
\! node "$S3_TOOLS"/ctl.js count .tar.gz GET
-- every kind, every row
SELECT same_bundle_rows('s3_v4_bundles_only.transactions', 'loc_v4_bundles_only.transactions');
-- (v4 backups carry no events: their records are (Transaction, TransactionInfo) pairs)
SELECT same_bundle_rows('s3_v4_bundles_only.events', 'loc_v4_bundles_only.events');
SELECT same_bundle_rows('s3_v4_bundles_only.epochs', 'loc_v4_bundles_only.epochs');
SELECT same_bundle_rows('s3_v4_bundles_only.state', 'loc_v4_bundles_only.state');
SELECT same_bundle_rows('s3_v4_bundles_only.objects', 'loc_v4_bundles_only.objects');
-- the members are named <bundle>/<path>
SELECT object FROM s3_v4_bundles_only.epochs WHERE epoch = 3;

-- v5, bundles of all three kinds (.zip, .tar.gz, .tgz in turn)
SELECT bundle_servers('v5_bundles_only', 'auto');
SELECT same_bundle_rows('s3_v5_bundles_only.transactions', 'loc_v5_bundles_only.transactions');
SELECT same_bundle_rows('s3_v5_bundles_only.events', 'loc_v5_bundles_only.events');
SELECT same_bundle_rows('s3_v5_bundles_only.epochs', 'loc_v5_bundles_only.epochs');
SELECT same_bundle_rows('s3_v5_bundles_only.state', 'loc_v5_bundles_only.state');
SELECT same_bundle_rows('s3_v5_bundles_only.objects', 'loc_v5_bundles_only.objects');
SELECT framework, count(*) FROM s3_v5_bundles_only.transactions GROUP BY 1;
SELECT substr(object, 1, strpos(object, '/') - 1) ~ '^[0-9]+\.(zip|tar\.gz|tgz)$' AS from_bundle, count(*)
FROM s3_v5_bundles_only.transactions GROUP BY 1;

-- v4, a folder and a .zip for every epoch; bundles 'only' reads the zips, 'ignore' the folders
SELECT bundle_servers('v4_per_epoch_zip', 'only');
CREATE SERVER s3_v4_folders FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/v4_per_epoch_zip/', endpoint :'endpoint', bundles 'ignore');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3_v4_folders
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA s3_v4_folders;
IMPORT FOREIGN SCHEMA archive FROM SERVER s3_v4_folders INTO s3_v4_folders;
-- a zip is read with ranged GETs of 64 KiB and up (its head, its tail with the central
-- directory, then the members); these zips are smaller than 64 KiB, so indexing one is one
-- request, and so is the scan of a chunk in it. The first query of the session over epoch 20
-- indexes zips 0..20 and reads the chunk of zip 20; zips 21..40 and the folders are not fetched.
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM s3_v4_per_epoch_zip.transactions WHERE epoch = 20;
\! node "$S3_TOOLS"/ctl.js count .zip GET
\! node "$S3_TOOLS"/ctl.js count v4_per_epoch_zip/21.zip
\! node "$S3_TOOLS"/ctl.js count v4_per_epoch_zip/20/
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM s3_v4_per_epoch_zip.transactions WHERE epoch = 20;
\! node "$S3_TOOLS"/ctl.js count .zip GET
-- zips over S3 against zips locally: every column
SELECT same_bundle_rows('s3_v4_per_epoch_zip.transactions', 'loc_v4_per_epoch_zip.transactions');
SELECT same_bundle_rows('s3_v4_per_epoch_zip.events', 'loc_v4_per_epoch_zip.events');
SELECT same_bundle_rows('s3_v4_per_epoch_zip.epochs', 'loc_v4_per_epoch_zip.epochs');
SELECT same_bundle_rows('s3_v4_per_epoch_zip.state', 'loc_v4_per_epoch_zip.state');
-- zips over S3 against the folders over S3: every column but the object's name
SELECT same_bundle_rows('s3_v4_per_epoch_zip.transactions', 's3_v4_folders.transactions',
  'version, tx_hash, sender, payload_kind, status, gas_used, amount, args, framework, state_root_hash, gas_currency');
SELECT same_bundle_rows('s3_v4_per_epoch_zip.epochs', 's3_v4_folders.epochs',
  'epoch, first_version, last_version, waypoint, validators, quorum_voting_power, framework');
SELECT same_bundle_rows('s3_v4_per_epoch_zip.state', 's3_v4_folders.state',
  'snapshot_version, item_index, address, resource, value, balance, account_hash, framework');
SELECT count(*) FILTER (WHERE key ~ '^[0-9]+\.zip/') AS in_zips, count(*) AS objects
FROM s3_v4_per_epoch_zip.objects;

SET client_min_messages = warning;
DROP SCHEMA s3_v4_bundles_only, loc_v4_bundles_only, s3_v5_bundles_only, loc_v5_bundles_only,
  s3_v4_per_epoch_zip, loc_v4_per_epoch_zip, s3_v4_folders CASCADE;
RESET client_min_messages;
