# SPDX-License-Identifier: GPL-2.0
"""Check an SVG of `warden-config map` (run by tests/unit/test_map.c).

    python3 tests/unit/map_svg_check.py MAP.svg EXPECT [MAP.svg EXPECT...]

EXPECT has one line per thing the picture must show, written by the test
from the configs themselves:
    region START-LAST OWNER   a <text> element naming the range and owner
    cpu N                     a <text> element "CPU N"
    cell NAME                 a <text> element naming the cell
    conflict MESSAGE          a <text> element with check's exact message
The SVG must parse as XML, be an <svg> in the SVG namespace and carry no
script, event handler or external reference. Exit 0 when all holds for
every pair; otherwise one line per failure on stdout, exit 1.
"""
import sys
import xml.etree.ElementTree as ET

NS = '{http://www.w3.org/2000/svg}'


def main(svg, expect):
    fails = []
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        print('%s: not XML: %s' % (svg, e))
        return 1
    if root.tag != NS + 'svg':
        fails.append('root element is %s, not svg' % root.tag)
    texts = []
    for el in root.iter():
        if el.tag == NS + 'script':
            fails.append('has a <script>')
        for name, value in el.attrib.items():
            if name.startswith('on'):
                fails.append('event handler %s=%r' % (name, value))
            if name.endswith('href') and not value.startswith('#'):
                fails.append('external reference %s=%r' % (name, value))
        if el.tag == NS + 'text':
            texts.append(''.join(el.itertext()))
    words = [t.split() for t in texts]
    with open(expect) as f:
        for line in f:
            kind, _, what = line.rstrip('\n').partition(' ')
            if kind == 'region':
                rng, owner = what.split(' ', 1)
                ok = any(rng in t and owner in w
                         for t, w in zip(texts, words))
            elif kind == 'cpu':
                ok = any(t == 'CPU ' + what for t in texts)
            elif kind == 'cell':
                ok = any(what in w for w in words)
            elif kind == 'conflict':
                ok = any(t.endswith(what) for t in texts)
            else:
                fails.append('bad expectation %r' % line)
                continue
            if not ok:
                fails.append('no text shows %s %s' % (kind, what))
    for f in fails:
        print('%s: %s' % (svg, f))
    return 1 if fails else 0


if __name__ == '__main__':
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(max(main(args[i], args[i + 1])
                 for i in range(0, len(args), 2)))
