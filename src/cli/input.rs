//! Standard input, line by line, safely: a line is capped in length (the rest of an overlong line
//! is skipped, never held), and bytes that are not UTF-8 are replaced rather than fatal.

use std::io::BufRead;

/// Longest line kept, in bytes; a question never needs more, and Telegram caps messages at 4096
/// characters.
pub const MAX_LINE: usize = 16 * 1024;

/// One line read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// The line was longer than `MAX_LINE` and was cut.
    pub cut: bool,
}

/// The lines of a reader, each at most `MAX_LINE` bytes.
pub struct Lines<R> {
    reader: R,
    max: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines::with_max(reader, MAX_LINE)
    }

    pub fn with_max(reader: R, max: usize) -> Self {
        Lines { reader, max }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut bytes = Vec::new();
        let mut cut = false;
        let mut seen_any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                break;
            }
            seen_any = true;
            let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            let room = self.max.saturating_sub(bytes.len());
            if chunk.len() > room {
                cut = true;
            }
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let used = done.unwrap_or(buf.len());
            self.reader.consume(used);
            if done.is_some() {
                break;
            }
        }
        if !seen_any {
            return None;
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        Some(Ok(Line {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            cut,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Line> {
        Lines::with_max(input, max).map(|l| l.unwrap()).collect()
    }

    #[test]
    fn splits_lines_and_strips_carriage_returns() {
        let got = lines(b"a\r\nbb\n\nccc", 100);
        let texts: Vec<_> = got.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "bb", "", "ccc"]);
    }

    #[test]
    fn overlong_lines_are_cut_and_the_next_line_survives() {
        let mut input = vec![b'x'; 50];
        input.extend_from_slice(b"\nnext\n");
        let got = lines(&input, 8);
        assert_eq!(got[0].text, "xxxxxxxx");
        assert!(got[0].cut);
        assert_eq!(
            got[1],
            Line {
                text: "next".into(),
                cut: false
            }
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let got = lines(b"caf\xe9 abierto?\nok\n", 100);
        assert_eq!(got[0].text, "caf\u{FFFD} abierto?");
        assert_eq!(got[1].text, "ok");
    }
}
