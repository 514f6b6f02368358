-- 0014_device_sessions: the per-request session check reads one row, the device's.
--
-- Every authenticated request checks its session (common/bahi_session.c): the device
-- is not revoked, its user still has the token version the access token was issued
-- with, and the user's role holds the route's permission. That took a join of
-- devices, users and businesses on every request. Each device now carries what the
-- check needs from its user (user_role, token_version), copied by triggers in the
-- transaction that changes the user, so the check is one index lookup.
--
-- profile_stamp changes whenever the device's user or business changes (any UPDATE
-- of either row): GET /me keeps the user and business it last answered with per
-- worker process, and reads them again only when the stamp it gets with the check
-- differs (common/bahi_account_me.c).
--
-- Lock order: a trigger here locks the user or business row, then its device rows
-- in id order. A write request marks its device seen last, just before COMMIT
-- (bahi_db_at_commit), and skips the row when another transaction holds it: the
-- mark never waits, so it closes no cycle with a trigger's locks.

ALTER TABLE devices
	ADD COLUMN user_role text CHECK (user_role IN ('owner', 'admin', 'clerk')),
	ADD COLUMN token_version int,
	ADD COLUMN profile_stamp bigint NOT NULL DEFAULT 1;

-- The copy, for the devices there are (across businesses: see sql/README.md). A
-- deleted user's devices are signed out, as the trigger below does from now on.
ALTER TABLE devices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE businesses NO FORCE ROW LEVEL SECURITY;
UPDATE devices d SET user_role = u.role, token_version = u.token_version,
	revoked_at = CASE WHEN u.deleted_at IS NULL AND b.deleted_at IS NULL THEN d.revoked_at
	             ELSE COALESCE(d.revoked_at, now()) END
	FROM users u, businesses b
	WHERE u.business_id = d.business_id AND u.id = d.user_id AND b.id = d.business_id;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE devices FORCE ROW LEVEL SECURITY;

ALTER TABLE devices
	ALTER COLUMN user_role SET NOT NULL,
	ALTER COLUMN token_version SET NOT NULL;

-- A new device takes its user's role and token version, whatever the INSERT says,
-- and a deleted (or missing) user's device is born signed out. FOR SHARE: a change
-- of the user in progress is waited for and then seen, and one that starts later
-- waits for this device to be committed, so its trigger reaches it.
CREATE FUNCTION bahi_device_copy_user() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
DECLARE
	gone boolean := true;
BEGIN
	SELECT role, token_version, deleted_at IS NOT NULL
		INTO NEW.user_role, NEW.token_version, gone
		FROM users WHERE business_id = NEW.business_id AND id = NEW.user_id FOR SHARE;
	IF gone IS NOT FALSE THEN
		NEW.revoked_at := COALESCE(NEW.revoked_at, now());
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER devices_copy_user BEFORE INSERT OR UPDATE OF user_id ON devices
	FOR EACH ROW EXECUTE FUNCTION bahi_device_copy_user();

-- Refuses to copy into devices it cannot see: the copy runs as the caller, filtered
-- by devices_tenant, so a caller scoped to another business (or none) would leave
-- the devices of this one stale. The app can only update a user or business of its
-- own tenant; this keeps a future migration or tool from getting it wrong.
CREATE FUNCTION bahi_device_copy_check(business uuid) RETURNS void
	LANGUAGE plpgsql
	AS $$
BEGIN
	IF row_security_active('devices') AND bahi_current_business() IS DISTINCT FROM business THEN
		RAISE EXCEPTION 'devices of business % changed outside its tenant', business
			USING ERRCODE = 'BH002';
	END IF;
END
$$;

-- A user's change reaches their devices: role, token version (a password change
-- or reset ends the sessions), deletion (signs every device out), and the stamp.
CREATE FUNCTION bahi_user_to_devices() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	PERFORM bahi_device_copy_check(NEW.business_id);
	UPDATE devices d SET user_role = NEW.role, token_version = NEW.token_version,
		profile_stamp = d.profile_stamp + 1,
		revoked_at = CASE WHEN NEW.deleted_at IS NULL THEN d.revoked_at
		             ELSE COALESCE(d.revoked_at, now()) END
		WHERE (d.business_id, d.id) IN (SELECT business_id, id FROM devices
			WHERE business_id = NEW.business_id AND user_id = NEW.id
			ORDER BY id FOR NO KEY UPDATE);
	RETURN NULL;
END
$$;
CREATE TRIGGER users_to_devices AFTER UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION bahi_user_to_devices();

-- A business's change reaches the stamp of its signed-in devices (and a deleted
-- business, which the session check no longer joins, signs them all out). A device
-- signed in again gets a new stamp then (acct_device_upsert), so what a worker kept
-- for it before it was signed out is not used again.
CREATE FUNCTION bahi_business_to_devices() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	PERFORM bahi_device_copy_check(NEW.id);
	UPDATE devices d SET profile_stamp = d.profile_stamp + 1,
		revoked_at = CASE WHEN NEW.deleted_at IS NULL THEN d.revoked_at
		             ELSE COALESCE(d.revoked_at, now()) END
		WHERE (d.business_id, d.id) IN (SELECT business_id, id FROM devices
			WHERE business_id = NEW.id AND revoked_at IS NULL
			ORDER BY id FOR NO KEY UPDATE);
	RETURN NULL;
END
$$;
CREATE TRIGGER businesses_to_devices AFTER UPDATE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_business_to_devices();
