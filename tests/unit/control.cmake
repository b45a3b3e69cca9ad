# The control socket: lines over the limit refused whole, the verbs for
# tests, the peer check, the socket's directory and modes under umask 000.
kiosk_test(control_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/control_test.c LIBS kiosk_control
           LABELS unit)
