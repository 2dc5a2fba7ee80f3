"""Voice mode's audio side: speech synthesis, playback, capture, voice activity detection.

Submodules import their heavy dependencies (numpy, sounddevice, pyttsx3, webrtcvad, soxr) only
when used, so importing this package stays cheap.
"""
