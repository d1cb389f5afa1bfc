#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The x86 root-cell manager without the hypervisor (docs/x86.md,
"Root-cell manager"): QEMU q35 boots build/x86-amd/manager.bin directly
as a multiboot kernel (32-bit protected mode at 0x100000, as warden enters
the root cell), and the manager must find no warden, start its spare CPU
by INIT/SIPI through the xAPIC with its real-mode trampoline, and power
the machine off through isa-debug-exit with its verdict line.

Runs (each with a hard timeout):
  native   -smp 2, the system config at 0x800000, MANAGER_NATIVE: the
           verdict passes, QEMU exits 1 (isa-debug-exit value 0)
  expected -smp 1, no options: the manager expected warden, so its
           verdict fails and QEMU exits 3 (value 1)

Run from the top directory:  python3 tests/qemu/x86_manager_native.py [-v]
"""

import re
import subprocess
import sys
import time

TIMEOUT = 60
MANAGER = 'build/x86-amd/manager.bin'
SYSTEM = 'build/configs/qemu-x86-amd/system.cell'
BOOT_SYSTEM_CONFIG = 0x800000
BOOT_MANAGER_ARGS = 0x81f000
MANAGER_NATIVE = 0x20  # inmates/manager/manager_args.h

BANNER = r'^\[manager\] root-cell manager on x86_64, APIC id 0, ' \
    r'\S+, vmm?call, TSC \d+ kHz$'
NO_WARDEN = r'^\[manager\] no warden: CPUID leaf 0x40000000 says ' \
    r'"TCGTCGTCGTCG"$'

RUNS = {
    'native': {
        'smp': 2,
        'args': MANAGER_NATIVE,
        'system': True,
        'status': 1,
        'lines': [
            BANNER, NO_WARDEN,
            r'^\[check\] manager.no-hypervisor: pass \(expected\)$',
            r'^\[manager\] xAPIC TPR = 0x20 after writing 0x20$',
            r'^\[check\] manager.xapic-tpr: pass$',
            r'^\[manager\] INIT/SIPI\(1\) through the xAPIC ICR, '
            r'trampoline at 0x8000, 1 SIPI\(s\): counting: yes, '
            r'CPU index 1$',
            r'^\[check\] manager.init-sipi: pass \(CPU index 1\)$',
            r'^\[verdict\] pass 3/3$',
            r'^\[manager\] power off: port 0xf4 \(QEMU isa-debug-exit, '
            r'status 1\)',
        ],
    },
    'expected': {
        'smp': 1,
        'args': 0,
        'system': False,
        'status': 3,
        'lines': [
            BANNER, NO_WARDEN,
            r'^\[check\] manager.no-hypervisor: fail \(warden expected\)$',
            r'^\[verdict\] fail 0/1$',
            r'^\[manager\] power off: port 0xf4 \(QEMU isa-debug-exit, '
            r'status 3\)',
        ],
    },
}


def command(run):
    cmd = ['qemu-system-x86_64', '-M', 'q35', '-accel', 'tcg',
           '-cpu', 'qemu64,+svm,+npt', '-smp', str(run['smp']), '-m', '128',
           '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
           '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
           '-kernel', MANAGER]
    if run['system']:
        cmd += ['-device', 'loader,file=%s,addr=0x%x,force-raw=on'
                % (SYSTEM, BOOT_SYSTEM_CONFIG)]
    if run['args']:
        cmd += ['-device', 'loader,addr=0x%x,data=0x%x,data-len=4'
                % (BOOT_MANAGER_ARGS, run['args'])]
    return cmd


def check(name, run, proc, out, verbose):
    """The expected lines in order, nothing after the power-off line but
    nothing unexpected either ([fatal]), and the exit status."""
    lines = [l.rstrip('\r') for l in out.splitlines()]
    errors = []
    pos = 0
    for pat in run['lines']:
        while pos < len(lines) and not re.search(pat, lines[pos]):
            pos += 1
        if pos == len(lines):
            errors.append('missing (in order): %s' % pat)
            break
        pos += 1
    errors += ['unexpected: %s' % l for l in lines if '[fatal]' in l]
    if proc is None:
        errors.append('no exit within %d s (hard timeout)' % TIMEOUT)
    elif proc.returncode != run['status']:
        errors.append('QEMU exit status %d, want %d'
                      % (proc.returncode, run['status']))
    if errors or verbose:
        print('--- %s: %s' % (name, ' '.join(command(run))))
        print(out.rstrip())
    for e in errors:
        print('x86-manager-native %s: FAIL: %s' % (name, e))
    if not errors:
        print('x86-manager-native %s: %d lines matched, QEMU exit status %d'
              % (name, len(run['lines']), proc.returncode))
    return not errors


def main():
    verbose = '-v' in sys.argv[1:]
    names = [a for a in sys.argv[1:] if a != '-v'] or sorted(RUNS)
    for n in names:
        if n not in RUNS:
            print('x86-manager-native: no run %r (runs: %s)'
                  % (n, ' '.join(sorted(RUNS))))
            return 2
    procs = {n: subprocess.Popen(command(RUNS[n]), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL,
                                 universal_newlines=True)
             for n in names}
    ok = True
    deadline = time.time() + TIMEOUT
    for n in names:
        p = procs[n]
        try:
            out, _ = p.communicate(timeout=max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            p = None
        ok &= check(n, RUNS[n], p, out, verbose)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
