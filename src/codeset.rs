//! A code system's embedded tables and the lookups over them.

use crate::billable::{pack, pack_input, unpack, PackedSet, WarmTable};
use crate::history::History;
use crate::normalize::{dotted, normalize, InputError, Key};
use crate::profile::Profile;
use fst::{IntoStreamer, Streamer};
use medcode_tables::layout::{Entry, Kind};
use medcode_tables::lexicon::Lexicon;
use medcode_tables::outline::{parse_sevenths, Outline, SeventhChars};
use medcode_tables::shorts::ShortStore;
use medcode_tables::titles::{TitleIndex, TitleReader, TitleStore};
use std::sync::OnceLock;

/// Names a code system: what results say about where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct System {
    /// Short id used by `open()`, e.g. `icd10cm`.
    pub id: &'static str,
    /// Display name, e.g. `ICD-10-CM`.
    pub name: &'static str,
    /// FHIR system URI.
    pub uri: &'static str,
    /// Version as FHIR `version` (e.g. `2026`).
    pub version: &'static str,
    /// The release in words, e.g. `FY2026, April 1 2026 update`.
    pub release: &'static str,
    /// The rules of its codes (dotted, lengths, placeholder X, O and I,
    /// release period, extra tables).
    pub profile: Profile,
}

impl System {
    /// Reads the identity `build.rs` wrote (`<id>.system.txt`: id, name,
    /// URI, version, release, one per line); the profile follows the id.
    pub fn from_lines(text: &'static str) -> System {
        let mut lines = text.lines();
        let mut next = || lines.next().unwrap_or_default();
        let id = next();
        System {
            id,
            name: next(),
            uri: next(),
            version: next(),
            release: next(),
            profile: Profile::of(id),
        }
    }
}

/// One entry of a code system, as lookups return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// The code as written, with its dot (`E11.9`); blocks as `A00-A09`, chapters as `1`.
    pub code: String,
    /// The official title.
    pub display: String,
    /// Chapter, block, category or code.
    pub kind: Kind,
    /// Whether the code may be reported on a claim.
    pub billable: bool,
}

/// A code system's tables.
pub struct CodeSet {
    system: System,
    info: &'static str,
    billable_count: usize,
    codes: fst::Map<&'static [u8]>,
    titles: TitleStore<'static>,
    outline_text: &'static str,
    sevenths_text: &'static str,
    outline: OnceLock<Outline<'static>>,
    sevenths: OnceLock<Vec<SeventhChars>>,
    /// The 7th characters' meanings, by definition and character, each
    /// written out on first use.
    seventh_texts: OnceLock<Vec<Vec<OnceLock<String>>>>,
    billable: WarmTable<PackedSet>,
    title_index: OnceLock<TitleIndex<'static>>,
    /// Where title decoding stopped, so titles read in code order (prefix
    /// walks, children) decode each title once.
    title_reader: std::sync::Mutex<TitleReader>,
    history: Option<History>,
    /// The codes newer releases' addenda add that the tabular does not
    /// list (see [`CodeSet::added_keys`]), found on first use.
    added_keys: OnceLock<Vec<&'static str>>,
    search_bytes: &'static [u8],
    /// State a higher layer derives from these tables on first use (the
    /// search layer's word index), kept for the life of the set; typed by
    /// the layer that fills it, so this layer does not depend on it.
    derived: OnceLock<Box<dyn std::any::Any + Send + Sync>>,
    pub(crate) axes: Option<crate::axes::Axes>,
    pub(crate) modifiers: &'static str,
    format_only: bool,
    shorts: Option<ShortStore<'static>>,
    lexicon: Lexicon<'static>,
    order: crate::order::TabularOrder,
}

/// The entry a code newer than the tabular stands in with (see
/// [`CodeSet::added_keys`]): a code, billable (the addenda list codes to
/// report), no title in the title store (its title is the addendum's).
pub const ADDED_ENTRY: Entry = Entry {
    kind: Kind::Code,
    billable: true,
    title: u32::MAX,
    seventh: None,
};

/// Why embedded tables could not be opened (a build defect, never user
/// input), naming the table; the reader's error is the `source()`.
#[derive(Debug)]
pub enum DataError {
    /// An FST (the code map, the history, the PCS axis map) does not open.
    Fst {
        /// The table.
        table: &'static str,
        /// What the fst crate said.
        error: fst::Error,
    },
    /// A title store (the titles, the PCS axis labels) does not open.
    Titles {
        /// The table.
        table: &'static str,
        /// What the reader said.
        error: medcode_tables::titles::TitleStoreError,
    },
}

impl DataError {
    /// An FST `table` that does not open.
    fn fst(table: &'static str) -> impl FnOnce(fst::Error) -> DataError {
        move |error| DataError::Fst { table, error }
    }

    /// A title store `table` that does not open.
    fn titles(
        table: &'static str,
    ) -> impl FnOnce(medcode_tables::titles::TitleStoreError) -> DataError {
        move |error| DataError::Titles { table, error }
    }
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (table, error): (&str, &dyn std::fmt::Display) = match self {
            DataError::Fst { table, error } => (table, error),
            DataError::Titles { table, error } => (table, error),
        };
        write!(f, "embedded tables are damaged: {table}: {error}")
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Fst { error, .. } => Some(error),
            DataError::Titles { error, .. } => Some(error),
        }
    }
}

/// Opens one system's embedded tables (`crate::data::<id>`) with its history.
macro_rules! embedded {
    ($system:expr, $d:ident) => {{
        let history = History::new($d::HISTORY, $d::RELEASES, $d::REPLACED, $d::RETIRED)
            .map(|h| h.with_gaps($d::GAPS).with_addenda($d::ADDENDA));
        let set = CodeSet::new(
            $system,
            $d::INFO,
            $d::BILLABLE.trim().parse().unwrap_or(0),
            $d::CODES,
            $d::TITLES,
            $d::OUTLINE,
            $d::SEVENTHS,
            $d::SEARCH,
        );
        match set.and_then(|s| {
            Ok(s.with_history(history.map_err(DataError::fst("history"))?)
                .with_shorts($d::SHORTS)
                .with_lexicon($d::LEXICON)
                .with_order($d::ORDER))
        }) {
            Ok(set) => set,
            // The tables were checked when they were built and are covered by tests.
            Err(e) => unreachable!("{e}"),
        }
    }};
}

