# SPDX-License-Identifier: GPL-2.0
"""The scenarios that tests/qemu/arm_manager.py and tests/qemu/x86_manager.py
both run, written once: the lines of the core and of the arch-neutral
manager (inmates/manager/manager.c) are the same on every architecture.
Each function returns one run (the manager's arguments, the lines the
console must have in order, the lines it must not have) for an Arch,
which says what differs: the boot lines, the lines that end a run, the
root cell's name, arch-specific lines (Arch.only) and where a cell's
"started" line may come."""

VERDICT = r'^\[verdict\] pass (\d+)/\1$'
# A spare root CPU ran on after the management calls suspended and resumed
# it (IPI).
RESUMED = r'^\[manager\] CPU \d still counting after the management ' \
    r'calls: yes$'
NOT_ROOT_LINE = r'warden: cell "attack": .*\[not_root\]$'
STARTED = r'^warden: started cell "%s"$'

KEEP_ENABLED = 0x1  # MANAGER_KEEP_ENABLED
DENIED = 0x4  # MANAGER_DENIED: the cell must refuse CELL_DESTROY
LOG = 0x8  # MANAGER_LOG: print the cell's log ring after destroy
BYSTANDER = 0x10  # MANAGER_BYSTANDER: the second cell denies after each run

# Attempts 1-9 of the attack inmate (tests/unit/test_isolation.c), made in
# the isolation run's first attack cell: refused, the cell runs on. Name,
# reason, the item as the reason text gives it.
REFUSED = [
    ('hc-disable', 'not_root', 'hypercall code 0x0'),
    ('hc-cell-create', 'not_root', 'hypercall code 0x1'),
    ('hc-cell-start', 'not_root', 'hypercall code 0x2'),
    ('hc-cell-set-loadable', 'not_root', 'hypercall code 0x3'),
    ('hc-cell-destroy', 'not_root', 'hypercall code 0x4'),
    ('hc-get-state-root', 'not_root', 'hypercall code 0x6'),
    ('hc-get-reason-root', 'reason_access', 'id 0x0'),
    ('hc-cpu-info-root', 'not_root', 'hypercall code 0x7'),
    ('hc-putc-unpermitted', 'putc_not_permitted', 'cell id 0x2'),
]


class Arch:
    """What a scenario's lines depend on. @name: 'arm' or 'x86'; @boot:
    spare -> the lines before a run's own (with or without a spare root
    CPU); @end: the lines after them; @root: the root cell's name (a
    pattern); @started_anywhere: a cell may fail or print before its
    CELL_START returns, so its "started" line is checked anywhere
    ('anywhere'), not in order."""

    def __init__(self, name, boot, end, root, started_anywhere):
        self.name = name
        self.boot = boot
        self.end = end
        self.root = root
        self.started_anywhere = started_anywhere

    def only(self, name, *lines):
        """@lines on architecture @name, none on the other."""
        return list(lines) if self.name == name else []

    def run(self, cell, expect, spare=True, end=None, **kw):
        """A run of @cell: the boot lines, @expect, the end lines."""
        lines = self.boot(spare) + expect + (self.end if end is None
                                             else end)
        run = dict(dict(select=0, forbidden=[]), cell=cell, **kw)
        if self.started_anywhere:
            started = [l for l in lines if l.startswith('^warden: started')]
            lines = [l for l in lines if l not in started]
            if started:
                run['anywhere'] = sorted(set(started), key=started.index) \
                    + run.get('anywhere', [])
        run['expect'] = lines
        return run


def tiny(a, hello, after_disable, spare=(), end=None, forbidden=()):
    """tiny: created, started, running (its @hello), destroyed; then
    DISABLE on both running root CPUs (@after_disable: the manager's
    check that warden is gone). @spare: the spare root CPU's start."""
    return a.run('tiny', list(spare) + [
        r'^warden: created cell "tiny" \(id 1\)$',
        r'^\[manager\] CELL_CREATE = 1$',
        r'^\[manager\] CELL_SET_LOADABLE = 0$',
        STARTED % 'tiny',
        hello,
        r'^\[tiny\] \[verdict\] pass 4/4$',
        r'^\[manager\] CELL_GET_STATE = 0$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        RESUMED,
        r'^warden: disabling hypervisor$',
        r'^\[manager\] DISABLE = 0$',
        # The last running root CPU leaves: the core tears down.
        r'^warden: hypervisor disabled$',
        r'^\[manager\] DISABLE on CPU 1 = 0$',
        after_disable,
    ], end=end, flags=0, forbidden=list(forbidden) + [r'FAILED'])


