/* admin_format: amounts, times and JSON members as the panel's pages show them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "bahi_money.h"
#include "bahi_pdf.h"
#include "bahi_req.h"

/* The amount with symbol (or none) in the business's grouping. */
static const char *
format(bahi_req *req, int64_t minor, const char *symbol)
{
	admin_ctx *c = req->app;
	char buf[96];
	int decimals = c != NULL ? c->decimals : 2;
	bahi_grouping g = c != NULL ? (bahi_grouping)c->grouping : BAHI_GROUP_THOUSANDS;
	if (bahi_money_format_grouped(minor, decimals, symbol, g, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "%lld", (long long)minor);
	return bahi_pool_strdup(req->pool, buf);
}

const char *
admin_money(bahi_req *req, int64_t minor)
{
	admin_ctx *c = req->app;
	return format(req, minor, bahi_pdf_currency_symbol(c != NULL ? c->currency : "PKR"));
}

const char *
admin_amount(bahi_req *req, int64_t minor)
{
	return format(req, minor, NULL);
}

int64_t
admin_json_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

const char *
admin_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

const char *
admin_time(bahi_req *req, const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (end == NULL)
		return s ? s : "";
	/* admin_ctx_get set TZ to the business's zone for this request */
	time_t t = timegm(&tm);
	struct tm local;
	char buf[32];
	if (localtime_r(&t, &local) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &local) == 0)
		return s;
	return bahi_pool_strdup(req->pool, buf);
}

void
admin_set_money(bahi_req *req, bahi_tmpl_dict *d, const char *key, int64_t minor)
{
	bahi_tmpl_set(d, key, admin_money(req, minor));
}

void
admin_set_strs(bahi_tmpl_dict *d, const cJSON *obj, const char *const *keys)
{
	for (; *keys != NULL; keys++)
		bahi_tmpl_set(d, *keys, admin_json_str(obj, *keys));
}
