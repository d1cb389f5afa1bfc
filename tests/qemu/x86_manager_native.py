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
  bochs    the same as native on Bochs 2.7 (ryzen, 2 CPUs, no BIOS): the
           project's boot ROM (build/x86/bootrom.bin) enters the manager
           from the disk image x86_manager.py writes; Bochs ends at the
           shutdown port 0x8900 (exit status 1, "shutdown requested" in
           its log)

Run from the top directory:  python3 tests/qemu/x86_manager_native.py [-v]
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import x86_manager  # the Bochs boot: its disk image and VGA ROM

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
NATIVE_LINES = [
    r'^\[check\] manager.no-hypervisor: pass \(expected\)$',
    r'^\[manager\] xAPIC TPR = 0x20 after writing 0x20$',
    r'^\[check\] manager.xapic-tpr: pass$',
    r'^\[manager\] PCI 00:00.0 through ports 0xcf8/0xcfc: '
    r'8086:(29c0|1237) \(address register 0x80000000\)$',
    r'^\[check\] manager.pci-ports: pass \(vendor 0x8086\)$',
    r'^\[manager\] INIT/SIPI\(1\) through the xAPIC ICR, '
    r'trampoline at 0x8000, 1 SIPI\(s\): counting: yes, CPU index 1$',
    r'^\[check\] manager.init-sipi: pass \(CPU index 1\)$',
    r'^\[verdict\] pass 4/4$',
]

RUNS = {
    'native': {
        'smp': 2,
        'args': MANAGER_NATIVE,
        'system': True,
        'status': 1,
        'lines': [BANNER, NO_WARDEN] + NATIVE_LINES + [
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
    'bochs': {
        'bochs': True,
        'args': MANAGER_NATIVE,
        'system': True,
        'status': 1,
        'lines': [
            BANNER,
            r'^\[manager\] no warden: CPUID leaf 0x40000000 says '
            r'"\(no hypervisor bit\)"$'] + NATIVE_LINES + [
            r'^\[manager\] power off: .*port 0x8900 \(Bochs shutdown\)$',
        ],
        'log': r'Shutdown port: shutdown requested',
    },
}


def command(run, rundir):
    if run.get('bochs'):
        return bochs_command(run, rundir)
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


def bochs_command(run, rundir):
    """Bochs without a BIOS: the boot ROM loads the manager, the system
    config and the options from the disk image and enters the manager's
    32-bit entry as a multiboot loader would. COM1 goes to stdout."""
    loads = []
    for path, addr in [(MANAGER, 0x100000)] + \
            ([(SYSTEM, BOOT_SYSTEM_CONFIG)] if run['system'] else []):
        with open(path, 'rb') as f:
            loads.append((addr, f.read()))
    if run['args']:
        loads.append((BOOT_MANAGER_ARGS, struct.pack('<I', run['args'])))
    image, cylinders = x86_manager.disk_image(0x100000, loads, '')
    with open(os.path.join(rundir, 'disk.img'), 'wb') as f:
        f.write(image)
    with open(os.path.join(rundir, 'vgarom.bin'), 'wb') as f:
        f.write(x86_manager.vga_rom())
    with open(os.path.join(rundir, 'cmds'), 'w') as f:
        f.write('c\nquit\n')
    rc = os.path.join(rundir, 'bochsrc')
    with open(rc, 'w') as f:
        f.write('\n'.join([
            'megs: 128',
            'cpu: model=ryzen, count=2, reset_on_triple_fault=0',
            'romimage: file=%s' % os.path.abspath(x86_manager.BOOTROM),
            'vgaromimage: file=%s/vgarom.bin' % rundir,
            'ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14',
            'ata0-master: type=disk, path=%s/disk.img, mode=flat, '
            'cylinders=%d, heads=16, spt=63' % (rundir, cylinders),
            'display_library: rfb, options="timeout=0"',
            'sound: driver=dummy',
            'com1: enabled=1, mode=file, dev=/dev/stdout',
            'log: %s/bochs.log' % rundir,
            'panic: action=fatal', 'error: action=report',
            'info: action=report', 'debug: action=ignore',
            'clock: sync=none, time0=local', '']))
    return ['bochs-bin', '-q', '-f', rc, '-rc', os.path.join(rundir, 'cmds')]


def check(name, run, cmd, proc, out, rundir, verbose):
    """The expected lines in order, nothing unexpected ([fatal]), the exit
    status, and for Bochs how it ended (its log)."""
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
        errors.append('exit status %d, want %d'
                      % (proc.returncode, run['status']))
    if run.get('log'):
        try:
            with open(os.path.join(rundir, 'bochs.log'), errors='replace') \
                    as f:
                log = f.read()
        except OSError:
            log = ''
        if not re.search(run['log'], log):
            errors.append('not in the Bochs log: %s' % run['log'])
    if errors or verbose:
        print('--- %s: %s' % (name, ' '.join(cmd)))
        print(out.rstrip())
    for e in errors:
        print('x86-manager-native %s: FAIL: %s' % (name, e))
    if not errors:
        print('x86-manager-native %s: %d lines matched, %s exit status %d'
              % (name, len(run['lines']),
                 'Bochs' if run.get('bochs') else 'QEMU', proc.returncode))
    return not errors


def main():
    verbose = '-v' in sys.argv[1:]
    names = [a for a in sys.argv[1:] if a != '-v'] or sorted(RUNS)
    for n in names:
        if n not in RUNS:
            print('x86-manager-native: no run %r (runs: %s)'
                  % (n, ' '.join(sorted(RUNS))))
            return 2
    top = tempfile.mkdtemp(prefix='x86-manager-native.')
    dirs = {n: os.path.join(top, n) for n in names}
    procs, cmds = {}, {}
    for n in names:
        os.mkdir(dirs[n])
        cmds[n] = command(RUNS[n], dirs[n])
        procs[n] = subprocess.Popen(cmds[n],
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL,
                                    universal_newlines=True,
                                    errors='replace')
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
        ok &= check(n, RUNS[n], cmds[n], p, out, dirs[n], verbose)
    if ok:
        shutil.rmtree(top)
    else:
        print('x86-manager-native: run directories kept in %s' % top)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
