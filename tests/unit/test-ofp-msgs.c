/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"

static void
make(uint8_t *m, uint8_t version, uint8_t type, uint16_t len)
{
    memset(m, 0, len);
    m[0] = version;
    m[1] = type;
    m[2] = len >> 8;
    m[3] = len;
}

static void
test_classify(void **state)
{
    uint8_t m[256];
    enum ofptype t;

    make(m, OFP10_VERSION, OFPT_FEATURES_REQUEST, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), 0);
    assert_int_equal(t, OFPTYPE_FEATURES_REQUEST);
    /* Length field disagrees with the size we hold. */
    assert_int_equal(ofp_decode_type(m, 9, &t), OFPERR_BAD_LEN);
    assert_int_equal(ofp_decode_type(m, 7, &t), OFPERR_BAD_LEN);
    /* Fixed-size message with a wrong size. */
    make(m, OFP10_VERSION, OFPT_FEATURES_REQUEST, 9);
    assert_int_equal(ofp_decode_type(m, 9, &t), OFPERR_BAD_LEN);
    /* OF1.0 FLOW_MOD: 72 + 8n. */
    make(m, OFP10_VERSION, OFPT_FLOW_MOD, 80);
    assert_int_equal(ofp_decode_type(m, 80, &t), 0);
    assert_int_equal(t, OFPTYPE_FLOW_MOD);
    make(m, OFP10_VERSION, OFPT_FLOW_MOD, 76);
    assert_int_equal(ofp_decode_type(m, 76, &t), OFPERR_BAD_LEN);
    make(m, OFP10_VERSION, OFPT_FLOW_MOD, 64);
    assert_int_equal(ofp_decode_type(m, 64, &t), OFPERR_BAD_LEN);
    /* Types beyond a version's range. */
    make(m, OFP10_VERSION, 22, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), OFPERR_BAD_TYPE);
    make(m, OFP13_VERSION, OFPT13_ROLE_REQUEST, 24);
    assert_int_equal(ofp_decode_type(m, 24, &t), 0);
    assert_int_equal(t, OFPTYPE_ROLE_REQUEST);
    make(m, OFP13_VERSION, 30, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), OFPERR_BAD_TYPE);
    /* Same number, different meaning: 18 is BARRIER in 1.0, MULTIPART in
     * 1.3. */
    make(m, OFP10_VERSION, 18, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), 0);
    assert_int_equal(t, OFPTYPE_BARRIER_REQUEST);
    /* Unsupported version (1.1). */
    make(m, OFP11_VERSION, OFPT_FEATURES_REQUEST, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), OFPERR_BAD_VERSION);
    /* HELLO is understood whatever the version. */
    make(m, 0x09, OFPT_HELLO, 8);
    assert_int_equal(ofp_decode_type(m, 8, &t), 0);
    assert_int_equal(t, OFPTYPE_HELLO);
}

static void
test_multipart(void **state)
{
    uint8_t m[64];
    enum ofptype t;

    make(m, OFP13_VERSION, OFPT13_MULTIPART_REQUEST, 16);
    m[9] = OFPMP_PORT_DESC;
    assert_int_equal(ofp_decode_type(m, 16, &t), 0);
    assert_int_equal(t, OFPTYPE_PORT_DESC_REQUEST);
    m[9] = OFPMP_TABLE_FEATURES;
    assert_int_equal(ofp_decode_type(m, 16, &t), 0);
    assert_int_equal(t, OFPTYPE_TABLE_FEATURES_REQUEST);
    m[9] = 14; /* Not defined. */
    assert_int_equal(ofp_decode_type(m, 16, &t), OFPERR_BAD_MULTIPART);
    m[1] = OFPT13_MULTIPART_REPLY;
    m[9] = OFPMP_FLOW;
    assert_int_equal(ofp_decode_type(m, 16, &t), 0);
    assert_int_equal(t, OFPTYPE_FLOW_STATS_REPLY);
    /* OF1.0 stats: 12-byte header, TABLE_FEATURES unknown there. */
    make(m, OFP10_VERSION, OFPT10_STATS_REQUEST, 12);
    m[9] = OFPMP_TABLE;
    assert_int_equal(ofp_decode_type(m, 12, &t), 0);
    assert_int_equal(t, OFPTYPE_TABLE_STATS_REQUEST);
    m[9] = OFPMP_TABLE_FEATURES;
    assert_int_equal(ofp_decode_type(m, 12, &t), OFPERR_BAD_MULTIPART);
    /* Vendor stats need the vendor id. */
    m[8] = m[9] = 0xff;
    assert_int_equal(ofp_decode_type(m, 12, &t), OFPERR_BAD_LEN);
    make(m, OFP10_VERSION, OFPT10_STATS_REQUEST, 16);
    m[8] = m[9] = 0xff;
    assert_int_equal(ofp_decode_type(m, 16, &t), 0);
    assert_int_equal(t, OFPTYPE_EXPERIMENTER_STATS_REQUEST);
}

