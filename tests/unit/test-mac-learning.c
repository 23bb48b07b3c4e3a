/* SPDX-License-Identifier: Apache-2.0 */
/* MAC learning: per-VLAN entries, aging, LRU eviction at capacity,
 * gratuitous-ARP move lock, move-flood damping, the change sequence and the new-entry log,
 * flushes, and concurrent learners. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include "vswitch/ds.h"
#include "vswitchd/mac-learning.h"

static struct eth_addr
mac(int n)
{
    struct eth_addr ea = {{0x02, 0, 0, 0, (uint8_t) (n >> 8), (uint8_t) n}};

    return ea;
}

static void
test_learn_lookup_vlans(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 0);
    struct eth_addr a = mac(1), bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

    assert_int_equal(mac_learning_lookup(ml, 0, &a, 0), -1);
    assert_int_equal(mac_learning_learn(ml, 0, &a, 3, false, 0),
                     MAC_LEARN_NEW);
    assert_int_equal(mac_learning_learn(ml, 0, &a, 3, false, 10),
                     MAC_LEARN_NONE);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 20), 3);
    /* VLANs are separate tables. */
    assert_int_equal(mac_learning_lookup(ml, 10, &a, 20), -1);
    assert_int_equal(mac_learning_learn(ml, 10, &a, 4, false, 20),
                     MAC_LEARN_NEW);
    assert_int_equal(mac_learning_lookup(ml, 10, &a, 20), 4);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 20), 3);
    /* Multicast sources are not learned. */
    assert_int_equal(mac_learning_learn(ml, 0, &bcast, 1, false, 20),
                     MAC_LEARN_NONE);
    assert_int_equal(mac_learning_count(ml), 2);
    mac_learning_destroy(ml);
    mac_learning_destroy(NULL);
}

static void
test_aging(void **state)
{
    struct mac_learning *ml = mac_learning_create(10, 0);
    struct eth_addr a = mac(1), b = mac(2);
    uint64_t seq;

    mac_learning_learn(ml, 0, &a, 1, false, 0);
    mac_learning_learn(ml, 0, &b, 2, false, 5000);
    seq = mac_learning_seq(ml);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 9999), 1);
    /* Idle 10 s: gone for lookups at once, swept by expire. */
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 10000), -1);
    assert_int_equal(mac_learning_expire(ml, 10000), 1);
    assert_true(mac_learning_seq(ml) > seq);
    assert_int_equal(mac_learning_lookup(ml, 0, &b, 10000), 2);
    /* Learning again refreshes. */
    mac_learning_learn(ml, 0, &b, 2, false, 14000);
    assert_int_equal(mac_learning_expire(ml, 20000), 0);
    assert_int_equal(mac_learning_lookup(ml, 0, &b, 23999), 2);
    mac_learning_set_idle_time(ml, 1);
    assert_int_equal(mac_learning_expire(ml, 23999), 1);
    mac_learning_destroy(ml);
}

static void
test_lru_eviction(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 3);
    struct eth_addr m[5];
    struct mac_entry_info *dump;
    size_t n;

    for (int i = 0; i < 5; i++) {
        m[i] = mac(i + 1);
    }
    mac_learning_learn(ml, 0, &m[0], 1, false, 0);
    mac_learning_learn(ml, 0, &m[1], 1, false, 1);
    mac_learning_learn(ml, 0, &m[2], 1, false, 2);
    /* Refresh m[0]: m[1] is now the least recently learned. */
    mac_learning_learn(ml, 0, &m[0], 1, false, 3);
    mac_learning_learn(ml, 0, &m[3], 2, false, 4);
    assert_int_equal(mac_learning_count(ml), 3);
    assert_int_equal(mac_learning_lookup(ml, 0, &m[1], 5), -1);
    assert_int_equal(mac_learning_lookup(ml, 0, &m[0], 5), 1);

    dump = mac_learning_dump(ml, 10, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(&dump[0].mac, &m[3], 6);
    assert_int_equal(dump[0].port, 2);
    assert_int_equal(dump[0].age_ms, 6);
    assert_memory_equal(&dump[1].mac, &m[0], 6);
    assert_memory_equal(&dump[2].mac, &m[2], 6);
    free(dump);
    mac_learning_set_max_entries(ml, 1);
    assert_int_equal(mac_learning_count(ml), 1);
    assert_int_equal(mac_learning_lookup(ml, 0, &m[3], 5), 2);
    mac_learning_destroy(ml);
}

static void
test_format(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct eth_addr a = mac(1), b = mac(4), local = mac(9);

    mac_learning_learn(ml, 0, &a, 1, false, 0);
    mac_learning_learn(ml, 0, &b, 2, false, 1000);
    mac_learning_learn(ml, 5, &local, 0xfffe, false, 2000);
    mac_learning_format(ml, 7000, &s);
    assert_string_equal(ds_cstr(&s), " port  VLAN  MAC                Age\n"
                                     "LOCAL     5  02:00:00:00:00:09    5\n"
                                     "    2     0  02:00:00:00:00:04    6\n"
                                     "    1     0  02:00:00:00:00:01    7\n");
    ds_destroy(&s);
    mac_learning_destroy(ml);
}

