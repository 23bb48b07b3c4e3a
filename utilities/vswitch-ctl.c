/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitch-ctl: configures the switch through its database, with the
 * command language of ovs-vsctl (so it can be installed under that name).
 *
 * One invocation: parse the global options and the "--"-separated
 * commands; connect the IDL and wait for the replica; run every command
 * against a working copy of the rows (reads see earlier commands' writes);
 * turn the changed rows into one transaction (verifying what was read),
 * commit, and on a failed verification redo everything from the refreshed
 * replica.  Any error before the commit exits 1 with nothing sent.  Without
 * --no-wait a changing transaction also bumps Open_vSwitch.next_cfg and we
 * wait until cur_cfg catches up (--timeout, else SIGALRM ends us, exit
 * 142, as ovs-vsctl does).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "vswitch/ctl-args.h"
#include "vswitch/ctl-syntax.h"
#include "vswitch/ds.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-idl-txn.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "ctl/ctl.h"

VLOG_DEFINE_THIS_MODULE(vswitch_ctl);

#define DEFAULT_DB "unix:/var/run/openvswitch/db.sock"

const char *program_name = "vswitch-ctl";

/* Global options. */
static const char *opt_db;
static int opt_timeout;
static bool opt_no_wait;
static bool opt_dry_run;
static bool opt_oneline;
static struct ctl_table_style opt_style = {CTL_FORMAT_TABLE, CTL_DATA_STRING,
                                           true, false};
static bool opt_style_explicit_format;
char *opt_columns;
static bool verbose;

/* ---- Command table and driver ------------------------------------------- */

#define ANY 1000000

static const struct ctl_command_syntax cmds[] = {
    {"init", 0, 0, "", cmd_init, false},
    {"show", 0, 0, "", cmd_show, true},
    {"emer-reset", 0, 0, "", cmd_emer_reset, false},
    {"add-br", 1, 3, "--may-exist", cmd_add_br, false},
    {"del-br", 1, 1, "--if-exists", cmd_del_br, false},
    {"list-br", 0, 0, "--real,--fake", cmd_list_br, true},
    {"br-exists", 1, 1, "", cmd_br_exists, true},
    {"br-to-vlan", 1, 1, "", cmd_br_to_vlan, true},
    {"br-to-parent", 1, 1, "", cmd_br_to_parent, true},
    {"br-set-external-id", 2, 3, "", cmd_br_set_external_id, false},
    {"br-get-external-id", 1, 2, "", cmd_br_get_external_id, true},
    {"list-ports", 1, 1, "", cmd_list_ports, true},
    {"add-port", 2, ANY, "--may-exist", cmd_add_port, false},
    {"add-bond", 4, ANY, "--may-exist,--fake-iface,--lacp", cmd_add_bond,
     false},
    {"del-port", 1, 2, "--if-exists,--with-iface", cmd_del_port, false},
    {"port-to-br", 1, 1, "", cmd_port_to_br, true},
    {"list-ifaces", 1, 1, "", cmd_list_ifaces, true},
    {"iface-to-br", 1, 1, "", cmd_iface_to_br, true},
    {"get-controller", 1, 1, "", cmd_get_controller, true},
    {"del-controller", 1, 1, "", cmd_del_controller, false},
    {"set-controller", 1, ANY, "", cmd_set_controller, false},
    {"get-fail-mode", 1, 1, "", cmd_get_fail_mode, true},
    {"del-fail-mode", 1, 1, "", cmd_del_fail_mode, false},
    {"set-fail-mode", 2, 2, "", cmd_set_fail_mode, false},
    {"get-manager", 0, 0, "", cmd_get_manager, true},
    {"del-manager", 0, 0, "", cmd_del_manager, false},
    {"set-manager", 1, ANY, "", cmd_set_manager, false},
    {"get", 2, ANY, "--if-exists,--id=", cmd_get, true},
    {"list", 1, ANY, "--if-exists,--columns=", cmd_list, true},
    {"find", 1, ANY, "--columns=", cmd_find, true},
    {"set", 3, ANY, "--if-exists", cmd_set, false},
    {"add", 4, ANY, "--if-exists", cmd_add, false},
    {"remove", 4, ANY, "--if-exists", cmd_remove, false},
    {"clear", 3, ANY, "--if-exists", cmd_clear, false},
    {"create", 2, ANY, "--id=", cmd_create, false},
    {"destroy", 1, ANY, "--if-exists,--all", cmd_destroy, false},
    {"wait-until", 2, ANY, "", cmd_wait_until, true},
};

static const struct ctl_command_syntax *
find_syntax(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(cmds[i].name, name)) {
            return &cmds[i];
        }
    }
    return NULL;
}

