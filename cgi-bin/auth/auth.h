/* auth.h: the auth worker's handlers, shared between its files. */
#ifndef BAHI_AUTH_WORKER_H
#define BAHI_AUTH_WORKER_H

#include "bahi_account.h"
#include "bahi_valid.h"

struct bahi_req;

/* The "device" object of sign-up, login and pairing bodies. */
extern const bahi_field auth_device_fields[3];
/* Copies a validated device object into d. */
void auth_device_in(const bahi_value *v, bahi_device_in *d);

int auth_otp(struct bahi_req *req);
int auth_signup(struct bahi_req *req);
int auth_login(struct bahi_req *req);
int auth_refresh(struct bahi_req *req);
int auth_logout(struct bahi_req *req);
int auth_password(struct bahi_req *req);
int auth_password_reset(struct bahi_req *req);
int auth_me(struct bahi_req *req);
int auth_appkey_create(struct bahi_req *req);
int auth_appkey_list(struct bahi_req *req);
int auth_appkey_revoke(struct bahi_req *req);
int auth_users_list(struct bahi_req *req);
int auth_users_create(struct bahi_req *req);
int auth_users_get(struct bahi_req *req);
int auth_users_patch(struct bahi_req *req);
int auth_users_delete(struct bahi_req *req);
int auth_devices_list(struct bahi_req *req);
int auth_devices_delete(struct bahi_req *req);
int auth_devices_pairing(struct bahi_req *req);
int auth_pair(struct bahi_req *req);
int auth_activity_list(struct bahi_req *req);
int auth_business_get(struct bahi_req *req);
int auth_business_patch(struct bahi_req *req);
int auth_account_export(struct bahi_req *req);
int auth_account_delete(struct bahi_req *req);

/* The worker: its routes and hooks (auth_routes.c), also applied by the admin panel. */
struct bahi_worker_def;
extern const struct bahi_worker_def auth_worker;

#endif
