/* bahi_json: result rows to JSON objects, and small cJSON helpers. */
#ifndef BAHI_JSON_H
#define BAHI_JSON_H

#include <libpq-fe.h>
#include <cjson/cJSON.h>

#include "bahi_buf.h"

/* One row as an object: column names as keys; int2/4/8 and numeric as
 * numbers, bool as true/false, NULL as null, everything else as strings
 * (select timestamps through bahi_ts() to get RFC 3339 UTC). */
cJSON *bahi_json_row(const PGresult *res, int row);
/* The same for the n columns from first (one row joining several records). */
cJSON *bahi_json_cols(const PGresult *res, int row, int first, int n);
/* The object bahi_json_cols makes, written as JSON text to b instead (no
 * tree: for hot paths). A timestamp without time zone is taken as UTC and
 * written as bahi_ts() would: select `t AT TIME ZONE 'UTC'`, which costs the
 * server less than to_char (its text must be in the ISO DateStyle, the
 * default). 0, or -1 when b's cap is reached or such a text is not ISO. */
int bahi_json_cols_write(bahi_buf *b, const PGresult *res, int row, int first, int n);
/* Every row as an array of objects. */
cJSON *bahi_json_rows(const PGresult *res);
/* A string member, or NULL. */
const char *bahi_json_str(const cJSON *obj, const char *key);

#endif