/* Whether option 'opt' (e.g. "--id=@x" or "--may-exist") is allowed by
 * 'allowed'; stores its name and value. */
static bool
option_allowed(const char *allowed, const char *opt, char **namep,
               char **valuep)
{
    const char *eq = strchr(opt, '=');
    size_t n = eq ? (size_t) (eq - opt) : strlen(opt);
    const char *p = allowed;

    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t) (comma - p) : strlen(p);
        bool takes_arg = len && p[len - 1] == '=';
        size_t nlen = takes_arg ? len - 1 : len;

        if (nlen == n && !strncmp(p, opt, n)) {
            if (eq && !takes_arg) {
                ctl_fatal("'%.*s' option does not accept an argument", (int) n,
                          opt);
            }
            if (!eq && takes_arg) {
                ctl_fatal("'%s' option requires an argument", opt);
            }
            *namep = xmalloc(n + 1);
            memcpy(*namep, opt, n);
            (*namep)[n] = '\0';
            *valuep = eq ? xstrdup(eq + 1) : NULL;
            return true;
        }
        p += len + (comma != NULL);
    }
    return false;
}

static bool
is_command_option(const char *opt)
{
    static const char *const all[] = {
        "--may-exist",  "--if-exists",  "--id",   "--all",
        "--with-iface", "--fake-iface", "--real", "--fake",
        "--lacp",       "--columns",    NULL};
    size_t n = strcspn(opt, "=");

    for (size_t i = 0; all[i]; i++) {
        if (strlen(all[i]) == n && !strncmp(all[i], opt, n)) {
            return true;
        }
    }
    return false;
}

/* Checks and records parsed command 'pc' in 'cmd'. */
static void
parse_command(const struct ctl_parsed_command *pc, struct ctl_command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    ds_init(&cmd->output);
    cmd->opt_names = xcalloc(pc->n_options + 1, sizeof *cmd->opt_names);
    cmd->opt_values = xcalloc(pc->n_options + 1, sizeof *cmd->opt_values);
    cmd->syntax = find_syntax(pc->argv[0]);
    if (!cmd->syntax) {
        ctl_fatal("unknown command '%s'; use --help for help", pc->argv[0]);
    }
    for (size_t k = 0; k < pc->n_options; k++) {
        const char *opt = pc->options[k];
        char *name, *value;

        if (!option_allowed(cmd->syntax->options, opt, &name, &value)) {
            ctl_fatal("'%s' command has no '%.*s' option", pc->argv[0],
                      (int) strcspn(opt, "="), opt);
        }
        for (size_t j = 0; j < cmd->n_opts; j++) {
            if (!strcmp(cmd->opt_names[j], name)) {
                ctl_fatal("'%s' option specified multiple times", name);
            }
        }
        cmd->opt_names[cmd->n_opts] = name;
        cmd->opt_values[cmd->n_opts++] = value;
    }
    cmd->argv = pc->argv;
    cmd->argc = pc->argc;
    if (cmd->argc - 1 < cmd->syntax->min_args) {
        ctl_fatal("'%s' command requires at least %d arguments",
                  cmd->syntax->name, cmd->syntax->min_args);
    }
    if (cmd->argc - 1 > cmd->syntax->max_args) {
        ctl_fatal("'%s' command takes at most %d arguments", cmd->syntax->name,
                  cmd->syntax->max_args);
    }
}

