#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The docs test: run every command of README.md, docs/*.md and the
directories' README.md files (./run test runs it after the build and the
tests).

A command is a line of a fenced (```) or indented (4 spaces) code block
that starts with ./run, build/, warden-config, warden-sim, scons,
python3 tests/, qemu-system-, gdb-multiarch or dtc (after an optional
"$ " prompt; in a block that has prompts, only the prompted lines are
commands, the others are their output; a line whose first word ends in
':' is a message, not a command). A line ending in a backslash continues
on the next.

Each command runs with bash from a scratch directory that links every
top-level entry of the tree (build/, configs/, tests/...), so the paths of
the docs work as written and files a command writes beside them (-o
tiny.cell, > out.txt) land in the scratch directory, not in the tree. It
must exit 0 within TIMEOUT seconds.

Markers, HTML comments in the doc, apply to the next code block:
  <!-- docs-test: skip (REASON) -->  do not run its commands (say why:
                                      interactive, needs root, runs the
                                      whole test suite, long QEMU run...)
  <!-- docs-test: fails (REASON) -->  its commands must exit non-zero
                                      (a doc showing an error message)
The test prints every command with its verdict, then how many ran and how
many were skipped, with the reasons; it fails naming DOC:LINE: COMMAND.

usage: python3 tests/docs/run_docs.py [-v] [-l] [DOC...]
  -l  list the commands and markers only, run nothing
  -v  print each command's output
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TIMEOUT = 120
PREFIXES = ('./run', 'build/', 'warden-config', 'warden-sim', 'scons',
            'python3 tests/', 'qemu-system-', 'gdb-multiarch', 'dtc ')
MARKER = re.compile(r'<!--\s*docs-test:\s*(skip|fails)\s*(?:\((.*)\))?\s*-->')


def docs():
    """README.md, docs/*.md and the directories' README.md files."""
    return ['README.md'] + sorted(
        os.path.relpath(p, TOP) for pattern in ('docs/*.md', '*/README.md',
                                                '*/*/README.md')
        for p in glob.glob(os.path.join(TOP, pattern)))


def blocks(path):
    """(first line number, [(line number, text)], marker) per code block."""
    with open(os.path.join(TOP, path)) as f:
        lines = f.read().split('\n')
    out, marker, i = [], None, 0
    while i < len(lines):
        line = lines[i]
        m = MARKER.search(line)
        if m:
            marker = (m.group(1), (m.group(2) or '').strip(), i + 1)
            i += 1
            continue
        if line.lstrip().startswith('```'):
            fence = line.lstrip()[:3]
            indent = len(line) - len(line.lstrip())
            body, i = [], i + 1
            while i < len(lines) and not lines[i].lstrip().startswith(fence):
                body.append((i + 1, lines[i][indent:]))
                i += 1
            out.append((body[0][0] if body else i, body, marker))
            marker = None
            i += 1
            continue
        # An indented block: after a blank line, 4+ spaces, not a list's
        # continuation (the line before the blank is not a list item).
        if line.startswith('    ') and line.strip() and i > 0 and \
                not lines[i - 1].strip() and not in_list(lines, i):
            body = []
            while i < len(lines) and (lines[i].startswith('    ') or
                                      not lines[i].strip()):
                body.append((i + 1, lines[i][4:]))
                i += 1
            out.append((body[0][0], body, marker))
            marker = None
            continue
        if line.strip():
            marker = None  # a marker applies to the block right after it
        i += 1
    return out


def in_list(lines, i):
    """Is the indented line @i the continuation of a list item?"""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    while j >= 0 and lines[j].strip():
        if re.match(r'\s*([-*+]|\d+\.)\s', lines[j]):
            return True
        if not lines[j].startswith(' '):
            return False
        j -= 1
    return False


def commands(body):
    """[(line number, command)] of a block's lines."""
    prompted = any(t.lstrip().startswith('$ ') for _, t in body)
    out, cur, start = [], None, 0
    for n, text in body:
        t = text.strip()
        if cur is not None:
            cur += ' ' + t.rstrip('\\').strip()
            if not t.endswith('\\'):
                out.append((start, cur))
                cur = None
            continue
        if prompted:
            if not t.startswith('$ '):
                continue
            t = t[2:].strip()
        # "warden-config: FILE: ..." is a message, not a command.
        if not t.startswith(PREFIXES) or t.split()[0].endswith(':'):
            continue
        if t.endswith('\\'):
            cur, start = t.rstrip('\\').strip(), n
        else:
            out.append((n, t))
    if cur is not None:
        out.append((start, cur))
    return out


def scratch():
    """A directory linking every top-level entry of the tree."""
    d = tempfile.mkdtemp(prefix='warden-docs-')
    for name in os.listdir(TOP):
        if name != '.git':
            os.symlink(os.path.join(TOP, name), os.path.join(d, name))
    return d


def main(argv):
    if '-h' in argv or '--help' in argv:
        print(__doc__.strip())
        return 0
    unknown = [a for a in argv if a.startswith('-') and a not in ('-v', '-l')]
    if unknown:
        print('run_docs.py: unknown option %s (-h explains)' % unknown[0],
              file=sys.stderr)
        return 2
    verbose = '-v' in argv
    listing = '-l' in argv
    paths = [a for a in argv if not a.startswith('-')] or docs()
    ran, skipped, failed = 0, [], []
    work = None if listing else scratch()
    env = dict(os.environ)
    # Users run the tools as built: no sanitizer settings, no terminal.
    for var in ('ASAN_OPTIONS', 'LSAN_OPTIONS', 'UBSAN_OPTIONS'):
        env.pop(var, None)
    t0 = time.time()
    try:
        for path in paths:
            for _, body, marker in blocks(path):
                for n, cmd in commands(body):
                    where = '%s:%d' % (path, n)
                    kind, why = marker[:2] if marker else (None, None)
                    if kind == 'skip':
                        skipped.append((where, cmd, why or 'no reason'))
                        print('skip  %s: %s  (%s)' % (where, cmd, why))
                        continue
                    if listing:
                        print('%-5s %s: %s' % (kind or 'run', where, cmd))
                        continue
                    start = time.time()
                    try:
                        p = subprocess.run(
                            ['bash', '-c', cmd], cwd=work, env=env,
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=TIMEOUT,
                            universal_newlines=True, errors='replace')
                        rc, out = p.returncode, p.stdout
                    except subprocess.TimeoutExpired as e:
                        rc, out = None, (e.stdout or b'').decode(
                            errors='replace') if isinstance(
                                e.stdout, bytes) else (e.stdout or '')
                    ran += 1
                    ok = rc is not None and ((rc != 0) == (kind == 'fails'))
                    status = ('timed out after %d s' % TIMEOUT if rc is None
                              else 'exit %d' % rc)
                    print('%-5s %s: %s  (%s, %.1f s)' % (
                        'ok' if ok else 'FAIL', where, cmd, status,
                        time.time() - start))
                    if verbose or not ok:
                        sys.stdout.write(''.join(
                            '      | ' + l + '\n'
                            for l in out.splitlines()[-40:]))
                    if not ok:
                        failed.append((where, cmd, status))
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)
    if listing:
        return 0
    print('docs test: %d commands ran in %.0f s, %d skipped, %d failed'
          % (ran, time.time() - t0, len(skipped), len(failed)))
    reasons = {}
    for where, _, why in skipped:
        reasons.setdefault(why, []).append(where)
    for why, wheres in sorted(reasons.items()):
        print('  skipped (%s): %s' % (why, ', '.join(wheres)))
    for where, cmd, status in failed:
        print('docs test: FAILED %s: %s (%s)' % (where, cmd, status))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
