/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"

static void
test_config(void **state)
{
    uint8_t m[12] = {1, OFPT_SET_CONFIG, 0, 12, 0, 0, 0, 1, 0, 2, 0, 128};
    struct ofp_switch_config sc;

    assert_int_equal(ofp_switch_config_decode(m, 12, &sc), 0);
    assert_int_equal(sc.flags, OFPC_FRAG_REASM);
    assert_int_equal(sc.miss_send_len, 128);
    m[9] = 0x10;
    assert_int_equal(ofp_switch_config_decode(m, 12, &sc),
                     OFPERR_SWITCH_CONFIG_BAD_FLAGS);
    assert_int_equal(ofp_switch_config_decode(m, 11, &sc), OFPERR_BAD_LEN);
}

static void
test_mp_reply_sizes(void **state)
{
    uint8_t req[12] = {1, OFPT10_STATS_REQUEST, 0, 12, 0, 0, 0, 4,
                       0, OFPMP_TABLE};
    struct ofp_mp_reply r;
    struct buf *m;
    int n = 0;
    size_t total = 0;

    ofp_mp_reply_init(&r, req);
    for (int i = 0; i < 3000; i++) {
        memset(ofp_mp_reply_put(&r, 64), i, 64);
    }
    ofp_mp_reply_finish(&r);
    while ((m = ofp_mp_reply_pop(&r))) {
        enum ofptype t;

        assert_true(m->size <= 65535);
        assert_int_equal(ofp_decode_type(m->data, m->size, &t), 0);
        assert_int_equal(t, OFPTYPE_TABLE_STATS_REPLY);
        assert_int_equal(m->data[7], 4); /* xid */
        total += m->size - 12;
        n++;
        assert_int_equal(m->data[11] & OFPMPF_MORE,
                         vs_list_is_empty(&r.msgs) ? 0 : OFPMPF_MORE);
        buf_delete(m);
    }
    assert_int_equal(total, 3000 * 64);
    assert_int_equal(n, 3); /* 192000 bytes in parts of at most 65535. */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_mp_reply_sizes),
    };
    return cmocka_run_group_tests_name("ofp-switch", tests, NULL, NULL);
}
