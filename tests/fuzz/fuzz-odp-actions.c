/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: validating and printing OVS_ACTION_ATTR_* lists, and
 * re-parsing what was printed. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    char *err = NULL;
    struct ds ds;

    memcpy(copy, data, size);
    ds_init(&ds);
    if (!odp_actions_validate(copy, size, &err)) {
        struct buf again = BUF_EMPTY_INITIALIZER;

        odp_actions_format(copy, size, &ds);
        if (!odp_actions_parse(ds_cstr(&ds), &again, &err)) {
            if (odp_actions_validate(again.data, again.size, NULL)) {
                abort();
            }
        }
        buf_uninit(&again);
    }
    free(err);
    ds_destroy(&ds);
    free(copy);
    return 0;
}
