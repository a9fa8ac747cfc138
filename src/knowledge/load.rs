//! Reading the knowledge base: the YAML files of a directory, or the copy compiled into the
//! binary, parsed and merged into one `Knowledge`, then checked by `validate`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::schema::{Closures, Knowledge, Office, Referral, Topic};
use super::source::{self, SourceMap, TopicSource};
use super::validate::{check_closures, check_office, check_topics};
use super::{Problem, Problems};

/// The knowledge base shipped with the bot, compiled into the binary so it runs anywhere.
static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/knowledge");

/// What one YAML file may hold. Any file may hold topics; exactly one holds the office.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    office: Option<Office>,
    #[serde(default)]
    closures: Option<Closures>,
    #[serde(default)]
    topics: Vec<Topic>,
    #[serde(default)]
    referrals: Vec<Referral>,
}

/// Loads the knowledge base compiled into the binary.
pub fn load_embedded() -> Result<Knowledge, Problems> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    collect_embedded(&EMBEDDED, &mut files, &mut problems);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    load_files("embedded", files)
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, String)>, problems: &mut Vec<Problem>) {
    for f in dir.files() {
        if is_yaml(f.path()) {
            let name = format!("knowledge/{}", f.path().display());
            match source::decode(&name, f.contents().to_vec()) {
                Ok(text) => out.push((name, text)),
                Err(p) => problems.push(p),
            }
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out, problems);
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Loads every `*.yaml` file under `dir` (recursively), within the caps of `source`: regular
/// files only, each and all together bounded in size and number.
pub fn load_dir(dir: &Path) -> Result<Knowledge, Problems> {
    let mut paths = Vec::new();
    if let Err(e) = walk(dir, &mut paths) {
        return Err(Problems(vec![Problem::new(
            dir.display().to_string(),
            format!("cannot read: {e}"),
        )]));
    }
    if paths.len() > source::MAX_FILES {
        return Err(Problems(vec![Problem::new(
            dir.display().to_string(),
            format!("more than {} .yaml files: refused", source::MAX_FILES),
        )]));
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut total = 0u64;
    for p in paths {
        match source::read_file(&p) {
            Ok(text) => {
                total += text.len() as u64;
                if total > source::MAX_TOTAL_BYTES {
                    problems.push(Problem::new(
                        dir.display().to_string(),
                        format!(
                            "the files add up to more than {} KiB: refused",
                            source::MAX_TOTAL_BYTES / 1024
                        ),
                    ));
                    break;
                }
                files.push((p.display().to_string(), text));
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    load_files(&dir.display().to_string(), files)
}

/// The `*.yaml` paths under `dir`. Directories are entered only when they are real ones (a
/// symbolic link to a directory could make a loop); every other entry is checked when read.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            walk(&p, out)?;
        } else if is_yaml(&p) {
            out.push(p);
        }
        if out.len() > source::MAX_FILES {
            break;
        }
    }
    Ok(())
}

/// Parses and checks a set of (file name, YAML text) pairs. All problems are reported together,
/// each with its file, line and column.
pub fn load_files(origin: &str, mut files: Vec<(String, String)>) -> Result<Knowledge, Problems> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut problems = Vec::new();
    let mut office: Option<(Arc<SourceMap>, Office)> = None;
    let mut closures: Option<(Arc<SourceMap>, Closures)> = None;
    let mut topics: Vec<(Arc<SourceMap>, usize, Topic)> = Vec::new();
    let mut referrals: Vec<Referral> = Vec::new();

    if files.is_empty() {
        problems.push(Problem::new(origin, "no .yaml files found"));
    }
    for (name, text) in &files {
        if text.len() as u64 > source::MAX_FILE_BYTES {
            problems.push(Problem::new(
                name,
                format!("larger than {} KiB: refused", source::MAX_FILE_BYTES / 1024),
            ));
            continue;
        }
        // Aliases are refused before serde_yaml would expand them: by the scan, unless the bytes
        // prove there are none.
        let scanned = !source::plainly_safe(text);
        let map = if scanned {
            match source::scan(name, text) {
                Ok(m) => Arc::new(m),
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            }
        } else {
            Arc::new(SourceMap::unscanned(name, text))
        };
        let doc: FileDoc = match serde_yaml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                // What the scan refuses (nesting too deep, its own syntax errors) is reported as
                // if it had run first.
                if !scanned && let Err(p) = source::scan(name, text) {
                    problems.push(p);
                    continue;
                }
                let loc = e.location();
                problems.push(Problem {
                    file: name.clone(),
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                    message: strip_location(&e.to_string()),
                });
                continue;
            }
        };
        if let Some(o) = doc.office {
            if let Some((first, _)) = &office {
                problems.push(map.problem(
                    "office",
                    format!("a second `office` section (the first is in {})", first.place("office")),
                ));
            } else {
                office = Some((map.clone(), o));
            }
        }
        if let Some(c) = doc.closures {
            if let Some((first, _)) = &closures {
                problems.push(map.problem(
                    "closures",
                    format!(
                        "a second `closures` section (the first is in {})",
                        first.place("closures")
                    ),
                ));
            } else {
                closures = Some((map.clone(), c));
            }
        }
        topics.extend(doc.topics.into_iter().enumerate().map(|(i, t)| (map.clone(), i, t)));
        referrals.extend(doc.referrals);
    }

    let parse_failed = !problems.is_empty();
    if office.is_none() && !files.is_empty() && !parse_failed {
        problems.push(Problem::new(origin, "no file has an `office` section"));
    }
    if let Some((src, o)) = &office {
        check_office(src, o, &mut problems);
    }
    if let Some((src, c)) = &closures {
        check_closures(src, c, &mut problems);
    }
    let located: Vec<_> = topics.iter().map(|(m, i, t)| (&**m, *i, t)).collect();
    check_topics(&located, parse_failed, &mut problems);

    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let (_, office) = office.expect("checked above");
    let (sources, topics) = topics
        .into_iter()
        .map(|(map, index, t)| (TopicSource { map, index }, t))
        .unzip();
    Ok(Knowledge {
        office,
        closures: closures.map(|(_, c)| c).unwrap_or_default(),
        topics,
        referrals,
        origin: origin.to_string(),
        sources,
    })
}

