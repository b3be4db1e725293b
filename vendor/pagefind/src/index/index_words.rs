use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A set of locations on a given page
#[derive(Clone, Debug)]
pub struct PackedPage {
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    /// Most words come a few times on a page: their locations are kept in place, not in an
    /// allocation of their own (millions of them on a large site, each read once, cold, when
    /// the index is encoded).
    pub locs: Locs,
    pub meta_locs: Vec<i32>,
}

/// The locations of a word on a page (see [`PackedPage::locs`]).
pub type Locs = smallvec::SmallVec<[i32; 4]>;

/// The bytes `#[derive(Encode)]` made of the fields `#[n(0)] page_number`, `#[n(1)] locs`
/// and `#[n(2)] meta_locs` (an array of three: an unsigned integer and two arrays of
/// integers), written by hand: this is the innermost loop of the index, every location of
/// every word, and the derived code through `Encoder` took several times as long.
impl<C> Encode<C> for PackedPage {
    fn encode<W: minicbor::encode::Write>(
        &self,
        e: &mut minicbor::Encoder<W>,
        _ctx: &mut C,
    ) -> Result<(), minicbor::encode::Error<W::Error>> {
        let mut buf = Vec::with_capacity(12 + 3 * (self.locs.len() + self.meta_locs.len()));
        cbor_head(&mut buf, ARRAY, 3);
        cbor_head(&mut buf, UNSIGNED, self.page_number as u64);
        for list in [&self.locs[..], &self.meta_locs[..]] {
            cbor_head(&mut buf, ARRAY, list.len() as u64);
            for &n in list {
                if n >= 0 {
                    cbor_head(&mut buf, UNSIGNED, n as u64);
                } else {
                    cbor_head(&mut buf, NEGATIVE, (-1 - n as i64) as u64);
                }
            }
        }
        e.writer_mut()
            .write_all(&buf)
            .map_err(minicbor::encode::Error::write)
    }
}

const UNSIGNED: u8 = 0x00;
const NEGATIVE: u8 = 0x20;
const ARRAY: u8 = 0x80;

/// A CBOR head: major type and argument, in the shortest form (as `minicbor` writes it).
fn cbor_head(buf: &mut Vec<u8>, major: u8, n: u64) {
    match n {
        0..=0x17 => buf.push(major | n as u8),
        0x18..=0xff => buf.extend_from_slice(&[major | 24, n as u8]),
        0x100..=0xffff => {
            buf.push(major | 25);
            buf.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            buf.push(major | 26);
            buf.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            buf.push(major | 27);
            buf.extend_from_slice(&n.to_be_bytes());
        }
    }
}
