"""The instruction-count plugin (tests/qemu/insn_count.c) seen from Python,
for arm_figures.py and x86_figures.py: building it, the argument naming
the hypervisor's range and the manager's bench marker, reading its output
(the count at each mark, the per-PC counts of each phase) and a profile
of the counts per function of the image."""

import bisect
import os
import re
import subprocess

PLUGIN_SRC = 'tests/qemu/insn_count.c'
PLUGIN = 'build/qemu/insn_count.so'


def build():
    """The plugin, built if missing or older than its source."""
    os.makedirs(os.path.dirname(PLUGIN), exist_ok=True)
    if not os.path.exists(PLUGIN) or \
            os.path.getmtime(PLUGIN) < os.path.getmtime(PLUGIN_SRC):
        subprocess.run(['gcc', '-shared', '-fPIC', '-O2', '-Wall', '-Wextra',
                        '-Werror', '-o', PLUGIN, PLUGIN_SRC], check=True)


def symbols(elf, nm='nm'):
    """(address, name) of the functions of @elf, sorted."""
    out = subprocess.run([nm, '-n', elf], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    return [(int(f[0], 16), f[2]) for f in (ln.split()
            for ln in out.splitlines()) if len(f) == 3 and f[1] in 'tTwW']


def symbol(elf, name, nm='nm'):
    """The address of symbol @name of @elf (any kind)."""
    out = subprocess.run([nm, elf], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    for f in (ln.split() for ln in out.splitlines()):
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise SystemExit('insn_count: %s has no symbol %s' % (elf, name))


def argument(lo, hi, mark, prof_size=None):
    """QEMU's -plugin argument: count [lo, hi), report at @mark."""
    arg = '%s,lo=0x%x,hi=0x%x,mark=0x%x' % (PLUGIN, lo, hi, mark)
    return arg + (',prof=0x%x' % prof_size if prof_size else '')


def parse(out):
    """The plugin's lines in @out: (the count at each mark, one {pc: count}
    per phase between two marks)."""
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
    return marks, profs[1:]


def print_profile(syms, phases, profs, top, loops, per):
    """The @top functions of each phase by instructions per @per (trap,
    exit), of @loops each; @syms as symbols() gives them."""
    addrs = [a for a, _ in syms]
    for name, prof in zip(phases, profs):
        fns = {}
        for pc, n in prof.items():
            i = bisect.bisect_right(addrs, pc) - 1
            fn = syms[i][1] if i >= 0 else '?'
            fns[fn] = fns.get(fn, 0) + n
        print('  %s: %.1f per %s' % (name, sum(fns.values()) / loops, per))
        for fn, n in sorted(fns.items(), key=lambda x: -x[1])[:top]:
            print('    %8.1f  %s' % (n / loops, fn))