def mmio(a, checks, image=None):
    """Every access form of mmio-access on its emulated test region, end to
    end through the core: its @checks lines."""
    return a.run('mmio', [
        r'^warden: created cell "mmio" \(id 1\)$',
        STARTED % 'mmio',
    ] + checks + [
        r'^\[manager\] CELL_GET_STATE = 0$',
        r'^warden: destroyed cell "mmio"$',
    ] + a.only('x86', RESUMED), flags=KEEP_ENABLED,
        forbidden=[r'FAILED'], **({'image': image} if image else {}))


def timer(a, ticks, intro=(), counts=(), flags=KEEP_ENABLED):
    """The timer inmate in tiny's cell: its interrupt (@intro: how it is
    set up), the first tick, @ticks (its intervals counted); @counts: the
    manager's lines on the cell CPU's exit counters after destroy."""
    return a.run('tiny', [
        r'^warden: created cell "tiny" \(id 1\)$',
        STARTED % 'tiny',
    ] + list(intro) + [
        r'^\[tiny\] \[check\] timer.first-tick: pass',
        ticks,
        r'^\[tiny\] \[verdict\] pass 2/2$',
        r'^\[manager\] CELL_GET_STATE = 0$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
    ] + list(counts) + [RESUMED], image='timer', flags=flags,
        wait_ms=1500, forbidden=[r'FAILED'])


def shutdown(a):
    """The shutdown inmate answers the manager's CELL_DESTROY through the
    comm region: it denies the first request (deny_count 1), the cell
    runs on, the second is approved (tests/scenarios/shutdown-*.scn)."""
    return a.run('tiny', [
        r'^warden: created cell "tiny" \(id 1\)$',
        r'^\[manager\] cell parameter at 0x4c = 1$',
        STARTED % 'tiny',
        r'^\[tiny\] \[check\] shutdown.running: pass$',
        r'^\[tiny\] shutdown: waiting for requests \(mode 0, deny 1\)$',
    ] + a.only('arm', r'^\[manager\] CELL_GET_STATE = 0$') + [
        # First request: denied by the cell, refused with the reason.
        r'^\[tiny\] \[check\] shutdown.request-1: pass \(denied\)$',
        r'^\[tiny\] \[verdict\] pass 2/2$',
        r'warden: cell "%s": cell denied the shutdown request: its id '
        r'0x1 \[shutdown_denied\]$' % a.root,
        r'^\[manager\] CELL_DESTROY = -1$',
        r'^\[manager\]   reason \d+ item 0x1: cell denied the shutdown',
        r'^\[manager\] CELL_GET_STATE = 0$',  # still running
        # Second request: approved, the cell is destroyed.
        r'^\[tiny\] \[check\] shutdown.request-2: pass \(approved\)$',
        r'^\[tiny\] \[verdict\] pass 3/3$',
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
        RESUMED,
    ], image='shutdown', flags=KEEP_ENABLED, param=(0x4c, 1), tries=2,
        forbidden=[r'FAILED'])


def shutdown_deny(a):
    """shutdown = 1 (DENY): every request is refused, the cell keeps
    running (tests/scenarios/shutdown-deny-*.scn); the machine is powered
    off with the cell still running."""
    denied = a.only(
        'arm', r'warden: cell "%s": cell denied the shutdown request: its '
        r'id 0x1 \[shutdown_denied\]$' % a.root)
    reason = a.only(
        'arm', r'^\[manager\]   reason \d+ item 0x1: cell denied the shutdown')
    return a.run('tiny', [
        r'^\[manager\] cell parameter at 0x48 = 1$',
        STARTED % 'tiny',
        r'^\[tiny\] shutdown: waiting for requests \(mode 1, deny 0\)$',
        r'^\[tiny\] \[check\] shutdown.request-1: pass \(denied\)$',
    ] + a.only('arm', r'^\[tiny\] \[verdict\] pass 2/2$') + denied + [
        r'^\[manager\] CELL_DESTROY = -1$',
    ] + reason + a.only('arm', r'^\[manager\] CELL_GET_STATE = 0$') + [
        r'^\[tiny\] \[check\] shutdown.request-2: pass \(denied\)$',
        r'^\[tiny\] \[verdict\] pass 3/3$',
        r'^\[manager\] CELL_DESTROY = -1$',
    ] + reason + [
        r'^\[manager\] CELL_GET_STATE = 0$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 2$',
        RESUMED,
    ], image='shutdown', flags=KEEP_ENABLED | DENIED, param=(0x48, 1),
        tries=2, forbidden=[r'FAILED', r'destroyed cell', r'approved'])


