#!/bin/sh
# kiosk-session - bdc-kiosk fullscreen under cage, the Wayland kiosk
# compositor: one application, fullscreen, no desktop, no panel, no
# launcher, and no way to another program. bdc-kiosk.service runs it on
# tty7 (installed as /usr/libexec/bdc-kiosk/kiosk-session); for a try
# without a display, WLR_BACKENDS=headless WLR_RENDERER=pixman
# WLR_LIBINPUT_NO_DEVICES=1 with XDG_RUNTIME_DIR set (tests/e2e/cage.sh).
#
# What gets through, and what does not (system/deploy/README.md says more):
# - cage is started without -s, so Ctrl+Alt+F1..F12 do not switch VTs;
#   cage binds no other key, and Wayland has no Ctrl+Alt+Backspace (X's
#   zap) and no Alt+Tab; cage has no edge gestures: every touch goes to
#   the kiosk.
# - Alt+F4 is not a close under Wayland: only the compositor can ask a
#   window to close, and cage never does; SDL_QUIT reaches the kiosk only
#   then (or by SIGTERM from systemd), and a kiosk that quits is started
#   again by Restart=always.
# - The screen never blanks: cage has no idle timeout and SDL inhibits the
#   screensaver; the kiosk itself dims the backlight outside office hours
#   ([display] backlight).
# Arguments are passed to bdc-kiosk after the defaults below.
set -eu

# The Wayland socket beside the control socket, in the unit's 0700
# RuntimeDirectory, rather than a logind /run/user/UID that ProtectSystem
# would leave read-only.
XDG_RUNTIME_DIR=${RUNTIME_DIRECTORY:-${XDG_RUNTIME_DIR:?no RUNTIME_DIRECTORY or XDG_RUNTIME_DIR}}
export XDG_RUNTIME_DIR
export SDL_VIDEODRIVER=wayland
# No screensaver, no minimising when focus goes elsewhere (there is nowhere).
export SDL_VIDEO_ALLOW_SCREENSAVER=0
export SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS=0

# The kiosk finds its data where the package put it, beside /usr/bin
# (/usr/share/bdc-kiosk/assets; BDC_KIOSK_ASSETS, when set, names another).
kiosk=${BDC_KIOSK_BIN:-/usr/bin/bdc-kiosk}
config=${BDC_KIOSK_CONFIG:-/etc/bdc-kiosk/kiosk.ini}
control=${BDC_KIOSK_CONTROL:-$XDG_RUNTIME_DIR/control}

# WATCHDOG_PID names cage (the unit's main process); the kiosk pings under
# NotifyAccess=all, so it must not see the variable as meant for another.
# -d: no client-side decorations.
exec cage -d -- env -u WATCHDOG_PID "$kiosk" --config "$config" --control "$control" "$@"
