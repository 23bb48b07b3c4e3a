/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of ovs-vsctl's value syntax and output formats (ctl-syntax):
 * parsing of atoms, sets, maps, ranges and quoted strings, the printed
 * forms, and the table printer in every --format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ctl-syntax.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"

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

/* Parses 'value' (ctl syntax) as 'type' and prints it back in string form,
 * or returns the error message.  Caller frees. */
static char *
reparse(const char *type, const char *value)
{
    struct ovsdb_type t;
    struct ovsdb_datum d;
    char *error;
    struct ds ds;

    parse_type(&t, type);
    error = ctl_datum_from_string(&d, &t, value, NULL, NULL);
    if (error) {
        ovsdb_type_destroy(&t);
        return error;
    }
    ds_init(&ds);
    ctl_datum_to_string(&d, &t, &ds);
    error = xstrdup(ds_cstr(&ds));
    ds_destroy(&ds);
    ovsdb_datum_destroy(&d, &t);
    ovsdb_type_destroy(&t);
    return error;
}

static void
expect(const char *type, const char *value, const char *want)
{
    char *got = reparse(type, value);

    if (strcmp(got, want)) {
        fail_msg("%s as %s: want <%s> got <%s>", value, type, want, got);
    }
    free(got);
}

#define INT_SET                                                               \
    "{\"key\":{\"type\":\"integer\",\"minInteger\":0,\"maxInteger\":4095},"   \
    "\"min\":0,\"max\":4096}"
#define OPT_TAG                                                               \
    "{\"key\":{\"type\":\"integer\",\"minInteger\":0,\"maxInteger\":4095},"   \
    "\"min\":0,\"max\":1}"
#define SMAP                                                                  \
    "{\"key\":\"string\",\"value\":\"string\",\"min\":0,\"max\":"             \
    "\"unlimited\"}"
#define STR "\"string\""
#define STR_SET "{\"key\":\"string\",\"min\":0,\"max\":\"unlimited\"}"

static void
test_sets(void **state)
{
    (void) state;
    expect(INT_SET, "1,2", "[1, 2]");
    expect(INT_SET, "[3, 1 2]", "[1, 2, 3]");
    expect(INT_SET, "1-3,7", "[1, 2, 3, 7]");
    expect(INT_SET, "[]", "[]");
    expect(INT_SET, "7", "[7]");
    expect(OPT_TAG, " 7 ", "7");
    expect(OPT_TAG, "[]", "[]");
    expect(STR_SET, "OpenFlow10,OpenFlow13", "[OpenFlow10, OpenFlow13]");
    expect(INT_SET, "1,,2",
           "1,,2: unexpected \",\" parsing set of up to 4096 integers");
    expect(INT_SET, "[1", "[1: missing \"]\" at end of data");
    expect(OPT_TAG, "x", "\"x\" is not a valid integer or range");
    expect(OPT_TAG, "5000",
           "constraint violation: 5000 is not in the valid "
           "range 0 to 4095 (inclusive)");
    expect(OPT_TAG, "1,2",
           "1,2: 2 value(s) specified but the maximum number "
           "is 1");
    expect(STR, "a b",
           "a b: 2 value(s) specified but the maximum number is "
           "1");
}

static void
test_maps(void **state)
{
    (void) state;
    expect(SMAP, "{a=b,c=d}", "{a=b, c=d}");
    expect(SMAP, "{a=1 b=2}", "{a=\"1\", b=\"2\"}");
    expect(SMAP, "a=1,b=2", "{a=\"1\", b=\"2\"}");
    expect(SMAP, "{\"a b\"=\"c,d\"}", "{\"a b\"=\"c,d\"}");
    expect(SMAP, "{}", "{}");
    expect(SMAP, "{a:1}", "{a:1}: syntax error at \":\" expecting \"=\"");
    expect(SMAP, "{a=b}x", "{a=b}x: trailing garbage after \"}\"");
}

