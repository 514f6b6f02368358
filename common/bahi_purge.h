/* bahi_purge: deleting a business and everything of it: rows, files, and its people's codes and SMS. */
#ifndef BAHI_PURGE_H
#define BAHI_PURGE_H

struct bahi_req;

/* Deletes the transaction's business after checking the caller's password:
 * every row in every tenant table (found from the catalog), the OTP codes
 * and outbox SMS of its users' phones, and its files under
 * data_dir/<business id>/. Logs one line without personal data. A wrong
 * password is a validation problem on "password" (wrong_password), recorded
 * in the activity log and nothing else changes. 0, or -1 with a problem. */
int bahi_purge_business(struct bahi_req *req, const char *password);

/* Removes the directory data_dir/<business_id> and everything under it
 * without following symbolic links (a link is removed, never its target).
 * *files gets the number of entries other than directories removed. A
 * missing directory is not an error. 0, or -1 with errno set. */
int bahi_purge_files(const char *data_dir, const char *business_id, long *files);

#endif
