//! The run lock: two kgdb processes must never write the same data directory at once
//! (a cron job overlapping a manual run would interleave source loads and builds).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another kgdb is already writing {dir} ({holder}); wait for it to finish, or remove {path} if no kgdb is running"
    )]
    Busy {
        dir: PathBuf,
        path: PathBuf,
        holder: String,
    },
    #[error("cannot open the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Held for the duration of a writing command; released on drop (and by the OS on a crash).
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    path: PathBuf,
}

impl RunLock {
    pub fn acquire(data_dir: &Path, command: &str) -> Result<RunLock, LockError> {
        let io = |source| LockError::Io {
            path: data_dir.join("kgdb.lock"),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let path = data_dir.join("kgdb.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Busy {
                    dir: data_dir.to_path_buf(),
                    path: path.clone(),
                    holder: if holder.is_empty() {
                        "holder unknown".into()
                    } else {
                        holder.to_string()
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(
            file,
            "kgdb {command}, pid {}, since {}",
            std::process::id(),
            crate::store::now_utc()
        );
        let _ = file.flush();
        Ok(RunLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path(), "run").unwrap();
        let err = RunLock::acquire(dir.path(), "run").unwrap_err();
        assert!(err.to_string().contains("already writing"), "{err}");
        assert!(err.to_string().contains("kgdb run, pid"), "{err}");
        drop(first);
        RunLock::acquire(dir.path(), "run").unwrap();
    }
}
