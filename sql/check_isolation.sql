-- check_isolation.sql: proves tenant isolation on a migrated database; run as bahi_app, changes nothing.
--
--   psql "host=... dbname=bahi user=bahi_app" -X -v ON_ERROR_STOP=1 -f sql/check_isolation.sql
--
-- Part 1 checks the shape of every table in schema public: row-level security enabled
-- and forced, a primary key led by business_id (businesses: id), a policy using
-- bahi_current_business(). A table that is deliberately not per tenant says so with a
-- comment starting 'global:' (COMMENT ON TABLE t IS 'global: why'). Part 2 creates two
-- businesses A and B with a row in every base table and checks that A cannot read,
-- change, delete or create B's rows, that no tenant means no rows, the login lookup,
-- the append-only change log and the business deletion rule. Everything is rolled back.
-- Any failed check raises an error (psql exits 3).

\set ON_ERROR_STOP on
BEGIN;

DO $$
DECLARE
	r record;
	lead text;
BEGIN
	IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) THEN
		RAISE EXCEPTION 'run this as bahi_app: % bypasses row-level security', current_user;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace
	    AND pg_has_role(current_user, relowner, 'USAGE')) THEN
		RAISE EXCEPTION 'run this as bahi_app: % owns tables', current_user;
	END IF;
	FOR r IN
		SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity
		FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		    AND c.relname <> 'schema_migrations'
		    AND COALESCE(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'global:%'
	LOOP
		IF NOT (r.relrowsecurity AND r.relforcerowsecurity) THEN
			RAISE EXCEPTION '%: row-level security must be enabled and forced', r.relname;
		END IF;
		SELECT a.attname INTO lead
		FROM pg_index i JOIN pg_attribute a
		    ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		WHERE i.indrelid = r.oid AND i.indisprimary;
		IF lead IS DISTINCT FROM (CASE r.relname WHEN 'businesses' THEN 'id'
		    ELSE 'business_id' END) THEN
			RAISE EXCEPTION '%: primary key must lead with business_id (leads with %)',
			    r.relname, lead;
		END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = r.oid
		    AND p.polcmd = '*' AND p.polpermissive
		    AND pg_get_expr(p.polqual, p.polrelid) LIKE '%bahi_current_business()%'
		    AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%bahi_current_business()%') THEN
			RAISE EXCEPTION '%: needs a FOR ALL policy using bahi_current_business() '
			    'in USING and WITH CHECK', r.relname;
		END IF;
	END LOOP;
	RAISE NOTICE 'every tenant table has forced RLS, a business_id key and a tenant policy';
END
$$;

-- Two businesses, A and B, with one row in every base table (and a nil-scope key).
DO $$
DECLARE
	biz uuid;
	usr uuid;
	phone text;
BEGIN
	FOR i IN 1 .. 2 LOOP
		biz := gen_random_uuid();
		usr := gen_random_uuid();
		phone := '+999' || lpad((random() * 1e9)::bigint::text, 9, '0');
		PERFORM set_config('check.business_' || i, biz::text, true);
		PERFORM set_config('check.phone_' || i, phone, true);
		PERFORM set_config('app.business_id', biz::text, true);
		INSERT INTO businesses (id, name) VALUES (biz, 'check ' || i);
		INSERT INTO users (business_id, id, phone, name, role, password_hash)
		    VALUES (biz, usr, phone, 'owner ' || i, 'owner', 'x');
		INSERT INTO devices (business_id, id, user_id, name, platform)
		    VALUES (biz, gen_random_uuid(), usr, 'phone', 'android');
		INSERT INTO business_counters (business_id, name, value)
		    VALUES (biz, 'change_seq', 1);
		INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)
		    VALUES (biz, 1, 'business', biz, 'upsert', 1);
		INSERT INTO idempotency_keys (business_id, key, method, path, request_hash)
		    VALUES (biz, 'check', 'POST', '/api/v1/check', repeat('a', 64));
	END LOOP;
	PERFORM set_config('app.business_id', '', true);
	INSERT INTO idempotency_keys (business_id, key, method, path, request_hash)
	    VALUES ('00000000-0000-0000-0000-000000000000', 'check-' || gen_random_uuid(),
	    'POST', '/api/v1/check', repeat('b', 64));
