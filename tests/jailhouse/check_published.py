#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Jailhouse's published configurations against warden's config tool
(issue #12): given a Jailhouse checkout, build every configs/{x86,arm,arm64}
/*.c the way Jailhouse's own build does (configs/Makefile: the checkout's
include paths and KBUILD_CFLAGS, compile to .o, objcopy with its
OBJCOPYFLAGS to .cell), then run warden-config on each:

- size: the file is exactly as long as its header declares;
- dump: `warden-config dump` decodes it;
- round trip: the dump compiled back (`warden-config compile`) gives the
  same bytes;
- check: each system config alone, then with each of its cells
  (`warden-config check SYSTEM CELL`; the cells of a board are
  alternatives, so they are checked one at a time, not as one set). A
  message is listed on the config it names; the system's own messages
  once, on the system.

Which cells go with which system: the system of the cell's architecture
whose file name shares the most leading '-'-separated words with the
cell's (qemu-arm + qemu-arm-linux-demo, k3-am654-idk + k3-am654-inmate-demo);
a cell sharing none goes with the architecture's QEMU system (Jailhouse's
x86 demo cells are written for qemu-x86).

Every message must be listed in the expectations file
(tests/jailhouse/expected.txt: the cases where warden is deliberately
stricter than Jailhouse, docs/check.md, and real errors of Jailhouse's
configs, each with its reason), and every listed one must occur: the exit
status is non-zero on any unexpected outcome, a failed build, dump or
round trip, or an expectation that no longer occurs.

  python3 tests/jailhouse/check_published.py --jailhouse-src DIR
      [--out DIR] [--warden-config PATH] [--expect FILE] [-v]

Without --jailhouse-src, $JAILHOUSE_SRC is used; without either the run
is skipped (exit 0, and it says "skipped").
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
ARCHES = ('x86', 'arm', 'arm64')
# The compilers Jailhouse's build uses (ARCH=arm: arm-none-eabi- or
# arm-linux-gnueabihf-; arm64: aarch64-linux-gnu-; x86: the host's). The
# configs are packed structs of fixed-size little-endian fields, so a
# little-endian host compiler gives the same bytes where a cross compiler
# is missing (the table says which compiler built each config).
COMPILERS = {
    'x86': [('gcc', 'objcopy')],
    'arm': [('arm-none-eabi-gcc', 'arm-none-eabi-objcopy'),
            ('arm-linux-gnueabihf-gcc', 'arm-linux-gnueabihf-objcopy')],
    'arm64': [('aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-objcopy'),
              ('gcc', 'objcopy')],
}
QEMU_SYSTEM = {'x86': 'qemu-x86', 'arm': 'qemu-arm', 'arm64': 'qemu-arm64'}

# Revision 14 layout (include/jailhouse/cell-config.h): the header sizes
# and the element sizes of the arrays after the header, in file order.
CELL_DESC = 132
SYSTEM_BEFORE_ROOT = 356
ELEMENTS = (32, 12, 32, 4, 56, 8, 4)  # mem cache irqchip pio pci cap sid


def makefile_vars(src):
    """LINUXINCLUDE, KBUILD_CFLAGS and OBJCOPYFLAGS of configs/Makefile."""
    with open(os.path.join(src, 'configs', 'Makefile')) as f:
        text = f.read().replace('\\\n', ' ')
    out = {}
    for name in ('LINUXINCLUDE', 'KBUILD_CFLAGS', 'OBJCOPYFLAGS'):
        vals = []
        for m in re.finditer(r'^%s\s*(:=|\+=|=)(.*)$' % name, text, re.M):
            if m.group(1) != '+=':
                vals = []
            vals += m.group(2).split()
        out[name] = vals
    # "KBUILD_CFLAGS += -include $(obj)/../include/jailhouse/config.h" is
    # guarded by a wildcard on that file: keep it only if the file exists.
    flags, skip = [], False
    for v in out['KBUILD_CFLAGS']:
        if skip:
            skip = False
            if os.path.exists(v.replace('$(obj)', os.path.join(src,
                                                             'configs'))):
                flags += ['-include', v.replace(
                    '$(obj)', os.path.join(src, 'configs'))]
            continue
        if v == '-include':
            skip = True
            continue
        flags.append(v)
    out['KBUILD_CFLAGS'] = flags
    return out


def tool(cands):
    for cc, objcopy in cands:
        if shutil.which(cc) and shutil.which(objcopy):
            return cc, objcopy
    return None, None


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, **kw)
    return p.returncode, p.stdout, p.stderr


def build(src, out, verbose):
    """Compile every config; returns [(arch, name, cell path or None,
    compiler, error)]."""
    mk = makefile_vars(src)
    results = []
    for arch in ARCHES:
        cdir = os.path.join(src, 'configs', arch)
        if not os.path.isdir(cdir):
            continue
        cc, objcopy = tool(COMPILERS[arch])
        incs = [i.replace('$(src)', os.path.join(src, 'configs'))
                 .replace('$(SRCARCH)', arch) for i in mk['LINUXINCLUDE']]
        os.makedirs(os.path.join(out, arch), exist_ok=True)
        for c in sorted(f for f in os.listdir(cdir) if f.endswith('.c')):
            name = c[:-2]
            if not cc:
                results.append((arch, name, None, '-',
                                'no compiler for %s' % arch))
                continue
            obj = os.path.join(out, arch, name + '.o')
            cell = os.path.join(out, arch, name + '.cell')
            cmd = [cc, '-c'] + mk['KBUILD_CFLAGS'] + incs + \
                [os.path.join(cdir, c), '-o', obj]
            rc, _, err = run(cmd)
            if rc == 0:
                rc, _, err = run([objcopy] + mk['OBJCOPYFLAGS'] +
                                 [obj, cell])
            if verbose:
                print(' '.join(cmd))
            results.append((arch, name, cell if rc == 0 else None, cc,
                            err.strip().splitlines()[-1] if rc else ''))
    return results


def declared_size(data):
    """(kind, declared size) from a revision 14 header, or (None, 0)."""
    if data[:5] == b'JHSYS':
        base = SYSTEM_BEFORE_ROOT
        kind = 'system'
    elif data[:5] == b'JHCLL':
        base = 0
        kind = 'cell'
    else:
        return None, 0
    if len(data) < base + CELL_DESC:
        return kind, base + CELL_DESC
    cpu_set, *nums = struct.unpack_from('<9I', data, base + 48)
    return kind, base + CELL_DESC + cpu_set + sum(
        n * s for n, s in zip(nums, ELEMENTS))


def shared_words(a, b):
    """How many leading '-'-separated words names @a and @b share."""
    n = 0
    for x, y in zip(a.split('-'), b.split('-')):
        if x != y:
            break
        n += 1
    return n


def pair(cfgs):
    """{system key: [cell keys]} for the configs that decoded: a cell goes
    with the system of its architecture whose name shares the most leading
    words with its own (qemu-arm + qemu-arm-linux-demo, k3-am654-idk +
    k3-am654-inmate-demo), else with the architecture's QEMU system."""
    systems = [k for k, c in cfgs.items() if c['kind'] == 'system']
    groups = {s: [] for s in systems}
    for k, c in sorted(cfgs.items()):
        if c['kind'] != 'cell':
            continue
        arch, name = k.split('/')
        best, score = None, 0
        for s in sorted(systems):
            sarch, sname = s.split('/')
            n = shared_words(name, sname)
            if sarch == arch and n > score:
                best, score = s, n
        if not best and '%s/%s' % (arch, QEMU_SYSTEM[arch]) in groups:
            best = '%s/%s' % (arch, QEMU_SYSTEM[arch])
        if best:
            groups[best].append(k)
        else:
            c['check'] = ['no system config to check it with']
    return groups


MSG = re.compile(r'^warden-config: (.*?): (.*)$')


def check(wcfg, cfgs, groups):
    """Fill cfgs[key]['check'] with the messages naming each config."""
    by_path = {c['cell']: k for k, c in cfgs.items()}
    for s, cells in sorted(groups.items()):
        runs = [[cfgs[s]['cell']]] + [[cfgs[s]['cell'], cfgs[c]['cell']]
                                      for c in cells]
        for files in runs:
            _, _, err = run([wcfg, 'check'] + files)
            for line in err.splitlines():
                m = MSG.match(line)
                key = by_path.get(m.group(1)) if m else None
                if not key or 'warning:' in m.group(2):
                    if not m or key is None:
                        cfgs[s]['check'].append('(unattributed) ' + line)
                    continue
                if key == s and len(files) > 1:
                    continue  # the system's own messages: once, above
                if m.group(2) not in cfgs[key]['check']:
                    cfgs[key]['check'].append(m.group(2))


def load_expectations(path):
    """{(config key, message)} from the expectations file."""
    exp = set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            key, sep, msg = line.partition(': ')
            if not sep or '/' not in key:
                sys.exit('%s:%d: expected "ARCH/NAME: MESSAGE"' % (path, n))
            exp.add((key, msg))
    return exp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--jailhouse-src', default=os.environ.get(
        'JAILHOUSE_SRC'), help='Jailhouse checkout (default $JAILHOUSE_SRC)')
    ap.add_argument('--out', help='build directory (default: a temporary '
                    'one)')
    ap.add_argument('--warden-config', default=os.path.join(
        TOP, 'build', 'host', 'warden-config'))
    ap.add_argument('--expect', default=os.path.join(
        TOP, 'tests', 'jailhouse', 'expected.txt'))
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()

    if not a.jailhouse_src:
        print('jailhouse configs: skipped: JAILHOUSE_SRC not set')
        return 0
    src = os.path.abspath(a.jailhouse_src)
    if not os.path.exists(os.path.join(src, 'configs', 'Makefile')):
        print('jailhouse configs: %s has no configs/Makefile' % src)
        return 1
    rc, head, _ = run(['git', '-C', src, 'log', '-1', '--format=%H %cs'])
    print('Jailhouse: %s at %s' % (src, head.strip() if rc == 0 else
                                   'an unknown commit (not a git checkout)'))
    out = a.out or tempfile.mkdtemp(prefix='jailhouse-configs-')
    wcfg = a.warden_config

    cfgs = {}
    for arch, name, cell, cc, err in build(src, out, a.verbose):
        c = {'arch': arch, 'cell': cell, 'cc': cc, 'size': '-',
             'kind': None, 'dump': 'no', 'rt': 'no', 'check': [],
             'fail': []}
        cfgs['%s/%s' % (arch, name)] = c
        if not cell:
            c['fail'].append('build: ' + err)
            continue
        with open(cell, 'rb') as f:
            data = f.read()
        c['kind'], want = declared_size(data)
        c['size'] = len(data)
        if c['kind'] is None:
            c['fail'].append('not a revision 14 config (signature %r)' %
                             data[:5])
            continue
        if want > len(data):
            c['fail'].append('size %d, the header declares %d' %
                             (len(data), want))
        elif want < len(data):
            # Bytes past the declared size: Jailhouse ignores them, so
            # does warden (dump warns); the round trip gives the rest.
            c['size'] = '%d (%d declared)' % (len(data), want)
            data = data[:want]
        dts = cell[:-5] + '.dts'
        rc, _, err = run([wcfg, 'dump', cell, '-o', dts])
        if rc:
            c['fail'].append('dump: ' + err.strip())
            c['kind'] = None
            continue
        c['dump'] = 'ok'
        back = cell[:-5] + '.rt.cell'
        rc, _, err = run([wcfg, 'compile', dts, '-o', back])
        if rc == 0:
            with open(back, 'rb') as f:
                same = f.read() == data
            c['rt'] = 'ok' if same else 'differs'
            if not same:
                c['fail'].append('round trip: the bytes differ')
        else:
            c['fail'].append('compile of the dump: ' + err.strip())

    check(wcfg, cfgs, pair({k: c for k, c in cfgs.items() if c['kind']}))

    expected = load_expectations(a.expect)
    seen = set()
    bad = 0
    print('| config | arch | size | dump | round trip | check |')
    print('|---|---|---|---|---|---|')
    for k in sorted(cfgs):
        c = cfgs[k]
        notes = []
        for m in c['fail']:
            bad += 1
            notes.append('UNEXPECTED ' + m)
        for m in c['check']:
            if (k, m) in expected:
                seen.add((k, m))
                notes.append('expected: ' + m)
            else:
                bad += 1
                notes.append('UNEXPECTED: ' + m)
        status = 'ok' if not c['check'] else 'refused'
        if c['kind'] is None:
            status = '-'
        print('| %s | %s | %s | %s | %s | %s%s |' % (
            k, c['arch'], c['size'], c['dump'], c['rt'], status,
            ''.join('<br>' + n for n in notes)))
    for k, m in sorted(expected - seen):
        if k in cfgs:
            bad += 1
            print('EXPECTED BUT NOT SEEN: %s: %s' % (k, m))
    loads = sum(1 for c in cfgs.values() if not c['fail'] and not c['check'])
    refused = len({k for k, _ in seen})
    print('%d configs: %d load and pass check, %d refused as expected, '
          '%d unexpected outcomes' % (len(cfgs), loads, refused, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
