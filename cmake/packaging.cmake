# Debian packages through CPack: `cpack -G DEB` in a build folder (or
# system/deploy/build-deb.sh) makes
#   bdc-kiosk     the kiosk, bdc-kiosk-tool, the string tables and demo
#                 population, bdc-kiosk.service (under cage), the session
#                 script, the PAM file, the udev rules generated from the
#                 drivers' id tables, and /etc/bdc-kiosk/kiosk.ini
#   bdc-registry  the reference registry, its data and bdc-registry.service
# Shared-library dependencies come from dpkg-shlibdeps; the maintainer
# scripts (system/deploy/debian/) make the users and reload udev.
include(GNUInstallDirs)
set(deploy ${PROJECT_SOURCE_DIR}/system/deploy)
set(pkgdir ${CMAKE_BINARY_DIR}/package)

# On Debian 12 packages still put units and rules under /lib (the /usr
# merge moves them later); systemd and udev read both.
set(KIOSK_UNIT_DIR /lib/systemd/system)
set(KIOSK_UDEV_DIR /lib/udev/rules.d)

# ---- bdc-kiosk --------------------------------------------------------
install(TARGETS bdc-kiosk bdc-kiosk-tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT kiosk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/strings ${PROJECT_SOURCE_DIR}/assets/demo
        DESTINATION share/bdc-kiosk/assets COMPONENT kiosk PATTERN README.md EXCLUDE)
install(FILES ${deploy}/systemd/bdc-kiosk.service DESTINATION ${KIOSK_UNIT_DIR} COMPONENT kiosk)
install(FILES ${KIOSK_UDEV_RULES} DESTINATION ${KIOSK_UDEV_DIR} COMPONENT kiosk)
install(PROGRAMS ${deploy}/kiosk-session.sh DESTINATION libexec/bdc-kiosk RENAME kiosk-session
        COMPONENT kiosk)
install(FILES ${deploy}/pam/bdc-kiosk DESTINATION /etc/pam.d COMPONENT kiosk)
# The hall's config: the sample with every default, its state kept in the
# unit's StateDirectory.
file(READ ${deploy}/kiosk.ini.sample ini)
string(REGEX REPLACE "\noutput_dir = [^\n]*" "\noutput_dir = /var/lib/bdc-kiosk" ini "${ini}")
file(WRITE ${pkgdir}/kiosk.ini "${ini}")
# 0644 in the package; the postinst makes it 0640 root:bdc-kiosk.
install(FILES ${pkgdir}/kiosk.ini DESTINATION /etc/bdc-kiosk COMPONENT kiosk)

# ---- bdc-registry -----------------------------------------------------
install(TARGETS bdc-registry RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT registry)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/registry ${PROJECT_SOURCE_DIR}/assets/demo
        DESTINATION share/bdc-registry/assets COMPONENT registry)
install(FILES ${deploy}/systemd/bdc-registry.service DESTINATION ${KIOSK_UNIT_DIR}
        COMPONENT registry)

# ---- what Debian asks of every package: copyright and changelog ------
# A native package (no Debian revision): changelog.gz, not changelog.Debian.gz.
foreach(pkg bdc-kiosk bdc-registry)
  if(pkg STREQUAL bdc-kiosk)
    set(comp kiosk)
  else()
    set(comp registry)
  endif()
  configure_file(${deploy}/debian/copyright ${pkgdir}/${pkg}/copyright COPYONLY)
  string(TIMESTAMP when "%a, %d %b %Y %H:%M:%S +0000" UTC)
  file(WRITE ${pkgdir}/${pkg}/changelog
       "${pkg} (${PROJECT_VERSION}) stable; urgency=medium\n\n"
       "  * Built from the bdc-kiosk sources.\n\n"
       " -- bdc-kiosk maintainers <maintainers@bdc-kiosk.invalid>  ${when}\n")
  # gzip -9n: no name or time in the header, as Debian wants.
  execute_process(COMMAND gzip -9nf ${pkgdir}/${pkg}/changelog)
  install(FILES ${pkgdir}/${pkg}/copyright ${pkgdir}/${pkg}/changelog.gz
          DESTINATION share/doc/${pkg} COMPONENT ${comp})
endforeach()

# ---- CPack ------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk registry)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "bdc-kiosk maintainers <maintainers@bdc-kiosk.invalid>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON) # the debug info stays in the build folder
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://bdc-kiosk.invalid/")
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME bdc-kiosk)
set(CPACK_DEBIAN_KIOSK_DESCRIPTION
    "self-service kiosk for real-estate registration halls\nA citizen lays their resident ID card on the reader, looks into the\ncamera and sees the properties registered to them, prints an official\nquery certificate, or takes a queue number for the counter. Runs\nfullscreen under the cage Wayland compositor from boot.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "cage, xwayland, adduser, systemd, udev, fonts-noto-cjk, espeak-ng-data, opencv-data, ca-certificates")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    ${deploy}/debian/bdc-kiosk/postinst ${deploy}/debian/bdc-kiosk/postrm
    ${deploy}/debian/bdc-kiosk/conffiles)
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_REGISTRY_PACKAGE_NAME bdc-registry)
set(CPACK_DEBIAN_REGISTRY_DESCRIPTION
    "reference registration backend for bdc-kiosk\nThe registry API that bdc-kiosk speaks, over HTTPS with client\ncertificates, with its data in SQLite: for halls' test benches and\ndemonstrations.")
set(CPACK_DEBIAN_REGISTRY_PACKAGE_DEPENDS "adduser, systemd")
set(CPACK_DEBIAN_REGISTRY_PACKAGE_CONTROL_EXTRA
    ${deploy}/debian/bdc-registry/postinst ${deploy}/debian/bdc-registry/postrm)
set(CPACK_DEBIAN_REGISTRY_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