END
$$;

-- A cannot read, change, delete or create B's rows.
DO $$
DECLARE
	a uuid := current_setting('check.business_1')::uuid;
	b uuid := current_setting('check.business_2')::uuid;
	tabs text[] := ARRAY['businesses', 'users', 'devices', 'business_counters',
	    'change_log', 'idempotency_keys'];
	t text;
	col text;
	stmt text;
	n bigint;
BEGIN
	PERFORM set_config('app.business_id', a::text, true);
	FOREACH t IN ARRAY tabs LOOP
		col := CASE t WHEN 'businesses' THEN 'id' ELSE 'business_id' END;
		EXECUTE format('SELECT count(*) FROM %I WHERE %I = $1', t, col) USING b INTO n;
		ASSERT n = 0, format('%s: A sees %s rows of B', t, n);
		EXECUTE format('SELECT count(*) FROM %I WHERE %I <> $1', t, col) USING a INTO n;
		ASSERT n = 0, format('%s: A sees %s rows of other businesses', t, n);
		BEGIN
			EXECUTE format('UPDATE %I SET %I = %I WHERE %I = $1', t, col, col, col)
			    USING b;
			GET DIAGNOSTICS n = ROW_COUNT;
			ASSERT n = 0, format('%s: A updated %s rows of B', t, n);
		EXCEPTION WHEN insufficient_privilege THEN NULL;
		END;
		BEGIN
			EXECUTE format('DELETE FROM %I WHERE %I = $1', t, col) USING b;
			GET DIAGNOSTICS n = ROW_COUNT;
			ASSERT n = 0, format('%s: A deleted %s rows of B', t, n);
		EXCEPTION WHEN insufficient_privilege THEN NULL;
		END;
		BEGIN
			EXECUTE format('UPDATE %I SET %I = $1', t, col) USING b;
			RAISE EXCEPTION '%: A moved its rows to B', t;
		EXCEPTION WHEN insufficient_privilege THEN NULL;
		END;
	END LOOP;
	FOREACH stmt IN ARRAY ARRAY[
	    format($q$INSERT INTO businesses (id, name) VALUES (%L, 'x')$q$, gen_random_uuid()),
	    format($q$INSERT INTO users (business_id, id, phone, name, role, password_hash)
		VALUES (%L, gen_random_uuid(), '+999000000001', 'x', 'clerk', 'x')$q$, b),
	    format($q$INSERT INTO devices (business_id, id, user_id, name, platform)
		VALUES (%L, gen_random_uuid(), gen_random_uuid(), 'x', 'web')$q$, b),
	    format($q$INSERT INTO business_counters (business_id, name) VALUES (%L, 'x')$q$, b),
	    format($q$INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)
		VALUES (%L, 2, 'x', gen_random_uuid(), 'upsert', 1)$q$, b),
	    format($q$INSERT INTO idempotency_keys (business_id, key, method, path,
		request_hash) VALUES (%L, 'x', 'POST', '/', repeat('c', 64))$q$, b),
	    $q$INSERT INTO idempotency_keys (business_id, key, method, path, request_hash)
		VALUES ('00000000-0000-0000-0000-000000000000', 'x', 'POST', '/',
		repeat('c', 64))$q$] LOOP
		BEGIN
			EXECUTE stmt;
			RAISE EXCEPTION 'A was allowed: %', stmt;
		EXCEPTION WHEN insufficient_privilege THEN NULL;
		END;
	END LOOP;

	-- No tenant: no rows, except the nil idempotency scope. A malformed one: error.
	PERFORM set_config('app.business_id', '', true);
	FOREACH t IN ARRAY tabs LOOP
		col := CASE t WHEN 'businesses' THEN 'id' ELSE 'business_id' END;
		EXECUTE format('SELECT count(*) FROM %I WHERE %I IN ($1, $2)', t, col)
		    USING a, b INTO n;
		ASSERT n = 0, format('%s: without a tenant %s rows are visible', t, n);
	END LOOP;
	PERFORM set_config('app.business_id', 'not-a-uuid', true);
	BEGIN
		SELECT count(*) INTO n FROM users;
		RAISE EXCEPTION 'a malformed app.business_id was accepted';
	EXCEPTION WHEN invalid_text_representation THEN NULL;
	END;
	RAISE NOTICE 'A cannot read, change, delete or create rows of B; no tenant sees nothing';
