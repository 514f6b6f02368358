/* bahi_csv: reads uploaded CSV (libcsv) into rows mapped by header name, checks fields, collects row errors; writes CSV fields. */
#include "bahi_csv.h"

#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_valid.h"

#define MAX_HEADER_FIELDS 64

/* Stands for a field whose bytes were refused (already reported): the
 * checkers then report nothing more about it. */
static const char bad_field[] = "";

/* What the libcsv callbacks build. */
typedef struct csv_state {
	bahi_csv *c;
	size_t max_rows;
	long rec;              /* records ended so far, blank ones included */
	int nfields;           /* fields of the current record */
	int nonempty;          /* the current record has a non-empty field */
	int last_term;         /* what ended the previous record */
	int have_header;
	int nhdr;
	const char *hdr[MAX_HEADER_FIELDS];   /* normalised header names */
	int map[MAX_HEADER_FIELDS];           /* header position -> column, or -1 */
	int too_many;          /* the current record has values past the header */
	int stop;              /* the row limit was reached */
	bahi_csv_row cur;
	bahi_csv_row *rows;    /* malloc'd while parsing */
	size_t cap;
	int oom;
} csv_state;

static const char *
col_field(bahi_csv *c, const bahi_csv_row *r, int col)
{
	if (r == NULL)
		return col >= 0 ? bahi_pool_printf(c->pool, "columns.%s", c->cols[col].name) : "file";
	if (col < 0)
		return bahi_pool_printf(c->pool, "rows[%ld]", r->row);
	return bahi_pool_printf(c->pool, "rows[%ld].%s", r->row, c->cols[col].name);
}

/* Keeps an error until bahi_csv_finish lists them in row order. */
static void
add_error(bahi_csv *c, long row, const char *field, const char *code, const char *message)
{
	bahi_csv_err *e = bahi_pool_alloc(c->pool, sizeof(*e));
	*e = (bahi_csv_err){c->pending, row, c->nerrors++, field, code, message};
	c->pending = e;
}

void
bahi_csv_error(bahi_csv *c, bahi_csv_row *r, int col, const char *code, const char *message)
{
	if (r != NULL && !r->bad) {
		r->bad = 1;
		c->nbad_rows++;
	}
	add_error(c, r ? r->row : 0, col_field(c, r, col), code, message);
}

/* An error about the file or header that names no declared column. */
static void
file_error(bahi_csv *c, const char *field, const char *code, const char *message)
{
	add_error(c, 0, field, code, message);
}

/* The header name as the columns are declared: lower case, ' ' and '-' as '_'. */
static char *
normalise_name(bahi_pool *pool, const char *s, size_t len)
{
	char *n = bahi_pool_strndup(pool, s, len);
	for (char *p = n; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (*p == ' ' || *p == '-')
			*p = '_';
	}
	return n;
}

static void
header_field(csv_state *st, const char *s, size_t len)
{
	bahi_csv *c = st->c;
	if (len > 0)
		st->nonempty = 1;
	if (st->nhdr == MAX_HEADER_FIELDS) {
		if (len > 0 && st->too_many++ == 0)
			file_error(c, "columns", "too_many_columns", bahi_pool_printf(c->pool,
			           "The header has more than %d columns.", MAX_HEADER_FIELDS));
		return;
	}
	if (memchr(s, '\0', len) != NULL || !bahi_valid_utf8(bahi_pool_strndup(c->pool, s, len), 0,
	                                                      NULL)) {
		file_error(c, "columns", "invalid_encoding",
		           "The header row is not UTF-8 text; save the file as \"CSV UTF-8\".");
		s = "", len = 0;
	}
	st->hdr[st->nhdr++] = normalise_name(c->pool, s, len);
}

/* Maps the header's names to the declared columns and reports unknown,
 * repeated and missing ones. */
static void
header_done(csv_state *st)
{
	bahi_csv *c = st->c;
	for (int i = 0; i < st->nhdr; i++) {
		st->map[i] = -1;
		if (st->hdr[i][0] == '\0')
			continue;   /* an unnamed column (a trailing separator) is ignored */
		int col = 0;
		while (col < c->ncols && strcmp(c->cols[col].name, st->hdr[i]) != 0)
			col++;
		if (col == c->ncols) {
			file_error(c, bahi_pool_printf(c->pool, "columns.%s", st->hdr[i]), "unknown_column",
			           "Is not a column of this file; see the documented columns.");
		} else if (c->present[col]) {
			bahi_csv_error(c, NULL, col, "duplicate_column", "The header names this column twice.");
		} else {
			c->present[col] = 1;
			st->map[i] = col;
		}
	}
	for (int col = 0; col < c->ncols; col++)
		if (!c->present[col] && (c->cols[col].flags & BAHI_CSV_REQUIRED))
			bahi_csv_error(c, NULL, col, "missing_column", "The header must have this column.");
	st->have_header = 1;
}

