/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the ovs-vsctl style command-line splitter (ctl-args):
 * global options by unique prefix, with '=' or a separate argument, short
 * options, command options among the global ones, "--" chains, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ctl-args.h"
#include "vswitch/ds.h"

enum { DB, TIMEOUT, NO_WAIT, NO_HEADINGS, NO_SYSLOG, FORMAT, VERBOSE };

static const struct ctl_option_def defs[] = {
    {"--db", true, DB},
    {"--timeout", true, TIMEOUT},
    {"-t", true, TIMEOUT},
    {"--no-wait", false, NO_WAIT},
    {"--no-headings", false, NO_HEADINGS},
    {"--no-syslog", false, NO_SYSLOG},
    {"--format", true, FORMAT},
    {"-v", false, VERBOSE},
    {NULL, false, 0},
};

static bool
is_cmd_option(const char *w)
{
    size_t n = strcspn(w, "=");

    return (n == 11 && !strncmp(w, "--may-exist", n))
           || (n == 11 && !strncmp(w, "--if-exists", n))
           || (n == 4 && !strncmp(w, "--id", n));
}

/* Parses the space-separated words 'line' and renders the result as
 * "id=value ... | opts: name args | ...", or "error: ..." (caller
 * frees). */
static char *
split(const char *line)
{
    char *copy = strdup(line), *save = NULL, *w;
    char *argv[64];
    int argc = 0;
    struct ctl_command_line cl;
    struct ds ds;
    char *error;

    argv[argc++] = "prog";
    for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        argv[argc++] = w;
    }
    argv[argc] = NULL;
    ds_init(&ds);
    error = ctl_parse_command_line(argc, argv, defs, is_cmd_option, &cl);
    if (error) {
        ds_put_format(&ds, "error: %s", error);
        free(error);
    } else {
        for (size_t i = 0; i < cl.n_settings; i++) {
            ds_put_format(&ds, "%s%d=%s", i ? " " : "", cl.settings[i].id,
                          cl.settings[i].value ? cl.settings[i].value : "");
        }
        for (size_t i = 0; i < cl.n_cmds; i++) {
            ds_put_cstr(&ds, " |");
            for (size_t k = 0; k < cl.cmds[i].n_options; k++) {
                ds_put_format(&ds, " %s", cl.cmds[i].options[k]);
            }
            ds_put_cstr(&ds, " :");
            for (int k = 0; k < cl.cmds[i].argc; k++) {
                ds_put_format(&ds, " %s", cl.cmds[i].argv[k]);
            }
        }
        ctl_command_line_destroy(&cl);
    }
    free(copy);
    {
        const char *t = ds_cstr(&ds);
        char *s = strdup(t[0] == ' ' ? t + 1 : t);

        ds_destroy(&ds);
        return s;
    }
}

static void
expect(const char *line, const char *want)
{
    char *got = split(line);

    if (strcmp(got, want)) {
        fail_msg("<%s>: want <%s> got <%s>", line, want, got);
    }
    free(got);
}

static void
test_globals(void **state)
{
    (void) state;
    expect("--db=unix:x list-br", "0=unix:x | : list-br");
    expect("--db unix:x list-br", "0=unix:x | : list-br");
    expect("-t 5 list-br", "1=5 | : list-br");
    expect("-t5 list-br", "1=5 | : list-br");
    expect("--timeout=5 --no-wait list-br", "1=5 2= | : list-br");
    /* Unique prefixes, as getopt_long. */
    expect("--no-heading --col list-br", "error: unrecognized option '--col'");
    expect("--no-heading list-br", "3= | : list-br");
    expect("--no-h list-br", "3= | : list-br");
    expect("--no list-br", "error: option '--no' is ambiguous");
    expect("--bogus list-br", "error: unrecognized option '--bogus'");
    expect("--no-wait=1 list-br",
           "error: option '--no-wait' doesn't allow an argument");
    expect("--db", "error: option '--db' requires an argument");
    expect("-v", "error: missing command name (use --help for help)");
    expect("", "error: missing command name (use --help for help)");
}

static void
test_chains(void **state)
{
    (void) state;
    /* libvirt: a leading "--", command options after "--". */
    expect("--timeout=5 -- --may-exist add-port br0 vnet0 tag=1 -- set "
           "Interface vnet0 a=b",
           "1=5 | --may-exist : add-port br0 vnet0 tag=1 | : set Interface "
           "vnet0 a=b");
    /* A command option among the global ones goes to the first command. */
    expect("--timeout=5 --if-exists --format=list list Interface x -- "
           "list-br",
           "1=5 5=list | --if-exists : list Interface x | : list-br");
    expect("-- -- list-br -- -- show --", "| : list-br | : show");
    expect("list-br -- --id=@q create qos",
           "| : list-br | --id=@q : create qos");
    /* After the command name, "--x" words are arguments. */
    expect("get Port p1 --x", "| : get Port p1 --x");
    expect("list-br -- --may-exist",
           "error: missing command name (use --help for help)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_globals),
        cmocka_unit_test(test_chains),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
