/* bahi_shape: Arabic-script shaping (presentation forms) and bidi reordering for PDF text. */
#ifndef BAHI_SHAPE_H
#define BAHI_SHAPE_H

#include <stddef.h>
#include <stdint.h>

/* Paragraph directions. */
#define BAHI_DIR_LTR 1
#define BAHI_DIR_RTL 2

/* The direction of the first strong character of utf8 (BAHI_DIR_LTR or
 * BAHI_DIR_RTL), or 0 when it has none (digits, punctuation, empty). */
int bahi_shape_direction(const char *utf8);

/*
 * Prepares one line of UTF-8 text for a renderer that neither shapes nor
 * reorders (libharu): Arabic and Urdu letters become their Arabic
 * Presentation Forms-A/B (isolated, initial, medial, final; lam-alef
 * ligatures), and the line is reordered into visual (left-to-right drawing)
 * order by the Unicode bidi algorithm with base direction base_dir
 * (BAHI_DIR_LTR or BAHI_DIR_RTL), mirroring brackets in right-to-left runs
 * and keeping combining marks after their base. Control characters become
 * spaces, malformed UTF-8 becomes U+FFFD, and bidi controls, joiners and the
 * ligature fillers are dropped. Returns a malloc'd UTF-8 string (free() it),
 * or NULL when out of memory.
 */
char *bahi_shape_visual(const char *utf8, int base_dir);

/* Decodes UTF-8 into at most max code points (malformed bytes become
 * U+FFFD); returns how many the text holds (may exceed max). */
size_t bahi_utf8_decode(const char *utf8, uint32_t *out, size_t max);
/* Writes cp (<= U+10FFFF) as UTF-8 into out (room for 4 bytes, not
 * terminated); returns the bytes written. */
size_t bahi_utf8_encode(uint32_t cp, char *out);

#endif
