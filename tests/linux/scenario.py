# SPDX-License-Identifier: GPL-2.0
"""The scenario of the Linux tests (issue #16, docs/linux.md), written once
for both machines: Debian's stock kernel boots under QEMU with a busybox
initramfs the test builds; the scenario is typed at its shell on the
serial console, one command at a time, each answered with its exit
status: load the driver, `warden enable`, create/load/start tiny and see
its output, `cell list`, the attack inmate next to Linux (each attempt
denied with its reason, Linux answers after each), shutdown and destroy
return the CPU, `warden disable`, Linux still runs, rmmod.

Before ENABLE the driver's own refusals are tried (wrong config, missing
and foreign firmware, hypervisor memory inside Linux's RAM).

What differs between the machines (kernel, console, CPUs, configs, the
memory reservation, the attacks and their parameters) is a Machine:
tests/linux/arm_linux.py (ARMv7, QEMU virt) and tests/linux/x86_linux.py
(x86-64 with AMD-V, QEMU q35) each give one to main().

Exit status: 0 passed; 1 failed (the step, why, the console's tail; the
whole console in build/linux/<arch>/console.log); 77 skipped because
Debian's packages could not be had (the reason is printed: never a
silent pass)."""

import argparse
import os
import re
import select
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import debian  # noqa: E402
import initramfs  # noqa: E402

TOP = initramfs.TOP
SKIP = 77
BOOT_TIMEOUT = 180   # s: TCG on a loaded 2-core host
STEP_TIMEOUT = 60    # s: one command
ASK_AGAIN = 5        # s: ask for a command's exit status again
HV_HEADER = struct.Struct('<8sIIIIIIIIII16s')
PARAMS = 0x1000      # the inmates' parameter block (docs/inmates.md)


class Machine:
    """What one machine's run needs (the keyword arguments):

    prog        the test's name in its lines (arm_linux, x86_linux)
    arch        Debian's architecture (debian.fetch, initramfs)
    hv_arch     struct wd_hv_header's arch (1 ARMv7, 2 x86-64)
    firmware    the name the driver asks request_firmware for
    images      the late-launch image's build paths, first found wins
    configs     the compiled configs (system, tiny, attack-linux)
    root        the root cell's name (system.dts)
    inmates     the inmates' build directory (tiny.bin, attack.bin)
    qemu        QEMU's command line without -kernel/-initrd/-append
    append      the kernel command line
    hard_timeout  s: the whole QEMU run
    kernel      a pattern `uname -r` must match
    cpus        CPUs Linux has
    ram         patterns of `grep "System RAM" /proc/iomem`, in order:
                the reservation left the cells' and warden's memory out
    overlap     a hypervisor memory start inside Linux's RAM
    tiny_cpu    tiny's CPU (tiny.dts)
    attack_cpu  the attack cell's CPU (attack-linux.dts)
    attacks     [(select, reason, item, what)]: each attempt of the
                attack inmate and the reason warden must give
    params      {offset: (format, value)} patched into the attack
                inmate's parameter block for every attempt
    checks      further Steps after the first ones (the machine as Linux
                sees it against the system config)"""

    def __init__(self, **kw):
        self.checks = []
        self.__dict__.update(kw)
        self.out = os.path.join(TOP, 'build', 'linux', self.arch)

    def path(self, *p):
        return os.path.join(TOP, *p)


class Failed(Exception):
    """A step failed; the message says why."""


# Lines that may cut into the shell's output at any character: the
# hypervisor's and its cells' (they share the UART with Linux) and the
# kernel's. The exit status marker is matched across them.
CUT_IN = r'(?:(?:warden: |\[[a-z][\w-]*\] |\[ *\d+\.\d+\] )[^\n]*\n)*'


