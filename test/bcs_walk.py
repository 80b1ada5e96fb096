"""bcs_walk.py — a few lines of BCS reading for the fixture scripts that damage records on
purpose (test/make-fixtures.sh, test/make-hostile.py): a cursor over bytes, type tags, and the
length-prefixed records of a chunk. Independent of src/ (FORMAT-transactions-v6v7.md)."""


class R:
    """A cursor: take(n) skips n bytes and returns where they start."""
    def __init__(s, b, p): s.b, s.p = b, p
    def take(s, n): s.p += n; return s.p - n
    def uleb(s):
        v = sh = 0
        while True:
            x = s.b[s.p]; s.p += 1; v |= (x & 0x7f) << sh; sh += 7
            if not x & 0x80: return v
    def bytes(s): n = s.uleb(); return s.take(n), n


def type_tag(r):
    """Skip a TypeTag (vector: 6, struct: 7)."""
    t = r.uleb()
    if t == 6:
        type_tag(r)
    elif t == 7:
        r.take(32); r.bytes(); r.bytes()
        for _ in range(r.uleb()):
            type_tag(r)


def records(data):
    """(offset of the length prefix, body start, body end) of each record of a chunk."""
    out, pos = [], 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], 'big')
        out.append((pos, pos + 4, pos + 4 + n))
        pos += 4 + n
    return out
