/* sync: the sync worker's HTTP handlers. */
#ifndef SYNC_H
#define SYNC_H

struct bahi_req;

int sync_pull(struct bahi_req *req);
int sync_push(struct bahi_req *req);
int sync_status(struct bahi_req *req);

#endif
