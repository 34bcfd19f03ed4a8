//! `medcode-refresh FOLDER [UPDATES]`: reads every file of FOLDER as a newer
//! official release (see `medcode_tables::refresh`), and only if all of them
//! read and fit, stores them in the updates folder (default `tables/updates`)
//! and pins them in its manifest. Prints what it stored on stderr and the
//! systems to rebuild on stdout; exits 2 with `file:line: what` otherwise.
//! `scripts/build.sh --release FOLDER` runs it, then rebuilds and reports.

use medcode_tables::refresh;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(folder) = args.next().map(PathBuf::from) else {
        eprintln!("usage: medcode-refresh FOLDER [UPDATES_FOLDER]");
        std::process::exit(2);
    };
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| "tables/updates".into());
    let stored = refresh::check_folder(&folder, &dir)
        .and_then(|releases| refresh::store(&folder, &releases, &dir));
    match stored {
        Ok(stored) => {
            let mut systems: Vec<&str> = Vec::new();
            for s in &stored {
                eprintln!(
                    "refresh: {} {} ({}) from {}: stored in {}",
                    s.system.id(),
                    s.release,
                    medcode_tables::date::format_date(s.effective),
                    s.file,
                    s.path(&dir).display()
                );
                if !systems.contains(&s.system.id()) {
                    systems.push(s.system.id());
                }
            }
            println!("{}", systems.join(" "));
        }
        Err(e) => {
            eprintln!("refresh: {e}\nrefresh: nothing was stored");
            std::process::exit(2);
        }
    }
}
