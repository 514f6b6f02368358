-- 0011_sync: offline sync (pushed mutations, each device's pull position) and the revocation signal of live streams.
--
-- The change log itself is 0001_base.sql's change_log; this adds what sync
-- keeps beside it. Both tables follow the tenant rule of 0001_base.sql.

-- Every mutation a device pushed, whatever came of it: a mutation_id seen
-- again is a duplicate and changes nothing. 'applied' rows are written in the
-- transaction that applied the mutation; 'conflict' and 'rejected' rows right
-- after it rolled back. Append-only for the application.
CREATE TABLE sync_mutations (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	mutation_id	uuid NOT NULL,
	device_id	uuid,
	entity		text NOT NULL CHECK (char_length(entity) BETWEEN 1 AND 64),
	op		text NOT NULL CHECK (op IN ('create', 'update', 'delete')),
	entity_id	uuid,
	status		text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
	version		int CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, mutation_id)
);
ALTER TABLE sync_mutations ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_mutations FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_mutations_tenant ON sync_mutations
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
REVOKE UPDATE, DELETE ON sync_mutations FROM bahi_app;

-- How far each device has pulled: the change sequence number its last pull
-- brought it to (0 while its first snapshot is still being paged).
CREATE TABLE sync_positions (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	device_id	uuid NOT NULL,
	seq		bigint NOT NULL CHECK (seq >= 0),
	pulls		bigint NOT NULL DEFAULT 1 CHECK (pulls >= 1),
	pulled_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, device_id),
	FOREIGN KEY (business_id, device_id) REFERENCES devices (business_id, id) ON DELETE CASCADE
);
ALTER TABLE sync_positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_positions FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_positions_tenant ON sync_positions
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Live streams close when their device may no longer read: a revoked or
-- deleted device, a user whose tokens were invalidated (password change,
-- role change) or deleted, a deleted business. Listeners on 'bahi_revoked'
-- get 'device:<business>:<device>', 'user:<business>:<user>' or
-- 'business:<business>'. Rare events, so notifying inside the transaction
-- (delivered at its commit) costs nothing on the hot paths.
CREATE FUNCTION bahi_notify_revoked() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog
	AS $$
DECLARE
	r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
	IF TG_TABLE_NAME = 'devices' THEN
		PERFORM pg_notify('bahi_revoked', 'device:' || r.business_id || ':' || r.id);
	ELSIF TG_TABLE_NAME = 'users' THEN
		PERFORM pg_notify('bahi_revoked', 'user:' || r.business_id || ':' || r.id);
	ELSE
		PERFORM pg_notify('bahi_revoked', 'business:' || r.id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER devices_revoked AFTER UPDATE OF revoked_at ON devices
	FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
	EXECUTE FUNCTION bahi_notify_revoked();
CREATE TRIGGER devices_deleted AFTER DELETE ON devices
	FOR EACH ROW EXECUTE FUNCTION bahi_notify_revoked();
CREATE TRIGGER users_revoked AFTER UPDATE OF token_version, role ON users
	FOR EACH ROW WHEN (OLD.token_version <> NEW.token_version OR OLD.role <> NEW.role)
	EXECUTE FUNCTION bahi_notify_revoked();
CREATE TRIGGER users_deleted AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION bahi_notify_revoked();
CREATE TRIGGER businesses_deleted AFTER DELETE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_notify_revoked();
