#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Figures of the x86 AMD-V backend (issue #14, item 7; docs/x86.md,
"Figures"), as rows of the one figures table (tests/figures.py, #18):
image size, lines of code, and the hypervisor's instructions
per exit class, counted by the QEMU TCG plugin tests/qemu/insn_count.c
on vCPU 0 between the root-cell manager's bench markers (manager option
MANAGER_BENCH, arch-x86/manager/x86.c: 1000 exits of each class).

The machine is tests/qemu/x86_manager.py's QEMU q35 (TCG, SVM + nested
paging, 4 CPUs) with -icount shift=0,sleep=off: the counts are exact
and repeatable. The hypervisor's instructions are those whose address
is in its memory, 0x07000000-0x08000000 (configs/qemu-x86-amd: it runs
identity-mapped there; the cells never have it mapped, so no guest code
runs at those addresses). The run is made twice: the figures must be
equal, and each must be within its budget (PHASES, justified in
docs/x86.md), or this fails (exit 1).

Run from the top directory after ./run build:
    python3 tests/qemu/x86_figures.py      (or: scons x86-figures)
    python3 tests/qemu/x86_figures.py --profile [N]
        one run, then the N (default 15) functions with the most
        instructions per exit of each class
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import figures  # noqa: E402  tests/figures.py
import insn_count  # noqa: E402

KERNEL = 'build/x86-amd/warden'  # .elf (symbols, size), .elf32 (-kernel)
MANAGER = 'build/x86-amd/manager'  # .elf (bench_mark), .bin (loaded)
SYSTEM = 'build/configs/qemu-x86-amd/system.cell'
RUN_DIR = 'build/x86-figures'
HV_LO, HV_HI = 0x07000000, 0x08000000  # hypervisor memory (system.dts)
ROOT_ENTRY, SYSTEM_CONFIG, MANAGER_ARGS = 0x100000, 0x800000, 0x81f000
MANAGER_BENCH = 0x2
LOOPS = 1000  # MANAGER_BENCH_LOOPS
TIMEOUT = 120

# (name, budget: hypervisor instructions per exit). The budgets and
# their reasons are in docs/x86.md, "Figures".
PHASES = [
    ('hypercall (VMMCALL, HYPERVISOR_GET_INFO)', 700),
    ('MMIO read, xAPIC TPR (NPF, fetch, decode, forward)', 3000),
    ('MMIO write, xAPIC TPR (NPF, fetch, decode, forward)', 3100),
    ('MSR write, EFER (fetch for the length, policy)', 1900),
    ('ICR write, fixed self-IPI (2 exits: ICR_HI, ICR_LO)', 6200),
    ('port I/O read, 0xcfc (PCI config mechanism #1)', 800),
]

# The lines of code built into warden.elf, as the build counts them
# (SConstruct's image_lines, scripts/wardenbuild.py: the sources and
# headers in the objects' dependency files, cloc; the build fails beyond
# each image's ceiling, SConstruct's LINES_CEILING): each file's figure,
# under two comment lines. Both images: AMD-V (issue #14), VT-x (#15).
IMAGES = [(KERNEL, 'AMD-V', 'Jailhouse AMD 8,955'),
          ('build/x86-intel/warden', 'VT-x', 'Jailhouse VT-x 9,552')]


def sim_policy():
    """The x86 modules the simulator links too: SConstruct's X86_POLICY
    (arch-x86's, and arch-amd/insn_len.c), with the headers of the same
    names."""
    with open('SConstruct') as f:
        m = re.search(r'^X86_POLICY = \[([^]]*)\]', f.read(), re.M)
    out = []
    for src in re.findall(r"'([^']+)'", m.group(1) if m else ''):
        out += [p for p in (src, src[:-2] + '.h') if os.path.exists(p)]
    return out


LINES_TARGET = 7000


def print_lines(image, name, anchor):
    """The image's lines row (the target is the issue's; the build itself
    fails above SConstruct's LINES_CEILING), and what it counts."""
    if not os.path.exists(image + '.lines'):
        return
    with open(image + '.lines') as f:
        text = f.read().splitlines()
    files = dict((path, int(n)) for n, path in
                 (l.split() for l in text if not l.startswith('#')))
    policy = [p for p in sim_policy() if p in files]
    total = int(re.search(r': (\d+) lines of code', text[0]).group(1))
    figures.row('%s image, lines of code (cloc, core+hal+arch)' % name,
                total, budget=LINES_TARGET, anchor=anchor, unit='lines',
                assert_=False, note='the build fails above its ceiling')
    figures.note('%s; %s;' % (text[0][2:].split(' in ', 1)[1]
                              .split(': ', 1)[1], text[1][2:]))
    figures.note('%d in the x86 modules the simulator links too (%s)' %
                 (sum(files[p] for p in policy),
                  ' '.join(os.path.basename(p)[:-2] for p in policy
                           if p.endswith('.c'))))


