#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""warden aside Linux on ARMv7 (issue #16, docs/linux.md): Debian's stock
armmp kernel boots on qemu-system-arm (virt, virtualization=on, GICv2) with
a busybox initramfs this test builds; the scenario is typed at its shell on
the serial console, one command at a time, each answered with its exit
status: load the driver, `warden enable`, create/load/start tiny and see
its output, `cell list`, the attack inmate next to Linux (each attempt
denied, Linux answers after each), shutdown and destroy return the CPU,
`warden disable`, Linux still runs.

Before ENABLE the driver's own refusals are tried (wrong config, missing
and foreign firmware, hypervisor memory inside Linux's RAM).

Exit status: 0 passed; 1 failed (the step, why, the console's tail; the
whole console in build/linux/armhf/console.log); 77 skipped because
Debian's packages could not be had (the reason is printed: never a
silent pass).

  python3 tests/linux/arm_linux.py [-v] [--firmware IMAGE] [--until STEP]
"""

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
OUT = os.path.join(TOP, 'build', 'linux', 'armhf')
PROG = 'arm_linux'
SKIP = 77
# The hypervisor image (one image for both entries, docs/linux.md).
FIRMWARE = ['build/armv7/warden-armv7.bin', 'build/armv7/warden.bin']
CONFIGS = 'build/configs/qemu-arm-linux'
INMATES = 'build/inmates/armv7'
MEM = '992M'
QEMU = ['qemu-system-arm', '-M',
        'virt,virtualization=on,gic-version=2,highmem=off',
        '-cpu', 'cortex-a15', '-smp', '2', '-m', '1024', '-display', 'none',
        '-serial', 'stdio', '-monitor', 'none', '-no-reboot']
APPEND = 'console=ttyAMA0 mem=%s panic=1 quiet' % MEM
BOOT_TIMEOUT = 180   # s: TCG on a loaded 2-core host
STEP_TIMEOUT = 60    # s: one command
HARD_TIMEOUT = 420   # s: the whole QEMU run (scons test stops a script at 600)
ASK_AGAIN = 5        # s: ask for a command's exit status again
HV_HEADER = struct.Struct('<8sIIIIIIIIII16s')
PARAMS = 0x1000      # the inmates' parameter block (docs/inmates.md)


class Failed(Exception):
    """A step failed; the message says why."""


# Lines that may cut into the shell's output at any character: the
# hypervisor's and its cells' (they share the UART with Linux) and the
# kernel's. The exit status marker is matched across them.
CUT_IN = r'(?:(?:warden: |\[[a-z][\w-]*\] |\[ *\d+\.\d+\] )[^\n]*\n)*'


def marker(seq):
    """The exit status line of command @seq: @@rc.SEQ=STATUS@@."""
    return CUT_IN.join(re.escape(c) for c in '@@rc.%d=' % seq) + \
        r'(\d+)' + CUT_IN + '@@'


class Console:
    """QEMU's serial console on a pipe: commands in, lines out."""

    def __init__(self, cmd, log, verbose):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, bufsize=0)
        self.text = ''
        self.pos = 0
        self.seq = 0
        self.log = open(log, 'w')
        self.verbose = verbose
        self.deadline = time.time() + HARD_TIMEOUT

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
                m = self.wait(marker(self.seq), min(ASK_AGAIN, until - time.time()),
                              '`%s`' % line)
                break
            except Failed:
                if time.time() >= min(until, self.deadline):
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
    console must show within @wait seconds (a cell's output)."""

    def __init__(self, name, cmd, rc=0, expect=(), then=(), wait=30,
                 forbid=()):
        self.name, self.cmd, self.rc = name, cmd, rc
        self.expect, self.then, self.wait = expect, then, wait
        self.forbid = forbid

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


def fake_header(arch=1):
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


def attack_params(image, select):
    """The attack inmate's parameter block (0x1000, docs/inmates.md) with
    @select, another cell's RAM and the hypervisor's memory at this
    machine's addresses, as a second image for `cell load -a`."""
    data = bytearray(open(image, 'rb').read()[PARAMS:PARAMS + 0x90])
    struct.pack_into('<I', data, 0x40, select)
    struct.pack_into('<Q', data, 0x68, 0x7e000000)  # tiny's RAM (phys)
    struct.pack_into('<Q', data, 0x70, 0x7f000000)  # the hypervisor
    struct.pack_into('<Q', data, 0x80, 0)           # Linux's CPU 0
    return bytes(data)


ATTACK_SYSFS = '/sys/devices/warden/cells/attack'
# Attack attempts (tests/qemu/arm_manager.py): select, the reason warden
# must give and its item. 0 runs the nine refused hypercalls first, then
# attempt 11.
ATTACKS = [
    (0, 'mmio_unhandled', 0x7e000000),  # hypercalls refused, tiny's RAM
    (13, 'mmio_unhandled', 0x7f000000),  # the hypervisor's memory
    (17, 'irq_foreign', 33),             # the UART's SPI (Linux's)
    (18, 'cpu_foreign', 0),              # Linux's CPU 0
    (19, 'machine_reset', 1),            # PSCI SYSTEM_RESET (method 1)
    (20, 'machine_off', 1),              # PSCI SYSTEM_OFF
]


def driver_steps():
    """Boot and the driver without the hypervisor: what works alone."""
    return [
        Step('Debian kernel', 'uname -r; grep -c ^processor /proc/cpuinfo',
             expect=[r'armmp$', r'^2$']),
        Step('Linux keeps out of the cells\' and warden\'s memory',
             'grep "System RAM" /proc/iomem',
             expect=[r'^40000000-7dffffff : System RAM$']),
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
             rc=1, expect=[r'enable: firmware warden-armv7.bin not found: '
                           r'No such file or directory$']),
        Step('enable refuses a foreign image',
             'cp /inmates/tiny.bin /lib/firmware/warden-armv7.bin && '
             'warden enable /etc/warden/system.cell', rc=1,
             expect=[r'is not a warden image of revision 1 for this '
                     r'architecture: Exec format error$']),
        Step('enable refuses memory Linux owns',
             'cp /lib/firmware/fake.bin /lib/firmware/warden-armv7.bin && '
             'warden enable /etc/warden/overlap.cell', rc=1,
             expect=[r'hypervisor memory 0x50000000\+0x1000000 is '
                     r"Linux's RAM \(mem=, memmap=\): Device or resource "
                     r'busy$']),
        Step('still disabled', 'cat /sys/devices/warden/enabled',
             expect=[r'^0$']),
        Step('rmmod and insmod again',
             'rmmod warden && insmod /lib/modules/warden.ko && '
             'rm /lib/firmware/warden-armv7.bin'),
    ]


