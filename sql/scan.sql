--
-- scan: every column of every row of a generated archive (flat layout, every file gzip
-- without suffix) equals what the fixture generator says it wrote.
--
\getenv fixtures FF_FIXTURES
\set flat :fixtures '/flat'
\set flat_csv :fixtures '/flat.expected/transactions.csv'
CREATE EXTENSION IF NOT EXISTS forensic_fdw;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE SERVER gen_flat FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE tx_all (
  version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text,
  tx_hash text, sender text, sequence_number bigint, payload_kind text, function text,
  type_args text[], args bytea[], max_gas_amount bigint, gas_unit_price bigint, gas_used bigint,
  expiration_timestamp timestamptz, chain_id integer, authenticator text, status text,
  abort_location text, abort_code numeric, proposer text, event_count integer,
  write_count integer, object text)
  SERVER gen_flat OPTIONS (records 'transactions');

-- the generator's own account of what it wrote
CREATE TABLE expected_csv (
  version bigint, epoch bigint, round bigint, block_timestamp_usecs bigint, kind text,
  tx_hash text, sender text, sequence_number bigint, payload_kind text, function text,
  type_args text[], args bytea[], max_gas_amount bigint, gas_unit_price bigint, gas_used bigint,
  expiration_timestamp_secs bigint, chain_id integer, authenticator text, status text,
  abort_location text, abort_code numeric, proposer text, event_count integer,
  write_count integer, object text, recipient text, amount numeric, args_decoded jsonb);
COPY expected_csv FROM :'flat_csv' CSV HEADER;
CREATE VIEW expected_tx AS
  SELECT version, epoch, round,
         timestamptz 'epoch' + block_timestamp_usecs * interval '1 microsecond' AS block_timestamp,
         kind, tx_hash, sender, sequence_number, payload_kind, function, type_args, args,
         max_gas_amount, gas_unit_price, gas_used,
         timestamptz 'epoch' + expiration_timestamp_secs * interval '1 second' AS expiration_timestamp,
         chain_id, authenticator, status, abort_location, abort_code, proposer, event_count,
         write_count, object
  FROM expected_csv;

SELECT count(*) AS expected_rows FROM expected_csv;
SELECT count(*) AS rows FROM tx_all;
SELECT count(*) AS missing FROM (SELECT * FROM expected_tx EXCEPT ALL SELECT * FROM tx_all) d;
SELECT count(*) AS unexpected FROM (SELECT * FROM tx_all EXCEPT ALL SELECT * FROM expected_tx) d;

-- what the archive covers
SELECT kind, count(*) FROM tx_all GROUP BY kind ORDER BY kind;
SELECT status, count(*) FROM tx_all GROUP BY status ORDER BY status;
SELECT payload_kind, authenticator, count(*) FROM tx_all WHERE kind = 'user' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT DISTINCT function FROM tx_all WHERE function IS NOT NULL ORDER BY 1;
SELECT DISTINCT abort_location FROM tx_all WHERE abort_location IS NOT NULL ORDER BY 1;
SELECT DISTINCT unnest(type_args) AS type_arg FROM tx_all ORDER BY 1;

-- a subset of the columns, in another order, addresses and hashes as raw bytes
CREATE FOREIGN TABLE tx_raw (sender bytea, tx_hash bytea, version bigint, transaction_bcs bytea)
  SERVER gen_flat OPTIONS (records 'transactions');
SELECT count(*) AS hash_text_mismatches
FROM tx_raw r JOIN expected_csv e USING (version)
WHERE '0x' || encode(r.tx_hash, 'hex') <> e.tx_hash;
SELECT count(*) AS sender_lengths_wrong FROM tx_raw WHERE sender IS NOT NULL AND length(sender) <> 32;
-- every transaction hash recomputes from the transaction's bytes (SHA3-256 by pgcrypto)
SELECT count(*) AS hash_mismatches
FROM tx_raw
WHERE digest(digest('DIEM::Transaction', 'sha3-256') || transaction_bcs, 'sha3-256') <> tx_hash;

-- whole-row references and a scan inside a join
SELECT count(*) AS rows, count(DISTINCT t::text) AS distinct_rows FROM tx_all t;
SELECT count(*) FROM tx_all a JOIN tx_raw r USING (version);
