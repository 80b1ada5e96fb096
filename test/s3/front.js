#!/usr/bin/env node
// front.js — for tests only. An HTTP front between forensic_fdw and s3rver (a real S3 server that
// checks no signatures). It verifies AWS Signature Version 4 the way Amazon S3 does (header
// authentication, signed or UNSIGNED-PAYLOAD bodies, session tokens, clock skew, region), answers
// with S3's error XML, forwards good requests path-style to s3rver, injects faults on request
// (status, delay, reset, truncate, hang, throttle, etag), and mocks the EC2 instance metadata
// service (IMDSv2) that hands out temporary credentials.
//
//   node test/s3/front.js --listen 127.0.0.1:0 --upstream 127.0.0.1:S3RVER_PORT --region us-east-1
//        --credentials AKID:SECRET[:SESSION_TOKEN] [--credentials ...] [--public-bucket NAME]
//        [--virtual-suffix localhost] [--imds-listen 127.0.0.1:0 --imds-credentials AKID:SECRET:TOKEN]
//        [--log FILE] [--exit-with PID] [--kill-on-exit PID]
// Prints "ready front=PORT imds=PORT" once listening. --exit-with: exit when that process is gone;
// --kill-on-exit: send SIGTERM to that process when exiting (s3env.sh uses both for s3rver).
//
// Control API on the front's port, no authentication:
//   POST /__front/faults   JSON rule or array of rules, appended     DELETE /__front/faults  clear
//   GET  /__front/faults   the rules and what is left of their counts
//   GET  /__front/log      JSON array of the requests seen            DELETE /__front/log     clear
//   GET  /__front/health   {"ok":true}
// A rule: {"match": substring of "bucket/key" or of the query, "method": "GET", "count": N (default 1,
//   0 = forever), "kind": "status" (+ "status", optional "code", "message") | "delay" (+ "ms") |
//   "reset" (+ "after_bytes") | "truncate" (+ "after_bytes") | "hang" | "throttle" (+ "bytes_per_sec")
//   | "etag" (+ "etag")}. The first matching rule with count left applies. Faults apply to requests
//   that passed authentication.
//
// Where s3rver differs from S3 the front answers as S3 does: a suffix range "bytes=-N" gives the
// last N bytes, If-Match is checked (412), a raw '+' in the path is a space.
'use strict';

const http = require('http');
const crypto = require('crypto');
const fs = require('fs');

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_SKEW_MS = 15 * 60 * 1000;
const LOG_LIMIT = 20000;

/* ---------------------------------------------------------------- SigV4 (exported) */

function sha256hex(data) {
	return crypto.createHash('sha256').update(data).digest('hex');
}

