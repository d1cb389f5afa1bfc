#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""warden aside Linux on x86-64 with AMD-V (issue #16, docs/linux.md):
Debian's stock amd64 kernel boots on qemu-system-x86_64 (q35, TCG,
qemu64 with SVM and nested paging, 4 CPUs, 1 GiB) with a busybox
initramfs this test builds, and runs the scenario of
tests/linux/scenario.py (the one arm_linux.py runs on ARM virt): load
the driver, `warden enable`, create/load/start tiny and see its output,
`cell list`, the attack inmate next to Linux (each attempt denied with
its reason, Linux answers after each), shutdown and destroy return the
CPU, `warden disable`, Linux still runs, rmmod.

Before the driver, the machine as Linux sees it (/proc/iomem,
/proc/ioports, the PCI functions in sysfs, the ACPI PM timer) is checked
against the system config (configs/qemu-x86-linux/system.dts, as
compiled): every device Linux drives must be the root cell's.

Exit status: 0 passed; 1 failed (the step, why, the console's tail; the
whole console in build/linux/amd64/console.log); 77 skipped because
Debian's packages could not be had (the reason is printed: never a
silent pass).

  python3 tests/linux/x86_linux.py [-v] [--firmware IMAGE] [--until STEP]
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import scenario  # noqa: E402
from scenario import Failed, Step  # noqa: E402

CONFIGS = 'build/configs/qemu-x86-linux'
CONFIG_TOOL = 'build/release/warden-config'
# memmap= keeps Linux out of the cells' 4 MiB and the hypervisor's 16 MiB
# (0x06c00000..0x08000000; quote the $ in a shell).
MEMMAP = '20M$0x6c00000'
LINUX_RAM = 0x01000000  # an address in Linux's RAM (System RAM)
HV = 0x07000000         # hypervisor memory (system.dts)


def config():
    """The compiled system config as `warden-config dump` gives it:
    {'hv': (start, size), 'mmcfg': base, 'end_bus': n, 'pm_timer': port,
    'mem': [(start, size)], 'pio': [(base, length)], 'ioapic': address,
    'pci': {bdf}}."""
    path = os.path.join(scenario.TOP, CONFIGS, 'system.cell')
    text = subprocess.run([os.path.join(scenario.TOP, CONFIG_TOOL), 'dump',
                           path], capture_output=True, text=True,
                          check=True).stdout

    def num(name, s=text):
        return int(re.search(r'\b%s = <(0x[0-9a-f]+|\d+)>' % name, s)
                   .group(1), 0)

    def section(name):
        m = re.search(r'\n(\t+)%s \{\n(.*?)\n\1\};' % name, text, re.S)
        return m.group(2) if m else ''

    hv = section('hypervisor-memory')
    return {
        'hv': (num('phys-start', hv), num('size', hv)),
        'mmcfg': num('pci-mmconfig-base'),
        'end_bus': num('pci-mmconfig-end-bus'),
        'pm_timer': num('pm-timer-address'),
        'mem': [(int(a, 0), int(b, 0)) for a, b in re.findall(
            r'phys-start = <(\w+)>;\n\t+virt-start = <\w+>;\n\t+size = '
            r'<(\w+)>;', section('memory-regions'))],
        'pio': [(int(a, 0), int(b, 0)) for a, b in re.findall(
            r'base = <(\w+)>;\n\t+length = <(\w+)>;',
            section('pio-regions'))],
        'ioapic': num('address', section('irqchips')),
        'pci': set(re.findall(r'bdf = "([0-9a-f:.]+)"',
                              section('pci-devices'))),
    }


def inside(start, end, ranges):
    """[@start, @end] lies in one of @ranges ((start, size))."""
    return any(b <= start and end < b + n for b, n in ranges)


