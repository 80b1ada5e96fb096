#!/usr/bin/env python3
"""verify_fixture.py ARCHIVE EXPECTED — used by check.sh."""
# Independent verifier of a fixturegen archive: decodes every record with its
# own BCS reader (transactions, events with the Move layouts of the docs,
# write sets, state snapshot records, epoch-ending ledger infos), re-hashes
# (transactions, events, write sets, state keys, waypoints, proofs), replays
# the write sets to recompute every state snapshot, and re-renders every row
# of transactions.csv, events.csv, state_changes.csv, state.csv, epochs.csv
# and objects.csv.  It shares no code with the C generator.
import csv, gzip, hashlib, json, os, re, sys

ARCHIVE, EXPECTED = sys.argv[1], sys.argv[2]
# v4/v5 archives (summary.txt names their framework) have their own independent decoder
if any(l.startswith('framework: ') for l in open(os.path.join(EXPECTED, 'summary.txt'))):
    os.execv(sys.executable, [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'verify_legacy.py'),
                              ARCHIVE, EXPECTED])
BUNDLE_RE = re.compile(r'^\d+\.(zip|tar\.gz|tgz)$')
def check_bundles():
    """v6 --bundles: every bundle holds exactly its folder's files, byte for byte (--bundles-only is not verified here)."""
    import tarfile, zipfile
    for b in sorted(x for x in os.listdir(ARCHIVE) if BUNDLE_RE.match(x)):
        epoch = b.split('.')[0]
        if b.endswith('.zip'):
            with zipfile.ZipFile(os.path.join(ARCHIVE, b)) as z:
                members = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
        else:
            with tarfile.open(os.path.join(ARCHIVE, b), 'r:gz') as t:
                members = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
        folder = {os.path.relpath(os.path.join(d, f), ARCHIVE): open(os.path.join(d, f), 'rb').read()
                  for d, _, fs in os.walk(os.path.join(ARCHIVE, epoch)) for f in fs}
        if not folder: fail(f'{b}: no folder {epoch}/ beside it (--bundles-only is verified for v4/v5 only)')
        elif members != folder: fail(f'{b}: members differ from the folder {epoch}/')
errors = []
def fail(msg):
    errors.append(msg)
    if len(errors) < 30: print('FAIL:', msg)

def seed(name): return hashlib.sha3_256(b'DIEM::' + name.encode()).digest()
def dhash(name, data): return hashlib.sha3_256(seed(name) + data).digest()
PLACEHOLDER = b'ACCUMULATOR_PLACEHOLDER_HASH' + b'\0' * 4

def acc_root(node, leaves):
    if not leaves: return PLACEHOLDER
    level = list(leaves)
    while len(level) > 1:
        if len(level) % 2: level.append(PLACEHOLDER)
        nxt = []
        for i in range(0, len(level), 2):
            l, r = level[i], level[i + 1]
            nxt.append(PLACEHOLDER if l == PLACEHOLDER and r == PLACEHOLDER else hashlib.sha3_256(seed(node) + l + r).digest())
        level = nxt
    return level[0]

def read_file(path):
    data = open(path, 'rb').read()
    if data[:2] == b'\x1f\x8b':
        if data[:10] != bytes.fromhex('1f8b0800000000000003'):
            fail(f'{path}: gzip header {data[:10].hex()} differs from the real sample (gzip -c)')
        return gzip.decompress(data), True
    return data, False

class R:
    def __init__(s, b): s.b, s.p = b, 0
    def take(s, n):
        if s.p + n > len(s.b): raise ValueError('short read')
        v = s.b[s.p:s.p + n]; s.p += n; return v
    def u(s, n): return int.from_bytes(s.take(n), 'little')
    def uleb(s):
        v = shift = 0
        while True:
            x = s.take(1)[0]; v |= (x & 0x7f) << shift; shift += 7
            if not x & 0x80:
                if x == 0 and shift > 7: raise ValueError('non-canonical uleb')
                return v
    def bytes(s): return s.take(s.uleb())
    def str(s): return s.bytes().decode()
    def addr(s): return s.take(32)
    def opt(s, f):
        t = s.u(1)
        if t > 1: raise ValueError('bad option')
        return f() if t else None
    def vec(s, f): return [f() for _ in range(s.uleb())]
    def done(s): return s.p == len(s.b)

def aip40(a):
    if a[:31] == bytes(31) and a[31] < 16: return '0x%x' % a[31]
    return '0x' + a.hex()

PRIMS = {0: 'bool', 1: 'u8', 2: 'u64', 3: 'u128', 4: 'address', 5: 'signer', 8: 'u16', 9: 'u32', 10: 'u256'}
def type_tag(r):
    t = r.uleb()
    if t == 6: return 'vector<' + type_tag(r) + '>'
    if t == 7: return struct_tag(r)
    return PRIMS[t]
def struct_tag(r):
    a, m, n = r.addr(), r.str(), r.str()
    params = r.vec(lambda: type_tag(r))
    return f'{aip40(a)}::{m}::{n}' + ('<' + ', '.join(params) + '>' if params else '')

def pg_array(elems):
    out = []
    for e in elems:
        if e == '' or e.upper() == 'NULL' or any(c in e for c in '"\\{},') or any(c.isspace() for c in e):
            e = '"' + e.replace('\\', '\\\\').replace('"', '\\"') + '"'
        out.append(e)
    return '{' + ','.join(out) + '}'

def entry_function(r, row):
    a, m, f = r.addr(), r.str(), r.str()
    row['function'] = f'{aip40(a)}::{m}::{f}'
    row['type_args'] = [type_tag(r) for _ in range(r.uleb())]
    row['args'] = r.vec(r.bytes)

