/* SPDX-License-Identifier: Apache-2.0 */
/* GROUP_MOD, group multipart replies, PORT_MOD, TABLE_MOD, ROLE, async
 * configuration: round trips through ofp_decode_type() and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"

static void
check_type(const struct buf *b, enum ofptype expect)
{
    enum ofptype type;

    assert_int_equal(ofp_decode_type(b->data, b->size, &type), 0);
    assert_int_equal(type, expect);
}

static void
make_group(struct ofp_group_mod_req *gm, uint16_t command, uint8_t type,
           uint32_t id)
{
    static const char *const acts[] = {"output:1", "set_queue:2,output:3",
                                       "group:9"};

    memset(gm, 0, sizeof *gm);
    gm->command = command;
    gm->type = type;
    gm->group_id = id;
    gm->n_buckets = 3;
    gm->buckets = xcalloc(3, sizeof *gm->buckets);
    for (size_t i = 0; i < 3; i++) {
        gm->buckets[i].weight = type == OFPGT_SELECT ? i + 1 : 0;
        gm->buckets[i].watch_port = type == OFPGT_FF ? i + 1 : OFPP_NONE;
        gm->buckets[i].watch_group = OFPG_ANY;
        ofpacts_init(&gm->buckets[i].actions);
        assert_int_equal(
            ofpacts_parse(acts[i], NULL, &gm->buckets[i].actions, NULL), 0);
    }
}

static void
same_group(const struct ofp_group_mod_req *a,
           const struct ofp_group_mod_req *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->group_id, b->group_id);
    assert_int_equal(a->n_buckets, b->n_buckets);
    for (size_t i = 0; i < a->n_buckets; i++) {
        assert_int_equal(a->buckets[i].weight, b->buckets[i].weight);
        assert_int_equal(a->buckets[i].watch_port, b->buckets[i].watch_port);
        assert_int_equal(a->buckets[i].watch_group, b->buckets[i].watch_group);
        assert_true(
            ofpacts_equal(&a->buckets[i].actions, &b->buckets[i].actions));
    }
}

static void
test_group_mod(void **state)
{
    (void) state;
    for (uint8_t type = OFPGT_ALL; type <= OFPGT_FF; type++) {
        struct ofp_group_mod_req gm, back;
        struct buf b;

        make_group(&gm, OFPGC_ADD, type, 7);
        buf_init(&b, 0, 128);
        ofp_group_mod_encode(&gm, 3, &b);
        check_type(&b, OFPTYPE_GROUP_MOD);
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back), 0);
        assert_int_equal(back.command, OFPGC_ADD);
        same_group(&gm, &back);
        ofp_group_mod_uninit(&back);

        /* Errors: command, type, id, bucket length, watch port. */
        b.data[9] = 3;
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back),
                         OFPERR_BAD_GROUP_COMMAND);
        ofp_group_mod_uninit(&back);
        b.data[9] = 0;
        b.data[10] = 4;
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back),
                         OFPERR_BAD_GROUP_TYPE);
        ofp_group_mod_uninit(&back);
        b.data[10] = type;
        memset(b.data + 12, 0xff, 4);
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back),
                         OFPERR_INVALID_GROUP);
        ofp_group_mod_uninit(&back);
        b.data[15] = 7;
        memset(b.data + 12, 0, 3);
        b.data[17] = 8; /* First bucket 8 bytes long. */
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back),
                         OFPERR_BAD_BUCKET);
        ofp_group_mod_uninit(&back);
        b.data[17] = 32;
        b.data[20] = 0x80; /* Watch port in the unmapped range. */
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back),
                         OFPERR_BAD_WATCH);
        ofp_group_mod_uninit(&back);
        ofp_group_mod_uninit(&gm);
        buf_uninit(&b);
    }
}