static void
test_moves_and_lock(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 0);
    struct eth_addr a = mac(1);
    uint64_t seq;

    mac_learning_learn(ml, 0, &a, 1, false, 0);
    seq = mac_learning_seq(ml);
    assert_int_equal(mac_learning_learn(ml, 0, &a, 2, false, 100),
                     MAC_LEARN_MOVED);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 100), 2);
    assert_true(mac_learning_seq(ml) > seq);

    /* A gratuitous ARP locks the entry against moves for a while. */
    assert_int_equal(mac_learning_learn(ml, 0, &a, 3, true, 1000),
                     MAC_LEARN_MOVED);
    seq = mac_learning_seq(ml);
    assert_int_equal(mac_learning_learn(ml, 0, &a, 1, false, 2000),
                     MAC_LEARN_LOCKED);
    assert_int_equal(mac_learning_learn(ml, 0, &a, 1, true, 2000),
                     MAC_LEARN_LOCKED);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, 2000), 3);
    assert_int_equal(mac_learning_seq(ml), seq);
    assert_int_equal(
        mac_learning_learn(ml, 0, &a, 1, false, 1000 + MAC_GRAT_ARP_LOCK_MS),
        MAC_LEARN_MOVED);
    mac_learning_destroy(ml);
}

/* An address flapping between two ports: MAC_MOVE_BURST moves a window go
 * through, the next is refused and the entry held where it is for
 * MAC_MOVE_HOLD_MS; then it may move again.  Another address is not
 * affected. */
static void
test_move_flood(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 0);
    struct eth_addr a = mac(1), b = mac(2);
    long long now = 1000;
    uint64_t seq;
    int held, i;

    (void) state;
    mac_learning_learn(ml, 0, &a, 1, false, now);
    for (i = 0; i < MAC_MOVE_BURST; i++) {
        assert_int_equal(
            mac_learning_learn(ml, 0, &a, i % 2 ? 1 : 2, false, ++now),
            MAC_LEARN_MOVED);
    }
    seq = mac_learning_seq(ml);
    /* The burst is spent: the next move is refused and the entry held. */
    assert_int_equal(
        mac_learning_learn(ml, 0, &a, i % 2 ? 1 : 2, false, ++now),
        MAC_LEARN_LOCKED);
    held = mac_learning_lookup(ml, 0, &a, now);
    for (int j = 0; j < 1000; j++) {
        uint16_t port = j % 2 ? 1 : 2;

        assert_int_equal(
            mac_learning_learn(ml, 0, &a, port, false, now + j % 100),
            port == held ? MAC_LEARN_NONE : MAC_LEARN_LOCKED);
    }
    assert_int_equal(mac_learning_seq(ml), seq);
    /* Other addresses still move. */
    mac_learning_learn(ml, 0, &b, 1, false, now);
    assert_int_equal(mac_learning_learn(ml, 0, &b, 2, false, now + 1),
                     MAC_LEARN_MOVED);
    /* After the hold it moves again. */
    assert_int_equal(
        mac_learning_learn(ml, 0, &a, 3, false, now + MAC_MOVE_HOLD_MS),
        MAC_LEARN_MOVED);
    assert_int_equal(mac_learning_lookup(ml, 0, &a, now + MAC_MOVE_HOLD_MS),
                     3);
    mac_learning_destroy(ml);
}

static void
test_change_log_and_flush(void **state)
{
    struct mac_learning *ml = mac_learning_create(10, 0);
    struct mac_entry_info got[MAC_CHANGE_LOG];
    struct eth_addr first = mac(1);
    bool overflow;
    uint64_t seq = mac_learning_seq(ml);

    for (int i = 0; i < 3; i++) {
        struct eth_addr a = mac(i + 1);

        mac_learning_learn(ml, 7, &a, i + 1, false, 0);
    }
    /* New entries do not bump the sequence; they are logged. */
    assert_int_equal(mac_learning_seq(ml), seq);
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow), 3);
    assert_false(overflow);
    assert_int_equal(got[2].vlan, 7);
    assert_int_equal(got[2].port, 3);
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow), 0);

    /* A refresh is no change; a move is, and so is an expiry. */
    mac_learning_learn(ml, 7, &first, 1, false, 100);
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow), 0);
    mac_learning_learn(ml, 7, &first, 4, false, 200);
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow), 1);
    assert_int_equal(got[0].port, 4);
    assert_int_equal(mac_learning_expire(ml, 10100), 2);
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow), 2);
    assert_false(overflow);

    for (int i = 0; i < MAC_CHANGE_LOG + 1; i++) {
        struct eth_addr a = mac(100 + i);

        mac_learning_learn(ml, 0, &a, 1, false, 10100);
    }
    assert_int_equal(mac_learning_drain_changes(ml, got, &overflow),
                     MAC_CHANGE_LOG);
    assert_true(overflow);

    mac_learning_flush_port(ml, 4);
    assert_true(mac_learning_seq(ml) > seq);
    assert_int_equal(mac_learning_count(ml), MAC_CHANGE_LOG + 1);
    mac_learning_flush(ml);
    assert_int_equal(mac_learning_count(ml), 0);
    mac_learning_destroy(ml);
}

static void *
learner(void *ml_)
{
    struct mac_learning *ml = ml_;

    for (int i = 0; i < 20000; i++) {
        struct eth_addr a = mac(i % 500);

        mac_learning_learn(ml, i % 3, &a, 1 + i % 4, false, i);
        mac_learning_lookup(ml, i % 3, &a, i);
        if (i % 1000 == 0) {
            mac_learning_expire(ml, i);
        }
    }
    return NULL;
}

static void
test_concurrent(void **state)
{
    struct mac_learning *ml = mac_learning_create(0, 256);
    pthread_t t[3];

    for (int i = 0; i < 3; i++) {
        pthread_create(&t[i], NULL, learner, ml);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
    }
    assert_true(mac_learning_count(ml) <= 256);
    mac_learning_destroy(ml);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learn_lookup_vlans),
        cmocka_unit_test(test_aging),
        cmocka_unit_test(test_lru_eviction),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_moves_and_lock),
        cmocka_unit_test(test_move_flood),
        cmocka_unit_test(test_change_log_and_flush),
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests_name("mac-learning", tests, NULL, NULL);
}
