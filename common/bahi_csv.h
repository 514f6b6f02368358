/* bahi_csv: uploaded CSV files read with libcsv into checked rows with row-by-row errors, and CSV writing. */
#ifndef BAHI_CSV_H
#define BAHI_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "bahi_buf.h"
#include "bahi_pool.h"
#include "bahi_problem.h"

/* Column flag: the header must name the column and every row must fill it. */
#define BAHI_CSV_REQUIRED 0x01u

/* A column the reader expects, named as in the header after normalising:
 * lower case, spaces and hyphens as '_' ("Buy Price" is buy_price). */
typedef struct bahi_csv_col {
	const char *name;
	unsigned flags;
} bahi_csv_col;

/* One data row. */
typedef struct bahi_csv_row {
	long row;              /* as a spreadsheet numbers it: the header is row 1 */
	const char **v;        /* per declared column: NULL when empty or absent */
	int bad;               /* an error was reported for this row */
} bahi_csv_row;

/* An error kept for bahi_csv_finish. */
typedef struct bahi_csv_err {
	struct bahi_csv_err *next;
	long row;              /* 0: the file or header */
	size_t seq;
	const char *field, *code, *message;
} bahi_csv_err;

/* A parsed file. Errors are kept until bahi_csv_finish adds them to problem
 * in row order, as field errors named "rows[7].qty" (a row's field),
 * "rows[7]" (the row), "columns.qty" (the header), "rows" or "file"; past
 * the problem's list they are still counted. */
typedef struct bahi_csv {
	bahi_pool *pool;
	bahi_problem *problem;
	const bahi_csv_col *cols;
	int ncols;
	int *present;          /* per declared column: 1 when the header names it */
	char delim;            /* ',' or ';' (the header line decides) */
	size_t nrows;
	bahi_csv_row *rows;
	size_t nerrors;        /* every error reported, listed or not */
	size_t nbad_rows;      /* rows with at least one error */
	bahi_csv_err *pending; /* reported, not yet in problem */
} bahi_csv;

/* Reads data (len bytes: UTF-8, a BOM allowed; comma or semicolon separated;
 * RFC 4180 quoting, line breaks inside quotes, CRLF or LF): the header row
 * mapped to cols by name (case-insensitive; unknown, repeated or missing
 * required columns are errors), then at most max_rows data rows (blank rows
 * skipped). Each field is checked to be UTF-8 without NUL; one leading
 * apostrophe (the spreadsheet text marker bahi_csv_put writes before
 * formula-like text) is removed. 0 when nothing was wrong, -1 when errors
 * were reported (the rows read are filled all the same). */
int bahi_csv_parse(bahi_csv *c, bahi_pool *pool, bahi_problem *problem, const char *data,
                   size_t len, const bahi_csv_col *cols, int ncols, size_t max_rows);

/* Reports an error about row r (NULL: the file) in column col (-1: the whole
 * row), marking the row bad. */
void bahi_csv_error(bahi_csv *c, bahi_csv_row *r, int col, const char *code,
                    const char *message);

/* Field checkers: 1 when column col of row r holds a valid value (*out set),
 * 0 when it is empty (an error "required" for a BAHI_CSV_REQUIRED column),
 * -1 when it is invalid (the error reported). */
/* Single-line text of 1..max_chars characters. */
int bahi_csv_text(bahi_csv *c, bahi_csv_row *r, int col, size_t max_chars, const char **out);
/* Decimal money ("120.50") with at most `decimals` fraction digits, >= 0,
 * into minor units. */
int bahi_csv_money(bahi_csv *c, bahi_csv_row *r, int col, int decimals, int64_t *out);
/* A quantity with at most 3 decimals into thousandths; > 0 when positive,
 * else >= 0. */
int bahi_csv_qty(bahi_csv *c, bahi_csv_row *r, int col, int positive, int64_t *out);

/* Adds the errors reported so far to the problem (the file's and header's
 * first, then by row). 0 when there were none at all; else -1 and the
 * problem's detail says how many rows are wrong and whether the list was
 * cut short. */
int bahi_csv_finish(bahi_csv *c);

/* Appends one field to b, preceded by a comma unless it is the row's first:
 * RFC 4180 quoting (also of ';' and of leading or trailing blanks, which
 * readers trim), and text starting with = + - @ tab CR (a formula to a
 * spreadsheet) or an apostrophe gets a leading apostrophe, which
 * bahi_csv_parse removes again. NULL is an empty field. 0, or -1 when b's
 * cap is reached. */
int bahi_csv_put(bahi_buf *b, int first, const char *value, int is_text);
/* Ends a row (CRLF). */
int bahi_csv_end_row(bahi_buf *b);

#endif