# Lines after which nothing will answer: the hypervisor stopped the
# machine (a root cell failure, a panic) or Linux panicked. A wait fails
# at once with the line instead of running into its timeout.
FATAL = re.compile(r'^.*(?:machine stopped|HYPERVISOR PANIC|Kernel panic - '
                   r'not syncing).*$', re.M)


def marker(seq):
    """The exit status line of command @seq: @@rc.SEQ=STATUS@@."""
    return CUT_IN.join(re.escape(c) for c in '@@rc.%d=' % seq) + \
        r'(\d+)' + CUT_IN + '@@'


class Console:
    """QEMU's serial console on a pipe: commands in, lines out."""

    def __init__(self, cmd, log, verbose, hard_timeout):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, bufsize=0)
        self.text = ''
        self.pos = 0
        self.fatal_pos = 0
        self.seq = 0
        self.log = open(log, 'w')
        self.verbose = verbose
        self.deadline = time.time() + hard_timeout

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        self.log.close()

    def _read(self, until):
        left = min(until, self.deadline) - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([self.p.stdout], [], [], min(left, 1.0))
        if r:
            data = os.read(self.p.stdout.fileno(), 65536)
            if not data:
                raise Failed('QEMU exited (status %s)' % self.p.wait())
            s = data.decode('utf-8', 'replace').replace('\r', '')
            self.text += s
            self.log.write(s)
            self.log.flush()
            if self.verbose:
                sys.stdout.write(s)
                sys.stdout.flush()
        return True

    def wait(self, pattern, timeout, what):
        """The first match of @pattern after the last one; Failed after
        @timeout seconds (or the run's hard timeout)."""
        until = time.time() + timeout
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            f = FATAL.search(self.text, self.fatal_pos)
            if f:
                self.fatal_pos = len(self.text)
                raise Failed('%s: the machine stopped: "%s"'
                             % (what, f.group(0).strip()))
            if not self._read(until):
                raise Failed('%s: no "%s" within %d s%s' % (
                    what, pattern, timeout,
                    ' (hard timeout of the run)' if time.time() >=
                    self.deadline else ''))

    def type(self, line):
        self.p.stdin.write((line + '\n').encode())
        self.p.stdin.flush()

    def run(self, line, timeout=STEP_TIMEOUT):
        """Type @line; (exit status, its output). The exit status is
        kept in a file and asked for again every ASK_AGAIN seconds (the
        shell reads the question after the command ends), since a cell
        printing at the same time can garble any one answer."""
        start = len(self.text)
        self.pos = start
        self.seq += 1
        ask = 'echo "@@rc.%d=$(cat /tmp/rc.%d)@@"' % (self.seq, self.seq)
        self.type('%s; echo $? > /tmp/rc.%d; %s' % (line, self.seq, ask))
        until = time.time() + timeout
        while True:
            try:
                m = self.wait(marker(self.seq),
                              min(ASK_AGAIN, until - time.time()),
                              '`%s`' % line)
                break
            except Failed as e:
                if time.time() >= min(until, self.deadline) or \
                        'machine stopped' in str(e):
                    raise
                self.pos = start
                self.type(ask)
        # What the command started (a cell's lines) may come before or
        # after its exit status: later waits look from its start.
        self.pos = start
        return int(m.group(1)), self.text[start:m.start()]


class Step:
    """A command, the exit status it must have, patterns its output (and
    kernel lines printed meanwhile) must hold in order, then patterns the
    console must show within @wait seconds (a cell's output); @check, if
    given, is called with the output and raises Failed on what it
    finds wrong."""

    def __init__(self, name, cmd, rc=0, expect=(), then=(), wait=30,
                 forbid=(), check=None):
        self.name, self.cmd, self.rc = name, cmd, rc
        self.expect, self.then, self.wait = expect, then, wait
        self.forbid, self.check = forbid, check

    def do(self, con):
        rc, out = con.run(self.cmd)
        pos = 0
        for pattern in self.expect:
            m = re.compile(pattern, re.M).search(out, pos)
            if not m:
                raise Failed('`%s` printed no line matching "%s":\n%s'
                             % (self.cmd, pattern, out.strip()))
            pos = m.end()
        for pattern in self.forbid:
            if re.search(pattern, out, re.M):
                raise Failed('`%s` printed "%s":\n%s' % (self.cmd, pattern,
                                                         out.strip()))
        if rc != self.rc:
            raise Failed('`%s` exited %d, expected %d:\n%s'
                         % (self.cmd, rc, self.rc, out.strip()))
        if self.check:
            self.check(out)
        for pattern in self.then:
            con.wait(pattern, self.wait, 'after `%s`' % self.cmd)


