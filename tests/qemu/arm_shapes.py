#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The board-shape matrix of the ARMv7 backend: for each shape of QEMU's
virt machine (CPUs, RAM), at test time

  1. QEMU dumps the board's DTB (-machine virt,dumpdtb=...);
  2. warden-config create --from-dtb writes the system config (hypervisor
     memory at the top of RAM: a different place for each RAM size), which
     warden-config compile compiles;
  3. tiny's config (configs/qemu-arm-virt/tiny.dts) is adjusted to the
     board: its CPU is the last one, its 1 MiB of RAM the 16 MiB below the
     hypervisor's memory; compiled too;
  4. warden.bin is loaded at the start of that hypervisor memory and
     started there (it is position-independent), with the root-cell
     manager; the run must match arm_manager.py's "tiny" run on that
     board: warden enables with every CPU, the manager finds the root
     CPUs in the system config (a spare one to start with PSCI CPU_ON
     when there are three or more), tiny runs and is destroyed, the
     manager disables the hypervisor and powers off natively.

Then (without SHAPE arguments) warden.bin loaded where the system config
does not put hypervisor memory must stop and name both addresses.

Shapes run two at a time (the machine has two cores). Files go to
build/qemu/shapes/SHAPE/. Run from the top directory after ./run build:
    python3 tests/qemu/arm_shapes.py [-v] [SHAPE...]     (SHAPE: 4x512)
