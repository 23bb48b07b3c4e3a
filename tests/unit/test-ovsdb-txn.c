/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of ovsdb-lite transactions: every operation and mutator,
 * constraints, strong and weak references, garbage collection, unique
 * indexes, and that failed transactions leave no trace. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-lite/db.h"
#include "ovsdb-lite/transaction.h"
#include "vswitch/ovsdb-data.h"

static const char *schema_text =
    "{\"name\":\"T\",\"tables\":{"
    "\"Root\":{\"isRoot\":true,\"indexes\":[[\"name\"]],\"columns\":{"
    "  \"name\":{\"type\":\"string\"},"
    "  \"kids\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Kid\"},"
    "           \"min\":0,\"max\":\"unlimited\"}},"
    "  \"watch\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Kid\","
    "           \"refType\":\"weak\"},\"min\":0,\"max\":\"unlimited\"}},"
    "  \"n\":{\"type\":{\"key\":{\"type\":\"integer\",\"minInteger\":0,"
    "           \"maxInteger\":100}}},"
    "  \"r\":{\"type\":\"real\"},"
    "  \"nums\":{\"type\":{\"key\":\"integer\",\"min\":0,\"max\":3}},"
    "  \"tags\":{\"type\":{\"key\":\"string\",\"value\":\"string\","
    "           \"min\":0,\"max\":\"unlimited\"}},"
    "  \"color\":{\"type\":{\"key\":{\"type\":\"string\",\"enum\":[\"set\","
    "           [\"red\",\"blue\"]]},\"min\":0,\"max\":1}},"
    "  \"fixed\":{\"type\":\"integer\",\"mutable\":false}}},"
    "\"Kid\":{\"columns\":{"
    "  \"name\":{\"type\":{\"key\":{\"type\":\"string\",\"maxLength\":8}}},"
    "  \"toys\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Toy\"},"
    "           \"min\":0,\"max\":\"unlimited\"}}}},"
    "\"Toy\":{\"columns\":{\"label\":{\"type\":\"string\"}}},"
    "\"One\":{\"isRoot\":true,\"maxRows\":1,\"columns\":{"
    "  \"x\":{\"type\":\"integer\"}}}}}";

static struct ovsdb *
make_db(void)
{
    json_t *j = json_loads(schema_text, 0, NULL);
    char *err = NULL;
    struct ovsdb_schema *s;

    assert_non_null(j);
    s = ovsdb_schema_from_json(j, &err);
    if (!s) {
        fail_msg("schema: %s", err);
    }
    json_decref(j);
    return ovsdb_create(s);
}

/* Runs 'ops' (a JSON array text), commits on success; returns the result
 * as compact text (caller frees). */
static char *
run(struct ovsdb *db, const char *ops)
{
    json_t *j = json_loads(ops, 0, NULL);
    struct ovsdb_exec_result r;
    char *s;

    if (!j) {
        fail_msg("bad test JSON: %s", ops);
    }
    ovsdb_execute(db, j, 0, NULL, false, &r);
    if (r.txn) {
        ovsdb_txn_apply(r.txn);
        ovsdb_txn_release(r.txn);
    }
    s = r.result ? json_dumps(r.result, JSON_COMPACT | JSON_SORT_KEYS)
                 : strdup("BLOCKED");
    json_decref(r.result);
    json_decref(j);
    return s;
}

static void
expect_ok(struct ovsdb *db, const char *ops)
{
    char *s = run(db, ops);

    if (strstr(s, "\"error\"")) {
        fail_msg("unexpected error: %s for %s", s, ops);
    }
    free(s);
}

static void
expect_error(struct ovsdb *db, const char *ops, const char *tag)
{
    char *s = run(db, ops);

    if (!strstr(s, tag)) {
        fail_msg("expected \"%s\", got %s for %s", tag, s, ops);
    }
    free(s);
}

/* Everything in the database, for before/after comparisons. */
static char *
dump(struct ovsdb *db)
{
    return run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[]},"
                   "{\"op\":\"select\",\"table\":\"Kid\",\"where\":[]},"
                   "{\"op\":\"select\",\"table\":\"Toy\",\"where\":[]},"
                   "{\"op\":\"select\",\"table\":\"One\",\"where\":[]}]");
}

static size_t
count_rows(struct ovsdb *db, const char *table)
{
    return hmap_count(&ovsdb_get_table(db, table)->rows);
}

