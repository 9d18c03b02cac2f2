package ingestion

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// charset is the text encoding of a CSV file.
type charset uint8

const (
	charsetUTF8 charset = iota
	charsetUTF16LE
	charsetUTF16BE
	charsetWindows1252 // also covers ISO-8859-1 text
	charsetWindows1250
)

// String names the charset.
func (c charset) String() string {
	return [...]string{"utf-8", "utf-16le", "utf-16be", "windows-1252", "windows-1250"}[c]
}

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// detectCharset reads the whole source once: a BOM decides at once;
// otherwise the file is UTF-8 when every byte sequence is valid UTF-8, and
// else one of the two Windows code pages, chosen by which one's letters
// read as one language (see pickCodePage).
func detectCharset(src io.ReadSeeker) (charset, int, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return 0, 0, err
	}
	buf := make([]byte, 64<<10)
	var high highBytes
	var prev byte
	valid := true
	carry := 0
	first := true
	var head []byte
	for {
		n, err := io.ReadFull(src, buf[carry:])
		n += carry
		if n == 0 && err != nil {
			break
		}
		chunk := buf[:n]
		if first {
			first = false
			head = append(head, chunk[:min(len(chunk), 4096)]...)
			switch {
			case bytes.HasPrefix(chunk, bomUTF8):
				return charsetUTF8, len(bomUTF8), nil
			case bytes.HasPrefix(chunk, bomUTF16LE):
				return charsetUTF16LE, 0, nil
			case bytes.HasPrefix(chunk, bomUTF16BE):
				return charsetUTF16BE, 0, nil
			}
			if cs, ok := utf16WithoutBOM(head); ok {
				return cs, 0, nil
			}
		}
		end := len(chunk)
		if err == nil {
			// keep an incomplete trailing sequence for the next chunk
			for k := 1; k <= 3 && k <= end; k++ {
				if utf8.RuneStart(chunk[end-k]) {
					if !utf8.FullRune(chunk[end-k:]) {
						end -= k
					}
					break
				}
			}
		}
		var next byte
		if end < len(chunk) {
			next = chunk[end]
		}
		high.count(chunk[:end], prev, next)
		if end > 0 {
			prev = chunk[end-1]
		}
		if valid && !utf8.Valid(chunk[:end]) {
			valid = false
		}
		carry = copy(buf, chunk[end:])
		if err != nil {
			break
		}
	}
	if valid {
		return charsetUTF8, 0, nil
	}
	return pickCodePage(&high), 0, nil
}

// utf16WithoutBOM spots UTF-16 text without a BOM by its zero bytes.
func utf16WithoutBOM(head []byte) (charset, bool) {
	if len(head) < 8 {
		return 0, false
	}
	var zeroEven, zeroOdd int
	for i, c := range head {
		if c == 0 {
			if i%2 == 0 {
				zeroEven++
			} else {
				zeroOdd++
			}
		}
	}
	half := len(head) / 2
	switch {
	case zeroOdd > half*4/10 && zeroEven < half/20:
		return charsetUTF16LE, true
	case zeroEven > half*4/10 && zeroOdd < half/20:
		return charsetUTF16BE, true
	}
	return 0, false
}