def qemu_run(profile):
    """One boot: (per-phase counts, [per-phase {pc: count}], console)."""
    os.makedirs(RUN_DIR, exist_ok=True)
    com1 = os.path.join(RUN_DIR, 'com1.txt')
    plugin = insn_count.argument(
        HV_LO, HV_HI, insn_count.symbol(MANAGER + '.elf', 'bench_mark'),
        HV_HI - HV_LO if profile else None)
    cmd = ['qemu-system-x86_64', '-M', 'q35', '-accel', 'tcg',
           '-icount', 'shift=0,sleep=off',
           '-cpu', 'qemu64,+svm,+npt', '-smp', '4', '-m', '128',
           '-vga', 'none', '-display', 'none', '-monitor', 'none',
           '-no-reboot', '-serial', 'file:' + com1, '-serial', 'null',
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
           '-kernel', KERNEL + '.elf32', '-append', 'exit=qemu',
           '-device', 'loader,file=%s.bin,addr=0x%x,force-raw=on'
           % (MANAGER, ROOT_ENTRY),
           '-device', 'loader,file=%s,addr=0x%x,force-raw=on'
           % (SYSTEM, SYSTEM_CONFIG),
           '-device', 'loader,addr=0x%x,data=0x%x,data-len=4'
           % (MANAGER_ARGS, MANAGER_BENCH),
           '-plugin', plugin, '-d', 'plugin']
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SystemExit('x86_figures: QEMU did not end within %d s'
                         % TIMEOUT)
    out = p.stdout.decode(errors='replace')
    with open(com1, errors='replace') as f:
        console = f.read()
    marks, profs = insn_count.parse(out)
    # QEMU's exit status 1 is the manager's verdict "pass" (0 << 1 | 1).
    if p.returncode != 1 or len(marks) != len(PHASES) + 1 or \
            '[manager] bench: done' not in console:
        sys.stdout.write(out[-2000:] + console[-2000:])
        raise SystemExit('x86_figures: QEMU run failed (exit status %d, '
                         '%d of %d marks)' % (p.returncode, len(marks),
                                              len(PHASES) + 1))
    counts = [marks[i + 1] - marks[i] for i in range(len(PHASES))]
    return counts, profs, console


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--profile', nargs='?', const=15, type=int,
                    metavar='N', help='functions per exit class instead')
    opts = ap.parse_args()
    for path in (KERNEL + '.elf', KERNEL + '.elf32', MANAGER + '.elf',
                 MANAGER + '.bin', SYSTEM):
        if not os.path.exists(path):
            raise SystemExit('x86_figures: %s missing (./run build)' % path)
    if opts.profile:
        if not shutil.which('qemu-system-x86_64'):
            raise SystemExit('x86_figures: qemu-system-x86_64 not found')
        insn_count.build()
        insn_count.print_profile(
            insn_count.symbols(KERNEL + '.elf'), [n for n, _ in PHASES],
            qemu_run(True)[1], opts.profile, LOOPS, 'exit')
        return 0

    figures.section('x86 images (AMD-V: build/x86-amd, VT-x: '
                    'build/x86-intel)')
    for image, name, anchor in IMAGES:
        if not os.path.exists(image + '.elf'):
            continue
        size = subprocess.run(['size', image + '.elf'],
                              stdout=subprocess.PIPE, universal_newlines=True,
                              check=True).stdout.splitlines()[1].split()
        figures.row('%s image .text' % name, int(size[0]), unit='bytes')
        figures.row('%s image .data' % name, int(size[1]), unit='bytes')
        figures.row('%s image .bss' % name, int(size[2]), unit='bytes')
        figures.row('%s warden.bin' % name, os.path.getsize(image + '.bin'),
                    unit='bytes')
        print_lines(image, name, anchor)
    figures.section('x86 AMD-V, hypervisor instructions per exit (QEMU TCG '
                    'plugin, vCPU 0, %d each, -icount, two runs)' % LOOPS)
    if not shutil.which('qemu-system-x86_64'):
        for name, budget in PHASES:
            figures.row(name, None, budget=budget, unit='insns',
                        assert_=False, note='qemu-system-x86_64 not found')
        return figures.exit_status()
    insn_count.build()
    first = qemu_run(False)[0]
    second = qemu_run(False)[0]
    for (name, budget), a, b in zip(PHASES, first, second):
        if a != b:
            figures.row(name, None, budget=budget, unit='insns',
                        note='NOT REPEATABLE: %.1f, then %.1f' %
                        (a / LOOPS, b / LOOPS))
        else:
            figures.row(name, a / LOOPS, budget=budget, unit='insns')
    return figures.exit_status()


if __name__ == '__main__':
    sys.exit(main())
