/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the parsers of kernel datapath replies
 * (lib/dpif-netlink-msg.c), as lib/dpif-netlink.c calls them: the input is
 * one received datagram, walked message by message; every message goes
 * through every parser (a reply of one family must not crash the parser
 * of another). */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include "lib/dpif-netlink-msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct nlmsghdr *nlh;
    uint8_t *copy;
    size_t len;

    if (size > 256 * 1024) {
        return 0;
    }
    /* Aligned, like a receive buffer. */
    copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    len = size;
    for (nlh = (const void *) copy; dpnl_msg_ok(nlh, len);
         nlh = dpnl_msg_next(nlh, &len)) {
        struct dpnl_upcall_reply u;
        struct dpnl_vport_reply v;
        struct dpnl_flow_reply f;
        struct dpnl_dp_reply d;
        const char *extack;
        uint16_t id;
        int error;

        if (!dpnl_parse_error(nlh, &error, &extack) && extack) {
            if (strlen(extack) >= nlh->nlmsg_len) {
                abort();
            }
        }
        dpnl_parse_family(nlh, &id);
        if (!dpnl_parse_dp(nlh, &d) && d.name) {
            (void) strlen(d.name);
        }
        if (!dpnl_parse_vport(nlh, &v)) {
            (void) strlen(v.name);
        }
        if (!dpnl_parse_flow(nlh, &f)) {
            /* Every pointer lies inside the message. */
            const uint8_t *lo = (const void *) nlh;
            const uint8_t *hi = lo + nlh->nlmsg_len;

            if ((f.key
                 && ((const uint8_t *) f.key < lo
                     || (const uint8_t *) f.key + f.key_size > hi))
                || (f.actions
                    && (const uint8_t *) f.actions + f.actions_size > hi)) {
                abort();
            }
        }
        if (!dpnl_parse_upcall(nlh, &u)) {
            volatile uint8_t sink = 0;

            for (size_t i = 0; i < u.packet_size; i++) {
                sink ^= ((const uint8_t *) u.packet)[i];
            }
            for (size_t i = 0; i < u.key_size; i++) {
                sink ^= ((const uint8_t *) u.key)[i];
            }
            (void) sink;
        }
    }
    free(copy);
    return 0;
}