ARG_SIZES = {0: 1, 1: 8, 2: 16, 3: 32, 5: 1, 6: 2, 7: 4, 8: 32}
COVER = set()
def payload(r, row):
    t = r.uleb()
    row['payload_kind'] = ['script', 'module_bundle', 'entry_function', 'multisig'][t]
    row['function'], row['type_args'], row['args'] = None, [], []
    if t == 0:
        r.bytes(); row['type_args'] = r.vec(lambda: type_tag(r))
        def arg():
            k = r.uleb(); COVER.add(f'script_arg.{k}')
            return r.bytes() if k == 4 else r.take(ARG_SIZES[k])
        row['args'] = r.vec(arg)
    elif t == 1: r.vec(r.bytes)
    elif t == 2: entry_function(r, row)
    elif t == 3:
        r.addr()
        def inner():
            if r.uleb() != 0: raise ValueError('multisig payload tag')
            entry_function(r, row)
        r.opt(inner)

def account_auth(r):
    t = r.uleb(); COVER.add(f'account_auth.{t}')
    if t > 1: raise ValueError('account authenticator tag')
    pk, sig = r.bytes(), r.bytes()
    if t == 0 and (len(pk), len(sig)) != (32, 64): raise ValueError('ed25519 sizes')
    if t == 1 and ((len(pk) - 1) % 32 or (len(sig) - 4) % 64): raise ValueError('multi ed25519 sizes')

def authenticator(r):
    t = r.b[r.p]   # tags 0/1 have the AccountAuthenticator layout: let it read the tag
    if t in (0, 1):
        account_auth(r)
    else:
        r.uleb()
        account_auth(r); r.vec(r.addr); r.vec(lambda: account_auth(r))
        if t == 3: r.addr(); account_auth(r)
    return ['ed25519', 'multi_ed25519', 'multi_agent', 'fee_payer'][t]

def state_key(r):
    """StateKey with its parts; hash = sha3(seed("StateKey") || encode(key)), encode per §6.3."""
    start = r.p
    k = r.uleb()
    key = dict(key_kind=None, path=None, address=None, resource=None, table_handle=None, table_key=None)
    if k == 0:
        key['address'] = r.addr(); path = R(r.bytes()); pt = path.uleb(); COVER.add(f'path.{pt}')
        if pt == 0: a = path.addr(); key['resource'] = f'{aip40(a)}::{path.str()}'
        elif pt in (1, 2): key['resource'] = struct_tag(path)
        else: raise ValueError('path tag')
        if not path.done(): raise ValueError('path trailing bytes')
        key['path'] = ['code', 'resource', 'resource_group'][pt]
        encoded = r.b[start:r.p]
    elif k == 1:
        key['table_handle'] = r.addr(); key['table_key'] = r.bytes(); COVER.add('key.table_item')
        encoded = b'\x01' + key['table_handle'] + key['table_key']
    elif k == 2:
        encoded = b'\xff' + r.bytes(); COVER.add('key.raw')
    else: raise ValueError('state key tag')
    key['key_kind'] = ['access_path', 'table_item', 'raw'][k]
    key['bcs'] = r.b[start:r.p]
    key['hash'] = dhash('StateKey', encoded)
    return key

def metadata(r):
    if r.uleb() != 0: raise ValueError('metadata tag')
    return dict(payer=r.addr(), deposit=r.u(8), creation_time_usecs=r.u(8))

def coin_balance(key, value):
    """coin.value of a 0x1::coin::CoinStore<T>: 104 bytes (mainnet) or 105 (test chain, `frozen`)."""
    if key['path'] != 'resource' or not re.fullmatch(r'0x1::coin::CoinStore<.+>', key['resource']): return None
    r = R(value); balance = r.u(8)
    if len(value) == 105 and r.u(1) > 1: raise ValueError('CoinStore frozen is not a bool')
    for _ in range(2): r.u(8); r.u(8); r.addr()
    if not r.done() or len(value) not in (104, 105): raise ValueError(f'CoinStore of {len(value)} bytes')
    COVER.add(f'coin_store.{len(value)}')
    return balance

def write_set(r):
    if r.uleb() != 0: raise ValueError('writeset tag')
    n = r.uleb(); prev = None; entries = []
    for _ in range(n):
        key = state_key(r)
        if prev is not None and not prev < key['bcs']: raise ValueError('write set keys not increasing')
        prev = key['bcs']
        op = r.uleb(); COVER.add(f'write_op.{op}')
        if op > 5: raise ValueError('write op tag')
        value = r.bytes() if op in (0, 1, 3, 4) else None
        meta = metadata(r) if op >= 3 else None
        entries.append(dict(key=key, op=op, value=value, metadata=meta,
                            balance=coin_balance(key, value) if value is not None else None))
    return entries

def event(r):
    start = r.p
    if r.uleb() != 0: raise ValueError('event tag')
    cn = r.u(8); account = r.addr(); seq = r.u(8); t = type_tag(r); data = r.bytes()
    return dict(bcs=r.b[start:r.p], creation_number=cn, account=account, sequence_number=seq, type=t, data=data)

def status(r, row):
    t = r.uleb()
    row['status'] = ['success', 'out_of_gas', 'move_abort', 'execution_failure', 'miscellaneous_error'][t]
    row['abort_location'] = row['abort_code'] = None
    def loc():
        k = r.uleb()
        if k == 1: return 'script'
        a = r.addr(); return f'{aip40(a)}::{r.str()}'
    if t == 2:
        row['abort_location'] = loc(); row['abort_code'] = str(r.u(8))
        COVER.add('abort_info.' + ('some' if r.opt(lambda: (r.str(), r.str())) else 'none'))
    elif t == 3:
        row['abort_location'] = loc(); r.u(2); r.u(2)
    elif t == 4:
        c = r.opt(lambda: r.u(8)); COVER.add('misc_code.' + ('none' if c is None else 'some'))
        row['abort_code'] = None if c is None else str(c)

