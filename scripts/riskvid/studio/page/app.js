// riskvid studio: the timeline to scale, a player, and live updates from the server's events.
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const api = (path) => `${path}?token=${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);
const player = $("player");
let timeline = null;       // the last /api/timeline answer
let shownVersion = -1;     // its timeline_version
let pxPerSecond = Number($("zoom").value);
let stopAt = null;         // a beat's end while one beat plays
let waveform = null;
let pendingSeek = null;    // a seek asked for before the video could take it

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // data is text, never markup
  return node;
}

function place(node, start, end) {
  node.style.left = `${start * pxPerSecond}px`;
  node.style.width = `${Math.max(1, (end - start) * pxPerSecond)}px`;
  return node;
}

function render() {
  if (!timeline) return;
  const width = Math.max(1, timeline.duration * pxPerSecond);
  $("timeline").style.width = `${width}px`;
  $("title").textContent = timeline.title || "riskvid studio";
  $("quality").textContent = timeline.frame ? `${timeline.quality}: ${timeline.frame[0]}×${timeline.frame[1]} at ${timeline.frame[2]} fps` : "";
  const ruler = $("ruler"), segments = $("segments"), beats = $("beats"), lines = $("lines"), words = $("words"), cues = $("cues");
  for (const row of [ruler, segments, beats, lines, words, cues]) row.replaceChildren();
  const step = [1, 2, 5, 10, 15, 30, 60].find((s) => s * pxPerSecond >= 48) || 120;
  for (let t = 0; t <= timeline.duration; t += step) {
    const tick = el("div", "tick", `${t} s`);
    tick.style.left = `${t * pxPerSecond}px`;
    ruler.append(tick);
  }
  for (const segment of timeline.segments) {
    const block = place(el("div", "block segment", segment.title || segment.id), segment.start, segment.end);
    block.title = `${segment.id} (${segment.scene}) ${segment.start.toFixed(2)}–${segment.end.toFixed(2)} s`;
    segments.append(block);
    for (const beat of segment.beats) {
      const node = place(el("div", "block beat"), beat.start, beat.end);
      node.dataset.key = `${segment.id}/${beat.name}`;
      node.dataset.segment = segment.id;
      node.dataset.beat = beat.name;
      node.dataset.start = beat.start;
      node.dataset.end = beat.end;
      if (beat.poster) {
        const img = el("img");
        img.src = beat.poster;
        img.alt = "";
        img.loading = "lazy";
        node.append(img);
      }
      node.append(el("span", "name", beat.name), el("span", "badge"));
      const bar = el("div", "bar");
      bar.append(el("div"));
      node.append(bar);
      setStatus(node, beat.status, beat.progress, beat.render_seconds);
      node.addEventListener("click", () => playBeat(beat.start, beat.end, node));
      beats.append(node);
      for (const line of beat.lines) {
        const block = place(el("div", "block line", line.text), line.start, line.end);
        block.title = `${line.id}: ${line.start.toFixed(2)}–${line.end.toFixed(2)} s`;
        lines.append(block);
        for (const word of line.words) {
          const mark = el("span", "word", word.text);
          mark.style.left = `${word.start * pxPerSecond}px`;
          mark.dataset.start = word.start;
          mark.dataset.end = word.end;
          mark.title = `${word.text}: ${word.start.toFixed(2)}–${word.end.toFixed(2)} s`;
          words.append(mark);
        }
      }
    }
  }
  for (const cue of timeline.cues) {
    const block = place(el("div", "block cue", cue.text), cue.start, cue.end);
    block.dataset.start = cue.start;
    block.dataset.end = cue.end;
    cues.append(block);
  }
  drawWave();
  movePlayhead();
}

function setStatus(node, status, progress, seconds) {
  node.classList.remove(...[...node.classList].filter((c) => c.startsWith("status-")));
  node.classList.add(`status-${status}`);
  node.dataset.status = status;
  let label = status;
  if (status === "rendering" && progress !== null && progress !== undefined) label += ` ${Math.round(progress * 100)} %`;
  if (status === "rendered" && seconds !== null && seconds !== undefined) label += ` (${seconds.toFixed(1)} s)`;
  node.querySelector(".badge").textContent = label;
  node.querySelector(".bar > div").style.width = status === "rendering" ? `${Math.round((progress || 0) * 100)}%` : "0";
  node.title = `${node.dataset.key}: ${label}, ${Number(node.dataset.start).toFixed(2)}–${Number(node.dataset.end).toFixed(2)} s`;
}

function drawWave() {
  const canvas = $("wave");
  const width = Math.max(1, Math.round((timeline ? timeline.duration : 0) * pxPerSecond));
  canvas.width = Math.min(width, 32000);
  canvas.style.width = `${width}px`;
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!waveform || !waveform.peaks.length) return;
  const scale = canvas.width / width, middle = canvas.height / 2;
  context.fillStyle = "#5fa8d3";
  waveform.peaks.forEach((peak, index) => {
    const x = (index / waveform.rate) * pxPerSecond * scale;
    const w = Math.max(1, (pxPerSecond / waveform.rate) * scale);
    context.fillRect(x, middle - peak * middle, w, Math.max(1, 2 * peak * middle));
  });
}

function playBeat(start, end, node) {
  document.querySelectorAll(".beat.playing").forEach((b) => b.classList.remove("playing"));
  node.classList.add("playing");
  stopAt = end;
  seekAndPlay(start + 0.001);
}

function seekAndPlay(time) {
  if (player.readyState >= 1) {
    player.currentTime = time;
  } else {
    pendingSeek = time;  // taken once the video's metadata is in
  }
  player.play().catch(() => {});
}

$("play-all").addEventListener("click", () => {
  stopAt = null;
  document.querySelectorAll(".beat.playing").forEach((b) => b.classList.remove("playing"));
  seekAndPlay(0);
});

$("zoom").addEventListener("input", (event) => {
  pxPerSecond = Number(event.target.value);
  render();
});

function movePlayhead() {
  const t = player.currentTime || 0;
  $("playhead").style.left = `${t * pxPerSecond}px`;
  $("clock").textContent = `${t.toFixed(2)} s`;
  for (const cue of document.querySelectorAll(".cue")) cue.classList.toggle("shown", cue.dataset.start <= t && t < cue.dataset.end);
  for (const word of document.querySelectorAll(".word")) word.classList.toggle("spoken", word.dataset.start <= t && t < word.dataset.end);
  const beat = [...document.querySelectorAll(".beat")].find((b) => b.dataset.start <= t && t < b.dataset.end);
  $("now-beat").textContent = beat ? `beat ${beat.dataset.key}` : "";
}

player.addEventListener("timeupdate", () => {
  if (stopAt !== null && player.currentTime >= stopAt) {
    player.pause();
    stopAt = null;
  }
  movePlayhead();
});
player.addEventListener("seeked", movePlayhead);

async function loadTimeline() {
  const answer = await fetch(api("/api/timeline"), { cache: "no-store" });
  if (!answer.ok) return;
  const fresh = await answer.json();
  if (fresh.video && (!timeline || timeline.video !== fresh.video)) {
    const at = player.currentTime, paused = player.paused;  // the new render picks up where the old one was
    player.src = fresh.video;
    player.addEventListener("loadedmetadata", () => {
      if (pendingSeek !== null) {
        player.currentTime = pendingSeek;
        pendingSeek = null;
      } else if (at > 0) {
        player.currentTime = Math.min(at, player.duration || at);
        if (!paused) player.play().catch(() => {});
      }
    }, { once: true });
    waveform = await (await fetch(api("/api/waveform"), { cache: "no-store" })).json();
  }
  if (!timeline && fresh.duration > 0) {  // the first look: the whole video fits the page's width
    const fit = ($("timeline").parentElement.clientWidth - 4) / fresh.duration;
    pxPerSecond = Math.min(200, Math.max(4, fit));
    $("zoom").value = String(Math.round(pxPerSecond));
  }
  timeline = fresh;
  render();
}

function showState(state) {
  const stage = $("stage");
  stage.textContent = state.building ? `building: ${state.stage}` : (state.error ? "failed: the last good render is shown" : "up to date");
  stage.className = `stage${state.building ? " building" : ""}${state.error ? " failed" : ""}`;
  const error = $("error");
  error.hidden = !state.error;
  error.textContent = state.error || "";
  $("log").textContent = (state.log || []).join("\n");
  for (const [key, live] of Object.entries(state.live || {})) {
    const [segment, beat] = key.split("/");
    const nodes = beat === "*" ? document.querySelectorAll(`.beat[data-segment="${CSS.escape(segment)}"]`)
      : document.querySelectorAll(`.beat[data-key="${CSS.escape(key)}"]`);
    nodes.forEach((node) => setStatus(node, live.status, live.progress, live.render_seconds));
  }
  document.body.dataset.version = state.version;
}

function listen() {
  const events = new EventSource(api("/api/events"));
  events.addEventListener("state", async (event) => {
    const state = JSON.parse(event.data);
    if (state.timeline_version !== shownVersion) {
      shownVersion = state.timeline_version;
      await loadTimeline();
    }
    showState(state);
  });
  events.onerror = () => { $("stage").textContent = "reconnecting…"; };
}

loadTimeline().then(listen);
