/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(test_vlog);

static char logname[] = "/tmp/test-vlog.XXXXXX";

static char *
slurp(const char *name)
{
    FILE *f = fopen(name, "r");
    char *s = calloc(1, 1 << 16);

    assert_non_null(f);
    fread(s, 1, (1 << 16) - 1, f);
    fclose(f);
    return s;
}

static int
setup(void **state)
{
    int fd = mkstemp(logname);

    close(fd);
    assert_int_equal(vlog_set_log_file(logname), 0);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    return 0;
}

static int
teardown(void **state)
{
    unlink(logname);
    return 0;
}

static void
test_levels_from_string(void **state)
{
    char *err;

    assert_null(vlog_set_levels_from_string("test_vlog:file:warn"));
    assert_int_equal(vlog_get_level(&this_module, VLF_FILE), VLL_WARN);
    assert_null(vlog_set_levels_from_string("file:dbg"));
    assert_int_equal(vlog_get_level(&this_module, VLF_FILE), VLL_DBG);
    assert_null(vlog_set_levels_from_string("test_vlog:info"));
    assert_int_equal(vlog_get_level(&this_module, VLF_FILE), VLL_INFO);
    assert_int_equal(vlog_get_level(&this_module, VLF_CONSOLE), VLL_INFO);
    assert_null(vlog_set_levels_from_string("any:console:off"));
    assert_int_equal(vlog_get_level(&this_module, VLF_CONSOLE), VLL_OFF);

    err = vlog_set_levels_from_string("nosuchmodule:dbg");
    assert_non_null(err);
    assert_non_null(strstr(err, "nosuchmodule"));
    free(err);
    err = vlog_set_levels_from_string("dbg:info");
    assert_non_null(err);
    free(err);
    err = vlog_set_levels_from_string("file:console");
    assert_non_null(err);
    free(err);
}

static void
test_file_output_respects_level(void **state)
{
    char *s;

    assert_null(vlog_set_levels_from_string("test_vlog:file:warn"));
    VLOG_INFO("hidden-info-%d", 1);
    VLOG_WARN("shown-warn-%d", 2);
    assert_false(VLOG_IS_DBG_ENABLED());
    assert_null(vlog_set_levels_from_string("test_vlog:file:dbg"));
    VLOG_DBG("shown-dbg");
    s = slurp(logname);
    assert_null(strstr(s, "hidden-info"));
    assert_non_null(strstr(s, "|test_vlog|WARN|shown-warn-2\n"));
    assert_non_null(strstr(s, "|test_vlog|DBG|shown-dbg\n"));
    free(s);
}

static void
test_rate_limit(void **state)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 3);
    int passed = 0;
    char *s;

    assert_null(vlog_set_levels_from_string("test_vlog:file:dbg"));
    for (int i = 0; i < 50; i++) {
        if (!vlog_should_drop(&this_module, VLL_WARN, &rl)) {
            passed++;
        }
    }
    /* A burst of 3, and at 1 per minute nothing more within the test. */
    assert_int_equal(passed, 3);
    assert_int_equal(rl.n_dropped, 47);
    VLOG_WARN_RL(&rl, "also dropped");
    s = slurp(logname);
    assert_null(strstr(s, "also dropped"));
    free(s);
}

static void
test_list(void **state)
{
    char *s = vlog_get_levels();

    assert_non_null(strstr(s, "test_vlog"));
    assert_non_null(strstr(s, "console"));
    free(s);
    assert_int_equal(vlog_level_from_string("WARN"), VLL_WARN);
    assert_int_equal(vlog_level_from_string("debug"), VLL_DBG);
    assert_int_equal(vlog_level_from_string("bogus"), -1);
    assert_int_equal(vlog_destination_from_string("syslog"), VLF_SYSLOG);
}

static void
test_reopen(void **state)
{
    char *s;

    assert_null(vlog_set_levels_from_string("test_vlog:file:info"));
    unlink(logname); /* As logrotate would. */
    assert_int_equal(vlog_reopen_log_file(), 0);
    VLOG_INFO("after-reopen");
    s = slurp(logname);
    assert_non_null(strstr(s, "after-reopen"));
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_from_string),
        cmocka_unit_test(test_file_output_respects_level),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_reopen),
    };
    return cmocka_run_group_tests_name("vlog", tests, setup, teardown);
}
