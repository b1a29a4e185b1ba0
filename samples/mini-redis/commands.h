/* commands.h -- running one parsed request against the key space. */
#ifndef MINI_REDIS_COMMANDS_H
#define MINI_REDIS_COMMANDS_H

#include "db.h"
#include "resp.h"

/* Runs the request (argc > 0) and appends its reply to `out`, an error
 * for an unknown command or a wrong number of arguments.  Returns 1 if
 * the connection is to be closed after the reply (QUIT), else 0. */
int command_run(struct db *db, const struct request *req, struct reply *out);

#endif /* MINI_REDIS_COMMANDS_H */
