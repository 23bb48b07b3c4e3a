/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the OVSDB data model: types, atoms, datums, constraints,
 * set operations and diffs, schemas. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-schema.h"

static void
parse_type(struct ovsdb_type *t, const char *text)
{
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    char *err = NULL;

    assert_non_null(j);
    if (ovsdb_type_from_json(t, j, &err)) {
        fail_msg("type %s: %s", text, err);
    }
    json_decref(j);
}

/* Parses 'value' as 'type'; returns the canonical JSON text or the error
 * tag (caller frees). */
static char *
roundtrip(const char *type, const char *value)
{
    struct ovsdb_type t;
    struct ovsdb_datum d;
    struct ovsdb_error *e;
    json_t *j = json_loads(value, JSON_DECODE_ANY, NULL);
    char *s;

    parse_type(&t, type);
    assert_non_null(j);
    e = ovsdb_datum_from_json(&d, &t, j, NULL, NULL);
    if (e) {
        s = strdup(e->tag);
        ovsdb_error_destroy(e);
    } else {
        json_t *out = ovsdb_datum_to_json(&d, &t);
        s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
        json_decref(out);
        ovsdb_datum_destroy(&d, &t);
    }
    json_decref(j);
    ovsdb_type_destroy(&t);
    return s;
}

#define ROUNDTRIP(TYPE, VALUE, WANT)                                          \
    do {                                                                      \
        char *s_ = roundtrip(TYPE, VALUE);                                    \
        assert_string_equal(s_, WANT);                                        \
        free(s_);                                                             \
    } while (0)

static void
test_atoms(void **state)
{
    ROUNDTRIP("\"integer\"", "42", "42");
    ROUNDTRIP("\"integer\"", "4.5", "syntax error");
    ROUNDTRIP("\"real\"", "4", "4.0");
    ROUNDTRIP("\"boolean\"", "true", "true");
    ROUNDTRIP("\"boolean\"", "1", "syntax error");
    ROUNDTRIP("\"string\"", "\"x\"", "\"x\"");
    ROUNDTRIP("\"uuid\"",
              "[\"uuid\",\"550e8400-e29b-41d4-a716-446655440000\"]",
              "[\"uuid\",\"550e8400-e29b-41d4-a716-446655440000\"]");
    ROUNDTRIP("\"uuid\"", "[\"uuid\",\"550e8400-e29b-41d4-a716-44665544000\"]",
              "syntax error");
    ROUNDTRIP("\"uuid\"", "[\"named-uuid\",\"x\"]", "syntax error");
}

static void
test_constraints(void **state)
{
    const char *ranged = "{\"key\":{\"type\":\"integer\",\"minInteger\":1,"
                         "\"maxInteger\":4095}}";
    const char *en = "{\"key\":{\"type\":\"string\",\"enum\":[\"set\",[\"a\","
                     "\"b\"]]}}";
    const char *len = "{\"key\":{\"type\":\"string\",\"minLength\":1,"
                      "\"maxLength\":3}}";
    const char *real = "{\"key\":{\"type\":\"real\",\"minReal\":0.5,"
                       "\"maxReal\":1.5}}";

    ROUNDTRIP(ranged, "1", "1");
    ROUNDTRIP(ranged, "4095", "4095");
    ROUNDTRIP(ranged, "0", "constraint violation");
    ROUNDTRIP(ranged, "4096", "constraint violation");
    ROUNDTRIP(en, "\"a\"", "\"a\"");
    ROUNDTRIP(en, "\"c\"", "constraint violation");
    ROUNDTRIP(len, "\"\"", "constraint violation");
    ROUNDTRIP(len, "\"abc\"", "\"abc\"");
    ROUNDTRIP(len, "\"\xc3\xa9t\xc3\xa9\"", "\"\xc3\xa9t\xc3\xa9\"");
    ROUNDTRIP(len, "\"abcd\"", "constraint violation");
    ROUNDTRIP(real, "1.0", "1.0");
    ROUNDTRIP(real, "2.0", "constraint violation");
}