def smp(a, spare_line):
    """A cell of three CPUs (smp-cell.dts, CPUs 1-3; no spare root CPU,
    so no line starting with @spare_line): the smp inmate starts CPUs 2
    and 3 (trapped, the core's cell CPU start), each reports its own
    hardware id and index (tests/scenarios/smp-*.scn); destroy parks all
    three."""
    return a.run('smp-cell', [
        r'^warden: created cell "smp" \(id 1\)$',
        r'^\[manager\] cell parameter at 0x44 = 3$',
        STARTED % 'smp',
        r'^\[smp\] smp: boot CPU hw id 0x1, starting 2 more$',
        r'^\[smp\] \[check\] smp.boot-index: pass$',
        r'^\[smp\] \[check\] smp.cpu1: pass \(hw id 0x2: start 1, '
        r'alive 1, saw id 0x2\)$',
        r'^\[smp\] \[check\] smp.cpu2: pass \(hw id 0x3: start 2, '
        r'alive 1, saw id 0x3\)$',
        r'^\[smp\] \[check\] smp.cpus-up: pass$',
        r'^\[smp\] \[verdict\] pass 4/4$',
        r'^\[manager\] CELL_GET_STATE = 0$',
        r'^warden: destroyed cell "smp"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
    ], spare=False, image='smp', flags=KEEP_ENABLED,
        param=(0x44, 3),  # num_cpus
        forbidden=[r'FAILED', r'^\[manager\] ' + spare_line])


def recreate(a):
    """Destroy and re-create: tiny's cell with the timer inmate created,
    run to its verdict and destroyed twice in one boot (a fresh RAM image,
    second-level tables, interrupt and timer state each time)."""
    once = []
    for n in (1, 2):
        once += [
            r'^\[manager\] run %d of 2$' % n,
            r'^warden: created cell "tiny" \(id 1\)$',
            STARTED % 'tiny',
            r'^\[tiny\] \[check\] timer.ticks: pass',
            r'^\[tiny\] \[verdict\] pass 2/2$',
        ] + a.only('arm', r'^\[manager\] CELL_GET_STATE = 0$') + [
            r'^warden: destroyed cell "tiny"$',
            r'^\[manager\] CELL_DESTROY = 0$',
        ]
    return a.run('tiny', once + [
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
        RESUMED,
    ], image='timer', flags=KEEP_ENABLED, runs=2, forbidden=[r'FAILED'])


def ivshmem(a, irqs):
    """Two cells on the core's ivshmem v2 device 00:04.0 (ivshmem-a.dts,
    ivshmem-b.dts): ECAM emulated by the core, the doorbell delivered as
    interrupt @irqs[cell]. The two cells' lines interleave: each one's
    are checked in its own order ('per_cell')."""
    return a.run('ivshmem-a', [
        r'^warden: ivshmem 00:04.0 of "ivshmem-b": peer 1 of 2$',
        r'^warden: created cell "ivshmem-b" \(id 1\)$',
        STARTED % 'ivshmem-b',
        r'^warden: ivshmem 00:04.0 of "ivshmem-a": peer 0 of 2$',
        r'^warden: created cell "ivshmem-a" \(id 2\)$',
        STARTED % 'ivshmem-a',
    ] + a.only('arm', r'^\[manager\] CELL_GET_STATE = 0$') + [
        r'^warden: destroyed cell "ivshmem-a"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^warden: destroyed cell "ivshmem-b"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
        RESUMED,
    ], image='ivshmem', flags=KEEP_ENABLED,
        cell2=('ivshmem-b', 'ivshmem'), forbidden=[r'FAILED'], per_cell={
        cell: [r'^\[%s\] \[check\] ivshmem.%s: pass' % (cell, c)
               for c in ('pci', 'device', 'layout', 'peer-ready')] +
        [r'^\[%s\] \[check\] ivshmem.irq: pass \(interrupt %d\)$'
         % (cell, irqs[cell])] +
        [r'^\[%s\] \[check\] ivshmem.%s: pass' % (cell, c)
         for c in ('peer-armed', 'doorbell', 'peer-output', 'rw-section')] +
        [r'^\[%s\] \[verdict\] pass 9/9$' % cell]
        for cell in ('ivshmem-a', 'ivshmem-b')})


