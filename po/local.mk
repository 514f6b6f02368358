# po/: the admin panel's translations (gettext .po, one folder per language), read by the admin worker.
podir = $(pkgdatadir)
nobase_dist_po_DATA = po/ur/common.po
nobase_dist_po_DATA += po/ur/catalog.po
nobase_dist_po_DATA += po/ur/customers.po
nobase_dist_po_DATA += po/ur/settings.po
nobase_dist_po_DATA += po/ur/sales.po