def decode_record(rec, ctx):
    r = R(rec); row = {}
    kind = r.uleb()
    row['kind'] = ['user', 'genesis', 'block_metadata', 'state_checkpoint'][kind]
    row['sender'] = None; row['proposer'] = None
    if kind == 0:
        row['sender'] = aip40(r.addr()); row['sequence_number'] = str(r.u(8))
        payload(r, row)
        row['max_gas_amount'], row['gas_unit_price'], row['expiration_timestamp_secs'] = (str(r.u(8)) for _ in range(3))
        row['chain_id'] = str(r.u(1)); row['authenticator'] = authenticator(r)
    elif kind == 1:
        if r.uleb() != 0: raise ValueError('genesis payload tag')
        write_set(r); r.vec(lambda: event(r))   # the ChangeSet: not the record's outputs
        ctx.update(epoch=0, round=0, ts=0)
    elif kind == 2:
        bid = r.take(32); e, rnd = r.u(8), r.u(8); row['proposer'] = aip40(r.addr())
        r.bytes(); r.vec(lambda: r.u(4)); ts = r.u(8)
        ctx.update(epoch=e, round=rnd, ts=ts, block=bid)
    elif kind == 3:
        bid = r.take(32)
        if ctx.get('block') is not None and bid != ctx['block']: raise ValueError('checkpoint block id != BlockMetadata id')
    else: raise ValueError('transaction tag')
    txn_bytes = rec[:r.p]
    info_start = r.p
    if r.uleb() != 0: raise ValueError('info tag')
    row['gas_used'] = str(r.u(8)); status(r, row)
    tx_hash, ev_root, sc_hash = r.take(32), r.take(32), r.take(32)
    checkpoint = r.opt(lambda: r.take(32)); cemetery = r.opt(lambda: r.take(32))
    info_bytes = rec[info_start:r.p]
    events = r.vec(lambda: event(r))
    ws_start = r.p; writes = write_set(r); ws = rec[ws_start:r.p]
    row['write_count'] = str(len(writes)); row['writes'] = writes; row['events'] = events; row['checkpoint'] = checkpoint
    if not r.done(): raise ValueError('trailing bytes in record')
    if dhash('Transaction', txn_bytes) != tx_hash: raise ValueError('transaction_hash mismatch')
    if dhash('WriteSet', ws) != sc_hash: raise ValueError('state_change_hash mismatch')
    if acc_root('EventAccumulator', [dhash('ContractEvent', e['bcs']) for e in events]) != ev_root: raise ValueError('event_root_hash mismatch')
    if cemetery is not None: raise ValueError('cemetery hash present')
    want_cp = kind in (1, 3) or (kind == 2 and any(e['type'] == '0x1::reconfiguration::NewEpochEvent' for e in events))
    if (checkpoint is not None) != want_cp: raise ValueError('state_checkpoint_hash presence')
    row['tx_hash'] = '0x' + tx_hash.hex(); row['event_count'] = str(len(events))
    row['epoch'], row['round'], row['block_timestamp_usecs'] = str(ctx['epoch']), str(ctx['round']), str(ctx['ts'])
    return row, dhash('TransactionInfo', info_bytes)

def frames(data, path):
    p, out = 0, []
    while p < len(data):
        if p + 4 > len(data): raise ValueError(f'{path}: partial length prefix')
        n = int.from_bytes(data[p:p + 4], 'big'); p += 4
        if p + n > len(data): raise ValueError(f'{path}: short record')
        out.append(data[p:p + n]); p += n
    return out

def find(base_dir, handle):
    name = handle.split('/')[-1]
    for cand in (name, name + '.gz', name[:-3] if name.endswith('.gz') else None):
        if cand and os.path.exists(os.path.join(base_dir, cand)): return os.path.join(base_dir, cand)
    raise FileNotFoundError(handle)

def ledger_info(r):
    if r.uleb() != 0: raise ValueError('LI tag')
    e = r.u(8); rnd = r.u(8); block_id = r.take(32); root = r.take(32); v = r.u(8); ts = r.u(8)
    ns_start = r.p
    def es():
        r.u(8); return r.vec(lambda: (r.addr(), r.bytes(), r.u(8)))
    vals = r.opt(es); ns = r.b[ns_start:r.p]
    r.take(32); bm = r.bytes(); sig = r.opt(r.bytes)
    conv = e.to_bytes(8, 'little') + root + v.to_bytes(8, 'little') + ts.to_bytes(8, 'little') + ns
    return dict(epoch=e, round=rnd, block_id=block_id, root=root, version=v, ts=ts, validators=vals, bitmask=bm, sig=sig,
                waypoint=f'{v}:' + dhash('Ledger2WaypointConverter', conv).hex())

def state_value(r):
    t = r.uleb()
    if t == 0: return r.bytes(), None
    if t == 1: return r.bytes(), metadata(r)
    raise ValueError('state value tag')

def read_snapshot(root, entry, full, manifest):
    """A v6 state snapshot: manifest shape, records sorted by key hash, first/last keys, counts."""
    if list(manifest) != ['version', 'epoch', 'root_hash', 'chunks', 'proof']: fail(f'{entry}: manifest keys')
    if entry.split('.')[0] != f'state_epoch_{manifest["epoch"]}_ver_{manifest["version"]}': fail(f'{entry}: name/manifest')
    if manifest['proof'] != entry + '/state.proof': fail(f'{entry}: proof handle')
    snap = dict(version=manifest['version'], epoch=manifest['epoch'], root=bytes.fromhex(manifest['root_hash']),
                folder=root + entry, records=[], missing=[])
    expect, prev = 0, None
    for ch in manifest['chunks']:
        if list(ch) != ['first_idx', 'last_idx', 'first_key', 'last_key', 'blobs', 'proof']: fail(f'{entry}: chunk keys')
        if ch['first_idx'] != expect: fail(f'{entry}: chunk indexes not contiguous')
        expect = ch['last_idx'] + 1
        if ch['blobs'] != f'{entry}/{ch["first_idx"]}-.chunk' or ch['proof'] != f'{entry}/{ch["first_idx"]}-{ch["last_idx"]}.proof':
            fail(f'{entry}: chunk handles')
        if ch['last_idx'] - ch['first_idx'] + 1 > 100: fail(f'{entry}: more than 100 records in a chunk')
        find(full, ch['proof'])
        try:
            cpath = find(full, ch['blobs'])
        except FileNotFoundError:
            snap['missing'].append(root + ch['blobs']); continue
        key = os.path.relpath(cpath, ARCHIVE)
        recs = frames(read_file(cpath)[0], key)
        if len(recs) != ch['last_idx'] - ch['first_idx'] + 1: fail(f'{key}: {len(recs)} records')
        for i, rec in enumerate(recs):
            r = R(rec); k = state_key(r); value, meta = state_value(r)
            if not r.done(): fail(f'{key} record {i}: trailing bytes')
            if prev is not None and not prev < k['hash']: fail(f'{key} record {i}: not sorted by key hash')
            prev = k['hash']
            COVER.add('state_value.' + ('with_metadata' if meta else 'v0'))
            snap['records'].append((ch['first_idx'] + i, key, dict(key=k, op=None, value=value, metadata=meta,
                                                                   balance=coin_balance(k, value))))
        if recs:
            first, last = snap['records'][-len(recs)][2]['key']['hash'], snap['records'][-1][2]['key']['hash']
            if (first.hex(), last.hex()) != (ch['first_key'], ch['last_key']): fail(f'{key}: first_key/last_key')
    if len(manifest['chunks']) > 1: COVER.add('state.multi_chunk')
    snapshots.append(snap)

