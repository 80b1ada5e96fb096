#!/usr/bin/env python3
"""verify_legacy.py ARCHIVE EXPECTED — the v4/v5 half of verify_fixture.py (which runs it).

Independent verifier of a fixturegen --era v4|v5 archive (FORMAT-epochs-state-legacy.md §2-§8):
its own BCS reader decodes every chunk (framing, exact consumption of every record, account blob
and resource), re-hashes with the era's domain (LIBRA:: / DIEM::) transaction hashes, event roots,
TransactionInfo hashes (the accumulator root must be every epoch's executed_state_id, and the
transaction range proofs and state.proof siblings must verify), waypoints and account key hashes,
checks sorted maps (validators, signatures, account blobs by serialized key) and the snapshot
manifests, then re-renders every row of the expected CSVs. Bundles (<epoch>.zip / .tar.gz /
.tgz) must hold exactly the files of their folder, byte for byte; without folders
(--bundles-only) the archive is read from the bundles. Shares no code with the C generator.
"""
import csv, gzip, hashlib, io, json, os, re, sys, tarfile, zipfile

ARCHIVE, EXPECTED = sys.argv[1], sys.argv[2]
errors = []
def fail(msg):
    errors.append(msg)
    if len(errors) < 30: print('FAIL:', msg)

summary = dict(l.split(': ', 1) for l in open(os.path.join(EXPECTED, 'summary.txt')).read().splitlines())
ERA = summary['framework']
DOMAIN = b'LIBRA::' if ERA == 'v4' else b'DIEM::'
def seed(name): return hashlib.sha3_256(DOMAIN + name.encode()).digest()
def dhash(name, data): return hashlib.sha3_256(seed(name) + data).digest()
PLACEHOLDER = b'ACCUMULATOR_PLACEHOLDER_HASH' + b'\0' * 4
def root_of(node, leaves):
    if not leaves: return PLACEHOLDER
    level = list(leaves)
    while len(level) > 1:
        if len(level) % 2: level.append(PLACEHOLDER)
        level = [PLACEHOLDER if a == PLACEHOLDER and b == PLACEHOLDER else hashlib.sha3_256(seed(node) + a + b).digest()
                 for a, b in zip(level[::2], level[1::2])]
    return level[0]

class R:
    def __init__(s, b): s.b, s.p = b, 0
    def take(s, n):
        if s.p + n > len(s.b): raise ValueError(f'truncated at {s.p}')
        s.p += n; return s.b[s.p - n:s.p]
    def u(s, n): return int.from_bytes(s.take(n), 'little')
    def uleb(s):
        v, sh = 0, 0
        while True:
            x = s.take(1)[0]; v |= (x & 0x7f) << sh; sh += 7
            if not x & 0x80: return v
    def bytes(s): return s.take(s.uleb())
    def str(s): return s.bytes().decode()
    def addr(s): return s.take(16)
    def hv(s):
        if s.uleb() != 32: raise ValueError(f'HashValue without its 0x20 prefix at {s.p}')
        return s.take(32)
    def opt(s, f):
        t = s.take(1)[0]
        if t > 1: raise ValueError('option tag')
        return f() if t else None
    def vec(s, f): return [f() for _ in range(s.uleb())]
    def done(s): return s.p == len(s.b)

def a16(a): return '0x' + a.hex()
def short(a):   # type tags and function names: 0x1 stays short
    v = int.from_bytes(a, 'big')
    return hex(v) if v < 16 else '0x' + a.hex()
def type_tag(r):
    t = r.uleb()
    prims = {0: 'bool', 1: 'u8', 2: 'u64', 3: 'u128', 4: 'address', 5: 'signer'}
    if t in prims: return prims[t]
    if t == 6: return f'vector<{type_tag(r)}>'
    if t == 7: return struct_tag(r)
    raise ValueError(f'type tag {t} (v4/v5 have 0-7)')
def struct_tag(r):
    a, m, n = r.addr(), r.str(), r.str()
    ps = r.vec(lambda: type_tag(r))
    return f'{short(a)}::{m}::{n}' + (f'<{", ".join(ps)}>' if ps else '')

