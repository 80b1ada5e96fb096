--
-- privileges: who may set which option (local locations, credentials, the server's own
-- credentials), who may read through a server and call the extension's functions, and that
-- no secret of a user mapping shows in an error, EXPLAIN, forensic_fdw_check or a catalog
-- view another role can read. Needs the extension (suite options creates it).
--
\getenv fixtures FF_FIXTURES
\set flat :fixtures '/flat'
\set VERBOSITY default

CREATE ROLE regress_priv_plain;		-- USAGE on the wrapper, nothing else
CREATE ROLE regress_priv_files IN ROLE pg_read_server_files;
CREATE ROLE regress_priv_nobody;	-- not even USAGE on the wrapper
GRANT USAGE ON FOREIGN DATA WRAPPER forensic_fdw TO regress_priv_plain, regress_priv_files;
CREATE SCHEMA regress_priv;
GRANT USAGE, CREATE ON SCHEMA regress_priv TO regress_priv_plain, regress_priv_files, regress_priv_nobody;
SET search_path = regress_priv, public;

-- The secrets of these tests are put together at run time, so that no statement text (which
-- the server may log) holds them: the log check of test/run-tests.sh looks for them in the
-- server log. shows_secret() says whether a text holds any of them (or the full key id).
CREATE FUNCTION shows_secret(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(strpos(t, 'regress-secret-' || 'marker-1') > 0
                  OR strpos(t, 'regress-token-' || 'marker-1') > 0
                  OR strpos(t, 'AKIAREGRESS' || 'MARKERID1') > 0, false) $$;
-- create or alter a user mapping with those credentials
CREATE FUNCTION map_with_secrets(verb text, role text, server text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('%s USER MAPPING FOR %s SERVER %I OPTIONS (%s access_key_id %L, %s secret_access_key %L, %s session_token %L)',
                 verb, role, server,
                 CASE verb WHEN 'ALTER' THEN 'SET' ELSE '' END, 'AKIAREGRESS' || 'MARKERID1',
                 CASE verb WHEN 'ALTER' THEN 'SET' ELSE '' END, 'regress-secret-' || 'marker-1',
                 CASE verb WHEN 'ALTER' THEN 'ADD' ELSE '' END, 'regress-token-' || 'marker-1');
END $$;
-- runs a statement; returns its SQLSTATE and message (ports, times and the fixtures' path
-- masked) and whether a secret shows in its message, detail, hint or context
CREATE FUNCTION try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hint text; ctx text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                          hint = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
  RETURN st || ': ' || regexp_replace(regexp_replace(msg, 'port \d+', 'port N', 'g'), 'after \d+ ms', 'after N ms', 'g')
         || CASE WHEN shows_secret(concat_ws(' ', msg, det, hint, ctx)) THEN ' [SECRET SHOWN]' ELSE ' [no secret]' END;
END $$;
-- the lines of EXPLAIN (VERBOSE, ANALYZE) of a query, the fixtures' path masked
CREATE FUNCTION explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT regexp_replace(replace(line, current_setting('regress.fixtures'), '<fixtures>'),
                               'Bytes Read: \d+ stored, \d+ raw', 'Bytes Read: N');
  END LOOP;
END $$;
SELECT set_config('regress.fixtures', :'fixtures', false) IS NOT NULL AS set;
GRANT EXECUTE ON FUNCTION explain_lines(text) TO PUBLIC;

--
-- 1. A local location makes the database server read its files: superusers and roles with
--    the privileges of pg_read_server_files only (as COPY FROM a file, file_fdw's filename).
--
SET ROLE regress_priv_plain;
CREATE SERVER p_local FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
SELECT try('CREATE SERVER p_local FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location ''/etc'')');
-- an S3 location is fine: reads go over the network with the user's own credentials
CREATE SERVER p_s3 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/');
-- but its owner cannot turn it into a local one
ALTER SERVER p_s3 OPTIONS (SET location '/etc');
-- nor can the validator be called directly to the same end (it refuses the same way)
SELECT try($q$SELECT forensic_fdw_validator(ARRAY['location=/etc'], 'pg_foreign_server'::regclass)$q$);
RESET ROLE;

SET ROLE regress_priv_files;
CREATE SERVER f_local FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE f_tx (version bigint) SERVER f_local OPTIONS (records 'transactions');
SELECT count(*) FROM f_tx;
ALTER SERVER f_local OPTIONS (ADD framework 'v6');
RESET ROLE;
-- the privilege is checked when the location is set; taking it away stops changes, not reads
REVOKE pg_read_server_files FROM regress_priv_files;
SET ROLE regress_priv_files;
ALTER SERVER f_local OPTIONS (SET framework 'auto');
SELECT count(*) FROM f_tx;
RESET ROLE;
GRANT pg_read_server_files TO regress_priv_files;

-- a superuser may
CREATE SERVER priv_local FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE priv_tx (version bigint, sender text) SERVER priv_local OPTIONS (records 'transactions');
SELECT count(*) FROM priv_tx;

--
-- 2. Reading through a superuser's local server is the superuser's decision (as in file_fdw):
--    SELECT on its tables, USAGE on the server for new tables and forensic_fdw_check.
--
SET ROLE regress_priv_plain;
SELECT count(*) FROM priv_tx;
CREATE FOREIGN TABLE p_tx (version bigint) SERVER priv_local OPTIONS (records 'transactions');
SELECT * FROM forensic_fdw_check('priv_local');
RESET ROLE;
GRANT USAGE ON FOREIGN SERVER priv_local TO regress_priv_plain;
GRANT SELECT ON priv_tx TO regress_priv_plain;
SET ROLE regress_priv_plain;
SELECT count(*) FROM priv_tx;
CREATE FOREIGN TABLE p_tx (version bigint) SERVER priv_local OPTIONS (records 'transactions');
SELECT count(*) FROM p_tx;
SELECT step, ok, replace(detail, current_setting('regress.fixtures'), '<fixtures>') AS detail
  FROM forensic_fdw_check('priv_local');
-- USAGE on the server does not allow changing it
ALTER SERVER priv_local OPTIONS (SET location '/etc');
RESET ROLE;
-- SELECT without USAGE reads the existing table (PostgreSQL checks USAGE only when a table
-- is created), but creates no table and runs no check
GRANT SELECT ON priv_tx TO regress_priv_nobody;
SET ROLE regress_priv_nobody;
SELECT count(*) FROM priv_tx;
CREATE FOREIGN TABLE n_tx (version bigint) SERVER priv_local OPTIONS (records 'transactions');
SELECT * FROM forensic_fdw_check('priv_local');
RESET ROLE;
REVOKE SELECT ON priv_tx FROM regress_priv_nobody;

--
-- 3. Credentials are options of a user mapping only (pg_user_mappings hides them from other
--    roles); a server or a table refuses them, so their catalogs never hold one.
--
CREATE SERVER priv_bad FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', access_key_id 'AKIAEXAMPLE');
CREATE SERVER priv_bad FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', secret_access_key 'x');
CREATE SERVER priv_bad FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', session_token 'x');
CREATE SERVER priv_bad FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', anonymous 'true');
ALTER SERVER priv_local OPTIONS (ADD secret_access_key 'x');
CREATE FOREIGN TABLE priv_bad (version bigint) SERVER priv_local OPTIONS (records 'transactions', secret_access_key 'x');
ALTER FOREIGN TABLE priv_tx OPTIONS (ADD access_key_id 'x');
ALTER FOREIGN DATA WRAPPER forensic_fdw OPTIONS (ADD session_token 'x');
-- and a user mapping takes them (on any server of the wrapper)
CREATE USER MAPPING FOR regress_priv_plain SERVER priv_local OPTIONS (anonymous 'true');
DROP USER MAPPING FOR regress_priv_plain SERVER priv_local;

--
-- 4. The database server's own credentials (credentials_from 'environment' or 'instance') and
--    the address they are fetched from (imds_endpoint): superusers only, whoever owns the server.
--
SET ROLE regress_priv_plain;
CREATE SERVER p_env FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', credentials_from 'environment');
CREATE SERVER p_env FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', credentials_from 'instance');
CREATE SERVER p_env FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', imds_endpoint 'http://127.0.0.1:1');
ALTER SERVER p_s3 OPTIONS (ADD credentials_from 'environment');
ALTER SERVER p_s3 OPTIONS (ADD credentials_from 'instance');
ALTER SERVER p_s3 OPTIONS (ADD imds_endpoint 'http://127.0.0.1:1');
-- what a non-superuser may do: its own mapping's credentials, or none for a public bucket,
-- on a server of its own with any endpoint
ALTER SERVER p_s3 OPTIONS (ADD credentials_from 'user_mapping', ADD endpoint 'http://127.0.0.1:1', ADD region 'eu-west-1');
CREATE USER MAPPING FOR CURRENT_USER SERVER p_s3 OPTIONS (anonymous 'true');
ALTER USER MAPPING FOR CURRENT_USER SERVER p_s3 OPTIONS (DROP anonymous);
RESET ROLE;

-- a superuser may, and may hand such a server to another role: its owner then can change no
-- option while the server's credentials are in use, only drop them (credentials_from and
-- imds_endpoint together)
CREATE SERVER priv_env FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', credentials_from 'environment', endpoint 'http://127.0.0.1:1');
CREATE SERVER priv_imds FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://forensic/flat/', credentials_from 'instance', imds_endpoint 'http://127.0.0.1:1');
ALTER SERVER priv_env OWNER TO regress_priv_plain;
ALTER SERVER priv_imds OWNER TO regress_priv_plain;
SET ROLE regress_priv_plain;
ALTER SERVER priv_env OPTIONS (SET endpoint 'http://127.0.0.1:2');
ALTER SERVER priv_imds OPTIONS (SET imds_endpoint 'http://127.0.0.1:2');
ALTER SERVER priv_imds OPTIONS (DROP imds_endpoint);
ALTER SERVER priv_imds OPTIONS (DROP credentials_from);
ALTER SERVER priv_imds OPTIONS (DROP credentials_from, DROP imds_endpoint);
ALTER SERVER priv_env OPTIONS (DROP credentials_from);
ALTER SERVER priv_env OPTIONS (SET endpoint 'http://127.0.0.1:2');
ALTER SERVER priv_env OPTIONS (ADD credentials_from 'environment');
RESET ROLE;
SELECT srvname, srvoptions FROM pg_foreign_server WHERE srvname IN ('priv_env', 'priv_imds') ORDER BY 1;
DROP SERVER priv_env, priv_imds;

--
-- 5. The extension's functions: who may execute them, and what they let a caller reach.
--
SELECT p.oid::regprocedure AS function, p.proacl IS NULL AS default_acl,
       has_function_privilege('regress_priv_nobody', p.oid, 'EXECUTE') AS nobody_may_execute,
       p.prosecdef AS security_definer
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'forensic_fdw')
 ORDER BY p.proname;
SET ROLE regress_priv_nobody;
-- forensic_fdw_check needs USAGE on the server (checked above for priv_local)
SELECT * FROM forensic_fdw_check('no_such_server');
-- the validator checks options, it reads nothing; the same privilege rules apply
SELECT forensic_fdw_validator(ARRAY['location=/etc'], 'pg_foreign_server'::regclass);
SELECT forensic_fdw_validator(ARRAY['credentials_from=environment', 'location=s3://forensic/flat/'], 'pg_foreign_server'::regclass);
SELECT forensic_fdw_validator(ARRAY['location=s3://forensic/flat/'], 'pg_foreign_server'::regclass);
-- forensic_fdw_columns describes columns, from constants
SELECT count(*) > 0 AS describes FROM forensic_fdw_columns('transactions');
-- the handler and the event trigger function cannot be called usefully
SELECT forensic_fdw_handler();
SELECT forensic_fdw_comment_imported();
RESET ROLE;

--
-- 6. Secrets never shown: a user mapping holding secrets, scans that fail (nobody listens on
--    port 1), EXPLAIN, forensic_fdw_check, the catalog views; the server log is checked by
--    test/run-tests.sh after the suites.
--
CREATE SERVER priv_s3 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint 'http://127.0.0.1:1', connect_timeout '1', max_retries '0');
CREATE FOREIGN TABLE priv_s3_tx (version bigint, sender text) SERVER priv_s3 OPTIONS (records 'transactions');
GRANT USAGE ON FOREIGN SERVER priv_s3 TO regress_priv_plain, regress_priv_files;
GRANT SELECT ON priv_s3_tx TO regress_priv_plain;
SET ROLE regress_priv_plain;
SELECT map_with_secrets('CREATE', 'CURRENT_USER', 'priv_s3');
SELECT map_with_secrets('CREATE', 'CURRENT_USER', 'priv_local');
RESET ROLE;
DO $$ BEGIN RAISE LOG 'forensic_fdw privileges suite: failing scans with secrets follow'; END $$;
SET log_min_messages = debug5;
SET ROLE regress_priv_plain;
SELECT try('SELECT count(*) FROM priv_s3_tx');
SELECT try('SELECT * FROM priv_s3_tx WHERE version = 3');
SELECT try('EXPLAIN (VERBOSE) SELECT * FROM priv_s3_tx');
SELECT try('EXPLAIN (VERBOSE, ANALYZE) SELECT * FROM priv_s3_tx');
-- (IMPORT FOREIGN SCHEMA reads no storage: it works, needing USAGE on the server)
SELECT try('IMPORT FOREIGN SCHEMA archive FROM SERVER priv_s3 INTO regress_priv');
SELECT step, ok, regexp_replace(regexp_replace(detail, 'port \d+', 'port N'), 'after \d+ ms', 'after N ms') AS detail,
       shows_secret(detail) AS shows_secret
  FROM forensic_fdw_check('priv_s3');
