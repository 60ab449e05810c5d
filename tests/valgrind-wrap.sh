#!/bin/sh
# valgrind-wrap.sh — the exe_wrapper of `meson test --setup=valgrind`.
#
# C test programs run under valgrind memcheck: any memory error, and any definite, indirect
# or possible leak, makes the test fail (exit 99). Python-driven tests are not run under
# valgrind themselves (that would check CPython, not comptext): they run directly, with
# COMPTEXT_WRAPPER set to the same valgrind command, and the scripts that honour it
# (tests/bad_input.py) run every comptext process under it.
here=$(dirname "$0")
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --suppressions=$here/valgrind.supp"
case "$1" in
*python3* | *.py)
    COMPTEXT_WRAPPER="$vg"
    export COMPTEXT_WRAPPER
    exec "$@"
    ;;
esac
exec $vg "$@"
