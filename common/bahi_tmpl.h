/* bahi_tmpl: a C API over Google ctemplate for the server-rendered admin pages. */
#ifndef BAHI_TMPL_H
#define BAHI_TMPL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bahi_pool;
struct bahi_buf;

typedef struct bahi_tmpl_dict bahi_tmpl_dict;

/* A new top-level dictionary, freed when the pool is destroyed. */
bahi_tmpl_dict *bahi_tmpl_dict_new(struct bahi_pool *pool);
/* Sets {{key}}; the template's AUTOESCAPE pragma escapes it on output. */
void bahi_tmpl_set(bahi_tmpl_dict *d, const char *key, const char *value);
void bahi_tmpl_set_int(bahi_tmpl_dict *d, const char *key, long long value);
/* Adds one repetition of {{#section}} and returns its dictionary. */
bahi_tmpl_dict *bahi_tmpl_section(bahi_tmpl_dict *d, const char *section);
/* Shows {{#section}} once, using d itself. */
void bahi_tmpl_show(bahi_tmpl_dict *d, const char *section);
/* Fills {{>name}} with the template file `file` and returns its dictionary. */
bahi_tmpl_dict *bahi_tmpl_include(bahi_tmpl_dict *d, const char *name, const char *file);

/* Sets {{key}} in d's template and every template it includes, at any depth. */
void bahi_tmpl_set_global(bahi_tmpl_dict *d, const char *key, const char *value);

/* Sets the folder template file names are relative to (once per process). */
void bahi_tmpl_set_root(const char *dir);

/* Translations: text written [[like this]] in a template is replaced, when a
 * template is first used in a language, by fn's translation (or left in
 * English when fn answers NULL), HTML-escaped. fn gets the language and the
 * marker's text (len bytes, not NUL-terminated). */
typedef const char *(*bahi_tmpl_translate_fn)(const char *lang, const char *msgid, size_t len);
void bahi_tmpl_set_translator(bahi_tmpl_translate_fn fn);
/* The language templates are rendered and included in from now on ("en"). */
void bahi_tmpl_set_lang(const char *lang);
/* file with its markers translated into lang, as the template source text
 * (malloc'd), or NULL when the file cannot be read. Exposed for tests. */
char *bahi_tmpl_translate(const char *file, const char *lang);
/* Expands file with d and appends the result to out. 0, or -1 when the
 * template is missing or has an error (logged). */
int bahi_tmpl_render(const char *file, bahi_tmpl_dict *d, struct bahi_buf *out);

#ifdef __cplusplus
}
#endif

#endif
