# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/options.sh: the option loop of the benchmark scripts, sourced by
# bench/lib.sh (bench_options) and bench/vm/host-lib.sh (vmb_options).

# parse_options HELP_END HOOK... -- "$@": each option goes, with the
# words after it, to the HOOKs in turn (functions; one not defined is
# passed over) until one takes it: a hook returns 0 when it took the
# option and its value, 2 when it took the option alone, 1 when it does
# not know the option.  -h and --help print the script's lines 4 to
# HELP_END (its head comment) and exit 0; an option no hook takes prints
# them to stderr and exits 2.
parse_options() {
    local help="4,$1p" hooks=() h took
    shift
    while [ "$1" != -- ]; do hooks+=("$1"); shift; done
    shift
    while [ $# -gt 0 ]; do
        case $1 in -h|--help) sed -n "$help" "$0"; exit 0 ;; esac
        took=1
        for h in "${hooks[@]}"; do
            declare -F "$h" > /dev/null || continue
            "$h" "$@"
            took=$?
            [ "$took" = 1 ] || break
        done
        case $took in
        0) shift ;;
        2) ;;
        *) sed -n "$help" "$0" >&2; exit 2 ;;
        esac
        shift
    done
}