def alive(after):
    """Linux answers a shell command."""
    return Step('linux answers after ' + after,
                'echo "alive $(cut -d" " -f1 /proc/uptime)"',
                expect=[r'^alive \d+\.\d+$'])


def online(cpu, state):
    return Step('cpu%d online=%d' % (cpu, state),
                'cat /sys/devices/system/cpu/cpu%d/online' % cpu,
                expect=[r'^%d$' % state])


def fake_header(arch):
    """A header that passes the driver's image checks (no code behind
    it: used only where the driver refuses before the entry)."""
    return HV_HEADER.pack(b'WARDENHV', 1, arch, 64, 128, 4096, 8, 0, 0, 0,
                          0, bytes(16)) + bytes(64)


def patched_config(path, hv_start):
    """The system config at @path with its hypervisor memory moved to
    @hv_start (struct wd_system: hypervisor_memory.phys_start at 12)."""
    data = bytearray(open(path, 'rb').read())
    struct.pack_into('<Q', data, 12, hv_start)
    return bytes(data)


def unnamed_root(path):
    """The system config at @path with an empty root cell name (the
    hypervisor refuses it: cfg_name): struct wd_system is 356 bytes
    before the root cell's struct wd_cell_desc, whose name is at 8."""
    data = bytearray(open(path, 'rb').read())
    data[356 + 8] = 0
    return bytes(data)


def attack_params(m, image, select):
    """The attack inmate's parameter block (0x1000, docs/inmates.md) with
    @select and the machine's targets (Machine.params), as a second image
    for `cell load -a`."""
    data = bytearray(open(image, 'rb').read()[PARAMS:PARAMS + 0x90])
    struct.pack_into('<I', data, 0x40, select)
    for off, (fmt, value) in m.params.items():
        struct.pack_into(fmt, data, off, value)
    return bytes(data)


ATTACK_SYSFS = '/sys/devices/warden/cells/attack'


def driver_steps(m):
    """Boot and the driver without the hypervisor: what works alone."""
    fw = '/lib/firmware/' + m.firmware
    return [
        Step('Debian kernel', 'uname -r; grep -c ^processor /proc/cpuinfo',
             expect=[m.kernel, r'^%d$' % m.cpus]),
        Step('Linux keeps out of the cells\' and warden\'s memory',
             'grep "System RAM" /proc/iomem', expect=m.ram),
    ] + m.checks + [
        Step('insmod', 'insmod /lib/modules/warden.ko'),
        Step('/dev/warden and sysfs',
             'ls /dev/warden && cat /sys/devices/warden/enabled',
             expect=[r'^/dev/warden$', r'^0$']),
        Step('warden --help', 'warden --help',
             expect=[r'usage: warden VERB', r'cell load \{ID\|NAME\}']),
        Step('cell list before enable', 'warden cell list', rc=1,
             expect=[r'^warden: warden is not enabled$']),
        Step('cell create before enable',
             'warden cell create /etc/warden/tiny.cell', rc=1,
             expect=[r'cell create: warden is not enabled: No such device']),
        Step('enable refuses a cell config',
             'warden enable /etc/warden/tiny.cell', rc=1,
             expect=[r'tiny.cell: not a system config']),
        Step('enable without firmware', 'warden enable /etc/warden/system.cell',
             rc=1, expect=[r'enable: firmware %s not found: '
                           r'No such file or directory$' % re.escape(
                               m.firmware)]),
        Step('enable refuses a foreign image',
             'cp /inmates/tiny.bin %s && '
             'warden enable /etc/warden/system.cell' % fw, rc=1,
             expect=[r'is not a warden image of revision 1 for this '
                     r'architecture: Exec format error$']),
        Step('enable refuses memory Linux owns',
             'cp /lib/firmware/fake.bin %s && '
             'warden enable /etc/warden/overlap.cell' % fw, rc=1,
             expect=[r'hypervisor memory %#x\+0x1000000 is '
                     r"Linux's RAM \(mem=, memmap=\): Device or resource "
                     r'busy$' % m.overlap]),
        Step('still disabled', 'cat /sys/devices/warden/enabled',
             expect=[r'^0$']),
        Step('rmmod and insmod again',
             'rmmod warden && insmod /lib/modules/warden.ko && '
             'rm %s' % fw),
    ]


