#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The worst-case HYP stack depth of the ARMv7 image (issue #18; docs/arm.md,
"Figures"), from the compiler's call graph: each object of the image is
compiled with -fcallgraph-info=su, whose .ci file (next to the .o) gives
every function's frame in bytes and its direct calls. The deepest path from
each entry of arch-armv7/entry.S, plus what entry.S pushes before it calls
C, is the figure (what a fault in HYP at that depth would add, a
hypervisor bug that stops the machine, is printed beside it; the guard
catches it: docs/arm.md). An indirect call counts
as the deepest function its caller may reach through the pointer (INDIRECT),
and every function whose address the image's objects take (a relocation that
is not a call) must be one of those. A function with a dynamic frame, a
cycle in the graph (recursion) or a callee neither compiled with the call
graph nor listed in ASM below makes the figure unknown (None), never a
guess; a function that calls itself counts as often as RECURSIVE says.

    python3 scripts/stack_depth.py build/armv7/warden.elf \
        arch-armv7/arm.h build/armv7/warden.stack OBJ...

(arch-armv7/SConscript runs it after each link of the image: the build
fails when the figure is unknown or deeper than ARM_STACK_SIZE less
ARM_STACK_GUARD; tests/qemu/arm_figures.py prints build/armv7/warden.stack.)
"""

import os
import re
import subprocess
import sys

# What entry.S pushes on the HYP stack before it calls each C entry.
ENTRIES = {
    'arm_handle_trap': 56,     # hyp_trap: r0-r12, lr
    'arm_handle_irq': 56,      # hyp_irq_entry: r0-r12, lr
    'arm_boot_main': 0,        # _start: a fresh stack
    'arm_secondary_main': 0,   # secondary_start: a fresh stack
    'arm_linux_main': 60,      # linux_entry: sp, r2-r12, lr, ELR, SPSR
}
# A fault inside HYP lands in hyp_bad on the stack it had: counted on top
# of the deepest entry.
FAULT = 'arm_hyp_exception'
# The functions written in assembly (entry.S) or taken from libgcc: their
# frames and calls, read from their code.
ASM = {
    'arm_smc': (36, []),                # push {r4-r11, lr}
    'arm_enter_guest': (0, []),
    'arm_semihosting_exit': (0, []),
    '__aeabi_uldivmod': (16, ['__udivmoddi4']),
    '__aeabi_ldivmod': (16, ['__udivmoddi4']),
    '__ctzdi2': (0, []),
    '__popcountdi2': (0, []),
    '__udivmoddi4': (28, []),           # push {r4-r9, lr}
    '__aeabi_idiv0': (0, []),
    '__aeabi_ldiv0': (0, []),
}
# Functions that call themselves (directly or not), and how many instances
# of each can nest: the stage-2 table walks (a level-1 table down to level
# 3); a cell's failure parks its CPUs, and each CPU lost on the way fails
# the cell again (core/cpu.c, cpu_lost): once per CPU of the cell at most,
# as a CPU is lost once (ARM_MAX_CPUS).
RECURSIVE = {
    'arch-armv7/paging.c:s2_set': 3,
    'arch-armv7/paging.c:free_table': 3,
    'cell_fail': 8, 'percpu_park': 8, 'core/cpu.c:cpu_lost': 8,
}
# The indirect calls: the functions each caller's calls through a pointer
# may reach, by the pointer's type (every function whose address the
# image takes must be listed here, else the figure is unknown).
INDIRECT = {
    'core_hypercall': ['cell_create', 'cell_start', 'cell_set_loadable',
                       'cell_destroy'],           # cell_calls[]
    'core_mmio': ['core/memory.c:device_access', 'core/pci.c:msix_trap',
                  'pci_cfg_access',
                  'core/ivshmem.c:bar_access'],   # mmio_handler_t
    'arch-armv7/gicd.c:pin_fields': ['arch-armv7/gic.c:owns'],  # .owns
}
CALLS = re.compile(r'R_ARM_(THM_)?(CALL|JUMP\d+|PC24|XPC25)$')


def read_graph(objects):
    """{function: frame bytes or None (dynamic)}, {function: callees}:
    static functions are named FILE:NAME in the .ci files, calls to them
    too; any other name is global."""
    frames, calls = {}, {}
    for obj in objects:
        ci = os.path.splitext(obj)[0] + '.ci'
        if not os.path.exists(ci):
            continue
        with open(ci) as f:
            for line in f:
                m = re.match(r'node: \{ title: "([^"]+)" label: "[^"]*\\n'
                             r'(\d+) bytes \(([a-z,]+)\)"', line)
                if m:
                    frames[m.group(1)] = (int(m.group(2))
                                          if m.group(3) == 'static'
                                          else None)
                    calls.setdefault(m.group(1), [])
                m = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: '
                             r'"([^"]+)"', line)
                if m:
                    calls.setdefault(m.group(1), []).append(m.group(2))
    return frames, calls


def address_taken(objects, frames):
    """The functions of @frames whose address a non-call relocation of
    @objects takes (with -ffunction-sections, a static function's is
    against its section .text.NAME)."""
    taken = set()
    by_name = {}
    for title in frames:
        by_name.setdefault(title.split(':')[-1], []).append(title)
    for obj in objects:
        out = subprocess.run(['arm-none-eabi-readelf', '-rW', obj],
                             stdout=subprocess.PIPE, universal_newlines=True,
                             check=True).stdout
        debug = False
        for line in out.splitlines():
            m = re.match(r"Relocation section '([^']+)'", line)
            if m:  # not the debug info's, nor the unwind tables'
                debug = m.group(1).startswith(('.rel.debug', '.rel.ARM.'))
            f = line.split()
            if debug or len(f) < 5 or not f[0][:1].isdigit() or \
                    CALLS.match(f[2]):
                continue
            sym = f[4]
            if sym.startswith('.text.'):
                sym = sym[len('.text.'):]
            src = os.path.splitext(obj)[0]
            for title in by_name.get(sym, []):
                if ':' not in title or src.endswith(
                        os.path.splitext(title.split(':')[0])[0]):
                    taken.add(title)
    return taken


def worst_case(objects):
    """(bytes, path, fault) of the deepest HYP stack use from the entries
    and what a fault in HYP adds on top, or (None, why, None)."""
    frames, calls = read_graph(objects)
    for name, (frame, callees) in ASM.items():
        frames.setdefault(name, frame)
        calls.setdefault(name, callees)
    listed = set(t for ts in INDIRECT.values() for t in ts)
    unlisted = sorted(address_taken(objects, frames) - listed)
    if unlisted:
        return None, 'address taken, not in INDIRECT: %s' % unlisted
    memo = {}
    nested = sorted(RECURSIVE)

    def depth(fn, path):
        if fn in path and fn not in RECURSIVE:
            raise ValueError('recursion: %s' % ' > '.join(path + [fn]))
        if path.count(fn) >= RECURSIVE.get(fn, 1):
            return (0, [])  # no deeper than that
        key = (fn, tuple(path.count(r) for r in nested))
        if key in memo:
            return memo[key]
        frame = frames.get(fn)
        if fn not in frames:
            raise ValueError('%s: no call graph (%s)' % (fn, ' > '.join(
                path)))
        if frame is None:
            raise ValueError('%s: dynamic frame' % fn)
        best = (0, [])
        for callee in calls.get(fn, []):
            if callee == '__indirect_call' and fn not in INDIRECT:
                raise ValueError('%s: an indirect call not in INDIRECT' % fn)
            for t in INDIRECT[fn] if callee == '__indirect_call' else [
                    callee]:
                d = depth(t, path + [fn])
                if d[0] > best[0]:
                    best = (d[0], (['(indirect)'] if callee != t else []) +
                            d[1])
        memo[key] = (frame + best[0], [fn] + best[1])
        return memo[key]

    try:
        deepest = max(((pushed + depth(fn, [])[0], depth(fn, [])[1])
                       for fn, pushed in ENTRIES.items()), key=lambda d:
                      d[0])
        fault = depth(FAULT, [])
    except ValueError as e:
        return None, str(e), None
    return deepest[0], deepest[1], fault[0]


def stack_size(header):
    """ARM_STACK_SIZE and ARM_STACK_GUARD of arch-armv7/arm.h."""
    with open(header) as f:
        text = f.read()
    return [int(re.search(r'#define %s (\w+)' % n, text).group(1), 0)
            for n in ('ARM_STACK_SIZE', 'ARM_STACK_GUARD')]


def check(elf, objects, header, out):
    """Write the figure to @out; 1 if unknown or deeper than the stack
    (ARM_STACK_SIZE less its guard), else 0."""
    n, path, fault = worst_case(objects)
    size, guard = stack_size(header)
    if n is None:
        line = '%s: HYP stack depth unknown: %s' % (elf, path)
    else:
        line = ('%s: HYP stack worst case %d bytes (call graph), stack %d '
                'bytes less its guard %d: %d; a fault in HYP at that depth '
                'adds %d' % (elf, n, size, guard, size - guard, fault))
    with open(out, 'w') as f:
        f.write('# %s\n' % line)
        f.write('%d %d %d %d\n' % (n or -1, size, guard, fault or -1))
        f.write('%s\n' % ' > '.join(path if n is not None else []))
    if n is None or n > size - guard:
        print(line + (': TOO DEEP' if n is not None else ''))
        return 1
    return 0


def main(argv):
    if len(argv) < 4:
        print('usage: stack_depth.py ELF HEADER OUT OBJ...')
        return 2
    rc = check(argv[1], argv[4:], argv[2], argv[3])
    with open(argv[3]) as f:
        print(f.readline()[2:].rstrip())
        f.readline()
        print('  ' + f.readline().rstrip())
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv))
