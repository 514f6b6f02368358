/* bahi_problem: RFC 9457 problem+json errors with stable machine codes. */
#ifndef BAHI_PROBLEM_H
#define BAHI_PROBLEM_H

#include <stddef.h>

#define BAHI_PROBLEM_MAX_ERRORS 32

typedef struct bahi_field_error {
	const char *field;   /* e.g. "lines[0].qty" */
	const char *code;    /* e.g. "must_be_positive" */
	const char *message; /* human-readable */
} bahi_field_error;

typedef struct bahi_problem {
	int status;          /* 0 while no problem has been set */
	const char *code;    /* stable code, e.g. "validation_failed" */
	const char *title;
	const char *detail;
	const char *allow;        /* for 405: the Allow header value */
	int retry_after;          /* for 429/503: seconds, 0 = none */
	size_t nerrors;
	bahi_field_error errors[BAHI_PROBLEM_MAX_ERRORS];
	size_t nerrors_dropped;   /* field errors past the array's end */
} bahi_problem;

/* The stable code's default HTTP status and title, or 500 for an unknown code. */
int bahi_problem_status(const char *code);
const char *bahi_problem_title(const char *code);

/* Sets p to code with its default status and title; detail may be NULL.
 * Strings are borrowed: they must outlive the problem (use the request pool). */
void bahi_problem_set(bahi_problem *p, const char *code, const char *detail);
/* Adds one field error and makes p a validation_failed problem if it was unset. */
void bahi_problem_field(bahi_problem *p, const char *field, const char *code,
                        const char *message);

struct bahi_buf;
/* Writes p as an application/problem+json document. Returns 0 or -1. */
int bahi_problem_to_json(const bahi_problem *p, struct bahi_buf *out);

#endif