static const char *setup_ops =
    "[{\"op\":\"insert\",\"table\":\"Root\",\"uuid-name\":\"r\",\"row\":{"
    "  \"name\":\"a\",\"n\":5,\"kids\":[\"set\",[[\"named-uuid\",\"k1\"],"
    "  [\"named-uuid\",\"k2\"]]],\"watch\":[\"named-uuid\",\"k2\"]}},"
    " {\"op\":\"insert\",\"table\":\"Kid\",\"uuid-name\":\"k1\",\"row\":{"
    "  \"name\":\"k1\",\"toys\":[\"named-uuid\",\"t1\"]}},"
    " {\"op\":\"insert\",\"table\":\"Kid\",\"uuid-name\":\"k2\",\"row\":{"
    "  \"name\":\"k2\"}},"
    " {\"op\":\"insert\",\"table\":\"Toy\",\"uuid-name\":\"t1\",\"row\":{"
    "  \"label\":\"ball\"}}]";

static void
test_insert_select_forward_named_uuid(void **state)
{
    struct ovsdb *db = make_db();
    char *s;

    expect_ok(db, setup_ops);
    assert_int_equal(count_rows(db, "Root"), 1);
    assert_int_equal(count_rows(db, "Kid"), 2);
    assert_int_equal(count_rows(db, "Toy"), 1);
    s = run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[[\"n\","
                "\">=\",5]],\"columns\":[\"name\",\"n\",\"r\",\"color\"]}]");
    assert_string_equal(s, "[{\"rows\":[{\"color\":[\"set\",[]],\"n\":5,"
                           "\"name\":\"a\",\"r\":0.0}]}]");
    free(s);
    ovsdb_destroy(db);
}

static void
test_gc_cascades(void **state)
{
    struct ovsdb *db = make_db();

    expect_ok(db, setup_ops);
    /* Dropping k1 from kids collects k1 and, through it, t1. */
    expect_ok(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                  "\"mutations\":[[\"kids\",\"delete\",[\"set\",[]]]]}]");
    assert_int_equal(count_rows(db, "Kid"), 2);
    char *s =
        run(db, "[{\"op\":\"select\",\"table\":\"Kid\",\"where\":[[\"name\","
                "\"==\",\"k1\"]],\"columns\":[\"_uuid\"]}]");
    char *u = strstr(s, "\"uuid\",\"") + 8;
    u[36] = '\0';
    char ops[512];
    snprintf(ops, sizeof ops,
             "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
             "\"mutations\":[[\"kids\",\"delete\",[\"uuid\",\"%s\"]]]}]",
             u);
    free(s);
    expect_ok(db, ops);
    assert_int_equal(count_rows(db, "Kid"), 1);
    assert_int_equal(count_rows(db, "Toy"), 0);
    /* Emptying kids collects k2 and clears the weak reference to it. */
    expect_ok(db, "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],"
                  "\"row\":{\"kids\":[\"set\",[]]}}]");
    assert_int_equal(count_rows(db, "Kid"), 0);
    s = run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[],"
                "\"columns\":[\"watch\"]}]");
    assert_string_equal(s, "[{\"rows\":[{\"watch\":[\"set\",[]]}]}]");
    free(s);
    /* An unreferenced insert into a non-root table vanishes. */
    expect_ok(db, "[{\"op\":\"insert\",\"table\":\"Toy\",\"row\":{}}]");
    assert_int_equal(count_rows(db, "Toy"), 0);
    ovsdb_destroy(db);
}

static void
test_strong_refs(void **state)
{
    struct ovsdb *db = make_db();
    char *before;

    expect_ok(db, setup_ops);
    before = dump(db);
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"name\":\"b\",\"kids\":[\"uuid\","
                 "\"01234567-89ab-cdef-0123-456789abcdef\"]}}]",
                 "referential integrity violation");
    expect_error(db, "[{\"op\":\"delete\",\"table\":\"Kid\",\"where\":[]}]",
                 "referential integrity violation");
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    /* Deleting the referencing root row collects everything. */
    expect_ok(db, "[{\"op\":\"delete\",\"table\":\"Root\",\"where\":[]}]");
    assert_int_equal(count_rows(db, "Kid"), 0);
    assert_int_equal(count_rows(db, "Toy"), 0);
    free(before);
    ovsdb_destroy(db);
}

static void
test_unique_index(void **state)
{
    struct ovsdb *db = make_db();

    expect_ok(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":"
                  "\"a\"}},{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                  "\"name\":\"b\"}}]");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"name\":\"a\"}}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"name\":\"c\"}},{\"op\":\"insert\",\"table\":\"Root\","
                 "\"row\":{\"name\":\"c\"}}]",
                 "constraint violation");
    /* Swapping two names in one transaction is fine. */
    expect_ok(db,
              "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[[\"name\","
              "\"==\",\"a\"]],\"row\":{\"name\":\"tmp\"}},"
              "{\"op\":\"update\",\"table\":\"Root\",\"where\":[[\"name\","
              "\"==\",\"b\"]],\"row\":{\"name\":\"a\"}},"
              "{\"op\":\"update\",\"table\":\"Root\",\"where\":[[\"name\","
              "\"==\",\"tmp\"]],\"row\":{\"name\":\"b\"}}]");
    assert_int_equal(count_rows(db, "Root"), 2);
    ovsdb_destroy(db);
}

