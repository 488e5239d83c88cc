//! The core's layers, as docs/ARCHITECTURE.md lists them, hold in the code: no module of the
//! truth layer (crates/core) names a module of a higher layer (nor one of its own layer) by a
//! `crate::` path outside its tests, and the app never uses the command line. The list is read
//! from the document, so the two cannot drift apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The modules above every layer: the command line, the app, and the crate root.
const TOP: &[&str] = &["cli", "ui", "lib", "main"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Each core module's layer, from the block after "<!-- layers -->" in docs/ARCHITECTURE.md:
/// one layer a line, bottom first, modules separated by commas.
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("the doc");
    let start = doc
        .find("<!-- layers -->")
        .expect("a layers block in ARCHITECTURE.md");
    let block = doc[start..]
        .split("```")
        .nth(1)
        .expect("a fenced block after the marker");
    let mut map = BTreeMap::new();
    let lines = block.lines().skip(1).filter(|l| !l.trim().is_empty());
    for (layer, line) in lines.enumerate() {
        let names = line.split('→').next().unwrap_or(line);
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            assert!(
                map.insert(name.to_string(), layer).is_none(),
                "{name} listed twice"
            );
        }
    }
    map
}

/// Every .rs file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to: the first name under its crate's src/.
fn module_of(file: &Path, src: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a name");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The text with comments, string and character literals blanked out (their newlines kept,
/// so that line numbers still hold).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let at = |i: usize, k: usize| chars.get(i + k).copied().unwrap_or('\0');
        if chars[i] == '/' && at(i, 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if chars[i] == '/' && at(i, 1) == '*' {
            while i < chars.len() && !(chars[i] == '*' && at(i, 1) == '/') {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push_str("  ");
            i += 2;
        } else if chars[i] == 'r' && (at(i, 1) == '"' || (at(i, 1) == '#' && at(i, 2) == '"')) {
            let hashes = (1..).take_while(|&k| at(i, k) == '#').count();
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let body_start = i + 2 + hashes;
            let text_from: String = chars[body_start..].iter().collect();
            let len = text_from
                .find(&close)
                .map_or(chars.len() - body_start, |b| text_from[..b].chars().count());
            let end = (body_start + len + close.chars().count()).min(chars.len());
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
            i = end;
        } else if chars[i] == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                for _ in 0..skip {
                    if i < chars.len() {
                        out.push(blank(chars[i]));
                        i += 1;
                    }
                }
            }
            out.push(' ');
            i += 1;
        } else if chars[i] == '\'' && at(i, 1) == '\\' {
            // An escaped character ('\n', '\'', '\u{301}'): up to the closing quote.
            let len = (3..12).find(|&k| at(i, k) == '\'').map_or(1, |k| k + 1);
            out.push_str(&" ".repeat(len));
            i += len;
        } else if chars[i] == '\'' && at(i, 2) == '\'' {
            out.push_str("   ");
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The code with every `#[cfg(test)]` item blanked out: an inline `mod tests { … }`, a
/// `mod tests;` declaration, or a single item.
fn without_tests(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let text: String = out.iter().collect();
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let start = from + at;
        let (mut depth, mut end) = (0i32, None);
        for (k, c) in text[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(start + k + 1);
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = Some(start + k + 1);
                    break;
                }
                _ => {}
            }
        }
        let end = end.unwrap_or(text.len());
        let (a, b) = (text[..start].chars().count(), text[..end].chars().count());
        for c in &mut out[a..b] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        from = end;
    }
    out.into_iter().collect()
}

/// Files that are whole test modules (`#[cfg(test)] mod tests;` in their parent).
fn test_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let code = code_only(&std::fs::read_to_string(file).expect("source"));
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().map(Path::to_path_buf),
            _ => Some(file.with_extension("")),
        };
        let Some(dir) = dir else { continue };
        for part in code.split("#[cfg(test)]").skip(1) {
            let item = part.trim_start();
            if let Some(name) = item
                .strip_prefix("mod ")
                .and_then(|r| r.split(';').next())
                .filter(|n| n.trim().chars().all(|c| c.is_alphanumeric() || c == '_'))
            {
                out.push(dir.join(format!("{}.rs", name.trim())));
            }
        }
    }
    out
}

/// Every module named by a `crate::` path, with the line it is on: `crate::a::b` names `a`,
/// `use crate::{a, b::c}` names `a` and `b`.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line_start) in line_starts(code).into_iter().enumerate() {
        let line_end = code[line_start..]
            .find('\n')
            .map_or(code.len(), |e| line_start + e);
        let mut rest = &code[line_start..line_end];
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if rest.starts_with('{') {
                // The group may run over several lines: read it from the whole code.
                let offset = line_end - rest.len() + 1;
                for name in group_names(&code[offset..]) {
                    found.push((n + 1, name));
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push((n + 1, name));
            }
        }
    }
    found
}

