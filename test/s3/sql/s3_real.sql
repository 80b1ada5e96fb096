-- s3_real: the real v6 testnet sample (../shared/data), uploaded to the S3 server, reads
-- exactly as the local copy: every transaction, event and epoch; pruning fetches a third.
\getenv shared FF_SHARED_DATA
\getenv port S3_FRONT_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint, :'shared' || '/0l-v6-testnet-sample' AS v6 \gset
CREATE SERVER real_loc FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v6');
CREATE SERVER real_s3 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/real-v6/', endpoint :'endpoint');
CREATE USER MAPPING FOR CURRENT_USER SERVER real_s3
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA real_loc; CREATE SCHEMA real_s3;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, events, epochs) FROM SERVER real_loc INTO real_loc;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, events, epochs) FROM SERVER real_s3 INTO real_s3;

SELECT count(*), md5(string_agg(tx_hash || coalesce(state_change_hash, ''), ',' ORDER BY version)) = (
         SELECT md5(string_agg(tx_hash || coalesce(state_change_hash, ''), ',' ORDER BY version))
         FROM real_loc.transactions) AS same_as_local
FROM real_s3.transactions;
SELECT count(*), sum(amount), md5(string_agg(data::text, ',' ORDER BY version, event_index)) = (
         SELECT md5(string_agg(data::text, ',' ORDER BY version, event_index)) FROM real_loc.events)
         AS same_as_local
FROM real_s3.events;
SELECT count(*), (SELECT count(*) FROM (SELECT * FROM real_s3.epochs EXCEPT ALL SELECT * FROM real_loc.epochs) d)
         AS differ
FROM real_s3.epochs;
-- a pruned query reads 4 of the 12 transaction chunks
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM real_s3.events WHERE epoch BETWEEN 100 AND 199;
\! node "$S3_TOOLS"/ctl.js bytes real-v6/transaction
-- against a full scan of the same table
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM real_s3.events;
\! node "$S3_TOOLS"/ctl.js bytes real-v6/transaction