/* One field of a data row: checked to be UTF-8 and stored under its column. */
static void
row_field(csv_state *st, const char *s, size_t len)
{
	bahi_csv *c = st->c;
	int idx = st->nfields - 1;
	if (len > 0)
		st->nonempty = 1;
	if (idx >= st->nhdr) {
		st->too_many |= len > 0;
		return;
	}
	int col = st->map[idx];
	if (col < 0 || len == 0)
		return;
	if (s[0] == '\'') {
		s++;
		len--;
	}
	char *v = bahi_pool_strndup(c->pool, s, len);
	if (memchr(s, '\0', len) != NULL || !bahi_valid_utf8(v, 1, NULL)) {
		bahi_csv_error(c, &st->cur, col, "invalid_encoding",
		               "Is not UTF-8 text; save the file as \"CSV UTF-8\".");
		st->cur.v[col] = bad_field;
		return;
	}
	st->cur.v[col] = v;
}

static void
on_field(void *s, size_t len, void *data)
{
	csv_state *st = data;
	if (st->stop || st->oom)
		return;
	if (st->nfields++ == 0 && st->have_header) {
		st->cur.row = st->rec + 1;
		st->cur.v = bahi_pool_calloc(st->c->pool, (size_t)st->c->ncols, sizeof(char *));
		st->cur.bad = 0;
	}
	if (!st->have_header)
		header_field(st, s, len);
	else
		row_field(st, s, len);
}

/* Keeps the finished data row (blank rows are dropped). */
static void
row_done(csv_state *st)
{
	bahi_csv *c = st->c;
	if (st->too_many)
		bahi_csv_error(c, &st->cur, -1, "too_many_fields",
		               "The row has more fields than the header has columns.");
	if (c->nrows == st->max_rows) {
		file_error(c, "rows", "too_many_rows", bahi_pool_printf(c->pool,
		           "The file has more than %zu rows; split it into smaller files.", st->max_rows));
		st->stop = 1;
		return;
	}
	if (c->nrows == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 256;
		bahi_csv_row *n = realloc(st->rows, ncap * sizeof(*n));
		if (n == NULL) {
			st->oom = 1;
			return;
		}
		st->rows = n;
		st->cap = ncap;
	}
	st->rows[c->nrows++] = st->cur;
}

static void
on_record(int term, void *data)
{
	csv_state *st = data;
	if (st->stop || st->oom)
		return;
	/* libcsv reports CR and LF apart (CSV_REPALL_NL): CRLF ends one row */
	if (term == '\n' && st->last_term == '\r' && st->nfields == 0) {
		st->last_term = term;
		return;
	}
	st->last_term = term;
	st->rec++;
	if (!st->have_header) {
		if (st->nonempty)
			header_done(st);
		else
			st->nhdr = 0;
	} else if (st->nonempty) {
		row_done(st);
	}
	st->nfields = 0;
	st->nonempty = 0;
	st->too_many = 0;
}

