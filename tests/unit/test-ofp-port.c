/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-wire.h"

static void
test_numbers(void **state)
{
    uint16_t p;
    char buf[16];

    assert_int_equal(ofp_port_to_ofp13(5), 5);
    assert_int_equal(ofp_port_to_ofp13(OFPP_LOCAL), 0xfffffffe);
    assert_int_equal(ofp_port_to_ofp13(OFPP_NONE), 0xffffffff);
    assert_int_equal(ofp_port_from_ofp13(0xfffffffd, &p), 0);
    assert_int_equal(p, OFPP_CONTROLLER);
    assert_int_equal(ofp_port_from_ofp13(0xfeff, &p), 0);
    assert_int_equal(p, 0xfeff);
    assert_int_equal(ofp_port_from_ofp13(0xff00, &p), OFPERR_BAD_PORT);
    assert_int_equal(ofp_port_from_ofp13(0x12345678, &p), OFPERR_BAD_PORT);
    assert_string_equal(ofp_port_to_string(OFPP_LOCAL, buf), "LOCAL");
    assert_string_equal(ofp_port_to_string(42, buf), "42");
    assert_true(ofp_port_from_string("normal", &p));
    assert_int_equal(p, OFPP_NORMAL);
    assert_true(ofp_port_from_string("65534", &p));
    assert_int_equal(p, OFPP_LOCAL);
    assert_false(ofp_port_from_string("70000", &p));
    assert_false(ofp_port_from_string("eth0", &p));
}

static void
test_desc_round_trip(void **state)
{
    struct ofp_port_desc in =
                             {
                                 .port_no = 3,
                                 .hw_addr = {0x52, 0x54, 0, 1, 2, 3},
                                 .name = "vnet0",
                                 .config = OFPPC_NO_PACKET_IN,
                                 .state = OFPPS_LIVE,
                                 .curr = OFPPF13_10GB_FD | OFPPF13_COPPER,
                                 .curr_speed = 10000000,
                                 .max_speed = 10000000,
                             },
                         out;
    struct buf b;

    buf_init(&b, 0, 64);
    ofp_port_desc_encode(&b, &in, OFP13_VERSION);
    assert_int_equal(b.size, OFP13_PORT_SIZE);
    assert_int_equal(ofp_port_desc_decode(b.data, b.size, OFP13_VERSION, &out),
                     0);
    assert_memory_equal(&in, &out, sizeof in);

    buf_clear(&b);
    ofp_port_desc_encode(&b, &in, OFP10_VERSION);
    assert_int_equal(b.size, OFP10_PORT_SIZE);
    /* 1.0 puts COPPER at bit 7. */
    assert_int_equal(b.data[35], (1 << 6) | (1 << 7));
    assert_int_equal(ofp_port_desc_decode(b.data, b.size, OFP10_VERSION, &out),
                     0);
    assert_string_equal(out.name, "vnet0");
    assert_int_equal(out.curr, in.curr);
    assert_int_equal(out.state, 0); /* LIVE does not exist in 1.0. */
    assert_int_equal(out.curr_speed, 0);
    assert_int_equal(ofp_port_desc_decode(b.data, 47, OFP10_VERSION, &out),
                     OFPERR_BAD_LEN);
    buf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_desc_round_trip),
    };
    return cmocka_run_group_tests_name("ofp-port", tests, NULL, NULL);
}