def hypervisor_steps():
    """The scenario with the hypervisor (the late-launch image)."""
    steps = [
        Step('a launch the hypervisor refuses', 'cp /lib/firmware/real.bin '
             '/lib/firmware/warden-armv7.bin && '
             'warden enable /etc/warden/noname.cell', rc=1,
             expect=[r'enable: launch refused: cfg_name \(reason 6, item '
                     r'0x0\): Invalid argument$']),
        Step('still disabled after it', 'cat /sys/devices/warden/enabled',
             expect=[r'^0$']),
        alive('the refused launch'),
        Step('enable', 'warden enable /etc/warden/system.cell'),
        Step('enable in the kernel log', 'dmesg | grep "warden: enabled"',
             expect=[r'warden: enabled on 2 CPUs, root cell '
                     r'"qemu-arm-linux"$']),
        Step('enabled', 'cat /sys/devices/warden/enabled', expect=[r'^1$']),
        alive('enable'),
        Step('rmmod refused while enabled', 'rmmod warden', rc=1),
        Step('cell create tiny', 'warden cell create /etc/warden/tiny.cell'),
        Step('tiny in the kernel log', 'dmesg | grep "warden: cell"',
             expect=[r'warden: cell "tiny" created, id 1, CPUs 1$']),
        online(1, 0),
        Step('cell load tiny', 'warden cell load tiny /inmates/tiny.bin '
             '-a 0'),
        # The pause lets tiny print before the shell answers (the UART is
        # shared: lines written at once get mixed).
        Step('cell start tiny', 'warden cell start tiny && sleep 3',
             then=[r'\[tiny\] \[verdict\] pass (\d+)/\1']),
        Step('tiny has no refusal but the one it tries',
             'cat /sys/devices/warden/cells/tiny/reason',
             expect=[r'^\d+ not_root item 0x6 cpu 1: ']),
        # The hypervisor's console ring, read through the root cell's
        # read-only mapping of its pages (prefixed: the same lines went to
        # the shared UART too).
        Step('warden console: the enable line and a refusal',
             'warden console | sed "s/^/con: /"',
             expect=[r'^con: warden: enabled, root cell "qemu-arm-linux", '
                     r'2 CPU\(s\)$',
                     r'^con: warden: cell "tiny": .*\[not_root\]$']),
        Step('cell list', 'warden cell list',
             expect=[r'^ID +Name +State +CPUs$',
                     r'^0 +qemu-arm-linux +running +0$',
                     r'^1 +tiny +running +1$']),
        Step('cell stats', 'warden cell stats tiny',
             expect=[r'^vmexits_total [1-9]\d*$']),
        alive('tiny'),
        # Linux tries to take tiny's CPU back (PSCI CPU_ON): refused.
        Step('cpu1 stays tiny\'s', 'echo 1 > /sys/devices/system/cpu/cpu1/online',
             rc=1),
        online(1, 0),
        Step('tiny still running', 'cat /sys/devices/warden/cells/tiny/state',
             expect=[r'^running$']),
        alive('the refused CPU_ON'),
        Step('cell shutdown tiny', 'warden cell shutdown tiny'),
        Step('tiny shut down', 'cat /sys/devices/warden/cells/tiny/state',
             expect=[r'^shut down$']),
        Step('cell destroy tiny', 'warden cell destroy tiny'),
        online(1, 1),
        alive('tiny\'s destruction'),
    ]
    for select, reason, item in ATTACKS:
        steps += [
            Step('attack %d: create' % select,
                 'warden cell create /etc/warden/attack-linux.cell'),
            Step('attack %d: load' % select,
                 'warden cell load attack /inmates/attack.bin -a 0 '
                 '/etc/warden/attack-%d.params -a 0x%x' % (select, PARAMS)),
            Step('attack %d: start' % select, 'warden cell start attack'),
            # Its reason as the driver reads it (GET_REASON): the console
            # lines may be cut into by Linux's.
            Step('attack %d: denied, %s' % (select, reason),
                 'for i in $(seq 40); do [ "$(cat %s/state)" = failed ] && '
                 'break; sleep 0.25; done; cat %s/state %s/reason'
                 % ((ATTACK_SYSFS,) * 3),
                 expect=[r'^failed$', r'^\d+ %s item %#x cpu 1: '
                         % (reason, item)]),
            Step('attack %d: counted as denied' % select,
                 'warden cell stats attack',
                 expect=[r'^vmexits_denied [1-9]\d*$']),
            alive('attack %d' % select),
            Step('attack %d: failed in cell list' % select, 'warden cell list',
                 expect=[r'^\d+ +attack +failed +1$']),
            Step('disable refused while a cell exists', 'warden disable',
                 rc=1, expect=[r'disable: 1 cells exist']),
            Step('attack %d: destroy' % select, 'warden cell destroy attack'),
            online(1, 1),
        ]
    steps += [
        Step('disable', 'warden disable'),
        Step('disable in the kernel log', 'dmesg | tail -n 3',
             expect=[r'warden: disabled$']),
        Step('disabled', 'cat /sys/devices/warden/enabled', expect=[r'^0$']),
        Step('warden console after disable: its last line',
             'warden console | tail -n 1 | sed "s/^/con: /"',
             expect=[r'^con: warden: hypervisor disabled$']),
        alive('disable'),
        Step('both CPUs still Linux\'s', 'cat /sys/devices/system/cpu/online',
             expect=[r'^0-1$']),
        Step('rmmod', 'rmmod warden'),
    ]
    return steps