impl CodeSet {
    /// Opens tables compiled by `medcode-tables`; `billable_count` (the
    /// compiler's count) sizes the hash set built on first `is_valid` so it
    /// never has to grow; `search` is the search index (`medcode_tables::search`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        system: System,
        info: &'static str,
        billable_count: usize,
        codes: &'static [u8],
        titles: &'static [u8],
        outline: &'static str,
        sevenths: &'static str,
        search: &'static [u8],
    ) -> Result<CodeSet, DataError> {
        Ok(CodeSet {
            system,
            info,
            billable_count,
            codes: fst::Map::new(codes).map_err(DataError::fst("codes"))?,
            titles: TitleStore::new(titles).map_err(DataError::titles("titles"))?,
            outline_text: outline,
            sevenths_text: sevenths,
            outline: OnceLock::new(),
            sevenths: OnceLock::new(),
            seventh_texts: OnceLock::new(),
            billable: WarmTable::new(),
            title_index: OnceLock::new(),
            title_reader: std::sync::Mutex::default(),
            history: None,
            added_keys: OnceLock::new(),
            search_bytes: search,
            derived: OnceLock::new(),
            axes: None,
            modifiers: "",
            format_only: false,
            shorts: None,
            lexicon: Lexicon::empty(),
            order: crate::order::TabularOrder::new(""),
        })
    }

    /// Adds the system's history: validity over time. Without a date, answers
    /// then follow the newest release it knows.
    pub fn with_history(mut self, history: History) -> CodeSet {
        self.history = Some(history);
        self.billable = WarmTable::new();
        self
    }

    /// Adds the PCS axis labels (`build.rs` writes them for ICD-10-PCS).
    pub fn with_axes(mut self, map: &'static [u8], titles: &'static [u8]) -> CodeSet {
        let axes = fst::Map::new(map)
            .map_err(DataError::fst("axes"))
            .and_then(|map| {
                let titles = TitleStore::new(titles).map_err(DataError::titles("axis labels"))?;
                Ok(crate::axes::Axes::new(map, titles))
            });
        match axes {
            Ok(a) => self.axes = Some(a),
            // Checked when built and by tests.
            Err(e) => unreachable!("{e}"),
        }
        self
    }

    /// The PCS axis labels: `None` in a module built without ICD-10-PCS,
    /// which then leaves out the code builder and the axis paths.
    pub(crate) fn axes(&self) -> Option<&crate::axes::Axes> {
        if !cfg!(feature = "icd10pcs") {
            return None;
        }
        self.axes.as_ref()
    }

    /// Adds the short titles (a short-title store under the same ids as the
    /// titles, written against them; empty bytes: the system has none).
    pub fn with_shorts(mut self, shorts: &'static [u8]) -> CodeSet {
        self.shorts = ShortStore::new(shorts).ok().filter(|s| !s.is_empty());
        self
    }

    /// Adds the search lexicon (`medcode_tables::lexicon`); damaged or
    /// empty bytes leave search with the titles' own words.
    pub fn with_lexicon(mut self, bytes: &'static [u8]) -> CodeSet {
        self.lexicon = Lexicon::new(bytes).unwrap_or_else(|_| Lexicon::empty());
        self
    }

    /// Adds the tabular's order of children where it differs from key order
    /// (see [`crate::order`]).
    pub fn with_order(mut self, text: &'static str) -> CodeSet {
        self.order = crate::order::TabularOrder::new(text);
        self
    }

    /// The search lexicon (empty when the module has none).
    pub fn lexicon(&self) -> &Lexicon<'static> {
        &self.lexicon
    }

    /// The official short (abbreviated) title of a code as typed, where the
    /// system has one (ICD-10-PCS, HCPCS, a licensee's CPT table).
    ///
    /// ```
    /// let hcpcs = medcode::CodeSet::hcpcs();
    /// let short = hcpcs.short_title("E0114");
    /// assert!(short.is_none() || !short.unwrap().is_empty());
    /// ```
    pub fn short_title(&self, input: &str) -> Option<String> {
        let shorts = self.shorts.as_ref()?;
        let key = normalize(input).ok()?;
        let entry = self.entry(key.as_bytes())?;
        let mut short = shorts.get(entry.title, &self.titles)?;
        self.fill_template(key.as_str(), 0, &mut short);
        Some(short).filter(|s| !s.is_empty())
    }

    /// The system's history, if it has one.
    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    /// The first day of the newest release (what answers without a date use),
    /// if the set has a history.
    pub fn newest_date(&self) -> Option<u32> {
        self.history.as_ref()?.newest().map(|r| r.start)
    }

    /// The day a code valid from `start` took effect, as far as the
    /// embedded history knows: `None` when `start` is the history's first
    /// release and the history starts after the system did (HCPCS: a code
    /// valid since the first I/OCE release, 2019-07-01, may be older; see
    /// [`crate::profile::Profile::history_from_start`]).
    ///
    /// ```
    /// let (cm, hcpcs) = (medcode::CodeSet::icd10cm(), medcode::CodeSet::hcpcs());
    /// assert_eq!(cm.known_start(20151001), Some(20151001));
    /// let first = hcpcs.history().unwrap().releases()[0].start;
    /// assert_eq!(hcpcs.known_start(first), None);
    /// ```
    pub fn known_start(&self, start: u32) -> Option<u32> {
        let first = self.history.as_ref().and_then(|h| h.releases().first());
        let unknown =
            !self.system.profile.history_from_start && first.is_some_and(|r| r.start == start);
        (!unknown).then_some(start)
    }

    /// Whether `input` is a billable code on `date` (`yyyymmdd`). Without a
    /// history every date gets the answer of [`CodeSet::is_valid`].
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// assert!(cm.is_valid_on("E11.9", 20160101));
    /// assert!(!cm.is_valid_on("E11.9", 20150930)); // ICD-10-CM starts on 2015-10-01
    /// ```
    pub fn is_valid_on(&self, input: &str, date: u32) -> bool {
        self.is_valid_bytes_on(input.as_bytes(), date)
    }

    /// [`CodeSet::is_valid_on`] for UTF-8 bytes.
    pub fn is_valid_bytes_on(&self, input: &[u8], date: u32) -> bool {
        match &self.history {
            Some(h) if !self.format_only && !h.releases().is_empty() => match pack_input(input) {
                Some(code) => h.valid_on_packed(code, date),
                None => long_key(input).is_some_and(|k| h.valid_on(k.as_str(), date)),
            },
            // Undated tables (a format-only CPT set, an undated custom list).
            _ => self.is_valid_bytes(input),
        }
    }

    /// Whether the entry under `key` may be reported in the newest release:
    /// the history decides where there is one, the tabular otherwise.
    pub fn billable_now(&self, key: &str, entry: &Entry) -> bool {
        match (&self.history, self.newest_date()) {
            (Some(h), Some(date)) if matches!(entry.kind, Kind::Category | Kind::Code) => {
                // The hash set of `is_valid` holds exactly the codes the
                // history makes valid on the newest date.
                match pack(key.as_bytes()) {
                    Some(code) => self.billable_packed(code),
                    None => h.valid_on(key, date),
                }
            }
            _ => entry.billable,
        }
    }

    /// The embedded ICD-10-CM FY2026 (April 1 2026 update) code set.
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// assert!(cm.is_valid("E11.9"));
    /// assert!(!cm.is_valid("E11"));
    /// ```
    #[cfg(feature = "icd10cm")]
    pub fn icd10cm() -> &'static CodeSet {
        static SET: OnceLock<CodeSet> = OnceLock::new();
        SET.get_or_init(|| {
            use crate::data::icd10cm as d;
            let system = System {
                id: "icd10cm",
                name: "ICD-10-CM",
                uri: "http://hl7.org/fhir/sid/icd-10-cm",
                version: "2026",
                release: "FY2026, April 1 2026 update",
                profile: Profile::ICD10CM,
            };
            embedded!(system, d)
        })
    }

    /// The embedded ICD-10-PCS code set: every code valid at some time
    /// FY2016-FY2027; without a date the newest release (FY2027) answers.
    ///
    /// ```
    /// let pcs = medcode::CodeSet::icd10pcs();
    /// assert!(pcs.is_valid("0DTJ0ZZ"));
    /// assert!(!pcs.is_valid("0DT")); // a table heading
    /// ```
    #[cfg(feature = "icd10pcs")]
    pub fn icd10pcs() -> &'static CodeSet {
        static SET: OnceLock<CodeSet> = OnceLock::new();
        SET.get_or_init(|| {
            use crate::data::icd10pcs as d;
            let set = embedded!(System::from_lines(d::SYSTEM), d);
            set.with_axes(d::AXES, d::AXIS_TITLES)
        })
    }

    /// The embedded HCPCS Level II code set, July 2019 to the newest quarter.
    ///
    /// ```
    /// let hcpcs = medcode::CodeSet::hcpcs();
    /// assert!(hcpcs.is_valid("e0114"));
    /// assert!(!hcpcs.is_valid("99213")); // CPT, not Level II
    /// ```
    #[cfg(feature = "hcpcs")]
    pub fn hcpcs() -> &'static CodeSet {
        static SET: OnceLock<CodeSet> = OnceLock::new();
        SET.get_or_init(|| {
            use crate::data::hcpcs as d;
            embedded!(System::from_lines(d::SYSTEM), d).with_modifiers(d::MODIFIERS)
        })
    }

    /// The embedded CPT set: the licensee's table compiled in with
    /// `MEDCODE_CPT_TABLE`, or none, when only the format is checked.
    #[cfg(feature = "cpt")]
    pub fn cpt() -> &'static CodeSet {
        static SET: OnceLock<CodeSet> = OnceLock::new();
        SET.get_or_init(|| {
            use crate::data::cpt as d;
            let mut set = embedded!(System::from_lines(d::SYSTEM), d);
            set.format_only = set.codes.is_empty();
            set
        })
    }

    /// The custom code list compiled in with `MEDCODE_CUSTOM_TABLE`.
    #[cfg(feature = "custom")]
    pub fn custom() -> &'static CodeSet {
        static SET: OnceLock<CodeSet> = OnceLock::new();
        SET.get_or_init(|| {
            use crate::data::custom as d;
            embedded!(System::from_lines(d::SYSTEM), d)
        })
    }

    /// The code set of a system id (`icd10cm`, `icd10pcs`, `hcpcs`, `cpt`,
    /// `custom`), if this build embeds it.
    pub fn by_id(id: &str) -> Option<&'static CodeSet> {
        match id {
            #[cfg(feature = "icd10cm")]
            "icd10cm" => Some(CodeSet::icd10cm()),
            #[cfg(feature = "icd10pcs")]
            "icd10pcs" => Some(CodeSet::icd10pcs()),
            #[cfg(feature = "hcpcs")]
            "hcpcs" => Some(CodeSet::hcpcs()),
            #[cfg(feature = "cpt")]
            "cpt" => Some(CodeSet::cpt()),
            #[cfg(feature = "custom")]
            "custom" => Some(CodeSet::custom()),
            _ => None,
        }
    }

    /// The ids of the systems this build embeds, in that order.
    pub const EMBEDDED: &'static [&'static str] = &[
        #[cfg(feature = "icd10cm")]
        "icd10cm",
        #[cfg(feature = "icd10pcs")]
        "icd10pcs",
        #[cfg(feature = "hcpcs")]
        "hcpcs",
        #[cfg(feature = "cpt")]
        "cpt",
        #[cfg(feature = "custom")]
        "custom",
    ];

    /// A code as written in this system: `E11.9` in ICD-10-CM, the key itself elsewhere.
    pub fn code_text(&self, key: &str) -> String {
        if self.system.profile.dotted {
            dotted(key)
        } else {
            key.to_owned()
        }
    }

    /// Appends a code as written in this system (see [`CodeSet::code_text`]).
    pub fn push_code(&self, out: &mut String, key: &str) {
        if self.system.profile.dotted {
            crate::normalize::push_dotted(out, key);
        } else {
            out.push_str(key);
        }
    }

    /// The codes newer releases' addenda add that the tabular does not list
    /// (ICD-10-CM: the 190 codes of FY2027, titles transcribed), in key
    /// order, each once. Lists, children and search show them among the
    /// tabular's codes, standing in with [`ADDED_ENTRY`].
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// assert!(cm.added_keys().contains(&"Z8617"));
    /// assert!(cm.added_keys().is_sorted());
    /// ```
    pub fn added_keys(&self) -> &[&'static str] {
        // Only ICD-10-CM has addenda newer than its tables: a module without
        // it leaves out every path that lists added codes.
        if !cfg!(feature = "icd10cm") {
            return &[];
        }
        self.added_keys.get_or_init(|| {
            let Some(h) = self.history.as_ref() else {
                return Vec::new();
            };
            let mut keys: Vec<&'static str> = h
                .addenda()
                .iter()
                .filter(|a| a.added && self.entry(a.key.as_bytes()).is_none())
                .map(|a| a.key)
                .collect();
            keys.dedup();
            keys
        })
    }

    /// [`ADDED_ENTRY`] if the addenda add `key` (see [`CodeSet::added_keys`]).
    pub fn added_entry(&self, key: &str) -> Option<Entry> {
        self.added_keys()
            .binary_search(&key)
            .is_ok()
            .then_some(ADDED_ENTRY)
    }

    /// The entry of `key`, or [`ADDED_ENTRY`] for a code the addenda add.
    pub fn entry_or_added(&self, key: &str) -> Option<Entry> {
        self.entry(key.as_bytes()).or_else(|| self.added_entry(key))
    }

    /// The nearest key above `key` (a shorter start of it) that the tabular
    /// lists: where a code it does not list (new in the addenda, or
    /// retired) sits in the hierarchy.
    pub fn nearest_listed_above<'k>(&self, key: &'k str) -> Option<&'k str> {
        (1..key.len())
            .rev()
            .filter_map(|n| key.get(..n))
            .find(|p| self.codes.contains_key(p))
    }

    /// The added keys that start with `prefix`.
    fn added_under(&self, prefix: &str) -> &[&'static str] {
        crate::sort::starting_with(self.added_keys(), prefix, |a| a)
    }

    /// The state a higher layer derives from these tables, made by `init`
    /// on first use; `None` if a different type was stored first.
    pub(crate) fn derived<T: std::any::Any + Send + Sync>(
        &self,
        init: impl FnOnce() -> T,
    ) -> Option<&T> {
        self.derived
            .get_or_init(|| Box::new(init()))
            .downcast_ref::<T>()
    }

    /// The embedded search index (`medcode_tables::search`).
    pub(crate) fn search_bytes(&self) -> &'static [u8] {
        self.search_bytes
    }

    /// The title store (titles by id; PCS titles are templates).
    pub(crate) fn title_store(&self) -> &TitleStore<'static> {
        &self.titles
    }

    /// The 7th-character definitions: `(character, meaning title id)`.
    pub(crate) fn seventh_defs(&self) -> &[SeventhChars] {
        self.sevenths()
    }

    /// Whether a key (upper case, no dot) is a billable code.
    pub fn is_billable_key(&self, key: &str) -> bool {
        match pack(key.as_bytes()) {
            Some(c) => self.billable_packed(c),
            None => self.is_billable_long(key),
        }
    }

    /// Whether a key too long to pack (a custom table's codes of
    /// [`crate::billable::MAX_CODE`]+1 to 16 characters) is billable now:
    /// read from the maps instead of the hash set.
    fn is_billable_long(&self, key: &str) -> bool {
        key.len() > crate::billable::MAX_CODE
            && self
                .entry(key.as_bytes())
                .is_some_and(|e| self.billable_now(key, &e))
    }

    /// Which system this is.
    pub fn system(&self) -> &System {
        &self.system
    }

    /// Release, source, counts and table sizes as a JSON object.
    pub fn info_json(&self) -> &'static str {
        self.info
    }

    /// The FST map of codes, for tests and tools.
    pub fn map(&self) -> &fst::Map<&'static [u8]> {
        &self.codes
    }

    /// Chapters and blocks (ICD-10-CM; a module without it leaves the
    /// parser out: the flat systems have none).
    fn outline(&self) -> &Outline<'static> {
        self.outline.get_or_init(|| {
            if cfg!(feature = "icd10cm") {
                Outline::parse(self.outline_text)
            } else {
                Outline::default()
            }
        })
    }

    /// The 7th-character definitions (ICD-10-CM only, as the outline).
    fn sevenths(&self) -> &[SeventhChars] {
        self.sevenths.get_or_init(|| {
            if cfg!(feature = "icd10cm") {
                parse_sevenths(self.sevenths_text)
            } else {
                Vec::new()
            }
        })
    }

    /// The packed entry stored for a normalized key.
    pub fn entry(&self, key: &[u8]) -> Option<Entry> {
        self.codes.get(key).map(Entry::decode)
    }

    /// Whether `input` is a billable code of this release (case, dot and
    /// surrounding spaces do not matter; anything malformed is `false`).
    pub fn is_valid(&self, input: &str) -> bool {
        self.is_valid_bytes(input.as_bytes())
    }

    /// CPT without a licensed table: only the format can be checked, so
    /// `is_valid` answers whether the input has a CPT form.
    pub fn is_format_only(&self) -> bool {
        self.format_only
    }

    /// Whether `input` is valid on `date` (`None`: [`CodeSet::is_valid_bytes`]),
    /// with the code [`pack_input`] packs from it, so a caller that keys
    /// answers by code packs it once.
    pub fn is_valid_bytes_packed(&self, input: &[u8], date: Option<u32>) -> (bool, Option<u64>) {
        let dated = date.filter(|_| !self.format_only).and_then(|d| {
            let h = self.history.as_ref().filter(|h| !h.releases().is_empty())?;
            Some((h, d))
        });
        if self.format_only || (date.is_some() && dated.is_none()) {
            let valid = match date {
                Some(d) => self.is_valid_bytes_on(input, d),
                None => self.is_valid_bytes(input),
            };
            return (valid, pack_input(input));
        }
        let packed = pack_input(input);
        let valid = match (packed, dated) {
            (Some(code), Some((h, d))) => h.valid_on_packed(code, d),
            (Some(code), None) => self.billable_packed(code),
            (None, Some((h, d))) => long_key(input).is_some_and(|k| h.valid_on(k.as_str(), d)),
            (None, None) => long_key(input).is_some_and(|k| self.is_billable_long(k.as_str())),
        };
        (valid, packed)
    }

    /// [`CodeSet::is_valid_bytes`] for each `\n`-separated line of `lines`:
    /// one answer (1 valid, 0 not) per line appended to `answers`. A batch
    /// of more codes than are answered without the hash set builds it first.
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// let mut answers = Vec::new();
    /// cm.is_valid_lines(b"E11.9\ne11\n s72001a \nnot a code", &mut answers);
    /// assert_eq!(answers, [1, 0, 1, 0]);
    /// ```
    pub fn is_valid_lines(&self, lines: &[u8], answers: &mut Vec<u8>) {
        // A code and its separator take about 8 bytes.
        if lines.len() / 8 > crate::billable::ASKS_BEFORE_BUILD as usize {
            self.prepare_validity();
        }
        answers.reserve(lines.len() / 6 + 1);
        // The hash set, when built: a line written the common way is read
        // and packed in one pass and answered from it; any other line, and
        // a set answered without the hash set, takes `is_valid_bytes`.
        let set = match self.format_only {
            true => None,
            false => self.billable.get(|| self.billable_set()),
        };
        let Some(set) = set else {
            for line in lines.split(|&b| b == b'\n') {
                answers.push(u8::from(self.is_valid_bytes(line)));
            }
            return;
        };
        // Two passes: every line packed first (a line the general way
        // answers holds its answer under bit 63, which no packed code
        // reaches), then the probes, which do not depend on each other, so
        // the processor overlaps their memory reads (the set is larger than
        // its caches).
        const ANSWERED: u64 = 1 << 63;
        let mut codes = Vec::with_capacity(lines.len() / 6 + 1);
        let mut at = 0;
        loop {
            let (code, end) = crate::billable::pack_line(lines, at);
            codes.push(match code {
                Some(code) => code,
                None => {
                    ANSWERED
                        | u64::from(self.is_valid_bytes(lines.get(at..end).unwrap_or_default()))
                }
            });
            if end >= lines.len() {
                break;
            }
            at = end + 1;
        }
        answers.extend(codes.iter().map(|&c| match c & ANSWERED {
            0 => u8::from(set.contains(c)),
            _ => (c & 1) as u8,
        }));
    }

    /// [`CodeSet::is_valid`] for UTF-8 bytes (invalid UTF-8 is `false`).
    pub fn is_valid_bytes(&self, input: &[u8]) -> bool {
        if self.format_only {
            if let Some(valid) = cpt_form_quick(input) {
                return valid;
            }
            return std::str::from_utf8(input)
                .ok()
                .and_then(|t| normalize(t).ok())
                .is_some_and(|k| medcode_tables::cpt::category(k.as_str()).is_ok());
        }
        match pack_input(input) {
            Some(code) => self.billable_packed(code),
            None => long_key(input).is_some_and(|k| self.is_billable_long(k.as_str())),
        }
    }

    /// Whether a packed code is billable in the newest release: from the
    /// hash set once many codes were asked (see [`WarmTable`]), from the
    /// FSTs before (the same answer: a test holds them equal).
    fn billable_packed(&self, code: u64) -> bool {
        match self.billable.get(|| self.billable_set()) {
            Some(set) => set.contains(code),
            None => self.billable_packed_direct(code),
        }
    }

    /// [`CodeSet::billable_packed`] read from the FSTs: the history's span
    /// on the newest date, or without a history the code map's flag. Out of
    /// line, so the hash set's path stays small.
    #[cold]
    #[inline(never)]
    pub(crate) fn billable_packed_direct(&self, code: u64) -> bool {
        let Some((bytes, n)) = unpack(code) else {
            return false;
        };
        let Some(key) = bytes.get(..n).and_then(|k| std::str::from_utf8(k).ok()) else {
            return false;
        };
        match (&self.history, self.newest_date()) {
            (Some(h), Some(date)) => h.valid_on(key, date),
            _ => self.entry(key.as_bytes()).is_some_and(|e| e.billable),
        }
    }

    /// Builds now the tables `is_valid` (and, with a history, `is_valid_on`)
    /// answer from once busy: for a caller about to check many codes.
    pub fn prepare_validity(&self) {
        self.billable.built(|| self.billable_set());
        if let Some(h) = &self.history {
            h.prepare_spans();
        }
    }

    /// The billable codes of the newest release as a hash set, from the
    /// history (or, without one, from the tabular).
    #[cold]
    #[inline(never)]
    pub(crate) fn billable_set(&self) -> PackedSet {
        if let (Some(h), Some(date)) = (&self.history, self.newest_date()) {
            let mut set = PackedSet::with_capacity_for(self.billable_count);
            let mut stream = h.map().stream();
            while let Some((k, v)) = stream.next() {
                if medcode_tables::history::decode_span(v).contains(date) {
                    if let Some(code) = pack(k).filter(|&c| !h.in_gap_packed(c, date)) {
                        set.insert(code);
                    }
                }
            }
            return set;
        }
        let mut stream = self.codes.stream();
        let mut set = PackedSet::with_capacity_for(self.billable_count);
        while let Some((k, v)) = stream.next() {
            if Entry::decode(v).billable {
                if let Some(code) = pack(k) {
                    set.insert(code);
                }
            }
        }
        set
    }

    fn title_index(&self) -> &TitleIndex<'static> {
        self.title_index.get_or_init(|| self.titles.index())
    }

    /// Appends title `id` to `out`.
    pub fn write_title(&self, id: u32, out: &mut String) {
        let index = self.title_index();
        match self.title_reader.try_lock() {
            Ok(mut reader) => self.titles.write_read(index, &mut reader, id, out),
            // Another thread is reading a title of this set.
            Err(_) => self.titles.write_indexed(index, id, out),
        };
    }

    /// Appends the title `id` of the code `key` to `out`: a title stored as
    /// a template over the code's axis labels (ICD-10-PCS,
    /// `medcode_tables::templates`) is written with its labels filled in.
    pub fn write_code_title(&self, key: &str, id: u32, out: &mut String) {
        let start = out.len();
        self.write_title(id, out);
        self.fill_template(key, start, out);
    }

    /// Fills in the labels of a template written at `out[start..]` for
    /// `key`; text without slots is left as it is.
    #[cfg(feature = "icd10pcs")]
    fn fill_template(&self, key: &str, start: usize, out: &mut String) {
        let Some(axes) = &self.axes else {
            return;
        };
        use medcode_tables::templates;
        if !out.get(start..).is_some_and(templates::has_slots) {
            return;
        }
        let template = out.split_off(start);
        if !templates::expand(&template, |p, o| axes.write_label(key, p, o), out) {
            // A label the module lacks (tests rule it out): keep the
            // template's words, never its slot bytes.
            out.extend(template.chars().filter(|c| !c.is_control()));
        }
    }

    /// Only ICD-10-PCS stores templates: other modules leave the code out.
    #[cfg(not(feature = "icd10pcs"))]
    fn fill_template(&self, _key: &str, _start: usize, _out: &mut String) {}

    /// Appends the display of the code `key` (its entry `entry`) to `out`,
    /// as of the newest release (a title the addenda revised reads new).
    pub fn write_display(&self, key: &str, entry: &Entry, out: &mut String) {
        match self.newest_date() {
            Some(date) => self.write_display_on(key, entry, date, out),
            None => {
                self.write_code_title(key, entry.title, out);
                self.write_seventh_meaning(entry, out);
            }
        }
    }

    /// Appends the display of `key` on `date`: the title of the newest
    /// addendum in force then (ICD-10-CM FY2027, transcribed), else the
    /// tabular's. An addendum's title is whole (a code made with a 7th
    /// character included), so no meaning is appended to it.
    pub fn write_display_on(&self, key: &str, entry: &Entry, date: u32, out: &mut String) {
        match self.history.as_ref().and_then(|h| h.addendum_on(key, date)) {
            Some(a) => out.push_str(a.title),
            None => {
                self.write_code_title(key, entry.title, out);
                self.write_seventh_meaning(entry, out);
            }
        }
    }

    /// The title of a code the tabular does not list: from the addenda
    /// (a new code) or the abbreviated title of a retired one.
    pub fn untabulated_title(&self, key: &str) -> Option<&'static str> {
        let h = self.history.as_ref()?;
        h.added_title(key).or_else(|| h.retired_title(key))
    }

    /// For a code made with a 7th character, appends `, ` and the character's
    /// meaning (the rest of its display is its leaf's title).
    pub fn write_seventh_meaning(&self, entry: &Entry, out: &mut String) {
        if let Some((def, ext)) = entry.seventh.filter(|_| entry.is_expanded()) {
            if let Some(meaning) = self.seventh_text(def as usize, ext as usize) {
                out.push_str(", ");
                out.push_str(meaning);
            }
        }
    }

    /// The meaning of 7th character `ext` of definition `def`, written out
    /// once and kept: the few meanings come back on every code made with a
    /// 7th character (a prefix walk under S72 reads 16 of them 50 times).
    pub fn seventh_text(&self, def: usize, ext: usize) -> Option<&str> {
        let &(_, id) = self.sevenths().get(def)?.get(ext)?;
        let texts = self.seventh_texts.get_or_init(|| {
            self.sevenths()
                .iter()
                .map(|d| d.iter().map(|_| OnceLock::new()).collect())
                .collect()
        });
        let cell = texts.get(def)?.get(ext)?;
        Some(cell.get_or_init(|| {
            let mut text = String::new();
            self.write_title(id, &mut text);
            text
        }))
    }

    /// The concept stored under a normalized key.
    pub fn concept(&self, key: &str) -> Option<Concept> {
        let entry = self.entry_or_added(key)?;
        Some(self.concept_of(key, &entry))
    }

    fn concept_of(&self, key: &str, entry: &Entry) -> Concept {
        let mut display = String::new();
        self.write_display(key, entry, &mut display);
        Concept {
            code: self.code_text(key),
            display,
            kind: entry.kind,
            billable: self.billable_now(key, entry),
        }
    }

    /// Looks up a code as typed. `Ok(None)`: well-formed but not in the release.
    ///
    /// ```
    /// let c = medcode::CodeSet::icd10cm().lookup("s72001a").unwrap().unwrap();
    /// assert_eq!(c.code, "S72.001A");
    /// assert_eq!(c.display, "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture");
    /// ```
    /// Codes the tabular no longer lists (or does not list yet) are found through
    /// the history; `billable` is for the newest release (see [`CodeSet::lookup_on`]).
    pub fn lookup(&self, input: &str) -> Result<Option<Concept>, InputError> {
        Ok(self.lookup_on(input, None)?.map(|d| d.concept))
    }

    /// The key of the parent of `key` (code → subcategory → category → block → chapter).
    pub fn parent_key(&self, key: &str, entry: &Entry) -> Option<String> {
        self.parent_key_with(key, entry, |k| self.codes.contains_key(k))
    }

    /// The entry under `key` and its parent's key, read in one walk of the
    /// code map (see [`crate::fst_walk::get_with_prefixes`]): what a
    /// lookup needs, without walking the map again for each candidate
    /// parent as [`CodeSet::parent_key`] does.
    pub fn entry_and_parent(&self, key: &str) -> Option<(Entry, Option<String>)> {
        let (value, prefixes) = crate::fst_walk::get_with_prefixes(&self.codes, key.as_bytes())?;
        let entry = Entry::decode(value);
        let parent = self.parent_key_with(key, &entry, |k| {
            k.len() < 32 && prefixes & (1 << k.len()) != 0
        });
        Some((entry, parent))
    }

    /// [`CodeSet::parent_key`] with `is_key` telling which of the code's
    /// prefixes are keys.
    fn parent_key_with(
        &self,
        key: &str,
        entry: &Entry,
        is_key: impl Fn(&str) -> bool,
    ) -> Option<String> {
        match entry.kind {
            Kind::Chapter => None,
            Kind::Block | Kind::Category => self.outline().parents.get(key).map(|p| p.to_string()),
            // No title id reaches `ADDED_ENTRY`'s (ids have 24 bits).
            Kind::Code if entry.title == ADDED_ENTRY.title => {
                // A code the addenda add (its new headers are not known):
                // the nearest code above it that the tabular lists, as
                // `lookup` and `children` place it.
                self.nearest_listed_above(key).map(str::to_owned)
            }
            Kind::Code => {
                let mut parent = &key[..key.len().saturating_sub(1)];
                while !parent.is_empty() {
                    if is_key(parent) {
                        return Some(parent.to_owned());
                    }
                    // ICD-10-CM: only a placeholder X is skipped; codes of the
                    // flat systems (a PCS table heading above its codes) are
                    // truncated until a heading is found.
                    match parent.strip_suffix('X') {
                        Some(p) => parent = p,
                        None if !self.system.profile.placeholder_x => {
                            parent = &parent[..parent.len() - 1]
                        }
                        None => return None,
                    }
                }
                None
            }
        }
    }

    /// The ancestors of a code as typed, nearest first, up to its chapter.
    pub fn ancestors(&self, input: &str) -> Result<Option<Vec<Concept>>, InputError> {
        let key = normalize(input)?;
        let Some(entry) = self.entry_or_added(key.as_str()) else {
            return Ok(None);
        };
        let above = self.lineage(key.as_str().to_owned(), entry).skip(1);
        Ok(Some(above.map(|(k, e)| self.concept_of(&k, &e)).collect()))
    }

    /// `key` and every level above it, nearest first, up to its chapter:
    /// the one walk up the hierarchy (ancestors, inherited notes, note
    /// checks all take it).
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// let entry = cm.entry(b"S72001A").unwrap();
    /// let keys: Vec<String> = cm.lineage("S72001A".into(), entry).map(|(k, _)| k).collect();
    /// assert_eq!(&keys[..4], ["S72001A", "S72001", "S7200", "S720"]);
    /// ```
    pub fn lineage(&self, key: String, entry: Entry) -> Lineage<'_> {
        Lineage {
            set: self,
            next: Some((key, entry)),
        }
    }

    /// The keys of the direct children of `key`, in the order a coder reads them.
    pub fn child_keys(&self, key: &str, entry: &Entry) -> Vec<String> {
        match entry.kind {
            Kind::Chapter | Kind::Block => {
                let outline = self.outline();
                let rows = if entry.kind == Kind::Chapter {
                    &outline.chapters
                } else {
                    &outline.blocks
                };
                let children = rows
                    .iter()
                    .find(|(id, _)| *id == key)
                    .map(|(_, c)| c.as_slice());
                children
                    .unwrap_or_default()
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            }
            Kind::Category | Kind::Code => {
                // Descendants extend their ancestor's key, so after each child the
                // whole subtree under it is skipped by restarting past `child\xff`.
                let mut out = Vec::new();
                let mut after = key.as_bytes().to_vec();
                let upper = past_subtree(key.as_bytes());
                loop {
                    let mut stream = self.codes.range().gt(&after).lt(&upper).into_stream();
                    let Some((child, value)) = stream.next() else {
                        break;
                    };
                    let child_kind = Entry::decode(value).kind;
                    let child = String::from_utf8_lossy(child).into_owned();
                    after = past_subtree(child.as_bytes());
                    // A block key such as `A00-A09` sorts among the codes of A00.
                    if matches!(child_kind, Kind::Category | Kind::Code) {
                        out.push(child);
                    }
                }
                // Codes the addenda add whose nearest listed ancestor is `key`.
                for a in self.added_under(key) {
                    if self.nearest_listed_above(a) == Some(key) {
                        let at = out.partition_point(|c| c.as_str() < *a);
                        out.insert(at, (*a).to_owned());
                    }
                }
                self.order.sort_children(key, &mut out);
                out
            }
        }
    }

    /// The direct children of a code as typed (`None`: not in the release).
    pub fn children(&self, input: &str) -> Result<Option<Vec<Concept>>, InputError> {
        let key = normalize(input)?;
        let Some(entry) = self.entry_or_added(key.as_str()) else {
            return Ok(None);
        };
        let children = self.child_keys(key.as_str(), &entry);
        Ok(Some(
            children.iter().filter_map(|k| self.concept(k)).collect(),
        ))
    }

    /// How many billable codes lie under `key` (itself included).
    pub fn billable_under(&self, key: &str, entry: &Entry) -> usize {
        match entry.kind {
            Kind::Chapter | Kind::Block => self
                .child_keys(key, entry)
                .iter()
                .filter_map(|k| Some((k.clone(), self.entry(k.as_bytes())?)))
                .map(|(k, e)| self.billable_under(&k, &e))
                .sum(),
            Kind::Category | Kind::Code => {
                let upper = past_subtree(key.as_bytes());
                let mut stream = self.codes.range().ge(key).lt(&upper).into_stream();
                let mut n = 0;
                while let Some((_, v)) = stream.next() {
                    n += usize::from(Entry::decode(v).billable);
                }
                n
            }
        }
    }

    /// The 7th characters `entry` takes: `(character, meaning)`.
    pub fn seventh_options(&self, entry: &Entry) -> Vec<(char, String)> {
        let Some(def) = entry.takes_seventh() else {
            return Vec::new();
        };
        let Some(chars) = self.sevenths().get(def as usize) else {
            return Vec::new();
        };
        chars
            .iter()
            .enumerate()
            .map(|(ext, &(c, _))| {
                let text = self.seventh_text(def as usize, ext).unwrap_or_default();
                (c as char, text.to_owned())
            })
            .collect()
    }

    /// Categories and codes whose key starts with the normalized `prefix`, in
    /// the tabular's order (see [`crate::order`]), at most `limit`, calling
    /// `each(key, entry)`.
    pub fn for_each_prefixed(
        &self,
        prefix: &Key,
        limit: usize,
        mut each: impl FnMut(&str, &Entry),
    ) {
        let categories = self.order.categories();
        if prefix.as_str().len() < 3 && !categories.is_empty() {
            // Category by category, in the book's order (M1A before M10).
            // Codes the addenda add under a category the tabular lacks
            // (ICD-10-CM FY2027: J4B.…, QA1.71 …) follow the tabular
            // category before theirs in key order.
            let orphans: Vec<(&str, Option<&str>)> = self
                .added_under(prefix.as_str())
                .iter()
                .filter(|a| {
                    a.get(..3)
                        .is_none_or(|c| self.entry(c.as_bytes()).is_none())
                })
                .map(|a| {
                    let before = categories.iter().filter(|c| **c < *a).max().copied();
                    (*a, before)
                })
                .collect();
            let mut n = 0;
            let mut listed = vec![false; orphans.len()];
            for cat in categories.iter().filter(|c| c.starts_with(prefix.as_str())) {
                if n >= limit {
                    break;
                }
                self.for_each_under(cat, limit - n, &mut |k, e| {
                    each(k, e);
                    n += 1;
                });
                for ((a, before), done) in orphans.iter().zip(listed.iter_mut()) {
                    if n < limit && *before == Some(*cat) {
                        each(a, &ADDED_ENTRY);
                        n += 1;
                        *done = true;
                    }
                }
            }
            // Any whose category sorts before every category under the prefix.
            for ((a, _), done) in orphans.iter().zip(&listed) {
                if n < limit && !done {
                    each(a, &ADDED_ENTRY);
                    n += 1;
                }
            }
            return;
        }
        self.for_each_under(prefix.as_str(), limit, &mut each);
    }

    /// [`CodeSet::for_each_prefixed`] below one category (or a longer prefix),
    /// the codes the addenda add (see [`CodeSet::added_keys`]) among the
    /// tabular's. (One copy of the code for every caller: `each` is a trait
    /// object.)
    #[inline(never)]
    fn for_each_under(&self, prefix: &str, limit: usize, each: &mut dyn FnMut(&str, &Entry)) {
        let upper = past_subtree(prefix.as_bytes());
        let mut stream = self
            .codes
            .range()
            .ge(prefix.as_bytes())
            .lt(&upper)
            .into_stream();
        let mut added = self.added_under(prefix).iter().peekable();
        let mut n = 0;
        if !self.order.touches(prefix) {
            // Key order is the tabular's here.
            while n < limit {
                let next = stream.next();
                while n < limit {
                    let Some(a) = added.next_if(|a| next.is_none_or(|(k, _)| a.as_bytes() < k))
                    else {
                        break;
                    };
                    each(a, &ADDED_ENTRY);
                    n += 1;
                }
                let Some((k, v)) = next else { break };
                let entry = Entry::decode(v);
                if n < limit && matches!(entry.kind, Kind::Category | Kind::Code) {
                    each(std::str::from_utf8(k).unwrap_or_default(), &entry);
                    n += 1;
                }
            }
            return;
        }
        // The subtree of a reordered parent is gathered, then listed in
        // tabular order (I82.A-I82.C before I82.8).
        let mut walk = Walk {
            order: &self.order,
            held: None,
            n: 0,
            limit,
            each,
        };
        loop {
            let next = stream.next();
            while let Some(a) = added.next_if(|a| next.is_none_or(|(k, _)| a.as_bytes() < k)) {
                if !walk.visit(a, ADDED_ENTRY) {
                    return walk.flush();
                }
            }
            let Some((k, v)) = next else { break };
            let entry = Entry::decode(v);
            if matches!(entry.kind, Kind::Category | Kind::Code)
                && !walk.visit(std::str::from_utf8(k).unwrap_or_default(), entry)
            {
                break;
            }
        }
        walk.flush();
    }

    /// Categories and codes starting with `prefix` as typed, in the tabular's
    /// order, at most `limit`.
    ///
    /// ```
    /// let found = medcode::CodeSet::icd10cm().prefix("s72.00", 3).unwrap();
    /// let codes: Vec<_> = found.iter().map(|c| c.code.as_str()).collect();
    /// assert_eq!(codes, ["S72.00", "S72.001", "S72.001A"]);
    /// // The book puts chronic gout (M1A) before gout (M10), and I82.A before I82.8.
    /// let m1: Vec<_> = medcode::CodeSet::icd10cm().prefix("m1", 2).unwrap().into_iter().map(|c| c.code).collect();
    /// assert_eq!(m1, ["M1A", "M1A.0"]);
    /// ```
    pub fn prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Concept>, InputError> {
        let key = normalize(prefix)?;
        let mut out = Vec::new();
        self.for_each_prefixed(&key, limit, |k, e| out.push(self.concept_of(k, e)));
        Ok(out)
    }
}

