/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idl-dump: replicates tables through the IDL and prints them, then
 * optionally prints the changes it sees.  Tests run it against Debian's
 * ovsdb-server and against ovsdb-lite.
 *
 * usage: idl-dump [--watch=N] [--timeout=SECS] REMOTE DB TABLE[:COL,...]...
 *
 * Prints "method METHOD", then one line per row, sorted:
 * "TABLE col=VALUE col=VALUE" (values as OVSDB JSON, uuids left out so
 * that two servers' dumps compare equal), then "synced".  With --watch, it
 * then prints "inserted|modified|deleted TABLE col=VALUE..." for each
 * change until N have been seen, and "done".  Exit status 1 on timeout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/json-stream.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

static char **tables;
static size_t n_tables;

static char *
row_to_string(const struct ovsdb_idl_row *row, const char *table,
              const char *const *cols, size_t n_cols)
{
    size_t size = 0;
    char *s = NULL;
    FILE *f = open_memstream(&s, &size);

    fputs(table, f);
    for (size_t i = 0; i < n_cols; i++) {
        const struct ovsdb_type *type;
        const struct ovsdb_datum *d = ovsdb_idl_row_get(row, cols[i], &type);
        json_t *j;
        char *js;

        if (!d) {
            continue;
        }
        j = ovsdb_datum_to_json(d, type);
        js = json_to_string_compact(j);
        /* uuids differ between servers: show only that one is there. */
        if (type->key.type == OVSDB_TYPE_UUID) {
            fprintf(f, " %s=<%u>", cols[i], d->n);
        } else {
            fprintf(f, " %s=%s", cols[i], js);
        }
        free(js);
        json_decref(j);
    }
    fclose(f);
    return s;
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static char **
split_cols(const char *spec, size_t *n)
{
    char *copy = xstrdup(spec), *save = NULL, *tok;
    char **cols = xcalloc(64, sizeof *cols);

    *n = 0;
    for (tok = strtok_r(copy, ",", &save); tok && *n < 63;
         tok = strtok_r(NULL, ",", &save)) {
        cols[(*n)++] = xstrdup(tok);
    }
    free(copy);
    return cols;
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"watch", required_argument, NULL, 'w'},
        {"timeout", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    long long watch = 0, timeout = 10, deadline;
    struct ovsdb_idl *idl;
    char ***cols;
    size_t *n_cols;
    int c;

    vs_set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'w' && vs_str_to_llong(optarg, 1, 1000000, &watch)) {
            continue;
        } else if (c == 't' && vs_str_to_llong(optarg, 1, 3600, &timeout)) {
            continue;
        }
        vs_fatal(2, "usage: idl-dump [--watch=N] [--timeout=SECS] REMOTE DB "
                    "TABLE[:COL,...]...");
    }
    if (argc - optind < 3) {
        vs_fatal(2, "REMOTE, DB and at least one TABLE are required");
    }
    idl = ovsdb_idl_create(argv[optind], argv[optind + 1]);
    if (!idl) {
        vs_fatal(2, "%s: not a valid remote", argv[optind]);
    }
    n_tables = argc - optind - 2;
    tables = xcalloc(n_tables, sizeof *tables);
    cols = xcalloc(n_tables, sizeof *cols);
    n_cols = xcalloc(n_tables, sizeof *n_cols);
    for (size_t i = 0; i < n_tables; i++) {
        char *spec = xstrdup(argv[optind + 2 + i]), *colon = strchr(spec, ':');

        if (colon) {
            *colon = '\0';
        }
        tables[i] = spec;
        cols[i] = split_cols(colon ? colon + 1 : "", &n_cols[i]);
        ovsdb_idl_monitor(idl, spec, (const char *const *) cols[i]);
    }

    deadline = vs_time_msec() + timeout * 1000;
    while (!ovsdb_idl_is_synced(idl)) {
        if (vs_time_msec() > deadline) {
            fprintf(stderr,
                    "idl-dump: timed out waiting for the initial "
                    "contents (%s)\n",
                    ovsdb_idl_last_error(idl) ? ovsdb_idl_last_error(idl)
                                              : "no error");
            return 1;
        }
        ovsdb_idl_run_block(idl, 100);
    }
    printf("method %s\n", ovsdb_idl_monitor_method(idl));
    for (size_t i = 0; i < n_tables; i++) {
        const struct ovsdb_idl_row *row;
        char **lines = NULL;
        size_t n = 0;

        for (row = ovsdb_idl_first_row(idl, tables[i]); row;
             row = ovsdb_idl_next_row(row)) {
            lines = xrealloc(lines, (n + 1) * sizeof *lines);
            lines[n++] = row_to_string(
                row, tables[i], (const char *const *) cols[i], n_cols[i]);
        }
        qsort(lines, n, sizeof *lines, compare_strings);
        for (size_t k = 0; k < n; k++) {
            puts(lines[k]);
            free(lines[k]);
        }
        free(lines);
    }
    puts("synced");
    fflush(stdout);
    ovsdb_idl_track_clear(idl);

    while (watch > 0) {
        static const char *const names[] = {"unchanged", "inserted",
                                            "modified", "deleted"};

        if (vs_time_msec() > deadline) {
            fprintf(stderr, "idl-dump: timed out watching\n");
            return 1;
        }
        ovsdb_idl_run_block(idl, 100);
        for (size_t i = 0; i < n_tables; i++) {
            const struct ovsdb_idl_row *row;

            for (row = ovsdb_idl_track_first(idl, tables[i]); row;
                 row = ovsdb_idl_track_next(row)) {
                char *s = row_to_string(
                    row, tables[i], (const char *const *) cols[i], n_cols[i]);

                printf("%s %s\n", names[row->change], s);
                free(s);
                watch--;
            }
        }
        fflush(stdout);
        ovsdb_idl_track_clear(idl);
    }
    puts("done");
    ovsdb_idl_destroy(idl);
    return 0;
}