# --- discover backup roots (flat root or per-epoch sub-roots) ---------------
roots = [''] if os.path.isdir(os.path.join(ARCHIVE, 'metadata')) else []
roots += sorted((d + '/' for d in os.listdir(ARCHIVE) if d.isdigit()), key=lambda d: int(d[:-1]))
NAME_RE = re.compile(r'^(epoch_ending_\d+-|transaction_\d+-|state_epoch_\d+_ver_\d+)\.[0-9a-f]{4}$')
FILE_RES = [re.compile(p) for p in (r'^\d+-\.chunk(\.gz)?$', r'^\d+-\d+\.proof(\.gz)?$',
                                    r'^(transaction|epoch_ending|state)\.manifest(\.gz)?$', r'^state\.proof(\.gz)?$')]
META_RE = re.compile(r'^(epoch_ending_\d+-\d+|transaction_\d+-\d+|transaction_compacted_\d+-\d+|state_snapshot_ver_\d+)\.meta(\.gz)?$')

epochs = {}      # epoch -> LI dict
epoch_chunks = []  # (first_epoch, last_epoch, key)
tx_chunks = []   # (first, last, key, path, proof_path)
snapshots = []   # dict(version, epoch, root, folder, records: [(index, key, StateKey, StateValue)], missing)
meta_lines = []
for root in roots:
    rdir = os.path.join(ARCHIVE, root)
    for entry in sorted(os.listdir(rdir)):
        full = os.path.join(rdir, entry)
        if entry == 'metadata':
            for m in sorted(os.listdir(full)):
                if not META_RE.match(m): fail(f'odd .meta name {root}metadata/{m}')
                data, _ = read_file(os.path.join(full, m))
                if data: meta_lines.append((root, m, data))
            continue
        if entry.isdigit() or entry == 'fullnode_template.yaml': continue
        if not NAME_RE.match(entry): fail(f'odd folder name {root}{entry}'); continue
        for f in os.listdir(full):
            if not any(x.match(f) for x in FILE_RES): fail(f'odd file name {root}{entry}/{f}')
        mname = entry.split('_')[0] if not entry.startswith('epoch_ending_') else 'epoch_ending'
        mtext, _ = read_file(find(full, mname + '.manifest'))
        manifest = json.loads(mtext)
        if mtext.endswith(b'\n') or b' ' in mtext: fail(f'{entry}: manifest must be compact without newline')
        if entry.startswith('epoch_ending_'):
            if list(manifest) != ['first_epoch', 'last_epoch', 'waypoints', 'chunks']: fail(f'{entry}: manifest keys')
            for ch in manifest['chunks']:
                if not ch['ledger_infos'].startswith(entry + '/'): fail(f'{entry}: handle folder')
                cpath = find(full, ch['ledger_infos'])
                epoch_chunks.append((ch['first_epoch'], ch['last_epoch'], os.path.relpath(cpath, ARCHIVE)))
                recs = frames(read_file(cpath)[0], entry)
                if len(recs) != ch['last_epoch'] - ch['first_epoch'] + 1: fail(f'{entry}: record count')
                for i, rec in enumerate(recs):
                    r = R(rec); li = ledger_info(r)
                    if not r.done(): fail(f'{entry}: trailing bytes in LI')
                    e = ch['first_epoch'] + i
                    if li['epoch'] != e: fail(f'{entry}: epoch {li["epoch"]} != {e}')
                    if li['waypoint'] != manifest['waypoints'][e - manifest['first_epoch']]: fail(f'{entry}: waypoint mismatch epoch {e}')
                    if e in epochs and epochs[e]['waypoint'] != li['waypoint']: fail(f'epoch {e}: two different ledger infos')
                    epochs[e] = li
        elif entry.startswith('state_epoch_'):
            read_snapshot(root, entry, full, manifest)
        else:
            if list(manifest) != ['first_version', 'last_version', 'chunks']: fail(f'{entry}: manifest keys')
            expect = manifest['first_version']
            for ch in manifest['chunks']:
                if list(ch) != ['first_version', 'last_version', 'transactions', 'proof']: fail(f'{entry}: chunk keys')
                if ch['first_version'] != expect: fail(f'{entry}: chunks not contiguous')
                expect = ch['last_version'] + 1
                if not ch['transactions'].startswith(entry + '/'): fail(f'{entry}: handle folder')
                cpath = find(full, ch['transactions'])
                tx_chunks.append((ch['first_version'], ch['last_version'], os.path.relpath(cpath, ARCHIVE), cpath, find(full, ch['proof'])))
            if expect != manifest['last_version'] + 1: fail(f'{entry}: last chunk != manifest last_version')

