/**
 * Every dashboard panel and every alert the chart ships asks Prometheus about metrics that really
 * exist. The whole system runs (both simulators, the four services) and posts a settlement; Debian's
 * Prometheus scrapes the services' /metrics; then each expression must be valid PromQL for that
 * Prometheus, and each `mlc_` metric it names must be known from the scrapes (metadata includes
 * metrics registered without samples yet). Panels titled "[planned]" are skipped.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { freePort, repoRoot, uniqueName, waitFor } from '@mlc/testkit';
import { LocalStack, SERVICES } from '../src/local-stack.js';

const chart = path.join(repoRoot, 'charts', 'ml-connector');
const helm = path.join(repoRoot, '.infra', 'bin', 'helm');
const prometheusBinary = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));

/** Grafana's variables replaced as Grafana does before querying (a one-hour dashboard, any namespace). */
function asGrafanaSendsIt(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?namespace\}?/g, '.*');
}

/** The expressions users will see: dashboard targets (not [planned]) and the PrometheusRule's alerts. */
function expressions(): Array<{ where: string; expr: string }> {
  const found: Array<{ where: string; expr: string }> = [];
  for (const file of readdirSync(path.join(chart, 'dashboards'))) {
    const dashboard = JSON.parse(readFileSync(path.join(chart, 'dashboards', file), 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    for (const panel of dashboard.panels) {
      if (panel.title.startsWith('[planned]')) continue;
      for (const target of panel.targets ?? [])
        found.push({ where: `${file} "${panel.title}"`, expr: asGrafanaSendsIt(target.expr) });
    }
  }
  const rendered = execFileSync(
    helm,
    [
      'template',
      'mlc',
      chart,
      '--namespace',
      'mlc',
      '--kube-version',
      '1.30.0',
      '--values',
      path.join(chart, 'ci', 'prod-like-values.yaml'),
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        KUBECONFIG: '/dev/null',
        HELM_CONFIG_HOME: path.join(repoRoot, '.infra', 'helm', 'config'),
      },
    },
  );
  const rule = rendered.split(/^---\s*$/m).find((doc) => /^kind: PrometheusRule/m.test(doc)) ?? '';
  const lines = rule.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)expr: ?(.*)$/.exec(lines[i] ?? '');
    if (!match) continue;
    let expr = match[2] ?? '';
    if (expr === '|' || expr === '|-') {
      const indent = (match[1] ?? '').length;
      const block: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1] ?? '').search(/\S|$/) > indent)
        block.push((lines[++i] ?? '').trim());
      expr = block.join(' ');
    }
    const alert = /alert: (\S+)/.exec(lines.slice(Math.max(0, i - 4), i).join('\n'))?.[1] ?? `line ${i}`;
    found.push({ where: `alert ${alert}`, expr });
  }
  return found;
}

describe('dashboards and alerts against a real Prometheus scraping the services', {
  skip:
    !prometheusBinary &&
    'Debian prometheus is not installed (scripts/ensure-prometheus.sh, run by make test)',
}, () => {
  let stack: LocalStack;
  let prometheus: ChildProcess | undefined;
  let api = '';

  before(async () => {
    stack = await LocalStack.start({ name: uniqueName('dash'), spApiTimeScale: 600, pollIntervalMs: 1_000 });
    await stack.createConnection('seller');
    const file = generateSettlementFile({
      seed: 'dash-1',
      marketplace: 'US',
      rows: 150,
      start: '2025-05-02T08:00:00Z',
    });
    await stack.seedSettlement('seller', 'US', file.text);
    await stack.waitForSettled('seller', 1);

    const dir = path.join(repoRoot, '.run', `${stack.options.name}-prometheus`);
    mkdirSync(dir, { recursive: true });
    const scrapeConfigs = SERVICES.map(
      (service) =>
        `  - job_name: ${service}\n    static_configs:\n      - targets: ['${stack.urls.admin[service].replace('http://', '')}']`,
    ).join('\n');
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrapeConfigs}\n`,
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    prometheus = spawn(
      prometheusBinary!,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      'every service scraped',
      async () => {
        const targets = (await (await fetch(`${api}/targets`)).json()) as {
          data: { activeTargets: Array<{ health: string; lastScrape: string }> };
        };
        const active = targets.data.activeTargets;
        return active.length === SERVICES.length && active.every((t) => t.health === 'up');
      },
      60_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 3_000));
  });

  after(async () => {
    prometheus?.kill('SIGTERM');
    if (stack) await stack.stop();
  });

  it('every expression is valid and every metric it names exists', async () => {
    const metadata = (await (await fetch(`${api}/metadata`)).json()) as { data: Record<string, unknown> };
    const known = new Set(Object.keys(metadata.data));
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const exprs = expressions();
    assert.ok(exprs.length > 20, `found ${exprs.length} expressions`);
    const problems: string[] = [];
    for (const { where, expr } of exprs) {
      const answer = (await (await fetch(`${api}/query?query=${encodeURIComponent(expr)}`)).json()) as {
        status: string;
        error?: string;
      };
      if (answer.status !== 'success') problems.push(`${where}: invalid PromQL (${answer.error}): ${expr}`);
      for (const [, name] of expr.matchAll(/\b(mlc_[a-z0-9_]+)/g)) {
        if (name && !known.has(name) && !known.has(base(name)))
          problems.push(`${where}: no service exports ${name}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
