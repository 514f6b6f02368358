/* bahi_perm: the roles (owner, admin, clerk) and the permissions each holds. */
#ifndef BAHI_PERM_H
#define BAHI_PERM_H

/* 1 when role holds perm (a NULL perm is always held). */
int bahi_perm_allows(const char *role, const char *perm);
/* The role's permissions, NULL-terminated; an empty list for an unknown role. */
const char *const *bahi_perm_list(const char *role);
/* 1 for "owner", "admin" or "clerk". */
int bahi_perm_role_valid(const char *role);

#endif
