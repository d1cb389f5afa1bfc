# SPDX-License-Identifier: GPL-2.0
"""Helpers the SConstruct runs as actions: symbol check, tests, fuzzing,
demo, format.

Each action returns 0 on success and non-zero on failure, as SCons expects.
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import time
import sys

TEST_TIMEOUT = 900   # s per test program (Check also times out each test)
TEST_JOBS = 2        # Check programs at a time (the machine: 2 cores)
TRACE_TIMEOUT = 300  # s per trace replay
# s per QEMU test script (each QEMU run has its own): arm_manager.py boots
# 43 times, about 60 s on an idle 2-core host but 165 s at load 9.
QEMU_TIMEOUT = 600
FUZZ_INPUT_TIMEOUT = 10  # s per fuzz input before libFuzzer calls it a hang

# Undefined symbols the freestanding core may leave for the backend.
ALLOWED_PREFIXES = ('hal_',)
# What the linker itself provides: the GOT of a position-independent image
# (the ARMv7 core is compiled -fpie: docs/arm.md, "Where warden runs").
LINKER_SYMBOLS = {'_GLOBAL_OFFSET_TABLE_'}


def _say(msg):
    sys.stdout.write(msg + '\n')
    sys.stdout.flush()


def _symbols(nm, archive):
    """(defined, undefined) external symbol names of an archive."""
    out = subprocess.run([nm, '-P', '-g', archive], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2 or len(fields[1]) != 1:
            continue            # "archive[member]:" headers
        name, kind = fields[0], fields[1]
        (undefined if kind in 'Uw' else defined).add(name)
    return defined, undefined


def _libgcc(env):
    cmd = [env.subst('$CC')] + env.subst('$CCFLAGS').split() + \
        ['-print-libgcc-file-name']
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          universal_newlines=True).stdout.strip()


def check_symbols(target, source, env):
    """Fail if the freestanding core needs anything but hal_* and libgcc."""
    archive = source[0].abspath
    nm = env.subst('$NM')
    defined, undefined = _symbols(nm, archive)
    libgcc_defined, _ = _symbols(nm, _libgcc(env))
    bad = sorted(s for s in undefined - defined
                 if not s.startswith(ALLOWED_PREFIXES)
                 and s not in libgcc_defined and s not in LINKER_SYMBOLS)
    if bad:
        _say('warden: %s needs symbols that neither core, hal_* nor libgcc '
             'provide (libc dependency?):' % source[0].path)
        for s in bad:
            _say('  undefined: %s' % s)
        return 1
    with open(target[0].abspath, 'w') as f:
        f.write('\n'.join(sorted(undefined - defined)) + '\n')
    return 0


# What a core file may include, and what betrays an architecture #ifdef.
CORE_INCLUDES = re.compile(
    r'^\s*#\s*include\s+(<warden/[\w.]+>|<std(int|def|bool|arg)\.h>|'
    r'"[\w]+\.h"|"\.\./hal/[\w]+\.h")\s*(/[*/].*)?$')
ARCH_CONDITIONAL = re.compile(
    r'^\s*#\s*(if|ifdef|ifndef|elif).*\b(__x86_64__|__i386__|__arm__|'
    r'__aarch64__|__ARM_\w+|CONFIG_\w+|ARCH_\w+|SIM\w*)\b')


def _check_lines(target, source, problems, done):
    """Run problems(line) -> [messages] over every line of @source;
    print them and fail, or write @done (a summary) to the stamp file."""
    bad = []
    for node in source:
        with open(node.abspath) as f:
            for n, line in enumerate(f, 1):
                bad += ['%s:%d: %s' % (node.path, n, p)
                        for p in problems(line)]
    if bad:
        for b in bad:
            _say('warden: ' + b)
        return 1
    with open(target[0].abspath, 'w') as f:
        f.write(done % len(source))
    return 0


def _layer_problems(line):
    out = []
    if re.match(r'^\s*#\s*include', line) and not CORE_INCLUDES.match(line):
        out.append('include not allowed in core: %s' % line.strip())
    if ARCH_CONDITIONAL.match(line):
        out.append('architecture conditional in core: %s' % line.strip())
    if ARCH_TEST.search(line):
        out.append('architecture test in core (arch policy belongs behind '
                   'the HAL or in the ABI): %s' % line.strip())
    return out


# Comparing with an architecture value is an architecture test too.
ARCH_TEST = re.compile(r'\bWD_ARCH_(X86|ARM|ARM64)\b')


def check_layers(target, source, env):
    """Fail if a core file includes an arch/sim header or tests an arch."""
    return _check_lines(target, source, _layer_problems,
                        '%d core files checked\n')


# The core's private headers (struct cell and struct per_cpu, internal
# interfaces): only core/, its unit tests and the host tools that link the
# core's pure config checker include them.
CORE_PRIVATE = re.compile(r'^\s*#\s*include\s+["<](\.\./)*(core/)?'
                          r'(core|state)\.h[">]')


def _private_problems(line):
    m = CORE_PRIVATE.match(line)
    # A bare "core.h" is the directory's own header (hal/core.h from hal/);
    # only core/... or ../core/... is the core's.
    if m and m.group(2):
        return ['core-private header outside core: %s (use the accessors '
                'of hal/core.h)' % line.strip()]
    return []


def check_private(target, source, env):
    """Fail if a backend, the simulator or the bench includes core state."""
    return _check_lines(target, source, _private_problems,
                        '%d files outside core checked\n')


def _environ(extra):
    env = dict(os.environ)
    env.update(extra)
    return env


def _status(rc):
    if rc is None:
        return 'timed out'
    if rc < 0:
        return 'killed by signal %d' % -rc
    return 'exit %d' % rc


def _run(cmd, top, env, timeout, capture):
    """Run cmd; return (returncode or None on timeout, captured output)."""
    try:
        p = subprocess.run(cmd, cwd=top, env=env, timeout=timeout,
                           stdout=subprocess.PIPE if capture else None,
                           stderr=subprocess.STDOUT if capture else None,
                           universal_newlines=True)
        return p.returncode, p.stdout or ''
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ''
        if isinstance(out, bytes):
            out = out.decode(errors='replace')
        return None, out


def run_tests(top, tests, sim, traces, extra_env, fuzz=None, qemu=(),
              jailhouse=None):
    """Run each Check program, each trace replay, each QEMU test script
    ((name, path) pairs), Jailhouse's published configs (the script
    @jailhouse, only when JAILHOUSE_SRC names a checkout: a visible skip
    otherwise), then the fuzzer (a callable returning 0 on success);
    print the summary."""
    env = _environ(extra_env)
    passed = failed = skipped = 0
    # The Check programs are independent (temporary files by mkstemp, a
    # free port each): two at a time, their output printed in order.
    with concurrent.futures.ThreadPoolExecutor(TEST_JOBS) as pool:
        runs = [pool.submit(_run, [prog], top, env, TEST_TIMEOUT, True)
                for prog in tests]
        for prog, run in zip(tests, runs):
            name = os.path.basename(prog)
            rc, out = run.result()
            _say('--- %s' % name)
            sys.stdout.write(out)
            if rc == 0:
                passed += 1
            else:
                failed += 1
                _say('test %s: FAILED (%s)' % (name, _status(rc)))
    for trace in traces:
        name = os.path.splitext(os.path.basename(trace))[0]
        if not sim:
            failed += 1
            _say('trace %s: FAILED (warden-sim not built: no sim/main.c)'
                 % name)
            continue
        rc, out = _run([sim, 'replay', trace], top, env, TRACE_TIMEOUT,
                       capture=True)
        if rc == 0:
            passed += 1
            _say('trace %s: ok' % name)
        else:
            failed += 1
            sys.stdout.write(out)
            _say('trace %s: FAILED (%s)' % (name, _status(rc)))
    for name, script in qemu:
        start = time.monotonic()
        rc, out = _run([sys.executable, script], top, env, QEMU_TIMEOUT,
                       capture=True)
        took = '%.0f s' % (time.monotonic() - start)
        if rc == 0:
            passed += 1
            _say('qemu %s: ok (%s)' % (name, took))
        elif rc == 77:  # what it needs could not be had: it says why
            skipped += 1
            sys.stdout.write(out)
            _say('qemu %s: SKIPPED (%s)' % (name, took))
        else:
            failed += 1
            sys.stdout.write(out)
            _say('qemu %s: FAILED (%s, %s)' % (name, _status(rc), took))
    if jailhouse and not env.get('JAILHOUSE_SRC'):
        skipped += 1
        _say('jailhouse configs: skipped: JAILHOUSE_SRC not set')
    elif jailhouse:
        rc, out = _run([sys.executable, jailhouse], top, env, QEMU_TIMEOUT,
                       capture=True)
        sys.stdout.write(out)
        if rc == 0:
            passed += 1
            _say('jailhouse configs: ok')
        else:
            failed += 1
            _say('jailhouse configs: FAILED (%s)' % _status(rc))
    if fuzz:
        if fuzz() == 0:
            passed += 1
        else:
            failed += 1
    _say('%d passed, %d failed%s' % (passed, failed, ', %d skipped' %
                                     skipped if skipped else ''))
    return 1 if failed else 0


def check_libfuzzer(env):
    """[] if clang has its libFuzzer runtime, else the Debian package."""
    def clang(*args):
        return subprocess.run(['clang'] + list(args), env=env,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL,
                              universal_newlines=True).stdout.strip()
    rtdir = clang('-print-runtime-dir')
    if rtdir and os.path.isdir(rtdir) and any(
            f.startswith('libclang_rt.fuzzer') for f in os.listdir(rtdir)):
        return []
    major = clang('-dumpversion').split('.')[0] or '14'
    return ['libclang-rt-%s-dev' % major]


def _fuzz_stats(log):
    """(executions, seconds, corpus files) from libFuzzer's output."""
    stats = dict(re.findall(r'^stat::(\w+):\s*(\d+)', log, re.M))
    corpus = re.findall(r'^#\d+\s+\w+\s+cov: \d+ ft: \d+ corp: (\d+)/',
                        log, re.M)
    return (int(stats.get('number_of_executed_units', 0)),
            int(stats.get('average_exec_per_sec', 0)),
            int(corpus[-1]) if corpus else 0)


