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
        let w = e.writer_mut();
        let mut head = |major: u8, n: u64| {
            let (bytes, len) = cbor_head(major, n);
            w.write_all(&bytes[..len])
                .map_err(minicbor::encode::Error::write)
        };
        head(ARRAY, 3)?;
        head(UNSIGNED, self.page_number as u64)?;
        for list in [&self.locs[..], &self.meta_locs[..]] {
            head(ARRAY, list.len() as u64)?;
            for &n in list {
                if n >= 0 {
                    head(UNSIGNED, n as u64)?;
                } else {
                    head(NEGATIVE, (-1 - n as i64) as u64)?;
                }
            }
        }
        Ok(())
    }
}

const UNSIGNED: u8 = 0x00;
const NEGATIVE: u8 = 0x20;
const ARRAY: u8 = 0x80;

/// A CBOR head: major type and argument, in the shortest form (as `minicbor` writes it), and
/// how many of the bytes it takes.
fn cbor_head(major: u8, n: u64) -> ([u8; 9], usize) {
    let mut b = [0; 9];
    let len = match n {
        0..=0x17 => {
            b[0] = major | n as u8;
            1
        }
        0x18..=0xff => {
            b[..2].copy_from_slice(&[major | 24, n as u8]);
            2
        }
        0x100..=0xffff => {
            b[0] = major | 25;
            b[1..3].copy_from_slice(&(n as u16).to_be_bytes());
            3
        }
        0x1_0000..=0xffff_ffff => {
            b[0] = major | 26;
            b[1..5].copy_from_slice(&(n as u32).to_be_bytes());
            5
        }
        _ => {
            b[0] = major | 27;
            b[1..].copy_from_slice(&n.to_be_bytes());
            9
        }
    };
    (b, len)
}
