/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/netdev.h"
#include "../../lib/netdev-provider.h"

static bool
readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, 0) == 1;
}

static void
test_open_errors(void **state)
{
    struct netdev *a, *b;

    assert_int_equal(netdev_open("x", "nosuchtype", &a), EINVAL);
    assert_null(a);
    assert_int_equal(netdev_open("a-name-longer-than-15", "dummy", &a),
                     EINVAL);
    assert_int_equal(netdev_open("", "dummy", &a), EINVAL);
    assert_int_equal(netdev_open("d0", "dummy", &a), 0);
    assert_int_equal(netdev_open("d0", "dummy", &b), EBUSY);
    assert_true(netdev_type_is_known("system"));
    assert_true(netdev_type_is_known("internal"));
    assert_false(netdev_type_is_known("vxlan"));
    assert_string_equal(netdev_get_type(a), "dummy");
    netdev_close(a);
    netdev_close(NULL);
}

static void
test_receive_and_send(void **state)
{
    struct netdev *d;
    struct netdev_rxq *rxq;
    struct netdev_batch batch;
    struct netdev_stats stats;
    uint8_t frame[60], *got;
    size_t size;
    bool carrier;

    assert_int_equal(netdev_open("d1", "dummy", &d), 0);
    assert_int_equal(netdev_rxq_open(d, &rxq), 0);
    assert_false(readable(netdev_rxq_fd(rxq)));
    assert_int_equal(netdev_rxq_recv(rxq, &batch), EAGAIN);
    assert_int_equal(batch.count, 0);

    for (int i = 0; i < 40; i++) {
        memset(frame, i, sizeof frame);
        assert_int_equal(netdev_dummy_receive("d1", frame, sizeof frame), 0);
    }
    assert_int_equal(netdev_dummy_receive("nope", frame, 60), ENODEV);
    assert_true(readable(netdev_rxq_fd(rxq)));
    assert_int_equal(netdev_rxq_recv(rxq, &batch), 0);
    assert_int_equal(batch.count, NETDEV_MAX_BURST);
    for (unsigned int i = 0; i < batch.count; i++) {
        assert_int_equal(batch.frames[i].size, 60);
        assert_int_equal(batch.frames[i].data[0], i);
    }
    assert_int_equal(netdev_rxq_recv(rxq, &batch), 0);
    assert_int_equal(batch.count, 8);
    assert_int_equal(batch.frames[7].data[59], 39);
    assert_false(readable(netdev_rxq_fd(rxq)));

    /* Send what we got; pop it back in order. */
    assert_int_equal(netdev_send(d, batch.frames, batch.count), 0);
    for (int i = 32; i < 40; i++) {
        assert_int_equal(netdev_dummy_pop_sent("d1", &got, &size), 0);
        assert_int_equal(size, 60);
        assert_int_equal(got[0], i);
        free(got);
    }
    assert_int_equal(netdev_dummy_pop_sent("d1", &got, &size), EAGAIN);

    assert_int_equal(netdev_get_stats(d, &stats), 0);
    assert_int_equal(stats.rx_packets, 40);
    assert_int_equal(stats.rx_bytes, 40 * 60);
    assert_int_equal(stats.tx_packets, 8);
    assert_int_equal(netdev_get_carrier(d, &carrier), 0);
    assert_true(carrier);
    assert_int_equal(netdev_set_up(d, false), 0);
    assert_int_equal(netdev_get_carrier(d, &carrier), 0);
    assert_false(carrier);
    netdev_rxq_close(rxq);
    netdev_close(d);
    assert_int_equal(netdev_dummy_pop_sent("d1", &got, &size), ENODEV);
}

static void
test_queue_bound(void **state)
{
    struct netdev *d;
    struct netdev_stats stats;
    uint8_t frame[64] = {0};
    int n_ok = 0, n_full = 0;

    assert_int_equal(netdev_open("d2", "dummy", &d), 0);
    for (int i = 0; i < 1100; i++) {
        int error = netdev_dummy_receive("d2", frame, sizeof frame);

        n_ok += !error;
        n_full += error == ENOBUFS;
    }
    assert_int_equal(n_ok, 1024);
    assert_int_equal(n_full, 76);
    netdev_get_stats(d, &stats);
    assert_int_equal(stats.rx_dropped, 76);
    netdev_close(d);
}

/* A UDP/IPv4 frame whose checksum the "sender" left partial: the field
 * holds the pseudo-header sum.  Completing it must give the checksum a full
 * software computation gives. */
static uint16_t
ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i < n; i += 2) {
        sum += (p[i] << 8) | (i + 1 < n ? p[i + 1] : 0);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

static void
test_complete_csum(void **state)
{
    uint8_t f[14 + 20 + 8 + 5] = {0};
    struct virtio_net_hdr vnet = {
        .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
        .csum_start = 34,
        .csum_offset = 6,
    };
    uint8_t *ip = f + 14, *udp = f + 34;
    uint32_t pseudo;
    uint16_t expect, partial;

    f[12] = 0x08;
    ip[0] = 0x45;
    ip[9] = 17;
    memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    udp[1] = 53;
    udp[3] = 99;
    udp[5] = 13; /* UDP length. */
    memcpy(udp + 8, "hello", 5);
    /* Pseudo-header: addresses, protocol, UDP length. */
    pseudo = ref_sum(ip + 12, 8, 0) + 17 + 13;
    expect = ~ref_sum(udp, 13, pseudo);
    partial = ref_sum(NULL, 0, pseudo);
    udp[6] = partial >> 8;
    udp[7] = partial;
    assert_int_equal(netdev_complete_csum(f, sizeof f, &vnet), 0);
    assert_int_equal((udp[6] << 8) | udp[7], expect);

    vnet.csum_start = 46;
    assert_int_equal(netdev_complete_csum(f, sizeof f, &vnet), EINVAL);
    vnet.csum_start = 34;
    vnet.csum_offset = 12;
    assert_int_equal(netdev_complete_csum(f, sizeof f, &vnet), EINVAL);
}

static void
test_reinsert_vlan(void **state)
{
    uint8_t buf[4 + 18] = {0};
    uint8_t *data = buf + 4;
    uint32_t size = 18;

    memcpy(data, "DDDDDDSSSSSS\x08\x00xxxx", 18);
    netdev_reinsert_vlan(&data, &size, 0x8100, 0x2005);
    assert_ptr_equal(data, buf);
    assert_int_equal(size, 22);
    assert_memory_equal(data, "DDDDDDSSSSSS\x81\x00\x20\x05\x08\x00xxxx", 22);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_receive_and_send),
        cmocka_unit_test(test_queue_bound),
        cmocka_unit_test(test_complete_csum),
        cmocka_unit_test(test_reinsert_vlan),
    };
    return cmocka_run_group_tests_name("netdev-dummy", tests, NULL, NULL);
}