static void
test_sets_and_maps(void **state)
{
    const char *set = "{\"key\":\"integer\",\"min\":0,\"max\":\"unlimited\"}";
    const char *opt = "{\"key\":\"string\",\"min\":0,\"max\":1}";
    const char *map = "{\"key\":\"string\",\"value\":\"integer\",\"min\":0,"
                      "\"max\":2}";
    const char *req = "{\"key\":\"integer\",\"min\":1,\"max\":\"unlimited\"}";

    ROUNDTRIP(set, "[\"set\",[3,1,2]]", "[\"set\",[1,2,3]]");
    ROUNDTRIP(set, "7", "7");
    ROUNDTRIP(set, "[\"set\",[1,1]]", "constraint violation");
    ROUNDTRIP(set, "[\"map\",[]]", "syntax error");
    ROUNDTRIP(opt, "[\"set\",[]]", "[\"set\",[]]");
    ROUNDTRIP(opt, "[\"set\",[\"a\",\"b\"]]", "syntax error");
    ROUNDTRIP(req, "[\"set\",[]]", "syntax error");
    ROUNDTRIP(map, "[\"map\",[[\"b\",2],[\"a\",1]]]",
              "[\"map\",[[\"a\",1],[\"b\",2]]]");
    ROUNDTRIP(map, "[\"map\",[[\"a\",2],[\"a\",1]]]", "constraint violation");
    ROUNDTRIP(map, "[\"map\",[[\"a\",1],[\"b\",1],[\"c\",1]]]",
              "syntax error");
    ROUNDTRIP(map, "[\"set\",[]]", "[\"map\",[]]");
    ROUNDTRIP(map, "[\"map\",[[\"a\"]]]", "syntax error");
    ROUNDTRIP(map, "\"a\"", "syntax error");
}

static void
make(struct ovsdb_datum *d, const struct ovsdb_type *t, const char *text)
{
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    struct ovsdb_error *e =
        ovsdb_datum_from_json_unbounded(d, t, j, NULL, NULL);

    assert_null(e);
    json_decref(j);
}

static char *
text(const struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    json_t *j = ovsdb_datum_to_json(d, t);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

    json_decref(j);
    return s;
}

#define ASSERT_DATUM(D, T, WANT)                                              \
    do {                                                                      \
        char *s_ = text(D, T);                                                \
        assert_string_equal(s_, WANT);                                        \
        free(s_);                                                             \
    } while (0)

static void
test_set_operations_and_diff(void **state)
{
    struct ovsdb_type st, mt, kt;
    struct ovsdb_datum a, b, d;

    parse_type(&st, "{\"key\":\"integer\",\"min\":0,\"max\":\"unlimited\"}");
    parse_type(&mt, "{\"key\":\"string\",\"value\":\"string\",\"min\":0,"
                    "\"max\":\"unlimited\"}");
    parse_type(&kt, "{\"key\":\"string\",\"min\":0,\"max\":\"unlimited\"}");

    make(&a, &st, "[\"set\",[1,2,3]]");
    make(&b, &st, "[\"set\",[3,4]]");
    assert_false(ovsdb_datum_includes_all(&b, &a, &st));
    ovsdb_datum_union(&a, &b, &st);
    ASSERT_DATUM(&a, &st, "[\"set\",[1,2,3,4]]");
    assert_true(ovsdb_datum_includes_all(&b, &a, &st));
    ovsdb_datum_subtract(&a, &st, &b, &st);
    ASSERT_DATUM(&a, &st, "[\"set\",[1,2]]");
    assert_true(ovsdb_datum_excludes_all(&b, &a, &st));
    ovsdb_datum_diff(&d, &a, &b, &st);
    ASSERT_DATUM(&d, &st, "[\"set\",[1,2,3,4]]");
    ovsdb_datum_destroy(&d, &st);
    ovsdb_datum_destroy(&a, &st);
    ovsdb_datum_destroy(&b, &st);

    make(&a, &mt, "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"],[\"c\",\"3\"]]]");
    make(&b, &mt, "[\"map\",[[\"a\",\"1\"],[\"b\",\"9\"],[\"d\",\"4\"]]]");
    ovsdb_datum_diff(&d, &a, &b, &mt);
    ASSERT_DATUM(&d, &mt,
                 "[\"map\",[[\"b\",\"9\"],[\"c\",\"3\"],"
                 "[\"d\",\"4\"]]]");
    ovsdb_datum_destroy(&d, &mt);
    /* Removing pairs only when the value matches; keys unconditionally. */
    ovsdb_datum_subtract(&a, &mt, &b, &mt);
    ASSERT_DATUM(&a, &mt, "[\"map\",[[\"b\",\"2\"],[\"c\",\"3\"]]]");
    struct ovsdb_datum keys;
    make(&keys, &kt, "[\"set\",[\"c\",\"zz\"]]");
    ovsdb_datum_subtract(&a, &mt, &keys, &kt);
    ASSERT_DATUM(&a, &mt, "[\"map\",[[\"b\",\"2\"]]]");
    ovsdb_datum_destroy(&keys, &kt);
    ovsdb_datum_destroy(&a, &mt);
    ovsdb_datum_destroy(&b, &mt);

    ovsdb_type_destroy(&st);
    ovsdb_type_destroy(&mt);
    ovsdb_type_destroy(&kt);
}

