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
-- Lock order: a trigger here locks the device rows after the user or business row.
-- A write request marks its device seen just before COMMIT (bahi_db_at_commit), so
-- no transaction takes a device row before a user or business row.

ALTER TABLE devices
	ADD COLUMN user_role text CHECK (user_role IN ('owner', 'admin', 'clerk')),
	ADD COLUMN token_version int,
	ADD COLUMN profile_stamp bigint NOT NULL DEFAULT 1;

-- The copy, for the devices there are (across businesses: see sql/README.md). A
-- deleted user's devices are signed out, as the trigger below does from now on.
ALTER TABLE devices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
UPDATE devices d SET user_role = u.role, token_version = u.token_version,
	revoked_at = CASE WHEN u.deleted_at IS NULL THEN d.revoked_at
	             ELSE COALESCE(d.revoked_at, now()) END
	FROM users u WHERE u.business_id = d.business_id AND u.id = d.user_id;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE devices FORCE ROW LEVEL SECURITY;

ALTER TABLE devices
	ALTER COLUMN user_role SET NOT NULL,
	ALTER COLUMN token_version SET NOT NULL;

-- A new device (or one signed in again by its user) takes its user's role and
-- token version, whatever the INSERT says.
CREATE FUNCTION bahi_device_copy_user() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	SELECT role, token_version INTO NEW.user_role, NEW.token_version
		FROM users WHERE business_id = NEW.business_id AND id = NEW.user_id;
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
	UPDATE devices SET user_role = NEW.role, token_version = NEW.token_version,
		profile_stamp = profile_stamp + 1,
		revoked_at = CASE WHEN NEW.deleted_at IS NULL THEN revoked_at
		             ELSE COALESCE(revoked_at, now()) END
		WHERE business_id = NEW.business_id AND user_id = NEW.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER users_to_devices AFTER UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION bahi_user_to_devices();

-- A business's change reaches the stamp of its signed-in devices (and a deleted
-- business, which the session check no longer joins, signs them all out).
CREATE FUNCTION bahi_business_to_devices() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	PERFORM bahi_device_copy_check(NEW.id);
	UPDATE devices SET profile_stamp = profile_stamp + 1,
		revoked_at = CASE WHEN NEW.deleted_at IS NULL THEN NULL ELSE now() END
		WHERE business_id = NEW.id AND revoked_at IS NULL;
	RETURN NULL;
END
$$;
CREATE TRIGGER businesses_to_devices AFTER UPDATE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_business_to_devices();