static void
usage(void)
{
    printf("%s: configures the switch database (ovs-vsctl syntax)\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "...]\n\n"
           "Bridge commands: init show emer-reset add-br del-br list-br "
           "br-exists\n"
           "  br-set-external-id br-get-external-id br-to-vlan "
           "br-to-parent\n"
           "Port commands: list-ports add-port add-bond del-port "
           "port-to-br\n"
           "Interface commands: list-ifaces iface-to-br\n"
           "Controller, fail mode, manager: set-/get-/del-controller, "
           "-fail-mode, -manager\n"
           "Database commands: list find get set add remove clear create "
           "destroy wait-until\n\n"
           "Options: --db=DATABASE --timeout=SECS --no-wait --dry-run "
           "--oneline\n"
           "  --format=table|list|csv|html|json --data=string|bare|json "
           "--no-headings\n"
           "  --columns=COL,... --bare --pretty -v --help --version\n",
           program_name, program_name);
    exit(0);
}

/* Global options; ids are the long spellings set_global() knows. */
enum {
    OPT_DB,
    OPT_TIMEOUT,
    OPT_NO_WAIT,
    OPT_DRY_RUN,
    OPT_ONELINE,
    OPT_FORMAT,
    OPT_DATA,
    OPT_NO_HEADINGS,
    OPT_COLUMNS,
    OPT_PRETTY,
    OPT_BARE,
    OPT_VERBOSE,
    OPT_HELP,
    OPT_VERSION,
    OPT_IGNORED,
};
static const char *const opt_names[] = {
    "--db=",     "--timeout=", "--no-wait",     "--dry-run",  "--oneline",
    "--format=", "--data=",    "--no-headings", "--columns=", "--pretty",
    "--bare",    "--verbose",  "--help",        "--version",  "--ignored",
};
static const struct ctl_option_def global_defs[] = {
    {"--db", true, OPT_DB},
    {"--timeout", true, OPT_TIMEOUT},
    {"-t", true, OPT_TIMEOUT},
    {"--no-wait", false, OPT_NO_WAIT},
    {"--dry-run", false, OPT_DRY_RUN},
    {"--oneline", false, OPT_ONELINE},
    {"--format", true, OPT_FORMAT},
    {"-f", true, OPT_FORMAT},
    {"--data", true, OPT_DATA},
    {"-d", true, OPT_DATA},
    {"--no-headings", false, OPT_NO_HEADINGS},
    {"--pretty", false, OPT_PRETTY},
    {"--bare", false, OPT_BARE},
    {"--verbose", false, OPT_VERBOSE},
    {"-v", false, OPT_VERBOSE},
    {"--help", false, OPT_HELP},
    {"-h", false, OPT_HELP},
    {"--version", false, OPT_VERSION},
    {"-V", false, OPT_VERSION},
    {"--retry", false, OPT_IGNORED},
    {"--no-syslog", false, OPT_IGNORED},
    {"--log-file", false, OPT_IGNORED},
    {NULL, false, 0},
};

