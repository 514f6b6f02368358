/* bahi_i18n: translations of the admin panel's English texts, loaded from gettext .po files. */
#ifndef BAHI_I18N_H
#define BAHI_I18N_H

#include <stddef.h>

/* Loads every dir/<lang>/<file>.po (lang: a subdirectory name such as "ur"; "en",
 * the language of the msgids, is not loaded), replacing what was loaded. 0, or
 * -1 with the file and line of the first syntax error logged (bahi_log_error);
 * on failure what was loaded before stays. Files are read in name order; a
 * msgid given twice in one language keeps the last translation. Not
 * thread-safe: a process loads once, before serving. */
int bahi_i18n_load(const char *dir);

/* The translation of msgid (len bytes, not NUL-terminated) in lang, or NULL
 * when lang has none (untranslated, empty msgstr, fuzzy entry, unknown
 * language, "en"). O(1), allocates nothing; valid until the next load. */
const char *bahi_i18n_lookup(const char *lang, const char *msgid, size_t len);

/* msgid's translation, or msgid itself. */
const char *bahi_i18n_get(const char *lang, const char *msgid);

/* 1 for the right-to-left languages bahi may show ("ur", "ar", "fa", "he"), else 0. */
int bahi_i18n_is_rtl(const char *lang);

/* Parses one .po text (len bytes, UTF-8), calling put for every translated
 * entry with NUL-terminated strings valid during the call: skips the header
 * (msgid ""), fuzzy entries, empty msgstr and obsolete "#~" entries; msgctxt
 * is ignored; a plural entry gives msgstr[0]. Handles continuation lines, the
 * escapes \n \t \r \" \\, CRLF line ends and a leading BOM; other escapes,
 * invalid UTF-8 and control characters other than tab are errors. 0, or -1 with
 * *err_line set to the 1-based line of the first syntax error (0 when out of
 * memory); entries that ended before the error have been put. */
int bahi_i18n_parse(const char *text, size_t len,
                    void (*put)(void *ctx, const char *msgid, const char *msgstr),
                    void *ctx, int *err_line);

#endif
