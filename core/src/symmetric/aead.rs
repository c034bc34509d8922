//! Placeholder family: no algorithm registered yet (see `ALL`).

use super::{OpenEnv, StateOps, SymmetricAlgorithm};
use crate::errno::Result;

/// The algorithms of this family.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[];

/// The algorithm variants (none yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AeadAlg {}

/// A state of this family (none can exist yet).
pub(crate) enum AeadState {}

impl AeadState {
    pub(crate) fn open(alg: AeadAlg, _key: Option<&[u8]>, _env: &mut OpenEnv<'_>) -> Result<Self> {
        match alg {}
    }
}

impl StateOps for AeadState {
    fn try_clone(&self) -> Result<Self> {
        match *self {}
    }
}
