"""The trainee's replies as heard: one FLAC clip per turn, kept in the call database.

FLAC is lossless for the 16-bit mono audio a reply is, and about half the size of the PCM
(see README, "Recordings"). The clips live in the `recordings` table beside their turns, so a
call stays one unit: deleting it (or forgetting its trainee) deletes its audio, exporting it
carries its audio. Encoding needs the voice extra (soundfile); reading the stored bytes back
for an export or an HTML player does not.
"""

from __future__ import annotations

import base64
import io
import math
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.errors import (
    InputError,
    NoRecordingError,
    StorageError,
    UsageError,
    require,
    shorten,
)
from simulator.session.engines import Audio
from simulator.storage.rows import no_call

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore
    from simulator.storage.records import CallRecord

FORMAT = "flac"
FLAC_MAGIC = b"fLaC"
MIN_RATE, MAX_RATE = 8000, 48000  # as for WAV replies (voice/wavio.py)
MAX_SECONDS = 30 * 60  # far beyond any reply: a longer clip is a damaged or hostile one
MIME_TYPES = {FORMAT: "audio/flac"}


@dataclass(frozen=True)
class Recording:
    """One stored clip, still encoded (what exports and HTML players carry)."""

    idx: int  # the turn's index in the call
    format: str
    rate: int
    seconds: float
    data: bytes


def recording_problem(recording: Recording) -> str | None:
    """What makes a clip unfit to keep (from another laptop's file, say), if anything."""
    if recording.format != FORMAT:
        return f"its format must be {FORMAT}, not {shorten(repr(recording.format), 30)}"
    if not MIN_RATE <= recording.rate <= MAX_RATE:
        return f"its rate must be {MIN_RATE} to {MAX_RATE} Hz"
    if not (math.isfinite(recording.seconds) and 0 < recording.seconds <= MAX_SECONDS):
        return f"its length must be more than 0 and at most {MAX_SECONDS} seconds"
    if not recording.data.startswith(FLAC_MAGIC):
        return "its audio is not FLAC data"
    return None


def encode(audio: Audio, idx: int) -> Recording:
    """`audio` (16-bit mono PCM) as turn `idx`'s FLAC clip; InputError when there is nothing
    to keep."""
    if not audio.pcm or len(audio.pcm) % 2:
        raise InputError("a recording needs whole 16-bit samples; nothing was heard to keep")
    if not MIN_RATE <= audio.rate <= MAX_RATE:
        raise InputError(f"cannot record audio at {audio.rate} Hz: it must be {MIN_RATE} to "
                         f"{MAX_RATE} Hz")
    soundfile, numpy = require("soundfile"), require("numpy")
    out = io.BytesIO()
    samples = numpy.frombuffer(audio.pcm, dtype="<i2")
    soundfile.write(out, samples, audio.rate, format="FLAC", subtype="PCM_16")
    return Recording(idx, FORMAT, audio.rate, round(audio.seconds, 3), out.getvalue())


def _decoded(recording: Recording) -> Audio | None:
    """The clip as 16-bit mono PCM, or None when it does not decode whole."""
    soundfile = require("soundfile")
    try:
        samples, rate = soundfile.read(io.BytesIO(recording.data), dtype="int16",
                                       always_2d=False)
    except (RuntimeError, ValueError, TypeError):  # LibsndfileError is a RuntimeError
        return None
    if samples.ndim != 1:
        samples = samples[:, 0]
    return Audio(samples.astype("<i2").tobytes(), int(rate))


def decode(recording: Recording, where: str) -> Audio:
    """The clip as 16-bit mono PCM; StorageError naming `where` when it does not decode."""
    audio = _decoded(recording)
    if audio is None:
        raise StorageError(f"the recording of {where} is damaged and cannot be played; "
                           "the turn's text is unaffected")
    return audio


LENGTH_SLACK_SECONDS = 0.01  # `seconds` is kept rounded to the millisecond


def plays_whole(recording: Recording) -> bool:
    """Whether the clip decodes to the end, at its rate and length: what `play` and the HTML
    players need. A clip from another laptop's file can start like FLAC and still be damaged."""
    audio = _decoded(recording)
    return (audio is not None and audio.rate == recording.rate
            and abs(audio.seconds - recording.seconds) <= LENGTH_SLACK_SECONDS)


@dataclass(frozen=True)
class DamagedClip:
    """A recording left out of an import because it does not play."""

    call_id: str
    reply: int  # as `play --turn` and the reports number the trainee's replies

    def warning(self, path: object) -> str:
        return (f"warning: the recording of reply {self.reply} of call {shorten(self.call_id)} "
                f"in {path} is damaged; left out (the call and its text are imported)")


def playable_clips(record: CallRecord, clips: list[Recording]
                   ) -> tuple[list[Recording], list[DamagedClip]]:
    """The call's clips (each for one of its replies) that play whole, and those that do not."""
    replies = [turn.index for turn in record.turns if turn.speaker == "trainee"]
    kept, damaged = [], []
    for clip in clips:
        if plays_whole(clip):
            kept.append(clip)
        else:
            damaged.append(DamagedClip(record.call_id, replies.index(clip.idx) + 1))
    return kept, damaged


# -- in export files: JSON with the audio in base64 ----------------------------------------

_CLIP_KEYS = {"turn", "format", "rate", "seconds", "data"}


def clip_to_json(clip: Recording) -> dict[str, Any]:
    return {"turn": clip.idx, "format": clip.format, "rate": clip.rate, "seconds": clip.seconds,
            "data": base64.b64encode(clip.data).decode("ascii")}


