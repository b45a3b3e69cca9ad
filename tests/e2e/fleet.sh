#!/bin/sh
# End to end: the kiosk in the fleet, the real kiosk against the real
# reference registry (see e2e_lib.sh), heartbeats every 2 s.
#
#   fleet.sh BUILD_DIR
#
# 1. heartbeats arrive with their fields; GET /fleet lists the kiosk;
# 2. settings the registry keeps for the kiosk change the home notice and
#    the idle time and the services offered without a restart; a bad
#    document is refused with a log line and the settings in force stay;
# 3. a kiosk that stopped is marked stale on the status page;
# 4. started with the registry down, the kiosk applies the last good copy
#    from disk; while the registry is down it backs off, and when it is
#    back the heartbeats come at their pace, not in a burst.
E2E_REGISTRY_FILE=1
. "$(dirname "$0")/e2e_lib.sh"

kid=JZ-JF-03
printf '[fleet]\nheartbeat_s = 2\nbackoff_s = 1\nbackoff_cap_s = 4\n' >>"$tmp/kiosk.ini"
# The registry again, marking a kiosk stale after 5 s.
restart_registry() { # restart_registry [OPTION...]
    kill "$rpid" 2>/dev/null
    wait "$rpid" 2>/dev/null
    start_registry --fleet-stale 5 "$@"
}
restart_registry
beats() { # the heartbeats the registry keeps of the kiosk
    curl -s "$url/fleet/$kid" | grep -o '<tr class=' | wc -l
}
put() { curl -s -o "$tmp/put.out" -w '%{http_code}' -X PUT -d "$1" "$url/v1/kiosks/$kid/settings"; }
wait_log() { # wait_log TEXT SECONDS
    for _ in $(seq $(($2 * 10))); do grep -qF -- "$1" "$tmp/kiosk.log" && return 0; sleep 0.1; done
    return 1
}
# Whether the idle banner shows after 22 s on the guide (the clock moved,
# not waited); back home either way.
banner_after_22s() {
    step tap 办事指南
    step wait services 2000
    step clock +22
    ctl state | grep -q '"idle_left_ms":0,' && r=1 || r=0 # 0: the banner shows
    step tap-at 500 500
    step tap 返回首页
    step wait home 3000
    return $r
}

start_kiosk

# ---- 1. heartbeats --------------------------------------------------------
for _ in $(seq 60); do [ "$(beats)" -ge 2 ] && break; sleep 0.1; done
check "two heartbeats within 6 s" test "$(beats)" -ge 2
# The devices report as they come up (slowly under the sanitizers): the
# newest heartbeat says all is well within 10 s.
for _ in $(seq 100); do curl -s "$url/fleet" | grep -qF '<td>正常 ok</td>' && break; sleep 0.1; done
curl -s "$url/fleet" >"$tmp/fleet.html"
check "the status page lists the kiosk" grep -qF "<a href=\"/fleet/$kid\">$kid</a>" "$tmp/fleet.html"
check "... as up" grep -qF '<td>正常 ok</td>' "$tmp/fleet.html"
curl -s "$url/fleet/$kid" >"$tmp/detail.html"
for f in 'reader: ok' 'camera: ok' 'slip: ok' ' MB</td>' '<td>0</td>' '+08:00'; do
    check "the heartbeat carries \"$f\"" grep -qF -- "$f" "$tmp/detail.html"
done
check "a device state with a paper count" grep -qE '<td>0 / [0-9]+</td>' "$tmp/detail.html"

