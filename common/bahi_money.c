/* bahi_money: integer minor-unit arithmetic, parsing and formatting with half-away-from-zero rounding. */
#include "bahi_money.h"

#include <stdio.h>
#include <string.h>

/* Largest `decimals` accepted by parse/format: 10^18 still fits an int64. */
#define MONEY_MAX_DECIMALS 18

typedef __int128 i128;

/*
 * n/d rounded half away from zero, in 128 bits. d != 0. Rounds up the
 * magnitude when the remainder is at least half of |d|.
 */
static i128
round_div128(i128 n, i128 d)
{
	i128 q = n / d;
	i128 r = n % d;
	i128 ar = r < 0 ? -r : r;
	i128 ad = d < 0 ? -d : d;

	if (ar != 0 && ar >= ad - ar) {
		if ((n < 0) == (d < 0))
			q += 1;
		else
			q -= 1;
	}
	return q;
}

/* 1 when |v| <= BAHI_MONEY_MAX, else 0. */
static int
in_money_range(i128 v)
{
	return v <= BAHI_MONEY_MAX && v >= -BAHI_MONEY_MAX;
}

/*
 * The only int64 quotient that does not fit is INT64_MIN / -1 (2^63): it
 * saturates to INT64_MAX. den == 0 is a caller bug; it yields 0.
 */
int64_t
bahi_round_div(int64_t num, int64_t den)
{
	if (den == 0)
		return 0;
	i128 q = round_div128(num, den);
	if (q > INT64_MAX)
		return INT64_MAX;
	return (int64_t)q;
}

/* Results must also stay within +-BAHI_MONEY_MAX, like every bahi amount. */
int
bahi_money_apply_bp(int64_t amount, int64_t bp, int64_t *out)
{
	return bahi_money_mul_ratio(amount, bp, 10000, out);
}

/* The product is exact in 128 bits (|a*b| < 2^126); rounded once. */
int
bahi_money_mul_ratio(int64_t amount, int64_t num, int64_t den, int64_t *out)
{
	if (den <= 0)
		return -1;
	i128 v = round_div128((i128)amount * num, den);
	if (!in_money_range(v))
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
bahi_money_add(int64_t a, int64_t b, int64_t *out)
{
	i128 v = (i128)a + b;
	if (!in_money_range(v))
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
bahi_money_sub(int64_t a, int64_t b, int64_t *out)
{
	i128 v = (i128)a - b;
	if (!in_money_range(v))
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Appends one decimal digit to *v; -1 once the magnitude passes the cap. */
static int
push_digit(int64_t *v, int digit)
{
	*v = *v * 10 + digit;   /* *v <= BAHI_MONEY_MAX before: no overflow */
	return *v > BAHI_MONEY_MAX ? -1 : 0;
}

/*
 * Grammar: -?[0-9]+(\.[0-9]{1,decimals})? ; no '+', spaces, exponents,
 * grouping, leading or trailing '.'. Leading zeros are allowed ("007").
 */
int
bahi_money_parse(const char *s, int decimals, int64_t *out)
{
	int64_t v = 0;
	int neg = 0, nint = 0, nfrac = 0;

	if (s == NULL || decimals < 0 || decimals > MONEY_MAX_DECIMALS)
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, nint++)
		if (push_digit(&v, *s - '0') != 0)
			return -1;
	if (nint == 0)
		return -1;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, nfrac++) {
			if (nfrac >= decimals)
				return -1;
			if (push_digit(&v, *s - '0') != 0)
				return -1;
		}
		if (nfrac == 0)
			return -1;
	}
	if (*s != '\0')
		return -1;
	for (; nfrac < decimals; nfrac++)
		if (push_digit(&v, 0) != 0)
			return -1;
	*out = neg ? -v : v;
	return 0;
}

/* A space follows the symbol when it ends in an ASCII letter or '.' ("Rs", "Rs."). */
static int
symbol_wants_space(const char *sym)
{
	size_t n = strlen(sym);
	if (n == 0)
		return 0;
	unsigned char c = (unsigned char)sym[n - 1];
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.';
}

