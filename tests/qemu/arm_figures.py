#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Figures of the ARMv7 backend: image size, HYP stack and lines of code (rows
of tests/figures.py, asserted: exit status 1 beyond a budget), and the
hypervisor's instructions per trap, counted by a QEMU TCG plugin
(tests/qemu/insn_count.c) on vCPU 0 between the root-cell manager's bench
markers (manager option MANAGER_BENCH: 1000 traps of each kind, then 1000
injected interrupts of each of two kinds: a virtual SGI the manager sends
itself, and the virtual timer's physical PPI; the manager takes each and
ends it at the virtual CPU interface), judged against issue #18's budgets
(BUDGETS, asserted too).

Run from the top directory after ./run build:
    python3 tests/qemu/arm_figures.py        (or: scons arm-figures)
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import figures  # noqa: E402
import insn_count  # noqa: E402

KERNEL = 'build/armv7/warden.elf'
MANAGER = 'build/armv7/manager.elf'
HV_LO, HV_HI = 0x4f000000, 0x50000000  # hypervisor memory (system.dts)
LOOPS = 1000  # MANAGER_BENCH_LOOPS
NM = 'arm-none-eabi-nm'
PROF_SIZE = 0x40000  # the image's code, profiled per instruction
PHASES = ['hypercall (HYPERVISOR_GET_INFO)',
          'MMIO read, emulated (GICD_TYPER)',
          'MMIO write, irqchip check + forward (GICD_ISENABLER1)',
          'IRQ injection, virtual SGI to self: GICD_SGIR trap + '
          'list register',
          'IRQ injection, virtual timer PPI 27: physical IRQ + '
          'list register + EOI maintenance IRQ']
# Issue #18's budgets, per trap or injected interrupt, in the order of
# PHASES: asserted (the script exits 1 when one is exceeded, so does
# `scons arm-figures`); docs/arm.md, "Figures", says why each is what it is.
BUDGETS = [150, 200, 300, 500, 600]
# The rows' names (the table's first column is 56 wide).
ROWS = ['hypercall (HYPERVISOR_GET_INFO)',
        'GICD read, emulated (GICD_TYPER)',
        'GICD write, pin check + forward (GICD_ISENABLER1)',
        'virtual SGI to self (SGIR trap + list register)',
        'timer PPI 27 (IRQ + list register + EOI maint. IRQ)']


def image_rows():
    """The image's rows (#18): its size by arm-none-eabi-size beside
    Jailhouse's ARMv7 image (built -Os), the worst case of its HYP stack
    (build/armv7/warden.stack, scripts/stack_depth.py) and its lines of
    code as the build counts them (build/armv7/warden.lines; the build
    asserts their ceiling, SConstruct's LINES_CEILING['armv7'])."""
    out = subprocess.run(['arm-none-eabi-size', KERNEL],
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    text, data, bss = (int(v) for v in out.splitlines()[1].split()[:3])
    figures.section('ARMv7 image %s (arm-none-eabi-size; Thumb-2, -Os; '
                    'anchor: Jailhouse ARMv7, -Os)' % KERNEL)
    figures.row('image text (.text, .rodata, relocations)', text,
                budget=48 * 1024, anchor=47800, unit='bytes')
    figures.row('image data', data, unit='bytes')
    figures.row('image bss (8 HYP stacks, console ring, tables)', bss,
                budget=48 * 1024, anchor=16596, unit='bytes')
    with open(KERNEL[:-4] + '.stack') as f:
        f.readline()
        n, size, guard, fault = (int(v) for v in f.readline().split())
    figures.row('HYP stack worst case (call graph; stack %d - guard %d)'
                % (size, guard), n if n >= 0 else None, budget=size - guard,
                unit='bytes', note='a HYP fault on top: +%d' % fault)
    with open(KERNEL[:-4] + '.lines') as f:
        m = re.search(r': (\d+) lines of code \(cloc; target (\d+): ([^)]*)\)',
                      f.readline())
    with open('SConstruct') as f:
        ceiling = int(re.search(r"LINES_CEILING\['armv7'\] = (\d+)",
                                f.read()).group(1))
    figures.row('lines of code built into the image (cloc; ceiling)',
                int(m.group(1)), budget=ceiling, unit='lines',
                note='target %s: %s' % (m.group(2), m.group(3)))


def qemu_run(profile):
    """One boot: (bench marks' counts, [per-phase {pc: count}])."""
    plugin = insn_count.argument(
        HV_LO, HV_HI, insn_count.symbol(MANAGER, 'bench_mark', NM),
        PROF_SIZE if profile else None)
    cmd = ['qemu-system-arm', '-M', 'virt,virtualization=on,gic-version=2',
           '-cpu', 'cortex-a15', '-smp', '4', '-m', '256', '-nographic',
           '-semihosting', '-no-reboot', '-kernel', KERNEL,
           '-device', 'loader,file=build/configs/qemu-arm-virt/system.cell,'
           'addr=0x40800000,force-raw=on',
           '-device', 'loader,file=build/armv7/manager.bin,addr=0x40100000,'
           'force-raw=on',
           '-device', 'loader,addr=0x4081f000,data=0x2,data-len=4',
           '-plugin', plugin, '-d', 'plugin']
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode(errors='replace')
    marks, profs = insn_count.parse(out)
    if p.returncode != 0 or len(marks) != len(PHASES) + 1:
        sys.stdout.write(out[-4000:])
        raise SystemExit('arm_figures: QEMU run failed (exit %d, %d marks)'
                         % (p.returncode, len(marks)))
    return marks, profs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--profile', nargs='?', const=15, type=int,
                    metavar='N', help='the N costliest functions of each '
                    'phase instead (per trap)')
    opts = ap.parse_args()
    for path in (KERNEL, MANAGER):
        if not os.path.exists(path):
            raise SystemExit('arm_figures: %s missing (./run build)' % path)
    if opts.profile:
        insn_count.build()
        insn_count.print_profile(insn_count.symbols(KERNEL, NM), PHASES,
                                  qemu_run(True)[1], opts.profile, LOOPS,
                                  'trap')
        return 0
    image_rows()

    if not shutil.which('qemu-system-arm'):
        print('  hypervisor instructions per trap: not counted, '
              'qemu-system-arm not found')
        return figures.exit_status()
    insn_count.build()
    marks, _ = qemu_run(False)
    figures.section('ARMv7, hypervisor instructions per trap or injected '
                    'interrupt (QEMU TCG plugin, vCPU 0, %d each)' % LOOPS)
    for i, (name, budget) in enumerate(zip(ROWS, BUDGETS)):
        n = marks[i + 1] - marks[i]
        figures.row(name, n // LOOPS if n % LOOPS == 0 else n / LOOPS,
                    budget=budget, unit='insns')
    return figures.exit_status()


if __name__ == '__main__':
    sys.exit(main())
