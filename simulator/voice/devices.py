"""Audio devices: listing them and picking one by number or name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator.errors import AudioError, UnknownDeviceError, require, shorten

Kind = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: int
    default_input: bool = False
    default_output: bool = False

    def channels(self, kind: Kind) -> int:
        return self.inputs if kind == "input" else self.outputs


def sounddevice():
    """The sounddevice module, or a one-line error saying how to get PortAudio."""
    try:
        return require("sounddevice")
    except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
        raise AudioError(
            "the PortAudio library is missing: install it (apt install libportaudio2)"
        ) from exc


def refresh() -> None:
    """Re-scan devices: PortAudio lists them once at start-up, e.g. before a sound server ran."""
    sd = sounddevice()
    sd._terminate()
    sd._initialize()


def list_devices() -> list[Device]:
    sd = sounddevice()
    default_in, default_out = _defaults(sd)
    return [
        Device(
            index=int(info["index"]),
            name=str(info["name"]),
            inputs=int(info["max_input_channels"]),
            outputs=int(info["max_output_channels"]),
            default_rate=int(info["default_samplerate"]),
            default_input=int(info["index"]) == default_in,
            default_output=int(info["index"]) == default_out,
        )
        for info in sd.query_devices()
    ]


def _defaults(sd) -> tuple[int, int]:
    device = sd.default.device
    return int(device[0]), int(device[1])


def resolve_device(spec: str | int | None, kind: Kind) -> int | None:
    """Pick a device by index or case-insensitive name substring; None means the default.

    Raises AudioError naming the available devices when nothing (or no device of `kind`) matches,
    and when there is no device of `kind` at all.
    """
    devices = [d for d in list_devices() if d.channels(kind) > 0]
    if not devices:
        raise AudioError(no_device_message(kind))
    if spec is None or str(spec).strip() == "":
        if not any(d.default_input if kind == "input" else d.default_output for d in devices):
            return devices[0].index  # PortAudio has no default but a device exists: use it
        return None
    text = str(spec).strip()
    if text.isdigit():
        for device in devices:
            if device.index == int(text):
                return device.index
        raise UnknownDeviceError(f"no {kind} device number {shorten(text)}; "
                                 f"{_available(devices)}")
    matches = [d for d in devices if text.lower() in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == text.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].index
    if not matches:
        raise UnknownDeviceError(f"no {kind} device matches '{shorten(text)}'; "
                                 f"{_available(devices)}")
    raise UnknownDeviceError(
        f"{len(matches)} {kind} devices match '{shorten(text)}'; pick one by number: "
        f"{_available(matches)}"
    )


def no_device_message(kind: Kind) -> str:
    what = "microphone (input)" if kind == "input" else "speaker (output)"
    return (
        f"no audio {what} device found: connect one (see `callsim devices`), "
        f"or practise without --voice"
    )


def _available(devices: list[Device]) -> str:
    return "available: " + ", ".join(f"{d.index} {d.name!r}" for d in devices)


def device_rate(device: int | None, kind: Kind, preferred: int) -> int:
    """`preferred` if the device accepts it (PortAudio's check), else the device's default rate."""
    sd = sounddevice()
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device=device, channels=1, dtype="int16", samplerate=preferred)
        return preferred
    except Exception:  # PortAudioError or ValueError: the rate is not supported
        info = sd.query_devices(device, kind)
        return int(info["default_samplerate"])


def format_devices(devices: list[Device]) -> str:
    """The `callsim devices` table; `*` marks the default input, `>` the default output."""
    lines = [f"{'':2}{'#':>3}  {'in':>3}  {'out':>3}  {'rate':>6}  name"]
    for d in devices:
        mark = ("*" if d.default_input else " ") + (">" if d.default_output else " ")
        lines.append(
            f"{mark}{d.index:>3}  {d.inputs:>3}  {d.outputs:>3}  {d.default_rate:>6}  {d.name}"
        )
    lines.append("* default input   > default output")
    return "\n".join(lines)
