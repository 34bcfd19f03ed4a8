//! Titles written as templates over their own code's axis labels.
//!
//! An ICD-10-PCS long title is put together from the labels of its code's
//! characters: `0DT60ZZ` is "Resection of Stomach, Open Approach", from the
//! root operation `T` (Resection), the body part `6` (Stomach) and the
//! approach `0` (Open). The module already ships those labels for the code
//! builder, so a title is stored as a template, `\u{3} of \u{4}, \u{5}
//! Approach`, in which a slot byte stands for the label of one position.
//! Neighbouring codes then share one template, and the title store writes
//! each one in a few bytes.
//!
//! Slots: byte `p` (1–7) is the label of position `p`; byte `0x10 | p` is
//! that label turned, its last `, ` part moved to the front
//! ("Sacroiliac Joint, Left" → "Left Sacroiliac Joint"), as the titles
//! write lateral body parts. Titles never hold these control bytes.

/// Flags a slot whose label is turned ([`turn`]).
#[cfg(feature = "compile")]
const TURNED: u8 = 0x10;

/// The position (1–7) and turned flag of a slot byte; `None` for any other byte.
fn slot(b: u8) -> Option<(u8, bool)> {
    match b {
        1..=7 => Some((b, false)),
        0x11..=0x17 => Some((b & 0x0f, true)),
        _ => None,
    }
}

/// Whether `text` holds a slot (is a template, not a plain title).
///
/// ```
/// use medcode_tables::templates::has_slots;
/// assert!(has_slots("\u{3} of \u{4}, \u{5} Approach"));
/// assert!(!has_slots("Resection of Stomach, Open Approach"));
/// ```
pub fn has_slots(text: &str) -> bool {
    text.bytes().any(|b| slot(b).is_some())
}

/// The positions (1–7) of the slots of `text`, in order (none in a plain title).
///
/// ```
/// use medcode_tables::templates::slot_positions;
/// assert_eq!(slot_positions("\u{3} of \u{14},").collect::<Vec<_>>(), [3, 4]);
/// assert_eq!(slot_positions("Open Approach").count(), 0);
/// ```
pub fn slot_positions(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes().filter_map(|b| slot(b).map(|(p, _)| p))
}

/// Moves the last `, ` part of `text[start..]` to its front:
/// "Sacroiliac Joint, Left" becomes "Left Sacroiliac Joint". Text without
/// `, ` is left as it is.
fn turn(text: &mut String, start: usize) {
    let Some(label) = text.get(start..) else {
        return;
    };
    if let Some(i) = label.rfind(", ") {
        let turned = format!("{} {}", &label[i + 2..], &label[..i]);
        text.truncate(start);
        text.push_str(&turned);
    }
}

