//! The knowledge base's files as bounded text with positions. Reading is bounded (regular files
//! only, opened without blocking, capped in size); scanning walks the YAML events to refuse what
//! would make parsing expensive: anchors and aliases (an alias bomb expands a 1 MB file into
//! gigabytes), several documents in one file, deep nesting. Walking every file is a large part
//! of loading, so `plainly_safe` first looks at the bytes: a file it clears cannot hold an
//! anchor, an alias or a second document, and is scanned only when it fails to parse. Where
//! every key and list item starts is found by walking again, only when a problem asks for a
//! position, so that it can name its file:line:col.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScanError};

use super::Problem;

/// Largest knowledge file; the shipped ones are a few tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Largest knowledge base, all files together.
pub const MAX_TOTAL_BYTES: u64 = 4 << 20;
/// Most files in a knowledge base directory.
pub const MAX_FILES: usize = 500;
/// Deepest nesting of lists and mappings (the schema needs six).
pub const MAX_DEPTH: usize = 24;

/// Where each key and list item of one file starts, by path (`topics.3.answer.en`).
/// Positions are found only when a problem asks for one: a knowledge base without problems needs
/// none, and recording one for every example question would be most of the cost of loading.
#[derive(Debug, Default)]
pub struct SourceMap {
    pub name: String,
    /// The file's text, kept to find positions on demand.
    text: Option<std::sync::Arc<str>>,
    spots: std::sync::OnceLock<HashMap<String, (usize, usize)>>,
}

impl SourceMap {
    /// A file with no positions (for problems about the file as a whole).
    pub fn bare(name: &str) -> SourceMap {
        SourceMap {
            name: name.to_string(),
            text: None,
            spots: std::sync::OnceLock::new(),
        }
    }

    fn spots(&self) -> &HashMap<String, (usize, usize)> {
        self.spots.get_or_init(|| match &self.text {
            Some(text) => walk(&self.name, text, true).unwrap_or_default(),
            None => HashMap::new(),
        })
    }

    /// The line and column (1-based) of `path`, or of its nearest ancestor present in the file
    /// (a missing key is reported where its parent starts).
    pub fn at(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(&spot) = self.spots().get(p) {
                return Some(spot);
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// `file:line:col` of `path`, for messages that point to another place.
    pub fn place(&self, path: &str) -> String {
        match self.at(path) {
            Some((l, c)) => format!("{}:{l}:{c}", self.name),
            None => self.name.clone(),
        }
    }

    /// A problem located at `path` in this file.
    pub fn problem(&self, path: &str, message: impl Into<String>) -> Problem {
        let spot = self.at(path);
        Problem {
            file: self.name.clone(),
            line: spot.map(|s| s.0),
            column: spot.map(|s| s.1),
            message: message.into(),
        }
    }
}

/// Where a topic was written: its file and its place in that file's `topics` list.
#[derive(Debug, Clone)]
pub struct TopicSource {
    pub map: std::sync::Arc<SourceMap>,
    pub index: usize,
}

impl TopicSource {
    /// A problem at `sub` (such as `answer.en`) within the topic.
    pub fn problem(&self, sub: &str, message: impl Into<String>) -> Problem {
        self.map.problem(&format!("topics.{}.{sub}", self.index), message)
    }
}

/// Reads one file: only a regular file, opened without blocking (a named pipe called `*.yaml`
/// must not hang the loader), at most `MAX_FILE_BYTES`, UTF-8 with the position of the first
/// bad byte otherwise.
pub fn read_file(path: &Path) -> Result<String, Problem> {
    let name = path.display().to_string();
    let fail = |m: String| Problem::new(name.clone(), m);
    // `metadata` follows symbolic links and never opens the file: a FIFO is refused here.
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    check_regular(&meta).map_err(fail)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Should the file be swapped for a pipe between the check and the open.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let meta = file.metadata().map_err(|e| fail(format!("cannot read: {e}")))?;
    check_regular(&meta).map_err(fail)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(too_big()));
    }
    decode(&name, bytes)
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), String> {
    if !meta.is_file() {
        return Err("not a regular file (a named pipe, socket or device?): refused".to_string());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(())
}

fn too_big() -> String {
    format!("larger than {} KiB: refused", MAX_FILE_BYTES / 1024)
}

/// UTF-8 text, or a problem at the line and column of the first byte that is not.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Valid up to here by definition.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Problem {
            file: name.to_string(),
            line: Some(line),
            column: Some(column),
            message: "not valid UTF-8".to_string(),
        }
    })
}

enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, next: usize },
}

fn join(path: &str, seg: &str) -> String {
    if path.is_empty() {
        seg.to_string()
    } else {
        format!("{path}.{seg}")
    }
}

/// Scans a file's YAML events: the position of every key and list item, or the first problem
/// that makes the file unsafe or impossible to read.
pub fn scan(name: &str, text: &str) -> Result<SourceMap, Problem> {
    walk(name, text, false)?;
    Ok(SourceMap::unscanned(name, text))
}

impl SourceMap {
    /// The positions of a file that is not scanned (`plainly_safe`), found on demand like those
    /// of a scanned one.
    pub fn unscanned(name: &str, text: &str) -> SourceMap {
        SourceMap {
            name: name.to_string(),
            text: Some(text.into()),
            spots: std::sync::OnceLock::new(),
        }
    }
}

