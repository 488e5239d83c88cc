//! Pictures in, an animated GIF or APNG out, on a thread of its own so that the window keeps
//! drawing (and can be cancelled) while a picture is compressed.
//!
//! The file is written beside its path and renamed into place only once the last picture is in
//! ([`crate::export::to_file`]): a cancelled or failed export leaves nothing behind, and never a
//! half-written file where a good one was.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, TrySendError};

use crate::animation::{Format, Plan};
use crate::export::ExportError;
use crate::ui::job::Job;

/// One picture: `width` x `height` pixels, four bytes each (sRGB, alpha not premultiplied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

impl Picture {
    /// The same picture cut or widened to `width` x `height` from its top left corner; new
    /// pixels take `fill`. Every picture of an animation has the first one's size, even if the
    /// window was resized while they were drawn.
    pub fn fitted(self, width: usize, height: usize, fill: [u8; 4]) -> Picture {
        if self.width == width && self.height == height {
            return self;
        }
        let mut rgba = Vec::with_capacity(width * height * 4);
        for y in 0..height {
            let row = (y < self.height).then(|| {
                let start = y * self.width * 4;
                &self.rgba[start..start + self.width.min(width) * 4]
            });
            let kept = row.map_or(0, <[u8]>::len);
            rgba.extend_from_slice(row.unwrap_or(&[]));
            for _ in kept / 4..width {
                rgba.extend_from_slice(&fill);
            }
        }
        Picture {
            width,
            height,
            rgba,
        }
    }
}

/// Pictures waiting for the encoder: enough to keep it busy, few enough to bound memory (a
/// 3840x2160 picture is 33 MB).
const QUEUE: usize = 2;

/// An animation being written by a [`Job`] of its own.
pub struct Encoder {
    sender: Option<SyncSender<Picture>>,
    job: Option<Job<Result<(), ExportError>>>,
    /// A picture the queue had no room for yet.
    waiting: Option<Picture>,
    path: PathBuf,
}

