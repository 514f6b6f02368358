/* bahi_json: turns PostgreSQL result rows into cJSON values (or JSON text) by column type. */
#include "bahi_json.h"

#include <stdlib.h>
#include <string.h>

/* Type OIDs from pg_type.dat that map to JSON numbers and booleans, and
 * the timestamp (without time zone) bahi_json_cols_write reads as UTC. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TIMESTAMP 1114
#define OID_NUMERIC 1700

cJSON *
bahi_json_row(const PGresult *res, int row)
{
	return bahi_json_cols(res, row, 0, PQnfields(res));
}

cJSON *
bahi_json_cols(const PGresult *res, int row, int first, int n)
{
	cJSON *o = cJSON_CreateObject();
	for (int c = first; c < first + n; c++) {
		const char *name = PQfname(res, c), *v = PQgetvalue(res, row, c);
		cJSON *item;
		if (PQgetisnull(res, row, c)) {
			item = cJSON_CreateNull();
		} else {
			switch (PQftype(res, c)) {
			case OID_BOOL:
				item = cJSON_CreateBool(v[0] == 't');
				break;
			case OID_INT8:
				/* cJSON prints 10^15 and beyond as 1e+15: keep such
				 * bigints as PostgreSQL wrote them */
				item = strlen(v) >= 16 ? cJSON_CreateRaw(v) :
				       cJSON_CreateNumber(strtod(v, NULL));
				break;
			case OID_INT2: case OID_INT4: case OID_NUMERIC:
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

/* The length of the leading run of s that a JSON string holds as it is. */
static size_t
plain_run(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0' && s[n] != '"' && s[n] != '\\' && (unsigned char)s[n] >= 0x20)
		n++;
	return n;
}

/* s as a JSON string: in one append when it is short and needs no escaping,
 * as nearly always; otherwise runs of plain characters are appended whole. */
static int
write_string(bahi_buf *b, const char *s)
{
	size_t n = plain_run(s);
	char quoted[256];
	if (s[n] == '\0' && n + 2 <= sizeof(quoted)) {
		quoted[0] = '"';
		memcpy(quoted + 1, s, n);
		quoted[n + 1] = '"';
		return bahi_buf_append(b, quoted, n + 2);
	}
	int rc = bahi_buf_putc(b, '"');
	for (;;) {
		rc |= bahi_buf_append(b, s, n);
		if (s[n] == '\0')
			break;
		char one[2] = {s[n], '\0'};
		rc |= bahi_buf_json_escape(b, one);
		s += n + 1;
		n = plain_run(s);
	}
	return rc | bahi_buf_putc(b, '"');
}

/* A member's key ("name":, after a comma unless first), in one append. */
static int
write_key(bahi_buf *b, int first, const char *name)
{
	size_t n = plain_run(name);
	char key[128];
	if (name[n] != '\0' || n + 4 > sizeof(key))
		return bahi_buf_puts(b, first ? "" : ",") | write_string(b, name) | bahi_buf_putc(b, ':');
	size_t len = 0;
	if (!first)
		key[len++] = ',';
	key[len++] = '"';
	memcpy(key + len, name, n);
	len += n;
	key[len++] = '"';
	key[len++] = ':';
	return bahi_buf_append(b, key, len);
}

/* A numeric's text as a JSON number; NaN and the infinities become null,
 * as cJSON prints them. */
static int
write_number(bahi_buf *b, const char *v)
{
	if (strspn(v, "-0123456789.eE+") != strlen(v) || strpbrk(v, "0123456789") == NULL)
		return bahi_buf_puts(b, "null");
	return bahi_buf_puts(b, v);
}

/* A UTC timestamp's text in the ISO DateStyle ("2026-11-21 08:30:00", with
 * any fraction of a second) as a JSON string in bahi_ts()'s form
 * ("2026-11-21T08:30:00Z", the fraction dropped); -1 for any other text. */
static int
write_utc(bahi_buf *b, const char *v)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	char out[22] = "\"";
	size_t i;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? v[i] < '0' || v[i] > '9' : v[i] != shape[i])
			return -1;
		out[i + 1] = v[i];
	}
	if (v[i] != '\0' && v[i] != '.')
		return -1;
	out[11] = 'T';
	memcpy(out + 20, "Z\"", 2);
	return bahi_buf_append(b, out, sizeof(out));
}

int
bahi_json_cols_write(bahi_buf *b, const PGresult *res, int row, int first, int n)
{
	int rc = bahi_buf_putc(b, '{');
	for (int c = first; c < first + n; c++) {
		const char *v = PQgetvalue(res, row, c);
		rc |= write_key(b, c == first, PQfname(res, c));
		if (PQgetisnull(res, row, c)) {
			rc |= bahi_buf_puts(b, "null");
			continue;
		}
		switch (PQftype(res, c)) {
		case OID_BOOL:
			rc |= bahi_buf_puts(b, v[0] == 't' ? "true" : "false");
			break;
		case OID_INT2: case OID_INT4: case OID_INT8: case OID_NUMERIC:
			rc |= write_number(b, v);
			break;
		case OID_TIMESTAMP:
			rc |= write_utc(b, v);
			break;
		default:
			rc |= write_string(b, v);
		}
	}
	rc |= bahi_buf_putc(b, '}');
	return rc ? -1 : 0;
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