static void
test_hello(void **state)
{
    struct buf b;
    uint32_t v;
    uint8_t of10[8] = {1, 0, 0, 8, 0, 0, 0, 1};
    uint8_t ovs_switch[8] = {6, 0, 0, 8, 0, 0, 0, 1};
    uint8_t ofctl13[16] = {4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x10};
    uint8_t bad_elem[16] = {4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 40, 0, 0, 0, 0};

    buf_init(&b, 0, 64);
    ofp_hello_encode(&b, OFP_SUPPORTED_VERSIONS, 7);
    /* Highest version in the header, bitmap {1.0, 1.3} in the body. */
    assert_int_equal(b.size, 16);
    assert_int_equal(b.data[0], OFP13_VERSION);
    assert_int_equal(b.data[15], 0x12);
    assert_int_equal(ofp_hello_decode(b.data, b.size, &v), 0);
    assert_int_equal(v, OFP_SUPPORTED_VERSIONS);
    buf_uninit(&b);

    /* ovs-ofctl default: 1.0 only. */
    assert_int_equal(ofp_hello_decode(of10, 8, &v), 0);
    assert_int_equal(ofp_negotiate(OFP_SUPPORTED_VERSIONS, v), OFP10_VERSION);
    /* ovs-vswitchd / ovs-testcontroller: 0x06, no bitmap: 1.0-1.5. */
    assert_int_equal(ofp_hello_decode(ovs_switch, 8, &v), 0);
    assert_int_equal(ofp_negotiate(OFP_SUPPORTED_VERSIONS, v), OFP13_VERSION);
    /* ovs-ofctl -O OpenFlow13. */
    assert_int_equal(ofp_hello_decode(ofctl13, 16, &v), 0);
    assert_int_equal(v, 0x10);
    assert_int_equal(ofp_negotiate(OFP_SUPPORTED_VERSIONS, v), OFP13_VERSION);
    /* -O OpenFlow11: no common version. */
    assert_int_equal(
        ofp_negotiate(OFP_SUPPORTED_VERSIONS, OFP_VERSION_BIT(OFP11_VERSION)),
        0);
    assert_int_equal(ofp_hello_decode(bad_elem, 16, &v), OFPERR_BAD_LEN);
}

static void
test_errors(void **state)
{
    uint8_t req[100];
    uint16_t type, code;
    struct buf b;

    assert_true(
        ofperr_get_code(OFPERR_BAD_MULTIPART, OFP10_VERSION, &type, &code));
    assert_int_equal(type, 1);
    assert_int_equal(code, 2);
    assert_true(
        ofperr_get_code(OFPERR_BAD_PREREQ, OFP13_VERSION, &type, &code));
    assert_int_equal(type, 4);
    assert_int_equal(code, 9);
    /* 1.0 has no match errors: Open vSwitch sends Nicira vendor ones. */
    assert_true(ofperr_has_code(OFPERR_BAD_PREREQ, OFP10_VERSION));
    assert_true(
        ofperr_get_code(OFPERR_BAD_PREREQ, OFP10_VERSION, &type, &code));
    assert_int_equal(type, NX10(1));
    assert_int_equal(code, 0x104);
    assert_int_equal(ofperr_decode(OFP10_VERSION, NX10(0), 0x107),
                     OFPERR_BAD_FIELD);
    assert_false(ofperr_has_code(OFPERR_BAD_MATCH_TYPE, OFP10_VERSION));
    assert_int_equal(ofperr_decode(OFP13_VERSION, 5, 3),
                     OFPERR_FLOW_MOD_OVERLAP);
    assert_int_equal(ofperr_decode(OFP10_VERSION, 3, 1),
                     OFPERR_FLOW_MOD_OVERLAP);
    assert_string_equal(ofperr_name(OFPERR_BAD_EXPERIMENTER),
                        "BAD_EXPERIMENTER");
    assert_false(ofperr_is_valid(5));

    memset(req, 0xab, sizeof req);
    buf_init(&b, 0, 128);
    ofperr_encode(&b, OFPERR_BAD_TYPE, OFP13_VERSION, 0x01020304, req,
                  sizeof req);
    /* 12-byte error header + the first 64 bytes of the request. */
    assert_int_equal(b.size, 76);
    assert_int_equal((b.data[2] << 8) | b.data[3], 76);
    assert_int_equal(b.data[1], OFPT_ERROR);
    assert_int_equal(b.data[7], 4);
    assert_int_equal(b.data[9], 1);
    assert_int_equal(b.data[11], 1);
    assert_int_equal(b.data[75], 0xab);
    buf_uninit(&b);
}

static void
test_version_names(void **state)
{
    assert_int_equal(ofp_version_from_name("OpenFlow13"), OFP13_VERSION);
    assert_int_equal(ofp_version_from_name("openflow10"), OFP10_VERSION);
    assert_int_equal(ofp_version_from_name("1.3"), OFP13_VERSION);
    assert_int_equal(ofp_version_from_name("OpenFlow16"), 0);
    assert_string_equal(ofp_version_name(OFP15_VERSION), "OpenFlow15");
    assert_true(ofp_version_is_supported(OFP10_VERSION));
    assert_false(ofp_version_is_supported(OFP12_VERSION));
    assert_false(ofp_version_is_supported(200));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),      cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_hello),         cmocka_unit_test(test_errors),
        cmocka_unit_test(test_version_names),
    };
    return cmocka_run_group_tests_name("ofp-msgs", tests, NULL, NULL);
}