// highBytes counts the bytes 0x80–0xFF of a file by where they stand:
// inWord next to a letter (an ASCII letter or another high byte), alone
// elsewhere ("£12.50", "° ").
type highBytes struct {
	inWord, alone [128]int
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// count adds the high bytes of chunk; prev is the byte before it (0 at the
// start) and next the one after it (0 when unknown).
func (h *highBytes) count(chunk []byte, prev, next byte) {
	for i, c := range chunk {
		if c >= 0x80 {
			after := next
			if i+1 < len(chunk) {
				after = chunk[i+1]
			}
			if isWordByte(prev) || isWordByte(after) {
				h.inWord[c-0x80]++
			} else {
				h.alone[c-0x80]++
			}
		}
		prev = c
	}
}

// codePageLanguages are the non-ASCII letters of the languages written in
// each code page, lower-case.
var codePageLanguages = map[charset][]string{
	charsetWindows1252: {
		"æøåéóô",           // Danish, Norwegian
		"åäöéü",            // Swedish
		"äöåšž",            // Finnish
		"äöüßé",            // German
		"àâæçéèêëîïôœùûüÿ", // French
		"áéíñóúü",          // Spanish
		"áâãàçéêíóôõú",     // Portuguese
		"àèéìíîòóùú",       // Italian
		"éëèïóöü",          // Dutch
		"áðéíóúýþæö",       // Icelandic
		"àçéèíïòóúü",       // Catalan
		"õäöüšž",           // Estonian
	},
	charsetWindows1250: {
		"áčďéěíňóřšťúůýž",   // Czech
		"áäčďéíĺľňóôŕšťúýž", // Slovak
		"ąćęłńóśźż",         // Polish
		"áéíóöőúüű",         // Hungarian
		"čćđšž",             // Croatian, Slovenian, Bosnian
		"ăâîşţ",             // Romanian
		"äöüßé",             // German
	},
}

// junkRunes are symbols that do not stand next to letters in statements:
// a code page that spells them there is the wrong one ("P³atnoœæ").
var junkRunes = map[rune]bool{'³': true, '¹': true, '¯': true, '¸': true, '¨': true, '´': true, '¤': true,
	'¦': true, '¬': true, 'ˇ': true, '˘': true, '˛': true, '˝': true, '˙': true, '¶': true, '¼': true,
	'½': true, '¾': true, 'ƒ': true, 'ˆ': true, '˜': true, '‰': true, '†': true, '‡': true}

// codePageScore says how plausible the text reads in cs: each letter next
// to other letters counts for a language of the code page (+1) or against
// it (-2), the best language counting; a letter alone among digits and
// punctuation (-1), a junk symbol inside a word (-2) and a byte the code
// page leaves undefined (-5) count against every language.
func codePageScore(h *highBytes, cs charset, high *[128]rune) int {
	base := 0
	letters := map[rune]int{}
	for i, r := range high {
		word, alone := h.inWord[i], h.alone[i]
		switch {
		case word+alone == 0:
		case r == 0xFFFD:
			base -= 5 * (word + alone)
		case unicode.IsLetter(r):
			letters[unicode.ToLower(r)] += word
			base -= alone
		case junkRunes[r]:
			base -= 2 * word
		}
	}
	best := 0
	for i, lang := range codePageLanguages[cs] {
		s := 0
		for r, n := range letters {
			if strings.ContainsRune(lang, r) {
				s += n
			} else {
				s -= 2 * n
			}
		}
		if i == 0 || s > best {
			best = s
		}
	}
	return base + best
}

// pickCodePage chooses between Windows-1252 (Western European, also
// ISO-8859-1) and Windows-1250 (Central European) by how plausible the
// letters each spells are: "Løn" reads as Danish in 1252 and "Lřn" as
// Czech in 1250 alike, but "Beløb, Kære, På" fits Danish alone and
// "Převod na účet" (ø, è, ú in 1252) Czech alone. A tie is Western.
func pickCodePage(h *highBytes) charset {
	if codePageScore(h, charsetWindows1250, &windows1250) > codePageScore(h, charsetWindows1252, &windows1252) {
		return charsetWindows1250
	}
	return charsetWindows1252
}

// decoder returns a reader of UTF-8 text from src in charset cs.
func decoder(src io.Reader, cs charset) io.Reader {
	switch cs {
	case charsetUTF16LE:
		return &utf16Reader{src: src}
	case charsetUTF16BE:
		return &utf16Reader{src: src, bigEndian: true}
	case charsetWindows1252:
		return &singleByteReader{src: src, high: &windows1252}
	case charsetWindows1250:
		return &singleByteReader{src: src, high: &windows1250}
	}
	return src
}
