/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: flow_extract() on arbitrary frames.  The first byte picks
 * metadata; the rest is the frame, copied to an exactly sized buffer. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flow_md md = {0};
    struct flow_offsets ofs;
    struct flow flow;
    uint8_t *copy;

    if (size) {
        md.in_port = data[0];
        data++;
        size--;
    }
    copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    flow_extract(copy, size, &md, &flow, &ofs);
    if (ofs.l3 != UINT16_MAX && ofs.l3 > size) {
        abort();
    }
    if (ofs.l4 != UINT16_MAX && ofs.l4 > size) {
        abort();
    }
    free(copy);
    return 0;
}
