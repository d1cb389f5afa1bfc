# SPDX-License-Identifier: GPL-2.0
"""What the emulator tests share (tests/qemu/arm_manager.py,
tests/qemu/x86_manager.py, the equivalence tests arm_equivalence.py and
x86_equivalence.py): running an emulator with a hard timeout, reporting a
failure with its reason and the console, checking console lines against
the patterns a run expects, running independent boots in parallel, and
the outcome records an emulator run and a simulator run must share."""

import concurrent.futures
import re
import subprocess
import sys


def run_process(cmd, timeout, cwd=None, capture=True):
    """Run @cmd (stdin /dev/null) for at most @timeout seconds: (exit
    status or None on timeout, output bytes, or None without @capture),
    or raise OSError when it cannot be started."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, cwd=cwd,
                           stdout=subprocess.PIPE if capture else
                           subprocess.DEVNULL,
                           stderr=subprocess.STDOUT if capture else
                           subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b''


def fail(prog, name, why, console, tail=None, out=None):
    """Say that run @name of @prog failed and why, with the @console (its
    last @tail lines only, if given); 1."""
    out = out or sys.stdout
    out.write('%s %s: FAILED: %s\n' % (prog, name, why))
    lines = console.split('\n')
    if tail is not None and len(lines) > tail:
        console = '\n'.join(['[... %d lines before]' % (len(lines) - tail)]
                            + lines[-tail:])
    out.write('---- console ----\n%s\n---- end ----\n' % console)
    return 1


def check_lines(lines, expect, forbidden=(), at_most=(), per_cell=None):
    """None if @lines have a line for every pattern of @expect, in that
    order, none matching a pattern of @forbidden, at most N matching each
    (pattern, N) of @at_most, and for each cell of @per_cell ({cell:
    patterns}) its own lines ("[cell] ...") in the patterns' order; else
    why not."""
    for pattern in forbidden:
        bad = [line for line in lines if re.search(pattern, line)]
        if bad:
            return 'unexpected line: %s' % bad[0]
    for pattern, most in at_most:
        n = len([line for line in lines if re.search(pattern, line)])
        if n > most:
            return '%d lines match %s, at most %d' % (n, pattern, most)
    pos = 0
    for pattern in expect:
        while pos < len(lines) and not re.search(pattern, lines[pos]):
            pos += 1
        if pos == len(lines):
            return 'missing line (in this order): %s' % pattern
        pos += 1
    for cell, patterns in sorted((per_cell or {}).items()):
        own = [l for l in lines if l.startswith('[%s] ' % cell)]
        pos = 0
        for pattern in patterns:
            while pos < len(own) and not re.search(pattern, own[pos]):
                pos += 1
            if pos == len(own):
                return 'missing line of %s (in this order): %s' % (
                    cell, pattern)
            pos += 1
    return None


def parallel(jobs, work, workers=2):
    """work(job) for each of @jobs, @workers at a time (emulators are
    single processes: 2 cores here), yielding (job, result) in the order
    of @jobs as the results come in."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, work(job)
        return
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(work, job) for job in jobs]
        for job, future in zip(jobs, futures):
            yield job, future.result()


# --- The summary of a boot (--summary, --demo) ---------------------------
CELL_LINE = re.compile(r'^warden: (created|started|destroyed) cell "([^"]+)"'
                       r'(?: \(id (\d+)\))?$')
FAILED_LINE = re.compile(r'warden: cell "([^"]+)" FAILED')
DENIAL_LINE = re.compile(r'warden: cell "([^"]+)": (.*) \[(\w+)\]$')
VERDICT_LINE = re.compile(r'^(?:\[([\w-]+)\] )?\[verdict\] (.*)$')


