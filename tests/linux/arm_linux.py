#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""warden aside Linux on ARMv7 (issue #16, docs/linux.md): Debian's stock
armmp kernel boots on qemu-system-arm (virt, virtualization=on, GICv2, 2
CPUs) with a busybox initramfs this test builds, and runs the scenario of
tests/linux/scenario.py (the one x86_linux.py runs on q35): load the
driver, `warden enable`, create/load/start tiny and see its output,
`cell list`, the attack inmate next to Linux (each attempt denied, Linux
answers after each), shutdown and destroy return the CPU, `warden
disable`, Linux still runs.

Exit status: 0 passed; 1 failed (the step, why, the console's tail; the
whole console in build/linux/armhf/console.log); 77 skipped because
Debian's packages could not be had (the reason is printed: never a
silent pass).

  python3 tests/linux/arm_linux.py [-v] [--firmware IMAGE] [--until STEP]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import scenario  # noqa: E402

MEM = '992M'
ARM = scenario.Machine(
    prog='arm_linux', arch='armhf', hv_arch=1,
    firmware='warden-armv7.bin',
    # The hypervisor image (one image for both entries, docs/linux.md).
    images=['build/armv7/warden-armv7.bin', 'build/armv7/warden.bin'],
    configs='build/configs/qemu-arm-linux', root='qemu-arm-linux',
    inmates='build/inmates/armv7',
    qemu=['qemu-system-arm', '-M',
          'virt,virtualization=on,gic-version=2,highmem=off',
          '-cpu', 'cortex-a15', '-smp', '2', '-m', '1024',
          '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
          '-no-reboot'],
    append='console=ttyAMA0 mem=%s panic=1 quiet' % MEM,
    hard_timeout=420,  # s (scons test stops a script at 600)
    kernel=r'armmp$', cpus=2,
    ram=[r'^40000000-7dffffff : System RAM$'],
    overlap=0x50000000,
    tiny_cpu=1, attack_cpu=1,
    # Attack attempts (tests/qemu/arm_manager.py): select, the reason
    # warden must give and its item. 0 runs the nine refused hypercalls
    # first, then attempt 11.
    attacks=[
        (0, 'mmio_unhandled', 0x7e000000,
         'hypercalls refused, then tiny\'s RAM'),
        (13, 'mmio_unhandled', 0x7f000000, 'the hypervisor\'s memory'),
        (17, 'irq_foreign', 33, 'the UART\'s SPI, Linux\'s'),
        (18, 'cpu_foreign', 0, 'Linux\'s CPU 0'),
        (19, 'machine_reset', 1, 'PSCI SYSTEM_RESET'),
        (20, 'machine_off', 1, 'PSCI SYSTEM_OFF'),
    ],
    params={0x68: ('<Q', 0x7e000000),   # attack_ram: tiny's RAM (phys)
            0x70: ('<Q', 0x7f000000),   # attack_hv: the hypervisor
            0x80: ('<Q', 0)})           # attack_cpu: Linux's CPU 0

if __name__ == '__main__':
    sys.exit(scenario.main(ARM, __doc__))
