# Out-of-memory injection over a whole check (test_faults.c): every
# allocation of a run fails in turn, and each run must fail cleanly or
# complete. test_faults.c is a plain program with its own main, so it
# needs no Criterion; when tests/CMakeLists.txt has already built it as a
# Criterion test (its test_*.c glob, when Criterion is found), that target
# and its unit_faults test are used as they are (the program's main is the
# one that runs, and Criterion's --verbose=0 is ignored).
#
#   unit_faults      every allocation, natively (ASan and LeakSanitizer
#                    check it too in a -DEXITCHECK_SANITIZE=ON build)
#   valgrind_faults  the same under valgrind memcheck: a leak or a memory
#                    error on any failure path fails it (not in sanitizer
#                    builds: valgrind cannot run ASan binaries)
if(NOT TARGET test_faults)
  add_executable(test_faults ${CMAKE_CURRENT_SOURCE_DIR}/test_faults.c)
  target_link_libraries(test_faults PRIVATE exitcheck_core)
  target_compile_definitions(test_faults PRIVATE TEST_SRCDIR="${CMAKE_SOURCE_DIR}")
endif()
if(NOT TEST unit_faults)
  add_test(NAME unit_faults COMMAND test_faults)
endif()
set_tests_properties(unit_faults PROPERTIES LABELS "unit;faults" TIMEOUT 600)

find_program(VALGRIND valgrind)
if(VALGRIND AND NOT EXITCHECK_SANITIZE)
  add_test(NAME valgrind_faults
           COMMAND ${VALGRIND} -q --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=definite,indirect,possible
                   $<TARGET_FILE:test_faults>)
  set_tests_properties(valgrind_faults PROPERTIES LABELS "valgrind;faults" TIMEOUT 3600)
endif()
