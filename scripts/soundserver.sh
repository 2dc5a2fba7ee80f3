#!/usr/bin/env bash
# A private PulseAudio server with a null sink, so sound tests run without a sound card
# (CI containers, as root). Everything lives in one temp dir; nothing in /etc or $HOME changes.
#
#   scripts/soundserver.sh start   # start (idempotent), then print the client environment
#   scripts/soundserver.sh env     # print `export ...` lines for clients: eval "$(... env)"
#   scripts/soundserver.sh stop
#
# Clients reach it through PULSE_SERVER; PortAudio/ALSA reach it through the `pulse` plugin of
# libasound2-plugins, whose config hook makes `pulse` the ALSA default while a server answers.
# The sink `callsim_null` is the default sink and its monitor the default source, so what is
# played can be recorded. Use separate input and output streams: full-duplex through the ALSA
# pulse plugin fails.
set -euo pipefail

DIR="${CALLSIM_SOUND_DIR:-${TMPDIR:-/tmp}/callsim-sound-$(id -u)}"
SOCKET="$DIR/runtime/native"
SINK=callsim_null

client_env() {
  echo "export PULSE_SERVER=unix:$SOCKET"
  echo "export PULSE_COOKIE=$DIR/cookie"
  echo "export PULSE_RUNTIME_PATH=$DIR/runtime"
}

running() {
  PULSE_SERVER="unix:$SOCKET" PULSE_COOKIE="$DIR/cookie" pactl info >/dev/null 2>&1
}

start() {
  command -v pulseaudio >/dev/null || { echo "soundserver: pulseaudio is not installed (apt install pulseaudio pulseaudio-utils libasound2-plugins)" >&2; exit 3; }
  if running; then client_env; return; fi
  mkdir -p "$DIR/runtime" "$DIR/state" "$DIR/home"
  chmod 700 "$DIR" "$DIR/runtime"
  # -n: no default.pa (no hardware detection, no X11/D-Bus modules); root is allowed in user mode
  # with a warning. HOME is the temp dir so nothing is written to the real home.
  HOME="$DIR/home" PULSE_RUNTIME_PATH="$DIR/runtime" PULSE_STATE_PATH="$DIR/state" \
  PULSE_COOKIE="$DIR/cookie" \
    pulseaudio --daemonize=yes --exit-idle-time=-1 --system=false -n \
      --use-pid-file=yes --log-target="file:$DIR/pulseaudio.log" \
      --load="module-native-protocol-unix auth-anonymous=1 socket=$SOCKET" \
      --load="module-null-sink sink_name=$SINK rate=48000 sink_properties=device.description=callsim-null"
  for _ in $(seq 50); do running && break; sleep 0.1; done
  running || { echo "soundserver: pulseaudio did not start; see $DIR/pulseaudio.log" >&2; tail -5 "$DIR/pulseaudio.log" >&2 || true; exit 1; }
  eval "$(client_env)"
  pactl set-default-sink "$SINK"
  pactl set-default-source "$SINK.monitor"
  # Without a reader on the monitor the null sink renders in 2-second blocks and recordings lose
  # their start; keep one reader for the server's lifetime.
  pacat -r -d "$SINK.monitor" >/dev/null 2>&1 &
  echo $! > "$DIR/monitor-reader.pid"
  client_env
}

stop() {
  if [ -f "$DIR/monitor-reader.pid" ]; then
    kill "$(cat "$DIR/monitor-reader.pid")" 2>/dev/null || true
    rm -f "$DIR/monitor-reader.pid"
  fi
  if running; then
    HOME="$DIR/home" PULSE_RUNTIME_PATH="$DIR/runtime" PULSE_SERVER="unix:$SOCKET" \
      pulseaudio --kill 2>/dev/null || PULSE_SERVER="unix:$SOCKET" pactl exit 2>/dev/null || true
    for _ in $(seq 30); do running || break; sleep 0.1; done
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) client_env ;;
  status) if running; then echo running; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