static void
test_group_replies(void **state)
{
    struct ofp_group_mod_req gm, back;
    struct of_group g;
    struct ofp_mp_reply r;
    struct buf req, *m;
    uint32_t id;
    const uint8_t *p;
    size_t size;

    (void) state;
    buf_init(&req, 0, 64);
    ofp_group_stats_request_encode(OFPMP_GROUP, OFPG_ALL, 1, &req);
    check_type(&req, OFPTYPE_GROUP_STATS_REQUEST);
    assert_int_equal(ofp_group_stats_request_decode(req.data, req.size, &id),
                     0);
    assert_int_equal(id, OFPG_ALL);
    {
        static const uint64_t pk[2] = {1, 2}, by[2] = {60, 120};
        struct ofp_group_stats gs = {7, 1, 3, 180, 5, 6, 2, pk, by};

        ofp_mp_reply_init(&r, req.data);
        ofp_group_stats_put(&r, &gs);
        ofp_mp_reply_finish(&r);
        m = ofp_mp_reply_pop(&r);
        check_type(m, OFPTYPE_GROUP_STATS_REPLY);
        assert_int_equal(m->size, 16 + 40 + 32);
        buf_delete(m);
        ofp_mp_reply_destroy(&r);
    }

    buf_clear(&req);
    ofp_group_stats_request_encode(OFPMP_GROUP_DESC, 0, 2, &req);
    check_type(&req, OFPTYPE_GROUP_DESC_REQUEST);
    make_group(&gm, OFPGC_ADD, OFPGT_SELECT, 5);
    g.id = 5;
    g.type = OFPGT_SELECT;
    g.buckets = gm.buckets;
    g.n_buckets = gm.n_buckets;
    ofp_mp_reply_init(&r, req.data);
    ofp_group_desc_put(&r, &g);
    ofp_mp_reply_finish(&r);
    m = ofp_mp_reply_pop(&r);
    check_type(m, OFPTYPE_GROUP_DESC_REPLY);
    p = m->data + 16;
    size = m->size - 16;
    assert_int_equal(ofp_group_desc_pull(&p, &size, &back), 0);
    assert_int_equal(size, 0);
    same_group(&gm, &back);
    ofp_group_mod_uninit(&back);
    ofp_group_mod_uninit(&gm);
    buf_delete(m);
    ofp_mp_reply_destroy(&r);

    buf_clear(&req);
    ofp_group_stats_request_encode(OFPMP_GROUP_FEATURES, 0, 3, &req);
    check_type(&req, OFPTYPE_GROUP_FEATURES_REQUEST);
    ofp_mp_reply_init(&r, req.data);
    ofp_group_features_put(&r, &ofp_vswitch_group_features);
    ofp_mp_reply_finish(&r);
    m = ofp_mp_reply_pop(&r);
    check_type(m, OFPTYPE_GROUP_FEATURES_REPLY);
    assert_int_equal(m->size, 16 + 40);
    assert_int_equal(m->data[19], 0x0f); /* All four types. */
    buf_delete(m);
    ofp_mp_reply_destroy(&r);
    buf_uninit(&req);
}

static void
test_port_mod(void **state)
{
    static const uint8_t versions[] = {OFP10_VERSION, OFP13_VERSION};

    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_port_mod pm = {3,
                                  {0x52, 0x54, 0, 0, 0, 1},
                                  OFPPC_PORT_DOWN,
                                  OFPPC_PORT_DOWN | OFPPC_NO_FWD,
                                  0},
                            back;
        struct buf b;

        buf_init(&b, 0, 64);
        ofp_port_mod_encode(&pm, versions[v], 1, &b);
        check_type(&b, OFPTYPE_PORT_MOD);
        assert_int_equal(ofp_port_mod_decode(b.data, b.size, &back), 0);
        assert_memory_equal(&pm, &back, sizeof pm);
        buf_clear(&b);
        pm.port_no = 0;
        ofp_port_mod_encode(&pm, versions[v], 1, &b);
        assert_int_equal(ofp_port_mod_decode(b.data, b.size, &back),
                         OFPERR_PORT_MOD_BAD_PORT);
        if (versions[v] == OFP13_VERSION) {
            buf_clear(&b);
            pm.port_no = 1;
            pm.config = 1u << 20;
            ofp_port_mod_encode(&pm, versions[v], 1, &b);
            assert_int_equal(ofp_port_mod_decode(b.data, b.size, &back),
                             OFPERR_PORT_MOD_BAD_CONFIG);
        }
        buf_uninit(&b);
    }
}