def read_bytes(data):
    if data[:2] == b'\x1f\x8b': return gzip.decompress(data)
    return data
def frames(data, what):
    p, out = 0, []
    while p < len(data):
        if p + 4 > len(data): raise ValueError(f'{what}: partial length prefix')
        n = int.from_bytes(data[p:p + 4], 'big'); p += 4
        if p + n > len(data): raise ValueError(f'{what}: short record')
        out.append(data[p:p + n]); p += n
    return out

# --- the files: folders, and bundles beside (or instead of) them ---------------------
files = {}          # key -> raw bytes as stored
objkey = {}         # key as found in a folder -> key the FDW names it by
for d, _, fs in os.walk(ARCHIVE):
    for f in fs:
        k = os.path.relpath(os.path.join(d, f), ARCHIVE)
        if not re.match(r'^\d+\.(zip|tar\.gz|tgz)$', k): files[k] = open(os.path.join(d, f), 'rb').read()
zip_methods = set()
bundles = sorted(k for k in os.listdir(ARCHIVE) if re.match(r'^\d+\.(zip|tar\.gz|tgz)$', k))
for b in bundles:
    epoch = b.split('.')[0]
    path = os.path.join(ARCHIVE, b)
    members = {}
    if b.endswith('.zip'):
        with zipfile.ZipFile(path) as z:
            for i in z.infolist():
                if not i.is_dir(): members[i.filename] = z.read(i)
            zip_methods.update(i.compress_type for i in z.infolist() if not i.is_dir())
    else:
        if open(path, 'rb').read(10)[4:8] != b'\0\0\0\0': fail(f'{b}: gzip header has a timestamp')
        with tarfile.open(path, 'r:gz') as t:
            for m in t.getmembers():
                if m.isfile(): members[m.name] = t.extractfile(m).read()
    if any(not m.startswith(epoch + '/') for m in members): fail(f'{b}: a member outside {epoch}/')
    folder = {k: v for k, v in files.items() if k.startswith(epoch + '/')}
    if os.path.isdir(os.path.join(ARCHIVE, epoch)):
        if folder != members: fail(f'{b}: members differ from the folder {epoch}/ ({len(members)} vs {len(folder)} files)')
    else:
        for m, v in members.items():
            files[m] = v; objkey[m] = f'{b}/{m}'
if summary['options'].find('bundles_only=yes') >= 0 and any(os.path.isdir(os.path.join(ARCHIVE, b.split('.')[0])) for b in bundles):
    fail('--bundles-only left folders')