-- the same through a view owned by another role: its owner's mapping is used (the caller,
-- regress_priv_files, has none on priv_s3: with its own it would fail with 28000)
RESET ROLE;
CREATE VIEW priv_s3_view AS SELECT * FROM priv_s3_tx;
ALTER VIEW priv_s3_view OWNER TO regress_priv_plain;
GRANT SELECT ON priv_s3_view TO regress_priv_files;
SET ROLE regress_priv_files;
SELECT try('SELECT count(*) FROM priv_s3_view');
RESET ROLE;
-- a table on a server whose scan works: EXPLAIN (VERBOSE, ANALYZE) shows the location, no secret
SET ROLE regress_priv_plain;
SELECT line, shows_secret(line) AS shows_secret FROM explain_lines('SELECT * FROM priv_tx WHERE version < 10') AS line;
-- one failing scan not caught, so that its message, detail, hint and context reach the server
-- log (here only its SQLSTATE is shown: the message holds a time)
\set VERBOSITY sqlstate
SELECT count(*) FROM priv_s3_tx;
\set VERBOSITY default
RESET ROLE;
RESET log_min_messages;

-- another role sees that the mapping exists, not its options; its user sees them
SET ROLE regress_priv_files;
SELECT srvname, usename, umoptions FROM pg_user_mappings WHERE usename = 'regress_priv_plain' ORDER BY 1;
SELECT count(*) FROM pg_user_mapping;
RESET ROLE;
SET ROLE regress_priv_plain;
SELECT srvname, usename, umoptions IS NOT NULL AS sees_options,
       shows_secret(array_to_string(umoptions, ',')) AS sees_secret
  FROM pg_user_mappings WHERE usename = 'regress_priv_plain' AND srvname LIKE 'priv%' ORDER BY 1;
