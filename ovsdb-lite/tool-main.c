/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-lite-tool: offline operations on ovsdb-lite database files.
 *
 *   ovsdb-lite-tool create DB SCHEMA   new database file from a schema
 *   ovsdb-lite-tool compact DB         rewrite DB as a snapshot
 *   ovsdb-lite-tool show-log [-v] DB   list the journal's records
 *   ovsdb-lite-tool check DB           replay DB; exit 0 if it loads
 *   ovsdb-lite-tool query DB TRANSACT  run a read-only transaction (JSON
 *                                      array of operations) and print it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "journal.h"
#include "transaction.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

static int
cmd_create(int argc, char *argv[])
{
    json_error_t jerr;
    json_t *schema = json_load_file(argv[2], 0, &jerr);
    char *err = NULL;
    int error;

    if (!schema) {
        fprintf(stderr, "%s: %s (line %d)\n", argv[2], jerr.text, jerr.line);
        return 1;
    }
    error = ovsdb_journal_create(argv[1], schema, &err);
    json_decref(schema);
    if (error) {
        fprintf(stderr, "%s\n", err ? err : vs_strerror(error));
        free(err);
        return 1;
    }
    return 0;
}

static int
cmd_compact(int argc, char *argv[])
{
    struct ovsdb_journal *j;
    struct ovsdb *db;
    char *err;
    int error = ovsdb_journal_open(argv[1], &db, &j, &err);

    if (!error) {
        error = ovsdb_journal_compact(j, db);
        ovsdb_journal_close(j);
        ovsdb_destroy(db);
        err = error ? xstrdup(vs_strerror(error)) : NULL;
    }
    if (error) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 1;
    }
    return 0;
}

static int
cmd_show_log(int argc, char *argv[])
{
    bool verbose = argc > 2 && !strcmp(argv[1], "-v");
    char *err;

    if (ovsdb_journal_show(argv[verbose ? 2 : 1], verbose, &err)) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 1;
    }
    return 0;
}

static int
cmd_check(int argc, char *argv[])
{
    struct ovsdb *db;
    size_t n_rows;
    char *err;

    if (ovsdb_journal_open(argv[1], &db, NULL, &err)) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 1;
    }
    ovsdb_memory_usage(db, &n_rows);
    printf("%s: database %s, %zu rows: ok\n", argv[1], db->schema->name,
           n_rows);
    ovsdb_destroy(db);
    return 0;
}

static int
cmd_query(int argc, char *argv[])
{
    struct ovsdb_exec_result r;
    struct ovsdb *db;
    json_error_t jerr;
    json_t *ops;
    char *err, *s;

    if (ovsdb_journal_open(argv[1], &db, NULL, &err)) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 1;
    }
    ops = json_loads(argv[2], 0, &jerr);
    if (!json_is_array(ops)) {
        fprintf(stderr, "bad transaction: %s\n", jerr.text);
        json_decref(ops);
        ovsdb_destroy(db);
        return 1;
    }
    ovsdb_execute(db, ops, 0, NULL, true, &r);
    ovsdb_txn_destroy(r.txn); /* Read-only: never commit. */
    s = json_dumps(r.result, JSON_COMPACT | JSON_SORT_KEYS);
    printf("%s\n", s ? s : "null");
    free(s);
    json_decref(r.result);
    json_decref(ops);
    ovsdb_destroy(db);
    return 0;
}

static const struct {
    const char *name;
    int min_args, max_args;
    int (*run)(int argc, char *argv[]);
} cmds[] = {
    {"create", 2, 2, cmd_create},     {"compact", 1, 1, cmd_compact},
    {"show-log", 1, 2, cmd_show_log}, {"check", 1, 1, cmd_check},
    {"query", 2, 2, cmd_query},
};

int
main(int argc, char *argv[])
{
    vs_set_program_name(argv[0]);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: %s create DB SCHEMA | compact DB | show-log [-v] DB | "
               "check DB | query DB OPS\n",
               vs_program_name());
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(argv[1], cmds[i].name)) {
            if (argc - 2 < cmds[i].min_args || argc - 2 > cmds[i].max_args) {
                fprintf(stderr, "%s: wrong number of arguments\n", argv[1]);
                return 2;
            }
            return cmds[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "unknown command \"%s\"\n", argv[1]);
    return 2;
}
