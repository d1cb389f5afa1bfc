#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QEMU test of the ARMv7 backend: boot build/armv7/warden.elf in HYP mode
on qemu-system-arm's virt machine with the system config, the root-cell
manager, tiny's config and tiny's image preloaded (docs/arm.md), and check
the console: warden enables, the manager's hypercalls are answered, the
trapped GIC distributor is emulated, tiny is created, runs on CPU 3 and is
destroyed, and the manager powers the machine off with a passing verdict.

Run from the top directory:  python3 tests/qemu/arm_manager.py [-v]
Exit 0 on success; on failure, why (timeout, missing line, QEMU status)
and the captured console.
"""

import os
import re
import subprocess
import sys

TIMEOUT = 20  # s: a run takes well under 1 s of wall time

# What QEMU loads where (arch-armv7/boot.h).
FILES = [
    ('build/configs/qemu-arm-virt/system.cell', 0x40800000),
    ('build/armv7/manager.bin', 0x40100000),
    ('build/configs/qemu-arm-virt/tiny.cell', 0x40810000),
    ('build/inmates/armv7/tiny.bin', 0x40820000),
]
KERNEL = 'build/armv7/warden.elf'
CELL_IMAGE_MAX = 0x40000  # BOOT_CELL_IMAGE_MAX: what the manager copies

# Lines that must appear, in this order (regular expressions).
EXPECT = [
    r'^warden: ARMv7 HYP entry on CPU 0 ',
    r'^warden: enabled, root cell "qemu-arm-virt", 4 CPU\(s\)$',
    r'^warden: CPU 3 online \(waiting for PSCI CPU_ON\)$',
    r'^warden: entering the root cell at 0x40100000$',
    r'^\[manager\] HYPERVISOR_GET_INFO\(MEM_POOL_SIZE\) = \d+$',
    r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
    r'^\[manager\] unknown hypercall 77 = -38$',
    r'^\[manager\]   reason 42 item 0x4d: unknown hypercall',
    # Trapped stage-2 MMIO accesses to the distributor, emulated.
    r'^\[manager\] GICD_TYPER = 0x[0-9a-f]+ \(trapped, emulated\)$',
    r'^\[manager\] GICD_ISENABLER1 = 0x2 after enabling SPI 33$',
    r'^warden: created cell "tiny" \(id 1\)$',
    r'^\[manager\] CELL_CREATE = 1$',
    r'^\[manager\] CELL_SET_LOADABLE = 0$',
    r'^warden: started cell "tiny"$',
    r'^\[tiny\] Hello from tiny on armv7, CPU 3$',
    r'^\[tiny\] \[verdict\] pass 4/4$',
    r'^\[manager\] CELL_GET_STATE = 0$',
    r'^warden: destroyed cell "tiny"$',
    r'^\[manager\] CELL_DESTROY = 0$',
    r'^\[verdict\] pass (\d+)/\1$',
    r'^warden: PSCI SYSTEM_OFF from the root cell$',
]
FORBIDDEN = [r'HYPERVISOR PANIC', r'machine stopped', r'\[check\] .*: fail',
             r'\[fatal\]', r'FAILED']


def qemu_command():
    cmd = ['qemu-system-arm', '-M', 'virt,virtualization=on,gic-version=2',
           '-cpu', 'cortex-a15', '-smp', '4', '-m', '256', '-nographic',
           '-semihosting', '-no-reboot', '-kernel', KERNEL]
    for path, addr in FILES:
        cmd += ['-device', 'loader,file=%s,addr=0x%x,force-raw=on'
                % (path, addr)]
    return cmd


def fail(why, console):
    sys.stdout.write('qemu-arm-manager: FAILED: %s\n' % why)
    sys.stdout.write('---- console ----\n%s\n---- end ----\n' % console)
    return 1


def main():
    verbose = '-v' in sys.argv[1:]
    for path in [KERNEL] + [p for p, _ in FILES]:
        if not os.path.exists(path):
            return fail('%s missing (build first: ./run build)' % path, '')
    size = os.path.getsize('build/inmates/armv7/tiny.bin')
    if size > CELL_IMAGE_MAX:
        return fail('tiny.bin is %d bytes, the manager copies %d'
                    % (size, CELL_IMAGE_MAX), '')
    cmd = qemu_command()
    if verbose:
        print(' '.join(cmd))
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT)
        out, status = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, status = e.stdout or b'', None
    except OSError as e:
        return fail('cannot run qemu-system-arm: %s' % e, '')
    console = out.decode(errors='replace').replace('\r', '')
    lines = console.split('\n')
    if verbose:
        sys.stdout.write(console)
    if status is None:
        return fail('timeout after %d s' % TIMEOUT, console)
    if status != 0:
        return fail('QEMU exit status %d' % status, console)
    for pattern in FORBIDDEN:
        bad = [line for line in lines if re.search(pattern, line)]
        if bad:
            return fail('unexpected line: %s' % bad[0], console)
    pos = 0
    for pattern in EXPECT:
        while pos < len(lines) and not re.search(pattern, lines[pos]):
            pos += 1
        if pos == len(lines):
            return fail('missing line (in this order): %s' % pattern,
                        console)
        pos += 1
    print('qemu-arm-manager: %d lines matched, QEMU exit status 0'
          % len(EXPECT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
