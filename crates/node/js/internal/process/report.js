'use strict';
// process.report: Node's diagnostic report as a JSON object (getReport) or a file
// (writeReport). Sections describe the engine ferro runs on where Node's describe V8 and
// libuv; packages read mostly the header (detect-libc reads glibcVersionRuntime).

const codes = require('internal/lazy_codes');
const native = internalBinding('process');

const REPORT_VERSION = 5;
const settings = {
  directory: '',
  filename: '',
  compact: false,
  excludeNetwork: false,
  signal: 'SIGUSR2',
  reportOnFatalError: false,
  reportOnSignal: false,
  reportOnUncaughtException: false,
  excludeEnv: false,
};

function validateError(err) {
  if (err !== undefined && (err === null || typeof err !== 'object')) {
    throw new codes.ERR_INVALID_ARG_TYPE('err', 'Object', err);
  }
}

// "at f (file:1:2)" lines of a stack, without the message.
function stackFrames(stack) {
  return String(stack).split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
}

function javascriptStack(err) {
  if (err === undefined) {
    const synthetic = new codes.ERR_SYNTHETIC();
    return {
      message: `Error [ERR_SYNTHETIC]: ${synthetic.message}`,
      stack: stackFrames(synthetic.stack).slice(1),
      errorProperties: { code: 'ERR_SYNTHETIC' },
    };
  }
  const errorProperties = {};
  for (const key of Object.keys(err)) errorProperties[key] = String(err[key]);
  const stack = typeof err.stack === 'string' ? err.stack : '';
  const firstFrame = stack.search(/\n\s+at /);
  return {
    message: firstFrame === -1 ? (stack || String(err)) : stack.slice(0, firstFrame),
    stack: stackFrames(stack),
    errorProperties,
  };
}

// YYYYMMDD.HHMMSS in local time, as in Node's report file names.
function fileStamp(date) {
  const two = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}.` +
    `${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

function cpuSeconds(usage, uptime) {
  const user = usage.user / 1e6;
  const kernel = usage.system / 1e6;
  const percent = (seconds) => Number(((seconds / Math.max(uptime, 1e-9)) * 100).toFixed(4));
  return {
    userCpuSeconds: user,
    kernelCpuSeconds: kernel,
    cpuConsumptionPercent: percent(user + kernel),
    userCpuConsumptionPercent: percent(user),
    kernelCpuConsumptionPercent: percent(kernel),
  };
}

const LIMITS = [
  ['core_file_size_blocks', 'core'],
  ['data_seg_size_bytes', 'data'],
  ['file_size_blocks', 'fsize'],
  ['max_locked_memory_bytes', 'memlock'],
  ['max_memory_size_bytes', 'rss'],
  ['open_files', 'nofile'],
  ['stack_size_bytes', 'stack'],
  ['cpu_time_seconds', 'cpu'],
  ['max_user_processes', 'nproc'],
  ['virtual_memory_bytes', 'as'],
];

function userLimits() {
  const limits = {};
  const show = (value) => (value === -1 ? 'unlimited' : value);
  for (const [name, resource] of LIMITS) {
    const [soft, hard] = native.resourceLimit(resource);
    limits[name] = { soft: show(soft), hard: show(hard) };
  }
  return limits;
}

function header(event, trigger, filename, now) {
  const os = require('os');
  const header = {
    reportVersion: REPORT_VERSION,
    event,
    trigger,
    filename,
    dumpEventTime: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    dumpEventTimeStamp: String(now.getTime()),
    processId: process.pid,
    threadId: require('internal/worker/state').threadId ?? 0,
    cwd: process.cwd(),
    commandLine: [process.argv0 === process.execPath ? process.execPath : process.argv0, ...process.execArgv, ...process.argv.slice(1)],
    nodejsVersion: process.version,
    glibcVersionRuntime: native.glibcVersion(),
    glibcVersionCompiler: native.glibcVersion(),
    wordSize: 64,
    arch: process.arch,
    platform: process.platform,
    componentVersions: { ...process.versions },
    release: { ...process.release },
    osName: os.type(),
    osRelease: os.release(),
    osVersion: os.version(),
    osMachine: os.machine(),
    cpus: os.cpus().map(({ model, speed, times }) => ({ model, speed, ...times })),
  };
  if (!settings.excludeNetwork) {
    header.networkInterfaces = [];
    for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
      for (const { internal, mac, address, netmask, family, scopeid } of addresses) {
        const entry = { name, internal, mac, address, netmask, family };
        if (scopeid !== undefined) entry.scopeid = scopeid;
        header.networkInterfaces.push(entry);
      }
    }
  }
  header.host = os.hostname();
  return header;
}

