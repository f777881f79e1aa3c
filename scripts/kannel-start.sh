#!/usr/bin/env bash
# Start Kannel (bearerbox, smsbox) with Kannel's own fake SMSC on loopback, for Lontara's SMS tests and for
# trying the SMS message center by hand. Installs the Debian packages kannel and kannel-extras when missing
# (needs root). Idempotent: when everything recorded is running it only prints how to reach it.
#   MO (inbound):  scripts/kannel-mo.sh 6281234567890 1500 "lapor jalan rusak" -> fakesmsc -> bearerbox -> smsbox
#                  -> GET $KANNEL_MO_URL (Lontara's /channels/sms/kannel with the shared secret)
#   MT (outbound): Lontara's outbox -> smsbox's sendsms -> bearerbox -> fakesmsc, which logs
#                  "Got message N: <from to type text>"; scripts/kannel-mt.sh prints them decoded.
# The last line printed is the sendsms address with its user and password:
#   LONTARA_TEST_KANNEL=$(scripts/kannel-start.sh | tail -1) go test ./internal/channels/...
# Stop: scripts/kannel-stop.sh
#   env: KANNEL_BASE(/tmp/lontara-services/kannel) KANNEL_ADMIN_PORT(13000) KANNEL_SMSBOX_PORT(13001)
#        KANNEL_SENDSMS_PORT(13013) KANNEL_FAKE_PORT(10000) KANNEL_USER(lontara) KANNEL_PASS(random, kept in
#        $KANNEL_BASE/sendsms-password) KANNEL_ADMIN_PASS(random) KANNEL_MO_URL(see below: port 18081,
#        secret from $KANNEL_SMS_SECRET, default "kannel-test-secret")
set -euo pipefail
# alive and not a zombie (an exited child can stay a zombie for a while until PID 1 reaps it)
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

