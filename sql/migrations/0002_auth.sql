-- 0002_auth: OTP codes, the SMS outbox, refresh tokens, pairing tokens, app keys and the activity log.

-- Global (not tenant) tables: a code is sent before any business exists, and
-- the outbox is the SMS provider's queue. Neither holds business data.
CREATE TABLE otp_codes (
	id		uuid PRIMARY KEY,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
	purpose		text NOT NULL CHECK (purpose IN ('signup', 'reset')),
	code_hash	text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
	attempts	int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX otp_codes_phone_idx ON otp_codes (phone, created_at DESC);
COMMENT ON TABLE otp_codes IS 'global: one-time codes are sent before a business exists';

CREATE TABLE sms_outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
	body		text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1000),
	provider	text NOT NULL,
	status		text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_phone_idx ON sms_outbox (phone, created_at DESC);
COMMENT ON TABLE sms_outbox IS 'global: the SMS provider queue (development default)';

-- Refresh tokens: 256-bit random strings, stored as SHA-256 hashes, one row per
-- issued token. A family is every token rotated from one sign-in; presenting a
-- rotated token after the grace period revokes the whole family.
CREATE TABLE refresh_tokens (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	family_id	uuid NOT NULL,
	user_id		uuid NOT NULL,
	device_id	uuid NOT NULL,
	token_hash	text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	rotated_at	timestamptz,
	revoked_at	timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, device_id) REFERENCES devices (business_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (business_id, family_id);
CREATE INDEX refresh_tokens_device_idx ON refresh_tokens (business_id, device_id);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_tenant ON refresh_tokens
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
-- A presented token is found by its hash before the business is known.
CREATE POLICY refresh_tokens_lookup ON refresh_tokens FOR SELECT
	USING (token_hash = NULLIF(current_setting('app.token_hash', true), ''));

-- Single-use pairing tokens (QR code), valid five minutes.
CREATE TABLE pairing_tokens (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	user_id		uuid NOT NULL,
	token_hash	text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX pairing_tokens_hash_key ON pairing_tokens (token_hash);
ALTER TABLE pairing_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE pairing_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY pairing_tokens_tenant ON pairing_tokens
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE POLICY pairing_tokens_lookup ON pairing_tokens FOR SELECT
	USING (token_hash = NULLIF(current_setting('app.token_hash', true), ''));

-- Server-to-server keys (X-App-Key), shown once, stored hashed.
CREATE TABLE app_keys (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	key_hash	text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
	created_by	uuid NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	PRIMARY KEY (business_id, id)
);
CREATE UNIQUE INDEX app_keys_hash_key ON app_keys (key_hash);
ALTER TABLE app_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY app_keys_tenant ON app_keys
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE POLICY app_keys_lookup ON app_keys FOR SELECT
	USING (key_hash = NULLIF(current_setting('app.token_hash', true), ''));

-- Who did what, when, from where. Append-only.
CREATE TABLE activity_log (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	user_id		uuid,
	device_id	uuid,
	action		text NOT NULL CHECK (char_length(action) BETWEEN 1 AND 64),
	target		text CHECK (char_length(target) <= 200),
	ip		text CHECK (char_length(ip) <= 64),
	detail		text CHECK (char_length(detail) <= 1000),
	PRIMARY KEY (business_id, id)
);
CREATE INDEX activity_log_at_idx ON activity_log (business_id, at DESC, id DESC);
ALTER TABLE activity_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_log FORCE ROW LEVEL SECURITY;
CREATE POLICY activity_log_tenant ON activity_log
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE TRIGGER activity_log_immutable BEFORE UPDATE OR DELETE ON activity_log
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation();
REVOKE UPDATE, DELETE ON activity_log FROM bahi_app;

-- Devices are looked up by the session check on every request.
CREATE INDEX devices_lru_idx ON devices (business_id, last_seen_at) WHERE revoked_at IS NULL;

-- RFC 3339 UTC text for API timestamps ("2026-11-21T08:30:00Z").
CREATE FUNCTION bahi_ts(t timestamptz) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