function buildReport(event, trigger, filename, err) {
  const now = new Date();
  const uptime = process.uptime();
  const memory = process.memoryUsage();
  const usage = process.resourceUsage();
  const cpu = process.cpuUsage();
  const os = require('os');
  const report = {
    header: header(event, trigger, filename, now),
    javascriptStack: javascriptStack(err),
    javascriptHeap: {
      totalMemory: memory.heapTotal,
      usedMemory: memory.heapUsed,
      externalMemory: memory.external,
      availableMemory: process.availableMemory(),
      heapSpaces: {},
    },
    nativeStack: [],
    resourceUsage: {
      free_memory: os.freemem(),
      total_memory: os.totalmem(),
      rss: memory.rss,
      constrained_memory: process.constrainedMemory(),
      available_memory: process.availableMemory(),
      ...cpuSeconds(cpu, uptime),
      maxRss: usage.maxRSS * 1024,
      pageFaults: { IORequired: usage.majorPageFault, IONotRequired: usage.minorPageFault },
      fsActivity: { reads: usage.fsRead, writes: usage.fsWrite },
    },
    uvthreadResourceUsage: {
      ...cpuSeconds(process.threadCpuUsage(), uptime),
      fsActivity: { reads: usage.fsRead, writes: usage.fsWrite },
    },
    libuv: [],
    workers: [],
  };
  if (!settings.excludeEnv) report.environmentVariables = { ...process.env };
  report.userLimits = userLimits();
  report.sharedObjects = native.sharedObjects();
  return report;
}

function getReport(err) {
  validateError(err);
  return buildReport('JavaScript API', 'GetReport', null, err);
}

let sequence = 0;
function writeReport(file, err) {
  if (typeof file === 'object' && file !== null) {
    err = file;
    file = undefined;
  } else if (file !== undefined && typeof file !== 'string') {
    throw new codes.ERR_INVALID_ARG_TYPE('file', 'String', file);
  }
  validateError(err);
  sequence++;
  const name = file || settings.filename ||
    `report.${fileStamp(new Date())}.${process.pid}.0.${String(sequence).padStart(3, '0')}.json`;
  const path = require('path');
  const target = settings.directory && !path.isAbsolute(name) ? path.join(settings.directory, name) : name;
  const report = buildReport('JavaScript API', 'API', name, err);
  const text = settings.compact ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`;
  if (name === 'stdout' || name === 'stderr') {
    native.writeFd(name === 'stdout' ? 1 : 2, text);
    return name;
  }
  native.writeFd(2, `\nWriting Node.js report to file: ${name}\n`);
  try {
    require('fs').writeFileSync(target, text);
  } catch (error) {
    native.writeFd(2, `\nFailed to open Node.js report file: ${name} (errno: ${-error.errno})\n`);
    return '';
  }
  native.writeFd(2, 'Node.js report completed\n');
  return name;
}

const report = {
  writeReport,
  getReport,
};
for (const [key, check] of [
  ['directory', 'string'], ['filename', 'string'], ['compact', 'boolean'], ['excludeNetwork', 'boolean'],
  ['signal', 'string'], ['reportOnFatalError', 'boolean'], ['reportOnSignal', 'boolean'],
  ['reportOnUncaughtException', 'boolean'], ['excludeEnv', 'boolean'],
]) {
  Object.defineProperty(report, key, {
    enumerable: true,
    configurable: true,
    get: () => settings[key],
    set(value) {
      if (typeof value !== check) throw new codes.ERR_INVALID_ARG_TYPE(key, check, value);
      settings[key] = value;
    },
  });
}

module.exports = { report };
