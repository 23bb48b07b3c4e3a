/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"

static void
test_basic(void **state)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    assert_string_equal(ds_cstr(&s), "");
    assert_int_equal(ds_last(&s), EOF);
    ds_put_cstr(&s, "abc");
    ds_put_char(&s, 'd');
    ds_put_format(&s, "%d-%s", 42, "x");
    assert_string_equal(ds_cstr(&s), "abcd42-x");
    assert_int_equal(s.length, 8);
    ds_truncate(&s, 2);
    assert_string_equal(ds_cstr(&s), "ab");
    ds_put_char_multiple(&s, 'z', 3);
    assert_string_equal(ds_cstr(&s), "abzzz");
    ds_put_cstr(&s, " \n\t");
    ds_chomp(&s);
    assert_string_equal(ds_cstr(&s), "abzzz");
    ds_clear(&s);
    assert_string_equal(ds_cstr(&s), "");
    ds_destroy(&s);
    ds_destroy(NULL);
}

static void
test_long_format(void **state)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    char big[5000];
    char *stolen;

    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 10; i++) {
        ds_put_format(&s, "%s|%d", big, i);
    }
    assert_int_equal(s.length, 10 * (sizeof big - 1 + 2));
    assert_int_equal(strlen(ds_cstr(&s)), s.length);
    stolen = ds_steal_cstr(&s);
    assert_int_equal(s.length, 0);
    assert_int_equal(stolen[sizeof big - 1], '|');
    free(stolen);
}

static void
test_hex(void **state)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const unsigned char data[] = {0x00, 0xab, 0x10, 'A'};

    ds_put_hex(&s, data, sizeof data);
    assert_string_equal(ds_cstr(&s), "00ab1041");
    ds_clear(&s);
    ds_put_hex_dump(&s, data, sizeof data, 0x10);
    assert_non_null(strstr(ds_cstr(&s), "00000010  00 ab 10 41"));
    assert_non_null(strstr(ds_cstr(&s), "|...A|"));
    ds_destroy(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_long_format),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests_name("ds", tests, NULL, NULL);
}
