# SPDX-License-Identifier: GPL-2.0
"""The guest side of the Linux tests: the driver built against Debian's
headers, the `warden` command cross-built (static), and a busybox
initramfs (newc cpio, gzip) holding them with the firmware image, the
configs and the inmates. Everything goes under build/linux/<arch>/."""

import os
import shutil
import subprocess

TOP = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
# The compiler prefix and kernel ARCH of each dpkg architecture (amd64:
# the host's own gcc).
CROSS = {'armhf': 'arm-linux-gnueabihf-', 'amd64': ''}
KARCH = {'armhf': 'arm', 'amd64': 'x86'}

INIT = r'''#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
stty -echo 2>/dev/null
export PATH=/bin PS1=
echo "warden-test: init ready ($(cat /proc/uptime))"
exec /bin/sh
'''


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def _run(cmd, what, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if p.returncode:
        out = (p.stdout + p.stderr).strip().split('\n')
        raise BuildError('%s failed (exit %d):\n%s'
                         % (what, p.returncode, '\n'.join(out[-25:])))
    return p.stdout + p.stderr


def module(tree, arch, out):
    """Build driver/ against @tree's headers in a copy under @out; the
    path of warden.ko."""
    src = os.path.join(out, 'src')
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(TOP, 'driver'), os.path.join(src, 'driver'),
                    ignore=shutil.ignore_patterns('*.ko', '*.o', '.*.cmd'))
    shutil.copytree(os.path.join(TOP, 'include'),
                    os.path.join(src, 'include'))
    log = _run(['make', '-C', tree.headers, 'M=' + os.path.join(src, 'driver'),
                'ARCH=' + KARCH[arch], 'CROSS_COMPILE=' + CROSS[arch],
                'W=1', 'modules'], 'building driver/ against ' + tree.abi)
    if 'WARNING' in log or 'warning:' in log:
        raise BuildError('building driver/ warned:\n' + log)
    return os.path.join(src, 'driver', 'warden.ko')


def command(arch, out):
    """Cross-build tools/warden/warden.c (static); its path."""
    exe = os.path.join(out, 'warden')
    _run([CROSS[arch] + 'gcc', '-std=c11', '-Wall', '-Wextra', '-Werror',
          '-O2', '-static', '-o', exe,
          os.path.join(TOP, 'tools', 'warden', 'warden.c')],
         'cross-building tools/warden/warden.c')
    return exe


def cpio(tree, files, out):
    """The initramfs: busybox, /init, and @files ({guest path: host path
    or bytes}); the path of the .cpio.gz."""
    root = os.path.join(out, 'root')
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, 'bin'))
    shutil.copy(tree.busybox, os.path.join(root, 'bin', 'busybox'))
    files = dict(files)
    files['init'] = INIT.encode()
    for guest, host in files.items():
        path = os.path.join(root, guest.lstrip('/'))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(host, bytes):
            with open(path, 'wb') as f:
                f.write(host)
        else:
            shutil.copy(host, path)
    os.chmod(os.path.join(root, 'init'), 0o755)
    image = os.path.join(out, 'initramfs.cpio.gz')
    names = _run(['find', '.'], 'listing the initramfs', cwd=root)
    with open(image, 'wb') as f:
        c = subprocess.Popen(['cpio', '-o', '-H', 'newc', '--quiet',
                              '-R', '0:0'], cwd=root, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
        g = subprocess.Popen(['gzip', '-1'], stdin=c.stdout, stdout=f)
        c.stdout.close()
        c.communicate(names.encode())
        if c.wait() or g.wait():
            raise BuildError('cpio/gzip of the initramfs failed')
    return image