/// Appends `template` to `out` with each slot replaced by its label, which
/// `label(position, out)` appends (returning false when it has none). On a
/// missing label `out` is left as it was and the answer is false.
///
/// ```
/// use medcode_tables::templates::expand;
/// let labels = ["Medical and Surgical", "Gastrointestinal System", "Resection",
///               "Stomach", "Open", "No Device", "No Qualifier"];
/// let mut out = String::new();
/// let ok = expand("\u{3} of \u{4}, \u{5} Approach", |p, o| {
///     o.push_str(labels[usize::from(p) - 1]);
///     true
/// }, &mut out);
/// assert!(ok);
/// assert_eq!(out, "Resection of Stomach, Open Approach");
/// ```
pub fn expand(
    template: &str,
    mut label: impl FnMut(u8, &mut String) -> bool,
    out: &mut String,
) -> bool {
    let begin = out.len();
    let mut rest = template;
    while let Some(i) = rest.bytes().position(|b| slot(b).is_some()) {
        out.push_str(&rest[..i]);
        let Some((position, turned)) = slot(rest.as_bytes()[i]) else {
            break;
        };
        let start = out.len();
        if !label(position, out) {
            out.truncate(begin);
            return false;
        }
        if turned {
            turn(out, start);
        }
        // A slot is one ASCII byte, so `i + 1` is a character boundary.
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    true
}

/// The template of `title` over `labels` (the labels of positions 1–7 of
/// its code, `None` where unknown): each label found in the title, longest
/// first, becomes a slot. `None` when no label is found or the template
/// would not give the title back exactly.
///
/// ```
/// use medcode_tables::templates::make;
/// let labels = [None, None, Some("Excision"), Some("Sacroiliac Joint, Left"),
///               Some("Open"), Some("No Device"), Some("Diagnostic")];
/// let t = make("Excision of Left Sacroiliac Joint, Open Approach, Diagnostic", &labels);
/// assert_eq!(t.as_deref(), Some("\u{3} of \u{14}, \u{5} Approach, \u{7}"));
/// assert_eq!(make("Fragmentation in Bladder", &labels), None);
/// ```
#[cfg(feature = "compile")]
pub fn make(title: &str, labels: &[Option<&str>; 7]) -> Option<String> {
    if has_slots(title) {
        return None;
    }
    let turned = |l: &str| {
        let mut s = l.to_owned();
        turn(&mut s, 0);
        s
    };
    // (text, slot byte), longest text first; ties by position, plain first.
    let mut candidates: Vec<(String, u8)> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let Some(label) = label.filter(|l| !l.is_empty()) else {
            continue;
        };
        let position = i as u8 + 1;
        candidates.push((label.to_owned(), position));
        let t = turned(label);
        if t != label {
            candidates.push((t, TURNED | position));
        }
    }
    candidates.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
    let mut template = title.to_owned();
    let mut used = [false; 8];
    for (text, byte) in &candidates {
        let position = usize::from(byte & 0x0f);
        if used[position] {
            continue;
        }
        if let Some(at) = template.find(text.as_str()) {
            template.replace_range(at..at + text.len(), &char::from(*byte).to_string());
            used[position] = true;
        }
    }
    if !has_slots(&template) {
        return None;
    }
    let mut back = String::new();
    let ok = expand(
        &template,
        |p, o| match labels.get(usize::from(p) - 1).copied().flatten() {
            Some(l) => {
                o.push_str(l);
                true
            }
            None => false,
        },
        &mut back,
    );
    (ok && back == title).then_some(template)
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn expand_with(template: &str, labels: &[Option<&str>; 7]) -> Option<String> {
        let mut out = String::new();
        expand(
            template,
            |p, o| match labels[usize::from(p) - 1] {
                Some(l) => {
                    o.push_str(l);
                    true
                }
                None => false,
            },
            &mut out,
        )
        .then_some(out)
    }

    #[test]
    fn a_missing_label_leaves_the_output_untouched() {
        let mut out = String::from("kept");
        assert!(!expand("\u{3} of \u{4}", |_, _| false, &mut out));
        assert_eq!(out, "kept");
    }

    #[test]
    fn a_turned_label_without_a_comma_stays_as_it_is() {
        let labels = [None, None, None, Some("Stomach"), None, None, None];
        assert_eq!(
            expand_with("of \u{14}", &labels).as_deref(),
            Some("of Stomach")
        );
    }

    proptest! {
        /// Whatever the labels and title, a template gives its title back.
        #[test]
        fn every_template_gives_its_title_back(
            title in "[a-c ,]{0,30}",
            labels in prop::collection::vec(prop::option::of("[a-c ,]{1,6}"), 7),
        ) {
            let labels: Vec<Option<&str>> = labels.iter().map(|l| l.as_deref()).collect();
            let labels: [Option<&str>; 7] = labels.try_into().unwrap();
            if let Some(t) = make(&title, &labels) {
                prop_assert!(has_slots(&t));
                prop_assert_eq!(expand_with(&t, &labels), Some(title));
            }
        }
    }
}
