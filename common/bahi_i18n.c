/* bahi_i18n: a gettext .po parser and one open-addressing hash table of translations per language. */
#include "bahi_i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bahi_log.h"

/* A .po file larger than this is refused (the admin panel's has a few hundred entries). */
#define PO_MAX_FILE (16 * 1024 * 1024)

/* ------------------------------------------------------------ the parser */

/* A growable NUL-terminated string. */
typedef struct po_str {
	char *p;
	size_t len, cap;
} po_str;

/* Where the parser is in an entry: before it, after msgctxt, after msgid,
 * after msgid_plural, after a msgstr (the entry may end at the next line). */
enum po_state { PO_IDLE, PO_CTXT, PO_ID, PO_PLURAL, PO_STR };

typedef struct po_parser {
	void (*put)(void *ctx, const char *msgid, const char *msgstr);
	void *ctx;
	po_str id, str, skip;     /* skip takes msgctxt, msgid_plural, msgstr[n > 0] */
	po_str *cur;              /* where continuation lines go; NULL before a keyword */
	enum po_state state;
	int fuzzy;                /* "#, fuzzy" seen before this entry */
	int plural_next;          /* the n the next msgstr[n] must have; 0: not plural */
	int line, entry_line, err_line;
	const char *why;          /* what the syntax error is */
} po_parser;

/* Records a syntax error at the current line. Always -1. */
static int
po_err(po_parser *ps, const char *why)
{
	ps->err_line = ps->line;
	ps->why = why;
	return -1;
}

/* Appends n bytes; -1 (err_line 0) when out of memory. */
static int
po_add(po_parser *ps, po_str *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 64;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *np = realloc(s->p, cap);
		if (np == NULL) {
			ps->err_line = 0;
			ps->why = "out of memory";
			return -1;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
	return 0;
}

/* Empties s (keeping its memory) so that s->p is "" after it. */
static int
po_clear(po_parser *ps, po_str *s)
{
	s->len = 0;
	return po_add(ps, s, "", 0);
}

/* 1 when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else
			return 0;
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (unsigned k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* The byte an escape letter stands for, or -1 for an escape bahi refuses. */
static int
po_unescape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '"': return '"';
	case '\\': return '\\';
	default: return -1;
	}
}

/*
 * Reads one quoted string from l[0..n) (leading blanks allowed, nothing but
 * blanks after it) and appends its decoded text to out.
 */
static int
po_string(po_parser *ps, const char *l, size_t n, po_str *out)
{
	size_t i = 0, start;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i == n || l[i] != '"')
		return po_err(ps, "expected a quoted string");
	start = out->len;
	for (i++; i < n && l[i] != '"'; i++) {
		char c = l[i];
		if (c == '\\') {
			int e = i + 1 < n ? po_unescape(l[++i]) : -1;
			if (e < 0)
				return po_err(ps, "unknown escape (use \\n \\t \\r \\\" \\\\)");
			c = (char)e;
		} else if ((unsigned char)c < 0x20 && c != '\t')
			return po_err(ps, "control character in a string");
		if (po_add(ps, out, &c, 1) != 0)
			return -1;
	}
	if (i == n)
		return po_err(ps, "unterminated string");
	if (!utf8_valid((const unsigned char *)out->p + start, out->len - start))
		return po_err(ps, "invalid UTF-8");
	for (i++; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t')
			return po_err(ps, "text after the closing quote");
	return 0;
}

/* Ends the entry after its msgstr: hands it to put when it is a translation. */
static void
po_flush(po_parser *ps)
{
	if (ps->state == PO_STR && !ps->fuzzy && ps->id.len > 0 && ps->str.len > 0)
		ps->put(ps->ctx, ps->id.p, ps->str.p);
	ps->state = PO_IDLE;
	ps->fuzzy = 0;
	ps->plural_next = 0;
	ps->cur = NULL;
}

/* 1 when the flags of a "#," line (comma-separated) include "fuzzy". */
static int
has_fuzzy_flag(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == ','))
			i++;
		size_t s = i;
		while (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != ',')
			i++;
		if (i - s == 5 && memcmp(l + s, "fuzzy", 5) == 0)
			return 1;
	}
	return 0;
}

/* A '#' line: ends an entry after its msgstr, is refused inside one. Obsolete
 * "#~" lines are skipped, and with them any flags they came after. */
