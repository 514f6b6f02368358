// bahi_tmpl: the only C++ in bahi, a thin shim exposing ctemplate to C.
#include "bahi_tmpl.h"

#include <string>

#include <ctemplate/template.h>

extern "C" {
#include "bahi_buf.h"
#include "bahi_log.h"
#include "bahi_pool.h"
}

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
	sub->SetFilename(file);
	return as_c(sub);
}

extern "C" void
bahi_tmpl_set_root(const char *dir)
{
	ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir);
}

extern "C" int
bahi_tmpl_render(const char *file, bahi_tmpl_dict *d, struct bahi_buf *out)
{
	std::string s;
	if (!ctemplate::ExpandTemplate(file, ctemplate::STRIP_BLANK_LINES, as_cxx(d), &s)) {
		bahi_log_error(NULL, "template %s could not be expanded", file);
		return -1;
	}
	return bahi_buf_append(out, s.data(), s.size());
}
