/* SPDX-License-Identifier: Apache-2.0 */
/* connmgr's role and async logic on connections without sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitchd/connmgr.h"
#include "vswitchd/ofproto.h"

struct fixture {
    struct ofproto *ofp;
    struct connmgr *mgr;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    f->ofp = ofproto_create("t", NULL, NULL);
    f->mgr = ofproto_connmgr(f->ofp);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ofproto_destroy(f->ofp);
    free(f);
    return 0;
}

static void
test_new_master_demotes_old(void **state)
{
    struct fixture *f = *state;
    struct ofconn *a = connmgr_add_ofconn(f->mgr, NULL, false);
    struct ofconn *b = connmgr_add_ofconn(f->mgr, NULL, false);
    struct ofconn *c = connmgr_add_ofconn(f->mgr, NULL, false);
    uint32_t role;

    assert_int_equal(ofconn_role(a), OFPCR_ROLE_EQUAL);
    assert_int_equal(connmgr_set_role(f->mgr, a, OFPCR_ROLE_MASTER, 1, &role),
                     0);
    assert_int_equal(role, OFPCR_ROLE_MASTER);
    assert_int_equal(connmgr_set_role(f->mgr, b, OFPCR_ROLE_MASTER, 2, &role),
                     0);
    assert_int_equal(ofconn_role(a), OFPCR_ROLE_SLAVE);
    assert_int_equal(ofconn_role(b), OFPCR_ROLE_MASTER);
    assert_int_equal(ofconn_role(c), OFPCR_ROLE_EQUAL); /* Untouched. */
    assert_int_equal(
        connmgr_set_role(f->mgr, c, OFPCR_ROLE_NOCHANGE, 0, &role), 0);
    assert_int_equal(role, OFPCR_ROLE_EQUAL);
    /* EQUAL needs no generation. */
    assert_int_equal(connmgr_set_role(f->mgr, a, OFPCR_ROLE_EQUAL, 0, &role),
                     0);
    assert_int_equal(ofconn_role(a), OFPCR_ROLE_EQUAL);
}

static void
test_generations(void **state)
{
    struct fixture *f = *state;
    struct ofconn *a = connmgr_add_ofconn(f->mgr, NULL, false);
    uint32_t role;

    /* The first one sets the generation, whatever it is. */
    assert_int_equal(
        connmgr_set_role(f->mgr, a, OFPCR_ROLE_SLAVE, UINT64_MAX - 1, &role),
        0);
    assert_int_equal(
        connmgr_set_role(f->mgr, a, OFPCR_ROLE_MASTER, UINT64_MAX - 2, &role),
        OFPERR_ROLE_STALE);
    assert_int_equal(ofconn_role(a), OFPCR_ROLE_SLAVE);
    /* Same generation again is fine; wrapping around is newer. */
    assert_int_equal(
        connmgr_set_role(f->mgr, a, OFPCR_ROLE_MASTER, UINT64_MAX - 1, &role),
        0);
    assert_int_equal(connmgr_set_role(f->mgr, a, OFPCR_ROLE_MASTER, 3, &role),
                     0);
    assert_int_equal(connmgr_set_role(f->mgr, a, OFPCR_ROLE_SLAVE, 2, &role),
                     OFPERR_ROLE_STALE);
    assert_int_equal(connmgr_set_role(f->mgr, a, 7, 9, &role),
                     OFPERR_BAD_ROLE);
}

static void
test_async_defaults_by_role(void **state)
{
    struct fixture *f = *state;
    struct ofconn *a = connmgr_add_ofconn(f->mgr, NULL, false);
    uint32_t role;

    assert_true(ofconn_wants_async(a, OFCONN_ASYNC_PACKET_IN, OFPR_NO_MATCH));
    assert_true(ofconn_wants_async(a, OFCONN_ASYNC_PACKET_IN, OFPR_ACTION));
    assert_true(
        ofconn_wants_async(a, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_HARD_TIMEOUT));
    assert_true(ofconn_wants_async(a, OFCONN_ASYNC_PORT_STATUS, OFPPR_ADD));
    connmgr_set_role(f->mgr, a, OFPCR_ROLE_SLAVE, 1, &role);
    assert_false(ofconn_wants_async(a, OFCONN_ASYNC_PACKET_IN, OFPR_NO_MATCH));
    assert_false(
        ofconn_wants_async(a, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_DELETE));
    assert_true(ofconn_wants_async(a, OFCONN_ASYNC_PORT_STATUS, OFPPR_MODIFY));
    assert_false(ofconn_wants_async(a, OFCONN_ASYNC_PORT_STATUS, 40));
}

