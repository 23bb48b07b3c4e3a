/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes connection-name parsing ("tcp:…", "ptcp:…", "unix:…"): names come
 * from the database and from controllers' configuration. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    struct stream_addr addr;
    char *err;
    int rc;

    memcpy(name, data, size);
    name[size] = '\0';
    rc = stream_parse(name, 6653, &addr, &err);
    if ((rc == 0) != (err == NULL)) {
        abort();
    }
    if (!rc && addr.ss_len > sizeof addr.ss) {
        abort();
    }
    free(err);
    free(name);
    return 0;
}
