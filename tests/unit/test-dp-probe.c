/* SPDX-License-Identifier: Apache-2.0 */
/* dp-probe: every probe flow parses, a userspace datapath has everything
 * without probing, and the feature lists print as Bridge.status shows
 * them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "vswitchd/dp-probe.h"

static void
test_probes_parse(void **state)
{
    const char *key_s, *actions_s;
    size_t i;

    (void) state;
    for (i = 0; (key_s = dp_probe_text(i, &actions_s)); i++) {
        struct buf key = BUF_EMPTY_INITIALIZER, act = BUF_EMPTY_INITIALIZER;
        char *err = NULL;

        assert_int_equal(odp_key_parse(key_s, &key, NULL, &err), 0);
        assert_int_equal(odp_actions_parse(actions_s, &act, &err), 0);
        assert_int_equal(odp_actions_validate(act.data, act.size, &err), 0);
        assert_true(act.size > 0 || !strcmp(actions_s, "drop"));
        free(err);
        buf_uninit(&key);
        buf_uninit(&act);
    }
    assert_int_equal(i, 7);
}

static void
test_netdev_has_all(void **state)
{
    struct dp_features f;
    struct dpif *dpif;
    struct ds s = DS_EMPTY_INITIALIZER;

    (void) state;
    assert_int_equal(dpif_open("probe0", "netdev", true, &dpif), 0);
    assert_int_equal(dp_probe(dpif, &f), 0);
    assert_false(f.probed);
    assert_string_equal(f.module, "userspace");
    dp_features_format(&f, false, &s);
    assert_string_equal(ds_cstr(&s),
                        "set_masked_eth set_masked_ipv4 set_masked_l4 "
                        "push_vlan recirc trunc clone");
    ds_clear(&s);
    dp_features_format(&f, true, &s);
    assert_string_equal(ds_cstr(&s), "");
    f.recirc = f.clone = false;
    dp_features_format(&f, true, &s);
    assert_string_equal(ds_cstr(&s), "recirc clone");
    ds_destroy(&s);
    dpif_delete(dpif);
    dpif_close(dpif);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probes_parse),
        cmocka_unit_test(test_netdev_has_all),
    };
    return cmocka_run_group_tests_name("dp-probe", tests, NULL, NULL);
}
