/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitch-dpctl: administer datapaths (the counterpart of ovs-dpctl).
 *
 * Userspace datapaths live inside a running vswitchd: for them it talks to
 * vswitchd's control socket (`dpctl/CMD` unixctl commands, like
 * `ovs-appctl dpctl/CMD`).  Kernel datapaths it drives itself over generic
 * netlink (lib/dpif-netlink.c), as ovs-dpctl does: when an argument names
 * a `system@NAME` datapath, or when no vswitchd answers and the kernel has
 * a datapath module loaded.
 *
 * Exit status: 0 success, 1 the command failed, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"

/* Commands and the number of non-option arguments they take. */
static const struct {
    const char *name; /* Command. */
    const char *args; /* Usage. */
} cmds[] = {
    {"add-dp", "DP [IFACE...]"},
    {"del-dp", "DP"},
    {"dump-dps", ""},
    {"add-if", "DP IFACE[,type=T][,port_no=N]..."},
    {"del-if", "DP IFACE..."},
    {"show", "[DP...]"},
    {"dump-flows", "[DP]"},
    {"add-flow", "[DP] FLOW ACTIONS"},
    {"mod-flow", "[DP] FLOW ACTIONS"},
    {"get-flow", "[DP] ufid:UFID"},
    {"del-flow", "[DP] FLOW"},
    {"del-flows", "[DP]"},
    {"set-config", "[DP] n-threads=N|flow-limit=N|upcall-queue=N..."},
};

static void
usage(void)
{
    printf("%s: datapath management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n\nCommands:\n",
           vs_program_name(), vs_program_name());
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        printf("  %s %s\n", cmds[i].name, cmds[i].args);
    }
    printf("\nOptions:\n"
           "  -s, --statistics     show port statistics (show)\n"
           "  -m, --more           show more (dump-flows: UFIDs)\n"
           "  --names, --no-names  port names instead of numbers\n"
           "  --clear              zero the counters (mod-flow)\n"
           "  -t, --target=TARGET  vswitchd control socket or name\n"
           "  -T, --timeout=SECS   wait at most SECS seconds\n"
           "  -h, --help           this help\n"
           "  -V, --version        version\n"
           "FLOW and ACTIONS use the ovs-dpctl syntax, for example:\n"
           "  add-flow \"in_port(1),eth(),eth_type(0x0800)\" 2\n");
}

/* True if an argument names a kernel datapath. */
static bool
wants_kernel(int n_args, char **args)
{
    for (int i = 0; i < n_args; i++) {
        if (!strncmp(args[i], "system@", 7)) {
            return true;
        }
    }
    return false;
}

/* Runs 'cmd' with 'args' in this process against the kernel datapaths.
 * Returns the exit status. */
static int
run_direct(const char *cmd, int n_args, char **args)
{
    const char **argv = xcalloc(n_args + 2, sizeof *argv);
    struct ds out = DS_EMPTY_INITIALIZER;
    int error;

    argv[0] = cmd;
    for (int i = 0; i < n_args; i++) {
        argv[i + 1] = args[i];
    }
    error = dpctl_run_direct(n_args + 1, argv, &out);
    if (error) {
        ds_chomp(&out);
        fprintf(stderr, "%s: %s\n", vs_program_name(), ds_cstr(&out));
    } else {
        fputs(ds_cstr(&out), stdout);
    }
    ds_destroy(&out);
    free(argv);
    free(args);
    return error ? 1 : 0;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"statistics", no_argument, NULL, 's'},
        {"more", no_argument, NULL, 'm'},
        {"names", no_argument, NULL, 'n'},
        {"no-names", no_argument, NULL, 'N'},
        {"clear", no_argument, NULL, 'c'},
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *target = "vswitchd";
    bool stats = false, more = false, names = false, clear = false;
    struct unixctl_client *client;
    char *path, *result, *reply_error, *error, *command;
    char **args;
    long long timeout = 30;
    int c, rc, n_args = 0;
    const char *cmd;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+smt:T:hV", long_options, NULL))
           != -1) {
        switch (c) {
        case 's':
            stats = true;
            break;
        case 'm':
            more = true;
            break;
        case 'n':
            names = true;
            break;
        case 'N':
            names = false;
            break;
        case 'c':
            clear = true;
            break;
        case 't':
            target = optarg;
            break;
        case 'T':
            if (!vs_str_to_llong(optarg, 0, 86400, &timeout)) {
                vs_fatal(2, "--timeout: \"%s\" is not a number of seconds",
                         optarg);
            }
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);
            return 0;
        default:
            vs_fatal(2, "unknown option '%s' (use --help for help)",
                     argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        vs_fatal(2, "missing command name (use --help for help)");
    }
    cmd = argv[optind++];
    rc = -1;
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(cmds[i].name, cmd)) {
            rc = 0;
        }
    }
    if (rc) {
        vs_fatal(2, "unknown command '%s' (use --help for help)", cmd);
    }

    /* Options the command understands come first, as ovs-appctl dpctl/
     * expects them. */
    args = xcalloc(argc + 4, sizeof *args);
    if (stats && !strcmp(cmd, "show")) {
        args[n_args++] = "-s";
    }
    if (more && (!strcmp(cmd, "dump-flows") || !strcmp(cmd, "get-flow"))) {
        args[n_args++] = "-m";
    }
    if (names && (!strcmp(cmd, "dump-flows") || !strcmp(cmd, "get-flow"))) {
        args[n_args++] = "--names";
    }
    if (clear && !strcmp(cmd, "mod-flow")) {
        args[n_args++] = "--clear";
    }
    while (optind < argc) {
        args[n_args++] = argv[optind++];
    }

    if (wants_kernel(n_args, args)) {
        return run_direct(cmd, n_args, args);
    }
    path = unixctl_resolve_target(target, &error);
    if (!path) {
        if (dpif_type_is_known("system")) {
            free(error);
            return run_direct(cmd, n_args, args);
        }
        vs_fatal(1, "%s", error);
    }
    rc = unixctl_client_create(path, &client);
    if (rc) {
        if (dpif_type_is_known("system")) {
            free(path);
            return run_direct(cmd, n_args, args);
        }
        vs_fatal(1, "cannot connect to \"%s\" (%s)", path, vs_strerror(rc));
    }
    command = xasprintf("dpctl/%s", cmd);
    rc = unixctl_client_transact(client, command, n_args, args,
                                 (int) timeout * 1000, &result, &reply_error);
    if (rc) {
        vs_fatal(1, "%s: transaction error (%s)", path,
                 rc == ETIMEDOUT ? "timed out" : vs_strerror(rc));
    }
    unixctl_client_destroy(client);
    free(command);
    free(args);
    free(path);
    if (reply_error) {
        fprintf(stderr, "%s: %s", vs_program_name(), reply_error);
        if (*reply_error && reply_error[strlen(reply_error) - 1] != '\n') {
            fputc('\n', stderr);
        }
        free(reply_error);
        return 1;
    }
    fputs(result, stdout);
    free(result);
    return 0;
}