# --- .meta lines --------------------------------------------------------------
for root, name, data in meta_lines:
    if not data.endswith(b'\n') or data.count(b'\n') != 1: fail(f'{name}: must be one line with trailing newline')
    obj = json.loads(data)
    (kind, body), = obj.items()
    mpath = os.path.join(ARCHIVE, root, body['manifest'])
    exists = os.path.exists(mpath) or os.path.exists(mpath + '.gz')
    if kind == 'EpochEndingBackup':
        if list(body) != ['first_epoch', 'last_epoch', 'first_version', 'last_version', 'manifest']: fail(f'{name}: keys')
        if name.split('.')[0] != f'epoch_ending_{body["first_epoch"]}-{body["last_epoch"]}': fail(f'{name}: name/content')
        if exists and (epochs[body['first_epoch']]['version'] != body['first_version'] or epochs[body['last_epoch']]['version'] != body['last_version']):
            fail(f'{name}: versions disagree with ledger infos')
    elif kind == 'TransactionBackup':
        if list(body) != ['first_version', 'last_version', 'manifest']: fail(f'{name}: keys')
        if not exists: fail(f'{name}: transaction manifest missing')
    elif kind == 'StateSnapshotBackup':
        if list(body) != ['epoch', 'version', 'manifest']: fail(f'{name}: keys')
        if name.split('.')[0] != f'state_snapshot_ver_{body["version"]}': fail(f'{name}: name/content')
        if not any(sn['version'] == body['version'] and sn['epoch'] == body['epoch'] and
                   body['manifest'].startswith(sn['folder'][len(root):] + '/') for sn in snapshots):
            fail(f'{name}: names no snapshot')
        if epochs[body['epoch']]['version'] != body['version']: fail(f'{name}: snapshot version is not the end of its epoch')
    if not exists and kind != 'EpochEndingBackup': fail(f'{name}: manifest missing')

# --- transaction chunks: decode, re-hash, proofs, re-render rows -----------------
tx_chunks.sort(key=lambda c: (c[0], c[2]))
leaves, rendered, ctx, seen_keys = {}, {}, {}, {}
first_kinds = set()
next_expected = 0
for first, last, key, cpath, ppath in tx_chunks:
    data, _ = read_file(cpath)
    recs = frames(data, key)
    if len(recs) != last - first + 1: fail(f'{key}: {len(recs)} records for {first}-{last}')
    if first in seen_keys:   # duplicate re-run: must be byte-identical, keep smallest key
        if data != seen_keys[first][1]: fail(f'{key}: duplicate chunk differs')
        for v in range(first, last + 1):
            if key < rendered[v]['object']: rendered[v]['object'] = key
        continue
    seen_keys[first] = (key, data)
    if first != next_expected: ctx = {}   # not contiguous: no carried context
    next_expected = last + 1
    for i, rec in enumerate(recs):
        v = first + i
        try:
            row, leaf = decode_record(rec, ctx)
        except Exception as exc:
            fail(f'{key} version {v}: {exc}'); continue
        if i == 0: first_kinds.add(row['kind'])
        for k in ('kind', 'payload_kind', 'authenticator', 'status', 'abort_location'):
            if row.get(k): COVER.add(f'{k}.{row[k]}')
        if row['kind'] == 'user': COVER.add('sender.' + ('special' if len(row['sender']) < 5 else 'padded16' if row['sender'].startswith('0x' + '0' * 32) else 'full'))
        if row['proposer'] == '0x0': COVER.add('proposer.nil')
        if row['kind'] == 'user' and row['payload_kind'] == 'multisig': COVER.add('multisig.' + ('some' if row['function'] else 'none'))
        row['object'] = key; row['version'] = str(v)
        rendered[v] = row; leaves[v] = leaf
# proofs: verify leaf-first sibling order against the proof's ledger info
for first, last, key, cpath, ppath in tx_chunks:
    r = R(read_file(ppath)[0])
    left, right = r.vec(lambda: r.take(32)), r.vec(lambda: r.take(32))
    li = ledger_info(r)
    if not r.done(): fail(f'{ppath}: trailing bytes')
    if any(v not in leaves for v in range(first, last + 1)): continue
    nodes, idx, li_i, ri_i = [leaves[v] for v in range(first, last + 1)], first, 0, 0
    try:
        while not (len(nodes) == 1 and li_i == len(left) and ri_i == len(right)):
            if idx & 1: nodes.insert(0, left[li_i]); li_i += 1; idx -= 1
            if len(nodes) & 1: nodes.append(right[ri_i]); ri_i += 1
            nodes = [hashlib.sha3_256(seed('TransactionAccumulator') + a + b).digest() for a, b in zip(nodes[::2], nodes[1::2])]
            idx //= 2
        if nodes[0] != li['root']: fail(f'{key}: range proof does not verify')
    except IndexError:
        fail(f'{key}: range proof sibling lists too short')
    # simpler full check: rebuild the whole accumulator from all leaves when available
    if all(v in leaves for v in range(0, li['version'] + 1)):
        if acc_root('TransactionAccumulator', [leaves[v] for v in range(0, li['version'] + 1)]) != li['root']:
            fail(f'{key}: proof ledger info executed_state_id is not the accumulator root')


# --- rendering helpers for the CSV comparisons --------------------------------------
def csv_field(v):
    if v is None: return ''
    if v == '' or v == '\\.' or any(c in v for c in ',"\r\n'): return '"' + v.replace('"', '""') + '"'
    return v

def csv_line(values): return ','.join(csv_field(None if v is None else str(v)) for v in values)
def bytea(b): return None if b is None else '\\x' + b.hex()
def compact(obj): return json.dumps(obj, separators=(',', ':'))

def compare_csv(name, header, want_lines):
    with open(os.path.join(EXPECTED, name), newline='') as f:
        got = f.read().split('\n')
    if got[0] != header: fail(f'{name} header: {got[0]}')
    if got[-1] != '': fail(f'{name}: no final newline')
    got = got[1:-1]
    if len(got) != len(want_lines): fail(f'{name}: {len(got)} rows, python renders {len(want_lines)}')
    bad = 0
    for i, (g, w) in enumerate(zip(got, want_lines)):
        if g != w:
            bad += 1
            if bad <= 3: fail(f'{name} row {i + 1} differs:\n  csv:    {g}\n  python: {w}')
    return len(got)

