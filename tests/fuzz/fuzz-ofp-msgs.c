/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes OpenFlow message classification and HELLO decoding: the first
 * code every byte from a controller or ovs-ofctl meets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly sized copy, so ASan sees any read past the end. */
    uint8_t *msg = malloc(size ? size : 1);
    enum ofptype type;
    enum ofperr e;

    memcpy(msg, data, size);
    e = ofp_decode_type(msg, size, &type);
    if (!e) {
        if (type >= OFPTYPE_N || size < 8) {
            abort();
        }
        if (type == OFPTYPE_HELLO) {
            uint32_t versions;

            if (!ofp_hello_decode(msg, size, &versions)) {
                (void) ofp_negotiate(OFP_SUPPORTED_VERSIONS, versions);
            }
        }
    } else if (!ofperr_is_valid(e)) {
        abort();
    }
    free(msg);
    return 0;
}