static void
test_table_role_async(void **state)
{
    struct ofp_async_config ac;
    struct buf b;
    uint8_t table;
    uint32_t config, role;
    uint64_t gen;

    (void) state;
    buf_init(&b, 0, 64);
    ofp_table_mod_encode(3, OFPTC13_DEPRECATED_MASK, 1, &b);
    check_type(&b, OFPTYPE_TABLE_MOD);
    assert_int_equal(ofp_table_mod_decode(b.data, b.size, &table, &config), 0);
    assert_int_equal(table, 3);
    b.data[8] = 254;
    assert_int_equal(ofp_table_mod_decode(b.data, b.size, &table, &config),
                     OFPERR_TABLE_MOD_BAD_TABLE);
    b.data[8] = 255;
    b.data[12] = 1;
    assert_int_equal(ofp_table_mod_decode(b.data, b.size, &table, &config),
                     OFPERR_TABLE_MOD_BAD_CONFIG);

    buf_clear(&b);
    ofp_role_encode(OFPT13_ROLE_REQUEST, OFPCR_ROLE_MASTER, 0x1234, 2, &b);
    check_type(&b, OFPTYPE_ROLE_REQUEST);
    assert_int_equal(ofp_role_decode(b.data, b.size, &role, &gen), 0);
    assert_int_equal(role, OFPCR_ROLE_MASTER);
    assert_int_equal(gen, 0x1234);
    b.data[11] = 4;
    assert_int_equal(ofp_role_decode(b.data, b.size, &role, &gen),
                     OFPERR_BAD_ROLE);
    buf_clear(&b);
    ofp_role_encode(OFPT13_ROLE_REPLY, OFPCR_ROLE_SLAVE, 9, 2, &b);
    check_type(&b, OFPTYPE_ROLE_REPLY);

    buf_clear(&b);
    ofp_async_encode(OFPT13_SET_ASYNC, &ofp_async_default, 3, &b);
    check_type(&b, OFPTYPE_SET_ASYNC);
    assert_int_equal(ofp_async_decode(b.data, b.size, &ac), 0);
    assert_memory_equal(&ac, &ofp_async_default, sizeof ac);
    buf_clear(&b);
    ofp_async_encode(OFPT13_GET_ASYNC_REPLY, &ofp_async_default, 3, &b);
    check_type(&b, OFPTYPE_GET_ASYNC_REPLY);
    buf_uninit(&b);
}

static void
test_group_text(void **state)
{
    /* What ovs-ofctl add-group takes, and dump-groups prints of it. */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"group_id=1,type=all,bucket=output:1,bucket=output:2",
         "group_id=1,type=all,bucket=actions=output:1,"
         "bucket=actions=output:2"},
        {"group_id=2,type=select,bucket=weight:5,output:1,"
         "bucket=weight:7,output:3",
         "group_id=2,type=select,bucket=weight:5,actions=output:1,"
         "bucket=weight:7,actions=output:3"},
        {"group_id=3,type=ff,bucket=watch_port:1,output:1,"
         "bucket=watch_port:2,actions=output:2",
         "group_id=3,type=ff,bucket=watch_port:1,actions=output:1,"
         "bucket=watch_port:2,actions=output:2"},
        {"type=indirect,group_id=4,bucket=actions=group:1",
         "group_id=4,type=indirect,bucket=actions=group:1"},
        {"group_id=5,type=select,bucket=set_field:1.2.3.4->ip_src,output:1",
         "group_id=5,type=select,bucket=actions=set_field:1.2.3.4->ip_src,"
         "output:1"},
    };
    static const char *const bad[] = {
        "type=all,bucket=output:1",
        "group_id=1,type=bogus",
        "group_id=1,type=all,bucket=output:0",
        "group_id=x",
        "group_id=1,type=select,bucket=weight:x,output:1",
    };

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ofp_group_mod_req gm, back;
        struct buf b;
        struct ds ds;
        char *error = NULL;

        if (ofp_group_mod_parse(&gm, cases[i].in, OFPGC_ADD, &error)) {
            fail_msg("%s: %s", cases[i].in, error);
        }
        buf_init(&b, 0, 128);
        ofp_group_mod_encode(&gm, 1, &b);
        assert_int_equal(ofp_group_mod_decode(b.data, b.size, &back), 0);
        ds_init(&ds);
        ofp_group_format(back.group_id, back.type, back.buckets,
                         back.n_buckets, &ds);
        assert_string_equal(ds_cstr(&ds), cases[i].out);
        ds_destroy(&ds);
        buf_uninit(&b);
        ofp_group_mod_uninit(&gm);
        ofp_group_mod_uninit(&back);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ofp_group_mod_req gm;
        char *error = NULL;

        if (!ofp_group_mod_parse(&gm, bad[i], OFPGC_ADD, &error)) {
            fail_msg("%s: accepted", bad[i]);
        }
        free(error);
    }
    {
        struct ofp_group_mod_req gm;

        assert_int_equal(ofp_group_mod_parse(&gm, "", OFPGC_DELETE, NULL), 0);
        assert_int_equal(gm.group_id, OFPG_ALL);
        ofp_group_mod_uninit(&gm);
    }
}

