/* bahi_business: a business's settings: checks and the versioned update. */
#ifndef BAHI_BUSINESS_H
#define BAHI_BUSINESS_H

#include <stdint.h>

#include <cjson/cJSON.h>

struct bahi_req;

/* Field checks; each adds a field error on field and returns -1 when bad. */
int bahi_business_check_currency(struct bahi_req *req, const char *iso, const char *field);
int bahi_business_check_timezone(struct bahi_req *req, const char *tz, const char *field);

typedef struct bahi_business_patch {
	const char *name, *currency, *timezone, *language;   /* NULL: unchanged */
	const char *number_grouping;                         /* NULL: unchanged */
	int64_t tax_rate_bp, credit_term_days, device_cap;   /* -1: unchanged */
	long if_match;                                       /* 0: no If-Match */
} bahi_business_patch;

/* Applies the patch to the transaction's business (412 version_conflict
 * when if_match is stale) and returns the new record in *out. */
int bahi_business_update(struct bahi_req *req, const bahi_business_patch *p, cJSON **out);

#endif