def clips_from_json(items: Any, replies: set[int]) -> list[Recording]:
    """A call line's recordings, each for one of its trainee turns (`replies`); ValueError
    naming the first problem."""
    if not isinstance(items, list):
        raise ValueError("its recordings are not a list")
    clips: dict[int, Recording] = {}
    for number, item in enumerate(items, start=1):
        where = f"recording {number}"
        if not isinstance(item, dict) or set(item) != _CLIP_KEYS:
            raise ValueError(f"{where} must have exactly {', '.join(sorted(_CLIP_KEYS))}")
        turn, rate, seconds = item["turn"], item["rate"], item["seconds"]
        if isinstance(turn, bool) or turn not in replies or turn in clips:
            raise ValueError(f"{where} is not for a reply of the call (or is there twice)")
        if isinstance(rate, bool) or not isinstance(rate, int):
            raise ValueError(f"{where} has no whole-number rate")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(f"{where} has no length in seconds")
        try:
            data = base64.b64decode(item["data"], validate=True)
        except (TypeError, ValueError):  # binascii.Error is a ValueError
            raise ValueError(f"{where} holds no base64 audio") from None
        clip = Recording(turn, str(item["format"]), rate, float(seconds), data)
        problem = recording_problem(clip)
        if problem:
            raise ValueError(f"{where}: {problem}")
        clips[turn] = clip
    return list(clips.values())


# -- the table -----------------------------------------------------------------------------

_COLUMNS = "idx, format, rate, seconds, audio"


def insert_recording(conn: sqlite3.Connection, call_id: str, recording: Recording) -> bool:
    """Insert unless the turn has a clip already; True when inserted."""
    sql = f"INSERT OR IGNORE INTO recordings (call_id, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
    values = (call_id, recording.idx, recording.format, recording.rate, recording.seconds,
              recording.data)
    return conn.execute(sql, values).rowcount == 1


def call_recordings(conn: sqlite3.Connection, call_id: str) -> list[Recording]:
    """Every clip of the call, in turn order, still encoded."""
    sql = f"SELECT {_COLUMNS} FROM recordings WHERE call_id = ? ORDER BY idx"
    return [Recording(idx, fmt, rate, seconds, bytes(data))
            for idx, fmt, rate, seconds, data in conn.execute(sql, (call_id,))]


def save_recording(store: CallStore, call_id: str, idx: int, audio: Audio) -> None:
    """Keep what was heard in turn `idx` of the call (saved already); committed on return."""
    recording = encode(audio, idx)

    def insert(conn: sqlite3.Connection) -> None:
        if conn.execute("SELECT 1 FROM calls WHERE call_id = ?", (call_id,)).fetchone() is None:
            raise no_call(call_id)
        turn = "SELECT 1 FROM turns WHERE call_id = ? AND idx = ?"
        if conn.execute(turn, (call_id, idx)).fetchone() is None:
            raise StorageError(f"call {call_id} has no turn {idx} to keep a recording with; "
                               "save the turn first")
        if not insert_recording(conn, call_id, recording):
            raise StorageError(f"turn {idx} of call {call_id} has a recording already; saved "
                               "recordings are never overwritten")

    store._write(insert)


def load_recording(store: CallStore, call_id: str, idx: int) -> Audio | None:
    """What was heard in turn `idx` of the call, or None when it was not recorded."""
    sql = f"SELECT {_COLUMNS} FROM recordings WHERE call_id = ? AND idx = ?"
    row = store._read(lambda conn: conn.execute(sql, (call_id, idx)).fetchone())
    if row is None:
        return None
    idx, fmt, rate, seconds, data = row
    return decode(Recording(idx, fmt, rate, seconds, bytes(data)), f"turn {idx} of {call_id}")


def recorded_turns(store: CallStore, call_id: str) -> list[int]:
    """The indexes of the call's turns that have a recording, in order."""
    sql = "SELECT idx FROM recordings WHERE call_id = ? ORDER BY idx"
    return [row[0] for row in store._read(lambda conn: conn.execute(sql, (call_id,)).fetchall())]


def stored_recordings(store: CallStore, call_id: str) -> list[Recording]:
    """The call's clips, still encoded (for HTML players)."""
    return store._read(lambda conn: call_recordings(conn, call_id))


@dataclass(frozen=True)
class RecordedReply:
    number: int  # 1 for the trainee's first reply, as reports number them
    text: str
    audio: Audio


def recorded_replies(store: CallStore, call_id: str, number: int | None = None
                     ) -> list[RecordedReply]:
    """The call's recorded replies (or only reply `number`), decoded, in order.

    NoRecordingError when there is nothing to play, UsageError for a reply the call lacks.
    """
    record = store.get_call(call_id)
    replies = [turn for turn in record.turns if turn.speaker == "trainee"]
    clips = {clip.idx: clip for clip in stored_recordings(store, record.call_id)}
    if number is not None and number > len(replies):
        raise UsageError(f"call {record.call_id} has {_replies(len(replies))}; --turn takes "
                         f"1 to {len(replies)}" if replies else
                         f"call {record.call_id} has no replies; leave out --turn")
    chosen = [(n, turn) for n, turn in enumerate(replies, start=1)
              if number in (None, n) and turn.index in clips]
    if not chosen:
        heard = [str(n) for n, turn in enumerate(replies, start=1) if turn.index in clips]
        if heard:
            raise NoRecordingError(f"reply {number} of call {record.call_id} was not recorded; "
                                   f"recorded: {', '.join(heard)} (--turn N)")
        raise NoRecordingError(f"call {record.call_id} has no recorded replies (typed, "
                               "recorded with --no-record, or imported without audio); "
                               "nothing to play")
    return [RecordedReply(n, turn.text, decode(clips[turn.index], f"reply {n} of "
                                               f"{record.call_id}"))
            for n, turn in chosen]

def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"