def hypervisor_steps(m):
    """The scenario with the hypervisor (the late-launch image)."""
    fw = '/lib/firmware/' + m.firmware
    tiny, attack = m.tiny_cpu, m.attack_cpu
    steps = [
        Step('a launch the hypervisor refuses', 'cp /lib/firmware/real.bin '
             '%s && warden enable /etc/warden/noname.cell' % fw, rc=1,
             expect=[r'enable: launch refused: cfg_name \(reason 6, item '
                     r'0x0\): Invalid argument$']),
        Step('still disabled after it', 'cat /sys/devices/warden/enabled',
             expect=[r'^0$']),
        alive('the refused launch'),
        Step('enable', 'warden enable /etc/warden/system.cell'),
        Step('enable in the kernel log', 'dmesg | grep "warden: enabled"',
             expect=[r'warden: enabled on %d CPUs, root cell "%s"$'
                     % (m.cpus, m.root)]),
        Step('enabled', 'cat /sys/devices/warden/enabled', expect=[r'^1$']),
        alive('enable'),
        Step('rmmod refused while enabled', 'rmmod warden', rc=1),
        Step('cell create tiny', 'warden cell create /etc/warden/tiny.cell'),
        Step('tiny in the kernel log', 'dmesg | grep "warden: cell"',
             expect=[r'warden: cell "tiny" created, id 1, CPUs %d$' % tiny]),
        online(tiny, 0),
        Step('cell load tiny', 'warden cell load tiny /inmates/tiny.bin '
             '-a 0'),
        # The pause lets tiny print before the shell answers (the UART is
        # shared: lines written at once get mixed).
        Step('cell start tiny', 'warden cell start tiny && sleep 3',
             then=[r'\[tiny\] \[verdict\] pass (\d+)/\1']),
        Step('tiny has no refusal but the one it tries',
             'cat /sys/devices/warden/cells/tiny/reason',
             expect=[r'^\d+ not_root item 0x6 cpu %d: ' % tiny]),
        # The hypervisor's console ring, read through the root cell's
        # read-only mapping of its pages (prefixed: the same lines went to
        # the shared UART too).
        Step('warden console: the enable line and a refusal',
             'warden console | sed "s/^/con: /"',
             expect=[r'^con: warden: enabled, root cell "%s", \d+ CPU\(s\)$'
                     % m.root,
                     r'^con: warden: cell "tiny": .*\[not_root\]$']),
        Step('cell list', 'warden cell list',
             expect=[r'^ID +Name +State +CPUs$',
                     r'^0 +%s +running +%s$' % (
                         m.root, cpu_list(set(range(m.cpus)) - {tiny})),
                     r'^1 +tiny +running +%d$' % tiny]),
        Step('cell stats', 'warden cell stats tiny',
             expect=[r'^vmexits_total [1-9]\d*$']),
        alive('tiny'),
        # Linux tries to take tiny's CPU back: refused by the driver.
        Step('cpu%d stays tiny\'s' % tiny,
             'echo 1 > /sys/devices/system/cpu/cpu%d/online' % tiny, rc=1),
        online(tiny, 0),
        Step('tiny still running', 'cat /sys/devices/warden/cells/tiny/state',
             expect=[r'^running$']),
        alive('the refused CPU online'),
        Step('cell shutdown tiny', 'warden cell shutdown tiny'),
        Step('tiny shut down', 'cat /sys/devices/warden/cells/tiny/state',
             expect=[r'^shut down$']),
        Step('cell destroy tiny', 'warden cell destroy tiny'),
        online(tiny, 1),
        alive('tiny\'s destruction'),
    ]
    for select, reason, item, what in m.attacks:
        steps += [
            Step('attack %d: create' % select,
                 'warden cell create /etc/warden/attack-linux.cell'),
            Step('attack %d: load' % select,
                 'warden cell load attack /inmates/attack.bin -a 0 '
                 '/etc/warden/attack-%d.params -a 0x%x' % (select, PARAMS)),
            Step('attack %d: start (%s)' % (select, what),
                 'warden cell start attack'),
            # Its reason as the driver reads it (GET_REASON): the console
            # lines may be cut into by Linux's.
            Step('attack %d: denied, %s' % (select, reason),
                 'for i in $(seq 40); do [ "$(cat %s/state)" = failed ] && '
                 'break; sleep 0.25; done; cat %s/state %s/reason'
                 % ((ATTACK_SYSFS,) * 3),
                 expect=[r'^failed$', r'^\d+ %s item %#x cpu %d: '
                         % (reason, item, attack)]),
            Step('attack %d: counted as denied' % select,
                 'warden cell stats attack',
                 expect=[r'^vmexits_denied [1-9]\d*$']),
            alive('attack %d' % select),
            Step('attack %d: failed in cell list' % select, 'warden cell list',
                 expect=[r'^\d+ +attack +failed +%d$' % attack]),
            Step('disable refused while a cell exists', 'warden disable',
                 rc=1, expect=[r'disable: 1 cells exist']),
            Step('attack %d: destroy' % select, 'warden cell destroy attack'),
            online(attack, 1),
        ]
    steps += [
        Step('disable', 'warden disable'),
        Step('disable in the kernel log', 'dmesg | tail -n 3',
             expect=[r'warden: disabled$']),
        Step('disabled', 'cat /sys/devices/warden/enabled', expect=[r'^0$']),
        # Still readable after DISABLE: the last lines (on x86 each CPU's
        # "continues natively" comes after).
        Step('warden console after disable: its last lines',
             'warden console | tail -n %d | sed "s/^/con: /"' % (m.cpus + 2),
             expect=[r'^con: warden: hypervisor disabled$']),
        alive('disable'),
        Step('all CPUs still Linux\'s', 'cat /sys/devices/system/cpu/online',
             expect=[r'^%s$' % cpu_list(range(m.cpus))]),
        Step('rmmod', 'rmmod warden'),
    ]
    return steps