Exit 0 when every shape passed.
"""

import argparse
import concurrent.futures
import io
import os
import re
import subprocess
import sys
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import arm_manager as am  # noqa: E402

# (CPUs, MiB of RAM): 2 to 8 CPUs, 256 MiB to 2 GiB.
SHAPES = [(2, 256), (4, 512), (8, 1024), (3, 2048), (2, 1024), (6, 768)]
TOOL = 'build/host/warden-config'
OUT = 'build/qemu/shapes'
TINY = 'configs/qemu-arm-virt/tiny.dts'
MIB = 1 << 20


def shell(cmd):
    """Run @cmd; None, or what went wrong."""
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    if p.returncode:
        return '%s: exit %d\n%s' % (' '.join(cmd), p.returncode,
                                    p.stdout.decode(errors='replace'))
    return None


# The cells a shape gets: config, CPU (from the number of CPUs) and the
# demo runs that use them. Each cell's RAM moves with the hypervisor's
# memory: 0x4e000000 (16 MiB below it on the shipped 256 MiB board)
# becomes hv_start - 16 MiB. With two CPUs both cells take CPU 1, one
# after the other (separate boots).
CELLS = {
    'tiny': lambda smp: smp - 1,
    'attack': lambda smp: smp - 2 if smp > 2 else 1,
}


def make_configs(smp, mem, out=OUT):
    """The board of shape @smp x @mem with its configs, or an error."""
    d = os.path.join(out, '%dx%d' % (smp, mem))
    os.makedirs(d, exist_ok=True)
    dtb, system = os.path.join(d, 'board.dtb'), os.path.join(d, 'system.dts')
    name = 'virt-%dcpu-%dm' % (smp, mem)
    err = shell(['qemu-system-arm', '-M',
                 'virt,virtualization=on,gic-version=2,dumpdtb=' + dtb,
                 '-cpu', 'cortex-a15', '-smp', str(smp), '-m', str(mem),
                 '-nographic']) or \
        shell([TOOL, 'create', '--from-dtb', dtb, '-o', system,
               '--name', name]) or \
        shell([TOOL, 'compile', system, '-o',
               os.path.join(d, 'system.cell')])
    if err:
        return None, err
    with open(system) as f:
        hv = re.search(r'hypervisor-memory \{\s*phys-start = <(0x[0-9a-f]+)>',
                       f.read())
    if not hv:
        return None, '%s: no hypervisor-memory phys-start' % system
    hv_start = int(hv.group(1), 16)
    cells = {}
    for cell, cpu_of in sorted(CELLS.items()):
        src = 'configs/qemu-arm-virt/%s.dts' % cell
        with open(src) as f:
            text = f.read()
        cpu = cpu_of(smp)
        text, n = re.subn(r'cpus = <\d+>;', 'cpus = <%d>;' % cpu, text)
        text, m = re.subn(
            r'(0x|@)4e([0-9a-f]{6})\b',
            lambda g: '%s%x' % (g.group(1), hv_start - 16 * MIB +
                                int(g.group(2), 16)), text)
        if n != 1 or m < 2:
            return None, '%s: no "cpus = <N>" or RAM at 0x4e......' % src
        dts = os.path.join(d, '%s.dts' % cell)
        with open(dts, 'w') as f:
            f.write(text)
        err = shell([TOOL, 'compile', dts, '-o',
                     os.path.join(d, '%s.cell' % cell)])
        if err:
            return None, err
        cells[cell] = cpu
    return {'smp': smp, 'mem': mem, 'configs': d, 'hv_start': hv_start,
            'root': name, 'cells': cells}, None


def one(shape, verbose):
    """Boot shape @shape; (passed, what to print)."""
    smp, mem = shape
    name = 'shape %dx%d' % shape
    board, err = make_configs(smp, mem)
    if err:
        return False, 'qemu-arm-shapes %s: FAILED: %s\n' % (name, err)
    out, text = io.StringIO(), ''
    # tiny on every shape; with two CPUs also the attack, on the same CPU.
    runs = ['tiny'] + (['attack-ram'] if smp == 2 else [])
    for run in runs:
        with redirect_stdout(out):
            rc = am.run_one('%s %s' % (name, run),
                            am.on_board(am.RUNS[run], board), verbose,
                            board, quiet=True)
        if rc:
            return False, out.getvalue()
        text += ('qemu-arm-shapes %s: -smp %d -m %d, hypervisor memory at '
                 '0x%x: %s on CPU %d passes\n'
                 % (name, smp, mem, board['hv_start'], run,
                    board['cells'][am.RUNS[run]['cell']]))
    return True, out.getvalue() + text


def misplaced(verbose):
    """warden.bin loaded 256 MiB above the hypervisor memory of the
    system config: it must stop, naming both places in hex."""
    board = dict(am.DEFAULT_BOARD, mem=512, hv_start=0x5f000000)
    cmd = am.qemu_command(am.RUNS['tiny'], board)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=am.TIMEOUT)
    out = p.stdout.decode(errors='replace').replace('\r', '')
    if verbose:
        sys.stdout.write(out)
    want = ('warden: loaded at 0x5f000000 (image up to 0x5f0', 'but the '
            'system config\'s hypervisor memory is 0x4f000000..0x50000000',
            'warden: machine stopped')
    if p.returncode != 1 or not all(w in out for w in want):
        return False, ('qemu-arm-shapes misplaced: FAILED: QEMU exit %d, '
                       'wanted %s\n---- console ----\n%s---- end ----\n'
                       % (p.returncode, want, out))
    return True, ('qemu-arm-shapes misplaced: loaded at 0x5f000000 for '
                  'hypervisor memory at 0x4f000000: refused, both named\n')


def main():
    ap = argparse.ArgumentParser(
        description='Boot warden on QEMU virt boards of several shapes, '
        'each with configs made at test time from the DTB QEMU dumps '
        '(warden-config create --from-dtb), and run tiny on each.')
    ap.add_argument('shapes', nargs='*', metavar='SHAPE',
                    help='CPUSxMIB, e.g. 4x512 (default: %s)'
                    % ' '.join('%dx%d' % s for s in SHAPES))
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print the QEMU command lines and consoles')
    args = ap.parse_args()
    shapes = []
    for s in args.shapes or ['%dx%d' % s for s in SHAPES]:
        m = re.match(r'^(\d+)x(\d+)$', s)
        if not m or not 2 <= int(m.group(1)) <= 8:
            ap.error('shape %s: CPUSxMIB with 2 to 8 CPUs' % s)
        shapes.append((int(m.group(1)), int(m.group(2))))
    for path in (TOOL, 'build/armv7/warden.bin', 'build/armv7/manager.bin'):
        if not os.path.exists(path):
            print('qemu-arm-shapes: %s missing (build first: ./run build)'
                  % path)
            return 1
    failed = 0
    # Processes, not threads: each captures its own stdout.
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        for ok, text in pool.map(one, shapes, [args.verbose] * len(shapes)):
            sys.stdout.write(text)
            failed += not ok
    if not args.shapes:
        ok, text = misplaced(args.verbose)
        sys.stdout.write(text)
        failed += not ok
    print('qemu-arm-shapes: %d of %d shapes boot' % (len(shapes) - failed,
                                                      len(shapes)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
