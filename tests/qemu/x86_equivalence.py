#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One outcome everywhere, on x86 (issue #14, item 5): the runs of
tests/qemu/x86_manager.py (the AMD-V backend with the root-cell manager)
boot on QEMU q35 and on Bochs ryzen under the trap-log image
build/x86-amd/warden-traplog.elf32 / .bin, and for each:

1. the simulator runs a scenario written here that does what the manager
   does in that run (the same configs of the machine, images, parameters,
   cell order and shutdown answers: warden-sim run), and the outcome
   records of the compared cells must be identical, attempt by attempt:
   every denial with its reason and item, every FAILED line, every check's
   verdict and every verdict line (runner.outcomes, as in
   arm_equivalence.py); the first difference is reported with both sides;
2. the trap records the hardware run printed, under a trace header, must
   replay in the simulator (warden-sim replay): every hypercall result,
   MMIO, port I/O and MSR decision the core made on the machine is the
   one the simulator's core makes. Left out of the replayed trace (they
   are figures, not decisions, and differ by design): the pool figures of
   HYPERVISOR_GET_INFO (the simulator's pool is all of hypervisor memory)
   and CPU_GET_INFO statistics (a CPU's VM exits include the CPUID, MSR
   and xAPIC exits the exit layer handles without a core record).

The trap log changes only what is printed and the order in which CPUs
handle their exits (one at a time, docs/x86.md "Trap records and
equivalence"), not a decision.

Run from the top directory:  python3 tests/qemu/x86_equivalence.py [-v]
    [--machine qemu|bochs|both] [-j N] [--plain] [--plant] [CASE...]
--plain compares the outcomes of warden.elf (no trap log) too.
--plant changes one simulator outcome on purpose (the first denial's
reason) and must make the comparison fail: the test shows it can.
Exit 0 if every case matches and replays.
"""

import argparse
import io
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402
import x86_manager as xm  # noqa: E402

PROG = 'x86-equivalence'
SIM = 'build/host/warden-sim'
OUT = 'build/x86-equiv'
IMG = '../inmates/x86_64'  # relative to OUT
# The machine both sides have: 128 MiB (-m 128, megs: 128), 4 CPUs.
MACHINE = 'machine ram=0x0 size=0x8000000 cpus=4'
# Parameter block offsets the runs patch (inmates/lib/include/
# inmate_params.h) and the scenario's names for them.
PARAMS = {0x40: 'select', 0x44: 'num_cpus', 0x48: 'shutdown',
          0x4c: 'deny_count', 0x80: 'attack_cpu'}
# Time a cell runs in the simulator before the manager's next call.
RUN_TIME = 40
# warden-sim run -v: the summary's repetition of the verdict lines.
SUMMARY = 'verdicts and last [run] lines:'
RECORD = re.compile(r'^(hvc|mmio|pio|msr|cpuid|irq|reset|off|exc|cpuon|'
                    r'cpuoff|respond) ')
# Figures, not decisions (module doc): left out of the replayed trace.
HVC = re.compile(r'^hvc .* code=(\d+) arg1=0x([0-9a-f]+) arg2=0x([0-9a-f]+) ')


def figure(line):
    """A HYPERVISOR_GET_INFO pool figure or a CPU_GET_INFO statistic."""
    m = HVC.match(line)
    return bool(m) and (m.group(1) == '5' and int(m.group(2), 16) < 2 or
                        m.group(1) == '7' and int(m.group(3), 16) >= 1000)

# Case: the x86_manager.py run, what it covers, and how the cell answers
# the manager's CELL_DESTROY requests (a list of expected results before
# the one that destroys it; 'keep': the last one is denied and the cell
# stays).
CASES = [
    ('tiny', 'tiny on CPU 2, DISABLE'),
    ('mmio', 'every form of mmio-access, the shared decoder'),
    ('smp', 'INIT/SIPI to the cell\'s own CPUs'),
    ('shutdown', 'shutdown request denied, then approved'),
    ('shutdown-deny', 'shutdown requests denied'),
    ('isolation', 'every attempt, running bystander'),
    ('attack-cpu', 'attempt 18 (INIT/SIPI to a foreign CPU)'),
    ('user-hypercall', 'attempt 22'),
    ('console-control', 'attempt 23'),
    ('console-flood', 'attempt 24'),
    ('mgmt-loop', 'attempt 25'),
    ('handover', 'handover reset list'),
    ('irqown-foreign-pin', 'irqown 3 (a foreign IOAPIC pin)'),
    ('irqown-foreign-cpu', 'irqown 4 (its pin to a foreign CPU)'),
    ('irqown-nmi', 'irqown 5 (NMI delivery)'),
    ('irqown-init', 'irqown 6 (INIT delivery)'),
    ('irqown-extint', 'irqown 7 (ExtINT delivery)'),
    ('irqown-smi', 'irqown 8 (SMI delivery)'),
    ('irqown-vector', 'irqown 9 (vector 0x10)'),
    ('pci-ports-read', 'attempt 26 (a foreign function through 0xcfc)'),
    ('attack-pci-ports', 'attempt 27 (a write to it through 0xcfc)'),
]
# Where a case runs by default (else both; handover: Bochs, its trap-log
# run on QEMU not proven yet, although its plain run is, x86_manager.py).
ON = {'handover': ('bochs',)}
# The CELL_DESTROY answers of the shutdown cases (x86_manager.py: its
# 'tries' and the inmate's parameters): -1 denied.
DESTROY = {'shutdown': [-1], 'shutdown-deny': [-1, -1]}
# The cells a case is about (a bystander's own records are compared too
# where it answers the manager's requests).
NAMES = {'tiny': 'tiny', 'attack': 'attack', 'attack-con': 'attack',
         'smp-cell': 'smp', 'mmio': 'mmio', 'ivshmem-a': 'ivshmem-a',
         'ivshmem-b': 'ivshmem-b', 'irqown-cell': 'irqown'}


def config_dir(machine, rel=True):
    path = xm.MACHINES[machine]['configs']
    return os.path.relpath(path, OUT) if rel else path


def scenario(name, run, machine):
    """The manager's lifecycle of @run (inmates/manager/manager.c,
    cell_lifecycle) as a simulator scenario on @machine's configs."""
    cfg = config_dir(machine)
    at1, at2 = xm.LAYOUT['BOOT_CELL_CONFIG'], xm.LAYOUT['BOOT_CELL2_CONFIG']
    main = run['cell']
    lines = [MACHINE, 'system %s/system.cell' % cfg]
    if 'cell2' in run:
        lines.append('load-config 0x%x %s/%s.cell'
                     % (at2, cfg, run['cell2'][0]))
    lines += ['load-config 0x%x %s/%s.cell' % (at1, cfg, main), 'enable']
    ident = 1
    bystander = 'cell2' in run and run['flags'] & xm.BYSTANDER
    if 'cell2' in run:
        lines += ['create 0x%x expect=1' % at2, 'set-loadable 1',
                  'load 1 0x0 %s/%s.bin' % (IMG, run['cell2'][1])]
        off, val = run.get('param2', (0, 0))
        if off:
            lines.append('param 1 %s %d' % (PARAMS[off], val))
        lines += ['start 1', 'run %d' % RUN_TIME]
        ident = 2
    image = run.get('image', main)
    selects = run.get('selects') or [run.get('select', 0)] * max(run.get('runs', 1),
                                                          1)
    for select in selects:
        lines += ['create 0x%x expect=%d' % (at1, ident),
                  'set-loadable %d' % ident,
                  'load %d 0x0 %s/%s.bin' % (ident, IMG, image)]
        if select:
            lines.append('param %d select %d' % (ident, select))
        off, val = run.get('param', (0, 0))
        if off:
            lines.append('param %d %s %d' % (ident, PARAMS[off], val))
        lines += ['start %d' % ident, 'run %d' % RUN_TIME]
        for ret in DESTROY.get(name, []):
            lines += ['destroy %d expect=%d' % (ident, ret),
                      'run %d' % RUN_TIME]
        if run['flags'] & xm.DENIED:
            break  # the cell denies every request and stays
        if run['flags'] & xm.LOG:
            # (the manager prints it after CELL_DESTROY, from the RAM the
            # root gets back; the simulator's cell must still exist)
            lines.append('print-log %d %s' % (ident, NAMES[main]))
        lines.append('destroy %d' % ident)
        if bystander:
            # It runs on and denies a request after each run.
            lines += ['run %d' % RUN_TIME, 'destroy 1 expect=-1',
                      'run %d' % RUN_TIME]
    if 'cell2' in run:
        lines.append('destroy 1')
    return '\n'.join(lines) + '\n'


def run_sim(name, run, machine, image):
    """The scenario of @run in the simulator: (console lines, None) or
    (None, why it failed)."""
    path = os.path.join(OUT, '%s-%s-%s.scn' % (machine, name, image))
    with open(path, 'w') as f:
        f.write('# written by tests/qemu/x86_equivalence.py: what the '
                'manager does in x86_manager.py run "%s" on %s\n'
                % (name, machine))
        f.write(scenario(name, run, machine))
    # Which cells fail is one of the outcomes compared with the machine's.
    status, out = runner.run_process(
        [SIM, 'run', '-v', '--cells-may-fail', path], 300)
    out = (out or b'').decode(errors='replace')
    if status is None:
        return None, 'warden-sim run %s: timeout' % path
    if status:
        return None, 'warden-sim run %s failed (exit %d):\n%s' % (
            path, status, out)
    lines = out.split('\n')
    if SUMMARY in lines:
        lines = lines[:lines.index(SUMMARY)]
    return lines, None


def replay(name, run, machine, lines):
    """The trap records of @lines as a trace, replayed: (path, number of
    records, None) or (path, n, why it failed)."""
    records = [l for l in lines if RECORD.match(l) and not figure(l)]
    path = os.path.join(OUT, '%s-%s.trace' % (machine, name))
    cfg = config_dir(machine)
    with open(path, 'w') as f:
        f.write('warden-trace 1\n'
                '# recorded on %s by tests/qemu/x86_equivalence.py (run %s, '
                '%s)\n%s\nsystem %s/system.cell\n'
                'load 0x%x %s/%s.cell\n'
                % (machine, name, xm.payload(run, machine) + '.elf32',
                   MACHINE, cfg,
                   xm.LAYOUT['BOOT_CELL_CONFIG'], cfg, run['cell']))
        if 'cell2' in run:
            f.write('load 0x%x %s/%s.cell\n' % (
                xm.LAYOUT['BOOT_CELL2_CONFIG'], cfg, run['cell2'][0]))
        f.write('enable\n' + '\n'.join(records) + '\n')
    status, out = runner.run_process([SIM, 'replay', path], 300)
    if status:
        return path, len(records), 'warden-sim replay %s: %s\n%s' % (
            path, 'timeout' if status is None else 'exit %d' % status,
            (out or b'').decode(errors='replace').strip())
    return path, len(records), None


def cells_of(run):
    cells = [NAMES[run['cell']]]
    if 'cell2' in run and run['flags'] & xm.BYSTANDER:
        cells.append(NAMES[run['cell2'][0]])
    return cells


def check(job, verbose, planting):
    """One (machine, case, image): (0 or 1, text, planted)."""
    machine, name, image = job
    out = io.StringIO()
    traplog = image == 'traplog'
    label = '%s:%s%s' % (machine, name, '' if traplog else ' (warden.elf)')
    run = dict(xm.RUNS[name], traplog=traplog)
    lines, note, problem = xm.boot(machine, '%s-%s' % (name, image), run,
                                   verbose)
    if lines is None:
        return runner.fail(PROG, label, note, problem, xm.TAIL, out), \
            out.getvalue(), False
    out.write(note)
    why = problem or runner.check_lines(
        lines, xm.expected(run, machine), xm.FORBIDDEN + run['forbidden'])
    if why:
        return runner.fail(PROG, label, 'the run itself: ' + why,
                           '\n'.join(lines), xm.TAIL, out), \
            out.getvalue(), False
    slines, err = run_sim(name, run, machine, image)
    if err:
        return runner.fail(PROG, label, err, '', 0, out), out.getvalue(), \
            False
    if verbose:
        out.write('---- simulator ----\n%s\n' % '\n'.join(slines))
    cells = cells_of(run)
    # Each cell's records in their own order (two cells print
    # concurrently).
    emu = [r for c in cells for r in runner.outcomes(lines, [c], True)]
    sim = [r for c in cells for r in runner.outcomes(slines, [c], True)]
    planted = planting and runner.plant(sim)
    kind = 'QEMU' if machine == 'qemu' else 'Bochs'
    diff = runner.compare(emu, sim, kind) if emu else \
        'no outcome record at all'
    if diff:
        out.write('%s %s (%s): FAILED: %s\n' % (PROG, label,
                                                dict(CASES)[name], diff))
        if verbose:
            out.write('%s records:\n  %s\nsim records:\n  %s\n' % (
                kind, '\n  '.join(emu), '\n  '.join(sim)))
        return 1, out.getvalue(), planted
    if not traplog:
        out.write('%s %s (%s): %d outcome records identical on %s and in '
                  'the simulator\n' % (PROG, label, dict(CASES)[name],
                                        len(emu), kind))
        return 0, out.getvalue(), planted
    # The records came on port 0xe9 (x86_manager.py, TRAPLOG).
    records = xm.read(os.path.join(xm.RUN_DIR, '%s-%s-traplog' % (
        machine, name), xm.TRAPLOG)).split('\n')
    path, n, err = replay(name, run, machine, records)
    if err:
        out.write('%s %s: FAILED: the %d trap records do not replay: %s\n'
                  % (PROG, label, n, err))
        return 1, out.getvalue(), planted
    out.write('%s %s (%s): %d outcome records identical on %s and in the '
              'simulator (%d denials); %d trap records replay (%s)\n'
              % (PROG, label, dict(CASES)[name], len(emu), kind,
                 len([r for r in emu if r.startswith(('denial ',
                                                      'failed '))]),
                 n, path))
    return 0, out.getvalue(), planted


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog='x86_equivalence.py',
        description='The x86 manager runs under the trap-log image on QEMU '
        'and Bochs against the same scenario in the simulator: identical '
        'outcome records, and the trap records replay. Run from the top '
        'directory after ./run build.')
    ap.add_argument('cases', nargs='*', metavar='CASE')
    ap.add_argument('--machine', choices=('qemu', 'bochs', 'both', 'intel',
                                          'intel-skx', 'vmx'),
                    default='both', help='both: qemu and bochs (the AMD-V '
                    'image); vmx: intel and intel-skx (the VT-x image on '
                    'Bochs\' Intel models)')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('--plain', action='store_true',
                    help='also compare the outcomes of warden.elf (the '
                    'image without the trap log)')
    ap.add_argument('--plant', action='store_true',
                    help='change the first simulator denial: must fail')
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    known = dict(CASES)
    for name in args.cases:
        if name not in known:
            print('%s: unknown case %s (cases: %s)'
                  % (PROG, name, ', '.join(known)), file=sys.stderr)
            return 2
    machines = {'both': ['qemu', 'bochs'], 'vmx': list(xm.VMX)}.get(
        args.machine, [args.machine])
    for path in [SIM] + [xm.MACHINES[m].get('warden', xm.WARDEN) + ext
                         for m in machines for ext in ('-traplog.elf32',
                                                       '-traplog.bin')]:
        if not os.path.exists(path):
            print('%s: %s missing (build first: ./run build)' % (PROG, path))
            return 1
    os.makedirs(OUT, exist_ok=True)
    # The simulator is built with ASan (its leak suppressions).
    os.environ.setdefault('LSAN_OPTIONS', 'suppressions=%s/scripts/lsan.supp'
                          % os.getcwd())
    names = args.cases or [c for c, _ in CASES]
    images = ['traplog', 'plain'] if args.plain else ['traplog']
    jobs = [(m, n, i) for n in names for m in machines for i in images
            if args.cases or m in ON.get(n, machines) or m in xm.VMX]
    failed, planted = 0, False
    for job, (bad, text, p) in runner.parallel(
            jobs, lambda j: check(j, args.verbose, args.plant), args.jobs):
        sys.stdout.write(text)
        sys.stdout.flush()
        failed += bad
        planted = planted or p
    if args.plant:
        if not planted:
            print('%s: nothing to plant a difference in' % PROG)
            return 1
        print('%s: planted difference %s' % (
            PROG, 'caught' if failed else 'NOT caught'))
        return 0 if failed else 1
    print('%s: %d of %d cases identical%s' % (
        PROG, len(jobs) - failed, len(jobs),
        ', the trap-log runs replayed' if 'traplog' in images else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
