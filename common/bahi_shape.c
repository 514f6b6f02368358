/* bahi_shape: Arabic-script shaping (presentation forms) and bidi reordering for PDF text. */
#include "bahi_shape.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(_Generic((FriBidiChar)0, uint32_t: 1, default: 0),
    "FriBidiChar is uint32_t");

/* Longest line shaped, in code points; longer text is cut (PDF cells are short). */
#define SHAPE_MAX_CHARS 65536

/* Length of a UTF-8 sequence from its lead byte, 0 for a stray or invalid byte. */
static int
utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* Decodes one code point at s; sets *used (>= 1). Malformed input yields U+FFFD. */
static uint32_t
utf8_next(const unsigned char *s, size_t *used)
{
	int n = utf8_seq_len(s[0]);
	*used = 1;
	if (n == 0)
		return 0xFFFD;
	if (n == 1)
		return s[0];
	uint32_t cp = s[0] & (0x7F >> n);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0xFFFD;   /* also stops at the terminating NUL */
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*used = (size_t)n;
	return cp;
}

size_t
bahi_utf8_decode(const char *utf8, uint32_t *out, size_t max)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = 0;
	while (*s != '\0') {
		size_t used;
		uint32_t cp = utf8_next(s, &used);
		if (n < max)
			out[n] = cp;
		n++;
		s += used;
	}
	return n;
}

size_t
bahi_utf8_encode(uint32_t cp, char *p)
{
	unsigned char *u = (unsigned char *)p;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (unsigned char)(0xF0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Characters that steer shaping or bidi but must not reach the page. */
static int
shape_invisible(uint32_t c)
{
	return c == 0xFEFF                      /* fribidi's lam-alef filler, BOM */
	    || c == 0x061C                      /* Arabic letter mark */
	    || (c >= 0x200B && c <= 0x200F)     /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	    || (c >= 0x202A && c <= 0x202E)     /* embeddings and overrides */
	    || (c >= 0x2066 && c <= 0x2069);    /* isolates */
}

int
bahi_shape_direction(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	while (*s != '\0') {
		size_t used;
		FriBidiCharType t = fribidi_get_bidi_type(utf8_next(s, &used));
		if (FRIBIDI_IS_LETTER(t))
			return FRIBIDI_IS_RTL(t) ? BAHI_DIR_RTL : BAHI_DIR_LTR;
		s += used;
	}
	return 0;
}

/* Working arrays for one line. */
typedef struct shape_line {
	FriBidiChar *str;
	FriBidiCharType *types;
	FriBidiBracketType *brackets;
	FriBidiLevel *levels;
	FriBidiArabicProp *props;
} shape_line;

static void
shape_line_free(shape_line *l)
{
	free(l->str);
	free(l->types);
	free(l->brackets);
	free(l->levels);
	free(l->props);
}

/* Resolves levels, joins and shapes, then reorders l->str (n > 0) in place. 0 or -1. */
static int
shape_run(shape_line *l, FriBidiStrIndex n, int base_dir)
{
	FriBidiFlags flags = FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC;
	FriBidiParType dir = base_dir == BAHI_DIR_RTL ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;

	fribidi_get_bidi_types(l->str, n, l->types);
	fribidi_get_bracket_types(l->str, n, l->types, l->brackets);
	if (fribidi_get_par_embedding_levels_ex(l->types, l->brackets, n, &dir,
	    l->levels) == 0)
		return -1;
	fribidi_get_joining_types(l->str, n, l->props);
	fribidi_join_arabic(l->types, n, l->levels, l->props);
	fribidi_shape(flags, l->levels, n, l->props, l->str);
	if (fribidi_reorder_line(flags, l->types, n, 0, dir, l->levels, l->str,
	    NULL) == 0)
		return -1;
	return 0;
}

/* Encodes the visible code points of str as a malloc'd UTF-8 string. */
static char *
shape_encode(const FriBidiChar *str, size_t n)
{
	char *out = malloc(n * 4 + 1), *p = out;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!shape_invisible(str[i]))
			p += bahi_utf8_encode(str[i], p);
	*p = '\0';
	return out;
}

char *
bahi_shape_visual(const char *utf8, int base_dir)
{
	size_t n = bahi_utf8_decode(utf8, NULL, 0);
	if (n > SHAPE_MAX_CHARS)
		n = SHAPE_MAX_CHARS;
	if (n == 0)
		return strdup("");
	shape_line l = {
		.str = malloc(n * sizeof(*l.str)),
		.types = malloc(n * sizeof(*l.types)),
		.brackets = malloc(n * sizeof(*l.brackets)),
		.levels = malloc(n * sizeof(*l.levels)),
		.props = malloc(n * sizeof(*l.props)),
	};
	char *out = NULL;
	if (l.str && l.types && l.brackets && l.levels && l.props) {
		bahi_utf8_decode(utf8, l.str, n);
		for (size_t i = 0; i < n; i++)
			if (l.str[i] < 0x20 || (l.str[i] >= 0x7F && l.str[i] < 0xA0))
				l.str[i] = ' ';
		if (shape_run(&l, (FriBidiStrIndex)n, base_dir) == 0)
			out = shape_encode(l.str, n);
	}
	shape_line_free(&l);
	return out;
}
