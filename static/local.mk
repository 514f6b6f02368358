# static/: CSS, JavaScript and fonts, served by nginx from $(pkgdatadir)/static.
staticdir = $(pkgdatadir)
nobase_dist_static_DATA = static/css/bahi.css
nobase_dist_static_DATA += static/js/bahi.js
nobase_dist_static_DATA += static/js/live.js
nobase_dist_static_DATA += static/js/sale.js
nobase_dist_static_DATA += static/favicon.svg
