import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { REPO_ROOT } from './lib/child.js';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './lib/cpu-profile.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile>…');
  process.exit(2);
}
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatProfileSummary(basename(file), summarizeProfile(profile, REPO_ROOT, Number(process.env.TOP ?? 20))));
}
