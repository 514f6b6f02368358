/* bahi_json: result rows to JSON objects, and small cJSON helpers. */
#ifndef BAHI_JSON_H
#define BAHI_JSON_H

#include <libpq-fe.h>
#include <cjson/cJSON.h>

/* One row as an object: column names as keys; int2/4/8 and numeric as
 * numbers, bool as true/false, NULL as null, everything else as strings
 * (select timestamps through bahi_ts() to get RFC 3339 UTC). */
cJSON *bahi_json_row(const PGresult *res, int row);
/* Every row as an array of objects. */
cJSON *bahi_json_rows(const PGresult *res);
/* A string member, or NULL. */
const char *bahi_json_str(const cJSON *obj, const char *key);

#endif