def summary(label, name, lines, passed, cpus, out=None):
    """Print what happened in a boot, like warden-sim run -v's summary:
    each cell (id, CPUs, last state, at end, the reason it failed), the
    denials per cell, the verdicts (on @out, else stdout); @cpus: cell
    name -> its CPUs."""
    def say(text):
        (out or sys.stdout).write(text + '\n')

    cells, order = {}, []
    for line in lines:
        m = CELL_LINE.search(line)
        if m:
            c = cells.setdefault(m.group(2), {'id': '-', 'state': '-',
                                              'end': 'exists', 'reason': '-',
                                              'denials': []})
            if m.group(2) not in order:
                order.append(m.group(2))
            if m.group(1) == 'created':
                c.update(id=m.group(3), state='created', end='exists',
                         reason='-')
            elif m.group(1) == 'started':
                # (x86: a cell may fail before its "started" line)
                if c['state'] != 'failed':
                    c['state'] = 'running'
            else:
                c['end'] = 'destroyed'
            continue
        m = FAILED_LINE.search(line)
        if m and m.group(1) in cells:
            c = cells[m.group(1)]
            c['state'] = 'failed'
            if c['denials']:
                c['reason'] = c['denials'][-1][1]
            continue
        m = DENIAL_LINE.search(line)
        if m:
            c = cells.get(m.group(1))
            if c is None:  # the root cell
                c = cells.setdefault(m.group(1), {
                    'id': '0', 'state': 'running', 'end': 'exists',
                    'reason': '-', 'denials': []})
                order.insert(0, m.group(1))
            c['denials'].append((m.group(2), m.group(3)))
    if any(line.startswith('warden: hypervisor disabled') for line in lines):
        for c in cells.values():
            if c['id'] == '0':
                c['end'] = 'disabled'
    say('=== summary: %s %s %s' % (label, name,
                                     'passed' if passed else 'FAILED'))
    say('%-16s %-3s %-8s %-11s %-10s %-8s %s' % (
        'cell', 'id', 'CPUs', 'last state', 'at end', 'denials',
        'fail reason'))
    for cell in order:
        c = cells[cell]
        say('%-16s %-3s %-8s %-11s %-10s %-8d %s' % (
            cell, c['id'], cpus.get(cell, '-'), c['state'], c['end'],
            len(c['denials']), c['reason']))
    denials = [(cell, d) for cell in order for d in cells[cell]['denials']]
    if denials:
        say('denials:')
        for cell, (text, reason) in denials:
            probe = reason == 'hypercall_unknown' and text.endswith('0x4d')
            say('  %s: %s [%s]%s' % (cell, text, reason,
                                       ' (the manager\'s deliberate probe)'
                                       if probe else ''))
    say('verdicts:')
    for line in lines:
        m = VERDICT_LINE.search(line)
        if m:
            say('  [%s] %s' % (m.group(1) or 'manager', m.group(2)))


# --- Outcome records (arm_equivalence.py, x86_equivalence.py) -------------
def outcomes(lines, cells, once=False):
    """The outcome records of @cells in console @lines (arm_equivalence.py's
    doc): the denials and failures (the hypervisor console), then the
    check and verdict lines (the cells' consoles and logs), each stream in
    its own order: how the two interleave depends on who prints when. A
    denial repeated right after itself counts once; with @once, any
    repetition of an earlier denial (a cell looping over several refused
    calls: how many lines the console's rate limit lets through depends
    on time)."""
    denials, checks = [], []
    for line in lines:
        for cell in cells:
            q = re.escape(cell)
            m = re.search(r'warden: cell "%s": (.*) \[(\w+)\]$' % q, line)
            if m and 'more lines suppressed' not in line:
                rec = 'denial %s [%s] %s' % (cell, m.group(2), m.group(1))
                if not (denials and denials[-1] == rec or
                        once and rec in denials):
                    denials.append(rec)
            if re.search(r'warden: cell "%s" FAILED' % q, line):
                denials.append('failed %s' % cell)
            m = re.search(r'\[%s(?: log)?\] \[(check|verdict)\] (.*)$' % q,
                          line)
            if m:
                # A check's verdict, not its detail: the detail may show a
                # device model's own facts (docs/arm.md, "One outcome").
                text = m.group(2)
                if m.group(1) == 'check':
                    text = re.sub(r'^(\S+: \w+).*', r'\1', text)
                checks.append('%s %s: %s' % (m.group(1), cell, text))
    return denials + checks


def compare(emu, sim, label='QEMU'):
    """The first difference between the records of an emulator run
    (@label) and the simulator's, or None."""
    if emu == sim:
        return None
    for i, (a, b) in enumerate(zip(emu, sim)):
        if a != b:
            return ('record %d differs:\n  %s: %s\n  %s: %s'
                    % (i + 1, label, a, 'sim'.rjust(len(label)), b))
    n = min(len(emu), len(sim))
    longer, which = (emu, label) if len(emu) > n else (sim, 'sim')
    return 'only %s has record %d: %s' % (which, n + 1, longer[n])


def plant(recs):
    """Change the first denial's reason, as a wrong policy would."""
    for i, rec in enumerate(recs):
        if rec.startswith('denial '):
            recs[i] = re.sub(r'\[\w+\]', '[planted_difference]', rec, 1)
            return True
    return False
