/* SPDX-License-Identifier: Apache-2.0 */
/* The dpif front end (lib/dpif.c): dpif_operate() over a provider without
 * a batch operation (netdev), type availability, enumeration. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"

static void
parse(const char *key_text, const char *actions_text, struct buf *key,
      struct buf *mask, struct buf *actions)
{
    char *error = NULL;

    buf_init(key, 0, 128);
    buf_init(mask, 0, 128);
    buf_init(actions, 0, 64);
    assert_int_equal(odp_key_parse(key_text, key, mask, &error), 0);
    assert_int_equal(odp_actions_parse(actions_text, actions, &error), 0);
}

static void
test_operate(void **state)
{
    static const char *const keys[3] = {
        "in_port(1),eth(),eth_type(0x0800),ipv4()",
        "in_port(2),eth(),eth_type(0x0800),ipv4()",
        "in_port(1),eth(),eth_type(0x0806),arp()",
    };
    struct buf key[3], mask[3], actions[3];
    struct dpif_ufid ufid = {{1, 2, 3, 4}};
    struct buf storage = BUF_EMPTY_INITIALIZER;
    struct dpif_flow_stats stats;
    struct dpif_op ops[3];
    struct dpif_flow flow;
    struct dpif *dpif;

    assert_int_equal(dpif_open("top", "netdev", true, &dpif), 0);
    for (int i = 0; i < 3; i++) {
        parse(keys[i], "2", &key[i], &mask[i], &actions[i]);
        ops[i] = (struct dpif_op){
            .type = DPIF_OP_FLOW_PUT,
            .flags = DPIF_FP_CREATE,
            .key = key[i].data,
            .key_size = key[i].size,
            .mask = mask[i].data,
            .mask_size = mask[i].size,
            .actions = actions[i].data,
            .actions_size = actions[i].size,
        };
    }
    ops[1].ufid = &ufid;
    ops[2].flags = 0; /* Neither create nor modify. */
    dpif_operate(dpif, ops, 3);
    assert_int_equal(ops[0].error, 0);
    assert_int_equal(ops[1].error, 0);
    assert_int_not_equal(ops[2].error, 0);
    /* The caller's UFID pointers are left as they were. */
    assert_null(ops[0].ufid);
    assert_ptr_equal(ops[1].ufid, &ufid);

    /* Op 0 is named by its key, op 1 by its UFID. */
    assert_int_equal(
        dpif_flow_get(dpif, key[0].data, key[0].size, NULL, &storage, &flow),
        0);
    assert_int_equal(dpif_flow_get(dpif, NULL, 0, &ufid, &storage, &flow), 0);

    ops[0] = (struct dpif_op){
        .type = DPIF_OP_FLOW_DEL,
        .key = key[0].data,
        .key_size = key[0].size,
        .stats = &stats,
    };
    ops[1] = (struct dpif_op){.type = DPIF_OP_FLOW_DEL, .ufid = &ufid};
    dpif_operate(dpif, ops, 2);
    assert_int_equal(ops[0].error, 0);
    assert_int_equal(ops[1].error, 0);
    dpif_operate(dpif, ops, 2);
    assert_int_equal(ops[0].error, ENOENT);
    assert_int_equal(ops[1].error, ENOENT);

    for (int i = 0; i < 3; i++) {
        buf_uninit(&key[i]);
        buf_uninit(&mask[i]);
        buf_uninit(&actions[i]);
    }
    buf_uninit(&storage);
    dpif_delete(dpif);
    dpif_close(dpif);
}

static void
test_types(void **state)
{
    const char *const *types = dpif_types();
    struct ds out = DS_EMPTY_INITIALIZER;
    struct dpif *dpif;

    assert_string_equal(types[0], "netdev");
    assert_true(dpif_type_is_known("netdev"));
    assert_false(dpif_type_is_known("nonesuch"));
    /* "system" is listed exactly when it is usable. */
    assert_int_equal(types[1] != NULL, dpif_type_is_known("system"));

    assert_int_equal(dpif_open("ten", "netdev", true, &dpif), 0);
    dpif_enumerate(&out);
    assert_non_null(strstr(ds_cstr(&out), "netdev@ten\n"));
    dpif_delete(dpif);
    dpif_close(dpif);
    ds_destroy(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operate),
        cmocka_unit_test(test_types),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
