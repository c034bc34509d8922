//! Placeholder family: no algorithm registered yet (see `ALL`).

use super::{OpenEnv, StateOps, SymmetricAlgorithm};
use crate::errno::{Error, Result};

/// The algorithms of this family.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[];

/// A state of this family (none can exist yet).
pub(crate) enum XoodyakState {}

impl XoodyakState {
    pub(crate) fn open(_key: Option<&[u8]>, _env: &mut OpenEnv<'_>) -> Result<Self> {
        Err(Error::UnsupportedAlgorithm)
    }
}

impl StateOps for XoodyakState {
    fn try_clone(&self) -> Result<Self> {
        match *self {}
    }
}