# Move values by type, for event payloads and entry-function arguments
def move_value(r, t):
    if t == 'u64': return r.u(8)
    if t == 'bool':
        b = r.u(1)
        if b > 1: raise ValueError('bool')
        return b == 1
    if t == 'address': return aip40(r.addr())
    if t == 'bytes': return '0x' + r.bytes().hex()
    if t == 'vec_u64': return r.vec(lambda: r.u(8))
    if t == 'vec_address': return r.vec(lambda: aip40(r.addr()))
    if t == 'type_info':
        return {'account_address': aip40(r.addr()), 'module_name': '0x' + r.bytes().hex(), 'struct_name': '0x' + r.bytes().hex()}
    raise ValueError(t)

# FORMAT-transactions-v6v7.md §8: (where the layout was read, fields)
EVENT_LAYOUTS = {
    '0x1::coin::WithdrawEvent': ('bytes', [('amount', 'u64')]),
    '0x1::coin::DepositEvent': ('bytes', [('amount', 'u64')]),
    '0x1::block::NewBlockEvent': ('bytes', [('hash', 'address'), ('epoch', 'u64'), ('round', 'u64'), ('height', 'u64'),
                                            ('previous_block_votes_bitvec', 'bytes'), ('proposer', 'address'),
                                            ('failed_proposer_indices', 'vec_u64'), ('time_microseconds', 'u64')]),
    '0x1::reconfiguration::NewEpochEvent': ('bytes', [('epoch', 'u64')]),
    '0x1::stake::DistributeRewardsEvent': ('bytes', [('validator_address', 'address'), ('rewards_amount', 'u64')]),
    '0x1::account::CoinRegisterEvent': ('source', [('type_info', 'type_info')]),
    '0x1::account::KeyRotationEvent': ('source', [('old_authentication_key', 'bytes'), ('new_authentication_key', 'bytes')]),
    '0x1::slow_wallet::DripEvent': ('source', [('value', 'u64'), ('users', 'u64')]),
    '0x1::ol_account::DirectCoinTransferConfigUpdatedEvent': ('source', [('new_allow_direct_transfers', 'bool')]),
    '0x1::oracle::DistributeRewardsEvent': ('source', [('account', 'address'), ('rewards_amount', 'u64')]),
    '0x1::block::UpdateEpochIntervalEvent': ('source', [('old_epoch_interval', 'u64'), ('new_epoch_interval', 'u64')]),
    '0x1::stake::RegisterValidatorCandidateEvent': ('source', [('validator_address', 'address')]),
    '0x1::stake::JoinValidatorSetEvent': ('source', [('validator_address', 'address')]),
    '0x1::stake::LeaveValidatorSetEvent': ('source', [('validator_address', 'address')]),
    '0x1::stake::SetOperatorEvent': ('source', [('validator_address', 'address'), ('old_operator', 'address'), ('new_operator', 'address')]),
    '0x1::stake::RotateConsensusKeyEvent': ('source', [('validator_address', 'address'), ('old_consensus_pubkey', 'bytes'),
                                                       ('new_consensus_pubkey', 'bytes')]),
    '0x1::stake::UpdateNetworkAndFullnodeAddressesEvent': ('source', [('validator_address', 'address'),
        ('old_network_addresses', 'bytes'), ('new_network_addresses', 'bytes'),
        ('old_fullnode_addresses', 'bytes'), ('new_fullnode_addresses', 'bytes')]),
}
# FORMAT-transactions-v6v7.md §9 (signer omitted)
SIGNATURES = {
    '0x1::ol_account::transfer': [('to', 'address'), ('amount', 'u64')],
    '0x1::ol_account::create_account': [('auth_key', 'address')],
    '0x1::ol_account::batch_transfer': [('recipients', 'vec_address'), ('amounts', 'vec_u64')],
    '0x1::ol_account::set_allow_direct_coin_transfers': [('allow', 'bool')],
    '0x1::coin::transfer': [('to', 'address'), ('amount', 'u64')],
    '0x1::vouch::vouch_for': [('wanna_be_my_friend', 'address')],
    '0x1::vouch::insist_vouch_for': [('wanna_be_my_friend', 'address')],
    '0x1::vouch::revoke': [('its_not_me_its_you', 'address')],
    '0x1::tower_state::minerstate_commit': [('challenge', 'bytes'), ('solution', 'bytes'), ('difficulty', 'u64'), ('security', 'u64')],
    '0x1::validator_universe::register_validator': [('consensus_pubkey', 'bytes'), ('proof_of_possession', 'bytes'),
                                                    ('network_addresses', 'bytes'), ('fullnode_addresses', 'bytes')],
}

def decode_fields(fields, blobs):
    """blobs: one byte string per field; None unless every one decodes exactly."""
    if len(blobs) != len(fields): return None
    out = {}
    for (name, t), blob in zip(fields, blobs):
        r = R(blob)
        try:
            out[name] = move_value(r, t)
        except (ValueError, IndexError):
            return None
        if not r.done(): return None
    return out

def decode_args(row):
    """recipient, amount, args_decoded of a transactions.csv row."""
    sig = SIGNATURES.get(row.get('function'))
    args = decode_fields(sig, row['args']) if sig else None
    if args is None:
        if sig: COVER.add('args.refused')
        return None, None, None
    COVER.add('args.' + row['function'])
    if row['function'] in ('0x1::ol_account::transfer', '0x1::coin::transfer'): return args['to'], args['amount'], compact(args)
    if row['function'] == '0x1::ol_account::create_account': return args['auth_key'], None, compact(args)
    return None, None, compact(args)