END
$$;

-- Login lookup, counters, change log, business deletion.
DO $$
DECLARE
	a uuid := current_setting('check.business_1')::uuid;
	b uuid := current_setting('check.business_2')::uuid;
	phone_b text := current_setting('check.phone_2');
	n bigint;
BEGIN
	PERFORM set_config('app.business_id', '', true);
	PERFORM set_config('app.login_phone', phone_b, true);
	SELECT count(*) INTO n FROM users;
	ASSERT n = 1, format('the login lookup sees %s users', n);
	UPDATE users SET token_version = token_version + 1 WHERE phone = phone_b;
	GET DIAGNOSTICS n = ROW_COUNT;
	ASSERT n = 0, 'the login lookup allowed an UPDATE';
	DELETE FROM users WHERE phone = phone_b;
	GET DIAGNOSTICS n = ROW_COUNT;
	ASSERT n = 0, 'the login lookup allowed a DELETE';
	SELECT count(*) INTO n FROM devices;
	ASSERT n = 0, 'the login lookup opened devices';
	PERFORM set_config('app.login_phone', '', true);

	PERFORM set_config('app.business_id', a::text, true);
	UPDATE business_counters SET value = value + 1 WHERE name = 'change_seq'
	    RETURNING value INTO n;
	ASSERT n = 2, format('counter went to %s', n);
	BEGIN
		DELETE FROM business_counters;
		RAISE EXCEPTION 'the app deleted a counter';
	EXCEPTION WHEN insufficient_privilege THEN NULL;
	END;
	BEGIN
		UPDATE change_log SET version = version;
		RAISE EXCEPTION 'the app updated the change log';
	EXCEPTION WHEN insufficient_privilege THEN NULL;
	END;
	BEGIN
		DELETE FROM change_log;
		RAISE EXCEPTION 'the app deleted from the change log';
	EXCEPTION WHEN insufficient_privilege THEN NULL;
	END;

	BEGIN
		DELETE FROM businesses WHERE id = a;
		RAISE EXCEPTION 'a business was deleted without app.deleting_business';
	EXCEPTION WHEN SQLSTATE 'BH001' THEN NULL;
	END;
	PERFORM set_config('app.deleting_business', b::text, true);
	BEGIN
		DELETE FROM businesses WHERE id = a;
		RAISE EXCEPTION 'a business was deleted with another one''s flag';
	EXCEPTION WHEN SQLSTATE 'BH001' THEN NULL;
	END;
	PERFORM set_config('app.deleting_business', a::text, true);
	DELETE FROM businesses WHERE id = a;
	GET DIAGNOSTICS n = ROW_COUNT;
	ASSERT n = 1, 'business A was not deleted';
	SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM devices) +
	    (SELECT count(*) FROM business_counters) + (SELECT count(*) FROM change_log) +
	    (SELECT count(*) FROM idempotency_keys) INTO n;
	ASSERT n = 0, format('%s rows of deleted business A remain', n);
	PERFORM set_config('app.deleting_business', '', true);
	PERFORM set_config('app.business_id', b::text, true);
	SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM devices) +
	    (SELECT count(*) FROM business_counters) + (SELECT count(*) FROM change_log) +
	    (SELECT count(*) FROM idempotency_keys) INTO n;
	ASSERT n = 5, format('business B has %s rows after A was deleted, expected 5', n);
	RAISE NOTICE 'login lookup, counters, change log and business deletion behave';
END
$$;

ROLLBACK;
\echo 'check_isolation.sql: all checks passed'
