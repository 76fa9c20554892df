# End-to-end tests: one ctest test per directory of fixtures/cases, run by
# tests/run_case.sh (the command, its expected status and exact output are
# data beside each other). The same cases run under valgrind memcheck as
# the "valgrind" label when valgrind is installed.
file(GLOB EXITCHECK_CASES LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/fixtures/cases/* ${CMAKE_SOURCE_DIR}/fixtures/bad/*
     ${CMAKE_SOURCE_DIR}/fixtures/fuzz-regressions/*)
find_program(VALGRIND valgrind)
foreach(case ${EXITCHECK_CASES})
  if(EXISTS ${case}/cmd)
    get_filename_component(name ${case} NAME)
    add_test(NAME e2e_${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${case})
    set_tests_properties(e2e_${name} PROPERTIES LABELS e2e)
    if(VALGRIND AND NOT EXITCHECK_SANITIZE)
      add_test(NAME valgrind_${name}
               COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${case})
      set_tests_properties(valgrind_${name} PROPERTIES LABELS valgrind ENVIRONMENT EXITCHECK_VALGRIND=1)
    endif()
  endif()
endforeach()

# Files as offices send them (fixtures/office, built by its make.py): each
# case pins its messages and status; those whose quirks must not change a
# result (title rows, header suffixes and line breaks, tab and semicolon
# separators, 合计 rows, √/×, table names in any case, all at once, the
# demo saved as workbooks by openpyxl: workbook-demo) must
# also give exactly the clean demo's per-unit results.
file(GLOB EXITCHECK_OFFICE LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/fixtures/office/*)
foreach(case ${EXITCHECK_OFFICE})
  if(EXISTS ${case}/cmd)
    get_filename_component(name ${case} NAME)
    add_test(NAME e2e_office_${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${case})
    set_tests_properties(e2e_office_${name} PROPERTIES LABELS e2e)
  endif()
endforeach()
foreach(name title-rows header-suffixes tab-separated semicolon-separated totals-row ticks table-name-case all workbook-demo)
  add_test(NAME office_same_units_${name}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/office_same_units.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${name})
  set_tests_properties(office_same_units_${name} PROPERTIES LABELS e2e)
endforeach()

# Workbooks written by openpyxl, not by exitcheck (shared and inline strings,
# rich text, formulas' cached values, dates, title rows, level-named sheets,
# empty rows), give their CSV tables' unit results, counts and messages;
# broken and hostile workbooks exit 2 with a message. Needs python3-openpyxl
# (the script falls back to /usr/bin/python3 for it), else skipped.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME xlsx_same
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/xlsx_same.py $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR})
  set_tests_properties(xlsx_same PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()

# Export variants of the demo (GB18030, Chinese headers, CRLF, 是/否, 96%;
# UTF-8 with a BOM) must give exactly the demo's per-unit results.
file(GLOB EXITCHECK_EXPORTS LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/fixtures/exports/*)
foreach(dir ${EXITCHECK_EXPORTS})
  if(IS_DIRECTORY ${dir})
    get_filename_component(name ${dir} NAME)
    add_test(NAME export_${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/same_units.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR}
                     fixtures/demo fixtures/exports/${name})
    set_tests_properties(export_${name} PROPERTIES LABELS e2e)
  endif()
endforeach()

# The JUnit report validates against the common JUnit structure.
find_program(XMLLINT xmllint)
if(XMLLINT)
  add_test(NAME junit_xsd_demo
           COMMAND sh -c "$<TARGET_FILE:exitcheck> check fixtures/demo -f junit -o \"$0\" 2>/dev/null; s=$?; [ $s -eq 1 ] && xmllint --noout --schema tests/junit.xsd \"$0\"" ${CMAKE_CURRENT_BINARY_DIR}/demo-junit.xml
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  add_test(NAME junit_xsd_errors
           COMMAND sh -c "$<TARGET_FILE:exitcheck> check --household fixtures/bad/bad-numbers/household.csv -r rules/gansu -f junit -o \"$0\" 2>/dev/null; s=$?; [ $s -eq 2 ] && xmllint --noout --schema tests/junit.xsd \"$0\"" ${CMAKE_CURRENT_BINARY_DIR}/errors-junit.xml
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  # claims that hold by waiver carry <properties> in their testcase
  add_test(NAME junit_xsd_waivers
           COMMAND sh -c "$<TARGET_FILE:exitcheck> check fixtures/demo -r rules/gansu --waivers fixtures/demo/waivers.csv --lang zh -f junit -o \"$0\" 2>/dev/null; s=$?; [ $s -eq 1 ] && grep -q '<property name=\"waived\"' \"$0\" && xmllint --noout --schema tests/junit.xsd \"$0\"" ${CMAKE_CURRENT_BINARY_DIR}/waivers-junit.xml
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(junit_xsd_demo junit_xsd_errors junit_xsd_waivers PROPERTIES LABELS e2e)
endif()

# Every format from one run, twice: the reports are byte-identical.
add_test(NAME reproducible_demo
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/reproducible.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} fixtures/demo)
set_tests_properties(reproducible_demo PROPERTIES LABELS e2e)

# An independent implementation of the Gansu targets and roll-ups checks
# every unit of the hand-designed hierarchy (fixtures/hierarchy).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME hierarchy_oracle
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/hierarchy_oracle.py $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} --fixture hierarchy-revised)
  set_tests_properties(hierarchy_oracle PROPERTIES LABELS e2e)
  # The same oracle on the fixtures with status across years (SPEC §3-§5):
  # earlier exits, non-registered households, non-poor villages, a village
  # missing from its table, and a county checked without a village table.
  add_test(NAME hierarchy_oracle_multiyear
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/hierarchy_oracle.py $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR}
                   --fixture multiyear)
  add_test(NAME hierarchy_oracle_multiyear_no_village
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/hierarchy_oracle.py $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR}
                   --fixture multiyear-no-village)
  set_tests_properties(hierarchy_oracle_multiyear hierarchy_oracle_multiyear_no_village PROPERTIES LABELS e2e)
endif()

# The HTML report renders in headless Chromium (skipped when it is not installed).
add_test(NAME html_render_demo
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html_render.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR})
set_tests_properties(html_render_demo PROPERTIES LABELS "e2e;browser" SKIP_RETURN_CODE 77 TIMEOUT 300)

# Duplicate household ids among 150,000 generated rows, where the id check
# spills sorted runs to a temporary file; with one thread and two.
add_test(NAME duplicates_at_scale
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/duplicates_at_scale.sh $<TARGET_FILE:exitcheck> $<TARGET_FILE:gendata>)
set_tests_properties(duplicates_at_scale PROPERTIES LABELS e2e TIMEOUT 120)

# TMPDIR chooses where the temporary files go; a directory that does not
# exist is a clear error (status 2), not a crash.
add_test(NAME tmpdir_missing
         COMMAND sh -c "TMPDIR=/nonexistent/exitcheck $0 check fixtures/demo -f units -o /dev/null 2>&1 >/dev/null | grep -q 'cannot create a temporary file in /nonexistent/exitcheck (TMPDIR' && { TMPDIR=/nonexistent/exitcheck $0 check fixtures/demo -f units -o /dev/null >/dev/null 2>&1; [ $? -eq 2 ]; }" $<TARGET_FILE:exitcheck>
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(tmpdir_missing PROPERTIES LABELS e2e)

# The progress line on a pseudo-terminal, and its absence with --quiet and
# off a terminal.
add_test(NAME progress_tty
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/progress_tty.sh $<TARGET_FILE:exitcheck> $<TARGET_FILE:gendata>)
set_tests_properties(progress_tty PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 120)
