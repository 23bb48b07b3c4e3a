/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-table.h"
#include "vswitch/ofp-wire.h"

/* Walks the properties of one table-features entry: each is at least 4
 * bytes, padded to 8, and the eight required types are all present. */
static void
check_entry(const uint8_t *p, size_t len)
{
    unsigned int seen = 0;
    size_t ofs = 64;

    while (ofs < len) {
        uint16_t type = (p[ofs] << 8) | p[ofs + 1];
        uint16_t plen = (p[ofs + 2] << 8) | p[ofs + 3];

        assert_true(plen >= 4);
        assert_true(ofs + plen <= len);
        if (type < 32) {
            seen |= 1u << type;
        }
        ofs += (plen + 7) / 8 * 8;
    }
    assert_int_equal(ofs, len);
    assert_int_equal(seen & 0x5555, 0x5555); /* 0,2,4,...,14 */
}

static void
test_features_entries(void **state)
{
    uint8_t req[16] = {4, OFPT13_MULTIPART_REQUEST, 0, 16, 0, 0, 0, 1,
                       0, OFPMP_TABLE_FEATURES};
    struct ofp_mp_reply r;
    struct buf *m;
    int tables = 0;

    ofp_mp_reply_init(&r, req);
    for (int t = 0; t < 254; t++) {
        ofp_table_features_put(&r, t, "t", 1000, &ofp_vswitch_table_caps);
    }
    ofp_mp_reply_finish(&r);
    while ((m = ofp_mp_reply_pop(&r))) {
        enum ofptype type;
        size_t ofs = 16;

        assert_int_equal(ofp_decode_type(m->data, m->size, &type), 0);
        assert_int_equal(type, OFPTYPE_TABLE_FEATURES_REPLY);
        while (ofs < m->size) {
            size_t len = (m->data[ofs] << 8) | m->data[ofs + 1];

            assert_true(len >= 64 && len % 8 == 0);
            assert_int_equal(m->data[ofs + 2], tables);
            check_entry(m->data + ofs, len);
            ofs += len;
            tables++;
        }
        buf_delete(m);
    }
    assert_int_equal(tables, 254);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_features_entries),
    };
    return cmocka_run_group_tests_name("ofp-table", tests, NULL, NULL);
}