/// A row held under a reordered parent: its sort key, key and entry.
type HeldRow = (Vec<u8>, String, Entry);

/// A walk in the tabular's order under a prefix that touches reordered
/// parents (see [`crate::order`]): the subtree of a reordered parent is
/// held, then listed sorted; every other code is listed as it comes.
struct Walk<'a, 'e> {
    order: &'a crate::order::TabularOrder,
    /// The reordered parent being gathered and its subtree's rows.
    held: Option<(String, Vec<HeldRow>)>,
    n: usize,
    limit: usize,
    each: &'e mut dyn FnMut(&str, &Entry),
}

impl Walk<'_, '_> {
    /// Takes the next code in key order; false once `limit` are listed.
    fn visit(&mut self, key: &str, entry: Entry) -> bool {
        if let Some((root, rows)) = &mut self.held {
            if key.starts_with(root.as_str()) {
                rows.push((self.order.sort_key(key), key.to_owned(), entry));
                return true;
            }
            self.flush();
        }
        if self.n >= self.limit {
            return false;
        }
        match self.order.reordered_ancestor(key) {
            Some(len) => {
                let root = key.get(..len).unwrap_or(key).to_owned();
                self.held = Some((
                    root,
                    vec![(self.order.sort_key(key), key.to_owned(), entry)],
                ));
            }
            None => {
                (self.each)(key, &entry);
                self.n += 1;
            }
        }
        true
    }

