// Screenshots of MLflow's web UI showing a `./harness run` as a user browses it (docs/figures/mlflow-*.png):
//   node --experimental-websocket scripts/mlflow-screenshots/shots.mjs URL EXPERIMENT_NAME [OUT_DIR] [COMPARE_RUN]
// URL is an MLflow server holding the run (../shared/mlflow/mlflow-server.sh, then MLFLOW_TRACKING_URI=URL ./harness run
// --golden). It drives headless Chromium over the DevTools protocol, because the views worth showing need clicks:
// nested runs expanded, a search typed, the chart view chosen.
import { browser } from './cdp.mjs';

const [url, experiment, out = 'docs/figures', compareName = 'compare-harness'] = process.argv.slice(2);
if (!url || !experiment) { console.error('usage: shots.mjs URL EXPERIMENT_NAME [OUT_DIR] [COMPARE_RUN]'); process.exit(2); }
const api = async (path, body) => {
  const response = await fetch(`${url}/api/2.0/mlflow/${path}`, body
    ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {});
  if (!response.ok) throw new Error(`${url}: ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};
const exp = (await api(`experiments/get-by-name?experiment_name=${encodeURIComponent(experiment)}`)).experiment.experiment_id;
const runs = (await api('runs/search', { experiment_ids: [exp], max_results: 1000 })).runs;
const tag = (r, k) => (r.data.tags ?? []).find(t => t.key === k)?.value;
const compare = runs.find(r => r.info.run_name === compareName);
if (!compare) { console.error(`no run named ${compareName} in ${experiment}`); process.exit(2); }
const parent = runs.find(r => r.info.run_id === tag(compare, 'mlflow.parentRunId'));
const optimizerRuns = runs.filter(r => tag(r, 'mlflow.parentRunId') === compare.info.run_id);
const horizon = Math.max(...optimizerRuns.map(r => +tag(r, 'harness.horizon')));
const longest = optimizerRuns.filter(r => +tag(r, 'harness.horizon') === horizon);

const b = await browser(new URL(url).port || 80);
const text = s => `document.body.innerText.includes(${JSON.stringify(s)})`;
const expand = name => b.js(`(() => {
  const row = [...document.querySelectorAll('.ag-row')].find(r => [...r.querySelectorAll('a')].some(a => a.textContent.trim() === ${JSON.stringify(name)}));
  const button = row && row.querySelector('button[data-component-id$="runnamecellrenderer.tsx_46"]');
  if (!button) return false; button.click(); return true; })()`);
const rect = sel => b.js(`(() => { const e = document.querySelector(${JSON.stringify(sel)}); if (!e) return null;
  const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`);
try {
  // 1. The run list: the parent run, its experiments, the compare's run per optimizer and horizon, their datasets.
  await b.go(`${url}/#/experiments/${exp}`);
  await b.until(text(parent.info.run_name), 'the run list');
  await b.sleep(500);
  await expand(parent.info.run_name);
  await b.until(text(compareName), 'the experiment runs');
  await expand(compareName);
  await b.until(`document.querySelectorAll('.ag-row').length > ${optimizerRuns.length}`, 'the optimizer runs');
  // Widen the name column (its resize handle's left half is the part not under the header's label).
  const handle = await rect('.ag-header-cell[col-id="attributes.`Run Name`"] .ag-header-cell-resize');
  if (handle) await b.drag(handle.x - 2, handle.y, 170);
  await b.sleep(1500);
  await b.shot(`${out}/mlflow-run-list.png`);

  // 2. The chart view of the optimizer runs at the longest horizon: their curves overlaid, one colour per run.
  await b.js(`(() => { const e = document.querySelector('input[placeholder*="metrics.rmse"]'); e.focus(); e.select(); return true; })()`);
  await b.type(`attributes.run_name LIKE '${compareName}/% T=${horizon}'`);
  await b.key('Enter', 'Enter', 13);
  await b.until(`document.querySelectorAll('.ag-center-cols-container .ag-row').length >= ${longest.length}`, 'the filtered runs');
  await b.js(`document.querySelector('input[name=runs-view-mode][value=CHART]').click()`);
  await b.until(`!!document.querySelector('input[placeholder="Search metric charts"]')`, 'the chart view');
  await b.js(`document.querySelector('input[placeholder="Search metric charts"]').focus()`);
  await b.type('^(train_loss|test_accuracy_by_step|test_loss)$');
  await b.sleep(6000);
  await b.shot(`${out}/mlflow-compare-chart.png`);

  // 3. MLflow's run comparison of the same runs: parallel coordinates from the tuned rate to the result.
  const ids = encodeURIComponent(JSON.stringify(longest.map(r => r.info.run_id)));
  await b.go(`${url}/#/compare-runs?runs=${ids}&experiments=${encodeURIComponent(JSON.stringify([exp]))}`);
  await b.until(text('Parallel Coordinates Plot'), 'the run comparison');
  await b.sleep(4000);
  await b.shot(`${out}/mlflow-compare-runs.png`);

  // 4. The compare run's page: its note (the headline), params, datasets; 5. its comparison.html, rendered.
  await b.go(`${url}/#/experiments/${exp}/runs/${compare.info.run_id}`);
  await b.until(text('Datasets'), 'the run page');
  await b.sleep(3000);
  await b.shot(`${out}/mlflow-compare-run.png`);
  await b.go(`${url}/#/experiments/${exp}/runs/${compare.info.run_id}/artifacts/comparison.html`);
  await b.until(`[...document.querySelectorAll('iframe')].length > 0 || ${text('optimizer')}`, 'the rendered comparison');
  await b.sleep(3000);
  await b.shot(`${out}/mlflow-comparison-html.png`);
} catch (e) {
  await b.shot(`${out}/mlflow-screenshot-failed.png`);
  throw e;
} finally {
  b.close();
}