function hmac(key, data) {
	return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, every other byte of
// the UTF-8 form as %XX, upper-case hex.
function uriEncode(str) {
	let out = '';
	for (const byte of Buffer.from(str, 'utf8')) {
		const c = String.fromCharCode(byte);
		out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
	}
	return out;
}

// Decodes a path segment or query component the way S3 does: a raw '+' is a space, in the
// path too (AWS signs it as %20 and serves the key with a space). Throws URIError.
function decodeComponent(s) {
	return decodeURIComponent(s.replace(/\+/g, ' '));
}

// Canonical URI from the raw path as received: each segment decoded, then encoded again ('/' kept).
function canonicalUri(rawPath) {
	if (!rawPath) return '/';
	return rawPath.split('/').map((seg) => uriEncode(decodeComponent(seg))).join('/');
}

// Canonical query string from the raw query: name=value pairs decoded, encoded again, sorted by
// name then value; "a" and "a=" both give "a=".
function canonicalQuery(rawQuery) {
	if (!rawQuery) return '';
	const pairs = rawQuery.split('&').filter((p) => p !== '').map((p) => {
		const eq = p.indexOf('=');
		const name = eq < 0 ? p : p.slice(0, eq);
		const value = eq < 0 ? '' : p.slice(eq + 1);
		return [uriEncode(decodeComponent(name)), uriEncode(decodeComponent(value))];
	});
	pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
	return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

// headers: [[name, value], ...] (raw, repeats allowed) or {name: value}. Returns the canonical
// header block (each line "name:value\n") for exactly the signed header names, sorted.
function canonicalHeaders(headers, signedHeaders) {
	const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
	const names = signedHeaders.map((h) => h.toLowerCase()).sort();
	return names.map((name) => {
		const values = pairs.filter(([n]) => n.toLowerCase() === name)
			.map(([, v]) => String(v).trim().replace(/\s+/g, ' '));
		return `${name}:${values.join(',')}\n`;
	}).join('');
}

// {method, path (raw), query (raw, without '?'), headers, signedHeaders: [names], payloadHash}
function canonicalRequest(r) {
	const signed = r.signedHeaders.map((h) => h.toLowerCase()).sort();
	return [r.method, canonicalUri(r.path), canonicalQuery(r.query || ''),
		canonicalHeaders(r.headers, signed), signed.join(';'), r.payloadHash].join('\n');
}

function credentialScope(day, region, service = 's3') {
	return `${day}/${region}/${service}/aws4_request`;
}

function stringToSign(amzDate, scope, canonical) {
	return ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
}

function signingKey(secret, day, region, service = 's3') {
	return hmac(hmac(hmac(hmac('AWS4' + secret, day), region), service), 'aws4_request');
}

function signatureOf(secret, day, region, sts, service = 's3') {
	return crypto.createHmac('sha256', signingKey(secret, day, region, service)).update(sts, 'utf8').digest('hex');
}

// Signs a request description like canonicalRequest's, plus {accessKey, secret, region, amzDate}.
function signRequest(r) {
	const canonical = canonicalRequest(r);
	const day = r.amzDate.slice(0, 8);
	const scope = credentialScope(day, r.region);
	const sts = stringToSign(r.amzDate, scope, canonical);
	const signature = signatureOf(r.secret, day, r.region, sts);
	const signed = r.signedHeaders.map((h) => h.toLowerCase()).sort().join(';');
	return {
		canonicalRequest: canonical, stringToSign: sts, signature,
		authorization: `AWS4-HMAC-SHA256 Credential=${r.accessKey}/${scope},SignedHeaders=${signed},Signature=${signature}`,
	};
}

/* ---------------------------------------------------------------- S3 errors */

function xmlEscape(s) {
	return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function s3Error(status, code, message, extra = {}, headers = {}) {
	return { status, code, message, extra, headers };
}

function sendError(res, err, resource) {
	const requestId = crypto.randomBytes(8).toString('hex').toUpperCase();
	const hostId = crypto.randomBytes(24).toString('base64');
	const extras = Object.entries(err.extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
	const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${err.code}</Code>` +
		`<Message>${xmlEscape(err.message)}</Message>${extras}` +
		(resource ? `<Resource>${xmlEscape(resource)}</Resource>` : '') +
		`<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
	res.writeHead(err.status, {
		'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body),
		'x-amz-request-id': requestId, 'x-amz-id-2': hostId, ...err.headers,
	});
	res.end(body);
}

const INJECTED = {
	400: ['InvalidRequest', 'Injected fault.'],
	403: ['AccessDenied', 'Access Denied'],
	404: ['NoSuchKey', 'The specified key does not exist.'],
	429: ['SlowDown', 'Please reduce your request rate.'],
	500: ['InternalError', 'We encountered an internal error. Please try again.'],
	502: ['BadGateway', 'Bad Gateway'],
	503: ['SlowDown', 'Please reduce your request rate.'],
	504: ['GatewayTimeout', 'Gateway Timeout'],
};

/* ---------------------------------------------------------------- request parsing */

// Splits the request into bucket, key, raw path and query; virtual-hosted when the Host is
// <bucket>.<suffix>. s3rver takes a raw '+' in the path literally, S3 as a space: it is sent
// on as %20. Throws URIError on a malformed escape.
function parseTarget(req, cfg) {
	const q = req.url.indexOf('?');
	const rawPath = q < 0 ? req.url : req.url.slice(0, q);
	const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
	const host = String(req.headers.host || '').toLowerCase().replace(/:\d+$/, '');
	const suffix = cfg.virtualSuffix && '.' + cfg.virtualSuffix.toLowerCase();
	let bucket, key, upstreamPath;
	if (suffix && host.endsWith(suffix) && host.length > suffix.length) {
		bucket = host.slice(0, -suffix.length);
		key = decodeComponent(rawPath.replace(/^\//, ''));
		upstreamPath = '/' + bucket + (rawPath === '/' ? '' : rawPath);
	} else {
		const m = /^\/([^/]*)\/?(.*)$/.exec(rawPath) || [null, '', ''];
		bucket = decodeComponent(m[1]);
		key = decodeComponent(m[2]);
		upstreamPath = rawPath;
	}
	upstreamPath = upstreamPath.replace(/\+/g, '%20');
	return { bucket, key, rawPath, rawQuery, upstreamPath: upstreamPath + (rawQuery ? '?' + rawQuery : '') };
}

// "AWS4-HMAC-SHA256 Credential=AKID/DAY/REGION/s3/aws4_request, SignedHeaders=a;b, Signature=hex"
function parseAuthorization(value) {
	const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(value);
	if (!m) return null;
	const parts = {};
	for (const item of m[1].split(',')) {
		const eq = item.indexOf('=');
		if (eq > 0) parts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
	}
	if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return null;
	const cred = parts.Credential.split('/');
	if (cred.length !== 5) return null;
	const [accessKey, day, region, service, terminator] = cred;
	return {
		accessKey, day, region, service, terminator, signature: parts.Signature,
		signedHeaders: parts.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
	};
}

// The request time as YYYYMMDDTHHMMSSZ, from x-amz-date, else from Date; null when neither parses.
function requestTime(headers) {
	const amz = headers['x-amz-date'];
	if (amz !== undefined) return /^\d{8}T\d{6}Z$/.test(amz) ? amz : null;
	const ms = Date.parse(headers.date || '');
	return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function amzDateToMs(t) {
	return Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(9, 11), +t.slice(11, 13), +t.slice(13, 15));
}

function rawHeaderPairs(req) {
	const pairs = [];
	for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
	return pairs;
}

/* ---------------------------------------------------------------- authentication */

const MALFORMED_CREDENTIAL = 'The authorization header is malformed; the Credential is mal-formed; ' +
	'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';

// Checks the Authorization header of a request (not its body). Returns {cred} or {error}.
function authenticate(req, target, cfg) {
	const h = req.headers;
	if (h.authorization === undefined) {
		const publicRead = cfg.publicBucket && target.bucket === cfg.publicBucket &&
			(req.method === 'GET' || req.method === 'HEAD');
		return publicRead ? { cred: null } : { error: s3Error(403, 'AccessDenied', 'Access Denied') };
	}
	if (!/^AWS4-HMAC-SHA256\s/.test(h.authorization)) {
		return { error: s3Error(400, 'InvalidArgument', 'Unsupported Authorization Type',
			{ ArgumentName: 'Authorization', ArgumentValue: h.authorization.split(' ')[0] }) };
	}
	const auth = parseAuthorization(h.authorization);
	if (!auth || !/^\d{8}$/.test(auth.day) || auth.terminator !== 'aws4_request') {
		return { error: s3Error(400, 'AuthorizationHeaderMalformed', MALFORMED_CREDENTIAL) };
	}
	if (auth.region !== cfg.region) {
		return { error: s3Error(400, 'AuthorizationHeaderMalformed',
			`The authorization header is malformed; the region '${auth.region}' is wrong; expecting '${cfg.region}'`,
			{ Region: cfg.region }, { 'x-amz-bucket-region': cfg.region }) };
	}
	if (auth.service !== 's3') {
		return { error: s3Error(400, 'AuthorizationHeaderMalformed',
			`The authorization header is malformed; incorrect service '${auth.service}'. This endpoint belongs to 's3'.`) };
	}
	const cred = cfg.credentials.get(auth.accessKey);
	if (!cred) {
		return { error: s3Error(403, 'InvalidAccessKeyId',
			'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: auth.accessKey }) };
	}
	const payloadHash = h['x-amz-content-sha256'];
	if (payloadHash === undefined) {
		return { error: s3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256') };
	}
	if (payloadHash !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHash)) {
		return { error: s3Error(400, 'InvalidArgument',
			'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.',
			{ ArgumentName: 'x-amz-content-sha256', ArgumentValue: payloadHash }) };
	}
	const amzDate = requestTime(h);
	if (!amzDate) {
		return { error: s3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header') };
	}
	const now = Date.now();
	if (Math.abs(now - amzDateToMs(amzDate)) > MAX_SKEW_MS) {
		return { error: s3Error(403, 'RequestTimeTooSkewed',
			'The difference between the request time and the current time is too large.', {
				RequestTime: amzDate, ServerTime: new Date(now).toISOString(), MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
			}) };
	}
	if (auth.day !== amzDate.slice(0, 8)) {
		return { error: s3Error(400, 'AuthorizationHeaderMalformed',
			'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.') };
	}
	const tokenError = checkToken(h, auth, cred);
	if (tokenError) return { error: tokenError };
	const unsigned = unsignedHeaders(h, auth.signedHeaders);
	if (unsigned.length) {
		return { error: s3Error(403, 'AccessDenied', 'There were headers present in the request which were not signed',
			{ HeadersNotSigned: unsigned.join(', ') }) };
	}
	const canonical = canonicalRequest({
		method: req.method, path: target.rawPath, query: target.rawQuery, headers: rawHeaderPairs(req),
		signedHeaders: auth.signedHeaders, payloadHash,
	});
	const sts = stringToSign(amzDate, credentialScope(auth.day, auth.region), canonical);
	const expected = signatureOf(cred.secret, auth.day, auth.region, sts);
	if (!sameSignature(expected, auth.signature)) {
		return { error: s3Error(403, 'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
			{ AWSAccessKeyId: auth.accessKey, StringToSign: sts, SignatureProvided: auth.signature, CanonicalRequest: canonical }) };
	}
	return { cred, payloadHash };
}

// A credential with a session token needs it sent, signed and equal; one without must not get one.
function checkToken(h, auth, cred) {
	const sent = h['x-amz-security-token'];
	const ok = cred.token === undefined ? sent === undefined
		: sent === cred.token && auth.signedHeaders.includes('x-amz-security-token');
	return ok ? null : s3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
}

// host, the date used and every x-amz-* header present must be signed (x-amz-content-sha256 may not be).
function unsignedHeaders(h, signed) {
	const must = ['host', h['x-amz-date'] === undefined ? 'date' : 'x-amz-date'];
	for (const name of Object.keys(h)) if (name.startsWith('x-amz-') && name !== 'x-amz-content-sha256') must.push(name);
	return [...new Set(must)].filter((name) => (name === 'host' || h[name] !== undefined) && !signed.includes(name));
}

function sameSignature(expected, provided) {
	const a = Buffer.from(expected);
	const b = Buffer.from(String(provided));
	return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function hasBody(req) {
	return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] || 0) > 0;
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/* ---------------------------------------------------------------- faults */

const FAULT_KINDS = {
	status: (r) => Number.isInteger(r.status) && r.status >= 400 && r.status <= 599,
	delay: (r) => Number.isFinite(r.ms) && r.ms >= 0,
	reset: (r) => Number.isInteger(r.after_bytes) && r.after_bytes >= 0,
	truncate: (r) => Number.isInteger(r.after_bytes) && r.after_bytes >= 0,
	hang: () => true,
	throttle: (r) => Number.isFinite(r.bytes_per_sec) && r.bytes_per_sec > 0,
	etag: (r) => typeof r.etag === 'string' && r.etag !== '',
};

// Validates rules from the control API; returns them with their remaining counts, or throws.
function parseRules(json) {
	const list = Array.isArray(json) ? json : [json];
	return list.map((r) => {
		if (!r || typeof r !== 'object' || !FAULT_KINDS[r.kind]) throw new Error(`unknown fault kind: ${r && r.kind}`);
		if (!FAULT_KINDS[r.kind](r)) throw new Error(`bad parameters for fault kind ${r.kind}: ${JSON.stringify(r)}`);
		const count = r.count === undefined ? 1 : r.count;
		if (!Number.isInteger(count) || count < 0) throw new Error(`bad count: ${JSON.stringify(r)}`);
		return { ...r, count, left: count };
	});
}

// The first rule matching the request with count left; its count is used up by one.
function takeFault(rules, req, target) {
	const where = `${target.bucket}/${target.key}`;
	const query = target.rawQuery;
	let decodedQuery = query;
	try { decodedQuery = decodeComponent(query); } catch (e) { /* keep raw */ }
	for (const rule of rules) {
		if (rule.count !== 0 && rule.left <= 0) continue;
		if (rule.method && rule.method.toUpperCase() !== req.method) continue;
		const m = rule.match;
		if (m && !where.includes(m) && !query.includes(m) && !decodedQuery.includes(m)) continue;
		if (rule.count !== 0) rule.left--;
		return rule;
	}
	return null;
}

/* ---------------------------------------------------------------- forwarding */

const NOT_FORWARDED = new Set(['authorization', 'host', 'expect', 'connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade']);

// The client's headers less Authorization, x-amz-* and hop-by-hop ones; Host is s3rver's.
function forwardHeaders(headers, upstream, bodyLength) {
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		if (!NOT_FORWARDED.has(name) && !name.startsWith('x-amz-')) out[name] = value;
	}
	out.host = upstream;
	if (bodyLength !== null) {
		delete out['transfer-encoding'];
		out['content-length'] = String(bodyLength);
	}
	return out;
}

function upstreamRequest(cfg, method, path, headers) {
	const [host, port] = splitHostPort(cfg.upstream);
	return http.request({ host, port, method, path, headers });
}

// s3rver answers "bytes=-N" with the first N+1 bytes: ask it for the object's size and turn the
// suffix range into the explicit one S3 would serve.
function fixSuffixRange(cfg, req, target) {
	const m = /^bytes=-(\d+)$/.exec(String(req.headers.range || '').trim());
	if (req.method !== 'GET' || !m || Number(m[1]) === 0) return Promise.resolve(req.headers.range);
	return new Promise((resolve) => {
		const head = upstreamRequest(cfg, 'HEAD', target.upstreamPath, { host: cfg.upstream });
		head.on('response', (res) => {
			res.resume();
			const size = Number(res.headers['content-length']);
			if (res.statusCode !== 200 || !(size > 0)) return resolve(req.headers.range);
			resolve(`bytes=${Math.max(0, size - Number(m[1]))}-${size - 1}`);
		});
		head.on('error', () => resolve(req.headers.range));
		head.end();
	});
}

function whenFlushed(socket) {
	return new Promise((resolve) => {
		if (!socket || socket.destroyed || socket.writableLength === 0) return resolve();
		socket.once('drain', resolve);
		socket.once('close', resolve);
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function writeChunk(res, data) {
	return new Promise((resolve) => {
		if (res.destroyed || data.length === 0) return resolve();
		const onClose = () => resolve();
		res.once('close', onClose);
		res.write(data, () => { res.off('close', onClose); resolve(); });
	});
}

// Copies the upstream body to the client: at most `limit` bytes when given, paced at
// bytesPerSec when given. Returns 'done', 'cut' (the limit was reached first) or 'gone'.
async function relayBody(src, res, entry, limit, bytesPerSec) {
	for await (const chunk of src) {
		let data = chunk;
		if (limit !== null) data = data.subarray(0, Math.max(0, limit - entry.bytesSent));
		const slice = bytesPerSec ? Math.max(1, Math.floor(bytesPerSec / 20)) : data.length;
		for (let off = 0; off < data.length; off += slice) {
			const part = data.subarray(off, off + slice);
			await writeChunk(res, part);
			entry.bytesSent += part.length;
			if (bytesPerSec) await sleep((part.length / bytesPerSec) * 1000);
			if (res.destroyed) return 'gone';
		}
		if (limit !== null && entry.bytesSent >= limit) return 'cut';
	}
	return 'done';
}

// Sends the request to s3rver and the answer back, applying a forwarding fault if any.
function forward(cfg, req, res, target, body, fault, entry) {
	return new Promise((resolve) => {
		fixSuffixRange(cfg, req, target).then((range) => {
			const headers = forwardHeaders(req.headers, cfg.upstream, body ? body.length : null);
			if (range !== undefined) headers.range = range;
			const up = upstreamRequest(cfg, req.method, target.upstreamPath, headers);
			let answered = false;
			res.on('close', () => { if (!res.writableFinished) up.destroy(); });
			up.on('error', (err) => {
				if (answered) return;	// a body cut short is handled where it is relayed
				answered = true;
				entry.error = err.message;
				if (!res.headersSent) sendError(res, s3Error(502, 'BadGateway', `upstream: ${err.message}`));
				else res.destroy();
				resolve();
			});
			up.on('response', async (upRes) => {
				answered = true;
				const outHeaders = { ...upRes.headers };
				for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete outHeaders[h];
				if (fault && fault.kind === 'etag') outHeaders.etag = /^(W\/)?"/.test(fault.etag) ? fault.etag : `"${fault.etag}"`;
				if (ifMatchFails(req, upRes.statusCode, outHeaders.etag)) {
					upRes.resume();
					entry.code = 'PreconditionFailed';
					sendError(res, s3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold',
						{ Condition: 'If-Match' }));
					return resolve();
				}
				res.writeHead(upRes.statusCode, outHeaders);
				res.flushHeaders();
				const cutting = fault && (fault.kind === 'reset' || fault.kind === 'truncate');
				const limit = cutting ? fault.after_bytes : null;
				const pace = fault && fault.kind === 'throttle' ? fault.bytes_per_sec : null;
				let how;
				try {
					how = await relayBody(upRes, res, entry, limit, pace);
				} catch (err) {	// s3rver went away mid-body: so does the client's answer
					entry.error = err.message;
					how = 'gone';
					res.destroy();
				}
				if (how === 'cut') await cutConnection(res, fault.kind);
				else if (how === 'done') res.end();
				resolve();
			});
			if (body) up.end(body);
			else req.pipe(up);
		});
	});
}

// s3rver ignores If-Match; S3 answers 412 when no listed ETag is the object's ('*': any).
function ifMatchFails(req, status, etag) {
	const wanted = req.headers['if-match'];
	if (wanted === undefined || (status !== 200 && status !== 206)) return false;
	const bare = (t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
	return !wanted.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag || ''));
}

// reset: the socket is destroyed with a TCP RST (a client that had not read all it was sent
// loses the rest, as with a real reset); truncate: closed cleanly (FIN), exactly after_bytes.
async function cutConnection(res, kind) {
	const socket = res.socket;
	if (!socket) return;
	await whenFlushed(socket);
	if (kind === 'reset') socket.resetAndDestroy();
	else socket.end();
}

/* ---------------------------------------------------------------- the S3 listener */

function logEntry(req, target) {
	return {
		time: new Date().toISOString(), method: req.method, bucket: target ? target.bucket : null,
		key: target ? target.key : null, query: target ? target.rawQuery : null, range: req.headers.range || null,
		status: null, code: null, authOk: false, accessKey: null, bytesSent: 0, fault: null, ms: null, error: null,
	};
}

function record(state, entry) {
	state.log.push(entry);
	if (state.log.length > LOG_LIMIT) state.log.splice(0, state.log.length - LOG_LIMIT);
}

function writeLog(state, entry) {
	if (state.logFd !== null) fs.writeSync(state.logFd, JSON.stringify(entry) + '\n');
}

function finish(state, entry, res, started) {
	if (entry.ms !== null) return;
	entry.ms = Date.now() - started;
	if (entry.status === null) entry.status = res.headersSent ? res.statusCode : 0;
	writeLog(state, entry);
}

async function handleS3(cfg, state, req, res) {
	const started = Date.now();
	let target = null;
	try { target = parseTarget(req, cfg); } catch (e) { /* a malformed escape in the path */ }
	const entry = logEntry(req, target);
	record(state, entry);
	res.on('close', () => finish(state, entry, res, started));
	const resource = target && '/' + target.bucket + (target.key ? '/' + target.key : '');
	const fail = (err) => { entry.code = err.code; sendError(res, err, resource); };
	const badUri = s3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
	if (!target) return fail(badUri);

	let auth;
	try {
		auth = authenticate(req, target, cfg);
	} catch (e) {	// a malformed escape in the query
		return fail(badUri);
	}
	if (auth.error) return fail(auth.error);
	entry.authOk = true;
	entry.accessKey = auth.cred ? auth.cred.accessKey : null;

	let body = null;
	if (auth.payloadHash && auth.payloadHash !== UNSIGNED_PAYLOAD && hasBody(req)) {
		body = await readBody(req);
		const computed = sha256hex(body);
		if (computed !== auth.payloadHash) {
			return fail(s3Error(400, 'XAmzContentSHA256Mismatch',
				"The provided 'x-amz-content-sha256' header does not match what was computed.",
				{ ClientComputedContentSHA256: auth.payloadHash, S3ComputedContentSHA256: computed }));
		}
	}

	const fault = takeFault(state.rules, req, target);
	entry.fault = fault ? fault.kind : null;
	if (fault && fault.kind === 'hang') return;	// never answer; the client gives up
	if (fault && fault.kind === 'status') {
		req.resume();
		const [code, message] = INJECTED[fault.status] || ['InjectedFault', 'Injected fault.'];
		return fail(s3Error(fault.status, fault.code || code, fault.message || message));
	}
	if (fault && fault.kind === 'delay') await sleep(fault.ms);
	if (res.destroyed) return;
	await forward(cfg, req, res, target, body, fault, entry);
}

function sendJson(res, status, value) {
	const body = JSON.stringify(value);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

async function handleControl(state, req, res) {
	const path = req.url.split('?')[0];
	if (path === '/__front/health') return sendJson(res, 200, { ok: true });
	if (path === '/__front/log' && req.method === 'GET') return sendJson(res, 200, state.log);
	if (path === '/__front/log' && req.method === 'DELETE') { state.log.length = 0; return sendJson(res, 200, { cleared: true }); }
	if (path === '/__front/faults' && req.method === 'GET') return sendJson(res, 200, state.rules);
	if (path === '/__front/faults' && req.method === 'DELETE') { state.rules.length = 0; return sendJson(res, 200, { cleared: true }); }
	if (path === '/__front/faults' && req.method === 'POST') {
		try {
			const rules = parseRules(JSON.parse((await readBody(req)).toString('utf8')));
			state.rules.push(...rules);
			return sendJson(res, 200, { added: rules.length, rules: state.rules.length });
		} catch (e) {
			return sendJson(res, 400, { error: e.message });
		}
	}
	return sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
}

function s3Server(cfg, state) {
	const server = http.createServer((req, res) => {
		const handler = req.url.startsWith('/__front/') ? handleControl(state, req, res) : handleS3(cfg, state, req, res);
		handler.catch((err) => {
			process.stderr.write(`front: ${err.stack}\n`);
			if (!res.headersSent) sendError(res, s3Error(500, 'InternalError', 'front.js: ' + err.message));
			else res.destroy();
		});
	});
	server.requestTimeout = 0;	// slow uploads and hung answers are the point here
	return server;
}

/* ---------------------------------------------------------------- IMDSv2 mock */

const IMDS_ROLE = 'forensic-role';

function imdsServer(cfg, state) {
	const tokens = new Map();	// token -> expiry (ms)
	return http.createServer((req, res) => {
		const started = Date.now();
		const path = req.url.split('?')[0];
		const reply = (status, body, headers = {}) => {
			res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...headers });
			res.end(body);
			const entry = { time: new Date(started).toISOString(), imds: true, method: req.method, path, status, ms: Date.now() - started };
			record(state, entry);
			writeLog(state, entry);
		};
		req.resume();
		if (path === '/latest/api/token') {
			if (req.method !== 'PUT') return reply(405, 'Method Not Allowed');
			const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
			if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return reply(400, 'Bad Request');
			const token = crypto.randomBytes(40).toString('base64');
			tokens.set(token, Date.now() + ttl * 1000);
			return reply(200, token, { 'X-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method Not Allowed');
		const token = req.headers['x-aws-ec2-metadata-token'];
		if (!token || !(tokens.get(token) > Date.now())) return reply(401, 'Unauthorized');
		const base = '/latest/meta-data/iam/security-credentials';
		if (path === base || path === base + '/') return reply(200, IMDS_ROLE);
		if (path === `${base}/${IMDS_ROLE}`) {
			const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
			const c = cfg.imdsCredentials;
			return reply(200, JSON.stringify({
				Code: 'Success', LastUpdated: iso(Date.now()), Type: 'AWS-HMAC', AccessKeyId: c.accessKey,
				SecretAccessKey: c.secret, Token: c.token, Expiration: iso(Date.now() + 6 * 3600 * 1000),
			}, null, 2), { 'Content-Type': 'application/json' });
		}
		return reply(404, 'Not Found');
	});
}

/* ---------------------------------------------------------------- command line */

function splitHostPort(s) {
	const i = s.lastIndexOf(':');
	if (i < 0) throw new Error(`expected HOST:PORT, got ${s}`);
	return [s.slice(0, i), Number(s.slice(i + 1))];
}

function parseCredential(s) {
	const [accessKey, secret, ...rest] = s.split(':');
	if (!accessKey || !secret) throw new Error(`expected AKID:SECRET[:TOKEN], got ${s}`);
	return { accessKey, secret, token: rest.length ? rest.join(':') : undefined };
}

function parseArgs(argv) {
	const cfg = { credentials: new Map(), region: 'us-east-1', imdsCredentials: null };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[++i];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		switch (flag) {
		case '--listen': cfg.listen = value; break;
		case '--upstream': cfg.upstream = value; break;
		case '--region': cfg.region = value; break;
		case '--credentials': { const c = parseCredential(value); cfg.credentials.set(c.accessKey, c); break; }
		case '--public-bucket': cfg.publicBucket = value; break;
		case '--virtual-suffix': cfg.virtualSuffix = value; break;
		case '--imds-listen': cfg.imdsListen = value; break;
		case '--imds-credentials': cfg.imdsCredentials = parseCredential(value); break;
		case '--log': cfg.log = value; break;
		case '--exit-with': cfg.exitWith = Number(value); break;
		case '--kill-on-exit': cfg.killOnExit = Number(value); break;
		default: throw new Error(`unknown option ${flag}`);
		}
	}
	if (!cfg.listen || !cfg.upstream) throw new Error('--listen and --upstream are required');
	if (cfg.imdsListen && !(cfg.imdsCredentials && cfg.imdsCredentials.token)) {
		throw new Error('--imds-listen needs --imds-credentials AKID:SECRET:TOKEN');
	}
	if (cfg.imdsCredentials) cfg.credentials.set(cfg.imdsCredentials.accessKey, cfg.imdsCredentials);
	return cfg;
}

function listen(server, hostPort) {
	const [host, port] = splitHostPort(hostPort);
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(server.address().port));
	});
}

// Exits on SIGTERM/SIGINT or when --exit-with's process is gone, taking --kill-on-exit's along.
function exitHandling(cfg) {
	const quit = () => {
		if (cfg.killOnExit) { try { process.kill(cfg.killOnExit, 'SIGTERM'); } catch (e) { /* already gone */ } }
		process.exit(0);
	};
	process.on('SIGTERM', quit);
	process.on('SIGINT', quit);
	if (cfg.exitWith) {
		setInterval(() => {
			try { process.kill(cfg.exitWith, 0); } catch (e) { quit(); }
		}, 500).unref();
	}
}

async function main() {
	let cfg;
	try {
		cfg = parseArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`front.js: ${e.message}\n`);
		process.exit(2);
	}
	const state = { rules: [], log: [], logFd: cfg.log ? fs.openSync(cfg.log, 'a') : null };
	exitHandling(cfg);
	const frontPort = await listen(s3Server(cfg, state), cfg.listen);
	const imdsPort = cfg.imdsListen ? await listen(imdsServer(cfg, state), cfg.imdsListen) : 0;
	process.stdout.write(`ready front=${frontPort} imds=${imdsPort}\n`);
}

module.exports = {
	sha256hex, uriEncode, canonicalUri, canonicalQuery, canonicalHeaders,
	canonicalRequest, credentialScope, stringToSign, signingKey, signatureOf, signRequest,
	parseAuthorization, parseRules, takeFault,
};

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`front.js: ${e.stack}\n`);
		process.exit(1);
	});
}
