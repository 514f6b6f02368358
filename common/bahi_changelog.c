/* bahi_changelog: queues change-log rows during a request and writes them in one statement. */
#include "bahi_changelog.h"

#include <string.h>

#include "bahi_db.h"
#include "bahi_req.h"

void
bahi_changelog_add(bahi_req *req, const char *entity, const char *id,
                   const char *op, int version)
{
	bahi_change *c = bahi_pool_alloc(req->pool, sizeof(*c));
	c->entity = entity;
	c->id = bahi_pool_strdup(req->pool, id);
	c->op = op;
	c->version = version;
	c->next = NULL;
	bahi_change **tail = &req->changes;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = c;
}

char *
bahi_pg_array(bahi_pool *pool, const char *const *items, int n)
{
	bahi_buf b;
	bahi_buf_init(&b, 16 * 1024 * 1024);
	bahi_buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		if (i > 0)
			bahi_buf_putc(&b, ',');
		bahi_buf_putc(&b, '"');
		for (const char *p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				bahi_buf_putc(&b, '\\');
			bahi_buf_putc(&b, *p);
		}
		bahi_buf_putc(&b, '"');
	}
	bahi_buf_putc(&b, '}');
	char *s = bahi_pool_strndup(pool, b.data, b.len);
	bahi_buf_free(&b);
	return s;
}

/* One round trip: bump the business's change counter by n, insert the n rows
 * numbered counter-n+1..counter, and queue a NOTIFY (delivered at commit). */
static BAHI_STMT(changelog_write,
	"WITH c AS ("
	"  INSERT INTO business_counters (business_id, name, value)"
	"  VALUES ($1::uuid, 'change_seq', $2::bigint)"
	"  ON CONFLICT (business_id, name)"
	"  DO UPDATE SET value = business_counters.value + EXCLUDED.value"
	"  RETURNING value),"
	" ins AS ("
	"  INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)"
	"  SELECT $1::uuid, c.value - $2::bigint + u.ord, u.entity, u.entity_id, u.op, u.version"
	"  FROM c, unnest($3::text[], $4::uuid[], $5::text[], $6::int[])"
	"       WITH ORDINALITY AS u(entity, entity_id, op, version, ord)"
	"  RETURNING seq)"
	" SELECT pg_notify('bahi_changes', $1 || ':' || max(seq)::text) FROM ins");

int
bahi_changelog_flush(bahi_req *req)
{
	int n = 0;
	for (bahi_change *c = req->changes; c != NULL; c = c->next)
		n++;
	if (n == 0)
		return 0;
	if (req->tx_business == NULL)
		return bahi_fail(req, "internal_error", "A change was recorded outside a business.");
	const char **ent = bahi_pool_alloc(req->pool, sizeof(char *) * (size_t)n * 4);
	const char **ids = ent + n, **ops = ids + n, **vers = ops + n;
	int i = 0;
	for (bahi_change *c = req->changes; c != NULL; c = c->next, i++) {
		ent[i] = c->entity;
		ids[i] = c->id;
		ops[i] = c->op;
		vers[i] = bahi_pool_printf(req->pool, "%d", c->version);
	}
	const char *params[6] = {
		req->tx_business, bahi_pool_printf(req->pool, "%d", n),
		bahi_pg_array(req->pool, ent, n), bahi_pg_array(req->pool, ids, n),
		bahi_pg_array(req->pool, ops, n), bahi_pg_array(req->pool, vers, n),
	};
	if (bahi_db_exec(req, &changelog_write, 6, params) == NULL)
		return -1;
	req->changes = NULL;
	return 0;
}
