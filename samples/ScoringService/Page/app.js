// The page: choose or drop an image → POST /predict?rectified=true (form field "image") → label, top 5, and the input
// beside what the classifier saw. Plain JavaScript, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const percent = (p) => (p > 0 && p < 0.0005 ? "< 0.1" : (100 * p).toFixed(1)) + " %";

async function describeModel() {
  try {
    const response = await fetch("/model");
    if (!response.ok) throw new Error(await problemText(response));
    const m = await response.json();
    const parts = [
      `${m.classes.length} classes`,
      `${m.input.width}×${m.input.height} input`,
      m.architecture, m.sampler && `${m.sampler} sampler`, m.downsampling && `${m.downsampling}× downsampling`,
      `graph ${m.graphSha256.slice(0, 12)}…`,
    ].filter(Boolean);
    $("model").textContent = parts.join(" · ");
  } catch (e) {
    $("model").textContent = "Could not read /model: " + e.message;
  }
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || response.statusText;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
  $("result").hidden = true;
}

async function classify(file) {
  if (!file) return;
  $("error").hidden = true;
  $("label").textContent = "";
  const input = $("input");
  if (input.src) URL.revokeObjectURL(input.src);
  input.src = URL.createObjectURL(file);

  const form = new FormData();
  form.append("image", file, file.name);
  let response;
  try {
    response = await fetch("/predict?rectified=true", { method: "POST", body: form });
  } catch (e) {
    showError("The service did not answer: " + e.message);
    return;
  }
  if (!response.ok) {
    showError(await problemText(response));
    return;
  }
  show(await response.json());
}

function show(p) {
  $("label").textContent = p.label;
  $("probability").textContent = percent(p.probability);
  $("input-size").textContent = `(${p.image.width}×${p.image.height} ${p.image.format})`;

  const rectified = $("rectified"), missing = $("rectified-missing");
  if (p.rectified && p.rectified.available) {
    rectified.src = "data:image/png;base64," + p.rectified.pngBase64;
    rectified.hidden = false;
    missing.hidden = true;
    $("rectified-size").textContent = `(${p.rectified.width}×${p.rectified.height})`;
  } else {
    rectified.removeAttribute("src");
    rectified.hidden = true;
    missing.textContent = p.rectified ? p.rectified.reason : "The service returned no rectified image.";
    missing.hidden = false;
    $("rectified-size").textContent = "";
  }

  const top = $("top");
  top.replaceChildren(...p.top.map((t) => {
    const li = document.createElement("li");
    li.style.setProperty("--p", (100 * t.probability).toFixed(1) + "%");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = t.label;
    const value = document.createElement("span");
    value.textContent = percent(t.probability);
    li.append(name, value);
    return li;
  }));

  $("warp").textContent = p.warp.available
    ? `${p.warp.family || "warp"}: [${p.warp.parameters.map((v) => v.toFixed(4)).join(", ")}]`
    : p.warp.reason;
  $("timings").textContent = `decoded in ${p.decodeMs.toFixed(2)} ms, scored in ${p.scoringMs.toFixed(2)} ms`;
  $("result").hidden = false;
}

$("file").addEventListener("change", (e) => classify(e.target.files[0]));

const drop = $("drop");
for (const type of ["dragenter", "dragover"]) {
  drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
}
for (const type of ["dragleave", "drop"]) {
  drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.remove("over"); });
}
drop.addEventListener("drop", (e) => classify(e.dataTransfer.files[0]));

describeModel();
