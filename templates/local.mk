# templates/: ctemplate files for the admin pages, installed with the program.
templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = templates/error.html.tpl
