/* bahi_num: bounded number parsing (strtonum-style) and quantity handling. */
#ifndef BAHI_NUM_H
#define BAHI_NUM_H

#include <stdint.h>

/* Parses a whole decimal integer in [min, max]; no sign junk, no spaces,
 * no trailing characters. 0, or -1 (and *errstr = "invalid" | "too small" |
 * "too large"). errstr may be NULL. */
int bahi_num_parse(const char *s, int64_t min, int64_t max, int64_t *out,
                   const char **errstr);

/* Quantities are numeric(14,3): stored as thousandths in an int64. */
#define BAHI_QTY_SCALE 1000
#define BAHI_QTY_MAX INT64_C(99999999999999)   /* 10^14 - 1 thousandths */

/* Parses "2", "2.5", "0.125" (at most 3 decimals, non-negative) into thousandths.
 * 0, or -1 when malformed, too precise or too large. */
int bahi_qty_parse(const char *s, int64_t *out);
/* From a JSON number (double): accepts only values with at most 3 decimals. */
int bahi_qty_from_double(double v, int64_t *out);
/* Writes thousandths as the shortest decimal ("2", "2.5", "0.125"). */
void bahi_qty_format(int64_t qty, char *buf, int size);

/* v in decimal, as text in pool (statement parameters). */
struct bahi_pool;
char *bahi_num_i64(struct bahi_pool *pool, int64_t v);
/* A signed numeric(14,3) as PostgreSQL prints it ("-2.500", "4") in
 * thousandths; 0 for anything else. */
int64_t bahi_num_qty_of(const char *s);
/* A quantity in thousandths as text in pool, as bahi_qty_format writes it ("-2.5"). */
char *bahi_num_qty(struct bahi_pool *pool, int64_t q);

#endif
