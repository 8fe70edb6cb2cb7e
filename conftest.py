"""Test-session settings, loaded before any test module or doctest imports PyTorch."""

import os

# pytest -n 2 runs two workers on two cores, and the command-line tests start their own
# processes: PyTorch's default of one thread per core would put several threads on each
# core, and small nets then spend their time waiting on each other. Subprocesses inherit
# the setting.
os.environ.setdefault("OMP_NUM_THREADS", "1")
