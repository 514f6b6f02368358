/* bahi_pdf: invoice PDFs (A4 page, 80 mm thermal receipt) rendered in memory with libharu. */
#ifndef BAHI_PDF_H
#define BAHI_PDF_H

#include <stddef.h>
#include <stdint.h>

/* Layouts. */
#define BAHI_PDF_A4      1   /* A4 portrait, paged, "Page N of M" footer */
#define BAHI_PDF_RECEIPT 2   /* 80 mm wide, one page as tall as the content */

/* One invoice line as printed. Strings are UTF-8 and may be in any script. */
typedef struct bahi_pdf_line {
	const char *name;
	int64_t qty;          /* thousandths (BAHI_QTY_SCALE) */
	int64_t unit_price;   /* minor units */
	int64_t line_total;   /* minor units */
} bahi_pdf_line;

/*
 * Everything an invoice PDF shows. The caller fills it from the stored invoice
 * (nothing is recomputed here). Optional strings may be NULL or "".
 */
typedef struct bahi_pdf_invoice {
	const char *business_name;
	const char *language;         /* "ur": Urdu labels, right-to-left; else English */
	const char *currency;         /* ISO 4217 ("PKR" prints "Rs 1,234.56") */
	const char *number;           /* invoice number as printed ("42") */
	const char *date;             /* business-local issue date, YYYY-MM-DD */
	const char *customer_name;    /* optional */
	const char *customer_phone;   /* optional */
	const bahi_pdf_line *lines;
	size_t nlines;
	int64_t subtotal;             /* all amounts in minor units */
	int64_t discount;             /* printed as a deduction when non-zero */
	int64_t tax_rate_bp;          /* basis points: 1900 prints "(19%)" */
	int64_t tax;                  /* printed when tax or its rate is non-zero */
	int64_t fee;                  /* printed when non-zero */
	int64_t total;
	int64_t paid;
	int64_t credit_applied;       /* printed as a deduction when non-zero */
	int64_t returned;             /* credit notes' total: a deduction when non-zero */
	int64_t amount_due;
	const char *due_date;         /* optional, YYYY-MM-DD */
	const char *status;           /* contract status: "void" and "paid" get a stamp */
} bahi_pdf_invoice;

/*
 * Renders inv in layout (BAHI_PDF_A4 or BAHI_PDF_RECEIPT) and stores the PDF
 * bytes in *out (malloc'd; free() it) and their count in *outlen. Text is
 * drawn with the TrueType font at config key "font_path", embedded; Urdu and
 * Arabic text is shaped and set right to left (bahi_shape). Returns 0, or -1
 * (after logging why) for a bad layout, a missing font or a libharu failure.
 */
int bahi_pdf_render(const bahi_pdf_invoice *inv, int layout,
                    unsigned char **out, size_t *outlen);

/* The symbol amounts in currency iso are printed with ("Rs" for PKR, "$"
 * for USD...; else the ISO code itself; NULL for NULL or ""). */
const char *bahi_pdf_currency_symbol(const char *iso);

/* The layout named by a query value: "a4" or "receipt"; -1 for anything else. */
int bahi_pdf_layout_parse(const char *name);

#endif
