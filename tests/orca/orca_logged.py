"""Starts Orca with its debug log written a line at a time. Orca opens the file with Python's
default block buffering, so its speech would reach the file in bursts long after the key that
caused it, and a test could not tell which key it belongs to."""

import builtins
import runpy
import shutil
import sys

_builtin_open = builtins.open


def _open_log_line_buffered(file, mode="r", *args, **kwargs):
    if "w" in mode and str(file).endswith(".debug") and "b" not in mode:
        kwargs["buffering"] = 1
    return _builtin_open(file, mode, *args, **kwargs)


builtins.open = _open_log_line_buffered
sys.argv = ["orca", *sys.argv[1:]]
runpy.run_path(shutil.which("orca"), run_name="__main__")
