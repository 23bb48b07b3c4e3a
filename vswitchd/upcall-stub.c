/* SPDX-License-Identifier: Apache-2.0 */
/*
 * upcall-stub: the udpif of a build without the slow path (upcall.c).
 *
 * vswitchd.mk compiles this file only while vswitchd/upcall.c does not
 * exist.  udpif_create() then returns NULL, which ofproto takes as "no
 * packet path": OpenFlow works on the tables, PACKET_OUT is accepted and
 * dropped (counted), and no PACKET_IN is ever produced.
 */
#include <errno.h>
#include "upcall.h"

struct udpif *
udpif_create(struct dpif *dpif, const struct udpif_callbacks *cbs, void *aux)
{
    (void) dpif;
    (void) cbs;
    (void) aux;
    return NULL;
}

void
udpif_destroy(struct udpif *udpif)
{
    (void) udpif;
}

void
udpif_set_xbridge(struct udpif *udpif, struct xbridge *xb,
                  void (*free_xbridge)(struct xbridge *))
{
    (void) udpif;
    free_xbridge(xb);
}

void
udpif_revalidate(struct udpif *udpif)
{
    (void) udpif;
}

int
udpif_packet_out(struct udpif *udpif, const void *packet, size_t size,
                 uint16_t in_port, const struct ofpacts *ofpacts)
{
    (void) udpif;
    (void) packet;
    (void) size;
    (void) in_port;
    (void) ofpacts;
    return EOPNOTSUPP;
}
