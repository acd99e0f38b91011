// Tones for calls, made with WebAudio (no audio files): the ringtone of an incoming call (two
// short double-rings every three seconds) and the ring-back a caller hears while it rings.
// Browsers that have not had a user gesture yet may keep the audio suspended; then it is silent.

let ctx = null;

function audio() {
  if (!ctx) {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    ctx = new AC();
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  return ctx;
}

/** Play two mixed sine tones from `at` for `len` seconds. */
function beep(ac, at, len, freqs, level) {
  const gain = ac.createGain();
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(level, at + 0.02);
  gain.gain.setValueAtTime(level, at + len - 0.04);
  gain.gain.linearRampToValueAtTime(0, at + len);
  gain.connect(ac.destination);
  for (const f of freqs) {
    const osc = ac.createOscillator();
    osc.type = 'sine';
    osc.frequency.value = f;
    osc.connect(gain);
    osc.start(at);
    osc.stop(at + len + 0.01);
  }
}

/** A repeating tone; returns its stop function. */
function loop(pattern, every) {
  const ac = audio();
  if (!ac) return () => {};
  const play = () => pattern(ac, ac.currentTime + 0.05);
  play();
  const timer = setInterval(play, every);
  return () => clearInterval(timer);
}

/** The ringtone of an incoming call. */
export function ringtone() {
  return loop((ac, t) => {
    beep(ac, t, 0.35, [440, 480], 0.18);
    beep(ac, t + 0.5, 0.35, [440, 480], 0.18);
  }, 3000);
}

/** What the caller hears while the other side rings. */
export function ringback() {
  return loop((ac, t) => beep(ac, t, 1.2, [425], 0.06), 4000);
}
