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
import bisect
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import figures  # noqa: E402

KERNEL = 'build/armv7/warden.elf'
MANAGER = 'build/armv7/manager.elf'
PLUGIN_SRC = 'tests/qemu/insn_count.c'
PLUGIN = 'build/qemu/insn_count.so'
HV_LO, HV_HI = 0x4f000000, 0x50000000  # hypervisor memory (system.dts)
LOOPS = 1000  # MANAGER_BENCH_LOOPS
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


def symbol(elf, name):
    out = subprocess.run(['arm-none-eabi-nm', elf], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise SystemExit('arm_figures: %s has no symbol %s' % (elf, name))


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


def symbols(elf):
    """(address, name) of the functions of @elf, sorted."""
    out = subprocess.run(['arm-none-eabi-nm', '-n', elf],
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    return [(int(f[0], 16), f[2]) for f in (ln.split()
            for ln in out.splitlines()) if len(f) == 3 and f[1] in 'tTwW']


def build_plugin():
    os.makedirs(os.path.dirname(PLUGIN), exist_ok=True)
    if not os.path.exists(PLUGIN) or \
            os.path.getmtime(PLUGIN) < os.path.getmtime(PLUGIN_SRC):
        subprocess.run(['gcc', '-shared', '-fPIC', '-O2', '-Wall', '-Wextra',
                        '-Werror', '-o', PLUGIN, PLUGIN_SRC], check=True)


def qemu_run(profile):
    """One boot: (bench marks' counts, [per-phase {pc: count}])."""
    plugin = '%s,lo=0x%x,hi=0x%x,mark=0x%x' % (
        PLUGIN, HV_LO, HV_HI, symbol(MANAGER, 'bench_mark'))
    if profile:
        plugin += ',prof=0x%x' % PROF_SIZE
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
    marks, profs, prof = [], [], {}
    for line in out.splitlines():
        m = re.match(r'insn_count: mark \d+ hyp (\d+)$', line)
        if m:
            marks.append(int(m.group(1)))
            profs.append(prof)
            prof = {}
            continue
        m = re.match(r'insn_count: pc 0x([0-9a-f]+) (\d+)$', line)
        if m:
            prof[int(m.group(1), 16)] = int(m.group(2))
    if p.returncode != 0 or len(marks) != len(PHASES) + 1:
        sys.stdout.write(out[-4000:])
        raise SystemExit('arm_figures: QEMU run failed (exit %d, %d marks)'
                         % (p.returncode, len(marks)))
    return marks, profs[1:]


def print_profile(profs, top):
    """The @top functions of each phase by instructions per trap."""
    syms = symbols(KERNEL)
    addrs = [a for a, _ in syms]
    for name, prof in zip(PHASES, profs):
        per = {}
        for pc, n in prof.items():
            i = bisect.bisect_right(addrs, pc) - 1
            fn = syms[i][1] if i >= 0 else '?'
            per[fn] = per.get(fn, 0) + n
        print('  %s: %.1f per trap' % (name, sum(per.values()) / LOOPS))
        for fn, n in sorted(per.items(), key=lambda x: -x[1])[:top]:
            print('    %8.1f  %s' % (n / LOOPS, fn))


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
        build_plugin()
        print_profile(qemu_run(True)[1], opts.profile)
        return 0
    image_rows()

    if not shutil.which('qemu-system-arm'):
        print('  hypervisor instructions per trap: not counted, '
              'qemu-system-arm not found')
        return figures.exit_status()
    build_plugin()
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
