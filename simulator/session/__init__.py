"""The call loop and the engines plugged into it."""
