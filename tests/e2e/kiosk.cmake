# The control-socket client the end-to-end tests and the bench drive the kiosk with.
add_executable(kioskctl ${CMAKE_CURRENT_LIST_DIR}/kioskctl.c)
set_target_properties(kioskctl PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

add_test(NAME e2e_journey COMMAND ${CMAKE_CURRENT_LIST_DIR}/journey.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_journey PROPERTIES LABELS e2e TIMEOUT 300)

# A [devices] name without a driver, or a USB id that is not valid, is refused
# at start-up; absent real devices and [camera] sim_images let the kiosk run.
add_test(NAME e2e_devices_config COMMAND ${CMAKE_CURRENT_LIST_DIR}/devices_config.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_devices_config PROPERTIES LABELS e2e TIMEOUT 120)

# The hall's services: guide, walk-in numbers, booking, progress, one card
# for several services, the registry gone.
add_test(NAME e2e_services COMMAND ${CMAKE_CURRENT_LIST_DIR}/services.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_services PROPERTIES LABELS e2e TIMEOUT 300)

# The service guide kept on disk: written while the registry answers, shown
# after a restart without it; a damaged copy is logged and ignored.
add_test(NAME e2e_guide_offline COMMAND ${CMAKE_CURRENT_LIST_DIR}/guide_offline.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_guide_offline PROPERTIES LABELS e2e TIMEOUT 120)

# A citizen's own appointments (list, cancel, book again), check-in too
# early and in its window, the proof on a phone, the tiles without the
# registry.
add_test(NAME e2e_appointments COMMAND ${CMAKE_CURRENT_LIST_DIR}/appointments.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_appointments PROPERTIES LABELS e2e TIMEOUT 300)

# Maintenance mode: the hidden corner and the PIN (lockout over a restart),
# device states, the test slip and paper, out of service, idle exit, and
# the audit trail at the registry.
add_test(NAME e2e_staff COMMAND ${CMAKE_CURRENT_LIST_DIR}/staff.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_staff PROPERTIES LABELS e2e TIMEOUT 300)

# A stuck certificate retried once and printed once: the A4 queue of a
# private cupsd stopped before a citizen prints, the job held, staff retry
# it from 打印记录 once the queue runs; a waiting slip cancelled and retried.
add_test(NAME e2e_staff_print COMMAND ${CMAKE_CURRENT_LIST_DIR}/staff_print.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_staff_print PROPERTIES LABELS e2e TIMEOUT 300)
# The settings staff change in maintenance mode (saved, over a restart,
# audited) and the office hours: the closed screen with the hours, the
# backlight dimmed and lit by a touch, home again at opening time.
add_test(NAME e2e_staff_settings COMMAND ${CMAKE_CURRENT_LIST_DIR}/staff_settings.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_staff_settings PROPERTIES LABELS e2e TIMEOUT 300)
# The query journey with keys only (`key` on the control socket): the focus,
# the keypad's digits and arrows, Enter and Escape, 放大查看 opened, moved
# and closed; the certificate printed.
add_test(NAME e2e_keypad COMMAND ${CMAKE_CURRENT_LIST_DIR}/keypad.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_keypad PROPERTIES LABELS e2e TIMEOUT 300)
# The voice guidance: each screen's instruction spoken to a WAV file in the
# visit's language, 再听一遍, the idle warning's tone and words, the card
# left on the reader.
add_test(NAME e2e_voice COMMAND ${CMAKE_CURRENT_LIST_DIR}/voice.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_voice PROPERTIES LABELS e2e TIMEOUT 300)

# The kiosk's end: bounded with a device wedged, naming it; its memory not
# dumpable and no core file.
add_test(NAME e2e_shutdown COMMAND ${CMAKE_CURRENT_LIST_DIR}/shutdown.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_shutdown PROPERTIES LABELS e2e TIMEOUT 120)

# A short soak: 16 scripted visits of four kinds; every step answered, no
# error logged, open files and threads flat, no citizen's data in any file
# written. make bench runs 10,000 visits on four kiosks. slow: the ASan
# stage leaves it out (e2e_journey's whole visits stand for it there; what
# the soak adds, many visits in a row, is counted in the optimised build).
add_test(NAME e2e_soak COMMAND ${CMAKE_CURRENT_LIST_DIR}/soak.sh ${CMAKE_BINARY_DIR} 16 1)
set_tests_properties(e2e_soak PROPERTIES LABELS "e2e;slow" TIMEOUT 300)

# The whole X screen as a person sees it (the display test).
add_executable(xshot ${CMAKE_CURRENT_LIST_DIR}/xshot.c)
target_link_libraries(xshot PkgConfig::X11 PkgConfig::CAIRO)
set_target_properties(xshot PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

# The kiosk on private X servers of six sizes, fullscreen with and without
# a window manager and in a window; a window resized and turned, and the
# X screen itself turned under a fullscreen kiosk at run time.
# slow: the ASan stage leaves it out (test_ui lays every screen out at
# these sizes there; what this adds is X's side of it).
add_test(NAME e2e_display COMMAND ${CMAKE_CURRENT_LIST_DIR}/display.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_display PROPERTIES LABELS "e2e;slow" TIMEOUT 600)

# A visit by real X input (XTEST clicks at the widgets' places on the
# screen, keys), fullscreen and in an offset, scaled window; clicks where
# a wrong mapping would land do nothing. slow, as e2e_display: X's side.
add_test(NAME e2e_xinput COMMAND ${CMAKE_CURRENT_LIST_DIR}/xinput.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_xinput PROPERTIES LABELS "e2e;slow" TIMEOUT 300)

# Time to act and the citizen's speech switch: 语音播报 on the home screen
# in auto mode without a headset (WAVs appear, off again next visit); the
# idle banner and the goodbye countdown warned by a tone and words and
# given their time again by a tap anywhere or a key.
add_test(NAME e2e_time_to_act COMMAND ${CMAKE_CURRENT_LIST_DIR}/time_to_act.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_time_to_act PROPERTIES LABELS e2e TIMEOUT 300)
# Mutual TLS: certificates from system/deploy/make-certs.sh, the registry
# over HTTPS knowing a kiosk only by its certificate's CN (no certificate,
# another CA's, an expired one refused; X-Kiosk-Id ignored), and the kiosk
# opening a visit over TLS.
add_test(NAME e2e_tls COMMAND ${CMAKE_CURRENT_LIST_DIR}/tls.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_tls PROPERTIES LABELS e2e TIMEOUT 120)

# The control socket outside demo mode: its modes under umask 000, the
# verbs for tests refused, a line over the limit refused whole, a peer of
# another uid refused, a directory others may enter refused.
add_test(NAME e2e_control COMMAND ${CMAKE_CURRENT_LIST_DIR}/control.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_control PROPERTIES LABELS e2e TIMEOUT 120)

# The fleet: heartbeats with their fields, the status page, the registry's
# settings applied without a restart and a bad document refused, a stopped
# kiosk stale, the last good copy with the registry down, backoff and no
# burst on return.
add_test(NAME e2e_fleet COMMAND ${CMAKE_CURRENT_LIST_DIR}/fleet.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_fleet PROPERTIES LABELS e2e TIMEOUT 120)

# The fault matrix's own faults (tests/README.md): the registry slow,
# answering garbage, 500, TLS refused; the camera unplugged mid-capture;
# the disk full for the kiosk's files. A clear message, nothing lost,
# nothing doubled, and the next visit works.
add_test(NAME e2e_faults COMMAND ${CMAKE_CURRENT_LIST_DIR}/faults.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_faults PROPERTIES LABELS e2e TIMEOUT 300)

# The fault matrix's printing rows: paper out then the cover opened mid-slip,
# the kiosk killed mid-slip and started again, the CUPS scheduler down.
add_test(NAME e2e_print_faults COMMAND ${CMAKE_CURRENT_LIST_DIR}/print_faults.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_print_faults PROPERTIES LABELS e2e TIMEOUT 300)
