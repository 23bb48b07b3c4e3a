/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_TESTS_DUMMY_WAIT_H
#define VSWITCH_TESTS_DUMMY_WAIT_H 1

/* Waiting for what a datapath sent on a dummy port, for tests that drive
 * the userspace datapath's I/O threads. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include "vswitch/netdev.h"

/* Waits up to 2 s for a frame sent on dummy 'port'; true and the frame
 * (malloc'd, the caller frees it) if one came. */
static inline bool
pop_sent(const char *port, uint8_t **frame, size_t *size)
{
    for (int i = 0; i < 200; i++) {
        if (!netdev_dummy_pop_sent(port, frame, size)) {
            return true;
        }
        usleep(10000);
    }
    return false;
}

#endif /* VSWITCH_TESTS_DUMMY_WAIT_H */
