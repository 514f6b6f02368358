/* bahi_num: strict bounded integer parsing and numeric(14,3) quantities held as thousandths. */
#include "bahi_num.h"

#include <inttypes.h>

#include "bahi_pool.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

/* Sets *errstr when the caller asked for it; returns -1 for chaining. */
static int
num_fail(const char **errstr, const char *why)
{
	if (errstr != NULL)
		*errstr = why;
	return -1;
}

/*
 * Grammar: -?[0-9]+ and nothing else ("+1", " 1", "1e3", "0x10" are
 * invalid). Leading zeros are allowed ("007" = 7, "-0" = 0). Values past
 * the int64 range report "too small"/"too large" like in-range misses.
 * On success *errstr is set to NULL.
 */
int
bahi_num_parse(const char *s, int64_t min, int64_t max, int64_t *out,
               const char **errstr)
{
	/* Magnitude cap: one past INT64_MAX is INT64_MIN's magnitude. */
	const uint64_t cap = (uint64_t)INT64_MAX + 1;
	uint64_t u = 0;
	int neg = 0, big = 0;

	if (s == NULL || min > max)
		return num_fail(errstr, "invalid");
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return num_fail(errstr, "invalid");
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return num_fail(errstr, "invalid");
		uint64_t d = (uint64_t)(*s - '0');
		if (big || u > (cap - d) / 10)
			big = 1;   /* keep scanning: junk still means "invalid" */
		else
			u = u * 10 + d;
	}
	if (big || (!neg && u > (uint64_t)INT64_MAX))
		return num_fail(errstr, neg ? "too small" : "too large");
	int64_t v;
	if (!neg)
		v = (int64_t)u;
	else
		v = u == cap ? INT64_MIN : -(int64_t)u;
	if (v < min)
		return num_fail(errstr, "too small");
	if (v > max)
		return num_fail(errstr, "too large");
	*out = v;
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}

/*
 * Grammar: [0-9]+(\.[0-9]{1,3})? . A sign, "1." and ".5" are refused (the
 * same shape JSON requires); leading zeros are allowed; "0" is accepted.
 */
int
bahi_qty_parse(const char *s, int64_t *out)
{
	int64_t v = 0;
	int nint = 0, nfrac = 0;

	if (s == NULL)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, nint++) {
		v = v * 10 + (*s - '0');   /* v <= BAHI_QTY_MAX before: fits */
		if (v > BAHI_QTY_MAX)
			return -1;
	}
	if (nint == 0)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
			if (nfrac == 3)
				return -1;
			v = v * 10 + (*s - '0');
			if (v > BAHI_QTY_MAX)
				return -1;
		}
		if (nfrac == 0)
			return -1;
	}
	if (*s != '\0')
		return -1;
	for (; nfrac < 3; nfrac++) {
		v *= 10;
		if (v > BAHI_QTY_MAX)
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * v * 1000 must be within rounding error of an integer. The tolerance is
 * relative (8 ulp-ish of the scaled value): a 3-decimal value parsed from
 * JSON lands within ~2 * DBL_EPSILON * |v * 1000| of its integer, while
 * anything with a 4th significant decimal (0.0005, 1e-7) misses by far more.
 * An absolute 1e-6 would wrongly accept 1e-10 and wrongly refuse large
 * quantities such as 99999999999.999.
 */
int
bahi_qty_from_double(double v, int64_t *out)
{
	if (!isfinite(v) || v < 0)
		return -1;
	double scaled = v * BAHI_QTY_SCALE;
	if (scaled > (double)BAHI_QTY_MAX + 0.5)
		return -1;
	double r = round(scaled);
	if (fabs(scaled - r) > scaled * 8 * DBL_EPSILON)
		return -1;
	if (r > (double)BAHI_QTY_MAX)
		return -1;
	*out = (int64_t)r;
	return 0;
}

/* Integer part, then the fraction with trailing zeros dropped; "-" kept for negatives. */
void
bahi_qty_format(int64_t qty, char *buf, int size)
{
	char frac[4];

	if (buf == NULL || size <= 0)
		return;
	uint64_t u = qty < 0 ? -(uint64_t)qty : (uint64_t)qty;
	uint64_t ip = u / BAHI_QTY_SCALE;
	unsigned fp = (unsigned)(u % BAHI_QTY_SCALE);
	if (fp == 0) {
		snprintf(buf, (size_t)size, "%s%llu", qty < 0 ? "-" : "",
		    (unsigned long long)ip);
		return;
	}
	snprintf(frac, sizeof(frac), "%03u", fp);
	int n = 3;
	while (frac[n - 1] == '0')
		n--;
	frac[n] = '\0';
	snprintf(buf, (size_t)size, "%s%llu.%s", qty < 0 ? "-" : "",
	    (unsigned long long)ip, frac);
}

char *
bahi_num_i64(bahi_pool *pool, int64_t v)
{
	return bahi_pool_printf(pool, "%" PRId64, v);
}

char *
bahi_num_qty(bahi_pool *pool, int64_t q)
{
	char buf[40];
	bahi_qty_format(q, buf, sizeof(buf));
	return bahi_pool_strdup(pool, buf);
}

int64_t
bahi_num_qty_of(const char *s)
{
	int neg = s[0] == '-';
	int64_t v = 0;
	if (bahi_qty_parse(s + neg, &v) != 0)
		return 0;
	return neg ? -v : v;
}
