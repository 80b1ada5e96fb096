--
-- options: the validator, hints, privileges, and column mapping errors
--
\getenv fixtures FF_FIXTURES
\set flat :fixtures '/flat'
CREATE EXTENSION forensic_fdw;

-- a server needs a location, an absolute local path (S3 comes later)
CREATE SERVER s_none FOREIGN DATA WRAPPER forensic_fdw;
CREATE SERVER s_rel FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 'relative/path');
CREATE SERVER s_s3 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location 's3://bucket/prefix/');
DROP SERVER s_s3;
CREATE SERVER s_typo FOREIGN DATA WRAPPER forensic_fdw OPTIONS (locaton '/tmp');
CREATE SERVER s_dup FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/a', location '/b');
CREATE SERVER s_size FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/tmp', max_record_size 'lots');
CREATE SERVER opt_srv FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
ALTER SERVER opt_srv OPTIONS (DROP location);

-- a table needs its record kind
CREATE FOREIGN TABLE t_none (version bigint) SERVER opt_srv;
CREATE FOREIGN TABLE t_kind (version bigint) SERVER opt_srv OPTIONS (records 'blocks');
CREATE FOREIGN TABLE t_typo (version bigint) SERVER opt_srv OPTIONS (record 'transactions');
CREATE FOREIGN TABLE t_loc (version bigint) SERVER opt_srv OPTIONS (records 'transactions', location '/tmp');

-- columns are matched by name and type at first use
CREATE FOREIGN TABLE t_badcol (version bigint, colour text) SERVER opt_srv OPTIONS (records 'transactions');
SELECT * FROM t_badcol;
CREATE FOREIGN TABLE t_badtype (version integer) SERVER opt_srv OPTIONS (records 'transactions');
SELECT * FROM t_badtype;
CREATE FOREIGN TABLE t_badbytea (kind bytea) SERVER opt_srv OPTIONS (records 'transactions');
SELECT * FROM t_badbytea;
CREATE FOREIGN TABLE t_ok (kind text, sender bytea, version bigint) SERVER opt_srv OPTIONS (records 'transactions');
SELECT count(*) > 0 AS has_rows FROM t_ok;

-- user mappings hold S3 credentials (suite s3_errors tests them)
CREATE USER MAPPING FOR CURRENT_USER SERVER opt_srv OPTIONS (access_key_id 'x');

-- a location that is not there
CREATE SERVER s_missing FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/nonexistent/forensic_fdw');
CREATE FOREIGN TABLE t_missing (version bigint) SERVER s_missing OPTIONS (records 'transactions');
SELECT * FROM t_missing;

-- only superusers and pg_read_server_files members may point a server at local files
CREATE ROLE regress_ff_user;
CREATE ROLE regress_ff_reader IN ROLE pg_read_server_files;
GRANT USAGE ON FOREIGN DATA WRAPPER forensic_fdw TO regress_ff_user, regress_ff_reader;
SET ROLE regress_ff_user;
CREATE SERVER s_user FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/etc');
RESET ROLE;
SET ROLE regress_ff_reader;
CREATE SERVER s_reader FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location '/tmp');
DROP SERVER s_reader;
RESET ROLE;
-- nor change the location of a server they own
ALTER SERVER s_missing OWNER TO regress_ff_user;
SET ROLE regress_ff_user;
ALTER SERVER s_missing OPTIONS (SET location '/etc');
RESET ROLE;

DROP SERVER s_missing CASCADE;
DROP SERVER opt_srv CASCADE;
REVOKE USAGE ON FOREIGN DATA WRAPPER forensic_fdw FROM regress_ff_user, regress_ff_reader;
DROP ROLE regress_ff_user;
DROP ROLE regress_ff_reader;