def decode_event(ev):
    """decoded JSON, decoded_from, amount of an event: by its type tag only."""
    layout = EVENT_LAYOUTS.get(ev['type'])
    COVER.add('event.' + (ev['type'] if layout else 'unknown'))
    if layout is None: return None, None, None
    r = R(ev['data'])
    fields = {name: move_value(r, t) for name, t in layout[1]}
    if not r.done(): raise ValueError(f'{ev["type"]}: trailing bytes in event data')
    amount = fields['amount'] if ev['type'] in ('0x1::coin::WithdrawEvent', '0x1::coin::DepositEvent') else None
    return compact(fields), layout[0], amount

def key_columns(k):
    ap = k['key_kind'] == 'access_path'; ti = k['key_kind'] == 'table_item'
    return [k['key_kind'], k['path'], aip40(k['address']) if ap else None, k['resource'],
            aip40(k['table_handle']) if ti else None, bytea(k['table_key']) if ti else None, bytea(k['bcs'])]

def value_columns(w):
    m = w['metadata']
    meta = compact({'payer': aip40(m['payer']), 'deposit': m['deposit'], 'creation_time_usecs': m['creation_time_usecs']}) if m else None
    v = w['value']
    return [bytea(v), None if v is None else len(v), w['balance'], meta]

# --- transactions.csv ----------------------------------------------------------------
TX_HEADER = ('version,epoch,round,block_timestamp_usecs,kind,tx_hash,sender,sequence_number,payload_kind,function,type_args,'
             'args,max_gas_amount,gas_unit_price,gas_used,expiration_timestamp_secs,chain_id,authenticator,status,'
             'abort_location,abort_code,proposer,event_count,write_count,object,recipient,amount,args_decoded')
want = []
for v in sorted(rendered):
    row = rendered[v]
    user = row['kind'] == 'user'
    vals = dict(row)
    for k in ('sequence_number', 'payload_kind', 'max_gas_amount', 'gas_unit_price', 'expiration_timestamp_secs', 'chain_id', 'authenticator', 'function'):
        if not user: vals[k] = None
    vals['type_args'] = pg_array(row['type_args']) if user else None
    vals['args'] = pg_array(['\\x' + a.hex() for a in row['args']]) if user else None
    vals['recipient'], vals['amount'], vals['args_decoded'] = decode_args(row) if user else (None, None, None)
    want.append(csv_line(vals.get(k) for k in TX_HEADER.split(',')))
checked = compare_csv('transactions.csv', TX_HEADER, want)

# --- events.csv and state_changes.csv ----------------------------------------------
EV_HEADER = 'version,epoch,block_timestamp_usecs,event_index,type,account,creation_number,sequence_number,data,amount,decoded,decoded_from,tx_hash,object'
SC_HEADER = 'version,epoch,change_index,key_kind,path,address,resource,table_handle,table_key,state_key,op,value,value_size,balance,metadata,object'
OPS = ['create', 'modify', 'delete', 'create', 'modify', 'delete']
want_ev, want_sc = [], []
for v in sorted(rendered):
    row = rendered[v]
    for i, ev in enumerate(row['events']):
        try:
            decoded, source, amount = decode_event(ev)
        except (ValueError, IndexError) as exc:
            fail(f'version {v} event {i}: {exc}'); continue
        if amount is not None: COVER.add('event.amount')
        want_ev.append(csv_line([v, row['epoch'], row['block_timestamp_usecs'], i, ev['type'], aip40(ev['account']),
                                 ev['creation_number'], ev['sequence_number'], bytea(ev['data']), amount, decoded, source,
                                 row['tx_hash'], row['object']]))
    for i, w in enumerate(row['writes']):
        want_sc.append(csv_line([v, row['epoch'], i] + key_columns(w['key']) + [OPS[w['op']]] + value_columns(w) + [row['object']]))
event_rows = compare_csv('events.csv', EV_HEADER, want_ev)
change_rows = compare_csv('state_changes.csv', SC_HEADER, want_sc)

# --- state snapshots: replay the write sets, then state.csv ---------------------------
snapshots.sort(key=lambda sn: sn['version'])
live, replayed_to, replayed = {}, -1, 0
for sn in snapshots:
    if sn['missing']: COVER.add('state.missing_chunk')
    if not all(v in rendered for v in range(replayed_to + 1, sn['version'] + 1)): break
    for v in range(replayed_to + 1, sn['version'] + 1):
        for w in rendered[v]['writes']:
            if w['value'] is None: live.pop(w['key']['bcs'], None)
            else: live[w['key']['bcs']] = w
    replayed_to = sn['version']
    li = epochs.get(sn['epoch'])
    if li is None or li['version'] != sn['version']: fail(f'{sn["folder"]}: version is not the end of epoch {sn["epoch"]}')
    if rendered[sn['version']]['checkpoint'] != sn['root']: fail(f'{sn["folder"]}: root_hash is not the state checkpoint hash of its version')
    if sn['missing']: continue
    expect = sorted(live.values(), key=lambda w: w['key']['hash'])
    got = [rec for _, _, rec in sn['records']]
    if [(w['key']['bcs'], w['value'], w['metadata']) for w in expect] != [(g['key']['bcs'], g['value'], g['metadata']) for g in got]:
        fail(f'{sn["folder"]}: records differ from the replayed write sets ({len(got)} records, {len(expect)} live keys)')
    replayed += 1
ST_HEADER = 'snapshot_version,epoch,item_index,key_kind,path,address,resource,table_handle,table_key,state_key,value,value_size,balance,metadata,object'
want_st = []
for sn in snapshots:
    if sn['missing']: continue   # a query touching it fails: no rows
    for index, key, rec in sn['records']:
        if rec['key']['key_kind'] == 'raw': COVER.add('state.raw')
        if rec['balance'] is not None: COVER.add(f'state.balance.{len(rec["value"])}')
        want_st.append(csv_line([sn['version'], sn['epoch'], index] + key_columns(rec['key']) + value_columns(rec) + [key]))
state_rows = compare_csv('state.csv', ST_HEADER, want_st)
if sum(1 for sn in snapshots if sn['missing']) > 1: fail('more than one snapshot with a missing chunk')

