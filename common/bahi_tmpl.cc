// bahi_tmpl: the only C++ in bahi, a thin shim exposing ctemplate to C.
#include "bahi_tmpl.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <ctemplate/template.h>

extern "C" {
#include "bahi_buf.h"
#include "bahi_log.h"
#include "bahi_pool.h"
}

static std::string template_key(const char *file);

// The C handle is an opaque pointer to a ctemplate dictionary, cast back
// before every use. Sub-dictionaries are owned by their parent, so only
// top-level ones need a pool cleanup.
static ctemplate::TemplateDictionary *
as_cxx(bahi_tmpl_dict *d)
{
	return reinterpret_cast<ctemplate::TemplateDictionary *>(d);
}

static bahi_tmpl_dict *
as_c(ctemplate::TemplateDictionary *d)
{
	return reinterpret_cast<bahi_tmpl_dict *>(d);
}

static void
dict_delete(void *p)
{
	delete static_cast<ctemplate::TemplateDictionary *>(p);
}

extern "C" bahi_tmpl_dict *
bahi_tmpl_dict_new(struct bahi_pool *pool)
{
	ctemplate::TemplateDictionary *d = new ctemplate::TemplateDictionary("page");
	bahi_pool_cleanup(pool, dict_delete, d);
	return as_c(d);
}

extern "C" void
bahi_tmpl_set(bahi_tmpl_dict *d, const char *key, const char *value)
{
	as_cxx(d)->SetValue(key, value ? value : "");
}

extern "C" void
bahi_tmpl_set_int(bahi_tmpl_dict *d, const char *key, long long value)
{
	as_cxx(d)->SetValue(key, std::to_string(value));
}

extern "C" bahi_tmpl_dict *
bahi_tmpl_section(bahi_tmpl_dict *d, const char *section)
{
	return as_c(as_cxx(d)->AddSectionDictionary(section));
}

extern "C" void
bahi_tmpl_show(bahi_tmpl_dict *d, const char *section)
{
	as_cxx(d)->ShowSection(section);
}

extern "C" bahi_tmpl_dict *
bahi_tmpl_include(bahi_tmpl_dict *d, const char *name, const char *file)
{
	ctemplate::TemplateDictionary *sub = as_cxx(d)->AddIncludeDictionary(name);
	sub->SetFilename(template_key(file));
	return as_c(sub);
}

extern "C" void
bahi_tmpl_set_global(bahi_tmpl_dict *d, const char *key, const char *value)
{
	as_cxx(d)->SetTemplateGlobalValue(key, value ? value : "");
}

// The process's template settings: pre-forked workers render one page at a time.
static std::string root_dir = "./";
static std::string cur_lang = "en";
static bahi_tmpl_translate_fn translator;
static std::set<std::string> loaded;   // "lang/file" keys put in ctemplate's cache

extern "C" void
bahi_tmpl_set_root(const char *dir)
{
	root_dir = dir ? dir : ".";
	if (root_dir.empty() || root_dir.back() != '/')
		root_dir += '/';
	loaded.clear();
}

extern "C" void
bahi_tmpl_set_translator(bahi_tmpl_translate_fn fn)
{
	translator = fn;
	loaded.clear();
}

extern "C" void
bahi_tmpl_set_lang(const char *lang)
{
	cur_lang = lang && *lang ? lang : "en";
}

static void
html_escape(std::string &out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&#39;"; break;
		case '{': out += "&#123;"; break;   // never a template marker
		case '}': out += "&#125;"; break;
		default: out += s[i];
		}
	}
}

// Replaces every [[text]] of src with text's translation in lang, escaped.
static std::string
translate_markers(const std::string &src, const char *lang)
{
	std::string out;
	size_t pos = 0;
	for (;;) {
		size_t open = src.find("[[", pos);
		size_t close = open == std::string::npos ? open : src.find("]]", open + 2);
		if (close == std::string::npos) {
			out.append(src, pos, std::string::npos);
			return out;
		}
		out.append(src, pos, open - pos);
		const char *msgid = src.data() + open + 2;
		size_t len = close - open - 2;
		const char *t = translator ? translator(lang, msgid, len) : NULL;
		if (t != NULL)
			html_escape(out, t, strlen(t));
		else
			html_escape(out, msgid, len);
		pos = close + 2;
	}
}

extern "C" char *
bahi_tmpl_translate(const char *file, const char *lang)
{
	std::ifstream in(root_dir + file, std::ios::binary);
	if (!in)
		return NULL;
	std::stringstream ss;
	ss << in.rdbuf();
	std::string t = translate_markers(ss.str(), lang);
	char *out = static_cast<char *>(malloc(t.size() + 1));
	if (out != NULL)
		memcpy(out, t.c_str(), t.size() + 1);
	return out;
}

// The cache key of file in the current language, translated and cached on first use.
static std::string
template_key(const char *file)
{
	std::string key = cur_lang + "/" + file;
	if (loaded.count(key))
		return key;
	char *text = bahi_tmpl_translate(file, cur_lang.c_str());
	if (text == NULL) {
		bahi_log_error(NULL, "template %s could not be read", file);
		return key;
	}
	ctemplate::StringToTemplateCache(key, text, strlen(text), ctemplate::STRIP_BLANK_LINES);
	free(text);
	loaded.insert(key);
	return key;
}

extern "C" int
bahi_tmpl_render(const char *file, bahi_tmpl_dict *d, struct bahi_buf *out)
{
	std::string s;
	std::string key = template_key(file);
	if (!ctemplate::ExpandTemplate(key, ctemplate::STRIP_BLANK_LINES, as_cxx(d), &s)) {
		bahi_log_error(NULL, "template %s could not be expanded", file);
		return -1;
	}
	return bahi_buf_append(out, s.data(), s.size());
}