static void
test_defaults_and_uuids(void **state)
{
    struct ovsdb_type t;
    struct ovsdb_datum d;
    struct ovsdb_uuid u, v;
    char buf[37];

    parse_type(&t, "\"string\"");
    ovsdb_datum_init_default(&d, &t);
    ASSERT_DATUM(&d, &t, "\"\"");
    assert_true(ovsdb_datum_is_default(&d, &t));
    ovsdb_datum_destroy(&d, &t);
    ovsdb_type_destroy(&t);

    ovsdb_uuid_generate(&u);
    ovsdb_uuid_to_string(&u, buf);
    assert_int_equal(buf[14], '4');
    assert_true(ovsdb_uuid_from_string(&v, buf));
    assert_true(ovsdb_uuid_equals(&u, &v));
    assert_false(ovsdb_uuid_from_string(&v, "not-a-uuid"));
}

static void
test_schema(void **state)
{
    const char *good = "{\"name\":\"D\",\"version\":\"1.0.0\",\"tables\":{"
                       "\"A\":{\"isRoot\":true,\"columns\":{\"b\":{\"type\":"
                       "{\"key\":{\"type\":\"uuid\",\"refTable\":\"B\"}}}},"
                       "\"indexes\":[[\"b\"]]},\"B\":{\"columns\":{\"x\":"
                       "{\"type\":\"integer\",\"ephemeral\":true}}}}}";
    const char *bad[] = {
        "{\"name\":\"D\",\"tables\":{\"A\":{\"columns\":{\"b\":{\"type\":"
        "{\"key\":{\"type\":\"uuid\",\"refTable\":\"Nope\"}}}}}}}",
        "{\"name\":\"D\",\"tables\":{\"A\":{\"columns\":{\"b\":{\"type\":"
        "\"float\"}}}}}",
        "{\"name\":\"D\",\"tables\":{\"A\":{\"columns\":{\"_b\":{\"type\":"
        "\"integer\"}}}}}",
        "{\"name\":\"D\",\"tables\":{\"A\":{\"columns\":{\"b\":{\"type\":"
        "{\"key\":\"integer\",\"min\":2}}}}}}",
        "{\"name\":\"D\",\"tables\":{\"A\":{\"columns\":{},\"indexes\":"
        "[[\"zz\"]]}}}",
        "[]",
    };
    struct ovsdb_schema *s;
    char *err = NULL;
    json_t *j = json_loads(good, 0, NULL);

    s = ovsdb_schema_from_json(j, &err);
    assert_non_null(s);
    json_decref(j);
    struct ovsdb_table_schema *a = ovsdb_schema_find_table(s, "A");
    struct ovsdb_table_schema *b = ovsdb_schema_find_table(s, "B");
    assert_true(a->is_root);
    assert_false(b->is_root);
    assert_ptr_equal(
        ovsdb_table_schema_find_column(a, "b")->type.key.ref_table, b);
    assert_int_equal(a->n_indexes, 1);
    assert_non_null(ovsdb_table_schema_find_column(b, "_uuid"));
    ovsdb_schema_destroy(s);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = json_loads(bad[i], 0, NULL);
        s = ovsdb_schema_from_json(j, &err);
        assert_null(s);
        assert_non_null(err);
        free(err);
        err = NULL;
        json_decref(j);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atoms),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_sets_and_maps),
        cmocka_unit_test(test_set_operations_and_diff),
        cmocka_unit_test(test_defaults_and_uuids),
        cmocka_unit_test(test_schema),
    };
    return cmocka_run_group_tests_name("ovsdb-data", tests, NULL, NULL);
}
