# nginx/ and dist/systemd/: the nginx configuration and the systemd units.
#
# "make install" copies them, unchanged, under $(pkgdatadir) (/usr/share/bahi
# with --prefix=/usr): nginx/ with snippets/, and systemd/. The sysadmin then
# copies them into /etc (docs/operations.md, "nginx" and "systemd units"):
# they are configuration, which the package manager would not overwrite
# either. nginx/dev.conf.in is used from the source tree by the dev runner.
#
# dist_*_DATA files are in the distribution without being named in EXTRA_DIST.

bahinginxdir = $(pkgdatadir)/nginx
dist_bahinginx_DATA = \
	nginx/bahi.conf \
	nginx/bahi-upstreams.conf

bahinginxsnippetsdir = $(pkgdatadir)/nginx/snippets
dist_bahinginxsnippets_DATA = \
	nginx/snippets/bahi-admin.conf \
	nginx/snippets/bahi-admin-headers.conf \
	nginx/snippets/bahi-api.conf \
	nginx/snippets/bahi-api-headers.conf \
	nginx/snippets/bahi-fastcgi.conf \
	nginx/snippets/bahi-files.conf \
	nginx/snippets/bahi-http.conf \
	nginx/snippets/bahi-locations.conf \
	nginx/snippets/bahi-problems.conf \
	nginx/snippets/bahi-security-headers.conf \
	nginx/snippets/bahi-server.conf \
	nginx/snippets/bahi-static.conf

bahisystemddir = $(pkgdatadir)/systemd
dist_bahisystemd_DATA = \
	dist/systemd/bahi-worker@.service \
	dist/systemd/bahi.target \
	dist/systemd/bahi-migrate.service \
	dist/systemd/bahi-debt-reminders.service \
	dist/systemd/bahi-debt-reminders.timer

EXTRA_DIST += nginx/dev.conf.in