static int
po_comment(po_parser *ps, const char *l, size_t n)
{
	if (ps->state == PO_STR)
		po_flush(ps);
	else if (ps->state != PO_IDLE)
		return po_err(ps, "comment inside an entry");
	if (n >= 2 && l[1] == '~')
		ps->fuzzy = 0;
	else if (n >= 2 && l[1] == ',')
		ps->fuzzy |= has_fuzzy_flag(l + 2, n - 2);
	return 0;
}

/* Reads "[n]" after msgstr into *idx; returns the bytes taken, 0 when malformed. */
static size_t
po_index(const char *l, size_t n, int *idx)
{
	size_t i = 1;
	long v = 0;
	if (n < 3 || l[0] != '[')
		return 0;
	for (; i < n && l[i] >= '0' && l[i] <= '9' && v < 1000; i++)
		v = v * 10 + (l[i] - '0');
	if (i == 1 || i == n || l[i] != ']')
		return 0;
	*idx = (int)v;
	return i + 1;
}

/* Moves to the state a keyword starts and picks (and empties) the string it fills. */
static int
po_enter(po_parser *ps, const char *kw, size_t k, int idx)
{
	if (ps->state == PO_STR && idx < 0 &&
	    ((k == 7 && memcmp(kw, "msgctxt", 7) == 0) || (k == 5 && memcmp(kw, "msgid", 5) == 0)))
		po_flush(ps);
	if (k == 7 && memcmp(kw, "msgctxt", 7) == 0 && idx < 0 && ps->state == PO_IDLE) {
		ps->state = PO_CTXT;
		ps->entry_line = ps->line;
		ps->cur = &ps->skip;
	} else if (k == 5 && memcmp(kw, "msgid", 5) == 0 && idx < 0 &&
	           (ps->state == PO_IDLE || ps->state == PO_CTXT)) {
		if (ps->state == PO_IDLE)
			ps->entry_line = ps->line;
		ps->state = PO_ID;
		ps->cur = &ps->id;
		if (po_clear(ps, &ps->str) != 0)
			return -1;
	} else if (k == 12 && memcmp(kw, "msgid_plural", 12) == 0 && idx < 0 && ps->state == PO_ID) {
		ps->state = PO_PLURAL;
		ps->cur = &ps->skip;
	} else if (k == 6 && memcmp(kw, "msgstr", 6) == 0 && idx < 0 && ps->state == PO_ID) {
		ps->state = PO_STR;
		ps->cur = &ps->str;
	} else if (k == 6 && memcmp(kw, "msgstr", 6) == 0 && idx >= 0 &&
	           ((ps->state == PO_PLURAL && idx == 0) ||
	            (ps->state == PO_STR && ps->plural_next > 0 && idx == ps->plural_next))) {
		ps->state = PO_STR;
		ps->plural_next = idx + 1;
		ps->cur = idx == 0 ? &ps->str : &ps->skip;
	} else
		return po_err(ps, "unexpected keyword");
	return po_clear(ps, ps->cur);
}

/* A keyword line: msgctxt, msgid, msgid_plural, msgstr or msgstr[n], then a string. */
static int
po_keyword(po_parser *ps, const char *l, size_t n)
{
	size_t k = 0, used;
	int idx = -1;
	while (k < n && ((l[k] >= 'a' && l[k] <= 'z') || l[k] == '_'))
		k++;
	used = k;
	if (k < n && l[k] == '[') {
		size_t t = po_index(l + k, n - k, &idx);
		if (t == 0)
			return po_err(ps, "malformed msgstr[n]");
		used += t;
	}
	if (po_enter(ps, l, k, idx) != 0)
		return -1;
	return po_string(ps, l + used, n - used, ps->cur);
}

/* One line, without its line end. */
static int
po_line(po_parser *ps, const char *l, size_t n)
{
	while (n > 0 && (*l == ' ' || *l == '\t')) {
		l++;
		n--;
	}
	if (n == 0)
		return 0;
	if (*l == '#')
		return po_comment(ps, l, n);
	if (*l == '"') {
		if (ps->cur == NULL)
			return po_err(ps, "string without a keyword");
		return po_string(ps, l, n, ps->cur);
	}
	return po_keyword(ps, l, n);
}