def cpu_list(cpus):
    """@cpus as Linux and the driver print them: 0-1,3."""
    cpus = sorted(cpus)
    parts, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append('%d' % cpus[i] if i == j else
                     '%d-%d' % (cpus[i], cpus[j]))
        i = j + 1
    return ','.join(parts)


def firmware(m, path):
    """The late-launch image to test, or None and why not."""
    paths = [path] if path else [m.path(p) for p in m.images]
    for p in paths:
        if os.path.exists(p):
            head = open(p, 'rb').read(HV_HEADER.size)
            if len(head) == HV_HEADER.size and head[:8] == b'WARDENHV':
                return p, None
            return None, '%s has no WARDENHV header (docs/linux.md)' % p
    return None, 'no late-launch image (%s)' % ', '.join(paths)


def build(m, tree, image):
    """The initramfs of the run."""
    os.makedirs(m.out, exist_ok=True)
    ko = initramfs.module(tree, m.arch, m.out)
    system = m.path(m.configs, 'system.cell')
    files = {
        '/lib/modules/warden.ko': ko,
        '/bin/warden': initramfs.command(m.arch, m.out),
        '/lib/firmware/fake.bin': fake_header(m.hv_arch),
        '/etc/warden/overlap.cell': patched_config(system, m.overlap),
        '/etc/warden/noname.cell': unnamed_root(system),
    }
    for name in ('system', 'tiny', 'attack-linux'):
        files['/etc/warden/%s.cell' % name] = m.path(m.configs,
                                                     name + '.cell')
    for name in ('tiny', 'attack'):
        files['/inmates/%s.bin' % name] = m.path(m.inmates, name + '.bin')
    attack = m.path(m.inmates, 'attack.bin')
    for guest, host in files.items():
        if isinstance(host, str) and not os.path.exists(host):
            raise initramfs.BuildError('%s missing (scons -Q first)' % host)
    for select, _, _, _ in m.attacks:
        files['/etc/warden/attack-%d.params' % select] = attack_params(
            m, attack, select)
    if image:
        files['/lib/firmware/real.bin'] = image
    return initramfs.cpio(tree, files, m.out)