    /// Lists the held subtree, sorted.
    fn flush(&mut self) {
        if let Some((_, mut rows)) = self.held.take() {
            rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (_, k, e) in rows {
                if self.n >= self.limit {
                    break;
                }
                (self.each)(&k, &e);
                self.n += 1;
            }
        }
    }
}

/// A bound above every key that extends `key` (keys are ASCII, so `key` + 0xFF).
pub(crate) fn past_subtree(key: &[u8]) -> Vec<u8> {
    let mut bound = Vec::with_capacity(key.len() + 1);
    bound.extend_from_slice(key);
    bound.push(0xff);
    bound
}

/// The key of input too long to pack (see [`CodeSet::is_billable_key`]),
/// `None` for anything else.
fn long_key(input: &[u8]) -> Option<crate::normalize::Key> {
    // A key is never longer than the input it came from: most input that
    // does not pack (junk, a misplaced dot) is rejected without normalizing.
    if input.len() <= crate::billable::MAX_CODE {
        return None;
    }
    let key = normalize(std::str::from_utf8(input).ok()?).ok()?;
    (key.as_str().len() > crate::billable::MAX_CODE).then_some(key)
}

/// A code and the levels above it, nearest first (see [`CodeSet::lineage`]).
pub struct Lineage<'a> {
    set: &'a CodeSet,
    next: Option<(String, Entry)>,
}

