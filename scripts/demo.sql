-- demo.sql — what forensic_fdw does, on a generated archive (psql variable :archive).
\pset footer off
CREATE EXTENSION forensic_fdw;
CREATE SERVER archive FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'archive');
CREATE FOREIGN TABLE tx (
  version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text,
  tx_hash text, sender text, function text, args bytea[], gas_used bigint, status text,
  abort_code numeric, object text)
  SERVER archive OPTIONS (records 'transactions');

-- What is in the archive?
SELECT kind, count(*), min(version), max(version) FROM tx GROUP BY kind ORDER BY kind;

-- Transactions of a few epochs: only the objects holding them are read.
SELECT kind, count(*) FROM tx WHERE epoch BETWEEN 10 AND 19 GROUP BY kind ORDER BY kind;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM tx WHERE epoch BETWEEN 10 AND 19;

-- User transactions: who called what, and how it ended.
SELECT version, epoch, block_timestamp, sender, function, status, abort_code
FROM tx WHERE kind = 'user' AND epoch BETWEEN 10 AND 12 ORDER BY version LIMIT 10;

-- ETL: load into a native table, then only what is new.
CREATE TABLE warehouse_tx AS SELECT version, epoch, kind, sender, function, status FROM tx WHERE epoch <= 20;
INSERT INTO warehouse_tx
  SELECT version, epoch, kind, sender, function, status FROM tx
  WHERE epoch > (SELECT coalesce(max(epoch), 0) FROM warehouse_tx);
SELECT count(*) AS loaded, max(epoch) AS up_to_epoch FROM warehouse_tx;

-- Every record kind at once: IMPORT FOREIGN SCHEMA creates the six tables.
CREATE SCHEMA chain;
IMPORT FOREIGN SCHEMA archive FROM SERVER archive INTO chain;
SELECT kind, count(*), sum(size) AS bytes FROM chain.objects GROUP BY kind ORDER BY kind;

-- Who paid whom: transfers decoded from the entry-function arguments.
SELECT version, sender, recipient, amount / 1e6 AS coins, status
FROM chain.transactions WHERE amount IS NOT NULL AND epoch BETWEEN 10 AND 12 ORDER BY version;

-- Events by type, with the coin amounts they moved.
SELECT type, count(*), sum(amount) AS amount FROM chain.events WHERE epoch BETWEEN 10 AND 19
GROUP BY type ORDER BY count(*) DESC LIMIT 8;

-- Balances at the end of epoch 20, from its state snapshot.
SELECT address, resource, balance FROM chain.state
WHERE epoch = 20 AND balance IS NOT NULL ORDER BY balance DESC LIMIT 5;

-- Epoch changes and the validator set each one hands over.
SELECT epoch, last_version, end_timestamp, validator_count, total_voting_power, signer_count
FROM chain.epochs WHERE epoch BETWEEN 18 AND 21 ORDER BY epoch;
