# How the program's libraries are declared, bundled and checked.
#
# Each folder under core/ is one library: `quorumdeck_library(NAME sources...)` makes an
# OBJECT library `qd_NAME`, and the folder's CMakeLists.txt says what it needs with
# target_link_libraries (PUBLIC when its headers need it, PRIVATE otherwise). Nothing lists
# libraries in link order: CMake derives it from those edges.
#
# Object libraries are compiled once and placed in one of a few shared libraries, the
# bundles (`quorumdeck_bundle`), so that the binary and the modules it loads hold one copy of
# each (and of the protobuf descriptors, which must be registered once per process). Which
# library goes in which bundle is a question of start-up cost, not of design: a command links
# the cluster bundle alone, and must not load QtNetwork.
#
# The window's folders under ui/ are libraries the same way (`quorumdeck_ui_library`).
#
# `quorumdeck_check_layers()` runs at the end of the configure: it writes the dependency
# graph to quorumdeck-layers.txt (read by the include check in tests/layering) and fails the
# configure when a bundle holds a library whose dependency lives in no bundle it can reach.

set_property(GLOBAL PROPERTY QUORUMDECK_LIBRARIES "")
set_property(GLOBAL PROPERTY QUORUMDECK_BUNDLES "")

# An OBJECT library for the current folder, its headers included by folder from root
# ("cluster/ClusterMonitor.h" from core/), recorded in the global list `registry`.
function(_quorumdeck_object_library target root registry name)
    add_library(${target} OBJECT ${ARGN})
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/${root})
    # Its headers as a header set, each compiled on its own by <target>_verify_interface_header_sets
    # (the headers_stand_alone test): a header includes what it uses, and needs no more of the
    # libraries than the target passes on (PUBLIC).
    # A header named *Private.h is the library's own (its .cpp files' shared declarations,
    # free to use what the library links privately): it is left out.
    file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
    list(FILTER headers EXCLUDE REGEX "Private\\.h$")
    if(headers)
        target_sources(${target} PUBLIC FILE_SET HEADERS BASE_DIRS ${PROJECT_SOURCE_DIR}/${root} FILES ${headers})
        set_target_properties(${target} PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
    endif()
    file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    set_target_properties(${target} PROPERTIES QUORUMDECK_FOLDER ${folder})
    set_property(GLOBAL APPEND PROPERTY ${registry} ${name})
endfunction()

# quorumdeck_library(NAME source...)
function(quorumdeck_library name)
    _quorumdeck_object_library(qd_${name} core QUORUMDECK_LIBRARIES ${name} ${ARGN})
endfunction()

# quorumdeck_ui_library(NAME source...)
# One folder of the window, ui/NAME: an OBJECT library qd_ui_NAME, its headers included as
# "NAME/Header.h". It is in no bundle: the window's static library gathers them.
function(quorumdeck_ui_library name)
    _quorumdeck_object_library(qd_ui_${name} ui QUORUMDECK_UI_LIBRARIES ui_${name} ${ARGN})
endfunction()

# A shared library of the program's own: built beside the binary (which finds it through its
# RUNPATH) and installed in the private library directory, without a development symlink.
function(quorumdeck_private_library target name)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME ${name}
        LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/app
        INSTALL_RPATH "$ORIGIN")
    install(TARGETS ${target} LIBRARY DESTINATION ${QUORUMDECK_PRIVATE_LIBDIR} NAMELINK_SKIP)
endfunction()

# quorumdeck_bundle(TARGET OUTPUT_NAME LIBRARIES name... [BUNDLES target...])
# One shared library made of the named object libraries. BUNDLES are the bundles it links
# (and re-exports to whoever links it).
function(quorumdeck_bundle target output)
    cmake_parse_arguments(ARG "" "" "LIBRARIES;BUNDLES" ${ARGN})
    add_library(${target} SHARED)
    foreach(name IN LISTS ARG_LIBRARIES)
        # PUBLIC: the objects go into this bundle (it links them directly) and their usage
        # requirements (include folders, Qt modules) reach whoever links the bundle, who gets
        # no second copy of the objects.
        target_link_libraries(${target} PUBLIC qd_${name})
        set_target_properties(qd_${name} PROPERTIES QUORUMDECK_BUNDLE ${target})
    endforeach()
    target_link_libraries(${target} PUBLIC ${ARG_BUNDLES})
    set_target_properties(${target} PROPERTIES
        QUORUMDECK_BUNDLE_LIBRARIES "${ARG_LIBRARIES}"
        QUORUMDECK_BUNDLE_LINKS "${ARG_BUNDLES}")
    # Calls from the library to its own functions bind when it is linked, not by a symbol
    # lookup in every process that loads it: most of a command's start is the dynamic
    # linker's. Every symbol must resolve at link time, in the bundle or in what it links,
    # and a library named but unused is not recorded (a command would load it for nothing).
    target_link_options(${target} PRIVATE -Wl,-Bsymbolic-functions -Wl,--as-needed)
    if(NOT QUORUMDECK_SANITIZE)
        # The sanitizers' runtime is the executable's, so their bundles have undefined symbols.
        target_link_options(${target} PRIVATE -Wl,--no-undefined)
    endif()
    quorumdeck_private_library(${target} ${output})
    set_property(GLOBAL APPEND PROPERTY QUORUMDECK_BUNDLES ${target})