impl Iterator for Lineage<'_> {
    type Item = (String, Entry);

    fn next(&mut self) -> Option<(String, Entry)> {
        let (key, entry) = self.next.take()?;
        self.next = self.set.parent_key(&key, &entry).and_then(|parent| {
            let e = self.set.entry(parent.as_bytes())?;
            Some((parent, e))
        });
        Some((key, entry))
    }
}

/// Whether `input` has a CPT form, without [`normalize`] when it is five
/// ASCII letters and digits with only ASCII white space around them (which
/// `normalize` would leave as they are but for case); `None` for anything
/// else, which takes the general path. The form itself is
/// [`medcode_tables::cpt::category`]'s.
fn cpt_form_quick(input: &[u8]) -> Option<bool> {
    let code = input.trim_ascii();
    if code.len() != 5 || !code.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let code = std::str::from_utf8(code).ok()?;
    Some(medcode_tables::cpt::category(code).is_ok())
}

#[cfg(test)]
mod tests {
    use super::{CodeSet, DataError};
    use std::error::Error;

    /// `lookup` reads a code's entry and parent in one walk of the code map;
    /// for every code of every system that must be the parent
    /// `parent_key` finds by asking the map for each candidate.
    #[test]
    fn one_walk_parent_is_parent_key_for_every_code() {
        for set in [CodeSet::icd10cm(), CodeSet::icd10pcs(), CodeSet::hcpcs()] {
            let mut keys = 0;
            crate::fst_walk::for_each_key(set.map(), |k, v| {
                let key = std::str::from_utf8(k).unwrap();
                let entry = crate::Entry::decode(v);
                let (found, parent) = set.entry_and_parent(key).unwrap();
                assert_eq!(found, entry, "{key}");
                assert_eq!(parent, set.parent_key(key, &entry), "{key}");
                keys += 1;
            });
            assert_eq!(keys, set.map().len());
        }
    }