def run_fuzz(top, prog, seeds, seconds, extra_env):
    """Run the libFuzzer binary @prog for @seconds on a copy of
    tests/fuzz/corpus plus @seeds. Inputs that crash it are copied to
    tests/fuzz/regressions/ (replayed by the unit tests from then on).
    Returns 0 if it found nothing."""
    if seconds <= 0:
        # libFuzzer takes 0 as "no limit": a quick local run skips it.
        _say('fuzz fuzz_config: skipped (FUZZ_TIME=%d)' % seconds)
        return 0
    work = os.path.join(top, 'build', 'fuzz', 'run')
    corpus = os.path.join(work, 'corpus')
    artifacts = os.path.join(work, 'artifacts')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(artifacts)
    shutil.copytree(os.path.join(top, 'tests', 'fuzz', 'corpus'), corpus)
    for seed in seeds:
        shutil.copy(seed, os.path.join(corpus, 'seed-' + os.path.basename(
            os.path.dirname(seed)) + '-' + os.path.basename(seed)))
    cmd = [prog, '-max_total_time=%d' % seconds,
           '-timeout=%d' % FUZZ_INPUT_TIMEOUT, '-rss_limit_mb=2048',
           '-print_final_stats=1', '-artifact_prefix=%s/' % artifacts,
           corpus]
    rc, log = _run(cmd, top, _environ(extra_env), seconds * 4 + 120,
                   capture=True)
    with open(os.path.join(work, 'fuzz.log'), 'w') as f:
        f.write(log)
    execs, rate, files = _fuzz_stats(log)
    found = sorted(os.listdir(artifacts))
    if rc == 0 and not found:
        _say('fuzz fuzz_config: ok (%d inputs in %d s, %d/s, corpus %d '
             'files)' % (execs, seconds, rate, files))
        return 0
    sys.stdout.write(log[-20000:])
    regressions = os.path.join(top, 'tests', 'fuzz', 'regressions')
    os.makedirs(regressions, exist_ok=True)
    for name in found:
        shutil.copy(os.path.join(artifacts, name), regressions)
        _say('fuzz: saved tests/fuzz/regressions/%s: fix the bug, keep the '
             'file (test_fuzz_regressions replays it)' % name)
    _say('fuzz fuzz_config: FAILED (%s; log: build/fuzz/run/fuzz.log)'
         % _status(rc))
    return 1


