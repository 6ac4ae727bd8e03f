/**
 * The Redis store's Lua scripts. Each runs atomically on the server (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/),
 * which is what makes "append, trim and announce", "store once and queue" and "claim with a
 * lease" safe between replicas. Times come from the server's `TIME`, so replicas whose clocks
 * disagree still agree on leases and ages. Some scripts reach keys they compute themselves
 * (streams dropped by a byte budget), so the store needs one Redis primary, not Redis Cluster
 * (docs/deploy.md, "Redis").
 */

const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** Adds jobs unless their id is queued or dead already. jobs, due, dead = keys[1..3]. */
const ADD_JOBS = `
local function add_jobs(jobs, due, dead, now, args, from)
  local added = 0
  for i = from, #args, 2 do
    local id = args[i]
    if redis.call('HEXISTS', jobs, id) == 0 and redis.call('HEXISTS', dead, id) == 0 then
      redis.call('HSET', jobs, id, cjson.encode({ p = args[i + 1], a = 0, l = '' }))
      redis.call('ZADD', due, now, id)
      added = added + 1
    end
  end
  return added
end
`;

/**
 * KEYS: stream, dedupe hash, meta hash, seq counter[, budget zset, budget bytes hash, budget
 * total]. ARGV: maxLength, maxAgeMs, maxBytes, budget bytes (-1: none), channel, logical key,
 * stream prefix, dedupe prefix, meta prefix, then value / dedupe id pairs ('' for none).
 * Returns { now, id1, input index1, id2, input index2, ... } of the entries appended and kept.
 */
export const STREAM_APPEND = `${NOW}
local stream, dedupe, meta, seqKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local maxLen, maxAge, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local budget = tonumber(ARGV[4])
local channel, logical = ARGV[5], ARGV[6]
local sPrefix, dPrefix, mPrefix = ARGV[7], ARGV[8], ARGV[9]
local now = now_ms()
local added = 0
local appended = {}
for i = 10, #ARGV, 2 do
  local value, did = ARGV[i], ARGV[i + 1]
  if did == '' or redis.call('HEXISTS', dedupe, did) == 0 then
    local seq = redis.call('INCR', seqKey)
    redis.call('XADD', stream, seq .. '-0', 'v', value, 'd', did, 't', now, 'b', #value)
    if did ~= '' then redis.call('HSET', dedupe, did, seq) end
    added = added + #value
    appended[#appended + 1] = { seq, value, (i - 10) / 2 }
  end
end
local bytes = tonumber(redis.call('HGET', meta, 'bytes') or '0') + added
local len = redis.call('XLEN', stream)
local lowest = 0
while len > 0 do
  local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
  local f = {}
  for j = 1, #oldest[2], 2 do f[oldest[2][j]] = oldest[2][j + 1] end
  if len > maxLen or bytes > maxBytes or now - tonumber(f.t) > maxAge then
    redis.call('XDEL', stream, oldest[1])
    if f.d ~= '' then redis.call('HDEL', dedupe, f.d) end
    bytes = bytes - tonumber(f.b)
    len = len - 1
  else
    lowest = tonumber(string.match(oldest[1], '^(%d+)'))
    break
  end
end
redis.call('HSET', meta, 'bytes', bytes)
for _, key in ipairs({ stream, dedupe, meta }) do redis.call('PEXPIRE', key, maxAge) end

if budget >= 0 then
  local zset, sizes, totalKey = KEYS[5], KEYS[6], KEYS[7]
  local before = tonumber(redis.call('HGET', sizes, logical) or '0')
  redis.call('HSET', sizes, logical, bytes)
  redis.call('ZADD', zset, now, logical)
  local total = tonumber(redis.call('GET', totalKey) or '0') + bytes - before
  local function drop(member)
    total = total - tonumber(redis.call('HGET', sizes, member) or '0')
    redis.call('HDEL', sizes, member)
    redis.call('ZREM', zset, member)
    redis.call('DEL', sPrefix .. member, dPrefix .. member, mPrefix .. member)
  end
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', zset, '-inf', now - maxAge)) do
    if member ~= logical then drop(member) end
  end
  while total > budget do
    local member = redis.call('ZRANGE', zset, 0, 0)[1]
    if not member or member == logical then break end
    drop(member)
  end
  redis.call('SET', totalKey, total)
end

local result = { tostring(now) }
for _, entry in ipairs(appended) do
  if len > 0 and entry[1] >= lowest then
    local id = tostring(entry[1])
    redis.call('PUBLISH', channel, cjson.encode({ id = id, key = logical, value = entry[2], at = now }))
    result[#result + 1] = id
    result[#result + 1] = entry[3]
  end
end
return result
`;