/// serde_yaml appends " at line L column C"; we report the location separately.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of one file loaded alone.
    fn problems_of(text: &str) -> Vec<Problem> {
        load_files("t", vec![("f.yaml".to_string(), text.to_string())])
            .unwrap_err()
            .0
    }

    #[test]
    fn shipped_files_need_no_scan() {
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        collect_embedded(&EMBEDDED, &mut files, &mut problems);
        assert!(files.len() >= 3 && problems.is_empty());
        for (name, text) in files {
            assert!(source::plainly_safe(&text), "{name}");
        }
    }

    /// Files the bytes cannot clear, and files they clear but serde_yaml cannot read: each is
    /// refused with the scan's own problem, as when every file was scanned first.
    #[test]
    fn what_the_scan_refuses_is_refused_as_before() {
        let deep_flow = format!(
            "topics:\n  - id: a\n    sources: {}{}\n",
            "[".repeat(30),
            "]".repeat(30)
        );
        let deep_block: String = (0..30).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        let cases = [
            (deep_flow.as_str(), true),
            (deep_block.as_str(), true),
            ("topics: [a, b\nreferrals: []\n", true),
            ("topics:\n  - id: &a x\n    title: *a\n", false),
            ("topics: []\n---\ntopics: []\n", false),
            ("topics: []\r---\rtopics: []\r", false),
            ("topics: {}#\n", false),
        ];
        for (text, clear) in cases {
            assert_eq!(source::plainly_safe(text), clear, "{text:?}");
            let expected = source::scan("f.yaml", text).unwrap_err();
            assert_eq!(problems_of(text), vec![expected], "{text:?}");
        }
        assert!(!source::plainly_safe("%YAML 1.2\n---\ntopics: []\n"));
        let p = problems_of(&deep_flow);
        assert!(p[0].message.contains("nested deeper"), "{p:?}");
        assert_eq!((p[0].line, p[0].column), (Some(3), Some(35)), "{p:?}");
    }

    /// Pieces of YAML, the more of them significant to either parser the better.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "closures:", "rules:", "dated:", "topics:", "referrals:", " ", "  ", "\n", "\n  ", "\t", "\r",
        "- ", "-", "- a", "[", "]", "{", "}", "[]", "{}", ", ", ":", ": ", "? ", "x: y", "'", "\"", "'b'",
        "\"a\"", "#", " #", "|", ">", "\\", "~", "null", "0", "a", "!", "!a ", "!!seq ", "!!str ", "&", "*",
        "%", "---", "...", "@", "`",
    ];

    proptest::proptest! {
        /// Whatever serde_yaml reads without a scan, the scan finds nothing unsafe in. (Its
        /// parser is stricter in places: it refuses `{}#`, which serde_yaml reads as a comment.)
        #[test]
        fn what_is_read_unscanned_is_safe(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60)
        ) {
            let text = pieces.concat();
            if source::plainly_safe(&text)
                && serde_yaml::from_str::<FileDoc>(&text).is_ok()
                && let Err(p) = source::scan("f.yaml", &text)
            {
                let unsafe_ = ["aliases", "anchors", "more than one YAML document", "nested deeper"];
                proptest::prop_assert!(!unsafe_.iter().any(|u| p.message.contains(u)), "{:?}: {}", text, p);
            }
        }
    }
}
