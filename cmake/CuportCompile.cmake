# cuport_add_executable / cuport_add_library for the build tree: .cu files are compiled by this build's
# cuport-cc (see cmake/CuportFunctions.cmake; the installed package defines the same functions).
file(GLOB_RECURSE CUPORT_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../include/*.h)
set(CUPORT_CC_COMMAND $<TARGET_FILE:cuport-cc>)
set(CUPORT_CC_DEPENDS cuport-cc cuport-cpu-devrt ${CUPORT_PUBLIC_HEADERS})
set(CUPORT_RUNTIME_TARGET cuport)
# Backends are plugins: a program needs them at run time, not at link time.
set(CUPORT_RUNTIME_DEPENDS cuport-backend-cpu)
include(${CMAKE_CURRENT_LIST_DIR}/CuportFunctions.cmake)