# --- epochs.csv ---------------------------------------------------------------------
EP_HEADER = ('epoch,first_version,last_version,end_timestamp_usecs,round,block_id,root_hash,waypoint,validator_count,'
             'total_voting_power,validators,signer_count,object')
def epoch_object(e):
    covering = sorted((c for c in epoch_chunks if c[0] <= e <= c[1]), key=lambda c: (c[0], -c[1], c[2]))
    return covering[0][2]
want_ep = []
for e in sorted(epochs):
    li = epochs[e]
    if e == 0 and (li['bitmask'] != b'' or li['sig'] is not None): fail('genesis LI must be unsigned')
    if e > 0 and (len(li['bitmask']) != 1 or li['sig'] is None or len(li['sig']) != 96): fail(f'LI {e} signature shape')
    if any(len(val[1]) != 48 for val in li['validators']): fail(f'LI {e} validator keys')
    if e > 0 and e - 1 not in epochs: fail(f'epoch {e - 1} missing'); continue
    first = 0 if e == 0 else epochs[e - 1]['version'] + 1
    vals = [{'address': aip40(a), 'voting_power': vp, 'consensus_key': '0x' + pk.hex()} for a, pk, vp in li['validators']]
    want_ep.append(csv_line([e, first, li['version'], li['ts'], li['round'], '0x' + li['block_id'].hex(), '0x' + li['root'].hex(),
                             li['waypoint'], len(vals), sum(x['voting_power'] for x in vals), compact(vals),
                             sum(bin(b).count('1') for b in li['bitmask']), epoch_object(e)]))
    if epoch_object(e) != min(c[2] for c in epoch_chunks if c[0] <= e <= c[1]): COVER.add('epoch.object_not_smallest_key')
epoch_rows = compare_csv('epochs.csv', EP_HEADER, want_ep)

# --- objects.csv --------------------------------------------------------------------
def object_kind(key):
    if BUNDLE_RE.match(key): return 'bundle'
    parts = key.split('/')
    folder, name = (parts[-2] if len(parts) > 1 else ''), parts[-1]
    if folder == 'metadata': return 'metadata'
    base = re.sub(r'\.gz$', '', name)
    if not NAME_RE.match(folder): return 'other'
    if base.endswith('.manifest'): return 'manifest'
    if base.endswith('.proof'): return 'proof'
    if base.endswith('.chunk'):
        return {'transaction': 'transaction', 'epoch': 'epoch_ending', 'state': 'state_snapshot'}[folder.split('_')[0]]
    return 'other'
def object_row(key):
    path = os.path.join(ARCHIVE, key)
    with open(path, 'rb') as fh: magic = fh.read(2)
    return csv_line([key, object_kind(key), os.path.getsize(path), 'gzip' if magic == b'\x1f\x8b' else 'none'])
check_bundles()
want_obj = [object_row(k) for k in sorted(os.path.relpath(os.path.join(d, f), ARCHIVE)
                                          for d, _, files in os.walk(ARCHIVE) for f in files)]
object_rows = compare_csv('objects.csv', 'key,kind,size,compression', want_obj)

# --- summary.txt counts -------------------------------------------------------------
summary = dict(line.split(': ', 1) for line in open(os.path.join(EXPECTED, 'summary.txt')).read().splitlines())
for name, n in (('rows', checked), ('events.rows', event_rows), ('state_changes.rows', change_rows),
                ('state.rows', state_rows), ('epochs.rows', epoch_rows), ('objects.rows', object_rows)):
    if summary.get(name) != str(n): fail(f'summary.txt {name}: {summary.get(name)} != {n}')
missing = [m for sn in snapshots for m in sn['missing']]
if [l.split(' ')[0] for k, l in summary.items() if k == 'state.missing_chunk'] != [os.path.relpath(os.path.join(ARCHIVE, m), ARCHIVE) for m in missing][:1]:
    fail(f'summary.txt state.missing_chunk does not name {missing}')

if os.environ.get('REQUIRE_COVERAGE'):
    need = {f'script_arg.{i}' for i in range(9)} | {f'write_op.{i}' for i in range(6)} | {'path.0', 'path.1', 'path.2', 'key.table_item',
        'key.raw', 'account_auth.0', 'account_auth.1', 'abort_info.some', 'abort_info.none', 'misc_code.some', 'misc_code.none',
        'kind.user', 'kind.genesis', 'kind.block_metadata', 'kind.state_checkpoint', 'abort_location.script',
        'sender.special', 'sender.padded16', 'sender.full', 'proposer.nil', 'multisig.some', 'multisig.none'} | \
        {f'payload_kind.{p}' for p in ('entry_function', 'script', 'module_bundle', 'multisig')} | \
        {f'authenticator.{a}' for a in ('ed25519', 'multi_ed25519', 'multi_agent', 'fee_payer')} | \
        {f'status.{x}' for x in ('success', 'out_of_gas', 'move_abort', 'execution_failure', 'miscellaneous_error')} | \
        {f'event.{t}' for t in EVENT_LAYOUTS} | {'event.unknown', 'event.amount'} | {f'args.{f}' for f in SIGNATURES} | \
        {'args.refused', 'coin_store.104', 'coin_store.105', 'state.balance.104', 'state.balance.105', 'state.raw',
         'state.multi_chunk', 'state_value.v0', 'state_value.with_metadata', 'epoch.object_not_smallest_key'}
    if need - COVER: fail(f'coverage missing: {sorted(need - COVER)}')
    if not {'state_checkpoint', 'user'} <= first_kinds: fail('no chunk starts with a StateCheckpoint and one with a user transaction')
print(f'verified {checked} rows, {event_rows} events, {change_rows} state changes, {state_rows} state items '
      f'({len(snapshots)} snapshots, {replayed} replayed), {epoch_rows} epochs, {object_rows} objects, '
      f'{len(tx_chunks)} chunk files, {len(meta_lines)} .meta lines; chunks start with: {sorted(first_kinds)}')
sys.exit(1 if errors else 0)