static void
test_port_stats(void **state)
{
    static const uint8_t versions[] = {OFP10_VERSION, OFP13_VERSION};

    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_port_stats ps = {.port_no = OFPP_LOCAL,
                                    .rx_packets = 7,
                                    .collisions = 9,
                                    .duration_sec = 3};
        struct ofp_mp_reply r;
        struct buf b, *m;
        uint16_t port;

        buf_init(&b, 0, 64);
        ofp_port_stats_request_encode(versions[v], OFPP_NONE, 1, &b);
        check_type(&b, OFPTYPE_PORT_STATS_REQUEST);
        assert_int_equal(ofp_port_stats_request_decode(b.data, b.size, &port),
                         0);
        assert_int_equal(port, OFPP_NONE);
        buf_clear(&b);
        ofp_port_stats_request_encode(versions[v], 3, 1, &b);
        assert_int_equal(ofp_port_stats_request_decode(b.data, b.size, &port),
                         0);
        assert_int_equal(port, 3);
        ofp_mp_reply_init(&r, b.data);
        ofp_port_stats_put(&r, &ps);
        ofp_mp_reply_finish(&r);
        m = ofp_mp_reply_pop(&r);
        check_type(m, OFPTYPE_PORT_STATS_REPLY);
        assert_int_equal(m->size,
                         versions[v] == OFP10_VERSION ? 12 + 104 : 16 + 112);
        buf_delete(m);
        ofp_mp_reply_destroy(&r);
        buf_uninit(&b);
    }
}

static void
test_desc(void **state)
{
    uint8_t req[16] = {
        4, OFPT13_MULTIPART_REQUEST, 0, 16, 0, 0, 0, 1, 0, OFPMP_DESC};
    struct ofp_desc d = {"mfr", "hw", "sw",
                         "serial-number-that-is-far-"
                         "too-long-to-fit",
                         "dp"};
    struct ofp_mp_reply r;
    struct buf *m;

    (void) state;
    ofp_mp_reply_init(&r, req);
    ofp_desc_reply_put(&r, &d);
    ofp_mp_reply_finish(&r);
    m = ofp_mp_reply_pop(&r);
    check_type(m, OFPTYPE_DESC_REPLY);
    assert_int_equal(m->size, 16 + 1056);
    assert_string_equal((char *) m->data + 16, "mfr");
    assert_int_equal(strlen((char *) m->data + 16 + 768), 31);
    assert_string_equal((char *) m->data + 16 + 800, "dp");
    buf_delete(m);
    ofp_mp_reply_destroy(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_mod),
        cmocka_unit_test(test_group_replies),
        cmocka_unit_test(test_port_mod),
        cmocka_unit_test(test_table_role_async),
        cmocka_unit_test(test_group_text),
        cmocka_unit_test(test_port_stats),
        cmocka_unit_test(test_desc),
    };
    return cmocka_run_group_tests_name("ofp-group", tests, NULL, NULL);
}
