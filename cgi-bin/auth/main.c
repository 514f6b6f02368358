/* bahi-auth: the auth worker (sign-up, sign-in, tokens, devices, users and roles, account export and deletion). */
#include "auth.h"
#include "bahi_worker.h"

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &auth_worker);
}
