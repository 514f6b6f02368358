/* bahi_money: integer minor units, basis-point rates, half-away-from-zero rounding. */
#ifndef BAHI_MONEY_H
#define BAHI_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Largest amount bahi accepts anywhere: 10^15 minor units. */
#define BAHI_MONEY_MAX INT64_C(1000000000000000)

/* num/den rounded half away from zero (den != 0). Exact for all int64 inputs. */
int64_t bahi_round_div(int64_t num, int64_t den);
/* amount * bp / 10000, rounded half away from zero. 0, or -1 on overflow. */
int bahi_money_apply_bp(int64_t amount, int64_t bp, int64_t *out);
/* amount * num / den, rounded half away from zero (den > 0). 0, or -1 on overflow. */
int bahi_money_mul_ratio(int64_t amount, int64_t num, int64_t den, int64_t *out);
/* a + b and a - b with overflow and |result| <= BAHI_MONEY_MAX checks. 0 or -1. */
int bahi_money_add(int64_t a, int64_t b, int64_t *out);
int bahi_money_sub(int64_t a, int64_t b, int64_t *out);

/* Parses a decimal string ("219.20", "-5", "1,234.5" is refused) with at most
 * `decimals` fraction digits into minor units. 0, or -1 when malformed,
 * too precise or beyond BAHI_MONEY_MAX. */
int bahi_money_parse(const char *s, int decimals, int64_t *out);

/* Formats minor units with `decimals` fraction digits, a thousands separator
 * (0 for none) and a prefix symbol (NULL for none): "Rs 1,234.56", "-$5.00".
 * Returns the length written (snprintf-style; output is always terminated). */
int bahi_money_format(int64_t amount, int decimals, const char *symbol,
                      char grouping, char *buf, size_t size);

/* How the integer digits of an amount are grouped (a business setting):
 * THOUSANDS 1,234,567.89; LAKH (South Asian) 12,34,567.89; NONE 1234567.89. */
typedef enum { BAHI_GROUP_THOUSANDS, BAHI_GROUP_LAKH, BAHI_GROUP_NONE } bahi_grouping;

/* The names of the groupings, indexed by bahi_grouping and NULL-terminated
 * (a BAHI_V_ENUM choice list): "thousands", "lakh", "none", the values of
 * businesses.number_grouping. */
extern const char *const bahi_grouping_names[];

/* One of bahi_grouping_names into *out. 0, or -1 (and *out unchanged) for
 * anything else, NULL included. */
int bahi_grouping_parse(const char *s, bahi_grouping *out);

/* bahi_money_format with ',' as the separator placed by g: "Rs 12,34,567.89". */
int bahi_money_format_grouped(int64_t amount, int decimals, const char *symbol,
                              bahi_grouping g, char *buf, size_t size);

/* Minor-unit digits of an ISO 4217 currency (PKR 2, JPY 0, KWD 3; unknown 2). */
int bahi_currency_decimals(const char *iso);

#endif
