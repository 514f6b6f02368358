-- 0008_session_check: lets one plain statement refuse with an error, for the per-request session check.
--
-- bahi_session_authorize checks the session (device not revoked, user and business
-- live, token version current, role holding the permission) with one SELECT in the
-- request's transaction, whose tenant is already set. When the check fails, that
-- SELECT calls this function, in a CASE branch (VOLATILE, so never evaluated ahead of
-- time), and so fails with an error rather than an empty answer: that is what lets the
-- worker send the request's next statements in the same round trip (a libpq pipeline),
-- as the server skips everything sent after a failed statement. The codes it is called
-- with: BH401 (the session has ended), BH403 (the role may not do this; DETAIL: the
-- role). Plain SQL in the check itself keeps it cheap: PL/pgSQL only runs on refusal.
CREATE FUNCTION bahi_refuse(code text, detail text) RETURNS text
	LANGUAGE plpgsql VOLATILE
	AS $$
BEGIN
	RAISE EXCEPTION 'refused: %', code USING ERRCODE = code, DETAIL = COALESCE(detail, '');
END
$$;
