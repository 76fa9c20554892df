#!/bin/sh
# Runs one end-to-end case: fixtures/cases/NAME/ holds
#   cmd     the arguments, one per line (paths relative to the repository)
#   status  the expected exit status
#   stdout  the expected standard output, exactly (optional)
#   stderr  the expected standard error, exactly (optional)
# Usage: run_case.sh EXITCHECK REPO_ROOT CASE_DIR
# With EXITCHECK_VALGRIND=1 the command runs under valgrind memcheck and
# any memory error or leak fails the case.
set -u
exe=$1 root=$2 case=$3
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
set --
while IFS= read -r arg || [ -n "$arg" ]; do
    set -- "$@" "$arg"
done < "$case/cmd"
if [ "${EXITCHECK_VALGRIND:-0}" = 1 ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
        "$exe" "$@" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
else
    "$exe" "$@" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
fi
status=$?
fail=0
want=$(cat "$case/status")
if [ "$status" != "$want" ]; then
    echo "exit status $status, expected $want"
    fail=1
fi
for stream in stdout stderr; do
    if [ -f "$case/$stream" ]; then
        if ! diff -u "$case/$stream" "$tmp/$stream" > "$tmp/diff"; then
            echo "$stream differs from $case/$stream:"
            cat "$tmp/diff"
            fail=1
        fi
    fi
done
if [ $fail = 1 ] && [ ! -f "$case/stderr" ]; then
    echo "stderr was:"
    cat "$tmp/stderr"
fi
exit $fail
