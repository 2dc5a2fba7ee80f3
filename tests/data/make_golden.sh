#!/usr/bin/env bash
# Regenerates the golden speech clips the recognizer tests decode (run once; the WAVs are
# committed so tests do not depend on the installed espeak-ng version).
# 16 kHz mono 16-bit; `sox -D` (no dither) keeps espeak's exact digital silence, which is
# what makes PocketSphinx need its noise floor.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clip() {  # clip NAME VOICE TEXT
    espeak-ng -v "$2" -s 150 -w "$tmp/$1.wav" "$3"
    sox -D "$tmp/$1.wav" -r 16000 -b 16 -c 1 "$1.wav"
}

clip en_thank_you_how_come en-us "Thank you. How come the price is the problem?"
clip en_how_come_supplier en-us "How come you are happy with your current supplier?"
clip ko_greeting ko "안녕하세요 반갑습니다"