if any(b.endswith('.zip') for b in bundles) and zip_methods != {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
    fail(f'zip entries are not a mix of deflated and stored: {zip_methods}')
def resolve(k):   # a handle names the file with or without the .gz suffix it got
    return k if k in files else k + '.gz'
def okey(k): return objkey.get(resolve(k), resolve(k))
def load(k): return read_bytes(files[resolve(k)])

roots = [''] if any(k.startswith('metadata/') for k in files) else []
roots += sorted({k.split('/')[0] + '/' for k in files if re.match(r'^\d+/', k)}, key=lambda d: int(d[:-1]))

# --- epoch-ending ledger infos (§4.2, §4.3) ------------------------------------------
def ledger_info(r):
    if r.uleb() != 0: raise ValueError('LI variant')
    start = r.p
    e, rnd = r.u(8), r.u(8); bid = r.hv(); root_start = r.p - 33; root = r.hv(); v, ts = r.u(8), r.u(8)
    ns_start = r.p
    def es():
        ep = r.u(8)
        vals = r.vec(lambda: (r.addr(), r.bytes(), r.u(8)))
        return ep, vals, r.u(8), r.u(8)
    ns = r.opt(es); ns_bytes = r.b[ns_start:r.p]
    r.hv()
    sigs = r.vec(lambda: (r.addr(), r.bytes()))
    if ns is None: raise ValueError('no next_epoch_state')
    ep, vals, quorum, total = ns
    if [a for a, _, _ in vals] != sorted(a for a, _, _ in vals) or len({a for a, _, _ in vals}) != len(vals): fail(f'LI {e}: validators not sorted')
    if any(len(pk) != 32 for _, pk, _ in vals): fail(f'LI {e}: Ed25519 keys')
    if [a for a, _ in sigs] != sorted(a for a, _ in sigs): fail(f'LI {e}: signatures not sorted')
    if any(len(s) != 64 for _, s in sigs): fail(f'LI {e}: signature sizes')
    if ep != e + 1: fail(f'LI {e}: next epoch {ep}')
    if total != sum(vp for _, _, vp in vals): fail(f'LI {e}: total voting power')
    conv = e.to_bytes(8, 'little') + b'\x20' + root + v.to_bytes(8, 'little') + ts.to_bytes(8, 'little') + ns_bytes
    return dict(epoch=e, round=rnd, block_id=bid, root=root, version=v, ts=ts, validators=vals, quorum=quorum,
                total=total, signers=len(sigs), waypoint=f'{v}:' + dhash('Ledger2WaypointConverter', conv).hex())

def parse_li(buf, what):
    r = R(buf); li = ledger_info(r)
    if not r.done(): raise ValueError(f'{what}: trailing bytes after the ledger info')
    return li

metas = {}
for root in roots:
    for k in sorted(x for x in files if x.startswith(root + 'metadata/')):
        for line in load(k).decode().splitlines():
            (kind, body), = json.loads(line).items()
            if kind == 'StateSnapshotBackup' and list(body) != ['version', 'manifest']: fail(f'{k}: state .meta has {list(body)}')
            metas.setdefault(kind, []).append((root, body))

epochs, epoch_objects = {}, {}
for root, body in metas.get('EpochEndingBackup', []):
    m = json.loads(load(root + body['manifest']))
    for ch in m['chunks']:
        key = root + ch['ledger_infos']
        recs = frames(load(key), key)
        if len(recs) != ch['last_epoch'] - ch['first_epoch'] + 1: fail(f'{key}: record count')
        for i, rec in enumerate(recs):
            li = parse_li(rec, key)
            if li['epoch'] != ch['first_epoch'] + i: fail(f'{key}: epoch order')
            if li['waypoint'] != m['waypoints'][li['epoch'] - m['first_epoch']]: fail(f'{key}: waypoint of epoch {li["epoch"]} does not verify')
            if (body['first_version'], body['last_version']) != (li['version'], li['version']): fail(f'{key}: .meta versions')
            epochs[li['epoch']] = li
            if li['epoch'] not in epoch_objects or okey(key) < epoch_objects[li['epoch']]: epoch_objects[li['epoch']] = okey(key)

# --- transactions (§8) -----------------------------------------------------------------
COVER = set()
def script_args(r):
    def arg():
        k = r.uleb(); COVER.add(f'arg.{k}')
        if k == 0: return r.take(1)
        if k == 1: return r.take(8)
        if k == 2: return r.take(16)
        if k == 3: return r.addr()
        if k == 4: return r.bytes()
        if k == 5:
            s = r.p; r.vec(r.addr); return r.b[s:r.p]
        if k == 6:
            b = r.take(1)
            if b[0] > 1: raise ValueError('bool')
            return b
        raise ValueError(f'TransactionArgument {k}')
    return r.vec(arg)
def script(r):
    code = r.bytes(); tys = r.vec(lambda: type_tag(r)); args = script_args(r)
    if code[:4] != b'\xa1\x1c\xeb\x0b': fail('script code magic')
    return tys, args
def access_path_entry(r):
    r.addr(); path = r.bytes(); op = r.uleb()
    COVER.add(f'write_op.{op}')
    if op == 1: r.bytes()
    elif op != 0: raise ValueError('WriteOp')
    return path
def event(r):
    if r.uleb() != 0: raise ValueError('ContractEvent variant')
    if r.uleb() != 24: raise ValueError('EventKey length')
    cn, addr = r.u(8), r.addr(); seq = r.u(8); t = type_tag(r); data = r.bytes()
    return dict(cn=cn, addr=addr, seq=seq, type=t, data=data)
def write_set_payload(r):
    t = r.uleb()
    if t == 0:
        n = r.vec(lambda: access_path_entry(r)); r.vec(lambda: event(r)); return len(n)
    if t == 1:
        r.addr(); script(r); return 0
    raise ValueError('WriteSetPayload')
def account_auth(r):
    t = r.uleb(); pk, sig = r.bytes(), r.bytes()
    if t == 0 and (len(pk), len(sig)) != (32, 64): raise ValueError('ed25519 sizes')
    if t == 1 and ((len(pk) - 1) % 32 or (len(sig) - 4) % 64): raise ValueError('multi-ed25519 sizes')
    if t > 1: raise ValueError('account authenticator')
def authenticator(r):
    t = r.uleb()
    if t in (0, 1):
        r.p -= 1; account_auth(r); return ['ed25519', 'multi_ed25519'][t]
    if t == 2 and ERA == 'v5':
        account_auth(r); r.vec(r.addr); r.vec(lambda: account_auth(r)); return 'multi_agent'
    raise ValueError(f'authenticator {t}')
def location(r):
    t = r.uleb()
    if t == 1: return 'script'
    if t == 0: return f'{short(r.addr())}::{r.str()}'
    raise ValueError('AbortLocation')

STATUS = ['success', 'out_of_gas', 'move_abort', 'execution_failure', 'miscellaneous_error']
def txinfo(r):
    th, sr, er, gas = r.hv(), r.hv(), r.hv(), r.u(8)
    st = r.uleb(); loc = code = None
    if st == 2: loc = location(r); code = r.u(8)
    elif st == 3: loc = location(r); r.u(2); r.u(2)
    elif st > 4: raise ValueError('KeptVMStatus')
    return dict(tx_hash=th, state_root=sr, event_root=er, gas=gas, status=STATUS[st], loc=loc, code=code)

def decode_record(rec):
    r = R(rec); row = dict(kind=None, sender=None, seq=None, payload=None, function=None, tys=None, args=None,
                           max_gas=None, price=None, exp=None, chain_id=None, auth=None, proposer=None, writes=0,
                           currency=None, round=None, ts=None)
    t = r.uleb()
    if t == 0:
        row['kind'] = 'user'; row['sender'] = r.addr(); row['seq'] = r.u(8)
        p = r.uleb(); COVER.add(f'payload.{p}')
        if p == 0: row['payload'] = 'write_set'; write_set_payload(r); row['tys'], row['args'] = [], []
        elif p == 1: row['payload'] = 'script'; row['tys'], row['args'] = script(r)
        elif p == 2: row['payload'] = 'module'; r.bytes(); row['tys'], row['args'] = [], []
        elif p == 3 and ERA == 'v5':
            row['payload'] = 'script_function'
            a, m, f = r.addr(), r.str(), r.str()
            row['function'] = f'{short(a)}::{m}::{f}'
            row['tys'] = r.vec(lambda: type_tag(r)); row['args'] = r.vec(r.bytes)
        else: raise ValueError(f'payload {p} in {ERA}')
        row['max_gas'], row['price'] = r.u(8), r.u(8); row['currency'] = r.str(); row['exp'] = r.u(8); row['chain_id'] = r.u(1)
        row['auth'] = authenticator(r); COVER.add('auth.' + row['auth'])
    elif t == 1:
        row['kind'] = 'genesis'
        if r.uleb() != 0: raise ValueError('genesis must be Direct')
        row['writes'] = len(r.vec(lambda: access_path_entry(r))); r.vec(lambda: event(r))
    elif t == 2:
        row['kind'] = 'block_metadata'; r.hv(); row['round'] = r.u(8); row['ts'] = r.u(8); r.vec(r.addr); row['proposer'] = r.addr()
    else: raise ValueError(f'Transaction variant {t}')
    tx_bytes = rec[:r.p]
    info_start = r.p; info = txinfo(r); info_bytes = rec[info_start:r.p]
    events = r.vec(lambda: event(r)) if ERA == 'v5' else []
    if not r.done(): raise ValueError('trailing bytes in the record')
    if dhash('Transaction', tx_bytes) != info['tx_hash']: raise ValueError('transaction_hash does not verify')
    ev_hashes = []
    # each event's hash is over its own bytes in the record
    er = R(rec); er.p = info_start + len(info_bytes)
    if ERA == 'v5':
        for _ in range(er.uleb()):
            s = er.p; event(er); ev_hashes.append(dhash('ContractEvent', rec[s:er.p]))
    if root_of('EventAccumulator', ev_hashes) != info['event_root']: raise ValueError('event_root_hash does not verify')
    row.update(info); row['events'] = events; row['info_hash'] = dhash('TransactionInfo', info_bytes); row['info_bytes'] = info_bytes
    COVER.add('status.' + info['status']); COVER.add('kind.' + row['kind'])
    return row

txs, tx_objects = {}, {}
for root, body in metas.get('TransactionBackup', []):
    m = json.loads(load(root + body['manifest']))
    if (m['first_version'], m['last_version']) != (body['first_version'], body['last_version']): fail(f'{root}{body["manifest"]}: .meta range')
    for ch in m['chunks']:
        key = root + ch['transactions']
        recs = frames(load(key), key)
        if len(recs) != ch['last_version'] - ch['first_version'] + 1: fail(f'{key}: record count')
        for i, rec in enumerate(recs):
            v = ch['first_version'] + i
            try: txs[v] = decode_record(rec)
            except (ValueError, UnicodeDecodeError) as ex: fail(f'{key} record {i}: {ex}'); continue
            if v not in tx_objects or okey(key) < tx_objects[v]: tx_objects[v] = okey(key)
        # (TransactionAccumulatorRangeProof, LedgerInfoWithSignatures)
        pr = R(load(root + ch['proof'])); left, right = pr.vec(pr.hv), pr.vec(pr.hv); li = ledger_info(pr)
        if not pr.done(): fail(f'{ch["proof"]}: trailing bytes')
        nodes, idx, li_i, ri_i = [txs[v]['info_hash'] for v in range(ch['first_version'], ch['last_version'] + 1) if v in txs], ch['first_version'], 0, 0
        try:
            while not (len(nodes) == 1 and li_i == len(left) and ri_i == len(right)):
                if idx & 1: nodes.insert(0, left[li_i]); li_i += 1; idx -= 1
                if len(nodes) & 1: nodes.append(right[ri_i]); ri_i += 1
                nodes = [hashlib.sha3_256(seed('TransactionAccumulator') + a + b).digest() for a, b in zip(nodes[::2], nodes[1::2])]
                idx //= 2
            if nodes[0] != li['root']: fail(f'{key}: range proof does not verify')
        except IndexError: fail(f'{key}: range proof too short')

# every epoch's executed_state_id is the accumulator root of the TransactionInfo hashes
leaves = [txs[v]['info_hash'] for v in sorted(txs)]
if sorted(txs) != list(range(len(txs))): fail('versions are not contiguous from 0')
for e, li in epochs.items():
    if li['version'] < len(leaves) and root_of('TransactionAccumulator', leaves[:li['version'] + 1]) != li['root']:
        fail(f'epoch {e}: executed_state_id is not the accumulator root')

# --- state snapshots (§5, §7) ---------------------------------------------------------
def names():
    acct = 'DiemAccount' if ERA == 'v5' else 'LibraAccount'
    known = [f'0x1::{acct}::{acct}', f'0x1::{acct}::Balance<0x1::GAS::GAS>', '0x1::Roles::RoleId',
             '0x1::TowerState::TowerProofHistory' if ERA == 'v5' else '0x1::MinerState::MinerProofHistory']
    if ERA == 'v5': known.append('0x1::DiemAccount::SlowWallet')
    def bcs_tag(text):   # only the shapes above: 0x1::M::N or 0x1::M::N<0x1::M::N>
        mm = re.match(r'^0x1::(\w+)::(\w+)(?:<(.*)>)?$', text)
        out = bytes(15) + b'\x01' + bytes([len(mm[1])]) + mm[1].encode() + bytes([len(mm[2])]) + mm[2].encode()
        return out + (b'\x01\x07' + bcs_tag(mm[3]) if mm[3] else b'\x00')
    return {(b'\x01' + dhash('StructTag', bcs_tag(n))) if ERA == 'v4' else b'\x01' + bcs_tag(n): n for n in known}, acct
DICT, ACCT = names()

state_rows, snapshots = [], 0
for root, body in metas.get('StateSnapshotBackup', []):
    folder = body['manifest'].split('/')[0]
    m = json.loads(load(root + body['manifest']))
    if list(m) != ['version', 'root_hash', 'chunks', 'proof']: fail(f'{folder}: manifest keys {list(m)}')
    if not re.match(rf'^state_ver_{m["version"]}\.[0-9a-f]{{4}}$', folder): fail(f'{folder}: name')
    # state.proof: TransactionInfoWithProof || LedgerInfoWithSignatures of the snapshot's epoch
    pr = R(load(root + m['proof'])); sib = pr.vec(pr.hv); s0 = pr.p; info = txinfo(pr); ib = pr.b[s0:pr.p]; li = ledger_info(pr)
    if not pr.done(): fail(f'{folder}/state.proof: trailing bytes')
    if info['state_root'].hex() != m['root_hash']: fail(f'{folder}: root_hash is not the proof state_root_hash')
    if li['version'] != m['version']: fail(f'{folder}: proof ledger info version')
    h, idx = dhash('TransactionInfo', ib), m['version']
    for s in sib:
        h = hashlib.sha3_256(seed('TransactionAccumulator') + (s + h if idx & 1 else h + s)).digest(); idx >>= 1
    if h != li['root']: fail(f'{folder}: state.proof siblings do not verify')
    if m['version'] in txs and txs[m['version']]['state_root'].hex() != m['root_hash']: fail(f'{folder}: root_hash differs from the transaction')
    snapshots += 1
    prev, expect = None, 0
    for ch in m['chunks']:
        key = root + ch['blobs']
        if ch['first_idx'] != expect: fail(f'{key}: indexes not contiguous')
        expect = ch['last_idx'] + 1
        recs = frames(load(key), key)
        if len(recs) != ch['last_idx'] - ch['first_idx'] + 1: fail(f'{key}: record count')
        for i, rec in enumerate(recs):
            r = R(rec); kh = r.hv(); blob = r.bytes()
            if not r.done(): fail(f'{key} {i}: trailing bytes')
            if prev is not None and not prev < kh: fail(f'{key} {i}: not sorted by key hash')
            prev = kh
            if i == 0 and kh.hex() != ch['first_key'] or i == len(recs) - 1 and kh.hex() != ch['last_key']: fail(f'{key}: first/last key')
            b = R(blob); entries = b.vec(lambda: (b.bytes(), b.bytes()))
            if not b.done(): fail(f'{key} {i}: trailing bytes in the blob')
            ser = [bytes([len(k)]) + k for k, _ in entries]
            if ser != sorted(ser) or len(set(ser)) != len(ser): fail(f'{key} {i}: blob map not sorted by serialized key')
            addr = None
            for k, v in entries:
                name = DICT.get(k) if ERA == 'v4' else struct_tag(R(k[1:])) if k[0] == 1 else None
                if ERA == 'v5':
                    rr = R(k[1:]); struct_tag(rr)
                    if not rr.done(): fail(f'{key} {i}: access key trailing bytes')
                if name == f'0x1::{ACCT}::{ACCT}':
                    ar = R(v); ar.bytes(); ar.opt(ar.addr); ar.opt(ar.addr)
                    ar.u(8); g1 = ar.bytes(); ar.u(8); g2 = ar.bytes(); ar.u(8)
                    if not ar.done() or len(g2) != 24: fail(f'{key} {i}: account resource layout')
                    addr = g2[8:]
                    if dhash('AccountAddress', addr) != kh: fail(f'{key} {i}: key hash does not verify for {addr.hex()}')
            for k, v in entries:
                name = DICT.get(k) if ERA == 'v4' else struct_tag(R(k[1:]))
                bal = int.from_bytes(v, 'little') if name and '::Balance<' in name else None
                if bal is not None and len(v) != 8: fail(f'{key}: balance size')
                COVER.add('state.unknown' if name is None else 'state.known')
                if addr is None: COVER.add('state.no_address')
                state_rows.append([m['version'], li['epoch'], ch['first_idx'] + i, 'access_path', 'resource',
                                   a16(addr) if addr else None, name, None, None, '\\x' + k.hex(), '\\x' + v.hex(), len(v),
                                   bal, None, okey(key), ERA, '0x' + kh.hex()])

# --- CSV comparisons ---------------------------------------------------------------
def csv_field(v):
    if v is None: return ''
    v = str(v)
    if v == '' or v == '\\.' or any(c in v for c in ',"\r\n'): return '"' + v.replace('"', '""') + '"'
    return v
def csv_line(values): return ','.join(csv_field(v) for v in values)
def pg_array(elems):
    def q(e): return '"' + e.replace('\\', '\\\\').replace('"', '\\"') + '"' if (e == '' or re.search(r'[",\\{}\s]', e) or e.upper() == 'NULL') else e
    return '{' + ','.join(q(e) for e in elems) + '}'
def compare(name, header, want):
    path = os.path.join(EXPECTED, name)
    got = open(path).read().splitlines()
    if got[0] != header: fail(f'{name}: header {got[0]!r}')
    if sorted(got[1:]) != sorted(want):
        extra, missing = sorted(set(got[1:]) - set(want)), sorted(set(want) - set(got[1:]))
        fail(f'{name}: {len(got) - 1} rows vs {len(want)} re-rendered; first unexpected {extra[:1]}, first missing {missing[:1]}')
    return len(got) - 1

epoch_of = {}
for e in sorted(epochs):
    first = 0 if e == 0 else epochs[e - 1]['version'] + 1
    for v in range(first, epochs[e]['version'] + 1): epoch_of[v] = e
want_tx, want_ev, rnd, ts = [], [], 0, 0
for v in sorted(txs):
    t = txs[v]
    if t['kind'] == 'block_metadata': rnd, ts = t['round'], t['ts']
    elif t['kind'] == 'genesis': rnd, ts = 0, 0
    user = t['kind'] == 'user'
    if user and t['currency'] != 'GAS': fail(f'version {v}: currency')
    want_tx.append(csv_line([v, epoch_of.get(v), rnd, ts, t['kind'], '0x' + t['tx_hash'].hex(),
        a16(t['sender']) if user else None, t['seq'], t['payload'], t['function'],
        pg_array(t['tys']) if user else None, pg_array(['\\x' + a.hex() for a in t['args']]) if user else None,
        t['max_gas'], t['price'], t['gas'], t['exp'], t['chain_id'], t['auth'], t['status'], t['loc'], t['code'],
        a16(t['proposer']) if t['proposer'] else None, len(t['events']), t['writes'], tx_objects[v], None, None, None,
        ERA, '0x' + t['state_root'].hex(), t['currency']]))
    for i, ev in enumerate(t['events']):
        amount = decoded = None
        if ev['type'] in ('0x1::DiemAccount::SentPaymentEvent', '0x1::DiemAccount::ReceivedPaymentEvent'):
            r = R(ev['data']); amount = r.u(8); cc = r.bytes(); other = r.addr(); md = r.bytes()
            if not r.done(): fail(f'version {v} event {i}: payment layout')
            decoded = json.dumps({'amount': amount, 'currency_code': '0x' + cc.hex(),
                                  ('payee' if 'Sent' in ev['type'] else 'payer'): a16(other), 'metadata': '0x' + md.hex()},
                                 separators=(',', ':'))
            COVER.add('event.payment')
        else: COVER.add('event.other')
        want_ev.append(csv_line([v, epoch_of.get(v), ts, i, ev['type'], a16(ev['addr']), ev['cn'], ev['seq'],
                                 '\\x' + ev['data'].hex(), amount, decoded, 'bytes' if decoded else None,
                                 '0x' + t['tx_hash'].hex(), tx_objects[v], ERA]))
n_tx = compare('transactions.csv', 'version,epoch,round,block_timestamp_usecs,kind,tx_hash,sender,sequence_number,payload_kind,'
               'function,type_args,args,max_gas_amount,gas_unit_price,gas_used,expiration_timestamp_secs,chain_id,authenticator,'
               'status,abort_location,abort_code,proposer,event_count,write_count,object,recipient,amount,args_decoded,'
               'framework,state_root_hash,gas_currency', want_tx)
n_ev = compare('events.csv', 'version,epoch,block_timestamp_usecs,event_index,type,account,creation_number,sequence_number,'
               'data,amount,decoded,decoded_from,tx_hash,object,framework', want_ev)
compare('state_changes.csv', 'version,epoch,change_index,key_kind,path,address,resource,table_handle,table_key,state_key,'
        'op,value,value_size,balance,metadata,object', [])
n_st = compare('state.csv', 'snapshot_version,epoch,item_index,key_kind,path,address,resource,table_handle,table_key,'
               'state_key,value,value_size,balance,metadata,object,framework,account_hash', [csv_line(x) for x in state_rows])
want_ep = []
for e in sorted(epochs):
    li = epochs[e]
    vals = [{'address': a16(a), 'voting_power': vp, 'consensus_key': '0x' + pk.hex()} for a, pk, vp in li['validators']]
    want_ep.append(csv_line([e, 0 if e == 0 else epochs[e - 1]['version'] + 1, li['version'], li['ts'], li['round'],
        '0x' + li['block_id'].hex(), '0x' + li['root'].hex(), li['waypoint'], len(vals), li['total'],
        json.dumps(vals, separators=(',', ':')), li['signers'], epoch_objects[e], ERA, li['quorum']]))
n_ep = compare('epochs.csv', 'epoch,first_version,last_version,end_timestamp_usecs,round,block_id,root_hash,waypoint,'
               'validator_count,total_voting_power,validators,signer_count,object,framework,quorum_voting_power', want_ep)

n_obj = 0
if os.path.exists(os.path.join(EXPECTED, 'objects.csv')):
    def kind(k):
        parts = k.split('/'); folder, name = (parts[-2] if len(parts) > 1 else ''), re.sub(r'\.gz$', '', parts[-1])
        if re.match(r'^\d+\.(zip|tar\.gz|tgz)$', k): return 'bundle'
        if folder == 'metadata': return 'metadata'
        if name.endswith('.manifest'): return 'manifest'
        if name.endswith('.proof'): return 'proof'
        if name.endswith('.chunk'):
            return {'transaction': 'transaction', 'epoch': 'epoch_ending', 'state': 'state_snapshot'}.get(folder.split('_')[0], 'other')
        return 'other'
    rows = []
    for d, _, fs in os.walk(ARCHIVE):
        for f in fs:
            k = os.path.relpath(os.path.join(d, f), ARCHIVE); p = os.path.join(ARCHIVE, k)
            rows.append(csv_line([k, kind(k), os.path.getsize(p), 'gzip' if open(p, 'rb').read(2) == b'\x1f\x8b' else 'none']))
    n_obj = compare('objects.csv', 'key,kind,size,compression', rows)
elif not bundles or 'bundles_only=yes' not in summary['options']:
    fail('objects.csv missing although the archive has folders')

for name, n in (('rows', n_tx), ('events.rows', n_ev), ('state.rows', n_st), ('epochs.rows', n_ep)):
    if summary.get(name) != str(n): fail(f'summary.txt {name}: {summary.get(name)} != {n}')
need = {f'status.{s}' for s in STATUS} | {'kind.user', 'kind.genesis', 'kind.block_metadata', 'auth.ed25519', 'auth.multi_ed25519',
        'payload.0', 'payload.1', 'payload.2', 'write_op.0', 'write_op.1', 'state.known', 'state.no_address'} | \
       {f'arg.{i}' for i in range(7)}
if ERA == 'v5': need |= {'payload.3', 'auth.multi_agent', 'event.payment', 'event.other'}
else: need |= {'state.unknown'}
if need - COVER: fail(f'coverage missing: {sorted(need - COVER)}')
print(f'{ERA}: verified {n_tx} transactions, {n_ev} events, {n_st} state rows ({snapshots} snapshots), {n_ep} epochs, '
      f'{n_obj} objects, {len(bundles)} bundles')
sys.exit(1 if errors else 0)