static void
test_atoms(void **state)
{
    struct ovsdb_type t;
    union ovsdb_atom a;
    char *error;

    (void) state;
    parse_type(&t, STR);
    /* A map value is the whole text unless quoted. */
    error = ctl_atom_from_string(&a, &t.key, "a b,c=d", NULL, NULL);
    assert_null(error);
    assert_string_equal(a.string, "a b,c=d");
    ovsdb_atom_destroy(&a, OVSDB_TYPE_STRING);
    error =
        ctl_atom_from_string(&a, &t.key, "\"52:54:00:71:b1:b6\"", NULL, NULL);
    assert_null(error);
    assert_string_equal(a.string, "52:54:00:71:b1:b6");
    ovsdb_atom_destroy(&a, OVSDB_TYPE_STRING);
    error = ctl_atom_from_string(&a, &t.key, "\"q\\\"t\"", NULL, NULL);
    assert_null(error);
    assert_string_equal(a.string, "q\"t");
    ovsdb_atom_destroy(&a, OVSDB_TYPE_STRING);
    error = ctl_atom_from_string(&a, &t.key, "\"x", NULL, NULL);
    assert_string_equal(error, "\"x: missing quote at end of quoted string");
    free(error);
    ovsdb_type_destroy(&t);
}

static void
test_quoting(void **state)
{
    static const struct {
        const char *s;
        bool quote;
    } cases[] = {
        {"p1", false},
        {"a-b_c.d", false},
        {"_x", false},
        {"br0", false},
        {"", true},
        {"9ab", true},
        {"-x", true},
        {"a:b", true},
        {"x y", true},
        {"true", true},
        {"false", true},
        {"1.5", true},
        {"é", true},
        {".x", true},
        {"c2a4b0b2-0000-4000-8000-000000000001", true},
    };
    struct ovsdb_type t;
    union ovsdb_atom a;
    struct ds ds;

    (void) state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (ctl_string_needs_quotes(cases[i].s) != cases[i].quote) {
            fail_msg("<%s>: quote should be %d", cases[i].s, cases[i].quote);
        }
    }
    ds_init(&ds);
    a.string = "tab\tq\"b\\";
    ctl_atom_to_string(&a, OVSDB_TYPE_STRING, &ds);
    assert_string_equal(ds_cstr(&ds), "\"tab\\tq\\\"b\\\\\"");
    ds_destroy(&ds);

    /* Bare data: no quotes, spaces between elements. */
    parse_type(&t, SMAP);
    {
        struct ovsdb_datum d;
        char *e =
            ctl_datum_from_string(&d, &t, "{a=\"x y\",k6=\"\"}", NULL, NULL);

        assert_null(e);
        ds_init(&ds);
        ctl_datum_to_bare(&d, &t, &ds);
        assert_string_equal(ds_cstr(&ds), "a=x y k6=");
        ds_destroy(&ds);
        ovsdb_datum_destroy(&d, &t);
    }
    ovsdb_type_destroy(&t);
}

/* A 2-row table of name (string) and trunks (integer set). */
static void
make_table(struct ctl_table *tab, struct ovsdb_type *name_t,
           struct ovsdb_type *trunks_t)
{
    static const char *const rows[][2] = {{"\"x y\"", "[]"}, {"p1", "1,2"}};

    parse_type(name_t, STR);
    parse_type(trunks_t, INT_SET);
    ctl_table_init(tab);
    ctl_table_add_column(tab, "name");
    ctl_table_add_column(tab, "trunks");
    for (size_t r = 0; r < 2; r++) {
        struct ovsdb_datum d;

        ctl_table_add_row(tab);
        assert_null(ctl_datum_from_string(&d, name_t, rows[r][0], NULL, NULL));
        ctl_table_set(tab, 0, &d, name_t);
        ovsdb_datum_destroy(&d, name_t);
        assert_null(
            ctl_datum_from_string(&d, trunks_t, rows[r][1], NULL, NULL));
        ctl_table_set(tab, 1, &d, trunks_t);
        ovsdb_datum_destroy(&d, trunks_t);
    }
}

