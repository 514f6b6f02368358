# static/: CSS, JavaScript and fonts, served by nginx from $(pkgdatadir)/static.
staticdir = $(pkgdatadir)
nobase_dist_static_DATA = static/css/bahi.css
