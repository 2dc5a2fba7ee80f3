"""`score --jsonl` lines, typed replies, export files for `import`, and WAV replies."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import struct
from random import Random

from tests.fuzz.materials import PERSONA_ID, Materials
from tests.fuzz.nasty import LONG, flip_bytes, json_value, mutate_bytes, shorten

JSON_BREAKERS = {"\x00", "\x01", "\x1b[2J\x1b[31m", "\x08\x08\x08", "\x0c"}  # never in JSON
GOOD_REPLY = b"Thank you for your honesty. What issues are you facing with dispatch?"


def jsonl_case(rng: Random, m: Materials) -> dict:
    lines = rng.sample(m.replies, k=rng.randint(0, 4))
    at = rng.randint(0, len(lines))
    roll, names = rng.random(), ()
    if roll < 0.7:
        nasty = json_value(rng)
        shape = rng.choice(["text", "text", "extra", "line"])
        line = {"text": '{"text": %s}', "extra": '{"text": "Thanks!", "id": %s}',
                "line": "%s"}[shape] % nasty.value
        invalid = nasty.invalid if shape == "text" else (shape == "line" or
                                                          nasty.kind == "bad-escape")
        what, bad = f"line {at + 1} {shape} = {nasty.kind} {shorten(nasty.value)}", \
            line.encode("utf-8", "surrogatepass")
        names = (f"line {at + 1}", f":{at + 1}:") if invalid else ()
    else:
        mutation = mutate_bytes(rng, rng.choice(m.replies))
        what, bad = f"line {at + 1}: {mutation.what}", mutation.data
        invalid = (mutation.kind in ("utf16", "not-utf8", "nul-run", "long-line")
                   or mutation.inserted in JSON_BREAKERS)
    content = b"\n".join(lines[:at] + [bad] + lines[at:]) + b"\n"
    if rng.random() < 0.3:
        return dict(what=f"jsonl on stdin: {what}", argv=("score", "--jsonl", "-"),
                    stdin=content, expect="error" if invalid else "any", names=names)
    return dict(what=f"jsonl file: {what}", argv=("score", "--jsonl", "replies.jsonl"),
                files={"replies.jsonl": content}, expect="error" if invalid else "any",
                names=names)


def stdin_case(rng: Random, m: Materials) -> dict:
    mutation = mutate_bytes(rng, GOOD_REPLY)
    lines = [GOOD_REPLY] * rng.randint(0, 2) + [mutation.data] + [b"How come?"]
    command = rng.choice([
        ("practice", "--persona", PERSONA_ID, "--text", "--data-dir", "{data}"),
        ("drill", "--text", "--minutes", "1", "--seed", "1", "--data-dir", "{data}"),
    ])
    return dict(what=f"typed replies ({command[0]}): {mutation.what}", argv=command,
                stdin=b"\n".join(lines) + b"\n", expect="any")


# -- export files ---------------------------------------------------------------------------

HEADER_FIELDS = ["format", "version", "exported_at", "calls", "workshops", "sha256", "personas"]
RECORDING_FIELDS = ["turn", "format", "rate", "seconds", "data"]
PERSONA_FIELDS = ["id", "yaml"]


def _export(header_line: bytes, body: bytes) -> bytes:
    return gzip.compress(header_line + b"\n" + body, mtime=0)


def _header_line(header: dict, body: bytes, replace: tuple[str, str] | None = None) -> bytes:
    header = dict(header, sha256=hashlib.sha256(body).hexdigest())
    parts = [f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
             for key, value in header.items()]
    if replace:
        key, raw = replace
        parts = [f"{json.dumps(key)}: {raw}" if p.startswith(f'"{key}"') else p for p in parts]
    return ("{" + ", ".join(parts) + "}").encode("utf-8", "surrogatepass")


def _body_mutation(rng: Random, header: dict, calls: list[bytes]) -> tuple[str, bytes, bool]:
    kind = rng.choice(["header", "header", "call-field", "call-field", "call-line", "count",
                       "stale-sha", "crlf", "duplicate", "foreign-gzip", "big", "two-members",
                       "recording", "recording", "recording", "recording", "persona",
                       "persona"])
    body = b"".join(line + b"\n" for line in calls)
    if kind == "recording":
        return _recording_mutation(rng, header, calls)
    if kind == "persona":
        return _persona_mutation(rng, header, body)
    if kind in ("header", "call-field", "call-line"):
        nasty = json_value(rng)
        if kind == "header":
            key = rng.choice(HEADER_FIELDS)
            return (f"header {key} = {nasty.kind} {shorten(nasty.value)}",
                    _export(_header_line(header, body, (key, nasty.value)), body),
                    key not in ("workshops", "personas"))  # [] is a good list
        number = rng.randrange(len(calls))
        if kind == "call-line":
            calls[number] = nasty.value.encode("utf-8", "surrogatepass")
            invalid = True
            what = f"call line {number + 2} = {nasty.kind} {shorten(nasty.value)}"
        else:
            record = json.loads(calls[number])
            turn = rng.choice(record["turns"]) if record["turns"] and rng.random() < 0.4 else None
            target = turn if turn is not None else record
            key = rng.choice(sorted(target))
            target[key] = "\x00NASTY\x00"
            calls[number] = json.dumps(record, ensure_ascii=False).replace(
                '"\\u0000NASTY\\u0000"', nasty.value).encode("utf-8", "surrogatepass")
            invalid = nasty.kind == "bad-escape"
            where = f"turn {turn['index']} " if turn is not None else ""
            what = f"call line {number + 2} {where}{key} = {nasty.kind} {shorten(nasty.value)}"
        body = b"".join(line + b"\n" for line in calls)
        return what, _export(_header_line(header, body), body), invalid
    if kind == "count":
        wrong = dict(header, calls=header["calls"] + rng.choice([-1, 1, 10**6]))
        return f"header calls = {wrong['calls']}", _export(_header_line(wrong, body), body), True
    if kind == "stale-sha":
        changed = body.replace(b'"ana"', b'"eve"', 1)
        return "a call changed after the checksum", _export(_header_line(header, body), changed), \
            True
    if kind == "crlf":
        body = body.replace(b"\n", b"\r\n")
        return "CRLF line endings", _export(_header_line(header, body), body), False
    if kind == "duplicate":
        body += calls[0] + b"\n"
        return "a call twice", _export(_header_line(dict(header, calls=len(calls) + 1), body),
                                       body), False
    if kind == "foreign-gzip":
        return "a gzip'd persona file", gzip.compress(b"id: covered-carl\n" * 50), True
    if kind == "big":
        body += b"\n" * (8 << 20)
        return "8 MB of empty lines in the body", _export(_header_line(header, body), body), True
    good = _export(_header_line(header, body), body)
    return "two gzip members (the export twice)", good + good, True


def damaged_flac(rng: Random, audio: bytes, kind: str | None = None) -> tuple[str, bytes]:
    """FLAC bytes damaged behind an intact "fLaC" marker ("cut" or "flip", by chance when no
    `kind`): what a look at the header lets through."""
    if (kind or rng.choice(["cut", "flip"])) == "cut":
        at = rng.randrange(5, len(audio))
        return f"FLAC cut at byte {at} of {len(audio)}", audio[:at]
    damaged = bytearray(audio)
    spots = sorted(rng.sample(range(4, len(audio)), k=rng.randint(1, 4)))
    for spot in spots:
        damaged[spot] ^= 1 << rng.randrange(8)
    return f"FLAC bits flipped at bytes {', '.join(map(str, spots))}", bytes(damaged)


def _recording_mutation(rng: Random, header: dict, calls: list[bytes],
                        flac: str | None = None) -> tuple[str, bytes, bool]:
    """A field of the first call's recording made nasty, or its audio bytes damaged (`flac`:
    "cut" or "flip" behind the FLAC marker). The runner checks that no recording that does not
    play is stored."""
    record = json.loads(calls[0])
    clip = record["recordings"][0]
    roll = 0.0 if flac else rng.random()
    if roll < 0.6:
        audio = base64.b64decode(clip["data"])
        if roll < 0.45:
            what, damaged = damaged_flac(rng, audio, flac)
        else:
            mutation = mutate_bytes(rng, audio)
            what, damaged = mutation.what, mutation.data
        clip["data"] = base64.b64encode(damaged).decode("ascii")
        what, line = f"recording audio: {what}", json.dumps(record).encode()
    else:
        nasty = json_value(rng)
        key = rng.choice(RECORDING_FIELDS)
        clip[key] = "\x00NASTY\x00"
        line = json.dumps(record, ensure_ascii=False).replace(
            '"\\u0000NASTY\\u0000"', nasty.value).encode("utf-8", "surrogatepass")
        what = f"recording {key} = {nasty.kind} {shorten(nasty.value)}"
    calls = [line, *calls[1:]]
    body = b"".join(call + b"\n" for call in calls)
    return what, _export(_header_line(header, body), body), False


def _persona_mutation(rng: Random, header: dict, body: bytes) -> tuple[str, bytes, bool]:
    """A carried persona's id or YAML made nasty, or its YAML text damaged."""
    personas = [dict(p) for p in header["personas"]]
    number = rng.randrange(len(personas))
    if rng.random() < 0.5:
        mutation = mutate_bytes(rng, personas[number]["yaml"].encode())
        personas[number]["yaml"] = mutation.data.decode("utf-8", "replace")
        what = f"persona {number + 1} YAML: {mutation.what}"
        return what, _export(_header_line(dict(header, personas=personas), body), body), False
    nasty = json_value(rng)
    key = rng.choice(PERSONA_FIELDS)
    personas[number][key] = "\x00NASTY\x00"
    raw = json.dumps(personas, ensure_ascii=False).replace('"\\u0000NASTY\\u0000"', nasty.value)
    content = _export(_header_line(header, body, ("personas", raw)), body)
    return (f"persona {number + 1} {key} = {nasty.kind} {shorten(nasty.value)}", content,
            nasty.kind == "bad-escape")


