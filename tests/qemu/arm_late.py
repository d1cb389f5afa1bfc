#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Late launch on ARMv7 without Linux (docs/arm.md, "Late launch"): QEMU
starts build/armv7/manager-late.elf in HYP on the virt board; it installs
a HYP stub with Linux's HVC_SOFT_RESTART, goes to SVC, starts every CPU
of the root cell (PSCI by the firmware), plays the Linux driver with
build/armv7/warden.bin (a launch missing a CPU, one with a bad config
offset: both refused with the stub back; then the launch on every CPU at
once, registers kept), checks PSCI CPU_OFF/CPU_ON under warden and a
refused config address, then runs the manager: tiny created on a CPU the
root gave up, destroyed, DISABLE back to the stub; then a second launch
on CPU 0 alone and its DISABLE, power off. Exit status
0 when every expected line came, in order, within the timeout."""

import os
import sys

import runner

TIMEOUT = 30  # s: the run takes ~2 s (the missing CPU's launch waits 1 s)
CFG = 'build/configs/qemu-arm-virt'
FILES = [('build/armv7/warden.bin', 0x48000000),
         ('%s/system.cell' % CFG, 0x40800000),
         ('%s/tiny.cell' % CFG, 0x40810000),
         ('build/inmates/armv7/tiny.bin', 0x40820000)]
KERNEL = 'build/armv7/manager-late.elf'

EXPECT = [
    r'^\[late\] 4 CPUs online in SVC$',
    r'^\[late\] CPU 3: enter = -110, hypercall after = 0xbadca11$',
    r'^\[late\] header reason 161 item 4$',
    r'^\[check\] late.missing-cpu-refused: pass',
    r'^\[late\] config offset 0x[0-9a-f]+: CPU 0 enter = -22, header '
    r'reason 160 item 36$',
    r'^\[check\] late.bad-config-refused: pass',
    r'^warden: ARMv7 HYP entry on CPU 0 \(MPIDR 0x[0-9a-f]+\) from Linux',
    r'^warden: enabled, root cell "qemu-arm-virt", 4 CPU\(s\)$',
    r'^\[late\] CPU 0: enter = 0, registers intact: yes, NUM_CELLS = 1$',
    r'^\[late\] CPU 3: enter = 0, registers intact: yes, NUM_CELLS = 1$',
    r'^\[check\] late.entered: pass',
    r'^\[late\] CPU 3 after CPU_OFF: AFFINITY_INFO = 1$',
    r'^\[late\] CPU_ON\(1\) = 0: it runs in mode 0x13, context 0x77$',
    r'^\[check\] late.cpu-off-again: pass',
    r'address not in the caller.s RAM: address 0x4f000000 \[cfg_address\]',
    r'^\[late\] CELL_CREATE\(0x4f000000, in hypervisor memory\) = -14$',
    r'\[manager\] PSCI CPU_ON\(1\) = 0, counting: yes, context 0x5a$',
    r'^warden: created cell "tiny" \(id 1\)$',
    r'^\[tiny\] Hello from tiny on armv7, CPU 3$',
    r'^warden: destroyed cell "tiny"$',
    r'^warden: hypervisor disabled$',
    r'^\[manager\] DISABLE on CPU 1 = 0$',
    r'^\[manager\] HYPERVISOR_GET_INFO after DISABLE = 195938833$',
    r'^\[check\] manager.disabled: pass',
    r'^warden: ARMv7 HYP entry on CPU 0 \(MPIDR 0x[0-9a-f]+\) from Linux',
    r'^\[late\] again on CPU 0 alone: enter = 0, registers intact: yes, '
    r'NUM_CELLS = 1$',
    r'^warden: hypervisor disabled$',
    r'^\[late\] DISABLE = 0, then the stub answers 0xbadca11$',
    r'^\[verdict\] pass (\d+)/\1$',
]
FORBIDDEN = [r'HYPERVISOR PANIC', r'machine stopped', r'\[check\] .*: fail',
             r'\[fatal\]']


def command():
    cmd = ['qemu-system-arm', '-M', 'virt,virtualization=on,gic-version=2',
           '-cpu', 'cortex-a15', '-smp', '4', '-m', '256', '-nographic',
           '-semihosting', '-no-reboot', '-kernel', KERNEL]
    for path, addr in FILES:
        cmd += ['-device', 'loader,file=%s,addr=0x%x,force-raw=on'
                % (path, addr)]
    return cmd


def main(argv):
    verbose = '-v' in argv
    name = 'late'
    for path in [KERNEL] + [p for p, _ in FILES]:
        if not os.path.exists(path):
            return runner.fail('qemu-arm-late', name, '%s missing (build '
                               'first: ./run build)' % path, '')
    cmd = command()
    if verbose:
        print(' '.join(cmd))
    try:
        status, out = runner.run_process(cmd, TIMEOUT)
    except OSError as e:
        return runner.fail('qemu-arm-late', name,
                           'cannot run qemu-system-arm: %s' % e, '')
    console = out.decode(errors='replace').replace('\r', '')
    if verbose:
        sys.stdout.write(console)
    prefix = '[qemu-arm-virt] '
    lines = [l[len(prefix):] if l.startswith(prefix) else l
             for l in console.split('\n')]
    if status is None:
        return runner.fail('qemu-arm-late', name,
                           'timeout after %d s' % TIMEOUT, console)
    why = runner.check_lines(lines, EXPECT, FORBIDDEN)
    if why is None and status != 0:
        why = 'QEMU exit status %d' % status
    if why:
        return runner.fail('qemu-arm-late', name, why, console)
    print('qemu-arm-late %s: %d lines matched, QEMU exit status 0'
          % (name, len(EXPECT)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