/// Whether the bytes alone prove that `text` holds no anchor, no alias and no second document:
/// an anchor needs a `&`, an alias a `*`, and a document after the first can only begin at a line
/// that starts with a marker (`---`, `...`) or a directive (`%`). Such a file, unless it holds
/// what the two parsers are known to read differently, needs no scan before serde_yaml reads it.
/// Depth is left to that reading: it fails on anything nested deeper than the schema (six levels;
/// no field takes YAML of any shape), far less than `MAX_DEPTH`, and a file that fails to parse
/// is scanned to report what the scan refuses.
pub fn plainly_safe(text: &str) -> bool {
    // Each test is a search the standard library does many bytes at a time: walking the bytes
    // one by one cost as much as a tenth of loading.
    let b = text.as_bytes();
    let starts = |p: &str| text.starts_with(p) || text.contains(&format!("\n{p}")) || text.contains(&format!("\r{p}"));
    !b.contains(&b'&')
        && !b.contains(&b'*')
        && !["---", "...", "%"].into_iter().any(starts)
        // NEL, LS and PS (line breaks to some parsers) and the byte order mark: so rare in the
        // files that the scan may decide.
        && !["\u{85}", "\u{2028}", "\u{2029}", "\u{feff}"].into_iter().any(|c| text.contains(c))
        && !differently_read(text)
}

/// What serde_yaml reads where the scan's parser, stricter, refuses it: a comment right after a
/// bracket, comma or quote (`[a]# b`), and tags. Not a matter of safety; such a file is scanned
/// so that it stays refused. A tag starts a node, after a space or an indicator, unlike the `!`
/// of "Hi!".
fn differently_read(text: &str) -> bool {
    let before = |i: usize| text.as_bytes()[..i].last().copied();
    text.match_indices('!')
        .any(|(i, _)| !before(i).is_some_and(|p| p.is_ascii_alphanumeric()))
        || text
            .match_indices('#')
            .any(|(i, _)| before(i).is_some_and(|p| matches!(p, b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'')))
}

/// Walks the events: refuses what is unsafe, and records positions when asked.
fn walk(name: &str, text: &str, positions: bool) -> Result<HashMap<String, (usize, usize)>, Problem> {
    let mut spots: HashMap<String, (usize, usize)> = HashMap::new();
    let mut depth = 0usize;
    let at = |line: usize, col: usize, message: String| Problem {
        file: name.to_string(),
        line: Some(line),
        column: Some(col + 1),
        message,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) =
            event.map_err(|e: ScanError| at(e.marker().line(), e.marker().col(), e.info().to_string()))?;
        let (line, col) = (span.start.line(), span.start.col());
        let anchor = match &event {
            Event::Alias(_) => {
                return Err(at(
                    line,
                    col,
                    "YAML aliases (*name) are not allowed in the knowledge base".into(),
                ));
            }
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(at(line, col, "more than one YAML document in one file".into()));
                }
                continue;
            }
            Event::Scalar(_, _, anchor, _) | Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                *anchor
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                if positions {
                    stack.pop();
                    end_value(&mut stack);
                }
                continue;
            }
            _ => continue,
        };
        if anchor != 0 {
            return Err(at(
                line,
                col,
                "YAML anchors (&name) are not allowed in the knowledge base".into(),
            ));
        }
        if !positions {
            if !matches!(event, Event::Scalar(..)) {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(at(line, col, format!("nested deeper than {MAX_DEPTH} levels")));
                }
            }
            continue;
        }
        // The path of this node, recording where it starts when it is a key or a list item.
        let path = match stack.last_mut() {
            None => String::new(),
            Some(Frame::Mapping { path, key }) => match key {
                None => {
                    let k = match &event {
                        Event::Scalar(v, ..) => v.to_string(),
                        _ => "?".to_string(),
                    };
                    let p = join(path, &k);
                    spots.entry(p.clone()).or_insert((line, col + 1));
                    *key = Some(k);
                    if matches!(event, Event::Scalar(..)) {
                        continue;
                    }
                    // A list or mapping as a key: walk it, then expect its value.
                    p
                }
                Some(k) => join(path, k),
            },
            Some(Frame::Sequence { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                spots.entry(p.clone()).or_insert((line, col + 1));
                p
            }
        };
        match event {
            Event::Scalar(..) => end_value(&mut stack),
            Event::SequenceStart(..) => stack.push(Frame::Sequence { path, next: 0 }),
            _ => stack.push(Frame::Mapping { path, key: None }),
        }
        if stack.len() > MAX_DEPTH {
            return Err(at(line, col, format!("nested deeper than {MAX_DEPTH} levels")));
        }
    }
    Ok(spots)
}

/// A value is complete: its mapping expects the next key.
fn end_value(stack: &mut [Frame]) {
    if let Some(Frame::Mapping { key, .. }) = stack.last_mut() {
        *key = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_items_have_positions() {
        let text = "office:\n  name: {en: a, es: b}\ntopics:\n  - id: x\n    related: [y, z]\n  - id: w\n";
        let m = scan("f.yaml", text).unwrap();
        assert_eq!(m.at("office.name.es"), Some((2, 17)));
        assert_eq!(m.at("topics.0.id"), Some((4, 5)));
        assert_eq!(m.at("topics.0.related.1"), Some((5, 18)));
        assert_eq!(m.at("topics.1.id"), Some((6, 5)));
        // A missing key is placed at its parent.
        assert_eq!(m.at("topics.1.answer.en"), Some((6, 5)));
    }

    #[test]
    fn aliases_documents_and_depth_are_refused_with_positions() {
        let e = scan("f.yaml", "a: &s x\nb: [*s, *s]\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(4)), "{e}");
        assert!(e.message.contains("anchors"), "{e}");
        let e = scan("f.yaml", "a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("more than one YAML document"), "{e}");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(scan("f.yaml", &deep).unwrap_err().message.contains("nested deeper"));
    }

    #[test]
    fn bad_utf8_is_located() {
        let e = decode("f.yaml", b"a: 1\nb: x\xff\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(5)), "{e}");
    }
}
