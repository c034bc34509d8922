//! Placeholder family: no algorithm registered yet (see `ALL`).

use super::{OpenEnv, StateOps, SymmetricAlgorithm};
use crate::errno::Result;

/// The algorithms of this family.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[];

/// The algorithm variants (none yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KdfAlg {}

/// A state of this family (none can exist yet).
pub(crate) enum KdfState {}

impl KdfState {
    pub(crate) fn open(alg: KdfAlg, _key: Option<&[u8]>, _env: &mut OpenEnv<'_>) -> Result<Self> {
        match alg {}
    }
}

impl StateOps for KdfState {
    fn try_clone(&self) -> Result<Self> {
        match *self {}
    }
}
