//! What sets one code system's codes apart: the one place the runtime asks
//! (instead of comparing system ids), read from [`crate::System::profile`].

/// How a system's releases are dated, so coverage knows when the newest ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A fiscal year from October 1 to September 30 (ICD-10-CM, ICD-10-PCS).
    FiscalYear,
    /// A quarter (HCPCS Level II).
    Quarter,
    /// Releases of unknown period, or none (CPT, custom lists).
    Undated,
}

/// The rules of one code system's codes and the tables it has beyond codes
/// and titles.
///
/// ```
/// use medcode::profile::Profile;
/// assert!(Profile::ICD10CM.dotted && Profile::ICD10CM.placeholder_x);
/// assert_eq!(Profile::ICD10PCS.lengths, (7, 7));
/// assert!(!Profile::ICD10PCS.letters_o_i);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// Codes are written with a dot after the third character (`E11.9`).
    pub dotted: bool,
    /// The shortest and longest complete code, in characters.
    pub lengths: (u8, u8),
    /// A placeholder X fills the empty positions before a 7th character
    /// (`T36.0X1A`): walking up, an X is skipped, never truncated.
    pub placeholder_x: bool,
    /// Codes may use the letters O and I (ICD-10-PCS never does: they would
    /// be read as 0 and 1).
    pub letters_o_i: bool,
    /// How releases are dated.
    pub period: Period,
    /// Medicare Code Editor edits exist for the system.
    pub mce: bool,
    /// Instructional notes exist for the system (in the `notes` build).
    pub notes: bool,
    /// The embedded history starts when the system took effect (ICD-10-CM
    /// and ICD-10-PCS: 2015-10-01), so a code valid since its first release
    /// took effect then. HCPCS's history starts with the first I/OCE release
    /// the registry tables hold (2019-07-01), long after HCPCS did: a code
    /// valid since then may be older, and its start is not known.
    pub history_from_start: bool,
    /// First characters of the chapters whose codes the coding guidelines
    /// keep for one population's records (ICD-10-CM: `O` pregnancy,
    /// childbirth and the puerperium, maternal records only, I.C.15.a; `P`
    /// the perinatal period, newborn records only, I.C.16.a): search ranks
    /// them after other codes that match a query as well, so `peptic ulcer`
    /// finds K27 before P78.82 "Peptic ulcer of newborn", while `newborn
    /// jaundice` still finds P59.9 first (other codes miss a word).
    pub population_chapters: &'static [u8],
}

impl Profile {
    /// ICD-10-CM: dotted, 3 to 7 characters, placeholder X, fiscal years, MCE and notes.
    pub const ICD10CM: Profile = Profile {
        dotted: true,
        lengths: (3, 7),
        placeholder_x: true,
        letters_o_i: true,
        period: Period::FiscalYear,
        mce: true,
        notes: true,
        history_from_start: true,
        population_chapters: b"OP",
    };
    /// ICD-10-PCS: 7 characters, no O or I, fiscal years, MCE.
    pub const ICD10PCS: Profile = Profile {
        dotted: false,
        lengths: (7, 7),
        placeholder_x: false,
        letters_o_i: false,
        period: Period::FiscalYear,
        mce: true,
        notes: false,
        history_from_start: true,
        population_chapters: b"",
    };
    /// HCPCS Level II: 5 characters, quarterly releases.
    pub const HCPCS: Profile = Profile {
        dotted: false,
        lengths: (5, 5),
        placeholder_x: false,
        letters_o_i: true,
        period: Period::Quarter,
        mce: false,
        notes: false,
        history_from_start: false,
        population_chapters: b"",
    };
    /// CPT: 5 characters, undated (a licensee's table).
    pub const CPT: Profile = Profile {
        period: Period::Undated,
        // A licensee's table states each code's start.
        history_from_start: true,
        ..Profile::HCPCS
    };
    /// A custom code list: codes of any length the key format allows, undated.
    pub const CUSTOM: Profile = Profile {
        lengths: (1, 64),
        ..Profile::CPT
    };

    /// The profile of a system id (`icd10cm`, `icd10pcs`, `hcpcs`, `cpt`;
    /// anything else is a custom list).
    pub fn of(id: &str) -> Profile {
        match id {
            "icd10cm" => Profile::ICD10CM,
            "icd10pcs" => Profile::ICD10PCS,
            "hcpcs" => Profile::HCPCS,
            "cpt" => Profile::CPT,
            _ => Profile::CUSTOM,
        }
    }
}