KANNEL_BASE=${KANNEL_BASE:-/tmp/lontara-services/kannel}
KANNEL_ADMIN_PORT=${KANNEL_ADMIN_PORT:-13000}
KANNEL_SMSBOX_PORT=${KANNEL_SMSBOX_PORT:-13001}
KANNEL_SENDSMS_PORT=${KANNEL_SENDSMS_PORT:-13013}
KANNEL_FAKE_PORT=${KANNEL_FAKE_PORT:-10000}
mkdir -p "$KANNEL_BASE"
# No fixed passwords: made once per state directory and kept there.
[ -s "$KANNEL_BASE/sendsms-password" ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KANNEL_BASE/sendsms-password"
[ -s "$KANNEL_BASE/admin-password" ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KANNEL_BASE/admin-password"
KANNEL_USER=${KANNEL_USER:-lontara}
KANNEL_PASS=${KANNEL_PASS:-$(cat "$KANNEL_BASE/sendsms-password")}
KANNEL_ADMIN_PASS=${KANNEL_ADMIN_PASS:-$(cat "$KANNEL_BASE/admin-password")}
KANNEL_SMS_SECRET=${KANNEL_SMS_SECRET:-kannel-test-secret}
KANNEL_MO_METHOD=get
KANNEL_FAKESMSC=${KANNEL_FAKESMSC:-1}
# Lontara's contract: %p sender, %P receiver, %b the text (url-encoded, UTF-8), %I Kannel's message id.
# Tests listen on 127.0.0.1:18081 while they receive SMS.
KANNEL_MO_URL=${KANNEL_MO_URL:-http://127.0.0.1:18081/channels/sms/kannel?secret=$KANNEL_SMS_SECRET&from=%p&to=%P&text=%b&id=%I}
FAKESMSC=/usr/lib/kannel/test/fakesmsc
SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)

if [ ! -x /usr/sbin/bearerbox ] || [ ! -x /usr/sbin/smsbox ] || [ ! -x "$FAKESMSC" ]; then
  # kannel: bearerbox+smsbox;  kannel-extras: fakesmsc and Kannel's other test drivers.
  # apt does not start the Debian 'kannel' service here (policy-rc.d exits 101); /etc/kannel is never used.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kannel kannel-extras >/dev/null
fi
export PATH=/usr/sbin:$PATH
mkdir -p "$KANNEL_BASE"
cd "$KANNEL_BASE"

alive() { [ -s "$1" ] && running "$(cat "$1")"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port seconds pidfile: the port must open AND our process must still be alive
  for _ in $(seq 1 $(( $2 * 10 ))); do
    alive "$3" || { echo "process from $3 died" >&2; return 1; }
    port_open "$1" && return 0
    sleep 0.1
  done
  echo "timeout waiting for 127.0.0.1:$1" >&2; return 1
}
status_txt() { curl -fsS "http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt?password=$KANNEL_ADMIN_PASS" 2>/dev/null || true; }
print_info() {
  local extra=""; [ "$KANNEL_FAKESMSC" = 1 ] && extra=", fakesmsc pgid $(cat fakesmsc.pid)"
  echo "kannel: bearerbox pid $(cat bearerbox.pid), smsbox pid $(cat smsbox.pid)$extra  dir $KANNEL_BASE"
  echo "KANNEL_STATUS_URL=http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt?password=$KANNEL_ADMIN_PASS"
  echo "MO (inbound) is delivered to: $(sed -n 's/^\(get\|post\)-url = "\(.*\)"$/\2  (\1)/p' kannel.conf)"
  if [ "$KANNEL_FAKESMSC" = 1 ]; then
    echo "inject MO: $SCRIPT_DIR/kannel-mo.sh FROM TO TEXT    read MT: $SCRIPT_DIR/kannel-mt.sh   (raw: $KANNEL_BASE/fakesmsc.log)"
  else
    echo "fake SMSC port (connect as its single client, line protocol): 127.0.0.1:$KANNEL_FAKE_PORT"
  fi
}

if alive bearerbox.pid && alive smsbox.pid && { [ "$KANNEL_FAKESMSC" != 1 ] || alive fakesmsc.pid; }; then
  print_info; echo "http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms?username=$KANNEL_USER&password=$KANNEL_PASS"; exit 0            # already up (to change settings: kannel-stop.sh, then start again)
fi
"$SCRIPT_DIR/kannel-stop.sh" >/dev/null     # leftovers of a partial earlier run, by recorded PID only
for p in "$KANNEL_ADMIN_PORT" "$KANNEL_SMSBOX_PORT" "$KANNEL_SENDSMS_PORT" "$KANNEL_FAKE_PORT"; do
  if port_open "$p"; then echo "port 127.0.0.1:$p is already in use by another process" >&2; exit 1; fi
done

if [ "$KANNEL_MO_METHOD" = post ]; then
  SERVICE_URL="post-url = \"$KANNEL_MO_URL\""
else
  SERVICE_URL="get-url = \"$KANNEL_MO_URL\""
fi

cat > kannel.conf <<EOF
group = core
admin-port = $KANNEL_ADMIN_PORT
admin-interface = 127.0.0.1
admin-password = $KANNEL_ADMIN_PASS
admin-allow-ip = "127.0.0.1"
smsbox-port = $KANNEL_SMSBOX_PORT
smsbox-interface = 127.0.0.1
box-deny-ip = "*.*.*.*"
box-allow-ip = "127.0.0.1"
log-file = "$KANNEL_BASE/bearerbox.log"
# info, not debug: at debug a benchmark run wrote gigabytes of log
log-level = 1
access-log = "$KANNEL_BASE/access.log"
dlr-storage = internal

# the fake SMSC: bearerbox LISTENS here, fakesmsc (or your test) connects as the client
group = smsc
smsc = fake
smsc-id = FAKE
our-host = 127.0.0.1
port = $KANNEL_FAKE_PORT
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $KANNEL_SMSBOX_PORT
sendsms-port = $KANNEL_SENDSMS_PORT
sendsms-interface = 127.0.0.1
log-file = "$KANNEL_BASE/smsbox.log"
log-level = 1
access-log = "$KANNEL_BASE/smsbox-access.log"
# UCS-2 MO messages are handed to the HTTP service re-coded as UTF-8
mo-recode = true

group = sendsms-user
username = $KANNEL_USER
password = $KANNEL_PASS
max-messages = 10
concatenation = true

# every inbound SMS (any keyword) -> HTTP; max-messages = 0: the HTTP reply body is NOT sent back as an SMS
group = sms-service
keyword = default
catch-all = true
$SERVICE_URL
max-messages = 0
omit-empty = true
send-sender = true
EOF

bearerbox -v 1 kannel.conf > bearerbox.out 2>&1 < /dev/null &
echo $! > bearerbox.pid
wait_port "$KANNEL_SMSBOX_PORT" 20 bearerbox.pid || { tail -20 bearerbox.out >&2; exit 1; }
smsbox -v 1 kannel.conf > smsbox.out 2>&1 < /dev/null &
echo $! > smsbox.pid
wait_port "$KANNEL_SENDSMS_PORT" 20 smsbox.pid || { tail -20 smsbox.out >&2; exit 1; }
if [ "$KANNEL_FAKESMSC" = 1 ]; then
  : > mo-inbox.txt
  # Interactive fakesmsc sends one MO per stdin line ("sender receiver text|data|ucs2 msg") and must never see
  # EOF on stdin (it crashes on it), so it is fed by tail -F.  stdbuf -i0: with buffered stdin, a 2nd line that
  # arrives in the same read() waits in stdio's buffer until more input comes (seen: 1 of 3 burst lines
  # delivered without it).  -v 0 makes its "Got message N: <...>" lines (the MT messages) visible.
  # setsid: tail + fakesmsc form one new process group whose id is the PID recorded here.
  setsid bash -c "exec tail -n0 -F mo-inbox.txt 2>/dev/null | stdbuf -i0 -oL $FAKESMSC -H 127.0.0.1 -r $KANNEL_FAKE_PORT -i 0 -v 0" \
      > fakesmsc.log 2>&1 < /dev/null &
  echo $! > fakesmsc.pid
fi

# ready = smsbox connected to bearerbox and (if started) the fake SMSC client online
ready() {
  local s; s=$(status_txt)
  grep -q "smsbox:(none), IP 127.0.0.1" <<<"$s" &&
    { [ "$KANNEL_FAKESMSC" != 1 ] || grep -q "FAKE:$KANNEL_FAKE_PORT (online" <<<"$s"; }
}
for _ in $(seq 1 200); do ready && break; sleep 0.1; done
ready || { echo "kannel not ready:"; status_txt; tail -5 bearerbox.log smsbox.log fakesmsc.log 2>/dev/null; exit 1; } >&2
print_info
echo "http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms?username=$KANNEL_USER&password=$KANNEL_PASS"