def attack(a, select, reason):
    """Attack attempt @select runs in cell "attack" and is denied with
    @reason; the root cell destroys it."""
    return a.run('attack', [
        r'^warden: created cell "attack" \(id 1\)$',
        r'^\[manager\] cell parameter select = %d$' % select,
        STARTED % 'attack',
        # Not anchored: the root cell may write the UART directly, so a
        # line of warden's (another CPU) may continue one of its own.
        r'warden: cell "attack": .*\[%s\]$' % reason,
        r'warden: cell "attack" FAILED, its CPUs are parked$',
        r'^\[manager\] CELL_GET_STATE = 3$',
        r'^\[manager\]   reason \d+ item 0x[0-9a-f]+: ',
        r'^warden: destroyed cell "attack"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        RESUMED,
    ], flags=KEEP_ENABLED, select=select)


def isolation(a, attempts, **kw):
    """The isolation suite (tests/unit/test_isolation.c) in one boot: tiny's
    cell runs the shutdown inmate as a bystander, denying one request per
    denied attempt; the attack cell is created, started, contained and
    destroyed once per denied attempt of @attempts ((select, name,
    reason, (what, item) or None)); the first run also makes attempts
    1-10: nine refused hypercalls and a config read of an empty slot.
    After each, the manager reads the attack cell's log ring and asks the
    bystander to shut down: it must still be RUNNING and answer (deny)
    request N, so it made progress after attack N. At the end it approves
    and is destroyed."""
    runs = len(attempts)
    expect = [
        r'^warden: created cell "tiny" \(id 1\)$',
        r'^\[manager\] cell parameter at 0x4c = %d$' % runs,
        r'^\[tiny\] shutdown: waiting for requests \(mode 0, deny %d\)$'
        % runs,
    ]
    for i, (select, name, reason, item) in enumerate(attempts):
        expect += [
            r'^\[manager\] run %d of %d$' % (i + 1, runs),
            r'^warden: created cell "attack" \(id 2\)$',
        ]
        if i:
            expect += a.only('arm', r'^\[manager\] cell parameter select = '
                             r'%d$' % select)
        expect += a.only('arm', STARTED % 'attack')
        if not i:
            expect += [r'warden: cell "attack": .*: %s \[%s\]$' % (t, r)
                       for _, r, t in REFUSED]
        expect += [
            r'warden: cell "attack": .*: %s 0x%x \[%s\]$'
            % (item + (reason,)) if item else
            r'warden: cell "attack": .*\[%s\]$' % reason,
            r'warden: cell "attack" FAILED, its CPUs are parked$',
            r'^\[manager\] CELL_GET_STATE = 3$',
        ] + ([r'^\[manager\]   reason \d+ item 0x%x: ' % item[1]]
             if item else []) + [
            r'^warden: destroyed cell "attack"$',
            r'^\[manager\] CELL_DESTROY = 0$',
            r'^\[manager\] log of "attack" ',
        ]
        if not i:
            expect += [r'^\[attack log\] \[check\] attack.%s: pass '
                       r'\(result -1\)$' % n for n, _, _ in REFUSED]
            # An empty slot: all ones.
            expect.append(r'^\[attack log\] \[check\] '
                          r'attack.pci-read-foreign: pass '
                          r'\(read 0xffffffff\)$')
        expect += a.only('arm', r'^\[attack log\] \[run\] attack.%s$' % name)
        expect += [
            # The bystander runs on: RUNNING, and it answers.
            r'^\[manager\] "tiny" CELL_GET_STATE = 0$',
            r'^\[tiny\] \[check\] shutdown.request-%d: pass \(denied\)$'
            % (i + 1),
            r'^\[manager\] "tiny" CELL_DESTROY = -1 \(request %d\)$'
            % (i + 1),
        ]
    expect += [
        r'^\[tiny\] \[check\] shutdown.request-%d: pass \(approved\)$'
        % (runs + 1),
        r'^\[tiny\] \[verdict\] pass %d/%d$' % (runs + 2, runs + 2),
        r'^warden: destroyed cell "tiny"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] HYPERVISOR_GET_INFO\(NUM_CELLS\) = 1$',
    ] + a.only('arm', RESUMED)
    return a.run('attack', expect, flags=KEEP_ENABLED | LOG | BYSTANDER,
                 selects=[0] + [t[0] for t in attempts[1:]],
                 cell2=('tiny', 'shutdown'), param2=(0x4c, runs),
                 forbidden=[r'warden: cell "tiny"', r'FAILED.*tiny'], **kw)


