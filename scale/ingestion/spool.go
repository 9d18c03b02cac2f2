package ingestion

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"github.com/scalehq/scale/scale"
)

// spool copies body to a temporary file while hashing it, and stops as
// soon as it exceeds max bytes: the limit holds before the whole body is
// read.
func spool(body io.Reader, dir string, max int64) (spooled, error) {
	f, err := os.CreateTemp(dir, "scale-import-*")
	if err != nil {
		return spooled{}, scale.Internal(err, CodeImportFailed)
	}
	sp := spooled{f: f}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, max+1))
	if err != nil {
		sp.remove()
		return spooled{}, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The upload could not be read completely.")
	}
	switch {
	case n > max:
		sp.remove()
		return spooled{}, scale.E(scale.KindTooLarge, CodeFileTooLarge, "The file is larger than the %d MiB limit.", max>>20)
	case n == 0:
		sp.remove()
		return spooled{}, scale.Invalid(CodeFileEmpty, "The file is empty.")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		sp.remove()
		return spooled{}, scale.Internal(err, CodeImportFailed)
	}
	sp.sha256, sp.size = hex.EncodeToString(h.Sum(nil)), n
	return sp, nil
}