/* The parse, with a reason for the error in *why. */
static int
po_parse(const char *text, size_t len,
         void (*put)(void *ctx, const char *msgid, const char *msgstr),
         void *ctx, int *err_line, const char **why)
{
	po_parser ps = {.put = put, .ctx = ctx};
	size_t off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	int rc = po_clear(&ps, &ps.id) | po_clear(&ps, &ps.str) | po_clear(&ps, &ps.skip);

	while (rc == 0 && off < len) {
		const char *l = text + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - l) : len - off;
		off += n + (nl != NULL);
		ps.line++;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		rc = po_line(&ps, l, n);
	}
	if (rc == 0 && ps.state == PO_STR)
		po_flush(&ps);
	else if (rc == 0 && ps.state != PO_IDLE) {
		ps.err_line = ps.entry_line;
		ps.why = "entry without msgstr";
		rc = -1;
	}
	free(ps.id.p);
	free(ps.str.p);
	free(ps.skip.p);
	if (rc != 0) {
		*err_line = ps.err_line;
		*why = ps.why;
	}
	return rc != 0 ? -1 : 0;
}

int
bahi_i18n_parse(const char *text, size_t len,
                void (*put)(void *ctx, const char *msgid, const char *msgstr),
                void *ctx, int *err_line)
{
	const char *why;
	return po_parse(text, len, put, ctx, err_line, &why);
}

/* ------------------------------------------------------------ the tables */

/* One translation: key and value share one allocation, key first. */
typedef struct i18n_slot {
	char *key;              /* NULL: empty slot */
	const char *val;
	size_t klen;
	uint64_t hash;
} i18n_slot;

/* One language: linear probing, cap a power of two, count <= cap / 2. */
typedef struct i18n_lang {
	char name[16];
	i18n_slot *slots;
	size_t cap, count;
} i18n_lang;

typedef struct i18n_set {
	i18n_lang *langs;
	size_t n;
} i18n_set;

static i18n_set loaded;

/* FNV-1a, 64 bits. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The slot holding key, or the empty slot where it would go (cap > 0). */
static i18n_slot *
lang_slot(const i18n_lang *lg, const char *key, size_t klen, uint64_t h)
{
	size_t mask = lg->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		i18n_slot *s = &lg->slots[i];
		if (s->key == NULL ||
		    (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0))
			return s;
	}
}

/* Doubles the table (64 slots at first), moving every entry. */
static int
lang_grow(i18n_lang *lg)
{
	i18n_lang bigger = *lg;
	bigger.cap = lg->cap ? lg->cap * 2 : 64;
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return -1;
	for (size_t i = 0; i < lg->cap; i++)
		if (lg->slots[i].key != NULL)
			*lang_slot(&bigger, lg->slots[i].key, lg->slots[i].klen,
			           lg->slots[i].hash) = lg->slots[i];
	free(lg->slots);
	*lg = bigger;
	return 0;
}

/* Adds or replaces msgid's translation. 0, or -1 when out of memory. */
static int
lang_put(i18n_lang *lg, const char *msgid, const char *msgstr)
{
	size_t klen = strlen(msgid), vlen = strlen(msgstr);
	if ((lg->count + 1) * 2 > lg->cap && lang_grow(lg) != 0)
		return -1;
	char *kv = malloc(klen + vlen + 2);
	if (kv == NULL)
		return -1;
	memcpy(kv, msgid, klen + 1);
	memcpy(kv + klen + 1, msgstr, vlen + 1);
	uint64_t h = hash_bytes(msgid, klen);
	i18n_slot *s = lang_slot(lg, msgid, klen, h);
	if (s->key != NULL)
		free(s->key);
	else
		lg->count++;
	*s = (i18n_slot){.key = kv, .val = kv + klen + 1, .klen = klen, .hash = h};
	return 0;
}

static void
set_free(i18n_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		for (size_t k = 0; k < set->langs[i].cap; k++)
			free(set->langs[i].slots[k].key);
		free(set->langs[i].slots);
	}
	free(set->langs);
	*set = (i18n_set){NULL, 0};
}

/* ------------------------------------------------------------ loading */

/* What put fills while one file is parsed. */
typedef struct load_ctx {
	i18n_lang *lang;
	int oom;
} load_ctx;

static void
load_put(void *ctx, const char *msgid, const char *msgstr)
{
	load_ctx *lc = ctx;
	if (lang_put(lc->lang, msgid, msgstr) != 0)
		lc->oom = 1;
}

/* dir "/" name into path; -1 (logged) when it does not fit. */
static int
path_join(char *path, size_t size, const char *dir, const char *name)
{
	int n = snprintf(path, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size) {
		bahi_log_error(NULL, "i18n: path too long: %s/%s", dir, name);
		return -1;
	}
	return 0;
}

