# cuport_add_executable(<name> <sources...> [LINK_LIBRARIES <libs...>] [COMPILE_OPTIONS <cuport-cc flags...>])
#
# Builds an executable whose .cu sources are compiled by the cuport-cc of this build tree (other sources by
# the C++ compiler) and linked against libcuport.  Used by samples/ and tests/; the installed CMake package
# exports the same function (issue 9).
file(GLOB_RECURSE CUPORT_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../include/*.h)

function(cuport_add_executable name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBRARIES;COMPILE_OPTIONS" ${ARGN})
  set(objects)
  set(others)
  foreach(src IN LISTS ARG_UNPARSED_ARGUMENTS)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME)
    if(abs MATCHES "\\.cu$")
      set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.cuport/${base}.o)
      add_custom_command(
        OUTPUT ${obj}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.cuport
        COMMAND $<TARGET_FILE:cuport-cc> ${ARG_COMPILE_OPTIONS} -c ${abs} -o ${obj}
        DEPENDS ${abs} cuport-cc cuport-cpu-devrt ${CUPORT_PUBLIC_HEADERS}
        COMMENT "cuport-cc ${base}"
        VERBATIM)
      list(APPEND objects ${obj})
    else()
      list(APPEND others ${abs})
    endif()
  endforeach()
  set_source_files_properties(${objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_executable(${name} ${objects} ${others})
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  target_include_directories(${name} PRIVATE ${CUPORT_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE cuport ${ARG_LINK_LIBRARIES})
  # Backends are plugins: a program needs them at run time, not at link time.
  add_dependencies(${name} cuport-backend-cpu)
endfunction()
