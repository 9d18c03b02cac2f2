package ingestion

import (
	"bytes"
	"io"
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
// else one of the two Windows code pages, chosen by which one's distinctive
// letters the high bytes spell.
func detectCharset(src io.ReadSeeker) (charset, int, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return 0, 0, err
	}
	buf := make([]byte, 64<<10)
	var hist [256]int
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
		for _, c := range chunk[:end] {
			hist[c]++
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
	return pickCodePage(&hist), 0, nil
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

// Bytes that spell letters typical of Central European text in Windows-1250
// (ě ř ů č ň ť ď Č Ř Š ą ę ł ś ź ż ľ ĺ ő ű) and those that spell Western
// letters in Windows-1252 (è à ø å æ ñ ì ò ù ï œ ê õ). Bytes that mean the
// same letter in both (ä ö ü ß é á í ó ú ý) carry no evidence.
var (
	cp1250Weights = map[byte]int{0xec: 3, 0xf8: 3, 0xf9: 3, 0xe8: 2, 0xf2: 2, 0x9d: 3, 0xef: 2, 0xc8: 2,
		0xd8: 3, 0xcc: 3, 0xb9: 3, 0xea: 1, 0xb3: 3, 0x9c: 2, 0x9f: 3, 0xbf: 2, 0xbe: 3, 0xe5: 1, 0xf5: 2, 0xfb: 2, 0xa5: 3, 0x8c: 2, 0x8f: 3, 0xaf: 2}
	cp1252Weights = map[byte]int{0xe8: 2, 0xe0: 3, 0xf8: 1, 0xe5: 2, 0xe6: 2, 0xf1: 2, 0xec: 1, 0xf2: 1,
		0xf9: 1, 0xef: 2, 0x9c: 1, 0xea: 2, 0xf5: 1, 0xc0: 2, 0xc9: 0, 0xe7: 1, 0xee: 1, 0x80: 2, 0xa3: 2, 0xb0: 1}
)

func pickCodePage(hist *[256]int) charset {
	var s1250, s1252 int
	for b, w := range cp1250Weights {
		s1250 += w * hist[b]
	}
	for b, w := range cp1252Weights {
		s1252 += w * hist[b]
	}
	if s1250 > s1252 {
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