RESET ROLE;
-- the owner of a server (not a superuser) does not see other roles' mappings' options either,
-- only those of a PUBLIC mapping (which it sets up itself)
SET ROLE regress_priv_plain;
GRANT USAGE ON FOREIGN SERVER p_s3 TO regress_priv_files;
CREATE USER MAPPING FOR PUBLIC SERVER p_s3 OPTIONS (anonymous 'true');
RESET ROLE;
SET ROLE regress_priv_files;
SELECT map_with_secrets('CREATE', 'CURRENT_USER', 'p_s3');
RESET ROLE;
SET ROLE regress_priv_plain;
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'p_s3' ORDER BY 1;
RESET ROLE;
-- no server or table option anywhere holds a credential
SELECT count(*) AS credential_options
  FROM (SELECT unnest(srvoptions) o FROM pg_foreign_server
        UNION ALL SELECT unnest(ftoptions) FROM pg_foreign_table
        UNION ALL SELECT unnest(fdwoptions) FROM pg_foreign_data_wrapper) x
 WHERE o ~ '^(access_key_id|secret_access_key|session_token|anonymous)=' OR shows_secret(o);

-- a PUBLIC mapping's key id is not shown, even masked, by forensic_fdw_check to a role that
-- cannot read that mapping; its owner (here a superuser) sees it masked
CREATE SERVER priv_pub FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint 'http://127.0.0.1:1', connect_timeout '1', max_retries '0');
SELECT map_with_secrets('CREATE', 'PUBLIC', 'priv_pub');
GRANT USAGE ON FOREIGN SERVER priv_pub TO regress_priv_plain;
SELECT step, ok, detail FROM forensic_fdw_check('priv_pub') WHERE step = 'credentials';
SET ROLE regress_priv_plain;
SELECT step, ok, detail FROM forensic_fdw_check('priv_pub') WHERE step = 'credentials';
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'priv_pub';
RESET ROLE;

-- clean up
DROP SERVER priv_pub, priv_s3, priv_local, f_local, p_s3 CASCADE;
DROP SCHEMA regress_priv CASCADE;
REVOKE USAGE ON FOREIGN DATA WRAPPER forensic_fdw FROM regress_priv_plain, regress_priv_files;
DROP ROLE regress_priv_plain, regress_priv_files, regress_priv_nobody;
