# Helpers shared by the cmake -P scripts of cmake/ (argument checks, builds, cache reads, commands that must pass).
include_guard(GLOBAL)

# cosim_require(<var>...): each -D<var>=... must be given.
macro(cosim_require)
  foreach(_var ${ARGN})
    if(NOT DEFINED ${_var})
      get_filename_component(_script "${CMAKE_SCRIPT_MODE_FILE}" NAME)
      message(FATAL_ERROR "${_script}: -D${_var}=... is required")
    endif()
  endforeach()
endmacro()

# cosim_fail(<message>): stops the script (exit code 1) with the message.
function(cosim_fail text)
  message(FATAL_ERROR "${text}")
endfunction()

# cosim_run(<command>...): runs a command with its output on the terminal; fails when it fails.
function(cosim_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " command)
    cosim_fail("${command}: exited ${rc}")
  endif()
endfunction()

# cosim_build(<build dir> <target>...): cmake --build, JOBS at a time when JOBS is given.
function(cosim_build dir)
  set(jobs "")
  if(JOBS)
    set(jobs -j ${JOBS})
  endif()
  cosim_run(${CMAKE_COMMAND} --build ${dir} ${jobs} --target ${ARGN})
endfunction()

# cosim_cache_value(<build dir> <entry> <out var>): an entry of <build dir>/CMakeCache.txt, or "".
function(cosim_cache_value dir entry out)
  set(cache_${entry} "")
  if(EXISTS "${dir}/CMakeCache.txt")
    load_cache("${dir}" READ_WITH_PREFIX cache_ ${entry})
  endif()
  set(${out} "${cache_${entry}}" PARENT_SCOPE)
endfunction()
