/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ctl-args.h"

#include <stdlib.h>
#include <string.h>
#include "vswitch/util.h"

/* Finds the global option 'word' ("--name[=v]" or a short "-x[v]"). */
static const struct ctl_option_def *
match_option(const struct ctl_option_def *defs, const char *word,
             const char **inline_value, char **errorp)
{
    const struct ctl_option_def *hit = NULL;
    size_t n;
    int hits = 0;

    *inline_value = NULL;
    if (word[1] != '-') {
        /* Short option: "-t5" or "-t" "5". */
        for (const struct ctl_option_def *d = defs; d->name; d++) {
            if (d->name[1] != '-' && d->name[1] == word[1]) {
                if (word[2]) {
                    if (!d->has_arg) {
                        break;
                    }
                    *inline_value = word + 2;
                }
                return d;
            }
        }
        *errorp = xasprintf("unrecognized option '%s'", word);
        return NULL;
    }
    n = strcspn(word, "=");
    for (const struct ctl_option_def *d = defs; d->name; d++) {
        if (d->name[1] != '-' || strncmp(d->name, word, n)) {
            continue;
        }
        if (strlen(d->name) == n) {
            hit = d; /* Exact match wins. */
            hits = 1;
            break;
        }
        hit = d;
        hits++;
    }
    if (hits > 1) {
        *errorp = xasprintf("option '%.*s' is ambiguous", (int) n, word);
        return NULL;
    }
    if (!hits || n <= 2) {
        *errorp = xasprintf("unrecognized option '%.*s'", (int) n, word);
        return NULL;
    }
    if (word[n] == '=') {
        if (!hit->has_arg) {
            *errorp =
                xasprintf("option '%s' doesn't allow an argument", hit->name);
            return NULL;
        }
        *inline_value = word + n + 1;
    }
    return hit;
}

static void
add_setting(struct ctl_command_line *cl, int id, const char *value)
{
    cl->settings =
        xrealloc(cl->settings, (cl->n_settings + 1) * sizeof *cl->settings);
    cl->settings[cl->n_settings].id = id;
    cl->settings[cl->n_settings].value = value;
    cl->n_settings++;
}

char *
ctl_parse_command_line(int argc, char *argv[],
                       const struct ctl_option_def *defs,
                       bool (*is_command_option)(const char *),
                       struct ctl_command_line *cl)
{
    char **pending = xcalloc(argc + 1, sizeof *pending);
    size_t n_pending = 0;
    char *error = NULL;
    int i;

    memset(cl, 0, sizeof *cl);
    for (i = 1; i < argc; i++) {
        const char *w = argv[i], *value;
        const struct ctl_option_def *d;

        if (w[0] != '-' || !strcmp(w, "--") || !w[1]) {
            break;
        }
        if (w[1] == '-' && is_command_option && is_command_option(w)) {
            pending[n_pending++] = argv[i];
            continue;
        }
        d = match_option(defs, w, &value, &error);
        if (!d) {
            goto err;
        }
        if (d->has_arg && !value) {
            if (i + 1 >= argc) {
                error = xasprintf("option '%s' requires an argument", w);
                goto err;
            }
            value = argv[++i];
        }
        add_setting(cl, d->id, value);
    }
    while (i < argc) {
        struct ctl_parsed_command *c;
        int start;

        if (!strcmp(argv[i], "--")) {
            i++;
            continue;
        }
        cl->cmds = xrealloc(cl->cmds, (cl->n_cmds + 1) * sizeof *cl->cmds);
        c = &cl->cmds[cl->n_cmds++];
        memset(c, 0, sizeof *c);
        c->options = xcalloc(argc + n_pending + 1, sizeof *c->options);
        for (size_t k = 0; k < n_pending; k++) {
            c->options[c->n_options++] = pending[k];
        }
        n_pending = 0;
        while (i < argc && !strncmp(argv[i], "--", 2) && argv[i][2]) {
            c->options[c->n_options++] = argv[i++];
        }
        start = i;
        while (i < argc && strcmp(argv[i], "--")) {
            i++;
        }
        if (i == start) {
            error = xstrdup("missing command name (use --help for help)");
            goto err;
        }
        c->argv = argv + start;
        c->argc = i - start;
    }
    if (!cl->n_cmds) {
        error = xstrdup("missing command name (use --help for help)");
        goto err;
    }
    free(pending);
    return NULL;

err:
    free(pending);
    ctl_command_line_destroy(cl);
    return error;
}

void
ctl_command_line_destroy(struct ctl_command_line *cl)
{
    if (!cl) {
        return;
    }
    for (size_t i = 0; i < cl->n_cmds; i++) {
        free(cl->cmds[i].options);
    }
    free(cl->cmds);
    free(cl->settings);
    memset(cl, 0, sizeof *cl);
}
