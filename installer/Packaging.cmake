# Installation of the desktop integration and the Debian package (CPack's DEB generator).
#   cmake --build build && (cd build && cpack -G DEB)
# writes build/quorumdeck_<version>_<arch>.deb. Everything about packaging lives here and in
# installer/debian; resources/ holds what is installed.

set(QUORUMDECK_APP_ID "io.github.quorumdeck.QuorumDeck")
set(res "${PROJECT_SOURCE_DIR}/resources")
include(GNUInstallDirs)

# The version: the project's, and for a build from git the revision date and hash (a
# development build sorts before the release it leads to).
set(QUORUMDECK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(QUORUMDECK_REVISION_TEXT "release")
if(QUORUMDECK_REVISION)
    string(REPLACE "-dirty" "+dirty" rev "${QUORUMDECK_REVISION}")
    set(QUORUMDECK_PACKAGE_VERSION "${PROJECT_VERSION}~git${QUORUMDECK_REVISION_DATE}.${rev}")
    set(QUORUMDECK_REVISION_TEXT "git ${QUORUMDECK_REVISION}")
endif()

# Compressed the way Debian wants them: gzip -9, no name or time stamp inside.
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(doc "${CMAKE_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${doc}")
string(TIMESTAMP QUORUMDECK_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
# A native package (its version has no Debian revision): the changelog is changelog.gz.
configure_file(${PROJECT_SOURCE_DIR}/installer/debian/changelog.in "${doc}/changelog" @ONLY)
add_custom_command(OUTPUT "${doc}/quorumdeck.1.gz"
    COMMAND ${GZIP_EXECUTABLE} -9 -n -c "${res}/quorumdeck.1" > "${doc}/quorumdeck.1.gz"
    DEPENDS "${res}/quorumdeck.1" VERBATIM)
add_custom_command(OUTPUT "${doc}/changelog.gz"
    COMMAND ${GZIP_EXECUTABLE} -9 -n -c "${doc}/changelog" > "${doc}/changelog.gz"
    DEPENDS "${doc}/changelog" VERBATIM)
set(packaging_files "${doc}/quorumdeck.1.gz" "${doc}/changelog.gz")

install(FILES "${doc}/quorumdeck.1.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Generated from the command table at build time (app/completion).
install(FILES "${QUORUMDECK_COMPLETION_DIR}/quorumdeck" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES "${QUORUMDECK_COMPLETION_DIR}/_quorumdeck" DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
# Scheduled backups for servers, as user units: they read the user's own connection profiles.
install(FILES "${PROJECT_SOURCE_DIR}/installer/systemd/quorumdeck-backup@.service"
    "${PROJECT_SOURCE_DIR}/installer/systemd/quorumdeck-backup@.timer" DESTINATION lib/systemd/user)
install(FILES "${PROJECT_SOURCE_DIR}/installer/debian/copyright" "${doc}/changelog.gz"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/quorumdeck)

if(QUORUMDECK_GUI)
    install(FILES "${res}/${QUORUMDECK_APP_ID}.desktop" DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES "${res}/${QUORUMDECK_APP_ID}.metainfo.xml" DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES "${res}/icons/${QUORUMDECK_APP_ID}.svg"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
    foreach(size 48 128 256)
        install(FILES "${QUORUMDECK_ICON_DIR}/${size}/${QUORUMDECK_APP_ID}.png"
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
endif()
add_custom_target(packaging_files ALL DEPENDS ${packaging_files})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "quorumdeck")
set(CPACK_PACKAGE_VERSION "${QUORUMDECK_PACKAGE_VERSION}")
set(CPACK_PACKAGE_VENDOR "The QuorumDeck authors")
set(CPACK_PACKAGE_CONTACT "The QuorumDeck authors <quorumdeck@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "operations console for highly available etcd control planes")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# The demo cluster runs etcd-server's etcd and haproxy; etcdctl is handy beside it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "etcd-server, etcd-client, haproxy")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The long description (CPack puts the summary line above it and indents it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "QuorumDeck shows, in one window, the etcd cluster behind a highly available
control plane: its members and their Raft roles, who led when and why the
leader changed, the load balancer's view of each member beside the truth,
each member's storage against its quota, and an etcd dashboard from a
built-in metrics collector.

It changes the cluster safely: leader transfer, member add, remove and
learner promotion are checked against the quorum first, and every operation
is confirmed and journalled. TLS with client certificates, etcd
authentication and connection profiles are supported, and a local demo
cluster of real etcd processes shows Raft at work.

Every view is also a command of the same program, for scripts.")
# Loaded at run time, so not found by shlibdeps: the journal's SQLite driver and, for the
# window, the platform plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
if(QUORUMDECK_GUI)
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", qt6-qpa-plugins")
endif()
include(CPack)
