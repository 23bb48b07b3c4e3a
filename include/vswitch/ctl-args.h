/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CTL_ARGS_H
#define VSWITCH_CTL_ARGS_H 1

/*
 * ctl-args: splits an ovs-vsctl style command line into global options and
 * "--"-separated commands.
 *
 *     PROG [GLOBAL-OPTIONS] [--] [CMD-OPTIONS] CMD ARG... [-- [CMD-OPTIONS]
 *          CMD ARG...]...
 *
 * Global options are long options matched by unique prefix as getopt_long
 * does ("--no-heading" is "--no-headings"), with their argument after '='
 * or in the next word, plus the short forms the caller lists.  A word that
 * the caller says is a command option ("--may-exist", "--id=@x", ...) may
 * also appear among the global options: it then belongs to the first
 * command (libvirt writes "ovs-vsctl --timeout=5 --if-exists ... list").
 * The first word that does not start with '-' ends the global options;
 * a lone "--" separates commands (leading, repeated and trailing ones are
 * harmless).  Each command is its leading "--xxx" options, then its name
 * and arguments (arguments may start with "--" only after the name).
 *
 * Thread-safety: plain functions; results are owned by the caller.
 */

#include <stdbool.h>
#include <stddef.h>

struct ctl_option_def {
    const char *name; /* Long name with dashes ("--db"), or "-t". */
    bool has_arg;     /* Takes an argument. */
    int id;           /* Caller's identifier, reported back. */
};

struct ctl_setting {
    int id;            /* ctl_option_def.id. */
    const char *value; /* Argument (borrowed from argv), or NULL. */
};

struct ctl_parsed_command {
    char **options;   /* Leading "--xxx[=v]" words (borrowed). */
    size_t n_options; /* Elements in 'options'. */
    char **argv;      /* Name and arguments (borrowed from argv). */
    int argc;         /* Elements in 'argv' (at least 1). */
};

struct ctl_command_line {
    struct ctl_setting *settings;    /* Global options, in order. */
    size_t n_settings;               /* Elements in 'settings'. */
    struct ctl_parsed_command *cmds; /* Commands, in order. */
    size_t n_cmds;                   /* Elements in 'cmds'. */
};

/* Parses argv[1..argc-1].  'defs' ends with a NULL name;
 * 'is_command_option' says whether a "--xxx[=v]" word is a command option.
 * Returns NULL and fills '*cl', or an error message (caller frees) such as
 * "unrecognized option '--x'". */
char *ctl_parse_command_line(int argc, char *argv[],
                             const struct ctl_option_def *defs,
                             bool (*is_command_option)(const char *),
                             struct ctl_command_line *cl);
void ctl_command_line_destroy(struct ctl_command_line *);

#endif /* VSWITCH_CTL_ARGS_H */
