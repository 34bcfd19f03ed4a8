#!/usr/bin/env node
// Renders www/icon.svg into the PNG icons the PWA manifest and the extension
// need (www/icon-192.png, www/icon-512.png, www/icon-maskable-512.png,
// www/extension/icon-128.png) with the system Chromium. The PNGs are
// committed; run this again only when the SVG changes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(path.join(root, 'www/icon.svg'), 'utf8');
const OUT = [
  ['www/icon-192.png', 192, 0],
  ['www/icon-512.png', 512, 0],
  // Maskable: the glyph inside the 80% safe zone, on a full-bleed background.
  ['www/icon-maskable-512.png', 512, 0.1],
  ['www/extension/icon-128.png', 128, 0],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const page = await browser.newPage();
for (const [file, size, pad] of OUT) {
  await page.setViewportSize({ width: size, height: size });
  const inner = Math.round(size * (1 - 2 * pad));
  const bg = pad > 0 ? '#1d5c8f' : 'transparent';
  const img = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  await page.setContent(`<body style="margin:0;background:${bg};display:grid;place-items:center;width:${size}px;height:${size}px"><img src="${img}" width="${inner}" height="${inner}"></body>`);
  await page.screenshot({ path: path.join(root, file), omitBackground: pad === 0 });
  console.log(`icons: ${file} ${size}x${size}`);
}
await browser.close();
