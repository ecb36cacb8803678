/*
 * A stand-in for the `pulumi` CLI (the real one cannot be had on the test machine). The tests put it on PATH
 * as `pulumi`; it records every call and answers the commands the Automation API and `muni migrate` run as the
 * CLI does: the same arguments, exit codes, stderr texts the Automation API recognizes ("no stack named ...
 * found", "stack ... already exists"), the Pulumi.<stack>.yaml `stack init` writes under stackConfigDir, and
 * engine events streamed to the Automation API's gRPC events server (`--event-log tcp://...`, CLI > 3.205)
 * or written to the event log file. It runs no program: each stack's answers come from the scenario file.
 *
 * Environment: STANDIN_DIR (calls.jsonl, stacks.json, scenario.json), STANDIN_REPO (where node_modules is),
 * STANDIN_VERSION (what `pulumi version` prints).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.STANDIN_DIR;
const repo = process.env.STANDIN_REPO;
const argv = process.argv.slice(2);
const read = (f, d) =>
  fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) : d;
const write = (f, v) => fs.writeFileSync(path.join(dir, f), JSON.stringify(v, null, 2));
/**
 * Changes stacks.json under a lock: muni runs the unit stacks in parallel, and each call of the stand-in is
 * its own process, so a read-modify-write without the lock loses another process's `stack init`.
 */
const updateStacks = (change) => {
  const lock = path.join(dir, "stacks.lock");
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    const fresh = read("stacks.json", {});
    change(fresh);
    write("stacks.json", fresh);
  } finally {
    fs.rmdirSync(lock);
  }
};

fs.appendFileSync(
  path.join(dir, "calls.jsonl"),
  JSON.stringify({
    argv,
    cwd: process.cwd(),
    backend: process.env.PULUMI_BACKEND_URL,
    firstPath: (process.env.PATH || "").split(path.delimiter)[0],
    time: Date.now(),
  }) + "\n",
);

/** `--flag value` of the arguments. */
const flag = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
/** Flags that take a value. */
const VALUE_FLAGS = [
  "--stack",
  "--secrets-provider",
  "--source",
  "--dest",
  "--event-log",
  "--exec-kind",
  "--page-size",
  "--page",
  "--parallel",
  "--message",
  "--color",
  "--client",
];
const positional = argv.filter((a, i) => !a.startsWith("-") && !(i > 0 && VALUE_FLAGS.includes(argv[i - 1])));
const stacks = read("stacks.json", {});
const scenario = read("scenario.json", {});
const fail = (message, code = 255) => {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
};
const needStack = (name) => {
  if (!stacks[name]) fail(`no stack named '${name}' found`);
  return stacks[name];
};

/** Sends engine events where the Automation API listens, then calls back. */
function emit(events, done) {
  const log = flag("--event-log");
  if (!log) return done();
  const stamped = events.map((e, i) => ({ sequence: i + 1, timestamp: Math.floor(Date.now() / 1000), ...e }));
  if (!log.startsWith("tcp://")) {
    fs.appendFileSync(log, stamped.map((e) => JSON.stringify(e) + "\n").join(""));
    return done();
  }
  const grpc = require(path.join(repo, "node_modules", "@grpc", "grpc-js"));
  const services = require(
    path.join(repo, "node_modules", "@pulumi", "pulumi", "proto", "events_grpc_pb.js"),
  );
  const messages = require(path.join(repo, "node_modules", "@pulumi", "pulumi", "proto", "events_pb.js"));
  const client = new services.EventsClient(log.slice("tcp://".length), grpc.credentials.createInsecure());
  const call = client.streamEvents((err) => {
    client.close();
    if (err) fail(`event stream: ${err.message}`);
    done();
  });
  for (const e of stamped) call.write(new messages.EventRequest().setEvent(JSON.stringify(e)));
  call.end();
}

/** preview or up of a stack, as the scenario says: steps, then a summary, or a program error. */
function operation(kind) {
  const name = flag("--stack");
  const stack = needStack(name);
  const s = (scenario[name] || {})[kind] || {};
  const wait = s.delayMs || 0;
  setTimeout(() => {
    const project = "muni";
    const urn = (t, n) => `urn:pulumi:${name}::${project}::${t}::${n}`;
    // As the CLI does, the root stack resource first (a step even when nothing changes).
    const events = [
      { preludeEvent: { config: {} } },
      {
        resourcePreEvent: {
          metadata: {
            op: "same",
            urn: urn("pulumi:pulumi:Stack", `${project}-${name}`),
            type: "pulumi:pulumi:Stack",
            provider: "",
          },
        },
      },
    ];
    for (const st of s.steps || [])
      events.push({
        resourcePreEvent: {
          metadata: {
            op: st.op,
            urn: urn(st.type, st.name),
            type: st.type,
            provider: "",
            ...(st.diffs ? { diffs: st.diffs } : {}),
          },
        },
      });
    if (s.error) {
      events.push({ diagnosticEvent: { message: s.error + "\n", color: "never", severity: "error" } });
      return emit(events, () => fail("update failed", 255));
    }
    const changes = { same: s.same || 0, ...(s.changes || {}) };
    events.push({
      summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: changes, policyPacks: {} },
    });
    emit(events, () => {
      if (kind === "up")
        updateStacks((fresh) => {
          fresh[name].updates = (fresh[name].updates || 0) + 1;
          fresh[name].lastChanges = changes;
        });
      process.stdout.write(`${kind === "up" ? "Updating" : "Previewing update"} (${name})\n`);
      process.exit(0);
    });
  }, wait);
}

