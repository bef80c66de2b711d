# cuport_add_executable(<name> <sources...> [LINK_LIBRARIES <libs...>] [COMPILE_OPTIONS <cuport-cc flags...>])
# cuport_add_library(<name> [STATIC|SHARED] <sources...> [LINK_LIBRARIES ...] [COMPILE_OPTIONS ...])
#
# .cu sources are compiled by cuport-cc, other sources by the project's C/C++ compiler, and the result
# links against the cuport runtime.  Shared by the build tree (cmake/CuportCompile.cmake) and the installed
# package (find_package(cuport)), which set before including this file:
#   CUPORT_CC_COMMAND      the driver (a path, or a generator expression)
#   CUPORT_CC_DEPENDS      what a .cu compile depends on besides its source (targets, headers)
#   CUPORT_RUNTIME_TARGET  the runtime library target to link
#   CUPORT_RUNTIME_DEPENDS targets a program needs at run time (backend plugins), may be empty

function(_cuport_compile_sources out_objects out_others name pic)
  set(objects)
  set(others)
  foreach(src IN LISTS ARGN)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME)
    if(abs MATCHES "\\.cu$")
      set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.cuport/${base}.o)
      set(extra)
      if(pic)
        set(extra -Xcompiler -fPIC)
      endif()
      add_custom_command(
        OUTPUT ${obj}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.cuport
        COMMAND ${CUPORT_CC_COMMAND} ${_CUPORT_COMPILE_OPTIONS} ${extra} -c ${abs} -o ${obj}
        DEPENDS ${abs} ${CUPORT_CC_DEPENDS}
        COMMENT "cuport-cc ${base}"
        VERBATIM)
      list(APPEND objects ${obj})
    else()
      list(APPEND others ${abs})
    endif()
  endforeach()
  set_source_files_properties(${objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set(${out_objects} ${objects} PARENT_SCOPE)
  set(${out_others} ${others} PARENT_SCOPE)
endfunction()

function(_cuport_finish name)
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  target_link_libraries(${name} PRIVATE ${CUPORT_RUNTIME_TARGET} ${ARGN})
  if(CUPORT_RUNTIME_DEPENDS)
    add_dependencies(${name} ${CUPORT_RUNTIME_DEPENDS})
  endif()
endfunction()

function(cuport_add_executable name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBRARIES;COMPILE_OPTIONS" ${ARGN})
  set(_CUPORT_COMPILE_OPTIONS ${ARG_COMPILE_OPTIONS})
  _cuport_compile_sources(objects others ${name} FALSE ${ARG_UNPARSED_ARGUMENTS})
  add_executable(${name} ${objects} ${others})
  _cuport_finish(${name} ${ARG_LINK_LIBRARIES})
endfunction()

function(cuport_add_library name)
  cmake_parse_arguments(ARG "STATIC;SHARED" "" "LINK_LIBRARIES;COMPILE_OPTIONS" ${ARGN})
  set(kind STATIC)
  if(ARG_SHARED)
    set(kind SHARED)
  endif()
  set(_CUPORT_COMPILE_OPTIONS ${ARG_COMPILE_OPTIONS})
  _cuport_compile_sources(objects others ${name} ${ARG_SHARED} ${ARG_UNPARSED_ARGUMENTS})
  add_library(${name} ${kind} ${objects} ${others})
  _cuport_finish(${name} ${ARG_LINK_LIBRARIES})
endfunction()
