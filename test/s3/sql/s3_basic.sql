-- s3_basic: the same archive read from a local directory and from S3 (s3rver behind the
-- SigV4-verifying front, test/s3/front.js) gives the same rows for every record kind, with
-- both URL styles and every way of giving credentials; listings are paged and cached;
-- pruning fetches only the objects it keeps.
CREATE EXTENSION forensic_fdw;
\getenv fixtures FF_FIXTURES
\getenv port S3_FRONT_PORT
\getenv imds_port S3_IMDS_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint, 'http://localhost:' || :'port' AS vendpoint,
       'http://127.0.0.1:' || :'imds_port' AS imds, :'fixtures' || '/flat' AS flat,
       :'fixtures' || '/per_epoch' AS per_epoch \gset

-- every row of a over S3 against b locally, both ways
CREATE FUNCTION same_rows(a regclass, b regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n1 bigint; n2 bigint; d1 bigint; d2 bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s', a) INTO n1;
  EXECUTE format('SELECT count(*) FROM %s', b) INTO n2;
  EXECUTE format('SELECT count(*) FROM (SELECT * FROM %s EXCEPT ALL SELECT * FROM %s) x', a, b) INTO d1;
  EXECUTE format('SELECT count(*) FROM (SELECT * FROM %s EXCEPT ALL SELECT * FROM %s) x', b, a) INTO d2;
  RETURN format('%s: %s rows over S3, %s local, %s only over S3, %s only local', b, n1, n2, d1, d2);
END $$;

CREATE SERVER loc FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE SCHEMA loc;
IMPORT FOREIGN SCHEMA archive FROM SERVER loc INTO loc;

-- path style (the default with an endpoint), small parts so that chunks span several
-- ranged GETs, small listing pages
CREATE SERVER s3 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', part_size '65536',
           list_page_size '7', cache_ttl '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA s3;
IMPORT FOREIGN SCHEMA archive FROM SERVER s3 INTO s3;

SELECT step, ok, regexp_replace(regexp_replace(detail, '\d+ ms', 'N ms'), ':\d+ ', ':PORT ') AS detail
FROM forensic_fdw_check('s3');

\! node "$S3_TOOLS"/ctl.js clear
SELECT same_rows('s3.transactions', 'loc.transactions');
SELECT same_rows('s3.events', 'loc.events');
SELECT same_rows('s3.state_changes', 'loc.state_changes');
SELECT same_rows('s3.epochs', 'loc.epochs');
SELECT same_rows('s3.state', 'loc.state');
SELECT same_rows('s3.objects', 'loc.objects');
-- 173 objects in pages of 7: 25 requests per listing, one listing per transaction (cache_ttl 0)
\! node "$S3_TOOLS"/ctl.js count list-type=2
\! node "$S3_TOOLS"/ctl.js clear

-- pruning: a query over epochs 10..12 fetches one transaction chunk of seven
SELECT count(*) FROM s3.transactions WHERE epoch BETWEEN 10 AND 12;
\! node "$S3_TOOLS"/ctl.js count .chunk GET
\! node "$S3_TOOLS"/ctl.js bytes .chunk
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM s3.transactions;
\! node "$S3_TOOLS"/ctl.js count .chunk GET
\! node "$S3_TOOLS"/ctl.js bytes .chunk

-- a cached listing (cache_ttl): the second query lists nothing and reads no manifest
ALTER SERVER s3 OPTIONS (SET cache_ttl '600');
SELECT count(*) FROM s3.epochs;
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM s3.epochs;
\! node "$S3_TOOLS"/ctl.js count list-type=2
\! node "$S3_TOOLS"/ctl.js count .manifest

-- virtual-hosted style, temporary credentials with a session token
CREATE SERVER s3v FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat', endpoint :'vendpoint', url_style 'virtual');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3v
  OPTIONS (access_key_id 'AKIATOKENTEST', secret_access_key 'token-secret-key', session_token 'token-abc');
CREATE FOREIGN TABLE v_transactions (version bigint, tx_hash text, sender text, status text)
  SERVER s3v OPTIONS (records 'transactions');
SELECT count(*) AS rows_, count(DISTINCT tx_hash) AS hashes,
       (SELECT count(*) FROM (SELECT version, tx_hash, sender, status FROM v_transactions
                              EXCEPT SELECT version, tx_hash, sender, status FROM loc.transactions) d) AS differ
FROM v_transactions;

-- a public bucket, unsigned
CREATE SERVER s3pub FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://public-archive/flat/', endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3pub OPTIONS (anonymous 'true');
CREATE FOREIGN TABLE pub_epochs (epoch bigint, waypoint text) SERVER s3pub OPTIONS (records 'epochs');
SELECT count(*), (SELECT count(*) FROM (SELECT epoch, waypoint FROM pub_epochs
                  EXCEPT SELECT epoch, waypoint FROM loc.epochs) d) AS differ FROM pub_epochs;

-- the instance's role (IMDSv2), enabled by a superuser
CREATE SERVER s3imds FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', credentials_from 'instance',
           imds_endpoint :'imds');
CREATE FOREIGN TABLE imds_epochs (epoch bigint) SERVER s3imds OPTIONS (records 'epochs');
SELECT count(*) FROM imds_epochs;
SELECT step, ok FROM forensic_fdw_check('s3imds');

-- the database server's environment (AWS_ACCESS_KEY_ID ... set for the test instance)
CREATE SERVER s3env FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', credentials_from 'environment');
CREATE FOREIGN TABLE env_epochs (epoch bigint) SERVER s3env OPTIONS (records 'epochs');
SELECT count(*) FROM env_epochs;

-- the per-epoch layout over S3
CREATE SERVER loc_pe FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'per_epoch');
CREATE SERVER s3_pe FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/per_epoch/', endpoint :'endpoint', max_requests '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3_pe
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA loc_pe; CREATE SCHEMA s3_pe;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, state) FROM SERVER loc_pe INTO loc_pe;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, state) FROM SERVER s3_pe INTO s3_pe;
SELECT same_rows('s3_pe.transactions', 'loc_pe.transactions');
SELECT same_rows('s3_pe.state', 'loc_pe.state');
\! node "$S3_TOOLS"/ctl.js clear
