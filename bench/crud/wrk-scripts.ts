/**
 * The wrk Lua scripts of the CRUD benchmark, one per operation. Each wrk thread seeds its own
 * random numbers (setup numbers the threads), so the threads do not request the same ids in step.
 */
import { FAMILIES, patient, SEARCH_PATIENTS, transactionBundle, UPDATE_PATIENTS } from './workload.js';

/** A Lua long string: JSON never contains the closing bracket. */
const luaString = (text: string) => `[==[${text}]==]`;

const THREAD_SEEDS = `
local threadCount = 0
setup = function(thread)
  threadCount = threadCount + 1
  thread:set("threadId", threadCount)
end
init = function(args)
  math.randomseed(threadId * 7919)
end
`;

const FHIR_HEADERS = `wrk.headers["Content-Type"] = "application/fhir+json"`;

export const CREATE_BODY = patient(1, 'Newborn');

export function createScript(): string {
  return `wrk.method = "POST"\nwrk.path = "/fhir/Patient"\n${FHIR_HEADERS}\nwrk.body = ${luaString(JSON.stringify(CREATE_BODY))}\n`;
}

export function readScript(): string {
  return `${THREAD_SEEDS}
request = function()
  return wrk.format("GET", "/fhir/Patient/crud-" .. math.random(0, ${SEARCH_PATIENTS - 1}))
end
`;
}

export function searchScript(): string {
  return `${THREAD_SEEDS}
request = function()
  return wrk.format("GET", string.format("/fhir/Patient?family=Family%03d&_count=10", math.random(0, ${FAMILIES - 1})))
end
`;
}

/** The update body of upd-N: the seeded resource unchanged but for __ID__ (family stays Updated). */
export const UPDATE_TEMPLATE = JSON.stringify({ ...patient(7, 'Updated'), id: '__ID__' });

export function updateScript(): string {
  return `${THREAD_SEEDS}
local template = ${luaString(UPDATE_TEMPLATE)}
local headers = { ["Content-Type"] = "application/fhir+json", ["Authorization"] = wrk.headers["Authorization"] }
request = function()
  local id = "upd-" .. math.random(0, ${UPDATE_PATIENTS - 1})
  return wrk.format("PUT", "/fhir/Patient/" .. id, headers, (template:gsub("__ID__", id)))
end
`;
}

export const TRANSACTION_BODY = transactionBundle(1, 'Bundled');

export function transactionScript(): string {
  return `wrk.method = "POST"\nwrk.path = "/fhir"\n${FHIR_HEADERS}\nwrk.body = ${luaString(JSON.stringify(TRANSACTION_BODY))}\n`;
}
