#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The VT-x backend (build/x86-intel) on Bochs: x86_manager.py's runs on
the Intel machines (--machine vmx: corei7_haswell_4770 and
corei7_skylake_x with every warden run ready there, corei5_lynnfield_750
refused at enable), for `scons test` (docs/x86.md, "VT-x"). Arguments go
to x86_manager.py after --machine vmx."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('X86_MANAGER_PROG', 'x86_vmx.py')

import x86_manager  # noqa: E402

if __name__ == '__main__':
    sys.exit(x86_manager.main(['--machine', 'vmx'] + sys.argv[1:]))
