/* bahi_imgstore: private files under data_dir (written atomically, removed when a request has settled). */
#ifndef BAHI_IMGSTORE_H
#define BAHI_IMGSTORE_H

#include <stddef.h>

struct bahi_req;

/* Writes data_dir/<key> atomically: a temporary file in the same folder,
 * flushed, then renamed over the name. Missing folders are made (mode 0750,
 * no symbolic links followed); the file gets mode 0640 (less the umask), so
 * nginx reads it through the group. key must pass bahi_link_key_ok.
 * 0, or -1 with errno. */
int bahi_store_write(const char *data_dir, const char *key, const void *data, size_t n);

/* Removes data_dir/<key>; a missing file is no error. 0, or -1 with errno. */
int bahi_store_remove(const char *data_dir, const char *key);

/* When the request ends (after its response is sent), removes the files of
 * the keys given (NULL ones skipped) if the request succeeded (on_success = 1,
 * status 2xx) or if it failed (on_success = 0). */
void bahi_store_remove_later(struct bahi_req *req, int on_success, const char *key1,
                             const char *key2);

#endif
