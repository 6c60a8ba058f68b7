import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectPath } from '../../src/paths.js';

const UNIT = readFileSync(projectPath('deploy', 'help-me-leave-bot.service'), 'utf8');
const DOCKERFILE = readFileSync(projectPath('deploy', 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> };
const README = readFileSync(projectPath('README.md'), 'utf8');

/** `Key=value` lines of the unit (all values per key, in order), ignoring comments and sections. */
function unitDirectives(text: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const equals = line.indexOf('=');
    const key = line.slice(0, equals);
    directives.set(key, [...(directives.get(key) ?? []), line.slice(equals + 1)]);
  }
  return directives;
}

/** Dockerfile instructions as [INSTRUCTION, arguments], with line continuations joined and comments dropped. */
function dockerInstructions(text: string): Array<[string, string]> {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (!current && (raw.trim() === '' || raw.trim().startsWith('#'))) continue;
    if (raw.trim().startsWith('#')) continue;
    if (raw.endsWith('\\')) {
      current += `${raw.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(current + raw.trim());
    current = '';
  }
  return logical.map((line) => {
    const space = line.indexOf(' ');
    return [line.slice(0, space).toUpperCase(), line.slice(space + 1).trim()];
  });
}

/** `npm start` without npm: its node command line as an argument list. */
const START_ARGV = PACKAGE.scripts.start!.split(' ');

describe('systemd unit (deploy/help-me-leave-bot.service)', () => {
  const directives = unitDirectives(UNIT);
  const dir = mkdtempSync(join(tmpdir(), 'hml-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `systemd-analyze verify` on a copy whose node is this test's node (CI's may not be /usr/bin/node). */
  function verify(unitText: string): { status: number | null; output: string } {
    const path = join(dir, 'help-me-leave-bot.service');
    writeFileSync(path, unitText.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    if (result.error) throw new Error(`systemd-analyze is required (CI installs it with .ci/install-systemd-analyze): ${result.error.message}`);
    // Only lines about our unit: the host's own units may have unrelated warnings.
    const output = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('help-me-leave-bot')).join('\n');
    return { status: result.status, output };
  }

  it('passes systemd-analyze verify without a warning, and verify does catch a broken unit', () => {
    expect(verify(UNIT)).toEqual({ status: 0, output: '' });
    const broken = verify(UNIT.replace('ExecStart=/usr/bin/node ', 'ExecStart=/nonexistent/node ').replace('UMask=0077', 'UMaskk=0077'));
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('UMaskk');
  });

  it('runs the same command as npm start, as a throwaway user with its database in the state directory', () => {
    expect(directives.get('ExecStart')).toEqual([['/usr/bin/node', ...START_ARGV.slice(1)].join(' ')]);
    expect(directives.get('DynamicUser')).toEqual(['yes']);
    expect(directives.get('StateDirectory')).toEqual(['help-me-leave-bot']);
    expect(directives.get('Environment')).toContain('DATABASE_PATH=%S/help-me-leave-bot/bot.sqlite');
    expect(directives.get('WorkingDirectory')).toEqual(['/opt/help-me-leave-bot']);
    expect(directives.get('EnvironmentFile')).toEqual(['-/etc/help-me-leave-bot.env']);
    expect(directives.get('Restart')).toEqual(['on-failure']);
    // 78 is what a configuration error or a stale build exits with (src/main.ts, scripts/check-build.mjs).
    expect(directives.get('RestartPreventExitStatus')).toEqual(['78']);
  });

  it('is sandboxed, but leaves V8 its writable+executable memory', () => {
    const expected: Record<string, string> = {
      NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', PrivateDevices: 'yes',
      ProtectKernelTunables: 'yes', ProtectKernelModules: 'yes', ProtectKernelLogs: 'yes', ProtectControlGroups: 'yes',
      ProtectClock: 'yes', ProtectHostname: 'yes', RestrictNamespaces: 'yes', RestrictRealtime: 'yes', RestrictSUIDSGID: 'yes',
      LockPersonality: 'yes', CapabilityBoundingSet: '', AmbientCapabilities: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX', SystemCallFilter: '@system-service', SystemCallErrorNumber: 'EPERM', SystemCallArchitectures: 'native', UMask: '0077',
    };
    for (const [key, value] of Object.entries(expected)) expect({ key, values: directives.get(key) }).toEqual({ key, values: [value] });
    expect(directives.has('MemoryDenyWriteExecute')).toBe(false);
  });
});

describe('container image (deploy/Dockerfile) and compose file', () => {
  const instructions = dockerInstructions(DOCKERFILE);
  const runtime = instructions.slice(instructions.findLastIndex(([name]) => name === 'FROM'));
  const healthCommand = "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))";

  it('builds on Node 24 slim with the same commands as the README', () => {
    expect(instructions.filter(([name]) => name === 'FROM').map(([, args]) => args.split(' ')[0])).toEqual(['node:24-slim', 'node:24-slim']);
    const runs = instructions.filter(([name]) => name === 'RUN').map(([, args]) => args);
    expect(runs).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run build', 'npm prune --omit=dev']));
    expect(runs.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(runs.indexOf('npm run build'));
    expect(runs.indexOf('npm run build')).toBeLessThan(runs.indexOf('npm prune --omit=dev'));
    // The README's Deploy section installs with the same two steps.
    expect(README).toContain('npm ci && npm run build');
  });

  it('runs as the non-root node user, keeps data in a volume and checks /healthz with node', () => {
    expect(runtime.filter(([name]) => name === 'USER').map(([, args]) => args)).toEqual(['node']);
    expect(runtime.find(([name]) => name === 'VOLUME')?.[1]).toBe('/data');
    const env = runtime.find(([name]) => name === 'ENV')?.[1] ?? '';
    expect(env).toContain('DATABASE_PATH=/data/bot.sqlite');
    expect(env).toContain('HEALTH_PORT=8080');
    const healthcheck = runtime.find(([name]) => name === 'HEALTHCHECK')?.[1] ?? '';
    const exec = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    expect(exec).toEqual(['node', '-e', healthCommand]);
    expect(JSON.parse(runtime.find(([name]) => name === 'CMD')?.[1] ?? '[]')).toEqual(START_ARGV);
  });

  it('compose keeps the data in a named volume, restarts unless stopped and uses the same healthcheck', () => {
    const compose = parseYaml(readFileSync(projectPath('deploy', 'compose.yaml'), 'utf8')) as {
      services: Record<string, { volumes: string[]; restart: string; env_file: string; healthcheck: { test: string[] } }>;
      volumes: Record<string, unknown>;
    };
    const bot = compose.services.bot!;
    expect(bot.restart).toBe('unless-stopped');
    expect(bot.env_file).toBe('../.env');
    const [volume, mount] = bot.volumes[0]!.split(':');
    expect(mount).toBe('/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(bot.healthcheck.test).toEqual(['CMD', 'node', '-e', healthCommand]);
  });

  it('keeps secrets and local data out of the build context', () => {
    const ignored = readFileSync(projectPath('.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', 'data', '*.sqlite', '.git']) expect(ignored).toContain(entry);
  });
});
