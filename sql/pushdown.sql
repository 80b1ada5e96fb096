--
-- pushdown: quals on epoch and version become version ranges; objects outside are never
-- opened; results stay exact (PostgreSQL rechecks every qual), also at chunk boundaries
-- that fall inside a block.
--
\getenv fixtures FF_FIXTURES
\set flat :fixtures '/flat'
\set epochs_csv :fixtures '/flat.expected/epochs.csv'

CREATE SERVER push_srv FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE tx (version bigint, epoch bigint, round bigint, block_timestamp timestamptz,
  kind text, object text)
  SERVER push_srv OPTIONS (records 'transactions');
CREATE TABLE gen_epochs (epoch bigint, first_version bigint, last_version bigint, end_timestamp_usecs bigint,
  round bigint, block_id text, root_hash text, waypoint text, validator_count integer,
  total_voting_power numeric, validators jsonb, signer_count integer, object text);
COPY gen_epochs FROM :'epochs_csv' CSV HEADER;

CREATE FUNCTION explain_analyze(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT regexp_replace(line, 'Bytes Read: \d+ stored, (\d+) raw', 'Bytes Read: N stored, \1 raw');
  END LOOP;
END $$;

-- same rows with and without pushdown, for a list of predicates
CREATE FUNCTION same_rows(pred text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE pushed bigint; rechecked bigint; wrong bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM tx WHERE ' || pred INTO pushed;
  EXECUTE 'SELECT count(*) FROM expected_tx WHERE ' || pred INTO rechecked;
  EXECUTE 'SELECT count(*) FROM ((SELECT version, epoch, round, block_timestamp, kind, object FROM tx WHERE ' || pred ||
          ') EXCEPT ALL (SELECT version, epoch, round, block_timestamp, kind, object FROM expected_tx WHERE ' || pred || ')) d' INTO wrong;
  RETURN format('%s rows, %s expected, %s wrong', pushed, rechecked, wrong);
END $$;

EXPLAIN (COSTS OFF) SELECT * FROM tx;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE epoch BETWEEN 10 AND 12;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE version >= 300 AND version < 400;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE version IN (5, 600, 1200);
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE epoch = ANY (ARRAY[3, 30]) AND version > 100;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE 10 < epoch AND 12 >= epoch;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE epoch = 5 AND epoch = 6;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE epoch = 5 OR epoch = 6;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE version = NULL::bigint;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE epoch > 1000000;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE version < -3;
EXPLAIN (COSTS OFF) SELECT * FROM tx WHERE version::numeric = 5;

SELECT pred, same_rows(pred) FROM (VALUES
  ('epoch BETWEEN 10 AND 12'), ('epoch = 0'), ('epoch = 1'), ('epoch <= 2'), ('epoch > 30'),
  ('version >= 300 AND version < 400'), ('version IN (0, 5, 600, 1200)'),
  ('epoch = ANY (ARRAY[3, 30]) AND version > 100'), ('10 < epoch AND 12 >= epoch'),
  ('epoch = 5 OR epoch = 6'), ('version = 250 OR version = 251'), ('epoch > 1000000'),
  ('version::numeric = 5'), ('version = ANY (ARRAY[NULL, 7]::bigint[])')) p(pred);

-- the rows of epochs 10..12 are exactly the versions the epoch table gives them
SELECT (SELECT count(*) FROM tx WHERE epoch BETWEEN 10 AND 12) =
       (SELECT sum(last_version - first_version + 1) FROM gen_epochs WHERE epoch BETWEEN 10 AND 12) AS epoch_counts_agree;

-- EXPLAIN ANALYZE: what was actually opened and read
SELECT * FROM explain_analyze('SELECT count(*) FROM tx WHERE epoch BETWEEN 10 AND 12');
SELECT * FROM explain_analyze('SELECT version FROM tx WHERE version IN (5, 600)');

-- Parameters: a generic plan prunes at execution time
SET plan_cache_mode = force_generic_plan;
PREPARE by_epoch(bigint, bigint) AS SELECT count(*) FROM tx WHERE epoch BETWEEN $1 AND $2;
EXPLAIN (COSTS OFF) EXECUTE by_epoch(10, 12);
EXECUTE by_epoch(10, 12);
SELECT * FROM explain_analyze('EXECUTE by_epoch(10, 12)');
PREPARE by_versions(int[]) AS SELECT version FROM tx WHERE version = ANY ($1) ORDER BY 1;
EXECUTE by_versions(ARRAY[7, 8, 900]);
RESET plan_cache_mode;

-- A scalar subquery (initplan), as in an incremental load
CREATE TABLE warehouse_tx (version bigint, epoch bigint, kind text);
INSERT INTO warehouse_tx SELECT version, epoch, kind FROM tx WHERE epoch <= 20;
SELECT * FROM explain_analyze('INSERT INTO warehouse_tx SELECT version, epoch, kind FROM tx WHERE epoch > (SELECT coalesce(max(epoch), 0) FROM warehouse_tx)');
SELECT count(*) = (SELECT count(*) FROM tx) AS all_loaded, count(DISTINCT version) = count(*) AS no_duplicates FROM warehouse_tx;

-- Chunk boundaries: every chunk's first version read alone (its predecessor pruned) has
-- the epoch, round and timestamp of its block, which may have started in the previous chunk.
-- First, scans that need no block column and pass over most records must not leave a
-- wrong block context behind for the scans after them.
\c
SELECT count(*) AS first_and_last_versions
FROM tx WHERE version = ANY ((SELECT array_agg(v) FROM
  (SELECT min(version) AS v FROM expected_tx GROUP BY object
   UNION ALL SELECT max(version) FROM expected_tx GROUP BY object) s)::bigint[]);
SELECT count(*) AS chunks,
       count(*) FILTER (WHERE (t.epoch, t.round, t.block_timestamp) IS DISTINCT FROM (e.epoch, e.round, e.block_timestamp)) AS mismatches,
       count(*) FILTER (WHERE e.kind NOT IN ('block_metadata', 'genesis')) AS starting_mid_block
FROM (SELECT object, min(version) AS v FROM expected_tx GROUP BY object) b
JOIN expected_tx e ON e.version = b.v
CROSS JOIN LATERAL (SELECT epoch, round, block_timestamp FROM tx WHERE version = b.v OFFSET 0) t;
\c
SELECT b.v AS mid_block_start
FROM (SELECT object, min(version) AS v FROM expected_tx GROUP BY object) b
JOIN expected_tx e ON e.version = b.v
WHERE e.kind NOT IN ('block_metadata', 'genesis') ORDER BY b.v LIMIT 1 \gset
SELECT * FROM explain_analyze('SELECT * FROM tx WHERE version = ' || :mid_block_start);
-- the second time, the block context at the end of the previous chunk is known
SELECT * FROM explain_analyze('SELECT * FROM tx WHERE version = ' || :mid_block_start);