/* The whole file in a malloc'd buffer. -1 (logged) when unreadable or too big. */
static int
read_whole(const char *path, char **text, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		bahi_log_error(NULL, "i18n: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size > PO_MAX_FILE) {
		bahi_log_error(NULL, "i18n: %s: larger than %d bytes", path, PO_MAX_FILE);
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	while (buf != NULL && got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (buf == NULL || got < size) {
		bahi_log_error(NULL, "i18n: %s: could not read", path);
		free(buf);
		return -1;
	}
	*text = buf;
	*len = size;
	return 0;
}

/* Parses one file into lang. */
static int
load_file(i18n_lang *lang, const char *dir, const char *name)
{
	char path[PATH_MAX], *text;
	size_t len;
	int line;
	const char *why;
	load_ctx lc = {lang, 0};

	if (path_join(path, sizeof(path), dir, name) != 0 || read_whole(path, &text, &len) != 0)
		return -1;
	int rc = po_parse(text, len, load_put, &lc, &line, &why);
	free(text);
	if (rc != 0 && line > 0)
		bahi_log_error(NULL, "i18n: %s:%d: %s", path, line, why);
	else if (rc != 0 || lc.oom) {
		bahi_log_error(NULL, "i18n: %s: out of memory", path);
		rc = -1;
	}
	return rc;
}

/* Names a language directory may have: 1-15 of [A-Za-z0-9_@-], not hidden, not "en". */
static int
lang_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	if (n == 0 || n >= sizeof(((i18n_lang *)0)->name) || strcmp(d->d_name, "en") == 0)
		return 0;
	return strspn(d->d_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                         "0123456789_@-") == n;
}

/* Visible files named *.po. */
static int
po_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 3 && strcmp(d->d_name + n - 3, ".po") == 0;
}

/* Adds the language in dir/name (when it is a directory) to set. */
static int
load_lang(i18n_set *set, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	struct dirent **files;

	if (path_join(path, sizeof(path), dir, name) != 0)
		return -1;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	int n = scandir(path, &files, po_filter, alphasort);
	if (n < 0) {
		bahi_log_error(NULL, "i18n: %s: %s", path, strerror(errno));
		return -1;
	}
	i18n_lang *langs = realloc(set->langs, (set->n + 1) * sizeof(*langs));
	int rc = langs != NULL ? 0 : -1;
	if (langs != NULL) {
		set->langs = langs;
		langs[set->n] = (i18n_lang){.cap = 0};
		memcpy(langs[set->n].name, name, strlen(name) + 1);
		set->n++;
	}
	for (int i = 0; i < n; i++) {
		if (rc == 0)
			rc = load_file(&set->langs[set->n - 1], path, files[i]->d_name);
		free(files[i]);
	}
	free(files);
	return rc;
}

int
bahi_i18n_load(const char *dir)
{
	i18n_set next = {NULL, 0};
	struct dirent **ents;
	int n = scandir(dir, &ents, lang_filter, alphasort), rc = 0;

	if (n < 0) {
		bahi_log_error(NULL, "i18n: %s: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (rc == 0)
			rc = load_lang(&next, dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	if (rc != 0) {
		set_free(&next);
		return -1;
	}
	set_free(&loaded);
	loaded = next;
	return 0;
}

/* ------------------------------------------------------------ look-ups */

const char *
bahi_i18n_lookup(const char *lang, const char *msgid, size_t len)
{
	if (lang == NULL || msgid == NULL)
		return NULL;
	for (size_t i = 0; i < loaded.n; i++) {
		const i18n_lang *lg = &loaded.langs[i];
		if (strcmp(lg->name, lang) != 0)
			continue;
		if (lg->count == 0)
			return NULL;
		const i18n_slot *s = lang_slot(lg, msgid, len, hash_bytes(msgid, len));
		return s->key != NULL ? s->val : NULL;
	}
	return NULL;
}

const char *
bahi_i18n_get(const char *lang, const char *msgid)
{
	const char *t = msgid != NULL ? bahi_i18n_lookup(lang, msgid, strlen(msgid)) : NULL;
	return t != NULL ? t : msgid;
}

/* The primary subtag decides: "ur", "ur_PK" and "ur-PK" are all right to left. */
int
bahi_i18n_is_rtl(const char *lang)
{
	static const char rtl[][3] = {"ur", "ar", "fa", "he"};
	if (lang == NULL)
		return 0;
	size_t n = strcspn(lang, "_-");
	for (size_t i = 0; i < sizeof(rtl) / sizeof(rtl[0]); i++)
		if (n == 2 && memcmp(lang, rtl[i], 2) == 0)
			return 1;
	return 0;
}
