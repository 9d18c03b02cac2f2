package ingestion

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/matryer/is"
)

func decodeAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUTF16Reader(t *testing.T) {
	is := is.New(t)
	le := []byte{0xFF, 0xFE, 'A', 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, '\n', 0} // BOM, A, €, 😀 (surrogate pair), \n
	be := []byte{0xFE, 0xFF, 0, 'A', 0x20, 0xAC, 0xD8, 0x3D, 0xDE, 0x00, 0, '\n'}
	is.Equal(decodeAll(t, &utf16Reader{src: strings.NewReader(string(le))}), "A€😀\n")
	is.Equal(decodeAll(t, &utf16Reader{src: strings.NewReader(string(be)), bigEndian: true}), "A€😀\n")
	// The BOM wins over the guessed order, and one byte at a time works.
	is.Equal(decodeAll(t, &utf16Reader{src: iotest.OneByteReader(strings.NewReader(string(be)))}), "A€😀\n")
	// A lone surrogate and an odd trailing byte become U+FFFD, never a panic.
	is.Equal(decodeAll(t, &utf16Reader{src: strings.NewReader("\x00\xD8A\x00\x41")}), "\uFFFDA\uFFFD")
}

func TestSingleByteCodePages(t *testing.T) {
	is := is.New(t)
	is.Equal(decodeAll(t, &singleByteReader{src: strings.NewReader("Caf\xe9 \x80 \x93q\x94"), high: &windows1252}), "Café € “q”")
	is.Equal(decodeAll(t, &singleByteReader{src: iotest.OneByteReader(strings.NewReader("\xa3\xf3d\xbf \x8a\x9a \xe8")), high: &windows1250}), "Łódż Šš č")
	is.Equal(string(decodeWindows1252([]byte("M\xfcller"))), "Müller")
}
