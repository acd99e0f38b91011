//! Draws Wasla's "open for business" sticker pack: text-free icons made of circles, rounded
//! boxes, capsules and triangles, each with a white sticker outline on a transparent
//! 512×512 canvas, encoded as lossless WebP. One sticker is animated (a waving hand); it is
//! written as an extended WebP (VP8X with the animation flag, ANIM, one ANMF per frame).
//!
//! Shapes are signed distance functions (negative inside), so the outline is the same shape
//! grown by a margin and edges are anti-aliased from the distance.

use image_webp::{ColorType, WebPEncoder};
use std::path::PathBuf;

const SIZE: usize = 512;
const OUTLINE: f32 = 14.0;

type Rgba = [u8; 4];

/// A shape as a signed distance (pixels; negative inside).
type Sdf = Box<dyn Fn(f32, f32) -> f32>;

fn circle(cx: f32, cy: f32, r: f32) -> Sdf {
    Box::new(move |x, y| ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r)
}

fn ring(cx: f32, cy: f32, r: f32, w: f32) -> Sdf {
    Box::new(move |x, y| (((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r).abs() - w / 2.0)
}

fn rbox(x0: f32, y0: f32, x1: f32, y1: f32, r: f32) -> Sdf {
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let (hx, hy) = ((x1 - x0) / 2.0 - r, (y1 - y0) / 2.0 - r);
    Box::new(move |x, y| {
        let qx = (x - cx).abs() - hx;
        let qy = (y - cy).abs() - hy;
        let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
        outside + qx.max(qy).min(0.0) - r
    })
}

fn capsule(ax: f32, ay: f32, bx: f32, by: f32, w: f32) -> Sdf {
    Box::new(move |x, y| {
        let (px, py, dx, dy) = (x - ax, y - ay, bx - ax, by - ay);
        let t = ((px * dx + py * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
        ((px - dx * t).powi(2) + (py - dy * t).powi(2)).sqrt() - w / 2.0
    })
}

fn triangle(p: [(f32, f32); 3]) -> Sdf {
    Box::new(move |x, y| {
        let mut d = f32::MAX;
        let (mut pos, mut neg) = (false, false);
        for i in 0..3 {
            let (ax, ay) = p[i];
            let (bx, by) = p[(i + 1) % 3];
            let (px, py, ex, ey) = (x - ax, y - ay, bx - ax, by - ay);
            let t = ((px * ex + py * ey) / (ex * ex + ey * ey)).clamp(0.0, 1.0);
            d = d.min(((px - ex * t).powi(2) + (py - ey * t).powi(2)).sqrt());
            let cross = ex * py - ey * px;
            pos |= cross > 0.0;
            neg |= cross < 0.0;
        }
        // Inside when the point is on the same side of all three edges, in either winding.
        if !(pos && neg) {
            -d
        } else {
            d
        }
    })
}

fn union(parts: Vec<Sdf>) -> Sdf {
    Box::new(move |x, y| parts.iter().map(|f| f(x, y)).fold(f32::MAX, f32::min))
}

/// A canvas of straight (not premultiplied) RGBA.
struct Canvas(Vec<f32>);

impl Canvas {
    fn new() -> Self {
        Canvas(vec![0.0; SIZE * SIZE * 4])
    }

    /// Paint `color` where `shape` is, anti-aliased over one pixel.
    fn fill(&mut self, shape: &Sdf, color: Rgba, grow: f32) {
        for y in 0..SIZE {
            for x in 0..SIZE {
                let d = shape(x as f32 + 0.5, y as f32 + 0.5) - grow;
                let a = (0.5 - d).clamp(0.0, 1.0) * color[3] as f32 / 255.0;
                if a <= 0.0 {
                    continue;
                }
                let i = (y * SIZE + x) * 4;
                let under = self.0[i + 3];
                let out = a + under * (1.0 - a);
                for c in 0..3 {
                    let src = color[c] as f32 / 255.0;
                    self.0[i + c] = (src * a + self.0[i + c] * under * (1.0 - a)) / out;
                }
                self.0[i + 3] = out;
            }
        }
    }

    /// A shape with the white sticker outline behind it.
    fn sticker(&mut self, shapes: &[(Sdf, Rgba)]) {
        let all: Vec<&Sdf> = shapes.iter().map(|(s, _)| s).collect();
        for y in 0..SIZE {
            for x in 0..SIZE {
                let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
                let d = all.iter().map(|f| f(fx, fy)).fold(f32::MAX, f32::min) - OUTLINE;
                let a = (0.5 - d).clamp(0.0, 1.0);
                let i = (y * SIZE + x) * 4;
                if a > self.0[i + 3] {
                    self.0[i..i + 3].copy_from_slice(&[1.0, 1.0, 1.0]);
                    self.0[i + 3] = a;
                }
            }
        }
        for (shape, color) in shapes {
            self.fill(shape, *color, 0.0);
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.0
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect()
    }
}

const GREEN: Rgba = [37, 211, 102, 255];
const DARK: Rgba = [7, 94, 84, 255];
const AMBER: Rgba = [255, 184, 28, 255];
const CORAL: Rgba = [255, 107, 107, 255];
const SKY: Rgba = [77, 166, 255, 255];
const CREAM: Rgba = [255, 248, 231, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/// A hanging "open" sign: a board on a string, a tick where the word would be.
fn open_sign() -> Canvas {
    let mut c = Canvas::new();
    c.sticker(&[
        (capsule(256.0, 70.0, 120.0, 200.0, 14.0), DARK),
        (capsule(256.0, 70.0, 392.0, 200.0, 14.0), DARK),
        (circle(256.0, 70.0, 22.0), AMBER),
        (rbox(70.0, 190.0, 442.0, 420.0, 40.0), GREEN),
        (rbox(100.0, 220.0, 412.0, 390.0, 26.0), CREAM),
        (capsule(180.0, 305.0, 235.0, 355.0, 34.0), GREEN),
        (capsule(235.0, 355.0, 335.0, 250.0, 34.0), GREEN),
    ]);
    c
}

/// A shop front: a striped awning over a door and a window.
fn storefront() -> Canvas {
    let mut c = Canvas::new();
    let mut shapes = vec![(rbox(86.0, 170.0, 426.0, 450.0, 24.0), CREAM)];
    for i in 0..5 {
        let x0 = 66.0 + i as f32 * 76.0;
        let color = if i % 2 == 0 { CORAL } else { WHITE };
        shapes.push((rbox(x0, 90.0, x0 + 76.0, 200.0, 10.0), color));
        shapes.push((circle(x0 + 38.0, 200.0, 38.0), color));
    }
    shapes.push((rbox(120.0, 270.0, 250.0, 370.0, 14.0), SKY));
    shapes.push((rbox(290.0, 270.0, 390.0, 450.0, 14.0), DARK));
    shapes.push((circle(370.0, 365.0, 9.0), AMBER));
    c.sticker(&shapes);
    c
}

/// A clock at opening time.
fn clock() -> Canvas {
    let mut c = Canvas::new();
    let mut shapes = vec![
        (circle(256.0, 256.0, 200.0), SKY),
        (circle(256.0, 256.0, 165.0), CREAM),
    ];
    for i in 0..12 {
        let a = i as f32 * std::f32::consts::TAU / 12.0;
        let (s, co) = a.sin_cos();
        shapes.push((
            capsule(
                256.0 + 140.0 * s,
                256.0 - 140.0 * co,
                256.0 + 150.0 * s,
                256.0 - 150.0 * co,
                12.0,
            ),
            DARK,
        ));
    }
    shapes.push((capsule(256.0, 256.0, 256.0, 140.0, 22.0), DARK));
    shapes.push((capsule(256.0, 256.0, 340.0, 256.0, 22.0), DARK));
    shapes.push((circle(256.0, 256.0, 20.0), CORAL));
    c.sticker(&shapes);
    c
}

/// A shopping bag with a heart on it.
fn bag() -> Canvas {
    let mut c = Canvas::new();
    c.sticker(&[
        (ring(256.0, 180.0, 70.0, 24.0), DARK),
        (rbox(100.0, 170.0, 412.0, 460.0, 30.0), AMBER),
        (circle(220.0, 290.0, 45.0), CORAL),
        (circle(292.0, 290.0, 45.0), CORAL),
        (
            triangle([(180.0, 310.0), (256.0, 400.0), (332.0, 310.0)]),
            CORAL,
        ),
    ]);
    c
}

/// A speech bubble with three dots: "message us".
fn chat() -> Canvas {
    let mut c = Canvas::new();
    c.sticker(&[
        (rbox(60.0, 90.0, 452.0, 370.0, 70.0), GREEN),
        (
            triangle([(120.0, 340.0), (110.0, 450.0), (220.0, 360.0)]),
            GREEN,
        ),
        (circle(170.0, 230.0, 30.0), WHITE),
        (circle(256.0, 230.0, 30.0), WHITE),
        (circle(342.0, 230.0, 30.0), WHITE),
    ]);
    c
}

/// A waving hand (mitten shape) tilted by `angle` radians around its wrist.
fn wave(angle: f32) -> Canvas {
    let (s, co) = angle.sin_cos();
    let (wx, wy) = (256.0, 440.0);
    let rot = move |x: f32, y: f32| {
        let (dx, dy) = (x - wx, y - wy);
        (wx + dx * co - dy * s, wy + dx * s + dy * co)
    };
    let p = |x, y| rot(x, y);
    let palm: Sdf = {
        let (a, b) = (p(256.0, 300.0), p(256.0, 400.0));
        capsule(a.0, a.1, b.0, b.1, 170.0)
    };
    let mut fingers = vec![palm];
    for (x, top) in [
        (200.0, 150.0),
        (248.0, 120.0),
        (296.0, 130.0),
        (338.0, 170.0),
    ] {
        let (a, b) = (p(x, 290.0), p(x, top));
        fingers.push(capsule(a.0, a.1, b.0, b.1, 46.0));
    }
    let (a, b) = (p(180.0, 360.0), p(110.0, 270.0));
    fingers.push(capsule(a.0, a.1, b.0, b.1, 50.0));
    let mut c = Canvas::new();
    c.sticker(&[(union(fingers), AMBER)]);
    c
}

fn encode(c: &Canvas) -> Vec<u8> {
    let mut out = Vec::new();
    WebPEncoder::new(&mut out)
        .encode(&c.bytes(), SIZE as u32, SIZE as u32, ColorType::Rgba8)
        .expect("encode");
    out
}

fn chunk(tag: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn u24(v: u32) -> [u8; 3] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2]]
}

/// An animated WebP of lossless frames shown `ms` each, looping forever.
fn animate(frames: &[Canvas], ms: u32) -> Vec<u8> {
    let mut vp8x = vec![0x10 | 0x02, 0, 0, 0];
    vp8x.extend_from_slice(&u24(SIZE as u32 - 1));
    vp8x.extend_from_slice(&u24(SIZE as u32 - 1));
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend(chunk(b"ANIM", &[0, 0, 0, 0, 0, 0]));
    for f in frames {
        // The still file is RIFF header (12 bytes) + one VP8L chunk: the frame's data.
        let still = encode(f);
        let mut anmf = Vec::new();
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(SIZE as u32 - 1));
        anmf.extend_from_slice(&u24(SIZE as u32 - 1));
        anmf.extend_from_slice(&u24(ms));
        anmf.push(0x02); // do not blend; keep the canvas
        anmf.extend_from_slice(&still[12..]);
        body.extend(chunk(b"ANMF", &anmf));
    }
    chunk(b"RIFF", &body)
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/core/assets/stickers/open-for-business");
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let stills = [
        ("01-open-sign.webp", open_sign()),
        ("02-storefront.webp", storefront()),
        ("03-clock.webp", clock()),
        ("04-bag.webp", bag()),
        ("05-chat.webp", chat()),
    ];
    for (name, canvas) in &stills {
        let bytes = encode(canvas);
        std::fs::write(dir.join(name), &bytes).expect("write");
        println!("{name}: {} bytes", bytes.len());
    }
    let frames: Vec<Canvas> = [0.0f32, 0.15, 0.3, 0.15, 0.0, -0.15, -0.3, -0.15]
        .iter()
        .map(|a| wave(*a))
        .collect();
    let bytes = animate(&frames, 90);
    std::fs::write(dir.join("06-wave.webp"), &bytes).expect("write");
    println!("06-wave.webp: {} bytes, animated", bytes.len());
}
