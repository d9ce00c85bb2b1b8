/**
 * The captive portal's bundle: portal/src/*.ts → portal/portal.js and portal/md5.js, the files the router
 * serves (plain ES2017 in one IIFE each, for old phones; non-ASCII written as \u escapes).
 *
 * The bundle is committed, so the download zip, the setup script, the demo and the tests serve it from a
 * fresh clone with no build step. `npm run build:portal` rewrites it; `npm run lint` runs this with
 * `--check`, which fails when the committed files differ from what the sources build to.
 */
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

const GENERATED = ' *\n * GENERADO por `npm run build:portal` desde portal/src/ (TypeScript): no lo edite aqui.\n */';
const BUNDLES = [
  {
    entry: 'portal/src/main.ts',
    out: 'portal/portal.js',
    banner: [
      '/*',
      ' * Pagos Hotspot: portal cautivo (login.html de un hotspot MikroTik).',
      ' *',
      ' * Muestra los planes del router, tokeniza la tarjeta (Conekta.js / SDK de Mercado',
      ' * Pago en modo live; el tokenizador sandbox de la demo en modo sandbox), envia el',
      ' * pago con Idempotency-Key, muestra las credenciales, informa la conexion',
      ' * automatica, inicia la sesion con el formulario del propio hotspot y guarda las',
      ' * credenciales en este dispositivo para reconectar.',
      ' *',
      ' * Sin framework: ES2017 para navegadores de telefono.',
    ].join('\n') + '\n' + GENERATED,
  },
  {
    entry: 'portal/src/md5-global.ts',
    out: 'portal/md5.js',
    banner: [
      '/*',
      ' * MD5 for the MikroTik hotspot\'s CHAP login: hexMD5(chapId + password + chapChallenge).',
      ' * Same name and behaviour as the md5.js that RouterOS ships in its hotspot folder:',
      ' * every character is one byte (its code & 0xff), the answer is lowercase hex.',
      ' * Replacing the router\'s md5.js with this file is harmless.',
    ].join('\n') + '\n' + GENERATED,
  },
] as const;

/** Each bundle's text, built in memory. */
export async function buildPortal(): Promise<Array<{ out: string; text: string }>> {
  const out: Array<{ out: string; text: string }> = [];
  for (const b of BUNDLES) {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [b.entry],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2017',
      charset: 'ascii',
      legalComments: 'none',
      banner: { js: b.banner },
      write: false,
      logLevel: 'silent',
    });
    out.push({ out: b.out, text: result.outputFiles[0]!.text });
  }
  return out;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { out, text } of await buildPortal()) {
    const file = path.join(ROOT, out);
    if (check) {
      const current = await readFile(file, 'utf8').catch(() => null);
      if (current !== text) stale.push(out);
    } else {
      await writeFile(file, text);
      console.log(`${out}: ${Buffer.byteLength(text)} bytes`);
    }
  }
  if (stale.length) {
    console.error(`${stale.join(', ')} no corresponde a portal/src/: ejecute \`npm run build:portal\` y confirme el resultado.`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
