/* auth_routes: the auth worker's routes and its definition (also applied by the admin panel). */
#include "auth.h"
#include "bahi_health.h"
#include "bahi_session.h"
#include "bahi_worker.h"

#define ANON_JSON (BAHI_TX | BAHI_JSON_BODY)
#define USER_JSON (BAHI_AUTH | BAHI_JSON_BODY)

static const bahi_route auth_routes[] = {
	BAHI_HEALTH_ROUTES("auth"),
	{"POST", "/api/v1/auth/otp", auth_otp, ANON_JSON, NULL},
	{"POST", "/api/v1/auth/signup", auth_signup, ANON_JSON, NULL},
	{"POST", "/api/v1/auth/login", auth_login, ANON_JSON, NULL},
	{"POST", "/api/v1/auth/refresh", auth_refresh, ANON_JSON, NULL},
	{"POST", "/api/v1/auth/logout", auth_logout, BAHI_AUTH, "session"},
	{"POST", "/api/v1/auth/password", auth_password, USER_JSON, "session"},
	{"POST", "/api/v1/auth/password/reset", auth_password_reset, ANON_JSON, NULL},
	{"GET", "/api/v1/me", auth_me, BAHI_AUTH, "session"},
	{"GET", "/api/v1/app-keys", auth_appkey_list, BAHI_AUTH, "appkeys.write"},
	{"POST", "/api/v1/app-keys", auth_appkey_create, USER_JSON, "appkeys.write"},
	{"DELETE", "/api/v1/app-keys/{id}", auth_appkey_revoke, BAHI_AUTH, "appkeys.write"},
	{"GET", "/api/v1/users", auth_users_list, BAHI_AUTH, "users.read"},
	{"POST", "/api/v1/users", auth_users_create, USER_JSON, "users.write"},
	{"GET", "/api/v1/users/{id}", auth_users_get, BAHI_AUTH, "users.read"},
	{"PATCH", "/api/v1/users/{id}", auth_users_patch, USER_JSON, "users.write"},
	{"DELETE", "/api/v1/users/{id}", auth_users_delete, BAHI_AUTH, "users.write"},
	{"GET", "/api/v1/devices", auth_devices_list, BAHI_AUTH, "devices.read"},
	{"DELETE", "/api/v1/devices/{id}", auth_devices_delete, BAHI_AUTH, "devices.read"},
	{"POST", "/api/v1/devices/pairing", auth_devices_pairing, BAHI_AUTH, "session"},
	{"POST", "/api/v1/auth/pair", auth_pair, ANON_JSON, NULL},
	{"GET", "/api/v1/activity", auth_activity_list, BAHI_AUTH, "activity.read"},
	{"GET", "/api/v1/business", auth_business_get, BAHI_AUTH, "business.read"},
	{"PATCH", "/api/v1/business", auth_business_patch, USER_JSON, "business.write"},
	{"GET", "/api/v1/account/export", auth_account_export, BAHI_AUTH, "account.export"},
	{"DELETE", "/api/v1/account", auth_account_delete, USER_JSON, "account.delete"},
};

const bahi_worker_def auth_worker = {
	.name = "auth",
	.routes = auth_routes,
	.nroutes = sizeof(auth_routes) / sizeof(auth_routes[0]),
	.authenticate = bahi_session_authenticate,
	.authorize = bahi_session_authorize,
	.settle = bahi_session_settle,
	.process_init = bahi_session_process_init,
};