def _callgrind(top, prog, args, fn, n):
    """Host instructions callgrind counts in @fn (and what it calls) of
    `@prog @args`, divided by @n; None without valgrind."""
    if not shutil.which('valgrind'):
        return None
    out = os.path.join(top, 'build', 'bench', 'callgrind.%s.out' %
                       '-'.join(args[:-1]))
    subprocess.run(['valgrind', '--tool=callgrind', '--toggle-collect=' + fn,
                    '--callgrind-out-file=' + out, prog] + args, cwd=top,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        for line in f:
            if line.startswith(('summary:', 'totals:')):
                return int(line.split()[1]) / n
    return None


# Budgets of the deterministic counts (callgrind, host instructions; #18,
# docs/sim.md "Figures"): a replayed record (2,459 before the canonical
# parser), and the root's sub-page trap with 15 cells' claims no dearer
# than with one cell's but for the binary search's few more steps.
REPLAY_INSNS_BUDGET = 1500
SUBPAGE_GROWTH_BUDGET = 64


def run_bench(top, prog):
    """Print the simulator's rows of the figures table (tests/figures.py):
    the timings (printed, never asserted) and the callgrind counts (their
    budgets asserted). 1 if a budget is exceeded or a run fails."""
    sys.path.insert(0, os.path.join(top, 'tests'))
    import figures
    import io
    figures.section('simulator (tests/bench/bench.c, -O2, no sanitizers; '
                    'timings: CPU time, best of runs)')
    for args in (['dispatch', '2000000'], ['replay', '1000000'],
                 ['exec', 'loop', '200'], ['exec', 'mmio', '200']):
        rc, out = _run([prog] + args, top, _environ({}), TEST_TIMEOUT,
                       capture=True)
        figures.feed(io.StringIO(out))
        if rc != 0:
            _say('bench %s: FAILED (%s)' % (' '.join(args[:-1]),
                                             _status(rc)))
            return 1
    figures.section('simulator, host instructions (callgrind, '
                    'deterministic)')
    have = bool(shutil.which('valgrind'))
    ir = _callgrind(top, prog, ['replay-once', '100000'], 'replay_file',
                    100000)
    figures.row('replay, per record (parse + core + compare)', ir,
                budget=REPLAY_INSNS_BUDGET, unit='insns', assert_=have,
                note=None if have else 'no valgrind')
    for kind in ('mmio', 'pio', 'hvc'):
        ir = _callgrind(top, prog, ['loop', kind, '20000'], 'bench_trap_loop',
                        20000)
        figures.row('core, per %s trap (dispatch, checks, forward)' % kind,
                    ir, unit='insns')
    one = _callgrind(top, prog, ['loop', 'subpage-1', '20000'],
                     'bench_trap_loop', 20000)
    figures.row('root sub-page trap, 1 cell claims 4 regions', one,
                unit='insns')
    many = _callgrind(top, prog, ['loop', 'subpage-15', '20000'],
                      'bench_trap_loop', 20000)
    figures.row('root sub-page trap, 15 cells claim 60 regions', many,
                budget=one + SUBPAGE_GROWTH_BUDGET if one else None,
                unit='insns', assert_=have)
    return figures.exit_status()


def run_figures(top, script, name):
    """Print a backend's rows of the figures table (@script, e.g.
    tests/qemu/arm_figures.py; it says so in one line if its QEMU is
    missing): 1 if a budget is exceeded or the run fails."""
    rc, _ = _run([sys.executable, script], top,
                 _environ({'FIGURES_HEADER': '0'}), TEST_TIMEOUT,
                 capture=False)
    if rc != 0:
        _say('%s figures: FAILED (%s)' % (name, _status(rc)))
        return 1
    return 0


# The sections of `scons bench` that failed. Each section's action notes
# its verdict here and succeeds, so the sections after it still print
# (one table, in one order); the last action, bench_verdict(), fails the
# build naming them.
_BENCH_FAILED = []


def bench_section(name, rc):
    """Note section @name's exit status @rc for bench_verdict(): 0."""
    if rc:
        _BENCH_FAILED.append(name)
    return 0


def bench_verdict():
    """1, naming them, if a section of `scons bench` failed, else 0."""
    if _BENCH_FAILED:
        _say('bench: FAILED: %s (a budget exceeded or a run failed: see '
             'its rows above)' % ', '.join(_BENCH_FAILED))
        return 1
    return 0


# The lines-of-code figure of a hypervisor image (issue #14, item 7;
# docs/x86.md, "Figures"): the directories it counts, and those whose files
# an image includes but the figure leaves out (the ABI headers the cells
# and tools share).
LINE_DIRS = ('core', 'hal', 'arch-x86', 'arch-amd', 'arch-armv7')
LINE_SHARED = ('include',)


def _taken(image, archived):
    """The objects of @archived (a library's) that the link of @image took:
    the archive members its link map (IMAGE.map, -Wl,-Map) names."""
    with open(os.path.splitext(image)[0] + '.map') as f:
        members = set(re.findall(r'^\S+\.a\((\S+\.o)\)', f.read(), re.M))
    return [o for o in archived if os.path.basename(o) in members]


def _built_files(top, objects, extra):
    """The repository's files compiled or included into @objects: the
    sources and headers of each object's gcc -MMD dependency file (the .d
    next to the .o), and @extra (the linker script)."""
    files = set(os.path.normpath(os.path.join(top, e)) for e in extra)
    for obj in objects:
        with open(os.path.splitext(obj)[0] + '.d') as f:
            deps = f.read().replace('\\\n', ' ').split(':', 1)[1].split()
        files.update(os.path.normpath(os.path.join(top, d)) for d in deps)
    return sorted(os.path.relpath(f, top) for f in files
                  if f.startswith(os.path.join(top, '')))


def _cloc_by_file(top, paths):
    """{path: lines of code} by cloc (blank and comment lines left out)."""
    out = subprocess.run(['cloc', '--quiet', '--csv', '--by-file',
                          '--force-lang=C,h', '--force-lang=Assembly,S',
                          '--force-lang=C,lds'] + paths, cwd=top,
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    code = {}
    for line in out.splitlines():
        f = line.split(',')
        if len(f) >= 5 and f[1] in paths:
            code[f[1]] = int(f[4])
    return code


def image_lines(top, image, objects, archived, extra, out, target, ceiling):
    """Count the lines of code of the files built into @image (the
    sources and headers of its @objects, of those of @archived, a
    library's, that its link took, and @extra), per directory of LINE_DIRS;
    write the files and figures to @out, print the figures and whether
    they meet @target; 1 if the total is over @ceiling (or cloc is
    missing), else 0."""
    if not shutil.which('cloc'):
        _say('%s: lines not counted: cloc not installed' % image)
        return 1
    files = _built_files(top, objects + _taken(image, archived), extra)
    code = _cloc_by_file(top, files)
    per_dir, shared = {}, {}
    for path in files:
        d = path.split(os.sep)[0]
        if d in LINE_DIRS:
            per_dir[d] = per_dir.get(d, 0) + code.get(path, 0)
        else:
            shared[d] = shared.get(d, 0) + code.get(path, 0)
    total = sum(per_dir.values())
    # An ARMv7 image's directories, or an x86 image's.
    shown = [d for d in LINE_DIRS if d in ('core', 'hal') or
             (d == 'arch-armv7') == ('arch-armv7' in per_dir)]
    counted = len([f for f in files if f.split(os.sep)[0] in LINE_DIRS])
    summary = '%s: %d lines of code (cloc; target %d: %s) in %d files ' \
        'built into it: %s' % (
            image, total, target, 'met' if total <= target else 'NOT met',
            counted, ', '.join('%s %d' % (d, per_dir.get(d, 0))
                               for d in shown))
    others = ', '.join('%s/ %d' % (d, n) for d, n in sorted(shared.items()))
    with open(out, 'w') as f:
        f.write('# %s\n# not counted (shared with cells and tools): %s\n'
                % (summary, others))
        for path in files:
            f.write('%6d %s\n' % (code.get(path, 0), path))
    _say(summary)
    if total > ceiling:
        _say('%s: %d lines of code, more than its ceiling %d (the files: %s)'
             % (image, total, ceiling, out))
        return 1
    return 0


def run_demo(top, sim, scenarios, trace):
    """Run each scenario verbosely (real inmates in Unicorn), then replay
    the trace verbosely, with the release build of warden-sim (no
    sanitizers, no sanitizer settings: what a user runs); fail if any of
    them fails."""
    if not sim:
        _say('warden: demo needs build/release/warden-sim, but sim/main.c '
             'does not exist yet')
        return 1
    runs = [('run', s) for s in scenarios] + [('replay', trace)]
    for cmd, path in runs:
        if not os.path.exists(os.path.join(top, path)):
            _say('warden: demo file %s does not exist yet' % path)
            return 1
    failed = []
    for cmd, path in runs:
        _say('\n===== %s %s -v %s' % (os.path.relpath(sim, top), cmd, path))
        rc, _ = _run([sim, cmd, '-v', path], top, _environ({}), None,
                     capture=False)
        if rc != 0:
            _say('warden: demo %s failed (%s)' % (path, _status(rc)))
            failed.append(path)
    if failed:
        _say('warden: demo FAILED: %s' % ', '.join(failed))
        return 1
    _say('\nwarden: demo passed: %s' % ', '.join(p for _, p in runs))
    return 0


def _format_files(top, dirs):
    """Tracked and new (not ignored) .c/.h files under dirs."""
    try:
        out = subprocess.run(
            ['git', 'ls-files', '-co', '--exclude-standard', '--'] + dirs,
            cwd=top, check=True, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, universal_newlines=True).stdout
        files = out.splitlines()
    except (OSError, subprocess.CalledProcessError):
        files = [os.path.relpath(os.path.join(root, f), top)
                 for d in dirs for root, _, names in os.walk(
                     os.path.join(top, d)) for f in names]
    return sorted(f for f in set(files) if f.endswith(('.c', '.h'))
                  and os.path.isfile(os.path.join(top, f)))


def clang_format(top, dirs, check):
    tool = shutil.which('clang-format')
    if not tool:
        _say('warden: missing dependency: clang-format '
             '(apt-get install clang-format)')
        return 1
    files = _format_files(top, dirs)
    if not files:
        _say('format: no source files')
        return 0
    args = ['--dry-run', '--Werror'] if check else ['-i']
    rc = subprocess.run([tool] + args + files, cwd=top).returncode
    if check:
        _say('format-check: %d files %s' %
             (len(files), 'ok' if rc == 0 else 'need clang-format '
              '(run: scons format)'))
    return 1 if rc else 0