/* ',' or ';': whichever appears more often outside quotes on the first line. */
static char
detect_delim(const char *data, size_t len)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && (data[i] == '\n' || data[i] == '\r'))
			break;
		else if (!quoted && data[i] == ',')
			commas++;
		else if (!quoted && data[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

/* Runs libcsv over the data; a quoting error is reported on its row. */
static void
run_parser(csv_state *st, const char *data, size_t len)
{
	bahi_csv *c = st->c;
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
		st->oom = 1;
		return;
	}
	csv_set_delim(&p, (unsigned char)c->delim);
	size_t done = csv_parse(&p, data, len, on_field, on_record, st);
	int failed = done != len || csv_fini(&p, on_field, on_record, st) != 0;
	if (failed && csv_error(&p) == CSV_EPARSE && !st->stop) {
		bahi_csv_row at = {.row = st->rec + 1, .v = NULL, .bad = 0};
		bahi_csv_error(c, st->have_header ? &at : NULL, -1, "malformed_csv",
		               "The quotes do not balance: a quote inside an unquoted field, text "
		               "after a closing quote, or a quoted field that never ends.");
	} else if (failed && !st->stop) {
		st->oom = 1;
	}
	csv_free(&p);
}

/* Rejects what cannot be a UTF-8 CSV at all (empty, UTF-16); skips a BOM. */
static int
check_start(bahi_csv *c, const char **data, size_t *len)
{
	const unsigned char *u = (const unsigned char *)*data;
	if (*len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
		file_error(c, "file", "invalid_encoding",
		           "The file is UTF-16; save it as \"CSV UTF-8\".");
		return -1;
	}
	if (*len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		*data += 3;
		*len -= 3;
	}
	return 0;
}

int
bahi_csv_parse(bahi_csv *c, bahi_pool *pool, bahi_problem *problem, const char *data,
               size_t len, const bahi_csv_col *cols, int ncols, size_t max_rows)
{
	memset(c, 0, sizeof(*c));
	c->pool = pool;
	c->problem = problem;
	c->cols = cols;
	c->ncols = ncols;
	c->present = bahi_pool_calloc(pool, (size_t)ncols + 1, sizeof(int));
	if (check_start(c, &data, &len) != 0)
		return -1;
	c->delim = detect_delim(data, len);
	csv_state *st = bahi_pool_calloc(pool, 1, sizeof(*st));
	st->c = c;
	st->max_rows = max_rows;
	run_parser(st, data, len);
	if (st->oom) {
		free(st->rows);
		c->nrows = 0;
		file_error(c, "file", "too_large", "The file is too large to read.");
		return -1;
	}
	c->rows = bahi_pool_calloc(pool, c->nrows + 1, sizeof(*c->rows));
	if (c->nrows > 0)
		memcpy(c->rows, st->rows, c->nrows * sizeof(*c->rows));
	free(st->rows);
	if (!st->have_header)
		file_error(c, "file", "empty", "The file is empty; the first row must name the columns.");
	else if (c->nrows == 0 && !st->stop && c->nerrors == 0)
		file_error(c, "file", "no_rows", "The file has a header but no data rows.");
	return c->nerrors ? -1 : 0;
}

/* An empty field: an error when the column must be filled. */
static int
empty_field(bahi_csv *c, bahi_csv_row *r, int col)
{
	if ((c->cols[col].flags & BAHI_CSV_REQUIRED) && c->present[col])
		bahi_csv_error(c, r, col, "required", "Must be filled in.");
	return 0;
}

int
bahi_csv_text(bahi_csv *c, bahi_csv_row *r, int col, size_t max_chars, const char **out)
{
	const char *s = r->v[col];
	size_t chars;
	if (s == bad_field)
		return -1;
	if (s == NULL)
		return empty_field(c, r, col);
	if (!bahi_valid_utf8(s, 0, &chars)) {
		bahi_csv_error(c, r, col, "invalid_text",
		               "Must be one line of text without control characters.");
		return -1;
	}
	if (chars > max_chars) {
		bahi_csv_error(c, r, col, "too_long", bahi_pool_printf(c->pool,
		               "Must be at most %zu characters.", max_chars));
		return -1;
	}
	*out = s;
	return 1;
}

/* A numeric field as a plain decimal into *out: a semicolon file's decimal
 * comma ("120,50") becomes a point. 1; 0 for an empty field (as empty_field
 * reports it); -1 for a bad one. */
static int
decimal_field(bahi_csv *c, bahi_csv_row *r, int col, const char **out)
{
	const char *s = r->v[col];
	if (s == NULL)
		return empty_field(c, r, col);
	if (s == bad_field)
		return -1;
	const char *comma = strchr(s, ',');
	*out = s;
	if (c->delim != ';' || comma == NULL || strchr(s, '.') != NULL ||
	    strchr(comma + 1, ',') != NULL)
		return 1;
	char *d = bahi_pool_strdup(c->pool, s);
	d[comma - s] = '.';
	*out = d;
	return 1;
}

int
bahi_csv_money(bahi_csv *c, bahi_csv_row *r, int col, int decimals, int64_t *out)
{
	const char *s;
	int64_t v;
	int given = decimal_field(c, r, col, &s);
	if (given != 1)
		return given;
	if (bahi_money_parse(s, decimals, &v) != 0) {
		bahi_csv_error(c, r, col, "invalid_money", bahi_pool_printf(c->pool,
		               "Must be an amount such as %s, without currency or thousands separators.",
		               decimals == 0 ? "120" : decimals == 3 ? "120.500" : "120.50"));
		return -1;
	}
	if (v < 0) {
		bahi_csv_error(c, r, col, "must_not_be_negative", "Must not be negative.");
		return -1;
	}
	*out = v;
	return 1;
}

int
bahi_csv_qty(bahi_csv *c, bahi_csv_row *r, int col, int positive, int64_t *out)
{
	const char *s;
	int64_t v;
	int given = decimal_field(c, r, col, &s);
	if (given != 1)
		return given;
	int neg = s[0] == '-';
	if (bahi_qty_parse(s + neg, &v) != 0) {
		bahi_csv_error(c, r, col, "invalid_quantity",
		               "Must be a number with at most 3 decimals, such as 12 or 2.5.");
		return -1;
	}
	if ((neg && v != 0) || (positive && v == 0)) {
		bahi_csv_error(c, r, col, positive ? "must_be_positive" : "must_not_be_negative",
		               positive ? "Must be more than 0." : "Must not be negative.");
		return -1;
	}
	*out = v;
	return 1;
}

static int
err_cmp(const void *a, const void *b)
{
	const bahi_csv_err *x = *(bahi_csv_err *const *)a, *y = *(bahi_csv_err *const *)b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Moves the kept errors to the problem: the file's and header's first, then
 * row by row, each row's in the order found. */
static void
flush_errors(bahi_csv *c)
{
	size_t n = 0;
	for (bahi_csv_err *e = c->pending; e != NULL; e = e->next)
		n++;
	if (n == 0)
		return;
	bahi_csv_err **v = bahi_pool_calloc(c->pool, n, sizeof(*v));
	n = 0;
	for (bahi_csv_err *e = c->pending; e != NULL; e = e->next)
		v[n++] = e;
	qsort(v, n, sizeof(*v), err_cmp);
	for (size_t i = 0; i < n; i++)
		bahi_problem_field(c->problem, v[i]->field, v[i]->code, v[i]->message);
	c->pending = NULL;
}

int
bahi_csv_finish(bahi_csv *c)
{
	flush_errors(c);
	if (c->nerrors == 0)
		return 0;
	const char *rows = c->nbad_rows == 1 ? "1 row has" :
	                   bahi_pool_printf(c->pool, "%zu rows have", c->nbad_rows);
	if (c->nbad_rows == 0)
		c->problem->detail = "The file cannot be imported; nothing was stored.";
	else if (c->problem->nerrors_dropped > 0)
		c->problem->detail = bahi_pool_printf(c->pool, "%s errors (%zu in all, the first %zu "
		                                      "listed); nothing was stored.", rows, c->nerrors,
		                                      c->problem->nerrors);
	else
		c->problem->detail = bahi_pool_printf(c->pool, "%s errors; nothing was stored.", rows);
	return -1;
}

/* 1 when a spreadsheet would take text starting so for a formula, or when it
 * starts with the apostrophe the reader removes. */
static int
needs_mark(const char *v)
{
	return v[0] != '\0' && strchr("=+-@\t\r'", v[0]) != NULL;
}

int
bahi_csv_put(bahi_buf *b, int first, const char *value, int is_text)
{
	int rc = first ? 0 : bahi_buf_putc(b, ',');
	if (value == NULL || value[0] == '\0')
		return rc;
	size_t n = strlen(value);
	/* libcsv trims unquoted spaces, so padded text is quoted to survive */
	int quote = strpbrk(value, ",;\"\r\n") != NULL || value[0] == ' ' || value[0] == '\t' ||
	            value[n - 1] == ' ' || value[n - 1] == '\t';
	if (quote)
		rc |= bahi_buf_putc(b, '"');
	if (is_text && needs_mark(value))
		rc |= bahi_buf_putc(b, '\'');
	for (const char *q; (q = strchr(value, '"')) != NULL; value = q + 1)
		rc |= bahi_buf_append(b, value, (size_t)(q - value + 1)) | bahi_buf_putc(b, '"');
	rc |= bahi_buf_puts(b, value);
	if (quote)
		rc |= bahi_buf_putc(b, '"');
	return rc ? -1 : 0;
}

int
bahi_csv_end_row(bahi_buf *b)
{
	return bahi_buf_puts(b, "\r\n");
}
