-- s3_errors: options validated with hints; every S3 refusal becomes a clear error with the
-- right SQLSTATE that says what to fix, never showing a secret; who may set what.
\getenv port S3_FRONT_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint \gset
\set VERBOSITY default

-- runs a statement; returns its SQLSTATE and message (ports masked), and whether the
-- secret used by these tests appears anywhere in the error
CREATE FUNCTION try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hint text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                          hint = PG_EXCEPTION_HINT;
  RETURN st || ': ' || regexp_replace(regexp_replace(msg, 'port \d+', 'port N', 'g'), 'after \d+ ms', 'after N ms', 'g')
         || CASE WHEN concat(msg, det, hint) ~ '(secret-key|wrong-secret|token-abc)' THEN ' [SECRET SHOWN]' ELSE '' END;
END $$;

-- option values
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://Bad_Bucket/x/');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket//x/');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', url_style 'virtul');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', endpoint 'localhost:9000');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', endpoint 'http://host:9000/path');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', regoin 'us-east-1');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', region 'US East');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', max_retries 'many');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', request_timeout '0');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', credentials_from 'env');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/tmp', region 'us-east-1');
CREATE SERVER e1 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://ok-bucket/', requester_pays 'yes', list_page_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER e1 OPTIONS (access_key_id 'AKIA');
CREATE USER MAPPING FOR CURRENT_USER SERVER e1 OPTIONS (secret_acess_key 'x');
CREATE USER MAPPING FOR CURRENT_USER SERVER e1 OPTIONS (anonymous 'true', access_key_id 'a', secret_access_key 'b');
CREATE USER MAPPING FOR CURRENT_USER SERVER e1 OPTIONS (session_token 't');
DROP SERVER e1;

-- refusals by S3
CREATE SERVER bad FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', max_retries '1', cache_ttl '0');
CREATE FOREIGN TABLE bad_epochs (epoch bigint) SERVER bad OPTIONS (records 'epochs');
-- no user mapping
SELECT try('SELECT count(*) FROM bad_epochs');
CREATE USER MAPPING FOR CURRENT_USER SERVER bad
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'wrong-secret');
SELECT try('SELECT count(*) FROM bad_epochs');
SELECT * FROM forensic_fdw_check('bad') WHERE step IN ('credentials', 'listing');
ALTER USER MAPPING FOR CURRENT_USER SERVER bad
  OPTIONS (SET access_key_id 'AKIANOBODY', SET secret_access_key 'forensic-secret-key');
SELECT try('SELECT count(*) FROM bad_epochs');
ALTER USER MAPPING FOR CURRENT_USER SERVER bad OPTIONS (SET access_key_id 'AKIATOKENTEST',
  SET secret_access_key 'token-secret-key');
SELECT try('SELECT count(*) FROM bad_epochs');
ALTER USER MAPPING FOR CURRENT_USER SERVER bad OPTIONS (ADD session_token 'token-wrong');
SELECT try('SELECT count(*) FROM bad_epochs');
ALTER USER MAPPING FOR CURRENT_USER SERVER bad OPTIONS (SET session_token 'token-abc');
SELECT try('SELECT count(*) FROM bad_epochs');
ALTER SERVER bad OPTIONS (ADD region 'eu-west-1');
SELECT try('SELECT count(*) FROM bad_epochs');
ALTER SERVER bad OPTIONS (DROP region, SET location 's3://no-such-bucket/flat/');
SELECT try('SELECT count(*) FROM bad_epochs');
-- a prefix with nothing under it: an empty archive, and the check says so
ALTER SERVER bad OPTIONS (SET location 's3://forensic/no-such-prefix/');
SELECT try('SELECT count(*) FROM bad_epochs'), (SELECT count(*) FROM bad_epochs);
SELECT step, ok, regexp_replace(detail, '\d+ ms', 'N ms') FROM forensic_fdw_check('bad') WHERE step = 'listing';
-- nobody listening
ALTER SERVER bad OPTIONS (SET endpoint 'http://127.0.0.1:9', ADD connect_timeout '1', SET max_retries '0');
SELECT try('SELECT count(*) FROM bad_epochs');

-- privileges: only a superuser hands the server's own credentials to users
CREATE ROLE regress_s3_owner;
CREATE ROLE regress_s3_user;
GRANT USAGE ON FOREIGN DATA WRAPPER forensic_fdw TO regress_s3_owner;
SET ROLE regress_s3_owner;
SELECT try($q$CREATE SERVER mine FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', credentials_from 'environment')$q$);
SELECT try($q$CREATE SERVER mine FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', imds_endpoint 'http://127.0.0.1:1')$q$);
SELECT try($q$CREATE SERVER mine FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/tmp')$q$);
CREATE SERVER mine FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', endpoint 'http://127.0.0.1:1');
CREATE USER MAPPING FOR regress_s3_owner SERVER mine
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
GRANT USAGE ON FOREIGN SERVER mine TO regress_s3_user;
RESET ROLE;
-- another user sees the mapping, not its options (pg_user_mappings, as \deu+ does)
SET ROLE regress_s3_user;
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'mine';
RESET ROLE;
SET ROLE regress_s3_owner;
SELECT usename, umoptions IS NOT NULL AS sees_own_options FROM pg_user_mappings WHERE srvname = 'mine';
RESET ROLE;
DROP SERVER mine CASCADE;
REVOKE USAGE ON FOREIGN DATA WRAPPER forensic_fdw FROM regress_s3_owner;
DROP ROLE regress_s3_owner;
DROP ROLE regress_s3_user;