def late(a, select, cell='attack', wait_ms=0, during=(), at_destroy=(),
         log=(), forbidden=(), at_most=(), anywhere=()):
    """Attack attempt @select (after the arch's own) in cell "attack",
    which it leaves running: the root cell destroys it (the cell
    approves) and prints its log ring. Lines @during the run, @at_destroy
    (before "destroyed") and in the @log; @anywhere: lines the x86 runner
    finds anywhere in the console."""
    return a.run(cell, [
        r'^warden: created cell "attack" \(id 1\)$',
        r'^\[manager\] cell parameter select = %d$' % select,
        STARTED % 'attack',
    ] + list(during) + [
        r'^\[manager\] CELL_GET_STATE = 0$',
    ] + list(at_destroy) + [
        r'^warden: destroyed cell "attack"$',
        r'^\[manager\] CELL_DESTROY = 0$',
        r'^\[manager\] log of "attack" ',
    ] + list(log) + [RESUMED], image='attack', flags=KEEP_ENABLED | LOG,
        select=select, wait_ms=wait_ms,
        forbidden=[r'FAILED$', r'shutdown_timeout'] + list(forbidden),
        at_most=list(at_most), anywhere=list(anywhere))


SUPPRESSED = r'^warden: cell "attack": \d+ more lines suppressed$'


def late_runs(a, console_control=()):
    """The cell's attacks on the core both architectures run (attempts 23
    to 25, inmates/demos/attack.c): console-control (control bytes, a
    NUL and a forged hypervisor line from a cell that may print,
    attack-con.dts: escaped behind "[attack] "; @console_control: the
    arch's further lines), console-flood (2,000 refused hypercalls: a
    bounded number of lines, the rest counted when the cell is destroyed
    or a second later), mgmt-loop (management calls in a loop: the root's
    CELL_DESTROY is never held up by them)."""
    return {
        'console-control': late(a, 23, cell='attack-con', during=[
            r'^\[attack\] \\x0d\\x1b\[2Kwarden: cell "tiny" FAILED, its '
            r'CPUs are parked\\x00after the NUL$'] + list(console_control),
            forbidden=[r'^warden: cell "tiny"', '\x1b', '\x00']),
        # x86: a slow machine (Bochs with the trap log) may finish the
        # flood, and print its last count, before CELL_GET_STATE.
        'console-flood': late(a, 24, during=[NOT_ROOT_LINE],
                              at_destroy=a.only('arm', SUPPRESSED),
                              anywhere=a.only('x86', SUPPRESSED), log=[
            r'^\[attack log\] \[check\] attack.console-flood: pass \(2000 '
            r'of 2000 refused\)$'],
            at_most=[(NOT_ROOT_LINE, 20)]),
        'mgmt-loop': late(a, 25, wait_ms=300, during=[
            r'warden: cell "attack": .*: hypercall code 0x4 \[not_root\]$'],
            at_destroy=[
                r'^warden: cell "attack": \d+ more lines suppressed$'],
            log=[r'^\[attack log\] \[run\] attack.hc-management-loop$'],
            at_most=[(NOT_ROOT_LINE, 20)]),
    }
