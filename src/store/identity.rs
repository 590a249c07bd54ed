//! This device's identity: its ed25519 key pair, made on first open and
//! kept in the `meta` tree, and who the local person is.

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;

use super::rows::{dec, enc};
use super::trees::meta;
use crate::error::{Error, Result};
use crate::model::ids::MemberId;

/// Loads the device key, creating it on first open.
pub fn device_key(meta_tree: &sled::Tree) -> Result<(SigningKey, bool)> {
    if let Some(k) = meta_tree.get(meta::DEVICE_KEY)? {
        let bytes: [u8; 32] = k
            .as_ref()
            .try_into()
            .map_err(|_| Error::corrupt("the device key has the wrong length"))?;
        return Ok((SigningKey::from_bytes(&bytes), false));
    }
    let key = SigningKey::generate(&mut OsRng);
    meta_tree.insert(meta::DEVICE_KEY, key.to_bytes().as_slice())?;
    Ok((key, true))
}

/// The local person, if set.
pub fn load_me(meta_tree: &sled::Tree) -> Result<Option<MemberId>> {
    meta_tree.get(meta::ME)?.map(|v| dec(&v)).transpose()
}

/// Records the local person.
pub fn save_me(meta_tree: &sled::Tree, me: MemberId) -> Result<()> {
    meta_tree.insert(meta::ME, enc(&me))?;
    Ok(())
}
