/**
 * skaffold.yaml, checked without skaffold (it is not served by the registries this project builds from) and
 * without a cluster: for the default run and each profile, the chart is rendered with exactly the values
 * skaffold would pass — its valuesFiles, setValueTemplates filled in the way skaffold fills them, and the
 * profile's JSON-patched setValues — and the result must render under the chart's schema, validate against the
 * Kubernetes schemas, and run each service from the image skaffold built for it.
 * Needs the Helm and kubectl-validate binaries `make chart-check` builds into .infra/bin (skipped, saying so,
 * when they are missing).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '@mlc/testkit';

const bin = path.join(repoRoot, '.infra', 'bin');
const helm = path.join(bin, 'helm');
const kubectlValidate = path.join(bin, 'kubectl-validate');
const skip =
  existsSync(helm) && existsSync(kubectlValidate)
    ? false
    : 'no .infra/bin/helm or kubectl-validate: run `make chart-check` once to build them';
const helmEnv = {
  ...process.env,
  KUBECONFIG: '/dev/null',
  HELM_CONFIG_HOME: path.join(repoRoot, '.infra', 'helm', 'config'),
  HELM_CACHE_HOME: path.join(repoRoot, '.infra', 'helm', 'cache'),
  HELM_DATA_HOME: path.join(repoRoot, '.infra', 'helm', 'data'),
};

interface SkaffoldConfig {
  apiVersion: string;
  build: { artifacts: Array<{ image: string; context: string; docker: { dockerfile: string } }> };
  deploy: {
    helm: {
      releases: Array<{
        name: string;
        chartPath: string;
        valuesFiles?: string[];
        setValues?: Record<string, string>;
        setValueTemplates?: Record<string, string>;
      }>;
    };
  };
  profiles: Array<{ name: string; patches: Array<{ op: string; path: string; value: unknown }> }>;
}

const work = mkdtempSync(path.join(tmpdir(), 'mlc-skaffold-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** YAML → JSON through Helm's own `fromYaml` (no YAML library in the project): a one-template scratch chart. */
function readYaml<T>(file: string): T {
  const chart = path.join(work, 'yaml-to-json');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: yaml-to-json\nversion: 0.0.0\n');
  writeFileSync(path.join(chart, 'input.yaml'), readFileSync(file));
  writeFileSync(
    path.join(chart, 'templates', 'out.yaml'),
    '# JSON {{ .Files.Get "input.yaml" | fromYaml | toJson }}\n',
  );
  const out = execFileSync(helm, ['template', 'x', chart], { encoding: 'utf8', env: helmEnv });
  const json = out.slice(out.indexOf('# JSON ') + '# JSON '.length).trim();
  return JSON.parse(json) as T;
}

/** skaffold's image env names: IMAGE_REPO_<image with every non-alphanumeric as _>. */
const imageKey = (image: string) => image.replace(/[^A-Za-z0-9]/g, '_');

/** Fills a setValueTemplates value as skaffold does for the cases this file uses: image vars and `default`. */
function fillTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
    const plain = /^\.(\w+)$/.exec(expression);
    if (plain) {
      const value = vars[plain[1] as string];
      assert.ok(
        value !== undefined,
        `skaffold.yaml uses {{${expression}}}, which skaffold does not set here`,
      );
      return value;
    }
    const withDefault = /^default\s+"([^"]*)"\s+\.(\w+)$/.exec(expression);
    assert.ok(withDefault, `skaffold.yaml template {{${expression}}} is not understood by this test`);
    return vars[withDefault[2] as string] ?? (withDefault[1] as string);
  });
}

/** The release a profile deploys, after its JSON patches (only `add` on the first release is used here). */
function releaseFor(config: SkaffoldConfig, profile?: string) {
  const release = structuredClone(config.deploy.helm.releases[0]);
  assert.ok(release, 'skaffold.yaml deploys one Helm release');
  if (!profile) return release;
  const spec = config.profiles.find((p) => p.name === profile);
  assert.ok(spec, `skaffold.yaml has a profile "${profile}"`);
  for (const patch of spec.patches) {
    const field = /^\/deploy\/helm\/releases\/0\/(\w+)$/.exec(patch.path)?.[1];
    assert.equal(patch.op, 'add', `profile ${profile}: only "add" patches are checked here`);
    assert.ok(field, `profile ${profile}: patch path ${patch.path} is not a field of the release`);
    (release as Record<string, unknown>)[field] = patch.value;
  }
  return release;
}

