// Shared by every browser scenario (copied next to it): runs the check, prints its lines into
// <pre id="out"> and sets document.body.dataset.status, which the harness waits for.
export async function report(check) {
  const out = document.getElementById('out');
  try {
    const lines = await check();
    out.textContent = lines.join('\n');
    document.body.dataset.status = 'done';
  } catch (error) {
    out.textContent = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
    document.body.dataset.status = 'error';
  }
}