    proptest::proptest! {
        /// The CPT form read from the bytes answers as `normalize` and
        /// `cpt::category` do, for every input it answers.
        #[test]
        fn cpt_form_from_bytes_agrees_with_normalize(s in "[ \\t\\x0b\u{a0}]{0,2}[.0-9FTUftuX-]{3,7}[ \\t\\x0b\u{a0}]{0,2}") {
            let slow = std::str::from_utf8(s.as_bytes())
                .ok()
                .and_then(|t| crate::normalize::normalize(t).ok())
                .is_some_and(|k| medcode_tables::cpt::category(k.as_str()).is_ok());
            if let Some(quick) = super::cpt_form_quick(s.as_bytes()) {
                proptest::prop_assert_eq!(quick, slow, "{:?}", s);
            }
        }
    }

    /// Damaged tables are refused with the table named and the reader's
    /// error as the source, never opened half-way.
    #[test]
    fn damaged_tables_name_the_table_that_does_not_open() {
        let cm = CodeSet::icd10cm();
        let open = |codes: &'static [u8], titles: &'static [u8]| {
            CodeSet::new(*cm.system(), "{}", 0, codes, titles, "", "", &[])
        };
        let good_codes = cm.map().as_fst().as_bytes();
        let Err(e) = open(b"not an fst", b"") else {
            panic!("a damaged code map opened");
        };
        assert!(matches!(e, DataError::Fst { table: "codes", .. }), "{e}");
        assert!(
            e.to_string()
                .starts_with("embedded tables are damaged: codes: "),
            "{e}"
        );
        assert!(e.source().is_some());
        let Err(e) = open(good_codes, b"MCT9") else {
            panic!("a title store of another layout opened");
        };
        assert!(
            matches!(
                e,
                DataError::Titles {
                    table: "titles",
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("titles: "), "{e}");
    }

    /// Before the hash set is built (the first questions of a page),
    /// `is_valid` reads the FSTs: both ways give the same answer for every
    /// key of the code map and of the history, and for keys of no code.
    #[test]
    fn billable_from_the_fsts_equals_the_hash_set() {
        use crate::billable::pack;
        use fst::Streamer;
        for set in [CodeSet::icd10cm(), CodeSet::icd10pcs(), CodeSet::hcpcs()] {
            let hashed = set.billable_set();
            let mut keys: Vec<Vec<u8>> = Vec::new();
            let mut stream = set.map().stream();
            while let Some((k, _)) = stream.next() {
                keys.push(k.to_vec());
            }
            if let Some(h) = set.history() {
                let mut stream = h.map().stream();
                while let Some((k, _)) = stream.next() {
                    keys.push(k.to_vec());
                }
            }
            keys.extend([b"E1".to_vec(), b"ZZZZZZZ".to_vec(), b"0".to_vec()]);
            let mut billable = 0;
            for key in &keys {
                let Some(code) = pack(key) else { continue };
                let direct = set.billable_packed_direct(code);
                assert_eq!(
                    direct,
                    hashed.contains(code),
                    "{}: {}",
                    set.system().id,
                    String::from_utf8_lossy(key)
                );
                billable += usize::from(direct);
            }
            assert!(billable > 1000, "{}: {billable} billable", set.system().id);
            if let Some(h) = set.history() {
                let direct: Vec<_> = keys
                    .iter()
                    .filter_map(|k| Some((pack(k)?, k)))
                    .map(|(c, _)| h.span_packed(c))
                    .collect();
                h.prepare_spans();
                for (key, span) in keys.iter().filter(|k| pack(k).is_some()).zip(direct) {
                    let code = pack(key).unwrap_or_default();
                    assert_eq!(
                        h.span_packed(code),
                        span,
                        "{}",
                        String::from_utf8_lossy(key)
                    );
                    assert_eq!(h.span(std::str::from_utf8(key).unwrap_or_default()), span);
                }
            }
        }
    }
}
