//! The runtime library's layers (README, "Architecture"): the core (the
//! files at the top of `src/`), then `search/`, `systems/`, `checks/`. A
//! module may use its own layer and the layers below it, and the modules
//! may not import each other in a cycle. This test reads the sources, so a
//! new `use` that breaks either rule fails here, naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers above the core, lowest first (each a folder of `src/`).
const LAYERS: [&str; 3] = ["search", "systems", "checks"];

/// The module a source file belongs to: its folder, or its file stem.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap_or(path);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = first.unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

/// 0 for the core, then 1, 2, 3 for the layers of [`LAYERS`].
fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == module)
        .map_or(0, |i| i + 1)
}

/// The modules named as `crate::NAME` in the code (comments left out).
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.insert(name);
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module → the other modules it uses, with one file that does, per use.
fn graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let edges = graph.entry(module.clone()).or_default();
        for used in uses(&text) {
            if used != module {
                edges
                    .entry(used)
                    .or_insert_with(|| file.display().to_string());
            }
        }
    }
    graph
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let mut wrong = Vec::new();
    for (module, edges) in graph() {
        for (used, file) in edges {
            if layer(&used) > layer(&module) {
                wrong.push(format!(
                    "{file}: {module} uses crate::{used}, a layer above it"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn modules_import_no_cycle() {
    let graph = graph();
    // Depth-first search for a back edge; the path names the cycle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle.join(" -> "));
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(module, &graph, &mut path, &mut done) {
            panic!("import cycle: {cycle}");
        }
    }
}

/// The test reads what it should: the rules would pass on an empty tree.
#[test]
fn the_sources_are_read() {
    let graph = graph();
    assert!(graph["search"].contains_key("codeset"), "{graph:?}");
    assert!(graph["checks"].contains_key("codeset"), "{graph:?}");
    assert_eq!(layer("checks"), 3);
}
