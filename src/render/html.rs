//! Telegram HTML: escaping, the visible length Telegram counts (UTF-16 code units after entity
//! parsing), and splitting a long text into messages with balanced tags.

/// Telegram's limit for one message's text.
pub const TELEGRAM_LIMIT: usize = 4096;

/// Escapes the three characters Telegram's HTML mode requires (and quotes, for attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Length in UTF-16 code units, as Telegram counts.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The visible length of Telegram HTML: tags removed, entities counted as one character.
pub fn html_visible_len(html: &str) -> usize {
    utf16_len(&html_to_text(html))
}

/// What the user sees of a Telegram HTML text (tags dropped, the four entities decoded).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        } else {
            let (decoded, len) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"')]
                .iter()
                .find(|(e, _)| rest.starts_with(e))
                .map_or(('&', 1), |(e, c)| (*c, e.len()));
            out.push(decoded);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    out
}

/// One piece of Telegram HTML: a tag, or one visible character (an entity counts as one).
enum Unit<'a> {
    Open { raw: &'a str, name: &'a str },
    Close { raw: &'a str },
    Visible { raw: &'a str, len: usize },
}

fn units(html: &str) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let end = if c == '<' {
            rest.find('>').map(|e| e + 1)
        } else if c == '&' {
            rest.find(';').filter(|&e| e <= 6).map(|e| e + 1)
        } else {
            None
        };
        match (c, end) {
            ('<', Some(e)) => {
                let raw = &rest[..e];
                if raw.starts_with("</") {
                    out.push(Unit::Close { raw });
                } else {
                    let name_end = raw[1..]
                        .find(|ch: char| ch == '>' || ch.is_whitespace())
                        .map_or(raw.len() - 1, |n| n + 1);
                    out.push(Unit::Open {
                        raw,
                        name: &raw[1..name_end],
                    });
                }
                i += e;
            }
            ('&', Some(e)) => {
                out.push(Unit::Visible {
                    raw: &rest[..e],
                    len: 1,
                });
                i += e;
            }
            _ => {
                let l = c.len_utf8();
                out.push(Unit::Visible {
                    raw: &rest[..l],
                    len: c.len_utf16(),
                });
                i += l;
            }
        }
    }
    out
}

/// Tags open at a point: (raw opening tag, tag name).
type OpenTags<'a> = Vec<(&'a str, &'a str)>;

/// Splits Telegram HTML into messages of at most `limit` visible UTF-16 units: at paragraph
/// breaks when it can, else at line breaks, else between words, else anywhere; never inside a
/// tag or an entity. Tags open at a cut are closed and reopened, so every part is balanced.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    let units = units(html);
    let mut parts = Vec::new();
    let mut start = 0;
    // Tags open at `start` (raw opening tag, name), to reopen in the next part.
    let mut carried: OpenTags = Vec::new();
    while start < units.len() {
        let mut stack = carried.clone();
        let mut visible = 0;
        // (unit index after the best break so far, its priority, the tags open there)
        let mut best: Option<(usize, u8, OpenTags)> = None;
        let mut i = start;
        let mut prev_newline = false;
        while i < units.len() {
            match &units[i] {
                Unit::Open { raw, name } => stack.push((raw, name)),
                Unit::Close { .. } => {
                    stack.pop();
                }
                Unit::Visible { raw, len } => {
                    if visible + len > limit {
                        break;
                    }
                    visible += len;
                    let priority = match *raw {
                        "\n" if prev_newline => 3,
                        "\n" => 2,
                        " " => 1,
                        _ => 0,
                    };
                    prev_newline = *raw == "\n";
                    if best.as_ref().is_none_or(|(_, p, _)| priority >= *p) {
                        best = Some((i + 1, priority, stack.clone()));
                    }
                }
            }
            i += 1;
        }
        let (end, stack_at_end) = if i >= units.len() {
            (units.len(), stack)
        } else {
            match best {
                Some((end, _, st)) => (end, st),
                // Not even one visible unit fits (limit 0): give up rather than loop.
                None => (units.len(), stack),
            }
        };
        let mut part = String::new();
        for (raw, _) in &carried {
            part.push_str(raw);
        }
        for u in &units[start..end] {
            part.push_str(match u {
                Unit::Open { raw, .. } | Unit::Close { raw } | Unit::Visible { raw, .. } => raw,
            });
        }
        for (_, name) in stack_at_end.iter().rev() {
            part.push_str(&format!("</{name}>"));
        }
        let trimmed = part.trim_end_matches('\n').to_string();
        if !html_to_text(&trimmed).trim().is_empty() {
            parts.push(trimmed);
        }
        carried = stack_at_end;
        start = end;
        // Do not begin a part with the line breaks the cut fell on.
        while let Some(Unit::Visible { raw: "\n", .. }) = units.get(start) {
            start += 1;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_visible_length() {
        assert_eq!(escape_html("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
        assert_eq!(html_to_text("<b>x &amp; y</b> &lt;3"), "x & y <3");
        assert_eq!(html_visible_len("<b>🙂</b>"), 2);
    }

    #[test]
    fn split_keeps_short_text_whole() {
        assert_eq!(split_html("<b>a</b>\n\nb", 4096), vec!["<b>a</b>\n\nb"]);
    }

    #[test]
    fn split_prefers_paragraphs_and_balances_tags() {
        let para = "x".repeat(30);
        let html = format!("<b>{para}</b>\n\n{para} {para}\n\n<i>{para} &amp; {para}</i>");
        let parts = split_html(&html, 70);
        assert!(parts.len() >= 2, "{parts:?}");
        for p in &parts {
            assert!(html_visible_len(p) <= 70, "{p}");
            assert_eq!(p.matches("<i>").count(), p.matches("</i>").count(), "{p}");
            assert_eq!(p.matches("<b>").count(), p.matches("</b>").count(), "{p}");
            assert!(!p.contains("&amp") || p.contains("&amp;"), "entity kept whole: {p}");
        }
        assert_eq!(parts[0], format!("<b>{para}</b>"));
        // A long italic run is cut inside the tag: closed and reopened.
        let long = format!("<i>{}</i>", "word ".repeat(40));
        let parts = split_html(&long, 50);
        assert!(
            parts.iter().all(|p| p.starts_with("<i>") && p.ends_with("</i>")),
            "{parts:?}"
        );
        let joined: String = parts.iter().map(|p| html_to_text(p)).collect::<Vec<_>>().join(" ");
        assert_eq!(joined.split_whitespace().count(), 40);
    }

    #[test]
    fn split_handles_words_longer_than_the_limit() {
        let parts = split_html(&"🙂".repeat(100), 11);
        assert!(parts.iter().all(|p| utf16_len(p) <= 11));
        assert_eq!(parts.concat(), "🙂".repeat(100));
    }
}
