//! Reading the knowledge base: the YAML files of a directory, or the copy compiled into the
//! binary, parsed and merged into one `Knowledge`, then checked by `validate`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::schema::{Closures, Knowledge, Office, Referral, Topic};
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
    collect_embedded(&EMBEDDED, &mut files);
    load_files("embedded", files)
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if is_yaml(f.path()) {
            let text = String::from_utf8_lossy(f.contents()).into_owned();
            out.push((format!("knowledge/{}", f.path().display()), text));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Loads every `*.yaml` file under `dir` (recursively).
pub fn load_dir(dir: &Path) -> Result<Knowledge, Problems> {
    let mut paths = Vec::new();
    if let Err(e) = walk(dir, &mut paths) {
        return Err(Problems(vec![Problem::new(
            dir.display().to_string(),
            format!("cannot read: {e}"),
        )]));
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match std::fs::read_to_string(&p) {
            Ok(text) => files.push((p.display().to_string(), text)),
            Err(e) => problems.push(Problem::new(p.display().to_string(), format!("cannot read: {e}"))),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    load_files(&dir.display().to_string(), files)
}

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
    }
    Ok(())
}

/// Parses and checks a set of (file name, YAML text) pairs. All problems are reported together.
pub fn load_files(origin: &str, mut files: Vec<(String, String)>) -> Result<Knowledge, Problems> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut problems = Vec::new();
    let mut office: Option<(String, Office)> = None;
    let mut closures: Option<(String, Closures)> = None;
    let mut topics: Vec<(String, Topic)> = Vec::new();
    let mut referrals: Vec<Referral> = Vec::new();

    if files.is_empty() {
        problems.push(Problem::new(origin, "no .yaml files found"));
    }
    for (name, text) in &files {
        let doc: FileDoc = match serde_yaml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
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
                problems.push(Problem::new(
                    name,
                    format!("a second `office` section (the first is in {first})"),
                ));
            } else {
                office = Some((name.clone(), o));
            }
        }
        if let Some(c) = doc.closures {
            if let Some((first, _)) = &closures {
                problems.push(Problem::new(
                    name,
                    format!("a second `closures` section (the first is in {first})"),
                ));
            } else {
                closures = Some((name.clone(), c));
            }
        }
        topics.extend(doc.topics.into_iter().map(|t| (name.clone(), t)));
        referrals.extend(doc.referrals);
    }

    let parse_failed = !problems.is_empty();
    if office.is_none() && !files.is_empty() && !parse_failed {
        problems.push(Problem::new(origin, "no file has an `office` section"));
    }
    if let Some((file, o)) = &office {
        check_office(file, o, &mut problems);
    }
    if let Some((file, c)) = &closures {
        check_closures(file, c, &mut problems);
    }
    check_topics(&topics, parse_failed, &mut problems);

    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let (_, office) = office.expect("checked above");
    Ok(Knowledge {
        office,
        closures: closures.map(|(_, c)| c).unwrap_or_default(),
        topics: topics.into_iter().map(|(_, t)| t).collect(),
        referrals,
        origin: origin.to_string(),
    })
}

/// serde_yaml appends " at line L column C"; we report the location separately.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
