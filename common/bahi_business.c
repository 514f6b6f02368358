/* bahi_business: validating and updating business settings. */
#include "bahi_business.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_account.h"
#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_req.h"

int
bahi_business_check_currency(bahi_req *req, const char *iso, const char *field)
{
	if (strlen(iso) == 3 && isupper((unsigned char)iso[0]) && isupper((unsigned char)iso[1]) &&
	    isupper((unsigned char)iso[2]))
		return 0;
	bahi_problem_field(&req->problem, field, "invalid_currency",
	                   "Must be an ISO 4217 code such as PKR.");
	return -1;
}

int
bahi_business_check_timezone(bahi_req *req, const char *tz, const char *field)
{
	bahi_date d;
	if (bahi_date_local(tz, time(NULL), &d) == 0)
		return 0;
	bahi_problem_field(&req->problem, field, "invalid_timezone",
	                   "Must be an IANA time zone such as Asia/Karachi.");
	return -1;
}

static BAHI_STMT(biz_update,
	"UPDATE businesses SET name = COALESCE($2, name), currency = COALESCE($3, currency),"
	" timezone = COALESCE($4, timezone), language = COALESCE($5, language),"
	" tax_rate_bp = COALESCE($6::int, tax_rate_bp),"
	" credit_term_days = COALESCE($7::int, credit_term_days),"
	" device_cap = COALESCE($8::int, device_cap),"
	" number_grouping = COALESCE($10, number_grouping), version = version + 1, updated_at = now()"
	" WHERE id = $1 AND ($9::int IS NULL OR version = $9::int) RETURNING version");

static const char *
opt_int(struct bahi_req *req, int64_t v)
{
	return v < 0 ? NULL : bahi_pool_printf(req->pool, "%lld", (long long)v);
}

int
bahi_business_update(bahi_req *req, const bahi_business_patch *p, cJSON **out)
{
	const char *params[10] = {
		req->tx_business, p->name, p->currency, p->timezone, p->language,
		opt_int(req, p->tax_rate_bp), opt_int(req, p->credit_term_days),
		opt_int(req, p->device_cap), p->if_match ? opt_int(req, p->if_match) : NULL,
		p->number_grouping,
	};
	PGresult *res = bahi_db_exec(req, &biz_update, 10, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "version_conflict",
		                 "The settings were changed by someone else; reload and try again.");
	bahi_changelog_add(req, "business", req->tx_business, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	if (bahi_activity_add(req, "settings_changed", NULL, NULL) != 0)
		return -1;
	*out = bahi_account_business_json(req);
	return *out ? 0 : -1;
}
