-- s3_faults: what the network and S3 do wrong, injected by the front (test/s3/front.js):
-- each fault either recovers with exactly the right rows or fails with a clear error; a
-- hanging request is canceled within a second.
\getenv port S3_FRONT_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint \gset

CREATE SERVER f FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', part_size '65536',
           max_retries '4', request_timeout '1', cache_ttl '600');
CREATE USER MAPPING FOR CURRENT_USER SERVER f
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE FOREIGN TABLE ftx (version bigint, tx_hash text, state_change_hash text)
  SERVER f OPTIONS (records 'transactions');
-- the rows, as one checksum, read from the local copy
\getenv fixtures FF_FIXTURES
SELECT :'fixtures' || '/flat' AS flat \gset
CREATE SERVER loc_f FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE ltx (version bigint, tx_hash text, state_change_hash text)
  SERVER loc_f OPTIONS (records 'transactions');
CREATE VIEW expected AS
  SELECT count(*) AS n, md5(string_agg(tx_hash || state_change_hash, ',' ORDER BY version)) AS sum FROM ltx;
CREATE VIEW got AS
  SELECT count(*) AS n, md5(string_agg(tx_hash || state_change_hash, ',' ORDER BY version)) AS sum FROM ftx;
CREATE FUNCTION same() RETURNS text LANGUAGE sql AS
  $$ SELECT CASE WHEN g = e THEN 'same ' || g.n || ' rows' ELSE 'DIFFERENT ' || g::text END FROM got g, expected e $$;
SELECT same();
-- runs a statement; its SQLSTATE, message and detail
CREATE FUNCTION try_detail(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ': ' || msg || ' / ' || regexp_replace(det, '"[0-9a-f]{32}"', '"ETAG"', 'g');
END $$;

-- throttled by S3: 503 SlowDown, 429, 500, 502, 504 (retried with backoff)
\! node "$S3_TOOLS"/ctl.js fault '[{"match":".chunk","kind":"status","status":503,"code":"SlowDown","count":3},{"match":".chunk","kind":"status","status":429,"count":1},{"match":".chunk","kind":"status","status":500,"count":1},{"match":".chunk","kind":"status","status":502,"count":1},{"match":".chunk","kind":"status","status":504,"count":1}]'
SELECT same();
\! node "$S3_TOOLS"/ctl.js clear
-- a connection reset mid-body and a short body: resumed from the byte reached
\! node "$S3_TOOLS"/ctl.js fault '{"match":".chunk","kind":"reset","after_bytes":10000,"count":4}'
SELECT same();
\! node "$S3_TOOLS"/ctl.js fault '{"match":".chunk","kind":"truncate","after_bytes":20000,"count":4}'
SELECT same();
\! node "$S3_TOOLS"/ctl.js clear
-- a request that hangs (request_timeout 1 s), a slow answer, a slow link
\! node "$S3_TOOLS"/ctl.js fault '[{"match":".chunk","kind":"hang","count":1},{"match":".chunk","kind":"delay","ms":300,"count":2},{"match":".chunk","kind":"throttle","bytes_per_sec":200000,"count":2}]'
SELECT same();
\! node "$S3_TOOLS"/ctl.js clear
-- listings and manifests fail too: planning retries them
ALTER SERVER f OPTIONS (SET cache_ttl '0');
\! node "$S3_TOOLS"/ctl.js fault '[{"match":"list-type","kind":"status","status":503,"count":2},{"match":".manifest","kind":"reset","after_bytes":10,"count":2}]'
SELECT same();
\! node "$S3_TOOLS"/ctl.js clear
-- a manifest that fails past its retries fails the query, and is read again by the next one
CREATE SERVER f2 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', max_retries '1');
CREATE USER MAPPING FOR CURRENT_USER SERVER f2
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE FOREIGN TABLE f2_epochs (epoch bigint) SERVER f2 OPTIONS (records 'epochs');
\! node "$S3_TOOLS"/ctl.js fault '{"match":"epoch_ending_0-","kind":"status","status":503,"count":0}'
SELECT try_detail('SELECT count(*) FROM f2_epochs');
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM f2_epochs;
ALTER SERVER f OPTIONS (SET cache_ttl '600');
SELECT same();

-- errors that retrying does not cure
-- S3 keeps failing: after max_retries, the object, the status and S3's code
\! node "$S3_TOOLS"/ctl.js fault '{"match":"transaction_0-.b201/0-.chunk","kind":"status","status":503,"code":"SlowDown","count":0}'
SELECT try_detail('SELECT count(*) FROM ftx');
\! node "$S3_TOOLS"/ctl.js clear
-- the object changed between two requests (its ETag): never mix two versions of it
\! node "$S3_TOOLS"/ctl.js fault '{"match":"transaction_0-.b201/0-.chunk","kind":"etag","etag":"0123456789abcdef0123456789abcdef","count":1}'
SELECT try_detail('SELECT count(*) FROM ftx');
\! node "$S3_TOOLS"/ctl.js clear
-- a 404 is not retried (one request: parts as large as the chunk)
ALTER SERVER f OPTIONS (SET part_size '8388608');
\! node "$S3_TOOLS"/ctl.js fault '{"match":"transaction_0-.b201/0-.chunk","kind":"status","status":404,"count":1}'
SELECT try_detail('SELECT count(*) FROM ftx');
\! node "$S3_TOOLS"/ctl.js count transaction_0-.b201/0-.chunk GET
\! node "$S3_TOOLS"/ctl.js clear
SELECT same();

-- cancel: a request that hangs for ever stops at statement_timeout, within a second
ALTER SERVER f OPTIONS (SET request_timeout '60');
\! node "$S3_TOOLS"/ctl.js fault '{"match":".chunk","kind":"hang","count":0}'
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '500ms';
SELECT count(*) FROM ftx;
RESET statement_timeout;
SELECT CASE WHEN clock_timestamp() - t < interval '1500 ms' THEN 'canceled within a second'
            ELSE 'TOO SLOW: ' || (clock_timestamp() - t)::text END FROM t0;
-- and while planning lists the bucket
ALTER SERVER f OPTIONS (SET cache_ttl '0');
\! node "$S3_TOOLS"/ctl.js fault '{"match":"list-type","kind":"hang","count":0}'
CREATE TEMP TABLE t1 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '500ms';
SELECT count(*) FROM ftx;
RESET statement_timeout;
SELECT CASE WHEN clock_timestamp() - t < interval '1500 ms' THEN 'canceled within a second'
            ELSE 'TOO SLOW: ' || (clock_timestamp() - t)::text END FROM t1;
\! node "$S3_TOOLS"/ctl.js clear
-- and the backend reads normally afterwards
SELECT same();
