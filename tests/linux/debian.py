# SPDX-License-Identifier: GPL-2.0
"""Debian's own kernel, headers and busybox for the Linux tests, fetched
with apt into a private apt state (the machine's dpkg architectures and
package lists stay as they are: no `dpkg --add-architecture`), cached in
~/.cache/warden-linux/ so that a second run fetches nothing, and unpacked
with dpkg-deb. Two architectures: armhf (the armmp kernel, the ARMv7
test) and amd64 (the amd64 kernel, the x86 test). Each has its own apt
state (apt/ for armhf, with amd64 for linux-kbuild; apt-amd64/ for amd64
alone), so that an armhf index that is briefly inconsistent cannot keep
the amd64 half from its packages, and the two tests can fetch at once.

fetch(arch) returns a Tree (kernel image, headers directory for
`make -C`, busybox binary) or raises Unavailable with the reason (the
archive or its index could not be had after retries): the caller SKIPS
the run with that reason, never passes it."""

import glob
import os
import shutil
import subprocess
import time

CACHE = os.environ.get('WARDEN_LINUX_CACHE',
                       os.path.expanduser('~/.cache/warden-linux'))
MIRROR = 'http://deb.debian.org/debian'
SUITE = 'bookworm'
KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg'
# The flavour of each dpkg architecture (Debian's stock kernels).
FLAVOUR = {'armhf': 'armmp', 'amd64': 'amd64'}
RETRIES = 3


class Unavailable(Exception):
    """The packages could not be fetched (the reason is the message)."""


class Tree:
    """An unpacked kernel: @image (vmlinuz), @headers (the flavour's
    headers directory, for make -C), @busybox (static binary), @abi
    (e.g. 6.1.0-50-armmp), @version (the Debian package version)."""

    def __init__(self, root, abi, version):
        self.root = root
        self.abi = abi
        self.version = version
        self.image = os.path.join(root, 'boot', 'vmlinuz-' + abi)
        self.headers = os.path.join(root, 'usr', 'src',
                                    'linux-headers-' + abi)
        self.busybox = os.path.join(root, 'bin', 'busybox')


# The private apt state of each architecture (under CACHE) and the dpkg
# architectures it indexes: linux-kbuild (host tools) is always amd64.
STATE = {'armhf': ('apt', ['amd64', 'armhf']),
         'amd64': ('apt-amd64', ['amd64'])}


def _apt_options(state, arches):
    return ['-o', 'Dir::Etc::SourceList=' + os.path.join(state, 'sources.list'),
            '-o', 'Dir::Etc::SourceParts=/dev/null',
            '-o', 'Dir::State=' + os.path.join(state, 'state'),
            '-o', 'Dir::State::status=/dev/null',
            '-o', 'Dir::Cache=' + os.path.join(state, 'cache'),
            '-o', 'APT::Architecture=amd64'] + \
        [o for a in arches for o in ('-o', 'APT::Architectures::=' + a)] + \
        ['-o', 'Debug::NoDropPrivs=true',
         '-o', 'APT::Sandbox::User=root']


def _run(cmd, what, cwd=None):
    """Run @cmd up to RETRIES times (apt's index is sometimes briefly
    inconsistent: "Mirror sync in progress?"); its stdout, or raise
    Unavailable naming @what and apt's last words."""
    last = ''
    for attempt in range(RETRIES):
        try:
            p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True,
                               timeout=120)
        except subprocess.TimeoutExpired:
            last = "timed out after 120 s"
        else:
            if p.returncode == 0:
                return p.stdout
            last = (p.stderr.strip().split('\n') or [''])[-1]
        time.sleep(2 * (attempt + 1))
    raise Unavailable('%s failed %d times: %s' % (what, RETRIES, last))