endfunction()

# The qd_* libraries a target links, directly (PRIVATE and PUBLIC alike), or, with
# INTERFACE, those it passes on to whoever links it (PUBLIC and INTERFACE only).
function(_quorumdeck_direct_libraries target out)
    cmake_parse_arguments(ARG "INTERFACE" "" "" ${ARGN})
    if(ARG_INTERFACE)
        get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
    else()
        get_target_property(links ${target} LINK_LIBRARIES)
    endif()
    set(result "")
    foreach(link IN LISTS links)
        if(ARG_INTERFACE AND link MATCHES "^\\$<LINK_ONLY:")
            continue()
        endif()
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
        if(link MATCHES "^qd_(.+)$")
            list(APPEND result ${CMAKE_MATCH_1})
        endif()
    endforeach()
    set(${out} ${result} PARENT_SCOPE)
endfunction()

# The libraries whose headers NAME may include: those it links, and what they pass on.
function(_quorumdeck_closure name out)
    _quorumdeck_direct_libraries(qd_${name} todo)
    set(seen "")
    while(todo)
        list(POP_FRONT todo current)
        if(current IN_LIST seen)
            continue()
        endif()
        list(APPEND seen ${current})
        _quorumdeck_direct_libraries(qd_${current} passed INTERFACE)
        list(APPEND todo ${passed})
    endwhile()
    list(REMOVE_ITEM seen ${name})
    set(${out} ${seen} PARENT_SCOPE)
endfunction()

# quorumdeck_forbid_includes(NAME LIBRARY...)
# NAME may not include LIBRARY's headers even where it links something that passes them on.
# Say why in a comment beside the call.
function(quorumdeck_forbid_includes name)
    set_property(TARGET qd_${name} APPEND PROPERTY QUORUMDECK_FORBIDDEN ${ARGN})
endfunction()

function(_quorumdeck_bundle_closure bundle out)
    set(seen "")
    set(todo ${bundle})
    while(todo)
        list(POP_FRONT todo current)
        if(current IN_LIST seen)
            continue()
        endif()
        list(APPEND seen ${current})
        get_target_property(links ${current} QUORUMDECK_BUNDLE_LINKS)
        if(links)
            list(APPEND todo ${links})
        endif()
    endwhile()
    set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(quorumdeck_check_layers)
    get_property(libraries GLOBAL PROPERTY QUORUMDECK_LIBRARIES)
    get_property(ui_libraries GLOBAL PROPERTY QUORUMDECK_UI_LIBRARIES)
    set(lines "# name folder allowed-folders forbidden-folders (cmake/QuorumDeckLibraries.cmake)\n")
    set(problems "")
    foreach(name IN LISTS libraries ui_libraries)
        get_target_property(folder qd_${name} QUORUMDECK_FOLDER)
        _quorumdeck_closure(${name} below)
        set(allowed "")
        foreach(dependency IN LISTS below)
            get_target_property(dependency_folder qd_${dependency} QUORUMDECK_FOLDER)
            list(APPEND allowed ${dependency_folder})
        endforeach()
        get_target_property(forbidden qd_${name} QUORUMDECK_FORBIDDEN)
        if(NOT forbidden)
            set(forbidden "")
        endif()
        set(forbidden_folders "")
        foreach(library IN LISTS forbidden)
            get_target_property(forbidden_folder qd_${library} QUORUMDECK_FOLDER)
            list(REMOVE_ITEM allowed ${forbidden_folder})
            list(APPEND forbidden_folders ${forbidden_folder})
        endforeach()
        list(JOIN allowed "," allowed)
        list(JOIN forbidden_folders "," forbidden_folders)
        if(NOT allowed)
            set(allowed "-")
        endif()
        if(NOT forbidden_folders)
            set(forbidden_folders "-")
        endif()
        string(APPEND lines "${name} ${folder} ${allowed} ${forbidden_folders}\n")

        if(name IN_LIST ui_libraries)
            continue() # linked into the window's static library, not a bundle
        endif()
        get_target_property(bundle qd_${name} QUORUMDECK_BUNDLE)
        if(NOT bundle)
            list(APPEND problems "library ${name} is in no bundle")
            continue()
        endif()
        _quorumdeck_bundle_closure(${bundle} reachable)
        _quorumdeck_direct_libraries(qd_${name} direct)
        foreach(dependency IN LISTS direct)
            if(NOT TARGET qd_${dependency})
                continue()
            endif()
            get_target_property(dependency_bundle qd_${dependency} QUORUMDECK_BUNDLE)
            if(NOT dependency_bundle IN_LIST reachable)
                list(APPEND problems
                    "${name} (in ${bundle}) needs ${dependency} (in ${dependency_bundle}), which ${bundle} does not link")
            endif()
        endforeach()
    endforeach()
    if(problems)
        list(JOIN problems "\n  " problems)
        message(FATAL_ERROR "Library bundles do not hold together:\n  ${problems}")
    endif()
    file(WRITE ${PROJECT_BINARY_DIR}/quorumdeck-layers.txt "${lines}")
endfunction()
