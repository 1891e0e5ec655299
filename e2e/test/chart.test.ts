/**
 * Golden facts of the Helm chart (charts/ml-connector): `helm template` with the chart's ci/*-values.yaml
 * and a few --set variations, asserted per rendered document. Offline; needs the Helm binary that
 * `make chart-check` builds into .infra/bin (the suite is skipped, saying so, when it is missing).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '@mlc/testkit';

const helm = path.join(repoRoot, '.infra', 'bin', 'helm');
const chart = path.join(repoRoot, 'charts', 'ml-connector');
const ci = (name: string) => path.join(chart, 'ci', `${name}-values.yaml`);
const skip = existsSync(helm)
  ? false
  : `no ${path.relative(repoRoot, helm)}: run \`make chart-check\` once to build it`;
const SERVICES = ['amazon-ingest', 'mapping', 'jde-poster', 'token-broker'];

interface Doc {
  kind: string;
  name: string;
  text: string;
}

/** Renders the chart and splits the stream into documents (kind, metadata.name and the YAML text). */
function render(valuesFiles: string[] = [], set: string[] = []): Doc[] {
  const args = ['template', 'mlc', chart, '--namespace', 'mlc', '--kube-version', '1.30.0'];
  for (const file of valuesFiles) args.push('--values', file);
  for (const pair of set) args.push('--set', pair);
  const out = execFileSync(helm, args, {
    encoding: 'utf8',
    env: {
      ...process.env,
      KUBECONFIG: '/dev/null',
      HELM_CONFIG_HOME: path.join(repoRoot, '.infra', 'helm', 'config'),
    },
  });
  return out
    .split(/^---\s*$/m)
    .map((text) => text.trim())
    .filter((text) => /^kind:/m.test(text))
    .map((text) => ({
      kind: /^kind: (\S+)/m.exec(text)?.[1] ?? '',
      name: /^metadata:\n(?: {2}.*\n)*? {2}name: (\S+)/m.exec(text)?.[1] ?? '',
      text,
    }));
}

const ofKind = (docs: Doc[], kind: string) => docs.filter((doc) => doc.kind === kind);
const named = (docs: Doc[], kind: string, name: string) => {
  const doc = docs.find((d) => d.kind === kind && d.name === name);
  assert.ok(doc, `${kind} ${name} is rendered`);
  return doc;
};
const annotation = (doc: Doc, key: string) => new RegExp(`^ +${key}: (\\S+)$`, 'm').exec(doc.text)?.[1];
/** The text of the first block `key:` at any depth, up to the next line indented as much or less. */
function block(doc: Doc, key: string): string {
  const match = new RegExp(`^( *)(?:- )?${key}:\\n`, 'm').exec(doc.text);
  assert.ok(match, `${doc.kind} ${doc.name} has ${key}`);
  const rest = doc.text.slice(match.index + match[0].length).split('\n');
  const indent = (match[1] ?? '').length;
  const end = rest.findIndex((line) => line.trim() !== '' && line.search(/\S/) <= indent);
  return rest.slice(0, end === -1 ? undefined : end).join('\n');
}