static void
set_global(const char *opt, const char *value)
{
    if (!strcmp(opt, "--db=")) {
        opt_db = value;
    } else if (!strcmp(opt, "--timeout=")) {
        char *end;
        long t = strtol(value, &end, 10);

        if (*end || t < 0) {
            ctl_fatal("value %s on -t or --timeout is invalid", value);
        }
        opt_timeout = t;
    } else if (!strcmp(opt, "--no-wait")) {
        opt_no_wait = true;
    } else if (!strcmp(opt, "--dry-run")) {
        opt_dry_run = true;
    } else if (!strcmp(opt, "--oneline")) {
        opt_oneline = true;
    } else if (!strcmp(opt, "--format=")) {
        static const char *const names[] = {"table", "list", "csv", "html",
                                            "json"};
        size_t i;

        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcasecmp(value, names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            ctl_fatal("unknown output format \"%s\"", value);
        }
        opt_style.format = (enum ctl_format) i;
        opt_style_explicit_format = true;
    } else if (!strcmp(opt, "--data=")) {
        if (!strcasecmp(value, "string")) {
            opt_style.data = CTL_DATA_STRING;
        } else if (!strcasecmp(value, "bare")) {
            opt_style.data = CTL_DATA_BARE;
        } else if (!strcasecmp(value, "json")) {
            opt_style.data = CTL_DATA_JSON;
        } else {
            ctl_fatal("unknown cell format \"%s\"", value);
        }
    } else if (!strcmp(opt, "--no-headings")) {
        opt_style.headings = false;
    } else if (!strcmp(opt, "--columns=")) {
        opt_columns = (char *) value;
    } else if (!strcmp(opt, "--pretty")) {
        opt_style.pretty = true;
    } else if (!strcmp(opt, "--bare")) {
        opt_style.format = CTL_FORMAT_LIST;
        opt_style.data = CTL_DATA_BARE;
        opt_style.headings = false;
        opt_style_explicit_format = true;
    } else if (!strcmp(opt, "--verbose")) {
        verbose = true;
        free(vlog_set_levels_from_string("dbg"));
    } else if (!strcmp(opt, "--help")) {
        usage();
    } else if (!strcmp(opt, "--version")) {
        printf("%s (vswitch) 1.0\n", program_name);
        exit(0);
    }
}

static void
ctx_init(struct ctl_ctx *ctx, struct ovsdb_idl *idl)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->idl = idl;
    ctx->schema = ovsdb_idl_get_schema(idl);
    hmap_init(&ctx->rows);
}

static void
ctx_destroy(struct ctl_ctx *ctx)
{
    struct wrow *w;

    HMAP_FOR_EACH_POP (w, node, &ctx->rows) {
        wrow_destroy(w);
    }
    hmap_destroy(&ctx->rows);
    for (size_t i = 0; i < ctx->n_symbols; i++) {
        free(ctx->symbols[i].name);
    }
    free(ctx->symbols);
}

/* Turns the working copy into 'txn'. */
static void
build_txn(struct ctl_ctx *ctx, struct ovsdb_idl_txn *txn)
{
    struct wrow *w;

    HMAP_FOR_EACH (w, node, &ctx->rows) {
        if (!w->orig && !w->deleted) {
            ovsdb_idl_txn_insert(txn, w->ts->name, &w->uuid);
        }
    }
    HMAP_FOR_EACH (w, node, &ctx->rows) {
        const struct ovsdb_table_schema *ts = w->ts;

        if (w->deleted) {
            if (w->orig) {
                ovsdb_idl_txn_verify(txn, w->orig, "_uuid");
                ovsdb_idl_txn_delete(txn, ts->name, &w->uuid);
            }
            continue;
        }
        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];

            if (!w->orig) {
                if (!ovsdb_datum_is_default(&w->data[i], &c->type)) {
                    ovsdb_idl_txn_write(txn, ts->name, &w->uuid, c->name,
                                        &w->data[i], &c->type);
                }
                continue;
            }
            if (w->dirty[i]) {
                const struct ovsdb_datum *old =
                    ovsdb_idl_row_get(w->orig, c->name, NULL);

                if (!old || !ovsdb_datum_equals(old, &w->data[i], &c->type)) {
                    ovsdb_idl_txn_verify(txn, w->orig, c->name);
                    ovsdb_idl_txn_write(txn, ts->name, &w->uuid, c->name,
                                        &w->data[i], &c->type);
                }
            }
        }
    }
    /* Verifications count only if something is written. */
    if (!ovsdb_idl_txn_is_empty(txn)) {
        HMAP_FOR_EACH (w, node, &ctx->rows) {
            for (unsigned int i = OVSDB_N_HIDDEN;
                 w->orig && !w->deleted && i < w->ts->n_columns; i++) {
                if (w->verify[i]) {
                    ovsdb_idl_txn_verify(txn, w->orig,
                                         w->ts->columns[i]->name);
                }
            }
        }
    }
}