static struct buf *
set_async(const struct ofp_async_config *ac)
{
    struct buf *b = buf_new(0, 64);

    ofp_async_encode(OFPT13_SET_ASYNC, ac, 5, b);
    return b;
}

static void
test_service_asks(void **state)
{
    struct fixture *f = *state;
    struct ofconn *s = connmgr_add_ofconn(f->mgr, NULL, true);
    struct ofconn *t = connmgr_add_ofconn(f->mgr, NULL, true);
    struct ofp_async_config ac = ofp_async_default;
    struct ofp_switch_config sc = {0, 128};
    struct buf *b;

    assert_int_equal(ofconn_miss_send_len(s), 0);
    assert_false(ofconn_wants_async(s, OFCONN_ASYNC_PORT_STATUS, OFPPR_ADD));
    assert_false(
        ofconn_wants_async(s, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_IDLE_TIMEOUT));
    /* SET_ASYNC: exactly what it says. */
    ac.flow_removed_mask[0] = 1 << OFPRR_DELETE;
    b = set_async(&ac);
    assert_int_equal(connmgr_handle_msg(f->mgr, s, b), 0);
    buf_delete(b);
    assert_true(
        ofconn_wants_async(s, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_DELETE));
    assert_false(
        ofconn_wants_async(s, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_IDLE_TIMEOUT));
    /* A nonzero miss_send_len asks for the defaults. */
    b = buf_new(0, 16);
    ofp_get_config_reply_encode(b, OFP13_VERSION, 6, &sc);
    ((uint8_t *) b->data)[1] = OFPT_SET_CONFIG;
    assert_int_equal(connmgr_handle_msg(f->mgr, t, b), 0);
    buf_delete(b);
    assert_int_equal(ofconn_miss_send_len(t), 128);
    assert_true(
        ofconn_wants_async(t, OFCONN_ASYNC_FLOW_REMOVED, OFPRR_IDLE_TIMEOUT));
}

static void
test_slave_writes_refused(void **state)
{
    struct fixture *f = *state;
    struct ofconn *a = connmgr_add_ofconn(f->mgr, NULL, false);
    struct ofp_flow_mod fm;
    struct buf *b = buf_new(0, 128);
    char *err;
    uint32_t role;

    assert_int_equal(
        ofp_flow_mod_parse(&fm, "priority=3,ip,actions=drop", OFPFC_ADD, &err),
        0);
    assert_int_equal(ofp_flow_mod_encode(&fm, OFP13_VERSION, 9, b), 0);
    connmgr_set_role(f->mgr, a, OFPCR_ROLE_SLAVE, 1, &role);
    assert_int_equal(connmgr_handle_msg(f->mgr, a, b), OFPERR_IS_SLAVE);
    connmgr_set_role(f->mgr, a, OFPCR_ROLE_MASTER, 1, &role);
    assert_int_equal(connmgr_handle_msg(f->mgr, a, b), 0);
    ofp_flow_mod_uninit(&fm);
    buf_delete(b);
}

/* A Nicira NXT_FLOW_MOD is a write too. */
static void
test_slave_nx_flow_mod_refused(void **state)
{
    /* Header, Nicira vendor id, subtype; priority 0x8000; no buffer; out
     * port none; no match, no actions. */
    static const uint8_t nx_flow_mod[48] = {
        [0] = OFP10_VERSION,
        [1] = OFPT_EXPERIMENTER,
        [3] = 48,
        [7] = 9,
        [10] = 0x23,
        [11] = 0x20,
        [15] = NXT_FLOW_MOD,
        [30] = 0x80,
        [32] = 0xff,
        [33] = 0xff,
        [34] = 0xff,
        [35] = 0xff,
        [36] = 0xff,
        [37] = 0xff,
    };
    struct fixture *f = *state;
    struct ofconn *a = connmgr_add_ofconn(f->mgr, NULL, false);
    struct buf *b = buf_new(0, 64);
    uint32_t role;

    buf_put(b, nx_flow_mod, sizeof nx_flow_mod);
    connmgr_set_role(f->mgr, a, OFPCR_ROLE_SLAVE, 1, &role);
    assert_int_equal(connmgr_handle_msg(f->mgr, a, b), OFPERR_IS_SLAVE);
    buf_delete(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_master_demotes_old, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_generations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_async_defaults_by_role, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_service_asks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slave_writes_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_slave_nx_flow_mod_refused, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