def import_case(rng: Random, m: Materials) -> dict:
    header_line, _, rest = gzip.decompress(m.export).partition(b"\n")
    header, calls = json.loads(header_line), rest.split(b"\n")[:-1]
    roll, files, dirs = rng.random(), {}, ()
    paths = ["in.callsim"]
    if roll < 0.35:
        mutation = mutate_bytes(rng, m.export)
        invalid = mutation.kind in ("empty", "utf16") or (
            mutation.kind == "truncate" and len(mutation.data) < len(m.export))
        what, content = mutation.what, mutation.data
    elif roll < 0.9:
        what, content, invalid = _body_mutation(rng, header, calls)
    else:
        what, content, invalid = rng.choice([("a directory", None, True),
                                             ("no such file", b"", True)])
        if content is None:
            dirs = ("in.callsim",)
        else:
            paths = ["missing.callsim"]
    if content is not None and not dirs:
        files["in.callsim"] = content
    if rng.random() < 0.3:  # a good file first: all or nothing
        files["good.callsim"] = m.export
        paths.insert(0, "good.callsim")
        what += " (after a good file)"
    options = ("--no-audio",) if rng.random() < 0.3 else ()  # the recordings left out
    what += " --no-audio" if options else ""
    return dict(what=f"import: {what}", argv=("import", *paths, *options, "--data-dir", "{data}"),
                files=files, dirs=dirs, expect="error" if invalid else "any",
                names=(paths[-1],) if invalid else ())