static void
expect_format(enum ctl_format f, enum ctl_data data, bool headings,
              bool pretty, const char *want)
{
    struct ctl_table_style st = {f, data, headings, pretty};
    struct ovsdb_type nt, tt;
    struct ctl_table tab;
    struct ds ds;

    make_table(&tab, &nt, &tt);
    ds_init(&ds);
    ctl_table_format(&tab, &st, &ds);
    if (strcmp(ds_cstr(&ds), want)) {
        fail_msg("format %d data %d: want\n%s\ngot\n%s", f, data, want,
                 ds_cstr(&ds));
    }
    ds_destroy(&ds);
    ctl_table_destroy(&tab);
    ovsdb_type_destroy(&nt);
    ovsdb_type_destroy(&tt);
}

static void
test_formats(void **state)
{
    (void) state;
    expect_format(CTL_FORMAT_LIST, CTL_DATA_STRING, true, false,
                  "name                : \"x y\"\n"
                  "trunks              : []\n"
                  "\n"
                  "name                : p1\n"
                  "trunks              : [1, 2]\n");
    expect_format(CTL_FORMAT_LIST, CTL_DATA_BARE, false, false,
                  "x y\n\n\np1\n1 2\n");
    expect_format(CTL_FORMAT_LIST, CTL_DATA_JSON, false, false,
                  "\"x y\"\n[\"set\",[]]\n\n\"p1\"\n[\"set\",[1,2]]\n");
    expect_format(CTL_FORMAT_TABLE, CTL_DATA_STRING, true, false,
                  "name  trunks\n"
                  "----- ------\n"
                  "\"x y\" []\n"
                  "p1    [1, 2]\n");
    expect_format(CTL_FORMAT_TABLE, CTL_DATA_STRING, false, false,
                  "\"x y\" []\n"
                  "p1    [1, 2]\n");
    expect_format(CTL_FORMAT_CSV, CTL_DATA_STRING, true, false,
                  "name,trunks\n\"\"\"x y\"\"\",[]\np1,\"[1, 2]\"\n");
    expect_format(CTL_FORMAT_CSV, CTL_DATA_BARE, false, false,
                  "x y,\np1,1 2\n");
    expect_format(
        CTL_FORMAT_JSON, CTL_DATA_STRING, true, false,
        "{\"data\":[[\"x y\",[\"set\",[]]],[\"p1\",[\"set\",[1,2]]]],"
        "\"headings\":[\"name\",\"trunks\"]}\n");
    expect_format(CTL_FORMAT_JSON, CTL_DATA_STRING, true, true,
                  "{\n"
                  "  \"data\": [\n"
                  "    [\n"
                  "      \"x y\",\n"
                  "      [\n"
                  "        \"set\",\n"
                  "        []]],\n"
                  "    [\n"
                  "      \"p1\",\n"
                  "      [\n"
                  "        \"set\",\n"
                  "        [\n"
                  "          1,\n"
                  "          2]]]],\n"
                  "  \"headings\": [\n"
                  "    \"name\",\n"
                  "    \"trunks\"]}\n");
    expect_format(CTL_FORMAT_HTML, CTL_DATA_STRING, true, false,
                  "<table border=1>\n"
                  "  <tr>\n"
                  "    <th>name</th>\n"
                  "    <th>trunks</th>\n"
                  "  </tr>\n"
                  "  <tr>\n"
                  "    <td>&quot;x y&quot;</td>\n"
                  "    <td>[]</td>\n"
                  "  </tr>\n"
                  "  <tr>\n"
                  "    <td>p1</td>\n"
                  "    <td>[1, 2]</td>\n"
                  "  </tr>\n"
                  "</table>\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sets),    cmocka_unit_test(test_maps),
        cmocka_unit_test(test_atoms),   cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_formats),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
