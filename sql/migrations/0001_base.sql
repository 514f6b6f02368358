-- 0001_base: tenant scoping, businesses, users, devices, counters, change log, idempotency keys.
--
-- Runs as bahi_owner inside one transaction (bahi-migrate). The rule every tenant table
-- follows (see sql/README.md):
--   * business_id uuid NOT NULL, first column of the primary key, FK to businesses
--     ON DELETE CASCADE (directly or through a parent that has one);
--   * ENABLE and FORCE ROW LEVEL SECURITY (FORCE: the owner is filtered too);
--   * policy <table>_tenant FOR ALL USING and WITH CHECK
--     (business_id = bahi_current_business()).
-- Workers set the tenant per transaction: set_config('app.business_id', $1, true).

-- Privileges on everything bahi_owner creates from here on: the app role gets DML and
-- EXECUTE, PUBLIC gets nothing. Tables holding immutable data revoke UPDATE and DELETE.
ALTER DEFAULT PRIVILEGES FOR ROLE bahi_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE bahi_owner
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bahi_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bahi_owner GRANT USAGE, SELECT ON SEQUENCES TO bahi_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bahi_owner GRANT EXECUTE ON FUNCTIONS TO bahi_app;
GRANT USAGE ON SCHEMA public TO bahi_app;

-- The business the current transaction acts for, or NULL when none is set.
-- STABLE and plain SQL so the planner inlines it and index scans on business_id work.
CREATE FUNCTION bahi_current_business() RETURNS uuid
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$ SELECT NULLIF(current_setting('app.business_id', true), '')::uuid $$;

-- Trigger refusing UPDATE and DELETE of immutable records (SQLSTATE BH001). A DELETE
-- passes only while the whole business is being deleted: the transaction has set
-- app.deleting_business to the row's business id (the column named by the trigger's
-- first argument, default business_id). That is how ON DELETE CASCADE from businesses
-- gets through.
CREATE FUNCTION bahi_refuse_mutation() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog
	AS $$
DECLARE
	col text := COALESCE(TG_ARGV[0], 'business_id');
BEGIN
	IF TG_OP = 'DELETE' AND (to_jsonb(OLD) ->> col)::uuid =
	    NULLIF(current_setting('app.deleting_business', true), '')::uuid THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION '% of % refused: the record is immutable', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'BH001';
END
$$;

-- Businesses (tenants). Deleting one requires app.deleting_business = its id and removes
-- everything of it (cascades; idempotency keys by trigger).
CREATE TABLE businesses (
	id			uuid PRIMARY KEY,
	name			text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	type			text CHECK (char_length(type) BETWEEN 1 AND 100),
	country			char(2) NOT NULL DEFAULT 'PK' CHECK (country ~ '^[A-Z]{2}$'),
	currency		char(3) NOT NULL DEFAULT 'PKR' CHECK (currency ~ '^[A-Z]{3}$'),
	timezone		text NOT NULL DEFAULT 'Asia/Karachi'
				CHECK (char_length(timezone) BETWEEN 1 AND 64),
	tax_rate_bp		int NOT NULL DEFAULT 1900 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
	credit_term_days	int NOT NULL DEFAULT 15 CHECK (credit_term_days BETWEEN 0 AND 365),
	device_cap		int NOT NULL DEFAULT 3 CHECK (device_cap BETWEEN 1 AND 50),
	language		text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ur')),
	version			int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	deleted_at		timestamptz
);
ALTER TABLE businesses ENABLE ROW LEVEL SECURITY;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;
CREATE POLICY businesses_tenant ON businesses
	USING (id = bahi_current_business())
	WITH CHECK (id = bahi_current_business());
CREATE TRIGGER businesses_delete_guard BEFORE DELETE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation('id');

