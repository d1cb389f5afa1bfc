#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One outcome everywhere (issue #11): every attempt of the attack inmate
(1-31), the handover tests and the interrupt-ownership test run on the
ARMv7 backend under QEMU (the runs of tests/qemu/arm_manager.py) and in the
simulator (warden-sim run, on a scenario written here that does what the
root-cell manager does in that run: the same configs, images, parameters
and cell order), and their outcome records must be identical:

- every refusal or denial the core reports for a compared cell:
  'warden: cell "NAME": TEXT [reason]' (the reason and its item, in TEXT),
  in order, a record repeated right after itself counted once (how often a
  looping cell repeats one depends on time; the count is the console rate
  limit's business, checked elsewhere);
- every 'warden: cell "NAME" FAILED' line;
- the cells' check and verdict lines, from their consoles or, for a cell
  without console, from their log ring (printed after the run by the
  manager, by the scenario's print-log in the simulator): each check's
  name and verdict (pass, fail, skip), each verdict line whole. A check's
  detail is left out: it may print a device model's own facts (GICD_TYPER
  of 4 or 8 CPUs, SGI enable bits QEMU keeps set).

Run from the top directory:  python3 tests/qemu/arm_equivalence.py [-v]
    [--plant] [CASE...]
--plant changes one simulator outcome on purpose (the first denial's
reason) and must make the comparison fail: the test shows it can.
Exit 0 if every case matches.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import arm_manager as am  # noqa: E402
from runner import compare, outcomes, plant  # noqa: E402

SIM = 'build/host/warden-sim'
OUT = 'build/equiv'
CFG = '../configs/qemu-arm-virt'  # relative to OUT
IMG = '../inmates/armv7'
CONFIG_AT, CONFIG2_AT = 0x40810000, 0x40860000
# Cell names of the configs (their cell-name).
NAMES = {'tiny': 'tiny', 'attack': 'attack', 'attack-con': 'attack',
         'smp-cell': 'smp', 'mmio': 'mmio'}
# Parameter block offsets the runs patch (inmates/lib/include/
# inmate_params.h) and the scenario's names for them.
PARAMS = {0x40: 'select', 0x44: 'num_cpus', 0x48: 'shutdown',
          0x4c: 'deny_count', 0x80: 'attack_cpu'}
# Time a cell runs in the simulator per manager run (scenario 'run').
RUN_TIME = 40
# warden-sim run -v: the summary's repetition of the verdict lines.
SUMMARY = 'verdicts and last [run] lines:'

# Case: the arm_manager run; its attempts are what it covers.
CASES = [
    ('isolation', 'attempts 1-21'),
    ('user-hvc', 'attempt 22'),
    ('console-control', 'attempt 23'),
    ('console-flood', 'attempt 24'),
    ('mgmt-loop', 'attempt 25'),
    ('attack-ldm', 'attempt 26'),
    ('attack-stm', 'attempt 27'),
    ('attack-ldrex', 'attempt 28'),
    ('attack-thumb', 'attempt 29'),
    ('attack-unaligned', 'attempt 30'),
    ('psci-answers', 'attempt 31'),
    ('mmio-unaligned-ldr', 'sub-page, unaligned'),
    ('mmio-unaligned-str', 'sub-page, unaligned'),
    ('mmio-unaligned-ldrh', 'sub-page, unaligned'),
    ('handover', 'handover'),
    ('handover-offon', 'handover'),
    ('handover-failed', 'handover'),
    ('irqown', 'interrupt ownership'),
]


def scenario(run):
    """The manager's lifecycle of @run as a simulator scenario."""
    main = run['cell']
    lines = ['machine ram=0x40000000 size=0x10000000 cpus=4',
             'system %s/system.cell' % CFG]
    if 'cell2' in run:
        lines.append('load-config 0x%x %s/%s.cell'
                     % (CONFIG2_AT, CFG, run['cell2'][0]))
    lines += ['load-config 0x%x %s/%s.cell' % (CONFIG_AT, CFG, main),
              'enable']
    ident = 1
    if 'cell2' in run:
        lines += ['create 0x%x expect=1' % CONFIG2_AT, 'set-loadable 1',
                  'load 1 0x0 %s/%s.bin' % (IMG, run['cell2'][1])]
        off, val = run.get('param2', (0, 0))
        if off:
            lines.append('param 1 %s %d' % (PARAMS[off], val))
        lines += ['start 1', 'run %d' % RUN_TIME]
        ident = 2
    image = run.get('image', am.IMAGES.get(main, main))
    selects = run.get('selects') or [run['select']] * max(run.get('runs', 1),
                                                          1)
    for select in selects:
        lines += ['create 0x%x expect=%d' % (CONFIG_AT, ident),
                  'set-loadable %d' % ident,
                  'load %d 0x0 %s/%s.bin' % (ident, IMG, image)]
        if select:
            lines.append('param %d select %d' % (ident, select))
        off, val = run.get('param', (0, 0))
        if off:
            lines.append('param %d %s %d' % (ident, PARAMS[off], val))
        lines += ['start %d' % ident, 'run %d' % RUN_TIME]
        if run['flags'] & am.LOG:
            lines.append('print-log %d %s' % (ident, NAMES[main]))
        lines.append('destroy %d' % ident)
    return '\n'.join(lines) + '\n'


def run_sim(name, run, verbose):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, '%s.scn' % name)
    with open(path, 'w') as f:
        f.write('# written by tests/qemu/arm_equivalence.py: what the '
                'manager does in arm_manager.py run "%s"\n' % name)
        f.write(scenario(run))
    env = dict(os.environ)
    env.setdefault('LSAN_OPTIONS', 'suppressions=%s/scripts/lsan.supp'
                   % os.getcwd())
    # Which cells fail is one of the outcomes compared with QEMU's.
    p = subprocess.run([SIM, 'run', '-v', '--cells-may-fail', path],
                       stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300, env=env)
    out = p.stdout.decode(errors='replace')
    if verbose:
        sys.stdout.write(out)
    if p.returncode:
        return None, 'warden-sim run %s failed (exit %d):\n%s' % (
            path, p.returncode, out)
    lines = out.split('\n')
    # The summary repeats the verdicts: not records of their own.
    if SUMMARY in lines:
        lines = lines[:lines.index(SUMMARY)]
    return lines, None


