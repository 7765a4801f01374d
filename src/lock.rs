//! The run lock: two kgdb processes must never write the same data directory at once
//! (a cron job overlapping a manual run would interleave source loads and builds), and two
//! data directories must never build into the same output folder at once (the second
//! build's files would mix with the first's).
//!
//! Why an OS file lock plus the holder's pid: the OS releases a `flock` when its process
//! ends, so a crashed kgdb never leaves a lock behind, and no one is ever told to delete
//! the lock file (deleting it would let a second writer in beside the first, each holding
//! a lock on a different file). The pid, command and start time written into the file
//! name the holder in the busy message. Only if the lock is held while the named process
//! is gone (a process that inherited the open file) is the lock taken over, by putting a
//! fresh, locked file in its place; the command says so.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "{what} is in use by another kgdb: {holder}, still running (lock file {path}); kgdb waits for nobody: re-run this command after that one finishes"
    )]
    Busy {
        /// "the data folder X" or "the output folder Y".
        what: String,
        path: PathBuf,
        holder: String,
    },
    #[error("cannot use the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Held for the duration of a writing command; released on drop (and by the OS on a crash).
#[derive(Debug)]
pub struct RunLock {
    lock: FileLock,
    data_dir: PathBuf,
}

impl RunLock {
    /// Lock `<data_dir>/kgdb.lock` for `command` (created with the directory if needed).
    pub fn acquire(data_dir: &Path, command: &str) -> Result<RunLock, LockError> {
        std::fs::create_dir_all(data_dir).map_err(|source| LockError::Io {
            path: data_dir.join("kgdb.lock"),
            source,
        })?;
        let lock = FileLock::acquire(
            &data_dir.join("kgdb.lock"),
            &format!("the data folder {}", data_dir.display()),
            command,
        )?;
        Ok(RunLock {
            lock,
            data_dir: data_dir.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.lock.path
    }

    /// The data directory this lock covers.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The holder whose lock was taken over because its process is gone.
    pub fn taken_over(&self) -> Option<&str> {
        self.lock.taken_over.as_deref()
    }
}

/// Held while a command writes an output (site) folder: `.<name>.kgdb-lock` beside it, so
/// two data folders cannot build into the same `-o` at once.
#[derive(Debug)]
pub struct OutputLock {
    lock: FileLock,
}

impl OutputLock {
    pub fn acquire(out: &Path, command: &str) -> Result<OutputLock, LockError> {
        let path = output_lock_path(out);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?;
        }
        let lock = FileLock::acquire(
            &path,
            &format!("the output folder {}", out.display()),
            command,
        )?;
        Ok(OutputLock { lock })
    }

    pub fn path(&self) -> &Path {
        &self.lock.path
    }

    /// The holder whose lock was taken over because its process is gone.
    pub fn taken_over(&self) -> Option<&str> {
        self.lock.taken_over.as_deref()
    }
}

/// `.<name>.kgdb-lock` in the parent of `out` (resolved, so `site`, `./site` and the
/// absolute path share one lock).
pub fn output_lock_path(out: &Path) -> PathBuf {
    // The folder itself if it exists, else its (existing) parent: both resolve to the same
    // place before and after the first build creates the folder.
    let abs = out.canonicalize().unwrap_or_else(|_| {
        let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        match (abs.parent(), abs.file_name()) {
            (Some(parent), Some(name)) => parent
                .canonicalize()
                .unwrap_or_else(|_| parent.to_path_buf())
                .join(name),
            _ => abs,
        }
    });
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => parent.join(format!(".{}.kgdb-lock", name.to_string_lossy())),
        // The root folder: lock inside it.
        _ => abs.join(".kgdb-lock"),
    }
}

#[derive(Debug)]
struct FileLock {
    file: File,
    path: PathBuf,
    taken_over: Option<String>,
}

impl FileLock {
    fn acquire(path: &Path, what: &str, command: &str) -> Result<FileLock, LockError> {
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = open(path).map_err(io)?;
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let previous = previous.trim().to_string();
        let mut taken_over = None;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if holder_pid(&previous).is_none_or(pid_alive) {
                    return Err(LockError::Busy {
                        what: what.to_string(),
                        path: path.to_path_buf(),
                        holder: if previous.is_empty() {
                            "holder unknown".into()
                        } else {
                            previous
                        },
                    });
                }
                // Held, but not by the process it names: put a fresh locked file in its place.
                file = take_over(path).map_err(io)?;
                taken_over = Some(previous);
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(
            file,
            "kgdb {command}, pid {}, since {}",
            std::process::id(),
            since_now()
        );
        let _ = file.flush();
        Ok(FileLock {
            file,
            path: path.to_path_buf(),
            taken_over,
        })
    }
}

impl Drop for FileLock {
    /// An empty file once released: a holder named in the file is one still at work.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// A new lock file, locked, renamed over `path`; refused if another kgdb took it over too.
fn take_over(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::MetadataExt;
    let mut fresh = path.as_os_str().to_owned();
    fresh.push(format!(".{}", std::process::id()));
    let fresh = PathBuf::from(fresh);
    let file = open(&fresh)?;
    file.try_lock().map_err(std::io::Error::from)?;
    std::fs::rename(&fresh, path)?;
    let mine = file.metadata()?;
    let there = std::fs::metadata(path)?;
    if (mine.dev(), mine.ino()) != (there.dev(), there.ino()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "another kgdb took the stale lock over at the same time",
        ));
    }
    Ok(file)
}

/// The current time, RFC 3339 in UTC (the store depends on this module, not the reverse).
fn since_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.to_string())
}

/// The pid in a lock file's text (`kgdb run, pid 123, since ...`).
fn holder_pid(text: &str) -> Option<u32> {
    let rest = text.split("pid ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether a process with this pid exists (`/proc/<pid>`; without `/proc`, assumed alive).
fn pid_alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path(), "run").unwrap();
        let err = RunLock::acquire(dir.path(), "run").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("in use by another kgdb"), "{msg}");
        assert!(
            msg.contains(&format!("kgdb run, pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("re-run this command after"), "{msg}");
        assert!(!msg.contains("remove"), "{msg}");
        drop(first);
        let again = RunLock::acquire(dir.path(), "run").unwrap();
        assert_eq!(again.taken_over(), None);
    }

    #[test]
    fn pid_is_read_from_the_lock_text() {
        assert_eq!(
            holder_pid("kgdb run, pid 4242, since 2026-01-01T00:00:00Z"),
            Some(4242)
        );
        assert_eq!(holder_pid(""), None);
        assert!(pid_alive(std::process::id()));
    }

    #[test]
    fn output_lock_is_shared_by_relative_and_absolute_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let path = output_lock_path(&out);
        assert_eq!(path.file_name().unwrap(), ".site.kgdb-lock");
        assert_eq!(
            path.parent().unwrap().canonicalize().unwrap(),
            dir.path().canonicalize().unwrap()
        );
        // Before and after the folder exists, and through `..`.
        std::fs::create_dir(&out).unwrap();
        assert_eq!(output_lock_path(&out), path);
        assert_eq!(output_lock_path(&out.join("../site/")), path);
    }
}
