/** Saves `data` as a JSON file through the browser's download of a blob link. */
export function downloadJson(fileName: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** `caller-context-failed-2026-11-22.json`: the failed after-call events of a day's export. */
export function failedExportName(now = new Date()): string {
  return `caller-context-failed-${now.toISOString().slice(0, 10)}.json`;
}
