/** Node flags that make a server write a CPU profile on exit, when the run asked for profiles. */
export function profileFlags(profileDir: string | undefined, label: string): string[] {
  return profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${label}.cpuprofile`] : [];
}