# ---- 2. the registry's settings -------------------------------------------
check "home shows the registry's notice" sh -c "! $ctlbin $tmp/ctl state | grep -qF 今日大厅办事人数较多"
banner_after_22s
check "the idle time is the config's 60 s" test $? -eq 1
check "settings stored" test "$(put '{"settings":{"kiosk":{"notice":"preset-2"},"flow":{"idle_s":20}}}')" = 200
check "version 1 applied without a restart" wait_log "settings version 1 applied" 8
check "the home notice changed" state_has 今日大厅办事人数较多
banner_after_22s
check "the idle time is the registry's 20 s" test $? -eq 0
check "the good copy kept on disk" grep -qF preset-2 "$tmp/run/out/fleet_settings.json"
check "a bad document stored" test "$(put '{"settings":{"kiosk":{"notice":"preset-1"},"audio":{"volume":35}}}')" = 200
check "version 2 refused in one log line" wait_log "settings version 2 refused" 8
check "... saying what" grep -qF "[audio] volume" "$tmp/kiosk.log"
check "nothing of it taken: the notice stays" state_has 今日大厅办事人数较多
check "the copy on disk is still version 1" grep -qF preset-2 "$tmp/run/out/fleet_settings.json"
# The services this kiosk offers: the others keep their place, greyed,
# and take no tap.
on='"service":{"enabled":["query","certificate","progress","guide","rating"]}'
check "services stored" test "$(put '{"settings":{"kiosk":{"notice":"preset-2"},"flow":{"idle_s":20},'"$on"'}}')" = 200
check "version 3 applied" wait_log "settings version 3 applied" 8
check "the ticket tile is off" sh -c "$ctlbin $tmp/ctl state | grep -qE '\"id\":\"ticket\",[^}]*\"enabled\":false'"
check "... and booking" sh -c "$ctlbin $tmp/ctl state | grep -qE '\"id\":\"booking\",[^}]*\"enabled\":false'"
check "... the query is on" sh -c "$ctlbin $tmp/ctl state | grep -qE '\"id\":\"query\",[^}]*\"enabled\":true'"
xy=$(ctl state | grep -oE '"id":"ticket","label":"[^"]*","kind":"[a-z]*","bounds":\[[0-9]+,[0-9]+' |
    grep -oE '[0-9]+,[0-9]+$' | awk -F, '{ print $1 + 40, $2 + 40 }')
check "the ticket tile has its place" test -n "$xy"
ctl tap-at $xy >/dev/null
sleep 0.5
check "a finger on the ticket tile stays home" screen_is home
check "a document naming no such service stored" test "$(put '{"settings":{"service":{"enabled":["query","parking"]}}}')" = 200
check "version 4 refused" wait_log "settings version 4 refused" 8
check "... saying what" grep -qF "parking is not a home service" "$tmp/kiosk.log"
check "the ticket tile stays off" sh -c "$ctlbin $tmp/ctl state | grep -qE '\"id\":\"ticket\",[^}]*\"enabled\":false'"

# ---- 3. a stopped kiosk is stale --------------------------------------------
step quit
wait "$kpid"
check "the kiosk ended cleanly" test $? -eq 0
kpid=""
curl -s "$url/fleet" >"$tmp/fleet.html"
check "not stale at once" sh -c "! grep -qF '<td>失联' $tmp/fleet.html"
sleep 6
curl -s "$url/fleet" >"$tmp/fleet.html"
check "stale after 5 s without a heartbeat" grep -qF '<tr class="stale">' "$tmp/fleet.html"
check "... in words" grep -qF '<td>失联 stale</td>' "$tmp/fleet.html"

# ---- 4. the registry down: the copy on disk, backoff, no burst ------------
port=${url##*:}
kill "$rpid"
wait "$rpid" 2>/dev/null
rpid=""
: >"$tmp/kiosk.log"
start_kiosk
check "the last good copy applied at start" grep -qF "settings version 3 applied from" "$tmp/kiosk.log"
# Offline, home says so instead of any notice: the idle time shows the copy.
banner_after_22s
check "... the registry's idle time with it" test $? -eq 0
sleep 8
fails=$(grep -c "POST /v1/heartbeat failed" "$tmp/kiosk.log")
# The backoff draws 0..1, 0..2, 0..4, 0..4 s (full jitter: a run of short
# draws happens, about 5 tries in 8 s on average); without it, tries come
# thousands a second. 16 tells the two apart without a chance failure.
check "heartbeats tried while down ($fails)" test "$fails" -ge 1
check "... backing off ($fails in 8 s)" test "$fails" -le 16
before=$(grep -c "POST /v1/heartbeat" "$tmp/kiosk.log")
"$registry" --listen "127.0.0.1:$port" --db "$tmp/registry.sqlite" --fleet-stale 5 \
    >/dev/null 2>>"$tmp/registry.log" &
rpid=$!
for _ in $(seq 50); do curl -s "$url/v1/health" >/dev/null && break; sleep 0.1; done
n0=$(beats)
sleep 4
n1=$(beats)
check "heartbeats again once the registry is back ($n0 -> $n1)" test "$n1" -gt "$n0"
# At most one waiting try, then one every 1.6..2.4 s: never more than 3 in 4 s.
check "no burst on return ($((n1 - n0)) in 4 s)" test $((n1 - n0)) -le 3

step quit
wait "$kpid"
check "the kiosk ended cleanly again" test $? -eq 0
kpid=""
echo "fleet: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