impl Encoder {
    /// Starts writing `plan`'s animation to `path`; it expects exactly `plan.len()` pictures.
    /// The window repaints every frame while an animation is pictured: no one to wake.
    pub fn start(path: PathBuf, plan: &Plan) -> Encoder {
        let (sender, receiver) = std::sync::mpsc::sync_channel(QUEUE);
        let (format, count) = (plan.format, plan.len());
        let delays: Vec<u16> = (0..count).map(|k| plan.delay_of(k)).collect();
        let page = plan.story.as_ref().and_then(|s| s.page.clone());
        let target = path.clone();
        let what = format!("Writing {}", path.display());
        let job = Job::start(what, None, move |control| {
            if let Some((html, names)) = page {
                let pictures = receiver.iter();
                return write_page(&target, &html, &names, pictures, &|| control.cancelled());
            }
            crate::export::to_file(&target, |out| {
                write(format, &delays, count, receiver.iter(), out)?;
                // Cancelled with every picture in: the file is still not put in place.
                match control.cancelled() {
                    true => Err(cancelled(count, count)),
                    false => Ok(()),
                }
            })
        });
        Encoder {
            sender: Some(sender),
            job: Some(job),
            waiting: None,
            path,
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Hands a picture over without waiting. `Ok(false)`: the queue is full and the picture is
    /// kept; call [`Encoder::flush`] until it is taken before sending another.
    pub fn send(&mut self, picture: Picture) -> Result<bool, String> {
        debug_assert!(self.waiting.is_none(), "a picture is already waiting");
        self.waiting = Some(picture);
        self.flush()
    }

    /// Tries again to hand over the waiting picture. `Ok(true)` once nothing is waiting.
    pub fn flush(&mut self) -> Result<bool, String> {
        let Some(picture) = self.waiting.take() else {
            return Ok(true);
        };
        let Some(sender) = &self.sender else {
            return Err("the encoder has stopped".into());
        };
        match sender.try_send(picture) {
            Ok(()) => Ok(true),
            Err(TrySendError::Full(picture)) => {
                self.waiting = Some(picture);
                Ok(false)
            }
            // The encoder stopped early: it failed, and `finish` says why.
            Err(TrySendError::Disconnected(_)) => Err("the encoder has stopped".into()),
        }
    }

    /// Waits for the last picture to be written and the file put in place.
    pub fn finish(mut self) -> Result<PathBuf, ExportError> {
        // A picture still waiting for room goes in first, waiting as long as it takes.
        if let (Some(picture), Some(sender)) = (self.waiting.take(), &self.sender) {
            let _ = sender.send(picture);
        }
        self.sender = None;
        let result = match self.job.take().map(Job::wait) {
            Some(Ok(result)) => result,
            Some(Err(stopped)) => Err(ExportError::Io(std::io::Error::other(stopped))),
            None => Err(ExportError::Io(std::io::Error::other(
                "the encoder stopped unexpectedly",
            ))),
        };
        result.map(|()| self.path.clone())
    }

    /// Stops: the pictures so far are dropped and no file is left behind.
    pub fn cancel(mut self) {
        // Fewer pictures than planned: the writer fails and the partial file is removed.
        self.waiting = None;
        if let Some(job) = &self.job {
            job.cancel();
        }
        let _ = self.finish();
    }
}

impl Drop for Encoder {
    /// An encoder dropped unfinished (the window closed mid-export) stops its thread and waits
    /// for the partial file to be removed before the process can end.
    fn drop(&mut self) {
        self.sender = None;
        if let Some(job) = self.job.take() {
            let _ = job.wait();
        }
    }
}

/// Writes a story's web page: each picture as a PNG file named as the page names it, then the
/// page, into a folder beside `dir` that is renamed to `dir` once all is written. Cancelled or
/// failed, nothing is left: `dir` is there whole or not at all.
pub fn write_page(
    dir: &std::path::Path,
    html: &str,
    names: &[String],
    pictures: impl Iterator<Item = Picture>,
    cancelled_now: &dyn Fn() -> bool,
) -> Result<(), ExportError> {
    let mut staging = dir.as_os_str().to_owned();
    staging.push(".partial");
    let staging = PathBuf::from(staging);
    let result = (|| {
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging)?;
        let mut written = 0;
        for (picture, name) in pictures.zip(names) {
            let file = std::fs::File::create(staging.join(name))?;
            let mut out = std::io::BufWriter::new(file);
            write_png(&picture, &mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            written += 1;
        }
        if written < names.len() || cancelled_now() {
            return Err(cancelled(written, names.len()));
        }
        std::fs::write(staging.join("index.html"), html)?;
        std::fs::rename(&staging, dir)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// One picture as a PNG file.
fn write_png(picture: &Picture, out: &mut dyn Write) -> Result<(), ExportError> {
    let (w, h) = (picture.width, picture.height);
    let (Ok(pw), Ok(ph)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err(too_big(w, h));
    };
    let mut encoder = png::Encoder::new(out, pw, ph);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let to_io = |e: png::EncodingError| ExportError::Io(std::io::Error::other(e.to_string()));
    let mut writer = encoder.write_header().map_err(to_io)?;
    writer.write_image_data(&picture.rgba).map_err(to_io)?;
    writer.finish().map_err(to_io)
}

/// Writes `count` pictures as an animation that loops forever, picture `k` shown
/// `delays_ms[k]`. Fails if fewer come (the export was cancelled).
pub fn write(
    format: Format,
    delays_ms: &[u16],
    count: usize,
    pictures: impl Iterator<Item = Picture>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut pictures = pictures.peekable();
    let Some(first) = pictures.peek() else {
        return Err(cancelled(0, count));
    };
    let (w, h) = (first.width, first.height);
    let written = match format {
        Format::Gif => write_gif(w, h, delays_ms, count, pictures, out)?,
        Format::Apng => write_apng(w, h, delays_ms, count, pictures, out)?,
    };
    if written < count {
        return Err(cancelled(written, count));
    }
    Ok(())
}

fn cancelled(written: usize, count: usize) -> ExportError {
    ExportError::Io(std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        format!(
            "the animation was stopped after {written} of {count} pictures; nothing was written"
        ),
    ))
}

/// The background behind a picture cut short of its size: white, as the caption's.
const FILL: [u8; 4] = [255, 255, 255, 255];

fn too_big(w: usize, h: usize) -> ExportError {
    ExportError::Io(std::io::Error::other(format!(
        "a {w}x{h} picture is larger than an animation can hold (65535 pixels a side)"
    )))
}

fn write_gif(
    w: usize,
    h: usize,
    delays_ms: &[u16],
    count: usize,
    pictures: impl Iterator<Item = Picture>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let gif_error = |e: gif::EncodingError| match e {
        gif::EncodingError::Io(e) => ExportError::Io(e),
        other => ExportError::Io(std::io::Error::other(other.to_string())),
    };
    let (gw, gh) = match (u16::try_from(w), u16::try_from(h)) {
        (Ok(gw), Ok(gh)) => (gw, gh),
        _ => return Err(too_big(w, h)),
    };
    let mut encoder = gif::Encoder::new(out, gw, gh, &[]).map_err(gif_error)?;
    encoder
        .set_repeat(gif::Repeat::Infinite)
        .map_err(gif_error)?;
    let mut written = 0;
    for picture in pictures.take(count) {
        let delay_ms = delays_ms.get(written).copied().unwrap_or(100);
        let (palette, indices) = quantize(&picture.fitted(w, h, FILL).rgba);
        let frame = gif::Frame {
            width: gw,
            height: gh,
            buffer: std::borrow::Cow::Owned(indices),
            palette: Some(palette),
            delay: (delay_ms / 10).max(1),
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).map_err(gif_error)?;
        written += 1;
    }
    Ok(written)
}

/// A picture's 256 colours and each pixel's index into them. A picture of at most 256 colours
/// keeps them exactly. Otherwise the 256 most frequent colours are kept and every other colour
/// takes the nearest of them: a window's picture is flat fills (exact, and the most frequent)
/// and anti-aliased edges of text and lines (a few thousand rare shades), for which the nearest
/// common colour is as good as a trained palette, at a fraction of NeuQuant's cost (which took
/// most of a second a picture at 1400x900).
fn quantize(rgba: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use std::collections::HashMap;
    let key = |p: &[u8]| u32::from_le_bytes([p[0], p[1], p[2], 0]);
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for p in rgba.chunks_exact(4) {
        *counts.entry(key(p)).or_insert(0) += 1;
    }
    let mut colours: Vec<(u32, u32)> = counts.into_iter().collect();
    // Most frequent first; ties by colour, so that the same picture always gives the same file.
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kept: Vec<[u8; 3]> = colours
        .iter()
        .take(256)
        .map(|&(c, _)| {
            let [r, g, b, _] = c.to_le_bytes();
            [r, g, b]
        })
        .collect();
    let nearest = |c: u32| -> u8 {
        let [r, g, b, _] = c.to_le_bytes();
        let distance = |k: &[u8; 3]| {
            let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
            d(r, k[0]) + d(g, k[1]) + d(b, k[2])
        };
        let best = (0..kept.len())
            .min_by_key(|&i| distance(&kept[i]))
            .unwrap_or(0);
        u8::try_from(best).unwrap_or(0)
    };
    let index: HashMap<u32, u8> = colours.iter().map(|&(c, _)| (c, nearest(c))).collect();
    let indices = rgba
        .chunks_exact(4)
        .map(|p| index.get(&key(p)).copied().unwrap_or(0))
        .collect();
    (kept.concat(), indices)
}

fn write_apng(
    w: usize,
    h: usize,
    delays_ms: &[u16],
    count: usize,
    pictures: impl Iterator<Item = Picture>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let png_error = |e: png::EncodingError| match e {
        png::EncodingError::IoError(e) => ExportError::Io(e),
        other => ExportError::Io(std::io::Error::other(other.to_string())),
    };
    let (pw, ph) = match (u32::try_from(w), u32::try_from(h)) {
        (Ok(pw), Ok(ph)) if pw <= 65_535 && ph <= 65_535 => (pw, ph),
        _ => return Err(too_big(w, h)),
    };
    let frames = u32::try_from(count).map_err(|_| too_big(w, h))?;
    let mut encoder = png::Encoder::new(out, pw, ph);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_animated(frames, 0).map_err(png_error)?;
    let delay = |k: usize| delays_ms.get(k).copied().unwrap_or(100);
    encoder.set_frame_delay(delay(0), 1000).map_err(png_error)?;
    let mut writer = encoder.write_header().map_err(png_error)?;
    let mut written = 0;
    for picture in pictures.take(count) {
        writer
            .set_frame_delay(delay(written), 1000)
            .map_err(png_error)?;
        writer
            .write_image_data(&picture.fitted(w, h, FILL).rgba)
            .map_err(png_error)?;
        written += 1;
    }
    if written == count {
        writer.finish().map_err(png_error)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(w: usize, h: usize, colour: [u8; 4]) -> Picture {
        Picture {
            width: w,
            height: h,
            rgba: colour.repeat(w * h),
        }
    }

    const RED: [u8; 4] = [0xc0, 0x1c, 0x28, 255];

    /// A fresh folder of this test's own.
    fn folder(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("truce-anim-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        dir
    }

    /// Checks that nothing is left in `dir`, and removes it.
    fn assert_left_empty(dir: &std::path::Path) {
        let left: Vec<_> = std::fs::read_dir(dir).expect("listed").collect();
        assert!(left.is_empty(), "left behind: {left:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    fn may_first() -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        chrono::Utc
            .with_ymd_and_hms(2016, 5, 1, 0, 0, 0)
            .single()
            .expect("a date")
    }
    const BLUE: [u8; 4] = [0x00, 0x72, 0xb2, 255];

    #[test]
    fn a_picture_is_cut_or_widened_to_the_first_ones_size() {
        let small = flat(2, 1, RED).fitted(3, 2, BLUE);
        assert_eq!((small.width, small.height), (3, 2));
        assert_eq!(&small.rgba[0..4], &RED);
        assert_eq!(&small.rgba[8..12], &BLUE, "the new column");
        assert_eq!(&small.rgba[12..16], &BLUE, "the new row");
        let big = flat(4, 4, RED).fitted(2, 2, BLUE);
        assert_eq!(big.rgba, RED.repeat(4));
    }

    #[test]
    fn over_256_colours_the_frequent_ones_stay_exact_and_the_rare_take_the_nearest() {
        // A flat red field with 300 rare shades of grey sprinkled over it.
        let mut rgba = RED.repeat(10_000);
        for i in 0..300u32 {
            let v = (i % 250) as u8;
            let at = (i as usize) * 4 * 30;
            rgba[at..at + 4].copy_from_slice(&[v, v, v.wrapping_add((i / 250) as u8), 255]);
        }
        let (palette, indices) = quantize(&rgba);
        assert_eq!(palette.len(), 256 * 3);
        let colour = |i: usize| {
            let k = usize::from(indices[i]) * 3;
            [palette[k], palette[k + 1], palette[k + 2]]
        };
        assert_eq!(colour(1), [RED[0], RED[1], RED[2]], "the field is exact");
        let distance = |p: [u8; 3], q: [u8; 3]| -> i32 {
            (0..3)
                .map(|k| (i32::from(p[k]) - i32::from(q[k])).pow(2))
                .sum()
        };
        for i in 0..300usize {
            let at = i * 30 * 4;
            let shade = [rgba[at], rgba[at + 1], rgba[at + 2]];
            let best = palette
                .chunks_exact(3)
                .map(|q| distance(shade, [q[0], q[1], q[2]]))
                .min()
                .expect("a palette");
            assert_eq!(distance(shade, colour(i * 30)), best, "shade {i}");
        }
    }

    #[test]
    fn a_gif_holds_every_picture_with_its_colours_and_delay() {
        let mut out = Vec::new();
        let pictures = vec![flat(8, 6, RED), flat(8, 6, BLUE), flat(8, 6, RED)];
        write(Format::Gif, &[500; 3], 3, pictures.into_iter(), &mut out).expect("written");
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(out.as_slice()).expect("a GIF");
        assert_eq!((decoder.width(), decoder.height()), (8, 6));
        let mut colours = Vec::new();
        while let Some(frame) = decoder.read_next_frame().expect("a frame") {
            assert_eq!(frame.delay, 50, "hundredths of a second");
            colours.push(frame.buffer[0..4].to_vec());
        }
        assert_eq!(colours, vec![RED.to_vec(), BLUE.to_vec(), RED.to_vec()]);
    }

    #[test]
    fn an_apng_holds_every_picture_with_its_colours_and_delay() {
        let mut out = Vec::new();
        let pictures = vec![flat(5, 4, BLUE), flat(5, 4, RED)];
        write(Format::Apng, &[250; 2], 2, pictures.into_iter(), &mut out).expect("written");
        let decoder = png::Decoder::new(std::io::Cursor::new(out));
        let mut reader = decoder.read_info().expect("a PNG");
        let control = reader.info().animation_control().expect("animated");
        assert_eq!(control.num_frames, 2);
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let mut colours = Vec::new();
        for _ in 0..2 {
            reader.next_frame(&mut buf).expect("a frame");
            let fc = reader.info().frame_control().expect("frame control");
            assert_eq!((fc.delay_num, fc.delay_den), (250, 1000));
            colours.push(buf[0..4].to_vec());
        }
        assert_eq!(colours, vec![BLUE.to_vec(), RED.to_vec()]);
    }

    #[test]
    fn a_cancelled_animation_is_an_error_and_leaves_no_file() {
        let dir = folder("cut");
        let path = dir.join("cut.gif");
        let result = crate::export::to_file(&path, |out| {
            write(
                Format::Gif,
                &[500; 3],
                3,
                vec![flat(4, 4, RED)].into_iter(),
                out,
            )
        });
        assert!(result.is_err());
        assert_left_empty(&dir);
    }

    #[test]
    fn cancelled_even_after_the_last_picture_the_encoder_leaves_no_file() {
        use chrono::TimeDelta;
        let dir = folder("cancel");
        let from = may_first();
        let plan = Plan::new(from, from, TimeDelta::hours(1), Format::Gif, 100).expect("a plan");
        let mut encoder = Encoder::start(dir.join("one.gif"), &plan);
        let _ = encoder.send(flat(3, 3, RED)).expect("sent");
        encoder.cancel();
        assert_left_empty(&dir);
    }

    #[test]
    fn the_threaded_encoder_writes_the_file_once_every_picture_is_in() {
        use chrono::TimeDelta;
        let dir = folder("threaded");
        let from = may_first();
        let plan = Plan::new(
            from,
            from + TimeDelta::days(1),
            TimeDelta::hours(12),
            Format::Apng,
            100,
        )
        .expect("a plan");
        let path = dir.join("day.png");
        let mut encoder = Encoder::start(path.clone(), &plan);
        for _ in 0..plan.len() {
            let mut taken = encoder.send(flat(3, 3, RED)).expect("sent");
            while !taken {
                std::thread::sleep(std::time::Duration::from_millis(1));
                taken = encoder.flush().expect("flushed");
            }
        }
        assert!(!path.exists(), "the file appears only once complete");
        assert_eq!(encoder.finish().expect("written"), path);
        let reader = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&path).expect("the file"),
        ))
        .read_info()
        .expect("a PNG");
        assert_eq!(
            reader.info().animation_control().map(|c| c.num_frames),
            Some(3)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
