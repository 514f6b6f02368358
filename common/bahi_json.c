/* bahi_json: turns PostgreSQL result rows into cJSON values by column type. */
#include "bahi_json.h"

#include <stdlib.h>
#include <string.h>

/* Type OIDs from pg_type.dat that map to JSON numbers and booleans. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_NUMERIC 1700

cJSON *
bahi_json_row(const PGresult *res, int row)
{
	cJSON *o = cJSON_CreateObject();
	for (int c = 0; c < PQnfields(res); c++) {
		const char *name = PQfname(res, c), *v = PQgetvalue(res, row, c);
		cJSON *item;
		if (PQgetisnull(res, row, c)) {
			item = cJSON_CreateNull();
		} else {
			switch (PQftype(res, c)) {
			case OID_BOOL:
				item = cJSON_CreateBool(v[0] == 't');
				break;
			case OID_INT2: case OID_INT4: case OID_INT8: case OID_NUMERIC:
				item = cJSON_CreateNumber(strtod(v, NULL));
				break;
			default:
				item = cJSON_CreateString(v);
			}
		}
		cJSON_AddItemToObject(o, name, item);
	}
	return o;
}

cJSON *
bahi_json_rows(const PGresult *res)
{
	cJSON *a = cJSON_CreateArray();
	for (int r = 0; r < PQntuples(res); r++)
		cJSON_AddItemToArray(a, bahi_json_row(res, r));
	return a;
}

const char *
bahi_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}
