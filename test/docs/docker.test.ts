/**
 * docker/ cannot be built here (no Docker engine in CI), so its files are checked for what would break on a real
 * cluster or host: an image nobody can pull, a volume the non-root user cannot write, a claim nothing defines, CDR
 * files left inside a container, an image that drifts from package.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { files: string[]; engines: { node: string } };
/** The tag the manifests and compose use for the image built from docker/Dockerfile. */
const LOCAL_TAG = 'ovsim:local';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

describe('docker/Dockerfile', () => {
  const text = read('docker/Dockerfile');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => /^[A-Z]+\s/.test(l));
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  const lastFrom = instructions.lastIndexOf(froms[froms.length - 1] ?? '');
  const runtime = instructions.slice(lastFrom);
  const build = instructions.slice(0, lastFrom);

  it('builds and runs on one Node LTS line that package.json accepts', () => {
    const majors = froms.map((l) => /^FROM node:(\d+)-slim\b/.exec(l)?.[1]);
    expect(majors.length).toBe(2);
    expect(new Set(majors).size).toBe(1);
    const major = Number(majors[0]);
    const minimum = Number(/>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    expect(major % 2, 'an even (LTS) line').toBe(0);
    expect(major).toBeGreaterThan(minimum); // Node 20 is past its end of life
    expect(text).toContain(`Node ${major} is the Active LTS line`);
  });

  it('copies every package.json "files" entry into the runtime image, from sources the build stage has', () => {
    for (const entry of pkg.files) {
      expect(runtime, entry).toContain(`COPY --from=build /app/${entry} ./${entry}`);
      if (entry === 'dist') continue;
      const top = entry.split('/')[0] ?? entry;
      expect(
        build.some((l) => l === `COPY ${top} ./${top}`),
        `build stage copies ${top}`,
      ).toBe(true);
    }
    expect(runtime.filter((l) => l.startsWith('COPY --from=build')).length).toBe(pkg.files.length + 2);
  });

  it('runs as the non-root node user with its mount points owned by it', () => {
    expect(runtime).toContain('USER node');
    expect(runtime.find((l) => l.startsWith('RUN '))).toMatch(/chown node:node \/data \/cdr/);
  });
});

describe('docker/compose.yaml', () => {
  const compose = obj(parseYaml(read('docker/compose.yaml')));
  const services = Object.entries(obj(compose['services']));

  it('builds one local image and runs it as a non-root user', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const [name, s] of services.map(([n, v]) => [n, obj(v)] as const)) {
      expect(s['image'], name).toBe(LOCAL_TAG);
      expect(obj(s['build'])['dockerfile'], name).toBe('docker/Dockerfile');
      expect(String(s['user']), name).toMatch(/^\$\{OVSIM_USER:-1000:1000\}$/);
      for (const p of list(s['ports'])) expect(String(p), name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts every CDR folder out of its container, onto the host', () => {
    const writers = services.filter(([, s]) => obj(obj(s)['environment'])['OPENVIDU_CDR_PATH'] !== undefined);
    expect(writers.length).toBeGreaterThan(0);
    for (const [name, s] of writers) {
      const cdrPath = obj(obj(s)['environment'])['OPENVIDU_CDR_PATH'];
      const mount = list(obj(s)['volumes'])
        .map(obj)
        .find((v) => v['target'] === cdrPath);
      expect(mount, `${name} mounts ${String(cdrPath)}`).toBeDefined();
      expect(mount?.['type']).toBe('bind');
      expect(path.resolve(ROOT, 'docker', String(mount?.['source']))).toBe(path.join(ROOT, 'out/cdr'));
    }
    expect(read('docker/compose.yaml')).toContain('mkdir -p out/cdr');
  });
});

describe('docker/k8s-indexed-job.yaml', () => {
  const text = read('docker/k8s-indexed-job.yaml');
  const docs = parseAllDocuments(text).map((d) => obj(d.toJS()));
  const claims = new Set(
    docs.filter((d) => d['kind'] === 'PersistentVolumeClaim').map((d) => obj(d['metadata'])['name']),
  );
  const jobs = docs.filter((d) => d['kind'] === 'Job');
  const pods = jobs.map((j) => obj(obj(obj(j['spec'])['template'])['spec']));

  it('is a Job and the claim it uses, each well-formed', () => {
    expect(jobs.length).toBe(1);
    for (const d of docs) {
      expect(typeof d['apiVersion']).toBe('string');
      expect(typeof obj(d['metadata'])['name']).toBe('string');
    }
  });

  it('defines every volume claim it references', () => {
    for (const pod of pods) {
      const referenced = list(pod['volumes']).map((v) => obj(obj(v)['persistentVolumeClaim'])['claimName']);
      expect(referenced.length).toBeGreaterThan(0);
      for (const claim of referenced.filter((c) => c !== undefined)) expect(claims).toContain(claim);
    }
  });

  it('mounts every volume it declares, and declares every volume it mounts', () => {
    for (const pod of pods) {
      const volumes = new Set(list(pod['volumes']).map((v) => obj(v)['name']));
      const mounted = new Set(
        list(pod['containers']).flatMap((c) => list(obj(c)['volumeMounts']).map((m) => obj(m)['name'])),
      );
      expect([...mounted].sort()).toEqual([...volumes].sort());
    }
  });

  it('runs as the image user with an fsGroup that can write the volume', () => {
    for (const pod of pods) {
      const sc = obj(pod['securityContext']);
      expect(sc['runAsNonRoot']).toBe(true);
      expect(sc['runAsUser']).toBe(1000);
      expect(sc['fsGroup']).toBe(1000);
    }
  });

  it('uses the locally built image without pulling it from a public registry', () => {
    for (const c of pods.flatMap((p) => list(p['containers']).map(obj))) {
      expect(c['image']).toBe(LOCAL_TAG);
      expect(['Never', 'IfNotPresent']).toContain(c['imagePullPolicy']);
    }
    expect(text).toContain(`docker build -f docker/Dockerfile -t ${LOCAL_TAG} .`);
    expect(text).toMatch(/image load|load docker-image/);
  });

  it('writes its output under a mounted path', () => {
    for (const c of pods.flatMap((p) => list(p['containers']).map(obj))) {
      const out = /--out "?([^"\s]+)/.exec(list(c['args']).join(' '))?.[1] ?? '';
      const mounts = list(c['volumeMounts']).map((m) => String(obj(m)['mountPath']));
      expect(
        mounts.some((m) => out.startsWith(`${m}/`)),
        out,
      ).toBe(true);
    }
  });
});
