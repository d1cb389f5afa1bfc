#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One outcome everywhere, on x86 (issue #14, item 5; the x86 counterpart
of tests/qemu/arm_equivalence.py): every attempt of the attack inmate
(1-25) and the handover test run on the AMD-V backend under QEMU and Bochs
(the runs of tests/qemu/x86_manager.py) and in the simulator (warden-sim
run, on a scenario written here that does what the root-cell manager does
in that run: the same configs, images, parameters and cell order), and
their outcome records must be identical: the compared cell's refusals and
denials with reason and item, its FAILED lines, its checks' names and
verdicts and its verdict lines (arm_equivalence.outcomes: the same rules).

Run from the top directory:  python3 tests/qemu/x86_equivalence.py [-v]
    [--machine qemu|bochs|both] [--plant] [CASE...]
--plant changes one simulator outcome on purpose (the first denial's
reason) and must make the comparison fail: the test shows it can.
Exit 0 if every case matches on every machine.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import arm_equivalence as ae  # noqa: E402
import runner  # noqa: E402
import x86_manager as xm  # noqa: E402

SIM = 'build/host/warden-sim'
OUT = 'build/equiv-x86'
IMG = '../inmates/x86_64'  # relative to OUT
CONFIG_AT = xm.LAYOUT['BOOT_CELL_CONFIG']
CONFIG2_AT = xm.LAYOUT['BOOT_CELL2_CONFIG']
# Cell names of the configs (their cell-name).
NAMES = {'tiny': 'tiny', 'attack': 'attack', 'attack-con': 'attack',
         'smp-cell': 'smp', 'mmio': 'mmio'}
# Parameter block offsets the runs patch (inmates/lib/include/
# inmate_params.h) and the scenario's names for them.
PARAMS = {0x40: 'select', 0x44: 'num_cpus', 0x48: 'shutdown',
          0x4c: 'deny_count', 0x80: 'attack_cpu'}
# Time a cell runs in the simulator per manager run (scenario 'run').
RUN_TIME = 40

# Case: the x86_manager run; what it covers; the machines it is compared
# on by default (handover: Bochs only, as in x86_manager.py).
CASES = [
    ('isolation', 'attempts 1-17, 19-21', ('qemu', 'bochs')),
    ('attack-cpu', 'attempt 18', ('qemu', 'bochs')),
    ('user-hypercall', 'attempt 22', ('qemu', 'bochs')),
    ('console-control', 'attempt 23', ('qemu', 'bochs')),
    ('console-flood', 'attempt 24', ('qemu', 'bochs')),
    ('mgmt-loop', 'attempt 25', ('qemu', 'bochs')),
    ('mmio', 'every access form of mmio-access', ('qemu', 'bochs')),
    ('handover', 'handover', ('bochs',)),
]


def scenario(run, machine):
    """The manager's life cycle of @run as a simulator scenario, on a
    bare machine of @machine's RAM and CPUs with its configs."""
    cfg = os.path.relpath(xm.MACHINES[machine]['configs'], OUT)
    main = run['cell']
    lines = ['machine ram=0x0 size=0x8000000 cpus=4',
             'system %s/system.cell' % cfg]
    if 'cell2' in run:
        lines.append('load-config 0x%x %s/%s.cell'
                     % (CONFIG2_AT, cfg, run['cell2'][0]))
    lines += ['load-config 0x%x %s/%s.cell' % (CONFIG_AT, cfg, main),
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
    image = run.get('image', main)
    selects = run.get('selects') or \
        [run.get('select', 0)] * max(run.get('runs', 1), 1)
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
        if run.get('flags', 0) & xm.LOG:
            lines.append('print-log %d %s' % (ident, NAMES[main]))
        lines.append('destroy %d' % ident)
    return '\n'.join(lines) + '\n'


def run_sim(name, run, machine, verbose):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, '%s-%s.scn' % (machine, name))
    with open(path, 'w') as f:
        f.write('# written by tests/qemu/x86_equivalence.py: what the '
                'manager does in x86_manager.py run "%s" on %s\n'
                % (name, machine))
        f.write(scenario(run, machine))
    env = dict(os.environ)
    env.setdefault('LSAN_OPTIONS', 'suppressions=%s/scripts/lsan.supp'
                   % os.getcwd())
    p = subprocess.run([SIM, 'run', '-v', '--cells-may-fail', path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300, env=env)
    out = p.stdout.decode(errors='replace')
    if verbose:
        sys.stdout.write(out)
    if p.returncode:
        return None, 'warden-sim run %s failed (exit %d):\n%s' % (
            path, p.returncode, out)
    lines = out.split('\n')
    if ae.SUMMARY in lines:
        lines = lines[:lines.index(ae.SUMMARY)]
    return lines, None


def run_machine(name, run, machine, verbose):
    lines, note, why = xm.boot(machine, name, run, verbose)
    if lines is None or why:
        return None, note if lines is None else why
    if verbose:
        sys.stdout.write(note)
    return lines, None


def compare_case(job, verbose, planting):
    """(failed, planted, text) of case @job = (machine, name)."""
    machine, name = job
    run = xm.RUNS[name]
    cells = [NAMES[run['cell']]]
    label = 'x86-equivalence %s:%s (%s)' % (machine, name,
                                            dict((c, d) for c, d, _ in
                                                 CASES)[name])
    mlines, err = run_machine(name, run, machine, verbose)
    if err:
        return 1, False, '%s: FAILED: %s\n' % (label, err)
    slines, err = run_sim(name, run, machine, verbose)
    if err:
        return 1, False, '%s: FAILED: %s\n' % (label, err)
    m, s = ae.outcomes(mlines, cells), ae.outcomes(slines, cells)
    planted = planting and ae.plant(s)
    diff = ae.compare(m, s)
    if not m:
        diff = 'no outcome record at all'
    if diff:
        diff = diff.replace('QEMU', machine)
        text = '%s: FAILED: %s\n' % (label, diff)
        if verbose:
            text += '%s records:\n  %s\nsim records:\n  %s\n' % (
                machine, '\n  '.join(m), '\n  '.join(s))
        return 1, planted, text
    return 0, planted, ('%s: %d outcome records identical on %s and in the '
                        'simulator (%d denials)\n'
                        % (label, len(m), machine,
                           len([r for r in m if r.startswith('denial ')])))


def main():
    ap = argparse.ArgumentParser(prog='x86_equivalence.py')
    ap.add_argument('cases', nargs='*', metavar='CASE')
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('--machine', choices=('qemu', 'bochs', 'both'))
    ap.add_argument('--plant', action='store_true')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    args = ap.parse_args()
    known = {c: m for c, _, m in CASES}
    for name in args.cases:
        if name not in known:
            print('unknown case %s (cases: %s)' % (name, ', '.join(known)))
            return 2
    names = args.cases or [c for c, _, _ in CASES]
    if args.plant:
        names = names[:1]
    machines = {'qemu': ('qemu',), 'bochs': ('bochs',),
                'both': ('qemu', 'bochs')}.get(args.machine)
    jobs = [(m, n) for n in names for m in (machines or known[n])]
    failed = 0
    planted = False
    for _, (bad, pl, text) in runner.parallel(
            jobs, lambda j: compare_case(j, args.verbose, args.plant),
            args.jobs):
        sys.stdout.write(text)
        failed += bad
        planted = planted or pl
    if args.plant:
        if not planted:
            print('x86-equivalence: nothing to plant a difference in')
            return 1
        print('x86-equivalence: planted difference %s'
              % ('caught' if failed else 'NOT caught'))
        return 0 if failed else 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
