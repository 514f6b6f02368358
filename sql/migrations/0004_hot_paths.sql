-- 0004_hot_paths: let bahi_ts inline (to_char is only STABLE, so an IMMUTABLE wrapper was
-- planned anew at every call) and index the live refresh tokens the device cap revokes.
ALTER FUNCTION bahi_ts(timestamptz) STABLE;
CREATE INDEX refresh_tokens_live_device_idx ON refresh_tokens (business_id, device_id)
	WHERE revoked_at IS NULL;
