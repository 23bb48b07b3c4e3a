/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vswitch/buf.h"

static void
test_put_push_pull(void **state)
{
    struct buf b;
    uint8_t *p;

    buf_init(&b, 16, 8);
    assert_int_equal(buf_headroom(&b), 16);
    assert_int_equal(buf_tailroom(&b), 8);
    buf_put(&b, "payload", 7);
    p = b.data;
    buf_push(&b, "hdr:", 4);
    /* Enough headroom: the payload did not move. */
    assert_ptr_equal(b.data + 4, p);
    assert_int_equal(b.size, 11);
    assert_memory_equal(b.data, "hdr:payload", 11);
    assert_memory_equal(buf_pull(&b, 4), "hdr:", 4);
    assert_memory_equal(b.data, "payload", 7);
    assert_null(buf_try_pull(&b, 8));
    assert_int_equal(b.size, 7);
    buf_trim(&b, 3);
    assert_memory_equal(b.data, "payl", 4);
    buf_uninit(&b);
}

static void
test_grow_both_ends(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    char expect[3000];

    for (int i = 0; i < 1000; i++) {
        *(char *) buf_put_uninit(&b, 1) = 'a' + i % 26;
    }
    for (int i = 0; i < 1000; i++) {
        buf_push(&b, "Z", 1);
    }
    buf_put_zeros(&b, 1000);
    assert_int_equal(b.size, 3000);
    memset(expect, 'Z', 1000);
    for (int i = 0; i < 1000; i++) {
        expect[1000 + i] = 'a' + i % 26;
    }
    memset(expect + 2000, 0, 1000);
    assert_memory_equal(b.data, expect, 3000);
    buf_shift_to_headroom(&b, 0);
    assert_int_equal(buf_headroom(&b), 0);
    assert_memory_equal(b.data, expect, 3000);
    buf_uninit(&b);
}

static void
test_at(void **state)
{
    struct buf *b = buf_clone_data("0123456789", 10, 4);

    assert_int_equal(buf_headroom(b), 4);
    assert_non_null(buf_at(b, 0, 10));
    assert_non_null(buf_at(b, 10, 0));
    assert_null(buf_at(b, 11, 0));
    assert_null(buf_at(b, 5, 6));
    assert_null(buf_at(b, SIZE_MAX, 2));
    assert_null(buf_at(b, 2, SIZE_MAX));
    assert_memory_equal(buf_at(b, 3, 2), "34", 2);
    buf_delete(b);
    buf_delete(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_push_pull),
        cmocka_unit_test(test_grow_both_ends),
        cmocka_unit_test(test_at),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
