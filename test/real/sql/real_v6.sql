--
-- real_v6: the v6 test-chain sample (versions 1..240000 in 12 chunks, epochs 0..2333).
-- Checked against sources independent of forensic_fdw: pgcrypto's SHA3-256 (OpenSSL) for
-- the transaction hashes, and the epoch-ending .meta lines read by test/real/epoch_ends.py.
--
\getenv shared FF_SHARED_DATA
\getenv work FF_REAL_WORK
\set v6 :shared '/0l-v6-testnet-sample'
\set ends_csv :work '/v6_epoch_ends.csv'
CREATE EXTENSION forensic_fdw;
CREATE EXTENSION pgcrypto;
CREATE SERVER testnet FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v6');
CREATE FOREIGN TABLE tx (version bigint, epoch bigint, round bigint, block_timestamp timestamptz,
  kind text, tx_hash bytea, sender text, function text, gas_used bigint, status text,
  abort_code numeric, event_count integer, write_count integer, transaction_bcs bytea, object text)
  SERVER testnet OPTIONS (records 'transactions');

CREATE TABLE epoch_ends (epoch bigint PRIMARY KEY, end_version bigint NOT NULL);
COPY epoch_ends FROM :'ends_csv' CSV HEADER;
CREATE VIEW epoch_ranges AS
  SELECT epoch, coalesce(lag(end_version) OVER (ORDER BY epoch) + 1, 0) AS first_version,
         end_version AS last_version
  FROM epoch_ends;
SELECT count(*) AS epochs, min(epoch), max(epoch) FROM epoch_ends;

-- EXPLAIN ANALYZE without the numbers that depend on zlib's output or timing
CREATE FUNCTION explain_analyze(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT regexp_replace(line, 'Bytes Read: \d+ stored, (\d+) raw', 'Bytes Read: N stored, \1 raw');
  END LOOP;
END $$;

-- Chunk boundaries, in a fresh session so that no block context is cached yet: the first
-- version of each chunk queried alone, with the previous chunk pruned away.
\c
CREATE TABLE boundary AS
  SELECT b.v AS version, t.epoch, t.round, t.block_timestamp, t.kind
  FROM (SELECT generate_series(1, 220001, 20000)::bigint AS v) b
  CROSS JOIN LATERAL (SELECT epoch, round, block_timestamp, kind FROM tx WHERE version = b.v OFFSET 0) t;
SELECT version, kind FROM boundary ORDER BY version;
\c
SELECT * FROM explain_analyze('SELECT epoch, round FROM tx WHERE version = 20001');

-- A full scan, materialized once.
CREATE TEMP TABLE full_scan AS
  SELECT version, epoch, round, block_timestamp, kind, status, abort_code, tx_hash,
         digest(digest('DIEM::Transaction', 'sha3-256') || transaction_bcs, 'sha3-256') AS recomputed,
         event_count, write_count, object
  FROM tx;
SELECT count(*) AS rows, count(DISTINCT version) AS versions, min(version), max(version) FROM full_scan;
SELECT count(*) AS hash_mismatches FROM full_scan WHERE recomputed <> tx_hash;
SELECT kind, status, count(*) FROM full_scan GROUP BY 1, 2 ORDER BY 1, 2;
SELECT abort_code, count(*) FROM full_scan WHERE abort_code IS NOT NULL GROUP BY 1 ORDER BY 1;
SELECT object, count(*), min(version), max(version) FROM full_scan GROUP BY 1 ORDER BY 3;

-- Every row's epoch is the one the epoch-ending data gives its version.
SELECT count(*) AS epoch_mismatches
FROM full_scan f JOIN epoch_ranges e ON f.version BETWEEN e.first_version AND e.last_version
WHERE f.epoch <> e.epoch;
SELECT count(*) AS rows_without_block FROM full_scan WHERE epoch IS NULL OR round IS NULL OR block_timestamp IS NULL;
-- Per-epoch counts: every epoch wholly inside 1..240000 holds exactly its versions.
SELECT count(*) AS epochs_checked,
       count(*) FILTER (WHERE c.n IS DISTINCT FROM e.last_version - e.first_version + 1) AS epochs_wrong
FROM epoch_ranges e LEFT JOIN (SELECT epoch, count(*) AS n FROM full_scan GROUP BY epoch) c USING (epoch)
WHERE e.first_version >= 1 AND e.last_version <= 240000;
-- Each epoch ends with a block_metadata (the reconfiguration) and starts with one.
SELECT count(*) FILTER (WHERE f.kind <> 'block_metadata') AS bad_epoch_ends
FROM epoch_ranges e JOIN full_scan f ON f.version = e.last_version;
SELECT count(*) FILTER (WHERE f.kind <> 'block_metadata') AS bad_epoch_starts
FROM epoch_ranges e JOIN full_scan f ON f.version = e.first_version WHERE e.epoch > 0;

-- The chunk boundaries read alone agree with the full scan.
SELECT count(*) AS boundaries,
       count(*) FILTER (WHERE (b.epoch, b.round, b.block_timestamp) IS DISTINCT FROM (f.epoch, f.round, f.block_timestamp)) AS mismatches
FROM boundary b JOIN full_scan f USING (version);

-- Pruning by epoch returns exactly the versions of those epochs and opens only their chunks.
SELECT kind, count(*) FROM tx WHERE epoch BETWEEN 100 AND 199 GROUP BY kind ORDER BY kind;
SELECT (SELECT count(*) FROM tx WHERE epoch BETWEEN 100 AND 199) AS rows,
       (SELECT max(last_version) - min(first_version) + 1 FROM epoch_ranges WHERE epoch BETWEEN 100 AND 199) AS expected,
       (SELECT min(first_version) || '..' || max(last_version) FROM epoch_ranges WHERE epoch BETWEEN 100 AND 199) AS versions;
SELECT * FROM explain_analyze('SELECT count(*) FROM tx WHERE epoch BETWEEN 100 AND 199');
-- the same with the bounds as parameters of a generic plan
SET plan_cache_mode = force_generic_plan;
PREPARE by_epoch(bigint, bigint) AS SELECT count(*) FROM tx WHERE epoch BETWEEN $1 AND $2;
EXPLAIN (COSTS OFF) EXECUTE by_epoch(100, 199);
EXECUTE by_epoch(100, 199);
SELECT * FROM explain_analyze('EXECUTE by_epoch(100, 199)');
RESET plan_cache_mode;
-- an epoch range at the end of the sample and beyond it
SELECT count(*), min(version), max(version) FROM tx WHERE epoch >= (SELECT max(epoch) FROM full_scan);