static void
test_mutators(void **state)
{
    struct ovsdb *db = make_db();
    char *s;

    expect_ok(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":"
                  "\"a\",\"n\":10,\"r\":1.5,\"nums\":[\"set\",[1,2]],"
                  "\"tags\":[\"map\",[[\"k\",\"v\"]]]}}]");
    expect_ok(db,
              "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
              "\"mutations\":[[\"n\",\"+=\",5],[\"n\",\"*=\",3],"
              "[\"n\",\"-=\",1],[\"n\",\"/=\",2],[\"n\",\"%=\",8],"
              "[\"r\",\"*=\",2],[\"nums\",\"insert\",[\"set\",[3]]],"
              "[\"nums\",\"delete\",1],[\"nums\",\"+=\",10],"
              "[\"tags\",\"insert\",[\"map\",[[\"k\",\"ignored\"],"
              "[\"x\",\"y\"]]]],[\"tags\",\"delete\",[\"set\",[\"k\"]]]]}]");
    s = run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[],"
                "\"columns\":[\"n\",\"r\",\"nums\",\"tags\"]}]");
    /* ((10+5)*3-1)/2 = 22; 22 % 8 = 6. */
    assert_string_equal(s, "[{\"rows\":[{\"n\":6,\"nums\":[\"set\",[12,13]],"
                           "\"r\":3.0,\"tags\":[\"map\",[[\"x\",\"y\"]]]}]}]");
    free(s);
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"n\",\"/=\",0]]}]",
                 "domain error");
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"n\",\"+=\",1000]]}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"nums\",\"insert\",[\"set\",[1,2]]]]}]",
                 "constraint violation"); /* max 3 elements */
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"nums\",\"*=\",0]]}]",
                 "constraint violation"); /* {0, 0}: duplicates */
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"fixed\",\"+=\",1]]}]",
                 "constraint violation"); /* immutable */
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"r\",\"%=\",1.0]]}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                 "\"mutations\":[[\"n\",\"^=\",1]]}]",
                 "syntax error");
    ovsdb_destroy(db);
}

static void
test_constraints_and_errors(void **state)
{
    struct ovsdb *db = make_db();
    char *before;

    expect_ok(db, setup_ops);
    before = dump(db);
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"color\":\"green\"}}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"n\":101}}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"n\":\"x\"}}]",
                 "syntax error");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                 "\"nope\":1}}]",
                 "unknown column");
    expect_error(db, "[{\"op\":\"insert\",\"table\":\"Nope\",\"row\":{}}]",
                 "unknown table");
    expect_error(db,
                 "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],"
                 "\"row\":{\"fixed\":3}}]",
                 "constraint violation");
    expect_error(db,
                 "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],"
                 "\"row\":{\"_uuid\":[\"uuid\","
                 "\"01234567-89ab-cdef-0123-456789abcdef\"]}}]",
                 "constraint violation");
    expect_error(db, "[{\"op\":\"bogus\"}]", "unknown operation");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":"
                 "\"z\"}},{\"op\":\"abort\"}]",
                 "aborted");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":"
                 "\"z\"}},{\"op\":\"assert\",\"lock\":\"l\"}]",
                 "not owner");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Kid\",\"row\":{\"name\":"
                 "\"much-too-long\"}}]",
                 "constraint violation");
    expect_ok(db, "[{\"op\":\"insert\",\"table\":\"One\",\"row\":{}}]");
    expect_error(db, "[{\"op\":\"insert\",\"table\":\"One\",\"row\":{}}]",
                 "constraint violation");
    expect_ok(db, "[{\"op\":\"delete\",\"table\":\"One\",\"where\":[]}]");
    /* A failing operation in the middle: nothing of the transaction stays,
     * and later results are null. */
    char *s = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{"
                      "\"name\":\"q\"}},{\"op\":\"insert\",\"table\":\"Root\","
                      "\"row\":{\"n\":-1}},{\"op\":\"comment\",\"comment\":"
                      "\"x\"}]");
    assert_non_null(strstr(s, "\"constraint violation\""));
    assert_non_null(strstr(s, "},null]"));
    free(s);
    char *after = dump(db);
    assert_string_equal(before, after);
    free(after);
    free(before);
    ovsdb_destroy(db);
}

