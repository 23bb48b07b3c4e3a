/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the userspace datapath's action executor.  The input is a
 * frame and an action list (2 bytes of frame length first); actions that
 * pass the put-time checks run on the frame, which must never make the
 * executor read or write outside it. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/odp.h"
#include "../../lib/dp-execute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fz_output(void *aux, struct dp_pkt *pkt, uint32_t port_no, bool last)
{
    volatile uint8_t sink = 0;

    for (uint32_t i = 0; i < pkt->size; i++) {
        sink ^= pkt->data[i];
    }
    (void) sink;
}

static void
fz_userspace(void *aux, const struct dp_pkt *pkt, const void *attrs,
             size_t size)
{
}

static void
fz_recirc(void *aux, struct dp_pkt *pkt)
{
    dp_pkt_uninit(pkt);
}

static const struct dp_exec_ops fz_ops = {
    .output = fz_output,
    .userspace = fz_userspace,
    .recirc = fz_recirc,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_pkt src, pkt;
    size_t frame_size;
    uint8_t *actions;

    if (size < 2) {
        return 0;
    }
    frame_size = ((size_t) data[0] << 8 | data[1]) % (size - 1);
    data += 2;
    size -= 2;
    actions = malloc(size - frame_size + 1);
    memcpy(actions, data + frame_size, size - frame_size);
    if (!odp_actions_validate(actions, size - frame_size, NULL)
        && !dp_actions_check(actions, size - frame_size, NULL)) {
        memset(&src, 0, sizeof src);
        src.data = (uint8_t *) data;
        src.size = frame_size;
        dp_pkt_clone(&src, &pkt);
        /* No headroom, as a frame may arrive: push_vlan must cope. */
        pkt.headroom = 0;
        dp_execute_actions(&pkt, actions, size - frame_size, &fz_ops, NULL);
        dp_pkt_uninit(&pkt);
    }
    free(actions);
    return 0;
}
