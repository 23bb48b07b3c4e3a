/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/json-stream.h"

static const char stream[] = "{\"method\":\"echo\",\"params\":[],\"id\":1}"
                             "  [1,2,{\"a\":\"}]{\\\"\"}]\n"
                             "{\"s\":\"\\\\\"}"
                             "\t{\"nested\":[[[{}]]],\"u\":\"\\u00e9\"}";

static int
split(const char *data, size_t size, size_t chunk, json_t **out, int max)
{
    struct json_stream s;
    int n = 0;

    json_stream_init(&s, 1 << 20);
    for (size_t off = 0; off < size; off += chunk) {
        size_t len = size - off < chunk ? size - off : chunk;
        json_t *j;

        json_stream_feed(&s, data + off, len);
        while (json_stream_next(&s, &j) == 0) {
            assert_true(n < max);
            out[n++] = j;
        }
    }
    assert_int_equal(json_stream_pending(&s), 0);
    json_stream_destroy(&s);
    return n;
}

/* Whatever the chunking, the same four texts come out. */
static void
test_any_chunking(void **state)
{
    json_t *whole[8], *parts[8];
    int n = split(stream, strlen(stream), strlen(stream), whole, 8);

    assert_int_equal(n, 4);
    assert_string_equal(json_string_value(json_object_get(whole[3], "u")),
                        "\xc3\xa9");
    for (size_t chunk = 1; chunk < 20; chunk++) {
        int m = split(stream, strlen(stream), chunk, parts, 8);

        assert_int_equal(m, n);
        for (int i = 0; i < n; i++) {
            assert_true(json_equal(whole[i], parts[i]));
            json_decref(parts[i]);
        }
    }
    for (int i = 0; i < n; i++) {
        json_decref(whole[i]);
    }
}

static void
expect_error(const char *data, size_t max, const char *needle)
{
    struct json_stream s;
    json_t *j;

    json_stream_init(&s, max);
    json_stream_feed(&s, data, strlen(data));
    assert_int_equal(json_stream_next(&s, &j), EPROTO);
    assert_null(j);
    assert_non_null(strstr(json_stream_error(&s), needle));
    /* Sticky. */
    json_stream_feed(&s, "{}", 2);
    assert_int_equal(json_stream_next(&s, &j), EPROTO);
    json_stream_destroy(&s);
}

static void
test_errors(void **state)
{
    expect_error("42", 100, "must start");
    expect_error("{\"a\":}", 100, "invalid JSON");
    expect_error("{\"a\":\"xxxxxxxxxxxxxxxxxxxxxxxxx\"}", 10, "longer than");
    {
        char deep[3000];

        memset(deep, '[', sizeof deep - 1);
        deep[sizeof deep - 1] = '\0';
        expect_error(deep, 1 << 20, "nested");
    }
}

static void
test_incomplete(void **state)
{
    struct json_stream s;
    json_t *j;

    json_stream_init(&s, 100);
    json_stream_feed(&s, "   {\"a\": [1, 2", 14);
    assert_int_equal(json_stream_next(&s, &j), EAGAIN);
    json_stream_feed(&s, "]}  ", 4);
    assert_int_equal(json_stream_next(&s, &j), 0);
    assert_int_equal(json_array_size(json_object_get(j, "a")), 2);
    json_decref(j);
    assert_int_equal(json_stream_next(&s, &j), EAGAIN);
    assert_int_equal(json_stream_pending(&s), 0);
    json_stream_destroy(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any_chunking),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_incomplete),
    };
    return cmocka_run_group_tests_name("json-stream", tests, NULL, NULL);
}
