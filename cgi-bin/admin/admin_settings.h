/* admin_settings.h: what the settings pages (business, users, devices, activity) share. */
#ifndef BAHI_ADMIN_SETTINGS_H
#define BAHI_ADMIN_SETTINGS_H

#include "admin.h"

struct bahi_req;

/* The settings sub-navigation (Business · Users · Devices · Activity) at
 * the top of page d, with the item current ("business", "users",
 * "devices", "activity") marked; items the caller's role may not open are
 * left out. */
void admin_settings_nav(struct bahi_req *req, bahi_tmpl_dict *d, const char *current);

/* The version a form was read at ("version" field; 0 when absent), sent as
 * If-Match so that a stale form gets 412 and never overwrites. */
long admin_settings_form_version(struct bahi_req *req);

#endif
