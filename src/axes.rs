//! The ICD-10-PCS axis labels: what each character of a code means at its
//! position. Core data: PCS titles are templates filled in from these labels
//! (and the code builder, `crate::systems::icd10pcs`, reads them too).

use medcode_tables::titles::TitleStore;

/// The embedded axis labels of a PCS set.
pub struct Axes {
    pub(crate) map: fst::Map<&'static [u8]>,
    titles: TitleStore<'static>,
    /// Every text of `titles`, decoded on first use: each title of the
    /// module is filled in from these labels.
    texts: std::sync::OnceLock<Vec<String>>,
}

impl Axes {
    /// The labels in `map` (`medcode_tables::axes_index`) whose texts are
    /// in `titles`.
    pub(crate) fn new(map: fst::Map<&'static [u8]>, titles: TitleStore<'static>) -> Axes {
        Axes {
            map,
            titles,
            texts: std::sync::OnceLock::new(),
        }
    }

    /// Appends the label of the character at 1-based `position` of `code`
    /// (false, `out` untouched, where there is none).
    #[cfg(feature = "icd10pcs")]
    pub(crate) fn write_label(&self, code: &str, position: u8, out: &mut String) -> bool {
        medcode_tables::axes_index::label_id(&self.map, code, position)
            .is_some_and(|id| self.write(id, out))
    }

    /// Appends text `id` of the label store (a label, definition or axis name).
    pub(crate) fn write(&self, id: u32, out: &mut String) -> bool {
        let texts = self.texts.get_or_init(|| self.titles.all());
        texts.get(id as usize).map(|t| out.push_str(t)).is_some()
    }

    /// Text `id` of the label store as a new string.
    pub(crate) fn text(&self, id: u32) -> Option<String> {
        let mut s = String::new();
        self.write(id, &mut s).then_some(s)
    }
}
