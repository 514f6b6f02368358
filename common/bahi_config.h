/* bahi_config: one configuration file of "key = value" lines, overridden by BAHI_<KEY> variables. */
#ifndef BAHI_CONFIG_H
#define BAHI_CONFIG_H

/* Loads path (NULL: $BAHI_CONFIG, else /etc/bahi/bahi.conf; a missing default
 * file is fine, a missing named one is not). Unknown keys are errors so typos
 * surface. Then every key's BAHI_<KEY> environment variable, when set, wins.
 * Returns 0, or -1 after printing why to stderr. */
int bahi_config_load(const char *path);
/* The value of a declared key (its default when unset); NULL for an unknown key. */
const char *bahi_config_get(const char *key);
/* Replaces a value (tests and command-line options). 0, or -1 for an unknown key. */
int bahi_config_set(const char *key, const char *value);

#endif