const [a, b] = argv;
if (a === "version") {
  process.stdout.write(`v${process.env.STANDIN_VERSION || "3.270.0"}\n`);
} else if (a === "stack" && b === "select") {
  needStack(flag("--stack"));
} else if (a === "stack" && b === "init") {
  const name = positional[2];
  const provider = flag("--secrets-provider") || "passphrase";
  let existed = false;
  updateStacks((fresh) => {
    existed = Boolean(fresh[name]);
    if (!existed) fresh[name] = { secretsProvider: provider, resources: [] };
  });
  if (existed) fail(`stack '${name}' already exists`);
  // As the CLI does: the stack's config file in the project's stackConfigDir, holding the secrets provider.
  const file = path.join(process.cwd(), "stacks", `Pulumi.${name}.yaml`);
  fs.writeFileSync(
    file,
    provider === "passphrase"
      ? "encryptionsalt: v1:c3RhbmQtaW4=:v1:AAAA:BBBB\n"
      : `secretsprovider: ${provider}\nencryptedkey: c3RhbmQtaW4ta2V5\n`,
  );
  process.stdout.write(`Created stack '${name}'\n`);
} else if (a === "stack" && b === "output") {
  const name = flag("--stack");
  needStack(name);
  const outputs = (scenario[name] || {}).outputs || {};
  const shown = argv.includes("--show-secrets");
  const masked = Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [
      k,
      !shown && (scenario[name].secretOutputs || []).includes(k) ? "[secret]" : v,
    ]),
  );
  process.stdout.write(JSON.stringify(masked, null, 4) + "\n");
} else if (a === "stack" && b === "history") {
  const st = needStack(flag("--stack"));
  const now = new Date().toISOString();
  process.stdout.write(
    JSON.stringify(
      st.updates
        ? [
            {
              version: st.updates,
              kind: "update",
              startTime: now,
              endTime: now,
              message: "",
              environment: {},
              config: {},
              result: "succeeded",
              resourceChanges: st.lastChanges,
            },
          ]
        : [],
    ) + "\n",
  );
} else if (a === "stack" && b === "export") {
  const st = needStack(flag("--stack"));
  const resources = st.resources.map((urn) => ({
    urn,
    custom: true,
    type: urn.split("::")[2].split("$").pop(),
  }));
  process.stdout.write(JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }) + "\n");
} else if (a === "state" && b === "move") {
  const source = needStack(flag("--source"));
  const destName = flag("--dest");
  const dest = needStack(destName);
  if (!argv.includes("--yes"))
    fail("--yes must be passed in to proceed when running in non-interactive mode");
  const urns = positional.slice(2);
  const found = urns.filter((u) => source.resources.includes(u));
  for (const u of urns.filter((u) => !found.includes(u)))
    process.stdout.write(`warning: Resource ${u} not found in source stack\n`);
  if (!found.length) fail("no resources found to move");
  // The component and its children (their URNs carry the component's type as parent type).
  const children = (u) => {
    const [, , type, name] = u.split("::");
    return source.resources.filter(
      (r) => r.split("::")[2].startsWith(`${type}$`) && r.split("::")[3].startsWith(`${name}-`),
    );
  };
  const moved = [...new Set(found.flatMap((u) => [u, ...children(u)]))];
  process.stdout.write(
    `Planning to move the following resources from ${flag("--source")} to ${destName}:\n\n`,
  );
  for (const u of moved) process.stdout.write(`  - ${u}\n`);
  source.resources = source.resources.filter((r) => !moved.includes(r));
  dest.resources.push(
    ...moved.map((u) => u.replace(`urn:pulumi:${flag("--source")}::`, `urn:pulumi:${destName}::`)),
  );
  updateStacks((fresh) => {
    fresh[flag("--source")].resources = source.resources;
    fresh[destName].resources = dest.resources;
  });
} else if (a === "preview") {
  operation("preview");
} else if (a === "up") {
  operation("up");
} else {
  fail(`the stand-in does not know "${argv.join(" ")}"`, 2);
}
