/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the port change notification parsers
 * (lib/dpif-netlink-msg.c) as lib/port-notify.c calls them: the input is
 * one received datagram, walked message by message; every message goes
 * through the rtnetlink link parser, the ovs_vport event parser (for the
 * family id in the first input byte) and the multicast group lookup. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dpif-netlink-msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless [p, p + n) lies in the message 'nlh'. */
static void
inside(const struct nlmsghdr *nlh, const void *p, size_t n)
{
    const uint8_t *lo = (const void *) nlh, *hi = lo + nlh->nlmsg_len;

    if ((const uint8_t *) p < lo || (const uint8_t *) p + n > hi) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct nlmsghdr *nlh;
    uint16_t family;
    uint8_t *copy;
    size_t len;

    if (size < 1 || size > 256 * 1024) {
        return 0;
    }
    family = data[0];
    /* Aligned, like a receive buffer. */
    copy = malloc(size);
    memcpy(copy, data + 1, size - 1);
    len = size - 1;
    for (nlh = (const void *) copy; dpnl_msg_ok(nlh, len);
         nlh = dpnl_msg_next(nlh, &len)) {
        struct dpnl_port_event ev;
        uint32_t id;

        if (!dpnl_parse_link_event(nlh, &ev) && ev.name) {
            inside(nlh, ev.name, strlen(ev.name) + 1);
        }
        if (!dpnl_parse_vport_event(nlh, family, &ev)) {
            inside(nlh, ev.name, strlen(ev.name) + 1);
        }
        dpnl_parse_mcast_group(nlh, "ovs_vport", &id);
    }
    free(copy);
    return 0;
}