def resources(out, section):
    """The (start, end, name, depth) lines of /proc/iomem or /proc/ioports
    printed after '== @section'."""
    part = out.split('== %s\n' % section, 1)[1].split('\n== ', 1)[0]
    rows = []
    for line in part.split('\n'):
        m = re.match(r'^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$', line)
        if m:
            rows.append((int(m.group(2), 16), int(m.group(3), 16),
                         m.group(4).strip(), len(m.group(1)) // 2))
    return rows


# /proc/ioports entries Linux reserves but does not use on this machine:
# the ISA DMA controller, the FPU's error port, the second PIT, the PCI
# config ports (emulated over the ECAM) and the bus's windows. And
# entries of which Linux uses the first ports only: rtc_cmos reserves
# 0x70-0x77, it uses the index and data ports.
IOPORTS_UNUSED = ('dma1', 'dma2', 'dma page reg', 'fpu', 'timer1',
                  'PCI conf1', 'PCI Bus 0000:00')
IOPORTS_USED = {'rtc0': 2}


def check_machine(out):
    """What Linux found against the root cell's config; Failed with every
    difference."""
    c = config()
    bad = []
    # PCI functions: exactly the config's, every BAR in the root's.
    found = set()
    for fn, res in re.findall(r'^fn 0000:(\S+)\n((?:0x\w+ 0x\w+ 0x\w+\n)*)',
                              out, re.M):
        found.add(fn)
        for line in res.strip().split('\n'):
            start, end, flags = (int(x, 16) for x in line.split())
            if not flags:
                continue
            if flags & 0x100 and not inside(start, end, c['pio']):
                bad.append('%s: I/O BAR %#x-%#x not in the root\'s ports'
                           % (fn, start, end))
            if flags & 0x200 and not inside(start, end, c['mem']):
                bad.append('%s: memory BAR %#x-%#x not in the root\'s '
                           'regions' % (fn, start, end))
    if found != c['pci']:
        bad.append('PCI functions: Linux %s, config %s'
                   % (sorted(found), sorted(c['pci'])))
    # Memory: Linux's RAM, the IOAPIC, the HPET, the ECAM, the ROMs.
    hv = c['hv']
    names = set()
    for start, end, name, depth in resources(out, 'iomem'):
        names.add(name)
        if name == 'System RAM':
            if not inside(start, end, c['mem']):
                bad.append('System RAM %#x-%#x not the root\'s' % (start,
                                                                    end))
            if start < hv[0] + hv[1] and hv[0] <= end:
                bad.append('System RAM %#x-%#x overlaps hypervisor memory'
                           % (start, end))
        elif name in ('HPET 0', 'Video ROM', 'System ROM') and \
                not inside(start, end, c['mem']):
            bad.append('%s %#x-%#x not in the root\'s regions'
                       % (name, start, end))
        elif name == 'IOAPIC 0' and start != c['ioapic']:
            bad.append('IOAPIC at %#x, config %#x' % (start, c['ioapic']))
        elif name.startswith('PCI MMCONFIG'):
            bus = re.search(r'bus 00-([0-9a-f]+)', name)
            if start != c['mmcfg'] or not bus or \
                    int(bus.group(1), 16) != c['end_bus']:
                bad.append('%s at %#x, config %#x buses 0-%#x'
                           % (name, start, c['mmcfg'], c['end_bus']))
    for name in ('System RAM', 'IOAPIC 0', 'HPET 0'):
        if name not in names:
            bad.append('/proc/iomem has no "%s"' % name)
    # Ports: every device's, all of them but the unused.
    rows = resources(out, 'ioports')
    for i, (start, end, name, depth) in enumerate(rows):
        leaf = i + 1 == len(rows) or rows[i + 1][3] <= depth
        if not leaf or name in IOPORTS_UNUSED:
            continue
        if name in IOPORTS_USED:
            end = start + IOPORTS_USED[name] - 1
        if not inside(start, end, c['pio']):
            bad.append('ports %#x-%#x (%s) not the root\'s'
                       % (start, end, name))
    pm = re.search(r'PM-Timer IO Port: (0x[0-9a-f]+)', out)
    if not pm or int(pm.group(1), 16) != c['pm_timer']:
        bad.append('ACPI PM timer %s, config %#x'
                   % (pm.group(1) if pm else 'not found', c['pm_timer']))
    if bad:
        raise Failed('the machine Linux sees is not the system config\'s:\n'
                     + '\n'.join(bad))


MACHINE_CHECK = Step(
    'the machine Linux sees is the system config\'s',
    'echo "== iomem"; cat /proc/iomem; echo "== ioports"; cat /proc/ioports;'
    ' echo "== pci"; for d in /sys/bus/pci/devices/*; do echo "fn ${d##*/}";'
    ' cat $d/resource; done; echo "== acpi"; dmesg | grep PM-Timer',
    expect=[r'^== pci$', r'^fn 0000:00:00\.0$'], check=check_machine)

X86 = scenario.Machine(
    prog='x86_linux', arch='amd64', hv_arch=2,
    firmware='warden-amd.bin',
    # The AMD-V image (one image for both entries, docs/linux.md).
    images=['build/x86-amd/warden-amd.bin', 'build/x86-amd/warden.bin'],
    configs=CONFIGS, root='qemu-x86-linux',
    inmates='build/inmates/x86_64',
    # -vga none: the PCI functions of configs/qemu-x86-amd; the second
    # serial port is COM2, tiny's (its lines go to the hypervisor's
    # console, COM1, which Linux's console shares).
    qemu=['qemu-system-x86_64', '-M', 'q35', '-accel', 'tcg',
          '-cpu', 'qemu64,+svm,+npt', '-smp', '4', '-m', '1024',
          '-vga', 'none', '-display', 'none', '-serial', 'stdio',
          '-serial', 'null', '-monitor', 'none', '-no-reboot'],
    append='console=ttyS0 memmap=%s panic=1 quiet' % MEMMAP,
    hard_timeout=540,  # s (scons test stops a script at 600)
    kernel=r'amd64$', cpus=4,
    ram=[r'^00001000-0009fbff : System RAM$',
         r'^00100000-06bfffff : System RAM$',
         r'^08000000-3ffdefff : System RAM$'],
    overlap=0x10000000,
    tiny_cpu=2, attack_cpu=3,
    # The attack inmate's attempts (inmates/demos/attack.c and x86/
    # attack.c; tests/qemu/x86_manager.py runs them against the
    # root-cell manager): select, the reason warden must give, its item.
    # 0 runs the nine refused hypercalls and a config read of an empty
    # slot first, then attempt 11.
    attacks=[
        (0, 'mmio_unhandled', LINUX_RAM,
         'hypercalls refused, then Linux\'s RAM read'),
        (12, 'mmio_unhandled', LINUX_RAM, 'Linux\'s RAM written'),
        (13, 'mmio_unhandled', HV, 'the hypervisor\'s memory read'),
        (14, 'mmio_unhandled', HV, 'the hypervisor\'s memory written'),
        (15, 'mmio_unhandled', 0xfed00000, 'the HPET, Linux\'s clock'),
        (16, 'pci_foreign', 0x0008, 'config write to Linux\'s 00:01.0'),
        (17, 'irq_foreign', 4, 'IOAPIC pin 4, Linux\'s COM1'),
        (18, 'cpu_foreign', 0, 'INIT/SIPI to Linux\'s CPU 0'),
        (19, 'pio_denied', 0x3f8, 'COM1, Linux\'s console'),
        (20, 'pio_denied', 0xcf9, 'reset through port 0xcf9'),
        (21, 'pio_denied', 0x64, 'reset through the keyboard controller'),
        (27, 'pci_foreign', 0x0008,
         'config write to 00:01.0 through ports 0xcf8/0xcfc'),
        (28, 'msr_denied', 0xc0010117, 'WRMSR VM_HSAVE_PA'),
        (29, 'cpu_foreign', 0, 'an interrupt for Linux\'s CPU 0'),
        (30, 'msr_denied', 0x830, 'an NMI for Linux\'s CPU 0'),
    ],
    # struct inmate_params (inmates/lib/include/inmate_params.h): the
    # targets on this machine, all of them Linux's or the hypervisor's.
    params={0x58: ('<I', 0x3f8),        # attack_port: COM1
            0x5c: ('<I', 4),            # attack_pin: COM1's IOAPIC pin
            0x60: ('<I', 0x0008),       # attack_bdf: 00:01.0, e1000e
            0x68: ('<Q', LINUX_RAM),    # attack_ram: Linux's RAM
            0x70: ('<Q', HV),           # attack_hv: the hypervisor
            0x78: ('<Q', 0xfed00000),   # attack_mmio: the HPET
            0x80: ('<Q', 0)},           # attack_cpu: Linux's CPU 0
    checks=[MACHINE_CHECK])

if __name__ == '__main__':
    sys.exit(scenario.main(X86, __doc__))
