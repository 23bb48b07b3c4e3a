/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: decoding OVS_KEY_ATTR_* key and mask lists (and printing
 * them).  Byte 0 says where the key ends and the mask begins. */

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
    struct flow flow, mask;
    size_t split;
    uint8_t *key, *m;
    char *err = NULL;
    struct ds ds;

    if (size < 1) {
        return 0;
    }
    split = (size_t) data[0] * 4;
    data++;
    size--;
    if (split > size) {
        split = size;
    }
    key = malloc(split ? split : 1);
    m = malloc(size - split ? size - split : 1);
    memcpy(key, data, split);
    memcpy(m, data + split, size - split);

    if (!odp_key_to_flow(key, split, size > split ? m : NULL, size - split,
                         &flow, &mask, &err)) {
        struct buf k2 = BUF_EMPTY_INITIALIZER;
        struct flow f2;

        /* A decoded key re-encodes to an equivalent key. */
        odp_key_from_flow(&k2, &flow);
        if (odp_key_to_flow(k2.data, k2.size, NULL, 0, &f2, NULL, NULL)) {
            abort();
        }
        buf_uninit(&k2);
    }
    free(err);
    ds_init(&ds);
    odp_key_format(key, split, size > split ? m : NULL, size - split, &ds);
    ds_destroy(&ds);
    free(key);
    free(m);
    return 0;
}
