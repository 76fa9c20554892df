# End-to-end tests: one ctest test per directory of fixtures/cases, run by
# tests/run_case.sh (the command, its expected status and exact output are
# data beside each other). The same cases run under valgrind memcheck as
# the "valgrind" label when valgrind is installed.
file(GLOB EXITCHECK_CASES LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/fixtures/cases/* ${CMAKE_SOURCE_DIR}/fixtures/bad/*)
find_program(VALGRIND valgrind)
foreach(case ${EXITCHECK_CASES})
  if(EXISTS ${case}/cmd)
    get_filename_component(name ${case} NAME)
    add_test(NAME e2e_${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${case})
    set_tests_properties(e2e_${name} PROPERTIES LABELS e2e)
    if(VALGRIND)
      add_test(NAME valgrind_${name}
               COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:exitcheck> ${CMAKE_SOURCE_DIR} ${case})
      set_tests_properties(valgrind_${name} PROPERTIES LABELS valgrind ENVIRONMENT EXITCHECK_VALGRIND=1)
    endif()
  endif()
endforeach()

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
