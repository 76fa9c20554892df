#!/bin/sh
# Installs what exitcheck needs to build and test on Debian 12 (as root).
# libyaml: rule files; libcsv: data; libssl-dev (libcrypto): SHA-256; Criterion: unit tests;
# valgrind: the memcheck run of the end-to-end tests; libxml2-utils: JUnit
# schema check; python3: the hierarchy oracle; python3-yaml: the sample oracle reads plans;
# libzip-dev and libexpat1-dev: .xlsx workbooks read as tables (the archive, and
# its XML streamed); libxlsxwriter-dev: the -f xlsx report; python3-openpyxl:
# the tests write workbooks with it (an independent writer) and read the
# report's workbooks back.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build pkg-config \
    libyaml-dev libcsv-dev libssl-dev libcriterion-dev valgrind libxml2-utils python3 python3-yaml \
    libzip-dev libexpat1-dev libxlsxwriter-dev python3-openpyxl > /dev/null