-- Users. Login is by phone alone, so phone is unique across the installation.
CREATE TABLE users (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	role		text NOT NULL CHECK (role IN ('owner', 'admin', 'clerk')),
	password_hash	text NOT NULL CHECK (char_length(password_hash) BETWEEN 1 AND 512),
	token_version	int NOT NULL DEFAULT 1 CHECK (token_version >= 1),
	language	text CHECK (language IN ('en', 'ur')),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id)
);
CREATE UNIQUE INDEX users_phone_key ON users (phone);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON users
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
-- Login lookup: before the business is known, the auth code sets app.login_phone
-- (transaction-local: set_config('app.login_phone', $1, true)) and may then SELECT the
-- user rows with that exact phone, whatever their business. SELECT only: UPDATE and
-- DELETE still need the tenant policy. (A SECURITY DEFINER function would not help:
-- FORCE ROW LEVEL SECURITY filters the owner too.) Policies are permissive, so a row
-- is visible when either policy passes.
CREATE POLICY users_login_lookup ON users FOR SELECT
	USING (phone = NULLIF(current_setting('app.login_phone', true), ''));

-- Devices signed in to a business (device cap, revocation, least recently used).
CREATE TABLE devices (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	user_id		uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	platform	text NOT NULL CHECK (platform IN ('android', 'ios', 'web', 'other')),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id) ON DELETE CASCADE
);
CREATE INDEX devices_user_idx ON devices (business_id, user_id);
ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE devices FORCE ROW LEVEL SECURITY;
CREATE POLICY devices_tenant ON devices
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Per-business counters ('change_seq', invoice numbers...). Taken with
-- UPDATE ... SET value = value + 1 ... RETURNING value (or INSERT ... ON CONFLICT DO
-- UPDATE): the row lock serialises writers of a business until commit, so numbers are
-- gapless and committed in order. The app may not delete a counter.
CREATE TABLE business_counters (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	value		bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
	PRIMARY KEY (business_id, name)
);
ALTER TABLE business_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE business_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY business_counters_tenant ON business_counters
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
REVOKE DELETE ON business_counters FROM bahi_app;

-- The change log sync pulls from, numbered by the business's 'change_seq' counter.
-- Append-only: UPDATE is always refused, DELETE only while the business is deleted.
CREATE TABLE change_log (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	seq		bigint NOT NULL CHECK (seq >= 1),
	entity		text NOT NULL CHECK (char_length(entity) BETWEEN 1 AND 64),
	entity_id	uuid NOT NULL,
	op		text NOT NULL CHECK (op IN ('upsert', 'delete')),
	version		int NOT NULL CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, seq)
);
ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_log FORCE ROW LEVEL SECURITY;
CREATE POLICY change_log_tenant ON change_log
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE TRIGGER change_log_immutable BEFORE UPDATE OR DELETE ON change_log
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation();
REVOKE UPDATE, DELETE ON change_log FROM bahi_app;

-- Stored responses for Idempotency-Key. Scope: the business, or the nil UUID for
-- unauthenticated requests (sign-up, login, OTP), hence no FK to businesses.
-- status is NULL while the first request is still in flight.
CREATE TABLE idempotency_keys (
	business_id	uuid NOT NULL,
	key		text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 100),
	method		text NOT NULL CHECK (char_length(method) BETWEEN 1 AND 16),
	path		text NOT NULL CHECK (char_length(path) BETWEEN 1 AND 2048),
	request_hash	text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
	status		int CHECK (status BETWEEN 100 AND 599),
	content_type	text CHECK (char_length(content_type) <= 255),
	body		bytea,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL DEFAULT now() + interval '24 hours',
	PRIMARY KEY (business_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (business_id, expires_at);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_scope ON idempotency_keys
	USING (business_id = COALESCE(bahi_current_business(),
	    '00000000-0000-0000-0000-000000000000'::uuid))
	WITH CHECK (business_id = COALESCE(bahi_current_business(),
	    '00000000-0000-0000-0000-000000000000'::uuid));

-- A deleted business takes its idempotency keys (stored responses) with it. Runs in the
-- deleting transaction, whose tenant is that business, so RLS lets it see them.
CREATE FUNCTION bahi_purge_business_keys() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog
	AS $$
BEGIN
	DELETE FROM public.idempotency_keys WHERE business_id = OLD.id;
	RETURN OLD;
END
$$;
CREATE TRIGGER businesses_purge_keys AFTER DELETE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_purge_business_keys();