/// The top-level names of a `{a, b::c, d::{e}}` group (`text` starts after the brace).
fn group_names(text: &str) -> Vec<String> {
    let (mut names, mut depth, mut current, mut at_start) = (Vec::new(), 0, String::new(), true);
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_start = true,
            c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => current.push(c),
            _ if depth == 0 && at_start && !current.is_empty() => {
                names.push(std::mem::take(&mut current));
                at_start = false;
            }
            _ => {}
        }
    }
    if !current.is_empty() {
        names.push(current);
    }
    names
}

fn line_starts(code: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(code.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= code.len())
        .collect()
}

/// What breaks the layering: "file:line: crate::x (layer n) from m (layer k)".
fn upward_imports(layers: &BTreeMap<String, usize>) -> Vec<String> {
    let (core, app) = (root().join("crates/core/src"), root().join("src"));
    let mut files = Vec::new();
    sources(&core, &mut files);
    sources(&app, &mut files);
    files.sort();
    let tests = test_files(&files);
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| !tests.contains(f)) {
        let in_core = file.starts_with(&core);
        let module = module_of(file, if in_core { &core } else { &app });
        let code = without_tests(&code_only(&std::fs::read_to_string(file).expect("source")));
        let rel = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        if module == "ui" {
            for (line, name) in crate_paths(&code) {
                if name == "cli" {
                    problems.push(format!("{rel}:{line}: crate::cli from the app"));
                }
            }
        }
        if !in_core {
            if !TOP.contains(&module.as_str()) {
                problems.push(format!("{rel}: {module} belongs in the core, in a layer"));
            }
            continue;
        }
        // The core's root only declares the modules.
        if module == "lib" {
            continue;
        }
        let Some(&own) = layers.get(&module) else {
            problems.push(format!(
                "{rel}: module {module} is in no layer of ARCHITECTURE.md"
            ));
            continue;
        };
        for (line, name) in crate_paths(&code) {
            if name == module {
                continue;
            }
            let used = layers.get(&name).copied();
            if used.is_none_or(|used| used >= own) {
                let at = used.map_or("above every layer".to_string(), |l| format!("layer {l}"));
                problems.push(format!(
                    "{rel}:{line}: crate::{name} ({at}) from {module} (layer {own})"
                ));
            }
        }
    }
    problems
}

#[test]
fn no_module_of_the_core_uses_one_of_its_own_or_a_higher_layer() {
    let problems = upward_imports(&layers());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_layer_check_reads_paths_as_the_compiler_does() {
    let code = code_only(
        "use crate::{model::Dataset, engine::{Engine, Resolution},\n    timefmt};\n\
         // crate::ui in a comment\nlet s = \"crate::cli\"; let c = '{';\n\
         #[cfg(test)]\nmod tests { use crate::session; }\nfn f() { crate::present::x(); }\n",
    );
    let names: Vec<(usize, String)> = crate_paths(&without_tests(&code));
    let expected = [(1, "model"), (1, "engine"), (1, "timefmt"), (7, "present")];
    let expected: Vec<(usize, String)> =
        expected.iter().map(|&(l, n)| (l, n.to_string())).collect();
    assert_eq!(names, expected);
}

#[test]
fn the_architecture_names_every_file_of_both_crates() {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("the doc");
    let list = &doc[doc.find("## Every file").expect("an 'Every file' section")..];
    let list = &list[..list[3..].find("\n## ").map_or(list.len(), |e| e + 3)];
    let mut missing = Vec::new();
    for src in [root().join("crates/core/src"), root().join("src")] {
        let mut files = Vec::new();
        sources(&src, &mut files);
        for file in files {
            let rel = file
                .strip_prefix(&src)
                .expect("under src")
                .display()
                .to_string();
            if !list.contains(&format!("`{rel}`")) {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in ARCHITECTURE.md's 'Every file': {missing:?}"
    );
    // And every file it names is there, in one crate or the other.
    let gone: Vec<&str> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| name.ends_with(".rs"))
        .filter(|name| {
            !["crates/core/src", "src"]
                .iter()
                .any(|src| root().join(src).join(name).is_file())
        })
        .collect();
    assert!(
        gone.is_empty(),
        "named in ARCHITECTURE.md but not in the tree: {gone:?}"
    );
}