def run_qemu(name, run, verbose):
    for path in [am.kernel(run)] + [p for p, _ in am.files(run)]:
        if not os.path.exists(path):
            return None, '%s missing (build first: ./run build)' % path
    try:
        p = subprocess.run(am.qemu_command(run), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=am.TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, 'QEMU timeout after %d s' % am.TIMEOUT
    out = p.stdout.decode(errors='replace').replace('\r', '')
    if verbose:
        sys.stdout.write(out)
    if p.returncode:
        return None, 'QEMU exit status %d:\n%s' % (p.returncode, out)
    return out.split('\n'), None


def main():
    args = sys.argv[1:]
    verbose = '-v' in args
    planting = '--plant' in args
    names = [a for a in args if not a.startswith('-')] or \
        [c for c, _ in CASES]
    known = dict(CASES)
    failed = 0
    planted = False
    for name in names:
        if name not in known:
            print('unknown case %s (cases: %s)'
                  % (name, ', '.join(known)))
            return 2
        run = am.RUNS[name]
        # The cell the run is about (a second cell is a bystander the
        # manager talks to; its own tests are other runs').
        cells = [NAMES[run['cell']]]
        qlines, err = run_qemu(name, run, verbose)
        if err:
            print('arm-equivalence %s: FAILED: %s' % (name, err))
            failed += 1
            continue
        slines, err = run_sim(name, run, verbose)
        if err:
            print('arm-equivalence %s: FAILED: %s' % (name, err))
            failed += 1
            continue
        q, s = outcomes(qlines, cells), outcomes(slines, cells)
        if planting and not planted:
            planted = plant(s)
        diff = compare(q, s)
        if not q:
            diff = 'no outcome record at all'
        if diff:
            print('arm-equivalence %s (%s): FAILED: %s'
                  % (name, known[name], diff))
            if verbose:
                print('QEMU records:\n  ' + '\n  '.join(q))
                print('sim records:\n  ' + '\n  '.join(s))
            failed += 1
            continue
        print('arm-equivalence %s (%s): %d outcome records identical on '
              'QEMU and in the simulator (%d denials)'
              % (name, known[name], len(q),
                 len([r for r in q if r.startswith('denial ')])))
    if planting:
        # The planted difference must have been seen.
        if not planted:
            print('arm-equivalence: nothing to plant a difference in')
            return 1
        print('arm-equivalence: planted difference %s'
              % ('caught' if failed else 'NOT caught'))
        return 0 if failed else 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
