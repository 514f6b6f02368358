/* bahi_perm: one table of who may do what, checked by every worker's route table. */
#include "bahi_perm.h"

#include <string.h>

/* "session" (a person signed in on a device, not an app key) gates the
 * routes about one's own session: /me, logout, password change.
 * Clerks sell and record payments; they cannot change settings, users or
 * prices, and cannot delete anything. Admins can do everything but export or
 * delete the account, which only the owner can. */
static const char *const clerk_perms[] = {
	"session", "business.read", "devices.read", "catalog.read", "catalog.write", "stock.read",
	"customers.read", "customers.write", "sales.read", "sales.write",
	"payments.write", "sync", NULL,
};

static const char *const admin_perms[] = {
	"session", "business.read", "business.write", "users.read", "users.write", "devices.read",
	"devices.write", "activity.read", "appkeys.write",
	"catalog.read", "catalog.write", "catalog.delete", "prices.write", "stock.read",
	"stock.write", "customers.read", "customers.write", "customers.delete",
	"sales.read", "sales.write", "sales.void", "payments.write",
	"ledger.read", "ledger.write", "reports.read", "sync", NULL,
};

static const char *const owner_perms[] = {
	"session", "business.read", "business.write", "users.read", "users.write", "devices.read",
	"devices.write", "activity.read", "appkeys.write", "account.export", "account.delete",
	"catalog.read", "catalog.write", "catalog.delete", "prices.write", "stock.read",
	"stock.write", "customers.read", "customers.write", "customers.delete",
	"sales.read", "sales.write", "sales.void", "payments.write",
	"ledger.read", "ledger.write", "reports.read", "sync", NULL,
};

/* Server-to-server integrations (X-App-Key): business data, no accounts. */
static const char *const app_perms[] = {
	"business.read", "catalog.read", "catalog.write", "stock.read", "stock.write",
	"customers.read", "customers.write", "sales.read", "sales.write", "payments.write",
	"reports.read", "sync", NULL,
};

static const char *const no_perms[] = {NULL};

const char *const *
bahi_perm_list(const char *role)
{
	if (role == NULL)
		return no_perms;
	if (strcmp(role, "owner") == 0)
		return owner_perms;
	if (strcmp(role, "admin") == 0)
		return admin_perms;
	if (strcmp(role, "clerk") == 0)
		return clerk_perms;
	if (strcmp(role, "app") == 0)
		return app_perms;
	return no_perms;
}

int
bahi_perm_allows(const char *role, const char *perm)
{
	if (perm == NULL)
		return 1;
	for (const char *const *p = bahi_perm_list(role); *p; p++)
		if (strcmp(*p, perm) == 0)
			return 1;
	return 0;
}

int
bahi_perm_role_valid(const char *role)
{
	return role != NULL && (strcmp(role, "owner") == 0 || strcmp(role, "admin") == 0 ||
	                        strcmp(role, "clerk") == 0);
}
