--
-- leaks: one backend runs well over a thousand scans (complete, cut short by LIMIT, rescanned
-- in a nested loop, failing on damaged archives, rolled back after a scan, canceled by
-- statement_timeout) over local archives and a bundle, and its memory and open files stay
-- flat: every stream, reader, buffer and file a scan opens is released on every way out.
--
\getenv fixtures FF_FIXTURES
SELECT :'fixtures' || '/flat' AS flat, :'fixtures' || '/truncated' AS truncated,
       :'fixtures' || '/missing_chunk' AS missing, :'fixtures' || '/v5_bundles_only' AS bundles \gset
CREATE SERVER lk_flat FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE SERVER lk_truncated FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'truncated');
CREATE SERVER lk_missing FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'missing');
CREATE SERVER lk_bundles FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bundles');
CREATE FOREIGN TABLE lk_tx (version bigint, tx_hash text, sender text, args_decoded jsonb)
  SERVER lk_flat OPTIONS (records 'transactions');
CREATE FOREIGN TABLE lk_events (version bigint, type text, data bytea, decoded jsonb)
  SERVER lk_flat OPTIONS (records 'events');
CREATE FOREIGN TABLE lk_state (snapshot_version bigint, value bytea) SERVER lk_flat OPTIONS (records 'state');
CREATE FOREIGN TABLE lk_truncated_tx (version bigint, tx_hash text)
  SERVER lk_truncated OPTIONS (records 'transactions');
CREATE FOREIGN TABLE lk_missing_events (version bigint) SERVER lk_missing OPTIONS (records 'events');
CREATE FOREIGN TABLE lk_bundle_tx (version bigint, tx_hash text) SERVER lk_bundles OPTIONS (records 'transactions');

-- the backend's resident memory (kB) and open file descriptors, from /proc
CREATE FUNCTION lk_rss_kb() RETURNS bigint LANGUAGE sql AS
  $$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]::bigint $$;
CREATE FUNCTION lk_fds() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM pg_ls_dir('/proc/self/fd') $$;

-- n scans, six ways in turn; returns the errors caught (4 in every 6 scans end in one)
CREATE FUNCTION lk_round(n int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE c bigint; errors bigint := 0;
BEGIN
  FOR i IN 1..n LOOP
    CASE i % 6
      WHEN 0 THEN SELECT count(*) INTO c FROM lk_tx;
      WHEN 1 THEN PERFORM * FROM lk_events LIMIT 3;
      WHEN 2 THEN
        BEGIN
          SELECT count(*) INTO c FROM lk_truncated_tx;
        EXCEPTION WHEN data_corrupted THEN errors := errors + 1;
        END;
      WHEN 3 THEN
        BEGIN
          SELECT count(*) INTO c FROM lk_state;
          RAISE EXCEPTION 'roll back after a scan';
        EXCEPTION WHEN raise_exception THEN errors := errors + 1;
        END;
      WHEN 4 THEN
        BEGIN
          SELECT count(*) INTO c FROM lk_missing_events;
        EXCEPTION WHEN OTHERS THEN errors := errors + 1;
        END;
      ELSE
        BEGIN
          -- a rescanned inner side (nested loop), then an error with the scans still open
          SELECT count(*) INTO c FROM (SELECT version FROM lk_bundle_tx WHERE version < 20) a
            JOIN LATERAL (SELECT count(*) FROM lk_tx t WHERE t.version = a.version) b ON true;
          PERFORM 1 / 0 FROM lk_bundle_tx LIMIT 1;
        EXCEPTION WHEN division_by_zero THEN errors := errors + 1;
        END;
    END CASE;
  END LOOP;
  RETURN errors;
END $$;

-- scans canceled by statement_timeout (a few finish first under a slow machine: counted)
SELECT set_config('lk.canceled', '0', false) IS NOT NULL AS counter;
CREATE FUNCTION lk_cancel_statements(n int) RETURNS SETOF text LANGUAGE sql AS $fn$
  SELECT format($f$DO $do$ BEGIN PERFORM count(*) FROM lk_events e CROSS JOIN generate_series(1, %s);
                   EXCEPTION WHEN query_canceled THEN
                     PERFORM set_config('lk.canceled', (current_setting('lk.canceled')::int + 1)::text, false);
                   END $do$ $f$, 1 + i % 20)
  FROM generate_series(1, n) i $fn$;

-- warm up (catalogs cached, libraries loaded, every path taken once)
SELECT lk_round(120) AS warmup_errors;
SET statement_timeout = '3ms';
\set ECHO none
\o /dev/null
SELECT lk_cancel_statements(50) \gexec
\o
\set ECHO all
RESET statement_timeout;

-- then 1,200 scans and 200 canceled ones
SELECT lk_rss_kb() AS rss0, lk_fds() AS fds0 \gset
SELECT lk_round(1200) AS errors;
SET statement_timeout = '3ms';
\set ECHO none
\o /dev/null
SELECT set_config('lk.canceled', '0', false) \g
SELECT lk_cancel_statements(200) \gexec
\o
\set ECHO all
RESET statement_timeout;
SELECT current_setting('lk.canceled')::int > 20 AS many_canceled;

-- at most 4 MB more memory after 1,400 scans, and not one file left open
SELECT lk_rss_kb() - :rss0 < 4096 AS memory_flat, lk_fds() - :fds0 AS files_left_open;
