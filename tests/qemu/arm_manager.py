#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QEMU test of the ARMv7 backend: boot build/armv7/warden.bin in HYP mode
(loaded and started at the system config's hypervisor memory) on
qemu-system-arm's virt machine with the system config, the root-cell
manager, tiny's config and tiny's image preloaded (docs/arm.md), and check
the console: warden enables, the manager's hypercalls are answered, the
trapped GIC distributor is emulated, tiny is created, runs on CPU 3 and is
destroyed, and the manager powers the machine off with a passing verdict.

Runs: "tiny" (the lifecycle above, then DISABLE and a native power-off),
"mmio" (every access form of mmio-access), "timer", "park-ipi",
"shutdown" and "shutdown-deny" (the comm-region handshake), "smp" (a cell
of three CPUs), "recreate", "ivshmem" (two cells on the core's ivshmem
device), "isolation" (every ARM attack attempt, one cell per attempt,
while tiny's cell runs on), "attack-*" (the attack inmate's
attempt N in a cell of its own must be denied with its precise reason and
contained; the root cell destroys the failed cell and powers off through
warden), "*-trace": the same with warden-traplog.elf, whose trap records
are written to build/qemu/NAME.trace and must replay in the simulator
(build/host/warden-sim replay) with the same outcomes ("*-trace-race":
under warden-traplog-race.elf, whose CPU that starts another waits for
that CPU's first trap before its own record; the log's order must not
depend on it), and the attack
inmate's attempts on the core itself: "user-hvc" (hvc from USR mode takes
the cell's own undefined instruction exception), "console-control"
(control bytes, a NUL and a forged hypervisor line come out escaped),
"console-flood" (2,000 refused hypercalls, a bounded number of lines) and
"mgmt-loop" (a cell looping on management calls is destroyed promptly).

Run from the top directory:  python3 tests/qemu/arm_manager.py [-v] [RUN...]
(--help: the options; --demo: what ./run qemu-arm runs, with a summary
per boot; --board CPUSxMIB: another shape of the board). Exit 0 on
success; on failure, why (timeout, missing line, QEMU status) and the
captured console.
"""

import argparse
import os
import re
import subprocess
import sys

import runner
import scenarios as sc
from scenarios import (BYSTANDER, DENIED, KEEP_ENABLED,  # noqa: F401
                       LOG, RESUMED, VERDICT)

TIMEOUT = 20  # s per QEMU run: a run takes well under 1 s of wall time

KERNEL = 'build/armv7/warden.elf'
TRAPLOG_KERNEL = 'build/armv7/warden-traplog.elf'
# The trap log, and a CPU that starts another waits for its first record.
RACE_KERNEL = 'build/armv7/warden-traplog-race.elf'
SIM = 'build/host/warden-sim'
CONFIG_TOOL = 'build/host/warden-config'
SCRIPT = 'tests/qemu/arm_manager.py'
TRACE_DIR = 'build/qemu'
CELL_IMAGE_MAX = 0x40000  # BOOT_CELL_IMAGE_MAX: what the manager copies
MANAGER_ARGS = 0x4081f000  # BOOT_MANAGER_ARGS: struct manager_args
# struct manager_args: its words in order (arch-armv7/boot.h)
ARG_WORDS = 9
MAX_RUNS = 16


IMAGES = {'tiny': 'tiny', 'attack': 'attack', 'mmio': 'mmio-access',
          'smp-cell': 'smp', 'ivshmem-a': 'ivshmem'}


def image(run):
    return 'build/inmates/armv7/%s.bin' % (
        run['image'] if 'image' in run else IMAGES[run['cell']])


# The machine a run boots on: QEMU's virt board with -smp and -m, the
# directory of its compiled configs (system.cell and the cells'), and where
# its system config puts hypervisor memory (warden.bin is loaded there and
# started there; it is position-independent). tests/qemu/arm_shapes.py
# boots other shapes with configs it creates.
DEFAULT_BOARD = {'smp': 4, 'mem': 256, 'configs': 'build/configs/qemu-arm-virt',
                 'hv_start': 0x4f000000, 'root': 'qemu-arm-virt'}


def files(run, board=None):
    """What QEMU loads where (arch-armv7/boot.h), with the run's cell
    config and image as the cell the manager creates, and the optional
    second cell ('cell2': (config, image)) the manager starts first."""
    cfg = (board or DEFAULT_BOARD)['configs']
    f = [
        ('%s/system.cell' % cfg, 0x40800000),
        ('build/armv7/manager.bin', 0x40100000),
        ('%s/%s.cell' % (cfg, run['cell']), 0x40810000),
        (image(run), 0x40820000),
    ]
    if 'cell2' in run:
        f += [('%s/%s.cell' % (cfg, run['cell2'][0]), 0x40860000),
              ('build/inmates/armv7/%s.bin' % run['cell2'][1], 0x40870000)]
    return f


def boot_lines(board=None, spare=True):
    """What every boot prints (on @board), up to the cell lifecycle; with
    @spare, the manager starts a spare root CPU by PSCI CPU_ON."""
    b = board or DEFAULT_BOARD
    last = b['smp'] - 1
    return [
        r'^warden: ARMv7 HYP entry on CPU 0 \(MPIDR 0x[0-9a-f]+\), image '
        r'0x%x\.\.' % b['hv_start'],
        r'^warden: enabled, root cell "%s", %d CPU\(s\)$'
        % (b['root'], b['smp']),
        r'^warden: CPU %d online \(waiting for PSCI CPU_ON\)$' % last,
        r'^warden: entering the root cell at 0x40100000$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(MEM_POOL_SIZE\) = \d+$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
        # The manager's deliberate probe, announced before warden's line.
        r'^\[manager\] probe: hypercall 77 \(0x4d\) is no hypercall',
        r'^warden: cell "%s": unknown hypercall: code 0x4d ' % b['root'],
        r'^\[manager\] unknown hypercall 77 = -38$',
        r'^\[manager\]   reason 42 item 0x4d: unknown hypercall',
        # Trapped stage-2 MMIO accesses to the distributor, emulated.
        r'^\[manager\] GICD_TYPER = 0x[0-9a-f]+ \(trapped, emulated\)$',
        r'^\[manager\] GICD_ISENABLER1 = 0x2 after enabling SPI 33$',
        r'^\[manager\] root cell CPUs \(system config\): 0 .*\(%d\)$'
        % b['smp'],
    ] + ([
        # A second root CPU by PSCI CPU_ON (trapped, core_cpu_on), counting.
        r'^\[manager\] PSCI CPU_ON\(\d\) = 0, counting: yes, context '
        r'0x5a$',
        r'^\[manager\] PSCI CPU_ON\(\d\) again = -4$',
    ] if spare else [
        r'^\[manager\] no spare root CPU: the cells take them all$',
    ])


BOOT = boot_lines()
SYSTEM_OFF = r'^warden: PSCI SYSTEM_OFF from the root cell$'


def on_board(run, board):
    """@run (one of RUNS, on the default board) adapted to @board, whose
    'cells' maps each cell name to the CPU its config was given
    (arm_shapes.py writes those configs): the boot lines of the board; a
    spare root CPU only if one is left; tiny's hello on its CPU."""
    cells = [run['cell']] + ([run['cell2'][0]] if 'cell2' in run else [])
    taken = {board['cells'][c] for c in cells}
    spare = board['smp'] - 1 > len(taken - {0})
    tail = []
    for pattern in run['expect'][len(BOOT):]:
        if not spare and (pattern == RESUMED or 'DISABLE on CPU' in pattern):
            continue
        if 'tiny' in board['cells']:
            pattern = pattern.replace('armv7, CPU 3$', 'armv7, CPU %d$'
                                      % board['cells']['tiny'])
        tail.append(pattern)
    done = r'^warden: hypervisor disabled$'
    if not spare and done in tail:
        # The manager's CPU is the last running root CPU: its DISABLE
        # tears the hypervisor down before the call returns.
        tail.remove(done)
        tail.insert(tail.index(r'^\[manager\] DISABLE = 0$'), done)
    return dict(run, expect=boot_lines(board, spare) + tail)
ARCH = sc.Arch('arm', lambda spare: boot_lines(spare=spare),
               [VERDICT, SYSTEM_OFF], 'qemu-arm-virt', False)


def attack(select, reason):
    """Attack attempt @select runs in cell "attack" on CPU 2 and is denied
    with @reason; the root cell destroys it and powers off via warden."""
    return sc.attack(ARCH, select, reason)


# The scenarios both architectures run (tests/qemu/scenarios.py) and the
# ARM ones. tiny on CPU 3: created, started, running, destroyed; then
# DISABLE and a native power-off (no warden line for it). mmio: the
# syndrome and decoded forms. timer: the virtual timer's PPI 27 through the
# virtual GIC (list registers, EOI maintenance). smp: the smp inmate
# starts CPUs 2 and 3 with PSCI CPU_ON. recreate: fresh stage 2, list
# registers and the virtual timer's PPI each time. ivshmem: CPUs 2 and 3,
# shared memory at 0x4e600000, the doorbell INTx injected through the vGIC
# (hal_inject_irq; GIC ids 140 and 141).
RUNS = {
    'tiny': sc.tiny(ARCH, r'^\[tiny\] Hello from tiny on armv7, CPU 3$',
                    r'^\[manager\] HYPERVISOR_GET_INFO after DISABLE = -1$',
                    end=[VERDICT, r'^\[manager\] PSCI SYSTEM_OFF$'],
                    forbidden=[r'^warden: PSCI SYSTEM_OFF']),
    'mmio': sc.mmio(ARCH, [r'^\[mmio\] \[check\] mmio.ldrd: pass',
                           r'^\[mmio\] \[check\] mmio.strd-post-index: pass',
                           r'^\[mmio\] \[verdict\] pass 26/26$']),
    'timer': sc.timer(ARCH, r'^\[tiny\] \[check\] timer.ticks: pass'),

    # A cell that ignores the shutdown request and spins without trapping:
    # after its timeout it fails, and its CPU is parked by an event SGI.
    'park-ipi': {
        'cell': 'tiny', 'image': 'shutdown', 'flags': KEEP_ENABLED,
        'select': 0, 'param': (0x48, 2),  # shutdown = IGNORE
        'expect': BOOT + [
            r'^\[manager\] cell parameter at 0x48 = 2$',
            r'^\[tiny\] \[check\] shutdown.running: pass$',
            r'^\[tiny\] \[check\] shutdown.request-ignored: pass$',
            r'warden: cell "tiny": cell did not answer the shutdown '
            r'request in time: .*\[shutdown_timeout\]$',
            r'warden: cell "tiny" FAILED, its CPUs are parked$',
            r'^warden: destroyed cell "tiny"$',
            r'^\[manager\] CELL_DESTROY = 0$',
            r'^\[verdict\] pass (\d+)/\1$',
            r'^warden: PSCI SYSTEM_OFF from the root cell$',
        ],
        'forbidden': [],
    },
    'shutdown': sc.shutdown(ARCH),
    'shutdown-deny': sc.shutdown_deny(ARCH),
    'smp': sc.smp(ARCH, 'PSCI CPU_ON'),
    'recreate': sc.recreate(ARCH),
    'ivshmem': sc.ivshmem(ARCH, {'ivshmem-a': 140, 'ivshmem-b': 141}),
    # Containment: a stage-2 fault (another cell's RAM), a foreign SPI in
    # the trapped distributor, a foreign CPU and SYSTEM_OFF by PSCI.
    'attack-ram': attack(11, 'mmio_unhandled'),
    'attack-irq': attack(17, 'irq_foreign'),
    'attack-cpu': attack(18, 'cpu_foreign'),
    'attack-off': attack(20, 'machine_off'),
}


# The isolation suite on QEMU (tests/unit/test_isolation.c, arm_attempts;
# scenarios.isolation): tiny's cell on CPU 3, the attack cell on CPU 2;
# attempt, name, reason, the item as the reason text gives it. The PCI
# attempts use the ECAM window of the core's virtual PCI bus (system.dts).
DENIED_ATTEMPTS = [  # each stops the cell (11 ends run 1, select 0)
    (11, 'ram-other-read', 'mmio_unhandled', ('address', 0x4e000000)),
    (12, 'ram-other-write', 'mmio_unhandled', ('address', 0x4e000000)),
    (13, 'hv-read', 'mmio_unhandled', ('address', 0x4f000000)),
    (14, 'hv-write', 'mmio_unhandled', ('address', 0x4f000000)),
    (15, 'mmio-unassigned', 'mmio_unhandled', ('address', 0x0a000000)),
    (16, 'pci-write-foreign', 'pci_foreign', ('BDF', 0x8)),  # 00:01.0
    (17, 'irq-foreign', 'irq_foreign', ('pin', 33)),  # the UART's SPI
    (18, 'cpu-foreign', 'cpu_foreign', ('CPU', 3)),  # tiny's CPU
    (19, 'psci-system-reset', 'machine_reset', ('method', 1)),  # PSCI
    (20, 'psci-system-off', 'machine_off', ('method', 1)),
    # ldr r1, [r1, #4]! on the distributor: the decoder refuses it.
    (21, 'mmio-unpredictable', 'insn_unpredictable',
     ('instruction', 0xe5b11004)),
]
RUNS['isolation'] = sc.isolation(ARCH, DENIED_ATTEMPTS,
                                 param=(0x80, 3))  # attack_cpu: tiny's CPU


# The trap log slows cells down (a record per character they print): the
# manager lets them run this long before it destroys them.
WAIT_MS = 2000


def traced(cell, select):
    """@cell (with @select) under warden-traplog.elf: the trap records on
    the console, under a trace header, must replay in the simulator."""
    return {
        'cell': cell, 'flags': KEEP_ENABLED, 'select': select,
        'traplog': True, 'wait_ms': WAIT_MS,
        'expect': BOOT + [
            r'^hvc cpu=0 cell=qemu-arm-virt code=1 arg1=0x40810000 '
            r'arg2=0x0 -> ret=1$',
            r'^hvc cpu=0 cell=qemu-arm-virt code=4 arg1=0x1 arg2=0x0 '
            r'-> ret=0$',
            r'^\[verdict\] pass (\d+)/\1$',
            r'^off cpu=0 cell=qemu-arm-virt method=psci -> fwd$',
            r'^warden: PSCI SYSTEM_OFF from the root cell$',
        ],
        'forbidden': [],
    }


RUNS.update({
    'tiny-trace': traced('tiny', 0),
    'mmio-trace': traced('mmio', 0),
    'attack-trace': traced('attack', 0),  # attempts 1-11
})
# An UNPREDICTABLE load (writeback into its destination) on the emulated
# distributor: refused by the decoder of accesses without syndrome.
RUNS['attack-unpredictable'] = attack(21, 'insn_unpredictable')
# ... traced: its exception record (vector 0x24, the decoder's reason and
# item) replays in the simulator.
RUNS['attack-unpredictable-trace'] = traced('attack', 21)
# Interrupt ownership (issue 10, tests/scenarios/irqown-arm.scn): run 1,
# irqown attacks every banked distributor register of the hypervisor's
# event SGI and maintenance PPI, wrecks its own PPIs and virtual CPU
# interface, and is destroyed (the event SGI still parks CPU 3); run 2, the
# next cell on CPU 3 finds the banked state reset and its virtual timer
# ticks. No line of warden's may say a CPU was lost or a cell failed.
RUNS['irqown'] = {
    'cell': 'tiny', 'image': 'irqown', 'flags': KEEP_ENABLED,
    'select': 0, 'selects': [1, 2], 'wait_ms': 1500,
    'expect': BOOT + [
        r'^\[manager\] run 1 of 2$',
        r'^warden: started cell "tiny"$',
        r'^\[tiny\] \[check\] irqown.sgi-event: pass',
        r'^\[tiny\] \[check\] irqown.maintenance: pass',
        r'^\[tiny\] \[check\] irqown.own-ppi: pass',
        r'^\[tiny\] \[check\] irqown.whole-registers: pass',
        r'^\[tiny\] \[check\] irqown.distributor-ctlr: pass',
        r'^\[tiny\] \[check\] irqown.sgi-pending: pass',
        r'^\[tiny\] \[verdict\] pass 6/6$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] run 2 of 2$',
        r'^warden: started cell "tiny"$',
        r'^\[tiny\] \[check\] irqown.inherited-distributor: pass',
        r'^\[tiny\] \[check\] irqown.inherited-cpu-interface: pass',
        r'^\[tiny\] \[check\] irqown.next-owner-ticks: pass',
        r'^\[tiny\] \[verdict\] pass 3/3$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        RESUMED,
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ],
    'forbidden': [r'FAILED', r'lost', r'does not answer'],
}


def late(select, **kw):
    """Attack attempt @select (after the ARM ones) in cell "attack" on CPU
    2 (scenarios.late); the root cell powers off through warden."""
    return sc.late(ARCH, select, **kw)


# Issue #10: the cell's own attacks on the core (inmates/demos/attack.c,
# attempts 22-25 on ARM; tests/unit/test_isolation.c, arm_late).
# hvc in USR mode is UNDEFINED: the cell's own undefined instruction
# exception, nothing reaches the hypervisor.
RUNS['user-hvc'] = late(22, log=[
    r'^\[attack log\] \[check\] attack.hc-user-mode: pass '
    r'\(undefined instruction at the hvc \(0x[0-9a-f]+\)\)$',
    r'^\[attack log\] \[verdict\] pass 1/1$'],
    forbidden=[r'hypercall_user', r'^warden: cell "attack"'])
# console-control: the lines after the NUL are there too.
RUNS.update(sc.late_runs(ARCH, console_control=[
    r'^\[attack\] \\x01\\x02\\x03',
    r'^\[attack\] \[check\] attack.console-control: pass \(227 bytes '
    r'sent, 0 refused\)$',
    r'^\[attack\] \[verdict\] pass 1/1$']))

# Issue #11: accesses to the distributor hardware reports without syndrome
# (LDM, STM, LDREX: the decoder refuses them; a Thumb load with writeback:
# Thumb is not decoded), an unaligned word load (one 4-byte access at
# GICD + 2), and the PSCI answers (arch-armv7/psci.c): attempts 26-31,
# the same outcomes as in the simulator (tests/qemu/arm_equivalence.py).
RUNS.update({
    'attack-ldm': attack(26, 'insn_not_emulated'),
    'attack-stm': attack(27, 'insn_not_emulated'),
    'attack-ldrex': attack(28, 'insn_not_emulated'),
    'attack-thumb': attack(29, 'insn_thumb'),
    'attack-unaligned': attack(30, 'mmio_width'),
    'psci-answers': late(31, log=[
        r'^\[attack log\] \[check\] attack.psci-answers: pass '
        r'\(10000 0 -1 2 -2 0 -2 0 -1\)$']),
})

def mmio_denied(select, address):
    """mmio-access's denied form @select: an unaligned access to the
    sub-page test region, one access at @address: mmio_unaligned."""
    return {
        'cell': 'mmio', 'flags': KEEP_ENABLED, 'select': select,
        'expect': BOOT + [
            r'^warden: created cell "mmio" \(id 1\)$',
            r'^\[manager\] cell parameter select = %d$' % select,
            r'^warden: started cell "mmio"$',
            r'warden: cell "mmio": unaligned access to a sub-page region: '
            r'address 0x%x \[mmio_unaligned\]$' % address,
            r'warden: cell "mmio" FAILED, its CPUs are parked$',
            r'^warden: destroyed cell "mmio"$',
            r'^\[verdict\] pass (\d+)/\1$',
            r'^warden: PSCI SYSTEM_OFF from the root cell$',
        ],
        'forbidden': [r'not denied'],
    }


RUNS.update({
    'mmio-unaligned-ldr': mmio_denied(27, 0x7f000002),
    'mmio-unaligned-str': mmio_denied(28, 0x7f000001),
    'mmio-unaligned-ldrh': mmio_denied(29, 0x7f000003),
})

# Handover (docs/arm.md, "Handover"): on CPU 3, the handover inmate plants
# a distinctive value in every register a cell can write and is destroyed;
# a new cell on the same CPU reads them all back: each group as documented
# after handover.
HANDOVER_GROUPS = ['gprs', 'banked', 'cpsr', 'sctlr-vbar-tpidrprw', 'cp15',
                   'fpexc', 'vfp', 'timer', 'debug', 'watched-load', 'pmu',
                   'par-after-decode']


def handover_checked(cell, verdict=True):
    """The checking cell's lines: every group passes, then its verdict."""
    return [r'^\[%s\] \[check\] handover.%s: pass' % (cell, g)
            for g in HANDOVER_GROUPS] + \
        ([r'^\[%s\] \[verdict\] pass %d/%d$' %
          (cell, len(HANDOVER_GROUPS), len(HANDOVER_GROUPS))]
         if verdict else [])


RUNS['handover'] = {
    'cell': 'tiny', 'image': 'handover', 'flags': KEEP_ENABLED,
    'select': 0, 'selects': [1, 2],
    'expect': BOOT + [
        r'^\[manager\] run 1 of 2$',
        r'^\[manager\] cell parameter select = 1$',
        r'^\[tiny\] handover: planted 41 system registers \(22 read back\)$',
        r'^\[tiny\] handover: 15 debug/PMU read as zero; not kept: ADFSR '
        r'AIFSR AMAIR0 AMAIR1$',
        r'^\[tiny\] handover: planted d0-d31, FPSCR 0xf3c0009f, '
        r'FPEXC 0x40000000',
        r'^\[tiny\] handover: planted banked registers; .* idling in mode '
        r'0x1f$',
        r'^\[tiny\] \[verdict\] pass 1/1$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] run 2 of 2$',
        r'^\[manager\] cell parameter select = 2$',
    ] + handover_checked('tiny') + [
        r'^warden: destroyed cell "tiny"$',
        RESUMED,
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ],
    'forbidden': [r'FAILED'],
}
# The same inside one cell (smp-cell.dts, CPUs 1-3): its second CPU plants
# and gives itself back with PSCI CPU_OFF; started again with CPU_ON, the
# same CPU checks every group.
RUNS['handover-offon'] = {
    'cell': 'smp-cell', 'image': 'handover', 'flags': KEEP_ENABLED,
    'select': 3,
    'expect': boot_lines(spare=False) + [
        r'^\[manager\] cell parameter select = 3$',
        r'^\[smp\] handover: planted 41 system registers',
        r'^\[smp\] \[check\] handover.planted: pass',
        r'^\[smp\] \[check\] handover.offon-start: pass \(CPU 0x2: 1\)$',
        r'^\[smp\] \[check\] handover.offon-restart: pass',
    ] + handover_checked('smp', verdict=False) + [
        r'^\[smp\] \[check\] handover.offon-checked: pass',
        r'^\[smp\] \[verdict\] pass 16/16$',
        r'^warden: destroyed cell "smp"$',
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ],
    'forbidden': [r'FAILED'],
}
# Handover from a failed cell: the first cell plants, then reads memory
# that is not its own (select 4) and FAILS with its CPU parked as it was;
# the second cell on CPU 3 checks every group.
RUNS['handover-failed'] = {
    'cell': 'tiny', 'image': 'handover', 'flags': KEEP_ENABLED,
    'select': 0, 'selects': [4, 2],
    'expect': BOOT + [
        r'^\[manager\] cell parameter select = 4$',
        r'^\[tiny\] handover: planted 41 system registers',
        r'^\[tiny\] handover: reading 0x20000000 \(not the cell\'s\)$',
        r'warden: cell "tiny": .* \[mmio_unhandled\]$',
        r'warden: cell "tiny" FAILED, its CPUs are parked$',
        r'^\[manager\] CELL_GET_STATE = 3$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] cell parameter select = 2$',
    ] + handover_checked('tiny') + [
        r'^warden: destroyed cell "tiny"$',
        RESUMED,
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ],
    'forbidden': [r'still-running'],
}
# The handover run under the trap log: the records of both cells replay in
# the simulator with the same outcomes (the trap log splits the cells'
# lines, so their checks are the 'handover' run's job).
RUNS['handover-trace'] = dict(traced('tiny', 0), image='handover',
                              selects=[1, 2])
# The order of the trap log (issue 10): under warden-traplog-race.elf the
# CPU that starts a cell's CPU (CELL_START, PSCI CPU_ON) waits until that
# CPU has printed a record, or half a second, before its own record; the
# records must still come out in causal order and replay.
RUNS.update({
    'tiny-trace-race': dict(traced('tiny', 0), traplog='race'),
    'mmio-trace-race': dict(traced('mmio', 0), traplog='race'),
    'handover-trace-race': dict(RUNS['handover-trace'], traplog='race'),
})
# ... the comm-region handshake: the shutdown inmate prints (putc
# hypercalls) while the root's CELL_DESTROY waits for its reply, so the
# waiting call must let the cell's traps through: no timeout, no FAILED;
# the first request denied, the second approved, both replayed.
RUNS['shutdown-trace-race'] = dict(
    RUNS['shutdown'], traplog='race', wait_ms=WAIT_MS,
    expect=BOOT + [
        r'^hvc cpu=0 cell=qemu-arm-virt code=2 arg1=0x1 arg2=0x0 -> ret=0$',
        r'^respond tiny denied$',
        r'^hvc cpu=0 cell=qemu-arm-virt code=4 arg1=0x1 arg2=0x0 -> '
        r'ret=-1 reason=shutdown_denied item=0x1$',
        r'^respond tiny approved$',
        r'^hvc cpu=0 cell=qemu-arm-virt code=4 arg1=0x1 arg2=0x0 -> ret=0$',
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ],
    forbidden=[r'FAILED', r'shutdown_timeout'])
# ... a cell that starts its own CPUs with PSCI CPU_ON (smp: CPUs 2 and 3
# from CPU 1), each CPU_ON waiting for the started CPU's first trap.
RUNS['smp-trace-race'] = dict(
    RUNS['smp'], traplog='race', wait_ms=WAIT_MS,
    expect=boot_lines(spare=False) + [
        r'^hvc cpu=0 cell=qemu-arm-virt code=2 arg1=0x1 arg2=0x0 -> ret=0$',
        r'^cpuon cpu=1 cell=smp target=2 entry=0x[0-9a-f]+ -> ok$',
        r'^cpuon cpu=1 cell=smp target=3 entry=0x[0-9a-f]+ -> ok$',
        r'^hvc cpu=0 cell=qemu-arm-virt code=4 arg1=0x1 arg2=0x0 -> ret=0$',
        r'^\[verdict\] pass (\d+)/\1$',
        r'^warden: PSCI SYSTEM_OFF from the root cell$',
    ])
# ... two cells on one ivshmem device: doorbells, state and interrupts
# between them (their traps' records in the order of their effects).
RUNS['ivshmem-trace-race'] = dict(RUNS['ivshmem'], traplog='race',
                                  wait_ms=WAIT_MS)
FORBIDDEN = [r'HYPERVISOR PANIC', r'machine stopped', r'\[check\] .*: fail',
             r'\[fatal\]']


def kernel(run):
    if run.get('traplog') == 'race':
        return RACE_KERNEL
    return TRAPLOG_KERNEL if run.get('traplog') else KERNEL


def kernel_bin(run):
    return os.path.splitext(kernel(run))[0] + '.bin'


# warden.bin begins with struct wd_hv_header (include/warden/hv_header.h);
# the standalone entry, _start, follows it.
HV_HEADER_SIZE = 64


def qemu_command(run, board=None):
    """The QEMU command line of @run on @board: warden.bin loaded at the
    start of the board's hypervisor memory and started after its header on CPU 0 (in
    HYP mode: QEMU starts a CPU at the highest EL it has, with PSCI by
    smc for the others), the images and configs of files(), the manager's
    options."""
    b = board or DEFAULT_BOARD
    cmd = ['qemu-system-arm', '-M', 'virt,virtualization=on,gic-version=2',
           '-cpu', 'cortex-a15', '-smp', str(b['smp']), '-m', str(b['mem']),
           '-nographic', '-semihosting', '-no-reboot',
           '-device', 'loader,file=%s,addr=0x%x,force-raw=on'
           % (kernel_bin(run), b['hv_start']),
           '-device', 'loader,addr=0x%x,cpu-num=0'
           % (b['hv_start'] + HV_HEADER_SIZE)]
    for path, addr in files(run, b):
        cmd += ['-device', 'loader,file=%s,addr=0x%x,force-raw=on'
                % (path, addr)]
    words = [run['flags'], run['select'], run.get('wait_ms', 0)]
    words += run.get('param', (0, 0)) + (run.get('tries', 0),
                                         len(run.get('selects', ())) or
                                         run.get('runs', 0))
    words += run.get('param2', (0, 0))
    words += run.get('selects', [])
    while words and not words[-1]:
        words.pop()
    for i, word in enumerate(words):
        cmd += ['-device', 'loader,addr=0x%x,data=0x%x,data-len=4'
                % (MANAGER_ARGS + 4 * i, word)]
    return cmd


def fail(name, why, console):
    return runner.fail('qemu-arm-manager', name, why, console)


def boot(name, run, verbose, board=None):
    """Boot @run on @board: (console lines with the root cell's prefix
    taken off, None) or (None, exit status of a failure, printed)."""
    for path in [kernel_bin(run)] + [p for p, _ in files(run, board)]:
        if not os.path.exists(path):
            return None, fail(name, '%s missing (build first: ./run build)'
                              % path, '')
    size = os.path.getsize(image(run))
    if size > CELL_IMAGE_MAX:
        return None, fail(name, '%s is %d bytes, the manager copies %d'
                          % (image(run), size, CELL_IMAGE_MAX), '')
    cmd = qemu_command(run, board)
    if verbose:
        print(' '.join(cmd))
    try:
        status, out = runner.run_process(cmd, TIMEOUT)
    except OSError as e:
        return None, fail(name, 'cannot run qemu-system-arm: %s' % e, '')
    console = out.decode(errors='replace').replace('\r', '')
    # The manager prints through the hypervisor's debug console, whose
    # lines never mix with others; the core prefixes them with the root
    # cell's name, which the patterns leave out.
    prefix = '[%s] ' % (board or DEFAULT_BOARD)['root']
    lines = [line[len(prefix):] if line.startswith(prefix)
             else line for line in console.split('\n')]
    if verbose:
        sys.stdout.write(console)
    if status is None:
        return None, fail(name, 'timeout after %d s' % TIMEOUT, console)
    if status != 0:
        return None, fail(name, 'QEMU exit status %d' % status, console)
    return lines, None


def check(name, run, lines):
    """0 if @lines have every line @run expects, in order, and none it
    forbids; else the failure, printed, and 1."""
    why = runner.check_lines(lines, run['expect'],
                             FORBIDDEN + run['forbidden'],
                             run.get('at_most', ()), run.get('per_cell'))
    return fail(name, why, '\n'.join(lines)) if why else 0


def run_one(name, run, verbose, board=None, quiet=False):
    lines, status = boot(name, run, verbose, board)
    if lines is None:
        return status
    if check(name, run, lines):
        return 1
    if run.get('traplog'):
        return replay(name, run, lines, verbose)
    if not quiet:
        print('qemu-arm-manager %s: %d lines matched, QEMU exit status 0'
              % (name, len(run['expect']) +
                 sum(len(p) for p in run.get('per_cell', {}).values())))
    return 0


RECORD = re.compile(r'^(hvc|mmio|irq|reset|off|exc|cpuon|respond) ')
# The pool figures differ by design: the simulator's pool is all of
# hypervisor memory and its backend allocates nothing from it; warden's
# starts after its image and holds the stage-2 tables.
DIFFERS = re.compile(r'^hvc .* code=5 arg1=0x[01] ')


def replay(name, run, lines, verbose):
    """Write the records of @lines as a trace and replay it."""
    if not os.path.exists(SIM):
        return fail(name, '%s missing (build first: ./run build)' % SIM, '')
    records = [l for l in lines if RECORD.match(l) and not DIFFERS.match(l)]
    os.makedirs(TRACE_DIR, exist_ok=True)
    path = os.path.join(TRACE_DIR, '%s.trace' % name)
    cfg = os.path.relpath('build/configs/qemu-arm-virt', TRACE_DIR)
    with open(path, 'w') as f:
        f.write('warden-trace 1\n'
                '# recorded on qemu-system-arm by %s (%s)\n'
                'machine ram=0x40000000 size=0x10000000 cpus=4\n'
                'system %s/system.cell\n'
                'load 0x40810000 %s/%s.cell\n'
                'enable\n' % (kernel(run), SCRIPT, cfg, cfg,
                               run['cell']))
        if 'cell2' in run:
            f.write('load 0x40860000 %s/%s.cell\n' % (cfg, run['cell2'][0]))
        f.write('\n'.join(records) + '\n')
    p = subprocess.run([SIM, 'replay', path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode(errors='replace')
    if verbose:
        sys.stdout.write(out)
    if p.returncode != 0:
        return fail(name, 'replay of %s failed (exit %d):\n%s'
                    % (path, p.returncode, out), '\n'.join(lines))
    print('qemu-arm-manager %s: %d lines matched, %d trap records replay '
          'in the simulator (%s)' % (name, len(run['expect']), len(records),
                                     path))
    return 0


# The demo of `./run qemu-arm` (docs/arm.md, section 4): its scenarios in
# order, each one of RUNS, and what each shows.
DEMO = [
    ('tiny', 'tiny', 'tiny is created, runs on CPU 3, is destroyed; the '
     'manager disables the hypervisor and powers off natively'),
    ('attack', 'attack-ram', 'a cell reads another cell\'s RAM: denied '
     '(mmio_unhandled), the cell FAILED and contained, then destroyed'),
    ('ivshmem', 'ivshmem', 'two cells on the core\'s ivshmem device: '
     'shared memory, doorbell interrupts both ways'),
]
def summary(name, run, lines, passed, board=None):
    """Print what happened in a boot (runner.summary)."""
    runner.summary('qemu-arm', name, lines, passed, cell_cpus(run, board))


def cell_cpus(run, board):
    """Cell name -> its CPUs, from the configs the run loads (dumped by
    warden-config)."""
    out = {}
    for path, _ in files(run, board):
        if not path.endswith('.cell') or not os.path.exists(CONFIG_TOOL):
            continue
        p = subprocess.run([CONFIG_TOOL, 'dump', path],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True)
        name = re.search(r'cell-name = "([^"]+)";', p.stdout)
        cpus = re.search(r'cpus = <([^>]*)>;', p.stdout)
        if name and cpus:
            out[name.group(1)] = ','.join(cpus.group(1).split())
    return out


def parse_args(argv):
    demo = '\n'.join('  %-9s %s (run %s)' % (n, d, r) for n, r, d in DEMO)
    ap = argparse.ArgumentParser(
        prog=os.environ.get('ARM_MANAGER_PROG', 'arm_manager.py'),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description='Boot warden (build/armv7/warden.bin) on '
        'qemu-system-arm\'s virt machine with the root-cell manager and '
        'one or two cells, and check its console line by line. Each RUN '
        'is one boot; without RUN, all %d runs (the QEMU test of ./run '
        'test). Run from the top directory after ./run build. Exit status '
        '0 when every run passed, 1 when one failed, 2 for a usage error.'
        % len(RUNS),
        epilog='demo scenarios (--summary, ./run qemu-arm [SCENARIO]):\n' +
        demo + '\n\nruns: --list names them all; docs/arm.md, section 8, '
        'says what each one checks.')
    ap.add_argument('runs', nargs='*', metavar='RUN',
                    help='a run of the test, or a demo scenario')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print the QEMU command line and the whole console')
    ap.add_argument('--summary', action='store_true',
                    help='after each run, a summary: cells, their CPUs, '
                    'states, denials and failure reasons, verdicts')
    ap.add_argument('--demo', action='store_true',
                    help='--summary, and without RUN the demo scenarios '
                    '(what ./run qemu-arm does)')
    ap.add_argument('--list', action='store_true',
                    help='list the runs and the demo scenarios, then exit')
    ap.add_argument('--board', metavar='CPUSxMIB',
                    help='boot on a virt board of that shape (e.g. 2x256: '
                    '2 to 8 CPUs), configs made for it by warden-config '
                    'create (tests/qemu/arm_shapes.py); only runs of the '
                    'cells tiny and attack')
    return ap.parse_args(argv)


def make_board(shape):
    """The board of --board @shape with its configs, or None (said)."""
    import arm_shapes  # it imports this module: only when needed
    m = re.match(r'^(\d+)x(\d+)$', shape)
    if not m or not 2 <= int(m.group(1)) <= 8:
        print('--board %s: CPUSxMIB with 2 to 8 CPUs, e.g. 2x256' % shape,
              file=sys.stderr)
        return None
    board, err = arm_shapes.make_configs(int(m.group(1)), int(m.group(2)),
                                         'build/qemu/boards')
    if err:
        print('--board %s: %s' % (shape, err), file=sys.stderr)
    return board


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    aliases = {n: r for n, r, _ in DEMO}
    if args.list:
        for n, r, d in DEMO:
            print('%-9s %s (run %s)' % (n, d, r))
        print('runs: ' + ' '.join(RUNS))
        return 0
    if args.demo:
        args.summary = True
    names = args.runs or ([n for n, _, _ in DEMO] if args.demo else
                          list(RUNS))
    for name in names:
        if name not in RUNS and name not in aliases:
            print('arm_manager.py: unknown run %s (runs: %s; demo '
                  'scenarios: %s)' % (name, ', '.join(RUNS),
                                      ', '.join(aliases)), file=sys.stderr)
            return 2
    board = None
    if args.board:
        board = make_board(args.board)
        if not board:
            return 2
    failed = skipped = 0
    for name in names:
        run = RUNS[aliases.get(name, name)]
        if board:
            cells = [run['cell']] + [c for c, _ in [run.get('cell2',
                                                            (None, 0))] if c]
            missing = [c for c in cells if c not in board['cells']]
            if missing:
                print('=== %s: not on board %s: needs the cell(s) %s, '
                      'made only for the shipped board (-smp 4 -m 256)'
                      % (name, args.board, ', '.join(missing)))
                skipped += 1
                continue
            run = on_board(run, board)
        if not args.summary:
            failed += run_one(name, run, args.verbose, board)
            continue
        lines, status = boot(name, run, args.verbose, board)
        bad = status if lines is None else check(name, run, lines)
        if lines is not None:
            summary(name, run, lines, not bad, board)
        failed += bad != 0
    if args.summary:
        ran = len(names) - skipped
        print('=== qemu-arm: %d of %d %s' % (
            ran - failed, ran,
            'scenario passed' if ran == 1 else 'scenarios passed'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