def main(m, doc):
    ap = argparse.ArgumentParser(description=doc.split('\n\n')[0])
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print the console as it comes')
    ap.add_argument('--firmware', help='the late-launch image (default: '
                    + ' or '.join(m.images) + ')')
    ap.add_argument('--until', help='stop after the step of this name')
    args = ap.parse_args()
    prog = m.prog

    t0 = time.time()
    try:
        tree = debian.fetch(m.arch, log=lambda s: print('%s: %s'
                                                        % (prog, s)))
    except debian.Unavailable as e:
        print('%s: SKIPPED: Debian %s packages unavailable: %s'
              % (prog, m.arch, e))
        return SKIP
    image, why = firmware(m, args.firmware)
    try:
        initrd = build(m, tree, image)
    except initramfs.BuildError as e:
        print('%s: FAILED: %s' % (prog, e))
        return 1
    steps = driver_steps(m) + (hypervisor_steps(m) if image else [])
    cmd = m.qemu + ['-kernel', tree.image, '-initrd', initrd,
                    '-append', m.append]
    print('%s: Debian %s (%s), %d steps%s' % (
        prog, tree.abi, tree.version, len(steps),
        '' if image else '; WITHOUT the hypervisor: ' + why))
    con = Console(cmd, os.path.join(m.out, 'console.log'), args.verbose,
                  m.hard_timeout)
    done, current = 0, 'boot'
    try:
        con.wait(r'^warden-test: init ready', BOOT_TIMEOUT, 'boot')
        print('%s:   ok  boot (%.0f s)' % (prog, time.time() - t0))
        for step in steps:
            ts, current = time.time(), step.name
            step.do(con)
            done += 1
            print('%s:   ok  %s (%.1f s)' % (prog, step.name,
                                             time.time() - ts))
            if args.until == step.name:
                break
    except Failed as e:
        step = current
        tail = con.text.strip().split('\n')[-40:]
        print('%s: FAILED at step "%s": %s\n---- console (last 40 lines; '
              'all in %s) ----\n%s\n---- end ----'
              % (prog, step, e, os.path.relpath(con.log.name, TOP),
                 '\n'.join(tail)))
        return 1
    finally:
        con.close()
    if not image:
        print('%s: FAILED: the %d driver steps passed, the hypervisor '
              'scenario did not run: %s' % (prog, done, why))
        return 1
    print('%s: passed: %d steps in %.0f s' % (prog, done, time.time() - t0))
    return 0
