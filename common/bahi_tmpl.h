/* bahi_tmpl: a C API over Google ctemplate for the server-rendered admin pages. */
#ifndef BAHI_TMPL_H
#define BAHI_TMPL_H

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

/* Sets the folder template file names are relative to (once per process). */
void bahi_tmpl_set_root(const char *dir);
/* Expands file with d and appends the result to out. 0, or -1 when the
 * template is missing or has an error (logged). */
int bahi_tmpl_render(const char *file, bahi_tmpl_dict *d, struct bahi_buf *out);

#ifdef __cplusplus
}
#endif

#endif
