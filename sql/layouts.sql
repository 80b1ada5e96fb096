--
-- layouts: the per-epoch layout (<epoch>/ sub-roots, plain files), gzip with a .gz suffix,
-- and a mixed archive with the real archives' defects (duplicate re-run backup, empty and
-- stale .meta, manifests naming .gz files, foreign files) give exactly the generated rows.
--
\getenv fixtures FF_FIXTURES

CREATE FUNCTION compare_with_expected(variant text) RETURNS TABLE (rows bigint, expected bigint, missing bigint, unexpected bigint)
LANGUAGE plpgsql AS $$
DECLARE
  dir text := current_setting('forensic_regress.fixtures') || '/' || variant;
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)', 'srv_' || variant, dir);
  EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text, tx_hash text, sender text, function text, type_args text[], args bytea[], status text, abort_code numeric, event_count integer, write_count integer, object text) SERVER %I OPTIONS (records %L)',
                 'tx_' || variant, 'srv_' || variant, 'transactions');
  CREATE TEMP TABLE exp_csv (LIKE expected_csv);
  EXECUTE format('COPY exp_csv FROM %L CSV HEADER', dir || '.expected/transactions.csv');
  RETURN QUERY EXECUTE format($q$
    WITH e AS (SELECT version, epoch, round, timestamptz 'epoch' + block_timestamp_usecs * interval '1 microsecond' AS block_timestamp,
                      kind, tx_hash, sender, function, type_args, args, status, abort_code, event_count, write_count, object FROM exp_csv),
         t AS (SELECT version, epoch, round, block_timestamp, kind, tx_hash, sender, function, type_args, args, status, abort_code, event_count, write_count, object FROM %I)
    SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM e),
           (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM t) d),
           (SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM e) d)$q$, 'tx_' || variant);
  DROP TABLE exp_csv;
END $$;
SELECT set_config('forensic_regress.fixtures', :'fixtures', false) IS NOT NULL AS set;

SELECT 'per_epoch' AS variant, * FROM compare_with_expected('per_epoch');
SELECT 'suffix' AS variant, * FROM compare_with_expected('suffix');
SELECT 'mixed_defects' AS variant, * FROM compare_with_expected('mixed_defects');
SELECT 'plain' AS variant, * FROM compare_with_expected('plain');

-- the per-epoch layout prunes by epoch too
EXPLAIN (COSTS OFF) SELECT * FROM tx_per_epoch WHERE epoch BETWEEN 10 AND 12;
SELECT min(epoch), max(epoch), count(DISTINCT object) AS objects FROM tx_per_epoch WHERE epoch BETWEEN 10 AND 12;
-- the duplicate backup in the archive with defects is read once
SELECT count(*) AS versions, count(DISTINCT version) AS distinct_versions FROM tx_mixed_defects;
SELECT object, count(*) FROM tx_suffix GROUP BY object ORDER BY min(version) LIMIT 3;