def firmware(path):
    """The late-launch image to test, or None and why not."""
    paths = [path] if path else [os.path.join(TOP, p) for p in FIRMWARE]
    for p in paths:
        if os.path.exists(p):
            head = open(p, 'rb').read(HV_HEADER.size)
            if len(head) == HV_HEADER.size and head[:8] == b'WARDENHV':
                return p, None
            return None, '%s has no WARDENHV header (docs/linux.md)' % p
    return None, 'no late-launch image (%s)' % ', '.join(paths)


def build(tree, image):
    """The initramfs of the run."""
    os.makedirs(OUT, exist_ok=True)
    ko = initramfs.module(tree, 'armhf', OUT)
    files = {
        '/lib/modules/warden.ko': ko,
        '/bin/warden': initramfs.command('armhf', OUT),
        '/lib/firmware/fake.bin': fake_header(),
        '/etc/warden/overlap.cell': patched_config(
            os.path.join(TOP, CONFIGS, 'system.cell'), 0x50000000),
        '/etc/warden/noname.cell': unnamed_root(
            os.path.join(TOP, CONFIGS, 'system.cell')),
    }
    for name in ('system', 'tiny', 'attack-linux'):
        files['/etc/warden/%s.cell' % name] = os.path.join(
            TOP, CONFIGS, name + '.cell')
    for name in ('tiny', 'attack'):
        files['/inmates/%s.bin' % name] = os.path.join(TOP, INMATES,
                                                       name + '.bin')
    attack = os.path.join(TOP, INMATES, 'attack.bin')
    for select, _, _ in ATTACKS:
        files['/etc/warden/attack-%d.params' % select] = attack_params(
            attack, select)
    if image:
        files['/lib/firmware/real.bin'] = image
    for guest, host in files.items():
        if isinstance(host, str) and not os.path.exists(host):
            raise initramfs.BuildError('%s missing (scons -Q first)' % host)
    return initramfs.cpio(tree, files, OUT)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print the console as it comes')
    ap.add_argument('--firmware', help='the late-launch image (default: '
                    + ' or '.join(FIRMWARE) + ')')
    ap.add_argument('--until', help='stop after the step of this name')
    args = ap.parse_args()

    t0 = time.time()
    try:
        tree = debian.fetch('armhf', log=lambda s: print('%s: %s'
                                                         % (PROG, s)))
    except debian.Unavailable as e:
        print('%s: SKIPPED: Debian armhf packages unavailable: %s'
              % (PROG, e))
        return SKIP
    image, why = firmware(args.firmware)
    try:
        initrd = build(tree, image)
    except initramfs.BuildError as e:
        print('%s: FAILED: %s' % (PROG, e))
        return 1
    steps = driver_steps() + (hypervisor_steps() if image else [])
    cmd = QEMU + ['-kernel', tree.image, '-initrd', initrd,
                  '-append', APPEND]
    print('%s: Debian %s (%s), %d steps%s' % (
        PROG, tree.abi, tree.version, len(steps),
        '' if image else '; WITHOUT the hypervisor: ' + why))
    con = Console(cmd, os.path.join(OUT, 'console.log'), args.verbose)
    done = 0
    try:
        con.wait(r'^warden-test: init ready', BOOT_TIMEOUT, 'boot')
        print('%s:   ok  boot (%.0f s)' % (PROG, time.time() - t0))
        for step in steps:
            ts = time.time()
            step.do(con)
            done += 1
            print('%s:   ok  %s (%.1f s)' % (PROG, step.name,
                                             time.time() - ts))
            if args.until == step.name:
                break
    except Failed as e:
        step = steps[done].name if done < len(steps) else 'boot'
        tail = con.text.strip().split('\n')[-40:]
        print('%s: FAILED at step "%s": %s\n---- console (last 40 lines; '
              'all in %s) ----\n%s\n---- end ----'
              % (PROG, step, e, os.path.relpath(con.log.name, TOP),
                 '\n'.join(tail)))
        return 1
    finally:
        con.close()
    if not image:
        print('%s: FAILED: the %d driver steps passed, the hypervisor '
              'scenario did not run: %s' % (PROG, done, why))
        return 1
    print('%s: passed: %d steps in %.0f s' % (PROG, done, time.time() - t0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
