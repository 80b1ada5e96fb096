#!/usr/bin/env python3
"""legacy_v4.py — an independent reading of the v4 mainnet sample (FORMAT-epochs-state-legacy.md
§4.2, §4.3, §7), for the real_v4 suite: written from the format document with Python's hashlib,
sharing no code with forensic_fdw.

usage: legacy_v4.py SAMPLE_DIR OUT_DIR
writes OUT_DIR/v4_epochs.csv (one row per epoch-ending record, with its waypoint recomputed with
LIBRA:: and checked against its manifest) and OUT_DIR/v4_state.csv (per snapshot: accounts,
resources, balances and their sum, where Balance<GAS> is found by hashing its StructTag).
"""
import csv, glob, hashlib, json, os, struct, sys

def sha3(b): return hashlib.sha3_256(b).digest()
def crypto_hash(domain, name, b): return sha3(sha3((domain + name).encode()) + b)

class Cur:
    def __init__(self, b): self.b, self.p = b, 0
    def take(self, n):
        assert self.p + n <= len(self.b), "truncated"
        r = self.b[self.p:self.p + n]; self.p += n; return r
    def u8(self): return self.take(1)[0]
    def u64(self): return struct.unpack('<Q', self.take(8))[0]
    def uleb(self):
        v = s = 0
        while True:
            x = self.u8(); v |= (x & 0x7f) << s; s += 7
            if not x & 0x80: return v
    def vec(self): return self.take(self.uleb())

def records(path):
    b = open(path, 'rb').read()
    out, p = [], 0
    while p < len(b):
        n = struct.unpack('>I', b[p:p + 4])[0]
        out.append(b[p + 4:p + 4 + n]); p += 4 + n
    assert p == len(b), path
    return out

def ledger_info(rec):
    c = Cur(rec)
    assert c.uleb() == 0
    e0 = c.p; epoch = c.u64(); rnd = c.u64()
    assert len(c.vec()) == 32                       # block id
    r0 = c.p; assert len(c.vec()) == 32; root = rec[r0:c.p]
    version = c.u64(); ts = c.u64()
    n0 = c.p; tag = c.u8()
    nval = tot = q = None
    if tag == 1:
        c.u64(); nval = c.uleb()
        for _ in range(nval):
            c.take(16); assert len(c.vec()) == 32; c.u64()
        q = c.u64(); tot = c.u64()
    nxt = rec[n0:c.p]
    assert len(c.vec()) == 32                       # consensus data hash
    signers = c.uleb()
    for _ in range(signers):
        c.take(16); assert len(c.vec()) == 64
    assert c.p == len(rec)
    conv = rec[e0:e0 + 8] + root + struct.pack('<QQ', version, ts) + nxt
    wp = crypto_hash('LIBRA::', 'Ledger2WaypointConverter', conv).hex()
    return dict(epoch=epoch, round=rnd, version=version, ts=ts, nval=nval, tot=tot, q=q,
                signers=signers, waypoint='%d:%s' % (version, wp))

def struct_tag(mod, name, params=()):
    b = bytes(15) + b'\x01' + bytes([len(mod)]) + mod.encode() + bytes([len(name)]) + name.encode()
    b += bytes([len(params)])
    for p in params: b += b'\x07' + p
    return b

BALANCE_KEY = b'\x01' + crypto_hash('LIBRA::', 'StructTag',
                                    struct_tag('LibraAccount', 'Balance', [struct_tag('GAS', 'GAS')]))

def main():
    sample, out = sys.argv[1], sys.argv[2]
    epochs, states = [], []
    for man in sorted(glob.glob(os.path.join(sample, '*', 'epoch_ending_*', 'epoch_ending.manifest'))):
        m = json.load(open(man))
        for ch in m['chunks']:
            path = os.path.join(os.path.dirname(man), os.path.basename(ch['ledger_infos']))
            for i, rec in enumerate(records(path)):
                li = ledger_info(rec)
                assert li['epoch'] == ch['first_epoch'] + i
                assert li['waypoint'] == m['waypoints'][li['epoch'] - m['first_epoch']], man
                epochs.append(li)
    for man in sorted(glob.glob(os.path.join(sample, '*', 'state_ver_*', 'state.manifest'))):
        m = json.load(open(man))
        accounts = resources = balances = total = 0
        for ch in m['chunks']:
            for rec in records(os.path.join(os.path.dirname(man), os.path.basename(ch['blobs']))):
                c = Cur(rec)
                assert len(c.vec()) == 32
                blob = Cur(c.vec()); assert c.p == len(rec)
                accounts += 1
                for _ in range(blob.uleb()):
                    key = blob.vec(); value = blob.vec(); resources += 1
                    if key == BALANCE_KEY:
                        assert len(value) == 8
                        balances += 1; total += struct.unpack('<Q', value)[0]
                assert blob.p == len(blob.b)
        states.append((m['version'], accounts, resources, balances, total))
    with open(os.path.join(out, 'v4_epochs.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['epoch', 'last_version', 'end_timestamp_usecs', 'round', 'validator_count',
                    'total_voting_power', 'quorum_voting_power', 'signer_count', 'waypoint'])
        for li in sorted(epochs, key=lambda x: x['epoch']):
            w.writerow([li['epoch'], li['version'], li['ts'], li['round'], li['nval'], li['tot'],
                        li['q'], li['signers'], li['waypoint']])
    with open(os.path.join(out, 'v4_state.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['snapshot_version', 'accounts', 'resources', 'balances', 'balance_sum'])
        for row in sorted(states): w.writerow(row)

main()