describe('skaffold.yaml', { skip }, () => {
  const config = skip ? undefined : readYaml<SkaffoldConfig>(path.join(repoRoot, 'skaffold.yaml'));
  const services = readdirSync(path.join(repoRoot, 'services'));
  // What skaffold would set after building: IMAGE_REPO_x / IMAGE_TAG_x per artifact.
  const vars: Record<string, string> = {};
  for (const artifact of config?.build.artifacts ?? []) {
    vars[`IMAGE_REPO_${imageKey(artifact.image)}`] = `registry.test/${artifact.image}`;
    vars[`IMAGE_TAG_${imageKey(artifact.image)}`] = `digest-of-${path.basename(artifact.image)}`;
  }

  it('builds one image per service, from the repository root with that service’s Dockerfile', () => {
    assert.ok(config);
    assert.match(config.apiVersion, /^skaffold\/v\d/);
    const built = config.build.artifacts.map((a) => {
      assert.equal(a.context, '.', `${a.image}: the build context is the repository root`);
      assert.ok(existsSync(path.join(repoRoot, a.docker.dockerfile)), `${a.docker.dockerfile} exists`);
      return a.docker.dockerfile;
    });
    assert.deepEqual(built.sort(), services.map((s) => `services/${s}/Dockerfile`).sort());
  });

  for (const profile of [undefined, 'dev', 'prod-like']) {
    it(`${profile ?? 'the default run'}: renders, validates and runs each service from its built image`, () => {
      assert.ok(config);
      const release = releaseFor(config, profile);
      const args = ['template', release.name, path.join(repoRoot, release.chartPath), '--namespace', 'mlc'];
      args.push('--kube-version', '1.30.0');
      for (const file of release.valuesFiles ?? []) args.push('--values', path.join(repoRoot, file));
      for (const [key, template] of Object.entries(release.setValueTemplates ?? {}))
        args.push('--set', `${key}=${fillTemplate(template, vars)}`);
      for (const [key, value] of Object.entries(release.setValues ?? {}))
        args.push('--set', `${key}=${value}`);
      // helm checks values.schema.json here: a key skaffold sets that the chart does not know fails.
      const rendered = execFileSync(helm, args, { encoding: 'utf8', env: helmEnv });
      const file = path.join(work, `${profile ?? 'default'}.yaml`);
      writeFileSync(file, rendered);
      execFileSync(
        kubectlValidate,
        ['--version', '1.30', '--local-crds', path.join(repoRoot, release.chartPath, 'ci', 'crds'), file],
        { encoding: 'utf8', env: helmEnv },
      );

      for (const service of services) {
        const image = config.build.artifacts.find(
          (a) => a.docker.dockerfile === `services/${service}/Dockerfile`,
        );
        assert.ok(image);
        const expected = `registry.test/${image.image}:digest-of-${path.basename(image.image)}`;
        const deployment = rendered
          .split(/^---$/m)
          .find(
            (doc) => /^kind: Deployment$/m.test(doc) && doc.includes(`name: ${release.name}-${service}\n`),
          );
        assert.ok(deployment, `${profile ?? 'default'}: a Deployment for ${service}`);
        assert.match(
          deployment,
          new RegExp(`image: "?${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?$`, 'm'),
        );
        const replicas = release.setValues?.[`services.${camel(service)}.replicas`];
        if (replicas && !/^kind: HorizontalPodAutoscaler$/m.test(rendered))
          assert.match(deployment, new RegExp(`^  replicas: ${replicas}$`, 'm'));
      }
      if (profile === 'prod-like') {
        assert.match(rendered, /^kind: HorizontalPodAutoscaler$/m);
        assert.match(rendered, /^kind: PodDisruptionBudget$/m);
        assert.match(rendered, /^kind: ServiceMonitor$/m);
      }
      if (profile === 'dev') assert.doesNotMatch(rendered, /^kind: HorizontalPodAutoscaler$/m);
    });
  }
});

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}