/* A chain that creates the Open_vSwitch row (an "init" on an empty
 * database, say) has no row to increment next_cfg on: it writes next_cfg=1
 * into the new row and waits for cur_cfg to reach 1, as a later chain
 * waits for its increment.  Returns the next_cfg to wait for, or -1 when
 * the chain creates no such row. */
static int64_t
start_cfg_on_new_ovs(struct ctl_ctx *ctx)
{
    const struct ovsdb_table_schema *ts = table_of(ctx, "Open_vSwitch");
    struct wrow **all, *w = NULL;
    size_t n;

    if (!ts || !ovsdb_table_schema_find_column(ts, "next_cfg")) {
        return -1;
    }
    all = wrow_all(ctx, ts, &n);
    for (size_t i = 0; i < n && !w; i++) {
        if (!all[i]->orig && !all[i]->deleted) {
            w = all[i];
        }
    }
    free(all);
    if (!w) {
        return -1;
    }
    wrow_set_int(w, "next_cfg", 1);
    return 1;
}

/* The database when --db is not given: $OVS_RUNDIR/db.sock (what libvirt's
 * environment sets for ovs-vsctl), else $VSWITCH_RUNDIR/db.sock, else the
 * default socket of the program we are invoked as: ovs-vsctl's
 * /var/run/openvswitch/db.sock, or ovsdb-lite's /run/vswitch/db.sock. */
static char *
default_db(void)
{
    const char *rundir = getenv("OVS_RUNDIR");
    const char *base = strrchr(program_name, '/');

    if (!rundir || !*rundir) {
        rundir = getenv("VSWITCH_RUNDIR");
    }
    if (rundir && *rundir) {
        return xasprintf("unix:%s/db.sock", rundir);
    }
    base = base ? base + 1 : program_name;
    return xstrdup(!strcmp(base, "ovs-vsctl") ? DEFAULT_DB
                                              : "unix:/run/vswitch/db.sock");
}

static void
wait_for_sync(struct ovsdb_idl *idl)
{
    ovsdb_idl_run(idl);
    while (!ovsdb_idl_is_synced(idl)) {
        ovsdb_idl_run_block(idl, 1000);
    }
}