def _index(state, opts, arches):
    """The private apt index (bookworm main: the kernel and busybox are
    there; -security's armhf index is the one seen failing)."""
    for d in ('state/lists/partial', 'cache/archives/partial'):
        os.makedirs(os.path.join(state, d), exist_ok=True)
    with open(os.path.join(state, 'sources.list'), 'w') as f:
        f.write('deb [signed-by=%s] %s %s main\n' % (KEYRING, MIRROR, SUITE))
    _run(['apt-get', '-q'] + opts + ['update'],
         'apt-get update of %s main (%s)' % (SUITE, '+'.join(arches)))


def _abi(opts, arch):
    """The ABI name the flavour's metapackage depends on, e.g.
    6.1.0-50-armmp, and its version."""
    meta = 'linux-image-%s:%s' % (FLAVOUR[arch], arch)
    out = _run(['apt-cache'] + opts + ['depends', meta],
               'apt-cache depends ' + meta)
    for line in out.split('\n'):
        line = line.strip()
        if line.startswith('Depends: linux-image-'):
            pkg = line.split()[1].split(':')[0]
            abi = pkg[len('linux-image-'):]
            show = _run(['apt-cache'] + opts +
                        ['show', '%s:%s' % (pkg, arch)], 'apt-cache show')
            for s in show.split('\n'):
                if s.startswith('Version: '):
                    return abi, s.split()[1]
    raise Unavailable('%s names no kernel package' % meta)


def fetch(arch='armhf', log=None):
    """Fetch (once) and unpack Debian's stock kernel of @arch; a Tree."""
    top = os.path.join(CACHE, arch)
    done = os.path.join(top, 'tree.done')
    if os.path.exists(done):
        abi, version = open(done).read().split()
        return Tree(os.path.join(top, 'tree'), abi, version)
    state = os.path.join(CACHE, STATE[arch][0])
    opts = _apt_options(state, STATE[arch][1])
    if log:
        log('fetching Debian %s kernel packages into %s' % (arch, top))
    _index(state, opts, STATE[arch][1])
    abi, version = _abi(opts, arch)
    common = abi[:abi.rindex('-')] + '-common'
    kbuild = 'linux-kbuild-' + '.'.join(abi.split('.')[:2])
    pkgs = ['linux-image-%s:%s=%s' % (abi, arch, version),
            'linux-headers-%s:%s=%s' % (abi, arch, version),
            'linux-headers-%s=%s' % (common, version),
            '%s:amd64=%s' % (kbuild, version),  # scripts run on the host
            'busybox-static:' + arch]
    debs = os.path.join(top, 'debs')
    os.makedirs(debs, exist_ok=True)
    for deb in glob.glob(os.path.join(debs, '*.deb')):
        os.unlink(deb)
    _run(['apt-get', '-q'] + opts + ['download'] + pkgs,
         'apt-get download ' + ' '.join(pkgs), cwd=debs)
    tree = os.path.join(top, 'tree')
    subprocess.run(['rm', '-rf', tree], check=True)
    os.makedirs(tree)
    for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
        subprocess.run(['dpkg-deb', '-x', deb, tree], check=True)
    t = Tree(tree, abi, version)
    _fix_headers(t, common)
    # Kept: the kernel, the headers, kbuild, busybox. Not needed: the
    # kernel's own modules (160 MB) and the packages once unpacked.
    shutil.rmtree(os.path.join(tree, 'lib', 'modules'), ignore_errors=True)
    shutil.rmtree(debs, ignore_errors=True)
    with open(done, 'w') as f:
        f.write('%s %s\n' % (abi, version))
    return t


def _fix_headers(t, common):
    """The flavour's headers Makefile includes the common tree by an
    absolute /usr/src path: point it into the unpacked tree."""
    mk = os.path.join(t.headers, 'Makefile')
    text = open(mk).read()
    text = text.replace('/usr/src/linux-headers-' + common,
                        os.path.join(t.root, 'usr', 'src',
                                     'linux-headers-' + common))
    with open(mk, 'w') as f:
        f.write(text)