/* 1 when a separator goes before the integer digit at pos (0 = units). */
static int
separator_before(bahi_grouping g, int pos)
{
	switch (g) {
	case BAHI_GROUP_THOUSANDS:
		return pos > 0 && pos % 3 == 0;
	case BAHI_GROUP_LAKH:
		return pos == 3 || (pos > 3 && (pos - 3) % 2 == 0);
	case BAHI_GROUP_NONE:
		break;
	}
	return 0;
}

/*
 * Writes the unsigned magnitude u with `decimals` fraction digits and the
 * separator sep placed by g into body (at least 64 bytes; u <= 2^63 has at
 * most 19 digits, with 8 separators and a point). Built right to left.
 */
static void
format_magnitude(uint64_t u, int decimals, char sep, bahi_grouping g, char *body)
{
	char tmp[64];
	int i = (int)sizeof(tmp), pos = 0;

	tmp[--i] = '\0';
	for (int k = 0; k < decimals; k++) {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	}
	if (decimals > 0)
		tmp[--i] = '.';
	do {
		if (separator_before(g, pos))
			tmp[--i] = sep;
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
		pos++;
	} while (u != 0);
	memcpy(body, tmp + i, sizeof(tmp) - (size_t)i);
}

/*
 * Layout: [-][symbol][ ]digits. Returns the full length (snprintf-style,
 * output truncated but terminated when size is short), or -1 (and an empty
 * string) when decimals is outside 0..18.
 */
static int
format_money(int64_t amount, int decimals, const char *symbol, char sep,
             bahi_grouping g, char *buf, size_t size)
{
	char body[64];

	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS) {
		if (size > 0)
			buf[0] = '\0';
		return -1;
	}
	uint64_t u = amount < 0 ? -(uint64_t)amount : (uint64_t)amount;
	format_magnitude(u, decimals, sep, g, body);
	const char *sym = symbol != NULL ? symbol : "";
	return snprintf(buf, size, "%s%s%s%s", amount < 0 ? "-" : "", sym,
	    symbol_wants_space(sym) ? " " : "", body);
}

/* grouping is the thousands separator, 0 for none. */
int
bahi_money_format(int64_t amount, int decimals, const char *symbol,
                  char grouping, char *buf, size_t size)
{
	return format_money(amount, decimals, symbol, grouping,
	    grouping != 0 ? BAHI_GROUP_THOUSANDS : BAHI_GROUP_NONE, buf, size);
}

int
bahi_money_format_grouped(int64_t amount, int decimals, const char *symbol,
                          bahi_grouping g, char *buf, size_t size)
{
	return format_money(amount, decimals, symbol, ',', g, buf, size);
}

/* The same names as the businesses.number_grouping CHECK (0013). */
const char *const bahi_grouping_names[] = {
	[BAHI_GROUP_THOUSANDS] = "thousands", [BAHI_GROUP_LAKH] = "lakh",
	[BAHI_GROUP_NONE] = "none", [BAHI_GROUP_NONE + 1] = NULL,
};

int
bahi_grouping_parse(const char *s, bahi_grouping *out)
{
	if (s == NULL)
		return -1;
	for (int g = BAHI_GROUP_THOUSANDS; g <= BAHI_GROUP_NONE; g++)
		if (strcmp(s, bahi_grouping_names[g]) == 0) {
			*out = (bahi_grouping)g;
			return 0;
		}
	return -1;
}

/* ISO 4217 currencies whose minor unit is not 2 digits. */
static const struct {
	char iso[4];
	int decimals;
} currency_exceptions[] = {
	{ "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 },
	{ "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 },
	{ "UGX", 0 }, { "UYI", 0 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 },
	{ "XOF", 0 }, { "XPF", 0 },
	{ "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 },
	{ "OMR", 3 }, { "TND", 3 },
	{ "CLF", 4 }, { "UYW", 4 },
};

/* Codes match exactly (upper case); anything else, NULL included, is 2. */
int
bahi_currency_decimals(const char *iso)
{
	if (iso == NULL)
		return 2;
	for (size_t i = 0; i < sizeof(currency_exceptions) / sizeof(currency_exceptions[0]); i++)
		if (strcmp(iso, currency_exceptions[i].iso) == 0)
			return currency_exceptions[i].decimals;
	return 2;
}
