/* bahi_valid: declared input rules (type, length, range) checked once at the edge. */
#ifndef BAHI_VALID_H
#define BAHI_VALID_H

#include <stddef.h>
#include <stdint.h>

struct bahi_req;
struct cJSON;

typedef enum bahi_vtype {
	BAHI_V_STRING,  /* UTF-8 text; min/max are lengths in characters */
	BAHI_V_INT,     /* whole number in [min, max] */
	BAHI_V_MONEY,   /* whole minor units in [min, max] (|x| <= 10^15 always) */
	BAHI_V_BP,      /* basis points in [min, max] */
	BAHI_V_QTY,     /* number with at most 3 decimals, stored as thousandths */
	BAHI_V_BOOL,
	BAHI_V_UUID,    /* canonical UUID, normalised to lower case */
	BAHI_V_ENUM,    /* one of choices */
	BAHI_V_DATE,    /* YYYY-MM-DD */
	BAHI_V_OBJECT,  /* nested object; checked by the caller or with fields */
	BAHI_V_ARRAY    /* array with min..max elements */
} bahi_vtype;

#define BAHI_REQUIRED  0x01u  /* must be present and not null */
#define BAHI_NULLABLE  0x02u  /* JSON null is accepted (and reported as is_null) */
#define BAHI_MULTILINE 0x04u  /* strings may contain newlines and tabs */

typedef struct bahi_field {
	const char *name;
	bahi_vtype type;
	unsigned flags;
	int64_t min, max;
	const char *const *choices;       /* BAHI_V_ENUM: NULL-terminated */
	const struct bahi_field *fields;  /* BAHI_V_OBJECT: rules for its members */
	size_t nfields;
} bahi_field;

typedef struct bahi_value {
	int present;           /* given and not null */
	int is_null;           /* given as null (only with BAHI_NULLABLE) */
	const char *s;         /* STRING, UUID, ENUM, DATE */
	int64_t i;             /* INT, MONEY, BP, BOOL, QTY (thousandths) */
	const struct cJSON *node;  /* the JSON node (OBJECT, ARRAY: the container) */
	struct bahi_value *sub;    /* OBJECT with fields: its members' values */
} bahi_value;

/* Checks obj's members against n rules; unknown members are errors. Each
 * failure is added to req->problem as a field error named prefix + name
 * ("lines[0].qty"). out[i] receives fields[i]'s value. Returns 0 when
 * everything is valid, -1 otherwise (problem is validation_failed). */
int bahi_valid_json(struct bahi_req *req, const struct cJSON *obj,
                    const bahi_field *fields, size_t n, bahi_value *out,
                    const char *prefix);
/* Checks each element of the array arr (the member called name) as an
 * object with the n rules; element i's values go to out[i * n .. i * n +
 * n - 1] (out has room for every element). When positive >= 0, that
 * member (a number) must also be more than 0 (must_be_positive). Every bad
 * element is named ("lines[2].qty"). 0, or -1 with field errors. */
int bahi_valid_items(struct bahi_req *req, const struct cJSON *arr, const char *name,
                     const bahi_field *fields, size_t n, int positive, bahi_value *out);
/* The same rules applied to query-string parameters (all given as text;
 * unknown parameters are errors). */
int bahi_valid_query(struct bahi_req *req, const bahi_field *fields, size_t n,
                     bahi_value *out);
/* 1 when s is valid UTF-8 with no NUL or control characters (newline and
 * tab allowed when multiline); *chars receives its length in characters. */
int bahi_valid_utf8(const char *s, int multiline, size_t *chars);

#endif