describe('helm chart charts/ml-connector', { skip }, () => {
  const defaults = render([ci('default')]);
  const prodLike = render([ci('prod-like')]);
  const existing = render([ci('existing-secrets')]);
  const podOwners = (docs: Doc[]) => [...ofKind(docs, 'Deployment'), ...ofKind(docs, 'Job')];

  it('renders one Deployment and one Service per service, named after it', () => {
    for (const service of SERVICES) {
      named(defaults, 'Deployment', `mlc-ml-connector-${service}`);
      named(defaults, 'Service', `mlc-ml-connector-${service}`);
    }
    assert.equal(ofKind(defaults, 'Deployment').length, SERVICES.length);
  });

  it('runs every pod as uid 10001, non-root, with a read-only root filesystem and an emptyDir /tmp', () => {
    for (const docs of [defaults, prodLike, existing]) {
      for (const doc of podOwners(docs)) {
        const label = `${doc.kind} ${doc.name}`;
        assert.match(doc.text, /^ {6,}runAsNonRoot: true$/m, `${label}: runAsNonRoot`);
        assert.match(doc.text, /^ {6,}runAsUser: 10001$/m, `${label}: runAsUser`);
        assert.match(doc.text, /^ +readOnlyRootFilesystem: true$/m, `${label}: readOnlyRootFilesystem`);
        assert.match(doc.text, /^ +allowPrivilegeEscalation: false$/m, `${label}: no privilege escalation`);
        assert.match(doc.text, /capabilities:\n +drop:\n +- ALL/, `${label}: drops all capabilities`);
        assert.match(doc.text, /- name: tmp\n +mountPath: \/tmp/, `${label}: mounts /tmp`);
        assert.match(doc.text, /- name: tmp\n +emptyDir:/, `${label}: /tmp is an emptyDir`);
        assert.match(doc.text, /automountServiceAccountToken: false/, `${label}: no API token`);
      }
    }
  });

  it('probes liveness on /healthz (gRPC for the token-broker) and readiness on /readyz of the admin port', () => {
    for (const service of SERVICES) {
      const doc = named(defaults, 'Deployment', `mlc-ml-connector-${service}`);
      assert.match(
        block(doc, 'readinessProbe'),
        /httpGet:\n +path: \/readyz\n +port: admin/,
        `${service} readiness`,
      );
      const liveness = block(doc, 'livenessProbe');
      if (service === 'token-broker') {
        assert.match(liveness, /grpc:\n +port: 50051/, 'token-broker liveness is a native gRPC probe');
        assert.match(block(doc, 'startupProbe'), /grpc:\n +port: 50051/);
        assert.match(doc.text, /- name: grpc\n +containerPort: 50051/);
      } else {
        assert.match(liveness, /httpGet:\n +path: \/healthz\n +port: admin/, `${service} liveness`);
        // A restarted consumer waits out the group's rebalance before it listens (chaos test).
        assert.match(
          block(doc, 'startupProbe'),
          /httpGet:\n +path: \/healthz\n +port: admin\n +periodSeconds: 2\n +failureThreshold: 60/,
          `${service} startup`,
        );
      }
    }
    const ports = SERVICES.map(
      (s) =>
        /- name: admin\n +containerPort: (\d+)/.exec(
          named(defaults, 'Deployment', `mlc-ml-connector-${s}`).text,
        )?.[1],
    );
    assert.deepEqual(ports, ['9401', '9402', '9403', '9404']);
  });

  it('has a deny-by-default NetworkPolicy per service that allows only what it needs', () => {
    const policies = ofKind(defaults, 'NetworkPolicy');
    for (const service of [...SERVICES, 'setup']) {
      const policy = named(policies, 'NetworkPolicy', `mlc-ml-connector-${service}`);
      assert.match(
        policy.text,
        /policyTypes:\n +- Ingress\n +- Egress/,
        `${service} restricts both directions`,
      );
      assert.match(policy.text, /port: 53/, `${service} may resolve names`);
      assert.match(policy.text, /port: 27017/, `${service} may reach MongoDB`);
    }
    const egress = (service: string) =>
      block(named(policies, 'NetworkPolicy', `mlc-ml-connector-${service}`), 'egress');
    assert.match(egress('amazon-ingest'), /port: 443/, 'amazon-ingest reaches Amazon');
    assert.doesNotMatch(egress('mapping'), /port: 443/, 'mapping reaches neither Amazon nor AIS');
    assert.doesNotMatch(egress('mapping'), /port: 50051/, 'mapping does not call the token-broker');
    for (const service of ['amazon-ingest', 'jde-poster']) {
      assert.match(
        egress(service),
        /port: 50051\n +to:\n +- podSelector:[\s\S]*component: token-broker/,
        `${service} → token-broker`,
      );
    }
    for (const service of ['amazon-ingest', 'mapping', 'jde-poster', 'setup']) {
      assert.match(egress(service), /port: 9092/, `${service} reaches Kafka`);
    }
    assert.doesNotMatch(egress('token-broker'), /port: 9092/, 'the token-broker does not use Kafka');
    const brokerIngress = block(named(policies, 'NetworkPolicy', 'mlc-ml-connector-token-broker'), 'ingress');
    assert.match(
      brokerIngress,
      /port: 50051\n +from:[\s\S]*- amazon-ingest\n +- jde-poster/,
      'gRPC only from clients',
    );
    // With explicit peers the AIS Server is reachable only at its ipBlock.
    const prodPoster = named(prodLike, 'NetworkPolicy', 'mlc-ml-connector-jde-poster');
    assert.match(block(prodPoster, 'egress'), /port: 443\n +to:\n +- ipBlock:\n +cidr: 10\.20\.30\.0\/24/);
    assert.equal(ofKind(render([ci('default')], ['networkPolicy.enabled=false']), 'NetworkPolicy').length, 0);
  });

  it('gives the token-broker clients its address and their own token, and the broker all tokens', () => {
    for (const service of ['amazon-ingest', 'jde-poster']) {
      const text = named(defaults, 'Deployment', `mlc-ml-connector-${service}`).text;
      assert.match(text, /- name: MLC_TOKEN_BROKER_ADDRESS\n +value: "mlc-ml-connector-token-broker:50051"/);
      assert.match(
        text,
        new RegExp(
          `- name: MLC_TOKEN_BROKER_TOKEN\\n +valueFrom:\\n +secretKeyRef:\\n +name: mlc-ml-connector-broker-client-tokens\\n +key: ${service}\\n`,
        ),
      );
    }
    assert.doesNotMatch(named(defaults, 'Deployment', 'mlc-ml-connector-mapping').text, /MLC_TOKEN_BROKER/);
    const secret = named(defaults, 'Secret', 'mlc-ml-connector-broker-client-tokens').text;
    const data = (key: string) => {
      const value = new RegExp(`^ {2}${key}: "([^"]*)"$`, 'm').exec(secret)?.[1];
      assert.ok(value !== undefined, `key ${key}`);
      return Buffer.from(value, 'base64').toString('utf8');
    };
    const all = data('client-tokens').split(',');
    for (const key of ['amazon-ingest', 'jde-poster', 'operator'])
      assert.ok(all.includes(data(key)), `${key} is accepted`);
    assert.equal(all.length, 3);
    const config = named(prodLike, 'ConfigMap', 'mlc-ml-connector-config').text;
    assert.match(config, /MLC_KAFKA_NAMESPACE: "acme"/);
    assert.match(config, /MLC_KAFKA_BROKERS: "kafka-0\.kafka\.data\.svc:9093,/);
    assert.match(config, /MLC_KAFKA_SSL: "true"/);
  });

  it('renders Secrets from values, and none when every existingSecret is set', () => {
    const secretNames = ofKind(defaults, 'Secret').map((doc) => doc.name);
    for (const name of ['mongodb', 'master-keys', 'broker-client-tokens', 'setup']) {
      assert.ok(secretNames.includes(`mlc-ml-connector-${name}`), `Secret ${name} is rendered`);
    }
    assert.ok(named(prodLike, 'Secret', 'mlc-ml-connector-kafka-sasl'));
    assert.deepEqual(
      ofKind(existing, 'Secret').map((doc) => doc.name),
      [],
      'no Secret is rendered when existingSecret is set',
    );
    const broker = named(existing, 'Deployment', 'mlc-ml-connector-token-broker').text;
    for (const [variable, secret, key] of [
      ['MLC_MONGO_URL', 'mlc-mongodb', 'url'],
      ['MLC_MASTER_KEYS', 'mlc-master-keys', 'master-keys'],
      ['MLC_ACTIVE_KEY_ID', 'mlc-master-keys', 'active-key-id'],
      ['MLC_BROKER_CLIENT_TOKENS', 'mlc-broker-client-tokens', 'client-tokens'],
      ['MLC_KAFKA_SASL_PASSWORD', 'mlc-kafka-sasl', 'password'],
    ]) {
      assert.match(
        broker,
        new RegExp(
          `- name: ${variable}\\n +valueFrom:\\n +secretKeyRef:\\n +name: ${secret}\\n +key: ${key}`,
        ),
        `${variable} comes from ${secret}/${key}`,
      );
    }
    const poster = named(existing, 'Deployment', 'mlc-ml-connector-jde-poster').text;
    assert.match(
      poster,
      /- name: MLC_TOKEN_BROKER_TOKEN\n +valueFrom:\n +secretKeyRef:\n +name: mlc-broker-client-tokens\n +key: jde-poster/,
    );
    const job = named(existing, 'Job', 'mlc-ml-connector-setup').text;
    assert.match(
      job,
      /- name: MLC_MONGO_URL\n +valueFrom:\n +secretKeyRef:\n +name: mlc-mongodb\n +key: url/,
    );
    for (const doc of ofKind(defaults, 'Secret')) {
      assert.doesNotMatch(doc.text, /^stringData:/m, `${doc.name}: values are base64 data`);
    }
  });

  it('changes the checksum annotations when the configuration or a secret changes', () => {
    const checksums = (docs: Doc[], service: string) => {
      const doc = named(docs, 'Deployment', `mlc-ml-connector-${service}`);
      return { config: annotation(doc, 'checksum/config'), secrets: annotation(doc, 'checksum/secrets') };
    };
    const base = { mapping: checksums(defaults, 'mapping'), broker: checksums(defaults, 'token-broker') };
    assert.match(base.mapping.config ?? '', /^[0-9a-f]{64}$/);
    assert.match(base.mapping.secrets ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(checksums(render([ci('default')]), 'mapping'), base.mapping, 'stable across renders');

    const debug = render([ci('default')], ['logLevel=debug']);
    assert.notEqual(checksums(debug, 'mapping').config, base.mapping.config, 'config change rolls pods');
    assert.equal(checksums(debug, 'mapping').secrets, base.mapping.secrets);

    const mongo = render([ci('default')], ['mongodb.url=mongodb://elsewhere:27017/mlc']);
    assert.notEqual(checksums(mongo, 'mapping').secrets, base.mapping.secrets, 'secret change rolls pods');
    assert.equal(checksums(mongo, 'mapping').config, base.mapping.config);

    const token = render(
      [ci('default')],
      ['tokenBroker.clientTokens.tokens.jdePoster=another-token-0123456789'],
    );
    assert.notEqual(checksums(token, 'jde-poster').secrets, checksums(defaults, 'jde-poster').secrets);
    assert.notEqual(
      checksums(token, 'token-broker').secrets,
      base.broker.secrets,
      'the broker learns the new token',
    );
    assert.equal(checksums(token, 'mapping').secrets, base.mapping.secrets, 'mapping holds no broker token');

    const rotated = render([ci('default')], ['tokenBroker.masterKeys.activeKeyId=k2']);
    assert.notEqual(
      checksums(rotated, 'token-broker').secrets,
      base.broker.secrets,
      'key rotation rolls the broker',
    );
    assert.equal(checksums(rotated, 'mapping').secrets, base.mapping.secrets, 'and only the broker');
  });

  it('ships every dashboards/*.json as a ConfigMap labelled for the Grafana sidecar', () => {
    const files = readdirSync(path.join(chart, 'dashboards')).filter((file) => file.endsWith('.json'));
    assert.ok(files.length >= 2);
    const maps = ofKind(defaults, 'ConfigMap').filter((doc) => doc.name.includes('-dashboard-'));
    assert.equal(maps.length, files.length);
    for (const doc of maps) {
      assert.match(block(doc, 'labels'), /^ +grafana_dashboard: "1"$/m, `${doc.name} is labelled`);
      const body = /^ {2}ml-connector-[\w-]+\.json: \|-\n((?: {4}.*\n?)+)/m.exec(doc.text)?.[1];
      assert.ok(body, `${doc.name} carries the dashboard`);
      const dashboard = JSON.parse(body.replace(/^ {4}/gm, '')) as { uid: string; panels: unknown[] };
      assert.ok(dashboard.uid && dashboard.panels.length > 0, `${doc.name} is a dashboard`);
    }
    const off = render([ci('default')], ['dashboards.enabled=false']);
    assert.equal(ofKind(off, 'ConfigMap').filter((doc) => doc.name.includes('-dashboard-')).length, 0);
  });

  it('uses only metrics the code emits, except in panels marked [planned]', () => {
    const emitted = metricsInCode();
    const used = (expr: string) => [...expr.matchAll(/\b(mlc_[a-z0-9_]+)/g)].map((m) => baseName(m[1] ?? ''));
    for (const file of readdirSync(path.join(chart, 'dashboards'))) {
      const dashboard = JSON.parse(readFileSync(path.join(chart, 'dashboards', file), 'utf8')) as {
        panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
      };
      for (const panel of dashboard.panels) {
        if (panel.title.startsWith('[planned]')) continue;
        for (const target of panel.targets ?? []) {
          for (const name of used(target.expr)) {
            assert.ok(isEmitted(name, emitted), `${file} "${panel.title}" uses ${name}, which no code emits`);
          }
        }
      }
    }
    const rule = named(render([ci('prod-like')]), 'PrometheusRule', 'mlc-ml-connector');
    for (const name of used(rule.text)) {
      assert.ok(isEmitted(name, emitted), `PrometheusRule uses ${name}, which no code emits`);
    }
  });

  it('takes the alert thresholds and the runbook address from the values', () => {
    const rule = named(
      render([ci('prod-like')], ['metrics.prometheusRule.consumerLagMessages=250']),
      'PrometheusRule',
      'mlc-ml-connector',
    ).text;
    assert.match(
      rule,
      /alert: MlcSettlementNotPosted\n +expr: max by \(connection, status\) \(mlc_settlements_not_posted_oldest_deposit_age_seconds\{namespace="mlc"\}\) > 172800\n +for: 10m/,
      '48 hours in the prod-like values',
    );
    assert.match(
      rule,
      /alert: MlcConsumerLagHigh\n +expr: .*mlc_kafka_consumer_lag_messages\{namespace="mlc"\}\) > 250\n +for: 15m/,
    );
    const alerts = [...rule.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    const runbooks = [...rule.matchAll(/runbook_url: "(.*)"/g)].map((m) => m[1] ?? '');
    assert.equal(runbooks.length, alerts.length, 'every alert links its runbook');
    const operations = readFileSync(path.join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const anchors = new Set(
      [...operations.matchAll(/^#+ (.*)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const url of runbooks) {
      assert.match(url, /^https:\/\/git\.example\.com\/.*\/docs\/operations\.md#/);
      assert.ok(anchors.has(url.split('#')[1] ?? ''), `${url}: docs/operations.md has no such heading`);
    }
    assert.throws(
      () => render([ci('prod-like')], ['metrics.prometheusRule.consumerLagFor=soon']),
      /consumerLagFor/,
      'the schema refuses a duration Prometheus would not read',
    );
  });

  it('turns on HPA, PDB, ServiceMonitor and PrometheusRule in the prod-like values', () => {
    assert.equal(ofKind(prodLike, 'HorizontalPodAutoscaler').length, SERVICES.length);
    assert.equal(ofKind(prodLike, 'PodDisruptionBudget').length, SERVICES.length);
    for (const doc of ofKind(prodLike, 'Deployment')) {
      assert.doesNotMatch(doc.text, /^ {2}replicas:/m, `${doc.name}: the HPA owns replicas`);
    }
    const monitor = named(prodLike, 'ServiceMonitor', 'mlc-ml-connector');
    assert.match(monitor.text, /release: kube-prometheus-stack/);
    assert.match(monitor.text, /- port: admin\n +path: \/metrics/);
    assert.match(monitor.text, /honorLabels: true/);
    named(prodLike, 'PrometheusRule', 'mlc-ml-connector');
    assert.equal(ofKind(defaults, 'ServiceMonitor').length, 0, 'ServiceMonitor is off by default');
    assert.equal(ofKind(defaults, 'PrometheusRule').length, 0, 'PrometheusRule is off by default');
    assert.equal(ofKind(defaults, 'HorizontalPodAutoscaler').length, 0, 'HPA is off by default');
  });

  it('runs `setup init` in a pre-install/pre-upgrade hook before anything else', () => {
    const job = named(defaults, 'Job', 'mlc-ml-connector-setup').text;
    assert.match(job, /helm\.sh\/hook: pre-install,pre-upgrade/);
    assert.match(job, /command: \["node", "--import", "tsx", "cli\/src\/main\.ts", "setup", "init"\]/);
    for (const kind of ['Secret', 'NetworkPolicy']) {
      const doc = named(defaults, kind, 'mlc-ml-connector-setup').text;
      assert.match(doc, /helm\.sh\/hook: pre-install,pre-upgrade/, `${kind} exists before the Job runs`);
      assert.match(doc, /helm\.sh\/hook-weight: "-10"/);
    }
    assert.equal(ofKind(render([ci('default')], ['setupJob.enabled=false']), 'Job').length, 0);
  });

  it('leaves out a disabled service everywhere', () => {
    const docs = render([ci('prod-like')], ['services.amazonIngest.enabled=false']);
    assert.equal(
      docs.filter((doc) => doc.name === 'mlc-ml-connector-amazon-ingest').length,
      0,
      'no resource for amazon-ingest',
    );
    const brokerIngress = block(named(docs, 'NetworkPolicy', 'mlc-ml-connector-token-broker'), 'ingress');
    assert.doesNotMatch(brokerIngress, /amazon-ingest/);
  });
});

/** Metric names the services' code registers: string literals `mlc_…` in libs/*\/src and services/*\/src. */
function metricsInCode(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'generated') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(/['"`](mlc_[a-z0-9_]+)['"`]/g))
          names.add(m[1] ?? '');
      }
    }
  };
  for (const top of ['libs', 'services']) {
    for (const pkg of readdirSync(path.join(repoRoot, top))) {
      const src = path.join(repoRoot, top, pkg, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return names;
}

const baseName = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

/** Emitted by the code, or one of prom-client's default metrics (collectDefaultMetrics with prefix mlc_). */
function isEmitted(name: string, emitted: Set<string>): boolean {
  return emitted.has(name) || /^mlc_(process|nodejs)_/.test(name);
}
