-- 0017_change_batches: a request's changes in one row of change_batches; change_entries reads them with change_log's.
--
-- A 5-line cash sale logged six changes (its invoice and its five products), six
-- rows of change_log, each with its key check on the business and its index
-- entry: about 6% of PostgreSQL's work for a sale (bench/README.md, the sales
-- suite's instruction counts). From now on a request that logs more than one
-- change writes them as one row of change_batches: their entities, ids, ops and
-- versions in arrays, numbered first_seq..last_seq (the business's change_seq
-- counter, taken in the same statement: the numbers stay gapless, in commit
-- order). A request with one change, and every change logged before this
-- migration, stays a row of change_log.
--
-- change_entries is the change log as change_log's columns, one row a change,
-- from both. Sync pulls and the events stream read the two sides each limited
-- and in its own index's order (BAHI_CHANGES_AFTER in common/bahi_changelog.h).

CREATE TABLE change_batches (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	first_seq	bahi_serial NOT NULL,
	last_seq	bahi_serial NOT NULL,
	entities	bahi_entity[] NOT NULL,
	entity_ids	uuid[] NOT NULL,
	ops		bahi_change_op[] NOT NULL,
	versions	bahi_version[] NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, last_seq),
	CHECK (cardinality(entity_ids) = last_seq - first_seq + 1
		AND cardinality(entities) = cardinality(entity_ids)
		AND cardinality(ops) = cardinality(entity_ids)
		AND cardinality(versions) = cardinality(entity_ids))
);
ALTER TABLE change_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY change_batches_tenant ON change_batches
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE TRIGGER change_batches_immutable BEFORE UPDATE OR DELETE ON change_batches
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation();
REVOKE UPDATE, DELETE ON change_batches FROM bahi_app;

-- security_invoker: read as the caller, under its row-level security.
CREATE VIEW change_entries WITH (security_invoker = true) AS
	SELECT business_id, seq::bigint AS seq, entity::text AS entity, entity_id, op::text AS op,
		version::int AS version, created_at
	FROM change_log
	UNION ALL
	SELECT b.business_id, b.first_seq + u.ord - 1, u.entity::text, u.entity_id, u.op::text,
		u.version::int, b.created_at
	FROM change_batches b
	CROSS JOIN LATERAL unnest(b.entities, b.entity_ids, b.ops, b.versions)
		WITH ORDINALITY AS u(entity, entity_id, op, version, ord);
REVOKE INSERT, UPDATE, DELETE ON change_entries FROM bahi_app;