/** KEYS: value, [jobs, due, dead]. ARGV: value, ttl ms ('' none), then job id / payload pairs. */
export const PUT_IF_ABSENT = `${NOW}${ADD_JOBS}
local ok
if ARGV[2] == '' then
  ok = redis.call('SET', KEYS[1], ARGV[1], 'NX')
else
  ok = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
end
if not ok then return 0 end
if #KEYS == 4 then add_jobs(KEYS[2], KEYS[3], KEYS[4], now_ms(), ARGV, 3) end
return 1
`;

/** KEYS: counter. ARGV: by, ttl ms ('' none). The ttl is set when the counter has none. */
export const INCREMENT = `
local value = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
`;

/** KEYS: hash. ARGV: ttl ms ('' none: the expiry is left as it is), then field / value pairs. */
export const HASH_SET = `
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
if ARGV[1] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1
`;

/** KEYS: jobs, due, dead. ARGV: job id / payload pairs. */
export const QUEUE_ADD = `${NOW}${ADD_JOBS}
return add_jobs(KEYS[1], KEYS[2], KEYS[3], now_ms(), ARGV, 1)
`;

/** KEYS: jobs, due. ARGV: max, lease ms, lease prefix. Returns { id, payload, attempts, lease }s. */
export const QUEUE_CLAIM = `${NOW}
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', KEYS[1], id)
  if raw then
    local job = cjson.decode(raw)
    job.a = job.a + 1
    job.l = ARGV[3] .. '/' .. job.a
    redis.call('HSET', KEYS[1], id, cjson.encode(job))
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
    out[#out + 1] = { id, job.p, job.a, job.l }
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
`;

const HELD = `
local function held(jobs, id, lease)
  local raw = redis.call('HGET', jobs, id)
  if not raw then return nil end
  local job = cjson.decode(raw)
  if job.l ~= lease then return nil end
  return job
end
`;

/** KEYS: jobs, due[, record hash]. ARGV: id, lease[, field, value, ttl ms ('' none)]. */
export const QUEUE_COMPLETE = `${HELD}
if not held(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if #KEYS == 3 then
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[3], ARGV[5]) end
end
return 1
`;

/** KEYS: jobs, due. ARGV: id, lease, delay ms. */
export const QUEUE_RETRY = `${NOW}${HELD}
local job = held(KEYS[1], ARGV[1], ARGV[2])
if not job then return 0 end
job.l = ''
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(job))
redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[3]), ARGV[1])
return 1
`;

/** KEYS: jobs, due, dead. ARGV: id, lease, reason. */
export const QUEUE_BURY = `${NOW}${HELD}
local job = held(KEYS[1], ARGV[1], ARGV[2])
if not job then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], cjson.encode({ p = job.p, a = job.a, r = ARGV[3], t = now_ms() }))
return 1
`;

/** KEYS: jobs, due, dead. ARGV: ids (none: every dead job). */
export const QUEUE_REPLAY = `${NOW}
local ids = ARGV
if #ids == 0 then ids = redis.call('HKEYS', KEYS[3]) end
local now = now_ms()
local moved = 0
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', KEYS[3], id)
  if raw then
    local dead = cjson.decode(raw)
    redis.call('HSET', KEYS[1], id, cjson.encode({ p = dead.p, a = 0, l = '' }))
    redis.call('ZADD', KEYS[2], now, id)
    redis.call('HDEL', KEYS[3], id)
    moved = moved + 1
  end
end
return moved
`;

/** KEYS: due. Returns ms until the first job is due (0: now), or -1 when the queue is empty. */
export const QUEUE_NEXT_DUE = `${NOW}
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return -1 end
local wait = tonumber(first[2]) - now_ms()
if wait < 0 then return 0 end
return wait
`;