# -- WAV replies ----------------------------------------------------------------------------

WAV_FIELDS = [  # (name, offset, struct format, values, invalid)
    ("format tag", 20, "<H", [3, 0xFFFE, 2, 0], True),
    ("channels", 22, "<H", [0], True),
    ("channels", 22, "<H", [2, 3, 65535], False),
    ("sample rate", 24, "<I", [0], True),
    ("sample rate", 24, "<I", [1, 8000, 4_294_967_295], False),
    ("bits per sample", 34, "<H", [0], True),
    ("bits per sample", 34, "<H", [40, 64, 65535], True),
    ("bits per sample", 34, "<H", [8, 12, 24, 32], False),
    ("data size", 40, "<I", [0, 1, 3, 4_294_967_295], False),
    ("RIFF size", 4, "<I", [0, 4_294_967_295], False),
]


def wav_case(rng: Random, m: Materials) -> dict:
    roll = rng.random()
    files, dirs = {}, ()
    if roll < 0.45:
        name, offset, fmt, values, invalid = rng.choice(WAV_FIELDS)
        value = rng.choice(values)
        data = bytearray(m.wav)
        struct.pack_into(fmt, data, offset, value)
        what, content = f"{name} = {value}", bytes(data)
    elif roll < 0.8:
        mutation = mutate_bytes(rng, m.wav)
        invalid = mutation.kind in ("empty", "utf16") or (
            mutation.kind == "truncate" and len(mutation.data) < 44)
        what, content = mutation.what, mutation.data
    else:
        what, content, invalid = rng.choice([
            ("a text file", b"not a wav\n" * 20, True),
            ("RIFF header only", m.wav[:12], True),
            ("RIFX (big-endian) magic", b"RIFX" + m.wav[4:], True),
            ("header flips", flip_bytes(rng, m.wav[:44], 4) + m.wav[44:], False),
            ("a directory", None, True),
            ("a long line of zeros", m.wav[:44] + bytes(LONG), False),
        ])
    if content is None:
        dirs = ("in.wav",)
    else:
        files["in.wav"] = content
    wavs = ["--wav", "in.wav"]
    if rng.random() < 0.3:
        files["good.wav"] = m.wav
        wavs = ["--wav", "good.wav", *wavs]
    return dict(what=f"WAV reply: {what}", argv=("practice", "--persona", PERSONA_ID, *wavs,
                                                 "--no-voice", "--seed", "1", "--data-dir",
                                                 "{data}"),
                files=files, dirs=dirs, expect="error" if invalid else "any",
                names=("in.wav",) if invalid else ())


def damaged_flac_import_case(rng: Random, m: Materials, kind: str) -> dict:
    """An otherwise sound export whose recording is FLAC `kind` ("cut" or "flip") behind its
    marker: imported, the clip left out with a warning."""
    header_line, _, rest = gzip.decompress(m.export).partition(b"\n")
    what, content, _ = _recording_mutation(rng, json.loads(header_line), rest.split(b"\n")[:-1],
                                           kind)
    return dict(what=f"import: {what}", argv=("import", "in.callsim", "--data-dir", "{data}"),
                files={"in.callsim": content}, expect="any")