static void
test_wait_and_where(void **state)
{
    struct ovsdb *db = make_db();

    expect_ok(db, setup_ops);
    expect_ok(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],"
                  "\"columns\":[\"name\",\"n\"],\"until\":\"==\",\"rows\":[{"
                  "\"name\":\"a\",\"n\":5}],\"timeout\":0}]");
    expect_error(db,
                 "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],"
                 "\"columns\":[\"n\"],\"until\":\"==\",\"rows\":[{"
                 "\"n\":6}],\"timeout\":0}]",
                 "timed out");
    expect_ok(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],"
                  "\"columns\":[\"n\"],\"until\":\"!=\",\"rows\":[{"
                  "\"n\":6}],\"timeout\":0}]");
    /* A wait with a timeout that is not satisfied blocks. */
    char *s = run(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],"
                      "\"columns\":[\"n\"],\"until\":\"==\",\"rows\":[],"
                      "\"timeout\":1000}]");
    assert_string_equal(s, "BLOCKED");
    free(s);
    /* named-uuid inside where, includes/excludes, count results. */
    s = run(
        db,
        "[{\"op\":\"insert\",\"table\":\"Root\",\"uuid-name\":\"x\","
        "\"row\":{\"name\":\"x\",\"tags\":[\"map\",[[\"a\",\"1\"]]]}},"
        "{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[[\"_uuid\","
        "\"==\",[\"named-uuid\",\"x\"]]],\"mutations\":[[\"tags\","
        "\"insert\",[\"map\",[[\"b\",\"2\"]]]]]},"
        "{\"op\":\"select\",\"table\":\"Root\",\"where\":[[\"tags\","
        "\"includes\",[\"map\",[[\"b\",\"2\"]]]]],\"columns\":[\"name\"]},"
        "{\"op\":\"select\",\"table\":\"Root\",\"where\":[[\"tags\","
        "\"excludes\",[\"map\",[[\"b\",\"2\"]]]]],\"columns\":[\"name\"]}]");
    assert_non_null(strstr(s, "{\"count\":1},{\"rows\":[{\"name\":\"x\"}]},"
                              "{\"rows\":[{\"name\":\"a\"}]}]"));
    free(s);
    expect_error(db,
                 "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[[\"name\","
                 "\"<\",\"a\"]]}]",
                 "syntax error");
    expect_error(db,
                 "[{\"op\":\"insert\",\"table\":\"Root\",\"uuid-name\":\"d\","
                 "\"row\":{}},{\"op\":\"insert\",\"table\":\"Root\","
                 "\"uuid-name\":\"d\",\"row\":{}}]",
                 "duplicate uuid-name");
    ovsdb_destroy(db);
}

static void
test_journal_record_replay(void **state)
{
    struct ovsdb *db = make_db(), *db2 = make_db();
    const char *ops[] = {
        setup_ops,
        "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],\"mutations\":"
        "[[\"n\",\"+=\",7],[\"tags\",\"insert\",[\"map\",[[\"a\",\"b\"]]]]]}]",
        "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{"
        "\"kids\":"
        "[\"set\",[]]}}]",
    };

    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        json_t *j = json_loads(ops[i], 0, NULL);
        struct ovsdb_exec_result r;
        struct ovsdb_error *e;

        ovsdb_execute(db, j, 0, NULL, false, &r);
        assert_non_null(r.txn);
        json_t *rec = ovsdb_txn_to_json(r.txn);
        ovsdb_txn_apply(r.txn);
        ovsdb_txn_release(r.txn);
        e = ovsdb_txn_replay(db2, rec);
        assert_null(e);
        json_decref(rec);
        json_decref(r.result);
        json_decref(j);
    }
    const char *q =
        "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[],"
        "\"columns\":[\"_uuid\",\"name\",\"n\",\"kids\",\"watch\","
        "\"tags\"]},{\"op\":\"select\",\"table\":\"Kid\",\"where\":"
        "[],\"columns\":[\"_uuid\",\"name\",\"toys\"]}]";
    char *a = run(db, q), *b = run(db2, q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ovsdb_destroy(db);
    ovsdb_destroy(db2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_select_forward_named_uuid),
        cmocka_unit_test(test_gc_cascades),
        cmocka_unit_test(test_strong_refs),
        cmocka_unit_test(test_unique_index),
        cmocka_unit_test(test_mutators),
        cmocka_unit_test(test_constraints_and_errors),
        cmocka_unit_test(test_wait_and_where),
        cmocka_unit_test(test_journal_record_replay),
    };
    return cmocka_run_group_tests_name("ovsdb-txn", tests, NULL, NULL);
}
