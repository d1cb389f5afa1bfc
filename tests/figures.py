#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one figures table of `scons bench` (issue #18, point 4).

Every figures script (tests/qemu/arm_figures.py, tests/qemu/x86_figures.py,
the simulator's tests/bench/bench.c through scripts/wardenbuild.py) prints
its rows through this module, in one column layout, so their outputs read
as one table: the figure's name, the figure, its budget (at most) or
target (at least), the anchor's figure (Jailhouse's, Bao's, or "-") and a
verdict.

    import figures
    figures.section('ARMv7, hypervisor instructions per trap (...)')
    figures.row('hypercall (HYPERVISOR_GET_INFO)', 263, budget=150,
                anchor=None, unit='insns')
    figures.row('image .text', 86614, budget=48 * 1024, anchor=47800,
                unit='bytes')
    figures.row('replay', 6.86e6, target=5e6, unit='traps/s',
                assert_=False)
    sys.exit(figures.exit_status())

budget=B: the figure must be <= B; target=T: it must be >= T; neither:
printed only. An asserted row (assert_=True, the default) that misses
says EXCEEDED or MISSED and makes exit_status() 1. A figure that is not
deterministic (a timing) is given assert_=False: its verdict is printed
("ok" or "missed") but never fails. A figure that could not be measured
is None: "n/a", and an asserted budget or target then fails (MISSING).
An anchor is a number (printed in the figure's unit) or a text. The
column titles print before the first row or section, unless the
environment has FIGURES_HEADER=0 (`scons bench` sets it for the scripts
after the first, so the table has one header).

The C programs print rows as text lines that `python3 tests/figures.py`
(reading its standard input) turns into the table, other lines passing
through unchanged:

    @figures section <title>
    @figures row <name>|<value>|<key>=<value>|...

with keys budget, target, anchor, unit, assert (0 or 1), note; a value
or number is a decimal or float, or "n/a".
"""

import os
import sys

NAME_W = 56
FIGURE_W = 20
BOUND_W = 20
ANCHOR_W = 16

_failed = []
_header_done = False


def _num(v, unit):
    """@v in a short human form with @unit: 1,297 insns, 6.86 M traps/s."""
    if v is None:
        return 'n/a'
    if isinstance(v, str):
        return v
    if isinstance(v, float):
        if abs(v) >= 1e9:
            s = '%.2f G' % (v / 1e9)
        elif abs(v) >= 1e6:
            s = '%.2f M' % (v / 1e6)
        elif abs(v) >= 1e4:
            s = '%.1f k' % (v / 1e3)
        elif abs(v) >= 100:
            s = '{:,.1f}'.format(v)
        else:
            s = '%.2f' % v
    else:
        s = '{:,}'.format(int(v))
    return (s + ' ' + unit).strip() if unit else s


def _print(line):
    sys.stdout.write(line.rstrip() + '\n')
    sys.stdout.flush()


def header():
    """The column titles (printed once, before the first section)."""
    global _header_done
    if _header_done:
        return
    _header_done = True
    if os.environ.get('FIGURES_HEADER') == '0':
        return
    _print('%-*s %*s %*s %*s  %s' % (NAME_W, 'figure', FIGURE_W, 'value',
                                     BOUND_W, 'budget / target', ANCHOR_W,
                                     'anchor', 'verdict'))
    _print('-' * (NAME_W + FIGURE_W + BOUND_W + ANCHOR_W + 14))


def section(title):
    """A section's title line: where the figures come from."""
    header()
    _print('== %s' % title)


def row(name, value, budget=None, target=None, anchor=None, unit='',
        assert_=True, note=None):
    """Print one figure's row at once; return True when it is within its
    budget or target (or has neither)."""
    header()
    if budget is not None and target is not None:
        raise ValueError('figures.row(%r): budget and target' % name)
    bound = '-'
    ok = True
    if budget is not None:
        bound = '<= ' + _num(budget, unit)
        ok = value is not None and value <= budget
        bad = 'EXCEEDED' if value is not None else 'MISSING'
    elif target is not None:
        bound = '>= ' + _num(target, unit)
        ok = value is not None and value >= target
        bad = 'MISSED' if value is not None else 'MISSING'
    if budget is None and target is None:
        verdict = '-'
    elif ok:
        verdict = 'ok'
    elif assert_:
        verdict = bad
        _failed.append(name)
    else:
        verdict = bad.lower() + ' (timing, not asserted)'
    if note:
        verdict += '  (%s)' % note
    anchor_s = '-' if anchor is None else _num(anchor, unit)
    if len(name) > NAME_W:
        _print(name)
        name = ''
    _print('%-*s %*s %*s %*s  %s' % (NAME_W, name, FIGURE_W,
                                     _num(value, unit), BOUND_W, bound,
                                     ANCHOR_W, anchor_s, verdict))
    return ok


def note(text):
    """A free line under the rows (indented), e.g. a ratio's meaning."""
    _print('   ' + text)


def failed():
    """The names of the asserted rows that missed so far."""
    return list(_failed)


def exit_status():
    """1 when an asserted budget was exceeded or a target missed, else 0;
    the failed rows are named on one line."""
    if _failed:
        _print('figures: FAILED: %s' % '; '.join(_failed))
        return 1
    return 0


def _parse_value(s):
    s = s.strip()
    if s in ('', 'n/a'):
        return None
    try:
        return int(s)
    except ValueError:
        return float(s)


def feed(stream):
    """Turn "@figures ..." lines of @stream into rows; pass others."""
    for line in stream:
        line = line.rstrip('\n')
        if line.startswith('@figures section '):
            section(line[len('@figures section '):])
        elif line.startswith('@figures row '):
            parts = line[len('@figures row '):].split('|')
            kw = {}
            for p in parts[2:]:
                key, _, val = p.partition('=')
                if key in ('budget', 'target'):
                    kw[key] = _parse_value(val)
                elif key == 'anchor':
                    try:
                        kw[key] = _parse_value(val)
                    except ValueError:
                        kw[key] = val
                elif key == 'assert':
                    kw['assert_'] = val.strip() != '0'
                elif key in ('unit', 'note'):
                    kw[key] = val
                else:
                    raise ValueError('figures: unknown key %r in %r'
                                     % (key, line))
            row(parts[0], _parse_value(parts[1]) if len(parts) > 1 else None,
                **kw)
        elif line.startswith('@figures note '):
            note(line[len('@figures note '):])
        else:
            _print(line)


if __name__ == '__main__':
    feed(sys.stdin)
    sys.exit(exit_status())