/* Prints each command's output (with 'created' uuids made real). */
static void
print_output(struct ctl_command *cmds_, size_t n, struct ovsdb_idl_txn *txn)
{
    for (size_t i = 0; i < n; i++) {
        struct ctl_command *c = &cmds_[i];
        struct ds out;

        ds_init(&out);
        if (c->has_created) {
            struct ovsdb_uuid real = c->created;
            char s[37];

            if (txn) {
                ovsdb_idl_txn_get_insert_uuid(txn, &c->created, &real);
            }
            ovsdb_uuid_to_string(&real, s);
            ds_put_format(&out, "%s\n", s);
        }
        if (c->table) {
            struct ctl_table_style st = opt_style;

            /* "list" and "find" default to the list layout. */
            if (!opt_style_explicit_format) {
                st.format = CTL_FORMAT_LIST;
            }
            ctl_table_format(c->table, &st, &out);
        }
        ds_put_cstr(&out, ds_cstr(&c->output));
        if (opt_oneline) {
            const char *s = ds_cstr(&out);
            size_t len = strlen(s);

            if (len && s[len - 1] == '\n') {
                len--;
            }
            for (size_t k = 0; k < len; k++) {
                if (s[k] == '\n') {
                    fputs("\\n", stdout);
                } else if (s[k] == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(s[k]);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(&out), stdout);
        }
        ds_destroy(&out);
    }
    fflush(stdout);
}

static const struct ovsdb_idl_row *
first_ovs(struct ovsdb_idl *idl)
{
    return ovsdb_idl_first_row(idl, "Open_vSwitch");
}

static int64_t
cur_cfg(struct ovsdb_idl *idl)
{
    const struct ovsdb_idl_row *r = first_ovs(idl);
    const struct ovsdb_datum *d =
        r ? ovsdb_idl_row_get(r, "cur_cfg", NULL) : NULL;

    return d && d->n ? d->keys[0].integer : 0;
}

/* After the wait: complain about interfaces this transaction added that
 * vswitchd could not set up. */
static void
check_new_ifaces(struct ovsdb_idl *idl, struct ctl_ctx *ctx,
                 struct ovsdb_idl_txn *txn)
{
    bool any = false;
    struct wrow *w;

    HMAP_FOR_EACH (w, node, &ctx->rows) {
        const struct ovsdb_idl_row *r;
        const struct ovsdb_datum *ofport, *error, *name;
        struct ovsdb_uuid real;

        if (w->orig || w->deleted || strcmp(w->ts->name, "Interface")
            || !ovsdb_idl_txn_get_insert_uuid(txn, &w->uuid, &real)) {
            continue;
        }
        r = ovsdb_idl_get_row(idl, "Interface", &real);
        if (!r) {
            continue;
        }
        ofport = ovsdb_idl_row_get(r, "ofport", NULL);
        error = ovsdb_idl_row_get(r, "error", NULL);
        name = ovsdb_idl_row_get(r, "name", NULL);
        if (ofport && ofport->n && ofport->keys[0].integer != -1) {
            continue;
        }
        if (error && error->n) {
            fprintf(stderr,
                    "Error detected while setting up '%s': %s.  See "
                    "ovs-vswitchd log for details.\n",
                    name && name->n ? name->keys[0].string : "",
                    error->keys[0].string);
        } else {
            fprintf(stderr,
                    "Error detected while setting up '%s'.  See "
                    "ovs-vswitchd log for details.\n",
                    name && name->n ? name->keys[0].string : "");
        }
        any = true;
    }
    if (any) {
        fprintf(stderr, "The default log directory is \"%s\".\n",
                "/var/log/openvswitch");
    }
}

int
main(int argc, char *argv[])
{
    struct ctl_command *commands = NULL;
    struct ctl_command_line cl;
    size_t n_commands = 0;
    struct ovsdb_idl *idl;
    bool read_only = true;

    {
        const char *slash = strrchr(argv[0], '/');

        program_name = slash ? slash + 1 : argv[0];
    }
    {
        char *error = ctl_parse_command_line(argc, argv, global_defs,
                                             is_command_option, &cl);

        if (error) {
            ctl_fatal("%s", error);
        }
    }
    for (size_t k = 0; k < cl.n_settings; k++) {
        set_global(opt_names[cl.settings[k].id], cl.settings[k].value);
    }
    if (!verbose) {
        free(vlog_set_levels_from_string("warn"));
    }
    commands = xcalloc(cl.n_cmds, sizeof *commands);
    for (size_t k = 0; k < cl.n_cmds; k++) {
        parse_command(&cl.cmds[k], &commands[k]);
        read_only &= commands[k].syntax->read_only;
    }
    n_commands = cl.n_cmds;
    if (opt_timeout) {
        alarm(opt_timeout);
    }
    if (!opt_db) {
        opt_db = default_db();
    }
    idl = ovsdb_idl_create(opt_db, "Open_vSwitch");
    if (!idl) {
        ctl_fatal("%s: invalid database name", opt_db);
    }
    ovsdb_idl_monitor_all(idl);

    for (;;) {
        struct ovsdb_idl_txn *txn;
        enum ovsdb_idl_txn_status status;
        struct ctl_ctx ctx;
        int64_t next_cfg = -1, new_ovs_cfg = -1;
        unsigned int seqno;

        wait_for_sync(idl);
        seqno = ovsdb_idl_get_seqno(idl);
        ctx_init(&ctx, idl);
        for (size_t k = 0; k < n_commands; k++) {
            ds_clear(&commands[k].output);
            if (commands[k].table) {
                ctl_table_destroy(commands[k].table);
                free(commands[k].table);
                commands[k].table = NULL;
            }
            commands[k].has_created = false;
            commands[k].syntax->run(&ctx, &commands[k]);
        }
        for (size_t k = 0; k < ctx.n_symbols; k++) {
            const struct symbol *s = &ctx.symbols[k];

            if (!s->created) {
                ctl_fatal("row id \"%s\" is referenced but never created "
                          "(e.g. with \"-- --id=%s create ...\")",
                          s->name, s->name);
            }
        }
        if (ctx.try_again) {
            ctx_destroy(&ctx);
            while (ovsdb_idl_get_seqno(idl) == seqno) {
                ovsdb_idl_run_block(idl, 1000);
            }
            continue;
        }
        if (!opt_no_wait && !opt_dry_run && !first_ovs(idl)) {
            new_ovs_cfg = start_cfg_on_new_ovs(&ctx);
        }
        txn = ovsdb_idl_txn_create(idl);
        build_txn(&ctx, txn);
        if (!ovsdb_idl_txn_is_empty(txn)) {
            struct ds comment;

            ds_init(&comment);
            ds_put_format(&comment, "%s:", program_name);
            for (int k = 1; k < argc; k++) {
                ds_put_format(&comment, " %s", argv[k]);
            }
            ovsdb_idl_txn_add_comment(txn, ds_cstr(&comment));
            ds_destroy(&comment);
            if (!opt_no_wait && !opt_dry_run) {
                const struct ovsdb_idl_row *ovs = first_ovs(idl);

                if (ovs) {
                    ovsdb_idl_txn_increment(txn, ovs, "next_cfg");
                }
            }
        }
        if (opt_dry_run) {
            status = ovsdb_idl_txn_is_empty(txn) ? OVSDB_IDL_TXN_UNCHANGED
                                                 : OVSDB_IDL_TXN_SUCCESS;
        } else {
            status = ovsdb_idl_txn_commit_block(txn, -1);
        }
        switch (status) {
        case OVSDB_IDL_TXN_UNCHANGED:
        case OVSDB_IDL_TXN_SUCCESS:
            break;
        case OVSDB_IDL_TXN_TRY_AGAIN:
            VLOG_DBG("verification failed; retrying");
            ovsdb_idl_txn_destroy(txn);
            ctx_destroy(&ctx);
            while (ovsdb_idl_get_seqno(idl) == seqno
                   && ovsdb_idl_is_connected(idl)) {
                ovsdb_idl_run_block(idl, 100);
            }
            continue;
        case OVSDB_IDL_TXN_NOT_LOCKED:
            ctl_fatal("transaction failed: lock not held");
        case OVSDB_IDL_TXN_ERROR:
        case OVSDB_IDL_TXN_UNCOMMITTED:
        default:
            ctl_fatal("%s", ovsdb_idl_txn_get_error(txn)
                                ? ovsdb_idl_txn_get_error(txn)
                                : "transaction failed");
        }
        print_output(commands, n_commands,
                     status == OVSDB_IDL_TXN_SUCCESS ? txn : NULL);
        if (status == OVSDB_IDL_TXN_SUCCESS && !opt_dry_run) {
            next_cfg = new_ovs_cfg >= 0
                           ? new_ovs_cfg
                           : ovsdb_idl_txn_get_increment_new_value(txn);
        }
        if (next_cfg >= 0) {
            while (cur_cfg(idl) < next_cfg) {
                ovsdb_idl_run_block(idl, 1000);
            }
            check_new_ifaces(idl, &ctx, txn);
        }
        ovsdb_idl_txn_destroy(txn);
        ctx_destroy(&ctx);
        break;
    }
    (void) read_only;
    for (size_t k = 0; k < n_commands; k++) {
        ds_destroy(&commands[k].output);
        if (commands[k].table) {
            ctl_table_destroy(commands[k].table);
            free(commands[k].table);
        }
        for (size_t j = 0; j < commands[k].n_opts; j++) {
            free(commands[k].opt_names[j]);
            free(commands[k].opt_values[j]);
        }
        free(commands[k].opt_names);
        free(commands[k].opt_values);
    }
    free(commands);
    ctl_command_line_destroy(&cl);
    ovsdb_idl_destroy(idl);
    return 0;
}
