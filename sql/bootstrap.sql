-- bahi bootstrap: roles, database and superuser-only extensions. Run once (or again: it is idempotent) as a superuser:
--
--   psql -v owner_password=... -v app_password=... -v dbname=bahi -f sql/bootstrap.sql
--
-- Optional: -v locale=C.UTF-8 (the new database's LC_COLLATE/LC_CTYPE; used only when
-- the database is created). Afterwards run the migrations as bahi_owner with bahi-migrate.
--
-- Roles:
--   bahi_owner  LOGIN, owns the database, the public schema and every table; runs the
--               migrations. Not superuser, NOCREATEROLE, NOBYPASSRLS (so FORCE ROW LEVEL
--               SECURITY applies to it too).
--   bahi_app    LOGIN, what the FastCGI workers connect as. Owns nothing, NOSUPERUSER,
--               NOBYPASSRLS, NOCREATEDB, NOCREATEROLE; gets CONNECT here and table
--               privileges from the migrations.

\set ON_ERROR_STOP on
\set QUIET on

\if :{?owner_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'bootstrap.sql: pass -v owner_password=... (password of role bahi_owner)'; END $$;
\endif
\if :{?app_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'bootstrap.sql: pass -v app_password=... (password of role bahi_app)'; END $$;
\endif
\if :{?dbname}
\else
\set dbname bahi
\endif
\if :{?locale}
\else
\set locale C.UTF-8
\endif

DO $$
BEGIN
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		RAISE EXCEPTION 'bootstrap.sql must be run by a superuser (not %)', current_user;
	END IF;
END
$$;

-- The roles: created when missing, attributes (re)asserted every run.
SELECT 'CREATE ROLE bahi_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bahi_owner') \gexec
SELECT 'CREATE ROLE bahi_app'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bahi_app') \gexec

ALTER ROLE bahi_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
	NOBYPASSRLS INHERIT;
ALTER ROLE bahi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
	NOBYPASSRLS INHERIT;

-- Membership would let the app act as the owner (and so ALTER or DROP tables).
DO $$
BEGIN
	IF pg_has_role('bahi_app', 'bahi_owner', 'MEMBER') THEN
		RAISE EXCEPTION 'bahi_app is a member of bahi_owner; revoke that membership first';
	END IF;
END
$$;

-- Passwords, hashed with SCRAM. Keep the plaintext out of the server log.
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET password_encryption = 'scram-sha-256';
ALTER ROLE bahi_owner PASSWORD :'owner_password';
ALTER ROLE bahi_app PASSWORD :'app_password';
RESET log_min_duration_statement;
RESET log_statement;

-- The database, owned by bahi_owner, UTF-8.
SELECT format('CREATE DATABASE %I OWNER bahi_owner ENCODING %L LOCALE %L TEMPLATE template0',
	:'dbname', 'UTF8', :'locale')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \gexec
SELECT format('ALTER DATABASE %I OWNER TO bahi_owner', :'dbname') \gexec

-- Nobody but our two roles may connect; nobody may create temporary tables but the owner.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'dbname') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO bahi_app', :'dbname') \gexec

\connect :"dbname"
\set ON_ERROR_STOP on

-- The public schema belongs to bahi_owner; PUBLIC may neither create in it nor use it.
-- (bahi_app gets USAGE from migration 0001.)
ALTER SCHEMA public OWNER TO bahi_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- Extensions the schema needs that only a superuser may create.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
-- Row-level security lets a query use an index only through LEAKPROOF operators
-- (other conditions must wait until the policy has filtered the rows), so the
-- trigram operators product search uses are declared leakproof, which they are:
-- they return a boolean computed from their arguments and raise no errors that
-- depend on them. Only a superuser may say so.
ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.word_similarity_commutator_op(text, text) LEAKPROOF;

\echo 'bootstrap.sql: roles bahi_owner and bahi_app and database' :"dbname" 'are ready'
